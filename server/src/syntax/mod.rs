//! Syntax layer: tree-sitter parsing (full and incremental) and the `.scm` queries from `queries/`.

pub mod guard;
mod queries;

pub use queries::{queries, Queries};

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::hash::{Hash, Hasher};
use std::iter::Peekable;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

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

    /// The grammar for a frontend file (see [`crate::workspace::is_frontend_file`]): the backend's extensions,
    /// and JavaScript's (`.js`, `.jsx`, `.mjs`, `.cjs`), read with the TSX grammar, which accepts JSX and plain
    /// JavaScript alike.
    pub fn from_frontend_path(path: &str) -> Option<Lang> {
        Lang::from_path(path).or_else(|| {
            let path = path.split(['?', '#']).next().unwrap_or(path);
            let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
            matches!(ext.as_str(), "js" | "jsx" | "mjs" | "cjs").then_some(Lang::Tsx)
        })
    }

    /// The grammar for an LSP `languageId`, if it names one of ours.
    pub fn from_language_id(id: &str) -> Option<Lang> {
        match id {
            "typescript" => Some(Lang::TypeScript),
            "typescriptreact" | "javascript" | "javascriptreact" => Some(Lang::Tsx),
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

/// The work every parse may do regardless of size, in progress-callback invocations. tree-sitter calls the
/// progress callback once per 100 parse operations (`OP_COUNT_PER_PARSER_CALLBACK_CHECK` in its `parser.c`),
/// so one unit is about 100 shifts, reductions or recovery steps.
pub const PARSE_BUDGET_BASE: u64 = 200;

/// The work every parse may do per KB of text, in progress-callback invocations (see [`parse_budget`]).
pub const PARSE_BUDGET_PER_KB: u64 = 256;

/// How much work one parse of a `len`-byte text may do, counted in progress-callback invocations: a base
/// plus an amount in proportion to the text. Work, not time, so a busy machine cannot make a parse run out
/// of budget: the same text gets the same outcome whatever the load.
///
/// Measured (tree-sitter 0.26.13, TypeScript grammar): every `.ts` file of the repository (842 files,
/// examples, fixtures and editor extensions) needs at most 11.2 invocations per KB and 146 in all; the
/// 12,000-line benchmark schema (1,000 models, 458 KB) 5,521 (12.4/KB), on one line too; the 1 MB one-line
/// schema 12,681 (12.4/KB); 4.6 MB of schema (10,000 models) 55,087; random bytes and token soup at most
/// 15/KB; 10,000 levels of nesting (objects, arrays, calls, arrows, templates, types, JSX) at most 51/KB;
/// the densest degenerate texts found (100,000 commas in brackets, 100,000 semicolons) 82/KB and 72/KB.
/// tree-sitter's error recovery on the 313-byte crasher (`tests/fixtures/crashers/parse-explosion.data.ts`)
/// never finishes: it makes about 2 to 4 invocations per millisecond, for minutes, stuck at byte 293.
/// So 256 per KB is 20 times what real code needs and 3 times the densest text found, and the base of 200
/// (a normal file under 1 KB needs at most 10) stops the crasher after 278 invocations, about 0.1 s.
pub fn parse_budget(len: usize) -> u64 {
    PARSE_BUDGET_BASE.saturating_add((len as u64).saturating_mul(PARSE_BUDGET_PER_KB) / 1024)
}

/// A backstop in CPU time of the parsing thread: 1 s plus 4 ms per KB, more than 20 times what the largest
/// texts measured need (the 1 MB one-line schema parses in well under 0.2 s of CPU). The work budget
/// ([`parse_budget`]) stops a runaway error recovery in a small file long before this; in a large file, where
/// the work budget grows with the text, a runaway confined to a small part of it would otherwise run for tens
/// of seconds. CPU time, not wall-clock time: a thread waiting for a core accrues none, so load cannot trip it.
fn cpu_budget_ns(len: usize) -> u64 {
    1_000_000_000u64.saturating_add((len as u64 / 1024).saturating_mul(4_000_000))
}

/// The CPU time this thread has used, in nanoseconds (`None` where the platform does not tell).
#[cfg(unix)]
fn thread_cpu_ns() -> Option<u64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the call only writes it.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| (ts.tv_sec as u64).saturating_mul(1_000_000_000) + ts.tv_nsec as u64)
}

