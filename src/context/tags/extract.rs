//! Turning one parsed file into `FileSymbols`: one pass of the combined tags + context
//! query (definitions, references, items with their bodies, imports), then the joining —
//! comments above items, headers, parents, which item a definition names.

use std::cmp::Reverse;

use tree_sitter::{Node, Point, QueryCursor, StreamingIterator, Tree};

use super::{Compiled, Definition, FileSymbols, Item, MAX_LINE_BYTES, Reference, Role};

/// Nodes that belong to the item below them when they sit on the lines directly above it.
/// (A query cannot say "directly above" cheaply, so the grammars' kinds are listed here.)
const LEADING_KINDS: &[&str] = &[
    "comment",
    "line_comment",
    "block_comment",
    "attribute_item",
    "decorator",
];
/// Comments, left out of signatures.
const COMMENT_KINDS: &[&str] = &["comment", "line_comment", "block_comment"];
/// Nodes that wrap an item and start on a line of their own before it: a C++ `template<…>`
/// line, a Python decorated definition.
const WRAPPER_KINDS: &[&str] = &["template_declaration", "decorated_definition"];
/// Signatures are cut to this many chars.
const MAX_SIGNATURE_CHARS: usize = 200;

/// Where each line starts; `new` refuses files with a line over `MAX_LINE_BYTES`.
pub(super) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(super) fn new(source: &str) -> Option<Self> {
        let mut starts = Vec::with_capacity(source.len() / 32 + 1);
        starts.push(0);
        for (i, byte) in source.bytes().enumerate() {
            if byte == b'\n' {
                let start = starts.last().copied().unwrap_or(0);
                if i - start > MAX_LINE_BYTES {
                    return None;
                }
                starts.push(i + 1);
            }
        }
        let last = starts.last().copied().unwrap_or(0);
        (source.len() - last <= MAX_LINE_BYTES).then_some(Self { starts })
    }

    fn text<'s>(&self, source: &'s str, row: usize) -> &'s str {
        let start = self.starts.get(row).copied().unwrap_or(source.len());
        let end = self.starts.get(row + 1).copied().unwrap_or(source.len());
        source.get(start..end).unwrap_or("")
    }

    /// The byte column of the first non-blank char of `row`, `None` for a blank line.
    fn indent(&self, source: &str, row: usize) -> Option<usize> {
        let text = self.text(source, row);
        let trimmed = text.trim_start();
        (!trimmed.trim_end().is_empty()).then(|| text.len() - trimmed.len())
    }

    fn row_of(&self, byte: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= byte)
            .saturating_sub(1)
    }
}

/// An item as the context query found it.
struct Found<'t> {
    node: Node<'t>,
    kind: u32,
    pattern: usize,
    body: Option<Node<'t>>,
}

/// A definition or reference as the tags query found it.
struct Tag<'t> {
    name: Node<'t>,
    role: u32,
    pattern: usize,
}

/// Byte ranges of an item, for finding which item a name belongs to.
struct Span<'t> {
    node: Node<'t>,
    start: usize,
    /// Where its signature starts: after the decorators a grammar puts inside the item.
    head: usize,
    end: usize,
    body: Option<(usize, usize)>,
}

