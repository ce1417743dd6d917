//! The AI client against a scripted server on 127.0.0.1 speaking both wire formats: streams
//! split at every byte, retries with Retry-After and backoff, cuts, error events, slow drips,
//! bad JSON, huge deltas, timeouts — and what goes over the wire.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/llm_server.rs"]
mod llm_server;

use std::time::{Duration, Instant};

use caret::ai::client::{self, ClientEvent, ClientSettings};
use caret::ai::provider::{ApiKey, Provider, ProviderKind};
use caret::ai::{AiError, ChatMessage, ChatRequest, Role, StreamEvent, Usage};
use llm_server::{Reply, Server, anthropic_stream, openai_stream};

fn settings() -> ClientSettings {
    ClientSettings {
        max_retries: 3,
        connect_timeout: Duration::from_secs(2),
        idle_timeout: Duration::from_secs(5),
        backoff_base: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
    }
}

fn provider(server: &Server, kind: ProviderKind) -> Provider {
    Provider {
        kind,
        base_url: server.base_url(),
        model: "test-model".into(),
        key: Some(ApiKey::new("sk-test-secret-key-123")),
    }
}

fn request() -> ChatRequest {
    ChatRequest {
        messages: vec![
            ChatMessage::new(Role::System, "be brief"),
            ChatMessage::new(Role::User, "what is 2+2?"),
        ],
        max_tokens: 64,
        temperature: None,
    }
}

struct Outcome {
    text: String,
    events: Vec<ClientEvent>,
    result: Result<(), AiError>,
    took: Duration,
}

fn run_with(server: &Server, kind: ProviderKind, settings: &ClientSettings) -> Outcome {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let http = client::http_client(settings).unwrap();
    let provider = provider(server, kind);
    let mut events = Vec::new();
    let started = Instant::now();
    let result = rt.block_on(client::stream_chat(
        &http,
        &provider,
        &request(),
        settings,
        &mut |e| events.push(e),
    ));
    let text = events
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Stream(StreamEvent::Delta(t)) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    Outcome {
        text,
        events,
        result,
        took: started.elapsed(),
    }
}

fn run(server: &Server, kind: ProviderKind) -> Outcome {
    run_with(server, kind, &settings())
}

const PIECES: &[&str] = &[
    "The ",
    "answer",
    " is **4**",
    ".\n\n```rust\nlet x = 2 + 2;\n```\n",
    "Done: héllo 世界 🦀",
];

#[test]
fn openai_stream_split_at_every_byte() {
    let server = Server::start(vec![Reply::sse(&openai_stream(PIECES)).split_every(1)]);
    let out = run(&server, ProviderKind::OpenAi);
    assert_eq!(out.result, Ok(()));
    assert_eq!(out.text, PIECES.concat());
    assert!(
        out.events
            .contains(&ClientEvent::Stream(StreamEvent::Usage(Usage {
                input: Some(12),
                output: Some(7)
            })))
    );
    // What went over the wire: the route, the key in its header, streaming with usage.
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert!(
        r.head.starts_with("POST /v1/chat/completions HTTP/1.1"),
        "{}",
        r.head
    );
    assert_eq!(
        r.header("authorization").as_deref(),
        Some("Bearer sk-test-secret-key-123")
    );
    let body = r.json();
    assert_eq!(body["stream"], true);
    assert_eq!(body["stream_options"]["include_usage"], true);
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["messages"][1]["content"], "what is 2+2?");
}

#[test]
fn anthropic_stream_split_at_every_byte() {
    let server = Server::start(vec![Reply::sse(&anthropic_stream(PIECES)).split_every(1)]);
    let out = run(&server, ProviderKind::Anthropic);
    assert_eq!(out.result, Ok(()));
    assert_eq!(out.text, PIECES.concat());
    let r = &server.requests()[0];
    assert!(r.head.starts_with("POST /v1/messages HTTP/1.1"));
    assert_eq!(
        r.header("x-api-key").as_deref(),
        Some("sk-test-secret-key-123")
    );
    assert_eq!(r.header("anthropic-version").as_deref(), Some("2023-06-01"));
    assert_eq!(r.json()["system"], "be brief");
    assert!(
        out.events
            .contains(&ClientEvent::Stream(StreamEvent::Usage(Usage {
                input: Some(20),
                output: Some(9)
            })))
    );
}

