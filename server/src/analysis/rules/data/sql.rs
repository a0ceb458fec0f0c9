//! Generated SQL schemas (`configure({ database }).schema({...})` in `amplify/data/schema.sql.ts`, refined in
//! `resource.ts` with `.setAuthorization(...)`): what Amplify refuses about them, read from the calls
//! themselves since SQL schemas are not part of the schema model. Each was confirmed with the amplify-synth
//! tool (fixtures `data__sql-owner-field` and `security__hardcoded-secret/bad-3`).

use super::Sink;
use crate::model::file::FileModel;
use crate::model::value::{Kind, Value};
use crate::syntax::{self, Lang};
use std::path::Path;

pub(super) const SQL_OWNER_FIELD: &str = "data/sql-owner-field";
pub(super) const SQL_RENAME: &str = "data/sql-rename";
pub(super) const SQL_ADD_MODEL: &str = "data/sql-add-model";
pub(super) const SQL_UNKNOWN_MODEL: &str = "data/sql-unknown-model";
const HARDCODED_SECRET: &str = "security/hardcoded-secret";

/// Generated files are small; a bigger one is not read.
const MAX_SQL_FILE: u64 = 2 * 1024 * 1024;

/// Whether the file imports Amplify's `configure` (`@aws-amplify/data-schema/internals`).
fn imports_configure(file: &FileModel) -> bool {
    file.imports.iter().any(|i| {
        i.source.starts_with("@aws-amplify/data-schema")
            && i.names
                .iter()
                .any(|n| n.imported == "configure" && n.local == "configure")
    })
}

/// `connectionUri` and `sslCert` of `configure({ database })` must be `secret('NAME')`: a plain string makes
/// the synth fail ("backendSecret.resolvePath is not a function", verified for both).
pub(super) fn secrets(file: &FileModel, sink: &mut Sink) {
    if !imports_configure(file) {
        return;
    }
    for v in file.top_values() {
        v.walk(&mut |call| {
            let Some(chain) = call.chain() else { return };
            // the bare `configure({...})` call, visited once
            if chain.root != "configure" || !chain.links.is_empty() {
                return;
            }
            let Some(db) = chain
                .root_args
                .and_then(|a| a.first())
                .and_then(|a| a.field("database"))
                .map(|d| file.resolve(d))
            else {
                return;
            };
            for key in ["connectionUri", "sslCert"] {
                let Some(prop) = db.get(key) else { continue };
                let value = file.resolve(&prop.value);
                if matches!(value.kind, Kind::Str(_) | Kind::Template) {
                    let name = if key == "sslCert" {
                        "SQL_SSL_CERT"
                    } else {
                        "SQL_CONNECTION_STRING"
                    };
                    sink.error(
                        prop.value.span,
                        HARDCODED_SECRET,
                        format!(
                            "`{key}` of the SQL database must be a secret, not a plain string (Amplify fails to \
                             synthesize it, and the value would sit in source control): run `npx ampx sandbox \
                             secret set {name}` and write `secret('{name}')`"
                        ),
                    );
                }
            }
        });
    }
}

/// A SQL model: its name and its field names.
struct SqlModel {
    name: String,
    fields: Vec<String>,
}

/// What the SQL schemas a file can see are known to hold.
#[derive(Default)]
struct SqlSchemas {
    /// Models whose fields are all known.
    models: Vec<SqlModel>,
    /// Every type name of the schemas (`configure(...).schema({...})` keys).
    names: Vec<String>,
    /// No schema object has a spread or is unreadable.
    names_complete: bool,
    /// At least one SQL schema was found.
    found: bool,
}

