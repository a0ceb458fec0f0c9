//! The open documents, keyed by the canonical spelling of their URI (see [`super::uri`]): every method takes
//! the URI as the client spelled it, and a document keeps that spelling for what is sent back. Guards are never
//! held across an `.await` by callers: every method here is synchronous and returns owned data.

use std::sync::Arc;

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
    ) -> Result<Option<Arc<String>>, ChangeError> {
        let Some(mut doc) = self.docs.get_mut(&canonical(uri)) else {
            return Ok(None);
        };
        // The parse waits for the first snapshot of the version: the requests that arrived with the change and
        // read only its text are answered first, and a burst of changes is parsed once.
        doc.apply_deferred(version, changes, enc)?;
        Ok(Some(doc.current_text().1))
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

    /// The snapshot of a document's current version, parsed first when it is not yet.
    pub fn snapshot(&self, uri: &str) -> Option<Snapshot> {
        let key = canonical(uri);
        {
            let doc = self.docs.get(&key)?;
            if !doc.parse_due() {
                return Some(doc.snapshot());
            }
        }
        let mut doc = self.docs.get_mut(&key)?;
        doc.parse_pending();
        Some(doc.snapshot())
    }

    /// A snapshot for what reads only the text: never parses (see [`Document::text_snapshot`]).
    pub fn text_snapshot(&self, uri: &str) -> Option<Snapshot> {
        self.docs.get(&canonical(uri)).map(|d| d.text_snapshot())
    }

    /// A document's current version and text, without a snapshot.
    pub fn current_text(&self, uri: &str) -> Option<(i32, Arc<String>)> {
        self.docs.get(&canonical(uri)).map(|d| d.current_text())
    }

    /// Whether a document is open; never parses.
    pub fn contains(&self, uri: &str) -> bool {
        self.docs.contains_key(&canonical(uri))
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
        self.docs
            .iter_mut()
            .map(|mut e| {
                e.value_mut().parse_pending();
                e.value().snapshot()
            })
            .collect()
    }
}
