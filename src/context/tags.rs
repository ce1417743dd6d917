//! Symbol tags and items of a source file, as data: the definitions and references that
//! grammars/<lang>/tags.scm finds, the items (functions, classes, impls …) and imports that
//! grammars/<lang>/context.scm finds, with the queries embedded in the binary, overridable
//! from the user's config folder, and compiled on first use.

mod extract;

use std::borrow::Cow;
use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use tree_sitter::{Language, Parser, Query};

use crate::syntax::languages::{Languages, grammar};

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        /// (language, tags.scm, context.scm) as bundled with caret.
        pub const EMBEDDED_TAG_QUERIES: &[(&str, &str, &str)] = &[
            $(($name,
               include_str!(concat!("../../grammars/", $name, "/tags.scm")),
               include_str!(concat!("../../grammars/", $name, "/context.scm")))),*
        ];
    };
}

embedded! {
    "rust",
    "python",
    "javascript",
    "typescript",
    "tsx",
    "go",
    "c",
    "cpp",
    "bash",
}

/// Bigger files are skipped: generated or vendored code, not worth the parse.
pub const MAX_FILE_BYTES: usize = 1 << 20;
/// A line longer than this marks a minified or generated file; it is skipped.
pub const MAX_LINE_BYTES: usize = 64 << 10;

/// The kinds a tags.scm may give in `@definition.<kind>`.
pub const DEFINITION_KINDS: &[&str] = &[
    "function",
    "method",
    "class",
    "struct",
    "enum",
    "union",
    "interface",
    "module",
    "constant",
    "variable",
    "type",
    "macro",
];
/// The kinds a tags.scm may give in `@reference.<kind>`.
/// `method` is a call through a value (`x.f()`): only a method can answer it, and which one
/// depends on a type the tags do not know.
pub const REFERENCE_KINDS: &[&str] =
    &["call", "method", "type", "class", "implementation", "macro"];
/// The kinds a context.scm may give in `@item.<kind>`.
pub const ITEM_KINDS: &[&str] = &[
    "function",
    "method",
    "class",
    "struct",
    "enum",
    "union",
    "interface",
    "trait",
    "impl",
    "module",
    "namespace",
    "type",
    "macro",
    "constant",
];

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
pub struct FileSymbols {
    pub defs: Vec<Definition>,
    pub refs: Vec<Reference>,
    pub items: Vec<Item>,
    /// 0-based inclusive line ranges of import statements.
    pub imports: Vec<(u32, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Definition {
    pub name: String,
    /// "function", "method", "class", "struct", "interface", "module", "constant", "type",
    /// "macro", … (see `DEFINITION_KINDS`).
    pub kind: String,
    /// 0-based line of the name.
    pub line: u32,
    /// Index into `items` of the item this definition names: the innermost item that holds
    /// the name outside its body (a name inside a body is a local, not the item's name).
    pub item: Option<u32>,
    /// The item's header (its text before its body, with `{ … } tail` when text follows
    /// the body, as in `typedef struct { … } T;`), whitespace collapsed to one line, at most
    /// 200 chars; the definition's line when it names no item.
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reference {
    pub name: String,
    /// "call", "method", "type", "class", "implementation", "macro" (see `REFERENCE_KINDS`).
    pub kind: String,
    /// 0-based line of the name.
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Item {
    /// From the `@item.<kind>` suffix (see `ITEM_KINDS`).
    pub kind: String,
    /// 0-based inclusive, including doc comments / attributes / decorators directly above.
    pub lines: (u32, u32),
    /// The lines before the body (from `lines.0`, so with the comments above); equal to
    /// `lines` for items without a body.
    pub header: (u32, u32),
    /// Index of the innermost enclosing item.
    pub parent: Option<u32>,
}

/// What a capture stands for.
enum Role {
    Name,
    Definition(Box<str>),
    Reference(Box<str>),
    Item(Box<str>),
    /// `@ignore`: the name is claimed by this pattern and then not recorded (a pattern before
    /// a catch-all that would misname it).
    Ignore,
    Body,
    Import,
    Other,
}

/// One language's compiled queries: tags.scm and context.scm compiled as one query, since
/// each query pass walks the whole tree and the walk costs about as much as the matching.
struct Compiled {
    language: Language,
    query: Query,
    roles: Vec<Role>,
}

/// Compiled tags + context queries for every language that has them; cheap to share
/// (Send + Sync), compiles a language's queries on first use, so the index can call
/// `extract` from several threads at once.
pub struct Tags {
    /// (name, grammar) of each language of the table, by index.
    languages: Vec<(String, String)>,
    /// Whether each language has a tags.scm, bundled or the user's.
    supported: Vec<bool>,
    compiled: Vec<OnceLock<Option<Compiled>>>,
    /// The user's grammars folder, whose files override the embedded ones.
    user_dir: Option<PathBuf>,
    /// Problems with the query files, reported once each.
    problems: Mutex<Vec<String>>,
}

impl std::fmt::Debug for Tags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tags")
            .field("languages", &self.languages.len())
            .field("user_dir", &self.user_dir)
            .finish_non_exhaustive()
    }
}

thread_local! {
    /// A parser per indexing thread: creating one per file would cost more than small files
    /// take to parse.
    static PARSER: RefCell<Parser> = RefCell::new(Parser::new());
}

fn embedded_text(lang: &str, file: &str) -> Option<&'static str> {
    let (_, tags, context) = EMBEDDED_TAG_QUERIES.iter().find(|(n, _, _)| *n == lang)?;
    match file {
        "tags.scm" => Some(tags),
        "context.scm" => Some(context),
        _ => None,
    }
}

impl Tags {
    /// `user_dir` is the user's grammars folder (`<config dir>/grammars`, as the syntax
    /// registry takes it): `<user_dir>/<lang>/tags.scm` and `context.scm` there override
    /// the bundled ones.
    pub fn new(languages: &Languages, user_dir: Option<PathBuf>) -> Self {
        let languages: Vec<(String, String)> = languages
            .all()
            .iter()
            .map(|l| (l.name.clone(), l.grammar.clone()))
            .collect();
        let supported = languages
            .iter()
            .map(|(name, _)| {
                embedded_text(name, "tags.scm").is_some()
                    || user_dir
                        .as_ref()
                        .is_some_and(|dir| dir.join(name).join("tags.scm").is_file())
            })
            .collect();
        let compiled = languages.iter().map(|_| OnceLock::new()).collect();
        Self {
            languages,
            supported,
            compiled,
            user_dir,
            problems: Mutex::new(Vec::new()),
        }
    }

