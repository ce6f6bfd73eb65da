//! A running session of the app, so that each one keeps its own draft.
//!
//! A session has an id (process id, start time and a counter) and, for a
//! database file, holds an exclusive lock on `<db>.sessions/<id>.lock` for as
//! long as it runs. The operating system drops the lock when the process
//! ends, however it ends (quit, SIGTERM, SIGKILL, a crash), so "is that
//! session still running?" is "is its lock file still locked?" — no pid that
//! may have been reused, and no heartbeat writes (a write to the database
//! would make every other session reload its screen).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

pub struct Session {
    id: String,
    /// The held lock file (`None` for an in-memory database).
    lock: Option<(PathBuf, File)>,
}

/// Where the lock files of the sessions on `db` live.
fn lock_dir(db: &Path) -> Option<PathBuf> {
    if db.as_os_str() == ":memory:" {
        return None;
    }
    let mut name = db.file_name()?.to_os_string();
    name.push(".sessions");
    Some(db.with_file_name(name))
}

fn lock_path(db: &Path, id: &str) -> Option<PathBuf> {
    // Ids are made here, but one read from the database is checked anyway.
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    Some(lock_dir(db)?.join(format!("{id}.lock")))
}

impl Session {
    /// Starts a session on the database at `db`, holding its lock. If the
    /// lock file cannot be made, the session still has an id (its draft is
    /// then only adoptable once the lock directory works again).
    pub fn start(db: &Path) -> Session {
        static SEQ: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let id = format!(
            "{}-{:x}-{}",
            std::process::id(),
            nanos,
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        let lock = lock_path(db, &id).and_then(|path| {
            std::fs::create_dir_all(path.parent()?).ok()?;
            let file = File::create(&path).ok()?;
            file.try_lock().ok()?;
            Some((path, file))
        });
        if lock.is_none() && lock_dir(db).is_some() {
            tracing::warn!(db = %db.display(), "could not lock a session file");
        }
        Session { id, lock }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// True while the session `id` on `db` runs (in this process or another).
    /// A session with no lock file is not running; a dead one's file is
    /// removed on the way.
    pub fn is_running(db: &Path, id: &str) -> bool {
        let Some(path) = lock_path(db, id) else {
            return false;
        };
        let Ok(file) = File::open(&path) else {
            return false;
        };
        match file.try_lock() {
            Ok(()) => {
                drop(file);
                let _ = std::fs::remove_file(&path);
                false
            }
            Err(std::fs::TryLockError::WouldBlock) => true,
            // A file system without locks: nothing tells, so not running.
            Err(std::fs::TryLockError::Error(_)) => false,
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some((path, file)) = self.lock.take() {
            drop(file);
            let _ = std::fs::remove_file(path);
        }
    }
}
