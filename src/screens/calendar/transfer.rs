//! Importing a CSV file (bad rows listed with their lines; "import the good
//! rows only?" before anything is written) and exporting the shown term
//! (HTML, Markdown, ICS, CSV) to a file.

use std::path::PathBuf;

use super::{Calendar, Overlay, PendingImport, Report, ReportLine};
use crate::domain::roc::{Term, parse_term};
use crate::i18n::{Localized, tr, trf};
use crate::io::calendar_csv::read_events;
use crate::io::calendar_export::{self, Format, Publish, export};
use crate::io::out_file::{self, Target};
use crate::screens::{Ctx, Intent, Popup};
use crate::store::{EventRec, ImportOutcome};
use crate::ui::confirm::Confirm;
use crate::ui::dates;
use crate::ui::form::{Field, Form};

const I_PATH: usize = 0;
const I_TERM: usize = 1;
const E_FORMAT: usize = 0;
const E_PATH: usize = 1;

/// `~/x.csv` is in the home directory.
/// The moment of an export (ICS DTSTAMP): the store's clock, which tests
/// and snapshots freeze, in UTC.
fn export_moment(ctx: &Ctx) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(&ctx.store.now())
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| chrono::Utc::now())
}

pub(crate) fn expand(path: &str) -> PathBuf {
    if let Some(rest) = path.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(path)
}

fn io_reason(path: &str, e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => trf("calscreen.err_not_found", &[("path", path.into())]),
        std::io::ErrorKind::PermissionDenied => {
            trf("calscreen.err_permission", &[("path", path.into())])
        }
        _ => trf(
            "calscreen.err_io",
            &[("path", path.into()), ("reason", e.to_string())],
        ),
    }
}

/// `./期程-115-1.html`.
pub(crate) fn default_path(term: Term, format: Format) -> String {
    format!(
        "./{}.{}",
        trf("calscreen.export_name", &[("term", term.to_string())]),
        format.extension()
    )
}

fn outcome_text(out: &ImportOutcome) -> String {
    let mut text = trf(
        "calscreen.imported",
        &[
            ("added", out.added.to_string()),
            ("already", out.already_there.to_string()),
        ],
    );
    if !out.new_terms.is_empty() {
        let terms: Vec<String> = out.new_terms.iter().map(Term::to_string).collect();
        text += &trf(
            "calscreen.imported_terms",
            &[("terms", terms.join(tr("list.sep")))],
        );
    }
    text
}

impl Calendar {
    pub(super) fn import_form(&self) -> Popup {
        Popup::Form(
            Form::new(
                tr("calscreen.import_title").into(),
                vec![
                    Field::new("calscreen.f_path", "").with_hint("calscreen.h_import_path"),
                    Field::new("calscreen.f_default_term", &self.term.to_string())
                        .with_hint("calscreen.h_default_term"),
                ],
            ),
            Intent::CalImport,
        )
    }

    fn run_import(&mut self, pending: PendingImport, ctx: &mut Ctx) -> Result<(), String> {
        match ctx.store.import_events(&pending.events, &pending.links) {
            Ok(out) => {
                // Show the term the file was about when the shown one got nothing.
                if let Some(first) = pending.events.first()
                    && !pending.events.iter().any(|e| e.term == self.term)
                {
                    self.switch_term(first.term);
                }
                let text = outcome_text(&out);
                // The outcome stays in a box until closed: a `y` typed out
                // of habit (the bad-rows question's key) lands here, not on
                // the screen's "duplicate".
                self.overlay = Some(Overlay::Report(Report {
                    title: tr("guard.import_done_title").to_string(),
                    lines: vec![ReportLine {
                        text: text.clone(),
                        warn: false,
                    }],
                    question: Some(tr("guard.report_close").to_string()),
                    scroll: 0,
                    pending: None,
                }));
                ctx.info(text);
                ctx.changed = true;
                Ok(())
            }
            Err(e) => {
                ctx.changed = true;
                Err(e.message())
            }
        }
    }

