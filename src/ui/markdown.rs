//! The AI pane's markdown: a streamed answer drawn as styled lines while it arrives, redoing
//! only the block still growing at each newline (house rule 5), fenced code highlighted by
//! the editor's tree-sitter highlighter, and the answer's code blocks kept for copying.

mod text;
mod wrap;

use std::borrow::Cow;
use std::time::Duration;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ropey::Rope;
use tree_sitter::Parser;

pub use wrap::{wrap, wrap_indented};

use crate::ai::stream::{Block, BlockKind, Collector, Fence, strip_columns};
use crate::syntax::highlight::{self, Span as Painted};
use crate::syntax::parse;
use crate::syntax::registry::{HighlightConfig, HighlightId, Registry};
use crate::ui::theme::Theme;

/// A closed code block bigger than this keeps the line-by-line highlighting it streamed
/// with: highlighting it whole at once would stall the pane.
const MAX_HIGHLIGHT_BYTES: usize = 64 << 10;
/// A streamed code line longer than this stays plain until its block closes.
const MAX_LIVE_LINE_BYTES: usize = 1 << 10;
/// A highlight that takes longer than this gives up and leaves the code plain.
const PARSE_DEADLINE: Duration = Duration::from_millis(50);

/// A fenced code block of the answer, for "copy code block".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// The fence's language word (the info string's first word); empty when none.
    pub lang: String,
    /// The code exactly, each line ending in "\n", without the fences and without the
    /// indentation the fence itself had (inside a list item).
    pub text: String,
    /// Index in `MarkdownView::lines` of the block's header line; its code follows.
    pub first_line: usize,
}

/// The theme's markup styles, looked up once rather than per span.
#[derive(Debug, Clone, Copy)]
struct Styles {
    heading: Style,
    heading_marker: Style,
    bold: Style,
    italic: Style,
    strike: Style,
    code: Style,
    code_block: Style,
    link_text: Style,
    link_url: Style,
    list: Style,
    quote: Style,
    checked: Style,
    unchecked: Style,
    /// Lines drawn around the text (code headers, rules, table borders): not part of it.
    decoration: Style,
}

impl Styles {
    fn new(theme: &Theme) -> Self {
        let h = |scope: &str| theme.highlight(scope);
        Self {
            heading: h("markup.heading"),
            heading_marker: h("markup.heading.marker"),
            bold: h("markup.bold"),
            italic: h("markup.italic"),
            strike: h("markup.strikethrough"),
            code: h("markup.raw"),
            code_block: h("markup.raw.block"),
            link_text: h("markup.link.text"),
            link_url: h("markup.link.url"),
            list: h("markup.list"),
            quote: h("markup.quote"),
            checked: h("markup.list.checked"),
            unchecked: h("markup.list.unchecked"),
            decoration: theme.hidden_char,
        }
    }
}

/// The line above a code block: its language between rules.
fn code_header(lang: &str, styles: &Styles) -> (String, Style) {
    let text = if lang.is_empty() {
        "───".to_string()
    } else {
        format!("─ {lang} ─")
    };
    (text, styles.decoration)
}

/// Text made safe for a terminal cell: a tab becomes four spaces and other control
/// characters U+FFFD, so nothing the model sends can move the cursor or start an escape.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// What drawing needs from the caller, passed along together.
struct Ctx<'a> {
    theme: &'a Theme,
    syntax: &'a Registry,
    styles: Styles,
}

/// The open code block being drawn line by line.
#[derive(Debug)]
struct OpenCode {
    /// Its index among the stream's blocks.
    block: usize,
    /// Where in the source its next undrawn line starts.
    next: usize,
    /// Its language in the registry, when the fence names a known one.
    lang: Option<usize>,
}

