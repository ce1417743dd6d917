//! Which model to talk to and how: the provider kinds, the API key (never printed), the
//! choice among flags, environment and config, and the wire-format interface.

use std::fmt;

use super::sse::SseEvent;
use super::{AiError, ChatRequest, StreamEvent};
use crate::config::AiConfig;

/// The wire format and its defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    /// `OpenAI` Chat Completions and every server that speaks it (llama.cpp, vLLM, LM Studio,
    /// `OpenRouter`, Groq, `DeepSeek`, …).
    OpenAi,
    /// Ollama's OpenAI-compatible endpoint on its default port.
    Ollama,
    /// Anthropic Messages.
    Anthropic,
}

impl ProviderKind {
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "openai" | "openai-compatible" | "llamacpp" | "llama.cpp" | "vllm" | "lmstudio" => {
                Some(Self::OpenAi)
            }
            "ollama" => Some(Self::Ollama),
            "anthropic" | "claude" => Some(Self::Anthropic),
            _ => None,
        }
    }

    pub fn default_base_url(self) -> &'static str {
        match self {
            Self::OpenAi => "https://api.openai.com/v1",
            Self::Ollama => "http://127.0.0.1:11434/v1",
            Self::Anthropic => "https://api.anthropic.com/v1",
        }
    }

    fn default_model(self) -> Option<&'static str> {
        match self {
            Self::OpenAi => Some("gpt-4o-mini"),
            Self::Anthropic => Some("claude-3-5-haiku-latest"),
            Self::Ollama => None,
        }
    }

    fn key_var(self) -> Option<&'static str> {
        match self {
            Self::OpenAi => Some("OPENAI_API_KEY"),
            Self::Anthropic => Some("ANTHROPIC_API_KEY"),
            Self::Ollama => None,
        }
    }

    pub fn wire(self) -> Box<dyn WireFormat> {
        match self {
            Self::OpenAi | Self::Ollama => Box::new(super::openai::OpenAiWire),
            Self::Anthropic => Box::new(super::anthropic::AnthropicWire::default()),
        }
    }
}

/// An API key. Its `Debug` and `Display` never show it, so it cannot reach a log or a screen
/// by accident; `expose` is called only where the request header is built.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Replaces the key wherever it appears in `text` (servers sometimes echo it back).
    pub fn scrub(&self, text: &str) -> String {
        if self.0.len() < 8 {
            return text.to_string();
        }
        text.replace(&self.0, "[key]")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([hidden])")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[hidden]")
    }
}

/// A configured model endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub kind: ProviderKind,
    /// Without a trailing slash, e.g. `https://api.openai.com/v1`.
    pub base_url: String,
    pub model: String,
    pub key: Option<ApiKey>,
}

impl Provider {
    /// The server's host and port ("api.openai.com", "127.0.0.1:8080").
    pub fn host(&self) -> &str {
        self.base_url
            .split("://")
            .nth(1)
            .unwrap_or(&self.base_url)
            .split('/')
            .next()
            .unwrap_or_default()
    }

    /// "gpt-4o-mini at api.openai.com", for the pane and the status line.
    pub fn label(&self) -> String {
        format!("{} at {}", self.model, self.host())
    }

    /// True for servers on this machine, whose answers cost nothing.
    pub fn is_local(&self) -> bool {
        let rest = self.base_url.split("://").nth(1).unwrap_or_default();
        rest.starts_with("127.") || rest.starts_with("localhost") || rest.starts_with("[::1]")
    }
}

/// What the user asked for on the command line (highest precedence).
#[derive(Debug, Clone, Default)]
pub struct ProviderFlags {
    pub provider: Option<String>,
    pub base_url: Option<String>,
    pub model: Option<String>,
}

