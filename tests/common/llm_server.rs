//! A scripted model server on 127.0.0.1 for tests: each connection gets the next scripted
//! reply — status, headers, and a body sent in chosen pieces with chosen pauses, ending
//! properly or cut — and every request is recorded byte for byte.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

/// One scripted reply.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// Body pieces, each written (and flushed as its own HTTP chunk) after its pause.
    pub pieces: Vec<(Duration, Vec<u8>)>,
    /// End with the terminating chunk (else the connection is cut mid-body).
    pub complete: bool,
}

impl Reply {
    pub fn sse(body: &str) -> Self {
        Self {
            status: 200,
            headers: vec![("content-type".into(), "text/event-stream".into())],
            pieces: vec![(Duration::ZERO, body.as_bytes().to_vec())],
            complete: true,
        }
    }

    /// The body split into pieces of `n` bytes (1: every byte boundary).
    pub fn split_every(mut self, n: usize) -> Self {
        let body: Vec<u8> = self.pieces.iter().flat_map(|(_, b)| b.clone()).collect();
        self.pieces = body
            .chunks(n)
            .map(|c| (Duration::ZERO, c.to_vec()))
            .collect();
        self
    }

    /// The body as given pieces with a pause before each.
    pub fn drip(mut self, pause: Duration, pieces: &[&str]) -> Self {
        self.pieces = pieces
            .iter()
            .map(|p| (pause, p.as_bytes().to_vec()))
            .collect();
        self
    }

    pub fn cut(mut self) -> Self {
        self.complete = false;
        self
    }

    pub fn error(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            pieces: vec![(Duration::ZERO, body.as_bytes().to_vec())],
            complete: true,
        }
    }

    /// A whole JSON answer (the non-streamed `/completions` and `/infill`).
    pub fn json(body: &serde_json::Value) -> Self {
        Self::error(200, &body.to_string())
    }

    /// The whole reply after `pause` (a slow server).
    pub fn after(mut self, pause: Duration) -> Self {
        if let Some(first) = self.pieces.first_mut() {
            first.0 += pause;
        }
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// A request as received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub head: String,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// The request's path (`/v1/completions`).
    pub fn path(&self) -> String {
        self.head
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_string()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

pub struct Server {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<Recorded>>>,
    /// Replies the client hung up on before they were fully written.
    pub hung_up: Arc<std::sync::atomic::AtomicUsize>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    /// Starts serving `replies` in order (the last one repeats) on its own thread.
    pub fn start(replies: Vec<Reply>) -> Self {
        Self::serving(Choice::Sequence(replies))
    }

    /// Starts answering by the request's path: the reply of the first route whose path the
    /// request's path ends with (`/v1/completions`, `/infill`, `/chat/completions`), else 404.
    pub fn routed(routes: Vec<(&str, Reply)>) -> Self {
        Self::serving(Choice::Routes(
            routes
                .into_iter()
                .map(|(p, r)| (p.to_string(), r))
                .collect(),
        ))
    }

    fn serving(choice: Choice) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        let hung_up = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let hangups = hung_up.clone();
        runtime.spawn(async move {
            let mut next: usize = 0;
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let choice = match &choice {
                    Choice::Sequence(replies) => {
                        Choice::Sequence(vec![replies[next.min(replies.len() - 1)].clone()])
                    }
                    Choice::Routes(routes) => Choice::Routes(routes.clone()),
                };
                next += 1;
                let recorded = recorded.clone();
                let hangups = hangups.clone();
                tokio::spawn(async move {
                    if !serve(socket, choice, recorded).await {
                        hangups.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                });
            }
        });
        Self {
            addr,
            requests,
            hung_up,
            runtime: Some(runtime),
        }
    }

    /// `http://127.0.0.1:PORT/v1`
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// How a reply is chosen: the next in order, or by path.
#[derive(Clone)]
enum Choice {
    Sequence(Vec<Reply>),
    Routes(Vec<(String, Reply)>),
}

impl Choice {
    fn pick(self, head: &str) -> Reply {
        match self {
            Choice::Sequence(mut replies) => replies.remove(0),
            Choice::Routes(routes) => {
                let path = head.split_whitespace().nth(1).unwrap_or_default();
                routes
                    .into_iter()
                    .find(|(p, _)| path.ends_with(p.as_str()))
                    .map_or_else(
                        || Reply::error(404, r#"{"error":{"message":"no such route"}}"#),
                        |(_, r)| r,
                    )
            }
        }
    }
}

/// Serves one reply; false when the client hung up before it was all written.
async fn serve(
    mut socket: tokio::net::TcpStream,
    choice: Choice,
    recorded: Arc<Mutex<Vec<Recorded>>>,
) -> bool {
    socket.set_nodelay(true).unwrap();
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        let Ok(n) = socket.read(&mut buf).await else {
            return true;
        };
        if n == 0 {
            return true;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    while data.len() < head_end + length {
        let Ok(n) = socket.read(&mut buf).await else {
            return true;
        };
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
    }
    let reply = choice.pick(&head);
    recorded.lock().unwrap().push(Recorded {
        head,
        body: data[head_end..].to_vec(),
    });
    let mut out = format!("HTTP/1.1 {} Scripted\r\n", reply.status);
    for (name, value) in &reply.headers {
        let _ = write!(out, "{name}: {value}\r\n");
    }
    out.push_str("transfer-encoding: chunked\r\nconnection: close\r\n\r\n");
    if socket.write_all(out.as_bytes()).await.is_err() {
        return false;
    }
    for (pause, piece) in &reply.pieces {
        if !pause.is_zero() {
            tokio::time::sleep(*pause).await;
        }
        if piece.is_empty() {
            continue;
        }
        let mut chunk = format!("{:x}\r\n", piece.len()).into_bytes();
        chunk.extend_from_slice(piece);
        chunk.extend_from_slice(b"\r\n");
        if socket.write_all(&chunk).await.is_err() || socket.flush().await.is_err() {
            return false;
        }
        tokio::task::yield_now().await;
    }
    if reply.complete {
        let _ = socket.write_all(b"0\r\n\r\n").await;
    }
    let _ = socket.shutdown().await;
    true
}

/// An OpenAI-style stream of `pieces` ending with a finish chunk, usage and `[DONE]`.
pub fn openai_stream(pieces: &[&str]) -> String {
    let mut body = String::from(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]}\n\n",
    );
    for p in pieces {
        let json =
            serde_json::json!({"choices":[{"index":0,"delta":{"content":p},"finish_reason":null}]});
        let _ = write!(body, "data: {json}\n\n");
    }
    body.push_str(
        "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
    );
    body.push_str(
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7}}\n\n",
    );
    body.push_str("data: [DONE]\n\n");
    body
}

/// An Anthropic Messages stream of `pieces`.
pub fn anthropic_stream(pieces: &[&str]) -> String {
    let mut body = String::from(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":20,\"output_tokens\":1}}}\n\nevent: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\nevent: ping\ndata: {\"type\":\"ping\"}\n\n",
    );
    for p in pieces {
        let json = serde_json::json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":p}});
        let _ = write!(body, "event: content_block_delta\ndata: {json}\n\n");
    }
    body.push_str("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":9}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    body
}
