//! Syntax layer: tree-sitter parsing (full and incremental) and the `.scm` queries from `queries/`.

mod queries;

pub use queries::{queries, Queries};

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use tree_sitter::{Language, Node, ParseOptions, ParseState, Parser, Point, Tree};

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

/// How long one parse may take: a base, plus time in proportion to the text (a normal full parse runs at
/// about 3 MB/s here). tree-sitter's error recovery can explode on some short inputs (a 313-byte file of
/// half-typed code once took minutes and gigabytes); past this budget the parse is abandoned.
pub fn parse_budget(len: usize) -> Duration {
    Duration::from_millis(250 + (len / 512) as u64)
}

/// Parses `text`, reusing `old` (already `edit`ed to match `text`) for an incremental reparse.
/// Returns `None` when tree-sitter gives up: here, only when the parse exceeds [`parse_budget`]; the caller
/// then treats the text as unparsed (nothing is analysed until a later edit parses again).
pub fn parse(text: &str, lang: Lang, old: Option<&Tree>) -> Option<Tree> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let slot = &mut parsers[lang as usize];
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(&lang.language()).ok()?;
            *slot = Some(p);
        }
        let parser = slot.as_mut()?;
        let started = Instant::now();
        let budget = parse_budget(text.len());
        let mut over_budget = |_: &ParseState| {
            if started.elapsed() > budget {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let options = ParseOptions::new().progress_callback(&mut over_budget);
        let bytes = text.as_bytes();
        let tree = parser.parse_with_options(
            &mut |i, _| bytes.get(i..).unwrap_or_default(),
            old,
            Some(options),
        );
        if tree.is_none() {
            // A cancelled parse would otherwise be resumed by the next call.
            parser.reset();
            tracing::warn!(
                "gave up parsing a {} byte text after {} ms (tree-sitter's error recovery did not finish)",
                text.len(),
                started.elapsed().as_millis()
            );
        }
        tree
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

    /// A 313-byte text (found by the edit property test) on which tree-sitter's error recovery runs for
    /// minutes and takes gigabytes: the parse is abandoned within its budget, and the parser then parses the
    /// next text normally (a cancelled parse is not resumed).
    #[test]
    fn a_runaway_parse_is_abandoned_and_the_parser_recovers() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/crashers/parse-explosion.data.ts"
        );
        let bytes = std::fs::read(path).expect("crasher fixture");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let started = Instant::now();
        assert!(parse(&text, Lang::TypeScript, None).is_none());
        let took = started.elapsed();
        assert!(
            took < parse_budget(text.len()) * 20,
            "abandoned only after {took:?}"
        );
        let ok = "export const x = { a: 1 };";
        let tree = parse(ok, Lang::TypeScript, None).expect("parse after an abandoned one");
        assert!(!tree.root_node().has_error());
        assert_eq!(tree.root_node().end_byte(), ok.len());
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
