//! `backup`, `backups`, `restore`, `doctor`: copies of the school's file,
//! putting one back, and the health of a shared installation.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use clap::ArgMatches;

use crate::i18n::{Localized, tr, trf};
use crate::store::backup::{self as bk, Contents};
use crate::store::{SCHEMA_VERSION, Store};

use super::{Failure, db_path, open_existing, say};

/// "12.3 MB", "840 KB".
pub fn size_text(bytes: u64) -> String {
    if bytes >= 10 * 1024 * 1024 * 1024 {
        trf(
            "backup.size_gb",
            &[(
                "n",
                format!("{:.1}", bytes as f64 / (1024.0 * 1024.0 * 1024.0)),
            )],
        )
    } else if bytes >= 1024 * 1024 {
        trf(
            "backup.size_mb",
            &[("n", format!("{:.1}", bytes as f64 / (1024.0 * 1024.0)))],
        )
    } else {
        trf("backup.size_kb", &[("n", bytes.div_ceil(1024).to_string())])
    }
}

/// "3 minutes ago", "5 hours ago", "2 days ago".
pub fn age_text(at: NaiveDateTime, now: NaiveDateTime) -> String {
    let mins = (now - at).num_minutes().max(0);
    if mins < 60 {
        trf("backup.age_minutes", &[("n", mins.to_string())])
    } else if mins < 48 * 60 {
        trf("backup.age_hours", &[("n", (mins / 60).to_string())])
    } else {
        trf("backup.age_days", &[("n", (mins / (24 * 60)).to_string())])
    }
}

fn now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

/// `backup [--out FILE]`: a checked copy; without `--out` into `backups/`.
pub(super) fn backup(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let store = open_existing(m)?;
    let report = match sub.get_one::<PathBuf>("out") {
        Some(out) => store.backup_to(out)?,
        None => {
            let path = store.auto_backup("manual")?;
            store.check_copy(&path)?
        }
    };
    say(&trf(
        "backup.written",
        &[
            ("path", report.path.display().to_string()),
            ("size", size_text(report.size)),
        ],
    ));
    for (t, n) in &report.counts {
        say(&format!("  {t:<20} {n:>8}"));
    }
    if !report.is_sound() {
        return Err(Failure(trf(
            "backup.copy_unsound",
            &[("path", report.path.display().to_string())],
        )));
    }
    say(tr("backup.integrity_ok"));
    Ok(())
}

/// `backups`: the automatic backups beside the file, newest first.
pub(super) fn backups(m: &ArgMatches) -> Result<(), Failure> {
    let path = db_path(m, "school.db")?;
    let (daily, weekly) = bk::retention()?;
    let dir = bk::backups_dir(&path);
    let list = bk::list_backups(&path);
    if list.is_empty() {
        say(&trf(
            "backup.none_yet",
            &[("dir", dir.display().to_string())],
        ));
    } else {
        say(&trf(
            "backup.list_heading",
            &[
                ("dir", dir.display().to_string()),
                ("n", list.len().to_string()),
            ],
        ));
    }
    let now = now();
    for b in &list {
        let name = b
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        say(&format!(
            "  {name}  {}  {}",
            age_text(b.at, now),
            size_text(b.size)
        ));
    }
    say(&trf(
        "backup.retention",
        &[("daily", daily.to_string()), ("weekly", weekly.to_string())],
    ));
    Ok(())
}

fn contents_table(current: &Contents, file: &Contents) -> Vec<String> {
    let mut out = vec![format!(
        "  {:<20} {:>10} {:>10}",
        tr("backup.col_table"),
        tr("backup.col_current"),
        tr("backup.col_file")
    )];
    let mut names: Vec<&String> = current.counts.iter().map(|(t, _)| t).collect();
    for (t, _) in &file.counts {
        if !names.contains(&t) {
            names.push(t);
        }
    }
    let count = |c: &Contents, t: &String| {
        c.counts
            .iter()
            .find(|(x, _)| x == t)
            .map(|(_, n)| n.to_string())
            .unwrap_or_else(|| "-".to_string())
    };
    for t in names {
        out.push(format!(
            "  {t:<20} {:>10} {:>10}",
            count(current, t),
            count(file, t)
        ));
    }
    let last = |c: &Contents| {
        c.last_change
            .as_deref()
            .map(crate::store::short_time)
            .unwrap_or_else(|| tr("backup.never").to_string())
    };
    out.push(trf(
        "backup.last_change",
        &[("current", last(current)), ("file", last(file))],
    ));
    out
}

