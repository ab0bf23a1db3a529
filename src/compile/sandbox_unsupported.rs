//! The sandbox's interface where there are no mount namespaces (macOS, other Unixes):
//! `compile-release` refuses to start there (see `compile_release`), and these functions
//! fail the same way should anything reach them, so the rest of bale builds and runs.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, ExitStatus};
use std::sync::atomic::AtomicBool;

fn unsupported() -> io::Error {
    io::Error::new(io::ErrorKind::Unsupported, super::NEEDS_LINUX)
}

#[derive(Debug, Clone)]
pub struct Root {
    pub dir: PathBuf,
}

impl Root {
    pub fn host() -> Root {
        Root {
            dir: PathBuf::from("/"),
        }
    }

    pub fn is_host(&self) -> bool {
        self.dir == Path::new("/")
    }

    pub fn path(&self, inside: &str) -> PathBuf {
        self.dir.join(inside.trim_start_matches('/'))
    }

    pub fn bash(&self) -> Option<&'static str> {
        None
    }
}

pub struct Spec<'a> {
    pub root: &'a Root,
    pub var: &'a Path,
    pub tmp: &'a Path,
    pub home: &'a Path,
    pub read_only: Vec<PathBuf>,
    pub cwd: &'a str,
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    pub log: &'a Path,
}

#[derive(Debug, Default)]
pub struct Mirror {
    pub names: Vec<String>,
    pub bound: Vec<String>,
}

pub fn mirror_var(_root: &Root, _mirror: &Path) -> io::Result<Mirror> {
    Err(unsupported())
}

pub fn home_in(_root: &Root) -> Option<String> {
    None
}

pub fn spawn(_spec: &Spec<'_>, _bound: &[String]) -> io::Result<Child> {
    Err(unsupported())
}

pub fn wait(_child: &mut Child, _cancel: &AtomicBool) -> io::Result<Option<ExitStatus>> {
    Err(unsupported())
}
