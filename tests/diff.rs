//! Property tests of suggested-edit review (`caret::diff`): accept-all gives the model's
//! text, reject-all the original, any subset the hunks' old or new lines; accepting is one
//! undo step; hunks follow unrelated edits and go stale when their own lines change; the
//! streaming re-diff always describes the text so far and keeps decisions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use caret::core::document::Document;
use caret::core::history::EditKind;
use caret::core::transaction::Transaction;
use std::path::Path;
use std::process::Command;

use caret::diff::{CONTEXT, Decision, DiffError, Hunk, Proposal, hunks, text_for, unified};
use proptest::prelude::*;
use proptest::sample::Index;
use ropey::Rope;

/// Lines that repeat (braces, blanks) beside lines that are unique, as in code.
const COMMON: [&str; 6] = [
    "}",
    "",
    "    x += 1;",
    "fn a() {",
    "    return y;",
    "// note",
];

fn line(kind: usize, n: u16, crlf: bool) -> String {
    let body = if kind < COMMON.len() {
        COMMON[kind].to_owned()
    } else {
        format!("let v{n} = {kind};")
    };
    format!("{body}{}", if crlf { "\r\n" } else { "\n" })
}

fn strip_last_newline(mut text: String, keep: bool) -> String {
    if !keep && text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    text
}

prop_compose! {
    /// A base text and a proposed text made from it by deleting, replacing and inserting
    /// lines here and there (mixed line endings; either may lack a final newline).
    fn case_of(max_lines: usize)(
        base in proptest::collection::vec((0usize..10, any::<u16>(), proptest::bool::weighted(0.2)), 0..max_lines),
        ops in proptest::collection::vec((0u8..12, 0usize..10, any::<u16>(), proptest::bool::weighted(0.2)), 50),
        base_nl in proptest::bool::weighted(0.8),
        new_nl in proptest::bool::weighted(0.8),
    ) -> (String, String) {
        let mut new = String::new();
        let mut old = String::new();
        for (i, &(k, n, crlf)) in base.iter().enumerate() {
            let l = line(k, n, crlf);
            old.push_str(&l);
            let (op, k2, n2, crlf2) = ops[i % ops.len()];
            let n2 = n2.wrapping_add(i as u16);
            match op {
                0 => {}
                1 => new.push_str(&line(k2, n2, crlf2)),
                2 => {
                    new.push_str(&line(k2, n2, crlf2));
                    new.push_str(&l);
                }
                _ => new.push_str(&l),
            }
        }
        if ops[0].0 == 3 {
            new.push_str(&line(ops[0].1, ops[0].2, false));
        }
        (strip_last_newline(old, base_nl), strip_last_newline(new, new_nl))
    }
}

/// `count` lines made from `pattern`, its `{}` replaced by each line's number.
fn numbered(pattern: &str, count: usize) -> String {
    (0..count)
        .map(|i| format!("{}\n", pattern.replace("{}", &i.to_string())))
        .collect::<Vec<_>>()
        .concat()
}

/// Cases of up to 50 lines: small enough to shrink well, big enough for several hunks.
fn case() -> impl Strategy<Value = (String, String)> {
    case_of(50)
}

