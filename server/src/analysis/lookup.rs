//! Interpreting a cursor context against the catalog: which object type, which builder, which `allow` rules,
//! which names are expected. Shared by completion and hover.

use crate::model::catalog::backend::ResourceKind;
use crate::model::catalog::{self, AuthContext, Builder, DataRule, Literal, ObjTy, Ty};
use crate::model::context::{Bracket, ChainLink, Cursor, Label};
use crate::model::file::FileModel;
use crate::model::value::{Kind, Value};

/// Which `define*` call (if any) encloses the cursor, through callbacks too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    Auth,
    Data,
    Storage,
    Function,
    Backend,
    None,
}

pub fn domain(cur: &Cursor) -> Domain {
    for f in &cur.frames {
        if let Label::Call(chain) = &f.label {
            if chain.len() == 1 {
                match chain[0].name.as_str() {
                    "defineAuth" | "referenceAuth" => return Domain::Auth,
                    "defineData" => return Domain::Data,
                    "defineStorage" => return Domain::Storage,
                    "defineFunction" => return Domain::Function,
                    "defineBackend" => return Domain::Backend,
                    "defineConversationHandlerFunction" => return Domain::Function,
                    _ => {}
                }
            }
        }
    }
    if cur
        .frames
        .iter()
        .any(|f| matches!(&f.label, Label::Call(c) if c.first().is_some_and(|l| l.name == "a")))
    {
        return Domain::Data;
    }
    Domain::None
}

/// The quote character the file mostly uses.
pub fn preferred_quote(src: &str) -> char {
    let sample = &src.as_bytes()[..src.len().min(20_000)];
    let single = sample.iter().filter(|&&b| b == b'\'').count();
    let double = sample.iter().filter(|&&b| b == b'"').count();
    if double > single {
        '"'
    } else {
        '\''
    }
}

/// The catalog type of a property path below a `define*` call.
pub fn ty_at(root: &str, path: &[String]) -> Option<Ty> {
    let mut ty = match catalog::call(root) {
        Some(call) => call.arg?,
        None => catalog::builder_arg(root)?,
    };
    for key in path {
        let obj = catalog::object_of(&ty)?;
        ty = match catalog::prop(obj, key) {
            Some(p) => p.ty,
            None => match obj.extra {
                Some(e) if (e.key_ok)(key) => *e.value,
                _ => return None,
            },
        };
    }
    Some(ty)
}

/// The object type whose keys are expected at the cursor.
pub fn object_at_cursor(cur: &Cursor) -> Option<&'static ObjTy> {
    let (root, path) = cur.object_path()?;
    catalog::object_of(&ty_at(&root, &path)?)
}

/// What kind of string a call argument expects.
#[derive(Debug, Clone)]
pub enum StringArg {
    /// Model / custom type / enum names (`a.ref('…')`); models only for relationships.
    TypeName {
        models_only: bool,
    },
    /// Field names of a model (`.identifier(['…'])`, relationship references, `index('…')`), to be read from
    /// the file's schema, after the fields `written` so far when the cursor is inside that model's object (they
    /// are there while the model is half typed and the file's schema does not have it yet).
    FieldOf {
        model: Option<String>,
        written: Vec<String>,
    },
    /// Field names of the model the cursor is in, as written before it (the model's `{ … }` is closed): read
    /// from the text, they need no file model and are there while the model is half typed.
    Fields(std::sync::Arc<[String]>),
    /// Auth group names.
    Group,
    Literals(&'static [Literal]),
    Plain(&'static [&'static str]),
    /// A `defineData({ functions })` key.
    DataFunction,
    SecretName(Option<String>),
}

/// Where the cursor is, as far as values go.
#[derive(Debug, Clone)]
pub enum Place {
    /// The value of a property of a `define*` argument.
    Value {
        ty: Ty,
        key: String,
    },
    /// An element of an array-valued property.
    ArrayElement {
        ty: Ty,
        key: String,
    },
    /// A string argument of a builder call.
    StringArg(StringArg),
    Unknown,
}

/// The place at the cursor (for strings and values).
pub fn place(cur: &Cursor) -> Place {
    let Some(top) = cur.top() else {
        return Place::Unknown;
    };
    // `key: |` or `key: '|'` inside a define argument
    if top.bracket == Bracket::Brace {
        if let (Some(key), Some((root, path))) = (top.value_of.clone(), cur.object_path()) {
            if let Some(ty) = ty_at(&root, &[path, vec![key.clone()]].concat()) {
                return Place::Value { ty, key };
            }
        }
    }
    if top.bracket == Bracket::Square {
        if let Label::Key(key) = &top.label {
            if let Some((root, path)) = cur.object_path() {
                // object_path includes the array's key as the last element
                if let Some(Ty::Arr(inner)) = ty_at(&root, &path) {
                    return Place::ArrayElement {
                        ty: *inner,
                        key: key.clone(),
                    };
                }
                if let Some(ty @ Ty::OneOf(_)) = ty_at(&root, &path) {
                    if let Some(inner) = array_inner(&ty) {
                        return Place::ArrayElement {
                            ty: inner,
                            key: key.clone(),
                        };
                    }
                }
            }
        }
    }
    // string arguments of calls: directly `f('|')` or inside an array `f(['|'])`
    let n = cur.frames.len();
    let (call_frame, in_array) = match top.bracket {
        Bracket::Paren => (n.checked_sub(1), false),
        Bracket::Square if n >= 2 && cur.frames[n - 2].bracket == Bracket::Paren => {
            (Some(n - 2), true)
        }
        _ => (None, false),
    };
    if let Some(i) = call_frame {
        if let Label::Call(chain) = &cur.frames[i].label {
            let arg_index = cur.frames[i].index;
            if let Some(a) = string_arg(cur, i, chain, arg_index, in_array) {
                return Place::StringArg(a);
            }
        }
    }
    Place::Unknown
}

