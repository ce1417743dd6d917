//! The App: owns all mutable state, turns events into changes, and runs the one loop that
//! waits for input and background results and draws when something asked for a frame.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::Backend;

use crate::buffer::Buffer;
use crate::config::Config;
use crate::core::document::{Document, EditError};
use crate::core::movement;
use crate::core::search::Query;
use crate::dialog::Dialog;
use crate::event::{AppEvent, AppEventSender, BufferId};
use crate::keymap::Keymap;
use crate::picker::Picker;
use crate::prompt::Prompt;
use crate::review::layout as review;
use crate::themes::Catalog;
use crate::ui;
use crate::ui::theme::{ColorMode, DEFAULT_THEME, Theme};

/// What sits on top of the editor and gets keys first.
#[derive(Debug)]
pub enum Overlay {
    None,
    Prompt(Prompt),
    Picker(Box<PickerView>),
    Dialog(Dialog),
    Palette(crate::palette::Palette),
    Inspector(Box<crate::chat::inspector::Inspector>),
}

/// The file picker plus the rows prepared for the next frame (the UI only reads).
pub struct PickerView {
    pub picker: Picker,
    pub rows: Vec<(String, Vec<u32>)>,
    /// First match shown.
    pub offset: u32,
}

impl std::fmt::Debug for PickerView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PickerView")
            .field("rows", &self.rows.len())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

pub struct App {
    pub buffers: Vec<Buffer>,
    pub current: usize,
    next_id: BufferId,
    pub config: Config,
    pub keymap: Keymap,
    pub overlay: Overlay,
    /// Dialogs waiting for the current one to be answered.
    pub pending_dialogs: VecDeque<Dialog>,
    /// The internal clipboard.
    pub register: String,
    pub message: Option<Message>,
    pub last_search: Option<Query>,
    /// Matches of the last search are highlighted until Esc.
    pub highlight_search: bool,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// The folder the picker starts in.
    pub root: PathBuf,
    pub events: AppEventSender,
    pub quit: bool,
    /// Exit status for the process (non-zero after a signal).
    pub exit_code: i32,
    /// Something changed: draw a frame.
    pub redraw: bool,
    /// Scroll the view to the cursor before the next frame.
    pub follow_cursor: bool,
    /// Escape sequences (OSC 52) to write to the terminal after the next frame.
    pub terminal_output: Vec<String>,
    pub recovery_dir: PathBuf,
    /// Lines to print after the terminal is restored (e.g. where recovery files are).
    pub exit_report: Vec<String>,
    /// Mouse drag in progress (a button went down in the text).
    pub(crate) dragging: bool,
    pub theme: Theme,
    /// How many colours the terminal shows; themes are fitted to it.
    pub color_mode: ColorMode,
    /// Where themes are found (bundled, and the user's theme folder).
    pub themes: Catalog,
    /// Languages and their compiled queries, shared by all buffers.
    pub syntax: Arc<crate::syntax::registry::Registry>,
    /// Frames may show an edited syntax tree before it is re-parsed (the real loop re-parses
    /// right after drawing; tests see settled frames).
    pub defer_syntax: bool,
    /// Watches the folders of open files; started by `run`.
    pub watcher: Option<crate::watch::Watcher>,
    /// The AI chat pane and its transcript.
    pub chat: crate::chat::Chat,
    /// The AI network side, started on first use.
    pub ai: Option<crate::chat::requests::AiBackend>,
    /// The workspace's context engine, once its index is built.
    pub engine: Option<Box<crate::context::engine::Engine>>,
    /// Progress of the index being built.
    pub indexing: Option<Arc<crate::context::index::Progress>>,
    /// A frame showed the indexing progress (set when preparing one while indexing).
    pub indexing_shown: bool,
    /// Tag queries and the gate for choosing context from the current file alone, before
    /// the index is in (made once, on first use).
    pub fallback_tags: std::sync::OnceLock<crate::context::tags::Tags>,
    pub fallback_gate: std::sync::OnceLock<crate::context::gate::Gate>,
    /// The check command's runs and what they reported.
    pub checks: crate::checking::Checks,
    /// Inline completion: the ghost text, the pause and request under way, answers kept.
    pub completion: crate::complete::State,
}

