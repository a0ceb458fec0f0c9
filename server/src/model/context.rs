//! The cursor context: where in the Amplify API a position is, computed by a small, error-tolerant lexical
//! scan. While typing, code is half-written and often not parseable; a forward scan that tracks brackets,
//! strings and member chains still knows "inside `defineAuth({ loginWith: { ` at a property name" or "after
//! `a.string().`" when the syntax tree has given up.

use crate::text::Span;

/// How far back from the cursor the scan starts at most (bytes): enough for the largest schemas, bounded for
/// hostile input.
const MAX_SCAN: usize = 4 * 1024 * 1024;
/// The deepest bracket nesting tracked; deeper input is treated as opaque.
const MAX_FRAMES: usize = 256;
/// The longest member chain tracked (real ones have a handful of links). A longer chain is dropped and
/// tracking starts over, so hostile chains of thousands of links cost linear time, not quadratic.
const MAX_CHAIN: usize = 64;

/// One link of a member/call chain such as `a.string().required()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainLink {
    pub name: String,
    pub span: Span,
    /// The link was called (`name(...)`).
    pub called: bool,
    /// For calls: the raw first string argument, when it is a plain string literal (`a.ref('Post')`).
    pub first_str: Option<String>,
    /// For calls whose first argument is an object literal closed before the cursor: that object's keys, in
    /// the order written (`a.model({ title: …, body: … })`). Read from the text, so they are there while the
    /// rest of the file does not parse. Shared: a chain is copied into every call frame opened after it.
    pub first_keys: Option<std::sync::Arc<[String]>>,
}

/// What encloses an open bracket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    /// `key: {` or `key: [` (also `'key': [`).
    Key(String),
    /// The argument list of a call: `chain(`.
    Call(Vec<ChainLink>),
    /// An arrow function body or its parameter list: `(allow) => [` / `(allow) => ({`.
    Arrow { params: Vec<String> },
    /// Anything else (`= {`, `return [`, an array element...).
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Copy)]
pub enum Bracket {
    Brace,
    Paren,
    Square,
    /// `${ ... }` inside a template literal.
    Template,
}

/// An open bracket around the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub bracket: Bracket,
    pub open: usize,
    pub label: Label,
    /// Index of the current element / argument (commas seen at this level).
    pub index: usize,
    /// Keys already written in this object (before the cursor, and after it up to the closing brace).
    pub keys: Vec<String>,
    /// In an object: the key of the current entry once its `:` was seen.
    pub value_of: Option<String>,
    /// The parameters of the arrow functions whose `=>` was seen in the current element of this bracket
    /// (`.validate(v => v.` or `.authorization(allow => allow.`): an expression body has no bracket of its
    /// own, so its parameters are in scope until the element ends (`,`, `;` or the closing bracket).
    pub arrow: Vec<String>,
    /// The chain of the enclosing expression when this bracket opened (restored when it closes).
    saved_chain: Vec<ChainLink>,
    saved_dot: bool,
}

/// A string literal the cursor is inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InString {
    pub quote: char,
    /// The content's span (after the opening quote, up to the closing quote or end of line).
    pub content: Span,
    /// The text typed so far (from the opening quote to the cursor).
    pub prefix: String,
}

/// The lexical situation at a cursor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cursor {
    pub offset: usize,
    /// Open brackets, outermost first.
    pub frames: Vec<Frame>,
    /// The member chain being typed, e.g. `a.string()` before a `.`; the word at the cursor is not included.
    pub chain: Vec<ChainLink>,
    /// A `.` follows `chain` (the cursor is at a member name).
    pub after_dot: bool,
    /// The identifier (or partial identifier) immediately before the cursor, with its span.
    pub word: Option<(String, Span)>,
    pub in_string: Option<InString>,
    pub in_comment: bool,
}

impl Cursor {
    pub fn top(&self) -> Option<&Frame> {
        self.frames.last()
    }

    /// Whether the cursor is at a property-name position of the innermost object literal.
    pub fn at_key(&self) -> bool {
        self.in_string.is_none()
            && !self.after_dot
            && self.top().is_some_and(|f| {
                f.bracket == Bracket::Brace && f.value_of.is_none() && self.chain_is_word_only()
            })
    }

    fn chain_is_word_only(&self) -> bool {
        self.chain.is_empty()
    }

    /// The arrow functions around the cursor, innermost first: their parameter names and `end`, the number of
    /// frames before the arrow (the call it is an argument of is in `frames[..end]`). A braced or bracketed body
    /// (`allow => [`) is the frame `end`; an expression body (`allow => allow.`) lives in frame `end - 1`.
    pub fn arrow_scopes(&self) -> Vec<(usize, &[String])> {
        let mut out = Vec::new();
        for (i, f) in self.frames.iter().enumerate().rev() {
            if !f.arrow.is_empty() {
                out.push((i + 1, f.arrow.as_slice()));
            }
            if let Label::Arrow { params } = &f.label {
                out.push((i, params.as_slice()));
            }
        }
        out
    }

    /// The enclosing call frames' chains, innermost first.
    pub fn calls(&self) -> impl Iterator<Item = (usize, &Frame, &[ChainLink])> {
        self.frames
            .iter()
            .enumerate()
            .rev()
            .filter_map(|(i, f)| match &f.label {
                Label::Call(c) => Some((i, f, c.as_slice())),
                _ => None,
            })
    }

