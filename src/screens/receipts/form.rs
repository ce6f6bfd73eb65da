//! The screen's forms: log a discrepancy, a workflow note (what was
//! corrected, why the data was right), a student (edit, add), and the
//! confirmation window set by hand. Every problem shows under its field,
//! quoting the input; nothing typed is lost (the form comes back).

use chrono::NaiveDate;

use super::workflow::{disc_name, student_name};
use super::{ListView, Receipts, choices, parse_category, parse_kind, parse_status, parse_via};
use crate::domain::calendar::MIN_CONFIRM_DAYS;
use crate::domain::receipt::{
    Category, DStatus, Discrepancy, Kind, Line, Student, StudentProblem, Via, WindowSource,
    grade_of_class, parse_grade, parse_seat,
};
use crate::domain::roc::{DateRange, Term, parse_date, parse_range};
use crate::i18n::{Localized, tr, trf};
use crate::screens::{Ctx, Intent, Popup};
use crate::store::{DiscRec, StoreError, short_time};
use crate::ui::dates;
use crate::ui::form::{Field, Form};

const L_CAT: usize = 0;
const L_KIND: usize = 1;
const L_ITEM: usize = 2;
const L_DETAIL: usize = 3;
const L_DATE: usize = 4;
const L_VIA: usize = 5;
const L_UNIT: usize = 6;

const S_NO: usize = 0;
const S_NAME: usize = 1;
const S_CLASS: usize = 2;
const S_SEAT: usize = 3;
const S_GRADE: usize = 4;
const S_STATUS: usize = 5;
const S_POSTAL: usize = 6;
const S_ADDRESS: usize = 7;
const S_EMAIL: usize = 8;

/// How many item names an unknown-item message lists.
const ITEMS_SHOWN: usize = 6;

fn stale_message(by: String, at: &str) -> String {
    trf("rcscreen.stale", &[("by", by), ("at", short_time(at))])
}

fn problem_message(p: &StudentProblem) -> String {
    trf(p.message_key(), &p.args())
}

/// The item of `lines` (of one category) that `text` names: the same name,
/// else the only one containing it.
fn find_item<'a>(lines: &[&'a Line], text: &str) -> Option<&'a Line> {
    let t = text.trim();
    if let Some(l) = lines.iter().find(|l| l.item.trim() == t) {
        return Some(l);
    }
    let low = t.to_lowercase();
    let partial: Vec<&&Line> = lines
        .iter()
        .filter(|l| l.item.to_lowercase().contains(&low))
        .collect();
    match partial.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

impl Receipts {
    // ------------------------------------------------------------ discrepancy

    /// `n`: a discrepancy for the selected student (or the selected
    /// discrepancy's student), its category and item from the selected line.
    pub(super) fn log_form(&self) -> Option<Popup> {
        let term = self.term?;
        let (student_id, who, category, item) = match self.view {
            ListView::Students => {
                let r = self.selected_student()?;
                let line = self.selected_line();
                (
                    r.student.id,
                    student_name(&r.student),
                    line.map(|l| l.category),
                    line.map(|l| l.item.clone()).unwrap_or_default(),
                )
            }
            ListView::Discrepancies => {
                let d = self.selected_disc()?;
                (
                    d.d.student_id,
                    trf(
                        "rcscreen.student_name",
                        &[("name", d.name.clone()), ("no", d.student_no.clone())],
                    ),
                    Some(d.d.category),
                    String::new(),
                )
            }
        };
        let mut form = Form::new(
            trf(
                "rcscreen.log_title",
                &[("student", who), ("term", term.to_string())],
            ),
            vec![
                Field::new(
                    "rcscreen.f_category",
                    category.map(|c| tr(c.label_key())).unwrap_or(""),
                )
                .with_hint("rcscreen.h_category")
                .with_choices(
                    crate::domain::receipt::Category::ALL
                        .iter()
                        .map(|c| tr(c.label_key())),
                ),
                Field::new("rcscreen.f_kind", tr(Kind::Missing.label_key()))
                    .with_hint("rcscreen.h_kind")
                    .with_choices(Kind::ALL.iter().map(|k| tr(k.label_key()))),
                Field::new("rcscreen.f_item", &item).with_hint("rcscreen.h_item"),
                Field::new("rcscreen.f_detail", "").with_hint("rcscreen.h_detail"),
                Field::new("rcscreen.f_reported", &dates::day(self.today))
                    .with_hint("rcscreen.h_reported"),
                Field::new("rcscreen.f_via", tr(Via::Platform.label_key()))
                    .with_hint("rcscreen.h_via")
                    .with_choices(Via::ALL.iter().map(|v| tr(v.label_key()))),
                Field::new("rcscreen.f_unit", "").with_hint("rcscreen.h_unit"),
            ],
        );
        form.focus = if category.is_some() { L_DETAIL } else { L_CAT };
        Some(Popup::Form(form, Intent::RcLog { term, student_id }))
    }

