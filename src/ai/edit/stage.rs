//! Staging a reply: every block applied, in order, to the text the blocks before it left,
//! file by file, giving each file's proposed text for review; what cannot be applied is
//! refused block by block, with its SEARCH/REPLACE kept for the user and a message for the
//! user and one for the model. Pure: file texts and target checks come in as functions.

use std::collections::HashMap;

use super::matcher::{MatchError, apply_block};
use super::parse::{ParsedReply, parse_reply};
use super::{Candidate, LineRange};

/// Whether a reply may write a path: `Ok` with the workspace-relative path to use, or `Err`
/// with the reason, for people. [`super::target_checker`] makes the real one.
pub type TargetCheck<'a> = dyn Fn(&str) -> Result<String, String> + 'a;

/// One file's proposed change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedFile {
    /// Workspace-relative, `/`-separated.
    pub path: String,
    /// Its text before the reply; `None` for a file the reply creates.
    pub base: Option<String>,
    /// Its text with the reply's blocks applied.
    pub proposed: String,
    /// The blocks applied to it, by index, in order.
    pub blocks: Vec<usize>,
}

/// What became of a reply.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Staged {
    /// The files changed, in the order the reply first names them.
    pub files: Vec<StagedFile>,
    /// The blocks that were not applied, in reply order.
    pub refused: Vec<Refusal>,
    /// The reply ended inside a block (still streaming, or cut off).
    pub incomplete: bool,
}

/// What kind of failure a refusal is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefusalKind {
    /// No path anywhere, and no file the request was about.
    NoPath,
    /// The path may not be written (outside the workspace, `.git/`, secret, ignored, binary).
    Target,
    /// The block broke off (a marker is missing).
    Malformed,
    /// The SEARCH has text and the file does not exist.
    NoSuchFile,
    /// The SEARCH is empty and the file has text.
    FileNotEmpty,
    /// The SEARCH matches several places.
    Ambiguous { places: Vec<LineRange> },
    /// The SEARCH matches nowhere.
    NoMatch,
    /// The REPLACE elides lines where the SEARCH does not.
    ElisionMismatch,
}

/// A block that was not applied, with all it takes to apply it by hand or ask again.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// The block's index in the reply.
    pub block: usize,
    /// The file it was for (workspace-relative once the path passed its checks, else as
    /// written; empty when the block named none).
    pub path: String,
    /// What kind of failure.
    pub kind: RefusalKind,
    /// Why, for people ("the SEARCH text matches 2 places (lines 3-5, 20-22)").
    pub reason: String,
    /// For a SEARCH that matched nowhere: the most alike places, best first (only shown).
    pub nearest: Vec<Candidate>,
    /// The block's SEARCH text.
    pub search: String,
    /// The block's REPLACE text.
    pub replace: String,
}

/// Stages a whole reply. `files` gives a file's current text by workspace-relative path
/// (`None`: no such file); `default_path` is the file the request was about; `check` decides
/// which paths may be written. Blocks for one file apply in order, each to the text the ones
/// before it produced; a refused block does not stop the others.
pub fn stage(
    reply: &str,
    files: &dyn Fn(&str) -> Option<String>,
    default_path: Option<&str>,
    check: &TargetCheck<'_>,
) -> Staged {
    stage_parsed(&parse_reply(reply, default_path), files, check)
}

