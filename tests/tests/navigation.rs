//! Navigation, references, rename, symbols, code lenses and inlay hints through the real binary, on a
//! realistic multi-file project: the current file is opened, the others are written to disk.

use amplify_lsp_tests::*;

const AUTH: &str = "amplify/auth/resource.ts";
const DATA: &str = "amplify/data/resource.ts";
const STORAGE: &str = "amplify/storage/resource.ts";
const FUNC: &str = "amplify/functions/say-hello/resource.ts";
const HANDLER: &str = "amplify/functions/say-hello/handler.ts";
const BACKEND: &str = "amplify/backend.ts";

const AUTH_SRC: &str = "import { defineAuth } from '@aws-amplify/backend';

export const auth = defineAuth({
  loginWith: { email: true },
  groups: ['ADMINS', 'EDITORS'],
});
";

const DATA_SRC: &str = "import { type ClientSchema, a, defineData } from '@aws-amplify/backend';
import { sayHello } from '../functions/say-hello/resource';

const schema = a.schema({
  Visibility: a.enum(['PUBLIC', 'PRIVATE']),
  Blog: a
    .model({
      name: a.string().required(),
      posts: a.hasMany('Post', 'blogId'),
    })
    .authorization((allow) => [allow.owner(), allow.group('ADMINS'), allow.authenticated().to(['read'])]),
  Post: a
    .model({
      title: a.string().required(),
      blogId: a.id(),
      blog: a.belongsTo('Blog', 'blogId'),
      comments: a.hasMany('Comment', 'postId'),
      visibility: a.ref('Visibility'),
    })
    .secondaryIndexes((index) => [index('blogId')])
    .authorization((allow) => [allow.owner(), allow.groups(['EDITORS']).to(['read', 'update'])]),
  Comment: a.model({
    postId: a.id(),
    post: a.belongsTo('Post', 'postId'),
    body: a.string(),
  }),
  Stats: a.customType({ posts: a.integer(), comments: a.integer() }),
  blogStats: a
    .query()
    .arguments({ blogId: a.id() })
    .returns(a.ref('Stats'))
    .handler(a.handler.function(sayHello))
    .authorization((allow) => [allow.authenticated()]),
  latest: a
    .query()
    .returns(a.ref('Post').array())
    .handler(a.handler.function('greeter'))
    .authorization((allow) => [allow.authenticated()]),
}).authorization((allow) => [allow.publicApiKey().to(['read'])]);

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({
  schema,
  functions: { greeter: sayHello },
});
";

const STORAGE_SRC: &str = "import { defineStorage } from '@aws-amplify/backend';
import { sayHello } from '../functions/say-hello/resource';

export const storage = defineStorage({
  name: 'blogMedia',
  access: (allow) => ({
    'covers/*': [allow.guest.to(['read']), allow.groups(['EDITORS']).to(['read', 'write', 'delete'])],
    'drafts/{entity_id}/*': [allow.entity('identity').to(['read', 'write']), allow.resource(sayHello).to(['read'])],
  }),
});
";

const FUNC_SRC: &str = "import { defineFunction } from '@aws-amplify/backend';

export const sayHello = defineFunction({
  entry: './handler.ts',
  memoryMB: 256,
});
";

const HANDLER_SRC: &str = "import { env } from '$amplify/env/handler';

export const handler = async () => env.AWS_REGION;
";

const BACKEND_SRC: &str = "import { defineBackend } from '@aws-amplify/backend';
import { auth } from './auth/resource';
import { data } from './data/resource';
import { storage } from './storage/resource';
import { sayHello } from './functions/say-hello/resource';

const backend = defineBackend({ auth, data, storage, sayHello });
backend.data.resources.tables['Post'].pointInTimeRecoveryEnabled = true;
";

