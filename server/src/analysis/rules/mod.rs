//! Semantic rules, each named by a stable code. Every rule module exposes
//! `pub fn check(cx: &RuleCtx, out: &mut Vec<Diagnostic>)`.

use std::path::Path;

use crate::model::file::FileModel;
use crate::model::project::ProjectFacts;

pub mod validators;

/// What a rule sees: one file's text and model, where it lives, and the project's facts.
pub struct RuleCtx<'a> {
    pub src: &'a str,
    pub file: &'a FileModel,
    /// The file's path on disk, when it has one.
    pub path: Option<&'a Path>,
    pub project: &'a ProjectFacts,
}

pub mod auth;
pub mod backend;
pub mod data;
pub mod frontend;
pub mod function;
pub mod migration;
mod per_entry;
pub mod security;
pub mod shape;
pub mod storage;
#[cfg(test)]
pub(crate) mod testkit;
pub mod xref;
