//! The defence against tree-sitter's error recovery in large files.
//!
//! Typing an unclosed bracket into the middle of a large file (`.model(` with 6,000 lines after it) makes
//! tree-sitter's incremental reparse re-read everything after the edit in error recovery: 80–150 ms per
//! keystroke on a 12,000-line schema, for as long as the bracket stays open. The rest of the file has not
//! changed. So in a large file the document parses each edit with a small work budget first, and when the
//! text is certainly broken (tree-sitter found errors within the budget, or the edit left a bracket open or
//! stray), it analyses a *blanked* copy of the text instead: the
//! same text with the damaged region (the edit, widened to the gap between the untouched syntax nodes around
//! it) replaced by spaces, newlines kept. That copy has the same length and the same lines, so every position
//! outside the region is the real text's; it is parsed incrementally from the last good tree, which costs
//! about what a valid keystroke costs. The region's own error is reported from a bracket scan
//! ([`first_unbalanced`]). Once the edit is balanced again, the real text is parsed and the guard ends.
//!
//! Everything here is tree-sitter and text: the document (`workspace::document`) decides when to use it.

use tree_sitter::{InputEdit, Node, Tree};

use super::{point_at, Lang};

/// Files smaller than this are always parsed as they are: tree-sitter's error recovery in them costs at
/// most a few milliseconds (the 348-line `mid` benchmark schema: 3.4 ms at p95).
pub const MIN_GUARDED_LEN: usize = 64 * 1024;

/// The work (progress-callback invocations, see [`super::parse_budget`]) an incremental reparse of a large
/// file may do before the guard takes over. A keystroke in a valid 1,000-model schema needs 31 to 60 (measured);
/// its full parse about 5,500 (see [`super::parse_budget`]).
pub const REPARSE_BUDGET: u64 = 400;

/// How many enclosing nodes are tried, innermost first, when looking for a region whose blanking leaves a
/// text that parses.
const MAX_LEVELS: usize = 12;

/// A bracket that breaks the balance of a region: an opener never closed, or a closer that closes nothing
/// (or the wrong kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unbalanced {
    /// Byte offset of the bracket, relative to the scanned text.
    pub at: usize,
    pub bracket: char,
    /// `true` for an opener left open, `false` for a stray closer.
    pub open: bool,
}

/// Scans `text` for brackets, skipping strings, template literals (whose `${` counts as an opener) and
/// comments; returns the first bracket that breaks the balance: the outermost opener left open, or the first
/// closer without its opener. `None` when every bracket is matched. A quote left open ends at the end of its
/// line (a template literal at the end of the text).
pub fn first_unbalanced(text: &str) -> Option<Unbalanced> {
    let b = text.as_bytes();
    // (offset, bracket, whether it opened a template substitution)
    let mut stack: Vec<(usize, u8)> = Vec::new();
    // template literals being read, by the stack depth at which their `${` was opened
    let mut templates: Vec<usize> = Vec::new();
    let mut i = 0;
    let n = b.len();
    while i < n {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < n && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < n && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
                continue;
            }
            q @ (b'\'' | b'"') => {
                i += 1;
                while i < n && b[i] != q && b[i] != b'\n' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'`' => {
                i = template_rest(b, i + 1, &mut stack, &mut templates);
                continue;
            }
            c @ (b'(' | b'[' | b'{') => stack.push((i, c)),
            c @ (b')' | b']' | b'}') => {
                if c == b'}' && templates.last() == Some(&stack.len()) {
                    // the end of a `${...}`: back into the template literal
                    if let Some((_, b'$')) = stack.last() {
                        stack.pop();
                        templates.pop();
                        i = template_rest(b, i + 1, &mut stack, &mut templates);
                        continue;
                    }
                }
                let want = match c {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                match stack.last() {
                    Some(&(_, o)) if o == want => {
                        stack.pop();
                    }
                    _ => {
                        return Some(Unbalanced {
                            at: i,
                            bracket: c as char,
                            open: false,
                        })
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    stack.first().map(|&(at, c)| Unbalanced {
        at,
        bracket: if c == b'$' { '{' } else { c as char },
        open: true,
    })
}

/// Reads a template literal's text from `i` (after the backtick or after a substitution's `}`) up to its
/// closing backtick (returns the offset after it) or the next `${` (pushes it, returns the offset after it).
fn template_rest(
    b: &[u8],
    mut i: usize,
    stack: &mut Vec<(usize, u8)>,
    templates: &mut Vec<usize>,
) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'`' => return i + 1,
            b'$' if b.get(i + 1) == Some(&b'{') => {
                // the `$` stands for the substitution's opener; its `{` is at i + 1
                stack.push((i + 1, b'$'));
                templates.push(stack.len());
                return i + 2;
            }
            _ => i += 1,
        }
    }
    b.len()
}

/// `text` with the bytes of `region` replaced by spaces, line breaks kept, so that positions and lines are
/// unchanged. `region` must lie on character boundaries (syntax nodes and edits do).
pub fn blank(text: &str, region: (usize, usize)) -> String {
    let (a, b) = (region.0.min(text.len()), region.1.min(text.len()));
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..a]);
    for c in text[a..b].chars() {
        match c {
            '\n' | '\r' => out.push(c),
            // keep the byte length of wider characters
            c => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
        }
    }
    out.push_str(&text[b..]);
    out
}

