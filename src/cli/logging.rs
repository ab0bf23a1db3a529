//! `--log-level` and `--log-file`: what bale does (HTTP requests, cache decisions,
//! subprocesses) through `tracing`, to stderr or appended to a file. Silent unless asked,
//! like the `bosh` CLI, whose `BOSH_LOG_LEVEL` and `BOSH_LOG_PATH` are honoured too.
//!
//! A plain level applies to bale's own events only: the HTTP and TLS crates' debug output
//! (headers, connection internals) could carry credentials, so it takes a filter directive
//! naming them (`--log-level bale=debug,hyper=debug`) to see it.

use std::fs::OpenOptions;
use std::path::PathBuf;
use std::sync::Mutex;

use clap::Args;
use tracing_subscriber::EnvFilter;

#[derive(Args, Debug, Clone, Default)]
pub struct LogArgs {
    /// Log level: none, error, warn, info, debug or trace, or tracing filter directives
    /// (e.g. bale=debug,hyper=info). Default from BALE_LOG, then BOSH_LOG_LEVEL; none if unset
    #[arg(long = "log-level", global = true, value_name = "LEVEL")]
    pub level: Option<String>,
    /// Append logs to this file instead of stderr. Default from BOSH_LOG_PATH
    #[arg(long = "log-file", global = true, value_name = "PATH")]
    pub file: Option<PathBuf>,
}

/// Why logging could not start; the command does not run without the log it was asked for.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("invalid log level '{level}' (use none, error, warn, info, debug, trace, or tracing directives such as bale=debug): {reason}")]
    Level { level: String, reason: String },
    #[error("cannot open log file {}: {}", path.display(), crate::error::io_text(source))]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn from_env(names: &[&str]) -> Option<String> {
    names
        .iter()
        .filter_map(|n| std::env::var(n).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
}

/// The filter a level setting stands for; `None` when logging is off.
pub fn filter(level: &str) -> Result<Option<EnvFilter>, LogError> {
    let l = level.trim().to_ascii_lowercase();
    let directives = match l.as_str() {
        "" | "none" | "off" => return Ok(None),
        "error" | "warn" | "info" | "debug" | "trace" => format!("bale={l}"),
        _ => level.trim().to_string(),
    };
    EnvFilter::builder()
        .parse(&directives)
        .map(Some)
        .map_err(|e| LogError::Level {
            level: level.to_string(),
            reason: e.to_string(),
        })
}

/// Starts logging as the flags and environment say. Called once, before the command runs.
pub fn init(args: &LogArgs) -> Result<(), LogError> {
    let level = args
        .level
        .clone()
        .or_else(|| from_env(&["BALE_LOG", "BOSH_LOG_LEVEL"]));
    let Some(filter) = filter(level.as_deref().unwrap_or("none"))? else {
        return Ok(());
    };
    let file = args
        .file
        .clone()
        .or_else(|| from_env(&["BOSH_LOG_PATH"]).map(PathBuf::from));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_target(true);
    match file {
        Some(path) => {
            // Appended, created with the umask's mode: a log outlives one command.
            let f = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .map_err(|source| LogError::File {
                    path: path.clone(),
                    source,
                })?;
            let _ = builder.with_writer(Mutex::new(f)).try_init();
        }
        None => {
            let _ = builder.with_writer(std::io::stderr).try_init();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_levels_apply_to_bale_only() {
        let f = filter("DEBUG").unwrap().unwrap();
        assert_eq!(f.to_string(), "bale=debug");
        assert!(filter("none").unwrap().is_none());
        assert!(filter("off").unwrap().is_none());
    }

    #[test]
    fn directives_pass_through_and_bad_ones_are_refused() {
        let f = filter("bale=debug,hyper=info").unwrap().unwrap();
        assert!(f.to_string().contains("hyper=info"), "{f}");
        let e = filter("bale=loud").unwrap_err().to_string();
        assert!(e.contains("invalid log level 'bale=loud'"), "{e}");
    }
}
