//! Theme: the style of every UI part and syntax scope, resolved from theme TOML (Helix's
//! format: scope keys, `[palette]`, `inherits`) for the terminal's colour depth. Pure: the
//! text of each theme comes from the caller (see `crate::themes`).

mod color;
mod parse;

use std::collections::HashMap;

use ratatui::style::{Color, Modifier, Style};

pub use color::{ColorMode, nearest_256};

/// The theme used when none is configured, and the fallback when one fails to load.
pub const DEFAULT_THEME: &str = "default";

/// The syntax scopes highlighting queries capture. Every bundled theme styles each of them,
/// directly or through the dotted fallback of `Theme::highlight`.
pub const SYNTAX_SCOPES: &[&str] = &[
    "attribute",
    "comment",
    "comment.documentation",
    "constant",
    "constant.builtin",
    "constant.builtin.boolean",
    "constant.numeric",
    "constant.character",
    "constant.character.escape",
    "constructor",
    "function",
    "function.builtin",
    "function.macro",
    "function.method",
    "keyword",
    "keyword.control",
    "keyword.control.conditional",
    "keyword.control.repeat",
    "keyword.control.return",
    "keyword.control.import",
    "keyword.control.exception",
    "keyword.function",
    "keyword.operator",
    "keyword.storage",
    "keyword.storage.type",
    "keyword.storage.modifier",
    "keyword.directive",
    "label",
    "namespace",
    "operator",
    "punctuation",
    "punctuation.bracket",
    "punctuation.delimiter",
    "punctuation.special",
    "string",
    "string.regexp",
    "string.special",
    "string.special.path",
    "string.special.symbol",
    "tag",
    "type",
    "type.builtin",
    "type.enum.variant",
    "variable",
    "variable.builtin",
    "variable.parameter",
    "variable.other.member",
    "markup.heading",
    "markup.heading.marker",
    "markup.bold",
    "markup.italic",
    "markup.strikethrough",
    "markup.link.url",
    "markup.link.text",
    "markup.link.label",
    "markup.raw",
    "markup.raw.block",
    "markup.list",
    "markup.quote",
    "markup.list.checked",
    "markup.list.unchecked",
];

/// Why a theme could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    #[error("unknown theme '{0}'")]
    NotFound(String),
    #[error("theme '{theme}' inherits '{parent}', which does not exist")]
    UnknownParent { theme: String, parent: String },
    #[error("themes inherit in a cycle: {}", .chain.join(" -> "))]
    Cycle { chain: Vec<String> },
    #[error(
        "theme '{theme}'{}: {message}",
        .line.map_or_else(String::new, |n| format!(", line {n}"))
    )]
    Invalid {
        theme: String,
        line: Option<usize>,
        message: String,
    },
}

const PLAIN: Style = Style::new();

/// Declares the UI parts once: their field, their theme key, their look in ANSI colours
/// (what `default.toml` sets, and what a theme that omits the key gets) and their look
/// without colours (`NO_COLOR`, whatever the theme says, so the UI stays legible).
macro_rules! ui_parts {
    ($($field:ident => $key:literal, $ansi:expr, $mono:expr;)*) => {
        /// The styles of the editor's parts and of syntax scopes.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Theme {
            name: String,
            scopes: HashMap<String, Style>,
            $(#[doc = concat!("`", $key, "`")] pub $field: Style,)*
        }

        /// The `ui.*` keys a theme sets for the editor's parts (plus `ui.background`, which
        /// goes under `ui.text`).
        pub const UI_SCOPES: &[&str] = &[$($key,)*];

        impl Theme {
            /// The built-in look: ANSI colours only, so the terminal's own palette applies.
            pub fn ansi() -> Self {
                Self {
                    name: DEFAULT_THEME.to_string(),
                    scopes: HashMap::new(),
                    $($field: $ansi,)*
                }
            }

            /// No colours at all: only bold, dim, underline and reverse tell parts apart.
            pub fn monochrome() -> Self {
                Self {
                    name: DEFAULT_THEME.to_string(),
                    scopes: HashMap::new(),
                    $($field: $mono,)*
                }
            }

            /// Sets the UI part a `ui.*` key names; false when the key is not one.
            fn set_ui(&mut self, key: &str, style: Style) -> bool {
                match key {
                    $($key => self.$field = style,)*
                    _ => return false,
                }
                true
            }

            /// Each UI part's key and style, in declaration order.
            pub fn ui_styles(&self) -> Vec<(&'static str, Style)> {
                vec![$(($key, self.$field),)*]
            }
        }
    };
}

