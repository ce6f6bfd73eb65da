//! Importing a receipt CSV from the screen: a form (file, term, encoding),
//! the file read and parsed by `io::receipt_csv`, bad rows listed with their
//! lines and nothing imported unless the user asks for the good rows only,
//! then one transaction in the store. A large file reports its progress
//! through the app's progress sink (a gauge on the terminal's last line).

use std::path::PathBuf;

use super::{PendingImport, Receipts, Report};
use crate::domain::receipt::thousands;
use crate::domain::roc::{Term, parse_term};
use crate::i18n::{Localized, tr, trf};
use crate::io::TextEncoding;
use crate::io::receipt_csv::parse_receipts;
use crate::screens::{Ctx, Intent, Popup};
use crate::store::{GROWTH_REFUSED, ImportOptions, ReceiptImport, StoreError};
use crate::ui::confirm::Confirm as ConfirmBox;
use crate::ui::form::{Field, Form};

const I_PATH: usize = 0;
const I_TERM: usize = 1;
const I_ENCODING: usize = 2;

/// `~/x.csv` is in the home directory.
fn expand(path: &str) -> PathBuf {
    if let Some(rest) = path.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(path)
}

fn io_reason(path: &str, e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => trf("rcscreen.err_not_found", &[("path", path.into())]),
        std::io::ErrorKind::PermissionDenied => {
            trf("rcscreen.err_permission", &[("path", path.into())])
        }
        _ => trf(
            "rcscreen.err_io",
            &[("path", path.into()), ("reason", e.to_string())],
        ),
    }
}

fn outcome_text(out: &ReceiptImport, skipped: usize, merged: usize) -> String {
    let terms: Vec<String> = out.terms.iter().map(Term::to_string).collect();
    let mut text = if out.no_change() {
        trf(
            "rcscreen.import_nothing_changed",
            &[
                ("terms", terms.join(tr("list.sep"))),
                ("unchanged", thousands(out.unchanged)),
            ],
        )
    } else {
        // Only the counts that are not zero: the flash line is one line.
        let parts: Vec<String> = [
            ("rcscreen.part_added", out.added),
            ("rcscreen.part_removed", out.removed),
            ("rcscreen.part_changed", out.changed),
            ("rcscreen.part_unchanged", out.unchanged),
            ("rcscreen.part_students", out.students_added),
            ("imports.part_merged", merged),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(key, n)| trf(key, &[("n", thousands(n))]))
        .collect();
        trf(
            "rcscreen.imported",
            &[
                ("terms", terms.join(tr("list.sep"))),
                ("parts", parts.join(tr("list.sep"))),
            ],
        )
    };
    if out.no_change() && merged > 0 {
        text += &trf("imports.merged", &[("n", thousands(merged))]);
    }
    if skipped > 0 {
        text += &trf("rcscreen.import_skipped", &[("bad", thousands(skipped))]);
    }
    text
}

/// How many identical rows the report lists one by one.
const DUPLICATES_LISTED: usize = 10;

/// The report of a file's identical rows: how many, the first ten pairs of
/// line numbers, how many more. `duplicates` holds indices into the lines.
fn duplicates_report(duplicates: &[(usize, usize)], numbers: &[usize]) -> Vec<(String, bool)> {
    let mut lines = vec![(
        trf("imports.dup_summary", &[("n", thousands(duplicates.len()))]),
        false,
    )];
    lines.extend(
        duplicates
            .iter()
            .take(DUPLICATES_LISTED)
            .map(|(first, line)| {
                (
                    trf(
                        "imports.dup_pair",
                        &[
                            ("first", thousands(numbers[*first])),
                            ("line", thousands(numbers[*line])),
                        ],
                    ),
                    true,
                )
            }),
    );
    if duplicates.len() > DUPLICATES_LISTED {
        lines.push((
            trf(
                "imports.dup_more",
                &[("n", thousands(duplicates.len() - DUPLICATES_LISTED))],
            ),
            false,
        ));
    }
    lines
}

