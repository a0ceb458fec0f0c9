//! The data API as the client sees it: models, their operations, custom operations, and for each the client
//! auth modes that can call it, read from the `defineData` file's schema and `authorizationModes`.
//!
//! The mapping from `allow.*` rules to client modes follows what Amplify generates (checked against the
//! `access` oracle): `publicApiKey` → `apiKey`; `guest()` → the identity pool's guest identity (`identityPool`
//! and `iam` sign alike in a browser); `authenticated()` → `userPool`, `authenticated('oidc')` → `oidc`,
//! `authenticated('identityPool')` → the identity pool's signed-in identity; owner and group rules → their
//! provider (`userPool` unless `'oidc'`), with rows filtered or the caller's groups checked; `custom()` →
//! `lambda`. `allow.resource(fn)` grants backend IAM roles, never a client mode. Model rules replace the
//! schema's; `.to([...])` limits a rule to some operations. A rule that cannot be read makes the operations it
//! may cover unknown, and an unknown operation is never reported.

use crate::model::file::{DefineKind, FileModel};
use crate::model::schema::{self, FieldKind, OpKind, Provider, Rules, TypeKind};
use crate::model::value::Kind;

/// A client `authMode`, with `iam` and `identityPool` as one (both sign with identity-pool credentials).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    ApiKey,
    UserPool,
    IdentityPool,
    Oidc,
    Lambda,
}

impl Mode {
    /// The mode a client `authMode` literal names.
    pub fn from_client(s: &str) -> Option<Mode> {
        Some(match s {
            "apiKey" => Mode::ApiKey,
            "userPool" => Mode::UserPool,
            "identityPool" | "iam" => Mode::IdentityPool,
            "oidc" => Mode::Oidc,
            "lambda" => Mode::Lambda,
            _ => return None,
        })
    }
    /// The client's word for the mode (`identityPool` for both IAM spellings).
    pub fn client_name(self) -> &'static str {
        match self {
            Mode::ApiKey => "apiKey",
            Mode::UserPool => "userPool",
            Mode::IdentityPool => "identityPool",
            Mode::Oidc => "oidc",
            Mode::Lambda => "lambda",
        }
    }
    pub const ALL: [Mode; 5] = [
        Mode::ApiKey,
        Mode::UserPool,
        Mode::IdentityPool,
        Mode::Oidc,
        Mode::Lambda,
    ];
}

/// Who, among the callers of a mode, a rule admits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// Every caller of the mode (an API key holder; whoever the Lambda authorizer admits).
    Anyone,
    /// The identity pool's guest (not signed in) identity.
    Guest,
    /// Any signed-in user of the mode.
    SignedIn,
    /// Only the records whose owner field names the caller (lists and subscriptions are filtered).
    Owner(String),
    /// Members of these groups.
    Groups(Vec<String>),
    /// Records whose group field holds one of the caller's groups.
    GroupField(String),
}

impl Who {
    /// Whether the rule filters rows or checks the record (not every record for every caller).
    pub fn filters(&self) -> bool {
        matches!(self, Who::Owner(_) | Who::GroupField(_))
    }
}

/// One client mode a rule admits, and whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub mode: Mode,
    pub who: Who,
    /// The operations (bits of [`ops`]) the rule covers.
    pub ops: u16,
}

/// Operation bits of `.to([...])`.
pub mod ops {
    pub const CREATE: u16 = 1;
    pub const UPDATE: u16 = 2;
    pub const DELETE: u16 = 4;
    pub const GET: u16 = 8;
    pub const LIST: u16 = 16;
    pub const SYNC: u16 = 32;
    pub const LISTEN: u16 = 64;
    pub const SEARCH: u16 = 128;
    pub const READ: u16 = GET | LIST | SYNC | LISTEN | SEARCH;
    pub const ALL: u16 = CREATE | UPDATE | DELETE | READ;

    /// The bits of one `.to([...])` word.
    pub fn of_word(w: &str) -> Option<u16> {
        Some(match w {
            "create" => CREATE,
            "update" => UPDATE,
            "delete" => DELETE,
            "get" => GET,
            "list" => LIST,
            "sync" => SYNC,
            "listen" => LISTEN,
            "search" => SEARCH,
            "read" => READ,
            _ => return None,
        })
    }
}

