//! One documentation page per diagnostic code, `docs/codes/<category>/<name>.md`, checked against the real server.
//!
//! For every code of `docs/codes.tsv`:
//! - the page exists, names the code, has *Wrong* and *Right* examples, the silencing comment, and the
//!   `platform-<slug>` anchors of all nine docs.amplify.aws platforms, each followed by a link to that platform;
//! - `docs/codes/README.md` and the README's "Diagnostic codes" table link the page;
//! - the *Wrong* blocks, written into a temporary project, make `amplify-lsp check --format json` report the code,
//!   on every line the example marks with `// ← amplify-lsp: <code>`; with
//!   `// amplify-lsp-ignore-next-line <code>` put above each reported line, the code is gone;
//! - the *Right* blocks do not report the code, nor any other error or warning.
//!
//! A project gets what the examples leave out, as the pages say: an `amplify/backend.ts` that passes every
//! exported resource to `defineBackend` (only when the example has none), and a `handler.ts` beside each
//! `defineFunction` without an `entry`.
//!
//! One code is handled differently, for a stated reason (see [`special`]): `syntax/parse-abandoned` depends on
//! the parser's running time, so its trigger is the kept crasher fixture, and it cannot be silenced.
//!
//! All problems are collected and reported together.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use amplify_lsp_tests::{repo_root, server_binary, Value};

// The docs.amplify.aws platforms, as the server knows them (each page has an anchor for every one).
use amplify_lsp::model::catalog::PLATFORMS;

const MARKER: &str = "// ← amplify-lsp:";
const IGNORE: &str = "amplify-lsp-ignore-next-line";

/// One finding of `check`.
#[derive(Debug, Clone)]
struct Finding {
    file: String,
    line: usize,
    code: String,
    severity: String,
}

/// The (code, severity) pairs of `docs/codes.tsv`, in order.
fn codes() -> Vec<(String, String)> {
    let tsv = std::fs::read_to_string(repo_root().join("docs/codes.tsv")).expect("docs/codes.tsv");
    tsv.lines()
        .filter_map(|l| {
            let mut cols = l.split('\t').map(str::trim);
            let code = cols.next().filter(|c| !c.is_empty())?;
            Some((code.to_string(), cols.next().unwrap_or("").to_string()))
        })
        .collect()
}

/// The text under `## <heading>` up to the next `## ` heading.
fn section<'a>(md: &'a str, heading: &str) -> Option<&'a str> {
    let start = md.find(&format!("\n## {heading}\n"))? + heading.len() + 5;
    let rest = &md[start..];
    Some(rest.find("\n## ").map_or(rest, |end| &rest[..end]))
}

/// The fenced ```ts blocks of a section, as (path from the first-line comment, text), and a ```gitignore block
/// starting `# .gitignore` as the project's `.gitignore`. Problems are pushed.
fn ts_blocks(section: &str, what: &str, problems: &mut Vec<String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = section;
    while let Some(i) = rest.find("```") {
        let after = &rest[i + 3..];
        let Some(nl) = after.find('\n') else { break };
        let lang = after[..nl].trim();
        let body_and_more = &after[nl + 1..];
        let Some(close) = body_and_more.find("\n```") else {
            problems.push(format!("{what}: unclosed code block"));
            break;
        };
        let body = &body_and_more[..close + 1];
        rest = &body_and_more[close + 4..];
        // the project's ignore file, for the codes that read it
        if lang == "gitignore" && body.lines().next() == Some("# .gitignore") {
            out.push((".gitignore".to_string(), body.to_string()));
            continue;
        }
        if lang != "ts" {
            problems.push(format!(
                "{what}: a ```{lang} block; examples are ```ts (or ```gitignore starting `# .gitignore`)"
            ));
            continue;
        }
        let first = body.lines().next().unwrap_or("");
        match first.strip_prefix("// ").map(str::trim) {
            Some(p)
                if (p.starts_with("amplify/") || p.starts_with("src/"))
                    && (p.ends_with(".ts") || p.ends_with(".tsx") || p.ends_with(".js")) =>
            {
                out.push((p.to_string(), body.to_string()));
            }
            _ => problems.push(format!(
                "{what}: a block does not start with its file path (`// amplify/...`): {first:?}"
            )),
        }
    }
    out
}

