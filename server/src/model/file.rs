//! What one file says, as plain data: its Amplify factory calls, imports and top-level bindings.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use tree_sitter::{Node, Tree};

use super::value::{
    lower_collecting, lower_reusing, FnvBuild, Kind, LowerCache, Members, Prev, Prop, Value,
};
use crate::syntax::{span, text, Lang};
use crate::text::Span;

/// The Amplify factories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DefineKind {
    Auth,
    ReferenceAuth,
    Data,
    Storage,
    Function,
    /// `defineConversationHandlerFunction` of `@aws-amplify/backend-ai`: a Lambda function resource.
    ConversationHandler,
    Backend,
}

impl DefineKind {
    pub const ALL: [DefineKind; 7] = [
        Self::Auth,
        Self::ReferenceAuth,
        Self::Data,
        Self::Storage,
        Self::Function,
        Self::ConversationHandler,
        Self::Backend,
    ];

    pub fn from_callee(name: &str) -> Option<Self> {
        Some(match name {
            "defineAuth" => Self::Auth,
            "referenceAuth" => Self::ReferenceAuth,
            "defineData" => Self::Data,
            "defineStorage" => Self::Storage,
            "defineFunction" => Self::Function,
            "defineConversationHandlerFunction" => Self::ConversationHandler,
            "defineBackend" => Self::Backend,
            _ => return None,
        })
    }
    pub fn callee(self) -> &'static str {
        match self {
            Self::Auth => "defineAuth",
            Self::ReferenceAuth => "referenceAuth",
            Self::Data => "defineData",
            Self::Storage => "defineStorage",
            Self::Function => "defineFunction",
            Self::ConversationHandler => "defineConversationHandlerFunction",
            Self::Backend => "defineBackend",
        }
    }
    /// Whether the factory is a resource that `defineBackend` should receive.
    pub fn is_resource(self) -> bool {
        !matches!(self, Self::Backend)
    }
}

#[derive(Debug, Clone)]
pub struct Define {
    pub kind: DefineKind,
    pub callee_span: Span,
    pub call_span: Span,
    pub args_span: Span,
    /// The first argument.
    pub arg: Option<Value>,
    /// `const <binding> = defineX(...)`.
    pub binding: Option<String>,
    pub exported: bool,
}

#[derive(Debug, Clone)]
pub struct ImportName {
    /// The exported name (`default` for a default import, `*` for a namespace import).
    pub imported: String,
    pub local: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Import {
    pub source: String,
    pub source_span: Span,
    pub names: Vec<ImportName>,
    pub span: Span,
    pub type_only: bool,
    /// The braces of the named imports, `{ a, b }`, both there (not when error recovery made one up).
    pub list: Option<Span>,
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub name: String,
    pub name_span: Span,
    pub exported: bool,
    /// The bound value; `None` when it is an Amplify factory call (see `define`).
    pub value: Option<Value>,
    /// Index into [`FileModel::defines`] when the binding is a factory call.
    pub define: Option<usize>,
}

/// A call of a backend method, `backend.createStack('x')` / `backend.addOutput({...})`, anywhere in the file.
#[derive(Debug, Clone)]
pub struct MethodCall {
    /// The object's text when it is an identifier (`backend`).
    pub object: Option<String>,
    pub method: &'static str,
    pub method_span: Span,
    pub call_span: Span,
    pub args: Vec<Value>,
}

/// The methods [`FileModel::method_calls`] records.
pub const BACKEND_METHODS: &[&str] = &["createStack", "addOutput"];

/// A top-level `export ... from '<source>'`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reexport {
    pub source: String,
    /// `(name in the source module, exported name)`; `None` for `export * from` (every name).
    pub names: Option<Vec<(String, String)>>,
}

/// Everything the analysis needs to know about one file's top level.
#[derive(Debug, Clone, Default)]
pub struct FileModel {
    pub defines: Vec<Define>,
    pub imports: Vec<Import>,
    pub bindings: Vec<Binding>,
    /// `export * from './x'`, `export { a, b as c } from './x'` (type-only ones left out).
    pub reexports: Vec<Reexport>,
    /// Calls of the [`BACKEND_METHODS`], in document order.
    pub method_calls: Vec<MethodCall>,
    /// The lowered entries of this version, for [`FileModel::build_incremental`] of the next one (empty when
    /// built with [`FileModel::build`]).
    pub lowered: Arc<LowerCache>,
    /// The property names of the member expressions of every value lowered for this version (its top values and
    /// the arguments of its method calls), collected while lowering: a reused model entry adds the names it held
    /// when it was lowered, without a walk. A model not built from a tree collects them on first use by
    /// [`FileModel::has_member`], from its top values.
    pub members: OnceLock<Members>,
    /// Which of a few words the text holds (see [`Mentions`]).
    pub mentions: crate::model::mentions::Mentions,
    /// The data schema model, read on first use by [`crate::model::schema::schema_of`] and shared by everything
    /// that reads it for this version (the data rules, the frontend's view, symbols, actions).
    pub(crate) schema: OnceLock<Option<Arc<crate::model::schema::Schema>>>,
}