/// `restore FILE [--yes]`: checks the file, shows it beside the current
/// data, asks, backs up the current data, then puts the file's data in.
pub(super) fn restore(m: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let file = sub.get_one::<PathBuf>("file").cloned().unwrap_or_default();
    let yes = sub.get_flag("yes");
    let path = db_path(m, "school.db")?;
    if !path.exists() {
        return Err(Failure(trf(
            "cli.no_such_db",
            &[("path", path.display().to_string())],
        )));
    }
    // The file is checked before anything else, and nothing is written
    // when it is refused.
    if bk::same_file(&file, &path) {
        return Err(Failure(trf(
            "backup.restore_self",
            &[("path", file.display().to_string())],
        )));
    }
    let theirs = bk::inspect_file(&file)?;
    let interactive = std::io::stdin().is_terminal();
    if !yes && !interactive {
        return Err(Failure(trf(
            "backup.needs_yes",
            &[("path", file.display().to_string())],
        )));
    }
    let mut store = Store::open(&path)?;
    let ours = store.contents()?;
    say(&trf(
        "backup.restore_heading",
        &[
            ("file", file.display().to_string()),
            ("db", path.display().to_string()),
        ],
    ));
    for line in contents_table(&ours, &theirs) {
        say(&line);
    }
    if !yes && !ask(tr("backup.restore_ask"))? {
        say(tr("backup.restore_cancelled"));
        return Ok(());
    }
    let saved = store.restore_from(&file)?;
    say(&trf(
        "backup.restored",
        &[
            ("file", file.display().to_string()),
            ("saved", saved.display().to_string()),
        ],
    ));
    Ok(())
}

/// Asks a yes/no question on the terminal; anything but yes is no.
fn ask(question: &str) -> Result<bool, Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "{question} ");
    let _ = out.flush();
    drop(out);
    let mut answer = String::new();
    if std::io::stdin().read_line(&mut answer).is_err() {
        return Ok(false);
    }
    let a = answer.trim().to_lowercase();
    Ok(tr("backup.yes_words").split('|').any(|w| w == a))
}

/// One check of `doctor`.
struct Check {
    ok: bool,
    text: String,
    fix: Option<String>,
}

impl Check {
    fn ok(text: String) -> Check {
        Check {
            ok: true,
            text,
            fix: None,
        }
    }
    fn problem(text: String, fix: String) -> Check {
        Check {
            ok: false,
            text,
            fix: Some(fix),
        }
    }
}

