//! Model output → proposed text: parsing edit replies (SEARCH/REPLACE blocks, inline fenced
//! replacements), matching a SEARCH tolerantly but never on similarity alone, staging a whole
//! reply against the workspace's files, and the safety checks on the files a reply may touch.
//!
//! Everything here is pure except [`target`], which looks at the file system to resolve
//! paths. Text from the reply and from the files is data: it is matched, never interpreted.

mod elision;
mod fenced;
mod indent;
mod matcher;
mod nearest;
mod parse;
mod path_line;
mod stage;
pub mod target;
mod text;

pub use elision::is_elision;
pub use fenced::{fence_line, fenced_replacement};
pub use matcher::{Applied, MatchError, Strategy, apply_block};
pub use parse::{Block, Malformed, ParsedReply, ReplyParser, parse_reply};
pub use stage::{Refusal, RefusalKind, Staged, StagedFile, TargetCheck, stage, stage_parsed};
pub use target::{TargetError, check_target, normalize_path, target_checker};

/// A range of whole lines, 1-based and inclusive, as people and compilers count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineRange {
    /// The first line, counting from 1.
    pub start: usize,
    /// The last line, inclusive; equal to `start` for one line.
    pub end: usize,
}

impl LineRange {
    /// The lines of a 0-based half-open range of line indexes; an empty range is shown as the
    /// line before which it sits.
    pub fn from_indexes(range: std::ops::Range<usize>) -> Self {
        let start = range.start + 1;
        Self {
            start,
            end: range.end.max(start),
        }
    }
}

impl LineRange {
    /// "line 4" or "lines 4-9", for messages.
    pub fn describe(&self) -> String {
        if self.start == self.end {
            format!("line {self}")
        } else {
            format!("lines {self}")
        }
    }
}

impl std::fmt::Display for LineRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}

/// A place in a file that resembles a SEARCH that matched nowhere, for a "did you mean"
/// message. It is never applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Where it is, in the text the block was matched against.
    pub lines: LineRange,
    /// Those lines of the file, each ending with `\n`.
    pub text: String,
    /// How alike it is to the SEARCH, from 0 (nothing in common) to 1 (the same but for
    /// whitespace).
    pub score: f32,
}
