//! `init`, `presets`, `demo`: the school database and the demo.

use std::path::PathBuf;

use clap::ArgMatches;

use crate::domain::preset;
use crate::domain::roc::academic_year_of;
use crate::i18n::{tr, trf};
use crate::store::Store;

use super::{Failure, db_path, need_terminal, say, today, tui};

/// `presets`: the preset schools, one a line.
pub(super) fn presets() -> Result<(), Failure> {
    for p in preset::all() {
        say(&trf(
            "cli.preset_line",
            &[
                ("key", format!("{:<9}", p.key)),
                ("name", p.school_name.clone()),
                ("short", p.short_name.clone()),
                (
                    "seats",
                    trf("cli.seats", &[("n", p.seat_count().to_string())]),
                ),
            ],
        ));
    }
    Ok(())
}

/// `init --preset NAME`: creates the school database from a preset.
pub(super) fn init(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let name = sub.get_one::<String>("preset").cloned().unwrap_or_default();
    let Some(p) = preset::by_key(&name.trim().to_ascii_lowercase()) else {
        return Err(Failure(trf(
            "cli.unknown_preset",
            &[
                ("name", name),
                ("known", preset::keys().join(tr("list.sep"))),
            ],
        )));
    };
    // Check everything before the file is created.
    let year = academic_year_of(today()?);
    let path = db_path(m, "school.db")?;
    let mut store = Store::open(&path)?;
    let school = store.init_school(&p, year)?;
    say(&trf(
        "cli.initialised",
        &[("name", school.name), ("path", path.display().to_string())],
    ));
    Ok(())
}

/// `demo [--reset]`: the full-screen interface on a seeded demo database.
pub(super) fn demo(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let path = db_path(m, "demo.db")?;
    let today = today()?;
    if path.exists() {
        Store::open(&path)?;
    }
    need_terminal()?;
    if sub.get_flag("reset") {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
    let mut store = Store::open(&path)?;
    if store.school()?.is_none() {
        crate::demo::seed(&mut store, today)?;
    }
    tui(store, today)
}
