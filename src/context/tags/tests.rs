//! Unit tests of the tags extractor: sharing between threads, limits, user overrides.
//! (What each language's queries find is checked by the fixtures in tests/tags/.)

use super::*;
use crate::syntax::registry::Registry;

const RUST: &str = "\
use std::fmt;

/// A point.
#[derive(Debug)]
pub struct Point {
    x: i32,
}

impl Point {
    /// Makes one.
    pub fn new(x: i32) -> Self {
        Point { x }
    }
}

fn main() {
    let p = Point::new(1);
    println!(\"{p:?}\");
}
";

fn tags() -> (Tags, usize) {
    let registry = Registry::new(None);
    let tags = Tags::new(registry.languages(), None);
    let rust = registry.languages().by_name("rust").unwrap();
    (tags, rust)
}

#[test]
fn extracts_from_several_threads_at_once() {
    let (tags, rust) = tags();
    let expected = tags.extract(rust, RUST).unwrap();
    assert!(!expected.defs.is_empty() && !expected.refs.is_empty());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    (0..20)
                        .map(|_| tags.extract(rust, RUST))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            for symbols in handle.join().unwrap() {
                assert_eq!(symbols.as_ref(), Some(&expected));
            }
        }
    });
    assert!(tags.take_problems().is_empty());
}

#[test]
fn the_first_compile_can_happen_on_several_threads() {
    let (tags, rust) = tags();
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| tags.extract(rust, RUST)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(results.iter().all(|r| r.is_some() && *r == results[0]));
}

#[test]
fn a_method_names_its_item_and_the_item_has_its_doc_comment() {
    let (tags, rust) = tags();
    let symbols = tags.extract(rust, RUST).unwrap();
    let new = symbols.defs.iter().find(|d| d.name == "new").unwrap();
    assert_eq!(new.kind, "method");
    assert_eq!(new.signature, "pub fn new(x: i32) -> Self");
    let item = &symbols.items[new.item.unwrap() as usize];
    assert_eq!(
        (item.kind.as_str(), item.lines, item.header),
        ("method", (9, 12), (9, 10))
    );
    let parent = &symbols.items[item.parent.unwrap() as usize];
    assert_eq!((parent.kind.as_str(), parent.lines), ("impl", (8, 13)));
    let point = symbols.defs.iter().find(|d| d.name == "Point").unwrap();
    assert_eq!(symbols.items[point.item.unwrap() as usize].lines, (2, 6));
    assert_eq!(symbols.imports, vec![(0, 0)]);
}

#[test]
fn big_files_long_lines_and_other_languages_are_skipped() {
    let (tags, rust) = tags();
    let registry = Registry::new(None);
    let json = registry.languages().by_name("json").unwrap();
    assert!(!tags.supports(json));
    assert_eq!(tags.extract(json, "{}"), None);
    assert_eq!(tags.extract(usize::MAX, "fn a() {}"), None);
    let long_line = format!("fn a() {{ let s = \"{}\"; }}\n", "x".repeat(MAX_LINE_BYTES));
    assert_eq!(tags.extract(rust, &long_line), None);
    let big = "fn a() {}\n".repeat(MAX_FILE_BYTES / 10 + 1);
    assert_eq!(tags.extract(rust, &big), None);
    // Just under the limits is fine.
    let fine = format!("fn a() {{ let s = \"{}\"; }}\n", "x".repeat(1000));
    assert_eq!(tags.extract(rust, &fine).unwrap().defs.len(), 1);
}

#[test]
fn the_users_queries_override_the_bundled_ones_and_broken_ones_fall_back() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("rust")).unwrap();
    std::fs::create_dir_all(dir.path().join("python")).unwrap();
    std::fs::create_dir_all(dir.path().join("go")).unwrap();
    std::fs::write(
        dir.path().join("rust/tags.scm"),
        "(struct_item name: (type_identifier) @name) @definition.struct\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("python/tags.scm"), "(no_such_node) @name\n").unwrap();
    std::fs::write(
        dir.path().join("go/tags.scm"),
        "(identifier) @definition.x\n",
    )
    .unwrap();
    let registry = Registry::new(None);
    let langs = registry.languages();
    let tags = Tags::new(langs, Some(dir.path().to_path_buf()));

    let rust = tags.extract(langs.by_name("rust").unwrap(), RUST).unwrap();
    let names: Vec<&str> = rust.defs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["Point"]);
    assert!(rust.refs.is_empty());
    assert!(
        !rust.items.is_empty(),
        "the bundled context.scm still applies"
    );

    let python = tags
        .extract(langs.by_name("python").unwrap(), "def f():\n    pass\n")
        .unwrap();
    assert_eq!(python.defs.len(), 1, "the bundled tags.scm is used");
    let go = tags
        .extract(langs.by_name("go").unwrap(), "package p\nfunc f() {}\n")
        .unwrap();
    assert_eq!(go.defs.len(), 1, "the bundled tags.scm is used");

    let problems = tags.take_problems();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains("config grammars/python/tags.scm"),
        "{problems:?}"
    );
    assert!(
        problems[1].contains("config grammars/go/tags.scm: no @name"),
        "{problems:?}"
    );
    assert!(tags.take_problems().is_empty());
}

#[test]
fn signatures_are_one_line_of_at_most_200_chars() {
    let (tags, rust) = tags();
    let params: Vec<String> = (0..60).map(|i| format!("a{i}: u8")).collect();
    let source = format!("fn wide(\n    {},\n) {{}}\n", params.join(",\n    "));
    let symbols = tags.extract(rust, &source).unwrap();
    let signature = &symbols.defs[0].signature;
    assert_eq!(signature.chars().count(), 200);
    assert!(
        signature.starts_with("fn wide( a0: u8, a1: u8,"),
        "{signature}"
    );
    assert!(signature.ends_with('…'), "{signature}");
}

#[test]
fn collapsing_never_passes_200_chars_wherever_the_cut_falls() {
    for word in 1..12 {
        for words in 1..80 {
            let text = vec!["é".repeat(word); words].join(" \n\t ");
            let one_line = extract::collapse(&text);
            let expected = vec!["é".repeat(word); words].join(" ");
            if expected.chars().count() <= 200 {
                assert_eq!(one_line, expected);
            } else {
                assert_eq!(one_line.chars().count(), 200, "{one_line}");
                assert!(one_line.ends_with('…'));
                assert!(expected.starts_with(one_line.trim_end_matches('…')));
            }
        }
    }
}
