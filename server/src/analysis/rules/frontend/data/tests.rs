use super::*;
use crate::model::file::FileModel;
use crate::model::frontend::{view_of, BackendView};
use crate::syntax::{parse, Lang};

pub(crate) const DATA: &str = r#"import { type ClientSchema, a, defineData } from '@aws-amplify/backend';
const schema = a.schema({
  Todo: a.model({ content: a.string(), done: a.boolean() }).authorization((allow) => [allow.publicApiKey()]),
  Note: a.model({ body: a.string() }).authorization((allow) => [allow.owner()]),
  Post: a.model({ title: a.string() }).authorization((allow) => [allow.guest().to(['read']), allow.authenticated()]),
  Odd: a.model({ name: a.string() }).authorization((allow) => [allow.owner(p)]),
  echo: a.query().arguments({ msg: a.string() }).returns(a.string()).authorization((allow) => [allow.authenticated()]).handler(a.handler.function(echo)),
  bump: a.mutation().returns(a.string()).authorization((allow) => [allow.publicApiKey()]).handler(a.handler.function(echo)),
});
export type Schema = ClientSchema<typeof schema>;
export const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'apiKey', apiKeyAuthorizationMode: { expiresInDays: 30 } } });
"#;

pub(crate) fn backend(data: &str) -> BackendView {
    let tree = parse(data, Lang::TypeScript, None).expect("parse");
    let mut v = view_of(&FileModel::build(&tree, data, Lang::TypeScript));
    v.auth = Some(crate::model::frontend::auth::AuthView {
        defined: true,
        ..Default::default()
    });
    v
}

fn with<T>(src: &str, lang: Lang, data: &str, f: impl FnOnce(&FrontendCx) -> T) -> T {
    let tree = parse(src, lang, None).expect("parse");
    let file = FileModel::build(&tree, src, lang);
    let backend = backend(data);
    let cx = FrontendCx {
        src,
        tree: &tree,
        file: &file,
        path: None,
        backend: &backend,
    };
    f(&cx)
}

/// (code, reported text) of each finding.
fn found(src: &str, lang: Lang) -> Vec<(&'static str, String)> {
    with(src, lang, DATA, |cx| {
        let mut out = Vec::new();
        check(cx, &mut out);
        out.iter()
            .map(|d| (d.code, src[d.span.start..d.span.end].to_string()))
            .collect()
    })
}

const HEAD: &str = "import { generateClient } from 'aws-amplify/data';\nimport type { Schema } from '../amplify/data/resource';\n";

#[test]
fn refused_mode_from_call_client_and_default() {
    let src = format!(
        "{HEAD}const client = generateClient<Schema>();\nconst pool = generateClient<Schema>({{ authMode: 'userPool' }});\n\
         export async function f() {{\n  await client.models.Todo.list({{ authMode: 'userPool' }});\n  await client.models.Todo.list();\n  await client.models.Note.create({{ body: 'x' }});\n  await pool.models.Todo.get({{ id: '1' }});\n  await pool.models.Note.list();\n  await client.models.Post.list({{ authMode: 'identityPool' }});\n  await client.models.Post.create({{ title: 'x' }}, {{ authMode: 'iam' }});\n  await client.queries.echo({{ msg: 'x' }});\n  await client.mutations.bump();\n}}\n"
    );
    let got = found(&src, Lang::TypeScript);
    assert_eq!(
        got,
        vec![
            (AUTH_MODE_REFUSED, "'userPool'".to_string()),
            (AUTH_MODE_REFUSED, "create".to_string()),
            (AUTH_MODE_REFUSED, "get".to_string()),
            (AUTH_MODE_REFUSED, "'iam'".to_string()),
            (AUTH_MODE_REFUSED, "echo".to_string()),
        ]
    );
}

#[test]
fn message_names_model_operation_mode_and_source() {
    let src =
        format!("{HEAD}const client = generateClient<Schema>();\nclient.models.Note.list();\n");
    with(&src, Lang::TypeScript, DATA, |cx| {
        let mut out = Vec::new();
        check(cx, &mut out);
        assert_eq!(out.len(), 1);
        let m = &out[0].message;
        assert!(
            m.contains("Note.list") && m.contains("`apiKey`") && m.contains("`userPool`"),
            "{m}"
        );
        assert!(m.contains("default mode"), "{m}");
    });
}

