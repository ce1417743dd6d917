//! The newline-gated collector of a streamed markdown answer: deltas gather in an uncommitted
//! tail, each completed line is committed, and committed lines are grouped as they arrive
//! into blocks (paragraph, list item, quote, heading, fenced code, run of blank lines) so that
//! a renderer only ever redoes the block still growing. Pure: no I/O, no UI.

use std::ops::Range;

/// A text block is cut after this many lines: re-rendering the growing block at each newline
/// then stays bounded whatever the model sends. Real paragraphs are far shorter; the cut only
/// starts a new paragraph.
pub const MAX_TEXT_BLOCK_LINES: usize = 64;

/// What a block holds, and so how it is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    /// A run of blank lines between blocks.
    Blank,
    /// Markdown parsed as one unit: a paragraph, heading, rule, quote, table, HTML…
    Text,
    /// A list item's marker line and the lines continuing it. `number` is an ordered item's
    /// number, counted on from the previous item of the same list as the Markdown spec
    /// numbers them (models often write `1.` for every item); `None` for a bullet.
    Item { number: Option<u64> },
    /// A fenced code block, from its opening fence to its closing one.
    Fence(Fence),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    /// A backtick or a tilde.
    pub marker: char,
    /// How many markers opened it: the closing fence needs at least as many.
    pub len: usize,
    /// Columns the opening fence is indented by; each code line loses up to as many.
    pub indent: usize,
    /// The info string after the opening fence, trimmed (`rust`, `python title=a.py`…).
    pub info: String,
    /// The closing fence arrived (false while open, and when the answer ended inside it).
    pub terminated: bool,
}

impl Fence {
    /// The language word: the info string's first word, as the Markdown spec takes it.
    pub fn lang(&self) -> &str {
        self.info.split_whitespace().next().unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// The bytes of `Collector::source` holding the block's committed lines.
    pub range: Range<usize>,
    /// How many committed lines it holds.
    pub lines: usize,
    /// Columns of enclosing list-item indentation (the marker's column for an item): taken
    /// off each line before parsing, so the block parses alone, and given back when drawn.
    pub indent: usize,
    /// No further line will join it.
    pub closed: bool,
}

/// Which lines the growing text block still takes without a blank line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Paragraph,
    Quote,
    Item,
}

/// An open list item: lines indented to its content column belong to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ListEntry {
    content: usize,
    /// The item's number and delimiter ('.' or ')') when ordered.
    ordered: Option<(u64, char)>,
}

/// How a line could start a block (outside fences).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Starter {
    Fence {
        marker: char,
        len: usize,
        info: String,
    },
    Heading,
    /// A thematic break; `setext` when it could instead underline a paragraph (`---`).
    Rule {
        setext: bool,
    },
    Quote,
    Item {
        ordered: Option<(u64, char)>,
        /// Columns from the marker to the item's content.
        width: usize,
        empty: bool,
    },
}

/// The answer so far: its source, the committed lines grouped into blocks, and the tail.
#[derive(Debug, Clone, Default)]
pub struct Collector {
    /// Everything pushed, with "\r\n" taken as "\n" in committed lines.
    source: String,
    /// Where the uncommitted tail starts in `source`.
    committed: usize,
    blocks: Vec<Block>,
    /// How the last block takes further lines, when it is growing text.
    open: Option<Open>,
    /// The list items enclosing the current line, outermost first.
    list: Vec<ListEntry>,
}

impl Collector {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a delta; returns whether it completed any line. Costs the delta's length plus,
    /// per completed line, that line's length: nothing here grows with the answer.
    pub fn push(&mut self, delta: &str) -> bool {
        let mut committed = false;
        let mut rest = delta;
        while let Some(i) = rest.find('\n') {
            self.source.push_str(&rest[..i]);
            // The '\r' of a "\r\n" may have come in the previous delta: it is in the tail.
            if self.source.len() > self.committed && self.source.ends_with('\r') {
                self.source.pop();
            }
            self.source.push('\n');
            self.commit();
            committed = true;
            rest = &rest[i + 1..];
        }
        self.source.push_str(rest);
        committed
    }

