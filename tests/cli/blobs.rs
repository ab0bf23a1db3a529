//! Blobs end to end, with the same suite against the `local` provider and a real S3 server
//! (s3s-fs, in the test process) on loopback: upload, sync into a fresh clone, a corrupted object in the
//! store, an interrupted upload resumed, a sync with nothing to do.

use std::fs;
use std::path::{Path, PathBuf};

use super::support::{copy_tree, run, text};

/// A real S3 server (the `s3s-fs` crate: S3 over HTTP, objects as files) serving
/// `root/<bucket>` as a bucket on a loopback port, run by this test process on its own
/// runtime, so the tests need no server installed; stopped on drop.
pub struct S3Server {
    runtime: Option<tokio::runtime::Runtime>,
    pub port: u16,
    root: PathBuf,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

pub fn s3_server(root: &Path) -> S3Server {
    fs::create_dir_all(root.join("blobs-bucket")).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut service = s3s::service::S3ServiceBuilder::new(s3s_fs::FileSystem::new(root).unwrap());
    service.set_auth(s3s::auth::SimpleAuth::from_single("AKBALE", "SKBALE"));
    let service = service.build();
    // s3s-fs checks If-None-Match / If-Match and then writes, with nothing in between held:
    // two conditional PUTs racing can both pass. S3 decides them atomically, so writes are
    // taken one at a time here to give the tests S3's guarantee.
    let writes = std::sync::Arc::new(tokio::sync::Mutex::new(()));
    runtime.spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                continue;
            };
            let service = service.clone();
            let writes = writes.clone();
            let serve = hyper::service::service_fn(move |req: hyper::Request<_>| {
                let service = service.clone();
                let writes = writes.clone();
                async move {
                    let reads = [hyper::Method::GET, hyper::Method::HEAD];
                    let _one_writer = if reads.contains(req.method()) {
                        None
                    } else {
                        Some(writes.lock_owned().await)
                    };
                    hyper::service::Service::call(&service, req).await
                }
            });
            tokio::spawn(async move {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(socket), serve)
                    .await;
            });
        }
    });
    S3Server {
        runtime: Some(runtime),
        port,
        root: root.to_path_buf(),
    }
}

enum Store {
    Local(PathBuf),
    S3(S3Server),
    Dav(super::blobstore::Server),
}

impl Store {
    fn final_yml(&self) -> String {
        match self {
            Store::Local(p) => format!(
                "---\nname: blobby\nblobstore:\n  provider: local\n  options:\n    blobstore_path: {}\n",
                p.display()
            ),
            Store::S3(s) => format!(
                "---\nname: blobby\nblobstore:\n  provider: s3\n  options:\n    bucket_name: blobs-bucket\n    host: 127.0.0.1\n    port: {}\n    use_ssl: false\n    region: us-east-1\n",
                s.port
            ),
            Store::Dav(d) => format!(
                "---\nname: blobby\nblobstore:\n  provider: dav\n  options:\n    endpoint: http://{}\n",
                d.addr
            ),
        }
    }

    fn private_yml(&self) -> Option<&'static str> {
        match self {
            Store::Local(_) => None,
            Store::S3(_) => Some("---\nblobstore:\n  options:\n    access_key_id: AKBALE\n    secret_access_key: SKBALE\n"),
            Store::Dav(_) => Some("---\nblobstore:\n  options:\n    user: director\n    password: dpass\n"),
        }
    }

    fn object(&self, id: &str) -> PathBuf {
        match self {
            Store::Local(p) => p.join(id),
            Store::S3(s) => s.root.join("blobs-bucket").join(id),
            Store::Dav(d) => {
                let oid = bale::blobstore::ObjectId::parse(id).unwrap();
                d.dir
                    .path()
                    .join("store")
                    .join(bale::blobstore::object_path(&oid))
            }
        }
    }

    fn count(&self) -> usize {
        let dir = match self {
            Store::Local(p) => p.clone(),
            Store::S3(s) => s.root.join("blobs-bucket"),
            Store::Dav(d) => {
                return walk(&d.dir.path().join("store"))
                    .iter()
                    .filter(|p| !p.ends_with("registry.redb"))
                    .count()
            }
        };
        fs::read_dir(dir)
            .map(|r| {
                r.filter(|e| {
                    e.as_ref()
                        .is_ok_and(|e| !e.file_name().to_string_lossy().starts_with('.'))
                })
                .count()
            })
            .unwrap_or(0)
    }
}

