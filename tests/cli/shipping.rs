//! What a user installing bale gets besides the commands: `--version` naming the build,
//! shell completions that complete, manual pages, and log settings refused when wrong.

use std::fs;
use std::process::Command;

use super::support::{bale, text};

fn bale_out(args: &[&str]) -> std::process::Output {
    Command::new(bale()).args(args).output().unwrap()
}

#[test]
fn version_names_the_commit_and_build_date() {
    let o = bale_out(&["--version"]);
    assert!(o.status.success(), "{}", text(&o));
    let v = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let rest = v
        .strip_prefix(concat!("bale ", env!("CARGO_PKG_VERSION"), " ("))
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{v}"));
    let (commit, date) = rest.rsplit_once(' ').unwrap_or_else(|| panic!("{v}"));
    let date_ok = date.len() == 10
        && date.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    assert!(date_ok, "{v}");
    // Built from a git checkout (as here), the commit is there; from a tarball, "built".
    let in_git = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".git")
        .exists();
    if in_git {
        assert!(
            commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit()),
            "{v}"
        );
    } else {
        assert_eq!(commit, "built", "{v}");
    }
}

#[test]
fn bash_completion_completes_commands_and_flags() {
    let o = bale_out(&["completion", "bash"]);
    assert!(o.status.success(), "{}", text(&o));
    let t = tempfile::tempdir().unwrap();
    let script = t.path().join("bale.bash");
    fs::write(&script, &o.stdout).unwrap();
    let complete = |line: &str| {
        let words: Vec<&str> = line.split(' ').collect();
        let prog = format!(
            "source {}; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT={}; _bale bale '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            words.join(" "),
            words.len() - 1,
            line.len(),
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let o = Command::new("bash").arg("-c").arg(prog).output().unwrap();
        assert!(o.status.success(), "{}", text(&o));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let got = complete("bale create-rel");
    assert!(got.lines().any(|l| l == "create-release"), "{got}");
    let got = complete("bale create-release --tim");
    assert!(got.lines().any(|l| l == "--timestamp-version"), "{got}");
    let got = complete("bale completion p");
    assert!(got.lines().any(|l| l == "powershell"), "{got}");
}

#[test]
fn completion_scripts_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _bale"),
        ("zsh", "#compdef bale"),
        ("fish", "complete -c bale"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = bale_out(&["completion", shell]);
        assert!(o.status.success(), "{shell}: {}", text(&o));
        let s = String::from_utf8_lossy(&o.stdout);
        assert!(s.contains(marker), "{shell}: {s}");
        assert!(
            s.contains("create-release") && s.contains("sync-blobs"),
            "{shell}"
        );
    }
    // Shells that are installed check the syntax of their script.
    for (shell, check) in [("bash", "-n"), ("zsh", "-n"), ("fish", "--no-execute")] {
        if Command::new(shell).arg("-c").arg("true").output().is_err() {
            continue;
        }
        let t = tempfile::tempdir().unwrap();
        let f = t.path().join("script");
        fs::write(&f, bale_out(&["completion", shell]).stdout).unwrap();
        let o = Command::new(shell).arg(check).arg(&f).output().unwrap();
        assert!(o.status.success(), "{shell}: {}", text(&o));
    }
    let o = bale_out(&["completion", "tcsh"]);
    assert!(!o.status.success());
}

#[test]
fn man_pages_on_stdout_and_one_per_command_in_a_directory() {
    let o = bale_out(&["man"]);
    assert!(o.status.success(), "{}", text(&o));
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(page.contains(".TH bale 1"), "{page}");
    assert!(page.contains("create\\-release"), "{page}");

    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("man1");
    let o = bale_out(&["man", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let cr = fs::read_to_string(dir.join("bale-create-release.1")).unwrap();
    assert!(
        cr.contains(".TH bale\\-create\\-release 1") || cr.contains(".TH bale-create-release 1"),
        "{cr}"
    );
    assert!(cr.contains("\\-\\-timestamp\\-version"), "{cr}");
    let serve = fs::read_to_string(dir.join("bale-blobstore-serve.1")).unwrap();
    assert!(serve.contains("\\-\\-write\\-user"), "{serve}");
    assert!(dir.join("bale.1").is_file() && dir.join("bale-completion.1").is_file());
    // man(1) renders them, where it is installed.
    if Command::new("man")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let o = Command::new("man")
            .arg("-l")
            .arg(dir.join("bale-create-release.1"))
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o));
        assert!(String::from_utf8_lossy(&o.stdout).contains("--timestamp-version"));
    }
}

#[test]
fn a_bad_log_level_or_log_file_stops_the_command() {
    let o = bale_out(&["blobs", "--log-level", "bale=loud"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("invalid log level 'bale=loud'"),
        "{}",
        text(&o)
    );
    let o = bale_out(&[
        "blobs",
        "--log-level",
        "debug",
        "--log-file",
        "/nonexistent/dir/bale.log",
    ]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("cannot open log file /nonexistent/dir/bale.log"),
        "{}",
        text(&o)
    );
}