/// Picks the provider from flags, then `CARET_*` variables, then config; `Ok(None)` means
/// nothing was chosen (the caller may probe for a local server).
pub fn resolve(
    flags: &ProviderFlags,
    config: &AiConfig,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Provider>, AiError> {
    let pick = |flag: &Option<String>, var: &str, conf: &Option<String>| {
        flag.clone()
            .or_else(|| env(var).filter(|v| !v.is_empty()))
            .or_else(|| conf.clone())
    };
    let kind_name = pick(&flags.provider, "CARET_PROVIDER", &config.provider);
    let base_url = pick(&flags.base_url, "CARET_BASE_URL", &config.base_url);
    let model = pick(&flags.model, "CARET_MODEL", &config.model);
    let kind = match &kind_name {
        Some(name) => ProviderKind::parse(name).ok_or_else(|| {
            AiError::Config(format!(
                "unknown provider \"{name}\" (use openai, anthropic or ollama)"
            ))
        })?,
        // A key in the environment is a clear enough choice; a base URL alone means an
        // OpenAI-compatible server.
        None if base_url.is_some() => ProviderKind::OpenAi,
        None if env("ANTHROPIC_API_KEY").is_some() && env("OPENAI_API_KEY").is_none() => {
            ProviderKind::Anthropic
        }
        None if env("OPENAI_API_KEY").is_some() => ProviderKind::OpenAi,
        None => return Ok(None),
    };
    let base_url = base_url
        .or_else(|| {
            (kind == ProviderKind::OpenAi)
                .then(|| env("OPENAI_BASE_URL"))
                .flatten()
        })
        .unwrap_or_else(|| kind.default_base_url().to_string())
        .trim_end_matches('/')
        .to_string();
    // The usual model of a hosted API; any other server is asked for its models (an empty
    // name here; see `client::with_model`).
    let model = model
        .or_else(|| {
            (base_url == kind.default_base_url())
                .then(|| kind.default_model().map(str::to_string))
                .flatten()
        })
        .unwrap_or_default();
    let key = api_key(kind, config, env)?;
    let provider = Provider {
        kind,
        base_url,
        model,
        key,
    };
    if provider.key.is_none()
        && !provider.is_local()
        && let Some(var) = kind.key_var()
    {
        return Err(AiError::Key(format!(
            "{var} is not set (or set key_command in [ai] of config.toml)"
        )));
    }
    Ok(Some(provider))
}

/// The key from the configured key command, else the provider's environment variable.
fn api_key(
    kind: ProviderKind,
    config: &AiConfig,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<ApiKey>, AiError> {
    if let Some(command) = &config.key_command {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(command)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .map_err(|e| AiError::Key(format!("key_command: {e}")))?;
        if !output.status.success() {
            // The command's output might be the key or part of it: never echo it.
            return Err(AiError::Key(format!(
                "key_command exited with {}",
                output.status
            )));
        }
        let key = String::from_utf8_lossy(&output.stdout).trim().to_string();
        if key.is_empty() {
            return Err(AiError::Key("key_command printed nothing".to_string()));
        }
        return Ok(Some(ApiKey::new(key)));
    }
    let var = config.key_env.as_deref().or(kind.key_var());
    Ok(var
        .and_then(env)
        .filter(|k| !k.trim().is_empty())
        .map(|k| ApiKey::new(k.trim())))
}

/// Speaking one API: the request to send and the meaning of each event that comes back.
pub trait WireFormat: Send {
    /// The URL to POST to.
    fn url(&self, provider: &Provider) -> String;
    /// Headers besides content type (the key goes here and nowhere else).
    fn headers(&self, provider: &Provider) -> Vec<(&'static str, String)>;
    fn body(&self, provider: &Provider, request: &ChatRequest) -> serde_json::Value;
    /// Interprets one SSE event; an error object inside the stream becomes `Err`.
    fn parse(&mut self, event: &SseEvent) -> Result<Vec<StreamEvent>, AiError>;
}

/// The message from an error body (`{"error": {"message": …}}` and its variants), else the
/// body itself, clipped.
pub fn error_message(body: &str) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let message = parsed.as_ref().and_then(|v| {
        let error = v.get("error").unwrap_or(v);
        error
            .get("message")
            .and_then(serde_json::Value::as_str)
            .or_else(|| error.as_str())
            .map(str::to_string)
    });
    super::clip(message.as_deref().unwrap_or(body), 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        move |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn flags_beat_env_beat_config() {
        let config = AiConfig {
            provider: Some("anthropic".into()),
            model: Some("from-config".into()),
            ..AiConfig::default()
        };
        let env = env_of(&[
            ("CARET_MODEL", "from-env"),
            ("ANTHROPIC_API_KEY", "sk-ant-1234567"),
        ]);
        let p = resolve(&ProviderFlags::default(), &config, &env)
            .unwrap()
            .unwrap();
        assert_eq!(p.kind, ProviderKind::Anthropic);
        assert_eq!(p.model, "from-env");
        assert_eq!(p.base_url, "https://api.anthropic.com/v1");
        let flags = ProviderFlags {
            provider: Some("openai".into()),
            base_url: Some("http://127.0.0.1:9/v1/".into()),
            model: Some("from-flag".into()),
        };
        let p = resolve(&flags, &config, &env).unwrap().unwrap();
        assert_eq!(
            (p.kind, p.model.as_str(), p.base_url.as_str()),
            (ProviderKind::OpenAi, "from-flag", "http://127.0.0.1:9/v1")
        );
        assert!(p.key.is_none(), "a local server needs no key");
    }

    #[test]
    fn nothing_configured_is_none_and_a_missing_key_says_which() {
        let none = resolve(
            &ProviderFlags::default(),
            &AiConfig::default(),
            &env_of(&[]),
        );
        assert_eq!(none, Ok(None));
        let flags = ProviderFlags {
            provider: Some("openai".into()),
            ..ProviderFlags::default()
        };
        let err = resolve(&flags, &AiConfig::default(), &env_of(&[])).unwrap_err();
        assert!(
            err.to_string().contains("OPENAI_API_KEY is not set"),
            "{err}"
        );
        let bad = ProviderFlags {
            provider: Some("gemini".into()),
            ..ProviderFlags::default()
        };
        let err = resolve(&bad, &AiConfig::default(), &env_of(&[])).unwrap_err();
        assert!(
            err.to_string().contains("unknown provider \"gemini\""),
            "{err}"
        );
    }

    #[test]
    fn key_command_is_used_and_never_printed() {
        let config = AiConfig {
            provider: Some("openai".into()),
            key_command: Some("echo sk-secret-from-command".into()),
            ..AiConfig::default()
        };
        let p = resolve(&ProviderFlags::default(), &config, &env_of(&[]))
            .unwrap()
            .unwrap();
        let key = p.key.clone().unwrap();
        assert_eq!(key.expose(), "sk-secret-from-command");
        assert!(!format!("{p:?}").contains("sk-secret"));
        assert_eq!(
            key.scrub("bad key sk-secret-from-command!"),
            "bad key [key]!"
        );
        let failing = AiConfig {
            key_command: Some("echo sk-partial; exit 3".into()),
            ..config
        };
        let err = resolve(&ProviderFlags::default(), &failing, &env_of(&[])).unwrap_err();
        assert!(!err.to_string().contains("sk-partial"), "{err}");
    }

    #[test]
    fn error_bodies_give_their_message() {
        assert_eq!(
            error_message(
                r#"{"error":{"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error"}}"#
            ),
            "the request exceeds the available context size"
        );
        assert_eq!(
            error_message("<html>Bad Gateway</html>"),
            "<html>Bad Gateway</html>"
        );
    }
}
