//! Document symbols, workspace symbols, code lenses and inlay hints, as plain data.
//!
//! Symbols follow the shape of each `define*` call: the resource, then what matters inside it (auth groups and
//! triggers, schema models with their fields, storage paths with their principals, function settings). Code
//! lenses summarise who may do what on each model and storage path; inlay hints show the defaults Amplify
//! applies for settings left out.

use std::path::Path;

use crate::model::catalog::{self, Ty};
use crate::model::file::{Define, DefineKind, FileModel};
use crate::model::project::ProjectFacts;
use crate::model::schema::{
    schema_of, Field, FieldKind, Fields, OpKind, Provider, Rule, Rules, Schema, TypeKind,
};
use crate::model::value::{Kind, Value};
use crate::text::Span;

/// What a symbol is (mapped onto the protocol's symbol kinds by the protocol layer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymKind {
    Module,
    Namespace,
    Class,
    Struct,
    Enum,
    EnumMember,
    Field,
    Property,
    Method,
    Function,
    Event,
    Key,
    Constant,
    Object,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymKind,
    /// The whole construct.
    pub span: Span,
    /// The name (inside `span`).
    pub selection: Span,
    pub children: Vec<DocSymbol>,
}

impl DocSymbol {
    fn new(name: impl Into<String>, kind: SymKind, span: Span, selection: Span) -> Self {
        let selection = if span.start <= selection.start && selection.end <= span.end {
            selection
        } else {
            Span::new(span.start, span.start)
        };
        DocSymbol {
            name: name.into(),
            detail: None,
            kind,
            span,
            selection,
            children: Vec::new(),
        }
    }
    fn detail(mut self, d: impl Into<String>) -> Self {
        let d = d.into();
        self.detail = (!d.is_empty()).then_some(d);
        self
    }
    fn children(mut self, c: Vec<DocSymbol>) -> Self {
        self.children = c;
        self
    }
}

/// The text of a span, on one line and shortened.
fn snippet(text: &str, sp: Span) -> String {
    let s = text.get(sp.start..sp.end).unwrap_or("");
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 48 {
        let cut: String = one.chars().take(45).collect();
        format!("{cut}...")
    } else {
        one
    }
}

/// The symbols of one file. `path` is used to name functions after their folder.
pub fn document_symbols(text: &str, file: &FileModel, path: Option<&Path>) -> Vec<DocSymbol> {
    let mut out = Vec::new();
    let schema = schema_of(file);
    if let Some(s) = &schema {
        out.push(schema_symbol(file, s));
    }
    for (i, d) in file.defines.iter().enumerate() {
        let binding = file.bindings.iter().find(|b| b.define == Some(i));
        let (name, selection, start) = match binding {
            Some(b) => (b.name.clone(), b.name_span, b.name_span.start),
            None => (
                d.kind.callee().to_string(),
                d.callee_span,
                d.call_span.start,
            ),
        };
        let span = Span::new(start, d.call_span.end);
        let arg = d.arg.as_ref().map(|a| file.resolve(a));
        let sym = DocSymbol::new(name, SymKind::Module, span, selection);
        let sym = match d.kind {
            DefineKind::Auth | DefineKind::ReferenceAuth => sym
                .detail(d.kind.callee())
                .children(auth_children(text, file, arg)),
            DefineKind::Data => sym
                .detail("defineData")
                .children(data_children(text, file, arg)),
            DefineKind::Storage => {
                let bucket = arg
                    .and_then(|a| a.field("name"))
                    .and_then(|n| file.resolve(n).as_str())
                    .map(|n| format!("defineStorage '{n}'"))
                    .unwrap_or_else(|| "defineStorage".to_string());
                sym.detail(bucket)
                    .children(storage_children(text, file, arg))
            }
            DefineKind::Function => {
                let name = function_name(file, d, path)
                    .map(|n| format!("defineFunction '{n}'"))
                    .unwrap_or_else(|| "defineFunction".to_string());
                sym.detail(name).children(settings(text, file, arg))
            }
            DefineKind::ConversationHandler => {
                let name = arg
                    .and_then(|a| a.field("name"))
                    .and_then(|n| file.resolve(n).as_str())
                    .map(|n| format!("defineConversationHandlerFunction '{n}'"))
                    .unwrap_or_else(|| "defineConversationHandlerFunction".to_string());
                sym.detail(name).children(settings(text, file, arg))
            }
            DefineKind::Backend => sym
                .detail("defineBackend")
                .children(backend_children(text, arg)),
        };
        out.push(sym);
    }
    out.sort_by_key(|s| s.span.start);
    out
}