    /// Reads the log form; None (with messages under the fields) on problems.
    fn read_log(
        &self,
        form: &mut Form,
        term: Term,
        student_id: i64,
        ctx: &Ctx,
    ) -> Option<Discrepancy> {
        form.clear_errors();
        let cat_text = form.value(L_CAT);
        let category = parse_category(&cat_text);
        if category.is_none() {
            let key = if cat_text.trim().is_empty() {
                "rcscreen.err_no_category"
            } else {
                "rcscreen.err_category"
            };
            form.set_error(
                L_CAT,
                trf(
                    key,
                    &[
                        ("input", cat_text.trim().to_string()),
                        (
                            "choices",
                            choices(Category::ALL.iter().map(|c| c.label_key())),
                        ),
                    ],
                ),
            );
        }
        let kind_text = form.value(L_KIND);
        let kind = if kind_text.trim().is_empty() {
            Some(Kind::Missing)
        } else {
            parse_kind(&kind_text)
        };
        if kind.is_none() {
            form.set_error(
                L_KIND,
                trf(
                    "rcscreen.err_kind",
                    &[
                        ("input", kind_text.trim().to_string()),
                        ("choices", choices(Kind::ALL.iter().map(|k| k.label_key()))),
                    ],
                ),
            );
        }
        let item_text = form.value(L_ITEM).trim().to_string();
        let mut line_id: Option<Option<i64>> = Some(None);
        if let Some(cat) = category
            && !item_text.is_empty()
        {
            let lines = ctx
                .store
                .receipt_lines(term, student_id)
                .unwrap_or_default();
            let of_cat: Vec<&Line> = lines.iter().filter(|l| l.category == cat).collect();
            match find_item(&of_cat, &item_text) {
                Some(l) => line_id = Some(Some(l.id)),
                None => {
                    let mut names: Vec<String> = Vec::new();
                    for l in &of_cat {
                        if !names.contains(&l.item) {
                            names.push(l.item.clone());
                        }
                    }
                    let list = if names.is_empty() {
                        tr("rcscreen.no_items").to_string()
                    } else {
                        let mut s = names
                            .iter()
                            .take(ITEMS_SHOWN)
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(tr("list.sep"));
                        if names.len() > ITEMS_SHOWN {
                            s = trf(
                                "rcscreen.and_more",
                                &[("list", s), ("n", (names.len() - ITEMS_SHOWN).to_string())],
                            );
                        }
                        s
                    };
                    form.set_error(
                        L_ITEM,
                        trf(
                            "rcscreen.err_item",
                            &[
                                ("input", item_text.clone()),
                                ("category", tr(cat.label_key()).to_string()),
                                ("items", list),
                            ],
                        ),
                    );
                    line_id = None;
                }
            }
        }
        let date_text = form.value(L_DATE).trim().to_string();
        let reported: Option<NaiveDate> = if date_text.is_empty() {
            Some(self.today)
        } else {
            match parse_date(&date_text) {
                Ok(d) => Some(d),
                Err(e) => {
                    form.set_error(L_DATE, e.message());
                    None
                }
            }
        };
        let via_text = form.value(L_VIA);
        let via = if via_text.trim().is_empty() {
            Some(Via::Platform)
        } else {
            parse_via(&via_text)
        };
        if via.is_none() {
            form.set_error(
                L_VIA,
                trf(
                    "rcscreen.err_via",
                    &[
                        ("input", via_text.trim().to_string()),
                        ("choices", choices(Via::ALL.iter().map(|v| v.label_key()))),
                    ],
                ),
            );
        }
        let (Some(category), Some(kind), Some(line_id), Some(reported_on), Some(via)) =
            (category, kind, line_id, reported, via)
        else {
            return None;
        };
        Some(Discrepancy {
            id: 0,
            term,
            student_id,
            category,
            line_id,
            kind,
            detail: form.value(L_DETAIL).trim().to_string(),
            reported_on,
            via,
            unit: form.value(L_UNIT).trim().to_string(),
            status: DStatus::Reported,
            resolution: String::new(),
        })
    }

