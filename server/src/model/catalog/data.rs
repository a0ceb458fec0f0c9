//! `defineData` (`@aws-amplify/backend-data`): the argument's property tree (`amplify-api.md` §2.1–§2.2).
//! The `a` schema builder lives in `schema.rs`.

use super::dsl::{any_key, doc, path, prop, since, whole, LOG_RETENTION, NUM};
use super::types::{Doc, Extra, ObjTy, Ty};

const fn d(summary: &'static str, details: &'static str, path: &'static str) -> Doc {
    doc(summary, details, path, since::DATA)
}

static API_KEY_MODE: ObjTy = ObjTy {
    props: &[
        prop(
            "description",
            Ty::Str,
            d(
                "Description stored on the AppSync API key",
                "Free text that helps identify the key in the AppSync console.",
                path::DATA_PUBLIC,
            ),
        ),
        prop(
            "expiresInDays",
            whole(0.0, 365.0),
            d(
                "Days until the API key expires",
                "A whole number from 1 to 365; fractions and values above 365 fail at synth (0 is taken as \
                 \"not set\" and gives the 7-day default, verified with synth). Redeploying before expiry rotates \
                 the expiry date.",
                path::DATA_PUBLIC,
            ),
        )
        .def("7")
        .synth(),
    ],
    extra: None,
};

static LAMBDA_MODE: ObjTy = ObjTy {
    props: &[
        prop(
            "function",
            Ty::Resource,
            d(
                "The Lambda authorizer (a defineFunction)",
                "Receives the request's authorization token and returns whether it is authorized; used by \
                 `allow.custom()` rules.",
                path::DATA_CUSTOM_AUTH,
            ),
        )
        .req(),
        prop(
            "timeToLiveInSeconds",
            whole(0.0, 3600.0),
            d(
                "How long AppSync caches the authorizer's answer",
                "Seconds from 0 (no caching) to 3600. A negative value fails at synth; values above 3600 are only \
                 rejected by AppSync at deploy.",
                path::DATA_CUSTOM_AUTH,
            ),
        )
        .def("60")
        .deploy(),
    ],
    extra: None,
};

static OIDC_MODE: ObjTy = ObjTy {
    props: &[
        prop(
            "oidcProviderName",
            Ty::Str,
            d(
                "Display name of the OpenID Connect provider",
                "Used to name the provider in the API configuration and outputs.",
                path::DATA_OIDC,
            ),
        )
        .req(),
        prop(
            "oidcIssuerUrl",
            Ty::Str,
            d(
                "Issuer URL of the OpenID Connect provider",
                "Must equal the `iss` claim of the tokens AppSync should accept.",
                path::DATA_OIDC,
            ),
        )
        .req(),
        prop(
            "clientId",
            Ty::Str,
            d(
                "Client id tokens must be issued for",
                "When set, AppSync only accepts tokens whose audience is this client.",
                path::DATA_OIDC,
            ),
        ),
        prop(
            "tokenExpiryFromAuthInSeconds",
            NUM,
            d(
                "Maximum token age since authentication, in seconds",
                "Note the spelling `Expiry` here versus `Expire` in `tokenExpireFromIssueInSeconds`.",
                path::DATA_OIDC,
            ),
        )
        .req(),
        prop(
            "tokenExpireFromIssueInSeconds",
            NUM,
            d(
                "Maximum token age since issue, in seconds",
                "Note the spelling `Expire` here versus `Expiry` in `tokenExpiryFromAuthInSeconds`.",
                path::DATA_OIDC,
            ),
        )
        .req(),
    ],
    extra: None,
};

static AUTHORIZATION_MODES: ObjTy = ObjTy {
    props: &[
        prop(
            "defaultAuthorizationMode",
            Ty::StrLit(&["iam", "identityPool", "userPool", "oidc", "apiKey", "lambda"]),
            d(
                "Mode used when a request does not pick one",
                "`iam` and `identityPool` both mean AWS_IAM. Required when auth is defined and other modes are \
                 listed, or when several modes are listed; `apiKey` creates a key even without \
                 `apiKeyAuthorizationMode`. An unknown value fails at synth.",
                path::DATA_SETUP,
            ),
        )
        .def("'userPool' with auth, otherwise 'apiKey'")
        .synth(),
        prop(
            "apiKeyAuthorizationMode",
            Ty::Obj(&API_KEY_MODE),
            d(
                "Enables API key access",
                "Needed for `allow.publicApiKey()` rules when the project also defines auth (a key is only created \
                 automatically when there is no auth and no `authorizationModes`).",
                path::DATA_PUBLIC,
            ),
        ),
        prop(
            "lambdaAuthorizationMode",
            Ty::Obj(&LAMBDA_MODE),
            d(
                "Enables a Lambda authorizer",
                "Required by `allow.custom()` rules; the function decides per request.",
                path::DATA_CUSTOM_AUTH,
            ),
        ),
        prop(
            "oidcAuthorizationMode",
            Ty::Obj(&OIDC_MODE),
            d(
                "Enables an OpenID Connect provider",
                "Required by rules that pass the `'oidc'` provider.",
                path::DATA_OIDC,
            ),
        ),
    ],
    extra: None,
};

