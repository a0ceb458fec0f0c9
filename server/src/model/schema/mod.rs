//! A plain-data model of a file's data schema: the `a.schema({...})` (or `a.combine([...])`) with its models,
//! custom types, enums, custom operations and conversations, their fields, identifiers, indexes,
//! relationships and authorization rules, each with the spans the diagnostics and completion need.
//!
//! Everything here is read from the lowered [`Value`] tree, which is already bounded in depth; inline custom
//! types are followed at most [`MAX_NESTING`] levels. Whatever is not understood (identifiers that do not name
//! a top-level `const` of the file, spreads, computed keys, block-bodied callbacks) is kept as "unknown" and
//! marks its container incomplete, so that rules never guess.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::model::catalog::{self, Builder};
use crate::model::file::{DefineKind, FileModel};
use crate::model::value::{Chain, EntryKey, FnvBuild, Kind, Link, Prop, Value, WordsBuild};
use crate::text::Span;

mod shift;
use shift::Shift;

/// How many levels of inline `a.customType({...})` are modelled.
pub const MAX_NESTING: usize = 8;
/// At most this many schemas of one `a.combine([...])` are read.
const MAX_COMBINED: usize = 64;
/// Modules the `a` builder is imported from.
const A_MODULES: &[&str] = &["@aws-amplify/backend", "@aws-amplify/data-schema"];

/// Whether `a` imported from this module is the data-schema builder.
pub fn is_a_module(source: &str) -> bool {
    A_MODULES.contains(&source)
}

/// The schema a file defines.
#[derive(Debug, Clone)]
pub struct Schema {
    /// One part per `a.schema(...)`; several for `a.combine([...])`.
    pub parts: Vec<Part>,
    /// Whether every schema of an `a.combine` could be read.
    pub combine_complete: bool,
    /// Whether the schema is an `a.combine(...)`.
    pub combined: bool,
    pub span: Span,
    /// Where the first type of each name is (part, index), by the hash of the name ([`name_hash`]), built on first
    /// lookup: rules look names up for every relationship and reference, and a schema can hold a thousand models.
    /// (Hashes, not the names: a version's index is built on every keystroke, and a thousand copies of the names
    /// were most of its cost.)
    pub by_name: OnceLock<HashMap<u64, (usize, usize), FnvBuild>>,
}

/// One `a.schema({...})`.
#[derive(Debug, Clone)]
pub struct Part {
    /// Shared with the next version's schema when the entry has not changed (see [`Memo`]).
    pub types: Vec<Arc<TypeDef>>,
    /// The hash of each type's name ([`name_hash`]), in the order of `types`: the index of [`Schema::get`] is
    /// built from these without reading the types themselves (a thousand scattered reads on each version).
    name_hashes: Vec<u64>,
    /// Whether every entry of the types object was read (no spreads or computed keys).
    pub complete: bool,
    /// Schema-level `.authorization(...)`.
    pub rules: Option<Rules>,
    /// The `schema` of `a.schema`.
    pub builder_span: Span,
    pub span: Span,
}

/// A named entry of the schema.
#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub name_span: Span,
    /// The value expression.
    pub span: Span,
    /// Index into [`Schema::parts`].
    pub part: usize,
    pub kind: TypeKind,
    /// The lowering cache's key of the entry the type was read from, when the type depends on nothing but that
    /// entry's text, its part and the names the `a` builder goes by (see [`Memo`]): then the same key means the
    /// same type, wherever the entry is. `None` for a type that read other parts of the file.
    pub entry: Option<EntryKey>,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Model(Model),
    CustomType(Fields),
    Enum(EnumDef),
    Operation(Box<Operation>),
    Conversation(Conversation),
    /// A value we could not read.
    Unknown,
}

/// The kind of a named type, without its contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeTag {
    Model,
    CustomType,
    Enum,
    Query,
    Mutation,
    Subscription,
    Generation,
    Conversation,
    Unknown,
}

