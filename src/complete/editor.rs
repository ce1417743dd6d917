//! The editor's side of inline completion: after a typing pause a request goes out (a newer
//! keystroke cancels it), an answer shows as ghost text only if nothing moved meanwhile, and
//! the keys that take it (Tab, Ctrl-Right, typing over it) or drop it (Esc, anything else).

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{CompletionEvent, GhostText, InFlight, Spot, request};
use crate::action::Action;
use crate::ai::client::ClientSettings;
use crate::app::App;
use crate::chat::ProviderState;
use crate::core::history::EditKind;
use crate::event::AppEvent;

impl App {
    /// Where the cursor is now, to compare after an input event.
    pub fn completion_spot(&self) -> Spot {
        let buf = self.buf();
        Spot {
            buffer: buf.id,
            version: buf.doc.version(),
            at: buf.doc.cursor(),
        }
    }

    /// The ghost text to draw, if it still belongs where the cursor is.
    pub fn visible_ghost(&self) -> Option<&GhostText> {
        let ghost = self.completion.ghost.as_ref()?;
        let buf = self.buf();
        let doc = &buf.doc;
        let fits = ghost.buffer == buf.id
            && ghost.doc_version == doc.version()
            && ghost.at == doc.cursor()
            && doc.selection().is_empty()
            && buf.review.is_none()
            && self.overlay_is_none()
            && !(self.chat.open && self.chat.focused);
        fits.then_some(ghost)
    }

    /// The row of the text area `row` would be without the rows a ghost text of several
    /// lines adds below the cursor (those rows count as the cursor's line), so a click lands
    /// on the line drawn under it.
    pub fn row_under_ghost(&self, row: usize) -> usize {
        let Some(ghost) = self.visible_ghost() else {
            return row;
        };
        let extra = ghost.text.matches('\n').count();
        let buf = self.buf();
        let cursor_row = crate::core::movement::line_of(buf.doc.text(), buf.doc.cursor())
            .saturating_sub(buf.scroll_line);
        if row > cursor_row + extra {
            row - extra
        } else {
            row.min(cursor_row)
        }
    }

    /// After an input event: a ghost that no longer fits goes; an edit or a move cancels the
    /// pause and the request in flight; an edit starts a new pause.
    pub fn completion_after_input(&mut self, before: Spot) {
        if self.visible_ghost().is_none() {
            self.completion.ghost = None;
        }
        let now = self.completion_spot();
        if now == before {
            return;
        }
        self.completion.cancel();
        let edited = now.buffer == before.buffer && now.version != before.version;
        if edited && self.completion.ghost.is_none() && self.completion_wanted() {
            self.schedule_completion();
        }
    }

    /// Completion is on, for this language, and the editor is in a state to show one.
    fn completion_wanted(&self) -> bool {
        let config = &self.config.completion;
        let buf = self.buf();
        if !config.enabled
            || buf.loading.is_some()
            || buf.review.is_some()
            || !buf.doc.selection().is_empty()
            || !self.overlay_is_none()
            || matches!(
                self.chat.provider,
                ProviderState::Missing | ProviderState::Invalid(_)
            )
        {
            return false;
        }
        // A language goes by its name ("cpp") or as the status line shows it ("C++").
        let language = self
            .buf()
            .syntax_language
            .and_then(|i| self.syntax.language(i));
        let (name, shown) = language.map_or(("text", "text"), |l| (&l.name, &l.display));
        let listed = |list: &[String]| {
            list.iter()
                .any(|l| l.eq_ignore_ascii_case(name) || l.eq_ignore_ascii_case(shown))
        };
        (config.languages.is_empty() || listed(&config.languages))
            && !listed(&config.disabled_languages)
    }

    fn language_name(&self) -> Option<String> {
        self.buf()
            .syntax_language
            .and_then(|i| self.syntax.language(i))
            .map(|l| l.name.clone())
    }

