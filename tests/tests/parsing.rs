//! Parsing cost and the parse budget, through the real binary: a file whose parse is abandoned is parsed once
//! per version (open documents) or per content on disk (indexed files), never again per keystroke; and the
//! budget counts work, not time, so a busy machine cannot make a file that parses alone come back abandoned.
//! Work is counted (log lines and the parse counters of `amplify/debugDocument`), never timed.

use std::process::Command;

#[path = "../fixtures/bench/gen.rs"]
mod gen;

use amplify_lsp_tests::{repo_root, server_binary, utf16_position, Client};
use serde_json::{json, Value};

const DATA: &str = "import { a, defineData, type ClientSchema } from '@aws-amplify/backend';\n\nconst schema = a.schema({\n  Todo: a.model({ content: a.string() }).authorization((allow) => [allow.owner()]),\n});\n\nexport type Schema = ClientSchema<typeof schema>;\nexport const data = defineData({ schema });\n";

/// The 313-byte text on which tree-sitter's error recovery never finishes, made distinct per `i` (a leading
/// comment) so that no two files share a text.
fn crasher(i: usize) -> String {
    let bytes = std::fs::read(repo_root().join("tests/fixtures/crashers/parse-explosion.data.ts"))
        .expect("crasher fixture");
    format!("// variant {i}\n{}", String::from_utf8_lossy(&bytes))
}

/// How many parses the server has abandoned: its log lines (one warning each).
fn gave_up(c: &mut Client) -> usize {
    c.log().matches("gave up parsing").count()
}

/// The process's parse counters, from `amplify/debugDocument` on `uri`: (run, abandoned).
fn parse_counts(c: &mut Client, uri: &str) -> (u64, u64) {
    let res = c
        .request("amplify/debugDocument", json!({ "uri": uri }))
        .expect("debugDocument");
    let n = |k: &str| res["parses"][k].as_u64().unwrap_or(u64::MAX);
    (n("run"), n("abandoned"))
}

fn edit_at(pos: &Value, text: &str) -> Value {
    json!({ "range": { "start": pos, "end": pos }, "text": text })
}