impl TypeTag {
    pub fn label(self) -> &'static str {
        match self {
            TypeTag::Model => "a model",
            TypeTag::CustomType => "a custom type",
            TypeTag::Enum => "an enum",
            TypeTag::Query => "a custom query",
            TypeTag::Mutation => "a custom mutation",
            TypeTag::Subscription => "a custom subscription",
            TypeTag::Generation => "a generation route",
            TypeTag::Conversation => "a conversation",
            TypeTag::Unknown => "something unrecognised",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Model {
    /// The `model` of `a.model`.
    pub builder_span: Span,
    pub fields: Fields,
    pub identifier: Option<Names>,
    pub indexes: Option<Indexes>,
    pub disabled: Option<Names>,
    pub rules: Option<Rules>,
}

/// A list of string literals (`.identifier([...])`, `references`, `.sortKeys([...])`, ...).
#[derive(Debug, Clone)]
pub struct Names {
    pub items: Vec<(String, Span)>,
    /// Whether every element was a string literal.
    pub complete: bool,
    /// The chain method's name span (or the argument's span for arguments).
    pub span: Span,
}

/// The fields of a model, custom type or argument list.
#[derive(Debug, Clone)]
pub struct Fields {
    pub items: Vec<Field>,
    /// Whether the object was read entirely (no spreads or computed keys, not an unknown value).
    pub complete: bool,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub name_span: Span,
    /// The value expression.
    pub span: Span,
    pub kind: FieldKind,
    /// `.required()` before any `.array()`: the value is non-null.
    pub required: bool,
    pub array: bool,
    /// `.required()` after `.array()`: the list itself is non-null.
    pub array_required: bool,
    pub default: Option<DefaultCall>,
    pub validate: Option<Validate>,
    pub rules: Option<Rules>,
    /// Every chain method after the factory, in order.
    pub modifiers: Vec<Modifier>,
}

#[derive(Debug, Clone)]
pub enum FieldKind {
    Scalar {
        /// `string`, `id`, `integer`, ...
        factory: String,
        /// `String`, `ID`, `Int`, ...
        graphql: &'static str,
    },
    Ref(RefTarget),
    Relationship(Relationship),
    Enum(EnumDef),
    CustomType(Fields),
    Unknown,
}

/// The target of `a.ref('Name')`.
#[derive(Debug, Clone)]
pub struct RefTarget {
    /// `None` when the argument is not a string literal.
    pub name: Option<String>,
    /// The argument (or the `ref` name when there is none).
    pub name_span: Span,
    /// The whole `a.ref(...)...` expression.
    pub span: Span,
    /// `.mutations([...])`.
    pub mutations: Option<Names>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelKind {
    HasOne,
    HasMany,
    BelongsTo,
}

impl RelKind {
    pub fn name(self) -> &'static str {
        match self {
            RelKind::HasOne => "hasOne",
            RelKind::HasMany => "hasMany",
            RelKind::BelongsTo => "belongsTo",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Relationship {
    pub kind: RelKind,
    /// The `hasMany` (etc.) name.
    pub call_span: Span,
    pub target: Option<String>,
    pub target_span: Span,
    /// `None` when the references argument is missing or not literal.
    pub references: Option<Names>,
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub values: Vec<(String, Span)>,
    pub complete: bool,
    pub span: Span,
}

/// `.default(...)`.
#[derive(Debug, Clone)]
pub struct DefaultCall {
    /// `None` for `.default()` / `.default(undefined)` (a database-generated value).
    pub value: Option<Value>,
    /// From `default` to the closing parenthesis.
    pub span: Span,
}

/// `.validate(v => v.minLength(1)...)`.
#[derive(Debug, Clone)]
pub struct Validate {
    pub calls: Vec<ValidatorCall>,
    pub complete: bool,
    /// From `validate` to the closing parenthesis.
    pub span: Span,
    pub name_span: Span,
}

#[derive(Debug, Clone)]
pub struct ValidatorCall {
    pub name: String,
    pub name_span: Span,
    pub args: Vec<Value>,
}

/// A chain method after a field factory.
#[derive(Debug, Clone)]
pub struct Modifier {
    pub name: String,
    pub name_span: Span,
    /// From the name to the end of its arguments.
    pub span: Span,
    pub args: Option<Vec<Value>>,
}

/// The rules of one `.authorization(allow => ...)`.
#[derive(Debug, Clone)]
pub struct Rules {
    pub rules: Vec<Rule>,
    /// Whether every returned rule was read (a callback we cannot read gives no rules and `false`).
    pub complete: bool,
    /// The `authorization` name.
    pub span: Span,
}

impl Rules {
    /// Some(true) when there is at least one rule, Some(false) when certainly none, None when unknown.
    pub fn non_empty(&self) -> Option<bool> {
        if !self.rules.is_empty() {
            Some(true)
        } else if self.complete {
            Some(false)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    /// `owner`, `publicApiKey`, ...
    pub name: String,
    pub name_span: Span,
    /// From the rule name to the end of its own arguments (`owner('oidc')`).
    pub call_span: Span,
    /// The whole rule expression, chain methods included.
    pub span: Span,
    pub called: bool,
    pub args: Vec<Value>,
    pub provider: Provider,
    /// `group('A')` / `groups([...])`.
    pub groups: Option<Names>,
    /// The field of `ownerDefinedIn('f')` and the like.
    pub field: Option<(String, Span)>,
    /// `.to([...])`.
    pub to: Option<Names>,
    /// Chain method names after the rule.
    pub chain: Vec<(String, Span)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provider {
    /// No provider argument: the rule's default.
    Default,
    Given(String, Span),
    /// An argument we cannot read.
    Unknown,
}

impl Rule {
    /// The provider the rule ends up with, when known.
    pub fn effective_provider(&self) -> Option<&str> {
        match &self.provider {
            Provider::Given(p, _) => Some(p),
            Provider::Default => catalog::data_rule(&self.name).map(|r| r.default_provider),
            Provider::Unknown => None,
        }
    }
    /// The field an owner/group rule stores its value in, with whether it is a list.
    pub fn implied_field(&self) -> Option<(&str, bool)> {
        match self.name.as_str() {
            "owner" => Some(("owner", false)),
            "ownerDefinedIn" | "groupDefinedIn" => {
                self.field.as_ref().map(|(f, _)| (f.as_str(), false))
            }
            "ownersDefinedIn" | "groupsDefinedIn" => {
                self.field.as_ref().map(|(f, _)| (f.as_str(), true))
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    Query,
    Mutation,
    Subscription,
    Generation,
}

impl OpKind {
    pub fn name(self) -> &'static str {
        match self {
            OpKind::Query => "query",
            OpKind::Mutation => "mutation",
            OpKind::Subscription => "subscription",
            OpKind::Generation => "generation",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub kind: OpKind,
    pub builder_span: Span,
    /// The builder's first argument (the configuration of `a.generation({...})`).
    pub config: Option<Value>,
    pub arguments: Option<Fields>,
    pub returns: Option<Returns>,
    pub handlers: Option<Handlers>,
    /// `.for(...)` of subscriptions.
    pub sources: Option<Sources>,
    pub rules: Option<Rules>,
}

#[derive(Debug, Clone)]
pub struct Returns {
    /// The returned type, read like a field (its name is empty).
    pub field: Field,
    /// The `returns` name.
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Handlers {
    pub items: Vec<Handler>,
    pub complete: bool,
    /// The `handler` name.
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandlerKind {
    Function,
    Custom,
    InlineSql,
    SqlReference,
    Unknown,
}

#[derive(Debug, Clone)]
pub struct Handler {
    pub kind: HandlerKind,
    pub is_async: bool,
    /// `a.handler.custom({ entry })`: the path when it is a literal, and the value's span.
    pub entry: Option<(Option<String>, Span)>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Sources {
    pub items: Vec<RefTarget>,
    pub complete: bool,
    /// The `for` name.
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Conversation {
    pub builder_span: Span,
    pub config: Option<Value>,
    pub tools: Option<Tools>,
    pub rules: Option<Rules>,
}

#[derive(Debug, Clone)]
pub struct Tools {
    pub items: Vec<Tool>,
    pub complete: bool,
}

/// `a.ai.dataTool({ name, description, model | query })`.
#[derive(Debug, Clone)]
pub struct Tool {
    /// The name when it is a literal, and the value's span.
    pub name: Option<(Option<String>, Span)>,
    pub model: Option<RefTarget>,
    pub query: Option<RefTarget>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Indexes {
    pub items: Vec<Index>,
    pub complete: bool,
    /// The `secondaryIndexes` name.
    pub span: Span,
}

/// `index('pk').sortKeys([...]).name('...')...`
#[derive(Debug, Clone)]
pub struct Index {
    pub pk: Option<(String, Span)>,
    pub sort_keys: Option<Names>,
    /// The name when it is a literal, and the argument's span.
    pub name: Option<(Option<String>, Span)>,
    pub span: Span,
}

impl Schema {
    /// Every named type, in source order.
    pub fn types(&self) -> impl Iterator<Item = &TypeDef> + '_ {
        self.parts.iter().flat_map(|p| p.types.iter().map(|t| &**t))
    }
    /// Whether every type of the schema is known, so that a name not found is certainly missing.
    pub fn complete(&self) -> bool {
        self.combine_complete && self.parts.iter().all(|p| p.complete)
    }
    /// The type named `name` (the first one when several parts define it).
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        let index = self.by_name.get_or_init(|| {
            let mut m = HashMap::with_capacity_and_hasher(
                self.parts.iter().map(|p| p.types.len()).sum(),
                FnvBuild::default(),
            );
            for (pi, part) in self.parts.iter().enumerate() {
                for (ti, &hash) in part.name_hashes.iter().enumerate() {
                    m.entry(hash).or_insert((pi, ti));
                }
            }
            m
        });
        let &(pi, ti) = index.get(&name_hash(name))?;
        let found = self.parts.get(pi)?.types.get(ti).map(|t| &**t)?;
        if found.name == name {
            return Some(found);
        }
        // two names with one hash: the index holds the first of them; the other is looked for in order
        self.types().find(|t| t.name == name)
    }
    pub fn model(&self, name: &str) -> Option<&Model> {
        match &self.get(name)?.kind {
            TypeKind::Model(m) => Some(m),
            _ => None,
        }
    }
    pub fn type_kind(&self, name: &str) -> Option<TypeTag> {
        self.get(name).map(|t| t.tag())
    }
    pub fn models(&self) -> impl Iterator<Item = (&TypeDef, &Model)> {
        self.types().filter_map(|t| match &t.kind {
            TypeKind::Model(m) => Some((t, m)),
            _ => None,
        })
    }
    pub fn model_names(&self) -> Vec<&str> {
        self.models().map(|(t, _)| t.name.as_str()).collect()
    }
    /// The names of every type.
    pub fn type_names(&self) -> Vec<&str> {
        self.types().map(|t| t.name.as_str()).collect()
    }
    /// The field names of a model (declared ones).
    pub fn field_names(&self, model: &str) -> Vec<&str> {
        self.model(model)
            .map(|m| m.fields.items.iter().map(|f| f.name.as_str()).collect())
            .unwrap_or_default()
    }
}

impl TypeDef {
    pub fn tag(&self) -> TypeTag {
        match &self.kind {
            TypeKind::Model(_) => TypeTag::Model,
            TypeKind::CustomType(_) => TypeTag::CustomType,
            TypeKind::Enum(_) => TypeTag::Enum,
            TypeKind::Operation(op) => match op.kind {
                OpKind::Query => TypeTag::Query,
                OpKind::Mutation => TypeTag::Mutation,
                OpKind::Subscription => TypeTag::Subscription,
                OpKind::Generation => TypeTag::Generation,
            },
            TypeKind::Conversation(_) => TypeTag::Conversation,
            TypeKind::Unknown => TypeTag::Unknown,
        }
    }
}

impl Model {
    /// Whether the model has a field `name`, declared or added by Amplify (`id`, `createdAt`, `updatedAt`, and
    /// the owner fields of its owner rules): a new field must not take it.
    pub fn field_taken(&self, name: &str) -> bool {
        if self.field(name).is_some() || matches!(name, "id" | "createdAt" | "updatedAt") {
            return true;
        }
        self.rules.as_ref().is_some_and(|r| {
            (!r.complete && name == "owner")
                || r.rules.iter().any(|rule| {
                    rule.name.starts_with("owner")
                        && match &rule.field {
                            Some((f, _)) => f == name,
                            None => name == "owner",
                        }
                })
        })
    }

    /// `base`, or `base2`, `base3`, ... : the first name no field of the model takes.
    pub fn free_field_name(&self, base: &str) -> String {
        if !self.field_taken(base) {
            return base.to_string();
        }
        (2u32..1000)
            .map(|n| format!("{base}{n}"))
            .find(|c| !self.field_taken(c))
            .unwrap_or_else(|| base.to_string())
    }
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.items.iter().rev().find(|f| f.name == name)
    }
    /// The identifier field names (`['id']` by default), or None when `.identifier(...)` cannot be read.
    pub fn identifier_names(&self) -> Option<Vec<&str>> {
        match &self.identifier {
            None => Some(vec!["id"]),
            Some(n) if n.complete => Some(n.items.iter().map(|(s, _)| s.as_str()).collect()),
            Some(_) => None,
        }
    }
}

impl Field {
    pub fn graphql(&self) -> Option<&'static str> {
        match &self.kind {
            FieldKind::Scalar { graphql, .. } => Some(graphql),
            _ => None,
        }
    }
    pub fn modifier(&self, name: &str) -> Option<&Modifier> {
        self.modifiers.iter().find(|m| m.name == name)
    }
}

/// The schema of a file: the one passed to `defineData({ schema })` (None when that cannot be read), else a
/// top-level `a.combine(...)`, else the top-level `a.schema(...)` bindings (combined when there are several).
/// A schema found through an exported binding may be combined with others elsewhere, so it is not
/// [complete](Schema::complete).
pub fn schema_of(file: &FileModel) -> Option<Arc<Schema>> {
    file.schema
        .get_or_init(|| {
            let cx = Cx::new(file);
            let schema = read_schema(&cx, file);
            cx.finish();
            schema.map(Arc::new)
        })
        .clone()
}

/// What the schema model of one version of a file keeps for the next: the types it read, by the key of the
/// lowering cache's entry each was read from ([`LowerCache::key_of`](crate::model::value::LowerCache::key_of)),
/// which is the same for the same text wherever it is. A type is kept only when reading it did not look up any
/// name in the file (an identifier resolved, or not, through the file's bindings): then it depends on the entry's
/// text, the part index and the names the `a` builder goes by, and nothing else. The next version finds the type
/// of an entry whose text did not change: where the entry stayed, the same type; where a line typed above it moved
/// it, the type moved by as many bytes (`schema::shift`). A keystroke in a long schema re-reads only the model it touched.
#[derive(Default)]
pub struct Memo {
    /// The `a` builder's names (roots, namespaces) the types were read with.
    env: (Vec<String>, Vec<String>),
    types: MemoTypes,
    /// The version of the file (its lowering cache's generation) the types were read for.
    generation: u32,
}

/// Entry key -> (the entry's offset when the type was read, the type).
type MemoTypes = HashMap<EntryKey, (usize, Arc<TypeDef>), WordsBuild>;

impl Memo {
    /// Moves the kept types whose entries the `edits` moved (in order, in the coordinates of the version that
    /// kept them) to where their entries are after them, in place, ahead of the next version's read, which then
    /// finds them where they are (see [`LowerCache::move_ahead`](crate::model::value::LowerCache::move_ahead)).
    /// A type something else still holds (that version's schema, still read) is left for the read to move or
    /// copy. Only the types read for version `generation` are moved (the edits are since that version); returns
    /// how many moved.
    pub fn move_ahead(&mut self, generation: u32, edits: &[crate::text::Edit]) -> usize {
        self.move_ahead_sharing(generation, edits, &|_| {})
    }

    /// [`Memo::move_ahead`], offering the types to move as [`Pieces`](crate::helper::Pieces) to another thread
    /// (`offer`, see [`crate::helper::start_in_pieces`]) while this one moves them too.
    pub(crate) fn move_ahead_sharing(
        &mut self,
        generation: u32,
        edits: &[crate::text::Edit],
        offer: &dyn Fn(Arc<dyn crate::helper::Help>),
    ) -> usize {
        if self.generation != generation {
            return 0;
        }
        // out of the memo while they move: were a move to fail half done, the memo would be left empty (every
        // type read again), not holding a type half moved
        let mut types = std::mem::take(&mut self.types);
        let delta_of = |key: &EntryKey, (at, _): &(usize, Arc<TypeDef>)| {
            crate::text::moved_by(edits, *at, *at + key.text_len())
        };
        let Some(moved) = crate::helper::move_in_pieces(&mut types, delta_of, move_type, offer)
        else {
            return 0;
        };
        self.types = types;
        moved
    }
}

/// Moves one type of [`Memo::move_ahead`] by the delta it holds, in place, and sets that to 0; a type something
/// else still holds (that version's schema, still read) is left for the read to move or copy.
fn move_type(item: &mut (EntryKey, (usize, Arc<TypeDef>), isize)) {
    let (_, (at, t), delta) = item;
    if let Some(only) = Arc::get_mut(t) {
        only.shift(*delta);
        *at = at.saturating_add_signed(*delta);
        *delta = 0;
    }
}

/// Copies of values for a schema type to keep. A type holds no part of the file model's values: a keystroke above
/// a model moves both the model's entry and its type, and each is moved in place only where nothing else holds
/// its parts (a part both held would be copied on every such keystroke).
fn detached_all(values: &[Value]) -> Vec<Value> {
    values.iter().map(Value::detached).collect()
}

fn read_schema(cx: &Cx, file: &FileModel) -> Option<Schema> {
    if let Some(d) = file.defines.iter().find(|d| d.kind == DefineKind::Data) {
        let v = d.arg.as_ref().and_then(|a| a.field("schema"))?;
        return cx.schema(file.resolve(v));
    }
    let bindings: Vec<(&Value, bool)> = file
        .bindings
        .iter()
        .filter_map(|b| b.value.as_ref().map(|v| (v, b.exported)))
        .collect();
    // a.combine([...]) first
    for (v, exported) in &bindings {
        if cx.builder_name(v) == Some("combine") {
            if let Some(mut s) = cx.schema(v) {
                s.combine_complete &= !exported;
                return Some(s);
            }
        }
    }
    let schemas: Vec<(&Value, bool)> = bindings
        .iter()
        .copied()
        .filter(|(v, _)| cx.builder_name(v) == Some("schema"))
        .collect();
    let exported = schemas.iter().any(|(_, e)| *e);
    let mut schema = match schemas.as_slice() {
        [] => return None,
        [(one, _)] => cx.schema(one)?,
        many => {
            let parts: Vec<Part> = many.iter().filter_map(|(v, _)| cx.part(v, 0)).collect();
            let span = Span::new(
                many.first().map_or(0, |(v, _)| v.span.start),
                many.last().map_or(0, |(v, _)| v.span.end),
            );
            Schema {
                combine_complete: parts.len() == many.len(),
                combined: true,
                parts: renumber(parts),
                span,
                by_name: OnceLock::new(),
            }
        }
    };
    schema.combine_complete &= !exported;
    Some(schema)
}

fn renumber(mut parts: Vec<Part>) -> Vec<Part> {
    for (i, p) in parts.iter_mut().enumerate() {
        for t in &mut p.types {
            if t.part != i {
                Arc::make_mut(t).part = i;
            }
        }
    }
    parts
}

/// The names the `a` builder goes by in a file: (the roots, `a` and what it is imported as; the namespaces a
/// module with it is imported as).
fn builder_names(file: &FileModel) -> (Vec<&str>, Vec<&str>) {
    let mut roots = vec!["a"];
    let mut namespaces = Vec::new();
    for imp in file
        .imports
        .iter()
        .filter(|i| A_MODULES.contains(&i.source.as_str()))
    {
        for n in &imp.names {
            match n.imported.as_str() {
                "a" => roots.push(n.local.as_str()),
                "*" => namespaces.push(n.local.as_str()),
                _ => {}
            }
        }
    }
    (roots, namespaces)
}

/// A hash of the names the `a` builder goes by in a file: with the text of an entry, they decide the type read
/// from it (see [`TypeDef::entry`]).
pub fn builder_names_hash(file: &FileModel) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    builder_names(file).hash(&mut h);
    h.finish()
}

impl Part {
    /// A hash of the part's own rules (`a.schema({...}).authorization(...)`) and of whether every entry was read,
    /// which stays the same when the part moves.
    pub fn rules_hash(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.complete.hash(&mut h);
        if let Some(rules) = &self.rules {
            let mut at_zero = rules.clone();
            at_zero.shift(-(rules.span.start as isize));
            format!("{at_zero:?}").hash(&mut h);
        }
        h.finish()
    }
}

/// How the `a` builder is reachable in a file.
struct Cx<'f> {
    file: &'f FileModel,
    roots: Vec<&'f str>,
    namespaces: Vec<&'f str>,
    /// The types the previous version kept (see [`Memo`]), and those this one keeps.
    memo_prev: RefCell<MemoTypes>,
    memo_next: RefCell<MemoTypes>,
    /// Set when [`Cx::resolve`] looks a name up.
    looked_up: Cell<bool>,
}

impl<'f> Cx<'f> {
    fn new(file: &'f FileModel) -> Self {
        let (roots, namespaces) = builder_names(file);
        let mut memo_prev = MemoTypes::default();
        {
            let mut memo = lock_memo(file);
            if memo.env.0 == roots && memo.env.1 == namespaces {
                memo_prev = std::mem::take(&mut memo.types);
            }
        }
        Cx {
            file,
            roots,
            namespaces,
            memo_prev: RefCell::new(memo_prev),
            memo_next: RefCell::new(MemoTypes::default()),
            looked_up: Cell::new(false),
        }
    }

    /// Leaves this version's types for the next version. The previous version's are freed on the freeing thread
    /// ([`crate::reclaim`]): the types of the models this version moved, and their entries, are freed with them.
    fn finish(self) {
        crate::reclaim::later(self.memo_prev.into_inner());
        let mut memo = lock_memo(self.file);
        memo.env = (
            self.roots.iter().map(|r| r.to_string()).collect(),
            self.namespaces.iter().map(|r| r.to_string()).collect(),
        );
        memo.types = self.memo_next.into_inner();
        memo.generation = self.file.lowered.generation();
    }

    fn resolve<'v>(&self, v: &'v Value) -> &'v Value
    where
        'f: 'v,
    {
        if matches!(v.kind, Kind::Ident(_)) {
            self.looked_up.set(true);
        }
        self.file.resolve(v)
    }

    /// The type of the schema entry `p` (named `key`) of part `index`: the previous version's when the entry
    /// has not changed or moved (see [`Memo`]), else read now.
    fn type_def(&self, p: &Prop, key: &str, index: usize) -> Arc<TypeDef> {
        let entry = self.file.lowered.key_of(p);
        if let Some(k) = entry {
            // the same text was read before: at the same offset, the same type; moved, the type moved the same way
            let known = {
                let mut prev = self.memo_prev.borrow_mut();
                let same_part = prev.get(&k).is_some_and(|(_, t)| t.part == index);
                same_part.then(|| prev.remove(&k)).flatten()
            };
            if let Some((at, mut t)) = known {
                let delta = p.span.start as isize - at as isize;
                if delta != 0 {
                    #[cfg(test)]
                    tests::MOVED.with(|m| m.set(m.get() + 1));
                    match Arc::get_mut(&mut t) {
                        // the previous version's schema is gone: nothing else holds the type, moved where it is
                        Some(only) => only.shift(delta),
                        None => {
                            let mut copy = TypeDef::clone(&t);
                            copy.shift(delta);
                            t = Arc::new(copy);
                        }
                    }
                }
                self.memo_next
                    .borrow_mut()
                    .insert(k, (p.span.start, t.clone()));
                return t;
            }
        }
        let outer = self.looked_up.replace(false);
        let value = self.resolve(&p.value);
        let kind = self.type_kind(value);
        let entry = entry.filter(|_| !self.looked_up.get());
        let t = Arc::new(TypeDef {
            name: key.to_string(),
            name_span: p.key_span,
            span: value.span,
            part: index,
            kind,
            entry,
        });
        if let Some(k) = entry {
            self.memo_next
                .borrow_mut()
                .insert(k, (p.span.start, t.clone()));
        }
        self.looked_up.set(outer || self.looked_up.get());
        t
    }

    /// The links after `a` of a chain rooted at the `a` builder (`a.x()`, or `ns.a.x()` for a namespace import).
    fn a_links<'c, 'v>(&self, chain: &'c Chain<'v>) -> Option<&'c [Link<'v>]> {
        if chain.root_args.is_some() {
            return None;
        }
        if self.roots.contains(&chain.root) {
            return Some(&chain.links);
        }
        if self.namespaces.contains(&chain.root) {
            let first = chain.links.first()?;
            if first.name == "a" && first.args.is_none() {
                return Some(&chain.links[1..]);
            }
        }
        None
    }

    /// The first builder name of an `a.<name>(...)` expression.
    fn builder_name<'v>(&self, v: &'v Value) -> Option<&'v str> {
        let chain = v.chain()?;
        let links = self.a_links(&chain)?;
        links.first().map(|l| l.name)
    }

    fn schema(&self, v: &Value) -> Option<Schema> {
        let chain = v.chain()?;
        let links = self.a_links(&chain)?;
        let first = links.first()?;
        match first.name {
            "schema" => Some(Schema {
                parts: vec![self.part(v, 0)?],
                combine_complete: true,
                combined: false,
                span: v.span,
                by_name: OnceLock::new(),
            }),
            "combine" => {
                let items = first.args?.first().map(|a| self.resolve(a))?.as_array()?;
                let mut parts = Vec::new();
                let mut complete = true;
                for item in items.iter().take(MAX_COMBINED) {
                    match self.part(self.resolve(item), parts.len()) {
                        Some(p) => parts.push(p),
                        None => complete = false,
                    }
                }
                if items.len() > MAX_COMBINED {
                    complete = false;
                }
                Some(Schema {
                    parts: renumber(parts),
                    combine_complete: complete,
                    combined: true,
                    span: v.span,
                    by_name: OnceLock::new(),
                })
            }
            _ => None,
        }
    }

    /// One `a.schema({...})[.authorization(...)]`.
    fn part(&self, v: &Value, index: usize) -> Option<Part> {
        let chain = v.chain()?;
        let links = self.a_links(&chain)?;
        let (first, rest) = links.split_first()?;
        if first.name != "schema" {
            return None;
        }
        let mut part = Part {
            types: Vec::new(),
            name_hashes: Vec::new(),
            complete: false,
            rules: None,
            builder_span: first.name_span,
            span: v.span,
        };
        if let Some(obj) = first.args.and_then(|a| a.first()).map(|a| self.resolve(a)) {
            if let Some(props) = obj.as_object() {
                part.complete = true;
                part.types.reserve_exact(props.len());
                part.name_hashes.reserve_exact(props.len());
                for p in props {
                    let Some(key) = &p.key else {
                        part.complete = false;
                        continue;
                    };
                    let t = self.type_def(p, key, index);
                    part.name_hashes.push(name_hash(&t.name));
                    part.types.push(t);
                }
            }
        }
        for link in rest {
            if link.name == "authorization" {
                part.rules = Some(self.rules(link));
            }
        }
        Some(part)
    }

    fn type_kind(&self, v: &Value) -> TypeKind {
        let Some(chain) = v.chain() else {
            return TypeKind::Unknown;
        };
        let Some((first, rest)) = self.a_links(&chain).and_then(|l| l.split_first()) else {
            return TypeKind::Unknown;
        };
        let Some(args) = first.args else {
            return TypeKind::Unknown;
        };
        let Some(member) = catalog::member(Builder::A, first.name) else {
            return TypeKind::Unknown;
        };
        let arg = args.first();
        match member.produces {
            Builder::Model => TypeKind::Model(self.model(first, arg, rest)),
            Builder::CustomType => TypeKind::CustomType(self.fields(arg, first.name_span, 0)),
            Builder::Enum => TypeKind::Enum(self.enum_def(arg, first.name_span)),
            Builder::Query => {
                TypeKind::Operation(Box::new(self.operation(OpKind::Query, first, arg, rest)))
            }
            Builder::Mutation => {
                TypeKind::Operation(Box::new(self.operation(OpKind::Mutation, first, arg, rest)))
            }
            Builder::Subscription => TypeKind::Operation(Box::new(self.operation(
                OpKind::Subscription,
                first,
                arg,
                rest,
            ))),
            Builder::Generation => TypeKind::Operation(Box::new(self.operation(
                OpKind::Generation,
                first,
                arg,
                rest,
            ))),
            Builder::Conversation => TypeKind::Conversation(self.conversation(first, arg, rest)),
            _ => TypeKind::Unknown,
        }
    }

    fn model(&self, first: &Link, arg: Option<&Value>, rest: &[Link]) -> Model {
        let mut m = Model {
            builder_span: first.name_span,
            fields: self.fields(arg, first.name_span, 0),
            identifier: None,
            indexes: None,
            disabled: None,
            rules: None,
        };
        for link in rest {
            match link.name {
                "identifier" => m.identifier = Some(self.names(link_arg(link), link.name_span)),
                "secondaryIndexes" => m.indexes = Some(self.indexes(link)),
                "disableOperations" => {
                    m.disabled = Some(self.names(link_arg(link), link.name_span))
                }
                "authorization" => m.rules = Some(self.rules(link)),
                _ => {}
            }
        }
        m
    }

    /// A list of string literals; a single string counts as a one-element list.
    fn names(&self, v: Option<&Value>, span: Span) -> Names {
        let mut n = Names {
            items: Vec::new(),
            complete: false,
            span,
        };
        let Some(v) = v.map(|v| self.resolve(v)) else {
            return n;
        };
        if let Some(s) = v.as_str() {
            n.items.push((s.to_string(), v.span));
            n.complete = true;
        } else if let Some(items) = v.as_array() {
            n.complete = true;
            for item in items {
                match item.as_str() {
                    Some(s) => n.items.push((s.to_string(), item.span)),
                    None => n.complete = false,
                }
            }
        }
        n
    }

    fn fields(&self, v: Option<&Value>, fallback: Span, depth: usize) -> Fields {
        let mut f = Fields {
            items: Vec::new(),
            complete: false,
            span: fallback,
        };
        let Some(v) = v.map(|v| self.resolve(v)) else {
            return f;
        };
        f.span = v.span;
        let Some(props) = v.as_object() else {
            return f;
        };
        f.complete = true;
        for p in props {
            let Some(key) = &p.key else {
                f.complete = false;
                continue;
            };
            f.items
                .push(self.field(key.to_string(), p.key_span, &p.value, depth));
        }
        f
    }

    fn field(&self, name: String, name_span: Span, v: &Value, depth: usize) -> Field {
        let v = self.resolve(v);
        let mut f = Field {
            name,
            name_span,
            span: v.span,
            kind: FieldKind::Unknown,
            required: false,
            array: false,
            array_required: false,
            default: None,
            validate: None,
            rules: None,
            modifiers: Vec::new(),
        };
        let Some(chain) = v.chain() else {
            return f;
        };
        let Some((first, rest)) = self.a_links(&chain).and_then(|l| l.split_first()) else {
            return f;
        };
        let (Some(args), Some(member)) = (first.args, catalog::member(Builder::A, first.name))
        else {
            return f;
        };
        let arg = args.first();
        f.kind = match member.produces {
            Builder::Scalar => FieldKind::Scalar {
                factory: first.name.to_string(),
                graphql: member.graphql.unwrap_or(""),
            },
            Builder::Ref => FieldKind::Ref(self.ref_target(v, first, arg, rest)),
            Builder::HasOne | Builder::HasMany | Builder::BelongsTo => {
                let kind = match member.produces {
                    Builder::HasOne => RelKind::HasOne,
                    Builder::HasMany => RelKind::HasMany,
                    _ => RelKind::BelongsTo,
                };
                let target = arg.map(|a| self.resolve(a));
                FieldKind::Relationship(Relationship {
                    kind,
                    call_span: first.name_span,
                    target: target.and_then(Value::as_str).map(str::to_string),
                    target_span: target.map_or(first.name_span, |t| t.span),
                    references: args
                        .get(1)
                        .map(|r| self.names(Some(r), r.span))
                        .filter(|n| n.complete),
                })
            }
            Builder::Enum => FieldKind::Enum(self.enum_def(arg, first.name_span)),
            Builder::CustomType if depth < MAX_NESTING => {
                FieldKind::CustomType(self.fields(arg, first.name_span, depth + 1))
            }
            _ => FieldKind::Unknown,
        };
        for link in rest {
            f.modifiers.push(Modifier {
                name: link.name.to_string(),
                name_span: link.name_span,
                span: Span::new(link.name_span.start, link.end),
                args: link.args.map(detached_all),
            });
            match link.name {
                "required" => {
                    if f.array {
                        f.array_required = true;
                    } else {
                        f.required = true;
                    }
                }
                "valueRequired" => f.required = true,
                "array" => f.array = true,
                "default" => {
                    f.default = Some(DefaultCall {
                        value: link_arg(link)
                            .filter(|a| !matches!(a.kind, Kind::Undefined))
                            .map(Value::detached),
                        span: Span::new(link.name_span.start, link.end),
                    })
                }
                "validate" => f.validate = Some(self.validate(link)),
                "authorization" => f.rules = Some(self.rules(link)),
                _ => {}
            }
        }
        f
    }

    fn ref_target(
        &self,
        whole: &Value,
        first: &Link,
        arg: Option<&Value>,
        rest: &[Link],
    ) -> RefTarget {
        let target = arg.map(|a| self.resolve(a));
        RefTarget {
            name: target.and_then(Value::as_str).map(str::to_string),
            name_span: target.map_or(first.name_span, |t| t.span),
            span: whole.span,
            mutations: rest
                .iter()
                .find(|l| l.name == "mutations")
                .map(|l| self.names(link_arg(l), l.name_span)),
        }
    }

    /// `a.ref('X')...` as a standalone value (subscription sources, tool targets).
    fn ref_value(&self, v: &Value) -> Option<RefTarget> {
        let v = self.resolve(v);
        let chain = v.chain()?;
        let (first, rest) = self.a_links(&chain)?.split_first()?;
        if first.name != "ref" {
            return None;
        }
        let arg = first.args?.first();
        Some(self.ref_target(v, first, arg, rest))
    }

    fn enum_def(&self, v: Option<&Value>, fallback: Span) -> EnumDef {
        let mut e = EnumDef {
            values: Vec::new(),
            complete: false,
            span: fallback,
        };
        let Some(v) = v.map(|v| self.resolve(v)) else {
            return e;
        };
        e.span = v.span;
        if let Some(items) = v.as_array() {
            e.complete = true;
            for item in items {
                match item.as_str() {
                    Some(s) => e.values.push((s.to_string(), item.span)),
                    None => e.complete = false,
                }
            }
        }
        e
    }

    /// The expression a callback returns, when it is an expression body (block bodies are not read: an earlier
    /// conditional `return` could be missed).
    fn callback<'v>(&self, v: Option<&'v Value>) -> Option<(&'v str, &'v Value)>
    where
        'f: 'v,
    {
        let func = self.resolve(v?).as_func()?;
        let param = func.params.first().filter(|p| !p.is_empty())?;
        let body = func.body.as_ref()?;
        if body.span != func.body_span {
            return None;
        }
        Some((param.as_str(), body))
    }

    fn rules(&self, link: &Link) -> Rules {
        let mut r = Rules {
            rules: Vec::new(),
            complete: false,
            span: link.name_span,
        };
        let Some((param, body)) = self.callback(link_arg(link)) else {
            return r;
        };
        r.complete = true;
        let items: Vec<&Value> = match &body.kind {
            Kind::Array(items) => items.iter().collect(),
            _ => vec![body],
        };
        for item in items {
            match self.rule(item, param) {
                Some(rule) => r.rules.push(rule),
                None => r.complete = false,
            }
        }
        r
    }

    fn rule(&self, v: &Value, param: &str) -> Option<Rule> {
        let chain = v.chain()?;
        if chain.root != param || chain.root_args.is_some() {
            return None;
        }
        let (first, rest) = chain.links.split_first()?;
        let args: Vec<Value> = first.args.map(detached_all).unwrap_or_default();
        let provider_index = match first.name {
            "group" | "groups" | "ownerDefinedIn" | "ownersDefinedIn" | "groupDefinedIn"
            | "groupsDefinedIn" => Some(1),
            "publicApiKey" | "guest" | "resource" => None,
            _ => Some(0),
        };
        let provider = match provider_index.and_then(|i| args.get(i)) {
            None => Provider::Default,
            Some(a) => match &self.resolve(a).kind {
                Kind::Undefined => Provider::Default,
                Kind::Str(s) => Provider::Given(s.to_string(), a.span),
                _ => Provider::Unknown,
            },
        };
        let groups = match first.name {
            "group" | "groups" => args.first().map(|a| self.names(Some(a), a.span)),
            _ => None,
        };
        let field = match first.name {
            "ownerDefinedIn" | "ownersDefinedIn" | "groupDefinedIn" | "groupsDefinedIn" => args
                .first()
                .and_then(|a| self.resolve(a).as_str().map(|s| (s.to_string(), a.span))),
            _ => None,
        };
        Some(Rule {
            name: first.name.to_string(),
            name_span: first.name_span,
            call_span: Span::new(first.name_span.start, first.end),
            span: v.span,
            called: first.args.is_some(),
            provider,
            groups,
            field,
            to: rest
                .iter()
                .find(|l| l.name == "to")
                .map(|l| self.names(link_arg(l), l.name_span)),
            chain: rest
                .iter()
                .map(|l| (l.name.to_string(), l.name_span))
                .collect(),
            args,
        })
    }

    fn validate(&self, link: &Link) -> Validate {
        let mut val = Validate {
            calls: Vec::new(),
            complete: false,
            span: Span::new(link.name_span.start, link.end),
            name_span: link.name_span,
        };
        let Some((param, body)) = self.callback(link_arg(link)) else {
            return val;
        };
        let Some(chain) = body.chain() else {
            return val;
        };
        if chain.root != param || chain.root_args.is_some() {
            return val;
        }
        val.complete = true;
        for l in &chain.links {
            match l.args {
                Some(args) => val.calls.push(ValidatorCall {
                    name: l.name.to_string(),
                    name_span: l.name_span,
                    args: detached_all(args),
                }),
                None => val.complete = false,
            }
        }
        val
    }

    fn indexes(&self, link: &Link) -> Indexes {
        let mut ix = Indexes {
            items: Vec::new(),
            complete: false,
            span: link.name_span,
        };
        let Some((param, body)) = self.callback(link_arg(link)) else {
            return ix;
        };
        let Some(items) = body.as_array() else {
            return ix;
        };
        ix.complete = true;
        for item in items {
            let Some(chain) = item.chain() else {
                ix.complete = false;
                continue;
            };
            let Some(root_args) = chain.root_args.filter(|_| chain.root == param) else {
                ix.complete = false;
                continue;
            };
            let pk = root_args
                .first()
                .map(|a| self.resolve(a))
                .and_then(|a| a.as_str().map(|s| (s.to_string(), a.span)));
            let mut index = Index {
                pk,
                sort_keys: None,
                name: None,
                span: item.span,
            };
            for l in &chain.links {
                match l.name {
                    "sortKeys" => index.sort_keys = Some(self.names(link_arg(l), l.name_span)),
                    "name" => {
                        index.name = link_arg(l).map(|a| {
                            let r = self.resolve(a);
                            (r.as_str().map(str::to_string), a.span)
                        })
                    }
                    _ => {}
                }
            }
            ix.items.push(index);
        }
        ix
    }

    fn operation(
        &self,
        kind: OpKind,
        first: &Link,
        arg: Option<&Value>,
        rest: &[Link],
    ) -> Operation {
        let mut op = Operation {
            kind,
            builder_span: first.name_span,
            config: arg.map(|a| self.resolve(a).detached()),
            arguments: None,
            returns: None,
            handlers: None,
            sources: None,
            rules: None,
        };
        for link in rest {
            match link.name {
                "arguments" => op.arguments = Some(self.fields(link_arg(link), link.name_span, 0)),
                "returns" => {
                    let field = match link_arg(link) {
                        Some(v) => self.field(String::new(), link.name_span, v, 0),
                        None => self.field(
                            String::new(),
                            link.name_span,
                            &Value::other(link.name_span),
                            0,
                        ),
                    };
                    op.returns = Some(Returns {
                        field,
                        span: link.name_span,
                    });
                }
                "handler" => op.handlers = Some(self.handlers(link)),
                "for" => op.sources = Some(self.sources(link)),
                "authorization" => op.rules = Some(self.rules(link)),
                _ => {}
            }
        }
        op
    }

    fn handlers(&self, link: &Link) -> Handlers {
        let mut h = Handlers {
            items: Vec::new(),
            complete: false,
            span: link.name_span,
        };
        let Some(arg) = link_arg(link).map(|a| self.resolve(a)) else {
            return h;
        };
        let items: Vec<&Value> = match &arg.kind {
            Kind::Array(items) => items.iter().collect(),
            _ => vec![arg],
        };
        h.complete = true;
        for item in items {
            match self.handler(item) {
                Some(x) => h.items.push(x),
                None => h.complete = false,
            }
        }
        h
    }

    fn handler(&self, v: &Value) -> Option<Handler> {
        let v = self.resolve(v);
        let chain = v.chain()?;
        let links = self.a_links(&chain)?;
        let [ns, kind_link, rest @ ..] = links else {
            return None;
        };
        if ns.name != "handler" || ns.args.is_some() {
            return None;
        }
        let kind = match catalog::member(Builder::HandlerNs, kind_link.name).map(|m| m.produces) {
            Some(Builder::FunctionHandler) => HandlerKind::Function,
            Some(Builder::CustomHandler) => HandlerKind::Custom,
            Some(Builder::SqlHandler) if kind_link.name == "inlineSql" => HandlerKind::InlineSql,
            Some(Builder::SqlHandler) => HandlerKind::SqlReference,
            _ => HandlerKind::Unknown,
        };
        let entry = if kind == HandlerKind::Custom {
            link_arg(kind_link)
                .map(|a| self.resolve(a))
                .and_then(|a| a.get("entry"))
                .map(|p| {
                    let val = self.resolve(&p.value);
                    (val.as_str().map(str::to_string), p.value.span)
                })
        } else {
            None
        };
        Some(Handler {
            kind,
            is_async: rest.iter().any(|l| l.name == "async"),
            entry,
            span: v.span,
        })
    }

    fn sources(&self, link: &Link) -> Sources {
        let mut s = Sources {
            items: Vec::new(),
            complete: false,
            span: link.name_span,
        };
        let Some(arg) = link_arg(link).map(|a| self.resolve(a)) else {
            return s;
        };
        let items: Vec<&Value> = match &arg.kind {
            Kind::Array(items) => items.iter().collect(),
            _ => vec![arg],
        };
        s.complete = true;
        for item in items {
            match self.ref_value(item) {
                Some(r) => s.items.push(r),
                None => s.complete = false,
            }
        }
        s
    }

    fn conversation(&self, first: &Link, arg: Option<&Value>, rest: &[Link]) -> Conversation {
        let config = arg.map(|a| self.resolve(a));
        let tools = config
            .and_then(|c| c.field("tools"))
            .map(|t| self.resolve(t))
            .and_then(Value::as_array)
            .map(|items| {
                let mut tools = Tools {
                    items: Vec::new(),
                    complete: true,
                };
                for item in items {
                    match self.tool(item) {
                        Some(t) => tools.items.push(t),
                        None => tools.complete = false,
                    }
                }
                tools
            });
        Conversation {
            builder_span: first.name_span,
            config: config.map(Value::detached),
            tools,
            rules: rest
                .iter()
                .rev()
                .find(|l| l.name == "authorization")
                .map(|l| self.rules(l)),
        }
    }

    fn tool(&self, v: &Value) -> Option<Tool> {
        let v = self.resolve(v);
        let chain = v.chain()?;
        let links = self.a_links(&chain)?;
        let [ns, tool] = links else {
            return None;
        };
        if ns.name != "ai" || tool.name != "dataTool" {
            return None;
        }
        let obj = link_arg(tool).map(|a| self.resolve(a))?;
        obj.as_object()?;
        Some(Tool {
            name: obj.get("name").map(|p| {
                let val = self.resolve(&p.value);
                (val.as_str().map(str::to_string), p.value.span)
            }),
            model: obj.field("model").and_then(|m| self.ref_value(m)),
            query: obj.field("query").and_then(|q| self.ref_value(q)),
            span: v.span,
        })
    }
}

fn lock_memo(file: &FileModel) -> std::sync::MutexGuard<'_, Memo> {
    // A panic while the lock was held leaves a memo that is at worst incomplete: every kept type is whole.
    file.lowered
        .schema_memo
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn link_arg<'v>(link: &Link<'v>) -> Option<&'v Value> {
    link.args.and_then(|a| a.first())
}

/// The hash of a type's name in [`Schema::by_name`].
fn name_hash(name: &str) -> u64 {
    use std::hash::BuildHasher;
    FnvBuild::default().hash_one(name)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::syntax::{parse, Lang};

    fn schema(src: &str) -> Arc<Schema> {
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        let file = FileModel::build(&tree, src, Lang::TypeScript);
        schema_of(&file).expect("schema")
    }

    fn at(src: &str, span: Span) -> &str {
        &src[span.start..span.end]
    }

    /// Types are looked up by the hash of their name; when two names share a hash, the index holds the first of
    /// them and the other is still found (here the index is made to point the wrong way, as a shared hash would).
    #[test]
    fn a_type_is_found_by_name_even_when_its_hash_points_elsewhere() {
        let src = crate::model::file::tests::schema_src(&["Post", "Comment", "Tag"]);
        let s = schema(&src);
        assert_eq!(s.get("Comment").map(|t| t.name.as_str()), Some("Comment"));
        assert!(s.get("Missing").is_none());
        // (the lookups above built the index)
        let index = s.by_name.get().expect("built");
        let post_at = *index.get(&name_hash("Post")).expect("indexed");
        let mut wrong = HashMap::default();
        wrong.insert(name_hash("Tag"), post_at);
        let misled = Schema {
            by_name: OnceLock::from(wrong),
            ..(*s).clone()
        };
        assert_eq!(misled.get("Tag").map(|t| t.name.as_str()), Some("Tag"));
        assert_eq!(
            misled.get("Post").map(|t| t.name.as_str()),
            None,
            "not indexed"
        );
    }

    /// A schema of models long enough for the lowering cache, each with a relationship to the next name, one
    /// field typed by a `const` of the file, and `extra` appended to the file.
    fn memo_src(import: &str, names: &[&str], extra: &str) -> String {
        let mut s =
            format!("{import}\n\nconst status = a.enum(['a', 'b']);\nconst schema = a.schema({{\n");
        for (i, n) in names.iter().enumerate() {
            let next = names[(i + 1) % names.len()];
            let typed = if i == 1 { "      state: status,\n" } else { "" };
            s.push_str(&format!(
                "  {n}: a\n    .model({{\n      title: a.string().required(),\n      {next}Id: a.id(),\n      \
                 {next}: a.belongsTo('{next}', '{next}Id'),\n{typed}      rating: a.integer().default(3),\n    }})\n    \
                 .secondaryIndexes((index) => [index('title')])\n    \
                 .authorization((allow) => [allow.owner(), allow.authenticated().to(['read'])]),\n"
            ));
        }
        s.push_str(&format!(
            "}});\n{extra}\nexport const data = defineData({{ schema }});\n"
        ));
        s
    }

    fn shown(s: &Schema) -> String {
        // the key of the entry a type was read from is not part of what it says (a build without the lowering
        // cache keys none)
        let parts: Vec<Part> = s
            .parts
            .iter()
            .cloned()
            .map(|mut p| {
                for t in p.types.iter_mut().filter(|t| t.entry.is_some()) {
                    Arc::make_mut(t).entry = None;
                }
                p
            })
            .collect();
        format!(
            "{:?}{}{}{:?}",
            parts, s.combine_complete, s.combined, s.span
        )
    }

    thread_local! {
        /// How many types this thread's schema reads moved from the previous version's instead of reading them.
        pub(crate) static MOVED: Cell<usize> = const { Cell::new(0) };
    }

    /// Every entry kind a type can hold, each entry long enough for the lowering cache.
    const EVERY_KIND: &str = r#"import { a, defineData } from '@aws-amplify/backend';
import { echo } from '../functions/echo/resource';
const schema = a.schema({
  Status: a.enum(['DRAFT', 'LIVE', 'ARCHIVED', 'DELETED', 'PENDING', 'REVIEWED', 'REJECTED', 'PUBLISHED', 'SCHEDULED', 'HIDDEN', 'PINNED', 'FEATURED', 'LOCKED', 'MERGED', 'SPLIT', 'COPIED', 'MOVED', 'OTHER', 'UNKNOWN', 'RETIRED', 'RESTORED', 'EXPIRED', 'RENEWED']),
  Address: a.customType({
    street: a.string().required(),
    city: a.string(),
    geo: a.customType({ lat: a.float().required(), lng: a.float().required(), label: a.string() }),
    kind: a.enum(['HOME', 'WORK']),
    postcode: a.string(),
    country: a.string().required(),
  }),
  Blog: a
    .model({
      name: a.string().required().default('untitled'),
      slug: a.string().validate((v) => v.minLength(3).maxLength(40)),
      tags: a.string().array().required(),
      rating: a.integer().default(3).authorization((allow) => [allow.owner().to(['read'])]),
      status: a.ref('Status').required(),
      posts: a.hasMany('Post', ['blogId', 'blogName']),
      where: a.ref('Address'),
    })
    .identifier(['name', 'slug'])
    .secondaryIndexes((index) => [index('status').sortKeys(['rating']).name('byStatus').queryField('listByStatus')])
    .disableOperations(['delete', 'subscriptions'])
    .authorization((allow) => [
      allow.owner().identityClaim('sub'),
      allow.groups(['ADMINS', 'EDITORS'], 'oidc').to(['read', 'update']),
      allow.ownersDefinedIn('editors'),
      allow.publicApiKey().to(['read']),
    ]),
  Post: a
    .model({
      blogId: a.id().required(),
      blogName: a.string().required(),
      blog: a.belongsTo('Blog', ['blogId', 'blogName']),
      body: a.string(),
      publishedAt: a.datetime(),
    })
    .authorization((allow) => allow.authenticated('identityPool')),
  echo: a
    .query()
    .arguments({ content: a.string().required(), times: a.integer().default(1), status: a.ref('Status') })
    .returns(a.ref('Address').array())
    .handler([a.handler.function(echo), a.handler.custom({ dataSource: 'Ds', entry: './echo.js' }).async()])
    .authorization((allow) => [allow.authenticated(), allow.groups(['ADMINS'])]),
  onBlog: a
    .subscription()
    .for([a.ref('echo'), a.ref('createBlog').mutations(['createBlog', 'updateBlog'])])
    .handler(a.handler.custom({ entry: './onBlog.js', dataSource: 'NoneDs' }))
    .authorization((allow) => [allow.authenticated(), allow.guest()]),
  summarize: a
    .generation({ aiModel: a.ai.model('Claude 3 Haiku'), systemPrompt: 'Write a summary of the text.' })
    .arguments({ text: a.string().required() })
    .returns(a.customType({ summary: a.string() }))
    .authorization((allow) => allow.authenticated()),
  chat: a
    .conversation({
      aiModel: a.ai.model('Claude 3 Haiku'),
      systemPrompt: 'You are a helpful assistant for the blog.',
      tools: [a.ai.dataTool({ name: 'listBlogs', description: 'Lists the blogs', model: a.ref('Blog'), modelOperation: 'list' }), a.ai.dataTool({ name: 'echo', description: 'Echoes', query: a.ref('echo') })],
    })
    .authorization((allow) => allow.owner()),
});
export const data = defineData({ schema });
"#;

    /// Every file under `dir` whose name ends in `.ts`, in a stable order.
    fn typescript_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                typescript_under(&p, out);
            } else if p.extension().is_some_and(|e| e == "ts") {
                out.push(p);
            }
        }
    }

    /// (path, text) of every TypeScript file of the project's fixtures and examples that holds an `a.schema`.
    pub(crate) fn fixture_schemas() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        typescript_under(&root.join("tests/fixtures/projects"), &mut files);
        typescript_under(&root.join("examples"), &mut files);
        files
            .into_iter()
            .filter_map(|f| {
                let src = std::fs::read_to_string(&f).ok()?;
                src.contains("a.schema(")
                    .then(|| (f.display().to_string(), src))
            })
            .collect()
    }

