//! What the model gets to see of the code, and why: the symbol index, the ranking, the repo
//! map, the gate, and the choice of pieces for a position. This file keeps the fallback used
//! before the index is ready: the item around the cursor found with the syntax tree alone,
//! plus the file's imports.

pub mod assemble;
pub mod engine;
pub mod gate;
pub mod index;
pub mod map;
pub mod rank;
pub mod tags;
pub mod workspace;

use ropey::Rope;
use tree_sitter::{Node, Parser};

use crate::ai::prompt::CodeContext;
use crate::ai::tokens;

impl CodeContext {
    /// As pieces of context: the code, then the file's imports.
    pub fn into_attachment(self, count: &dyn Fn(&str) -> usize) -> assemble::Attachment {
        let mut pieces = vec![assemble::Piece {
            kind: assemble::PieceKind::EnclosingItem,
            path: self.path.clone(),
            lines: (self.lines.0 as u32, self.lines.1 as u32),
            why: self.what.clone(),
            tokens: count(&self.code),
            text: self.code.clone(),
            language: self.language.clone(),
        }];
        if !self.imports.trim().is_empty() {
            pieces.push(assemble::Piece {
                kind: assemble::PieceKind::Imports,
                path: self.path.clone(),
                lines: (0, 0),
                why: "the file's imports".to_string(),
                tokens: count(&self.imports),
                text: self.imports.clone(),
                language: self.language.clone(),
            });
        }
        assemble::Attachment {
            location: self.location(),
            what: self.what,
            pieces,
            withheld: Vec::new(),
        }
    }
}

/// Node kinds that are items worth explaining on their own, across the bundled grammars.
const ITEM_KINDS: &[&str] = &[
    // Rust
    "function_item",
    "function_signature_item",
    "impl_item",
    "trait_item",
    "struct_item",
    "enum_item",
    "union_item",
    "mod_item",
    "macro_definition",
    // Python, C, C++, Bash
    "function_definition",
    "class_definition",
    "decorated_definition",
    // JavaScript, TypeScript, Go
    "function_declaration",
    "generator_function_declaration",
    "method_definition",
    "class_declaration",
    "interface_declaration",
    "enum_declaration",
    "type_alias_declaration",
    "method_declaration",
    "type_declaration",
    // C, C++
    "struct_specifier",
    "class_specifier",
    "namespace_definition",
];

/// Top-level node kinds that bring names into a file.
const IMPORT_KINDS: &[&str] = &[
    "use_declaration",
    "extern_crate_declaration",
    "import_statement",
    "import_from_statement",
    "future_import_statement",
    "import_declaration",
    "preproc_include",
    "using_declaration",
];

/// Comments and attributes directly above an item belong to it.
const LEADING_KINDS: &[&str] = &["line_comment", "block_comment", "comment", "attribute_item"];

/// Files bigger than this are not parsed for context; the lines around the cursor are sent.
const MAX_PARSE_BYTES: usize = 8 << 20;
/// Lines on each side of the cursor when no item encloses it.
const AROUND_LINES: usize = 30;
/// At most this many import lines go along.
const MAX_IMPORT_LINES: usize = 60;

/// Where the question points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Focus {
    /// The char range of a selection.
    Selection(std::ops::Range<usize>),
    /// The char position of the cursor.
    Cursor(usize),
    /// The whole file.
    File,
}

/// The code around `focus` in `text`, at most about `budget` tokens.
pub fn code_context(
    text: &Rope,
    path: &str,
    language: Option<(&str, &tree_sitter::Language)>,
    focus: &Focus,
    budget: usize,
) -> CodeContext {
    let fence = language.as_ref().map(|(name, _)| fence_language(name));
    let tree = language.as_ref().and_then(|(_, grammar)| {
        if text.len_bytes() > MAX_PARSE_BYTES {
            return None;
        }
        let mut parser = Parser::new();
        parser.set_language(grammar).ok()?;
        parser.parse(text.to_string(), None)
    });
    let make = |what: String, lines: (usize, usize), code: String, imports: String| CodeContext {
        path: path.to_string(),
        language: fence.clone(),
        lines: (lines.0 + 1, lines.1 + 1),
        what,
        code,
        imports,
    };
    // The empty "line" after a final line break is no line of the file.
    let mut last_line = text.len_lines().saturating_sub(1);
    if last_line > 0 && text.line(last_line).len_chars() == 0 {
        last_line -= 1;
    }
    let imports = || {
        tree.as_ref()
            .map(|t| imports_of(t.root_node(), text))
            .unwrap_or_default()
    };
    match focus {
        Focus::File => {
            let (end, code) = fit_lines(text, 0, last_line, budget);
            let what = if end < last_line {
                format!("file, first {} lines", end + 1)
            } else {
                "file".to_string()
            };
            make(what, (0, end), code, String::new())
        }
        Focus::Selection(range) => {
            let start = range.start.min(text.len_chars());
            let end = range.end.min(text.len_chars()).max(start);
            let first = text.char_to_line(start);
            let last = text.char_to_line(end.saturating_sub(1).max(start));
            let code = text.slice(start..end).to_string();
            let code = clip_to_budget(&code, budget);
            make("selection".to_string(), (first, last), code, imports())
        }
        Focus::Cursor(pos) => {
            let pos = (*pos).min(text.len_chars());
            let line = text.char_to_line(pos);
            if let Some(tree) = &tree
                && let Some((kind, first, last)) =
                    enclosing_item(tree, text, text.char_to_byte(pos))
            {
                let code = lines_text(text, first, last);
                if tokens::count_quick(&code) <= budget {
                    return make(kind, (first, last), code, imports());
                }
            }
            let first = line.saturating_sub(AROUND_LINES);
            let last = (line + AROUND_LINES).min(last_line);
            let code = clip_to_budget(&lines_text(text, first, last), budget);
            make(
                "lines around the cursor".to_string(),
                (first, last),
                code,
                imports(),
            )
        }
    }
}

