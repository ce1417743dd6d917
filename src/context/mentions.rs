//! What a question names goes with it: `@path` and `@name` mentions first, with the whole
//! budget (the user asked for them), then the definitions and files it names in plain words
//! with what is left — every piece through the gate.

use std::collections::HashSet;
use std::path::Path;

use super::assemble::{self, Context, Piece, PieceKind};
use super::engine::Engine;
use super::gate::Withheld;

/// What may follow a mention in a sentence without being part of it: "see @src/a.rs, then".
const TRAILING: &[char] = &['.', ',', ';', ':', '!', '?', ')', ']', '}', '"', '\'', '`'];

/// The words of `question` written `@word` (the `@` first in the question or after
/// whitespace), without the `@` and the punctuation that ends the sentence after them.
pub fn explicit_mentions(question: &str) -> Vec<&str> {
    question
        .split_whitespace()
        .filter_map(|w| w.strip_prefix('@'))
        .map(|w| w.trim_end_matches(TRAILING))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The `@word` being typed at byte `cursor` of `input`: the byte offset of its `@` and what
/// follows it up to the cursor. `None` unless the word before the cursor starts with an `@`
/// that is first in the input or follows whitespace.
pub fn mention_at(input: &str, cursor: usize) -> Option<(usize, &str)> {
    let before = input.get(..cursor)?;
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    Some((start, before[start..].strip_prefix('@')?))
}

/// The byte offset where the word holding byte `cursor` of `input` ends.
pub fn word_end(input: &str, cursor: usize) -> usize {
    input
        .get(cursor..)
        .and_then(|rest| rest.find(char::is_whitespace))
        .map_or(input.len(), |i| cursor + i)
}

/// What an `@word` stands for.
enum Named {
    /// A workspace-relative path.
    File(String),
    Definition(String),
    /// A file that exists but the gate holds back.
    Refused(Withheld),
}

/// The pieces chosen so far and the tokens they use.
struct Chosen {
    ctx: Context,
    used: usize,
}

impl Chosen {
    fn room(&self) -> usize {
        self.ctx.budget.saturating_sub(self.used)
    }

    fn push(&mut self, piece: Piece, withheld: Vec<Withheld>) {
        self.used += piece.tokens;
        self.ctx.pieces.push(piece);
        self.withhold(withheld);
    }

    fn withhold(&mut self, withheld: impl IntoIterator<Item = Withheld>) {
        for w in withheld {
            if !self.ctx.withheld.contains(&w) {
                self.ctx.withheld.push(w);
            }
        }
    }

    /// Whether a piece already chosen holds these lines of this file (a file sent whole
    /// holds every definition in it).
    fn covers(&self, piece: &Piece) -> bool {
        self.ctx.pieces.iter().any(|p| {
            p.path == piece.path
                && p.lines.0 != 0
                && p.lines.0 <= piece.lines.0
                && piece.lines.1 <= p.lines.1
        })
    }
}

impl Engine {
    /// Pieces for what a question names, at most `budget` tokens. First its `@` mentions:
    /// `@path` sends that file (its outline when it is too long), `@name` the definition of
    /// that name (any name); they may use the whole budget. Then, with what is left, the
    /// workspace definitions it names in plain words (specific names only: `parse_config`,
    /// `Circle`, not `new`) and files by path. With nothing named and `map_if_nothing`, the
    /// repo map instead.
    pub fn mentions(
        &self,
        question: &str,
        map_if_nothing: bool,
        budget: usize,
        count: &dyn Fn(&str) -> usize,
    ) -> Context {
        let mut chosen = Chosen {
            ctx: Context {
                budget,
                ..Context::default()
            },
            used: 0,
        };
        let mut seen = HashSet::new();
        for word in explicit_mentions(question) {
            // Each thing once, however often it is named (and not again as a plain word).
            match self.resolve(word) {
                Some(Named::File(rel)) if seen.insert(rel.clone()) => {
                    self.add_named_file(&mut chosen, &rel, count);
                }
                Some(Named::Definition(name)) if seen.insert(name.clone()) => {
                    self.add_named_definition(&mut chosen, &name, count);
                }
                Some(Named::Refused(w)) => chosen.withhold([w]),
                _ => {}
            }
        }
        self.add_plain_words(&mut chosen, question, &mut seen, count);
        let mut ctx = chosen.ctx;
        if ctx.pieces.is_empty() && map_if_nothing {
            let ranking = self.ranking(None);
            let (map, _) = super::map::fit(&self.index, &ranking, budget, count);
            if !map.is_empty() {
                ctx.pieces.push(Piece {
                    kind: PieceKind::RepoMap,
                    path: ".".to_string(),
                    lines: (0, 0),
                    why: "the most referenced definitions of the workspace".to_string(),
                    tokens: count(&map),
                    text: map,
                    language: None,
                });
            }
        }
        ctx
    }

    /// An `@word`: an indexed file (by its path, or a path suffix only one file has), a file
    /// on disk the index does not hold yet, or the best-ranked definition of the name. A
    /// word with a sentence stuck to it (`@Circle's`) is tried by its name part too.
    fn resolve(&self, word: &str) -> Option<Named> {
        let name_part = word
            .split(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '-')))
            .next()
            .unwrap_or("")
            .trim_end_matches('.');
        let mut tries = vec![word];
        if !name_part.is_empty() && name_part != word {
            tries.push(name_part);
        }
        for word in tries {
            let word = word.trim_start_matches("./");
            if let Some(rel) = self.indexed_file(word) {
                return Some(Named::File(rel));
            }
            let abs = self.root.join(word);
            if abs.is_file() {
                if let Err(w) = self.gate.check_path(&abs) {
                    return Some(Named::Refused(w));
                }
                if let Some(rel) = self.relative(&abs) {
                    return Some(Named::File(rel));
                }
            }
            if !self.index.definitions(word).is_empty() {
                return Some(Named::Definition(word.to_string()));
            }
        }
        None
    }

    /// The indexed file `word` names: its path, or the one path ending in `/word`.
    fn indexed_file(&self, word: &str) -> Option<String> {
        if let Some((_, file)) = self.index.file(word) {
            return Some(file.path.clone());
        }
        let suffix = format!("/{word}");
        let mut matching = self
            .index
            .files
            .iter()
            .filter(|f| f.path.ends_with(&suffix));
        let first = matching.next()?;
        matching.next().is_none().then(|| first.path.clone())
    }

    /// `@path`: the file whole if it fits what is left of the budget, else its outline.
    fn add_named_file(&self, chosen: &mut Chosen, rel: &str, count: &dyn Fn(&str) -> usize) {
        if let Err(w) = self.gate.check_path(&self.root.join(rel)) {
            chosen.withhold([w]);
            return;
        }
        let Some(source) = self.index.source(rel) else {
            return;
        };
        let (text, withheld) = self.gate.redact(rel, &source);
        let tokens = count(&text);
        let language = self.language_of(rel, &source);
        let why = format!("the file named in the question (@{rel})");
        if tokens <= chosen.room() {
            let lines = text.lines().count().max(1) as u32;
            chosen.push(
                Piece {
                    kind: PieceKind::Mention,
                    path: rel.to_string(),
                    lines: (1, lines),
                    why,
                    text,
                    tokens,
                    language,
                },
                withheld,
            );
            return;
        }
        let too_long = format!("{why} — too long to send whole ({tokens} tokens)");
        // The outline of the redacted text, so no signature carries what was redacted.
        let outlined = if withheld.is_empty() { &source } else { &text };
        let (symbols, _) = self.symbols_of(rel, outlined);
        let piece = if symbols.defs.is_empty() {
            first_lines(rel, &text, chosen.room(), &too_long, language, count)
        } else {
            outline(rel, &symbols, chosen.room(), &too_long, count)
        };
        chosen.withhold(withheld);
        if let Some(piece) = piece {
            chosen.push(piece, Vec::new());
        }
    }

    /// `@name`: the best-ranked definition of the name, else its signature when the whole
    /// definition does not fit what is left of the budget.
    fn add_named_definition(&self, chosen: &mut Chosen, name: &str, count: &dyn Fn(&str) -> usize) {
        let Some(mut piece) = self.mentioned_definition(name, count) else {
            return;
        };
        piece.why = format!("{} (@{name})", piece.why);
        let Some((piece, withheld)) = self.gated(chosen, piece, count) else {
            return;
        };
        if piece.tokens <= chosen.room() {
            chosen.push(piece, withheld);
            return;
        }
        let Some((_, def)) = self.best_definition(name).and_then(|id| self.index.def(id)) else {
            return;
        };
        let (text, withheld) = self.gate.redact(&piece.path, &def.signature);
        let tokens = count(&text);
        if tokens <= chosen.room() {
            let line = def.line + 1;
            let why = format!(
                "{} — too long to send whole ({} tokens): its signature",
                piece.why, piece.tokens
            );
            chosen.push(
                Piece {
                    lines: (line, line),
                    why,
                    text,
                    tokens,
                    ..piece
                },
                withheld,
            );
        }
    }

    /// Definitions and files the question names in plain words, in what is left of the
    /// budget.
    fn add_plain_words(
        &self,
        chosen: &mut Chosen,
        question: &str,
        seen: &mut HashSet<String>,
        count: &dyn Fn(&str) -> usize,
    ) {
        let words = question
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '/' || c == '-'))
            .map(|w| w.trim_matches('.'))
            .filter(|w| w.len() > 2);
        for word in words {
            if !seen.insert(word.to_string()) {
                continue;
            }
            let piece = if word.contains('/') || word.contains('.') {
                self.mentioned_file(word, count)
            } else if super::rank::specificity(word) >= 1.0 && !word.chars().all(char::is_lowercase)
            {
                self.mentioned_definition(word, count)
            } else {
                None
            };
            let Some(piece) = piece.filter(|p| !chosen.covers(p)) else {
                continue;
            };
            if let Some((piece, withheld)) = self.gated(chosen, piece, count)
                && piece.tokens <= chosen.room()
            {
                chosen.push(piece, withheld);
            }
        }
    }

    /// `piece` through the gate: `None` (and the reason kept) when its file may not be sent,
    /// else its text redacted and counted again, and what the redaction held back.
    fn gated(
        &self,
        chosen: &mut Chosen,
        piece: Piece,
        count: &dyn Fn(&str) -> usize,
    ) -> Option<(Piece, Vec<Withheld>)> {
        if let Err(w) = self.gate.check_path(&self.root.join(&piece.path)) {
            chosen.withhold([w]);
            return None;
        }
        let (text, withheld) = self.gate.redact(&piece.path, &piece.text);
        let tokens = count(&text);
        Some((
            Piece {
                text,
                tokens,
                ..piece
            },
            withheld,
        ))
    }

    /// The definition of `name` that ranks highest in the workspace.
    fn best_definition(&self, name: &str) -> Option<super::index::DefId> {
        let ranking = self.ranking(None);
        self.index
            .definitions(name)
            .iter()
            .max_by(|a, b| {
                let ra = ranking.defs.get(a).copied().unwrap_or(0.0);
                let rb = ranking.defs.get(b).copied().unwrap_or(0.0);
                ra.total_cmp(&rb).then(b.cmp(a))
            })
            .copied()
    }

    fn mentioned_definition(&self, name: &str, count: &dyn Fn(&str) -> usize) -> Option<Piece> {
        let (file, def) = self.index.def(self.best_definition(name)?)?;
        let source = self.index.source(&file.path)?;
        let lines = def
            .item
            .and_then(|i| file.symbols.items.get(i as usize))
            .map_or((def.line, def.line), |it| it.lines);
        let text = assemble::lines_of(&source, lines.0, lines.1);
        Some(Piece {
            kind: PieceKind::Mention,
            path: file.path.clone(),
            lines: (lines.0 + 1, lines.1 + 1),
            why: format!("defines `{name}`, named in the question"),
            tokens: count(&text),
            text,
            language: file.language.clone(),
        })
    }

    fn mentioned_file(&self, word: &str, count: &dyn Fn(&str) -> usize) -> Option<Piece> {
        let word = word.trim_start_matches("./");
        let file = self
            .index
            .files
            .iter()
            .find(|f| f.path == word || f.path.ends_with(&format!("/{word}")))?;
        let text = self.index.source(&file.path)?;
        Some(Piece {
            kind: PieceKind::Mention,
            path: file.path.clone(),
            lines: (1, file.lines.max(1)),
            why: "the file named in the question".to_string(),
            tokens: count(&text),
            text,
            language: file.language.clone(),
        })
    }

    /// The fence language of a file: the index's, else detected from its name and first line.
    fn language_of(&self, rel: &str, text: &str) -> Option<String> {
        if let Some((_, entry)) = self.index.file(rel) {
            return entry.language.clone();
        }
        let first = text.lines().next().unwrap_or("");
        self.languages
            .detect(Some(Path::new(rel)), first)
            .and_then(|l| self.languages.get(l))
            .map(|l| l.name.clone())
    }
}