/// A streamed answer as styled lines. Give it deltas with `push`; draw `lines()` (wrapped to
/// the pane with `wrapped`) followed by `tail()`.
pub struct MarkdownView {
    stream: Collector,
    lines: Vec<Line<'static>>,
    /// The hanging indent of each line's wrapped rows.
    hangs: Vec<u16>,
    /// Index in `lines` of each drawn block's first line.
    starts: Vec<usize>,
    /// Blocks drawn for good: closed when last drawn.
    done: usize,
    /// (block, committed lines) of the text block last drawn, so it is not redrawn unchanged.
    drawn: Option<(usize, usize)>,
    open_code: Option<OpenCode>,
    code_blocks: Vec<CodeBlock>,
    styles: Option<Styles>,
    captures: Vec<(HighlightId, Style)>,
    parser: Parser,
    wanted: Vec<usize>,
}

impl std::fmt::Debug for MarkdownView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MarkdownView")
            .field("blocks", &self.stream.blocks().len())
            .field("lines", &self.lines.len())
            .field("code_blocks", &self.code_blocks.len())
            .finish_non_exhaustive()
    }
}

impl Default for MarkdownView {
    fn default() -> Self {
        Self::new()
    }
}

impl MarkdownView {
    pub fn new() -> Self {
        Self {
            stream: Collector::new(),
            lines: Vec::new(),
            hangs: Vec::new(),
            starts: Vec::new(),
            done: 0,
            drawn: None,
            open_code: None,
            code_blocks: Vec::new(),
            styles: None,
            captures: Vec::new(),
            parser: Parser::new(),
            wanted: Vec::new(),
        }
    }

    /// Appends a delta; completed lines are drawn (only the block they belong to is redrawn).
    pub fn push(&mut self, delta: &str, theme: &Theme, syntax: &Registry) {
        if self.stream.push(delta) {
            self.sync(theme, syntax);
        }
    }

    /// The answer ended: commits and draws the tail, and highlights a code block left open.
    pub fn finish(&mut self, theme: &Theme, syntax: &Registry) {
        if self.stream.finish() {
            self.sync(theme, syntax);
        }
    }

    /// Draws everything again (the theme changed, or a wanted language got compiled).
    pub fn restyle(&mut self, theme: &Theme, syntax: &Registry) {
        self.lines.clear();
        self.hangs.clear();
        self.starts.clear();
        self.code_blocks.clear();
        self.done = 0;
        self.drawn = None;
        self.open_code = None;
        self.styles = None;
        self.captures.clear();
        self.sync(theme, syntax);
    }

    /// The drawn lines (not wrapped), committed so far. Only those from `settled()` on can
    /// still change.
    pub fn lines(&self) -> &[Line<'static>] {
        &self.lines
    }

    /// How many leading `lines()` are final: a pane may cache their wrapping.
    pub fn settled(&self) -> usize {
        self.starts
            .get(self.done)
            .copied()
            .unwrap_or(self.lines.len())
    }