/// The innermost item around `byte`: (kind, first line, last line), leading comments and
/// attributes included.
fn enclosing_item(
    tree: &tree_sitter::Tree,
    text: &Rope,
    byte: usize,
) -> Option<(String, usize, usize)> {
    let root = tree.root_node();
    let mut node = root.descendant_for_byte_range(byte, byte)?;
    loop {
        if ITEM_KINDS.contains(&node.kind()) {
            break;
        }
        node = node.parent()?;
    }
    let kind = node.kind().to_string();
    let mut first = node.start_position().row;
    let mut prev = node.prev_sibling();
    while let Some(p) = prev {
        if !LEADING_KINDS.contains(&p.kind()) || p.end_position().row + 1 < first {
            break;
        }
        first = p.start_position().row;
        prev = p.prev_sibling();
    }
    let end = node.end_position();
    // An item ending at column 0 ends with the previous line's break.
    let last = if end.column == 0 && end.row > first {
        end.row - 1
    } else {
        end.row
    };
    Some((kind, first, last.min(text.len_lines().saturating_sub(1))))
}

fn imports_of(root: Node<'_>, text: &Rope) -> String {
    let mut cursor = root.walk();
    let mut out = String::new();
    let mut lines = 0;
    for child in root.children(&mut cursor) {
        if !IMPORT_KINDS.contains(&child.kind()) {
            continue;
        }
        let (first, last) = (child.start_position().row, child.end_position().row);
        if lines + (last - first + 1) > MAX_IMPORT_LINES {
            break;
        }
        lines += last - first + 1;
        let bytes = child.byte_range();
        if bytes.end <= text.len_bytes() {
            out.push_str(&text.byte_slice(bytes).to_string());
            out.push('\n');
        }
    }
    out
}

fn lines_text(text: &Rope, first: usize, last: usize) -> String {
    let start = text.line_to_char(first);
    let end = text.line_to_char((last + 1).min(text.len_lines()));
    text.slice(start..end).to_string()
}

/// As many whole lines from `first` as fit the budget: (last line taken, text).
fn fit_lines(text: &Rope, first: usize, last: usize, budget: usize) -> (usize, String) {
    let mut out = String::new();
    let mut used = 0;
    let mut taken = first;
    for line in first..=last {
        let l = text.line(line).to_string();
        let cost = tokens::count_quick(&l);
        if used + cost > budget && line > first {
            break;
        }
        used += cost;
        out.push_str(&l);
        taken = line;
    }
    (taken, out)
}

fn clip_to_budget(code: &str, budget: usize) -> String {
    if tokens::count_quick(code) <= budget {
        return code.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for line in code.split_inclusive('\n') {
        let cost = tokens::count_quick(line);
        if used + cost > budget {
            break;
        }
        used += cost;
        out.push_str(line);
    }
    out
}

/// The name a Markdown fence uses for a language.
fn fence_language(name: &str) -> String {
    match name {
        "markdown_inline" => "markdown".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUST: &str = "use std::io;\nuse std::fmt::{self, Write};\n\nstruct S;\n\nimpl S {\n    /// Adds.\n    #[inline]\n    fn add(&self, a: i32) -> i32 {\n        a + 1\n    }\n}\n";

    #[allow(clippy::unnecessary_wraps)] // the shape code_context takes
    fn rust() -> Option<(&'static str, &'static tree_sitter::Language)> {
        static RUST_GRAMMAR: std::sync::OnceLock<tree_sitter::Language> =
            std::sync::OnceLock::new();
        Some((
            "rust",
            RUST_GRAMMAR.get_or_init(|| crate::syntax::languages::grammar("rust").unwrap()),
        ))
    }

    #[test]
    fn the_method_with_its_doc_comment_and_the_imports() {
        let text = Rope::from_str(RUST);
        let pos = RUST.find("a + 1").unwrap();
        let ctx = code_context(&text, "src/s.rs", rust(), &Focus::Cursor(pos), 1000);
        assert_eq!(ctx.what, "function_item");
        assert_eq!(ctx.lines, (7, 11));
        assert!(
            ctx.code
                .starts_with("    /// Adds.\n    #[inline]\n    fn add"),
            "{}",
            ctx.code
        );
        assert!(ctx.code.ends_with("    }\n"));
        assert_eq!(ctx.imports, "use std::io;\nuse std::fmt::{self, Write};\n");
        assert_eq!(ctx.location(), "src/s.rs:7-11");
        // Between items: the lines around the cursor.
        let ctx = code_context(
            &text,
            "src/s.rs",
            rust(),
            &Focus::Cursor(RUST.find("\n\nstruct").unwrap() + 1),
            1000,
        );
        assert_eq!(ctx.what, "lines around the cursor");
    }

    #[test]
    fn selection_file_and_budget() {
        let text = Rope::from_str(RUST);
        let start = RUST.find("struct").unwrap();
        let ctx = code_context(
            &text,
            "s.rs",
            rust(),
            &Focus::Selection(start..start + 9),
            1000,
        );
        assert_eq!(
            (ctx.what.as_str(), ctx.code.as_str(), ctx.lines),
            ("selection", "struct S;", (4, 4))
        );
        let ctx = code_context(&text, "s.rs", None, &Focus::File, 1000);
        assert_eq!((ctx.code.as_str(), ctx.what.as_str()), (RUST, "file"));
        let ctx = code_context(&text, "s.rs", None, &Focus::File, 10);
        assert!(ctx.what.starts_with("file, first "), "{}", ctx.what);
        assert!(ctx.code.len() < RUST.len());
    }
}
