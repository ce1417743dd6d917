//! Suggested edits as diffs: the hunks between a text and a proposed text, with the words
//! that changed inside changed lines. Pure: no UI, no async, no I/O.

mod hunk;
mod lines;
mod spans;
mod words;

pub use hunk::{Block, Hunk, Row, RowKind, hunks};

/// Lines of unchanged text shown around each change, and the reach within which two changes
/// share a hunk (twice this), as `git diff` does.
pub const CONTEXT: usize = 3;