    /// Line `index` wrapped to `width`, its continuation rows indented under its text.
    pub fn wrapped(&self, index: usize, width: u16) -> Vec<Line<'static>> {
        match self.lines.get(index) {
            Some(line) => {
                let hang = self.hangs.get(index).copied().unwrap_or(0);
                wrap_indented(line, width, hang)
            }
            None => Vec::new(),
        }
    }

    /// The uncommitted partial last line, to be shown plain (through `sanitize`).
    pub fn tail(&self) -> &str {
        self.stream.tail()
    }

    /// The fenced code blocks so far, the open one included.
    pub fn code_blocks(&self) -> &[CodeBlock] {
        &self.code_blocks
    }

    /// The markdown pushed so far, line breaks as "\n" (for copying the whole answer).
    pub fn source(&self) -> &str {
        self.stream.source()
    }

    /// Languages that code blocks asked for but whose queries are not compiled yet, each
    /// reported once: compile them off the UI thread, then `restyle`.
    pub fn wanted_languages(&mut self) -> Vec<usize> {
        std::mem::take(&mut self.wanted)
    }

    /// Draws the blocks that changed since the last call: the last one drawn and any after.
    fn sync(&mut self, theme: &Theme, syntax: &Registry) {
        let ctx = Ctx {
            theme,
            syntax,
            styles: *self.styles.get_or_insert_with(|| Styles::new(theme)),
        };
        // Moved out for the loop (a move, not a copy) so blocks can be read while drawing.
        let stream = std::mem::take(&mut self.stream);
        for (i, block) in stream.blocks().iter().enumerate().skip(self.done) {
            if i == self.starts.len() {
                self.starts.push(self.lines.len());
            }
            match &block.kind {
                BlockKind::Blank => {
                    let start = self.truncate(i);
                    if start > 0 {
                        self.lines.push(Line::default());
                        self.hangs.push(0);
                    }
                }
                BlockKind::Text | BlockKind::Item { .. } => {
                    self.text_block(&stream, i, block, &ctx.styles);
                }
                BlockKind::Fence(fence) => {
                    self.code_block(&stream, i, block, fence, &ctx);
                }
            }
            if block.closed {
                self.done = i + 1;
            }
        }
        self.stream = stream;
    }

    /// Drops block `i`'s lines (it is the last one drawn) and returns where they started.
    fn truncate(&mut self, i: usize) -> usize {
        let start = self.starts[i];
        self.lines.truncate(start);
        self.hangs.truncate(start);
        start
    }

    fn text_block(&mut self, stream: &Collector, i: usize, block: &Block, styles: &Styles) {
        if self.drawn == Some((i, block.lines)) {
            return;
        }
        self.drawn = Some((i, block.lines));
        self.truncate(i);
        let mut md = String::with_capacity(block.range.len());
        for line in stream.lines(block) {
            md.push_str(strip_columns(line, block.indent));
            md.push('\n');
        }
        let number = match block.kind {
            BlockKind::Item { number } => number,
            _ => None,
        };
        text::render(
            &md,
            block.indent,
            number,
            styles,
            &mut self.lines,
            &mut self.hangs,
        );
    }

    /// Draws a fenced block's new lines as they come (each highlighted on its own, which
    /// costs only that line) and, once it is closed, highlights it whole.
    fn code_block(
        &mut self,
        stream: &Collector,
        i: usize,
        block: &Block,
        fence: &Fence,
        ctx: &Ctx<'_>,
    ) {
        let styles = &ctx.styles;
        if self.open_code.as_ref().is_none_or(|o| o.block != i) {
            let start = self.truncate(i);
            let (header, style) = code_header(fence.lang(), styles);
            self.push_line(vec![Span::styled(header, style)], block.indent);
            self.code_blocks.push(CodeBlock {
                lang: fence.lang().to_string(),
                text: String::new(),
                first_line: start,
            });
            let opener = stream.lines(block).next().map_or(0, |l| l.len() + 1);
            let lang = fence
                .lang()
                .split(',')
                .next()
                .and_then(|name| ctx.syntax.languages().by_injection_name(name));
            self.open_code = Some(OpenCode {
                block: i,
                next: block.range.start + opener,
                lang,
            });
        }
        let Some(open) = self.open_code.as_mut() else {
            return;
        };
        let next = open.next.min(block.range.end);
        open.next = block.range.end;
        let lang = open.lang;
        let mut new: Vec<&str> = stream.source()[next..block.range.end]
            .split_terminator('\n')
            .collect();
        if fence.terminated {
            new.pop();
        }
        let config = lang.and_then(|l| self.config(ctx.syntax, l));
        for line in new {
            let line = strip_columns(line, fence.indent);
            if let Some(code) = self.code_blocks.last_mut() {
                code.text.push_str(line);
                code.text.push('\n');
            }
            let spans = match &config {
                Some(config) if line.len() <= MAX_LIVE_LINE_BYTES => {
                    self.highlighted(line, config, ctx)
                }
                _ => vec![Span::styled(sanitize(line).into_owned(), styles.code_block)],
            };
            self.push_line(spans, block.indent);
        }
        if block.closed {
            self.open_code = None;
            let text = self.code_blocks.last().map(|c| c.text.clone());
            if let (Some(config), Some(text)) = (config, text)
                && text.len() <= MAX_HIGHLIGHT_BYTES
                && let Some(painted) = self.paint(&text, &config, ctx.syntax)
            {
                self.lines.truncate(self.starts[i] + 1);
                self.hangs.truncate(self.starts[i] + 1);
                let mut from = 0;
                for line in text.split_terminator('\n') {
                    let spans = self.spans(line, from, &painted, ctx);
                    self.push_line(spans, block.indent);
                    from += line.len() + 1;
                }
            }
        }
    }

    /// The compiled queries of language `lang`, or `None` (noting it as wanted) while they
    /// are not compiled: compiling can take longer than a frame may.
    fn config(
        &mut self,
        syntax: &Registry,
        lang: usize,
    ) -> Option<std::sync::Arc<HighlightConfig>> {
        let config = syntax.compiled(lang).cloned();
        if config.is_none() && !syntax.is_compiled(lang) && !self.wanted.contains(&lang) {
            self.wanted.push(lang);
        }
        config
    }

    /// The painted runs of `code` (byte offsets into it), if it parses in time.
    fn paint(
        &mut self,
        code: &str,
        config: &HighlightConfig,
        syntax: &Registry,
    ) -> Option<Vec<Painted>> {
        let rope = Rope::from_str(code);
        let tree = parse::parse(
            &mut self.parser,
            &config.language,
            &rope,
            None,
            None,
            Some(PARSE_DEADLINE),
        )?;
        let mut wanted = Vec::new();
        let painted = highlight::highlight(
            syntax,
            config,
            &tree,
            &rope,
            0..rope.len_bytes(),
            &mut self.parser,
            &mut wanted,
        );
        for lang in wanted {
            if !self.wanted.contains(&lang) {
                self.wanted.push(lang);
            }
        }
        Some(painted)
    }

    /// One code line highlighted on its own.
    fn highlighted(
        &mut self,
        line: &str,
        config: &HighlightConfig,
        ctx: &Ctx<'_>,
    ) -> Vec<Span<'static>> {
        match self.paint(line, config, ctx.syntax) {
            Some(painted) => self.spans(line, 0, &painted, ctx),
            None => vec![Span::styled(
                sanitize(line).into_owned(),
                ctx.styles.code_block,
            )],
        }
    }

    /// The spans of `line`, which starts at byte `from` of the text `painted` describes.
    fn spans(
        &mut self,
        line: &str,
        from: usize,
        painted: &[Painted],
        ctx: &Ctx<'_>,
    ) -> Vec<Span<'static>> {
        let to = from + line.len();
        let first = painted.partition_point(|p| p.end <= from);
        let mut spans = Vec::new();
        let mut at = from;
        // Runs end on character boundaries in valid text; snapping keeps a stray one from
        // splitting a character (and panicking) all the same.
        let snap = |at: usize| {
            let mut at = at - from;
            while !line.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let piece = |spans: &mut Vec<Span<'static>>, a: usize, b: usize, style: Style| {
            let (a, b) = (snap(a), snap(b));
            if a < b {
                spans.push(Span::styled(sanitize(&line[a..b]).into_owned(), style));
            }
        };
        for p in painted[first..].iter().take_while(|p| p.start < to) {
            let start = p.start.max(from);
            let end = p.end.min(to);
            piece(&mut spans, at, start, Style::new());
            let style = self.capture_style(p.id, ctx);
            piece(&mut spans, start, end, style);
            at = end;
        }
        piece(&mut spans, at, to, Style::new());
        spans
    }

    fn capture_style(&mut self, id: HighlightId, ctx: &Ctx<'_>) -> Style {
        if let Some((_, style)) = self.captures.iter().find(|(i, _)| *i == id) {
            return *style;
        }
        let style = ctx
            .syntax
            .capture_name(id)
            .map_or_else(Style::new, |name| ctx.theme.highlight(name));
        self.captures.push((id, style));
        style
    }

    fn push_line(&mut self, mut spans: Vec<Span<'static>>, indent: usize) {
        if indent > 0 {
            spans.insert(0, Span::raw(" ".repeat(indent)));
        }
        self.lines.push(Line::from(spans));
        self.hangs.push(u16::try_from(indent).unwrap_or(u16::MAX));
    }
}

#[cfg(test)]
mod tests;
