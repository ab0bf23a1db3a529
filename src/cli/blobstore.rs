//! `blobstore serve` and the commands that talk to a bale blobstore's registry:
//! upload-release, upload-stemcell, releases, stemcells, inspect-release, delete-release,
//! delete-stemcell. Flags and tables follow the `bosh` CLI's.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::output::Ui;
use super::table::{col, list_col, Table};
use crate::blobstore::{self, Credentials, Target, Uploaded};
use crate::error::{Error, Result};

#[derive(Args, Debug, Clone)]
pub(super) struct TargetArgs {
    /// URL of a `bale blobstore serve`
    #[arg(long, env = "BALE_BLOBSTORE")]
    blobstore: Option<String>,
    /// USER:PASSWORD (or BALE_BLOBSTORE_USER and BALE_BLOBSTORE_PASSWORD)
    #[arg(long)]
    user: Option<Credentials>,
    /// PEM certificate(s) to trust for an https blobstore with a private CA
    #[arg(long, env = "BALE_BLOBSTORE_CA_CERT")]
    ca_cert: Option<PathBuf>,
}

impl TargetArgs {
    fn target(&self) -> Result<Target> {
        let url = self.blobstore.as_deref().ok_or_else(|| {
            Error::msg("Expected a blobstore: give --blobstore URL or set BALE_BLOBSTORE")
        })?;
        let user = match &self.user {
            Some(c) => Some(c.clone()),
            None => match (
                std::env::var("BALE_BLOBSTORE_USER"),
                std::env::var("BALE_BLOBSTORE_PASSWORD"),
            ) {
                (Ok(u), Ok(p)) if !u.is_empty() => Some(Credentials {
                    user: u,
                    password: p,
                }),
                _ => None,
            },
        };
        Target::new(url, user, self.ca_cert.as_deref())
    }
}

#[derive(Subcommand, Debug)]
pub(super) enum ServeCommand {
    /// Serve objects at /<XX>/<id> (PUT, GET with ranges, HEAD, DELETE; signed URLs under
    /// /signed/) and the release and stemcell registry under /api/v1/
    Serve(ServeArgs),
}

#[derive(Args, Debug)]
pub(super) struct ServeArgs {
    /// YAML file with any of the settings below (flags win)
    #[arg(long)]
    config: Option<PathBuf>,
    /// Where the registry and (without a bucket) the objects are stored [default: blobstore]
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Address to listen on (port 0 picks a free one) [default: 127.0.0.1:25250]
    #[arg(long)]
    listen: Option<std::net::SocketAddr>,
    /// A user allowed to write (and read), USER:PASSWORD; repeatable. Keep passwords out of
    /// the process list with BALE_BLOBSTORE_WRITE_USERS (comma-separated) or --config
    #[arg(
        long = "write-user",
        env = "BALE_BLOBSTORE_WRITE_USERS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    write_users: Vec<Credentials>,
    /// A user allowed to read, USER:PASSWORD; repeatable (or BALE_BLOBSTORE_READ_USERS)
    #[arg(
        long = "read-user",
        env = "BALE_BLOBSTORE_READ_USERS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    read_users: Vec<Credentials>,
    /// Let anyone read (writes always need a write user)
    #[arg(long)]
    anonymous_reads: bool,
    /// Secret that signs URLs (as the director's blobstore.secret)
    #[arg(long, env = "BALE_BLOBSTORE_SECRET", hide_env_values = true)]
    secret: Option<String>,
    /// Longest lifetime a signed URL may ask for (its `e`), in seconds [default: 604800, 7 days]
    #[arg(long, value_name = "SECONDS")]
    max_signed_url_expiry: Option<u64>,
    /// Largest object accepted, in bytes [default: 10485760000]
    #[arg(long)]
    max_upload_size: Option<u64>,
    /// Serve HTTPS with this PEM certificate chain (with --tls-key)
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Open connections at most; idle ones are closed to make room [default: 512]
    #[arg(long)]
    max_connections: Option<usize>,
    /// Seconds a request head may take once it started arriving [default: 10]
    #[arg(long, value_name = "SECONDS")]
    header_timeout: Option<u64>,
    /// Seconds a keep-alive connection may wait for its next request [default: 60]
    #[arg(long, value_name = "SECONDS")]
    idle_timeout: Option<u64>,
    /// Seconds an upload's body may pause before it is cut off [default: 60]
    #[arg(long, value_name = "SECONDS")]
    body_timeout: Option<u64>,
    /// Seconds a stop (SIGTERM, SIGINT) waits for requests and tasks to finish [default: 30]
    #[arg(long, value_name = "SECONDS")]
    grace_period: Option<u64>,
}

