//! Completion and hover through the real binary, on `$0` cursor fixtures.

use amplify_lsp_tests::*;

fn has_none(labels: &[String], unwanted: &[&str]) {
    for w in unwanted {
        assert!(
            !labels.iter().any(|l| l == w),
            "unexpected {w:?} in {labels:?}"
        );
    }
}

const AUTH: &str = "amplify/auth/resource.ts";
const DATA: &str = "amplify/data/resource.ts";
const STORAGE: &str = "amplify/storage/resource.ts";
const FUNC: &str = "amplify/functions/say-hello/resource.ts";

#[test]
fn define_auth_properties_at_three_levels() {
    let mut c = Client::start();
    let l = c.labels_at(AUTH, "import { defineAuth } from '@aws-amplify/backend';\nexport const auth = defineAuth({\n  $0\n});\n");
    has_all(
        &l,
        &[
            "loginWith",
            "multifactor",
            "userAttributes",
            "groups",
            "triggers",
            "access",
            "senders",
            "accountRecovery",
            "passwordlessOptions",
            "name",
        ],
    );
    let l = c.labels_at(AUTH, "defineAuth({ loginWith: { $0 } })");
    has_all(&l, &["email", "phone", "webAuthn", "externalProviders"]);
    let l = c.labels_at(
        AUTH,
        "defineAuth({ loginWith: { email: true, externalProviders: { $0 } } })",
    );
    has_all(
        &l,
        &[
            "google",
            "facebook",
            "loginWithAmazon",
            "signInWithApple",
            "oidc",
            "saml",
            "callbackUrls",
            "logoutUrls",
            "scopes",
        ],
    );
    has_none(&l, &["domainPrefix"]);
    let l = c.labels_at(
        AUTH,
        "defineAuth({ loginWith: { email: true, externalProviders: { google: { $0 } } } })",
    );
    has_all(
        &l,
        &["clientId", "clientSecret", "scopes", "attributeMapping"],
    );
    let l = c.labels_at(AUTH, "defineAuth({ triggers: { $0 } })");
    assert_eq!(l.len(), 10, "the ten trigger names: {l:?}");
}

#[test]
fn present_properties_are_not_offered_again_and_required_come_first() {
    let mut c = Client::start();
    let (text, pos) = cursor("defineStorage({ isDefault: true, $0 versioned: false })");
    let uri = c.open(STORAGE, &text);
    let items = c.completion(&uri, pos);
    let l = Client::labels(&items);
    has_all(&l, &["name", "triggers", "access", "keepOnDelete"]);
    has_none(&l, &["isDefault", "versioned"]);
    let name = items.iter().find(|i| i["label"] == "name").expect("name");
    let access = items
        .iter()
        .find(|i| i["label"] == "access")
        .expect("access");
    assert!(
        name["sortText"].as_str() < access["sortText"].as_str(),
        "required `name` sorts first"
    );
    assert_eq!(
        name["insertTextFormat"], 2,
        "snippet when the client supports it"
    );
    assert!(name["documentation"]["value"]
        .as_str()
        .unwrap_or("")
        .contains("docs.amplify.aws"));
    // a shorthand property is present too, before the cursor and after it
    let l = c.labels_at(
        STORAGE,
        "const name = 'photos';\nconst access = undefined;\ndefineStorage({ name, $0, access })",
    );
    has_all(&l, &["isDefault", "versioned"]);
    has_none(&l, &["name", "access"]);
}

#[test]
fn define_data_and_nested_authorization_modes() {
    let mut c = Client::start();
    let l = c.labels_at(DATA, "export const data = defineData({ schema, $0 });");
    has_all(&l, &["authorizationModes", "name", "logging", "functions"]);
    let l = c.labels_at(DATA, "defineData({ schema, authorizationModes: { $0 } })");
    has_all(
        &l,
        &[
            "defaultAuthorizationMode",
            "apiKeyAuthorizationMode",
            "lambdaAuthorizationMode",
            "oidcAuthorizationMode",
        ],
    );
    let l = c.labels_at(
        DATA,
        "defineData({ schema, authorizationModes: { apiKeyAuthorizationMode: { $0 } } })",
    );
    has_all(&l, &["expiresInDays", "description"]);
    let l = c.labels_at(
        DATA,
        "defineData({ schema, authorizationModes: { defaultAuthorizationMode: '$0' } })",
    );
    has_all(
        &l,
        &[
            "iam",
            "identityPool",
            "userPool",
            "oidc",
            "apiKey",
            "lambda",
        ],
    );
}

