//! Ghost text in the text area: the completion's first line dim after the cursor (the rest of
//! the cursor's line moved right of it), its further lines as rows of their own below, as
//! far as the view reaches. The terminal cursor stays where it is.

use ratatui::buffer::Buffer as Cells;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::UnicodeWidthChar as _;

use crate::app::App;
use crate::core::movement;
use crate::ui::editor_view::{Decor, LineView};
use crate::ui::theme::Theme;

pub(super) struct GhostView<'a> {
    lines: Vec<&'a str>,
    style: Style,
    text_style: Style,
}

impl<'a> GhostView<'a> {
    pub(super) fn new(app: &'a App, theme: &Theme) -> Option<Self> {
        let ghost = app.visible_ghost()?;
        Some(Self {
            lines: ghost.text.split('\n').collect(),
            style: theme.text.patch(theme.ghost_text),
            text_style: theme.text,
        })
    }

    /// Rows it adds below the cursor's line.
    pub(super) fn extra_rows(&self) -> usize {
        self.lines.len().saturating_sub(1)
    }

    /// Draws it on the cursor's row (`view`), whose line has been drawn already, and on up to
    /// `rows_below` rows under it.
    pub(super) fn draw(
        &self,
        cells: &mut Cells,
        view: &LineView<'_>,
        text: &ropey::Rope,
        (pos, col): (usize, usize),
        rows_below: usize,
        matches: &[(usize, usize)],
    ) {
        let line = movement::line_of(text, pos);
        let first = self.lines.first().copied().unwrap_or_default();
        let end = Self::put(cells, view, view.y, col, first, self.style);
        let shift = end - col;
        let rest: String = text.slice(pos..movement::line_end(text, line)).to_string();
        if self.lines.len() == 1 {
            // The rest of the line, in its own colours, right of the ghost text.
            let shifted = LineView {
                text_area: Rect {
                    x: view.text_area.x.saturating_add(shift as u16),
                    width: view.text_area.width.saturating_sub(shift as u16),
                    ..view.text_area
                },
                ..*view
            };
            if shift > 0 && shifted.text_area.width > 0 {
                shifted.draw(
                    cells,
                    text,
                    line,
                    Some((pos, col)),
                    0..0,
                    matches,
                    Decor::default(),
                );
            }
            return;
        }
        // Several lines: the rest of the cursor's line goes after the last of them.
        self.clear(cells, view, view.y, end);
        for (i, ghost_line) in self.lines.iter().enumerate().skip(1) {
            if i > rows_below {
                break;
            }
            let y = view.y + i as u16;
            self.clear(cells, view, y, 0);
            let end = Self::put(cells, view, y, 0, ghost_line, self.style);
            if i + 1 == self.lines.len() {
                Self::put(cells, view, y, end, &rest, self.text_style);
            }
        }
    }

    /// Writes `s` from display column `col` (tabs expanded, clipped to the view); returns the
    /// column after it.
    fn put(
        cells: &mut Cells,
        view: &LineView<'_>,
        y: u16,
        mut col: usize,
        s: &str,
        style: Style,
    ) -> usize {
        let right = view.scroll_col + usize::from(view.text_area.width);
        for c in s.chars() {
            let (symbol, w) = match c {
                '\t' => (' ', view.tab_width.max(1) - col % view.tab_width.max(1)),
                c if c.is_control() => continue,
                c => (c, c.width().unwrap_or(0)),
            };
            if w == 0 {
                continue;
            }
            for i in 0..w {
                let at = col + i;
                if at >= view.scroll_col && at < right {
                    let x = view.text_area.x + (at - view.scroll_col) as u16;
                    if let Some(cell) = cells.cell_mut((x, y)) {
                        if i == 0 || c == '\t' {
                            cell.set_char(if c == '\t' { ' ' } else { symbol });
                        } else {
                            cell.reset();
                        }
                        cell.set_style(style);
                    }
                }
            }
            col += w;
        }
        col
    }

    /// Blanks a row of the text area from display column `col`.
    fn clear(&self, cells: &mut Cells, view: &LineView<'_>, y: u16, col: usize) {
        let from = col.max(view.scroll_col) - view.scroll_col;
        for x in from..usize::from(view.text_area.width) {
            if let Some(cell) = cells.cell_mut((view.text_area.x + x as u16, y)) {
                cell.reset();
                cell.set_style(self.text_style);
            }
        }
    }
}