/// A model operation of the client (`client.models.M.<op>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelOp {
    Create,
    Get,
    List,
    Update,
    Delete,
    ObserveQuery,
    OnCreate,
    OnUpdate,
    OnDelete,
}

impl ModelOp {
    pub const ALL: [ModelOp; 9] = [
        ModelOp::Create,
        ModelOp::Get,
        ModelOp::List,
        ModelOp::Update,
        ModelOp::Delete,
        ModelOp::ObserveQuery,
        ModelOp::OnCreate,
        ModelOp::OnUpdate,
        ModelOp::OnDelete,
    ];
    pub fn name(self) -> &'static str {
        match self {
            ModelOp::Create => "create",
            ModelOp::Get => "get",
            ModelOp::List => "list",
            ModelOp::Update => "update",
            ModelOp::Delete => "delete",
            ModelOp::ObserveQuery => "observeQuery",
            ModelOp::OnCreate => "onCreate",
            ModelOp::OnUpdate => "onUpdate",
            ModelOp::OnDelete => "onDelete",
        }
    }
    pub fn from_name(s: &str) -> Option<ModelOp> {
        ModelOp::ALL.into_iter().find(|o| o.name() == s)
    }
    /// The rule operations the call needs, every one of them (`observeQuery` lists and subscribes).
    pub fn needs(self) -> &'static [u16] {
        match self {
            ModelOp::Create => &[ops::CREATE],
            ModelOp::Get => &[ops::GET],
            ModelOp::List => &[ops::LIST],
            ModelOp::Update => &[ops::UPDATE],
            ModelOp::Delete => &[ops::DELETE],
            ModelOp::ObserveQuery => &[ops::LIST, ops::LISTEN],
            ModelOp::OnCreate | ModelOp::OnUpdate | ModelOp::OnDelete => &[ops::LISTEN],
        }
    }
    /// The index of the options argument: `create(input, options)`, `get(key, options)`, `list(options)`.
    pub fn options_arg(self) -> usize {
        match self {
            ModelOp::Create | ModelOp::Get | ModelOp::Update | ModelOp::Delete => 1,
            _ => 0,
        }
    }
    /// Whether the first argument is a record's fields (`create`, `update`).
    pub fn takes_input(self) -> bool {
        matches!(self, ModelOp::Create | ModelOp::Update)
    }
}

/// The rules that decide an operation: known grants, or unknown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Access {
    pub grants: Vec<Grant>,
    /// Operation bits some unreadable rule may cover (their modes are unknown).
    pub unknown: u16,
}

