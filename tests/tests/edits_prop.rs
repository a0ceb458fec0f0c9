//! Property test: random edit sequences applied through the code path `didChange` uses leave the document
//! text equal to the expected text, and the incrementally maintained tree identical to a fresh parse.

use amplify_lsp::syntax::{parse, point_at, Lang};
use amplify_lsp::text::{Encoding, Pos};
use amplify_lsp::workspace::{Change, Document};
use proptest::prelude::*;
use tree_sitter::{InputEdit, Tree};

const SEED: &str = "import { defineData, a } from '@aws-amplify/backend';\r\n\
const schema = a.schema({\n  Todo: a.model({ content: a.string(), done: a.boolean() })\n    .authorization((allow) => [allow.owner()]),\n});\n\
export const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'userPool' } });\n// 😀 中文 ✓\n";

/// Snippets inserted by the edits: code, multi-byte and astral characters, CRLF, lone CR, half-typed code.
const PIECES: &[&str] = &[
    "a",
    "x",
    " ",
    "\n",
    "\r\n",
    "\r",
    "{",
    "}",
    "(",
    ")",
    "'",
    "`",
    ";",
    ",",
    ".",
    "😀",
    "中",
    "é",
    "🏳️‍🌈",
    "a.string()",
    ".required()",
    "allow.",
    "defineFunction({ timeoutSeconds: 3 })",
    "/* c */",
    "// note\n",
    "'path/*': [allow.guest.to(['read'])],",
    "${",
    "𝔘𝔫𝔦",
];

#[derive(Debug, Clone)]
struct EditOp {
    start: usize, // fraction-free: taken modulo the number of boundaries
    len: usize,
    insert: String,
}

fn edit_op() -> impl Strategy<Value = EditOp> {
    (
        any::<usize>(),
        0usize..12,
        prop::collection::vec(prop::sample::select(PIECES), 0..3),
    )
        .prop_map(|(start, len, pieces)| EditOp {
            start,
            len,
            insert: pieces.concat(),
        })
}

/// Character boundaries of `s` that do not split a "\r\n" pair (clients never address those).
fn boundaries(s: &str) -> Vec<usize> {
    let b = s.as_bytes();
    let mut out: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .filter(|&i| !(i > 0 && b[i - 1] == b'\r' && b[i] == b'\n'))
        .collect();
    out.push(s.len());
    out
}

/// An independent position computation: lines end at "\n" only.
fn position(s: &str, offset: usize, enc: Encoding) -> Pos {
    let before = &s[..offset];
    let line = before.matches('\n').count() as u32;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let seg = &before[start..];
    let character = match enc {
        Encoding::Utf8 => seg.len(),
        Encoding::Utf16 => seg.encode_utf16().count(),
        Encoding::Utf32 => seg.chars().count(),
    } as u32;
    Pos::new(line, character)
}

fn run(ops: &[Vec<EditOp>], enc: Encoding) -> Result<(), TestCaseError> {
    let mut expected = SEED.to_string();
    let mut doc = Document::new(
        "file:///p/amplify/data/resource.ts",
        Some(Lang::TypeScript),
        1,
        expected.clone(),
        usize::MAX,
    );
    // A reference tree maintained with edits computed independently, from byte offsets of the expected text.
    let mut reference: Tree = parse(&expected, Lang::TypeScript, None).expect("parse");
    for (n, batch) in ops.iter().enumerate() {
        // One didChange may carry several changes: each is relative to the text after the previous one.
        let mut changes = Vec::new();
        for op in batch {
            let bounds = boundaries(&expected);
            let si = op.start % bounds.len();
            let ei = (si + op.len).min(bounds.len() - 1);
            let (a, b) = (bounds[si], bounds[ei]);
            changes.push(Change {
                range: Some((position(&expected, a, enc), position(&expected, b, enc))),
                text: op.insert.clone(),
            });
            let edit = InputEdit {
                start_byte: a,
                old_end_byte: b,
                new_end_byte: a + op.insert.len(),
                start_position: point_at(&expected, a),
                old_end_position: point_at(&expected, b),
                new_end_position: {
                    let mut after = expected.clone();
                    after.replace_range(a..b, &op.insert);
                    point_at(&after, a + op.insert.len())
                },
            };
            reference.edit(&edit);
            expected.replace_range(a..b, &op.insert);
        }
        let next = parse(&expected, Lang::TypeScript, Some(&reference));
        doc.apply(n as i32 + 2, &changes, enc)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(doc.text(), expected.as_str());
        // tree-sitter's error recovery can run away on some texts; the parse is then abandoned within its
        // budget (`syntax::parse_budget`) and there is no tree to compare. The text must still be right (above).
        let (Some(next), Some(tree)) = (next, doc.tree()) else {
            return Ok(());
        };
        reference = next;
        prop_assert_eq!(tree.root_node().end_byte(), expected.len());
        // Identical to the independently maintained incremental tree, node for node (kinds and byte ranges).
        prop_assert_eq!(outline(tree), outline(&reference));
        // And identical to a fresh parse whenever the text is free of syntax errors. (With errors,
        // tree-sitter's error recovery may legitimately pick a different recovery incrementally.)
        let Some(fresh) = parse(&expected, Lang::TypeScript, None) else {
            return Ok(());
        };
        if !fresh.root_node().has_error() {
            prop_assert_eq!(outline(tree), outline(&fresh));
        }
    }
    Ok(())
}

/// Every node's kind and byte range, in document order.
fn outline(tree: &Tree) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut c = tree.walk();
    'walk: loop {
        let n = c.node();
        out.push((n.kind().to_string(), n.start_byte(), n.end_byte()));
        if c.goto_first_child() {
            continue;
        }
        loop {
            if c.goto_next_sibling() {
                continue 'walk;
            }
            if !c.goto_parent() {
                break 'walk;
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn incremental_edits_match_expected_text_and_fresh_parse_utf16(
        ops in prop::collection::vec(prop::collection::vec(edit_op(), 1..4), 1..8)
    ) {
        run(&ops, Encoding::Utf16)?;
    }

    #[test]
    fn incremental_edits_match_expected_text_and_fresh_parse_utf8(
        ops in prop::collection::vec(prop::collection::vec(edit_op(), 1..4), 1..8)
    ) {
        run(&ops, Encoding::Utf8)?;
    }
}
