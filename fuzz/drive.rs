//! The fuzzing driver shared by the cargo-fuzz target (`fuzz/fuzz_targets/analysis.rs`) and the proptest
//! suite that runs in CI (`tests/tests/fuzz_analysis.rs`, which includes this file with `#[path]`): one
//! text through every analysis entry point, with checks on what comes back. Depends on `amplify_lsp` only.

use std::path::Path;
use std::time::{Duration, Instant};

use amplify_lsp::analysis::{self, actions, completion, hover, navigate, symbols, Options};
use amplify_lsp::model::context::cursor_at;
use amplify_lsp::model::project::{ProjectFacts, Summary};
use amplify_lsp::syntax::Lang;
use amplify_lsp::text::Span;
use amplify_lsp::workspace::Document;

/// The most any one input may take through every entry point (debug build, shared CI machine).
pub const BUDGET: Duration = Duration::from_secs(20);

/// Checks a span returned for `text`.
fn check_span(what: &str, text: &str, s: Span) {
    assert!(
        s.start <= s.end && s.end <= text.len(),
        "{what}: span {s:?} outside the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
        "{what}: span {s:?} splits a character"
    );
}

/// The offsets to probe: every character boundary of short texts; otherwise a spread sample plus the places
/// right after punctuation that completion reacts to.
fn offsets(text: &str, salt: usize) -> Vec<usize> {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    if bounds.len() <= 160 {
        return bounds;
    }
    let mut out: Vec<usize> = (0..40)
        .map(|k| bounds[(k * bounds.len() / 40 + salt) % bounds.len()])
        .collect();
    let mut triggers: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| matches!(c, '.' | '(' | '{' | '\'' | '"' | ':' | '[' | ','))
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    if !triggers.is_empty() {
        let step = (triggers.len() / 24).max(1);
        triggers = triggers
            .into_iter()
            .skip(salt % step)
            .step_by(step)
            .collect();
        out.extend(triggers);
    }
    out.push(0);
    out.push(text.len());
    out.sort_unstable();
    out.dedup();
    out
}

/// What one run produced, to check the fuzzing is not vacuous.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub diagnostics: usize,
    pub completions: usize,
    pub hovers: usize,
    pub actions: usize,
    pub symbols: usize,
    pub definitions: usize,
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, o: Stats) {
        self.diagnostics += o.diagnostics;
        self.completions += o.completions;
        self.hovers += o.hovers;
        self.actions += o.actions;
        self.symbols += o.symbols;
        self.definitions += o.definitions;
    }
}