#[test]
fn define_function_half_typed() {
    let mut c = Client::start();
    let (text, pos) = cursor("import { defineFunction } from '@aws-amplify/backend';\nexport const f = defineFunction({\n  name: 'say-hello',\n  time$0");
    let uri = c.open(FUNC, &text);
    let items = c.completion(&uri, pos);
    let l = Client::labels(&items);
    has_all(
        &l,
        &[
            "timeoutSeconds",
            "memoryMB",
            "runtime",
            "schedule",
            "environment",
            "layers",
            "architecture",
            "ephemeralStorageSizeMB",
            "resourceGroupName",
            "logging",
            "bundling",
            "entry",
        ],
    );
    has_none(&l, &["name"]);
    // the edit replaces the typed word
    let t = items
        .iter()
        .find(|i| i["label"] == "timeoutSeconds")
        .expect("timeoutSeconds");
    assert_eq!(
        t["textEdit"]["range"]["start"],
        position_of(&text, "time", 0)
    );
    let l = c.labels_at(FUNC, "defineFunction({ logging: { $0 } })");
    has_all(&l, &["format", "level", "retention"]);
    let l = c.labels_at(FUNC, "defineFunction({ runtime: $0 })");
    has_all(&l, &["18", "20", "22", "24"]);
    let l = c.labels_at(FUNC, "defineFunction({ architecture: '$0' })");
    assert_eq!(l, ["x86_64", "arm64"]);
    let l = c.labels_at(FUNC, "defineFunction({ schedule: '$0' })");
    assert!(l.iter().any(|s| s.starts_with("every ")), "{l:?}");
    let l = c.labels_at(FUNC, "defineFunction({ environment: { API_KEY: $0 } })");
    has_all(&l, &["secret()"]);
}

#[test]
fn storage_access_rules_and_actions() {
    let mut c = Client::start();
    let base = "export const storage = defineStorage({ name: 'files', access: (allow) => ({\n  'media/*': [";
    let l = c.labels_at(STORAGE, &format!("{base}allow.$0] }}) }});"));
    has_all(
        &l,
        &["guest", "authenticated", "groups", "entity", "resource"],
    );
    let l = c.labels_at(STORAGE, &format!("{base}allow.guest.$0] }}) }});"));
    assert_eq!(l, ["to"]);
    let l = c.labels_at(STORAGE, &format!("{base}allow.guest.to(['$0'])] }}) }});"));
    assert_eq!(l, ["read", "get", "list", "write", "delete"]);
    let l = c.labels_at(STORAGE, &format!("{base}allow.entity('$0')] }}) }});"));
    assert_eq!(l, ["identity"]);
}

const SCHEMA: &str = "import { a, defineData, type ClientSchema } from '@aws-amplify/backend';\n\
const schema = a.schema({\n\
  Status: a.enum(['OPEN', 'DONE']),\n\
  Post: a.model({\n\
    title: a.string().required(),\n\
    authorId: a.id(),\n\
    author: a.belongsTo('Author', 'authorId'),\n\
  }),\n\
  Author: a.model({\n\
    name: a.string(),\n\
    posts: a.hasMany('Post', 'authorId'),\n\
  }),\n\
  REPLACE\n\
});\n";

fn schema(replace: &str) -> String {
    SCHEMA.replace("REPLACE", replace)
}

#[test]
fn schema_builder_members_and_modifiers() {
    let mut c = Client::start();
    // a. at the top of the schema: type builders
    let l = c.labels_at(DATA, &schema("Extra: a.$0"));
    has_all(
        &l,
        &[
            "model",
            "customType",
            "enum",
            "query",
            "mutation",
            "subscription",
            "generation",
            "conversation",
        ],
    );
    has_none(&l, &["string"]);
    // a. inside a model: field types and relationships
    let l = c.labels_at(DATA, &schema("Extra: a.model({ f: a.$0 })"));
    has_all(
        &l,
        &[
            "string",
            "integer",
            "float",
            "boolean",
            "id",
            "date",
            "time",
            "datetime",
            "timestamp",
            "email",
            "json",
            "phone",
            "url",
            "ipAddress",
            "ref",
            "hasMany",
            "hasOne",
            "belongsTo",
        ],
    );
    // modifiers after a scalar, excluding those used once
    let l = c.labels_at(
        DATA,
        &schema("Extra: a.model({ f: a.string().required().$0 })"),
    );
    has_all(&l, &["array", "default", "validate", "authorization"]);
    has_none(&l, &["required", "identifier"]);
    // after a model
    let l = c.labels_at(DATA, &schema("Extra: a.model({ f: a.string() }).$0"));
    has_all(
        &l,
        &[
            "identifier",
            "secondaryIndexes",
            "disableOperations",
            "authorization",
        ],
    );
    has_none(&l, &["required"]);
    // relationships
    let l = c.labels_at(
        DATA,
        &schema("Extra: a.model({ p: a.hasMany('Post', 'authorId').$0 })"),
    );
    has_all(&l, &["authorization"]);
    let l = c.labels_at(
        DATA,
        &schema("Extra: a.model({ p: a.hasOne('Post', 'authorId').$0 })"),
    );
    has_all(&l, &["authorization"]);
    // custom operations
    let l = c.labels_at(DATA, &schema("echo: a.query().$0"));
    has_all(&l, &["arguments", "returns", "authorization", "handler"]);
    let l = c.labels_at(DATA, &schema("onX: a.subscription().$0"));
    has_all(&l, &["for", "arguments", "authorization", "handler"]);
    has_none(&l, &["returns"]);
    let l = c.labels_at(DATA, &schema("echo: a.query().handler(a.handler.$0)"));
    has_all(&l, &["function", "custom"]);
    // the trailing `a.` at the end of an unclosed file
    let l = c.labels_at(
        DATA,
        "const schema = a.schema({\n  Todo: a.model({\n    content: a.$0",
    );
    has_all(&l, &["string", "integer"]);
}

