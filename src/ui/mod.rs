//! Drawing: lays out the screen and draws each part from the app's state. Reads only.

pub mod ai_pane;
pub mod bufferline;
pub mod editor_view;
mod ghost_view;
pub mod inspector;
pub mod markdown;
pub mod palette;
pub mod picker;
pub mod popup;
pub mod prompt;
pub mod review_view;
pub mod statusline;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Rect, Size};

use crate::app::{App, Overlay};

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub tabs: Rect,
    pub editor: Rect,
    pub status: Rect,
    pub prompt: Rect,
    /// The AI chat pane (empty when it is closed).
    pub chat: Rect,
}

/// Terminals at least this wide get the chat pane on the right; narrower ones below the text.
pub const SIDE_PANE_MIN_WIDTH: u16 = 100;

/// The areas for the app as it is now (the chat pane open or not).
pub fn layout_for(app: &App) -> Areas {
    let mut areas = layout(app.size);
    if app.chat.open {
        split_chat(&mut areas);
    }
    areas
}

/// Takes the chat pane's room from the text area: the right two fifths (at least 40 columns)
/// on wide terminals, else the lower half.
fn split_chat(areas: &mut Areas) {
    let editor = areas.editor;
    if editor.width >= SIDE_PANE_MIN_WIDTH {
        let pane = (editor.width * 2 / 5).max(40);
        areas.chat = Rect::new(
            editor.x + editor.width - pane,
            editor.y,
            pane,
            editor.height,
        );
        areas.editor.width -= pane;
    } else if editor.height >= 8 {
        let pane = editor.height / 2;
        areas.chat = Rect::new(
            editor.x,
            editor.y + editor.height - pane,
            editor.width,
            pane,
        );
        areas.editor.height -= pane;
    } else {
        // Too small to share: the pane takes the text area.
        areas.chat = editor;
        areas.editor.height = 0;
    }
}

/// Splits a terminal of `(width, height)`; small terminals lose the tab line first, then the
/// status line, then the prompt line, so the text stays visible down to 1x1.
pub fn layout(size: (u16, u16)) -> Areas {
    let (w, h) = size;
    let row = |y: u16, height: u16| Rect::new(0, y, w, height);
    match h {
        0 => Areas {
            tabs: row(0, 0),
            editor: row(0, 0),
            status: row(0, 0),
            prompt: row(0, 0),
            chat: row(0, 0),
        },
        1 => Areas {
            tabs: row(0, 0),
            editor: row(0, 1),
            status: row(1, 0),
            prompt: row(1, 0),
            chat: row(0, 0),
        },
        2 => Areas {
            tabs: row(0, 0),
            editor: row(0, 1),
            status: row(1, 0),
            prompt: row(1, 1),
            chat: row(0, 0),
        },
        3 => Areas {
            tabs: row(0, 0),
            editor: row(0, 1),
            status: row(1, 1),
            prompt: row(2, 1),
            chat: row(0, 0),
        },
        _ => Areas {
            tabs: row(0, 1),
            editor: row(1, h - 3),
            status: row(h - 2, 1),
            prompt: row(h - 1, 1),
            chat: row(0, 0),
        },
    }
}

/// Draws the whole screen.
pub fn render(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    let areas = layout_for(app);
    let theme = &app.theme;
    // The theme's background goes under everything, so truecolor themes paint the whole
    // screen rather than only the cells that hold text.
    frame.buffer_mut().set_style(area, theme.text);
    bufferline::render(frame, areas.tabs, app, theme);
    editor_view::render(frame, areas.editor, app, theme);
    statusline::render(frame, areas.status, app, theme);
    prompt::render(frame, areas.prompt, app, theme);
    ai_pane::render(frame, areas.chat, app, theme);
    let popup_area = popup::area(Size::new(area.width, area.height));
    match &app.overlay {
        Overlay::Picker(view) => picker::render(frame, popup_area, view, theme),
        Overlay::Palette(palette) => palette::render(frame, popup_area, palette, theme),
        Overlay::Inspector(inspector) => {
            inspector::render(frame, popup_area, app, inspector, theme);
        }
        _ => {}
    }
}
