//! Schema conflicts Amplify refuses while it builds the GraphQL schema (issue 14): operations in `.to([...])`,
//! reserved type names, custom operations named like the ones Amplify generates for a model, providers a rule
//! does not accept, handler pipelines, `a.combine` name collisions and the pre-release `a.allow` API.
//! Each was confirmed with the amplify-synth tool (see the fixtures `data__*` of these codes).

use super::{related, Check, Sink};
use crate::model::file::FileModel;
use crate::model::schema::{HandlerKind, OpKind, Provider, Rule, TypeKind};
use crate::model::value::{Kind, Value};

pub(super) const RULE_OPERATIONS: &str = "data/rule-operations";
pub(super) const RESERVED_NAME: &str = "data/reserved-name";
pub(super) const OPERATION_NAME_TAKEN: &str = "data/operation-name-taken";
pub(super) const INVALID_PROVIDER: &str = "data/invalid-provider";
pub(super) const HANDLER_KINDS: &str = "data/handler-kinds";
pub(super) const COMBINE_COLLISION: &str = "data/combine-collision";
pub(super) const LEGACY_ALLOW: &str = "data/legacy-allow";

/// The operations `read` stands for.
const READ_PARTS: &[&str] = &["get", "list", "sync", "listen", "search"];
/// Every operation a model rule accepts.
const MODEL_OPERATIONS: &[&str] = &[
    "create", "update", "delete", "read", "get", "list", "sync", "listen", "search",
];
/// Type names the GraphQL schema keeps for its root types (a model or enum of that name is refused; a custom
/// type of that name is accepted: verified).
const RESERVED: &[&str] = &["Query", "Mutation", "Subscription"];
/// Scalars Amplify's schema validation declares: no model, custom type or enum may take their names (verified
/// for a model, an enum and a custom type). `String`, `Int`, `ID`... are accepted (verified).
const SCALARS: &[&str] = &[
    "AWSDate",
    "AWSTime",
    "AWSDateTime",
    "AWSTimestamp",
    "AWSEmail",
    "AWSJSON",
    "AWSURL",
    "AWSPhone",
    "AWSIPAddress",
    "BigInt",
    "Double",
];

/// The providers a rule checks its argument against (the data-schema library throws "Invalid provider");
/// other rules do not check theirs.
pub(super) fn accepted_providers(rule: &str) -> Option<&'static [&'static str]> {
    match rule {
        "authenticated" => Some(&["userPools", "oidc", "identityPool"]),
        "owner" | "ownerDefinedIn" | "ownersDefinedIn" => Some(&["userPools", "oidc"]),
        _ => None,
    }
}

/// Whether the rule's given provider is one the rule refuses.
pub(super) fn provider_refused(rule: &Rule) -> bool {
    match (&rule.provider, accepted_providers(&rule.name)) {
        (Provider::Given(p, _), Some(ok)) => !ok.contains(&p.as_str()),
        _ => false,
    }
}

