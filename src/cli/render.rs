//! Human output of release summaries and verification reports.

use super::output::{self, Ui};
use crate::release;

pub(super) fn verify_text(r: &crate::verify::Report) -> String {
    let what = format!("{:?}", r.artifact).to_lowercase();
    let head = if r.name.is_empty() {
        format!("{} ({what})", r.path.display())
    } else {
        format!("{} ({what} {}/{})", r.path.display(), r.name, r.version)
    };
    let rows: Vec<Vec<String>> = r
        .findings
        .iter()
        .map(|f| {
            let sev = format!("{:?}", f.severity).to_lowercase();
            vec![
                sev,
                f.entry.clone(),
                f.problem.clone(),
                f.expected.clone(),
                f.actual.clone(),
            ]
        })
        .collect();
    let verdict = if r.ok() { "OK" } else { "FAILED" };
    let mut out = format!(
        "{head}: {verdict}, {} checks, {} finding(s)",
        r.checks,
        r.findings.len()
    );
    if !rows.is_empty() {
        out.push_str("\n\n");
        out.push_str(&super::table::aligned(
            Some(&["Severity", "Entry", "Problem", "Expected", "Actual"]),
            &rows,
        ));
    }
    out
}

pub(super) fn show_summary(ui: &Ui, s: &release::Summary) {
    output::release_summary(ui, s);
}