impl App {
    pub fn new(
        config: Config,
        root: PathBuf,
        events: AppEventSender,
        recovery_dir: PathBuf,
    ) -> Self {
        let (keymap, problems) = Keymap::new(&config.keys);
        let color_mode = ColorMode::detect(|k| std::env::var(k).ok());
        let themes = Catalog::user();
        // A theme that does not load must not keep anyone from editing: the bundled default
        // takes its place and the status line says why.
        let (theme, theme_error) = match themes.load(&config.theme, color_mode) {
            Ok(theme) => (theme, None),
            Err(e) => (
                Catalog::bundled_only()
                    .load(DEFAULT_THEME, color_mode)
                    .unwrap_or_else(|_| Theme::builtin(color_mode)),
                Some(e),
            ),
        };
        let state_dir = recovery_dir
            .parent()
            .map_or_else(crate::config::state_dir, std::path::Path::to_path_buf);
        let journal = crate::ai::transcript::Journal::new(crate::ai::transcript::journal_path(
            &state_dir, &root,
        ));
        let mut app = Self {
            chat: crate::chat::Chat::new(journal),
            ai: None,
            engine: None,
            indexing: None,
            indexing_shown: false,
            fallback_tags: std::sync::OnceLock::new(),
            fallback_gate: std::sync::OnceLock::new(),
            checks: crate::checking::Checks::default(),
            completion: crate::complete::State::default(),
            buffers: Vec::new(),
            current: 0,
            next_id: 1,
            config,
            keymap,
            overlay: Overlay::None,
            pending_dialogs: VecDeque::new(),
            register: String::new(),
            message: None,
            last_search: None,
            highlight_search: false,
            size: (80, 24),
            root,
            events,
            quit: false,
            exit_code: 0,
            redraw: true,
            follow_cursor: true,
            terminal_output: Vec::new(),
            recovery_dir,
            exit_report: Vec::new(),
            dragging: false,
            theme,
            color_mode,
            themes,
            syntax: Arc::new(crate::syntax::registry::Registry::new(Some(
                crate::config::config_dir().join("grammars"),
            ))),
            defer_syntax: false,
            watcher: None,
        };
        // There is always a buffer to show; the first file opened replaces this empty one.
        app.ensure_buffer();
        let orphans = crate::recovery::orphaned_untitled(&app.recovery_dir);
        if !orphans.is_empty() {
            app.set_message(format!(
                "{} unsaved untitled buffer(s) from earlier sessions are in {}",
                orphans.len(),
                app.recovery_dir.display()
            ));
        }
        if let Some(e) = theme_error {
            app.set_error(format!("{e} (using the default theme)"));
        }
        if !problems.is_empty() {
            app.set_error(format!("config [keys]: {}", problems.join("; ")));
        }
        app
    }

    /// Adds a buffer and makes it current.
    pub fn add_buffer(&mut self, mut doc: Document) -> BufferId {
        doc.tab_width = self.config.editor.tab_width.max(1);
        let id = self.next_id;
        self.next_id += 1;
        self.buffers.push(Buffer::new(id, doc));
        self.current = self.buffers.len() - 1;
        self.follow_cursor = true;
        self.redraw = true;
        id
    }

    /// Makes sure there is a buffer to show (an empty one if everything was closed).
    pub fn ensure_buffer(&mut self) {
        if self.buffers.is_empty() {
            self.add_buffer(Document::new(None));
        }
        self.current = self.current.min(self.buffers.len() - 1);
    }

    pub fn buf(&self) -> &Buffer {
        &self.buffers[self.current]
    }

    pub fn buf_mut(&mut self) -> &mut Buffer {
        &mut self.buffers[self.current]
    }

    pub fn doc(&self) -> &Document {
        &self.buf().doc
    }

    pub fn doc_mut(&mut self) -> &mut Document {
        &mut self.buf_mut().doc
    }

