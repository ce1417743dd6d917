//! The bundled syntax data files load: every highlights.scm and injections.scm compiles
//! against its grammar, uses only our capture vocabulary and the predicates the tree-sitter
//! binding evaluates itself, and languages.toml describes exactly the bundled languages.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::Deserialize;
use tree_sitter::{Language, Query};

/// The capture names a theme can style (a theme falls back from "a.b.c" to "a.b" to "a").
use caret::ui::theme::SYNTAX_SCOPES as VOCABULARY;

/// Captures an injections.scm may use (besides `_helpers`).
const INJECTION_CAPTURES: &[&str] = &["injection.content", "injection.language"];

/// `#set!` keys an injections.scm may use.
const INJECTION_SETTINGS: &[&str] = &[
    "injection.language",
    "injection.combined",
    "injection.include-children",
];

/// One bundled language's query files, embedded as the editor embeds them.
struct Bundled {
    id: &'static str,
    highlights: &'static str,
    injections: Option<&'static str>,
}

macro_rules! bundled {
    ($id:literal) => {
        Bundled {
            id: $id,
            highlights: include_str!(concat!("../grammars/", $id, "/highlights.scm")),
            injections: None,
        }
    };
    ($id:literal, injections) => {
        Bundled {
            id: $id,
            highlights: include_str!(concat!("../grammars/", $id, "/highlights.scm")),
            injections: Some(include_str!(concat!(
                "../grammars/",
                $id,
                "/injections.scm"
            ))),
        }
    };
}

fn bundled() -> Vec<Bundled> {
    vec![
        bundled!("rust"),
        bundled!("python"),
        bundled!("javascript"),
        bundled!("typescript"),
        bundled!("tsx"),
        bundled!("go"),
        bundled!("c"),
        bundled!("cpp"),
        bundled!("json"),
        bundled!("toml"),
        bundled!("markdown", injections),
        bundled!("markdown_inline"),
        bundled!("bash"),
        bundled!("yaml"),
    ]
}

/// The compiled grammar that a `grammar = "..."` value in languages.toml names.
fn grammar(name: &str) -> Option<Language> {
    let language = match name {
        "rust" => tree_sitter_rust::LANGUAGE,
        "python" => tree_sitter_python::LANGUAGE,
        "javascript" => tree_sitter_javascript::LANGUAGE,
        "typescript" => tree_sitter_typescript::LANGUAGE_TYPESCRIPT,
        "tsx" => tree_sitter_typescript::LANGUAGE_TSX,
        "go" => tree_sitter_go::LANGUAGE,
        "c" => tree_sitter_c::LANGUAGE,
        "cpp" => tree_sitter_cpp::LANGUAGE,
        "json" => tree_sitter_json::LANGUAGE,
        "toml" => tree_sitter_toml_ng::LANGUAGE,
        "markdown" => tree_sitter_md::LANGUAGE,
        "markdown_inline" => tree_sitter_md::INLINE_LANGUAGE,
        "bash" => tree_sitter_bash::LANGUAGE,
        "yaml" => tree_sitter_yaml::LANGUAGE,
        _ => return None,
    };
    Some(language.into())
}