/// [`stage`] for a reply already parsed (by a [`super::ReplyParser`] fed as it streamed).
pub fn stage_parsed(
    parsed: &ParsedReply,
    files: &dyn Fn(&str) -> Option<String>,
    check: &TargetCheck<'_>,
) -> Staged {
    enum Item<'p> {
        Block(&'p super::Block),
        Broken(&'p super::Malformed),
    }
    let mut items: Vec<(usize, Item<'_>)> = parsed
        .blocks
        .iter()
        .map(|b| (b.index, Item::Block(b)))
        .chain(parsed.malformed.iter().map(|m| (m.index, Item::Broken(m))))
        .collect();
    items.sort_by_key(|(index, _)| *index);

    let mut staged = Staged {
        incomplete: parsed.incomplete,
        ..Staged::default()
    };
    let mut checked: HashMap<String, Result<String, String>> = HashMap::new();
    let mut bases: HashMap<String, Option<String>> = HashMap::new();
    for (index, item) in items {
        let block = match item {
            Item::Broken(m) => {
                staged.refused.push(Refusal {
                    block: index,
                    path: m.path.clone().unwrap_or_default(),
                    kind: RefusalKind::Malformed,
                    reason: format!("the block broke off: {}", m.reason),
                    nearest: Vec::new(),
                    search: m.search.clone(),
                    replace: m.replace.clone(),
                });
                continue;
            }
            Item::Block(block) => block,
        };
        let refuse =
            |path: &str, kind: RefusalKind, reason: String, nearest: Vec<Candidate>| Refusal {
                block: index,
                path: path.to_string(),
                kind,
                reason,
                nearest,
                search: block.search.clone(),
                replace: block.replace.clone(),
            };
        let Some(written) = &block.path else {
            let reason = "the block names no file".to_string();
            staged
                .refused
                .push(refuse("", RefusalKind::NoPath, reason, Vec::new()));
            continue;
        };
        let verdict = checked
            .entry(written.clone())
            .or_insert_with(|| check(written))
            .clone();
        let path = match verdict {
            Ok(path) => path,
            Err(reason) => {
                staged
                    .refused
                    .push(refuse(written, RefusalKind::Target, reason, Vec::new()));
                continue;
            }
        };
        let at = staged.files.iter().position(|f| f.path == path);
        let current = match at {
            Some(i) => Some(staged.files[i].proposed.clone()),
            None => bases
                .entry(path.clone())
                .or_insert_with(|| files(&path))
                .clone(),
        };
        match apply_block(current.as_deref(), &block.search, &block.replace) {
            Ok(applied) => match at {
                Some(i) => {
                    staged.files[i].proposed = applied.text;
                    staged.files[i].blocks.push(index);
                }
                None => staged.files.push(StagedFile {
                    path,
                    base: current,
                    proposed: applied.text,
                    blocks: vec![index],
                }),
            },
            Err(error) => {
                let reason = error.to_string();
                let (kind, nearest) = match error {
                    MatchError::Ambiguous { places } => {
                        (RefusalKind::Ambiguous { places }, Vec::new())
                    }
                    MatchError::NoMatch { nearest } => (RefusalKind::NoMatch, nearest),
                    MatchError::FileNotEmpty => (RefusalKind::FileNotEmpty, Vec::new()),
                    MatchError::NoSuchFile => (RefusalKind::NoSuchFile, Vec::new()),
                    MatchError::ElisionMismatch { .. } => {
                        (RefusalKind::ElisionMismatch, Vec::new())
                    }
                };
                staged.refused.push(refuse(&path, kind, reason, nearest));
            }
        }
    }
    staged
}

impl Refusal {
    /// One line for people: the file, why, and what might help.
    pub fn message(&self) -> String {
        let what = if self.path.is_empty() {
            format!("block {}", self.block + 1)
        } else {
            self.path.clone()
        };
        let hint = match &self.kind {
            RefusalKind::Target => format!("refused: {}", self.reason),
            RefusalKind::Ambiguous { .. } => {
                format!("{}; more lines around it would make it one", self.reason)
            }
            RefusalKind::NoMatch => match self.nearest.first() {
                // The same words, nested differently: matching refused to guess the nesting.
                Some(near) if near.score >= 0.995 => format!(
                    "{}; {} differ from it only in whitespace: {}",
                    self.reason,
                    near.lines.describe(),
                    first_line(&near.text)
                ),
                Some(near) => format!(
                    "{}; did you mean {} ({:.0}% alike): {}",
                    self.reason,
                    near.lines.describe(),
                    near.score * 100.0,
                    first_line(&near.text)
                ),
                None => self.reason.clone(),
            },
            _ => self.reason.clone(),
        };
        format!("{what}: {hint}")
    }

    /// A short correction request to send back to the model, quoting the failed SEARCH and
    /// the nearest candidate.
    pub fn for_model(&self) -> String {
        let file = if self.path.is_empty() {
            "an unnamed file".to_string()
        } else {
            format!("`{}`", self.path)
        };
        let mut out = format!(
            "Your SEARCH/REPLACE block {} for {file} was not applied: {}.\n",
            self.block + 1,
            self.reason
        );
        let ask = match &self.kind {
            RefusalKind::NoPath => {
                "Send it again with the file's path alone on the line before the block."
            }
            RefusalKind::Target => "Do not edit that file.",
            RefusalKind::Malformed => {
                "Send it again whole: the path, a fence, <<<<<<< SEARCH, the lines to find, =======, the new lines, >>>>>>> REPLACE, the closing fence."
            }
            RefusalKind::NoSuchFile => {
                "To create the file, send a block with an empty SEARCH; to edit another file, use its exact path."
            }
            RefusalKind::FileNotEmpty => {
                "The file exists: send a SEARCH holding the exact lines to replace."
            }
            RefusalKind::Ambiguous { .. } => {
                "Send it again with enough lines around the change in SEARCH to match exactly one place."
            }
            RefusalKind::NoMatch => {
                "Send it again with a SEARCH that copies the file's current lines exactly, whitespace and comments included."
            }
            RefusalKind::ElisionMismatch => {
                "Send it again with the unchanged lines written out in REPLACE, or elided at the same places in SEARCH."
            }
        };
        if !self.search.is_empty()
            && !matches!(self.kind, RefusalKind::Target | RefusalKind::NoPath)
        {
            out.push_str("Its SEARCH was:\n");
            out.push_str(&quoted(&self.search));
        }
        if let Some(near) = self.nearest.first() {
            out.push_str("The closest place in the file is ");
            out.push_str(&near.lines.describe());
            out.push_str(":\n");
            out.push_str(&quoted(&near.text));
        }
        out.push_str(ask);
        out
    }
}

/// The first non-blank line of a text, shortened for a one-line message.
fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    crate::ai::clip(line, 60)
}

/// Text in a fence longer than any run of backticks inside it.
fn quoted(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let body = if text.ends_with('\n') || text.is_empty() {
        text.to_string()
    } else {
        format!("{text}\n")
    };
    format!("{fence}\n{body}{fence}\n")
}

#[cfg(test)]
mod tests;