impl Check<'_> {
    pub(super) fn conflicts(&self, sink: &mut Sink) {
        self.rule_operations(sink);
        self.reserved_names(sink);
        self.operation_names(sink);
        self.invalid_providers(sink);
        self.handler_kinds(sink);
        self.combine_collisions(sink);
    }

    // --- data/rule-operations ---

    fn rule_operations(&self, sink: &mut Sink) {
        for (part_index, part) in self.schema.parts.iter().enumerate() {
            let has_model = self.schema.models().any(|(t, _)| t.part == part_index);
            if has_model {
                if let Some(r) = &part.rules {
                    r.rules.iter().for_each(|x| rule_ops(x, false, sink));
                }
            }
        }
        // (a model's own rules and its fields' are checked with the model's other checks, and kept with them:
        // see `model_rule_operations`)
    }

    /// data/rule-operations for the rules of one model and of its fields.
    pub(super) fn model_rule_operations(&self, m: &crate::model::schema::Model, sink: &mut Sink) {
        if let Some(r) = &m.rules {
            r.rules.iter().for_each(|x| rule_ops(x, false, sink));
        }
        for f in &m.fields.items {
            if let Some(r) = &f.rules {
                r.rules.iter().for_each(|x| rule_ops(x, true, sink));
            }
        }
    }

    // --- data/reserved-name ---

    fn reserved_names(&self, sink: &mut Sink) {
        for t in self.schema.types() {
            let what = match &t.kind {
                TypeKind::Model(_) => "a model",
                TypeKind::Enum(_) => "an enum",
                TypeKind::CustomType(_) => "a custom type",
                _ => continue,
            };
            if SCALARS.contains(&t.name.as_str()) {
                sink.error(
                    t.name_span,
                    RESERVED_NAME,
                    format!(
                        "`{}` is the name of a scalar type of the GraphQL schema, so Amplify refuses {what} of \
                         that name: rename it (e.g. `{}Value`)",
                        t.name, t.name
                    ),
                );
                continue;
            }
            if matches!(t.kind, TypeKind::CustomType(_)) {
                continue;
            }
            if RESERVED.contains(&t.name.as_str()) {
                sink.error(
                    t.name_span,
                    RESERVED_NAME,
                    format!(
                        "`{}` is the name of one of the GraphQL schema's root types, so Amplify refuses {what} \
                         of that name: rename it (e.g. `{}Item`)",
                        t.name, t.name
                    ),
                );
            }
        }
    }

    // --- data/operation-name-taken ---

    fn operation_names(&self, sink: &mut Sink) {
        // The custom operations: only the generated names equal to one of them are kept (a thousand models
        // generate eight thousand names).
        let ops: Vec<(OpKind, &str)> = self
            .operations_iter()
            .map(|(t, op)| (op.kind, t.name.as_str()))
            .collect();
        if ops.is_empty() {
            return;
        }
        let lists = ops.iter().any(|(_, n)| n.starts_with("list"));
        let mut generated: Vec<(OpKind, String, &str, usize)> = Vec::new();
        let mut field = String::new();
        for (t, m) in self.schema.models() {
            // disabled operations free their names; stay silent rather than work out which
            if m.disabled.is_some() {
                continue;
            }
            let name = upper_first(&t.name);
            let mut add = |kind: OpKind, verb: &str, name: &str| {
                field.clear();
                field.push_str(verb);
                field.push_str(name);
                if ops.iter().any(|(k, n)| *k == kind && *n == field) {
                    generated.push((kind, field.clone(), t.name.as_str(), t.name_span.start))
                }
            };
            add(OpKind::Query, "get", &name);
            // (a `list` name is only generated when some operation could take it)
            if lists {
                if let Some(p) = plural(&name) {
                    add(OpKind::Query, "list", &p);
                }
            }
            for verb in ["create", "update", "delete"] {
                add(OpKind::Mutation, verb, &name);
            }
            for verb in ["onCreate", "onUpdate", "onDelete"] {
                // longer names are shortened with a hash by Amplify
                if verb.len() + name.len() <= 50 {
                    add(OpKind::Subscription, verb, &name);
                }
            }
        }
        for (t, op) in self.operations_iter() {
            let Some((_, _, model, start)) = generated
                .iter()
                .find(|(kind, field, _, _)| *kind == op.kind && *field == t.name)
            else {
                continue;
            };
            let Some(model_def) = self
                .schema
                .models()
                .find(|(m, _)| m.name_span.start == *start)
            else {
                continue;
            };
            let root = match op.kind {
                OpKind::Query => "Query",
                OpKind::Mutation => "Mutation",
                _ => "Subscription",
            };
            sink.error_with(
                t.name_span,
                OPERATION_NAME_TAKEN,
                format!(
                    "Amplify already generates `{}` on `{root}` for model `{model}`: give the custom {} another \
                     name",
                    t.name,
                    op.kind.name()
                ),
                vec![related(model_def.0.name_span, format!("model `{model}`"))],
            );
        }
    }

    // --- data/invalid-provider ---

    fn invalid_providers(&self, sink: &mut Sink) {
        for rule in self.all_rules() {
            let (Provider::Given(p, span), Some(ok)) =
                (&rule.provider, accepted_providers(&rule.name))
            else {
                continue;
            };
            if ok.contains(&p.as_str()) {
                continue;
            }
            let list = ok
                .iter()
                .map(|x| format!("'{x}'"))
                .collect::<Vec<_>>()
                .join(", ");
            let advice = match (rule.name.as_str(), p.as_str()) {
                (_, "function") => {
                    " (a Lambda authorizer is allowed with `allow.custom()`)".to_string()
                }
                ("owner" | "ownerDefinedIn" | "ownersDefinedIn", "identityPool") => {
                    " (for signed-in identity-pool users use `allow.authenticated('identityPool')`)"
                        .to_string()
                }
                _ => String::new(),
            };
            sink.error(
                *span,
                INVALID_PROVIDER,
                format!(
                    "`allow.{}` does not accept the provider '{p}': use one of {list}{advice}",
                    rule.name
                ),
            );
        }
    }

    /// Every rule of the schema: schema level, models, fields, operations, conversations.
    fn all_rules(&self) -> Vec<&Rule> {
        let mut out: Vec<&Rule> = Vec::new();
        for p in &self.schema.parts {
            if let Some(r) = &p.rules {
                out.extend(&r.rules);
            }
        }
        for t in self.schema.types() {
            match &t.kind {
                TypeKind::Model(m) => {
                    if let Some(r) = &m.rules {
                        out.extend(&r.rules);
                    }
                    for f in &m.fields.items {
                        if let Some(r) = &f.rules {
                            out.extend(&r.rules);
                        }
                    }
                }
                TypeKind::Operation(op) => {
                    if let Some(r) = &op.rules {
                        out.extend(&r.rules);
                    }
                }
                TypeKind::Conversation(c) => {
                    if let Some(r) = &c.rules {
                        out.extend(&r.rules);
                    }
                }
                _ => {}
            }
        }
        out
    }

    // --- data/handler-kinds ---

    fn handler_kinds(&self, sink: &mut Sink) {
        for (t, op) in self.operations_iter() {
            let Some(h) = &op.handlers else {
                continue;
            };
            let kinds: Vec<HandlerKind> = h.items.iter().map(|x| x.kind).collect();
            let custom = kinds.contains(&HandlerKind::Custom);
            if !kinds.contains(&HandlerKind::Unknown) {
                let group = |k: &HandlerKind| match k {
                    HandlerKind::Function => 0,
                    HandlerKind::Custom => 1,
                    _ => 2,
                };
                let first = kinds.first().map(group);
                if kinds.iter().any(|k| Some(group(k)) != first) {
                    sink.error(
                        h.span,
                        HANDLER_KINDS,
                        format!(
                            "the handlers of `{}` mix kinds: a pipeline is made of one kind only (all \
                             `a.handler.function(...)`, all `a.handler.custom(...)` or all SQL handlers); \
                             split it into separate operations or use one kind",
                            t.name
                        ),
                    );
                }
            }
            if !custom {
                continue;
            }
            let Some(rules) = &op.rules else {
                continue;
            };
            for rule in &rules.rules {
                let iam = match rule.name.as_str() {
                    "guest" => true,
                    "authenticated" => {
                        matches!(&rule.provider, Provider::Given(p, _) if p == "identityPool")
                    }
                    _ => false,
                };
                if iam {
                    sink.error(
                        rule.call_span,
                        HANDLER_KINDS,
                        format!(
                            "`allow.{}` uses the identity pool, which operations with an `a.handler.custom(...)` \
                             handler do not support: use `allow.authenticated()` (user pool), \
                             `allow.publicApiKey()`, or an `a.handler.function(...)` handler",
                            rule_call(rule)
                        ),
                    );
                }
            }
        }
    }

    // --- data/combine-collision ---

    fn combine_collisions(&self, sink: &mut Sink) {
        if !self.schema.combined {
            return;
        }
        let mut seen: Vec<(&str, usize, crate::text::Span)> = Vec::new();
        for t in self.schema.types() {
            match seen.iter().find(|(n, _, _)| *n == t.name) {
                Some((_, part, first)) if *part != t.part => {
                    sink.error_with(
                        t.name_span,
                        COMBINE_COLLISION,
                        format!(
                            "`{}` is also defined by another schema of this `a.combine([...])`: each type name \
                             may appear in only one of the combined schemas; rename or remove one",
                            t.name
                        ),
                        vec![related(*first, format!("`{}` first defined here", t.name))],
                    );
                }
                Some(_) => {}
                None => seen.push((t.name.as_str(), t.part, t.name_span)),
            }
        }
    }
}

