//! A small, plain-data view of TypeScript expressions: what the Amplify rules need to see of object
//! literals, arrays, calls and callbacks. Lowering is bounded in depth, so hostile nesting cannot overflow
//! the stack; whatever is too deep or not understood becomes [`Kind::Other`] and is never guessed at.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use tree_sitter::Node;

use crate::syntax::{span, text, Lang};
use crate::text::Span;

/// FNV-1a: a hasher for short keys (names) in maps that are built or probed once per node of a large file,
/// where the default SipHash costs more than the rest of the lookup. Not for keys an attacker picks to collide
/// en masse: the maps hold names from one file, and the worst case is a slower lookup.
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A `HashMap`/`HashSet` hasher builder for [`Fnv`].
pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// A hasher for keys made of machine words (offsets, and the lowering cache's keys, whose first word is a hash
/// of the entry's text already): one multiply per word, where [`Fnv`] takes one per byte and SipHash far more.
/// A keystroke in a large schema looks up and inserts thousands of such keys. Not for keys an attacker picks.
#[derive(Clone, Copy, Default)]
pub struct Words(u64);

impl Hasher for Words {
    fn finish(&self) -> u64 {
        // the multiply mixes each word into the high bits; the table picks its bucket from the low ones
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
}

/// A `HashMap`/`HashSet` hasher builder for [`Words`].
pub type WordsBuild = std::hash::BuildHasherDefault<Words>;

/// How deep lowering goes before giving up on a subtree.
pub const MAX_DEPTH: usize = 96;

/// The strings of lowered values (names, keys, literals): short ones are stored inline, so copying a value
/// does not allocate for them.
pub type Text = compact_str::CompactString;

// Children are shared (`Arc`), so that copying a value (a cached model entry reused by the next version of
// its file) copies its top level only; [`shifted_value`] copies what it moves.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: Kind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A string literal, or a template literal without substitutions (escapes decoded).
    Str(Text),
    /// A template literal with substitutions: its value is not known.
    Template,
    Num(f64),
    Bool(bool),
    Null,
    Undefined,
    Ident(Text),
    Array(Arc<[Value]>),
    Object(Arc<[Prop]>),
    /// An arrow function or function expression.
    Func(Arc<Func>),
    /// A call (`new X(...)` too, with `is_new`).
    Call {
        callee: Arc<Value>,
        args: Arc<[Value]>,
        /// The span of the parenthesised argument list, including the parentheses.
        args_span: Span,
        is_new: bool,
    },
    Member {
        object: Arc<Value>,
        prop: Text,
        prop_span: Span,
    },
    Spread(Arc<Value>),
    /// Something we do not model (operators, conditionals, too deep, syntax errors...).
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prop {
    /// The key text (unquoted); `None` for computed keys and spreads.
    pub key: Option<Text>,
    pub key_span: Span,
    pub value: Value,
    /// `{ auth }` shorthand.
    pub shorthand: bool,
    /// The whole `key: value` entry.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Func {
    /// Parameter names (empty string for destructuring patterns).
    pub params: Vec<Text>,
    /// The returned expression: the expression body, or the first top-level `return` of a block body.
    pub body: Option<Value>,
    /// For each parameter, whether the body calls it (`createCode()`), used by callback rules.
    pub param_called: Vec<bool>,
    pub body_span: Span,
}

/// How deep [`Value::walk`] goes (the lowering itself stops earlier).
const WALK_DEPTH: usize = 200;

fn walk_at<'a>(v: &'a Value, depth: usize, f: &mut dyn FnMut(&'a Value)) {
    walk_pruned_at(v, depth, &mut |_, _| false, f);
}

/// [`walk_at`], leaving out the object entries `skip` names (the entry and everything below it); `skip` is
/// told the depth of the entry's value.
fn walk_pruned_at<'a>(
    v: &'a Value,
    depth: usize,
    skip: &mut dyn FnMut(&'a Prop, usize) -> bool,
    f: &mut dyn FnMut(&'a Value),
) {
    if depth > WALK_DEPTH {
        return;
    }
    f(v);
    let d = depth + 1;
    match &v.kind {
        Kind::Array(items) => items.iter().for_each(|i| walk_pruned_at(i, d, skip, f)),
        Kind::Object(props) => {
            for p in props.iter() {
                if !skip(p, d) {
                    walk_pruned_at(&p.value, d, skip, f);
                }
            }
        }
        Kind::Call { callee, args, .. } => {
            walk_pruned_at(callee, d, skip, f);
            args.iter().for_each(|a| walk_pruned_at(a, d, skip, f));
        }
        Kind::Member { object, .. } => walk_pruned_at(object, d, skip, f),
        Kind::Spread(inner) => walk_pruned_at(inner, d, skip, f),
        Kind::Func(func) => {
            if let Some(b) = &func.body {
                walk_pruned_at(b, d, skip, f);
            }
        }
        _ => {}
    }
}

impl Value {
    /// Visits this value and every value below it (array items, property values, callees and arguments,
    /// member objects, spreads, function bodies), depth first.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Value)) {
        walk_at(self, 0, f);
    }

    /// [`Value::walk`], leaving out the object entries for which `skip` is true, and everything below them.
    pub fn walk_pruned<'a>(
        &'a self,
        skip: &mut dyn FnMut(&'a Prop) -> bool,
        f: &mut dyn FnMut(&'a Value),
    ) {
        walk_pruned_at(self, 0, &mut |p, _| skip(p), f);
    }

    /// [`Value::walk_pruned`], telling `skip` the depth of the entry's value: [`Value::walk_from`] at that
    /// depth visits what this walk would have visited below the entry.
    pub fn walk_pruned_depth<'a>(
        &'a self,
        skip: &mut dyn FnMut(&'a Prop, usize) -> bool,
        f: &mut dyn FnMut(&'a Value),
    ) {
        walk_pruned_at(self, 0, skip, f);
    }

    /// [`Value::walk`] of a value that sits `depth` levels below where a walk started (the walks stop at the
    /// same depth).
    pub fn walk_from<'a>(&'a self, depth: usize, f: &mut dyn FnMut(&'a Value)) {
        walk_at(self, depth, f);
    }

    /// For a call `<object>.authorization((allow) => [...])`: the object, the callback's parameter and its rules
    /// (the array's items, or the one expression the arrow returns).
    pub fn authorization_rules(&self) -> Option<(&Value, &str, Vec<&Value>)> {
        let Kind::Call { callee, args, .. } = &self.kind else {
            return None;
        };
        let Kind::Member { object, prop, .. } = &callee.kind else {
            return None;
        };
        if prop != "authorization" {
            return None;
        }
        let func = args.first().and_then(Value::as_func)?;
        let param = func.params.first().filter(|p| !p.is_empty())?;
        let body = func.body.as_ref()?;
        let rules = match &body.kind {
            Kind::Array(items) => items.iter().collect(),
            _ => vec![body],
        };
        Some((object, param.as_str(), rules))
    }

    pub fn other(span: Span) -> Value {
        Value {
            kind: Kind::Other,
            span,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_num(&self) -> Option<f64> {
        match self.kind {
            Kind::Num(n) => Some(n),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }
    pub fn as_ident(&self) -> Option<&str> {
        match &self.kind {
            Kind::Ident(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.kind {
            Kind::Array(v) => Some(v),
            _ => None,
        }
    }
    pub fn as_object(&self) -> Option<&[Prop]> {
        match &self.kind {
            Kind::Object(v) => Some(v),
            _ => None,
        }
    }
    pub fn as_func(&self) -> Option<&Func> {
        match &self.kind {
            Kind::Func(f) => Some(f),
            _ => None,
        }
    }
    /// The property `key` of an object value (the last one, as JavaScript does).
    pub fn get(&self, key: &str) -> Option<&Prop> {
        self.as_object()?
            .iter()
            .rev()
            .find(|p| p.key.as_deref() == Some(key))
    }
    /// The value of property `key`.
    pub fn field(&self, key: &str) -> Option<&Value> {
        self.get(key).map(|p| &p.value)
    }
    /// Whether the object has a spread (`...x`) whose keys we cannot know.
    pub fn has_spread(&self) -> bool {
        self.as_object()
            .is_some_and(|ps| ps.iter().any(|p| matches!(p.value.kind, Kind::Spread(_))))
    }
    /// `secret('NAME')`?
    pub fn is_secret_call(&self) -> bool {
        matches!(&self.kind, Kind::Call { callee, is_new: false, .. } if callee.as_ident() == Some("secret"))
    }
    /// Whether the value is a literal we fully know (not an identifier, call, spread or template).
    pub fn is_literal(&self) -> bool {
        matches!(
            self.kind,
            Kind::Str(_)
                | Kind::Num(_)
                | Kind::Bool(_)
                | Kind::Null
                | Kind::Array(_)
                | Kind::Object(_)
        )
    }
    /// The name of the first link of a chain whose root is the identifier `root` (`model` in
    /// `a.model({...}).authorization(...)` for `a`): what [`Value::chain`] would give as its first link, without
    /// building the chain.
    pub fn first_link_from(&self, root: &str) -> Option<&str> {
        let mut cur = self;
        let mut called = false;
        let mut first = None;
        loop {
            match &cur.kind {
                Kind::Call {
                    callee,
                    is_new: false,
                    ..
                } => {
                    if called {
                        return None; // a call of a call result: not a builder chain
                    }
                    called = true;
                    cur = callee;
                }
                Kind::Member { object, prop, .. } => {
                    called = false;
                    first = Some(&**prop);
                    cur = object;
                }
                Kind::Ident(r) => return first.filter(|_| &**r == root),
                _ => return None,
            }
        }
    }

    /// Flattens a member/call chain like `a.string().required()` into its root and links.
    pub fn chain(&self) -> Option<Chain<'_>> {
        let mut links = Vec::new();
        let mut cur = self;
        let mut pending_args: Option<(&[Value], Span)> = None;
        loop {
            match &cur.kind {
                Kind::Call {
                    callee,
                    args,
                    args_span,
                    is_new: false,
                } => {
                    if pending_args.is_some() {
                        // a call of a call result: `f()()` — not a builder chain
                        return None;
                    }
                    pending_args = Some((args, *args_span));
                    cur = callee;
                }
                Kind::Member {
                    object,
                    prop,
                    prop_span,
                } => {
                    let (args, args_span) = match pending_args.take() {
                        Some((a, s)) => (Some(a), Some(s)),
                        None => (None, None),
                    };
                    links.push(Link {
                        name: prop,
                        name_span: *prop_span,
                        args,
                        args_span,
                        end: args_span.map_or(prop_span.end, |s| s.end),
                    });
                    cur = object;
                }
                Kind::Ident(root) => {
                    links.reverse();
                    return Some(Chain {
                        root,
                        root_span: cur.span,
                        root_args: pending_args.map(|(a, _)| a),
                        links,
                    });
                }
                _ => return None,
            }
        }
    }
}

/// A flattened chain: `root(root_args).link1(args).link2`.
#[derive(Debug, Clone)]
pub struct Chain<'a> {
    pub root: &'a str,
    pub root_span: Span,
    /// Arguments when the root itself is called (`defineAuth({...})`).
    pub root_args: Option<&'a [Value]>,
    pub links: Vec<Link<'a>>,
}

#[derive(Debug, Clone)]
pub struct Link<'a> {
    pub name: &'a str,
    pub name_span: Span,
    /// `None` when the link is a property access, not a call.
    pub args: Option<&'a [Value]>,
    pub args_span: Option<Span>,
    /// Where this link ends in the source.
    pub end: usize,
}

impl Chain<'_> {
    pub fn link(&self, name: &str) -> Option<&Link<'_>> {
        self.links.iter().find(|l| l.name == name)
    }
    /// The first argument of the first link named `name`.
    pub fn arg(&self, name: &str) -> Option<&Value> {
        self.link(name)?.args?.first()
    }
}

/// The field names lowering asks for, with their ids looked up once (see [`field`]).
const FIELDS: [&str; 14] = [
    "operator",
    "argument",
    "object",
    "property",
    "function",
    "constructor",
    "arguments",
    "key",
    "value",
    "name",
    "parameter",
    "parameters",
    "pattern",
    "body",
];

/// The ids of [`FIELDS`] in one grammar, which is told apart from the other by its number of node kinds.
struct FieldIds {
    kinds: usize,
    ids: Vec<(&'static str, u16)>,
}

impl FieldIds {
    fn of(lang: Lang) -> FieldIds {
        let language = lang.language();
        FieldIds {
            kinds: language.node_kind_count(),
            ids: FIELDS
                .iter()
                .filter_map(|&f| Some((f, language.field_id_for_name(f)?.get())))
                .collect(),
        }
    }
}

/// `node.child_by_field_name(name)`, with the field id looked up once per grammar: tree-sitter finds an id
/// by comparing the name with every field name of the grammar, which was a quarter of the time spent
/// lowering a large schema. (The TypeScript and TSX grammars number their fields differently.)
fn field<'t>(node: Node<'t>, name: &str) -> Option<Node<'t>> {
    static IDS: OnceLock<[FieldIds; 2]> = OnceLock::new();
    let tables = IDS.get_or_init(|| [FieldIds::of(Lang::TypeScript), FieldIds::of(Lang::Tsx)]);
    let kinds = node.language().node_kind_count();
    let id = tables
        .iter()
        .find(|t| t.kinds == kinds)
        .and_then(|t| t.ids.iter().find(|(n, _)| *n == name));
    match id {
        Some(&(_, id)) => node.child_by_field_id(id),
        None => node.child_by_field_name(name),
    }
}

/// Lowers an expression node into a [`Value`].
pub fn lower(node: Node, src: &str) -> Value {
    let mut cx = Lowering {
        src,
        prev: Prev::None,
        next: None,
        members: None,
        dups: 0,
    };
    lower_at(node, &mut cx, 0)
}

/// The names of member expressions (`<object>.<name>`) met in a file's lowered values: a rule that looks for a
/// rare method skips its walk of the file when the name is absent (see
/// [`FileModel::has_member`](crate::model::file::FileModel::has_member)).
pub type Members = std::collections::HashSet<Text, FnvBuild>;

/// Like [`lower`], adding the names of the member expressions lowered to `members`.
pub fn lower_collecting(node: Node, src: &str, members: &mut Members) -> Value {
    let mut cx = Lowering {
        src,
        prev: Prev::None,
        next: None,
        members: Some(std::mem::take(members)),
        dups: 0,
    };
    let v = lower_at(node, &mut cx, 0);
    if let Some(m) = cx.members {
        *members = m;
    }
    v
}

/// Like [`lower_collecting`], reusing the entries of `prev` (the cache of an earlier version of the same file)
/// whose text has not changed, and recording this version's entries in `next`. A reused entry adds the member
/// names it was found to hold when it was lowered, without a walk.
pub fn lower_cached(
    node: Node,
    src: &str,
    prev: Option<&LowerCache>,
    next: &mut LowerCache,
    members: &mut Members,
) -> Value {
    lower_reusing(
        node,
        src,
        prev.map_or(Prev::None, Prev::Shared),
        next,
        members,
    )
}

/// The cache of the version before, as one build of a file model reads it.
pub enum Prev<'a> {
    None,
    /// Shared with other holders (an earlier version's model still in use): a reused entry that moved is copied
    /// to its new place.
    Shared(&'a LowerCache),
    /// The build's alone: a reused entry is taken out of it, and moved in place when nothing else holds it
    /// either (see [`shift_prop_in_place`]), so a keystroke above 500 models neither copies them nor leaves
    /// their old copies to be freed. What is left in it afterwards is what this version did not reuse.
    Owned(&'a mut LowerCache),
}

impl Prev<'_> {
    /// The same cache, borrowed again for one lowering.
    pub fn reborrow(&mut self) -> Prev<'_> {
        match self {
            Prev::None => Prev::None,
            Prev::Shared(c) => Prev::Shared(c),
            Prev::Owned(c) => Prev::Owned(c),
        }
    }

    /// The cache, to read.
    pub fn cache(&self) -> Option<&LowerCache> {
        match self {
            Prev::None => None,
            Prev::Shared(c) => Some(c),
            Prev::Owned(c) => Some(c),
        }
    }
}

/// [`lower_cached`] with the earlier version's cache as [`Prev`].
pub fn lower_reusing(
    node: Node,
    src: &str,
    prev: Prev<'_>,
    next: &mut LowerCache,
    members: &mut Members,
) -> Value {
    let mut cx = Lowering {
        src,
        prev,
        next: Some(std::mem::take(next)),
        members: Some(std::mem::take(members)),
        dups: 0,
    };
    let v = lower_at(node, &mut cx, 0);
    if let Some(n) = cx.next {
        *next = n;
    }
    if let Some(m) = cx.members {
        *members = m;
    }
    v
}

/// Object entries at least this long (in bytes) are cached by their text: in a schema, one per model.
const CACHED_ENTRY_LEN: usize = 256;

/// Lowered object entries (`key: value` pairs) of one version of a file, by their text, so the next version
/// re-lowers only the entries an edit touched. Lowering walks tree-sitter nodes, most of the cost of a
/// keystroke in a long schema; a cached entry is cloned and moved to its new offset instead, and the moved copy
/// is what the next version finds: an entry that moved once (a line typed above it) is reused as it is by the
/// versions after, not moved again from where it was first lowered.
#[derive(Default)]
pub struct LowerCache {
    /// (hash of the entry's text, its length, the lowering depth) -> (the generation that last used it, the
    /// entry).
    entries: HashMap<CacheKey, (u32, Cached), WordsBuild>,
    /// Counts versions; each entry records the generation that last used it.
    generation: u32,
    /// How many of the entries were taken from the earlier version's cache.
    reused: usize,
    /// This version's entries (lowered now, or reused, moved or not) by their start offset: this version's value
    /// at that offset equals the entry's.
    placed: HashMap<usize, Cached, WordsBuild>,
    /// What the data schema model keeps from one version of the file for the next (shared by every version
    /// of one document: [`LowerCache::after`] passes it on).
    pub(crate) schema_memo: Arc<std::sync::Mutex<crate::model::schema::Memo>>,
    /// What rules found in the entries, kept for the next versions (shared the same way, see
    /// [`EntryMemo`](crate::model::memo::EntryMemo)).
    pub(crate) entry_memo: Arc<crate::model::memo::EntryMemo>,
    /// One shared list for each distinct list of member names the entries hold (shared the same way): the
    /// models of a schema mostly call the same few methods, so 1,000 entries hold a few dozen lists.
    names_lists: Arc<std::sync::Mutex<NamesLists>>,
    /// The edits [`LowerCache::move_ahead`] followed to move the entries, for the schema's types read from them.
    types_behind: Option<Vec<crate::text::Edit>>,
    /// The lists of member names (by address) this version's reused entries already added to the file's
    /// [`Members`]: a reused entry whose list was added adds nothing new. Each list stays alive while this
    /// version's entries hold it, so an address is not reused meanwhile.
    added_lists: HashSet<usize, WordsBuild>,
    /// This version's big objects (a schema's object of models), each as the list of its children, so that the
    /// next version lowers only the children an edit touched ([`splice`]).
    objects: Vec<BigObject>,
    /// Set by [`LowerCache::move_ahead`] when it followed exactly one edit since this version: `objects` are then
    /// where they are after it, each with the children the edit touched marked.
    spliceable: bool,
}

/// Objects with at least this many named children are kept as lists of their children ([`BigObject`]). Smaller
/// ones are walked.
const SPLICE_MIN_CHILDREN: usize = 64;

/// One named child of a [`BigObject`], as the version that lowered it found it.
#[derive(Clone)]
enum Child {
    /// A comment, or a child that lowers to no entry: nothing in the object's value.
    Skipped(Span),
    /// An entry kept in the cache's table under this key.
    Cached(Span, CacheKey),
    /// An entry too short to be cached, kept here as it was lowered.
    Plain(Prop),
}

impl Child {
    fn span(&self) -> Span {
        match self {
            Child::Skipped(s) | Child::Cached(s, _) => *s,
            Child::Plain(p) => p.span,
        }
    }

