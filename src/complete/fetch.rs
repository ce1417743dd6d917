//! Asking for a completion: fill-in-the-middle where the server offers it (`/completions`
//! with a suffix, llama.cpp's `/infill`), else a chat prompt made for it; a server that
//! refuses one way is asked the next, and the way that worked is used from then on.

use super::post;
use super::request::FimRequest;
use crate::ai::client::{self, ClientEvent, ClientSettings, FimEndpoint};
use crate::ai::provider::{Provider, ProviderKind};
use crate::ai::{AiError, ChatMessage, ChatRequest, Role, StreamEvent};

/// How a completion is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    Completions,
    Infill,
    Chat,
}

/// What came back: the text to show, and how it was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completed {
    pub text: String,
    pub strategy: Strategy,
}

/// The ways to try for a provider, best first; one that worked before is tried alone.
pub fn order(kind: ProviderKind, remembered: Option<Strategy>) -> Vec<Strategy> {
    if let Some(s) = remembered {
        return vec![s];
    }
    match kind {
        ProviderKind::Anthropic => vec![Strategy::Chat],
        ProviderKind::OpenAi | ProviderKind::Ollama => {
            vec![Strategy::Completions, Strategy::Infill, Strategy::Chat]
        }
    }
}

/// A server saying it does not do this (no such endpoint, a parameter it rejects, a model
/// without fill-in-the-middle tokens), as opposed to failing.
pub fn refused(error: &AiError) -> bool {
    matches!(
        error,
        AiError::Http { status, .. } if matches!(status, 400 | 404 | 405 | 415 | 422 | 501)
    )
}

/// The key the working strategy is remembered under.
pub fn provider_key(provider: &Provider) -> String {
    format!("{} {}", provider.base_url, provider.model)
}

const CHAT_SYSTEM: &str = "You are a code completion engine. The user shows a file with the \
marker <CURSOR> where the cursor is. Reply with only the text to insert at <CURSOR>: no \
explanation, no code fences, and none of the code before or after the cursor repeated.";

/// The chat prompt for a server without fill-in-the-middle.
pub fn chat_request(request: &FimRequest, max_tokens: u32) -> ChatRequest {
    let language = request.language.as_deref().unwrap_or("");
    let user = format!(
        "Complete the code at <CURSOR> in {}. Reply with only the inserted text.\n\n```{language}\n{}<CURSOR>{}\n```",
        request.path, request.prefix, request.suffix
    );
    ChatRequest {
        messages: vec![
            ChatMessage::new(Role::System, CHAT_SYSTEM),
            ChatMessage::new(Role::User, user),
        ],
        max_tokens,
        temperature: Some(0.0),
    }
}

/// Asks `provider` for the completion of `request`, trying the ways of [`order`] until one is
/// not refused. The text is cleaned (see `post::clean`).
pub async fn fetch(
    http: &reqwest::Client,
    provider: &Provider,
    request: &FimRequest,
    settings: &ClientSettings,
    max_tokens: u32,
    max_lines: usize,
    remembered: Option<Strategy>,
) -> Result<Completed, AiError> {
    let mut last = None;
    for strategy in order(provider.kind, remembered) {
        let result = match strategy {
            Strategy::Completions | Strategy::Infill => {
                let endpoint = if strategy == Strategy::Completions {
                    FimEndpoint::Completions
                } else {
                    FimEndpoint::Infill
                };
                client::fill_in_middle(
                    http,
                    provider,
                    endpoint,
                    &request.prefix,
                    &request.suffix,
                    max_tokens,
                    settings,
                )
                .await
            }
            Strategy::Chat => {
                let chat = chat_request(request, max_tokens);
                let mut text = String::new();
                let mut on = |event: ClientEvent| {
                    if let ClientEvent::Stream(StreamEvent::Delta(d)) = event {
                        text.push_str(&d);
                    }
                };
                client::stream_chat(http, provider, &chat, settings, &mut on)
                    .await
                    .map(|()| text)
            }
        };
        match result {
            Ok(raw) => {
                let text = post::clean(&raw, request, strategy == Strategy::Chat, max_lines);
                return Ok(Completed { text, strategy });
            }
            Err(e) if refused(&e) => {
                tracing::info!(?strategy, error = %e, "completion: the server refuses this way");
                last = Some(e);
            }
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| AiError::Config("no way to ask for a completion".to_string())))
}
