//! Named actions — what keys are bound to — and how each one changes the app.

use crate::app::App;
use crate::core::document::Document;
use crate::core::history::EditKind;
use crate::core::movement;
use crate::core::selection::Selection;
use crate::core::transaction::{Change, Transaction};
use crate::prompt::PromptKind;

macro_rules! actions {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// Everything a key can be bound to.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant,)* }

        impl Action {
            /// Every action, in the order they are listed for help and config.
            pub const ALL: &[Action] = &[$(Action::$variant,)*];

            /// The name used in config.toml.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name,)* }
            }

            /// A one-line description.
            pub fn description(self) -> &'static str {
                match self { $(Action::$variant => $doc,)* }
            }

            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(Action::$variant),)* _ => None }
            }
        }
    };
}

actions! {
    Save => "save", "Save the buffer";
    SaveAs => "save_as", "Save the buffer under another name";
    Quit => "quit", "Quit (asks about unsaved buffers)";
    Undo => "undo", "Undo";
    Redo => "redo", "Redo";
    Find => "find", "Find (incremental)";
    FindNext => "find_next", "Find the next match";
    FindPrevious => "find_previous", "Find the previous match";
    Replace => "replace", "Find and replace";
    FilePicker => "file_picker", "Open a file (fuzzy, .gitignore-aware)";
    GotoLine => "goto_line", "Go to line[:column]";
    CloseBuffer => "close_buffer", "Close the buffer";
    PreviousBuffer => "previous_buffer", "Previous buffer";
    NextBuffer => "next_buffer", "Next buffer";
    Copy => "copy", "Copy (also to the system clipboard via OSC 52)";
    Cut => "cut", "Cut";
    Paste => "paste", "Paste";
    SelectAll => "select_all", "Select everything";
    MoveLeft => "move_left", "Cursor left";
    MoveRight => "move_right", "Cursor right";
    MoveUp => "move_up", "Cursor up";
    MoveDown => "move_down", "Cursor down";
    SelectLeft => "select_left", "Extend selection left";
    SelectRight => "select_right", "Extend selection right";
    SelectUp => "select_up", "Extend selection up";
    SelectDown => "select_down", "Extend selection down";
    WordLeft => "word_left", "Previous word";
    WordRight => "word_right", "Next word";
    SelectWordLeft => "select_word_left", "Extend selection to the previous word";
    SelectWordRight => "select_word_right", "Extend selection to the next word";
    LineStart => "line_start", "Line start (first non-blank, then column 0)";
    LineEnd => "line_end", "Line end";
    SelectLineStart => "select_line_start", "Extend selection to the line start";
    SelectLineEnd => "select_line_end", "Extend selection to the line end";
    PageUp => "page_up", "Page up";
    PageDown => "page_down", "Page down";
    SelectPageUp => "select_page_up", "Extend selection a page up";
    SelectPageDown => "select_page_down", "Extend selection a page down";
    DocumentStart => "document_start", "Start of the buffer";
    DocumentEnd => "document_end", "End of the buffer";
    SelectDocumentStart => "select_document_start", "Extend selection to the start";
    SelectDocumentEnd => "select_document_end", "Extend selection to the end";
    Backspace => "backspace", "Delete backwards";
    Delete => "delete", "Delete forwards";
    DeleteWordLeft => "delete_word_left", "Delete the previous word";
    DeleteWordRight => "delete_word_right", "Delete the next word";
    Newline => "newline", "New line, keeping the indentation";
    Indent => "indent", "Insert a tab, or indent the selected lines";
    Outdent => "outdent", "Outdent the current or selected lines";
    Escape => "escape", "Close the popup, or clear the selection";
    CommandPalette => "command_palette", "Run any command by name";
    PickTheme => "theme", "Pick a colour theme (previewed as you move)";
    AiChat => "ai_chat", "AI chat pane: open (with the selection or item as context) / close";
    AiExplain => "ai_explain", "Explain the selection or the item at the cursor";
    AiRetry => "ai_retry", "Ask the last AI question again";
    AiCancel => "ai_cancel", "Cancel the running AI request";
    AiClear => "ai_clear", "Clear the AI chat (and its saved transcript)";
    AiInspect => "ai_inspect", "Context inspector: what the next AI request will send";
    AiEdit => "ai_edit", "Inline edit: say what to change in the selection (or the item at the cursor); back to its review";
    AiApply => "ai_apply", "Apply the newest code block of the chat (or the one Ctrl-C picked) to the file, for review";
    AiSendRefused => "ai_send_refused", "Send the blocks of the chat that did not apply back to the model, for corrected ones";
    AiFix => "ai_fix", "Fix the diagnostics at the cursor (or in the file) for review; the check runs again after";
    Check => "check", "Run the file's check command (compiler, linter) now";
    NextDiagnostic => "next_diagnostic", "Go to the next diagnostic of the file";
    PreviousDiagnostic => "previous_diagnostic", "Go to the previous diagnostic of the file";
    Diagnostics => "diagnostics", "List every diagnostic of the last check";
}

