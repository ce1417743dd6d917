//! `caret edit FILE[:START-END] -m INSTRUCTION [--apply]`: asks the model for a change — the
//! region's new text for a range, SEARCH/REPLACE blocks for a whole file — stages it through
//! the tolerant matcher and the target checks, prints it as a unified diff `git apply` takes,
//! and with `--apply` writes every changed file or none.

use std::path::{Path, PathBuf};

use super::HeadlessError;
use crate::ai::edit::{Staged, StagedFile, fenced_replacement, stage, target_checker};
use crate::ai::{ChatMessage, Role, prompt, tokens};
use crate::context::assemble::{Piece, PieceKind, lines_of};
use crate::context::engine::{Engine, Spot};

/// `FILE`, `FILE:LINE` or `FILE:START-END` (1-based, inclusive) as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditTarget {
    pub path: PathBuf,
    pub lines: Option<(u32, u32)>,
}

impl EditTarget {
    /// Reads the target; a range that is not `START-END` with `1 <= START <= END` is a usage
    /// error.
    pub fn parse(text: &str) -> Result<Self, String> {
        let Some((path, range)) = text.rsplit_once(':') else {
            return Ok(Self {
                path: PathBuf::from(text),
                lines: None,
            });
        };
        let number = |s: &str| s.parse::<u32>().ok().filter(|n| *n > 0);
        let lines = match range.split_once('-') {
            Some((a, b)) => number(a).zip(number(b)),
            None => number(range).map(|n| (n, n)),
        };
        match lines {
            Some((a, b)) if a <= b => Ok(Self {
                path: PathBuf::from(path),
                lines: Some((a, b)),
            }),
            // Not a range at all: a file name with a colon in it.
            _ if !range.starts_with(|c: char| c.is_ascii_digit()) => Ok(Self {
                path: PathBuf::from(text),
                lines: None,
            }),
            _ => Err(format!(
                "{text}: the lines must be START-END with 1 <= START <= END"
            )),
        }
    }
}

/// What will be asked: the messages, and what the reply will be read against.
#[derive(Debug, Clone)]
pub struct EditRequest {
    /// Workspace-relative path of the file.
    pub rel: String,
    /// Its text when it was read.
    pub text: String,
    /// The 1-based inclusive lines to rewrite; `None`: the whole file, by SEARCH/REPLACE.
    pub region: Option<(u32, u32)>,
    pub messages: Vec<ChatMessage>,
}

