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

    #[cfg(test)]
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
///
/// O(log n) in the size of the text, whatever the length of the line: the rope's own indexes convert between
/// bytes, chars and UTF-16 code units, so a file that is one long line costs no more per position than one of
/// short lines.
pub fn offset_at(rope: &Rope, pos: Pos, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line);
    let content_end = line_content_end(rope, line);
    let want = pos.character as usize;
    match enc {
        Encoding::Utf8 => snap(rope, line_start.saturating_add(want).min(content_end)),
        Encoding::Utf32 => {
            let first = rope.byte_to_char(line_start);
            let last = rope.byte_to_char(content_end);
            rope.char_to_byte(first.saturating_add(want).min(last))
        }
        Encoding::Utf16 => {
            let first = rope.char_to_utf16_cu(rope.byte_to_char(line_start));
            let last = rope.char_to_utf16_cu(rope.byte_to_char(content_end));
            // A unit inside a surrogate pair belongs to its character: the rope rounds down to its start.
            let ch = rope.utf16_cu_to_char(first.saturating_add(want).min(last));
            rope.char_to_byte(ch)
        }
    }
}

/// The byte offset where line `line`'s content ends: before its `"\n"` or `"\r\n"` (a lone `"\r"` is
/// ordinary text), or at the end of the text on the last line. `line` must be a line of the rope.
fn line_content_end(rope: &Rope, line: usize) -> usize {
    let start = rope.line_to_byte(line);
    let mut end = if line + 1 < rope.len_lines() {
        rope.line_to_byte(line + 1)
    } else {
        rope.len_bytes()
    };
    if end > start && rope.byte(end - 1) == b'\n' {
        end -= 1;
        if end > start && rope.byte(end - 1) == b'\r' {
            end -= 1;
        }
    }
    end
}

/// The position of byte `offset` (clamped to the text, and snapped back to a character boundary).
///
/// O(log n), whatever the length of the line (see [`offset_at`]).
pub fn position_at(rope: &Rope, offset: usize, enc: Encoding) -> Pos {
    if rope.len_chars() == rope.len_bytes() {
        // ASCII text: a byte is a character and a UTF-16 unit in every encoding, so the column is the bytes
        // since the line's start (a schema's hundreds of diagnostics are converted on each keystroke)
        let offset = offset.min(rope.len_bytes());
        let line = rope.byte_to_line(offset);
        let col = offset - rope.line_to_byte(line);
        return Pos::new(line as u32, u32::try_from(col).unwrap_or(u32::MAX));
    }
    let offset = snap(rope, offset);
    let line = rope.byte_to_line(offset);
    let line_start = rope.line_to_byte(line);
    let col = match enc {
        Encoding::Utf8 => offset - line_start,
        Encoding::Utf32 => rope.byte_to_char(offset) - rope.line_to_char(line),
        Encoding::Utf16 => {
            rope.char_to_utf16_cu(rope.byte_to_char(offset))
                - rope.char_to_utf16_cu(rope.line_to_char(line))
        }
    };
    Pos::new(line as u32, u32::try_from(col).unwrap_or(u32::MAX))
}

