//! Fuzzing every analysis entry point in CI (proptest): arbitrary text, token soup built from the Amplify API,
//! and the fixture and example files mutated (deletions, insertions of hostile characters and half-typed
//! code, splices of other files, truncations), fed through parse → file model → diagnostics, completion and
//! hover at many offsets, code actions (listed and computed), document symbols, code lenses, inlay hints,
//! definition, references and rename. Nothing may panic, every span returned must lie inside the text on
//! character boundaries, and each input must be handled in bounded time.
//!
//! Inputs that once crashed live in `tests/fixtures/crashers/` and are replayed by `crashers_do_not_crash`.
//! Cases per strategy: `AMPLIFY_FUZZ_CASES` (default 48; CI keeps the default).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use amplify_lsp_tests::repo_root;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};

/// The driver, shared with the cargo-fuzz target in `fuzz/`.
#[path = "../../fuzz/drive.rs"]
mod drive;

use drive::{exercise, Stats};

fn cases() -> u32 {
    std::env::var("AMPLIFY_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

fn config() -> Config {
    Config {
        cases: cases(),
        // Shrunk failures are kept by hand in tests/fixtures/crashers, with a name that says what they hit.
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        max_shrink_iters: 2_000,
        ..Config::default()
    }
}

/// The seed files: every TypeScript file of the fixture projects and the examples, with its path.
fn seeds() -> &'static [(PathBuf, String)] {
    static SEEDS: OnceLock<Vec<(PathBuf, String)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = repo_root();
        let mut out = Vec::new();
        for dir in ["tests/fixtures/projects", "examples"] {
            collect(&root.join(dir), &mut out);
        }
        out.sort();
        assert!(
            out.len() > 50,
            "fixtures not found under {}",
            root.display()
        );
        out
    })
}

