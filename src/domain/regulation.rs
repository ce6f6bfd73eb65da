//! The four schools' supplementary regulations (補充規定) as the texts they
//! were read from, embedded from `assets/regulations/`, and where in a text a
//! quoted rule stands (its article, e.g. `三、` or `伍、四、`).
//!
//! A preset quotes its regulation word for word; [`article_of`] finds the quote
//! in the text (ignoring line breaks and spaces, which the PDF extraction put
//! inside sentences) and names the numbered article around it, so a finding
//! can say which article of the school's own rules it applies.

use super::preset::Preset;

/// One embedded regulation text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// The preset key, e.g. `jingxin`.
    pub key: &'static str,
    /// Where the text lives in the repository.
    pub path: &'static str,
    pub text: &'static str,
}

const SOURCES: [Source; 4] = [
    Source {
        key: "fengshan",
        path: "assets/regulations/fengshan-vocational.txt",
        text: include_str!("../../assets/regulations/fengshan-vocational.txt"),
    },
    Source {
        key: "taitung",
        path: "assets/regulations/taitung-senior-high.txt",
        text: include_str!("../../assets/regulations/taitung-senior-high.txt"),
    },
    Source {
        key: "yuren",
        path: "assets/regulations/yuren-senior-high.txt",
        text: include_str!("../../assets/regulations/yuren-senior-high.txt"),
    },
    Source {
        key: "jingxin",
        path: "assets/regulations/jingxin-senior-high.txt",
        text: include_str!("../../assets/regulations/jingxin-senior-high.txt"),
    },
];

/// The regulation a preset was made from.
pub fn source(key: &str) -> Option<Source> {
    SOURCES.iter().find(|s| s.key == key).copied()
}

/// The regulation text of a preset, as extracted from the school's document.
pub fn text(key: &str) -> Option<&'static str> {
    source(key).map(|s| s.text)
}

/// Where a quote stands in its regulation: the chapter (壹、…, 育仁 only),
/// the numbered point (一、…) and the sub-item ((一)…) as the text numbers them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    pub chapter: Option<String>,
    pub point: Option<String>,
    pub item: Option<String>,
    /// The appended table or document after the articles (靜心's 工作分配,
    /// 臺東's 分工內容表, 鳳山's 附件), by its own title.
    pub appendix: Option<String>,
    /// The 1-based line of the text where the quote begins.
    pub line: usize,
}

impl Article {
    /// The article as the text numbers it: `三、`, `六、(一)`, `伍、四、`, or
    /// an appendix's title. Empty when the quote stands before the first
    /// numbered point (a title, the adoption lines).
    pub fn label(&self) -> String {
        if let Some(a) = &self.appendix {
            return a.clone();
        }
        let mut s = String::new();
        if let Some(c) = &self.chapter {
            s.push_str(c);
            s.push('、');
        }
        if let Some(p) = &self.point {
            s.push_str(p);
            s.push('、');
        }
        if let Some(i) = &self.item {
            s.push('(');
            s.push_str(i);
            s.push(')');
        }
        s
    }
}

/// The value of a Chinese numeral from 一 to 九十九 (`十一` = 11), or of a
/// financial numeral 壹…拾 used for chapters.
fn numeral(s: &str) -> Option<u32> {
    fn digit(c: char) -> Option<u32> {
        "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .or_else(|| "壹貳參肆伍陸柒捌玖".chars().position(|d| d == c))
            .map(|i| i as u32 + 1)
    }
    let ten = |c: char| c == '十' || c == '拾';
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        [a] if ten(*a) => Some(10),
        [a] => digit(*a),
        [a, b] if ten(*a) => Some(10 + digit(*b)?),
        [a, b] if ten(*b) => Some(digit(*a)? * 10),
        [a, b, c] if ten(*b) => Some(digit(*a)? * 10 + digit(*c)?),
        _ => None,
    }
}

/// `三、…` → ("三", rest); the marker must be a numeral followed by `、`.
fn numbered<'a>(line: &'a str, digits: &str) -> Option<(&'a str, u32)> {
    let end = line.find('、')?;
    let head = &line[..end];
    if head.is_empty() || !head.chars().all(|c| digits.contains(c)) {
        return None;
    }
    numeral(head).map(|n| (head, n))
}

/// `(一)…` or `（一）…` → ("一", n).
fn parenthesised(line: &str) -> Option<(&str, u32)> {
    let rest = line.strip_prefix('(').or_else(|| line.strip_prefix('（'))?;
    let end = rest.find([')', '）'])?;
    let head = rest[..end].trim();
    numeral(head).map(|n| (head, n))
}

