//! Stemcell tarballs: read (one streaming pass), inspect, verify, repack and create
//! (spec: stemcell.md). Unlike the CLI, bale never extracts a stemcell to read it, keeps
//! unknown `stemcell.MF` fields on repack, and keeps `sha1` true to the image.

pub mod manifest;

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::archive::{
    self, Entry, EntryInfo, EntryKind, EntrySource, EntryVisitor, TarWriter, VisitError,
};
use crate::atomic::AtomicFile;
use crate::digest::{Algo, Digest};
use crate::error::{Error, Result};
use manifest::StemcellManifest;

/// What a repack refuses to carry over from the stemcell it reads.
#[derive(Debug, thiserror::Error)]
pub enum RepackError {
    #[error("hard link '{0}' in a stemcell is not supported")]
    Hardlink(String),
}

/// What one pass over a stemcell tarball learns.
pub struct Scan {
    pub manifest: Option<StemcellManifest>,
    pub manifest_error: Option<String>,
    /// SHA-1 of `image`, and its size, when there is one.
    pub image: Option<(Digest, u64)>,
    pub entries: Vec<EntryInfo>,
}

/// Collects a [`Scan`] from entries fed to it; usable inside another visitor's pass.
pub struct Scanner {
    path: PathBuf,
    scan: Scan,
}

impl Scanner {
    pub fn new(path: &Path) -> Scanner {
        Scanner {
            path: path.to_path_buf(),
            scan: Scan {
                manifest: None,
                manifest_error: None,
                image: None,
                entries: Vec::new(),
            },
        }
    }

    pub fn finish(self) -> Scan {
        self.scan
    }
}

impl EntryVisitor for Scanner {
    fn entry(
        &mut self,
        info: &EntryInfo,
        data: &mut dyn Read,
    ) -> std::result::Result<(), VisitError> {
        self.scan.entries.push(info.clone());
        if info.kind != EntryKind::File {
            return Ok(());
        }
        match info.name.as_str() {
            "stemcell.MF" => {
                let text = crate::manifest::yaml::read_capped(
                    data,
                    &self.path.join("stemcell.MF"),
                    crate::manifest::yaml::MAX_SPEC_BYTES,
                )
                .map_err(VisitError::refuse)?;
                match StemcellManifest::parse(&self.path.join("stemcell.MF"), &text) {
                    Ok(m) => self.scan.manifest = Some(m),
                    Err(e) => self.scan.manifest_error = Some(e.to_string()),
                }
            }
            "image" => {
                self.scan.image = Some(Digest::of_reader(Algo::Sha1, data)?);
            }
            _ => {}
        }
        Ok(())
    }
}

pub fn scan(path: &Path) -> Result<Scan> {
    let mut s = Scanner::new(path);
    archive::read_entries(path, &mut s)?;
    Ok(s.finish())
}

/// The stemcell's manifest, or the CLI's message when there is none.
pub fn read_manifest(path: &Path) -> Result<StemcellManifest> {
    let s = scan(path)?;
    if let Some(e) = s.manifest_error {
        return Err(Error::msg(e));
    }
    s.manifest
        .ok_or_else(|| Error::msg("Missing 'stemcell.MF'"))
}

/// One row of `inspect-local-stemcell`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StemcellRow {
    pub name: String,
    pub os: String,
    pub version: String,
    pub infrastructure: String,
    pub hypervisor: String,
}

pub fn inspect(path: &Path) -> Result<StemcellRow> {
    let m = read_manifest(path)?;
    Ok(StemcellRow {
        name: m.str("name").unwrap_or_default(),
        os: m.str("operating_system").unwrap_or_default(),
        version: m.str("version").unwrap_or_default(),
        infrastructure: m
            .cloud_str("infrastructure")
            .unwrap_or_else(|| "unknown".into()),
        hypervisor: m.cloud_str("hypervisor").unwrap_or_else(|| "-".into()),
    })
}