impl Action {
    /// Actions that make sense while the chat pane has the keys: none of them edits or
    /// moves in the text behind it.
    pub fn works_from_the_chat(self) -> bool {
        matches!(
            self,
            Action::Save
                | Action::SaveAs
                | Action::Quit
                | Action::FilePicker
                | Action::CloseBuffer
                | Action::PreviousBuffer
                | Action::NextBuffer
                | Action::CommandPalette
                | Action::PickTheme
                | Action::AiChat
                | Action::AiExplain
                | Action::AiRetry
                | Action::AiCancel
                | Action::AiClear
                | Action::AiInspect
                | Action::AiEdit
                | Action::AiApply
                | Action::AiSendRefused
                | Action::AiFix
                | Action::Check
                | Action::Diagnostics
        )
    }
}

impl App {
    /// Applies one action to the app.
    pub fn run_action(&mut self, action: Action) {
        let page = self.editor_height().saturating_sub(1).max(1).cast_signed();
        match action {
            Action::Save => self.save_current(false),
            Action::SaveAs => self.open_prompt(PromptKind::SaveAs),
            Action::Quit => self.request_quit(),
            Action::Undo => self.undo_redo(true),
            Action::Redo => self.undo_redo(false),
            Action::Find => self.open_prompt(PromptKind::Find),
            Action::Replace => self.open_prompt(PromptKind::ReplaceFind),
            Action::FindNext => self.find_again(true),
            Action::FindPrevious => self.find_again(false),
            Action::FilePicker => self.open_picker(self.root.clone()),
            Action::GotoLine => self.open_prompt(PromptKind::GotoLine),
            Action::CloseBuffer => self.request_close(),
            Action::PreviousBuffer => self.cycle_buffer(-1),
            Action::NextBuffer => self.cycle_buffer(1),
            Action::Copy => self.copy(false),
            Action::Cut => self.copy(true),
            Action::Paste => {
                let text = self.register.clone();
                self.paste(&text);
            }
            Action::SelectAll => {
                let len = self.doc().text().len_chars();
                self.doc_mut().set_selection(Selection::new(0, len));
            }
            Action::MoveLeft | Action::SelectLeft => {
                let extend = action == Action::SelectLeft;
                let doc = self.doc();
                let sel = doc.selection();
                // Left on a selection collapses it to its start, as in VS Code.
                let pos = if !extend && !sel.is_empty() {
                    sel.from()
                } else {
                    movement::grapheme_left(doc.text(), sel.head)
                };
                self.doc_mut().move_to(pos, extend);
            }
            Action::MoveRight | Action::SelectRight => {
                let extend = action == Action::SelectRight;
                let doc = self.doc();
                let sel = doc.selection();
                let pos = if !extend && !sel.is_empty() {
                    sel.to()
                } else {
                    movement::grapheme_right(doc.text(), sel.head)
                };
                self.doc_mut().move_to(pos, extend);
            }
            Action::MoveUp => self.doc_mut().move_vertical(-1, false),
            Action::MoveDown => self.doc_mut().move_vertical(1, false),
            Action::SelectUp => self.doc_mut().move_vertical(-1, true),
            Action::SelectDown => self.doc_mut().move_vertical(1, true),
            Action::PageUp => self.doc_mut().move_vertical(-page, false),
            Action::PageDown => self.doc_mut().move_vertical(page, false),
            Action::SelectPageUp => self.doc_mut().move_vertical(-page, true),
            Action::SelectPageDown => self.doc_mut().move_vertical(page, true),
            Action::WordLeft | Action::SelectWordLeft => {
                let pos = movement::word_left(self.doc().text(), self.doc().cursor());
                self.doc_mut()
                    .move_to(pos, action == Action::SelectWordLeft);
            }
            Action::WordRight | Action::SelectWordRight => {
                let pos = movement::word_right(self.doc().text(), self.doc().cursor());
                self.doc_mut()
                    .move_to(pos, action == Action::SelectWordRight);
            }
            Action::LineStart | Action::SelectLineStart => {
                let pos = movement::smart_home(self.doc().text(), self.doc().cursor());
                self.doc_mut()
                    .move_to(pos, action == Action::SelectLineStart);
            }
            Action::LineEnd | Action::SelectLineEnd => {
                let text = self.doc().text();
                let pos = movement::line_end(text, movement::line_of(text, self.doc().cursor()));
                self.doc_mut().move_to(pos, action == Action::SelectLineEnd);
            }
            Action::DocumentStart | Action::SelectDocumentStart => {
                self.doc_mut()
                    .move_to(0, action == Action::SelectDocumentStart);
            }
            Action::DocumentEnd | Action::SelectDocumentEnd => {
                let len = self.doc().text().len_chars();
                self.doc_mut()
                    .move_to(len, action == Action::SelectDocumentEnd);
            }
            Action::Backspace => self.edit(Document::backspace),
            Action::Delete => self.edit(Document::delete_forward),
            Action::DeleteWordLeft | Action::DeleteWordRight => {
                let doc = self.doc();
                let sel = doc.selection();
                if sel.is_empty() {
                    let head = sel.head;
                    let other = if action == Action::DeleteWordLeft {
                        movement::word_left(doc.text(), head)
                    } else {
                        movement::word_right(doc.text(), head)
                    };
                    self.doc_mut().set_selection(Selection::new(other, head));
                }
                self.edit(Document::delete_selection);
            }
            Action::Newline => {
                let unit = self.indent_unit();
                self.edit(|doc| doc.newline(&unit));
            }
            Action::Indent => self.indent(),
            Action::Outdent => self.outdent(),
            Action::CommandPalette => self.open_palette(),
            Action::PickTheme => self.open_theme_picker(),
            Action::AiChat => self.toggle_chat(),
            Action::AiExplain => self.explain(),
            Action::AiRetry => self.retry_last(),
            Action::AiCancel => {
                if self.cancel_request("cancelled") {
                    self.set_message("AI request cancelled");
                } else {
                    self.set_message("no AI request is running");
                }
            }
            Action::AiClear => self.clear_chat(),
            Action::AiInspect => self.toggle_inspector(),
            Action::AiEdit => {
                self.chat.focused = false;
                self.inline_edit();
            }
            Action::AiApply => self.apply_chat_code(),
            Action::AiSendRefused => self.send_refused_back(),
            Action::AiFix => {
                self.chat.focused = false;
                self.fix_at_cursor();
            }
            Action::Check => self.start_check(false),
            Action::NextDiagnostic => self.goto_diagnostic(true),
            Action::PreviousDiagnostic => self.goto_diagnostic(false),
            Action::Diagnostics => self.list_diagnostics(),
            Action::Escape => {
                // Esc stops a running AI request first, as DESIGN.md's key table says.
                if self.cancel_request("cancelled") {
                    self.set_message("AI request cancelled");
                    return;
                }
                self.highlight_search = false;
                let head = self.doc().cursor();
                self.doc_mut().set_selection(Selection::point(head));
            }
        }
        self.follow_cursor = true;
    }

