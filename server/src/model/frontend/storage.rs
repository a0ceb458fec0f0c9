//! Storage as the client sees it: each bucket's access paths and, per role, the actions it may perform on
//! which prefixes, computed the way `@aws-amplify/backend-storage` writes its IAM policies:
//!
//! - `read` is `get` + `list`;
//! - `allow.authenticated` and `allow.entity('identity')` share the signed-in role; `allow.guest` is the guest
//!   role, each group of `allow.groups([...])` its group's role, `allow.resource(fn)` the function's role;
//! - on a `{entity_id}` path the entity gets the prefix with the caller's identity id (`${identityId}` here),
//!   every other principal the wildcard version (`media/{entity_id}/*` → `media/*`);
//! - when a path has a parent path, every (role, action) allowed on the parent but not on the child gets an
//!   explicit Deny on the child (not for an entity path's own wildcard version).
//!
//! A bucket whose name or access callback cannot be read completely is `known: false`: the frontend rules say
//! nothing about it.

use crate::model::file::{DefineKind, FileModel};
use crate::model::value::{Kind, Value};

/// The identity id placeholder in prefixes of identity-owned grants (Amplify's
/// `${cognito-identity.amazonaws.com:sub}`).
pub const IDENTITY: &str = "${identityId}";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StorageAccess {
    pub buckets: Vec<Bucket>,
    /// Some backend file may change storage access in code (CDK IAM or S3 imports, storage outputs added with
    /// `backend.addOutput`): what `defineStorage` says may not be all, so the rules stay silent.
    pub overridden: bool,
}

/// One `defineStorage` bucket.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bucket {
    /// The `name` property, when it is a literal.
    pub name: Option<String>,
    /// The `isDefault` property: `Some(false)` when absent, `None` when not a literal.
    pub is_default: Option<bool>,
    /// Everything that decides the grants was read.
    pub known: bool,
    /// The access paths as written (`'media/{entity_id}/*'`).
    pub paths: Vec<String>,
    pub grants: Vec<Grant>,
}

/// Who receives a storage policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Guest,
    /// The signed-in role (`allow.authenticated`, and `allow.entity('identity')` on `${identityId}` prefixes).
    Authenticated,
    Group(String),
    /// `allow.resource(fn)`: a function's role, never a browser's.
    Function(String),
}

impl Role {
    /// Whether an app's code can run as this role (a function's role is not).
    pub fn is_client(&self) -> bool {
        !matches!(self, Role::Function(_))
    }
    pub fn label(&self) -> String {
        match self {
            Role::Guest => "guest".into(),
            Role::Authenticated => "authenticated".into(),
            Role::Group(g) => format!("group:{g}"),
            Role::Function(f) => format!("function:{f}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Get,
    List,
    Write,
    Delete,
}

impl Action {
    pub const ALL: [Action; 4] = [Action::Get, Action::List, Action::Write, Action::Delete];
    pub fn name(self) -> &'static str {
        match self {
            Action::Get => "get",
            Action::List => "list",
            Action::Write => "write",
            Action::Delete => "delete",
        }
    }
}

/// One IAM statement as Amplify writes it: a role may (or, `deny`, may not) perform an action on the keys
/// starting with `prefix` (which ends with `*`, and may hold [`IDENTITY`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub action: Action,
    pub prefix: String,
    pub deny: bool,
}

impl StorageAccess {
    /// Adds the buckets of another `defineStorage` file.
    pub fn merge(&mut self, other: &StorageAccess) {
        self.buckets.extend(other.buckets.iter().cloned());
        self.overridden |= other.overridden;
    }

    /// The bucket a call without `bucket` uses: the only one, else the one marked `isDefault: true` (None when
    /// that cannot be told).
    pub fn default_bucket(&self) -> Option<&Bucket> {
        if let [only] = self.buckets.as_slice() {
            return Some(only);
        }
        if self.buckets.iter().any(|b| b.is_default.is_none()) {
            return None;
        }
        let mut defaults = self.buckets.iter().filter(|b| b.is_default == Some(true));
        match (defaults.next(), defaults.next()) {
            (Some(d), None) => Some(d),
            _ => None,
        }
    }

