//! Edit-reply fixtures: each `tests/edits/NNN_name/` holds a model's `response.md`, the
//! workspace `before` it and the workspace `after` staging and writing it. `before`/`after`
//! are one file (at the path in `path`, default `src/lib.rs`, which is also the file the
//! request was about) or folders (the request about the file in `path`, if any). Optional:
//! `expected_refusals` (one line per refused block, in order, each a part of its message),
//! `incomplete` (the reply ends inside a block), `setup` (`symlink LINK TARGET` lines; git
//! cannot keep symlinks portably). `$ROOT` and `$OUTSIDE` in a reply stand for the workspace
//! and a folder beside it holding `secret.txt`, which must come out untouched. (A fixture's
//! own `.gitignore` ignores its files for this repository too: those are added with
//! `git add -f`.)
//!
//! Every reply is also fed to the streaming parser in every prefix: what a prefix yields is
//! always a block of the whole reply, never a wrong one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use caret::ai::edit::{ReplyParser, check_target, parse_reply, stage, target_checker};
use caret::context::gate::Gate;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/edits");
const DEFAULT_PATH: &str = "src/lib.rs";
const SECRET: &str = "top secret\n";

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

fn read_optional(path: &Path) -> Option<String> {
    fs::read_to_string(path).ok()
}

/// Every regular file below `dir` (not symlinks, not `.git/`), by `/`-separated path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            let path = entry.path();
            if kind.is_symlink() || entry.file_name() == ".git" {
                continue;
            }
            if kind.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap();
                let rel: Vec<_> = rel
                    .iter()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect();
                out.insert(rel.join("/"), fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.is_dir() {
        walk(dir, dir, &mut out);
    }
    out
}

