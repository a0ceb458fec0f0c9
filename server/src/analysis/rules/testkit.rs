//! Test helpers shared by the rule modules: parse a snippet, run a rule, build project facts from fixtures.

use std::path::{Path, PathBuf};

use crate::analysis::rules::RuleCtx;
use crate::analysis::{Diagnostic, Severity};
use crate::model::file::FileModel;
use crate::model::project::{ProjectFacts, Summary};
use crate::syntax::{parse, Lang};

pub type Check = fn(&RuleCtx, &mut Vec<Diagnostic>);

pub fn model(src: &str) -> FileModel {
    let tree = parse(src, Lang::TypeScript, None).expect("parse");
    FileModel::build(&tree, src, Lang::TypeScript)
}

/// Facts for a complete project, with or without auth and with these groups and buckets.
pub fn facts(has_auth: bool, groups: &[&str]) -> ProjectFacts {
    ProjectFacts {
        has_auth,
        auth_groups: groups.iter().map(|g| g.to_string()).collect(),
        auth_groups_known: true,
        complete: true,
        ..ProjectFacts::default()
    }
}

pub fn run_with(
    check: Check,
    src: &str,
    path: Option<&Path>,
    project: &ProjectFacts,
) -> Vec<Diagnostic> {
    run_on(check, src, &model(src), path, project)
}

/// A rule's findings in a file whose model is built.
fn run_on(
    check: Check,
    src: &str,
    file: &FileModel,
    path: Option<&Path>,
    project: &ProjectFacts,
) -> Vec<Diagnostic> {
    let cx = RuleCtx {
        src,
        file,
        path,
        project,
    };
    let mut out = Vec::new();
    check(&cx, &mut out);
    out
}

/// [`run_with`] on the model the server builds for a document (with the lowering cache, whose long entries
/// rules may pass over), after checking that it finds what a model built without the cache finds.
pub fn run_cached(check: Check, src: &str, project: &ProjectFacts) -> Vec<Diagnostic> {
    let tree = parse(src, Lang::TypeScript, None).expect("parse");
    let file = FileModel::build_incremental(&tree, src, Lang::TypeScript, None);
    assert!(
        !file.lowered.is_empty(),
        "no entry is long enough for the cache"
    );
    let out = run_on(check, src, &file, None, project);
    assert_eq!(out, run_with(check, src, None, project), "cached vs. fresh");
    out
}

/// Calls `each` with the index, text and file model of each version of one document, each model built as the
/// server builds it: from the lowering cache of the version before (so rules may take what they kept for it).
pub fn each_version(versions: &[String], mut each: impl FnMut(usize, &str, &FileModel)) {
    let mut prev: Option<FileModel> = None;
    for (n, src) in versions.iter().enumerate() {
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        let file = FileModel::build_incremental(
            &tree,
            src,
            Lang::TypeScript,
            prev.as_ref().map(|p| &*p.lowered),
        );
        each(n, src, &file);
        prev = Some(file);
    }
}

/// The text a diagnostic covers.
pub fn covered<'a>(src: &'a str, d: &Diagnostic) -> &'a str {
    &src[d.span.start..d.span.end]
}

/// (code, covered text) of each diagnostic.
pub fn found<'a>(src: &'a str, diags: &[Diagnostic]) -> Vec<(&'static str, &'a str)> {
    diags.iter().map(|d| (d.code, covered(src, d))).collect()
}

pub fn line_of(src: &str, offset: usize) -> usize {
    src[..offset.min(src.len())].matches('\n').count() + 1
}

fn ts_files(dir: &Path, acc: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            ts_files(&p, acc);
        } else if p.extension().is_some_and(|e| e == "ts") {
            acc.push(p);
        }
    }
}

pub fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/projects")
}

/// One diagnostic of a fixture run: file (relative to the project), line, code, severity.
pub type Found = (String, usize, &'static str, Severity);

/// Runs `check` over every `.ts` file of a project, with facts built from all of them.
pub fn run_project(check: Check, root: &Path) -> Vec<Found> {
    let mut files = Vec::new();
    ts_files(root, &mut files);
    let sources: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|p| {
            let s = std::fs::read_to_string(&p).expect("read fixture");
            (p, s)
        })
        .collect();
    let models: Vec<FileModel> = sources.iter().map(|(_, s)| model(s)).collect();
    let summaries: Vec<Summary> = models
        .iter()
        .zip(&sources)
        .map(|(m, (p, _))| Summary {
            path: Some(p.clone()),
            ..Summary::of(m)
        })
        .collect();
    let project = ProjectFacts::from_summaries(Some(root.to_path_buf()), &summaries);
    let mut found = Vec::new();
    for ((path, src), file) in sources.iter().zip(&models) {
        let cx = RuleCtx {
            src,
            file,
            path: Some(path),
            project: &project,
        };
        let mut out = Vec::new();
        check(&cx, &mut out);
        // as the server does for a file that no `defineBackend` reaches
        if project.is_unreached(path) {
            crate::analysis::diagnostics::not_deployed(&mut out);
        }
        let rel = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        for d in out {
            found.push((rel.clone(), line_of(src, d.span.start), d.code, d.severity));
        }
    }
    found
}

