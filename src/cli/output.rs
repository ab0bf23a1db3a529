//! How results reach the user, in the three ways the `bosh` CLI's ui package has: on a
//! terminal (aligned tables with headers, progress lines, `Succeeded`), for scripts when stdout
//! is not a terminal (tables as tab-separated rows, nothing else), and as the `--json`
//! envelope `{"Tables":[…],"Blocks":null,"Lines":[…]}` that also carries errors. Commands
//! hand over [`Table`]s and lines; this is the only place that writes to stdout, and
//! [`Ui::finish`] the only place that prints an error and picks the exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Mutex;

use super::table::{col, list_col, JsonTable, Table};
use crate::error::Error;
use crate::manifest::release_mf::ReleaseManifest;
use crate::release::Summary;

/// The version of the JSON documents of bale's own commands (`"schema": "bale/1"`); raised
/// when a field changes meaning or disappears, not when one is added.
pub const SCHEMA: &str = "bale/1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// stdout is a terminal, or `--tty` asked for terminal output in a log.
    Terminal,
    /// stdout is a pipe or file: what scripts parse.
    Plain,
    /// `--json`.
    Json,
}

#[derive(Default)]
struct State {
    tables: Vec<JsonTable>,
    blocks: Vec<String>,
    lines: Vec<String>,
    tables_printed: usize,
    /// An error line went out before: the CLI's padding puts an empty stdout line before
    /// the next one.
    padded: bool,
    /// bale's own command whose document this run prints instead of the envelope.
    own: Option<&'static str>,
    document_printed: bool,
}

pub struct Ui {
    pub mode: Mode,
    /// Progress lines are printed (terminal, or `--tty`).
    progress: bool,
    /// A live spinner with elapsed time, only when stdout is a terminal.
    bar: Option<indicatif::ProgressBar>,
    /// Errors in red, as the CLI prints them when stdout is a terminal.
    color: bool,
    state: Mutex<State>,
}

impl Ui {
    pub fn new(json: bool, tty: bool) -> Ui {
        Ui::with_spinner(json, tty, true)
    }

    /// A `Ui` for a command that answers at once (interpolate): no spinner to flash.
    pub fn without_spinner(json: bool, tty: bool) -> Ui {
        Ui::with_spinner(json, tty, false)
    }

