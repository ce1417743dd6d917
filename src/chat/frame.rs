//! The chat pane's part of the loop: rows prepared before a frame, stream redraws held to
//! about 60 a second, the journal flushed once per batch of events, the mouse over the pane.

use std::time::{Duration, Instant};

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use crate::app::App;
use crate::chat::FRAME_INTERVAL;
use crate::ui;

impl App {
    /// Prepares the transcript rows the pane shows in the next frame.
    pub fn prepare_chat(&mut self) {
        if !self.chat.open {
            return;
        }
        // A theme picked (or previewed) since the last frame: re-render in its colours.
        if self.chat.theme_name == self.theme.name() {
            self.compile_chat_languages();
        } else {
            self.chat.theme_name = self.theme.name().to_string();
            self.restyle_chat();
        }
        let (_, transcript, _) = ui::ai_pane::parts(ui::layout_for(self).chat);
        self.chat
            .prepare_rows(transcript.width, transcript.height, &self.theme);
    }

    /// Starts compiling the languages of code blocks whose queries are not ready; when they
    /// are, `syntax_ready` has the answers drawn again.
    pub fn compile_chat_languages(&mut self) {
        let wanted: Vec<usize> = self
            .chat
            .exchanges
            .iter_mut()
            .flat_map(|e| e.view.wanted_languages())
            .collect();
        for lang in wanted {
            self.compile_language(lang);
        }
    }

    /// When streamed text should be drawn: `None` if nothing waits, else how long until the
    /// next frame slot (zero: now).
    pub fn stream_frame_due(&self) -> Option<Duration> {
        if !self.chat.stream_dirty {
            return None;
        }
        Some(match self.chat.last_frame {
            Some(at) => FRAME_INTERVAL.saturating_sub(at.elapsed()),
            None => Duration::ZERO,
        })
    }

    /// Writes journaled deltas through to the file: once per batch of events, so a crash
    /// loses at most the deltas of the last few milliseconds.
    pub fn chat_flush(&mut self) {
        if let Err(e) = self.chat.journal.flush()
            && !self.chat.journal_failed
        {
            self.chat.journal_failed = true;
            self.set_error(format!("cannot write the chat transcript: {e}"));
        }
    }

    /// Wheel over the pane scrolls it; a click focuses it (or, in the text, the editor).
    pub fn chat_mouse(&mut self, mouse: MouseEvent, pane: Rect, lines: usize) -> bool {
        let inside = pane.contains(ratatui::layout::Position::new(mouse.column, mouse.row));
        if !inside {
            if matches!(mouse.kind, MouseEventKind::Down(_)) {
                self.chat.focused = false;
            }
            return false;
        }
        match mouse.kind {
            MouseEventKind::ScrollUp => self.chat.scroll += lines,
            MouseEventKind::ScrollDown => self.chat.scroll = self.chat.scroll.saturating_sub(lines),
            MouseEventKind::Down(MouseButton::Left) => self.chat.focused = true,
            _ => {}
        }
        self.redraw = true;
        true
    }

    /// A theme change re-renders the answers in the new colours.
    pub fn restyle_chat(&mut self) {
        for e in &mut self.chat.exchanges {
            e.view.restyle(&self.theme, &self.syntax);
        }
        self.compile_chat_languages();
        self.chat.last_frame = Some(Instant::now());
    }
}
