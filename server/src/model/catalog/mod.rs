//! The one declarative model of the Amplify API.
mod dsl;
mod types;
pub mod auth;
pub use types::*;