    pub(super) fn import_file(&mut self, mut form: Form, ctx: &mut Ctx) -> Option<Popup> {
        form.clear_errors();
        let path = form.value(I_PATH).trim().to_string();
        let term_text = form.value(I_TERM);
        let term = if term_text.trim().is_empty() {
            Some(self.term)
        } else {
            match parse_term(&term_text) {
                Ok(t) => Some(t),
                Err(e) => {
                    form.set_error(I_TERM, e.message());
                    None
                }
            }
        };
        if path.is_empty() {
            form.set_error(I_PATH, tr("calscreen.err_path_empty").into());
            return Some(Popup::Form(form, Intent::CalImport));
        }
        let bytes = match std::fs::read(expand(&path)) {
            Ok(b) => b,
            Err(e) => {
                form.set_error(I_PATH, io_reason(&path, &e));
                return Some(Popup::Form(form, Intent::CalImport));
            }
        };
        let term = term?;
        let file = match read_events(&bytes, None, Some(term)) {
            Ok(f) => f,
            Err(e) => {
                // The file is there but cannot be read as a calendar: say why
                // in full (which columns it needs, what it has).
                self.overlay = Some(Overlay::Report(Report {
                    title: trf("calscreen.import_failed_title", &[("path", path.clone())]),
                    lines: vec![ReportLine {
                        text: e.message(),
                        warn: true,
                    }],
                    question: None,
                    scroll: 0,
                    pending: None,
                }));
                return None;
            }
        };
        let pending = PendingImport {
            events: file.event_list(),
            links: file.links.clone(),
        };
        let mut notes = Vec::new();
        if !file.unknown_headers.is_empty() {
            notes.push(ReportLine {
                text: trf(
                    "calscreen.import_unknown_headers",
                    &[("headers", file.unknown_headers.join(tr("list.sep")))],
                ),
                warn: false,
            });
        }
        if file.bad.is_empty() {
            if pending.events.is_empty() {
                ctx.info(trf("calscreen.import_nothing", &[("path", path)]));
                return None;
            }
            return match self.run_import(pending, ctx) {
                Ok(()) => None,
                Err(msg) => {
                    form.error = Some(msg);
                    Some(Popup::Form(form, Intent::CalImport))
                }
            };
        }
        // Bad rows: list them, import nothing until asked.
        let good = pending.events.len();
        let mut lines = vec![ReportLine {
            text: trf(
                "calscreen.import_bad_summary",
                &[
                    ("path", path.clone()),
                    ("bad", file.bad_lines().to_string()),
                    ("good", good.to_string()),
                    ("encoding", file.encoding.name().to_string()),
                ],
            ),
            warn: false,
        }];
        lines.extend(file.bad.iter().map(|b| ReportLine {
            text: b.message(),
            warn: true,
        }));
        lines.extend(notes);
        let question = if good > 0 {
            trf("calscreen.import_good_question", &[("n", good.to_string())])
        } else {
            tr("calscreen.import_none_good").to_string()
        };
        self.overlay = Some(Overlay::Report(Report {
            title: trf("calscreen.import_bad_title", &[("path", path)]),
            lines,
            question: Some(question),
            scroll: 0,
            pending: (good > 0).then_some(pending),
        }));
        None
    }

    /// `y` on the bad-rows report: import the good rows.
    pub(super) fn import_pending(&mut self, ctx: &mut Ctx) {
        let Some(Overlay::Report(report)) = self.overlay.take() else {
            return;
        };
        let Some(pending) = report.pending else {
            return;
        };
        if let Err(msg) = self.run_import(pending, ctx) {
            ctx.error(msg);
        }
    }

    /// The windows an export of `term` writes: what the screen shows (the
    /// filter applies) for the shown term, every window for another.
    fn export_events(&self, term: Term) -> Vec<EventRec> {
        if term == self.term {
            self.term_vis
                .iter()
                .map(|&i| self.all[self.vis[i]].clone())
                .collect()
        } else {
            self.all
                .iter()
                .filter(|r| r.event.term == term)
                .cloned()
                .collect()
        }
    }

    /// Whether `term` has no windows at all (the filter aside).
    fn has_none(&self, term: Term) -> bool {
        !self.all.iter().any(|r| r.event.term == term)
    }

