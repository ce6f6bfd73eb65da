//! Acting on what is selected: the discrepancy workflow (investigate,
//! correct, reject, close, reopen, re-route), a student's confirmation, and
//! the term's deeming. Refusals are the store's (or the domain's, before a
//! form opens) in the flash line; a stale version names who changed it.

use super::{ListView, Receipts};
use crate::domain::receipt::{Confirm, DStatus, deemable, may_deem, step};
use crate::domain::roc::Term;
use crate::i18n::{Localized, tr, trf};
use crate::screens::{Ctx, Intent, Popup};
use crate::store::{DiscRec, deem_refused};
use crate::ui::confirm::Confirm as ConfirmBox;
use crate::ui::dates;
use crate::ui::picker::{PickItem, Picker};

/// "#12 王小明".
pub(super) fn disc_name(d: &DiscRec) -> String {
    trf(
        "rcscreen.disc_name",
        &[("id", d.d.id.to_string()), ("name", d.name.clone())],
    )
}

impl Receipts {
    /// Why the selected discrepancy cannot go to `to` (the domain's rule, in
    /// the words the store would use), if it cannot.
    fn step_refusal(d: &DiscRec, to: DStatus) -> Option<String> {
        let p = step(d.d.status, to, "-").err()?;
        let mut args: Vec<(&'static str, String)> = p
            .args()
            .into_iter()
            .map(|(k, v)| (k, tr(v).to_string()))
            .collect();
        args.push(("id", d.d.id.to_string()));
        Some(trf(p.message_key(), &args))
    }

    fn disc_for_step(&self) -> Option<DiscRec> {
        if self.view != ListView::Discrepancies {
            return None;
        }
        self.selected_disc().cloned()
    }

    /// A step that needs no note: investigate, close, reopen.
    pub(super) fn step_now(&mut self, to: DStatus, ctx: &mut Ctx) {
        let Some(d) = self.disc_for_step() else {
            return;
        };
        if let Some(msg) = Self::step_refusal(&d, to) {
            ctx.error(msg);
            return;
        }
        let r = ctx
            .store
            .advance_discrepancy(d.d.id, d.meta.version, to, "");
        match r {
            Ok(()) => {
                ctx.info(trf(
                    "rcscreen.stepped",
                    &[
                        ("disc", disc_name(&d)),
                        ("status", tr(to.label_key()).to_string()),
                    ],
                ));
                self.after_write(ctx, d.d.student_id, None);
            }
            Err(e) => {
                ctx.store_error(&e);
                ctx.changed = true;
            }
        }
    }

    /// Corrected (what was corrected) or rejected (why the data was right):
    /// a form with one required note.
    pub(super) fn step_form(&mut self, to: DStatus, ctx: &mut Ctx) -> Option<Popup> {
        let d = self.disc_for_step()?;
        if let Some(msg) = Self::step_refusal(&d, to) {
            ctx.error(msg);
            return None;
        }
        Some(self.note_form(&d, to))
    }

    pub(super) fn route_picker(&self) -> Option<Popup> {
        if self.view != ListView::Discrepancies {
            return None;
        }
        let d = self.selected_disc()?;
        let items: Vec<PickItem> = self
            .units
            .iter()
            .enumerate()
            .map(|(n, u)| {
                let cats: Vec<&str> = crate::domain::receipt::Category::ALL
                    .iter()
                    .filter(|c| self.routing.unit(**c) == u)
                    .map(|c| tr(c.label_key()))
                    .collect();
                let mut detail = if cats.is_empty() {
                    String::new()
                } else {
                    trf(
                        "rcscreen.route_detail",
                        &[("categories", cats.join(tr("list.sep")))],
                    )
                };
                if *u == d.d.unit {
                    detail = format!("{} {detail}", tr("rcscreen.route_current"));
                }
                PickItem {
                    id: n as i64,
                    label: u.clone(),
                    detail,
                }
            })
            .collect();
        let mut p = Picker::new(
            trf("rcscreen.route_title", &[("disc", disc_name(d))]),
            items,
        );
        p.selected = self.units.iter().position(|u| *u == d.d.unit).unwrap_or(0);
        Some(Popup::Picker(
            p,
            Intent::RcRoute {
                id: d.d.id,
                version: d.meta.version,
            },
        ))
    }

    pub(super) fn route(&mut self, id: i64, version: i64, n: i64, ctx: &mut Ctx) {
        let Some(unit) = self.units.get(n as usize).cloned() else {
            return;
        };
        let Some(d) = self.discs.iter().find(|d| d.d.id == id) else {
            return;
        };
        let (name, sid) = (disc_name(d), d.d.student_id);
        match ctx.store.route_discrepancy(id, version, &unit) {
            Ok(()) => {
                ctx.info(trf("rcscreen.routed", &[("disc", name), ("unit", unit)]));
                self.after_write(ctx, sid, None);
            }
            Err(e) => {
                ctx.store_error(&e);
                ctx.changed = true;
            }
        }
    }

    /// `y`: the selected student confirmed the term's receipt.
    pub(super) fn confirm_student(&mut self, ctx: &mut Ctx) {
        let (Some(term), Some(r)) = (self.term, self.selected_student()) else {
            return;
        };
        let (id, who) = (r.student.id, student_name(&r.student));
        if r.confirm == Confirm::Confirmed {
            ctx.info(trf("rcscreen.already_confirmed", &[("student", who)]));
            return;
        }
        // The version shown: a colleague's change in between is refused.
        let seen = Some(r.confirm_version);
        match ctx.store.confirm_receipt_seen(term, id, seen) {
            Ok(()) => {
                ctx.info(trf(
                    "rcscreen.confirmed",
                    &[("student", who), ("term", term.to_string())],
                ));
                self.after_write(ctx, id, None);
            }
            Err(e) => {
                ctx.store_error(&e);
                ctx.changed = true;
            }
        }
    }

    /// `Y`: takes a confirmation back (entered for the wrong student) — it
    /// undoes what someone recorded, so it asks first, naming who and when.
    pub(super) fn unconfirm_student(&mut self, ctx: &mut Ctx) -> Option<Popup> {
        let (Some(term), Some(r)) = (self.term, self.selected_student()) else {
            return None;
        };
        let (id, who, version) = (r.student.id, student_name(&r.student), r.confirm_version);
        if r.confirm != Confirm::Confirmed {
            ctx.error(trf(
                "rcscreen.not_confirmed",
                &[
                    ("student", who),
                    ("state", tr(r.confirm.label_key()).to_string()),
                ],
            ));
            return None;
        }
        let (by, at) = match ctx.store.confirm_stamp(term, id) {
            Ok(Some((by, at))) => (by, crate::store::short_time(&at)),
            Ok(None) => (tr("guard.someone").to_string(), String::new()),
            Err(e) => {
                ctx.store_error(&e);
                return None;
            }
        };
        Some(Popup::Confirm(
            ConfirmBox::new(
                tr("guard.unconfirm_title").into(),
                trf(
                    "guard.unconfirm_ask",
                    &[
                        ("student", who),
                        ("term", term.to_string()),
                        ("by", by),
                        ("at", at),
                    ],
                ),
            ),
            Intent::RcUnconfirm {
                term,
                student_id: id,
                version,
            },
        ))
    }

    /// The confirmed `Y`, with the version that was shown.
    pub(super) fn unconfirm(&mut self, term: Term, id: i64, version: i64, ctx: &mut Ctx) {
        let who = self
            .students
            .iter()
            .find(|r| r.student.id == id)
            .map(|r| student_name(&r.student))
            .unwrap_or_default();
        match ctx.store.unconfirm_receipt_seen(term, id, Some(version)) {
            Ok(()) => {
                ctx.info(trf("rcscreen.unconfirmed", &[("student", who)]));
                self.after_write(ctx, id, None);
            }
            Err(e) => {
                ctx.store_error(&e);
                ctx.changed = true;
            }
        }
    }

    /// `D`: the rule first (refused at once while the window is open, or
    /// where the regulation is silent), then a dialog saying how many.
    pub(super) fn deem_confirm(&mut self, ctx: &mut Ctx) -> Option<Popup> {
        let term = self.term?;
        if let Err(r) = may_deem(self.silence_rule, self.window.as_ref(), ctx.today) {
            ctx.error(deem_refused(r, term, &self.school_name).message());
            return None;
        }
        let n = self
            .students
            .iter()
            .filter(|r| deemable(r.confirm, r.open > 0))
            .count();
        let kept = self
            .students
            .iter()
            .filter(|r| !r.confirm.is_done() && r.open > 0)
            .count();
        if n == 0 {
            ctx.info(trf(
                "rcscreen.deem_none",
                &[("term", term.to_string()), ("kept", kept.to_string())],
            ));
            return None;
        }
        let end = self
            .window
            .map(|w| dates::day(w.span.end))
            .unwrap_or_default();
        Some(Popup::Confirm(
            ConfirmBox::new(
                tr("rcscreen.deem_title").into(),
                trf(
                    "rcscreen.deem_confirm",
                    &[
                        ("term", term.to_string()),
                        ("end", end),
                        ("n", crate::domain::receipt::thousands(n)),
                        ("kept", kept.to_string()),
                    ],
                ),
            ),
            Intent::RcDeem { term },
        ))
    }

    pub(super) fn deem(&mut self, term: Term, ctx: &mut Ctx) {
        match ctx.store.deem_confirmed(term, ctx.today) {
            Ok(out) => ctx.info(trf(
                "rcscreen.deemed",
                &[
                    ("term", term.to_string()),
                    ("n", crate::domain::receipt::thousands(out.deemed)),
                    ("kept", out.kept_open.to_string()),
                ],
            )),
            Err(e) => ctx.store_error(&e),
        }
        ctx.changed = true;
    }

    pub(super) fn undo_deem_confirm(&mut self, ctx: &mut Ctx) -> Option<Popup> {
        let term = self.term?;
        let n = self.progress.deemed;
        if n == 0 {
            ctx.info(trf(
                "rcscreen.undo_deem_none",
                &[("term", term.to_string())],
            ));
            return None;
        }
        Some(Popup::Confirm(
            ConfirmBox::new(
                tr("rcscreen.undo_deem_title").into(),
                trf(
                    "rcscreen.undo_deem_confirm",
                    &[
                        ("term", term.to_string()),
                        ("n", crate::domain::receipt::thousands(n)),
                    ],
                ),
            ),
            Intent::RcUndoDeem { term },
        ))
    }

    pub(super) fn undo_deem(&mut self, term: Term, ctx: &mut Ctx) {
        match ctx.store.undo_deemed(term) {
            Ok(n) => ctx.info(trf(
                "rcscreen.undone_deem",
                &[
                    ("term", term.to_string()),
                    ("n", crate::domain::receipt::thousands(n)),
                ],
            )),
            Err(e) => ctx.store_error(&e),
        }
        ctx.changed = true;
    }

    /// `L`: close the term's receipt round, or reopen it when closed.
    pub(super) fn lock_confirm(&mut self, ctx: &mut Ctx) -> Option<Popup> {
        let term = self.term?;
        let (text, close) = match ctx.store.round_closure(term).ok().flatten() {
            Some(c) => (
                trf(
                    "access.confirm_reopen_round",
                    &[
                        ("term", term.to_string()),
                        ("by", c.closed_by),
                        ("at", crate::store::short_time(&c.closed_at)),
                    ],
                ),
                false,
            ),
            None => (
                trf("access.confirm_close_round", &[("term", term.to_string())]),
                true,
            ),
        };
        Some(Popup::Confirm(
            ConfirmBox::new(tr("access.key_lock").into(), text),
            Intent::RcLock { term, close },
        ))
    }

    pub(super) fn lock(&mut self, term: Term, close: bool, ctx: &mut Ctx) {
        let r = if close {
            ctx.store
                .close_round(term)
                .map(|()| trf("access.closed_round", &[("term", term.to_string())]))
        } else {
            ctx.store.reopen_round(term).map(|c| {
                trf(
                    "access.reopened_round",
                    &[
                        ("term", term.to_string()),
                        ("by", c.closed_by),
                        ("at", crate::store::short_time(&c.closed_at)),
                    ],
                )
            })
        };
        match r {
            Ok(m) => ctx.info(m),
            Err(e) => ctx.store_error(&e),
        }
        ctx.changed = true;
    }
}

/// "王小明（110001）".
pub(super) fn student_name(s: &crate::domain::receipt::Student) -> String {
    trf(
        "rcscreen.student_name",
        &[("name", s.name.clone()), ("no", s.student_no.clone())],
    )
}
