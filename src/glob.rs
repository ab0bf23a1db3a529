//! File selection with the glob semantics of the `bosh` CLI's package `files` (doublestar
//! v1.3.4): `*` matches dotfiles, `**` spans directories, `{a,b}` may contain `/`, symlinked
//! directories are followed, and directory listings are sorted (spec: release-format §4.3).
//! Matching nothing is not an error here; the caller decides.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Every path under `base` that `pattern` matches, directories included.
pub fn glob(base: &Path, pattern: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for alt in expand_braces(pattern) {
        let joined = clean_join(base, &alt);
        // Go's filepath.Join cleans; literal leading components are joined without listing.
        let (root, rest) = split_root(&joined);
        let comps: Vec<&str> = rest.split('/').filter(|c| !c.is_empty()).collect();
        let mut stack = HashSet::new();
        walk(&root, &comps, &mut out, &mut stack);
    }
    out
}

/// Whether a `/`-separated relative `path` (a blob path from `config/blobs.yml`) matches
/// `pattern`, with the same rules as [`glob`] but without touching the disk.
pub fn matches_path(pattern: &str, path: &str) -> bool {
    let names: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    expand_braces(pattern).iter().any(|alt| {
        let comps: Vec<&str> = alt
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .collect();
        match_components(&comps, &names)
    })
}

fn match_components(p: &[&str], n: &[&str]) -> bool {
    match p.split_first() {
        None => n.is_empty(),
        Some((&"**", rest)) => {
            if rest.is_empty() {
                return !n.is_empty();
            }
            (0..=n.len()).any(|i| match_components(rest, &n[i..]))
        }
        Some((first, rest)) => {
            !n.is_empty() && match_component(first, n[0]) && match_components(rest, &n[1..])
        }
    }
}

/// Whether one path component `name` matches one pattern component (no `/`, no braces).
pub fn match_component(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_here(&p, &n)
}

fn walk(dir: &Path, comps: &[&str], out: &mut Vec<PathBuf>, stack: &mut HashSet<(u64, u64)>) {
    let Some((&first, rest)) = comps.split_first() else {
        out.push(dir.to_path_buf());
        return;
    };
    if first == "**" {
        if rest.is_empty() {
            all_below(dir, out, stack);
            return;
        }
        walk(dir, rest, out, stack);
        for sub in subdirs(dir) {
            if let Some(id) = enter(&sub, stack) {
                walk(&sub, comps, out, stack);
                stack.remove(&id);
            }
        }
        return;
    }
    if !has_meta(first) {
        let p = dir.join(unescape(first));
        if fs::symlink_metadata(&p).is_ok() && (rest.is_empty() || p.is_dir()) {
            walk(&p, rest, out, stack);
        }
        return;
    }
    for name in sorted_names(dir) {
        if match_component(first, &name) {
            let p = dir.join(&name);
            if rest.is_empty() || p.is_dir() {
                walk(&p, rest, out, stack);
            }
        }
    }
}

fn all_below(dir: &Path, out: &mut Vec<PathBuf>, stack: &mut HashSet<(u64, u64)>) {
    for name in sorted_names(dir) {
        let p = dir.join(&name);
        out.push(p.clone());
        if p.is_dir() {
            if let Some(id) = enter(&p, stack) {
                all_below(&p, out, stack);
                stack.remove(&id);
            }
        }
    }
}

/// Guards against symlink loops: a directory already on the current path is not re-entered.
fn enter(dir: &Path, stack: &mut HashSet<(u64, u64)>) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let m = fs::metadata(dir).ok()?;
    let id = (m.dev(), m.ino());
    stack.insert(id).then_some(id)
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    sorted_names(dir)
        .into_iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_dir())
        .collect()
}

fn sorted_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

fn has_meta(c: &str) -> bool {
    c.contains(['*', '?', '[', '\\'])
}

fn unescape(c: &str) -> String {
    let mut out = String::new();
    let mut chars = c.chars();
    while let Some(ch) = chars.next() {
        if ch == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(ch);
        }
    }
    out
}

fn match_here(p: &[char], n: &[char]) -> bool {
    let Some((&pc, prest)) = p.split_first() else {
        return n.is_empty();
    };
    match pc {
        '*' => (0..=n.len()).any(|i| match_here(prest, &n[i..])),
        '?' => !n.is_empty() && match_here(prest, &n[1..]),
        '[' => {
            let Some((&c, nrest)) = n.split_first() else {
                return false;
            };
            match class(prest, c) {
                Some((true, after)) => match_here(after, nrest),
                _ => false,
            }
        }
        '\\' if !prest.is_empty() => {
            !n.is_empty() && n[0] == prest[0] && match_here(&prest[1..], &n[1..])
        }
        lit => !n.is_empty() && n[0] == lit && match_here(prest, &n[1..]),
    }
}

/// Matches `c` against a class body starting after `[`; returns (matched, rest after `]`).
fn class(p: &[char], c: char) -> Option<(bool, &[char])> {
    let (negate, mut i) = match p.first() {
        Some('^') | Some('!') => (true, 1),
        _ => (false, 0),
    };
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((matched != negate, &p[i + 1..]));
        }
        first = false;
        let mut lo = p[i];
        if lo == '\\' && i + 1 < p.len() {
            i += 1;
            lo = p[i];
        }
        let mut hi = lo;
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            hi = p[i + 2];
            i += 2;
        }
        if lo <= c && c <= hi {
            matched = true;
        }
        i += 1;
    }
    None
}

