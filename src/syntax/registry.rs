//! The syntax registry: the language table and each language's highlight and injection
//! queries, embedded in the binary and overridable from the user's config folder, compiled
//! the first time a file of that language is shown.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use tree_sitter::{Language, Query};

use crate::syntax::languages::{LanguageConfig, Languages, grammar};

macro_rules! embedded {
    ($($name:literal => $injections:tt),* $(,)?) => {
        /// (language, highlights.scm, injections.scm) as bundled with caret.
        pub const EMBEDDED_QUERIES: &[(&str, &str, Option<&str>)] = &[
            $(($name,
               include_str!(concat!("../../grammars/", $name, "/highlights.scm")),
               embedded!(@inj $name $injections))),*
        ];
    };
    (@inj $name:literal yes) => { Some(include_str!(concat!("../../grammars/", $name, "/injections.scm"))) };
    (@inj $name:literal no) => { None };
}

embedded! {
    "rust" => no,
    "python" => no,
    "javascript" => no,
    "typescript" => no,
    "tsx" => no,
    "go" => no,
    "c" => no,
    "cpp" => no,
    "json" => no,
    "toml" => no,
    "markdown" => yes,
    "markdown_inline" => no,
    "bash" => no,
    "yaml" => no,
}

pub const EMBEDDED_LANGUAGES: &str = include_str!("../../grammars/languages.toml");

/// A capture as the highlighter reports it: which language's query, which capture in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HighlightId {
    pub language: u16,
    pub capture: u16,
}

/// A language's compiled queries.
pub struct HighlightConfig {
    pub index: usize,
    pub language: Language,
    pub query: Query,
    /// Whether each capture of `query` paints (names starting with `_` are helpers).
    pub paints: Vec<bool>,
    pub injections: Option<InjectionQuery>,
}

pub struct InjectionQuery {
    pub query: Query,
    pub content: u32,
    pub language: Option<u32>,
}

/// Where a query's text came from, for error messages.
fn source_name(user: bool, lang: &str, file: &str) -> String {
    if user {
        format!("config grammars/{lang}/{file}")
    } else {
        format!("built-in grammars/{lang}/{file}")
    }
}

pub struct Registry {
    languages: Languages,
    configs: Vec<OnceLock<Option<Arc<HighlightConfig>>>>,
    /// The user's grammars folder, whose files override the embedded ones.
    user_dir: Option<PathBuf>,
    /// Problems with the user's files, reported once each.
    problems: Mutex<Vec<String>>,
    /// Languages whose queries a background thread has been asked to compile.
    compiling: Mutex<Vec<usize>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("languages", &self.languages.all().len())
            .finish_non_exhaustive()
    }
}

impl Registry {
    /// The embedded table, with the user's `grammars/` folder (if any) taking precedence.
    pub fn new(user_dir: Option<PathBuf>) -> Self {
        let mut problems = Vec::new();
        let user_table = user_dir
            .as_ref()
            .and_then(|dir| std::fs::read_to_string(dir.join("languages.toml")).ok());
        let languages = match user_table.map(|t| Languages::parse(&t)) {
            Some(Ok(langs)) => langs,
            Some(Err(e)) => {
                problems.push(format!("config {e}; using the built-in table"));
                Self::embedded_languages()
            }
            None => Self::embedded_languages(),
        };
        let configs = languages.all().iter().map(|_| OnceLock::new()).collect();
        Self {
            languages,
            configs,
            user_dir,
            problems: Mutex::new(problems),
            compiling: Mutex::new(Vec::new()),
        }
    }

    fn embedded_languages() -> Languages {
        // The bundled table is checked by a test; an empty table is the safe fallback.
        Languages::parse(EMBEDDED_LANGUAGES).unwrap_or_default()
    }

    pub fn languages(&self) -> &Languages {
        &self.languages
    }

    pub fn language(&self, index: usize) -> Option<&LanguageConfig> {
        self.languages.get(index)
    }

    /// Problems found in the user's grammar files since the last call.
    pub fn take_problems(&self) -> Vec<String> {
        self.problems
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }

    fn note_problem(&self, problem: String) {
        tracing::warn!("{problem}");
        if let Ok(mut p) = self.problems.lock() {
            p.push(problem);
        }
    }