#[cfg(not(unix))]
fn thread_cpu_ns() -> Option<u64> {
    None
}

/// Parses run (cache hits not counted) and parses abandoned, since the process started: `amplify/debugDocument`
/// reports them, so tests can count work instead of timing it.
static PARSES_RUN: AtomicU64 = AtomicU64::new(0);
static PARSES_ABANDONED: AtomicU64 = AtomicU64::new(0);

/// (parses run, parses abandoned) since the process started.
pub fn parse_counts() -> (u64, u64) {
    (
        PARSES_RUN.load(Ordering::Relaxed),
        PARSES_ABANDONED.load(Ordering::Relaxed),
    )
}

/// The texts whose full parse was abandoned, by (grammar, length, hash): the budget counts work, so the same
/// text is abandoned again, and the next full parse of it can be skipped. At most [`ABANDONED_REMEMBERED`];
/// the oldest goes first.
static ABANDONED: Mutex<VecDeque<(Lang, usize, u64)>> = Mutex::new(VecDeque::new());

/// The most abandoned texts remembered.
const ABANDONED_REMEMBERED: usize = 256;

fn text_key(text: &str, lang: Lang) -> (Lang, usize, u64) {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    (lang, text.len(), h.finish())
}

/// Parses `text`, reusing `old` (already `edit`ed to match `text`) for an incremental reparse.
/// Returns `None` when tree-sitter gives up: here, only when the parse exceeds [`parse_budget`]; the caller
/// then treats the text as unparsed (nothing is analysed until a later edit parses again). A full parse of a
/// text abandoned before is not run again.
pub fn parse(text: &str, lang: Lang, old: Option<&Tree>) -> Option<Tree> {
    parse_unless(text, lang, old, &never)
}

/// A `stop` for [`parse_unless`] that never stops.
pub fn never() -> bool {
    false
}

/// [`parse`], given up as soon as `stop` answers true (asked every few thousand bytes of progress): for a
/// parse whose tree is no longer wanted. Such a parse is neither logged nor remembered as abandoned.
pub fn parse_unless(
    text: &str,
    lang: Lang,
    old: Option<&Tree>,
    stop: &dyn Fn() -> bool,
) -> Option<Tree> {
    let key = old.is_none().then(|| text_key(text, lang));
    if let Some(key) = key {
        if ABANDONED.lock().is_ok_and(|a| a.contains(&key)) {
            tracing::debug!(
                "not parsing a {} byte text again: its parse was abandoned before",
                text.len()
            );
            return None;
        }
    }
    let (tree, work) = parse_within(
        text,
        lang,
        old,
        parse_budget(text.len()),
        cpu_budget_ns(text.len()),
        stop,
    );
    if tree.is_none() && (crate::cancel::stopping() || stop()) {
        // given up because the server is stopping or the tree is not wanted, not because of the text
        return None;
    }
    if tree.is_none() {
        PARSES_ABANDONED.fetch_add(1, Ordering::Relaxed);
    }
    if tree.is_none() {
        tracing::warn!(
            "gave up parsing a {} byte text after {work} units of work (tree-sitter's error recovery did not finish)",
            text.len(),
        );
        if let (Some(key), Ok(mut a)) = (key, ABANDONED.lock()) {
            if a.len() >= ABANDONED_REMEMBERED {
                a.pop_front();
            }
            a.push_back(key);
        }
    }
    tree
}

/// Parses with a budget of `budget` progress-callback invocations and `cpu_limit` nanoseconds of this thread's
/// CPU time, unless `stop` answers true; returns the tree (`None` when abandoned) and the invocations counted.
fn parse_within(
    text: &str,
    lang: Lang,
    old: Option<&Tree>,
    budget: u64,
    cpu_limit: u64,
    stop: &dyn Fn() -> bool,
) -> (Option<Tree>, u64) {
    PARSES_RUN.fetch_add(1, Ordering::Relaxed);
    let mut work = 0u64;
    let tree = PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let slot = &mut parsers[lang as usize];
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(&lang.language()).ok()?;
            *slot = Some(p);
        }
        let parser = slot.as_mut()?;
        let cpu_start = thread_cpu_ns();
        let mut over_budget = |_: &ParseState| {
            work += 1;
            if work > budget {
                return ControlFlow::Break(());
            }
            // the server is stopping, or the caller no longer wants the tree: nobody waits for it
            if work % 16 == 0 && (crate::cancel::stopping() || stop()) {
                return ControlFlow::Break(());
            }
            // the backstop, checked every 64 invocations: CPU time of this thread, which load does not advance
            if work % 64 == 0 {
                if let (Some(start), Some(now)) = (cpu_start, thread_cpu_ns()) {
                    if now.saturating_sub(start) > cpu_limit {
                        return ControlFlow::Break(());
                    }
                }
            }
            ControlFlow::Continue(())
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
        }
        tree
    });
    (tree, work)
}

