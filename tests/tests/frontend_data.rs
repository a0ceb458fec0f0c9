//! Frontend data calls through the real binary: a project's backend (the `auth-mode-refused-bad` fixture's
//! `amplify/` folder, labelled by Amplify in its `ACCESS.json`) and frontend files in `.ts` and `.tsx`, with no
//! `node_modules` (before `npm install`): diagnostics are published for the frontend file, completion offers the
//! schema's models, operations, fields and auth modes, and hover says who may call an operation.

use std::path::Path;

use amplify_lsp_tests::{cursor, position_of, repo_root, Client};
use serde_json::json;

/// The backend files of a data fixture, as (path relative to the project, text).
fn backend(case: &str) -> Vec<(String, String)> {
    let root = repo_root().join("tests/fixtures/frontend/data").join(case);
    let mut out = Vec::new();
    let mut stack = vec![root.join("amplify")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("fixture dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(&root)
                    .unwrap_or(Path::new(""))
                    .to_string_lossy();
                out.push((
                    rel.replace('\\', "/"),
                    std::fs::read_to_string(&p).expect("read"),
                ));
            }
        }
    }
    out
}

fn start() -> Client {
    let files = backend("auth-mode-refused-bad");
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    Client::start_with_files(&[], &refs, json!({}))
}

const TS: &str = "import { generateClient } from 'aws-amplify/data';\nimport type { Schema } from '../amplify/data/resource';\n\nconst client = generateClient<Schema>();\n\nexport const contacts = () => client.models.Contact.list();\nexport const todos = () => client.models.Todo.list();\nexport const posts = () => client.models.Posts.list();\n";

const TSX: &str = "import { generateClient } from 'aws-amplify/data';\nimport type { Schema } from '../amplify/data/resource';\n\nexport default function App() {\n  const client = generateClient<Schema>({ authMode: 'userPool' });\n  const load = () => client.models.Todo.list();\n  const mine = () => client.models.Contact.list();\n  return <button onClick={() => { load(); mine(); }}>Load</button>;\n}\n";

