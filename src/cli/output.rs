//! How results reach the user: aligned tables like the `bosh` CLI's, progress lines on a
//! terminal (or with `--tty`), JSON with `--json`. The only place that writes to stdout.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use crate::manifest::release_mf::ReleaseManifest;
use crate::release::Summary;

pub struct Ui {
    pub json: bool,
    pub progress: bool,
    /// A live spinner with elapsed time, only when stdout is a terminal.
    bar: Option<indicatif::ProgressBar>,
    lock: Mutex<()>,
    /// Set once a JSON document is out, so a failing command does not print a second one.
    json_done: std::sync::atomic::AtomicBool,
}

impl Ui {
    pub fn new(json: bool, tty: bool) -> Ui {
        let terminal = std::io::stdout().is_terminal();
        let bar = (terminal && !json).then(|| {
            let b = indicatif::ProgressBar::new_spinner();
            b.set_style(
                indicatif::ProgressStyle::with_template("{spinner} [{elapsed}] {wide_msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        });
        Ui {
            json,
            progress: !json && (tty || terminal),
            bar,
            lock: Mutex::new(()),
            json_done: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// A progress line: above the spinner on a terminal, a plain line with `--tty` (as CI
    /// logs want it), nothing in JSON mode.
    pub fn line(&self, s: &str) {
        if !self.progress {
            return;
        }
        match &self.bar {
            Some(b) => {
                b.set_message(s.trim().to_string());
                b.println(s);
            }
            None => {
                let _g = self.lock.lock();
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{s}");
            }
        }
    }

    /// Output that is part of the result (tables, confirmations), suppressed in JSON mode.
    pub fn say(&self, s: &str) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
        if !self.json {
            let _g = self.lock.lock();
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{s}");
        }
    }

    /// Stops the spinner before an error is printed.
    pub fn done(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }

    pub fn json(&self, v: &serde_json::Value) {
        if self
            .json_done
            .swap(true, std::sync::atomic::Ordering::SeqCst)
        {
            return;
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(v).unwrap_or_default()
        );
    }
}

/// Columns padded to their widest line, two spaces between and after, the last column
/// unpadded; a cell may span several lines.
pub fn table(headers: Option<&[&str]>, rows: &[Vec<String>]) -> String {
    let ncols = headers
        .map(|h| h.len())
        .or_else(|| rows.first().map(|r| r.len()))
        .unwrap_or(0);
    let mut widths = vec![0usize; ncols];
    let mut measure = |cells: Vec<&str>| {
        for (i, c) in cells.into_iter().enumerate() {
            for l in c.lines() {
                widths[i] = widths[i].max(l.chars().count());
            }
        }
    };
    if let Some(h) = headers {
        measure(h.to_vec());
    }
    for r in rows {
        measure(r.iter().map(String::as_str).collect());
    }
    let mut out = String::new();
    let mut emit = |cells: Vec<&str>| {
        let lines: Vec<Vec<&str>> = cells.iter().map(|c| c.lines().collect()).collect();
        let height = lines.iter().map(|l| l.len().max(1)).max().unwrap_or(1);
        for i in 0..height {
            for (col, l) in lines.iter().enumerate() {
                let text = l.get(i).copied().unwrap_or("");
                out.push_str(text);
                if col + 1 < ncols {
                    out.push_str(&" ".repeat(widths[col] - text.chars().count()));
                }
                out.push_str("  ");
            }
            out.push('\n');
        }
    };
    if let Some(h) = headers {
        emit(h.to_vec());
    }
    for r in rows {
        emit(r.iter().map(String::as_str).collect());
    }
    out
}

fn or_dash(v: &[String]) -> String {
    if v.is_empty() {
        "-".into()
    } else {
        v.join("\n")
    }
}

/// The CLI's release summary: name/version table, jobs table, packages table.
pub fn release_summary(s: &Summary) -> String {
    let m: &ReleaseManifest = &s.manifest;
    let mut head = vec![
        vec!["Name".to_string(), m.name.clone()],
        vec!["Version".into(), m.version.clone()],
        vec![
            "Commit Hash".into(),
            format!(
                "{}{}",
                m.commit_hash,
                if m.uncommitted_changes { "+" } else { "" }
            ),
        ],
    ];
    if let Some(a) = &s.archive {
        head.push(vec!["Archive".into(), a.display().to_string()]);
    }
    let mut out = table(None, &head);
    let jobs: Vec<Vec<String>> = m
        .jobs
        .iter()
        .map(|j| {
            vec![
                format!("{}/{}", j.name, j.fingerprint),
                j.sha1.clone(),
                or_dash(j.packages.as_deref().unwrap_or(&[])),
            ]
        })
        .collect();
    out.push('\n');
    out.push_str(&table(Some(&["Job", "Digest", "Packages"]), &jobs));
    out.push_str(&format!("\n{} jobs\n\n", m.jobs.len()));
    let compiled = !m.compiled_packages.is_empty();
    let pkgs: Vec<Vec<String>> = m
        .packages
        .iter()
        .chain(&m.compiled_packages)
        .map(|p| {
            let mut row = vec![
                format!("{}/{}", p.name, p.fingerprint),
                p.sha1.clone(),
                or_dash(&p.dependencies),
            ];
            if compiled {
                let (os, ver) = p
                    .stemcell
                    .as_deref()
                    .and_then(|s| s.split_once('/'))
                    .unwrap_or(("-", "-"));
                row.insert(2, os.to_string());
                row.insert(3, ver.to_string());
            }
            row
        })
        .collect();
    let headers: &[&str] = if compiled {
        &["Package", "Digest", "OS", "OS Version", "Dependencies"]
    } else {
        &["Package", "Digest", "Dependencies"]
    };
    out.push_str(&table(Some(headers), &pkgs));
    out.push_str(&format!(
        "\n{} packages",
        m.packages.len() + m.compiled_packages.len()
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_like_the_cli() {
        let t = table(
            Some(&["Path", "Size", "Digest"]),
            &[
                vec![
                    "runtime/runtime-1.0.tar.gz".into(),
                    "146 B".into(),
                    "sha256:a9".into(),
                ],
                vec![
                    "runtime/shared.txt".into(),
                    "42 B".into(),
                    "sha256:22".into(),
                ],
            ],
        );
        assert_eq!(
            t,
            "Path                        Size   Digest  \nruntime/runtime-1.0.tar.gz  146 B  sha256:a9  \nruntime/shared.txt          42 B   sha256:22  \n"
        );
    }
}
