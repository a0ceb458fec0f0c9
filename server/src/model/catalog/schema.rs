//! The `a` schema builder of `@aws-amplify/data-schema`: members, chain methods, authorization rules and the
//! literal sets they accept (`amplify-api.md` §2.3–§2.9).

use super::dsl::{doc, lit, path, since};
use super::types::{AuthContext, Builder, DataRule, Doc, Literal, Member, Modifier};

const fn d(summary: &'static str, details: &'static str, path: &'static str) -> Doc {
    doc(summary, details, path, since::SCHEMA)
}

/// A function member of a namespace.
const fn member(
    on: Builder,
    name: &'static str,
    signature: &'static str,
    produces: Builder,
    doc: Doc,
) -> Member {
    Member {
        on,
        name,
        signature,
        produces,
        graphql: None,
        is_namespace: false,
        doc,
    }
}

/// A scalar field factory of `a`.
const fn scalar(
    name: &'static str,
    graphql: &'static str,
    signature: &'static str,
    doc: Doc,
) -> Member {
    Member {
        on: Builder::A,
        name,
        signature,
        produces: Builder::Scalar,
        graphql: Some(graphql),
        is_namespace: false,
        doc,
    }
}

/// Every member of `a`, `a.handler` and `a.ai`.
pub static MEMBERS: &[Member] = &[
    member(
        Builder::A,
        "schema",
        "(types: Record<string, Model | CustomType | Enum | Operation | Conversation>) => Schema",
        Builder::Schema,
        d(
            "Creates the data schema",
            "Takes a non-empty record of models, custom types, enums, custom operations and conversations keyed by \
             name. Schema-wide rules go in `.authorization()`; every model needs rules from there or its own.",
            path::DATA_SETUP,
        ),
    ),
    member(
        Builder::A,
        "combine",
        "(schemas: Schema[]) => CombinedSchema",
        Builder::Combined,
        d(
            "Merges several schemas into one",
            "Typically a DynamoDB schema plus a generated SQL schema. A type name defined in two schemas throws as \
             soon as `a.combine` runs.",
            path::DATA_SQL,
        ),
    ),
    member(
        Builder::A,
        "model",
        "(fields: Record<string, Field>) => Model",
        Builder::Model,
        d(
            "Defines a model backed by a DynamoDB table",
            "Gets `id`, `createdAt` and `updatedAt` automatically, plus CRUD queries, mutations and subscriptions. \
             Needs authorization rules, its own or the schema's.",
            path::DATA_SETUP,
        ),
    ),
    member(
        Builder::A,
        "customType",
        "(fields: Record<string, Field>) => CustomType",
        Builder::CustomType,
        d(
            "Defines a non-model object type",
            "For nested data and custom operation results; it has no table and no methods. To make a field of this \
             type required, declare it at the top level and use `a.ref('Name').required()`.",
            path::DATA_FIELDS,
        ),
    ),
    member(
        Builder::A,
        "enum",
        "(values: string[]) => Enum",
        Builder::Enum,
        d(
            "Defines an enumeration",
            "Values must not contain whitespace (checked at synth). An enum has no methods: declare it at the top \
             level and use `a.ref('Name').required()` to require it.",
            path::DATA_FIELDS,
        ),
    ),
    member(
        Builder::A,
        "ref",
        "(typeName: string) => Ref",
        Builder::Ref,
        d(
            "Refers to an enum, custom type or model by name",
            "Inside models and custom types it may only point to enums and custom types (use relationships for \
             models); an unknown name fails at synth. Operation return types may also reference models.",
            path::DATA_FIELDS,
        ),
    ),
    member(
        Builder::A,
        "hasOne",
        "(relatedModel: string, references: string | string[]) => HasOne",
        Builder::HasOne,
        d(
            "One-to-one relationship to a child model",
            "`references` names the foreign-key field(s) on the related model, which needs a matching \
             `a.belongsTo` with the same references.",
            path::DATA_RELATIONSHIPS,
        ),
    ),
    member(
        Builder::A,
        "hasMany",
        "(relatedModel: string, references: string | string[]) => HasMany",
        Builder::HasMany,
        d(
            "One-to-many relationship to child models",
            "`references` names the foreign-key field(s) on the related model, which needs a matching \
             `a.belongsTo` with identical references in the same order.",
            path::DATA_RELATIONSHIPS,
        ),
    ),
    member(
        Builder::A,
        "belongsTo",
        "(relatedModel: string, references: string | string[]) => BelongsTo",
        Builder::BelongsTo,
        d(
            "Child side of a hasOne or hasMany relationship",
            "`references` names fields on this model that hold the parent's identifier; their number and types must \
             match the parent's identifier fields.",
            path::DATA_RELATIONSHIPS,
        ),
    ),
    scalar(
        "id",
        "ID",
        "() => ScalarField<string>",
        d(
            "Unique identifier field (GraphQL `ID`)",
            "Stored as a string. The only identifier field that may stay optional; models get an `id` \
             automatically when they use the default identifier.",
            path::DATA_FIELDS,
        ),
    ),
    scalar(
        "string",
        "String",
        "() => ScalarField<string>",
        d(
            "Text field (GraphQL `String`)",
            "Supports string validators such as `minLength` and `matches` in `.validate()`.",
            path::DATA_FIELDS,
        ),
    ),
    scalar(
        "integer",
        "Int",
        "() => ScalarField<number>",
        d(
            "Whole-number field (GraphQL `Int`)",
            "32-bit signed range; supports numeric validators such as `gt` and `positive`.",
            path::DATA_FIELDS,
        ),
    ),
    scalar(
        "float",
        "Float",
        "() => ScalarField<number>",
        d(
            "Floating-point field (GraphQL `Float`)",
            "Supports numeric validators such as `gte` and `lte`.",
            path::DATA_FIELDS,
        ),
    ),
    scalar(
        "boolean",
        "Boolean",
        "() => ScalarField<boolean>",
        d(
            "True/false field (GraphQL `Boolean`)",
            "Nullable unless `.required()` is chained.",
            path::DATA_FIELDS,
        ),
    ),
    scalar(
        "date",
        "AWSDate",
        "() => ScalarField<string>",
        d(
            "Calendar date field (`AWSDate`)",
            "Values look like `YYYY-MM-DD`, optionally with a time-zone offset.",
            path::DATA_FIELDS,
        ),
    ),
    scalar(
        "time",
        "AWSTime",
        "() => ScalarField<string>",
        d(
            "Time-of-day field (`AWSTime`)",
            "Values look like `hh:mm:ss.sss`, optionally with a time-zone offset.",
            path::DATA_FIELDS,
        ),
    ),
    scalar(
        "datetime",
        "AWSDateTime",
        "() => ScalarField<string>",
        d(
            "Date and time field (`AWSDateTime`)",
            "An ISO 8601 timestamp string such as `2024-05-01T12:00:00Z`.",
            path::DATA_FIELDS,
        ),
    ),
    scalar(
        "timestamp",
        "AWSTimestamp",
        "() => ScalarField<number>",
        d(
            "Unix timestamp field (`AWSTimestamp`)",
            "A number of seconds since the epoch.",
            path::DATA_FIELDS,
        ),
    ),
    scalar(
        "email",
        "AWSEmail",
        "() => ScalarField<string>",
        d(
            "Email address field (`AWSEmail`)",
            "AppSync rejects values that are not well-formed addresses.",
            path::DATA_FIELDS,
        ),
    ),
    scalar(
        "json",
        "AWSJSON",
        "() => ScalarField<any>",
        d(
            "Arbitrary JSON field (`AWSJSON`)",
            "Sent over GraphQL as a JSON string; clients usually stringify before writing.",
            path::DATA_FIELDS,
        ),
    ),
    scalar(
        "phone",
        "AWSPhone",
        "() => ScalarField<string>",
        d(
            "Phone number field (`AWSPhone`)",
            "Accepts phone numbers with optional country code and separators.",
            path::DATA_FIELDS,
        ),
    ),
    scalar(
        "url",
        "AWSURL",
        "() => ScalarField<string>",
        d(
            "URL field (`AWSURL`)",
            "Values must be URLs with a scheme, such as `https://example.com`.",
            path::DATA_FIELDS,
        ),
    ),
    scalar(
        "ipAddress",
        "AWSIPAddress",
        "() => ScalarField<string>",
        d(
            "IP address field (`AWSIPAddress`)",
            "An IPv4 or IPv6 address, optionally with a CIDR suffix.",
            path::DATA_FIELDS,
        ),
    ),
    member(
        Builder::A,
        "query",
        "() => Query",
        Builder::Query,
        d(
            "Defines a custom GraphQL query",
            "Chain `.arguments()`, `.returns()`, `.authorization()` and `.handler()`. Both rules and a handler are \
             required, and a return type unless the handler is async.",
            path::DATA_LOGIC,
        ),
    ),
    member(
        Builder::A,
        "mutation",
        "() => Mutation",
        Builder::Mutation,
        d(
            "Defines a custom GraphQL mutation",
            "Same chain as a query; it can also be a subscription source via `.for()`.",
            path::DATA_LOGIC,
        ),
    ),
    member(
        Builder::A,
        "subscription",
        "() => Subscription",
        Builder::Subscription,
        d(
            "Defines a custom GraphQL subscription",
            "Chain `.for()` with a custom mutation or a model ref with `.mutations([...])`; there is no \
             `.returns()`. Rules and a handler are required.",
            path::DATA_LOGIC,
        ),
    ),
    member(
        Builder::A,
        "generation",
        "(props: { aiModel, systemPrompt, inferenceConfiguration? }) => Generation",
        Builder::Generation,
        d(
            "Defines an AI generation route (a query)",
            "Sends a single request to a Bedrock model and returns the typed result. `maxTokens` must be at least 1 \
             and `temperature`/`topP` between 0 and 1 (checked at synth).",
            path::AI_GENERATION,
        ),
    ),
    member(
        Builder::A,
        "conversation",
        "(props: { aiModel, systemPrompt, inferenceConfiguration?, tools?, handler? }) => Conversation",
        Builder::Conversation,
        d(
            "Defines an AI conversation route (chat)",
            "Creates the conversation and message storage plus streaming. Must be followed by \
             `.authorization(allow => allow.owner())`, the only allowed rule.",
            path::AI_ARCH,
        ),
    ),
    Member {
        on: Builder::A,
        name: "handler",
        signature: "a.handler",
        produces: Builder::HandlerNs,
        graphql: None,
        is_namespace: true,
        doc: d(
            "Handlers for custom operations",
            "`a.handler.function(fn)`, `a.handler.custom({ entry })`, and for SQL schemas `inlineSql` and \
             `sqlReference`. Pass an array to build a pipeline of one handler kind.",
            path::DATA_LOGIC,
        ),
    },
    Member {
        on: Builder::A,
        name: "ai",
        signature: "a.ai",
        produces: Builder::AiNs,
        graphql: None,
        is_namespace: true,
        doc: d(
            "AI helpers: model names and data tools",
            "`a.ai.model('Claude 3.5 Sonnet')` picks a Bedrock model; `a.ai.dataTool({...})` exposes data to a \
             conversation.",
            path::AI_SETUP,
        ),
    },
    member(
        Builder::HandlerNs,
        "function",
        "(fn: defineFunction result | string) => FunctionHandler",
        Builder::FunctionHandler,
        d(
            "Resolve the operation with a Lambda function",
            "Pass a `defineFunction` result or a key of `defineData({ functions })`; anything else fails at synth. \
             Chain `.async()` to invoke without waiting.",
            path::DATA_LOGIC,
        ),
    ),
    member(
        Builder::HandlerNs,
        "custom",
        "(props: { entry: string; dataSource?: string | Ref }) => CustomHandler",
        Builder::CustomHandler,
        d(
            "Resolve the operation with an AppSync JavaScript resolver",
            "`entry` is relative to the calling file and must exist. `dataSource` is `a.ref('Model')` or a data \
             source added in backend.ts; without it the NONE data source is used.",
            path::DATA_LOGIC,
        ),
    ),
    member(
        Builder::HandlerNs,
        "inlineSql",
        "(sql: string) => SqlHandler",
        Builder::SqlHandler,
        d(
            "Resolve the operation with an inline SQL statement",
            "Only for SQL (PostgreSQL/MySQL) schemas; arguments are available as `:name` placeholders.",
            path::DATA_SQL,
        ),
    ),
    member(
        Builder::HandlerNs,
        "sqlReference",
        "(path: string) => SqlHandler",
        Builder::SqlHandler,
        d(
            "Resolve the operation with SQL from a `.sql` file",
            "Only for SQL schemas; the path is relative to the calling file.",
            path::DATA_SQL,
        ),
    ),
    member(
        Builder::AiNs,
        "model",
        "(name: AiModelName) => AiModel",
        Builder::AiModel,
        d(
            "Selects a supported Bedrock model by display name",
            "Accepts names such as `'Claude 3.5 Sonnet'` or `'Amazon Nova Pro'`; for other models pass \
             `{ resourcePath: '<bedrock model id>' }` as `aiModel` instead.",
            path::AI_MODELS,
        ),
    ),
    member(
        Builder::AiNs,
        "dataTool",
        "(props: { name, description, model, modelOperation } | { name, description, query }) => DataTool",
        Builder::DataTool,
        d(
            "Lets a conversation call your data",
            "Either lists a model (`model: a.ref('Model'), modelOperation: 'list'`) or calls a custom query. Tool \
             names are 1–64 characters, start with a letter, use letters, digits and `_`, and must be unique.",
            path::AI_TOOLS,
        ),
    ),
];