#[test]
fn silent_when_unsure() {
    let src = format!(
        "{HEAD}import {{ shared }} from './client';\nconst client = generateClient<Schema>();\nlet later = generateClient<Schema>();\n\
         export function f(mode: any, opts: any) {{\n  client.models.Todo.list({{ authMode: mode }});\n  client.models.Todo.list(opts);\n  client.models.Odd.list({{ authMode: 'apiKey' }});\n  shared.models.Note.list();\n  later.models.Note.list();\n  client.models.Todo.list({{ ...opts }});\n}}\n\
         function g(client: any) {{ client.models.Nope.list(); client.models.Note.list(); }}\n\
         function h() {{ const client = other(); client.models.Note.list(); }}\n"
    );
    assert_eq!(found(&src, Lang::TypeScript), vec![]);
}

#[test]
fn inner_client_wins_over_outer() {
    let src = format!(
        "{HEAD}const client = generateClient<Schema>();\nfunction C() {{\n  const client = generateClient<Schema>({{ authMode: 'userPool' }});\n  client.models.Note.list();\n  client.models.Todo.list();\n}}\nclient.models.Todo.list();\n"
    );
    assert_eq!(
        found(&src, Lang::Tsx),
        vec![(AUTH_MODE_REFUSED, "list".to_string())]
    );
}

#[test]
fn unknown_names_with_did_you_mean() {
    let src = format!(
        "{HEAD}import {{ generateClient as gc }} from 'aws-amplify/api';\nconst client = gc();\n\
         client.models.Todos.list({{ authMode: 'apiKey' }});\nclient.models.Todo.lst({{ authMode: 'apiKey' }});\nclient.queries.ecko({{ msg: 'x' }});\nclient.mutations.echo();\nclient.models.echo;\n"
    );
    let got = found(&src, Lang::TypeScript);
    assert_eq!(
        got,
        vec![
            (UNKNOWN_MODEL, "Todos".to_string()),
            (UNKNOWN_OPERATION, "lst".to_string()),
            (UNKNOWN_OPERATION, "ecko".to_string()),
            (UNKNOWN_OPERATION, "echo".to_string()),
            (UNKNOWN_MODEL, "echo".to_string()),
        ]
    );
    with(&src, Lang::TypeScript, DATA, |cx| {
        let mut out = Vec::new();
        check(cx, &mut out);
        assert!(
            out[0].message.contains("Did you mean `Todo`?"),
            "{}",
            out[0].message
        );
        assert!(
            out[1].message.contains("Did you mean `list`?"),
            "{}",
            out[1].message
        );
        assert!(
            out[2].message.contains("Did you mean `echo`?"),
            "{}",
            out[2].message
        );
        assert!(
            out[3].message.contains("client.queries.echo"),
            "{}",
            out[3].message
        );
    });
}

#[test]
fn unknown_fields_only_without_type_argument() {
    let src = format!(
        "{HEAD}const client = generateClient();\nconst typed = generateClient<Schema>();\n\
         client.models.Todo.create({{ content: 'a', titel: 'b', ...rest, [k]: 1, 'done': true }});\nclient.models.Todo.update({{ id: '1', contnt: 'x' }});\ntyped.models.Todo.create({{ nope: 1 }});\n"
    );
    let got = found(&src, Lang::TypeScript);
    assert_eq!(
        got,
        vec![
            (UNKNOWN_FIELD, "titel".to_string()),
            (UNKNOWN_FIELD, "contnt".to_string()),
        ]
    );
}

#[test]
fn namespace_import() {
    let src = "import * as api from 'aws-amplify/data';\nconst client = api.generateClient();\nclient.models.Note.list();\n";
    assert_eq!(
        found(src, Lang::TypeScript),
        vec![(AUTH_MODE_REFUSED, "list".to_string())]
    );
}

#[test]
fn truncations_do_not_panic() {
    let src = format!(
        "{HEAD}const client = generateClient<Schema>({{ authMode: 'userPool' }});\nexport default function App() {{\n  const x = client.models.Todo.create({{ content: 'a' }}, {{ authMode: 'apiKey' }});\n  return <div onClick={{() => client.models.Note.list()}}>{{String(x)}}</div>;\n}}\n"
    );
    for end in 0..src.len() {
        if !src.is_char_boundary(end) {
            continue;
        }
        let s = &src[..end];
        with(s, Lang::Tsx, DATA, |cx| {
            let mut out = Vec::new();
            check(cx, &mut out);
            let _ = complete(cx, end);
            let _ = hover(cx, end.saturating_sub(3));
            let _ = calls_failing_after_owner_switch(cx, &["Todo", "Note"]);
        });
    }
}

fn labels(items: Option<Vec<CompletionItem>>) -> Vec<String> {
    items
        .unwrap_or_default()
        .into_iter()
        .map(|i| i.label)
        .collect()
}