    /// A type moved from the previous version (a line typed above it) equals the type read again from the moved
    /// entry: in a schema that uses every kind of entry, and in every schema of the project's fixtures.
    #[test]
    fn types_moved_with_their_entries_equal_types_read_again() {
        let mut sources = vec![("every kind".to_string(), EVERY_KIND.to_string())];
        sources.extend(fixture_schemas());
        assert!(sources.len() > 100, "{} schemas found", sources.len());
        let moved_before = MOVED.with(Cell::get);
        let mut every_kind_moved = 0;
        for (name, src) in &sources {
            // typed above the schema (everything moves down), more, then taken back (everything moves up)
            let versions = [
                src.clone(),
                format!("// a\n{src}"),
                format!("// a line\n\n{src}"),
                src.clone(),
            ];
            let mut prev: Option<Arc<crate::model::value::LowerCache>> = None;
            // The previous version's model, and with it its schema, kept for every other version: a type still
            // held there is copied before it is moved, one held nowhere else is moved where it is.
            let mut kept: Option<FileModel> = None;
            for (i, v) in versions.iter().enumerate() {
                let before = MOVED.with(Cell::get);
                let tree = parse(v, Lang::TypeScript, None).expect("parse");
                let fresh = FileModel::build(&tree, v, Lang::TypeScript);
                let inc = FileModel::build_incremental(&tree, v, Lang::TypeScript, prev.as_deref());
                assert_eq!(
                    schema_of(&inc).as_deref().map(shown),
                    schema_of(&fresh).as_deref().map(shown),
                    "{name}, version {i}"
                );
                if name == "every kind" && i > 0 {
                    every_kind_moved += MOVED.with(Cell::get) - before;
                }
                prev = Some(inc.lowered.clone());
                kept = (i % 2 == 0).then_some(inc);
            }
            drop(kept);
        }
        // the schema that uses every kind: its 8 types, in each of the 3 versions that moved them
        assert_eq!(every_kind_moved, 8 * 3);
        let moved = MOVED.with(Cell::get) - moved_before;
        // the fixtures' own long entries (most of their entries are too short to be cached)
        assert!(moved >= 8 * 3 + 40, "{moved} types moved");
    }