/// Builds the request to change `target` as `instruction` says, with context from `engine`
/// within `budget` tokens. Secret and ignored files, binary files and regions holding a likely
/// secret are refused: a placeholder sent for a secret would come back and replace it.
pub fn prepare_edit(
    engine: &Engine,
    target: &EditTarget,
    instruction: &str,
    budget: usize,
) -> Result<EditRequest, HeadlessError> {
    let shown = target.path.display();
    let absolute = std::fs::canonicalize(&target.path)
        .map_err(|e| HeadlessError::Input(format!("cannot read {shown}: {e}")))?;
    let rel = engine.relative(&absolute).ok_or_else(|| {
        HeadlessError::Input(format!(
            "{shown} is outside the workspace {}",
            engine.root.display()
        ))
    })?;
    crate::ai::edit::check_target(&engine.root, &engine.gate, &rel)
        .map_err(|e| HeadlessError::Input(format!("{rel}: {e}")))?;
    let text = std::fs::read_to_string(&absolute)
        .map_err(|e| HeadlessError::Input(format!("cannot read {shown}: {e}")))?;
    let language = engine
        .languages
        .detect(Some(Path::new(&rel)), text.lines().next().unwrap_or(""))
        .and_then(|l| engine.languages.get(l))
        .map(|l| l.name.clone());
    let secret_at = |first: u32, last: u32| {
        let (_, withheld) = engine
            .gate
            .redact(&rel, &lines_of(&text, first - 1, last - 1));
        withheld.first().map(|w| w.what.clone())
    };
    let (system, user) = if let Some((first, last)) = target.lines {
        let count = text.split_inclusive('\n').count() as u32;
        if last > count {
            return Err(HeadlessError::Input(format!(
                "{rel} has {count} lines; lines {first}-{last} are not all in it"
            )));
        }
        if let Some(what) = secret_at(first, last) {
            return Err(HeadlessError::Input(format!(
                "{rel}:{first}-{last} holds a likely secret ({what}); choose lines without it"
            )));
        }
        let region = Piece {
            kind: PieceKind::EnclosingItem,
            path: rel.clone(),
            lines: (first, last),
            why: "the region to change".to_string(),
            tokens: 0,
            text: lines_of(&text, first - 1, last - 1),
            language: language.clone(),
        };
        // The code around and what it uses, for reference; the region itself goes first.
        let around = engine.context(
            &rel,
            &text,
            &Spot::Lines(first - 1, last - 1),
            budget,
            &tokens::count,
        );
        let mut pieces = vec![region];
        pieces.extend(
            around
                .pieces
                .into_iter()
                .filter(|p| p.kind != PieceKind::EnclosingItem),
        );
        let ask = prompt::edit_region(instruction, &rel, first, last);
        (
            prompt::SYSTEM.to_string(),
            prompt::user_message_with(&ask, &pieces),
        )
    } else {
        let lines = text.split_inclusive('\n').count().max(1) as u32;
        if let Some(what) = secret_at(1, lines) {
            return Err(HeadlessError::Input(format!(
                "{rel} holds a likely secret ({what}); give a range of lines without it"
            )));
        }
        let size = tokens::count(&text);
        if size > budget {
            return Err(HeadlessError::Input(format!(
                "{rel} is {size} tokens, more than the budget of {budget}; give a range (FILE:START-END)"
            )));
        }
        let whole = Piece {
            kind: PieceKind::EnclosingItem,
            path: rel.clone(),
            lines: (1, lines),
            why: "the file to change".to_string(),
            tokens: size,
            text: text.clone(),
            language,
        };
        let ask = prompt::edit_file(instruction, &rel);
        (
            format!("{}\n\n{}", prompt::SYSTEM, prompt::EDIT_FORMAT),
            prompt::user_message_with(&ask, &[whole]),
        )
    };
    Ok(EditRequest {
        rel,
        text,
        region: target.lines,
        messages: vec![
            ChatMessage::new(Role::System, system),
            ChatMessage::new(Role::User, user),
        ],
    })
}

/// Reads the reply against the request: the region's new text, or every SEARCH/REPLACE block
/// matched in the workspace at `root` (through the target checks).
pub fn stage_reply(engine: &Engine, request: &EditRequest, reply: &str) -> Staged {
    let Some((first, last)) = request.region else {
        let read = |rel: &str| std::fs::read_to_string(engine.root.join(rel)).ok();
        let check = target_checker(&engine.root, &engine.gate);
        return stage(reply, &read, Some(&request.rel), &check);
    };
    let mut staged = Staged::default();
    let Some(new_region) = fenced_replacement(reply) else {
        staged.refused.push(crate::ai::edit::Refusal {
            block: 0,
            path: request.rel.clone(),
            kind: crate::ai::edit::RefusalKind::Malformed,
            reason: "the reply holds no code block with the region's new text".to_string(),
            nearest: Vec::new(),
            search: String::new(),
            replace: String::new(),
        });
        return staged;
    };
    staged.files.push(StagedFile {
        path: request.rel.clone(),
        base: Some(request.text.clone()),
        proposed: replace_lines(&request.text, first, last, &new_region),
        blocks: vec![0],
    });
    staged
}

