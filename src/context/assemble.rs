//! Context for a position: the enclosing item, the headers around it, the imports it uses,
//! and the definitions of the workspace symbols it references — ranked, fitted to a token
//! budget, every piece through the gate, each with why it was chosen.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::gate::{Gate, Withheld};
use super::index::{DefId, Index};
use super::tags::FileSymbols;

/// What a piece of context is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PieceKind {
    /// The item around the cursor, or the selection.
    EnclosingItem,
    /// The signature of an item that encloses it (impl, class, module …).
    Header,
    Imports,
    /// A workspace definition the item references.
    Definition,
    RepoMap,
    Mention,
}

impl PieceKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::EnclosingItem => "enclosing item",
            Self::Header => "enclosing header",
            Self::Imports => "imports",
            Self::Definition => "referenced definition",
            Self::RepoMap => "repo map",
            Self::Mention => "mention",
        }
    }
}

/// One piece of what is sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Piece {
    pub kind: PieceKind,
    /// Workspace-relative path.
    pub path: String,
    /// 1-based inclusive lines (0, 0 for a piece not from one file, like the repo map).
    pub lines: (u32, u32),
    /// Why it was chosen: "defines `Foo`, used at line 42".
    pub why: String,
    /// The text as sent (after redaction).
    pub text: String,
    pub tokens: usize,
    /// The fence language of the text, if known.
    pub language: Option<String>,
}

/// Everything chosen for one request.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Context {
    pub pieces: Vec<Piece>,
    /// What the gate held back.
    pub withheld: Vec<Withheld>,
    pub budget: usize,
}

impl Context {
    pub fn tokens(&self) -> usize {
        self.pieces.iter().map(|p| p.tokens).sum()
    }
}

/// The code a question goes with: where, what, and the pieces chosen for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    /// "src/a.rs:3-9".
    pub location: String,
    /// "function", "selection", "lines around the cursor" …
    pub what: String,
    pub pieces: Vec<Piece>,
    pub withheld: Vec<Withheld>,
}

impl Attachment {
    /// From a chosen context: located and described by its first piece.
    pub fn from_context(ctx: Context) -> Option<Self> {
        let Some(first) = ctx.pieces.first() else {
            // Nothing may be sent; what was held back still says why.
            return (!ctx.withheld.is_empty()).then(|| Self {
                location: String::new(),
                what: String::new(),
                pieces: Vec::new(),
                withheld: ctx.withheld,
            });
        };
        let location = if first.lines.0 == first.lines.1 {
            format!("{}:{}", first.path, first.lines.0)
        } else {
            format!("{}:{}-{}", first.path, first.lines.0, first.lines.1)
        };
        Some(Self {
            location,
            what: first.why.clone(),
            pieces: ctx.pieces,
            withheld: ctx.withheld,
        })
    }

    /// "src/a.rs:3-9 (function)", for labels.
    pub fn label(&self) -> String {
        format!("{} ({})", self.location, self.what)
    }
}

/// The file the user is in, as it is now (possibly unsaved).
pub struct Here<'a> {
    /// Workspace-relative path.
    pub path: &'a str,
    pub text: &'a str,
    pub symbols: &'a FileSymbols,
    pub language: Option<&'a str>,
    /// 0-based line of the cursor.
    pub line: u32,
    /// 0-based inclusive lines of the selection, if any.
    pub selection: Option<(u32, u32)>,
}

/// A definition body longer than this goes as its signature only.
const MAX_DEF_LINES: u32 = 80;
/// Names defined in more places than this are too ambiguous to chase.
const MAX_CANDIDATES: usize = 3;

/// Lines `first..=last` (0-based) of `text`, with their line breaks.
pub fn lines_of(text: &str, first: u32, last: u32) -> String {
    let mut out = String::new();
    for line in text
        .split_inclusive('\n')
        .skip(first as usize)
        .take((last - first + 1) as usize)
    {
        out.push_str(line);
    }
    out
}

/// Words of import statements that name no imported thing.
const IMPORT_WORDS: &[&str] = &[
    "use",
    "import",
    "from",
    "as",
    "pub",
    "crate",
    "self",
    "super",
    "std",
    "extern",
    "include",
    "require",
    "using",
    "namespace",
    "type",
    "static",
    "package",
];

