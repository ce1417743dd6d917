//! Telling a file path in a reply: a line that is nothing but a path, however decorated
//! (`path`, **path**, `# path`, `File: path`, `// path`), or a fence's info string that names
//! one (```src/a.rs, ```rust:src/a.rs). Prose that merely mentions a path is not one.

/// Labels models put before a path.
const LABELS: [&str; 6] = [
    "file path:",
    "filepath:",
    "filename:",
    "file:",
    "path:",
    "new file:",
];

/// File names without an extension that are still plainly files.
const BARE_NAMES: [&str; 12] = [
    "Makefile",
    "makefile",
    "GNUmakefile",
    "Dockerfile",
    "Containerfile",
    "Justfile",
    "justfile",
    "Rakefile",
    "Gemfile",
    "Procfile",
    "Jenkinsfile",
    "LICENSE",
];

/// The path a line names when the line is only a path with decorations around it.
pub fn path_in_line(line: &str) -> Option<String> {
    let mut s = line.trim().replace("**", "");
    loop {
        let before = s.clone();
        let mut t = s.trim();
        t = t.trim_start_matches('#').trim_start();
        for prefix in ["// ", "//", "- ", "+ ", "* ", "> "] {
            if let Some(rest) = t.strip_prefix(prefix) {
                t = rest.trim_start();
            }
        }
        for label in LABELS {
            if t.get(..label.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(label))
            {
                t = t[label.len()..].trim_start();
            }
        }
        t = t.strip_suffix(':').unwrap_or(t).trim_end();
        t = strip_note(t);
        for quote in ['`', '"', '\'', '_'] {
            if t.len() >= 2 && t.starts_with(quote) && t.ends_with(quote) {
                t = &t[1..t.len() - 1];
            }
        }
        s = t.trim().to_string();
        if s == before {
            break;
        }
    }
    looks_like_path(&s).then_some(s)
}

/// Drops a short note in parentheses after a path, as in `src/new.rs (new file)`.
fn strip_note(t: &str) -> &str {
    if let Some(open) = t.rfind(" (")
        && t.ends_with(')')
        && t[open..].split_whitespace().count() <= 4
    {
        return t[..open].trim_end();
    }
    t
}

/// The path a fence's info string names: the whole of it, a word of it, or what follows a
/// `lang:` or `title=`.
pub fn path_in_info(info: &str) -> Option<String> {
    for word in info.split_whitespace() {
        let mut word = word;
        for key in ["title=", "file=", "path=", "filename="] {
            if let Some(rest) = word.strip_prefix(key) {
                word = rest;
            }
        }
        let word = word.trim_matches(|c| c == '"' || c == '\'' || c == '`');
        // `rust:src/a.rs`: a language, then the path.
        if let Some((lang, after)) = word.split_once(':')
            && !lang.contains(['/', '\\', '.'])
            && looks_like_path(after)
        {
            return Some(after.to_string());
        }
        if looks_like_path(word) {
            return Some(word.to_string());
        }
    }
    None
}

/// Whether a word is shaped like a file path: no spaces or markup, a folder separator or a
/// file extension (or a well-known bare name), some letter, not a URL.
pub fn looks_like_path(s: &str) -> bool {
    if s.is_empty() || s.len() > 300 || !s.chars().any(char::is_alphabetic) {
        return false;
    }
    if s.contains("://")
        || s.starts_with('-')
        || s.ends_with('.')
        || s.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '`' | '*' | '<' | '>' | '|' | '"' | '=' | ';' | ',')
        })
    {
        return false;
    }
    let name = s.rsplit(['/', '\\']).next().unwrap_or(s);
    if BARE_NAMES.contains(&name) {
        return true;
    }
    let has_folder = s.contains('/') || s.contains('\\');
    let extension = name.rsplit_once('.').map(|(_, ext)| ext);
    let good_extension = extension.is_some_and(|ext| {
        (1..=10).contains(&ext.len())
            && ext.chars().any(char::is_alphabetic)
            && ext
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '+')
    });
    good_extension || (has_folder && !name.is_empty() && !name.contains(['(', ')']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decorated_paths() {
        for (line, path) in [
            ("src/a.rs", "src/a.rs"),
            ("`src/a.rs`", "src/a.rs"),
            ("**src/a.rs**", "src/a.rs"),
            ("# src/a.rs", "src/a.rs"),
            ("### `src/a.rs`", "src/a.rs"),
            ("File: src/a.rs", "src/a.rs"),
            ("**File:** `src/a.rs`", "src/a.rs"),
            ("**`src/a.rs`**:", "src/a.rs"),
            ("// src/a.rs", "src/a.rs"),
            ("src/new.rs (new file)", "src/new.rs"),
            ("Filename: app/__init__.py", "app/__init__.py"),
            ("Makefile", "Makefile"),
            (".env", ".env"),
            ("../outside.txt", "../outside.txt"),
            ("/etc/passwd", "/etc/passwd"),
            ("pages/[id].tsx", "pages/[id].tsx"),
        ] {
            assert_eq!(path_in_line(line).as_deref(), Some(path), "{line}");
        }
    }

    #[test]
    fn prose_and_code_are_no_paths() {
        for line in [
            "Here is the change:",
            "Done.",
            "fn main() {",
            "x = a.b(c)",
            "https://example.com/a.rs",
            "1.2.3",
            "...",
            "",
            "Update `src/a.rs` like this:",
            "let x = 1;",
        ] {
            assert_eq!(path_in_line(line), None, "{line}");
        }
    }

    #[test]
    fn info_strings() {
        assert_eq!(path_in_info("src/a.rs").as_deref(), Some("src/a.rs"));
        assert_eq!(path_in_info("rust:src/a.rs").as_deref(), Some("src/a.rs"));
        assert_eq!(path_in_info("rust src/a.rs").as_deref(), Some("src/a.rs"));
        assert_eq!(
            path_in_info("python title=\"app.py\"").as_deref(),
            Some("app.py")
        );
        for lang in ["rust", "diff", "", "c++", "python3.11", "objective-c"] {
            assert_eq!(path_in_info(lang), None, "{lang}");
        }
    }
}
