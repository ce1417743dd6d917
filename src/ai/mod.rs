//! The AI side of caret: talking to models and turning what they stream back into text the editor can show.

pub mod stream;
