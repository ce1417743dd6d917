//! Buffers and the disk: opening paths (big files stream in the background), saving, and the
//! recovery files that keep unsaved work safe from crashes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ropey::Rope;

use crate::app::App;
use crate::buffer::{Buffer, LoadProgress};
use crate::core::document::Document;
use crate::core::history::EditKind;
use crate::core::load::{self, LoadError, Loaded};
use crate::core::save::{self, DiskStamp, SaveError, SaveRequest};
use crate::core::transaction::Transaction;
use crate::dialog::{Dialog, DialogKind};
use crate::event::{AppEvent, BufferId};
use crate::prompt::PromptKind;
use crate::recovery;

/// Files up to this size load before the first frame; bigger ones stream in.
pub const SYNC_LOAD_LIMIT: u64 = 8 << 20;

/// How much of a big file is shown while the rest loads.
const HEAD_BYTES: usize = 256 << 10;

/// Progress events are sent at most this often.
const PROGRESS_EVERY: Duration = Duration::from_millis(50);

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => std::path::absolute(a).ok() == std::path::absolute(b).ok(),
    }
}

impl App {
    /// Opens a path from the command line or the picker: a folder opens the picker there, an
    /// open file is switched to, a missing file becomes a new buffer that saves to it.
    pub fn open_path(&mut self, path: &Path) {
        if path.is_dir() {
            // Absolute, so paths the picker returns show relative to it.
            let root = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            self.root.clone_from(&root);
            self.open_picker(root);
            return;
        }
        if let Some(i) = self
            .buffers
            .iter()
            .position(|b| b.doc.path.as_deref().is_some_and(|p| same_file(p, path)))
        {
            self.current = i;
            self.follow_cursor = true;
            return;
        }
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.replace_scratch();
                let id = self.add_buffer(Document::new(Some(path.to_path_buf())));
                self.set_message(format!("{}: new file", path.display()));
                // Work typed into a new file before a crash is offered back too.
                self.offer_restore(id);
                return;
            }
            Err(e) => {
                self.set_error(format!("cannot open {}: {e}", path.display()));
                return;
            }
        };
        if meta.len() <= SYNC_LOAD_LIMIT {
            let stamp = save::disk_stamp(path).ok().flatten();
            let started = Instant::now();
            match load::load_file(path, |_, _| true) {
                Ok(loaded) => {
                    tracing::info!(path = %path.display(), bytes = meta.len(), ms = started.elapsed().as_millis(), "loaded");
                    self.replace_scratch();
                    let id =
                        self.add_buffer(Document::from_loaded(loaded, path.to_path_buf(), stamp));
                    self.offer_restore(id);
                }
                Err(e) => {
                    tracing::warn!(path = %path.display(), "refused: {e}");
                    self.set_error(e.to_string());
                }
            }
        } else {
            self.open_streaming(path);
        }
    }

    /// An untouched empty scratch buffer makes way for the first file opened.
    fn replace_scratch(&mut self) {
        if self.buffers.len() == 1
            && self.buffers[0].doc.path.is_none()
            && !self.buffers[0].doc.is_dirty()
            && self.buffers[0].doc.text().len_chars() == 0
        {
            self.buffers.clear();
        }
    }

    /// Shows the start of a big file at once and loads the whole of it in the background.
    fn open_streaming(&mut self, path: &Path) {
        let head = match load::read_head(path, HEAD_BYTES) {
            Ok(h) => h,
            Err(e) => {
                self.set_error(e.to_string());
                return;
            }
        };
        // A CR at the cut may be half of a CRLF: leave it to the full load, so nothing typed
        // meanwhile can land between the two.
        let shown = head.text.strip_suffix('\r').unwrap_or(&head.text);
        let mut doc = Document::from_rope(Rope::from_str(shown), Some(path.to_path_buf()));
        doc.bom = head.bom;
        doc.line_ending = head.line_ending;
        self.replace_scratch();
        let id = self.add_buffer(doc);
        let cancel = Arc::new(AtomicBool::new(false));
        let buf = self.buf_mut();
        buf.loading = Some(LoadProgress {
            read: 0,
            total: head.total_bytes,
        });
        buf.load_cancel = Some(Arc::clone(&cancel));
        let events = self.events.clone();
        let path = path.to_path_buf();
        std::thread::spawn(move || {
            let stamp = save::disk_stamp(&path).ok().flatten();
            let started = Instant::now();
            let mut last = Instant::now();
            let result = load::load_file(&path, |read, total| {
                if last.elapsed() >= PROGRESS_EVERY {
                    last = Instant::now();
                    events.send(AppEvent::LoadProgress {
                        buffer: id,
                        read,
                        total,
                    });
                }
                !cancel.load(Ordering::Relaxed)
            });
            match &result {
                Ok(_) => {
                    tracing::info!(path = %path.display(), ms = started.elapsed().as_millis(), "loaded in the background");
                }
                Err(e) => tracing::warn!(path = %path.display(), "background load failed: {e}"),
            }
            events.send(AppEvent::Loaded {
                buffer: id,
                result: Box::new(result),
                stamp,
            });
        });
    }

    pub(crate) fn load_progress(&mut self, buffer: BufferId, read: u64, total: u64) {
        if let Some(i) = self.index_of(buffer) {
            self.buffers[i].loading = Some(LoadProgress { read, total });
            self.redraw = true;
        }
    }

    pub(crate) fn load_finished(
        &mut self,
        buffer: BufferId,
        result: Result<Loaded, LoadError>,
        stamp: Option<DiskStamp>,
    ) {
        let Some(i) = self.index_of(buffer) else {
            return; // Closed while loading.
        };
        let buf = &mut self.buffers[i];
        buf.loading = None;
        buf.load_cancel = None;
        self.redraw = true;
        match result {
            Ok(loaded) => match buf.doc.finish_loading(loaded) {
                Ok(()) => {
                    buf.doc.disk_stamp = stamp;
                    self.offer_restore(buffer);
                }
                Err(e) => {
                    buf.doc.read_only = Some(format!("edits made while loading did not fit: {e}"));
                    let name = buf.display_name();
                    self.set_error(format!(
                        "{name}: edits made while loading did not fit the file: {e}"
                    ));
                }
            },
            Err(e) => {
                // What was shown is only part of the file: never let it be saved over the whole.
                buf.doc.read_only = Some(format!("load failed: {e}"));
                self.set_error(e.to_string());
            }
        }
    }

    /// Ctrl-S: saves the current buffer (asks for a name if it has none).
    pub fn save_current(&mut self, force: bool) {
        if self.buf().hunk_edit.is_some() {
            self.finish_hunk_edit();
            return;
        }
        let Some(path) = self.doc().path.clone() else {
            self.open_prompt(PromptKind::SaveAs);
            return;
        };
        if let Some(progress) = self.buf().loading {
            let msg = format!(
                "not saved: {} is still loading ({}%)",
                path.display(),
                progress.percent()
            );
            self.set_error(msg);
            return;
        }
        if let Some(reason) = &self.doc().read_only {
            let msg = format!("not saved: {} is read-only here ({reason})", path.display());
            self.set_error(msg);
            return;
        }
        let doc = self.doc();
        let request = SaveRequest {
            path: &path,
            text: doc.text().slice(..),
            bom: doc.bom,
            expected: doc.disk_stamp,
            force,
        };
        let started = Instant::now();
        let outcome = save::save(&request);
        match &outcome {
            Ok(_) => {
                tracing::info!(path = %path.display(), ms = started.elapsed().as_millis(), "saved");
            }
            Err(e) => tracing::warn!(path = %path.display(), "save failed: {e}"),
        }
        match outcome {
            Ok(stamp) => {
                let bytes = doc.text().len_bytes() + if doc.bom { 3 } else { 0 };
                self.doc_mut().mark_saved(Some(stamp));
                // Written back after a deletion, or over a change made elsewhere: the file
                // is ours again.
                let buf = self.buf_mut();
                buf.on_disk = crate::buffer::DiskState::Present;
                buf.disk_conflict = false;
                buf.disk_seen = None;
                self.forget_recovery(self.current);
                self.reindex(&path);
                self.set_message(format!("saved {} ({bytes} bytes)", path.display()));
                self.check_after_save();
            }
            Err(SaveError::ChangedOnDisk(p)) => {
                let text = if self.doc().disk_stamp.is_some() {
                    format!(
                        "{} changed on disk since it was loaded. Overwrite it?",
                        p.display()
                    )
                } else {
                    format!("{} already exists. Overwrite it?", p.display())
                };
                let id = self.buf().id;
                self.show_dialog(Dialog::new(DialogKind::OverwriteChanged(id), text));
            }
            Err(e) => self.set_error(format!(
                "{e} — nothing was written; your changes are kept (Alt-S saves elsewhere)"
            )),
        }
    }

    /// Saves every dirty buffer; false if any could not be saved (the reason is shown).
    pub fn save_all(&mut self) -> bool {
        let current = self.current;
        let mut ok = true;
        for i in 0..self.buffers.len() {
            if !self.buffers[i].doc.is_dirty() {
                continue;
            }
            self.current = i;
            if self.doc().path.is_none() {
                self.set_error(format!(
                    "{} has no file name: save it with Ctrl-S first",
                    self.buf().display_name()
                ));
                return false;
            }
            self.save_current(false);
            if self.doc().is_dirty() {
                ok = false;
                break;
            }
        }
        if ok {
            self.current = current;
        }
        ok
    }

    fn recovery_file(&self, buf: &Buffer) -> PathBuf {
        if let Some(file) = &buf.recovery_file {
            return file.clone();
        }
        match &buf.doc.path {
            Some(p) => recovery::path_for_file(&self.recovery_dir, p),
            None => recovery::path_for_untitled(&self.recovery_dir, buf.id),
        }
    }

    /// Removes the recovery file this session wrote for buffer `index`, if any.
    pub(crate) fn forget_recovery(&mut self, index: usize) {
        if self.buffers[index].recovered_version.take().is_some() {
            recovery::remove(&self.recovery_file(&self.buffers[index]));
        }
    }

    /// Copies dirty buffers that have been idle for a moment to their recovery files, in the
    /// background (a rope clone is cheap and shares the text).
    pub(crate) fn write_idle_recovery(&mut self) {
        let idle = Duration::from_millis(self.config.editor.recovery_idle_ms);
        for i in 0..self.buffers.len() {
            let buf = &self.buffers[i];
            let due = buf.doc.is_dirty()
                && buf.loading.is_none()
                && !buf.recovery_in_flight
                && buf.recovered_version != Some(buf.doc.version())
                && buf.last_change.is_none_or(|t| t.elapsed() >= idle);
            if !due {
                continue;
            }
            let file = self.recovery_file(buf);
            let (dir, rope, original) = (
                self.recovery_dir.clone(),
                buf.doc.text().clone(),
                buf.doc.path.clone(),
            );
            let (id, version) = (buf.id, buf.doc.version());
            let events = self.events.clone();
            self.buffers[i].recovery_in_flight = true;
            std::thread::spawn(move || {
                let result = recovery::write(&dir, &file, original.as_deref(), &rope)
                    .map_err(|e| e.to_string());
                events.send(AppEvent::RecoveryWritten {
                    buffer: id,
                    version,
                    file,
                    result,
                });
            });
        }
    }

    pub(crate) fn recovery_written(
        &mut self,
        buffer: BufferId,
        version: u64,
        file: &Path,
        result: Result<(), String>,
    ) {
        let Some(i) = self.index_of(buffer) else {
            recovery::remove(file);
            return;
        };
        let buf = &mut self.buffers[i];
        buf.recovery_in_flight = false;
        match result {
            Ok(()) if buf.doc.is_dirty() => buf.recovered_version = Some(version),
            // Saved or undone meanwhile: the copy is not needed.
            Ok(()) => recovery::remove(file),
            Err(e) => self.set_error(format!(
                "could not write recovery file {}: {e}",
                file.display()
            )),
        }
    }

    /// Writes every dirty buffer to its recovery file now (panic, SIGTERM, SIGHUP).
    /// Returns one line per buffer saying where its text went.
    pub fn write_all_recovery(&mut self) -> Vec<String> {
        let mut report = Vec::new();
        for i in 0..self.buffers.len() {
            let buf = &self.buffers[i];
            if !buf.doc.is_dirty() {
                continue;
            }
            let file = self.recovery_file(buf);
            match recovery::write(
                &self.recovery_dir,
                &file,
                buf.doc.path.as_deref(),
                buf.doc.text(),
            ) {
                Ok(()) => {
                    report.push(format!(
                        "caret: unsaved changes to {} were written to {}",
                        buf.display_name(),
                        file.display()
                    ));
                    self.buffers[i].recovered_version = Some(self.buffers[i].doc.version());
                }
                Err(e) => report.push(format!(
                    "caret: could not write recovery file for {}: {e}",
                    buf.display_name()
                )),
            }
        }
        report
    }

    /// After opening a file: for each recovery file of it whose text differs, ask.
    pub(crate) fn offer_restore(&mut self, buffer: BufferId) {
        let Some(i) = self.index_of(buffer) else {
            return;
        };
        let Some(path) = self.buffers[i].doc.path.clone() else {
            return;
        };
        for file in recovery::files_for(&self.recovery_dir, &path) {
            match recovery::read(&file) {
                Ok(Some(rec)) => {
                    let doc = &self.buffers[i].doc;
                    if rec.text.len() == doc.text().len_bytes() && *doc.text() == rec.text.as_str()
                    {
                        recovery::remove(&file);
                        continue;
                    }
                    let age = rec
                        .written
                        .and_then(|t| t.elapsed().ok())
                        .map_or_else(String::new, |d| format!(" from {} ago", human_duration(d)));
                    tracing::info!(file = %file.display(), "offering a recovery file");
                    let text = format!(
                        "{} has unsaved changes in a recovery file{age}. Restore them?",
                        self.buffers[i].display_name()
                    );
                    self.show_dialog(Dialog::new(DialogKind::Restore { buffer, file }, text));
                }
                Ok(None) => {}
                Err(e) => self.set_error(format!(
                    "recovery file {} is unreadable: {e}",
                    file.display()
                )),
            }
        }
    }

    pub(crate) fn answer_restore(&mut self, buffer: BufferId, file: &Path, choice: char) {
        let Some(i) = self.index_of(buffer) else {
            return;
        };
        match choice {
            'r' => match recovery::read(file) {
                Ok(Some(rec)) => {
                    self.current = i;
                    let len = self.doc().text().len_chars();
                    let tx = Transaction::replace(0, len, rec.text);
                    self.edit(|doc| doc.apply(&tx, EditKind::Other));
                    // This session now owns that file: it is updated while idle and removed
                    // once the restored text is saved.
                    let buf = &mut self.buffers[i];
                    buf.recovery_file = Some(file.to_path_buf());
                    buf.recovered_version = Some(buf.doc.version());
                    self.set_message("restored unsaved changes: Ctrl-S to keep them, Ctrl-Z to go back to the file");
                }
                Ok(None) => self.set_error("the recovery file is gone"),
                Err(e) => self.set_error(format!("cannot read recovery file: {e}")),
            },
            'd' => recovery::remove(file),
            _ => {
                // Kept for a later session: this one must neither overwrite nor remove it.
                let buf = &self.buffers[i];
                if self.recovery_file(buf) == file {
                    let own = recovery::path_for_session(&self.recovery_dir, file);
                    self.buffers[i].recovery_file = Some(own);
                }
            }
        }
    }
}

fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86400),
    }
}
