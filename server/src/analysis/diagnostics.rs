//! Diagnostics as plain data, and the entry point that runs every rule on a snapshot.

use super::rules::{self, RuleCtx};
use super::Options;
use crate::model::file::FileModel;
use crate::model::mentions::{Word, IGNORE_MARK};
use crate::model::project::ProjectFacts;
use crate::syntax::syntax_errors;
use crate::text::Span;
use crate::workspace::Snapshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "info",
            Severity::Hint => "hint",
        }
    }
}

/// A second place that matters to a diagnostic (the other side of a relationship, a conflicting path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// `None` for the same document.
    pub uri: Option<String>,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub span: Span,
    pub severity: Severity,
    /// A stable code such as `storage/path-wildcard`.
    pub code: &'static str,
    pub message: String,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn new(
        span: Span,
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            span,
            severity,
            code,
            message: message.into(),
            related: Vec::new(),
        }
    }
}

/// The most syntax errors reported for one file.
const MAX_SYNTAX_ERRORS: usize = 50;

/// Every diagnostic for one document.
pub fn diagnostics(snap: &Snapshot, project: &ProjectFacts, opts: &Options) -> Vec<Diagnostic> {
    match file_model(snap) {
        Some(file) => diagnostics_for(snap, &file, project, opts),
        None => Vec::new(),
    }
}

/// The code of the notice for a file the parser gave up on.
pub const PARSE_ABANDONED: &str = "syntax/parse-abandoned";

/// For an Amplify file that should have been parsed but was not (tree-sitter's error recovery ran past its
/// budget, see [`crate::syntax::parse_budget`]): one finding at the top of the file, so that an empty list of
/// diagnostics is not mistaken for a clean file. The file certainly has syntax errors, so it is an error where
/// syntax errors are reported (`check`, or the `syntaxErrors` setting), else a warning.
pub fn unparsed_notice(snap: &Snapshot, opts: &Options) -> Option<Diagnostic> {
    if !snap.amplify || snap.too_large || snap.lang.is_none() || snap.tree.is_some() {
        return None;
    }
    Some(Diagnostic::new(
        Span::new(0, 0),
        if opts.syntax_errors {
            Severity::Error
        } else {
            Severity::Warning
        },
        PARSE_ABANDONED,
        "this file was not checked: the TypeScript parser could not recover from its syntax errors in time. \
         Look for an unclosed bracket, string or comment near the last change"
            .to_string(),
    ))
}

/// The file model of an analysable snapshot.
pub fn file_model(snap: &Snapshot) -> Option<FileModel> {
    let (Some(tree), Some(lang)) = (snap.tree.as_ref(), snap.lang) else {
        return None;
    };
    Some(FileModel::build(tree, &snap.analysis_text, lang))
}

/// Every diagnostic for one document whose file model is already built.
pub fn diagnostics_for(
    snap: &Snapshot,
    file: &FileModel,
    project: &ProjectFacts,
    opts: &Options,
) -> Vec<Diagnostic> {
    if snap.frontend {
        return super::frontend::diagnostics(snap, file, project);
    }
    let mut out = Vec::new();
    let Some(tree) = snap.tree.as_ref() else {
        return out;
    };
    // while the guard against error recovery is on, the tree is of the text with the edited region blanked
    let src: &str = &snap.analysis_text;
    if opts.syntax_errors {
        if let Some(note) = &snap.guard {
            for (span, message) in note.errors() {
                out.push(Diagnostic::new(
                    span,
                    Severity::Error,
                    "syntax/error",
                    message,
                ));
            }
        }
        for e in syntax_errors(tree, src, MAX_SYNTAX_ERRORS) {
            out.push(Diagnostic::new(
                e.span,
                Severity::Error,
                "syntax/error",
                e.message,
            ));
        }
    }
    let path = uri_to_path(&snap.uri);
    let cx = RuleCtx {
        src,
        file,
        path: path.as_deref(),
        project,
    };
    let from = out.len();
    run_rules(&cx, &mut out);
    if path.as_deref().is_some_and(|p| project.is_unreached(p)) {
        not_deployed(&mut out[from..]);
    }
    // (the model was read from the analysis text: while the guard blanks a region, the marks are looked for in
    // the text as typed)
    if file.mentions.has(Word::IgnoreMark) || snap.guard.is_some() {
        apply_ignore_comments(&snap.text, &mut out);
    }
    out.sort_by_key(|d| (d.span.start, d.span.end, d.code));
    out.dedup();
    out
}

