//! Tests of the streamed markdown view: chunking never changes the result, blocks draw as
//! markdown should, code blocks are highlighted and kept exactly.

use std::sync::OnceLock;

use proptest::prelude::*;
use pulldown_cmark::{Event, Parser as Md, Tag, TagEnd};
use ratatui::style::Style;
use ratatui::text::Line;

use super::wrap::plain;
use super::*;
use crate::themes::Catalog;
use crate::ui::theme::ColorMode;

/// One registry for all tests, with Rust and Python compiled (compiling is slow in debug).
fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let registry = Registry::new(None);
        for name in ["rust", "python"] {
            let lang = registry.languages().by_name(name).unwrap();
            registry.config(lang).unwrap();
        }
        registry
    })
}

fn theme() -> Theme {
    Catalog::bundled_only()
        .load("default", ColorMode::TrueColor)
        .unwrap()
}

fn render_chunks<'a>(chunks: impl IntoIterator<Item = &'a str>) -> MarkdownView {
    let (theme, syntax) = (theme(), registry());
    let mut view = MarkdownView::new();
    for chunk in chunks {
        view.push(chunk, &theme, syntax);
    }
    view.finish(&theme, syntax);
    view
}

fn render(text: &str) -> MarkdownView {
    render_chunks([text])
}

fn texts(view: &MarkdownView) -> Vec<String> {
    view.lines().iter().map(plain).collect()
}

/// The style of the first span showing exactly `text` on any line.
fn style_of(view: &MarkdownView, text: &str) -> Style {
    view.lines()
        .iter()
        .flat_map(|l| l.spans.iter())
        .find(|s| s.content == text)
        .unwrap_or_else(|| panic!("no span {text:?} in {:?}", texts(view)))
        .style
}

const ANSWER: &str = concat!(
    "# Fixing the parser\r\n",
    "\r\n",
    "The bug is in **`parse_line`**: it reads *past* the end\n",
    "of the ~~buffer~~ slice. See [the docs](https://docs.rs/x) or <https://a.b>.\n",
    "\n",
    "1. Open the file\n",
    "1. Change the loop:\n",
    "\n",
    "   ```rust\n",
    "   fn main() {\n",
    "   \tlet x = \"a\";  \n",
    "\n",
    "   }\n",
    "   ```\n",
    "1. Run the tests\n",
    "   - unit\n",
    "   - [x] integration\n",
    "\n",
    "> Note: quoted\n",
    "> text\n",
    ">\n",
    "> second paragraph\n",
    "\n",
    "| col | other |\n",
    "|-----|-------|\n",
    "| `a` | b     |\n",
    "\n",
    "~~~\n",
    "plain ``` inside\n",
    "~~~\n",
    "---\n",
    "```python\n",
    "def f():\n",
    "    return 1\n",
    "```\n",
    "Trailing words without a newline",
);

#[test]
fn a_paragraph_is_redrawn_in_place_as_its_lines_arrive() {
    let (theme, syntax) = (theme(), registry());
    let mut view = MarkdownView::new();
    view.push("First line", &theme, syntax);
    assert!(view.lines().is_empty());
    assert_eq!(view.tail(), "First line");
    view.push(" ends here\nand the sec", &theme, syntax);
    assert_eq!(texts(&view), ["First line ends here"]);
    assert_eq!(view.tail(), "and the sec");
    view.push("ond\n", &theme, syntax);
    assert_eq!(texts(&view), ["First line ends here and the second"]);
    assert_eq!(view.settled(), 0, "the paragraph may still grow");
    view.push("\nNext\n", &theme, syntax);
    assert_eq!(
        texts(&view),
        ["First line ends here and the second", "", "Next"]
    );
    assert_eq!(view.settled(), 2);
    view.finish(&theme, syntax);
    assert_eq!(view.settled(), 3);
}