fn write_tree(root: &Path, files: &BTreeMap<String, Vec<u8>>) {
    for (rel, bytes) in files {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
}

/// The workspace as `before` and `after` describe it: one file at `path`, or a folder.
fn layout(case: &Path, which: &str, path: &str) -> BTreeMap<String, Vec<u8>> {
    let at = case.join(which);
    if at.is_dir() {
        tree(&at)
    } else {
        BTreeMap::from([(path.to_string(), fs::read(&at).unwrap())])
    }
}

struct Outcome {
    problems: Vec<String>,
}

fn run_case(case: &Path) -> Outcome {
    let mut problems = Vec::new();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let outside = dir.path().join("outside");
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::write(root.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::write(root.join(".git/config"), "[core]\n\tbare = false\n").unwrap();
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("secret.txt"), SECRET).unwrap();

    let path_file = read_optional(&case.join("path")).map(|p| p.trim().to_string());
    let single = case.join("before").is_file();
    let path = path_file
        .clone()
        .unwrap_or_else(|| DEFAULT_PATH.to_string());
    write_tree(&root, &layout(case, "before", &path));
    let default_path = if single {
        Some(path.clone())
    } else {
        path_file
    };

    if let Some(setup) = read_optional(&case.join("setup")) {
        for line in setup.lines().filter(|l| !l.trim().is_empty()) {
            let parts: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(
                parts.first(),
                Some(&"symlink"),
                "{}: setup: {line}",
                case.display()
            );
            let target = parts[2].replace("$OUTSIDE", &outside.to_string_lossy());
            let link = root.join(parts[1]);
            fs::create_dir_all(link.parent().unwrap()).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(&target, &link).unwrap();
        }
    }

    let reply = fs::read_to_string(case.join("response.md"))
        .unwrap()
        .replace("$ROOT", &root.to_string_lossy())
        .replace("$OUTSIDE", &outside.to_string_lossy());
    let gate = Gate::new(&root);
    let check = target_checker(&root, &gate);
    let files = |rel: &str| fs::read_to_string(root.join(rel)).ok();
    let staged = stage(&reply, &files, default_path.as_deref(), &check);

    for file in &staged.files {
        // Written where the check says the file really is (symlinks resolved).
        let real = check_target(&root, &gate, &file.path).unwrap();
        fs::create_dir_all(real.parent().unwrap()).unwrap();
        fs::write(&real, &file.proposed).unwrap();
    }

    let expected = layout(case, "after", &path);
    let actual = tree(&root);
    if expected != actual {
        let show = |t: &BTreeMap<String, Vec<u8>>| {
            let mut out = String::new();
            for (rel, bytes) in t {
                out.push_str("--- ");
                out.push_str(rel);
                out.push('\n');
                out.push_str(&String::from_utf8_lossy(bytes));
            }
            out
        };
        problems.push(format!(
            "workspace differs\nexpected:\n{}\nactual:\n{}",
            show(&expected),
            show(&actual)
        ));
    }
    if fs::read_to_string(outside.join("secret.txt")).unwrap() != SECRET
        || tree(&outside).len() != 1
    {
        problems.push("the folder outside the workspace changed".to_string());
    }

    let expected_refusals: Vec<String> = read_optional(&case.join("expected_refusals"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let messages: Vec<String> = staged
        .refused
        .iter()
        .map(caret::ai::edit::Refusal::message)
        .collect();
    let agree = expected_refusals.len() == messages.len()
        && expected_refusals
            .iter()
            .zip(&messages)
            .all(|(want, got)| got.contains(want.as_str()));
    if !agree {
        problems.push(format!(
            "refusals differ\nexpected (parts):\n  {}\nactual:\n  {}",
            expected_refusals.join("\n  "),
            messages.join("\n  ")
        ));
    }
    for refusal in &staged.refused {
        let ask = refusal.for_model();
        if !ask.contains(&refusal.reason) {
            problems.push(format!("for_model lacks the reason: {ask}"));
        }
    }
    let incomplete = case.join("incomplete").exists();
    if staged.incomplete != incomplete {
        problems.push(format!(
            "incomplete: expected {incomplete}, got {}",
            staged.incomplete
        ));
    }
    Outcome { problems }
}

#[test]
fn every_fixture_stages_to_its_after() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} fixtures", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let outcome = run_case(case);
        if !outcome.problems.is_empty() {
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            failures.push(format!("== {name}\n{}", outcome.problems.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The char boundaries of a text, every one of them.
fn boundaries(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.char_indices().map(|(i, _)| i).chain([text.len()])
}

#[test]
fn every_prefix_of_every_reply_yields_only_blocks_of_the_whole() {
    for case in cases() {
        let reply = fs::read_to_string(case.join("response.md")).unwrap();
        let whole = parse_reply(&reply, Some(DEFAULT_PATH));
        for end in boundaries(&reply) {
            let part = parse_reply(&reply[..end], Some(DEFAULT_PATH));
            for block in &part.blocks {
                assert_eq!(
                    whole.blocks.iter().find(|b| b.index == block.index),
                    Some(block),
                    "{}: a prefix of {end} bytes yields a block the whole reply does not",
                    case.display()
                );
            }
            assert!(part.blocks.len() <= whole.blocks.len());
        }
    }
}

#[test]
fn streaming_in_pieces_gives_the_one_shot_result() {
    for case in cases() {
        let reply = fs::read_to_string(case.join("response.md")).unwrap();
        let whole = parse_reply(&reply, Some(DEFAULT_PATH));
        for step in [1, 2, 7, 64] {
            let mut parser = ReplyParser::new(Some(DEFAULT_PATH));
            let mut streamed = Vec::new();
            let mut rest = reply.as_str();
            while !rest.is_empty() {
                let mut cut = step.min(rest.len());
                while !rest.is_char_boundary(cut) {
                    cut += 1;
                }
                let (piece, tail) = rest.split_at(cut);
                for block in parser.push(piece) {
                    // Each block arrives once, complete, and as the whole reply has it.
                    assert!(whole.blocks.contains(&block), "{}", case.display());
                    streamed.push(block);
                }
                rest = tail;
            }
            let finished = parser.finish();
            assert_eq!(finished, whole, "{} in pieces of {step}", case.display());
            // A last line without a newline is only read at the end.
            let tail_blocks = finished.blocks.len() - streamed.len();
            assert!(tail_blocks <= 1, "{}", case.display());
            assert_eq!(
                streamed[..],
                finished.blocks[..streamed.len()],
                "{}",
                case.display()
            );
        }
    }
}

#[test]
fn staging_a_prefix_never_proposes_what_the_whole_reply_does_not() {
    // For replies that apply cleanly: the files a prefix proposes are the whole reply's
    // files after the same blocks, so a streaming review only ever grows.
    let case = Path::new(FIXTURES).join("020_several_blocks_in_order");
    let reply = fs::read_to_string(case.join("response.md")).unwrap();
    let before = fs::read_to_string(case.join("before")).unwrap();
    let files = |rel: &str| (rel == DEFAULT_PATH).then(|| before.clone());
    let check = |rel: &str| Ok::<String, String>(rel.to_string());
    let mut seen = Vec::new();
    for end in boundaries(&reply) {
        let staged = stage(&reply[..end], &files, Some(DEFAULT_PATH), &check);
        assert!(staged.refused.is_empty());
        if let Some(file) = staged.files.first()
            && seen.last() != Some(&file.proposed)
        {
            seen.push(file.proposed.clone());
        }
    }
    assert_eq!(
        seen.len(),
        3,
        "one proposal per block, each built on the last"
    );
    assert_eq!(
        seen.last().unwrap().as_bytes(),
        fs::read(case.join("after")).unwrap()
    );
}
