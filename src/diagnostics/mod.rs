//! Diagnostics: what a check command (a compiler, a linter, the tests) reports about the
//! files, read from its output, and the running of that command with a time limit.

pub mod check;
pub mod parse;
pub mod scratch;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "note",
        }
    }
}

/// One problem at one place, as the check command reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// As the command printed it: relative to the folder it ran in, or absolute.
    pub path: String,
    /// 0-based line and column (in characters, as compilers count them) where it starts.
    pub line: usize,
    pub col: usize,
    /// 0-based last line it covers.
    pub end_line: usize,
    pub severity: Severity,
    /// The one-line message ("mismatched types").
    pub message: String,
    /// The compiler's code for it ("E0308"), when it has one.
    pub code: Option<String>,
    /// The full text the compiler would print (with the notes and the code excerpt).
    pub rendered: Option<String>,
}

impl Diagnostic {
    /// Same place and message (a crate checked for several targets reports twice).
    pub fn same_as(&self, other: &Self) -> bool {
        self.path == other.path
            && self.line == other.line
            && self.col == other.col
            && self.message == other.message
    }

    /// "src/lib.rs:3:5: error: mismatched types [E0308]".
    pub fn one_line(&self) -> String {
        let code = self
            .code
            .as_ref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        format!(
            "{}:{}:{}: {}: {}{code}",
            self.path,
            self.line + 1,
            self.col + 1,
            self.severity.label(),
            self.message
        )
    }
}