#[test]
fn allow_rules_by_context() {
    let mut c = Client::start();
    let l = c.labels_at(
        DATA,
        &schema("X: a.model({ f: a.string() }).authorization((allow) => [allow.$0])"),
    );
    has_all(
        &l,
        &[
            "publicApiKey",
            "guest",
            "authenticated",
            "owner",
            "ownerDefinedIn",
            "ownersDefinedIn",
            "group",
            "groups",
            "groupDefinedIn",
            "groupsDefinedIn",
            "custom",
        ],
    );
    has_none(&l, &["resource"]);
    // field level
    let l = c.labels_at(
        DATA,
        &schema("X: a.model({ f: a.string().authorization((allow) => [allow.$0]) })"),
    );
    has_all(&l, &["owner", "authenticated"]);
    has_none(&l, &["resource"]);
    // custom operations: no owner rules
    let l = c.labels_at(
        DATA,
        &schema("echo: a.query().authorization((allow) => [allow.$0])"),
    );
    has_all(&l, &["publicApiKey", "authenticated", "groups"]);
    has_none(&l, &["owner", "ownerDefinedIn"]);
    // schema level: resource is allowed
    let l = c.labels_at(
        DATA,
        "const schema = a.schema({ T: a.model({}) }).authorization((allow) => [allow.$0]);",
    );
    has_all(&l, &["resource", "publicApiKey"]);
    // chain methods after a rule, and operations inside .to()
    let l = c.labels_at(
        DATA,
        &schema("X: a.model({}).authorization((allow) => [allow.owner().$0])"),
    );
    has_all(&l, &["to", "identityClaim"]);
    let l = c.labels_at(
        DATA,
        &schema("X: a.model({}).authorization((allow) => [allow.owner().to(['$0'])])"),
    );
    has_all(
        &l,
        &[
            "create", "update", "delete", "read", "get", "list", "sync", "listen", "search",
        ],
    );
    let l = c.labels_at(DATA, &schema("X: a.model({}).disableOperations(['$0'])"));
    has_all(
        &l,
        &[
            "queries",
            "mutations",
            "subscriptions",
            "list",
            "get",
            "create",
            "update",
            "delete",
            "onCreate",
            "onUpdate",
            "onDelete",
        ],
    );
}

#[test]
fn model_and_field_names() {
    let mut c = Client::start();
    let l = c.labels_at(DATA, &schema("X: a.model({ s: a.ref('$0') })"));
    has_all(&l, &["Status", "Post", "Author"]);
    let l = c.labels_at(DATA, &schema("X: a.model({ p: a.hasMany('$0') })"));
    has_all(&l, &["Post", "Author"]);
    has_none(&l, &["Status"]);
    let l = c.labels_at(DATA, &schema("X: a.model({ p: a.hasMany('Post', '$0') })"));
    has_all(&l, &["title", "authorId", "author"]);
    let l = c.labels_at(
        DATA,
        &schema("X: a.model({ code: a.string().required(), n: a.integer() }).identifier(['$0'])"),
    );
    has_all(&l, &["code", "n"]);
    let l = c.labels_at(DATA, &schema("X: a.model({ code: a.string(), n: a.integer() }).secondaryIndexes((index) => [index('$0')])"));
    has_all(&l, &["code", "n"]);
    // while the model is half typed (nothing closes it, so the file does not parse), its fields are still
    // offered: they are read from the text before the cursor
    for tail in [
        ".identifier(['$0",
        ".secondaryIndexes((index) => [index('$0",
        ".authorization((allow) => [allow.ownerDefinedIn('$0",
    ] {
        let l = c.labels_at(
            DATA,
            &schema(&format!(
                "X: a.model({{ code: a.string().required(), 'n': a.integer() }}){tail}"
            )),
        );
        assert_eq!(l, ["code", "n"], "after {tail}");
    }
    // inside the half-typed model's object: the fields written before the cursor
    let l = c.labels_at(
        DATA,
        &schema("X: a.model({ authorId: a.id(), author: a.belongsTo('Author', '$0"),
    );
    assert_eq!(l, ["authorId", "author"]);
}

