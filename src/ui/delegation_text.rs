//! How a delegation result reads, for the screen and the command line:
//! "註冊組長（王小明）請假至 112.03.01（產假） → 設備組長（李大華）代理".

use crate::domain::delegation::{Resolution, Step, StepOutcome};
use crate::i18n::{tr, trf};

/// One step: the label, the people found unavailable and why, and the
/// outcome (acts / skipped with a reason).
pub fn step_text(step: &Step) -> String {
    let mut parts = Vec::new();
    for u in &step.unavailable {
        parts.push(trf(
            "deleg_text.unavailable",
            &[
                ("name", u.person.name.clone()),
                ("why", trf(u.why.message_key(), &u.why.args())),
            ],
        ));
    }
    match &step.outcome {
        StepOutcome::Acts(p) => parts.push(trf("deleg_text.acts", &[("name", p.name.clone())])),
        StepOutcome::Skipped(r) if step.unavailable.is_empty() => {
            parts.push(trf(r.message_key(), &r.args()))
        }
        StepOutcome::Skipped(_) => {}
    }
    trf(
        "deleg_text.step",
        &[
            ("label", step.label.clone()),
            ("detail", parts.join(tr("deleg_text.sep"))),
        ],
    )
}

/// The whole path, steps joined by arrows, and — when no one can act — why.
pub fn path_text(r: &Resolution) -> String {
    let mut s = r.path.iter().map(step_text).collect::<Vec<_>>().join(" → ");
    if let Some(why) = r.no_one_reason() {
        if !s.is_empty() {
            s.push_str(" → ");
        }
        s.push_str(&trf(why.message_key(), &why.args()));
    }
    s
}
