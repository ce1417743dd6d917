//! Server-sent events: turns the bytes of a `text/event-stream` body, split anywhere by the
//! network, into events — linear in the input, UTF-8 decoded per line (lossily), CR, LF and
//! CRLF line ends, comments, `event:` names and multi-line `data:` as the WHATWG spec says.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    /// The `event:` name, if the server gave one.
    pub event: Option<String>,
    /// The `data:` lines joined by `\n`.
    pub data: String,
}

/// Incremental parser; feed it chunks in order with `push`.
#[derive(Debug, Default)]
pub struct SseParser {
    /// Bytes of the line being received. Kept as bytes so a UTF-8 sequence split between two
    /// chunks is decoded whole once the line ends.
    line: Vec<u8>,
    data: String,
    has_data: bool,
    event: Option<String>,
    /// The last byte seen was CR: an LF right after it ends no further line.
    after_cr: bool,
    /// A byte-order mark is skipped at the very start only.
    started: bool,
}

impl SseParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Consumes a chunk and appends the events it completes to `out`.
    pub fn push(&mut self, mut bytes: &[u8], out: &mut Vec<SseEvent>) {
        if !self.started {
            // The BOM may itself arrive split; hold on until three bytes are seen.
            let have = self.line.len() + bytes.len();
            if have < 3 && b"\xEF\xBB\xBF".starts_with(&[&self.line[..], bytes].concat()) {
                self.line.extend_from_slice(bytes);
                return;
            }
            self.started = true;
            let mut head = std::mem::take(&mut self.line);
            head.extend_from_slice(bytes);
            let skip = if head.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            };
            return self.push_lines(&head[skip..], out);
        }
        if bytes.is_empty() {
            return;
        }
        if self.after_cr && bytes[0] == b'\n' {
            bytes = &bytes[1..];
        }
        self.after_cr = false;
        self.push_lines(bytes, out);
    }

    fn push_lines(&mut self, mut bytes: &[u8], out: &mut Vec<SseEvent>) {
        while let Some(end) = bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&bytes[..end]);
            self.end_line(out);
            let cr = bytes[end] == b'\r';
            bytes = &bytes[end + 1..];
            if cr {
                match bytes.first() {
                    Some(b'\n') => bytes = &bytes[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        self.line.extend_from_slice(bytes);
    }

    fn end_line(&mut self, out: &mut Vec<SseEvent>) {
        let line = String::from_utf8_lossy(&self.line);
        if line.is_empty() {
            if self.has_data {
                if self.data.ends_with('\n') {
                    self.data.pop();
                }
                out.push(SseEvent {
                    event: self.event.take(),
                    data: std::mem::take(&mut self.data),
                });
            }
            self.has_data = false;
            self.event = None;
        } else if !line.starts_with(':') {
            let (field, value) = match line.split_once(':') {
                Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
                None => (&*line, ""),
            };
            match field {
                "data" => {
                    self.data.push_str(value);
                    self.data.push('\n');
                    self.has_data = true;
                }
                "event" => self.event = Some(value.to_string()),
                // id and retry matter for browser reconnection, which a chat request never does.
                _ => {}
            }
        }
        self.line.clear();
    }

    /// True when the stream so far ends inside an event (data received but not dispatched).
    pub fn has_partial_event(&self) -> bool {
        self.has_data || !self.line.is_empty()
    }
}

/// Parses a whole body at once (tests and tools).
pub fn parse_all(bytes: &[u8]) -> Vec<SseEvent> {
    let mut parser = SseParser::new();
    let mut out = Vec::new();
    parser.push(bytes, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ev(event: Option<&str>, data: &str) -> SseEvent {
        SseEvent {
            event: event.map(str::to_string),
            data: data.to_string(),
        }
    }

    #[test]
    fn fields_comments_and_line_ends() {
        let body = b"\xEF\xBB\xBF: keep-alive\r\ndata: one\r\n\r\nevent: error\ndata: {\"a\":\ndata:1}\n\ndata\n\nretry: 10\nid: 3\ndata:  two spaces\r\rdata: x";
        assert_eq!(
            parse_all(body),
            vec![
                ev(None, "one"),
                ev(Some("error"), "{\"a\":\n1}"),
                ev(None, ""),
                ev(None, " two spaces"),
            ]
        );
        let mut p = SseParser::new();
        let mut out = Vec::new();
        p.push(body, &mut out);
        assert!(
            p.has_partial_event(),
            "the last event has no blank line after it"
        );
    }

    #[test]
    fn blank_lines_without_data_dispatch_nothing() {
        assert_eq!(parse_all(b"event: ping\n\n\n\n: c\n\n"), vec![]);
    }

    #[test]
    fn utf8_split_inside_a_sequence_is_decoded_whole() {
        let body = "data: héllo → 世界 🦀\n\n".as_bytes();
        for split in 0..body.len() {
            let mut p = SseParser::new();
            let mut out = Vec::new();
            p.push(&body[..split], &mut out);
            p.push(&body[split..], &mut out);
            assert_eq!(out, vec![ev(None, "héllo → 世界 🦀")], "split at {split}");
        }
    }

    #[test]
    fn invalid_utf8_costs_one_replacement_char_not_the_stream() {
        assert_eq!(
            parse_all(b"data: a\xFFb\n\ndata: next\n\n"),
            vec![ev(None, "a\u{FFFD}b"), ev(None, "next")]
        );
    }

    #[test]
    fn a_huge_line_is_linear() {
        let big = "x".repeat(8 << 20);
        let body = format!("data: {big}\n\n");
        let mut p = SseParser::new();
        let mut out = Vec::new();
        for chunk in body.as_bytes().chunks(1000) {
            p.push(chunk, &mut out);
        }
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].data.len(), big.len());
    }

    fn body_strategy() -> impl Strategy<Value = Vec<u8>> {
        let field = prop_oneof![
            "[a-z {}\":,é世🦀]{0,12}".prop_map(|v| format!("data: {v}")),
            "[a-z_]{1,8}".prop_map(|v| format!("event: {v}")),
            "[a-z ]{0,8}".prop_map(|v| format!(": {v}")),
            Just(String::new()),
            Just("data".to_string()),
        ];
        let end = prop_oneof![Just("\n"), Just("\r\n"), Just("\r")];
        proptest::collection::vec((field, end), 0..40).prop_map(|lines| {
            lines
                .into_iter()
                .flat_map(|(l, e)| format!("{l}{e}").into_bytes())
                .collect()
        })
    }

    proptest! {
        #[test]
        fn any_chunking_yields_the_same_events(
            body in body_strategy(),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..12),
        ) {
            let whole = parse_all(&body);
            let mut points: Vec<usize> = cuts.iter().map(|i| i.index(body.len() + 1)).collect();
            points.sort_unstable();
            let mut p = SseParser::new();
            let mut out = Vec::new();
            let mut at = 0;
            for point in points {
                p.push(&body[at..point], &mut out);
                at = point;
            }
            p.push(&body[at..], &mut out);
            prop_assert_eq!(out, whole);
        }
    }
}