pub(super) fn serve(a: &ServeArgs) -> Result<()> {
    let cfg = match &a.config {
        Some(f) => blobstore::ServeConfig::load(f)?,
        None => Default::default(),
    };
    let file = a.config.clone().unwrap_or_default();
    let users =
        |flags: &[Credentials], file_users: &[blobstore::UserEntry]| -> Result<Vec<Credentials>> {
            if !flags.is_empty() {
                return Ok(flags.to_vec());
            }
            file_users.iter().map(|u| u.credentials(&file)).collect()
        };
    let write = users(&a.write_users, &cfg.write_users)?;
    if write.is_empty() {
        return Err(Error::msg(
            "Expected a write user: give --write-user USER:PASSWORD or write_users in --config (nobody writes anonymously)",
        ));
    }
    let listen = match (a.listen, &cfg.listen) {
        (Some(l), _) => l,
        (None, Some(s)) => s
            .parse()
            .map_err(|e| Error::msg(format!("{}: listen '{s}': {e}", file.display())))?,
        (None, None) => "127.0.0.1:25250".parse().expect("a valid address"),
    };
    let tls = match (&a.tls_cert, &a.tls_key, &cfg.tls) {
        (Some(c), Some(k), _) => Some((c.clone(), k.clone())),
        (_, _, Some(t)) => Some((t.certificate.clone(), t.private_key.clone())),
        _ => None,
    };
    let dir = a
        .dir
        .clone()
        .or(cfg.dir.clone())
        .unwrap_or_else(|| PathBuf::from("blobstore"));
    let opts = blobstore::ServeOptions {
        dir: dir.clone(),
        listen,
        users: blobstore::Users {
            write,
            read: users(&a.read_users, &cfg.read_users)?,
            anonymous_reads: a.anonymous_reads || cfg.anonymous_reads.unwrap_or(false),
        },
        secret: a.secret.clone().or(cfg.secret.clone()),
        max_signed_expiry: a
            .max_signed_url_expiry
            .or(cfg.max_signed_url_expiry)
            .unwrap_or(blobstore::DEFAULT_MAX_EXPIRY),
        max_upload: a
            .max_upload_size
            .or(cfg.max_upload_size)
            .unwrap_or(10_000 * 1024 * 1024),
        bucket: cfg.bucket(&file)?,
        tls,
        body_timeout: secs(a.body_timeout.or(cfg.body_timeout), 60),
        limits: blobstore::Limits {
            header_timeout: secs(a.header_timeout.or(cfg.header_timeout), 10),
            idle_timeout: secs(a.idle_timeout.or(cfg.idle_timeout), 60),
            max_connections: a.max_connections.or(cfg.max_connections).unwrap_or(512),
            grace: secs(a.grace_period.or(cfg.grace_period), 30),
            ..blobstore::Limits::default()
        },
    };
    blobstore::serve(opts, |l| {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "bale blobstore listening on {} (objects in {}, registry in {})",
            l.url,
            l.objects,
            dir.display()
        );
        if l.swept > 0 {
            let _ = writeln!(
                out,
                "removed {} temp file(s) of uploads interrupted before a restart",
                l.swept
            );
        }
        let _ = out.flush();
    })
}

fn secs(v: Option<u64>, default: u64) -> std::time::Duration {
    std::time::Duration::from_secs(v.unwrap_or(default))
}