/// Right after a keystroke, the schema's type names may come from the newest version already analysed, but
/// only when the text differs from it inside the string being completed: a model added by an edit since then is
/// always offered, whichever version the server had analysed when the completion came.
#[test]
fn type_names_right_after_edits_include_what_the_edits_added() {
    let mut c = Client::start();
    let v1 = schema("X: a.model({ p: a.hasMany() }),");
    let uri = c.open(DATA, &v1);
    c.diagnostics(&uri, Some(1));
    // a model added, then the string typed, without waiting for either version's diagnostics
    let v2 = v1.replace(
        "Author: a.model",
        "Extra: a.model({ n: a.string() }),\nAuthor: a.model",
    );
    assert_ne!(v2, v1);
    c.change(&uri, 2, json!([{ "text": v2 }]));
    let (v3, at) = cursor(&v2.replace("a.hasMany()", "a.hasMany('$0')"));
    c.change(&uri, 3, json!([{ "text": v3 }]));
    let l = Client::labels(&c.completion(&uri, at.clone()));
    assert_eq!(l, ["Post", "Extra", "Author", "X"]);
    // once version 3 is analysed, a letter typed in the string: its types are still right
    c.diagnostics(&uri, Some(3));
    let (v4, at) = cursor(&v2.replace("a.hasMany()", "a.hasMany('E$0')"));
    c.change(&uri, 4, json!([{ "text": v4 }]));
    let l = Client::labels(&c.completion(&uri, at));
    assert_eq!(l, ["Post", "Extra", "Author", "X"]);
    // and a model renamed in the same edit as a letter typed in the string
    let (v5, at) = cursor(
        &v2.replace("a.hasMany()", "a.hasMany('Ex$0')")
            .replace("Extra: a.model", "Extras: a.model"),
    );
    c.change(&uri, 5, json!([{ "text": v5 }]));
    let l = Client::labels(&c.completion(&uri, at));
    assert_eq!(l, ["Post", "Extras", "Author", "X"]);
}

#[test]
fn group_names_come_from_the_auth_file() {
    let mut c = Client::start();
    c.write_file(
        AUTH,
        "import { defineAuth } from '@aws-amplify/backend';\nexport const auth = defineAuth({ loginWith: { email: true }, groups: ['ADMINS', 'EDITORS'] });\n",
    );
    let l = c.labels_at(
        DATA,
        &schema("X: a.model({}).authorization((allow) => [allow.groups(['$0'])])"),
    );
    assert_eq!(l, ["ADMINS", "EDITORS"]);
    let l = c.labels_at(
        STORAGE,
        "defineStorage({ name: 'f', access: (allow) => ({ 'a/*': [allow.groups(['$0'])] }) })",
    );
    assert_eq!(l, ["ADMINS", "EDITORS"]);
    // an open, unsaved auth document wins over the disk
    let auth = c.open(
        AUTH,
        "export const auth = defineAuth({ loginWith: { email: true }, groups: ['OPS'] });",
    );
    c.diagnostics(&auth, Some(1));
    let l = c.labels_at(
        STORAGE,
        "defineStorage({ name: 'f', access: (allow) => ({ 'a/*': [allow.groups(['$0'])] }) })",
    );
    assert_eq!(l, ["OPS"]);
    // Asked right after an edit of the auth file, before anything was answered for it: the groups are the
    // edit's.
    let (text, pos) = cursor(
        "defineStorage({ name: 'f', access: (allow) => ({ 'a/*': [allow.groups(['$0'])] }) })",
    );
    let storage = c.open(STORAGE, &text);
    c.diagnostics(&storage, Some(1));
    for (version, groups) in [(2, "'OPS', 'QA'"), (3, "'QA'"), (4, "'OPS', 'QA', 'DEV'")] {
        c.change(
            &auth,
            version,
            json!([{ "text": format!("export const auth = defineAuth({{ loginWith: {{ email: true }}, groups: [{groups}] }});") }]),
        );
        let l = Client::labels(&c.completion(&storage, pos.clone()));
        let want: Vec<String> = groups
            .split(", ")
            .map(|g| g.trim_matches('\'').to_string())
            .collect();
        assert_eq!(l, want, "version {version}");
    }
    // and right after an edit of the document asked about
    c.change(&storage, 2, json!([{ "text": format!("{text}\n") }]));
    let l = Client::labels(&c.completion(&storage, pos));
    assert_eq!(l, ["OPS", "QA", "DEV"]);
}