    /// The object path from the innermost enclosing call named `root` (e.g. `defineAuth`): the keys of the
    /// nested objects/arrays leading to the cursor, and the index of that call's frame. Returns `None` when no
    /// such call encloses the cursor, or when the path goes through a callback or a non-first argument.
    ///
    /// Schema-builder calls with a described object argument count as roots too; their root is the dotted
    /// chain (`a.conversation`, `a.ai.dataTool`, `a.handler.custom`).
    pub fn object_path(&self) -> Option<(String, Vec<String>)> {
        let (ci, call_frame, chain) = self.calls().find(|(_, _, c)| {
            (c.len() == 1
                && matches!(
                    c[0].name.as_str(),
                    "defineAuth"
                        | "defineData"
                        | "defineStorage"
                        | "defineFunction"
                        | "defineBackend"
                        | "referenceAuth"
                        | "defineConversationHandlerFunction"
                ))
                || (c.len() > 1
                    && c[0].name == "a"
                    && crate::model::catalog::builder_arg(&dotted(c)).is_some())
                // `configure({ database: {...} })` of a generated SQL schema
                || (c.len() == 1 && c[0].name == "configure")
        })?;
        if call_frame.index != 0 {
            return None;
        }
        let root = dotted(chain);
        let mut path = Vec::new();
        let rest = &self.frames[ci + 1..];
        for (i, f) in rest.iter().enumerate() {
            match (&f.bracket, &f.label) {
                (Bracket::Brace, Label::Other) if i == 0 => {}
                (Bracket::Brace | Bracket::Square, Label::Key(k)) => path.push(k.clone()),
                // array elements that are objects: `oidc: [ { ... } ]`
                (Bracket::Brace, Label::Other) if rest[i - 1].bracket == Bracket::Square => {}
                _ => return None,
            }
        }
        // The first frame after the call must be the argument object itself.
        if rest.first().is_none_or(|f| f.bracket != Bracket::Brace) {
            return if rest.is_empty() {
                Some((root, path))
            } else {
                None
            };
        }
        Some((root, path))
    }
}

