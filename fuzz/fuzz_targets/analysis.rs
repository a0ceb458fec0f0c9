//! libFuzzer target: arbitrary bytes → a TypeScript document → every analysis entry point (see `drive.rs`).
//!
//! The first byte picks the file the text is analysed as (each Amplify resource kind, TSX, a file outside
//! `amplify/`), the next two vary the probed offsets; the rest, decoded lossily as UTF-8, is the text.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

#[path = "../drive.rs"]
mod drive;

const PATHS: &[&str] = &[
    "/nonexistent/p/amplify/backend.ts",
    "/nonexistent/p/amplify/auth/resource.ts",
    "/nonexistent/p/amplify/data/resource.ts",
    "/nonexistent/p/amplify/storage/resource.ts",
    "/nonexistent/p/amplify/functions/f/resource.ts",
    "/nonexistent/p/amplify/data/ui.tsx",
    "/nonexistent/p/src/other.ts",
];

fuzz_target!(|data: &[u8]| {
    let (head, body) = data.split_at(data.len().min(3));
    let path = PATHS[usize::from(head.first().copied().unwrap_or(0)) % PATHS.len()];
    let salt = head
        .iter()
        .skip(1)
        .fold(0usize, |a, &b| a * 256 + usize::from(b));
    let text = String::from_utf8_lossy(body);
    let _ = drive::exercise(Path::new(path), &text, salt);
});
