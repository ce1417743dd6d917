//! The data files bundled into the binary: every one loads, and together they cover what
//! the code asks of them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use caret::themes::{BUNDLED, Catalog};
use caret::ui::theme::{ColorMode, SYNTAX_SCOPES, Theme, UI_SCOPES};
use ratatui::style::{Color, Style};

fn load(name: &str, mode: ColorMode) -> Theme {
    Catalog::bundled_only()
        .load(name, mode)
        .unwrap_or_else(|e| panic!("bundled theme {name} in {mode:?}: {e}"))
}

#[test]
fn every_bundled_theme_loads() {
    assert!(
        BUNDLED.len() >= 4,
        "the default plus at least three truecolor themes"
    );
    for (name, _) in BUNDLED {
        for &mode in ColorMode::ALL {
            let theme = load(name, mode);
            assert_eq!(theme.name(), *name);
            for scope in UI_SCOPES {
                assert!(
                    theme.get(scope).is_some() || mode == ColorMode::NoColor,
                    "{name} does not set {scope}"
                );
            }
            let colours = theme
                .ui_styles()
                .into_iter()
                .flat_map(|(_, s)| [s.fg, s.bg]);
            for colour in colours.flatten() {
                match mode {
                    ColorMode::NoColor => panic!("{name}: a colour under NO_COLOR"),
                    ColorMode::Ansi256 => assert!(!matches!(colour, Color::Rgb(..)), "{name}"),
                    ColorMode::Ansi16 => assert!(
                        !matches!(colour, Color::Rgb(..) | Color::Indexed(_)),
                        "{name}"
                    ),
                    ColorMode::TrueColor => {}
                }
            }
        }
    }
    assert_eq!(Catalog::bundled_only().available(), {
        let mut names: Vec<String> = BUNDLED.iter().map(|(n, _)| (*n).to_string()).collect();
        names.sort();
        names
    });
}

#[test]
fn default_theme_styles_every_syntax_scope() {
    for (name, _) in BUNDLED {
        let theme = load(name, ColorMode::TrueColor);
        for scope in SYNTAX_SCOPES {
            assert_ne!(
                theme.highlight(scope),
                Style::new(),
                "{name} leaves {scope} unstyled"
            );
        }
    }
}

#[test]
fn default_theme_is_the_built_in_ansi_look() {
    for &mode in &[ColorMode::TrueColor, ColorMode::Ansi256, ColorMode::Ansi16] {
        let theme = load("default", mode);
        assert_eq!(theme.ui_styles(), Theme::ansi().ui_styles(), "{mode:?}");
        for scope in SYNTAX_SCOPES {
            let style = theme.highlight(scope);
            for colour in [style.fg, style.bg].into_iter().flatten() {
                assert!(
                    !matches!(colour, Color::Rgb(..) | Color::Indexed(_)),
                    "default.toml uses ANSI names only: {scope} is {colour:?}"
                );
            }
        }
    }
    assert_eq!(
        load("default", ColorMode::NoColor).ui_styles(),
        Theme::monochrome().ui_styles()
    );
}

/// Perceived lightness of the background, 0–255.
fn lightness(color: Option<Color>) -> u32 {
    let Some(Color::Rgb(r, g, b)) = color else {
        panic!("not a truecolor background: {color:?}");
    };
    (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000
}

#[test]
fn truecolor_themes_paint_their_background_and_include_a_light_one() {
    let mut light = 0;
    let mut dark = 0;
    for (name, _) in BUNDLED.iter().filter(|(n, _)| *n != "default") {
        let theme = load(name, ColorMode::TrueColor);
        assert!(
            matches!(theme.text.fg, Some(Color::Rgb(..))),
            "{name} sets its text colour"
        );
        let bg = lightness(theme.text.bg);
        let fg = lightness(theme.text.fg);
        assert!(
            bg.abs_diff(fg) > 90,
            "{name}: text stands out from the background"
        );
        if bg > 128 { light += 1 } else { dark += 1 }
    }
    assert!(light >= 1 && dark >= 1, "light {light}, dark {dark}");
}

#[test]
fn every_bundled_query_compiles_and_its_captures_have_a_style_in_every_theme() {
    let registry = caret::syntax::registry::Registry::new(None);
    let themes: Vec<_> = BUNDLED
        .iter()
        .map(|(name, _)| load(name, ColorMode::TrueColor))
        .collect();
    let languages = registry.languages().all();
    assert!(languages.len() >= 14, "the bundled language table loads");
    for (index, lang) in languages.iter().enumerate() {
        let config = registry
            .config(index)
            .unwrap_or_else(|| panic!("{}: queries do not compile", lang.name));
        assert!(
            registry.take_problems().is_empty(),
            "{}: problems compiling",
            lang.name
        );
        for (capture, name) in config.query.capture_names().iter().enumerate() {
            if !config.paints[capture] {
                continue;
            }
            assert!(
                SYNTAX_SCOPES.contains(name),
                "{}: capture @{name} is not a scope themes know",
                lang.name
            );
            for theme in &themes {
                assert_ne!(
                    theme.highlight(name),
                    Style::new(),
                    "{}: theme {} leaves @{name} unstyled",
                    lang.name,
                    theme.name()
                );
            }
        }
    }
    assert!(
        caret::syntax::registry::EMBEDDED_QUERIES
            .iter()
            .all(|(name, _, _)| registry.languages().by_name(name).is_some()),
        "every embedded query belongs to a language in languages.toml"
    );
}