#[test]
fn diagnostics_are_published_for_ts_and_tsx_frontend_files() {
    let mut c = start();
    let uri = c.open("src/todos.ts", TS);
    let diags = c.diagnostics(&uri, Some(1));
    let got: Vec<(String, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["range"]["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    // Contact is owner-only: the API default (apiKey) is refused; Todo is apiKey: fine; Posts does not exist
    assert_eq!(
        got,
        vec![
            ("frontend/auth-mode-refused".to_string(), 5),
            ("frontend/unknown-model".to_string(), 7)
        ],
        "{diags:#?}"
    );
    assert_eq!(diags[0]["severity"], 1);
    let msg = diags[0]["message"].as_str().unwrap_or("");
    assert!(
        msg.contains("Contact.list") && msg.contains("`userPool`"),
        "{msg}"
    );

    let uri = c.open("src/App.tsx", TSX);
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(
        Client::codes(&diags),
        vec!["frontend/auth-mode-refused"],
        "{diags:#?}"
    );
    assert_eq!(diags[0]["range"]["start"]["line"], 5);

    // an edit that gives the call the right mode clears it
    let fixed = TSX.replace(
        "client.models.Todo.list()",
        "client.models.Todo.list({ authMode: 'apiKey' })",
    );
    c.change(&uri, 2, json!([{ "text": fixed }]));
    assert!(c.diagnostics(&uri, Some(2)).is_empty());
}

#[test]
fn completion_offers_models_operations_fields_and_modes_before_npm_install() {
    let mut c = start();
    let head = "import { generateClient } from 'aws-amplify/data';\nimport type { Schema } from '../amplify/data/resource';\nconst client = generateClient<Schema>();\n";
    let labels = c.labels_at("src/a.ts", &format!("{head}client.models.$0\n"));
    assert_eq!(labels, vec!["Todo", "Contact", "Post", "Report", "Event"]);
    let labels = c.labels_at(
        "src/b.tsx",
        &format!("{head}export const A = () => {{ client.models.Event.$0 }};\n"),
    );
    for want in ["list", "observeQuery", "onCreate", "listEventByDay"] {
        assert!(labels.contains(&want.to_string()), "{labels:?}");
    }
    let labels = c.labels_at(
        "src/c.ts",
        &format!("{head}client.models.Contact.create({{ name: 'x', $0 }});\n"),
    );
    assert!(
        labels.contains(&"email".to_string()) && !labels.contains(&"name".to_string()),
        "{labels:?}"
    );
    let labels = c.labels_at("src/d.ts", &format!("{head}client.queries.$0\n"));
    assert_eq!(labels, vec!["echo"]);
    let labels = c.labels_at(
        "src/e.tsx",
        &format!("{head}client.models.Todo.list({{ authMode: '$0' }});\n"),
    );
    assert_eq!(labels, vec!["apiKey", "userPool", "identityPool", "iam"]);
    // not a client: nothing from the schema
    let labels = c.labels_at(
        "src/f.ts",
        &format!("{head}const other = {{ models: {{}} }};\nother.models.$0\n"),
    );
    assert!(!labels.contains(&"Todo".to_string()), "{labels:?}");
}

#[test]
fn hover_says_who_may_call_an_operation() {
    let mut c = start();
    let uri = c.open("src/todos.ts", TS);
    let h = c.hover(&uri, position_of(TS, "Contact.list", 9));
    assert!(h.contains("Contact.list"), "{h}");
    assert!(
        h.contains("`userPool`: signed-in users, only for records they own"),
        "{h}"
    );
    assert!(h.contains("`apiKey`: refused"), "{h}");
    let (text, pos) = cursor("import { generateClient } from 'aws-amplify/data';\nconst client = generateClient();\nexport default function A() { client.models.Rep$0ort.list(); return <p />; }\n");
    let uri = c.open("src/r.tsx", &text);
    let h = c.hover(&uri, pos);
    assert!(
        h.contains("model `Report`") && h.contains("- `delete`: userPool"),
        "{h}"
    );
    // a secondary index query is a list
    let (text, pos) = cursor("import { generateClient } from 'aws-amplify/data';\nconst client = generateClient();\nclient.models.Event.listEvent$0ByDay({ day: 'Mon' });\n");
    let uri = c.open("src/e.ts", &text);
    let h = c.hover(&uri, pos);
    assert!(
        h.contains("Event.listEventByDay")
            && h.contains("`apiKey`: any caller holding the API key")
            && h.contains("`userPool`: refused"),
        "{h}"
    );
}

/// The offset of an LSP position in an ASCII text.
fn offset(text: &str, pos: &serde_json::Value) -> usize {
    let line = pos["line"].as_u64().expect("line") as usize;
    let ch = pos["character"].as_u64().expect("character") as usize;
    text.split_inclusive('\n')
        .take(line)
        .map(str::len)
        .sum::<usize>()
        + ch
}

#[test]
fn the_owner_switch_moves_the_frontend_calls_it_breaks_to_the_user_pool() {
    const AUTH: &str = "import { defineAuth } from '@aws-amplify/backend';\n\nexport const auth = defineAuth({\n  loginWith: {\n    email: true,\n  },\n});\n";
    const BACKEND: &str = "import { defineBackend } from '@aws-amplify/backend';\nimport { auth } from './auth/resource';\nimport { data } from './data/resource';\n\ndefineBackend({\n  auth,\n  data,\n});\n";
    const DATA: &str = "import { type ClientSchema, a, defineData } from '@aws-amplify/backend';\n\nconst schema = a.schema({\n  Todo: a\n    .model({\n      content: a.string(),\n    })\n    .authorization((allow) => [allow.publicApiKey()]),\n});\n\nexport type Schema = ClientSchema<typeof schema>;\n\nexport const data = defineData({\n  schema,\n  authorizationModes: {\n    defaultAuthorizationMode: 'apiKey',\n    apiKeyAuthorizationMode: {\n      expiresInDays: 30,\n    },\n  },\n});\n";
    const FRONT: &str = "import { generateClient } from 'aws-amplify/data';\nimport type { Schema } from '../amplify/data/resource';\n\nconst client = generateClient<Schema>();\nconst visitors = generateClient<Schema>({ authMode: 'apiKey' });\n\nexport const a = () => client.models.Todo.list();\nexport const b = () => visitors.models.Todo.list();\nexport const c = () => client.models.Todo.create({ content: 'x' }, { authMode: 'apiKey' });\n";
    let mut c = Client::start_with_files(
        &[],
        &[
            ("amplify/backend.ts", BACKEND),
            ("amplify/auth/resource.ts", AUTH),
            ("amplify/data/resource.ts", DATA),
            ("src/todos.ts", FRONT),
        ],
        json!({}),
    );
    let uri = c.open("amplify/data/resource.ts", DATA);
    let _ = c.diagnostics(&uri, Some(1));
    let p = position_of(DATA, "[allow.publicApiKey()]", 9);
    let list = c
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": { "start": p, "end": p }, "context": { "diagnostics": [], "triggerKind": 1 } }),
        )
        .expect("codeAction");
    let action = list
        .as_array()
        .and_then(|l| {
            l.iter().find(|a| {
                a["title"].as_str().is_some_and(|t| {
                    t.starts_with("Switch to owner-based authorization (user pool)")
                })
            })
        })
        .cloned()
        .unwrap_or_else(|| panic!("no owner switch: {list:#}"));
    let action = if action.get("edit").is_some() {
        action
    } else {
        c.request("codeAction/resolve", action).expect("resolve")
    };
    let changes = action["edit"]["documentChanges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let front = changes
        .iter()
        .find(|d| {
            d["textDocument"]["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with("src/todos.ts"))
        })
        .unwrap_or_else(|| panic!("no edit of src/todos.ts: {action:#}"));
    let mut edits: Vec<(usize, usize, String)> = front["edits"]
        .as_array()
        .expect("edits")
        .iter()
        .map(|e| {
            (
                offset(FRONT, &e["range"]["start"]),
                offset(FRONT, &e["range"]["end"]),
                e["newText"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    edits.sort();
    let mut after = FRONT.to_string();
    for (a, b, t) in edits.iter().rev() {
        after.replace_range(*a..*b, t);
    }
    // the plain client follows the new default (the user pool); the API-key client (all its calls break)
    // and the call with its own API-key mode are moved
    assert_eq!(
        after,
        FRONT
            .replace(
                "generateClient<Schema>({ authMode: 'apiKey' })",
                "generateClient<Schema>({ authMode: 'userPool' })"
            )
            .replace(
                "{ content: 'x' }, { authMode: 'apiKey' }",
                "{ content: 'x' }, { authMode: 'userPool' }"
            )
    );
}