    /// One level of indentation as configured.
    pub fn indent_unit(&self) -> String {
        if self.config.editor.insert_spaces {
            " ".repeat(self.config.editor.tab_width.max(1))
        } else {
            "\t".to_string()
        }
    }

    fn undo_redo(&mut self, undo: bool) {
        let doc = self.doc_mut();
        let result = if undo { doc.undo() } else { doc.redo() };
        match result {
            Ok(true) => self.after_edit(),
            Ok(false) => self.set_message(if undo {
                "nothing to undo"
            } else {
                "nothing to redo"
            }),
            Err(e) => self.set_error(e.to_string()),
        }
    }

    /// Inserts typed or pasted text in place of the selection.
    pub fn insert_text(&mut self, text: &str, kind: EditKind) {
        self.edit(|doc| doc.insert(text, kind));
    }

    pub fn paste(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let text = self.doc().normalize_line_endings(text);
        self.edit(|doc| doc.insert(&text, EditKind::Other));
    }

    fn copy(&mut self, cut: bool) {
        let doc = self.doc();
        let sel = doc.selection();
        let text = if sel.is_empty() {
            // Nothing selected: copy or cut the whole line, as VS Code does.
            let line = movement::line_of(doc.text(), sel.head);
            let start = movement::line_start(doc.text(), line);
            let end = if line + 1 < doc.text().len_lines() {
                movement::line_start(doc.text(), line + 1)
            } else {
                doc.text().len_chars()
            };
            if cut {
                self.doc_mut().set_selection(Selection::new(start, end));
            }
            self.doc().text().slice(start..end).to_string()
        } else {
            doc.selected_text()
        };
        if text.is_empty() {
            return;
        }
        self.set_clipboard(&text);
        if cut {
            self.edit(Document::delete_selection);
        }
    }