/// A chain method.
const fn modifier(
    name: &'static str,
    signature: &'static str,
    on: &'static [Builder],
    produces: Option<Builder>,
    once: bool,
    doc: Doc,
) -> Modifier {
    Modifier {
        name,
        signature,
        on,
        produces,
        once,
        doc,
    }
}

const FIELDS: &[Builder] = &[Builder::Scalar, Builder::Ref];
const RELATIONSHIP_AND_FIELDS: &[Builder] = &[
    Builder::Scalar,
    Builder::Ref,
    Builder::HasOne,
    Builder::HasMany,
    Builder::BelongsTo,
];
const OPERATIONS: &[Builder] = &[
    Builder::Query,
    Builder::Mutation,
    Builder::Subscription,
    Builder::Generation,
];

/// Every chain method and the builders it may follow.
pub static MODIFIERS: &[Modifier] = &[
    modifier(
        "required",
        "() => Field",
        FIELDS,
        None,
        false,
        d(
            "Makes the field non-nullable",
            "Before `.array()` it marks the items (`[T!]`); after `.array()` it marks the list itself (`[T]!`), so \
             it can appear once on each side.",
            path::DATA_FIELDS,
        ),
    ),
    modifier(
        "array",
        "() => Field",
        FIELDS,
        None,
        true,
        d(
            "Turns the field into a list",
            "Chain `.required()` afterwards to require the list itself. A list field cannot use `.validate()` or \
             `.default()`.",
            path::DATA_FIELDS,
        ),
    ),
    modifier(
        "default",
        "(value?: string | number | boolean) => Field",
        &[Builder::Scalar],
        None,
        true,
        d(
            "Default value written when the field is omitted",
            "Only on model fields; the value must parse as the field's type (checked at synth). Without an argument \
             the database generates it, which only works for `Int` fields of PostgreSQL schemas.",
            path::DATA_FIELDS,
        ),
    ),
    modifier(
        "validate",
        "(v => v.minLength(n) | v.gt(n) | ...) => Field",
        &[Builder::Scalar],
        None,
        true,
        d(
            "Server-side validation of the field value",
            "String fields take `minLength`, `maxLength`, `startsWith`, `endsWith`, `matches`; numbers take `gt`, \
             `lt`, `gte`, `lte`, `positive`, `negative`. Only on model fields that are not lists; call `.default()` \
             first.",
            path::DATA_VALIDATION,
        ),
    ),
    modifier(
        "authorization",
        "(allow => Rule | Rule[]) => Field",
        RELATIONSHIP_AND_FIELDS,
        None,
        true,
        d(
            "Field-level authorization rules",
            "Restricts who can read or write this field; field rules replace the model's rules for the field. \
             `allow.resource` is not available here.",
            path::DATA_FIELDS,
        ),
    ),
    modifier(
        "mutations",
        "(operations: ('create' | 'update' | 'delete')[]) => Ref",
        &[Builder::Ref],
        None,
        true,
        d(
            "Which model mutations a subscription listens to",
            "Only meaningful on a model ref passed to a subscription's `.for()`; on refs to non-models it fails at \
             synth.",
            path::DATA_LOGIC,
        ),
    ),
    modifier(
        "identifier",
        "(fields: string[]) => Model",
        &[Builder::Model],
        None,
        true,
        d(
            "Custom primary key of the model",
            "The first field is the partition key, the rest become sort keys. Each field must be `.required()` \
             unless it is an `a.id()` field (checked at synth).",
            path::DATA_IDENTIFIERS,
        ),
    ),
    modifier(
        "secondaryIndexes",
        "(index => Index[]) => Model",
        &[Builder::Model],
        None,
        true,
        d(
            "Global secondary indexes of the table",
            "`index('field').sortKeys([...]).name('...')`; each index gets a `list<Model>By<Field>` query unless \
             `queryField(null)` is set. Key fields must be strings, numbers or enums.",
            path::DATA_INDEX,
        ),
    ),
    modifier(
        "disableOperations",
        "(operations: DisableOperation[]) => Model",
        &[Builder::Model],
        None,
        true,
        d(
            "Removes generated queries, mutations or subscriptions",
            "Accepts coarse groups (`queries`, `mutations`, `subscriptions`) or single operations such as `list` or \
             `onDelete`; a group covers its members.",
            path::DATA_DISABLE_OPS,
        ),
    ),
    modifier(
        "authorization",
        "(allow => Rule | Rule[]) => Model",
        &[Builder::Model],
        None,
        true,
        d(
            "Model-level authorization rules",
            "Replace the schema-level rules for this model. Every model must end up with rules from one of the two, \
             otherwise the synth fails.",
            path::DATA_SETUP,
        ),
    ),
    modifier(
        "required",
        "() => HasOne",
        &[Builder::HasOne],
        None,
        true,
        d(
            "Marks a hasOne relationship as required (unusable)",
            "Offered by the types, but the GraphQL transformer rejects required hasOne fields when references are \
             used, so the synth always fails.",
            path::DATA_RELATIONSHIPS,
        ),
    ),
    modifier(
        "valueRequired",
        "() => HasMany",
        &[Builder::HasMany],
        None,
        true,
        d(
            "Marks hasMany items as required (unusable)",
            "Offered by the types, but the transformer rejects required hasMany fields with references, so the \
             synth always fails.",
            path::DATA_RELATIONSHIPS,
        ),
    ),
    modifier(
        "arguments",
        "(args: Record<string, Field>) => Operation",
        OPERATIONS,
        None,
        true,
        d(
            "Input arguments of the operation",
            "Scalars, inline enums and custom types, or refs to enums and custom types; refs to models are rejected \
             at synth.",
            path::DATA_LOGIC,
        ),
    ),
    modifier(
        "returns",
        "(type: Field | Ref | CustomType) => Operation",
        &[Builder::Query, Builder::Mutation, Builder::Generation],
        None,
        true,
        d(
            "Return type of the operation",
            "A scalar field, `a.ref(...)` to a model, custom type or enum, or an inline custom type. Required unless \
             the handler is `.async()`.",
            path::DATA_LOGIC,
        ),
    ),
    modifier(
        "authorization",
        "(allow => Rule | Rule[]) => Operation",
        OPERATIONS,
        None,
        true,
        d(
            "Who may call the operation",
            "Only `publicApiKey`, `guest`, `authenticated`, `group`, `groups` and `custom` exist here, without \
             `.to()`. Queries, mutations and subscriptions need both rules and a handler.",
            path::DATA_LOGIC,
        ),
    ),
    modifier(
        "handler",
        "(handler: Handler | Handler[]) => Operation",
        &[Builder::Query, Builder::Mutation, Builder::Subscription],
        None,
        true,
        d(
            "How the operation is resolved",
            "An `a.handler.function(...)`, `a.handler.custom(...)` or SQL handler, or an array of one kind to form \
             a pipeline.",
            path::DATA_LOGIC,
        ),
    ),
    modifier(
        "for",
        "(source: Ref | Ref[]) => Subscription",
        &[Builder::Subscription],
        None,
        true,
        d(
            "Events the subscription listens to",
            "Refs to custom mutations, or model refs with `.mutations([...])`. All sources must return the same \
             type (checked at synth).",
            path::DATA_LOGIC,
        ),
    ),
    modifier(
        "authorization",
        "(allow => allow.owner()) => Conversation",
        &[Builder::Conversation],
        None,
        true,
        d(
            "Conversation access (owner only)",
            "Required, and `allow.owner()` is the only accepted rule; each user sees only their own conversations.",
            path::AI_ARCH,
        ),
    ),
    modifier(
        "authorization",
        "(allow => Rule | Rule[]) => Schema",
        &[Builder::Schema, Builder::SqlSchema],
        None,
        true,
        d(
            "Schema-wide authorization rules",
            "Apply to every model and operation that has no rules of its own. `allow.resource(fn)` is only \
             available here.",
            path::DATA_SETUP,
        ),
    ),
    modifier(
        "async",
        "() => AsyncFunctionHandler",
        &[Builder::FunctionHandler],
        None,
        true,
        d(
            "Invoke the function without waiting for it",
            "Uses an asynchronous (Event) invocation; the operation then returns `{ success }` and needs no \
             `.returns()`. Only for queries and mutations.",
            path::DATA_LOGIC,
        ),
    ),
    modifier(
        "sortKeys",
        "(fields: string[]) => Index",
        &[Builder::Index],
        None,
        true,
        d(
            "Sort key fields of the index",
            "String, number or enum fields of the model; they also extend the generated query name.",
            path::DATA_INDEX,
        ),
    ),
    modifier(
        "name",
        "(name: string) => Index",
        &[Builder::Index],
        None,
        true,
        d(
            "Explicit name of the index",
            "3–255 characters of letters, digits, `_`, `.` and `-`, unique per model (checked at synth).",
            path::DATA_INDEX,
        ),
    ),
    modifier(
        "queryField",
        "(name: string | null) => Index",
        &[Builder::Index],
        None,
        true,
        d(
            "Name of the generated query",
            "Overrides the default `list<Model>By<Field>...`; `null` creates the index without a query.",
            path::DATA_INDEX,
        ),
    ),
    modifier(
        "projection",
        "(type: 'KEYS_ONLY' | 'INCLUDE' | 'ALL', nonKeyAttributes?: string[]) => Index",
        &[Builder::Index],
        None,
        true,
        d(
            "Attributes copied into the index",
            "`ALL` is the default; `INCLUDE` needs a non-empty list of extra attributes (checked at synth).",
            path::DATA_INDEX,
        ),
    ),    modifier(
        "setAuthorization",
        "((models, schema) => void) => SqlSchema",
        SQL_SCHEMA,
        None,
        true,
        d(
            "Authorization rules for the generated SQL models",
            "The callback receives the models (`models.todos.authorization((allow) => [...])`) and the schema \
             (`schema.authorization(...)`) and returns an array of those calls. Owner and group fields named \
             by the rules must be columns of the table; SQL models have no 'sync' nor 'search' operations.",
            path::DATA_SQL,
        ),
    ),
    modifier(
        "addToSchema",
        "(types: Record<string, CustomType | Enum | Operation>) => SqlSchema",
        SQL_SCHEMA,
        None,
        true,
        d(
            "Adds custom types, enums and operations to a SQL schema",
            "Queries and mutations resolved with `a.handler.inlineSql(...)` or `a.handler.sqlReference(...)`. \
             Models cannot be added: Amplify refuses `a.model(...)` here at synth.",
            path::DATA_SQL,
        ),
    ),
    modifier(
        "renameModels",
        "(() => [oldName: string, newName: string][]) => SqlSchema",
        SQL_SCHEMA,
        None,
        true,
        d(
            "Renames generated models",
            "Returns `[old, new]` pairs, e.g. `[['todos', 'Todo']]`; the table keeps its name. An old name that \
             is not a model of the schema, or an empty new name, fails at synth.",
            path::DATA_SQL,
        ),
    ),
    modifier(
        "setRelationships",
        "(models => Relationship[]) => SqlSchema",
        SQL_SCHEMA,
        None,
        true,
        d(
            "Relationships between generated models",
            "Returns an array of `models.X.relationships({ field: a.hasMany('Y', 'yId') })` calls, since the \
             generated models have no relationship fields of their own.",
            path::DATA_SQL,
        ),
    ),
    modifier(
        "addQueries",
        "(queries: Record<string, Query>) => SqlSchema",
        SQL_SCHEMA,
        None,
        true,
        d(
            "Deprecated: adds queries to a SQL schema",
            "Use `.addToSchema({...})`, which takes queries, mutations, subscriptions, custom types and enums.",
            path::DATA_SQL,
        ),
    ),
    modifier(
        "addMutations",
        "(mutations: Record<string, Mutation>) => SqlSchema",
        SQL_SCHEMA,
        None,
        true,
        d(
            "Deprecated: adds mutations to a SQL schema",
            "Use `.addToSchema({...})`, which takes queries, mutations, subscriptions, custom types and enums.",
            path::DATA_SQL,
        ),
    ),
    modifier(
        "addSubscriptions",
        "(subscriptions: Record<string, Subscription>) => SqlSchema",
        SQL_SCHEMA,
        None,
        true,
        d(
            "Deprecated: adds subscriptions to a SQL schema",
            "Use `.addToSchema({...})`, which takes queries, mutations, subscriptions, custom types and enums.",
            path::DATA_SQL,
        ),
    ),
];

