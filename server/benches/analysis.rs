//! Analysis benchmarks over the three projects of `tests/fixtures/bench` (starter, mid, large).
//!
//! `cargo bench -p amplify-lsp --bench analysis` runs them all; `cargo bench -p amplify-lsp --bench analysis
//! -- large/` runs one project. Each project's data schema (`amplify/data/resource.ts`) is the document
//! under test. Per project:
//!
//! - `ts_parse_full`: tree-sitter's full parse of the file (the physical limit of "from scratch");
//! - `full_analysis`: open the document from its text (rope, parse) + file model + project facts +
//!   every diagnostic rule;
//! - `file_model`, `diagnostics`: the two halves of the analysis, for profiling;
//! - `ts_reparse_{start,middle,end}`: tree-sitter's own incremental reparse of a one-character insertion
//!   near the start, middle and end of the file;
//! - `keystroke_{start,middle,end}`: the same insertion through the server's `didChange` path: apply it to
//!   the document (rope, incremental reparse), re-index the file, compute its diagnostics;
//! - `keystroke_middle_alone`: the middle insertion typed and deleted again and again in one document that
//!   nothing else reads, as in the server once the previous keystroke's requests are answered: each build lets
//!   go of the previous version's model, owns its cache and moves the models after the edit in place (in the
//!   `keystroke_*` rows above, every iteration starts from the same document, whose model the benchmark holds,
//!   so the moved models are copied);
//! - `ts_reparse_typing`, `keystroke_typing`: the same pair in the middle of typing a new model (the file has
//!   an unclosed `.model({`, as it has most of the time while someone types), where tree-sitter's error
//!   recovery makes the reparse itself far more expensive;
//! - `completion`: completion at a deep position (`allow.|` inside a model's authorization callback), as
//!   the server answers it (project facts, completion; the version's file model is already built, as it is
//!   once its diagnostics are out);
//! - `hover`: hover over a `.model(` call in the middle of the file, as the server answers it.
//!
//! After criterion's own report, a summary table prints the medians and the keystroke / reparse ratios.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use criterion::{BatchSize, Criterion};
use tree_sitter::{InputEdit, Parser, Point, Tree};

use amplify_lsp::analysis::{self, completion, hover, Options};
use amplify_lsp::model::project::Summary;
use amplify_lsp::syntax::Lang;
use amplify_lsp::text::{position_at, Encoding};
use amplify_lsp::workspace::{Change, Document, ProjectIndex};

#[path = "../../tests/fixtures/bench/gen.rs"]
mod gen;

use gen::Size;

const MAX_SIZE: usize = 5 * 1024 * 1024;

/// One project written to a temporary folder, with its data file open.
struct Input {
    dir: PathBuf,
    path: PathBuf,
    uri: String,
    text: String,
    doc: Document,
    index: ProjectIndex,
}