/// Writes the blocks into `dir`, adding the `backend.ts` and `handler.ts` files the pages leave out.
fn write_project(dir: &Path, blocks: &[(String, String)]) {
    for (path, text) in blocks {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write example");
    }
    let has = |p: &str| blocks.iter().any(|(b, _)| b == p);
    if !has("amplify/backend.ts") {
        let mut imports = String::new();
        let mut names = Vec::new();
        for (path, text) in blocks {
            let Some(module) = path
                .strip_prefix("amplify/")
                .and_then(|m| m.strip_suffix(".ts"))
            else {
                continue;
            };
            for line in text.lines() {
                let Some(rest) = line.strip_prefix("export const ") else {
                    continue;
                };
                let Some((name, value)) = rest.split_once('=') else {
                    continue;
                };
                let value = value.trim_start();
                if value.starts_with("define") || value.starts_with("referenceAuth(") {
                    let name = name.trim().to_string();
                    imports.push_str(&format!("import {{ {name} }} from './{module}';\n"));
                    names.push(name);
                }
            }
        }
        let backend = format!(
            "import {{ defineBackend }} from '@aws-amplify/backend';\n{imports}\ndefineBackend({{ {} }});\n",
            names.join(", ")
        );
        std::fs::write(dir.join("amplify/backend.ts"), backend).expect("write backend.ts");
    }
    for (path, text) in blocks {
        if !text.contains("defineFunction(") || text.contains("entry:") {
            continue;
        }
        let handler = Path::new(path).with_file_name("handler.ts");
        let handler_rel = handler.to_string_lossy().replace('\\', "/");
        if !has(&handler_rel) {
            std::fs::write(
                dir.join(&handler),
                "export const handler = async (event: unknown) => {\n  return { ok: true, event };\n};\n",
            )
            .expect("write handler.ts");
        }
    }
}

/// `amplify-lsp check --format json .` in `dir`.
fn check(dir: &Path) -> Result<Vec<Finding>, String> {
    let out = Command::new(server_binary())
        .args(["check", "--format", "json", "."])
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run amplify-lsp: {e}"))?;
    let json: Value = serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "check printed no JSON ({e}): {} {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    Ok(json
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|d| Finding {
            file: d["file"]
                .as_str()
                .unwrap_or("")
                .trim_start_matches("./")
                .to_string(),
            line: d["line"].as_u64().unwrap_or(0) as usize,
            code: d["code"].as_str().unwrap_or("").to_string(),
            severity: d["severity"].as_str().unwrap_or("").to_string(),
        })
        .collect())
}

