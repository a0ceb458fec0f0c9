//! Incremental consistency and resource bounds under stress, through the real binary.
//!
//! Thousands of random edits (insertions, deletions and replacements of code, multi-byte and astral
//! characters, CRLF and lone CR; several changes per notification; now and then a full-document change) are
//! sent in bursts without waiting. After each burst the server's text must equal the expected text, its
//! incrementally maintained tree must equal a fresh parse whenever the text parses without errors, and its
//! diagnostics must equal those of the same text opened fresh. Then: a thousand documents opened and closed
//! leave the store empty, and files above `maxFileSize` are skipped with one log line.
//!
//! The random sequence is reproducible: `AMPLIFY_STRESS_SEED` (printed on failure) replays it.

use amplify_lsp::syntax::{parse, Lang};
use amplify_lsp_tests::*;

/// Inserted by the random edits.
const PIECES: &[&str] = &[
    "a",
    "x",
    " ",
    "\n",
    "\r\n",
    "\r",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "'",
    "\"",
    "`",
    ";",
    ",",
    ".",
    ":",
    "😀",
    "中",
    "é",
    "𝔘𝔫𝔦",
    "a.string()",
    ".required()",
    "allow.",
    "allow.owner()",
    "a.model({ title: a.string() })",
    "'photos': [allow.guest.to(['read'])],",
    "'media/*': [allow.authenticated.to(['read', 'write'])],",
    "timeoutSeconds: 3,",
    "// note\n",
    "/* c */",
    "${",
];

/// A small deterministic generator (xorshift64*), so a failing run can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Character boundaries that do not split a "\r\n" pair (positions there cannot be expressed: a line's
/// content ends before its "\r\n").
fn boundaries(s: &str) -> Vec<usize> {
    let b = s.as_bytes();
    s.char_indices()
        .map(|(i, _)| i)
        .filter(|&i| !(i > 0 && b[i - 1] == b'\r' && b[i] == b'\n'))
        .chain([s.len()])
        .collect()
}

/// The LSP position (UTF-16) of a byte offset; lines end at "\n" only.
fn position(s: &str, offset: usize) -> Value {
    utf16_position(s, offset)
}

/// One random content change against `text`; applies it to `text` and returns its JSON.
fn random_change(rng: &mut Rng, text: &mut String, seeds: &[&str]) -> Value {
    if rng.chance(3) {
        let new = seeds[rng.below(seeds.len())].to_string();
        *text = new.clone();
        return json!({ "text": new });
    }
    let bounds = boundaries(text);
    let a = bounds[rng.below(bounds.len())];
    let b = if rng.chance(40) {
        a
    } else {
        let later: Vec<usize> = bounds
            .iter()
            .copied()
            .filter(|&x| x >= a && x - a <= 24)
            .collect();
        later[rng.below(later.len())]
    };
    let insert: String = (0..rng.below(3))
        .map(|_| PIECES[rng.below(PIECES.len())])
        .collect();
    let change = json!({
        "range": { "start": position(text, a), "end": position(text, b) },
        "text": insert,
    });
    text.replace_range(a..b, &insert);
    change
}

/// Diagnostics without their URIs, comparable between documents.
fn comparable(diags: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = diags
        .iter()
        .map(|d| {
            let mut d = d.clone();
            if let Some(rel) = d
                .get_mut("relatedInformation")
                .and_then(Value::as_array_mut)
            {
                for r in rel {
                    if let Some(loc) = r.get_mut("location") {
                        loc["uri"] = Value::Null;
                    }
                }
            }
            d
        })
        .collect();
    out.sort_by_key(|d| d.to_string());
    out
}