#[test]
fn literal_sets() {
    let mut c = Client::start();
    let cases: &[(&str, &str, &[&str])] = &[
        (AUTH, "defineAuth({ loginWith: { email: { verificationEmailStyle: '$0' } } })", &["CODE", "LINK"]),
        (AUTH, "defineAuth({ multifactor: { mode: '$0' } })", &["OFF", "OPTIONAL", "REQUIRED"]),
        (AUTH, "defineAuth({ accountRecovery: '$0' })", &["EMAIL_ONLY", "PHONE_ONLY_WITHOUT_MFA", "NONE"]),
        (AUTH, "defineAuth({ passwordlessOptions: { preferredChallenge: '$0' } })", &["EMAIL_OTP", "SMS_OTP", "PASSWORD", "WEB_AUTHN"]),
        (AUTH, "defineAuth({ loginWith: { email: true, externalProviders: { scopes: ['$0'] } } })", &["PHONE", "EMAIL", "OPENID", "PROFILE", "COGNITO_ADMIN"]),
        (FUNC, "defineFunction({ logging: { level: '$0' } })", &["info", "debug", "warn", "error", "fatal", "trace"]),
        (DATA, "defineData({ schema, logging: { fieldLogLevel: '$0' } })", &["none", "all", "info", "debug", "error"]),
        (AUTH, "defineAuth({ loginWith: { email: true }, access: (allow) => [allow.resource(fn).to(['$0'])] })", &["manageUsers", "createUser", "listUsers"]),
        (DATA, "const schema = a.schema({ T: a.model({}) }).authorization((allow) => [allow.resource(fn).to(['$0'])]);", &["query", "mutate", "listen"]),
    ];
    for (file, fixture, want) in cases {
        let l = c.labels_at(file, fixture);
        has_all(&l, want);
    }
}

#[test]
fn no_completions_in_comments_or_foreign_files() {
    let mut c = Client::start();
    let l = c.labels_at(FUNC, "// defineFunction({ $0");
    assert!(l.is_empty(), "{l:?}");
    let l = c.labels_at("src/app.ts", "defineFunction({ $0 })");
    assert!(l.is_empty(), "{l:?}");
}

#[test]
fn hovers() {
    let mut c =
        Client::start_with(json!({ "initializationOptions": { "docsPlatform": "nextjs" } }));
    let text = "import { defineFunction } from '@aws-amplify/backend';\nexport const f = defineFunction({ timeoutSeconds: 10, runtime: 22 });\n";
    let uri = c.open(FUNC, text);
    let h = c.hover(&uri, position_of(text, "defineFunction({", 3));
    assert!(
        h.contains("docs.amplify.aws/nextjs/build-a-backend/functions"),
        "{h}"
    );
    let h = c.hover(&uri, position_of(text, "timeoutSeconds", 2));
    assert!(h.contains("timeoutSeconds") && h.contains("900"), "{h}");
    // the platform setting changes the links
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "amplifyLsp": { "docsPlatform": "swift" } } }),
    );
    let h = c.hover(&uri, position_of(text, "runtime", 1));
    assert!(h.contains("docs.amplify.aws/swift/"), "{h}");
    let h = c.hover(&uri, position_of(text, "import", 1));
    assert!(h.is_empty(), "{h}");

    let text = schema("X: a.model({ f: a.string() }).authorization((allow) => [allow.owner()])");
    let uri = c.open(DATA, &text);
    let h = c.hover(&uri, position_of(&text, "allow.owner", 7));
    assert!(h.contains("allow.owner"), "{h}");
    let h = c.hover(&uri, position_of(&text, "a.hasMany", 3));
    assert!(h.contains("a.hasMany"), "{h}");
    let h = c.hover(&uri, position_of(&text, ".required()", 2));
    assert!(h.contains(".required"), "{h}");
}

/// The item labelled `label`.
fn item<'a>(items: &'a [Value], label: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no {label:?} in {:?}", Client::labels(items)))
}