fn temp_project(blocks: &[(String, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write_project(dir.path(), blocks);
    dir
}

fn shown(found: &[Finding]) -> String {
    found
        .iter()
        .map(|f| format!("{}:{} {} ({})", f.file, f.line, f.code, f.severity))
        .collect::<Vec<_>>()
        .join("; ")
}

/// (file, 1-based line) of every line a *Wrong* block marks with `// ← amplify-lsp: <code>`.
fn marked_lines(blocks: &[(String, String)], code: &str) -> BTreeSet<(String, usize)> {
    let mut out = BTreeSet::new();
    for (path, text) in blocks {
        for (i, line) in text.lines().enumerate() {
            let Some(idx) = line.find(MARKER) else {
                continue;
            };
            let listed = &line[idx + MARKER.len()..];
            if listed.split([',', ' ', '(']).any(|c| c.trim() == code) {
                out.insert((path.clone(), i + 1));
            }
        }
    }
    out
}

/// Codes whose *Wrong* example cannot be a plain `check` of the blocks, and why. Each is still checked.
fn special(code: &str) -> Option<&'static str> {
    match code {
        "syntax/parse-abandoned" => Some(
            "which texts exhaust the parse budget is hard to predict, and the one kept holds bytes a web page cannot \
             show; the page shows the kind of text, which must at least be reported as a syntax error, and the kept crasher \
             tests/fixtures/crashers/parse-explosion.data.ts must report the code. It cannot be silenced: the \
             diagnostic belongs to the unparsed file, not to a line",
        ),
        _ => None,
    }
}

/// The checks of one page's *Wrong* examples.
fn check_wrong(code: &str, blocks: &[(String, String)], problems: &mut Vec<String>) {
    let dir = temp_project(blocks);
    let found = match check(dir.path()) {
        Ok(f) => f,
        Err(e) => return problems.push(format!("{code}: Wrong: {e}")),
    };
    if code == "syntax/parse-abandoned" {
        if !found
            .iter()
            .any(|f| f.code == "syntax/error" || f.code == code)
        {
            problems.push(format!(
                "{code}: the Wrong example is not even a syntax error: {}",
                shown(&found)
            ));
        }
        let crasher =
            std::fs::read(repo_root().join("tests/fixtures/crashers/parse-explosion.data.ts"))
                .expect("tests/fixtures/crashers/parse-explosion.data.ts");
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("amplify/data")).expect("mkdir");
        std::fs::write(dir.path().join("amplify/data/resource.ts"), crasher)
            .expect("write crasher");
        match check(dir.path()) {
            Ok(f) if f.iter().any(|f| f.code == code && f.severity == "error") => {}
            Ok(f) => problems.push(format!(
                "{code}: the crasher fixture does not report it as an error in check: {}",
                shown(&f)
            )),
            Err(e) => problems.push(format!("{code}: crasher: {e}")),
        }
        return;
    }
    let hits: Vec<&Finding> = found.iter().filter(|f| f.code == code).collect();
    if hits.is_empty() {
        return problems.push(format!(
            "{code}: the Wrong example does not report it; it reports: [{}]",
            shown(&found)
        ));
    }
    let reported: BTreeSet<(String, usize)> =
        hits.iter().map(|f| (f.file.clone(), f.line)).collect();
    let marked = marked_lines(blocks, code);
    if marked.is_empty() {
        problems.push(format!(
            "{code}: the Wrong example marks no line with `{MARKER} {code}`"
        ));
    }
    for (file, line) in marked.difference(&reported) {
        problems.push(format!(
            "{code}: the Wrong example marks {file}:{line}, but the code is reported at {reported:?}"
        ));
    }
    // Silencing, as the page says: the comment above each reported line.
    let silenced: Vec<(String, String)> = blocks
        .iter()
        .map(|(path, text)| {
            let lines: BTreeSet<usize> = hits
                .iter()
                .filter(|f| &f.file == path)
                .map(|f| f.line)
                .collect();
            let mut out = String::new();
            for (i, l) in text.lines().enumerate() {
                if lines.contains(&(i + 1)) {
                    let indent: String = l.chars().take_while(|c| c.is_whitespace()).collect();
                    out.push_str(&format!("{indent}// {IGNORE} {code}\n"));
                }
                out.push_str(l);
                out.push('\n');
            }
            (path.clone(), out)
        })
        .collect();
    let dir = temp_project(&silenced);
    match check(dir.path()) {
        Ok(f) if f.iter().any(|f| f.code == code) => problems.push(format!(
            "{code}: still reported with `// {IGNORE} {code}` above the reported lines: {}",
            shown(&f)
        )),
        Ok(_) => {}
        Err(e) => problems.push(format!("{code}: silenced Wrong: {e}")),
    }
}

/// The checks of one page's *Right* examples.
fn check_right(code: &str, blocks: &[(String, String)], problems: &mut Vec<String>) {
    let dir = temp_project(blocks);
    match check(dir.path()) {
        Ok(found) => {
            let bad: Vec<Finding> = found
                .into_iter()
                .filter(|f| f.code == code || f.severity == "error" || f.severity == "warning")
                .collect();
            if !bad.is_empty() {
                problems.push(format!(
                    "{code}: the Right example reports [{}]",
                    shown(&bad)
                ));
            }
        }
        Err(e) => problems.push(format!("{code}: Right: {e}")),
    }
}