/// The grammar languages.toml assigns to a bundled language.
fn grammar_of(languages: &[LanguageEntry], id: &str) -> Language {
    let entry = languages
        .iter()
        .find(|l| l.name == id)
        .unwrap_or_else(|| panic!("{id} is not in grammars/languages.toml"));
    grammar(&entry.grammar).unwrap_or_else(|| panic!("{id}: unknown grammar {:?}", entry.grammar))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguagesFile {
    language: Vec<LanguageEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LanguageEntry {
    name: String,
    display: String,
    grammar: String,
    extensions: Vec<String>,
    file_names: Vec<String>,
    shebangs: Vec<String>,
    comment: String,
    injection_names: Vec<String>,
}

fn grammars_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/grammars"))
}

fn languages() -> Vec<LanguageEntry> {
    let text = include_str!("../grammars/languages.toml");
    match toml::from_str::<LanguagesFile>(text) {
        Ok(file) => file.language,
        Err(e) => panic!("grammars/languages.toml does not parse: {e}"),
    }
}

/// Compiles one query file, describing any failure by file, line, column and byte offset.
fn compile(language: &Language, path: &str, source: &str) -> Result<Query, String> {
    Query::new(language, source).map_err(|e| {
        format!(
            "{path}:{}:{} (byte offset {}): {:?} error: {}",
            e.row + 1,
            e.column + 1,
            e.offset,
            e.kind,
            e.message
        )
    })
}

/// Problems with one compiled query: captures outside the allowed set, predicates the
/// binding would not evaluate, `#set!` where it means nothing.
fn audit(query: &Query, path: &str, injections: bool) -> Vec<String> {
    let mut problems = Vec::new();
    for name in query.capture_names() {
        let allowed = name.starts_with('_')
            || if injections {
                INJECTION_CAPTURES.contains(name)
            } else {
                VOCABULARY.contains(name)
            };
        if !allowed {
            problems.push(format!("{path}: capture @{name} is not in the vocabulary"));
        }
    }
    for pattern in 0..query.pattern_count() {
        let at = query.start_byte_for_pattern(pattern);
        for predicate in query.general_predicates(pattern) {
            problems.push(format!(
                "{path} (pattern at byte offset {at}): #{} is not evaluated by tree-sitter",
                predicate.operator
            ));
        }
        for setting in query.property_settings(pattern) {
            if !injections || !INJECTION_SETTINGS.contains(&&*setting.key) {
                problems.push(format!(
                    "{path} (pattern at byte offset {at}): #set! {} is not used here",
                    setting.key
                ));
            }
        }
    }
    problems
}

#[test]
fn every_query_compiles_and_uses_only_the_vocabulary() {
    let languages = languages();
    let mut problems = Vec::new();
    for lang in bundled() {
        let language = grammar_of(&languages, lang.id);
        let files = [(lang.highlights, "highlights.scm", false)]
            .into_iter()
            .chain(
                lang.injections
                    .map(|source| (source, "injections.scm", true)),
            );
        for (source, file, injections) in files {
            let path = format!("grammars/{}/{file}", lang.id);
            match compile(&language, &path, source) {
                Ok(query) => problems.extend(audit(&query, &path, injections)),
                Err(e) => problems.push(e),
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn injected_languages_are_known_by_an_injection_name() {
    let languages = languages();
    let known: BTreeSet<&str> = languages
        .iter()
        .flat_map(|l| l.injection_names.iter().map(String::as_str))
        .collect();
    for lang in bundled() {
        let Some(source) = lang.injections else {
            continue;
        };
        let path = format!("grammars/{}/injections.scm", lang.id);
        let query = compile(&grammar_of(&languages, lang.id), &path, source)
            .unwrap_or_else(|e| panic!("{e}"));
        for pattern in 0..query.pattern_count() {
            for setting in query.property_settings(pattern) {
                if &*setting.key != "injection.language" {
                    continue;
                }
                let name = setting.value.as_deref().unwrap_or_default();
                assert!(
                    known.contains(name),
                    "{path}: injection.language {name:?} is no language's injection name"
                );
            }
        }
    }
}

#[test]
fn bundled_files_are_embedded_in_the_tests() {
    // A query folder that this test does not include_str! would never be checked.
    let listed: BTreeSet<&str> = bundled().iter().map(|b| b.id).collect();
    let mut on_disk = BTreeSet::new();
    for entry in std::fs::read_dir(grammars_dir()).expect("grammars/ is readable") {
        let entry = entry.expect("grammars/ entry");
        if entry.path().is_dir() {
            on_disk.insert(entry.file_name().to_string_lossy().into_owned());
        }
    }
    let on_disk: BTreeSet<&str> = on_disk.iter().map(String::as_str).collect();
    assert_eq!(
        on_disk, listed,
        "grammars/*/ folders vs the list in this test"
    );
    for lang in bundled() {
        let has_injections = grammars_dir().join(lang.id).join("injections.scm").exists();
        assert_eq!(
            has_injections,
            lang.injections.is_some(),
            "grammars/{}/injections.scm exists but is not checked (or the other way round)",
            lang.id
        );
    }
}

#[test]
fn languages_toml_describes_every_bundled_language() {
    let languages = languages();
    let bundled_ids: BTreeSet<&str> = bundled().iter().map(|b| b.id).collect();
    let listed: BTreeSet<&str> = languages.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(listed, bundled_ids, "languages.toml names vs grammars/*/");
    assert_eq!(listed.len(), languages.len(), "a language is listed twice");

    let mut claims: HashMap<String, &str> = HashMap::new();
    let mut claim = |kind: &str, key: &str, by: &'static str| {
        let previous = claims.insert(format!("{kind} {key}"), by);
        assert!(
            previous.is_none(),
            "{kind} {key:?} is claimed by both {} and {by}",
            previous.unwrap_or_default()
        );
    };
    for entry in &languages {
        let id: &'static str = bundled_ids
            .iter()
            .copied()
            .find(|id| *id == entry.name)
            .expect("checked above");
        assert!(
            grammars_dir().join(id).join("highlights.scm").is_file(),
            "grammars/{id}/highlights.scm is missing"
        );
        assert!(
            grammar(&entry.grammar).is_some(),
            "{id}: unknown grammar {:?}",
            entry.grammar
        );
        assert!(!entry.display.trim().is_empty(), "{id}: empty display name");
        for ext in &entry.extensions {
            assert!(
                !ext.starts_with('.') && !ext.is_empty(),
                "{id}: extension {ext:?} must be given without the dot"
            );
            claim("extension", ext, id);
        }
        for name in &entry.file_names {
            claim("file name", name, id);
        }
        for interpreter in &entry.shebangs {
            assert!(
                !interpreter.contains('/'),
                "{id}: shebang {interpreter:?} must be an interpreter name, not a path"
            );
            claim("shebang", interpreter, id);
        }
        for name in &entry.injection_names {
            claim("injection name", name, id);
        }
        assert!(
            entry.comment.is_empty() || !entry.comment.contains(char::is_whitespace),
            "{id}: comment token {:?} must not contain spaces",
            entry.comment
        );
    }
}

#[test]
fn a_broken_query_is_reported_with_its_file_and_position() {
    let rust = grammar("rust").expect("rust grammar");
    let error = compile(
        &rust,
        "grammars/rust/highlights.scm",
        "(identifier) @variable\n(no_such_node) @type",
    )
    .expect_err("an unknown node type does not compile");
    assert!(
        error.starts_with("grammars/rust/highlights.scm:2:2 (byte offset 24)"),
        "{error}"
    );
    let query = compile(
        &rust,
        "x.scm",
        "((identifier) @not.a.capture (#lua-match? @not.a.capture \"x\"))",
    )
    .expect("compiles");
    let problems = audit(&query, "x.scm", false);
    assert_eq!(problems.len(), 2, "{problems:?}");
}
