//! Gen 1 table mappings: `defineData({ migratedAmplifyGen1DynamoDbTableMappings: [...] })`, which lets a Gen 2
//! backend reuse the DynamoDB tables of a Gen 1 app, one entry per branch.

use super::RuleCtx;
use crate::analysis::{Diagnostic, Related, Severity};
use crate::model::file::DefineKind;
use crate::model::value::Value;
use crate::text::Span;

/// The code of both conditions: a branch mapped twice, a mapped model missing from the schema.
pub const TABLE_MAPPING: &str = "data/table-mapping";

const KEY: &str = "migratedAmplifyGen1DynamoDbTableMappings";

pub fn check(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for d in cx
        .file
        .defines
        .iter()
        .filter(|d| d.kind == DefineKind::Data)
    {
        let Some(arg) = d.arg.as_ref().map(|a| cx.file.resolve(a)) else {
            continue;
        };
        let Some(mappings) = arg.field(KEY).map(|m| cx.file.resolve(m)) else {
            continue;
        };
        let Some(entries) = mappings.as_array() else {
            continue;
        };
        let schema = arg
            .field("schema")
            .map(|s| cx.file.resolve(s))
            .and_then(Value::as_str)
            .and_then(graphql_types);
        let mut branches: Vec<(&str, Span)> = Vec::new();
        for e in entries {
            let e = cx.file.resolve(e);
            let Some(branch) = e.get("branchName") else {
                continue;
            };
            let branch_value = cx.file.resolve(&branch.value);
            let Some(name) = branch_value.as_str() else {
                continue;
            };
            if let Some((_, first)) = branches.iter().find(|(n, _)| *n == name) {
                let mut diag = Diagnostic::new(
                    branch_value.span,
                    Severity::Error,
                    TABLE_MAPPING,
                    format!(
                        "branch '{name}' is already mapped above: each branch may appear once in `{KEY}`; merge \
                         the two entries"
                    ),
                );
                diag.related.push(Related {
                    uri: None,
                    span: *first,
                    message: "the first entry for this branch".to_string(),
                });
                out.push(diag);
            } else {
                branches.push((name, branch_value.span));
            }
            // Amplify applies the `sandbox` entry in a sandbox, to a schema written in GraphQL (it skips the
            // mappings of an `a.schema(...)` schema)
            let (Some(models), "sandbox") = (schema.as_ref(), name) else {
                continue;
            };
            let Some(map) = e
                .field("modelNameToTableNameMapping")
                .map(|m| cx.file.resolve(m))
            else {
                continue;
            };
            let Some(props) = map.as_object() else {
                continue;
            };
            if map.has_spread() {
                continue;
            }
            for p in props {
                let Some(model) = &p.key else { continue };
                if !models.iter().any(|m| m == model) {
                    out.push(Diagnostic::new(
                        p.key_span,
                        Severity::Error,
                        TABLE_MAPPING,
                        format!(
                            "the schema has no type `{model}`, so its table cannot be mapped: use the name of a \
                             `@model` type of the schema, or remove this entry"
                        ),
                    ));
                }
            }
        }
    }
}

/// The type names of a GraphQL schema text (every `type`: a mapped name that is some other kind of type is
/// left to Amplify); `None` when the text is not simple enough to be sure (a type we cannot read).
fn graphql_types(schema: &str) -> Option<Vec<String>> {
    // comments out
    let text: String = schema
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut models = Vec::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("type") {
        let before = rest[..i].chars().next_back();
        let after_kw = &rest[i + 4..];
        rest = after_kw;
        if before.is_some_and(is_ident) || !after_kw.starts_with(char::is_whitespace) {
            continue;
        }
        let name_start = after_kw.trim_start();
        let name: String = name_start.chars().take_while(|c| is_ident(*c)).collect();
        if name.is_empty() {
            return None;
        }
        let head = &name_start[name.len()..];
        head.find('{')?;
        models.push(name);
    }
    Some(models)
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{facts, found, run_with};
    use super::*;

    fn run(src: &str) -> Vec<Diagnostic> {
        run_with(check, src, None, &facts(false, &[]))
    }

    const GQL: &str = "const schema = /* GraphQL */ `\n  type Todo @model @auth(rules: [{ allow: public }]) {\n    id: ID!\n  }\n  type Point {\n    x: Int\n  }\n`;\n";

    #[test]
    fn duplicate_branches() {
        let src = format!(
            "{GQL}export const data = defineData({{ schema, migratedAmplifyGen1DynamoDbTableMappings: [\n  {{ branchName: 'main', modelNameToTableNameMapping: {{ Todo: 't1' }} }},\n  {{ branchName: 'main' }},\n] }});"
        );
        assert_eq!(found(&src, &run(&src)), [(TABLE_MAPPING, "'main'")]);
        let ok = src.replacen("branchName: 'main' }", "branchName: 'dev' }", 1);
        assert!(run(&ok).is_empty());
    }

    #[test]
    fn unknown_models_on_the_sandbox_branch() {
        let src = format!(
            "{GQL}export const data = defineData({{ schema, migratedAmplifyGen1DynamoDbTableMappings: [\n  {{ branchName: 'sandbox', modelNameToTableNameMapping: {{ Todo: 't1', Point: 't2', Note: 't3' }} }},\n  {{ branchName: 'main', modelNameToTableNameMapping: {{ Other: 't4' }} }},\n] }});"
        );
        assert_eq!(found(&src, &run(&src)), [(TABLE_MAPPING, "Note")]);
        // a typed schema: Amplify skips the mappings
        let typed = src.replace(GQL, "const schema = a.schema({ Todo: a.model({}) });\n");
        assert!(run(&typed).is_empty());
    }

    #[test]
    fn types_of_a_graphql_schema() {
        assert_eq!(
            graphql_types("type A @model { id: ID! }\n# type B @model {\ntype C { type: Int }\ntype D\n  @model\n  @auth(rules: []) { id: ID! }"),
            Some(vec!["A".to_string(), "C".to_string(), "D".to_string()])
        );
        assert_eq!(graphql_types("type A @model"), None);
    }
}
