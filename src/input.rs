//! Terminal input into the app: a key to the overlay, the pane, the review or the keymap
//! (else typed into the text), a paste, a mouse click, drag or wheel.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use crate::app::{App, Overlay};
use crate::core::history::EditKind;
use crate::core::movement;
use crate::ui;

impl App {
    pub(crate) fn handle_input(&mut self, input: Event) {
        self.redraw = true;
        match input {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.handle_key(&key),
            Event::Paste(text) => self.handle_paste(&text),
            Event::Mouse(mouse) => self.handle_mouse(mouse),
            Event::Resize(w, h) => {
                self.size = (w, h);
                self.follow_cursor = true;
            }
            Event::FocusGained => self.check_disk_changes(),
            _ => {}
        }
    }

    fn handle_key(&mut self, key: &KeyEvent) {
        match &self.overlay {
            Overlay::Prompt(_) => return self.prompt_key(key),
            Overlay::Dialog(_) => return self.dialog_key(key),
            Overlay::Picker(_) => return self.picker_key(key),
            Overlay::Palette(_) => return self.palette_key(key),
            Overlay::Inspector(_) => return self.inspector_key(key),
            Overlay::None => {}
        }
        // A new key replaces a stale message, as in most editors.
        if self.message.as_ref().is_some_and(|m| !m.error) {
            self.message = None;
        }
        if self.chat.open && self.chat.focused {
            // The pane has the keys; of the rest only those that do not touch the text
            // (save, quit, switch buffer, the palette, the AI keys) get through.
            if !self.chat_key(key)
                && let Some(action) = self.keymap.action_for(key)
                && action.works_from_the_chat()
            {
                self.run_action(action);
            }
            return;
        }
        if self.buf().review.as_ref().is_some_and(|r| r.active) && self.review_key(key) {
            return;
        }
        if self.ghost_key(key) {
            return;
        }
        if let Some(action) = self.keymap.action_for(key) {
            self.run_action(action);
            return;
        }
        if let KeyCode::Char(c) = key.code
            && (!key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                || key
                    .modifiers
                    .contains(KeyModifiers::CONTROL | KeyModifiers::ALT))
        {
            // AltGr arrives as Ctrl+Alt on some terminals: it types a character.
            let mut buf = [0u8; 4];
            self.insert_text(c.encode_utf8(&mut buf), EditKind::Insert);
        }
    }

    fn handle_paste(&mut self, text: &str) {
        match &mut self.overlay {
            Overlay::Prompt(p) => p.paste(text),
            Overlay::Picker(view) => {
                let q = format!(
                    "{}{}",
                    view.picker.query(),
                    text.lines().next().unwrap_or("")
                );
                view.picker.set_query(&q);
            }
            Overlay::Palette(palette) => {
                palette.query.push_str(text.lines().next().unwrap_or(""));
                palette.selected = 0;
                palette.refresh();
                self.preview_theme();
            }
            Overlay::Dialog(_) | Overlay::Inspector(_) => {}
            Overlay::None if self.chat.open && self.chat.focused => self.chat_paste(text),
            Overlay::None => self.paste(text),
        }
    }

    fn handle_mouse(&mut self, mouse: MouseEvent) {
        // The changed-on-disk banner waits on its buffer; the user may still look around.
        if !self.overlay_is_none() && !self.disk_banner_up() {
            return;
        }
        let areas = ui::layout_for(self);
        let scroll = self.config.editor.scroll_lines.max(1);
        if self.chat_mouse(mouse, areas.chat, scroll) {
            return;
        }
        match mouse.kind {
            MouseEventKind::ScrollDown => self.scroll_view(scroll.cast_signed()),
            MouseEventKind::ScrollUp => self.scroll_view(-scroll.cast_signed()),
            MouseEventKind::Down(MouseButton::Left) => {
                if areas.tabs.height > 0 && mouse.row == areas.tabs.y {
                    if let Some(i) = ui::bufferline::buffer_at(self, areas.tabs, mouse.column) {
                        self.current = i;
                        self.follow_cursor = true;
                    }
                    return;
                }
                if let Some(pos) = self.pos_at_screen(mouse.column, mouse.row) {
                    let extend = mouse.modifiers.contains(KeyModifiers::SHIFT);
                    self.doc_mut().move_to(pos, extend);
                    self.dragging = true;
                }
            }
            MouseEventKind::Drag(MouseButton::Left) if self.dragging => {
                let editor = areas.editor;
                // Dragging past the top or bottom edge scrolls.
                if mouse.row < editor.y {
                    self.scroll_view(-1);
                } else if mouse.row >= editor.y + editor.height {
                    self.scroll_view(1);
                }
                let row = mouse
                    .row
                    .clamp(editor.y, (editor.y + editor.height).saturating_sub(1));
                if let Some(pos) = self.pos_at_screen(mouse.column, row) {
                    self.doc_mut().move_to(pos, true);
                }
            }
            MouseEventKind::Up(MouseButton::Left) => self.dragging = false,
            _ => {}
        }
    }

    /// The char position under a screen cell of the text area.
    fn pos_at_screen(&self, column: u16, row: u16) -> Option<usize> {
        let editor = ui::layout_for(self).editor;
        if row < editor.y || row >= editor.y + editor.height || column < editor.x {
            return None;
        }
        let buf = self.buf();
        let text = buf.doc.text();
        let gutter = ui::editor_view::gutter_width(buf, &self.config);
        let row = self.row_under_ghost(usize::from(row - editor.y));
        let Some(line) = self.line_at_row(row) else {
            return Some(text.len_chars());
        };
        let col = usize::from(column.saturating_sub(editor.x + gutter)) + buf.scroll_col;
        Some(movement::pos_at_col(text, line, col, buf.doc.tab_width))
    }

    fn scroll_view(&mut self, lines: isize) {
        let height = self.editor_height();
        let buf = self.buf_mut();
        let last = buf.doc.text().len_lines().saturating_sub(1);
        // Scrolling down stops when the last line reaches the middle of the view.
        buf.scroll_line = buf
            .scroll_line
            .saturating_add_signed(lines)
            .min(last.saturating_sub(height / 2));
    }
}