    fn shift(&mut self, delta: isize) {
        match self {
            Child::Skipped(s) | Child::Cached(s, _) => shift_span(s, delta),
            Child::Plain(p) => shift_prop_in_place(p, delta),
        }
    }
}

/// A big object of one version (see [`SPLICE_MIN_CHILDREN`]): its span, the depth its children were lowered at,
/// and its named children in order. Recorded only when it has no syntax error and no two of the entries lowered
/// in it share a key. After [`LowerCache::move_ahead`], the children before the edit are `children[..before]`
/// (where they were) and those after it `children[after..]` (moved by the edit); the edit touched those between.
#[derive(Clone)]
struct BigObject {
    span: Span,
    depth: usize,
    children: Vec<Child>,
    before: usize,
    after: usize,
}

impl BigObject {
    /// Follows one edit; `false` when the edit touched the object's braces (the record is then dropped). The
    /// bounds are strict: a child that ends where the edit starts, or starts where it ends, counts as touched
    /// (text typed against it may have joined it).
    fn follow(&mut self, e: crate::text::Edit) -> bool {
        let delta = e.new_end as isize - e.old_end as isize;
        let n = self.children.len();
        if e.start >= self.span.end {
            (self.before, self.after) = (n, n);
            return true;
        }
        if e.old_end <= self.span.start {
            shift_span(&mut self.span, delta);
            self.children.iter_mut().for_each(|c| c.shift(delta));
            (self.before, self.after) = (0, 0);
            return true;
        }
        if e.start <= self.span.start || e.old_end >= self.span.end {
            return false;
        }
        self.before = self.children.partition_point(|c| c.span().end < e.start);
        self.after = self
            .children
            .partition_point(|c| c.span().start <= e.old_end)
            .max(self.before);
        self.children[self.after..]
            .iter_mut()
            .for_each(|c| c.shift(delta));
        self.span.end = self.span.end.saturating_add_signed(delta);
        true
    }
}

/// The distinct lists of member names of entries (see [`LowerCache::names_lists`]).
type NamesLists = HashSet<Arc<[Text]>, FnvBuild>;

/// The most distinct lists kept; past it they are dropped (and shared again from there).
const MAX_NAMES_LISTS: usize = 4096;

/// A cached entry: its start offset and lowered value, and the member names it holds (so that a reused entry
/// need not be walked for them, see [`Members`]).
#[derive(Clone)]
struct Cached {
    entry: Arc<(usize, Prop)>,
    names: Arc<[Text]>,
    /// Its key in the cache: the same for the same text, wherever it is.
    key: CacheKey,
}

/// (hash of an entry's text, its length, the lowering depth).
type CacheKey = (u64, usize, usize);

/// The key of a cached entry (see [`LowerCache::key_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntryKey(CacheKey);

impl EntryKey {
    /// The length of the entry's text, in bytes.
    pub fn text_len(&self) -> usize {
        self.0 .1
    }
}

/// The most edits kept for the schema's types while parses follow each other without a build (see
/// [`LowerCache::move_ahead`]); past it the schema read moves the types itself.
const MAX_TYPES_BEHIND: usize = 256;

/// How many versions an entry is kept without being used: a syntax error can hide the whole schema from the
/// lowering for a few keystrokes, and the models are all still there once it is fixed.
const KEEP_UNUSED: u32 = 16;

impl LowerCache {
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// How many entries this version reused from the earlier one.
    pub fn reused(&self) -> usize {
        self.reused
    }
    /// Which version of the document this is (counting from the first one built with a cache, wrapping).
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// The empty cache of the version after `prev`, with room for as many entries (the next version of a file
    /// holds about the same ones: growing the tables entry by entry would rehash them a dozen times).
    pub fn after(prev: &LowerCache) -> LowerCache {
        LowerCache {
            generation: prev.generation.wrapping_add(1),
            schema_memo: prev.schema_memo.clone(),
            entry_memo: prev.entry_memo.clone(),
            names_lists: prev.names_lists.clone(),
            entries: HashMap::with_capacity_and_hasher(prev.entries.len(), WordsBuild::default()),
            // (a cache readied for an owning build has forgotten its places: its entries count them)
            placed: HashMap::with_capacity_and_hasher(
                prev.placed.len().max(prev.entries.len()),
                WordsBuild::default(),
            ),
            ..LowerCache::default()
        }
    }

