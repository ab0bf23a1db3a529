//! `bale interpolate` against the bosh CLI v7.4.0's recorded outputs
//! (`testdata/interpolate/cases.txt`, recorded by `tests/interpolate/regen.sh`), and the vars
//! store's generated values checked for shape and with `openssl verify`.

use std::path::Path;
use std::process::Command;

use crate::support::{bale, copy_tree, testdata};

fn run_case(inputs: &Path, args: &[&str]) -> (String, String, String) {
    let out = Command::new(bale())
        .args(args)
        .current_dir(inputs)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", "/nonexistent")
        .env("IV_name", "from-env")
        .env("IV_list", "[1, 2]")
        .output()
        .expect("run bale");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        format!("{}\n", out.status.code().unwrap_or(-1)),
    )
}

#[test]
fn recorded_cli_outputs_replay_byte_for_byte() {
    let data = testdata().join("interpolate");
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("inputs");
    copy_tree(&data.join("inputs"), &inputs);
    let inputs = std::fs::canonicalize(&inputs).unwrap();
    let shown = inputs.display().to_string();
    let cases = std::fs::read_to_string(data.join("cases.txt")).unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for line in cases.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let (name, args) = (fields[0], &fields[1..]);
        let expected = |ext: &str| {
            std::fs::read_to_string(data.join("expected").join(format!("{name}.{ext}")))
                .unwrap_or_else(|e| panic!("{name}.{ext}: {e}"))
                .replace("$INPUTS", &shown)
        };
        let (out, err, code) = run_case(&inputs, args);
        count += 1;
        for (what, got, want) in [
            ("stdout", &out, expected("stdout")),
            ("stderr", &err, expected("stderr")),
            ("exit", &code, expected("exit")),
        ] {
            if *got != want {
                failures.push(format!("{name} {what}:\n--- bosh\n{want}\n--- bale\n{got}"));
            }
        }
    }
    assert!(count >= 100, "only {count} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn openssl(args: &[&str], dir: &Path) -> String {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl on PATH");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn vars_store_generates_the_cli_types_and_keeps_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("m.yml"),
        "variables:
- name: root
  type: certificate
  options: {is_ca: true, common_name: root-ca}
- name: inter
  type: certificate
  options: {is_ca: true, ca: root, common_name: inter-ca}
- name: leaf
  type: certificate
  options:
    ca: inter
    common_name: leaf.example.com
    alternative_names: [leaf.example.com, 10.0.0.7]
    extended_key_usage: [client_auth, server_auth]
- name: direct
  type: certificate
  options: {ca: root, common_name: direct, organization: Acme}
- name: pw
  type: password
  options: {length: 12}
- name: default_pw
  type: password
- name: rsa_key
  type: rsa
- name: ssh_key
  type: ssh
