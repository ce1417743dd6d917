//! The `OpenAI` Chat Completions wire format, as spoken by `OpenAI` and the many servers that
//! copy it, with their quirks: `content: null`, empty finish deltas, a usage chunk with no
//! choices, extra objects such as llama.cpp's `timings`, and `{"error": …}` inside a stream.

use serde_json::{Value, json};

use super::provider::{Provider, WireFormat, error_message};
use super::sse::SseEvent;
use super::{AiError, ChatRequest, StreamEvent, Usage};

#[derive(Debug, Default)]
pub struct OpenAiWire;

impl WireFormat for OpenAiWire {
    fn url(&self, provider: &Provider) -> String {
        format!("{}/chat/completions", provider.base_url)
    }

    fn headers(&self, provider: &Provider) -> Vec<(&'static str, String)> {
        provider
            .key
            .iter()
            .map(|key| ("authorization", format!("Bearer {}", key.expose())))
            .collect()
    }

    fn body(&self, provider: &Provider, request: &ChatRequest) -> Value {
        let mut body = json!({
            "model": provider.model,
            "messages": request.messages,
            "stream": true,
            "stream_options": {"include_usage": true},
            "max_tokens": request.max_tokens,
        });
        if let Some(t) = request.temperature {
            body["temperature"] = json!(t);
        }
        body
    }

    fn parse(&mut self, event: &SseEvent) -> Result<Vec<StreamEvent>, AiError> {
        let data = event.data.trim();
        if data == "[DONE]" {
            return Ok(vec![StreamEvent::End]);
        }
        if data.is_empty() {
            return Ok(Vec::new());
        }
        let value: Value = serde_json::from_str(data)
            .map_err(|e| AiError::InvalidJson(format!("{e} in {}", super::clip(data, 80))))?;
        if let Some(error) = value.get("error") {
            let kind = error.get("type").or_else(|| error.get("code")).map_or_else(
                || "error".to_string(),
                |k| k.as_str().map_or_else(|| k.to_string(), str::to_string),
            );
            return Err(AiError::Api {
                kind,
                message: error_message(data),
            });
        }
        let mut out = Vec::new();
        if let Some(choice) = value
            .get("choices")
            .and_then(Value::as_array)
            .and_then(|c| c.first())
        {
            if let Some(text) = choice
                .get("delta")
                .and_then(|d| d.get("content"))
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
            {
                out.push(StreamEvent::Delta(text.to_string()));
            }
            if let Some(reason) = choice.get("finish_reason").and_then(Value::as_str) {
                out.push(StreamEvent::Finished(reason.to_string()));
            }
        }
        if let Some(usage) = value.get("usage").filter(|u| u.is_object()) {
            out.push(StreamEvent::Usage(Usage {
                input: usage.get("prompt_tokens").and_then(Value::as_u64),
                output: usage.get("completion_tokens").and_then(Value::as_u64),
            }));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::sse::parse_all;

    fn parse_body(body: &str) -> Result<Vec<StreamEvent>, AiError> {
        let mut wire = OpenAiWire;
        let mut out = Vec::new();
        for event in parse_all(body.as_bytes()) {
            out.extend(wire.parse(&event)?);
        }
        Ok(out)
    }

    #[test]
    fn a_real_llama_cpp_capture() {
        let capture = include_str!("../../tests/ai/llama_cpp_stream.txt");
        let events = parse_body(capture).unwrap();
        let text: String = events
            .iter()
            .filter_map(|e| match e {
                StreamEvent::Delta(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            text,
            "This Rust function calculates the square of an integer."
        );
        assert!(events.contains(&StreamEvent::Finished("stop".into())));
        assert!(events.contains(&StreamEvent::Usage(Usage {
            input: Some(48),
            output: Some(11)
        })));
        assert_eq!(events.last(), Some(&StreamEvent::End));
    }

    #[test]
    fn errors_inside_the_stream_and_bad_json() {
        let err = parse_body("data: {\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_exceeded\"}}\n\n").unwrap_err();
        assert_eq!(err.to_string(), "rate_limit_exceeded: Rate limit reached");
        let err = parse_body("data: {\"choices\":[{\"delta\":{\"content\":\"a\"\n\n").unwrap_err();
        assert!(
            err.to_string().starts_with("the server sent invalid JSON"),
            "{err}"
        );
    }

    #[test]
    fn request_body_asks_for_usage_and_streams() {
        let provider = Provider {
            kind: crate::ai::provider::ProviderKind::OpenAi,
            base_url: "http://h/v1".into(),
            model: "m".into(),
            key: None,
        };
        let request = ChatRequest {
            messages: vec![crate::ai::ChatMessage::new(crate::ai::Role::User, "hi")],
            max_tokens: 10,
            temperature: Some(0.0),
        };
        let body = OpenAiWire.body(&provider, &request);
        assert_eq!(body["stream"], true);
        assert_eq!(body["stream_options"]["include_usage"], true);
        assert_eq!(body["messages"][0]["role"], "user");
        assert_eq!(OpenAiWire.url(&provider), "http://h/v1/chat/completions");
        assert!(OpenAiWire.headers(&provider).is_empty());
    }
}