/// The models of the `configure(...).schema({...})` calls in a file whose fields are all known.
fn sql_models(file: &FileModel, out: &mut SqlSchemas) {
    if !imports_configure(file) {
        return;
    }
    for v in file.top_values() {
        v.walk(&mut |call| {
            let Some(chain) = call.chain() else { return };
            if chain.root != "configure" {
                return;
            }
            // the `configure(...).schema({...})` call itself, not each longer chain around it
            if chain.links.len() != 1 {
                return;
            }
            let Some(types) = chain.arg("schema").map(|t| file.resolve(t)) else {
                return;
            };
            out.found = true;
            let Some(props) = types.as_object() else {
                out.names_complete = false;
                return;
            };
            if types.has_spread() {
                out.names_complete = false;
            }
            for p in props {
                let Some(key) = &p.key else {
                    out.names_complete = false;
                    continue;
                };
                out.names.push(key.to_string());
                let Some(model) = p.value.chain() else {
                    continue;
                };
                if model.root != "a" {
                    continue;
                }
                let Some(fields) = model.arg("model").map(|f| file.resolve(f)) else {
                    continue;
                };
                if fields.has_spread() {
                    continue;
                }
                let Some(fields) = fields.as_object() else {
                    continue;
                };
                out.models.push(SqlModel {
                    name: key.to_string(),
                    fields: fields
                        .iter()
                        .filter_map(|f| f.key.as_ref().map(|k| k.to_string()))
                        .collect(),
                });
            }
        });
    }
}

/// The SQL models this file can see: its own and those of relative `*.sql` modules it imports (read from disk,
/// inside the project only).
fn visible_models(cx: &crate::analysis::rules::RuleCtx) -> SqlSchemas {
    let mut models = SqlSchemas {
        names_complete: true,
        ..SqlSchemas::default()
    };
    sql_models(cx.file, &mut models);
    let (Some(path), Some(root)) = (cx.path, cx.project.root.as_deref()) else {
        return models;
    };
    let Some(dir) = path.parent() else {
        return models;
    };
    let root = super::normalize(root);
    for import in &cx.file.imports {
        if !import.source.starts_with('.') || !import.source.ends_with(".sql") {
            continue;
        }
        let candidate = super::normalize(&dir.join(format!("{}.ts", import.source)));
        if !candidate.starts_with(&root) || !crate::workspace::fs::within(&candidate, &root) {
            continue;
        }
        match read_model(&candidate) {
            Some(file) => sql_models(&file, &mut models),
            None => models.names_complete = false,
        }
    }
    models
}

fn read_model(path: &Path) -> Option<FileModel> {
    if std::fs::metadata(path).ok()?.len() > MAX_SQL_FILE {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let tree = syntax::parse(&text, Lang::TypeScript, None)?;
    Some(FileModel::build(&tree, &text, Lang::TypeScript))
}

/// The field an owner or group rule reads: `owner()` the field `owner`, the `*DefinedIn(field)` rules their
/// argument. SQL models get no implicit owner field: the column must exist (verified for `owner`,
/// `ownerDefinedIn`, `ownersDefinedIn` and `groupDefinedIn`: "Field … isn't defined").
fn rule_field<'v>(rule: &crate::model::value::Chain<'v>) -> Option<(String, crate::text::Span)> {
    let first = rule.links.first()?;
    match first.name {
        "owner" => Some(("owner".to_string(), first.name_span)),
        "ownerDefinedIn" | "ownersDefinedIn" | "groupDefinedIn" | "groupsDefinedIn" => {
            let arg = first.args?.first()?;
            Some((arg.as_str()?.to_string(), arg.span))
        }
        _ => None,
    }
}

