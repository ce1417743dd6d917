//! Events that reach the app loop: terminal input and the owned results of background work,
//! each tagged with the buffer it concerns so stale results can be recognised.

use std::path::PathBuf;

use tokio::sync::mpsc;

use crate::core::load::{LoadError, Loaded};
use crate::core::save::DiskStamp;

/// Identifies a buffer for as long as the app runs (never reused).
pub type BufferId = u64;

/// Identifies an AI request; events of a superseded or cancelled request are dropped.
pub type RequestId = u64;

/// What an AI request reports to the loop.
#[derive(Debug)]
pub enum AiUpdate {
    /// A retry is scheduled, answer text arrived, usage was reported, …
    Client(crate::ai::client::ClientEvent),
    /// The request is over.
    Finished(Result<(), crate::ai::AiError>),
}

#[derive(Debug)]
pub enum AppEvent {
    /// A key, mouse, paste, resize or focus event from the terminal.
    Input(crossterm::event::Event),
    /// A background load made progress.
    LoadProgress {
        buffer: BufferId,
        read: u64,
        total: u64,
    },
    /// A background load finished.
    Loaded {
        buffer: BufferId,
        result: Box<Result<Loaded, LoadError>>,
        stamp: Option<DiskStamp>,
    },
    /// The file picker has new items or new match results.
    PickerChanged,
    /// A recovery file was written (or failed) for this version of a buffer.
    RecoveryWritten {
        buffer: BufferId,
        version: u64,
        file: PathBuf,
        result: Result<(), String>,
    },
    /// A background parse of a buffer's text as it was at `version` finished.
    SyntaxParsed {
        buffer: BufferId,
        version: u64,
        tree: Option<tree_sitter::Tree>,
    },
    /// A language's queries finished compiling.
    SyntaxReady,
    /// Time to consider writing recovery files for idle dirty buffers, and to re-check open
    /// files against the disk (watch events can get lost).
    IdleTick,
    /// Open files changed on disk (from the file watcher).
    Fs(crate::watch::FsEvent),
    /// News from an AI request.
    Ai { id: RequestId, update: AiUpdate },
    /// Finding the provider ended (`Ok(None)`: nothing configured and no local server).
    ProviderResolved(Result<Option<crate::ai::provider::Provider>, crate::ai::AiError>),
    /// The workspace's context engine is built (its symbol index read or made).
    IndexReady(Box<crate::context::engine::Engine>),
    /// A check command finished.
    CheckDone(Box<crate::checking::CheckDone>),
    /// Inline completion: a typing pause is over, or an answer came back.
    Completion(crate::complete::CompletionEvent),
    /// The spinner of a waiting AI request moves on.
    AiTick,
    /// The tokenizer's table is loaded: counts shown as estimates can be made exact.
    TokensReady,
    /// SIGTERM or SIGHUP: save recovery files and leave.
    Terminate(&'static str),
}

/// The sending side of the app's one event channel; cheap to clone into background tasks.
#[derive(Debug, Clone)]
pub struct AppEventSender(mpsc::UnboundedSender<AppEvent>);

impl AppEventSender {
    pub fn new() -> (Self, mpsc::UnboundedReceiver<AppEvent>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Self(tx), rx)
    }

    /// Sends an event; if the loop has ended there is nobody to tell, which is fine.
    pub fn send(&self, event: AppEvent) {
        let _ = self.0.send(event);
    }
}
