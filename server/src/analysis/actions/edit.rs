//! The text-editing toolkit of the code actions: a file's writing style (quotes, indentation, line endings,
//! semicolons, trailing commas), line and trivia helpers, inserting and removing entries of object and array
//! literals, finding values by span, and names (object keys, free names, plurals).

use super::TextEdit;
use crate::model::file::FileModel;
use crate::model::value::{Kind, Value};
use crate::text::Span;

// =============================================================================================
// Style
// =============================================================================================

/// How a file is written, so that inserted code looks like the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Style {
    pub(super) quote: char,
    /// One indentation level (a tab, or some spaces).
    pub(super) unit: String,
    pub(super) eol: &'static str,
    pub(super) semi: bool,
    /// Whether multi-line object and array literals end with a comma.
    pub(super) trailing: bool,
}

impl Style {
    pub(super) fn of(src: &str, file: Option<&FileModel>) -> Style {
        let import = file.and_then(|f| f.imports.first());
        let quote = import
            .and_then(|i| src.get(..i.source_span.start))
            .and_then(|s| s.chars().next_back())
            .filter(|c| matches!(c, '\'' | '"'))
            .unwrap_or_else(|| crate::analysis::lookup::preferred_quote(src));
        let semi = match import.and_then(|i| src.get(i.span.start..i.span.end)) {
            Some(t) => t.trim_end().ends_with(';'),
            None => src.contains(";\n") || src.contains(";\r\n") || !src.contains('\n'),
        };
        Style {
            quote,
            unit: indent_unit(src),
            eol: if src.contains("\r\n") { "\r\n" } else { "\n" },
            semi,
            trailing: trailing_commas(src),
        }
    }

    pub(super) fn q(&self, s: &str) -> String {
        format!("{q}{s}{q}", q = self.quote)
    }

    pub(super) fn semi(&self) -> &'static str {
        if self.semi {
            ";"
        } else {
            ""
        }
    }

    /// The comma after the last entry of a multi-line literal.
    pub(super) fn tc(&self) -> &'static str {
        if self.trailing {
            ","
        } else {
            ""
        }
    }
}

/// The file's indentation step: a tab when most indented lines start with one, else the smallest space
/// indentation (comment continuation lines ` * ...` aside); two spaces when nothing is indented.
pub(super) fn indent_unit(src: &str) -> String {
    let mut tabs = 0usize;
    let mut spaces = 0usize;
    let mut smallest: Option<usize> = None;
    for line in src.lines().take(5000) {
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.is_empty() || trimmed.starts_with('*') {
            continue;
        }
        let lead = &line[..line.len() - trimmed.len()];
        if lead.starts_with('\t') {
            tabs += 1;
        } else if !lead.is_empty() {
            spaces += 1;
            smallest = Some(smallest.map_or(lead.len(), |s| s.min(lead.len())));
        }
    }
    if tabs > spaces {
        "\t".to_string()
    } else {
        " ".repeat(smallest.unwrap_or(2).clamp(1, 8))
    }
}

/// Whether the file's multi-line literals end with a comma (true when it has none to tell).
pub(super) fn trailing_commas(src: &str) -> bool {
    let mut with = 0usize;
    let mut without = 0usize;
    let lines: Vec<&str> = src.lines().take(5000).collect();
    for w in lines.windows(2) {
        let next = w[1].trim_start();
        if !(next.starts_with('}') || next.starts_with(']')) {
            continue;
        }
        let prev = strip_line_comment(w[0]).trim_end();
        if prev.is_empty() || prev.ends_with('{') || prev.ends_with('[') || prev.ends_with('(') {
            continue;
        }
        if prev.ends_with(',') {
            with += 1;
        } else if !prev.ends_with(';') {
            without += 1;
        }
    }
    with >= without
}

/// A line without a trailing `//` comment (naively: not looking into strings).
pub(super) fn strip_line_comment(line: &str) -> &str {
    match line.find("//") {
        Some(i) if !line[..i].contains('\'') && !line[..i].contains('"') => &line[..i],
        _ => line,
    }
}

