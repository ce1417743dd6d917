//! Keeping buffers in step with files other programs change (git, formatters, other editors):
//! a clean buffer reloads as one undoable transaction, a dirty one gets a conflict banner
//! (reload / keep mine / view the difference), a deleted file leaves its buffer marked and
//! unsaved. Nothing is lost silently: even a reload over unsaved changes is one Ctrl-Z away.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::app::{App, Overlay};
use crate::buffer::DiskState;
use crate::core::document::{Document, EditError};
use crate::core::history::EditKind;
use crate::core::line_diff;
use crate::core::load::{self, Loaded};
use crate::core::save::{self, DiskStamp};
use crate::dialog::{Dialog, DialogKind};
use crate::event::BufferId;
use crate::files::SYNC_LOAD_LIMIT;
use crate::watch::{FsEvent, Watcher};

/// Loads the file whose stamp is `stamp` for comparing with a buffer, refusing what cannot be
/// taken in while editing (too big to load at once, binary, not UTF-8).
fn load_to_compare(path: &Path, stamp: DiskStamp) -> Result<Loaded, String> {
    if stamp.len > SYNC_LOAD_LIMIT {
        return Err(format!(
            "it is too big to reload while editing ({} MiB; reopen it to see the new text)",
            stamp.len >> 20
        ));
    }
    load::load_file(path, |_, _| true).map_err(|e| e.to_string())
}

/// The file as it is now, with the stamp taken before reading it (a change during the read
/// then shows as a newer stamp, and is looked at again).
fn read_disk(path: &Path) -> Result<(Loaded, DiskStamp), String> {
    match save::disk_stamp(path) {
        Ok(Some(stamp)) => Ok((load_to_compare(path, stamp)?, stamp)),
        Ok(None) => Err("it is no longer on disk".to_string()),
        Err(e) => Err(e.to_string()),
    }
}

fn same_text(doc: &Document, loaded: &Loaded) -> bool {
    doc.bom == loaded.bom && *doc.text() == loaded.rope
}

impl App {
    /// Starts watching the folders of open files (the real loop does this; tests feed
    /// `AppEvent::Fs` themselves).
    pub fn start_watching(&mut self) {
        if self.watcher.is_none() {
            self.watcher = Some(Watcher::start(self.events.clone()));
        }
    }

    /// Keeps the watched folders those of the open buffers; cheap when nothing changed.
    pub fn update_watches(&mut self) {
        let Some(watcher) = &mut self.watcher else {
            return;
        };
        let files: Vec<PathBuf> = self
            .buffers
            .iter()
            .filter_map(|b| b.doc.path.clone())
            .collect();
        if let Some(problem) = watcher.set_files(&files) {
            self.set_error(problem);
        }
    }

    pub(crate) fn fs_event(&mut self, event: FsEvent) {
        match event {
            // Which buffer a path belongs to (symlinks, relative paths) is easy to get wrong;
            // a stat of each open file is cheap and is the truth.
            FsEvent::Changed(paths) => {
                for path in &paths {
                    self.reindex(path);
                }
                self.check_disk_changes();
            }
            FsEvent::Rescan => self.check_disk_changes(),
            FsEvent::Failed(e) => {
                let problem = format!(
                    "watching files for changes stopped working: {e} \
                     (files are still checked when caret regains focus)"
                );
                let shown = match &mut self.watcher {
                    Some(w) => w.warn(Some(problem)),
                    None => Some(problem),
                };
                if let Some(problem) = shown {
                    self.set_error(problem);
                }
            }
        }
    }

    /// Compares every open file with its buffer (on watch events, focus and idle ticks) and
    /// brings each buffer in step with what changed.
    pub fn check_disk_changes(&mut self) {
        for i in 0..self.buffers.len() {
            self.sync_buffer(i);
        }
    }

