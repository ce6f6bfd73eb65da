//! The agenda builder on the meetings view: `g` regenerates a planned
//! meeting's reports from live data, `E` prints the selected meeting's
//! agenda (planned) or minutes (held) to a file — HTML, Markdown or text —
//! with the export rules of every screen (refused targets, a question
//! before replacing a file, the old file replaced whole).

use crate::agenda_refresh::{agenda_doc, refresh_reports};
use crate::domain::agenda::DocKind;
use crate::domain::meeting::{Meeting, MeetingStatus};
use crate::i18n::{Localized, tr, trf};
use crate::io::agenda_export::{AgendaFormat, export};
use crate::io::out_file::{self, Target};
use crate::screens::calendar::expand;
use crate::screens::{Ctx, Intent, Popup};
use crate::ui::confirm::Confirm;
use crate::ui::dates;
use crate::ui::form::{Field, Form};

const E_FORMAT: usize = 0;
const E_PATH: usize = 1;

fn kind_of(m: &Meeting) -> DocKind {
    if m.status == MeetingStatus::Planned {
        DocKind::Agenda
    } else {
        DocKind::Minutes
    }
}

/// `agenda-115-2.html` / `minutes-115-1.md` in the current directory.
fn default_path(m: &Meeting, format: AgendaFormat) -> String {
    let stem = match kind_of(m) {
        DocKind::Agenda => "agenda",
        DocKind::Minutes => "minutes",
    };
    format!("{stem}-{}-{}.{}", m.year, m.number, format.extension())
}

/// `g`: the planned meeting's reports regenerated and stored; a held
/// meeting's are frozen, which the status says.
pub fn regenerate(m: &Meeting, ctx: &mut Ctx) {
    match refresh_reports(ctx.store, m.id, ctx.today) {
        Ok(true) => ctx.info(trf("agenda.regenerated", &[("n", m.number.to_string())])),
        Ok(false) => ctx.error(trf("agenda.frozen", &[("n", m.number.to_string())])),
        Err(e) => ctx.error(e.message()),
    }
}

/// `E`: the form asking for the format and the file.
pub fn export_form(m: &Meeting) -> Popup {
    let key = match kind_of(m) {
        DocKind::Agenda => "agenda.export_title",
        DocKind::Minutes => "agenda.export_title_minutes",
    };
    Popup::Form(
        Form::new(
            trf(
                key,
                &[("n", m.number.to_string()), ("year", m.year.to_string())],
            ),
            vec![
                Field::new("agenda.f_format", AgendaFormat::Html.extension())
                    .with_hint("agenda.h_format"),
                Field::new("agenda.f_path", &default_path(m, AgendaFormat::Html))
                    .with_hint("agenda.h_path"),
            ],
        ),
        Intent::MtExport { id: m.id },
    )
}

/// The form submitted: checked, asked before replacing, written.
pub fn export_file(mut form: Form, m: &Meeting, ctx: &mut Ctx) -> Option<Popup> {
    form.clear_errors();
    let again = |form: Form| Some(Popup::Form(form, Intent::MtExport { id: m.id }));
    let format_text = form.value(E_FORMAT);
    let Some(format) = AgendaFormat::parse(&format_text) else {
        form.set_error(
            E_FORMAT,
            trf(
                "agenda.bad_format",
                &[("format", format_text.trim().to_string())],
            ),
        );
        return again(form);
    };
    let mut path = form.value(E_PATH).trim().to_string();
    // An untouched default follows the format chosen.
    if path.is_empty() || path == default_path(m, AgendaFormat::Html) {
        path = default_path(m, format);
    }
    match out_file::check(&expand(&path), Some(ctx.store.path())) {
        Err(e) => {
            form.set_error(E_PATH, e.message());
            return again(form);
        }
        Ok(Target::Replaces) => {
            return Some(Popup::Confirm(
                Confirm::new(
                    tr("exports.overwrite_title").into(),
                    trf("exports.overwrite_question", &[("path", path.clone())]),
                ),
                Intent::MtExportReplace {
                    id: m.id,
                    format: format.extension().to_string(),
                    path,
                },
            ));
        }
        Ok(Target::New) => {}
    }
    if let Err(msg) = write(m, format, &path, ctx) {
        form.set_error(E_PATH, msg);
        return again(form);
    }
    None
}

/// Writes the print of `m` to `path` and says so.
pub fn write(m: &Meeting, format: AgendaFormat, path: &str, ctx: &mut Ctx) -> Result<(), String> {
    let doc = agenda_doc(ctx.store, m.id, kind_of(m), ctx.today, dates::style())
        .map_err(|e| e.message())?;
    out_file::write(&expand(path), Some(ctx.store.path()), &export(format, &doc))
        .map_err(|e| e.message())?;
    ctx.info(trf(
        "agenda.printed",
        &[("title", doc.title()), ("path", path.to_string())],
    ));
    Ok(())
}
