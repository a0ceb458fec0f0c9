//! Report formats: human text (like a compiler), JSON, and SARIF 2.1.0 for code-scanning services.

use std::io::Write;

use serde_json::json;

use super::{display_path, FileReport};
use crate::analysis::redact::{redact, redact_same_width};
use crate::analysis::Severity;
use crate::text::{byte_col_to_units, position_at, Encoding};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

struct Loc {
    line: usize,
    col: usize,
    end_line: usize,
    end_col: usize,
}

fn loc(r: &FileReport, start: usize, end: usize) -> Loc {
    // Columns are 1-based characters (code points), as editors show them.
    let a = position_at(&r.snapshot.rope, start, Encoding::Utf32);
    let b = position_at(&r.snapshot.rope, end, Encoding::Utf32);
    Loc {
        line: a.line as usize + 1,
        col: a.character as usize + 1,
        end_line: b.line as usize + 1,
        end_col: b.character as usize + 1,
    }
}

pub fn write(reports: &[FileReport], format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Text => text(reports, out),
        Format::Json => {
            let items: Vec<_> = reports
                .iter()
                .flat_map(|r| {
                    r.diagnostics.iter().map(move |d| {
                        let l = loc(r, d.span.start, d.span.end);
                        json!({
                            "file": display_path(&r.path),
                            "line": l.line, "column": l.col,
                            "endLine": l.end_line, "endColumn": l.end_col,
                            "severity": d.severity.label(),
                            "code": d.code,
                            "message": redact(&d.message),
                        })
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &items)?;
            writeln!(out)
        }
        Format::Sarif => {
            let mut codes: Vec<&str> = reports
                .iter()
                .flat_map(|r| r.diagnostics.iter().map(|d| d.code))
                .collect();
            codes.sort_unstable();
            codes.dedup();
            let rules: Vec<_> = codes.iter().map(|c| json!({ "id": c })).collect();
            let results: Vec<_> = reports
                .iter()
                .flat_map(|r| {
                    r.diagnostics.iter().map(move |d| {
                        let l = loc(r, d.span.start, d.span.end);
                        json!({
                            "ruleId": d.code,
                            "level": match d.severity {
                                Severity::Error => "error",
                                Severity::Warning => "warning",
                                _ => "note",
                            },
                            "message": { "text": redact(&d.message) },
                            "locations": [{ "physicalLocation": {
                                "artifactLocation": { "uri": display_path(&r.path) },
                                "region": {
                                    "startLine": l.line, "startColumn": l.col,
                                    "endLine": l.end_line, "endColumn": l.end_col
                                }
                            }}]
                        })
                    })
                })
                .collect();
            let doc = json!({
                "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                "version": "2.1.0",
                "runs": [{
                    "tool": { "driver": {
                        "name": "amplify-lsp",
                        "version": crate::VERSION,
                        "informationUri": "https://docs.amplify.aws/",
                        "rules": rules
                    }},
                    "results": results
                }]
            });
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)
        }
    }
}

/// The code of the diagnostic on a plain-string value where a secret belongs.
const HARDCODED_SECRET: &str = "security/hardcoded-secret";

fn text(reports: &[FileReport], out: &mut dyn Write) -> std::io::Result<()> {
    let (mut errors, mut warnings, mut others) = (0, 0, 0);
    for r in reports {
        // Hard-coded secrets are never printed: their characters (inside the quotes) show as `*` in every
        // source line quoted below, whichever diagnostic quotes the line.
        let secrets: Vec<(usize, usize)> = r
            .diagnostics
            .iter()
            .filter(|d| d.code == HARDCODED_SECRET)
            .map(|d| (d.span.start, d.span.end))
            .collect();
        for d in &r.diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                _ => others += 1,
            }
            let l = loc(r, d.span.start, d.span.end);
            writeln!(
                out,
                "{}:{}:{}: {} {}: {}",
                display_path(&r.path),
                l.line,
                l.col,
                d.severity.label(),
                d.code,
                redact(&d.message)
            )?;
            let line_idx = l.line - 1;
            if line_idx < r.snapshot.rope.len_lines() {
                let line = r.snapshot.rope.line(line_idx).to_string();
                let line = line.trim_end_matches(['\n', '\r']);
                let start = l.col - 1;
                let width = if l.end_line == l.line {
                    l.end_col.saturating_sub(l.col).max(1)
                } else {
                    line.chars().count().saturating_sub(start).max(1)
                };
                let pad = byte_col_to_units(
                    line,
                    line.char_indices()
                        .nth(start)
                        .map_or(line.len(), |(i, _)| i),
                    Encoding::Utf32,
                );
                let line_start = r.snapshot.rope.line_to_byte(line_idx);
                let shown: String = line
                    .char_indices()
                    .map(|(i, c)| {
                        let at = line_start + i;
                        if secrets
                            .iter()
                            .any(|&(a, b)| a < at && at + c.len_utf8() < b)
                        {
                            '*'
                        } else if c == '\t' {
                            ' '
                        } else {
                            c
                        }
                    })
                    .collect();
                // and any other credential-shaped value on the line, keeping the columns of the carets
                writeln!(out, "    {}", redact_same_width(&shown))?;
                writeln!(out, "    {}{}", " ".repeat(pad), "^".repeat(width))?;
            }
        }
    }
    let files = reports.len();
    writeln!(
        out,
        "{errors} error(s), {warnings} warning(s), {others} hint(s) in {files} Amplify file(s)"
    )
}
