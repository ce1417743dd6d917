//! Key combinations → Actions: the defaults of DESIGN.md, overridden from config.toml.

use std::collections::HashMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::Action;

/// A key with its modifiers, normalised so that what the terminal sends and what a user
/// writes in config.toml compare equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyCombo {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl KeyCombo {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Self {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            // Shift is already in the character itself ('A'), and BackTab is Shift-Tab.
            KeyCode::Char(c)
                if !modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c)
            }
            KeyCode::Char(c) => {
                if c.is_ascii_uppercase() {
                    modifiers.insert(KeyModifiers::SHIFT);
                }
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::BackTab => {
                modifiers.insert(KeyModifiers::SHIFT);
                KeyCode::Tab
            }
            other => other,
        };
        Self { code, modifiers }
    }

    pub fn from_event(key: &KeyEvent) -> Self {
        // Terminals send Ctrl-\ as the control byte 0x1c, which crossterm reports as Ctrl-4.
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('4') {
            return Self::new(KeyCode::Char('\\'), key.modifiers);
        }
        Self::new(key.code, key.modifiers)
    }

    /// Parses "ctrl-s", "shift-left", "alt-right", "ctrl-home", "f3", "esc", "ctrl-\\".
    pub fn parse(text: &str) -> Result<Self, String> {
        let lower = text.trim().to_ascii_lowercase();
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = lower.as_str();
        while let Some((head, tail)) = rest.split_once('-') {
            if tail.is_empty() {
                break; // "ctrl--" names the minus key.
            }
            match head {
                "ctrl" | "c" => modifiers |= KeyModifiers::CONTROL,
                "alt" | "a" | "meta" | "m" => modifiers |= KeyModifiers::ALT,
                "shift" | "s" => modifiers |= KeyModifiers::SHIFT,
                _ => return Err(format!("unknown modifier '{head}' in key '{text}'")),
            }
            rest = tail;
        }
        let code = match rest {
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "enter" | "ret" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" | "bs" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "space" => KeyCode::Char(' '),
            "minus" => KeyCode::Char('-'),
            f if f.starts_with('f') && f.len() > 1 && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            s if s.chars().count() == 1 => KeyCode::Char(s.chars().next().unwrap_or(' ')),
            _ => return Err(format!("unknown key '{text}'")),
        };
        Ok(Self::new(code, modifiers))
    }
}

impl fmt::Display for KeyCombo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.modifiers;
        if m.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if m.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if m.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The default bindings (DESIGN.md's key table plus the usual editing keys).
pub const DEFAULT_KEYS: &[(&str, Action)] = &[
    ("ctrl-s", Action::Save),
    ("alt-s", Action::SaveAs),
    ("ctrl-q", Action::Quit),
    ("ctrl-z", Action::Undo),
    ("ctrl-y", Action::Redo),
    ("ctrl-shift-z", Action::Redo),
    ("ctrl-f", Action::Find),
    ("ctrl-r", Action::Replace),
    ("f3", Action::FindNext),
    ("shift-f3", Action::FindPrevious),
    ("f8", Action::NextDiagnostic),
    ("shift-f8", Action::PreviousDiagnostic),
    ("ctrl-t", Action::AiFix),
    ("ctrl-p", Action::FilePicker),
    ("ctrl-g", Action::GotoLine),
    ("ctrl-w", Action::CloseBuffer),
    ("alt-left", Action::PreviousBuffer),
    ("alt-right", Action::NextBuffer),
    ("ctrl-c", Action::Copy),
    ("ctrl-x", Action::Cut),
    ("ctrl-v", Action::Paste),
    ("ctrl-a", Action::SelectAll),
    ("left", Action::MoveLeft),
    ("right", Action::MoveRight),
    ("up", Action::MoveUp),
    ("down", Action::MoveDown),
    ("shift-left", Action::SelectLeft),
    ("shift-right", Action::SelectRight),
    ("shift-up", Action::SelectUp),
    ("shift-down", Action::SelectDown),
    ("ctrl-left", Action::WordLeft),
    ("ctrl-right", Action::WordRight),
    ("ctrl-shift-left", Action::SelectWordLeft),
    ("ctrl-shift-right", Action::SelectWordRight),
    ("home", Action::LineStart),
    ("end", Action::LineEnd),
    ("shift-home", Action::SelectLineStart),
    ("shift-end", Action::SelectLineEnd),
    ("pageup", Action::PageUp),
    ("pagedown", Action::PageDown),
    ("shift-pageup", Action::SelectPageUp),
    ("shift-pagedown", Action::SelectPageDown),
    ("ctrl-home", Action::DocumentStart),
    ("ctrl-end", Action::DocumentEnd),
    ("ctrl-shift-home", Action::SelectDocumentStart),
    ("ctrl-shift-end", Action::SelectDocumentEnd),
    ("backspace", Action::Backspace),
    ("delete", Action::Delete),
    ("ctrl-backspace", Action::DeleteWordLeft),
    ("alt-backspace", Action::DeleteWordLeft),
    ("ctrl-delete", Action::DeleteWordRight),
    ("enter", Action::Newline),
    ("tab", Action::Indent),
    ("shift-tab", Action::Outdent),
    ("esc", Action::Escape),
    ("ctrl-\\", Action::CommandPalette),
    ("ctrl-l", Action::AiChat),
    ("ctrl-e", Action::AiExplain),
    ("ctrl-o", Action::AiInspect),
    ("ctrl-k", Action::AiEdit),
    ("alt-a", Action::AiApply),
    ("alt-r", Action::AiRetry),
];

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: HashMap<KeyCombo, Action>,
}