/// Owner and group rules in `.setAuthorization((models) => [models.x.authorization(...)])` naming a field the
/// SQL model does not have.
pub(super) fn owner_fields(cx: &crate::analysis::rules::RuleCtx, sink: &mut Sink) {
    let file = cx.file;
    if !file.has_member("setAuthorization") {
        return;
    }
    let mut set_auth: Vec<&Value> = Vec::new();
    for v in file.top_values() {
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
    if set_auth.is_empty() {
        return;
    }
    let schemas = visible_models(cx);
    let models = &schemas.models;
    if models.is_empty() {
        return;
    }
    for cb in set_auth {
        let Some(models_param) = cb
            .as_func()
            .and_then(|f| f.params.first())
            .filter(|p| !p.is_empty())
        else {
            continue;
        };
        cb.walk(&mut |call| {
            let Some((object, param, rules)) = call.authorization_rules() else {
                return;
            };
            // `models.<name>.authorization(...)`
            let Some(target) = object.chain() else { return };
            if target.root != models_param.as_str() || target.links.len() != 1 {
                return;
            }
            if target.links[0].args.is_some() {
                return;
            }
            let name = target.links[0].name;
            // a name in several schemas (or renamed) is not judged
            let mut found = models.iter().filter(|m| m.name == name);
            let (Some(model), None) = (found.next(), found.next()) else {
                return;
            };
            for rule in rules {
                let Some(chain) = rule.chain() else { continue };
                if chain.root != param {
                    continue;
                }
                let Some((field, span)) = rule_field(&chain) else {
                    continue;
                };
                if model.fields.contains(&field) {
                    continue;
                }
                sink.error(
                    span,
                    SQL_OWNER_FIELD,
                    format!(
                        "the SQL model `{name}` has no field `{field}`, and Amplify adds none to SQL models: \
                         name an existing column (`ownerDefinedIn('...')`), or add the column to the table and \
                         regenerate the schema"
                    ),
                );
            }
        });
    }
}

/// The arguments of every `.<method>(...)` call in the file.
fn method_args<'f>(file: &'f FileModel, method: &str) -> Vec<&'f [Value]> {
    let mut found: Vec<&[Value]> = Vec::new();
    if !file.has_member(method) {
        return found;
    }
    for v in file.top_values() {
        v.walk(&mut |call| {
            if let Kind::Call { callee, args, .. } = &call.kind {
                if let Kind::Member { prop, .. } = &callee.kind {
                    if prop == method {
                        found.push(args);
                    }
                }
            }
        });
    }
    found
}

/// `.renameModels(() => [['old', 'New']])` of a SQL schema: an old name the schema does not define, or an empty
/// new name, throws while the schema is built (both verified).
pub(super) fn rename_models(cx: &crate::analysis::rules::RuleCtx, sink: &mut Sink) {
    let calls = method_args(cx.file, "renameModels");
    if calls.is_empty() {
        return;
    }
    let schemas = visible_models(cx);
    if !schemas.found {
        return;
    }
    // types added in this file also count (`.addToSchema({...})` before the rename)
    let mut names = schemas.names.clone();
    for method in [
        "addToSchema",
        "addQueries",
        "addMutations",
        "addSubscriptions",
    ] {
        for args in method_args(cx.file, method) {
            if let Some(props) = args.first().and_then(Value::as_object) {
                names.extend(
                    props
                        .iter()
                        .filter_map(|p| p.key.as_ref().map(|k| k.to_string())),
                );
            }
        }
    }
    for args in calls {
        let Some(body) = args
            .first()
            .and_then(Value::as_func)
            .and_then(|f| f.body.as_ref())
        else {
            continue;
        };
        let Some(pairs) = body.as_array() else {
            continue;
        };
        let mut known = names.clone();
        for pair in pairs {
            let Some([old, new]) = pair.as_array() else {
                continue;
            };
            if let Some(new) = new.as_str() {
                if new.is_empty() {
                    sink.error(
                        pair.span,
                        SQL_RENAME,
                        "the new model name is empty: Amplify refuses it; write the name the model should have",
                    );
                }
            }
            let Some(old_name) = old.as_str() else {
                continue;
            };
            if schemas.names_complete && !known.iter().any(|n| n == old_name) {
                let hint = super::super::validators::did_you_mean(
                    old_name,
                    &known.iter().map(String::as_str).collect::<Vec<_>>(),
                )
                .map(|m| format!(" Did you mean '{m}'?"))
                .unwrap_or_default();
                sink.error(
                    old.span,
                    SQL_RENAME,
                    format!(
                        "'{old_name}' is not a model of the SQL schema, so Amplify cannot rename it: use the name \
                         the generated schema gives the table.{hint}"
                    ),
                );
            }
            if let Some(new) = new.as_str() {
                known.push(new.to_string());
            }
        }
    }
}