/// Writes the whole project to disk and returns the client.
fn project() -> Client {
    // Written before the server starts (as in a real project): files written after it started would be seen
    // only through file events, and the workspace listing made at start would miss them.
    Client::start_with_files(
        &[],
        &[
            (AUTH, AUTH_SRC),
            (DATA, DATA_SRC),
            (STORAGE, STORAGE_SRC),
            (FUNC, FUNC_SRC),
            (HANDLER, HANDLER_SRC),
            (BACKEND, BACKEND_SRC),
        ],
        json!({
        "capabilities": {
            "textDocument": {
                "rename": { "prepareSupport": true },
                "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
                "definition": { "linkSupport": false }
            },
            "workspace": { "workspaceEdit": { "documentChanges": true } }
        }
        }),
    )
}

fn pos_params(uri: &str, pos: &Value) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": pos })
}

/// The (uri, range start) of every location in a definition / references answer.
fn locations(res: &Value) -> Vec<(String, Value)> {
    let list = match res {
        Value::Array(a) => a.clone(),
        Value::Null => Vec::new(),
        one => vec![one.clone()],
    };
    list.iter()
        .map(|l| {
            let uri = l["uri"].as_str().or(l["targetUri"].as_str()).unwrap_or("");
            let range = if l["range"].is_object() {
                &l["range"]
            } else {
                &l["targetSelectionRange"]
            };
            (uri.to_string(), range["start"].clone())
        })
        .collect()
}

fn definition(c: &mut Client, uri: &str, pos: Value) -> Vec<(String, Value)> {
    let res = c
        .request("textDocument/definition", pos_params(uri, &pos))
        .expect("definition");
    locations(&res)
}

#[test]
fn definition_of_models_from_refs_relationships_and_returns() {
    let mut c = project();
    let uri = c.open(DATA, DATA_SRC);
    let post_key = position_of(DATA_SRC, "Post: a", 0);
    // a.hasMany('Post', ...)
    let d = definition(&mut c, &uri, position_of(DATA_SRC, "hasMany('Post'", 10));
    assert_eq!(d, [(uri.clone(), post_key.clone())]);
    // a.belongsTo('Blog', ...)
    let d = definition(&mut c, &uri, position_of(DATA_SRC, "belongsTo('Blog'", 12));
    assert_eq!(d, [(uri.clone(), position_of(DATA_SRC, "Blog: a", 0))]);
    // .returns(a.ref('Post').array())
    let d = definition(
        &mut c,
        &uri,
        position_of(DATA_SRC, "a.ref('Post').array()", 8),
    );
    assert_eq!(d, [(uri.clone(), post_key)]);
    // a.ref('Visibility') to the enum, .returns(a.ref('Stats')) to the custom type
    let d = definition(&mut c, &uri, position_of(DATA_SRC, "ref('Visibility')", 6));
    assert_eq!(
        d,
        [(uri.clone(), position_of(DATA_SRC, "Visibility: a", 0))]
    );
    let d = definition(&mut c, &uri, position_of(DATA_SRC, "ref('Stats')", 6));
    assert_eq!(d, [(uri.clone(), position_of(DATA_SRC, "Stats: a", 0))]);
    // a relationship's reference field goes to the field of the related model
    let d = definition(
        &mut c,
        &uri,
        position_of(DATA_SRC, "'Comment', 'postId'", 13),
    );
    assert_eq!(
        d,
        [(uri.clone(), position_of(DATA_SRC, "postId: a.id()", 0))]
    );
    // a group name goes to defineAuth's groups, in another file (on disk)
    let d = definition(&mut c, &uri, position_of(DATA_SRC, "group('ADMINS')", 8));
    assert_eq!(d, [(c.uri(AUTH), position_of(AUTH_SRC, "'ADMINS'", 1))]);
    // a function handler named by its identifier is TypeScript's to answer; a data function key (a string)
    // goes to the defineFunction
    let fn_def = vec![(c.uri(FUNC), position_of(FUNC_SRC, "sayHello =", 0))];
    let d = definition(
        &mut c,
        &uri,
        position_of(DATA_SRC, "function(sayHello)", 10),
    );
    assert!(d.is_empty(), "{d:?}");
    let d = definition(
        &mut c,
        &uri,
        position_of(DATA_SRC, "function('greeter')", 11),
    );
    assert_eq!(d, fn_def);
    // nothing on a scalar factory
    let res = c
        .request(
            "textDocument/definition",
            pos_params(&uri, &position_of(DATA_SRC, "a.string().required()", 3)),
        )
        .expect("definition");
    assert!(res.is_null(), "{res}");
}

