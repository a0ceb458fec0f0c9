//! The top-level factory calls of `@aws-amplify/backend` and their argument types.

use super::ai::{BACKEND_AI, CONVERSATION_HANDLER_PROPS};
use super::auth::{AUTH_PROPS, REFERENCE_AUTH_PROPS};
use super::backend::BACKEND_PROPS;
use super::data::DATA_PROPS;
use super::dsl::{doc, path, since};
use super::function::FUNCTION_PROPS;
use super::storage::STORAGE_PROPS;
use super::types::{Call, Ty};

const MODULE: &str = "@aws-amplify/backend";

/// `defineAuth`, `defineData`, `defineStorage`, `defineFunction`, `defineBackend`, `secret`, `referenceAuth`, and
/// `defineConversationHandlerFunction` of `@aws-amplify/backend-ai`.
pub static CALLS: &[Call] = &[
    Call {
        name: "defineAuth",
        module: MODULE,
        file: Some("amplify/auth/resource"),
        arg: Some(Ty::Obj(&AUTH_PROPS)),
        arg_optional: false,
        doc: doc(
            "Defines the Cognito user pool and identity pool",
            "Configures sign-in methods, attributes, MFA, groups and triggers. Must be called in \
             `amplify/auth/resource.ts` and only once per backend (together with `referenceAuth`).",
            path::AUTH_SETUP,
            since::AUTH,
        ),
    },
    Call {
        name: "defineData",
        module: MODULE,
        file: Some("amplify/data/resource"),
        arg: Some(Ty::Obj(&DATA_PROPS)),
        arg_optional: false,
        doc: doc(
            "Defines the AppSync GraphQL API and its tables",
            "Takes the schema built with `a.schema(...)` and the authorization modes. Must be called in \
             `amplify/data/resource.ts`, only once per backend.",
            path::DATA_SETUP,
            since::DATA,
        ),
    },
    Call {
        name: "defineStorage",
        module: MODULE,
        file: Some("amplify/storage/resource"),
        arg: Some(Ty::Obj(&STORAGE_PROPS)),
        arg_optional: false,
        doc: doc(
            "Defines an S3 bucket with path-based access rules",
            "Every bucket must be declared in `amplify/storage/resource.ts`; with several buckets exactly one needs \
             `isDefault: true`.",
            path::STORAGE_SETUP,
            since::STORAGE,
        ),
    },
    Call {
        name: "defineFunction",
        module: MODULE,
        file: None,
        arg: Some(Ty::OneOf(&[Ty::Obj(&FUNCTION_PROPS), Ty::Func])),
        arg_optional: true,
        doc: doc(
            "Defines a Node.js Lambda function",
            "All properties are optional: the handler defaults to `./handler.ts` beside the calling file. Passing \
             `(scope) => IFunction` instead defines a custom CDK function (Python, Go, Docker, ...), optionally with \
             `{ resourceGroupName }` as the second argument.",
            path::FN_SETUP,
            since::FUNCTION,
        ),
    },
    Call {
        name: "defineBackend",
        module: MODULE,
        file: None,
        arg: Some(Ty::Obj(&BACKEND_PROPS)),
        arg_optional: false,
        doc: doc(
            "Assembles the backend from its resources",
            "Conventionally in `amplify/backend.ts`. Each key becomes `backend.<key>`; the result also offers \
             `createStack`, `addOutput` and `stack` for CDK customisation.",
            path::PROJECT_STRUCTURE,
            since::BACKEND,
        ),
    },
    Call {
        name: "secret",
        module: MODULE,
        file: None,
        arg: Some(Ty::Str),
        arg_optional: false,
        doc: doc(
            "References a secret stored in SSM Parameter Store",
            "The value is resolved at deploy or function start, never stored in code. Set it with `npx ampx sandbox \
             secret set NAME` or in the Amplify console; the name is not checked locally.",
            path::SECRETS,
            since::BACKEND,
        ),
    },
    Call {
        name: "referenceAuth",
        module: MODULE,
        file: Some("amplify/auth/resource"),
        arg: Some(Ty::Obj(&REFERENCE_AUTH_PROPS)),
        arg_optional: false,
        doc: doc(
            "Uses existing Cognito resources instead of creating them",
            "Takes the ids and role ARNs of an existing user pool, app client and identity pool. Same file and \
             single-use rules as `defineAuth`; consistency is only checked at deploy.",
            path::AUTH_EXISTING,
            since::AUTH,
        ),
    },
    Call {
        name: "defineConversationHandlerFunction",
        module: BACKEND_AI,
        file: None,
        arg: Some(Ty::Obj(&CONVERSATION_HANDLER_PROPS)),
        arg_optional: false,
        doc: doc(
            "Defines your own Lambda handler for an AI conversation",
            "Pass the result as `handler` of `a.conversation({...})` and to `defineBackend`. `models` lists the              Bedrock models the function may invoke; `entry` defaults to `./handler.ts` beside the calling file.",
            path::AI_ARCH,
            "@aws-amplify/backend-ai 1.6.0",
        ),
    },
];
