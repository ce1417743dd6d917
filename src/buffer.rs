//! An open buffer: a document plus where the view onto it is scrolled, whether it is still
//! loading, when it last changed (for idle recovery writes), and what is known about its file
//! on disk beyond the document's stamp.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::core::columns::ColumnCache;
use crate::core::document::Document;
use crate::core::save::DiskStamp;
use crate::event::BufferId;
use crate::syntax::Syntax;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadProgress {
    pub read: u64,
    pub total: u64,
}

impl LoadProgress {
    pub fn percent(self) -> u64 {
        (self.read * 100).checked_div(self.total).unwrap_or(100)
    }
}

/// Whether the file behind a buffer is still on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiskState {
    #[default]
    Present,
    /// Deleted or renamed away by another program. The buffer keeps its text and counts as
    /// unsaved; `clean_version` is the document version when it still matched the file, so a
    /// file that comes back can be reloaded if nothing was typed since.
    Deleted { clean_version: Option<u64> },
}

#[derive(Debug)]
pub struct Buffer {
    pub id: BufferId,
    pub doc: Document,
    /// First line shown.
    pub scroll_line: usize,
    /// First display column shown (horizontal scroll).
    pub scroll_col: usize,
    /// Display column of the cursor, worked out once per frame (long lines make it costly).
    pub cursor_col: usize,
    /// Where drawing the cursor's line starts: (line, position, column) of its first visible
    /// cluster, so a long line is not walked from its start for every frame.
    pub view_start: Option<(usize, usize, usize)>,
    /// Column checkpoints along the cursor's line.
    pub columns: ColumnCache,
    /// Set while the rest of a big file streams in.
    pub loading: Option<LoadProgress>,
    /// Set to stop the background load (the buffer was closed).
    pub load_cancel: Option<Arc<AtomicBool>>,
    /// When the text last changed, for idle recovery writes.
    pub last_change: Option<Instant>,
    /// The document version whose recovery file is on disk, if any.
    pub recovered_version: Option<u64>,
    /// A recovery write is running for this buffer.
    pub recovery_in_flight: bool,
    /// Where this buffer's recovery copy goes when not the usual place for its path: the
    /// restored file itself, or a name of this session's when an older copy is kept for later.
    pub recovery_file: Option<PathBuf>,
    /// Highlighting state, when the file's language is known.
    pub syntax: Option<Syntax>,
    /// The path the language was last detected for (detection runs again when it changes).
    pub syntax_for: Option<Option<PathBuf>>,
    /// The language detected for the file, highlighted once its queries are compiled.
    pub syntax_language: Option<usize>,
    pub on_disk: DiskState,
    /// The file changed on disk while this buffer had unsaved changes, and the user has not
    /// chosen yet between reload, keep mine and view the difference.
    pub disk_conflict: bool,
    /// The stamp of a disk version already looked at and not taken in (a conflict, a file too
    /// big or not text): it is not looked at again until the file changes once more.
    pub disk_seen: Option<DiskStamp>,
    /// The name of a buffer without a file (a diff view).
    pub name: Option<String>,
    /// A suggested edit being reviewed (drawn over the text, never in it until accepted).
    pub review: Option<Box<crate::review::Review>>,
    /// This buffer holds a hunk's new lines being edited (`e` in a review).
    pub hunk_edit: Option<crate::review::hunk_edit::HunkEdit>,
}

impl Buffer {
    pub fn new(id: BufferId, doc: Document) -> Self {
        Self {
            id,
            doc,
            scroll_line: 0,
            scroll_col: 0,
            cursor_col: 0,
            view_start: None,
            columns: ColumnCache::default(),
            loading: None,
            load_cancel: None,
            last_change: None,
            recovered_version: None,
            recovery_in_flight: false,
            recovery_file: None,
            syntax: None,
            syntax_for: None,
            syntax_language: None,
            on_disk: DiskState::Present,
            disk_conflict: false,
            disk_seen: None,
            name: None,
            review: None,
            hunk_edit: None,
        }
    }

    /// The name shown in the buffer list and status line.
    pub fn display_name(&self) -> String {
        if let Some(name) = &self.name {
            return name.clone();
        }
        self.doc.path.as_ref().map_or_else(
            || "[untitled]".to_string(),
            |p| {
                p.file_name().map_or_else(
                    || p.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
            },
        )
    }
}