fn seed() -> u64 {
    std::env::var("AMPLIFY_STRESS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_1234_abcd_0001)
}

fn example(rel: &str) -> String {
    std::fs::read_to_string(repo_root().join("examples").join(rel)).expect("example file")
}

#[test]
fn thousands_of_random_edits_stay_consistent() {
    let seed = seed();
    let mut rng = Rng(seed | 1);
    let mut c = Client::start();
    let docs = [
        (
            "amplify/data/resource.ts",
            "mistakes/amplify/data/resource.ts",
        ),
        (
            "amplify/storage/resource.ts",
            "mistakes/amplify/storage/resource.ts",
        ),
        (
            "amplify/auth/resource.ts",
            "starter/amplify/auth/resource.ts",
        ),
        (
            "amplify/functions/say-hello/resource.ts",
            "mistakes/amplify/functions/say-hello/resource.ts",
        ),
    ];
    let texts: Vec<String> = docs.iter().map(|(_, src)| example(src)).collect();
    let seeds: Vec<&str> = texts.iter().map(String::as_str).collect();
    let (bursts, per_burst) = (10, 60);
    let mut total = 0;
    let mut fresh_checks = 0;
    let mut tree_checks = 0;
    for (k, (rel, _)) in docs.iter().enumerate() {
        let uri = c.open(&format!("edited/{rel}"), &texts[k]);
        let mut text = texts[k].clone();
        let mut version = 1;
        for burst in 0..bursts {
            for _ in 0..per_burst {
                version += 1;
                let n = 1 + rng.below(3);
                let changes: Vec<Value> = (0..n)
                    .map(|_| random_change(&mut rng, &mut text, &seeds))
                    .collect();
                c.change(&uri, version, Value::Array(changes));
                total += n;
            }
            let ctx = format!("seed {seed}, {rel}, burst {burst}, version {version}");
            let d = c
                .request("amplify/debugDocument", json!({ "uri": uri }))
                .expect("debugDocument");
            assert_eq!(d["version"], version, "{ctx}");
            assert_eq!(d["text"].as_str(), Some(text.as_str()), "{ctx}");
            let lang = Lang::TypeScript;
            let clean = parse(&text, lang, None).is_some_and(|t| !t.root_node().has_error());
            if clean {
                assert_eq!(d["treeMatchesFreshParse"], true, "{ctx}: tree differs");
                tree_checks += 1;
            }
            // Diagnostics equal those of the same text opened fresh (in another project with the same layout).
            let got = c.diagnostics(&uri, Some(version));
            let fresh_uri = c.open(&format!("fresh{burst}/{rel}"), &text);
            let want = c.diagnostics(&fresh_uri, Some(1));
            assert_eq!(
                comparable(&got),
                comparable(&want),
                "{ctx}: incremental diagnostics differ from a fresh open of the same text:\n{text}"
            );
            c.close(&fresh_uri);
            fresh_checks += 1;
        }
    }
    assert!(total >= 3_000, "{total} edits");
    assert!(fresh_checks == docs.len() * bursts);
    assert!(tree_checks > 0, "no burst ended with error-free text");
    assert!(c.alive());
}

/// Every character of a short document typed one by one, then deleted one by one, all sent without waiting.
#[test]
fn typing_and_deleting_a_file_character_by_character() {
    let mut c = Client::start();
    let target = example("mistakes/amplify/storage/resource.ts").replace('\n', "\r\n");
    let uri = c.open("amplify/storage/resource.ts", "");
    let mut text = String::new();
    let mut version = 1;
    for ch in target.chars() {
        version += 1;
        let at = position(&text, text.len());
        // "\r\n" arrives as one insertion, like an editor's Enter key.
        if ch == '\n' && text.ends_with('\r') {
            let start = position(&text, text.len() - 1);
            c.change(
                &uri,
                version,
                json!([{ "range": { "start": start, "end": at }, "text": "\r\n" }]),
            );
        } else {
            c.change(
                &uri,
                version,
                json!([{ "range": { "start": at, "end": at }, "text": ch.to_string() }]),
            );
        }
        text.push(ch);
    }
    let d = c
        .request("amplify/debugDocument", json!({ "uri": uri }))
        .expect("debugDocument");
    assert_eq!(d["text"].as_str(), Some(text.as_str()));
    assert_eq!(d["treeMatchesFreshParse"], true);
    let diags = c.diagnostics(&uri, Some(version));
    assert!(Client::codes(&diags).contains(&"storage/path-wildcard".to_string()));
    while !text.is_empty() {
        version += 1;
        let bounds = boundaries(&text);
        let start = bounds[bounds.len() - 2];
        let (a, b) = (position(&text, start), position(&text, text.len()));
        c.change(
            &uri,
            version,
            json!([{ "range": { "start": a, "end": b }, "text": "" }]),
        );
        text.truncate(start);
    }
    let d = c
        .request("amplify/debugDocument", json!({ "uri": uri }))
        .expect("debugDocument");
    assert_eq!(d["text"], "");
    assert_eq!(d["version"], version);
    assert!(c.diagnostics(&uri, Some(version)).is_empty());
}

#[test]
fn a_thousand_documents_opened_and_closed_leave_the_store_empty() {
    let mut c = Client::start();
    let storage = example("mistakes/amplify/storage/resource.ts");
    for round in 0..2 {
        for i in 0..500 {
            let uri = c.uri(&format!("p{}/amplify/storage/resource.ts", round * 500 + i));
            c.open_uri(&uri, &storage, 1);
            c.change(
                &uri,
                2,
                json!([{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "// x\n" }]),
            );
            c.close(&uri);
        }
        // Each closed document's diagnostics were cleared.
        let sentinel = c.open(
            &format!("sentinel{round}/amplify/backend.ts"),
            "export {};\n",
        );
        let d = c
            .request("amplify/debugDocument", json!({ "uri": sentinel }))
            .expect("debugDocument");
        assert_eq!(d["openDocuments"], 1, "only the sentinel stays open: {d}");
        c.close(&sentinel);
    }
    // Every closed document got an empty publishDiagnostics as its last word.
    let mut last: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    while let Some(m) = c.try_wait_for(std::time::Duration::from_millis(500), |m| {
        m["method"] == "textDocument/publishDiagnostics"
    }) {
        let uri = m["params"]["uri"].as_str().unwrap_or("").to_string();
        let n = m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
        last.insert(uri, n);
    }
    let stale: Vec<_> = last.iter().filter(|(_, n)| **n > 0).collect();
    assert!(
        stale.is_empty(),
        "documents left with diagnostics: {stale:?}"
    );
    assert!(c.alive());
}

#[test]
fn files_above_max_file_size_are_skipped_with_one_log_line() {
    let mut c = Client::start_with(json!({ "initializationOptions": { "maxFileSize": 2000 } }));
    let storage = example("mistakes/amplify/storage/resource.ts");
    assert!(storage.len() < 2000);
    let small = c.open("a/amplify/storage/resource.ts", &storage);
    assert!(!c.diagnostics(&small, Some(1)).is_empty());
    let big_text = format!("{storage}{}", "// pad\n".repeat(400));
    let big = c.open("b/amplify/storage/resource.ts", &big_text);
    assert!(c.diagnostics(&big, Some(1)).is_empty());
    for v in 2..20 {
        c.change(
            &big,
            v,
            json!([{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": " " }]),
        );
    }
    assert!(c.diagnostics(&big, Some(19)).is_empty());
    let d = c
        .request("amplify/debugDocument", json!({ "uri": big }))
        .expect("debugDocument");
    assert_eq!(d["tooLarge"], true);
    assert!(c
        .hover(&big, json!({ "line": 4, "character": 6 }))
        .is_empty());
    let log = c.wait_log("limit");
    let lines = log
        .lines()
        .filter(|l| l.contains(&big) && l.contains("limit"))
        .count();
    assert_eq!(lines, 1, "{log}");
    // Raising the limit through the configuration brings the file back.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "amplifyLsp": { "maxFileSize": 1_000_000 } } }),
    );
    c.change(
        &big,
        20,
        json!([{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": " " }]),
    );
    assert!(!c.diagnostics(&big, Some(20)).is_empty());
}
