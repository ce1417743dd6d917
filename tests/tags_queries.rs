//! The bundled tags.scm and context.scm files load: each compiles against its grammar, uses
//! only the capture names the context engine understands, relies on no predicate the
//! tree-sitter binding leaves to the caller, and every such file on disk is embedded.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

use caret::context::tags::{DEFINITION_KINDS, EMBEDDED_TAG_QUERIES, ITEM_KINDS, REFERENCE_KINDS};
use caret::syntax::languages::{Languages, grammar};
use caret::syntax::registry::EMBEDDED_LANGUAGES;
use tree_sitter::Query;

fn grammars_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/grammars"))
}

/// Why a capture name is not allowed in a file of this sort, if it is not.
fn capture_problem(name: &str, context: bool) -> Option<String> {
    if name.starts_with('_') {
        return None;
    }
    let known = if context {
        matches!(name, "body" | "import")
            || name
                .strip_prefix("item.")
                .is_some_and(|k| ITEM_KINDS.contains(&k))
    } else {
        matches!(name, "name" | "ignore")
            || name
                .strip_prefix("definition.")
                .is_some_and(|k| DEFINITION_KINDS.contains(&k))
            || name
                .strip_prefix("reference.")
                .is_some_and(|k| REFERENCE_KINDS.contains(&k))
    };
    (!known).then(|| format!("capture @{name} is not one the context engine knows"))
}

fn audit(query: &Query, path: &str, context: bool) -> Vec<String> {
    let mut problems: Vec<String> = query
        .capture_names()
        .iter()
        .filter_map(|name| capture_problem(name, context))
        .map(|p| format!("{path}: {p}"))
        .collect();
    let required: &[&str] = if context {
        &["body", "import"]
    } else {
        &["name"]
    };
    for name in required {
        if query.capture_index_for_name(name).is_none() {
            problems.push(format!("{path}: no @{name} capture"));
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
        if !query.property_settings(pattern).is_empty()
            || !query.property_predicates(pattern).is_empty()
        {
            problems.push(format!(
                "{path} (pattern at byte offset {at}): #set!/#is? mean nothing here"
            ));
        }
    }
    problems
}

#[test]
fn every_tags_and_context_query_compiles_and_uses_only_known_captures() {
    let languages = Languages::parse(EMBEDDED_LANGUAGES).unwrap();
    let mut problems = Vec::new();
    for (lang, tags, context) in EMBEDDED_TAG_QUERIES {
        let index = languages
            .by_name(lang)
            .unwrap_or_else(|| panic!("{lang} is not in languages.toml"));
        let language = grammar(&languages.get(index).unwrap().grammar).unwrap();
        for (file, source, is_context) in
            [("tags.scm", tags, false), ("context.scm", context, true)]
        {
            let path = format!("grammars/{lang}/{file}");
            match Query::new(&language, source) {
                Ok(query) => problems.extend(audit(&query, &path, is_context)),
                Err(e) => problems.push(format!(
                    "{path}:{}:{}: {:?} error: {}",
                    e.row + 1,
                    e.column + 1,
                    e.kind,
                    e.message
                )),
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn every_tags_and_context_file_on_disk_is_embedded() {
    let embedded: BTreeSet<&str> = EMBEDDED_TAG_QUERIES.iter().map(|(l, _, _)| *l).collect();
    let mut on_disk = BTreeSet::new();
    for entry in std::fs::read_dir(grammars_dir()).unwrap() {
        let dir = entry.unwrap().path();
        let has_tags = dir.join("tags.scm").is_file();
        let has_context = dir.join("context.scm").is_file();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(
            has_tags, has_context,
            "grammars/{name}: tags.scm and context.scm go together"
        );
        if has_tags {
            on_disk.insert(name);
        }
    }
    let on_disk: BTreeSet<&str> = on_disk.iter().map(String::as_str).collect();
    assert_eq!(
        on_disk, embedded,
        "grammars/*/tags.scm vs EMBEDDED_TAG_QUERIES"
    );
}

#[test]
fn the_audit_catches_unknown_captures_and_predicates() {
    let rust = grammar("rust").unwrap();
    let query = Query::new(
        &rust,
        "((identifier) @name @definition.gizmo (#strip! @name \"x\"))",
    )
    .unwrap();
    let problems = audit(&query, "x.scm", false);
    assert_eq!(problems.len(), 2, "{problems:?}");
    let query = Query::new(&rust, "(function_item) @item.function").unwrap();
    assert_eq!(
        audit(&query, "y.scm", true).len(),
        2,
        "no @body, no @import"
    );
}
