//! The guard against tree-sitter's error recovery in large files (`server/src/syntax/guard.rs`), through the
//! real binary: while a model typed into a large schema is unbalanced, the rest of the schema stays checked
//! (its findings do not vanish and come back), the unclosed bracket is the syntax error shown, the tree the
//! server keeps is exactly a fresh parse of the text it analyses, and once the model is whole the diagnostics
//! equal those of a fresh open of the same text.

use amplify_lsp_tests::{position_of, utf16_position, Client};
use serde_json::{json, Value};

const DATA: &str = "amplify/data/resource.ts";

/// A schema over the guard's 64 KB threshold; `Model10` refers to a type that does not exist.
fn schema(n: usize) -> String {
    let mut s = String::from(
        "import { a, defineData, type ClientSchema } from '@aws-amplify/backend';\n\nconst schema = a.schema({\n",
    );
    for i in 0..n {
        let extra = if i == 10 {
            "      kind: a.ref('Missing'),\n"
        } else {
            ""
        };
        s.push_str(&format!(
            "  Model{i}: a\n    .model({{\n      name: a.string(),\n      count: a.integer(),\n{extra}    }})\n    .authorization((allow) => [allow.owner()]),\n"
        ));
    }
    s.push_str(
        "});\n\nexport type Schema = ClientSchema<typeof schema>;\nexport const data = defineData({ schema });\n",
    );
    s
}

const TYPED: &str = "  Bookmark: a\n    .model({\n      url: a.url().required(),\n      rating: a.integer().validate((v) => v.gte(0).lte(5)),\n    })\n    .authorization((allow) => [allow.owner()]),\n";

fn debug(c: &mut Client, uri: &str) -> Value {
    c.request("amplify/debugDocument", json!({ "uri": uri }))
        .expect("debugDocument")
}

/// (line, character, code, message) of each diagnostic, sorted.
fn summary(diags: &[Value]) -> Vec<(i64, i64, String, String)> {
    let mut out: Vec<_> = diags
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_i64().unwrap_or(-1),
                d["range"]["start"]["character"].as_i64().unwrap_or(-1),
                d["code"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_model_half_typed_into_a_large_schema_leaves_the_rest_checked() {
    let text = schema(600);
    assert!(text.len() > 64 * 1024);
    let mut c = Client::start_with(json!({ "initializationOptions": { "syntaxErrors": true } }));
    let uri = c.open(DATA, &text);
    let first = c.diagnostics(&uri, Some(1));
    let unknown_ref = |d: &[Value]| d.iter().filter(|d| d["code"] == "data/unknown-ref").count();
    assert_eq!(unknown_ref(&first), 1, "{first:#?}");

    let at = text.find("  Model300:").expect("model");
    let mut current = text.clone();
    let mut version = 1;
    let mut guarded = 0;
    let mut typed = 0;
    let mut last = Vec::new();
    let chars: Vec<char> = TYPED.chars().collect();
    // three characters per change, so that the test stays short in a debug build
    for chunk in chars.chunks(3) {
        let piece: String = chunk.iter().collect();
        let p = utf16_position(&current, at + typed);
        version += 1;
        c.change(
            &uri,
            version,
            json!([{ "range": { "start": p, "end": p }, "text": piece }]),
        );
        current.insert_str(at + typed, &piece);
        typed += piece.len();
        let diags = c.diagnostics(&uri, Some(version));
        last = diags.clone();
        // the rest of the schema is checked all along
        assert_eq!(
            unknown_ref(&diags),
            1,
            "after {:?}: {diags:#?}",
            &TYPED[..typed]
        );
        let info = debug(&mut c, &uri);
        assert_eq!(info["text"], json!(current));
        // the tree kept is exactly a fresh parse of what is analysed
        assert_eq!(info["treeMatchesFreshParse"], json!(true), "{info}");
        assert_eq!(info["parses"]["abandoned"], json!(0));
        if let Some(region) = info["guardedRegion"].as_array() {
            guarded += 1;
            let (a, b) = (
                region[0].as_u64().unwrap_or(0) as usize,
                region[1].as_u64().unwrap_or(0) as usize,
            );
            assert!(a <= at + typed && b >= at + typed - piece.len(), "{a}..{b}");
            // the syntax error shown is the bracket left open, inside the region
            let errors: Vec<&Value> = diags
                .iter()
                .filter(|d| d["code"] == "syntax/error")
                .collect();
            assert!(!errors.is_empty(), "{diags:#?}");
            if let Some(open) = errors.iter().find(|d| {
                d["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("is not closed")
            }) {
                let line = open["range"]["start"]["line"].as_u64().unwrap_or(0) as usize;
                let region_lines = (
                    current[..a].matches('\n').count(),
                    current[..b].matches('\n').count(),
                );
                assert!((region_lines.0..=region_lines.1).contains(&line), "{open}");
            }
        }
    }
    assert!(
        guarded > 20,
        "the half-typed model was guarded {guarded} times"
    );
    let info = debug(&mut c, &uri);
    assert_eq!(info["guardedRegion"], Value::Null);
    assert!(!Client::codes(&last).contains(&"syntax/error".to_string()));

    // incremental equals fresh: reopening the final text gives the same findings
    c.close(&uri);
    let _ = c.diagnostics(&uri, None);
    c.open_uri(&uri, &current, 1);
    let fresh = c.diagnostics(&uri, Some(1));
    assert_eq!(summary(&last), summary(&fresh));
    assert_eq!(unknown_ref(&fresh), 1);

    // completion inside a half-typed model still reads the rest of the schema
    let p = position_of(&current, "  Model301:", 0);
    version += 1;
    c.change(
        &uri,
        version,
        json!([{ "range": { "start": p, "end": p }, "text": "  Draft: a.model({ other: a.belongsTo('" }]),
    );
    let _ = c.diagnostics(&uri, Some(version));
    assert!(debug(&mut c, &uri)["guardedRegion"].is_array());
    let line = p["line"].as_u64().unwrap_or(0);
    let col = "  Draft: a.model({ other: a.belongsTo('".len();
    let items = c.completion(&uri, json!({ "line": line, "character": col }));
    let labels = Client::labels(&items);
    assert!(labels.iter().any(|l| l == "Model599"), "{labels:?}");
    c.shutdown();
}
