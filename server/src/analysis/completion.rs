//! Completion: from the cursor context and the catalog to plain completion items.

use super::lookup::{self, Place};
use crate::model::catalog::{self, Builder, Doc, Literal, Ty};
use crate::model::context::{cursor_at, Cursor};
use crate::model::file::FileModel;
use crate::model::project::ProjectFacts;
use crate::text::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Property,
    Value,
    Function,
    Method,
    Module,
    Class,
    Field,
    EnumMember,
    Keyword,
    Snippet,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: ItemKind,
    /// One line: the type or signature.
    pub detail: Option<String>,
    /// Markdown documentation.
    pub documentation: Option<String>,
    /// The text inserted (replacing `replace`).
    pub insert: String,
    /// `insert` is a snippet with `$0`/`${1}` placeholders.
    pub snippet: bool,
    pub replace: Span,
    pub sort: String,
    pub preselect: bool,
    /// TypeScript offers the same item once Amplify's types are installed (a property name, an `a.` or `allow.`
    /// member, a literal of a union type); items from the project (model, field, group names) are not.
    pub typed: bool,
}

/// Client abilities and settings that shape completion.
#[derive(Debug, Clone)]
pub struct CompletionOptions {
    pub snippets: bool,
    pub docs_platform: String,
    /// Leave out the items TypeScript offers too ([`CompletionItem::typed`]): set when Amplify's types are
    /// installed in the project and the user did not ask for duplicates.
    pub hide_typed: bool,
    /// The types of the document's schema as a recent version had them ([`lookup::schema_types`]), with that
    /// version's text. The names of the schema's types (`a.ref('`, `a.hasMany('`) come from here, not from
    /// this version's file model (which right after a keystroke is still being built), when the two texts
    /// differ only inside the string being completed: then the two versions have the same types.
    pub recent_types: Option<lookup::RecentTypes>,
}

impl Default for CompletionOptions {
    fn default() -> Self {
        CompletionOptions {
            snippets: true,
            docs_platform: "react".to_string(),
            hide_typed: false,
            recent_types: None,
        }
    }
}

/// Markdown documentation for a catalog entry.
pub fn doc_markdown(
    title: &str,
    ty: Option<String>,
    default: Option<&str>,
    doc: &Doc,
    platform: &str,
) -> String {
    let mut s = String::new();
    match ty {
        Some(t) => s.push_str(&format!("```ts\n{title}: {t}\n```\n\n")),
        None => s.push_str(&format!("```ts\n{title}\n```\n\n")),
    }
    s.push_str(doc.summary);
    s.push_str("\n\n");
    if !doc.details.is_empty() {
        s.push_str(doc.details);
        s.push_str("\n\n");
    }
    if let Some(d) = default {
        s.push_str(&format!("Default: `{d}`\n\n"));
    }
    s.push_str(&format!(
        "[Amplify docs]({}) · since {}",
        catalog::docs_url(platform, doc.path),
        doc.since
    ));
    s
}

struct Ctx<'a> {
    src: &'a str,
    cur: Cursor,
    /// The file model, asked for only by the completions that read it (see [`completion_with`]).
    file: &'a dyn Fn() -> Option<&'a FileModel>,
    /// The project's facts, asked for only by the completions that read them (groups, data functions).
    project: &'a dyn Fn() -> &'a ProjectFacts,
    opts: &'a CompletionOptions,
    out: Vec<CompletionItem>,
}

/// Completion items at `offset` of `src`.
pub fn completion(
    src: &str,
    file: Option<&FileModel>,
    project: &ProjectFacts,
    offset: usize,
    opts: &CompletionOptions,
) -> Vec<CompletionItem> {
    completion_with(src, &|| file, &|| project, offset, opts)
}

