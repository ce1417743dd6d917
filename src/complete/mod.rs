//! Inline completion (ghost text): what is sent and how it is asked for, what comes back,
//! the cache of answers, and the editor's side — the typing pause, cancelling, showing and
//! accepting. `caret complete` uses the same request and fetch.

mod editor;
pub mod fetch;
pub mod ghost;
pub mod post;
pub mod request;

use std::collections::{HashMap, VecDeque};

use tokio::task::AbortHandle;

use crate::ai::AiError;
use crate::event::{BufferId, RequestId};
pub use fetch::{Completed, Strategy};
pub use ghost::GhostText;
pub use request::{CacheKey, FimRequest};

/// News for the app loop.
#[derive(Debug)]
pub enum CompletionEvent {
    /// The typing pause of timer `id` is over.
    Due { id: RequestId },
    /// Request `id` (for `key`, at `provider`) ended; `Ok(None)`: the gate let nothing go.
    Done {
        id: RequestId,
        key: CacheKey,
        provider: String,
        result: Result<Option<Completed>, AiError>,
    },
}

/// Where a request was asked for: its answer shows only if the buffer is still there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spot {
    pub buffer: BufferId,
    pub version: u64,
    pub at: usize,
}

#[derive(Debug)]
struct InFlight {
    id: RequestId,
    abort: AbortHandle,
    spot: Spot,
}

/// Answers kept for this session, the least recently used dropped first.
#[derive(Debug, Default)]
pub struct Cache {
    entries: VecDeque<(CacheKey, String)>,
}

impl Cache {
    const CAPACITY: usize = 64;

    pub fn get(&mut self, key: &CacheKey) -> Option<String> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        let entry = self.entries.remove(i)?;
        let text = entry.1.clone();
        self.entries.push_back(entry);
        Some(text)
    }

    pub fn insert(&mut self, key: CacheKey, text: String) {
        self.entries.retain(|(k, _)| *k != key);
        if self.entries.len() == Self::CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back((key, text));
    }
}

/// The editor's completion state (owned by the app; only the loop changes it).
#[derive(Debug, Default)]
pub struct State {
    /// The completion on screen.
    pub ghost: Option<GhostText>,
    /// The typing pause being waited out.
    timer: Option<(RequestId, AbortHandle)>,
    in_flight: Option<InFlight>,
    next_id: RequestId,
    cache: Cache,
    /// The way each provider answered (see `fetch::order`).
    strategies: HashMap<String, Strategy>,
    /// A failure was shown once; later ones go to the log only.
    failure_shown: bool,
    /// Requests started this session (a figure for tests and benchmarks).
    pub sent: u64,
}

impl State {
    /// True while a request is waiting for its answer.
    pub fn in_flight(&self) -> bool {
        self.in_flight.is_some()
    }

    /// Stops the pause being waited out and the request in flight (its connection dropped).
    pub fn cancel(&mut self) {
        if let Some((_, abort)) = self.timer.take() {
            abort.abort();
        }
        if let Some(f) = self.in_flight.take() {
            f.abort.abort();
        }
    }
}