ui_parts! {
    text => "ui.text", PLAIN, PLAIN;
    gutter => "ui.linenr", PLAIN.fg(Color::DarkGray), PLAIN.add_modifier(Modifier::DIM);
    gutter_current => "ui.linenr.selected", PLAIN.fg(Color::Yellow), PLAIN;
    selection => "ui.selection",
        PLAIN.add_modifier(Modifier::REVERSED), PLAIN.add_modifier(Modifier::REVERSED);
    search_match => "ui.search.match",
        PLAIN.fg(Color::Black).bg(Color::Yellow),
        PLAIN.add_modifier(Modifier::UNDERLINED.union(Modifier::BOLD));
    hidden_char => "ui.virtual.whitespace",
        PLAIN.fg(Color::DarkGray), PLAIN.add_modifier(Modifier::DIM);
    ghost_text => "ui.virtual.ghost",
        PLAIN.fg(Color::DarkGray).add_modifier(Modifier::DIM), PLAIN.add_modifier(Modifier::DIM);
    status => "ui.statusline",
        PLAIN.add_modifier(Modifier::REVERSED), PLAIN.add_modifier(Modifier::REVERSED);
    status_dirty => "ui.statusline.modified",
        PLAIN.add_modifier(Modifier::REVERSED.union(Modifier::BOLD)),
        PLAIN.add_modifier(Modifier::REVERSED.union(Modifier::BOLD));
    tab_active => "ui.bufferline.active",
        PLAIN.add_modifier(Modifier::REVERSED.union(Modifier::BOLD)),
        PLAIN.add_modifier(Modifier::REVERSED.union(Modifier::BOLD));
    tab_inactive => "ui.bufferline", PLAIN.fg(Color::DarkGray), PLAIN.add_modifier(Modifier::DIM);
    message => "ui.message", PLAIN, PLAIN;
    error => "ui.error",
        PLAIN.fg(Color::Red).add_modifier(Modifier::BOLD), PLAIN.add_modifier(Modifier::BOLD);
    prompt_label => "ui.prompt",
        PLAIN.fg(Color::Cyan).add_modifier(Modifier::BOLD), PLAIN.add_modifier(Modifier::BOLD);
    dialog => "ui.dialog",
        PLAIN.fg(Color::Yellow).add_modifier(Modifier::BOLD), PLAIN.add_modifier(Modifier::BOLD);
    banner => "ui.banner",
        PLAIN.fg(Color::Black).bg(Color::Yellow),
        PLAIN.add_modifier(Modifier::REVERSED.union(Modifier::BOLD));
    popup => "ui.popup", PLAIN, PLAIN;
    picker_border => "ui.popup.border",
        PLAIN.fg(Color::DarkGray), PLAIN.add_modifier(Modifier::DIM);
    picker_match => "ui.popup.match",
        PLAIN.fg(Color::Yellow).add_modifier(Modifier::BOLD),
        PLAIN.add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED));
    picker_selected => "ui.popup.selected",
        PLAIN.add_modifier(Modifier::REVERSED), PLAIN.add_modifier(Modifier::REVERSED);
    diff_plus => "ui.diff.plus", PLAIN.fg(Color::Green), PLAIN.add_modifier(Modifier::BOLD);
    diff_minus => "ui.diff.minus", PLAIN.fg(Color::Red), PLAIN.add_modifier(Modifier::DIM);
    diff_plus_emphasis => "ui.diff.plus.emphasis",
        PLAIN.add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED)),
        PLAIN.add_modifier(Modifier::UNDERLINED);
    diff_minus_emphasis => "ui.diff.minus.emphasis",
        PLAIN.add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED)),
        PLAIN.add_modifier(Modifier::UNDERLINED);
}

impl Default for Theme {
    fn default() -> Self {
        Self::ansi()
    }
}

impl Theme {
    /// The built-in look for a colour mode: `ansi`, or `monochrome` without colours.
    pub fn builtin(mode: ColorMode) -> Self {
        if mode == ColorMode::NoColor {
            Self::monochrome()
        } else {
            Self::ansi()
        }
    }