/// [`completion`], with the file model given by `file`, which is called only when the completion at hand reads
/// the model (the type names of `a.ref('|')`, the resources of `defineBackend`, a chain on an imported SQL
/// schema), and the project's facts by `project`, called only when it reads them (the groups of
/// `allow.groups(['|'])`, the keys of `a.handler.function('|')`). Most completions come from the text before the
/// cursor and the catalog alone: right after a keystroke in a large schema, they need not wait for the new
/// version's model to be built, nor for the project's facts that other requests are bringing up to date.
pub fn completion_with<'a>(
    src: &'a str,
    file: &'a dyn Fn() -> Option<&'a FileModel>,
    project: &'a dyn Fn() -> &'a ProjectFacts,
    offset: usize,
    opts: &'a CompletionOptions,
) -> Vec<CompletionItem> {
    let cur = cursor_at(src, offset);
    if cur.in_comment {
        return Vec::new();
    }
    let mut cx = Ctx {
        src,
        cur,
        file,
        project,
        opts,
        out: Vec::new(),
    };
    if cx.cur.in_string.is_some() {
        cx.in_string();
    } else if cx.cur.after_dot {
        cx.members();
    } else if cx.cur.at_key() {
        cx.keys();
    } else {
        cx.values();
    }
    let mut out = cx.out;
    let mut seen = std::collections::HashSet::new();
    out.retain(|i| !(opts.hide_typed && i.typed) && seen.insert(i.label.clone()));
    // Our items are about the cursor's Amplify context: rank them above identifier completions from other
    // servers (TypeScript's sort texts start with `1`), keeping their order among themselves.
    for i in &mut out {
        i.sort.insert(0, '0');
    }
    out
}