static LOGGING: ObjTy = ObjTy {
    props: &[
        prop(
            "retention",
            Ty::StrLit(LOG_RETENTION),
            d(
                "How long AppSync logs are kept",
                "A duration such as `'1 week'`, `'1 month'` or `'infinite'`.",
                path::DATA_LOGGING,
            ),
        )
        .def("'1 week'"),
        prop(
            "excludeVerboseContent",
            Ty::Bool,
            d(
                "Leave headers, context and mapping output out of logs",
                "Keep true unless you need full request details; verbose logs may contain sensitive data.",
                path::DATA_LOGGING,
            ),
        )
        .def("true"),
        prop(
            "fieldLogLevel",
            Ty::StrLit(&["none", "all", "info", "debug", "error"]),
            d(
                "Resolver (field-level) log level",
                "`none` logs only request summaries; other levels add resolver logs. An unknown level fails at \
                 synth.",
                path::DATA_LOGGING,
            ),
        )
        .def("'none'")
        .synth(),
    ],
    extra: None,
};

static GEN1_TABLE_MAPPING: ObjTy = ObjTy {
    props: &[
        prop(
            "branchName",
            Ty::Str,
            d(
                "Branch the mapping applies to",
                "Use `'sandbox'` for sandboxes. Each branch name may appear only once (checked at synth).",
                path::DATA_EXTERNAL_DDB,
            ),
        )
        .req(),
        prop(
            "modelNameToTableNameMapping",
            Ty::Obj(&ObjTy {
                props: &[],
                extra: Some(Extra {
                    key_desc: "a model name of the schema",
                    key_ok: any_key,
                    value: &Ty::Str,
                    doc: d(
                        "Existing Gen 1 DynamoDB table used for this model",
                        "The key is the model name and the value the name of the table to adopt; the model must \
                         exist in the schema.",
                        path::DATA_EXTERNAL_DDB,
                    ),
                }),
            }),
            d(
                "Models mapped to existing Gen 1 tables",
                "Record from model name to DynamoDB table name for this branch.",
                path::DATA_EXTERNAL_DDB,
            ),
        ),
    ],
    extra: None,
};

/// The argument of `defineData(...)`.
pub static DATA_PROPS: ObjTy = ObjTy {
    props: &[
        prop(
            "schema",
            Ty::Schema,
            d(
                "The data model",
                "An `a.schema({...})` result, an `a.combine([...])` result, or a GraphQL SDL string.",
                path::DATA_SETUP,
            ),
        )
        .req()
        .synth(),
        prop(
            "name",
            Ty::Str,
            d(
                "Name of the GraphQL API",
                "Must start with a letter and contain only letters, digits, `-`, `_` or spaces (checked at synth). \
                 Also changes the prefix of the environment variables functions receive.",
                path::DATA_SETUP,
            ),
        )
        .def("'amplifyData'")
        .synth(),
        prop(
            "authorizationModes",
            Ty::Obj(&AUTHORIZATION_MODES),
            d(
                "Which authorization modes the API accepts",
                "IAM is always on. Without this property the default is `userPool` when auth is defined and a 7-day \
                 API key otherwise; mismatches with the rules' providers fail at synth.",
                path::DATA_SETUP,
            ),
        )
        .synth(),
        prop(
            "functions",
            Ty::Obj(&ObjTy {
                props: &[],
                extra: Some(Extra {
                    key_desc: "a name used with `a.handler.function('name')`",
                    key_ok: any_key,
                    value: &Ty::Resource,
                    doc: d(
                        "Function available to handlers by this name",
                        "A `defineFunction` result that `a.handler.function('<key>')` can refer to by string.",
                        path::DATA_LOGIC,
                    ),
                }),
            }),
            d(
                "Functions that handlers may reference by name",
                "A record of `defineFunction` results; the keys can be passed to `a.handler.function()` as strings.",
                path::DATA_LOGIC,
            ),
        )
        .def("{}"),
        prop(
            "logging",
            Ty::OneOf(&[Ty::Bool, Ty::Obj(&LOGGING)]),
            d(
                "AppSync request logging",
                "`true` (or `{}`) turns logging on with the defaults: verbose content excluded, field log level \
                 `none`, one-week retention. Logging is off when omitted.",
                path::DATA_LOGGING,
            ),
        ),
        prop(
            "migratedAmplifyGen1DynamoDbTableMappings",
            Ty::Arr(&Ty::Obj(&GEN1_TABLE_MAPPING)),
            d(
                "Reuse DynamoDB tables of a migrated Gen 1 app",
                "One entry per branch. Only applied to GraphQL-string schemas; mapped models must exist, and \
                 duplicate branch names fail at synth.",
                path::DATA_EXTERNAL_DDB,
            ),
        )
        .synth(),
        prop(
            "stackMappings",
            Ty::Obj(&ObjTy {
                props: &[],
                extra: Some(Extra {
                    key_desc: "a resolver logical id",
                    key_ok: any_key,
                    value: &Ty::Str,
                    doc: d(
                        "Nested stack that holds this resolver",
                        "The key is a resolver's logical id and the value the nested stack name to place it in.",
                        path::DATA_OVERRIDE,
                    ),
                }),
            }),
            d(
                "Places resolvers in named nested stacks",
                "Useful for large schemas that hit the CloudFormation resource limit of one stack.",
                path::DATA_OVERRIDE,
            ),
        ),
    ],
    extra: None,
};
