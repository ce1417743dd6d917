//! Where themes come from: the ones bundled in the binary and the user's
//! `<config dir>/themes/<name>.toml` files, which take precedence over bundled ones of the
//! same name. Reads the files; `ui::theme` does the parsing.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use crate::ui::theme::{ColorMode, Theme, ThemeError};

/// The themes compiled into caret: (name, TOML text).
pub const BUNDLED: &[(&str, &str)] = &[
    ("default", include_str!("../themes/default.toml")),
    (
        "catppuccin-mocha",
        include_str!("../themes/catppuccin-mocha.toml"),
    ),
    ("gruvbox-dark", include_str!("../themes/gruvbox-dark.toml")),
    ("one-light", include_str!("../themes/one-light.toml")),
    (
        "solarized-light",
        include_str!("../themes/solarized-light.toml"),
    ),
    ("tokyonight", include_str!("../themes/tokyonight.toml")),
];

/// Why a theme could not be loaded, worded for the status line.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("unknown theme '{name}' (available: {})", .available.join(", "))]
    Unknown {
        name: String,
        available: Vec<String>,
    },
    #[error(
        "theme '{theme}' inherits unknown theme '{parent}' (available: {})",
        .available.join(", ")
    )]
    UnknownParent {
        theme: String,
        parent: String,
        available: Vec<String>,
    },
    #[error("'{0}' is not a theme name (letters, digits, '-', '_' and '.')")]
    BadName(String),
    #[error("cannot read theme {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}{}: {message}", .line.map_or_else(String::new, |n| format!(":{n}")))]
    Invalid {
        /// The user's file, or "themes/<name>.toml (bundled)".
        file: String,
        line: Option<usize>,
        message: String,
    },
    #[error(transparent)]
    Theme(ThemeError),
}

/// The places themes are looked up in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// The user's theme folder; None for the bundled themes only.
    dir: Option<PathBuf>,
}

/// A name that can only mean a file directly inside the theme folder.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn bundled(name: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

impl Catalog {
    /// Bundled themes plus the `.toml` files of `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: Some(dir.into()),
        }
    }

    pub fn bundled_only() -> Self {
        Self { dir: None }
    }

    /// Bundled themes plus `<config dir>/themes`.
    pub fn user() -> Self {
        Self::new(crate::config::config_dir().join("themes"))
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    fn user_path(&self, name: &str) -> Option<PathBuf> {
        self.dir
            .as_ref()
            .filter(|_| valid_name(name))
            .map(|d| d.join(format!("{name}.toml")))
    }

    /// The TOML text of theme `name`: the user's file if there is one, else the bundled one.
    pub fn source(&self, name: &str) -> Result<Option<String>, LoadError> {
        if !valid_name(name) {
            return Err(LoadError::BadName(name.to_string()));
        }
        if let Some(path) = self.user_path(name) {
            match std::fs::read_to_string(&path) {
                Ok(text) => return Ok(Some(text)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(LoadError::Read { path, source }),
            }
        }
        Ok(bundled(name).map(str::to_string))
    }

    /// Every theme name, bundled and the user's, sorted and without repeats.
    pub fn available(&self) -> Vec<String> {
        let mut names: Vec<String> = BUNDLED.iter().map(|(n, _)| (*n).to_string()).collect();
        if let Some(entries) = self.dir.as_ref().and_then(|d| std::fs::read_dir(d).ok()) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "toml")
                    && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
                    && valid_name(stem)
                {
                    names.push(stem.to_string());
                }
            }
        }
        names.sort();
        names.dedup();
        names
    }

    /// Where theme `name` comes from, for error messages.
    fn origin(&self, name: &str) -> String {
        match self.user_path(name) {
            Some(path) if path.is_file() => path.display().to_string(),
            _ => format!("themes/{name}.toml (bundled)"),
        }
    }

    /// Builds theme `name` for `mode`, following `inherits` through user and bundled themes.
    pub fn load(&self, name: &str, mode: ColorMode) -> Result<Theme, LoadError> {
        // The resolver only asks "is there a theme called X"; a file that exists but cannot
        // be read is kept aside and reported as itself rather than as a missing theme.
        let read_error = RefCell::new(None);
        let source_of = |n: &str| match self.source(n) {
            Ok(text) => text,
            Err(e) => {
                read_error.borrow_mut().get_or_insert(e);
                None
            }
        };
        let result = Theme::resolve(name, source_of, mode);
        if let Some(e) = read_error.into_inner() {
            return Err(e);
        }
        result.map_err(|e| match e {
            ThemeError::NotFound(name) => LoadError::Unknown {
                name,
                available: self.available(),
            },
            ThemeError::UnknownParent { theme, parent } => LoadError::UnknownParent {
                theme,
                parent,
                available: self.available(),
            },
            ThemeError::Invalid {
                theme,
                line,
                message,
            } => LoadError::Invalid {
                file: self.origin(&theme),
                line,
                message,
            },
            e @ ThemeError::Cycle { .. } => LoadError::Theme(e),
        })
    }
}

