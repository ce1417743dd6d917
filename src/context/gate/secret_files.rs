//! The names of files whose whole text is secret: they never reach a model, whatever the
//! ignore files say, because redacting lines cannot make a key file or a credentials store safe.

use std::path::Path;

/// Extensions of key stores, certificates with keys, and infrastructure state full of secrets.
const SECRET_EXTENSIONS: &[(&str, &str)] = &[
    ("pem", "*.pem"),
    ("key", "*.key"),
    ("p12", "*.p12"),
    ("pfx", "*.pfx"),
    ("jks", "*.jks"),
    ("keystore", "*.keystore"),
    ("credentials", "*.credentials"),
    ("tfvars", "*.tfvars"),
    ("tfstate", "*.tfstate"),
];

/// Whole names of credential files that tools read from a project or home folder.
const SECRET_NAMES: &[&str] = &[
    ".env",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".git-credentials",
    "credentials",
    "credentials.json",
    ".htpasswd",
];

/// SSH private keys go by their algorithm's default name, often with a suffix (`id_rsa_work`).
const SSH_KEY_PREFIXES: &[(&str, &str)] = &[
    ("id_rsa", "id_rsa*"),
    ("id_dsa", "id_dsa*"),
    ("id_ecdsa", "id_ecdsa*"),
    ("id_ed25519", "id_ed25519*"),
];

/// Suffixes that turn a `.env.*` file into a template meant to be committed and read.
const ENV_TEMPLATE_SUFFIXES: &[&str] = &["example", "sample", "template"];

/// The rule that makes `path` (relative to the workspace root) a secret file, if one does.
/// Names are compared case-insensitively: on case-insensitive file systems `.ENV` is `.env`.
pub(super) fn secret_file_rule(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .map(|p| p.to_string_lossy().to_lowercase());
    match (parent.as_deref(), name.as_str()) {
        (Some(".aws"), "credentials") => return Some(".aws/credentials"),
        (Some(".docker"), "config.json") => return Some(".docker/config.json"),
        _ => {}
    }
    if let Some(rule) = SECRET_NAMES.iter().find(|n| **n == name) {
        return Some(rule);
    }
    if let Some(rest) = name.strip_prefix(".env.") {
        let last = rest.rsplit('.').next().unwrap_or(rest);
        return (!ENV_TEMPLATE_SUFFIXES.contains(&last)).then_some(".env.*");
    }
    for (prefix, rule) in SSH_KEY_PREFIXES {
        if name.starts_with(prefix) {
            // The public half is meant to be shared.
            let public = name.rsplit_once('.').is_some_and(|(_, ext)| ext == "pub");
            return (!public).then_some(*rule);
        }
    }
    if let Some((stem, ext)) = name.rsplit_once('.') {
        if let Some((_, rule)) = SECRET_EXTENSIONS.iter().find(|(e, _)| *e == ext) {
            return Some(rule);
        }
        if matches!(ext, "yaml" | "yml" | "json" | "toml") {
            match stem {
                "secrets" => return Some("secrets.*"),
                "secret" => return Some("secret.*"),
                _ => {}
            }
        }
        if ext == "json" && stem.starts_with("service-account") {
            return Some("service-account*.json");
        }
        // Terraform keeps the previous state, secrets and all, next to the current one.
        if ext == "backup" && stem.ends_with(".tfstate") {
            return Some("*.tfstate");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(path: &str) -> Option<&'static str> {
        secret_file_rule(Path::new(path))
    }

    #[test]
    fn secret_files_and_the_rule_that_matched() {
        let cases = [
            (".env", ".env"),
            ("app/.ENV", ".env"),
            (".env.local", ".env.*"),
            (".env.production", ".env.*"),
            ("certs/server.pem", "*.pem"),
            ("tls/Server.KEY", "*.key"),
            ("a.p12", "*.p12"),
            ("a.pfx", "*.pfx"),
            ("release.jks", "*.jks"),
            ("android.keystore", "*.keystore"),
            ("id_rsa", "id_rsa*"),
            ("deploy/id_rsa_work", "id_rsa*"),
            ("id_dsa", "id_dsa*"),
            ("id_ecdsa", "id_ecdsa*"),
            ("id_ed25519", "id_ed25519*"),
            (".npmrc", ".npmrc"),
            (".pypirc", ".pypirc"),
            (".netrc", ".netrc"),
            (".git-credentials", ".git-credentials"),
            ("credentials", "credentials"),
            ("gcp/credentials.json", "credentials.json"),
            ("prod.credentials", "*.credentials"),
            ("config/secrets.yaml", "secrets.*"),
            ("secrets.yml", "secrets.*"),
            ("secrets.JSON", "secrets.*"),
            ("secret.toml", "secret.*"),
            ("home/.aws/credentials", ".aws/credentials"),
            (".docker/config.json", ".docker/config.json"),
            ("prod.tfvars", "*.tfvars"),
            ("terraform.tfstate", "*.tfstate"),
            ("terraform.tfstate.backup", "*.tfstate"),
            (".htpasswd", ".htpasswd"),
            ("service-account.json", "service-account*.json"),
            ("service-account-prod.json", "service-account*.json"),
        ];
        for (path, expected) in cases {
            assert_eq!(rule(path), Some(expected), "{path}");
        }
    }

    #[test]
    fn ordinary_files_and_templates_pass() {
        for path in [
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.local.example",
            "environment.rs",
            "src/env.rs",
            ".envrc.md",
            "id_rsa.pub",
            "deploy/id_ed25519_ci.pub",
            "keys.rs",
            "src/key.rs",
            "keyboard.json",
            "secrets.rs",
            "secret_handshake.md",
            "config.json",
            "docker/config.json",
            "credentials.md",
            "main.tf",
            "service-account.yaml",
            "README.md",
        ] {
            assert_eq!(rule(path), None, "{path}");
        }
    }
}
