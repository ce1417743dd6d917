//! Colour values of themes: parsing names, hex and indexes, the terminal's colour depth
//! (`ColorMode`) and fitting a truecolor theme into 256 or 16 colours.

use ratatui::style::{Color, Style};

/// How many colours the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColorMode {
    /// 24-bit RGB (`COLORTERM=truecolor` or `24bit`).
    TrueColor,
    /// The xterm 256-colour palette: RGB is mapped to the nearest cube or grey entry.
    Ansi256,
    /// The 16 ANSI colours only (the Linux console): RGB goes to the nearest of them.
    Ansi16,
    /// No colours at all (`NO_COLOR`): only bold, italic, reverse and the like remain.
    NoColor,
}

impl ColorMode {
    /// Every mode, for tests that try a theme in each.
    pub const ALL: &[ColorMode] = &[Self::TrueColor, Self::Ansi256, Self::Ansi16, Self::NoColor];

    /// Reads the conventions terminals and users agree on: `NO_COLOR` (any non-empty value)
    /// wins; `COLORTERM=truecolor|24bit` announces RGB; the Linux console has 16 colours;
    /// anything else is assumed to have the 256 that every current emulator supports.
    /// `env` looks a variable up (`|k| std::env::var(k).ok()` in the binary).
    pub fn detect(env: impl Fn(&str) -> Option<String>) -> Self {
        if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return Self::NoColor;
        }
        let colorterm = env("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" {
            return Self::TrueColor;
        }
        if env("TERM").is_some_and(|t| t == "linux") {
            return Self::Ansi16;
        }
        Self::Ansi256
    }

    /// The colour as this terminal can show it (None: no colour).
    pub fn fit(self, color: Color) -> Option<Color> {
        match (self, color) {
            (Self::NoColor, _) => None,
            (Self::Ansi256, Color::Rgb(r, g, b)) => Some(Color::Indexed(nearest_256(r, g, b))),
            (Self::Ansi16, Color::Indexed(i)) if i < 16 => Some(ANSI16[usize::from(i)].0),
            (Self::Ansi16, Color::Indexed(i)) => {
                let (r, g, b) = rgb_of_256(i);
                Some(nearest_16(r, g, b))
            }
            (Self::Ansi16, Color::Rgb(r, g, b)) => Some(nearest_16(r, g, b)),
            // Named colours are already ANSI; true colour keeps everything.
            (Self::TrueColor | Self::Ansi256 | Self::Ansi16, c) => Some(c),
        }
    }

    /// The style with its colours fitted; modifiers are kept whatever the mode.
    pub fn fit_style(self, style: Style) -> Style {
        let mut out = Style::new()
            .add_modifier(style.add_modifier)
            .remove_modifier(style.sub_modifier);
        if let Some(fg) = style.fg.and_then(|c| self.fit(c)) {
            out = out.fg(fg);
        }
        if let Some(bg) = style.bg.and_then(|c| self.fit(c)) {
            out = out.bg(bg);
        }
        out
    }
}

/// The 16 ANSI colours with xterm's default RGB values, which most palettes resemble.
const ANSI16: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

/// The levels of each component in the 6x6x6 cube (indexes 16–231).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| u32::from(x.abs_diff(y)).pow(2);
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
}

/// The cube step closest to a component value.
fn cube_step(v: u8) -> u8 {
    match v {
        0..48 => 0,
        48..115 => 1,
        _ => (v - 35) / 40,
    }
}

/// The xterm-256 index nearest to an RGB colour: the closer of the best cube entry and the
/// best grey-ramp entry (232–255), as tmux chooses.
pub fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    let (qr, qg, qb) = (cube_step(r), cube_step(g), cube_step(b));
    let cube = (
        CUBE[usize::from(qr)],
        CUBE[usize::from(qg)],
        CUBE[usize::from(qb)],
    );
    let cube_index = 16 + 36 * qr + 6 * qg + qb;
    if cube == (r, g, b) {
        return cube_index;
    }
    let average = ((u16::from(r) + u16::from(g) + u16::from(b)) / 3) as u8;
    let grey_step = if average > 238 {
        23
    } else {
        average.saturating_sub(3) / 10
    };
    let grey = 8 + 10 * grey_step;
    if distance((grey, grey, grey), (r, g, b)) < distance(cube, (r, g, b)) {
        232 + grey_step
    } else {
        cube_index
    }
}

