//! Syntax layer: tree-sitter parsing (full and incremental) and the `.scm` queries from `queries/`.

mod queries;

pub use queries::{queries, Queries};

use std::cell::RefCell;
use tree_sitter::{Language, Node, Parser, Point, Tree};

use crate::text::Span;

/// The grammar a document is parsed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    TypeScript,
    Tsx,
}

impl Lang {
    /// The grammar for a file path or URI, by extension: `.ts`/`.mts`/`.cts` use TypeScript, `.tsx` uses TSX.
    /// Anything else is not ours.
    pub fn from_path(path: &str) -> Option<Lang> {
        let path = path.split(['?', '#']).next().unwrap_or(path);
        let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match ext.as_str() {
            "ts" | "mts" | "cts" => Some(Lang::TypeScript),
            "tsx" => Some(Lang::Tsx),
            _ => None,
        }
    }

    /// The grammar for an LSP `languageId`, if it names one of ours.
    pub fn from_language_id(id: &str) -> Option<Lang> {
        match id {
            "typescript" => Some(Lang::TypeScript),
            "typescriptreact" => Some(Lang::Tsx),
            _ => None,
        }
    }

    pub fn language(self) -> Language {
        match self {
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        }
    }
}

thread_local! {
    static PARSERS: RefCell<[Option<Parser>; 2]> = const { RefCell::new([None, None]) };
}

/// Parses `text`, reusing `old` (already `edit`ed to match `text`) for an incremental reparse.
/// Returns `None` only if tree-sitter gives up, which it does not without a timeout or cancellation.
pub fn parse(text: &str, lang: Lang, old: Option<&Tree>) -> Option<Tree> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let slot = &mut parsers[lang as usize];
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(&lang.language()).ok()?;
            *slot = Some(p);
        }
        slot.as_mut()?.parse(text, old)
    })
}

/// The tree-sitter point (row, byte column) of a byte offset in `text`.
pub fn point_at(text: &str, offset: usize) -> Point {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let col = before.iter().rev().take_while(|&&b| b != b'\n').count();
    Point::new(row, col)
}

/// The byte span of a node.
pub fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

/// The text of a node (empty if the node's range is not valid UTF-8 boundaries, which tree-sitter never
/// produces for UTF-8 input).
pub fn text<'a>(node: Node, src: &'a str) -> &'a str {
    src.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// A syntax error found in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

/// Collects ERROR and MISSING nodes (at most `limit`), walking iteratively so deep trees cannot overflow the stack.
pub fn syntax_errors(tree: &Tree, src: &str, limit: usize) -> Vec<SyntaxError> {
    let mut out = Vec::new();
    if !tree.root_node().has_error() {
        return out;
    }
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        let mut descend = node.has_error();
        if node.is_missing() {
            out.push(SyntaxError {
                span: span(node),
                message: format!("syntax error: missing `{}`", node.kind()),
            });
            descend = false;
        } else if node.is_error() {
            let snippet: String = text(node, src).chars().take(20).collect();
            let message = if snippet.trim().is_empty() {
                "syntax error".to_string()
            } else {
                format!("syntax error: unexpected `{}`", snippet.trim())
            };
            out.push(SyntaxError {
                span: span(node),
                message,
            });
            descend = false;
        }
        if out.len() >= limit {
            break;
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_by_extension() {
        assert_eq!(
            Lang::from_path("file:///a/amplify/x.ts"),
            Some(Lang::TypeScript)
        );
        assert_eq!(Lang::from_path("/a/b.MTS"), Some(Lang::TypeScript));
        assert_eq!(Lang::from_path("/a/b.cts"), Some(Lang::TypeScript));
        assert_eq!(Lang::from_path("/a/b.tsx"), Some(Lang::Tsx));
        assert_eq!(Lang::from_path("/a/b.js"), None);
        assert_eq!(Lang::from_path("/a/noext"), None);
    }

    #[test]
    fn finds_errors() {
        let src = "const x = defineAuth({ loginWith: { email: true } ;";
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        let errs = syntax_errors(&tree, src, 10);
        assert!(!errs.is_empty());
        let ok = "const x = 1;";
        let tree = parse(ok, Lang::TypeScript, None).expect("parse");
        assert!(syntax_errors(&tree, ok, 10).is_empty());
    }

    #[test]
    fn point_counts_bytes() {
        assert_eq!(point_at("ab\n😀x", 8), Point::new(1, 5));
        assert_eq!(point_at("ab", 99), Point::new(0, 2));
    }
}
