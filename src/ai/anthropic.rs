//! The Anthropic Messages wire format: system prompt apart from the messages, named events
//! (`message_start` … `message_stop`, `ping`), usage split between start and end, and
//! `event: error` (e.g. `overloaded_error`) inside a stream.

use serde_json::{Value, json};

use super::provider::{Provider, WireFormat, error_message};
use super::sse::SseEvent;
use super::{AiError, ChatRequest, Role, StreamEvent, Usage};

#[derive(Debug, Default)]
pub struct AnthropicWire {
    input_tokens: Option<u64>,
}

impl WireFormat for AnthropicWire {
    fn url(&self, provider: &Provider) -> String {
        format!("{}/messages", provider.base_url)
    }

    fn headers(&self, provider: &Provider) -> Vec<(&'static str, String)> {
        let mut headers = vec![("anthropic-version", "2023-06-01".to_string())];
        if let Some(key) = &provider.key {
            headers.push(("x-api-key", key.expose().to_string()));
        }
        headers
    }

    fn body(&self, provider: &Provider, request: &ChatRequest) -> Value {
        let system: Vec<&str> = request
            .messages
            .iter()
            .filter(|m| m.role == Role::System)
            .map(|m| m.content.as_str())
            .collect();
        let messages: Vec<&super::ChatMessage> = request
            .messages
            .iter()
            .filter(|m| m.role != Role::System)
            .collect();
        let mut body = json!({
            "model": provider.model,
            "max_tokens": request.max_tokens,
            "messages": messages,
            "stream": true,
        });
        if !system.is_empty() {
            body["system"] = json!(system.join("\n\n"));
        }
        if let Some(t) = request.temperature {
            body["temperature"] = json!(t);
        }
        body
    }

    fn parse(&mut self, event: &SseEvent) -> Result<Vec<StreamEvent>, AiError> {
        let data = event.data.trim();
        if data.is_empty() {
            return Ok(Vec::new());
        }
        let value: Value = serde_json::from_str(data)
            .map_err(|e| AiError::InvalidJson(format!("{e} in {}", super::clip(data, 80))))?;
        // The event name and the "type" field agree; some proxies drop one of them.
        let kind = event
            .event
            .as_deref()
            .or_else(|| value.get("type").and_then(Value::as_str))
            .unwrap_or_default();
        let mut out = Vec::new();
        match kind {
            "error" => {
                let error = value.get("error").unwrap_or(&value);
                return Err(AiError::Api {
                    kind: error
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or("error")
                        .to_string(),
                    message: error_message(data),
                });
            }
            "message_start" => {
                let usage = value.pointer("/message/usage");
                self.input_tokens = usage
                    .and_then(|u| u.get("input_tokens"))
                    .and_then(Value::as_u64);
                if self.input_tokens.is_some() {
                    out.push(StreamEvent::Usage(Usage {
                        input: self.input_tokens,
                        output: None,
                    }));
                }
            }
            "content_block_delta" => {
                if let Some(text) = value
                    .pointer("/delta/text")
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                {
                    out.push(StreamEvent::Delta(text.to_string()));
                }
            }
            "message_delta" => {
                if let Some(reason) = value.pointer("/delta/stop_reason").and_then(Value::as_str) {
                    out.push(StreamEvent::Finished(reason.to_string()));
                }
                if let Some(output) = value
                    .pointer("/usage/output_tokens")
                    .and_then(Value::as_u64)
                {
                    out.push(StreamEvent::Usage(Usage {
                        input: self.input_tokens,
                        output: Some(output),
                    }));
                }
            }
            "message_stop" => out.push(StreamEvent::End),
            // ping, content_block_start/stop and anything newer carry no text.
            _ => {}
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::sse::parse_all;

    const STREAM: &str = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\nevent: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" world\"}}\n\nevent: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    fn parse_body(body: &str) -> Result<Vec<StreamEvent>, AiError> {
        let mut wire = AnthropicWire::default();
        let mut out = Vec::new();
        for event in parse_all(body.as_bytes()) {
            out.extend(wire.parse(&event)?);
        }
        Ok(out)
    }

    #[test]
    fn a_whole_stream() {
        assert_eq!(
            parse_body(STREAM).unwrap(),
            vec![
                StreamEvent::Usage(Usage {
                    input: Some(25),
                    output: None
                }),
                StreamEvent::Delta("Hello".into()),
                StreamEvent::Delta(" world".into()),
                StreamEvent::Finished("end_turn".into()),
                StreamEvent::Usage(Usage {
                    input: Some(25),
                    output: Some(15)
                }),
                StreamEvent::End,
            ]
        );
    }

    #[test]
    fn overloaded_error_event() {
        let err = parse_body("event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n").unwrap_err();
        assert_eq!(err.to_string(), "overloaded_error: Overloaded");
        assert!(err.is_transient());
    }

    #[test]
    fn system_prompt_goes_apart() {
        let provider = Provider {
            kind: crate::ai::provider::ProviderKind::Anthropic,
            base_url: "https://api.anthropic.com/v1".into(),
            model: "claude".into(),
            key: Some(crate::ai::provider::ApiKey::new("sk-ant-xyz")),
        };
        let request = ChatRequest {
            messages: vec![
                crate::ai::ChatMessage::new(Role::System, "be brief"),
                crate::ai::ChatMessage::new(Role::User, "hi"),
            ],
            max_tokens: 100,
            temperature: None,
        };
        let wire = AnthropicWire::default();
        let body = wire.body(&provider, &request);
        assert_eq!(body["system"], "be brief");
        assert_eq!(body["messages"].as_array().unwrap().len(), 1);
        assert_eq!(body["max_tokens"], 100);
        assert_eq!(wire.url(&provider), "https://api.anthropic.com/v1/messages");
        assert!(
            wire.headers(&provider)
                .contains(&("x-api-key", "sk-ant-xyz".to_string()))
        );
    }
}
