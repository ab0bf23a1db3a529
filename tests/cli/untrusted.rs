//! Releases and configuration written by someone else: a `config/blobs.yml` key or a job
//! spec's `templates:` entry that names a path outside its directory is refused by every
//! command, with a message naming the entry, and nothing outside the release (or `--out`)
//! is read, written or deleted. Each test snapshots its whole scratch dir (every path there
//! is outside the release except the release itself) and compares after each attack.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::support::{copy_tree, run, testdata, text};

/// Every file, dir and symlink under `root` (but `home/`, the commands' private caches),
/// with file contents and link targets.
pub(crate) fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.path() != root.join("home"))
    {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
        let v = if e.path_is_symlink() {
            fs::read_link(e.path())
                .unwrap()
                .into_os_string()
                .into_encoded_bytes()
        } else if e.file_type().is_file() {
            fs::read(e.path()).unwrap()
        } else {
            b"<dir>".to_vec()
        };
        out.insert(rel, v);
    }
    out
}

pub(crate) fn assert_unchanged(before: &BTreeMap<PathBuf, Vec<u8>>, root: &Path, what: &str) {
    let after = snapshot(root);
    let changed: Vec<_> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(changed.is_empty(), "{what} changed {changed:?}");
}

pub(crate) fn refused(o: &std::process::Output, what: &str, needles: &[&str]) {
    let out = text(o);
    assert!(!o.status.success(), "{what} succeeded:\n{out}");
    for n in needles {
        assert!(out.contains(n), "{what}: expected '{n}' in:\n{out}");
    }
}