// The three finders below look for the patterns of `queries/calls.scm`, `queries/imports.scm` and
// `queries/bindings.scm` without running those queries: a query walks the whole tree (hundreds of
// milliseconds on a 12,000-line schema) and compiling the three costs about 25 ms at start-up, most of the
// server's cold start. A test checks that they find exactly what the queries find.

/// The `(call, callee, args)` nodes of every factory call `defineX(...)`, in document order, found from the
/// occurrences of the factory names in the text (they are rare).
fn factory_calls<'t>(root: Node<'t>, src: &str) -> Vec<(Node<'t>, Node<'t>, Node<'t>)> {
    let mut found: Vec<(Node<'t>, Node<'t>, Node<'t>)> = Vec::new();
    // One search per prefix the factory names share (`define`, `referenceAuth`), not one per name: each is a
    // pass over the whole text.
    const PREFIXES: [&str; 2] = ["define", "referenceAuth"];
    let occurrences = PREFIXES.iter().flat_map(|prefix| {
        memchr::memmem::find_iter(src.as_bytes(), prefix).flat_map(move |at| {
            DefineKind::ALL
                .iter()
                .map(|k| k.callee())
                .filter(move |name| name.starts_with(prefix) && src[at..].starts_with(name))
                .map(move |name| (at, name))
        })
    });
    for (at, name) in occurrences {
        let end = at + name.len();
        let Some(callee) = root.descendant_for_byte_range(at, end) else {
            continue;
        };
        if callee.kind() != "identifier" || callee.start_byte() != at || callee.end_byte() != end {
            continue;
        }
        let Some(call) = callee.parent().filter(|p| p.kind() == "call_expression") else {
            continue;
        };
        if call.child_by_field_name("function") != Some(callee) {
            continue;
        }
        if let Some(args) = call
            .child_by_field_name("arguments")
            .filter(|a| a.kind() == "arguments")
        {
            found.push((call, callee, args));
        }
    }
    found.sort_by_key(|f| f.0.start_byte());
    found
}

/// `import_statement` nodes with the string fragment of their source, in document order: top-level ones, and
/// those error recovery nests at most three levels below the program.
fn import_statements<'t>(node: Node<'t>, depth: usize, out: &mut Vec<(Node<'t>, Node<'t>)>) {
    if node.kind() == "import_statement" {
        if let Some(source) = node
            .child_by_field_name("source")
            .filter(|s| s.kind() == "string")
        {
            let mut c = source.walk();
            let fragment = source
                .named_children(&mut c)
                .find(|n| n.kind() == "string_fragment");
            if let Some(fragment) = fragment {
                out.push((node, fragment));
            }
        }
    }
    if depth < 3 {
        let mut c = node.walk();
        for child in node.children(&mut c) {
            import_statements(child, depth + 1, out);
        }
    }
}

/// Top-level `const name = value` declarators (`export const` too): `(name, value, exported)`.
fn top_level_bindings<'t>(root: Node<'t>) -> Vec<(Node<'t>, Node<'t>, bool)> {
    let mut out = Vec::new();
    if root.kind() != "program" {
        // error recovery gave up on the whole file
        return out;
    }
    let mut c = root.walk();
    for stmt in root.children(&mut c) {
        let (decl, exported) = match stmt.kind() {
            "lexical_declaration" => (stmt, false),
            "export_statement" => match stmt.child_by_field_name("declaration") {
                Some(d) if d.kind() == "lexical_declaration" => (d, true),
                _ => continue,
            },
            _ => continue,
        };
        let mut dc = decl.walk();
        for declarator in decl.named_children(&mut dc) {
            if declarator.kind() != "variable_declarator" {
                continue;
            }
            let name = declarator
                .child_by_field_name("name")
                .filter(|n| n.kind() == "identifier");
            let value = declarator
                .child_by_field_name("value")
                .filter(|v| v.is_named());
            if let (Some(name), Some(value)) = (name, value) {
                out.push((name, value, exported));
            }
        }
    }
    out
}

/// `(call, object, method, property, arguments)` of every `object.method(...)` call of the [`BACKEND_METHODS`],
/// found from the occurrences of their names in the text.
#[allow(clippy::type_complexity)]
fn method_calls<'t>(
    root: Node<'t>,
    src: &str,
) -> Vec<(Node<'t>, Node<'t>, &'static str, Node<'t>, Node<'t>)> {
    let mut found = Vec::new();
    for &name in BACKEND_METHODS {
        for at in memchr::memmem::find_iter(src.as_bytes(), name) {
            let end = at + name.len();
            let Some(prop) = root.descendant_for_byte_range(at, end) else {
                continue;
            };
            if prop.kind() != "property_identifier"
                || prop.start_byte() != at
                || prop.end_byte() != end
            {
                continue;
            }
            let Some(member) = prop.parent().filter(|p| p.kind() == "member_expression") else {
                continue;
            };
            if member.child_by_field_name("property") != Some(prop) {
                continue;
            }
            let Some(object) = member.child_by_field_name("object") else {
                continue;
            };
            let Some(call) = member.parent().filter(|p| p.kind() == "call_expression") else {
                continue;
            };
            if call.child_by_field_name("function") != Some(member) {
                continue;
            }
            if let Some(args) = call
                .child_by_field_name("arguments")
                .filter(|a| a.kind() == "arguments")
            {
                found.push((call, object, name, prop, args));
            }
        }
    }
    found.sort_by_key(|f| f.0.start_byte());
    found
}

