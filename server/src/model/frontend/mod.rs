//! The backend as the frontend sees it: what Amplify generates from the resource files, as far as an app's
//! calls (the data client, storage, auth) can be checked against it. Each part is built from one resource file
//! ([`view_of`]) and the project's parts are merged in [`crate::model::project::ProjectFacts`]; none holds a
//! position in the backend's files, so an edit that moves text without changing what it means changes nothing
//! here (and republishes no frontend file).

use std::sync::Arc;

use super::file::FileModel;

pub mod auth;
pub mod data;
pub mod storage;

/// What one resource file (or, merged, the whole project) tells the frontend checks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BackendView {
    /// From `defineData`: models, operations and who may call them. Shared, not copied: the project's facts
    /// and every summary of a 1,000-model schema hold it.
    pub data: Option<Arc<data::DataAccess>>,
    /// From `defineStorage` (one entry per bucket).
    pub storage: Option<storage::StorageAccess>,
    /// From `defineAuth`.
    pub auth: Option<auth::AuthView>,
}

impl BackendView {
    /// Adds what another file tells (the first file's part wins where both define one: a project defines each
    /// resource once, and a second definition is an error reported on the backend).
    pub fn merge(&mut self, other: &BackendView) {
        match (&mut self.data, &other.data) {
            // (equal parts merge to themselves: no copy of a shared one)
            (Some(mine), Some(theirs)) if !Arc::ptr_eq(mine, theirs) && **mine != **theirs => {
                Arc::make_mut(mine).merge(theirs);
            }
            (None, Some(theirs)) => self.data = Some(theirs.clone()),
            _ => {}
        }
        match (&mut self.storage, &other.storage) {
            (Some(mine), Some(theirs)) => mine.merge(theirs),
            (None, Some(theirs)) => self.storage = Some(theirs.clone()),
            _ => {}
        }
        match (&mut self.auth, &other.auth) {
            (Some(mine), Some(theirs)) => mine.merge(theirs),
            (None, Some(theirs)) => self.auth = Some(theirs.clone()),
            _ => {}
        }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_none() && self.storage.is_none() && self.auth.is_none()
    }
}

/// What one backend file contributes.
pub fn view_of(file: &FileModel) -> BackendView {
    BackendView {
        data: data::access_of(file).map(Arc::new),
        storage: storage::access_of(file),
        auth: auth::view_of(file),
    }
}