    #[test]
    fn a_schema_read_with_the_previous_versions_types_equals_a_fresh_one() {
        let import = "import { a, defineData } from '@aws-amplify/backend';";
        let renamed = "import { a as b, defineData } from '@aws-amplify/backend';";
        let names = ["Post", "Comment", "Tag", "Author", "Blog", "Site"];
        let mut versions: Vec<String> = vec![
            memo_src(import, &names, ""),
            // a character typed in the middle model (a referenced name changes)
            memo_src(
                import,
                &["Post", "Comment", "Tags", "Author", "Blog", "Site"],
                "",
            ),
            memo_src(import, &names, ""),
            // an edit after every model: nothing moves
            memo_src(import, &names, "const x = 1;"),
            // the `const` a field is typed by changes, before the models: everything moves
            memo_src(import, &names, "").replace("a.enum(['a', 'b'])", "a.enum(['a', 'c'])"),
            // then after them: the models stay in place, the `const`'s value changes
            memo_src(import, &names, "").replace(
                "const status = a.enum(['a', 'b']);\n",
                "const statu_ = 0;\n                     \n",
            ) + "const status = a.string();\n",
            // a model inserted, models deleted, a syntax error, fixed again
            memo_src(
                import,
                &["Draft", "Post", "Comment", "Tag", "Author", "Blog", "Site"],
                "",
            ),
            memo_src(import, &["Draft", "Post", "Blog", "Site"], ""),
            memo_src(import, &["Draft", "Post", "Blog", "Site"], "").replacen(
                "rating: a.integer().default(3),",
                "rating: a.integer(.default(3),",
                1,
            ),
            memo_src(import, &["Draft", "Post", "Blog", "Site"], ""),
        ];
        // the `a` builder renamed (same length: nothing moves), then back
        let b_schema = memo_src(import, &names, "").replace(import, renamed);
        versions.push(memo_src(import, &names, ""));
        versions.push(b_schema.replace("a.", "b."));
        versions.push(b_schema);
        // an `a.combine` of the same schema twice: the same entries in two parts
        let two = memo_src(import, &names, "").replace(
            "export const data = defineData({ schema });",
            "const s2 = a.schema({ Other: a.customType({ x: a.string() }) });\nconst both = a.combine([schema, s2]);\nexport const data = defineData({ schema: both });",
        );
        versions.push(two.clone());
        versions.push(two.replace("Other:", "Othe_:"));

        let mut prev: Option<Arc<crate::model::value::LowerCache>> = None;
        let mut prev_schema: Option<Arc<Schema>> = None;
        let mut shared = Vec::new();
        for (i, src) in versions.iter().enumerate() {
            let tree = parse(src, Lang::TypeScript, None).expect("parse");
            let fresh = FileModel::build(&tree, src, Lang::TypeScript);
            let inc = FileModel::build_incremental(&tree, src, Lang::TypeScript, prev.as_deref());
            let a = schema_of(&fresh).map(|s| shown(&s));
            let read = schema_of(&inc);
            assert_eq!(read.as_deref().map(shown), a, "version {i}");
            // read twice, the same version shares every cached type with itself
            let again = schema_of(&inc);
            assert_eq!(again.as_deref().map(shown), a, "version {i}, again");
            let count = |x: &Option<Arc<Schema>>, y: &Option<Arc<Schema>>| match (x, y) {
                (Some(x), Some(y)) => x
                    .parts
                    .iter()
                    .flat_map(|p| &p.types)
                    .filter(|t| {
                        y.parts
                            .iter()
                            .flat_map(|p| &p.types)
                            .any(|u| Arc::ptr_eq(t, u))
                    })
                    .count(),
                _ => 0,
            };
            shared.push(count(&prev_schema, &read));
            prev = Some(inc.lowered.clone());
            prev_schema = again;
        }
        // Types shared with the previous version: in place and not looking names up (the model typed by
        // `status` never is).
        assert!(shared[1] >= 1, "{shared:?}");
        assert!(shared[3] >= 5, "{shared:?}");
        assert!(shared.iter().sum::<usize>() >= 15, "{shared:?}");
    }

