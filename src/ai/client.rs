//! The only network code: sends a chat request, reads the SSE answer with an idle timeout,
//! retries what is worth retrying before the first token (backoff with jitter, Retry-After),
//! and probes for local servers. Cancelling is dropping the future: the connection goes too.

use std::hash::{BuildHasher as _, Hasher as _};
use std::time::Duration;

use futures_util::StreamExt as _;

use super::provider::{Provider, ProviderKind, error_message};
use super::sse::SseParser;
use super::{AiError, ChatRequest, StreamEvent};
use crate::config::AiConfig;

/// How patient a request is.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    pub max_retries: u32,
    pub connect_timeout: Duration,
    pub idle_timeout: Duration,
    /// The first retry waits about this long; each further one twice as long.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
}

impl From<&AiConfig> for ClientSettings {
    fn from(config: &AiConfig) -> Self {
        Self {
            max_retries: config.max_retries,
            connect_timeout: Duration::from_millis(config.connect_timeout_ms.max(1)),
            idle_timeout: Duration::from_millis(config.idle_timeout_ms.max(1)),
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
        }
    }
}

/// A server asking for a longer pause than this is not waited for: the user decides.
const MAX_RETRY_AFTER_SECS: u64 = 60;
/// Error bodies are read up to this size for their message.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// What the caller hears while a request runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// Attempt `attempt` failed before any text; the next starts after `delay`.
    Retrying {
        attempt: u32,
        delay: Duration,
        reason: String,
    },
    Stream(StreamEvent),
}

/// One HTTP client for the app: connection reuse, and the connect timeout.
pub fn http_client(settings: &ClientSettings) -> Result<reqwest::Client, AiError> {
    reqwest::Client::builder()
        .connect_timeout(settings.connect_timeout)
        .user_agent(concat!("caret/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| AiError::Network(e.to_string()))
}

/// Streams the answer to `request` into `on`, retrying transient failures until text arrives.
/// Once any text has arrived a failure is returned, never retried: the caller keeps the part.
pub async fn stream_chat(
    http: &reqwest::Client,
    provider: &Provider,
    request: &ChatRequest,
    settings: &ClientSettings,
    on: &mut (dyn FnMut(ClientEvent) + Send),
) -> Result<(), AiError> {
    let mut attempt = 0;
    loop {
        let mut got_text = false;
        let result = attempt_once(http, provider, request, settings, &mut |event| {
            got_text |= matches!(event, StreamEvent::Delta(_));
            on(ClientEvent::Stream(event));
        })
        .await;
        let error = match result {
            Ok(()) => return Ok(()),
            Err(e) => e,
        };
        let retry_after = match &error {
            AiError::Http { retry_after, .. } => *retry_after,
            _ => None,
        };
        let worth_it = !got_text
            && error.is_transient()
            && attempt < settings.max_retries
            && retry_after.is_none_or(|s| s <= MAX_RETRY_AFTER_SECS);
        if !worth_it {
            return Err(match error {
                AiError::Http {
                    status,
                    message,
                    retry_after,
                } if attempt > 0 => AiError::Http {
                    status,
                    message: format!("{message} (after {} attempts)", attempt + 1),
                    retry_after,
                },
                other => other,
            });
        }
        let delay = retry_after.map_or_else(|| backoff(settings, attempt), Duration::from_secs);
        attempt += 1;
        on(ClientEvent::Retrying {
            attempt,
            delay,
            reason: error.short(),
        });
        tracing::info!(attempt, ?delay, reason = %error, "retrying AI request");
        tokio::time::sleep(delay).await;
    }
}

/// Exponential backoff with "equal jitter": half fixed, half random, so clients that failed
/// together do not come back together.
fn backoff(settings: &ClientSettings, attempt: u32) -> Duration {
    let full = settings
        .backoff_base
        .saturating_mul(1 << attempt.min(16))
        .min(settings.backoff_max);
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    let half = full / 2;
    half + half.mul_f64((random % 1000) as f64 / 1000.0)
}

async fn attempt_once(
    http: &reqwest::Client,
    provider: &Provider,
    request: &ChatRequest,
    settings: &ClientSettings,
    on: &mut (dyn FnMut(StreamEvent) + Send),
) -> Result<(), AiError> {
    let mut wire = provider.kind.wire();
    let mut builder = http
        .post(wire.url(provider))
        .header("accept", "text/event-stream")
        .json(&wire.body(provider, request));
    for (name, value) in wire.headers(provider) {
        builder = builder.header(name, value);
    }
    let idle = settings.idle_timeout;
    let response = send_within(builder, idle, provider).await?;
    let status = response.status();
    if !status.is_success() {
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let body = read_bounded(response, idle).await;
        let message = error_message(&body);
        let message = match &provider.key {
            Some(key) => key.scrub(&message),
            None => message,
        };
        return Err(AiError::Http {
            status: status.as_u16(),
            message: if message.is_empty() {
                status.canonical_reason().unwrap_or("error").to_string()
            } else {
                message
            },
            retry_after,
        });
    }
    let mut body = response.bytes_stream();
    let mut parser = SseParser::new();
    let mut events = Vec::new();
    let mut finished = false;
    loop {
        let chunk = match tokio::time::timeout(idle, body.next()).await {
            Err(_) => return Err(AiError::IdleTimeout(idle)),
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                // A connection cut mid-body is a stream without its terminator.
                tracing::warn!(error = %network_error(&e, provider), "AI stream cut");
                return Err(AiError::EndedEarly);
            }
            Ok(Some(Ok(chunk))) => chunk,
        };
        parser.push(&chunk, &mut events);
        for event in events.drain(..) {
            for parsed in wire.parse(&event)? {
                match parsed {
                    StreamEvent::End => return Ok(()),
                    StreamEvent::Finished(_) => finished = true,
                    _ => {}
                }
                on(parsed);
            }
        }
    }
    // Some servers close after the finish reason without a terminator; the answer is whole.
    if finished && !parser.has_partial_event() {
        Ok(())
    } else {
        Err(AiError::EndedEarly)
    }
}

/// The two fill-in-the-middle APIs servers offer besides chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FimEndpoint {
    /// OpenAI-compatible `/completions` with `prompt` and `suffix` (Ollama, some vLLM models).
    Completions,
    /// llama.cpp's `/infill` with `input_prefix` and `input_suffix`, at the server's root.
    Infill,
}