/// Parses with a small budget of `budget` progress-callback invocations, for the guard against error
/// recovery in large files ([`guard`]): `None` when the budget runs out. Unlike [`parse`], giving up here is
/// expected and is neither logged, counted as abandoned, nor remembered.
pub fn parse_bounded(text: &str, lang: Lang, old: Option<&Tree>, budget: u64) -> Option<Tree> {
    parse_within(text, lang, old, budget, cpu_budget_ns(text.len()), &never).0
}

/// The tree-sitter point (row, byte column) of a byte offset in `text`.
pub fn point_at(text: &str, offset: usize) -> Point {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    // vectorised: the guard converts offsets deep into a large schema on the message loop
    let row = memchr::memchr_iter(b'\n', before).count();
    let col = memchr::memrchr(b'\n', before).map_or(offset, |nl| offset - nl - 1);
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
/// Only errors that are certain are reported: TypeScript the grammar does not know (see [`mask_grammar_gaps`])
/// is not an error.
pub fn syntax_errors(tree: &Tree, src: &str, limit: usize) -> Vec<SyntaxError> {
    if !tree.root_node().has_error() {
        return Vec::new();
    }
    if let Cow::Owned(masked) = mask_grammar_gaps(src) {
        let lang = [Lang::TypeScript, Lang::Tsx]
            .into_iter()
            .find(|l| l.language().name() == tree.language().name());
        // the masked text has the same length and lines: its errors are the original's, minus the gaps
        if let Some(tree) = lang.and_then(|l| parse(&masked, l, None)) {
            return tree_errors(&tree, src, limit);
        }
    }
    tree_errors(tree, src, limit)
}

/// Valid TypeScript that tree-sitter-typescript 0.23 cannot parse, replaced by text of the same length that it
/// can (so positions and lines stay), for deciding which syntax errors are real:
/// - `typeof import('./x')` as a type argument of a call (`importOriginal<typeof import('./x')>()`, vitest's
///   `vi.mock` idiom): the `import(...)` becomes an identifier;
/// - `export type * from` (TypeScript 5.0): `type` becomes spaces;
/// - variance annotations on type parameters (`<in T>`, `<out T>`, `<in out T>`): `in`/`out` become spaces.
pub fn mask_grammar_gaps(src: &str) -> Cow<'_, str> {
    // copied on the first replacement only: most files hold none
    let mut b: Cow<[u8]> = Cow::Borrowed(src.as_bytes());
    let n = b.len();
    let word_at = |b: &[u8], i: usize, w: &[u8]| {
        b.get(i..i + w.len()) == Some(w)
            && (i == 0 || !is_ident_byte(b[i - 1]))
            && b.get(i + w.len()).is_none_or(|&c| !is_ident_byte(c))
    };
    // Only where a gap can start is looked at (the checks below at every byte of a large schema took 1.2 ms, on
    // each keystroke that leaves a syntax error): found in the original text, which holds every place where the
    // text as masked so far can match (a mask writes `_` and spaces, which start nothing).
    let mut starts = GapStarts::new(src.as_bytes());
    let mut i = 0;
    while i < n {
        match starts.next_from(i) {
            Some(at) => i = at,
            None => break,
        }
        // `typeof import(...)`
        if word_at(&b, i, b"typeof") {
            let mut j = i + 6;
            while j < n && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if word_at(&b, j, b"import") {
                let mut k = j + 6;
                while k < n && b[k].is_ascii_whitespace() {
                    k += 1;
                }
                if k < n && b[k] == b'(' {
                    if let Some(close) = b[k..].iter().position(|&c| c == b')') {
                        let end = k + close + 1;
                        if !b[j..end].contains(&b'\n') {
                            b.to_mut()[j..end].iter_mut().for_each(|c| *c = b'_');
                            i = end;
                            continue;
                        }
                    }
                }
            }
        }
        // `export type *`
        if word_at(&b, i, b"export") {
            let mut j = i + 6;
            while j < n && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if word_at(&b, j, b"type") {
                let mut k = j + 4;
                while k < n && b[k].is_ascii_whitespace() {
                    k += 1;
                }
                if k < n && b[k] == b'*' {
                    b.to_mut()[j..j + 4].iter_mut().for_each(|c| *c = b' ');
                    i = k;
                    continue;
                }
            }
        }
        // `<in T`, `, out T`, `<in out T`
        if b[i] == b'<' || b[i] == b',' {
            let mut j = i + 1;
            loop {
                while j < n && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                let w = if word_at(&b, j, b"in") {
                    2
                } else if word_at(&b, j, b"out") {
                    3
                } else {
                    break;
                };
                let mut k = j + w;
                while k < n && b[k].is_ascii_whitespace() {
                    k += 1;
                }
                // a type parameter's name follows, then `>`, `,`, `=` or `extends`
                if k < n && (b[k].is_ascii_alphabetic() || b[k] == b'_' || b[k] == b'$') {
                    let mut e = k;
                    while e < n && is_ident_byte(b[e]) {
                        e += 1;
                    }
                    let mut f = e;
                    while f < n && b[f].is_ascii_whitespace() {
                        f += 1;
                    }
                    let next_ok = f < n
                        && (matches!(b[f], b'>' | b',' | b'=')
                            || word_at(&b, f, b"extends")
                            || word_at(&b, k, b"out"));
                    if next_ok {
                        b.to_mut()[j..j + w].iter_mut().for_each(|c| *c = b' ');
                        j += w;
                        continue;
                    }
                }
                break;
            }
        }
        i += 1;
    }
    match b {
        Cow::Borrowed(_) => Cow::Borrowed(src),
        // only ASCII bytes were replaced, by ASCII: still UTF-8
        Cow::Owned(b) => Cow::Owned(String::from_utf8(b).unwrap_or_else(|_| src.to_string())),
    }
}

