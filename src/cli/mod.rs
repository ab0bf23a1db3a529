//! Command-line parsing and dispatch: the `bosh` CLI's command names, flags and defaults, plus
//! bale's own (`--dry-run`). Only this module knows clap, terminals and `--json`.

mod blobstore;
mod budget;
mod clock;
mod compile;
mod completion;
mod create;
mod deployment;
mod dispatch;
mod interpolate;
mod logging;
mod man;
mod output;
mod render;
mod table;
mod templates;

use create::create_release;
use render::{show_summary, verify_text};

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::blobs;
use crate::error::Result;
use crate::release::{self, finalize, generate, open};
use output::Ui;

/// `bale --version`: the package version, then the commit and build date (see build.rs).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("BALE_BUILD_INFO"),
    ")"
);

#[derive(Parser, Debug)]
#[command(
    name = "bale",
    version = VERSION,
    about = "BOSH release engineering, offline and fast"
)]
struct Cli {
    /// Don't ask for user input (bale never does; accepted for scripts written for bosh)
    #[arg(short = 'n', long = "non-interactive", global = true)]
    non_interactive: bool,
    /// Show progress lines even when stdout is not a terminal
    #[arg(long, global = true)]
    tty: bool,
    /// Print machine-readable JSON instead of tables
    #[arg(long, global = true)]
    json: bool,
    /// Number of parallel workers (build threads; blob transfers, default 5)
    #[arg(long, global = true)]
    parallel: Option<usize>,
    /// Accepted for compatibility: SHA-256 is already the default
    #[arg(long, global = true, env = "BOSH_SHA2")]
    sha2: bool,
    #[command(flatten)]
    log: logging::LogArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug, Clone)]