    /// The entry of this version that starts at `start` (its offset and value, which equals this version's value
    /// there). The same entry (the same `Arc`) as the previous version's when it was reused without moving.
    pub fn entry_at(&self, start: usize) -> Option<&Arc<(usize, Prop)>> {
        self.placed.get(&start).map(|p| &p.entry)
    }

    /// The cache key of this version's entry `p`, when `p` is one of the entries this version lowered or
    /// reused: equal for two entries (of any versions of the file) with the same text, lowered at the same depth,
    /// wherever they are.
    pub fn key_of(&self, p: &Prop) -> Option<EntryKey> {
        let at = self.placed.get(&p.span.start)?;
        (at.entry.1.span == p.span && at.entry.1.key_span == p.key_span).then_some(EntryKey(at.key))
    }

    /// The list equal to `names` that other entries hold already, else `names`, now shared.
    fn shared_names(&self, names: Arc<[Text]>) -> Arc<[Text]> {
        let Ok(mut lists) = self.names_lists.lock() else {
            return names;
        };
        if let Some(shared) = lists.get(&names) {
            return shared.clone();
        }
        if lists.len() >= MAX_NAMES_LISTS {
            lists.clear();
        }
        lists.insert(names.clone());
        names
    }

    /// The member names of this version's entry `p` (see [`Members`]), when `p` is one of the entries this
    /// version lowered or reused.
    pub fn names_of(&self, p: &Prop) -> Option<&[Text]> {
        let at = self.placed.get(&p.span.start)?;
        (at.entry.1.span == p.span && at.entry.1.key_span == p.key_span).then_some(&*at.names)
    }

