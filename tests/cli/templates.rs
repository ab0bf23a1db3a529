//! `bale render` and `bale lint-templates`: every fixture case and bale's own cases render
//! byte-for-byte as the Ruby reference renderer did (expected outputs are committed), plus
//! the release, tarball, manifest and lint paths.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use super::support::{bale, copy_tree, testdata};

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.is_dir() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// `bale render --job-dir JOB --context CTX --out OUT [extra...]`.
fn render_dir(job: &Path, ctx: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(bale())
        .arg("render")
        .args(extra)
        .arg("--job-dir")
        .arg(job)
        .arg("--context")
        .arg(ctx)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Runs every case under `root` (job/, context.json, expected/) and returns the failures.
fn check_cases(root: &Path) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut n = 0;
    let mut cases: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("job").is_dir())
        .collect();
    cases.sort();
    for case in cases {
        n += 1;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let o = render_dir(&case.join("job"), &case.join("context.json"), &out, &[]);
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let want_code: i32 = std::fs::read_to_string(case.join("expected/exit_code"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let code = o.status.code().unwrap_or(-1);
        if code != want_code {
            failures.push(format!(
                "{name}: exit {code}, expected {want_code}; stderr: {}",
                String::from_utf8_lossy(&o.stderr)
            ));
            continue;
        }
        if want_code == 0 {
            let (got, want) = (tree(&out), tree(&case.join("expected/out")));
            if got != want {
                let keys: Vec<_> = got
                    .keys()
                    .chain(want.keys())
                    .filter(|k| got.get(*k) != want.get(*k))
                    .cloned()
                    .collect();
                failures.push(format!("{name}: output differs in {keys:?}"));
            }
        } else {
            let want = std::fs::read_to_string(case.join("expected/stderr.txt")).unwrap();
            let got = String::from_utf8_lossy(&o.stderr);
            if got != want {
                failures.push(format!("{name}: stderr\n  got:  {got:?}\n  want: {want:?}"));
            }
            if out.exists() {
                failures.push(format!("{name}: wrote output although a template failed"));
            }
        }
    }
    (n, failures)
}

#[test]
fn fixture_cases_render_byte_for_byte() {
    let (n, failures) = check_cases(&testdata().join("templates/fixtures"));
    assert_eq!(n, 33);
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn own_cases_render_byte_for_byte() {
    let (n, failures) = check_cases(&testdata().join("templates/cases"));
    assert!(n >= 150, "only {n} cases");
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn run(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(bale())
        .args(args)
        .current_dir(cwd)
        .env("HOME", cwd)
        .output()
        .unwrap()
}

/// A small release directory with one good and one broken job.
fn release_with_jobs(dir: &Path) {
    let w = |p: &str, s: &str| {
        let p = dir.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    };
    w("config/final.yml", "---\nname: shop\n");
    w("jobs/api/spec", "---\nname: api\ntemplates:\n  config.json.erb: config/config.json\n  ctl.erb: bin/ctl\nconsumes:\n- name: db\n  type: postgres\nproperties:\n  port:\n    default: 8080\n  password:\n    description: required, no default\n  peers:\n    description: a list\n");
    w(
        "jobs/api/monit",
        "check process api\n  with pidfile /var/vcap/sys/run/api.pid\n",
    );
    w("jobs/api/templates/config.json.erb", "<%= JSON.pretty_generate('port' => p('port'), 'password' => p('password'), 'peers' => p('peers'), 'db' => \"#{link('db').address}:#{link('db').p('port')}\") %>\n");
    w(
        "jobs/api/templates/ctl.erb",
        "#!/bin/bash\nexec api --port <%= p('port') %>\n",
    );
    w("jobs/db/spec", "---\nname: db\ntemplates:\n  db.conf.erb: config/db.conf\nprovides:\n- name: db\n  type: postgres\n  properties: [port]\nproperties:\n  port:\n    default: 5432\n");
    w("jobs/db/monit", "");
    w("jobs/db/templates/db.conf.erb", "port = <%= p('port') %>\n");
}

#[test]
fn lint_templates_renders_every_job_with_placeholders() {
    let tmp = tempfile::tempdir().unwrap();
    release_with_jobs(tmp.path());
    let o = run(&["lint-templates", "."], tmp.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "2 job(s), 5 template(s): all render\n"
    );

    // a wrong property name and a Ruby error, each reported as job/template:line
    std::fs::write(
        tmp.path().join("jobs/api/templates/ctl.erb"),
        "#!/bin/bash\n\nexec api --port <%= p('prot') %>\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("jobs/db/templates/db.conf.erb"),
        "a\n<% x = nil %>\n<%= x.upcase %>\n",
    )
    .unwrap();
    let o = run(&["lint-templates", "."], tmp.path());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "jobs/api/templates/ctl.erb:3: Can't find property '[\"prot\"]'\njobs/db/templates/db.conf.erb:3: undefined method 'upcase' for nil\n"
    );
    let o = run(&["--json", "lint-templates", "."], tmp.path());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["problems"].as_array().unwrap().len(), 2);
    assert_eq!(v["problems"][1]["class"], "NoMethodError");
}

#[test]
fn render_from_release_dir_tarball_and_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("demo");
    copy_tree(&testdata().join("demo-release"), &rel);
    let manifest = tmp.path().join("manifest.yml");
    std::fs::write(&manifest, "name: shop\nreleases:\n- name: demo\n  version: 1.2.3\ninstance_groups:\n- name: frontend\n  instances: 2\n  azs: [z3]\n  networks:\n  - name: net1\n    static_ips: [10.9.0.5, 10.9.0.6]\n  jobs:\n  - name: web\n    release: demo\n    properties:\n      web:\n        port: 9090\n").unwrap();
    let render_to = |source: &str, out: &str| {
        let args = [
            "render",
            "--release",
            source,
            "--job",
            "web",
            "--manifest",
            "manifest.yml",
            "--index",
            "1",
            "--out",
            out,
        ];
        let o = run(&args, tmp.path());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        tree(&tmp.path().join(out))
    };
    let files = render_to("demo", "from-dir");
    assert_eq!(
        files.keys().cloned().collect::<Vec<_>>(),
        vec!["bin/ctl", "config/nginx.conf", "monit"]
    );
    let nginx = String::from_utf8_lossy(&files["config/nginx.conf"]).into_owned();
    assert!(nginx.contains("9090"), "{nginx}");

    // the same job from a release tarball renders the same bytes
    let tarball = tmp.path().join("demo.tgz");
    let o = run(
        &[
            "create-release",
            "--dir",
            "demo",
            "--force",
            "--tarball",
            tarball.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(render_to("demo.tgz", "from-tgz"), files);

    // --json lists files with digests
    let o = run(
        &[
            "--json",
            "render",
            "--release",
            "demo.tgz",
            "--job",
            "web",
            "--manifest",
            "manifest.yml",
        ],
        tmp.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let listed: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(listed, vec!["monit", "bin/ctl", "config/nginx.conf"]);
    assert_eq!(v["files"][0]["sha256"].as_str().unwrap().len(), 64);

    // an unknown job names the jobs there are
    let o = run(
        &["render", "--release", "demo.tgz", "--job", "nope"],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("jobs in it: web"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn manifest_context_fills_spec_and_manual_links() {
    let tmp = tempfile::tempdir().unwrap();
    release_with_jobs(tmp.path());
    std::fs::write(tmp.path().join("m.yml"), "name: shop\ninstance_groups:\n- name: api\n  azs: [z1]\n  networks: [{name: private}]\n  jobs:\n  - name: api\n    properties: {password: pw, peers: [a, b]}\n    consumes:\n      db:\n        instances: [{address: db.example}]\n        properties: {port: 6543}\n        address: db.example\n").unwrap();
    std::fs::write(tmp.path().join("jobs/api/templates/ctl.erb"), "<%= spec.deployment %>/<%= spec.name %>/<%= spec.index %> <%= spec.networks.private.ip %> <%= link('db').instances.map(&:address).join %>\n").unwrap();
    let o = run(
        &[
            "render",
            "--release",
            ".",
            "--job",
            "api",
            "--manifest",
            "m.yml",
            "--out",
            "out",
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("out/bin/ctl")).unwrap(),
        "shop/api/0 10.0.0.10 db.example\n"
    );
    let json = std::fs::read_to_string(tmp.path().join("out/config/config.json")).unwrap();
    assert_eq!(json, "{\n  \"port\": 8080,\n  \"password\": \"pw\",\n  \"peers\": [\n    \"a\",\n    \"b\"\n  ],\n  \"db\": \"db.example:6543\"\n}\n");
}

#[test]
fn failing_template_writes_nothing_and_undeclared_link_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let case = testdata().join("templates/fixtures/07-unknown-property-list-error");
    let out = tmp.path().join("out");
    let o = render_dir(&case.join("job"), &case.join("context.json"), &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists());

    let ctx = tmp.path().join("ctx.json");
    std::fs::write(
        &ctx,
        r#"{"name": "web", "links": {"db": {"instances": []}}}"#,
    )
    .unwrap();
    let o = render_dir(
        &testdata().join("templates/fixtures/02-p-basic/job"),
        &ctx,
        &out,
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "context error: Link 'db' is not declared as a consumed link in this job.\n"
    );
}

#[test]
fn links_json_lists_provided_links_sorted_by_group() {
    let tmp = tempfile::tempdir().unwrap();
    let ctx = tmp.path().join("ctx.json");
    std::fs::write(&ctx, r#"{"name": "web", "provided_links": [{"name": "b", "type": "t", "group": "9"}, {"name": "a", "type": "t", "group": "10"}]}"#).unwrap();
    let out = tmp.path().join("out");
    let o = render_dir(
        &testdata().join("templates/fixtures/01-static-text/job"),
        &ctx,
        &out,
        &["--links-json"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(out.join(".bosh/links.json")).unwrap(),
        "[\n  {\n    \"name\": \"a\",\n    \"type\": \"t\",\n    \"group\": \"10\"\n  },\n  {\n    \"name\": \"b\",\n    \"type\": \"t\",\n    \"group\": \"9\"\n  }\n]\n"
    );
}