#[test]
fn items_rank_first_filter_on_their_name_and_replace_the_typed_prefix() {
    // A client without snippets gets plain text.
    let mut c = Client::start_with(json!({ "capabilities": {} }));
    let (text, pos) = cursor("import { defineFunction } from '@aws-amplify/backend';\nexport const f = defineFunction({ mem$0 });\n");
    let uri = c.open(FUNC, &text);
    let items = c.completion(&uri, pos.clone());
    let m = item(&items, "memoryMB");
    // TypeScript's sort texts start with `1` (`11`, `15`): every one of ours must sort before them.
    for i in &items {
        let sort = i["sortText"].as_str().unwrap_or_default();
        assert!(sort.starts_with('0'), "{} sorts as {sort:?}", i["label"]);
    }
    // Clients that do not filter when an item has an edit range (Neovim 0.11) filter on `filterText`.
    assert_eq!(m["filterText"], "memoryMB");
    // The edit replaces the typed `mem`, from its first letter to the cursor, and inserts the key and `: `.
    let edit = &m["textEdit"];
    assert_eq!(edit["newText"], "memoryMB: ");
    assert_eq!(edit["range"]["end"], pos);
    let line = pos["line"].as_i64().unwrap_or(-1);
    let character = pos["character"].as_i64().unwrap_or(-1);
    assert_eq!(
        edit["range"]["start"],
        json!({ "line": line, "character": character - 3 })
    );
    assert_ne!(
        m["insertTextFormat"], 2,
        "plain text without snippet support"
    );
}

#[test]
fn a_snippet_client_gets_the_key_and_a_cursor_in_the_value() {
    let mut c = Client::start();
    let (text, pos) = cursor("import { defineFunction } from '@aws-amplify/backend';\nexport const f = defineFunction({ $0 });\n");
    let uri = c.open(FUNC, &text);
    let items = c.completion(&uri, pos);
    let t = item(&items, "timeoutSeconds");
    assert_eq!(t["insertTextFormat"], 2);
    let new_text = t["textEdit"]["newText"].as_str().unwrap_or_default();
    assert!(
        new_text.starts_with("timeoutSeconds: ") && new_text.contains('$'),
        "{new_text}"
    );
}

#[test]
fn typescript_duplicates_are_left_out_when_amplify_types_are_installed() {
    let fixture = "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({ Todo: a.model({ title: a.string() }).authorization((allow) => [allow.$0]) });\nexport const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'apiKey' } });\n";
    let func = "import { defineFunction } from '@aws-amplify/backend';\nexport const f = defineFunction({ $0 });\n";
    let groups = "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({ Todo: a.model({ title: a.string() }).authorization((allow) => [allow.groups(['$0'])]) });\nexport const data = defineData({ schema });\n";
    let auth = "import { defineAuth } from '@aws-amplify/backend';\nexport const auth = defineAuth({ loginWith: { email: true }, groups: ['ADMINS'] });\n";

    let mut c = Client::start();
    c.write_file("amplify/auth/resource.ts", auth);
    // Without the types, everything is offered.
    assert!(c.labels_at(FUNC, func).contains(&"memoryMB".to_string()));
    assert!(c.labels_at(DATA, fixture).contains(&"owner".to_string()));
    // With `@aws-amplify/backend` installed, TypeScript offers property names and `allow.` rules itself.
    c.write_file(
        "node_modules/@aws-amplify/backend/package.json",
        "{ \"name\": \"@aws-amplify/backend\" }",
    );
    let l = c.labels_at(FUNC, func);
    has_none(&l, &["memoryMB", "timeoutSeconds"]);
    has_none(&c.labels_at(DATA, fixture), &["owner", "groups"]);
    // What only the project knows is still offered: the groups of defineAuth.
    has_all(&c.labels_at(DATA, groups), &["ADMINS"]);
    // A monorepo app below a hoisted install: TypeScript finds the types, so the duplicates go too.
    has_none(
        &c.labels_at("apps/web/amplify/functions/f/resource.ts", func),
        &["memoryMB"],
    );
    c.shutdown();

    // The setting brings the duplicates back.
    let mut c = Client::start_with(json!({
        "initializationOptions": { "completion": { "hideTypeScriptDuplicates": false } }
    }));
    c.write_file(
        "node_modules/@aws-amplify/backend/package.json",
        "{ \"name\": \"@aws-amplify/backend\" }",
    );
    has_all(&c.labels_at(FUNC, func), &["memoryMB", "timeoutSeconds"]);
}

