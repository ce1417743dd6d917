//! Which language a file is: the table in grammars/languages.toml (extensions, file names,
//! shebang interpreters, names used in Markdown fences) and the grammars linked into caret.

use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LanguageConfig {
    /// Also the folder of its queries: grammars/<name>/.
    pub name: String,
    /// Shown in the status line.
    pub display: String,
    /// Which linked grammar parses it (see `grammar`).
    pub grammar: String,
    #[serde(default)]
    pub extensions: Vec<String>,
    #[serde(default)]
    pub file_names: Vec<String>,
    /// Interpreter names after `#!`, e.g. `python3` for `#!/usr/bin/env python3`.
    #[serde(default)]
    pub shebangs: Vec<String>,
    /// The line comment token ("" when the language has none).
    #[serde(default)]
    pub comment: String,
    /// Names that pick this language in a Markdown code fence and similar injections.
    #[serde(default)]
    pub injection_names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguagesFile {
    language: Vec<LanguageConfig>,
}

#[derive(Debug, thiserror::Error)]
pub enum LanguagesError {
    #[error("languages.toml: {0}")]
    Parse(String),
    #[error("languages.toml: language `{language}` names unknown grammar `{grammar}`")]
    UnknownGrammar { language: String, grammar: String },
}

/// The grammars caret is built with.
pub fn grammar(name: &str) -> Option<tree_sitter::Language> {
    Some(match name {
        "rust" => tree_sitter_rust::LANGUAGE.into(),
        "python" => tree_sitter_python::LANGUAGE.into(),
        "javascript" => tree_sitter_javascript::LANGUAGE.into(),
        "typescript" => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        "tsx" => tree_sitter_typescript::LANGUAGE_TSX.into(),
        "go" => tree_sitter_go::LANGUAGE.into(),
        "c" => tree_sitter_c::LANGUAGE.into(),
        "cpp" => tree_sitter_cpp::LANGUAGE.into(),
        "json" => tree_sitter_json::LANGUAGE.into(),
        "toml" => tree_sitter_toml_ng::LANGUAGE.into(),
        "markdown" => tree_sitter_md::LANGUAGE.into(),
        "markdown_inline" => tree_sitter_md::INLINE_LANGUAGE.into(),
        "bash" => tree_sitter_bash::LANGUAGE.into(),
        "yaml" => tree_sitter_yaml::LANGUAGE.into(),
        _ => return None,
    })
}

/// The language table, in file order.
#[derive(Debug, Clone, Default)]
pub struct Languages {
    list: Vec<LanguageConfig>,
}

impl Languages {
    pub fn parse(text: &str) -> Result<Self, LanguagesError> {
        let file: LanguagesFile = toml::from_str(text)
            .map_err(|e| LanguagesError::Parse(e.to_string().trim().replace('\n', " ")))?;
        for lang in &file.language {
            if grammar(&lang.grammar).is_none() {
                return Err(LanguagesError::UnknownGrammar {
                    language: lang.name.clone(),
                    grammar: lang.grammar.clone(),
                });
            }
        }
        Ok(Self {
            list: file.language,
        })
    }

    pub fn all(&self) -> &[LanguageConfig] {
        &self.list
    }

    pub fn get(&self, index: usize) -> Option<&LanguageConfig> {
        self.list.get(index)
    }

    pub fn by_name(&self, name: &str) -> Option<usize> {
        self.list.iter().position(|l| l.name == name)
    }

    /// The language a fence info string or an injection names (`rs`, `Rust`, `py`…).
    pub fn by_injection_name(&self, name: &str) -> Option<usize> {
        let name = name.trim().to_ascii_lowercase();
        self.list
            .iter()
            .position(|l| l.injection_names.contains(&name))
            .or_else(|| self.by_name(&name))
    }

    /// The language of a file: by exact file name, then extension, then the `#!` line.
    pub fn detect(&self, path: Option<&Path>, first_line: &str) -> Option<usize> {
        if let Some(path) = path {
            let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if let Some(i) = self
                .list
                .iter()
                .position(|l| l.file_names.iter().any(|n| n == file_name))
            {
                return Some(i);
            }
            if let Some(ext) = path.extension().and_then(|e| e.to_str())
                && let Some(i) = self
                    .list
                    .iter()
                    .position(|l| l.extensions.iter().any(|e| e.eq_ignore_ascii_case(ext)))
            {
                return Some(i);
            }
        }
        let interpreter = shebang_interpreter(first_line)?;
        self.list
            .iter()
            .position(|l| l.shebangs.iter().any(|s| s == interpreter))
    }
}

/// `python3` from `#!/usr/bin/env python3 -u`, `bash` from `#!/bin/bash`; version suffixes
/// such as `python3.12` are cut back to `python3`.
fn shebang_interpreter(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("#!")?.trim();
    let mut words = rest.split_whitespace();
    let mut program = words.next()?.rsplit('/').next()?;
    if program == "env" {
        program = words.find(|w| !w.starts_with('-'))?;
    }
    Some(program.split_once('.').map_or(program, |(name, _)| name))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r##"
[[language]]
name = "python"
display = "Python"
grammar = "python"
extensions = ["py", "pyi"]
shebangs = ["python", "python3"]
comment = "#"
injection-names = ["python", "py"]

[[language]]
name = "toml"
display = "TOML"
grammar = "toml"
extensions = ["toml"]
file-names = ["Cargo.lock"]
comment = "#"
"##;

    #[test]
    fn detects_by_name_extension_and_shebang() {
        let langs = Languages::parse(TABLE).unwrap();
        let name = |i: Option<usize>| i.map(|i| langs.get(i).unwrap().name.clone());
        assert_eq!(
            name(langs.detect(Some(Path::new("a/b.PY")), "")),
            Some("python".into())
        );
        assert_eq!(
            name(langs.detect(Some(Path::new("Cargo.lock")), "")),
            Some("toml".into())
        );
        assert_eq!(
            name(langs.detect(Some(Path::new("script")), "#!/usr/bin/env -S python3.12 -u")),
            Some("python".into())
        );
        assert_eq!(
            name(langs.detect(None, "#!/usr/bin/python")),
            Some("python".into())
        );
        assert_eq!(langs.detect(Some(Path::new("notes.txt")), "hello"), None);
        assert_eq!(name(langs.by_injection_name(" Py ")), Some("python".into()));
    }

    #[test]
    fn unknown_grammar_is_refused_by_name() {
        let err =
            Languages::parse("[[language]]\nname = \"x\"\ndisplay = \"X\"\ngrammar = \"cobol\"\n")
                .unwrap_err();
        assert!(err.to_string().contains("unknown grammar `cobol`"), "{err}");
    }
}
