//! The context engine on fixture workspaces (tests/context/): the index honours .gitignore,
//! .caretignore and secret files; the context for a position holds the enclosing item, its
//! headers, the imports it uses and the definitions it references, each with why, never over
//! budget; the repo map ranks what is referenced; `caret context --json` carries exactly
//! the messages `caret explain` sends; and `@` mentions complete and resolve to what they
//! name, through the gate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/llm_server.rs"]
mod llm_server;

use std::path::{Path, PathBuf};

use caret::context::assemble::PieceKind;
use caret::context::candidates::MentionKind;
use caret::context::engine::{Engine, Spot};
use caret::context::index::Progress;

/// Copies a fixture workspace into a temporary folder (and adds what git would not keep).
fn workspace(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/context")
            .join(name),
        dir.path(),
    );
    if name == "rust_ws" {
        std::fs::create_dir_all(dir.path().join("target")).unwrap();
        std::fs::write(
            dir.path().join("target/gen.rs"),
            "pub fn generated_should_not_appear() {}\n",
        )
        .unwrap();
    }
    dir
}

fn copy(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn engine(root: &Path) -> Engine {
    let registry = caret::syntax::registry::Registry::new(None);
    let root = std::fs::canonicalize(root).unwrap();
    Engine::open(
        &root,
        registry.languages().clone(),
        None,
        None,
        &Progress::default(),
    )
}

fn count(text: &str) -> usize {
    caret::ai::tokens::count(text)
}

fn line_of(text: &str, needle: &str) -> u32 {
    text.lines().position(|l| l.contains(needle)).unwrap() as u32
}

#[test]
fn the_index_leaves_out_ignored_and_secret_files() {
    let ws = workspace("rust_ws");
    let engine = engine(ws.path());
    let paths: Vec<&str> = engine.index.files.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"src/shapes.rs"), "{paths:?}");
    assert!(paths.contains(&"src/render.rs"), "{paths:?}");
    for never in ["target/gen.rs", ".env", "src/scratch.rs"] {
        assert!(!paths.contains(&never), "{never} indexed: {paths:?}");
    }
    assert!(!engine.index.definitions("Circle").is_empty());
    assert!(
        engine
            .index
            .definitions("generated_should_not_appear")
            .is_empty()
    );
}

#[test]
fn context_for_a_rust_function() {
    let ws = workspace("rust_ws");
    let engine = engine(ws.path());
    let text = std::fs::read_to_string(ws.path().join("src/render.rs")).unwrap();
    let line = line_of(&text, "let _ = write!");
    let ctx = engine.context("src/render.rs", &text, &Spot::Line(line), 4000, &count);
    let first = &ctx.pieces[0];
    assert_eq!(first.kind, PieceKind::EnclosingItem);
    assert!(
        first
            .text
            .starts_with("/// Describes a circle for people.\npub fn describe("),
        "{}",
        first.text
    );
    assert!(first.text.trim_end().ends_with('}'));
    let imports = ctx
        .pieces
        .iter()
        .find(|p| p.kind == PieceKind::Imports)
        .expect("imports");
    assert!(
        imports.text.contains("use crate::shapes::{Circle, Shape};"),
        "{}",
        imports.text
    );
    let defs: Vec<(&str, &str)> = ctx
        .pieces
        .iter()
        .filter(|p| p.kind == PieceKind::Definition)
        .map(|p| (p.path.as_str(), p.why.as_str()))
        .collect();
    let has = |path: &str, why: &str| defs.iter().any(|(p, w)| *p == path && w.starts_with(why));
    assert!(
        has("src/shapes.rs", "defines `Circle`, used at line"),
        "{defs:?}"
    );
    assert!(
        has("src/render.rs", "defines `fmt_area`, used at line"),
        "{defs:?}"
    );
    assert!(
        defs.iter()
            .any(|(p, w)| *p == "src/shapes.rs" && w.contains("`area`")),
        "{defs:?}"
    );
    // Never the function itself as its own definition.
    assert!(
        !defs.iter().any(|(_, w)| w.contains("`describe`")),
        "{defs:?}"
    );
    assert!(ctx.tokens() <= 4000);
}

#[test]
fn a_method_comes_with_its_impl_header() {
    let ws = workspace("rust_ws");
    let engine = engine(ws.path());
    let text = std::fs::read_to_string(ws.path().join("src/render.rs")).unwrap();
    let line = line_of(&text, "self.lines.push");
    let ctx = engine.context("src/render.rs", &text, &Spot::Line(line), 4000, &count);
    assert!(
        ctx.pieces[0]
            .text
            .contains("pub fn add(&mut self, circle: &Circle)"),
        "{:?}",
        ctx.pieces[0]
    );
    let header = ctx
        .pieces
        .iter()
        .find(|p| p.kind == PieceKind::Header)
        .expect("the impl header");
    assert!(header.text.starts_with("impl Report {"), "{}", header.text);
    assert!(
        ctx.pieces
            .iter()
            .any(|p| p.kind == PieceKind::Definition && p.why.starts_with("defines `describe`"))
    );
}

