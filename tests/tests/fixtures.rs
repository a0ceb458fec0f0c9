//! The synth-labelled fixture corpus through `amplify-lsp check --format json`:
//! - every valid project yields no errors and no warnings except lines marked `// expect:`;
//! - every `rules/<code>/bad*` project yields each code marked `// expect: <code>` on that line;
//! - every `rules/<code>/ok*` near-miss yields no errors.
//!
//! All mismatches are collected and reported together.

use std::path::{Path, PathBuf};
use std::process::Command;

use amplify_lsp_tests::{expect_comments, repo_root, server_binary, subdirs, Value};

/// (file relative to the project, line, code, severity) of every finding.
fn check(project: &Path) -> Vec<(String, usize, String, String)> {
    let out = Command::new(server_binary())
        .args(["check", "--format", "json", "."])
        .current_dir(project)
        .output()
        .expect("run check");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: bad JSON ({e}): {}",
            project.display(),
            String::from_utf8_lossy(&out.stdout)
        )
    });
    json.as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|d| {
            let file = d["file"]
                .as_str()
                .unwrap_or("")
                .trim_start_matches("./")
                .to_string();
            (
                file,
                d["line"].as_u64().unwrap_or(0) as usize,
                d["code"].as_str().unwrap_or("").to_string(),
                d["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn fixture_corpus_matches_the_expectations() {
    let root = repo_root().join("tests/fixtures/projects");
    let mut problems = Vec::new();
    let mut checked = 0;

    let mut all: Vec<(PathBuf, bool)> = subdirs(&root.join("valid"))
        .into_iter()
        .map(|p| (p, false))
        .collect();
    for rule in subdirs(&root.join("rules")) {
        for p in subdirs(&rule) {
            let bad = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("bad"));
            all.push((p, bad));
        }
    }
    all.push((repo_root().join("examples/starter"), false));
    all.push((repo_root().join("examples/mistakes"), true));

    for (project, bad) in all {
        checked += 1;
        let name = project
            .strip_prefix(repo_root())
            .unwrap_or(&project)
            .display()
            .to_string();
        let expected = expect_comments(&project, &["ts", "tsx"]);
        let found = check(&project);
        for (file, line, code) in &expected {
            if !found
                .iter()
                .any(|(f, l, c, _)| f == file && l == line && c == code)
            {
                problems.push(format!("{name}: missing {code} at {file}:{line}"));
            }
        }
        for (file, line, code, sev) in &found {
            let expected_here = expected
                .iter()
                .any(|(f, l, c)| f == file && l == line && c == code);
            if expected_here {
                continue;
            }
            let is_problem = match (bad, sev.as_str()) {
                // anything unexpected that is an error or warning in a clean project is a false positive
                (false, "error" | "warning") => true,
                // in a bad project, only unexpected errors count (warnings may accompany the mistake)
                (true, "error") => true,
                _ => false,
            };
            if is_problem {
                problems.push(format!("{name}: unexpected {sev} {code} at {file}:{line}"));
            }
        }
    }
    assert!(checked > 50, "only {checked} projects found");
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The text report's last line counts each severity: informations apart from hints (they were counted as
/// hints), shown only when there are some.
#[test]
fn the_text_summary_counts_each_severity() {
    let summary = |rel: &str| {
        let out = Command::new(server_binary())
            .args(["check", "."])
            .current_dir(repo_root().join(rel))
            .output()
            .expect("run check");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(
        summary("tests/fixtures/projects/rules/backend__outputs-committed/bad"),
        "0 error(s), 0 warning(s), 1 info, 0 hint(s) in 2 Amplify file(s)"
    );
    // no information there: no info count
    let mistakes = summary("examples/mistakes");
    assert!(
        mistakes.contains(" warning(s), ") && !mistakes.contains("info"),
        "{mistakes}"
    );
}