    fn sync_buffer(&mut self, i: usize) {
        let buf = &self.buffers[i];
        // A read-only buffer is a diff view or a file that did not load whole: nothing to sync.
        if buf.loading.is_some() || buf.doc.read_only.is_some() {
            return;
        }
        let Some(path) = buf.doc.path.clone() else {
            return;
        };
        let stamp = match save::disk_stamp(&path) {
            Ok(Some(stamp)) => stamp,
            Ok(None) => return self.file_gone(i),
            Err(e) => {
                tracing::debug!(path = %path.display(), "cannot stat: {e}");
                return;
            }
        };
        let came_back = match buf.on_disk {
            DiskState::Deleted { clean_version } => Some(clean_version),
            DiskState::Present => None,
        };
        // Whether the buffer holds what the file held when caret last knew it.
        let clean = match came_back {
            Some(version) => version == Some(buf.doc.version()),
            None => !buf.doc.is_dirty(),
        };
        if came_back.is_none()
            && (Some(stamp) == buf.doc.disk_stamp || Some(stamp) == buf.disk_seen)
        {
            // Unchanged, caret's own save, or a version the user has already been told about.
            return;
        }
        let name = buf.display_name();
        if came_back.is_some() {
            self.buffers[i].on_disk = DiskState::Present;
            if Some(stamp) == self.buffers[i].doc.disk_stamp {
                // Moved away and back untouched.
                if clean {
                    self.buffers[i].doc.mark_saved(Some(stamp));
                    self.forget_recovery(i);
                }
                self.set_message(format!("{name} is back on disk"));
                return;
            }
        }
        let loaded = match load_to_compare(&path, stamp) {
            Ok(loaded) => loaded,
            Err(e) => {
                self.buffers[i].disk_seen = Some(stamp);
                self.set_error(format!("{name} changed on disk and was not reloaded: {e}"));
                return;
            }
        };
        let reviewing = self.buffers[i].review.is_some();
        let doc = &mut self.buffers[i].doc;
        if same_text(doc, &loaded) {
            // Touched, or written with what the buffer holds already.
            doc.mark_saved(Some(stamp));
            self.settled(i);
            return;
        }
        // A proposal under review was made against the text here: the user chooses, as for
        // unsaved edits, rather than have its hunks go stale under them unannounced.
        if clean && !reviewing {
            match self.reload_buffer(i, &loaded, stamp) {
                Ok(()) => self.set_message(format!("reloaded {name} (changed on disk)")),
                Err(e) => self.set_error(format!("{name} changed on disk; reloading failed: {e}")),
            }
            return;
        }
        if came_back.is_none()
            && doc
                .saved_text()
                .is_some_and(|t| t == loaded.rope && doc.bom == loaded.bom)
        {
            // Only the stamp moved (touch, a checkout of the same text): the unsaved changes
            // still sit on what is on disk.
            doc.disk_stamp = Some(stamp);
            self.settled(i);
            return;
        }
        let buf = &mut self.buffers[i];
        buf.disk_conflict = true;
        buf.disk_seen = Some(stamp);
        tracing::info!(path = %path.display(), "changed on disk with unsaved changes here");
        if i != self.current {
            self.set_message(format!(
                "{name} changed on disk and has unsaved changes here: switch to it to choose"
            ));
        }
    }

    /// The file is gone: keep the text, mark the buffer, and make it count as unsaved.
    fn file_gone(&mut self, i: usize) {
        let buf = &mut self.buffers[i];
        // Never on disk (a new file): nothing went.
        if buf.doc.disk_stamp.is_none() || buf.on_disk != DiskState::Present {
            return;
        }
        let clean_version = (!buf.doc.is_dirty()).then(|| buf.doc.version());
        buf.on_disk = DiskState::Deleted { clean_version };
        buf.doc.mark_unsaved();
        let name = buf.display_name();
        self.settled(i);
        tracing::info!(buffer = %name, "deleted on disk");
        self.set_error(format!(
            "{name} was deleted or moved on disk; kept here (Ctrl-S writes it back)"
        ));
    }

    /// The buffer and the disk agree again: no conflict is pending.
    fn settled(&mut self, i: usize) {
        let buf = &mut self.buffers[i];
        buf.disk_conflict = false;
        buf.disk_seen = None;
        if !buf.doc.is_dirty() {
            self.forget_recovery(i);
        }
        self.redraw = true;
    }