#[test]
fn completion_of_models_operations_fields_custom_and_modes() {
    let base = format!("{HEAD}const client = generateClient<Schema>();\n");
    let at = |tail: &str, lang: Lang| {
        let src = format!("{base}{tail}");
        let off = src.find('¦').expect("cursor");
        let src = src.replace('¦', "");
        with(&src, lang, DATA, |cx| labels(complete(cx, off)))
    };
    assert_eq!(
        at("client.models.¦", Lang::TypeScript),
        vec!["Todo", "Note", "Post", "Odd"]
    );
    assert_eq!(
        at("client.models.T¦\n", Lang::Tsx),
        vec!["Todo", "Note", "Post", "Odd"]
    );
    assert!(at("client.models.Todo.¦", Lang::TypeScript).contains(&"observeQuery".to_string()));
    assert_eq!(at("client.queries.¦", Lang::TypeScript), vec!["echo"]);
    assert_eq!(at("client.mutations.b¦", Lang::TypeScript), vec!["bump"]);
    assert_eq!(
        at(
            "client.models.Todo.create({ content: 'x', ¦ });",
            Lang::TypeScript
        ),
        vec!["id", "done"]
    );
    assert_eq!(
        at("client.models.Todo.list({ authMode: '¦' });", Lang::Tsx),
        vec!["apiKey", "userPool", "identityPool", "iam"]
    );
    assert!(at("other.models.¦", Lang::TypeScript).is_empty());
}

#[test]
fn hover_says_who_may_call() {
    let src = format!("{HEAD}const client = generateClient<Schema>();\nclient.models.Post.list();\nclient.models.Note.create({{}});\n");
    with(&src, Lang::TypeScript, DATA, |cx| {
        let off = src.find("list()").expect("list") + 1;
        let h = hover(cx, off).expect("hover").markdown;
        assert!(h.contains("`userPool`: any signed-in user"), "{h}");
        assert!(h.contains("guest identity"), "{h}");
        assert!(h.contains("`apiKey`: refused"), "{h}");
        let off = src.find("create(").expect("create") + 2;
        let h = hover(cx, off).expect("hover").markdown;
        assert!(h.contains("only for records they own"), "{h}");
        let off = src.find("Note").expect("Note") + 1;
        let h = hover(cx, off).expect("hover").markdown;
        assert!(h.contains("- `create`: userPool"), "{h}");
    });
}

fn apply(src: &str, mut edits: Vec<(Span, String)>) -> String {
    edits.sort_by_key(|(s, _)| std::cmp::Reverse(s.start));
    let mut s = src.to_string();
    for (sp, t) in edits {
        s.replace_range(sp.start..sp.end, &t);
    }
    s
}

#[test]
fn owner_switch_edits_on_named_models() {
    for lang in [Lang::TypeScript, Lang::Tsx] {
        let src = format!(
            "{HEAD}const client = generateClient<Schema>();\nconst pool = generateClient<Schema>({{ authMode: 'userPool' }});\n\
             client.models.Todo.list();\nclient.models.Todo.list({{ limit: 5 }});\nclient.models.Todo.create({{ content: 'x' }});\nclient.models.Todo.get({{ id: '1' }}, {{}});\n\
             client.models.Todo.delete({{ id: '1' }}, {{ authMode: \"apiKey\" }});\nclient.models.Todo.observeQuery({{ authMode: 'userPool' }});\npool.models.Todo.list();\nclient.models.Note.list();\nclient.models.Todo.list(opts);\n"
        );
        let edits = with(&src, lang, DATA, |cx| {
            calls_failing_after_owner_switch(cx, &["Todo"])
        });
        let after = apply(&src, edits);
        let want = format!(
            "{HEAD}const client = generateClient<Schema>();\nconst pool = generateClient<Schema>({{ authMode: 'userPool' }});\n\
             client.models.Todo.list({{ authMode: 'userPool' }});\nclient.models.Todo.list({{ authMode: 'userPool', limit: 5 }});\nclient.models.Todo.create({{ content: 'x' }}, {{ authMode: 'userPool' }});\nclient.models.Todo.get({{ id: '1' }}, {{ authMode: 'userPool' }});\n\
             client.models.Todo.delete({{ id: '1' }}, {{ authMode: \"userPool\" }});\nclient.models.Todo.observeQuery({{ authMode: 'userPool' }});\npool.models.Todo.list();\nclient.models.Note.list();\nclient.models.Todo.list(opts);\n"
        );
        assert_eq!(after, want);
    }
}

