//! Frontend data calls: `generateClient(...)` from `aws-amplify/data` (or `aws-amplify/api`), the constants it
//! is assigned to, and the calls made through them (`client.models.Todo.list(...)`, `client.queries.echo(...)`),
//! checked against the backend's [`DataAccess`].
//!
//! The effective auth mode of a call is its own `authMode`, else the client's (`generateClient({ authMode })`),
//! else the API's default. Every check is silent when it cannot be sure: a mode that is not a literal, a
//! model whose rules cannot all be read, a client that is not a `const` of this file assigned from
//! `generateClient` (clients imported from another module are left out: following them would mean reading
//! that module), a name shadowed by another declaration, or a schema whose models are not all known.

use std::collections::HashMap;

use tree_sitter::Node;

use super::FrontendCx;
use crate::analysis::completion::{CompletionItem, ItemKind};
use crate::analysis::hover::Hover;
use crate::analysis::rules::validators::did_you_mean;
use crate::analysis::{Diagnostic, Severity};
use crate::model::frontend::data::{DataAccess, Grant, Mode, ModelAccess, ModelOp, Who};
use crate::model::schema::OpKind;
use crate::model::value::{lower, Kind, Value};
use crate::text::Span;

pub const UNKNOWN_MODEL: &str = "frontend/unknown-model";
pub const UNKNOWN_OPERATION: &str = "frontend/unknown-operation";
pub const UNKNOWN_FIELD: &str = "frontend/unknown-field";
pub const AUTH_MODE_REFUSED: &str = "frontend/auth-mode-refused";

/// Modules `generateClient` is imported from.
const CLIENT_MODULES: &[&str] = &["aws-amplify/data", "aws-amplify/api"];
/// The Next.js adapter's data module (`generateServerClientUsingCookies`).
const NEXT_MODULE: &str = "@aws-amplify/adapter-nextjs/data";
/// How many nodes one walk visits at most (a frontend file is small; a huge one is cut short).
const MAX_NODES: usize = 400_000;

fn text<'s>(node: Node, src: &'s str) -> &'s str {
    src.get(node.byte_range()).unwrap_or("")
}

fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

/// Where a mode comes from.
#[derive(Debug, Clone, PartialEq)]
enum ModeSrc {
    /// Not given here: the next level decides.
    Absent,
    /// A string literal (its value and the literal's span, quotes included).
    Literal(String, Span),
    /// Given, but not as a literal we can read.
    Unknown,
}

/// A `const x = generateClient(...)` of this file.
#[derive(Debug, Clone)]
struct Client {
    /// `generateClient<Schema>(...)`: TypeScript checks field names itself.
    typed: bool,
    mode: ModeSrc,
}

/// A declared name and the range of text where it is visible.
#[derive(Debug, Clone)]
struct Decl {
    name: String,
    scope: (usize, usize),
    client: Option<usize>,
}

/// What one walk of the file finds.
struct Index<'t> {
    clients: Vec<Client>,
    decls: Vec<Decl>,
    /// `x.models` / `x.queries` / `x.mutations` / `x.subscriptions` member expressions.
    roots: Vec<Node<'t>>,
}

impl Index<'_> {
    /// The client the identifier `name` at `at` names, if it certainly is one.
    fn client_at(&self, name: &str, at: usize) -> Option<&Client> {
        let mut best: Option<&Decl> = None;
        let mut tie = false;
        for d in self
            .decls
            .iter()
            .filter(|d| d.name == name && d.scope.0 <= at && at <= d.scope.1)
        {
            let len = d.scope.1 - d.scope.0;
            match best {
                Some(b) if b.scope.1 - b.scope.0 < len => {}
                Some(b) if b.scope.1 - b.scope.0 == len => tie = true,
                _ => {
                    best = Some(d);
                    tie = false;
                }
            }
        }
        if tie {
            return None;
        }
        self.clients.get(best?.client?)
    }
}

/// The local names `generateClient` goes by in this file, and namespaces holding it.
fn generate_client_names(cx: &FrontendCx) -> (Vec<String>, Vec<String>) {
    let mut direct = Vec::new();
    let mut namespaces = Vec::new();
    for i in &cx.file.imports {
        if i.type_only {
            continue;
        }
        if i.source == NEXT_MODULE {
            // the Next.js server client made from cookies: the same calls, the same `authMode` option
            direct.extend(
                i.names
                    .iter()
                    .filter(|n| n.imported == "generateServerClientUsingCookies")
                    .map(|n| n.local.clone()),
            );
            continue;
        }
        if !CLIENT_MODULES.contains(&i.source.as_str()) {
            continue;
        }
        for n in &i.names {
            match n.imported.as_str() {
                "generateClient" => direct.push(n.local.clone()),
                "*" => namespaces.push(n.local.clone()),
                _ => {}
            }
        }
    }
    (direct, namespaces)
}

/// The nearest enclosing node a `const`/`let`/`function` declared at `node` is visible in.
fn block_scope(node: Node) -> (usize, usize) {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if matches!(
            n.kind(),
            "statement_block" | "program" | "for_statement" | "for_in_statement" | "class_body"
        ) {
            return (n.start_byte(), n.end_byte());
        }
        cur = n.parent();
    }
    (0, usize::MAX)
}

/// The function a parameter belongs to.
fn function_scope(node: Node) -> (usize, usize) {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if matches!(
            n.kind(),
            "arrow_function"
                | "function_declaration"
                | "function_expression"
                | "function"
                | "generator_function"
                | "generator_function_declaration"
                | "method_definition"
                | "catch_clause"
        ) {
            return (n.start_byte(), n.end_byte());
        }
        cur = n.parent();
    }
    (0, usize::MAX)
}