pub(super) fn symbols(
    compiled: &Compiled,
    tree: &Tree,
    source: &str,
    lines: &Lines,
) -> FileSymbols {
    let root = tree.root_node();
    let mut cursor = QueryCursor::new();
    let mut out = FileSymbols::default();
    let mut found = Vec::new();
    let mut tags = Vec::new();

    // One pass over the tree: a match is of a context.scm pattern (an item with its body,
    // or an import) or of a tags.scm pattern (a name and what it defines or references).
    let mut matches = cursor.matches(&compiled.query, root, source.as_bytes());
    while let Some(m) = matches.next() {
        let mut item = None;
        let mut body = None;
        let mut name = None;
        let mut tag = None;
        for capture in m.captures {
            match compiled.roles.get(capture.index as usize) {
                Some(Role::Item(_)) => item = Some((capture.node, capture.index)),
                Some(Role::Body) => body = Some(capture.node),
                Some(Role::Import) => out.imports.push(rows(capture.node)),
                Some(Role::Name) => name = Some(capture.node),
                Some(Role::Definition(_) | Role::Reference(_) | Role::Ignore) => {
                    tag = Some(capture.index);
                }
                _ => {}
            }
        }
        if let Some((node, kind)) = item {
            found.push(Found {
                node,
                kind,
                pattern: m.pattern_index,
                body,
            });
        }
        if let (Some(name), Some(role)) = (name, tag) {
            tags.push(Tag {
                name,
                role,
                pattern: m.pattern_index,
            });
        }
    }
    out.imports.sort_unstable();
    out.imports.dedup();

    // The same node matched by several patterns is one item: the first pattern names its
    // kind, and the header ends where the earliest body any match saw starts.
    found.sort_by_key(|f| (f.node.start_byte(), Reverse(f.node.end_byte()), f.pattern));
    found.dedup_by(|later, kept| {
        let same = later.node.byte_range() == kept.node.byte_range();
        if same
            && let Some(body) = later.body
            && kept.body.is_none_or(|b| body.start_byte() < b.start_byte())
        {
            kept.body = Some(body);
        }
        same
    });

    let mut spans: Vec<Span> = Vec::with_capacity(found.len());
    let mut stack: Vec<usize> = Vec::new();
    out.items.reserve(found.len());
    for f in &found {
        let (start, end) = (f.node.start_byte(), f.node.end_byte());
        while let Some(&top) = stack.last() {
            if spans[top].start <= start && end <= spans[top].end {
                break;
            }
            stack.pop();
        }
        let first = leading_start(root, f.node, source, lines);
        let last = rows(f.node).1;
        let header_end = f.body.map_or(last, |body| {
            header_end(f.node, body, source, lines).clamp(first, last)
        });
        let kind = match context_kind(compiled, f.kind) {
            Some(kind) => kind.to_string(),
            None => String::new(),
        };
        out.items.push(Item {
            kind,
            lines: (first, last),
            header: (first, header_end),
            parent: stack.last().map(|&p| p as u32),
        });
        stack.push(spans.len());
        let mut children = f.node.walk();
        let head = f
            .node
            .children(&mut children)
            .find(|c| !LEADING_KINDS.contains(&c.kind()))
            .map_or(start, |c| c.start_byte());
        spans.push(Span {
            node: f.node,
            start,
            head,
            end,
            body: f.body.map(|b| (b.start_byte(), b.end_byte())),
        });
    }

    // A name several patterns capture keeps the first pattern's role: the specific
    // patterns come first in the files, the catch-alls (every type name) last.
    tags.sort_by_key(|t| (t.name.start_byte(), t.name.end_byte(), t.pattern));
    tags.dedup_by_key(|t| t.name.byte_range());

    for tag in &tags {
        let range = tag.name.byte_range();
        let Some(name) = source.get(range.clone()).filter(|n| !n.is_empty()) else {
            continue;
        };
        let line = tag.name.start_position().row as u32;
        match compiled.roles.get(tag.role as usize) {
            Some(Role::Definition(kind)) => {
                let item = named_item(&spans, &out.items, range.start, range.end);
                let mut signature = match item {
                    Some(i) => signature(source, &spans[i]),
                    None => collapse(lines.text(source, line as usize)),
                };
                // A declaration's `;` says nothing about it.
                if signature.ends_with(';') {
                    signature.pop();
                }
                out.defs.push(Definition {
                    name: name.to_string(),
                    kind: kind.to_string(),
                    line,
                    item: item.map(|i| i as u32),
                    signature,
                });
            }
            Some(Role::Reference(kind)) => out.refs.push(Reference {
                name: name.to_string(),
                kind: kind.to_string(),
                line,
            }),
            _ => {}
        }
    }
    out
}

fn context_kind(compiled: &Compiled, capture: u32) -> Option<&str> {
    match compiled.roles.get(capture as usize)? {
        Role::Item(kind) => Some(kind),
        _ => None,
    }
}

/// First and last line of a node; a node that ends at column 0 ends with the line break
/// of the line before.
fn rows(node: Node<'_>) -> (u32, u32) {
    let (start, end) = (node.start_position(), node.end_position());
    let last = if end.column == 0 && end.row > start.row {
        end.row - 1
    } else {
        end.row
    };
    (start.row as u32, last as u32)
}

