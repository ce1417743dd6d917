//! The command palette: every Action by name, fuzzy-filtered as the user types, with the
//! keys bound to it — the same Action table the keymap uses.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use nucleo::pattern::{CaseMatching, Normalization, Pattern};
use nucleo::{Config, Matcher, Utf32Str};

use crate::action::Action;
use crate::app::{App, Overlay};
use crate::keymap::Keymap;

/// One row: the action, its label, the matched char indices in the label, and its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaletteRow {
    pub action: Action,
    pub label: String,
    pub indices: Vec<u32>,
    pub keys: String,
}

#[derive(Debug, Clone, Default)]
pub struct Palette {
    pub query: String,
    pub selected: usize,
    pub rows: Vec<PaletteRow>,
}

/// The label an action is listed and matched by.
fn label(action: Action) -> String {
    format!("{} ({})", action.description(), action.name())
}

impl Palette {
    pub fn new(keymap: &Keymap) -> Self {
        let mut palette = Self::default();
        palette.refresh(keymap);
        palette
    }

    /// Re-ranks the actions for the current query (best first; all of them in table order
    /// when the query is empty).
    pub fn refresh(&mut self, keymap: &Keymap) {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let pattern = Pattern::parse(&self.query, CaseMatching::Smart, Normalization::Smart);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize, PaletteRow)> = Action::ALL
            .iter()
            .enumerate()
            .filter_map(|(order, &action)| {
                let label = label(action);
                let mut indices = Vec::new();
                let score =
                    pattern.indices(Utf32Str::new(&label, &mut buf), &mut matcher, &mut indices)?;
                indices.sort_unstable();
                indices.dedup();
                let keys = keymap
                    .keys_for(action)
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                Some((
                    score,
                    order,
                    PaletteRow {
                        action,
                        label,
                        indices,
                        keys,
                    },
                ))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.rows = scored.into_iter().map(|(_, _, row)| row).collect();
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }
}

impl Palette {
    /// Moves the highlighted row, staying within the list.
    pub fn move_selection(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }
}

impl App {
    pub fn open_palette(&mut self) {
        self.overlay = Overlay::Palette(Palette::new(&self.keymap));
    }

    pub(crate) fn palette_key(&mut self, key: &KeyEvent) {
        let Overlay::Palette(palette) = &mut self.overlay else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let mut changed = false;
        match key.code {
            KeyCode::Esc => self.overlay = Overlay::None,
            KeyCode::Enter => {
                let chosen = palette.rows.get(palette.selected).map(|row| row.action);
                self.overlay = Overlay::None;
                if let Some(action) = chosen {
                    self.run_action(action);
                }
            }
            KeyCode::Up => palette.move_selection(-1),
            KeyCode::Down => palette.move_selection(1),
            KeyCode::Char('p') if ctrl => palette.move_selection(-1),
            KeyCode::Char('n') if ctrl => palette.move_selection(1),
            KeyCode::Char('u') if ctrl => {
                palette.query.clear();
                changed = true;
            }
            KeyCode::Backspace => changed = palette.query.pop().is_some(),
            KeyCode::Char(c) if !ctrl => {
                palette.query.push(c);
                changed = true;
            }
            _ => {}
        }
        if changed && let Overlay::Palette(palette) = &mut self.overlay {
            palette.selected = 0;
            palette.refresh(&self.keymap);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_listed_and_queries_rank_by_name() {
        let keymap = Keymap::default();
        let mut palette = Palette::new(&keymap);
        assert_eq!(palette.rows.len(), Action::ALL.len());
        palette.query = "undo".into();
        palette.refresh(&keymap);
        assert_eq!(palette.rows[0].action, Action::Undo);
        assert_eq!(palette.rows[0].keys, "Ctrl-Z");
        let label: Vec<char> = palette.rows[0].label.chars().collect();
        let hit: String = palette.rows[0]
            .indices
            .iter()
            .map(|&i| label[i as usize])
            .collect();
        assert_eq!(hit.to_lowercase(), "undo");
        palette.query = "zzzz".into();
        palette.refresh(&keymap);
        assert!(palette.rows.is_empty());
    }
}
