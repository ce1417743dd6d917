//! Configuration: serde structs with defaults, merged from the user's config.toml.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct EditorConfig {
    /// Display width of a tab, and the indent unit for Tab when `insert_spaces`.
    pub tab_width: usize,
    /// Tab inserts spaces instead of a tab character.
    pub insert_spaces: bool,
    /// Lines scrolled per mouse wheel step.
    pub scroll_lines: usize,
    /// Idle time after the last change before dirty buffers are copied to recovery files.
    pub recovery_idle_ms: u64,
    /// Show line numbers in the gutter.
    pub line_numbers: bool,
}

impl Default for EditorConfig {
    fn default() -> Self {
        Self {
            tab_width: 4,
            insert_spaces: true,
            scroll_lines: 3,
            recovery_idle_ms: 1000,
            line_numbers: true,
        }
    }
}

/// The `[ai]` table: which model to talk to and how patiently.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct AiConfig {
    /// openai (any OpenAI-compatible server), anthropic or ollama.
    pub provider: Option<String>,
    pub base_url: Option<String>,
    pub model: Option<String>,
    /// The environment variable holding the key, if not the provider's usual one.
    pub key_env: Option<String>,
    /// A shell command that prints the key (e.g. `pass show openai`); wins over `key_env`.
    pub key_command: Option<String>,
    /// Attempts after the first, for rate limits, server errors and failed connections
    /// before any answer text arrived.
    pub max_retries: u32,
    pub connect_timeout_ms: u64,
    /// Longest wait for the next piece of a streamed answer.
    pub idle_timeout_ms: u64,
    /// Longest answer asked for.
    pub max_tokens: u32,
    /// Code sent along with a question (the item at the cursor, the selection), in tokens.
    pub context_tokens: usize,
    /// Earlier questions and answers sent along with a follow-up, in tokens.
    pub history_tokens: usize,
    /// Look for Ollama and llama.cpp on their default local ports when nothing is configured.
    pub probe_local: bool,
}

impl Default for AiConfig {
    fn default() -> Self {
        Self {
            provider: None,
            base_url: None,
            model: None,
            key_env: None,
            key_command: None,
            max_retries: 3,
            connect_timeout_ms: 10_000,
            idle_timeout_ms: 60_000,
            max_tokens: 2048,
            context_tokens: 4000,
            history_tokens: 6000,
            probe_local: true,
        }
    }
}

/// The `[completion]` table: inline completion (ghost text) as you type.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct CompletionConfig {
    /// Off with `false`; otherwise on whenever there is an AI provider.
    pub enabled: bool,
    /// The typing pause before a completion is asked for.
    pub debounce_ms: u64,
    /// Only these languages (by name, "cpp", or as the status line shows them, "C++";
    /// case-insensitive); empty: all.
    pub languages: Vec<String>,
    /// Never these languages.
    pub disabled_languages: Vec<String>,
    /// A completion longer than this is cut.
    pub max_lines: usize,
    /// Longest completion asked for.
    pub max_tokens: u32,
    /// Text before the cursor sent along, in characters (whole lines).
    pub prefix_chars: usize,
    /// Text after the cursor sent along, in characters (whole lines).
    pub suffix_chars: usize,
}

impl Default for CompletionConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            debounce_ms: 250,
            languages: Vec::new(),
            disabled_languages: Vec::new(),
            max_lines: 8,
            max_tokens: 128,
            prefix_chars: 3000,
            suffix_chars: 1000,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Config {
    /// The colour theme: a bundled one or `<config dir>/themes/<name>.toml`.
    pub theme: String,
    pub editor: EditorConfig,
    /// Key overrides: "ctrl-s" = "save"; an action of "none" unbinds the key.
    pub keys: BTreeMap<String, String>,
    pub ai: AiConfig,
    pub check: CheckConfig,
    pub completion: CompletionConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            theme: crate::ui::theme::DEFAULT_THEME.to_string(),
            editor: EditorConfig::default(),
            keys: BTreeMap::new(),
            ai: AiConfig::default(),
            check: CheckConfig::default(),
            completion: CompletionConfig::default(),
        }
    }
}

