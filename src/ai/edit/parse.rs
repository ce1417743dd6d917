//! Reading SEARCH/REPLACE blocks out of a model's reply, as it streams in or whole: markers
//! with 5 to 9 angle brackets, blocks in any fence or none, prose around them, CRLF, and the
//! path wherever models put it — on the line before the fence, in the fence's info string, as
//! the fence's first line, or just before the SEARCH marker when there is no fence.

use super::fenced::fence_line;
use super::path_line::{path_in_info, path_in_line};
use super::text::with_newlines;

/// One SEARCH/REPLACE block of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Its place among the reply's blocks (malformed ones included), from 0.
    pub index: usize,
    /// The file it is for, as the reply wrote it: its own path line, else the previous
    /// block's, else the request's file; `None` when there is none of these.
    pub path: Option<String>,
    /// The lines to find, each ending with `\n`; empty to create a file.
    pub search: String,
    /// The lines to put there, each ending with `\n`.
    pub replace: String,
    /// The reply's line (from 1) holding its `<<<<<<< SEARCH`.
    pub line: usize,
}

/// A block that started but broke off: another block began before its divider or its
/// `>>>>>>> REPLACE`, or its end came without a divider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// Its place among the reply's blocks, from 0.
    pub index: usize,
    /// The file it was for, found as for a [`Block`].
    pub path: Option<String>,
    /// What is missing, for people.
    pub reason: String,
    /// The SEARCH lines it had, each ending with `\n`.
    pub search: String,
    /// The REPLACE lines it had (none when the divider never came).
    pub replace: String,
    /// The reply's line (from 1) holding its `<<<<<<< SEARCH`.
    pub line: usize,
}

/// Everything read from a reply.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedReply {
    /// Complete blocks, in reply order.
    pub blocks: Vec<Block>,
    /// Blocks that broke off, in reply order.
    pub malformed: Vec<Malformed>,
    /// A block has begun and its `>>>>>>> REPLACE` has not arrived (yet): the reply is still
    /// streaming, or was cut off.
    pub incomplete: bool,
}

/// Reads blocks from a reply fed piece by piece. Only whole lines are read until
/// [`ReplyParser::finish`], so a block is returned once, complete, and never changes.
#[derive(Debug, Clone)]
pub struct ReplyParser {
    default_path: Option<String>,
    last_path: Option<String>,
    /// The lines since the last block, newest last, at most [`LOOKBACK`].
    recent: Vec<Recent>,
    in_fence: bool,
    state: State,
    partial: String,
    line_no: usize,
    started: usize,
    out: ParsedReply,
}

/// How many lines back from a SEARCH marker a path may be.
const LOOKBACK: usize = 6;

#[derive(Debug, Clone)]
struct Recent {
    text: String,
    /// A fence line that opened a fence, and its info string.
    opener: Option<String>,
}

#[derive(Debug, Clone)]
enum State {
    Outside,
    Inside(Open),
}

#[derive(Debug, Clone)]
struct Open {
    index: usize,
    line: usize,
    path: Option<String>,
    /// The SEARCH marker's indentation, taken off every line (blocks nested in list items).
    indent: String,
    search: Vec<String>,
    /// `Some` once the divider came.
    replace: Option<Vec<String>>,
}

impl ReplyParser {
    /// A parser for one reply; blocks without a path of their own (or a previous block's)
    /// go to `default_path`, the file the request was about.
    pub fn new(default_path: Option<&str>) -> Self {
        Self {
            default_path: default_path.map(str::to_string),
            last_path: None,
            recent: Vec::new(),
            in_fence: false,
            state: State::Outside,
            partial: String::new(),
            line_no: 0,
            started: 0,
            out: ParsedReply::default(),
        }
    }

    /// Feeds more of the reply; returns the blocks it completed.
    pub fn push(&mut self, delta: &str) -> Vec<Block> {
        let before = self.out.blocks.len();
        self.partial.push_str(delta);
        while let Some(end) = self.partial.find('\n') {
            let line: String = self.partial.drain(..=end).collect();
            self.line(&line[..line.len() - 1]);
        }
        self.out.blocks[before..].to_vec()
    }

    /// What was read so far, as if the reply ended here: a last line without a newline is
    /// read too (without being consumed).
    pub fn snapshot(&self) -> ParsedReply {
        self.clone().finish()
    }

    /// Ends the reply: reads a last line without a newline and says whether a block was left
    /// open.
    pub fn finish(mut self) -> ParsedReply {
        if !self.partial.is_empty() {
            let last = std::mem::take(&mut self.partial);
            self.line(&last);
        }
        self.out.incomplete = matches!(self.state, State::Inside(_));
        self.out
    }

    fn line(&mut self, raw: &str) {
        self.line_no += 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let state = std::mem::replace(&mut self.state, State::Outside);
        self.state = match state {
            State::Outside => self.outside(line),
            State::Inside(open) => self.inside(open, line),
        };
    }

