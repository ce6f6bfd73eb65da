//! How a calendar-check finding reads, on the screen and on the command line.

use crate::domain::calendar::{Finding, Severity};
use crate::i18n::{tr, trf};

/// Arguments whose values are i18n keys (phase names) are translated.
fn args(f: &Finding) -> Vec<(&'static str, String)> {
    f.args
        .iter()
        .map(|(k, v)| match *k {
            "phase" | "prev_phase" => (*k, tr(v).to_string()),
            // The school's regulation sets no lead days.
            "lead" if v == "-" => (*k, tr("calendar.lead_unset").to_string()),
            _ => (*k, v.clone()),
        })
        .collect()
}

/// What is wrong, in one sentence.
pub fn message(f: &Finding) -> String {
    trf(&f.message_key(), &args(f))
}

/// Why it matters: the rule and where it comes from — with the article of
/// the school's regulation when the rule is one of the school's own.
pub fn why(f: &Finding) -> String {
    let why = trf(&f.why_key(), &args(f));
    match f.args.iter().find(|(k, _)| *k == "article") {
        Some((_, a)) => trf(
            "calendar.why_article",
            &[("why", why), ("article", a.clone())],
        ),
        None => why,
    }
}

pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => tr("calendar.severity_error"),
        Severity::Warning => tr("calendar.severity_warning"),
    }
}

/// "期程檢查：2 個錯誤、3 個提醒。" or "nothing found".
pub fn summary(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return tr("calendar.check_clean").to_string();
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    trf(
        "calendar.check_summary",
        &[
            ("errors", errors.to_string()),
            ("warnings", (findings.len() - errors).to_string()),
        ],
    )
}
