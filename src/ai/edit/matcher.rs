//! Applying one SEARCH/REPLACE to a file's text. Strategies are tried from the strictest —
//! exact; trailing whitespace ignored; indentation ignored (the REPLACE re-indented by the one
//! difference found); Unicode punctuation folded; then elisions — and the first strategy that
//! finds anything decides: one place is applied, several are refused as ambiguous. Nothing is
//! ever placed by similarity alone; the nearest places only feed a "did you mean" message.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::elision::{Segments, has_elision, is_elision, segments};
use super::indent::{Fit, fit};
use super::nearest::nearest;
use super::text::{
    FileLines, Level, ascii_for, block_lines, fold_punctuation, indentation, is_blank,
};
use super::{Candidate, LineRange};

/// Places reported for an ambiguous SEARCH at most; more say nothing new.
const MAX_PLACES: usize = 10;

/// How a SEARCH was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// An empty SEARCH: the REPLACE is the whole (new or empty) file.
    Create,
    /// Line for line, byte for byte (line endings aside).
    Exact,
    /// Trailing whitespace ignored.
    TrailingWhitespace,
    /// Indentation ignored; the REPLACE was re-indented by the difference.
    Indentation,
    /// Curly quotes, dashes, odd spaces and ellipses folded to ASCII as well.
    Punctuation,
    /// Parts around `... existing code ...` lines matched in order; the elided lines kept.
    Elision,
}

impl From<Level> for Strategy {
    fn from(level: Level) -> Self {
        match level {
            Level::Exact => Strategy::Exact,
            Level::TrailingWhitespace => Strategy::TrailingWhitespace,
            Level::Indentation => Strategy::Indentation,
            Level::Punctuation => Strategy::Punctuation,
        }
    }
}

/// A block applied: the new text and where it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The whole file's text after the block.
    pub text: String,
    /// The lines the SEARCH matched, in the text before.
    pub lines: LineRange,
    /// How it was found.
    pub strategy: Strategy,
}

/// Why a block could not be applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MatchError {
    /// The SEARCH fits several places equally well.
    #[error("the SEARCH text matches {} places (lines {})", places.len(), join(places))]
    Ambiguous { places: Vec<LineRange> },
    /// The SEARCH fits nowhere; `nearest` are the most alike places, best first.
    #[error("the SEARCH text matches nothing in the file")]
    NoMatch { nearest: Vec<Candidate> },
    /// An empty SEARCH creates a file, and this one has text.
    #[error("the SEARCH is empty (which creates a file) but the file exists and is not empty")]
    FileNotEmpty,
    /// A SEARCH with text edits a file, and there is none.
    #[error("there is no such file (an empty SEARCH would create it)")]
    NoSuchFile,
    /// The REPLACE says "unchanged lines here" where the SEARCH does not, so which lines to
    /// keep is a guess.
    #[error(
        "the REPLACE elides lines (\"{line}\") where the SEARCH does not: which lines to keep cannot be told"
    )]
    ElisionMismatch { line: String },
}

