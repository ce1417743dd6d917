//! Reading theme TOML: follows `inherits` chains, merges `[palette]`s and scope tables
//! (children win key by key), and turns each entry into a Style, with errors that name the
//! theme and line.

use std::collections::{BTreeMap, HashMap};

use ratatui::style::{Color, Modifier, Style};
use toml::Value;

use super::ThemeError;
use super::color;

/// Keys of a table that describe one style; any other key in a table is a nested scope,
/// so `[ui]` + `text = "red"` (or an unquoted `ui.text = …`) still means "ui.text".
const STYLE_KEYS: &[&str] = &["fg", "bg", "modifiers", "underline"];

const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
    ("crossed_out", Modifier::CROSSED_OUT),
    ("slow_blink", Modifier::SLOW_BLINK),
    ("rapid_blink", Modifier::RAPID_BLINK),
    ("hidden", Modifier::HIDDEN),
];

/// One theme and everything it inherits, flattened.
pub(super) struct Merged {
    pub palette: HashMap<String, Color>,
    /// Scope → (the theme that set it, its value). Sorted so the first error is always the
    /// same one.
    pub scopes: BTreeMap<String, (String, Value)>,
    /// Each theme's text, to find the line of an entry that turns out to be wrong.
    texts: HashMap<String, String>,
}

impl Merged {
    /// An error about `key` ("keyword", or "palette.purple") as set in `theme`.
    pub fn invalid(&self, theme: &str, key: &str, message: String) -> ThemeError {
        ThemeError::Invalid {
            theme: theme.to_string(),
            line: self.texts.get(theme).and_then(|t| line_of(t, key)),
            message,
        }
    }
}

/// Reads `name` and its ancestors through `source_of` and merges them, root first.
pub(super) fn merge(
    name: &str,
    source_of: &dyn Fn(&str) -> Option<String>,
) -> Result<Merged, ThemeError> {
    let mut chain: Vec<(String, toml::Table)> = Vec::new();
    let mut texts = HashMap::new();
    let mut current = name.to_string();
    loop {
        if chain.iter().any(|(n, _)| *n == current) {
            let mut names: Vec<String> = chain.into_iter().map(|(n, _)| n).collect();
            names.push(current);
            return Err(ThemeError::Cycle { chain: names });
        }
        let Some(text) = source_of(&current) else {
            return Err(match chain.last() {
                None => ThemeError::NotFound(current),
                Some((child, _)) => ThemeError::UnknownParent {
                    theme: child.clone(),
                    parent: current,
                },
            });
        };
        let mut table: toml::Table = toml::from_str(&text).map_err(|e| ThemeError::Invalid {
            theme: current.clone(),
            line: e.span().map(|s| line_at(&text, s.start)),
            message: e.message().trim().to_string(),
        })?;
        let parent = match table.remove("inherits") {
            None => None,
            Some(Value::String(parent)) => Some(parent),
            Some(other) => {
                return Err(ThemeError::Invalid {
                    theme: current.clone(),
                    line: line_of(&text, "inherits"),
                    message: format!("inherits must be a theme name, found {}", other.type_str()),
                });
            }
        };
        texts.insert(current.clone(), text);
        chain.push((current, table));
        match parent {
            Some(parent) => current = parent,
            None => break,
        }
    }
    let mut merged = Merged {
        palette: HashMap::new(),
        scopes: BTreeMap::new(),
        texts,
    };
    for (theme, mut table) in chain.into_iter().rev() {
        match table.remove("palette") {
            None => {}
            Some(Value::Table(palette)) => {
                for (key, value) in palette {
                    let color = plain_colour(&value).map_err(|message| {
                        merged.invalid(&theme, &format!("palette.{key}"), message)
                    })?;
                    merged.palette.insert(key, color);
                }
            }
            Some(other) => {
                let message = format!("[palette] must be a table, found {}", other.type_str());
                return Err(merged.invalid(&theme, "palette", message));
            }
        }
        let mut entries = Vec::new();
        for (key, value) in table {
            flatten(key, value, &mut entries);
        }
        for (scope, value) in entries {
            merged.scopes.insert(scope, (theme.clone(), value));
        }
    }
    Ok(merged)
}

/// Splits nested tables into dotted scopes; a table's style keys style the table's own scope.
fn flatten(scope: String, value: Value, out: &mut Vec<(String, Value)>) {
    let Value::Table(table) = value else {
        out.push((scope, value));
        return;
    };
    let (own, children): (toml::Table, toml::Table) = table
        .into_iter()
        .partition(|(k, _)| STYLE_KEYS.contains(&k.as_str()));
    if !own.is_empty() || children.is_empty() {
        out.push((scope.clone(), Value::Table(own)));
    }
    for (key, value) in children {
        flatten(format!("{scope}.{key}"), value, out);
    }
}

