//! `defineStorage` (`@aws-amplify/backend-storage`): properties, access principals and actions
//! (`amplify-api.md` §3).

use super::dsl::{doc, lit, path, prop, since};
use super::types::{Doc, Literal, ObjTy, StorageRule, Ty};

const fn d(summary: &'static str, details: &'static str, path: &'static str) -> Doc {
    doc(summary, details, path, since::STORAGE)
}

static STORAGE_TRIGGERS: ObjTy = ObjTy {
    props: &[
        prop(
            "onUpload",
            Ty::Resource,
            d(
                "Function run when an object is created",
                "A `defineFunction` result invoked for S3 ObjectCreated events in the bucket.",
                path::STORAGE_TRIGGERS,
            ),
        ),
        prop(
            "onDelete",
            Ty::Resource,
            d(
                "Function run when an object is removed",
                "A `defineFunction` result invoked for S3 ObjectRemoved events in the bucket.",
                path::STORAGE_TRIGGERS,
            ),
        ),
    ],
    extra: None,
};

/// The argument of `defineStorage(...)`.
pub static STORAGE_PROPS: ObjTy = ObjTy {
    props: &[
        prop(
            "name",
            Ty::Str,
            d(
                "Friendly name of the bucket",
                "Required. Must start with a letter and contain only letters, digits, `-`, `_` or spaces (checked \
                 at synth), and be unique across buckets. Functions with access get `<NAME>_BUCKET_NAME`.",
                path::STORAGE_SETUP,
            ),
        )
        .req()
        .synth(),
        prop(
            "isDefault",
            Ty::Bool,
            d(
                "Marks the default bucket when there are several",
                "A single bucket is the default automatically; with more than one, exactly one must set this, \
                 otherwise the synth fails.",
                path::STORAGE_SETUP,
            ),
        )
        .def("false"),
        prop(
            "versioned",
            Ty::Bool,
            d(
                "Turns on S3 object versioning",
                "Keeps every version of overwritten or deleted objects.",
                path::STORAGE_EXTEND,
            ),
        )
        .def("false"),
        prop(
            "triggers",
            Ty::Obj(&STORAGE_TRIGGERS),
            d(
                "Functions run on bucket events",
                "`onUpload` and `onDelete` take `defineFunction` results.",
                path::STORAGE_TRIGGERS,
            ),
        ),
        prop(
            "access",
            Ty::Func,
            d(
                "Who may do what under which path prefix",
                "`allow => ({ 'media/*': [allow.authenticated.to(['read'])] })`. Paths must end with `/*`, may not \
                 start with `/`, and may nest only one level; bad paths fail at synth. Without rules nobody gets \
                 access.",
                path::STORAGE_AUTHZ,
            ),
        )
        .synth(),
        prop(
            "keepOnDelete",
            Ty::Bool,
            d(
                "Keep the bucket when the stack is deleted",
                "Retains the bucket and its objects; ignored (with a warning) in sandboxes.",
                path::BACKEND_DELETION,
            ),
        )
        .def("false"),
    ],
    extra: None,
};

/// The principals of the storage access builder (`allow.guest`, `allow.entity('identity')`, ...).
pub static STORAGE_RULES: &[StorageRule] = &[
    StorageRule {
        name: "guest",
        signature: "allow.guest.to(actions)",
        is_call: false,
        needs_auth: true,
        doc: d(
            "Unauthenticated users (identity pool guest role)",
            "A property, not a call: write `allow.guest.to([...])`. Needs `defineAuth`, otherwise the synth fails.",
            path::STORAGE_AUTHZ,
        ),
    },
    StorageRule {
        name: "authenticated",
        signature: "allow.authenticated.to(actions)",
        is_call: false,
        needs_auth: true,
        doc: d(
            "Any signed-in user (identity pool authenticated role)",
            "A property, not a call: write `allow.authenticated.to([...])`. Needs `defineAuth`.",
            path::STORAGE_AUTHZ,
        ),
    },
    StorageRule {
        name: "groups",
        signature: "allow.groups(groupNames).to(actions)",
        is_call: true,
        needs_auth: true,
        doc: d(
            "Members of the listed Cognito groups",
            "Each group must be declared in `defineAuth({ groups })`; an unknown group fails at synth.",
            path::STORAGE_AUTHZ,
        ),
    },
    StorageRule {
        name: "entity",
        signature: "allow.entity('identity').to(actions)",
        is_call: true,
        needs_auth: true,
        doc: d(
            "The signed-in user on their own `{entity_id}` path",
            "Only `'identity'` exists. Use it on paths with a `{entity_id}` segment right before `/*`, which is \
             replaced by the user's identity id.",
            path::STORAGE_AUTHZ,
        ),
    },
    StorageRule {
        name: "resource",
        signature: "allow.resource(fn).to(actions)",
        is_call: true,
        needs_auth: false,
        doc: d(
            "A function's execution role",
            "Grants a `defineFunction` result access and gives it the bucket name as an environment variable.",
            path::STORAGE_AUTHZ,
        ),
    },
];

const fn action(value: &'static str, summary: &'static str, details: &'static str) -> Literal {
    lit(value, d(summary, details, path::STORAGE_AUTHZ))
}

/// The actions accepted by a storage principal's `.to([...])`.
pub static STORAGE_ACTIONS: &[Literal] = &[
    action(
        "read",
        "Download and list objects (get + list)",
        "Shorthand for `get` plus `list`; do not combine it with either in the same `.to()` list.",
    ),
    action(
        "get",
        "Download objects",
        "Allows `s3:GetObject` under the path. Use instead of `read` when listing is not wanted.",
    ),
    action(
        "list",
        "List objects",
        "Allows `s3:ListBucket` restricted to the path prefix.",
    ),
    action(
        "write",
        "Upload objects",
        "Allows `s3:PutObject` under the path.",
    ),
    action(
        "delete",
        "Delete objects",
        "Allows `s3:DeleteObject` under the path.",
    ),
];