fn array_inner(ty: &Ty) -> Option<Ty> {
    match ty {
        Ty::Arr(inner) => Some(**inner),
        Ty::OneOf(options) => options.iter().find_map(array_inner),
        _ => None,
    }
}

/// The names of the arrow-function parameters in scope at frame `i` (callbacks that enclose it, with braced or
/// expression bodies).
fn arrow_params_before(cur: &Cursor, i: usize) -> Vec<(usize, Vec<String>)> {
    cur.arrow_scopes()
        .into_iter()
        .filter(|(end, _)| *end <= i)
        .map(|(end, ps)| (end, ps.to_vec()))
        .collect()
}

/// The fields of the model the cursor is in: from the text when the model's object is written before the
/// cursor (`a.model({ … }).identifier(['|`), else by name from the file's schema.
fn enclosing_fields(cur: &Cursor, i: usize) -> StringArg {
    for j in (0..=i.min(cur.frames.len().saturating_sub(1))).rev() {
        if let Label::Call(chain) = &cur.frames[j].label {
            if chain.len() >= 2 && chain[0].name == "a" && chain[1].name == "model" {
                if let Some(keys) = &chain[1].first_keys {
                    return StringArg::Fields(keys.clone());
                }
                // inside the model's object: the fields before the cursor, then the schema's
                let written = cur
                    .frames
                    .get(j + 1)
                    .filter(|f| f.bracket == Bracket::Brace)
                    .map(|f| f.keys.clone())
                    .unwrap_or_default();
                return StringArg::FieldOf {
                    model: enclosing_model(cur, i),
                    written,
                };
            }
        }
    }
    StringArg::FieldOf {
        model: enclosing_model(cur, i),
        written: Vec::new(),
    }
}

/// The model whose `a.model(...)` (or `.identifier`, `.secondaryIndexes` ... chain) encloses frame `i`.
fn enclosing_model(cur: &Cursor, i: usize) -> Option<String> {
    for j in (0..=i.min(cur.frames.len().saturating_sub(1))).rev() {
        if let Label::Call(chain) = &cur.frames[j].label {
            if chain.len() >= 2 && chain[0].name == "a" && chain[1].name == "model" {
                // the schema object entry this model is the value of
                if j > 0 {
                    if let Some(k) = &cur.frames[j - 1].value_of {
                        return Some(k.clone());
                    }
                }
            }
        }
    }
    None
}

fn string_arg(
    cur: &Cursor,
    i: usize,
    chain: &[ChainLink],
    arg: usize,
    in_array: bool,
) -> Option<StringArg> {
    let names: Vec<&str> = chain.iter().map(|l| l.name.as_str()).collect();
    let last = *names.last()?;
    let root = names[0];
    let params = arrow_params_before(cur, i);
    let is_param = |name: &str| params.iter().any(|(_, ps)| ps.iter().any(|p| p == name));
    match (root, names.len(), last) {
        ("secret", 1, _) => return Some(StringArg::SecretName(Some(suggested_secret_name(cur)))),
        ("a", 2, "ref") if arg == 0 => return Some(StringArg::TypeName { models_only: false }),
        ("a", 2, "hasMany" | "hasOne" | "belongsTo") => {
            return Some(match arg {
                0 => StringArg::TypeName { models_only: true },
                _ => {
                    if last == "belongsTo" {
                        enclosing_fields(cur, i)
                    } else {
                        StringArg::FieldOf {
                            model: chain[1].first_str.clone(),
                            written: Vec::new(),
                        }
                    }
                }
            })
        }
        ("a", 3, "model") if names[1] == "ai" => {
            return Some(StringArg::Literals(catalog::AI_MODELS))
        }
        ("a", 3, "function") if names[1] == "handler" => return Some(StringArg::DataFunction),
        _ => {}
    }
    match last {
        "identifier" | "sortKeys" if in_array || arg == 0 => Some(enclosing_fields(cur, i)),
        "disableOperations" => Some(StringArg::Literals(catalog::DISABLE_OPERATIONS)),
        "mutations" => Some(StringArg::Literals(catalog::SUBSCRIPTION_MUTATIONS)),
        "projection" if arg == 0 => Some(StringArg::Literals(catalog::INDEX_PROJECTIONS)),
        "ownerDefinedIn" | "ownersDefinedIn" | "groupDefinedIn" | "groupsDefinedIn" if arg == 0 => {
            Some(enclosing_fields(cur, i))
        }
        "groups" | "group" if is_param(root) && arg == 0 => Some(StringArg::Group),
        "entity" if is_param(root) => Some(StringArg::Plain(&["identity"])),
        _ if is_param(root) && names.len() == 1 && arg == 0 && domain(cur) != Domain::Data => None,
        "to" if is_param(root) => Some(match domain(cur) {
            Domain::Storage => StringArg::Literals(catalog::STORAGE_ACTIONS),
            Domain::Auth => StringArg::Literals(catalog::AUTH_ACCESS_ACTIONS),
            _ => {
                if names.get(1) == Some(&"resource") {
                    StringArg::Literals(catalog::RESOURCE_OPERATIONS)
                } else {
                    StringArg::Literals(catalog::DATA_OPERATIONS)
                }
            }
        }),
        _ if is_param(root) && names.len() == 2 => {
            // a provider argument: allow.owner('|'), allow.authenticated('|')
            let rule = catalog::data_rule(last)?;
            (!rule.providers.is_empty()).then_some(StringArg::Plain(rule.providers))
        }
        _ if names.len() == 1 && names[0] == "index" || (is_param(root) && names.len() == 1) => {
            // `index('|')` in secondaryIndexes
            let in_indexes = cur.frames[..i].iter().any(
                |f| matches!(&f.label, Label::Call(c) if c.last().is_some_and(|l| l.name == "secondaryIndexes")),
            );
            in_indexes.then(|| enclosing_fields(cur, i))
        }
        _ => None,
    }
}

