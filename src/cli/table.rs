//! A table as the `bosh` CLI's ui package holds it, and its three renderings: aligned with a
//! header on a terminal, tab-separated rows without a header for scripts, and the `--json`
//! envelope's `{"Content","Header","Rows","Notes"}` object. Commands build tables from their
//! data once; only the [`Ui`](super::output::Ui) decides which rendering the user gets.

use std::collections::BTreeMap;

/// One column: its key in JSON rows (the CLI's lowercased, underscored title) and its title.
#[derive(Debug, Clone)]
pub struct Column {
    pub key: &'static str,
    pub title: &'static str,
    /// An empty cell prints `-` on terminals and in plain rows (JSON keeps `""`), as the CLI
    /// prints empty lists such as a package without dependencies.
    pub dash_if_empty: bool,
}

pub const fn col(key: &'static str, title: &'static str) -> Column {
    Column {
        key,
        title,
        dash_if_empty: false,
    }
}

pub const fn list_col(key: &'static str, title: &'static str) -> Column {
    Column {
        key,
        title,
        dash_if_empty: true,
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    /// What the rows are ("blobs", "jobs"): JSON `Content`, and the `N <content>` count line
    /// on terminals. Empty for a table that only shows one record.
    pub content: String,
    pub columns: Vec<Column>,
    /// Cells in column order; a cell may hold several lines.
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
    /// One record printed as `Title  value` lines on terminals and as values alone in plain
    /// mode (the CLI's release header).
    pub transpose: bool,
}

impl Table {
    pub fn new(content: &str, columns: Vec<Column>, rows: Vec<Vec<String>>) -> Table {
        Table {
            content: content.to_string(),
            columns,
            rows,
            notes: Vec::new(),
            transpose: false,
        }
    }

    /// One record shown as title/value pairs.
    pub fn record(columns: Vec<Column>, values: Vec<String>) -> Table {
        Table {
            transpose: true,
            ..Table::new("", columns, vec![values])
        }
    }

    pub fn with_notes(mut self, notes: &[&str]) -> Table {
        self.notes = notes.iter().map(|n| n.to_string()).collect();
        self
    }

    fn shown_rows(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| {
                r.iter()
                    .zip(&self.columns)
                    .map(|(c, col)| {
                        if c.is_empty() && col.dash_if_empty {
                            "-".to_string()
                        } else {
                            c.clone()
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// The terminal rendering, with the `N <content>` line the CLI adds under lists.
    pub fn terminal(&self) -> String {
        if self.transpose {
            let pairs: Vec<Vec<String>> = self
                .columns
                .iter()
                .zip(self.shown_rows().into_iter().next().unwrap_or_default())
                .map(|(c, v)| vec![c.title.to_string(), v])
                .collect();
            return aligned(None, &pairs);
        }
        let titles: Vec<&str> = self.columns.iter().map(|c| c.title).collect();
        let mut out = aligned(Some(&titles), &self.shown_rows());
        if !self.notes.is_empty() {
            out.push('\n');
            for n in &self.notes {
                out.push_str(n);
                out.push('\n');
            }
        }
        if !self.content.is_empty() {
            out.push_str(&format!("\n{} {}\n", self.rows.len(), self.content));
        }
        out
    }

    /// The rendering for scripts: no header, no count; every cell padded to its column's
    /// width (the last column unpadded) and followed by a tab, so `awk -F'\t'` and
    /// whitespace splitting both work.
    pub fn plain(&self) -> String {
        let rows = self.shown_rows();
        let rows: Vec<Vec<String>> = if self.transpose {
            rows.into_iter()
                .next()
                .unwrap_or_default()
                .into_iter()
                .map(|v| vec![v])
                .collect()
        } else {
            rows
        };
        let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0usize; ncols];
        for r in &rows {
            for (i, c) in r.iter().enumerate() {
                for l in c.lines() {
                    widths[i] = widths[i].max(l.chars().count());
                }
            }
        }
        let mut out = String::new();
        for r in &rows {
            let lines: Vec<Vec<&str>> = r.iter().map(|c| c.lines().collect()).collect();
            let height = lines.iter().map(|l| l.len().max(1)).max().unwrap_or(1);
            for i in 0..height {
                for (col, l) in lines.iter().enumerate() {
                    let text = l.get(i).copied().unwrap_or("");
                    out.push_str(text);
                    if col + 1 < ncols {
                        out.push_str(&" ".repeat(widths[col] - text.chars().count()));
                    }
                    out.push('\t');
                }
                out.push('\n');
            }
        }
        out
    }

    /// The envelope's table object: every cell a string, keys sorted as Go sorts map keys.
    pub fn json(&self) -> JsonTable {
        let header = self
            .columns
            .iter()
            .map(|c| (c.key.to_string(), c.title.to_string()))
            .collect();
        let rows = self
            .rows
            .iter()
            .map(|r| {
                self.columns
                    .iter()
                    .zip(r)
                    .map(|(c, v)| (c.key.to_string(), v.clone()))
                    .collect()
            })
            .collect();
        JsonTable {
            content: self.content.clone(),
            header,
            rows,
            notes: (!self.notes.is_empty()).then(|| self.notes.clone()),
        }
    }
}

#[derive(Debug, serde::Serialize)]
pub struct JsonTable {
    #[serde(rename = "Content")]
    content: String,
    #[serde(rename = "Header")]
    header: BTreeMap<String, String>,
    #[serde(rename = "Rows")]
    rows: Vec<BTreeMap<String, String>>,
    #[serde(rename = "Notes")]
    notes: Option<Vec<String>>,
}

/// Columns padded to their widest line, two spaces between and after, the last column
/// unpadded; a cell may span several lines.
pub fn aligned(headers: Option<&[&str]>, rows: &[Vec<String>]) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn blobs() -> Table {
        Table::new(
            "blobs",
            vec![
                col("path", "Path"),
                col("size", "Size"),
                col("blobstore_id", "Blobstore ID"),
                col("digest", "Digest"),
            ],
            vec![
                vec![
                    "assets/words.txt".into(),
                    "17 B".into(),
                    "(local)".into(),
                    "sha256:4f".into(),
                ],
                vec![
                    "runner/runner-1.0.tar.gz".into(),
                    "147 B".into(),
                    "(local)".into(),
                    "sha256:3f".into(),
                ],
            ],
        )
    }

    #[test]
    fn terminal_tables_align_like_the_cli() {
        assert_eq!(
            blobs().terminal(),
            "Path                      Size   Blobstore ID  Digest  \nassets/words.txt          17 B   (local)       sha256:4f  \nrunner/runner-1.0.tar.gz  147 B  (local)       sha256:3f  \n\n2 blobs\n"
        );
    }

    #[test]
    fn plain_rows_are_padded_and_tab_terminated_like_the_cli() {
        // The CLI's `bosh blobs` without a terminal (ci-output step 07).
        assert_eq!(
            blobs().plain(),
            "assets/words.txt        \t17 B \t(local)\tsha256:4f\t\nrunner/runner-1.0.tar.gz\t147 B\t(local)\tsha256:3f\t\n"
        );
        let t = Table::new(
            "packages",
            vec![
                col("package", "Package"),
                list_col("dependencies", "Dependencies"),
            ],
            vec![
                vec!["a/1".into(), "".into()],
                vec!["bb/2".into(), "x\ny".into()],
            ],
        );
        assert_eq!(t.plain(), "a/1 \t-\t\nbb/2\tx\t\n    \ty\t\n");
        let h = Table::record(
            vec![col("name", "Name"), col("version", "Version")],
            vec!["toy".into(), "0+dev.1".into()],
        );
        assert_eq!(h.plain(), "toy\t\n0+dev.1\t\n");
        assert_eq!(h.terminal(), "Name     toy  \nVersion  0+dev.1  \n");
    }

    #[test]
    fn json_cells_are_strings_keyed_by_column() {
        let t = Table::new(
            "packages",
            vec![
                col("package", "Package"),
                list_col("dependencies", "Dependencies"),
            ],
            vec![vec!["a/1".into(), "".into()]],
        );
        assert_eq!(
            serde_json::to_string(&t.json()).unwrap(),
            r#"{"Content":"packages","Header":{"dependencies":"Dependencies","package":"Package"},"Rows":[{"dependencies":"","package":"a/1"}],"Notes":null}"#
        );
    }
}