const SQL_SCHEMA: &[Builder] = &[Builder::SqlSchema];

/// A string or numeric validator of `.validate(v => ...)`.
const fn validator(name: &'static str, signature: &'static str, doc: Doc) -> Modifier {
    Modifier {
        name,
        signature,
        on: &[Builder::Scalar],
        produces: None,
        once: true,
        doc,
    }
}

/// The validators of `.validate(v => ...)` (string ones for `a.string()`, numeric ones for `a.integer()`/`a.float()`).
pub static VALIDATORS: &[Modifier] = &[
    validator(
        "minLength",
        "(length: number, message?: string)",
        d(
            "String validator: minimum length",
            "For string fields only. The length must be a non-negative whole number (checked at synth).",
            path::DATA_VALIDATION,
        ),
    ),
    validator(
        "maxLength",
        "(length: number, message?: string)",
        d(
            "String validator: maximum length",
            "For string fields only. The length must be a non-negative whole number (checked at synth).",
            path::DATA_VALIDATION,
        ),
    ),
    validator(
        "startsWith",
        "(prefix: string, message?: string)",
        d(
            "String validator: required prefix",
            "For string fields only; the value must begin with the given text.",
            path::DATA_VALIDATION,
        ),
    ),
    validator(
        "endsWith",
        "(suffix: string, message?: string)",
        d(
            "String validator: required suffix",
            "For string fields only; the value must end with the given text.",
            path::DATA_VALIDATION,
        ),
    ),
    validator(
        "matches",
        "(pattern: string, message?: string)",
        d(
            "String validator: regular expression",
            "For string fields only; pass the pattern as a string, not a RegExp literal.",
            path::DATA_VALIDATION,
        ),
    ),
    validator(
        "gt",
        "(value: number, message?: string)",
        d(
            "Numeric validator: greater than",
            "For integer and float fields only; cannot be combined with `positive` on one field.",
            path::DATA_VALIDATION,
        ),
    ),
    validator(
        "lt",
        "(value: number, message?: string)",
        d(
            "Numeric validator: less than",
            "For integer and float fields only; cannot be combined with `negative` on one field.",
            path::DATA_VALIDATION,
        ),
    ),
    validator(
        "gte",
        "(value: number, message?: string)",
        d(
            "Numeric validator: greater than or equal",
            "For integer and float fields only. Contradictory bounds are not detected.",
            path::DATA_VALIDATION,
        ),
    ),
    validator(
        "lte",
        "(value: number, message?: string)",
        d(
            "Numeric validator: less than or equal",
            "For integer and float fields only. Contradictory bounds are not detected.",
            path::DATA_VALIDATION,
        ),
    ),
    validator(
        "positive",
        "(message?: string)",
        d(
            "Numeric validator: greater than zero",
            "For integer and float fields only; same as `gt(0)`, so it excludes `gt` on the same field.",
            path::DATA_VALIDATION,
        ),
    ),
    validator(
        "negative",
        "(message?: string)",
        d(
            "Numeric validator: less than zero",
            "For integer and float fields only; same as `lt(0)`, so it excludes `lt` on the same field.",
            path::DATA_VALIDATION,
        ),
    ),
];