/// A SCREAMING_SNAKE secret name derived from the property being written (e.g. `GOOGLE_CLIENT_SECRET`).
pub fn suggested_secret_name(cur: &Cursor) -> String {
    let mut key = None;
    let mut context = String::new();
    for f in cur.frames.iter().rev() {
        if f.bracket == Bracket::Brace {
            if key.is_none() {
                key = f.value_of.clone();
            }
            if let Label::Key(k) = &f.label {
                context = k.clone();
                break;
            }
        }
        if let Label::Call(c) = &f.label {
            if c.len() == 1 && c[0].name == "secret" {
                continue;
            }
        }
    }
    let key = key.unwrap_or_else(|| "value".to_string());
    crate::analysis::rules::validators::secret_name(&context, &key)
}

/// Whether the cursor is a function's `schedule` value.
pub fn is_schedule(cur: &Cursor) -> bool {
    cur.object_path().is_some_and(|(root, path)| {
        root == "defineFunction"
            && (cur.top().and_then(|f| f.value_of.as_deref()) == Some("schedule")
                || path.last().is_some_and(|p| p == "schedule"))
    })
}

/// The validators to offer after `v.`: those of the field's type (all of them when the type is unknown), minus
/// the ones already called and the ones they exclude.
pub fn validators_offered(
    factory: Option<&str>,
    used: &[String],
) -> Vec<&'static catalog::Modifier> {
    let applicable = factory.and_then(catalog::schema::validators_for_factory);
    catalog::VALIDATORS
        .iter()
        .filter(|v| applicable.is_none_or(|a| a.contains(&v.name)))
        .filter(|v| {
            !used
                .iter()
                .any(|u| u == v.name || catalog::schema::validator_excluded_by(u) == Some(v.name))
        })
        .collect()
}

/// Whether Amplify's types hide the scalar-field modifier `name` after the modifiers already used (`is_used`)
/// on a field made by `factory`: `.validate()` after `.array()` or on a type without validators, `.array()`
/// and `.default()` after `.validate()`.
pub fn scalar_modifier_hidden(
    name: &str,
    factory: Option<&str>,
    is_used: &dyn Fn(&str) -> bool,
) -> bool {
    match name {
        "validate" => {
            is_used("array")
                || factory
                    .and_then(catalog::schema::validators_for_factory)
                    .is_some_and(|v| v.is_empty())
        }
        "array" | "default" => is_used("validate"),
        _ => false,
    }
}

