//! How a checklist-check finding reads, on the screen and on the command line.

use crate::domain::checklist::{Checklist, Finding, Item};
use crate::i18n::{tr, trf};
use crate::ui::dates;

/// One sentence for `f`; `items` and `lists` name what it is about.
pub fn message(f: &Finding, items: &[Item], lists: &[Checklist]) -> String {
    let item = f.item().and_then(|id| items.iter().find(|i| i.id == id));
    let title = item.map(|i| i.title.clone()).unwrap_or_default();
    let list = item
        .and_then(|i| lists.iter().find(|c| c.id == i.checklist_id))
        .map(|c| format!("{} {}", c.year, c.title))
        .unwrap_or_default();
    let base = vec![("title", title), ("list", list)];
    let with = |extra: Vec<(&'static str, String)>| {
        let mut a = base.clone();
        a.extend(extra);
        a
    };
    match f {
        Finding::Overdue { due, .. } => trf(
            "checklist.find_overdue",
            &with(vec![
                ("due", dates::day(*due)),
                (
                    "status",
                    item.map(|i| tr(i.status.label_key()).to_string())
                        .unwrap_or_default(),
                ),
            ]),
        ),
        Finding::NoUnit { .. } => trf("checklist.find_no_unit", &base),
        Finding::WindowMoved { done, changed, .. } => trf(
            "checklist.find_window_moved",
            &with(vec![
                ("done", dates::day(*done)),
                ("changed", dates::day(*changed)),
            ]),
        ),
        Finding::UnitUnheld {
            unit,
            items,
            positions,
        } => trf(
            "checklist.find_unit_unheld",
            &[
                ("unit", unit.clone()),
                ("items", items.to_string()),
                ("positions", positions.join(tr("list.sep"))),
            ],
        ),
        Finding::BadDate { text, .. } => trf(
            "checklist.find_bad_date",
            &with(vec![("text", text.clone())]),
        ),
    }
}