/// Every identifier a pattern binds.
fn pattern_names<'s>(node: Node, src: &'s str, out: &mut Vec<&'s str>) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "identifier" | "shorthand_property_identifier_pattern" => out.push(text(n, src)),
            _ => {
                let mut c = n.walk();
                for ch in n.named_children(&mut c) {
                    // `{ a: b }` binds b, not a; `x = default` binds x
                    if n.kind() == "pair_pattern" && n.child_by_field_name("key") == Some(ch) {
                        continue;
                    }
                    if n.kind() == "assignment_pattern"
                        && n.child_by_field_name("right") == Some(ch)
                    {
                        continue;
                    }
                    if matches!(ch.kind(), "type_annotation" | "property_identifier") {
                        continue;
                    }
                    stack.push(ch);
                }
            }
        }
    }
}

/// Whether a call is `generateClient(...)` (by one of its local names).
fn is_generate_client(call: Node, src: &str, direct: &[String], namespaces: &[String]) -> bool {
    let Some(f) = call.child_by_field_name("function") else {
        return false;
    };
    match f.kind() {
        "identifier" => direct.iter().any(|d| d == text(f, src)),
        "member_expression" => {
            let obj = f.child_by_field_name("object");
            let prop = f.child_by_field_name("property");
            matches!((obj, prop), (Some(o), Some(p))
                if o.kind() == "identifier"
                    && namespaces.iter().any(|n| n == text(o, src))
                    && text(p, src) == "generateClient")
        }
        _ => false,
    }
}

/// The `authMode` of an options value: absent, a literal, or unknown.
fn mode_of_options(v: Option<&Value>) -> ModeSrc {
    let Some(v) = v else {
        return ModeSrc::Absent;
    };
    match &v.kind {
        Kind::Object(props) => {
            if props.iter().any(|p| p.key.is_none()) {
                return ModeSrc::Unknown;
            }
            match props
                .iter()
                .rev()
                .find(|p| p.key.as_deref() == Some("authMode"))
            {
                None => ModeSrc::Absent,
                Some(p) => match p.value.as_str() {
                    Some(s) if !p.shorthand => ModeSrc::Literal(s.to_string(), p.value.span),
                    _ => ModeSrc::Unknown,
                },
            }
        }
        Kind::Undefined => ModeSrc::Absent,
        _ => ModeSrc::Unknown,
    }
}

/// The argument nodes of a call.
fn args_of(call: Node) -> Vec<Node> {
    let Some(a) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut c = a.walk();
    a.named_children(&mut c)
        .filter(|n| n.kind() != "comment")
        .collect()
}

/// One walk: the clients, the declarations, and the `x.models`-like member expressions.
fn index<'t>(cx: &FrontendCx<'t>) -> Option<Index<'t>> {
    cx.backend.data.as_ref()?;
    let (direct, namespaces) = generate_client_names(cx);
    if direct.is_empty() && namespaces.is_empty() {
        return None;
    }
    let src = cx.src;
    let mut ix = Index {
        clients: Vec::new(),
        decls: Vec::new(),
        roots: Vec::new(),
    };
    let program = (0, usize::MAX);
    for i in &cx.file.imports {
        for n in &i.names {
            ix.decls.push(Decl {
                name: n.local.clone(),
                scope: program,
                client: None,
            });
        }
    }
    let mut cursor = cx.tree.walk();
    let mut visited = 0usize;
    loop {
        let node = cursor.node();
        visited += 1;
        match node.kind() {
            "variable_declarator" => {
                if let Some(name) = node.child_by_field_name("name") {
                    let scope = if node
                        .parent()
                        .is_some_and(|p| p.kind() == "variable_declaration")
                    {
                        function_scope(node)
                    } else {
                        block_scope(node)
                    };
                    let mut client = None;
                    let is_const = node
                        .parent()
                        .and_then(|p| p.child(0))
                        .is_some_and(|k| k.kind() == "const");
                    if let (Some(value), true, "identifier") =
                        (node.child_by_field_name("value"), is_const, name.kind())
                    {
                        if value.kind() == "call_expression"
                            && is_generate_client(value, src, &direct, &namespaces)
                        {
                            let args = args_of(value);
                            let mode = match args.as_slice() {
                                [] => ModeSrc::Absent,
                                [one] => mode_of_options(Some(&lower(*one, src))),
                                _ => ModeSrc::Unknown,
                            };
                            ix.clients.push(Client {
                                typed: value.child_by_field_name("type_arguments").is_some(),
                                mode,
                            });
                            client = Some(ix.clients.len() - 1);
                        }
                    }
                    let mut names = Vec::new();
                    pattern_names(name, src, &mut names);
                    for n in names {
                        ix.decls.push(Decl {
                            name: n.to_string(),
                            scope,
                            client,
                        });
                    }
                }
            }
            "required_parameter" | "optional_parameter" | "catch_clause" => {
                let pat = node
                    .child_by_field_name("pattern")
                    .or_else(|| node.child_by_field_name("parameter"));
                if let Some(p) = pat {
                    let mut names = Vec::new();
                    pattern_names(p, src, &mut names);
                    let scope = if node.kind() == "catch_clause" {
                        (node.start_byte(), node.end_byte())
                    } else {
                        function_scope(node)
                    };
                    for n in names {
                        ix.decls.push(Decl {
                            name: n.to_string(),
                            scope,
                            client: None,
                        });
                    }
                }
            }
            "arrow_function" => {
                // `client => ...`
                if let Some(p) = node
                    .child_by_field_name("parameter")
                    .filter(|p| p.kind() == "identifier")
                {
                    ix.decls.push(Decl {
                        name: text(p, src).to_string(),
                        scope: (node.start_byte(), node.end_byte()),
                        client: None,
                    });
                }
            }
            "function_declaration" | "class_declaration" | "generator_function_declaration" => {
                if let Some(n) = node.child_by_field_name("name") {
                    ix.decls.push(Decl {
                        name: text(n, src).to_string(),
                        scope: block_scope(node),
                        client: None,
                    });
                }
            }
            "member_expression" => {
                if let (Some(o), Some(p)) = (
                    node.child_by_field_name("object"),
                    node.child_by_field_name("property"),
                ) {
                    if o.kind() == "identifier"
                        && matches!(
                            text(p, src),
                            "models" | "queries" | "mutations" | "subscriptions"
                        )
                    {
                        ix.roots.push(node);
                    }
                }
            }
            _ => {}
        }
        if visited < MAX_NODES && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                if ix.clients.is_empty() {
                    return None;
                }
                // only the names some client goes by matter (keeps the lookups short)
                let names: Vec<String> = ix
                    .decls
                    .iter()
                    .filter(|d| d.client.is_some())
                    .map(|d| d.name.clone())
                    .collect();
                ix.decls.retain(|d| names.contains(&d.name));
                return Some(ix);
            }
        }
    }
}