#[test]
fn callbacks_with_expression_bodies() {
    let mut c = Client::start();
    // validators in the usual form, by field type, without the used ones
    let l = c.labels_at(
        DATA,
        &schema("Extra: a.model({ f: a.string().validate(v => v.$0) })"),
    );
    has_all(
        &l,
        &[
            "minLength",
            "maxLength",
            "startsWith",
            "endsWith",
            "matches",
        ],
    );
    has_none(&l, &["gt", "positive", "required"]);
    let l = c.labels_at(
        DATA,
        &schema("Extra: a.model({ n: a.integer().validate((n) => n.positive().lte(10).$0) })"),
    );
    has_all(&l, &["lt", "gte", "negative"]);
    has_none(&l, &["positive", "gt", "lte", "minLength"]);
    let l = c.labels_at(
        DATA,
        &schema("Extra: a.model({ n: a.float().validate(v => v.$0) })"),
    );
    has_all(&l, &["gt", "lt", "gte", "lte", "positive", "negative"]);
    let l = c.labels_at(
        DATA,
        &schema("Extra: a.model({ b: a.boolean().validate(v => v.$0) })"),
    );
    assert!(l.is_empty(), "a boolean has no validators: {l:?}");
    // authorization of conversations and generations in the documented form
    let l = c.labels_at(DATA,
        &schema("chat: a.conversation({ aiModel: a.ai.model('Claude 3.5 Haiku'), systemPrompt: 'hi' }).authorization(allow => allow.$0)"),
    );
    assert_eq!(l, ["owner"], "a conversation accepts only owner: {l:?}");
    let l = c.labels_at(DATA,
        &schema("gen: a.generation({ aiModel: a.ai.model('Claude 3 Haiku'), systemPrompt: 'x' }).authorization(allow => allow.$0)"),
    );
    has_all(&l, &["publicApiKey", "authenticated", "guest", "group"]);
    has_none(&l, &["owner", "resource"]);
    let l = c.labels_at(
        DATA,
        &schema("Extra: a.model({ f: a.string() }).authorization(allow => allow.owner().$0)"),
    );
    has_all(&l, &["to", "identityClaim"]);
    // secondary indexes
    let l = c.labels_at(
        DATA,
        &schema("Extra: a.model({ f: a.string() }).secondaryIndexes(index => index('f').$0)"),
    );
    has_all(&l, &["sortKeys", "name", "queryField", "projection"]);
    let l = c.labels_at(DATA,
        &schema("Extra: a.model({ f: a.string(), g: a.string() }).secondaryIndexes(index => index('$0'))"),
    );
    has_all(&l, &["f", "g"]);

    // hover in the same places
    let text = schema("Extra: a.model({ f: a.string().validate(v => v.minLength(3)) }).authorization(allow => allow.owner()).secondaryIndexes(index => index('f').sortKeys(['f']))");
    let uri = c.open(DATA, &text);
    let h = c.hover(&uri, position_of(&text, "minLength", 2));
    assert!(h.contains(".minLength"), "{h}");
    let h = c.hover(&uri, position_of(&text, "allow.owner", 7));
    assert!(h.contains("allow.owner"), "{h}");
    let h = c.hover(&uri, position_of(&text, "sortKeys", 2));
    assert!(h.contains(".sortKeys"), "{h}");
}

#[test]
fn modifiers_follow_what_the_types_allow() {
    let mut c = Client::start();
    let l = c.labels_at(
        DATA,
        &schema("Extra: a.model({ f: a.string().array().$0 })"),
    );
    has_all(&l, &["required", "authorization"]);
    has_none(&l, &["validate", "array"]);
    let l = c.labels_at(
        DATA,
        &schema("Extra: a.model({ f: a.string().validate(v => v.minLength(1)).$0 })"),
    );
    has_all(&l, &["required", "authorization"]);
    has_none(&l, &["array", "default", "validate"]);
    let l = c.labels_at(DATA, &schema("Extra: a.model({ f: a.boolean().$0 })"));
    has_all(&l, &["required", "array", "default"]);
    has_none(&l, &["validate"]);
    // a. inside a model: no namespaces; inside a custom type: no relationships either
    let l = c.labels_at(DATA, &schema("Extra: a.model({ f: a.$0 })"));
    has_none(&l, &["handler", "ai", "model", "query"]);
    let l = c.labels_at(DATA, &schema("Extra: a.customType({ f: a.$0 })"));
    has_all(&l, &["string", "ref", "enum", "customType"]);
    has_none(&l, &["hasMany", "hasOne", "belongsTo", "handler", "ai"]);
    // where a handler is expected, a.handler is still offered
    let l = c.labels_at(DATA, &schema("echo: a.query().handler(a.$0)"));
    has_all(&l, &["handler"]);
}

#[test]
fn hover_on_an_imported_factory_name() {
    let mut c = Client::start();
    let text = "import { defineData, a } from '@aws-amplify/backend';\nconst schema = a.schema({ T: a.model({ f: a.string() }) });\nexport const data = defineData({ schema });\n";
    let uri = c.open(DATA, text);
    let on_import = c.hover(&uri, position_of(text, "defineData", 3));
    let on_call = c.hover(&uri, position_of(text, "defineData({", 3));
    assert!(on_import.contains("defineData(props)"), "{on_import}");
    assert_eq!(on_import, on_call);
}