/// Ten abandoned-parse files: eight on disk (indexed), two open. Typing 60 keys in another file of the
/// project, with a completion every few keys, parses none of them again; a new version of an open one is
/// parsed once.
/// Waits until the server's indexing pass (run at `initialized`) is over, so that it cannot race the test.
fn wait_for_indexing(c: &mut Client) {
    for _ in 0..600 {
        let log = c.log();
        if log.contains("indexed ") || log.contains("no Amplify backend") {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("no indexing pass:\n{}", c.log());
}

#[test]
fn abandoned_parses_are_not_repeated_on_keystrokes() {
    let mut c = Client::start();
    wait_for_indexing(&mut c);
    for i in 0..8 {
        c.write_file(&format!("amplify/broken{i}/resource.ts"), &crasher(i));
    }
    let broken_a = c.open("amplify/open-a/resource.ts", &crasher(100));
    let broken_b = c.open("amplify/open-b/resource.ts", &crasher(101));
    for uri in [&broken_a, &broken_b] {
        let diags = c.diagnostics(uri, Some(1));
        assert_eq!(
            Client::codes(&diags),
            ["syntax/parse-abandoned"],
            "{diags:?}"
        );
    }
    let uri = c.open("amplify/data/resource.ts", DATA);
    c.diagnostics(&uri, Some(1));
    // the data file's diagnostics needed the project's facts: every file has been read
    let (run, abandoned) = parse_counts(&mut c, &uri);
    // each of the ten was abandoned, once
    assert_eq!(abandoned, 10);

    let mut text = DATA.to_string();
    let mut version = 1;
    let typed = "  Note: a.model({ body: a.string() }),\n";
    // timed for the record only (docs/reliability.md), never asserted
    let started = std::time::Instant::now();
    for (k, ch) in typed.chars().enumerate() {
        let at = text.find("});\n\nexport type").unwrap_or(0);
        let pos = utf16_position(&text, at);
        text.insert(at, ch);
        version += 1;
        c.change(&uri, version, json!([edit_at(&pos, &ch.to_string())]));
        if k % 5 == 4 {
            c.completion(&uri, utf16_position(&text, at + 1));
        }
    }
    let diags = c.diagnostics(&uri, Some(version));
    eprintln!(
        "parsing: {} keystrokes ({} completions) to their last diagnostics in {:.1} ms, {:.2} ms per key, beside ten abandoned files",
        typed.chars().count(),
        typed.chars().count() / 5,
        started.elapsed().as_secs_f64() * 1000.0,
        started.elapsed().as_secs_f64() * 1000.0 / typed.chars().count() as f64
    );
    assert!(
        !Client::codes(&diags).contains(&"syntax/parse-abandoned".to_string()),
        "{diags:?}"
    );
    let (run_after, abandoned_after) = parse_counts(&mut c, &uri);
    assert_eq!(
        abandoned_after, abandoned,
        "abandoned files were parsed again"
    );
    // one parse per keystroke, plus the fresh parses of debugDocument and of completion's own needs: nowhere
    // near ten per keystroke
    let keys = typed.chars().count() as u64;
    assert!(
        run_after - run <= 3 * keys,
        "{} parses for {keys} keys",
        run_after - run
    );

    // A new version of an open abandoned file is parsed again, once.
    c.change(&broken_a, 2, json!([{ "text": crasher(102) }]));
    let diags = c.diagnostics(&broken_a, Some(2));
    assert_eq!(
        Client::codes(&diags),
        ["syntax/parse-abandoned"],
        "{diags:?}"
    );
    c.change(
        &uri,
        version + 1,
        json!([edit_at(&json!({ "line": 0, "character": 0 }), " ")]),
    );
    c.diagnostics(&uri, Some(version + 1));
    let (_, abandoned_new) = parse_counts(&mut c, &uri);
    assert_eq!(abandoned_new, abandoned + 1);
    // the log agrees: eleven parses given up in all (its lines travel on their own and may trail the answers)
    for _ in 0..100 {
        if gave_up(&mut c) >= 11 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(gave_up(&mut c), 11, "{}", c.log());
    // and fixed, it is checked again
    c.change(&broken_a, 3, json!([{ "text": DATA }]));
    let diags = c.diagnostics(&broken_a, Some(3));
    assert!(
        !Client::codes(&diags).contains(&"syntax/parse-abandoned".to_string()),
        "{diags:?}"
    );
}

/// 24 `check` runs in parallel on two cores, each checking the examples, the benchmark project and every
/// fixture project (about 700 files): none reports a parse as abandoned, and each prints what a run alone
/// prints. With a wall-clock budget, a loaded machine made files that parse fine alone come back
/// `syntax/parse-abandoned`.
#[test]
fn checks_under_load_never_abandon_a_parse() {
    let dir = tempfile::tempdir().expect("tempdir");
    gen::write_project(gen::Size::Large, dir.path()).expect("write the large project");
    let large = dir.path().to_path_buf();
    let check = move || {
        let out = Command::new(server_binary())
            .current_dir(repo_root())
            .arg("check")
            // the large project first, so that the 24 runs parse its 460 KB schema at the same time
            .arg(&large)
            .args([
                "examples/starter",
                "examples/mistakes",
                "tests/fixtures/bench/mid",
                "tests/fixtures/projects",
            ])
            .output()
            .expect("run check");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (alone, _) = check();
    assert!(!alone.contains("parse-abandoned"), "{alone}");
    assert!(alone.contains("Amplify file(s)"), "{alone}");
    let runs: Vec<_> = (0..24).map(|_| std::thread::spawn(check.clone())).collect();
    let outputs: Vec<(String, String)> = runs
        .into_iter()
        .map(|r| r.join().expect("check thread"))
        .collect();
    let abandoned: Vec<usize> = outputs
        .iter()
        .map(|(out, _)| out.matches("syntax/parse-abandoned").count())
        .collect();
    assert!(
        abandoned.iter().all(|&n| n == 0),
        "abandoned parses per run: {abandoned:?}"
    );
    for (i, (stdout, stderr)) in outputs.iter().enumerate() {
        assert!(!stderr.contains("gave up parsing"), "run {i}: {stderr}");
        assert!(*stdout == alone, "run {i} differs from a run alone");
    }
}