    /// Keeps the entries of `prev` this version did not use, unless they have not been used for
    /// [`KEEP_UNUSED`] versions.
    pub fn carry_over(&mut self, prev: &LowerCache) {
        for (k, (used, cached)) in &prev.entries {
            if self.generation.wrapping_sub(*used) <= KEEP_UNUSED {
                self.entries
                    .entry(*k)
                    .or_insert_with(|| (*used, cached.clone()));
            }
        }
    }

    /// [`LowerCache::carry_over`] from a cache this build owns (see [`Prev::Owned`]): the entries kept are moved,
    /// not shared.
    pub fn carry_over_owned(&mut self, prev: &mut LowerCache) {
        for (k, (used, cached)) in prev.entries.drain() {
            if self.generation.wrapping_sub(used) <= KEEP_UNUSED {
                self.entries.entry(k).or_insert((used, cached));
            }
        }
    }

    /// Readies a cache for [`Prev::Owned`]: forgets where its entries were placed (the version it was made for
    /// is gone), so that each entry is held by the cache's table alone and can be taken out and moved in place.
    pub fn into_owned_prev(mut self) -> LowerCache {
        self.placed.clear();
        self
    }

    /// Moves the entries the `edits` moved (in order, in the coordinates of the version this cache was made for)
    /// to where they are after them, in place, ahead of the next version's build. That build then finds them
    /// where they are, with nothing left to move. Called while nothing else holds the cache or the version it
    /// was made for (see [`LowerCache::into_owned_prev`]): with that version's model gone, nothing shares an entry's
    /// parts, and they are moved in place (a part still shared would be copied, as the build does). An entry an
    /// edit changed stays as it was: the build lowers its new text. The schema's types read from the entries
    /// are moved when the build starts ([`LowerCache::move_types_ahead`]). Returns how many entries moved.
    pub fn move_ahead(&mut self, edits: &[crate::text::Edit]) -> usize {
        self.move_ahead_sharing(edits, &|_| {})
    }

    /// [`LowerCache::move_ahead`], offering the entries to move as [`Pieces`](crate::helper::Pieces) to
    /// another thread (`offer`, see [`crate::helper::start_in_pieces`]) while this one moves them too.
    pub(crate) fn move_ahead_sharing(
        &mut self,
        edits: &[crate::text::Edit],
        offer: &dyn Fn(Arc<dyn crate::helper::Help>),
    ) -> usize {
        self.placed.clear();
        let generation = self.generation;
        // (the entries kept from older versions are in those versions' places: left for the build)
        let delta_of = |_: &CacheKey, (used, cached): &(u32, Cached)| {
            let (start, len) = (cached.entry.0, cached.key.1);
            (*used == generation)
                .then(|| crate::text::moved_by(edits, start, start + len))
                .flatten()
        };
        let moved = crate::helper::move_in_pieces(&mut self.entries, delta_of, move_entry, offer)
            .unwrap_or_else(|| {
                // a move that panicked lost its entries: the build lowers their text again, and walks the big
                // objects that held them
                self.objects.clear();
                0
            });
        // the big objects, for the build to splice: after exactly one edit since their version
        if self.spliceable || edits.len() != 1 {
            self.objects.clear();
            self.spliceable = false;
        } else {
            let e = edits[0];
            self.objects.retain_mut(|o| o.follow(e));
            self.spliceable = true;
        }
        // the schema's types read from those entries are moved by the build, beside its lowering (after the
        // edits of an earlier move ahead that no build followed)
        let behind = self.types_behind.get_or_insert_with(Vec::new);
        behind.extend_from_slice(edits);
        if behind.len() > MAX_TYPES_BEHIND {
            // many parses and no build: the read moves the types itself (it moves whatever it finds, from where
            // each says it is)
            self.types_behind = None;
        }
        moved
    }

    /// Forgets the big objects recorded for a splice ([`BigObject`]): the build that owns this cache is of a text
    /// other than the one [`LowerCache::move_ahead`] moved them for (more edits came since, or unknown ones).
    pub(crate) fn forget_objects(&mut self) {
        self.objects.clear();
        self.spliceable = false;
    }

    /// Starts moving the schema's types kept for this cache's version to where [`LowerCache::move_ahead`] moved
    /// their entries (see [`Memo::move_ahead`](crate::model::schema::Memo::move_ahead)), on the helper thread
    /// ([`crate::helper`]), beside the next version's lowering. The build waits for it before it returns (so the
    /// schema read after it finds them moved). The types read are the same whether they were moved ahead or not:
    /// the read moves what it finds, from where each says it is.
    pub(crate) fn move_types_ahead(&mut self) -> Option<crate::helper::Task<()>> {
        let edits = self.types_behind.take()?;
        let (memo, generation) = (self.schema_memo.clone(), self.generation);
        Some(crate::helper::start_in_pieces(move |offer| {
            // (a move that failed half done left the memo empty, see `Memo::move_ahead`)
            let mut memo = memo.lock().unwrap_or_else(|e| e.into_inner());
            memo.move_ahead_sharing(generation, &edits, &|p| offer.pieces(p));
        }))
    }
}

/// Moves one entry of [`LowerCache::move_ahead`] by the delta it holds, in place, and sets that to 0; an entry
/// something else holds is left where it was (the build moves it, or copies it moved).
fn move_entry(item: &mut (CacheKey, (u32, Cached), isize)) {
    let (_, (_, cached), delta) = item;
    if let Some((at, prop)) = Arc::get_mut(&mut cached.entry) {
        shift_prop_in_place(prop, *delta);
        *at = at.saturating_add_signed(*delta);
        *delta = 0;
    }
}

impl std::fmt::Debug for LowerCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "LowerCache({} entries, {} reused)",
            self.entries.len(),
            self.reused
        )
    }
}

struct Lowering<'a> {
    src: &'a str,
    prev: Prev<'a>,
    /// `None` when not caching.
    next: Option<LowerCache>,
    /// `None` when not collecting member names.
    members: Option<Members>,
    /// How many entries had a key another entry of this version had already (the same text twice): a big object
    /// where that happened is not recorded ([`BigObject`]).
    dups: usize,
}

/// Calls `f` with the name of each member expression in `v`, in the order [`Value::walk`] finds them.
fn each_member(v: &Value, f: &mut dyn FnMut(&Text)) {
    v.walk(&mut |v| {
        if let Kind::Member { prop, .. } = &v.kind {
            f(prop);
        }
    });
}

/// The distinct member names of the member expressions in `v`, as [`Value::walk`] finds them.
fn member_names(v: &Value) -> Arc<[Text]> {
    let mut names: Vec<Text> = Vec::new();
    each_member(v, &mut |prop| {
        if !names.contains(prop) {
            names.push(prop.clone());
        }
    });
    names.into()
}