fn release(t: &Path, store: &Store) -> PathBuf {
    let home = t.join("home");
    let r = t.join("release");
    assert!(
        run(t, &home, &["init-release", "--dir", r.to_str().unwrap()])
            .status
            .success()
    );
    fs::write(r.join("config/final.yml"), store.final_yml()).unwrap();
    if let Some(p) = store.private_yml() {
        fs::write(r.join("config/private.yml"), p).unwrap();
    }
    for i in 0..4u8 {
        let src = t.join(format!("src{i}.bin"));
        fs::write(&src, vec![i; 300_000 + i as usize]).unwrap();
        let o = run(
            &r,
            &home,
            &[
                "add-blob",
                src.to_str().unwrap(),
                &format!("dir/blob{i}.bin"),
            ],
        );
        assert!(o.status.success(), "{}", text(&o));
    }
    r
}

fn object_ids(r: &Path) -> Vec<(String, String)> {
    let yml = fs::read_to_string(r.join("config/blobs.yml")).unwrap();
    let mut out = Vec::new();
    let mut path = String::new();
    for l in yml.lines() {
        if !l.starts_with(' ') {
            path = l.trim_end_matches(':').to_string();
        } else if let Some(id) = l.trim().strip_prefix("object_id: ") {
            out.push((path.clone(), id.to_string()));
        }
    }
    out
}

