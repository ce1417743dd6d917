//! The places of a file most like a SEARCH that matched nowhere, for "did you mean lines
//! 10-14". Only a message is made of them: a near place is never applied.

use super::text::{fold_punctuation, with_newlines};
use super::{Candidate, LineRange};

/// Candidates returned at most.
const MAX_CANDIDATES: usize = 3;
/// Below this a place is too unlike the SEARCH to be worth showing.
const MIN_SCORE: f32 = 0.4;
/// Above this many line comparisons, only the most promising windows are scored in full.
const FULL_SCAN: usize = 200_000;
/// Windows scored in full after the quick pass.
const SHORTLIST: usize = 64;

/// Up to three places (windows as long as the SEARCH), best first, that do not overlap.
pub fn nearest(file: &[&str], search: &[&str]) -> Vec<Candidate> {
    if file.is_empty() || search.is_empty() {
        return Vec::new();
    }
    let width = search.len().min(file.len());
    let file_grams: Vec<Vec<(char, char)>> = file.iter().map(|l| bigrams(l)).collect();
    let search_grams: Vec<Vec<(char, char)>> = search.iter().map(|l| bigrams(l)).collect();
    let line =
        |f: usize, s: usize| similarity(&file_grams[f], &search_grams[s], file[f], search[s]);
    let window = |start: usize| -> f32 {
        let total: f32 = (0..width).map(|i| line(start + i, i)).sum();
        // Lines the window is too short for count as nothing in common.
        total / search.len() as f32
    };
    let starts: Vec<usize> = (0..=file.len() - width).collect();
    let shortlist: Vec<usize> = if starts.len() * width > FULL_SCAN {
        // The first and last lines are a cheap, good predictor of the whole.
        let mut quick: Vec<(f32, usize)> = starts
            .iter()
            .map(|&s| (line(s, 0) + line(s + width - 1, width - 1), s))
            .collect();
        quick.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        quick.into_iter().take(SHORTLIST).map(|(_, s)| s).collect()
    } else {
        starts
    };
    let mut scored: Vec<(f32, usize)> = shortlist.into_iter().map(|s| (window(s), s)).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<(f32, usize)> = Vec::new();
    for (score, start) in scored {
        if score < MIN_SCORE || chosen.len() == MAX_CANDIDATES {
            break;
        }
        let overlaps = chosen
            .iter()
            .any(|(_, other)| start < other + width && *other < start + width);
        if !overlaps {
            chosen.push((score, start));
        }
    }
    chosen
        .into_iter()
        .map(|(score, start)| Candidate {
            lines: LineRange::from_indexes(start..start + width),
            text: with_newlines(file[start..start + width].iter().copied()),
            score,
        })
        .collect()
}

/// The sorted character pairs of a line, whitespace at the ends and punctuation style aside.
fn bigrams(line: &str) -> Vec<(char, char)> {
    let folded = fold_punctuation(line.trim());
    let chars: Vec<char> = folded.chars().collect();
    let mut grams: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    grams.sort_unstable();
    grams
}

/// Dice's coefficient of two lines' character pairs: 1 for the same line (whitespace at the
/// ends aside), 0 for nothing in common.
fn similarity(a: &[(char, char)], b: &[(char, char)], a_line: &str, b_line: &str) -> f32 {
    if a.is_empty() || b.is_empty() {
        // Blank or one-character lines: alike only when equal.
        return if a_line.trim() == b_line.trim() {
            1.0
        } else {
            0.0
        };
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * common) as f32 / (a.len() + b.len()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_alike_place_comes_first() {
        let file = [
            "fn main() {",
            "    let total = add(1, 2);",
            "    println!(\"{total}\");",
            "}",
            "",
            "fn add(a: i32, b: i32) -> i32 {",
            "    a + b",
            "}",
        ];
        let search = ["fn add(a: u32, b: u32) -> u32 {", "    a + b", "}"];
        let found = nearest(&file, &search);
        assert_eq!(found[0].lines, LineRange { start: 6, end: 8 });
        assert!(found[0].score > 0.7, "{}", found[0].score);
        assert!(found[0].text.starts_with("fn add(a: i32"));
        assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn nothing_alike_gives_nothing() {
        assert!(nearest(&["alpha", "beta"], &["zzzz qqqq"]).is_empty());
        assert!(nearest(&[], &["x"]).is_empty());
    }

    #[test]
    fn big_files_are_shortlisted_and_still_found() {
        let mut file: Vec<String> = (0..100_000).map(|i| format!("let v{i} = {i};")).collect();
        file[80_000] = "fn target(x: u8) {".to_string();
        file[80_001] = "    x.count_ones()".to_string();
        file[80_002] = "}".to_string();
        let refs: Vec<&str> = file.iter().map(String::as_str).collect();
        let search = ["fn target(x: u16) {", "    x.count_ones()", "}"];
        let found = nearest(&refs, &search);
        assert_eq!(found[0].lines.start, 80_001);
    }
}
