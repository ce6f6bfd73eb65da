//! The one place a CSV export is written: UTF-8 with a BOM and CRLF line
//! ends (what Excel opens right), and the formula-injection guard (OWASP):
//! a text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return
//! is written with a leading `'`, so a spreadsheet shows it as text instead
//! of running it. Cells the program formats itself (numbers, dates, terms,
//! labels from the string files) are written as they are.
//!
//! The calendar importer reads the guard back ([`unguard`]), so an exported
//! calendar re-imports to the same windows.

use std::borrow::Cow;

/// What starts a formula in Excel, LibreOffice and Google Sheets.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True for a cell that needs the guard: it begins with a trigger, or with
/// quotes followed by one (so that [`unguard`] gives back exactly the text).
fn needs_guard(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(TRIGGERS)
}

/// A text cell as written: `'` before it when a spreadsheet would take it
/// for a formula.
pub fn guard(cell: &str) -> Cow<'_, str> {
    if needs_guard(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell as read back: the one `'` that [`guard`] added is taken off.
/// `unguard(&guard(s)) == s` for every `s`.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

/// One cell of a row.
pub enum Cell<'a> {
    /// Text that came from a person or a file (titles, names, notes): guarded.
    Text(Cow<'a, str>),
    /// A value the program formatted (a number, date, term, label): as is.
    Ours(Cow<'a, str>),
}

/// Text from a person or a file.
pub fn text<'a>(s: impl Into<Cow<'a, str>>) -> Cell<'a> {
    Cell::Text(s.into())
}

/// A value the program formatted.
pub fn ours<'a>(s: impl Into<Cow<'a, str>>) -> Cell<'a> {
    Cell::Ours(s.into())
}

/// A CSV file being written into memory.
pub struct Sheet {
    w: csv::Writer<Vec<u8>>,
}

impl Default for Sheet {
    fn default() -> Self {
        Self::new()
    }
}

impl Sheet {
    /// An empty file: the BOM, nothing else yet.
    pub fn new() -> Sheet {
        Sheet {
            w: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(crate::io::csv_in::BOM.to_vec()),
        }
    }

    /// The header line (column names from the string files).
    pub fn header(&mut self, names: &[&str]) {
        // Writing into a Vec cannot fail.
        let _ = self.w.write_record(names);
    }

    /// A row: text cells guarded, ours as they are.
    pub fn row(&mut self, cells: &[Cell]) {
        let out = cells.iter().map(|c| match c {
            Cell::Text(s) => guard(s),
            Cell::Ours(s) => Cow::Borrowed(s.as_ref()),
        });
        let _ = self.w.write_record(out.map(|c| c.into_owned()));
    }

    /// The bytes of the file.
    pub fn finish(self) -> Vec<u8> {
        self.w.into_inner().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_guarded_and_others_are_not() {
        for s in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guard(s), format!("'{s}"), "{s:?}");
        }
        for s in ["", "學習歷程", "1+1", "a=b", " =x", "'quoted", "115.11.25"] {
            assert_eq!(guard(s), s, "{s:?}");
        }
        // A quote before a trigger gets one more, so it reads back.
        assert_eq!(guard("'=x"), "''=x");
    }

    #[test]
    fn unguard_undoes_guard_exactly() {
        for s in [
            "", "=x", "'=x", "''=x", "'x", "''", "'", "-", "x", "'-2", "@", "\t",
        ] {
            assert_eq!(unguard(&guard(s)), s, "{s:?}");
        }
        // Text nobody guarded is read as it is.
        assert_eq!(unguard("'x"), "'x");
        assert_eq!(unguard("'"), "'");
    }

    #[test]
    fn the_sheet_guards_text_cells_only() {
        let mut s = Sheet::new();
        s.header(&["a", "b"]);
        s.row(&[text("=1+2"), ours("-3")]);
        let bytes = s.finish();
        assert_eq!(bytes, "\u{feff}a,b\r\n'=1+2,-3\r\n".as_bytes());
    }
}
