//! The server under load, through the real binary (issue 13, parts 8 and 9): a generated schema of 5,000 models
//! (about 60,000 lines, 2.3 MB) keeps it busy, and the tests check what must still happen meanwhile.
//!
//! - A cancelled request is answered `RequestCancelled` (-32800), including a long one already running, and at
//!   once; a request that was not cancelled is never answered so.
//! - `shutdown` is answered, and after `exit` the process ends, whatever is running.
//! - The input is read while the server works.
//! - Project-wide requests sent while the workspace is being indexed answer what they answer once it is.
//!
//! Nothing here asserts a wall-clock time on its own: a debug build on a loaded machine may take seconds to
//! analyse the schema. Every bound is a fraction of work measured in the same test (the same analysis or
//! request, uncancelled), and the absolute timeouts are hang guards only. The figures are printed with
//! `eprintln!` (see them with `--nocapture`), prefixed `load:`.

#[path = "../fixtures/bench/gen.rs"]
mod gen;

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use amplify_lsp_tests::*;

/// The number of models of the generated schema.
const MODELS: usize = 5000;

/// JSON-RPC's RequestCancelled.
const REQUEST_CANCELLED: i64 = -32800;

/// The `mid` benchmark project with its data file replaced by a schema of [`MODELS`] models: (files, schema).
fn large_project() -> (Vec<(String, String)>, String) {
    let schema = gen::large_schema(MODELS);
    let mut files = gen::project_files(gen::Size::Mid).expect("read the mid benchmark project");
    let data = files
        .iter_mut()
        .find(|(p, _)| p == gen::DATA_FILE)
        .expect("the mid project has a data file");
    data.1 = schema.clone();
    (files, schema)
}

/// Held by each test for its whole run: the tests of this file measure ratios of times, and one test's server
/// must not share the machine's cores with another test's (the test harness runs tests in parallel).
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts a session on `files` (written before the server starts, as in a real project).
fn start(files: &[(String, String)]) -> Client {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    Client::start_with_files(&[], &refs, json!({}))
}

/// Starts a session on the large project and waits until its workspace is indexed, so that indexing (which
/// reads the same schema from disk) cannot mix with what a test measures.
fn start_large() -> (Client, String) {
    let (files, schema) = large_project();
    let mut c = start(&files);
    c.wait_log("indexed");
    (c, schema)
}

/// The zero-based line of every model (`    Name: a`) of a generated schema.
fn model_lines(schema: &str) -> Vec<u64> {
    schema
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            l.strip_prefix("    ")
                .and_then(|l| l.strip_suffix(": a"))
                .is_some_and(|name| {
                    name.starts_with(|c: char| c.is_ascii_uppercase())
                        && name.chars().all(|c| c.is_ascii_alphanumeric())
                })
        })
        .map(|(i, _)| i as u64)
        .collect()
}

/// On a model's name (`    Name: a` has the name from column 4).
fn on_model(line: u64) -> Value {
    json!({ "line": line, "character": 6 })
}

/// On `string` in the model's first field (`        displayTitle: a.string()...`, two lines below its name):
/// hover documents it, completion lists the field types.
fn on_field_type(model_line: u64) -> Value {
    json!({ "line": model_line + 2, "character": 24 })
}

fn doc(uri: &str) -> Value {
    json!({ "textDocument": { "uri": uri } })
}

fn at(uri: &str, pos: Value) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": pos })
}

fn references_params(uri: &str, pos: Value) -> Value {
    let mut p = at(uri, pos);
    p["context"] = json!({ "includeDeclaration": true });
    p
}