/// The style an entry describes: a colour alone is the foreground; a table may have fg, bg,
/// modifiers and underline.
pub(super) fn style(value: &Value, palette: &HashMap<String, Color>) -> Result<Style, String> {
    let Value::Table(table) = value else {
        return Ok(Style::new().fg(colour(value, palette)?));
    };
    let mut style = Style::new();
    for (key, value) in table {
        match key.as_str() {
            "fg" => style = style.fg(colour(value, palette)?),
            "bg" => style = style.bg(colour(value, palette)?),
            "modifiers" => {
                let Value::Array(names) = value else {
                    return Err(format!(
                        "modifiers must be a list like [\"bold\"], found {}",
                        value.type_str()
                    ));
                };
                for name in names {
                    style = style.add_modifier(modifier(name)?);
                }
            }
            // An underline's colour and shape need terminal support ratatui does not assume;
            // the underline itself is kept.
            "underline" => style = style.add_modifier(Modifier::UNDERLINED),
            other => return Err(format!("unknown style key {other:?}")),
        }
    }
    Ok(style)
}

fn modifier(value: &Value) -> Result<Modifier, String> {
    let name = value.as_str().unwrap_or_default();
    MODIFIERS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, m)| *m)
        .ok_or_else(|| {
            let known: Vec<&str> = MODIFIERS.iter().map(|(n, _)| *n).collect();
            format!("unknown modifier {value} (known: {})", known.join(", "))
        })
}

/// A colour in a style: a palette name, or anything `plain_colour` takes.
fn colour(value: &Value, palette: &HashMap<String, Color>) -> Result<Color, String> {
    if let Some(c) = value.as_str().and_then(|name| palette.get(name)) {
        return Ok(*c);
    }
    plain_colour(value).map_err(|e| {
        if value.is_str() {
            format!("{e}, and not in [palette]")
        } else {
            e
        }
    })
}

/// A colour without palette names: "#rrggbb", an ANSI name or an index 0–255.
fn plain_colour(value: &Value) -> Result<Color, String> {
    match value {
        Value::String(s) => color::parse_plain(s).ok_or_else(|| {
            format!("unknown colour {s:?}: not #rrggbb, an ANSI colour name or 0-255")
        }),
        Value::Integer(i) => u8::try_from(*i)
            .map(Color::Indexed)
            .map_err(|_| format!("colour index {i} is not in 0-255")),
        other => Err(format!(
            "a colour is a string or 0-255, found {}",
            other.type_str()
        )),
    }
}

/// 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

/// The 1-based line where the dotted key `full` ("ui.text", "palette.purple") is assigned.
/// The toml crate's tables keep no positions, so this scans for `key =` lines under their
/// `[section]` headers, which is how theme files are written.
fn line_of(text: &str, full: &str) -> Option<usize> {
    let mut section = String::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[') {
            section = unquote_key(header.trim_end_matches(']'));
            continue;
        }
        let Some((key, _)) = line.split_once('=') else {
            continue;
        };
        let key = unquote_key(key);
        let this = if section.is_empty() {
            key
        } else {
            format!("{section}.{key}")
        };
        if this == full {
            return Some(i + 1);
        }
    }
    None
}

/// `"ui.text"` → ui.text; `ui . "x"` → ui.x (dotted keys, quoted or bare).
fn unquote_key(key: &str) -> String {
    let key = key.trim();
    if let Some(inner) = key.strip_prefix('"').and_then(|k| k.strip_suffix('"')) {
        return inner.to_string();
    }
    key.split('.')
        .map(|part| part.trim().trim_matches('"'))
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_of_quoted_bare_and_sectioned_keys() {
        let text = "inherits = \"x\"\n\"ui.text\" = \"red\"\nkeyword.control = \"blue\"\n\n[palette]\npurple = \"#c678dd\"\n";
        assert_eq!(line_of(text, "inherits"), Some(1));
        assert_eq!(line_of(text, "ui.text"), Some(2));
        assert_eq!(line_of(text, "keyword.control"), Some(3));
        assert_eq!(line_of(text, "palette.purple"), Some(6));
        assert_eq!(line_of(text, "purple"), None);
        assert_eq!(line_at("a\nb\nc", 2), 2);
    }

    #[test]
    fn nested_tables_become_dotted_scopes() {
        let table: toml::Table =
            toml::from_str("[ui]\ntext = \"red\"\nstatusline = { fg = \"blue\" }\n").unwrap();
        let mut out = Vec::new();
        for (k, v) in table {
            flatten(k, v, &mut out);
        }
        let keys: Vec<&str> = out.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["ui.statusline", "ui.text"]);
    }
}