#[test]
fn owner_switch_edits_move_only_the_calls_the_switch_breaks() {
    let after_data = DATA.replace(
        "isDone: a.boolean() }).authorization((allow) => [allow.publicApiKey()])",
        "isDone: a.boolean() }).authorization((allow) => [allow.owner()])",
    );
    let after_data = after_data.replace(
        "done: a.boolean() }).authorization((allow) => [allow.publicApiKey()])",
        "done: a.boolean() }).authorization((allow) => [allow.owner()])",
    );
    assert_ne!(after_data, DATA);
    for lang in [Lang::TypeScript, Lang::Tsx] {
        let src = format!(
            "{HEAD}const client = generateClient<Schema>();\n\
             client.models.Todo.list();\nclient.models.Todo.create({{ content: 'x' }}, {{ authMode: 'apiKey' }});\nclient.models.Todo.list({{ authMode: 'userPool' }});\nclient.models.Note.list();\nclient.models.Post.list({{ authMode: 'identityPool' }});\n"
        );
        let tree = parse(&src, lang, None).expect("parse");
        let file = FileModel::build(&tree, &src, lang);
        let before = backend(DATA);
        let after = backend(&after_data);
        let cx = |b| FrontendCx {
            src: &src,
            tree: &tree,
            file: &file,
            path: None,
            backend: b,
        };
        let edits = owner_switch_edits(&cx(&before), &cx(&after));
        let want = format!(
            "{HEAD}const client = generateClient<Schema>();\n\
             client.models.Todo.list({{ authMode: 'userPool' }});\nclient.models.Todo.create({{ content: 'x' }}, {{ authMode: 'userPool' }});\nclient.models.Todo.list({{ authMode: 'userPool' }});\nclient.models.Note.list();\nclient.models.Post.list({{ authMode: 'identityPool' }});\n"
        );
        assert_eq!(apply(&src, edits), want);
    }
}

#[test]
fn custom_operation_options_position() {
    let src = format!(
        "{HEAD}const client = generateClient<Schema>();\n\
         client.mutations.bump({{ authMode: 'userPool' }});\nclient.mutations.bump({{}}, {{ authMode: 'identityPool' }});\nclient.queries.echo({{ msg: 'x', authMode: 'apiKey' }});\nclient.queries.echo({{ msg: 'x' }}, {{ authMode: 'userPool' }});\nclient.mutations.bump({{ authMode: 'apiKey' }});\n"
    );
    // a lone argument with `authMode` is options or arguments depending on the client's version: not judged
    assert_eq!(
        found(&src, Lang::TypeScript),
        vec![(AUTH_MODE_REFUSED, "'identityPool'".to_string())]
    );
}

#[test]
fn index_queries_are_lists() {
    let data = DATA.replace(
        "Note: a.model({ body: a.string() })",
        "Note: a.model({ body: a.string() }).secondaryIndexes((index) => [index('body')])",
    );
    let src = format!(
        "{HEAD}const client = generateClient<Schema>();\n\
         client.models.Note.listNoteByBody({{ body: 'x' }});\nclient.models.Note.listNoteByBody({{ body: 'x' }}, {{ authMode: 'userPool' }});\nclient.models.Note.byWhatever();\n"
    );
    let got = with(&src, Lang::TypeScript, &data, |cx| {
        let mut out = Vec::new();
        check(cx, &mut out);
        out.iter()
            .map(|d| (d.code, src[d.span.start..d.span.end].to_string()))
            .collect::<Vec<_>>()
    });
    // the default (apiKey) is refused; a name that may be a custom queryField is not reported
    assert_eq!(got, vec![(AUTH_MODE_REFUSED, "listNoteByBody".to_string())]);
}

/// Every frontend file of the data fixtures, cut at many places, with each fixture's own backend: no panic.
#[test]
fn fixture_truncations_do_not_panic() {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/frontend/data");
    let Ok(cases) = std::fs::read_dir(&root) else {
        panic!("no fixtures at {}", root.display());
    };
    let mut files = 0;
    for case in cases.flatten() {
        let data = std::fs::read_to_string(case.path().join("amplify/data/resource.ts"))
            .unwrap_or_default();
        let Ok(srcs) = std::fs::read_dir(case.path().join("src")) else {
            continue;
        };
        for f in srcs.flatten() {
            let p = f.path();
            let lang = match p.extension().and_then(|e| e.to_str()) {
                Some("ts") => Lang::TypeScript,
                Some("tsx" | "jsx") => Lang::Tsx,
                _ => continue,
            };
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            files += 1;
            for end in (0..=text.len()).step_by(5) {
                if !text.is_char_boundary(end) {
                    continue;
                }
                let s = &text[..end];
                with(s, lang, &data, |cx| {
                    let mut out = Vec::new();
                    check(cx, &mut out);
                    let _ = complete(cx, end);
                    let _ = hover(cx, end / 2);
                    let _ = calls_failing_after_owner_switch(cx, &["Todo"]);
                });
            }
        }
    }
    assert!(files >= 10, "only {files} frontend files");
}