#[test]
fn backend_resources_and_their_constructs() {
    let mut c = Client::start();
    let backend = |tail: &str| {
        format!(
            "import {{ defineBackend }} from '@aws-amplify/backend';\nimport {{ auth }} from './auth/resource';\nimport {{ data }} from './data/resource';\nimport {{ files }} from './storage/resource';\nimport {{ sayHello }} from './functions/say-hello/resource';\n\nconst backend = defineBackend({{ auth, data, files, sayHello }});\n{tail}\n"
        )
    };
    const BACKEND: &str = "amplify/backend.ts";
    let l = c.labels_at(BACKEND, &backend("backend.$0"));
    has_all(
        &l,
        &[
            "auth",
            "data",
            "files",
            "sayHello",
            "createStack",
            "addOutput",
            "stack",
        ],
    );
    let l = c.labels_at(BACKEND, &backend("backend.auth.resources.$0"));
    has_all(
        &l,
        &[
            "userPool",
            "userPoolClient",
            "authenticatedUserIamRole",
            "groups",
            "cfnResources",
        ],
    );
    has_none(&l, &["lambda", "bucket"]);
    let l = c.labels_at(BACKEND, &backend("backend.auth.resources.cfnResources.$0"));
    has_all(&l, &["cfnUserPool", "cfnIdentityPool"]);
    let l = c.labels_at(BACKEND, &backend("backend.data.resources.$0"));
    has_all(&l, &["graphqlApi", "tables", "cfnResources"]);
    let l = c.labels_at(BACKEND, &backend("backend.data.resources.cfnResources.$0"));
    has_all(&l, &["cfnGraphqlApi", "amplifyDynamoDbTables"]);
    let l = c.labels_at(BACKEND, &backend("backend.data.$0"));
    has_all(
        &l,
        &["resources", "addDynamoDbDataSource", "addHttpDataSource"],
    );
    let l = c.labels_at(BACKEND, &backend("backend.files.resources.$0"));
    has_all(&l, &["bucket", "cfnResources"]);
    let l = c.labels_at(BACKEND, &backend("backend.sayHello.$0"));
    has_all(&l, &["resources", "addEnvironment", "stack"]);
    let l = c.labels_at(BACKEND, &backend("backend.sayHello.resources.$0"));
    has_all(&l, &["lambda", "cfnResources"]);
    has_none(&l, &["userPool"]);
    // not a key of defineBackend
    let l = c.labels_at(BACKEND, &backend("backend.other.$0"));
    assert!(l.is_empty(), "{l:?}");

    let text = backend("backend.auth.resources.userPool;");
    let uri = c.open(BACKEND, &text);
    let h = c.hover(&uri, position_of(&text, "userPool;", 2));
    assert!(h.contains("backend.auth.resources.userPool"), "{h}");
}

#[test]
fn ai_and_handler_arguments() {
    let mut c = Client::start();
    let l = c.labels_at(DATA, &schema("chat: a.conversation({ $0 })"));
    has_all(
        &l,
        &[
            "aiModel",
            "systemPrompt",
            "inferenceConfiguration",
            "tools",
            "handler",
        ],
    );
    let l = c.labels_at(DATA,
        &schema("gen: a.generation({ aiModel: a.ai.model('Claude 3 Haiku'), systemPrompt: 'x', inferenceConfiguration: { $0 } })"),
    );
    has_all(&l, &["maxTokens", "temperature", "topP"]);
    let l = c.labels_at(DATA,
        &schema("chat: a.conversation({ aiModel: a.ai.model('Claude 3 Haiku'), systemPrompt: 'x', tools: [a.ai.dataTool({ name: 'x', $0 })] })"),
    );
    has_all(&l, &["description", "model", "modelOperation", "query"]);
    has_none(&l, &["name"]);
    let l = c.labels_at(
        DATA,
        &schema("q: a.query().handler(a.handler.custom({ $0 }))"),
    );
    has_all(&l, &["entry", "dataSource"]);
    let l = c.labels_at("amplify/functions/chat/resource.ts",
        "import { defineConversationHandlerFunction } from '@aws-amplify/backend-ai';\nexport const chat = defineConversationHandlerFunction({ $0 });\n",
    );
    has_all(
        &l,
        &[
            "name",
            "entry",
            "models",
            "memoryMB",
            "timeoutSeconds",
            "logging",
        ],
    );
    let text = schema("gen: a.generation({ aiModel: a.ai.model('Claude 3 Haiku'), systemPrompt: 'x', inferenceConfiguration: { temperature: 0.5 } })");
    let uri = c.open(DATA, &text);
    let h = c.hover(&uri, position_of(&text, "temperature", 2));
    assert!(h.contains("temperature") && h.contains("0–1"), "{h}");
}