fn rule_call(rule: &Rule) -> String {
    match &rule.provider {
        Provider::Given(p, _) => format!("{}('{p}')", rule.name),
        _ => format!("{}()", rule.name),
    }
}

/// `.to([...])` of one rule: unknown operations, `read` next to one of its parts, read parts on a field.
fn rule_ops(rule: &Rule, field: bool, sink: &mut Sink) {
    // `allow.resource(fn).to([...])` grants 'query', 'mutation' and 'listen' to a function: other words
    if rule.name == "resource" {
        return;
    }
    let Some(to) = &rule.to else {
        return;
    };
    for (op, span) in &to.items {
        if !MODEL_OPERATIONS.contains(&op.as_str()) {
            let hint = if op == "subscribe" {
                " (subscriptions are granted by 'listen', or by 'read')"
            } else {
                ""
            };
            sink.error(
                *span,
                RULE_OPERATIONS,
                format!(
                    "'{op}' is not an operation: use 'create', 'update', 'delete', 'read' or its parts 'get', \
                     'list', 'sync', 'listen', 'search'{hint}"
                ),
            );
        } else if field && READ_PARTS.contains(&op.as_str()) {
            sink.error(
                *span,
                RULE_OPERATIONS,
                format!(
                    "'{op}' cannot be granted on a field: field rules take 'create', 'update', 'delete' and \
                     'read'"
                ),
            );
        }
    }
    if field {
        return;
    }
    let Some((_, read_span)) = to.items.iter().find(|(op, _)| op == "read") else {
        return;
    };
    let parts: Vec<&str> = to
        .items
        .iter()
        .map(|(op, _)| op.as_str())
        .filter(|op| READ_PARTS.contains(op))
        .collect();
    if parts.is_empty() {
        return;
    }
    let quoted = parts
        .iter()
        .map(|p| format!("'{p}'"))
        .collect::<Vec<_>>()
        .join(", ");
    sink.error(
        *read_span,
        RULE_OPERATIONS,
        format!(
            "'read' already grants 'get', 'list', 'sync', 'listen' and 'search', and Amplify refuses {quoted} \
             next to it: keep only 'read', or drop 'read' to grant only {quoted}"
        ),
    );
}

