//! Storage as the client sees it: each bucket's path prefixes and the actions each principal may perform on
//! them. (Skeleton: filled in by the storage part of issue 16.)

use crate::model::file::FileModel;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StorageAccess {}

impl StorageAccess {
    /// Adds the buckets of another `defineStorage` file.
    pub fn merge(&mut self, _other: &StorageAccess) {}
}

/// The storage a `defineStorage` file generates; `None` when the file defines none.
pub fn access_of(_file: &FileModel) -> Option<StorageAccess> {
    None
}
