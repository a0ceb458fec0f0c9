//! The frontend fixture corpus (`tests/fixtures/frontend/<area>/<case>/`, and `examples/frontend`) through `amplify-lsp check --format
//! json`: each case is a whole project (a backend under `amplify/` and frontend code beside it), and
//! - its `ACCESS.json` is the output of Amplify's own synthesis (`../shared/tools/amplify-synth/access`) and says
//!   the backend is ACCEPTED: the ground truth the area's oracle test reads;
//! - every `// expect: <code>` comment's code is reported on its line;
//! - nothing else is reported as an error or a warning, in the frontend code or the backend.
//!
//! All mismatches are collected and reported together.

use std::path::Path;
use std::process::Command;

use amplify_lsp_tests::{expect_comments, files_with, repo_root, server_binary, subdirs, Value};

/// The extensions of the files a fixture's code may be in.
const CODE: &[&str] = &["ts", "tsx", "js", "jsx", "mts", "mjs", "cts", "cjs"];

fn rel(project: &Path, path: &Path) -> String {
    path.strip_prefix(project)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// (file relative to the project, line, code, severity) of every finding.
fn check(project: &Path) -> Result<Vec<(String, usize, String, String)>, String> {
    let out = Command::new(server_binary())
        .args(["check", "--format", "json", "."])
        .current_dir(project)
        .output()
        .map_err(|e| format!("cannot run check: {e}"))?;
    let json: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("bad JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))?;
    Ok(json
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap_or("").trim_start_matches("./");
            (
                rel(project, Path::new(file)),
                d["line"].as_u64().unwrap_or(0) as usize,
                d["code"].as_str().unwrap_or("").to_string(),
                d["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect())
}

#[test]
fn frontend_fixtures_match_their_expectations_and_are_labelled_by_amplify() {
    let root = repo_root().join("tests/fixtures/frontend");
    let mut problems = Vec::new();
    let mut cases = 0;
    let mut frontend_findings = 0;
    // the bundled example of frontend mistakes counts as one more case
    let cases_of = |area: &Path| {
        if area.ends_with("examples") {
            vec![repo_root().join("examples/frontend")]
        } else {
            subdirs(area)
        }
    };
    let mut areas = subdirs(&root);
    areas.push(repo_root().join("examples"));
    for area in areas {
        for case in cases_of(&area) {
            cases += 1;
            let name = rel(&repo_root(), &case);
            match std::fs::read_to_string(case.join("ACCESS.json")) {
                Ok(text) => match serde_json::from_str::<Value>(&text) {
                    Ok(v) if v["verdict"] == "ACCEPTED" => {}
                    Ok(v) => problems.push(format!(
                        "{name}: ACCESS.json says {} (a fixture's backend must be ACCEPTED)",
                        v["verdict"]
                    )),
                    Err(e) => problems.push(format!("{name}: ACCESS.json is not JSON: {e}")),
                },
                Err(_) => problems.push(format!(
                    "{name}: no ACCESS.json (run ../shared/tools/amplify-synth/access on it)"
                )),
            }
            if !files_with(&case, CODE)
                .iter()
                .any(|p| !rel(&case, p).starts_with("amplify/"))
            {
                problems.push(format!("{name}: no frontend file beside amplify/"));
            }
            let expected = expect_comments(&case, CODE);
            let found = match check(&case) {
                Ok(found) => found,
                Err(e) => {
                    problems.push(format!("{name}: {e}"));
                    continue;
                }
            };
            frontend_findings += found
                .iter()
                .filter(|(_, _, c, _)| c.starts_with("frontend/"))
                .count();
            for (file, line, code) in &expected {
                if !found
                    .iter()
                    .any(|(f, l, c, _)| f == file && l == line && c == code)
                {
                    problems.push(format!("{name}: missing {code} at {file}:{line}"));
                }
            }
            for (file, line, code, severity) in &found {
                let wanted = expected.contains(&(file.clone(), *line, code.clone()));
                if !wanted && (severity == "error" || severity == "warning") {
                    problems.push(format!(
                        "{name}: unexpected {severity} {code} at {file}:{line}"
                    ));
                }
            }
        }
    }
    assert!(cases > 0, "no fixture under {}", root.display());
    assert!(
        frontend_findings > 0,
        "the corpus has {cases} cases but no frontend finding at all"
    );
    assert!(
        problems.is_empty(),
        "{} problem(s) in {cases} frontend fixtures:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