/// Asks for the text between `prefix` and `suffix`, not streamed: a completion is short, and
/// is shown only whole. No retries: a newer keystroke asks again soon enough. A server that
/// does not do fill-in-the-middle answers with an HTTP error the caller falls back on.
pub async fn fill_in_middle(
    http: &reqwest::Client,
    provider: &Provider,
    endpoint: FimEndpoint,
    prefix: &str,
    suffix: &str,
    max_tokens: u32,
    settings: &ClientSettings,
) -> Result<String, AiError> {
    let (url, body) = match endpoint {
        FimEndpoint::Completions => (
            format!("{}/completions", provider.base_url),
            serde_json::json!({
                "model": provider.model,
                "prompt": prefix,
                "suffix": suffix,
                "max_tokens": max_tokens,
                "temperature": 0,
                "stream": false,
            }),
        ),
        FimEndpoint::Infill => {
            // `/infill` is not under `/v1`: it sits at the server's root.
            let root = provider
                .base_url
                .strip_suffix("/v1")
                .unwrap_or(&provider.base_url);
            (
                format!("{root}/infill"),
                serde_json::json!({
                    "input_prefix": prefix,
                    "input_suffix": suffix,
                    "n_predict": max_tokens,
                    "temperature": 0,
                    "stream": false,
                }),
            )
        }
    };
    let mut builder = http.post(url).json(&body);
    for (name, value) in provider.kind.wire().headers(provider) {
        builder = builder.header(name, value);
    }
    let idle = settings.idle_timeout;
    let response = send_within(builder, idle, provider).await?;
    let status = response.status();
    let text = read_bounded(response, idle).await;
    if !status.is_success() {
        let message = error_message(&text);
        let message = match &provider.key {
            Some(key) => key.scrub(&message),
            None => message,
        };
        return Err(AiError::Http {
            status: status.as_u16(),
            message,
            retry_after: None,
        });
    }
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| AiError::InvalidJson(format!("{e} in {}", super::clip(&text, 80))))?;
    value
        .pointer("/choices/0/text")
        .or_else(|| value.get("content"))
        .and_then(serde_json::Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| AiError::InvalidJson(format!("no completion in {}", super::clip(&text, 80))))
}