    /// Whether language `language` (an index of the `Languages` table) has a tags.scm.
    pub fn supports(&self, language: usize) -> bool {
        self.supported.get(language).copied().unwrap_or(false)
    }

    /// The symbols of `source`, parsed as language `language`; `None` when the language has
    /// no (usable) tags query, the file is too big or has a too long line, or it does not
    /// parse at all.
    pub fn extract(&self, language: usize, source: &str) -> Option<FileSymbols> {
        if source.len() > MAX_FILE_BYTES || !self.supports(language) {
            return None;
        }
        let lines = extract::Lines::new(source)?;
        let compiled = self.compiled(language)?;
        let tree = PARSER.with(|parser| {
            let mut parser = parser.try_borrow_mut().ok()?;
            parser.set_language(&compiled.language).ok()?;
            parser.parse(source, None)
        })?;
        Some(extract::symbols(compiled, &tree, source, &lines))
    }

    /// The symbols of `source` from a tree already parsed (the editor keeps one per buffer,
    /// re-parsed incrementally after each edit: no need to parse again).
    pub fn extract_tree(
        &self,
        language: usize,
        tree: &tree_sitter::Tree,
        source: &str,
    ) -> Option<FileSymbols> {
        if source.len() > MAX_FILE_BYTES || !self.supports(language) {
            return None;
        }
        let lines = extract::Lines::new(source)?;
        let compiled = self.compiled(language)?;
        Some(extract::symbols(compiled, tree, source, &lines))
    }

    /// Problems found in the query files since the last call: a broken user override (the
    /// bundled query is used instead) or a broken bundled query.
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

    fn compiled(&self, language: usize) -> Option<&Compiled> {
        self.compiled
            .get(language)?
            .get_or_init(|| self.compile(language))
            .as_ref()
    }

    fn compile(&self, language: usize) -> Option<Compiled> {
        let (name, grammar_name) = self.languages.get(language)?;
        let ts_language = grammar(grammar_name)?;
        let tags = self.query_text(&ts_language, name, "tags.scm", |query| {
            if query.capture_index_for_name("name").is_some() {
                Ok(())
            } else {
                Err("no @name capture".to_string())
            }
        })?;
        let context = self.query_text(&ts_language, name, "context.scm", |_| Ok(()));
        let query = match &context {
            Some(context) => Query::new(&ts_language, &format!("{tags}\n{context}"))
                .or_else(|e| {
                    // Each file compiles on its own, so this is unexpected; keep the tags.
                    self.note_problem(format!("grammars/{name}: tags.scm + context.scm: {e}"));
                    Query::new(&ts_language, &tags)
                })
                .ok()?,
            None => Query::new(&ts_language, &tags).ok()?,
        };
        let roles = query.capture_names().iter().map(|c| role(c)).collect();
        Some(Compiled {
            language: ts_language,
            query,
            roles,
        })
    }

    /// The text of the user's query file if there is one and it is usable, else the
    /// bundled one; `check` says why a compiled query is not usable.
    fn query_text(
        &self,
        language: &Language,
        lang: &str,
        file: &str,
        check: impl Fn(&Query) -> Result<(), String>,
    ) -> Option<Cow<'static, str>> {
        let usable = |text: &str| {
            Query::new(language, text)
                .map_err(|e| e.to_string())
                .and_then(|q| check(&q))
        };
        let user = self
            .user_dir
            .as_ref()
            .and_then(|dir| std::fs::read_to_string(dir.join(lang).join(file)).ok());
        if let Some(text) = user {
            match usable(&text) {
                Ok(()) => return Some(Cow::Owned(text)),
                Err(e) => self.note_problem(format!(
                    "config grammars/{lang}/{file}: {e}; using the built-in one"
                )),
            }
        }
        let text = embedded_text(lang, file)?;
        match usable(text) {
            Ok(()) => Some(Cow::Borrowed(text)),
            Err(e) => {
                self.note_problem(format!("built-in grammars/{lang}/{file}: {e}"));
                None
            }
        }
    }
}

fn role(capture: &str) -> Role {
    let kind = |prefix: &str| capture.strip_prefix(prefix).map(Box::from);
    match capture {
        "name" => Role::Name,
        "body" => Role::Body,
        "import" => Role::Import,
        "ignore" => Role::Ignore,
        _ => kind("definition.")
            .map(Role::Definition)
            .or_else(|| kind("reference.").map(Role::Reference))
            .or_else(|| kind("item.").map(Role::Item))
            .unwrap_or(Role::Other),
    }
}

#[cfg(test)]
mod tests;