impl Ctx<'_> {
    /// The span a completion replaces: the word being typed, or an empty span at the cursor.
    fn word_span(&self) -> Span {
        self.cur
            .word
            .as_ref()
            .map_or(Span::new(self.cur.offset, self.cur.offset), |w| w.1)
    }

    fn string_span(&self) -> Span {
        self.cur
            .in_string
            .as_ref()
            .map_or(Span::new(self.cur.offset, self.cur.offset), |s| s.content)
    }

    fn quote(&self) -> char {
        lookup::preferred_quote(self.src)
    }

    fn push(&mut self, item: CompletionItem) {
        self.out.push(item);
    }

    fn literal_items(&mut self, set: &'static [Literal], kind: ItemKind, quoted: bool) {
        let replace = if quoted {
            self.word_span()
        } else {
            self.string_span()
        };
        let q = self.quote();
        let platform = self.opts.docs_platform.clone();
        for (i, l) in set.iter().enumerate() {
            let insert = if quoted {
                format!("{q}{}{q}", l.value)
            } else {
                l.value.to_string()
            };
            self.push(CompletionItem {
                label: l.value.to_string(),
                kind,
                detail: Some(l.doc.summary.to_string()),
                documentation: Some(doc_markdown(l.value, None, None, &l.doc, &platform)),
                insert,
                snippet: false,
                replace,
                sort: format!("{i:03}"),
                preselect: false,
                typed: true,
            });
        }
    }

    fn plain_items(&mut self, values: &[String], kind: ItemKind, detail: &str, quoted: bool) {
        let replace = if quoted {
            self.word_span()
        } else {
            self.string_span()
        };
        let q = self.quote();
        for (i, v) in values.iter().enumerate() {
            self.push(CompletionItem {
                label: v.clone(),
                kind,
                detail: Some(detail.to_string()),
                documentation: None,
                insert: if quoted {
                    format!("{q}{v}{q}")
                } else {
                    v.clone()
                },
                snippet: false,
                replace,
                sort: format!("{i:03}"),
                preselect: false,
                typed: false,
            });
        }
    }

    /// Inside a string literal.
    fn in_string(&mut self) {
        let place = lookup::place(&self.cur);
        match place {
            Place::Value { ty, .. } => self.ty_values(ty, false),
            Place::ArrayElement { ty, .. } => self.ty_values(ty, false),
            Place::StringArg(arg) => self.string_arg(arg),
            _ => {}
        }
    }

    fn string_arg(&mut self, arg: lookup::StringArg) {
        use lookup::StringArg as S;
        match arg {
            S::TypeName { models_only } => {
                let recent = self.opts.recent_types.as_ref().filter(|r| {
                    self.cur
                        .in_string
                        .as_ref()
                        .is_some_and(|s| differs_only_in_string(&r.text, self.src, s.content))
                });
                let names = match recent {
                    Some(r) => lookup::names_of(&r.types, models_only),
                    None => lookup::type_names((self.file)(), models_only),
                };
                let detail = if models_only { "model" } else { "schema type" };
                self.plain_items(&names, ItemKind::Class, detail, false);
            }
            S::FieldOf { model, written } => {
                let mut fields = written;
                if let Some(m) = model {
                    for f in lookup::field_names((self.file)(), &m) {
                        if !fields.contains(&f) {
                            fields.push(f);
                        }
                    }
                }
                self.plain_items(&fields, ItemKind::Field, "field", false);
            }
            S::Fields(fields) => {
                self.plain_items(&fields, ItemKind::Field, "field", false);
            }
            S::Group => {
                let groups = (self.project)().auth_groups.clone();
                self.plain_items(
                    &groups,
                    ItemKind::EnumMember,
                    "group from defineAuth",
                    false,
                );
            }
            S::Literals(set) => self.literal_items(set, ItemKind::EnumMember, false),
            S::Plain(values) => {
                let v: Vec<String> = values.iter().map(|s| s.to_string()).collect();
                self.plain_items(&v, ItemKind::EnumMember, "", false);
            }
            S::DataFunction => {
                let keys = (self.project)().data_function_keys.clone();
                self.plain_items(
                    &keys,
                    ItemKind::Function,
                    "function from defineData({ functions })",
                    false,
                );
            }
            S::SecretName(suggested) => {
                if let Some(name) = suggested {
                    self.plain_items(&[name], ItemKind::Value, "secret name", false);
                }
            }
        }
    }

    /// After a `.`: members of `a`, modifiers of a builder, `allow.` rules, chain methods.
    fn members(&mut self) {
        let replace = self.word_span();
        let platform = self.opts.docs_platform.clone();
        let target = lookup::chain_target(&self.cur)
            .or_else(|| lookup::sql_chain_target(&self.cur, self.file));
        match target {
            Some(lookup::ChainTarget::Namespace(ns, filter)) => {
                for m in catalog::MEMBERS.iter().filter(|m| m.on == ns) {
                    // where a filter applies (schema entries, fields, arguments, return types) neither
                    // `a.handler` nor `a.ai` can be the value
                    if filter.is_some_and(|f| m.is_namespace || !f.contains(&m.produces)) {
                        continue;
                    }
                    let call = !m.is_namespace;
                    let insert = if call && self.opts.snippets {
                        format!("{}($0)", m.name)
                    } else {
                        m.name.to_string()
                    };
                    self.push(CompletionItem {
                        label: m.name.to_string(),
                        kind: if m.is_namespace {
                            ItemKind::Module
                        } else {
                            ItemKind::Function
                        },
                        detail: Some(m.signature.to_string()),
                        documentation: Some(doc_markdown(
                            &format!("a.{}", m.name),
                            Some(m.signature.to_string()),
                            None,
                            &m.doc,
                            &platform,
                        )),
                        insert,
                        snippet: call && self.opts.snippets,
                        replace,
                        sort: format!("{}_{}", if m.graphql.is_some() { 0 } else { 1 }, m.name),
                        preselect: false,
                        typed: true,
                    });
                }
            }
            Some(lookup::ChainTarget::Validators { factory, used }) => {
                for v in lookup::validators_offered(factory.as_deref(), &used) {
                    self.method_item(v.name, v.signature, &v.doc, replace);
                }
            }
            Some(lookup::ChainTarget::Builder(b, used)) => {
                // `.required()` may appear once on each side of `.array()`.
                let since_array = used
                    .iter()
                    .rposition(|u| u == "array")
                    .map_or(&used[..], |i| &used[i + 1..]);
                let factory = match self.cur.chain.as_slice() {
                    [a, f, ..] if a.name == "a" => Some(f.name.clone()),
                    _ => None,
                };
                let is_used = |name: &str| used.iter().any(|u| u == name);
                for m in catalog::modifiers_for(b) {
                    if m.once && is_used(m.name) {
                        continue;
                    }
                    if m.name == "required" && since_array.iter().any(|u| u == "required") {
                        continue;
                    }
                    if b == Builder::Scalar
                        && lookup::scalar_modifier_hidden(m.name, factory.as_deref(), &is_used)
                    {
                        continue;
                    }
                    // offered by the types, but Amplify always rejects them with references
                    if matches!(
                        (b, m.name),
                        (Builder::HasOne, "required") | (Builder::HasMany, "valueRequired")
                    ) {
                        continue;
                    }
                    self.method_item(m.name, m.signature, &m.doc, replace);
                }
            }
            Some(lookup::ChainTarget::DataRules(ctx)) => {
                for r in catalog::DATA_RULES
                    .iter()
                    .filter(|r| r.contexts.contains(&ctx))
                {
                    self.method_item(r.name, r.signature, &r.doc, replace);
                }
            }
            Some(lookup::ChainTarget::RuleChain(rule, ctx, used)) => {
                for name in catalog::rule_chain(rule, ctx) {
                    if used.iter().any(|u| u == name) {
                        continue;
                    }
                    let doc = catalog::RULE_CHAIN_METHODS
                        .iter()
                        .find(|m| m.value == *name)
                        .map(|m| m.doc);
                    if let Some(doc) = doc {
                        self.method_item(name, "(…)", &doc, replace);
                    }
                }
            }
            Some(lookup::ChainTarget::StorageRules) => {
                for r in catalog::STORAGE_RULES {
                    let insert = if r.is_call && self.opts.snippets {
                        format!("{}($0)", r.name)
                    } else {
                        r.name.to_string()
                    };
                    self.push(CompletionItem {
                        label: r.name.to_string(),
                        kind: if r.is_call {
                            ItemKind::Method
                        } else {
                            ItemKind::Property
                        },
                        detail: Some(r.signature.to_string()),
                        documentation: Some(doc_markdown(
                            r.signature,
                            None,
                            None,
                            &r.doc,
                            &platform,
                        )),
                        insert,
                        snippet: r.is_call && self.opts.snippets,
                        replace,
                        sort: r.name.to_string(),
                        preselect: false,
                        typed: true,
                    });
                }
            }
            Some(lookup::ChainTarget::To(_)) => {
                if let Some(m) = catalog::RULE_CHAIN_METHODS.iter().find(|m| m.value == "to") {
                    self.method_item("to", "(actions: string[])", &m.doc, replace);
                }
            }
            Some(lookup::ChainTarget::AuthAccess) => {
                if let Some(r) = catalog::storage_rule("resource") {
                    let mut doc = r.doc;
                    doc.summary = "Grants a function access to the user pool";
                    doc.details = "Use `allow.resource(fn).to([...actions])` with `defineFunction` results; the \
                                   actions are Cognito admin operations or groups of them.";
                    doc.path = "build-a-backend/auth/grant-access-to-auth-resources/";
                    self.method_item("resource", "(fn).to(actions)", &doc, replace);
                }
            }
            Some(lookup::ChainTarget::BackendMembers) => {
                self.literal_items(catalog::BACKEND_MEMBERS, ItemKind::Method, true);
                // literal_items quotes when asked; members are not strings
                for item in self.out.iter_mut() {
                    item.insert = item.label.clone();
                    item.replace = replace;
                }
                // the resources passed to defineBackend
                for (i, (key, kind)) in lookup::backend_resources((self.file)())
                    .into_iter()
                    .enumerate()
                {
                    self.push(CompletionItem {
                        label: key.clone(),
                        kind: ItemKind::Field,
                        detail: Some(format!("{} resource", resource_kind_name(kind))),
                        documentation: None,
                        insert: key,
                        snippet: false,
                        replace,
                        sort: format!("_{i:03}"),
                        preselect: false,
                        typed: false,
                    });
                }
            }
            Some(lookup::ChainTarget::BackendPath(path)) => {
                let members = lookup::backend_members((self.file)(), &path).unwrap_or_default();
                for (i, m) in members.iter().enumerate() {
                    let insert = if m.method && self.opts.snippets {
                        format!("{}($0)", m.name)
                    } else {
                        m.name.to_string()
                    };
                    self.push(CompletionItem {
                        label: m.name.to_string(),
                        kind: if m.method {
                            ItemKind::Method
                        } else {
                            ItemKind::Property
                        },
                        detail: Some(m.doc.summary.to_string()),
                        documentation: Some(doc_markdown(m.name, None, None, &m.doc, &platform)),
                        insert,
                        snippet: m.method && self.opts.snippets,
                        replace,
                        sort: format!("{i:03}"),
                        preselect: false,
                        typed: true,
                    });
                }
            }
            None => {}
        }
    }

    fn method_item(&mut self, name: &str, sig: &str, doc: &Doc, replace: Span) {
        let platform = self.opts.docs_platform.clone();
        let takes_args = !sig.starts_with("()");
        let insert = if self.opts.snippets {
            if takes_args {
                format!("{name}($0)")
            } else {
                format!("{name}()$0")
            }
        } else {
            name.to_string()
        };
        self.push(CompletionItem {
            label: name.to_string(),
            kind: ItemKind::Method,
            detail: Some(sig.to_string()),
            documentation: Some(doc_markdown(
                &format!(".{name}"),
                Some(sig.to_string()),
                None,
                doc,
                &platform,
            )),
            insert,
            snippet: self.opts.snippets,
            replace,
            sort: name.to_string(),
            preselect: false,
            typed: true,
        });
    }

    /// At a property name inside a `define*` argument.
    fn keys(&mut self) {
        let Some(obj) = lookup::object_at_cursor(&self.cur) else {
            return;
        };
        let present: Vec<String> = self.cur.top().map(|f| f.keys.clone()).unwrap_or_default();
        let typed = self.cur.word.as_ref().map(|w| w.0.clone());
        let replace = self.word_span();
        let platform = self.opts.docs_platform.clone();
        for p in obj.props {
            if present.iter().any(|k| k == p.name) && typed.as_deref() != Some(p.name) {
                continue;
            }
            let insert = if self.opts.snippets {
                format!("{}: {}", p.name, value_snippet(&p.ty, self.quote()))
            } else {
                format!("{}: ", p.name)
            };
            self.push(CompletionItem {
                label: p.name.to_string(),
                kind: ItemKind::Property,
                detail: Some(catalog::ty_label(&p.ty)),
                documentation: Some(doc_markdown(
                    p.name,
                    Some(catalog::ty_label(&p.ty)),
                    p.default,
                    &p.doc,
                    &platform,
                )),
                insert,
                snippet: self.opts.snippets,
                replace,
                sort: format!("{}_{}", if p.required { 0 } else { 1 }, p.name),
                preselect: p.required,
                typed: true,
            });
        }
        if let Some(extra) = obj.extra {
            let _ = extra; // additional keys are free-form: nothing to suggest beyond the known ones
        }
    }

    /// At a value position: `key: |` or an array element.
    fn values(&mut self) {
        match lookup::place(&self.cur) {
            Place::Value { ty, .. } | Place::ArrayElement { ty, .. } => self.ty_values(ty, true),
            _ => {}
        }
    }

    /// Values of a type: literals, booleans, numbers, `secret()`.
    fn ty_values(&mut self, ty: Ty, quoted: bool) {
        let replace = if quoted {
            self.word_span()
        } else {
            self.string_span()
        };
        let q = self.quote();
        match ty {
            Ty::StrLit(values) => {
                for (i, v) in values.iter().enumerate() {
                    self.push(CompletionItem {
                        label: v.to_string(),
                        kind: ItemKind::EnumMember,
                        detail: Some(catalog::ty_label(&ty)),
                        documentation: None,
                        insert: if quoted {
                            format!("{q}{v}{q}")
                        } else {
                            v.to_string()
                        },
                        snippet: false,
                        replace,
                        sort: format!("{i:03}"),
                        preselect: false,
                        typed: true,
                    });
                }
            }
            Ty::NumLit(values) if quoted => {
                for (i, v) in values.iter().enumerate() {
                    self.push(CompletionItem {
                        label: v.to_string(),
                        kind: ItemKind::Value,
                        detail: Some(catalog::ty_label(&ty)),
                        documentation: None,
                        insert: v.to_string(),
                        snippet: false,
                        replace,
                        sort: format!("{i:03}"),
                        preselect: false,
                        typed: true,
                    });
                }
            }
            Ty::Bool if quoted => {
                for v in ["true", "false"] {
                    self.push(CompletionItem {
                        label: v.to_string(),
                        kind: ItemKind::Keyword,
                        detail: Some("boolean".into()),
                        documentation: None,
                        insert: v.to_string(),
                        snippet: false,
                        replace,
                        sort: v.to_string(),
                        preselect: false,
                        typed: true,
                    });
                }
            }
            Ty::Secret if quoted => {
                let name = lookup::suggested_secret_name(&self.cur);
                let insert = if self.opts.snippets {
                    format!("secret({q}${{1:{name}}}{q})$0")
                } else {
                    format!("secret({q}{name}{q})")
                };
                self.push(CompletionItem {
                    label: "secret()".into(),
                    kind: ItemKind::Function,
                    detail: Some("secret('NAME'): a value stored outside the code".into()),
                    documentation: catalog::call("secret").map(|c| {
                        doc_markdown("secret(name)", None, None, &c.doc, &self.opts.docs_platform)
                    }),
                    insert,
                    snippet: self.opts.snippets,
                    replace,
                    sort: "0".into(),
                    preselect: true,
                    typed: false,
                });
            }
            // schedule examples
            Ty::Str if !quoted && lookup::is_schedule(&self.cur) => {
                let values: Vec<String> = crate::analysis::rules::validators::SCHEDULE_EXAMPLES
                    .iter()
                    .map(|(e, _)| e.to_string())
                    .collect();
                self.plain_items(&values, ItemKind::Value, "schedule", false);
            }
            Ty::OneOf(options) => {
                for t in options {
                    self.ty_values(*t, quoted);
                }
            }
            Ty::Arr(inner) if !quoted => self.ty_values(*inner, quoted),
            _ => {}
        }
    }
}