fn function_name(file: &FileModel, d: &Define, path: Option<&Path>) -> Option<String> {
    let arg = d.arg.as_ref().map(|a| file.resolve(a));
    if let Some(a) = arg {
        if !matches!(a.kind, Kind::Object(_)) || a.has_spread() {
            return None;
        }
        if let Some(n) = a.field("name") {
            return file.resolve(n).as_str().map(str::to_string);
        }
        if let Some(e) = a.field("entry").and_then(|e| file.resolve(e).as_str()) {
            let base = e.rsplit(['/', '\\']).next().unwrap_or(e);
            return Some(match base.rfind('.') {
                Some(i) if i > 0 => base[..i].to_string(),
                _ => base.to_string(),
            });
        }
    }
    path?
        .parent()?
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
}

fn prop_symbol(p: &crate::model::value::Prop, kind: SymKind) -> Option<DocSymbol> {
    Some(DocSymbol::new(p.key.clone()?, kind, p.span, p.key_span))
}

fn auth_children(text: &str, file: &FileModel, arg: Option<&Value>) -> Vec<DocSymbol> {
    let mut out = Vec::new();
    let Some(props) = arg.and_then(Value::as_object) else {
        return out;
    };
    for p in props {
        let Some(key) = p.key.as_deref() else {
            continue;
        };
        let v = file.resolve(&p.value);
        let Some(sym) = prop_symbol(p, SymKind::Property) else {
            continue;
        };
        match key {
            "loginWith" => {
                let methods: Vec<&str> = v
                    .as_object()
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|q| q.key.as_deref())
                    .collect();
                out.push(sym.detail(methods.join(", ")));
            }
            "groups" => {
                let mut groups = Vec::new();
                for g in v.as_array().unwrap_or(&[]) {
                    if let Some(name) = g.as_str() {
                        groups.push(DocSymbol::new(name, SymKind::Constant, g.span, g.span));
                    }
                }
                for q in v.as_object().unwrap_or(&[]) {
                    if let Some(s) = prop_symbol(q, SymKind::Constant) {
                        groups.push(s);
                    }
                }
                let n = groups.len();
                out.push(
                    sym.detail(format!("{n} group{}", if n == 1 { "" } else { "s" }))
                        .children(groups),
                );
            }
            "triggers" => {
                let triggers = v
                    .as_object()
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|q| {
                        prop_symbol(q, SymKind::Event)
                            .map(|s| s.detail(snippet(text, q.value.span)))
                    })
                    .collect();
                out.push(sym.children(triggers));
            }
            "multifactor" => {
                let mode = v
                    .field("mode")
                    .and_then(|m| file.resolve(m).as_str())
                    .unwrap_or("")
                    .to_string();
                out.push(sym.detail(mode));
            }
            _ => out.push(sym.detail(snippet(text, p.value.span))),
        }
    }
    out
}

fn data_children(text: &str, file: &FileModel, arg: Option<&Value>) -> Vec<DocSymbol> {
    let mut out = Vec::new();
    for p in arg.and_then(Value::as_object).unwrap_or(&[]) {
        let Some(key) = p.key.as_deref() else {
            continue;
        };
        let v = file.resolve(&p.value);
        let Some(sym) = prop_symbol(p, SymKind::Property) else {
            continue;
        };
        match key {
            "authorizationModes" => {
                let default = v
                    .field("defaultAuthorizationMode")
                    .and_then(|m| file.resolve(m).as_str())
                    .map(|m| format!("default {m}"))
                    .unwrap_or_default();
                out.push(sym.detail(default));
            }
            "functions" => {
                let fns = v
                    .as_object()
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|q| {
                        prop_symbol(q, SymKind::Function)
                            .map(|s| s.detail(snippet(text, q.value.span)))
                    })
                    .collect();
                out.push(sym.children(fns));
            }
            _ => out.push(sym.detail(snippet(text, p.value.span))),
        }
    }
    out
}

fn storage_children(text: &str, file: &FileModel, arg: Option<&Value>) -> Vec<DocSymbol> {
    let mut out = Vec::new();
    let Some(arg) = arg else { return out };
    if let Some(p) = arg.get("triggers") {
        let triggers = file
            .resolve(&p.value)
            .as_object()
            .unwrap_or(&[])
            .iter()
            .filter_map(|q| {
                prop_symbol(q, SymKind::Event).map(|s| s.detail(snippet(text, q.value.span)))
            })
            .collect();
        if let Some(s) = prop_symbol(p, SymKind::Property) {
            out.push(s.children(triggers));
        }
    }
    for path in storage_paths(file, arg) {
        let children = path
            .access
            .iter()
            .map(|a| {
                DocSymbol::new(a.who.clone(), SymKind::Property, a.span, a.span)
                    .detail(actions_label(&a.actions))
            })
            .collect();
        out.push(
            DocSymbol::new(path.key.clone(), SymKind::Key, path.span, path.key_span)
                .detail(path.summary())
                .children(children),
        );
    }
    out
}