#[derive(Args, Debug)]
pub(super) struct UploadReleaseArgs {
    /// Release tarball, release directory (its latest created release) or URL
    release: Option<String>,
    /// Release directory when no RELEASE is given
    #[arg(long, default_value = ".")]
    dir: PathBuf,
    /// Re-send every archive and replace the registered release
    #[arg(long)]
    fix: bool,
    /// Name of the release at URL (with --version, skips the download when already present)
    #[arg(long)]
    name: Option<String>,
    /// Version of the release at URL
    #[arg(long)]
    version: Option<String>,
    /// Digest of the tarball at URL, checked before anything is sent
    #[arg(long)]
    sha1: Option<String>,
    #[command(flatten)]
    target: TargetArgs,
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

pub(super) fn upload_release(a: &UploadReleaseArgs, ui: &Ui) -> Result<()> {
    let report = |s: &str| ui.line(s);
    let target = a.target.target()?;
    let tmp = tempfile::tempdir().map_err(|e| Error::msg(format!("temp dir: {e}")))?;
    let arg = a.release.clone();
    let tarball = match arg.as_deref() {
        Some(u) if is_url(u) => {
            if let (Some(n), Some(v), false) = (&a.name, &a.version, a.fix) {
                if blobstore::release_is_whole(&target, n, v)? {
                    return show_upload(ui, "Release", &already(n, v));
                }
            }
            let dest = tmp.path().join("release.tgz");
            report(&format!("Downloading {u}"));
            Target::download(u, &dest)?;
            dest
        }
        Some(p) if Path::new(p).is_dir() => {
            crate::release::rebuild::newest_tarball(Path::new(p), tmp.path())?
        }
        Some(p) => PathBuf::from(p),
        None => crate::release::rebuild::newest_tarball(&a.dir, tmp.path())?,
    };
    if let Some(want) = &a.sha1 {
        let want: crate::digest::MultiDigest = want
            .parse()
            .map_err(|e| Error::msg(format!("--sha1: {e}")))?;
        let want = want.strongest();
        let got = crate::digest::Digest::of_file(want.algo(), &tarball)
            .map_err(|e| Error::io("read", &tarball, &e))?;
        if &got != want {
            return Err(Error::msg(format!(
                "{}: digest {got} does not match --sha1 {want}; nothing was uploaded",
                tarball.display()
            )));
        }
    }
    let up = blobstore::upload_release(&target, &tarball, a.fix, &report)?;
    show_upload(ui, "Release", &up)
}

fn already(name: &str, version: &str) -> Uploaded {
    Uploaded {
        status: "exists".into(),
        ..Uploaded::new(name, version)
    }
}

/// The result line, and in JSON the numbers behind it as a one-row `upload` table.
fn show_upload(ui: &Ui, kind: &str, up: &Uploaded) -> Result<()> {
    if ui.json() {
        ui.table(&Table::new(
            "upload",
            vec![
                col("name", "Name"),
                col("version", "Version"),
                col("status", "Status"),
                col("checks", "Checks"),
                col("objects_sent", "Objects Sent"),
                col("bytes_sent", "Bytes Sent"),
                col("objects_reused", "Objects Reused"),
            ],
            vec![vec![
                up.name.clone(),
                up.version.clone(),
                up.status.clone(),
                up.checks.to_string(),
                up.objects_sent.to_string(),
                up.bytes_sent.to_string(),
                up.objects_reused.to_string(),
            ]],
        ));
    }
    if up.status == "exists" {
        ui.text(&format!(
            "{kind} '{}/{}' already exists.",
            up.name, up.version
        ));
        return Ok(());
    }
    ui.text(&format!(
        "{} {kind} '{}/{}': {} checks passed, {} object(s) sent ({}), {} already stored",
        match up.status.as_str() {
            "replaced" => "Replaced",
            "repaired" => "Repaired",
            _ => "Uploaded",
        },
        up.name,
        up.version,
        up.checks,
        up.objects_sent,
        crate::size::iec(up.bytes_sent),
        up.objects_reused
    ));
    Ok(())
}

pub(super) fn upload_stemcell(path: &Path, fix: bool, target: &TargetArgs, ui: &Ui) -> Result<()> {
    let report = |s: &str| ui.line(s);
    let up = blobstore::upload_stemcell(&target.target()?, path, fix, &report)?;
    show_upload(ui, "Stemcell", &up)
}

pub(super) fn releases(target: &TargetArgs, ui: &Ui) -> Result<()> {
    let list = target.target()?.releases()?;
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|r| {
            let compiled: Vec<String> = r
                .compiled_packages
                .iter()
                .filter_map(|p| p.stemcell.clone())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            vec![
                r.name.clone(),
                r.version.clone(),
                format!(
                    "{}{}",
                    r.commit_hash,
                    if r.uncommitted_changes { "+" } else { "" }
                ),
                if compiled.is_empty() {
                    "(source)".into()
                } else {
                    compiled.join("\n")
                },
            ]
        })
        .collect();
    ui.table(
        &Table::new(
            "releases",
            vec![
                col("name", "Name"),
                col("version", "Version"),
                col("commit_hash", "Commit Hash"),
                col("compiled_for", "Compiled for"),
            ],
            rows,
        )
        .with_notes(&["(+) Uncommitted changes"]),
    );
    Ok(())
}