/// `a.allow.owner()`: the pre-release rule API, which the `a` builder no longer has.
pub(super) fn legacy_allow(file: &FileModel, sink: &mut Sink) {
    // the rule's chains start `a.allow`
    if !file.has_member("allow") {
        return;
    }
    let imports_a = file.imports.iter().any(|i| {
        crate::model::schema::is_a_module(&i.source)
            && i.names.iter().any(|n| n.imported == "a" && n.local == "a")
    });
    if !imports_a {
        return;
    }
    let roots = file.top_values();
    for v in roots {
        v.walk(&mut |call| {
            let Some(chain) = call.chain() else {
                return;
            };
            if chain.root != "a" || chain.links.len() < 2 {
                return;
            }
            let (first, second) = (&chain.links[0], &chain.links[1]);
            if first.name != "allow" || first.args.is_some() || second.args.is_none() {
                return;
            }
            sink.error(
                first.name_span,
                LEGACY_ALLOW,
                format!(
                    "`a.allow.{}(...)` is the pre-release rule API, which Amplify removed (`a.allow` is \
                     undefined): pass a callback instead, `.authorization((allow) => [allow.{}(...)])`",
                    second.name, second.name
                ),
            );
        });
    }
}

/// `a.handler.sqlReference('./file.sql')` whose file does not exist (Amplify cannot resolve the path and stops:
/// verified). Read from the calls themselves, as SQL schemas (`configure(...).schema(...)`, `.addToSchema`)
/// are not part of the schema model. Reported as `data/entry-not-found`, like a custom handler's entry.
pub(super) fn sql_references(cx: &super::RuleCtx, sink: &mut Sink) {
    let (Some(path), Some(root)) = (cx.path, cx.project.root.as_deref()) else {
        return;
    };
    let Some(dir) = path.parent() else {
        return;
    };
    let file = cx.file;
    if !file.has_member("sqlReference") {
        return;
    }
    let imports_a = file.imports.iter().any(|i| {
        crate::model::schema::is_a_module(&i.source)
            && i.names.iter().any(|n| n.imported == "a" && n.local == "a")
    });
    if !imports_a {
        return;
    }
    let root = super::normalize(root);
    let roots = file.top_values();
    for v in roots {
        v.walk(&mut |call| {
            let Some(chain) = call.chain() else {
                return;
            };
            if chain.root != "a" || chain.links.len() != 2 {
                return;
            }
            let (ns, kind) = (&chain.links[0], &chain.links[1]);
            if ns.name != "handler" || ns.args.is_some() || kind.name != "sqlReference" {
                return;
            }
            let Some(arg) = kind.args.and_then(|a| a.first()) else {
                return;
            };
            let Some(entry) = arg.as_str() else {
                return;
            };
            let candidate = if std::path::Path::new(entry).is_absolute() {
                std::path::PathBuf::from(entry)
            } else {
                dir.join(entry)
            };
            let candidate = super::normalize(&candidate);
            // never look outside the project, also not through a link (an existence oracle otherwise)
            if !candidate.starts_with(&root) || !crate::workspace::fs::within(&candidate, &root) {
                return;
            }
            if let Ok(false) = candidate.try_exists() {
                sink.error(
                    arg.span,
                    super::ENTRY_NOT_FOUND,
                    format!(
                        "no file exists at '{entry}' (paths are relative to this file): create the SQL file \
                         there or fix the path"
                    ),
                );
            }
        });
    }
}