fn split(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

fn doc(text: &str) -> Document {
    Document::from_rope(Rope::from_str(text), None)
}

fn char_of_line(text: &str, line: usize) -> usize {
    split(text)[..line].iter().map(|l| l.chars().count()).sum()
}

/// How many times the hunk's context and old lines occur in `lines`.
fn occurrences(h: &Hunk, lines: &[&str]) -> usize {
    let want: Vec<&str> = h
        .context_before
        .iter()
        .chain(&h.old_lines)
        .chain(&h.context_after)
        .map(String::as_str)
        .collect();
    if want.len() > lines.len() {
        return 0;
    }
    if want.is_empty() {
        return lines.len() + 1;
    }
    lines
        .windows(want.len())
        .filter(|w| *w == want.as_slice())
        .count()
}

/// The invariants every set of hunks of `base` → `proposed` keeps.
fn check_hunks(base: &str, proposed: &str, hs: &[Hunk]) -> Result<(), TestCaseError> {
    let old = split(base);
    let all: Vec<usize> = (0..hs.len()).collect();
    prop_assert_eq!(text_for(base, hs, &all), proposed);
    prop_assert_eq!(text_for(base, hs, &[]), base);
    let new = split(proposed);
    for (i, h) in hs.iter().enumerate() {
        prop_assert!(!h.blocks.is_empty());
        prop_assert_eq!(
            &new[h.new_start..h.new_start + h.new_lines.len()],
            h.new_lines.as_slice()
        );
        // The blocks start and end the hunk, in order, with equal lines between them.
        prop_assert_eq!((h.blocks[0].old.start, h.blocks[0].new.start), (0, 0));
        let last = h.blocks.last().unwrap();
        prop_assert_eq!(
            (last.old.end, last.new.end),
            (h.old_lines.len(), h.new_lines.len())
        );
        for w in h.blocks.windows(2) {
            prop_assert!(w[0].old.end < w[1].old.start);
            prop_assert_eq!(
                &h.old_lines[w[0].old.end..w[1].old.start],
                &h.new_lines[w[0].new.end..w[1].new.start]
            );
        }
        let before = h.old_start - h.context_before.len();
        prop_assert_eq!(&old[before..h.old_start], h.context_before.as_slice());
        prop_assert_eq!(&old[h.old_start..h.old_end()], h.old_lines.as_slice());
        prop_assert_eq!(
            &old[h.old_end()..h.old_end() + h.context_after.len()],
            h.context_after.as_slice()
        );
        prop_assert!(h.context_before.len() == CONTEXT || before == 0);
        prop_assert!(h.context_after.len() == CONTEXT || h.old_end() + CONTEXT > old.len());
        if let Some(next) = hs.get(i + 1) {
            // As git groups: changes more than 2 * CONTEXT lines apart are separate hunks.
            prop_assert!(next.old_start - h.old_end() > 2 * CONTEXT);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn accepting_every_hunk_gives_the_proposed_text((base, proposed) in case()) {
        let hs = hunks(&base, &proposed);
        check_hunks(&base, &proposed, &hs)?;
        let mut p = Proposal::new("f", base.clone(), 0, proposed.clone());
        let mut d = doc(&base);
        if !hs.is_empty() {
            p.accept_rest(0, &mut d).unwrap();
        }
        prop_assert_eq!(d.text().to_string(), proposed.clone());
        prop_assert!(p.is_reviewed());
        // Accept-all is one undo step.
        d.undo().unwrap();
        prop_assert_eq!(d.text().to_string(), base.clone());
        prop_assert!(!d.can_undo());
    }

    #[test]
    fn rejecting_every_hunk_leaves_the_text((base, proposed) in case()) {
        let mut p = Proposal::new("f", base.clone(), 0, proposed);
        if !p.hunks().is_empty() {
            p.reject_rest(0).unwrap();
        }
        prop_assert!(p.is_reviewed());
        prop_assert_eq!(p.accepted_text(), base);
    }

    #[test]
    fn any_subset_accepted_one_by_one_gives_old_or_new_lines_per_hunk(
        (base, proposed) in case(),
        mask in proptest::collection::vec(any::<bool>(), 64),
        keys in proptest::collection::vec(any::<u32>(), 64),
    ) {
        let mut p = Proposal::new("f", base.clone(), 0, proposed);
        let n = p.hunks().len();
        let mut chosen: Vec<usize> = (0..n).filter(|&i| mask[i % 64]).collect();
        let expected = text_for(&base, p.hunks(), &chosen);
        // Hunk by hunk: each chosen hunk's new lines, every other hunk's old lines.
        let mut rebuilt = String::new();
        let old = split(&base);
        let mut at = 0;
        for (i, h) in p.hunks().iter().enumerate() {
            rebuilt.extend(old[at..h.old_start].iter().copied());
            let lines = if chosen.contains(&i) { &h.new_lines } else { &h.old_lines };
            rebuilt.extend(lines.iter().map(String::as_str));
            at = h.old_end();
        }
        rebuilt.extend(old[at..].iter().copied());
        prop_assert_eq!(&rebuilt, &expected);
        // In any order, each accept finds its hunk where the earlier ones moved it.
        chosen.sort_by_key(|&i| keys[i % 64]);
        let mut d = doc(&base);
        for &i in &chosen {
            p.accept(i, &mut d).unwrap();
        }
        prop_assert_eq!(d.text().to_string(), expected);
        for _ in &chosen {
            d.undo().unwrap();
        }
        prop_assert_eq!(d.text().to_string(), base);
    }

    #[test]
    fn undo_after_accepting_a_hunk_restores_the_text_exactly(
        (base, proposed) in case(),
        pick in any::<Index>(),
    ) {
        // The document's version (0) is the proposal's base version: positions are known.
        let mut p = Proposal::new("f", base.clone(), 0, proposed);
        prop_assume!(!p.hunks().is_empty());
        let i = pick.index(p.hunks().len());
        let mut d = doc(&base);
        let tx = p.transaction_for(&[i], &base, 0).unwrap();
        d.apply(&tx, EditKind::Other).unwrap();
        let accepted = d.text().to_string();
        prop_assert_eq!(&accepted, &text_for(&base, p.hunks(), &[i]));
        d.undo().unwrap();
        prop_assert_eq!(d.text().to_string(), base.clone());
        d.redo().unwrap();
        prop_assert_eq!(d.text().to_string(), accepted);
        // The same through the review state.
        let mut d = doc(&base);
        p.accept(i, &mut d).unwrap();
        d.undo().unwrap();
        prop_assert_eq!(d.text().to_string(), base);
    }

    #[test]
    fn a_hunk_follows_lines_inserted_above_or_below_it(
        (base, proposed) in case(),
        pick in any::<Index>(),
        place in any::<Index>(),
        count in 1usize..4,
    ) {
        prop_assume!(!base.is_empty());
        let hs = hunks(&base, &proposed);
        prop_assume!(!hs.is_empty());
        let i = pick.index(hs.len());
        let h = hs[i].clone();
        let lines = split(&base).len();
        let above = h.old_start - h.context_before.len();
        let below = h.old_end() + h.context_after.len();
        // Outside the hunk and its context; a last line without a newline cannot have
        // lines added after it without changing it; and lines added exactly where a hunk
        // adds lines at the end of the text may as well go before it as after it.
        let ends_text = h.old_lines.is_empty() && h.context_after.is_empty();
        let places: Vec<usize> = (0..=lines)
            .filter(|&l| l <= above || l > below || (l == below && !ends_text))
            .filter(|&l| l < lines || base.ends_with('\n'))
            .collect();
        prop_assume!(!places.is_empty());
        let at = places[place.index(places.len())];
        let inserted = numbered("«inserted {}»", count);
        let edited = {
            let c = char_of_line(&base, at);
            let mut r = Rope::from_str(&base);
            r.insert(c, &inserted);
            r.to_string()
        };
        let shift = |line: usize, by: isize| line.saturating_add_signed(by);
        let delta = h.new_lines.len() as isize - h.old_lines.len() as isize;
        let expected = {
            let t = text_for(&base, &hs, &[i]);
            let at2 = if at <= above { at } else { shift(at, delta) };
            let c = char_of_line(&t, at2);
            let mut r = Rope::from_str(&t);
            r.insert(c, &inserted);
            r.to_string()
        };
        let new_place = if at <= above { h.old_start + count } else { h.old_start };

        // Through the document, which tells the proposal what moved: always found.
        let mut p = Proposal::new("f", base.clone(), 0, proposed.clone());
        let mut d = doc(&base);
        d.apply(&Transaction::insert(char_of_line(&base, at), inserted.clone()), EditKind::Other).unwrap();
        prop_assert_eq!(d.text().to_string(), edited.clone());
        p.reanchor_document(&d);
        prop_assert_eq!(p.position(i), Some(new_place));
        p.accept(i, &mut d).unwrap();
        prop_assert_eq!(d.text().to_string(), expected.clone());

        // From the text alone: found where it is unique (in the text and in the base),
        // stale where it is not — never put elsewhere.
        let mut p = Proposal::new("f", base.clone(), 0, proposed);
        p.reanchor(&edited, 1);
        let unique = occurrences(&h, &split(&edited)) == 1 && occurrences(&h, &split(&base)) == 1;
        if unique {
            prop_assert_eq!(p.position(i), Some(new_place));
            let tx = p.transaction_for(&[i], &edited, 1).unwrap();
            let mut r = Rope::from_str(&edited);
            tx.apply(&mut r).unwrap();
            prop_assert_eq!(r.to_string(), expected);
        } else {
            prop_assert_eq!(p.decision(i), Some(Decision::Stale));
            prop_assert_eq!(p.transaction_for(&[i], &edited, 1), Err(DiffError::Stale(i)));
        }
    }

    #[test]
    fn an_edit_inside_a_hunk_marks_it_stale(
        (base, proposed) in case(),
        pick in any::<Index>(),
        which_line in any::<Index>(),
    ) {
        let hs = hunks(&base, &proposed);
        let with_old: Vec<usize> = (0..hs.len()).filter(|&i| !hs[i].old_lines.is_empty()).collect();
        prop_assume!(!with_old.is_empty());
        let i = with_old[pick.index(with_old.len())];
        let line = hs[i].old_start + which_line.index(hs[i].old_lines.len());
        let mut p = Proposal::new("f", base.clone(), 0, proposed);
        let mut d = doc(&base);
        d.apply(&Transaction::insert(char_of_line(&base, line), "«typed»"), EditKind::Insert).unwrap();
        let typed = d.text().to_string();
        prop_assert_eq!(p.accept(i, &mut d), Err(DiffError::Stale(i)));
        prop_assert_eq!(d.text().to_string(), typed.clone());
        prop_assert_eq!(p.decision(i), Some(Decision::Pending));
        p.reanchor_document(&d);
        prop_assert_eq!(p.decision(i), Some(Decision::Stale));
        // Undoing the typing brings it back.
        d.undo().unwrap();
        p.reanchor_document(&d);
        prop_assert_eq!(p.decision(i), Some(Decision::Pending));
        p.accept(i, &mut d).unwrap();
        prop_assert_eq!(d.text().to_string(), text_for(&base, p.hunks(), &[i]));
    }

    #[test]
    fn streaming_rediffs_describe_the_text_so_far_and_keep_decisions(
        (base, last) in case(),
        step in 1usize..4,
        reject in any::<Index>(),
    ) {
        // The reply streams: the proposed text grows a few lines at a time from the base,
        // each round taking more lines of the final text in place of the base's lines there.
        let final_lines = split(&last);
        let base_lines = split(&base);
        let mut rounds: Vec<String> = (0..=final_lines.len())
            .step_by(step)
            .map(|k| {
                let mut t: String = final_lines[..k].concat();
                t.extend(base_lines.iter().skip(k).copied());
                t
            })
            .collect();
        rounds.push(last.clone());
        let mut p = Proposal::new("f", base.clone(), 0, base.clone());
        for (r, text) in rounds.iter().enumerate() {
            let before: Vec<(Hunk, Decision)> =
                p.hunks().iter().cloned().zip(p.decisions().iter().copied()).collect();
            p.update(text);
            prop_assert_eq!(p.proposed(), text.as_str());
            check_hunks(&base, text, p.hunks())?;
            prop_assert_eq!(p.decisions().len(), p.hunks().len());
            // A hunk found again unchanged keeps its decision; a new one is pending.
            for (k, h) in p.hunks().iter().enumerate() {
                let was = before.iter().find(|(o, _)| {
                    o.old_start == h.old_start && o.old_lines == h.old_lines && o.new_lines == h.new_lines
                });
                prop_assert_eq!(p.decision(k), Some(was.map_or(Decision::Pending, |(_, d)| *d)));
            }
            if r % 2 == 1 && !p.pending().is_empty() {
                let pending = p.pending();
                p.reject(pending[reject.index(pending.len())]).unwrap();
            }
        }
        p.finish(&last);
        prop_assert!(p.is_final());
        let hs: Vec<usize> = (0..p.hunks().len()).collect();
        prop_assert_eq!(text_for(&base, p.hunks(), &hs), last);
    }

    #[test]
    fn rediffing_any_change_of_the_proposed_text_stays_exact(
        (base, first) in case(),
        (_, second) in case(),
    ) {
        // Unrelated texts: the incremental re-diff must still describe the new one exactly.
        let mut p = Proposal::new("f", base.clone(), 0, first.clone());
        p.update(&second);
        check_hunks(&base, &second, p.hunks())?;
        let q = caret::diff::rediff(&p, &first);
        check_hunks(&base, &first, q.hunks())?;
    }
}

#[test]
fn an_edited_hunk_is_accepted_as_edited() {
    let base = "a\nb\nc\n";
    let mut p = Proposal::new("f", base, 0, "a\nB\nc\n");
    p.edit(0, "bee\nbuzz").unwrap();
    let mut d = doc(base);
    p.accept(0, &mut d).unwrap();
    assert_eq!(d.text().to_string(), "a\nbee\nbuzz\nc\n");
    assert_eq!(p.hunks()[0].proposed_lines(), ["B\n"]);
    assert_eq!(
        p.edit(0, "x"),
        Err(DiffError::Decided {
            hunk: 0,
            decision: Decision::Accepted
        })
    );
}

#[test]
fn a_user_edit_survives_streaming_when_the_model_lines_stay() {
    let base = numbered("line {}", 40);
    let first = base.replace("line 5\n", "five\n");
    let mut p = Proposal::new("f", base.clone(), 0, first.clone());
    p.edit(0, "FIVE\n").unwrap();
    // More of the reply arrives, far below.
    p.update(first.replace("line 30\n", "thirty\n"));
    assert_eq!(p.hunks().len(), 2);
    assert_eq!(p.hunks()[0].new_lines, ["FIVE\n"]);
    // The model changed its mind about that hunk: the edit goes with the old lines.
    p.update(base.replace("line 5\n", "5!\n"));
    assert_eq!(p.hunks()[0].new_lines, ["5!\n"]);
    assert!(p.hunks()[0].model_lines.is_none());
}

#[test]
fn a_review_that_streams_in_starts_at_its_first_hunk() {
    let base = numbered("line {}", 40);
    // Nothing proposed yet: the reply has not started.
    let mut p = Proposal::new("f", base.clone(), 0, base.clone());
    assert!(p.hunks().is_empty());
    p.update(
        base.replace("line 5\n", "five\n")
            .replace("line 30\n", "thirty\n"),
    );
    assert_eq!(p.hunks().len(), 2);
    assert_eq!(p.current(), 0);
}

#[test]
fn accepting_after_the_user_typed_elsewhere_lands_in_the_right_place() {
    let base = numbered("same\nline {}", 30);
    let proposed = base.replace("line 20\n", "twenty\n");
    let mut p = Proposal::new("f", base.clone(), 0, proposed);
    let mut d = doc(&base);
    d.apply(&Transaction::insert(0, "// header\n"), EditKind::Other)
        .unwrap();
    p.accept(0, &mut d).unwrap();
    assert_eq!(
        d.text().to_string(),
        format!("// header\n{}", base.replace("line 20\n", "twenty\n"))
    );
    assert_eq!(p.position(0), Some(42));
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    // A missing git fails the test: it must not pass without having run.
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git is installed")
}

/// Each diff goes through `git apply --check` and then `git apply`, which must leave exactly
/// the proposed text in the file.
fn apply_with_git(repo: &Path, patches: &Path, path: &str, base: Option<&str>, proposed: &str) {
    let file = repo.join(path);
    let _ = std::fs::remove_file(&file);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    if let Some(base) = base {
        std::fs::write(&file, base).unwrap();
    }
    let diff = unified(path, base, proposed);
    if diff.is_empty() {
        assert_eq!(base, Some(proposed), "an empty diff for different texts");
        return;
    }
    let diff_file = patches.join("change.diff");
    std::fs::write(&diff_file, &diff).unwrap();
    let diff_file = diff_file.to_str().unwrap();
    for args in [
        &["apply", "--check", diff_file][..],
        &["apply", diff_file][..],
    ] {
        let out = git(repo, args);
        assert!(
            out.status.success(),
            "git {args:?} refused the diff of {base:?} -> {proposed:?}:\n{diff}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), proposed, "{diff}");
}

#[test]
fn unified_diffs_are_taken_by_git_apply() {
    let repo = tempfile::tempdir().unwrap();
    let patches = tempfile::tempdir().unwrap();
    assert!(git(repo.path(), &["init", "-q"]).status.success());
    let paths = ["a.txt", "src/deep/lib.rs", "sub dir/файл.md"];
    let fixed: [(Option<&str>, &str); 9] = [
        (None, "new\r\nfile"),
        (None, ""),
        (Some(""), "filled\n"),
        (Some("emptied\n"), ""),
        (Some("no newline"), "no newline\n"),
        (Some("a\r\nb\r\nc\r\n"), "a\r\nB\r\nc\r\n"),
        (Some("x\ny"), "x\nY"),
        (Some("lf\n"), "lf\r\n"),
        (Some("same\n"), "same\n"),
    ];
    for (k, (base, proposed)) in fixed.into_iter().enumerate() {
        apply_with_git(
            repo.path(),
            patches.path(),
            paths[k % paths.len()],
            base,
            proposed,
        );
    }
    // And many generated ones.
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(200));
    runner
        .run(
            &(case(), any::<bool>(), 0..paths.len()),
            |((base, proposed), new, k)| {
                let base = (!new).then_some(base.as_str());
                apply_with_git(repo.path(), patches.path(), paths[k], base, &proposed);
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn big_texts_give_exact_hunks_that_git_applies() {
    // Past a thousand lines the diff first pairs lines unique to both sides.
    let repo = tempfile::tempdir().unwrap();
    let patches = tempfile::tempdir().unwrap();
    assert!(git(repo.path(), &["init", "-q"]).status.success());
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(24));
    runner
        .run(&case_of(3000), |(base, proposed)| {
            check_hunks(&base, &proposed, &hunks(&base, &proposed))?;
            apply_with_git(
                repo.path(),
                patches.path(),
                "big.rs",
                Some(&base),
                &proposed,
            );
            Ok(())
        })
        .unwrap();
}