/// A path as a shell word (quoted when it needs to be).
fn sh(p: &Path) -> String {
    let s = p.display().to_string();
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:".contains(c))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// `doctor`: reads only; one line per check, the fixes and exit 1 when
/// something is wrong.
pub(super) fn doctor(m: &ArgMatches) -> Result<(), Failure> {
    let path = db_path(m, "school.db")?;
    if !path.is_file() {
        return Err(Failure(trf(
            "cli.no_such_db",
            &[("path", path.display().to_string())],
        )));
    }
    let mut checks = Vec::new();
    let p = path.display().to_string();
    // Permissions first: opening the file may create its -wal and -shm.
    let mut perms = Vec::new();
    permission_checks(&path, &mut perms);
    match bk::examine(&path) {
        Err(e @ crate::store::StoreError::NotOurs { .. }) => checks.push(Check::problem(
            e.message(),
            trf("backup.fix_not_ours", &[("db", sh(&path))]),
        )),
        Err(e) => checks.push(Check::problem(
            e.message(),
            trf("backup.fix_restore", &[("db", sh(&path))]),
        )),
        Ok(x) => {
            if x.integrity == ["ok"] {
                checks.push(Check::ok(tr("backup.dr_integrity_ok").into()));
            } else {
                checks.push(Check::problem(
                    trf(
                        "backup.dr_integrity_bad",
                        &[("n", x.integrity.len().to_string())],
                    ),
                    trf("backup.fix_restore", &[("db", sh(&path))]),
                ));
            }
            for e in &x.bad_dates {
                checks.push(Check::problem(
                    e.message(),
                    trf("backup.fix_restore", &[("db", sh(&path))]),
                ));
            }
            let v = [
                ("found", x.schema_version.to_string()),
                ("known", SCHEMA_VERSION.to_string()),
            ];
            checks.push(if x.schema_version > SCHEMA_VERSION {
                Check::problem(
                    trf("backup.dr_schema_newer", &v),
                    tr("backup.fix_update").into(),
                )
            } else if x.schema_version < SCHEMA_VERSION {
                Check::ok(trf("backup.dr_schema_older", &v))
            } else {
                Check::ok(trf("backup.dr_schema_ok", &v))
            });
            let mode = x.journal_mode.to_lowercase();
            checks.push(if mode == "wal" {
                Check::ok(trf("backup.dr_journal_ok", &[("mode", mode)]))
            } else {
                Check::problem(
                    trf("backup.dr_journal_bad", &[("mode", mode)]),
                    trf("backup.fix_journal", &[("db", sh(&path))]),
                )
            });
        }
    }
    checks.extend(perms);
    checks.push(match bk::newest_backup(&path) {
        None => Check::problem(
            trf(
                "backup.dr_no_backup",
                &[("dir", bk::backups_dir(&path).display().to_string())],
            ),
            trf("backup.fix_backup", &[("db", sh(&path))]),
        ),
        Some(b) => {
            let args = [
                ("name", b.path.display().to_string()),
                ("age", age_text(b.at, now())),
            ];
            if (now() - b.at).num_days() >= bk::STALE_DAYS {
                Check::problem(
                    trf("backup.dr_backup_old", &args),
                    trf("backup.fix_backup", &[("db", sh(&path))]),
                )
            } else {
                Check::ok(trf("backup.dr_backup_ok", &args))
            }
        }
    });
    checks.push(disk_check(&path));
    // Where this run's log goes (errors, imports, backups, refused writes).
    checks.push(match crate::log::path() {
        Some(log) => Check::ok(trf("backup.dr_log", &[("path", log.display().to_string())])),
        None => Check::problem(
            tr("backup.dr_no_log").into(),
            trf(
                "backup.fix_log",
                &[(
                    "dir",
                    path.parent()
                        .map(|d| d.display().to_string())
                        .unwrap_or_default(),
                )],
            ),
        ),
    });
    let mut fixes = Vec::new();
    for c in &checks {
        let mark = if c.ok {
            tr("backup.ok")
        } else {
            tr("backup.problem")
        };
        say(&format!("{mark:<8} {}", c.text));
        if let Some(f) = &c.fix
            && !fixes.contains(f)
        {
            fixes.push(f.clone());
        }
    }
    if fixes.is_empty() {
        say(&trf("backup.dr_all_ok", &[("db", p)]));
        return Ok(());
    }
    say("");
    say(tr("backup.fixes_heading"));
    for f in &fixes {
        say(&format!("  {f}"));
    }
    let problems = checks.iter().filter(|c| !c.ok).count();
    Err(Failure(trf(
        "backup.dr_problems",
        &[("n", problems.to_string()), ("db", p)],
    )))
}

/// Shared use: every staff member's OS user must be able to write the file
/// and its -wal/-shm (group read/write, the directory's group) and to
/// create files in the directory (group write and search, and set-group-id
/// so that new files get the directory's group).
#[cfg(unix)]
fn permission_checks(path: &Path, checks: &mut Vec<Check>) {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(dmeta) = std::fs::metadata(&dir) else {
        return;
    };
    let group = group_name(dmeta.gid());
    let mut files = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm"] {
        let mut s = path.as_os_str().to_os_string();
        s.push(suffix);
        let p = PathBuf::from(s);
        if p.exists() {
            files.push(p);
        }
    }
    let fix_files = trf(
        "backup.fix_files",
        &[("group", group.clone()), ("db", sh(path))],
    );
    for f in &files {
        let Ok(meta) = std::fs::metadata(f) else {
            continue;
        };
        let mode = meta.permissions().mode();
        let args = [
            ("path", f.display().to_string()),
            ("mode", format!("{:04o}", mode & 0o7777)),
            ("group", group_name(meta.gid())),
        ];
        if mode & 0o060 != 0o060 {
            checks.push(Check::problem(
                trf("backup.dr_file_no_group_write", &args),
                fix_files.clone(),
            ));
        } else if meta.gid() != dmeta.gid() {
            checks.push(Check::problem(
                trf(
                    "backup.dr_file_other_group",
                    &[
                        ("path", f.display().to_string()),
                        ("group", group_name(meta.gid())),
                        ("dirgroup", group.clone()),
                    ],
                ),
                fix_files.clone(),
            ));
        } else {
            checks.push(Check::ok(trf("backup.dr_file_ok", &args)));
        }
    }
    let fix_dir = trf(
        "backup.fix_dir",
        &[("group", group.clone()), ("dir", sh(&dir))],
    );
    let dirs = [dir.clone(), bk::backups_dir(path)];
    for d in dirs.iter().filter(|d| d.is_dir()) {
        let Ok(meta) = std::fs::metadata(d) else {
            continue;
        };
        let mode = meta.permissions().mode();
        let args = [
            ("path", d.display().to_string()),
            ("mode", format!("{:04o}", mode & 0o7777)),
            ("group", group_name(meta.gid())),
        ];
        let fix = if d == &dir {
            fix_dir.clone()
        } else {
            trf(
                "backup.fix_dir",
                &[("group", group.clone()), ("dir", sh(d))],
            )
        };
        if mode & 0o070 != 0o070 || mode & 0o2000 == 0 {
            checks.push(Check::problem(trf("backup.dr_dir_bad", &args), fix));
        } else {
            checks.push(Check::ok(trf("backup.dr_dir_ok", &args)));
        }
    }
}

