//! A tiny crate to test context selection on.

pub mod render;
pub mod shapes;
