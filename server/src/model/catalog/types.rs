//! The shapes of the declarative catalog. The data lives in the sibling modules; these types are shared
//! by completion, hover and shape diagnostics so the three can never disagree.

/// Documentation attached to every catalog entry. All text is our own wording.
#[derive(Debug, Clone, Copy)]
pub struct Doc {
    /// One line, shown as completion detail and as the first line of a hover.
    pub summary: &'static str,
    /// A longer explanation (markdown allowed), shown in hovers and completion documentation.
    pub details: &'static str,
    /// Path on docs.amplify.aws after the platform slug, e.g. `build-a-backend/functions/configure-functions/`.
    pub path: &'static str,
    /// The package version that introduced the entry, e.g. `@aws-amplify/backend-function 1.0.0`.
    pub since: &'static str,
}

/// When Amplify enforces a rule about a property. Decides diagnostic severity: only `Synth` may be an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enforced {
    /// Amplify throws while `defineBackend()` runs or at CDK synth: a violation is an error.
    Synth,
    /// Only TypeScript's types enforce it: the backend still synthesizes, so a violation is a warning.
    Types,
    /// Checked by the AWS service at deploy time: a warning.
    Deploy,
}

/// Numeric bounds. `integer` means fractional values are rejected.
#[derive(Debug, Clone, Copy)]
pub struct NumRule {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub integer: bool,
}

/// The type of a value in a `define*` call's argument.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// Any string.
    Str,
    /// One of these string literals.
    StrLit(&'static [&'static str]),
    /// A number, optionally bounded.
    Num(NumRule),
    /// One of these number literals (e.g. runtime 18 | 20 | 22 | 24).
    NumLit(&'static [i64]),
    Bool,
    /// A value that must be the result of `secret('NAME')`; a plain string is rejected.
    Secret,
    /// A callback / arrow function.
    Func,
    /// The result of a `define*` factory, usually a `defineFunction` (an identifier in practice).
    Resource,
    /// The result of `a.schema(...)` / `a.combine(...)` or a GraphQL string.
    Schema,
    /// An object with known properties (and optionally extra keys).
    Obj(&'static ObjTy),
    /// An array of this type.
    Arr(&'static Ty),
    /// Any of these types.
    OneOf(&'static [Ty]),
    /// Anything: not checked.
    Any,
}

/// An object type: known properties plus, optionally, a rule for additional keys.
#[derive(Debug, Clone, Copy)]
pub struct ObjTy {
    pub props: &'static [Prop],
    pub extra: Option<Extra>,
}

/// Additional keys of an object (e.g. `environment`, `custom:` user attributes, `layers`).
#[derive(Debug, Clone, Copy)]
pub struct Extra {
    /// Describes the accepted keys, e.g. "`custom:` followed by a name".
    pub key_desc: &'static str,
    /// Whether a key is accepted (used for completion filtering and unknown-property diagnostics).
    pub key_ok: fn(&str) -> bool,
    pub value: &'static Ty,
    pub doc: Doc,
}

/// One property of an object type.
#[derive(Debug, Clone, Copy)]
pub struct Prop {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// Human-readable default, e.g. `3` or `'x86_64'` or "email when email login is on".
    pub default: Option<&'static str>,
    /// Who enforces the type/literal/bounds of this property.
    pub enforced: Enforced,
    pub doc: Doc,
}

/// A top-level factory call (`defineAuth`, `defineData`, `defineStorage`, `defineFunction`, `defineBackend`,
/// `secret`, `referenceAuth`).
#[derive(Debug, Clone, Copy)]
pub struct Call {
    pub name: &'static str,
    /// The module users import it from.
    pub module: &'static str,
    /// File (without extension) the call must live in, when Amplify enforces one.
    pub file: Option<&'static str>,
    /// The first argument's type (all these calls take one argument, or none).
    pub arg: Option<Ty>,
    /// Whether the argument may be omitted (`defineFunction()`).
    pub arg_optional: bool,
    pub doc: Doc,
}

/// What a schema-builder expression produces; decides which modifiers may follow a `.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builder {
    /// `a` itself.
    A,
    /// `a.handler`
    HandlerNs,
    /// `a.ai`
    AiNs,
    Schema,
    /// A generated SQL schema: `configure({ database }).schema({...})`, or a name imported from `./schema.sql`.
    SqlSchema,
    Combined,
    Model,
    CustomType,
    Enum,
    /// `a.string()`, `a.integer()`, ... ; `numeric`/`string` decide which validators apply.
    Scalar,
    Ref,
    HasOne,
    HasMany,
    BelongsTo,
    Query,
    Mutation,
    Subscription,
    Generation,
    Conversation,
    FunctionHandler,
    CustomHandler,
    SqlHandler,
    AiModel,
    DataTool,
    /// The index builder inside `.secondaryIndexes(index => [...])`.
    Index,
}

/// A member of `a` (or of `a.handler` / `a.ai`).
#[derive(Debug, Clone, Copy)]
pub struct Member {
    /// Namespace the member lives on: `Builder::A`, `Builder::HandlerNs` or `Builder::AiNs`.
    pub on: Builder,
    pub name: &'static str,
    /// Signature shown as completion detail, e.g. `(fields) => Model`.
    pub signature: &'static str,
    /// What the call (or property, for namespaces) produces.
    pub produces: Builder,
    /// For scalar field factories: the GraphQL type (`ID`, `String`, `Int`, ...).
    pub graphql: Option<&'static str>,
    /// `true` for namespaces accessed as properties (`a.handler`, `a.ai`), not called.
    pub is_namespace: bool,
    pub doc: Doc,
}

/// A chained method on a builder result (`.required()`, `.identifier([...])`, ...).
#[derive(Debug, Clone, Copy)]
pub struct Modifier {
    pub name: &'static str,
    pub signature: &'static str,
    /// The builder results this modifier may follow.
    pub on: &'static [Builder],
    /// What the chain produces afterwards (usually the same builder).
    pub produces: Option<Builder>,
    /// Each of these may be called only once per chain.
    pub once: bool,
    pub doc: Doc,
}

/// Where an `allow.` rule of the data schema may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthContext {
    Schema,
    Model,
    Field,
    RefField,
    Operation,
    Conversation,
}

/// A data-schema authorization rule (`allow.owner()`, ...).
#[derive(Debug, Clone, Copy)]
pub struct DataRule {
    pub name: &'static str,
    pub signature: &'static str,
    pub contexts: &'static [AuthContext],
    /// Providers accepted as the last argument (empty: none).
    pub providers: &'static [&'static str],
    /// The provider used when none is given: `apiKey`, `identityPool`, `userPools`, `function`, `iam`...
    pub default_provider: &'static str,
    /// Chain methods allowed after the rule (outside operations): `to`, `identityClaim`, `withClaimIn`.
    pub chain: &'static [&'static str],
    pub doc: Doc,
}

/// A storage access principal (`allow.guest`, `allow.entity('identity')`, ...).
#[derive(Debug, Clone, Copy)]
pub struct StorageRule {
    pub name: &'static str,
    pub signature: &'static str,
    /// `true` for `groups(...)`, `entity(...)`, `resource(...)`; `false` for the properties `guest`, `authenticated`.
    pub is_call: bool,
    /// Whether the principal needs a `defineAuth` in the project.
    pub needs_auth: bool,
    pub doc: Doc,
}

/// A named literal with its own documentation (storage actions, `.to()` operations, auth actions, ...).
#[derive(Debug, Clone, Copy)]
pub struct Literal {
    pub value: &'static str,
    pub doc: Doc,
}
