use ropey::Rope;

/// The unit in which a position's `character` counts: LSP's default is UTF-16 code units; a client may offer
/// UTF-8 (bytes) or UTF-32 (code points).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    /// Parses an LSP `PositionEncodingKind` string.
    pub fn from_lsp(s: &str) -> Option<Self> {
        match s {
            "utf-8" => Some(Self::Utf8),
            "utf-16" => Some(Self::Utf16),
            "utf-32" => Some(Self::Utf32),
            _ => None,
        }
    }

    pub fn as_lsp(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Utf16 => "utf-16",
            Self::Utf32 => "utf-32",
        }
    }

    fn units(self, c: char) -> usize {
        match self {
            Self::Utf8 => c.len_utf8(),
            Self::Utf16 => c.len_utf16(),
            Self::Utf32 => 1,
        }
    }
}

/// A zero-based line and a character offset in some [`Encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Pos {
    pub line: u32,
    pub character: u32,
}

impl Pos {
    pub fn new(line: u32, character: u32) -> Self {
        Self { line, character }
    }
}

/// A half-open byte range into a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
    /// Like `contains`, but also true at the end position (a cursor right after the last character).
    pub fn touches(&self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }
}

/// The byte offset of `pos`. Positions past the end of a line clamp to the line's end (before its line break),
/// lines past the end of the text clamp to the end of the text, and a position inside a character (e.g. between
/// the two UTF-16 units of an emoji) snaps back to the character's start. Never panics.
pub fn offset_at(rope: &Rope, pos: Pos, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line);
    let slice = rope.line(line);
    // The line's content ends before its "\n" or "\r\n" (a lone "\r" is ordinary text).
    let mut content = slice.len_bytes();
    if content > 0 && slice.byte(content - 1) == b'\n' {
        content -= 1;
        if content > 0 && slice.byte(content - 1) == b'\r' {
            content -= 1;
        }
    }
    let mut want = pos.character as usize;
    let mut offset = line_start;
    for c in slice.byte_slice(..content).chars() {
        let u = enc.units(c);
        if want < u {
            break;
        }
        want -= u;
        offset += c.len_utf8();
        if want == 0 {
            break;
        }
    }
    offset
}

/// The position of byte `offset` (clamped to the text, and snapped back to a character boundary).
pub fn position_at(rope: &Rope, offset: usize, enc: Encoding) -> Pos {
    let offset = snap(rope, offset);
    let line = rope.byte_to_line(offset);
    let line_start = rope.line_to_byte(line);
    let col = if enc == Encoding::Utf8 {
        offset - line_start
    } else {
        let slice = rope.byte_slice(line_start..offset);
        slice.chars().map(|c| enc.units(c)).sum()
    };
    Pos::new(line as u32, col as u32)
}

/// Converts a byte column within a line's text to `enc` units (used by the `check` printer).
pub fn byte_col_to_units(line: &str, byte_col: usize, enc: Encoding) -> usize {
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if i >= byte_col {
            break;
        }
        units += enc.units(c);
    }
    units
}

fn snap(rope: &Rope, offset: usize) -> usize {
    let mut offset = offset.min(rope.len_bytes());
    // Walk back to a char boundary: byte_to_char rounds down, so convert there and back.
    let ch = rope.byte_to_char(offset);
    let back = rope.char_to_byte(ch);
    if back != offset {
        offset = back;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Rope {
        Rope::from_str(s)
    }

    #[test]
    fn ascii_round_trip() {
        let rope = r("abc\ndef\n");
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            assert_eq!(offset_at(&rope, Pos::new(1, 2), enc), 6);
            assert_eq!(position_at(&rope, 6, enc), Pos::new(1, 2));
        }
    }

    #[test]
    fn emoji_and_cjk_units() {
        // 😀 is 4 bytes, 2 UTF-16 units, 1 code point; 中 is 3 bytes, 1 unit.
        let rope = r("a😀中b\n");
        assert_eq!(offset_at(&rope, Pos::new(0, 3), Encoding::Utf16), 5);
        assert_eq!(offset_at(&rope, Pos::new(0, 4), Encoding::Utf16), 8);
        assert_eq!(offset_at(&rope, Pos::new(0, 5), Encoding::Utf8), 5);
        assert_eq!(offset_at(&rope, Pos::new(0, 3), Encoding::Utf32), 8);
        assert_eq!(position_at(&rope, 8, Encoding::Utf16), Pos::new(0, 4));
        assert_eq!(position_at(&rope, 8, Encoding::Utf8), Pos::new(0, 8));
        assert_eq!(position_at(&rope, 8, Encoding::Utf32), Pos::new(0, 3));
    }

    #[test]
    fn inside_a_surrogate_pair_snaps_back() {
        let rope = r("a😀b");
        assert_eq!(offset_at(&rope, Pos::new(0, 2), Encoding::Utf16), 1);
        // a byte offset inside the emoji maps to the emoji's start
        assert_eq!(position_at(&rope, 3, Encoding::Utf16), Pos::new(0, 1));
    }

    #[test]
    fn clamps_past_line_and_file_end() {
        let rope = r("ab\r\ncd");
        assert_eq!(offset_at(&rope, Pos::new(0, 99), Encoding::Utf16), 2);
        assert_eq!(offset_at(&rope, Pos::new(9, 0), Encoding::Utf16), 6);
        assert_eq!(position_at(&rope, 999, Encoding::Utf16), Pos::new(1, 2));
    }

    #[test]
    fn lone_cr_is_not_a_line_break() {
        let rope = r("a\rb\nc");
        assert_eq!(rope.len_lines(), 2);
        assert_eq!(offset_at(&rope, Pos::new(1, 0), Encoding::Utf16), 4);
    }
}
