//! `create-release`: its options from flags, and its output.

use super::output::Ui;
use super::{show_summary, to_json, CreateArgs};
use crate::blobs;
use crate::digest::Algo;
use crate::error::Result;
use crate::release::{self, CreateOptions, CreateOutcome, ReleaseKind};

pub(super) fn create_release(a: &CreateArgs, parallel: Option<usize>, ui: &Ui) -> Result<()> {
    let report = |p: blobs::Progress| ui.progress(p);
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
        algo: if a.sha1 { Algo::Sha1 } else { Algo::Sha256 },
        parallel: parallel.unwrap_or(5),
    };
    let mut outcome = crate::workflow::create_release(&opts, &report)?;
    if let CreateOutcome::Planned(p) = &outcome {
        let needed = p.needed_blobs();
        if !needed.is_empty() && a.fetch_missing {
            blobs::fetch(&a.dir.dir, &needed, 1, &report)?;
            outcome = release::create(&opts, &report)?;
        }
    }
    match outcome {
        CreateOutcome::Created(s) => show_summary(ui, &s),
        CreateOutcome::Planned(p) => {
            for (kind, i) in p
                .jobs
                .iter()
                .map(|i| ("job", i))
                .chain(p.packages.iter().map(|i| ("package", i)))
                .chain(p.license.iter().map(|i| ("license", i)))
            {
                if let Some(reason) = &i.reason {
                    eprintln!(
                        "Warning: no fingerprint for {kind} '{}': {reason}",
                        i.name.as_deref().unwrap_or("license")
                    );
                }
            }
            // A dry run is bale's own: its JSON is a bale document, not the CLI's envelope.
            ui.own_command("create-release --dry-run");
            if ui.json() {
                ui.document(to_json(&p));
            } else {
                let mut rows = Vec::new();
                let new = |n: Option<bool>| {
                    match n {
                        Some(true) => "new",
                        Some(false) => "built",
                        None => "needs blob",
                    }
                    .to_string()
                };
                let fp = |i: &release::create::PlanItem| i.fingerprint.clone().unwrap_or_default();
                for j in &p.jobs {
                    rows.push(vec![
                        "job".into(),
                        format!("{}/{}", j.name.as_deref().unwrap_or(""), fp(j)),
                        new(j.new),
                    ]);
                }
                for pk in &p.packages {
                    rows.push(vec![
                        "package".into(),
                        format!("{}/{}", pk.name.as_deref().unwrap_or(""), fp(pk)),
                        new(pk.new),
                    ]);
                }
                if let Some(l) = &p.license {
                    rows.push(vec![
                        "license".into(),
                        format!("license/{}", fp(l)),
                        new(l.new),
                    ]);
                }
                ui.text(&format!(
                    "Release '{}/{}' (dry run, nothing written)\n\n{}",
                    p.name,
                    p.version,
                    super::table::aligned(Some(&["Kind", "Name/Fingerprint", "State"]), &rows)
                ));
            }
        }
    }
    Ok(())
}