    /// Builds theme `name`: `source_of` returns a theme's TOML text by name (for `name` and
    /// every theme it inherits from); colours are fitted to `mode`. UI keys the theme omits
    /// keep the built-in look; without colours the UI keeps the monochrome look whatever the
    /// theme says, and syntax scopes keep only their modifiers.
    pub fn resolve(
        name: &str,
        source_of: impl Fn(&str) -> Option<String>,
        mode: ColorMode,
    ) -> Result<Self, ThemeError> {
        let merged = parse::merge(name, &source_of)?;
        let mut theme = Self::builtin(mode);
        theme.name = name.to_string();
        let mut background = None;
        for (scope, (owner, value)) in &merged.scopes {
            let style = parse::style(value, &merged.palette)
                .map_err(|message| merged.invalid(owner, scope, message))?;
            let style = mode.fit_style(style);
            if mode != ColorMode::NoColor {
                if scope == "ui.background" {
                    background = Some(style);
                } else {
                    theme.set_ui(scope, style);
                }
            }
            theme.scopes.insert(scope.clone(), style);
        }
        if let Some(background) = background {
            theme.text = background.patch(theme.text);
        }
        Ok(theme)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The style set for exactly `scope`, if the theme (or one it inherits) sets it.
    pub fn get(&self, scope: &str) -> Option<Style> {
        self.scopes.get(scope).copied()
    }

    /// The style of a syntax scope, falling back from "a.b.c" to "a.b" to "a", and then to
    /// no style at all (the text's own). Meant to be patched over `text`.
    pub fn highlight(&self, scope: &str) -> Style {
        let mut scope = scope;
        loop {
            if let Some(style) = self.scopes.get(scope) {
                return *style;
            }
            match scope.rfind('.') {
                Some(dot) => scope = &scope[..dot],
                None => return Style::new(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(themes: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            themes
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| (*t).to_string())
        }
    }

    const BASE: &str = r##"
"keyword" = "purple"
"keyword.control" = { fg = "purple", modifiers = ["bold"] }
"comment" = { fg = "grey", modifiers = ["italic"] }
"ui.text" = { fg = "fg", bg = "bg" }
"ui.selection" = { bg = "sel" }
"string" = 114

[palette]
purple = "#c678dd"
grey = "#5c6370"
fg = "#abb2bf"
bg = "#282c34"
sel = "light-blue"
"##;

    #[test]
    fn palette_shorthand_and_tables() {
        let theme =
            Theme::resolve("base", sources(&[("base", BASE)]), ColorMode::TrueColor).unwrap();
        let purple = Color::Rgb(0xc6, 0x78, 0xdd);
        assert_eq!(theme.name(), "base");
        assert_eq!(theme.highlight("keyword"), Style::new().fg(purple));
        assert_eq!(
            theme.highlight("keyword.control"),
            Style::new().fg(purple).add_modifier(Modifier::BOLD)
        );
        assert_eq!(theme.highlight("string").fg, Some(Color::Indexed(114)));
        assert_eq!(
            theme.text,
            Style::new()
                .fg(Color::Rgb(0xab, 0xb2, 0xbf))
                .bg(Color::Rgb(0x28, 0x2c, 0x34))
        );
        assert_eq!(theme.selection, Style::new().bg(Color::LightBlue));
        // What the theme leaves out keeps the ANSI look.
        assert_eq!(theme.gutter_current, Theme::ansi().gutter_current);
    }

    #[test]
    fn lookup_falls_back_along_the_dots() {
        let theme =
            Theme::resolve("base", sources(&[("base", BASE)]), ColorMode::TrueColor).unwrap();
        assert_eq!(
            theme.highlight("keyword.control.repeat"),
            theme.highlight("keyword.control")
        );
        assert_eq!(
            theme.highlight("keyword.function"),
            theme.highlight("keyword")
        );
        assert_eq!(
            theme.highlight("comment.documentation").fg,
            Some(Color::Rgb(0x5c, 0x63, 0x70))
        );
        assert_eq!(theme.highlight("variable.parameter"), Style::new());
        assert_eq!(theme.highlight(""), Style::new());
    }

    #[test]
    fn inherits_chains_override_key_by_key_and_share_palettes() {
        let themes: &[(&str, &str)] = &[
            ("base", BASE),
            ("middle", "inherits = \"base\"\n\"comment\" = \"red\"\n"),
            (
                "top",
                "inherits = \"middle\"\n\"keyword.control\" = \"green\"\n[palette]\npurple = \"#000001\"\n",
            ),
        ];
        let theme = Theme::resolve("top", sources(themes), ColorMode::TrueColor).unwrap();
        assert_eq!(theme.highlight("comment"), Style::new().fg(Color::Red));
        assert_eq!(
            theme.highlight("keyword.control"),
            Style::new().fg(Color::Green)
        );
        // The parent's "keyword" uses the child's redefined palette entry.
        assert_eq!(theme.highlight("keyword").fg, Some(Color::Rgb(0, 0, 1)));
        assert_eq!(theme.text.bg, Some(Color::Rgb(0x28, 0x2c, 0x34)));
    }

    #[test]
    fn cycles_and_missing_parents_are_errors() {
        let themes: &[(&str, &str)] = &[
            ("a", "inherits = \"b\""),
            ("b", "inherits = \"c\""),
            ("c", "inherits = \"a\""),
            ("self", "inherits = \"self\""),
            ("orphan", "inherits = \"nobody\""),
        ];
        let err = Theme::resolve("a", sources(themes), ColorMode::TrueColor).unwrap_err();
        assert_eq!(
            err,
            ThemeError::Cycle {
                chain: vec!["a".into(), "b".into(), "c".into(), "a".into()]
            }
        );
        assert_eq!(
            err.to_string(),
            "themes inherit in a cycle: a -> b -> c -> a"
        );
        assert!(matches!(
            Theme::resolve("self", sources(themes), ColorMode::TrueColor),
            Err(ThemeError::Cycle { .. })
        ));
        assert_eq!(
            Theme::resolve("orphan", sources(themes), ColorMode::TrueColor).unwrap_err(),
            ThemeError::UnknownParent {
                theme: "orphan".into(),
                parent: "nobody".into()
            }
        );
        assert_eq!(
            Theme::resolve("zzz", sources(themes), ColorMode::TrueColor).unwrap_err(),
            ThemeError::NotFound("zzz".into())
        );
    }

    #[test]
    fn errors_name_the_theme_and_line() {
        let themes: &[(&str, &str)] = &[
            ("syntax", "\"keyword\" = \"red\"\n\"comment\" = { fg = \n"),
            (
                "colour",
                "\"keyword\" = \"red\"\n\n\"comment\" = \"purpel\"\n",
            ),
            ("modifier", "\"keyword\" = { modifiers = [\"blod\"] }\n"),
            ("palette", "[palette]\nx = \"#12345\"\n"),
            ("index", "\"keyword\" = 300\n"),
            ("parent", "inherits = \"colour\"\n"),
        ];
        let msg = |name| {
            Theme::resolve(name, sources(themes), ColorMode::TrueColor)
                .unwrap_err()
                .to_string()
        };
        assert!(
            msg("syntax").starts_with("theme 'syntax', line 2: "),
            "{}",
            msg("syntax")
        );
        assert_eq!(
            msg("colour"),
            "theme 'colour', line 3: unknown colour \"purpel\": not #rrggbb, an ANSI colour \
             name or 0-255, and not in [palette]"
        );
        assert!(msg("modifier").contains("line 1: unknown modifier \"blod\""));
        assert!(msg("palette").starts_with("theme 'palette', line 2: unknown colour"));
        assert!(msg("index").contains("300 is not in 0-255"));
        // A mistake in a parent is reported where it is.
        assert!(msg("parent").starts_with("theme 'colour', line 3"));
    }

    #[test]
    fn colour_modes() {
        let src = sources(&[("base", BASE)]);
        let theme = Theme::resolve("base", &src, ColorMode::Ansi256).unwrap();
        // #c678dd → the cube's #d787d7.
        assert_eq!(theme.highlight("keyword").fg, Some(Color::Indexed(176)));
        assert_eq!(theme.text.bg, Some(Color::Indexed(236)));
        assert_eq!(
            theme.selection.bg,
            Some(Color::LightBlue),
            "ANSI names stay"
        );

        let mono = Theme::resolve("base", &src, ColorMode::NoColor).unwrap();
        assert_eq!(
            mono.highlight("keyword.control"),
            Style::new().add_modifier(Modifier::BOLD)
        );
        assert_eq!(mono.highlight("keyword"), Style::new());
        assert_eq!(
            mono.highlight("comment"),
            Style::new().add_modifier(Modifier::ITALIC)
        );
        // The UI keeps its monochrome look whatever the theme says.
        assert_eq!(mono.ui_styles(), Theme::monochrome().ui_styles());
        assert_eq!(mono.name(), "base");
    }

    #[test]
    fn nested_tables_and_background() {
        const SRC: &str = "\"ui.background\" = { bg = \"black\" }\n[ui]\ntext = \"white\"\nstatusline = { fg = \"red\", bg = \"blue\" }\n";
        let theme =
            Theme::resolve("nested", sources(&[("nested", SRC)]), ColorMode::TrueColor).unwrap();
        assert_eq!(theme.text, Style::new().fg(Color::White).bg(Color::Black));
        assert_eq!(theme.status, Style::new().fg(Color::Red).bg(Color::Blue));
    }
}
