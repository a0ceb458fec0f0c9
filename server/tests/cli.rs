//! The binary's command line (also makes `cargo test --workspace` build the binary for the protocol tests).

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_amplify-lsp"))
}

#[test]
fn version_and_help() {
    let out = bin().arg("--version").output().expect("run");
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        s.trim(),
        format!("amplify-lsp {}", env!("CARGO_PKG_VERSION"))
    );
    let out = bin().arg("--help").output().expect("run");
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("check") && s.contains("--stdio"), "{s}");
}

#[test]
fn check_missing_path_is_a_clear_error() {
    let out = bin()
        .args(["check", "/definitely/not/here"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"));
}
