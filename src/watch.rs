//! Watching open files for changes by other programs (git, formatters, other editors): notify
//! watches the folders of open files, a small debouncer coalesces the bursts of events one
//! save makes, and the app loop is told which open files to look at again.
//!
//! Folders rather than files are watched, without recursion: a save by temp file + rename
//! replaces the file's inode, which a watch on the file itself would lose, and only the folders
//! of open buffers cost anything, however big the tree. Which events concern an open file is
//! decided here; what changed is decided by the app from the file's stamp and contents, so a
//! lost or spurious event costs at most a `stat`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::event::{AppEvent, AppEventSender};

/// Quiet time after the last event for a file before it is reported: a temp file + rename, or a
/// truncate followed by writes, arrives as several events within a few milliseconds.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// A file that keeps changing is still reported this often.
const MAX_DELAY: Duration = Duration::from_secs(1);

/// What the watcher tells the app loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FsEvent {
    /// These open files (as watched: absolute, or their symlink targets) were written,
    /// replaced, created or removed.
    Changed(Vec<PathBuf>),
    /// Events were lost (the kernel's queue overflowed): every open file needs a look.
    Rescan,
    /// Watching stopped working; files are still re-checked on focus and while idle.
    Failed(String),
}

enum Msg {
    Event(notify::Result<notify::Event>),
    /// The files whose events matter from now on.
    Files(HashSet<PathBuf>),
}

/// Owned by the app; watching stops when it is dropped.
pub struct Watcher {
    inner: Option<notify::RecommendedWatcher>,
    /// Why `inner` could not be made (shown once, when there is first something to watch).
    start_error: Option<String>,
    to_thread: mpsc::Sender<Msg>,
    /// Folders being watched now.
    folders: HashSet<PathBuf>,
    /// The file list of the last update, to skip updates that change nothing.
    files: Vec<PathBuf>,
    /// A problem was shown already: the next ones only go to the log.
    warned: bool,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("folders", &self.folders)
            .finish_non_exhaustive()
    }
}

impl Watcher {
    /// Starts the watcher and its debounce thread, watching nothing yet. Never fails: without
    /// a watcher caret still re-checks files on focus and while idle.
    pub fn start(events: AppEventSender) -> Self {
        let (to_thread, from_watcher) = mpsc::channel();
        let notify_tx = to_thread.clone();
        let (inner, start_error) =
            match notify::recommended_watcher(move |ev| drop(notify_tx.send(Msg::Event(ev)))) {
                Ok(w) => (Some(w), None),
                Err(e) => {
                    tracing::warn!("cannot watch files: {e}");
                    (None, Some(format!("cannot watch files for changes: {e}")))
                }
            };
        let spawned = std::thread::Builder::new()
            .name("caret-watch".into())
            .spawn(move || debounce_loop(&from_watcher, &events));
        if let Err(e) = spawned {
            tracing::warn!("cannot start the watcher thread: {e}");
        }
        Self {
            inner,
            start_error,
            to_thread,
            folders: HashSet::new(),
            files: Vec::new(),
            warned: false,
        }
    }

    /// Watches the folders of `files` (the paths of open buffers) and stops watching folders
    /// no open file is in. Returns a problem to show the user, at most once per session.
    pub fn set_files(&mut self, files: &[PathBuf]) -> Option<String> {
        if files == self.files.as_slice() {
            return None;
        }
        self.files = files.to_vec();
        let mut wanted = HashSet::new();
        for file in files {
            let abs = std::path::absolute(file).unwrap_or_else(|_| file.clone());
            // Events name the path inside the watched folder: a symlinked file changes at its
            // target, so the target's folder is watched too.
            let target = std::fs::canonicalize(&abs).ok().filter(|t| *t != abs);
            wanted.insert(abs);
            wanted.extend(target);
        }
        let folders: HashSet<PathBuf> = wanted
            .iter()
            .filter_map(|f| f.parent().map(Path::to_path_buf))
            .collect();
        let _ = self.to_thread.send(Msg::Files(wanted));
        let Some(inner) = &mut self.inner else {
            return if files.is_empty() {
                None
            } else {
                self.warn(self.start_error.clone())
            };
        };
        for gone in self.folders.difference(&folders) {
            let _ = inner.unwatch(gone);
        }
        let mut problem = None;
        let mut watched = HashSet::new();
        for folder in folders {
            if self.folders.contains(&folder) {
                watched.insert(folder);
                continue;
            }
            match inner.watch(&folder, RecursiveMode::NonRecursive) {
                Ok(()) => {
                    watched.insert(folder);
                }
                // A new file in a folder that does not exist yet: nothing to watch.
                Err(e) if !folder.exists() => {
                    tracing::debug!(folder = %folder.display(), "not watched: {e}");
                }
                Err(e) => {
                    tracing::warn!(folder = %folder.display(), "cannot watch: {e}");
                    problem.get_or_insert_with(|| {
                        format!(
                            "cannot watch {} for changes by other programs: {e} \
                             (files are still checked when caret regains focus)",
                            folder.display()
                        )
                    });
                }
            }
        }
        // Failed folders stay out of the set, so the next update tries them again.
        self.folders = watched;
        self.warn(problem)
    }

