//! The CSV formula guard at the io layer: the calendar CSV export prefixes
//! formula-like text with `'` and the importer takes exactly that `'` off,
//! so every title, unit and note reads back as it was (including text that
//! itself begins with quotes). Dates and terms stay as written.

use chrono::NaiveDate;
use portfolio_desk::domain::calendar::{Event, Grades, Phase, TermInfo};
use portfolio_desk::domain::committee::RowMeta;
use portfolio_desk::domain::roc::{DateRange, DateStyle, parse_term};
use portfolio_desk::i18n::{self, Lang};
use portfolio_desk::io::calendar_csv::read_events;
use portfolio_desk::io::calendar_export::{Format, Publish, export};
use portfolio_desk::store::EventRec;

const TEXTS: [&str; 10] = [
    "=HYPERLINK(\"http://evil.example\",\"點我\")",
    "+1",
    "-2",
    "@SUM(A1)",
    "'=already quoted",
    "''+two quotes",
    "'plain quote",
    "a=b",
    "學習歷程",
    "=",
];

/// A unit name: the text without the characters that separate units.
fn unit(t: &str) -> String {
    t.replace(['/', ',', '、', ';'], "")
}

fn events() -> Vec<EventRec> {
    let term = parse_term("115-1").unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    TEXTS
        .iter()
        .enumerate()
        .map(|(i, t)| EventRec {
            uid: format!("u{i}"),
            event: Event {
                id: i as i64 + 1,
                term,
                title: (*t).into(),
                phase: Phase::Upload,
                grades: Grades::of(&[10]),
                units: vec![unit(t)],
                span: DateRange::new(day, day).unwrap(),
                national: false,
                prepares_for: None,
                notes: (*t).into(),
                done_on: None,
            },
            meta: RowMeta::default(),
        })
        .collect()
}

#[test]
fn guarded_calendar_csv_reads_back_to_the_same_text() {
    i18n::set_lang(Lang::ZhTw);
    let evs = events();
    let info = TermInfo::new(parse_term("115-1").unwrap());
    let bytes = export(
        Format::Csv,
        &Publish {
            school_name: "測試高中",
            term: &info,
            events: &evs,
            style: DateStyle::Roc,
            generated_on: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            generated_at: chrono::DateTime::UNIX_EPOCH,
        },
    )
    .unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    // As a spreadsheet sees it: no cell starts a formula.
    let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), TEXTS.len());
    for r in &rows {
        for c in r.iter() {
            assert!(!c.starts_with(['=', '+', '-', '@']), "{c:?} in {r:?}");
        }
        assert_eq!(&r[0], "115-1");
        assert_eq!(&r[1], "115.09.01");
    }
    // Title, units and notes as written: one `'` more where needed.
    let cells_of = |title: &str| -> Vec<String> {
        let r = rows.iter().find(|r| &r[3] == title).expect(title);
        vec![r[3].to_string(), r[6].to_string(), r[9].to_string()]
    };
    assert_eq!(cells_of("'+1"), ["'+1", "'+1", "'+1"]);
    assert_eq!(cells_of("'-2"), ["'-2", "'-2", "'-2"]);
    assert_eq!(cells_of("''=already quoted"), ["''=already quoted"; 3]);
    assert_eq!(cells_of("'''+two quotes"), ["'''+two quotes"; 3]);
    assert_eq!(cells_of("'plain quote"), ["'plain quote"; 3]);
    assert_eq!(cells_of("a=b"), ["a=b"; 3]);
    // Read back: every text as it was.
    let f = read_events(&bytes, None, None).unwrap();
    assert!(f.bad.is_empty(), "{:?}", f.bad);
    let mut got: Vec<(String, Vec<String>, String)> = f
        .events
        .iter()
        .map(|(_, e)| (e.title.clone(), e.units.clone(), e.notes.clone()))
        .collect();
    let mut want: Vec<(String, Vec<String>, String)> = TEXTS
        .iter()
        .map(|t| (t.to_string(), vec![unit(t)], t.to_string()))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}