impl Receipts {
    pub(super) fn import_form(&self) -> Popup {
        let term = self.term.unwrap_or_else(|| Term::containing(self.today));
        Popup::Form(
            Form::new(
                tr("rcscreen.import_title").into(),
                vec![
                    Field::new("rcscreen.f_path", "").with_hint("rcscreen.h_path"),
                    Field::new("rcscreen.f_term", &term.to_string()).with_hint("rcscreen.h_term"),
                    Field::new("rcscreen.f_encoding", "").with_hint("rcscreen.h_encoding"),
                ],
            ),
            Intent::RcImport,
        )
    }

    /// One transaction; the progress goes to the app's sink. A term that
    /// would grow by more than half is asked about first (the lines wait in
    /// `growth`, nothing is written); `allow_growth` after "yes".
    fn run_import(
        &mut self,
        pending: PendingImport,
        allow_growth: bool,
        ctx: &mut Ctx,
    ) -> Result<Option<Popup>, String> {
        let label = tr("rcscreen.progress_import");
        let sink = &mut *ctx.progress;
        let r = ctx.store.import_receipts_with(
            &pending.lines,
            ImportOptions {
                allow_growth,
                ..Default::default()
            },
            &mut |done, total| sink(label, done, total),
        );
        match r {
            Ok(out) => {
                ctx.changed = true;
                // Show a term the file was about when the shown one got nothing.
                if let Some(first) = out.terms.first()
                    && !self.term.is_some_and(|t| out.terms.contains(&t))
                {
                    self.want_term = Some(*first);
                }
                let merged = out.duplicates.len();
                let text = outcome_text(&out, pending.bad_lines, merged);
                // The outcome stays in a box until closed: a `y` typed out
                // of habit (the bad-rows question's key) lands here, not on
                // the student list's "confirmed". Merged repeats are listed
                // in it.
                let mut lines = vec![(text.clone(), false)];
                let title = if merged > 0 {
                    lines.extend(duplicates_report(&out.duplicates, &pending.line_numbers));
                    tr("imports.dup_title")
                } else {
                    tr("guard.import_done_title")
                };
                self.report = Some(Report {
                    title: title.to_string(),
                    lines,
                    question: Some(tr("guard.report_close").to_string()),
                    scroll: 0,
                    pending: None,
                });
                ctx.info(text);
                Ok(None)
            }
            Err(StoreError::Refused { key, args }) if key == GROWTH_REFUSED => {
                self.growth = Some(pending);
                Ok(Some(Popup::Confirm(
                    ConfirmBox::new(
                        tr("imports.growth_title").into(),
                        trf("imports.growth_message", &args),
                    ),
                    Intent::RcImportGrow,
                )))
            }
            Err(e) => Err(e.message()),
        }
    }

    /// "Yes" to "import anyway?": the waiting lines, growth allowed.
    pub(super) fn import_grown(&mut self, ctx: &mut Ctx) -> Option<Popup> {
        let pending = self.growth.take()?;
        match self.run_import(pending, true, ctx) {
            Ok(p) => p,
            Err(msg) => {
                ctx.error(msg);
                None
            }
        }
    }

