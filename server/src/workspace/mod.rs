//! Workspace layer: the store of open documents and the index of each Amplify project.

mod document;
pub mod fs;
pub mod index;
mod store;
pub mod uri;

pub use document::{is_amplify_file, is_frontend_file, Change, ChangeError, Document, Snapshot};
pub use index::ProjectIndex;
pub use store::DocumentStore;