/// A call site through a client: `client.<ns>.<name>[.<op>](...)`.
struct Site<'t> {
    client: Client,
    ns: &'t str,
    /// The node naming the model or custom operation.
    name: Node<'t>,
    /// `client.models.M.op`: the op's property node.
    op: Option<Node<'t>>,
    /// The call, when the chain is called.
    call: Option<Node<'t>>,
}

fn sites<'t>(cx: &FrontendCx<'t>, ix: &Index<'t>) -> Vec<Site<'t>> {
    let src = cx.src;
    let mut out = Vec::new();
    for root in &ix.roots {
        let (Some(obj), Some(ns)) = (
            root.child_by_field_name("object"),
            root.child_by_field_name("property"),
        ) else {
            continue;
        };
        let Some(client) = ix.client_at(text(obj, src), obj.start_byte()) else {
            continue;
        };
        let Some(second) = root.parent().filter(|p| {
            p.kind() == "member_expression" && p.child_by_field_name("object") == Some(*root)
        }) else {
            continue;
        };
        let Some(name) = second
            .child_by_field_name("property")
            .filter(|n| n.kind() == "property_identifier")
        else {
            continue;
        };
        let ns = text(ns, src);
        let called = |n: Node<'t>| {
            n.parent().filter(|c| {
                c.kind() == "call_expression" && c.child_by_field_name("function") == Some(n)
            })
        };
        let (op, call) = if ns == "models" {
            match second.parent().filter(|p| {
                p.kind() == "member_expression" && p.child_by_field_name("object") == Some(second)
            }) {
                Some(third) => {
                    let op = third
                        .child_by_field_name("property")
                        .filter(|n| n.kind() == "property_identifier");
                    (op, called(third))
                }
                None => (None, None),
            }
        } else {
            (None, called(second))
        };
        out.push(Site {
            client: client.clone(),
            ns,
            name,
            op,
            call,
        });
    }
    out
}

/// Whether the project certainly has auth (a `defineAuth`); None when not known (auth customized in code or
/// referenced is not told apart here).
fn has_auth(cx: &FrontendCx) -> Option<bool> {
    cx.backend.auth.as_ref().filter(|a| a.defined).map(|_| true)
}

/// The effective mode of a call, with where it comes from; None when it cannot be known.
fn effective_mode(
    cx: &FrontendCx,
    data: &DataAccess,
    client: &Client,
    call_mode: &ModeSrc,
) -> Option<(Mode, String, &'static str)> {
    let (lit, from) = match call_mode {
        ModeSrc::Literal(s, _) => (s.clone(), "the call's `authMode`"),
        ModeSrc::Unknown => return None,
        ModeSrc::Absent => match &client.mode {
            ModeSrc::Literal(s, _) => (s.clone(), "the client: `generateClient({ authMode })`"),
            ModeSrc::Unknown => return None,
            ModeSrc::Absent => {
                let m = data.default_mode(has_auth(cx))?;
                return Some((
                    m,
                    m.client_name().to_string(),
                    "the API's default mode in `defineData`",
                ));
            }
        },
    };
    Mode::from_client(&lit).map(|m| (m, lit, from))
}

/// The options argument of a call at `index`, lowered.
fn options_value(call: Node, index: usize, src: &str) -> ModeSrc {
    let args = args_of(call);
    if args.iter().any(|a| a.kind() == "spread_element") {
        return ModeSrc::Unknown;
    }
    match args.get(index) {
        None => ModeSrc::Absent,
        Some(a) => mode_of_options(Some(&lower(*a, src))),
    }
}

/// The options of a custom operation call: its second argument. A single argument carrying `authMode` is not
/// read: recent clients take it as the options of an operation without arguments, older ones as its
/// arguments (then the client's mode applies).
fn custom_options(call: Node, src: &str) -> ModeSrc {
    let args = args_of(call);
    if let [only] = args.as_slice() {
        if mode_of_options(Some(&lower(*only, src))) != ModeSrc::Absent {
            return ModeSrc::Unknown;
        }
    }
    options_value(call, 1, src)
}

