//! `amplify-lsp check`: the same analysis as the editor gets, as a command-line linter for CI.

mod report;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::analysis::{self, Diagnostic, Options, Severity};
use crate::syntax::Lang;
use crate::workspace::{Document, Snapshot};

pub use report::Format;

/// Files above this size are skipped (with a note on stderr).
const MAX_FILE_SIZE: usize = 5 * 1024 * 1024;

/// One file's findings.
pub struct FileReport {
    pub path: PathBuf,
    pub snapshot: Snapshot,
    pub diagnostics: Vec<Diagnostic>,
}

/// Finds the TypeScript and JavaScript files under `paths` that may be Amplify backend or frontend files (files
/// are taken as given; folders are walked, skipping
/// `node_modules`, `.amplify` and whatever `.gitignore` ignores).
pub fn collect_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_file() {
            files.push(path.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            .hidden(false)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .require_git(false)
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                !(name == "node_modules" || name == ".amplify" || name == ".git")
            })
            .build();
        for entry in walker.flatten() {
            let p = entry.path();
            if entry.file_type().is_some_and(|t| t.is_file())
                && Lang::from_frontend_path(&p.to_string_lossy()).is_some()
            {
                files.push(p.to_path_buf());
            }
        }
    }
    files.sort();
    files.dedup();
    files
}

/// Analyses the files and returns the reports of Amplify files, in path order.
pub fn analyse(files: &[PathBuf], opts: &Options) -> Vec<FileReport> {
    let mut reports = Vec::new();
    let index = crate::workspace::ProjectIndex::new();
    for path in files {
        // A project file is read only inside its project; a file named on its own, inside its folder.
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        let root = crate::workspace::index::root_of(&abs)
            .or_else(|| abs.parent().map(std::path::Path::to_path_buf))
            .unwrap_or_default();
        let text = match crate::workspace::fs::read_project_file(&abs, &root, MAX_FILE_SIZE as u64)
        {
            Ok(text) => text,
            Err(why) => {
                eprintln!("amplify-lsp: skipping {}: {why}", path.display());
                continue;
            }
        };
        let display = path.to_string_lossy();
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        let doc = Document::new(
            &abs.to_string_lossy(),
            Lang::from_frontend_path(&display),
            0,
            text,
            MAX_FILE_SIZE,
        );
        let snapshot = doc.snapshot();
        if !snapshot.amplify && !snapshot.frontend {
            continue;
        }
        let Some(file) = analysis::file_model(&snapshot) else {
            // not parsed: say so rather than report the file clean
            if let Some(notice) = analysis::diagnostics::unparsed_notice(&snapshot, opts) {
                reports.push(FileReport {
                    path: path.clone(),
                    snapshot,
                    diagnostics: vec![notice],
                });
            }
            continue;
        };
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        // frontend code reads the project's facts and adds nothing to them
        let facts = if snapshot.frontend {
            index.facts(Some(&abs), None)
        } else {
            let summary = crate::model::project::Summary {
                path: Some(abs.clone()),
                ..crate::model::project::Summary::of(&file)
            };
            index.facts(Some(&abs), Some(&summary))
        };
        let diagnostics = analysis::diagnostics_for(&snapshot, &file, &facts, opts);
        reports.push(FileReport {
            path: path.clone(),
            snapshot,
            diagnostics,
        });
    }
    reports
}

/// Runs the checker and prints the report; returns the exit code (1 when any error was found).
pub fn run(paths: &[PathBuf], format: Format, out: &mut dyn std::io::Write) -> Result<i32> {
    let paths: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    for p in &paths {
        if !p.exists() {
            anyhow::bail!("{}: no such file or directory", p.display());
        }
    }
    let opts = Options {
        syntax_errors: true,
        ..Options::default()
    };
    let files = collect_files(&paths);
    let reports = analyse(&files, &opts);
    report::write(&reports, format, out).context("writing the report")?;
    let errors = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| d.severity == Severity::Error);
    Ok(i32::from(errors))
}

/// A path as printed: relative to the current directory when possible.
pub fn display_path(p: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd
        .as_deref()
        .and_then(|c| p.strip_prefix(c).ok())
        .unwrap_or(p);
    // `check .` walks `./amplify/...`: shown as `amplify/...`, the form code scanning expects in SARIF
    let shown = shown.strip_prefix(".").unwrap_or(shown);
    shown.to_string_lossy().replace('\\', "/")
}
