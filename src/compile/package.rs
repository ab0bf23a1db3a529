//! Compiles one package the way the BOSH agent does: sources unpacked at
//! `/var/vcap/data/compile/<name>`, each direct dependency's compiled package unpacked at
//! `/var/vcap/data/packages/<dep>/<sha1(version)>` and linked from `/var/vcap/packages/<dep>`,
//! the install target prepared the same way, then `bash -x packaging` with the `BOSH_*`
//! variables. The install target is packed into a deterministic tarball.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::error::{Hint, PackageError};
use super::sandbox::{self, Isolation, Root, Spec};
use crate::archive;
use crate::digest::{Algo, Digest, HashingWriter};
use crate::name::Name;

/// A compiled dependency, as the dependent needs it.
pub struct Dep<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub archive: &'a Path,
}

pub struct Job<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub source: &'a Path,
    pub deps: Vec<Dep<'a>>,
    pub root: &'a Root,
    pub bash: &'a str,
    /// A fresh directory of this package's own; removed by the caller.
    pub work: &'a Path,
    pub log: &'a Path,
    /// Where the packed result goes (a temp file of the cache).
    pub out: &'a Path,
    pub allow_empty: bool,
    pub cancel: &'a AtomicBool,
    pub isolation: &'a Isolation,
    /// bale's cgroup with the controllers `isolation`'s limits need.
    pub cgroup: Option<&'a Path>,
}

/// The packed result: its digest (SHA-256) and size.
pub struct Packed {
    pub digest: Digest,
    pub size: u64,
}

/// `<H>` of the agent's layout: the SHA-1 of the version string.
pub fn version_dir(version: &str) -> String {
    Digest::of_bytes(Algo::Sha1, version.as_bytes())
        .hex()
        .to_string()
}

fn mkdir(p: &Path) -> Result<(), PackageError> {
    fs::create_dir_all(p).map_err(|e| PackageError::io("creating", p, e))?;
    fs::set_permissions(p, fs::Permissions::from_mode(0o755))
        .map_err(|e| PackageError::io("setting the mode of", p, e))
}

fn link(target: &str, at: &Path) -> Result<(), PackageError> {
    symlink(target, at).map_err(|e| PackageError::io("linking", at, e))
}

/// `data/packages/<name>/<sha1(version)>`, created with the agent's mode, and the link to it
/// from `packages/<name>`, as the agent lays out every installed package.
fn package_dir(vcap: &Path, name: &str, version: &str) -> Result<PathBuf, PackageError> {
    let h = version_dir(version);
    let name = package_name(name)?;
    let dir = name.under(&vcap.join("data/packages")).join(&h);
    mkdir(&dir)?;
    link(
        &format!("/var/vcap/data/packages/{name}/{h}"),
        &name.under(&vcap.join("packages")),
    )?;
    Ok(dir)
}

/// Package names come from release.MF, checked there; checked again here because they
/// become directories the packaging script runs in.
fn package_name(name: &str) -> Result<Name, PackageError> {
    Name::new(name).map_err(PackageError::Name)
}