/// What a member chain before a `.` designates.
#[derive(Debug, Clone)]
pub enum ChainTarget {
    /// A namespace of the schema builder (`a`, `a.handler`, `a.ai`), with the builders relevant here.
    Namespace(Builder, Option<&'static [Builder]>),
    /// A builder result with the modifiers already used.
    Builder(Builder, Vec<String>),
    /// `v.` in `.validate(v => ...)`: the scalar factory of the field (`string`, `integer`, ...) when the chain
    /// starts at `a`, and the validators already called on `v`.
    Validators {
        factory: Option<String>,
        used: Vec<String>,
    },
    /// `allow.` in a data authorization callback of this context.
    DataRules(AuthContext),
    /// `allow.owner().` — the rule's chain methods.
    RuleChain(&'static DataRule, AuthContext, Vec<String>),
    /// `allow.` in defineStorage access.
    StorageRules,
    /// `allow.guest.` etc. in storage — only `.to()`.
    To(Domain),
    /// `allow.` in defineAuth access.
    AuthAccess,
    /// `backend.` in backend.ts.
    BackendMembers,
    /// `backend.<key>.…` : the names after `backend` (the resource key first).
    BackendPath(Vec<String>),
}

const SCHEMA_TYPES: &[Builder] = &[
    Builder::Model,
    Builder::CustomType,
    Builder::Enum,
    Builder::Query,
    Builder::Mutation,
    Builder::Subscription,
    Builder::Generation,
    Builder::Conversation,
];
const FIELD_TYPES: &[Builder] = &[
    Builder::Scalar,
    Builder::Ref,
    Builder::HasOne,
    Builder::HasMany,
    Builder::BelongsTo,
    Builder::Enum,
    Builder::CustomType,
];
/// Fields of a custom type: no relationships (`CustomTypeFields` in data-schema).
const CUSTOM_TYPE_FIELD_TYPES: &[Builder] = &[
    Builder::Scalar,
    Builder::Ref,
    Builder::Enum,
    Builder::CustomType,
];
const ARG_TYPES: &[Builder] = &[
    Builder::Scalar,
    Builder::Ref,
    Builder::Enum,
    Builder::CustomType,
];

/// The authorization context of the `.authorization(` call frame `chain`.
fn auth_context(chain: &[ChainLink]) -> AuthContext {
    let Some(first) = chain.first() else {
        return AuthContext::Schema;
    };
    if first.name != "a" {
        return AuthContext::Schema;
    }
    match chain.get(1).map(|l| l.name.as_str()) {
        Some("schema" | "combine") => AuthContext::Schema,
        Some("model") => AuthContext::Model,
        Some("ref" | "hasOne" | "hasMany" | "belongsTo") => AuthContext::RefField,
        Some("query" | "mutation" | "subscription" | "generation") => AuthContext::Operation,
        Some("conversation") => AuthContext::Conversation,
        _ => AuthContext::Field,
    }
}

/// Evaluates a schema-builder chain rooted at `a`: the builder it produces and the modifiers used.
pub fn eval_builder(chain: &[ChainLink]) -> Option<(Builder, bool, Vec<String>)> {
    let mut cur = Builder::A;
    let mut ns = true;
    let mut used = Vec::new();
    for link in chain.iter().skip(1) {
        if ns {
            let m = catalog::member(cur, &link.name)?;
            if m.is_namespace {
                cur = m.produces;
            } else {
                cur = m.produces;
                ns = false;
            }
        } else {
            let m = catalog::modifier(cur, &link.name)?;
            used.push(link.name.clone());
            if let Some(p) = m.produces {
                cur = p;
            }
        }
    }
    Some((cur, ns, used))
}

/// Interprets the chain before the cursor's `.`.
pub fn chain_target(cur: &Cursor) -> Option<ChainTarget> {
    let chain = &cur.chain;
    let root = chain.first()?;
    // callback parameters: allow / index / validators
    for (i, params) in cur.arrow_scopes() {
        if !params.contains(&root.name) {
            continue;
        }
        // the call this callback is an argument of
        let call = cur.frames[..i].iter().rev().find_map(|f| match &f.label {
            Label::Call(c) => Some(c.clone()),
            _ => None,
        });
        // the property this callback is the value of (`access: (allow) => ...`)
        let key = cur.frames[..i]
            .iter()
            .rev()
            .find_map(|f| f.value_of.clone());
        let call_last = call.as_ref().and_then(|c| c.last()).map(|l| l.name.clone());
        match call_last.as_deref() {
            Some("authorization") => {
                let ctx = auth_context(call.as_deref().unwrap_or(&[]));
                if chain.len() == 1 {
                    return Some(ChainTarget::DataRules(ctx));
                }
                let rule = catalog::data_rule(&chain[1].name)?;
                let used = chain[2..].iter().map(|l| l.name.clone()).collect();
                return Some(ChainTarget::RuleChain(rule, ctx, used));
            }
            Some("secondaryIndexes") => {
                if chain.len() >= 2 || root.called {
                    let used = chain[1..].iter().map(|l| l.name.clone()).collect();
                    return Some(ChainTarget::Builder(Builder::Index, used));
                }
                return None;
            }
            Some("validate") => {
                // the field chain the validate call hangs on: `a.string().required().validate(`
                let factory = call
                    .as_ref()
                    .and_then(|c| (c.len() >= 2 && c[0].name == "a").then(|| c[1].name.clone()));
                let used = chain[1..].iter().map(|l| l.name.clone()).collect();
                return Some(ChainTarget::Validators { factory, used });
            }
            _ => {}
        }
        match domain(cur) {
            Domain::Storage if key.as_deref() == Some("access") || call_last.is_none() => {
                return Some(if chain.len() == 1 {
                    ChainTarget::StorageRules
                } else {
                    ChainTarget::To(Domain::Storage)
                });
            }
            Domain::Auth => {
                return Some(if chain.len() == 1 {
                    ChainTarget::AuthAccess
                } else {
                    ChainTarget::To(Domain::Auth)
                });
            }
            Domain::Storage => {
                return Some(if chain.len() == 1 {
                    ChainTarget::StorageRules
                } else {
                    ChainTarget::To(Domain::Storage)
                });
            }
            Domain::Data => {
                // `schema.authorization(allow => ...)` through a variable
                if chain.len() == 1 {
                    return Some(ChainTarget::DataRules(AuthContext::Schema));
                }
                let rule = catalog::data_rule(&chain[1].name)?;
                let used = chain[2..].iter().map(|l| l.name.clone()).collect();
                return Some(ChainTarget::RuleChain(rule, AuthContext::Schema, used));
            }
            _ => {}
        }
    }
    if root.name == "a" {
        let (b, ns, used) = eval_builder(chain)?;
        if ns {
            let filter = if b == Builder::A { a_filter(cur) } else { None };
            return Some(ChainTarget::Namespace(b, filter));
        }
        return Some(ChainTarget::Builder(b, used));
    }
    // `configure({...}).schema({...}).setAuthorization(...)` of a generated SQL schema
    if root.name == "configure" && chain.get(1).is_some_and(|l| l.name == "schema") {
        return sql_schema_chain(&chain[2..]);
    }
    if root.name == "backend" {
        return Some(if chain.len() == 1 {
            ChainTarget::BackendMembers
        } else {
            ChainTarget::BackendPath(chain[1..].iter().map(|l| l.name.clone()).collect())
        });
    }
    None
}

/// The modifiers used on a SQL schema, when each of them is one.
fn sql_schema_chain(links: &[ChainLink]) -> Option<ChainTarget> {
    let mut used = Vec::new();
    for l in links {
        catalog::modifier(Builder::SqlSchema, &l.name)?;
        used.push(l.name.clone());
    }
    Some(ChainTarget::Builder(Builder::SqlSchema, used))
}

/// [`chain_target`], plus chains on a name imported from a generated SQL schema module (`./schema.sql`):
/// `schema.setAuthorization(...)`.
pub fn chain_target_in(cur: &Cursor, file: Option<&FileModel>) -> Option<ChainTarget> {
    chain_target(cur).or_else(|| sql_chain_target(cur, || file))
}

/// The target of a chain on a schema imported from a generated SQL schema file, asking for the file model
/// (`file`) only when the chain has a root whose import it must look at.
pub fn sql_chain_target<'f>(
    cur: &Cursor,
    file: impl FnOnce() -> Option<&'f FileModel>,
) -> Option<ChainTarget> {
    let root = cur.chain.first()?;
    let file = file()?;
    let from_sql = file.imports.iter().any(|i| {
        !i.type_only && i.source.ends_with(".sql") && i.names.iter().any(|n| n.local == root.name)
    });
    if !from_sql {
        return None;
    }
    sql_schema_chain(&cur.chain[1..])
}

/// The resources of the file's `defineBackend({...})`: each key with the kind of resource behind it, read from
/// the import of its value (`./auth/resource`, `./functions/x/resource`) or, without one, from the key.
pub fn backend_resources(file: Option<&FileModel>) -> Vec<(String, ResourceKind)> {
    let Some(file) = file else {
        return Vec::new();
    };
    let Some(arg) = file
        .defines
        .iter()
        .find(|d| d.kind == crate::model::file::DefineKind::Backend)
        .and_then(|d| d.arg.as_ref())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for p in arg.as_object().unwrap_or(&[]) {
        let Some(key) = p.key.clone() else { continue };
        if !catalog::backend::is_backend_key(&key) {
            continue;
        }
        let local = p.value.as_ident().unwrap_or(&key);
        let source = file
            .imports
            .iter()
            .find(|i| i.names.iter().any(|n| n.local == local))
            .map(|i| i.source.as_str());
        let kind_of = |s: &str| {
            let s = s.to_ascii_lowercase();
            if s.contains("auth") {
                Some(ResourceKind::Auth)
            } else if s.contains("data") {
                Some(ResourceKind::Data)
            } else if s.contains("storage") {
                Some(ResourceKind::Storage)
            } else if s.contains("function") {
                Some(ResourceKind::Function)
            } else {
                None
            }
        };
        let by_key = match key.as_str() {
            "auth" => Some(ResourceKind::Auth),
            "data" => Some(ResourceKind::Data),
            "storage" => Some(ResourceKind::Storage),
            _ => None,
        };
        let kind = source
            .and_then(kind_of)
            .or(by_key)
            .unwrap_or(ResourceKind::Function);
        out.push((key.to_string(), kind));
    }
    out
}

/// The members after `backend.<key>.<path…>.`, and the member named by the last element when asked for hovers.
pub fn backend_members(
    file: Option<&FileModel>,
    path: &[String],
) -> Option<&'static [catalog::backend::ResourceMember]> {
    let (key, rest) = path.split_first()?;
    let kind = backend_resources(file)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, k)| k)?;
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    catalog::backend::members_at(kind, &rest)
}

