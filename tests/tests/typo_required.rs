//! A misspelt required key (issue 14, item 4): one error on the typo, with its did-you-mean and the quick fix
//! that renames it, and no "missing" error on the call.

use amplify_lsp_tests::*;

#[test]
fn a_typo_of_a_required_key_is_the_one_error() {
    let mut c = Client::start();
    let text = "import { defineAuth } from '@aws-amplify/backend';\n\nexport const auth = defineAuth({\n  loginwith: {\n    email: true,\n  },\n});\n";
    let uri = c.open("amplify/auth/resource.ts", text);
    let diags = c.diagnostics(&uri, None);
    let ours: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("shape/")))
        .collect();
    assert_eq!(ours.len(), 1, "{diags:?}");
    let d = ours[0];
    assert_eq!(d["code"], "shape/unknown-property");
    assert_eq!(d["severity"], 1, "an error: {d}");
    assert!(
        d["message"]
            .as_str()
            .unwrap_or("")
            .contains("Did you mean `loginWith`?"),
        "{d}"
    );
    assert_eq!(d["range"]["start"], position_of(text, "loginwith", 0));
    assert!(
        !diags.iter().any(|d| d["code"] == "shape/missing-required"),
        "{diags:?}"
    );
    // the rename still comes with it
    let actions = c.code_actions(&uri, d["range"].clone(), Value::Array(vec![d.clone()]));
    assert!(
        actions
            .iter()
            .any(|a| a["title"].as_str().unwrap_or("").contains("loginWith")),
        "{actions:?}"
    );
}
