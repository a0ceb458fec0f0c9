//! Workspace layer: the store of open documents and the index of each Amplify project.

mod document;
mod store;

pub use document::{is_amplify_file, Change, ChangeError, Document, Snapshot};
pub use store::DocumentStore;
