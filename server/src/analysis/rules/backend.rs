//! Backend wiring rules that cross files: a resource defined but never reaching `defineBackend`.

use super::RuleCtx;
use crate::analysis::{Diagnostic, Severity};
use crate::model::project::normalize;

pub fn check(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    not_in_backend(cx, out);
}

/// `backend/not-in-backend`: an exported resource that no other project file imports (so it cannot reach
/// `defineBackend`, directly or through another resource) and that this file does not use either.
fn not_in_backend(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let (Some(path), true, true) = (cx.path, cx.project.complete, cx.project.has_backend) else {
        return;
    };
    let me = normalize(path);
    for (i, d) in cx.file.defines.iter().enumerate() {
        if !d.kind.is_resource() || !d.exported {
            continue;
        }
        let Some(name) = d.binding.as_deref() else {
            continue;
        };
        let imported = cx
            .project
            .imported
            .iter()
            .any(|(p, n)| *p == me && n == name);
        if imported || used_locally(cx.src, name, d.call_span.end) {
            continue;
        }
        let span = cx.file.define_name_span(i).unwrap_or(d.callee_span);
        out.push(Diagnostic::new(
            span,
            Severity::Warning,
            "backend/not-in-backend",
            format!(
                "`{name}` is never passed to `defineBackend` (no file imports it), so it will not be deployed: \
                 import it in amplify/backend.ts and add it to `defineBackend({{ ... }})`"
            ),
        ));
    }
}

/// Whether `name` appears as an identifier in `src` after `from` (used by another definition in the file).
fn used_locally(src: &str, name: &str, from: usize) -> bool {
    let rest = src.get(from..).unwrap_or("");
    let is_ident = |c: char| c == '_' || c == '$' || c.is_alphanumeric();
    rest.match_indices(name).any(|(i, _)| {
        let before = rest[..i].chars().next_back();
        let after = rest[i + name.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident) && before != Some('.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_use() {
        assert!(used_locally(
            "x; handler: a.handler.function(fn1)",
            "fn1",
            0
        ));
        assert!(!used_locally("x; fn10; obj.fn1", "fn1", 0));
    }
}
