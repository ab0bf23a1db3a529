//! `diff-render`: two renders of a deployment (output directories, or manifests rendered on
//! the spot) compared file by file, as unified diffs per instance: what a deploy of B over A
//! would change on each VM.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::render::{render_all, MARKER};
use super::{prepare, DeployError};
use crate::atomic::PathError;
use crate::template::RenderOptions;

/// A render as files: `<group>/<index>` → (`<job>/<path>` → bytes).
pub type Tree = BTreeMap<String, BTreeMap<String, Vec<u8>>>;

/// Most bytes read from an output directory (a render of cf-deployment is a few MiB).
const MAX_TREE_BYTES: u64 = 1 << 30;

/// Reads an output directory, or renders a manifest with `releases`.
pub fn side(
    path: &Path,
    releases: &[PathBuf],
    vars: &Value,
    opts: RenderOptions,
) -> Result<Tree, DeployError> {
    if path.is_dir() {
        return read_tree(path);
    }
    let prep = prepare(path, releases, vars)?;
    prep.check()?;
    let rendered = render_all(&prep, None, opts)?;
    let mut t = Tree::new();
    for i in rendered {
        let files = t.entry(format!("{}/{}", i.group, i.index)).or_default();
        for j in i.jobs {
            for (p, b) in j.files {
                files.insert(format!("{}/{p}", j.job), b);
            }
        }
    }
    Ok(t)
}

/// Regular files three levels below `dir` (`group/index/job/...`); symlinks are not
/// followed.
fn read_tree(dir: &Path) -> Result<Tree, DeployError> {
    let mut t = Tree::new();
    let mut total = 0u64;
    for e in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let e = e.map_err(|e| {
            let p = e.path().unwrap_or(dir).to_path_buf();
            PathError::new("reading", &p, e.into())
        })?;
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.len() < 4 {
            if parts.len() == 1 && parts[0] == MARKER {
                continue;
            }
            continue;
        }
        total += e.metadata().map(|m| m.len()).unwrap_or(0);
        if total > MAX_TREE_BYTES {
            return Err(PathError::new(
                "reading",
                dir,
                std::io::Error::other("more than 1 GiB of rendered files"),
            )
            .into());
        }
        let bytes = std::fs::read(e.path()).map_err(|x| PathError::new("reading", e.path(), x))?;
        t.entry(format!("{}/{}", parts[0], parts[1]))
            .or_default()
            .insert(parts[2..].join("/"), bytes);
    }
    Ok(t)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Clone)]
pub struct FileChange {
    /// `<group>/<index>`.
    pub instance: String,
    /// `<job>/<path>`.
    pub path: String,
    pub kind: Kind,
    pub diff: String,
}

#[derive(Debug, Default)]
pub struct Changes {
    pub files: Vec<FileChange>,
    pub added_instances: Vec<String>,
    pub removed_instances: Vec<String>,
}

pub fn compare(a: &Tree, b: &Tree) -> Changes {
    let mut c = Changes::default();
    let empty = BTreeMap::new();
    let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
    names.sort();
    names.dedup();
    for inst in names {
        match (a.get(inst), b.get(inst)) {
            (Some(_), None) => c.removed_instances.push(inst.clone()),
            (None, Some(_)) => c.added_instances.push(inst.clone()),
            _ => {}
        }
        let fa = a.get(inst).unwrap_or(&empty);
        let fb = b.get(inst).unwrap_or(&empty);
        let mut files: Vec<&String> = fa.keys().chain(fb.keys()).collect();
        files.sort();
        files.dedup();
        for f in files {
            let (x, y) = (fa.get(f), fb.get(f));
            if x == y {
                continue;
            }
            let kind = match (x, y) {
                (None, _) => Kind::Added,
                (_, None) => Kind::Removed,
                _ => Kind::Changed,
            };
            let name_a = if x.is_some() {
                format!("a/{inst}/{f}")
            } else {
                "/dev/null".into()
            };
            let name_b = if y.is_some() {
                format!("b/{inst}/{f}")
            } else {
                "/dev/null".into()
            };
            let diff = unified(
                &name_a,
                &name_b,
                x.map(Vec::as_slice).unwrap_or(b""),
                y.map(Vec::as_slice).unwrap_or(b""),
            );
            c.files.push(FileChange {
                instance: inst.clone(),
                path: f.clone(),
                kind,
                diff,
            });
        }
    }
    c
}

impl Changes {
    /// Per instance: how many files were added, removed and changed.
    pub fn instances(&self) -> Value {
        let mut m: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
        for f in &self.files {
            let e = m.entry(&f.instance).or_default();
            e[f.kind as usize] += 1;
        }
        Value::Object(
            m.into_iter()
                .map(|(k, [a, r, c])| {
                    (
                        k.to_string(),
                        serde_json::json!({"added": a, "removed": r, "changed": c}),
                    )
                })
                .collect(),
        )
    }