struct DirArg {
    /// Release directory path if not current working directory
    #[arg(long, default_value = ".")]
    dir: PathBuf,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Initialize release
    InitRelease {
        #[command(flatten)]
        dir: DirArg,
        /// Initialize git repository
        #[arg(long)]
        git: bool,
    },
    /// Generate job
    GenerateJob {
        name: String,
        #[command(flatten)]
        dir: DirArg,
    },
    /// Generate package
    GeneratePackage {
        name: String,
        #[command(flatten)]
        dir: DirArg,
    },
    /// Create release
    #[command(alias = "cr")]
    CreateRelease(CreateArgs),
    /// Create final release from dev release tarball
    FinalizeRelease {
        path: PathBuf,
        #[command(flatten)]
        dir: DirArg,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        version: Option<String>,
        #[arg(long)]
        force: bool,
    },
    /// Reset release: delete dev builds, dev releases and local blobs
    ResetRelease {
        #[command(flatten)]
        dir: DirArg,
    },
    /// Show release tarball details
    InspectLocalRelease { path: PathBuf },
    /// Vendor package from another release directory as a final build
    VendorPackage {
        package: String,
        src_dir: PathBuf,
        #[command(flatten)]
        dir: DirArg,
        /// Prefix the vendored packages' names with PREFIX-
        #[arg(long)]
        prefix: Option<String>,
    },
    /// Rewrite a release tarball's archive digests as SHA-1
    Sha1ifyRelease { path: PathBuf, destination: PathBuf },
    /// Rewrite a release tarball's archive digests as SHA-256
    Sha2ifyRelease { path: PathBuf, destination: PathBuf },
    /// Compile a release's packages on this machine into a compiled release tarball
    CompileRelease(compile::CompileArgs),
    /// Render a job's templates as the director would, without Ruby
    Render(templates::RenderArgs),
    /// Render every template of a release with spec defaults and placeholders; report failures
    LintTemplates(templates::LintArgs),
    /// Render every job of every instance of a deployment manifest, as the director would
    RenderDeployment(deployment::RenderDeploymentArgs),
    /// Check a deployment manifest against its releases' job specs: unknown and missing properties, links, jobs
    LintManifest(deployment::LintManifestArgs),
    /// Unified diffs of two deployment renders (output dirs or manifests): what a deploy changes on each VM
    DiffRender(deployment::DiffRenderArgs),
    /// Interpolates variables and ops files into a manifest, as `bosh interpolate` does
    #[command(alias = "int")]
    Interpolate(interpolate::InterpolateArgs),
    /// Verify every digest and fingerprint of release tarballs, stemcells or release directories
    Verify {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Show stemcell tarball details
    InspectLocalStemcell { path: PathBuf },
    /// Repack stemcell with new metadata (unknown fields kept, sha1 kept true to the image)
    RepackStemcell {
        path_to_stemcell: PathBuf,
        path_to_result: PathBuf,
        /// Repacked stemcell name
        #[arg(long)]
        name: Option<String>,
        /// Repacked stemcell version
        #[arg(long)]
        version: Option<String>,
        /// Repacked stemcell cloud properties (YAML, merged over the existing ones)
        #[arg(long)]
        cloud_properties: Option<String>,
        /// Repacked stemcell formats (replaces the list)
        #[arg(long = "format")]
        formats: Vec<String>,
        /// Make the image empty (a light stemcell); sha1 becomes that of empty input
        #[arg(long)]
        empty_image: bool,
    },
    /// Create a stemcell tarball from an image file or a root filesystem directory
    CreateStemcell {
        /// Where to write the stemcell tarball
        path_to_result: PathBuf,
        /// IaaS image file (empty for a light stemcell)
        #[arg(long, conflicts_with = "rootfs", required_unless_present = "rootfs")]
        image: Option<PathBuf>,
        /// Root filesystem directory, packed as a warden-tar image
        #[arg(long)]
        rootfs: Option<PathBuf>,
        #[arg(long)]
        name: String,
        #[arg(long)]
        version: String,
        /// Operating system slug, e.g. ubuntu-jammy
        #[arg(long)]
        os: String,
        #[arg(long)]
        api_version: Option<u64>,
        /// Cloud properties (YAML map)
        #[arg(long)]
        cloud_properties: Option<String>,
        #[arg(long = "format")]
        formats: Vec<String>,
    },
    /// Run a blobstore: the DAV protocol of BOSH's blobstore client, verified atomic writes,
    /// a registry of releases and stemcells
    Blobstore {
        #[command(subcommand)]
        command: blobstore::ServeCommand,
    },
    /// Upload release to a bale blobstore (verified; only archives it lacks are sent)
    UploadRelease(blobstore::UploadReleaseArgs),
    /// Upload stemcell to a bale blobstore (verified; stored once by content)
    UploadStemcell {
        stemcell: PathBuf,
        /// Replace a registered stemcell of the same name and version
        #[arg(long)]
        fix: bool,
        #[command(flatten)]
        target: blobstore::TargetArgs,
    },
    /// List releases in a bale blobstore
    Releases {
        #[command(flatten)]
        target: blobstore::TargetArgs,
    },
    /// List stemcells in a bale blobstore
    Stemcells {
        #[command(flatten)]
        target: blobstore::TargetArgs,
    },
    /// List all jobs and packages of a release in a bale blobstore
    InspectRelease {
        /// NAME/VERSION
        slug: String,
        #[command(flatten)]
        target: blobstore::TargetArgs,
    },
    /// Delete a release (NAME/VERSION) or all its versions (NAME) from a bale blobstore
    DeleteRelease {
        slug: String,
        /// Accepted for compatibility
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        target: blobstore::TargetArgs,
    },
    /// Delete a stemcell (NAME/VERSION) from a bale blobstore
    DeleteStemcell {
        slug: String,
        /// Accepted for compatibility
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        target: blobstore::TargetArgs,
    },
    /// Add blob
    AddBlob {
        path: PathBuf,
        blobs_path: String,
        #[command(flatten)]
        dir: DirArg,
    },
    /// Remove blob
    RemoveBlob {
        blobs_path: String,
        #[command(flatten)]
        dir: DirArg,
    },
    /// List blobs
    Blobs {
        #[command(flatten)]
        dir: DirArg,
    },
    /// Sync blobs
    SyncBlobs {
        #[command(flatten)]
        dir: DirArg,
    },
    /// Upload blobs
    UploadBlobs {
        #[command(flatten)]
        dir: DirArg,
    },
    /// Print a shell completion script (e.g. `bale completion bash > /etc/bash_completion.d/bale`)
    Completion(completion::CompletionArgs),
    /// Print the bale(1) manual page, or write a page per command into DIR
    Man(man::ManArgs),
}

#[derive(Args, Debug)]
struct CreateArgs {
    /// Release manifest (.yml) or tarball to rebuild a tarball from
    path: Option<PathBuf>,
    #[command(flatten)]
    dir: DirArg,
    /// Custom release name
    #[arg(long)]
    name: Option<String>,
    /// Custom release version (e.g.: 1.0.0, 1.0-beta.2+dev.10)
    #[arg(long)]
    version: Option<String>,
    /// Create release with the timestamp as the dev version (e.g.: 1+dev.TIMESTAMP)
    #[arg(long)]
    timestamp_version: bool,
    /// Make it a final release
    #[arg(long = "final")]
    final_: bool,
    /// Create release tarball at path (e.g. /tmp/release.tgz)
    #[arg(long)]
    tarball: Option<String>,
    /// Ignore Git dirty state check
    #[arg(long)]
    force: bool,
    /// Print each job, package and license with its fingerprint and whether it is new; change nothing
    #[arg(long)]
    dry_run: bool,
    /// Deflate level (1-9) of newly built job and package archives; gzip's default is 6
    #[arg(long, default_value_t = crate::archive::DEFAULT_LEVEL, value_parser = clap::value_parser!(u32).range(1..=9))]
    compression_level: u32,
    /// Use SHA-1 for fingerprints and archive digests, as CLIs before v5.5.0 did (default: SHA-256, as the current CLI)
    #[arg(long)]
    sha1: bool,
    /// With --dry-run: download (verified) just the blobs the plan needs: those neither in blobs/ nor known by a digest in the fingerprint algorithm
    #[arg(long, requires = "dry_run")]
    fetch_missing: bool,
}

/// Parses arguments, runs the command, prints the result; returns the process exit code.
pub fn main(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let parsed = Cli::command()
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m).map(|c| (c, m)));
    let (cli, matches) = match parsed {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            // --help, --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // Like the CLI, a usage error comes before any output mode exists: one empty
            // line on stdout, the message and the exit code on stderr, in every mode.
            println!();
            eprintln!("{}\nExit code 1", usage_error(&e));
            return ExitCode::from(1);
        }
    };
    let mut log = cli.log.clone();
    // A server keeps an access log unless told otherwise: `--log-level none` silences it.
    if matches!(cli.command, Command::Blobstore { .. })
        && log.level.is_none()
        && std::env::var_os("BALE_LOG").is_none()
        && std::env::var_os("BOSH_LOG_LEVEL").is_none()
    {
        log.level = Some("info".into());
    }
    if let Err(e) = logging::init(&log) {
        eprintln!("{e}\n\nExit code 1");
        return ExitCode::from(1);
    }
    // The command's name only: arguments can hold credentials (`--user U:P`).
    tracing::info!(
        version = VERSION,
        command = matches.subcommand_name().unwrap_or_default(),
        "bale starting"
    );
    match &cli.command {
        Command::Completion(a) => return completion::run(a, &mut Cli::command()),
        Command::Man(a) => return man::run(a, &Cli::command()),
        // They print as they render, one job at a time, and have exit codes of their own.
        Command::Render(a) => return templates::render(a, cli.json),
        Command::LintTemplates(a) => return templates::lint(a, cli.json),
        Command::Interpolate(a) => return interpolate::interpolate(a, cli.json, cli.tty),
        Command::DiffRender(a) => return deployment::diff_render(a, cli.json),
        _ => {}
    }
    let ui = Ui::new(cli.json, cli.tty);
    if let Some(n) = cli.parallel.filter(|n| *n > 0) {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    let result = dispatch::run(&cli, &ui);
    ui.finish(result)
}

/// The CLI's wording for the usage errors scripts meet most (an unknown command or flag);
/// clap's own message for the rest.
fn usage_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let value = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    match e.kind() {
        ErrorKind::InvalidSubcommand => {
            if let Some(name) = value(ContextKind::InvalidSubcommand) {
                let mut names: Vec<String> = <Cli as clap::CommandFactory>::command()
                    .get_subcommands()
                    .map(|c| c.get_name().to_string())
                    .chain(["help".to_string()])
                    .collect();
                names.sort();
                let last = names.pop().unwrap_or_default();
                return format!(
                    "Unknown command `{name}'. Please specify one command of: {} or {last}",
                    names.join(", ")
                );
            }
        }
        ErrorKind::UnknownArgument => {
            if let Some(arg) = value(ContextKind::InvalidArg) {
                let flag = arg
                    .split('=')
                    .next()
                    .unwrap_or(&arg)
                    .trim_start_matches('-');
                return format!("unknown flag `{flag}'");
            }
        }
        _ => {}
    }
    let text = e.render().to_string();
    text.trim_end()
        .strip_prefix("error: ")
        .unwrap_or(text.trim_end())
        .to_string()
}

fn to_json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}
