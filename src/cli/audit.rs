//! `portfolio-desk audit`: the audit log in words, filtered, as CSV or
//! Markdown; and the filter values' parsing shared with the screen.

use std::path::PathBuf;

use clap::ArgMatches;

use crate::domain::audit::tables_for;
use crate::domain::roc::parse_date;
use crate::i18n::{Localized, tr, trf};
use crate::io::calendar_export::md_cell;
use crate::io::csv_out::{Sheet, ours, text};
use crate::store::AuditFilter;
use crate::ui::audit_text::{Names, describe};

use super::{Failure, check_out, note, open_existing, write_out};

/// Rows read per query while exporting.
const PAGE: usize = 1000;

/// The filter from the command line; a bad date or kind is refused,
/// quoting it.
fn filter_of(sub: &ArgMatches) -> Result<AuditFilter, Failure> {
    let date = |name: &str| -> Result<Option<chrono::NaiveDate>, Failure> {
        match sub.get_one::<String>(name) {
            None => Ok(None),
            Some(s) => parse_date(s).map(Some).map_err(|e| {
                Failure(trf(
                    "audit.bad_date",
                    &[("input", s.clone()), ("reason", e.message())],
                ))
            }),
        }
    };
    let since = date("since")?;
    let until = date("until")?;
    if let (Some(a), Some(b)) = (since, until)
        && b < a
    {
        return Err(Failure(trf(
            "audit.reversed",
            &[
                (
                    "since",
                    sub.get_one::<String>("since").cloned().unwrap_or_default(),
                ),
                (
                    "until",
                    sub.get_one::<String>("until").cloned().unwrap_or_default(),
                ),
            ],
        )));
    }
    let tables = match sub.get_one::<String>("kind") {
        None => Vec::new(),
        Some(k) => {
            tables_for(k).ok_or_else(|| Failure(trf("audit.bad_kind", &[("input", k.clone())])))?
        }
    };
    Ok(AuditFilter {
        since,
        until,
        who: sub.get_one::<String>("who").map(|s| s.trim().to_string()),
        tables,
        text: sub.get_one::<String>("text").cloned().unwrap_or_default(),
    })
}

pub(super) fn audit(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let filter = filter_of(sub)?;
    let out = sub.get_one::<PathBuf>("out");
    let db = check_out(m, out)?;
    let md = sub
        .get_one::<String>("format")
        .is_some_and(|f| f.eq_ignore_ascii_case("md"));
    let store = open_existing(m)?;
    let mut names = Names::default();
    let headers = [
        tr("audit.col_when"),
        tr("audit.col_login"),
        tr("audit.col_name"),
        tr("audit.col_action"),
        tr("audit.col_record"),
        tr("audit.col_changes"),
    ];
    let mut sheet = Sheet::new();
    let mut text_out = String::new();
    if md {
        text_out.push_str(&format!("# {}\n\n", tr("audit.title")));
        text_out.push_str(&format!("| {} |\n", headers.join(" | ")));
        text_out.push_str(&format!("|{}\n", " --- |".repeat(headers.len())));
    } else {
        sheet.header(&headers);
    }
    let mut before = None;
    let mut n = 0usize;
    loop {
        let page = store.audit_page(&filter, before, PAGE)?;
        let Some(last) = page.last() else { break };
        before = Some(last.id);
        for a in &page {
            let d = describe(&store, a, &mut names, usize::MAX);
            n += 1;
            let staff = d.staff.clone().unwrap_or_default();
            if md {
                text_out.push_str(&format!(
                    "| {} | {} | {} | {} | {} | {} |\n",
                    md_cell(&d.when),
                    md_cell(&d.login),
                    md_cell(&staff),
                    md_cell(&d.action),
                    md_cell(&d.record),
                    md_cell(&d.changes.join("\n")),
                ));
            } else {
                sheet.row(&[
                    ours(d.when.as_str()),
                    text(d.login.as_str()),
                    text(staff.as_str()),
                    ours(d.action.as_str()),
                    text(d.record.as_str()),
                    text(d.changes.join("\n")),
                ]);
            }
        }
    }
    let bytes = if md {
        if n == 0 {
            text_out.push_str(&format!("\n{}\n", tr("audit.none_found")));
        }
        text_out.into_bytes()
    } else {
        sheet.finish()
    };
    match write_out(&db, out, &bytes)? {
        Some(p) => note(
            &trf(
                "audit.written",
                &[("n", n.to_string()), ("path", p.display().to_string())],
            ),
            false,
        ),
        None => note(&trf("audit.exported", &[("n", n.to_string())]), true),
    }
    Ok(())
}