// =============================================================================================
// Text geometry
// =============================================================================================

pub(super) fn line_start(src: &str, pos: usize) -> usize {
    src.get(..pos)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// The end of the line holding `pos`, before its line break (`\r\n` or `\n`).
pub(super) fn line_end(src: &str, pos: usize) -> usize {
    let end = src
        .get(pos..)
        .and_then(|s| s.find('\n'))
        .map_or(src.len(), |i| pos + i);
    if end > 0 && src.as_bytes().get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

/// The position after the line break ending the line of `pos` (the end of the text on the last line).
pub(super) fn next_line_start(src: &str, pos: usize) -> usize {
    src.get(pos..)
        .and_then(|s| s.find('\n'))
        .map_or(src.len(), |i| pos + i + 1)
}

/// The indentation of the line holding `pos`.
pub(super) fn indent_at(src: &str, pos: usize) -> &str {
    let start = line_start(src, pos);
    let line = &src[start..line_end(src, start)];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Whether only whitespace precedes `pos` on its line.
pub(super) fn starts_line(src: &str, pos: usize) -> bool {
    src.get(line_start(src, pos)..pos)
        .is_some_and(|s| s.trim().is_empty())
}

/// Whether the rest of the line from `pos` is blank or a `//` comment.
pub(super) fn rest_is_trivia(src: &str, pos: usize) -> bool {
    let rest = src.get(pos..line_end(src, pos)).unwrap_or("").trim();
    rest.is_empty() || rest.starts_with("//")
}

/// The first position at or after `pos` that is not whitespace or a comment.
pub(super) fn skip_trivia(src: &str, mut pos: usize) -> usize {
    let b = src.as_bytes();
    loop {
        while pos < b.len() && (b[pos] as char).is_whitespace() {
            pos += 1;
        }
        if b.get(pos) == Some(&b'/') && b.get(pos + 1) == Some(&b'/') {
            pos = line_end(src, pos);
        } else if b.get(pos) == Some(&b'/') && b.get(pos + 1) == Some(&b'*') {
            pos = src[pos + 2..]
                .find("*/")
                .map_or(b.len(), |i| pos + 2 + i + 2);
        } else {
            return pos;
        }
    }
}

/// The comma right after an item (only trivia between), if any.
pub(super) fn comma_after(src: &str, end: usize) -> Option<usize> {
    let p = skip_trivia(src, end);
    (src.as_bytes().get(p) == Some(&b',')).then_some(p)
}

/// Edits that add one entry to a comma-separated list delimited by `open` and `close` (the offsets of the
/// brackets) whose entries span `items`. `entry` builds the entry's text: with the indentation of the
/// entries when the list spans several lines, `None` on one line (an empty list gets `{ x }`).
pub(super) fn insert_item(
    src: &str,
    style: &Style,
    open: usize,
    close: usize,
    items: &[Span],
    at_start: bool,
    entry: impl Fn(Option<&str>) -> String,
) -> Vec<TextEdit> {
    if close <= open || close > src.len() {
        return Vec::new();
    }
    let inner = src.get(open + 1..close).unwrap_or("");
    let multiline = inner.contains('\n');
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        if multiline {
            let ind = format!("{}{}", indent_at(src, open), style.unit);
            let text = format!("{}{ind}{}{}", style.eol, entry(Some(&ind)), style.tc());
            return vec![TextEdit::insert(open + 1, text)];
        }
        return vec![TextEdit::replace(
            Span::new(open + 1, close),
            format!(" {} ", entry(None)),
        )];
    };
    if at_start {
        if multiline && starts_line(src, first.start) {
            let ind = indent_at(src, first.start).to_string();
            let text = format!("{},{}{ind}", entry(Some(&ind)), style.eol);
            return vec![TextEdit::insert(first.start, text)];
        }
        return vec![TextEdit::insert(first.start, format!("{}, ", entry(None)))];
    }
    let comma = comma_after(src, last.end);
    if multiline {
        let ind = if starts_line(src, last.start) {
            indent_at(src, last.start).to_string()
        } else {
            format!("{}{}", indent_at(src, open), style.unit)
        };
        let text = entry(Some(&ind));
        return match comma {
            Some(c) => {
                let at = if rest_is_trivia(src, c + 1) {
                    line_end(src, c + 1)
                } else {
                    c + 1
                };
                vec![TextEdit::insert(at, format!("{}{ind}{text},", style.eol))]
            }
            None => {
                let at = if rest_is_trivia(src, last.end) && line_end(src, last.end) < close {
                    line_end(src, last.end)
                } else {
                    last.end
                };
                let mut edits = vec![TextEdit::insert(last.end, ",")];
                let tail = format!("{}{ind}{text}", style.eol);
                if at == last.end {
                    edits[0].text.push_str(&tail);
                } else {
                    edits.push(TextEdit::insert(at, tail));
                }
                edits
            }
        };
    }
    match comma {
        Some(c) => vec![TextEdit::insert(c + 1, format!(" {},", entry(None)))],
        None => vec![TextEdit::insert(last.end, format!(", {}", entry(None)))],
    }
}

/// Edits that remove the entries `remove` (indices into `items`, which are in source order) from a
/// comma-separated list whose brackets are at `open` and `close`. Entries on lines of their own go with
/// their whole lines (and the `//` comment lines right above them); others with their separator.
pub(super) fn remove_items(
    src: &str,
    open: usize,
    close: usize,
    items: &[Span],
    remove: &[usize],
) -> Vec<TextEdit> {
    let mut edits = Vec::new();
    let removed = |i: usize| remove.contains(&i);
    let mut i = 0;
    while i < items.len() {
        if !removed(i) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < items.len() && removed(j + 1) {
            j += 1;
        }
        let run_end = comma_after(src, items[j].end).map_or(items[j].end, |c| c + 1);
        let next_on_later_line = match items.get(j + 1) {
            Some(n) => starts_line(src, n.start),
            None => starts_line(src, close),
        };
        let own_lines = starts_line(src, items[i].start)
            && rest_is_trivia(src, run_end)
            && next_on_later_line
            && line_start(src, items[i].start) > open;
        if own_lines {
            // whole lines, with the comment lines directly above
            let floor = if i > 0 { items[i - 1].end } else { open + 1 };
            let mut start = line_start(src, items[i].start);
            while start > 0 {
                let prev = line_start(src, start - 1);
                if prev < floor || !src[prev..start].trim_start().starts_with("//") {
                    break;
                }
                start = prev;
            }
            let end = next_line_start(src, run_end);
            edits.push(TextEdit::delete(Span::new(start, end)));
            // the list's last entry goes: the one before it loses its comma unless the list keeps trailing
            // commas
            if j + 1 == items.len() && i > 0 && comma_after(src, items[j].end).is_none() {
                if let Some(c) = comma_after(src, items[i - 1].end) {
                    edits.push(TextEdit::delete(Span::new(c, c + 1)));
                }
            }
        } else if let Some(next) = items.get(j + 1) {
            edits.push(TextEdit::delete(Span::new(items[i].start, next.start)));
        } else if i > 0 {
            edits.push(TextEdit::delete(Span::new(items[i - 1].end, items[j].end)));
        } else {
            edits.push(TextEdit::delete(Span::new(items[i].start, run_end)));
        }
        i = j + 1;
    }
    edits
}

/// The spans of an object literal's entries.
pub(super) fn prop_spans(obj: &Value) -> Vec<Span> {
    obj.as_object()
        .map(|ps| ps.iter().map(|p| p.span).collect())
        .unwrap_or_default()
}

/// Adds a property to an object literal value.
pub(super) fn insert_prop(
    src: &str,
    style: &Style,
    obj: &Value,
    at_start: bool,
    entry: impl Fn(Option<&str>) -> String,
) -> Option<Vec<TextEdit>> {
    obj.as_object()?;
    let close = obj.span.end.checked_sub(1)?;
    if src.as_bytes().get(obj.span.start) != Some(&b'{') || src.as_bytes().get(close) != Some(&b'}')
    {
        return None;
    }
    Some(insert_item(
        src,
        style,
        obj.span.start,
        close,
        &prop_spans(obj),
        at_start,
        entry,
    ))
}

/// Removes the property `key` from an object literal value.
pub(super) fn remove_prop(src: &str, obj: &Value, key: &str) -> Option<Vec<TextEdit>> {
    let props = obj.as_object()?;
    let i = props.iter().position(|p| p.key.as_deref() == Some(key))?;
    Some(remove_items(
        src,
        obj.span.start,
        obj.span.end.checked_sub(1)?,
        &prop_spans(obj),
        &[i],
    ))
}

/// The value with exactly `span` among the file's top-level values (factory arguments and bindings).
pub(super) fn find_value(file: &FileModel, span: Span) -> Option<&Value> {
    file.defines
        .iter()
        .filter_map(|d| d.arg.as_ref())
        .chain(file.bindings.iter().filter_map(|b| b.value.as_ref()))
        .find_map(|v| find_in(v, span))
}

pub(super) fn find_in(v: &Value, span: Span) -> Option<&Value> {
    if v.span == span {
        return Some(v);
    }
    if !(v.span.start <= span.start && span.end <= v.span.end) {
        return None;
    }
    match &v.kind {
        Kind::Array(items) => items.iter().find_map(|i| find_in(i, span)),
        Kind::Object(props) => props.iter().find_map(|p| find_in(&p.value, span)),
        Kind::Func(f) => f.body.as_ref().and_then(|b| find_in(b, span)),
        Kind::Call { callee, args, .. } => {
            find_in(callee, span).or_else(|| args.iter().find_map(|a| find_in(a, span)))
        }
        Kind::Member { object, .. } => find_in(object, span),
        Kind::Spread(inner) => find_in(inner, span),
        _ => None,
    }
}

/// The text of a span.
pub(super) fn text(src: &str, span: Span) -> &str {
    src.get(span.start..span.end).unwrap_or("")
}

pub(super) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

pub(super) fn plural(s: &str) -> String {
    if s.ends_with('s') || s.ends_with('x') || s.ends_with("ch") || s.ends_with("sh") {
        format!("{s}es")
    } else if s.ends_with('y')
        && !s.ends_with("ay")
        && !s.ends_with("ey")
        && !s.ends_with("oy")
        && !s.ends_with("uy")
    {
        format!("{}ies", &s[..s.len() - 1])
    } else {
        format!("{s}s")
    }
}
/// Replaces the contents of a string literal (or a bare key) keeping its quotes.
pub(super) fn requote(src: &str, style: &Style, span: Span, value: &str) -> String {
    match src.as_bytes().get(span.start) {
        Some(&q) if matches!(q, b'\'' | b'"' | b'`') => format!("{q}{value}{q}", q = q as char),
        _ => style.q(value),
    }
}

pub(crate) fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_alphabetic() || f == '_' || f == '$')
        && c.all(|x| x.is_alphanumeric() || x == '_' || x == '$')
}

/// `name` written as an object key: as it is when it is an identifier, else as a string in `quote`.
pub(crate) fn object_key(name: &str, quote: char) -> String {
    if is_identifier(name) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push(quote);
    for c in name.chars() {
        if c == quote || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push(quote);
    out
}

/// `base`, or the first of `base2`, `base3`, ... that `taken` does not reject.
pub(super) fn free_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2u32..)
        .map(|n| format!("{base}{n}"))
        .find(|c| !taken(c))
        .unwrap_or_else(|| base.to_string())
}
