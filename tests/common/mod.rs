//! Test harness: an App driven through `handle_event`, the entry point the real loop uses,
//! and drawn on ratatui's `TestBackend`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use caret::app::App;
use caret::config::Config;
use caret::event::{AppEvent, AppEventSender};
use caret::keymap::KeyCombo;
use crossterm::event::{Event, KeyEvent, KeyEventKind, KeyEventState};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc::UnboundedReceiver;

pub struct Harness {
    pub app: App,
    pub rx: UnboundedReceiver<AppEvent>,
    pub dir: tempfile::TempDir,
    terminal: Terminal<TestBackend>,
}

/// A config that talks to a scripted model server at `base_url` (the `OpenAI` wire format, one
/// retry).
pub fn scripted_ai_config(base_url: String) -> Config {
    let mut config = Config::default();
    config.ai.provider = Some("openai".into());
    config.ai.base_url = Some(base_url);
    config.ai.model = Some("test-model".into());
    config.ai.max_retries = 1;
    config
}

impl Harness {
    pub fn new(width: u16, height: u16) -> Self {
        Self::with_config(width, height, Config::default())
    }

    pub fn with_config(width: u16, height: u16, config: Config) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (events, rx) = AppEventSender::new();
        let mut app = App::new(
            config,
            dir.path().to_path_buf(),
            events,
            dir.path().join("state/recovery"),
        );
        // Themes come from the bundled set and a folder of the test's own, never from the
        // config folder of whoever runs the tests.
        app.themes = caret::themes::Catalog::new(dir.path().join("config/themes"));
        app.color_mode = caret::ui::theme::ColorMode::TrueColor;
        app.theme = app.themes.load("default", app.color_mode).unwrap();
        app.size = (width, height);
        let terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        Self {
            app,
            rx,
            dir,
            terminal,
        }
    }

    /// Writes a file into the test folder and returns its path.
    pub fn file(&self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Opens a file as `caret PATH` would.
    pub fn open(&mut self, name: &str) {
        let path = self.dir.path().join(name);
        self.app.open_path(&path);
        self.app.ensure_buffer();
        self.pump();
        // Queries compile in the background; frames are compared once they are in, so
        // they never depend on how fast that was. (Not for big files still loading: tests of
        // those look at the editor before the load is done.)
        if self.app.buf().loading.is_some() {
            return;
        }
        self.app.prepare_frame();
        self.wait_until("the language's queries", |app| {
            app.buf()
                .syntax_language
                .is_none_or(|lang| app.syntax.is_compiled(lang))
        });
        self.pump();
    }

    pub fn event(&mut self, ev: Event) {
        self.app.handle_event(AppEvent::Input(ev));
        self.pump();
    }

    /// Presses one key written as in config.toml: "ctrl-s", "shift-right", "a", "enter".
    pub fn key(&mut self, spec: &str) {
        let combo = KeyCombo::parse(spec).unwrap();
        let mut code = combo.code;
        // Terminals send an uppercase letter for Shift+letter.
        if let crossterm::event::KeyCode::Char(c) = code
            && combo.modifiers == crossterm::event::KeyModifiers::SHIFT
        {
            code = crossterm::event::KeyCode::Char(c.to_ascii_uppercase());
        }
        let key = KeyEvent {
            code,
            modifiers: combo.modifiers,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        };
        self.event(Event::Key(key));
    }

    pub fn keys(&mut self, specs: &[&str]) {
        for s in specs {
            self.key(s);
        }
    }

    /// Types text one character at a time, as a user would.
    pub fn type_str(&mut self, text: &str) {
        for c in text.chars() {
            let key = match c {
                '\n' => KeyEvent::from(crossterm::event::KeyCode::Enter),
                '\t' => KeyEvent::from(crossterm::event::KeyCode::Tab),
                c => KeyEvent::from(crossterm::event::KeyCode::Char(c)),
            };
            self.event(Event::Key(key));
        }
    }

    pub fn paste(&mut self, text: &str) {
        self.event(Event::Paste(text.to_string()));
    }

    /// Handles whatever background work has reported.
    pub fn pump(&mut self) {
        while let Ok(ev) = self.rx.try_recv() {
            self.app.handle_event(ev);
        }
    }

    /// Pumps events until `done` holds or the time runs out.
    pub fn wait_until(&mut self, what: &str, mut done: impl FnMut(&mut App) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !done(&mut self.app) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(5));
            self.pump();
            self.app.prepare_frame();
        }
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.terminal.backend_mut().resize(width, height);
        self.event(Event::Resize(width, height));
    }

    /// Draws a frame and returns the screen as text, one line per row (trailing spaces cut).
    pub fn screen(&mut self) -> String {
        self.app.prepare_frame();
        let app = &self.app;
        self.terminal.draw(|f| caret::ui::render(f, app)).unwrap();
        let buffer = self.terminal.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..buffer.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buffer[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
                line.push_str(sym);
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.replace(&self.dir.path().display().to_string(), "<dir>")
    }

    /// The cell symbol at a position of the last drawn frame.
    pub fn symbol_at(&self, x: u16, y: u16) -> &str {
        self.terminal.backend().buffer()[(x, y)].symbol()
    }

    /// The cell style at a position of the last drawn frame.
    pub fn style_at(&self, x: u16, y: u16) -> ratatui::style::Style {
        self.terminal.backend().buffer()[(x, y)].style()
    }

    pub fn cursor(&mut self) -> (u16, u16) {
        let p = self.terminal.get_cursor_position().unwrap();
        (p.x, p.y)
    }

    pub fn text(&self) -> String {
        self.app.doc().text().to_string()
    }

    /// Replaces a file the way git and formatters do: a new file renamed over the old one.
    pub fn replace_file(&self, name: &str, contents: &[u8]) {
        let temp = self.dir.path().join(format!(".{name}.other-tool"));
        std::fs::write(&temp, contents).unwrap();
        std::fs::rename(&temp, self.dir.path().join(name)).unwrap();
    }

    /// What the file watcher sends after `name` changed on disk.
    pub fn fs_changed(&mut self, name: &str) {
        let path = self.dir.path().join(name);
        self.app
            .handle_event(AppEvent::Fs(caret::watch::FsEvent::Changed(vec![path])));
        self.pump();
    }

    /// The message line's text, if any.
    pub fn message(&self) -> Option<String> {
        self.app.message.as_ref().map(|m| m.text.clone())
    }

    pub fn disk(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dir.path().join(name)).unwrap()
    }
}