impl Access {
    fn unknown() -> Access {
        Access {
            grants: Vec::new(),
            unknown: ops::ALL,
        }
    }
    /// The grants for an operation needing every one of `needs`, or None when some rule covering it cannot be
    /// read. A mode is listed when it is granted for each of `needs` (by some rule each).
    pub fn for_needs(&self, needs: &[u16]) -> Option<Vec<&Grant>> {
        if needs.iter().any(|n| self.unknown & n != 0) {
            return None;
        }
        let mut out: Vec<&Grant> = Vec::new();
        for g in &self.grants {
            if needs.iter().any(|n| g.ops & n != 0)
                && needs.iter().all(|n| {
                    self.grants
                        .iter()
                        .any(|h| h.mode == g.mode && h.ops & n != 0)
                })
            {
                out.push(g);
            }
        }
        Some(out)
    }
    /// The modes that can call an operation needing `needs` (None: unknown).
    pub fn modes(&self, needs: &[u16]) -> Option<Vec<Mode>> {
        let mut m: Vec<Mode> = self.for_needs(needs)?.iter().map(|g| g.mode).collect();
        m.sort();
        m.dedup();
        Some(m)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelAccess {
    pub name: String,
    /// Field names a create/update input may carry: declared fields, `id`, `createdAt`, `updatedAt` and owner
    /// fields of the rules.
    pub fields: Vec<String>,
    /// Whether `fields` is every field (no unreadable field or rule).
    pub fields_complete: bool,
    pub access: Access,
    /// List queries of secondary indexes (`listTodoByContent`), as far as they can be named.
    pub index_queries: Vec<String>,
    /// Whether the model has operations besides the nine (indexes) or disabled ones we cannot name: then an
    /// unknown operation name is not reported.
    pub ops_open: bool,
    /// Operations `.disableOperations([...])` may remove (their access is unknown).
    pub disabled: Vec<ModelOp>,
}

impl ModelAccess {
    /// The access of one model operation (None: unknown).
    pub fn modes(&self, op: ModelOp) -> Option<Vec<Mode>> {
        if self.disabled.contains(&op) {
            return None;
        }
        self.access.modes(op.needs())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CustomOp {
    pub name: String,
    pub kind: OpKind,
    pub access: Access,
    pub args: Vec<String>,
}

/// The API's default auth mode.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum DefaultMode {
    /// `defaultAuthorizationMode` as written (a client mode).
    Given(Mode),
    /// No `authorizationModes`: `userPool` with auth, else `apiKey`. The mode the schema's rules imply, when
    /// they do: a user-pool rule needs auth (then the default is `userPool`), an API-key rule needs the key
    /// that only a project without auth gets.
    Implied(Option<Mode>),
    /// Not readable.
    #[default]
    Unknown,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataAccess {
    pub default_mode: DefaultMode,
    /// Extra modes enabled by `authorizationModes` (an API key, OIDC, a Lambda authorizer); `None` when they
    /// cannot be read. `userPool` and `identityPool` come with auth.
    pub api_key: Option<bool>,
    pub oidc: Option<bool>,
    pub lambda: Option<bool>,
    pub models: Vec<ModelAccess>,
    /// Whether `models` and `custom` are every model and custom operation of the API.
    pub complete: bool,
    pub custom: Vec<CustomOp>,
    /// Names of AI routes (generations, conversations) and other types: a call naming one is not judged.
    pub other_names: Vec<String>,
}

impl DataAccess {
    /// Adds another `defineData`'s API. A project defines one (a second is an error on the backend); when two
    /// differ, nothing is known about the API, whatever order the files are read in.
    pub fn merge(&mut self, other: &DataAccess) {
        if self != other {
            *self = DataAccess::default();
        }
    }
    pub fn model(&self, name: &str) -> Option<&ModelAccess> {
        self.models.iter().find(|m| m.name == name)
    }
    pub fn custom_op(&self, kind: OpKind, name: &str) -> Option<&CustomOp> {
        self.custom
            .iter()
            .find(|c| c.kind == kind && c.name == name)
    }
    /// The default mode when it is known; `has_auth` tells the implied one.
    pub fn default_mode(&self, has_auth: Option<bool>) -> Option<Mode> {
        match self.default_mode {
            DefaultMode::Given(m) => Some(m),
            DefaultMode::Implied(hint) => match has_auth {
                Some(true) => Some(Mode::UserPool),
                Some(false) => Some(Mode::ApiKey),
                None => hint,
            },
            DefaultMode::Unknown => None,
        }
    }
    /// The client `authMode` literals worth offering: the modes the API may enable.
    pub fn enabled_literals(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let default = match self.default_mode {
            DefaultMode::Given(m) => Some(m),
            _ => None,
        };
        if self.api_key != Some(false)
            || default == Some(Mode::ApiKey)
            || matches!(self.default_mode, DefaultMode::Implied(_))
        {
            out.push("apiKey");
        }
        out.extend(["userPool", "identityPool", "iam"]);
        if self.oidc != Some(false) || default == Some(Mode::Oidc) {
            out.push("oidc");
        }
        if self.lambda != Some(false) || default == Some(Mode::Lambda) {
            out.push("lambda");
        }
        out
    }
}

/// The data API a `defineData` file generates; `None` when the file defines none.
pub fn access_of(file: &FileModel) -> Option<DataAccess> {
    let define = file.defines.iter().find(|d| d.kind == DefineKind::Data)?;
    let mut out = DataAccess::default();
    let arg = define.arg.as_ref().map(|a| file.resolve(a));
    match arg {
        Some(a) if matches!(a.kind, Kind::Object(_)) && !a.has_spread() => {
            match a.field("authorizationModes").map(|m| file.resolve(m)) {
                None => {
                    out.default_mode = DefaultMode::Implied(None);
                    out.api_key = Some(false);
                    out.oidc = Some(false);
                    out.lambda = Some(false);
                }
                Some(m) if matches!(m.kind, Kind::Object(_)) && !m.has_spread() => {
                    out.default_mode = match m.field("defaultAuthorizationMode") {
                        None => DefaultMode::Unknown,
                        Some(v) => v
                            .as_str()
                            .and_then(Mode::from_client)
                            .map_or(DefaultMode::Unknown, DefaultMode::Given),
                    };
                    out.api_key = Some(m.get("apiKeyAuthorizationMode").is_some());
                    out.oidc = Some(m.get("oidcAuthorizationMode").is_some());
                    out.lambda = Some(m.get("lambdaAuthorizationMode").is_some());
                }
                Some(_) => {}
            }
        }
        _ => {}
    }
    let Some(schema) = schema::schema_of(file) else {
        return Some(out);
    };
    out.complete = schema.complete();
    for part in &schema.parts {
        let schema_rules = part.rules.as_ref();
        for t in &part.types {
            match &t.kind {
                TypeKind::Model(m) => {
                    let rules = m.rules.as_ref().or(schema_rules);
                    out.models.push(model_access(&t.name, m, rules));
                }
                TypeKind::Operation(op)
                    if matches!(
                        op.kind,
                        OpKind::Query | OpKind::Mutation | OpKind::Subscription
                    ) =>
                {
                    let access = match (&op.rules, schema_rules) {
                        (Some(r), _) => access_of_rules(Some(r), false),
                        // schema rules with `.to([...])` on a custom operation: not sure how they apply
                        (None, Some(r)) if r.rules.iter().all(|x| x.to.is_none()) => {
                            access_of_rules(Some(r), false)
                        }
                        _ => Access::unknown(),
                    };
                    let args = op
                        .arguments
                        .as_ref()
                        .map(|a| a.items.iter().map(|f| f.name.clone()).collect())
                        .unwrap_or_default();
                    out.custom.push(CustomOp {
                        name: t.name.clone(),
                        kind: op.kind,
                        access,
                        args,
                    });
                }
                _ => out.other_names.push(t.name.clone()),
            }
        }
    }
    if let DefaultMode::Implied(hint) = &mut out.default_mode {
        let grants = out
            .models
            .iter()
            .flat_map(|m| m.access.grants.iter())
            .chain(out.custom.iter().flat_map(|c| c.access.grants.iter()));
        let mut pool = false;
        let mut key = false;
        for g in grants {
            pool |= g.mode == Mode::UserPool;
            key |= g.mode == Mode::ApiKey;
        }
        // both at once cannot synthesize; then nothing is implied
        *hint = match (pool, key) {
            (true, false) => Some(Mode::UserPool),
            (false, true) => Some(Mode::ApiKey),
            _ => None,
        };
    }
    Some(out)
}

fn model_access(name: &str, m: &schema::Model, rules: Option<&Rules>) -> ModelAccess {
    let access = access_of_rules(rules, true);
    let mut fields: Vec<String> = vec!["id".into(), "createdAt".into(), "updatedAt".into()];
    let mut fields_complete = m.fields.complete && rules.is_some_and(|r| r.complete);
    for f in &m.fields.items {
        fields.push(f.name.clone());
        if matches!(f.kind, FieldKind::Unknown) {
            fields_complete = false;
        }
    }
    if let Some(r) = rules {
        for rule in &r.rules {
            if let Some((f, _)) = rule.implied_field() {
                fields.push(f.to_string());
            } else if rule.name.contains("DefinedIn") {
                fields_complete = false;
            }
        }
    }
    fields.dedup();
    let mut index_queries = Vec::new();
    let mut ops_open = false;
    if let Some(ix) = &m.indexes {
        // named queries (`.queryField('byX')`) are not modelled: any other name may be one
        ops_open = true;
        for i in &ix.items {
            let Some((pk, _)) = &i.pk else { continue };
            let mut q = format!("list{name}By{}", cap(pk));
            if let Some(sk) = &i.sort_keys {
                for (k, _) in &sk.items {
                    q.push_str("And");
                    q.push_str(&cap(k));
                }
            }
            index_queries.push(q);
        }
    }
    let mut disabled = Vec::new();
    if let Some(d) = &m.disabled {
        if !d.complete {
            disabled.extend(ModelOp::ALL);
        }
        for (w, _) in &d.items {
            let hit: Vec<ModelOp> = match w.as_str() {
                "queries" => vec![ModelOp::Get, ModelOp::List, ModelOp::ObserveQuery],
                "mutations" => vec![ModelOp::Create, ModelOp::Update, ModelOp::Delete],
                "subscriptions" => vec![
                    ModelOp::OnCreate,
                    ModelOp::OnUpdate,
                    ModelOp::OnDelete,
                    ModelOp::ObserveQuery,
                ],
                other => match ModelOp::from_name(other) {
                    Some(
                        op @ (ModelOp::List
                        | ModelOp::OnCreate
                        | ModelOp::OnUpdate
                        | ModelOp::OnDelete),
                    ) => vec![op, ModelOp::ObserveQuery],
                    Some(op) => vec![op],
                    None => ModelOp::ALL.to_vec(),
                },
            };
            disabled.extend(hit);
        }
    }
    ModelAccess {
        name: name.to_string(),
        fields,
        fields_complete,
        access,
        index_queries,
        ops_open,
        disabled,
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The grants of a rule list (`model`: `.to([...])` is read; elsewhere a rule covers everything).
fn access_of_rules(rules: Option<&Rules>, model: bool) -> Access {
    let Some(rules) = rules else {
        return Access::unknown();
    };
    let mut out = Access::default();
    if !rules.complete {
        out.unknown = ops::ALL;
    }
    for rule in &rules.rules {
        let mut covered = ops::ALL;
        let mut to_known = true;
        if let (Some(to), true) = (&rule.to, model) {
            covered = 0;
            to_known = to.complete;
            for (w, _) in &to.items {
                match ops::of_word(w) {
                    Some(b) => covered |= b,
                    None => to_known = false,
                }
            }
        }
        if !to_known {
            out.unknown = ops::ALL;
            continue;
        }
        let provider = match &rule.provider {
            Provider::Unknown => None,
            _ => rule.effective_provider(),
        };
        let mode = match provider {
            Some("apiKey") => Some(Mode::ApiKey),
            Some("userPools") => Some(Mode::UserPool),
            Some("oidc") => Some(Mode::Oidc),
            Some("identityPool") => Some(Mode::IdentityPool),
            Some("function") => Some(Mode::Lambda),
            // backend roles only
            Some("iam") if rule.name == "resource" => continue,
            _ => None,
        };
        let field = |default: &str| {
            rule.implied_field()
                .map_or(default.to_string(), |(f, _)| f.to_string())
        };
        let who = match rule.name.as_str() {
            "publicApiKey" | "custom" => Some(Who::Anyone),
            "guest" => Some(Who::Guest),
            "authenticated" => Some(Who::SignedIn),
            "owner" | "ownerDefinedIn" | "ownersDefinedIn" => Some(Who::Owner(field("owner"))),
            "group" | "groups" => rule
                .groups
                .as_ref()
                .map(|g| Who::Groups(g.items.iter().map(|(n, _)| n.clone()).collect())),
            "groupDefinedIn" | "groupsDefinedIn" => Some(Who::GroupField(field("group"))),
            _ => None,
        };
        match (mode, who) {
            (Some(mode), Some(who)) => out.grants.push(Grant {
                mode,
                who,
                ops: covered,
            }),
            _ => out.unknown |= covered,
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::syntax::{parse, Lang};

    pub(crate) fn access(src: &str) -> DataAccess {
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        let file = FileModel::build(&tree, src, Lang::TypeScript);
        access_of(&file).expect("defineData")
    }

    const DATA: &str = r#"import { type ClientSchema, a, defineData } from '@aws-amplify/backend';
const schema = a.schema({
  Todo: a.model({ content: a.string() }).authorization((allow) => [allow.publicApiKey()]),
  Note: a.model({ content: a.string() }).authorization((allow) => [allow.owner()]),
  Post: a.model({ title: a.string() }).authorization((allow) => [allow.guest().to(['read']), allow.authenticated()]),
  Item: a.model({ name: a.string() }).authorization((allow) => [allow.authenticated('identityPool'), allow.owner().to(['read'])]),
  Grp: a.model({ name: a.string() }).authorization((allow) => [allow.groups(['Admin']), allow.publicApiKey().to(['read'])]),
  Shared: a.model({ name: a.string() }),
  Odd: a.model({ name: a.string() }).authorization((allow) => [allow.owner(p), allow.publicApiKey().to(['create'])]),
  echo: a.query().arguments({ msg: a.string() }).returns(a.string()).authorization((allow) => [allow.authenticated()]).handler(a.handler.function(echo)),
}).authorization((allow) => [allow.publicApiKey().to(['read']), allow.owner()]);
export type Schema = ClientSchema<typeof schema>;
export const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'userPool', apiKeyAuthorizationMode: { expiresInDays: 30 } } });
"#;

    fn modes(d: &DataAccess, m: &str, op: ModelOp) -> Option<Vec<&'static str>> {
        d.model(m)
            .expect("model")
            .modes(op)
            .map(|v| v.into_iter().map(Mode::client_name).collect())
    }

    #[test]
    fn modes_per_operation_match_the_oracle() {
        // expected values are those `access` printed for the same schema
        let d = access(DATA);
        assert_eq!(d.default_mode, DefaultMode::Given(Mode::UserPool));
        assert_eq!(d.api_key, Some(true));
        assert_eq!(modes(&d, "Todo", ModelOp::List), Some(vec!["apiKey"]));
        assert_eq!(modes(&d, "Note", ModelOp::Create), Some(vec!["userPool"]));
        assert_eq!(
            modes(&d, "Post", ModelOp::Get),
            Some(vec!["userPool", "identityPool"])
        );
        assert_eq!(modes(&d, "Post", ModelOp::Create), Some(vec!["userPool"]));
        assert_eq!(
            modes(&d, "Item", ModelOp::List),
            Some(vec!["userPool", "identityPool"])
        );
        assert_eq!(
            modes(&d, "Item", ModelOp::Update),
            Some(vec!["identityPool"])
        );
        assert_eq!(
            modes(&d, "Grp", ModelOp::List),
            Some(vec!["apiKey", "userPool"])
        );
        assert_eq!(modes(&d, "Grp", ModelOp::Delete), Some(vec!["userPool"]));
        assert_eq!(
            modes(&d, "Shared", ModelOp::ObserveQuery),
            Some(vec!["apiKey", "userPool"])
        );
        assert_eq!(modes(&d, "Shared", ModelOp::Update), Some(vec!["userPool"]));
        // an unreadable provider: what the rule may cover is unknown, the rest is known
        assert_eq!(modes(&d, "Odd", ModelOp::List), None);
        assert_eq!(modes(&d, "Odd", ModelOp::Create), None);
        let echo = d.custom_op(OpKind::Query, "echo").expect("echo");
        assert_eq!(echo.access.modes(&[ops::ALL]), Some(vec![Mode::UserPool]));
        assert!(d.complete);
        assert!(d
            .model("Shared")
            .expect("m")
            .fields
            .contains(&"owner".into()));
    }

    #[test]
    fn oidc_owner_and_group_field_rules() {
        // expected values are those `access` printed for the same models
        let d = access(
            "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({\n  Cus: a.model({ name: a.string() }).authorization((allow) => [allow.owner('oidc'), allow.guest().to(['list']), allow.authenticated().to(['get'])]),\n  Dyn: a.model({ name: a.string(), grp: a.string() }).authorization((allow) => [allow.groupDefinedIn('grp'), allow.ownersDefinedIn('editors').to(['update', 'read'])]),\n});\nexport const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'userPool', oidcAuthorizationMode: { oidcProviderName: 'o', oidcIssuerUrl: 'https://example.com', tokenExpiryFromAuthInSeconds: 300, tokenExpireFromIssueInSeconds: 600 } } });\n",
        );
        assert_eq!(
            modes(&d, "Cus", ModelOp::List),
            Some(vec!["identityPool", "oidc"])
        );
        assert_eq!(
            modes(&d, "Cus", ModelOp::Get),
            Some(vec!["userPool", "oidc"])
        );
        assert_eq!(modes(&d, "Cus", ModelOp::Create), Some(vec!["oidc"]));
        assert_eq!(modes(&d, "Cus", ModelOp::OnCreate), Some(vec!["oidc"]));
        assert_eq!(modes(&d, "Dyn", ModelOp::Create), Some(vec!["userPool"]));
        assert_eq!(modes(&d, "Dyn", ModelOp::Update), Some(vec!["userPool"]));
        let dyn_fields = &d.model("Dyn").expect("Dyn").fields;
        assert!(dyn_fields.contains(&"editors".to_string()));
        assert!(d.enabled_literals().contains(&"oidc"));
        assert!(!d.enabled_literals().contains(&"lambda"));
    }

    #[test]
    fn observe_query_needs_list_and_listen() {
        let src = DATA.replace(
            "allow.publicApiKey().to(['read']), allow.owner()]",
            "allow.publicApiKey().to(['list']), allow.owner()]",
        );
        let d = access(&src);
        assert_eq!(
            modes(&d, "Shared", ModelOp::List),
            Some(vec!["apiKey", "userPool"])
        );
        assert_eq!(
            modes(&d, "Shared", ModelOp::ObserveQuery),
            Some(vec!["userPool"])
        );
    }

    #[test]
    fn implied_and_unknown_defaults() {
        let d = access(
            "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({ T: a.model({}).authorization((allow) => [allow.owner()]) });\nexport const data = defineData({ schema });\n",
        );
        assert_eq!(d.default_mode, DefaultMode::Implied(Some(Mode::UserPool)));
        assert_eq!(d.default_mode(Some(true)), Some(Mode::UserPool));
        assert_eq!(d.default_mode(None), Some(Mode::UserPool));
        let d = access(
            "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({ T: a.model({}).authorization((allow) => [allow.publicApiKey()]) });\nexport const data = defineData({ schema });\n",
        );
        assert_eq!(d.default_mode(None), Some(Mode::ApiKey));
        let d = access(
            "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({ T: a.model({}).authorization((allow) => [allow.guest()]) });\nexport const data = defineData({ schema });\n",
        );
        assert_eq!(d.default_mode(None), None);
        let d = access(
            "import { a, defineData } from '@aws-amplify/backend';\nimport { schema } from './schema';\nexport const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: mode } });\n",
        );
        assert_eq!(d.default_mode, DefaultMode::Unknown);
        assert!(!d.complete);
        assert!(d.models.is_empty());
    }

    #[test]
    fn two_apis_merge_to_an_unknown_one_in_any_order() {
        let a = access(DATA);
        let b = access(&DATA.replace("Todo:", "Task:"));
        let (mut ab, mut ba) = (a.clone(), b.clone());
        ab.merge(&b);
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert!(!ab.complete && ab.models.is_empty());
        let mut aa = a.clone();
        aa.merge(&a);
        assert_eq!(aa, a);
    }

    #[test]
    fn index_queries_are_named_like_amplify() {
        let d = access(
            "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({ Todo: a.model({ content: a.string(), status: a.string(), prio: a.integer() }).secondaryIndexes((index) => [index('content'), index('status').sortKeys(['prio', 'content'])]).authorization((allow) => [allow.owner()]) });\nexport const data = defineData({ schema });\n",
        );
        let m = d.model("Todo").expect("Todo");
        assert_eq!(
            m.index_queries,
            vec!["listTodoByContent", "listTodoByStatusAndPrioAndContent"]
        );
        assert!(m.ops_open);
    }
}
