//! One open document: its rope, its text, its incrementally maintained syntax tree, and immutable snapshots.

use std::sync::{Arc, OnceLock};

use ropey::Rope;
use tree_sitter::{InputEdit, Point, Tree};

use crate::model::file::FileModel;
use crate::model::value::LowerCache;
use crate::syntax::{self, Lang};
use crate::text::{offset_at, Encoding, Pos};

/// One content change of a `didChange` notification, in protocol-independent form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `None` replaces the whole document.
    pub range: Option<(Pos, Pos)>,
    pub text: String,
}

/// Why a change was not applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("version {got} is not newer than the document's version {have}; change ignored")]
    StaleVersion { have: i32, got: i32 },
}

/// An immutable view of a document at one version, shared with analysis.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub uri: Arc<str>,
    pub version: i32,
    pub lang: Option<Lang>,
    pub text: Arc<String>,
    pub rope: Rope,
    /// The syntax tree, present for Amplify files of a TypeScript flavour.
    pub tree: Option<Tree>,
    /// Whether the document is an Amplify backend file (see [`is_amplify_file`]).
    pub amplify: bool,
    /// Set when the document is larger than the configured limit: it is kept but not analysed.
    pub too_large: bool,
    /// The file model of this version, built on first use and shared by every snapshot of the version.
    model: Arc<OnceLock<Option<Arc<FileModel>>>>,
    /// What the latest earlier version whose model was built had lowered, reused by this version's build.
    prev_lowered: Option<Arc<LowerCache>>,
}

impl Snapshot {
    /// The file model of this version (`None` when the document is not analysed). Built once per version:
    /// diagnostics, the project index, completion and hover of one version share it.
    pub fn file_model(&self) -> Option<Arc<FileModel>> {
        self.model
            .get_or_init(|| {
                let (tree, lang) = (self.tree.as_ref()?, self.lang?);
                Some(Arc::new(FileModel::build_incremental(
                    tree,
                    &self.text,
                    lang,
                    self.prev_lowered.as_deref(),
                )))
            })
            .clone()
    }

