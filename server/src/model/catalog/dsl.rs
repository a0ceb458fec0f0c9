//! Small `const` constructors that keep the catalog data readable, plus the docs paths it links to.

use super::types::{Doc, Enforced, Literal, NumRule, Prop, Ty};

/// Package versions the catalog was written against (top of `amplify-api.md`). Used as `since` where the
/// version that introduced an entry is not known more precisely.
pub(crate) mod since {
    pub const BACKEND: &str = "@aws-amplify/backend 1.25.1";
    pub const AUTH: &str = "@aws-amplify/backend-auth 1.10.1";
    pub const DATA: &str = "@aws-amplify/backend-data 1.9.0";
    pub const SCHEMA: &str = "@aws-amplify/data-schema 1.26.2";
    pub const STORAGE: &str = "@aws-amplify/backend-storage 1.6.0";
    pub const FUNCTION: &str = "@aws-amplify/backend-function 1.19.0";
}

/// Paths on docs.amplify.aws after the platform slug (see `amplify-api.md` §8).
pub(crate) mod path {
    pub const AUTH_SETUP: &str = "build-a-backend/auth/set-up-auth/";
    pub const AUTH_EMAIL: &str = "build-a-backend/auth/concepts/email/";
    pub const AUTH_PHONE: &str = "build-a-backend/auth/concepts/phone/";
    pub const AUTH_PASSWORDLESS: &str = "build-a-backend/auth/concepts/passwordless/";
    pub const AUTH_MFA: &str = "build-a-backend/auth/concepts/multi-factor-authentication/";
    pub const AUTH_EXTERNAL: &str = "build-a-backend/auth/concepts/external-identity-providers/";
    pub const AUTH_ATTRIBUTES: &str = "build-a-backend/auth/concepts/user-attributes/";
    pub const AUTH_GROUPS: &str = "build-a-backend/auth/concepts/user-groups/";
    pub const AUTH_TRIGGERS: &str = "build-a-backend/auth/customize-auth-lifecycle/triggers/";
    pub const AUTH_EMAIL_CUSTOM: &str =
        "build-a-backend/auth/customize-auth-lifecycle/email-customization/";
    pub const AUTH_CUSTOM_FLOWS: &str =
        "build-a-backend/auth/customize-auth-lifecycle/custom-auth-flows/";
    pub const AUTH_ACCESS: &str = "build-a-backend/auth/grant-access-to-auth-resources/";
    pub const AUTH_PROD: &str = "build-a-backend/auth/moving-to-production/";
    pub const AUTH_EXISTING: &str = "build-a-backend/auth/use-existing-cognito-resources/";
    pub const AUTH_SAML: &str = "build-a-backend/auth/examples/microsoft-entra-id-saml/";
    pub const AUTH_ADMIN: &str = "build-a-backend/auth/manage-users/with-admin-actions/";
    pub const AUTH_DEVICES: &str = "build-a-backend/auth/manage-users/manage-devices/";
    pub const AUTH_PASSWORDS: &str = "build-a-backend/auth/manage-users/manage-passwords/";

    pub const DATA_SETUP: &str = "build-a-backend/data/set-up-data/";
    pub const DATA_FIELDS: &str = "build-a-backend/data/data-modeling/add-fields/";
    pub const DATA_IDENTIFIERS: &str = "build-a-backend/data/data-modeling/identifiers/";
    pub const DATA_INDEX: &str = "build-a-backend/data/data-modeling/secondary-index/";
    pub const DATA_RELATIONSHIPS: &str = "build-a-backend/data/data-modeling/relationships/";
    pub const DATA_DISABLE_OPS: &str = "build-a-backend/data/data-modeling/disable-operations/";
    pub const DATA_PUBLIC: &str = "build-a-backend/data/customize-authz/public-data-access/";
    pub const DATA_OWNER: &str =
        "build-a-backend/data/customize-authz/per-user-per-owner-data-access/";
    pub const DATA_MULTI_USER: &str =
        "build-a-backend/data/customize-authz/multi-user-data-access/";
    pub const DATA_SIGNED_IN: &str =
        "build-a-backend/data/customize-authz/signed-in-user-data-access/";
    pub const DATA_GROUPS: &str =
        "build-a-backend/data/customize-authz/user-group-based-data-access/";
    pub const DATA_CUSTOM_AUTH: &str =
        "build-a-backend/data/customize-authz/custom-data-access-patterns/";
    pub const DATA_OIDC: &str =
        "build-a-backend/data/customize-authz/using-oidc-authorization-provider/";
    pub const DATA_CLAIMS: &str =
        "build-a-backend/data/customize-authz/configure-custom-identity-and-group-claim/";
    pub const DATA_LAMBDA_ACCESS: &str =
        "build-a-backend/data/customize-authz/grant-lambda-function-access-to-api/";
    pub const DATA_LOGIC: &str = "build-a-backend/data/custom-business-logic/";
    pub const DATA_VALIDATION: &str = "build-a-backend/data/field-level-validation/";
    pub const DATA_LOGGING: &str = "build-a-backend/data/enable-logging/";
    pub const DATA_OVERRIDE: &str = "build-a-backend/data/override-resources/";
    pub const DATA_SQL: &str =
        "build-a-backend/data/connect-to-existing-data-sources/connect-postgres-mysql-database/";
    pub const DATA_EXTERNAL_DDB: &str =
        "build-a-backend/data/connect-to-existing-data-sources/connect-external-ddb-table/";