    fn outside(&mut self, line: &str) -> State {
        if let Some(indent) = search_marker(line) {
            return self.open(indent);
        }
        let mut opener = None;
        if let Some(fence) = fence_line(line) {
            if fence.info.is_empty() && self.in_fence {
                self.in_fence = false;
            } else {
                self.in_fence = true;
                opener = Some(fence.info.to_string());
            }
        }
        if divider(line) || replace_marker(line) {
            // A stray marker outside any block: nothing to apply, nothing to attach a path to.
            self.recent.clear();
            return State::Outside;
        }
        self.recent.push(Recent {
            text: line.to_string(),
            opener,
        });
        if self.recent.len() > LOOKBACK {
            self.recent.remove(0);
        }
        State::Outside
    }

    fn open(&mut self, indent: &str) -> State {
        let path = self
            .path_before()
            .or_else(|| self.last_path.clone())
            .or_else(|| self.default_path.clone());
        self.last_path.clone_from(&path);
        self.recent.clear();
        let index = self.started;
        self.started += 1;
        State::Inside(Open {
            index,
            line: self.line_no,
            path,
            indent: indent.to_string(),
            search: Vec::new(),
            replace: None,
        })
    }

    /// The path written just before a SEARCH marker: the nearest non-blank line if it is a
    /// path, or, when that line opened a fence, its info string or the line before it.
    fn path_before(&self) -> Option<String> {
        let mut lines = self
            .recent
            .iter()
            .rev()
            .filter(|r| !r.text.trim().is_empty());
        let first = lines.next()?;
        match &first.opener {
            Some(info) => path_in_info(info).or_else(|| {
                let before = lines.next()?;
                if before.opener.is_some() {
                    return None;
                }
                path_in_line(&before.text)
            }),
            None if fence_line(&first.text).is_some() => None,
            None => path_in_line(&first.text),
        }
    }

    fn inside(&mut self, mut open: Open, line: &str) -> State {
        if let Some(indent) = search_marker(line) {
            let reason = if open.replace.is_some() {
                "no \">>>>>>> REPLACE\" line before the next block"
            } else {
                "no \"=======\" line before the next block"
            };
            self.malformed(open, reason);
            return self.open(indent);
        }
        if replace_marker(line) {
            match open.replace {
                Some(replace) => self.out.blocks.push(Block {
                    index: open.index,
                    path: open.path,
                    search: joined(&open.search),
                    replace: joined(&replace),
                    line: open.line,
                }),
                None => self.malformed(open, "no \"=======\" line between SEARCH and REPLACE"),
            }
            return State::Outside;
        }
        match &mut open.replace {
            None if divider(line) => open.replace = Some(Vec::new()),
            None => open.search.push(dedent(line, &open.indent)),
            Some(replace) => replace.push(dedent(line, &open.indent)),
        }
        State::Inside(open)
    }

    fn malformed(&mut self, open: Open, reason: &str) {
        self.out.malformed.push(Malformed {
            index: open.index,
            path: open.path,
            reason: reason.to_string(),
            search: joined(&open.search),
            replace: open.replace.as_deref().map(joined).unwrap_or_default(),
            line: open.line,
        });
    }
}

/// All blocks of a whole reply (or of a prefix of one: a block whose end has not arrived is
/// left out and `incomplete` is set).
pub fn parse_reply(reply: &str, default_path: Option<&str>) -> ParsedReply {
    let mut parser = ReplyParser::new(default_path);
    parser.push(reply);
    parser.finish()
}

fn joined(lines: &[String]) -> String {
    with_newlines(lines.iter().map(String::as_str))
}

fn dedent(line: &str, indent: &str) -> String {
    line.strip_prefix(indent).unwrap_or(line).to_string()
}

/// A run of 5 to 9 of `c` at the start of the trimmed line, and what follows it.
fn marker_run(line: &str, c: char) -> Option<&str> {
    let t = line.trim();
    let run = t.chars().take_while(|&x| x == c).count();
    (5..=9).contains(&run).then(|| t[run..].trim())
}

/// `<<<<<<< SEARCH` (or aider's older `ORIGINAL`): the indentation before it.
fn search_marker(line: &str) -> Option<&str> {
    let word = marker_run(line, '<')?;
    (word.eq_ignore_ascii_case("SEARCH") || word.eq_ignore_ascii_case("ORIGINAL"))
        .then(|| &line[..line.len() - line.trim_start().len()])
}

/// `=======`.
fn divider(line: &str) -> bool {
    marker_run(line, '=').is_some_and(str::is_empty)
}

/// `>>>>>>> REPLACE` (or aider's older `UPDATED`).
fn replace_marker(line: &str) -> bool {
    marker_run(line, '>')
        .is_some_and(|w| w.eq_ignore_ascii_case("REPLACE") || w.eq_ignore_ascii_case("UPDATED"))
}

#[cfg(test)]
mod tests;