/// The `[check]` table: the command that reports problems in a file, per language, run on
/// save and by the fix loop.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// Command per language name (`rust = "cargo check --message-format=json"`), run with
    /// `sh -c` in the workspace root; `{file}` stands for the file's path. An empty string
    /// turns a built-in default off.
    pub commands: BTreeMap<String, String>,
    /// Run the check when a file of a language with a command is saved.
    pub on_save: bool,
    /// Longest a check may run before it is stopped.
    pub timeout_secs: u64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        Self {
            commands: BTreeMap::new(),
            on_save: true,
            timeout_secs: 300,
        }
    }
}

/// Commands used for languages the config does not name, and the file in the workspace
/// root that says the command applies there.
const DEFAULT_CHECKS: &[(&str, &str, Option<&str>)] = &[
    (
        "rust",
        "cargo check --quiet --all-targets --message-format=json",
        Some("Cargo.toml"),
    ),
    // Parsing only: `py_compile` would leave `__pycache__` folders in the user's tree.
    (
        "python",
        "python3 -c 'import ast,sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])' {file}",
        None,
    ),
    ("go", "go vet ./...", Some("go.mod")),
];

impl CheckConfig {
    /// The check command for a language (by its name in languages.toml) in the workspace at
    /// `root`, if any: the configured one, else a default whose project file is there.
    pub fn command_for(&self, language: &str, root: &Path) -> Option<&str> {
        let command = match self.commands.get(language) {
            Some(c) => c.as_str(),
            None => DEFAULT_CHECKS
                .iter()
                .find(|(l, _, marker)| {
                    *l == language && marker.is_none_or(|m| root.join(m).is_file())
                })
                .map(|(_, c, _)| *c)?,
        };
        (!command.trim().is_empty()).then_some(command)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("config {}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
}

impl Config {
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string().trim().replace('\n', " "),
        })
    }

    /// Loads `path`; a missing file at the default location is not an error.
    pub fn load(path: &Path, must_exist: bool) -> Result<Self, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                Ok(Self::default())
            }
            Err(source) => Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            }),
        }
    }
}

fn env_dir(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
}

fn home() -> PathBuf {
    env_dir("HOME").unwrap_or_else(std::env::temp_dir)
}

/// `$XDG_CONFIG_HOME/caret` (else `~/.config/caret`).
pub fn config_dir() -> PathBuf {
    env_dir("XDG_CONFIG_HOME")
        .unwrap_or_else(|| home().join(".config"))
        .join("caret")
}

/// FNV-1a: stable across Rust versions and runs, unlike the std hasher (names of files that
/// must be found again next time, content hashes in caches).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A per-workspace file under the state folder: `<dir>/<folder name>-<hash of its path>.<ext>`
/// (the chat journal, the symbol index cache).
pub fn workspace_file(state_dir: &Path, dir: &str, workspace: &Path, ext: &str) -> PathBuf {
    let hash = fnv1a(workspace.as_os_str().as_encoded_bytes());
    let name: String = workspace
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    state_dir
        .join(dir)
        .join(format!("{name}-{hash:016x}.{ext}"))
}

/// `$XDG_STATE_HOME/caret` (else `~/.local/state/caret`): logs and recovery files.
pub fn state_dir() -> PathBuf {
    env_dir("XDG_STATE_HOME")
        .unwrap_or_else(|| home().join(".local").join("state"))
        .join("caret")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_config_keeps_defaults() {
        let c = Config::parse(
            "[editor]\ntab_width = 8\n[keys]\n\"ctrl-s\" = \"save\"\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(c.editor.tab_width, 8);
        assert!(c.editor.insert_spaces);
        assert_eq!(c.keys["ctrl-s"], "save");
        assert_eq!(c.theme, "default");
        let c = Config::parse("theme = \"gruvbox-dark\"\n", Path::new("c.toml")).unwrap();
        assert_eq!(c.theme, "gruvbox-dark");
    }

    #[test]
    fn errors_name_the_file_and_problem() {
        let e = Config::parse("[editor]\ntab_width = \"x\"\n", Path::new("c.toml")).unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("config c.toml:"), "{msg}");
        assert!(msg.contains("tab_width"), "{msg}");
    }
}
