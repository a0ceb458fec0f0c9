//! Which of a few words a file's text holds, found in one pass when its model is built.
//!
//! Some rules look further only when a word appears somewhere in the text, in code or not (`configure`,
//! `PolicyStatement`, the mark that silences a line). Each asking the text itself meant a scan of the whole
//! file per word on every keystroke: in a 12,000-line schema those scans were 40% of the rules that are not
//! the data rules'. One multi-word scan answers all of them.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, Input, MatchKind};

use crate::model::catalog;

/// The mark of a comment that silences diagnostics on the next line.
pub const IGNORE_MARK: &str = "amplify-lsp-ignore-next-line";

/// A word some rule asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// `configure` (the data schema's `configure({ database })`).
    Configure,
    /// The name of any call imported from `@aws-amplify/backend-ai`.
    BackendAiCall,
    /// [`IGNORE_MARK`].
    IgnoreMark,
    /// `PolicyStatement`.
    PolicyStatement,
    /// `defineBackend`.
    DefineBackend,
}

/// The words a text holds, one bit per [`Word`]. The default holds every word: a model not built from its
/// text (a test's) then makes each rule look further, as it would without this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mentions(u8);

impl Default for Mentions {
    fn default() -> Self {
        Mentions(u8::MAX)
    }
}

/// The scanner and, for each of its patterns, the word it stands for.
static WORDS: LazyLock<Option<(AhoCorasick, Vec<Word>)>> = LazyLock::new(|| {
    let patterns = patterns();
    // (leftmost-first: the kind the SIMD prefilter serves; the standard kind walks the automaton byte by byte)
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(patterns.iter().map(|(p, _)| p))
        .ok()?;
    Some((ac, patterns.into_iter().map(|(_, w)| w).collect()))
});

/// Each text looked for, and the word it stands for.
fn patterns() -> Vec<(&'static str, Word)> {
    let mut patterns = vec![
        ("configure", Word::Configure),
        (IGNORE_MARK, Word::IgnoreMark),
        ("PolicyStatement", Word::PolicyStatement),
        ("defineBackend", Word::DefineBackend),
    ];
    patterns.extend(
        catalog::CALLS
            .iter()
            .filter(|c| c.module == catalog::ai::BACKEND_AI)
            .map(|c| (c.name, Word::BackendAiCall)),
    );
    patterns
}

impl Mentions {
    /// The words `src` holds.
    pub fn of(src: &str) -> Mentions {
        let Some((ac, words)) = WORDS.as_ref() else {
            return Mentions::default();
        };
        let all = words.iter().fold(0u8, |bits, w| bits | bit(*w));
        let mut found = 0u8;
        // Each search resumes one byte after the start of the last match, not at its end: an occurrence that
        // overlaps it (`defineBackendefine...`) is found too. No pattern is a prefix of another (tested), so
        // no two start at the same byte.
        let mut at = 0;
        while let Some(m) = ac.find(Input::new(src).span(at..src.len())) {
            found |= words.get(m.pattern().as_usize()).map_or(0, |w| bit(*w));
            if found == all {
                break;
            }
            at = m.start() + 1;
        }
        Mentions(found)
    }

    /// Whether the text holds `word`.
    pub fn has(self, word: Word) -> bool {
        self.0 & bit(word) != 0
    }
}

fn bit(word: Word) -> u8 {
    1 << word as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS_ASKED: [Word; 5] = [
        Word::Configure,
        Word::BackendAiCall,
        Word::IgnoreMark,
        Word::PolicyStatement,
        Word::DefineBackend,
    ];

    /// What asking the text word by word answers.
    fn asked(src: &str, word: Word) -> bool {
        match word {
            Word::Configure => src.contains("configure"),
            Word::BackendAiCall => catalog::CALLS
                .iter()
                .any(|c| c.module == catalog::ai::BACKEND_AI && src.contains(c.name)),
            Word::IgnoreMark => src.contains(IGNORE_MARK),
            Word::PolicyStatement => src.contains("PolicyStatement"),
            Word::DefineBackend => src.contains("defineBackend"),
        }
    }

    #[test]
    fn one_scan_answers_as_asking_the_text_word_by_word() {
        let texts = [
            "",
            "const schema = a.schema({ Todo: a.model({}) });",
            "export const backend = defineBackend({ auth });",
            "// amplify-lsp-ignore-next-line data/x\nconst x = 1;",
            "import { defineConversationHandlerFunction } from '@aws-amplify/backend-ai';",
            "new PolicyStatement({ resources: ['*'] }); configure({ database: x });",
            // every word, and words inside others
            "defineBackendX PolicyStatements reconfigured amplify-lsp-ignore-next-lines \
             defineConversationHandlerFunction",
            "defineBacken configur PolicyStatemen amplify-lsp-ignore-next-lin",
            // overlapping occurrences
            "defineBackendefineConversationHandlerFunction",
            "xdefineBackendefineBackend",
        ];
        for src in texts {
            let m = Mentions::of(src);
            for w in WORDS_ASKED {
                assert_eq!(m.has(w), asked(src, w), "{w:?} in {src:?}");
            }
        }
        // no two patterns can start at the same byte (what resuming one byte after a match relies on)
        let patterns: Vec<&str> = patterns().into_iter().map(|(p, _)| p).collect();
        for a in &patterns {
            for b in &patterns {
                assert!(a == b || !b.starts_with(a), "{a} begins {b}");
            }
        }
        // a model not built from a text holds every word
        assert!(WORDS_ASKED.iter().all(|w| Mentions::default().has(*w)));
    }
}
