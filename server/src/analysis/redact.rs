//! The one redaction point: masks credential-looking values in any text that is about to leave the server.
//!
//! The protocol layer passes every string it sends through [`redact`] (or [`redact_field`] when it knows the
//! name a value is shown under): diagnostic messages, hovers, completion items, symbols, code lens titles,
//! inlay hints, code action titles, error responses and log lines. What counts as a secret is decided by the
//! same heuristics as the `security/hardcoded-secret` rule (`rules::validators::looks_like_credential`):
//!
//! - value shapes that are credentials whatever they are called: AWS access key ids (`AKIA…`), `sk_live_…`,
//!   `ghp_…`, Slack and SendGrid tokens, JWTs, PEM private keys, URLs with a password, and long
//!   high-entropy tokens;
//! - values next to a secret-like name in the text itself: `STRIPE_SECRET_KEY: '…'`, `clientSecret = …`,
//!   `"password": "…"`, `token=…` (a name such as *SECRET*, *PASSWORD*, *TOKEN*, *API_KEY*...).
//!
//! A masked value is replaced by [`MASK`]; its quotes and the name before it stay, so the text still reads.
//! Masking is idempotent, and text with nothing to mask is returned as it is (borrowed).

use std::borrow::Cow;

use super::rules::validators::{is_vendor_credential, looks_like_credential, looks_random};

/// What a masked value is replaced with.
pub const MASK: &str = "***";

/// `text` with every credential-looking value replaced by [`MASK`].
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut ranges = Vec::new();
    pem_blocks(text, &mut ranges);
    shaped_words(text, &mut ranges);
    named_values(text, &mut ranges);
    apply(text, ranges)
}

/// [`redact`] keeping the width: each character of a masked value becomes `*` (for quoted source lines, whose
/// carets below must still line up).
pub fn redact_same_width(text: &str) -> Cow<'_, str> {
    let mut ranges = Vec::new();
    pem_blocks(text, &mut ranges);
    shaped_words(text, &mut ranges);
    named_values(text, &mut ranges);
    if ranges.iter().all(|&(a, b)| a >= b) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.char_indices()
            .map(|(i, c)| {
                if ranges.iter().any(|&(a, b)| a <= i && i < b) {
                    '*'
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// [`redact`] for a value shown under a name (a symbol's detail under its name, a setting under its key): the
/// whole value is masked when the name makes it a secret (`DB_PASSWORD` → `'hunter22'`).
pub fn redact_field<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    let inner = unquote(value.trim());
    // one scalar value (an object or a list shown under the name is masked piece by piece below)
    let scalar =
        !inner.is_empty() && !inner.contains(char::is_whitespace) && !inner.starts_with(['{', '[']);
    if scalar && looks_like_credential(name, strip_ellipsis(inner)) {
        let t = value.trim();
        return Cow::Owned(match (t.chars().next(), t.chars().last()) {
            (Some(q @ ('\'' | '"' | '`')), Some(_)) => format!("{q}{MASK}{q}"),
            _ => MASK.to_string(),
        });
    }
    redact(value)
}

/// Whether `text` holds anything [`redact`] would mask.
pub fn has_secret(text: &str) -> bool {
    matches!(redact(text), Cow::Owned(_))
}

/// A string's contents without one pair of surrounding quotes (or a leading one, when it was cut short).
fn unquote(s: &str) -> &str {
    let Some(q) = s.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) else {
        return s;
    };
    let rest = &s[1..];
    rest.strip_suffix(q).unwrap_or(rest)
}

/// A value shortened for display (`abc...`, `abc…`) without its ellipsis.
fn strip_ellipsis(s: &str) -> &str {
    s.strip_suffix("...")
        .or_else(|| s.strip_suffix('…'))
        .unwrap_or(s)
}

fn is_delimiter(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\'' | '"' | '`' | ',' | ';' | '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>' | '|'
        )
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' || c == '$'
}

/// `-----BEGIN … PRIVATE KEY-----` through its `-----END …-----` line (or the end of the text when the block
/// was cut off).
fn pem_blocks(text: &str, out: &mut Vec<(usize, usize)>) {
    let mut from = 0;
    while let Some(i) = text[from..].find("-----BEGIN").map(|i| i + from) {
        let header_end = text[i + 10..]
            .find("-----")
            .map_or(text.len(), |j| i + 10 + j + 5);
        if !text[i..header_end].contains("PRIVATE KEY") {
            from = header_end.max(i + 10);
            continue;
        }
        let end = text[header_end..]
            .find("-----END")
            .and_then(|j| {
                let at = header_end + j + 8;
                text[at..].find("-----").map(|k| at + k + 5)
            })
            .unwrap_or(text.len());
        out.push((i, end));
        from = end;
    }
}