fn settings(text: &str, file: &FileModel, arg: Option<&Value>) -> Vec<DocSymbol> {
    arg.and_then(Value::as_object)
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| {
            let v = file.resolve(&p.value);
            prop_symbol(p, SymKind::Property).map(|s| s.detail(snippet(text, v.span)))
        })
        .collect()
}

fn backend_children(text: &str, arg: Option<&Value>) -> Vec<DocSymbol> {
    arg.and_then(Value::as_object)
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| {
            prop_symbol(p, SymKind::Module).map(|s| {
                if p.shorthand {
                    s
                } else {
                    s.detail(snippet(text, p.value.span))
                }
            })
        })
        .collect()
}

/// The binding that holds the schema, when there is one.
fn schema_binding<'f>(file: &'f FileModel, s: &Schema) -> Option<&'f crate::model::file::Binding> {
    file.bindings.iter().find(|b| {
        b.value
            .as_ref()
            .is_some_and(|v| v.span.start <= s.span.start && s.span.end <= v.span.end)
    })
}

fn schema_symbol(file: &FileModel, s: &Schema) -> DocSymbol {
    let (name, selection, start) = match schema_binding(file, s) {
        Some(b) => (
            b.name.clone(),
            b.name_span,
            b.name_span.start.min(s.span.start),
        ),
        None => ("schema".to_string(), s.span, s.span.start),
    };
    let mut types = Vec::new();
    for t in s.types() {
        let span = Span::new(t.name_span.start, t.span.end.max(t.name_span.end));
        let sym = DocSymbol::new(t.name.clone(), SymKind::Class, span, t.name_span);
        let sym = match &t.kind {
            TypeKind::Model(m) => sym.detail("model").children(field_symbols(&m.fields)),
            TypeKind::CustomType(f) => DocSymbol {
                kind: SymKind::Struct,
                ..sym.detail("custom type").children(field_symbols(f))
            },
            TypeKind::Enum(e) => DocSymbol {
                kind: SymKind::Enum,
                ..sym.detail("enum").children(
                    e.values
                        .iter()
                        .map(|(v, sp)| DocSymbol::new(v.clone(), SymKind::EnumMember, *sp, *sp))
                        .collect(),
                )
            },
            TypeKind::Operation(op) => {
                let ret = op
                    .returns
                    .as_ref()
                    .map(|r| format!(" → {}", field_type(&r.field)))
                    .unwrap_or_default();
                let kind = if op.kind == OpKind::Generation {
                    SymKind::Function
                } else {
                    SymKind::Method
                };
                let args = op.arguments.as_ref().map(field_symbols).unwrap_or_default();
                DocSymbol {
                    kind,
                    ..sym
                        .detail(format!("{}{ret}", op.kind.name()))
                        .children(args)
                }
            }
            TypeKind::Conversation(_) => DocSymbol {
                kind: SymKind::Object,
                ..sym.detail("conversation")
            },
            TypeKind::Unknown => DocSymbol {
                kind: SymKind::Object,
                ..sym
            },
        };
        types.push(sym);
    }
    let detail = if s.combined { "a.combine" } else { "a.schema" };
    DocSymbol::new(
        name,
        SymKind::Namespace,
        Span::new(start, s.span.end),
        selection,
    )
    .detail(detail)
    .children(types)
}

fn field_symbols(fields: &Fields) -> Vec<DocSymbol> {
    fields
        .items
        .iter()
        .map(|f| {
            let span = Span::new(f.name_span.start, f.span.end.max(f.name_span.end));
            let children = match &f.kind {
                FieldKind::CustomType(inner) => field_symbols(inner),
                _ => Vec::new(),
            };
            DocSymbol::new(f.name.clone(), SymKind::Field, span, f.name_span)
                .detail(field_type(f))
                .children(children)
        })
        .collect()
}