/// The places in a text where a gap of [`mask_grammar_gaps`] can start, in order: each `typeof` and `export`,
/// and each `<` or `,` (before a type parameter). Found with vectorised searches.
struct GapStarts<'a> {
    typeof_: Peekable<memchr::memmem::FindIter<'a, 'static>>,
    export: Peekable<memchr::memmem::FindIter<'a, 'static>>,
    punct: Peekable<memchr::Memchr2<'a>>,
}

impl<'a> GapStarts<'a> {
    fn new(text: &'a [u8]) -> Self {
        GapStarts {
            typeof_: memchr::memmem::find_iter(text, b"typeof").peekable(),
            export: memchr::memmem::find_iter(text, b"export").peekable(),
            punct: memchr::memchr2_iter(b'<', b',', text).peekable(),
        }
    }

    /// The first place at or after `from`.
    fn next_from(&mut self, from: usize) -> Option<usize> {
        fn first_from(
            places: &mut Peekable<impl Iterator<Item = usize>>,
            from: usize,
        ) -> Option<usize> {
            while places.next_if(|&at| at < from).is_some() {}
            places.peek().copied()
        }
        [
            first_from(&mut self.typeof_, from),
            first_from(&mut self.export, from),
            first_from(&mut self.punct, from),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

fn tree_errors(tree: &Tree, src: &str, limit: usize) -> Vec<SyntaxError> {
    let mut out = Vec::new();
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
#[path = "../../../tests/fixtures/bench/gen.rs"]
mod bench_gen;

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
        assert_eq!(Lang::from_path("/a/b.jsx"), None);
        assert_eq!(Lang::from_frontend_path("/a/b.jsx"), Some(Lang::Tsx));
        assert_eq!(Lang::from_frontend_path("/a/b.MJS"), Some(Lang::Tsx));
        assert_eq!(Lang::from_frontend_path("/a/b.mts"), Some(Lang::TypeScript));
        assert_eq!(Lang::from_frontend_path("/a/b.vue"), None);
        assert_eq!(Lang::from_path("/a/b.js"), None);
        assert_eq!(Lang::from_path("/a/noext"), None);
    }

    fn crasher() -> String {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/crashers/parse-explosion.data.ts"
        );
        let bytes = std::fs::read(path).expect("crasher fixture");
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// A parse whose tree is no longer wanted is given up without a trace: the same text parses in full
    /// afterwards (it is not remembered as abandoned, as a text whose error recovery ran away is).
    #[test]
    fn a_parse_given_up_by_its_caller_is_not_remembered() {
        let text = format!(
            "const schema = a.schema({{\n{}}});\n",
            "  M: a.model({ n: a.string() }),\n".repeat(2000)
        );
        let asked = std::cell::Cell::new(0u32);
        let stop = || {
            asked.set(asked.get() + 1);
            true
        };
        assert!(parse_unless(&text, Lang::TypeScript, None, &stop).is_none());
        assert!(asked.get() >= 1, "the caller was never asked");
        let tree = parse(&text, Lang::TypeScript, None).expect("parsed in full afterwards");
        assert!(!tree.root_node().has_error());
        assert_eq!(tree.root_node().end_byte(), text.len());
    }

    /// A 313-byte text (found by the edit property test) on which tree-sitter's error recovery runs for
    /// minutes and takes gigabytes: the parse is abandoned when its work budget runs out, and the parser then
    /// parses the next text normally (a cancelled parse is not resumed). The same text is not parsed again.
    #[test]
    fn a_runaway_parse_is_abandoned_and_the_parser_recovers() {
        let text = crasher();
        let (tree, work) = parse_within(
            &text,
            Lang::TypeScript,
            None,
            parse_budget(text.len()),
            cpu_budget_ns(text.len()),
            &never,
        );
        assert!(tree.is_none());
        assert_eq!(work, parse_budget(text.len()) + 1);
        assert!(parse(&text, Lang::TypeScript, None).is_none());
        let ok = "export const x = { a: 1 };";
        let tree = parse(ok, Lang::TypeScript, None).expect("parse after an abandoned one");
        assert!(!tree.root_node().has_error());
        assert_eq!(tree.root_node().end_byte(), ok.len());
        // remembered, so asking again runs no parse
        let key = text_key(&text, Lang::TypeScript);
        assert!(ABANDONED.lock().is_ok_and(|a| a.contains(&key)));
        assert!(parse(&text, Lang::TypeScript, None).is_none());
    }

    /// A runaway error recovery confined to the end of a large text: the work budget grows with the text (about
    /// 50,000 invocations here, tens of seconds at the crasher's pace), so the CPU-time backstop stops it. With
    /// no work budget at all, only the backstop (here 0.2 s of CPU) can stop it, whatever the machine's speed.
    #[cfg(unix)]
    #[test]
    fn a_runaway_at_the_end_of_a_large_text_is_stopped_by_the_cpu_backstop() {
        let mut text = bench_gen::large_schema(400);
        text.push_str(&crasher());
        let (tree, work) =
            parse_within(&text, Lang::TypeScript, None, u64::MAX, 200_000_000, &never);
        assert!(tree.is_none(), "stopped after {work} invocations");
    }

    /// The work a parse of `text` needs, asserting it finished.
    fn work_of(text: &str) -> u64 {
        let (tree, work) = parse_within(text, Lang::TypeScript, None, u64::MAX, u64::MAX, &never);
        assert!(tree.is_some());
        work
    }

    /// Normal texts of any size stay far inside the budget: the 12,000-line benchmark schema (also on one
    /// line, and grown to 1 MB on one line), every example and fixture file, 10,000 levels of nesting. Each
    /// needs less than a fifth of its budget (the measured margins are 20 times for code, see
    /// [`parse_budget`]).
    #[test]
    fn normal_texts_of_any_size_stay_far_inside_the_budget() {
        let large = bench_gen::large_schema(bench_gen::LARGE_MODELS);
        assert!(large.lines().count() > 11_000, "{}", large.lines().count());
        let one_line = large.replace('\n', " ");
        let mut mb = bench_gen::large_schema(2_300).replace('\n', " ");
        mb.truncate(mb.rfind(' ').unwrap_or(mb.len()).min(1 << 20));
        assert!(mb.len() > 1_000_000);
        let nested = format!(
            "import {{ defineFunction }} from '@aws-amplify/backend';\nexport const f = defineFunction({}{{ name: 'x' }}{});\n",
            "f(".repeat(10_000),
            ")".repeat(10_000)
        );
        let mut texts = vec![large, one_line, mb, nested];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut dirs = vec![root.join("examples"), root.join("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(&dir).expect("read_dir").flatten() {
                let p = e.path();
                if p.is_dir() {
                    if p.file_name()
                        .is_some_and(|n| n != "node_modules" && n != "crashers")
                    {
                        dirs.push(p);
                    }
                } else if p.extension().is_some_and(|x| x == "ts") {
                    texts.push(
                        String::from_utf8_lossy(&std::fs::read(&p).expect("read")).into_owned(),
                    );
                }
            }
        }
        assert!(texts.len() > 100, "{}", texts.len());
        for text in &texts {
            let work = work_of(text);
            assert!(
                work * 5 < parse_budget(text.len()),
                "{work} of {} for {} bytes: {}",
                parse_budget(text.len()),
                text.len(),
                text.chars().take(80).collect::<String>()
            );
            assert!(parse(text, Lang::TypeScript, None).is_some());
        }
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
    fn typescript_the_grammar_does_not_know_is_not_an_error() {
        let valid = [
            "vi.mock('../x', async (importOriginal) => {\n  const mod = await importOriginal<typeof import('../x')>();\n  return { ...mod };\n});\n",
            "const w = foo<typeof import('./x').default>();\n",
            "export type * from './handler';\nexport type * as ns from './types';\n",
            "interface Box<in out T> { v: T }\ntype F<in T, out U = string> = (t: T) => U;\nclass K<out T extends object> {}\n",
        ];
        for src in valid {
            let tree = parse(src, Lang::TypeScript, None).expect("parse");
            assert!(
                tree.root_node().has_error(),
                "the grammar learnt this, drop its mask: {src}"
            );
            assert_eq!(syntax_errors(&tree, src, 10), Vec::new(), "{src}");
            let masked = mask_grammar_gaps(src);
            assert!(matches!(masked, Cow::Owned(_)));
            assert_eq!(masked.len(), src.len());
            assert_eq!(masked.lines().count(), src.lines().count());
        }
        // real errors beside a gap are still reported, where they are
        let src = "const m = importOriginal<typeof import('../x')>();\nconst x = defineAuth({ loginWith: { email: true } ;\n";
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        let errs = syntax_errors(&tree, src, 10);
        assert!(!errs.is_empty());
        assert!(
            errs.iter()
                .all(|e| e.span.start > src.find('\n').unwrap_or(0)),
            "{errs:?}"
        );
        // ordinary uses of the words are left alone
        for src in [
            "for (const k in obj) {}\n",
            "const t = typeof x;\nexport type { A } from './a';\n",
            "if (a < in_) {}\n",
        ] {
            assert_eq!(mask_grammar_gaps(src), src);
            // and not copied
            assert!(matches!(mask_grammar_gaps(src), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn gaps_are_found_wherever_they_are_in_a_long_text() {
        // the scan looks only where a gap can start: each gap, alone and after long text full of the bytes that
        // start one (`t`, `e`, `<`, `,`, and the words themselves), is masked as it is alone
        let gaps = [
            "const m = await importOriginal<typeof import('../x')>();\n",
            "export type * from './handler';\n",
            "interface Box<in out T> { v: T }\n",
            "type F<A, out U = string> = (t: A) => U;\n",
        ];
        let noise =
            "const t = typeof e; export const x = f<T>(a, b, c); // <in, out> typeof exports\n";
        for gap in gaps {
            let alone = mask_grammar_gaps(gap).into_owned();
            assert_ne!(alone, gap, "{gap}");
            for before in [0, 1, 7, 300] {
                let src = format!("{}{gap}{}", noise.repeat(before), noise.repeat(2));
                let want = format!("{}{alone}{}", noise.repeat(before), noise.repeat(2));
                assert_eq!(mask_grammar_gaps(&src), want, "{gap} after {before} lines");
            }
        }
        // and the noise alone holds no gap
        let src = noise.repeat(50);
        assert!(matches!(mask_grammar_gaps(&src), Cow::Borrowed(_)));
    }

    #[test]
    fn point_counts_bytes() {
        assert_eq!(point_at("ab\n😀x", 8), Point::new(1, 5));
        assert_eq!(point_at("ab", 99), Point::new(0, 2));
    }
}