/// Static checks of one page's text.
fn check_page(code: &str, severity: &str, md: &str, problems: &mut Vec<String>) {
    if !md.starts_with(&format!("# `{code}`\n")) {
        problems.push(format!("{code}: the page's title is not the code"));
    }
    for heading in [
        "What it checks",
        "Why it matters",
        "Wrong",
        "Right",
        "Silencing it",
        "Related codes",
        "Amplify documentation",
    ] {
        if section(md, heading).is_none() {
            problems.push(format!("{code}: no `## {heading}` section"));
        }
    }
    match md.lines().find(|l| l.starts_with("**Severity:** ")) {
        None => problems.push(format!("{code}: no `**Severity:**` line")),
        Some(line) => {
            if !line.starts_with(&format!("**Severity:** {severity}")) {
                problems.push(format!(
                    "{code}: docs/codes.tsv says {severity}, the page says {line}"
                ));
            }
            // error/warning codes say when each applies
            if severity.contains('/')
                && !(line.contains("**error**") && line.contains("**warning**"))
            {
                problems.push(format!(
                    "{code}: the page does not say when it is an error and when a warning"
                ));
            }
        }
    }
    if special(code).is_none() && !md.contains(&format!("// {IGNORE} {code}`")) {
        problems.push(format!(
            "{code}: the page does not show `// {IGNORE} {code}`"
        ));
    }
    let docs = section(md, "Amplify documentation").unwrap_or("");
    for slug in PLATFORMS {
        let anchor = format!("<a id=\"platform-{slug}\"></a>");
        let Some(line) = docs.lines().find(|l| l.contains(&anchor)) else {
            problems.push(format!("{code}: no anchor {anchor}"));
            continue;
        };
        if !line.starts_with("- ") || !line.contains(&format!("](https://docs.amplify.aws/{slug}/"))
        {
            problems.push(format!(
                "{code}: the platform-{slug} item is not a list item linking docs.amplify.aws/{slug}/: {line}"
            ));
        }
        if docs.matches(&anchor).count() != 1 {
            problems.push(format!("{code}: anchor {anchor} appears more than once"));
        }
    }
}

#[test]
fn every_code_has_a_page_with_checked_examples() {
    let started = std::time::Instant::now();
    let root = repo_root();
    let index = std::fs::read_to_string(root.join("docs/codes/README.md")).unwrap_or_default();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let readme_codes = section(&readme, "Diagnostic codes").unwrap_or("");
    let mut problems = Vec::new();
    let all = codes();
    assert!(
        all.len() >= 70,
        "only {} codes in docs/codes.tsv",
        all.len()
    );
    let mut pairs = 0;
    for (code, severity) in &all {
        let Some((cat, name)) = code.split_once('/') else {
            problems.push(format!("{code}: not <category>/<name>"));
            continue;
        };
        if !index.contains(&format!("]({cat}/{name}.md)")) {
            problems.push(format!(
                "{code}: docs/codes/README.md does not link {cat}/{name}.md"
            ));
        }
        if !readme_codes.contains(&format!("](docs/codes/{cat}/{name}.md)")) {
            problems.push(format!(
                "{code}: the README's Diagnostic codes table does not link docs/codes/{cat}/{name}.md"
            ));
        }
        let path = root.join(format!("docs/codes/{cat}/{name}.md"));
        let Ok(md) = std::fs::read_to_string(&path) else {
            problems.push(format!("{code}: no page {}", path.display()));
            continue;
        };
        check_page(code, severity, &md, &mut problems);
        let wrong = ts_blocks(
            section(&md, "Wrong").unwrap_or(""),
            &format!("{code}: Wrong"),
            &mut problems,
        );
        let right = ts_blocks(
            section(&md, "Right").unwrap_or(""),
            &format!("{code}: Right"),
            &mut problems,
        );
        if wrong.is_empty() || right.is_empty() {
            problems.push(format!(
                "{code}: a Wrong and a Right example are both needed"
            ));
            continue;
        }
        let before = problems.len();
        check_wrong(code, &wrong, &mut problems);
        check_right(code, &right, &mut problems);
        if problems.len() == before && special(code).is_none() {
            pairs += 1;
        }
    }
    for code in all
        .iter()
        .filter_map(|(c, _)| special(c).map(|why| (c, why)))
    {
        eprintln!("special: {} — {}", code.0, code.1);
    }
    eprintln!(
        "{} pages, {pairs} plain wrong/right pairs checked through `amplify-lsp check`, in {:.1?}",
        all.len(),
        started.elapsed()
    );
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