    /// The answer ended: commits the tail as a last line and closes the last block. Returns
    /// whether anything changed.
    pub fn finish(&mut self) -> bool {
        let mut changed = false;
        if self.source.len() > self.committed {
            if self.source.ends_with('\r') {
                self.source.pop();
            }
            if self.source.len() > self.committed {
                self.commit();
            }
            changed = true;
        }
        if let Some(last) = self.blocks.last_mut()
            && !last.closed
        {
            last.closed = true;
            changed = true;
        }
        self.open = None;
        changed
    }

    /// Everything pushed so far (line breaks as "\n").
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The uncommitted partial last line (without a '\r' still waiting for its '\n').
    pub fn tail(&self) -> &str {
        let tail = &self.source[self.committed..];
        tail.strip_suffix('\r').unwrap_or(tail)
    }

    /// The blocks so far; only the last one can still change.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// A block's committed lines, without their '\n'.
    pub fn lines<'a>(&'a self, block: &Block) -> impl Iterator<Item = &'a str> + use<'a> {
        self.source[block.range.clone()].split_terminator('\n')
    }

    /// Takes the line from `committed` to the end of `source` into the block structure.
    fn commit(&mut self) {
        let start = self.committed;
        let end = self.source.len();
        self.committed = end;
        let line = self.source[start..end]
            .strip_suffix('\n')
            .unwrap_or(&self.source[start..end]);
        if let Some(last) = self.blocks.last_mut()
            && !last.closed
            && let BlockKind::Fence(fence) = &mut last.kind
        {
            if closes(line, fence) {
                fence.terminated = true;
                last.closed = true;
            }
            last.range.end = end;
            last.lines += 1;
            return;
        }
        let rest = line.trim_start_matches([' ', '\t']);
        if rest.is_empty() {
            self.open = None;
            match self.blocks.last_mut() {
                Some(last) if last.kind == BlockKind::Blank => {
                    last.range.end = end;
                    last.lines += 1;
                }
                _ => self.start_block(BlockKind::Blank, start..end, 0, false),
            }
            return;
        }
        let indent = columns(&line[..line.len() - rest.len()]);
        // The list items this line is indented into; the others end unless it is lazy.
        let keep = self.list.iter().take_while(|e| e.content <= indent).count();
        let container = keep.checked_sub(1).map_or(0, |k| self.list[k].content);
        let starter = starter(rest, indent - container);
        let continues = match (&starter, self.open) {
            (None, Some(_))
            | (Some(Starter::Quote), Some(Open::Quote))
            | (Some(Starter::Rule { setext: true }), Some(Open::Paragraph)) => true,
            // CommonMark: only a bullet or "1." with content may interrupt a paragraph.
            (Some(Starter::Item { ordered, empty, .. }), Some(Open::Paragraph | Open::Quote)) => {
                *empty || ordered.is_some_and(|(n, _)| n != 1)
            }
            _ => false,
        };
        if continues {
            if let Some(last) = self.blocks.last_mut() {
                last.range.end = end;
                last.lines += 1;
                let underlined = matches!(starter, Some(Starter::Rule { .. }));
                if underlined || last.lines >= MAX_TEXT_BLOCK_LINES {
                    last.closed = true;
                    self.open = None;
                }
            }
            return;
        }
        let sibling = self.list.get(keep).copied();
        self.list.truncate(keep);
        let range = start..end;
        match starter {
            Some(Starter::Fence { marker, len, info }) => {
                let fence = Fence {
                    marker,
                    len,
                    indent,
                    info,
                    terminated: false,
                };
                self.start_block(BlockKind::Fence(fence), range, container, false);
            }
            Some(Starter::Heading | Starter::Rule { .. }) => {
                self.start_block(BlockKind::Text, range, container, true);
            }
            Some(Starter::Quote) => {
                self.start_block(BlockKind::Text, range, container, false);
                self.open = Some(Open::Quote);
            }
            Some(Starter::Item { ordered, width, .. }) => {
                let ordered = ordered.map(|(n, delim)| match sibling {
                    Some(ListEntry {
                        ordered: Some((prev, d)),
                        ..
                    }) if d == delim => (prev.saturating_add(1), delim),
                    _ => (n, delim),
                });
                self.list.push(ListEntry {
                    content: indent + width,
                    ordered,
                });
                let number = ordered.map(|(n, _)| n);
                self.start_block(BlockKind::Item { number }, range, indent, false);
                self.open = Some(Open::Item);
            }
            None => {
                self.start_block(BlockKind::Text, range, container, false);
                self.open = Some(Open::Paragraph);
            }
        }
    }

    fn start_block(&mut self, kind: BlockKind, range: Range<usize>, indent: usize, closed: bool) {
        if let Some(last) = self.blocks.last_mut() {
            last.closed = true;
        }
        self.open = None;
        self.blocks.push(Block {
            kind,
            range,
            lines: 1,
            indent,
            closed,
        });
    }
}