/// `.addToSchema({ X: a.model(...) })`: SQL schemas only take custom types, enums and operations; a model throws
/// at once (verified).
pub(super) fn add_model(cx: &crate::analysis::rules::RuleCtx, sink: &mut Sink) {
    let calls = method_args(cx.file, "addToSchema");
    if calls.is_empty() || !visible_models(cx).found {
        return;
    }
    for args in calls {
        let Some(props) = args.first().and_then(Value::as_object) else {
            continue;
        };
        for p in props {
            let Some(chain) = p.value.chain() else {
                continue;
            };
            if chain.root != "a" || chain.links.first().is_none_or(|l| l.name != "model") {
                continue;
            }
            let name = p.key.as_deref().unwrap_or("this entry");
            sink.error(
                chain.links[0].name_span,
                SQL_ADD_MODEL,
                format!(
                    "`{name}` is a model, and Amplify refuses models in `addToSchema()` of a SQL schema: models \
                     come from the database's tables (`npx ampx generate schema-from-database`); add custom types, \
                     enums, queries and mutations here"
                ),
            );
        }
    }
}

/// `models.X` in the callback of `.setAuthorization(...)` or `.setRelationships(...)` where the SQL schema has no
/// model `X`: the callback reads a property of `undefined` and the backend fails to load (both verified). Names a
/// rename gives, or that anything adds, count as known; nothing is said when a schema's names are not all known.
pub(super) fn unknown_models(cx: &crate::analysis::rules::RuleCtx, sink: &mut Sink) {
    let mut callbacks: Vec<&Value> = Vec::new();
    for method in ["setAuthorization", "setRelationships"] {
        for args in method_args(cx.file, method) {
            if let Some(cb) = args.first() {
                callbacks.push(cb);
            }
        }
    }
    if callbacks.is_empty() {
        return;
    }
    let schemas = visible_models(cx);
    if !schemas.found || !schemas.names_complete {
        return;
    }
    let mut known = schemas.names.clone();
    for method in [
        "addToSchema",
        "addQueries",
        "addMutations",
        "addSubscriptions",
    ] {
        for args in method_args(cx.file, method) {
            if let Some(props) = args.first().and_then(Value::as_object) {
                known.extend(
                    props
                        .iter()
                        .filter_map(|p| p.key.as_ref().map(|k| k.to_string())),
                );
            }
        }
    }
    for args in method_args(cx.file, "renameModels") {
        let Some(body) = args
            .first()
            .and_then(Value::as_func)
            .and_then(|f| f.body.as_ref())
        else {
            // a rename we cannot read may introduce any name
            return;
        };
        let Some(pairs) = body.as_array() else {
            return;
        };
        for pair in pairs {
            match pair.as_array() {
                Some([_, new]) => match new.as_str() {
                    Some(n) => known.push(n.to_string()),
                    None => return,
                },
                _ => return,
            }
        }
    }
    for cb in callbacks {
        let Some(func) = cb.as_func() else { continue };
        let Some(param) = func.params.first().filter(|p| !p.is_empty()) else {
            continue;
        };
        let Some(body) = &func.body else { continue };
        body.walk(&mut |v| {
            let Kind::Member {
                object,
                prop,
                prop_span,
            } = &v.kind
            else {
                return;
            };
            if object.as_ident() != Some(param.as_str()) || known.iter().any(|k| k == prop) {
                return;
            }
            let hint = super::super::validators::did_you_mean(
                prop,
                &known.iter().map(String::as_str).collect::<Vec<_>>(),
            )
            .map(|m| format!(" Did you mean '{m}'?"))
            .unwrap_or_default();
            sink.error(
                *prop_span,
                SQL_UNKNOWN_MODEL,
                format!(
                    "the SQL schema has no model `{prop}`, so `{param}.{prop}` is undefined and the backend fails \
                     to load: use a model name of the generated schema (or the new name after `renameModels`).{hint}"
                ),
            );
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::rules::{data, testkit};

    const HEAD: &str = "import { a } from '@aws-amplify/data-schema';\n\
        import { configure } from '@aws-amplify/data-schema/internals';\n\
        import { secret } from '@aws-amplify/backend';\n";

    /// A generated schema with `fields` in model `todos`, refined in the same file by `chain`.
    fn run(fields: &str, chain: &str) -> Vec<(&'static str, String)> {
        let src = format!(
            "{HEAD}export const schema = configure({{ database: {{ engine: 'mysql', connectionUri: \
             secret('S') }} }}).schema({{\n  todos: a.model({{ id: a.integer().required(), {fields} }})\
             .identifier(['id']),\n}}){chain};\n"
        );
        testkit::run_with(data::check, &src, None, &testkit::facts(true, &[]))
            .iter()
            .filter(|d| d.code.starts_with("data/sql-") || d.code.starts_with("security/"))
            .map(|d| (d.code, testkit::covered(&src, d).to_string()))
            .collect()
    }

    #[test]
    fn owner_fields_in_the_same_file() {
        let auth = |rule: &str| {
            format!(
                ".setAuthorization((models) => [models.todos.authorization((allow) => [{rule}])])"
            )
        };
        assert_eq!(
            run("", &auth("allow.owner()")),
            [("data/sql-owner-field", "owner".to_string())]
        );
        assert!(run("owner: a.string()", &auth("allow.owner()")).is_empty());
        assert_eq!(
            run("", &auth("allow.groupsDefinedIn('teams')")),
            [("data/sql-owner-field", "'teams'".to_string())]
        );
        assert!(run(
            "teams: a.string().array()",
            &auth("allow.groupsDefinedIn('teams')")
        )
        .is_empty());
        // fields we cannot all read: silent
        assert!(run("...extra", &auth("allow.owner()")).is_empty());
        // a rule that reads no field
        assert!(run("", &auth("allow.authenticated()")).is_empty());
    }

    #[test]
    fn renames_and_unknown_models() {
        assert!(run(
            "",
            ".renameModels(() => [['todos', 'Todo'], ['Todo', 'Item']])"
        )
        .is_empty());
        assert_eq!(
            run("", ".renameModels(() => [['todo', 'Todo']])"),
            [("data/sql-rename", "'todo'".to_string())]
        );
        assert_eq!(
            run(
                "",
                ".setRelationships((models) => [models.todo.relationships({})])"
            ),
            [("data/sql-unknown-model", "todo".to_string())]
        );
        // a computed rename may introduce any name
        assert!(run(
            "",
            ".renameModels(() => pairs).setAuthorization((models) => [models.Todo.authorization((allow) => [])])"
        )
        .is_empty());
    }

    #[test]
    fn plain_strings_where_secrets_belong() {
        let src = format!(
            "{HEAD}export const schema = configure({{ database: {{ engine: 'mysql', connectionUri: 'mysql://x', \
             sslCert: secret('C') }} }}).schema({{}});\n"
        );
        let d = testkit::run_with(data::check, &src, None, &testkit::facts(true, &[]));
        assert_eq!(
            testkit::found(&src, &d),
            [("security/hardcoded-secret", "'mysql://x'")]
        );
        // another library's `configure` is not ours
        let other = "import { configure } from 'other';\nconfigure({ database: { connectionUri: 'x' } });\n";
        assert!(testkit::run_with(data::check, other, None, &testkit::facts(true, &[])).is_empty());
    }
}
