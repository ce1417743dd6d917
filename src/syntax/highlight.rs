//! Highlighting a byte range: the highlight query's captures over the tree (and over the
//! languages injected into it, such as the code in a Markdown fence) painted onto the range,
//! innermost capture on top, first pattern winning for the same node.

use std::collections::BTreeMap;
use std::ops::Range;

use ropey::Rope;
use tree_sitter::{Node, Parser, QueryCursor, StreamingIterator, TextProvider, Tree};

use crate::syntax::parse::{parse, ts_range};
use crate::syntax::registry::{HighlightConfig, HighlightId, Registry};

/// Injected code bigger than this is left to the host language's colours.
const MAX_INJECTION_BYTES: usize = 1 << 20;

/// Node text for query predicates, read from the rope's chunks without copying.
struct RopeText<'a>(&'a Rope);

impl<'a> TextProvider<&'a [u8]> for RopeText<'a> {
    type I = std::iter::Map<ropey::iter::Chunks<'a>, fn(&'a str) -> &'a [u8]>;

    fn text(&mut self, node: Node<'_>) -> Self::I {
        let rope = self.0;
        let end = node.end_byte().min(rope.len_bytes());
        let start = node.start_byte().min(end);
        let slice = rope
            .get_byte_slice(start..end)
            .unwrap_or_else(|| rope.byte_slice(0..0));
        slice.chunks().map(str::as_bytes as fn(&'a str) -> &'a [u8])
    }
}

/// A run of bytes `start..end` painted with `id`, as returned by `highlight`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub id: HighlightId,
}

/// The painted runs of `range` (sorted, not overlapping; unpainted bytes are left out).
///
/// Injected languages whose queries are not compiled yet are left to the host's colours and
/// added to `wanted`, for the caller to compile in the background.
pub fn highlight(
    registry: &Registry,
    config: &HighlightConfig,
    tree: &Tree,
    rope: &Rope,
    range: Range<usize>,
    parser: &mut Parser,
    wanted: &mut Vec<usize>,
) -> Vec<Span> {
    let range = range.start.min(rope.len_bytes())..range.end.min(rope.len_bytes());
    let mut paint: Vec<Option<HighlightId>> = vec![None; range.len()];
    paint_layer(config, tree.root_node(), rope, &range, &mut paint);
    for (language, ranges) in injections(registry, config, tree, rope, &range) {
        let Some(injected) = registry.compiled(language) else {
            if !registry.is_compiled(language) && !wanted.contains(&language) {
                wanted.push(language);
            }
            continue;
        };
        let ts_ranges: Vec<_> = ranges.iter().map(|r| ts_range(rope, r.clone())).collect();
        if let Some(tree) = parse(
            parser,
            &injected.language,
            rope,
            None,
            Some(&ts_ranges),
            None,
        ) {
            paint_layer(injected, tree.root_node(), rope, &range, &mut paint);
        }
    }
    let _ = parser.set_included_ranges(&[]);
    runs(&paint, range.start)
}

fn paint_layer(
    config: &HighlightConfig,
    root: Node<'_>,
    rope: &Rope,
    range: &Range<usize>,
    paint: &mut [Option<HighlightId>],
) {
    let mut cursor = QueryCursor::new();
    cursor.set_byte_range(range.clone());
    let mut found = Vec::new();
    let mut captures = cursor.captures(&config.query, root, RopeText(rope));
    while let Some((m, i)) = captures.next() {
        let capture = m.captures[*i];
        if config.paints[capture.index as usize] {
            let node = capture.node;
            found.push((
                node.start_byte(),
                node.end_byte(),
                m.pattern_index,
                capture.index,
            ));
        }
    }
    // Outer nodes first so inner ones paint over them; for one node, the first pattern.
    found.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut last = None;
    for (start, end, _, capture) in found {
        if last == Some((start, end)) {
            continue;
        }
        last = Some((start, end));
        let from = start.clamp(range.start, range.end) - range.start;
        let to = end.clamp(range.start, range.end) - range.start;
        let id = HighlightId {
            language: config.index as u16,
            capture: capture as u16,
        };
        paint[from..to].fill(Some(id));
    }
}

/// The languages injected within `range` and the byte ranges each one covers.
fn injections(
    registry: &Registry,
    config: &HighlightConfig,
    tree: &Tree,
    rope: &Rope,
    range: &Range<usize>,
) -> Vec<(usize, Vec<Range<usize>>)> {
    let Some(inj) = &config.injections else {
        return Vec::new();
    };
    let mut cursor = QueryCursor::new();
    cursor.set_byte_range(range.clone());
    // Combined injections (one document made of many nodes) gather under their pattern.
    let mut combined: BTreeMap<(usize, usize), Vec<Range<usize>>> = BTreeMap::new();
    let mut single = Vec::new();
    let mut matches = cursor.matches(&inj.query, tree.root_node(), RopeText(rope));
    while let Some(m) = matches.next() {
        let mut name = None;
        let mut is_combined = false;
        for prop in inj.query.property_settings(m.pattern_index) {
            match (&*prop.key, &prop.value) {
                ("injection.language", Some(value)) => name = Some(value.to_string()),
                ("injection.combined", _) => is_combined = true,
                _ => {}
            }
        }
        let mut contents = Vec::new();
        for capture in m.captures {
            if Some(capture.index) == inj.language {
                let node = capture.node;
                name = rope
                    .get_byte_slice(node.start_byte()..node.end_byte())
                    .map(|s| s.to_string());
            } else if capture.index == inj.content {
                contents.push(capture.node.byte_range());
            }
        }
        let Some(language) = name.and_then(|n| registry.languages().by_injection_name(&n)) else {
            continue;
        };
        if is_combined {
            combined
                .entry((m.pattern_index, language))
                .or_default()
                .extend(contents);
        } else {
            for content in contents {
                if content.len() <= MAX_INJECTION_BYTES && !content.is_empty() {
                    single.push((language, vec![content]));
                }
            }
        }
    }
    for ((_, language), mut ranges) in combined {
        ranges.sort_by_key(|r| r.start);
        ranges.dedup();
        let total: usize = ranges.iter().map(ExactSizeIterator::len).sum();
        if total <= MAX_INJECTION_BYTES && total > 0 {
            single.push((language, ranges));
        }
    }
    single
}

/// Runs of equal paint, in absolute byte offsets.
fn runs(paint: &[Option<HighlightId>], offset: usize) -> Vec<Span> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < paint.len() {
        let id = paint[i];
        let start = i;
        while i < paint.len() && paint[i] == id {
            i += 1;
        }
        if let Some(id) = id {
            out.push(Span {
                start: offset + start,
                end: offset + i,
                id,
            });
        }
    }
    out
}