    /// A path as the user wants to read it: relative to the workspace root when inside it.
    pub fn display_path(&self, path: Option<&std::path::Path>) -> String {
        let Some(path) = path else {
            return "[untitled]".to_string();
        };
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    pub fn index_of(&self, id: BufferId) -> Option<usize> {
        self.buffers.iter().position(|b| b.id == id)
    }

    pub fn overlay_is_none(&self) -> bool {
        matches!(self.overlay, Overlay::None)
    }

    /// True while the changed-on-disk banner of the current buffer is up.
    pub fn disk_banner_up(&self) -> bool {
        matches!(&self.overlay, Overlay::Dialog(d) if matches!(d.kind, crate::dialog::DialogKind::ChangedOnDisk(_)))
    }

    pub fn set_message(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
        self.redraw = true;
    }

    pub fn set_error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
        self.redraw = true;
    }

    /// Shows a dialog now, or after the one already open.
    pub fn show_dialog(&mut self, dialog: Dialog) {
        if self.overlay_is_none() {
            self.overlay = Overlay::Dialog(dialog);
        } else {
            self.pending_dialogs.push_back(dialog);
        }
    }

    pub fn show_next_dialog(&mut self) {
        if let Some(d) = self.pending_dialogs.pop_front() {
            self.overlay = Overlay::Dialog(d);
        }
    }

    /// Runs an edit on the current document and reports a refusal in the status line.
    pub fn edit(&mut self, f: impl FnOnce(&mut Document) -> Result<(), EditError>) {
        let before = self.doc().version();
        match f(self.doc_mut()) {
            Ok(()) => {
                if self.doc().version() != before {
                    self.after_edit();
                }
            }
            Err(e) => self.set_error(e.to_string()),
        }
    }

    /// A file's path relative to the workspace root, `/`-separated, as replies and check
    /// commands name it: a path given relative (on the command line) is relative to the root
    /// already; an absolute one is found under the root, or under its real path (a symlinked
    /// folder on the way). `None` outside the workspace.
    pub fn workspace_rel(&self, path: &std::path::Path) -> Option<String> {
        use crate::context::index::relative;
        if path.is_relative() {
            return relative(std::path::Path::new(""), path);
        }
        self.engine
            .as_ref()
            .and_then(|e| e.relative(path))
            .or_else(|| relative(&self.root, path))
            .or_else(|| {
                let root = std::fs::canonicalize(&self.root).ok()?;
                relative(&root, &std::fs::canonicalize(path).ok()?)
            })
    }

    /// The one gate every path to a model goes through: the workspace engine's once it is
    /// indexed, before that one made for the workspace root alone.
    pub fn gate(&self) -> &crate::context::gate::Gate {
        match &self.engine {
            Some(engine) => &engine.gate,
            None => self
                .fallback_gate
                .get_or_init(|| crate::context::gate::Gate::new(&self.root)),
        }
    }

    /// Shows `text` in a read-only buffer named `title` (`why` it is read-only), made
    /// current; an older buffer of that name is replaced rather than piled up.
    pub fn show_read_only(&mut self, title: String, text: String, why: &str) {
        if let Some(old) = self
            .buffers
            .iter()
            .find(|b| b.name.as_deref() == Some(title.as_str()))
            .map(|b| b.id)
        {
            self.close_buffer(old);
        }
        let mut doc = Document::from_rope(ropey::Rope::from(text), None);
        doc.read_only = Some(why.to_string());
        self.add_buffer(doc);
        self.buf_mut().name = Some(title);
    }

    /// Bookkeeping after the current document's text changed.
    pub fn after_edit(&mut self) {
        self.buf_mut().last_change = Some(Instant::now());
        self.follow_cursor = true;
        self.redraw = true;
        if !self.doc().is_dirty() {
            self.forget_recovery(self.current);
        }
    }

    /// Copies to the internal register and, via OSC 52, to the system clipboard.
    pub fn set_clipboard(&mut self, text: &str) {
        use base64::Engine as _;
        self.register = text.to_string();
        // Terminals cap OSC 52 payloads; past ~100 KB most drop it, so only the register gets it.
        if text.len() <= 100_000 {
            let encoded = base64::engine::general_purpose::STANDARD.encode(text);
            self.terminal_output
                .push(format!("\x1b]52;c;{encoded}\x07"));
        }
    }

    /// Height of the text area in rows.
    pub fn editor_height(&self) -> usize {
        usize::from(ui::layout_for(self).editor.height)
    }

