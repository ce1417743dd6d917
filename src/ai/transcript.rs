//! The chat transcript of a workspace and its journal: every question, every delta as it
//! arrives and every outcome is appended to `$XDG_STATE_HOME/caret/chats/<workspace>.jsonl`,
//! so a crash or a cut connection never loses a partial answer and the chat resumes later.

use std::fs::{File, OpenOptions};
use std::io::{BufRead as _, BufReader, BufWriter, Write as _};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// At most this many exchanges (the latest) are read back into the pane.
pub const MAX_RESUMED: usize = 200;

/// How an answer ended (or that it has not yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "reason")]
pub enum Outcome {
    Running,
    Done,
    /// The request failed; the text so far is kept.
    Failed(String),
    Cancelled,
    /// The journal has no outcome: caret stopped while the answer was streaming.
    Interrupted,
}

/// Figures about one answer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AnswerStats {
    pub model: String,
    pub ttft_ms: Option<u64>,
    pub duration_ms: Option<u64>,
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    /// Token counts were counted here, not reported by the API.
    pub counted: bool,
    pub cost: Option<f64>,
}

/// One question and its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub id: u64,
    /// What the user typed (or "Explain …").
    pub question: String,
    /// The user message as sent (question plus code), for follow-ups.
    pub prompt: String,
    /// "src/a.rs:3-9 (`function_item`)", when code went along.
    pub context: Option<String>,
    pub answer: String,
    pub outcome: Outcome,
    pub stats: AnswerStats,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Record {
    Question {
        id: u64,
        question: String,
        prompt: String,
        context: Option<String>,
        model: String,
    },
    Delta {
        id: u64,
        text: String,
    },
    End {
        id: u64,
        outcome: Outcome,
        stats: AnswerStats,
    },
}

/// The journal file of a workspace: `chats/<folder name>-<hash of its path>.jsonl`.
pub fn journal_path(state_dir: &Path, workspace: &Path) -> PathBuf {
    crate::config::workspace_file(state_dir, "chats", workspace, "jsonl")
}

/// Appends records; a failed write is reported once and the chat goes on in memory.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Option<BufWriter<File>>,
}

impl Journal {
    pub fn new(path: PathBuf) -> Self {
        Self { path, file: None }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn append(&mut self, record: &Record) -> std::io::Result<()> {
        if self.file.is_none() {
            if let Some(dir) = self.path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            // Chats quote the user's code: readable by the user only.
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .read(true)
                .mode(0o600)
                .open(&self.path)?;
            let mut file = BufWriter::new(file);
            // A record torn by a crash must not swallow the next one.
            let len = file.get_ref().metadata()?.len();
            let mut last = [0u8];
            if len > 0 {
                std::os::unix::fs::FileExt::read_exact_at(file.get_ref(), &mut last, len - 1)?;
                if last[0] != b'\n' {
                    file.write_all(b"\n")?;
                }
            }
            self.file = Some(file);
        }
        let Some(file) = self.file.as_mut() else {
            return Ok(());
        };
        let mut line = serde_json::to_vec(record).map_err(std::io::Error::other)?;
        line.push(b'\n');
        file.write_all(&line)
    }

    pub fn question(&mut self, exchange: &Exchange) -> std::io::Result<()> {
        self.append(&Record::Question {
            id: exchange.id,
            question: exchange.question.clone(),
            prompt: exchange.prompt.clone(),
            context: exchange.context.clone(),
            model: exchange.stats.model.clone(),
        })
    }

    pub fn delta(&mut self, id: u64, text: &str) -> std::io::Result<()> {
        self.append(&Record::Delta {
            id,
            text: text.to_string(),
        })
    }

    pub fn end(&mut self, exchange: &Exchange) -> std::io::Result<()> {
        self.append(&Record::End {
            id: exchange.id,
            outcome: exchange.outcome.clone(),
            stats: exchange.stats.clone(),
        })
    }

    /// Pushes buffered records to the file (the loop calls this once per batch of events).
    pub fn flush(&mut self) -> std::io::Result<()> {
        match self.file.as_mut() {
            Some(file) => file.flush(),
            None => Ok(()),
        }
    }

    /// Forgets the transcript: the file is emptied.
    pub fn clear(&mut self) -> std::io::Result<()> {
        self.file = None;
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Reads the transcript back. Unreadable lines (a record cut by a crash) are skipped;
    /// answers without an outcome come back as `Interrupted`.
    pub fn load(&self) -> std::io::Result<Vec<Exchange>> {
        let file = match File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut exchanges: Vec<Exchange> = Vec::new();
        for line in BufReader::new(file).lines() {
            let Ok(record) = serde_json::from_str::<Record>(&line?) else {
                continue;
            };
            match record {
                Record::Question {
                    id,
                    question,
                    prompt,
                    context,
                    model,
                } => exchanges.push(Exchange {
                    id,
                    question,
                    prompt,
                    context,
                    answer: String::new(),
                    outcome: Outcome::Interrupted,
                    stats: AnswerStats {
                        model,
                        ..AnswerStats::default()
                    },
                }),
                Record::Delta { id, text } => {
                    if let Some(e) = exchanges.iter_mut().rev().find(|e| e.id == id) {
                        e.answer.push_str(&text);
                    }
                }
                Record::End { id, outcome, stats } => {
                    if let Some(e) = exchanges.iter_mut().rev().find(|e| e.id == id) {
                        e.outcome = outcome;
                        e.stats = stats;
                    }
                }
            }
        }
        // A long history stays on disk; the pane resumes with its latest part.
        let excess = exchanges.len().saturating_sub(MAX_RESUMED);
        exchanges.drain(..excess);
        Ok(exchanges)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(id: u64) -> Exchange {
        Exchange {
            id,
            question: format!("q{id}"),
            prompt: format!("prompt {id}"),
            context: None,
            answer: String::new(),
            outcome: Outcome::Running,
            stats: AnswerStats {
                model: "m".into(),
                ..AnswerStats::default()
            },
        }
    }

    #[test]
    fn deltas_survive_without_an_end_and_a_torn_last_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = journal_path(dir.path(), Path::new("/home/u/my project"));
        assert!(path.to_string_lossy().contains("chats/my_project-"));
        let mut j = Journal::new(path.clone());
        let mut done = exchange(1);
        j.question(&done).unwrap();
        j.delta(1, "Hello ").unwrap();
        j.delta(1, "world").unwrap();
        done.outcome = Outcome::Done;
        done.stats.output_tokens = Some(2);
        j.end(&done).unwrap();
        j.question(&exchange(2)).unwrap();
        j.delta(2, "partial ✓").unwrap();
        j.flush().unwrap();
        // A crash in the middle of a write leaves half a line.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"delta\":{\"id\":2,\"te").unwrap();
        drop(f);
        let mut after_crash = Journal::new(path.clone());
        let mut third = exchange(3);
        third.outcome = Outcome::Cancelled;
        after_crash.question(&third).unwrap();
        after_crash.end(&third).unwrap();
        after_crash.flush().unwrap();
        let loaded = Journal::new(path.clone()).load().unwrap();
        assert_eq!(loaded.len(), 3);
        assert_eq!(loaded[2].outcome, Outcome::Cancelled);
        assert_eq!(loaded[0].answer, "Hello world");
        assert_eq!(loaded[0].outcome, Outcome::Done);
        assert_eq!(loaded[0].stats.output_tokens, Some(2));
        assert_eq!(loaded[1].answer, "partial ✓");
        assert_eq!(loaded[1].outcome, Outcome::Interrupted);
        j.clear().unwrap();
        assert!(Journal::new(path).load().unwrap().is_empty());
    }
}