cert: ((leaf.certificate))
pw: ((pw))
",
    )
    .unwrap();
    let out = Command::new(bale())
        .args(["int", "m.yml", "--vars-store", "store.yml"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    // Every definition was generated, so the variables section is empty.
    assert!(stdout.contains("variables: []\n"), "{stdout}");
    let store_text = std::fs::read_to_string(dir.join("store.yml")).unwrap();
    let store: serde_json::Value = serde_saphyr::from_str(&store_text).unwrap();
    let s = |k: &str, f: &str| store[k][f].as_str().unwrap_or_default().to_string();

    let pw = store["pw"].as_str().unwrap();
    assert_eq!(pw.len(), 12);
    assert!(pw
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    assert_eq!(store["default_pw"].as_str().unwrap().len(), 20);
    assert!(stdout.contains(&format!("pw: {pw}\n")));

    assert!(s("rsa_key", "private_key").starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    assert!(s("rsa_key", "public_key").starts_with("-----BEGIN PUBLIC KEY-----\n"));
    let ssh_pub = s("ssh_key", "public_key");
    assert!(ssh_pub.starts_with("ssh-rsa AAAAB3NzaC1yc2E") && ssh_pub.ends_with('\n'));
    let fp = s("ssh_key", "public_key_fingerprint");
    assert_eq!(fp.len(), 47, "{fp}");
    assert_eq!(fp.matches(':').count(), 15);

    for k in ["root", "inter", "leaf", "direct"] {
        for f in ["ca", "certificate", "private_key"] {
            std::fs::write(dir.join(format!("{k}-{f}.pem")), s(k, f)).unwrap();
        }
        // the key belongs to the certificate
        assert_eq!(
            openssl(
                &[
                    "x509",
                    "-noout",
                    "-modulus",
                    "-in",
                    &format!("{k}-certificate.pem")
                ],
                dir
            ),
            openssl(
                &[
                    "rsa",
                    "-noout",
                    "-modulus",
                    "-in",
                    &format!("{k}-private_key.pem")
                ],
                dir
            )
        );
    }
    assert_eq!(s("root", "ca"), s("root", "certificate"));
    assert_eq!(s("inter", "ca"), s("root", "certificate"));
    assert_eq!(s("leaf", "ca"), s("inter", "certificate"));
    let verify = |args: &[&str]| openssl(&[&["verify"], args].concat(), dir);
    assert_eq!(
        verify(&["-CAfile", "root-certificate.pem", "root-certificate.pem"]),
        "root-certificate.pem: OK\n"
    );
    assert_eq!(
        verify(&["-CAfile", "root-certificate.pem", "inter-certificate.pem"]),
        "inter-certificate.pem: OK\n"
    );
    assert_eq!(
        verify(&[
            "-CAfile",
            "root-certificate.pem",
            "-untrusted",
            "inter-certificate.pem",
            "-purpose",
            "sslserver",
            "leaf-certificate.pem"
        ]),
        "leaf-certificate.pem: OK\n"
    );
    assert_eq!(
        verify(&["-CAfile", "root-certificate.pem", "direct-certificate.pem"]),
        "direct-certificate.pem: OK\n"
    );
    let text = openssl(
        &["x509", "-noout", "-text", "-in", "leaf-certificate.pem"],
        dir,
    );
    assert!(
        text.contains("DNS:leaf.example.com, IP Address:10.0.0.7"),
        "{text}"
    );
    assert!(text.contains("TLS Web Client Authentication, TLS Web Server Authentication"));
    assert!(text.contains("Subject: C = USA, O = Cloud Foundry, CN = leaf.example.com"));
    assert!(text.contains("Public-Key: (3072 bit)"));
    let direct = openssl(
        &[
            "x509",
            "-noout",
            "-subject",
            "-in",
            "direct-certificate.pem",
        ],
        dir,
    );
    assert_eq!(direct, "subject=C = USA, O = Acme, CN = direct\n");

    // A second run keeps every stored value and does not rewrite the store.
    let again = Command::new(bale())
        .args(["int", "m.yml", "--vars-store", "store.yml"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(again.status.success());
    assert_eq!(String::from_utf8(again.stdout).unwrap(), stdout);
    assert_eq!(
        std::fs::read_to_string(dir.join("store.yml")).unwrap(),
        store_text
    );
}

#[test]
fn vars_store_refuses_what_the_cli_refuses() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("m.yml"),
        "variables:\n- name: p\n  type: password\n- name: u\n  type: user\n- name: c\n  type: certificate\n  options: {common_name: x}\n",
    )
    .unwrap();
    let out = Command::new(bale())
        .args(["int", "m.yml", "--vars-store", "s.yml"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Getting all variables from variable definitions sections:\n  Generating variable 'u':\n    Unsupported value type: user\nExit code 1\n"
    );
    // What was generated before the failure is kept, as the CLI saves after each value.
    let store = std::fs::read_to_string(dir.join("s.yml")).unwrap();
    assert!(store.starts_with("p: "), "{store}");
}

#[test]
fn alias_bombs_and_deep_nesting_fail_fast() {
    let tmp = tempfile::tempdir().unwrap();
    let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        doc.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{p}"); 10].join(", ")
        ));
    }
    std::fs::write(tmp.path().join("bomb.yml"), doc).unwrap();
    std::fs::write(
        tmp.path().join("deep.yml"),
        "[".repeat(5000) + &"]".repeat(5000),
    )
    .unwrap();
    for f in ["bomb.yml", "deep.yml"] {
        let out = Command::new(bale())
            .args(["int", f])
            .current_dir(tmp.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{f}");
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("yaml: "));
    }
}

/// Runs `bale int` in `dir` with a time limit, so a hang fails the test instead of stalling
/// the suite; returns the exit code and stderr.
fn int_within(dir: &Path, args: &[&str], limit: std::time::Duration) -> (Option<i32>, String) {
    use std::io::Read as _;
    let start = std::time::Instant::now();
    let mut child = Command::new(bale())
        .arg("int")
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run bale");
    // Drained on its own thread: a long message would otherwise fill the pipe and stall bale.
    let mut pipe = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = pipe.read_to_end(&mut text);
        String::from_utf8_lossy(&text).into_owned()
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("bale int {args:?} ran longer than {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    (status.code(), reader.join().expect("stderr reader"))
}

#[test]
fn extreme_array_indices_are_missing_indices() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("m.yml"), "list: [a, b]\n").unwrap();
    std::fs::write(
        tmp.path().join("o.yml"),
        "- type: replace\n  path: /list/9223372036854775807:next\n  value: x\n",
    )
    .unwrap();
    let limit = std::time::Duration::from_secs(10);
    let (code, err) = int_within(
        tmp.path(),
        &["m.yml", "--path", "/list/-9223372036854775808"],
        limit,
    );
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "Expected to find array index '-9223372036854775808' but found array of length '2' for path '/list/-9223372036854775808'\nExit code 1\n"
    );
    let (code, err) = int_within(tmp.path(), &["m.yml", "-o", "o.yml"], limit);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "Error 'operation [0] in o.yml failed': Expected to find array index '9223372036854775808' but found array of length '2' for path '/list/9223372036854775807:next'\nExit code 1\n"
    );
}