/// A release with a local blobstore in `t/store`, one blob added and uploaded.
pub(crate) fn uploaded_release(t: &Path) -> PathBuf {
    let home = t.join("home");
    let r = t.join("release");
    let o = run(t, &home, &["init-release", "--dir", r.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    fs::write(
        r.join("config/final.yml"),
        format!(
            "---\nname: blobby\nblobstore:\n  provider: local\n  options:\n    blobstore_path: {}\n",
            t.join("store").display()
        ),
    )
    .unwrap();
    let src = t.join("src.bin");
    fs::write(&src, b"blob bytes\n").unwrap();
    for args in [
        &["add-blob", src.to_str().unwrap(), "dir/blob.bin"][..],
        &["upload-blobs"][..],
    ] {
        let o = run(&r, &home, args);
        assert!(o.status.success(), "{}", text(&o));
    }
    r
}

#[test]
fn blobs_yml_keys_outside_blobs_dir_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let t = &fs::canonicalize(t.path()).unwrap();
    let home = t.join("home");
    let r = uploaded_release(t);
    let good = fs::read_to_string(r.join("config/blobs.yml")).unwrap();
    assert!(good.contains("object_id"), "{good}");
    // what an escaping key would hit
    fs::write(t.join("x"), b"precious\n").unwrap();
    fs::create_dir_all(t.join("abs")).unwrap();
    fs::write(t.join("abs/x"), b"precious too\n").unwrap();
    fs::write(t.join("victim"), b"do not delete\n").unwrap();

    let scratch_abs = t.join("abs/x").display().to_string();
    for key in ["../../x", scratch_abs.as_str(), "dir//../../x"] {
        fs::write(
            r.join("config/blobs.yml"),
            good.replacen("dir/blob.bin:", &format!("{key}:"), 1),
        )
        .unwrap();
        // the blob must be fetched: nothing is in blobs/
        let _ = fs::remove_dir_all(r.join("blobs"));
        let before = snapshot(t);
        let o = run(&r, &home, &["sync-blobs"]);
        refused(
            &o,
            &format!("sync-blobs with key {key}"),
            &["config/blobs.yml", &format!("blob path '{key}'")],
        );
        assert_unchanged(&before, t, &format!("sync-blobs with key {key}"));

        // a key never uploaded: upload-blobs must not read the host file it names
        let pending = good
            .replacen("dir/blob.bin:", &format!("{key}:"), 1)
            .lines()
            .filter(|l| !l.contains("object_id"))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n";
        fs::write(r.join("config/blobs.yml"), pending).unwrap();
        let before = snapshot(t);
        let o = run(&r, &home, &["upload-blobs"]);
        refused(
            &o,
            &format!("upload-blobs with key {key}"),
            &[&format!("blob path '{key}'")],
        );
        assert_unchanged(&before, t, &format!("upload-blobs with key {key}"));
    }

    // remove-blob of a path outside blobs/ deletes nothing and keeps blobs.yml
    fs::write(r.join("config/blobs.yml"), &good).unwrap();
    let victim_abs = t.join("victim").display().to_string();
    for arg in [
        "../../victim",
        "../victim",
        victim_abs.as_str(),
        "dir/../../../victim",
    ] {
        let before = snapshot(t);
        let o = run(&r, &home, &["remove-blob", arg]);
        refused(&o, &format!("remove-blob {arg}"), &["Invalid blob path"]);
        assert_unchanged(&before, t, &format!("remove-blob {arg}"));
    }

    // and the normal flow still works: sync fetches the blob, remove-blob removes it
    let o = run(&r, &home, &["sync-blobs"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        fs::read(r.join("blobs/dir/blob.bin")).unwrap(),
        b"blob bytes\n"
    );
    let o = run(&r, &home, &["remove-blob", "dir/blob.bin"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!r.join("blobs/dir/blob.bin").exists());
    assert_eq!(fs::read(t.join("victim")).unwrap(), b"do not delete\n");
}

#[test]
fn blobs_are_not_read_or_written_through_a_symlink_in_blobs_dir() {
    let t = tempfile::tempdir().unwrap();
    let t = &fs::canonicalize(t.path()).unwrap();
    let r = uploaded_release(t);
    let good = fs::read_to_string(r.join("config/blobs.yml")).unwrap();
    let pending: String = good
        .lines()
        .filter(|l| !l.contains("object_id"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(r.join("config/blobs.yml"), pending).unwrap();
    // the same bytes elsewhere on the host, reached through a symlinked directory
    fs::create_dir_all(t.join("host")).unwrap();
    fs::write(t.join("host/blob.bin"), b"blob bytes\n").unwrap();
    fs::remove_dir_all(r.join("blobs/dir")).unwrap();
    std::os::unix::fs::symlink(t.join("host"), r.join("blobs/dir")).unwrap();
    let before = snapshot(t);
    let o = run(&r, &t.join("home"), &["upload-blobs"]);
    refused(&o, "upload-blobs through a symlink", &["is a symlink"]);
    assert_unchanged(&before, t, "upload-blobs through a symlink");
    // nor does add-blob write through it
    let o = run(
        &r,
        &t.join("home"),
        &[
            "add-blob",
            t.join("src.bin").to_str().unwrap(),
            "dir/new.bin",
        ],
    );
    refused(&o, "add-blob through a symlink", &["does not follow"]);
    assert_unchanged(&before, t, "add-blob through a symlink");
}

#[test]
fn bad_object_id_in_blobs_yml_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let t = &fs::canonicalize(t.path()).unwrap();
    let r = uploaded_release(t);
    let good = fs::read_to_string(r.join("config/blobs.yml")).unwrap();
    let id = good
        .lines()
        .find_map(|l| l.trim().strip_prefix("object_id: "))
        .unwrap()
        .to_string();
    fs::write(
        r.join("config/blobs.yml"),
        good.replace(&id, "../../../etc/hostname"),
    )
    .unwrap();
    let _ = fs::remove_dir_all(r.join("blobs"));
    let before = snapshot(t);
    let o = run(&r, &t.join("home"), &["sync-blobs"]);
    refused(&o, "sync-blobs", &["object_id '../../../etc/hostname'"]);
    assert_unchanged(&before, t, "sync-blobs with a climbing object id");
}

/// The demo release with its `web` job's spec `templates:` map replaced.
fn release_with_templates(t: &Path, templates: &str) -> PathBuf {
    let r = t.join("demo");
    let _ = fs::remove_dir_all(&r);
    copy_tree(&testdata().join("demo-release"), &r);
    for d in ["dev_releases", ".dev_builds"] {
        let _ = fs::remove_dir_all(r.join(d));
    }
    let spec = fs::read_to_string(r.join("jobs/web/spec")).unwrap();
    let spec = spec.replace(
        "  ctl.erb: bin/ctl\n  nginx.conf.erb: config/nginx.conf\n",
        templates,
    );
    fs::write(r.join("jobs/web/spec"), spec).unwrap();
    r
}

/// Rewrites `jobs/web.tgz` in a release tarball with `f` applied to its `job.MF`, and
/// records the new archive digest in release.MF, so only the spec's content is wrong.
fn tarball_with_job_mf(good: &Path, bad: &Path, f: impl Fn(&str) -> String) {
    let read = |p: &Path| -> Vec<(tar::Header, Vec<u8>)> {
        let mut a = tar::Archive::new(flate2::read::GzDecoder::new(fs::File::open(p).unwrap()));
        a.entries()
            .unwrap()
            .map(|e| {
                let mut e = e.unwrap();
                let mut v = Vec::new();
                e.read_to_end(&mut v).unwrap();
                (e.header().clone(), v)
            })
            .collect()
    };
    let pack = |es: &[(tar::Header, Vec<u8>)]| -> Vec<u8> {
        let mut out = Vec::new();
        let gz = flate2::write::GzEncoder::new(&mut out, flate2::Compression::fast());
        let mut b = tar::Builder::new(gz);
        for (h, d) in es {
            let mut h = h.clone();
            h.set_size(d.len() as u64);
            h.set_cksum();
            b.append(&h, &d[..]).unwrap();
        }
        b.into_inner().unwrap().finish().unwrap();
        out
    };
    let mut outer = read(good);
    let job_i = outer
        .iter()
        .position(|(h, _)| h.path_bytes().as_ref() == b"jobs/web.tgz")
        .unwrap();
    let tmp = bad.with_extension("job.tgz");
    fs::write(&tmp, &outer[job_i].1).unwrap();
    let mut inner = read(&tmp);
    fs::remove_file(&tmp).unwrap();
    for (h, d) in &mut inner {
        if h.path_bytes().ends_with(b"job.MF") {
            *d = f(&String::from_utf8(d.clone()).unwrap()).into_bytes();
        }
    }
    let job = pack(&inner);
    let old = {
        use sha2::Digest;
        let hex = |b: &[u8]| -> String {
            sha2::Sha256::digest(b)
                .iter()
                .map(|x| format!("{x:02x}"))
                .collect()
        };
        (hex(&outer[job_i].1), hex(&job))
    };
    outer[job_i].1 = job;
    for (h, d) in &mut outer {
        if h.path_bytes().as_ref() == b"release.MF" {
            *d = String::from_utf8(d.clone())
                .unwrap()
                .replace(&old.0, &old.1)
                .into_bytes();
        }
    }
    fs::write(bad, pack(&outer)).unwrap();
}

#[test]
fn job_templates_outside_the_job_are_refused_everywhere() {
    let t = tempfile::tempdir().unwrap();
    let t = &fs::canonicalize(t.path()).unwrap();
    let home = t.join("home");
    // a good tarball to tamper with, built before the spec is broken
    let r = release_with_templates(
        t,
        "  ctl.erb: bin/ctl\n  nginx.conf.erb: config/nginx.conf\n",
    );
    let good_tgz = t.join("good.tgz");
    let o = run(
        &r,
        &home,
        &[
            "create-release",
            "--force",
            "--tarball",
            good_tgz.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    fs::create_dir_all(t.join("work")).unwrap();
    fs::write(t.join("x"), b"precious\n").unwrap();
    fs::create_dir_all(t.join("abs")).unwrap();
    // a host file a template source could name: rendering it would print SECRET
    fs::write(t.join("secret.erb"), b"SECRET <%= 1 + 1 %>\n").unwrap();

    let scratch_abs = t.join("abs/x").display().to_string();
    // (templates map, the entry the message must name)
    // absolute paths point into the scratch dir: a regression is seen, not done to the host
    let attacks: Vec<(String, String)> = vec![
        (
            format!("  ctl.erb: {scratch_abs}\n"),
            format!("templates entry 'ctl.erb': destination '{scratch_abs}' is absolute"),
        ),
        (
            // from work/out, ../../x is the scratch dir's x
            "  ctl.erb: ../../x\n".into(),
            "templates entry 'ctl.erb': destination '../../x' has a '..' segment".into(),
        ),
        (
            // from demo/jobs/web/templates, this is the scratch dir's secret.erb
            "  ../../../../secret.erb: bin/ctl\n".into(),
            "templates entry '../../../../secret.erb' has a '..' segment".into(),
        ),
        (
            "  ../../../../etc/hostname: bin/ctl\n".into(),
            "templates entry '../../../../etc/hostname' has a '..' segment".into(),
        ),
    ];
    for (templates, named) in &attacks {
        let r = release_with_templates(t, templates);
        let bad_tgz = t.join("bad.tgz");
        tarball_with_job_mf(&good_tgz, &bad_tgz, |mf| {
            mf.replace(
                "  ctl.erb: bin/ctl\n  nginx.conf.erb: config/nginx.conf\n",
                templates,
            )
        });
        let out = t.join("work/out");
        let out_s = out.to_str().unwrap();
        let job_dir = r.join("jobs/web");
        let bad_s = bad_tgz.to_str().unwrap();
        let r_s = r.to_str().unwrap();
        let renders: [(&str, Vec<&str>); 3] = [
            (
                "job dir",
                vec![
                    "render",
                    "--job-dir",
                    job_dir.to_str().unwrap(),
                    "--out",
                    out_s,
                ],
            ),
            (
                "release dir",
                vec!["render", "--release", r_s, "--job", "web", "--out", out_s],
            ),
            (
                "release tarball",
                vec!["render", "--release", bad_s, "--job", "web", "--out", out_s],
            ),
        ];
        for (from, args) in &renders {
            let what = format!("render from a {from} with {templates:?}");
            let before = snapshot(t);
            let o = run(&t.join("work"), &home, args);
            refused(&o, &what, &[named]);
            assert!(!text(&o).contains("SECRET"), "{what}: {}", text(&o));
            assert_eq!(o.status.code(), Some(2), "{what}");
            assert_unchanged(&before, t, &what);
            // without --out nothing is printed from a host file either
            let o = run(&t.join("work"), &home, &args[..args.len() - 2]);
            refused(&o, &what, &[named]);
            assert!(!text(&o).contains("SECRET"), "{what}: {}", text(&o));
        }

        let what = format!("lint-templates with {templates:?}");
        let before = snapshot(t);
        for target in [r_s, bad_s] {
            let o = run(t, &home, &["lint-templates", target]);
            refused(&o, &what, &[named, "web"]);
            assert_eq!(o.status.code(), Some(1), "{what}: {}", text(&o));
        }
        assert_unchanged(&before, t, &what);

        let what = format!("verify with {templates:?}");
        for target in [r_s, bad_s] {
            let o = run(t, &home, &["verify", target]);
            refused(&o, &what, &[named]);
        }
        let o = run(t, &home, &["verify", "--json", bad_s]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let f = &v["reports"][0]["findings"];
        assert!(
            f.as_array()
                .unwrap()
                .iter()
                .any(|f| f["entry"] == "jobs/web.tgz job.MF"
                    && f["actual"].as_str().unwrap().contains(named.as_str())),
            "{what}: {f}"
        );
        assert_unchanged(&before, t, &what);

        let what = format!("create-release with {templates:?}");
        let tgz = t.join("made.tgz");
        let o = run(
            &r,
            &home,
            &[
                "create-release",
                "--force",
                "--tarball",
                tgz.to_str().unwrap(),
            ],
        );
        refused(&o, &what, &[named, "jobs/web/spec"]);
        assert_unchanged(&before, t, &what);
    }
}

#[test]
fn render_out_does_not_follow_a_symlink_inside_it() {
    let t = tempfile::tempdir().unwrap();
    let t = &fs::canonicalize(t.path()).unwrap();
    let r = release_with_templates(
        t,
        "  ctl.erb: bin/ctl\n  nginx.conf.erb: config/nginx.conf\n",
    );
    let out = t.join("out");
    fs::create_dir_all(&out).unwrap();
    fs::create_dir_all(t.join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(t.join("elsewhere"), out.join("config")).unwrap();
    let before = snapshot(t);
    let o = run(
        t,
        &t.join("home"),
        &[
            "render",
            "--release",
            r.to_str().unwrap(),
            "--job",
            "web",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    refused(&o, "render into a symlinked dir", &["does not follow"]);
    // monit and bin/ctl may have been written inside out/; elsewhere/ stays empty
    assert_eq!(fs::read_dir(t.join("elsewhere")).unwrap().count(), 0);
    let after = snapshot(t);
    for (k, v) in &before {
        assert_eq!(after.get(k), Some(v), "{k:?} changed");
    }
    assert!(after
        .keys()
        .all(|k| before.contains_key(k) || k.starts_with("out")));
}

/// Real job specs write `templates:` keys the way Go cleans them (`./bin/ctl.erb`,
/// `conf//app.yml.erb`): they are accepted, archived and fingerprinted as the `bosh` CLI
/// does (`testdata/dotted-templates/expected.txt` was recorded with it by `regen.sh`), and
/// rendered to the cleaned destination.
#[test]
fn dotted_template_keys_build_as_the_cli_builds_them() {
    let t = tempfile::tempdir().unwrap();
    let t = &fs::canonicalize(t.path()).unwrap();
    let home = t.join("home");
    let r = t.join("rel");
    copy_tree(&testdata().join("dotted-templates/release"), &r);
    let expected = fs::read_to_string(testdata().join("dotted-templates/expected.txt")).unwrap();
    let tgz = t.join("r.tgz");
    let o = run(
        &r,
        &home,
        &[
            "create-release",
            "--force",
            "--tarball",
            tgz.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let mf = fs::read_to_string(r.join("dev_releases/dotted/dotted-0+dev.1.yml")).unwrap();
    let fp = expected.lines().next().unwrap();
    assert!(mf.contains(&format!("  {fp}\n")), "want {fp} in:\n{mf}");

    let mut outer = tar::Archive::new(flate2::read::GzDecoder::new(fs::File::open(&tgz).unwrap()));
    let mut job = Vec::new();
    for e in outer.entries().unwrap() {
        let mut e = e.unwrap();
        if e.path()
            .unwrap()
            .to_string_lossy()
            .ends_with("jobs/dotted.tgz")
        {
            e.read_to_end(&mut job).unwrap();
        }
    }
    let mut names: Vec<String> = tar::Archive::new(flate2::read::GzDecoder::new(&job[..]))
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
        .map(|n| {
            if n.starts_with("./") {
                n
            } else {
                format!("./{n}")
            }
        })
        .collect();
    names.sort();
    let want: Vec<&str> = expected.lines().skip(1).collect();
    let got: Vec<&str> = names.iter().map(|n| n.trim_end_matches('/')).collect();
    let want: Vec<&str> = want.iter().map(|n| n.trim_end_matches('/')).collect();
    assert_eq!(got, want);

    for args in [
        &["verify", tgz.to_str().unwrap()][..],
        &["render", "--job-dir", "jobs/dotted", "--out", "out"][..],
    ] {
        let o = run(&r, &home, args);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
    }
    assert!(r.join("out/bin/ctl").is_file());
    assert!(r.join("out/config/app.yml").is_file());
    assert!(r.join("out/plain").is_file());
}
