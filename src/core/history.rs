//! Undo history: a linear stack of undo steps. Each step is one or more transactions with
//! their inverses, so consecutive typing can be grouped into one step without composing.

use std::time::{Duration, Instant};

use crate::core::selection::Selection;
use crate::core::transaction::Transaction;

/// What kind of edit a transaction was, for grouping typing into undo steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    /// A typed character: consecutive ones join one step.
    Insert,
    /// Backspace/Delete of single graphemes: consecutive ones join one step.
    Delete,
    /// Anything else (paste, cut, replace, reload, newline): always its own step.
    Other,
}

/// Typing pauses longer than this start a new undo step.
const GROUP_PAUSE: Duration = Duration::from_secs(1);

#[derive(Debug, Clone)]
struct Step {
    /// Transactions in the order they were applied, each with its inverse.
    forward: Vec<Transaction>,
    inverse: Vec<Transaction>,
    selection_before: Selection,
    selection_after: Selection,
    kind: EditKind,
    last_edit: Instant,
    /// Identifies the text state before and after this step (for the dirty flag).
    state_before: u64,
    state_after: u64,
}

/// The result of undo or redo: transactions to apply in order, and the selection after.
#[derive(Debug)]
pub struct Replay<'a> {
    pub transactions: Vec<&'a Transaction>,
    pub selection: Selection,
    pub state: u64,
}

#[derive(Debug, Clone, Default)]
pub struct History {
    steps: Vec<Step>,
    /// Number of steps currently applied (steps[cursor..] are redoable).
    cursor: usize,
    next_state: u64,
    /// When false, the next edit starts a new step even if it could join the last.
    open: bool,
}

impl History {
    /// The id of the current text state.
    pub fn state(&self) -> u64 {
        if self.cursor == 0 {
            0
        } else {
            self.steps[self.cursor - 1].state_after
        }
    }

    /// Records an applied transaction. Returns the new state id.
    pub fn record(
        &mut self,
        tx: Transaction,
        inverse: Transaction,
        before: Selection,
        after: Selection,
        kind: EditKind,
    ) -> u64 {
        self.steps.truncate(self.cursor);
        self.next_state += 1;
        let state = self.next_state;
        let now = Instant::now();
        if let Some(last) = self.steps.last_mut().filter(|last| {
            self.open
                && kind != EditKind::Other
                && last.kind == kind
                && last.selection_after.head == before.head
                && before.is_empty()
                && now.duration_since(last.last_edit) < GROUP_PAUSE
        }) {
            last.forward.push(tx);
            last.inverse.push(inverse);
            last.selection_after = after;
            last.last_edit = now;
            last.state_after = state;
        } else {
            let state_before = self.state();
            self.steps.push(Step {
                forward: vec![tx],
                inverse: vec![inverse],
                selection_before: before,
                selection_after: after,
                kind,
                last_edit: now,
                state_before,
                state_after: state,
            });
            self.cursor = self.steps.len();
        }
        self.open = kind != EditKind::Other;
        state
    }

    /// Ends the current group: the next edit starts a new undo step.
    pub fn seal(&mut self) {
        self.open = false;
    }

    /// The transactions that made the current text from the initial one, in order.
    pub fn applied(&self) -> impl Iterator<Item = &Transaction> {
        self.steps[..self.cursor]
            .iter()
            .flat_map(|step| step.forward.iter())
    }

    pub fn can_undo(&self) -> bool {
        self.cursor > 0
    }

    pub fn can_redo(&self) -> bool {
        self.cursor < self.steps.len()
    }

    /// The inverses of the last step, in the order to apply them.
    pub fn undo(&mut self) -> Option<Replay<'_>> {
        if self.cursor == 0 {
            return None;
        }
        self.open = false;
        self.cursor -= 1;
        let step = &self.steps[self.cursor];
        Some(Replay {
            transactions: step.inverse.iter().rev().collect(),
            selection: step.selection_before,
            state: step.state_before,
        })
    }

    /// The transactions of the next undone step, in the order to apply them.
    pub fn redo(&mut self) -> Option<Replay<'_>> {
        if self.cursor >= self.steps.len() {
            return None;
        }
        self.open = false;
        let step = &self.steps[self.cursor];
        self.cursor += 1;
        Some(Replay {
            transactions: step.forward.iter().collect(),
            selection: step.selection_after,
            state: step.state_after,
        })
    }
}
