//! The app's side of the context engine: the workspace indexed on a thread after the first
//! frame (progress in the status line), files indexed again when saved or changed on disk,
//! and buffers edited and not saved indexed from their text before each request.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use crate::app::App;
use crate::context::engine::Engine;
use crate::context::index::Progress;
use crate::event::AppEvent;

impl App {
    /// Starts indexing the workspace, once.
    pub fn start_indexing(&mut self) {
        if self.engine.is_some() || self.indexing.is_some() {
            return;
        }
        let progress = Arc::new(Progress::default());
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        let languages = self.syntax.languages().clone();
        let grammars = crate::config::config_dir().join("grammars");
        let state = self
            .recovery_dir
            .parent()
            .map_or_else(crate::config::state_dir, Path::to_path_buf);
        let cache = crate::config::workspace_file(&state, "index", &root, "json");
        let events = self.events.clone();
        let shared = Arc::clone(&progress);
        let spawned = std::thread::Builder::new()
            .name("caret-index".into())
            .spawn(move || {
                let engine = Engine::open(&root, languages, Some(grammars), Some(&cache), &shared);
                tracing::info!(report = ?engine.report, "workspace indexed");
                // The ranking and the list `@` completes from, made here rather than on the
                // first keystroke after an `@`.
                let _ = engine.mention_candidates("", 0);
                events.send(AppEvent::IndexReady(Box::new(engine)));
            });
        match spawned {
            Ok(_) => self.indexing = Some(progress),
            Err(e) => tracing::warn!("cannot start indexing: {e}"),
        }
    }

    pub(crate) fn index_ready(&mut self, engine: Box<Engine>) {
        self.indexing = None;
        self.engine = Some(engine);
        // Only a frame that said "indexing" needs another; a quiet screen stays quiet.
        if std::mem::take(&mut self.indexing_shown) {
            self.redraw = true;
        }
    }

    /// "indexing 40%" while the index is being built.
    pub fn indexing_status(&self) -> Option<String> {
        if !self.indexing_shown {
            return None;
        }
        let p = self.indexing.as_ref()?;
        let total = p.total.load(Ordering::Relaxed);
        if total == 0 {
            return Some("indexing…".to_string());
        }
        let done = p.done.load(Ordering::Relaxed);
        Some(format!("indexing {}%", done * 100 / total))
    }

    /// Brings the index up to date with the buffers edited and not saved, so context is
    /// chosen from the text as it is on screen (run before each request; a buffer is parsed
    /// again only when its version moved).
    pub fn sync_index_with_buffers(&mut self) {
        let Some(engine) = self.engine.as_mut() else {
            return;
        };
        let mut edited = std::collections::HashSet::new();
        for buf in &self.buffers {
            if buf.loading.is_some() || !buf.doc.is_dirty() {
                continue;
            }
            let Some(rel) = buf.doc.path.as_deref().and_then(|p| engine.relative(p)) else {
                continue;
            };
            let version = buf.doc.version();
            if engine.buffer_version(&rel) != Some(version) {
                engine.edit_buffer(&rel, version, &buf.doc.text().to_string());
            }
            edited.insert(rel);
        }
        engine.forget_buffers_except(&edited);
    }

    /// A file was saved or changed on disk: its index entry follows.
    pub fn reindex(&mut self, path: &Path) {
        let Some(engine) = self.engine.as_mut() else {
            return;
        };
        engine.refresh(path);
    }
}
