//! Where an export may be written, and the one way it is written (the CLI's
//! `--out` and the screens' export files): never over the open database,
//! its `-wal`/`-shm`/`-journal`, any other SQLite file, or a directory; and
//! through a temporary file in the same directory renamed over the target,
//! so a failed export leaves the old file whole.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::i18n::{Localized, tr};

/// The first 16 bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// The files SQLite keeps beside a database.
const COMPANIONS: [&str; 3] = ["-wal", "-shm", "-journal"];

/// Why an export was not written. Each quotes the path as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetError {
    /// The open database itself.
    Database {
        path: String,
        db: String,
    },
    /// The open database's `-wal`, `-shm` or `-journal`.
    Companion {
        path: String,
        db: String,
    },
    /// Another SQLite database.
    Sqlite {
        path: String,
    },
    Directory {
        path: String,
    },
    Write {
        path: String,
        reason: String,
    },
}

impl Localized for TargetError {
    fn message_key(&self) -> &'static str {
        match self {
            TargetError::Database { .. } => "exports.refused_database",
            TargetError::Companion { .. } => "exports.refused_companion",
            TargetError::Sqlite { .. } => "exports.refused_sqlite",
            TargetError::Directory { .. } => "exports.refused_directory",
            TargetError::Write { .. } => "exports.cannot_write",
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            TargetError::Database { path, db } | TargetError::Companion { path, db } => {
                vec![("path", path.clone()), ("db", db.clone())]
            }
            TargetError::Sqlite { path } | TargetError::Directory { path } => {
                vec![("path", path.clone())]
            }
            TargetError::Write { path, reason } => {
                vec![("path", path.clone()), ("reason", reason.clone())]
            }
        }
    }
}

/// A target that may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Nothing is there yet.
    New,
    /// A file that is not a database is there: writing replaces it (the
    /// screens ask first).
    Replaces,
}

/// `path` made absolute without touching the file: the directory it is in
/// resolved (symlinks, `.`, `..`) when that exists, the name kept.
fn resolve(path: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(path) {
        return p;
    }
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or_else(|_| abs.clone()),
        _ => abs,
    }
}

/// The names the open database goes by: as given and fully resolved (a
/// symlinked database has its companions beside the name it was opened by).
fn database_names(db: &Path) -> Vec<PathBuf> {
    let mut names = vec![resolve(db)];
    if let Ok(abs) = std::path::absolute(db)
        && !names.contains(&abs)
    {
        names.push(abs);
    }
    names
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn is_sqlite(path: &Path) -> bool {
    let mut head = [0u8; 16];
    fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == SQLITE_MAGIC
}

/// May an export be written to `target`? `db` is the open database (None
/// when there is none, or it lives in memory).
pub fn check(target: &Path, db: Option<&Path>) -> Result<Target, TargetError> {
    let shown = target.display().to_string();
    if let Some(db) = db.filter(|d| d.as_os_str() != ":memory:") {
        let resolved = resolve(target);
        let as_given = std::path::absolute(target).unwrap_or_else(|_| target.to_path_buf());
        let is = |p: &Path| p == resolved || p == as_given;
        let db_shown = db.display().to_string();
        for name in database_names(db) {
            if is(&name) {
                return Err(TargetError::Database {
                    path: shown,
                    db: db_shown,
                });
            }
            if COMPANIONS.iter().any(|s| is(&with_suffix(&name, s))) {
                return Err(TargetError::Companion {
                    path: shown,
                    db: db_shown,
                });
            }
        }
    }
    match fs::metadata(target) {
        Ok(m) if m.is_dir() => Err(TargetError::Directory { path: shown }),
        // A device or pipe is written to, not replaced (and not read: a
        // FIFO with no writer would block).
        Ok(m) if !m.is_file() => Ok(Target::New),
        Ok(_) if is_sqlite(target) => Err(TargetError::Sqlite { path: shown }),
        Ok(_) => Ok(Target::Replaces),
        Err(_) => Ok(Target::New),
    }
}

/// Writes `bytes` to `target` after [`check`]: into a temporary file in the
/// same directory, then renamed over the target (an existing file keeps its
/// permissions; a symlink's file is replaced, not the link). On any failure
/// the temporary file is removed and the old file is as it was.
pub fn write(target: &Path, db: Option<&Path>, bytes: &[u8]) -> Result<(), TargetError> {
    check(target, db)?;
    let fail = |e: std::io::Error| TargetError::Write {
        path: target.display().to_string(),
        reason: match e.kind() {
            std::io::ErrorKind::NotFound => tr("exports.reason_no_dir").to_string(),
            std::io::ErrorKind::PermissionDenied => tr("exports.reason_permission").to_string(),
            _ => e.to_string(),
        },
    };
    // Write where the file really is: over a symlink's file, not the link.
    let real = fs::canonicalize(target).unwrap_or_else(|_| target.to_path_buf());
    // A device, pipe or socket (`/dev/stdout`, a FIFO someone reads) is
    // written to as it is: renaming over it would replace the device node
    // with a plain file, and a pipe has no "old content" to keep whole.
    if fs::metadata(&real).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return fs::OpenOptions::new()
            .write(true)
            .open(&real)
            .and_then(|mut f| f.write_all(bytes).and_then(|_| f.flush()))
            .map_err(fail);
    }
    let dir = match real.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let (tmp, mut file) = create_temp(&dir, &name).map_err(fail)?;
    let result = (|| {
        file.write_all(bytes)?;
        if let Ok(m) = fs::metadata(&real) {
            file.set_permissions(m.permissions())?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, &real)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

/// A new file `.<name>.<pid>-<n>.tmp` in `dir`, never one that was there.
fn create_temp(dir: &Path, name: &str) -> std::io::Result<(PathBuf, fs::File)> {
    let pid = std::process::id();
    let mut n = 0u32;
    loop {
        let tmp = dir.join(format!(".{name}.{pid}-{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(e),
        }
    }
}
