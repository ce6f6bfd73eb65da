//! How dates are shown: ROC (`112.04.11`, the default) or Gregorian
//! (`2023-04-11`), set once at start from `--dates` or `PORTFOLIO_DESK_DATES`.

use std::cell::Cell;

use chrono::NaiveDate;

use crate::domain::roc::{DateRange, DateStyle, format_date, format_range};

thread_local! {
    static STYLE: Cell<DateStyle> = const { Cell::new(DateStyle::Roc) };
}

pub fn set_style(style: DateStyle) {
    STYLE.with(|s| s.set(style));
}

pub fn style() -> DateStyle {
    STYLE.with(|s| s.get())
}

/// `roc` → ROC; `gregorian`, `iso`, `ad` → Gregorian.
pub fn parse_style(s: &str) -> Option<DateStyle> {
    match s.trim().to_ascii_lowercase().as_str() {
        "roc" | "minguo" => Some(DateStyle::Roc),
        "gregorian" | "iso" | "ad" => Some(DateStyle::Gregorian),
        _ => None,
    }
}

pub fn day(d: NaiveDate) -> String {
    format_date(d, style())
}

pub fn range(r: &DateRange) -> String {
    format_range(r, style())
}
