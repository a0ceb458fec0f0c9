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

/// The kind of resource behind a `backend.<key>` (decides its members).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    Auth,
    Data,
    Storage,
    Function,
}

/// A member of a backend resource object (`backend.auth.resources.userPool`), with the members below it.
#[derive(Debug, Clone, Copy)]
pub struct ResourceMember {
    pub name: &'static str,
    /// `true` for methods (`addEnvironment(...)`).
    pub method: bool,
    pub doc: Doc,
    pub children: &'static [ResourceMember],
}

const fn member(
    name: &'static str,
    doc: Doc,
    children: &'static [ResourceMember],
) -> ResourceMember {
    ResourceMember {
        name,
        method: false,
        doc,
        children,
    }
}

const fn method(name: &'static str, doc: Doc) -> ResourceMember {
    ResourceMember {
        name,
        method: true,
        doc,
        children: &[],
    }
}

const fn cfn(name: &'static str, summary: &'static str, path: &'static str) -> ResourceMember {
    member(
        name,
        d(
            summary,
            "The L1 CloudFormation resource: set properties directly or with `addPropertyOverride(...)`.",
            path,
        ),
        &[],
    )
}

const fn stack(path: &'static str) -> ResourceMember {
    member(
        "stack",
        d(
            "The nested stack holding this resource",
            "Use it as the scope for CDK constructs that belong with the resource.",
            path,
        ),
        &[],
    )
}

static AUTH_CFN: &[ResourceMember] = &[
    cfn(
        "cfnUserPool",
        "The user pool's CloudFormation resource",
        path::AUTH_CDK,
    ),
    cfn(
        "cfnUserPoolClient",
        "The app client's CloudFormation resource",
        path::AUTH_CDK,
    ),
    cfn(
        "cfnIdentityPool",
        "The identity pool's CloudFormation resource",
        path::AUTH_CDK,
    ),
    cfn(
        "cfnIdentityPoolRoleAttachment",
        "The identity pool's role attachment resource",
        path::AUTH_CDK,
    ),
];

static AUTH_RESOURCES: &[ResourceMember] = &[
    member(
        "userPool",
        d(
            "The Cognito user pool (CDK `IUserPool`)",
            "For grants and references, e.g. `userPool.userPoolArn`.",
            path::AUTH_CDK,
        ),
        &[],
    ),
    member(
        "userPoolClient",
        d(
            "The user pool's app client (CDK `IUserPoolClient`)",
            "The web client the frontend signs in with.",
            path::AUTH_CDK,
        ),
        &[],
    ),
    member(
        "authenticatedUserIamRole",
        d(
            "IAM role of signed-in identity-pool users",
            "Add policies with `addToPrincipalPolicy(...)` to let signed-in users call other AWS services.",
            path::AUTH_CDK,
        ),
        &[],
    ),
    member(
        "unauthenticatedUserIamRole",
        d(
            "IAM role of guest identity-pool users",
            "What guests may do with identity-pool credentials.",
            path::AUTH_CDK,
        ),
        &[],
    ),
    member(
        "identityPoolId",
        d(
            "Id of the identity pool",
            "A token resolved at deploy time.",
            path::AUTH_CDK,
        ),
        &[],
    ),
    member(
        "groups",
        d(
            "The user groups by name",
            "`groups['ADMINS']` holds the group's `cfnUserGroup` and its IAM `role`.",
            path::AUTH_GROUPS,
        ),
        &[],
    ),
    member(
        "cfnResources",
        d(
            "The CloudFormation resources of auth",
            "`cfnUserPool`, `cfnUserPoolClient`, `cfnIdentityPool`, `cfnIdentityPoolRoleAttachment`.",
            path::AUTH_CDK,
        ),
        AUTH_CFN,
    ),
];

