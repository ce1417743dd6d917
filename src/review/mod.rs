//! A suggested edit under review in a buffer: the proposal (off the rope, anchored to the
//! text), the AI request still streaming into it, what the user asked, the blocks of the
//! reply that could not be placed, and whether the review has the keys.

pub mod apply;
pub mod diff_view;
pub mod hunk_edit;
pub mod keys;
pub mod layout;
pub mod request;
pub mod view;

use crate::ai::edit::Refusal;
use crate::diff::{Decision, Proposal};
use crate::event::RequestId;

/// One buffer's suggested edit. Lives in [`crate::buffer::Buffer::review`]; only accepting a
/// hunk touches the document, through one Transaction per `y` (or per `a`).
#[derive(Debug, Clone)]
pub struct Review {
    pub proposal: Proposal,
    /// The AI request whose reply is streaming into the proposal, while it runs.
    pub request: Option<RequestId>,
    /// For an inline edit: the 0-based lines `first..=last` of the proposal's base that the
    /// reply's code block replaces. `None` for SEARCH/REPLACE replies and applied code blocks.
    pub region: Option<(usize, usize)>,
    /// What the user asked for, shown while reviewing.
    pub instruction: String,
    /// The review has the keys (`y n a d j k e q`); `q`/Esc leave it with the undecided
    /// hunks still pending, Ctrl-K comes back.
    pub active: bool,
    /// Blocks of the reply that could not be placed, with why (shown, and sent back to the
    /// model with `r`).
    pub refused: Vec<Refusal>,
    /// The review of a fix (Ctrl-T): once decided, the check runs again.
    pub fix: bool,
}

impl Review {
    pub fn new(proposal: Proposal, instruction: impl Into<String>) -> Self {
        Self {
            proposal,
            request: None,
            region: None,
            instruction: instruction.into(),
            active: true,
            refused: Vec::new(),
            fix: false,
        }
    }

    /// Still receiving the reply.
    pub fn is_streaming(&self) -> bool {
        self.request.is_some()
    }

    /// Hunks that can be decided now: all once the reply is complete, else those the rest
    /// of the reply can no longer change.
    pub fn decidable(&self) -> usize {
        self.proposal.settled()
    }

    /// Counts of (pending, stale, accepted, rejected) hunks.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut c = (0, 0, 0, 0);
        for d in self.proposal.decisions() {
            match d {
                Decision::Pending => c.0 += 1,
                Decision::Stale => c.1 += 1,
                Decision::Accepted => c.2 += 1,
                Decision::Rejected => c.3 += 1,
            }
        }
        c
    }

    /// Nothing is left to decide and nothing more will come: the review can go.
    pub fn is_done(&self) -> bool {
        !self.is_streaming() && self.proposal.is_reviewed()
    }
}
