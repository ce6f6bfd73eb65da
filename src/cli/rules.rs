//! `rules [--preset NAME] [--text]`: the rules a preset takes from its
//! school's regulation, each with the article it stands in, or the
//! regulation's full text.

use clap::ArgMatches;

use crate::domain::preset::{self, Preset};
use crate::domain::regulation;
use crate::i18n::{tr, trf};

use super::{Failure, open_existing, say};

/// The preset named by `--preset`, else the open database's school's.
fn chosen(m: &ArgMatches, sub: &ArgMatches) -> Result<Preset, Failure> {
    match sub.get_one::<String>("preset") {
        Some(name) => preset::by_key(&name.trim().to_ascii_lowercase()).ok_or_else(|| {
            Failure(trf(
                "cli.unknown_preset",
                &[
                    ("name", name.clone()),
                    ("known", preset::keys().join(tr("list.sep"))),
                ],
            ))
        }),
        None => Ok(open_existing(m)?.require_school()?.preset),
    }
}

pub(super) fn rules(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let p = chosen(m, sub)?;
    let Some(src) = regulation::source(&p.key) else {
        return Err(Failure(trf("rules.no_text", &[("preset", p.key.clone())])));
    };
    if sub.get_flag("text") {
        for line in src.text.lines() {
            say(line.trim_end());
        }
        return Ok(());
    }
    say(&trf(
        "rules.header",
        &[("title", p.regulation.title.clone())],
    ));
    say(&trf(
        "rules.source",
        &[("path", src.path.to_string()), ("key", p.key.clone())],
    ));
    say("");
    // In the regulation's order; a clause several rules quote is listed once.
    let mut rows: Vec<(usize, Vec<&str>, &str, Option<String>)> = Vec::new();
    for (kind, quote) in regulation::quoted_rules(&p) {
        let kind = tr(&format!("rules.kind.{}", kind.code()));
        match rows.iter_mut().find(|r| r.2 == quote) {
            Some(r) if !r.1.contains(&kind) => r.1.push(kind),
            Some(_) => {}
            None => {
                let at = regulation::article_of(src.text, quote);
                let line = at.as_ref().map_or(usize::MAX, |a| a.line);
                let label = at.map(|a| a.label()).filter(|l| !l.is_empty());
                rows.push((line, vec![kind], quote, label));
            }
        }
    }
    rows.sort_by_key(|r| r.0);
    for (_, kinds, quote, label) in rows {
        say(&trf(
            "rules.line",
            &[
                (
                    "article",
                    label.unwrap_or_else(|| tr("rules.no_article").to_string()),
                ),
                ("kind", kinds.join(tr("list.sep"))),
                ("quote", quote.to_string()),
            ],
        ));
    }
    Ok(())
}