#[test]
fn definition_across_backend_storage_functions_and_env_imports() {
    let mut c = project();
    // backend.ts: identifiers in defineBackend and in the imports are TypeScript's to answer (see
    // `identifiers_are_left_to_typescript`); names in strings are ours
    let uri = c.open(BACKEND, BACKEND_SRC);
    let d = definition(&mut c, &uri, position_of(BACKEND_SRC, "tables['Post']", 9));
    assert_eq!(d, [(c.uri(DATA), position_of(DATA_SRC, "Post: a", 0))]);
    // the function's entry goes to the handler file
    let uri = c.open(FUNC, FUNC_SRC);
    let d = definition(&mut c, &uri, position_of(FUNC_SRC, "./handler.ts", 3));
    assert_eq!(d, [(c.uri(HANDLER), json!({ "line": 0, "character": 0 }))]);
    // `$amplify/env/handler`: the function is named after its entry file
    let uri = c.open(HANDLER, HANDLER_SRC);
    let d = definition(&mut c, &uri, position_of(HANDLER_SRC, "env/handler", 5));
    assert_eq!(d, [(c.uri(FUNC), position_of(FUNC_SRC, "sayHello =", 0))]);
    // a storage group goes to defineAuth
    let uri = c.open(STORAGE, STORAGE_SRC);
    let d = definition(&mut c, &uri, position_of(STORAGE_SRC, "'EDITORS'", 2));
    assert_eq!(d, [(c.uri(AUTH), position_of(AUTH_SRC, "'EDITORS'", 1))]);
    // an entry outside the project is never offered
    let outside = "import { defineFunction } from '@aws-amplify/backend';\nexport const f = defineFunction({ entry: '../../../../etc/hosts' });\n";
    let uri = c.open("amplify/functions/f/resource.ts", outside);
    let res = c
        .request(
            "textDocument/definition",
            pos_params(&uri, &position_of(outside, "etc/hosts", 1)),
        )
        .expect("definition");
    assert!(res.is_null(), "{res}");
}

#[test]
fn unsaved_text_of_open_files_wins() {
    let mut c = project();
    // the auth file is open with a group that is not on disk
    let edited = AUTH_SRC.replace("'EDITORS'", "'EDITORS', 'AUTHORS'");
    c.open(AUTH, &edited);
    let storage = STORAGE_SRC.replace("groups(['EDITORS'])", "groups(['AUTHORS'])");
    let uri = c.open(STORAGE, &storage);
    let d = definition(&mut c, &uri, position_of(&storage, "'AUTHORS'", 2));
    assert_eq!(d, [(c.uri(AUTH), position_of(&edited, "'AUTHORS'", 1))]);
}

fn references(c: &mut Client, uri: &str, pos: Value, decl: bool) -> Vec<(String, Value)> {
    let mut params = pos_params(uri, &pos);
    params["context"] = json!({ "includeDeclaration": decl });
    let res = c
        .request("textDocument/references", params)
        .expect("references");
    let mut l = locations(&res);
    l.sort_by_key(|(u, p)| (u.clone(), p["line"].as_u64(), p["character"].as_u64()));
    l
}

fn sorted(mut v: Vec<(String, Value)>) -> Vec<(String, Value)> {
    v.sort_by_key(|(u, p)| (u.clone(), p["line"].as_u64(), p["character"].as_u64()));
    v
}