/// The top-level `export ... from '...'` statements.
fn reexports(root: Node, src: &str) -> Vec<Reexport> {
    let mut out = Vec::new();
    if root.kind() != "program" {
        return out;
    }
    let mut c = root.walk();
    for stmt in root.children(&mut c) {
        if stmt.kind() != "export_statement" {
            continue;
        }
        let Some(source) = stmt
            .child_by_field_name("source")
            .filter(|s| s.kind() == "string")
        else {
            continue;
        };
        let mut sc = source.walk();
        let Some(fragment) = source
            .named_children(&mut sc)
            .find(|n| n.kind() == "string_fragment")
        else {
            continue;
        };
        let mut names: Option<Vec<(String, String)>> = None;
        let mut type_only = false;
        let mut ec = stmt.walk();
        for child in stmt.children(&mut ec) {
            match child.kind() {
                "type" => type_only = true,
                "namespace_export" => {
                    // `export * as ns from`: one name, the whole module
                    let ns = child
                        .named_child(0)
                        .map(|n| text(n, src).to_string())
                        .unwrap_or_default();
                    names = Some(vec![("*".to_string(), ns)]);
                }
                "export_clause" => {
                    let mut list = Vec::new();
                    let mut cc = child.walk();
                    for spec in child.named_children(&mut cc) {
                        if spec.kind() != "export_specifier" {
                            continue;
                        }
                        let name = spec.child_by_field_name("name");
                        let alias = spec.child_by_field_name("alias");
                        if let Some(name) = name {
                            let exported = alias.unwrap_or(name);
                            list.push((
                                text(name, src).to_string(),
                                text(exported, src).to_string(),
                            ));
                        }
                    }
                    names = Some(list);
                }
                _ => {}
            }
        }
        if !type_only {
            out.push(Reexport {
                source: text(fragment, src).to_string(),
                names,
            });
        }
    }
    out
}

impl FileModel {
    /// The file's top-level values: every binding's value and every define's argument (the roots a rule walks
    /// with [`Value::walk`](crate::model::value::Value::walk)).
    pub fn top_values(&self) -> Vec<&crate::model::value::Value> {
        let bindings = self.bindings.iter().filter_map(|b| b.value.as_ref());
        let defines = self.defines.iter().filter_map(|d| d.arg.as_ref());
        bindings.chain(defines).collect()
    }

    /// Whether a member expression `<object>.<name>` (a call's callee or not) appears in the file's values (see
    /// [`FileModel::members`]). A rule that looks for a rare method (`.renameModels(...)`, `a.allow.x(...)`) skips
    /// its own walk of the top values when the name is absent. The names may include some that the top values do
    /// not hold (a method call's arguments): then the rule walks and finds nothing, as it would without this test.
    pub fn has_member(&self, name: &str) -> bool {
        self.members
            .get_or_init(|| {
                let mut names = HashSet::with_hasher(FnvBuild::default());
                for v in self.top_values() {
                    v.walk(&mut |v| {
                        if let Kind::Member { prop, .. } = &v.kind {
                            if !names.contains(prop.as_str()) {
                                names.insert(prop.clone());
                            }
                        }
                    });
                }
                names
            })
            .contains(name)
    }