    pub(super) fn export_form(&self) -> Popup {
        let n = self.term_vis.len();
        let title = if self.filter.is_active() {
            trf(
                "calscreen.export_title_filtered",
                &[
                    ("term", self.term.to_string()),
                    ("n", n.to_string()),
                    ("query", self.filter.text.clone()),
                ],
            )
        } else {
            trf(
                "calscreen.export_title",
                &[("term", self.term.to_string()), ("n", n.to_string())],
            )
        };
        Popup::Form(
            Form::new(
                title,
                vec![
                    Field::new("calscreen.f_format", Format::Html.extension())
                        .with_hint("calscreen.h_format"),
                    Field::new("calscreen.f_path", &default_path(self.term, Format::Html))
                        .with_hint("calscreen.h_export_path"),
                ],
            ),
            Intent::CalExport { term: self.term },
        )
    }

    pub(super) fn export_file(
        &mut self,
        mut form: Form,
        term: Term,
        ctx: &mut Ctx,
    ) -> Option<Popup> {
        form.clear_errors();
        let format_text = form.value(E_FORMAT);
        let Some(format) = Format::parse(&format_text) else {
            form.set_error(
                E_FORMAT,
                trf(
                    "calscreen.err_format",
                    &[("input", format_text.trim().to_string())],
                ),
            );
            return Some(Popup::Form(form, Intent::CalExport { term }));
        };
        let mut path = form.value(E_PATH).trim().to_string();
        // An untouched default follows the format chosen.
        if path.is_empty() || path == default_path(term, Format::Html) {
            path = default_path(term, format);
        }
        // Refused before asking to replace a file (an ICS of no windows).
        if let Err(e) = calendar_export::check(format, term, self.export_events(term).len()) {
            // The term has windows, the filter hides them all: say so.
            let msg = if term == self.term && self.filter.is_active() && !self.has_none(term) {
                trf(
                    "ics.no_windows_shown",
                    &[
                        ("term", term.to_string()),
                        ("query", self.filter.text.clone()),
                    ],
                )
            } else {
                e.message()
            };
            form.set_error(E_FORMAT, msg);
            return Some(Popup::Form(form, Intent::CalExport { term }));
        }
        match out_file::check(&expand(&path), Some(ctx.store.path())) {
            Err(e) => {
                form.set_error(E_PATH, e.message());
                return Some(Popup::Form(form, Intent::CalExport { term }));
            }
            Ok(Target::Replaces) => {
                return Some(Popup::Confirm(
                    Confirm::new(
                        tr("exports.overwrite_title").into(),
                        trf("exports.overwrite_question", &[("path", path.clone())]),
                    ),
                    Intent::CalExportReplace {
                        term,
                        format: format.extension().to_string(),
                        path,
                    },
                ));
            }
            Ok(Target::New) => {}
        }
        if let Err(msg) = self.write_export(term, format, &path, ctx) {
            form.set_error(E_PATH, msg);
            return Some(Popup::Form(form, Intent::CalExport { term }));
        }
        None
    }

    /// Writes the export of `term` to `path` (refused targets checked
    /// again, the old file replaced whole) and says so.
    pub(super) fn write_export(
        &mut self,
        term: Term,
        format: Format,
        path: &str,
        ctx: &mut Ctx,
    ) -> Result<(), String> {
        let events = self.export_events(term);
        let info = self
            .term_rec(term)
            .map(|t| t.info.clone())
            .unwrap_or_else(|| crate::domain::calendar::TermInfo::new(term));
        let bytes = export(
            format,
            &Publish {
                school_name: &self.school_name,
                term: &info,
                events: &events,
                style: dates::style(),
                generated_on: ctx.today,
                generated_at: export_moment(ctx),
            },
        )
        .map_err(|e| e.message())?;
        out_file::write(&expand(path), Some(ctx.store.path()), &bytes).map_err(|e| e.message())?;
        ctx.info(trf(
            "calscreen.exported",
            &[
                ("path", path.to_string()),
                ("n", events.len().to_string()),
                ("term", term.to_string()),
            ],
        ));
        Ok(())
    }
}
