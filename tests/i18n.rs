//! The two languages have the same keys and placeholders, every key the
//! code uses exists, and no UI text is written in the code of the screens.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use portfolio_desk::i18n::{EN_FILES, ZH_TW_FILES, load_table};

fn placeholders(s: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        rest = &rest[i + 1..];
        if let Some(j) = rest.find('}') {
            out.insert(rest[..j].to_string());
            rest = &rest[j + 1..];
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without its `#[cfg(test)]` module.
fn non_test_code(src: &str) -> &str {
    src.split("#[cfg(test)]").next().unwrap_or(src)
}

#[test]
fn both_languages_have_the_same_keys_and_placeholders() {
    let zh = load_table(&ZH_TW_FILES).unwrap();
    let en = load_table(&EN_FILES).unwrap();
    let zk: BTreeSet<_> = zh.keys().collect();
    let ek: BTreeSet<_> = en.keys().collect();
    assert_eq!(
        zk.difference(&ek).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "only in zh-TW"
    );
    assert_eq!(
        ek.difference(&zk).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "only in en"
    );
    for (k, v) in &zh {
        assert_eq!(
            placeholders(v),
            placeholders(&en[k]),
            "placeholders differ in {k}"
        );
    }
}

#[test]
fn every_key_used_in_the_code_exists() {
    let zh: HashMap<String, String> = load_table(&ZH_TW_FILES).unwrap();
    let sections: BTreeSet<&str> = zh.keys().filter_map(|k| k.split('.').next()).collect();
    let mut files = Vec::new();
    rust_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut files,
    );
    let mut missing = Vec::new();
    let mut used = 0;
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        for lit in src.split('"').skip(1).step_by(2) {
            let Some((sec, rest)) = lit.split_once('.') else {
                continue;
            };
            let is_key = sections.contains(sec)
                && !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if is_key {
                used += 1;
                if !zh.contains_key(lit) {
                    missing.push(format!("{}: {lit}", f.display()));
                }
            }
        }
    }
    assert!(
        used > 100,
        "the scan found only {used} keys: it is not looking"
    );
    assert!(
        missing.is_empty(),
        "keys used but not defined: {missing:#?}"
    );
}

#[test]
fn screens_and_widgets_hold_no_chinese_text() {
    let mut files = Vec::new();
    for d in ["src/screens", "src/ui", "src/io", "src/cli"] {
        rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(d), &mut files);
    }
    files.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app.rs"));
    assert!(
        files.len() > 20,
        "the scan found only {} files: it is not looking",
        files.len()
    );
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        for (n, line) in non_test_code(&src).lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            // 、 is the list separator used to join data, not a UI word.
            if code.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                panic!(
                    "{}:{}: UI text belongs in assets/i18n: {line}",
                    f.display(),
                    n + 1
                );
            }
        }
    }
}
