//! The one declarative model of the Amplify Gen 2 backend API. Completion, hover and shape diagnostics all read
//! these tables, so they cannot disagree. The shapes are in `types.rs`; the data is split by package:
//! `calls.rs` (the factories), `auth.rs`, `data.rs`, `storage.rs`, `function.rs`, `backend.rs` (argument trees)
//! and `schema.rs` (the `a` builder and its `allow.*` rules).

mod dsl;
mod types;

pub mod ai;
pub mod auth;
pub mod backend;
pub mod calls;
pub mod data;
pub mod function;
pub mod schema;
pub mod sql;
pub mod storage;

pub use ai::{builder_arg, BUILDER_ARGS};
pub use auth::{AUTH_ACCESS_ACTIONS, AUTH_PROPS, AUTH_TRIGGERS, REFERENCE_AUTH_PROPS};
pub use backend::{BACKEND_MEMBERS, BACKEND_PROPS};
pub use calls::CALLS;
pub use data::DATA_PROPS;
pub use function::FUNCTION_PROPS;
pub use schema::{
    AI_MODELS, DATA_OPERATIONS, DATA_RULES, DISABLE_OPERATIONS, INDEX_PROJECTIONS, MEMBERS,
    MODIFIERS, RESOURCE_OPERATIONS, RULE_CHAIN_METHODS, SUBSCRIPTION_MUTATIONS, VALIDATORS,
};
pub use storage::{STORAGE_ACTIONS, STORAGE_PROPS, STORAGE_RULES};
pub use types::*;

/// The platform slugs of docs.amplify.aws; backend pages exist under each of them.
pub const PLATFORMS: &[&str] = &[
    "react",
    "nextjs",
    "vue",
    "angular",
    "javascript",
    "react-native",
    "flutter",
    "swift",
    "android",
];

/// Guard for the recursive walks; the type graph is a tree of depth 8 at most.
const MAX_DEPTH: usize = 16;

/// A top-level factory call by name (`defineAuth`, `secret`, ...).
pub fn call(name: &str) -> Option<&'static Call> {
    CALLS.iter().find(|c| c.name == name)
}

/// A known property of an object type.
pub fn prop<'a>(obj: &'a ObjTy, name: &str) -> Option<&'a Prop> {
    obj.props.iter().find(|p| p.name == name)
}

/// Whether `key` is accepted by the object: a known property or a key its `extra` rule accepts.
pub fn accepts_key(obj: &ObjTy, key: &str) -> bool {
    prop(obj, key).is_some() || obj.extra.is_some_and(|e| (e.key_ok)(key))
}

/// The object type inside a type, looking through `OneOf` and `Arr` (the first object found).
pub fn object_of(ty: &Ty) -> Option<&'static ObjTy> {
    fn go(ty: &Ty, depth: usize) -> Option<&'static ObjTy> {
        if depth > MAX_DEPTH {
            return None;
        }
        match *ty {
            Ty::Obj(obj) => Some(obj),
            Ty::Arr(inner) => go(inner, depth + 1),
            Ty::OneOf(options) => options.iter().find_map(|t| go(t, depth + 1)),
            _ => None,
        }
    }
    go(ty, 0)
}

/// A member of `a`, `a.handler` or `a.ai`.
pub fn member(on: Builder, name: &str) -> Option<&'static Member> {
    MEMBERS.iter().find(|m| m.on == on && m.name == name)
}

/// The chain methods that may follow a builder result.
pub fn modifiers_for(b: Builder) -> impl Iterator<Item = &'static Modifier> {
    MODIFIERS.iter().filter(move |m| m.on.contains(&b))
}

/// One chain method of a builder.
pub fn modifier(b: Builder, name: &str) -> Option<&'static Modifier> {
    modifiers_for(b).find(|m| m.name == name)
}

/// A validator of `.validate(v => ...)`.
pub fn validator(name: &str) -> Option<&'static Modifier> {
    VALIDATORS.iter().find(|v| v.name == name)
}

/// A data `allow.*` rule by name.
pub fn data_rule(name: &str) -> Option<&'static DataRule> {
    DATA_RULES.iter().find(|r| r.name == name)
}

/// The chain methods a data rule offers in a context: none inside custom operations, otherwise `rule.chain`.
pub fn rule_chain(rule: &DataRule, ctx: AuthContext) -> &'static [&'static str] {
    if ctx == AuthContext::Operation || !rule.contexts.contains(&ctx) {
        &[]
    } else {
        rule.chain
    }
}

/// A storage access principal by name.
pub fn storage_rule(name: &str) -> Option<&'static StorageRule> {
    STORAGE_RULES.iter().find(|r| r.name == name)
}