impl Lowering<'_> {
    fn add_member(&mut self, name: &str) {
        if let Some(m) = self.members.as_mut() {
            if !m.contains(name) {
                m.insert(name.into());
            }
        }
    }

    /// The cache key of an entry node, when it is worth caching: long enough, and free of syntax errors (a
    /// subtree with errors depends on how the parser recovered, not only on its text).
    fn key(&self, node: Node, depth: usize) -> Option<CacheKey> {
        self.next.as_ref()?;
        let range = node.byte_range();
        if range.len() < CACHED_ENTRY_LEN || node.has_error() {
            return None;
        }
        let text = self.src.get(range.clone())?;
        // every entry of a large schema is hashed on every keystroke: foldhash's quality hash reads 16 bytes per
        // step, several times faster than SipHash on entries this long, and is as unlikely to make two texts equal
        use std::hash::BuildHasher;
        let h = foldhash::quality::FixedState::with_seed(0).hash_one(text);
        Some((h, range.len(), depth))
    }
}

impl Value {
    /// A copy of the value that shares no part with it (only its strings and empty lists), so that each can be
    /// moved in place (see [`shift_value_in_place`]) without copying the other's parts.
    pub fn detached(&self) -> Value {
        shifted_value(self, 0)
    }
}

/// A copy of a lowered value with every span moved by `delta` bytes (its nodes are new; its strings are
/// shared or inline).
pub(crate) fn shifted_value(v: &Value, delta: isize) -> Value {
    let kind = match &v.kind {
        // an empty list has no spans: it is shared, not copied
        Kind::Array(items) if items.is_empty() => Kind::Array(items.clone()),
        Kind::Array(items) => Kind::Array(items.iter().map(|i| shifted_value(i, delta)).collect()),
        Kind::Object(props) if props.is_empty() => Kind::Object(props.clone()),
        Kind::Object(props) => Kind::Object(props.iter().map(|p| shifted_prop(p, delta)).collect()),
        Kind::Func(f) => Kind::Func(Arc::new(shifted_func(f, delta))),
        Kind::Call {
            callee,
            args,
            args_span,
            is_new,
        } => Kind::Call {
            callee: Arc::new(shifted_value(callee, delta)),
            args: if args.is_empty() {
                args.clone()
            } else {
                args.iter().map(|a| shifted_value(a, delta)).collect()
            },
            args_span: moved(*args_span, delta),
            is_new: *is_new,
        },
        Kind::Member {
            object,
            prop,
            prop_span,
        } => Kind::Member {
            object: Arc::new(shifted_value(object, delta)),
            prop: prop.clone(),
            prop_span: moved(*prop_span, delta),
        },
        Kind::Spread(inner) => Kind::Spread(Arc::new(shifted_value(inner, delta))),
        Kind::Str(_)
        | Kind::Template
        | Kind::Num(_)
        | Kind::Bool(_)
        | Kind::Null
        | Kind::Undefined
        | Kind::Ident(_)
        | Kind::Other => v.kind.clone(),
    };
    Value {
        kind,
        span: moved(v.span, delta),
    }
}

fn shifted_func(f: &Func, delta: isize) -> Func {
    Func {
        params: f.params.clone(),
        body: f.body.as_ref().map(|b| shifted_value(b, delta)),
        param_called: f.param_called.clone(),
        body_span: moved(f.body_span, delta),
    }
}

fn shifted_prop(p: &Prop, delta: isize) -> Prop {
    Prop {
        key: p.key.clone(),
        key_span: moved(p.key_span, delta),
        value: shifted_value(&p.value, delta),
        shorthand: p.shorthand,
        span: moved(p.span, delta),
    }
}

#[cfg(test)]
thread_local! {
    /// What moving reused entries did on this thread, for tests: (entries taken and moved in place, entries or
    /// parts of them copied because something else held them).
    pub(crate) static MOVES: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((0, 0)) };
}

/// Counts one move in [`MOVES`] (in tests; nothing otherwise): in place, or a copy.
#[inline]
fn note_move(in_place: bool) {
    #[cfg(test)]
    MOVES.with(|m| {
        let (a, b) = m.get();
        m.set(if in_place { (a + 1, b) } else { (a, b + 1) });
    });
    let _ = in_place;
}

/// Moves every span of `p` by `delta` bytes, as [`shifted_prop`] would: in place where `p` alone holds a part,
/// copying the parts it shares with another holder (an earlier version's model still in use).
pub(crate) fn shift_prop_in_place(p: &mut Prop, delta: isize) {
    shift_span(&mut p.key_span, delta);
    shift_span(&mut p.span, delta);
    shift_value_in_place(&mut p.value, delta);
}

pub(crate) fn shift_value_in_place(v: &mut Value, delta: isize) {
    shift_span(&mut v.span, delta);
    match &mut v.kind {
        Kind::Array(items) => shift_values_in_place(items, delta),
        Kind::Object(props) => {
            if props.is_empty() {
                return;
            }
            match Arc::get_mut(props) {
                Some(props) => props.iter_mut().for_each(|p| shift_prop_in_place(p, delta)),
                None => {
                    note_move(false);
                    *props = props.iter().map(|p| shifted_prop(p, delta)).collect()
                }
            }
        }
        Kind::Func(f) => match Arc::get_mut(f) {
            Some(f) => {
                if let Some(b) = f.body.as_mut() {
                    shift_value_in_place(b, delta);
                }
                shift_span(&mut f.body_span, delta);
            }
            None => {
                note_move(false);
                *f = Arc::new(shifted_func(f, delta))
            }
        },
        Kind::Call {
            callee,
            args,
            args_span,
            is_new: _,
        } => {
            shift_arc_in_place(callee, delta);
            shift_values_in_place(args, delta);
            shift_span(args_span, delta);
        }
        Kind::Member {
            object,
            prop: _,
            prop_span,
        } => {
            shift_arc_in_place(object, delta);
            shift_span(prop_span, delta);
        }
        Kind::Spread(inner) => shift_arc_in_place(inner, delta),
        Kind::Str(_)
        | Kind::Template
        | Kind::Num(_)
        | Kind::Bool(_)
        | Kind::Null
        | Kind::Undefined
        | Kind::Ident(_)
        | Kind::Other => {}
    }
}

fn shift_arc_in_place(v: &mut Arc<Value>, delta: isize) {
    match Arc::get_mut(v) {
        Some(v) => shift_value_in_place(v, delta),
        None => {
            note_move(false);
            *v = Arc::new(shifted_value(v, delta))
        }
    }
}

fn shift_values_in_place(items: &mut Arc<[Value]>, delta: isize) {
    // an empty list has no spans (and is shared)
    if items.is_empty() {
        return;
    }
    match Arc::get_mut(items) {
        Some(items) => items
            .iter_mut()
            .for_each(|i| shift_value_in_place(i, delta)),
        None => {
            note_move(false);
            *items = items.iter().map(|i| shifted_value(i, delta)).collect()
        }
    }
}

/// `s` moved by `delta` bytes (stopping at 0 and `usize::MAX`: the spans of one file are far from both).
fn moved(mut s: Span, delta: isize) -> Span {
    shift_span(&mut s, delta);
    s
}

pub(crate) fn shift_span(s: &mut Span, delta: isize) {
    s.start = s.start.saturating_add_signed(delta);
    s.end = s.end.saturating_add_signed(delta);
}