/// The most text outside the damage a blanked region may hold: enough for a model or two next to the edit, never
/// the rest of a schema. A region that would hide more is not tried, and the file is parsed in full instead.
pub const MAX_HIDDEN: usize = 8 * 1024;

/// The regions to try blanking for a damaged byte range of the current text, innermost first. `base` is the
/// last tree of a real parse, `edit`ed since, so that its untouched nodes sit at their current offsets.
///
/// At each level, the region is the gap between the last untouched child of a node that ends before the
/// damage and the first that starts after it, then that gap widened by the named sibling on its left, on its
/// right, and on both sides (deleting the comma after a model breaks the file at the model's end: blanking the
/// model is the fix). A comma after the region goes too when a comma or an opening bracket precedes it
/// (`{ a: 1, <gap>, b: 2 }` would otherwise leave two commas). Then the next level up, with the whole node as
/// the damage. No region hides more than [`MAX_HIDDEN`] bytes outside the damage.
pub fn candidate_regions(base: &Tree, damage: (usize, usize)) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let (mut ds, mut de) = damage;
    let root = base.root_node();
    let Some(mut node) = root.descendant_for_byte_range(ds, de) else {
        return out;
    };
    for _ in 0..MAX_LEVELS {
        for region in gaps(node, ds, de) {
            let hidden = (region.1 - region.0).saturating_sub(damage.1 - damage.0);
            if hidden <= MAX_HIDDEN && !out.contains(&region) {
                out.push(region);
            }
        }
        let Some(parent) = node.parent() else {
            break;
        };
        ds = ds.min(node.start_byte());
        de = de.max(node.end_byte());
        node = parent;
    }
    out
}

/// The gaps among `node`'s children around the damaged range `ds..de` (see [`candidate_regions`]).
fn gaps(node: Node, ds: usize, de: usize) -> Vec<(usize, usize)> {
    match children_around(node, ds, de) {
        Some(children) => gaps_among(node, &children, ds, de),
        None => gaps_among(node, &all_children(node), ds, de),
    }
}

fn all_children(node: Node) -> Vec<Node> {
    let mut c = node.walk();
    node.children(&mut c).collect()
}

/// [`gaps`], among `children`: every child of `node`, or a run of them holding every child it reads.
fn gaps_among(node: Node, children: &[Node], ds: usize, de: usize) -> Vec<(usize, usize)> {
    let top = node.parent().is_none();
    let left = children.iter().rposition(|k| k.end_byte() <= ds);
    let right = children.iter().position(|k| k.start_byte() >= de);
    // the boundaries kept: `None` stands for the program's edge
    let mut out = Vec::new();
    let mut push = |l: Option<usize>, r: Option<usize>| {
        let start = match l {
            Some(l) => children[l].end_byte(),
            None if top => node.start_byte(),
            None => return,
        };
        let mut end = match r {
            Some(r) => children[r].start_byte(),
            None if top => node.end_byte(),
            None => return,
        };
        if let (Some(l), Some(r)) = (l, r) {
            if l >= r {
                return;
            }
            if children[r].kind() == "," && matches!(children[l].kind(), "," | "{" | "(" | "[") {
                end = children[r].end_byte();
            }
        }
        if start < end && start <= ds && end >= de {
            out.push((start, end));
        }
    };
    push(left, right);
    // one named sibling more on the left: the boundary moves to the child before it
    let wider_left = left.and_then(|l| {
        let named = (0..=l).rev().find(|&k| children[k].is_named())?;
        named.checked_sub(1)
    });
    let wider_right = right.and_then(|r| {
        let named = (r..children.len()).find(|&k| children[k].is_named())?;
        (named + 1 < children.len()).then_some(named + 1)
    });
    if wider_left.is_some() {
        push(wider_left, right);
    }
    if wider_right.is_some() {
        push(left, wider_right);
    }
    if wider_left.is_some() && wider_right.is_some() {
        push(wider_left, wider_right);
    }
    out
}