/// Names of the string validators in [`VALIDATORS`].
pub const STRING_VALIDATORS: &[&str] = &[
    "minLength",
    "maxLength",
    "startsWith",
    "endsWith",
    "matches",
];
/// Names of the numeric validators in [`VALIDATORS`].
pub const NUMERIC_VALIDATORS: &[&str] = &["gt", "lt", "gte", "lte", "positive", "negative"];

/// The validators `.validate(v => ...)` offers on a field made by the scalar factory `factory` (`string`,
/// `integer`, ...): string ones for `a.string()`, numeric ones for `a.integer()` and `a.float()`, none for the
/// other scalars (their validation builder is `never`). `None` when `factory` is not a scalar factory.
pub fn validators_for_factory(factory: &str) -> Option<&'static [&'static str]> {
    match factory {
        "string" => Some(STRING_VALIDATORS),
        "integer" | "float" => Some(NUMERIC_VALIDATORS),
        _ if MEMBERS
            .iter()
            .any(|m| m.on == Builder::A && m.name == factory && m.produces == Builder::Scalar) =>
        {
            Some(&[])
        }
        _ => None,
    }
}

/// Validators that exclude each other on one field: `gt`/`positive` and `lt`/`negative` (the types hide the
/// other once one is used).
pub fn validator_excluded_by(name: &str) -> Option<&'static str> {
    match name {
        "gt" => Some("positive"),
        "positive" => Some("gt"),
        "lt" => Some("negative"),
        "negative" => Some("lt"),
        _ => None,
    }
}

