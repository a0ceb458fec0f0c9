//! Text layer: positions, encodings and the edits that change a document's rope.
//!
//! Everything above this layer speaks byte offsets into the document's UTF-8 text. This module is the one
//! place that converts between LSP positions (line + character in the negotiated encoding) and bytes.

mod position;

pub use position::{offset_at, position_at, Encoding, Pos, Span};

/// The text of `rope` as one string, allocated once at its full length (`to_string` goes through `Display`, which
/// grows the string a chunk at a time: about twenty reallocations and copies for a 447 KB schema, on every
/// keystroke).
pub fn rope_text(rope: &ropey::Rope) -> String {
    let mut s = String::with_capacity(rope.len_bytes());
    for chunk in rope.chunks() {
        s.push_str(chunk);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rope_text_is_the_ropes_text() {
        // long enough for many chunks, with characters of every UTF-8 length across chunk boundaries
        let mut text = String::new();
        for i in 0..5_000 {
            text.push_str(&format!("line {i}: é€😀 ascii\n"));
        }
        let mut rope = ropey::Rope::from_str(&text);
        rope.insert(1234, "😀 inserted");
        rope.remove(50_000..50_100);
        assert!(rope.chunks().count() > 10);
        let s = rope_text(&rope);
        assert_eq!(s, rope.to_string());
        assert_eq!(s.capacity(), s.len());
        assert_eq!(rope_text(&ropey::Rope::new()), "");
    }
}
