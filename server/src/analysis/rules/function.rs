//! function rules (placeholder until the rules land).

use super::RuleCtx;
use crate::analysis::Diagnostic;

pub fn check(_cx: &RuleCtx, _out: &mut Vec<Diagnostic>) {}
