//! The data API as the client sees it: models, their operations, custom operations, and for each the client
//! auth modes that can call it. (Skeleton: filled in by the data part of issue 16.)

use crate::model::file::FileModel;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataAccess {}

/// The data API a `defineData` file generates; `None` when the file defines none.
pub fn access_of(_file: &FileModel) -> Option<DataAccess> {
    None
}