    /// A problem from the debounce thread or a watch; only the first is shown.
    pub fn warn(&mut self, problem: Option<String>) -> Option<String> {
        let problem = problem?;
        if self.warned {
            return None;
        }
        self.warned = true;
        Some(problem)
    }

    /// The folders watched now.
    pub fn folders(&self) -> &HashSet<PathBuf> {
        &self.folders
    }
}

/// True for files caret itself writes next to the user's: save temp files
/// (`.NAME.caret-save*`), backups of hard-linked files (`.NAME.caret-backup*`), recovery files
/// and their temp files.
pub fn is_own_file(path: &Path) -> bool {
    let Some(name) = path.file_name() else {
        return false;
    };
    let name = name.to_string_lossy();
    if name.starts_with('.') && (name.contains(".caret-save") || name.contains(".caret-backup")) {
        return true;
    }
    if name.ends_with(".recover") {
        return true;
    }
    // Recovery temp files: NAME-<16 hex digits>.tmp<pid>-<n>
    name.rsplit_once(".tmp").is_some_and(|(stem, rest)| {
        let hash = stem.rsplit_once('-').map_or("", |(_, h)| h);
        hash.len() == 16
            && hash.chars().all(|c| c.is_ascii_hexdigit())
            && rest.split_once('-').is_some_and(|(pid, n)| {
                !pid.is_empty()
                    && !n.is_empty()
                    && pid.chars().chain(n.chars()).all(|c| c.is_ascii_digit())
            })
    })
}

