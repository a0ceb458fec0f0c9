//! The open documents, keyed by the canonical spelling of their URI (see [`super::uri`]): every method takes
//! the URI as the client spelled it, and a document keeps that spelling for what is sent back. Guards are never
//! held across an `.await` by callers: every method here is synchronous and returns owned data.

use dashmap::DashMap;

use super::document::{Change, ChangeError, Document, Snapshot};
use super::uri::canonical;
use crate::syntax::Lang;
use crate::text::Encoding;

#[derive(Debug, Default)]
pub struct DocumentStore {
    docs: DashMap<String, Document>,
}

impl DocumentStore {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn open(
        &self,
        uri: &str,
        lang: Option<Lang>,
        version: i32,
        text: String,
        max_size: usize,
    ) -> Snapshot {
        let doc = Document::new(uri, lang, version, text, max_size);
        let snap = doc.snapshot();
        self.docs.insert(canonical(uri), doc);
        snap
    }

    /// Applies changes; `Ok(None)` when the document is not open.
    pub fn change(
        &self,
        uri: &str,
        version: i32,
        changes: &[Change],
        enc: Encoding,
    ) -> Result<Option<Snapshot>, ChangeError> {
        let Some(mut doc) = self.docs.get_mut(&canonical(uri)) else {
            return Ok(None);
        };
        doc.apply(version, changes, enc)?;
        Ok(Some(doc.snapshot()))
    }

    /// Applies a new size limit to every open document (re-deciding which ones are analysed).
    pub fn set_max_size(&self, max_size: usize) {
        for mut doc in self.docs.iter_mut() {
            doc.set_max_size(max_size);
        }
    }

    pub fn close(&self, uri: &str) -> bool {
        self.docs.remove(&canonical(uri)).is_some()
    }

    pub fn snapshot(&self, uri: &str) -> Option<Snapshot> {
        self.docs.get(&canonical(uri)).map(|d| d.snapshot())
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    pub fn uris(&self) -> Vec<String> {
        self.docs.iter().map(|e| e.key().clone()).collect()
    }

    /// Whether an open frontend document (see [`Snapshot::frontend`]) has a URI that `keep` accepts. Looks at
    /// the documents in place, without a snapshot of each (asked on every keystroke of a backend file).
    pub fn any_frontend(&self, keep: impl Fn(&str) -> bool) -> bool {
        self.docs
            .iter()
            .any(|e| e.value().is_frontend() && keep(e.value().uri()))
    }

    pub fn snapshots(&self) -> Vec<Snapshot> {
        self.docs.iter().map(|e| e.value().snapshot()).collect()
    }
}