    fn with_spinner(json: bool, tty: bool, spinner: bool) -> Ui {
        let terminal = std::io::stdout().is_terminal();
        let mode = if json {
            Mode::Json
        } else if terminal || tty {
            Mode::Terminal
        } else {
            Mode::Plain
        };
        let bar = (spinner && terminal && mode == Mode::Terminal).then(|| {
            let b = indicatif::ProgressBar::new_spinner();
            b.set_style(
                indicatif::ProgressStyle::with_template("{spinner} [{elapsed}] {wide_msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        });
        Ui {
            mode,
            progress: mode == Mode::Terminal,
            bar,
            color: terminal && mode == Mode::Terminal,
            state: Mutex::new(State::default()),
        }
    }

    pub fn json(&self) -> bool {
        self.mode == Mode::Json
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn print(&self, s: &str) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(s.as_bytes());
        let _ = out.flush();
    }

    /// A progress line from the library's `Report`: above the spinner on a terminal, a plain
    /// line with `--tty`, nothing for scripts, an entry of `Lines` in JSON. A line the library
    /// frames with blank lines (`\nAdded dev release …\n`) is a result the CLI prints with
    /// `PrintLinef`; the others are its `BeginLinef` progress, which its JSON keeps with their
    /// newline.
    pub fn line(&self, s: &str) {
        match self.mode {
            Mode::Json => {
                let framed = s.starts_with('\n') || s.ends_with('\n');
                let t = s.trim_matches('\n');
                let mut st = self.state();
                st.lines.push(if framed {
                    t.to_string()
                } else {
                    format!("{t}\n")
                });
            }
            Mode::Plain => {}
            Mode::Terminal if self.progress => match &self.bar {
                Some(b) => {
                    b.set_message(s.trim().to_string());
                    b.println(s);
                }
                None => {
                    let _g = self.state();
                    let mut out = std::io::stdout().lock();
                    let _ = writeln!(out, "{s}");
                }
            },
            Mode::Terminal => {}
        }
    }

    /// A result line of a command the CLI has (`Added blob 'x'`): printed on terminals,
    /// an entry of `Lines` in JSON, left out for scripts as the CLI leaves it out.
    pub fn say(&self, s: &str) {
        match self.mode {
            Mode::Terminal => {
                let _g = self.state();
                self.print(&format!("{s}\n"));
            }
            Mode::Json => self.state().lines.push(s.to_string()),
            Mode::Plain => {}
        }
    }

    /// A result scripts need that is not a table (verify's verdicts, an upload's outcome):
    /// printed on terminals and for scripts, an entry of `Lines` in JSON (bale's own
    /// commands put their data in their [`Ui::document`] instead).
    pub fn text(&self, s: &str) {
        if self.mode == Mode::Json {
            self.state().lines.push(s.to_string());
        } else {
            let _g = self.state();
            self.print(&format!("{s}\n"));
        }
    }

    /// Progress of blob transfers and create-release's builds: a failure is an error line
    /// the CLI prints on stderr even for scripts (after an empty stdout line when one came
    /// before), an entry of `Lines` as it is in JSON; the rest is [`Ui::line`].
    pub fn progress(&self, p: crate::progress::Progress) {
        match (p, self.mode) {
            (crate::progress::Progress::Failed(s), Mode::Plain) => {
                let mut st = self.state();
                if st.padded {
                    self.print("\n");
                }
                st.padded = true;
                eprintln!("{s}");
            }
            (crate::progress::Progress::Failed(s), Mode::Json) => {
                self.state().lines.push(s.to_string());
            }
            (p, _) => self.line(p.text()),
        }
    }

    /// A block of text printed as it is (interpolate's document): on stdout in every mode
    /// but JSON, where it is an entry of `Blocks`.
    pub fn block(&self, s: &str) {
        if self.mode == Mode::Json {
            self.state().blocks.push(s.to_string());
        } else {
            let _g = self.state();
            self.print(s);
        }
    }

    /// A table, rendered for the mode: tables are separated by one empty line.
    pub fn table(&self, t: &Table) {
        let mut st = self.state();
        match self.mode {
            Mode::Json => st.tables.push(t.json()),
            Mode::Terminal | Mode::Plain => {
                let text = if self.mode == Mode::Terminal {
                    t.terminal()
                } else {
                    t.plain()
                };
                let sep = if st.tables_printed > 0 { "\n" } else { "" };
                st.tables_printed += 1;
                self.print(&format!("{sep}{text}"));
            }
        }
    }

    /// Marks this run as one of bale's own commands: with `--json` it prints a document of
    /// the bale schema instead of the CLI's envelope, errors included.
    pub fn own_command(&self, name: &'static str) {
        self.state().own = Some(name);
    }

    /// The JSON document of one of bale's own commands: `{"schema": "bale/1", "command":
    /// NAME, …data}` (an array is put under `items`). Printed at once, and only once.
    pub fn document(&self, data: serde_json::Value) {
        if self.mode != Mode::Json {
            return;
        }
        let mut st = self.state();
        if st.document_printed {
            return;
        }
        st.document_printed = true;
        let doc = bale_document(st.own.unwrap_or("bale"), data);
        self.print(&format!("{}\n", pretty(&doc, b"  ")));
    }

    /// Stops the spinner before something else writes to the terminal.
    pub fn done(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }

    /// Ends the run: `Succeeded`, or the error nested as the CLI nests it followed by
    /// `Exit code 1`, each where the mode puts it; returns the exit code (see the README's
    /// table of exit codes).
    pub fn finish(&self, result: Result<(), Error>) -> ExitCode {
        self.done();
        let code = match &result {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(1),
        };
        let mut st = self.state();
        match (self.mode, result) {
            (Mode::Terminal, Ok(())) => self.print("\nSucceeded\n"),
            (Mode::Terminal, Err(e)) => {
                // The CLI's order: the error on stderr, an empty line on stdout, then the
                // exit code on stderr; both in red when stdout is a terminal.
                eprintln!("{}", self.red(&e.to_string()));
                self.print("\n");
                eprintln!("{}", self.red("Exit code 1"));
            }
            (Mode::Plain, Ok(())) => {}
            (Mode::Plain, Err(e)) => {
                // The CLI pads before each error line once anything went out: before the
                // message if a blob failure did, and before `Exit code 1` always.
                if st.padded {
                    self.print("\n");
                }
                self.print("\n");
                eprintln!("{e}\nExit code 1");
            }
            (Mode::Json, result) => {
                if let Some(own) = st.own {
                    if let Err(e) = result {
                        if !st.document_printed {
                            let doc = serde_json::json!({
                                "schema": SCHEMA,
                                "command": own,
                                "error": e.to_string(),
                            });
                            self.print(&format!("{}\n", pretty(&doc, b"  ")));
                        }
                    }
                    return code;
                }
                match result {
                    Ok(()) => st.lines.push("Succeeded".into()),
                    Err(e) => {
                        st.lines.push(e.to_string());
                        st.lines.push("Exit code 1".into());
                    }
                }
                let env = Envelope {
                    tables: (!st.tables.is_empty()).then(|| std::mem::take(&mut st.tables)),
                    blocks: (!st.blocks.is_empty()).then(|| std::mem::take(&mut st.blocks)),
                    lines: Some(std::mem::take(&mut st.lines)),
                };
                self.print(&go_json(&pretty(&env, b"    ")));
            }
        }
        code
    }
}

impl Ui {
    fn red(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[31m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// The CLI's JSON output: one object, indented by four spaces, no trailing newline.
#[derive(serde::Serialize)]
struct Envelope {
    #[serde(rename = "Tables")]
    tables: Option<Vec<JsonTable>>,
    #[serde(rename = "Blocks")]
    blocks: Option<Vec<String>>,
    #[serde(rename = "Lines")]
    lines: Option<Vec<String>>,
}

fn pretty<T: serde::Serialize>(v: &T, indent: &[u8]) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(indent);
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    let _ = v.serialize(&mut ser);
    String::from_utf8(buf).unwrap_or_default()
}

/// Go's encoder escapes `<`, `>`, `&`, U+2028 and U+2029 inside strings; in JSON text those
/// characters occur only inside strings, so replacing them everywhere is exact.
fn go_json(s: &str) -> String {
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// `{"schema", "command", …fields}` for an object, `items` for anything else.
pub fn bale_document(command: &str, data: serde_json::Value) -> serde_json::Value {
    let mut doc = serde_json::Map::new();
    doc.insert("schema".into(), SCHEMA.into());
    doc.insert("command".into(), command.into());
    match data {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                if k != "schema" && k != "command" {
                    doc.insert(k, v);
                }
            }
        }
        other => {
            doc.insert("items".into(), other);
        }
    }
    serde_json::Value::Object(doc)
}

/// bale's own document as text, for the commands that print without a [`Ui`].
pub fn bale_document_text(command: &str, data: serde_json::Value) -> String {
    pretty(&bale_document(command, data), b"  ")
}

/// The CLI's release summary: the release record, then its jobs and its packages.
pub fn release_summary(ui: &Ui, s: &Summary) {
    let m: &ReleaseManifest = &s.manifest;
    let mut head_cols = vec![
        col("name", "Name"),
        col("version", "Version"),
        col("commit_hash", "Commit Hash"),
    ];
    let mut head = vec![
        m.name.clone(),
        m.version.clone(),
        format!(
            "{}{}",
            m.commit_hash,
            if m.uncommitted_changes { "+" } else { "" }
        ),
    ];
    if let Some(a) = &s.archive {
        head_cols.push(col("archive", "Archive"));
        head.push(a.display().to_string());
    }
    ui.table(&Table::record(head_cols, head));
    // The CLI sorts these tables by their first cell, `name/fingerprint` as text: job
    // `toolbelt` comes after `toolbelt-vault` ('/' sorts after '-').
    let mut jobs: Vec<Vec<String>> = m
        .jobs
        .iter()
        .map(|j| {
            vec![
                format!("{}/{}", j.name, j.fingerprint),
                j.sha1.clone(),
                j.packages.as_deref().unwrap_or(&[]).join("\n"),
            ]
        })
        .collect();
    jobs.sort_by(|a, b| a[0].cmp(&b[0]));
    ui.table(&Table::new(
        "jobs",
        vec![
            col("job", "Job"),
            col("digest", "Digest"),
            list_col("packages", "Packages"),
        ],
        jobs,
    ));
    let compiled = !m.compiled_packages.is_empty();
    let mut pkgs: Vec<Vec<String>> = m
        .packages
        .iter()
        .chain(&m.compiled_packages)
        .map(|p| {
            let mut row = vec![
                format!("{}/{}", p.name, p.fingerprint),
                p.sha1.clone(),
                p.dependencies.join("\n"),
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
    pkgs.sort_by(|a, b| a[0].cmp(&b[0]));
    let mut cols = vec![col("package", "Package"), col("digest", "Digest")];
    if compiled {
        cols.push(col("os", "OS"));
        cols.push(col("os_version", "OS Version"));
    }
    cols.push(list_col("dependencies", "Dependencies"));
    ui.table(&Table::new("packages", cols, pkgs));
}