#[test]
fn context_for_a_python_function() {
    let ws = workspace("python_ws");
    let engine = engine(ws.path());
    let text = std::fs::read_to_string(ws.path().join("app.py")).unwrap();
    let line = line_of(&text, "user = User(");
    let ctx = engine.context("app.py", &text, &Spot::Line(line), 4000, &count);
    assert!(
        ctx.pieces[0].text.starts_with("def main():"),
        "{}",
        ctx.pieces[0].text
    );
    let whys: Vec<&str> = ctx.pieces.iter().map(|p| p.why.as_str()).collect();
    assert!(
        whys.iter().any(|w| w.starts_with("defines `User`")),
        "{whys:?}"
    );
    assert!(
        whys.iter().any(|w| w.starts_with("defines `profile_url`")),
        "{whys:?}"
    );
    let imports = ctx
        .pieces
        .iter()
        .find(|p| p.kind == PieceKind::Imports)
        .expect("imports");
    assert!(
        imports.text.contains("from models import User"),
        "{}",
        imports.text
    );
}

#[test]
fn the_budget_is_never_exceeded() {
    let ws = workspace("rust_ws");
    let engine = engine(ws.path());
    let text = std::fs::read_to_string(ws.path().join("src/render.rs")).unwrap();
    for budget in [20, 40, 80, 150, 300, 1000] {
        for line in 0..text.lines().count() as u32 {
            let ctx = engine.context("src/render.rs", &text, &Spot::Line(line), budget, &count);
            assert!(
                ctx.tokens() <= budget,
                "budget {budget}, line {line}: {}",
                ctx.tokens()
            );
        }
    }
}

#[test]
fn the_repo_map_ranks_what_is_referenced() {
    let ws = workspace("rust_ws");
    let engine = engine(ws.path());
    let ranking = caret::context::rank::rank(
        &engine.index,
        &std::collections::HashMap::default(),
        &std::collections::HashSet::default(),
    );
    let (map, shown) = caret::context::map::fit(&engine.index, &ranking, 1000, &count);
    assert!(shown > 0);
    assert!(map.contains("src/shapes.rs\n"), "{map}");
    assert!(map.contains("pub struct Circle"), "{map}");
    assert!(!map.contains("generated_should_not_appear"), "{map}");
    let (small, few) = caret::context::map::fit(&engine.index, &ranking, 30, &count);
    assert!(count(&small) <= 30 && few < shown, "{small}");
}

fn caret(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_caret"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.join(".home"))
        .env("XDG_CONFIG_HOME", dir.join(".home/config"))
        .env("XDG_STATE_HOME", dir.join(".home/state"))
        .output()
        .unwrap()
}