    /// Whether every bucket's name is known (so a name that matches none is certainly wrong).
    pub fn names_known(&self) -> bool {
        self.buckets.iter().all(|b| b.name.is_some())
    }

    pub fn bucket(&self, name: &str) -> Option<&Bucket> {
        self.buckets
            .iter()
            .find(|b| b.name.as_deref() == Some(name))
    }
}

/// The storage a `defineStorage` file generates; `None` when the file defines none.
pub fn access_of(file: &FileModel) -> Option<StorageAccess> {
    let buckets: Vec<Bucket> = file
        .defines
        .iter()
        .filter(|d| d.kind == DefineKind::Storage)
        .map(|d| bucket_of(file, d.arg.as_ref().map(|a| file.resolve(a))))
        .collect();
    let overridden = customizes(
        file,
        &["aws-cdk-lib/aws-iam", "aws-cdk-lib/aws-s3"],
        &["aws_iam", "aws_s3"],
        "storage",
    );
    (!buckets.is_empty() || overridden).then_some(StorageAccess {
        buckets,
        overridden,
    })
}

/// Whether a backend file may change a resource in code: it imports one of the CDK `modules` (or their
/// namespaces from `aws-cdk-lib`), or adds outputs under `output_key` (or outputs it cannot read) with
/// `backend.addOutput`.
pub(crate) fn customizes(
    file: &FileModel,
    modules: &[&str],
    namespaces: &[&str],
    output_key: &str,
) -> bool {
    let imports = file.imports.iter().filter(|i| !i.type_only).any(|i| {
        modules.contains(&i.source.as_str())
            || (i.source == "aws-cdk-lib"
                && i.names
                    .iter()
                    .any(|n| n.imported == "*" || namespaces.contains(&n.imported.as_str())))
    });
    let outputs = file
        .method_calls
        .iter()
        .filter(|m| m.method == "addOutput")
        .any(|m| match m.args.first().map(|a| file.resolve(a)) {
            Some(arg) if arg.as_object().is_some() && !arg.has_spread() => {
                arg.get(output_key).is_some()
            }
            _ => true,
        });
    imports || outputs
}

fn bucket_of(file: &FileModel, arg: Option<&Value>) -> Bucket {
    let mut b = Bucket::default();
    let Some(arg) = arg.filter(|a| a.as_object().is_some() && !a.has_spread()) else {
        return b;
    };
    b.name = arg
        .field("name")
        .and_then(|n| file.resolve(n).as_str())
        .map(str::to_string);
    b.is_default = match arg.field("isDefault") {
        None => Some(false),
        Some(v) => file.resolve(v).as_bool(),
    };
    b.known = b.name.is_some();
    match arg.field("access") {
        None => {}
        Some(access) => match read_access(file, file.resolve(access)) {
            Some(paths) => {
                b.paths = paths.iter().map(|p| p.0.clone()).collect();
                b.grants = grants_of(&paths);
            }
            None => b.known = false,
        },
    }
    b
}

/// Who one access rule is for, as written.
#[derive(Debug, Clone, PartialEq)]
enum Principal {
    Authenticated,
    Guest,
    Groups(Vec<String>),
    Entity,
    Resource(String),
}

type PathRules = (String, Vec<(Principal, Vec<Action>)>);

/// The access callback's paths and rules; `None` when any part of it cannot be read.
fn read_access(file: &FileModel, access: &Value) -> Option<Vec<PathRules>> {
    let func = access.as_func()?;
    let param = func.params.first().filter(|p| !p.is_empty())?;
    let props = func.body.as_ref()?.as_object()?;
    let mut out = Vec::new();
    for p in props {
        let key = p.key.clone()?;
        if matches!(p.value.kind, Kind::Spread(_)) {
            return None;
        }
        let mut rules = Vec::new();
        for item in file.resolve(&p.value).as_array()? {
            rules.push(read_rule(file, item, param)?);
        }
        out.push((key.to_string(), rules));
    }
    Some(out)
}

/// `allow.authenticated.to(['read'])` and the like.
fn read_rule(file: &FileModel, v: &Value, param: &str) -> Option<(Principal, Vec<Action>)> {
    let chain = v.chain()?;
    if chain.root != param || chain.root_args.is_some() || chain.links.len() != 2 {
        return None;
    }
    let (who, to) = (&chain.links[0], &chain.links[1]);
    if to.name != "to" {
        return None;
    }
    let list = file.resolve(to.args?.first()?).as_array()?;
    let mut actions = Vec::new();
    for a in list {
        match file.resolve(a).as_str()? {
            "read" => actions.extend([Action::Get, Action::List]),
            "get" => actions.push(Action::Get),
            "list" => actions.push(Action::List),
            "write" => actions.push(Action::Write),
            "delete" => actions.push(Action::Delete),
            _ => return None,
        }
    }
    actions.sort();
    actions.dedup();
    let first_arg = || who.args.and_then(<[Value]>::first).map(|a| file.resolve(a));
    let principal = match (who.name, who.args.is_some()) {
        ("authenticated", false) => Principal::Authenticated,
        ("guest", false) => Principal::Guest,
        ("groups", true) => Principal::Groups(
            first_arg()?
                .as_array()?
                .iter()
                .map(|g| file.resolve(g).as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()?,
        ),
        ("entity", true) => match first_arg()?.as_str()? {
            "identity" => Principal::Entity,
            _ => return None,
        },
        ("resource", true) => Principal::Resource(
            who.args
                .and_then(<[Value]>::first)
                .and_then(Value::as_ident)?
                .to_string(),
        ),
        _ => return None,
    };
    Some((principal, actions))
}

/// Amplify's prefix for a path and a principal (`{entity_id}` → the identity id for the entity, `*` else).
fn substituted(path: &str, entity: bool) -> String {
    let p = path.replace("{entity_id}", if entity { IDENTITY } else { "*" });
    match p.strip_suffix("/*/*") {
        Some(head) => format!("{head}/*"),
        None => p,
    }
}

/// The grants Amplify writes for an access definition (see the module docs).
fn grants_of(paths: &[PathRules]) -> Vec<Grant> {
    // (role, action) -> allowed prefixes; prefix -> (role, action) pairs allowed on it; both in insertion order
    let mut allow: Vec<((Role, Action), Vec<String>)> = Vec::new();
    let mut on_prefix: Vec<(String, Vec<(Role, Action)>)> = Vec::new();
    for (path, rules) in paths {
        for (principal, actions) in rules {
            let (roles, entity) = match principal {
                Principal::Authenticated => (vec![Role::Authenticated], false),
                Principal::Entity => (vec![Role::Authenticated], true),
                Principal::Guest => (vec![Role::Guest], false),
                Principal::Groups(gs) => (gs.iter().cloned().map(Role::Group).collect(), false),
                Principal::Resource(f) => (vec![Role::Function(f.clone())], false),
            };
            let prefix = substituted(path, entity);
            for role in roles {
                for &action in actions {
                    let key = (role.clone(), action);
                    match allow.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, set)) => {
                            if !set.contains(&prefix) {
                                set.push(prefix.clone());
                            }
                        }
                        None => allow.push((key.clone(), vec![prefix.clone()])),
                    }
                    match on_prefix.iter_mut().find(|(p, _)| *p == prefix) {
                        Some((_, pairs)) => pairs.push(key),
                        None => on_prefix.push((prefix.clone(), vec![key])),
                    }
                }
            }
        }
    }
    let mut deny: Vec<((Role, Action), String)> = Vec::new();
    for (path, _) in &on_prefix {
        let parent = on_prefix
            .iter()
            .map(|(p, _)| p)
            .find(|p| *p != path && path.starts_with(&p.replace('*', "")));
        let Some(parent) = parent else { continue };
        if *parent == path.replace(&format!("{IDENTITY}/"), "") {
            continue;
        }
        let Some((_, pairs)) = on_prefix.iter().find(|(p, _)| p == parent) else {
            continue;
        };
        for key in pairs {
            let allowed = allow.iter().any(|(k, set)| k == key && set.contains(path));
            let pending = (key.clone(), path.clone());
            if !allowed && !deny.contains(&pending) {
                deny.push(pending);
            }
        }
    }
    let mut grants: Vec<Grant> = allow
        .into_iter()
        .flat_map(|((role, action), set)| {
            set.into_iter().map(move |prefix| Grant {
                role: role.clone(),
                action,
                prefix,
                deny: false,
            })
        })
        .collect();
    grants.extend(deny.into_iter().map(|((role, action), prefix)| Grant {
        role,
        action,
        prefix,
        deny: true,
    }));
    grants
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, Lang};

    fn access(src: &str) -> StorageAccess {
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        access_of(&FileModel::build(&tree, src, Lang::TypeScript)).expect("storage")
    }

    fn has(b: &Bucket, role: Role, action: Action, prefix: &str, deny: bool) -> bool {
        b.grants.contains(&Grant {
            role,
            action,
            prefix: prefix.into(),
            deny,
        })
    }

    #[test]
    fn entity_paths_and_nested_denies() {
        let s = access(
            "import { defineStorage } from '@aws-amplify/backend';
export const storage = defineStorage({
  name: 'files',
  access: (allow) => ({
    'public/*': [allow.guest.to(['read']), allow.authenticated.to(['read', 'write'])],
    'public/reports/*': [allow.authenticated.to(['get'])],
    'media/{entity_id}/*': [allow.entity('identity').to(['read', 'write', 'delete']), allow.guest.to(['read'])],
  }),
});",
        );
        let b = s.default_bucket().expect("default");
        assert!(b.known);
        assert_eq!(b.name.as_deref(), Some("files"));
        assert!(has(b, Role::Guest, Action::Get, "public/*", false));
        assert!(has(b, Role::Guest, Action::Get, "public/reports/*", true));
        assert!(has(
            b,
            Role::Authenticated,
            Action::Write,
            "public/reports/*",
            true
        ));
        assert!(has(
            b,
            Role::Authenticated,
            Action::List,
            "public/reports/*",
            true
        ));
        assert!(!has(
            b,
            Role::Authenticated,
            Action::Get,
            "public/reports/*",
            true
        ));
        assert!(has(
            b,
            Role::Authenticated,
            Action::Write,
            "media/${identityId}/*",
            false
        ));
        assert!(has(b, Role::Guest, Action::List, "media/*", false));
        // the entity path's own wildcard version denies nothing
        assert!(!b
            .grants
            .iter()
            .any(|g| g.deny && g.prefix.starts_with("media/")));
    }

    #[test]
    fn moving_text_changes_nothing_but_a_path_does() {
        let src = "import { defineStorage } from '@aws-amplify/backend';\nexport const storage = defineStorage({ name: 'a', access: (allow) => ({ 'x/*': [allow.guest.to(['read'])] }) });";
        let moved = src.replace("({ 'x/*'", "({\n\n    'x/*'");
        assert_ne!(moved, src);
        assert_eq!(access(src), access(&moved));
        assert_ne!(access(src), access(&src.replace("'x/*'", "'y/*'")));
    }

    #[test]
    fn unreadable_parts_make_the_bucket_unknown() {
        let s = access(
            "import { defineStorage } from '@aws-amplify/backend';
const more = {};
export const storage = defineStorage({ name: 'a', access: (allow) => ({ ...more }) });
export const other = defineStorage({ name: 'b', isDefault: true, access: (allow) => ({ 'x/*': [allow.guest.to([verb])] }) });
export const third = defineStorage({ name: 'c' });",
        );
        assert_eq!(s.buckets.len(), 3);
        assert!(!s.buckets[0].known);
        assert!(!s.buckets[1].known);
        assert!(s.buckets[2].known && s.buckets[2].grants.is_empty());
        assert_eq!(
            s.default_bucket().and_then(|b| b.name.as_deref()),
            Some("b")
        );
        assert!(s.names_known());
    }
}