    const BLOG: &str = r#"import { a, defineData, type ClientSchema } from '@aws-amplify/backend';
import { echo } from '../functions/echo/resource';
const schema = a.schema({
  Status: a.enum(['DRAFT', 'LIVE']),
  Blog: a
    .model({
      name: a.string().required(),
      tags: a.string().array().required(),
      posts: a.hasMany('Post', 'blogId'),
      meta: a.customType({ source: a.string(), inner: a.customType({ deep: a.integer() }) }),
    })
    .identifier(['name'])
    .secondaryIndexes((index) => [index('name').sortKeys(['tags']).name('byName')])
    .authorization((allow) => [allow.owner(), allow.groups(['ADMINS'], 'oidc').to(['read'])]),
  Post: a.model({
    blogId: a.id(),
    blog: a.belongsTo('Blog', ['blogId']),
    status: a.ref('Status').required(),
    views: a.integer().default(0).validate((v) => v.gte(0)),
  }),
  echo: a
    .query()
    .arguments({ text: a.string() })
    .returns(a.ref('Post'))
    .handler([a.handler.function(echo), a.handler.custom({ entry: './x.js' })])
    .authorization((allow) => allow.publicApiKey()),
  onPost: a.subscription().for(a.ref('Post').mutations(['create'])),
  chat: a.conversation({ aiModel: a.ai.model('Claude 3.5 Haiku'), systemPrompt: 'hi', tools: [
    a.ai.dataTool({ name: 'list_posts', description: 'd', model: a.ref('Post'), modelOperation: 'list' }),
  ] }).authorization((allow) => allow.owner()),
}).authorization((allow) => [allow.resource(echo), allow.authenticated().to(['read'])]);
export const data = defineData({ schema });
"#;

