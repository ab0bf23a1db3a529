//! `create-stemcell`: a stemcell tarball from an image file, or from a root filesystem
//! directory packed as the image of a warden/docker-style stemcell. Deterministic.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::manifest::StemcellManifest;
use crate::archive::{self, Entry, EntrySource, TarWriter};
use crate::atomic::AtomicFile;
use crate::digest::{Algo, Digest, HashingWriter};
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub enum ImageSource {
    /// An IaaS image used as it is (empty for a light stemcell).
    File(PathBuf),
    /// A root filesystem, packed as a gzip tar (`warden-tar`, usable with `docker import`).
    RootFs(PathBuf),
}

#[derive(Debug, Clone)]
pub struct CreateStemcellOptions {
    pub image: ImageSource,
    pub name: String,
    pub version: String,
    pub os: String,
    pub api_version: Option<u64>,
    pub cloud_properties: Option<String>,
    pub formats: Vec<String>,
}

pub fn create(opts: &CreateStemcellOptions, dest: &Path) -> Result<StemcellManifest> {
    let tmp_image;
    let (image, sha1) = match &opts.image {
        ImageSource::File(p) => (
            p.clone(),
            Digest::of_file(Algo::Sha1, p).map_err(|e| Error::io("open", p, &e))?,
        ),
        ImageSource::RootFs(dir) => {
            tmp_image = tempfile::NamedTempFile::new()
                .map_err(|e| Error::msg(format!("temp file: {e}")))?;
            let d = pack_rootfs(dir, tmp_image.path())?;
            (tmp_image.path().to_path_buf(), d)
        }
    };
    let mut m = Map::new();
    m.insert("name".into(), Value::String(opts.name.clone()));
    m.insert("version".into(), Value::String(opts.version.clone()));
    m.insert("operating_system".into(), Value::String(opts.os.clone()));
    m.insert("sha1".into(), Value::String(sha1.to_string()));
    m.insert("bosh_protocol".into(), Value::String("1".into()));
    let formats = if opts.formats.is_empty() && matches!(opts.image, ImageSource::RootFs(_)) {
        vec!["warden-tar".to_string()]
    } else {
        opts.formats.clone()
    };
    m.insert(
        "stemcell_formats".into(),
        Value::Array(formats.into_iter().map(Value::String).collect()),
    );
    if let Some(a) = opts.api_version {
        m.insert("api_version".into(), Value::from(a));
    }
    let cloud = match &opts.cloud_properties {
        Some(cp) => {
            match crate::manifest::yaml::from_str::<Value>(Path::new("--cloud-properties"), cp)? {
                Value::Object(o) => Value::Object(o),
                _ => return Err(Error::msg("--cloud-properties must be a YAML map")),
            }
        }
        None => Value::Object(Map::new()),
    };
    m.insert("cloud_properties".into(), cloud);
    let manifest = StemcellManifest(m);
    let mut out = AtomicFile::create(dest)?;
    {
        let buf = io::BufWriter::with_capacity(1 << 20, &mut out);
        let werr = |e: io::Error| Error::io("write", dest, &e);
        let mut tar = TarWriter::new(buf, Some(archive::DEFAULT_LEVEL), false).map_err(werr)?;
        tar.append(&Entry {
            path: "stemcell.MF".into(),
            mode: 0o644,
            source: EntrySource::Bytes(manifest.to_yaml().into_bytes()),
        })
        .map_err(werr)?;
        tar.append(&Entry {
            path: "image".into(),
            mode: 0o644,
            source: EntrySource::File(image),
        })
        .map_err(werr)?;
        let mut buf = tar.finish().map_err(werr)?;
        buf.flush().map_err(werr)?;
    }
    out.commit_unsynced()?;
    Ok(manifest)
}

/// Packs a root filesystem (`./` entries, sorted, owners root) and returns the SHA-1 of the
/// packed bytes.
fn pack_rootfs(dir: &Path, out: &Path) -> Result<Digest> {
    let f = fs::File::create(out).map_err(|e| Error::io("create", out, &e))?;
    let hashing = HashingWriter::new(io::BufWriter::with_capacity(1 << 20, f), Algo::Sha1);
    let werr = |e: io::Error| Error::io("write", out, &e);
    let mut tar = TarWriter::new(hashing, Some(archive::DEFAULT_LEVEL), true).map_err(werr)?;
    tar.append(&Entry {
        path: String::new(),
        mode: 0o755,
        source: EntrySource::Dir,
    })
    .map_err(werr)?;
    for e in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let e =
            e.map_err(|e| Error::msg(format!("reading root filesystem {}: {e}", dir.display())))?;
        let rel = e
            .path()
            .strip_prefix(dir)
            .expect("under root")
            .to_string_lossy()
            .into_owned();
        let meta =
            fs::symlink_metadata(e.path()).map_err(|err| Error::io("lstat", e.path(), &err))?;
        let ft = meta.file_type();
        let mode = meta.permissions().mode() & 0o7777;
        let source = if ft.is_dir() {
            EntrySource::Dir
        } else if ft.is_symlink() {
            EntrySource::Symlink(
                fs::read_link(e.path()).map_err(|err| Error::io("readlink", e.path(), &err))?,
            )
        } else if ft.is_file() {
            EntrySource::File(e.path().to_path_buf())
        } else {
            let what = if ft.is_char_device() || ft.is_block_device() {
                "a device file"
            } else {
                "a socket or FIFO"
            };
            return Err(Error::msg(format!(
                "'{}' is {what}; a stemcell root filesystem may hold only files, directories and symlinks (create /dev entries at boot)",
                e.path().display()
            )));
        };
        tar.append(&Entry {
            path: rel,
            mode,
            source,
        })
        .map_err(|err| Error::io("archiving", e.path(), &err))?;
    }
    let hashing = tar.finish().map_err(werr)?;
    let (mut buf, digest, _) = hashing.finish();
    buf.flush().map_err(werr)?;
    Ok(digest)
}