fn lower_at(node: Node, cx: &mut Lowering, depth: usize) -> Value {
    let src = cx.src;
    let sp = span(node);
    if depth > MAX_DEPTH {
        return Value::other(sp);
    }
    let d = depth + 1;
    let kind = match node.kind() {
        "string" => Kind::Str(string_value(node, src).into()),
        "template_string" => {
            let mut c = node.walk();
            if node
                .named_children(&mut c)
                .any(|n| n.kind() == "template_substitution")
            {
                Kind::Template
            } else {
                Kind::Str(string_value(node, src).into())
            }
        }
        "number" => parse_number(text(node, src)).map_or(Kind::Other, Kind::Num),
        "true" => Kind::Bool(true),
        "false" => Kind::Bool(false),
        "null" => Kind::Null,
        "undefined" => Kind::Undefined,
        "identifier" | "shorthand_property_identifier" | "property_identifier" => {
            let t = text(node, src);
            if t == "undefined" {
                Kind::Undefined
            } else {
                Kind::Ident(t.into())
            }
        }
        "unary_expression" => {
            // -5 is a literal to us
            let op = field(node, "operator").map(|o| text(o, src));
            let arg = field(node, "argument");
            match (op, arg) {
                (Some("-"), Some(a)) if a.kind() == "number" => {
                    parse_number(text(a, src)).map_or(Kind::Other, |n| Kind::Num(-n))
                }
                _ => Kind::Other,
            }
        }
        "array" => {
            let mut c = node.walk();
            Kind::Array(values(
                node.named_children(&mut c)
                    .filter(|n| !n.is_extra())
                    .map(|n| lower_at(n, cx, d))
                    .collect(),
            ))
        }
        "object" => match splice(node, cx, d) {
            Some(props) => Kind::Object(props.into()),
            None => Kind::Object(lower_object(node, cx, d).into()),
        },
        "spread_element" => match node.named_child(0) {
            Some(n) => Kind::Spread(Arc::new(lower_at(n, cx, d))),
            None => Kind::Other,
        },
        "arrow_function" | "function_expression" | "function" => lower_func(node, cx, d),
        "call_expression" => lower_call(node, cx, d, "function", false),
        "new_expression" => lower_call(node, cx, d, "constructor", true),
        "member_expression" => {
            let object = field(node, "object");
            let prop = field(node, "property");
            match (object, prop) {
                (Some(o), Some(p)) => {
                    let name = text(p, src);
                    cx.add_member(name);
                    Kind::Member {
                        object: Arc::new(lower_at(o, cx, d)),
                        prop: name.into(),
                        prop_span: span(p),
                    }
                }
                _ => Kind::Other,
            }
        }
        "parenthesized_expression"
        | "as_expression"
        | "satisfies_expression"
        | "non_null_expression"
        | "type_assertion" => {
            // the first named child that is an expression (not a type)
            let mut c = node.walk();
            let inner = node
                .named_children(&mut c)
                .find(|n| !n.kind().contains("type") && !n.is_extra());
            return match inner {
                Some(n) => {
                    let mut v = lower_at(n, cx, d);
                    if node.kind() == "parenthesized_expression" {
                        v.span = sp;
                    }
                    v
                }
                None => Value::other(sp),
            };
        }
        _ => Kind::Other,
    };
    Value { kind, span: sp }
}

/// A list of values to keep: the empty list is one shared allocation (most calls of a builder chain, such as
/// `.required()`, have no arguments).
fn values(items: Vec<Value>) -> Arc<[Value]> {
    static EMPTY: OnceLock<Arc<[Value]>> = OnceLock::new();
    if items.is_empty() {
        EMPTY.get_or_init(|| Arc::from([])).clone()
    } else {
        items.into()
    }
}

/// `f(args)` or `new F(args)`.
fn lower_call(
    node: Node,
    cx: &mut Lowering,
    depth: usize,
    callee_field: &str,
    is_new: bool,
) -> Kind {
    let sp = span(node);
    let Some(f) = field(node, callee_field) else {
        return Kind::Other;
    };
    let args = field(node, "arguments");
    Kind::Call {
        callee: Arc::new(lower_at(f, cx, depth)),
        args: values(args.map(|a| lower_args(a, cx, depth)).unwrap_or_default()),
        args_span: args.map(span).unwrap_or(Span::new(sp.end, sp.end)),
        is_new,
    }
}

fn lower_args(node: Node, cx: &mut Lowering, depth: usize) -> Vec<Value> {
    let mut c = node.walk();
    node.named_children(&mut c)
        .filter(|n| !n.is_extra())
        .map(|n| lower_at(n, cx, depth))
        .collect()
}

/// The entries of an object (its named children that lower to one), walked one by one. When caching, an object
/// with many children is recorded for the next version ([`BigObject`]).
fn lower_object(node: Node, cx: &mut Lowering, depth: usize) -> Vec<Prop> {
    let record = cx.next.is_some() && node.named_child_count() >= SPLICE_MIN_CHILDREN;
    let dups = cx.dups;
    let mut children = Vec::new();
    let mut props = Vec::new();
    let mut c = node.walk();
    for n in node.named_children(&mut c) {
        lower_child(n, cx, depth, &mut props, record.then_some(&mut children));
    }
    if record && cx.dups == dups && !node.has_error() {
        record_object(cx, node, depth, children);
    }
    props
}

/// Lowers the named child `n` of an object into `props` (nothing for a comment), and notes what it was in
/// `children` when the object is recorded.
fn lower_child(
    n: Node,
    cx: &mut Lowering,
    depth: usize,
    props: &mut Vec<Prop>,
    children: Option<&mut Vec<Child>>,
) {
    if n.is_extra() {
        if let Some(children) = children {
            children.push(Child::Skipped(span(n)));
        }
        return;
    }
    let (prop, key) = lower_prop(n, cx, depth);
    if let Some(children) = children {
        children.push(child_of(n, prop.as_ref(), key));
    }
    props.extend(prop);
}

/// Records the big object `node` of this version, with its children, for the next version ([`BigObject`]).
fn record_object(cx: &mut Lowering, node: Node, depth: usize, children: Vec<Child>) {
    let n = children.len();
    if let Some(next) = cx.next.as_mut() {
        next.objects.push(BigObject {
            span: span(node),
            depth,
            children,
            before: n,
            after: n,
        });
    }
}

/// What the next version keeps of the child `n` of a big object, which lowered to `prop` (under the cache's key
/// `key` when it is an entry of the cache).
fn child_of(n: Node, prop: Option<&Prop>, key: Option<CacheKey>) -> Child {
    match (prop, key) {
        (Some(_), Some(k)) => Child::Cached(span(n), k),
        (Some(p), None) => Child::Plain(p.clone()),
        (None, _) => Child::Skipped(span(n)),
    }
}

#[cfg(test)]
thread_local! {
    /// What the splice of big objects did on this thread, for tests: (objects spliced, children lowered in them).
    pub(crate) static SPLICES: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((0, 0)) };
}

