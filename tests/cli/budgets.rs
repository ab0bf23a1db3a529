//! Hostile input to `bale render` ends in a clean error, quickly: a billion-laughs manifest
//! and templates that would run or allocate without bound.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::support::bale;

fn job(dir: &Path, template: &str) {
    std::fs::create_dir_all(dir.join("job/templates")).unwrap();
    std::fs::write(
        dir.join("job/spec"),
        "---\nname: hostile\ntemplates:\n  t.erb: t\nproperties:\n  p: {default: 1}\n",
    )
    .unwrap();
    std::fs::write(dir.join("job/templates/t.erb"), template).unwrap();
}

fn render(dir: &Path, extra: &[&str]) -> (Output, Duration) {
    let start = Instant::now();
    let o = Command::new(bale())
        .args(["render", "--job-dir", "job", "--out", "out"])
        .args(extra)
        .current_dir(dir)
        .output()
        .unwrap();
    (o, start.elapsed())
}

#[test]
fn billion_laughs_manifest_is_refused_quickly() {
    let tmp = tempfile::tempdir().unwrap();
    job(tmp.path(), "<%= p('p') %>\n");
    let mut m = String::from("a0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    for i in 1..10 {
        m.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(",")
        ));
    }
    m.push_str("instance_groups: [{name: g, jobs: [{name: hostile}]}]\n");
    assert!(m.len() < 800);
    std::fs::write(tmp.path().join("m.yml"), &m).unwrap();
    let (o, took) = render(tmp.path(), &["--manifest", "m.yml"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("expands"), "{err}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn hostile_templates_fail_at_their_line() {
    let cases = [
        (
            "<% f = ->(x) { f.(x) } %><%= f.(1) %>",
            "stack level too deep",
        ),
        ("<% 10_000_000_000.times{} %>", "evaluation steps"),
        ("<%= 'a' * 10_000_000_000 %>", "exceeds the budget"),
        ("<%= '%01000000000d' % 1 %>", "format width"),
    ];
    for (t, msg) in cases {
        let tmp = tempfile::tempdir().unwrap();
        job(tmp.path(), &format!("ok\n{t}\n"));
        let (o, took) = render(tmp.path(), &["--max-steps", "300000"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{t}: {err}");
        assert!(err.starts_with("templates/t.erb:2: "), "{t}: {err}");
        assert!(err.contains(msg), "{t}: {err}");
        assert!(took < Duration::from_secs(20), "{t}: {took:?}");
    }
}

/// Release content past its size cap is refused by name before it is parsed: a job spec
/// over 1 MiB by `create-release` and `render`, a `config/blobs.yml` over 16 MiB by every
/// blob command.
#[test]
fn oversized_release_files_are_refused_by_name() {
    use crate::support::{copy_tree, run, testdata, text};
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let r = t.path().join("demo");
    copy_tree(&testdata().join("demo-release"), &r);
    for d in ["dev_releases", ".dev_builds"] {
        let _ = std::fs::remove_dir_all(r.join(d));
    }
    let spec = r.join("jobs/web/spec");
    let mut text_ = std::fs::read_to_string(&spec).unwrap();
    text_.push_str(&"# padding padding padding padding\n".repeat(40_000));
    std::fs::write(&spec, text_).unwrap();
    for args in [
        &["create-release", "--force"][..],
        &["render", "--job-dir", "jobs/web", "--out", "out"][..],
    ] {
        let o = run(&r, &home, args);
        assert!(!o.status.success(), "{args:?}: {}", text(&o));
        assert!(
            text(&o).contains("jobs/web/spec: larger than 1048576 bytes"),
            "{args:?}: {}",
            text(&o)
        );
    }
    assert!(!r.join("dev_releases").exists() && !r.join("out").exists());

    let blobs = r.join("config/blobs.yml");
    std::fs::write(&blobs, "# pad\n".repeat(3_000_000)).unwrap();
    for args in [&["blobs"][..], &["sync-blobs"][..], &["upload-blobs"][..]] {
        let o = run(&r, &home, args);
        assert!(!o.status.success(), "{args:?}: {}", text(&o));
        assert!(
            text(&o).contains("config/blobs.yml: larger than 16777216 bytes"),
            "{args:?}: {}",
            text(&o)
        );
    }
}
