//! Auth as the client sees it: the configured external providers and the declared user attributes.
//! (Skeleton: filled in by the auth part of issue 16.)

use crate::model::file::FileModel;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuthView {}

/// What a `defineAuth` file configures; `None` when the file defines none.
pub fn view_of(_file: &FileModel) -> Option<AuthView> {
    None
}