/// The children of `node` that [`gaps`] reads, in order: those overlapping `ds..de`, and on each side the child
/// next to the damage, the nearest named child beyond it and one more child. [`gaps`] finds the same boundaries in
/// them as in every child, without visiting the thousand models of a schema on each keystroke. `None` when no child
/// ends after `ds` (then every child is read).
fn children_around<'t>(node: Node<'t>, ds: usize, de: usize) -> Option<Vec<Node<'t>>> {
    // the first child that ends after `ds`: every child before it ends at or before `ds`
    let mut c = node.walk();
    c.goto_first_child_for_byte(ds)?;
    let first = c.node();
    let mut forwards = c.clone();
    // backwards: the child next to the damage, up to and including a named one, then one more, and any child
    // before that which starts at `de` still (empty ones, where `ds == de`)
    let mut before = Vec::new();
    let mut named = false;
    while c.goto_previous_sibling() {
        let k = c.node();
        before.push(k);
        if named && k.start_byte() < de {
            break;
        }
        named |= k.is_named();
    }
    before.reverse();
    // forwards from the first: up to the first child that starts at or after `de`, from there up to and including
    // a named one, then one more
    let mut past = first.start_byte() >= de;
    let mut named = past && first.is_named();
    before.push(first);
    while forwards.goto_next_sibling() {
        let k = forwards.node();
        before.push(k);
        if named {
            break;
        }
        past |= k.start_byte() >= de;
        named = past && k.is_named();
    }
    Some(before)
}

/// Marks `region` of `tree` (whose text is the current text) as replaced by a same-length text, so that an
/// incremental parse of the blanked text re-reads it.
pub fn edit_region(tree: &mut Tree, text: &str, region: (usize, usize)) {
    let start = point_at(text, region.0);
    let end = point_at(text, region.1);
    tree.edit(&InputEdit {
        start_byte: region.0,
        old_end_byte: region.1,
        new_end_byte: region.1,
        start_position: start,
        old_end_position: end,
        new_end_position: end,
    });
}

/// A blanked copy of the text and its tree (see the module docs).
pub struct Blanked {
    pub region: (usize, usize),
    pub text: String,
    pub tree: Tree,
}

/// Tries `regions` (from [`candidate_regions`]), innermost first, and returns the first whose blanking
/// leaves a text that parses without syntax errors within [`REPARSE_BUDGET`], with that text and its tree.
/// `None` when none does: the caller then parses the real text.
pub fn blank_damage(
    text: &str,
    lang: Lang,
    base: &Tree,
    regions: &[(usize, usize)],
) -> Option<Blanked> {
    for &region in regions {
        let blanked = blank(text, region);
        let mut old = base.clone();
        edit_region(&mut old, text, region);
        let Some(tree) = super::parse_bounded(&blanked, lang, Some(&old), REPARSE_BUDGET) else {
            continue;
        };
        if tree.root_node().has_error() {
            continue;
        }
        return Some(Blanked {
            region,
            text: blanked,
            tree,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_children_around_the_damage_give_the_gaps_every_child_gives() {
        // a schema with unnamed children (commas, brackets), a half-typed model (errors, a missing node), an
        // empty entry and comments; every node, damaged ranges from every byte, of several lengths
        let src = "const schema = a.schema({\n  A: a.model({ x: a.string() }),\n  , // c\n  B: a.model({ y: a.\n  C: \
                   a.model({ z: a.id(), w: a.integer().required() }).authorization((allow) => [allow.owner()]),\n  \
                   D: a.enum(['a', 'b']),\n});\nexport const data = defineData({ schema });\n";
        let tree = crate::syntax::parse(src, Lang::TypeScript, None).expect("parse");
        let mut nodes = vec![tree.root_node()];
        let mut compared = 0;
        while let Some(node) = nodes.pop() {
            let children = all_children(node);
            nodes.extend(children.iter().copied());
            if children.is_empty() {
                continue;
            }
            let (a, b) = (node.start_byte(), node.end_byte());
            for ds in a..=b {
                for de in [ds, ds + 1, ds + 3, ds + 10, ds + 40, b].map(|e| e.min(b)) {
                    assert_eq!(
                        gaps(node, ds, de),
                        gaps_among(node, &children, ds, de),
                        "{} {ds}..{de}",
                        node.kind()
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 1000, "{compared}");
    }

    fn scan(s: &str) -> Option<(usize, char, bool)> {
        first_unbalanced(s).map(|u| (u.at, u.bracket, u.open))
    }

    #[test]
    fn brackets_are_matched_outside_strings_and_comments() {
        assert_eq!(scan("a.model({ x: a.string() })"), None);
        assert_eq!(scan("a.model({ x: '(' })"), None);
        assert_eq!(scan("a.model({ x: \"[\" }) // ("), None);
        assert_eq!(scan("/* { */ f()"), None);
        assert_eq!(scan("`a ${ f({}) } b`"), None);
        assert_eq!(scan("`a ${ `x ${ y }` } b`"), None);
        // the outermost opener left open
        assert_eq!(
            scan("Book: a\n  .model({\n    url: a.url("),
            Some((16, '(', true))
        );
        assert_eq!(scan("x)"), Some((1, ')', false)));
        assert_eq!(scan("f(]"), Some((2, ']', false)));
        // a quote left open ends at its line
        assert_eq!(scan("a.enum(['PRI\n])"), None);
        assert_eq!(scan("`open ${ f("), Some((7, '{', true)));
    }

    #[test]
    fn blanking_keeps_length_and_lines() {
        let t = "ab\ncdé\nf";
        let b = blank(t, (1, 8));
        assert_eq!(b.len(), t.len());
        assert_eq!(b, "a \n    \nf");
    }
}