    pub fn text(&self) -> String {
        let mut s = String::new();
        for i in &self.removed_instances {
            s.push_str(&format!("instance {i} removed\n"));
        }
        for i in &self.added_instances {
            s.push_str(&format!("instance {i} added\n"));
        }
        for f in &self.files {
            s.push_str(&f.diff);
        }
        s
    }
}

fn split_lines(b: &[u8]) -> Vec<&[u8]> {
    if b.is_empty() {
        return Vec::new();
    }
    b.split_inclusive(|c| *c == b'\n').collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Same,
    Del,
    Add,
}

/// The edit script between two line lists: common prefix and suffix, then a longest
/// common subsequence of the middle (a middle too large for that is replaced whole).
fn script(a: &[&[u8]], b: &[&[u8]]) -> Vec<(Op, usize, usize)> {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut out: Vec<(Op, usize, usize)> = (0..pre).map(|i| (Op::Same, i, i)).collect();
    let (n, m) = (ma.len(), mb.len());
    if n * m <= 16_000_000 {
        // lcs[i][j] = LCS length of ma[i..], mb[j..]
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && ma[i] == mb[j] {
                out.push((Op::Same, pre + i, pre + j));
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j]) {
                out.push((Op::Add, pre + i, pre + j));
                j += 1;
            } else {
                out.push((Op::Del, pre + i, pre + j));
                i += 1;
            }
        }
    } else {
        out.extend((0..n).map(|i| (Op::Del, pre + i, pre)));
        out.extend((0..m).map(|j| (Op::Add, pre + n, pre + j)));
    }
    let (ea, eb) = (a.len() - suf, b.len() - suf);
    out.extend((0..suf).map(|k| (Op::Same, ea + k, eb + k)));
    // deletions before additions within a change, as diff prints them
    let mut k = 0;
    while k < out.len() {
        if out[k].0 == Op::Same {
            k += 1;
            continue;
        }
        let start = k;
        while k < out.len() && out[k].0 != Op::Same {
            k += 1;
        }
        out[start..k].sort_by_key(|e| (e.0 == Op::Add, e.1, e.2));
    }
    // positions again, walking the reordered script
    let (mut ia, mut ib) = (0, 0);
    for e in out.iter_mut() {
        e.1 = ia;
        e.2 = ib;
        match e.0 {
            Op::Same => {
                ia += 1;
                ib += 1;
            }
            Op::Del => ia += 1,
            Op::Add => ib += 1,
        }
    }
    out
}

fn push_line(s: &mut String, sign: char, line: &[u8]) {
    s.push(sign);
    s.push_str(&String::from_utf8_lossy(line));
    if !line.ends_with(b"\n") {
        s.push_str("\n\\ No newline at end of file\n");
    }
}

/// A unified diff with three lines of context, as `diff -u` prints one (without dates).
pub fn unified(name_a: &str, name_b: &str, a: &[u8], b: &[u8]) -> String {
    let (la, lb) = (split_lines(a), split_lines(b));
    let ops = script(&la, &lb);
    let mut out = format!("--- {name_a}\n+++ {name_b}\n");
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != Op::Same).collect();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(3);
        let mut end = changed[k];
        while k < changed.len() && changed[k] <= end + 7 {
            end = changed[k];
            k += 1;
        }
        let end = (end + 4).min(ops.len());
        let hunk = &ops[start..end];
        let a_start = hunk[0].1;
        let b_start = hunk[0].2;
        let a_len = hunk.iter().filter(|o| o.0 != Op::Add).count();
        let b_len = hunk.iter().filter(|o| o.0 != Op::Del).count();
        let range = |s: usize, l: usize| match l {
            0 => format!("{s},0"),
            1 => format!("{}", s + 1),
            _ => format!("{},{l}", s + 1),
        };
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(a_start, a_len),
            range(b_start, b_len)
        ));
        for (op, i, j) in hunk {
            match op {
                Op::Same => push_line(&mut out, ' ', la[*i]),
                Op::Del => push_line(&mut out, '-', la[*i]),
                Op::Add => push_line(&mut out, '+', lb[*j]),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_changed_line_has_three_lines_of_context() {
        let a = b"1\n2\n3\n4\n5\n6\n7\n8\n";
        let b = b"1\n2\n3\n4\nfive\n6\n7\n8\n";
        assert_eq!(
            unified("a/x", "b/x", a, b),
            "--- a/x\n+++ b/x\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn a_change_on_the_first_line_starts_both_ranges_at_one() {
        assert_eq!(
            unified("a/x", "b/x", b"1\n2\n", b"one\n2\n"),
            "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-1\n+one\n 2\n"
        );
    }

    #[test]
    fn new_file_and_missing_newline() {
        assert_eq!(
            unified("/dev/null", "b/x", b"", b"a\nb"),
            "--- /dev/null\n+++ b/x\n@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file\n"
        );
    }
}
