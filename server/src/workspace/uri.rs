//! One canonical form for document URIs, the key of every map of documents. Clients spell the same file
//! differently: VS Code escapes `:` of a drive letter and writes `%XX` in upper case, Neovim leaves
//! `( ) @ + , ; =` unescaped and writes `%xx` in lower case, and the server builds URIs from paths itself. Two
//! spellings of one file must find the same document.

use std::path::PathBuf;

/// The path of a `file:` URI (percent-decoded; `file:///C:/x` gives `C:/x`), or of a plain path. `None` for
/// other schemes (`untitled:`), or when the decoded bytes are not UTF-8.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let rest = match uri.strip_prefix("file://") {
        Some(r) => r,
        None if has_scheme(uri) && !looks_like_windows_path(uri) => return None,
        None => return Some(PathBuf::from(uri)),
    };
    // `file://localhost/x` is `file:///x`
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let s = String::from_utf8(percent_decode(rest.as_bytes())).ok()?;
    // file:///C:/x on Windows
    let b = s.as_bytes();
    let s = if b.len() > 2 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
        s[1..].to_string()
    } else {
        s
    };
    Some(PathBuf::from(s))
}

/// `scheme:` at the start (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn looks_like_windows_path(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/')
}

fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// The canonical spelling of a document URI: for a `file:` URI, its path encoded one fixed way (every byte
/// but the unreserved ones and `/` as upper-case `%XX`, a drive letter in lower case with its `:` kept);
/// any other URI as it is.
pub fn canonical(uri: &str) -> String {
    if !uri.starts_with("file:") {
        return uri.to_string();
    }
    let Some(path) = to_path(uri) else {
        return uri.to_string();
    };
    let s = path.to_string_lossy().replace('\\', "/");
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str("file://");
    let b = s.as_bytes();
    let (drive, rest) = if b.len() > 1 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        (Some(b[0].to_ascii_lowercase() as char), &s[2..])
    } else {
        (None, s.as_str())
    };
    if let Some(d) = drive {
        out.push('/');
        out.push(d);
        out.push(':');
    }
    for &byte in rest.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spellings_of_one_file_meet() {
        // VS Code, Neovim, and a hand-written URI of `/home/u/app (copy)/a+b@c,d;e=f/ü.ts`
        let vscode = "file:///home/u/app%20%28copy%29/a%2Bb%40c%2Cd%3Be%3Df/%C3%BC.ts";
        let neovim = "file:///home/u/app%20(copy)/a+b@c,d;e=f/%c3%bc.ts";
        let plain = "/home/u/app (copy)/a+b@c,d;e=f/ü.ts";
        assert_eq!(canonical(vscode), canonical(neovim));
        assert_eq!(
            to_path(vscode),
            Some(PathBuf::from("/home/u/app (copy)/a+b@c,d;e=f/ü.ts"))
        );
        assert_eq!(to_path(neovim), to_path(vscode));
        assert_eq!(to_path(plain), to_path(vscode));
        // the canonical form decodes back to the same path
        assert_eq!(to_path(&canonical(neovim)), to_path(vscode));
        // idempotent
        assert_eq!(canonical(&canonical(vscode)), canonical(vscode));
    }

    #[test]
    fn drive_letters_hosts_and_other_schemes() {
        let a = canonical("file:///C:/Users/me/app/amplify/backend.ts");
        let b = canonical("file:///c%3A/Users/me/app/amplify/backend.ts");
        assert_eq!(a, b);
        assert_eq!(a, "file:///c:/Users/me/app/amplify/backend.ts");
        assert_eq!(
            to_path("file:///c%3A/x/y.ts"),
            Some(PathBuf::from("c:/x/y.ts"))
        );
        assert_eq!(
            canonical("file://localhost/x/y.ts"),
            canonical("file:///x/y.ts")
        );
        assert_eq!(canonical("untitled:Untitled-1"), "untitled:Untitled-1");
        assert_eq!(to_path("untitled:Untitled-1"), None);
        // an encoded slash decodes to a separator, like any other spelling of it
        assert_eq!(canonical("file:///a%2Fb.ts"), canonical("file:///a/b.ts"));
        // a stray `%` stays
        assert_eq!(to_path("file:///a%zz%"), Some(PathBuf::from("/a%zz%")));
        assert_eq!(canonical("file:///a%25b"), canonical("file:///a%25b"));
        assert_eq!(to_path("file:///a%25b"), Some(PathBuf::from("/a%b")));
    }
}
