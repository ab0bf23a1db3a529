//! `create-release`: its options from flags, the blob sync the CLI does first, and output.

use super::output::{self, Ui};
use super::{show_summary, to_json, CreateArgs};
use crate::blobs;
use crate::error::Result;
use crate::release::{self, CreateOptions, CreateOutcome, ReleaseKind};

pub(super) fn create_release(a: &CreateArgs, ui: &Ui) -> Result<()> {
    let report = |s: &str| ui.line(s);
    if let Some(path) = &a.path {
        let s = release::rebuild::rebuild(&a.dir.dir, path, a.tarball.as_deref())?;
        show_summary(ui, &s);
        return Ok(());
    }
    let opts = CreateOptions {
        dir: a.dir.dir.clone(),
        name: a.name.clone(),
        version: a.version.clone(),
        timestamp_version: a.timestamp_version,
        kind: if a.final_ {
            ReleaseKind::Final
        } else {
            ReleaseKind::Dev
        },
        tarball: a.tarball.clone(),
        force: a.force,
        dry_run: a.dry_run,
        compression_level: a.compression_level,
    };
    if !a.dry_run {
        // Like the CLI, bring blobs/ in line with blobs.yml first, one download at a time.
        blobs::sync(&a.dir.dir, 1, &report)?;
    }
    match release::create(&opts, &report)? {
        CreateOutcome::Created(s) => show_summary(ui, &s),
        CreateOutcome::Planned(p) => {
            if ui.json {
                ui.json(&to_json(&p));
            } else {
                let mut rows = Vec::new();
                let new = |n: bool| if n { "new" } else { "built" }.to_string();
                for j in &p.jobs {
                    rows.push(vec![
                        "job".into(),
                        format!("{}/{}", j.name.as_deref().unwrap_or(""), j.fingerprint),
                        new(j.new),
                    ]);
                }
                for pk in &p.packages {
                    rows.push(vec![
                        "package".into(),
                        format!("{}/{}", pk.name.as_deref().unwrap_or(""), pk.fingerprint),
                        new(pk.new),
                    ]);
                }
                if let Some(l) = &p.license {
                    rows.push(vec![
                        "license".into(),
                        format!("license/{}", l.fingerprint),
                        new(l.new),
                    ]);
                }
                ui.say(&format!(
                    "Release '{}/{}' (dry run, nothing written)\n\n{}",
                    p.name,
                    p.version,
                    output::table(Some(&["Kind", "Name/Fingerprint", "State"]), &rows)
                ));
            }
        }
    }
    Ok(())
}