/// Formats the Linux stemcell builders produce (stemcell.md §2).
pub const KNOWN_FORMATS: &[&str] = &[
    "openstack-qcow2",
    "openstack-raw",
    "cloudstack-vhdx",
    "vsphere-ova",
    "vsphere-ovf",
    "vcloud-ova",
    "vcloud-ovf",
    "aws-raw",
    "aws-light",
    "alicloud-raw",
    "alicloud-light",
    "google-rawdisk",
    "google-light",
    "warden-tar",
    "azure-vhd",
    "azure-light",
    "softlayer-ovf",
    "docker",
    "openstack-light",
];

/// Every problem of a scanned stemcell: (what, expected, actual); empty when it is sound.
pub fn problems(s: &Scan) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut bad = |what: &str, want: &str, got: &str| {
        out.push((what.to_string(), want.to_string(), got.to_string()))
    };
    if let Some(e) = &s.manifest_error {
        bad("stemcell.MF", "valid YAML map", e);
        return out;
    }
    let Some(m) = &s.manifest else {
        bad("stemcell.MF", "present", "missing");
        return out;
    };
    let charset = |v: &str| {
        !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_+.".contains(c))
    };
    for key in ["name", "version"] {
        match m.str(key) {
            Some(v) if charset(&v) => {}
            Some(v) => bad(
                &format!("stemcell.MF {key}"),
                "characters [-0-9A-Za-z_+.]",
                &v,
            ),
            None => bad(&format!("stemcell.MF {key}"), "a string", "missing"),
        }
    }
    if let Some(v) = m.0.get("operating_system").filter(|v| !v.is_string()) {
        bad("stemcell.MF operating_system", "a string", &v.to_string());
    }
    if let Some(v) = m.0.get("api_version").filter(|v| !v.is_u64()) {
        bad("stemcell.MF api_version", "an integer", &v.to_string());
    }
    if let Some(v) = m.0.get("cloud_properties").filter(|v| !v.is_object()) {
        bad("stemcell.MF cloud_properties", "a map", &v.to_string());
    }
    match m.0.get("stemcell_formats") {
        None => {}
        Some(Value::Array(a)) => {
            for f in a {
                match f.as_str() {
                    Some(f) if KNOWN_FORMATS.contains(&f) => {}
                    _ => bad(
                        "stemcell.MF stemcell_formats",
                        "a known format",
                        &f.to_string(),
                    ),
                }
            }
        }
        Some(v) => bad("stemcell.MF stemcell_formats", "a list", &v.to_string()),
    }
    if !s
        .entries
        .iter()
        .any(|e| e.name == "image" && e.kind == EntryKind::File)
    {
        bad(
            "image",
            "a regular file (empty for a light stemcell)",
            "missing",
        );
    }
    match (m.str("sha1"), &s.image) {
        (None, _) => bad("stemcell.MF sha1", "the SHA-1 of image", "missing"),
        (Some(want), Some((got, _))) if want != got.to_string() => bad(
            "image",
            &format!("sha1 {want} (stemcell.MF)"),
            &format!("sha1 {got}"),
        ),
        _ => {}
    }
    out
}

/// Flags of `repack-stemcell`, as the CLI names them.
#[derive(Debug, Clone, Default)]
pub struct RepackOptions {
    pub name: Option<String>,
    pub version: Option<String>,
    pub cloud_properties: Option<String>,
    pub formats: Vec<String>,
    pub empty_image: bool,
}