    /// Starts the typing pause: a timer on the AI runtime, never a sleep on this thread.
    fn schedule_completion(&mut self) {
        let id = self.completion.next_id;
        self.completion.next_id += 1;
        let wait = Duration::from_millis(self.config.completion.debounce_ms);
        let events = self.events.clone();
        let Some(backend) = self.ai_backend() else {
            return;
        };
        let abort = backend.spawn(async move {
            tokio::time::sleep(wait).await;
            events.send(AppEvent::Completion(CompletionEvent::Due { id }));
        });
        if let Some(abort) = abort {
            self.completion.timer = Some((id, abort));
        }
    }

    /// News from a timer or a request.
    pub fn completion_event(&mut self, event: CompletionEvent) {
        match event {
            CompletionEvent::Due { id } => {
                if self
                    .completion
                    .timer
                    .as_ref()
                    .is_some_and(|(t, _)| *t == id)
                {
                    self.completion.timer = None;
                    self.request_completion();
                }
            }
            CompletionEvent::Done {
                id,
                key,
                provider,
                result,
            } => self.completion_done(id, key, &provider, result),
        }
    }

    /// The pause is over: the cached answer, else a request.
    fn request_completion(&mut self) {
        if !self.completion_wanted() {
            return;
        }
        let provider = match &self.chat.provider {
            ProviderState::Ready(p) => p.clone(),
            ProviderState::Unknown | ProviderState::Resolving => {
                // Found in the background; the next pause may have it.
                self.ensure_provider();
                self.schedule_completion();
                return;
            }
            ProviderState::Missing | ProviderState::Invalid(_) => return,
        };
        let spot = self.completion_spot();
        // Only the cut is done here; the gate's checks (the file on disk, redaction) run on
        // the AI thread, so the end of a pause costs the loop next to nothing.
        let (window, file, gate) = self.completion_window();
        let key = window.key();
        if let Some(text) = self.completion.cache.get(&key) {
            self.show_ghost(spot, 0, text);
            return;
        }
        let config = self.config.completion.clone();
        let mut settings = ClientSettings::from(&self.config.ai);
        settings.max_retries = 0;
        let provider_key = super::fetch::provider_key(&provider);
        let remembered = self.completion.strategies.get(&provider_key).copied();
        let id = self.completion.next_id;
        self.completion.next_id += 1;
        let events = self.events.clone();
        let Some(backend) = self.ai_backend() else {
            return;
        };
        let http = backend.http.clone();
        let abort = backend.spawn(async move {
            let gated =
                tokio::task::spawn_blocking(move || window.through_gate(file.as_deref(), &gate))
                    .await;
            let result = match gated {
                Ok(Ok(request)) => super::fetch::fetch(
                    &http,
                    &provider,
                    &request,
                    &settings,
                    config.max_tokens,
                    config.max_lines,
                    remembered,
                )
                .await
                .map(Some),
                Ok(Err(why)) => {
                    tracing::debug!(%why, "no completion here");
                    Ok(None)
                }
                Err(e) => Err(crate::ai::AiError::Config(e.to_string())),
            };
            events.send(AppEvent::Completion(CompletionEvent::Done {
                id,
                key,
                provider: provider_key,
                result,
            }));
        });
        if let Some(abort) = abort {
            self.completion.sent += 1;
            self.completion.in_flight = Some(InFlight { id, abort, spot });
        }
    }

    /// The text around the cursor of the current buffer, its file and the workspace's gate.
    fn completion_window(
        &self,
    ) -> (
        request::Window,
        Option<std::path::PathBuf>,
        crate::context::gate::Gate,
    ) {
        let buf = self.buf();
        let doc = &buf.doc;
        let gate = self.gate().clone();
        let path = match &doc.path {
            Some(p) => self.display_path(Some(p)),
            None => buf.display_name(),
        };
        let budget = request::Budget {
            prefix_chars: self.config.completion.prefix_chars,
            suffix_chars: self.config.completion.suffix_chars,
        };
        let window = request::cut(
            doc.text(),
            doc.cursor(),
            &path,
            self.language_name().as_deref(),
            budget,
        );
        (window, doc.path.clone(), gate)
    }