fn was_cancelled(answer: &Result<Value, Value>) -> bool {
    matches!(answer, Err(e) if e["code"] == REQUEST_CANCELLED)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// Opens the schema and waits for its first diagnostics; returns the time that took.
fn open_and_analyse(c: &mut Client, schema: &str) -> (String, Duration) {
    let started = Instant::now();
    let uri = c.open(gen::DATA_FILE, schema);
    c.diagnostics(&uri, Some(1));
    (uri, started.elapsed())
}

/// The (uri, start line, start character) of every location of an answer, sorted.
fn locations(answer: &Value) -> Vec<(String, u64, u64)> {
    let mut out: Vec<(String, u64, u64)> = answer
        .as_array()
        .map(|a| {
            a.iter()
                .map(|l| {
                    let l = if l["location"].is_object() {
                        &l["location"]
                    } else {
                        l
                    };
                    let start = &l["range"]["start"];
                    (
                        l["uri"].as_str().unwrap_or("").to_string(),
                        start["line"].as_u64().unwrap_or(u64::MAX),
                        start["character"].as_u64().unwrap_or(u64::MAX),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

// ---------------------------------------------------------------------------------------------
// Part 8: cancellation
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    DocumentSymbol,
    CodeLens,
    References,
    Hover,
    Completion,
}

/// The kind of the `k`th pair of the storm: the first three pairs are long requests, so that a queue builds up;
/// then one pair in five is long (references, code lenses, twice the document's symbols), the rest hovers and
/// completions.
fn storm_kind(k: usize) -> Kind {
    match k % 50 {
        0 => Kind::DocumentSymbol,
        _ => match k % 10 {
            1 => Kind::References,
            2 => Kind::CodeLens,
            3 | 5 | 7 | 9 => Kind::Hover,
            _ => Kind::Completion,
        },
    }
}

/// 200 requests sent without waiting on the 5,000-model schema, each odd one cancelled right after it is sent
/// (a client cancels what the user moved away from). Every request gets exactly one answer; the cancelled ones
/// with work to stop (22: references, code lenses, symbols) are answered RequestCancelled (at least four in five:
/// one may finish before its cancellation is read), while a hover, answered on the spot from the analysed
/// document, and a completion of a builder's methods, answered on the spot from the text, may come with their
/// result; the requests not cancelled never are; and the server then answers a hover
/// as before.
#[test]
fn a_cancel_storm_is_honoured() {
    let _serial = one_at_a_time();
    let (mut c, schema) = start_large();
    let models = model_lines(&schema);
    assert_eq!(models.len(), MODELS);
    let (uri, analysis) = open_and_analyse(&mut c, &schema);
    let probe = on_field_type(models[MODELS / 2]);
    let hover_before = c
        .request("textDocument/hover", at(&uri, probe.clone()))
        .expect("hover before the storm");
    assert!(
        hover_before["contents"]["value"]
            .as_str()
            .is_some_and(|s| !s.is_empty()),
        "the probe hover says something: {hover_before}"
    );

    let started = Instant::now();
    let mut sent: Vec<(i64, Kind, bool)> = Vec::new();
    for k in 0..100 {
        let kind = storm_kind(k);
        let model = models[(k * 53) % models.len()];
        for cancel in [false, true] {
            let (method, params) = match kind {
                Kind::DocumentSymbol => ("textDocument/documentSymbol", doc(&uri)),
                Kind::CodeLens => ("textDocument/codeLens", doc(&uri)),
                Kind::References => (
                    "textDocument/references",
                    references_params(&uri, on_model(model)),
                ),
                Kind::Hover => ("textDocument/hover", at(&uri, on_field_type(model))),
                Kind::Completion => ("textDocument/completion", at(&uri, on_field_type(model))),
            };
            let id = c.send_request(method, params);
            if cancel {
                c.notify("$/cancelRequest", json!({ "id": id }));
            }
            sent.push((id, kind, cancel));
        }
    }
    let sent_in = started.elapsed();

    // 22 of the cancelled requests have work to stop (the others are hovers and completions); at most one in
    // five of them may be answered with a result.
    let with_work = sent
        .iter()
        .filter(|(_, k, cancel)| *cancel && !matches!(k, Kind::Hover | Kind::Completion))
        .count();
    assert_eq!(with_work, 22);
    let too_many = |not_honoured: usize| not_honoured * 5 > with_work;

    // Answers are collected in order; once too many cancelled requests were answered with a result, the test
    // cannot pass: it stops there rather than wait for the whole backlog to be computed.
    let mut honoured = 0;
    let mut not_honoured: Vec<(i64, Kind)> = Vec::new();
    let mut kept_cancelled: Vec<(i64, Kind)> = Vec::new();
    let mut kept_answered = 0;
    let mut cheap_answered = 0;
    for &(id, kind, cancel) in &sent {
        let answer = c.response(id);
        if let Err(e) = &answer {
            assert_eq!(
                e["code"], REQUEST_CANCELLED,
                "request {id} ({kind:?}) failed: {e}"
            );
        }
        match (cancel, was_cancelled(&answer)) {
            (true, true) => honoured += 1,
            // a hover on an analysed document, and a completion that reads only the text and the catalog (the
            // members after `a.`), are answered on the spot, before their cancellation is read: there is no work
            // to stop
            (true, false) if matches!(kind, Kind::Hover | Kind::Completion) => cheap_answered += 1,
            (true, false) => not_honoured.push((id, kind)),
            (false, true) => kept_cancelled.push((id, kind)),
            (false, false) => kept_answered += 1,
        }
        if too_many(not_honoured.len()) {
            eprintln!(
                "load: cancel storm: {} cancelled requests answered with a result, {honoured} cancelled \
                 (stopped after {} answers in {})",
                not_honoured.len(),
                honoured + not_honoured.len() + kept_cancelled.len() + kept_answered,
                ms(started.elapsed())
            );
            panic!(
                "more than one in five of the {with_work} cancelled requests with work to stop were answered \
                 with a result instead of RequestCancelled (only {honoured} cancellations honoured so far); \
                 not honoured: {not_honoured:?}"
            );
        }
    }
    let drained = started.elapsed();
    eprintln!(
        "load: cancel storm: {honoured} of 100 cancellations honoured ({} of the {with_work} with work to stop; \
         {cheap_answered} hovers and completions answered before their cancellation was read), {kept_answered} of 100 others \
         answered, {} of them cancelled; 200 requests sent in {}, all answered in {} (analysis of the schema \
         alone: {})",
        with_work - not_honoured.len(),
        kept_cancelled.len(),
        ms(sent_in),
        ms(drained),
        ms(analysis)
    );
    assert!(
        kept_cancelled.is_empty(),
        "requests that were not cancelled were answered RequestCancelled: {kept_cancelled:?}"
    );
    assert!(
        !too_many(not_honoured.len()),
        "only {} of the {with_work} cancelled requests with work to stop were cancelled; not honoured: \
         {not_honoured:?}",
        with_work - not_honoured.len()
    );
    assert_eq!(honoured + cheap_answered + not_honoured.len(), 100);

    // The server still serves, and answers as before.
    let hover_after = c
        .request("textDocument/hover", at(&uri, probe))
        .expect("hover after the storm");
    assert_eq!(hover_after, hover_before);
    // exactly one answer each (none came twice, e.g. a result after a RequestCancelled)
    for &(id, kind, _) in &sent {
        let answers = c
            .transcript
            .iter()
            .filter(|m| m.get("method").is_none() && m["id"] == json!(id))
            .count();
        assert_eq!(answers, 1, "request {id} ({kind:?}) has {answers} answers");
    }
}

/// References of a model name (it builds the whole project's index: the slowest request with a small answer)
/// are timed uncancelled, five times; then sent five times and cancelled right away. Each cancelled one is
/// answered RequestCancelled, and (median) in at most a third of the time the request takes.
#[test]
fn cancelling_a_running_request_answers_at_once() {
    let _serial = one_at_a_time();
    let (mut c, schema) = start_large();
    let models = model_lines(&schema);
    let (uri, analysis) = open_and_analyse(&mut c, &schema);
    let params = references_params(&uri, on_model(models[MODELS / 2 + 5]));

    let mut full = Vec::new();
    let mut expected = Value::Null;
    for _ in 0..5 {
        let started = Instant::now();
        expected = c
            .request("textDocument/references", params.clone())
            .expect("references");
        full.push(started.elapsed());
    }
    assert!(
        locations(&expected).len() >= 3,
        "a model of a chain has a declaration and relationships: {expected}"
    );

    let mut cancelled = Vec::new();
    let mut answers = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let id = c.send_request("textDocument/references", params.clone());
        c.notify("$/cancelRequest", json!({ "id": id }));
        let answer = c.response(id);
        cancelled.push(started.elapsed());
        answers.push(answer);
        // let work that is still stopping end before the next one starts
        std::thread::sleep(Duration::from_millis(50));
    }
    let honoured = answers.iter().filter(|a| was_cancelled(a)).count();
    let (full_median, cancelled_median) = (median(full.clone()), median(cancelled.clone()));
    eprintln!(
        "load: references uncancelled: median {} ({}); cancelled at once: median {} ({}), {honoured} of 5 \
         answered RequestCancelled (analysis of the schema: {})",
        ms(full_median),
        full.iter().map(|d| ms(*d)).collect::<Vec<_>>().join(", "),
        ms(cancelled_median),
        cancelled.iter().map(|d| ms(*d)).collect::<Vec<_>>().join(", "),
        ms(analysis)
    );
    for a in &answers {
        let what = match a {
            Ok(v) => format!("with a result of {} locations", locations(v).len()),
            Err(e) => format!("with the error {e}"),
        };
        assert!(
            was_cancelled(a),
            "a request cancelled right after it was sent was answered {what}, not RequestCancelled"
        );
    }
    assert!(
        cancelled_median * 3 <= full_median,
        "a cancelled request was answered in {} (median), the request itself takes {}",
        ms(cancelled_median),
        ms(full_median)
    );
    // and the server answers the same request as before
    let again = c
        .request("textDocument/references", params)
        .expect("references after the cancellations");
    assert_eq!(locations(&again), locations(&expected));
}

// ---------------------------------------------------------------------------------------------
// Part 8: shutdown and exit
// ---------------------------------------------------------------------------------------------

/// Sends long work on the open schema without waiting: two references, the document's symbols, an edit.
fn pile_up_work(c: &mut Client, uri: &str, models: &[u64]) -> Vec<i64> {
    let mut ids = Vec::new();
    for m in [models[100], models[MODELS - 100]] {
        ids.push(c.send_request(
            "textDocument/references",
            references_params(uri, on_model(m)),
        ));
    }
    ids.push(c.send_request("textDocument/documentSymbol", doc(uri)));
    let pos = on_model(models[MODELS / 2]);
    c.change(
        uri,
        2,
        json!([{ "range": { "start": pos, "end": pos }, "text": "X" }]),
    );
    ids
}

/// Session A times the analysis of the schema (from its didOpen to its first diagnostics). Session B opens it,
/// piles up long work behind it (two references, the document's symbols, an edit), and at once sends
/// `shutdown`: it is answered within a third of session A's analysis time, and after `exit` the process ends
/// (status 0) within a third of it too. Session C does the same and sends `exit` without `shutdown`: the
/// process ends with status 1, as promptly.
#[test]
fn shutdown_during_a_large_analysis_is_answered_and_the_process_exits() {
    let _serial = one_at_a_time();
    let (mut a, schema) = start_large();
    let models = model_lines(&schema);
    let (_, analysis) = open_and_analyse(&mut a, &schema);
    assert_eq!(a.shutdown().code(), Some(0));
    let bound = analysis / 3;

    let (mut b, _) = start_large();
    let uri = b.open(gen::DATA_FILE, &schema);
    let piled = pile_up_work(&mut b, &uri, &models);
    let started = Instant::now();
    let id = b.send_request("shutdown", Value::Null);
    let answer = b.response(id);
    let shutdown_answered = started.elapsed();
    assert_eq!(answer, Ok(Value::Null), "shutdown answer");
    let started = Instant::now();
    b.notify("exit", Value::Null);
    let status = b.wait_exit_stdin_open();
    let exited = started.elapsed();
    // what the server sent before it ended: no request answered twice
    while let Some(m) = b.recv(Duration::from_millis(100)) {
        b.backlog.push(m);
    }
    for id in piled {
        let answers = b
            .transcript
            .iter()
            .filter(|m| m.get("method").is_none() && m["id"] == json!(id))
            .count();
        assert!(answers <= 1, "request {id} has {answers} answers");
    }

    let (mut c, _) = start_large();
    let uri = c.open(gen::DATA_FILE, &schema);
    pile_up_work(&mut c, &uri, &models);
    let started = Instant::now();
    c.notify("exit", Value::Null);
    let status_c = c.wait_exit_stdin_open();
    let exited_c = started.elapsed();

    eprintln!(
        "load: shutdown answered in {}, exit in {} (status {:?}); exit without shutdown in {} (status {:?}); \
         analysis alone {} (bound: a third of it, {})",
        ms(shutdown_answered),
        ms(exited),
        status.code(),
        ms(exited_c),
        status_c.code(),
        ms(analysis),
        ms(bound)
    );
    assert!(
        shutdown_answered <= bound,
        "shutdown answered in {} while work ran; the analysis alone takes {}",
        ms(shutdown_answered),
        ms(analysis)
    );
    assert_eq!(status.code(), Some(0), "exit after shutdown");
    assert!(
        exited <= bound,
        "the process exited {} after `exit`; the analysis alone takes {}",
        ms(exited),
        ms(analysis)
    );
    assert_eq!(status_c.code(), Some(1), "exit without shutdown");
    assert!(
        exited_c <= bound,
        "the process exited {} after `exit` (no shutdown) while work ran; the analysis alone takes {}",
        ms(exited_c),
        ms(analysis)
    );
}

// ---------------------------------------------------------------------------------------------
// Input read while the server works
// ---------------------------------------------------------------------------------------------

/// A storage file of about 4 KB (mostly a comment: the input is large, the work it asks for is small) with one
/// finding, `storage/path-wildcard`, to show that it was analysed.
fn small_storage(i: usize) -> String {
    let mut s = String::from("import { defineStorage } from '@aws-amplify/backend';\n");
    while s.len() < 4000 {
        s.push_str(&format!(
            "// file {i}: a long comment, so that the input is large and the work it asks for is small.\n"
        ));
    }
    s.push_str(
        "export const storage = defineStorage({\n  name: 'files',\n  access: (allow) => ({\n    \
         'photos': [allow.guest.to(['read'])],\n  }),\n});\n",
    );
    s
}

/// Opens 300 small storage files, each in a project of its own (so none changes what another file sees), and
/// returns their URIs and the time the sending took.
fn open_small_files(c: &mut Client, prefix: &str) -> (Vec<String>, Duration, usize) {
    let started = Instant::now();
    let mut uris = Vec::new();
    let mut bytes = 0;
    for i in 0..300 {
        let text = small_storage(i);
        bytes += text.len();
        uris.push(c.open(&format!("{prefix}{i}/amplify/storage/resource.ts"), &text));
    }
    (uris, started.elapsed(), bytes)
}

fn assert_analysed(c: &mut Client, uris: &[String]) {
    for uri in uris {
        let diags = c.diagnostics(uri, Some(1));
        assert!(
            Client::codes(&diags).contains(&"storage/path-wildcard".to_string()),
            "{uri}: {diags:?}"
        );
    }
}

/// The input is read while the server works. The test's writes to the server's stdin block once the pipe and
/// the server's own buffer (256 KB) are full, so the time it takes to send 300 didOpen notifications of 4 KB
/// (1.2 MB) shows how soon the server reads them. Timed three ways in one session: the heavy work alone (the
/// schema opened, two references of a model), the 300 notifications sent to an idle server, and 300 others
/// sent right after the same heavy work. The extra time the heavy work adds to the sending is at most half the
/// time of that work; and every one of the 600 files is analysed.
#[test]
fn input_is_read_while_the_server_works() {
    let _serial = one_at_a_time();
    let (mut c, schema) = start_large();
    let models = model_lines(&schema);
    let refs = |uri: &str| {
        [models[100], models[MODELS - 100]].map(|m| references_params(uri, on_model(m)))
    };

    // the heavy work alone
    let started = Instant::now();
    let uri = c.open(gen::DATA_FILE, &schema);
    c.diagnostics(&uri, Some(1));
    for p in refs(&uri) {
        let id = c.send_request("textDocument/references", p);
        c.response(id).expect("references");
    }
    let heavy = started.elapsed();
    c.close(&uri);

    // idle
    let (idle_uris, idle_send, bytes) = open_small_files(&mut c, "idle");
    assert_analysed(&mut c, &idle_uris);

    // busy: the same work (the schema opened again, with a new text so nothing can be reused), then the files
    let started = Instant::now();
    let text = format!("{schema}// reopened\n");
    c.open_uri(&uri, &text, 2);
    let ids: Vec<i64> = refs(&uri)
        .into_iter()
        .map(|p| c.send_request("textDocument/references", p))
        .collect();
    let (busy_uris, busy_send, _) = open_small_files(&mut c, "busy");
    let busy_send_total = started.elapsed();
    assert_analysed(&mut c, &busy_uris);
    c.diagnostics(&uri, Some(2));
    for id in ids {
        c.response(id).expect("references");
    }
    let everything = started.elapsed();

    let extra = busy_send.saturating_sub(idle_send);
    eprintln!(
        "load: 300 didOpen ({} KB) sent in {} to an idle server, in {} right after the heavy work ({} from the \
         heavy didOpen; everything answered in {}); the heavy work alone takes {}",
        bytes / 1024,
        ms(idle_send),
        ms(busy_send),
        ms(busy_send_total),
        ms(everything),
        ms(heavy)
    );
    assert!(
        extra * 2 <= heavy,
        "sending 300 notifications took {} more while the server worked ({} instead of {}): the server did \
         not read its input while it worked ({} of work)",
        ms(extra),
        ms(busy_send),
        ms(idle_send),
        ms(heavy)
    );
}

// ---------------------------------------------------------------------------------------------
// Part 9: requests during indexing
// ---------------------------------------------------------------------------------------------

const BLOG_DATA: &str = "import { type ClientSchema, a, defineData } from '@aws-amplify/backend';

const schema = a.schema({
  Blog: a
    .model({
      name: a.string().required(),
      posts: a.hasMany('Post', 'blogId'),
    })
    .authorization((allow) => [allow.owner()]),
  Post: a
    .model({
      title: a.string().required(),
      blogId: a.id(),
      blog: a.belongsTo('Blog', 'blogId'),
      comments: a.hasMany('Comment', 'postId'),
    })
    .authorization((allow) => [allow.owner()]),
  Comment: a.model({
    postId: a.id(),
    post: a.belongsTo('Post', 'postId'),
    body: a.string(),
  }),
  latest: a
    .query()
    .returns(a.ref('Post').array())
    .authorization((allow) => [allow.authenticated()]),
});

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({ schema });
";

const BLOG_BACKEND: &str = "import { defineBackend } from '@aws-amplify/backend';
import { data } from './data/resource';

const backend = defineBackend({ data });
backend.data.resources.tables['Post'].pointInTimeRecoveryEnabled = true;
";

/// The number of functions of the indexing project (each has a resource file and a handler: twice as many
/// files).
const FUNCTIONS: usize = 150;

/// Code for a handler to parse (about 3 KB), that names no resource.
fn helpers(i: usize) -> String {
    (0..40)
        .map(|k| {
            format!(
                "\nexport function helper{k}(items: Array<{{ id: string; n: number }}>): number {{\n  \
                 return items.filter((it) => it.id !== 'w{i}').reduce((sum, it) => sum + it.n * {k}, 0);\n}}\n"
            )
        })
        .collect()
}

/// A project of 303 backend files: a schema with `Post`, a backend, and 150 functions whose handlers name
/// `Schema['Post']`.
fn blog_project() -> Vec<(String, String)> {
    let mut files = vec![
        (
            "amplify/data/resource.ts".to_string(),
            BLOG_DATA.to_string(),
        ),
        ("amplify/backend.ts".to_string(), BLOG_BACKEND.to_string()),
    ];
    for i in 0..FUNCTIONS {
        files.push((
            format!("amplify/functions/worker{i}/resource.ts"),
            format!(
                "import {{ defineFunction }} from '@aws-amplify/backend';\n\n\
                 export const worker{i} = defineFunction({{\n  name: 'worker{i}',\n  timeoutSeconds: 30,\n}});\n"
            ),
        ));
        files.push((
            format!("amplify/functions/worker{i}/handler.ts"),
            format!(
                "import type {{ Schema }} from '../../data/resource';\n\n\
                 type Post = Schema['Post']['type'];\n\n\
                 export const handler = async (): Promise<Post | null> => {{\n  // worker {i}\n  return null;\n}};\n{}",
                helpers(i)
            ),
        ));
    }
    files
}

/// References of `Post` and workspace symbols, asked at once after `initialized` (the workspace is being
/// indexed), equal the same requests asked once the "indexed" log line is out: a request during indexing
/// waits for the index (or reads what it needs), it does not answer from a partial one.
#[test]
fn requests_during_indexing_wait_for_the_index() {
    let _serial = one_at_a_time();
    let files = blog_project();
    let mut c = start(&files);
    let uri = c.open("amplify/data/resource.ts", BLOG_DATA);
    let refs = references_params(&uri, position_of(BLOG_DATA, "Post: a", 1));
    let symbols = json!({ "query": "worker" });
    let refs_id = c.send_request("textDocument/references", refs.clone());
    let symbols_id = c.send_request("workspace/symbol", symbols.clone());
    let early_refs = c.response(refs_id).expect("references during indexing");
    let early_symbols = c.response(symbols_id).expect("symbols during indexing");
    c.wait_log("indexed");
    // whether each answer was sent before the server logged the end of indexing
    let sent_at = |c: &Client, pred: &dyn Fn(&Value) -> bool| c.transcript.iter().position(pred);
    let log_at = sent_at(&c, &|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("indexed "))
    });
    let before_log = |id: i64| {
        let at = sent_at(&c, &|m| m.get("method").is_none() && m["id"] == json!(id));
        matches!((at, log_at), (Some(a), Some(l)) if a < l)
    };
    let (refs_early, symbols_early) = (before_log(refs_id), before_log(symbols_id));
    let late_refs = c
        .request("textDocument/references", refs)
        .expect("references after indexing");
    let late_symbols = c
        .request("workspace/symbol", symbols)
        .expect("symbols after indexing");

    let (early_refs, late_refs) = (locations(&early_refs), locations(&late_refs));
    let (early_symbols, late_symbols) = (locations(&early_symbols), locations(&late_symbols));
    eprintln!(
        "load: {} files to index; asked at once, references of Post ({} locations) were answered {} the log \
         said indexing was over, workspace symbols ({}) {}; asked again after: {} and {}",
        files.len(),
        early_refs.len(),
        if refs_early { "before" } else { "after" },
        early_symbols.len(),
        if symbols_early { "before" } else { "after" },
        late_refs.len(),
        late_symbols.len()
    );
    // the declaration, hasMany, belongsTo, the returns ref, the backend's table, and one per handler
    assert_eq!(late_refs.len(), 5 + FUNCTIONS, "{late_refs:?}");
    assert!(
        late_symbols.len() >= FUNCTIONS,
        "a symbol per function: {late_symbols:?}"
    );
    assert_eq!(early_refs, late_refs, "references during indexing");
    assert_eq!(
        early_symbols, late_symbols,
        "workspace symbols during indexing"
    );
}

/// Opening the files of a project one after another, each to its first diagnostics, costs one analysis per
/// file: a file opened as it is on disk changes nothing the other open files see, so they are not checked again
/// (they were, every time: the cost grew with the square of the files open). Closing them again is the same.
/// Counted from the debug log's one line per analysis, not timed.
#[test]
fn opening_a_project_file_by_file_is_linear() {
    let _serial = one_at_a_time();
    const OPENED: usize = 80;
    let files = blog_project();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let mut c = Client::start_with_files(&[("AMPLIFY_LSP_LOG", "debug")], &refs, json!({}));
    c.wait_log("indexed");
    let started = Instant::now();
    let opened: Vec<&(String, String)> = files
        .iter()
        .filter(|(p, _)| p.ends_with("resource.ts"))
        .take(OPENED)
        .collect();
    let mut uris = Vec::new();
    for (path, text) in &opened {
        let uri = c.open(path, text);
        c.diagnostics(&uri, Some(1));
        uris.push(uri);
    }
    let open_time = started.elapsed();
    for uri in &uris {
        c.close(uri);
    }
    // a last document, opened and answered after every close has been handled
    let last = c.open(
        "amplify/functions/worker149/resource.ts",
        &files
            .iter()
            .find(|(p, _)| p == "amplify/functions/worker149/resource.ts")
            .expect("worker149")
            .1,
    );
    c.diagnostics(&last, Some(1));
    let log = c.log();
    let rechecks = log
        .lines()
        .filter(|l| l.contains("checked ") && l.contains("another file of its project changed"))
        .count();
    let analyses = log.lines().filter(|l| l.contains("checked ")).count();
    eprintln!(
        "load: {OPENED} files of a {}-file project opened one after another in {} ({} analyses, {rechecks} of them \
         re-checks of other open files), then closed",
        files.len(),
        ms(open_time),
        analyses
    );
    assert!(
        analyses >= OPENED,
        "one analysis per opened file at least: {analyses}"
    );
    assert!(
        rechecks <= OPENED / 10,
        "opening or closing unchanged files re-checked the other open files {rechecks} times (the server before \
         this change: 6,075 for 80 files, growing with the square of the files open)"
    );
}
