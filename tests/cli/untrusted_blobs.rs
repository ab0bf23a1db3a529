//! `blobs/` of a release written by someone else: `blobs` itself, a directory in it or a
//! blob that is a symlink (git keeps symlinks) is never followed by add-blob, sync-blobs,
//! upload-blobs, remove-blob or create-release, so nothing outside the release is read,
//! written or deleted through it. And remove-blob's order: `config/blobs.yml` first.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use super::support::{run, text};
use super::untrusted::{assert_unchanged, refused, snapshot, uploaded_release};

/// Leaves the release's blob record as never uploaded, so upload-blobs reads the file.
fn pending(r: &Path) {
    let good = fs::read_to_string(r.join("config/blobs.yml")).unwrap();
    let pending: String = good
        .lines()
        .filter(|l| !l.contains("object_id"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(r.join("config/blobs.yml"), pending).unwrap();
}

/// A package that packs the blob, so create-release reads `blobs/`.
fn package_using_the_blob(r: &Path) {
    fs::create_dir_all(r.join("packages/pkg")).unwrap();
    fs::write(
        r.join("packages/pkg/spec"),
        "---\nname: pkg\nfiles:\n- dir/blob.bin\n",
    )
    .unwrap();
    fs::write(
        r.join("packages/pkg/packaging"),
        "cp -a dir $BOSH_INSTALL_TARGET\n",
    )
    .unwrap();
}

#[test]
fn a_symlinked_blobs_dir_is_never_followed() {
    let t = tempfile::tempdir().unwrap();
    let t = &fs::canonicalize(t.path()).unwrap();
    let home = t.join("home");
    let r = uploaded_release(t);
    package_using_the_blob(&r);
    let pkg_line = |o: &std::process::Output| {
        assert!(o.status.success(), "{}", text(o));
        text(o)
            .lines()
            .find(|l| l.contains("pkg/"))
            .unwrap()
            .to_string()
    };
    let want = pkg_line(&run(&r, &home, &["create-release", "--dry-run", "--force"]));
    // `blobs` becomes a link to a host directory holding files the release does not track
    let host = t.join("host");
    fs::rename(r.join("blobs"), &host).unwrap();
    fs::write(host.join("precious.txt"), b"not a blob\n").unwrap();
    fs::write(host.join("dir/blob.bin"), b"host secret\n").unwrap();
    symlink(&host, r.join("blobs")).unwrap();
    let src = t.join("src.bin");

    let before = snapshot(t);
    let o = run(&r, &home, &["sync-blobs"]);
    refused(&o, "sync-blobs", &["symlinks found in blobs directory"]);
    assert_unchanged(&before, t, "sync-blobs with a symlinked blobs/");

    let o = run(&r, &home, &["add-blob", src.to_str().unwrap(), "new.bin"]);
    refused(&o, "add-blob", &["does not follow"]);
    assert_unchanged(&before, t, "add-blob with a symlinked blobs/");

    let o = run(&r, &home, &["remove-blob", "dir/blob.bin"]);
    refused(&o, "remove-blob", &["does not follow"]);
    assert_unchanged(&before, t, "remove-blob with a symlinked blobs/");

    let o = run(&r, &home, &["create-release", "--force"]);
    refused(&o, "create-release", &["symlinks found in blobs directory"]);
    assert_unchanged(&before, t, "create-release with a symlinked blobs/");
    // a dry run reads no blob through the link: the package's fingerprint is the one of
    // the blob blobs.yml records, not of the host file
    let o = run(&r, &home, &["create-release", "--dry-run", "--force"]);
    assert_eq!(pkg_line(&o), want);
    assert_unchanged(
        &before,
        t,
        "create-release --dry-run with a symlinked blobs/",
    );

    pending(&r);
    let before = snapshot(t);
    let o = run(&r, &home, &["upload-blobs"]);
    refused(&o, "upload-blobs", &["does not follow"]);
    assert_unchanged(&before, t, "upload-blobs with a symlinked blobs/");
}

#[test]
fn a_blob_swapped_for_a_symlink_is_never_followed() {
    let t = tempfile::tempdir().unwrap();
    let t = &fs::canonicalize(t.path()).unwrap();
    let home = t.join("home");
    let r = uploaded_release(t);
    fs::write(t.join("host-file"), b"blob bytes\n").unwrap();
    fs::remove_file(r.join("blobs/dir/blob.bin")).unwrap();
    symlink(t.join("host-file"), r.join("blobs/dir/blob.bin")).unwrap();

    let before = snapshot(t);
    let o = run(&r, &home, &["sync-blobs"]);
    refused(&o, "sync-blobs", &["symlinks found in blobs directory"]);
    assert_unchanged(&before, t, "sync-blobs over a symlinked blob");

    pending(&r);
    let before = snapshot(t);
    // same bytes as recorded: only the symlink check stands between it and an upload
    let o = run(&r, &home, &["upload-blobs"]);
    refused(&o, "upload-blobs", &["is a symlink", "does not follow"]);
    assert_unchanged(&before, t, "upload-blobs of a symlinked blob");

    // remove-blob removes the link, never what it points to
    let o = run(&r, &home, &["remove-blob", "dir/blob.bin"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(fs::symlink_metadata(r.join("blobs/dir/blob.bin")).is_err());
    assert_eq!(fs::read(t.join("host-file")).unwrap(), b"blob bytes\n");
}

/// remove-blob rewrites `config/blobs.yml` before it deletes the file: when the delete
/// fails (here: the path is a directory), the record is already gone and the file is an
/// untracked leftover that sync-blobs cleans up, never a record naming a lost file.
#[test]
fn remove_blob_forgets_the_record_before_deleting_the_file() {
    let t = tempfile::tempdir().unwrap();
    let t = &fs::canonicalize(t.path()).unwrap();
    let home = t.join("home");
    let r = uploaded_release(t);
    fs::remove_file(r.join("blobs/dir/blob.bin")).unwrap();
    fs::create_dir_all(r.join("blobs/dir/blob.bin")).unwrap();
    fs::write(r.join("blobs/dir/blob.bin/inner"), b"x").unwrap();
    let o = run(&r, &home, &["remove-blob", "dir/blob.bin"]);
    assert!(!o.status.success(), "{}", text(&o));
    let yml = fs::read_to_string(r.join("config/blobs.yml")).unwrap();
    assert!(!yml.contains("dir/blob.bin"), "{yml}");

    // the state a crash between the two steps leaves: no record, the file still there
    fs::remove_dir_all(r.join("blobs/dir/blob.bin")).unwrap();
    fs::write(r.join("blobs/dir/blob.bin"), b"blob bytes\n").unwrap();
    let o = run(&r, &home, &["sync-blobs"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!r.join("blobs/dir/blob.bin").exists());
    let o = run(&r, &home, &["blobs"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("dir/blob.bin"), "{}", text(&o));
}