    /// Visits the file's top values as [`Value::walk`] does, except the model entries (the object entries the
    /// lowering cache holds, see [`LowerCache::names_of`]) that hold no member expression named in `any_of`. For
    /// a rule that reports only on values holding such a member (`allow.guest()`), the findings are the same as
    /// with a full walk; in a large schema most entries are passed over. Returns whether an entry was passed over.
    pub fn walk_holding<'a>(&'a self, any_of: &[&str], f: &mut dyn FnMut(&'a Value)) -> bool {
        let mut passed = false;
        let mut skip = |p: &'a Prop| {
            let skip = self.holds_no_member(p, &|n| any_of.contains(&n));
            passed |= skip;
            skip
        };
        for v in self.top_values() {
            v.walk_pruned(&mut skip, f);
        }
        passed
    }

    /// Whether `p` is a model entry of the lowering cache (see [`LowerCache::names_of`]) that holds no member
    /// expression whose name is `wanted`: a walk looking for such a member may pass over it. `false` for any
    /// other entry.
    pub fn holds_no_member(&self, p: &Prop, wanted: &dyn Fn(&str) -> bool) -> bool {
        self.lowered
            .names_of(p)
            .is_some_and(|names| !names.iter().any(|n| wanted(n)))
    }

    pub fn build(tree: &Tree, src: &str, lang: Lang) -> FileModel {
        Self::build_from(tree, src, lang, None)
    }

    /// Builds the model of a new version of a file, reusing what an earlier version lowered (`prev`, its
    /// model's [`FileModel::lowered`]) from text that has not changed, and keeping this version's entries for
    /// the next one. The result equals [`FileModel::build`]'s, apart from `lowered`.
    pub fn build_incremental(
        tree: &Tree,
        src: &str,
        lang: Lang,
        prev: Option<&LowerCache>,
    ) -> FileModel {
        Self::build_from(tree, src, lang, Some(prev.map_or(Prev::None, Prev::Shared)))
    }

    /// [`FileModel::build_incremental`] from an earlier version's cache that nothing else holds any more (its
    /// model is gone): the entries it reuses are taken out of it, and those that moved are moved in place
    /// instead of copied (see [`Prev::Owned`]). The result is the same.
    pub fn build_reusing(tree: &Tree, src: &str, lang: Lang, prev: LowerCache) -> FileModel {
        let mut prev = prev.into_owned_prev();
        let moving_types = prev.move_types_ahead();
        let model = Self::build_from(tree, src, lang, Some(Prev::Owned(&mut prev)));
        // (a move that failed left the schema's memo empty: the schema read reads every type again)
        if let Some(m) = moving_types {
            m.wait();
        }
        model
    }

    /// Builds the model; `cache` is `None` when nothing is cached for the next version ([`FileModel::build`]).
    fn build_from(tree: &Tree, src: &str, _lang: Lang, mut cache: Option<Prev<'_>>) -> FileModel {
        let root = tree.root_node();
        let mut model = FileModel {
            mentions: crate::model::mentions::Mentions::of(src),
            ..FileModel::default()
        };
        let mut next = cache
            .as_ref()
            .and_then(Prev::cache)
            .map_or_else(LowerCache::default, LowerCache::after);
        let mut members = Members::default();
        let mut lower = |node: Node, src: &str| match &mut cache {
            Some(prev) => lower_reusing(node, src, prev.reborrow(), &mut next, &mut members),
            None => lower_collecting(node, src, &mut members),
        };

        // Factory calls.
        for (call, callee, args) in factory_calls(root, src) {
            let Some(kind) = DefineKind::from_callee(text(callee, src)) else {
                continue;
            };
            let arg = args
                .named_children(&mut args.walk())
                .find(|n| !n.is_extra());
            // `const x = defineX(...)` / `export const x = ...`
            let mut binding = None;
            let mut exported = false;
            if let Some(parent) = call.parent() {
                if parent.kind() == "variable_declarator" {
                    binding = parent
                        .child_by_field_name("name")
                        .filter(|n| n.kind() == "identifier")
                        .map(|n| text(n, src).to_string());
                    exported = parent
                        .parent()
                        .and_then(|d| d.parent())
                        .is_some_and(|e| e.kind() == "export_statement");
                }
            }
            model.defines.push(Define {
                kind,
                callee_span: span(callee),
                call_span: span(call),
                args_span: span(args),
                arg: arg.map(|a| lower(a, src)),
                binding,
                exported,
            });
        }

        // Imports.
        let mut imports = Vec::new();
        import_statements(root, 0, &mut imports);
        for (imp, source) in imports {
            let mut names = Vec::new();
            let mut type_only = false;
            let mut list = None;
            let mut c = imp.walk();
            for child in imp.children(&mut c) {
                if child.kind() == "type" {
                    type_only = true;
                }
                if child.kind() != "import_clause" {
                    continue;
                }
                let mut cc = child.walk();
                for part in child.named_children(&mut cc) {
                    match part.kind() {
                        "identifier" => names.push(ImportName {
                            imported: "default".into(),
                            local: text(part, src).into(),
                            span: span(part),
                        }),
                        "namespace_import" => {
                            if let Some(id) = part.named_child(0) {
                                names.push(ImportName {
                                    imported: "*".into(),
                                    local: text(id, src).into(),
                                    span: span(id),
                                });
                            }
                        }
                        "named_imports" => {
                            let braces =
                                src.get(part.start_byte()..part.end_byte())
                                    .is_some_and(|t| {
                                        t.len() >= 2 && t.starts_with('{') && t.ends_with('}')
                                    });
                            list = braces.then(|| span(part));
                            let mut nc = part.walk();
                            for spec in part.named_children(&mut nc) {
                                if spec.kind() != "import_specifier" {
                                    continue;
                                }
                                let name = spec.child_by_field_name("name");
                                let alias = spec.child_by_field_name("alias");
                                if let Some(name) = name {
                                    let local = alias.unwrap_or(name);
                                    names.push(ImportName {
                                        imported: text(name, src).into(),
                                        local: text(local, src).into(),
                                        span: span(local),
                                    });
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            model.imports.push(Import {
                source: text(source, src).to_string(),
                source_span: span(source),
                names,
                span: span(imp),
                type_only,
                list,
            });
        }

        model.reexports = reexports(root, src);
        for (call, object, method, property, args) in method_calls(root, src) {
            model.method_calls.push(MethodCall {
                object: (object.kind() == "identifier").then(|| text(object, src).to_string()),
                method,
                method_span: span(property),
                call_span: span(call),
                args: args
                    .named_children(&mut args.walk())
                    .filter(|n| !n.is_extra())
                    .map(|a| lower(a, src))
                    .collect(),
            });
        }

        // Top-level bindings.
        for (name, value, exported) in top_level_bindings(root) {
            let define = model
                .defines
                .iter()
                .position(|d| d.call_span == span(value));
            model.bindings.push(Binding {
                name: text(name, src).to_string(),
                name_span: span(name),
                exported,
                value: if define.is_some() {
                    None
                } else {
                    Some(lower(value, src))
                },
                define,
            });
        }
        match cache {
            Some(Prev::Shared(prev)) => next.carry_over(prev),
            Some(Prev::Owned(prev)) => next.carry_over_owned(prev),
            Some(Prev::None) | None => {}
        }
        model.lowered = Arc::new(next);
        model.members = OnceLock::from(members);
        model
    }

    /// The value bound to a top-level name in this file.
    pub fn binding(&self, name: &str) -> Option<&Binding> {
        self.bindings.iter().rev().find(|b| b.name == name)
    }

    /// Resolves an identifier value to the top-level value it names (one level), else returns it unchanged.
    pub fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        if let Kind::Ident(name) = &v.kind {
            if let Some(b) = self.binding(name) {
                if let Some(val) = &b.value {
                    return val;
                }
            }
        }
        v
    }

    /// The import that binds `local`, with the imported name.
    pub fn import_of(&self, local: &str) -> Option<(&Import, &ImportName)> {
        self.imports
            .iter()
            .find_map(|i| i.names.iter().find(|n| n.local == local).map(|n| (i, n)))
    }

    /// Where the `i`-th factory call is named: its binding's name (`const sayHello = ...`), else the callee.
    pub fn define_name_span(&self, i: usize) -> Option<Span> {
        let d = self.defines.get(i)?;
        Some(
            self.bindings
                .iter()
                .find(|b| b.define == Some(i))
                .map_or(d.callee_span, |b| b.name_span),
        )
    }

    pub fn first(&self, kind: DefineKind) -> Option<&Define> {
        self.defines.iter().find(|d| d.kind == kind)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::syntax::{parse, queries};
    use tree_sitter::{QueryCursor, StreamingIterator};

    /// The node captured under `idx` in a query match.
    fn capture<'t>(m: &tree_sitter::QueryMatch<'_, 't>, idx: Option<u32>) -> Option<Node<'t>> {
        m.captures
            .iter()
            .find(|c| Some(c.index) == idx)
            .map(|c| c.node)
    }

    /// The spans every query finds when it runs over the whole tree, without the restrictions `build` uses.
    fn unrestricted(tree: &Tree, src: &str) -> [Vec<(usize, usize)>; 3] {
        let q = queries(Lang::TypeScript);
        let mut out: [Vec<(usize, usize)>; 3] = Default::default();
        for (i, (query, name)) in [
            (&q.calls, "call"),
            (&q.imports, "import"),
            (&q.bindings, "name"),
        ]
        .into_iter()
        .enumerate()
        {
            let idx = query.capture_index_for_name(name);
            let mut cursor = QueryCursor::new();
            let mut matches = cursor.matches(query, tree.root_node(), src.as_bytes());
            while let Some(m) = matches.next() {
                if let Some(n) = capture(m, idx) {
                    if i == 0
                        && DefineKind::from_callee(text(n.child(0).unwrap_or(n), src)).is_none()
                    {
                        continue;
                    }
                    out[i].push((n.start_byte(), n.end_byte()));
                }
            }
        }
        out
    }

    /// `build` does not run the queries of `queries/*.scm`; it must find what they find, on every fixture file
    /// and on truncated (broken) versions of them.
    #[test]
    fn finders_find_what_the_queries_find() {
        let mut texts = vec![
            "const a = defineData({ x: defineFunction({}) }); defineBackend({ a });".to_string(),
            "function f() { return defineAuth({ loginWith: { email: true } }); }".to_string(),
            "// defineAuth( in a comment\nconst s = 'defineStorage(';".to_string(),
        ];
        texts.extend(
            crate::testing::fixture_sources()
                .into_iter()
                .map(|(_, t)| t),
        );
        assert!(texts.len() > 20, "fixtures not found");
        let mut checked = 0;
        for full in &texts {
            // the text, and versions cut at a few places (syntax errors)
            for k in 1..=10 {
                let cut = full.len() * k / 10;
                let Some(src) = full.get(..cut) else { continue };
                // (the crasher fixtures include a text the parser abandons)
                let Some(tree) = parse(src, Lang::TypeScript, None) else {
                    continue;
                };
                let m = FileModel::build(&tree, src, Lang::TypeScript);
                let [calls, imports, names] = unrestricted(&tree, src);
                let got =
                    |v: Vec<Span>| v.into_iter().map(|s| (s.start, s.end)).collect::<Vec<_>>();
                assert_eq!(
                    got(m.defines.iter().map(|d| d.call_span).collect()),
                    calls,
                    "calls in {src}"
                );
                assert_eq!(
                    got(m.imports.iter().map(|i| i.span).collect()),
                    imports,
                    "imports in {src}"
                );
                assert_eq!(
                    got(m.bindings.iter().map(|b| b.name_span).collect()),
                    names,
                    "bindings in {src}"
                );
                checked += 1;
            }
        }
        assert!(checked > 200);
    }

    #[test]
    fn conversation_handlers_are_defines() {
        let src = "import { defineConversationHandlerFunction } from '@aws-amplify/backend-ai/conversation';\n\
                   export const chatHandler = defineConversationHandlerFunction({ name: 'chat', models: [] });\n\
                   const f = defineFunction({});\n";
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        let m = FileModel::build(&tree, src, Lang::TypeScript);
        let kinds: Vec<DefineKind> = m.defines.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [DefineKind::ConversationHandler, DefineKind::Function]
        );
        assert_eq!(m.defines[0].binding.as_deref(), Some("chatHandler"));
        assert!(m.defines[0].exported);
        assert!(DefineKind::ConversationHandler.is_resource());
        assert_eq!(
            DefineKind::from_callee(DefineKind::ConversationHandler.callee()),
            Some(DefineKind::ConversationHandler)
        );
    }

    #[test]
    fn finds_defines_imports_and_bindings() {
        let src = r#"import { defineFunction, secret } from '@aws-amplify/backend';
import * as iam from 'aws-cdk-lib/aws-iam';
import { x as y } from './x';
const schema = a.schema({ Todo: a.model({}) });
export const sayHello = defineFunction({ name: 'say-hello', timeoutSeconds: 10 });
export const data = defineData({ schema });
"#;
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        let m = FileModel::build(&tree, src, Lang::TypeScript);
        assert_eq!(m.defines.len(), 2);
        assert_eq!(m.defines[0].kind, DefineKind::Function);
        assert_eq!(m.defines[0].binding.as_deref(), Some("sayHello"));
        assert!(m.defines[0].exported);
        assert_eq!(m.imports.len(), 3);
        assert_eq!(m.imports[0].source, "@aws-amplify/backend");
        assert_eq!(m.imports[0].names.len(), 2);
        assert_eq!(
            m.import_of("iam").map(|(_, n)| n.imported.as_str()),
            Some("*")
        );
        assert_eq!(
            m.import_of("y").map(|(_, n)| n.imported.as_str()),
            Some("x")
        );
        let schema = m.binding("schema").expect("schema");
        assert!(schema.value.is_some());
        let data = m.first(DefineKind::Data).expect("data");
        let arg = data.arg.as_ref().expect("arg");
        let resolved = m.resolve(arg.field("schema").expect("schema prop"));
        assert!(matches!(resolved.kind, Kind::Call { .. }));
        assert_eq!(m.binding("sayHello").and_then(|b| b.define), Some(0));
    }

    /// A schema of `n` models, each long enough to be cached.
    pub(crate) fn schema_src(names: &[&str]) -> String {
        let mut s = String::from(
            "import { a, defineData } from '@aws-amplify/backend';\n\nconst schema = a.schema({\n",
        );
        for n in names {
            s.push_str(&format!(
                "  {n}: a\n    .model({{\n      title: a.string().required(),\n      body: a.string(),\n      \
                 rating: a.integer(),\n      tags: a.string().array(),\n      ownerId: a.id(),\n    }})\n    \
                 .secondaryIndexes((index) => [index('title')])\n    \
                 .authorization((allow) => [allow.owner(), allow.authenticated().to(['read'])]){},\n",
                // a member name that only this model holds
                if *n == "Blog" {
                    "\n    .disableOperations(['subscriptions'])"
                } else {
                    ""
                }
            ));
        }
        s.push_str("});\n\nexport const data = defineData({ schema });\n");
        s
    }

    pub(crate) fn same(a: &FileModel, b: &FileModel) -> bool {
        format!("{:?}{:?}{:?}", a.defines, a.imports, a.bindings)
            == format!("{:?}{:?}{:?}", b.defines, b.imports, b.bindings)
    }

    #[test]
    fn entries_with_the_same_member_names_share_one_list() {
        let src = schema_src(&["Post", "Comment", "Tag", "Blog"]);
        let tree = parse(&src, Lang::TypeScript, None).expect("parse");
        let file = FileModel::build_incremental(&tree, &src, Lang::TypeScript, None);
        let schema = file
            .binding("schema")
            .and_then(|b| b.value.as_ref())
            .expect("the schema's value");
        let Kind::Call { args, .. } = &schema.kind else {
            panic!("a call: {schema:?}")
        };
        let entries = args[0].as_object().expect("an object");
        let lists: Vec<&[crate::model::value::Text]> = entries
            .iter()
            .map(|p| file.lowered.names_of(p).expect("a cached entry"))
            .collect();
        assert_eq!(lists.len(), 4);
        // the three models that call the same methods hold one list; the one that calls one more holds its own
        assert!(std::ptr::eq(lists[0], lists[1]) && std::ptr::eq(lists[1], lists[2]));
        assert!(!std::ptr::eq(lists[0], lists[3]));
        assert!(lists[3].iter().any(|n| n.as_str() == "disableOperations"));
        assert!(!lists[0].iter().any(|n| n.as_str() == "disableOperations"));
    }

    #[test]
    fn incremental_build_equals_a_fresh_build_and_reuses_untouched_models() {
        let versions = [
            schema_src(&["Post", "Comment", "Tag", "Author", "Blog"]),
            // a character typed inside one model
            schema_src(&["Post", "Comment", "Tags", "Author", "Blog"]),
            // a model inserted before the others: every later entry moves
            schema_src(&["Draft", "Post", "Comment", "Tags", "Author", "Blog"]),
            // a syntax error in the middle (an unclosed call), then fixed again
            schema_src(&["Draft", "Post", "Comment", "Tags", "Author", "Blog"]).replacen(
                "rating: a.integer(),",
                "rating: a.integer(,",
                1,
            ),
            schema_src(&["Draft", "Post", "Comment", "Tags", "Author", "Blog"]),
            // models deleted
            schema_src(&["Post", "Blog"]),
        ];
        let mut prev: Option<Arc<LowerCache>> = None;
        let mut reused = Vec::new();
        for (i, src) in versions.iter().enumerate() {
            let tree = parse(src, Lang::TypeScript, None).expect("parse");
            let fresh = FileModel::build(&tree, src, Lang::TypeScript);
            let inc = FileModel::build_incremental(&tree, src, Lang::TypeScript, prev.as_deref());
            assert!(same(&fresh, &inc), "version {i} differs from a fresh build");
            // the member names: the same whether entries were reused or lowered, and every name a walk of the
            // top values finds (a reused entry adds its names without being walked)
            let (Some(f), Some(n)) = (fresh.members.get(), inc.members.get()) else {
                panic!("version {i}: the member names are collected while lowering");
            };
            assert_eq!(f, n, "version {i}: member names");
            for v in inc.top_values() {
                v.walk(&mut |v| {
                    if let Kind::Member { prop, .. } = &v.kind {
                        assert!(inc.has_member(prop), "version {i}: {prop} missing");
                    }
                });
            }
            // (v3's syntax error hides the schema from the lowering)
            assert_eq!(
                inc.has_member("disableOperations"),
                src.contains("Blog: a") && i != 3,
                "version {i}"
            );
            assert!(!inc.has_member("renameModels"), "version {i}");
            // a walk for `disableOperations` passes over the models without it, and visits every value the full
            // walk visits that holds it
            let holding = |m: &FileModel, pruned: bool| {
                let (mut seen, mut found) = (0, Vec::new());
                let mut f = |v: &Value| {
                    seen += 1;
                    if matches!(&v.kind, Kind::Member { prop, .. } if prop == "disableOperations") {
                        found.push(v.span);
                    }
                };
                if pruned {
                    m.walk_holding(&["disableOperations"], &mut f);
                } else {
                    m.top_values().iter().for_each(|v| v.walk(&mut f));
                }
                (seen, found)
            };
            let (all, expected) = holding(&inc, false);
            let (some, found) = holding(&inc, true);
            assert_eq!(found, expected, "version {i}");
            // (one model of the two in v5 holds it; none is passed over under v3's syntax error)
            if i != 3 {
                let factor = if i == 5 { 1 } else { 2 };
                assert!(
                    some * factor < all,
                    "version {i}: {some} of {all} values visited"
                );
            }
            reused.push(inc.lowered.reused());
            prev = Some(inc.lowered.clone());
        }
        // v1 reuses the 4 untouched models; v2 the 5 that moved; v3 none (the error hides the schema from the
        // lowering); v4 all 6, kept through v3 unused; v5 the 2 that remain.
        assert_eq!(reused, vec![0, 4, 5, 0, 6, 2], "reuse per version");
    }

    /// The build that owns the earlier version's cache (its model gone) takes the entries it reuses out of it and
    /// moves them in place; the model equals a fresh build's, version after version. A part still held elsewhere
    /// (here: a clone of one model's entry, as a request reading the earlier version would hold) is copied
    /// instead, and what that holder sees does not move.
    #[test]
    fn an_owned_cache_moves_its_entries_in_place_and_the_model_equals_a_fresh_build() {
        use crate::model::value::MOVES;
        let versions = [
            schema_src(&["Post", "Comment", "Tag", "Author", "Blog"]),
            // a model inserted before the others: every later entry moves
            schema_src(&["Draft", "Post", "Comment", "Tag", "Author", "Blog"]),
            // a character typed inside the first model: the five after it move again
            schema_src(&["Drafts", "Post", "Comment", "Tag", "Author", "Blog"]),
            // a syntax error hides the schema, then is fixed with the models moved back
            schema_src(&["Drafts", "Post", "Comment", "Tag", "Author", "Blog"]).replacen(
                "rating: a.integer(),",
                "rating: a.integer(,",
                1,
            ),
            schema_src(&["Draft", "Post", "Comment", "Tag", "Author", "Blog"]),
            // a model deleted: the ones after it move up
            schema_src(&["Draft", "Comment", "Tag", "Author", "Blog"]),
        ];
        // with the earlier model gone, nothing is copied
        let mut prev: Option<FileModel> = None;
        let mut moved = Vec::new();
        for (i, src) in versions.iter().enumerate() {
            let tree = parse(src, Lang::TypeScript, None).expect("parse");
            let fresh = FileModel::build(&tree, src, Lang::TypeScript);
            MOVES.with(|m| m.set((0, 0)));
            let model = match prev.take() {
                Some(earlier) => {
                    let cache = earlier.lowered.clone();
                    drop(earlier);
                    let cache = Arc::try_unwrap(cache).expect("the build's own");
                    FileModel::build_reusing(&tree, src, Lang::TypeScript, cache)
                }
                None => FileModel::build_incremental(&tree, src, Lang::TypeScript, None),
            };
            assert!(
                same(&fresh, &model),
                "version {i} differs from a fresh build"
            );
            moved.push(MOVES.with(|m| m.get()));
            prev = Some(model);
        }
        // v1: five moved down; v2: five moved again; v3: none lowered (the error); v4: the five moved back up,
        // kept through v3 unused, and the first model's old text; v5: the four after the deleted one
        assert_eq!(moved, vec![(0, 0), (5, 0), (5, 0), (0, 0), (5, 0), (4, 0)]);

        // one entry of the earlier version still held elsewhere: that one is copied, the rest are moved
        let (v0, v1) = (&versions[0], &versions[1]);
        let tree0 = parse(v0, Lang::TypeScript, None).expect("parse");
        let tree1 = parse(v1, Lang::TypeScript, None).expect("parse");
        let earlier = FileModel::build_incremental(&tree0, v0, Lang::TypeScript, None);
        let at = v0.find("  Comment: a").expect("model") + 2;
        let held = earlier.lowered.entry_at(at).expect("entry").1.clone();
        let held_before = format!("{held:?}");
        let cache = earlier.lowered.clone();
        drop(earlier);
        let cache = Arc::try_unwrap(cache).expect("the build's own");
        MOVES.with(|m| m.set((0, 0)));
        let model = FileModel::build_reusing(&tree1, v1, Lang::TypeScript, cache);
        let fresh = FileModel::build(&tree1, v1, Lang::TypeScript);
        assert!(same(&fresh, &model));
        let (in_place, copied) = MOVES.with(|m| m.get());
        assert_eq!(in_place, 5);
        assert!(copied > 0);
        assert_eq!(
            format!("{held:?}"),
            held_before,
            "what another holder sees moved"
        );
        assert_eq!(held.span.start, at);
    }

    #[test]
    fn an_entry_moved_once_is_reused_as_it_is_by_the_versions_after() {
        let names = ["Post", "Comment", "Tag", "Author", "Blog"];
        let base = schema_src(&names);
        let versions = [
            base.clone(),
            // a line typed above every model: they all move
            format!("// a note\n{base}"),
            // then an edit below them: none moves
            format!("// a note\n{base}const more = 1;\n"),
        ];
        let mut models: Vec<FileModel> = Vec::new();
        for src in &versions {
            let tree = parse(src, Lang::TypeScript, None).expect("parse");
            let prev = models.last().map(|m| m.lowered.clone());
            models.push(FileModel::build_incremental(
                &tree,
                src,
                Lang::TypeScript,
                prev.as_deref(),
            ));
        }
        let schemas: Vec<_> = models
            .iter()
            .map(|m| crate::model::schema::schema_of(m).expect("schema"))
            .collect();
        for n in names {
            let at = |v: usize| versions[v].find(&format!("  {n}: a")).expect("model") + 2;
            let entry = |v: usize| models[v].lowered.entry_at(at(v)).expect("entry").clone();
            let ty = |v: usize| {
                schemas[v].parts[0]
                    .types
                    .iter()
                    .find(|t| t.name == n)
                    .expect("type")
                    .clone()
            };
            // moved: a new entry, and a new type (moved from the old one, which the first version still holds)
            assert!(!Arc::ptr_eq(&entry(0), &entry(1)), "{n}");
            assert!(!Arc::ptr_eq(&ty(0), &ty(1)), "{n}");
            assert_eq!(entry(1).0, at(1), "{n}");
            // then where it is: the same entry and the same type
            assert!(Arc::ptr_eq(&entry(1), &entry(2)), "{n}");
            assert!(Arc::ptr_eq(&ty(1), &ty(2)), "{n}");
        }
        assert_eq!(models[2].lowered.reused(), names.len());
    }

    #[test]
    fn reexports_and_backend_method_calls() {
        let src = "export * from './a';\nexport { b, c as d } from './b';\nexport type { T } from './t';\nexport * as ns from './n';\nconst backend = defineBackend({});\nconst s = backend.createStack('S');\nif (x) { backend.addOutput({ custom: { a: 1 } }); }\nbackend.createStack;\nfoo.createStack.call(null);";
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        let m = FileModel::build(&tree, src, Lang::TypeScript);
        assert_eq!(
            m.reexports,
            [
                Reexport {
                    source: "./a".into(),
                    names: None
                },
                Reexport {
                    source: "./b".into(),
                    names: Some(vec![("b".into(), "b".into()), ("c".into(), "d".into())])
                },
                Reexport {
                    source: "./n".into(),
                    names: Some(vec![("*".into(), "ns".into())])
                },
            ]
        );
        let calls: Vec<(Option<&str>, &str, usize)> = m
            .method_calls
            .iter()
            .map(|c| (c.object.as_deref(), c.method, c.args.len()))
            .collect();
        assert_eq!(
            calls,
            [
                (Some("backend"), "createStack", 1),
                (Some("backend"), "addOutput", 1)
            ]
        );
    }
}