fn suite(store: Store) {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let r = release(t.path(), &store);

    // An interrupted upload: one blob's local file went bad, the others go up and are
    // recorded; once it is fixed, the rerun uploads only what is missing.
    let good = fs::read(r.join("blobs/dir/blob2.bin")).unwrap();
    fs::write(r.join("blobs/dir/blob2.bin"), vec![9u8; good.len()]).unwrap();
    let o = run(&r, &home, &["upload-blobs", "--parallel", "3"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("dir/blob2.bin") && text(&o).contains("run add-blob again"),
        "{}",
        text(&o)
    );
    assert_eq!(object_ids(&r).len(), 3);
    assert_eq!(store.count(), 3);
    fs::write(r.join("blobs/dir/blob2.bin"), &good).unwrap();
    let o = run(&r, &home, &["upload-blobs"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(object_ids(&r).len(), 4);
    assert_eq!(store.count(), 4);

    // A fresh clone syncs every blob, verified.
    let clone = t.path().join("clone");
    copy_tree(&r, &clone);
    fs::remove_dir_all(clone.join("blobs")).unwrap();
    let o = run(&clone, &home, &["sync-blobs", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    for i in 0..4u8 {
        assert_eq!(
            fs::read(clone.join(format!("blobs/dir/blob{i}.bin"))).unwrap(),
            vec![i; 300_000 + i as usize]
        );
    }

    // A stale local blob is replaced, never used.
    fs::write(clone.join("blobs/dir/blob1.bin"), vec![7u8; 300_001]).unwrap();
    let o = run(&clone, &home, &["sync-blobs", "--tty"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Blob 'dir/blob1.bin' is stale"),
        "{}",
        text(&o)
    );
    assert_eq!(
        fs::read(clone.join("blobs/dir/blob1.bin")).unwrap(),
        vec![1u8; 300_001]
    );

    // A corrupted object in the store: sync fails naming the blob and writes nothing.
    let (path, id) = object_ids(&r)
        .into_iter()
        .find(|(p, _)| p == "dir/blob3.bin")
        .unwrap();
    fs::write(store.object(&id), b"tampered").unwrap();
    let fresh = t.path().join("fresh");
    copy_tree(&r, &fresh);
    fs::remove_dir_all(fresh.join("blobs")).unwrap();
    let o = run(&fresh, &home, &["sync-blobs"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains(&path)
            && text(&o).contains(&format!("Checking downloaded blob '{id}'"))
            && text(&o).contains("Expected stream to have digest 'sha256:"),
        "{}",
        text(&o)
    );
    assert!(!fresh.join("blobs/dir/blob3.bin").exists());
    let leftovers: Vec<_> = walk(&fresh.join("blobs"))
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".bale-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A missing object is a hard error too.
    fs::remove_file(store.object(&id)).unwrap();
    let o = run(&fresh, &home, &["sync-blobs"]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains(&id), "{}", text(&o));
}

fn walk(d: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    if let Ok(rd) = fs::read_dir(d) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                v.extend(walk(&p));
            } else {
                v.push(p);
            }
        }
    }
    v
}

#[test]
fn local_provider() {
    let t = tempfile::tempdir().unwrap();
    suite(Store::Local(t.path().join("store")));
}

#[test]
fn s3_provider() {
    let t = tempfile::tempdir().unwrap();
    suite(Store::S3(s3_server(&t.path().join("s3root"))));
}

#[test]
fn dav_provider_against_bale_blobstore() {
    suite(Store::Dav(super::blobstore::server()));
}

#[test]
fn s3_errors_name_what_to_fix() {
    let t = tempfile::tempdir().unwrap();
    let server = s3_server(&t.path().join("s3root"));
    let store = Store::S3(server);
    let r = release(t.path(), &store);
    let home = t.path().join("home");
    // No private.yml: writing needs credentials, and says where they go.
    fs::remove_file(r.join("config/private.yml")).unwrap();
    let o = run(&r, &home, &["upload-blobs"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("create config/private.yml"),
        "{}",
        text(&o)
    );
    // Wrong secret: refused, and the secret never printed.
    fs::write(r.join("config/private.yml"), "---\nblobstore:\n  options:\n    access_key_id: AKBALE\n    secret_access_key: WRONG-SECRET-123\n").unwrap();
    let o = run(&r, &home, &["upload-blobs"]);
    assert!(!o.status.success());
    assert!(!text(&o).contains("WRONG-SECRET-123"), "{}", text(&o));
    assert!(
        text(&o).contains("s3://blobs-bucket refused the credentials"),
        "{}",
        text(&o)
    );
    // Nothing listening: the address to check is named.
    drop(store);
    fs::write(
        r.join("config/private.yml"),
        "---\nblobstore:\n  options:\n    access_key_id: AKBALE\n    secret_access_key: SKBALE\n",
    )
    .unwrap();
    let o = run(&r, &home, &["upload-blobs"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("cannot reach s3://blobs-bucket (check host, port and use_ssl"),
        "{}",
        text(&o)
    );
}

/// `--log-level debug` shows every request, cache decision and the git subprocess; the
/// `bosh` CLI's `BOSH_LOG_LEVEL`/`BOSH_LOG_PATH` work too; no password or Authorization
/// value ever reaches the log; nothing is logged unless asked.
#[test]
fn debug_logs_show_requests_and_cache_decisions_but_no_secret() {
    let t = tempfile::tempdir().unwrap();
    let store = Store::Dav(super::blobstore::server());
    let r = release(t.path(), &store);
    let home = t.path().join("home");
    let log = t.path().join("bale.log");
    let o = run(
        &r,
        &home,
        &[
            "upload-blobs",
            "--log-level",
            "debug",
            "--log-file",
            log.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("DEBUG"), "{}", text(&o));
    let up = fs::read_to_string(&log).unwrap();
    assert!(
        up.contains("http request") && up.contains("method=PUT"),
        "{up}"
    );
    assert!(up.contains("status=201"), "{up}");

    let clone = t.path().join("clone");
    copy_tree(&r, &clone);
    fs::remove_dir_all(clone.join("blobs")).unwrap();
    let bosh_log = t.path().join("bosh.log");
    let o = std::process::Command::new(super::support::bale())
        .args(["sync-blobs"])
        .current_dir(&clone)
        .env("HOME", &home)
        .env("BOSH_LOG_LEVEL", "debug")
        .env("BOSH_LOG_PATH", &bosh_log)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let down = fs::read_to_string(&bosh_log).unwrap();
    assert!(
        down.contains("method=GET") && down.contains("status=200"),
        "{down}"
    );

    // Two release builds: the digest cache, ~/.bosh/cache and the git check decide and say
    // so. The first stores every archive; the second finds them through the dev index.
    let demo = t.path().join("demo");
    copy_tree(&super::support::testdata().join("demo-release"), &demo);
    let mut dry = String::new();
    for _ in 0..2 {
        let o = run(
            &demo,
            &home,
            &["create-release", "--force", "--log-level", "debug"],
        );
        assert!(o.status.success(), "{}", text(&o));
        dry.push_str(&String::from_utf8_lossy(&o.stderr));
    }
    for event in [
        "digest cache miss",
        "archive cache lookup",
        "archive cache store",
        "running git",
    ] {
        assert!(dry.contains(event), "{event} missing:\n{dry}");
    }

    for l in [&up, &down, &dry] {
        // The password, and the Basic credentials it would travel in.
        for secret in ["dpass", "ZGlyZWN0b3I6ZHBhc3M"] {
            assert!(!l.contains(secret), "{secret} in log:\n{l}");
        }
    }
}

/// Blob sizes in the `blobs` table are go-humanize's `IBytes`, as `bosh blobs` v7.4.0
/// printed them for the 139 sizes of `testdata/sizes` (edges of every unit, up to 2^63-1).
#[test]
fn blob_sizes_are_printed_as_the_cli_prints_them() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("sizes");
    copy_tree(&crate::support::testdata().join("sizes"), &dir);
    let o = run(&dir, &t.path().join("home"), &["blobs"]);
    assert!(o.status.success(), "{}", text(&o));
    let want =
        std::fs::read_to_string(crate::support::testdata().join("sizes/blobs.expected")).unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), want);
}

/// Failed downloads as the CLI reports them to scripts: each failure on stderr (after an
/// empty stdout line when one came before), sync-blobs' workers each stopping at their first
/// failure and the list headed `Downloading blobs`, create-release stopping at the first.
#[test]
fn failed_downloads_are_reported_to_scripts_as_the_cli_reports_them() {
    let t = tempfile::tempdir().unwrap();
    let rel = t.path().join("rel");
    fs::create_dir_all(rel.join("config")).unwrap();
    fs::create_dir_all(t.path().join("store")).unwrap();
    fs::write(
        rel.join("config/final.yml"),
        format!(
            "---\nname: dl\nblobstore:\n  provider: local\n  options:\n    blobstore_path: {}\n",
            t.path().join("store").display()
        ),
    )
    .unwrap();
    let mut yml = String::from("---\n");
    for (p, id, d) in [("a/one.tgz", "5", '0'), ("b/two.tgz", "6", '1')] {
        yml += &format!(
            "{p}:\n  size: 10\n  object_id: 11111111-2222-3333-4444-55555555555{id}\n  sha: sha256:{}\n",
            d.to_string().repeat(64)
        );
    }
    fs::write(rel.join("config/blobs.yml"), yml).unwrap();
    let home = t.path().join("home");

    let o = run(&rel, &home, &["sync-blobs"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "\n\n\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.matches(") failed\n").count(), 2, "{err}");
    assert!(err.contains("\nDownloading blobs:\n  - Getting blob '11111111-2222-3333-4444-555555555555' for path 'a/one.tgz':\n"), "{err}");
    assert!(
        err.ends_with("no such file or directory\nExit code 1\n"),
        "{err}"
    );

    let o = run(&rel, &home, &["create-release"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "\n\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("Blob download 'a/one.tgz' (id: 11111111-2222-3333-4444-555555555555) failed\n- Getting blob '11111111-2222-3333-4444-555555555555' for path 'a/one.tgz':\n"), "{err}");
    assert!(
        !err.contains("two.tgz"),
        "one worker stops at its first failure: {err}"
    );

    let o = run(&rel, &home, &["create-release", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let lines = crate::support::lines(&doc);
    assert!(
        lines.contains(
            &"Blob download 'a/one.tgz' (id: 11111111-2222-3333-4444-555555555555) failed"
                .to_string()
        ),
        "{lines:?}"
    );
    assert_eq!(lines.last().map(String::as_str), Some("Exit code 1"));
}