fn resource_kind_name(kind: catalog::backend::ResourceKind) -> &'static str {
    use catalog::backend::ResourceKind as K;
    match kind {
        K::Auth => "auth",
        K::Data => "data",
        K::Storage => "storage",
        K::Function => "function",
    }
}

/// The snippet written after `key: ` for a property of type `ty`.
fn value_snippet(ty: &Ty, q: char) -> String {
    match ty {
        Ty::Obj(_) => "{\n\t$0\n}".to_string(),
        Ty::Arr(_) => "[$0]".to_string(),
        Ty::StrLit(values) if !values.is_empty() => {
            let choices = values.join(",");
            format!("{q}${{1|{choices}|}}{q}")
        }
        Ty::Str => format!("{q}$0{q}"),
        Ty::Secret => format!("secret({q}$0{q})"),
        Ty::Bool => "${1|true,false|}".to_string(),
        Ty::NumLit(values) if !values.is_empty() => {
            let choices: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            format!("${{1|{}|}}", choices.join(","))
        }
        Ty::OneOf(options) if options.iter().any(|t| matches!(t, Ty::Bool)) => {
            "${1|true,false|}".to_string()
        }
        Ty::OneOf(options) if options.iter().all(|t| matches!(t, Ty::Str | Ty::Secret)) => {
            format!("{q}$0{q}")
        }
        _ => "$0".to_string(),
    }
}