fn join(places: &[LineRange]) -> String {
    places
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Applies one block to a file: `text` is its current text (`None`: there is no such file),
/// `search` and `replace` the block's texts (lines ending with `\n`). The result keeps the
/// file's line endings, byte-order mark and final-newline state; lines outside the match, and
/// lines inside it that the REPLACE leaves as they were, come back byte for byte.
pub fn apply_block(text: Option<&str>, search: &str, replace: &str) -> Result<Applied, MatchError> {
    let search_lines = block_lines(search);
    let replace_lines = block_lines(replace);
    if search_lines.iter().all(|l| is_blank(l)) {
        return create(text, &replace_lines);
    }
    let Some(text) = text else {
        return Err(MatchError::NoSuchFile);
    };
    let file = FileLines::new(text);
    let contents = file.contents();

    let trimmed = trim_blank_edges(&search_lines, &replace_lines);
    let variants: Vec<(&[&str], &[&str])> =
        std::iter::once((search_lines.as_slice(), replace_lines.as_slice()))
            .chain(trimmed)
            .collect();
    for &(search, replace) in &variants {
        for level in Level::ALL {
            let found = find_all(&contents, search, level, replace);
            match found.as_slice() {
                [] => {}
                [(start, fit)] => {
                    let region = *start..start + search.len();
                    check_replace_elisions(&contents[region.clone()], replace)?;
                    let new = replacement(&contents[region.clone()], replace, level, fit);
                    return Ok(applied(&file, region, &new, level.into()));
                }
                _ => return Err(ambiguous(found.iter().map(|(s, _)| *s..s + search.len()))),
            }
        }
    }
    for &(search, replace) in &variants {
        if let Some(result) = elided(&file, &contents, search, replace) {
            return result;
        }
    }
    let probe: Vec<&str> = trimmed
        .map_or(search_lines.as_slice(), |(s, _)| s)
        .iter()
        .copied()
        .filter(|l| !is_elision(l))
        .collect();
    Err(MatchError::NoMatch {
        nearest: nearest(&contents, &probe),
    })
}

/// An empty SEARCH: the REPLACE becomes the file, which must not exist or be empty.
fn create(text: Option<&str>, replace: &[&str]) -> Result<Applied, MatchError> {
    if text.is_some_and(|t| !t.trim().is_empty()) {
        return Err(MatchError::FileNotEmpty);
    }
    let mut out = String::new();
    let eol = text.map_or("\n", |t| if t.contains("\r\n") { "\r\n" } else { "\n" });
    for line in replace {
        out.push_str(line);
        out.push_str(eol);
    }
    Ok(Applied {
        text: out,
        lines: LineRange::from_indexes(0..replace.len()),
        strategy: Strategy::Create,
    })
}

/// The SEARCH and REPLACE without the blank lines at the SEARCH's ends (and as many at the
/// REPLACE's), for models that add an empty line the file does not have; `None` when the
/// SEARCH has none.
fn trim_blank_edges<'s, 'a>(
    search: &'s [&'a str],
    replace: &'s [&'a str],
) -> Option<(&'s [&'a str], &'s [&'a str])> {
    let lead = search.iter().take_while(|l| is_blank(l)).count();
    let trail = search.iter().rev().take_while(|l| is_blank(l)).count();
    if lead + trail == 0 || lead == search.len() {
        return None;
    }
    let r_lead = replace
        .iter()
        .take(lead)
        .take_while(|l| is_blank(l))
        .count();
    let r_rest = &replace[r_lead..];
    let r_trail = r_rest
        .iter()
        .rev()
        .take(trail)
        .take_while(|l| is_blank(l))
        .count();
    Some((
        &search[lead..search.len() - trail],
        &r_rest[..r_rest.len() - r_trail],
    ))
}

/// Every place where `search` matches at `level`, with the indentation fit that makes it so,
/// up to [`MAX_PLACES`] (and one more, so that "several" is still known).
fn find_all(file: &[&str], search: &[&str], level: Level, replace: &[&str]) -> Vec<(usize, Fit)> {
    let mut found = Vec::new();
    let (file_keys, search_keys) = (keys(file, level), keys(search, level));
    for start in positions(&file_keys, &search_keys, 0) {
        if level.ignores_indentation() {
            let pairs: Vec<(&str, &str)> = file[start..start + search.len()]
                .iter()
                .copied()
                .zip(search.iter().copied())
                .collect();
            if let Some(fit) = fit(&pairs, replace, file) {
                found.push((start, fit));
            }
        } else {
            found.push((start, Fit::Same));
        }
        if found.len() > MAX_PLACES {
            break;
        }
    }
    found
}

/// Each line's key at `level`.
fn keys<'l>(lines: &[&'l str], level: Level) -> Vec<Cow<'l, str>> {
    lines.iter().map(|l| level.key(l)).collect()
}