/// Every theme name available to the user.
pub fn available() -> Vec<String> {
    Catalog::user().available()
}

/// Loads theme `name` from the user's folder or the bundled set.
pub fn load(name: &str, mode: ColorMode) -> Result<Theme, LoadError> {
    Catalog::user().load(name, mode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    #[test]
    fn user_themes_override_bundled_ones_and_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("gruvbox-dark.toml"),
            "\"keyword\" = \"#010203\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("mine.toml"),
            "inherits = \"tokyonight\"\n\"comment\" = \"light-cyan\"\n\"tag\" = \"red\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), "").unwrap();
        let catalog = Catalog::new(dir.path());
        let names = catalog.available();
        assert!(names.contains(&"mine".to_string()));
        assert!(!names.contains(&"notes".to_string()));
        assert_eq!(names.iter().filter(|n| *n == "gruvbox-dark").count(), 1);
        assert!(names.is_sorted());

        let over = catalog.load("gruvbox-dark", ColorMode::TrueColor).unwrap();
        assert_eq!(over.highlight("keyword").fg, Some(Color::Rgb(1, 2, 3)));
        assert_eq!(
            over.highlight("string").fg,
            None,
            "the whole file is replaced"
        );
        let mine = catalog.load("mine", ColorMode::TrueColor).unwrap();
        assert_eq!(mine.highlight("comment").fg, Some(Color::LightCyan));
        // Palette names come before ANSI names, the parent's palette included.
        assert_eq!(mine.highlight("tag").fg, Some(Color::Rgb(0xf7, 0x76, 0x8e)));
        assert_eq!(
            mine.text.bg,
            Some(Color::Rgb(0x1a, 0x1b, 0x26)),
            "inherited from the bundled theme"
        );
    }

    #[test]
    fn errors_list_themes_and_name_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("broken.toml"),
            "\"keyword\" = \"red\"\nx = = 1\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("child.toml"), "inherits = \"nope\"\n").unwrap();
        let catalog = Catalog::new(dir.path());
        let msg = catalog
            .load("nonesuch", ColorMode::TrueColor)
            .unwrap_err()
            .to_string();
        assert!(
            msg.starts_with("unknown theme 'nonesuch' (available: "),
            "{msg}"
        );
        assert!(
            msg.contains("gruvbox-dark") && msg.contains("broken"),
            "{msg}"
        );
        let msg = catalog
            .load("broken", ColorMode::TrueColor)
            .unwrap_err()
            .to_string();
        let file = dir.path().join("broken.toml").display().to_string();
        assert!(msg.starts_with(&format!("{file}:2: ")), "{msg}");
        let msg = catalog
            .load("child", ColorMode::TrueColor)
            .unwrap_err()
            .to_string();
        assert!(
            msg.starts_with("theme 'child' inherits unknown theme 'nope' (available: "),
            "{msg}"
        );
        assert!(matches!(
            catalog.load("../etc/passwd", ColorMode::TrueColor),
            Err(LoadError::BadName(_))
        ));
    }
}