/// Which `a.` members fit where the cursor is.
fn a_filter(cur: &Cursor) -> Option<&'static [Builder]> {
    // the innermost call whose argument object we are a value in
    for f in cur.frames.iter().rev() {
        if let Label::Call(c) = &f.label {
            let names: Vec<&str> = c.iter().map(|l| l.name.as_str()).collect();
            return match names.as_slice() {
                ["a", "schema"] => Some(SCHEMA_TYPES),
                ["a", "model"] => Some(FIELD_TYPES),
                ["a", "customType"] => Some(CUSTOM_TYPE_FIELD_TYPES),
                [.., "arguments"] => Some(ARG_TYPES),
                [.., "returns"] => Some(ARG_TYPES),
                _ => None,
            };
        }
    }
    None
}

/// The `a.schema({...})` object of a file: `defineData({ schema })` or a top-level `a.schema(...)` binding.
pub fn schema_object(file: &FileModel) -> Option<&Value> {
    let mut candidates: Vec<&Value> = Vec::new();
    for b in &file.bindings {
        if let Some(v) = &b.value {
            candidates.push(v);
        }
    }
    for d in &file.defines {
        if let Some(s) = d.arg.as_ref().and_then(|a| a.field("schema")) {
            candidates.push(file.resolve(s));
        }
    }
    for v in candidates {
        if let Some(obj) = schema_call_object(v) {
            return Some(obj);
        }
    }
    None
}

