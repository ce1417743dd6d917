//! What an `@` in the chat input can complete to: the workspace's files and defined names,
//! fuzzy-matched (nucleo) against what follows the `@`, best first — with nothing typed yet,
//! the most relevant first — and never a file the gate holds back.

use std::collections::HashMap;
use std::sync::Arc;

use nucleo::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo::{Config, Matcher, Utf32Str};

use super::engine::Engine;
use super::index::DefId;
use super::rank::Ranking;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    File,
    Symbol,
}

/// One completion for an `@` word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionCandidate {
    /// What goes after the `@`: a workspace-relative path or a defined name.
    pub text: String,
    pub kind: MentionKind,
    /// Where a name is defined ("src/render.rs:12", its best-ranked definition); a file's
    /// language, or "".
    pub detail: String,
    /// The matched char positions in `text` (sorted), for highlighting.
    pub indices: Vec<u32>,
}

/// One thing an `@` can name.
#[derive(Debug)]
struct Entry {
    text: String,
    kind: MentionKind,
    detail: String,
    /// The file whose text a mention of it would send, for the gate.
    path: String,
}

/// Everything mentionable in one version of the index: files and names taken in turn, each
/// from most to least relevant, so that ties in the match score keep that order.
#[derive(Debug)]
pub struct Mentionable {
    version: u64,
    entries: Vec<Entry>,
    /// The ranking the order came from, and the number of files it was made for.
    ranking: Arc<Ranking>,
    files: usize,
}

impl Engine {
    /// Up to `limit` files and names matching `query` (fuzzy, smart case), best first; with
    /// an empty query, the most relevant files and names, in turn. Files the gate refuses
    /// are never offered, nor names defined only in them.
    pub fn mention_candidates(&self, query: &str, limit: usize) -> Vec<MentionCandidate> {
        let list = self.mentionable();
        let pattern = Pattern::new(
            query,
            CaseMatching::Smart,
            Normalization::Smart,
            AtomKind::Fuzzy,
        );
        let mut paths = Matcher::new(Config::DEFAULT.match_paths());
        let mut names = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize)> = list
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let matcher = match e.kind {
                    MentionKind::File => &mut paths,
                    MentionKind::Symbol => &mut names,
                };
                let score = pattern.score(Utf32Str::new(&e.text, &mut buf), matcher)?;
                Some((score, i))
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut out = Vec::new();
        for (_, i) in scored {
            if out.len() >= limit {
                break;
            }
            let e = &list.entries[i];
            // The index was built through the gate, but its rules may have changed since
            // (an ignore file edited); only what is offered is checked, to stay fast.
            if self.gate.check_path(&self.root.join(&e.path)).is_err() {
                continue;
            }
            let matcher = match e.kind {
                MentionKind::File => &mut paths,
                MentionKind::Symbol => &mut names,
            };
            let mut indices = Vec::new();
            pattern.indices(Utf32Str::new(&e.text, &mut buf), matcher, &mut indices);
            indices.sort_unstable();
            indices.dedup();
            out.push(MentionCandidate {
                text: e.text.clone(),
                kind: e.kind,
                detail: e.detail.clone(),
                indices,
            });
        }
        out
    }

    /// The list of what can be mentioned, made again only when the index changed.
    fn mentionable(&self) -> Arc<Mentionable> {
        if let Ok(cached) = self.mentionable.lock()
            && let Some(list) = &*cached
            && list.version == self.version
        {
            return Arc::clone(list);
        }
        let list = Arc::new(self.list_mentionable());
        if let Ok(mut cached) = self.mentionable.lock() {
            *cached = Some(Arc::clone(&list));
        }
        list
    }

    /// The ranking to order the list by. Ranking the whole workspace costs tens of
    /// milliseconds on a big one — too much for a keystroke after each save — so while the
    /// files are the same ones (a file changed in place, indices unchanged), the ranking of
    /// the last list orders the new one: the order is a hint, the entries are always current.
    fn listing_ranking(&self) -> Arc<Ranking> {
        if let Some(fresh) = self.cached_ranking(None) {
            return fresh;
        }
        let previous = self.mentionable.lock().ok().and_then(|cached| {
            cached
                .as_ref()
                .filter(|list| list.files == self.index.files.len())
                .map(|list| Arc::clone(&list.ranking))
        });
        previous.unwrap_or_else(|| self.ranking(None))
    }

    fn list_mentionable(&self) -> Mentionable {
        let ranking = self.listing_ranking();
        let index = &self.index;
        let file_rank = |i: usize| ranking.files.get(i).copied().unwrap_or(0.0);
        // A path with whitespace in it would end its `@` word early: it cannot be mentioned.
        let mut files: Vec<usize> = (0..index.files.len())
            .filter(|&i| !index.files[i].path.contains(char::is_whitespace))
            .collect();
        files.sort_by(|&a, &b| file_rank(b).total_cmp(&file_rank(a)).then(a.cmp(&b)));
        // Each name once, placed by its best-ranked definition.
        let mut best: HashMap<&str, (f64, DefId)> = HashMap::new();
        for (fi, file) in index.files.iter().enumerate() {
            for (di, def) in file.symbols.defs.iter().enumerate() {
                let id = (fi as u32, di as u32);
                let rank = ranking.defs.get(&id).copied().unwrap_or(0.0);
                best.entry(def.name.as_str())
                    .and_modify(|b| {
                        if rank > b.0 {
                            *b = (rank, id);
                        }
                    })
                    .or_insert((rank, id));
            }
        }
        let mut names: Vec<(&str, f64, DefId)> = best
            .into_iter()
            .map(|(name, (rank, id))| (name, rank, id))
            .collect();
        names.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        let file_entries = files.into_iter().map(|i| {
            let file = &index.files[i];
            Entry {
                text: file.path.clone(),
                kind: MentionKind::File,
                detail: file.language.clone().unwrap_or_default(),
                path: file.path.clone(),
            }
        });
        let name_entries = names.into_iter().filter_map(|(name, _, id)| {
            let (file, def) = index.def(id)?;
            Some(Entry {
                text: name.to_string(),
                kind: MentionKind::Symbol,
                detail: format!("{}:{}", file.path, def.line + 1),
                path: file.path.clone(),
            })
        });
        let entries = interleave(file_entries, name_entries);
        Mentionable {
            version: self.version,
            entries,
            ranking: Arc::clone(&ranking),
            files: index.files.len(),
        }
    }
}

/// `a` and `b` taken in turn, the rest of the longer one after.
fn interleave<T>(a: impl Iterator<Item = T>, b: impl Iterator<Item = T>) -> Vec<T> {
    let (mut a, mut b) = (a.fuse(), b.fuse());
    let mut out = Vec::new();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return out,
            (x, y) => out.extend(x.into_iter().chain(y)),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn interleave_takes_turns_then_the_rest() {
        let out = super::interleave([1, 3, 5, 6, 7].into_iter(), [2, 4].into_iter());
        assert_eq!(out, [1, 2, 3, 4, 5, 6, 7]);
    }
}