#[test]
fn markdown_elements_are_drawn_with_the_themes_markup_styles() {
    let view = render(ANSWER);
    let theme = theme();
    let lines = texts(&view);
    let expected_start = [
        "# Fixing the parser",
        "",
        "The bug is in parse_line: it reads past the end of the buffer slice. \
         See the docs (https://docs.rs/x) or https://a.b.",
        "",
        "1. Open the file",
        "2. Change the loop:",
        "",
        "   ─ rust ─",
        "   fn main() {",
        "       let x = \"a\";  ",
        "   ",
        "   }",
        "3. Run the tests",
        "   • unit",
        "   • [x] integration",
        "",
        "│ Note: quoted text",
        "│ ",
        "│ second paragraph",
        "",
        "col │ other",
        "────┼──────",
        "a   │ b",
        "",
        "───",
        "plain ``` inside",
        "────────────────────────────────",
        "─ python ─",
        "def f():",
        "    return 1",
        "Trailing words without a newline",
    ];
    assert_eq!(lines, expected_start);
    assert_eq!(
        style_of(&view, "Fixing the parser"),
        theme.highlight("markup.heading")
    );
    assert_eq!(
        style_of(&view, "parse_line"),
        theme
            .highlight("markup.bold")
            .patch(theme.highlight("markup.raw"))
    );
    assert_eq!(style_of(&view, "past"), theme.highlight("markup.italic"));
    assert_eq!(
        style_of(&view, "buffer"),
        theme.highlight("markup.strikethrough")
    );
    assert_eq!(
        style_of(&view, "the docs"),
        theme.highlight("markup.link.text")
    );
    assert_eq!(
        style_of(&view, "https://docs.rs/x"),
        theme.highlight("markup.link.url")
    );
    assert_eq!(style_of(&view, "2. "), theme.highlight("markup.list"));
    assert_eq!(
        style_of(&view, "[x] "),
        theme.highlight("markup.list.checked")
    );
    assert_eq!(style_of(&view, "─ rust ─"), theme.hidden_char);
    // Plain code (no language) gets the raw block style.
    assert_eq!(
        style_of(&view, "plain ``` inside"),
        theme.highlight("markup.raw.block")
    );
}

#[test]
fn fenced_code_is_highlighted_by_its_language() {
    let syntax = registry();
    let theme = theme();
    let view = render("```rs\nfn main() { let x = 1; }\n```\n");
    let rust = syntax.languages().by_name("rust").unwrap();
    let painted = crate::syntax::highlight_all(syntax, rust, "fn main() { let x = 1; }\n").unwrap();
    let text = "fn main() { let x = 1; }\n";
    for (range, name) in painted {
        assert_eq!(
            style_of(&view, &text[range]),
            theme.highlight(&name),
            "{name}"
        );
    }
    assert_ne!(theme.highlight("keyword"), Style::new(), "a visible test");
}

#[test]
fn code_blocks_keep_their_exact_text_as_the_markdown_spec_reads_it() {
    let view = render(ANSWER);
    let blocks = view.code_blocks();
    // pulldown-cmark's own reading of the whole answer is the reference.
    let mut reference = Vec::new();
    let mut current: Option<(String, String)> = None;
    for event in Md::new(&view.source().replace('\t', "    ")) {
        match event {
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info))) => {
                current = Some((info.to_string(), String::new()));
            }
            Event::Text(t) => {
                if let Some((_, text)) = &mut current {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => reference.extend(current.take()),
            _ => {}
        }
    }
    let ours: Vec<_> = blocks
        .iter()
        .map(|b| (b.lang.clone(), b.text.replace('\t', "    ")))
        .collect();
    assert_eq!(ours, reference);
    assert_eq!(blocks[0].text, "fn main() {\n\tlet x = \"a\";  \n\n}\n");
    assert_eq!(
        view.lines()[blocks[0].first_line].spans[1].content,
        "─ rust ─"
    );
    assert_eq!(plain(&view.lines()[blocks[2].first_line + 1]), "def f():");
}

#[test]
fn an_unclosed_fence_at_the_end_is_still_a_code_block_and_gets_highlighted() {
    let theme = theme();
    let closed = render("```rust\nlet x = 1;\n```");
    let open = render("```rust\nlet x = 1;");
    assert_eq!(open.code_blocks()[0].text, "let x = 1;\n");
    assert_eq!(open.lines(), closed.lines());
    assert_eq!(style_of(&open, "let"), theme.highlight("keyword.storage"));
}