/// Where `search` (as keys) agrees with the file (as keys), from line `from` on.
fn positions<'k>(
    file: &'k [Cow<'_, str>],
    search: &'k [Cow<'_, str>],
    from: usize,
) -> impl Iterator<Item = usize> + 'k {
    let last = (file.len() + 1).saturating_sub(search.len().max(1));
    (from..last).filter(move |&start| {
        !search.is_empty() && search.iter().zip(&file[start..]).all(|(s, f)| s == f)
    })
}

fn ambiguous(places: impl Iterator<Item = Range<usize>>) -> MatchError {
    MatchError::Ambiguous {
        places: places
            .take(MAX_PLACES)
            .map(LineRange::from_indexes)
            .collect(),
    }
}

fn applied(
    file: &FileLines<'_>,
    region: Range<usize>,
    new: &[Cow<'_, str>],
    strategy: Strategy,
) -> Applied {
    Applied {
        text: file.splice(region.clone(), new),
        lines: LineRange::from_indexes(region),
        strategy,
    }
}

/// A REPLACE that says "unchanged lines here" with a comment, where the matched lines have no
/// such comment, would write the comment into the file in place of code: refused.
fn check_replace_elisions(region: &[&str], replace: &[&str]) -> Result<(), MatchError> {
    let present: HashSet<&str> = region.iter().map(|l| l.trim()).collect();
    match replace
        .iter()
        .find(|l| is_elision(l) && is_comment_elision(l) && !present.contains(l.trim()))
    {
        Some(line) => Err(MatchError::ElisionMismatch {
            line: line.trim().to_string(),
        }),
        None => Ok(()),
    }
}

/// A bare `...` is code in Python and elsewhere; a commented one is always an elision.
fn is_comment_elision(line: &str) -> bool {
    let t = line.trim();
    !(t == "..." || t == "…")
}

/// The REPLACE lines as they go into the file: re-indented by the fit, punctuation the model
/// changed put back, and lines the REPLACE keeps from the SEARCH taken from the file itself.
fn replacement<'a>(
    region: &[&'a str],
    replace: &[&'a str],
    level: Level,
    fit: &Fit,
) -> Vec<Cow<'a, str>> {
    let region_chars: HashSet<char> = if level == Level::Punctuation {
        region.iter().flat_map(|l| l.chars()).collect()
    } else {
        HashSet::new()
    };
    let new: Vec<Cow<'a, str>> = replace
        .iter()
        .map(|line| {
            let line = if level.ignores_indentation() {
                fit.apply(line)
            } else {
                Cow::Borrowed(*line)
            };
            if level == Level::Punctuation {
                Cow::Owned(fold_absent(&line, &region_chars))
            } else {
                line
            }
        })
        .collect();
    if level == Level::Exact {
        return new;
    }
    keep_unchanged(region, new, level)
}

/// Typographic characters the matched lines never use are the model's: folded to ASCII.
fn fold_absent(line: &str, present: &HashSet<char>) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match ascii_for(c) {
            Some(ascii) if !present.contains(&c) => out.push_str(ascii),
            _ => out.push(c),
        }
    }
    out
}

/// Lines of the new text that equal a matched file line but for what `level` forgives are
/// replaced by the file's own line, so an edit never rewrites whitespace or punctuation on
/// lines it did not mean to change. Pairs come from a diff, so they stay in order.
fn keep_unchanged<'a>(
    region: &[&'a str],
    mut new: Vec<Cow<'a, str>>,
    level: Level,
) -> Vec<Cow<'a, str>> {
    let key = |line: &str| -> String {
        if level == Level::Punctuation {
            format!("{}{}", indentation(line), fold_punctuation(line))
        } else {
            line.trim_end().to_string()
        }
    };
    let old_keys: Vec<String> = region.iter().map(|l| key(l)).collect();
    let new_keys: Vec<String> = new.iter().map(|l| key(l)).collect();
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for i in 0..len {
                new[new_index + i] = Cow::Borrowed(region[old_index + i]);
            }
        }
    }
    new
}