/// A short type label: `String!`, `[String]`, `hasMany → Post`, `Status`.
pub fn field_type(f: &Field) -> String {
    let base = match &f.kind {
        FieldKind::Scalar { graphql, .. } => graphql.to_string(),
        FieldKind::Ref(r) => r.name.clone().unwrap_or_else(|| "ref".into()),
        FieldKind::Relationship(rel) => {
            return format!(
                "{} → {}",
                rel.kind.name(),
                rel.target.as_deref().unwrap_or("?")
            )
        }
        FieldKind::Enum(e) => format!(
            "enum ({})",
            e.values
                .iter()
                .map(|(v, _)| v.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        FieldKind::CustomType(_) => "custom type".into(),
        FieldKind::Unknown => return String::new(),
    };
    let item = if f.required { format!("{base}!") } else { base };
    if f.array {
        format!("[{item}]{}", if f.array_required { "!" } else { "" })
    } else {
        item
    }
}

// ---------------------------------------------------------------------------------------------------------
// Storage access

/// One `'path/*': [...]` entry of `defineStorage({ access })`.
#[derive(Debug, Clone, PartialEq)]
pub struct StoragePath {
    pub key: String,
    pub key_span: Span,
    pub span: Span,
    pub access: Vec<Access>,
    /// Whether every entry of the list was understood.
    pub complete: bool,
}

/// One principal of a storage path with its actions.
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    /// `authenticated`, `guest`, `ADMINS` (a group), `identity` (`entity('identity')`), `fn onUpload`.
    pub who: String,
    /// `None` when the list is not literal.
    pub actions: Option<Vec<String>>,
    pub span: Span,
}

impl StoragePath {
    /// `authenticated: read, write · guest: read`
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = self
            .access
            .iter()
            .map(|a| format!("{}: {}", a.who, actions_label(&a.actions)))
            .collect();
        if !self.complete {
            parts.push("…".into());
        }
        if parts.is_empty() {
            "no access".into()
        } else {
            parts.join(" · ")
        }
    }
}

fn actions_label(actions: &Option<Vec<String>>) -> String {
    match actions {
        Some(a) if a.is_empty() => "nothing".into(),
        Some(a) => a.join(", "),
        None => "?".into(),
    }
}

/// The paths of a `defineStorage` argument's `access` callback.
pub fn storage_paths(file: &FileModel, arg: &Value) -> Vec<StoragePath> {
    let mut out = Vec::new();
    let Some(func) = arg
        .field("access")
        .map(|a| file.resolve(a))
        .and_then(Value::as_func)
    else {
        return out;
    };
    let (Some(param), Some(body)) = (func.params.first(), func.body.as_ref()) else {
        return out;
    };
    for p in body.as_object().unwrap_or(&[]) {
        let Some(key) = &p.key else { continue };
        let mut path = StoragePath {
            key: key.to_string(),
            key_span: p.key_span,
            span: p.span,
            access: Vec::new(),
            complete: true,
        };
        match file.resolve(&p.value).as_array() {
            Some(items) => {
                for item in items {
                    match storage_access(file, item, param) {
                        Some(mut a) => path.access.append(&mut a),
                        None => path.complete = false,
                    }
                }
            }
            None => path.complete = false,
        }
        out.push(path);
    }
    out
}