/// The first line of an item counting the comments, attributes, decorators and wrappers on
/// the lines directly above it (a blank line ends them).
fn leading_start(root: Node<'_>, item: Node<'_>, source: &str, lines: &Lines) -> u32 {
    let mut first = item.start_position().row;
    while first > 0 {
        let row = first - 1;
        let Some(column) = lines.indent(source, row) else {
            break;
        };
        let point = Point::new(row, column);
        let Some(mut node) = root.descendant_for_point_range(point, point) else {
            break;
        };
        let mut above = None;
        loop {
            let kind = node.kind();
            if LEADING_KINDS.contains(&kind) {
                let start = node.start_position();
                let own_line = lines.indent(source, start.row) == Some(start.column);
                let text = source.get(node.byte_range()).unwrap_or("");
                // `//!`, `/*!` and `#!` describe the enclosing module or the file.
                let inner =
                    text.starts_with("//!") || text.starts_with("/*!") || text.starts_with("#!");
                if own_line && !inner && (rows(node).1 as usize) < first {
                    above = Some(start.row);
                }
                break;
            }
            let contains_item =
                node.start_byte() <= item.start_byte() && item.end_byte() <= node.end_byte();
            if WRAPPER_KINDS.contains(&kind) {
                if contains_item {
                    above = Some(node.start_position().row);
                }
                break;
            }
            if contains_item {
                break;
            }
            match node.parent() {
                Some(parent) => node = parent,
                None => break,
            }
        }
        match above {
            Some(start) if start < first => first = start,
            _ => break,
        }
    }
    first as u32
}

/// The last line with header text: the line of the last non-blank char before the body.
fn header_end(item: Node<'_>, body: Node<'_>, source: &str, lines: &Lines) -> u32 {
    let before = source
        .get(item.start_byte()..body.start_byte())
        .unwrap_or("");
    let len = before.trim_end().len();
    if len == 0 {
        return item.start_position().row as u32;
    }
    lines.row_of(item.start_byte() + len - 1) as u32
}

/// Index of the item whose name the byte range `start..end` is: the innermost item holding
/// it, unless it lies in that item's body.
fn named_item(spans: &[Span<'_>], items: &[Item], start: usize, end: usize) -> Option<usize> {
    let mut i = spans.partition_point(|s| s.start <= start).checked_sub(1)?;
    // Items nest, so the innermost item holding the range is the last one starting before
    // it or one of that one's ancestors.
    loop {
        let span = &spans[i];
        if span.start <= start && end <= span.end {
            let in_body = span.body.is_some_and(|(s, e)| s <= start && end <= e);
            return (!in_body).then_some(i);
        }
        i = items[i].parent? as usize;
    }
}

/// The item's text before its body, whitespace collapsed; when text follows a braced body
/// (`typedef struct {…} T;`), that text too.
fn signature(source: &str, span: &Span<'_>) -> String {
    let Some((body_start, body_end)) = span.body else {
        return collapse(&without_comments(source, span.node, span.head, span.end));
    };
    let head = without_comments(source, span.node, span.head, body_start);
    let body = source.get(body_start..body_end).unwrap_or("");
    let tail = source.get(body_end..span.end).unwrap_or("").trim();
    let mut text = collapse(&head);
    if body.starts_with('{') && !tail.trim_end_matches([';', ',']).is_empty() {
        text.push_str(" { … } ");
        text.push_str(tail);
        text = collapse(&text);
    } else if let Some(stripped) = text.strip_suffix(" =").or_else(|| text.strip_suffix(" {")) {
        // `const X: T = <value>`: the value is the body; `interface {` + first member: the
        // member is.
        text.truncate(stripped.len());
    }
    text
}

/// The text of `node` from byte `from` to `to`, less the comments among its children
/// (`macro_rules! m { // note` would otherwise keep the note in its signature).
fn without_comments(source: &str, node: Node<'_>, from: usize, to: usize) -> String {
    let mut text = String::new();
    let mut at = from;
    let mut children = node.walk();
    for child in node.children(&mut children) {
        if child.start_byte() >= to {
            break;
        }
        if child.start_byte() >= at && COMMENT_KINDS.contains(&child.kind()) {
            text.push_str(source.get(at..child.start_byte()).unwrap_or(""));
            text.push(' ');
            at = child.end_byte();
        }
    }
    text.push_str(source.get(at..to.max(at)).unwrap_or(""));
    text
}

/// `text` on one line: runs of whitespace become one space, at most
/// `MAX_SIGNATURE_CHARS` chars (the last one `…` when cut).
pub(super) fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_SIGNATURE_CHARS + 4));
    let mut chars = 0;
    for (i, word) in text.split_whitespace().enumerate() {
        let space = (i > 0).then_some(' ');
        for c in space.into_iter().chain(word.chars()) {
            if chars == MAX_SIGNATURE_CHARS {
                out.pop();
                out.push('…');
                return out;
            }
            out.push(c);
            chars += 1;
        }
    }
    out
}