fn list(modes: &[Mode]) -> String {
    modes
        .iter()
        .map(|m| match m {
            Mode::IdentityPool => "`identityPool` (or `iam`)".to_string(),
            m => format!("`{}`", m.client_name()),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn check(cx: &FrontendCx, out: &mut Vec<Diagnostic>) {
    let Some(data) = cx.backend.data.as_ref() else {
        return;
    };
    let Some(ix) = index(cx) else {
        return;
    };
    let src = cx.src;
    for site in sites(cx, &ix) {
        let name = text(site.name, src);
        match site.ns {
            "models" => {
                let Some(model) = data.model(name) else {
                    if data.complete {
                        out.push(unknown_model(data, site.name, name));
                    }
                    continue;
                };
                let Some(op_node) = site.op else { continue };
                let op_name = text(op_node, src);
                let Some(op) = ModelOp::from_name(op_name) else {
                    if !model.ops_open && !model.index_queries.iter().any(|q| q == op_name) {
                        let mut cands: Vec<&str> = ModelOp::ALL.iter().map(|o| o.name()).collect();
                        cands.extend(model.index_queries.iter().map(String::as_str));
                        let hint = did_you_mean(op_name, &cands)
                            .map(|s| format!(" Did you mean `{s}`?"))
                            .unwrap_or_default();
                        out.push(Diagnostic::new(
                            span(op_node),
                            Severity::Error,
                            UNKNOWN_OPERATION,
                            format!(
                                "`client.models.{name}` has no operation `{op_name}`: it offers {}.{hint}",
                                cands.join(", ")
                            ),
                        ));
                    } else if let (true, Some(call)) =
                        (model.index_queries.iter().any(|q| q == op_name), site.call)
                    {
                        // a secondary index query: a list, `(key, options)`
                        let call_mode = options_value(call, 1, src);
                        refused(
                            cx,
                            data,
                            &site.client,
                            &call_mode,
                            model
                                .access
                                .modes(&[crate::model::frontend::data::ops::LIST]),
                            &format!("{name}.{op_name}"),
                            call_span(&call_mode, op_node),
                            out,
                        );
                    }
                    continue;
                };
                let Some(call) = site.call else { continue };
                if op.takes_input() && !site.client.typed && model.fields_complete {
                    unknown_fields(cx, model, call, op, out);
                }
                let call_mode = options_value(call, op.options_arg(), src);
                refused(
                    cx,
                    data,
                    &site.client,
                    &call_mode,
                    model.modes(op),
                    &format!("{name}.{op_name}"),
                    call_span(&call_mode, op_node),
                    out,
                );
            }
            ns => {
                let kind = match ns {
                    "queries" => OpKind::Query,
                    "mutations" => OpKind::Mutation,
                    _ => OpKind::Subscription,
                };
                let Some(op) = data.custom_op(kind, name) else {
                    if data.complete && !data.other_names.iter().any(|n| n == name) {
                        out.push(unknown_custom(data, kind, ns, site.name, name));
                    }
                    continue;
                };
                let Some(call) = site.call else { continue };
                let call_mode = custom_options(call, src);
                refused(
                    cx,
                    data,
                    &site.client,
                    &call_mode,
                    op.access.modes(&[crate::model::frontend::data::ops::ALL]),
                    &format!("{ns}.{name}"),
                    call_span(&call_mode, site.name),
                    out,
                );
            }
        }
    }
}

fn call_span(call_mode: &ModeSrc, name: Node) -> Span {
    match call_mode {
        ModeSrc::Literal(_, s) => *s,
        _ => span(name),
    }
}

fn unknown_model(data: &DataAccess, node: Node, name: &str) -> Diagnostic {
    let names: Vec<&str> = data.models.iter().map(|m| m.name.as_str()).collect();
    let hint = custom_op_hint(data, name).unwrap_or_else(|| did_you_mean_hint(name, &names));
    Diagnostic::new(
        span(node),
        Severity::Error,
        UNKNOWN_MODEL,
        format!("The data schema has no model `{name}`.{hint}"),
    )
}

/// " Did you mean `x`?" for the closest of `names`, or nothing.
fn did_you_mean_hint(name: &str, names: &[&str]) -> String {
    did_you_mean(name, names)
        .map(|s| format!(" Did you mean `{s}`?"))
        .unwrap_or_default()
}

/// Where to call `name` when it is a custom operation (of any kind).
fn custom_op_hint(data: &DataAccess, name: &str) -> Option<String> {
    let c = data.custom.iter().find(|c| c.name == name)?;
    Some(format!(
        " `{name}` is a custom {}: call it through `client.{}.{name}`.",
        c.kind.name(),
        namespace(c.kind)
    ))
}

fn namespace(kind: OpKind) -> &'static str {
    match kind {
        OpKind::Query => "queries",
        OpKind::Mutation => "mutations",
        OpKind::Subscription => "subscriptions",
        OpKind::Generation => "generations",
    }
}

fn unknown_custom(data: &DataAccess, kind: OpKind, ns: &str, node: Node, name: &str) -> Diagnostic {
    let names: Vec<&str> = data
        .custom
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| c.name.as_str())
        .collect();
    let hint = custom_op_hint(data, name)
        .or_else(|| {
            data.model(name)
                .map(|_| format!(" `{name}` is a model: use `client.models.{name}`."))
        })
        .unwrap_or_else(|| did_you_mean_hint(name, &names));
    Diagnostic::new(
        span(node),
        Severity::Error,
        UNKNOWN_OPERATION,
        format!(
            "The data schema has no custom {} `{name}` (`client.{ns}.{name}`).{hint}",
            kind.name()
        ),
    )
}

fn unknown_fields(
    cx: &FrontendCx,
    model: &ModelAccess,
    call: Node,
    op: ModelOp,
    out: &mut Vec<Diagnostic>,
) {
    let args = args_of(call);
    let Some(input) = args.first().filter(|a| a.kind() == "object") else {
        return;
    };
    let names: Vec<&str> = model.fields.iter().map(String::as_str).collect();
    let mut c = input.walk();
    for entry in input.named_children(&mut c) {
        let key = match entry.kind() {
            "pair" => entry
                .child_by_field_name("key")
                .filter(|k| matches!(k.kind(), "property_identifier" | "string")),
            "shorthand_property_identifier" => Some(entry),
            _ => None,
        };
        let Some(key) = key else { continue };
        let k = if key.kind() == "string" {
            crate::model::value::string_value(key, cx.src)
        } else {
            text(key, cx.src).to_string()
        };
        if names.contains(&k.as_str()) {
            continue;
        }
        let hint = did_you_mean(&k, &names)
            .map(|s| format!(" Did you mean `{s}`?"))
            .unwrap_or_default();
        out.push(Diagnostic::new(
            span(key),
            Severity::Error,
            UNKNOWN_FIELD,
            format!(
                "`{}` has no field `{k}`: {}.{hint}",
                model.name,
                if op == ModelOp::Update {
                    "`update` fails in the client before anything is sent"
                } else {
                    "the API refuses a `create` input with a field it does not define"
                }
            ),
        ));
    }
}

#[allow(clippy::too_many_arguments)]
fn refused(
    cx: &FrontendCx,
    data: &DataAccess,
    client: &Client,
    call_mode: &ModeSrc,
    modes: Option<Vec<Mode>>,
    what: &str,
    at: Span,
    out: &mut Vec<Diagnostic>,
) {
    let Some(modes) = modes else { return };
    let Some((mode, lit, from)) = effective_mode(cx, data, client, call_mode) else {
        return;
    };
    if modes.contains(&mode) {
        return;
    }
    let fix = match modes.first() {
        Some(m) if modes.len() == 1 => format!(" Pass `authMode: '{}'`.", m.client_name()),
        _ => String::new(),
    };
    let admitted = if modes.is_empty() {
        "no client mode at all (only backend roles)".to_string()
    } else {
        format!("{} only", list(&modes))
    };
    out.push(Diagnostic::new(
        at,
        Severity::Error,
        AUTH_MODE_REFUSED,
        format!(
            "`{what}` is refused with auth mode `{lit}` (set by {from}): its authorization rules admit {}, so every such call fails with \"Not Authorized\".{fix}",
            admitted
        ),
    ));
}

// ---------------------------------------------------------------------------------------------
// Completion and hover

/// The identifier around or before `offset`: its start and end.
fn word_around(src: &str, offset: usize) -> (usize, usize) {
    let b = src.as_bytes();
    let is = |c: u8| c == b'_' || c == b'$' || c.is_ascii_alphanumeric();
    let mut s = offset.min(b.len());
    while s > 0 && is(b[s - 1]) {
        s -= 1;
    }
    let mut e = offset.min(b.len());
    while e < b.len() && is(b[e]) {
        e += 1;
    }
    (s, e)
}

/// Reads `a.b.c.` backwards from `end` (just after a `.`): the identifiers before it, last first.
fn chain_before(src: &str, mut end: usize, max: usize) -> Vec<&str> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let is = |c: u8| c == b'_' || c == b'$' || c.is_ascii_alphanumeric();
    while out.len() < max {
        while end > 0 && b[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        if end == 0 || b[end - 1] != b'.' {
            break;
        }
        end -= 1;
        if end > 0 && b[end - 1] == b'?' {
            end -= 1;
        }
        while end > 0 && b[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        let stop = end;
        while end > 0 && is(b[end - 1]) {
            end -= 1;
        }
        if end == stop {
            break;
        }
        out.push(&src[end..stop]);
    }
    out
}

pub fn complete(cx: &FrontendCx, offset: usize) -> Option<Vec<CompletionItem>> {
    let data = cx.backend.data.as_ref()?;
    let ix = index(cx)?;
    let src = cx.src;
    if offset > src.len() || !src.is_char_boundary(offset) {
        return None;
    }
    let (ws, we) = word_around(src, offset);
    let replace = Span::new(ws, we);
    let chain = chain_before(src, ws, 3);
    let chain_start = |n: usize| {
        // where the client identifier of a chain of n links starts: approximate with the word start
        ws.saturating_sub(chain.iter().take(n).map(|s| s.len() + 1).sum::<usize>())
    };
    let item = |label: &str, kind: ItemKind, detail: String, sort: usize| CompletionItem {
        label: label.to_string(),
        kind,
        detail: Some(detail),
        documentation: None,
        insert: label.to_string(),
        snippet: false,
        replace,
        sort: format!("{sort:04}"),
        preselect: false,
        typed: false,
    };
    match chain.as_slice() {
        // client.models.¦
        [ns, client, ..]
            if ix.client_at(client, chain_start(2)).is_some()
                && matches!(*ns, "models" | "queries" | "mutations" | "subscriptions") =>
        {
            let items = if *ns == "models" {
                data.models
                    .iter()
                    .enumerate()
                    .map(|(i, m)| item(&m.name, ItemKind::Class, "model".to_string(), i))
                    .collect()
            } else {
                let kind = match *ns {
                    "queries" => OpKind::Query,
                    "mutations" => OpKind::Mutation,
                    _ => OpKind::Subscription,
                };
                data.custom
                    .iter()
                    .filter(|c| c.kind == kind)
                    .enumerate()
                    .map(|(i, c)| {
                        let detail = match c.access.modes(&[crate::model::frontend::data::ops::ALL])
                        {
                            Some(m) => format!("custom {}: {}", kind.name(), plain_list(&m)),
                            None => format!("custom {}", kind.name()),
                        };
                        item(&c.name, ItemKind::Function, detail, i)
                    })
                    .collect()
            };
            return Some(items);
        }
        // client.models.Todo.¦
        [model, ns, client]
            if *ns == "models" && ix.client_at(client, chain_start(3)).is_some() =>
        {
            let m = data.model(model)?;
            let mut items: Vec<CompletionItem> = ModelOp::ALL
                .iter()
                .enumerate()
                .map(|(i, op)| {
                    let detail = match m.modes(*op) {
                        Some(modes) => format!("{}: {}", op.name(), plain_list(&modes)),
                        None => op.name().to_string(),
                    };
                    item(op.name(), ItemKind::Method, detail, i)
                })
                .collect();
            for (i, q) in m.index_queries.iter().enumerate() {
                items.push(item(
                    q,
                    ItemKind::Method,
                    "secondary index query".into(),
                    20 + i,
                ));
            }
            return Some(items);
        }
        _ => {}
    }
    complete_in_object(cx, data, &ix, offset)
}

fn plain_list(modes: &[Mode]) -> String {
    if modes.is_empty() {
        "no client mode".to_string()
    } else {
        modes
            .iter()
            .map(|m| m.client_name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Fields inside `create({ ¦ })` / `update({ ¦ })`, and modes inside `authMode: '¦'`.
fn complete_in_object(
    cx: &FrontendCx,
    data: &DataAccess,
    ix: &Index,
    offset: usize,
) -> Option<Vec<CompletionItem>> {
    let src = cx.src;
    let root = cx.tree.root_node();
    let at = offset.saturating_sub(1);
    let node = root.descendant_for_byte_range(at, at)?;
    // authMode: '¦'
    let string = std::iter::successors(Some(node), |n| n.parent())
        .take(3)
        .find(|n| n.kind() == "string");
    if let Some(s) = string {
        let pair = s.parent().filter(|p| p.kind() == "pair")?;
        let key = pair.child_by_field_name("key")?;
        if text(key, src) != "authMode" || pair.child_by_field_name("value") != Some(s) {
            return None;
        }
        if offset <= s.start_byte() || offset >= s.end_byte() {
            return None;
        }
        let replace = Span::new(
            s.start_byte() + 1,
            s.end_byte().saturating_sub(1).max(s.start_byte() + 1),
        );
        return Some(
            data.enabled_literals()
                .into_iter()
                .enumerate()
                .map(|(i, l)| CompletionItem {
                    label: l.to_string(),
                    kind: ItemKind::Value,
                    detail: Some("auth mode the API enables".into()),
                    documentation: None,
                    insert: l.to_string(),
                    snippet: false,
                    replace,
                    sort: format!("{i:04}"),
                    preselect: false,
                    typed: true,
                })
                .collect(),
        );
    }
    // create({ ¦ })
    let obj = std::iter::successors(Some(node), |n| n.parent())
        .take(4)
        .find(|n| n.kind() == "object")?;
    if offset <= obj.start_byte() || offset >= obj.end_byte() {
        return None;
    }
    let args = obj.parent().filter(|p| p.kind() == "arguments")?;
    if args_of(args.parent()?).first() != Some(&obj) {
        return None;
    }
    let call = args.parent().filter(|c| c.kind() == "call_expression")?;
    let f = call.child_by_field_name("function")?;
    let site = sites(cx, ix)
        .into_iter()
        .find(|s| s.call == Some(call) && s.ns == "models" && s.op.is_some())?;
    let op = ModelOp::from_name(text(site.op?, src))?;
    if !op.takes_input() || f.kind() != "member_expression" {
        return None;
    }
    let model = data.model(text(site.name, src))?;
    // keys already written
    let mut c = obj.walk();
    let mut present: Vec<&str> = Vec::new();
    let (ws, we) = word_around(src, offset);
    for e in obj.named_children(&mut c) {
        let k = match e.kind() {
            "pair" => e.child_by_field_name("key"),
            "shorthand_property_identifier" => Some(e),
            _ => None,
        };
        if let Some(k) = k.filter(|k| k.start_byte() != ws) {
            present.push(text(k, src));
        }
    }
    let replace = Span::new(ws, we);
    Some(
        model
            .fields
            .iter()
            .filter(|f| !matches!(f.as_str(), "createdAt" | "updatedAt"))
            .filter(|f| !present.contains(&f.as_str()))
            .enumerate()
            .map(|(i, f)| CompletionItem {
                label: f.clone(),
                kind: ItemKind::Field,
                detail: Some(format!("field of {}", model.name)),
                documentation: None,
                insert: f.clone(),
                snippet: false,
                replace,
                sort: format!("{i:04}"),
                preselect: false,
                typed: true,
            })
            .collect(),
    )
}

fn describe(g: &Grant) -> String {
    let mode = g.mode.client_name();
    match (&g.who, g.mode) {
        (Who::Anyone, Mode::ApiKey) => "any caller holding the API key".into(),
        (Who::Anyone, Mode::Lambda) => "whoever the Lambda authorizer admits".into(),
        (Who::Anyone, _) => format!("any `{mode}` caller"),
        (Who::Guest, _) => "visitors who are not signed in (the identity pool's guest identity)".into(),
        (Who::SignedIn, Mode::IdentityPool) => {
            "signed-in users through the identity pool's authenticated identity".into()
        }
        (Who::SignedIn, _) => "any signed-in user".into(),
        (Who::Owner(f), _) => {
            format!("signed-in users, only for records they own (owner field `{f}`; other rows are filtered out)")
        }
        (Who::Groups(gs), _) => format!(
            "members of the group{} {}",
            if gs.len() == 1 { "" } else { "s" },
            gs.iter()
                .map(|g| format!("`{g}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (Who::GroupField(f), _) => format!(
            "signed-in users, only for records whose `{f}` field names one of their groups (rows filtered)"
        ),
    }
}

/// Lines, one per mode the API may enable: who gets through with it.
fn mode_lines(data: &DataAccess, grants: &[&Grant]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut seen: HashMap<Mode, Vec<String>> = HashMap::new();
    for g in grants {
        let d = describe(g);
        let e = seen.entry(g.mode).or_default();
        if !e.contains(&d) {
            e.push(d);
        }
    }
    let enabled: Vec<Mode> = data
        .enabled_literals()
        .iter()
        .filter_map(|l| Mode::from_client(l))
        .fold(Vec::new(), |mut v, m| {
            if !v.contains(&m) {
                v.push(m);
            }
            v
        });
    for m in Mode::ALL {
        let name = match m {
            Mode::IdentityPool => "identityPool` / `iam".to_string(),
            m => m.client_name().to_string(),
        };
        match seen.get(&m) {
            Some(who) => lines.push(format!("- `{name}`: {}", who.join("; or "))),
            None if enabled.contains(&m) => lines.push(format!("- `{name}`: refused")),
            None => {}
        }
    }
    lines
}

pub fn hover(cx: &FrontendCx, offset: usize) -> Option<Hover> {
    let data = cx.backend.data.as_ref()?;
    let ix = index(cx)?;
    let src = cx.src;
    for site in sites(cx, &ix) {
        let name = text(site.name, src);
        let on = |n: Node| n.start_byte() <= offset && offset <= n.end_byte();
        if site.ns == "models" {
            let Some(model) = data.model(name) else {
                continue;
            };
            if let Some(op_node) = site.op.filter(|n| on(*n)) {
                let op_name = text(op_node, src);
                let needs: &[u16] = match ModelOp::from_name(op_name) {
                    Some(op) if model.disabled.contains(&op) => return None,
                    Some(op) => op.needs(),
                    // a secondary index query lists records
                    None if model.index_queries.iter().any(|q| q == op_name) => {
                        &[crate::model::frontend::data::ops::LIST]
                    }
                    None => return None,
                };
                let grants = model.access.for_needs(needs);
                let body = match grants {
                    Some(g) => mode_lines(data, &g).join("\n"),
                    None => "Who may call it cannot be read from the authorization rules.".into(),
                };
                return Some(Hover {
                    markdown: format!(
                        "**`{name}.{op_name}`**: who may call it, by auth mode\n\n{body}"
                    ),
                    span: span(op_node),
                });
            }
            if on(site.name) {
                let mut lines = Vec::new();
                for op in ModelOp::ALL {
                    let modes = match model.modes(op) {
                        Some(m) => plain_list(&m),
                        None => "unknown".to_string(),
                    };
                    lines.push(format!("- `{}`: {modes}", op.name()));
                }
                let filtered = model.access.grants.iter().any(|g| g.who.filters());
                return Some(Hover {
                    markdown: format!(
                        "**model `{name}`**: auth modes per operation{}\n\n{}",
                        if filtered {
                            " (owner or group-field rules filter rows)"
                        } else {
                            ""
                        },
                        lines.join("\n")
                    ),
                    span: span(site.name),
                });
            }
        } else if on(site.name) {
            let kind = match site.ns {
                "queries" => OpKind::Query,
                "mutations" => OpKind::Mutation,
                _ => OpKind::Subscription,
            };
            let op = data.custom_op(kind, name)?;
            let body = match op
                .access
                .for_needs(&[crate::model::frontend::data::ops::ALL])
            {
                Some(g) => mode_lines(data, &g).join("\n"),
                None => "Who may call it cannot be read from the authorization rules.".into(),
            };
            return Some(Hover {
                markdown: format!(
                    "**custom {} `{name}`**: who may call it, by auth mode\n\n{body}",
                    kind.name()
                ),
                span: span(site.name),
            });
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The owner switch (issue 16, item 7)

const USER_POOL: &str = "authMode: 'userPool'";

/// The edit that makes a model call use the user pool: its `authMode` literal replaced, the option added to
/// its options object, or an options argument added. None when it already does, or when its mode or
/// arguments cannot be read. `default` is the API's default mode.
fn user_pool_edit(
    src: &str,
    client: &Client,
    call: Node,
    index: usize,
    default: Option<Mode>,
) -> Option<(Span, String)> {
    let args = args_of(call);
    if args.iter().any(|a| a.kind() == "spread_element") {
        return None;
    }
    match options_value(call, index, src) {
        ModeSrc::Literal(s, sp) => {
            return (s != "userPool").then(|| user_pool_literal(src, sp));
        }
        ModeSrc::Unknown => return None,
        ModeSrc::Absent => {}
    }
    // no authMode on the call: the client's, else the API's default
    let needs = match &client.mode {
        ModeSrc::Literal(s, _) => s != "userPool",
        ModeSrc::Unknown => false,
        ModeSrc::Absent => default != Some(Mode::UserPool),
    };
    if !needs {
        return None;
    }
    match args.get(index) {
        Some(o) if o.kind() == "object" => {
            let mut c = o.walk();
            let first = o.named_children(&mut c).find(|n| n.kind() != "comment");
            Some(match first {
                Some(f) => (
                    Span::new(f.start_byte(), f.start_byte()),
                    format!("{USER_POOL}, "),
                ),
                None => (span(*o), format!("{{ {USER_POOL} }}")),
            })
        }
        Some(_) => None,
        None if args.len() == index => match args.last() {
            Some(prev) => Some((
                Span::new(prev.end_byte(), prev.end_byte()),
                format!(", {{ {USER_POOL} }}"),
            )),
            None => {
                let at = call.child_by_field_name("arguments")?.start_byte() + 1;
                Some((Span::new(at, at), format!("{{ {USER_POOL} }}")))
            }
        },
        None => None,
    }
}

/// The model calls of a file, with their client, call node and operation.
fn model_calls<'t>(cx: &FrontendCx<'t>) -> Vec<(Site<'t>, Node<'t>, ModelOp)> {
    let Some(ix) = index(cx) else {
        return Vec::new();
    };
    sites(cx, &ix)
        .into_iter()
        .filter(|s| s.ns == "models")
        .filter_map(|s| {
            let op = ModelOp::from_name(text(s.op?, cx.src))?;
            let call = s.call?;
            Some((s, call, op))
        })
        .collect()
}

/// For the model calls on `models` whose effective mode would not be `userPool` once the models use owner
/// rules (user pool), the edits that make them pass `authMode: 'userPool'` (see [`user_pool_edit`]). Calls
/// whose mode or arguments cannot be read are left alone.
pub fn calls_failing_after_owner_switch(cx: &FrontendCx, models: &[&str]) -> Vec<(Span, String)> {
    let Some(data) = cx.backend.data.as_ref() else {
        return Vec::new();
    };
    let default = data.default_mode(has_auth(cx));
    model_calls(cx)
        .into_iter()
        .filter(|(s, ..)| models.contains(&text(s.name, cx.src)))
        .filter_map(|(s, call, op)| {
            user_pool_edit(cx.src, &s.client, call, op.options_arg(), default)
        })
        .collect()
}

/// The literal that names a client's mode in `generateClient({ authMode: '...' })`.
fn client_literal(client: &Client) -> Option<Span> {
    match &client.mode {
        ModeSrc::Literal(_, sp) => Some(*sp),
        _ => None,
    }
}

/// The quoted `userPool` replacing the literal at `sp`, in its quotes.
fn user_pool_literal(src: &str, sp: Span) -> (Span, String) {
    let q = if src.get(sp.start..sp.start + 1) == Some("\"") {
        "\""
    } else {
        "'"
    };
    (sp, format!("{q}userPool{q}"))
}

/// What the owner switch does to one client of a file whose own `authMode` literal its calls rely on.
#[derive(Default)]
struct ClientFix {
    literal: Span,
    /// Some call relying on the client's mode is broken by the switch.
    broken: bool,
    /// Every use of the client relying on its mode is known to work with `userPool` after the switch.
    all_user_pool: bool,
    /// The per-call edits, used when the client's literal cannot change.
    calls: Vec<(Span, String)>,
}

/// The owner switch, given the file seen with the backend `before` and `after` it (same text and tree, two
/// backend views): the edits that move to the user pool the calls that `after` refuses, that `before`
/// allowed (so the switch is what breaks them), and that `after` allows with `userPool`. A call with its own
/// `authMode` literal gets it replaced (or the option added). When broken calls take their mode from the
/// client's `generateClient({ authMode })` literal, that literal becomes `'userPool'` if every use of the
/// client relying on it works with the user pool after the switch; otherwise each broken call gets its own
/// option.
pub fn owner_switch_edits(before: &FrontendCx, after: &FrontendCx) -> Vec<(Span, String)> {
    let (Some(b), Some(a)) = (before.backend.data.as_ref(), after.backend.data.as_ref()) else {
        return Vec::new();
    };
    let Some(ix) = index(after) else {
        return Vec::new();
    };
    let src = after.src;
    let default_a = a.default_mode(has_auth(after));
    let all = crate::model::frontend::data::ops::ALL;
    let list = crate::model::frontend::data::ops::LIST;
    let mut out = Vec::new();
    let mut clients: Vec<ClientFix> = Vec::new();
    for s in sites(after, &ix) {
        let name = text(s.name, src);
        // (modes before, modes after, the call's own mode, the options argument's index)
        let what = s.call.and_then(|call| {
            if s.ns == "models" {
                let (mb, ma) = (b.model(name)?, a.model(name)?);
                let op_name = text(s.op?, src);
                let (needs, index): (&[u16], usize) = match ModelOp::from_name(op_name) {
                    Some(op) if mb.disabled.contains(&op) || ma.disabled.contains(&op) => {
                        return None
                    }
                    Some(op) => (op.needs(), op.options_arg()),
                    None if ma.index_queries.iter().any(|q| q == op_name) => {
                        (std::slice::from_ref(&list), 1)
                    }
                    None => return None,
                };
                let call_mode = options_value(call, index, src);
                Some((
                    mb.access.modes(needs),
                    ma.access.modes(needs),
                    call_mode,
                    Some(index),
                ))
            } else {
                let kind = match s.ns {
                    "queries" => OpKind::Query,
                    "mutations" => OpKind::Mutation,
                    _ => OpKind::Subscription,
                };
                let (ob, oa) = (b.custom_op(kind, name)?, a.custom_op(kind, name)?);
                Some((
                    ob.access.modes(&[all]),
                    oa.access.modes(&[all]),
                    custom_options(call, src),
                    None,
                ))
            }
        });
        let relies = client_literal(&s.client).filter(|_| {
            what.as_ref()
                .is_none_or(|(_, _, m, _)| *m == ModeSrc::Absent)
        });
        let Some((Some(modes_b), Some(modes_a), call_mode, index)) = what else {
            // a use we cannot judge: the client's literal must stay
            if let Some(lit) = relies {
                client_fix(&mut clients, lit).all_user_pool = false;
            }
            continue;
        };
        let mode_b = effective_mode(before, b, &s.client, &call_mode).map(|m| m.0);
        let mode_a = effective_mode(after, a, &s.client, &call_mode).map(|m| m.0);
        let user_pool_ok = modes_a.contains(&Mode::UserPool);
        let broken = matches!((mode_b, mode_a), (Some(mb), Some(ma))
            if modes_b.contains(&mb) && !modes_a.contains(&ma));
        let edit = match (broken && user_pool_ok, s.call, index) {
            (true, Some(call), Some(index)) => {
                user_pool_edit(src, &s.client, call, index, default_a)
            }
            _ => None,
        };
        match relies {
            Some(lit) => {
                let fix = client_fix(&mut clients, lit);
                fix.broken |= broken;
                fix.all_user_pool &= user_pool_ok;
                fix.calls.extend(edit);
            }
            None => out.extend(edit),
        }
    }
    for fix in clients {
        if !fix.broken {
            continue;
        }
        if fix.all_user_pool {
            out.push(user_pool_literal(src, fix.literal));
        } else {
            out.extend(fix.calls);
        }
    }
    out.sort_by_key(|(sp, _)| (sp.start, sp.end));
    out
}

fn client_fix(clients: &mut Vec<ClientFix>, literal: Span) -> &mut ClientFix {
    let i = match clients.iter().position(|c| c.literal == literal) {
        Some(i) => i,
        None => {
            clients.push(ClientFix {
                literal,
                all_user_pool: true,
                ..ClientFix::default()
            });
            clients.len() - 1
        }
    };
    &mut clients[i]
}

#[cfg(test)]
mod tests;