#[test]
fn references_of_models_fields_functions_and_groups() {
    let mut c = project();
    let uri = c.open(DATA, DATA_SRC);
    // the model Post: its key, hasMany, belongsTo, the returns ref, the backend subscript
    let refs = references(&mut c, &uri, position_of(DATA_SRC, "Post: a", 1), true);
    let want = sorted(vec![
        (uri.clone(), position_of(DATA_SRC, "Post: a", 0)),
        (uri.clone(), position_of(DATA_SRC, "hasMany('Post'", 9)),
        (uri.clone(), position_of(DATA_SRC, "belongsTo('Post'", 11)),
        (uri.clone(), position_of(DATA_SRC, "ref('Post')", 5)),
        (
            c.uri(BACKEND),
            position_of(BACKEND_SRC, "tables['Post']", 8),
        ),
    ]);
    assert_eq!(refs, want);
    let refs = references(&mut c, &uri, position_of(DATA_SRC, "Post: a", 1), false);
    assert_eq!(refs.len(), 4);
    // the field Post.blogId: declaration, the other side's references, the belongsTo, the index
    let refs = references(
        &mut c,
        &uri,
        position_of(DATA_SRC, "blogId: a.id(),\n      blog:", 0),
        true,
    );
    let want = sorted(vec![
        (uri.clone(), position_of(DATA_SRC, "'Post', 'blogId'", 9)),
        (
            uri.clone(),
            position_of(DATA_SRC, "blogId: a.id(),\n      blog:", 0),
        ),
        (uri.clone(), position_of(DATA_SRC, "'Blog', 'blogId'", 9)),
        (uri.clone(), position_of(DATA_SRC, "index('blogId')", 7)),
    ]);
    assert_eq!(refs, want);
    // the function: every file that names it
    let refs = references(
        &mut c,
        &uri,
        position_of(DATA_SRC, "function(sayHello)", 10),
        true,
    );
    let files: Vec<String> = refs
        .iter()
        .map(|(u, _)| u.rsplit("/amplify/").next().unwrap_or("").to_string())
        .collect();
    for f in [
        "backend.ts",
        "data/resource.ts",
        "storage/resource.ts",
        "functions/say-hello/resource.ts",
    ] {
        assert!(files.iter().any(|x| x == f), "{f} not in {files:?}");
    }
    // backend: import + property; data: import, handler, greeter key, its value, the 'greeter' string;
    // storage: import + allow.resource; function: its declaration; handler: the `$amplify/env` import
    assert_eq!(refs.len(), 2 + 5 + 2 + 1 + 1, "{refs:?}");
    assert!(files.iter().any(|x| x == "functions/say-hello/handler.ts"));
    // the group EDITORS: defineAuth, the data rule, the storage rule
    let refs = references(
        &mut c,
        &uri,
        position_of(DATA_SRC, "groups(['EDITORS'])", 9),
        true,
    );
    let want = sorted(vec![
        (c.uri(AUTH), position_of(AUTH_SRC, "'EDITORS'", 1)),
        (uri.clone(), position_of(DATA_SRC, "'EDITORS'", 1)),
        (c.uri(STORAGE), position_of(STORAGE_SRC, "'EDITORS'", 1)),
    ]);
    assert_eq!(refs, want);
}

/// Applies LSP text edits (non-overlapping) to a text with UTF-16 positions (ASCII here).
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap_or(0) as usize;
        let ch = p["character"].as_u64().unwrap_or(0) as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + ch
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, t) in spans {
        out.replace_range(a..b, &t);
    }
    out
}