    /// Whether the file model of this version is built already (then asking for it costs nothing).
    pub fn file_model_built(&self) -> bool {
        self.model.get().is_some()
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    uri: Arc<str>,
    version: i32,
    lang: Option<Lang>,
    rope: Rope,
    text: Arc<String>,
    tree: Option<Tree>,
    amplify: bool,
    max_size: usize,
    model: Arc<OnceLock<Option<Arc<FileModel>>>>,
    prev_lowered: Option<Arc<LowerCache>>,
}

impl Document {
    pub fn new(
        uri: &str,
        lang: Option<Lang>,
        version: i32,
        text: String,
        max_size: usize,
    ) -> Document {
        let mut doc = Document {
            uri: Arc::from(uri),
            version,
            lang,
            rope: Rope::from_str(&text),
            text: Arc::new(text),
            tree: None,
            amplify: false,
            max_size,
            model: Arc::default(),
            prev_lowered: None,
        };
        doc.refresh(false);
        doc
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn tree(&self) -> Option<&Tree> {
        self.tree.as_ref()
    }

    /// Applies the changes of one `didChange` notification, in order, then reparses incrementally.
    pub fn apply(
        &mut self,
        version: i32,
        changes: &[Change],
        enc: Encoding,
    ) -> Result<(), ChangeError> {
        if version <= self.version {
            return Err(ChangeError::StaleVersion {
                have: self.version,
                got: version,
            });
        }
        let mut incremental = self.tree.is_some();
        for change in changes {
            match change.range {
                None => {
                    self.rope = Rope::from_str(&change.text);
                    incremental = false;
                    self.tree = None;
                }
                Some((a, b)) => {
                    let mut start = offset_at(&self.rope, a, enc);
                    let mut end = offset_at(&self.rope, b, enc);
                    if start > end {
                        // An inverted range is a client bug; treat it as the range it spans.
                        std::mem::swap(&mut start, &mut end);
                    }
                    let start_point = self.point(start);
                    let old_end_point = self.point(end);
                    let cs = self.rope.byte_to_char(start);
                    let ce = self.rope.byte_to_char(end);
                    self.rope.remove(cs..ce);
                    self.rope.insert(cs, &change.text);
                    let new_end = start + change.text.len();
                    let new_end_point = self.point(new_end);
                    if let Some(tree) = self.tree.as_mut() {
                        tree.edit(&InputEdit {
                            start_byte: start,
                            old_end_byte: end,
                            new_end_byte: new_end,
                            start_position: start_point,
                            old_end_position: old_end_point,
                            new_end_position: new_end_point,
                        });
                    }
                }
            }
        }
        self.version = version;
        self.text = Arc::new(self.rope.to_string());
        self.refresh(incremental);
        Ok(())
    }

    /// Changes the size limit; the document is re-parsed from scratch when that changes whether it is analysed.
    pub fn set_max_size(&mut self, max_size: usize) {
        if max_size == self.max_size {
            return;
        }
        let was_large = self.text.len() > self.max_size;
        self.max_size = max_size;
        if was_large != (self.text.len() > max_size) {
            self.refresh(false);
        }
    }

    fn point(&self, byte: usize) -> Point {
        let row = self.rope.byte_to_line(byte);
        Point::new(row, byte - self.rope.line_to_byte(row))
    }

    /// Re-decides whether the document is ours and (re)parses it when it is.
    fn refresh(&mut self, incremental: bool) {
        if let Some(Some(m)) = self.model.get() {
            self.prev_lowered = Some(m.lowered.clone());
        }
        self.model = Arc::default();
        let too_large = self.text.len() > self.max_size;
        self.amplify = self.lang.is_some() && !too_large && is_amplify_file(&self.uri, &self.text);
        match (self.amplify, self.lang) {
            (true, Some(lang)) => {
                let old = if incremental {
                    self.tree.as_ref()
                } else {
                    None
                };
                self.tree = syntax::parse(&self.text, lang, old);
            }
            _ => self.tree = None,
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            uri: self.uri.clone(),
            version: self.version,
            lang: self.lang,
            text: self.text.clone(),
            rope: self.rope.clone(),
            tree: self.tree.clone(),
            amplify: self.amplify,
            too_large: self.text.len() > self.max_size,
            model: self.model.clone(),
            prev_lowered: self.prev_lowered.clone(),
        }
    }
}

/// Whether a TypeScript file is an Amplify backend file: it lives under an `amplify/` folder, or it imports
/// from `@aws-amplify/backend` or `@aws-amplify/backend-*`.
pub fn is_amplify_file(uri_or_path: &str, text: &str) -> bool {
    let path = uri_or_path.split(['?', '#']).next().unwrap_or(uri_or_path);
    let in_amplify_dir = path
        .split(['/', '\\'])
        .rev()
        .skip(1)
        .any(|seg| seg == "amplify");
    let in_node_modules = path.split(['/', '\\']).any(|seg| seg == "node_modules");
    if in_node_modules {
        return false;
    }
    in_amplify_dir || imports_amplify_backend(text)
}

fn imports_amplify_backend(text: &str) -> bool {
    let needle = "@aws-amplify/backend";
    let mut rest = text;
    while let Some(i) = rest.find(needle) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + needle.len()..].chars().next();
        if matches!(before, Some('\'' | '"' | '`'))
            && matches!(after, Some('\'' | '"' | '`' | '-' | '/'))
        {
            return true;
        }
        rest = &rest[i + needle.len()..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const URI: &str = "file:///p/amplify/data/resource.ts";

    fn doc(text: &str) -> Document {
        Document::new(URI, Some(Lang::TypeScript), 1, text.to_string(), 5_000_000)
    }

    fn change(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> Change {
        Change {
            range: Some((Pos::new(l0, c0), Pos::new(l1, c1))),
            text: text.to_string(),
        }
    }

    #[test]
    fn incremental_edits_apply_in_order() {
        let mut d = doc("const a = 1;\nconst b = 2;\n");
        d.apply(
            2,
            &[change(0, 10, 0, 11, "42"), change(1, 0, 1, 0, "// hi\n")],
            Encoding::Utf16,
        )
        .expect("apply");
        assert_eq!(d.text(), "const a = 42;\n// hi\nconst b = 2;\n");
        let fresh = syntax::parse(d.text(), Lang::TypeScript, None).expect("parse");
        assert_eq!(
            d.tree().expect("tree").root_node().to_sexp(),
            fresh.root_node().to_sexp()
        );
    }

    #[test]
    fn snapshots_of_one_version_share_their_file_model() {
        let mut d = doc("export const auth = defineAuth({ loginWith: { email: true } });\n");
        let a = d.snapshot().file_model().expect("model");
        let b = d.snapshot().file_model().expect("model");
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.defines.len(), 1);
        d.apply(
            2,
            &[change(1, 0, 1, 0, "defineBackend({ auth });\n")],
            Encoding::Utf16,
        )
        .expect("apply");
        let c = d.snapshot().file_model().expect("model");
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(c.defines.len(), 2);
        // a document that is not analysed has no model
        let other = Document::new("file:///p/src/app.ts", None, 1, "x".into(), 100);
        assert!(other.snapshot().file_model().is_none());
    }

    #[test]
    fn stale_versions_are_rejected() {
        let mut d = doc("x");
        assert!(d
            .apply(1, &[change(0, 0, 0, 0, "y")], Encoding::Utf16)
            .is_err());
        assert_eq!(d.text(), "x");
        d.apply(5, &[change(0, 0, 0, 0, "y")], Encoding::Utf16)
            .expect("apply");
        assert_eq!(d.text(), "yx");
    }

    #[test]
    fn full_and_incremental_interleave() {
        let mut d = doc("a");
        d.apply(
            2,
            &[
                Change {
                    range: None,
                    text: "hello\nworld".into(),
                },
                change(1, 0, 1, 5, "there"),
            ],
            Encoding::Utf16,
        )
        .expect("apply");
        assert_eq!(d.text(), "hello\nthere");
    }

    #[test]
    fn which_files_are_ours() {
        assert!(is_amplify_file("file:///p/amplify/auth/resource.ts", ""));
        assert!(is_amplify_file("file:///p/amplify/backend.ts", ""));
        assert!(!is_amplify_file(
            "file:///p/src/app.ts",
            "import x from 'react';"
        ));
        assert!(is_amplify_file(
            "file:///p/src/app.ts",
            "import { defineAuth } from '@aws-amplify/backend';"
        ));
        assert!(is_amplify_file(
            "file:///p/infra.ts",
            "import { x } from \"@aws-amplify/backend-function\";"
        ));
        assert!(!is_amplify_file(
            "file:///p/infra.ts",
            "// mentions @aws-amplify/backendish"
        ));
        assert!(!is_amplify_file("file:///p/node_modules/amplify/x.ts", ""));
        // a file named amplify.ts is not a folder
        assert!(!is_amplify_file("file:///p/amplify.ts", ""));
    }
}