/// The identifiers of a text.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.len() > 1 && !w.starts_with(|c: char| c.is_ascii_digit()))
}

/// Chooses the context for `here` within `budget` tokens (counted with `count`).
#[allow(clippy::implicit_hasher)] // the std map of `rank`
pub fn for_position(
    index: &Index,
    gate: &Gate,
    here: &Here<'_>,
    def_rank: &HashMap<DefId, f64>,
    budget: usize,
    count: &dyn Fn(&str) -> usize,
) -> Context {
    let mut ctx = Context {
        budget,
        ..Context::default()
    };
    if let Err(w) = gate.check_path(&index.root.join(here.path)) {
        ctx.withheld.push(w);
        return ctx;
    }
    let symbols = here.symbols;
    let lang = here.language.map(str::to_string);
    let mut used = 0;
    let mut push = |ctx: &mut Context, mut piece: Piece| -> bool {
        let (text, withheld) = gate.redact(&piece.path, &piece.text);
        piece.text = text;
        piece.tokens = count(&piece.text);
        if used + piece.tokens > budget {
            return false;
        }
        used += piece.tokens;
        ctx.withheld.extend(withheld);
        ctx.pieces.push(piece);
        true
    };
    // The item around the cursor (innermost), or the selection.
    let innermost = symbols
        .items
        .iter()
        .enumerate()
        .filter(|(_, it)| it.lines.0 <= here.line && here.line <= it.lines.1)
        .min_by_key(|(_, it)| it.lines.1 - it.lines.0);
    let (first, last, what, parent) = match (here.selection, innermost) {
        (Some((a, b)), _) => (a, b, "the selection".to_string(), None),
        (None, Some((_, it))) => (
            it.lines.0,
            it.lines.1,
            format!("the {} around line {}", it.kind, here.line + 1),
            it.parent,
        ),
        (None, None) => {
            let first = here.line.saturating_sub(30);
            let last_line = here.text.lines().count().saturating_sub(1) as u32;
            (
                first,
                (here.line + 30).min(last_line),
                format!("the lines around line {}", here.line + 1),
                None,
            )
        }
    };
    // An item too big for the budget gives way to the lines around the cursor, as many as fit.
    let (mut first, mut last, mut what) = (first, last, what);
    let mut item_text = lines_of(here.text, first, last);
    if count(&item_text) > budget * 3 / 4 {
        first = first.max(here.line.saturating_sub(30));
        last = last.min(here.line + 30);
        what = format!("{what} (the part around line {})", here.line + 1);
        item_text = String::new();
        let mut spent = 0;
        for (n, line) in lines_of(here.text, first, last)
            .split_inclusive('\n')
            .enumerate()
        {
            spent += count(line);
            if spent > budget * 3 / 4 {
                last = first + n.saturating_sub(1) as u32;
                break;
            }
            item_text.push_str(line);
        }
    }
    push(
        &mut ctx,
        Piece {
            kind: PieceKind::EnclosingItem,
            path: here.path.to_string(),
            lines: (first + 1, last + 1),
            why: what,
            text: item_text,
            tokens: 0,
            language: lang.clone(),
        },
    );
    // The headers of the items around it, outermost first.
    let mut chain = Vec::new();
    let mut up = parent;
    while let Some(p) = up {
        let Some(item) = symbols.items.get(p as usize) else {
            break;
        };
        chain.push(item);
        up = item.parent;
    }
    for item in chain.into_iter().rev() {
        push(
            &mut ctx,
            Piece {
                kind: PieceKind::Header,
                path: here.path.to_string(),
                lines: (item.header.0 + 1, item.header.1 + 1),
                why: format!("the {} it is in", item.kind),
                text: lines_of(here.text, item.header.0, item.header.1),
                tokens: 0,
                language: lang.clone(),
            },
        );
    }
    // What the item references, most often first.
    // (name, through a value, first line, uses)
    let mut referenced: Vec<(&str, bool, u32, usize)> = Vec::new();
    for r in symbols
        .refs
        .iter()
        .filter(|r| first <= r.line && r.line <= last)
    {
        let method = r.kind == "method";
        match referenced
            .iter_mut()
            .find(|(n, m, _, _)| *n == r.name && *m == method)
        {
            Some(entry) => entry.3 += 1,
            None => referenced.push((r.name.as_str(), method, r.line, 1)),
        }
    }
    // The imports that bring in a name the item uses (`math` of `math.pi` too, which is no
    // tag reference).
    let item_text = ctx
        .pieces
        .first()
        .map(|p| p.text.clone())
        .unwrap_or_default();
    let used: HashSet<&str> = words(&item_text).collect();
    let mut imports = String::new();
    let mut import_lines = (u32::MAX, 0);
    for &(a, b) in &symbols.imports {
        let text = lines_of(here.text, a, b);
        if words(&text).any(|w| !IMPORT_WORDS.contains(&w) && used.contains(w)) {
            imports.push_str(&text);
            import_lines = (import_lines.0.min(a), import_lines.1.max(b));
        }
    }
    if !imports.is_empty() {
        push(
            &mut ctx,
            Piece {
                kind: PieceKind::Imports,
                path: here.path.to_string(),
                lines: (import_lines.0 + 1, import_lines.1 + 1),
                why: "the imports of names it uses".to_string(),
                text: imports,
                tokens: 0,
                language: lang.clone(),
            },
        );
    }
    // Their definitions, best first: ranked from where the user is, then by how often used.
    let here_file = index.file(here.path).map(|(i, _)| i);
    let mut candidates: Vec<(f64, DefId, &str, u32)> = Vec::new();
    for (name, method, line, uses) in &referenced {
        let defs: Vec<DefId> = super::rank::answering(index, name, *method).collect();
        if defs.is_empty() {
            continue;
        }
        // A name defined in many places (`new`, `poll`) sends only its likeliest definition.
        let keep = if defs.len() > MAX_CANDIDATES * 4 {
            1
        } else {
            MAX_CANDIDATES
        };
        let mut scored: Vec<(f64, DefId)> = defs
            .iter()
            .filter(|d| {
                // Not the item itself, nor anything inside it.
                Some(d.0) != here_file
                    || index
                        .def(**d)
                        .is_none_or(|(_, def)| def.line < first || def.line > last)
            })
            .map(|d| {
                let rank = def_rank.get(d).copied().unwrap_or(0.0);
                let same_file = if Some(d.0) == here_file { 2.0 } else { 1.0 };
                let specific = super::rank::specificity(name);
                (
                    rank.max(1e-9) * same_file * specific * (*uses as f64).sqrt(),
                    *d,
                )
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (score, d) in scored.into_iter().take(keep) {
            candidates.push((score, d, name, *line));
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut seen_items: HashSet<(u32, Option<u32>, u32)> = HashSet::new();
    for (_, id, name, line) in candidates {
        let Some((file, def)) = index.def(id) else {
            continue;
        };
        if !seen_items.insert((id.0, def.item, def.line)) {
            continue;
        }
        let path = file.path.clone();
        if let Err(w) = gate.check_path(&index.root.join(&path)) {
            ctx.withheld.push(w);
            continue;
        }
        let why = format!("defines `{name}`, used at line {}", line + 1);
        let item = def.item.and_then(|i| file.symbols.items.get(i as usize));
        let source = if Some(id.0) == here_file {
            Some(here.text.to_string())
        } else {
            index.source(&path)
        };
        let Some(source) = source else {
            continue;
        };
        let lang = file.language.clone();
        // The whole definition if it is short and fits, else its signature.
        let whole = item
            .filter(|it| it.lines.1 - it.lines.0 < MAX_DEF_LINES)
            .map(|it| (it.lines, lines_of(&source, it.lines.0, it.lines.1)));
        let mut placed = false;
        if let Some((lines, text)) = whole {
            placed = push(
                &mut ctx,
                Piece {
                    kind: PieceKind::Definition,
                    path: path.clone(),
                    lines: (lines.0 + 1, lines.1 + 1),
                    why: why.clone(),
                    text,
                    tokens: 0,
                    language: lang.clone(),
                },
            );
        }
        if !placed {
            let lines = item.map_or((def.line, def.line), |it| it.header);
            push(
                &mut ctx,
                Piece {
                    kind: PieceKind::Definition,
                    path,
                    lines: (lines.0 + 1, lines.1 + 1),
                    why: format!("{why} (signature only)"),
                    text: lines_of(&source, lines.0, lines.1),
                    tokens: 0,
                    language: lang,
                },
            );
        }
    }
    ctx
}