/// A rule module: its name and its check.
pub type RuleModule = (&'static str, fn(&RuleCtx, &mut Vec<Diagnostic>));

/// Every rule module, in the order they run.
pub const RULE_MODULES: &[RuleModule] = &[
    ("shape", rules::shape::check),
    ("backend", rules::backend::check),
    ("security", rules::security::check),
    ("auth", rules::auth::check),
    ("data", rules::data::check),
    ("storage", rules::storage::check),
    ("function", rules::function::check),
    ("xref", rules::xref::check),
    ("migration", rules::migration::check),
];

/// Runs every rule module on one file. Between modules, stops when the work is no longer wanted (see
/// [`crate::cancel`]): the caller then discards the partial list.
pub fn run_rules(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    if cx.src.len() < PARALLEL_RULES_LEN || !run_rules_in_parallel(cx, out) {
        run_rules_in_turn(cx, out);
    }
}

fn run_rules_in_turn(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for (_, check) in RULE_MODULES {
        if crate::cancel::cancelled() {
            return;
        }
        check(cx, out);
    }
}

/// Files at least this long (a schema of a few hundred models) run some rule modules on a second thread while
/// the others run on this one. Below it, starting a thread would cost more than it saves.
const PARALLEL_RULES_LEN: usize = 64 * 1024;

/// The modules of the second thread. In the replay of a 1,000-model schema (profiled, session 8) the data
/// rules take 58% of the rules' time, `xref` 22%, and `shape` and `security` (which pass over the models that
/// hold nothing they look for) the rest: the data rules alone against all the others is the closest split.
const SECOND_THREAD: &[&str] = &["data"];

/// [`run_rules`] with the modules of [`SECOND_THREAD`] on a thread of their own; the findings come out in the
/// same order as when the modules run one after the other. `false` (and nothing done) when no thread could be
/// started.
fn run_rules_in_parallel(cx: &RuleCtx, out: &mut Vec<Diagnostic>) -> bool {
    let second = |i: usize| SECOND_THREAD.contains(&RULE_MODULES[i].0);
    let token = crate::cancel::current();
    std::thread::scope(|s| {
        let spawned = std::thread::Builder::new()
            .name("amplify-lsp-rules".into())
            .spawn_scoped(s, move || {
                crate::cancel::with_current(&token, || {
                    let mut found = Vec::new();
                    for (i, (_, check)) in RULE_MODULES.iter().enumerate() {
                        if second(i) && !crate::cancel::cancelled() {
                            let mut part = Vec::new();
                            check(cx, &mut part);
                            found.push((i, part));
                        }
                    }
                    found
                })
            });
        let Ok(other) = spawned else {
            return false;
        };
        let mut parts: Vec<Vec<Diagnostic>> = Vec::with_capacity(RULE_MODULES.len());
        for (i, (_, check)) in RULE_MODULES.iter().enumerate() {
            let mut found = Vec::new();
            if !second(i) && !crate::cancel::cancelled() {
                check(cx, &mut found);
            }
            parts.push(found);
        }
        match other.join() {
            Ok(found) => {
                for (i, part) in found {
                    parts[i] = part;
                }
            }
            // a panic in those rules is the analysis's panic, as it would be on one thread
            Err(panic) => std::panic::resume_unwind(panic),
        }
        if crate::cancel::cancelled() {
            return true;
        }
        out.extend(parts.into_iter().flatten());
        true
    })
}

/// Codes of type errors: TypeScript reports them when `ampx` type-checks the `amplify` folder, whether or not
/// the file is deployed.
const TYPE_ERRORS: &[&str] = &[
    "shape/wrong-type",
    "shape/missing-required",
    "shape/unknown-property",
    "shape/duplicate-property",
    "shape/invalid-literal",
];

/// In a file that no `defineBackend` reaches, Amplify never runs what the rules check: their errors become
/// warnings that say the file is not deployed.
pub(crate) fn not_deployed(found: &mut [Diagnostic]) {
    for d in found {
        if d.severity != Severity::Error || TYPE_ERRORS.contains(&d.code) {
            continue;
        }
        d.severity = Severity::Warning;
        d.message.push_str(
            " (not deployed as it stands: nothing passed to `defineBackend` imports this file, so Amplify \
             would only refuse it once it is)",
        );
    }
}

/// `// amplify-lsp-ignore-next-line <code> [<code>...]` silences those codes on the next line (all codes when
/// none is named).
pub(crate) fn apply_ignore_comments(src: &str, out: &mut Vec<Diagnostic>) {
    const MARK: &str = IGNORE_MARK;
    if !src.contains(MARK) {
        return;
    }
    // (line start of the silenced line, codes)
    let mut ignores: Vec<(usize, usize, Vec<&str>)> = Vec::new();
    let mut offset = 0;
    let mut pending: Option<Vec<&str>> = None;
    for line in src.split_inclusive('\n') {
        let end = offset + line.len();
        if let Some(codes) = pending.take() {
            ignores.push((offset, end, codes));
        }
        if let Some(i) = line.find(MARK) {
            if line[..i].trim_end().ends_with("//") {
                let rest = &line[i + MARK.len()..];
                pending = Some(
                    rest.split([' ', ',', '\t', '\r', '\n'])
                        .filter(|c| !c.is_empty())
                        .collect(),
                );
            }
        }
        offset = end;
    }
    out.retain(|d| {
        !ignores.iter().any(|(a, b, codes)| {
            d.span.start >= *a && d.span.start < *b && (codes.is_empty() || codes.contains(&d.code))
        })
    });
}

/// The file-system path of a `file://` URI (or of a plain path), percent-decoded.
pub fn uri_to_path(uri: &str) -> Option<std::path::PathBuf> {
    crate::workspace::uri::to_path(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreached_files_report_warnings_that_say_so() {
        let mut found = vec![
            Diagnostic::new(Span::new(0, 1), Severity::Error, "auth/login-required", "x"),
            Diagnostic::new(Span::new(0, 1), Severity::Error, "shape/wrong-type", "y"),
            Diagnostic::new(Span::new(0, 1), Severity::Hint, "data/guest-access", "z"),
        ];
        not_deployed(&mut found);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(found[0].message.contains("not deployed"));
        // a type error stays one (ampx type-checks every file); other severities are kept
        assert_eq!(found[1].severity, Severity::Error);
        assert_eq!(found[2].severity, Severity::Hint);
        assert_eq!(found[2].message, "z");
    }

    #[test]
    fn a_large_file_gets_the_same_findings_with_its_data_rules_on_another_thread() {
        // a schema over the threshold, with findings of the data, security and shape modules
        let mut src = String::from(
            "import { a, defineData } from '@aws-amplify/backend';\n\nconst schema = a.schema({\n",
        );
        let mut i = 0;
        while src.len() < PARALLEL_RULES_LEN + 4096 {
            let extra = if i % 50 == 7 {
                "      kind: a.ref('Missing'),\n"
            } else {
                ""
            };
            src.push_str(&format!(
                "  Model{i}: a\n    .model({{\n      name: a.string(),\n{extra}    }})\n    .authorization((allow) => [allow.publicApiKey()]),\n"
            ));
            // a finding of the `xref` module, beside the data module's
            if i % 50 == 9 {
                src.push_str(&format!(
                    "  q{i}: a.query().returns(a.string()).handler(a.handler.function(42)).authorization((allow) => [allow.publicApiKey()]),\n"
                ));
            }
            i += 1;
        }
        src.push_str("});\n\nexport const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'apiKey', apiKeyAuthorizationMode: { expiresInDays: 400 } } });\n");
        let tree =
            crate::syntax::parse(&src, crate::syntax::Lang::TypeScript, None).expect("parse");
        let file = FileModel::build(&tree, &src, crate::syntax::Lang::TypeScript);
        let project = ProjectFacts::default();
        let cx = RuleCtx {
            src: &src,
            file: &file,
            path: None,
            project: &project,
        };
        let (mut parallel, mut in_turn) = (Vec::new(), Vec::new());
        assert!(run_rules_in_parallel(&cx, &mut parallel));
        run_rules_in_turn(&cx, &mut in_turn);
        let codes: std::collections::BTreeSet<&str> = in_turn.iter().map(|d| d.code).collect();
        assert!(
            codes.len() >= 3
                && codes.iter().any(|c| c.starts_with("data/"))
                && codes.contains("function/not-a-function"),
            "{codes:?}"
        );
        assert_eq!(parallel, in_turn);
    }
}