pub fn compile(job: &Job<'_>) -> Result<Packed, PackageError> {
    let var = job.work.join("var");
    let mirror =
        sandbox::mirror_var(job.root, &var).map_err(|e| PackageError::io("preparing", &var, e))?;
    let vcap = var.join("vcap");
    for d in ["data", "data/compile", "data/packages", "packages"] {
        mkdir(&vcap.join(d))?;
    }
    let compile_dir = package_name(job.name)?.under(&vcap.join("data/compile"));
    archive::extract(job.source, &compile_dir, false).map_err(PackageError::Source)?;
    mkdir(&compile_dir)?;
    let mut read_only = Vec::new();
    for d in &job.deps {
        let dir = package_dir(&vcap, d.name, d.version)?;
        archive::extract(d.archive, &dir, false).map_err(|source| PackageError::Dependency {
            name: d.name.to_string(),
            source,
        })?;
        mkdir(&dir)?;
        read_only.push(dir);
    }
    let install = package_dir(&vcap, job.name, job.version)?;
    let tmp = job.work.join("tmp");
    let home = job.work.join("home");
    let empty = job.work.join("empty");
    File::create(&empty).map_err(|e| PackageError::io("creating", &empty, e))?;
    for d in [&tmp, &home] {
        fs::create_dir_all(d).map_err(|e| PackageError::io("creating", d, e))?;
    }
    fs::set_permissions(&tmp, fs::Permissions::from_mode(0o1777))
        .map_err(|e| PackageError::io("setting the mode of", &tmp, e))?;

    let compile_target = format!("/var/vcap/data/compile/{}", job.name);
    let install_target = format!("/var/vcap/packages/{}", job.name);
    let home_path = sandbox::home_in(job.root).unwrap_or_else(|| "/tmp".into());
    let mut env = vec![
        ("BOSH_COMPILE_TARGET".into(), compile_target.clone()),
        ("BOSH_INSTALL_TARGET".into(), install_target.clone()),
        ("BOSH_PACKAGE_NAME".into(), job.name.to_string()),
        ("BOSH_PACKAGE_VERSION".into(), job.version.to_string()),
        ("BOSH_PACKAGES_DIR".into(), "/var/vcap/packages".into()),
        ("HOME".into(), home_path),
    ];
    if !job.root.is_host() {
        env.push((
            "PATH".into(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
        ));
        env.push(("LANG".into(), "C.UTF-8".into()));
    }
    let spec = Spec {
        root: job.root,
        var: &var,
        tmp: &tmp,
        home: &home,
        read_only,
        cwd: &compile_target,
        argv: vec![job.bash.to_string(), "-x".into(), "packaging".into()],
        env,
        log: job.log,
        empty: &empty,
        isolation: job.isolation,
        cgroup: job.cgroup.map(Path::to_path_buf),
    };
    if compile_dir.join("packaging").is_file() {
        let mut child =
            sandbox::spawn(&spec, &mirror.bound).map_err(|source| PackageError::Start {
                bash: job.bash.to_string(),
                source,
            })?;
        let status = sandbox::wait(&mut child, job.cancel).map_err(PackageError::Wait)?;
        match status {
            None => return Err(PackageError::Interrupted),
            Some(_) if child.oom_killed() => {
                return Err(PackageError::OutOfMemory {
                    limit: job.isolation.memory.unwrap_or_default(),
                    hint: hint(job.log),
                });
            }
            Some(status) if !status.success() => {
                return Err(PackageError::Failed {
                    status,
                    hint: hint(job.log),
                });
            }
            Some(_) => {}
        }
    } else {
        File::create(job.log)
            .and_then(|mut f| f.write_all(b"no packaging script: the package is empty\n"))
            .map_err(|e| PackageError::io("writing", job.log, e))?;
    }

    let stray = stray_writes(&var, &mirror.names, job.name, &job.deps)
        .map_err(|e| PackageError::io("checking", &var, e))?;
    if !stray.is_empty() {
        return Err(PackageError::Stray {
            paths: stray,
            install_target,
        });
    }
    let empty = fs::read_dir(&install)
        .map_err(|e| PackageError::io("reading", &install, e))?
        .next()
        .is_none();
    if empty && !job.allow_empty {
        return Err(PackageError::Empty { install_target });
    }
    pack(&install, job.source, job.out)
}

/// The tail of a failed script's log points at the usual culprit when a write was refused.
fn hint(log: &Path) -> Hint {
    let mut text = String::new();
    let _ = File::open(log).and_then(|f| f.take(1 << 20).read_to_string(&mut text));
    if text.contains("Read-only file system") {
        Hint::ReadOnly
    } else {
        Hint::None
    }
}

/// Entries the script created in the `/var` mirror outside its compile dir and install
/// target (another package's directory, `/var/vcap/store`, a new top-level `/var` entry).
fn stray_writes(
    var: &Path,
    mirrored: &[String],
    name: &str,
    deps: &[Dep<'_>],
) -> io::Result<Vec<String>> {
    let mut expected: Vec<String> = vec![
        "vcap".into(),
        "vcap/data".into(),
        "vcap/data/compile".into(),
        "vcap/data/packages".into(),
        "vcap/packages".into(),
    ];
    // The script's own places, and each dependency's (read-only, so not walked either).
    let mut owned = vec![
        format!("vcap/data/compile/{name}"),
        format!("vcap/data/packages/{name}"),
        format!("vcap/packages/{name}"),
    ];
    for d in deps {
        owned.push(format!("vcap/data/packages/{}", d.name));
        owned.push(format!("vcap/packages/{}", d.name));
    }
    // The root's own /var entries are read-only mounts (or links); from outside the
    // namespace they look empty.
    owned.extend(mirrored.iter().cloned());
    expected.extend(owned.iter().cloned());
    let walk = walkdir::WalkDir::new(var)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = e.path().strip_prefix(var).unwrap_or(e.path());
            !owned.iter().any(|o| Path::new(o) == rel)
        });
    let mut stray = Vec::new();
    for e in walk {
        let e = e.map_err(io::Error::other)?;
        let rel = e.path().strip_prefix(var).map_err(io::Error::other)?;
        let rel = rel.to_string_lossy().into_owned();
        if !expected.contains(&rel) {
            stray.push(format!("/var/{rel}"));
        }
    }
    Ok(stray)
}

/// Packs the install target: gzip, or a plain tar when the source package was one (as the
/// agent does since 2025). Entries are `./`-prefixed with the root entry, like GNU tar's.
fn pack(install: &Path, source: &Path, out: &Path) -> Result<Packed, PackageError> {
    let compressed = archive_is_compressed(source);
    let f = File::create(out).map_err(|e| PackageError::io("creating", out, e))?;
    let w = HashingWriter::new(BufWriter::with_capacity(1 << 20, f), Algo::Sha256);
    let w = archive::pack_dir(
        install,
        w,
        compressed.then_some(archive::DEFAULT_LEVEL),
        true,
    )
    .map_err(|e| PackageError::io("packing", install, e))?;
    let (mut buf, digest, size) = w.finish();
    buf.flush()
        .map_err(|e| PackageError::io("writing", out, e))?;
    Ok(Packed { digest, size })
}

fn archive_is_compressed(p: &Path) -> bool {
    let mut magic = [0u8; 6];
    File::open(p)
        .and_then(|mut f| f.read(&mut magic))
        .map(|n| archive::is_compressed(&magic[..n]))
        .unwrap_or(true)
}

/// Removes a work directory even where a script left read-only directories behind.
pub fn remove_work(dir: &Path) {
    if fs::remove_dir_all(dir).is_ok() || !dir.exists() {
        return;
    }
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_dir() {
            let _ = fs::set_permissions(e.path(), fs::Permissions::from_mode(0o755));
        }
    }
    let _ = fs::remove_dir_all(dir);
}

/// The log path of a package in a log directory.
pub fn log_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.log"))
}