/// The edits of a workspace edit, per URI (documentChanges or changes).
fn edits_by_uri(edit: &Value) -> Vec<(String, Vec<Value>)> {
    if let Some(dc) = edit["documentChanges"].as_array() {
        return dc
            .iter()
            .map(|d| {
                (
                    d["textDocument"]["uri"].as_str().unwrap_or("").to_string(),
                    d["edits"].as_array().cloned().unwrap_or_default(),
                )
            })
            .collect();
    }
    edit["changes"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_array().cloned().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn rename_a_model_and_a_field_with_every_reference() {
    let mut c = project();
    let uri = c.open(DATA, DATA_SRC);
    // prepareRename gives the name's range and the name
    let prep = c
        .request(
            "textDocument/prepareRename",
            pos_params(&uri, &position_of(DATA_SRC, "belongsTo('Post'", 12)),
        )
        .expect("prepareRename");
    assert_eq!(prep["placeholder"], "Post");
    assert_eq!(
        prep["range"]["start"],
        position_of(DATA_SRC, "belongsTo('Post'", 11)
    );
    let mut params = pos_params(&uri, &position_of(DATA_SRC, "belongsTo('Post'", 12));
    params["newName"] = json!("Article");
    let edit = c.request("textDocument/rename", params).expect("rename");
    let files = edits_by_uri(&edit);
    assert_eq!(files.len(), 2, "{edit}");
    // the open document's edit carries its version
    let data_change = edit["documentChanges"]
        .as_array()
        .and_then(|d| d.iter().find(|x| x["textDocument"]["uri"] == json!(uri)))
        .expect("data edits");
    assert_eq!(data_change["textDocument"]["version"], 1);
    let (_, data_edits) = files.iter().find(|(u, _)| *u == uri).expect("data");
    let renamed = apply(DATA_SRC, data_edits);
    assert!(renamed.contains("  Article: a\n"));
    assert!(renamed.contains("a.hasMany('Article', 'blogId')"));
    assert!(renamed.contains("a.belongsTo('Article', 'postId')"));
    assert!(renamed.contains("a.ref('Article').array()"));
    assert!(!renamed.contains("'Post'"));
    let (_, backend_edits) = files
        .iter()
        .find(|(u, _)| *u == c.uri(BACKEND))
        .expect("backend");
    assert!(apply(BACKEND_SRC, backend_edits).contains("tables['Article']"));

    // a field and the places that name it
    let mut params = pos_params(&uri, &position_of(DATA_SRC, "postId: a.id()", 2));
    params["newName"] = json!("parentPostId");
    let edit = c.request("textDocument/rename", params).expect("rename");
    let files = edits_by_uri(&edit);
    assert_eq!(files.len(), 1);
    let renamed = apply(DATA_SRC, &files[0].1);
    assert!(renamed.contains("parentPostId: a.id()"));
    assert!(renamed.contains("a.hasMany('Comment', 'parentPostId')"));
    assert!(renamed.contains("a.belongsTo('Post', 'parentPostId')"));
    assert_eq!(renamed.matches("parentPostId").count(), 3);

    // an existing name or an invalid one is refused
    let mut params = pos_params(&uri, &position_of(DATA_SRC, "Blog: a", 0));
    params["newName"] = json!("Comment");
    let err = c.request("textDocument/rename", params).expect_err("clash");
    assert!(
        err["message"].as_str().unwrap_or("").contains("already"),
        "{err}"
    );
    let mut params = pos_params(&uri, &position_of(DATA_SRC, "Blog: a", 0));
    params["newName"] = json!("my-blog");
    assert!(c.request("textDocument/rename", params).is_err());
}

#[test]
fn prepare_rename_refuses_what_it_cannot_rename_safely() {
    let mut c = project();
    let uri = c.open(DATA, DATA_SRC);
    for (needle, delta, why) in [
        ("blogStats:", 2, "custom query"),
        ("group('ADMINS')", 8, "group"),
        ("function(sayHello)", 10, "binding"),
        ("const schema", 8, "nothing"),
    ] {
        let res = c.request(
            "textDocument/prepareRename",
            pos_params(&uri, &position_of(DATA_SRC, needle, delta)),
        );
        let err = res.expect_err(why);
        assert!(
            err["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{why}: {err}"
        );
    }
    // the implicit owner field of allow.owner() cannot be renamed
    let src = DATA_SRC.replace(
        "name: a.string().required(),",
        "name: a.string().required(),\n      owner: a.string(),",
    );
    c.change(&uri, 2, json!([{ "text": src }]));
    let res = c.request(
        "textDocument/prepareRename",
        pos_params(&uri, &position_of(&src, "owner: a.string()", 1)),
    );
    let err = res.expect_err("owner");
    assert!(
        err["message"]
            .as_str()
            .unwrap_or("")
            .contains("allow.owner()"),
        "{err}"
    );
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn child<'v>(list: &'v Value, name: &str) -> &'v Value {
    list.as_array()
        .and_then(|a| a.iter().find(|s| s["name"] == json!(name)))
        .unwrap_or_else(|| panic!("no symbol {name} in {list}"))
}

#[test]
fn document_symbols_follow_each_resource() {
    let mut c = project();
    let uri = c.open(DATA, DATA_SRC);
    let res = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .expect("documentSymbol");
    assert_eq!(names(&res), ["schema", "data"]);
    let schema = child(&res, "schema");
    assert_eq!(
        names(&schema["children"]),
        [
            "Visibility",
            "Blog",
            "Post",
            "Comment",
            "Stats",
            "blogStats",
            "latest"
        ]
    );
    let post = child(&schema["children"], "Post");
    assert_eq!(post["kind"], 5, "class");
    assert_eq!(
        names(&post["children"]),
        ["title", "blogId", "blog", "comments", "visibility"]
    );
    assert_eq!(
        child(&post["children"], "comments")["detail"],
        "hasMany → Comment"
    );
    assert_eq!(child(&schema["children"], "Visibility")["kind"], 10, "enum");
    assert_eq!(child(&schema["children"], "blogStats")["kind"], 6, "method");
    assert_eq!(
        child(&schema["children"], "blogStats")["detail"],
        "query → Stats"
    );

    let uri = c.open(STORAGE, STORAGE_SRC);
    let res = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .expect("documentSymbol");
    let storage = child(&res, "storage");
    assert_eq!(storage["detail"], "defineStorage 'blogMedia'");
    assert_eq!(
        names(&storage["children"]),
        ["covers/*", "drafts/{entity_id}/*"]
    );
    assert_eq!(
        names(&child(&storage["children"], "covers/*")["children"]),
        ["guest", "EDITORS group"]
    );

    let uri = c.open(AUTH, AUTH_SRC);
    let res = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .expect("documentSymbol");
    let groups = child(&child(&res, "auth")["children"], "groups");
    assert_eq!(names(&groups["children"]), ["ADMINS", "EDITORS"]);

    let uri = c.open(FUNC, FUNC_SRC);
    let res = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .expect("documentSymbol");
    let f = child(&res, "sayHello");
    assert_eq!(f["detail"], "defineFunction 'handler'");
    assert_eq!(names(&f["children"]), ["entry", "memoryMB"]);
}

#[test]
fn flat_document_symbols_for_clients_without_hierarchy() {
    let mut c = Client::start();
    let uri = c.open(DATA, DATA_SRC);
    let res = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .expect("documentSymbol");
    let list = res.as_array().expect("array");
    let title = list
        .iter()
        .find(|s| s["name"] == "title")
        .expect("title field");
    assert_eq!(title["containerName"], "Post");
    assert_eq!(title["location"]["uri"], json!(uri));
}

#[test]
fn workspace_symbols_cover_files_on_disk() {
    let mut c = project();
    // one open file makes the project known; the others are read from disk
    c.open(BACKEND, BACKEND_SRC);
    let res = c
        .request("workspace/symbol", json!({ "query": "Comment" }))
        .expect("workspace/symbol");
    let list = res.as_array().expect("array");
    let model = list
        .iter()
        .find(|s| s["name"] == "Comment" && s["kind"] == 5)
        .unwrap_or_else(|| panic!("no Comment model in {res}"));
    assert_eq!(model["location"]["uri"], json!(c.uri(DATA)));
    assert_eq!(
        model["location"]["range"]["start"],
        position_of(DATA_SRC, "Comment: a", 0)
    );
    let res = c
        .request("workspace/symbol", json!({ "query": "sayhel" }))
        .expect("workspace/symbol");
    let uris: Vec<&str> = res
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s["location"]["uri"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert!(uris.contains(&c.uri(FUNC).as_str()), "{res}");
    let res = c
        .request("workspace/symbol", json!({ "query": "zzzzqq" }))
        .expect("workspace/symbol");
    assert_eq!(res, json!([]));
}

#[test]
fn code_lenses_show_effective_access() {
    let mut c = project();
    let uri = c.open(DATA, DATA_SRC);
    let res = c
        .request(
            "textDocument/codeLens",
            json!({ "textDocument": { "uri": uri } }),
        )
        .expect("codeLens");
    let lens = |name: &str| -> String {
        let pos = position_of(DATA_SRC, &format!("{name}: a"), 0);
        res.as_array()
            .and_then(|a| a.iter().find(|l| l["range"]["start"] == pos))
            .and_then(|l| l["command"]["title"].as_str())
            .unwrap_or_else(|| panic!("no lens on {name}: {res}"))
            .to_string()
    };
    assert_eq!(lens("Blog"), "owner · ADMINS group · read: authenticated");
    assert_eq!(lens("Post"), "owner · read, update: EDITORS group");
    assert_eq!(
        lens("Comment"),
        "read: public (API key) (schema-level rules)"
    );
    assert_eq!(lens("blogStats"), "authenticated");

    let uri = c.open(STORAGE, STORAGE_SRC);
    let res = c
        .request(
            "textDocument/codeLens",
            json!({ "textDocument": { "uri": uri } }),
        )
        .expect("codeLens");
    let titles: Vec<&str> = res
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|l| l["command"]["title"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        titles,
        [
            "guest: read · EDITORS group: read, write, delete",
            "entity identity: read, write · fn sayHello: read"
        ]
    );
}

#[test]
fn inlay_hints_show_omitted_defaults() {
    let mut c = project();
    let uri = c.open(FUNC, FUNC_SRC);
    let res = c
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 99, "character": 0 } } }),
        )
        .expect("inlayHint");
    let hints = res.as_array().expect("array");
    assert_eq!(hints.len(), 1, "{res}");
    assert_eq!(hints[0]["label"], "timeoutSeconds 3 · runtime 22");
    assert_eq!(
        hints[0]["position"],
        position_of(FUNC_SRC, "defineFunction({", 16)
    );
    // outside the requested range: nothing
    let res = c
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 1, "character": 0 } } }),
        )
        .expect("inlayHint");
    assert_eq!(res, json!([]));
    // data: the mode Amplify picks depends on auth, which exists on disk
    let uri = c.open(DATA, DATA_SRC);
    let res = c
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 99, "character": 0 } } }),
        )
        .expect("inlayHint");
    let labels: Vec<&str> = res
        .as_array()
        .map(|a| a.iter().filter_map(|h| h["label"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(labels, ["defaultAuthorizationMode 'userPool'"]);
}

#[test]
fn capabilities_are_announced() {
    let c = project();
    let caps = &c.init_result["capabilities"];
    assert_eq!(caps["definitionProvider"], true);
    assert_eq!(caps["referencesProvider"], true);
    assert_eq!(caps["renameProvider"]["prepareProvider"], true);
    assert_eq!(caps["documentSymbolProvider"], true);
    assert_eq!(caps["workspaceSymbolProvider"], true);
    assert!(caps["codeLensProvider"].is_object());
    assert_eq!(caps["inlayHintProvider"], true);
}

#[test]
fn identifiers_are_left_to_typescript() {
    // VS Code (and Neovim) merge our definitions with TypeScript's. For `storage` in `defineBackend({ storage })`
    // TypeScript answers the import line and we would answer the resource: two places, and VS Code opens a peek
    // instead of jumping. Identifiers are TypeScript's; names inside strings stay ours.
    let mut c = Client::start_with(json!({
        "capabilities": { "textDocument": { "definition": { "linkSupport": true } } }
    }));
    for (rel, text) in [
        (AUTH, AUTH_SRC),
        (DATA, DATA_SRC),
        (STORAGE, STORAGE_SRC),
        (FUNC, FUNC_SRC),
        (BACKEND, BACKEND_SRC),
    ] {
        c.write_file(rel, text);
    }
    let uri = c.open(BACKEND, BACKEND_SRC);
    for (needle, delta) in [
        ("storage, sayHello", 2),
        ("import { storage }", 10),
        ("{ auth,", 3),
    ] {
        let res = c
            .request(
                "textDocument/definition",
                pos_params(&uri, &position_of(BACKEND_SRC, needle, delta)),
            )
            .expect("definition");
        assert!(res.is_null(), "{needle}: {res:#}");
    }
    // ... while a model name in a string is answered, as one link whose target is the model
    let res = c
        .request(
            "textDocument/definition",
            pos_params(&uri, &position_of(BACKEND_SRC, "tables['Post']", 9)),
        )
        .expect("definition");
    let links = res.as_array().cloned().unwrap_or_default();
    assert_eq!(links.len(), 1, "{res:#}");
    assert_eq!(links[0]["targetUri"], json!(c.uri(DATA)));
}