/// The `// expect: a, b` marks of a project: (file, line, code).
pub fn expectations(root: &Path) -> Vec<(String, usize, String)> {
    let mut files = Vec::new();
    ts_files(root, &mut files);
    let mut out = Vec::new();
    for p in files {
        let src = std::fs::read_to_string(&p).expect("read fixture");
        let rel = p.strip_prefix(root).unwrap_or(&p).display().to_string();
        for (i, line) in src.lines().enumerate() {
            if let Some((_, codes)) = line.split_once("// expect:") {
                for code in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                    out.push((rel.clone(), i + 1, code.to_string()));
                }
            }
        }
    }
    out
}

/// The fixture projects under `rules/` for these categories: (name like `storage__x/bad`, path).
pub fn rule_fixtures(prefixes: &[&str]) -> Vec<(String, PathBuf)> {
    let base = fixtures_root().join("rules");
    let mut out = Vec::new();
    let Ok(rules) = std::fs::read_dir(&base) else {
        return out;
    };
    let mut rules: Vec<PathBuf> = rules.filter_map(Result::ok).map(|e| e.path()).collect();
    rules.sort();
    for rule in rules {
        let Some(name) = rule
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if !prefixes.iter().any(|p| name.starts_with(p)) {
            continue;
        }
        let Ok(variants) = std::fs::read_dir(&rule) else {
            continue;
        };
        let mut variants: Vec<PathBuf> =
            variants.filter_map(Result::ok).map(|e| e.path()).collect();
        variants.sort();
        for v in variants.into_iter().filter(|v| v.is_dir()) {
            let vname = v
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            out.push((format!("{name}/{vname}"), v));
        }
    }
    out
}

pub fn valid_projects() -> Vec<(String, PathBuf)> {
    let base = fixtures_root().join("valid");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&base)
        .map(|it| {
            it.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .map(|p| {
                    (
                        p.file_name()
                            .and_then(|n| n.to_str())
                            .unwrap_or_default()
                            .to_string(),
                        p,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Checks a module against the rule fixtures and the valid projects:
/// * in `bad*` fixtures, every expected code the module owns is found on its line, and the module
///   reports no error or warning on a line that expects nothing of it;
/// * `ok*` fixtures and valid projects get no errors or warnings from the module.
///
/// `owned(fixture, file, code)` says which expected codes belong to the module; `skip` lists fixtures
/// whose marks disagree with the synth tool's verdict (see the comments where it is called). Returns how
/// many projects ran.
pub fn check_fixtures(
    check: Check,
    prefixes: &[&str],
    owned: &dyn Fn(&str, &str, &str) -> bool,
    skip: &[&str],
) -> usize {
    let mut problems = Vec::new();
    let mut ran = 0;
    for (name, dir) in rule_fixtures(prefixes) {
        if skip.contains(&name.as_str()) {
            continue;
        }
        ran += 1;
        let found = run_project(check, &dir);
        let variant = name.rsplit('/').next().unwrap_or_default();
        if variant.starts_with("bad") {
            let expected: Vec<_> = expectations(&dir)
                .into_iter()
                .filter(|(file, _, code)| owned(&name, file, code))
                .collect();
            for (file, line, code) in &expected {
                if !found
                    .iter()
                    .any(|(f, l, c, _)| f == file && l == line && c == code)
                {
                    problems.push(format!(
                        "{name}: expected {code} at {file}:{line}, found {found:?}"
                    ));
                }
            }
            for (file, line, code, sev) in &found {
                let serious = matches!(sev, Severity::Error | Severity::Warning);
                if serious
                    && !expected
                        .iter()
                        .any(|(f, l, c)| f == file && l == line && c == code)
                {
                    problems.push(format!(
                        "{name}: unexpected {code} ({sev:?}) at {file}:{line}"
                    ));
                }
            }
        } else {
            // a near miss may mark a warning that comes with it (`// expect:`), as the fixture corpus allows
            let marked = expectations(&dir);
            for (file, line, code, sev) in &found {
                let expected = marked
                    .iter()
                    .any(|(f, l, c)| f == file && l == line && c == code);
                if matches!(sev, Severity::Error | Severity::Warning) && !expected {
                    problems.push(format!(
                        "{name}: {code} ({sev:?}) at {file}:{line} in a valid fixture"
                    ));
                }
            }
        }
    }
    for (name, dir) in valid_projects() {
        ran += 1;
        for (file, line, code, sev) in run_project(check, &dir) {
            if matches!(sev, Severity::Error | Severity::Warning) {
                problems.push(format!("valid/{name}: {code} ({sev:?}) at {file}:{line}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    ran
}