fn snap(rope: &Rope, offset: usize) -> usize {
    // byte_to_char rounds down to the character holding the byte: convert there and back.
    let offset = offset.min(rope.len_bytes());
    rope.char_to_byte(rope.byte_to_char(offset))
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
    fn ascii_positions_equal_the_general_conversion() {
        // the ASCII shortcut against the conversion through characters, at every offset and past the end
        let text = "import x\r\n\nconst a = {\n  b: 1,\n};\n";
        let rope = r(text);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for offset in 0..=text.len() + 3 {
                let o = snap(&rope, offset);
                let line = rope.byte_to_line(o);
                let col = rope.byte_to_char(o) - rope.line_to_char(line);
                assert_eq!(
                    position_at(&rope, offset, enc),
                    Pos::new(line as u32, col as u32),
                    "{offset} {enc:?}"
                );
            }
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

    const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

    /// The conversions spelled out on the text's lines, character by character: the reference the rope-based
    /// ones must agree with.
    fn naive_offset(text: &str, pos: Pos, enc: Encoding) -> usize {
        let mut line_start = 0;
        for _ in 0..pos.line {
            match text[line_start..].find('\n') {
                Some(i) => line_start += i + 1,
                None => return text.len(),
            }
        }
        let line = &text[line_start..];
        let mut content = line.find('\n').unwrap_or(line.len());
        if line[..content].ends_with('\r') && content < line.len() {
            content -= 1;
        }
        let mut want = pos.character as usize;
        let mut offset = line_start;
        for c in line[..content].chars() {
            let u = enc.units(c);
            if want < u {
                break;
            }
            want -= u;
            offset += c.len_utf8();
        }
        offset
    }

    fn naive_position(text: &str, offset: usize, enc: Encoding) -> Pos {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count();
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        let col: usize = before[start..].chars().map(|c| enc.units(c)).sum();
        Pos::new(line as u32, col as u32)
    }

    /// Texts whose lines mix 1- to 4-byte characters, CRLF and lone CR, and one line long enough to span many
    /// of the rope's chunks (so the rope's indexes, not one chunk, do the work).
    fn tricky_texts() -> Vec<String> {
        let long: String = (0..3000)
            .map(|i| match i % 7 {
                0 => "😀",
                1 => "中",
                2 => "é",
                3 => "\r",
                4 => "𝄞x",
                _ => "ab",
            })
            .collect();
        vec![
            String::new(),
            "a".into(),
            "\n".into(),
            "\r\n".into(),
            "\n\n".into(),
            "😀".into(),
            "a\rb\r\n\r\nc\r".into(),
            "a😀中b\r\n😀\n\u{10FFFF}é\n".into(),
            long.clone(),
            format!("{long}\r\n{long}\n"),
            format!("x\n{long}😀"),
        ]
    }

    #[test]
    fn offsets_agree_with_a_scan_of_the_line() {
        for text in tricky_texts() {
            let rope = r(&text);
            let lines = text.matches('\n').count() as u32;
            for enc in ENCODINGS {
                for line in 0..=lines + 1 {
                    let len = text.len() as u32;
                    let chars = (0..=len + 2).step_by(if len > 200 { 97 } else { 1 });
                    for character in chars.chain([u32::MAX - 1, u32::MAX]) {
                        let pos = Pos::new(line, character);
                        assert_eq!(
                            offset_at(&rope, pos, enc),
                            naive_offset(&text, pos, enc),
                            "{pos:?} {enc:?} in {:?}",
                            text.get(..40)
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn positions_agree_with_a_scan_of_the_line() {
        for text in tricky_texts() {
            let rope = r(&text);
            for enc in ENCODINGS {
                let step = if text.len() > 200 { 13 } else { 1 };
                let offsets = (0..=text.len() + 2).step_by(step);
                for offset in offsets.chain([text.len(), usize::MAX]) {
                    assert_eq!(
                        position_at(&rope, offset, enc),
                        naive_position(&text, offset, enc),
                        "{offset} {enc:?} in {:?}",
                        text.get(..40)
                    );
                }
            }
        }
    }

    #[test]
    fn astral_characters_on_a_long_line() {
        // 3 units of ASCII per 😀 (2 UTF-16 units, 4 bytes): far along one line, each column is computed, not
        // scanned.
        let text = "ab😀".repeat(100_000);
        let rope = r(&text);
        let k = 77_777usize;
        let byte = k * 6;
        assert_eq!(
            position_at(&rope, byte, Encoding::Utf16),
            Pos::new(0, (k * 4) as u32)
        );
        assert_eq!(
            position_at(&rope, byte, Encoding::Utf32),
            Pos::new(0, (k * 3) as u32)
        );
        assert_eq!(
            position_at(&rope, byte, Encoding::Utf8),
            Pos::new(0, byte as u32)
        );
        assert_eq!(
            offset_at(&rope, Pos::new(0, (k * 4) as u32), Encoding::Utf16),
            byte
        );
        // the second unit of an emoji snaps back to its start
        assert_eq!(
            offset_at(&rope, Pos::new(0, (k * 4 + 3) as u32), Encoding::Utf16),
            byte + 2
        );
        assert_eq!(
            offset_at(&rope, Pos::new(0, (k * 3) as u32), Encoding::Utf32),
            byte
        );
        // a byte inside the emoji snaps back too
        assert_eq!(
            position_at(&rope, byte + 4, Encoding::Utf16),
            Pos::new(0, (k * 4 + 2) as u32)
        );
        // past the end of the one line: its end
        assert_eq!(
            offset_at(&rope, Pos::new(0, u32::MAX), Encoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn crlf_clamps_before_the_break() {
        let rope = r("a😀\r\nb");
        for enc in ENCODINGS {
            assert_eq!(offset_at(&rope, Pos::new(0, 99), enc), 5);
        }
        // a position at the '\n' of "\r\n" is on the first line, after its content
        assert_eq!(position_at(&rope, 6, Encoding::Utf16), Pos::new(0, 4));
        assert_eq!(position_at(&rope, 7, Encoding::Utf16), Pos::new(1, 0));
    }
}