static DATA_CFN: &[ResourceMember] = &[
    cfn(
        "cfnGraphqlApi",
        "The AppSync API's CloudFormation resource",
        path::DATA_OVERRIDE,
    ),
    cfn(
        "cfnGraphqlSchema",
        "The API schema's CloudFormation resource",
        path::DATA_OVERRIDE,
    ),
    cfn(
        "cfnApiKey",
        "The API key's CloudFormation resource, when there is one",
        path::DATA_OVERRIDE,
    ),
    cfn("cfnResolvers", "Resolvers by name", path::DATA_OVERRIDE),
    cfn(
        "cfnFunctionConfigurations",
        "Pipeline functions by name",
        path::DATA_OVERRIDE,
    ),
    cfn(
        "cfnDataSources",
        "Data sources by name",
        path::DATA_OVERRIDE,
    ),
    cfn(
        "cfnTables",
        "Tables by name (not the model tables)",
        path::DATA_OVERRIDE,
    ),
    cfn("cfnRoles", "IAM roles by name", path::DATA_OVERRIDE),
    cfn(
        "cfnFunctions",
        "Lambda functions by name",
        path::DATA_OVERRIDE,
    ),
    cfn(
        "amplifyDynamoDbTables",
        "The model tables by model name, e.g. `amplifyDynamoDbTables['Todo']`",
        path::DATA_OVERRIDE,
    ),
    cfn(
        "additionalCfnResources",
        "Other CloudFormation resources of the API",
        path::DATA_OVERRIDE,
    ),
];

static DATA_RESOURCES: &[ResourceMember] = &[
    member(
        "graphqlApi",
        d(
            "The AppSync GraphQL API (CDK `IGraphqlApi`)",
            "For grants (`grantQuery`, `grantMutation`) and references.",
            path::DATA_OVERRIDE,
        ),
        &[],
    ),
    member(
        "tables",
        d(
            "The DynamoDB tables of the models, by model name",
            "`tables['Todo']` is the CDK `ITable` of the `Todo` model.",
            path::DATA_OVERRIDE,
        ),
        &[],
    ),
    member(
        "roles",
        d("IAM roles of the API, by name", "", path::DATA_OVERRIDE),
        &[],
    ),
    member(
        "functions",
        d(
            "Lambda functions of the API, by name",
            "",
            path::DATA_OVERRIDE,
        ),
        &[],
    ),
    member(
        "nestedStacks",
        d("Nested stacks of the API, by name", "", path::DATA_OVERRIDE),
        &[],
    ),
    member(
        "cfnResources",
        d(
            "The CloudFormation resources of the API",
            "`cfnGraphqlApi`, `amplifyDynamoDbTables['Model']`, resolvers, data sources, ...",
            path::DATA_OVERRIDE,
        ),
        DATA_CFN,
    ),
];

static STORAGE_RESOURCES: &[ResourceMember] = &[
    member(
        "bucket",
        d(
            "The S3 bucket (CDK `IBucket`)",
            "For grants and notifications, e.g. `bucket.grantRead(role)`.",
            path::STORAGE_EXTEND,
        ),
        &[],
    ),
    member(
        "cfnResources",
        d(
            "The CloudFormation resources of the bucket",
            "`cfnBucket`.",
            path::STORAGE_EXTEND,
        ),
        &[cfn(
            "cfnBucket",
            "The bucket's CloudFormation resource",
            path::STORAGE_EXTEND,
        )],
    ),
];

static FUNCTION_RESOURCES: &[ResourceMember] = &[
    member(
        "lambda",
        d(
            "The Lambda function (CDK `IFunction`)",
            "Add permissions with `lambda.addToRolePolicy(new PolicyStatement({...}))`.",
            path::FN_CDK,
        ),
        &[],
    ),
    member(
        "cfnResources",
        d(
            "The CloudFormation resources of the function",
            "`cfnFunction`.",
            path::FN_CDK,
        ),
        &[cfn(
            "cfnFunction",
            "The function's CloudFormation resource",
            path::FN_CDK,
        )],
    ),
];

const fn resources(doc: Doc, children: &'static [ResourceMember]) -> ResourceMember {
    member("resources", doc, children)
}

static AUTH_MEMBERS: &[ResourceMember] = &[
    resources(
        d(
            "The CDK constructs of auth",
            "`userPool`, `userPoolClient`, the identity-pool roles, `groups` and `cfnResources`.",
            path::AUTH_CDK,
        ),
        AUTH_RESOURCES,
    ),
    stack(path::AUTH_CDK),
];

