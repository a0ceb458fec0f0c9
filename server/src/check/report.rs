//! Report formats: human text (like a compiler), JSON, and SARIF 2.1.0 for code-scanning services.

use std::io::Write;

use serde_json::json;

use super::{display_path, FileReport};
use crate::analysis::redact::{redact, redact_same_width};
use crate::analysis::Severity;
use ropey::Rope;

use crate::text::{position_at, Encoding};

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
    let (mut errors, mut warnings, mut infos, mut hints) = (0, 0, 0, 0);
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
                Severity::Information => infos += 1,
                Severity::Hint => hints += 1,
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
                let q = quote(&r.snapshot.rope, line_idx, &l, &secrets);
                writeln!(out, "    {}", redact_same_width(&q.shown))?;
                writeln!(out, "    {}{}", " ".repeat(q.pad), "^".repeat(q.width))?;
            }
        }
    }
    let files = reports.len();
    // infos appear only when there are some (most projects have none)
    let infos = if infos > 0 {
        format!("{infos} info, ")
    } else {
        String::new()
    };
    writeln!(
        out,
        "{errors} error(s), {warnings} warning(s), {infos}{hints} hint(s) in {files} Amplify file(s)"
    )
}

/// The most characters of a source line quoted under a diagnostic: a longer line (a minified or generated
/// file can be one line of megabytes) is quoted around the diagnostic, with `…` where it is cut. Quoting costs
/// the window's length, not the line's.
const QUOTE_CHARS: usize = 160;

/// A quoted source line and the caret under the diagnostic.
struct Quote {
    shown: String,
    /// Spaces before the caret, and the caret's width (in characters of `shown`).
    pad: usize,
    width: usize,
}

/// Quotes line `line_idx` for the diagnostic at `l`: tabs shown as spaces, the characters inside a hard-coded
/// secret's quotes as `*`.
fn quote(rope: &Rope, line_idx: usize, l: &Loc, secrets: &[(usize, usize)]) -> Quote {
    let slice = rope.line(line_idx);
    // The line's characters without its "\n" or "\r\n".
    let mut len = slice.len_chars();
    if len > 0 && slice.char(len - 1) == '\n' {
        len -= 1;
        if len > 0 && slice.char(len - 1) == '\r' {
            len -= 1;
        }
    }
    let start = (l.col - 1).min(len);
    let width = if l.end_line == l.line {
        l.end_col.saturating_sub(l.col)
    } else {
        len.saturating_sub(start)
    };
    let (from, to) = if len <= QUOTE_CHARS {
        (0, len)
    } else {
        let to = (start.saturating_sub(QUOTE_CHARS / 4) + QUOTE_CHARS).min(len);
        (to - QUOTE_CHARS, to)
    };
    let line_start = rope.line_to_byte(line_idx);
    let mut at = line_start + slice.char_to_byte(from);
    let mut shown = String::new();
    if from > 0 {
        shown.push('…');
    }
    for c in slice.slice(from..to).chars() {
        let masked = secrets
            .iter()
            .any(|&(a, b)| a < at && at + c.len_utf8() < b);
        shown.push(if masked {
            '*'
        } else if c == '\t' {
            ' '
        } else {
            c
        });
        at += c.len_utf8();
    }
    if to < len {
        shown.push('…');
    }
    let ellipsis = usize::from(from > 0);
    Quote {
        shown,
        pad: start - from + ellipsis,
        width: width.min(to.saturating_sub(start)).max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc_of(rope: &Rope, start: usize, end: usize) -> Loc {
        let a = position_at(rope, start, Encoding::Utf32);
        let b = position_at(rope, end, Encoding::Utf32);
        Loc {
            line: a.line as usize + 1,
            col: a.character as usize + 1,
            end_line: b.line as usize + 1,
            end_col: b.character as usize + 1,
        }
    }

    #[test]
    fn short_lines_are_quoted_whole() {
        let text = "x\n\tconst k = 'secret';\r\nnext";
        let rope = Rope::from_str(text);
        let at = text.find("k =").unwrap_or(0);
        let secret = text.find("'secret'").unwrap_or(0);
        let q = quote(
            &rope,
            1,
            &loc_of(&rope, at, at + 1),
            &[(secret, secret + 8)],
        );
        assert_eq!(q.shown, " const k = '******';");
        assert_eq!((q.pad, q.width), (7, 1));
    }

    #[test]
    fn a_long_line_is_quoted_around_the_diagnostic() {
        // one line of 400,000 characters, with multi-byte ones, and a diagnostic far along it
        let text = format!(
            "{}target{}\n",
            "é😀ab".repeat(50_000),
            "cd中".repeat(60_000)
        );
        let rope = Rope::from_str(&text);
        let at = text.find("target").unwrap_or(0);
        let q = quote(&rope, 0, &loc_of(&rope, at, at + 6), &[]);
        assert!(q.shown.starts_with('…') && q.shown.ends_with('…'));
        assert_eq!(q.shown.chars().count(), QUOTE_CHARS + 2);
        let caret: String = q.shown.chars().skip(q.pad).take(q.width).collect();
        assert_eq!(caret, "target");
        // a diagnostic that runs past the line: the caret stops at the quote's end
        let q = quote(&rope, 0, &loc_of(&rope, at, text.len()), &[]);
        assert_eq!(q.shown.chars().skip(q.pad).take(q.width).count(), q.width);
        // near the start of the line: no cut at the start
        let q = quote(&rope, 0, &loc_of(&rope, 2, 6), &[]);
        assert!(!q.shown.starts_with('…') && q.shown.ends_with('…'));
        assert_eq!((q.pad, q.width), (1, 1));
    }
}