#[test]
fn rate_limited_with_retry_after_then_success() {
    let server = Server::start(vec![
        Reply::error(
            429,
            r#"{"error":{"message":"Rate limit reached","type":"rate_limit"}}"#,
        )
        .header("retry-after", "1"),
        Reply::sse(&openai_stream(&["ok"])),
    ]);
    let out = run(&server, ProviderKind::OpenAi);
    assert_eq!(out.result, Ok(()));
    assert_eq!(out.text, "ok");
    assert_eq!(
        out.events[0],
        ClientEvent::Retrying {
            attempt: 1,
            delay: Duration::from_secs(1),
            reason: "429".into()
        }
    );
    assert!(
        out.took >= Duration::from_secs(1),
        "Retry-After was honoured: {:?}",
        out.took
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn server_errors_are_retried_a_bounded_number_of_times() {
    let server = Server::start(vec![Reply::error(500, r#"{"error":{"message":"boom"}}"#)]);
    let mut s = settings();
    s.max_retries = 2;
    let out = run_with(&server, ProviderKind::OpenAi, &s);
    assert_eq!(server.requests().len(), 3, "one try and two retries");
    let retries = out
        .events
        .iter()
        .filter(|e| matches!(e, ClientEvent::Retrying { .. }))
        .count();
    assert_eq!(retries, 2);
    assert_eq!(
        out.result.unwrap_err().to_string(),
        "HTTP 500: boom (after 3 attempts)"
    );
}

#[test]
fn client_errors_are_not_retried_and_show_the_servers_message_without_the_key() {
    let server = Server::start(vec![Reply::error(
        401,
        r#"{"error":{"message":"Incorrect API key provided: sk-test-secret-key-123","type":"invalid_request_error"}}"#,
    )]);
    let out = run(&server, ProviderKind::OpenAi);
    let message = out.result.unwrap_err().to_string();
    assert_eq!(message, "HTTP 401: Incorrect API key provided: [key]");
    assert_eq!(server.requests().len(), 1);
    // llama.cpp answers a too-long prompt with 400 and JSON even when streaming.
    let server = Server::start(vec![Reply::error(
        400,
        r#"{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error"}}"#,
    )]);
    let out = run(&server, ProviderKind::OpenAi);
    assert_eq!(
        out.result.unwrap_err().to_string(),
        "HTTP 400: the request exceeds the available context size, try increasing it"
    );
}

#[test]
fn cut_mid_stream_keeps_the_text_and_is_not_retried() {
    let body = openai_stream(&["partial ", "answer"]);
    let cut_at = body.find("finish_reason\":\"stop").unwrap() - 40;
    let server = Server::start(vec![Reply::sse(&body[..cut_at]).cut()]);
    let out = run(&server, ProviderKind::OpenAi);
    assert_eq!(out.text, "partial answer");
    assert_eq!(out.result, Err(AiError::EndedEarly));
    assert_eq!(
        server.requests().len(),
        1,
        "no silent retry after text arrived"
    );
    // Cut cleanly between events, without the terminator: also early.
    let server = Server::start(vec![Reply::sse(
        &body[..body
            .find("data: {\"choices\":[{\"index\":0,\"delta\":{},")
            .unwrap()],
    )]);
    let out = run(&server, ProviderKind::OpenAi);
    assert_eq!(out.text, "partial answer");
    assert_eq!(out.result, Err(AiError::EndedEarly));
}

#[test]
fn cut_before_any_text_is_retried() {
    let server = Server::start(vec![
        Reply::sse("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n")
            .cut(),
        Reply::sse(&openai_stream(&["second try"])),
    ]);
    let out = run(&server, ProviderKind::OpenAi);
    assert_eq!(out.result, Ok(()));
    assert_eq!(out.text, "second try");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn error_events_mid_stream_in_both_formats() {
    let mut body = openai_stream(&["half"]);
    body.truncate(
        body.find("data: {\"choices\":[{\"index\":0,\"delta\":{},")
            .unwrap(),
    );
    body.push_str(
        "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\n",
    );
    let server = Server::start(vec![Reply::sse(&body)]);
    let out = run(&server, ProviderKind::OpenAi);
    assert_eq!(out.text, "half");
    assert_eq!(
        out.result.unwrap_err().to_string(),
        "server_error: The server had an error"
    );
    assert_eq!(server.requests().len(), 1);

    let mut body = anthropic_stream(&["half"]);
    body.truncate(body.find("event: content_block_stop").unwrap());
    body.push_str("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
    let server = Server::start(vec![Reply::sse(&body)]);
    let out = run(&server, ProviderKind::Anthropic);
    assert_eq!(out.text, "half");
    assert_eq!(
        out.result.unwrap_err().to_string(),
        "overloaded_error: Overloaded"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn overloaded_before_any_text_is_retried() {
    let server = Server::start(vec![
        Reply::sse(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
        ),
        Reply::sse(&anthropic_stream(&["fine now"])),
    ]);
    let out = run(&server, ProviderKind::Anthropic);
    assert_eq!(out.result, Ok(()));
    assert_eq!(out.text, "fine now");
    assert!(
        matches!(&out.events[0], ClientEvent::Retrying { reason, .. } if reason == "overloaded_error")
    );
}

#[test]
fn a_slow_drip_arrives_whole_and_a_stall_times_out() {
    let body = openai_stream(&["a", "b", "c", "d"]);
    let events: Vec<&str> = body.split_inclusive("\n\n").collect();
    let server = Server::start(vec![
        Reply::sse("").drip(Duration::from_millis(150), &events),
    ]);
    let out = run(&server, ProviderKind::OpenAi);
    assert_eq!((out.result, out.text.as_str()), (Ok(()), "abcd"));

    let stalled = [events[0], events[1], events[2]];
    let mut pieces: Vec<(Duration, Vec<u8>)> = stalled
        .iter()
        .map(|e| (Duration::ZERO, e.as_bytes().to_vec()))
        .collect();
    pieces.push((Duration::from_secs(30), b"data: [DONE]\n\n".to_vec()));
    let mut reply = Reply::sse("");
    reply.pieces = pieces;
    let server = Server::start(vec![reply]);
    let mut s = settings();
    s.idle_timeout = Duration::from_millis(400);
    let out = run_with(&server, ProviderKind::OpenAi, &s);
    assert_eq!(out.text, "ab");
    assert_eq!(
        out.result,
        Err(AiError::IdleTimeout(Duration::from_millis(400)))
    );
    assert!(out.took < Duration::from_secs(5));
}

#[test]
fn invalid_json_chunk_is_a_clear_error_and_keeps_the_text() {
    let mut body = openai_stream(&["before"]);
    body.truncate(
        body.find("data: {\"choices\":[{\"index\":0,\"delta\":{},")
            .unwrap(),
    );
    body.push_str("data: {\"choices\":[{\"delta\":{\"content\":\"oops\"\n\n");
    let server = Server::start(vec![Reply::sse(&body)]);
    let out = run(&server, ProviderKind::OpenAi);
    assert_eq!(out.text, "before");
    let err = out.result.unwrap_err().to_string();
    assert!(err.starts_with("the server sent invalid JSON: "), "{err}");
}

#[test]
fn a_huge_single_delta() {
    let huge = "x".repeat(2 << 20) + "\n" + &"é".repeat(100_000);
    let server = Server::start(vec![Reply::sse(&openai_stream(&[&huge])).split_every(7919)]);
    let out = run(&server, ProviderKind::OpenAi);
    assert_eq!(out.result, Ok(()));
    assert_eq!(out.text, huge);
}

#[test]
fn nothing_listening_is_retried_then_says_where() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let provider = Provider {
        kind: ProviderKind::OpenAi,
        base_url: format!("http://127.0.0.1:{port}/v1"),
        model: "m".into(),
        key: None,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut s = settings();
    s.max_retries = 1;
    let http = client::http_client(&s).unwrap();
    let mut events = Vec::new();
    let result = rt.block_on(client::stream_chat(
        &http,
        &provider,
        &request(),
        &s,
        &mut |e| events.push(e),
    ));
    assert_eq!(
        result.unwrap_err().to_string(),
        format!("cannot connect to 127.0.0.1:{port}")
    );
    assert!(
        matches!(&events[0], ClientEvent::Retrying { reason, .. } if reason == "cannot connect")
    );
}

#[test]
fn probing_finds_a_local_server_and_its_model() {
    let server = Server::start(vec![Reply {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        pieces: vec![(
            Duration::ZERO,
            br#"{"object":"list","data":[{"id":"smollm2-135m-instruct","object":"model"}]}"#
                .to_vec(),
        )],
        complete: true,
    }]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let http = client::http_client(&settings()).unwrap();
    let dead = "http://127.0.0.1:9/v1".to_string();
    let found = rt.block_on(client::probe_local(
        &http,
        &[
            (ProviderKind::Ollama, dead.clone()),
            (ProviderKind::OpenAi, server.base_url()),
        ],
        Duration::from_millis(300),
    ));
    let found = found.unwrap();
    assert_eq!(
        (found.kind, found.model.as_str()),
        (ProviderKind::OpenAi, "smollm2-135m-instruct")
    );
    let started = Instant::now();
    let none = rt.block_on(client::probe_local(
        &http,
        &[(ProviderKind::Ollama, dead)],
        Duration::from_millis(300),
    ));
    assert!(none.is_none());
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_server_configured_without_a_model_is_asked_for_one() {
    let server = Server::start(vec![Reply {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        pieces: vec![(
            Duration::ZERO,
            br#"{"data":[{"id":"qwen2.5-coder"}]}"#.to_vec(),
        )],
        complete: true,
    }]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let http = client::http_client(&settings()).unwrap();
    let mut p = provider(&server, ProviderKind::OpenAi);
    p.model = String::new();
    let p = rt.block_on(client::with_model(&http, p)).unwrap();
    assert_eq!(p.model, "qwen2.5-coder");
    assert!(server.requests()[0].head.starts_with("GET /v1/models "));
}
