//! Generated SQL schemas through the real binary: completion and hover in `configure({ database })` and on the
//! SQL schema methods, and the SQL rules across `schema.sql.ts` and `resource.ts`.

use amplify_lsp_tests::*;
use serde_json::json;

const SQL: &str = "amplify/data/schema.sql.ts";
const DATA: &str = "amplify/data/resource.ts";

const HEADER: &str = "import { a } from '@aws-amplify/data-schema';\n\
import { configure } from '@aws-amplify/data-schema/internals';\n\
import { secret } from '@aws-amplify/backend';\n";

/// A generated schema whose model `todos` has the given extra field lines.
fn generated(extra_fields: &str) -> String {
    format!(
        "{HEADER}\nexport const schema = configure({{\n  database: {{\n    identifier: 'IDabc',\n    engine: 'postgresql',\n    \
         connectionUri: secret('SQL_CONNECTION_STRING'),\n  }},\n}}).schema({{\n  todos: a\n    .model({{\n      \
         id: a.integer().required(),\n      content: a.string(),\n{extra_fields}    }})\n    .identifier(['id']),\n}});\n"
    )
}

fn resource(chain: &str) -> String {
    format!(
        "import {{ type ClientSchema, a, defineData }} from '@aws-amplify/backend';\n\
         import {{ schema as generated }} from './schema.sql';\n\n\
         const schema = generated{chain};\n\n\
         export type Schema = ClientSchema<typeof schema>;\n\n\
         export const data = defineData({{ schema, authorizationModes: {{ defaultAuthorizationMode: 'userPool' }} }});\n"
    )
}

#[test]
fn completion_of_the_database_keys_and_their_values() {
    let mut c = Client::start();
    let l = c.labels_at(
        SQL,
        &format!("{HEADER}export const schema = configure({{\n  $0\n}});\n"),
    );
    has_all(&l, &["database"]);
    let l = c.labels_at(
        SQL,
        &format!("{HEADER}export const schema = configure({{ database: {{ $0 }} }});\n"),
    );
    has_all(
        &l,
        &[
            "engine",
            "connectionUri",
            "identifier",
            "sslCert",
            "vpcConfig",
            "minimizeRdsVpcEndpoints",
        ],
    );
    let l = c.labels_at(
        SQL,
        &format!("{HEADER}configure({{ database: {{ vpcConfig: {{ $0 }} }} }});\n"),
    );
    has_all(
        &l,
        &["vpcId", "securityGroupIds", "subnetAvailabilityZones"],
    );
    let l = c.labels_at(
        SQL,
        &format!("{HEADER}configure({{ database: {{ engine: '$0' }} }});\n"),
    );
    has_all(&l, &["mysql", "postgresql"]);
    c.shutdown();
}

#[test]
fn completion_of_the_sql_schema_methods() {
    let mut c = Client::start();
    // on a name imported from the generated module
    let l = c.labels_at(
        DATA,
        "import { schema as generated } from './schema.sql';\nconst schema = generated.$0\n",
    );
    has_all(
        &l,
        &[
            "setAuthorization",
            "addToSchema",
            "renameModels",
            "setRelationships",
        ],
    );
    // each once: a used method is not offered again
    let l = c.labels_at(DATA,
        "import { schema as generated } from './schema.sql';\nconst schema = generated.renameModels(() => []).$0\n",
    );
    has_all(&l, &["setAuthorization", "addToSchema"]);
    assert!(!l.iter().any(|x| x == "renameModels"), "{l:?}");
    // on the generated chain itself
    let l = c.labels_at(
        SQL,
        &format!("{HEADER}export const schema = configure({{ database: {{}} }}).schema({{}}).$0\n"),
    );
    has_all(&l, &["setAuthorization", "renameModels"]);
    // a name imported from elsewhere gets none of them
    let l = c.labels_at(
        DATA,
        "import { schema as generated } from './other';\nconst schema = generated.$0\n",
    );
    assert!(!l.iter().any(|x| x == "setAuthorization"), "{l:?}");
    c.shutdown();
}