#[test]
fn caret_context_json_is_byte_for_byte_what_explain_sends() {
    let ws = workspace("rust_ws");
    let server =
        llm_server::Server::start(vec![llm_server::Reply::sse(&llm_server::openai_stream(&[
            "ok",
        ]))]);
    let home: PathBuf = ws.path().join(".home/config/caret");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(
        home.join("config.toml"),
        format!(
            "[ai]\nprovider = \"openai\"\nbase_url = \"{}\"\nmodel = \"m\"\n",
            server.base_url()
        ),
    )
    .unwrap();
    std::fs::write(ws.path().join(".caretignore"), "src/scratch.rs\n.home/\n").unwrap();
    let out = caret(ws.path(), &["context", "src/render.rs:9", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = caret(ws.path(), &["explain", "src/render.rs:9"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sent = server.requests()[0].json();
    assert_eq!(shown["messages"], sent["messages"]);
    let text = serde_json::to_string(&sent).unwrap();
    assert!(!text.contains("hunter2"), "a secret file's text was sent");
    // The human form lists each piece with why and tokens.
    let out = caret(ws.path(), &["context", "src/render.rs:9"]);
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(
        human.contains("── enclosing item · src/render.rs:"),
        "{human}"
    );
    assert!(human.contains("defines `Circle`, used at line"), "{human}");
}

#[test]
fn secrets_in_chosen_code_are_redacted_and_said() {
    let ws = workspace("rust_ws");
    std::fs::write(
        ws.path().join("src/keys.rs"),
        "/// The key uploads use.\npub fn upload_key() -> &'static str {\n    \"AKIAIOSFODNN7EXAMPLE\"\n}\n",
    )
    .unwrap();
    let upload =
        "use crate::keys::upload_key;\n\npub fn upload() -> usize {\n    upload_key().len()\n}\n";
    std::fs::write(ws.path().join("src/upload.rs"), upload).unwrap();
    let engine = engine(ws.path());
    let ctx = engine.context("src/upload.rs", upload, &Spot::Line(3), 4000, &count);
    let def = ctx
        .pieces
        .iter()
        .find(|p| p.why.starts_with("defines `upload_key`"))
        .expect("the definition");
    assert!(!def.text.contains("AKIAIOSFODNN7EXAMPLE"), "{}", def.text);
    assert!(def.text.contains("[redacted"), "{}", def.text);
    assert!(
        ctx.withheld.iter().any(|w| w.what == "src/keys.rs:3"),
        "{:?}",
        ctx.withheld
    );
    // A question about the secret file itself sends nothing of it.
    let env = std::fs::read_to_string(ws.path().join(".env")).unwrap();
    let ctx = engine.context(".env", &env, &Spot::Line(0), 4000, &count);
    assert!(ctx.pieces.is_empty());
    assert!(
        ctx.withheld[0].reason.starts_with("secret file"),
        "{:?}",
        ctx.withheld
    );
}

#[test]
fn the_index_cache_is_read_back_and_written_only_when_something_changed() {
    let ws = workspace("rust_ws");
    let state = tempfile::tempdir().unwrap();
    let cache = state.path().join("index.json");
    let open = || {
        let registry = caret::syntax::registry::Registry::new(None);
        Engine::open(
            &std::fs::canonicalize(ws.path()).unwrap(),
            registry.languages().clone(),
            None,
            Some(&cache),
            &Progress::default(),
        )
    };
    let first = open();
    let written = std::fs::read(&cache).unwrap();
    assert!(first.index.definitions("Circle").len() == 1);
    // Opened again unchanged: the cache is read, not rewritten.
    let stamp = std::fs::metadata(&cache).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = open();
    assert_eq!(again.index.files, first.index.files);
    assert_eq!(
        std::fs::metadata(&cache).unwrap().modified().unwrap(),
        stamp
    );
    assert_eq!(std::fs::read(&cache).unwrap(), written);
    // A file changed: its entry is new, and the cache follows.
    std::fs::write(ws.path().join("src/shapes.rs"), "pub struct Hexagon;\n").unwrap();
    let changed = open();
    assert!(changed.index.definitions("Circle").is_empty());
    assert_eq!(changed.index.definitions("Hexagon").len(), 1);
    let cached = String::from_utf8(std::fs::read(&cache).unwrap()).unwrap();
    assert!(
        cached.contains("\"signature\":\"pub struct Hexagon\""),
        "{cached}"
    );
    assert!(
        !cached.contains("\"signature\":\"pub struct Circle"),
        "{cached}"
    );
}

#[test]
fn a_method_call_is_answered_by_a_method_not_a_function_of_the_same_name() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "src/geometry.rs",
        "pub struct Square {\n    pub side: f64,\n}\n\nimpl Square {\n    /// The area of the square.\n    pub fn surface_area(&self) -> f64 {\n        self.side * self.side\n    }\n}\n",
    );
    write(
        "src/land.rs",
        "/// The area of a plot of land, in hectares.\npub fn surface_area(acres: f64) -> f64 {\n    acres * 0.404_686\n}\n",
    );
    write(
        "src/main.rs",
        "fn report(square: &Square) -> String {\n    format!(\"{}\", square.surface_area())\n}\n",
    );
    let engine = engine(dir.path());
    let text = std::fs::read_to_string(dir.path().join("src/main.rs")).unwrap();
    let ctx = engine.context("src/main.rs", &text, &Spot::Line(1), 4000, &count);
    let defs: Vec<&str> = ctx
        .pieces
        .iter()
        .filter(|p| p.kind == PieceKind::Definition)
        .map(|p| p.path.as_str())
        .collect();
    assert!(defs.contains(&"src/geometry.rs"), "{defs:?}");
    assert!(!defs.contains(&"src/land.rs"), "{defs:?}");
}

#[test]
fn global_flags_may_come_before_the_subcommand() {
    let ws = workspace("rust_ws");
    for args in [
        &["--model", "m", "map", "--budget", "200"][..],
        &["map", "--budget", "200", "--model", "m"][..],
    ] {
        let out = caret(ws.path(), args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("src/shapes.rs"), "{args:?}: {stdout}");
    }
}

#[test]
fn mention_candidates_match_files_and_names_fuzzily() {
    let ws = workspace("rust_ws");
    let engine = engine(ws.path());
    let found = engine.mention_candidates("rend", 8);
    let file = found
        .iter()
        .find(|c| c.text == "src/render.rs")
        .expect("the file");
    assert_eq!(file.kind, MentionKind::File);
    assert_eq!(file.detail, "rust");
    assert_eq!(file.indices, [4, 5, 6, 7]);
    let found = engine.mention_candidates("circ", 8);
    assert_eq!(found[0].text, "Circle");
    assert_eq!(found[0].kind, MentionKind::Symbol);
    assert_eq!(found[0].detail, "src/shapes.rs:10");
    assert_eq!(found[0].indices, [0, 1, 2, 3]);
    // Smart case: an uppercase letter must match itself.
    assert!(engine.mention_candidates("CIRC", 8).is_empty());
    assert!(engine.mention_candidates("zzqx", 8).is_empty());
    assert!(engine.mention_candidates("", 3).len() == 3);
}

#[test]
fn with_nothing_typed_the_most_relevant_files_and_names_come_first() {
    let ws = workspace("rust_ws");
    let engine = engine(ws.path());
    let found = engine.mention_candidates("", 8);
    let shown: Vec<(&str, MentionKind)> = found.iter().map(|c| (c.text.as_str(), c.kind)).collect();
    // shapes.rs is what the rest of the crate uses; Circle the name it uses most.
    assert_eq!(shown[0], ("src/shapes.rs", MentionKind::File), "{shown:?}");
    assert_eq!(shown[1], ("Circle", MentionKind::Symbol), "{shown:?}");
    assert!(found.iter().all(|c| c.indices.is_empty()));
}

#[test]
fn a_name_is_offered_once_where_its_best_definition_is() {
    let ws = workspace("rust_ws");
    // A second `Circle`, in test code: the one the crate is about ranks higher.
    std::fs::write(ws.path().join("src/circle_test.rs"), "pub struct Circle;\n").unwrap();
    let engine = engine(ws.path());
    let found = engine.mention_candidates("Circle", 8);
    let circles: Vec<&str> = found
        .iter()
        .filter(|c| c.text == "Circle")
        .map(|c| c.detail.as_str())
        .collect();
    assert_eq!(circles, ["src/shapes.rs:10"]);
    let ctx = engine.mentions("@Circle", false, 4000, &count);
    assert_eq!(ctx.pieces[0].path, "src/shapes.rs");
}

#[test]
fn secret_and_ignored_files_are_never_offered() {
    let ws = workspace("rust_ws");
    let engine = engine(ws.path());
    for query in ["env", ".env", "scratch", "gen", "target"] {
        let found = engine.mention_candidates(query, 50);
        assert!(
            found.iter().all(|c| c.text != ".env"
                && c.text != "src/scratch.rs"
                && c.text != "target/gen.rs"
                && !c.detail.starts_with("src/scratch.rs")
                && !c.detail.starts_with("target/")),
            "{query}: {found:?}"
        );
    }
    assert!(
        engine
            .mention_candidates("ignored_by", 8)
            .iter()
            .all(|c| c.text != "ignored_by_caretignore")
    );
}

#[test]
fn an_at_file_goes_whole_and_first() {
    let ws = workspace("rust_ws");
    let engine = engine(ws.path());
    // A unique path suffix names the file; plain names come after it.
    let ctx = engine.mentions("how is Circle drawn in @render.rs?", false, 4000, &count);
    let first = &ctx.pieces[0];
    assert_eq!(first.path, "src/render.rs");
    assert_eq!(first.kind, PieceKind::Mention);
    assert_eq!(first.why, "the file named in the question (@src/render.rs)");
    let text = std::fs::read_to_string(ws.path().join("src/render.rs")).unwrap();
    assert_eq!(first.text, text);
    assert_eq!(first.lines, (1, text.lines().count() as u32));
    assert!(
        ctx.pieces[1..]
            .iter()
            .any(|p| p.why == "defines `Circle`, named in the question"),
        "{:?}",
        ctx.pieces
    );
    // Named twice, sent once.
    let ctx = engine.mentions("@src/render.rs vs src/render.rs", false, 4000, &count);
    assert_eq!(ctx.pieces.len(), 1, "{:?}", ctx.pieces);
}

#[test]
fn an_at_name_sends_its_definition_whatever_the_name() {
    let ws = workspace("rust_ws");
    let engine = engine(ws.path());
    // `unit` is too plain a word to be taken for a name unless it is marked.
    let plain = engine.mentions("what does unit return?", false, 4000, &count);
    assert!(plain.pieces.is_empty(), "{:?}", plain.pieces);
    let ctx = engine.mentions("what does @unit return?", false, 4000, &count);
    assert_eq!(ctx.pieces.len(), 1, "{:?}", ctx.pieces);
    let piece = &ctx.pieces[0];
    assert_eq!(piece.path, "src/shapes.rs");
    assert_eq!(piece.lines, (20, 23));
    assert_eq!(piece.why, "defines `unit`, named in the question (@unit)");
    assert!(
        piece.text.contains("pub fn unit() -> Circle {"),
        "{}",
        piece.text
    );
    // Explicit mentions come first, wherever they are in the question.
    let ctx = engine.mentions("compare Circle with @fmt_area.", false, 4000, &count);
    assert!(
        ctx.pieces[0].why.ends_with("(@fmt_area)"),
        "{:?}",
        ctx.pieces
    );
    assert!(
        ctx.pieces[1].why.starts_with("defines `Circle`"),
        "{:?}",
        ctx.pieces
    );
    // What names nothing stays text.
    let ctx = engine.mentions("see @nothing_here and @", false, 4000, &count);
    assert!(ctx.pieces.is_empty() && ctx.withheld.is_empty(), "{ctx:?}");
}

#[test]
fn an_at_file_too_long_for_the_budget_goes_as_its_outline() {
    let ws = workspace("rust_ws");
    let engine = engine(ws.path());
    let whole = count(&std::fs::read_to_string(ws.path().join("src/shapes.rs")).unwrap());
    let ctx = engine.mentions("explain @src/shapes.rs", false, 60, &count);
    let piece = &ctx.pieces[0];
    assert_eq!(
        piece.why,
        format!(
            "the file named in the question (@src/shapes.rs) — too long to send whole ({whole} tokens): its outline"
        )
    );
    assert_eq!(
        piece.text,
        // The impl's `fn area` repeats the trait's signature: listed once.
        "src/shapes.rs\n  4: pub trait Shape\n  5: fn area(&self) -> f64\n  10: pub struct Circle\n  21: pub fn unit() -> Circle\n"
    );
    // Tighter still: the first definitions that fit, and never over budget.
    for budget in [5, 10, 20, 30, 45, 60, 200] {
        let ctx = engine.mentions("explain @src/shapes.rs and @Circle", false, budget, &count);
        assert!(ctx.tokens() <= budget, "{budget}: {:?}", ctx.pieces);
    }
    let ctx = engine.mentions("explain @src/shapes.rs", false, 25, &count);
    assert!(
        ctx.pieces[0].why.contains("its outline, first "),
        "{:?}",
        ctx.pieces
    );
}

#[test]
fn an_at_secret_or_ignored_file_is_withheld_and_said() {
    let ws = workspace("rust_ws");
    let engine = engine(ws.path());
    let ctx = engine.mentions(
        "what is in @.env and @src/scratch.rs and @../outside.txt?",
        true,
        4000,
        &count,
    );
    let text = serde_json::to_string(&ctx.pieces).unwrap();
    assert!(!text.contains("hunter2"), "{text}");
    assert!(!text.contains("ignored_by_caretignore"), "{text}");
    let withheld: Vec<(&str, &str)> = ctx
        .withheld
        .iter()
        .map(|w| (w.what.as_str(), w.reason.as_str()))
        .collect();
    assert!(
        withheld
            .iter()
            .any(|(what, why)| *what == ".env" && why.starts_with("secret file")),
        "{withheld:?}"
    );
    assert!(
        withheld
            .iter()
            .any(|(what, why)| *what == "src/scratch.rs" && why.starts_with("ignored")),
        "{withheld:?}"
    );
}

#[test]
fn mention_candidates_follow_the_index() {
    let ws = workspace("rust_ws");
    let mut engine = engine(ws.path());
    assert!(engine.mention_candidates("tally", 8).is_empty());
    let path = ws.path().join("src/tally.rs");
    std::fs::write(&path, "pub fn tally_votes() -> u32 {\n    0\n}\n").unwrap();
    engine.refresh(&std::fs::canonicalize(&path).unwrap());
    let found: Vec<String> = engine
        .mention_candidates("tally", 8)
        .into_iter()
        .map(|c| c.text)
        .collect();
    assert!(found.contains(&"src/tally.rs".to_string()), "{found:?}");
    assert!(found.contains(&"tally_votes".to_string()), "{found:?}");
    let path = std::fs::canonicalize(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    engine.refresh(&path);
    assert!(engine.mention_candidates("tally", 8).is_empty());
}
