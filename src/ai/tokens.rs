//! Token counts with tiktoken's cl100k table (shipped inside tiktoken-rs, so offline), for
//! answers whose API reported no usage and for trimming a conversation to its budget.

use std::sync::OnceLock;

use tiktoken_rs::CoreBPE;

static BPE: OnceLock<Option<CoreBPE>> = OnceLock::new();

/// Loading the table takes a noticeable moment: do it on a thread before it is needed.
pub fn warm_up() {
    warm_up_then(|| {});
}

/// `warm_up`, calling `ready` on that thread once the table is in (not at all if it already
/// was, or is being loaded by another call).
pub fn warm_up_then(ready: impl FnOnce() + Send + 'static) {
    if BPE.get().is_none() {
        std::thread::spawn(|| {
            tables();
            ready();
        });
    }
}

/// Counts are exact (the table is loaded), not estimates.
pub fn exact() -> bool {
    matches!(BPE.get(), Some(Some(_)))
}

fn tables() -> Option<&'static CoreBPE> {
    BPE.get_or_init(|| tiktoken_rs::cl100k_base().ok()).as_ref()
}

/// Exact count; loads the table on first use (blocking).
pub fn count(text: &str) -> usize {
    match tables() {
        Some(bpe) => bpe.encode_ordinary(text).len(),
        None => estimate(text),
    }
}

/// Exact if the table is loaded, else an estimate; never blocks.
pub fn count_quick(text: &str) -> usize {
    match BPE.get() {
        Some(Some(bpe)) => bpe.encode_ordinary(text).len(),
        _ => estimate(text),
    }
}

/// About four characters per token for English and code.
pub fn estimate(text: &str) -> usize {
    text.chars().count().div_ceil(4)
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_like_tiktoken() {
        assert_eq!(super::count("hello world"), 2);
        assert_eq!(super::count(""), 0);
        assert_eq!(super::estimate("abcdefgh"), 2);
    }
}
