//! UI strings. Every user-facing text lives in `assets/i18n/<lang>/*.toml`
//! (one top-level table per file, flattened to dotted keys such as
//! `roster.title`). Code refers to keys only.
//!
//! The language is per thread (the app runs on one thread; tests run each in
//! their own thread and can pick a language without disturbing others).

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    ZhTw,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "zh-tw" | "zh" | "tw" | "zh-hant" => Some(Lang::ZhTw),
            "en" | "en-us" | "en-gb" | "english" => Some(Lang::En),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhTw => "zh-TW",
            Lang::En => "en",
        }
    }
}

/// The string files of one language, in load order.
macro_rules! lang_files {
    ($lang:literal) => {
        [
            include_str!(concat!("../assets/i18n/", $lang, "/core.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/date.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/delegation.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/delegates.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/calendar.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/calscreen.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/io.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/checklist.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/ckscreen.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/receipt.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/rcscreen.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/rcio.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/rules.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/backup.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/opening.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/exports.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/guard.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/imports.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/drafts.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/edges_ics.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/edges_csv.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/edges_dates.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/meeting.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/agenda.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/mtscreen.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/access.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/audit.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/retention.toml")),
            include_str!(concat!("../assets/i18n/", $lang, "/firstuse.toml")),
        ]
    };
}

pub const ZH_TW_FILES: [&str; 29] = lang_files!("zh-TW");
pub const EN_FILES: [&str; 29] = lang_files!("en");

type Table = HashMap<String, String>;

fn flatten(prefix: &str, value: &toml::Value, out: &mut Table) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// Parses a language's files into one flat table. Public for the tests that
/// compare the two languages.
pub fn load_table(files: &[&str]) -> Result<Table, String> {
    let mut out = Table::new();
    for (i, text) in files.iter().enumerate() {
        let value: toml::Value = toml::from_str(text).map_err(|e| format!("file {i}: {e}"))?;
        flatten("", &value, &mut out);
    }
    Ok(out)
}

static ZH_TW: LazyLock<Table> =
    LazyLock::new(|| load_table(&ZH_TW_FILES).expect("embedded zh-TW strings parse (tested)"));
static EN: LazyLock<Table> =
    LazyLock::new(|| load_table(&EN_FILES).expect("embedded en strings parse (tested)"));

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::ZhTw) };
}

pub fn set_lang(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
}

pub fn lang() -> Lang {
    CURRENT.with(|c| c.get())
}

fn table(lang: Lang) -> &'static Table {
    match lang {
        Lang::ZhTw => &ZH_TW,
        Lang::En => &EN,
    }
}

/// The text for `key` in the current language. A missing key shows as the
/// key itself (and a test makes sure no key used in code is missing).
pub fn tr(key: &str) -> &'static str {
    match table(lang()).get(key) {
        Some(s) => s.as_str(),
        None => match table(Lang::ZhTw).get(key) {
            Some(s) => s.as_str(),
            None => Box::leak(key.to_string().into_boxed_str()),
        },
    }
}

/// `tr(key)` with the current academic year's examples filled in (`{ey}`,
/// `{ey1}`, `{gy}`: see `domain::roc::example_args`).
pub fn tr_ex(key: &str) -> String {
    fill(tr(key), &crate::domain::roc::example_args())
}

/// `tr(key)` with `{name}` placeholders replaced.
/// Examples in messages (`{ey}`, `{ey1}`, `{gy}`) are from the current
/// academic year (`domain::roc::example_args`) unless `args` say otherwise.
pub fn trf(key: &str, args: &[(&str, String)]) -> String {
    let t = tr(key);
    if t.contains("{ey") || t.contains("{gy}") {
        let mut all: Vec<(&str, String)> = args.to_vec();
        all.extend(crate::domain::roc::example_args());
        return fill(t, &all);
    }
    fill(t, args)
}

/// Replaces each `{name}` of `template` by its value, in one pass over the
/// template: a value is copied as it is and never read as a template, so a
/// window titled `會議 {term}` stays `會議 {term}`. A placeholder with no
/// value, and a brace that opens no placeholder, stay as written.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Anything that can explain itself to the user: an error or a finding.
pub trait Localized {
    fn message_key(&self) -> &'static str;
    fn args(&self) -> Vec<(&'static str, String)>;
    fn message(&self) -> String {
        trf(self.message_key(), &self.args())
    }
}

impl Localized for crate::domain::roc::DateError {
    fn message_key(&self) -> &'static str {
        crate::domain::roc::DateError::message_key(self)
    }
    fn args(&self) -> Vec<(&'static str, String)> {
        crate::domain::roc::DateError::args(self)
    }
}

#[cfg(test)]
mod fill_tests {
    use super::fill;
    use proptest::prelude::*;

    fn a(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
    }

    #[test]
    fn placeholders_are_filled_and_values_are_not_read_as_templates() {
        let args = a(&[
            ("title", "Meeting {term} {dates} {suggest}"),
            ("term", "115-1"),
            ("dates", "115.03.01~03"),
        ]);
        assert_eq!(
            fill("「{title}」{term}：{dates}", &args),
            "「Meeting {term} {dates} {suggest}」115-1：115.03.01~03"
        );
    }

    #[test]
    fn unknown_placeholders_and_lone_braces_stay() {
        let args = a(&[("n", "3")]);
        assert_eq!(fill("{n} {m} { } {{n}} }{", &args), "3 {m} { } {3} }{");
        assert_eq!(fill("", &args), "");
        assert_eq!(fill("{", &args), "{");
        assert_eq!(fill("{n", &args), "{n");
        assert_eq!(fill("共 {n} 筆，{n} 筆", &args), "共 3 筆，3 筆");
    }

    proptest! {
        /// Whatever the values hold (braces, other placeholders' names),
        /// the result is the template with each placeholder replaced by its
        /// value exactly once.
        #[test]
        fn values_are_copied_verbatim(
            a_val in "[{}a-z 一二]{0,12}",
            b_val in "[{}a-z 一二]{0,12}",
            lead in "[^{}]{0,6}",
            mid in "[^{}]{0,6}",
        ) {
            let args = vec![("a", a_val.clone()), ("b", b_val.clone())];
            let template = format!("{lead}{{a}}{mid}{{b}}{{a}}");
            prop_assert_eq!(
                fill(&template, &args),
                format!("{lead}{a_val}{mid}{b_val}{a_val}")
            );
        }
    }
}