/// The RGB value xterm shows for a 256-palette index.
fn rgb_of_256(i: u8) -> (u8, u8, u8) {
    match i {
        0..16 => ANSI16[usize::from(i)].1,
        16..232 => {
            let n = i - 16;
            (
                CUBE[usize::from(n / 36)],
                CUBE[usize::from(n / 6 % 6)],
                CUBE[usize::from(n % 6)],
            )
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

fn nearest_16(r: u8, g: u8, b: u8) -> Color {
    ANSI16
        .iter()
        .min_by_key(|(_, rgb)| distance(*rgb, (r, g, b)))
        .map_or(Color::Reset, |(c, _)| *c)
}

/// An ANSI colour by name. Separators and case do not matter (`light-red`, `LightRed`,
/// `light_red`); `grey` is `gray`. `gray` is ANSI 7 and `dark-gray` ANSI 8, as in ratatui.
pub fn ansi_named(name: &str) -> Option<Color> {
    let key: String = name
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    Some(match key.replace("grey", "gray").as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "lightgray" => Color::Gray,
        "darkgray" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}

/// "#rrggbb" as an RGB colour.
pub fn hex(text: &str) -> Option<Color> {
    let digits = text.strip_prefix('#')?;
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
    Some(Color::Rgb(byte(0)?, byte(2)?, byte(4)?))
}

/// A colour written in a theme without palette names: "#rrggbb", an ANSI name, or an index
/// 0–255 given as a string.
pub fn parse_plain(text: &str) -> Option<Color> {
    if text.starts_with('#') {
        return hex(text);
    }
    if let Ok(i) = text.parse::<u8>() {
        return Some(Color::Indexed(i));
    }
    ansi_named(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    #[test]
    fn rgb_maps_to_the_nearest_xterm_256_entry() {
        assert_eq!(nearest_256(0, 0, 0), 16);
        assert_eq!(nearest_256(255, 255, 255), 231);
        assert_eq!(nearest_256(255, 0, 0), 196);
        assert_eq!(
            nearest_256(0x5f, 0x87, 0xaf),
            67,
            "exact cube entries stay exact"
        );
        // Greys land on the grey ramp, which is finer than the cube's diagonal.
        assert_eq!(nearest_256(0x80, 0x80, 0x80), 244);
        assert_eq!(nearest_256(0x28, 0x28, 0x28), 235, "gruvbox's background");
        assert_eq!(nearest_256(0xfa, 0xfa, 0xfa), 231, "one-light's background");
        // A saturated colour goes to the cube: #fb4934 (gruvbox red) → #ff5f5f.
        assert_eq!(nearest_256(0xfb, 0x49, 0x34), 203);
        assert_eq!(
            ColorMode::Ansi256.fit(Color::Rgb(0x83, 0xa5, 0x98)),
            Some(Color::Indexed(108))
        );
    }

    #[test]
    fn sixteen_colour_mode_picks_a_named_colour() {
        let mode = ColorMode::Ansi16;
        assert_eq!(mode.fit(Color::Rgb(250, 10, 10)), Some(Color::LightRed));
        assert_eq!(mode.fit(Color::Indexed(1)), Some(Color::Red));
        assert_eq!(mode.fit(Color::Indexed(232)), Some(Color::Black));
        assert_eq!(mode.fit(Color::Cyan), Some(Color::Cyan));
    }

    #[test]
    fn no_color_keeps_only_modifiers() {
        let style = Style::new()
            .fg(Color::Rgb(1, 2, 3))
            .bg(Color::Red)
            .add_modifier(Modifier::ITALIC | Modifier::BOLD);
        let fitted = ColorMode::NoColor.fit_style(style);
        assert_eq!(fitted.fg, None);
        assert_eq!(fitted.bg, None);
        assert_eq!(fitted.add_modifier, Modifier::ITALIC | Modifier::BOLD);
        assert_eq!(ColorMode::TrueColor.fit_style(style), style);
    }

    #[test]
    fn detect_follows_no_color_then_colorterm() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_string())
            }
        };
        assert_eq!(ColorMode::detect(env(&[])), ColorMode::Ansi256);
        assert_eq!(
            ColorMode::detect(env(&[("COLORTERM", "truecolor")])),
            ColorMode::TrueColor
        );
        assert_eq!(
            ColorMode::detect(env(&[("COLORTERM", "24bit")])),
            ColorMode::TrueColor
        );
        assert_eq!(
            ColorMode::detect(env(&[("COLORTERM", "truecolor"), ("NO_COLOR", "1")])),
            ColorMode::NoColor
        );
        // An empty NO_COLOR does not count, as the convention says.
        assert_eq!(
            ColorMode::detect(env(&[("NO_COLOR", ""), ("COLORTERM", "24bit")])),
            ColorMode::TrueColor
        );
        assert_eq!(
            ColorMode::detect(env(&[("TERM", "linux")])),
            ColorMode::Ansi16
        );
    }

    #[test]
    fn colour_syntax() {
        assert_eq!(parse_plain("#c678dd"), Some(Color::Rgb(0xc6, 0x78, 0xdd)));
        assert_eq!(parse_plain("#c678d"), None);
        assert_eq!(parse_plain("light-red"), Some(Color::LightRed));
        assert_eq!(parse_plain("dark_grey"), Some(Color::DarkGray));
        assert_eq!(parse_plain("gray"), Some(Color::Gray));
        assert_eq!(parse_plain("reset"), Some(Color::Reset));
        assert_eq!(parse_plain("208"), Some(Color::Indexed(208)));
        assert_eq!(parse_plain("purple"), None);
    }
}
