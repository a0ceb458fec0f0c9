//! Frontend auth calls. (Skeleton: filled in by the auth part of issue 16.)

use super::FrontendCx;
use crate::analysis::completion::CompletionItem;
use crate::analysis::hover::Hover;
use crate::analysis::Diagnostic;

pub fn check(_cx: &FrontendCx, _out: &mut Vec<Diagnostic>) {}

pub fn complete(_cx: &FrontendCx, _offset: usize) -> Option<Vec<CompletionItem>> {
    None
}

pub fn hover(_cx: &FrontendCx, _offset: usize) -> Option<Hover> {
    None
}
