//! Model layer: the catalog of the Amplify API, plain-data values of expressions, per-file models, the
//! data-schema model and the cursor context.

pub mod catalog;
pub mod context;
pub mod file;
pub mod frontend;
pub mod memo;
pub mod mentions;
pub mod project;
pub mod schema;
pub mod value;