use AuthContext::{
    Conversation as C, Field as F, Model as M, Operation as O, RefField as RF, Schema as S,
};

const OWNER_PROVIDERS: &[&str] = &["userPools", "oidc"];

/// The `allow.*` rules of data-schema authorization (§2.9).
pub static DATA_RULES: &[DataRule] = &[
    DataRule {
        name: "publicApiKey",
        signature: "allow.publicApiKey()",
        contexts: &[S, M, F, RF, O],
        providers: &[],
        default_provider: "apiKey",
        chain: &["to"],
        doc: d(
            "Anyone holding the API key",
            "Public access through the `apiKey` mode. An API key exists automatically only when there is no auth \
             and no `authorizationModes`; otherwise add `apiKeyAuthorizationMode` or the synth fails.",
            path::DATA_PUBLIC,
        ),
    },
    DataRule {
        name: "guest",
        signature: "allow.guest()",
        contexts: &[S, M, F, RF, O],
        providers: &[],
        default_provider: "identityPool",
        chain: &["to"],
        doc: d(
            "Unauthenticated users through the identity pool",
            "Public access signed with IAM guest credentials. It synthesizes even without `defineAuth`, but then no \
             identity pool exists to issue those credentials.",
            path::DATA_PUBLIC,
        ),
    },
    DataRule {
        name: "authenticated",
        signature: "allow.authenticated(provider?: 'userPools' | 'oidc' | 'identityPool')",
        contexts: &[S, M, F, RF, O],
        providers: &["userPools", "oidc", "identityPool"],
        default_provider: "userPools",
        chain: &["to"],
        doc: d(
            "Any signed-in user",
            "Uses Cognito user pools by default; `'identityPool'` uses IAM credentials and `'oidc'` the OIDC mode. \
             Other providers throw when the schema is built.",
            path::DATA_SIGNED_IN,
        ),
    },
    DataRule {
        name: "owner",
        signature: "allow.owner(provider?: 'userPools' | 'oidc')",
        contexts: &[S, M, F, RF, C],
        providers: OWNER_PROVIDERS,
        default_provider: "userPools",
        chain: &["to", "identityClaim"],
        doc: d(
            "The user who created the record",
            "Adds an `owner` string field filled with the creator's identity. A field you declare yourself named \
             `owner` must be string-like. In conversations it is the only rule and takes no arguments.",
            path::DATA_OWNER,
        ),
    },
    DataRule {
        name: "ownerDefinedIn",
        signature: "allow.ownerDefinedIn(field: string, provider?: 'userPools' | 'oidc')",
        contexts: &[S, M, F, RF],
        providers: OWNER_PROVIDERS,
        default_provider: "userPools",
        chain: &["to", "identityClaim"],
        doc: d(
            "The user named in a custom owner field",
            "Like `owner()` but stores the owner in the given string field.",
            path::DATA_OWNER,
        ),
    },
    DataRule {
        name: "ownersDefinedIn",
        signature: "allow.ownersDefinedIn(field: string, provider?: 'userPools' | 'oidc')",
        contexts: &[S, M, F, RF],
        providers: OWNER_PROVIDERS,
        default_provider: "userPools",
        chain: &["to", "identityClaim"],
        doc: d(
            "Any user listed in a string-array field",
            "Multi-owner access: the field must be a string list (`a.string().array()`).",
            path::DATA_MULTI_USER,
        ),
    },
    DataRule {
        name: "group",
        signature: "allow.group(group: string, provider?: 'userPools' | 'oidc')",
        contexts: &[S, M, F, RF, O],
        providers: OWNER_PROVIDERS,
        default_provider: "userPools",
        chain: &["to", "withClaimIn"],
        doc: d(
            "Members of one user group",
            "Checks the `cognito:groups` claim by default. The group should exist in `defineAuth({ groups })`.",
            path::DATA_GROUPS,
        ),
    },
    DataRule {
        name: "groups",
        signature: "allow.groups(groups: string[], provider?: 'userPools' | 'oidc')",
        contexts: &[S, M, F, RF, O],
        providers: OWNER_PROVIDERS,
        default_provider: "userPools",
        chain: &["to", "withClaimIn"],
        doc: d(
            "Members of any of several user groups",
            "An empty list fails at synth.",
            path::DATA_GROUPS,
        ),
    },
    DataRule {
        name: "groupDefinedIn",
        signature: "allow.groupDefinedIn(field: string, provider?: 'userPools' | 'oidc')",
        contexts: &[S, M, F, RF],
        providers: OWNER_PROVIDERS,
        default_provider: "userPools",
        chain: &["to", "withClaimIn"],
        doc: d(
            "Members of the group named in a record field",
            "Dynamic group access: the field holds one group name (a string).",
            path::DATA_GROUPS,
        ),
    },
    DataRule {
        name: "groupsDefinedIn",
        signature: "allow.groupsDefinedIn(field: string, provider?: 'userPools' | 'oidc')",
        contexts: &[S, M, F, RF],
        providers: OWNER_PROVIDERS,
        default_provider: "userPools",
        chain: &["to", "withClaimIn"],
        doc: d(
            "Members of any group listed in a record field",
            "Dynamic group access: the field is a string list of group names.",
            path::DATA_GROUPS,
        ),
    },
    DataRule {
        name: "custom",
        signature: "allow.custom(provider?: 'function')",
        contexts: &[S, M, F, RF, O],
        providers: &["function"],
        default_provider: "function",
        chain: &["to"],
        doc: d(
            "Decided by the Lambda authorizer",
            "Needs `authorizationModes.lambdaAuthorizationMode`; without it the synth fails.",
            path::DATA_CUSTOM_AUTH,
        ),
    },
    DataRule {
        name: "resource",
        signature: "allow.resource(fn).to(operations?: ('query' | 'mutate' | 'listen')[])",
        contexts: &[S],
        providers: &[],
        default_provider: "iam",
        chain: &["to"],
        doc: d(
            "Lets a function call the API with IAM",
            "Only in the schema-level `.authorization()`. The function gets the GraphQL endpoint and model \
             introspection variables; `.to()` limits it to `query`, `mutate` and/or `listen` (all by default).",
            path::DATA_LAMBDA_ACCESS,
        ),
    },
];