/// Words (between spaces, quotes, brackets and separators) that have a credential's shape. A leading
/// `name=` or `name:` stays visible unless the word is a URL (its password is inside).
fn shaped_words(text: &str, out: &mut Vec<(usize, usize)>) {
    for (start, word) in words(text) {
        let core = strip_ellipsis(word.trim_end_matches(['.', ':', '!', '?']));
        if core.is_empty() {
            continue;
        }
        let shaped = is_vendor_credential(core) || looks_random(core, 32);
        if !shaped {
            // `name=value` / `name:value` where only the value is a token
            if let Some((_, v)) = split_name(core) {
                if is_vendor_credential(v) || looks_random(v, 32) {
                    let at = start + (core.len() - v.len());
                    out.push((at, start + core.len()));
                }
            }
            continue;
        }
        let skip = if core.contains("://") {
            0
        } else {
            split_name(core).map_or(0, |(_, v)| core.len() - v.len())
        };
        out.push((start + skip, start + core.len()));
    }
}

/// `name=value` or `name:value` with an identifier-like name.
fn split_name(word: &str) -> Option<(&str, &str)> {
    let i = word.find(['=', ':'])?;
    let (name, value) = (&word[..i], &word[i + 1..]);
    let ok = !name.is_empty() && name.chars().all(is_name_char) && !value.starts_with('/');
    (ok && !value.is_empty()).then_some((name, value))
}