    #[test]
    fn reads_types_fields_and_rules() {
        let s = schema(BLOG);
        assert!(s.complete());
        assert_eq!(
            s.type_names(),
            ["Status", "Blog", "Post", "echo", "onPost", "chat"]
        );
        assert_eq!(s.model_names(), ["Blog", "Post"]);
        assert_eq!(s.type_kind("Status"), Some(TypeTag::Enum));
        assert_eq!(s.type_kind("onPost"), Some(TypeTag::Subscription));
        assert_eq!(s.type_kind("nope"), None);
        let blog = s.model("Blog").expect("Blog");
        assert_eq!(s.field_names("Blog"), ["name", "tags", "posts", "meta"]);
        let name = blog.field("name").expect("name");
        assert!(name.required && !name.array);
        assert_eq!(name.graphql(), Some("String"));
        let tags = blog.field("tags").expect("tags");
        assert!(tags.array && tags.array_required && !tags.required);
        let FieldKind::Relationship(rel) = &blog.field("posts").expect("posts").kind else {
            panic!("relationship")
        };
        assert_eq!(rel.kind, RelKind::HasMany);
        assert_eq!(rel.target.as_deref(), Some("Post"));
        assert_eq!(at(BLOG, rel.target_span), "'Post'");
        let refs = rel.references.as_ref().expect("refs");
        assert_eq!(refs.items[0].0, "blogId");
        let FieldKind::CustomType(meta) = &blog.field("meta").expect("meta").kind else {
            panic!("custom type")
        };
        assert!(matches!(meta.items[1].kind, FieldKind::CustomType(_)));
        assert_eq!(blog.identifier_names(), Some(vec!["name"]));
        let ix = blog.indexes.as_ref().expect("indexes");
        assert_eq!(ix.items[0].pk.as_ref().map(|p| p.0.as_str()), Some("name"));
        assert_eq!(
            ix.items[0].name.as_ref().and_then(|n| n.0.as_deref()),
            Some("byName")
        );
        let rules = blog.rules.as_ref().expect("rules");
        assert!(rules.complete);
        assert_eq!(rules.rules.len(), 2);
        assert_eq!(rules.rules[0].effective_provider(), Some("userPools"));
        assert_eq!(rules.rules[0].implied_field(), Some(("owner", false)));
        let groups = &rules.rules[1];
        assert_eq!(groups.effective_provider(), Some("oidc"));
        assert_eq!(groups.groups.as_ref().map(|g| g.items.len()), Some(1));
        assert_eq!(
            groups.to.as_ref().map(|t| t.items[0].0.as_str()),
            Some("read")
        );
        assert_eq!(at(BLOG, groups.call_span), "groups(['ADMINS'], 'oidc')");

        let post = s.model("Post").expect("Post");
        assert!(post.rules.is_none());
        assert_eq!(post.identifier_names(), Some(vec!["id"]));
        let views = post.field("views").expect("views");
        assert_eq!(
            views
                .default
                .as_ref()
                .and_then(|d| d.value.as_ref())
                .and_then(Value::as_num),
            Some(0.0)
        );
        let v = views.validate.as_ref().expect("validate");
        assert_eq!(v.calls[0].name, "gte");
        let FieldKind::Ref(r) = &post.field("status").expect("status").kind else {
            panic!("ref")
        };
        assert_eq!(r.name.as_deref(), Some("Status"));

        let Some(TypeKind::Operation(echo)) = s.get("echo").map(|t| &t.kind) else {
            panic!("op")
        };
        assert_eq!(echo.kind, OpKind::Query);
        let h = echo.handlers.as_ref().expect("handlers");
        assert_eq!(h.items.len(), 2);
        assert_eq!(h.items[1].kind, HandlerKind::Custom);
        assert_eq!(
            h.items[1].entry.as_ref().and_then(|e| e.0.as_deref()),
            Some("./x.js")
        );
        assert!(matches!(
            echo.returns.as_ref().map(|r| &r.field.kind),
            Some(FieldKind::Ref(_))
        ));
        let Some(TypeKind::Operation(sub)) = s.get("onPost").map(|t| &t.kind) else {
            panic!("sub")
        };
        let src = &sub.sources.as_ref().expect("sources").items[0];
        assert_eq!(src.mutations.as_ref().map(|m| m.items.len()), Some(1));
        let Some(TypeKind::Conversation(chat)) = s.get("chat").map(|t| &t.kind) else {
            panic!("conversation")
        };
        let tools = chat.tools.as_ref().expect("tools");
        assert_eq!(
            tools.items[0].name.as_ref().and_then(|n| n.0.as_deref()),
            Some("list_posts")
        );
        assert_eq!(
            tools.items[0]
                .model
                .as_ref()
                .and_then(|m| m.name.as_deref()),
            Some("Post")
        );
        let schema_rules = s.parts[0].rules.as_ref().expect("schema rules");
        assert_eq!(schema_rules.rules[0].name, "resource");
    }