/// Chain methods that may follow a data rule (outside custom operations).
pub static RULE_CHAIN_METHODS: &[Literal] = &[
    lit(
        "to",
        d(
            "Limits the rule to some operations",
            "Without `.to()` the rule allows every operation. Each chain method can be used once; not available \
             on custom operations.",
            path::DATA_SETUP,
        ),
    ),
    lit(
        "identityClaim",
        d(
            "Token claim that identifies the owner",
            "Replaces the default `sub::username` on owner rules.",
            path::DATA_CLAIMS,
        ),
    ),
    lit(
        "withClaimIn",
        d(
            "Token claim that lists the user's groups",
            "Replaces the default `cognito:groups` on group rules; not available on custom operations.",
            path::DATA_CLAIMS,
        ),
    ),
];

const fn op(value: &'static str, summary: &'static str, details: &'static str) -> Literal {
    lit(value, d(summary, details, path::DATA_SETUP))
}

/// The operations accepted by a data rule's `.to([...])`.
pub static DATA_OPERATIONS: &[Literal] = &[
    op(
        "create",
        "Create records",
        "Allows the generated create mutation.",
    ),
    op(
        "update",
        "Update records",
        "Allows the generated update mutation.",
    ),
    op(
        "delete",
        "Delete records",
        "Allows the generated delete mutation.",
    ),
    op(
        "read",
        "Read records (get, list, listen, sync, search)",
        "Shorthand for all read-side operations.",
    ),
    op(
        "get",
        "Fetch single records",
        "Allows the generated get query.",
    ),
    op(
        "list",
        "List records",
        "Allows the generated list and index queries.",
    ),
    op(
        "sync",
        "Sync records for offline clients",
        "Allows DataStore-style sync queries; rejected on SQL models.",
    ),
    op(
        "listen",
        "Subscribe to changes",
        "Allows the generated onCreate, onUpdate and onDelete subscriptions.",
    ),
    op(
        "search",
        "Search records",
        "Allows search queries; rejected on SQL models.",
    ),
];