    /// Replaces the buffer's text with `loaded` as one undo step of changed lines, keeping
    /// cursor and view on their text, and records the text as saved with `stamp`.
    fn reload_buffer(
        &mut self,
        i: usize,
        loaded: &Loaded,
        stamp: DiskStamp,
    ) -> Result<(), EditError> {
        let buf = &mut self.buffers[i];
        let old = buf.doc.text().clone();
        let tx = line_diff::transaction(&old.to_string(), &loaded.rope.to_string());
        let selection = line_diff::map_selection(&tx, &old, &loaded.rope, buf.doc.selection());
        // Its own undo step: typing before or after never joins it.
        buf.doc.seal_history();
        buf.doc
            .apply_with_selection(&tx, selection, EditKind::Other)?;
        buf.doc.bom = loaded.bom;
        buf.doc.line_ending = loaded.line_ending;
        buf.doc.mark_saved(Some(stamp));
        buf.on_disk = DiskState::Present;
        buf.scroll_line = buf
            .scroll_line
            .min(buf.doc.text().len_lines().saturating_sub(1));
        buf.last_change = Some(Instant::now());
        self.settled(i);
        Ok(())
    }

    /// The banner belongs to the current buffer: it goes when the user switches away (or the
    /// conflict settles) and comes back when they return.
    pub(crate) fn sync_disk_banner(&mut self) {
        if self.buffers.is_empty() {
            return;
        }
        if let Overlay::Dialog(dialog) = &self.overlay
            && let DialogKind::ChangedOnDisk(id) = dialog.kind
        {
            let current = self.index_of(id) == Some(self.current) && self.buf().disk_conflict;
            if current {
                return;
            }
            self.overlay = Overlay::None;
            self.show_next_dialog();
        }
        if self.overlay_is_none() && self.buf().disk_conflict {
            let here = if self.buf().doc.is_dirty() {
                "unsaved edits here"
            } else {
                "a proposal under review here"
            };
            let text = format!("{} changed on disk ({here}).", self.buf().display_name());
            let id = self.buf().id;
            self.overlay = Overlay::Dialog(Dialog::new(DialogKind::ChangedOnDisk(id), text));
            self.redraw = true;
        }
    }

    pub(crate) fn answer_disk_conflict(&mut self, id: BufferId, choice: char) {
        let Some(i) = self.index_of(id) else {
            return;
        };
        let name = self.buffers[i].display_name();
        match choice {
            'r' => self.reload_over_changes(i),
            'd' => self.show_disk_diff(i),
            _ => {
                // The buffer's stamp stays the old one, so saving still asks before
                // overwriting what is on disk.
                self.buffers[i].disk_conflict = false;
                self.set_message(format!(
                    "kept your changes to {name}; saving will ask before overwriting the file"
                ));
            }
        }
    }

    /// "Reload": the disk text replaces the buffer's, one Ctrl-Z from the unsaved changes.
    fn reload_over_changes(&mut self, i: usize) {
        let name = self.buffers[i].display_name();
        let Some(path) = self.buffers[i].doc.path.clone() else {
            return;
        };
        let result = read_disk(&path).and_then(|(loaded, stamp)| {
            self.reload_buffer(i, &loaded, stamp)
                .map_err(|e| e.to_string())
        });
        match result {
            Ok(()) => self.set_message(format!(
                "reloaded {name} from disk (Ctrl-Z brings your changes back)"
            )),
            Err(e) => {
                self.buffers[i].disk_conflict = false;
                self.set_error(format!("{name} was not reloaded: {e}"));
            }
        }
    }

    /// "View the difference": a read-only buffer with the unified diff from the file on disk
    /// to the buffer. The conflict stays open on the original buffer.
    fn show_disk_diff(&mut self, i: usize) {
        let name = self.buffers[i].display_name();
        let Some(path) = self.buffers[i].doc.path.clone() else {
            return;
        };
        let (loaded, stamp) = match read_disk(&path) {
            Ok(found) => found,
            Err(e) => {
                self.set_error(format!("cannot compare {name} with the disk: {e}"));
                return;
            }
        };
        let mine = self.buffers[i].doc.text().to_string();
        let diff = line_diff::unified(&loaded.rope.to_string(), &mine, "disk", "buffer");
        if diff.is_empty() && loaded.bom == self.buffers[i].doc.bom {
            self.buffers[i].doc.mark_saved(Some(stamp));
            self.settled(i);
            self.set_message(format!("{name} on disk now matches the buffer"));
            return;
        }
        let title = format!("{name} (disk ↔ buffer).diff");
        self.show_read_only(title, diff, "a diff view");
        self.set_message(format!(
            "disk → buffer difference of {name}; Alt-Left/Alt-Right goes back to choose"
        ));
    }
}
