//! The AI half: providers and their wire formats, the SSE reader, prompts, the streaming
//! collector, token counts and prices, the chat transcript, edit replies read into proposed
//! text. Only `client.rs` touches the network.

pub mod anthropic;
pub mod client;
pub mod cost;
pub mod edit;
pub mod openai;
pub mod prompt;
pub mod provider;
pub mod sse;
pub mod stream;
pub mod tokens;
pub mod transcript;

use serde::{Deserialize, Serialize};

/// Who said a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

/// One message of a conversation as the model sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: Role,
    pub content: String,
}

impl ChatMessage {
    pub fn new(role: Role, content: impl Into<String>) -> Self {
        Self {
            role,
            content: content.into(),
        }
    }
}

/// What to ask: the conversation, ending with the user's turn.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRequest {
    pub messages: Vec<ChatMessage>,
    /// Upper bound on the answer's length (Anthropic requires one).
    pub max_tokens: u32,
    pub temperature: Option<f32>,
}

/// Token counts the API reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Usage {
    pub input: Option<u64>,
    pub output: Option<u64>,
}

/// What a wire format makes of one SSE event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEvent {
    /// More answer text.
    Delta(String),
    /// Token counts (may come more than once; later values win).
    Usage(Usage),
    /// The model stopped for this reason ("stop", "length", "`end_turn`", …).
    Finished(String),
    /// The stream's own terminator (`[DONE]`, `message_stop`): the answer is complete.
    End,
}

/// Everything that can go wrong with a request, as the user should read it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AiError {
    #[error("no AI provider configured: {0}")]
    NotConfigured(String),
    /// The configuration names something that cannot work.
    #[error("{0}")]
    Config(String),
    #[error("HTTP {status}: {message}")]
    Http {
        status: u16,
        message: String,
        /// Seconds the server asked us to wait (Retry-After).
        retry_after: Option<u64>,
    },
    #[error("cannot connect to {0}")]
    Connect(String),
    #[error("no data from the server for {:.1} s", .0.as_secs_f64())]
    IdleTimeout(std::time::Duration),
    #[error("connection lost: {0}")]
    Network(String),
    #[error("stream ended early")]
    EndedEarly,
    #[error("{kind}: {message}")]
    Api { kind: String, message: String },
    #[error("the server sent invalid JSON: {0}")]
    InvalidJson(String),
    #[error("cannot get the API key: {0}")]
    Key(String),
}

impl AiError {
    /// Worth another attempt before any answer text arrived: rate limits, server errors,
    /// overloads and failed connections — not a bad key or a bad request.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Http { status, .. } => *status == 429 || *status == 408 || *status >= 500,
            Self::Connect(_) | Self::Network(_) | Self::EndedEarly | Self::IdleTimeout(_) => true,
            Self::Api { kind, .. } => {
                kind.contains("overloaded") || kind.contains("rate_limit") || kind == "api_error"
            }
            _ => false,
        }
    }

    /// A short reason for "retrying in Ns (…)".
    pub fn short(&self) -> String {
        match self {
            Self::Http { status, .. } => status.to_string(),
            Self::Connect(_) => "cannot connect".to_string(),
            Self::Network(_) => "connection lost".to_string(),
            Self::IdleTimeout(_) => "timeout".to_string(),
            Self::Api { kind, .. } => kind.clone(),
            other => other.to_string(),
        }
    }
}

/// Keeps at most `max` chars of a message from a server (error bodies can be whole pages).
pub fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}