    /// Tab: indents the selected lines, else inserts spaces up to the next tab stop (or a tab).
    fn indent(&mut self) {
        let tab_width = self.config.editor.tab_width.max(1);
        let doc = self.doc();
        let sel = doc.selection();
        let text = doc.text();
        let (first, last) = (
            movement::line_of(text, sel.from()),
            movement::line_of(text, sel.to()),
        );
        if sel.is_empty() || first == last && !self.selection_spans_line(first) {
            let unit = if self.config.editor.insert_spaces {
                let col = movement::visual_col(text, sel.from(), tab_width);
                " ".repeat(tab_width - col % tab_width)
            } else {
                "\t".to_string()
            };
            self.insert_text(&unit, EditKind::Other);
            return;
        }
        let unit = self.indent_unit();
        let changes = (first..=last)
            .filter(|&l| movement::line_end(text, l) > movement::line_start(text, l))
            .map(|l| {
                let at = movement::line_start(text, l);
                Change {
                    from: at,
                    to: at,
                    text: unit.clone(),
                }
            })
            .collect();
        self.apply_line_changes(changes);
    }

    /// Shift-Tab: removes one indent unit from each selected line.
    fn outdent(&mut self) {
        let tab_width = self.config.editor.tab_width.max(1);
        let doc = self.doc();
        let sel = doc.selection();
        let text = doc.text();
        let (first, last) = (
            movement::line_of(text, sel.from()),
            movement::line_of(text, sel.to()),
        );
        let changes = (first..=last)
            .filter_map(|l| {
                let start = movement::line_start(text, l);
                let end = movement::line_end(text, l);
                let mut n = 0;
                while start + n < end && n < tab_width && text.char(start + n) == ' ' {
                    n += 1;
                }
                if n == 0 && start < end && text.char(start) == '\t' {
                    n = 1;
                }
                (n > 0).then(|| Change {
                    from: start,
                    to: start + n,
                    text: String::new(),
                })
            })
            .collect();
        self.apply_line_changes(changes);
    }

    fn selection_spans_line(&self, line: usize) -> bool {
        let doc = self.doc();
        let sel = doc.selection();
        sel.from() <= movement::first_non_blank(doc.text(), line)
            && sel.to() >= movement::line_end(doc.text(), line)
            && !sel.is_empty()
    }

    /// Applies per-line changes, keeping the selection on the same text.
    fn apply_line_changes(&mut self, changes: Vec<Change>) {
        match Transaction::new(changes) {
            Ok(tx) => self.edit(|doc| doc.apply(&tx, EditKind::Other)),
            Err(e) => self.set_error(e.to_string()),
        }
    }
}