fn collect(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.file_name().is_some_and(|n| n == "node_modules") {
            continue;
        }
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "ts" || x == "tsx") {
            if let Ok(text) = std::fs::read_to_string(&p) {
                out.push((p, text));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// Inserted by mutations: hostile characters, brackets and quotes, and half-typed Amplify code.
const PIECES: &[&str] = &[
    "\0",
    "\u{feff}",
    "\r",
    "\r\n",
    "\n",
    "\u{2028}",
    "\u{200b}",
    "😀",
    "é",
    "𝔘",
    "`",
    "${",
    "}",
    "{",
    "(",
    ")",
    "[",
    "]",
    "'",
    "\"",
    "/*",
    "*/",
    "//",
    "\\",
    ".",
    ",",
    ":",
    "=>",
    "...",
    "?.",
    "!",
    "<T>",
    " as const",
    "0x",
    "1e999",
    "-",
    "a.",
    "allow.",
    "a.model({",
    "a.string()",
    ".required()",
    ".authorization((allow) => [",
    "allow.owner()",
    "a.belongsTo('X', 'xId')",
    "defineAuth({",
    "defineData({",
    "defineStorage({",
    "defineFunction({",
    "defineBackend({",
    "referenceAuth({",
    "secret('X')",
    "'path/*': [allow.guest.to(['read'])]",
    "import { a, defineData } from '@aws-amplify/backend';",
    "export const ",
    "schema: a.schema({",
    "loginWith: { email: true },",
    "entry: '../../../../etc/passwd',",
    "environment: { K: 'v' },",
    "timeoutSeconds: 9e9,",
];

/// Tokens for the token-soup strategy.
const VOCAB: &[&str] = &[
    "import",
    "{",
    "}",
    "from",
    "'@aws-amplify/backend'",
    ";",
    "\n",
    "export",
    "const",
    "=",
    "auth",
    "data",
    "storage",
    "defineAuth",
    "defineData",
    "defineStorage",
    "defineFunction",
    "defineBackend",
    "(",
    ")",
    "[",
    "]",
    ",",
    ":",
    ".",
    "=>",
    "a",
    "schema",
    "model",
    "string",
    "id",
    "required",
    "authorization",
    "allow",
    "owner",
    "guest",
    "publicApiKey",
    "groups",
    "hasMany",
    "belongsTo",
    "hasOne",
    "ref",
    "enum",
    "customType",
    "query",
    "mutation",
    "handler",
    "function",
    "loginWith",
    "email",
    "true",
    "false",
    "access",
    "to",
    "'read'",
    "'write'",
    "'photos/*'",
    "name",
    "entry",
    "environment",
    "secret",
    "'X'",
    "1",
    "-1",
    "`",
    "${",
    "'",
    "\"",
    "/*",
    "*/",
    "//",
    "...",
    "authorizationModes",
    "defaultAuthorizationMode",
    "'userPool'",
    "externalProviders",
    "clientSecret",
    "schedule",
    "'every 5m'",
    "timeoutSeconds",
    "identifier",
    "secondaryIndexes",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete {
        at: usize,
        len: usize,
    },
    Insert {
        at: usize,
        piece: &'static str,
    },
    /// Copies `len` bytes of seed `from` (at `from_at`) into the text at `at`.
    Splice {
        at: usize,
        from: usize,
        from_at: usize,
        len: usize,
    },
    Duplicate {
        at: usize,
        len: usize,
    },
    Truncate {
        at: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        4 => (any::<usize>(), prop::sample::select(PIECES)).prop_map(|(at, piece)| Mutation::Insert { at, piece }),
        2 => (any::<usize>(), any::<usize>(), any::<usize>(), 1usize..200)
            .prop_map(|(at, from, from_at, len)| Mutation::Splice { at, from, from_at, len }),
        1 => (any::<usize>(), 1usize..200).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        1 => any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

/// The character boundary at or before `i % (len + 1)`.
fn floor(s: &str, i: usize) -> usize {
    let mut i = i % (s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A sub-slice of `s` starting near `at`, at most `len` bytes, on character boundaries.
fn slice(s: &str, at: usize, len: usize) -> &str {
    let a = floor(s, at);
    let b = floor(s, a.saturating_add(len).min(s.len()));
    &s[a..b.max(a)]
}

fn apply(text: &mut String, m: &Mutation) {
    match *m {
        Mutation::Delete { at, len } => {
            let a = floor(text, at);
            let b = floor(text, (a + len).min(text.len()));
            text.replace_range(a..b.max(a), "");
        }
        Mutation::Insert { at, piece } => {
            let a = floor(text, at);
            text.insert_str(a, piece);
        }
        Mutation::Splice {
            at,
            from,
            from_at,
            len,
        } => {
            let seeds = seeds();
            let piece = slice(&seeds[from % seeds.len()].1, from_at, len).to_string();
            let a = floor(text, at);
            text.insert_str(a, &piece);
        }
        Mutation::Duplicate { at, len } => {
            let piece = slice(text, at, len).to_string();
            let a = floor(text, at.wrapping_add(len));
            text.insert_str(a, &piece);
        }
        Mutation::Truncate { at } => {
            let a = floor(text, at);
            text.truncate(a);
        }
    }
}

/// Paths for texts that do not come from a seed file: each Amplify file kind, plus a TSX file and a file
/// outside `amplify/` (analysed because it imports the backend package, or not at all).
const PATHS: &[&str] = &[
    "/nonexistent/p/amplify/backend.ts",
    "/nonexistent/p/amplify/auth/resource.ts",
    "/nonexistent/p/amplify/data/resource.ts",
    "/nonexistent/p/amplify/storage/resource.ts",
    "/nonexistent/p/amplify/functions/f/resource.ts",
    "/nonexistent/p/amplify/data/ui.tsx",
    "/nonexistent/p/src/other.ts",
];

proptest! {
    #![proptest_config(config())]

    /// Fixture and example files, mutated.
    #[test]
    fn mutated_fixtures_never_crash(
        seed in any::<usize>(),
        muts in prop::collection::vec(mutation(), 1..12),
        salt in any::<usize>(),
    ) {
        let seeds = seeds();
        let (path, text) = &seeds[seed % seeds.len()];
        let mut text = text.clone();
        for m in &muts {
            apply(&mut text, m);
        }
        let _ = exercise(path, &text, salt);
    }

    /// Token soup from the Amplify API: plausible but mostly ill-formed code.
    #[test]
    fn token_soup_never_crashes(
        tokens in prop::collection::vec(prop::sample::select(VOCAB), 0..300),
        seps in prop::collection::vec(prop::sample::select(&[" ", "", "\n", "\r\n", "\t"][..]), 300),
        path in prop::sample::select(PATHS),
        salt in any::<usize>(),
    ) {
        let text: String = tokens
            .iter()
            .zip(seps.iter())
            .flat_map(|(t, s)| [*t, *s])
            .collect();
        let _ = exercise(Path::new(path), &text, salt);
    }

    /// Arbitrary characters (control characters, surrogate-free Unicode of every plane).
    #[test]
    fn arbitrary_text_never_crashes(
        chars in prop::collection::vec(any::<char>(), 0..400),
        prefix in prop::sample::select(&["", "import { a, defineData, defineAuth, defineStorage } from '@aws-amplify/backend';\n"][..]),
        path in prop::sample::select(PATHS),
        salt in any::<usize>(),
    ) {
        let text = format!("{prefix}{}", chars.into_iter().collect::<String>());
        let _ = exercise(Path::new(path), &text, salt);
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions
// ---------------------------------------------------------------------------------------------

/// The file kind a crasher is analysed as, from its name: `<what>.<kind>.ts` with kind one of `backend`,
/// `auth`, `data`, `storage`, `function` (anything else: `backend`).
fn crasher_path(name: &str) -> PathBuf {
    let kind = name.rsplit('.').nth(1).unwrap_or("backend");
    let rel = match kind {
        "auth" => "amplify/auth/resource.ts",
        "data" => "amplify/data/resource.ts",
        "storage" => "amplify/storage/resource.ts",
        "function" => "amplify/functions/f/resource.ts",
        _ => "amplify/backend.ts",
    };
    Path::new("/nonexistent/crashers").join(rel)
}

/// Every input in `tests/fixtures/crashers/` (found by fuzzing or by the hostile tests) goes through every
/// entry point without a crash and in bounded time.
#[test]
fn crashers_do_not_crash() {
    let dir = repo_root().join("tests/fixtures/crashers");
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/crashers")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ts"))
        .collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let bytes = std::fs::read(&p).expect("read crasher");
        let text = String::from_utf8_lossy(&bytes);
        for salt in 0..3 {
            let _ = exercise(&crasher_path(&name), &text, salt);
        }
        n += 1;
    }
    assert!(n > 0, "no crashers in {}", dir.display());
}

/// The seeds themselves, unmutated, each at every offset (the fixtures are small): the baseline every
/// mutation starts from.
#[test]
fn every_seed_at_every_offset() {
    let mut total = Stats::default();
    for (path, text) in seeds() {
        total += exercise(path, text, 0);
    }
    // The entry points really ran on the fixtures (a driver bug must not make the fuzzing vacuous).
    assert!(total.diagnostics > 200, "{total:?}");
    assert!(total.completions > 10_000, "{total:?}");
    assert!(total.hovers > 1_000, "{total:?}");
    assert!(total.actions > 50, "{total:?}");
    assert!(total.symbols > 500, "{total:?}");
    assert!(total.definitions > 100, "{total:?}");
}