#[test]
fn next_js_cookies_client() {
    let src = "import { cookies } from 'next/headers';\nimport { generateServerClientUsingCookies } from '@aws-amplify/adapter-nextjs/data';\nimport outputs from '../amplify_outputs.json';\nconst cookiesClient = generateServerClientUsingCookies({ config: outputs, cookies, authMode: 'userPool' });\nexport default async function Page() {\n  const { data } = await cookiesClient.models.Todo.list();\n  return data.length;\n}\n";
    assert_eq!(
        found(src, Lang::Tsx),
        vec![(AUTH_MODE_REFUSED, "list".to_string())]
    );
}

#[test]
fn owner_switch_changes_the_client_literal_when_all_its_calls_follow() {
    let after_data = DATA.replace(
        "done: a.boolean() }).authorization((allow) => [allow.publicApiKey()])",
        "done: a.boolean() }).authorization((allow) => [allow.owner()])",
    );
    assert_ne!(after_data, DATA);
    let run = |src: &str| {
        let tree = parse(src, Lang::Tsx, None).expect("parse");
        let file = FileModel::build(&tree, src, Lang::Tsx);
        let before = backend(DATA);
        let after = backend(&after_data);
        let cx = |b| FrontendCx {
            src,
            tree: &tree,
            file: &file,
            path: None,
            backend: b,
        };
        apply(src, owner_switch_edits(&cx(&before), &cx(&after)))
    };
    // every call of the API-key client is on Todo: the client moves
    let src = format!(
        "{HEAD}const client = generateClient<Schema>({{ authMode: 'apiKey' }});\nclient.models.Todo.list();\nclient.models.Todo.create({{ content: 'x' }});\n"
    );
    assert_eq!(
        run(&src),
        src.replacen("authMode: 'apiKey'", "authMode: 'userPool'", 1)
    );
    // the client also calls a mutation that stays API-key only: each Todo call moves instead
    let src = format!(
        "{HEAD}const client = generateClient<Schema>({{ authMode: 'apiKey' }});\nclient.models.Todo.list();\nclient.mutations.bump();\n"
    );
    assert_eq!(
        run(&src),
        src.replace(
            "client.models.Todo.list()",
            "client.models.Todo.list({ authMode: 'userPool' })"
        )
    );
}

#[test]
fn implied_default_follows_define_auth() {
    let data = "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({ Pub: a.model({ t: a.string() }).authorization((allow) => [allow.guest()]) });\nexport const data = defineData({ schema });\n";
    let src =
        format!("{HEAD}const client = generateClient<Schema>();\nclient.models.Pub.list();\n");
    let tree = parse(&src, Lang::TypeScript, None).expect("parse");
    let file = FileModel::build(&tree, &src, Lang::TypeScript);
    let run = |backend: &BackendView| {
        let cx = FrontendCx {
            src: &src,
            tree: &tree,
            file: &file,
            path: None,
            backend,
        };
        let mut out = Vec::new();
        check(&cx, &mut out);
        out.iter().map(|d| d.code).collect::<Vec<_>>()
    };
    // defineAuth and no authorizationModes: the user pool is the default, and guests only may list
    assert_eq!(run(&backend(data)), vec![AUTH_MODE_REFUSED]);
    // auth not known (only customized in code, or not read): the rules imply nothing, so no finding
    let mut unknown = backend(data);
    unknown.auth = Some(Default::default());
    assert!(run(&unknown).is_empty());
    unknown.auth = None;
    assert!(run(&unknown).is_empty());
}

#[test]
fn ai_routes_are_not_judged_as_custom_operations() {
    let data = DATA.replace(
        "  bump: a",
        "  summarize: a.generation({ aiModel: a.ai.model('Claude 3.5 Haiku'), systemPrompt: 'Summarize.' }).arguments({ text: a.string() }).returns(a.string()).authorization((allow) => allow.authenticated()),\n  bump: a",
    );
    assert_ne!(data, DATA);
    let src = format!("{HEAD}const client = generateClient<Schema>();\nclient.queries.summarize({{ text: 'x' }});\nclient.queries.summarise({{ text: 'x' }});\n");
    let got = with(&src, Lang::TypeScript, &data, |cx| {
        let mut out = Vec::new();
        check(cx, &mut out);
        out.iter()
            .map(|d| src[d.span.start..d.span.end].to_string())
            .collect::<Vec<_>>()
    });
    assert_eq!(got, vec!["summarise"]);
}