#[test]
fn paths_and_names_deeper_than_a_document_fail_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let limit = std::time::Duration::from_secs(20);
    // The deepest shapes still accepted: a 256-segment ops path holding a deep value whose
    // placeholder takes a deep variable, all walked and written without exhausting the stack.
    let nested = |depth: usize, inner: &str| "[".repeat(depth) + inner + &"]".repeat(depth);
    std::fs::write(dir.join("m.yml"), "a: {}\n").unwrap();
    std::fs::write(
        dir.join("deep-ops.yml"),
        format!(
            "- type: replace\n  path: /a?{}\n  value: {}\n",
            "/a".repeat(255),
            nested(250, "((v))")
        ),
    )
    .unwrap();
    std::fs::write(dir.join("vars.yml"), format!("v: {}\n", nested(250, "x"))).unwrap();
    let (code, err) = int_within(
        dir,
        &["m.yml", "-o", "deep-ops.yml", "-l", "vars.yml"],
        limit,
    );
    assert_eq!(code, Some(0), "{err}");

    let long = "/a?".to_string() + &"/a".repeat(100_000);
    std::fs::write(
        dir.join("ops.yml"),
        format!("- type: replace\n  path: {long}\n  value: x\n"),
    )
    .unwrap();
    let (code, err) = int_within(dir, &["m.yml", "-o", "ops.yml"], limit);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("Invalid path: Expected a path of at most 256 segments but found 100001"),
        "{}",
        &err[..err.len().min(300)]
    );
    // One argument may hold at most 128 KiB.
    let long_arg = "/a".repeat(30_000);
    let (code, err) = int_within(dir, &["m.yml", "--path", &long_arg], limit);
    assert_eq!(code, Some(1));
    assert!(err.starts_with("invalid argument for flag `--path' (expected patch.Pointer): Expected a path of at most 256 segments"), "{}", &err[..err.len().min(300)]);

    let dotted = "x".to_string() + &".x".repeat(30_000);
    let (code, err) = int_within(dir, &["m.yml", "-v", &format!("{dotted}=1")], limit);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with("invalid argument for flag `-v, --var' (expected []template.VarKV): Expected variable name 'x.x.x"),
        "{}",
        &err[..err.len().min(300)]
    );
    std::fs::write(dir.join("p.yml"), format!("a: (({dotted}))\n")).unwrap();
    let (code, err) = int_within(dir, &["p.yml", "-v", "x={}"], limit);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with("Finding variable 'x.x.x"),
        "{}",
        &err[..err.len().min(300)]
    );
}

#[test]
fn one_large_string_aliased_many_times_fails_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    // 1 MiB anchored once and aliased 500,000 times would be 500 GB written out.
    let mut doc = format!("a: &a {}\nb: [", "x".repeat(1 << 20));
    doc.push_str(&vec!["*a"; 500_000].join(","));
    doc.push_str("]\n");
    std::fs::write(tmp.path().join("m.yml"), doc).unwrap();
    let (code, err) = int_within(tmp.path(), &["m.yml"], std::time::Duration::from_secs(30));
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "yaml: document contains excessive aliasing (more than 67108864 bytes of text)\nExit code 1\n"
    );
}

#[test]
fn huge_password_lengths_and_durations_fail_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("p.yml"),
        "variables:\n- name: p\n  type: password\n  options: {length: 999999999999999}\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("c.yml"),
        "variables:\n- name: c\n  type: certificate\n  options: {is_ca: true, common_name: x, duration: 9223372036854775807}\n",
    )
    .unwrap();
    let limit = std::time::Duration::from_secs(30);
    let (code, err) = int_within(tmp.path(), &["p.yml", "--vars-store", "s.yml"], limit);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "Getting all variables from variable definitions sections:\n  Generating variable 'p':\n    Failed to generate password, 'length' param cannot be greater than 65536\nExit code 1\n"
    );
    let (code, err) = int_within(tmp.path(), &["c.yml", "--vars-store", "s.yml"], limit);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "Getting all variables from variable definitions sections:\n  Generating variable 'c':\n    Failed to generate certificate, 'duration' of 9223372036854775807 days ends after the year 9999\nExit code 1\n"
    );
    // The largest length accepted is generated in full.
    std::fs::write(
        tmp.path().join("ok.yml"),
        "variables:\n- name: q\n  type: password\n  options: {length: 65536}\n",
    )
    .unwrap();
    let (code, err) = int_within(tmp.path(), &["ok.yml", "--vars-store", "s.yml"], limit);
    assert_eq!(code, Some(0), "{err}");
    let store = std::fs::read_to_string(tmp.path().join("s.yml")).unwrap();
    let q = store.strip_prefix("q: ").unwrap().trim_end();
    assert_eq!(q.len(), 65536);
    assert!(q
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
}

#[test]
fn large_maps_load_and_interpolate_in_linear_time() {
    let tmp = tempfile::tempdir().unwrap();
    // 200,000 keys: with a key lookup that scans the map this took minutes.
    let n = 200_000;
    let mut doc = String::with_capacity(n * 16);
    for i in 0..n {
        doc.push_str(&format!("k{i}: ((v))\n"));
    }
    std::fs::write(tmp.path().join("m.yml"), doc).unwrap();
    let start = std::time::Instant::now();
    let out = Command::new(bale())
        .args(["int", "m.yml", "-v", "v=1", "--path", "/k199999"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
}
