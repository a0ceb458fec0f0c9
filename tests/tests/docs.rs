//! The README documents every diagnostic code the rules can emit.

use amplify_lsp_tests::repo_root;

#[test]
fn every_code_is_in_the_readme_table() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README");
    let dir = repo_root().join("server/src/analysis");
    let mut sources = String::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                sources.push_str(&std::fs::read_to_string(&p).expect("read"));
            }
        }
    }
    let prefixes = [
        "shape/",
        "backend/",
        "auth/",
        "data/",
        "storage/",
        "function/",
        "security/",
        "syntax/",
        "frontend/",
    ];
    let mut missing = Vec::new();
    let mut found = 0;
    for part in sources.split('"').skip(1).step_by(2) {
        let is_code = prefixes.iter().any(|p| part.starts_with(p))
            && part.len() < 40
            && part[part.find('/').unwrap_or(0) + 1..]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !part.ends_with('-')
            && !part.ends_with('/');
        // docs paths such as "auth/resource" are file names, not codes
        if !is_code
            || part == "auth/resource"
            || part == "data/resource"
            || part == "storage/resource"
        {
            continue;
        }
        found += 1;
        if !readme.contains(&format!("| `{part}` |")) && !missing.contains(&part.to_string()) {
            missing.push(part.to_string());
        }
    }
    assert!(found > 50, "only {found} code literals found");
    assert!(
        missing.is_empty(),
        "codes missing from the README table: {missing:?}"
    );
}
