//! `bale man [DIR]`: manual pages from the clap definitions. Without a directory, `bale(1)`
//! on stdout; with one, `bale.1` and a `bale-COMMAND.1` per command (nested ones as
//! `bale-blobstore-serve.1`), each written atomically.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::atomic::PathError;

#[derive(Args, Debug)]
pub struct ManArgs {
    /// Write a page per command into this directory instead of bale(1) to stdout
    pub dir: Option<PathBuf>,
}

/// The page of `cmd` (named as it is invoked, e.g. `bale-create-release`).
pub fn page(cmd: &clap::Command) -> Vec<u8> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut out)
        .expect("rendering into memory does not fail");
    out
}

/// Writes the pages of `cmd` and its subcommands into `dir`; returns the files written.
pub fn write_all(cmd: &clap::Command, dir: &Path) -> Result<Vec<PathBuf>, PathError> {
    std::fs::create_dir_all(dir).map_err(|e| PathError::new("create", dir, e))?;
    let mut written = Vec::new();
    let mut cmd = cmd.clone();
    cmd.build();
    write_tree(&cmd, cmd.get_name(), dir, &mut written)?;
    Ok(written)
}

fn write_tree(
    cmd: &clap::Command,
    name: &str,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> Result<(), PathError> {
    let named = cmd.clone().name(name.to_string());
    let path = dir.join(format!("{name}.1"));
    crate::atomic::write(&path, &page(&named))?;
    written.push(path);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.get_name() == "help" {
            continue;
        }
        write_tree(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}

/// `bale man [DIR]`: the page on stdout, or the paths written, one a line.
pub fn run(args: &ManArgs, cmd: &clap::Command) -> std::process::ExitCode {
    use std::io::Write;
    match &args.dir {
        None => {
            let mut out = std::io::stdout().lock();
            if out
                .write_all(&page(cmd))
                .and_then(|()| out.flush())
                .is_err()
            {
                return std::process::ExitCode::from(1);
            }
        }
        Some(dir) => match write_all(cmd, dir) {
            Ok(files) => {
                for f in files {
                    println!("{}", f.display());
                }
            }
            Err(e) => {
                eprintln!("{e}\n\nExit code 1");
                return std::process::ExitCode::from(1);
            }
        },
    }
    std::process::ExitCode::SUCCESS
}