fn schema_call_object(v: &Value) -> Option<&Value> {
    let chain = v.chain()?;
    if chain.root != "a" {
        return None;
    }
    let args = chain.links.iter().find(|l| l.name == "schema")?.args?;
    let obj = args.first()?;
    matches!(obj.kind, Kind::Object(_)).then_some(obj)
}

/// Type names of the file's schema (models only when asked).
pub fn type_names(file: Option<&FileModel>, models_only: bool) -> Vec<String> {
    schema_types(file)
        .filter(|(_, model)| *model || !models_only)
        .map(|(name, _)| name.to_string())
        .collect()
}

/// One type of the file's schema, as completion lists it: its name, and whether it is a model (else a custom
/// type or an enum).
pub type SchemaType = (String, bool);

/// The types of the file's schema (models, custom types and enums), in the order written: each name, and
/// whether it is a model. Nothing is copied: a thousand models' names need not be allocated to learn that they
/// did not change.
pub fn schema_types(file: Option<&FileModel>) -> impl Iterator<Item = (&str, bool)> {
    file.and_then(schema_object)
        .and_then(Value::as_object)
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| {
            let name = p.key.as_deref()?;
            match p.value.first_link_from("a")? {
                "model" => Some((name, true)),
                "customType" | "enum" => Some((name, false)),
                _ => None,
            }
        })
}

/// Whether `known` lists the same types, in the same order, as `now`.
pub fn same_types<'a>(
    known: &[SchemaType],
    mut now: impl Iterator<Item = (&'a str, bool)>,
) -> bool {
    known
        .iter()
        .all(|(name, model)| now.next() == Some((name.as_str(), *model)))
        && now.next().is_none()
}

/// The types of a document's schema as one of its versions had them, with that version's text (see
/// [`crate::analysis::completion::CompletionOptions::recent_types`]).
#[derive(Debug, Clone)]
pub struct RecentTypes {
    pub text: std::sync::Arc<String>,
    pub types: std::sync::Arc<[SchemaType]>,
}

/// The names of `types`, of the models only when `models_only`.
pub fn names_of(types: &[SchemaType], models_only: bool) -> Vec<String> {
    types
        .iter()
        .filter(|(_, model)| *model || !models_only)
        .map(|(name, _)| name.clone())
        .collect()
}