    #[test]
    fn unknown_things_mark_containers_incomplete() {
        let src = r#"import { a } from '@aws-amplify/backend';
import { shared } from './shared';
const schema = a.schema({
  ...shared,
  A: a.model({ ...base, x: a.string() }).authorization((allow) => [allow.owner(), ...more]),
  B: a.model({ y: a.string() }).authorization((allow) => { return [allow.owner()]; }),
  C: someHelper(),
});
"#;
        let s = schema(src);
        assert!(!s.complete());
        let a = s.model("A").expect("A");
        assert!(!a.fields.complete);
        assert_eq!(a.fields.items.len(), 1);
        let r = a.rules.as_ref().expect("rules");
        assert!(!r.complete);
        assert_eq!(r.non_empty(), Some(true));
        let b = s.model("B").expect("B");
        assert_eq!(b.rules.as_ref().and_then(Rules::non_empty), None);
        assert_eq!(s.type_kind("C"), Some(TypeTag::Unknown));
    }

    #[test]
    fn follows_bindings_renamed_and_namespace_imports() {
        let src = r#"import { a as b } from '@aws-amplify/backend';
const Todo = b.model({ done: b.boolean() }).authorization((rule) => [rule.publicApiKey()]);
const schema = b.schema({ Todo });
"#;
        let s = schema(src);
        let todo = s.model("Todo").expect("Todo");
        assert_eq!(todo.fields.items[0].graphql(), Some("Boolean"));
        assert_eq!(
            todo.rules.as_ref().map(|r| r.rules[0].name.as_str()),
            Some("publicApiKey")
        );

        let src = r#"import * as amplify from '@aws-amplify/backend';
const schema = amplify.a.schema({ Note: amplify.a.model({ body: amplify.a.string() }) });
"#;
        let s = schema(src);
        assert_eq!(s.field_names("Note"), ["body"]);
    }