/// Sends a request, giving up when no response starts within `idle`.
async fn send_within(
    builder: reqwest::RequestBuilder,
    idle: Duration,
    provider: &Provider,
) -> Result<reqwest::Response, AiError> {
    tokio::time::timeout(idle, builder.send())
        .await
        .map_err(|_| AiError::IdleTimeout(idle))?
        .map_err(|e| network_error(&e, provider))
}

/// Reads at most `MAX_ERROR_BODY` bytes of an error response.
async fn read_bounded(response: reqwest::Response, idle: Duration) -> String {
    let mut body = response.bytes_stream();
    let mut bytes = Vec::new();
    while bytes.len() < MAX_ERROR_BODY {
        match tokio::time::timeout(idle, body.next()).await {
            Ok(Some(Ok(chunk))) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    bytes.truncate(MAX_ERROR_BODY);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A reqwest error as the user should read it: where, and what, with no headers.
fn network_error(error: &reqwest::Error, provider: &Provider) -> AiError {
    let host = provider.host().to_string();
    if error.is_connect() {
        AiError::Connect(host)
    } else {
        // The innermost cause says what happened ("connection reset", "unexpected EOF").
        let mut cause: &dyn std::error::Error = error;
        while let Some(next) = cause.source() {
            cause = next;
        }
        AiError::Network(format!("{host}: {cause}"))
    }
}

/// Looks for OpenAI-compatible servers on this machine (Ollama, llama.cpp), all at once, each
/// given `timeout`; the first candidate that answers with a model wins.
pub async fn probe_local(
    http: &reqwest::Client,
    candidates: &[(ProviderKind, String)],
    timeout: Duration,
) -> Option<Provider> {
    let probes = candidates.iter().map(|(kind, base_url)| async move {
        let url = format!("{base_url}/models");
        let response = tokio::time::timeout(timeout, http.get(&url).send())
            .await
            .ok()?
            .ok()?;
        if !response.status().is_success() {
            return None;
        }
        let body: serde_json::Value = tokio::time::timeout(timeout, response.json())
            .await
            .ok()?
            .ok()?;
        let model = body
            .pointer("/data/0/id")
            .or_else(|| body.pointer("/models/0/name"))
            .and_then(serde_json::Value::as_str)?
            .to_string();
        Some(Provider {
            kind: *kind,
            base_url: base_url.clone(),
            model,
            key: None,
        })
    });
    futures_util::future::join_all(probes)
        .await
        .into_iter()
        .flatten()
        .next()
}

/// Fills in the model of a provider configured without one from the server's model list.
pub async fn with_model(
    http: &reqwest::Client,
    mut provider: Provider,
) -> Result<Provider, AiError> {
    if !provider.model.is_empty() {
        return Ok(provider);
    }
    let timeout = Duration::from_secs(5);
    let found = probe_local(http, &[(provider.kind, provider.base_url.clone())], timeout).await;
    match found {
        Some(p) => {
            provider.model = p.model;
            Ok(provider)
        }
        None => Err(AiError::Config(format!(
            "no model given and {}/models lists none: set model in [ai], CARET_MODEL or --model",
            provider.base_url
        ))),
    }
}

/// The local servers tried when nothing is configured.
pub fn default_probe_candidates() -> Vec<(ProviderKind, String)> {
    vec![
        (
            ProviderKind::Ollama,
            "http://127.0.0.1:11434/v1".to_string(),
        ),
        (ProviderKind::OpenAi, "http://127.0.0.1:8080/v1".to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_jitter_and_a_cap() {
        let settings = ClientSettings::from(&AiConfig::default());
        for attempt in 0..20 {
            let d = backoff(&settings, attempt);
            let full = (settings.backoff_base * (1 << attempt.min(16))).min(settings.backoff_max);
            assert!(d >= full / 2 && d <= full, "{attempt}: {d:?}");
        }
    }
}