/// Whether `new` differs from `old` only inside the string literal whose content is `content` (in `new`), so
/// that the two texts define the same schema types: what `new` has that `old` does not lies within the literal
/// (its quotes included), and what `old` had in its place is at most a word (letters, digits, `_`, `$`, `.`,
/// `-`, spaces), which cannot hold a `key: value` that defines a type.
fn differs_only_in_string(old: &str, new: &str, content: Span) -> bool {
    let (o, n) = (old.as_bytes(), new.as_bytes());
    let prefix = o.iter().zip(n).take_while(|(a, b)| a == b).count();
    let room = o.len().min(n.len()) - prefix;
    let suffix = o
        .iter()
        .rev()
        .zip(n.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let (added, removed) = (prefix..n.len() - suffix, prefix..o.len() - suffix);
    if added.is_empty() && removed.is_empty() {
        return true;
    }
    let literal = content.start.saturating_sub(1)..content.end + 1;
    added.start >= literal.start
        && added.end <= literal.end
        && o[removed]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"_$.- ".contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, Lang};
    use std::cell::Cell;

    /// Completion at the first `|` of `marked`, with a model getter that counts how often it is asked.
    fn complete(marked: &str) -> (Vec<String>, usize) {
        let (items, asked, _) = complete_in(marked, &ProjectFacts::default());
        (items, asked)
    }

    /// [`complete`] in a project with `facts`, counting how often the facts are asked for too.
    fn complete_in(marked: &str, facts: &ProjectFacts) -> (Vec<String>, usize, usize) {
        let offset = marked.find('|').expect("a cursor mark");
        let src = marked.replacen('|', "", 1);
        let tree = parse(&src, Lang::TypeScript, None).expect("parse");
        let model = FileModel::build(&tree, &src, Lang::TypeScript);
        let asked = Cell::new(0);
        let file = || {
            asked.set(asked.get() + 1);
            Some(&model)
        };
        let facts_asked = Cell::new(0);
        let project = || {
            facts_asked.set(facts_asked.get() + 1);
            facts
        };
        let opts = CompletionOptions::default();
        let items = completion_with(&src, &file, &project, offset, &opts);
        (
            items.into_iter().map(|i| i.label).collect(),
            asked.get(),
            facts_asked.get(),
        )
    }

    #[test]
    fn the_project_s_facts_are_read_only_by_the_completions_that_list_them() {
        let facts = ProjectFacts {
            auth_groups: vec!["ADMINS".into()],
            data_function_keys: vec!["resize".into()],
            ..ProjectFacts::default()
        };
        let (items, _, read) = complete_in(
            &SCHEMA.replace("CLICK", "  Tag: a.model({ name: a.|"),
            &facts,
        );
        assert!(items.iter().any(|l| l == "string"), "{items:?}");
        assert_eq!(read, 0, "the facts were read");
        let groups =
            "  Tag: a.model({ name: a.string() }).authorization((allow) => [allow.groups(['|";
        let (items, _, read) = complete_in(&SCHEMA.replace("CLICK", groups), &facts);
        assert_eq!(items, ["ADMINS"]);
        assert_eq!(read, 1);
        let handler = "  q: a.query().returns(a.string()).handler(a.handler.function('|";
        let (items, _, read) = complete_in(&SCHEMA.replace("CLICK", handler), &facts);
        assert_eq!(items, ["resize"]);
        assert_eq!(read, 1);
    }

    const SCHEMA: &str = "import { a, defineData } from '@aws-amplify/backend';\n\
        const schema = a.schema({\n  Post: a.model({ title: a.string() }).authorization((allow) => [allow.owner()]),\n\
        CLICK\n});\nexport const data = defineData({ schema });\n";

    #[test]
    fn builder_members_come_from_the_text_without_the_model() {
        // after `a.` and after a field's builder: the catalog, read from the text before the cursor
        let (items, asked) = complete(&SCHEMA.replace("CLICK", "  Tag: a.model({ name: a.|"));
        assert!(items.iter().any(|l| l == "string"), "{items:?}");
        assert_eq!(asked, 0, "the model was asked for");
        let (items, asked) =
            complete(&SCHEMA.replace("CLICK", "  Tag: a.model({ name: a.string().|"));
        assert!(items.iter().any(|l| l == "required"), "{items:?}");
        assert_eq!(asked, 0, "the model was asked for");
    }

    #[test]
    fn the_schema_s_type_names_are_read_from_the_model() {
        let (items, asked) = complete(&SCHEMA.replace(
            "CLICK",
            "  Tag: a.model({ postId: a.id(), post: a.belongsTo('|', 'postId') }),",
        ));
        assert!(items.iter().any(|l| l == "Post"), "{items:?}");
        assert!(asked > 0, "the type names came from somewhere else");
    }

    /// Given the types of a recent version, the type names come from them, and the model is not read (it may
    /// still be being built); models only where only a model may go.
    #[test]
    fn the_type_names_of_a_recent_version_are_used_without_the_model() {
        let src = SCHEMA.replace(
            "CLICK",
            "  Tag: a.model({ postId: a.id(), post: a.belongsTo('|', 'postId'), r: a.ref('') }),",
        );
        let text = src.replacen('|', "", 1);
        let types: std::sync::Arc<[lookup::SchemaType]> =
            vec![("Post".to_string(), true), ("Status".to_string(), false)].into();
        // the recent versions: the same text but for the string being completed
        let before_belongs_to = text.replace("a.belongsTo('', ", "a.belongsTo(x, ");
        let before = text.replace("a.ref('')", "a.ref()");
        let recent = |text: &str| lookup::RecentTypes {
            text: std::sync::Arc::new(text.to_string()),
            types: types.clone(),
        };
        let asked = Cell::new(0);
        let facts = ProjectFacts::default();
        // the labels at `offset`, given the recent version `before`
        let labels = |offset, before: &str| -> Vec<String> {
            let file = || {
                asked.set(asked.get() + 1);
                None
            };
            let project = || &facts;
            let opts = CompletionOptions {
                recent_types: Some(recent(before)),
                ..CompletionOptions::default()
            };
            completion_with(&text, &file, &project, offset, &opts)
                .into_iter()
                .map(|i| i.label)
                .collect()
        };
        let at_belongs_to = src.find('|').expect("mark");
        let at_ref = src.find("a.ref('").expect("ref") + "a.ref('".len() - 1;
        // the belongsTo string replaced a word, the ref's string was typed into the call: both inside strings
        assert_eq!(labels(at_belongs_to, &before_belongs_to), ["Post"]);
        assert_eq!(labels(at_ref, &before), ["Post", "Status"]);
        assert_eq!(asked.get(), 0, "the model was read");
        // a recent version that differs elsewhere too (here: a model added) is not used
        let added = before.replace("  Tag:", "  Extra: a.model({}),\n  Tag:");
        assert_eq!(labels(at_ref, &added), Vec::<String>::new());
        assert_eq!(asked.get(), 1, "the model was read");
    }

    #[test]
    fn texts_that_differ_only_inside_a_string_are_told_apart_from_others() {
        // (old, new with `|` at the cursor inside the string): whether only the string differs
        let cases = [
            ("a.ref()", "a.ref('|')", true),
            ("a.ref(", "a.ref('|", true),
            ("a.ref('Po')", "a.ref('Pos|')", true),
            ("a.ref('Post')", "a.ref('Po|')", true),
            ("a.ref(x)", "a.ref('x|')", true),
            ("a.ref(Foo.bar)", "a.ref('|')", true),
            ("a.ref('X')", "a.ref('X|')", true),
            // a definition removed where the string is now
            ("a.ref(x), Foo: a.model({})", "a.ref('|')", false),
            // something added outside the string
            ("a.ref('')", "a.ref(''), X: a.model({})", false),
            ("x a.ref('')", "a.ref('|')", false),
            ("a.ref(\n)", "a.ref('|')", false),
        ];
        for (old, new, same) in cases {
            let new = if new.contains('|') {
                new.to_string()
            } else {
                format!("{new}|")
            };
            let offset = new.find('|').expect("mark");
            let text = new.replacen('|', "", 1);
            let cur = cursor_at(&text, offset);
            let content = cur
                .in_string
                .map_or(Span::new(offset, offset), |s| s.content);
            assert_eq!(
                differs_only_in_string(old, &text, content),
                same,
                "{old:?} -> {new:?}"
            );
        }
    }

    #[test]
    fn the_fields_of_the_model_being_typed_come_from_the_text() {
        // the model is half typed: nothing after the cursor closes it, so the file does not parse, and its
        // model (the file model's) has no such entry
        let typed = "  Tag: a.model({ name: a.string(), 'slug': a.string() })";
        for tail in [
            ".identifier(['|",
            ".secondaryIndexes((index) => [index('|",
            ".authorization((allow) => [allow.ownerDefinedIn('|",
        ] {
            let (items, asked) = complete(&SCHEMA.replace("CLICK", &format!("{typed}{tail}")));
            assert_eq!(items, ["name", "slug"], "{tail}");
            assert_eq!(asked, 0, "the model was asked for after {tail}");
        }
        // inside the model's object, the fields after the cursor are not scanned: the model gives them, after
        // the fields written before the cursor
        let (items, asked) = complete(&SCHEMA.replace(
            "CLICK",
            "  Tag: a.model({ postId: a.id(), post: a.belongsTo('Post', '|'), note: a.string() }),",
        ));
        assert_eq!(items, ["postId", "post", "note"]);
        assert!(asked > 0, "{items:?}");
        // and while the model is half typed, and the schema the file model has lacks it, those written before
        let (items, _) = complete(&SCHEMA.replace(
            "CLICK",
            "  Tag: a.model({ postId: a.id(), post: a.belongsTo('Post', '|",
        ));
        assert_eq!(items, ["postId", "post"]);
    }
}