/// `.setAuthorization((models) => [models.x.authorization((allow) => [allow.y().to(['sync'])])])` of a SQL
/// schema: SQL data sources have no 'sync' nor 'search' (both verified). Read from the calls themselves, as SQL
/// schemas are not part of the schema model.
pub(super) fn sql_operations(file: &FileModel, sink: &mut Sink) {
    if !file.has_member("setAuthorization") {
        return;
    }
    let roots = file.top_values();
    let mut set_auth: Vec<&Value> = Vec::new();
    for v in roots {
        v.walk(&mut |call| {
            if let Kind::Call { callee, args, .. } = &call.kind {
                if let Kind::Member { prop, .. } = &callee.kind {
                    if prop == "setAuthorization" {
                        if let Some(a) = args.first() {
                            set_auth.push(a);
                        }
                    }
                }
            }
        });
    }
    for cb in set_auth {
        cb.walk(&mut |call| {
            let Some((_, param, rules)) = call.authorization_rules() else {
                return;
            };
            for rule in rules {
                let Some(chain) = rule.chain() else { continue };
                if chain.root != param {
                    continue;
                }
                let Some(ops) = chain.arg("to").and_then(Value::as_array) else {
                    continue;
                };
                for op in ops {
                    let Some(name) = op.as_str().filter(|o| *o == "sync" || *o == "search") else {
                        continue;
                    };
                    sink.error(
                        op.span,
                        RULE_OPERATIONS,
                        format!(
                            "'{name}' does not exist for models of a SQL database: grant 'get', 'list', 'listen' \
                             or 'read' instead"
                        ),
                    );
                }
            }
        });
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Words the pluralizer Amplify uses leaves unchanged when they are the whole name.
const UNCOUNTABLE: &[&str] = &[
    "adulthood",
    "advice",
    "agenda",
    "aid",
    "aircraft",
    "alcohol",
    "ammo",
    "analytics",
    "anime",
    "athletics",
    "audio",
    "bison",
    "blood",
    "bream",
    "buffalo",
    "butter",
    "carp",
    "cash",
    "chassis",
    "chess",
    "clothing",
    "cod",
    "commerce",
    "cooperation",
    "corps",
    "debris",
    "diabetes",
    "digestion",
    "elk",
    "energy",
    "equipment",
    "excretion",
    "expertise",
    "firmware",
    "flounder",
    "fun",
    "gallows",
    "garbage",
    "graffiti",
    "hardware",
    "headquarters",
    "health",
    "herpes",
    "highjinks",
    "homework",
    "housework",
    "information",
    "jeans",
    "justice",
    "kudos",
    "labour",
    "literature",
    "machinery",
    "mackerel",
    "mail",
    "media",
    "mews",
    "moose",
    "music",
    "mud",
    "manga",
    "news",
    "only",
    "personnel",
    "pike",
    "plankton",
    "pliers",
    "police",
    "pollution",
    "premises",
    "rain",
    "research",
    "rice",
    "salmon",
    "scissors",
    "series",
    "sewage",
    "shambles",
    "shrimp",
    "software",
    "species",
    "staff",
    "swine",
    "tennis",
    "traffic",
    "transportation",
    "trout",
    "tuna",
    "wealth",
    "welfare",
    "whiting",
    "wildebeest",
    "wildlife",
    "you",
];
/// Whole words with an irregular plural (or none) in that pluralizer.
const IRREGULAR: &[&str] = &[
    "me", "he", "she", "them", "myself", "yourself", "itself", "herself", "himself", "themself",
    "is", "was", "has", "this", "that", "echo", "dingo", "volcano", "tornado", "torpedo", "genus",
    "viscus", "stigma", "stoma", "dogma", "lemma", "schema", "anathema", "ox", "axe", "die", "yes",
    "foot", "eave", "goose", "tooth", "quiz", "human", "proof", "carve", "valve", "looey", "thief",
    "groove", "pickaxe", "passerby", "thou", "us", "they", "these", "those", "are", "were", "have",
];

/// The plural Amplify gives a model name in `list<Plural>`, only where it is certain: the common regular
/// endings of the `pluralize` library's rules; None for every name where a special rule might apply.
pub(super) fn plural(name: &str) -> Option<String> {
    if !name.is_ascii() || name.is_empty() {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if UNCOUNTABLE.contains(&lower.as_str()) || IRREGULAR.contains(&lower.as_str()) {
        return None;
    }
    let last = *name.as_bytes().last()?;
    if !last.is_ascii_lowercase() {
        return None;
    }
    let ends = |s: &str| lower.ends_with(s);
    // endings of uncountable or special rules
    const SPECIAL: &[&str] = &[
        "ese", "deer", "fish", "measles", "ois", "ous", "pox", "sheep", "pokemon", "fe", "ice",
        "ouse", "um", "am", "man", "men", "son", "ren", "on", "ey", "quy", "eaux", "child",
        "seraph", "cherub",
    ];
    if SPECIAL.iter().any(|s| ends(s)) {
        return None;
    }
    match last {
        b'y' => {
            let before = lower.as_bytes().get(lower.len().checked_sub(2)?).copied()?;
            if b"aeiou".contains(&before) {
                Some(format!("{name}s"))
            } else {
                Some(format!("{}ies", &name[..name.len() - 1]))
            }
        }
        b'h' if ends("ch") || ends("sh") => Some(format!("{name}es")),
        b'b' | b'c' | b'd' | b'e' | b'g' | b'h' | b'k' | b'l' | b'm' | b'n' | b'p' | b'r'
        | b't' | b'u' | b'w' => Some(format!("{name}s")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn plurals_follow_amplify_where_certain() {
        assert_eq!(plural("ServiceRequest").as_deref(), Some("ServiceRequests"));
        assert_eq!(plural("Category").as_deref(), Some("Categories"));
        assert_eq!(plural("Day").as_deref(), Some("Days"));
        assert_eq!(plural("Todo"), None);
        assert_eq!(plural("Batch").as_deref(), Some("Batches"));
        assert_eq!(plural("Note").as_deref(), Some("Notes"));
        assert_eq!(plural("Person"), None);
        assert_eq!(plural("Information"), None);
        assert_eq!(plural("Status"), None);
        assert_eq!(plural("TodoAPI"), None);
        assert_eq!(plural("Money"), None);
        assert_eq!(plural("Box"), None);
    }
}
