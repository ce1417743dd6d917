//! Styles of the editor's parts, in ANSI colours only so every terminal's own palette applies;
//! `NO_COLOR` leaves only bold, dim and reverse.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub text: Style,
    pub gutter: Style,
    pub gutter_current: Style,
    pub selection: Style,
    pub search_match: Style,
    pub hidden_char: Style,
    pub status: Style,
    pub status_dirty: Style,
    pub tab_active: Style,
    pub tab_inactive: Style,
    pub message: Style,
    pub error: Style,
    pub prompt_label: Style,
    pub dialog: Style,
    pub picker_border: Style,
    pub picker_match: Style,
    pub picker_selected: Style,
}

impl Theme {
    pub fn ansi() -> Self {
        Self {
            text: Style::new(),
            gutter: Style::new().fg(Color::DarkGray),
            gutter_current: Style::new().fg(Color::Yellow),
            selection: Style::new().add_modifier(Modifier::REVERSED),
            search_match: Style::new().fg(Color::Black).bg(Color::Yellow),
            hidden_char: Style::new().fg(Color::DarkGray),
            status: Style::new().add_modifier(Modifier::REVERSED),
            status_dirty: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            tab_active: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            tab_inactive: Style::new().fg(Color::DarkGray),
            message: Style::new(),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            prompt_label: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            dialog: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            picker_border: Style::new().fg(Color::DarkGray),
            picker_match: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            picker_selected: Style::new().add_modifier(Modifier::REVERSED),
        }
    }

    /// No colours at all: for `NO_COLOR`.
    pub fn monochrome() -> Self {
        let plain = Style::new();
        Self {
            gutter: plain.add_modifier(Modifier::DIM),
            gutter_current: plain,
            search_match: plain.add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            hidden_char: plain.add_modifier(Modifier::DIM),
            tab_inactive: plain.add_modifier(Modifier::DIM),
            error: plain.add_modifier(Modifier::BOLD),
            prompt_label: plain.add_modifier(Modifier::BOLD),
            dialog: plain.add_modifier(Modifier::BOLD),
            picker_border: plain.add_modifier(Modifier::DIM),
            picker_match: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            ..Self::ansi()
        }
    }

    /// ANSI colours, or none when `NO_COLOR` is set to anything non-empty.
    pub fn from_env() -> Self {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            Self::monochrome()
        } else {
            Self::ansi()
        }
    }
}