/// Field names of model `model` in the file's schema.
pub fn field_names(file: Option<&FileModel>, model: &str) -> Vec<String> {
    let Some(obj) = file.and_then(schema_object) else {
        return Vec::new();
    };
    let Some(m) = obj.field(model) else {
        return Vec::new();
    };
    let Some(chain) = m.chain() else {
        return Vec::new();
    };
    let Some(fields) = chain.arg("model").and_then(Value::as_object) else {
        return Vec::new();
    };
    fields
        .iter()
        .filter_map(|p| p.key.as_ref().map(|k| k.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::context::cursor_at;

    fn cur(fixture: &str) -> Cursor {
        let i = fixture.find("$0").expect("marker");
        let src = format!("{}{}", &fixture[..i], &fixture[i + 2..]);
        cursor_at(&src, i)
    }

    /// The kept list of types is the same only when every name and kind is, in order, and none is added.
    #[test]
    fn type_lists_compare_in_place() {
        let known: Vec<SchemaType> = vec![("Todo".into(), true), ("Status".into(), false)];
        let same = [("Todo", true), ("Status", false)];
        assert!(same_types(&known, same.into_iter()));
        assert!(!same_types(&known, [("Todo", true)].into_iter()));
        assert!(!same_types(
            &known,
            [("Todo", true), ("Status", true)].into_iter()
        ));
        assert!(!same_types(
            &known,
            [("Todo", true), ("Status", false), ("Post", true)].into_iter()
        ));
        assert!(!same_types(
            &known,
            [("Status", false), ("Todo", true)].into_iter()
        ));
        assert!(same_types(&[], std::iter::empty()));
    }

    #[test]
    fn builder_chains() {
        let c = cur("a.schema({ T: a.model({ x: a.string().required().$0");
        match chain_target(&c) {
            Some(ChainTarget::Builder(Builder::Scalar, used)) => assert_eq!(used, ["required"]),
            other => panic!("{other:?}"),
        }
        let c = cur("a.schema({ T: a.$0");
        assert!(matches!(
            chain_target(&c),
            Some(ChainTarget::Namespace(Builder::A, Some(_)))
        ));
        let c = cur("a.model({}).authorization((allow) => [allow.$0");
        assert!(matches!(
            chain_target(&c),
            Some(ChainTarget::DataRules(AuthContext::Model))
        ));
        let c = cur("a.query().authorization(allow => [allow.$0");
        assert!(matches!(
            chain_target(&c),
            Some(ChainTarget::DataRules(AuthContext::Operation))
        ));
        let c = cur("a.model({}).authorization((allow) => [allow.owner().$0");
        assert!(
            matches!(chain_target(&c), Some(ChainTarget::RuleChain(r, AuthContext::Model, _)) if r.name == "owner")
        );
        let c = cur("defineStorage({ name: 'x', access: (allow) => ({ 'a/*': [allow.$0");
        assert!(matches!(chain_target(&c), Some(ChainTarget::StorageRules)));
        let c = cur("defineStorage({ name: 'x', access: (allow) => ({ 'a/*': [allow.guest.$0");
        assert!(matches!(
            chain_target(&c),
            Some(ChainTarget::To(Domain::Storage))
        ));
    }

    #[test]
    fn expression_bodied_callbacks() {
        let c = cur("a.schema({ T: a.model({ x: a.string().validate(v => v.$0) }) })");
        match chain_target(&c) {
            Some(ChainTarget::Validators { factory, used }) => {
                assert_eq!(factory.as_deref(), Some("string"));
                assert!(used.is_empty());
            }
            other => panic!("{other:?}"),
        }
        let c = cur("a.integer().required().validate(n => n.gt(0).lte(9).$0)");
        match chain_target(&c) {
            Some(ChainTarget::Validators { factory, used }) => {
                assert_eq!(factory.as_deref(), Some("integer"));
                assert_eq!(used, ["gt", "lte"]);
            }
            other => panic!("{other:?}"),
        }
        let c = cur("a.conversation({}).authorization(allow => allow.$0)");
        assert!(matches!(
            chain_target(&c),
            Some(ChainTarget::DataRules(AuthContext::Conversation))
        ));
        let c = cur("a.generation({}).authorization(x => x.$0)");
        assert!(matches!(
            chain_target(&c),
            Some(ChainTarget::DataRules(AuthContext::Operation))
        ));
        let c = cur("a.model({}).authorization(allow => allow.owner().$0)");
        assert!(
            matches!(chain_target(&c), Some(ChainTarget::RuleChain(r, AuthContext::Model, _)) if r.name == "owner")
        );
        let c = cur("a.model({ f: a.string() }).secondaryIndexes(index => index('f').$0)");
        assert!(matches!(
            chain_target(&c),
            Some(ChainTarget::Builder(Builder::Index, _))
        ));
        let c = cur("a.model({ f: a.string() }).secondaryIndexes(i => i('f').sortKeys(['x']).$0)");
        match chain_target(&c) {
            Some(ChainTarget::Builder(Builder::Index, used)) => assert_eq!(used, ["sortKeys"]),
            other => panic!("{other:?}"),
        }
        // string arguments inside expression bodies
        let c = cur("a.model({}).authorization(allow => allow.publicApiKey().to(['$0']))");
        assert!(matches!(
            place(&c),
            Place::StringArg(StringArg::Literals(_))
        ));
        let c = cur(
            "a.schema({ Post: a.model({ f: a.string() }).secondaryIndexes(index => index('$0')) })",
        );
        match place(&c) {
            Place::StringArg(StringArg::Fields(f)) => assert_eq!(&*f, ["f"]),
            other => panic!("{other:?}"),
        }
        let c = cur("defineStorage({ name: 'x', access: allow => ({ 'a/*': [allow.$0] }) })");
        assert!(matches!(chain_target(&c), Some(ChainTarget::StorageRules)));
    }

    #[test]
    fn builder_object_arguments() {
        let keys = |fixture: &str| -> Vec<&str> {
            object_at_cursor(&cur(fixture))
                .map(|o| o.props.iter().map(|p| p.name).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            keys("a.schema({ chat: a.conversation({ $0 }) })"),
            [
                "aiModel",
                "systemPrompt",
                "inferenceConfiguration",
                "tools",
                "handler"
            ]
        );
        assert_eq!(
            keys("a.generation({ aiModel: a.ai.model('x'), inferenceConfiguration: { $0 } })"),
            ["maxTokens", "temperature", "topP"]
        );
        assert_eq!(
            keys("a.conversation({ aiModel: { $0 } })"),
            ["resourcePath"]
        );
        assert_eq!(
            keys("a.conversation({ tools: [a.ai.dataTool({ $0 })] })"),
            ["name", "description", "model", "modelOperation", "query"]
        );
        assert_eq!(
            keys("a.query().handler(a.handler.custom({ $0 }))"),
            ["entry", "dataSource"]
        );
        assert_eq!(
            keys("defineConversationHandlerFunction({ models: [{ $0 }] })"),
            ["modelId", "region"]
        );
        assert_eq!(
            keys("defineConversationHandlerFunction({ logging: { $0 } })"),
            ["level", "retention"]
        );
        // not through other calls
        assert!(keys("a.conversation({ aiModel: a.ai.model({ $0 }) })").is_empty());
        let c = cur("a.ai.dataTool({ modelOperation: '$0' })");
        assert!(matches!(
            place(&c),
            Place::Value {
                ty: Ty::StrLit(&["list"]),
                ..
            }
        ));
    }

    #[test]
    fn validators_by_field_type_without_used_ones() {
        let names = |f: Option<&str>, used: &[&str]| -> Vec<&str> {
            let used: Vec<String> = used.iter().map(|u| u.to_string()).collect();
            validators_offered(f, &used)
                .iter()
                .map(|m| m.name)
                .collect()
        };
        assert_eq!(
            names(Some("string"), &[]),
            [
                "minLength",
                "maxLength",
                "startsWith",
                "endsWith",
                "matches"
            ]
        );
        assert_eq!(
            names(Some("float"), &[]),
            ["gt", "lt", "gte", "lte", "positive", "negative"]
        );
        assert!(names(Some("boolean"), &[]).is_empty());
        assert!(names(Some("id"), &[]).is_empty());
        assert_eq!(names(None, &[]).len(), 11);
        assert_eq!(
            names(Some("string"), &["minLength", "matches"]),
            ["maxLength", "startsWith", "endsWith"]
        );
        assert_eq!(names(Some("integer"), &["gt", "negative"]), ["gte", "lte"]);
        assert_eq!(
            names(Some("integer"), &["positive"]),
            ["lt", "gte", "lte", "negative"]
        );
        let hidden = |name: &str, f: Option<&str>, used: &[&str]| {
            scalar_modifier_hidden(name, f, &|n: &str| used.contains(&n))
        };
        assert!(hidden("validate", Some("string"), &["array"]));
        assert!(hidden("validate", Some("boolean"), &[]));
        assert!(!hidden("validate", Some("string"), &["required"]));
        assert!(!hidden("validate", None, &[]));
        assert!(hidden("array", Some("string"), &["validate"]));
        assert!(hidden("default", Some("integer"), &["validate"]));
        assert!(!hidden("default", Some("integer"), &["array"]));
    }

    #[test]
    fn a_members_fit_their_place() {
        let c = cur("a.schema({ T: a.model({ x: a.$0 }) })");
        let Some(ChainTarget::Namespace(Builder::A, Some(f))) = chain_target(&c) else {
            panic!()
        };
        assert!(f.contains(&Builder::HasMany));
        let c = cur("a.schema({ T: a.customType({ x: a.$0 }) })");
        let Some(ChainTarget::Namespace(Builder::A, Some(f))) = chain_target(&c) else {
            panic!()
        };
        assert!(!f.contains(&Builder::HasMany) && !f.contains(&Builder::BelongsTo));
        assert!(f.contains(&Builder::Scalar) && f.contains(&Builder::Ref));
        let c = cur("a.schema({ Q: a.query().handler(a.$0) })");
        assert!(matches!(
            chain_target(&c),
            Some(ChainTarget::Namespace(Builder::A, None))
        ));
    }

    #[test]
    fn places() {
        let c = cur("defineFunction({ architecture: '$0' })");
        assert!(matches!(
            place(&c),
            Place::Value {
                ty: Ty::StrLit(_),
                ..
            }
        ));
        let c = cur("defineAuth({ loginWith: { externalProviders: { scopes: ['$0'] } } })");
        assert!(
            matches!(place(&c), Place::ArrayElement { .. }),
            "{:?}",
            place(&c)
        );
        let c = cur("a.model({}).authorization(allow => [allow.publicApiKey().to(['$0'])])");
        assert!(matches!(
            place(&c),
            Place::StringArg(StringArg::Literals(_))
        ));
        let c = cur(
            "a.schema({ Post: a.model({ authorId: a.id(), author: a.belongsTo('User', '$0') }) })",
        );
        match place(&c) {
            Place::StringArg(StringArg::FieldOf {
                model: Some(m),
                written,
            }) => {
                assert_eq!(m, "Post");
                assert_eq!(written, ["authorId", "author"]);
            }
            other => panic!("{other:?}"),
        }
    }

    /// The fields of the model the cursor is in, read from the text (`StringArg::Fields`), are the fields the
    /// file model lists for it: for every model of every schema among the fixtures and examples, after
    /// `.identifier(['`, `.secondaryIndexes((index) => [index('` and `.authorization((allow) =>
    /// [allow.ownerDefinedIn('` written right after the model's `a.model({ … })`.
    #[test]
    fn fields_read_from_the_text_are_the_fields_of_the_model() {
        use crate::model::file::FileModel;
        use crate::syntax::{parse, Lang};
        let mut models = 0;
        for (p, src) in crate::testing::fixture_sources() {
            let Some(tree) = parse(&src, Lang::TypeScript, None) else {
                continue;
            };
            let file = FileModel::build(&tree, &src, Lang::TypeScript);
            for name in type_names(Some(&file), true) {
                let Some(entry) = schema_object(&file).and_then(|o| o.field(&name)) else {
                    continue;
                };
                let Some(end) = entry.chain().and_then(|c| c.link("model").map(|l| l.end)) else {
                    continue;
                };
                let expected = field_names(Some(&file), &name);
                for tail in [
                    ".identifier(['",
                    ".secondaryIndexes((index) => [index('",
                    ".authorization((allow) => [allow.ownerDefinedIn('",
                ] {
                    let text = format!("{}{tail}", &src[..end]);
                    let c = cursor_at(&text, text.len());
                    match place(&c) {
                        Place::StringArg(StringArg::Fields(f)) => {
                            assert_eq!(&*f, expected, "{} {name} {tail}", p.display())
                        }
                        other => panic!("{} {name} {tail}: {other:?}", p.display()),
                    }
                }
                models += 1;
            }
        }
        assert!(models > 50, "only {models} models found in the fixtures");
        // written in every way an object's key can be: shorthand, quoted, numeric, after a spread
        let src = "const title = a.string();\nconst s = a.schema({ T: a.model({ title, 'body': a.string(), \
                   ...common, 2: a.id(), n }) });";
        let tree = parse(src, Lang::TypeScript, None).expect("parses");
        let file = FileModel::build(&tree, src, Lang::TypeScript);
        let end = src.find("}) }").expect("the model's end") + 2;
        let text = format!("{}.identifier(['", &src[..end]);
        match place(&cursor_at(&text, text.len())) {
            Place::StringArg(StringArg::Fields(f)) => {
                assert_eq!(&*f, ["title", "body", "2", "n"]);
                assert_eq!(&*f, field_names(Some(&file), "T"));
            }
            other => panic!("{other:?}"),
        }
    }
}
