//! create-release behaviour beyond what the CLI fixtures record.

use std::fs;

use super::support::{release_from_inputs, run, text};

#[test]
fn dry_run_changes_nothing_and_reports_json() {
    let t = tempfile::tempdir().unwrap();
    let r = release_from_inputs("src-exec-nested", t.path());
    let home = t.path().join("home");
    let o = run(&r, &home, &["create-release", "--dry-run", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["name"], "toy-src");
    assert_eq!(v["version"], "0+dev.1");
    assert_eq!(
        v["jobs"][0]["fingerprint"],
        "28821a316507f35fdea33091293317485246428e75de48d76f2a8be6f8400cb7"
    );
    assert_eq!(
        v["packages"][0]["fingerprint"],
        "5c79e10afa149f7b2c66a1cad2e72f14c13c6b8a64e0980a5ebb9d657e1178b9"
    );
    assert_eq!(v["packages"][1]["new"], true);
    assert_eq!(
        v["license"]["fingerprint"],
        "6f3e2d0342c01bdb7b2f82cdde0d171b5f87dd724637e6a24ffe2b9d0b0e482d"
    );
    assert!(!r.join("dev_releases").exists() && !r.join(".dev_builds").exists());
    assert!(!home.join(".bosh").exists());
}