    pub(super) fn save_log(
        &mut self,
        mut form: Form,
        term: Term,
        student_id: i64,
        ctx: &mut Ctx,
    ) -> Option<Popup> {
        let intent = Intent::RcLog { term, student_id };
        let Some(d) = self.read_log(&mut form, term, student_id, ctx) else {
            return Some(Popup::Form(form, intent));
        };
        let routed = d.unit.is_empty();
        match ctx.store.log_discrepancy(&d) {
            Ok(id) => {
                self.after_write(ctx, student_id, Some(id));
                let (name, unit) = match ctx.store.discrepancy(id) {
                    Ok(rec) => (disc_name(&rec), rec.d.unit),
                    Err(_) => (format!("#{id}"), d.unit.clone()),
                };
                ctx.info(trf(
                    if routed {
                        "rcscreen.logged_routed"
                    } else {
                        "rcscreen.logged"
                    },
                    &[
                        ("disc", name),
                        ("unit", unit),
                        ("category", tr(d.category.label_key()).to_string()),
                    ],
                ));
                self.want_disc = Some(id);
                None
            }
            Err(e) => {
                ctx.changed = true;
                form.error = Some(e.message());
                Some(Popup::Form(form, intent))
            }
        }
    }

    // ------------------------------------------------------------ workflow note

    pub(super) fn note_form(&self, d: &DiscRec, to: DStatus) -> Popup {
        let (title, label, hint) = match to {
            DStatus::Corrected => (
                "rcscreen.correct_title",
                "rcscreen.f_correction",
                "rcscreen.h_correction",
            ),
            _ => (
                "rcscreen.reject_title",
                "rcscreen.f_reason",
                "rcscreen.h_reason",
            ),
        };
        Popup::Form(
            Form::new(
                trf(title, &[("disc", disc_name(d))]),
                vec![Field::new(label, "").with_hint(hint)],
            ),
            Intent::RcStep {
                id: d.d.id,
                version: d.meta.version,
                to,
            },
        )
    }

    pub(super) fn save_step(
        &mut self,
        mut form: Form,
        id: i64,
        version: i64,
        to: DStatus,
        ctx: &mut Ctx,
    ) -> Option<Popup> {
        form.clear_errors();
        let note = form.value(0).trim().to_string();
        if note.is_empty() {
            let key = if to == DStatus::Corrected {
                "receipt.err_no_correction"
            } else {
                "receipt.err_no_reason"
            };
            form.set_error(0, tr(key).into());
            return Some(Popup::Form(form, Intent::RcStep { id, version, to }));
        }
        let name = self
            .discs
            .iter()
            .find(|d| d.d.id == id)
            .map(disc_name)
            .unwrap_or_else(|| format!("#{id}"));
        let sid = self
            .discs
            .iter()
            .find(|d| d.d.id == id)
            .map(|d| d.d.student_id);
        match ctx.store.advance_discrepancy(id, version, to, &note) {
            Ok(()) => {
                ctx.info(trf(
                    "rcscreen.stepped",
                    &[("disc", name), ("status", tr(to.label_key()).to_string())],
                ));
                match sid {
                    Some(sid) => self.after_write(ctx, sid, None),
                    None => ctx.changed = true,
                }
                None
            }
            Err(StoreError::Stale { by, at }) => {
                ctx.changed = true;
                form.error = Some(stale_message(by, &at));
                let version = ctx
                    .store
                    .discrepancy(id)
                    .map(|r| r.meta.version)
                    .unwrap_or(version);
                Some(Popup::Form(form, Intent::RcStep { id, version, to }))
            }
            Err(e) => {
                ctx.changed = true;
                form.error = Some(e.message());
                Some(Popup::Form(form, Intent::RcStep { id, version, to }))
            }
        }
    }

    // ------------------------------------------------------------ students