const CHAPTER_DIGITS: &str = "壹貳參肆伍陸柒捌玖拾";
const POINT_DIGITS: &str = "一二三四五六七八九十";

/// Text with all white space removed.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text without white space, and where each numbered heading begins in it.
struct Index {
    squashed: String,
    /// (byte offset in `squashed`, the article from there on).
    marks: Vec<(usize, Article)>,
    /// (byte offset in `squashed`, 1-based line) for each line's start.
    lines: Vec<(usize, usize)>,
}

fn index(text: &str) -> Index {
    let mut squashed = String::with_capacity(text.len());
    let mut marks = Vec::new();
    let mut lines = Vec::new();
    let mut cur = Article::default();
    let (mut point_n, mut item_n) = (0u32, 0u32);
    // The title's first characters: appended documents' titles begin with
    // the school's name too.
    let title_head: String = text
        .lines()
        .map(squash)
        .find(|l| !l.is_empty())
        .map(|l| l.chars().take(8).collect())
        .unwrap_or_default();
    // The enactment article (…實施，其修正亦同。) ends the articles; what
    // follows is appended.
    let mut enacted = false;
    for (i, raw) in text.lines().enumerate() {
        let at = squashed.len();
        lines.push((at, i + 1));
        let flat = squash(raw);
        // Markdown-like list markers of the extraction ("- 一、", " - (一) ").
        let line = raw.trim_start().trim_start_matches(['-', ' ']).trim_start();
        if cur.appendix.is_some() || enacted {
            let new_title = !flat.is_empty()
                && (cur.appendix.is_none()
                    || (!title_head.is_empty() && flat.starts_with(&title_head)));
            if new_title {
                enacted = false;
                cur = Article {
                    appendix: Some(flat.trim_end_matches(['：', ':']).to_string()),
                    ..Article::default()
                };
                marks.push((at, cur.clone()));
            }
        } else if let Some((c, _)) = numbered(line, CHAPTER_DIGITS) {
            cur = Article {
                chapter: Some(c.to_string()),
                ..Article::default()
            };
            point_n = 0;
            item_n = 0;
            marks.push((at, cur.clone()));
        } else if let Some((p, n)) = numbered(line, POINT_DIGITS).filter(|(_, n)| *n == point_n + 1)
        {
            // Numbers must follow on (一 after a chapter, then 二, 三…).
            cur.point = Some(p.to_string());
            cur.item = None;
            point_n = n;
            item_n = 0;
            marks.push((at, cur.clone()));
        } else if let Some((it, n)) = parenthesised(line).filter(|(_, n)| *n == item_n + 1)
            && cur.point.is_some()
        {
            cur.item = Some(it.to_string());
            item_n = n;
            marks.push((at, cur.clone()));
        }
        if cur.appendix.is_none() && flat.contains("實施") && flat.ends_with("亦同。") {
            enacted = true;
        }
        squashed.push_str(&flat);
    }
    Index {
        squashed,
        marks,
        lines,
    }
}

/// Where `quote` stands in `text`: its article, or `None` when the text does
/// not contain it (white space ignored).
pub fn article_of(text: &str, quote: &str) -> Option<Article> {
    let q = squash(quote);
    if q.is_empty() {
        return None;
    }
    let ix = index(text);
    let at = ix.squashed.find(&q)?;
    let mut art = ix
        .marks
        .iter()
        .take_while(|(o, _)| *o <= at)
        .last()
        .map(|(_, a)| a.clone())
        .unwrap_or_default();
    art.line = ix
        .lines
        .iter()
        .take_while(|(o, _)| *o <= at)
        .last()
        .map(|(_, l)| *l)
        .unwrap_or(1);
    Some(art)
}

/// The article of a preset's quote, labelled (`三、`), if the preset has an
/// embedded regulation that holds the quote and the quote stands in a
/// numbered article.
pub fn article_label(p: &Preset, quote: &str) -> Option<String> {
    let label = article_of(text(&p.key)?, quote)?.label();
    (!label.is_empty()).then_some(label)
}

/// What kind of rule a quoted clause of a preset states (an i18n key suffix
/// under `rules.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    Committee,
    Seat,
    StandingAgenda,
    Delegates,
    Certification,
    DepartingAccount,
    Cap,
    Lead,
    Schedule,
    Retention,
    Training,
    ConfirmationRule,
    ConfirmationWindow,
    Discrepancy,
    LeaverNotice,
    StatusChange,
    Evaluation,
    Contingency,
    Enactment,
}