/// Runs `text` (as the file at `path`) through every analysis entry point. Panics on a crash, an invalid
/// span, or when it takes longer than [`BUDGET`].
pub fn exercise(path: &Path, text: &str, salt: usize) -> Stats {
    let mut stats = Stats::default();
    let started = Instant::now();
    let mut stages: Vec<(&str, Duration)> = Vec::new();
    let mut lap = Instant::now();
    let mut stage = |name: &'static str| {
        stages.push((name, lap.elapsed()));
        lap = Instant::now();
    };
    let path_str = path.to_string_lossy().replace('\\', "/");
    let uri = format!("file://{path_str}");
    let lang = Lang::from_path(&path_str).unwrap_or(Lang::TypeScript);
    let doc = Document::new(&uri, Some(lang), 1, text.to_string(), 5 * 1024 * 1024);
    let snap = doc.snapshot();
    let file = analysis::file_model(&snap);
    let summary = file.as_ref().map(Summary::of).unwrap_or_default();
    let root = path
        .ancestors()
        .find(|p| p.file_name().is_some_and(|n| n == "amplify"))
        .and_then(Path::parent)
        .map(Path::to_path_buf);
    let facts = ProjectFacts::from_summaries(root.clone(), [&summary]);
    stage("parse and model");
    let opts = Options {
        syntax_errors: true,
        docs_platform: "react".to_string(),
    };

    // Diagnostics, with complete and with unknown project facts.
    let mut diags = Vec::new();
    if let Some(f) = &file {
        diags = analysis::diagnostics_for(&snap, f, &facts, &opts);
        stats.diagnostics += diags.len();
        for d in &diags {
            check_span(d.code, text, d.span);
            for r in &d.related {
                if r.uri.is_none() {
                    check_span(d.code, text, r.span);
                }
            }
        }
        analysis::diagnostics_for(&snap, f, &ProjectFacts::default(), &opts);
    }

    stage("diagnostics");

    // Completion and hover.
    let copts = completion::CompletionOptions {
        snippets: salt & 1 == 0,
        docs_platform: "react".to_string(),
        hide_typed: salt & 2 != 0,
        // the recent types of the server: sometimes those of this very text
        recent_types: (salt & 4 != 0).then(|| analysis::lookup::RecentTypes {
            text: std::sync::Arc::new(text.to_string()),
            types: analysis::lookup::schema_types(file.as_ref())
                .map(|(name, model)| (name.to_string(), model))
                .collect(),
        }),
    };
    let probes = offsets(text, salt);
    for &off in &probes {
        cursor_at(text, off);
        for item in completion::completion(text, file.as_ref(), &facts, off, &copts) {
            check_span("completion", text, item.replace);
            stats.completions += 1;
        }
        if let Some(h) = hover::hover(text, file.as_ref(), off, "react") {
            check_span("hover", text, h.span);
            stats.hovers += 1;
        }
    }

    stage("completion and hover");
    let Some(file) = &file else {
        return stats;
    };

    // Code actions over a few ranges, each listed action computed.
    let read = |p: &Path| std::fs::read_to_string(p).ok();
    let env = actions::Env {
        read: &read,
        can_create_files: true,
        frontend_files: &Vec::new,
    };
    let input = actions::Input {
        src: text,
        file,
        tree: snap.tree.as_ref(),
        path: Some(path),
        project: &facts,
        diagnostics: &diags,
    };
    let mut ranges: Vec<Span> = diags.iter().map(|d| d.span).take(8).collect();
    ranges.push(Span::new(0, text.len()));
    for k in 0..4 {
        let a = probes[(salt + k * 7) % probes.len()];
        let b = probes[(salt + k * 13 + 3) % probes.len()];
        ranges.push(Span::new(a.min(b), a.max(b)));
    }
    for range in ranges {
        for action in actions::list(&input, range, &env, &|_| true) {
            stats.actions += 1;
            if let Some(change) = actions::compute(&input, range, &action.id, &env) {
                for e in &change.edits {
                    check_span("code action edit", text, e.span);
                }
            }
        }
    }

    stage("code actions");

    // Symbols, lenses, hints.
    stats.symbols += symbols::flatten(&symbols::document_symbols(text, file, Some(path))).len();
    symbols::code_lenses(file);
    symbols::inlay_hints(file, &facts);

    stage("symbols");

    // Navigation in a one-file project.
    if let Some(tree) = snap.tree.clone() {
        let project = navigate::Project {
            root,
            files: vec![navigate::ProjectFile::from_tree(
                path.to_path_buf(),
                text.to_string(),
                tree,
                lang,
            )],
        };
        for &off in probes.iter().step_by(4) {
            if let Some((sp, targets)) = navigate::definition(&project, 0, off) {
                stats.definitions += 1;
                check_span("definition", text, sp);
                for t in targets.iter().filter(|t| t.path == path) {
                    check_span("definition target", text, t.span);
                }
            }
            for t in navigate::references(&project, 0, off, true) {
                if t.path == path {
                    check_span("reference", text, t.span);
                }
            }
            if let Ok(plan) = navigate::prepare_rename(&project, 0, off) {
                check_span("prepare rename", text, plan.span);
                if let Ok(edits) = navigate::rename(&project, 0, off, "Renamed_1") {
                    for (_, sp, _) in edits {
                        check_span("rename edit", text, sp);
                    }
                }
            }
        }
    }

    stage("navigation");
    if std::env::var_os("AMPLIFY_FUZZ_TIMING").is_some() {
        eprintln!("{} bytes: {stages:?}", text.len());
    }
    assert!(
        started.elapsed() < BUDGET,
        "{} bytes took {:?}: {stages:?}",
        text.len(),
        started.elapsed()
    );
    stats
}