static DATA_MEMBERS: &[ResourceMember] = &[
    resources(
        d(
            "The CDK constructs of the API",
            "`graphqlApi`, `tables`, `cfnResources`, ...",
            path::DATA_OVERRIDE,
        ),
        DATA_RESOURCES,
    ),
    stack(path::DATA_OVERRIDE),
    method(
        "addDynamoDbDataSource",
        d(
            "Adds a DynamoDB table as a data source",
            "Its name can then be used as `dataSource` of `a.handler.custom(...)`.",
            path::DATA_EXTERNAL_DDB,
        ),
    ),
    method(
        "addHttpDataSource",
        d(
            "Adds an HTTP endpoint as a data source",
            "",
            path::DATA_LOGIC,
        ),
    ),
    method(
        "addLambdaDataSource",
        d(
            "Adds a Lambda function as a data source",
            "",
            path::DATA_LOGIC,
        ),
    ),
    method(
        "addNoneDataSource",
        d(
            "Adds a data source without a backing service",
            "",
            path::DATA_LOGIC,
        ),
    ),
    method(
        "addEventBridgeDataSource",
        d(
            "Adds an EventBridge bus as a data source",
            "",
            path::DATA_LOGIC,
        ),
    ),
    method(
        "addOpenSearchDataSource",
        d(
            "Adds an OpenSearch domain as a data source",
            "",
            path::DATA_LOGIC,
        ),
    ),
    method(
        "addRdsDataSource",
        d("Adds an RDS cluster as a data source", "", path::DATA_LOGIC),
    ),
    method(
        "addResolver",
        d("Adds a resolver to the API", "", path::DATA_LOGIC),
    ),
    method(
        "addFunction",
        d("Adds an AppSync pipeline function", "", path::DATA_LOGIC),
    ),
];

static STORAGE_MEMBERS: &[ResourceMember] = &[
    resources(
        d(
            "The CDK constructs of the bucket",
            "`bucket` and `cfnResources.cfnBucket`.",
            path::STORAGE_EXTEND,
        ),
        STORAGE_RESOURCES,
    ),
    stack(path::STORAGE_EXTEND),
];

static FUNCTION_MEMBERS: &[ResourceMember] = &[
    resources(
        d(
            "The CDK constructs of the function",
            "`lambda` and `cfnResources.cfnFunction`.",
            path::FN_CDK,
        ),
        FUNCTION_RESOURCES,
    ),
    stack(path::FN_CDK),
    method(
        "addEnvironment",
        d(
            "Adds an environment variable to the function",
            "`addEnvironment('KEY', value)`; the value is a string or `secret('NAME')`.",
            path::FN_ENV,
        ),
    ),
];

/// The members of `backend.<key>` for a resource of this kind.
pub fn resource_members(kind: ResourceKind) -> &'static [ResourceMember] {
    match kind {
        ResourceKind::Auth => AUTH_MEMBERS,
        ResourceKind::Data => DATA_MEMBERS,
        ResourceKind::Storage => STORAGE_MEMBERS,
        ResourceKind::Function => FUNCTION_MEMBERS,
    }
}

/// The members reached by following `path` (`resources`, `cfnResources`) from `backend.<key>`.
pub fn members_at(kind: ResourceKind, path: &[&str]) -> Option<&'static [ResourceMember]> {
    let mut level = resource_members(kind);
    for name in path {
        level = level.iter().find(|m| m.name == *name)?.children;
    }
    Some(level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_members_by_kind() {
        let names = |k, p: &[&str]| -> Vec<&str> {
            members_at(k, p)
                .unwrap_or_default()
                .iter()
                .map(|m| m.name)
                .collect()
        };
        assert!(names(ResourceKind::Auth, &["resources"]).contains(&"userPool"));
        assert!(names(ResourceKind::Data, &["resources"]).contains(&"tables"));
        assert!(names(ResourceKind::Data, &["resources", "cfnResources"])
            .contains(&"amplifyDynamoDbTables"));
        assert_eq!(
            names(ResourceKind::Function, &["resources"]),
            ["lambda", "cfnResources"]
        );
        assert!(names(ResourceKind::Function, &[]).contains(&"addEnvironment"));
        assert_eq!(
            names(ResourceKind::Storage, &["resources", "cfnResources"]),
            ["cfnBucket"]
        );
        assert!(members_at(ResourceKind::Storage, &["nope"]).is_none());
    }

    #[test]
    fn reserved_backend_keys() {
        assert!(is_backend_key("auth"));
        assert!(!is_backend_key("createStack"));
        assert!(!is_backend_key("stack"));
    }
}
