//! How a delegation result reads, on the screen and on the command line:
//! "註冊組長（王小明）請假至 112.03.01（產假） → 設備組長（李大華）代理".

use crate::domain::delegation::{Outcome, Resolution, SkipReason, StepOutcome};
use crate::i18n::{tr, trf};

/// Drops the empty brackets a message leaves when an optional value (a
/// reason) is blank.
fn tidy(msg: String) -> String {
    msg.replace("（）", "").replace(" ()", "").replace("()", "")
}

/// The steps joined by arrows; when no one can act, the reason comes first
/// (a long path is cut at its end on a narrow screen).
pub fn path_text(res: &Resolution) -> String {
    let parts: Vec<String> = res
        .path
        .iter()
        .map(|step| {
            let mut s = step.label.clone();
            for u in &step.unavailable {
                // A teacher's own table is labelled with their name.
                if u.person.name != step.label {
                    s += &trf("delegates.path_name", &[("name", u.person.name.clone())]);
                } else {
                    s += tr("delegates.path_gap");
                }
                s += &tidy(trf(u.why.message_key(), &u.why.args()));
            }
            match &step.outcome {
                StepOutcome::Acts(p) => {
                    if p.name != step.label {
                        s += &trf("delegates.path_name", &[("name", p.name.clone())]);
                    } else {
                        s += tr("delegates.path_gap");
                    }
                    s += tr(if step.depth == 0 {
                        "delegates.path_self"
                    } else {
                        "delegates.path_acts"
                    });
                }
                StepOutcome::Skipped(SkipReason::Unavailable) => {}
                StepOutcome::Skipped(reason) => {
                    s += " ";
                    s += &trf(reason.message_key(), &reason.args());
                }
            }
            s
        })
        .collect();
    let path = parts.join(" → ");
    match &res.outcome {
        Outcome::NoOne(reason) => trf(
            "delegates.path_no_one",
            &[
                ("reason", trf(reason.message_key(), &reason.args())),
                ("path", path),
            ],
        ),
        Outcome::Acts(_) => path,
    }
}