fn storage_access(file: &FileModel, v: &Value, param: &str) -> Option<Vec<Access>> {
    let chain = v.chain()?;
    if chain.root != param || chain.root_args.is_some() || chain.links.len() != 2 {
        return None;
    }
    let (who, to) = (&chain.links[0], &chain.links[1]);
    if to.name != "to" {
        return None;
    }
    let actions = to
        .args
        .and_then(<[Value]>::first)
        .map(|a| file.resolve(a))
        .and_then(Value::as_array)
        .and_then(|items| {
            items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        });
    let first = who.args.and_then(<[Value]>::first).map(|a| file.resolve(a));
    let names: Vec<String> = match (who.name, who.args.is_some()) {
        ("authenticated", false) => vec!["authenticated".into()],
        ("guest", false) => vec!["guest".into()],
        ("groups", true) => first?
            .as_array()?
            .iter()
            .map(|g| g.as_str().map(|g| format!("{g} group")))
            .collect::<Option<Vec<_>>>()?,
        ("entity", true) => vec![format!("entity {}", first?.as_str()?)],
        ("resource", true) => vec![format!("fn {}", who.args?.first()?.as_ident()?)],
        _ => return None,
    };
    Some(
        names
            .into_iter()
            .map(|who| Access {
                who,
                actions: actions.clone(),
                span: v.span,
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------------------
// Code lenses

/// A line of text shown above a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lens {
    pub span: Span,
    pub title: String,
}

/// The effective authorization of each model and custom operation, and who may do what on each storage path.
pub fn code_lenses(file: &FileModel) -> Vec<Lens> {
    let mut out = Vec::new();
    if let Some(s) = schema_of(file) {
        let schema_rules: Vec<&Rules> = s.parts.iter().filter_map(|p| p.rules.as_ref()).collect();
        for t in s.types() {
            let (own, fields) = match &t.kind {
                TypeKind::Model(m) => (m.rules.as_ref(), Some(&m.fields)),
                TypeKind::Operation(op) if op.kind != OpKind::Generation || op.rules.is_some() => {
                    (op.rules.as_ref(), None)
                }
                _ => continue,
            };
            let is_model = fields.is_some();
            let mut title = match own {
                Some(r) => rules_label(r, is_model),
                None if !schema_rules.is_empty() => {
                    let parts: Vec<String> = schema_rules
                        .iter()
                        .map(|r| rules_label(r, is_model))
                        .collect();
                    format!("{} (schema-level rules)", parts.join(" · "))
                }
                None => "no authorization rules".to_string(),
            };
            if let Some(fields) = fields {
                let own_rules: Vec<&str> = fields
                    .items
                    .iter()
                    .filter(|f| f.rules.is_some())
                    .map(|f| f.name.as_str())
                    .collect();
                if !own_rules.is_empty() {
                    title.push_str(&format!(" · own rules on {}", own_rules.join(", ")));
                }
            }
            out.push(Lens {
                span: t.name_span,
                title,
            });
        }
    }
    for d in file
        .defines
        .iter()
        .filter(|d| d.kind == DefineKind::Storage)
    {
        let Some(arg) = d.arg.as_ref().map(|a| file.resolve(a)) else {
            continue;
        };
        for p in storage_paths(file, arg) {
            out.push(Lens {
                span: p.key_span,
                title: p.summary(),
            });
        }
    }
    out
}

fn rules_label(r: &Rules, resource_too: bool) -> String {
    let mut parts: Vec<String> = r
        .rules
        .iter()
        .filter(|x| resource_too || x.name != "resource")
        .map(rule_label)
        .collect();
    if !r.complete {
        parts.push("…".into());
    }
    if parts.is_empty() {
        "no rules".into()
    } else {
        parts.join(" · ")
    }
}

/// `owner`, `ADMINS group`, `read: authenticated`, `public (API key)`...
pub fn rule_label(r: &Rule) -> String {
    let provider = match &r.provider {
        Provider::Given(p, _) => {
            let default = catalog::data_rule(&r.name).map(|d| d.default_provider);
            (default != Some(p.as_str())).then(|| format!(" ({p})"))
        }
        _ => None,
    }
    .unwrap_or_default();
    let field = r.field.as_ref().map(|(f, _)| f.as_str()).unwrap_or("?");
    let groups = r
        .groups
        .as_ref()
        .map(|g| {
            let names: Vec<&str> = g.items.iter().map(|(n, _)| n.as_str()).collect();
            let mut s = names.join(", ");
            if !g.complete {
                s.push_str(", …");
            }
            s
        })
        .unwrap_or_default();
    let who = match r.name.as_str() {
        "publicApiKey" => "public (API key)".to_string(),
        "guest" => "guest".to_string(),
        "authenticated" => format!("authenticated{provider}"),
        "owner" => format!("owner{provider}"),
        "ownerDefinedIn" => format!("owner in {field}{provider}"),
        "ownersDefinedIn" => format!("owners in {field}{provider}"),
        "group" => format!("{groups} group{provider}"),
        "groups" => format!(
            "{groups} group{}{provider}",
            if r.groups.as_ref().is_some_and(|g| g.items.len() == 1) {
                ""
            } else {
                "s"
            }
        ),
        "groupDefinedIn" => format!("group in {field}{provider}"),
        "groupsDefinedIn" => format!("groups in {field}{provider}"),
        "custom" => "custom (Lambda authorizer)".to_string(),
        "resource" => match r.args.first().and_then(Value::as_ident) {
            Some(f) => format!("fn {f}"),
            None => "a function".to_string(),
        },
        other => other.to_string(),
    };
    match &r.to {
        Some(to) => {
            let ops: Vec<&str> = to.items.iter().map(|(n, _)| n.as_str()).collect();
            let ops = if to.complete {
                ops.join(", ")
            } else {
                format!("{}…", ops.join(", "))
            };
            format!("{ops}: {who}")
        }
        None => who,
    }
}

// ---------------------------------------------------------------------------------------------------------
// Inlay hints

/// A hint shown at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub offset: usize,
    pub label: String,
    pub tooltip: String,
}

/// The catalog default of the property at `path` below a `define*` call's argument.
fn catalog_default(call: &str, path: &[&str]) -> Option<&'static str> {
    let mut ty: Ty = catalog::call(call)?.arg?;
    let (last, parents) = path.split_last()?;
    for key in parents {
        ty = catalog::prop(catalog::object_of(&ty)?, key)?.ty;
    }
    catalog::prop(catalog::object_of(&ty)?, last)?.default
}

/// The defaults Amplify applies to important settings left out.
pub fn inlay_hints(file: &FileModel, facts: &ProjectFacts) -> Vec<Hint> {
    let mut out = Vec::new();
    for d in &file.defines {
        let arg = d.arg.as_ref();
        match d.kind {
            DefineKind::Function => {
                // `defineFunction()` or `defineFunction({ ... })` without a spread
                let (offset, obj) = match arg {
                    None => (d.args_span.start + 1, None),
                    Some(a) if matches!(a.kind, Kind::Object(_)) && !a.has_spread() => {
                        (a.span.start + 1, Some(a))
                    }
                    _ => continue,
                };
                let missing: Vec<String> = ["timeoutSeconds", "memoryMB", "runtime"]
                    .iter()
                    .filter(|k| obj.is_none_or(|o| o.get(k).is_none()))
                    .filter_map(|k| {
                        catalog_default("defineFunction", &[k]).map(|v| format!("{k} {v}"))
                    })
                    .collect();
                if !missing.is_empty() {
                    out.push(Hint {
                        offset,
                        label: missing.join(" · "),
                        tooltip: "Amplify's defaults for the settings left out".into(),
                    });
                }
            }
            DefineKind::Data => {
                let Some(a) = arg.map(|a| file.resolve(a)) else {
                    continue;
                };
                if !matches!(a.kind, Kind::Object(_)) || a.has_spread() {
                    continue;
                }
                match a.get("authorizationModes") {
                    None if facts.complete => {
                        let label = if facts.has_auth {
                            "defaultAuthorizationMode 'userPool'".to_string()
                        } else {
                            let days = catalog_default(
                                "defineData",
                                &[
                                    "authorizationModes",
                                    "apiKeyAuthorizationMode",
                                    "expiresInDays",
                                ],
                            )
                            .unwrap_or("7");
                            format!("defaultAuthorizationMode 'apiKey' · API key for {days} days")
                        };
                        out.push(Hint {
                            offset: a.span.start + 1,
                            label,
                            tooltip: "what Amplify picks when authorizationModes is left out (it depends on \
                                      whether the project defines auth)"
                                .into(),
                        });
                    }
                    None => {}
                    Some(p) => {
                        let key = file
                            .resolve(&p.value)
                            .field("apiKeyAuthorizationMode")
                            .map(|k| file.resolve(k));
                        if let Some(k) = key.filter(|k| {
                            matches!(k.kind, Kind::Object(_))
                                && !k.has_spread()
                                && k.get("expiresInDays").is_none()
                        }) {
                            if let Some(days) = catalog_default(
                                "defineData",
                                &[
                                    "authorizationModes",
                                    "apiKeyAuthorizationMode",
                                    "expiresInDays",
                                ],
                            ) {
                                out.push(Hint {
                                    offset: k.span.start + 1,
                                    label: format!("expiresInDays {days}"),
                                    tooltip: "the API key's default lifetime; an expired key stops working"
                                        .into(),
                                });
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------------------
// Workspace symbols

/// A symbol without children, with the name of the symbol containing it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymKind,
    pub span: Span,
    pub container: Option<String>,
}

/// Every symbol of a tree, depth first.
pub fn flatten(symbols: &[DocSymbol]) -> Vec<FlatSymbol> {
    fn go(s: &DocSymbol, container: Option<&str>, out: &mut Vec<FlatSymbol>, depth: usize) {
        out.push(FlatSymbol {
            name: s.name.clone(),
            detail: s.detail.clone(),
            kind: s.kind,
            span: s.selection,
            container: container.map(str::to_string),
        });
        if depth < 16 {
            for c in &s.children {
                go(c, Some(&s.name), out, depth + 1);
            }
        }
    }
    let mut out = Vec::new();
    for s in symbols {
        go(s, None, &mut out, 0);
    }
    out
}

/// Whether `name` matches a workspace-symbol query: its characters appear in order, ignoring case.
pub fn matches_query(name: &str, query: &str) -> bool {
    let mut chars = name.chars().flat_map(char::to_lowercase);
    query
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .all(|q| chars.any(|c| c == q))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, Lang};

    fn model(src: &str) -> FileModel {
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        FileModel::build(&tree, src, Lang::TypeScript)
    }

    fn names(symbols: &[DocSymbol]) -> Vec<String> {
        symbols.iter().map(|s| s.name.clone()).collect()
    }

    const DATA: &str = r#"import { a, defineData } from '@aws-amplify/backend';
const schema = a.schema({
  Status: a.enum(['DRAFT', 'LIVE']),
  Post: a.model({
    title: a.string().required(),
    tags: a.string().array(),
    comments: a.hasMany('Comment', 'postId'),
    status: a.ref('Status'),
  }).authorization((allow) => [allow.owner(), allow.group('ADMINS'), allow.authenticated().to(['read'])]),
  Comment: a.model({ postId: a.id(), post: a.belongsTo('Post', 'postId') }),
  Note: a.model({ body: a.string().authorization((allow) => [allow.owner()]) })
    .authorization((allow) => [allow.ownerDefinedIn('author', 'oidc'), allow.groups(['A', 'B']).to(['read', 'update'])]),
  echo: a.query().returns(a.string()).handler(a.handler.function('x')).authorization((allow) => allow.publicApiKey()),
}).authorization((allow) => [allow.publicApiKey()]);
export const data = defineData({ schema, functions: { x: fn } });
"#;

    #[test]
    fn data_symbols_nest_models_fields_and_operations() {
        let m = model(DATA);
        let syms = document_symbols(DATA, &m, None);
        assert_eq!(names(&syms), ["schema", "data"]);
        let schema = &syms[0];
        assert_eq!(schema.detail.as_deref(), Some("a.schema"));
        assert_eq!(
            names(&schema.children),
            ["Status", "Post", "Comment", "Note", "echo"]
        );
        let post = &schema.children[1];
        assert_eq!(post.kind, SymKind::Class);
        assert_eq!(
            names(&post.children),
            ["title", "tags", "comments", "status"]
        );
        let details: Vec<_> = post
            .children
            .iter()
            .map(|c| c.detail.clone().unwrap_or_default())
            .collect();
        assert_eq!(
            details,
            ["String!", "[String]", "hasMany → Comment", "Status"]
        );
        assert_eq!(schema.children[0].kind, SymKind::Enum);
        assert_eq!(names(&schema.children[0].children), ["DRAFT", "LIVE"]);
        assert_eq!(schema.children[4].kind, SymKind::Method);
        assert_eq!(schema.children[4].detail.as_deref(), Some("query → String"));
        // selection inside range, children inside parents
        fn check(s: &DocSymbol, parent: Span) {
            assert!(
                s.span.start <= s.selection.start && s.selection.end <= s.span.end,
                "{}",
                s.name
            );
            assert!(
                parent.start <= s.span.start && s.span.end <= parent.end,
                "{}",
                s.name
            );
            s.children.iter().for_each(|c| check(c, s.span));
        }
        syms.iter().for_each(|s| check(s, Span::new(0, DATA.len())));
        let data = &syms[1];
        assert_eq!(names(&data.children), ["schema", "functions"]);
        assert_eq!(names(&data.children[1].children), ["x"]);
    }

    #[test]
    fn lenses_show_effective_rules() {
        let m = model(DATA);
        let lenses = code_lenses(&m);
        let titles: Vec<(&str, &str)> = lenses
            .iter()
            .map(|l| (&DATA[l.span.start..l.span.end], l.title.as_str()))
            .collect();
        assert_eq!(
            titles,
            [
                ("Post", "owner · ADMINS group · read: authenticated"),
                ("Comment", "public (API key) (schema-level rules)"),
                (
                    "Note",
                    "owner in author (oidc) · read, update: A, B groups · own rules on body"
                ),
                ("echo", "public (API key)"),
            ]
        );
    }

    const STORAGE: &str = r#"import { defineStorage } from '@aws-amplify/backend';
export const storage = defineStorage({
  name: 'photos',
  triggers: { onUpload },
  access: (allow) => ({
    'public/*': [allow.guest.to(['read']), allow.authenticated.to(['read', 'write', 'delete'])],
    'admin/*': [allow.groups(['ADMINS', 'OPS']).to(['read']), allow.resource(onUpload).to(['write']), ...extra],
    'private/{entity_id}/*': [allow.entity('identity').to(['read', 'write'])],
  }),
});
"#;

    #[test]
    fn storage_paths_with_principals() {
        let m = model(STORAGE);
        let syms = document_symbols(STORAGE, &m, None);
        assert_eq!(names(&syms), ["storage"]);
        assert_eq!(syms[0].detail.as_deref(), Some("defineStorage 'photos'"));
        assert_eq!(
            names(&syms[0].children),
            ["triggers", "public/*", "admin/*", "private/{entity_id}/*"]
        );
        assert_eq!(
            names(&syms[0].children[1].children),
            ["guest", "authenticated"]
        );
        let titles: Vec<String> = code_lenses(&m).into_iter().map(|l| l.title).collect();
        assert_eq!(
            titles,
            [
                "guest: read · authenticated: read, write, delete",
                "ADMINS group: read · OPS group: read · fn onUpload: write · …",
                "entity identity: read, write",
            ]
        );
    }

    #[test]
    fn auth_function_and_backend_symbols() {
        let src = "export const auth = defineAuth({ loginWith: { email: true, phone: true }, groups: ['ADMINS'], triggers: { preSignUp } });";
        let m = model(src);
        let syms = document_symbols(src, &m, None);
        assert_eq!(
            names(&syms[0].children),
            ["loginWith", "groups", "triggers"]
        );
        assert_eq!(syms[0].children[0].detail.as_deref(), Some("email, phone"));
        assert_eq!(names(&syms[0].children[1].children), ["ADMINS"]);
        assert_eq!(names(&syms[0].children[2].children), ["preSignUp"]);
        let src =
            "export const fn1 = defineFunction({ timeoutSeconds: 30, environment: { A: 'b' } });";
        let m = model(src);
        let syms = document_symbols(
            src,
            &m,
            Some(Path::new("/p/amplify/functions/say-hi/resource.ts")),
        );
        assert_eq!(syms[0].detail.as_deref(), Some("defineFunction 'say-hi'"));
        assert_eq!(names(&syms[0].children), ["timeoutSeconds", "environment"]);
        assert_eq!(syms[0].children[0].detail.as_deref(), Some("30"));
        let src = "export const chatHandler = defineConversationHandlerFunction({ name: 'chat', models: [] });";
        let m = model(src);
        let syms = document_symbols(src, &m, None);
        assert_eq!(names(&syms), ["chatHandler"]);
        assert_eq!(
            syms[0].detail.as_deref(),
            Some("defineConversationHandlerFunction 'chat'")
        );
        assert_eq!(names(&syms[0].children), ["name", "models"]);
        let src = "const backend = defineBackend({ auth, data: myData });";
        let m = model(src);
        let syms = document_symbols(src, &m, None);
        assert_eq!(names(&syms[0].children), ["auth", "data"]);
        assert_eq!(syms[0].children[1].detail.as_deref(), Some("myData"));
    }

    #[test]
    fn hints_show_omitted_defaults() {
        let facts = ProjectFacts {
            complete: true,
            ..ProjectFacts::default()
        };
        let src = "export const f = defineFunction({\n  memoryMB: 1024,\n});";
        let h = inlay_hints(&model(src), &facts);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].label, "timeoutSeconds 3 · runtime 22");
        assert_eq!(&src[..h[0].offset], "export const f = defineFunction({");
        let src = "export const f = defineFunction();";
        let h = inlay_hints(&model(src), &facts);
        assert_eq!(h[0].label, "timeoutSeconds 3 · memoryMB 512 · runtime 22");
        assert_eq!(&src[..h[0].offset], "export const f = defineFunction(");
        let src =
            "export const f = defineFunction({ timeoutSeconds: 1, memoryMB: 128, runtime: 20 });";
        assert!(inlay_hints(&model(src), &facts).is_empty());
        let src = "export const f = defineFunction({ ...base });";
        assert!(inlay_hints(&model(src), &facts).is_empty());
        // data: the default mode depends on auth
        let src = "export const data = defineData({ schema });";
        assert_eq!(
            inlay_hints(&model(src), &facts)[0].label,
            "defaultAuthorizationMode 'apiKey' · API key for 7 days"
        );
        let with_auth = ProjectFacts {
            has_auth: true,
            ..facts.clone()
        };
        assert_eq!(
            inlay_hints(&model(src), &with_auth)[0].label,
            "defaultAuthorizationMode 'userPool'"
        );
        let src = "export const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'apiKey', apiKeyAuthorizationMode: {} } });";
        assert_eq!(inlay_hints(&model(src), &facts)[0].label, "expiresInDays 7");
    }

    #[test]
    fn workspace_query_matching() {
        assert!(matches_query("BlogPost", "bpost"));
        assert!(matches_query("BlogPost", ""));
        assert!(!matches_query("Blog", "post"));
        let m = model(DATA);
        let flat = flatten(&document_symbols(DATA, &m, None));
        let title = flat.iter().find(|s| s.name == "title").expect("title");
        assert_eq!(title.container.as_deref(), Some("Post"));
    }
}