impl Input {
    fn new(size: Size) -> Input {
        let dir = std::env::temp_dir().join(format!(
            "amplify-lsp-bench-{}-{}",
            size.name(),
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let files = gen::write_project(size, &dir).expect("write the bench project");
        let text = gen::file_text(&files, gen::DATA_FILE);
        let path = dir.join(gen::DATA_FILE);
        let uri = format!("file://{}", path.display());
        let doc = Document::new(&uri, Some(Lang::TypeScript), 1, text.clone(), MAX_SIZE);
        let index = ProjectIndex::new();
        let input = Input {
            dir,
            path,
            uri,
            text,
            doc,
            index,
        };
        // As `didOpen` does: index the open document.
        reindex(&input.index, &input.path, &input.doc);
        input
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The server's `reindex`: the document's summary into the project index. The file model is built once per
/// version and shared by every snapshot of it (as in the server).
fn reindex(index: &ProjectIndex, path: &Path, doc: &Document) -> bool {
    let snap = doc.snapshot();
    // as the server indexes a backend file while no frontend file of its project is open (the replay's case)
    let summary = snap
        .file_model()
        .map(|f| Summary::of_backend(&f))
        .unwrap_or_default();
    index.set_open(path, summary)
}

/// The server's diagnostics for an open document (`Backend::lsp_diagnostics`, without the protocol
/// conversion).
fn diagnostics(index: &ProjectIndex, path: &Path, doc: &Document, opts: &Options) -> usize {
    let snap = doc.snapshot();
    let Some(file) = snap.file_model() else {
        return 0;
    };
    let facts = index.facts(Some(path), None);
    analysis::diagnostics_for(&snap, &file, &facts, opts).len()
}

/// One `didChange` as the server handles it: apply, re-index, diagnostics.
fn did_change(
    index: &ProjectIndex,
    path: &Path,
    doc: &mut Document,
    change: &Change,
    opts: &Options,
) -> usize {
    let version = doc.version() + 1;
    doc.apply(version, std::slice::from_ref(change), Encoding::Utf16)
        .expect("apply");
    reindex(index, path, doc);
    diagnostics(index, path, doc, opts)
}

/// The typing scenario: the document with `url: a.ur` of a new model typed into the middle of the schema, and
/// the insertion of the next character (`l`).
struct Typing {
    doc: Document,
    tree: Tree,
    change: Change,
    edit: InputEdit,
    new_text: String,
}

impl Typing {
    fn new(input: &Input) -> Typing {
        let (text, at) = gen::typing_state(&input.text, "url: a.ur").expect("typing state");
        let doc = Document::new(
            &input.uri,
            Some(Lang::TypeScript),
            1,
            text.clone(),
            MAX_SIZE,
        );
        let tree = parser().parse(&text, None).expect("parse");
        let (mut change, mut edit, _) = insertion(&doc, at);
        change.text = "l".to_string();
        edit.new_end_byte = at + 1;
        let new_text = format!("{}l{}", &text[..at], &text[at..]);
        Typing {
            doc,
            tree,
            change,
            edit,
            new_text,
        }
    }
}

/// A one-character insertion at `offset`: the protocol change and tree-sitter's edit.
fn insertion(doc: &Document, offset: usize) -> (Change, InputEdit, String) {
    let snap = doc.snapshot();
    let pos = position_at(&snap.rope, offset, Encoding::Utf16);
    let change = Change {
        range: Some((pos, pos)),
        text: "x".to_string(),
    };
    let point = Point::new(pos.line as usize, pos.character as usize);
    let edit = InputEdit {
        start_byte: offset,
        old_end_byte: offset,
        new_end_byte: offset + 1,
        start_position: point,
        old_end_position: point,
        new_end_position: Point::new(point.row, point.column + 1),
    };
    let text = doc.text();
    let new_text = format!("{}x{}", &text[..offset], &text[offset..]);
    (change, edit, new_text)
}

/// The deletion of the one character at `offset` (undoing [`insertion`]).
fn deletion(doc: &Document, offset: usize) -> Change {
    let snap = doc.snapshot();
    let pos = position_at(&snap.rope, offset, Encoding::Utf16);
    let end = position_at(&snap.rope, offset + 1, Encoding::Utf16);
    Change {
        range: Some((pos, end)),
        text: String::new(),
    }
}

/// A document of `input`'s text with its model built, that nothing else holds.
fn document_alone(input: &Input) -> Document {
    let doc = Document::new(
        &input.uri,
        Some(Lang::TypeScript),
        1,
        input.text.clone(),
        MAX_SIZE,
    );
    reindex(&input.index, &input.path, &doc);
    doc
}

/// `n` keystrokes on `doc`, alternately the insertion at `offset` and its deletion, each handled as the server
/// does; the time of the keystrokes alone.
fn keystrokes_alone(
    input: &Input,
    doc: &mut Document,
    offset: usize,
    n: u64,
    opts: &Options,
) -> Duration {
    let (insert, _, _) = insertion(doc, offset);
    let delete = {
        let mut d = doc.clone();
        d.apply(
            d.version() + 1,
            std::slice::from_ref(&insert),
            Encoding::Utf16,
        )
        .expect("apply");
        deletion(&d, offset)
    };
    let mut total = Duration::ZERO;
    for i in 0..n {
        let change = if i % 2 == 0 { &insert } else { &delete };
        let started = std::time::Instant::now();
        black_box(did_change(&input.index, &input.path, doc, change, opts));
        total += started.elapsed();
    }
    total
}

fn parser() -> Parser {
    let mut p = Parser::new();
    p.set_language(&Lang::TypeScript.language())
        .expect("TypeScript grammar");
    p
}

/// The first occurrence of `needle` at or after fraction `f` of the text (else the last one before),
/// plus `delta`.
fn offset_of(text: &str, needle: &str, f: f64, delta: usize) -> usize {
    let from = (text.len() as f64 * f) as usize;
    text[from..]
        .find(needle)
        .map(|i| from + i)
        .or_else(|| text.rfind(needle))
        .map(|i| i + delta)
        .unwrap_or_else(|| panic!("{needle:?} not in the file"))
}

const POSITIONS: [(&str, f64); 3] = [("start", 0.0), ("middle", 0.5), ("end", 0.97)];

fn bench_size(c: &mut Criterion, size: Size) {
    let input = Input::new(size);
    let opts = Options::default();
    let mut g = c.benchmark_group(size.name());
    if size == Size::Large {
        g.sample_size(20);
        g.measurement_time(Duration::from_secs(5));
    }

    let mut p = parser();
    let tree: Tree = p.parse(&input.text, None).expect("parse");

    g.bench_function("ts_parse_full", |b| {
        b.iter(|| p.parse(black_box(&input.text), None))
    });

    // the scan for TypeScript the grammar does not know, run on every keystroke that leaves a syntax error
    g.bench_function("mask_grammar_gaps", |b| {
        b.iter(|| amplify_lsp::syntax::mask_grammar_gaps(black_box(&input.text)).len())
    });

    g.bench_function("full_analysis", |b| {
        b.iter_batched(
            || input.text.clone(),
            |text| {
                let doc = Document::new(&input.uri, Some(Lang::TypeScript), 1, text, MAX_SIZE);
                reindex(&input.index, &input.path, &doc);
                diagnostics(&input.index, &input.path, &doc, &opts)
            },
            BatchSize::LargeInput,
        )
    });

    let snap = input.doc.snapshot();
    g.bench_function("file_model", |b| {
        b.iter(|| analysis::file_model(black_box(&snap)))
    });
    let file = analysis::file_model(&snap).expect("file model");
    let facts = input.index.facts(Some(&input.path), None);
    g.bench_function("diagnostics", |b| {
        b.iter(|| analysis::diagnostics_for(black_box(&snap), &file, &facts, &opts))
    });

    for (name, f) in POSITIONS {
        let offset = gen::key_end_at(&input.text, f);
        let (change, edit, new_text) = insertion(&input.doc, offset);
        g.bench_function(format!("ts_reparse_{name}"), |b| {
            b.iter_batched(
                || {
                    let mut t = tree.clone();
                    t.edit(&edit);
                    t
                },
                |old| p.parse(black_box(&new_text), Some(&old)),
                BatchSize::SmallInput,
            )
        });
        g.bench_function(format!("keystroke_{name}"), |b| {
            b.iter_batched(
                || input.doc.clone(),
                |mut doc| {
                    let n = did_change(&input.index, &input.path, &mut doc, &change, &opts);
                    (doc, n)
                },
                BatchSize::SmallInput,
            )
        });
    }
    let offset = gen::key_end_at(&input.text, 0.5);
    let mut alone = document_alone(&input);
    g.bench_function("keystroke_middle_alone", |b| {
        b.iter_custom(|n| keystrokes_alone(&input, &mut alone, offset, n, &opts))
    });
    drop(alone);
    // Mid-typing: a model half typed into the middle of the schema (`.model({` unclosed), the next character.
    let typing = Typing::new(&input);
    g.bench_function("ts_reparse_typing", |b| {
        b.iter_batched(
            || {
                let mut t = typing.tree.clone();
                t.edit(&typing.edit);
                t
            },
            |old| p.parse(black_box(&typing.new_text), Some(&old)),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("keystroke_typing", |b| {
        b.iter_batched(
            || typing.doc.clone(),
            |mut doc| {
                let n = did_change(&input.index, &input.path, &mut doc, &typing.change, &opts);
                (doc, n)
            },
            BatchSize::SmallInput,
        )
    });
    // Leave the index as `didOpen` left it.
    reindex(&input.index, &input.path, &input.doc);

    let copts = completion::CompletionOptions::default();
    let at = offset_of(&input.text, "allow.", 0.5, "allow.".len());
    let check = completion::completion(&input.text, Some(&file), &facts, at, &copts);
    assert!(!check.is_empty(), "no completion at the bench position");
    g.bench_function("completion", |b| {
        b.iter(|| {
            let snap = input.doc.snapshot();
            let file = snap.file_model();
            let facts = input.index.facts(Some(&input.path), None);
            completion::completion(&snap.text, file.as_deref(), &facts, black_box(at), &copts)
        })
    });

    let at = offset_of(&input.text, ".model(", 0.5, 2);
    assert!(
        hover::hover(&input.text, Some(&file), at, "react").is_some(),
        "no hover at the bench position"
    );
    g.bench_function("hover", |b| {
        b.iter(|| {
            let snap = input.doc.snapshot();
            let file = snap.file_model();
            hover::hover(&snap.text, file.as_deref(), black_box(at), "react")
        })
    });
    g.finish();
    drop(input);
}

/// `AMPLIFY_BENCH_COUNT=<size>/<op>:<n>` runs one operation `n` times and nothing else, for instruction
/// counts that machine load does not disturb: compare `perf stat -e instructions:u` (or
/// `valgrind --tool=callgrind`) of `n` = 0 and `n` > 0. Operations: `file_model`, `diagnostics`,
/// `keystroke_middle`, `keystroke_middle_alone`, `ts_reparse_middle`, `keystroke_typing`, `ts_reparse_typing`,
/// `full_analysis`, `completion`, `hover`.
fn count_mode(spec: &str) {
    let (what, n) = spec.split_once(':').unwrap_or((spec, "1"));
    let n: usize = n.parse().expect("AMPLIFY_BENCH_COUNT: <size>/<op>:<n>");
    let (size, op) = what
        .split_once('/')
        .expect("AMPLIFY_BENCH_COUNT: <size>/<op>:<n>");
    let size = Size::parse(size).expect("size: starter, mid or large");
    let input = Input::new(size);
    let opts = Options::default();
    let snap = input.doc.snapshot();
    let file = analysis::file_model(&snap).expect("file model");
    let facts = input.index.facts(Some(&input.path), None);
    let offset = gen::key_end_at(&input.text, 0.5);
    let (change, edit, new_text) = insertion(&input.doc, offset);
    let mut p = parser();
    let tree = p.parse(&input.text, None).expect("parse");
    let copts = completion::CompletionOptions::default();
    let typing = Typing::new(&input);
    if op == "keystroke_middle_alone" {
        let mut doc = document_alone(&input);
        // one keystroke first, so that every one counted finds an owned cache (the first finds the open's)
        keystrokes_alone(&input, &mut doc, offset, 1, &opts);
        keystrokes_alone(&input, &mut doc, offset, n as u64, &opts);
        return;
    }
    for _ in 0..n {
        match op {
            "file_model" => drop(black_box(analysis::file_model(&snap))),
            "diagnostics" => drop(black_box(analysis::diagnostics_for(
                &snap, &file, &facts, &opts,
            ))),
            "keystroke_middle" => {
                let mut doc = input.doc.clone();
                black_box(did_change(
                    &input.index,
                    &input.path,
                    &mut doc,
                    &change,
                    &opts,
                ));
            }
            "full_analysis" => {
                let doc = document_alone(&input);
                black_box(diagnostics(&input.index, &input.path, &doc, &opts));
            }
            "ts_reparse_middle" => {
                let mut old = tree.clone();
                old.edit(&edit);
                drop(black_box(p.parse(&new_text, Some(&old))));
            }
            "ts_reparse_typing" => {
                let mut old = typing.tree.clone();
                old.edit(&typing.edit);
                drop(black_box(p.parse(&typing.new_text, Some(&old))));
            }
            "keystroke_typing" => {
                let mut doc = typing.doc.clone();
                black_box(did_change(
                    &input.index,
                    &input.path,
                    &mut doc,
                    &typing.change,
                    &opts,
                ));
            }
            "completion" => {
                let at = offset_of(&input.text, "allow.", 0.5, "allow.".len());
                let facts = input.index.facts(Some(&input.path), None);
                drop(black_box(completion::completion(
                    &input.text,
                    Some(&file),
                    &facts,
                    at,
                    &copts,
                )));
            }
            "hover" => {
                let at = offset_of(&input.text, ".model(", 0.5, 2);
                drop(black_box(hover::hover(
                    &input.text,
                    Some(&file),
                    at,
                    "react",
                )));
            }
            other => panic!("unknown operation {other}"),
        }
    }
}

fn main() {
    if let Ok(spec) = std::env::var("AMPLIFY_BENCH_COUNT") {
        count_mode(&spec);
        return;
    }
    let started = SystemTime::now();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
        .configure_from_args();
    for size in Size::ALL {
        bench_size(&mut c, size);
    }
    c.final_summary();
    summary(started);
}

/// Criterion's output folder (where it writes `<group>/<bench>/new/estimates.json`).
fn criterion_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return Some(PathBuf::from(home));
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return Some(PathBuf::from(target).join("criterion"));
    }
    // target/<profile>/deps/<this bench>
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.parent()?.parent()?.join("criterion"))
}

/// The median (ns) of a bench measured by this run.
fn median_ns(dir: &Path, group: &str, bench: &str, since: SystemTime) -> Option<f64> {
    let file = dir
        .join(group)
        .join(bench)
        .join("new")
        .join("estimates.json");
    let modified = std::fs::metadata(&file).ok()?.modified().ok()?;
    if modified < since {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.1} µs", ns / 1e3)
    }
}

fn summary(since: SystemTime) {
    let Some(dir) = criterion_dir() else { return };
    let rows: Vec<String> = [
        "ts_parse_full",
        "full_analysis",
        "file_model",
        "diagnostics",
        "ts_reparse_start",
        "keystroke_start",
        "ts_reparse_middle",
        "keystroke_middle",
        "keystroke_middle_alone",
        "ts_reparse_end",
        "keystroke_end",
        "ts_reparse_typing",
        "keystroke_typing",
        "completion",
        "hover",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(
        POSITIONS
            .iter()
            .map(|(p, _)| format!("keystroke_{p} / ts_reparse_{p}"))
            .chain(
                [
                    "keystroke_middle_alone / ts_reparse_middle",
                    "keystroke_typing / ts_reparse_typing",
                ]
                .map(String::from),
            ),
    )
    .chain(std::iter::once("full_analysis / ts_parse_full".to_string()))
    .collect();
    let get = |size: Size, bench: &str| median_ns(&dir, size.name(), bench, since);
    let mut any = false;
    let mut out =
        String::from("\nmedians of this run\n\n| | starter | mid | large |\n|---|---|---|---|\n");
    for row in rows {
        let cells: Vec<String> = Size::ALL
            .iter()
            .map(|&size| match row.split_once(" / ") {
                Some((a, b)) => match (get(size, a), get(size, b)) {
                    (Some(a), Some(b)) => format!("{:.1}×", a / b),
                    _ => "–".to_string(),
                },
                None => get(size, &row).map_or("–".to_string(), |ns| {
                    any = true;
                    fmt_ns(ns)
                }),
            })
            .collect();
        out.push_str(&format!("| {row} | {} |\n", cells.join(" | ")));
    }
    if any {
        println!("{out}");
    }
}