    fn completion_done(
        &mut self,
        id: u64,
        key: super::CacheKey,
        provider: &str,
        result: Result<Option<super::Completed>, crate::ai::AiError>,
    ) {
        let current = self.completion.in_flight.as_ref().filter(|f| f.id == id);
        let spot = current.map(|f| f.spot);
        if current.is_some() {
            self.completion.in_flight = None;
        }
        match result {
            // Withheld by the gate: remembered as "nothing here", so it is not checked again.
            Ok(None) => self.completion.cache.insert(key, String::new()),
            Ok(Some(done)) => {
                self.completion
                    .strategies
                    .insert(provider.to_string(), done.strategy);
                self.completion.cache.insert(key, done.text.clone());
                // An answer for a text or place that has changed since is never shown.
                if let Some(spot) = spot
                    && spot == self.completion_spot()
                {
                    self.show_ghost(spot, id, done.text);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "completion failed");
                if spot.is_some() && !self.completion.failure_shown {
                    self.completion.failure_shown = true;
                    self.set_error(format!("completion: {e} (later failures: see the log)"));
                }
            }
        }
    }

    fn show_ghost(&mut self, spot: Spot, request_id: u64, text: String) {
        if text.is_empty() {
            return;
        }
        self.completion.ghost = Some(GhostText {
            buffer: spot.buffer,
            request_id,
            doc_version: spot.version,
            at: spot.at,
            text,
        });
        self.redraw = true;
    }

    /// Keys that act on the ghost text: Tab (the `indent` key) takes it all, Ctrl-Right (the
    /// `word_right` key) its next word, Esc drops it, and typing its next character keeps
    /// the rest. True when the key was used up.
    pub fn ghost_key(&mut self, key: &KeyEvent) -> bool {
        let action = self.keymap.action_for(key);
        if self.visible_ghost().is_none() {
            // Esc with nothing shown still stops a completion on its way.
            if action == Some(Action::Escape) {
                self.completion.cancel();
            }
            return false;
        }
        match action {
            Some(Action::Indent) => {
                let text = self
                    .completion
                    .ghost
                    .take()
                    .map(|g| g.text)
                    .unwrap_or_default();
                let text = self.doc().normalize_line_endings(&text);
                self.insert_text(&text, EditKind::Other);
                true
            }
            Some(Action::WordRight) => {
                let word = self
                    .completion
                    .ghost
                    .as_ref()
                    .map(|g| g.next_word().to_string())
                    .unwrap_or_default();
                self.take_ghost(&word, EditKind::Other);
                true
            }
            Some(Action::Escape) => {
                self.completion.ghost = None;
                true
            }
            _ => {
                let typed = match key.code {
                    KeyCode::Char(c)
                        if !key
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                    {
                        c
                    }
                    _ => return false,
                };
                if self
                    .completion
                    .ghost
                    .as_ref()
                    .and_then(GhostText::next_char)
                    != Some(typed)
                {
                    return false;
                }
                let mut buf = [0u8; 4];
                self.take_ghost(typed.encode_utf8(&mut buf), EditKind::Insert);
                true
            }
        }
    }

    /// Inserts `taken`, the start of the ghost text, keeping the rest shown after it.
    fn take_ghost(&mut self, taken: &str, kind: EditKind) {
        if taken.is_empty() {
            return;
        }
        let text = self.doc().normalize_line_endings(taken);
        self.insert_text(&text, kind);
        let spot = self.completion_spot();
        if let Some(ghost) = &mut self.completion.ghost {
            ghost.advance(taken, spot.version, spot.at);
            if ghost.text.is_empty() {
                self.completion.ghost = None;
            }
        }
    }
}