pub(super) fn stemcells(target: &TargetArgs, ui: &Ui) -> Result<()> {
    let list = target.target()?.stemcells()?;
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                s.version.clone(),
                s.operating_system.clone(),
                crate::size::iec(s.size),
                s.object.clone(),
            ]
        })
        .collect();
    ui.table(&Table::new(
        "stemcells",
        vec![
            col("name", "Name"),
            col("version", "Version"),
            col("os", "OS"),
            col("size", "Size"),
            col("object", "Object"),
        ],
        rows,
    ));
    Ok(())
}

/// `NAME/VERSION` → its parts, with the CLI's message when the slash is missing.
fn slug(s: &str, what: &str, version_required: bool) -> Result<(String, Option<String>)> {
    match s.split_once('/') {
        Some((n, v)) if !n.is_empty() && !v.is_empty() => Ok((n.into(), Some(v.into()))),
        None if !version_required && !s.is_empty() => Ok((s.into(), None)),
        _ => Err(Error::msg(format!(
            "Expected {what} '{s}' to be in format 'name/version'"
        ))),
    }
}

pub(super) fn inspect_release(s: &str, target: &TargetArgs, ui: &Ui) -> Result<()> {
    let (name, version) = slug(s, "release", true)?;
    let version = version.unwrap_or_default();
    let r = target
        .target()?
        .release(&name, &version)?
        .ok_or_else(|| Error::msg(format!("Release '{name}/{version}' does not exist")))?;
    let jobs: Vec<Vec<String>> = r
        .jobs
        .iter()
        .map(|j| {
            vec![
                format!("{}/{}", j.name, j.version),
                j.object.clone(),
                j.sha1.clone(),
            ]
        })
        .collect();
    let packages: Vec<Vec<String>> = r
        .packages
        .iter()
        .map(|p| (p, "(source)".to_string()))
        .chain(
            r.compiled_packages
                .iter()
                .map(|p| (p, p.stemcell.clone().unwrap_or_default())),
        )
        .map(|(p, on)| {
            vec![
                format!("{}/{}", p.name, p.version),
                on,
                p.object.clone(),
                p.sha1.clone(),
            ]
        })
        .collect();
    ui.table(&Table::new(
        "jobs",
        vec![
            col("job", "Job"),
            col("blobstore_id", "Blobstore ID"),
            col("digest", "Digest"),
        ],
        jobs,
    ));
    ui.table(&Table::new(
        "packages",
        vec![
            col("package", "Package"),
            list_col("compiled_for", "Compiled for"),
            col("blobstore_id", "Blobstore ID"),
            col("digest", "Digest"),
        ],
        packages,
    ));
    Ok(())
}

pub(super) fn delete_release(s: &str, target: &TargetArgs, ui: &Ui) -> Result<()> {
    let (name, version) = slug(s, "release", false)?;
    let o = target.target()?.delete_release(&name, version.as_deref())?;
    for d in &o.deleted {
        ui.text(&format!("Deleted release '{d}'"));
    }
    ui.text(&format!(
        "{} object(s) no longer used were removed",
        o.objects_deleted
    ));
    Ok(())
}

pub(super) fn delete_stemcell(s: &str, target: &TargetArgs, ui: &Ui) -> Result<()> {
    let (name, version) = slug(s, "stemcell", true)?;
    let version = version.unwrap_or_default();
    target.target()?.delete_stemcell(&name, &version)?;
    ui.text(&format!("Deleted stemcell '{name}/{version}'"));
    Ok(())
}
