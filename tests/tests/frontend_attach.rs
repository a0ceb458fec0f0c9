//! Which documents the server reads as frontend code, through the real binary (`amplify/debugDocument`): code
//! outside `amplify/` and `node_modules` that names an `aws-amplify` package, in TypeScript or JavaScript, and
//! nothing else. Frontend documents get diagnostics, completion and hover answers without errors; what the
//! frontend rules find is tested per area (`frontend_data.rs`, `frontend_storage.rs`, `frontend_fixtures.rs`).

use amplify_lsp_tests::{position_of, Client};
use serde_json::{json, Value};

const BACKEND: &str = "import { defineBackend } from '@aws-amplify/backend';\nimport { data } from './data/resource';\n\ndefineBackend({ data });\n";
const DATA: &str = "import { a, defineData, type ClientSchema } from '@aws-amplify/backend';\n\nconst schema = a.schema({\n  Todo: a.model({ content: a.string() }).authorization((allow) => [allow.publicApiKey()]),\n});\n\nexport type Schema = ClientSchema<typeof schema>;\nexport const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'apiKey', apiKeyAuthorizationMode: { expiresInDays: 30 } } });\n";
const APP: &str = "import { generateClient } from 'aws-amplify/data';\nimport type { Schema } from '../amplify/data/resource';\n\nconst client = generateClient<Schema>();\n\nexport async function todos() {\n  return client.models.Todo.list();\n}\n";

fn debug(c: &mut Client, uri: &str) -> Value {
    c.request("amplify/debugDocument", json!({ "uri": uri }))
        .expect("debugDocument")
}

#[test]
fn frontend_code_is_told_from_backend_code_and_from_everything_else() {
    let mut c = Client::start_with_files(
        &[],
        &[
            ("amplify/backend.ts", BACKEND),
            ("amplify/data/resource.ts", DATA),
        ],
        json!({}),
    );
    let jsx = APP.replace(
        "import type { Schema } from '../amplify/data/resource';\n",
        "",
    );
    let cases: [(&str, &str, bool, bool); 7] = [
        ("src/App.tsx", APP, true, false),
        ("src/api.ts", APP, true, false),
        ("src/legacy.jsx", &jsx, true, false),
        // no `aws-amplify` package named
        ("src/util.ts", "export const two = 1 + 1;\n", false, false),
        // inside amplify/: a backend file (TypeScript) or nothing (JavaScript)
        ("amplify/data/resource.ts", DATA, false, true),
        ("amplify/scripts/seed.js", &jsx, false, false),
        ("node_modules/lib/index.js", &jsx, false, false),
    ];
    for (rel, text, frontend, backend) in cases {
        let uri = c.open(rel, text);
        let d = debug(&mut c, &uri);
        assert_eq!(d["frontend"], json!(frontend), "{rel}: {d:#}");
        assert_eq!(d["amplify"], json!(backend), "{rel}: {d:#}");
    }
}

#[test]
fn a_frontend_file_gets_diagnostics_completion_and_hover_answers() {
    let mut c = Client::start_with_files(
        &[],
        &[
            ("amplify/backend.ts", BACKEND),
            ("amplify/data/resource.ts", DATA),
        ],
        json!({}),
    );
    // the same calls in TypeScript with JSX, and in plain JavaScript (no type import, no type argument)
    let js = APP
        .replace(
            "import type { Schema } from '../amplify/data/resource';\n",
            "",
        )
        .replace("generateClient<Schema>()", "generateClient()");
    for (rel, text) in [("src/App.tsx", APP.to_string()), ("src/app.js", js)] {
        let uri = c.open(rel, &text);
        // analysed, and clean: the API key (the default mode) may list `Todo`
        let found = c.diagnostics(&uri, Some(1));
        assert!(found.is_empty(), "{rel}: {found:#?}");
        let models = position_of(&text, "models.Todo", "models.".len());
        let completion = c
            .request(
                "textDocument/completion",
                json!({ "textDocument": { "uri": uri }, "position": models }),
            )
            .expect("completion answers");
        let labels: Vec<&str> = completion["items"]
            .as_array()
            .or_else(|| completion.as_array())
            .into_iter()
            .flatten()
            .filter_map(|i| i["label"].as_str())
            .collect();
        assert!(labels.contains(&"Todo"), "{rel}: {labels:?}");
        let list = position_of(&text, "Todo.list", "Todo.".len());
        let hover = c
            .request(
                "textDocument/hover",
                json!({ "textDocument": { "uri": uri }, "position": list }),
            )
            .expect("hover answers");
        let shown = hover["contents"]["value"].as_str().unwrap_or("");
        assert!(shown.contains("apiKey"), "{rel}: {hover:#}");
    }
}

/// What frontend files read of an open backend file is built only while one of them is open: a frontend file
/// opened after the backend file was edited (in the editor, not on disk) is judged against the edited text.
#[test]
fn a_frontend_file_opened_after_a_backend_edit_sees_the_edit() {
    let mut c = Client::start_with_files(
        &[],
        &[
            ("amplify/backend.ts", BACKEND),
            ("amplify/data/resource.ts", DATA),
        ],
        json!({}),
    );
    let data = c.open("amplify/data/resource.ts", DATA);
    let _ = c.diagnostics(&data, Some(1));
    // the model is renamed in the editor only: `Todo` no longer exists
    c.change(
        &data,
        2,
        json!([{ "text": DATA.replace("Todo:", "Task:") }]),
    );
    let _ = c.diagnostics(&data, Some(2));
    let app = c.open("src/App.tsx", APP);
    let found = c.diagnostics(&app, Some(1));
    assert!(
        found.iter().any(|d| d["code"] == "frontend/unknown-model"),
        "the frontend file was judged against the backend before the edit: {found:#?}"
    );
    // and back: the edit undone in the editor republishes the frontend file without the finding
    c.change(&data, 3, json!([{ "text": DATA }]));
    let again = c.diagnostics(&app, None);
    let again = if again.iter().any(|d| d["code"] == "frontend/unknown-model") {
        c.diagnostics(&app, None)
    } else {
        again
    };
    assert!(
        !again.iter().any(|d| d["code"] == "frontend/unknown-model"),
        "{again:#?}"
    );
}