/// The operations accepted by `allow.resource(fn).to([...])`.
pub static RESOURCE_OPERATIONS: &[Literal] = &[
    lit(
        "query",
        d(
            "Run queries",
            "Lets the function call every query of the API.",
            path::DATA_LAMBDA_ACCESS,
        ),
    ),
    lit(
        "mutate",
        d(
            "Run mutations",
            "Lets the function call every mutation of the API.",
            path::DATA_LAMBDA_ACCESS,
        ),
    ),
    lit(
        "listen",
        d(
            "Open subscriptions",
            "Lets the function subscribe to every subscription of the API.",
            path::DATA_LAMBDA_ACCESS,
        ),
    ),
];

const fn disable(value: &'static str, summary: &'static str, details: &'static str) -> Literal {
    lit(value, d(summary, details, path::DATA_DISABLE_OPS))
}

/// The operations accepted by `.disableOperations([...])`.
pub static DISABLE_OPERATIONS: &[Literal] = &[
    disable(
        "queries",
        "Remove all generated queries",
        "Covers `get` and `list` (index queries included).",
    ),
    disable(
        "mutations",
        "Remove all generated mutations",
        "Covers `create`, `update` and `delete`.",
    ),
    disable(
        "subscriptions",
        "Remove all generated subscriptions",
        "Covers `onCreate`, `onUpdate` and `onDelete`.",
    ),
    disable("list", "Remove the list query", "Drops `list<Model>s`."),
    disable("get", "Remove the get query", "Drops `get<Model>`."),
    disable(
        "create",
        "Remove the create mutation",
        "Drops `create<Model>`.",
    ),
    disable(
        "update",
        "Remove the update mutation",
        "Drops `update<Model>`.",
    ),
    disable(
        "delete",
        "Remove the delete mutation",
        "Drops `delete<Model>`.",
    ),
    disable(
        "onCreate",
        "Remove the onCreate subscription",
        "Drops the subscription fired after creates.",
    ),
    disable(
        "onUpdate",
        "Remove the onUpdate subscription",
        "Drops the subscription fired after updates.",
    ),
    disable(
        "onDelete",
        "Remove the onDelete subscription",
        "Drops the subscription fired after deletes.",
    ),
];