#[test]
fn an_open_block_streams_line_by_line_and_is_highlighted_whole_at_its_close() {
    let (theme, syntax) = (theme(), registry());
    let mut view = MarkdownView::new();
    view.push("```python\ns = \"\"\"\nnot code\n", &theme, syntax);
    assert_eq!(texts(&view), ["─ python ─", "s = \"\"\"", "not code"]);
    assert_eq!(view.code_blocks()[0].text, "s = \"\"\"\nnot code\n");
    // Alone, the middle line of the string looks like code; whole, it is a string.
    let string = theme.highlight("string");
    assert_ne!(view.lines()[2].spans[0].style, string);
    view.push("\"\"\"\n```\n", &theme, syntax);
    assert_eq!(view.lines()[2].spans[0].style, string);
    assert_eq!(view.settled(), view.lines().len());
}

#[test]
fn languages_not_compiled_are_asked_for_and_drawn_plain_until_restyled() {
    let theme = theme();
    let syntax = Registry::new(None);
    let mut view = MarkdownView::new();
    view.push("```go\nfunc main() {}\n```\n", &theme, &syntax);
    let go = syntax.languages().by_name("go").unwrap();
    assert_eq!(view.wanted_languages(), [go]);
    assert!(view.wanted_languages().is_empty(), "reported once");
    assert_eq!(
        view.lines()[1].spans[0].style,
        theme.highlight("markup.raw.block")
    );
    syntax.config(go).unwrap();
    view.restyle(&theme, &syntax);
    assert_eq!(style_of(&view, "func"), theme.highlight("keyword.function"));
}

#[test]
fn list_items_nest_and_wrap_under_their_text() {
    let view = render("- a long item\n  - nested item\n\n  continued\n\n7. seven\n8) eight\n");
    assert_eq!(
        texts(&view),
        [
            "• a long item",
            "  • nested item",
            "",
            "  continued",
            "",
            "7. seven",
            "8. eight"
        ]
    );
    let rows: Vec<String> = view.wrapped(1, 10).iter().map(plain).collect();
    assert_eq!(rows, ["  • nested", "    item"]);
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let view = render("bell\u{7} and \u{1b}[31mred\n");
    assert_eq!(texts(&view), ["bell\u{fffd} and \u{fffd}[31mred"]);
    assert_eq!(sanitize("a\tb"), "a    b");
}

#[test]
fn crlf_deltas_draw_like_lf() {
    let crlf = render_chunks(["a\r", "\n\r\n- b\r\n```\r", "\nx\r\n```\r\n"]);
    let lf = render("a\n\n- b\n```\nx\n```\n");
    assert_eq!(crlf.lines(), lf.lines());
    assert_eq!(crlf.source(), lf.source());
    assert_eq!(crlf.code_blocks(), lf.code_blocks());
}

#[test]
fn restyling_draws_the_same_as_streaming() {
    let (theme, syntax) = (theme(), registry());
    let mut view = render(ANSWER);
    let streamed: Vec<Line<'static>> = view.lines().to_vec();
    let blocks = view.code_blocks().to_vec();
    view.restyle(&theme, syntax);
    assert_eq!(view.lines(), streamed.as_slice());
    assert_eq!(view.code_blocks(), blocks.as_slice());
}

#[test]
fn one_char_at_a_time_draws_the_same_as_whole() {
    let whole = render(ANSWER);
    let chars: Vec<String> = ANSWER.chars().map(String::from).collect();
    let single = render_chunks(chars.iter().map(String::as_str));
    assert_eq!(single.lines(), whole.lines());
    assert_eq!(single.code_blocks(), whole.code_blocks());
    assert_eq!(single.source(), whole.source());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_chunking_draws_the_same(cuts in proptest::collection::vec(0..ANSWER.len(), 0..80)) {
        let whole = render(ANSWER);
        let mut cuts: Vec<usize> = cuts.into_iter().filter(|&i| ANSWER.is_char_boundary(i)).collect();
        cuts.sort_unstable();
        cuts.dedup();
        let mut chunks = Vec::new();
        let mut from = 0;
        for cut in cuts.into_iter().chain([ANSWER.len()]) {
            chunks.push(&ANSWER[from..cut]);
            from = cut;
        }
        let view = render_chunks(chunks);
        prop_assert_eq!(view.lines(), whole.lines());
        prop_assert_eq!(view.code_blocks(), whole.code_blocks());
        prop_assert_eq!(view.source(), whole.source());
    }
}