/// The elision strategy: `None` when the SEARCH elides nothing (nothing to try), else the
/// outcome. A REPLACE that elides nothing is the whole new text of the span the SEARCH
/// outlines ("this function, down to here" → "this instead"); one that elides must do so at
/// the same places as the SEARCH, and the elided lines are kept.
fn elided(
    file: &FileLines<'_>,
    contents: &[&str],
    search: &[&str],
    replace: &[&str],
) -> Option<Result<Applied, MatchError>> {
    if !has_elision(search) {
        return None;
    }
    let s = segments(search);
    let r = segments(replace);
    if s.pieces.iter().all(Vec::is_empty) {
        return None;
    }
    let whole = !has_elision(replace);
    if !whole && let Some(line) = elision_mismatch(&s, &r, replace) {
        return Some(Err(MatchError::ElisionMismatch { line }));
    }
    let replace_all: Vec<&str> = if whole {
        replace.to_vec()
    } else {
        r.pieces.concat()
    };
    for level in Level::ALL {
        let chains = chains(contents, &s.pieces, level, &replace_all);
        match chains.as_slice() {
            [] => {}
            [(places, fit)] => {
                let region = places[0].start..places[places.len() - 1].end;
                let new = if whole {
                    replacement(&contents[region.clone()], replace, level, fit)
                } else {
                    let mut new: Vec<Cow<'_, str>> = Vec::new();
                    for (i, (place, piece)) in places.iter().zip(&r.pieces).enumerate() {
                        if i > 0 {
                            let gap = places[i - 1].end..place.start;
                            new.extend(contents[gap].iter().map(|l| Cow::Borrowed(*l)));
                        }
                        new.extend(replacement(&contents[place.clone()], piece, level, fit));
                    }
                    new
                };
                return Some(Ok(applied(file, region, &new, Strategy::Elision)));
            }
            _ => {
                let spans = chains.iter().map(|(p, _)| p[0].start..p[p.len() - 1].end);
                return Some(Err(ambiguous(spans)));
            }
        }
    }
    None
}

/// The first REPLACE elision that has no partner in the SEARCH, if any.
fn elision_mismatch(s: &Segments<'_>, r: &Segments<'_>, replace: &[&str]) -> Option<String> {
    let unpartnered =
        s.inner() != r.inner() || (r.leading && !s.leading) || (r.trailing && !s.trailing);
    if !unpartnered {
        return None;
    }
    let line = replace
        .iter()
        .find(|l| is_elision(l))
        .map_or("...", |l| l.trim());
    Some(line.to_string())
}

/// Chains of places where the pieces match in order at `level` (each piece at the first place
/// after the one before), one per place of the first piece, with their one indentation fit.
fn chains(
    file: &[&str],
    pieces: &[Vec<&str>],
    level: Level,
    replace: &[&str],
) -> Vec<(Vec<Range<usize>>, Fit)> {
    let mut out = Vec::new();
    let file_keys = keys(file, level);
    let piece_keys: Vec<Vec<Cow<'_, str>>> = pieces.iter().map(|p| keys(p, level)).collect();
    for first in positions(&file_keys, &piece_keys[0], 0) {
        let mut places: Vec<Range<usize>> = Vec::with_capacity(pieces.len());
        places.push(first..first + pieces[0].len());
        let mut complete = true;
        for piece in &piece_keys[1..] {
            let from = places[places.len() - 1].end;
            if let Some(at) = positions(&file_keys, piece, from).next() {
                places.push(at..at + piece.len());
            } else {
                complete = false;
                break;
            }
        }
        if !complete {
            // Later chains start later still: they cannot find it either.
            break;
        }
        let fit = if level.ignores_indentation() {
            let pairs: Vec<(&str, &str)> = places
                .iter()
                .zip(pieces)
                .flat_map(|(place, piece)| {
                    file[place.clone()]
                        .iter()
                        .copied()
                        .zip(piece.iter().copied())
                })
                .collect();
            match fit(&pairs, replace, file) {
                Some(fit) => fit,
                None => continue,
            }
        } else {
            Fit::Same
        };
        out.push((places, fit));
        if out.len() > MAX_PLACES {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests;