/// The entries of the big object `node`, taken from the earlier version's record of it ([`BigObject`]) when
/// [`LowerCache::move_ahead`] followed the one edit since and the build owns the cache: the children the edit
/// did not touch are taken as they are (the cached ones from the cache's table, as a walk would find them), and
/// only those it touched are walked and lowered. That skips stepping tree-sitter's cursor over every child of
/// the object and hashing their text. `None` when the record does not fit the tree: the caller walks the
/// object.
///
/// The children taken are those whose text the edit did not touch; the tree must agree with the record around
/// the edit (the count of named children, and the first and last child and the one after the edit where the
/// record has them), and have no syntax error in the object. A child with the same text parsed in the same
/// place is the same subtree, which is what the cache by text already relies on.
fn splice(node: Node, cx: &mut Lowering, depth: usize) -> Option<Vec<Prop>> {
    cx.next.as_ref()?;
    let (start, end) = (node.start_byte(), node.end_byte());
    // (a shared cache may be read by a build that does not follow the edit it was moved for: only the build that
    // owns it is told, see `LowerCache::forget_objects`)
    let Prev::Owned(prev) = &mut cx.prev else {
        return None;
    };
    if !prev.spliceable {
        return None;
    }
    let at = prev
        .objects
        .iter()
        .position(|o| o.span.start == start && o.depth == depth)?;
    let o = prev.objects.swap_remove(at);
    let (before, after, len) = (o.before, o.after, o.children.len());
    if o.span.end != end || node.has_error() {
        return None;
    }
    let total = node.named_child_count();
    let middle = total.checked_sub(before + (len - after))?;
    let first = node.named_child(0).map(span);
    let last = total
        .checked_sub(1)
        .and_then(|i| u32::try_from(i).ok())
        .and_then(|i| node.named_child(i))
        .map(span);
    if (before > 0 && first != Some(o.children[0].span()))
        || (after < len && last != Some(o.children[len - 1].span()))
    {
        return None;
    }
    // the children the edit touched: the named children after the last one before it, up to the first after it
    let from = match before {
        0 => start + 1,
        b => o.children[b - 1].span().end,
    };
    let mut touched = Vec::with_capacity(middle);
    let mut c = node.walk();
    let mut after_found = after == len;
    if c.goto_first_child_for_byte(from).is_some() {
        loop {
            let n = c.node();
            if n.is_named() {
                if touched.len() == middle {
                    after_found = after < len && span(n) == o.children[after].span();
                    break;
                }
                touched.push(n);
            }
            if !c.goto_next_sibling() {
                break;
            }
        }
    }
    if touched.len() != middle || !after_found {
        return None;
    }
    // the cached entries of the untouched children first, so that a touched one with the same text as one of them
    // does not take its entry
    let untouched = || o.children[..before].iter().chain(&o.children[after..]);
    let mut taken = Vec::new();
    for child in untouched() {
        let Child::Cached(sp, k) = child else {
            continue;
        };
        match take_cached(cx, *k) {
            Some(hit) if hit.1.entry.0 == sp.start => taken.push((*k, hit)),
            missed => {
                // not where the record has it: put back what was taken (the splice runs only on a cache the
                // build owns), and walk the object instead
                if let Prev::Owned(prev) = &mut cx.prev {
                    prev.entries
                        .extend(taken.into_iter().chain(missed.map(|h| (*k, h))));
                }
                return None;
            }
        }
    }
    #[cfg(test)]
    SPLICES.with(|s| {
        let (a, b) = s.get();
        s.set((a + 1, b + middle));
    });
    let dups = cx.dups;
    let mut taken = taken.into_iter();
    let mut props = Vec::with_capacity(total);
    let mut children = Vec::with_capacity(total);
    let mut keep = |child: &Child, cx: &mut Lowering, props: &mut Vec<Prop>| match child {
        Child::Skipped(_) => {}
        Child::Plain(p) => {
            // (short: its member names are found by a walk, as when it was lowered)
            if cx.members.is_some() {
                each_member(&p.value, &mut |prop| cx.add_member(prop));
            }
            props.push(p.clone());
        }
        Child::Cached(sp, _) => {
            if let Some((k, hit)) = taken.next() {
                props.push(place_cached(cx, k, hit.1, sp.start));
            }
        }
    };
    for child in &o.children[..before] {
        keep(child, cx, &mut props);
        children.push(child.clone());
    }
    for n in touched {
        lower_child(n, cx, depth, &mut props, Some(&mut children));
    }
    for child in &o.children[after..] {
        keep(child, cx, &mut props);
        children.push(child.clone());
    }
    if cx.dups == dups {
        record_object(cx, node, depth, children);
    }
    Some(props)
}

/// The earlier version's cached entry under `k`, with the version that last used it: taken out of the cache the
/// build owns, or a copy of the shared one.
fn take_cached(cx: &mut Lowering, k: CacheKey) -> Option<(u32, Cached)> {
    match &mut cx.prev {
        Prev::None => None,
        Prev::Shared(c) => c.entries.get(&k).cloned(),
        Prev::Owned(c) => c.entries.remove(&k),
    }
}

/// The entry `hit` of the earlier version, reused for this version's entry at `start` (its text is the same):
/// moved there when it is elsewhere, recorded in this version's cache, its member names added.
fn place_cached(cx: &mut Lowering, k: CacheKey, hit: Cached, start: usize) -> Prop {
    let Cached { entry, names, .. } = hit;
    let delta = start as isize - entry.0 as isize;
    // unmoved, the copy shares everything below the entry's top level; moved, the moved entry (in place when
    // nothing else holds it, else a copy) is the entry from now on
    let (prop, entry) = if delta == 0 {
        (entry.1.clone(), entry)
    } else {
        let prop = match Arc::try_unwrap(entry) {
            Ok((_, mut prop)) => {
                note_move(true);
                shift_prop_in_place(&mut prop, delta);
                prop
            }
            Err(shared) => {
                note_move(false);
                shifted_prop(&shared.1, delta)
            }
        };
        (prop.clone(), Arc::new((start, prop)))
    };
    let added = match cx.next.as_mut() {
        Some(next) => !next
            .added_lists
            .insert(Arc::as_ptr(&names).cast::<Text>() as usize),
        None => false,
    };
    if !added {
        for n in names.iter() {
            cx.add_member(n);
        }
    }
    if let Some(next) = cx.next.as_mut() {
        let cached = Cached {
            entry,
            names,
            key: k,
        };
        next.placed.insert(start, cached.clone());
        if next.entries.insert(k, (next.generation, cached)).is_some() {
            cx.dups += 1;
        }
        next.reused += 1;
    }
    prop
}

/// The entry (an object's child) `node` lowers to, lowered or taken from the earlier version's cache, with its
/// key in this version's cache when it is one of its entries.
fn lower_prop(node: Node, cx: &mut Lowering, depth: usize) -> (Option<Prop>, Option<CacheKey>) {
    let src = cx.src;
    let sp = span(node);
    let prop = match node.kind() {
        "pair" => {
            let cache_key = cx.key(node, depth);
            if let Some(k) = cache_key {
                if let Some((_, hit)) = take_cached(cx, k) {
                    return (Some(place_cached(cx, k, hit, sp.start)), Some(k));
                }
            }
            let Some(prop) = lower_pair(node, cx, depth, sp) else {
                return (None, None);
            };
            if let (Some(k), Some(next)) = (cache_key, cx.next.as_mut()) {
                let generation = next.generation;
                let cached = Cached {
                    entry: Arc::new((sp.start, prop.clone())),
                    names: next.shared_names(member_names(&prop.value)),
                    key: k,
                };
                next.placed.insert(sp.start, cached.clone());
                if next.entries.insert(k, (generation, cached)).is_some() {
                    cx.dups += 1;
                }
                return (Some(prop), Some(k));
            }
            Some(prop)
        }
        "shorthand_property_identifier" => {
            let t = Text::from(text(node, src));
            Some(Prop {
                key: Some(t.clone()),
                key_span: sp,
                value: Value {
                    kind: Kind::Ident(t),
                    span: sp,
                },
                shorthand: true,
                span: sp,
            })
        }
        "spread_element" => Some(Prop {
            key: None,
            key_span: sp,
            value: lower_at(node, cx, depth),
            shorthand: false,
            span: sp,
        }),
        "method_definition" => field(node, "name").map(|name| Prop {
            key: Some(text(name, src).into()),
            key_span: span(name),
            value: Value {
                kind: lower_func(node, cx, depth),
                span: sp,
            },
            shorthand: false,
            span: sp,
        }),
        _ => None,
    };
    (prop, None)
}

/// A `key: value` entry.
fn lower_pair(node: Node, cx: &mut Lowering, depth: usize, sp: Span) -> Option<Prop> {
    let src = cx.src;
    let key = field(node, "key")?;
    let value = field(node, "value");
    let key_text = match key.kind() {
        "property_identifier" | "identifier" => Some(text(key, src).into()),
        "string" => Some(string_value(key, src).into()),
        "number" => Some(text(key, src).into()),
        _ => None,
    };
    Some(Prop {
        key: key_text,
        key_span: span(key),
        value: value.map_or(Value::other(Span::new(sp.end, sp.end)), |v| {
            lower_at(v, cx, depth)
        }),
        shorthand: false,
        span: sp,
    })
}

fn lower_func(node: Node, cx: &mut Lowering, depth: usize) -> Kind {
    let src = cx.src;
    let mut params = Vec::new();
    if let Some(p) = field(node, "parameter") {
        params.push(text(p, src).into());
    } else if let Some(ps) = field(node, "parameters") {
        let mut c = ps.walk();
        for p in ps.named_children(&mut c) {
            let name = field(p, "pattern")
                .filter(|n| n.kind() == "identifier")
                .map(|n| Text::from(text(n, src)))
                .unwrap_or_default();
            params.push(name);
        }
    }
    let Some(body) = field(node, "body") else {
        return Kind::Other;
    };
    let returned = if body.kind() == "statement_block" {
        let mut c = body.walk();
        let ret = body
            .named_children(&mut c)
            .find(|n| n.kind() == "return_statement")
            .and_then(|r| r.named_child(0));
        ret.map(|r| lower_at(r, cx, depth))
    } else {
        Some(lower_at(body, cx, depth))
    };
    let param_called = params
        .iter()
        .map(|p| !p.is_empty() && calls_identifier(body, src, p))
        .collect();
    Kind::Func(Arc::new(Func {
        params,
        body: returned,
        param_called,
        body_span: span(body),
    }))
}

