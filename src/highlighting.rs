//! Keeping the shown buffer's syntax in step before each frame: detecting its language,
//! compiling its queries and running the parses that are too slow for a keystroke on
//! background threads, and highlighting the visible rows.

use crate::app::App;
use crate::event::{AppEvent, BufferId};
use crate::syntax::Syntax;
use crate::ui;

/// How much of the first line language detection looks at (for a `#!` line).
const SHEBANG_CHARS: usize = 256;

impl App {
    pub(crate) fn prepare_syntax(&mut self) {
        self.prepare_syntax_with(self.defer_syntax);
    }

    /// After a frame drawn from an edited but not re-parsed tree: re-parses and highlights
    /// again. Returns true when another frame is wanted.
    pub(crate) fn settle_syntax(&mut self) -> bool {
        let unsettled = self
            .buffers
            .get(self.current)
            .and_then(|b| b.syntax.as_ref())
            .is_some_and(Syntax::is_unsettled);
        if unsettled {
            if let Some(syntax) = self.buf_mut().syntax.as_mut() {
                syntax.invalidate();
            }
            self.prepare_syntax_with(false);
        }
        unsettled
    }

    fn prepare_syntax_with(&mut self, defer_reparse: bool) {
        let height = usize::from(ui::layout_for(self).editor.height);
        let registry = std::sync::Arc::clone(&self.syntax);
        let Some(buf) = self.buffers.get_mut(self.current) else {
            return;
        };
        if buf.syntax_for.as_ref() != Some(&buf.doc.path) {
            buf.syntax_for = Some(buf.doc.path.clone());
            let first_line: String = buf.doc.text().line(0).chars().take(SHEBANG_CHARS).collect();
            buf.syntax_language = registry
                .languages()
                .detect(buf.doc.path.as_deref(), &first_line);
            buf.syntax = None;
        }
        let mut wanted = Vec::new();
        if buf.syntax.is_none()
            && let Some(lang) = buf.syntax_language
        {
            match registry.compiled(lang) {
                Some(config) => buf.syntax = Some(Syntax::new(std::sync::Arc::clone(config))),
                None => wanted.push(lang),
            }
        }
        let mut job = None;
        if let Some(syntax) = &mut buf.syntax {
            let lines = buf.scroll_line..buf.scroll_line + height.max(1);
            job = syntax.prepare(
                &registry,
                &buf.doc,
                lines,
                buf.loading.is_none(),
                defer_reparse,
            );
            wanted.extend(syntax.take_wanted());
        }
        let buffer = buf.id;
        if let Some(job) = job {
            let version = job.version;
            let events = self.events.clone();
            let spawned = std::thread::Builder::new()
                .name("caret-parse".into())
                .spawn(move || {
                    let tree = job.run();
                    events.send(AppEvent::SyntaxParsed {
                        buffer,
                        version,
                        tree,
                    });
                });
            if let Err(e) = spawned {
                tracing::warn!("cannot start a parse thread: {e}");
                self.syntax_parsed(buffer, version, None);
            }
        }
        for lang in wanted {
            self.compile_language(lang);
        }
        let problems = self.syntax.take_problems();
        if !problems.is_empty() {
            self.set_error(problems.join("; "));
        }
    }

    /// Compiles a language's queries on a background thread, once.
    pub(crate) fn compile_language(&self, lang: usize) {
        if !self.syntax.claim_compile(lang) {
            return;
        }
        let registry = std::sync::Arc::clone(&self.syntax);
        let events = self.events.clone();
        let spawned = std::thread::Builder::new()
            .name("caret-queries".into())
            .spawn(move || {
                let started = std::time::Instant::now();
                let ok = registry.config(lang).is_some();
                tracing::info!(
                    lang,
                    ok,
                    ms = started.elapsed().as_millis(),
                    "queries compiled"
                );
                events.send(AppEvent::SyntaxReady);
            });
        if let Err(e) = spawned {
            tracing::warn!("cannot start a query thread: {e}");
        }
    }

    /// A language's queries were compiled: views that wait for them highlight again.
    pub(crate) fn syntax_ready(&mut self) {
        for buf in &mut self.buffers {
            if let Some(syntax) = &mut buf.syntax {
                syntax.invalidate();
            }
        }
        // Chat code blocks in a language that was not ready are drawn again in colour.
        self.chat.theme_name.clear();
        self.redraw = true;
    }

    pub(crate) fn syntax_parsed(
        &mut self,
        buffer: BufferId,
        version: u64,
        tree: Option<tree_sitter::Tree>,
    ) {
        if let Some(buf) = self.buffers.iter_mut().find(|b| b.id == buffer)
            && let Some(syntax) = &mut buf.syntax
        {
            syntax.job_done(version, tree);
            self.redraw = true;
        }
    }

    /// The language shown in the status line, and what to say about its syntax.
    pub fn language_status(&self) -> (String, Option<String>) {
        let buf = self.buf();
        let name = buf
            .syntax_language
            .and_then(|l| self.syntax.language(l))
            .map_or_else(|| "text".to_string(), |l| l.display.clone());
        let note = match (&buf.syntax, buf.syntax_language) {
            (Some(syntax), _) => syntax.note(&buf.doc),
            (None, Some(lang)) if !self.syntax.is_compiled(lang) => {
                Some("loading syntax…".to_string())
            }
            (None, Some(_)) => Some("syntax off: queries failed to load".to_string()),
            (None, None) => None,
        };
        (name, note)
    }
}
