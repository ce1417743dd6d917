//! One markdown text block (paragraph, heading, list item, quote, table, rule) parsed with
//! pulldown-cmark and drawn as styled lines, each with the hanging indent its wrapped rows
//! should keep.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::{Styles, code_header, sanitize};

/// Columns of a horizontal rule: lines are laid out before the pane's width is known, and a
/// rule wider than the pane would wrap.
const RULE_WIDTH: usize = 32;

/// A container whose prefix starts each line inside it.
enum Container {
    Quote,
    /// `pending` until the item's first line has shown its marker.
    Item {
        marker: String,
        width: usize,
        pending: bool,
    },
}

struct Link {
    url: String,
    text: String,
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<Vec<Span<'static>>>>,
    /// How many of `rows` are the header.
    head: usize,
    cell: Option<Vec<Span<'static>>>,
}

struct Writer<'a> {
    styles: &'a Styles,
    indent: usize,
    lines: &'a mut Vec<Line<'static>>,
    hangs: &'a mut Vec<u16>,
    spans: Vec<Span<'static>>,
    /// The current line has its prefix.
    open: bool,
    hang: usize,
    style: Vec<Style>,
    containers: Vec<Container>,
    /// The next number of each open list (`None` for bullets).
    lists: Vec<Option<u64>>,
    /// The number the block's first list starts at, as the stream counted it.
    number: Option<u64>,
    links: Vec<Link>,
    /// The text of an indented (or nested) code block being read.
    code: Option<String>,
    table: Option<Table>,
    /// A block just ended: inside a quote, the next one is set off by an empty quote line.
    gap: bool,
}

/// Draws `md` (a block's text with its `indent` columns already taken off) onto `lines`,
/// each line indented by `indent` again; `number` renumbers the block's first list.
pub(super) fn render(
    md: &str,
    indent: usize,
    number: Option<u64>,
    styles: &Styles,
    lines: &mut Vec<Line<'static>>,
    hangs: &mut Vec<u16>,
) {
    let options =
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS | Options::ENABLE_TABLES;
    let mut w = Writer {
        styles,
        indent,
        lines,
        hangs,
        spans: Vec::new(),
        open: false,
        hang: 0,
        style: Vec::new(),
        containers: Vec::new(),
        lists: Vec::new(),
        number,
        links: Vec::new(),
        code: None,
        table: None,
        gap: false,
    };
    for event in Parser::new_ext(md, options) {
        w.event(event);
    }
    w.end_line();
}