    fn student_form(&self, title: String, s: &Student) -> Form {
        Form::new(
            title,
            vec![
                Field::new("rcscreen.f_no", &s.student_no),
                Field::new("rcscreen.f_name", &s.name),
                Field::new("rcscreen.f_class", &s.class),
                Field::new(
                    "rcscreen.f_seat",
                    &s.seat.map(|x| x.to_string()).unwrap_or_default(),
                )
                .with_hint("rcscreen.h_seat"),
                Field::new(
                    "rcscreen.f_grade",
                    &s.grade.map(|x| x.to_string()).unwrap_or_default(),
                )
                .with_hint("rcscreen.h_grade")
                .with_choices(["", "10", "11", "12"]),
                Field::new("rcscreen.f_status", tr(s.status.label_key()))
                    .with_hint("rcscreen.h_status")
                    .with_choices(
                        crate::domain::receipt::StudentStatus::ALL
                            .iter()
                            .map(|x| tr(x.label_key())),
                    ),
                Field::new("rcscreen.f_postal", &s.postal_code),
                Field::new("rcscreen.f_address", &s.address).with_hint("rcscreen.h_address"),
                Field::new("rcscreen.f_email", &s.email).with_hint("rcscreen.h_email"),
            ],
        )
    }

    /// `e`: the selected student as stored now (with its version).
    pub(super) fn edit_student_form(&self, ctx: &mut Ctx) -> Option<Popup> {
        if self.view != ListView::Students {
            return None;
        }
        let id = self.selected_student()?.student.id;
        let rec = match ctx.store.student(id) {
            Ok(r) => r,
            Err(e) => {
                ctx.store_error(&e);
                return None;
            }
        };
        let form = self.student_form(
            trf(
                "rcscreen.edit_student_title",
                &[("student", student_name(&rec.student))],
            ),
            &rec.student,
        );
        Some(Popup::Form(
            form,
            Intent::RcEditStudent {
                id,
                version: rec.meta.version,
            },
        ))
    }

    pub(super) fn add_student_form(&self) -> Popup {
        let mut form =
            self.student_form(tr("rcscreen.add_student_title").into(), &Student::default());
        form.fields[S_STATUS] = Field::new("rcscreen.f_status", "")
            .with_hint("rcscreen.h_status")
            .with_choices(
                std::iter::once("").chain(
                    crate::domain::receipt::StudentStatus::ALL
                        .iter()
                        .map(|x| tr(x.label_key())),
                ),
            );
        Popup::Form(form, Intent::RcAddStudent)
    }

    /// Reads the student form; None (with messages under the fields) on problems.
    fn read_student(form: &mut Form, id: i64) -> Option<Student> {
        form.clear_errors();
        let mut ok = true;
        let no = form.value(S_NO).trim().to_string();
        if no.is_empty() {
            form.set_error(S_NO, problem_message(&StudentProblem::NoNumber));
            ok = false;
        }
        let class = form.value(S_CLASS).trim().to_string();
        let seat = parse_seat(&form.value(S_SEAT))
            .map_err(|p| form.set_error(S_SEAT, problem_message(&p)))
            .ok();
        let grade = parse_grade(&form.value(S_GRADE))
            .map(|g| g.or_else(|| grade_of_class(&class)))
            .map_err(|p| form.set_error(S_GRADE, problem_message(&p)))
            .ok();
        let status_text = form.value(S_STATUS);
        let status = parse_status(&status_text);
        if status.is_none() {
            form.set_error(
                S_STATUS,
                problem_message(&StudentProblem::BadStatus(status_text.trim().to_string())),
            );
        }
        let s = Student {
            id,
            student_no: no,
            name: form.value(S_NAME).trim().to_string(),
            class,
            seat: seat.flatten(),
            grade: grade.flatten(),
            status: status.unwrap_or_default(),
            postal_code: form.value(S_POSTAL).trim().to_string(),
            address: form.value(S_ADDRESS).trim().to_string(),
            email: form.value(S_EMAIL).trim().to_string(),
        };
        if let Err(p) = s.validate() {
            let field = match p {
                StudentProblem::NoNumber => S_NO,
                StudentProblem::BadGrade(_) => S_GRADE,
                StudentProblem::BadSeat(_) => S_SEAT,
                StudentProblem::BadStatus(_) => S_STATUS,
                StudentProblem::BadEmail(_) => S_EMAIL,
            };
            if form.fields[field].error.is_none() {
                form.set_error(field, problem_message(&p));
            }
            ok = false;
        }
        (ok && seat.is_some() && grade.is_some() && status.is_some()).then_some(s)
    }

