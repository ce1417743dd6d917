//! The context engine on fixture workspaces (tests/context/): the index honours .gitignore,
//! .caretignore and secret files; the context for a position holds the enclosing item, its
//! headers, the imports it uses and the definitions it references, each with why, never over
//! budget; the repo map ranks what is referenced; and `caret context --json` carries exactly
//! the messages `caret explain` sends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/llm_server.rs"]
mod llm_server;

use std::path::{Path, PathBuf};

use caret::context::assemble::PieceKind;
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