    pub fn cycle_buffer(&mut self, delta: isize) {
        let n = self.buffers.len().cast_signed();
        self.current = (self.current.cast_signed() + delta).rem_euclid(n) as usize;
        self.follow_cursor = true;
    }

    /// Ctrl-W: closes the current buffer, asking first if it is dirty.
    pub fn request_close(&mut self) {
        let buf = self.buf();
        // A change's lines being edited are dropped without asking: the proposal keeps them.
        if buf.doc.is_dirty() && buf.hunk_edit.is_none() {
            let text = format!("{} has unsaved changes.", buf.display_name());
            self.show_dialog(Dialog::new(
                crate::dialog::DialogKind::CloseUnsaved(buf.id),
                text,
            ));
        } else {
            self.close_buffer(buf.id);
        }
    }

    pub fn close_buffer(&mut self, id: BufferId) {
        let hunk_edit = self.index_of(id).and_then(|i| self.buffers[i].hunk_edit);
        self.close_buffer_only(id);
        if let Some(edit) = hunk_edit {
            self.hunk_edit_closed(edit);
        }
    }

    pub(crate) fn close_buffer_only(&mut self, id: BufferId) {
        if let Some(i) = self.index_of(id) {
            if let Some(cancel) = &self.buffers[i].load_cancel {
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            self.forget_recovery(i);
            self.buffers.remove(i);
            if self.current > i || self.current >= self.buffers.len() {
                self.current = self.current.saturating_sub(1);
            }
            self.ensure_buffer();
            self.follow_cursor = true;
        }
    }

    /// Ctrl-Q: quits, asking first if any buffer is dirty.
    pub fn request_quit(&mut self) {
        let dirty: Vec<String> = self
            .buffers
            .iter()
            .filter(|b| b.doc.is_dirty())
            .map(Buffer::display_name)
            .collect();
        if dirty.is_empty() {
            self.quit = true;
        } else {
            let text = format!("Unsaved changes in {}.", dirty.join(", "));
            self.show_dialog(Dialog::new(crate::dialog::DialogKind::QuitUnsaved, text));
        }
    }

    /// Handles one event; the real loop and the tests both come through here.
    pub fn handle_event(&mut self, event: AppEvent) {
        match event {
            AppEvent::Input(input) => {
                let before = self.completion_spot();
                self.handle_input(input);
                self.completion_after_input(before);
            }
            AppEvent::LoadProgress {
                buffer,
                read,
                total,
            } => self.load_progress(buffer, read, total),
            AppEvent::Loaded {
                buffer,
                result,
                stamp,
            } => self.load_finished(buffer, *result, stamp),
            AppEvent::PickerChanged => self.redraw = true,
            AppEvent::RecoveryWritten {
                buffer,
                version,
                file,
                result,
            } => {
                self.recovery_written(buffer, version, &file, result);
            }
            AppEvent::SyntaxParsed {
                buffer,
                version,
                tree,
            } => self.syntax_parsed(buffer, version, tree),
            AppEvent::SyntaxReady => self.syntax_ready(),
            AppEvent::IdleTick => {
                // Watch events can get lost (network folders, overflowing queues).
                self.check_disk_changes();
                self.write_idle_recovery();
            }
            AppEvent::Fs(event) => self.fs_event(event),
            AppEvent::Ai { id, update } => self.ai_update(id, update),
            AppEvent::ProviderResolved(result) => self.provider_resolved(result),
            AppEvent::IndexReady(engine) => self.index_ready(engine),
            AppEvent::CheckDone(done) => self.check_done(*done),
            AppEvent::TokensReady => {
                if matches!(self.overlay, Overlay::Inspector(_)) {
                    self.replan();
                }
            }
            AppEvent::Completion(event) => self.completion_event(event),
            AppEvent::AiTick => {
                if self.chat.is_running() {
                    self.chat.spinner += 1;
                    self.chat.stream_dirty = true;
                }
            }
            AppEvent::Terminate(signal) => {
                tracing::warn!("{signal}: writing recovery files and leaving");
                let written = self.write_all_recovery();
                self.exit_report.extend(written);
                self.exit_report
                    .insert(0, format!("caret: {signal}; leaving"));
                self.exit_code = 1;
                self.quit = true;
            }
        }
        self.sync_disk_banner();
    }

    /// Scrolls the current view so the cursor is visible (called before drawing).
    fn scroll_to_cursor(&mut self) {
        let areas = ui::layout_for(self);
        let height = usize::from(areas.editor.height);
        let gutter = ui::editor_view::gutter_width(self.buf(), &self.config);
        let width = usize::from(areas.editor.width.saturating_sub(gutter));
        // Lines a suggested edit adds sit between the lines and take rows of their own.
        let rows = review::buffer_rows(self.buf());
        let buf = self.buf_mut();
        let text = buf.doc.text();
        let head = buf.doc.cursor();
        let line = movement::line_of(text, head);
        if height > 0 {
            if line < buf.scroll_line {
                buf.scroll_line = line;
            } else if review::row_of_line(&rows, buf.scroll_line, line) >= height {
                buf.scroll_line = review::top_for(&rows, line, height);
            }
        }
        if width > 0 {
            let col = buf.cursor_col;
            if col < buf.scroll_col {
                buf.scroll_col = col;
            } else if col >= buf.scroll_col + width {
                buf.scroll_col = col + 1 - width;
            }
        }
    }

    /// Work to do before drawing: follow the cursor, let the picker make progress.
    pub fn prepare_frame(&mut self) {
        let buf = self.buf_mut();
        buf.cursor_col = buf.columns.col_at(&buf.doc, buf.doc.cursor());
        if self.follow_cursor {
            self.scroll_to_cursor();
            self.follow_cursor = false;
        }
        let buf = self.buf_mut();
        let line = movement::line_of(buf.doc.text(), buf.doc.cursor());
        let (pos, col) = buf.columns.pos_at_col(&buf.doc, line, buf.scroll_col);
        buf.view_start = Some((line, pos, col));
        self.prepare_syntax();
        self.prepare_chat();
        self.prepare_reviews();
        self.indexing_shown |= self.indexing.is_some();
        if let Overlay::Picker(view) = &mut self.overlay {
            view.picker.tick();
            let rows = ui::popup::list_height(self.size);
            let selected = view.picker.selected();
            if selected < view.offset {
                view.offset = selected;
            } else if rows > 0 && selected >= view.offset + rows {
                view.offset = selected + 1 - rows;
            }
            view.rows = view
                .picker
                .items(view.offset, rows)
                .into_iter()
                .map(|item| (item.path.to_string(), item.indices))
                .collect();
        }
    }

    pub fn open_picker(&mut self, root: PathBuf) {
        let events = self.events.clone();
        let notify: Arc<dyn Fn() + Send + Sync> =
            Arc::new(move || events.send(AppEvent::PickerChanged));
        self.overlay = Overlay::Picker(Box::new(PickerView {
            picker: Picker::new(root, notify),
            rows: Vec::new(),
            offset: 0,
        }));
    }

    pub(crate) fn picker_key(&mut self, key: &KeyEvent) {
        let Overlay::Picker(view) = &mut self.overlay else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let page = ui::popup::list_height(self.size).max(1).cast_signed();
        match key.code {
            KeyCode::Esc => self.overlay = Overlay::None,
            KeyCode::Enter => {
                let chosen = view.picker.selected_path();
                if let Some(path) = chosen {
                    self.overlay = Overlay::None;
                    self.open_path(&path);
                }
            }
            KeyCode::Up => view.picker.move_selection(-1),
            KeyCode::Down => view.picker.move_selection(1),
            KeyCode::Char('p') if ctrl => view.picker.move_selection(-1),
            KeyCode::Char('n') if ctrl => view.picker.move_selection(1),
            KeyCode::PageUp => view.picker.move_selection(-page),
            KeyCode::PageDown => view.picker.move_selection(page),
            KeyCode::Char('u') if ctrl => view.picker.set_query(""),
            KeyCode::Backspace => {
                let mut q = view.picker.query().to_string();
                q.pop();
                view.picker.set_query(&q);
            }
            KeyCode::Char(c) if !ctrl => {
                let q = format!("{}{c}", view.picker.query());
                view.picker.set_query(&q);
            }
            _ => {}
        }
    }

    /// Runs the app until it quits: waits for terminal input, background events, signals
    /// and the idle timer; draws only when something asked for a frame.
    pub async fn run<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        mut events: tokio::sync::mpsc::UnboundedReceiver<AppEvent>,
        mut write_terminal: impl FnMut(&str),
    ) -> anyhow::Result<()>
    where
        B::Error: Send + Sync + 'static,
    {
        let mut input = crossterm::event::EventStream::new();
        let idle = Duration::from_millis(self.config.editor.recovery_idle_ms.max(100));
        let mut ticker = tokio::time::interval(idle);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut sigterm =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        let mut sighup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
        // Ctrl-C is a key in raw mode; a SIGINT comes from `kill` and is treated like SIGTERM.
        let mut sigint = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
        let size = terminal.size()?;
        self.size = (size.width, size.height);
        self.defer_syntax = true;
        self.start_watching();
        let mut first_frame = true;
        loop {
            self.update_watches();
            self.chat_flush();
            if self.redraw || self.stream_frame_due() == Some(Duration::ZERO) {
                self.chat.last_frame = Some(Instant::now());
                self.chat.stream_dirty = false;
                self.prepare_frame();
                terminal.draw(|frame| ui::render(frame, self))?;
                for seq in self.terminal_output.drain(..) {
                    write_terminal(&seq);
                }
                self.redraw = false;
                if first_frame {
                    first_frame = false;
                    // The text is on screen; finding the AI provider (a key command, probing
                    // local servers) and indexing the workspace start now, in the background.
                    self.ensure_provider();
                    self.start_indexing();
                }
                // The keystroke is on screen; now the parser catches up, and the colours
                // follow in the next frame if they changed.
                if self.settle_syntax() {
                    self.redraw = true;
                }
            }
            if self.quit {
                return Ok(());
            }
            // Streamed text waits for the next ~60 fps slot; keys are drawn at once.
            let stream_frame = self.stream_frame_due();
            let frame_slot = async {
                match stream_frame {
                    Some(wait) => tokio::time::sleep(wait).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = frame_slot => {}
                ev = input.next() => match ev {
                    Some(Ok(ev)) => {
                        self.handle_event(AppEvent::Input(ev));
                        // Take whatever else is already waiting before drawing once. Polled
                        // with this task's own waker: a throwaway waker would be the one the
                        // stream wakes for the next key, and that key would wait for a timer.
                        for _ in 0..256 {
                            let ready = std::future::poll_fn(|cx| {
                                std::task::Poll::Ready(input.poll_next_unpin(cx))
                            })
                            .await;
                            match ready {
                                std::task::Poll::Ready(Some(Ok(ev))) => {
                                    self.handle_event(AppEvent::Input(ev));
                                }
                                _ => break,
                            }
                        }
                    }
                    Some(Err(e)) => return Err(e.into()),
                    None => {
                        // The terminal went away: keep the user's work and leave.
                        self.handle_event(AppEvent::Terminate("end of terminal input"));
                    }
                },
                Some(ev) = events.recv() => {
                    self.handle_event(ev);
                    while let Ok(ev) = events.try_recv() {
                        self.handle_event(ev);
                    }
                }
                _ = ticker.tick() => {
                    // A terminal that went away without a SIGHUP looks like endless "no input"
                    // to the input reader; a zero-length write asks the terminal itself.
                    if terminal_gone() {
                        self.handle_event(AppEvent::Terminate("terminal hung up"));
                    } else {
                        self.handle_event(AppEvent::IdleTick);
                    }
                }
                _ = sigterm.recv() => self.handle_event(AppEvent::Terminate("SIGTERM")),
                _ = sighup.recv() => self.handle_event(AppEvent::Terminate("SIGHUP")),
                _ = sigint.recv() => self.handle_event(AppEvent::Terminate("SIGINT")),
            }
        }
    }
}

/// True when standard output is a terminal that has hung up (writes fail with EIO). Writes no
/// bytes to a live terminal.
fn terminal_gone() -> bool {
    use std::io::Write as _;
    use std::os::fd::AsFd as _;
    let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() else {
        return false;
    };
    let mut out = std::fs::File::from(fd);
    matches!(out.write(&[]), Err(e) if e.raw_os_error() == Some(5))
}
