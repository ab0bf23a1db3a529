//! Dispatch: each command of [`Command`] run over the library, its results handed to the
//! [`Ui`]. Commands that print their own way (render, lint-templates, interpolate,
//! completion, man) are run from `main` before a `Ui` exists.

use super::*;

pub(super) fn run(cli: &Cli, ui: &Ui) -> Result<()> {
    let report = |s: &str| ui.line(s);
    match &cli.command {
        Command::InitRelease { dir, git } => generate::init_release(&dir.dir, *git)?,
        Command::GenerateJob { name, dir } => generate::generate_job(&dir.dir, name)?,
        Command::GeneratePackage { name, dir } => generate::generate_package(&dir.dir, name)?,
        Command::CreateRelease(a) => create_release(a, cli.parallel.filter(|n| *n > 0), ui)?,
        Command::FinalizeRelease {
            path,
            dir,
            name,
            version,
            force,
        } => {
            let s = finalize::finalize(
                &finalize::FinalizeOptions {
                    dir: dir.dir.clone(),
                    tarball: path.clone(),
                    name: name.clone(),
                    version: version.clone(),
                    force: *force,
                    parallel: cli.parallel.filter(|n| *n > 0).unwrap_or(5),
                },
                &|p: crate::progress::Progress| ui.progress(p),
            )?;
            // The CLI shows no archive here: the tarball named on the command line is read.
            show_summary(ui, &release::Summary { archive: None, ..s });
        }
        Command::ResetRelease { dir } => generate::reset_release(&dir.dir)?,
        Command::InspectLocalRelease { path } => {
            let t = open::open(path, false)?;
            show_summary(
                ui,
                &release::Summary {
                    manifest: t.manifest,
                    archive: Some(path.clone()),
                },
            );
        }
        Command::VendorPackage {
            package,
            src_dir,
            dir,
            prefix,
        } => {
            let names = release::vendor::vendor(
                &release::vendor::VendorOptions {
                    dir: &dir.dir,
                    src_dir,
                    package,
                    prefix: prefix.as_deref(),
                },
                &report,
            )?;
            for n in names {
                ui.say(&format!("Vendored package '{n}'"));
            }
        }
        Command::Sha1ifyRelease { path, destination } => {
            let s = release::redigest::redigest(path, destination, crate::digest::Algo::Sha1)?;
            show_summary(ui, &s);
        }
        Command::Sha2ifyRelease { path, destination } => {
            let s = release::redigest::redigest(path, destination, crate::digest::Algo::Sha256)?;
            show_summary(ui, &s);
        }
        Command::CompileRelease(a) => compile::compile_release(a, ui)?,
        Command::RenderDeployment(a) => deployment::render_deployment(a, ui)?,
        Command::LintManifest(a) => deployment::lint_manifest(a, ui)?,
        Command::Render(_)
        | Command::LintTemplates(_)
        | Command::Interpolate(_)
        | Command::DiffRender(_)
        | Command::Completion(_)
        | Command::Man(_) => unreachable!("handled in main"),
        Command::Verify { paths } => {
            ui.own_command("verify");
            let reports = paths
                .iter()
                .map(|p| crate::verify::verify(p))
                .collect::<Result<Vec<_>>>()?;
            let failed = reports.iter().filter(|r| !r.ok()).count();
            ui.document(serde_json::json!({ "reports": to_json(&reports) }));
            for r in &reports {
                ui.text(&verify_text(r));
            }
            if failed > 0 {
                return Err(crate::error::Error::msg(format!(
                    "{failed} of {} artifacts failed verification",
                    reports.len()
                )));
            }
        }
        Command::InspectLocalStemcell { path } => {
            let row = crate::stemcell::inspect(path)?;
            ui.table(&table::Table::new(
                "stemcell-metadata",
                vec![
                    table::col("name", "Name"),
                    table::col("os", "OS"),
                    table::col("version", "Version"),
                    table::col("infrastructure", "Infrastructure"),
                    table::col("hypervisor", "Hypervisor"),
                ],
                vec![vec![
                    row.name,
                    row.os,
                    row.version,
                    row.infrastructure,
                    row.hypervisor,
                ]],
            ));
        }
        Command::RepackStemcell {
            path_to_stemcell,
            path_to_result,
            name,
            version,
            cloud_properties,
            formats,
            empty_image,
        } => {
            crate::stemcell::repack(
                path_to_stemcell,
                path_to_result,
                &crate::stemcell::RepackOptions {
                    name: name.clone(),
                    version: version.clone(),
                    cloud_properties: cloud_properties.clone(),
                    formats: formats.clone(),
                    empty_image: *empty_image,
                },
            )?;
        }
        Command::CreateStemcell {
            path_to_result,
            image,
            rootfs,
            name,
            version,
            os,
            api_version,
            cloud_properties,
            formats,
        } => {
            ui.own_command("create-stemcell");
            let source = match (image, rootfs) {
                (Some(i), _) => crate::stemcell::ImageSource::File(i.clone()),
                (None, Some(r)) => crate::stemcell::ImageSource::RootFs(r.clone()),
                (None, None) => unreachable!("clap requires --image or --rootfs"),
            };
            let m = crate::stemcell::create(
                &crate::stemcell::CreateStemcellOptions {
                    image: source,
                    name: name.clone(),
                    version: version.clone(),
                    os: os.clone(),
                    api_version: *api_version,
                    cloud_properties: cloud_properties.clone(),
                    formats: formats.clone(),
                },
                path_to_result,
            )?;
            ui.document(serde_json::json!({ "manifest": serde_json::Value::Object(m.0) }));
            ui.text(&format!(
                "Created stemcell '{name}/{version}' at '{}'",
                path_to_result.display()
            ));
        }
        Command::Blobstore {
            command: blobstore::ServeCommand::Serve(a),
        } => {
            ui.own_command("blobstore serve");
            blobstore::serve(a)?
        }
        Command::UploadRelease(a) => blobstore::upload_release(a, ui)?,
        Command::UploadStemcell {
            stemcell,
            fix,
            target,
        } => blobstore::upload_stemcell(stemcell, *fix, target, ui)?,
        Command::Releases { target } => blobstore::releases(target, ui)?,
        Command::Stemcells { target } => blobstore::stemcells(target, ui)?,
        Command::InspectRelease { slug, target } => blobstore::inspect_release(slug, target, ui)?,
        Command::DeleteRelease { slug, target, .. } => blobstore::delete_release(slug, target, ui)?,
        Command::DeleteStemcell { slug, target, .. } => {
            blobstore::delete_stemcell(slug, target, ui)?
        }
        Command::AddBlob {
            path,
            blobs_path,
            dir,
        } => {
            blobs::add(&dir.dir, path, blobs_path)?;
            ui.say(&format!("Added blob '{blobs_path}'"));
        }
        Command::RemoveBlob { blobs_path, dir } => {
            blobs::remove(&dir.dir, blobs_path)?;
            ui.say(&format!("Removed blob '{blobs_path}'"));
        }
        Command::Blobs { dir } => {
            let rows = blobs::list(&dir.dir)?;
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.path.clone(),
                        crate::size::iec(r.size),
                        r.blobstore_id.clone().unwrap_or_else(|| "(local)".into()),
                        r.digest.clone(),
                    ]
                })
                .collect();
            ui.table(&table::Table::new(
                "blobs",
                vec![
                    table::col("path", "Path"),
                    table::col("size", "Size"),
                    table::col("blobstore_id", "Blobstore ID"),
                    table::col("digest", "Digest"),
                ],
                cells,
            ));
        }
        Command::SyncBlobs { dir } => {
            let report = |p: blobs::Progress| ui.progress(p);
            blobs::sync(&dir.dir, cli.parallel.unwrap_or(5), &report)
                .map_err(|e| e.context("Downloading blobs"))?;
        }
        Command::UploadBlobs { dir } => {
            let report = |p: blobs::Progress| ui.progress(p);
            blobs::upload(&dir.dir, cli.parallel.unwrap_or(5), &report)?;
        }
    }
    Ok(())
}