/// Whether `root`'s subtree contains a call of the identifier `name` (iterative walk).
fn calls_identifier(root: Node, src: &str, name: &str) -> bool {
    let mut cursor = root.walk();
    let mut visited = 0usize;
    'walk: loop {
        let node = cursor.node();
        visited += 1;
        if visited > 2_000 {
            // far beyond any real callback (and bounded for hostile nesting, where every enclosing
            // function walks this subtree again): do not claim it is missing
            return true;
        }
        if node.kind() == "call_expression" {
            if let Some(f) = field(node, "function") {
                if f.kind() == "identifier" && text(f, src) == name {
                    return true;
                }
            }
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node() == root {
                break 'walk;
            }
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    false
}

/// The cooked value of a `string` / `template_string` node.
pub fn string_value(node: Node, src: &str) -> String {
    let mut out = String::new();
    let mut c = node.walk();
    for child in node.named_children(&mut c) {
        let t = text(child, src);
        match child.kind() {
            "string_fragment" => out.push_str(t),
            "escape_sequence" => out.push_str(&unescape(t)),
            _ => {}
        }
    }
    out
}

fn unescape(seq: &str) -> String {
    let body = seq.strip_prefix('\\').unwrap_or(seq);
    match body {
        "n" => "\n".into(),
        "t" => "\t".into(),
        "r" => "\r".into(),
        "0" => "\0".into(),
        "b" => "\u{8}".into(),
        "f" => "\u{c}".into(),
        "v" => "\u{b}".into(),
        _ => {
            if let Some(hex) = body.strip_prefix('u') {
                let hex = hex.trim_start_matches('{').trim_end_matches('}');
                if let Some(c) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                    return c.to_string();
                }
            }
            if let Some(hex) = body.strip_prefix('x') {
                if let Some(c) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                    return c.to_string();
                }
            }
            // line continuations and unknown escapes keep their character
            body.trim_start_matches(['\r', '\n']).to_string()
        }
    }
}

fn parse_number(t: &str) -> Option<f64> {
    let t = t.replace('_', "");
    let lower = t.to_ascii_lowercase();
    if let Some(h) = lower.strip_prefix("0x") {
        return i64::from_str_radix(h, 16).ok().map(|n| n as f64);
    }
    if let Some(b) = lower.strip_prefix("0b") {
        return i64::from_str_radix(b, 2).ok().map(|n| n as f64);
    }
    if let Some(o) = lower.strip_prefix("0o") {
        return i64::from_str_radix(o, 8).ok().map(|n| n as f64);
    }
    lower.trim_end_matches('n').parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_field_ids_find_the_same_children() {
        // the grammars are told apart by their number of node kinds
        assert_ne!(
            Lang::TypeScript.language().node_kind_count(),
            Lang::Tsx.language().node_kind_count()
        );
        for lang in [Lang::TypeScript, Lang::Tsx] {
            let language = lang.language();
            for f in FIELDS {
                assert!(language.field_id_for_name(f).is_some(), "{f} in {lang:?}");
            }
            let src = "const f = ({ a }, b) => -b; g(x.y, function h(p) { return p(); }, new C(1), { k: 1, m() {} });";
            let tree = crate::syntax::parse(src, lang, None).expect("parse");
            let mut cursor = tree.walk();
            let mut checked = 0;
            'walk: loop {
                let node = cursor.node();
                for f in FIELDS {
                    let cached = field(node, f);
                    assert_eq!(
                        cached,
                        node.child_by_field_name(f),
                        "{f} of {}",
                        node.kind()
                    );
                    checked += usize::from(cached.is_some());
                }
                if cursor.goto_first_child() {
                    continue;
                }
                while !cursor.goto_next_sibling() {
                    if !cursor.goto_parent() {
                        break 'walk;
                    }
                }
            }
            assert!(checked > 20, "{lang:?}: {checked}");
        }
    }
    use crate::syntax::{parse, Lang};

    fn expr(src: &str) -> Value {
        let full = format!("x = {src};");
        let tree = parse(&full, Lang::TypeScript, None).expect("parse");
        let root = tree.root_node();
        let stmt = root.named_child(0).expect("stmt");
        let assign = stmt.named_child(0).expect("assign");
        let right = assign.child_by_field_name("right").expect("right");
        let mut v = lower(right, &full);
        shift(&mut v);
        v
    }
    fn shift(_v: &mut Value) {}

    #[test]
    fn literals() {
        assert_eq!(expr("'a\\'b'").as_str(), Some("a'b"));
        assert_eq!(expr("`plain`").as_str(), Some("plain"));
        assert!(matches!(expr("`x${y}`").kind, Kind::Template));
        assert_eq!(expr("1_000").as_num(), Some(1000.0));
        assert_eq!(expr("-3.5").as_num(), Some(-3.5));
        assert_eq!(expr("0x10").as_num(), Some(16.0));
        assert_eq!(expr("true").as_bool(), Some(true));
        assert!(matches!(expr("undefined").kind, Kind::Undefined));
    }

    #[test]
    fn objects_and_keys() {
        let v = expr("{ a: 1, 'b-c': 'x', d, ...e, f() { return 2 } }");
        let props = v.as_object().expect("object");
        assert_eq!(props.len(), 5);
        assert_eq!(v.field("a").and_then(Value::as_num), Some(1.0));
        assert_eq!(v.field("b-c").and_then(Value::as_str), Some("x"));
        assert!(v.get("d").is_some_and(|p| p.shorthand));
        assert!(v.has_spread());
        assert!(v.field("f").and_then(Value::as_func).is_some());
    }

    /// The first link read without building the chain is the chain's own, for every shape of chain.
    #[test]
    fn first_link_without_the_chain_is_the_chains() {
        for src in [
            "a.model({ n: a.string() }).authorization((allow) => [allow.owner()])",
            "a.enum(['X', 'Y'])",
            "a.customType({})",
            "b.model({})",
            "a.model",
            "a()",
            "a().model()",
            "a.model()()",
            "new a.model()",
            "a",
            "'a'",
            "x.y.z(1).w",
        ] {
            let v = expr(src);
            let from_chain = v
                .chain()
                .filter(|c| c.root == "a")
                .and_then(|c| c.links.first().map(|l| l.name));
            assert_eq!(v.first_link_from("a"), from_chain, "{src}");
        }
        assert_eq!(expr("a.model({})").first_link_from("a"), Some("model"));
        assert_eq!(expr("a.model()()").first_link_from("a"), None);
    }

    #[test]
    fn chains() {
        let v = expr("a.string().required().default('x')");
        let c = v.chain().expect("chain");
        assert_eq!(c.root, "a");
        let names: Vec<_> = c.links.iter().map(|l| l.name).collect();
        assert_eq!(names, ["string", "required", "default"]);
        assert_eq!(c.arg("default").and_then(Value::as_str), Some("x"));
        let v = expr("allow.guest.to(['read'])");
        let c = v.chain().expect("chain");
        assert!(c.links[0].args.is_none());
        assert_eq!(c.links[1].args.map(<[Value]>::len), Some(1));
        let v = expr("defineAuth({ loginWith: {} })");
        let c = v.chain().expect("chain");
        assert_eq!(c.root, "defineAuth");
        assert!(c.root_args.is_some());
    }

    #[test]
    fn callbacks_know_whether_they_call_their_params() {
        let v = expr("(createCode) => `Your code is ${createCode()}`");
        let f = v.as_func().expect("func");
        assert_eq!(f.param_called, [true]);
        let v = expr("(createCode) => 'no code here'");
        assert_eq!(v.as_func().expect("func").param_called, [false]);
        let v = expr("function (allow) { const x = 1; return [allow.owner()] }");
        let f = v.as_func().expect("func");
        assert!(f.body.as_ref().and_then(Value::as_array).is_some());
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let depth = 10_000;
        let src = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let v = expr(&src);
        let mut d = 0;
        let mut cur = &v;
        while let Some(inner) = cur.as_array().and_then(|a| a.first()) {
            cur = inner;
            d += 1;
        }
        assert!(d <= MAX_DEPTH + 1);
    }
}