/// The words of `text` with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = None;
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        if is_delimiter(c) {
            if let Some(s) = start.take() {
                out.push((s, &text[s..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out.into_iter()
}

/// Values written after a secret-like name: `NAME: 'value'`, `"name": "value"`, `name = value`. A quoted value
/// runs to its closing quote, or to the end of the text when it was cut short.
fn named_values(text: &str, out: &mut Vec<(usize, usize)>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // a name: a run of identifier characters, maybe quoted
        let c = b[i];
        let quoted_name = matches!(c, b'\'' | b'"' | b'`');
        let name_start = if quoted_name { i + 1 } else { i };
        let mut j = name_start;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'$') {
            j += 1;
        }
        if j == name_start || (!quoted_name && i > 0 && is_ident_byte(b[i - 1])) {
            i += 1;
            continue;
        }
        let name = &text[name_start..j];
        let mut k = j;
        if quoted_name {
            if k < b.len() && b[k] == c {
                k += 1;
            } else {
                i = j.max(i + 1);
                continue;
            }
        }
        while k < b.len() && b[k] == b' ' {
            k += 1;
        }
        if k >= b.len() || !(b[k] == b':' || b[k] == b'=') || b.get(k + 1) == Some(&b'=') {
            i = j.max(i + 1);
            continue;
        }
        k += 1;
        while k < b.len() && b[k] == b' ' {
            k += 1;
        }
        let (vs, ve) = match b.get(k) {
            Some(&q) if matches!(q, b'\'' | b'"' | b'`') => {
                let end = text[k + 1..]
                    .find(q as char)
                    .map_or(text.len(), |e| k + 1 + e);
                (k + 1, end)
            }
            Some(_) => {
                // an unquoted value is a token (`token=abc123`), never an expression (`secret('X')`,
                // `process.env.KEY`): it must end where the text or a separator does
                let end = text[k..]
                    .find(|ch: char| {
                        !(ch.is_ascii_alphanumeric()
                            || matches!(ch, '_' | '-' | '+' | '/' | '=' | '~'))
                    })
                    .map_or(text.len(), |e| k + e);
                let ends_well = text[end..].chars().next().is_none_or(|ch| {
                    ch.is_whitespace() || matches!(ch, ',' | ';' | ')' | ']' | '}' | '&')
                });
                if ends_well {
                    (k, end)
                } else {
                    (k, k)
                }
            }
            None => (k, k),
        };
        let value = &text[vs..ve];
        if !value.is_empty() && looks_like_credential(name, strip_ellipsis(value)) {
            out.push((vs, ve));
        }
        i = j.max(i + 1);
    }
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

/// `text` with the byte ranges replaced by [`MASK`] (overlapping ranges merged; a range already equal to the
/// mask is left alone, so masking twice changes nothing).
fn apply(text: &str, mut ranges: Vec<(usize, usize)>) -> Cow<'_, str> {
    ranges.retain(|&(a, b)| a < b && &text[a..b] != MASK);
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    ranges.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (a, b) in ranges {
        if b <= at {
            continue;
        }
        let a = a.max(at);
        out.push_str(&text[at..a]);
        if !out.ends_with(MASK) || a > at {
            out.push_str(MASK);
        }
        at = b;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_shapes_are_masked_anywhere() {
        let cases = [
            (
                "STRIPE_SECRET_KEY: 'sk_live_51HxAbcdefghijklmnop'",
                "STRIPE_SECRET_KEY: '***'",
            ),
            (
                "key AKIAIOSFODNN7EXAMPLE in a sentence",
                "key *** in a sentence",
            ),
            (
                "`eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefGHIJKL` group",
                "`***` group",
            ),
            ("db mysql://admin:hunter2@db.example.com/app", "db ***"),
            (
                "k=-----BEGIN PRIVATE KEY-----MIIabc-----END PRIVATE KEY----- tail",
                "k=*** tail",
            ),
            ("token=ghp_abcdefghijklmnopqrstuvwxyz0123", "token=***"),
        ];
        for (input, want) in cases {
            assert_eq!(redact(input), want, "{input}");
            assert_eq!(redact(want), want, "idempotent: {want}");
        }
    }

    #[test]
    fn same_width_masking_keeps_columns() {
        let line = "  groups: ['ADMINS', 'AKIAIOSFODNN7EXAMPLE'],";
        let masked = redact_same_width(line);
        assert_eq!(masked, "  groups: ['ADMINS', '********************'],");
        assert_eq!(masked.chars().count(), line.chars().count());
        assert!(matches!(
            redact_same_width("  groups: ['ADMINS'],"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn values_under_secret_names_are_masked() {
        assert_eq!(
            redact("{ DB_PASSWORD: 'Zq8dbPassword99', GREETING: 'hello' }"),
            "{ DB_PASSWORD: '***', GREETING: 'hello' }"
        );
        assert_eq!(
            redact("{\"clientSecret\":\"abc123xyz\",\"name\":\"x\"}"),
            "{\"clientSecret\":\"***\",\"name\":\"x\"}"
        );
        // cut short by a display limit: the quote never closes
        assert_eq!(
            redact("{ STRIPE_SECRET_KEY: 'Zq8PLANTEDstri..."),
            "{ STRIPE_SECRET_KEY: '***"
        );
        assert_eq!(redact_field("DB_PASSWORD", "'hunter22'"), "'***'");
        assert_eq!(
            redact("password=hunter22x token=Abc123def"),
            "password=*** token=***"
        );
        assert_eq!(redact_field("clientSecret", "Zq8xyz..."), "***");
        assert_eq!(redact_field("name", "'worker'"), "'worker'");
        assert_eq!(
            redact_field(
                "environment",
                "{ STRIPE_SECRET_KEY: 'sk_live_51HxAbcdefghijklmnop', MODE: 'x' }"
            ),
            "{ STRIPE_SECRET_KEY: '***', MODE: 'x' }"
        );
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for s in [
            "didChange for file:///home/u/app/amplify/auth/resource.ts: version 3 is not newer",
            "`allow.guest()`: visitors who are not signed in may read these records",
            "timeoutSeconds 3 · memoryMB 512 · runtime 22",
            "defineFunction 'worker'",
            "{ GREETING: 'hello', TABLE: 'posts', MODE: 'production' }",
            "ADMINS group · read: authenticated",
            "Use secret('GOOGLE_CLIENT_SECRET') (then store the value: npx ampx sandbox secret set X)",
            "a == b and x: y",
            "clientSecret: secret('GOOGLE_CLIENT_SECRET')",
            "{ clientSecret: process.env.GOOGLE_SECRET, apiKey: config.keys.primary }",
            "clientSecret: '${1:GOOGLE_CLIENT_SECRET}'",
            "password=$PASSWORD_FROM_ENV",
            "",
        ] {
            assert!(matches!(redact(s), Cow::Borrowed(_)), "{s} -> {}", redact(s));
        }
    }

    #[test]
    fn odd_text_does_not_panic() {
        for s in [
            "'",
            "\"",
            "a:",
            "a: '",
            "=",
            "-----BEGIN",
            "-----BEGIN PRIVATE KEY",
            "é: 'ü",
            "k=",
            "::",
        ] {
            let _ = redact(s);
            let _ = redact_field("password", s);
        }
    }
}