    #[test]
    fn combined_schemas_keep_their_own_rules() {
        let src = r#"import { a, defineData } from '@aws-amplify/backend';
const one = a.schema({ A: a.model({ x: a.string() }) }).authorization((allow) => [allow.guest()]);
const two = a.schema({ B: a.model({ y: a.string() }) });
const combined = a.combine([one, two]);
export const data = defineData({ schema: combined });
"#;
        let s = schema(src);
        assert!(s.combined && s.complete());
        assert_eq!(s.parts.len(), 2);
        assert_eq!(s.get("B").map(|t| t.part), Some(1));
        assert!(s.parts[0].rules.is_some() && s.parts[1].rules.is_none());

        // an unknown schema in the combination makes the whole incomplete
        let src = r#"import { a, defineData } from '@aws-amplify/backend';
import { sqlSchema } from './sql';
const one = a.schema({ A: a.model({ x: a.string() }) });
export const data = defineData({ schema: a.combine([one, sqlSchema]) });
"#;
        let s = schema(src);
        assert!(!s.complete());
        assert_eq!(s.model_names(), ["A"]);
    }

    #[test]
    fn exported_or_unreadable_schemas_are_not_complete() {
        // an exported schema may be combined with others in another file
        let src = "import { a } from '@aws-amplify/backend';\nexport const part = a.schema({ A: a.model({}) });\n";
        let s = schema(src);
        assert!(!s.complete());
        assert_eq!(s.model_names(), ["A"]);
        let src = "import { a } from '@aws-amplify/backend';\nconst part = a.schema({ A: a.model({}) });\n";
        assert!(schema(src).complete());
        // defineData with a schema we cannot read: no guessing from other bindings
        let src = "import { a, defineData } from '@aws-amplify/backend';\nimport { schema } from './schema';\n\
                   const other = a.schema({ A: a.model({}) });\nexport const data = defineData({ schema });\n";
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        let file = FileModel::build(&tree, src, Lang::TypeScript);
        assert!(schema_of(&file).is_none());
    }

    #[test]
    fn no_schema_no_model() {
        let src = "const x = foo.schema({ A: 1 });\nexport const y = 2;\n";
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        let file = FileModel::build(&tree, src, Lang::TypeScript);
        assert!(schema_of(&file).is_none());
    }

    #[test]
    fn deep_inline_custom_types_are_bounded() {
        let mut inner = String::from("a.string()");
        for _ in 0..40 {
            inner = format!("a.customType({{ x: {inner} }})");
        }
        let src = format!("const schema = a.schema({{ T: {inner} }});\n");
        let s = schema(&src);
        let Some(TypeKind::CustomType(mut fields)) = s.get("T").map(|t| t.kind.clone()) else {
            panic!("custom type")
        };
        let mut depth = 0;
        while let Some(FieldKind::CustomType(next)) = fields.items.first().map(|f| f.kind.clone()) {
            fields = next;
            depth += 1;
        }
        assert!(depth <= MAX_NESTING, "{depth}");
    }
}
