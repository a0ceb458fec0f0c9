//! `defineBackend` (`@aws-amplify/backend`): its argument and the members of the returned object
//! (`amplify-api.md` §5). `referenceAuth`'s properties live in `auth.rs` next to `defineAuth`'s.

use super::dsl::{doc, lit, path, since};
use super::types::{Doc, Extra, Literal, ObjTy, Ty};

const fn d(summary: &'static str, details: &'static str, path: &'static str) -> Doc {
    doc(summary, details, path, since::BACKEND)
}

/// Names `defineBackend` reserves for the members of the returned object.
pub const RESERVED_KEYS: &[&str] = &["createStack", "addOutput", "stack"];

/// Any resource key except the reserved member names.
pub fn is_backend_key(key: &str) -> bool {
    !key.is_empty() && !RESERVED_KEYS.contains(&key)
}

/// The argument of `defineBackend(...)`: free keys, each a `define*` result.
pub static BACKEND_PROPS: ObjTy = ObjTy {
    props: &[],
    extra: Some(Extra {
        key_desc: "any name except `createStack`, `addOutput` and `stack`",
        key_ok: is_backend_key,
        value: &Ty::Resource,
        doc: d(
            "A resource of the backend (`backend.<key>`)",
            "The value is a `defineAuth`, `defineData`, `defineStorage` or `defineFunction` result; the key becomes \
             the property on the returned backend object. Only resources listed here, or reachable from them, are \
             deployed.",
            path::PROJECT_STRUCTURE,
        ),
    }),
};

/// Members of the object `defineBackend` returns (besides the resource keys).
pub static BACKEND_MEMBERS: &[Literal] = &[
    lit(
        "createStack",
        d(
            "Creates a nested stack for custom CDK resources",
            "`backend.createStack('MyStack')` returns a stack to build CDK constructs in. Reusing a name already \
             taken, including category stacks such as `auth`, fails at synth.",
            path::BACKEND_CUSTOM,
        ),
    ),
    lit(
        "addOutput",
        d(
            "Adds entries to amplify_outputs.json",
            "Merges a partial outputs object (`custom`, `analytics`, `geo`, ...). Writing a key twice or mixing \
             output versions fails at synth.",
            path::OUTPUTS,
        ),
    ),
    lit(
        "stack",
        d(
            "The backend's root stack",
            "The CDK stack that holds the nested stacks; useful for tagging or adding stack-level outputs.",
            path::BACKEND_OVERRIDE,
        ),
    ),
];

#[cfg(test)]
mod tests {
    use super::is_backend_key;

    #[test]
    fn reserved_backend_keys() {
        assert!(is_backend_key("auth"));
        assert!(!is_backend_key("createStack"));
        assert!(!is_backend_key("stack"));
    }
}