/// Whether an event can mean the file's contents or existence changed. Opening and reading a
/// file (caret's own reload does) changes nothing.
fn changes_file(kind: EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Coalesces events per path: a path is due once it has been quiet for `DEBOUNCE`, or has kept
/// changing for `MAX_DELAY`.
#[derive(Debug, Default)]
pub struct Debounce {
    /// Path → (first, last) event time since it was last reported.
    pending: HashMap<PathBuf, (Instant, Instant)>,
    rescan: Option<Instant>,
}

impl Debounce {
    pub fn add(&mut self, path: PathBuf, now: Instant) {
        self.pending
            .entry(path)
            .and_modify(|(_, last)| *last = now)
            .or_insert((now, now));
    }

    pub fn add_rescan(&mut self, now: Instant) {
        self.rescan.get_or_insert(now);
    }

    /// Forgets paths that are not open any more.
    pub fn retain(&mut self, files: &HashSet<PathBuf>) {
        self.pending.retain(|p, _| files.contains(p));
    }

    /// When the next path becomes due, if any is pending.
    pub fn next_due(&self) -> Option<Instant> {
        let paths = self
            .pending
            .values()
            .map(|(first, last)| (*last + DEBOUNCE).min(*first + MAX_DELAY));
        paths.chain(self.rescan.map(|t| t + DEBOUNCE)).min()
    }

    /// What is due at `now`, taken out of the pending set.
    pub fn take_due(&mut self, now: Instant) -> Vec<FsEvent> {
        let mut out = Vec::new();
        if self.rescan.is_some_and(|t| now >= t + DEBOUNCE) {
            // Every open file gets a look: the paths pending are covered by that.
            self.rescan = None;
            self.pending.clear();
            out.push(FsEvent::Rescan);
        }
        let mut due: Vec<PathBuf> = self
            .pending
            .iter()
            .filter(|(_, (first, last))| now >= *last + DEBOUNCE || now >= *first + MAX_DELAY)
            .map(|(p, _)| p.clone())
            .collect();
        if !due.is_empty() {
            due.sort();
            for p in &due {
                self.pending.remove(p);
            }
            out.push(FsEvent::Changed(due));
        }
        out
    }
}

fn debounce_loop(rx: &mpsc::Receiver<Msg>, events: &AppEventSender) {
    let mut files: HashSet<PathBuf> = HashSet::new();
    let mut debounce = Debounce::default();
    let mut failed = false;
    loop {
        let msg = match debounce.next_due() {
            None => match rx.recv() {
                Ok(msg) => Some(msg),
                // The Watcher was dropped: the app is leaving.
                Err(_) => return,
            },
            Some(due) => match rx.recv_timeout(due.saturating_duration_since(Instant::now())) {
                Ok(msg) => Some(msg),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            },
        };
        let now = Instant::now();
        match msg {
            Some(Msg::Files(new)) => {
                debounce.retain(&new);
                files = new;
            }
            Some(Msg::Event(Ok(ev))) => {
                if ev.need_rescan() {
                    debounce.add_rescan(now);
                }
                if changes_file(ev.kind) {
                    for path in ev.paths {
                        if files.contains(&path) && !is_own_file(&path) {
                            debounce.add(path, now);
                        }
                    }
                }
            }
            Some(Msg::Event(Err(e))) => {
                tracing::warn!("file watcher: {e}");
                if !failed {
                    failed = true;
                    events.send(AppEvent::Fs(FsEvent::Failed(e.to_string())));
                }
            }
            None => {}
        }
        for ev in debounce.take_due(now) {
            tracing::debug!(?ev, "changed on disk");
            events.send(AppEvent::Fs(ev));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_temp_and_recovery_files_are_ignored() {
        for own in [
            "/p/.a.txt.caret-saveAb12Cd",
            "/p/.main.rs.caret-backupXyZ",
            "/state/caret/recovery/a.txt-0123456789abcdef.recover",
            "/state/caret/recovery/a.txt-0123456789abcdef.tmp4242-7",
        ] {
            assert!(is_own_file(Path::new(own)), "{own}");
        }
        for theirs in [
            "/p/a.txt",
            "/p/.a.txt.swp",
            "/p/caret-save.txt",
            "/p/.gitignore",
            "/p/notes.tmp",
            "/p/data-0123456789abcdef.tmp",
            "/p/a.txt~",
        ] {
            assert!(!is_own_file(Path::new(theirs)), "{theirs}");
        }
    }

    #[test]
    fn reads_are_not_changes() {
        assert!(!changes_file(EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changes_file(EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes_file(EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_file(EventKind::Remove(
            notify::event::RemoveKind::File
        )));
    }

    #[test]
    fn a_burst_of_events_is_one_report_after_a_quiet_time() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let (a, b) = (PathBuf::from("/p/a"), PathBuf::from("/p/b"));
        let mut d = Debounce::default();
        d.add(a.clone(), t0);
        d.add(a.clone(), t0 + ms(50));
        d.add(b.clone(), t0 + ms(100));
        assert_eq!(d.next_due(), Some(t0 + ms(200)));
        assert!(d.take_due(t0 + ms(190)).is_empty());
        assert_eq!(
            d.take_due(t0 + ms(200)),
            vec![FsEvent::Changed(vec![a.clone()])]
        );
        assert_eq!(d.take_due(t0 + ms(250)), vec![FsEvent::Changed(vec![b])]);
        assert_eq!(d.next_due(), None);
        // A file written without pause is still reported after MAX_DELAY.
        let mut t = t0;
        while t < t0 + MAX_DELAY {
            d.add(a.clone(), t);
            t += ms(100);
        }
        assert_eq!(d.take_due(t0 + MAX_DELAY), vec![FsEvent::Changed(vec![a])]);
    }

    #[test]
    fn a_rescan_covers_the_pending_paths() {
        let t0 = Instant::now();
        let mut d = Debounce::default();
        d.add(PathBuf::from("/p/a"), t0);
        d.add_rescan(t0);
        assert_eq!(d.take_due(t0 + DEBOUNCE), vec![FsEvent::Rescan]);
        assert_eq!(d.next_due(), None);
    }

    /// The real watcher: a rename onto a watched file (how git and formatters write) is
    /// reported once, for that file only, and caret's own temp file is not.
    #[test]
    fn rename_onto_an_open_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "one\n").unwrap();
        std::fs::write(dir.path().join("other.txt"), "x\n").unwrap();
        let (events, mut rx) = AppEventSender::new();
        let mut watcher = Watcher::start(events);
        assert_eq!(watcher.set_files(std::slice::from_ref(&file)), None);
        assert!(watcher.folders().contains(dir.path()));

        std::fs::write(dir.path().join("other.txt"), "not open\n").unwrap();
        let temp = dir.path().join(".a.txt.caret-save1234");
        std::fs::write(&temp, "two\n").unwrap();
        std::fs::rename(&temp, &file).unwrap();

        let deadline = Instant::now() + Duration::from_secs(10);
        let got = loop {
            match rx.try_recv() {
                Ok(AppEvent::Fs(ev)) => break ev,
                Ok(_) => {}
                Err(_) => {
                    assert!(Instant::now() < deadline, "no event");
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        };
        let abs = std::fs::canonicalize(&file).unwrap();
        match got {
            FsEvent::Changed(paths) => {
                assert!(paths.iter().all(|p| p == &file || p == &abs), "{paths:?}");
            }
            other => panic!("{other:?}"),
        }
        // Nothing more: the burst was one report.
        std::thread::sleep(DEBOUNCE * 3);
        assert!(rx.try_recv().is_err());

        // Closing the last file in a folder stops watching it.
        assert_eq!(watcher.set_files(&[]), None);
        assert!(watcher.folders().is_empty());
    }
}