impl RuleKind {
    pub fn code(self) -> &'static str {
        match self {
            RuleKind::Committee => "committee",
            RuleKind::Seat => "seat",
            RuleKind::StandingAgenda => "standing_agenda",
            RuleKind::Delegates => "delegates",
            RuleKind::Certification => "certification",
            RuleKind::DepartingAccount => "departing_account",
            RuleKind::Cap => "cap",
            RuleKind::Lead => "lead",
            RuleKind::Schedule => "schedule",
            RuleKind::Retention => "retention",
            RuleKind::Training => "training",
            RuleKind::ConfirmationRule => "confirmation_rule",
            RuleKind::ConfirmationWindow => "confirmation_window",
            RuleKind::Discrepancy => "discrepancy",
            RuleKind::LeaverNotice => "leaver_notice",
            RuleKind::StatusChange => "status_change",
            RuleKind::Evaluation => "evaluation",
            RuleKind::Contingency => "contingency",
            RuleKind::Enactment => "enactment",
        }
    }
}

/// The rules a preset quotes from its regulation, in the order a reader
/// meets them in the preset. Seats are not listed one by one (the committee
/// clause names them).
pub fn quoted_rules(p: &Preset) -> Vec<(RuleKind, &str)> {
    let mut out: Vec<(RuleKind, &str)> = Vec::new();
    if let Some(c) = &p.committee_clause {
        out.push((RuleKind::Committee, c));
    }
    out.extend(
        p.standing_agenda
            .iter()
            .map(|s| (RuleKind::StandingAgenda, s.as_str())),
    );
    if let Some(c) = &p.delegate_clause {
        out.push((RuleKind::Delegates, c));
    }
    if let Some(c) = &p.teacher_certification {
        out.push((RuleKind::Certification, &c.clause));
    }
    if let Some(c) = &p.departing_teacher_account {
        out.push((RuleKind::DepartingAccount, c));
    }
    for cap in p.caps.each().into_iter().flatten() {
        if let Some(c) = &cap.clause {
            out.push((RuleKind::Cap, c));
        }
    }
    if let Some(c) = &p.lead_clause {
        out.push((RuleKind::Lead, c));
    }
    if let Some(s) = &p.schedule {
        out.push((RuleKind::Schedule, &s.clause));
    }
    if let Some(r) = &p.retention {
        out.push((RuleKind::Retention, &r.clause));
    }
    out.extend(
        p.trainings
            .iter()
            .map(|t| (RuleKind::Training, t.clause.as_str())),
    );
    let conf = &p.confirmation;
    if let Some(c) = &conf.rule {
        out.push((RuleKind::ConfirmationRule, c));
    }
    if let Some(c) = &conf.window {
        out.push((RuleKind::ConfirmationWindow, c));
    }
    if let Some(c) = &conf.discrepancy {
        out.push((RuleKind::Discrepancy, c));
    }
    if let Some(c) = &p.leaver_notice_clause {
        out.push((RuleKind::LeaverNotice, c));
    }
    if let Some(c) = &p.status_change_rule {
        out.push((RuleKind::StatusChange, c));
    }
    if let Some(c) = &p.evaluation {
        out.push((RuleKind::Evaluation, c));
    }
    out.extend(
        p.contingency
            .iter()
            .map(|c| (RuleKind::Contingency, c.as_str())),
    );
    if let Some(c) = &p.regulation.enactment {
        out.push((RuleKind::Enactment, c));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::preset;

    #[test]
    fn numerals_read_as_written() {
        assert_eq!(numeral("一"), Some(1));
        assert_eq!(numeral("十"), Some(10));
        assert_eq!(numeral("十二"), Some(12));
        assert_eq!(numeral("二十"), Some(20));
        assert_eq!(numeral("二十三"), Some(23));
        assert_eq!(numeral("伍"), Some(5));
        assert_eq!(numeral("拾壹"), Some(11));
        assert_eq!(numeral("甲"), None);
        assert_eq!(numeral(""), None);
    }

    #[test]
    fn every_preset_has_its_text_and_cites_its_path() {
        for p in preset::all() {
            let src = source(&p.key).unwrap_or_else(|| panic!("{}: no text", p.key));
            assert_eq!(p.regulation.source.as_deref(), Some(src.path), "{}", p.key);
            let first = src.text.lines().find(|l| !l.trim().is_empty()).unwrap();
            assert_eq!(first.trim(), p.regulation.title, "{}", p.key);
        }
        assert!(source("nowhere").is_none());
    }

    #[test]
    fn the_texts_in_the_repository_are_the_files_the_presets_cite() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for s in SOURCES {
            let on_disk = std::fs::read_to_string(root.join(s.path)).unwrap();
            assert_eq!(on_disk, s.text, "{}", s.path);
        }
    }

    #[test]
    fn jingxin_meeting_rule_is_article_three() {
        let p = preset::by_key("jingxin").unwrap();
        let clause = p.committee_clause.as_deref().unwrap();
        let a = article_of(text("jingxin").unwrap(), clause).unwrap();
        assert_eq!(a.label(), "三、");
        assert_eq!(a.line, 25);
        // Retention of leavers: 八、
        let r = &p.retention.as_ref().unwrap().clause;
        assert_eq!(article_label(&p, r).as_deref(), Some("八、"));
    }

    #[test]
    fn what_follows_the_enactment_article_is_an_appendix_by_its_title() {
        // 靜心's appended tables hold cells "十一、十二年級…": they are not points.
        let t = text("jingxin").unwrap();
        let a = article_of(t, "十一、十二年級上網確認收訖明細").unwrap();
        assert_eq!(a.point, None);
        assert_eq!(
            a.label(),
            "臺北市私立靜心高級中學111學年度第一學期學生學習歷程檔案相關作業日程表"
        );
        let w = article_of(t, "111.9.29工作小組會議提案通過").unwrap();
        assert_eq!(
            w.label(),
            "臺北市私立靜心高級中學學生學習歷程工作小組工作分配"
        );
        // 臺東's trainings are rows of its 分工內容表, not of 九、.
        let p = preset::by_key("taitung").unwrap();
        for tr in &p.trainings {
            assert_eq!(
                article_label(&p, &tr.clause).as_deref(),
                Some("國立臺東高級中學學習歷程工作小組分工內容表"),
                "{}",
                tr.name
            );
        }
        // 鳳山's 附件 (the delegate list).
        let f = article_of(text("fengshan").unwrap(), "訂定代理人名單。").unwrap();
        assert_eq!(f.label(), "附件");
        // The enactment article itself is still an article.
        let e = article_of(t, "本補充規定經校務會議通過後實施").unwrap();
        assert_eq!(e.label(), "十二、");
    }

    #[test]
    fn yuren_articles_carry_their_chapter() {
        let p = preset::by_key("yuren").unwrap();
        let r = &p.retention.as_ref().unwrap().clause;
        assert_eq!(article_label(&p, r).as_deref(), Some("肆、四、"));
        let m = p.committee_clause.as_deref().unwrap();
        assert_eq!(article_label(&p, m).as_deref(), Some("伍、四、"));
    }

    #[test]
    fn sub_items_are_named() {
        let p = preset::by_key("fengshan").unwrap();
        let teacher = p
            .trainings
            .iter()
            .find(|t| t.name.contains("教師"))
            .expect("fengshan teacher training");
        assert_eq!(
            article_label(&p, &teacher.clause).as_deref(),
            Some("六、(二)")
        );
    }

    #[test]
    fn taitung_list_markers_are_read_through() {
        let p = preset::by_key("taitung").unwrap();
        let m = p.committee_clause.as_deref().unwrap();
        assert_eq!(article_label(&p, m).as_deref(), Some("三、"));
    }

    #[test]
    fn every_quoted_rule_is_found_in_its_text() {
        for p in preset::all() {
            let t = text(&p.key).unwrap();
            let rules = quoted_rules(&p);
            assert!(rules.len() >= 5, "{}: only {} rules", p.key, rules.len());
            for (kind, q) in rules {
                // 臺東's page break repeats a table header inside a cell.
                let found = article_of(t, q).is_some()
                    || squash(t)
                        .replace("項目負責單位工作內容", "")
                        .contains(&squash(q));
                assert!(found, "{} {}: {q:?} not in the text", p.key, kind.code());
            }
        }
    }

    #[test]
    fn a_quote_not_in_the_text_has_no_article() {
        assert_eq!(article_of(text("jingxin").unwrap(), "不存在的條文"), None);
        assert_eq!(article_of(text("jingxin").unwrap(), "  "), None);
    }

    #[test]
    fn the_title_stands_before_any_article() {
        let p = preset::by_key("jingxin").unwrap();
        let a = article_of(text("jingxin").unwrap(), &p.regulation.title).unwrap();
        assert_eq!(a.label(), "");
        assert_eq!(article_label(&p, &p.regulation.title), None);
    }
}