/// A literal of a documented literal set.
pub fn literal(set: &'static [Literal], value: &str) -> Option<&'static Literal> {
    set.iter().find(|l| l.value == value)
}

/// `https://docs.amplify.aws/<platform>/<path>`; an unknown platform falls back to `react`.
pub fn docs_url(platform: &str, path: &str) -> String {
    let platform = if PLATFORMS.contains(&platform) {
        platform
    } else {
        "react"
    };
    format!(
        "https://docs.amplify.aws/{platform}/{}",
        path.trim_start_matches('/')
    )
}

/// Visits every documented entry with a dotted path: call arguments (`defineAuth.loginWith.email.otpLogin`,
/// `defineFunction.environment.*` for extra keys), `a.model` / `a.handler.function` / `a.ai.model`,
/// chain methods (`Model.identifier`), `validate.minLength`, `allow.owner`, `allow.chain.identityClaim`,
/// `data.to.read`, `data.resource.query`, `data.disableOperations.list`, `data.mutations.create`,
/// `data.projection.ALL`, `ai.model.<name>`, `storage.allow.guest`, `storage.action.read`, `auth.action.<name>`
/// and `backend.<member>`.
pub fn walk(f: &mut dyn FnMut(&str, &Doc)) {
    for c in CALLS {
        f(c.name, &c.doc);
        if let Some(ty) = &c.arg {
            walk_ty(c.name, ty, f, 0);
        }
    }
    for b in BUILDER_ARGS {
        walk_ty(b.chain, &b.ty, f, 0);
    }
    for m in MEMBERS {
        let ns = match m.on {
            Builder::HandlerNs => "a.handler",
            Builder::AiNs => "a.ai",
            _ => "a",
        };
        f(&format!("{ns}.{}", m.name), &m.doc);
    }
    for m in MODIFIERS {
        let on = m.on.first().map_or_else(String::new, |b| format!("{b:?}"));
        f(&format!("{on}.{}", m.name), &m.doc);
    }
    for v in VALIDATORS {
        f(&format!("validate.{}", v.name), &v.doc);
    }
    for r in DATA_RULES {
        f(&format!("allow.{}", r.name), &r.doc);
    }
    for r in STORAGE_RULES {
        f(&format!("storage.allow.{}", r.name), &r.doc);
    }
    let literal_sets: [(&str, &[Literal]); 10] = [
        ("allow.chain", RULE_CHAIN_METHODS),
        ("data.to", DATA_OPERATIONS),
        ("data.resource", RESOURCE_OPERATIONS),
        ("data.disableOperations", DISABLE_OPERATIONS),
        ("data.mutations", SUBSCRIPTION_MUTATIONS),
        ("data.projection", INDEX_PROJECTIONS),
        ("ai.model", AI_MODELS),
        ("storage.action", STORAGE_ACTIONS),
        ("auth.action", AUTH_ACCESS_ACTIONS),
        ("backend", BACKEND_MEMBERS),
    ];
    for (prefix, set) in literal_sets {
        for l in set {
            f(&format!("{prefix}.{}", l.value), &l.doc);
        }
    }
}

fn walk_ty(prefix: &str, ty: &Ty, f: &mut dyn FnMut(&str, &Doc), depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let mut objects = Vec::new();
    objects_in(ty, &mut objects, 0);
    for obj in objects {
        for p in obj.props {
            let path = format!("{prefix}.{}", p.name);
            f(&path, &p.doc);
            walk_ty(&path, &p.ty, f, depth + 1);
        }
        if let Some(extra) = &obj.extra {
            let path = format!("{prefix}.*");
            f(&path, &extra.doc);
            walk_ty(&path, extra.value, f, depth + 1);
        }
    }
}

/// The distinct object types directly inside a type (through `OneOf` and `Arr`, not into properties).
fn objects_in(ty: &Ty, out: &mut Vec<&'static ObjTy>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match *ty {
        Ty::Obj(obj) if !out.iter().any(|o| std::ptr::eq(*o, obj)) => out.push(obj),
        Ty::Arr(inner) => objects_in(inner, out, depth + 1),
        Ty::OneOf(options) => {
            for t in options {
                objects_in(t, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// A TypeScript-like rendering of a type for hovers and completion details.
pub fn ty_label(ty: &Ty) -> String {
    label(ty, 0)
}

fn label(ty: &Ty, depth: usize) -> String {
    if depth > MAX_DEPTH {
        return "…".to_string();
    }
    match *ty {
        Ty::Str => "string".to_string(),
        Ty::StrLit(values) => values
            .iter()
            .map(|v| format!("'{v}'"))
            .collect::<Vec<_>>()
            .join(" | "),
        Ty::Num(rule) => num_label(&rule),
        Ty::NumLit(values) => values
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(" | "),
        Ty::Bool => "boolean".to_string(),
        Ty::Secret => "secret('NAME')".to_string(),
        Ty::Func => "(…) => …".to_string(),
        Ty::Resource => "ConstructFactory".to_string(),
        Ty::Schema => "a.schema(…) | string".to_string(),
        Ty::Any => "any".to_string(),
        Ty::Arr(inner) => {
            let inner_label = label(inner, depth + 1);
            if inner_label.contains(" | ") {
                format!("({inner_label})[]")
            } else {
                format!("{inner_label}[]")
            }
        }
        Ty::OneOf(options) => options
            .iter()
            .map(|t| label(t, depth + 1))
            .collect::<Vec<_>>()
            .join(" | "),
        Ty::Obj(obj) => obj_label(obj, depth),
    }
}

fn obj_label(obj: &ObjTy, depth: usize) -> String {
    const SHOWN: usize = 4;
    if obj.props.is_empty() {
        return match &obj.extra {
            Some(extra) => format!("Record<string, {}>", label(extra.value, depth + 1)),
            None => "{}".to_string(),
        };
    }
    let mut parts: Vec<String> = obj
        .props
        .iter()
        .take(SHOWN)
        .map(|p| {
            if p.required {
                p.name.to_string()
            } else {
                format!("{}?", p.name)
            }
        })
        .collect();
    if obj.props.len() > SHOWN {
        parts.push("…".to_string());
    }
    if obj.extra.is_some() {
        parts.push("[key: string]".to_string());
    }
    format!("{{ {} }}", parts.join(", "))
}

fn num_label(rule: &NumRule) -> String {
    fn n(x: f64) -> String {
        if x.fract() == 0.0 && x.abs() < 1e15 {
            format!("{}", x as i64)
        } else {
            format!("{x}")
        }
    }
    let range = match (rule.min, rule.max) {
        (Some(lo), Some(hi)) => Some(format!("{}–{}", n(lo), n(hi))),
        (Some(lo), None) => Some(format!("≥ {}", n(lo))),
        (None, Some(hi)) => Some(format!("≤ {}", n(hi))),
        (None, None) => None,
    };
    match (range, rule.integer) {
        (Some(r), true) => format!("number ({r}, whole)"),
        (Some(r), false) => format!("number ({r})"),
        (None, true) => "number (whole)".to_string(),
        (None, false) => "number".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Every docs path of `amplify-api.md` §8 (after the platform slug).
    const ALLOWED_PATHS: &[&str] = &[
        "build-a-backend/auth/set-up-auth/",
        "build-a-backend/auth/concepts/email/",
        "build-a-backend/auth/concepts/phone/",
        "build-a-backend/auth/concepts/usernames/",
        "build-a-backend/auth/concepts/passwordless/",
        "build-a-backend/auth/concepts/multi-factor-authentication/",
        "build-a-backend/auth/concepts/external-identity-providers/",
        "build-a-backend/auth/concepts/user-attributes/",
        "build-a-backend/auth/concepts/user-groups/",
        "build-a-backend/auth/concepts/guest-access/",
        "build-a-backend/auth/concepts/tokens-and-credentials/",
        "build-a-backend/auth/customize-auth-lifecycle/triggers/",
        "build-a-backend/auth/customize-auth-lifecycle/email-customization/",
        "build-a-backend/auth/customize-auth-lifecycle/custom-auth-flows/",
        "build-a-backend/auth/grant-access-to-auth-resources/",
        "build-a-backend/auth/modify-resources-with-cdk/",
        "build-a-backend/auth/moving-to-production/",
        "build-a-backend/auth/use-existing-cognito-resources/",
        "build-a-backend/auth/manage-users/with-admin-actions/",
        "build-a-backend/auth/manage-users/manage-devices/",
        "build-a-backend/auth/manage-users/manage-passwords/",
        "build-a-backend/auth/manage-users/manage-webauthn-credentials/",
        "build-a-backend/auth/manage-users/with-amplify-console/",
        "build-a-backend/auth/examples/microsoft-entra-id-saml/",
        "build-a-backend/auth/use-aws-sdk/",
        "build-a-backend/data/set-up-data/",
        "build-a-backend/data/data-modeling/add-fields/",
        "build-a-backend/data/data-modeling/identifiers/",
        "build-a-backend/data/data-modeling/secondary-index/",
        "build-a-backend/data/data-modeling/relationships/",
        "build-a-backend/data/data-modeling/disable-operations/",
        "build-a-backend/data/customize-authz/public-data-access/",
        "build-a-backend/data/customize-authz/per-user-per-owner-data-access/",
        "build-a-backend/data/customize-authz/multi-user-data-access/",
        "build-a-backend/data/customize-authz/signed-in-user-data-access/",
        "build-a-backend/data/customize-authz/user-group-based-data-access/",
        "build-a-backend/data/customize-authz/custom-data-access-patterns/",
        "build-a-backend/data/customize-authz/using-oidc-authorization-provider/",
        "build-a-backend/data/customize-authz/configure-custom-identity-and-group-claim/",
        "build-a-backend/data/customize-authz/grant-lambda-function-access-to-api/",
        "build-a-backend/data/custom-business-logic/",
        "build-a-backend/data/custom-business-logic/connect-bedrock/",
        "build-a-backend/data/custom-business-logic/connect-http-datasource/",
        "build-a-backend/data/custom-business-logic/connect-eventbridge-datasource/",
        "build-a-backend/data/custom-business-logic/batch-ddb-operations/",
        "build-a-backend/data/custom-business-logic/search-and-aggregate-queries/",
        "build-a-backend/data/field-level-validation/",
        "build-a-backend/data/enable-logging/",
        "build-a-backend/data/override-resources/",
        "build-a-backend/data/connect-to-existing-data-sources/connect-postgres-mysql-database/",
        "build-a-backend/data/connect-to-existing-data-sources/connect-external-ddb-table/",
        "build-a-backend/storage/set-up-storage/",
        "build-a-backend/storage/authorization/",
        "build-a-backend/storage/lambda-triggers/",
        "build-a-backend/storage/extend-s3-resources/",
        "build-a-backend/storage/use-aws-sdk/",
        "build-a-backend/functions/set-up-function/",
        "build-a-backend/functions/configure-functions/",
        "build-a-backend/functions/environment-variables-and-secrets/",
        "build-a-backend/functions/scheduling-functions/",
        "build-a-backend/functions/add-lambda-layers/",
        "build-a-backend/functions/grant-access-to-other-resources/",
        "build-a-backend/functions/custom-functions/",
        "build-a-backend/functions/modify-resources-with-cdk/",
        "build-a-backend/functions/streaming-logs/",
        "build-a-backend/functions/configure-client-library/",
        "build-a-backend/add-aws-services/custom-resources/",
        "build-a-backend/add-aws-services/overriding-resources/",
        "build-a-backend/add-aws-services/tagging-resources/",
        "build-a-backend/add-aws-services/deletion-backup-resources/",
        "build-a-backend/troubleshooting/circular-dependency/",
        "build-a-backend/troubleshooting/cannot-find-module-amplify-env/",
        "build-a-backend/troubleshooting/cdktoolkit-stack/",
        "ai/set-up-ai/",
        "ai/concepts/models/",
        "ai/concepts/prompting/",
        "ai/concepts/inference-configuration/",
        "ai/concepts/tools/",
        "ai/concepts/streaming/",
        "ai/concepts/architecture/",
        "frontend/ai/generation/",
        "deploy-and-host/fullstack-branching/secrets-and-vars/",
        "deploy-and-host/sandbox-environments/",
        "reference/amplify_outputs/",
        "reference/project-structure/",
    ];

    fn all_entries() -> Vec<(String, Doc)> {
        let mut out = Vec::new();
        walk(&mut |path, doc| out.push((path.to_string(), *doc)));
        out
    }

    /// Every object type reachable from the calls, with the path it was reached by.
    fn all_objects() -> Vec<(String, &'static ObjTy)> {
        fn visit(prefix: &str, ty: &Ty, out: &mut Vec<(String, &'static ObjTy)>, depth: usize) {
            assert!(depth < MAX_DEPTH, "type graph too deep at {prefix}");
            let mut objects = Vec::new();
            objects_in(ty, &mut objects, 0);
            for obj in objects {
                out.push((prefix.to_string(), obj));
                for p in obj.props {
                    visit(&format!("{prefix}.{}", p.name), &p.ty, out, depth + 1);
                }
                if let Some(extra) = &obj.extra {
                    visit(&format!("{prefix}.*"), extra.value, out, depth + 1);
                }
            }
        }
        let mut out = Vec::new();
        for c in CALLS {
            if let Some(ty) = &c.arg {
                visit(c.name, ty, &mut out, 0);
            }
        }
        for b in BUILDER_ARGS {
            visit(b.chain, &b.ty, &mut out, 0);
        }
        out
    }

    fn obj(path: &str) -> &'static ObjTy {
        let mut segments = path.split('.');
        let first = segments.next().unwrap_or_default();
        let mut ty = call(first).and_then(|c| c.arg).expect("call with argument");
        for seg in segments {
            let o = object_of(&ty).unwrap_or_else(|| panic!("no object at {seg} in {path}"));
            ty = if seg == "*" {
                *o.extra.expect("extra").value
            } else {
                prop(o, seg)
                    .unwrap_or_else(|| panic!("no property {seg} in {path}"))
                    .ty
            };
        }
        object_of(&ty).unwrap_or_else(|| panic!("{path} is not an object"))
    }

    fn property(path: &str) -> &'static Prop {
        let (parent, name) = path.rsplit_once('.').expect("dotted path");
        let o = obj(parent);
        o.props
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no property {path}"))
    }

    #[test]
    fn every_doc_is_complete() {
        let entries = all_entries();
        assert!(entries.len() > 300, "only {} entries", entries.len());
        for (path, doc) in &entries {
            let name = path.rsplit('.').next().unwrap_or(path);
            assert!(
                doc.summary.chars().count() >= 10,
                "{path}: summary too short"
            );
            assert!(!doc.summary.contains('\n'), "{path}: summary not one line");
            assert!(!doc.summary.contains("TODO"), "{path}: TODO in summary");
            assert!(!doc.details.contains("TODO"), "{path}: TODO in details");
            assert_ne!(doc.summary, name, "{path}: summary equals the name");
            assert!(!doc.details.trim().is_empty(), "{path}: empty details");
            assert!(
                ALLOWED_PATHS.contains(&doc.path),
                "{path}: docs path {} is not listed in §8",
                doc.path
            );
            assert!(
                doc.since.starts_with("@aws-amplify/"),
                "{path}: since {}",
                doc.since
            );
        }
    }

    #[test]
    fn walk_paths_are_unique() {
        let mut seen = HashSet::new();
        for (path, _) in all_entries() {
            assert!(seen.insert(path.clone()), "duplicate walk path {path}");
        }
        assert!(seen.contains("defineAuth.loginWith.email.otpLogin"));
        assert!(seen.contains("defineAuth.userAttributes.*.dataType"));
        assert!(seen.contains("defineAuth.loginWith.externalProviders.oidc.endpoints.jwksUri"));
        assert!(seen.contains("defineFunction.schedule.timezone"));
        assert!(seen.contains("a.model"));
        assert!(seen.contains("a.handler.function"));
        assert!(seen.contains("allow.owner"));
        assert!(seen.contains("storage.action.read"));
    }

    #[test]
    fn names_unique_per_object() {
        let objects = all_objects();
        assert!(objects.len() > 40, "only {} objects", objects.len());
        for (path, o) in objects {
            let mut names = HashSet::new();
            for p in o.props {
                assert!(
                    names.insert(p.name),
                    "{path}: duplicate property {}",
                    p.name
                );
                assert!(
                    !(p.required && matches!(p.ty, Ty::Any)),
                    "{path}.{}: required but unchecked",
                    p.name
                );
            }
        }
        let mut pairs = HashSet::new();
        for m in MODIFIERS {
            for b in m.on {
                assert!(pairs.insert((*b, m.name)), "{b:?}.{} listed twice", m.name);
            }
        }
        let mut names = HashSet::new();
        for m in MEMBERS {
            assert!(names.insert((m.on, m.name)), "member {} twice", m.name);
        }
        for set in [
            DATA_OPERATIONS,
            RESOURCE_OPERATIONS,
            DISABLE_OPERATIONS,
            SUBSCRIPTION_MUTATIONS,
            INDEX_PROJECTIONS,
            AI_MODELS,
            STORAGE_ACTIONS,
            AUTH_ACCESS_ACTIONS,
        ] {
            let mut values = HashSet::new();
            for l in set {
                assert!(values.insert(l.value), "literal {} twice", l.value);
            }
        }
    }

    #[test]
    fn function_numbers_and_literals() {
        let timeout = property("defineFunction.timeoutSeconds");
        match timeout.ty {
            Ty::Num(r) => {
                assert_eq!((r.min, r.max, r.integer), (Some(1.0), Some(900.0), true));
            }
            other => panic!("timeoutSeconds is {other:?}"),
        }
        assert_eq!(timeout.default, Some("3"));
        assert_eq!(timeout.enforced, Enforced::Synth);
        assert_eq!(ty_label(&timeout.ty), "number (1–900, whole)");

        let memory = property("defineFunction.memoryMB");
        assert_eq!(ty_label(&memory.ty), "number (128–10240, whole)");
        assert_eq!(memory.default, Some("512"));
        let tmp = property("defineFunction.ephemeralStorageSizeMB");
        assert_eq!(ty_label(&tmp.ty), "number (512–10240, whole)");
        let durable = property("defineFunction.durableConfig.executionTimeoutSeconds");
        assert_eq!(ty_label(&durable.ty), "number (1–31622400, whole)");
        assert!(durable.required);
        let retention = property("defineFunction.durableConfig.retentionPeriodDays");
        assert_eq!(ty_label(&retention.ty), "number (1–90, whole)");

        let runtime = property("defineFunction.runtime");
        assert!(matches!(runtime.ty, Ty::NumLit(&[18, 20, 22, 24])));
        assert_eq!(runtime.default, Some("22"));
        assert_eq!(runtime.enforced, Enforced::Synth);
        assert_eq!(ty_label(&runtime.ty), "18 | 20 | 22 | 24");
        let arch = property("defineFunction.architecture");
        assert_eq!(ty_label(&arch.ty), "'x86_64' | 'arm64'");
        assert_eq!(arch.enforced, Enforced::Synth);

        let env = obj("defineFunction.environment");
        let extra = env.extra.expect("environment takes any key");
        assert!(matches!(extra.value, Ty::OneOf(&[Ty::Str, Ty::Secret])));
        assert!(accepts_key(env, "API_URL"));
        assert!(!accepts_key(env, "AMPLIFY_SSM_ENV_CONFIG"));
        assert_eq!(ty_label(extra.value), "string | secret('NAME')");

        let schedule = property("defineFunction.schedule");
        let sched_obj = object_of(&schedule.ty).expect("schedule object form");
        assert!(prop(sched_obj, "rate").is_some() && prop(sched_obj, "cron").is_some());

        let days = property("defineData.authorizationModes.apiKeyAuthorizationMode.expiresInDays");
        assert_eq!(ty_label(&days.ty), "number (0–365, whole)"); // 0 means "not set" (verified with synth)
        assert_eq!(days.enforced, Enforced::Synth);
        assert_eq!(days.default, Some("7"));
    }

    #[test]
    fn auth_facts() {
        let names: Vec<&str> = AUTH_TRIGGERS.iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            [
                "createAuthChallenge",
                "customMessage",
                "defineAuthChallenge",
                "postAuthentication",
                "postConfirmation",
                "preAuthentication",
                "preSignUp",
                "preTokenGeneration",
                "userMigration",
                "verifyAuthChallengeResponse",
            ]
        );
        let triggers = obj("defineAuth.triggers");
        assert_eq!(triggers.props.len(), 10);
        assert!(triggers.extra.is_none());

        let style = property("defineAuth.loginWith.email.verificationEmailStyle");
        assert_eq!(ty_label(&style.ty), "'CODE' | 'LINK'");
        assert_eq!(style.default, Some("'CODE'"));

        // Every provider credential is a secret enforced at synth.
        for provider in [
            "google",
            "facebook",
            "loginWithAmazon",
            "signInWithApple",
            "oidc",
        ] {
            let o = obj(&format!(
                "defineAuth.loginWith.externalProviders.{provider}"
            ));
            let creds: Vec<&Prop> = o
                .props
                .iter()
                .filter(|p| matches!(p.ty, Ty::Secret))
                .collect();
            assert!(creds.len() >= 2, "{provider} has {} secrets", creds.len());
            for p in creds {
                assert!(
                    p.required && p.enforced == Enforced::Synth,
                    "{provider}.{}",
                    p.name
                );
            }
        }
        assert_eq!(
            obj("defineAuth.loginWith.externalProviders.signInWithApple")
                .props
                .iter()
                .filter(|p| matches!(p.ty, Ty::Secret))
                .count(),
            4
        );
        let saml = obj("defineAuth.loginWith.externalProviders.saml");
        assert!(!saml.props.iter().any(|p| matches!(p.ty, Ty::Secret)));
        let oidc = property("defineAuth.loginWith.externalProviders.oidc");
        assert!(matches!(oidc.ty, Ty::Arr(_)));
        assert!(prop(
            obj("defineAuth.loginWith.externalProviders"),
            "domainPrefix"
        )
        .is_none());

        let attrs = obj("defineAuth.userAttributes");
        assert!(accepts_key(attrs, "custom:tenant"));
        assert!(accepts_key(attrs, "givenName"));
        assert!(!accepts_key(attrs, "given_name"));
        assert_eq!(attrs.props.len(), 17);
        assert_eq!(
            obj("defineAuth.loginWith.externalProviders.google.attributeMapping")
                .props
                .len(),
            19
        );

        let senders = obj("defineAuth.senders.email");
        for name in ["fromEmail", "fromName", "replyTo", "handler", "kmsKeyArn"] {
            assert!(prop(senders, name).is_some(), "senders.email.{name}");
        }
        let mfa = property("defineAuth.multifactor.mode");
        assert!(mfa.required);
        assert_eq!(ty_label(&mfa.ty), "'OFF' | 'OPTIONAL' | 'REQUIRED'");
        assert_eq!(AUTH_ACCESS_ACTIONS.len(), 31);
        assert!(literal(AUTH_ACCESS_ACTIONS, "manageUsers").is_some());
        assert_eq!(
            call("referenceAuth").and_then(|c| c.file),
            Some("amplify/auth/resource")
        );
    }

    #[test]
    fn storage_and_data_facts() {
        let actions: Vec<&str> = STORAGE_ACTIONS.iter().map(|l| l.value).collect();
        assert_eq!(actions, ["read", "get", "list", "write", "delete"]);
        let name = property("defineStorage.name");
        assert!(name.required && name.enforced == Enforced::Synth);
        let guest = storage_rule("guest").expect("guest");
        assert!(!guest.is_call && guest.needs_auth);
        assert!(storage_rule("entity").is_some_and(|r| r.is_call));
        assert!(storage_rule("resource").is_some_and(|r| !r.needs_auth));

        let owner = data_rule("owner").expect("owner");
        assert!(!owner.contexts.contains(&AuthContext::Operation));
        assert!(owner.contexts.contains(&AuthContext::Conversation));
        assert_eq!(owner.providers, ["userPools", "oidc"]);
        let public = data_rule("publicApiKey").expect("publicApiKey");
        assert!(public.contexts.contains(&AuthContext::Operation));
        assert!(rule_chain(public, AuthContext::Model).contains(&"to"));
        assert!(rule_chain(public, AuthContext::Operation).is_empty());
        assert!(rule_chain(data_rule("group").expect("group"), AuthContext::Operation).is_empty());
        let resource = data_rule("resource").expect("resource");
        assert_eq!(resource.contexts, [AuthContext::Schema]);
        assert_eq!(
            data_rule("authenticated").map(|r| r.default_provider),
            Some("userPools")
        );
        assert_eq!(
            data_rule("custom").map(|r| r.providers),
            Some(&["function"][..])
        );
        assert_eq!(DATA_RULES.len(), 12);

        let to: Vec<&str> = DATA_OPERATIONS.iter().map(|l| l.value).collect();
        assert_eq!(
            to,
            ["create", "update", "delete", "read", "get", "list", "sync", "listen", "search"]
        );
        assert_eq!(RESOURCE_OPERATIONS.len(), 3);
        assert_eq!(DISABLE_OPERATIONS.len(), 11);
        assert_eq!(AI_MODELS.len(), 25);

        let logging = property("defineData.logging");
        assert_eq!(
            ty_label(&logging.ty),
            "boolean | { retention?, excludeVerboseContent?, fieldLogLevel? }"
        );
    }

    #[test]
    fn schema_builder_facts() {
        let scalars = MEMBERS.iter().filter(|m| m.produces == Builder::Scalar);
        let graphql: Vec<(&str, &str)> = scalars
            .map(|m| (m.name, m.graphql.expect("scalar has a GraphQL type")))
            .collect();
        assert_eq!(graphql.len(), 14);
        assert!(graphql.contains(&("integer", "Int")));
        assert!(graphql.contains(&("ipAddress", "AWSIPAddress")));
        assert!(member(Builder::A, "configure").is_none());
        assert!(member(Builder::A, "handler").is_some_and(|m| m.is_namespace));
        assert!(member(Builder::HandlerNs, "inlineSql").is_some());
        assert!(member(Builder::AiNs, "dataTool").is_some());

        let names = |b: Builder| -> Vec<&str> { modifiers_for(b).map(|m| m.name).collect() };
        assert_eq!(
            names(Builder::Scalar),
            ["required", "array", "default", "validate", "authorization"]
        );
        assert_eq!(
            names(Builder::Ref),
            ["required", "array", "authorization", "mutations"]
        );
        assert_eq!(
            names(Builder::Model),
            [
                "identifier",
                "secondaryIndexes",
                "disableOperations",
                "authorization"
            ]
        );
        assert_eq!(names(Builder::HasOne), ["authorization", "required"]);
        assert_eq!(names(Builder::HasMany), ["authorization", "valueRequired"]);
        assert_eq!(names(Builder::BelongsTo), ["authorization"]);
        assert_eq!(
            names(Builder::Query),
            ["arguments", "returns", "authorization", "handler"]
        );
        assert_eq!(
            names(Builder::Subscription),
            ["arguments", "authorization", "handler", "for"]
        );
        assert_eq!(
            names(Builder::Generation),
            ["arguments", "returns", "authorization"]
        );
        assert_eq!(names(Builder::Conversation), ["authorization"]);
        assert_eq!(names(Builder::Schema), ["authorization"]);
        assert_eq!(names(Builder::FunctionHandler), ["async"]);
        assert_eq!(
            names(Builder::Index),
            ["sortKeys", "name", "queryField", "projection"]
        );
        assert!(names(Builder::CustomType).is_empty());
        assert!(names(Builder::Enum).is_empty());
        assert!(modifier(Builder::Scalar, "required").is_some_and(|m| !m.once));

        let validators: Vec<&str> = VALIDATORS.iter().map(|v| v.name).collect();
        let mut expected: Vec<&str> = schema::STRING_VALIDATORS.to_vec();
        expected.extend_from_slice(schema::NUMERIC_VALIDATORS);
        assert_eq!(validators, expected);
        assert!(validator("positive").is_some());
    }

    #[test]
    fn ai_and_handler_arguments() {
        let keys = |o: &ObjTy| -> Vec<&str> { o.props.iter().map(|p| p.name).collect() };
        let arg = |chain: &str| object_of(&builder_arg(chain).expect(chain)).expect(chain);
        assert_eq!(
            keys(arg("a.conversation")),
            [
                "aiModel",
                "systemPrompt",
                "inferenceConfiguration",
                "tools",
                "handler"
            ]
        );
        assert_eq!(
            keys(arg("a.generation")),
            ["aiModel", "systemPrompt", "inferenceConfiguration"]
        );
        assert_eq!(
            keys(arg("a.ai.dataTool")),
            ["name", "description", "model", "modelOperation", "query"]
        );
        assert_eq!(keys(arg("a.handler.custom")), ["entry", "dataSource"]);
        assert_eq!(
            keys(&ai::INFERENCE_CONFIGURATION),
            ["maxTokens", "temperature", "topP"]
        );
        assert_eq!(keys(&ai::AI_MODEL_OBJECT), ["resourcePath"]);
        // 19 keys together, as in the .d.ts files
        let total: usize = [
            arg("a.conversation"),
            arg("a.generation"),
            arg("a.ai.dataTool"),
            arg("a.handler.custom"),
            &ai::INFERENCE_CONFIGURATION,
            &ai::AI_MODEL_OBJECT,
        ]
        .iter()
        .map(|o| o.props.len())
        .sum();
        assert_eq!(total, 19);
        let handler = call("defineConversationHandlerFunction").expect("handler");
        assert_eq!(handler.module, "@aws-amplify/backend-ai");
        let paths: Vec<String> = all_entries()
            .into_iter()
            .map(|(p, _)| p)
            .filter(|p| p.starts_with("defineConversationHandlerFunction."))
            .collect();
        assert_eq!(paths.len(), 10, "{paths:?}");
        assert_eq!(
            ty_label(&property("defineConversationHandlerFunction.timeoutSeconds").ty),
            "number (1–900, whole)"
        );
        assert!(builder_arg("a.model").is_none());
    }

    #[test]
    fn labels_and_urls() {
        assert_eq!(
            ty_label(&Ty::Arr(&Ty::StrLit(&["A", "B"]))),
            "('A' | 'B')[]"
        );
        assert_eq!(ty_label(&Ty::Secret), "secret('NAME')");
        assert_eq!(
            ty_label(&Ty::Num(NumRule {
                min: Some(0.0),
                max: Some(1.0),
                integer: false
            })),
            "number (0–1)"
        );
        assert_eq!(
            ty_label(&Ty::Num(NumRule {
                min: Some(1.0),
                max: None,
                integer: true
            })),
            "number (≥ 1, whole)"
        );
        assert_eq!(
            ty_label(&BACKEND_PROPS_TY),
            "Record<string, ConstructFactory>"
        );
        assert_eq!(
            docs_url("swift", "build-a-backend/functions/configure-functions/"),
            "https://docs.amplify.aws/swift/build-a-backend/functions/configure-functions/"
        );
        assert_eq!(
            docs_url("cobol", "/ai/set-up-ai/"),
            "https://docs.amplify.aws/react/ai/set-up-ai/"
        );
        assert_eq!(PLATFORMS.len(), 9);
        for c in CALLS {
            assert!(
                c.module == "@aws-amplify/backend"
                    || (c.name == "defineConversationHandlerFunction"
                        && c.module == "@aws-amplify/backend-ai"),
                "{}",
                c.name
            );
        }
        assert!(call("defineFunction").is_some_and(|c| c.arg_optional));
        assert!(call("defineAuth").is_some_and(|c| !c.arg_optional));
        assert_eq!(CALLS.len(), 8);
    }

    const BACKEND_PROPS_TY: Ty = Ty::Obj(&BACKEND_PROPS);
}