/// Columns of leading whitespace, tabs stopping at multiples of 4.
fn columns(whitespace: &str) -> usize {
    whitespace.chars().fold(0, |col, c| match c {
        '\t' => col + 4 - col % 4,
        _ => col + 1,
    })
}

/// `line` without up to `cols` columns of leading whitespace.
pub fn strip_columns(line: &str, cols: usize) -> &str {
    let mut col = 0;
    for (i, c) in line.char_indices() {
        if col >= cols || !matches!(c, ' ' | '\t') {
            return &line[i..];
        }
        col = if c == '\t' {
            col + 4 - col % 4
        } else {
            col + 1
        };
    }
    ""
}

/// Whether `line` closes `fence`. Any indentation is taken: models misalign closing fences
/// inside list items, and a fence left open would swallow the rest of the answer.
fn closes(line: &str, fence: &Fence) -> bool {
    let rest = line.trim_start_matches([' ', '\t']);
    let run = rest.len() - rest.trim_start_matches(fence.marker).len();
    run >= fence.len && rest[run..].trim_matches([' ', '\t']).is_empty()
}

/// How `rest` (a line without its indentation, `rel` columns into its container) starts a
/// block, if it does. Fences count at any indentation, for the same reason as in `closes`.
fn starter(rest: &str, rel: usize) -> Option<Starter> {
    for marker in ['`', '~'] {
        let run = rest.len() - rest.trim_start_matches(marker).len();
        if run >= 3 {
            let info = rest[run..].trim();
            // "```a```" on a line is inline code, not a fence.
            if marker == '`' && info.contains('`') {
                return None;
            }
            return Some(Starter::Fence {
                marker,
                len: run,
                info: info.to_string(),
            });
        }
    }
    if rel >= 4 {
        return None;
    }
    let after = |n: usize| {
        rest[n..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t')
    };
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    if (1..=6).contains(&hashes) && after(hashes) {
        return Some(Starter::Heading);
    }
    for c in ['-', '*', '_'] {
        if rest.chars().filter(|&x| x == c).count() >= 3
            && rest.chars().all(|x| x == c || x == ' ' || x == '\t')
        {
            let setext = c == '-' && !rest.trim_end().contains([' ', '\t']);
            return Some(Starter::Rule { setext });
        }
    }
    if rest.starts_with('>') {
        return Some(Starter::Quote);
    }
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (marker, ordered) = if rest.starts_with(['-', '+', '*']) {
        (1, None)
    } else if (1..=9).contains(&digits) && rest[digits..].starts_with(['.', ')']) {
        let n = rest[..digits].parse().ok()?;
        let delim = if rest[digits..].starts_with('.') {
            '.'
        } else {
            ')'
        };
        (digits + 1, Some((n, delim)))
    } else {
        return None;
    };
    if !after(marker) {
        return None;
    }
    let content = &rest[marker..];
    let empty = content.trim().is_empty();
    let spaces = content.len() - content.trim_start_matches(' ').len();
    // Content starting 5+ columns out is indented code inside the item: the item's own
    // content column is then one past the marker.
    let width = if empty || spaces == 0 || spaces > 4 {
        marker + 1
    } else {
        marker + spaces
    };
    Some(Starter::Item {
        ordered,
        width,
        empty,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn collect(text: &str) -> Collector {
        let mut c = Collector::new();
        c.push(text);
        c.finish();
        c
    }

    /// (kind, lines as text, indent) of each block.
    fn shape(c: &Collector) -> Vec<(BlockKind, Vec<&str>, usize)> {
        c.blocks()
            .iter()
            .map(|b| (b.kind.clone(), c.lines(b).collect(), b.indent))
            .collect()
    }

    fn fence(marker: char, len: usize, indent: usize, info: &str, terminated: bool) -> BlockKind {
        BlockKind::Fence(Fence {
            marker,
            len,
            indent,
            info: info.to_string(),
            terminated,
        })
    }

    #[test]
    fn lines_commit_at_newlines_and_the_tail_waits() {
        let mut c = Collector::new();
        assert!(!c.push("Hello, "));
        assert!(c.blocks().is_empty());
        assert_eq!(c.tail(), "Hello, ");
        assert!(c.push("world.\nNext"));
        assert_eq!(c.blocks().len(), 1);
        assert_eq!(
            c.lines(&c.blocks()[0]).collect::<Vec<_>>(),
            ["Hello, world."]
        );
        assert_eq!(c.tail(), "Next");
        assert!(c.finish());
        assert_eq!(c.tail(), "");
        assert_eq!(c.source(), "Hello, world.\nNext");
        assert_eq!(
            c.lines(&c.blocks()[0]).collect::<Vec<_>>(),
            ["Hello, world.", "Next"]
        );
        assert!(c.blocks()[0].closed);
        assert!(!c.finish(), "finishing twice changes nothing");
    }

    #[test]
    fn crlf_counts_as_one_newline_even_split_across_deltas() {
        let mut c = Collector::new();
        c.push("a\r");
        assert_eq!(c.tail(), "a");
        c.push("\nb\r\n\r");
        c.push("\nc\r");
        c.finish();
        assert_eq!(c.source(), "a\nb\n\nc");
        assert_eq!(shape(&c), shape(&collect("a\nb\n\nc")));
    }

    #[test]
    fn blocks_split_at_blank_lines_headings_fences_and_items() {
        let c = collect(
            "# Title\nSome text\nmore text\n\n\n- one\n  still one\n- two\n```rust\nfn a() {}\n```\nafter\n",
        );
        assert_eq!(
            shape(&c),
            vec![
                (BlockKind::Text, vec!["# Title"], 0),
                (BlockKind::Text, vec!["Some text", "more text"], 0),
                (BlockKind::Blank, vec!["", ""], 0),
                (
                    BlockKind::Item { number: None },
                    vec!["- one", "  still one"],
                    0
                ),
                (BlockKind::Item { number: None }, vec!["- two"], 0),
                (
                    fence('`', 3, 0, "rust", true),
                    vec!["```rust", "fn a() {}", "```"],
                    0
                ),
                (BlockKind::Text, vec!["after"], 0),
            ]
        );
        assert!(c.blocks().iter().all(|b| b.closed));
    }

    #[test]
    fn fences_close_only_on_their_own_marker_and_length() {
        let c = collect("~~~~md\n```\n~~~\nx\n~~~~~\n```\nopen\n");
        assert_eq!(
            shape(&c),
            vec![
                (
                    fence('~', 4, 0, "md", true),
                    vec!["~~~~md", "```", "~~~", "x", "~~~~~"],
                    0
                ),
                (fence('`', 3, 0, "", false), vec!["```", "open"], 0),
            ]
        );
        let BlockKind::Fence(f) = &c.blocks()[0].kind else {
            unreachable!()
        };
        assert_eq!(f.lang(), "md");
    }

    #[test]
    fn inline_triple_backticks_are_not_a_fence() {
        let c = collect("```a``` is code\nsame paragraph\n");
        assert_eq!(
            shape(&c),
            vec![(
                BlockKind::Text,
                vec!["```a``` is code", "same paragraph"],
                0
            )]
        );
    }

    #[test]
    fn a_blank_line_inside_a_fence_is_code() {
        let c = collect("```\na\n\nb\n```\n");
        assert_eq!(c.blocks().len(), 1);
        assert_eq!(c.blocks()[0].lines, 5);
    }

    #[test]
    fn ordered_items_count_on_from_their_sibling_and_nesting_follows_indentation() {
        let c = collect(
            "1. a\n1. b\n   - nested\n     1. deep\n1. c\n\n   ```sh\n   ls\n   ```\n1. d\n\nPara\n\n3. e\n",
        );
        let items: Vec<_> = c
            .blocks()
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::Item { number } => Some((number, b.indent)),
                _ => None,
            })
            .collect();
        assert_eq!(
            items,
            [
                (Some(1), 0),
                (Some(2), 0),
                (None, 3),
                (Some(1), 5),
                (Some(3), 0),
                (Some(4), 0),
                (Some(3), 0)
            ]
        );
        // The fence belongs to item "c": it sits at the item's content column.
        let fence_block = c
            .blocks()
            .iter()
            .find(|b| matches!(b.kind, BlockKind::Fence(_)))
            .unwrap();
        assert_eq!(fence_block.indent, 3);
        assert_eq!(fence_block.kind, fence('`', 3, 3, "sh", true));
    }

    #[test]
    fn lazy_lines_setext_underlines_and_late_numbers_continue_a_paragraph() {
        let c = collect("Title\n---\nThe year\n1984. was\n- item\nlazy\n> quote\n> more\nlazy\n");
        assert_eq!(
            shape(&c),
            vec![
                (BlockKind::Text, vec!["Title", "---"], 0),
                (BlockKind::Text, vec!["The year", "1984. was"], 0),
                (BlockKind::Item { number: None }, vec!["- item", "lazy"], 0),
                (BlockKind::Text, vec!["> quote", "> more", "lazy"], 0),
            ]
        );
    }

    #[test]
    fn rules_are_blocks_of_their_own() {
        let c = collect("- a\n---\n* * *\ntext\n");
        assert_eq!(
            shape(&c),
            vec![
                (BlockKind::Item { number: None }, vec!["- a"], 0),
                (BlockKind::Text, vec!["---"], 0),
                (BlockKind::Text, vec!["* * *"], 0),
                (BlockKind::Text, vec!["text"], 0),
            ]
        );
    }

    #[test]
    fn a_very_long_paragraph_is_cut_so_each_newline_stays_cheap() {
        let text = "word\n".repeat(MAX_TEXT_BLOCK_LINES + 3);
        let c = collect(&text);
        let lens: Vec<_> = c.blocks().iter().map(|b| b.lines).collect();
        assert_eq!(lens, [MAX_TEXT_BLOCK_LINES, 3]);
    }

    #[test]
    fn strip_columns_takes_at_most_the_given_indentation() {
        assert_eq!(strip_columns("    code", 2), "  code");
        assert_eq!(strip_columns(" x", 3), "x");
        assert_eq!(strip_columns("\tx", 2), "x");
        assert_eq!(strip_columns("   ", 8), "");
    }

    const SAMPLE: &str = "# Plan\r\n\r\nSome **bold** and `code`\nacross lines.\n\n1. First\n   ```rust\n   fn main() {}\n   ```\n2. Second\n   - nested\n\n> quoted\n> text\n\n~~~\nraw ```\n~~~\n---\nend";

    proptest! {
        #[test]
        fn any_chunking_gives_the_same_blocks(cuts in proptest::collection::vec(0..SAMPLE.len(), 0..40)) {
            let whole = collect(SAMPLE);
            let mut cuts: Vec<_> = cuts.into_iter().filter(|&i| SAMPLE.is_char_boundary(i)).collect();
            cuts.sort_unstable();
            let mut c = Collector::new();
            let mut from = 0;
            for cut in cuts.into_iter().chain([SAMPLE.len()]) {
                c.push(&SAMPLE[from..cut]);
                from = cut;
            }
            c.finish();
            prop_assert_eq!(c.source(), whole.source());
            prop_assert_eq!(c.blocks(), whole.blocks());
        }
    }
}