/// `text` with lines `first..=last` (1-based) replaced by `region`, which takes the line
/// ending the replaced lines had (CRLF files stay CRLF, a last line without one stays so).
pub fn replace_lines(text: &str, first: u32, last: u32, region: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let (first, last) = (first as usize - 1, (last as usize).min(lines.len()));
    let old_last = lines.get(last.wrapping_sub(1)).copied().unwrap_or("");
    let crlf = old_last.ends_with("\r\n") || text.contains("\r\n");
    let ending = if old_last.ends_with('\n') {
        if crlf { "\r\n" } else { "\n" }
    } else {
        ""
    };
    let mut out: String = lines[..first.min(lines.len())].concat();
    let body = region.strip_suffix('\n').unwrap_or(region);
    let body = body.strip_suffix('\r').unwrap_or(body);
    for (i, line) in body.split('\n').enumerate() {
        if i > 0 {
            out.push_str(if crlf { "\r\n" } else { "\n" });
        }
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
    }
    if !(body.is_empty() && region.is_empty()) {
        out.push_str(ending);
    }
    out.push_str(&lines[last..].concat());
    out
}

/// Writes every staged file, or none: each target is checked against the text the change was
/// made from before anything is written; a write that fails puts back the files written
/// before it.
pub fn apply(root: &Path, files: &[StagedFile]) -> Result<(), HeadlessError> {
    let mut stamps = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        let now = match std::fs::read(&path) {
            Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(HeadlessError::Input(format!(
                    "cannot read {}: {e}",
                    file.path
                )));
            }
        };
        if now != file.base {
            return Err(HeadlessError::Input(format!(
                "{} changed while the model was answering; nothing was written",
                file.path
            )));
        }
        let stamp = crate::core::save::disk_stamp(&path)
            .map_err(|e| HeadlessError::Input(format!("cannot read {}: {e}", file.path)))?;
        stamps.push((path, stamp));
    }
    let mut written: Vec<usize> = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let (path, stamp) = &stamps[i];
        if let Err(e) = write(path, &file.proposed, *stamp, false) {
            // Put back what was already written: all or nothing.
            for &j in written.iter().rev() {
                let (back, _) = &stamps[j];
                match &files[j].base {
                    Some(base) => {
                        let _ = write(back, base, None, true);
                    }
                    None => {
                        let _ = std::fs::remove_file(back);
                    }
                }
            }
            return Err(HeadlessError::Input(format!("{e}; nothing was written")));
        }
        written.push(i);
    }
    Ok(())
}

fn write(
    path: &Path,
    text: &str,
    expected: Option<crate::core::save::DiskStamp>,
    force: bool,
) -> Result<(), crate::core::save::SaveError> {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let rope = ropey::Rope::from_str(text);
    crate::core::save::save(&crate::core::save::SaveRequest {
        path,
        text: rope.slice(..),
        bom: false,
        expected,
        force,
    })
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_and_ranges() {
        let t = EditTarget::parse("src/a.rs:3-9").unwrap();
        assert_eq!(t.lines, Some((3, 9)));
        assert_eq!(EditTarget::parse("a.rs:4").unwrap().lines, Some((4, 4)));
        assert_eq!(EditTarget::parse("a.rs").unwrap().lines, None);
        assert_eq!(
            EditTarget::parse("notes:draft").unwrap().path,
            PathBuf::from("notes:draft")
        );
        assert!(EditTarget::parse("a.rs:9-3").is_err());
        assert!(EditTarget::parse("a.rs:0-3").is_err());
    }

    #[test]
    fn replacing_lines_keeps_the_endings() {
        assert_eq!(replace_lines("a\nb\nc\n", 2, 2, "B\nB2\n"), "a\nB\nB2\nc\n");
        assert_eq!(replace_lines("a\nb\nc\n", 2, 2, "B"), "a\nB\nc\n");
        assert_eq!(
            replace_lines("a\r\nb\r\nc\r\n", 1, 2, "x\ny\n"),
            "x\r\ny\r\nc\r\n"
        );
        assert_eq!(replace_lines("a\nb", 2, 2, "z\n"), "a\nz");
        assert_eq!(replace_lines("a\nb\nc\n", 1, 3, "only\n"), "only\n");
    }
}
