//! The indentation difference between a SEARCH and the file lines it matched, and re-indenting
//! the REPLACE by it. A difference is only accepted when it is the same for every line, so a
//! block whose nesting the model flattened or changed is never forced into place.

use std::borrow::Cow;

use super::text::{indentation, is_blank};

/// How to turn the model's indentation into the file's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fit {
    /// Both agree.
    Same,
    /// The file has this in front of every line's indentation.
    Add(String),
    /// The model put this in front of the file's indentation.
    Remove(String),
    /// Counted in levels: the model indents by `from`, the file by `to`, and the file is
    /// `shift` levels deeper.
    Levels { from: Unit, to: Unit, shift: isize },
}

/// One level of indentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Tab,
    Spaces(usize),
}

/// The fit that maps every `(file line, search line)` pair's indentation, if there is one.
/// `replace` only helps to learn the model's indent unit. `file_all` is the whole file, to
/// learn its unit when the matched lines alone do not tell.
pub fn fit(pairs: &[(&str, &str)], replace: &[&str], file_all: &[&str]) -> Option<Fit> {
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(f, s)| !is_blank(f) && !is_blank(s))
        .map(|(f, s)| (indentation(f), indentation(s)))
        .collect();
    let Some(&(f0, s0)) = pairs.first() else {
        return Some(Fit::Same);
    };
    if pairs.iter().all(|(f, s)| f == s) {
        return Some(Fit::Same);
    }
    if let Some(prefix) = f0.strip_suffix(s0)
        && pairs
            .iter()
            .all(|(f, s)| f.strip_prefix(prefix) == Some(*s))
    {
        return Some(Fit::Add(prefix.to_string()));
    }
    if let Some(prefix) = s0.strip_suffix(f0)
        && pairs
            .iter()
            .all(|(f, s)| s.strip_prefix(prefix) == Some(*f))
    {
        return Some(Fit::Remove(prefix.to_string()));
    }
    let model_side: Vec<&str> = pairs
        .iter()
        .map(|(_, s)| *s)
        .chain(
            replace
                .iter()
                .filter(|l| !is_blank(l))
                .map(|l| indentation(l)),
        )
        .collect();
    let from = unit_of(&model_side)?;
    // The whole file tells its style better than the few matched lines.
    let all: Vec<&str> = file_all
        .iter()
        .filter(|l| !is_blank(l))
        .map(|l| indentation(l))
        .collect();
    let to = unit_of(&all).or_else(|| {
        let file_side: Vec<&str> = pairs.iter().map(|(f, _)| *f).collect();
        unit_of(&file_side)
    })?;
    let mut shift = None;
    for (f, s) in &pairs {
        let (fl, fr) = levels(f, to)?;
        let (sl, sr) = levels(s, from)?;
        if fr != 0 || sr != 0 {
            return None;
        }
        let d = fl as isize - sl as isize;
        if *shift.get_or_insert(d) != d {
            return None;
        }
    }
    Some(Fit::Levels {
        from,
        to,
        shift: shift.unwrap_or(0),
    })
}

/// The unit an indentation style uses: tabs when most indented lines start with one, else
/// the widest step of spaces (8, 4, 3 or 2) that nine in ten space-indented lines are a
/// multiple of (the rest being alignment). `None` when nothing is indented or no step fits.
fn unit_of(indents: &[&str]) -> Option<Unit> {
    let indented: Vec<&str> = indents.iter().copied().filter(|i| !i.is_empty()).collect();
    if indented.is_empty() {
        return None;
    }
    let tabbed = indented.iter().filter(|i| i.starts_with('\t')).count();
    if tabbed * 2 > indented.len() {
        return Some(Unit::Tab);
    }
    let widths: Vec<usize> = indented
        .iter()
        .filter(|i| i.bytes().all(|b| b == b' '))
        .map(|i| i.len())
        .collect();
    if widths.is_empty() {
        return None;
    }
    [8, 4, 3, 2]
        .into_iter()
        .find(|u| widths.iter().filter(|w| *w % u == 0).count() * 10 >= widths.len() * 9)
        .map(Unit::Spaces)
}

/// Whole levels of `unit` at the start of `indent` and the spaces left over; `None` when the
/// indentation is not made of that unit.
fn levels(indent: &str, unit: Unit) -> Option<(usize, usize)> {
    match unit {
        Unit::Tab => {
            let tabs = indent.bytes().take_while(|&b| b == b'\t').count();
            let rest = &indent[tabs..];
            rest.bytes()
                .all(|b| b == b' ')
                .then_some((tabs, rest.len()))
        }
        Unit::Spaces(n) => indent
            .bytes()
            .all(|b| b == b' ')
            .then_some((indent.len() / n, indent.len() % n)),
    }
}

fn render(levels: usize, unit: Unit) -> String {
    match unit {
        Unit::Tab => "\t".repeat(levels),
        Unit::Spaces(n) => " ".repeat(levels * n),
    }
}

impl Fit {
    /// A REPLACE line in the file's indentation. Blank lines become empty.
    pub fn apply<'l>(&self, line: &'l str) -> Cow<'l, str> {
        if is_blank(line) {
            return Cow::Borrowed("");
        }
        match self {
            Fit::Same => Cow::Borrowed(line),
            Fit::Add(prefix) => Cow::Owned(format!("{prefix}{line}")),
            Fit::Remove(prefix) => {
                // A line the model indented less than its SEARCH loses what it has of the prefix.
                let common = line
                    .bytes()
                    .zip(prefix.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                Cow::Borrowed(&line[common..])
            }
            Fit::Levels { from, to, shift } => {
                let indent = indentation(line);
                let body = &line[indent.len()..];
                match levels(indent, *from) {
                    Some((n, extra)) => {
                        let n = (n as isize + shift).max(0) as usize;
                        Cow::Owned(format!("{}{}{body}", render(n, *to), " ".repeat(extra)))
                    }
                    // Indentation in another style than the SEARCH's: leave it.
                    None => Cow::Borrowed(line),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uniform_prefix_is_added_or_removed() {
        let pairs = [("    fn a() {", "fn a() {"), ("        x();", "    x();")];
        let found = fit(&pairs, &[], &[]).unwrap();
        assert_eq!(found, Fit::Add("    ".to_string()));
        assert_eq!(found.apply("    y();"), "        y();");
        let pairs = [("x();", "  x();"), ("  y();", "    y();")];
        let found = fit(&pairs, &[], &[]).unwrap();
        assert_eq!(found, Fit::Remove("  ".to_string()));
        assert_eq!(found.apply("z"), "z");
    }

    #[test]
    fn tabs_and_spaces_convert_by_levels() {
        let pairs = [("\tif x {", "    if x {"), ("\t\ty();", "        y();")];
        let found = fit(&pairs, &[], &[]).unwrap();
        assert_eq!(
            found,
            Fit::Levels {
                from: Unit::Spaces(4),
                to: Unit::Tab,
                shift: 0
            }
        );
        assert_eq!(found.apply("            z();"), "\t\t\tz();");
    }

    #[test]
    fn changed_nesting_has_no_fit() {
        let pairs = [("    a", "a"), ("        b", "b")];
        assert_eq!(fit(&pairs, &[], &[]), None);
    }
}
