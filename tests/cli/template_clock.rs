//! `Time.now` in templates: the real clock by default, as the director renders; fixed by
//! `--now` or `SOURCE_DATE_EPOCH`, with output byte-for-byte the reference renderer's under
//! the same pinned clock (`testdata/templates/clock/expected`, see its README).

use std::path::Path;
use std::process::{Command, Output};

use super::support::{bale, testdata};

fn render(out: &Path, args: &[&str], epoch: Option<&str>) -> Output {
    let case = testdata().join("templates/clock");
    let mut cmd = Command::new(bale());
    cmd.arg("render")
        .args(args)
        .arg("--job-dir")
        .arg(case.join("job"))
        .arg("--context")
        .arg(case.join("context.json"))
        .arg("--out")
        .arg(out)
        .env_remove("SOURCE_DATE_EPOCH");
    if let Some(e) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", e);
    }
    cmd.output().unwrap()
}

fn assert_expected(out: &Path) {
    let expected = testdata().join("templates/clock/expected");
    for f in ["stamp.txt", "bin/run"] {
        assert_eq!(
            String::from_utf8(std::fs::read(out.join(f)).unwrap()).unwrap(),
            String::from_utf8(std::fs::read(expected.join(f)).unwrap()).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn now_flag_renders_what_the_reference_renders_with_that_time() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // the flag wins over the environment
    let o = render(&out, &["--now", "2024-05-01T14:34:56+02:00"], Some("5"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_expected(&out);
}

#[test]
fn source_date_epoch_fixes_the_clock() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = render(&out, &[], Some("1714566896"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_expected(&out);
}

#[test]
fn without_either_templates_read_the_real_clock() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let o = render(&out, &[], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let after = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let run = std::fs::read_to_string(out.join("bin/run")).unwrap();
    let stamp: u64 = run.trim().rsplit('-').next().unwrap().parse().unwrap();
    assert!(
        (before..=after).contains(&stamp),
        "{stamp} not in {before}..={after}"
    );
}

#[test]
fn a_bad_time_is_refused_before_rendering() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // a usage error, exit 1 as for every flag
    let o = render(&out, &["--now", "2024-05-01 noon"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not an RFC 3339 date-time"));
    // unusable input, exit 2 as for a context error
    let o = render(&out, &[], Some("yesterday"));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("SOURCE_DATE_EPOCH=\"yesterday\""),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!out.exists());
}
