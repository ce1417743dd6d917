//! The text core: documents, transactions, history, selections, movement, loading and saving.
//! Pure ropey: nothing here knows about the UI, the AI, async or the terminal.

pub mod columns;
pub mod document;
pub mod edit_log;
pub mod graphemes;
pub mod history;
pub mod line_diff;
pub mod load;
pub mod movement;
pub mod save;
pub mod search;
pub mod selection;
pub mod transaction;
