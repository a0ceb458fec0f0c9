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

/// One edit of a text, in bytes: `start..old_end` of the text before it was replaced by `start..new_end` of the
/// text after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

/// How far the edits, applied in order, moved the text `start..end` of the text before the first of them: `None`
/// when one of them changed it (replaced or inserted into any of its bytes). An insertion at `start` moves the
/// text; one at `end` leaves it where it is.
pub fn moved_by(edits: &[Edit], start: usize, end: usize) -> Option<isize> {
    let (mut s, mut e) = (start, end);
    for ed in edits {
        if e <= ed.start {
            continue;
        }
        if s < ed.old_end {
            return None;
        }
        s = s - ed.old_end + ed.new_end;
        e = e - ed.old_end + ed.new_end;
    }
    Some(s as isize - start as isize)
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

    #[test]
    fn text_moved_by_edits_before_it_and_changed_by_edits_into_it() {
        let ins = |at: usize, n: usize| Edit {
            start: at,
            old_end: at,
            new_end: at + n,
        };
        let del = |a: usize, b: usize| Edit {
            start: a,
            old_end: b,
            new_end: a,
        };
        // before, at the start, at the end, after, inside
        assert_eq!(moved_by(&[ins(5, 3)], 10, 20), Some(3));
        assert_eq!(moved_by(&[ins(10, 3)], 10, 20), Some(3));
        assert_eq!(moved_by(&[ins(20, 3)], 10, 20), Some(0));
        assert_eq!(moved_by(&[ins(25, 3)], 10, 20), Some(0));
        assert_eq!(moved_by(&[ins(15, 3)], 10, 20), None);
        // deletions: ending at the start moves it, reaching into it or starting at it changes it
        assert_eq!(moved_by(&[del(2, 10)], 10, 20), Some(-8));
        assert_eq!(moved_by(&[del(2, 11)], 10, 20), None);
        assert_eq!(moved_by(&[del(10, 12)], 10, 20), None);
        assert_eq!(moved_by(&[del(19, 25)], 10, 20), None);
        assert_eq!(moved_by(&[del(20, 25)], 10, 20), Some(0));
        // in order: each edit in the coordinates the one before it left
        assert_eq!(
            moved_by(&[ins(0, 5), del(0, 2), ins(23, 1)], 10, 20),
            Some(3)
        );
        assert_eq!(moved_by(&[ins(0, 5), del(0, 2), ins(14, 1)], 10, 20), None);
        assert_eq!(moved_by(&[ins(0, 5), ins(16, 1)], 10, 20), None);
        assert_eq!(moved_by(&[ins(0, 5), ins(25, 1)], 10, 20), Some(5));
        assert_eq!(moved_by(&[], 10, 20), Some(0));
        // a replacement before it, of another length
        let rep = Edit {
            start: 3,
            old_end: 6,
            new_end: 7,
        };
        assert_eq!(moved_by(&[rep], 10, 20), Some(1));
        // the same check, done by hand on real text: what moved_by keeps is what the text still says
        let before = "0123456789abcdefghijKLMN";
        let mut after = before.to_string();
        after.replace_range(3..6, "wxyz");
        assert_eq!(&after[11..21], &before[10..20]);
    }
}
