//! The command palette: every Action by name, fuzzy-filtered as the user types, with the
//! keys bound to it — the same Action table the keymap uses. The same list picks a theme,
//! previewing each one as the selection moves.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use nucleo::pattern::{CaseMatching, Normalization, Pattern};
use nucleo::{Config, Matcher, Utf32Str};

use crate::action::Action;
use crate::app::{App, Overlay};
use crate::keymap::Keymap;
use crate::ui::theme::Theme;

/// What a row stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    Action(Action),
    Theme(String),
}

/// One row: what it chooses, its label, the matched char indices in the label, and the text
/// shown on its right (an action's keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaletteRow {
    pub choice: Choice,
    pub label: String,
    pub indices: Vec<u32>,
    pub keys: String,
}

/// What the palette is listing.
#[derive(Debug, Clone, Default)]
pub enum PaletteKind {
    #[default]
    Commands,
    /// Theme names; moving previews them, and Esc puts `previous` back.
    Themes { previous: Box<Theme> },
}

#[derive(Debug, Clone, Default)]
pub struct Palette {
    pub query: String,
    pub selected: usize,
    pub rows: Vec<PaletteRow>,
    pub kind: PaletteKind,
    /// Everything listable, in the order shown for an empty query: (choice, label, right side).
    entries: Vec<(Choice, String, String)>,
}

/// The label an action is listed and matched by.
fn label(action: Action) -> String {
    format!("{} ({})", action.description(), action.name())
}

impl Palette {
    /// Every action, with the keys bound to it.
    pub fn new(keymap: &Keymap) -> Self {
        let entries = Action::ALL
            .iter()
            .map(|&action| {
                let keys = keymap
                    .keys_for(action)
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                (Choice::Action(action), label(action), keys)
            })
            .collect();
        let mut palette = Self {
            entries,
            ..Self::default()
        };
        palette.refresh();
        palette
    }

    /// Theme names, starting on the one in use (`previous`), which is marked.
    pub fn themes(names: Vec<String>, previous: Theme) -> Self {
        let current = previous.name().to_string();
        let entries = names
            .into_iter()
            .map(|name| {
                let mark = if name == current { "current" } else { "" };
                (Choice::Theme(name.clone()), name, mark.to_string())
            })
            .collect();
        let mut palette = Self {
            entries,
            kind: PaletteKind::Themes {
                previous: Box::new(previous),
            },
            ..Self::default()
        };
        palette.refresh();
        palette.selected = palette
            .rows
            .iter()
            .position(|row| row.label == current)
            .unwrap_or(0);
        palette
    }

    /// The popup's title.
    pub fn title(&self) -> &'static str {
        match self.kind {
            PaletteKind::Commands => "Commands",
            PaletteKind::Themes { .. } => "Themes",
        }
    }

    /// Re-ranks the entries for the current query (best first; all of them in listing order
    /// when the query is empty).
    pub fn refresh(&mut self) {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let pattern = Pattern::parse(&self.query, CaseMatching::Smart, Normalization::Smart);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize, PaletteRow)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(order, (choice, label, keys))| {
                let mut indices = Vec::new();
                let score =
                    pattern.indices(Utf32Str::new(label, &mut buf), &mut matcher, &mut indices)?;
                indices.sort_unstable();
                indices.dedup();
                Some((
                    score,
                    order,
                    PaletteRow {
                        choice: choice.clone(),
                        label: label.clone(),
                        indices,
                        keys: keys.clone(),
                    },
                ))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.rows = scored.into_iter().map(|(_, _, row)| row).collect();
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// Moves the highlighted row, staying within the list.
    pub fn move_selection(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    fn chosen(&self) -> Option<&Choice> {
        self.rows.get(self.selected).map(|row| &row.choice)
    }
}

impl App {
    pub fn open_palette(&mut self) {
        self.overlay = Overlay::Palette(Palette::new(&self.keymap));
    }

    /// The theme list, starting on the theme in use.
    pub fn open_theme_picker(&mut self) {
        let names = self.themes.available();
        self.overlay = Overlay::Palette(Palette::themes(names, self.theme.clone()));
    }

    pub(crate) fn palette_key(&mut self, key: &KeyEvent) {
        let Overlay::Palette(palette) = &mut self.overlay else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let mut changed = false;
        match key.code {
            KeyCode::Esc => {
                if let Overlay::Palette(palette) =
                    std::mem::replace(&mut self.overlay, Overlay::None)
                    && let PaletteKind::Themes { previous } = palette.kind
                {
                    self.theme = *previous;
                }
                return;
            }
            KeyCode::Enter => {
                if let Overlay::Palette(palette) =
                    std::mem::replace(&mut self.overlay, Overlay::None)
                {
                    self.palette_chosen(palette);
                }
                return;
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
        if changed {
            palette.selected = 0;
            palette.refresh();
        }
        self.preview_theme();
    }

    /// Enter in the palette: runs the action, or keeps the theme.
    fn palette_chosen(&mut self, palette: Palette) {
        let chosen = palette.chosen().cloned();
        match (chosen, palette.kind) {
            (Some(Choice::Action(action)), _) => self.run_action(action),
            (Some(Choice::Theme(name)), PaletteKind::Themes { previous }) => {
                if self.theme.name() != name {
                    match self.themes.load(&name, self.color_mode) {
                        Ok(theme) => self.theme = theme,
                        Err(e) => {
                            self.theme = *previous;
                            self.set_error(e.to_string());
                            return;
                        }
                    }
                }
                self.set_message(format!("theme: {name}"));
            }
            (None, PaletteKind::Themes { previous }) => self.theme = *previous,
            _ => {}
        }
    }

    /// Shows the highlighted theme while the theme list is open (the theme in use when
    /// nothing matches); a theme that fails to load says why and leaves the screen as it is.
    pub(crate) fn preview_theme(&mut self) {
        let Overlay::Palette(palette) = &self.overlay else {
            return;
        };
        let PaletteKind::Themes { previous } = &palette.kind else {
            return;
        };
        match palette.chosen() {
            Some(Choice::Theme(name)) if name != self.theme.name() => {
                match self.themes.load(name, self.color_mode) {
                    Ok(theme) => self.theme = theme,
                    Err(e) => self.set_error(e.to_string()),
                }
            }
            Some(_) => {}
            None => self.theme = (**previous).clone(),
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
        palette.refresh();
        assert_eq!(palette.rows[0].choice, Choice::Action(Action::Undo));
        assert_eq!(palette.rows[0].keys, "Ctrl-Z");
        let label: Vec<char> = palette.rows[0].label.chars().collect();
        let hit: String = palette.rows[0]
            .indices
            .iter()
            .map(|&i| label[i as usize])
            .collect();
        assert_eq!(hit.to_lowercase(), "undo");
        palette.query = "zzzz".into();
        palette.refresh();
        assert!(palette.rows.is_empty());
    }

    #[test]
    fn theme_list_starts_on_the_theme_in_use_and_marks_it() {
        let names = vec!["a".to_string(), "default".to_string(), "z".to_string()];
        let mut palette = Palette::themes(names, Theme::ansi());
        assert_eq!(palette.title(), "Themes");
        assert_eq!(palette.selected, 1);
        assert_eq!(palette.rows[1].keys, "current");
        assert_eq!(palette.chosen(), Some(&Choice::Theme("default".into())));
        palette.query = "z".into();
        palette.refresh();
        assert_eq!(palette.chosen(), Some(&Choice::Theme("z".into())));
    }
}