impl Keymap {
    /// The defaults with `overrides` applied; returns the problems found in the overrides
    /// (unknown keys or actions), which are skipped.
    pub fn new<'a>(
        overrides: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) -> (Self, Vec<String>) {
        let mut bindings = HashMap::new();
        for (key, action) in DEFAULT_KEYS {
            if let Ok(combo) = KeyCombo::parse(key) {
                bindings.insert(combo, *action);
            }
        }
        let mut problems = Vec::new();
        for (key, name) in overrides {
            let combo = match KeyCombo::parse(key) {
                Ok(c) => c,
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            };
            if name == "none" {
                bindings.remove(&combo);
            } else if let Some(action) = Action::from_name(name) {
                bindings.insert(combo, action);
            } else {
                problems.push(format!("unknown action '{name}' for key '{key}'"));
            }
        }
        (Self { bindings }, problems)
    }

    pub fn action_for(&self, key: &KeyEvent) -> Option<Action> {
        self.bindings.get(&KeyCombo::from_event(key)).copied()
    }

    /// The keys bound to `action`, for help texts.
    pub fn keys_for(&self, action: Action) -> Vec<KeyCombo> {
        let mut keys: Vec<_> = self
            .bindings
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|(k, _)| *k)
            .collect();
        keys.sort_by_key(ToString::to_string);
        keys
    }
}

impl Default for Keymap {
    fn default() -> Self {
        Self::new(std::iter::empty()).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn terminal_events_match_config_names() {
        let km = Keymap::default();
        assert_eq!(
            km.action_for(&ev(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            Some(Action::Save)
        );
        assert_eq!(
            km.action_for(&ev(KeyCode::Left, KeyModifiers::SHIFT)),
            Some(Action::SelectLeft)
        );
        assert_eq!(
            km.action_for(&ev(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::Outdent)
        );
        assert_eq!(
            km.action_for(&ev(
                KeyCode::Char('Z'),
                KeyModifiers::CONTROL | KeyModifiers::SHIFT
            )),
            Some(Action::Redo)
        );
        assert_eq!(
            km.action_for(&ev(KeyCode::Char('s'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn overrides_rebind_unbind_and_report_problems() {
        let overrides: Vec<(String, String)> = vec![
            ("ctrl-s".into(), "none".into()),
            ("f2".into(), "save".into()),
            ("ctrl-?x".into(), "save".into()),
            ("ctrl-b".into(), "fly".into()),
        ];
        let (km, problems) = Keymap::new(overrides.iter().map(|(a, b)| (a, b)));
        assert_eq!(
            km.action_for(&ev(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(
            km.action_for(&ev(KeyCode::F(2), KeyModifiers::NONE)),
            Some(Action::Save)
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[1].contains("fly"));
    }
}