/// `a.ai.dataTool` for the chain `a`, `ai`, `dataTool`.
fn dotted(chain: &[ChainLink]) -> String {
    chain
        .iter()
        .map(|l| l.name.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Ident,
    Str,
    Num,
    Punct(char),
    Arrow,
    Other,
}

/// Scans `src` up to `offset` and returns the cursor context. Never panics; any byte offset is accepted
/// (clamped and snapped to a character boundary).
///
/// The scan is linear in the offset. For large texts (a 12,000-line schema) it resumes from a checkpoint of an
/// earlier scan of the same text, or of an earlier version sharing the text up to that checkpoint (see
/// [`ScanCache`]); the result is the same as a scan from the start.
pub fn cursor_at(src: &str, offset: usize) -> Cursor {
    cursor_scan(src, offset, true)
}

/// Scans a large text to its end once, keeping checkpoints (see [`cursor_at`]), so that the first completion or
/// hover in it resumes from a checkpoint near its offset instead of scanning from the start (7–8 ms in a
/// 12,000-line schema). Meant for a document just opened, off the message loop. Does nothing for a short text.
pub fn prepare_scans(src: &str) {
    if src.len() >= CACHE_MIN_LEN {
        cursor_scan(src, src.len(), true);
    }
}

fn cursor_scan(src: &str, offset: usize, use_cache: bool) -> Cursor {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = offset.saturating_sub(MAX_SCAN);
    let start = (start..=offset)
        .find(|&i| src.is_char_boundary(i))
        .unwrap_or(offset);
    let mut s = Scanner {
        src,
        end: offset,
        pos: start,
        cur: Cursor {
            offset,
            ..Cursor::default()
        },
        prev: [(Tok::Other, Span::default()); 3],
        overflow: 0,
        checkpoints: None,
        next_checkpoint: usize::MAX,
    };
    // Checkpoints are states at `pos` of a scan from 0; only scans from 0 of large texts use them.
    let cached = use_cache && start == 0 && src.len() >= CACHE_MIN_LEN;
    if cached {
        let resume = scan_cache().resume(src, offset);
        if let Some(state) = resume {
            s.pos = state.pos;
            s.cur = state.cur;
            s.cur.offset = offset;
            s.prev = state.prev;
            s.overflow = state.overflow;
        }
        s.checkpoints = Some(Vec::new());
        s.next_checkpoint = s.pos + CHECKPOINT_EVERY;
    }
    s.run();
    if let Some(found) = s.checkpoints.take() {
        if !found.is_empty() {
            scan_cache().record(src, found);
        }
    }
    let mut cur = s.cur;
    if cur.in_string.is_none() && !cur.in_comment {
        // Keys after the cursor in the innermost object, so completion does not offer them again.
        if let Some(top) = cur.frames.last() {
            if top.bracket == Bracket::Brace {
                let after = keys_after(src, offset);
                if let Some(top) = cur.frames.last_mut() {
                    top.keys.extend(after);
                }
            }
        }
    }
    cur
}

/// Texts shorter than this are scanned from the start (a scan of them costs less than the bookkeeping), and
/// [`prepare_scans`] leaves them alone.
pub const CACHE_MIN_LEN: usize = 32 * 1024;
/// Bytes of scan between two checkpoints.
const CHECKPOINT_EVERY: usize = 16 * 1024;
/// How far past its position the scan may have looked when a checkpoint is taken (one character after a word,
/// a number or a `.`; four bytes at most, with margin). A checkpoint at `pos` is valid for every text that has
/// the same first `pos + LOOKAHEAD` bytes, scanned to an offset of at least `pos + LOOKAHEAD`.
const LOOKAHEAD: usize = 8;
/// How many texts keep checkpoints (documents completed or hovered in, least recently used dropped).
const CACHED_TEXTS: usize = 4;

/// The scanner's state at the top of its loop.
#[derive(Debug, Clone)]
struct ScanState {
    pos: usize,
    cur: Cursor,
    prev: [(Tok, Span); 3],
    overflow: usize,
}

/// The start of one text and the checkpoints of scans of it, in increasing `pos`. Only the bytes the checkpoints
/// depend on are kept (up to the last one's `pos + LOOKAHEAD`): a new version of a large text is compared with
/// them, never copied whole.
struct CachedText {
    text: Vec<u8>,
    checkpoints: Vec<ScanState>,
    used: u64,
}

/// Checkpoints of cursor scans of the last few large texts. A keystroke changes a text near the cursor, so the
/// checkpoints before the change stay valid for the next version.
#[derive(Default)]
struct ScanCache {
    texts: Vec<CachedText>,
    clock: u64,
}

fn scan_cache() -> std::sync::MutexGuard<'static, ScanCache> {
    static CACHE: std::sync::OnceLock<std::sync::Mutex<ScanCache>> = std::sync::OnceLock::new();
    let m = CACHE.get_or_init(Default::default);
    // A panic while the lock was held leaves at worst fewer checkpoints: every entry stays consistent.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The length of the common prefix of `a` and `b`.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 128;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + CHUNK <= n && a[i..i + CHUNK] == b[i..i + CHUNK] {
        i += CHUNK;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

impl ScanCache {
    /// The entry for `src`: the one sharing the longest prefix with it, brought up to `src` (its checkpoints
    /// past the common prefix dropped), or a new one.
    fn entry(&mut self, src: &str) -> &mut CachedText {
        self.clock += 1;
        let best = self
            .texts
            .iter()
            .enumerate()
            .map(|(i, t)| (i, common_prefix(&t.text, src.as_bytes())))
            .max_by_key(|&(_, n)| n);
        let i = match best {
            Some((i, n)) if n >= CHECKPOINT_EVERY => {
                let t = &mut self.texts[i];
                // `src` is known to match up to byte `n`: the checkpoints that read past it go (unless `src` is
                // the very text they were taken in, kept whole because a checkpoint read up to its end), and so
                // do the bytes kept for them
                let whole = n == src.len() && n == t.text.len();
                t.checkpoints.retain(|c| c.pos + LOOKAHEAD <= n || whole);
                t.text.truncate(n);
                i
            }
            _ => {
                if self.texts.len() >= CACHED_TEXTS {
                    if let Some(lru) = (0..self.texts.len()).min_by_key(|&i| self.texts[i].used) {
                        self.texts.swap_remove(lru);
                    }
                }
                self.texts.push(CachedText {
                    text: Vec::new(),
                    checkpoints: Vec::new(),
                    used: 0,
                });
                self.texts.len() - 1
            }
        };
        let t = &mut self.texts[i];
        t.used = self.clock;
        t
    }

    /// The last checkpoint of `src` a scan to `offset` can resume from.
    fn resume(&mut self, src: &str, offset: usize) -> Option<ScanState> {
        let t = self.entry(src);
        t.checkpoints
            .iter()
            .rev()
            .find(|c| c.pos + LOOKAHEAD <= offset)
            .cloned()
    }

    /// Keeps the checkpoints a scan of `src` took (in increasing `pos`) beyond those already known.
    fn record(&mut self, src: &str, found: Vec<ScanState>) {
        let t = self.entry(src);
        let last = t.checkpoints.last().map(|c| c.pos);
        t.checkpoints
            .extend(found.into_iter().filter(|c| last.is_none_or(|l| c.pos > l)));
        // `entry` left the kept bytes a prefix of `src`: extend them to what the checkpoints read
        let need = t
            .checkpoints
            .last()
            .map_or(0, |c| (c.pos + LOOKAHEAD).min(src.len()));
        if let Some(more) = src.as_bytes().get(t.text.len()..need) {
            t.text.extend_from_slice(more);
        }
    }
}

struct Scanner<'a> {
    src: &'a str,
    end: usize,
    pos: usize,
    cur: Cursor,
    /// The last three significant tokens (newest last).
    prev: [(Tok, Span); 3],
    /// Brackets opened beyond MAX_FRAMES (ignored until they close).
    overflow: usize,
    /// When set, the scan keeps its state here every [`CHECKPOINT_EVERY`] bytes (from `next_checkpoint`).
    checkpoints: Option<Vec<ScanState>>,
    next_checkpoint: usize,
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c == '$' || c.is_alphabetic()
}
fn is_ident_char(c: char) -> bool {
    c == '_' || c == '$' || c.is_alphanumeric()
}
fn is_ident_name(s: &str) -> bool {
    s.starts_with(is_ident_start) && s.chars().all(is_ident_char)
}

