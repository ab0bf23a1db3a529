//! Random draws in templates: from the system by default, as the director renders (a
//! template that draws without a seed renders, differently each time); fixed by
//! `--random-seed`, so a render repeats; a template that seeds itself renders Ruby's numbers
//! either way (`testdata/templates/random`, see its README).

use std::path::Path;
use std::process::Command;

use super::support::{bale, testdata};

/// Renders the case with `users` and `args`; the files it wrote.
fn render(out: &Path, users: &[&str], args: &[&str]) -> (String, String, String) {
    let case = testdata().join("templates/random");
    let mut ctx: serde_json::Value =
        serde_json::from_slice(&std::fs::read(case.join("context.json")).unwrap()).unwrap();
    let users: Vec<serde_json::Value> = users
        .iter()
        .map(|u| serde_json::json!({ "name": u }))
        .collect();
    ctx["properties"] = serde_json::json!({ "users": users });
    let ctx_path = out.with_extension("json");
    std::fs::write(&ctx_path, ctx.to_string()).unwrap();
    let o = Command::new(bale())
        .arg("render")
        .args(args)
        .arg("--job-dir")
        .arg(case.join("job"))
        .arg("--context")
        .arg(&ctx_path)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    (
        read("config/htpass"),
        read("config/seeded"),
        read("config/token"),
    )
}

#[test]
fn unseeded_draws_render_from_the_system_and_seeded_ones_as_ruby() {
    let tmp = tempfile::tempdir().unwrap();
    let expected = testdata().join("templates/random/expected/config");
    let (htpass, seeded, token) = render(&tmp.path().join("a"), &[], &[]);
    assert_eq!(
        htpass,
        std::fs::read_to_string(expected.join("htpass")).unwrap()
    );
    assert_eq!(
        seeded,
        std::fs::read_to_string(expected.join("seeded")).unwrap()
    );
    assert!(token_shaped(&token), "{token:?}");
    // the system's draws differ from one render to the next (a repeat is a 1 in 2^64 chance)
    let (htpass2, seeded2, token2) = render(&tmp.path().join("b"), &["ann", "bob"], &[]);
    let (htpass3, _, token3) = render(&tmp.path().join("c"), &["ann", "bob"], &[]);
    assert_ne!(token2, token3);
    assert_ne!(token, token2);
    assert_ne!(htpass2, htpass3);
    assert_eq!(seeded2, seeded);
    let salt: Vec<&str> = htpass2.lines().skip(1).map(|l| &l[4..]).collect();
    assert_eq!(salt.len(), 2);
    assert_eq!(salt[0], salt[1]);
    assert!(
        salt[0].len() == 12 && salt[0].bytes().all(|b| (b'A'..=b'Y').contains(&b)),
        "{htpass2}"
    );
}

#[test]
fn a_random_seed_makes_the_render_repeat() {
    let tmp = tempfile::tempdir().unwrap();
    let seed = ["--random-seed", "42"];
    let a = render(&tmp.path().join("a"), &["ann"], &seed);
    let b = render(&tmp.path().join("b"), &["ann"], &seed);
    assert_eq!(a, b);
    let c = render(&tmp.path().join("c"), &["ann"], &["--random-seed", "43"]);
    assert_ne!(a.0, c.0);
    assert_ne!(a.2, c.2);
    // the template's own seed still wins
    assert_eq!(a.1, c.1);
}

/// `id=` a version 4 UUID, `token=` 16 hex digits.
fn token_shaped(t: &str) -> bool {
    let hex = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    let mut lines = t.lines();
    let (Some(id), Some(token), None) = (lines.next(), lines.next(), lines.next()) else {
        return false;
    };
    let Some(id) = id.strip_prefix("id=") else {
        return false;
    };
    let parts: Vec<&str> = id.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts.iter().all(|p| hex(p))
        && parts[2].starts_with('4')
        && parts[3].starts_with(['8', '9', 'a', 'b'])
        && token
            .strip_prefix("token=")
            .is_some_and(|h| h.len() == 16 && hex(h))
}
