//! Findings kept per entry of the lowering cache, for rules whose findings in an entry (a model of a large
//! schema) depend on nothing but the entry's text and a few facts the rule names (see
//! [`crate::model::memo`]). A keystroke re-checks the entry it changed; every other entry's findings are the
//! kept ones, moved to where the entry is now.

use crate::analysis::Diagnostic;
use crate::model::file::FileModel;
use crate::model::value::Prop;
use crate::text::Span;

/// What a rule found in one entry: its findings with offsets relative to the entry's start, or `None` when one of
/// them points outside the entry (then the entry is checked again each time).
type Kept = Option<Vec<Diagnostic>>;

/// Adds to `out` what `check` finds in the entry `p` (it must look at nothing but `p` and the facts that `salt`
/// stands for): the findings kept for an entry with the same text, moved to where `p` is, or `check`'s, which
/// are kept. `false`, with nothing added, when `p` is not an entry of the file's lowering cache: the caller
/// checks it as usual. The memo is locked only to look the findings up and to keep them, not while `check`
/// runs: the data rules use it on other threads meanwhile.
pub(crate) fn entry_findings(
    file: &FileModel,
    rule: &'static str,
    salt: u64,
    p: &Prop,
    out: &mut Vec<Diagnostic>,
    check: &mut dyn FnMut(&mut Vec<Diagnostic>),
) -> bool {
    let Some(key) = file.lowered.key_of(p) else {
        return false;
    };
    let (memo, generation) = (&file.lowered.entry_memo, file.lowered.generation());
    // (looked up in a statement of its own: the lock must be let go of before `check` runs and `put` locks again)
    let kept = memo.open(generation).get::<Kept>(rule, key, salt);
    match kept {
        Some(kept) => match kept.as_ref() {
            Some(kept) => out.extend(kept.iter().map(|d| moved(d, p.span.start, true))),
            None => check(out),
        },
        None => {
            #[cfg(test)]
            CHECKED.with(|c| c.set(c.get() + 1));
            let mut found = Vec::new();
            check(&mut found);
            memo.open(generation)
                .put(rule, key, salt, relative(&found, p.span));
            out.extend(found);
        }
    }
    true
}

#[cfg(test)]
thread_local! {
    /// How many entries this thread checked for the memo (not kept yet).
    pub(crate) static CHECKED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// `found` with offsets relative to `entry`'s start, when every span (and every related span in this file) lies
/// inside the entry.
pub(super) fn relative(found: &[Diagnostic], entry: Span) -> Kept {
    let inside = |s: Span| s.start >= entry.start && s.end <= entry.end;
    found
        .iter()
        .all(|d| inside(d.span) && d.related.iter().all(|r| r.uri.is_some() || inside(r.span)))
        .then(|| found.iter().map(|d| moved(d, entry.start, false)).collect())
}

/// `d` with its offsets (and those of its related places in this file) moved by `by` bytes, forward or back.
pub(super) fn moved(d: &Diagnostic, by: usize, forward: bool) -> Diagnostic {
    let at = |s: Span| {
        if forward {
            Span::new(s.start + by, s.end + by)
        } else {
            Span::new(s.start - by, s.end - by)
        }
    };
    let mut d = d.clone();
    d.span = at(d.span);
    for r in d.related.iter_mut().filter(|r| r.uri.is_none()) {
        r.span = at(r.span);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Related, Severity};

    fn finding(span: Span, related: Option<(Option<&str>, Span)>) -> Diagnostic {
        let mut d = Diagnostic::new(span, Severity::Hint, "x/y", "m");
        if let Some((uri, span)) = related {
            d.related.push(Related {
                uri: uri.map(str::to_string),
                span,
                message: "r".into(),
            });
        }
        d
    }

    #[test]
    fn findings_inside_the_entry_are_kept_relative_to_it_and_moved_back() {
        let entry = Span::new(100, 200);
        let found = vec![
            finding(Span::new(110, 120), Some((None, Span::new(150, 160)))),
            // a related place in another file is not moved
            finding(
                Span::new(100, 200),
                Some((Some("file:///b.ts"), Span::new(5, 9))),
            ),
        ];
        let kept = relative(&found, entry).expect("all inside");
        assert_eq!(kept[0].span, Span::new(10, 20));
        assert_eq!(kept[0].related[0].span, Span::new(50, 60));
        assert_eq!(kept[1].span, Span::new(0, 100));
        assert_eq!(kept[1].related[0].span, Span::new(5, 9));
        // where the entry is now
        let back: Vec<Diagnostic> = kept.iter().map(|d| moved(d, 100, true)).collect();
        assert_eq!(back, found);
        let there: Vec<Diagnostic> = kept.iter().map(|d| moved(d, 7, true)).collect();
        assert_eq!(there[0].span, Span::new(17, 27));
        assert_eq!(there[0].related[0].span, Span::new(57, 67));
    }

    #[test]
    fn findings_that_point_outside_the_entry_are_not_kept() {
        let entry = Span::new(100, 200);
        assert!(relative(&[finding(Span::new(90, 120), None)], entry).is_none());
        assert!(relative(&[finding(Span::new(110, 201), None)], entry).is_none());
        assert!(relative(
            &[finding(
                Span::new(110, 120),
                Some((None, Span::new(10, 20)))
            )],
            entry
        )
        .is_none());
        assert_eq!(relative(&[], entry), Some(Vec::new()));
    }
}
