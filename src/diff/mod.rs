//! Suggested edits as diffs: the hunks between a text and a proposed text, the review state
//! of a proposal (decisions, re-anchoring onto a changed document), the transactions that
//! accepted hunks become, incremental re-diffing while a reply streams, and unified diffs.
//! Pure: no UI, no async, no I/O.

mod anchor;
mod apply;
mod hunk;
mod lines;
mod proposal;
mod spans;
mod stream;
mod unified;
mod words;

pub use apply::{Plan, text_for};
pub use hunk::{Block, Hunk, Row, RowKind, hunks};
pub use proposal::{Decision, Proposal};
pub use stream::rediff;
pub use unified::unified;

use crate::core::document::EditError;
use crate::core::transaction::TransactionError;

/// Lines of unchanged text shown around each change, and the reach within which two changes
/// share a hunk (twice this), as `git diff` does.
pub const CONTEXT: usize = 3;

/// Why a review step could not be taken. Nothing is changed when one of these is returned.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DiffError {
    /// The index names no hunk of the proposal.
    #[error("there is no hunk {}", .0 + 1)]
    NoSuchHunk(usize),
    /// The hunk was already accepted or rejected.
    #[error("hunk {} is already {decision}", .hunk + 1)]
    Decided { hunk: usize, decision: Decision },
    /// The hunk's lines or their context are no longer in the text (or are there more than
    /// once): it is not applied anywhere rather than applied in the wrong place.
    #[error("hunk {} no longer applies: the text around it changed", .0 + 1)]
    Stale(usize),
    /// The changes did not fit the text (a bug: they are built from that text).
    #[error(transparent)]
    Transaction(#[from] TransactionError),
    /// The document refused the edit (e.g. it is read-only).
    #[error(transparent)]
    Edit(#[from] EditError),
}
