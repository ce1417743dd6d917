//! The repo map: files with the signatures of their most relevant definitions, as many as fit
//! a token budget — what a model reads to get its bearings in a codebase it has not seen.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::index::{DefId, Index};
use super::rank::Ranking;

/// The map of the `count` most relevant definitions, grouped by file (files in path order,
/// definitions in line order): `path` then `  line: signature` rows.
pub fn render(index: &Index, defs: &[(DefId, f64)], count: usize) -> String {
    let mut by_file: BTreeMap<&str, Vec<(u32, &str)>> = BTreeMap::new();
    for (id, _) in defs.iter().take(count) {
        if let Some((file, def)) = index.def(*id) {
            by_file
                .entry(file.path.as_str())
                .or_default()
                .push((def.line, def.signature.as_str()));
        }
    }
    let mut out = String::new();
    for (path, rows) in by_file {
        write_file(&mut out, path, rows);
    }
    out
}

/// One file's part of a map: `path`, then `  line: signature` rows (0-based `line`s, shown
/// 1-based) in line order.
fn write_file(out: &mut String, path: &str, mut rows: Vec<(u32, &str)>) {
    rows.sort_unstable();
    // The same signature again in one file (a trait's method in each of its impls) says
    // nothing new: the first stands for all.
    let mut seen = std::collections::HashSet::new();
    rows.retain(|(_, signature)| seen.insert(*signature));
    let _ = writeln!(out, "{path}");
    for (line, signature) in rows {
        let _ = writeln!(out, "  {}: {signature}", line + 1);
    }
}

/// The outline of one file in the map's form: its definitions' signatures in line order,
/// the first `count` of them.
pub fn outline(path: &str, symbols: &super::tags::FileSymbols, count: usize) -> String {
    let mut rows: Vec<(u32, &str)> = symbols
        .defs
        .iter()
        .map(|d| (d.line, d.signature.as_str()))
        .collect();
    rows.sort_unstable();
    let mut seen = std::collections::HashSet::new();
    rows.retain(|(_, signature)| seen.insert(*signature));
    rows.truncate(count);
    let mut out = String::new();
    write_file(&mut out, path, rows);
    out
}

/// The largest map that fits `budget` tokens (counted with `count`), found by bisection on
/// the number of definitions; its text and how many definitions it holds.
pub fn fit(
    index: &Index,
    ranking: &Ranking,
    budget: usize,
    count: &dyn Fn(&str) -> usize,
) -> (String, usize) {
    let defs = ranking.ordered_defs();
    let (mut lo, mut hi) = (0, defs.len());
    let mut best = (String::new(), 0);
    while lo <= hi {
        let mid = usize::midpoint(lo, hi);
        let text = render(index, &defs, mid);
        if count(&text) <= budget {
            best = (text, mid);
            lo = mid + 1;
        } else if mid == 0 {
            break;
        } else {
            hi = mid - 1;
        }
    }
    best
}