/// Rewrites a stemcell with new metadata. Unknown fields stay; `sha1` always matches the
/// image written (the CLI leaves a heavy image's sha1 on an emptied image).
pub fn repack(src: &Path, dest: &Path, opts: &RepackOptions) -> Result<StemcellManifest> {
    let s = scan(src)?;
    let issues = problems(&s);
    if let Some((what, want, got)) = issues
        .iter()
        .find(|(w, _, _)| w == "image" || w.starts_with("stemcell.MF sha1") || w == "stemcell.MF")
    {
        return Err(Error::msg(format!(
            "Refusing to repack '{}': {what}: expected {want}, found {got}",
            src.display()
        )));
    }
    let mut m = s.manifest.expect("checked by problems");
    if let Some(n) = &opts.name {
        m.set("name", Value::String(n.clone()));
    }
    if let Some(v) = &opts.version {
        m.set("version", Value::String(v.clone()));
    }
    if !opts.formats.is_empty() {
        m.set(
            "stemcell_formats",
            Value::Array(opts.formats.iter().cloned().map(Value::String).collect()),
        );
    }
    if let Some(cp) = &opts.cloud_properties {
        let over: Value = crate::manifest::yaml::from_str(Path::new("--cloud-properties"), cp)?;
        let Value::Object(over) = over else {
            return Err(Error::msg("--cloud-properties must be a YAML map"));
        };
        let mut cur = match m.0.get("cloud_properties") {
            Some(Value::Object(c)) => c.clone(),
            _ => serde_json::Map::new(),
        };
        cur.extend(over);
        m.set("cloud_properties", Value::Object(cur));
    }
    if opts.empty_image {
        m.set(
            "sha1",
            Value::String(Digest::of_bytes(Algo::Sha1, b"").to_string()),
        );
    }
    let mf = m.to_yaml().into_bytes();
    struct Copy<'a, W: io::Write> {
        tar: TarWriter<W>,
        mf: &'a [u8],
        empty_image: bool,
    }
    impl<W: io::Write> EntryVisitor for Copy<'_, W> {
        fn entry(
            &mut self,
            info: &EntryInfo,
            data: &mut dyn Read,
        ) -> std::result::Result<(), VisitError> {
            let w = VisitError::Io;
            match (&info.kind, info.name.as_str()) {
                (EntryKind::File, "stemcell.MF") => self
                    .tar
                    .append(&Entry {
                        path: info.name.clone(),
                        mode: info.mode,
                        source: EntrySource::Bytes(self.mf.to_vec()),
                    })
                    .map_err(w),
                (EntryKind::File, "image") if self.empty_image => self
                    .tar
                    .append(&Entry {
                        path: "image".into(),
                        mode: info.mode,
                        source: EntrySource::Bytes(Vec::new()),
                    })
                    .map_err(w),
                (EntryKind::File, name) => self
                    .tar
                    .append_reader(name, info.mode, info.size, data)
                    .map_err(w),
                (EntryKind::Dir, "") => Ok(()),
                (EntryKind::Dir, name) => self
                    .tar
                    .append(&Entry {
                        path: name.into(),
                        mode: info.mode,
                        source: EntrySource::Dir,
                    })
                    .map_err(w),
                (EntryKind::Symlink(t), name) => self
                    .tar
                    .append(&Entry {
                        path: name.into(),
                        mode: 0o777,
                        source: EntrySource::Symlink(t.into()),
                    })
                    .map_err(w),
                (EntryKind::Hardlink(_), name) => {
                    Err(VisitError::refuse(RepackError::Hardlink(name.to_string())))
                }
            }
        }
    }
    let mut out = AtomicFile::create(dest)?;
    {
        let buf = io::BufWriter::with_capacity(1 << 20, &mut out);
        let mut c = Copy {
            tar: TarWriter::new(buf, Some(archive::DEFAULT_LEVEL), false)
                .map_err(|e| Error::io("write", dest, &e))?,
            mf: &mf,
            empty_image: opts.empty_image,
        };
        archive::read_entries(src, &mut c)?;
        let mut buf = c.tar.finish().map_err(|e| Error::io("write", dest, &e))?;
        io::Write::flush(&mut buf).map_err(|e| Error::io("write", dest, &e))?;
    }
    out.commit_unsynced()?;
    Ok(m)
}

mod create;
pub use create::{create, CreateStemcellOptions, ImageSource};
