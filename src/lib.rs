//! caret: a terminal code editor with an AI pair built in. This file is the module list only.

pub mod action;
pub mod ai;
pub mod app;
pub mod buffer;
pub mod chat;
pub mod config;
pub mod context;
pub mod core;
pub mod dialog;
pub mod diff;
pub mod disk_sync;
pub mod event;
pub mod files;
pub mod headless;
pub mod highlighting;
pub mod indexing;
pub mod keymap;
pub mod palette;
pub mod picker;
pub mod prompt;
pub mod recovery;
pub mod syntax;
pub mod term;
pub mod themes;
pub mod ui;
pub mod watch;
