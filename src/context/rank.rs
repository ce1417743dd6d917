//! What matters most in a workspace, from where the user stands: a personalised `PageRank` over
//! the graph of files referencing each other's definitions (as Aider's repo map does), with
//! each file's rank then shared out among the definitions its references point at.

use std::collections::{HashMap, HashSet};

use super::index::{DefId, Index};

/// The damping factor of `PageRank`, the usual one.
const DAMPING: f64 = 0.85;
const ITERATIONS: usize = 30;
/// A name defined in more files than this says little about where a reference goes
/// (`new`, `len`, `run`): its edges count a tenth.
const COMMON_NAME_FILES: usize = 5;

/// How much a name says about where it points: long `snake_case` or `camelCase` names
/// (`handle_event`, `parseConfig`) are specific; short plain words (`new`, `map`, `push`) are
/// mostly the standard library's methods and say little.
pub fn specificity(name: &str) -> f64 {
    let inner_upper = name.chars().skip(1).any(char::is_uppercase);
    let marked = name.contains('_') || inner_upper;
    if name.len() >= 8 && marked {
        10.0
    } else if name.len() <= 6 && !marked && !name.starts_with(char::is_uppercase) {
        0.1
    } else {
        1.0
    }
}

/// Ranks of files and of definitions; higher is more relevant.
#[derive(Debug, Default)]
pub struct Ranking {
    pub files: Vec<f64>,
    pub defs: HashMap<DefId, f64>,
}

impl Ranking {
    /// Definitions from most to least relevant.
    pub fn ordered_defs(&self) -> Vec<(DefId, f64)> {
        let mut defs: Vec<(DefId, f64)> = self.defs.iter().map(|(k, v)| (*k, *v)).collect();
        defs.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        defs
    }
}

/// One edge: `from` references a name that `defs` (all in file `to`) define, `weight` strong.
struct Edge {
    from: usize,
    to: usize,
    defs: Vec<DefId>,
    weight: f64,
}

/// A call through a value (`x.f()`) names a method of a type the tags do not know — as often
/// the standard library's (`as_bytes`, `is_empty`) as the workspace's — so it counts less
/// than a call or a type named outright.
const METHOD_CALL_WEIGHT: f64 = 0.3;

/// The definitions of `name` that a reference can mean: only methods for a method call.
pub fn answering(index: &Index, name: &str, method: bool) -> impl Iterator<Item = DefId> {
    index
        .definitions(name)
        .iter()
        .copied()
        .filter(move |d| !method || index.def(*d).is_some_and(|(_, def)| def.kind == "method"))
}

// The maps are the std ones everywhere in caret; other hashers are not worth a generic.
#[allow(clippy::implicit_hasher)]
/// Ranks `index` for a user whose attention is on `focus` files (file index → weight; empty:
/// everything alike), who mentioned the identifiers in `mentioned`.
pub fn rank(index: &Index, focus: &HashMap<u32, f64>, mentioned: &HashSet<String>) -> Ranking {
    let n = index.files.len();
    if n == 0 {
        return Ranking::default();
    }
    let mut edges: Vec<Edge> = Vec::new();
    for (from, file) in index.files.iter().enumerate() {
        let mut counts: HashMap<(&str, bool), usize> = HashMap::new();
        for r in &file.symbols.refs {
            *counts
                .entry((r.name.as_str(), r.kind == "method"))
                .or_default() += 1;
        }
        for ((name, method), count) in counts {
            // The definitions that can answer, by the file they are in.
            let mut definers: std::collections::BTreeMap<u32, Vec<DefId>> =
                std::collections::BTreeMap::new();
            for d in answering(index, name, method) {
                definers.entry(d.0).or_default().push(d);
            }
            if definers.is_empty() {
                continue;
            }
            let mut weight = (count as f64).sqrt() * specificity(name);
            if method {
                weight *= METHOD_CALL_WEIGHT;
            }
            if mentioned.contains(name) {
                weight *= 10.0;
            }
            if name.starts_with('_') {
                weight *= 0.1;
            }
            if definers.len() > COMMON_NAME_FILES {
                weight *= 0.1;
            }
            for (to, defs) in definers {
                if to as usize != from {
                    edges.push(Edge {
                        from,
                        to: to as usize,
                        defs,
                        weight,
                    });
                }
            }
        }
    }
    let personal = personalisation(n, focus);
    let mut out_weight = vec![0.0; n];
    for e in &edges {
        out_weight[e.from] += e.weight;
    }
    let mut ranks = personal.clone();
    for _ in 0..ITERATIONS {
        let mut next: Vec<f64> = personal.iter().map(|p| (1.0 - DAMPING) * p).collect();
        // Files that reference nothing hand their rank back as the personalisation says.
        let dangling: f64 = (0..n)
            .filter(|&i| out_weight[i] == 0.0)
            .map(|i| ranks[i])
            .sum();
        for (i, p) in personal.iter().enumerate() {
            next[i] += DAMPING * dangling * p;
        }
        for e in &edges {
            next[e.to] += DAMPING * ranks[e.from] * e.weight / out_weight[e.from];
        }
        ranks = next;
    }
    let mut defs: HashMap<DefId, f64> = HashMap::new();
    for e in &edges {
        let share = ranks[e.from] * e.weight / out_weight[e.from];
        let each = share / e.defs.len().max(1) as f64;
        for d in &e.defs {
            *defs.entry(*d).or_default() += each;
        }
    }
    // Tests are not what a codebase is about: definitions in test files and test modules
    // count a tenth in the map (they still rank where they are referenced from).
    for (fi, file) in index.files.iter().enumerate() {
        let in_test_file = is_test_path(&file.path);
        let test_modules: Vec<(u32, u32)> = file
            .symbols
            .defs
            .iter()
            .filter(|d| d.kind == "module" && d.name == "tests")
            .filter_map(|d| d.item.and_then(|i| file.symbols.items.get(i as usize)))
            .map(|it| it.lines)
            .collect();
        for (di, def) in file.symbols.defs.iter().enumerate() {
            let in_tests = in_test_file
                || test_modules
                    .iter()
                    .any(|(a, b)| *a <= def.line && def.line <= *b);
            if in_tests && let Some(rank) = defs.get_mut(&(fi as u32, di as u32)) {
                *rank *= 0.1;
            }
        }
    }
    // Definitions nobody references still belong in a map, below the referenced ones, in the
    // order of their file's rank.
    for (fi, file) in index.files.iter().enumerate() {
        for di in 0..file.symbols.defs.len() {
            defs.entry((fi as u32, di as u32))
                .or_insert(ranks[fi] * 1e-3);
        }
    }
    Ranking { files: ranks, defs }
}

/// Test code by its path: a `tests`/`test` folder, or `_test`/`.test`/`.spec`/`test_` names.
fn is_test_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.split('/')
        .any(|part| part == "tests" || part == "test" || part == "__tests__")
        || name.starts_with("test_")
        || name.contains("_test.")
        || name.contains(".test.")
        || name.contains(".spec.")
}

fn personalisation(n: usize, focus: &HashMap<u32, f64>) -> Vec<f64> {
    let total: f64 = focus.values().sum();
    if focus.is_empty() || total <= 0.0 {
        return vec![1.0 / n as f64; n];
    }
    // A little everywhere, so nothing is unreachable; most where the user is.
    let base = 0.05 / n as f64;
    let mut p = vec![base; n];
    for (&f, &w) in focus {
        if let Some(slot) = p.get_mut(f as usize) {
            *slot += 0.95 * w / total;
        }
    }
    p
}