    pub(super) fn save_student(
        &mut self,
        mut form: Form,
        intent: Intent,
        ctx: &mut Ctx,
    ) -> Option<Popup> {
        let (id, version) = match intent {
            Intent::RcEditStudent { id, version } => (id, version),
            _ => (0, 0),
        };
        let Some(s) = Self::read_student(&mut form, id) else {
            return Some(Popup::Form(form, intent));
        };
        let r = if id == 0 {
            ctx.store.add_student(&s)
        } else {
            ctx.store.update_student(id, version, &s).map(|_| id)
        };
        ctx.changed = true;
        match r {
            Ok(saved) => {
                let key = if id == 0 {
                    "rcscreen.student_added"
                } else {
                    "rcscreen.student_saved"
                };
                ctx.info(trf(key, &[("student", student_name(&s))]));
                self.want_student = Some(saved);
                None
            }
            Err(StoreError::Stale { by, at }) => {
                form.error = Some(stale_message(by, &at));
                let version = ctx
                    .store
                    .student(id)
                    .map(|r| r.meta.version)
                    .unwrap_or(version);
                Some(Popup::Form(form, Intent::RcEditStudent { id, version }))
            }
            Err(StoreError::Refused { key, args }) if key == "receipt.err_student_no_taken" => {
                form.set_error(S_NO, trf(key, &args));
                Some(Popup::Form(form, intent))
            }
            Err(e) => {
                form.error = Some(e.message());
                Some(Popup::Form(form, intent))
            }
        }
    }

    // ------------------------------------------------------------ window

    pub(super) fn window_form(&self) -> Option<Popup> {
        let term = self.term?;
        let (current, value) = match self.window {
            Some(w) => {
                let range = dates::range(&w.span);
                let source = match w.source {
                    WindowSource::Manual => "rcscreen.window_manual",
                    WindowSource::Calendar(_) => "rcscreen.window_calendar",
                };
                let value = if w.source == WindowSource::Manual {
                    range.clone()
                } else {
                    String::new()
                };
                (
                    trf(
                        "rcscreen.window_now",
                        &[("range", range), ("source", tr(source).to_string())],
                    ),
                    value,
                )
            }
            None => (tr("rcscreen.window_unset_short").to_string(), String::new()),
        };
        Some(Popup::Form(
            Form::new(
                trf(
                    "rcscreen.window_title",
                    &[("term", term.to_string()), ("now", current)],
                ),
                vec![Field::new("rcscreen.f_window", &value).with_hint("rcscreen.h_window")],
            ),
            Intent::RcWindow { term },
        ))
    }

    pub(super) fn save_window(
        &mut self,
        mut form: Form,
        term: Term,
        ctx: &mut Ctx,
    ) -> Option<Popup> {
        form.clear_errors();
        let text = form.value(0).trim().to_string();
        let span: Option<DateRange> = if text.is_empty() {
            None
        } else {
            match parse_range(&text) {
                Ok(r) if r.days() < MIN_CONFIRM_DAYS => {
                    form.set_error(
                        0,
                        trf(
                            "rcscreen.err_window_short",
                            &[
                                ("input", text.clone()),
                                ("days", r.days().to_string()),
                                ("min", MIN_CONFIRM_DAYS.to_string()),
                            ],
                        ),
                    );
                    return Some(Popup::Form(form, Intent::RcWindow { term }));
                }
                Ok(r) => Some(r),
                Err(e) => {
                    form.set_error(0, e.message());
                    return Some(Popup::Form(form, Intent::RcWindow { term }));
                }
            }
        };
        ctx.changed = true;
        match ctx.store.set_confirm_window(term, span) {
            Ok(()) => {
                ctx.info(match span {
                    Some(r) => trf(
                        "rcscreen.window_set",
                        &[("term", term.to_string()), ("range", dates::range(&r))],
                    ),
                    None => trf("rcscreen.window_cleared", &[("term", term.to_string())]),
                });
                None
            }
            Err(e) => {
                form.error = Some(e.message());
                Some(Popup::Form(form, Intent::RcWindow { term }))
            }
        }
    }
}