    pub(super) fn import_file(&mut self, mut form: Form, ctx: &mut Ctx) -> Option<Popup> {
        form.clear_errors();
        self.growth = None;
        let path = form.value(I_PATH).trim().to_string();
        let term_text = form.value(I_TERM);
        let term = if term_text.trim().is_empty() {
            Some(self.term.unwrap_or_else(|| Term::containing(self.today)))
        } else {
            match parse_term(&term_text) {
                Ok(t) => Some(t),
                Err(e) => {
                    form.set_error(I_TERM, e.message());
                    None
                }
            }
        };
        let enc_text = form.value(I_ENCODING).trim().to_string();
        let encoding: Option<Option<TextEncoding>> = if enc_text.is_empty() {
            Some(None)
        } else {
            match TextEncoding::parse(&enc_text) {
                Some(e) => Some(Some(e)),
                None => {
                    form.set_error(
                        I_ENCODING,
                        trf("io.bad_encoding", &[("encoding", enc_text.clone())]),
                    );
                    None
                }
            }
        };
        if path.is_empty() {
            form.set_error(I_PATH, tr("rcscreen.err_path_empty").into());
            return Some(Popup::Form(form, Intent::RcImport));
        }
        let bytes = match std::fs::read(expand(&path)) {
            Ok(b) => b,
            Err(e) => {
                form.set_error(I_PATH, io_reason(&path, &e));
                return Some(Popup::Form(form, Intent::RcImport));
            }
        };
        let (Some(term), Some(encoding)) = (term, encoding) else {
            return Some(Popup::Form(form, Intent::RcImport));
        };
        // Parsing has no progress of its own: the gauge shows it started
        // and ended (the store's import then counts its lines).
        let read_label = tr("rcscreen.progress_read");
        (ctx.progress)(read_label, 0, bytes.len());
        let file = match parse_receipts(&bytes, encoding, Some(term)) {
            Ok(f) => f,
            Err(e) => {
                // The file is there but cannot be read as a receipt detail:
                // say why in full (which columns it needs, what it has).
                self.report = Some(Report {
                    title: trf("rcscreen.import_failed_title", &[("path", path.clone())]),
                    lines: vec![(e.message(), true)],
                    question: None,
                    scroll: 0,
                    pending: None,
                });
                return None;
            }
        };
        (ctx.progress)(read_label, bytes.len(), bytes.len());
        drop(bytes);
        let mut notes = Vec::new();
        if !file.unknown_headers.is_empty() {
            notes.push((
                trf(
                    "rcscreen.import_unknown_headers",
                    &[("headers", file.unknown_headers.join(tr("list.sep")))],
                ),
                false,
            ));
        }
        if file.bad.is_empty() {
            if file.lines.is_empty() {
                ctx.info(trf("rcscreen.import_no_lines", &[("path", path)]));
                return None;
            }
            let pending = PendingImport {
                lines: file.lines,
                bad_lines: 0,
                line_numbers: file.line_numbers,
            };
            return match self.run_import(pending, false, ctx) {
                Ok(p) => p,
                Err(msg) => {
                    form.error = Some(msg);
                    Some(Popup::Form(form, Intent::RcImport))
                }
            };
        }
        // Bad rows: list them, import nothing until asked.
        let good = file.lines.len();
        let bad_lines = file.bad_lines();
        let mut lines = vec![(
            trf(
                "rcscreen.import_bad_summary",
                &[
                    ("path", path.clone()),
                    ("bad", thousands(bad_lines)),
                    ("good", thousands(good)),
                    ("encoding", file.encoding.name().to_string()),
                ],
            ),
            false,
        )];
        lines.extend(file.bad.iter().map(|b| (b.message(), true)));
        lines.extend(notes);
        let question = if good > 0 {
            trf("rcscreen.import_good_question", &[("n", thousands(good))])
        } else {
            tr("rcscreen.import_none_good").to_string()
        };
        self.report = Some(Report {
            title: trf("rcscreen.import_bad_title", &[("path", path)]),
            lines,
            question: Some(question),
            scroll: 0,
            pending: (good > 0).then_some(PendingImport {
                lines: file.lines,
                bad_lines,
                line_numbers: file.line_numbers,
            }),
        });
        None
    }

    /// `y` on the bad-rows report: import the good rows.
    pub(super) fn import_pending(&mut self, ctx: &mut Ctx) -> Option<Popup> {
        let report = self.report.take()?;
        let pending = report.pending?;
        match self.run_import(pending, false, ctx) {
            Ok(p) => p,
            Err(msg) => {
                ctx.error(msg);
                None
            }
        }
    }
}