    pub const STORAGE_SETUP: &str = "build-a-backend/storage/set-up-storage/";
    pub const STORAGE_AUTHZ: &str = "build-a-backend/storage/authorization/";
    pub const STORAGE_TRIGGERS: &str = "build-a-backend/storage/lambda-triggers/";
    pub const STORAGE_EXTEND: &str = "build-a-backend/storage/extend-s3-resources/";

    pub const FN_SETUP: &str = "build-a-backend/functions/set-up-function/";
    pub const FN_CONFIG: &str = "build-a-backend/functions/configure-functions/";
    pub const FN_ENV: &str = "build-a-backend/functions/environment-variables-and-secrets/";
    pub const FN_SCHEDULE: &str = "build-a-backend/functions/scheduling-functions/";
    pub const FN_LAYERS: &str = "build-a-backend/functions/add-lambda-layers/";
    pub const FN_LOGS: &str = "build-a-backend/functions/streaming-logs/";

    pub const AUTH_CDK: &str = "build-a-backend/auth/modify-resources-with-cdk/";
    pub const FN_CDK: &str = "build-a-backend/functions/modify-resources-with-cdk/";
    pub const BACKEND_CUSTOM: &str = "build-a-backend/add-aws-services/custom-resources/";
    pub const BACKEND_OVERRIDE: &str = "build-a-backend/add-aws-services/overriding-resources/";
    pub const BACKEND_DELETION: &str =
        "build-a-backend/add-aws-services/deletion-backup-resources/";
    pub const TROUBLE_CIRCULAR: &str = "build-a-backend/troubleshooting/circular-dependency/";

    pub const AI_SETUP: &str = "ai/set-up-ai/";
    pub const AI_MODELS: &str = "ai/concepts/models/";
    pub const AI_TOOLS: &str = "ai/concepts/tools/";
    pub const AI_PROMPTING: &str = "ai/concepts/prompting/";
    pub const AI_INFERENCE: &str = "ai/concepts/inference-configuration/";
    pub const AI_ARCH: &str = "ai/concepts/architecture/";
    pub const AI_GENERATION: &str = "frontend/ai/generation/";

    pub const SECRETS: &str = "deploy-and-host/fullstack-branching/secrets-and-vars/";
    pub const OUTPUTS: &str = "reference/amplify_outputs/";
    pub const PROJECT_STRUCTURE: &str = "reference/project-structure/";
}

/// A documentation entry.
pub(crate) const fn doc(
    summary: &'static str,
    details: &'static str,
    path: &'static str,
    since: &'static str,
) -> Doc {
    Doc {
        summary,
        details,
        path,
        since,
    }
}

/// An optional property checked only by TypeScript; refine with the methods below.
pub(crate) const fn prop(name: &'static str, ty: Ty, doc: Doc) -> Prop {
    Prop {
        name,
        ty,
        required: false,
        default: None,
        enforced: Enforced::Types,
        doc,
    }
}

impl Prop {
    /// Marks the property as required.
    pub(crate) const fn req(mut self) -> Self {
        self.required = true;
        self
    }

    /// Records the human-readable default.
    pub(crate) const fn def(mut self, default: &'static str) -> Self {
        self.default = Some(default);
        self
    }

    /// Amplify throws at synth for a bad value.
    pub(crate) const fn synth(mut self) -> Self {
        self.enforced = Enforced::Synth;
        self
    }

    /// Only the AWS service checks the value, at deploy time.
    pub(crate) const fn deploy(mut self) -> Self {
        self.enforced = Enforced::Deploy;
        self
    }
}

/// A whole number between `min` and `max` inclusive.
pub(crate) const fn whole(min: f64, max: f64) -> Ty {
    Ty::Num(NumRule {
        min: Some(min),
        max: Some(max),
        integer: true,
    })
}

/// Any number.
pub(crate) const NUM: Ty = Ty::Num(NumRule {
    min: None,
    max: None,
    integer: false,
});

/// A named literal.
pub(crate) const fn lit(value: &'static str, doc: Doc) -> Literal {
    Literal { value, doc }
}

/// Accepts any non-empty key (records such as `functions`, `stackMappings`, layers).
pub(crate) fn any_key(key: &str) -> bool {
    !key.is_empty()
}

/// The log retention values shared by data and function logging.
pub(crate) const LOG_RETENTION: &[&str] = &[
    "1 day",
    "3 days",
    "5 days",
    "1 week",
    "2 weeks",
    "1 month",
    "2 months",
    "3 months",
    "4 months",
    "5 months",
    "6 months",
    "1 year",
    "13 months",
    "18 months",
    "2 years",
    "3 years",
    "5 years",
    "6 years",
    "7 years",
    "8 years",
    "9 years",
    "10 years",
    "infinite",
];