impl Writer<'_> {
    fn current(&self) -> Style {
        self.style.last().copied().unwrap_or_default()
    }

    fn push_style(&mut self, style: Style) {
        self.style.push(self.current().patch(style));
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                if let Some(code) = &mut self.code {
                    code.push_str(&t);
                } else {
                    self.text(&t, self.current());
                }
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t, self.current()),
            Event::Code(t) => self.text(&t, self.current().patch(self.styles.code)),
            Event::SoftBreak => self.text(" ", self.current()),
            Event::HardBreak => {
                if self.table.is_some() {
                    self.text(" ", self.current());
                } else {
                    self.end_line();
                }
            }
            Event::Rule => {
                self.end_line();
                self.put(&"─".repeat(RULE_WIDTH), self.styles.decoration);
                self.end_line();
            }
            Event::TaskListMarker(done) => {
                let (mark, style) = if done {
                    ("[x] ", self.styles.checked)
                } else {
                    ("[ ] ", self.styles.unchecked)
                };
                self.text(mark, style);
            }
            Event::FootnoteReference(label) => {
                self.text(&format!("[^{label}]"), self.current());
            }
        }
    }

    /// A block element starts on a line of its own.
    fn block_start(&mut self) {
        self.end_line();
        if std::mem::take(&mut self.gap) && matches!(self.containers.last(), Some(Container::Quote))
        {
            self.open_line();
            self.end_line();
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::HtmlBlock => self.block_start(),
            Tag::Heading { level, .. } => {
                self.block_start();
                let marker = "#".repeat(level as usize);
                self.put(&format!("{marker} "), self.styles.heading_marker);
                self.push_style(self.styles.heading);
            }
            Tag::BlockQuote(_) => {
                self.block_start();
                self.containers.push(Container::Quote);
                self.push_style(self.styles.quote);
            }
            Tag::CodeBlock(kind) => {
                self.block_start();
                if let CodeBlockKind::Fenced(info) = kind {
                    let lang = info.split_whitespace().next().unwrap_or("");
                    let (text, style) = code_header(lang, self.styles);
                    self.put(&text, style);
                    self.end_line();
                }
                self.code = Some(String::new());
            }
            Tag::List(first) => {
                self.block_start();
                let first = match (self.lists.is_empty(), first) {
                    (true, Some(n)) => Some(self.number.take().unwrap_or(n)),
                    _ => first,
                };
                self.lists.push(first);
            }
            Tag::Item => {
                self.block_start();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let marker = format!("{n}. ");
                        *n = n.saturating_add(1);
                        marker
                    }
                    _ => "• ".to_string(),
                };
                self.containers.push(Container::Item {
                    width: marker.width(),
                    marker,
                    pending: true,
                });
            }
            Tag::Table(_) => {
                self.block_start();
                self.table = Some(Table::default());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(table) = &mut self.table {
                    table.cell = Some(Vec::new());
                }
            }
            Tag::Emphasis => self.push_style(self.styles.italic),
            Tag::Strong => self.push_style(self.styles.bold),
            Tag::Strikethrough => self.push_style(self.styles.strike),
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                self.push_style(self.styles.link_text);
                self.links.push(Link {
                    url: dest_url.to_string(),
                    text: String::new(),
                });
            }
            // Not enabled, or nothing to draw: their text flows as it is.
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock => {
                self.end_line();
                self.gap = true;
            }
            TagEnd::Heading(_) => {
                self.style.pop();
                self.end_line();
                self.gap = true;
            }
            TagEnd::BlockQuote(_) => {
                self.end_line();
                self.containers.pop();
                self.style.pop();
                self.gap = true;
            }
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                for line in code.split_terminator('\n') {
                    self.put(&sanitize(line), self.styles.code_block);
                    self.end_line();
                }
                self.gap = true;
            }
            TagEnd::List(_) => {
                self.end_line();
                self.lists.pop();
                self.gap = true;
            }
            TagEnd::Item => {
                // An empty item still shows its marker.
                if let Some(Container::Item { pending: true, .. }) = self.containers.last() {
                    self.open_line();
                }
                self.end_line();
                self.containers.pop();
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.table(&table);
                }
                self.gap = true;
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.head = table.rows.len();
                }
            }
            TagEnd::TableCell => {
                if let Some(table) = &mut self.table
                    && let Some(cell) = table.cell.take()
                    && let Some(row) = table.rows.last_mut()
                {
                    row.push(cell);
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                self.style.pop();
            }
            TagEnd::Link | TagEnd::Image => {
                self.style.pop();
                if let Some(link) = self.links.pop() {
                    // An autolink's text is its address: once is enough.
                    let bare = link.url.strip_prefix("mailto:").unwrap_or(&link.url);
                    if !link.url.is_empty() && bare != link.text {
                        self.text(" (", self.current());
                        self.text(&link.url, self.styles.link_url);
                        self.text(")", self.current());
                    }
                }
            }
            TagEnd::TableRow
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::MetadataBlock(_) => {}
        }
    }

    /// Inline text: into the open table cell, else onto the current line (an HTML block's
    /// text may hold line breaks).
    fn text(&mut self, text: &str, style: Style) {
        if let Some(link) = self.links.last_mut() {
            link.text.push_str(text);
        }
        if let Some(cell) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            cell.push(Span::styled(sanitize(text).into_owned(), style));
            return;
        }
        for (i, part) in text.split('\n').enumerate() {
            if i > 0 {
                self.end_line();
            }
            if !part.is_empty() {
                self.put(&sanitize(part), style);
            }
        }
    }

    /// Puts `text` on the current line, opening it first.
    fn put(&mut self, text: &str, style: Style) {
        self.open_line();
        match self.spans.last_mut() {
            Some(last) if last.style == style => last.content.to_mut().push_str(text),
            _ => self.spans.push(Span::styled(text.to_string(), style)),
        }
    }

    /// Starts a line with the indentation and each container's prefix: a quote's bar, an
    /// item's marker on its first line and blanks as wide on the others.
    fn open_line(&mut self) {
        if self.open {
            return;
        }
        self.open = true;
        let mut width = self.indent;
        if self.indent > 0 {
            self.spans.push(Span::raw(" ".repeat(self.indent)));
        }
        for container in &mut self.containers {
            match container {
                Container::Quote => {
                    self.spans.push(Span::styled("│ ", self.styles.quote));
                    width += 2;
                }
                Container::Item {
                    marker,
                    width: w,
                    pending,
                } => {
                    if *pending {
                        self.spans
                            .push(Span::styled(marker.clone(), self.styles.list));
                        *pending = false;
                    } else {
                        self.spans.push(Span::raw(" ".repeat(*w)));
                    }
                    width += *w;
                }
            }
        }
        self.hang = width;
    }

    fn end_line(&mut self) {
        if !self.open {
            return;
        }
        self.open = false;
        self.lines.push(Line::from(std::mem::take(&mut self.spans)));
        self.hangs
            .push(u16::try_from(self.hang).unwrap_or(u16::MAX));
    }

    /// Lays a table out in columns as wide as their widest cell, the header set off by a rule.
    fn table(&mut self, table: &Table) {
        let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0);
        let cell_width = |cell: &[Span<'_>]| cell.iter().map(Span::width).sum::<usize>();
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                table
                    .rows
                    .iter()
                    .filter_map(|row| row.get(c))
                    .map(|cell| cell_width(cell))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let decoration = self.styles.decoration;
        for (r, row) in table.rows.iter().enumerate() {
            for (c, width) in widths.iter().enumerate() {
                if c > 0 {
                    self.put(" │ ", decoration);
                }
                let cell = row.get(c).map_or(&[][..], Vec::as_slice);
                for span in cell {
                    let style = if r < table.head {
                        span.style.patch(self.styles.bold)
                    } else {
                        span.style
                    };
                    self.put(&span.content, style);
                }
                if c + 1 < columns {
                    self.put(&" ".repeat(width - cell_width(cell)), Style::new());
                } else {
                    self.open_line();
                }
            }
            self.end_line();
            if r + 1 == table.head {
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                self.put(&rule.join("─┼─"), decoration);
                self.end_line();
            }
        }
    }
}