    /// The compiled queries of language `index`, compiled on first use; `None` when the
    /// language has no usable highlight query.
    pub fn config(&self, index: usize) -> Option<Arc<HighlightConfig>> {
        self.configs
            .get(index)?
            .get_or_init(|| self.compile(index).map(Arc::new))
            .clone()
    }

    /// Whether the caller should compile language `index` in the background now: true once
    /// per language that is not compiled yet. (Compiling a big highlight query takes longer
    /// than a frame may, so the UI thread never does it.)
    pub fn claim_compile(&self, index: usize) -> bool {
        if index >= self.configs.len() || self.compiled(index).is_some() {
            return false;
        }
        let Ok(mut compiling) = self.compiling.lock() else {
            return false;
        };
        if compiling.contains(&index) {
            return false;
        }
        compiling.push(index);
        true
    }

    /// Whether language `index` has been compiled (successfully or not).
    pub fn is_compiled(&self, index: usize) -> bool {
        self.configs.get(index).is_some_and(|c| c.get().is_some())
    }

    /// The compiled queries, if already compiled (for readers that must not do the work).
    pub fn compiled(&self, index: usize) -> Option<&Arc<HighlightConfig>> {
        self.configs.get(index)?.get()?.as_ref()
    }

    /// The capture name behind a highlight, e.g. `keyword.control`.
    pub fn capture_name(&self, id: HighlightId) -> Option<&str> {
        let config = self.compiled(usize::from(id.language))?;
        config
            .query
            .capture_names()
            .get(usize::from(id.capture))
            .copied()
    }

    fn user_file(&self, lang: &str, file: &str) -> Option<String> {
        let path = self.user_dir.as_ref()?.join(lang).join(file);
        std::fs::read_to_string(path).ok()
    }

    /// Compiles the user's query if there is one and it compiles, else the embedded one.
    fn query_text(&self, language: &Language, lang: &str, file: &str) -> Option<Query> {
        if let Some(text) = self.user_file(lang, file) {
            match Query::new(language, &text) {
                Ok(q) => return Some(q),
                Err(e) => self.note_problem(format!(
                    "{}: {e}; using the built-in one",
                    source_name(true, lang, file)
                )),
            }
        }
        let (_, highlights, injections) =
            EMBEDDED_QUERIES.iter().find(|(name, _, _)| *name == lang)?;
        let text = if file == "highlights.scm" {
            Some(*highlights)
        } else {
            *injections
        }?;
        match Query::new(language, text) {
            Ok(q) => Some(q),
            Err(e) => {
                self.note_problem(format!("{}: {e}", source_name(false, lang, file)));
                None
            }
        }
    }

    fn compile(&self, index: usize) -> Option<HighlightConfig> {
        let lang = self.languages.get(index)?;
        let language = grammar(&lang.grammar)?;
        let query = self.query_text(&language, &lang.name, "highlights.scm")?;
        let paints = query
            .capture_names()
            .iter()
            .map(|name| !name.starts_with('_') && !name.starts_with("injection."))
            .collect();
        let injections = self
            .query_text(&language, &lang.name, "injections.scm")
            .and_then(|query| {
                let content = query.capture_index_for_name("injection.content")?;
                let language = query.capture_index_for_name("injection.language");
                Some(InjectionQuery {
                    query,
                    content,
                    language,
                })
            });
        Some(HighlightConfig {
            index,
            language,
            query,
            paints,
            injections,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_users_queries_override_the_bundled_ones_and_broken_ones_fall_back() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("json")).unwrap();
        std::fs::create_dir_all(dir.path().join("toml")).unwrap();
        std::fs::write(
            dir.path().join("json/highlights.scm"),
            "(number) @keyword\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("toml/highlights.scm"),
            "(no_such_node) @x\n",
        )
        .unwrap();
        let registry = Registry::new(Some(dir.path().to_path_buf()));
        let json = registry.languages().by_name("json").unwrap();
        let config = registry.config(json).unwrap();
        assert_eq!(config.query.capture_names(), &["keyword"]);
        let toml = registry.languages().by_name("toml").unwrap();
        let config = registry.config(toml).unwrap();
        assert!(
            config.query.pattern_count() > 1,
            "the bundled query is used"
        );
        let problems = registry.take_problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("config grammars/toml/highlights.scm"),
            "{problems:?}"
        );
    }
}