#[cfg(not(unix))]
fn permission_checks(_path: &Path, _checks: &mut Vec<Check>) {}

/// The name of a group id (the number when it has none).
#[cfg(unix)]
fn group_name(gid: u32) -> String {
    // SAFETY: getgrgid returns a pointer to static storage or null; the
    // name is copied out at once (the command line runs on one thread).
    unsafe {
        let g = libc::getgrgid(gid);
        if g.is_null() || (*g).gr_name.is_null() {
            return gid.to_string();
        }
        std::ffi::CStr::from_ptr((*g).gr_name)
            .to_string_lossy()
            .to_string()
    }
}

/// Free space on the database's filesystem: room for a backup and the log
/// (twice the file, and at least 100 MB).
fn disk_check(path: &Path) -> Check {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let need = (size * 2).max(100 * 1024 * 1024);
    let Some(free) = free_bytes(&dir) else {
        return Check::ok(trf(
            "backup.dr_disk_unknown",
            &[("dir", dir.display().to_string())],
        ));
    };
    let args = [
        ("dir", dir.display().to_string()),
        ("free", size_text(free)),
        ("need", size_text(need)),
    ];
    if free < need {
        Check::problem(
            trf("backup.dr_disk_low", &args),
            trf("backup.fix_disk", &args),
        )
    } else {
        Check::ok(trf("backup.dr_disk_ok", &args))
    }
}

#[cfg(unix)]
fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs fills the zeroed struct for a NUL-terminated path.
    unsafe {
        let mut st: libc::statvfs = std::mem::zeroed();
        if libc::statvfs(c.as_ptr(), &mut st) != 0 {
            return None;
        }
        #[allow(clippy::unnecessary_cast)]
        Some(st.f_bavail as u64 * st.f_frsize as u64)
    }
}

#[cfg(not(unix))]
fn free_bytes(_dir: &Path) -> Option<u64> {
    None
}