/// The mutations accepted by a model ref's `.mutations([...])`.
pub static SUBSCRIPTION_MUTATIONS: &[Literal] = &[
    lit(
        "create",
        d(
            "Fire on model creates",
            "The subscription receives records created through the model's create mutation.",
            path::DATA_LOGIC,
        ),
    ),
    lit(
        "update",
        d(
            "Fire on model updates",
            "The subscription receives records changed through the model's update mutation.",
            path::DATA_LOGIC,
        ),
    ),
    lit(
        "delete",
        d(
            "Fire on model deletes",
            "The subscription receives records removed through the model's delete mutation.",
            path::DATA_LOGIC,
        ),
    ),
];

/// The projection types of a secondary index.
pub static INDEX_PROJECTIONS: &[Literal] = &[
    lit(
        "KEYS_ONLY",
        d(
            "Project only the key attributes",
            "Smallest index; queries return only table and index keys.",
            path::DATA_INDEX,
        ),
    ),
    lit(
        "INCLUDE",
        d(
            "Project the keys plus listed attributes",
            "Needs a non-empty second argument naming the extra attributes (checked at synth).",
            path::DATA_INDEX,
        ),
    ),
    lit(
        "ALL",
        d(
            "Project every attribute (default)",
            "Queries on the index return complete records.",
            path::DATA_INDEX,
        ),
    ),
];

const fn ai(value: &'static str, vendor: &'static str) -> Literal {
    lit(
        value,
        d("Supported Amazon Bedrock model", vendor, path::AI_MODELS),
    )
}

/// The names accepted by `a.ai.model(...)`.
pub static AI_MODELS: &[Literal] = &[
    ai(
        "Amazon Nova Pro",
        "Amazon's Nova Pro model; the account must have Bedrock model access.",
    ),
    ai(
        "Amazon Nova Lite",
        "Amazon's Nova Lite model; the account must have Bedrock model access.",
    ),
    ai(
        "Amazon Nova Micro",
        "Amazon's text-only Nova Micro model; needs Bedrock model access.",
    ),
    ai(
        "Claude 3 Haiku",
        "Anthropic Claude 3 Haiku; needs Bedrock model access.",
    ),
    ai(
        "Claude 3 Opus",
        "Anthropic Claude 3 Opus; needs Bedrock model access.",
    ),
    ai(
        "Claude 3 Sonnet",
        "Anthropic Claude 3 Sonnet; needs Bedrock model access.",
    ),
    ai(
        "Claude 3.5 Haiku",
        "Anthropic Claude 3.5 Haiku; needs Bedrock model access.",
    ),
    ai(
        "Claude 3.5 Sonnet",
        "Anthropic Claude 3.5 Sonnet (June 2024); needs Bedrock model access.",
    ),
    ai(
        "Claude 3.5 Sonnet v2",
        "Anthropic Claude 3.5 Sonnet v2 (October 2024); needs Bedrock model access.",
    ),
    ai(
        "Claude 3.7 Sonnet",
        "Anthropic Claude 3.7 Sonnet; needs Bedrock model access.",
    ),
    ai(
        "Claude Opus 4",
        "Anthropic Claude Opus 4; needs Bedrock model access.",
    ),
    ai(
        "Claude Sonnet 4",
        "Anthropic Claude Sonnet 4; needs Bedrock model access.",
    ),
    ai(
        "Claude Haiku 4.5",
        "Anthropic Claude Haiku 4.5 through a global inference profile.",
    ),
    ai(
        "Claude Sonnet 4.5",
        "Anthropic Claude Sonnet 4.5 through a global inference profile.",
    ),
    ai(
        "Claude Opus 4.5",
        "Anthropic Claude Opus 4.5 through a global inference profile.",
    ),
    ai(
        "Claude Sonnet 4.6",
        "Anthropic Claude Sonnet 4.6 through a global inference profile.",
    ),
    ai(
        "Claude Opus 4.6",
        "Anthropic Claude Opus 4.6 through a global inference profile.",
    ),
    ai(
        "Cohere Command R",
        "Cohere Command R; needs Bedrock model access.",
    ),
    ai(
        "Cohere Command R+",
        "Cohere Command R+; needs Bedrock model access.",
    ),
    ai(
        "Llama 3.1 8B Instruct",
        "Meta Llama 3.1 8B Instruct; needs Bedrock model access.",
    ),
    ai(
        "Llama 3.1 70B Instruct",
        "Meta Llama 3.1 70B Instruct; needs Bedrock model access.",
    ),
    ai(
        "Llama 3.1 405B Instruct",
        "Meta Llama 3.1 405B Instruct; needs Bedrock model access.",
    ),
    ai(
        "Mistral Large",
        "Mistral Large (2402); needs Bedrock model access.",
    ),
    ai(
        "Mistral Large 2",
        "Mistral Large 2 (2407); needs Bedrock model access.",
    ),
    ai(
        "Mistral Small",
        "Mistral Small (2402); needs Bedrock model access.",
    ),
];