/// As much of a file's outline as fits `room` tokens (the first definitions in line order).
fn outline(
    rel: &str,
    symbols: &super::tags::FileSymbols,
    room: usize,
    too_long: &str,
    count: &dyn Fn(&str) -> usize,
) -> Option<Piece> {
    // Rows, not definitions: two definitions on one line with one signature are one row.
    let all = super::map::outline(rel, symbols, usize::MAX)
        .lines()
        .count()
        .saturating_sub(1);
    // The most rows that fit, by bisection: outlines of big files run to thousands of rows,
    // and counting tokens is the cost.
    let (mut lo, mut hi) = (1, all);
    let mut best = None;
    while lo <= hi {
        let mid = usize::midpoint(lo, hi);
        let text = super::map::outline(rel, symbols, mid);
        let tokens = count(&text);
        if tokens <= room {
            best = Some((text, tokens, mid));
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    let (text, tokens, kept) = best?;
    let why = if kept < all {
        format!("{too_long}: its outline, first {kept} of {all} definitions")
    } else {
        format!("{too_long}: its outline")
    };
    Some(Piece {
        kind: PieceKind::Mention,
        path: rel.to_string(),
        // Not lines of the file: an outline is read with the line numbers in it.
        lines: (0, 0),
        why,
        text,
        tokens,
        language: None,
    })
}

/// As many of a file's first lines as fit `room` tokens (for a file with no definitions).
fn first_lines(
    rel: &str,
    text: &str,
    room: usize,
    too_long: &str,
    language: Option<String>,
    count: &dyn Fn(&str) -> usize,
) -> Option<Piece> {
    let mut kept = String::new();
    let mut used = 0;
    let mut lines = 0u32;
    for line in text.split_inclusive('\n') {
        let cost = count(line);
        if used + cost > room {
            break;
        }
        used += cost;
        kept.push_str(line);
        lines += 1;
    }
    if lines == 0 {
        return None;
    }
    let all = text.lines().count();
    Some(Piece {
        kind: PieceKind::Mention,
        path: rel.to_string(),
        lines: (1, lines),
        why: format!("{too_long}: its first {lines} of {all} lines"),
        tokens: count(&kept),
        text: kept,
        language,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_mentions_are_at_words_without_the_sentence_around_them() {
        assert_eq!(
            explicit_mentions("why does @src/a.rs call @new, and (@x) a@b.c @ @Circle's?"),
            ["src/a.rs", "new", "Circle's"]
        );
        assert!(explicit_mentions("mail me at a@b.c").is_empty());
    }

    #[test]
    fn the_mention_being_typed_starts_at_its_at_sign() {
        assert_eq!(mention_at("@rend", 5), Some((0, "rend")));
        assert_eq!(mention_at("see @rend", 9), Some((4, "rend")));
        assert_eq!(mention_at("see @rend", 7), Some((4, "re")));
        assert_eq!(mention_at("see\t@", 5), Some((4, "")));
        assert_eq!(mention_at("mail a@b", 8), None);
        assert_eq!(mention_at("@rend x", 7), None);
        assert_eq!(mention_at("@ré", 4), Some((0, "ré")));
        // Not on a char boundary: no mention, no panic.
        assert_eq!(mention_at("@ré", 3), None);
        assert_eq!(word_end("@rend x", 2), 5);
        assert_eq!(word_end("@rend", 2), 5);
    }
}