/// `{a,b}` alternatives, nested, possibly spanning `/`, expanded into plain patterns.
pub fn expand_braces(pattern: &str) -> Vec<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut depth = 0;
    let mut start = None;
    let mut commas = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '{' => {
                if depth == 0 {
                    start = Some(i);
                    commas.clear();
                }
                depth += 1;
            }
            ',' if depth == 1 => commas.push(i),
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let s = start.expect("brace start recorded");
                    let prefix: String = chars[..s].iter().collect();
                    let suffix: String = chars[i + 1..].iter().collect();
                    let mut bounds = vec![s];
                    bounds.extend(&commas);
                    bounds.push(i);
                    let mut out = Vec::new();
                    for w in bounds.windows(2) {
                        let alt: String = chars[w[0] + 1..w[1]].iter().collect();
                        for tail in expand_braces(&format!("{alt}{suffix}")) {
                            out.push(format!("{prefix}{tail}"));
                        }
                    }
                    return out;
                }
            }
            _ => {}
        }
        i += 1;
    }
    vec![pattern.to_string()]
}

/// Go's `filepath.Join(base, pattern)`: joined, then `.`/`..` resolved lexically.
fn clean_join(base: &Path, pattern: &str) -> String {
    let joined = format!("{}/{}", base.to_string_lossy(), pattern);
    let absolute = joined.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for c in joined.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            c => parts.push(c),
        }
    }
    let body = parts.join("/");
    if absolute {
        format!("/{body}")
    } else {
        body
    }
}

/// Splits off the longest prefix of literal components, which is joined without listing.
fn split_root(path: &str) -> (PathBuf, String) {
    let mut root = PathBuf::new();
    let mut rest = Vec::new();
    let mut literal = true;
    for comp in Path::new(path).components() {
        let s = comp.as_os_str().to_string_lossy().into_owned();
        if literal && (matches!(comp, Component::RootDir) || (!has_meta(&s) && s != "**")) {
            root.push(&s);
        } else {
            literal = false;
            rest.push(s);
        }
    }
    if root.as_os_str().is_empty() {
        root.push(".");
    }
    // The last literal component must be matched (checked for existence) like any other.
    if rest.is_empty() {
        if let Some(name) = root.file_name().map(|n| n.to_string_lossy().into_owned()) {
            root.pop();
            rest.push(name);
        }
    }
    (root, rest.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for f in files {
            let p = d.path().join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, f).unwrap();
        }
        d
    }

    fn check(d: &tempfile::TempDir, pattern: &str, expected: &[&str]) {
        let mut got: Vec<String> = glob(d.path(), pattern)
            .iter()
            .map(|p| {
                p.strip_prefix(d.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        got.sort();
        got.dedup();
        let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "pattern {pattern}");
    }

    #[test]
    fn star_matches_dotfiles_and_doublestar_spans_dirs() {
        let d = tree(&[
            "app/.hidden",
            "app/README",
            "app/bin/run.sh",
            "app/lib/a/b.txt",
        ]);
        check(
            &d,
            "app/*",
            &["app/.hidden", "app/README", "app/bin", "app/lib"],
        );
        check(
            &d,
            "app/**/*",
            &[
                "app/.hidden",
                "app/README",
                "app/bin",
                "app/bin/run.sh",
                "app/lib",
                "app/lib/a",
                "app/lib/a/b.txt",
            ],
        );
        check(&d, "app/**/*.txt", &["app/lib/a/b.txt"]);
        check(&d, "**/run.sh", &["app/bin/run.sh"]);
        check(&d, "app/lib/**", &["app/lib/a", "app/lib/a/b.txt"]);
    }

    #[test]
    fn braces_classes_and_literals() {
        let d = tree(&[
            "t/config.yml",
            "t/config.json",
            "t/config.txt",
            "t/a1",
            "t/b2",
        ]);
        check(
            &d,
            "t/config.{yml,json}",
            &["t/config.yml", "t/config.json"],
        );
        check(&d, "{t/a1,t/b*}", &["t/a1", "t/b2"]);
        check(&d, "t/[a-b][0-9]", &["t/a1", "t/b2"]);
        check(&d, "t/[!a]?", &["t/b2"]);
        check(&d, "t/config.txt", &["t/config.txt"]);
        check(&d, "t/missing", &[]);
        check(&d, "/t/a1", &["t/a1"]);
    }

    #[test]
    fn path_matching_agrees_with_disk_globbing() {
        assert!(matches_path(
            "runtime/*.tar.gz",
            "runtime/runtime-1.0.tar.gz"
        ));
        assert!(matches_path("**/*.gz", "a/b/c.gz"));
        assert!(matches_path("{x,runtime}/shared.txt", "runtime/shared.txt"));
        assert!(!matches_path("runtime/*", "runtime/a/b"));
        assert!(matches_path("runtime/**", "runtime/a/b"));
    }

    #[test]
    fn symlinked_dirs_are_followed_without_looping() {
        let d = tree(&["real/f.txt"]);
        symlink("real", d.path().join("link")).unwrap();
        symlink(".", d.path().join("real/self")).unwrap();
        let got = glob(d.path(), "link/*");
        assert!(got.iter().any(|p| p.ends_with("link/f.txt")));
        assert!(glob(d.path(), "**/*").len() < 100);
    }
}