impl Scanner<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..self.end].chars().next()
    }
    fn peek2(&self) -> Option<char> {
        let mut it = self.src[self.pos..self.end].chars();
        it.next();
        it.next()
    }
    fn text(&self, sp: Span) -> &str {
        self.src.get(sp.start..sp.end).unwrap_or("")
    }
    fn push_tok(&mut self, t: Tok, sp: Span) {
        self.prev.rotate_left(1);
        self.prev[2] = (t, sp);
    }

    fn run(&mut self) {
        while self.pos < self.end {
            if self.pos >= self.next_checkpoint && self.pos + LOOKAHEAD <= self.end {
                self.next_checkpoint = self.pos + CHECKPOINT_EVERY;
                let state = ScanState {
                    pos: self.pos,
                    cur: self.cur.clone(),
                    prev: self.prev,
                    overflow: self.overflow,
                };
                if let Some(cps) = self.checkpoints.as_mut() {
                    cps.push(state);
                }
            }
            let Some(c) = self.peek() else { break };
            let at = self.pos;
            if c.is_whitespace() {
                self.pos += c.len_utf8();
                continue;
            }
            if c == '/' && self.peek2() == Some('/') {
                match self.src[at..self.end].find('\n') {
                    Some(n) => self.pos = at + n + 1,
                    None => {
                        self.cur.in_comment = true;
                        self.pos = self.end;
                    }
                }
                continue;
            }
            if c == '/' && self.peek2() == Some('*') {
                match self.src[at + 2..self.end].find("*/") {
                    Some(n) => self.pos = at + 2 + n + 2,
                    None => {
                        self.cur.in_comment = true;
                        self.pos = self.end;
                    }
                }
                continue;
            }
            if c == '\'' || c == '"' {
                self.string(c);
                continue;
            }
            if c == '`' {
                self.template_start();
                continue;
            }
            if c == '}'
                && self
                    .cur
                    .frames
                    .last()
                    .is_some_and(|f| f.bracket == Bracket::Template)
                && self.overflow == 0
            {
                // end of `${ ... }`: back into the template literal
                self.pos += 1;
                self.close(Bracket::Template);
                self.template_continue();
                continue;
            }
            if is_ident_start(c) {
                self.ident();
                continue;
            }
            if c.is_ascii_digit() {
                let rest = &self.src[at..self.end];
                let n = rest
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '.' || ch == '_'))
                    .unwrap_or(rest.len());
                self.pos = at + n.max(1);
                self.push_tok(Tok::Num, Span::new(at, self.pos));
                self.reset_chain();
                continue;
            }
            self.pos += c.len_utf8();
            match c {
                '{' | '(' | '[' => self.open(c, at),
                '}' => {
                    self.shorthand_key();
                    self.close(Bracket::Brace)
                }
                ')' => self.close(Bracket::Paren),
                ']' => self.close(Bracket::Square),
                '.' => {
                    if self.peek() == Some('.') {
                        // spread `...` (or a stray `..`: never step into the character after it)
                        self.pos += 1;
                        if self.peek() == Some('.') {
                            self.pos += 1;
                        }
                        self.reset_chain();
                        self.push_tok(Tok::Other, Span::new(at, self.pos));
                        continue;
                    }
                    if self.peek() == Some('?') {
                        self.pos += 1;
                    }
                    if !self.cur.chain.is_empty() {
                        self.cur.after_dot = true;
                    }
                    self.push_tok(Tok::Punct('.'), Span::new(at, at + 1));
                    continue;
                }
                '?' if self.peek() == Some('.') => {
                    // optional chaining `?.`
                    self.pos += 1;
                    if !self.cur.chain.is_empty() {
                        self.cur.after_dot = true;
                    }
                    self.push_tok(Tok::Punct('.'), Span::new(at, at + 2));
                    continue;
                }
                '=' if self.peek() == Some('>') => {
                    self.pos += 1;
                    // the parameters are the token(s) just before `=>`
                    let params = self.arrow_params(2);
                    if let Some(f) = self.cur.frames.last_mut() {
                        if f.arrow.len() < MAX_CHAIN {
                            f.arrow
                                .extend(params.into_iter().filter(|p| is_ident_name(p)));
                        }
                    }
                    self.push_tok(Tok::Arrow, Span::new(at, at + 2));
                    self.reset_chain();
                    continue;
                }
                ',' => {
                    self.shorthand_key();
                    if let Some(f) = self.cur.frames.last_mut() {
                        f.index += 1;
                        f.value_of = None;
                        f.arrow.clear();
                    }
                    self.reset_chain();
                }
                ';' => {
                    if let Some(f) = self.cur.frames.last_mut() {
                        f.arrow.clear();
                    }
                    self.reset_chain();
                }
                ':' => {
                    // `key:` in an object literal
                    let key = self.key_before_colon();
                    if let Some(f) = self.cur.frames.last_mut() {
                        if f.bracket == Bracket::Brace && f.value_of.is_none() {
                            if let Some(k) = key {
                                f.keys.push(k.clone());
                                f.value_of = Some(k);
                            } else {
                                f.value_of = Some(String::new());
                            }
                        }
                    }
                    self.reset_chain();
                }
                '!' => {} // non-null assertion keeps the chain
                _ => self.reset_chain(),
            }
            self.push_tok(Tok::Punct(c), Span::new(at, at + c.len_utf8()));
        }
        // The word immediately before the cursor.
        if let (Tok::Ident, sp) = self.prev[2] {
            if sp.end == self.end && self.cur.in_string.is_none() && !self.cur.in_comment {
                self.cur.word = Some((self.text(sp).to_string(), sp));
                // The word is not part of the chain: it is being typed.
                if self.cur.chain.last().is_some_and(|l| l.span == sp) {
                    self.cur.chain.pop();
                    self.cur.after_dot =
                        !self.cur.chain.is_empty() && matches!(self.prev[1].0, Tok::Punct('.'));
                }
            }
        }
        if let Some(word_start) = self.cur.word.as_ref().map(|w| w.1.start) {
            // `allow.own|`: the chain before the word with a dot
            if !self.cur.after_dot
                && !self.cur.chain.is_empty()
                && self
                    .cur
                    .chain
                    .last()
                    .is_some_and(|l| l.span.end < word_start)
            {
                // a word after a non-dot: not a member
                self.cur.chain.clear();
            }
        }
    }

    fn reset_chain(&mut self) {
        self.cur.chain.clear();
        self.cur.after_dot = false;
    }

    /// At a `,` or the closing `}` of an object: a shorthand property just before it (`{ title, …` or
    /// `…, title }`) is one of the object's keys too.
    fn shorthand_key(&mut self) {
        let (Tok::Ident, sp) = self.prev[2] else {
            return;
        };
        if !matches!(self.prev[1].0, Tok::Punct('{' | ',')) {
            return;
        }
        let src = self.src;
        if let Some(f) = self.cur.frames.last_mut() {
            if f.bracket == Bracket::Brace && f.value_of.is_none() {
                f.keys
                    .push(src.get(sp.start..sp.end).unwrap_or("").to_string());
            }
        }
    }

    fn key_before_colon(&self) -> Option<String> {
        let (t, sp) = self.prev[2];
        match t {
            Tok::Ident => Some(self.text(sp).to_string()),
            Tok::Str => {
                let raw = self.text(sp);
                Some(raw.trim_matches(|c| c == '\'' || c == '"').to_string())
            }
            Tok::Num => Some(self.text(sp).to_string()),
            _ => None,
        }
    }

    fn ident(&mut self) {
        let at = self.pos;
        let rest = &self.src[at..self.end];
        let n = rest.find(|c: char| !is_ident_char(c)).unwrap_or(rest.len());
        self.pos = at + n;
        let sp = Span::new(at, self.pos);
        let name = self.text(sp).to_string();
        let link = ChainLink {
            name,
            span: sp,
            called: false,
            first_str: None,
            first_keys: None,
        };
        if self.cur.after_dot && self.cur.chain.len() < MAX_CHAIN {
            self.cur.chain.push(link);
            self.cur.after_dot = false;
        } else {
            self.cur.after_dot = false;
            self.cur.chain = vec![link];
        }
        self.push_tok(Tok::Ident, sp);
    }

    fn string(&mut self, q: char) {
        let at = self.pos;
        self.pos += 1;
        let mut closed = false;
        while self.pos < self.end {
            let Some(c) = self.peek() else { break };
            if c == '\\' {
                self.pos += 1;
                if let Some(n) = self.peek() {
                    self.pos += n.len_utf8();
                }
                continue;
            }
            if c == '\n' {
                break; // unterminated string: ends at the line
            }
            self.pos += c.len_utf8();
            if c == q {
                closed = true;
                break;
            }
        }
        if !closed && self.pos >= self.end {
            // the cursor is inside this string
            let line_end = self.src[self.end..]
                .find(['\n', q])
                .map_or(self.src.len(), |i| self.end + i);
            self.cur.in_string = Some(InString {
                quote: q,
                content: Span::new(at + 1, line_end),
                prefix: self.src[at + 1..self.end].to_string(),
            });
            return;
        }
        let sp = Span::new(at, self.pos);
        // `a.ref('Post'` — remember the first string argument of the current call frame
        if let Some(f) = self.cur.frames.last_mut() {
            if f.bracket == Bracket::Paren && f.index == 0 {
                if let Label::Call(chain) = &mut f.label {
                    if let Some(last) = chain.last_mut() {
                        if last.first_str.is_none() {
                            // the quotes are one byte each; an unterminated string has no closing one
                            let end = if closed { sp.end - 1 } else { sp.end };
                            let raw = &self.src[sp.start + 1..end.max(sp.start + 1)];
                            last.first_str = Some(raw.to_string());
                        }
                    }
                }
            }
        }
        self.reset_chain();
        self.push_tok(Tok::Str, sp);
    }

    fn template_start(&mut self) {
        self.pos += 1;
        self.template_continue();
    }

    /// Scans template text until `${`, the closing backtick, or the cursor.
    fn template_continue(&mut self) {
        let at = self.pos;
        while self.pos < self.end {
            let Some(c) = self.peek() else { break };
            if c == '\\' {
                self.pos += 1;
                if let Some(n) = self.peek() {
                    self.pos += n.len_utf8();
                }
                continue;
            }
            if c == '`' {
                self.pos += 1;
                self.reset_chain();
                self.push_tok(Tok::Str, Span::new(at, self.pos));
                return;
            }
            if c == '$' && self.peek2() == Some('{') {
                let open = self.pos;
                self.pos += 2;
                self.push_frame(Bracket::Template, open, Label::Other);
                return;
            }
            self.pos += c.len_utf8();
        }
        // cursor inside the template text
        self.cur.in_string = Some(InString {
            quote: '`',
            content: Span::new(at, self.end),
            prefix: self.src[at..self.end].to_string(),
        });
    }

    fn push_frame(&mut self, bracket: Bracket, open: usize, label: Label) {
        if self.cur.frames.len() >= MAX_FRAMES {
            self.overflow += 1;
            return;
        }
        let saved_chain = std::mem::take(&mut self.cur.chain);
        let saved_dot = std::mem::replace(&mut self.cur.after_dot, false);
        self.cur.frames.push(Frame {
            bracket,
            open,
            label,
            index: 0,
            keys: Vec::new(),
            value_of: None,
            arrow: Vec::new(),
            saved_chain,
            saved_dot,
        });
    }

    fn open(&mut self, c: char, at: usize) {
        let bracket = match c {
            '{' => Bracket::Brace,
            '(' => Bracket::Paren,
            _ => Bracket::Square,
        };
        let label = match (bracket, self.prev[2]) {
            // a call: `chain(`
            (Bracket::Paren, (Tok::Ident, _)) | (Bracket::Paren, (Tok::Punct(')'), _))
                if !self.cur.chain.is_empty() =>
            {
                Label::Call(self.cur.chain.clone())
            }
            (_, (Tok::Arrow, _)) => Label::Arrow {
                params: self.arrow_params(1),
            },
            (Bracket::Brace | Bracket::Square, (Tok::Punct(':'), _)) => {
                match self.cur.frames.last().and_then(|f| f.value_of.clone()) {
                    Some(k) if !k.is_empty() => Label::Key(k),
                    _ => Label::Other,
                }
            }
            // `({` inside an arrow body: `(allow) => ({`
            (Bracket::Brace, (Tok::Punct('('), _)) => {
                match self.cur.frames.last().map(|f| &f.label) {
                    Some(Label::Arrow { .. }) => Label::Other,
                    _ => Label::Other,
                }
            }
            _ => Label::Other,
        };
        self.push_frame(bracket, at, label);
    }

    /// The parameter names of an arrow function, from the token before its `=>` (`prev[at]`): `(allow) =>` or
    /// `allow =>`.
    fn arrow_params(&self, at: usize) -> Vec<String> {
        let (t, sp) = self.prev[at];
        match t {
            Tok::Ident => vec![self.text(sp).to_string()],
            Tok::Punct(')') => {
                // find the matching '(' backwards and take identifiers at depth 0
                let before = &self.src[..sp.end];
                let mut depth = 0i32;
                let mut start = None;
                for (i, ch) in before.char_indices().rev() {
                    match ch {
                        ')' => depth += 1,
                        '(' => {
                            depth -= 1;
                            if depth == 0 {
                                start = Some(i);
                                break;
                            }
                        }
                        _ => {}
                    }
                    if sp.end - i > 512 {
                        break;
                    }
                }
                let Some(st) = start else { return Vec::new() };
                before[st + 1..sp.end - 1]
                    .split(',')
                    .map(|p| {
                        p.trim()
                            .split([':', '=', ' '])
                            .next()
                            .unwrap_or("")
                            .to_string()
                    })
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    fn close(&mut self, bracket: Bracket) {
        if self.overflow > 0 {
            self.overflow -= 1;
            return;
        }
        // Error tolerance: pop until the matching bracket (or give up if none is open).
        let Some(i) = self.cur.frames.iter().rposition(|f| f.bracket == bracket) else {
            self.reset_chain();
            return;
        };
        let mut frame = self.cur.frames.remove(i);
        self.cur.frames.truncate(i);
        if bracket == Bracket::Brace {
            // `call({ … })`: the object's keys stay with the call's link, for what follows the call
            if let Some(Frame {
                bracket: Bracket::Paren,
                index: 0,
                label: Label::Call(chain),
                ..
            }) = self.cur.frames.last_mut()
            {
                if let Some(last) = chain.last_mut() {
                    if last.first_keys.is_none() {
                        last.first_keys = Some(std::mem::take(&mut frame.keys).into());
                    }
                }
            }
        }
        match (&frame.label, bracket) {
            (Label::Call(chain), Bracket::Paren) => {
                // the call result continues the chain: `a.string()` then `.required`
                let mut chain = chain.clone();
                if let Some(last) = chain.last_mut() {
                    last.called = true;
                }
                self.cur.chain = chain;
                self.cur.after_dot = false;
            }
            _ => {
                if bracket == Bracket::Paren && !frame.saved_chain.is_empty() && frame.saved_dot {
                    self.cur.chain = frame.saved_chain;
                    self.cur.after_dot = frame.saved_dot;
                } else if bracket == Bracket::Paren {
                    // `(expr)` — a parenthesised expression ends; its value is unknown
                    self.cur.chain.clear();
                    self.cur.after_dot = false;
                } else {
                    self.reset_chain();
                }
            }
        }
    }
}

/// The keys of the object the cursor is in, written after the cursor (up to its closing brace).
fn keys_after(src: &str, offset: usize) -> Vec<String> {
    let mut keys = Vec::new();
    let bytes = src.as_bytes();
    let mut i = offset;
    let mut depth = 0i32;
    let limit = (offset + 64 * 1024).min(src.len());
    // the rest of the word at the cursor belongs to the entry being typed
    while i < limit && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'$') {
        i += 1;
    }
    let mut expect_key = !src[i..limit].trim_start().starts_with(':');
    // skip the rest of the current word / entry
    while i < limit {
        let c = bytes[i];
        match c {
            b'\'' | b'"' | b'`' => {
                let q = c;
                let s = i + 1;
                i += 1;
                while i < limit && bytes[i] != q && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if depth == 0 && expect_key {
                    let after = src[i.min(limit)..limit]
                        .trim_start_matches([q as char])
                        .trim_start();
                    if after.starts_with(':') {
                        keys.push(src[s..i.min(limit)].to_string());
                    }
                }
                expect_key = false;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < limit && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'{' | b'(' | b'[' => {
                depth += 1;
                expect_key = false;
            }
            b'}' | b')' | b']' => {
                depth -= 1;
                if depth < 0 {
                    break;
                }
            }
            b',' if depth == 0 => expect_key = true,
            c if depth == 0
                && expect_key
                && (c.is_ascii_alphabetic() || c == b'_' || c == b'$') =>
            {
                let s = i;
                while i < limit
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'$')
                {
                    i += 1;
                }
                let word = &src[s..i];
                let after = src[i..limit].trim_start();
                if after.starts_with(':')
                    || after.starts_with(',')
                    || after.starts_with('}')
                    || after.starts_with('(')
                {
                    keys.push(word.to_string());
                }
                expect_key = false;
                continue;
            }
            c if !c.is_ascii_whitespace() => expect_key = false,
            _ => {}
        }
        i += 1;
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(fixture: &str) -> Cursor {
        let i = fixture.find("$0").expect("marker");
        let src = format!("{}{}", &fixture[..i], &fixture[i + 2..]);
        cursor_at(&src, i)
    }

    fn names(chain: &[ChainLink]) -> Vec<&str> {
        chain.iter().map(|l| l.name.as_str()).collect()
    }

    /// A large schema-like text with every construct the scanner tracks.
    fn large_text(models: usize) -> String {
        let mut s =
            String::from("import { a } from '@aws-amplify/backend';\nconst schema = a.schema({\n");
        for i in 0..models {
            s.push_str(&format!(
                "  // model {i}\n  M{i}: a.model({{ name: a.string().required(), n: a.integer().default({i}), \
                 t: `x${{y}}z`, s: 'it\\'s', \"q\": a.ref('M{j}'), o: a.hasMany('M{j}', ['id']) }})\n    \
                 /* block */ .authorization((allow) => [allow.owner(), allow.groups(['A', \"B\"]).to(['read'])]),\n",
                j = (i * 7) % models.max(1)
            ));
        }
        s.push_str("});\n");
        s
    }

    /// Offsets to compare at: a spread over the text, plus every offset around `around`.
    fn offsets(len: usize, around: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..len).step_by(7919).collect();
        v.extend(around.saturating_sub(12)..(around + 12).min(len));
        v.push(len);
        v
    }

    #[test]
    fn checkpointed_scans_equal_scans_from_the_start() {
        let mut text = large_text(600);
        assert!(text.len() > 4 * CACHE_MIN_LEN);
        let mid = text.len() / 2;
        // (position, deleted bytes, inserted text): edits inside words, strings, an unclosed comment, string and
        // bracket (everything after them changes meaning), undone again.
        let edits: Vec<(usize, usize, &str)> = vec![
            (mid, 0, "x"),
            (mid, 1, ""),
            (mid, 0, "/*"),
            (mid, 2, ""),
            (mid + 5, 0, "'"),
            (mid + 5, 1, ""),
            (mid, 0, "({["),
            (100, 0, "`${"),
            (100, 3, ""),
            (mid, 3, ""),
            (text.len() - 10, 0, "é."),
            // typed at the very end, where the last scan stopped, then taken back
            (text.len() + 2, 0, "/* x"),
            (text.len() + 2, 4, ""),
            (CHECKPOINT_EVERY + 3, 0, "ab.c"),
            (CHECKPOINT_EVERY + 3, 4, ""),
        ];
        for (i, &(at, del, ins)) in edits.iter().enumerate() {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let end = (at + del).min(text.len());
            text.replace_range(at..end, ins);
            for off in offsets(text.len(), at) {
                let fresh = cursor_scan(&text, off, false);
                assert_eq!(cursor_at(&text, off), fresh, "edit {i}, offset {off}");
            }
            // backwards too: checkpoints taken by scans further down are reused by scans above them
            for off in offsets(text.len(), at).into_iter().rev().step_by(7) {
                let fresh = cursor_scan(&text, off, false);
                assert_eq!(
                    cursor_at(&text, off),
                    fresh,
                    "edit {i}, offset {off}, backwards"
                );
            }
        }
        // the scans went through the cache
        let cache = scan_cache();
        assert!(cache
            .texts
            .iter()
            .any(|t| text.as_bytes().starts_with(&t.text) && t.checkpoints.len() >= 4));
    }

    #[test]
    fn a_prepared_text_is_resumed_near_any_offset() {
        // a text of its own (other tests share the cache of the last few texts: retried if they pushed it out)
        let text = format!("// prepared\n{}", large_text(300));
        assert!(text.len() > 2 * CACHE_MIN_LEN);
        let offset = text.len() - 100;
        let resumed = (0..3).find_map(|_| {
            prepare_scans(&text);
            scan_cache().resume(&text, offset)
        });
        let state = resumed.expect("no checkpoint after preparing the text");
        assert!(
            offset - state.pos <= CHECKPOINT_EVERY + LOOKAHEAD,
            "{} of {offset}",
            state.pos
        );
        // and the cursor found from there is the one a scan from the start finds
        assert_eq!(cursor_at(&text, offset), cursor_scan(&text, offset, false));
        // a short text is left alone
        prepare_scans("const a = 1;");
    }

    #[test]
    fn object_path_in_half_typed_code() {
        let c = at("export const auth = defineAuth({\n  loginWith: {\n    externalProviders: {\n      google: {\n        $0");
        assert_eq!(
            c.object_path(),
            Some((
                "defineAuth".to_string(),
                vec![
                    "loginWith".into(),
                    "externalProviders".into(),
                    "google".into()
                ]
            ))
        );
        assert!(c.at_key());
        let c = at("defineFunction({ time$0 })");
        assert_eq!(
            c.object_path(),
            Some(("defineFunction".to_string(), vec![]))
        );
        assert_eq!(c.word.as_ref().map(|w| w.0.as_str()), Some("time"));
        assert!(c.at_key());
    }

    #[test]
    fn value_positions_and_strings() {
        let c = at("defineFunction({ runtime: 22, architecture: '$0' })");
        let s = c.in_string.as_ref().expect("in string");
        assert_eq!(s.prefix, "");
        assert_eq!(
            c.top().and_then(|f| f.value_of.as_deref()),
            Some("architecture")
        );
        assert_eq!(
            c.top().map(|f| f.keys.clone()),
            Some(vec!["runtime".to_string(), "architecture".to_string()])
        );
        let c = at("defineAuth({ loginWith: { email: { verificationEmailStyle: 'CO$0' } } })");
        assert_eq!(c.in_string.as_ref().map(|s| s.prefix.as_str()), Some("CO"));
        assert_eq!(
            c.object_path().map(|p| p.1),
            Some(vec!["loginWith".to_string(), "email".to_string()])
        );
    }

    #[test]
    fn two_dots_or_an_unterminated_string_before_a_multibyte_character() {
        // found by fuzzing: `..` followed by a two-byte character used to step into it, and the first string
        // argument of a call, unterminated before a line break, lost its last byte, not its closing quote
        for src in [
            "..¡",
            "  \0..¡x",
            "a..😀",
            "...é",
            "''a(\"¡\n",
            "a.ref('é\nx",
        ] {
            for off in 0..=src.len() {
                cursor_at(src, off);
            }
        }
    }

    #[test]
    fn very_long_chains_are_bounded() {
        let src = format!("a{}.", ".required()".repeat(10_000));
        let c = cursor_at(&src, src.len());
        assert!(c.chain.len() <= MAX_CHAIN, "{}", c.chain.len());
    }

    #[test]
    fn chains_after_dots() {
        let c = at("const s = a.schema({ Todo: a.model({ content: a.string().$0");
        assert!(c.after_dot);
        assert_eq!(names(&c.chain), ["a", "string"]);
        assert!(c.chain[1].called);
        let c = at("a.model({}).authorization((allow) => [allow.$0])");
        assert!(c.after_dot);
        assert_eq!(names(&c.chain), ["allow"]);
        let arrow = c.frames.iter().find_map(|f| match &f.label {
            Label::Arrow { params } => Some(params.clone()),
            _ => None,
        });
        assert_eq!(arrow, Some(vec!["allow".to_string()]));
        let c = at("x: a.hasMany('Post', 'authorId').$0");
        assert_eq!(names(&c.chain), ["a", "hasMany"]);
        assert_eq!(c.chain[1].first_str.as_deref(), Some("Post"));
        let c = at("allow.own$0");
        assert_eq!(names(&c.chain), ["allow"]);
        assert!(c.after_dot);
        assert_eq!(c.word.as_ref().map(|w| w.0.as_str()), Some("own"));
        let c = at("a.$0");
        assert!(c.after_dot);
        assert_eq!(names(&c.chain), ["a"]);
    }

    #[test]
    fn expression_bodied_arrows_keep_their_parameters_in_scope() {
        let scopes = |c: &Cursor| -> Vec<(usize, Vec<String>)> {
            c.arrow_scopes()
                .into_iter()
                .map(|(e, p)| (e, p.to_vec()))
                .collect()
        };
        let c = at("a.string().validate(v => v.$0)");
        assert!(c.after_dot);
        assert_eq!(names(&c.chain), ["v"]);
        assert_eq!(scopes(&c), [(1, vec!["v".to_string()])]);
        let c = at("a.string().validate((val) => val.minLength(3).$0)");
        assert_eq!(names(&c.chain), ["val", "minLength"]);
        assert_eq!(scopes(&c), [(1, vec!["val".to_string()])]);
        let c = at("a.conversation({}).authorization(allow => allow.$0");
        assert_eq!(scopes(&c), [(1, vec!["allow".to_string()])]);
        let c = at("a.model({}).secondaryIndexes(index => index('f').$0)");
        assert_eq!(names(&c.chain), ["index"]);
        assert!(c.chain[0].called);
        assert_eq!(scopes(&c), [(1, vec!["index".to_string()])]);
        // a typed parameter, and a bracketed body inside an expression body's scope
        let c = at("x.authorization((allow: any) => [allow.$0");
        assert_eq!(
            scopes(&c),
            [
                (1, vec!["allow".to_string()]),
                (1, vec!["allow".to_string()])
            ]
        );
        // the scope ends with its element
        let c = at("f(v => v.x, $0");
        assert!(scopes(&c).is_empty());
        let c = at("{ const g = (v) => v.x; $0");
        assert!(scopes(&c).is_empty());
        let c = at("f(v => v.x)($0");
        assert!(scopes(&c).is_empty());
        // destructuring is not a name
        let c = at("f(({ a }) => a.$0");
        assert!(scopes(&c)
            .iter()
            .all(|(_, p)| !p.iter().any(|n| n.contains('{'))));
    }

    #[test]
    fn call_frames_and_string_args() {
        let c = at("a.ref('$0");
        assert!(c.in_string.is_some());
        let (_, f, chain) = c.calls().next().expect("call");
        assert_eq!(names(chain), ["a", "ref"]);
        assert_eq!(f.index, 0);
        let c = at("a.hasMany('Post', '$0')");
        let (_, f, _) = c.calls().next().expect("call");
        assert_eq!(f.index, 1);
    }

    #[test]
    fn comments_and_templates() {
        assert!(at("// defineAuth({ $0").in_comment);
        assert!(at("/* x $0 */").in_comment);
        let c = at("const t = `hi ${a.$0}`");
        assert!(c.after_dot);
        let c = at("const t = `hi $0`");
        assert!(c.in_string.is_some());
    }

    #[test]
    fn hostile_input_is_bounded() {
        let deep = "{".repeat(100_000);
        let c = cursor_at(&deep, deep.len());
        assert!(c.frames.len() <= MAX_FRAMES);
        let c = cursor_at("a😀b", 2); // inside the emoji
        assert_eq!(c.offset, 1);
        let _ = cursor_at("", 10);
        let _ = cursor_at("'unterminated\n ${ `", 19);
    }
}