#[test]
fn hover_on_database_keys_and_sql_methods() {
    let mut c = Client::start();
    let text = format!(
        "{HEADER}export const schema = configure({{ database: {{ engine: 'mysql', connectionUri: secret('X') }} }});\n"
    );
    let uri = c.open(SQL, &text);
    let h = c.hover(&uri, position_of(&text, "connectionUri", 2));
    assert!(h.contains("secret"), "{h}");
    let h = c.hover(&uri, position_of(&text, "engine", 2));
    assert!(h.contains("postgresql"), "{h}");
    let h = c.hover(&uri, position_of(&text, "configure({", 2));
    assert!(h.contains("schema-from-database"), "{h}");
    let text = "import { schema as generated } from './schema.sql';\nconst schema = generated.renameModels(() => [['todos', 'Todo']]);\n";
    let uri = c.open(DATA, text);
    let h = c.hover(&uri, position_of(text, "renameModels", 2));
    assert!(h.contains("Renames generated models"), "{h}");
    c.shutdown();
}

#[test]
fn sql_rules_across_the_generated_module() {
    let schema = generated("");
    let mut c = Client::start_with_files(&[], &[(SQL, &schema)], json!({}));
    let text = resource(
        ".setAuthorization((models) => [\n  models.todos.authorization((allow) => [allow.owner()]),\n])\n  \
         .renameModels(() => [['nope', 'Todo']])\n  \
         .setRelationships((models) => [models.todo.relationships({})])",
    );
    let uri = c.open(DATA, &text);
    let codes = Client::codes(&c.diagnostics(&uri, Some(1)));
    assert!(
        codes.iter().any(|x| x == "data/sql-owner-field"),
        "{codes:?}"
    );
    assert!(codes.iter().any(|x| x == "data/sql-rename"), "{codes:?}");
    assert!(
        codes.iter().any(|x| x == "data/sql-unknown-model"),
        "{codes:?}"
    );
    // the near miss: an owner column that exists, a model that exists
    let ok = resource(
        ".setAuthorization((models) => [\n  models.todos.authorization((allow) => [allow.ownerDefinedIn('content')]),\n])\n  \
         .renameModels(() => [['todos', 'Todo']])",
    );
    c.shutdown();
    let mut c = Client::start_with_files(&[], &[(SQL, &schema)], json!({}));
    let uri = c.open(DATA, &ok);
    let codes = Client::codes(&c.diagnostics(&uri, Some(1)));
    assert!(
        !codes.iter().any(|x| x.starts_with("data/sql-")),
        "{codes:?}"
    );
    c.shutdown();
}

#[test]
fn a_plain_connection_string_and_an_unknown_engine() {
    let mut c = Client::start();
    let text = generated("")
        .replace("secret('SQL_CONNECTION_STRING')", "'postgres://u:p@h/db'")
        .replace("'postgresql'", "'oracle'");
    let uri = c.open(SQL, &text);
    let diags = c.diagnostics(&uri, Some(1));
    let codes = Client::codes(&diags);
    assert!(
        codes.iter().any(|x| x == "security/hardcoded-secret"),
        "{codes:?}"
    );
    assert!(
        codes.iter().any(|x| x == "shape/invalid-literal"),
        "{codes:?}"
    );
    assert!(diags.iter().all(|d| d["severity"] == json!(1)), "{diags:?}");
    // the generated file as written by the tool is clean
    let uri = c.open("amplify/data/clean.sql.ts", &generated(""));
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    c.shutdown();
}

#[test]
fn model_rules_inside_set_authorization() {
    let mut c = Client::start();
    let l = c.labels_at(DATA,
        "import { schema as generated } from './schema.sql';\nconst schema = generated.setAuthorization((models) => [\n  models.todos.authorization((allow) => [allow.$0]),\n]);\n",
    );
    has_all(&l, &["owner", "ownerDefinedIn", "authenticated", "groups"]);
    c.shutdown();
}
