//! What a completion request sends: the text before and after the cursor, cut to whole lines
//! within a budget, through the gate — a secret or ignored file gets no completion, lines
//! holding likely secrets go redacted, and a cursor on such a line gets no completion either.

use std::path::Path;

use ropey::Rope;

use crate::context::gate::Gate;
use crate::core::movement;

/// The two sides of the cursor as the model will read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FimRequest {
    /// The file's path as the model reads it (relative to the workspace), or `[untitled]`.
    pub path: String,
    pub language: Option<String>,
    pub prefix: String,
    pub suffix: String,
}

/// Identifies what a completion was asked for: the same file and the same text around the
/// cursor give the same answer, so it is not asked for twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CacheKey {
    path: u64,
    prefix: u64,
    suffix: u64,
}

impl FimRequest {
    /// The text of the cursor's line before the cursor.
    pub fn line_before(&self) -> &str {
        self.prefix.rsplit('\n').next().unwrap_or_default()
    }

    /// The text of the cursor's line after the cursor (without its line break).
    pub fn line_after(&self) -> &str {
        let line = self.suffix.split('\n').next().unwrap_or_default();
        line.strip_suffix('\r').unwrap_or(line)
    }
}

/// Where and how much to cut.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub prefix_chars: usize,
    pub suffix_chars: usize,
}

/// The text around the cursor as it is in the buffer, before the gate: cheap to cut on the
/// loop's thread (and to look up in the cache); the gate's work is done elsewhere.
#[derive(Debug, Clone)]
pub struct Window {
    pub path: String,
    pub language: Option<String>,
    /// 0-based line of the cursor.
    line: usize,
    /// Whole lines above the cursor's line, the cursor's line (with its break), lines below.
    above: String,
    current: String,
    below: String,
    /// Byte offset of the cursor in `current`.
    split: usize,
}

impl Window {
    /// The same text around the cursor in the same file gives the same key.
    pub fn key(&self) -> CacheKey {
        let mut prefix = crate::config::fnv1a(self.above.as_bytes());
        prefix ^= crate::config::fnv1a(&self.current.as_bytes()[..self.split]).rotate_left(1);
        let mut suffix = crate::config::fnv1a(&self.current.as_bytes()[self.split..]);
        suffix ^= crate::config::fnv1a(self.below.as_bytes()).rotate_left(1);
        CacheKey {
            path: crate::config::fnv1a(self.path.as_bytes()),
            prefix,
            suffix,
        }
    }

    /// The request as the gate lets it go: Err when `file` may not be sent at all or the
    /// cursor's line holds a likely secret; other such lines go redacted. `file` is the
    /// absolute path of the buffer's file.
    pub fn through_gate(self, file: Option<&Path>, gate: &Gate) -> Result<FimRequest, String> {
        if let Some(file) = file {
            gate.check_path(file)
                .map_err(|w| format!("{}: {}", w.what, w.reason))?;
        }
        let path = &self.path;
        let (current_redacted, withheld) = gate.redact(path, &self.current);
        if !withheld.is_empty() || current_redacted != self.current {
            return Err(format!(
                "line {} holds a likely secret: nothing is sent",
                self.line + 1
            ));
        }
        let (above, _) = gate.redact(path, &self.above);
        let (below, _) = gate.redact(path, &self.below);
        Ok(FimRequest {
            prefix: format!("{above}{}", &self.current[..self.split]),
            suffix: format!("{}{below}", &self.current[self.split..]),
            path: self.path,
            language: self.language,
        })
    }
}

/// Cuts the text around char `pos` of `text`: whole lines within the budget. `path` is what
/// the model reads as the file's name.
pub fn cut(text: &Rope, pos: usize, path: &str, language: Option<&str>, budget: Budget) -> Window {
    let pos = pos.min(text.len_chars());
    let line = movement::line_of(text, pos);
    let line_start = movement::line_start(text, line);
    let next_line_start = if line + 1 < text.len_lines() {
        movement::line_start(text, line + 1)
    } else {
        text.len_chars()
    };
    // Whole lines above, as many as the budget holds: those starting at or after `lo`. Found
    // with a few rope lookups, not one per line (this runs on the loop's thread).
    let lo = pos.saturating_sub(budget.prefix_chars);
    let lo_line = movement::line_of(text, lo);
    let first = if movement::line_start(text, lo_line) < lo {
        lo_line + 1
    } else {
        lo_line
    }
    .min(line);
    // Whole lines below, as many as end at or before `hi`.
    let hi = pos.saturating_add(budget.suffix_chars);
    let end = if hi >= text.len_chars() {
        text.len_chars()
    } else {
        movement::line_start(text, movement::line_of(text, hi)).max(next_line_start)
    };
    Window {
        path: path.to_string(),
        language: language.map(str::to_string),
        line,
        above: text
            .slice(movement::line_start(text, first)..line_start)
            .to_string(),
        current: text.slice(line_start..next_line_start).to_string(),
        below: text.slice(next_line_start..end).to_string(),
        split: text.char_to_byte(pos) - text.char_to_byte(line_start),
    }
}

/// [`cut`] and [`Window::through_gate`] at once (`caret complete`, tests).
pub fn build(
    text: &Rope,
    pos: usize,
    file: Option<&Path>,
    path: &str,
    language: Option<&str>,
    gate: &Gate,
    budget: Budget,
) -> Result<FimRequest, String> {
    cut(text, pos, path, language, budget).through_gate(file, gate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate() -> (tempfile::TempDir, Gate) {
        let dir = tempfile::tempdir().unwrap();
        let gate = Gate::new(dir.path());
        (dir, gate)
    }

    const BIG: Budget = Budget {
        prefix_chars: 10_000,
        suffix_chars: 10_000,
    };

    #[test]
    fn prefix_and_suffix_meet_at_the_cursor_in_whole_lines() {
        let (_d, gate) = gate();
        let rope = Rope::from_str("a\nbb\nfn x() {\n    let y\n}\nz\n");
        let pos = rope.to_string().find("let y").unwrap() + 3;
        let req = build(&rope, pos, None, "f.rs", None, &gate, BIG).unwrap();
        assert_eq!(req.prefix, "a\nbb\nfn x() {\n    let");
        assert_eq!(req.suffix, " y\n}\nz\n");
        let small = Budget {
            prefix_chars: 16,
            suffix_chars: 5,
        };
        let req = build(&rope, pos, None, "f.rs", None, &gate, small).unwrap();
        assert_eq!(req.prefix, "fn x() {\n    let");
        assert_eq!(req.suffix, " y\n}\n");
        assert_eq!(req.line_before(), "    let");
        assert_eq!(req.line_after(), " y");
    }

    #[test]
    fn secrets_stay_home() {
        let (dir, gate) = gate();
        let text = "key = \"AKIAIOSFODNN7EXAMPLE\"\nfn main() {\n    \n}\n";
        let rope = Rope::from_str(text);
        let pos = text.find("    \n").unwrap() + 4;
        let req = build(&rope, pos, None, "f.rs", None, &gate, BIG).unwrap();
        assert!(!req.prefix.contains("AKIA"), "{}", req.prefix);
        let on_it = build(&rope, 3, None, "f.rs", None, &gate, BIG);
        assert!(on_it.is_err());
        let env = dir.path().join(".env");
        std::fs::write(&env, "A=1\n").unwrap();
        let refused = build(&rope, pos, Some(&env), ".env", None, &gate, BIG).unwrap_err();
        assert!(refused.contains(".env"), "{refused}");
    }
}
