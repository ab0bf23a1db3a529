//! `bale render-deployment`, `lint-manifest` and `diff-render` on the shop deployment in
//! `testdata/deployment` (three instance groups, AZs, cross-group, shared, optional,
//! blocked, `as`/`from` and manual links): every file as the Ruby reference renderer
//! rendered it (`expected/`, from `gen.sh`), failures per instance, planted typos, a
//! changed property, random draws on both sides of a diff.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use super::support::{bale, testdata};

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap();
            out.insert(
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            );
        }
    }
    out
}

fn deployment() -> std::path::PathBuf {
    testdata().join("deployment")
}

fn run(args: &[&str]) -> Output {
    run_in(&deployment(), args)
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(bale())
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn every_instance_renders_as_the_reference_renderer() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = run(&[
        "render-deployment",
        "shop.yml",
        "--release",
        "shop-release",
        "-v",
        "greeting=hi",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut got = tree(&out);
    assert!(got.remove(".bale-render-deployment").is_some());
    let want = tree(&deployment().join("expected"));
    assert_eq!(want.len(), 35);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (k, v) in &want {
        assert_eq!(
            String::from_utf8_lossy(&got[k]),
            String::from_utf8_lossy(v),
            "{k}"
        );
    }
    // a second run replaces its own earlier output
    let o = run(&[
        "render-deployment",
        "shop.yml",
        "--release",
        "shop-release",
        "--instance-group",
        "edge",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = tree(&out);
    assert!(got
        .keys()
        .all(|k| k.starts_with("edge/0/proxy/") || k.starts_with(".bale")));
    assert_eq!(got.len(), 4);
}

#[test]
fn links_and_instances_are_those_the_director_would_bind() {
    let want = tree(&deployment().join("expected"));
    let web = String::from_utf8_lossy(&want["app/1/web/config/web.yml"]).into_owned();
    // implicit link by type across groups, AZs round-robin, ids v5, bootstrap on index 0
    assert!(web.contains(
        "  - database/0 8ef3d626-141d-5941-8fec-33c7a2abb79b az=z1 10.0.1.10 bootstrap=true\n"
    ));
    assert!(web.contains(
        "  - database/1 e3473ddd-7b8e-5daf-bad7-1a68ada4307b az=z2 10.0.1.11 bootstrap=false\n"
    ));
    // link properties: the provider job's properties over its spec defaults
    assert!(web.contains("  port: 6543\n  user: admin\n  tls: false\n"));
    assert!(web.contains("  address: q-s0.database.default.shop.bosh\n  healthy: q-s3.database.default.shop.bosh\n  in_z1: q-a1s0.database.default.shop.bosh\n"));
    // `from:` an `as:` alias; an optional link nobody provides stays unset
    assert!(web.contains("cache: q-s0.app.default.shop.bosh size=256 group=app\nmetrics: none\n"));
    let proxy = String::from_utf8_lossy(&want["edge/0/proxy/config/proxy.conf"]).into_owned();
    // ip_addresses: false gives DNS names; manual links keep their own address and instances
    assert!(proxy.contains(
        "backend app/2 3957f5d8-46da-5f4b-b717-b842faf2ce56.app.default.shop.bosh:8080\n"
    ));
    assert!(proxy.contains("upstream legacy-db.example.com port=5432 user=none\nupstream_instance 192.168.50.10 name=nil index=nil\n"));
    // a blocked optional link is unset; global properties merged under the group's
    assert!(proxy.contains("db blocked\n"));
    assert!(proxy.starts_with("listen 127.0.0.1:443 timeout=30\n"));
    assert_eq!(
        String::from_utf8_lossy(&want["app/0/cache/.bosh/links.json"]),
        "[\n  {\n    \"name\": \"fastcache\",\n    \"type\": \"cache\",\n    \"group\": \"6\"\n  }\n]\n"
    );
}

#[test]
fn failing_templates_are_reported_per_instance_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = run(&[
        "render-deployment",
        "broken.yml",
        "--release",
        "shop-release",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for i in 0..2 {
        assert!(
            err.contains(&format!(
                "database/{i} db templates/db.conf.erb:2: Can't find property '[\"admin.password\"]'"
            )),
            "{err}"
        );
    }
    assert!(!out.exists());
}

#[test]
fn an_output_directory_that_is_not_ours_is_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let o = run(&[
        "render-deployment",
        "shop.yml",
        "--release",
        "shop-release",
        "--out",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is not an earlier render-deployment output"));
    assert_eq!(tree(tmp.path()).len(), 1);
}

#[test]
fn json_document_counts_instances_jobs_and_files() {
    let o = run(&[
        "--json",
        "render-deployment",
        "shop.yml",
        "--release",
        "shop-release",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["schema"], "bale/1");
    assert_eq!(doc["command"], "render-deployment");
    assert_eq!(
        doc["counts"],
        serde_json::json!({"instances": 6, "jobs": 9, "files": 35})
    );
    assert_eq!(doc["instances"][2]["instance_group"], "app");
    assert_eq!(doc["instances"][2]["az"], "z1");
}

#[test]
fn lint_finds_planted_typos_at_their_lines() {
    let clean = run(&["lint-manifest", "shop.yml", "--release", "shop-release"]);
    assert!(clean.status.success(), "{}", stdout(&clean));
    let o = run(&[
        "--json",
        "lint-manifest",
        "typos.yml",
        "--release",
        "shop-release",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["command"], "lint-manifest");
    let found: Vec<(u64, String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["kind"].as_str().unwrap().to_string(),
                f["suggestion"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let want: Vec<(u64, &str, &str)> = vec![
        (38, "missing-property", ""),
        (41, "unknown-property", "port"),
        (60, "link", ""),
        (62, "unknown-property", "greeting"),
        (66, "missing-job", "cache"),
        (87, "unknown-property", "proxy.listen_port"),
        (92, "link", ""),
        (93, "unknown-link", "metrics"),
    ];
    let want: Vec<(u64, String, String)> = want
        .into_iter()
        .map(|(l, k, s)| (l, k.to_string(), s.to_string()))
        .collect();
    assert_eq!(found, want);
    let plain = run(&["lint-manifest", "typos.yml", "--release", "shop-release"]);
    assert!(stdout(&plain).contains(
        "typos.yml:41: database db: property 'prot' is not declared by job 'db' (did you mean 'port'?)\n"
    ));
}

#[test]
fn diff_render_shows_what_a_changed_property_changes_on_each_vm() {
    let o = run(&[
        "diff-render",
        "shop.yml",
        "shop-port.yml",
        "--release",
        "shop-release",
        "-v",
        "greeting=hi",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let d = stdout(&o);
    assert!(d.contains(
        "--- a/database/1/db/config/db.conf\n+++ b/database/1/db/config/db.conf\n@@ -1,4 +1,4 @@\n-port = 6543\n+port = 6544\n"
    ));
    // the consumers of the db link change too; nothing else does
    assert_eq!(d.matches("\n+++ ").count(), 7, "{d}");
    assert!(!d.contains("proxy"));
    // an output directory against the manifest it came from: identical
    let same = run(&[
        "diff-render",
        "expected",
        "shop.yml",
        "--release",
        "shop-release",
        "-v",
        "greeting=hi",
    ]);
    assert_eq!(same.status.code(), Some(0), "{}", stdout(&same));
    assert!(stdout(&same).is_empty());
}

#[test]
fn a_release_tarball_renders_the_same_and_names_its_version() {
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("shop-release");
    super::support::copy_tree(&deployment().join("shop-release"), &rel);
    std::fs::create_dir_all(rel.join("packages")).unwrap();
    std::fs::create_dir_all(rel.join("src")).unwrap();
    let tgz = tmp.path().join("shop.tgz");
    let o = super::support::run(
        &rel,
        tmp.path(),
        &[
            "create-release",
            "--force",
            "--tarball",
            tgz.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("out");
    let o = run(&[
        "render-deployment",
        "shop.yml",
        "--release",
        tgz.to_str().unwrap(),
        "-v",
        "greeting=hi",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = tree(&out);
    for (k, v) in tree(&deployment().join("expected")) {
        let want =
            String::from_utf8_lossy(&v).replace("release = shop/latest", "release = shop/0+dev.1");
        assert_eq!(String::from_utf8_lossy(&got[&k]), want, "{k}");
    }
}

#[test]
fn diff_render_draws_both_sides_from_one_seed() {
    // a job that draws a token with no seed of its own: the same manifest twice is no diff
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("deployment");
    super::support::copy_tree(&deployment(), &dir);
    let db = dir.join("shop-release/jobs/db");
    let spec = std::fs::read_to_string(db.join("spec")).unwrap();
    let spec = spec.replace(
        "  db.conf.erb: config/db.conf\n",
        "  db.conf.erb: config/db.conf\n  token.erb: config/token\n",
    );
    std::fs::write(db.join("spec"), spec).unwrap();
    std::fs::write(
        db.join("templates/token.erb"),
        "<%= SecureRandom.hex %> <%= rand(1000) %>\n",
    )
    .unwrap();
    let shop = ["shop.yml", "--release", "shop-release", "-v", "greeting=hi"];
    let diff = |extra: &[&str]| {
        let mut args = vec!["diff-render", "shop.yml"];
        args.extend_from_slice(&shop);
        args.extend_from_slice(extra);
        run_in(&dir, &args)
    };
    let o = diff(&[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).is_empty());
    let o = diff(&["--random-seed", "9"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // while two renders draw differently
    let render = |out: &str| {
        let mut args = vec!["render-deployment"];
        args.extend_from_slice(&shop);
        args.extend_from_slice(&["--out", out]);
        let o = run_in(&dir, &args);
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::read_to_string(dir.join(out).join("database/0/db/config/token")).unwrap()
    };
    assert_ne!(render("a"), render("b"));
}
