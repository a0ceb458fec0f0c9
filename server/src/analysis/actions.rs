//! Code actions as plain data: which actions apply to a range of a document, and the text edits each one
//! makes (byte spans into this document's text, edits to other project files with the text they apply to,
//! and files to create). Listing is cheap: an action's edits are computed only when it is chosen
//! ([`compute`]), from the stable id [`list`] gave it.
//!
//! The actions:
//! - **Switch to owner-based authorization (user pool)** on one model's or the schema's `.authorization(...)`
//!   list (a refactor, or a quick fix when a diagnostic sits on its API-key rule), and for every model and
//!   the schema at once (a source action). See [`owner_change`] for exactly what it does.
//! - **Quick fixes** for diagnostics with one obvious repair (did-you-mean renames, storage paths, secrets,
//!   out-of-range numbers, relationships, identifiers, `defineBackend` wiring).
//! - **Missing imports** of `secret`, `a` and the `defineX` factories from `@aws-amplify/backend`.
//!
//! Every edit keeps the file's quote style, indentation (tabs or spaces), line endings and trailing commas.

use std::path::{Path, PathBuf};

use tree_sitter::Tree;

use super::rules::validators::{did_you_mean, secret_name};
use super::Diagnostic;
use crate::model::catalog::{self, ObjTy, Ty};
use crate::model::file::{DefineKind, FileModel};
use crate::model::project::ProjectFacts;
use crate::model::schema::{schema_of, Field, FieldKind, Model, RelKind, Rules, Schema, TypeKind};
use crate::model::value::{Kind, Value};
use crate::syntax::{self, Lang};
use crate::text::Span;

mod edit;
mod frontend;
use edit::*;
pub(crate) use edit::{is_identifier, object_key};

/// The title of the owner-based authorization action on one rule list.
pub const OWNER_TITLE: &str = "Switch to owner-based authorization (user pool)";
/// The title of the whole-file variant.
pub const OWNER_ALL_TITLE: &str = "Switch every model to owner-based authorization (user pool)";
/// Syntax-tree walks do not descend below this depth (real code nests a few dozen levels; hostile input
/// 10,000 and more, where per-node parent lookups would cost quadratic time).
const MAX_WALK_DEPTH: u32 = 256;
/// The module the Amplify factories and `secret` come from.
const BACKEND_MODULE: &str = "@aws-amplify/backend";
/// Names a backend file may use without importing them, and that we know how to import.
const IMPORTABLE: &[&str] = &[
    "secret",
    "a",
    "defineAuth",
    "defineData",
    "defineStorage",
    "defineFunction",
    "defineBackend",
    "referenceAuth",
];

/// What kind of action it is (the protocol layer maps these to `CodeActionKind`s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    /// `refactor.rewrite`.
    Refactor,
    /// A whole-file source action.
    Source,
}

impl ActionKind {
    /// The LSP kind string.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::QuickFix => "quickfix",
            ActionKind::Refactor => "refactor.rewrite",
            ActionKind::Source => SOURCE_OWNER_KIND,
        }
    }
}

/// The kind of the whole-file owner action.
pub const SOURCE_OWNER_KIND: &str = "source.amplify.ownerAuthorization";

/// One available action, without its edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// Stable for a given text: [`compute`] takes it back.
    pub id: String,
    pub title: String,
    pub kind: ActionKind,
    /// The obvious fix for its diagnostics.
    pub preferred: bool,
    /// Indices into [`Input::diagnostics`] of the diagnostics this action fixes.
    pub fixes: Vec<usize>,
    /// Why the action cannot be applied, when it cannot.
    pub disabled: Option<String>,
}

/// Replace `span` of a text with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Span,
    pub text: String,
}

impl TextEdit {
    fn insert(at: usize, text: impl Into<String>) -> Self {
        TextEdit {
            span: Span::new(at, at),
            text: text.into(),
        }
    }
    fn replace(span: Span, text: impl Into<String>) -> Self {
        TextEdit {
            span,
            text: text.into(),
        }
    }
    fn delete(span: Span) -> Self {
        TextEdit {
            span,
            text: String::new(),
        }
    }
}

/// Edits to another file of the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdits {
    pub path: PathBuf,
    /// The text the spans refer to.
    pub text: String,
    pub edits: Vec<TextEdit>,
}

/// A file to create, with its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub path: PathBuf,
    pub text: String,
}

/// Everything an action changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// Edits to the document the action was asked for.
    pub edits: Vec<TextEdit>,
    pub others: Vec<FileEdits>,
    /// Created before `others` are applied (an edit never targets a created file).
    pub created: Vec<NewFile>,
}

/// The document the actions are for.
pub struct Input<'a> {
    pub src: &'a str,
    pub file: &'a FileModel,
    pub tree: Option<&'a Tree>,
    pub path: Option<&'a Path>,
    pub project: &'a ProjectFacts,
    /// This document's diagnostics (ours).
    pub diagnostics: &'a [Diagnostic],
}

/// What the action may use besides the document.
pub struct Env<'a> {
    /// The current text of a project file (the open document's, else the disk's), `None` when it does not
    /// exist.
    pub read: &'a dyn Fn(&Path) -> Option<String>,
    /// Whether the client can create files in a workspace edit.
    pub can_create_files: bool,
    /// The files of the project that may be frontend code (read with `read`), for actions that change what
    /// frontend calls may do.
    pub frontend_files: &'a dyn Fn() -> Vec<PathBuf>,
}

/// One candidate action: its description, and how to compute its change.
struct Candidate<'a> {
    action: Action,
    change: Box<dyn FnOnce() -> Option<Change> + 'a>,
}

/// The actions for `range` of the document, of the kinds `wants` accepts.
pub fn list(
    inp: &Input,
    range: Span,
    env: &Env,
    wants: &dyn Fn(ActionKind) -> bool,
) -> Vec<Action> {
    candidates(inp, range, env, wants, None)
        .into_iter()
        .map(|c| c.action)
        .collect()
}

/// The change of the action `id` (as [`list`] returned it for `range`), or `None` when it no longer applies.
pub fn compute(inp: &Input, range: Span, id: &str, env: &Env) -> Option<Change> {
    let c = candidates(inp, range, env, &|_| true, Some(id))
        .into_iter()
        .find(|c| c.action.id == id)?;
    if c.action.disabled.is_some() {
        return None;
    }
    let mut change = (c.change)()?;
    normalize(&mut change);
    (!change.edits.is_empty() || !change.others.is_empty() || !change.created.is_empty())
        .then_some(change)
}

/// Sorts edits and drops empty no-op edits.
fn normalize(change: &mut Change) {
    change
        .edits
        .retain(|e| !(e.span.is_empty() && e.text.is_empty()));
    change.edits.sort_by_key(|e| (e.span.start, e.span.end));
    for f in &mut change.others {
        f.edits.sort_by_key(|e| (e.span.start, e.span.end));
    }
}

fn candidates<'a>(
    inp: &'a Input<'a>,
    range: Span,
    env: &'a Env<'a>,
    wants: &dyn Fn(ActionKind) -> bool,
    only_id: Option<&str>,
) -> Vec<Candidate<'a>> {
    let mut out = Vec::new();
    let id_is = |prefix: &str| only_id.is_none_or(|id| id.starts_with(prefix));
    if id_is("fix:") {
        fixes(inp, range, env, wants, &mut out);
    }
    if id_is("owner") {
        owner_actions(inp, range, env, wants, &mut out);
    }
    if id_is("import:") {
        import_actions(inp, range, wants, &mut out);
    }
    out
}

/// Whether two spans overlap or touch (an empty range at either end counts).
fn intersects(a: Span, b: Span) -> bool {
    a.start <= b.end && b.start <= a.end
}

// =============================================================================================
// Owner-based authorization
// =============================================================================================

/// One `.authorization(...)` list of the schema or of a model.
struct AuthList<'s> {
    rules: &'s Rules,
    /// From `authorization` to its closing parenthesis.
    call: Span,
    /// The entries of the returned array (or the single returned rule), and the array's brackets.
    items: Vec<Span>,
    brackets: Option<(usize, usize)>,
}

impl AuthList<'_> {
    fn api_key_rules(&self) -> impl Iterator<Item = &crate::model::schema::Rule> {
        self.rules.rules.iter().filter(|r| r.name == "publicApiKey")
    }
    fn has_api_key(&self) -> bool {
        self.api_key_rules().next().is_some()
    }
    /// The id of its action.
    fn id(&self) -> String {
        format!("owner:{}", self.rules.span.start)
    }
}

/// The rule lists of the schema and of its models, with the source geometry needed to edit them.
fn auth_lists<'s>(file: &FileModel, schema: &'s Schema) -> Vec<AuthList<'s>> {
    let mut out = Vec::new();
    let mut push = |rules: &'s Rules, value_span: Span| {
        let Some(v) = find_value(file, value_span) else {
            return;
        };
        let Some(chain) = v.chain() else { return };
        let Some(link) = chain
            .links
            .iter()
            .find(|l| l.name == "authorization" && l.name_span == rules.span)
        else {
            return;
        };
        let Some(body) = link
            .args
            .and_then(|a| a.first())
            .and_then(Value::as_func)
            .and_then(|f| f.body.as_ref())
        else {
            return;
        };
        let (items, brackets) = match body.as_array() {
            Some(items) => (
                items.iter().map(|i| i.span).collect(),
                Some((body.span.start, body.span.end.saturating_sub(1))),
            ),
            None => (vec![body.span], None),
        };
        out.push(AuthList {
            rules,
            call: Span::new(link.name_span.start, link.end),
            items,
            brackets,
        });
    };
    for part in &schema.parts {
        // schema-level rules reach the models without rules of their own
        let inheritors_conflict = part.types.iter().any(|t| {
            matches!(&t.kind, TypeKind::Model(m) if m.rules.is_none() && owner_field_conflicts(m))
        });
        if let Some(r) = part.rules.as_ref().filter(|_| !inheritors_conflict) {
            push(r, part.span);
        }
        for t in &part.types {
            if let TypeKind::Model(m) = &t.kind {
                if let Some(r) = m.rules.as_ref().filter(|_| !owner_field_conflicts(m)) {
                    push(r, t.span);
                }
            }
        }
    }
    out
}

/// Whether a model declares an `owner` field that `allow.owner()` cannot store the owner in (it must be a
/// single string-like value), so that switching would make Amplify reject the schema.
fn owner_field_conflicts(m: &Model) -> bool {
    m.field("owner").is_some_and(|f| {
        f.array
            || !matches!(
                f.graphql(),
                Some("ID" | "String" | "AWSEmail" | "AWSPhone" | "AWSURL" | "AWSIPAddress")
            )
    })
}

/// Whether an API-key rule may remain in the schema once the lists `switched` (ids) are switched: in another
/// model or schema list, on a field, a custom operation, or somewhere we cannot read.
fn api_key_remains(schema: &Schema, lists: &[AuthList], switched: &[String]) -> bool {
    if !schema.complete() {
        return true;
    }
    let has = |r: &Option<Rules>| {
        r.as_ref()
            .is_some_and(|r| !r.complete || r.rules.iter().any(|x| x.name == "publicApiKey"))
    };
    let fields_have = |fields: &[Field]| fields.iter().any(|f| has(&f.rules));
    for part in &schema.parts {
        for t in &part.types {
            match &t.kind {
                TypeKind::Model(m) => {
                    if fields_have(&m.fields.items) {
                        return true;
                    }
                }
                TypeKind::CustomType(f) => {
                    if fields_have(&f.items) {
                        return true;
                    }
                }
                TypeKind::Operation(op) => {
                    if has(&op.rules) {
                        return true;
                    }
                }
                TypeKind::Conversation(c) => {
                    if has(&c.rules) {
                        return true;
                    }
                }
                TypeKind::Enum(_) => {}
                TypeKind::Unknown => return true,
            }
        }
    }
    // model and schema lists: those not switched keep their rules
    let listed: Vec<Span> = lists.iter().map(|l| l.rules.span).collect();
    let list_has = |r: &Rules| !r.complete || r.rules.iter().any(|x| x.name == "publicApiKey");
    for part in &schema.parts {
        let mut all: Vec<&Rules> = part.rules.iter().collect();
        all.extend(part.types.iter().filter_map(|t| match &t.kind {
            TypeKind::Model(m) => m.rules.as_ref(),
            _ => None,
        }));
        for r in all {
            let switched_here = lists
                .iter()
                .find(|l| l.rules.span == r.span)
                .is_some_and(|l| switched.contains(&l.id()));
            if !switched_here && list_has(r) {
                return true;
            }
            if !listed.contains(&r.span) && list_has(r) {
                // a list we could not locate in the source is never switched
                return true;
            }
        }
    }
    false
}

/// The edits that switch one list: the first `allow.publicApiKey()` (with its `.to([...])`) becomes
/// `allow.owner()` unless an owner rule is already there; any other API-key rule goes.
fn switch_list(src: &str, list: &AuthList) -> Vec<TextEdit> {
    let has_owner = list.rules.rules.iter().any(|r| {
        r.name == "owner"
            && matches!(r.effective_provider(), Some("userPools") | None)
            && !matches!(r.provider, crate::model::schema::Provider::Unknown)
    });
    let mut edits = Vec::new();
    let mut remove = Vec::new();
    let mut replaced = has_owner;
    for r in list.api_key_rules() {
        let Some(idx) = list.items.iter().position(|s| *s == r.span) else {
            continue;
        };
        if !replaced {
            let prefix = text(src, Span::new(r.span.start, r.name_span.start));
            edits.push(TextEdit::replace(r.span, format!("{prefix}owner()")));
            replaced = true;
        } else {
            remove.push(idx);
        }
    }
    if let (Some((open, close)), false) = (list.brackets, remove.is_empty()) {
        edits.extend(remove_items(src, open, close, &list.items, &remove));
    }
    edits
}

/// The `defineData({...})` argument object of this file.
fn data_arg(file: &FileModel) -> Option<&Value> {
    file.defines
        .iter()
        .find(|d| d.kind == DefineKind::Data)
        .and_then(|d| d.arg.as_ref())
        .map(|a| file.resolve(a))
        .filter(|a| a.as_object().is_some())
}

/// `authorizationModes` edits: the default mode becomes `'userPool'`; `apiKeyAuthorizationMode` goes when no
/// API-key rule is left, and is added (30 days) when some remain but no API key would exist otherwise.
fn mode_edits(src: &str, style: &Style, file: &FileModel, api_key_left: bool) -> Vec<TextEdit> {
    let Some(arg) = data_arg(file) else {
        return Vec::new();
    };
    let api_key_entry = |ind: Option<&str>| match ind {
        Some(ind) => format!(
            "apiKeyAuthorizationMode: {{{eol}{ind}{u}expiresInDays: 30{tc}{eol}{ind}}}",
            eol = style.eol,
            u = style.unit,
            tc = style.tc()
        ),
        None => "apiKeyAuthorizationMode: { expiresInDays: 30 }".to_string(),
    };
    let default_entry = format!("defaultAuthorizationMode: {}", style.q("userPool"));
    let Some(modes_prop) = arg.get("authorizationModes") else {
        let entry = |ind: Option<&str>| match ind {
            Some(ind) => {
                let inner = format!("{ind}{}", style.unit);
                let mut body = format!("{}{inner}{default_entry}", style.eol);
                if api_key_left {
                    body.push_str(&format!(
                        ",{}{inner}{}",
                        style.eol,
                        api_key_entry(Some(&inner))
                    ));
                }
                format!(
                    "authorizationModes: {{{body}{}{eol}{ind}}}",
                    style.tc(),
                    eol = style.eol
                )
            }
            None => {
                let mut body = default_entry.clone();
                if api_key_left {
                    body.push_str(&format!(", {}", api_key_entry(None)));
                }
                format!("authorizationModes: {{ {body} }}")
            }
        };
        return insert_prop(src, style, arg, false, entry).unwrap_or_default();
    };
    let modes = file.resolve(&modes_prop.value);
    if modes.as_object().is_none() {
        return Vec::new();
    }
    let mut edits = Vec::new();
    let default = modes.get("defaultAuthorizationMode");
    let api_key = modes.get("apiKeyAuthorizationMode");
    let spread = modes.has_spread();
    match (default, api_key, api_key_left) {
        (Some(d), _, _) => {
            if file.resolve(&d.value).as_str() != Some("userPool") {
                edits.push(TextEdit::replace(d.value.span, style.q("userPool")));
            }
        }
        (None, Some(k), false) if !spread => {
            // the API key entry becomes the default mode entry
            edits.push(TextEdit::replace(k.span, default_entry.clone()));
        }
        (None, _, _) => {
            if let Some(e) = insert_prop(src, style, modes, true, |_| default_entry.clone()) {
                edits.extend(e);
            }
        }
    }
    match (api_key, api_key_left) {
        (Some(_), false) if default.is_some() && !spread => {
            edits.extend(remove_prop(src, modes, "apiKeyAuthorizationMode").unwrap_or_default());
        }
        (None, true) if !spread => {
            // append after the default mode (inserted first or already there)
            if default.is_some() {
                edits.extend(
                    insert_prop(src, style, modes, false, api_key_entry).unwrap_or_default(),
                );
            } else {
                // the default was inserted at the start: add the key mode after the existing entries
                edits.extend(
                    insert_prop(src, style, modes, false, api_key_entry).unwrap_or_default(),
                );
            }
        }
        _ => {}
    }
    edits
}

/// Where the project's auth resource and backend are, and whether we can add auth.
struct AuthPlan {
    auth_path: PathBuf,
    backend_path: PathBuf,
    /// The auth file exists but is empty (edit it instead of creating it).
    auth_exists_empty: bool,
}

/// Checks that auth can be added to the project: `Err(reason)` when it cannot.
fn auth_plan(inp: &Input, env: &Env) -> Result<AuthPlan, String> {
    let root = inp
        .project
        .root
        .clone()
        .filter(|_| inp.project.complete)
        .ok_or_else(|| {
            "the project has no auth resource, and this file is not inside an amplify/ folder: add \
             amplify/auth/resource.ts with defineAuth first"
                .to_string()
        })?;
    let auth_path = root.join("amplify").join("auth").join("resource.ts");
    let backend_path = root.join("amplify").join("backend.ts");
    let auth_exists_empty = match (env.read)(&auth_path) {
        None => false,
        Some(t) if t.trim().is_empty() => true,
        Some(_) => {
            return Err(
                "amplify/auth/resource.ts exists but does not call defineAuth: define the auth resource there \
                 first"
                    .to_string(),
            )
        }
    };
    if !auth_exists_empty && !env.can_create_files {
        return Err(
            "the project has no auth resource, and this editor cannot create files from a code action: create \
             amplify/auth/resource.ts with defineAuth (email sign-in) and add it to defineBackend first"
                .to_string(),
        );
    }
    if inp.path == Some(backend_path.as_path()) {
        return Err("add the auth resource to this backend first".to_string());
    }
    let backend = (env.read)(&backend_path).ok_or_else(|| {
        "the project has no auth resource and no amplify/backend.ts to add one to: create the backend first"
            .to_string()
    })?;
    let model =
        parse_model(&backend).ok_or_else(|| "amplify/backend.ts cannot be read".to_string())?;
    if backend_object(&model).is_none() {
        return Err(
            "amplify/backend.ts has no `defineBackend({ ... })` to add the auth resource to"
                .to_string(),
        );
    }
    if model.import_of("auth").is_some() || model.binding("auth").is_some() {
        return Err("amplify/backend.ts already has something named `auth`".to_string());
    }
    Ok(AuthPlan {
        auth_path,
        backend_path,
        auth_exists_empty,
    })
}

fn parse_model(text: &str) -> Option<FileModel> {
    let tree = syntax::parse(text, Lang::TypeScript, None)?;
    Some(FileModel::build(&tree, text, Lang::TypeScript))
}

/// The `defineBackend({...})` argument object.
fn backend_object(file: &FileModel) -> Option<&Value> {
    file.defines
        .iter()
        .find(|d| d.kind == DefineKind::Backend)?
        .arg
        .as_ref()
        .filter(|a| a.as_object().is_some())
}

/// The text of a new `amplify/auth/resource.ts` with email sign-in, in the given style.
fn auth_file_text(style: &Style) -> String {
    let (eol, u, q, semi, tc) = (
        style.eol,
        &style.unit,
        style.quote,
        style.semi(),
        style.tc(),
    );
    format!(
        "import {{ defineAuth }} from {q}{BACKEND_MODULE}{q}{semi}{eol}\
         {eol}\
         /**{eol} \
         * Sign-in with email: each signed-in user owns the records they create.{eol} \
         */{eol}\
         export const auth = defineAuth({{{eol}\
         {u}loginWith: {{{eol}\
         {u}{u}email: true{tc}{eol}\
         {u}}}{tc}{eol}\
         }}){semi}{eol}"
    )
}

/// Edits to a backend file that import `name` from `module` and pass it to `defineBackend` (first or last).
fn wire_into_backend(text: &str, name: &str, module: &str, first: bool) -> Option<Vec<TextEdit>> {
    wire_into_backend_as(text, name, name, module, first)
}

/// [`wire_into_backend`], importing `name` as `local` (`import { name as local }`) when they differ.
fn wire_into_backend_as(
    text: &str,
    name: &str,
    local: &str,
    module: &str,
    first: bool,
) -> Option<Vec<TextEdit>> {
    let model = parse_model(text)?;
    let obj = backend_object(&model)?;
    let style = Style::of(text, Some(&model));
    let mut edits = Vec::new();
    if model.import_of(local).is_none() {
        let spec = if local == name {
            name.to_string()
        } else {
            format!("{name} as {local}")
        };
        let line = format!(
            "import {{ {spec} }} from {}{}",
            style.q(module),
            style.semi()
        );
        let relative = model
            .imports
            .iter()
            .find(|i| i.source.starts_with('.') && starts_line(text, i.span.start));
        match (relative, model.imports.last()) {
            (Some(r), _) if first => edits.push(TextEdit::insert(
                line_start(text, r.span.start),
                format!("{line}{}", style.eol),
            )),
            (_, Some(last)) => edits.push(TextEdit::insert(
                line_end(text, last.span.end),
                format!("{}{line}", style.eol),
            )),
            (_, None) => edits.push(TextEdit::insert(0, format!("{line}{}", style.eol))),
        }
    }
    if obj.get(local).is_some() {
        return Some(edits);
    }
    edits.extend(insert_prop(text, &style, obj, first, |_| {
        local.to_string()
    })?);
    Some(edits)
}

/// The change of the owner action on the lists `ids` (every model and schema list with an API-key rule when
/// `ids` is `None`):
/// - in each list, the first `allow.publicApiKey()` (with or without `.to([...])`) becomes `allow.owner()`,
///   unless the list already has an owner rule; other API-key rules of the list are removed; other rules stay;
/// - `defineData`'s `authorizationModes.defaultAuthorizationMode` becomes `'userPool'` (`authorizationModes`
///   is created when absent); `apiKeyAuthorizationMode` is removed when no API-key rule is left anywhere in
///   the schema (fields and custom operations included), kept when some remain (and added when they would
///   otherwise lose their API key);
/// - when the project has no auth resource, `amplify/auth/resource.ts` is created with email sign-in and
///   `auth` is imported and passed to `defineBackend` in `amplify/backend.ts`.
fn owner_change(
    inp: &Input,
    env: &Env,
    schema: &Schema,
    lists: &[AuthList],
    ids: Option<&[String]>,
) -> Option<Change> {
    let style = Style::of(inp.src, Some(inp.file));
    let switched: Vec<String> = lists
        .iter()
        .filter(|l| l.has_api_key() && ids.is_none_or(|ids| ids.contains(&l.id())))
        .map(AuthList::id)
        .collect();
    if switched.is_empty() {
        return None;
    }
    let mut change = Change::default();
    for l in lists.iter().filter(|l| switched.contains(&l.id())) {
        change.edits.extend(switch_list(inp.src, l));
    }
    let left = api_key_remains(schema, lists, &switched);
    change
        .edits
        .extend(mode_edits(inp.src, &style, inp.file, left));
    // the frontend calls the switched schema would refuse follow it to the user pool
    change
        .others
        .extend(frontend::call_site_edits(inp, env, &change.edits));
    if !inp.project.has_auth {
        let plan = auth_plan(inp, env).ok()?;
        let text = auth_file_text(&style);
        if plan.auth_exists_empty {
            let old = (env.read)(&plan.auth_path)?;
            change.others.push(FileEdits {
                path: plan.auth_path.clone(),
                edits: vec![TextEdit::replace(Span::new(0, old.len()), text)],
                text: old,
            });
        } else {
            change.created.push(NewFile {
                path: plan.auth_path.clone(),
                text,
            });
        }
        let backend = (env.read)(&plan.backend_path)?;
        let edits = wire_into_backend(&backend, "auth", "./auth/resource", true)?;
        change.others.push(FileEdits {
            path: plan.backend_path,
            text: backend,
            edits,
        });
    }
    Some(change)
}

fn owner_actions<'a>(
    inp: &'a Input<'a>,
    range: Span,
    env: &'a Env<'a>,
    wants: &dyn Fn(ActionKind) -> bool,
    out: &mut Vec<Candidate<'a>>,
) {
    let Some(schema) = schema_of(inp.file) else {
        return;
    };
    let lists = auth_lists(inp.file, &schema);
    let with_key: Vec<&AuthList> = lists.iter().filter(|l| l.has_api_key()).collect();
    if with_key.is_empty() {
        return;
    }
    let disabled = if inp.project.has_auth {
        None
    } else {
        auth_plan(inp, env).err()
    };
    // the diagnostics on a list's API-key rules, which the switch removes
    // the most severe first: an error that the switch fixes names the action before the advice it also settles
    let fixed_in = |l: &AuthList| -> Vec<usize> {
        let mut v: Vec<usize> = inp
            .diagnostics
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                l.api_key_rules()
                    .any(|r| r.span.start <= d.span.start && d.span.end <= r.span.end)
            })
            .map(|(i, _)| i)
            .collect();
        v.sort_by_key(|&i| (inp.diagnostics[i].severity as u8, i));
        v
    };
    let change = move |ids: Option<Vec<String>>| -> Box<dyn FnOnce() -> Option<Change> + 'a> {
        Box::new(move || {
            let schema = schema_of(inp.file)?;
            let lists = auth_lists(inp.file, &schema);
            owner_change(inp, env, &schema, &lists, ids.as_deref())
        })
    };
    for l in with_key.iter().filter(|l| intersects(l.call, range)) {
        let fixes = fixed_in(l);
        let on_diag = fixes
            .iter()
            .any(|&i| intersects(inp.diagnostics[i].span, range));
        let kind = if on_diag && wants(ActionKind::QuickFix) {
            ActionKind::QuickFix
        } else if wants(ActionKind::Refactor) {
            ActionKind::Refactor
        } else {
            continue;
        };
        out.push(Candidate {
            action: Action {
                id: l.id(),
                title: OWNER_TITLE.to_string(),
                kind,
                preferred: kind == ActionKind::QuickFix,
                fixes,
                disabled: disabled.clone(),
            },
            change: change(Some(vec![l.id()])),
        });
    }
    if wants(ActionKind::Source) {
        let mut fixes: Vec<usize> = with_key.iter().flat_map(|l| fixed_in(l)).collect();
        fixes.sort_unstable();
        fixes.dedup();
        out.push(Candidate {
            action: Action {
                id: "owner:all".to_string(),
                title: OWNER_ALL_TITLE.to_string(),
                kind: ActionKind::Source,
                preferred: false,
                fixes,
                disabled,
            },
            change: change(None),
        });
    }
}

// =============================================================================================
// Quick fixes for diagnostics
// =============================================================================================

/// A quick-fix candidate for diagnostic `d` (index `i`).
fn fix<'a>(
    i: usize,
    d: &Diagnostic,
    variant: usize,
    title: String,
    preferred: bool,
    fixes: Vec<usize>,
    change: impl FnOnce() -> Option<Change> + 'a,
) -> Candidate<'a> {
    Candidate {
        action: Action {
            id: format!("fix:{}:{}:{}:{variant}", d.code, d.span.start, d.span.end),
            title,
            kind: ActionKind::QuickFix,
            preferred,
            fixes: if fixes.is_empty() { vec![i] } else { fixes },
            disabled: None,
        },
        change: Box::new(change),
    }
}

fn local(edits: Vec<TextEdit>) -> Option<Change> {
    Some(Change {
        edits,
        ..Change::default()
    })
}

fn fixes<'a>(
    inp: &'a Input<'a>,
    range: Span,
    env: &'a Env<'a>,
    wants: &dyn Fn(ActionKind) -> bool,
    out: &mut Vec<Candidate<'a>>,
) {
    if !wants(ActionKind::QuickFix) {
        return;
    }
    let mut storage_keys: Vec<Span> = Vec::new();
    let mut schema: Option<Option<std::sync::Arc<Schema>>> = None;
    for (i, d) in inp.diagnostics.iter().enumerate() {
        if !intersects(d.span, range) {
            continue;
        }
        match d.code {
            "shape/unknown-property" => rename_key(inp, i, out),
            "shape/invalid-literal" => replace_literal(inp, i, out),
            "shape/out-of-range" => clamp(inp, i, out),
            "storage/path-wildcard"
            | "storage/path-leading-slash"
            | "storage/path-double-slash"
            | "storage/path-star-position"
                if !storage_keys.contains(&d.span) =>
            {
                storage_keys.push(d.span);
                storage_path(inp, i, out);
            }
            "security/hardcoded-secret" => use_secret(inp, i, out),
            "backend/not-in-backend" => add_to_backend(inp, i, env, out),
            "data/identifier-not-required"
            | "data/relationship-counterpart"
            | "data/relationship-references" => {
                let schema = schema.get_or_insert_with(|| schema_of(inp.file));
                if let Some(schema) = schema.as_ref() {
                    match d.code {
                        "data/identifier-not-required" => add_required(inp, schema, i, out),
                        "data/relationship-counterpart" => add_counterpart(inp, schema, i, out),
                        _ => add_reference(inp, schema, i, out),
                    }
                }
            }
            _ => {}
        }
    }
}

/// What the catalog expects at a span of a factory argument: the object whose key it is, or the type of the
/// value it is.
enum CatalogSpot {
    Key(&'static ObjTy),
    Value(Ty),
}

fn catalog_spot(file: &FileModel, target: Span) -> Option<CatalogSpot> {
    file.defines.iter().find_map(|d| {
        let ty = catalog::call(d.kind.callee())?.arg?;
        let arg = file.resolve(d.arg.as_ref()?);
        catalog_walk(arg, &ty, target, 0)
    })
}

fn catalog_walk(v: &Value, ty: &Ty, target: Span, depth: usize) -> Option<CatalogSpot> {
    if depth > 32 || !(v.span.start <= target.start && target.end <= v.span.end) {
        return None;
    }
    if v.span == target {
        return Some(CatalogSpot::Value(*ty));
    }
    match ty {
        Ty::Obj(obj) => v.as_object()?.iter().find_map(|p| {
            if p.key_span == target {
                return Some(CatalogSpot::Key(obj));
            }
            let key = p.key.as_deref()?;
            let pty = match catalog::prop(obj, key) {
                Some(known) => known.ty,
                None => match obj.extra {
                    Some(e) if (e.key_ok)(key) => *e.value,
                    _ => return None,
                },
            };
            catalog_walk(&p.value, &pty, target, depth + 1)
        }),
        Ty::Arr(inner) => v
            .as_array()?
            .iter()
            .find_map(|i| catalog_walk(i, inner, target, depth + 1)),
        Ty::OneOf(opts) => opts
            .iter()
            .find_map(|o| catalog_walk(v, o, target, depth + 1)),
        _ => None,
    }
}

/// `shape/unknown-property`: rename a misspelt key to the known property it is closest to.
fn rename_key<'a>(inp: &'a Input<'a>, i: usize, out: &mut Vec<Candidate<'a>>) {
    let d = &inp.diagnostics[i];
    let Some(CatalogSpot::Key(obj)) = catalog_spot(inp.file, d.span) else {
        return;
    };
    let raw = text(inp.src, d.span);
    let key = raw.trim_matches(['\'', '"', '`']);
    let names: Vec<&str> = obj.props.iter().map(|p| p.name).collect();
    let Some(better) = did_you_mean(key, &names) else {
        return;
    };
    let quoted = raw.len() != key.len();
    let new = if quoted || !is_identifier(better) {
        requote(inp.src, &Style::of(inp.src, Some(inp.file)), d.span, better)
    } else {
        better.to_string()
    };
    out.push(fix(
        i,
        d,
        0,
        format!("Change to `{better}`"),
        true,
        Vec::new(),
        move || local(vec![TextEdit::replace(d.span, new)]),
    ));
}

/// `shape/invalid-literal`: a string literal close to an allowed one.
fn replace_literal<'a>(inp: &'a Input<'a>, i: usize, out: &mut Vec<Candidate<'a>>) {
    let d = &inp.diagnostics[i];
    let Some(CatalogSpot::Value(ty)) = catalog_spot(inp.file, d.span) else {
        return;
    };
    let Some(Value {
        kind: Kind::Str(s), ..
    }) = find_value(inp.file, d.span)
    else {
        return;
    };
    let mut allowed: Vec<&str> = Vec::new();
    let mut collect = |t: &Ty| {
        if let Ty::StrLit(v) = t {
            allowed.extend(v.iter());
        }
    };
    match ty {
        Ty::OneOf(opts) => opts.iter().for_each(&mut collect),
        t => collect(&t),
    }
    let Some(better) = did_you_mean(s, &allowed).or_else(|| unique_extension(s, &allowed)) else {
        return;
    };
    let new = requote(inp.src, &Style::of(inp.src, Some(inp.file)), d.span, better);
    out.push(fix(
        i,
        d,
        0,
        format!("Change to {new}"),
        true,
        Vec::new(),
        move || local(vec![TextEdit::replace(d.span, new)]),
    ));
}

/// The one candidate that starts with `word` (ignoring case), when exactly one does: `'arm'` → `'arm64'`.
fn unique_extension<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let lower = word.to_lowercase();
    if lower.len() < 2 {
        return None;
    }
    let mut hits = candidates
        .iter()
        .filter(|c| c.to_lowercase().starts_with(&lower));
    match (hits.next(), hits.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// `shape/out-of-range`: the nearest allowed value.
fn clamp<'a>(inp: &'a Input<'a>, i: usize, out: &mut Vec<Candidate<'a>>) {
    let d = &inp.diagnostics[i];
    let Some(CatalogSpot::Value(ty)) = catalog_spot(inp.file, d.span) else {
        return;
    };
    let rule = match ty {
        Ty::Num(r) => r,
        Ty::OneOf(opts) => match opts.iter().find_map(|o| match o {
            Ty::Num(r) => Some(*r),
            _ => None,
        }) {
            Some(r) => r,
            None => return,
        },
        _ => return,
    };
    let Some(n) = find_value(inp.file, d.span).and_then(Value::as_num) else {
        return;
    };
    let (bound, which) = match (rule.min, rule.max) {
        (Some(min), _) if n < min => (min, "smallest"),
        (_, Some(max)) if n > max => (max, "largest"),
        _ => return,
    };
    let bound = if rule.integer {
        if which == "smallest" {
            bound.ceil()
        } else {
            bound.floor()
        }
    } else {
        bound
    };
    let new = format_number(bound);
    out.push(fix(
        i,
        d,
        0,
        format!("Change to {new} (the {which} allowed value)"),
        true,
        Vec::new(),
        move || local(vec![TextEdit::replace(d.span, new)]),
    ));
}

/// A storage path in the form Amplify accepts: no leading slash, no empty segments, a single `*` at the end
/// after a `/`. `None` when nothing of the path is left.
pub fn repaired_storage_path(path: &str) -> Option<String> {
    let segments: Vec<String> = path
        .split('/')
        .map(|s| s.replace('*', ""))
        .filter(|s| !s.is_empty())
        .collect();
    (!segments.is_empty()).then(|| format!("{}/*", segments.join("/")))
}

/// The storage path format diagnostics: one fix for every problem of one path key.
fn storage_path<'a>(inp: &'a Input<'a>, i: usize, out: &mut Vec<Candidate<'a>>) {
    let d = &inp.diagnostics[i];
    let raw = text(inp.src, d.span);
    let path = raw.trim_matches(['\'', '"', '`']);
    let Some(fixed) = repaired_storage_path(path) else {
        return;
    };
    if fixed == path {
        return;
    }
    let new = requote(inp.src, &Style::of(inp.src, Some(inp.file)), d.span, &fixed);
    let fixes: Vec<usize> = inp
        .diagnostics
        .iter()
        .enumerate()
        .filter(|(_, x)| x.span == d.span && x.code.starts_with("storage/path-"))
        .map(|(j, _)| j)
        .filter(|&j| {
            matches!(
                inp.diagnostics[j].code,
                "storage/path-wildcard"
                    | "storage/path-leading-slash"
                    | "storage/path-double-slash"
                    | "storage/path-star-position"
            )
        })
        .collect();
    out.push(fix(
        i,
        d,
        0,
        format!("Change the path to {new}"),
        true,
        fixes,
        move || local(vec![TextEdit::replace(d.span, new)]),
    ));
}

/// The property whose value (or the constant it names) is at `target`, with the key of the property
/// around it.
fn prop_with_value<'v>(
    file: &'v FileModel,
    v: &'v Value,
    target: Span,
    parent: &'v str,
    depth: usize,
) -> Option<(&'v crate::model::value::Prop, &'v str)> {
    if depth > 64 {
        return None;
    }
    let inside = |x: &Value| x.span.start <= target.start && target.end <= x.span.end;
    match &v.kind {
        Kind::Object(props) => props.iter().find_map(|p| {
            if p.value.span == target || file.resolve(&p.value).span == target {
                return Some((p, parent));
            }
            if inside(&p.value) {
                prop_with_value(
                    file,
                    &p.value,
                    target,
                    p.key.as_deref().unwrap_or(""),
                    depth + 1,
                )
            } else {
                None
            }
        }),
        Kind::Array(items) => items
            .iter()
            .filter(|x| inside(x))
            .find_map(|x| prop_with_value(file, x, target, parent, depth + 1)),
        Kind::Call { args, .. } => args
            .iter()
            .filter(|x| inside(x))
            .find_map(|x| prop_with_value(file, x, target, parent, depth + 1)),
        Kind::Func(f) => f
            .body
            .as_ref()
            .filter(|x| inside(x))
            .and_then(|x| prop_with_value(file, x, target, parent, depth + 1)),
        _ => None,
    }
}

/// `security/hardcoded-secret`: `secret('NAME')` instead of the plain string, importing `secret`.
fn use_secret<'a>(inp: &'a Input<'a>, i: usize, out: &mut Vec<Candidate<'a>>) {
    let d = &inp.diagnostics[i];
    let found = inp.file.defines.iter().find_map(|def| {
        let arg = inp.file.resolve(def.arg.as_ref()?);
        prop_with_value(inp.file, arg, d.span, "", 0)
    });
    let Some((prop, parent)) = found else {
        return;
    };
    let Some(key) = prop.key.as_deref() else {
        return;
    };
    let context = if parent == "environment" { "" } else { parent };
    let name = secret_name(context, key);
    let target = prop.value.span;
    out.push(fix(
        i,
        d,
        0,
        format!("Use secret('{name}') (then store the value: npx ampx sandbox secret set {name})"),
        true,
        Vec::new(),
        move || {
            let style = Style::of(inp.src, Some(inp.file));
            let mut edits = vec![TextEdit::replace(
                target,
                format!("secret({})", style.q(&name)),
            )];
            edits.extend(import_edits(inp.src, &style, inp.file, "secret"));
            local(edits)
        },
    ));
}

/// `backend/not-in-backend`: import the resource in amplify/backend.ts and pass it to `defineBackend`.
fn add_to_backend<'a>(
    inp: &'a Input<'a>,
    i: usize,
    env: &'a Env<'a>,
    out: &mut Vec<Candidate<'a>>,
) {
    let d = &inp.diagnostics[i];
    let (Some(path), Some(root)) = (inp.path, inp.project.root.as_deref()) else {
        return;
    };
    let Some(name) = inp
        .file
        .bindings
        .iter()
        .find(|b| b.name_span == d.span && b.define.is_some())
        .map(|b| b.name.clone())
    else {
        return;
    };
    let amplify = root.join("amplify");
    let backend_path = amplify.join("backend.ts");
    if path == backend_path {
        return;
    }
    let Ok(rel) = path.strip_prefix(&amplify) else {
        return;
    };
    let rel = rel.with_extension("");
    let module = format!(
        "./{}",
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    );
    out.push(fix(
        i,
        d,
        0,
        format!("Add `{name}` to defineBackend in amplify/backend.ts"),
        true,
        Vec::new(),
        move || {
            let text = (env.read)(&backend_path)?;
            let edits = backend_entry_edits(&text, &backend_path, path, &name, &module)?;
            Some(Change {
                others: vec![FileEdits {
                    path: backend_path,
                    text,
                    edits,
                }],
                ..Change::default()
            })
        },
    ));
}

/// Edits to the backend file `text` (at `backend_path`) that pass the resource `name` defined in `resource`
/// to `defineBackend`: with its existing import (aliased or not) when backend.ts has one, else importing it
/// from `module`. When `name` is already a key of `defineBackend` (or, to import it, a name of backend.ts),
/// the entry takes the first free name of `name2`, `name3`, ... (imported as `name as name2`).
fn backend_entry_edits(
    text: &str,
    backend_path: &Path,
    resource: &Path,
    name: &str,
    module: &str,
) -> Option<Vec<TextEdit>> {
    let model = parse_model(text)?;
    let obj = backend_object(&model)?;
    let dir = backend_path.parent()?;
    let target = crate::model::project::normalize(resource);
    let imported = model
        .imports
        .iter()
        .filter(|i| {
            !i.type_only
                && i.source.starts_with('.')
                && crate::model::project::normalize(&dir.join(&i.source)) == target
        })
        .flat_map(|i| i.names.iter())
        .find(|n| n.imported == name)
        .map(|n| n.local.clone());
    match imported {
        Some(local) => {
            let style = Style::of(text, Some(&model));
            let key = free_name(name, |n| obj.get(n).is_some());
            let entry = if local == key {
                key
            } else {
                format!("{key}: {local}")
            };
            insert_prop(text, &style, obj, false, |_| entry.clone())
        }
        None => {
            let local = free_name(name, |n| {
                obj.get(n).is_some() || model.import_of(n).is_some() || model.binding(n).is_some()
            });
            wire_into_backend_as(text, name, &local, module, false)
        }
    }
}

/// The local name of the `a` builder in a file.
fn a_name(file: &FileModel) -> String {
    file.imports
        .iter()
        .filter(|i| i.source == BACKEND_MODULE || i.source == "@aws-amplify/data-schema")
        .flat_map(|i| i.names.iter())
        .find(|n| n.imported == "a")
        .map_or_else(|| "a".to_string(), |n| n.local.clone())
}

/// The field factory for a GraphQL scalar type.
fn factory_of(graphql: &str) -> &'static str {
    match graphql {
        "String" => "string",
        "Int" => "integer",
        "Float" => "float",
        "Boolean" => "boolean",
        "AWSDate" => "date",
        "AWSTime" => "time",
        "AWSDateTime" => "datetime",
        "AWSTimestamp" => "timestamp",
        "AWSEmail" => "email",
        "AWSJSON" => "json",
        "AWSPhone" => "phone",
        "AWSURL" => "url",
        "AWSIPAddress" => "ipAddress",
        _ => "id",
    }
}

/// `data/identifier-not-required`: `.required()` right after the field's factory call.
fn add_required<'a>(inp: &'a Input<'a>, schema: &Schema, i: usize, out: &mut Vec<Candidate<'a>>) {
    let d = &inp.diagnostics[i];
    let Some(f) = schema
        .models()
        .find_map(|(_, m)| m.fields.items.iter().find(|f| f.name_span == d.span))
    else {
        return;
    };
    if f.array || f.modifier("array").is_some() || f.required {
        return;
    }
    let at = match f.modifiers.first() {
        None => f.span.end,
        Some(m) => {
            let before = inp.src.get(..m.name_span.start).unwrap_or("");
            let Some(dot) = before.trim_end().strip_suffix('.') else {
                return;
            };
            dot.trim_end().len()
        }
    };
    if at < f.span.start || at > f.span.end {
        return;
    }
    let name = f.name.clone();
    out.push(fix(
        i,
        d,
        0,
        format!("Add `.required()` to `{name}`"),
        true,
        Vec::new(),
        move || local(vec![TextEdit::insert(at, ".required()")]),
    ));
}

/// The reference fields a child model needs for `refs`, typed like the parent's identifier fields; `None` when
/// one of them is not a valid field name (Amplify would reject the field, written as a key or not).
fn reference_fields(
    parent: &Model,
    child: &Model,
    refs: &[(String, Span)],
    a: &str,
) -> Option<Vec<String>> {
    if refs.iter().any(|(name, _)| !is_graphql_name(name)) {
        return None;
    }
    let ident = parent.identifier_names().unwrap_or_else(|| vec!["id"]);
    let fields = refs
        .iter()
        .enumerate()
        .filter(|(_, (name, _))| child.field(name).is_none())
        .map(|(k, (name, _))| {
            let graphql = ident
                .get(k)
                .and_then(|f| parent.field(f))
                .and_then(Field::graphql)
                .unwrap_or("ID");
            format!("{name}: {a}.{}()", factory_of(graphql))
        })
        .collect();
    Some(fields)
}

/// A GraphQL name (`[_A-Za-z][_0-9A-Za-z]*`), which is also a valid object key without quotes.
fn is_graphql_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f == '_' || f.is_ascii_alphabetic())
        && c.all(|x| x == '_' || x.is_ascii_alphanumeric())
}

/// Adds fields (`name: value` texts) at the end of a model's fields object.
fn add_fields(src: &str, style: &Style, obj: &Value, entries: &[String]) -> Option<Vec<TextEdit>> {
    let mut edits = Vec::new();
    // one insertion holding every entry, so that they land in order
    let e = insert_prop(src, style, obj, false, |ind| match ind {
        Some(ind) => entries.join(&format!(",{}{ind}", style.eol)),
        None => entries.join(", "),
    })?;
    edits.extend(e);
    Some(edits)
}

/// `data/relationship-counterpart` with no counterpart: declare the other side (with its reference fields).
fn add_counterpart<'a>(
    inp: &'a Input<'a>,
    schema: &Schema,
    i: usize,
    out: &mut Vec<Candidate<'a>>,
) {
    let d = &inp.diagnostics[i];
    let found = schema.models().find_map(|(t, m)| {
        m.fields.items.iter().find_map(|f| match &f.kind {
            FieldKind::Relationship(r) if r.call_span == d.span => Some((t, m, r)),
            _ => None,
        })
    });
    let Some((t, m, rel)) = found else { return };
    let (Some(target), Some(refs)) = (rel.target.as_deref(), rel.references.as_ref()) else {
        return;
    };
    let Some(other) = schema.get(target) else {
        return;
    };
    let TypeKind::Model(om) = &other.kind else {
        return;
    };
    if !om.fields.complete {
        return;
    }
    // a counterpart that exists (misspelt, or several) is not ours to add
    let wanted = |k: RelKind| match rel.kind {
        RelKind::HasOne | RelKind::HasMany => k == RelKind::BelongsTo,
        RelKind::BelongsTo => k != RelKind::BelongsTo,
    };
    if om.fields.items.iter().any(|g| {
        matches!(&g.kind, FieldKind::Relationship(r2) if wanted(r2.kind)
            && r2.references.as_ref().is_some_and(|rr| rr.items.iter().map(|x| &x.0).eq(refs.items.iter().map(|x| &x.0))))
    }) {
        return;
    }
    let a = a_name(inp.file);
    let refs_src = text(inp.src, refs.span).to_string();
    let q = Style::of(inp.src, Some(inp.file)).quote;
    let variants: Vec<(String, String)> = match rel.kind {
        RelKind::HasOne | RelKind::HasMany => vec![(
            lower_first(&t.name),
            format!("{a}.belongsTo({q}{}{q}, {refs_src})", t.name),
        )],
        RelKind::BelongsTo => vec![
            (
                plural(&lower_first(&t.name)),
                format!("{a}.hasMany({q}{}{q}, {refs_src})", t.name),
            ),
            (
                lower_first(&t.name),
                format!("{a}.hasOne({q}{}{q}, {refs_src})", t.name),
            ),
        ],
    };
    // the child of the relationship holds the reference fields
    let (parent, child) = match rel.kind {
        RelKind::HasOne | RelKind::HasMany => (m, om),
        RelKind::BelongsTo => (om, m),
    };
    let Some(missing) = reference_fields(parent, child, &refs.items, &a) else {
        return;
    };
    let child_is_other = !matches!(rel.kind, RelKind::BelongsTo);
    // reference fields added to the other model in the same edit
    let added: Vec<String> = if child_is_other {
        refs.items
            .iter()
            .filter(|(r, _)| om.field(r).is_none())
            .map(|(r, _)| r.clone())
            .collect()
    } else {
        Vec::new()
    };
    let mut offered: Vec<String> = Vec::new();
    for (k, (base, value)) in variants.into_iter().enumerate() {
        let field = free_name(&base, |n| {
            om.field_taken(n) || added.iter().any(|a| a == n) || offered.iter().any(|o| o == n)
        });
        offered.push(field.clone());
        let om_fields = om.fields.span;
        let m_fields = m.fields.span;
        let missing = missing.clone();
        let title = if child_is_other && !missing.is_empty() {
            format!(
                "Add `{field}: {value}` and {} to `{target}`",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            format!("Add `{field}: {value}` to `{target}`")
        };
        out.push(fix(
            i,
            d,
            k,
            title,
            rel.kind != RelKind::BelongsTo,
            Vec::new(),
            move || {
                let style = Style::of(inp.src, Some(inp.file));
                let other_obj =
                    find_value(inp.file, om_fields).filter(|v| v.as_object().is_some())?;
                let mut edits = Vec::new();
                let mut entries = Vec::new();
                if child_is_other {
                    entries.extend(missing);
                } else if !missing.is_empty() {
                    let own = find_value(inp.file, m_fields).filter(|v| v.as_object().is_some())?;
                    edits.extend(add_fields(inp.src, &style, own, &missing)?);
                }
                entries.push(format!("{field}: {value}"));
                edits.extend(add_fields(inp.src, &style, other_obj, &entries)?);
                local(edits)
            },
        ));
    }
}

/// `data/relationship-references` on a reference that is not a field of the child model: rename it to a
/// close field name, or add the field.
fn add_reference<'a>(inp: &'a Input<'a>, schema: &Schema, i: usize, out: &mut Vec<Candidate<'a>>) {
    let d = &inp.diagnostics[i];
    let found = schema.models().find_map(|(t, m)| {
        m.fields.items.iter().find_map(|f| match &f.kind {
            FieldKind::Relationship(r) => r.references.as_ref().and_then(|refs| {
                refs.items
                    .iter()
                    .position(|(_, s)| *s == d.span)
                    .map(|k| (t, m, r, refs, k))
            }),
            _ => None,
        })
    });
    let Some((_t, m, rel, refs, k)) = found else {
        return;
    };
    let Some(other) = rel.target.as_deref().and_then(|n| schema.model(n)) else {
        return;
    };
    let (parent, child, child_name) = match rel.kind {
        RelKind::HasOne | RelKind::HasMany => (m, other, rel.target.clone().unwrap_or_default()),
        RelKind::BelongsTo => (other, m, _t.name.clone()),
    };
    let name = refs.items[k].0.clone();
    if child.field(&name).is_some() || !child.fields.complete {
        return;
    }
    let scalars: Vec<&str> = child
        .fields
        .items
        .iter()
        .filter(|f| matches!(f.kind, FieldKind::Scalar { .. }))
        .map(|f| f.name.as_str())
        .collect();
    let close = did_you_mean(&name, &scalars).map(str::to_string);
    if let Some(better) = close.clone() {
        let new = requote(
            inp.src,
            &Style::of(inp.src, Some(inp.file)),
            d.span,
            &better,
        );
        out.push(fix(
            i,
            d,
            0,
            format!("Change to {new}"),
            true,
            Vec::new(),
            move || local(vec![TextEdit::replace(d.span, new)]),
        ));
    }
    let a = a_name(inp.file);
    let entry = reference_fields(parent, child, &refs.items[k..=k], &a)
        .unwrap_or_default()
        .into_iter()
        .next();
    let Some(entry) = entry else { return };
    let fields_span = child.fields.span;
    out.push(fix(
        i,
        d,
        1,
        format!("Add `{entry}` to `{child_name}`"),
        close.is_none(),
        Vec::new(),
        move || {
            let style = Style::of(inp.src, Some(inp.file));
            let obj = find_value(inp.file, fields_span).filter(|v| v.as_object().is_some())?;
            local(add_fields(inp.src, &style, obj, &[entry])?)
        },
    ));
}

// =============================================================================================
// Missing imports
// =============================================================================================

/// Edits that import `name` from '@aws-amplify/backend' (nothing when the file has it already).
fn import_edits(src: &str, style: &Style, file: &FileModel, name: &str) -> Vec<TextEdit> {
    if file.import_of(name).is_some() || file.binding(name).is_some() {
        return Vec::new();
    }
    let existing = file
        .imports
        .iter()
        .filter(|i| i.source == BACKEND_MODULE && !i.type_only)
        .find_map(|i| Some((i, i.list?)));
    if let Some((imp, list)) = existing {
        let (open, close) = (list.start, list.end - 1);
        let items: Vec<Span> = imp
            .names
            .iter()
            .filter(|n| n.span.start > open && n.span.end <= close)
            .map(|n| n.span)
            .collect();
        return insert_item(src, style, open, close, &items, false, |_| name.to_string());
    }
    let line = format!(
        "import {{ {name} }} from {}{}",
        style.q(BACKEND_MODULE),
        style.semi()
    );
    match file.imports.last() {
        Some(last) => vec![TextEdit::insert(
            line_end(src, last.span.end),
            format!("{}{line}", style.eol),
        )],
        None => vec![TextEdit::insert(0, format!("{line}{}", style.eol))],
    }
}

/// Uses of importable names (`secret`, `a`, `defineX`) that nothing in the file declares.
fn undeclared_uses(inp: &Input) -> Vec<(&'static str, Span)> {
    let Some(tree) = inp.tree else {
        return Vec::new();
    };
    let mut uses: Vec<(&'static str, Span)> = Vec::new();
    let mut declared: Vec<&str> = Vec::new();
    let mut cursor = tree.root_node().walk();
    let mut visited = 0usize;
    'walk: loop {
        let node = cursor.node();
        visited += 1;
        if visited > 500_000 {
            return Vec::new();
        }
        if node.kind() == "identifier" {
            let t = text(inp.src, syntax::span(node));
            if let Some(name) = IMPORTABLE.iter().find(|n| **n == t) {
                if let Some(parent) = node.parent() {
                    let is = |field: &str| parent.child_by_field_name(field) == Some(node);
                    match parent.kind() {
                        "call_expression" if is("function") => {
                            uses.push((name, syntax::span(node)))
                        }
                        "member_expression" if is("object") => {
                            uses.push((name, syntax::span(node)))
                        }
                        "variable_declarator"
                        | "required_parameter"
                        | "optional_parameter"
                        | "arrow_function"
                        | "function_declaration"
                        | "class_declaration"
                        | "import_specifier"
                        | "import_clause"
                        | "namespace_import"
                        | "assignment_pattern"
                        | "array_pattern"
                        | "catch_clause" => declared.push(name),
                        _ => {}
                    }
                }
            }
        }
        if node.kind() == "shorthand_property_identifier_pattern" {
            let t = text(inp.src, syntax::span(node));
            if let Some(name) = IMPORTABLE.iter().find(|n| **n == t) {
                declared.push(name);
            }
        }
        // `Node::parent` (used above) costs the node's depth: stay out of absurdly deep subtrees.
        if cursor.depth() < MAX_WALK_DEPTH && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    uses.retain(|(n, _)| {
        !declared.contains(n) && inp.file.import_of(n).is_none() && inp.file.binding(n).is_none()
    });
    uses
}

fn import_actions<'a>(
    inp: &'a Input<'a>,
    range: Span,
    wants: &dyn Fn(ActionKind) -> bool,
    out: &mut Vec<Candidate<'a>>,
) {
    if !wants(ActionKind::QuickFix) {
        return;
    }
    let mut offered: Vec<&str> = Vec::new();
    for (name, span) in undeclared_uses(inp) {
        if !intersects(span, range) || offered.contains(&name) {
            continue;
        }
        offered.push(name);
        out.push(Candidate {
            action: Action {
                id: format!("import:{name}"),
                title: format!("Import `{name}` from '{BACKEND_MODULE}'"),
                kind: ActionKind::QuickFix,
                preferred: false,
                fixes: Vec::new(),
                disabled: None,
            },
            change: Box::new(move || {
                let style = Style::of(inp.src, Some(inp.file));
                local(import_edits(inp.src, &style, inp.file, name))
            }),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies edits (non-overlapping, any order) to a text.
    pub(super) fn apply(src: &str, edits: &[TextEdit]) -> String {
        let mut edits = edits.to_vec();
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        for w in edits.windows(2) {
            assert!(
                w[0].span.end <= w[1].span.start,
                "overlapping edits: {edits:?}"
            );
        }
        let mut out = src.to_string();
        for e in edits.iter().rev() {
            out.replace_range(e.span.start..e.span.end, &e.text);
        }
        out
    }

    struct Fx {
        src: String,
        file: FileModel,
        tree: Tree,
        project: ProjectFacts,
        path: PathBuf,
    }

    fn fx(src: &str, has_auth: bool) -> Fx {
        let tree = syntax::parse(src, Lang::TypeScript, None).expect("parse");
        let file = FileModel::build(&tree, src, Lang::TypeScript);
        let project = ProjectFacts {
            root: Some(PathBuf::from("/p")),
            has_auth,
            complete: true,
            has_backend: true,
            ..ProjectFacts::default()
        };
        Fx {
            src: src.to_string(),
            file,
            tree,
            project,
            path: PathBuf::from("/p/amplify/data/resource.ts"),
        }
    }

    const BACKEND: &str = "import { defineBackend } from '@aws-amplify/backend';\nimport { data } from './data/resource';\n\ndefineBackend({\n  data,\n});\n";

    fn read_backend(p: &Path) -> Option<String> {
        (p == Path::new("/p/amplify/backend.ts")).then(|| BACKEND.to_string())
    }

    fn with<R>(f: &Fx, diags: &[Diagnostic], body: impl FnOnce(&Input, &Env) -> R) -> R {
        let inp = Input {
            src: &f.src,
            file: &f.file,
            tree: Some(&f.tree),
            path: Some(&f.path),
            project: &f.project,
            diagnostics: diags,
        };
        let env = Env {
            read: &read_backend,
            can_create_files: true,
            frontend_files: &Vec::new,
        };
        body(&inp, &env)
    }

    fn owner_all(src: &str, has_auth: bool) -> Option<Change> {
        let f = fx(src, has_auth);
        with(&f, &[], |inp, env| {
            compute(inp, Span::new(0, 0), "owner:all", env)
        })
    }

    fn owner_all_text(src: &str) -> String {
        let c = owner_all(src, true).expect("a change");
        assert!(c.others.is_empty() && c.created.is_empty());
        apply(src, &c.edits)
    }

    const STARTER: &str = "import { type ClientSchema, a, defineData } from '@aws-amplify/backend';

const schema = a.schema({
  Todo: a
    .model({
      content: a.string(),
    })
    .authorization((allow) => [allow.publicApiKey()]),
});

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({
  schema,
  authorizationModes: {
    defaultAuthorizationMode: 'apiKey',
    // API keys expire; 30 days here, at most 365.
    apiKeyAuthorizationMode: {
      expiresInDays: 30,
    },
  },
});
";

    #[test]
    fn starter_switches_rule_and_modes() {
        let out = owner_all_text(STARTER);
        let want = STARTER
            .replace("allow.publicApiKey()", "allow.owner()")
            .replace("'apiKey'", "'userPool'")
            .replace(
                "    // API keys expire; 30 days here, at most 365.\n    apiKeyAuthorizationMode: {\n      expiresInDays: 30,\n    },\n",
                "",
            );
        assert_eq!(out, want);
        // applying twice changes nothing: the action is no longer there
        assert!(owner_all(&out, true).is_none());
    }

    #[test]
    fn mixed_rules_keep_the_others_and_do_not_duplicate_owner() {
        let src = "import { a, defineData } from '@aws-amplify/backend';
const schema = a.schema({
  Post: a.model({ title: a.string() }).authorization((allow) => [
    allow.publicApiKey().to(['read']),
    allow.authenticated(),
  ]),
  Comment: a.model({ body: a.string() }).authorization((allow) => [allow.owner(), allow.publicApiKey()]),
  Note: a.model({ body: a.string() }).authorization((allow) => [
    allow.owner(),
    allow.publicApiKey().to(['read'])
  ]),
  Tag: a.model({ name: a.string() }).authorization((allow) => [allow.authenticated()]),
});
export const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'apiKey', apiKeyAuthorizationMode: { expiresInDays: 30 } } });
";
        let out = owner_all_text(src);
        let want = "import { a, defineData } from '@aws-amplify/backend';
const schema = a.schema({
  Post: a.model({ title: a.string() }).authorization((allow) => [
    allow.owner(),
    allow.authenticated(),
  ]),
  Comment: a.model({ body: a.string() }).authorization((allow) => [allow.owner()]),
  Note: a.model({ body: a.string() }).authorization((allow) => [
    allow.owner()
  ]),
  Tag: a.model({ name: a.string() }).authorization((allow) => [allow.authenticated()]),
});
export const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'userPool' } });
";
        assert_eq!(out, want);
        assert!(owner_all(&out, true).is_none());
    }

    #[test]
    fn schema_level_rules_and_missing_modes() {
        let src = "import { a, defineData } from \"@aws-amplify/backend\"\n\nconst schema = a\n  .schema({\n    Todo: a.model({ content: a.string() }),\n  })\n  .authorization((allow) => allow.publicApiKey())\n\nexport const data = defineData({\n  schema\n})\n";
        let out = owner_all_text(src);
        let want = "import { a, defineData } from \"@aws-amplify/backend\"\n\nconst schema = a\n  .schema({\n    Todo: a.model({ content: a.string() }),\n  })\n  .authorization((allow) => allow.owner())\n\nexport const data = defineData({\n  schema,\n  authorizationModes: {\n    defaultAuthorizationMode: \"userPool\",\n  }\n})\n";
        assert_eq!(out, want);
    }

    #[test]
    fn api_key_rules_left_on_custom_operations_keep_the_key() {
        let src = "import { a, defineData } from '@aws-amplify/backend';
const schema = a.schema({
  Todo: a.model({ content: a.string() }).authorization((allow) => [allow.publicApiKey()]),
  echo: a.query().returns(a.string()).handler(a.handler.function(fn1)).authorization((allow) => [allow.publicApiKey()]),
});
export const data = defineData({
  schema,
  authorizationModes: {
    defaultAuthorizationMode: 'apiKey',
  },
});
";
        let out = owner_all_text(src);
        assert!(
            out.contains(
                "Todo: a.model({ content: a.string() }).authorization((allow) => [allow.owner()])"
            ),
            "{out}"
        );
        assert!(out.contains("echo: a.query().returns(a.string()).handler(a.handler.function(fn1)).authorization((allow) => [allow.publicApiKey()])"), "{out}");
        assert!(out.contains("  authorizationModes: {\n    defaultAuthorizationMode: 'userPool',\n    apiKeyAuthorizationMode: {\n      expiresInDays: 30,\n    },\n  },\n"), "{out}");
        // no modes at all: created with the key mode
        let src2 = src.replace(
            "  authorizationModes: {\n    defaultAuthorizationMode: 'apiKey',\n  },\n",
            "",
        );
        let out = owner_all_text(&src2);
        assert!(out.contains("  schema,\n  authorizationModes: {\n    defaultAuthorizationMode: 'userPool',\n    apiKeyAuthorizationMode: {\n      expiresInDays: 30,\n    },\n  },\n});"), "{out}");
    }

    #[test]
    fn tabs_and_crlf_are_kept() {
        let src = STARTER.replace("  ", "\t").replace('\n', "\r\n");
        let out = owner_all_text(&src);
        let want = STARTER
            .replace("allow.publicApiKey()", "allow.owner()")
            .replace("'apiKey'", "'userPool'")
            .replace(
                "    // API keys expire; 30 days here, at most 365.\n    apiKeyAuthorizationMode: {\n      expiresInDays: 30,\n    },\n",
                "",
            )
            .replace("  ", "\t")
            .replace('\n', "\r\n");
        assert_eq!(out, want);
        // inserted code uses tabs and CRLF too
        let src = "import { a, defineData } from '@aws-amplify/backend';\r\nconst schema = a.schema({\r\n\tTodo: a.model({}).authorization((allow) => [allow.publicApiKey()]),\r\n});\r\nexport const data = defineData({\r\n\tschema,\r\n});\r\n";
        let out = owner_all_text(src);
        assert!(out.ends_with("\tschema,\r\n\tauthorizationModes: {\r\n\t\tdefaultAuthorizationMode: 'userPool',\r\n\t},\r\n});\r\n"), "{out:?}");
    }

    #[test]
    fn without_auth_creates_it_and_wires_the_backend() {
        let c = owner_all(STARTER, false).expect("change");
        assert_eq!(c.created.len(), 1);
        assert_eq!(
            c.created[0].path,
            PathBuf::from("/p/amplify/auth/resource.ts")
        );
        assert_eq!(
            c.created[0].text,
            "import { defineAuth } from '@aws-amplify/backend';\n\n/**\n * Sign-in with email: each signed-in user owns the records they create.\n */\nexport const auth = defineAuth({\n  loginWith: {\n    email: true,\n  },\n});\n"
        );
        assert_eq!(c.others.len(), 1);
        let backend = apply(&c.others[0].text, &c.others[0].edits);
        assert_eq!(
            backend,
            "import { defineBackend } from '@aws-amplify/backend';\nimport { auth } from './auth/resource';\nimport { data } from './data/resource';\n\ndefineBackend({\n  auth,\n  data,\n});\n"
        );
        // without file creation, the action says why it is unavailable
        let f = fx(STARTER, false);
        let actions = with(&f, &[], |inp, _| {
            let env = Env {
                read: &read_backend,
                can_create_files: false,
                frontend_files: &Vec::new,
            };
            list(inp, Span::new(0, 0), &env, &|_| true)
        });
        let all = actions
            .iter()
            .find(|a| a.id == "owner:all")
            .expect("listed");
        assert!(
            all.disabled
                .as_deref()
                .is_some_and(|r| r.contains("amplify/auth/resource.ts")),
            "{all:?}"
        );
    }

    #[test]
    fn offered_on_the_rule_and_the_authorization_call() {
        let f = fx(STARTER, true);
        let at = STARTER.find("publicApiKey").expect("rule");
        let actions = with(&f, &[], |inp, env| {
            list(inp, Span::new(at, at), env, &|_| true)
        });
        let titles: Vec<(&str, ActionKind)> =
            actions.iter().map(|a| (a.title.as_str(), a.kind)).collect();
        assert_eq!(
            titles,
            [
                (OWNER_TITLE, ActionKind::Refactor),
                (OWNER_ALL_TITLE, ActionKind::Source)
            ]
        );
        let at = STARTER.find(".authorization").expect("call") + 2;
        let actions = with(&f, &[], |inp, env| {
            list(inp, Span::new(at, at), env, &|k| k == ActionKind::Refactor)
        });
        assert_eq!(actions.len(), 1);
        // away from the rules: only the whole-file action
        let at = STARTER.find("content").expect("field");
        let actions = with(&f, &[], |inp, env| {
            list(inp, Span::new(at, at), env, &|_| true)
        });
        assert_eq!(actions.len(), 1);
        assert_eq!(actions[0].kind, ActionKind::Source);
        // a diagnostic on the rule makes it a preferred quick fix that lists the diagnostic
        let rule = STARTER.find("allow.publicApiKey()").expect("rule");
        let d = Diagnostic::new(
            Span::new(rule, rule + "allow.publicApiKey()".len()),
            crate::analysis::Severity::Error,
            "data/provider-not-configured",
            "no API key",
        );
        let actions = with(&f, std::slice::from_ref(&d), |inp, env| {
            list(inp, Span::new(rule, rule), env, &|_| true)
        });
        assert_eq!(actions[0].kind, ActionKind::QuickFix);
        assert!(actions[0].preferred);
        assert_eq!(actions[0].fixes, [0]);
    }

    #[test]
    fn the_public_api_key_hint_is_fixed_by_the_owner_switch() {
        let f = fx(STARTER, true);
        let cx = crate::analysis::rules::RuleCtx {
            src: &f.src,
            file: &f.file,
            path: Some(&f.path),
            project: &f.project,
        };
        let mut diags = Vec::new();
        crate::analysis::rules::security::check(&cx, &mut diags);
        let i = diags
            .iter()
            .position(|d| d.code == crate::analysis::rules::security::PUBLIC_API_KEY)
            .expect("the hint");
        let at = diags[i].span;
        let actions = with(&f, &diags, |inp, env| {
            list(inp, at, env, &|k| k == ActionKind::QuickFix)
        });
        assert_eq!(actions.len(), 1);
        assert_eq!(actions[0].title, OWNER_TITLE);
        assert!(actions[0].preferred);
        assert_eq!(actions[0].fixes, [i]);
    }

    /// Runs the rules on `src` (at `path`), asks for quick fixes at the first diagnostic with `code`, and
    /// returns the fix titles and the text after the first fix.
    fn quick_fix(path: &str, src: &str, code: &str) -> (Vec<String>, String) {
        let mut f = fx(src, true);
        f.path = PathBuf::from(path);
        let mut diags = Vec::new();
        let cx = crate::analysis::rules::RuleCtx {
            src: &f.src,
            file: &f.file,
            path: Some(&f.path),
            project: &f.project,
        };
        crate::analysis::diagnostics::run_rules(&cx, &mut diags);
        let d = diags
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("no {code} in {diags:?}"))
            .clone();
        with(&f, &diags, |inp, env| {
            let acts = list(inp, d.span, env, &|k| k == ActionKind::QuickFix);
            let titles = acts.iter().map(|a| a.title.clone()).collect();
            let first = acts.first().expect("a fix");
            assert!(first.fixes.iter().any(|&i| diags[i].code == code));
            let c = compute(inp, d.span, &first.id, env).expect("change");
            (titles, apply(src, &c.edits))
        })
    }

    const FN: &str = "/p/amplify/functions/f/resource.ts";
    const DATA_PATH: &str = "/p/amplify/data/resource.ts";

    #[test]
    fn did_you_mean_keys_and_literals() {
        let src = "import { defineFunction } from '@aws-amplify/backend';\nexport const f = defineFunction({ timeoutSecond: 10 });\n";
        let (titles, out) = quick_fix(FN, src, "shape/unknown-property");
        assert_eq!(titles, ["Change to `timeoutSeconds`"]);
        assert!(
            out.contains("defineFunction({ timeoutSeconds: 10 })"),
            "{out}"
        );
        let src = "import { defineFunction } from '@aws-amplify/backend';\nexport const f = defineFunction({ architecture: \"arm\" });\n";
        let (titles, out) = quick_fix(FN, src, "shape/invalid-literal");
        assert_eq!(titles, ["Change to \"arm64\""]);
        assert!(out.contains("architecture: \"arm64\""), "{out}");
        // nothing close: no fix
        let src = "import { defineFunction } from '@aws-amplify/backend';\nexport const f = defineFunction({ architecture: 'sparc' });\n";
        let f = fx(src, true);
        let d = Diagnostic::new(
            Span::new(
                src.find("'sparc'").expect("lit"),
                src.find("'sparc'").expect("lit") + 7,
            ),
            crate::analysis::Severity::Error,
            "shape/invalid-literal",
            "x",
        );
        let acts = with(&f, std::slice::from_ref(&d), |inp, env| {
            list(inp, d.span, env, &|_| true)
        });
        assert!(acts.is_empty(), "{acts:?}");
    }

    #[test]
    fn out_of_range_numbers_are_clamped() {
        let src = "import { defineFunction } from '@aws-amplify/backend';\nexport const f = defineFunction({ timeoutSeconds: 901, memoryMB: 64 });\n";
        let (titles, out) = quick_fix(FN, src, "shape/out-of-range");
        assert_eq!(titles, ["Change to 900 (the largest allowed value)"]);
        assert!(out.contains("timeoutSeconds: 900,"), "{out}");
        let src = "import { defineFunction } from '@aws-amplify/backend';\nexport const f = defineFunction({ memoryMB: 64 });\n";
        let (_, out) = quick_fix(FN, src, "shape/out-of-range");
        assert!(out.contains("memoryMB: 128 "), "{out}");
    }

    #[test]
    fn storage_paths_are_repaired() {
        assert_eq!(repaired_storage_path("photos").as_deref(), Some("photos/*"));
        assert_eq!(
            repaired_storage_path("/media//x*").as_deref(),
            Some("media/x/*")
        );
        assert_eq!(repaired_storage_path("a/").as_deref(), Some("a/*"));
        assert_eq!(repaired_storage_path("*"), None);
        let src = "import { defineStorage } from '@aws-amplify/backend';\nexport const storage = defineStorage({\n  name: 'files',\n  access: (allow) => ({\n    \"/photos\": [allow.guest.to(['read'])],\n  }),\n});\n";
        let mut f = fx(src, true);
        f.path = PathBuf::from("/p/amplify/storage/resource.ts");
        let mut diags = Vec::new();
        let cx = crate::analysis::rules::RuleCtx {
            src: &f.src,
            file: &f.file,
            path: Some(&f.path),
            project: &f.project,
        };
        crate::analysis::diagnostics::run_rules(&cx, &mut diags);
        let key = src.find("\"/photos\"").expect("key");
        let acts = with(&f, &diags, |inp, env| {
            list(inp, Span::new(key, key), env, &|_| true)
        });
        // one fix for both problems of the key (leading slash, no wildcard), which lists both
        assert_eq!(acts.len(), 1, "{acts:?}");
        assert_eq!(acts[0].title, "Change the path to \"photos/*\"");
        assert_eq!(acts[0].fixes.len(), 2);
    }

    #[test]
    fn credentials_become_secrets_with_the_import() {
        let src = "import { defineAuth } from '@aws-amplify/backend';\nexport const auth = defineAuth({\n  loginWith: {\n    email: true,\n    externalProviders: {\n      google: { clientId: secret('GOOGLE_CLIENT_ID'), clientSecret: 'abc' },\n      callbackUrls: ['http://localhost:3000/'],\n      logoutUrls: ['http://localhost:3000/'],\n    },\n  },\n});\n";
        let (titles, out) = quick_fix(
            "/p/amplify/auth/resource.ts",
            src,
            "security/hardcoded-secret",
        );
        assert_eq!(
            titles,
            ["Use secret('GOOGLE_CLIENT_SECRET') (then store the value: npx ampx sandbox secret set GOOGLE_CLIENT_SECRET)"]
        );
        assert!(
            out.starts_with("import { defineAuth, secret } from '@aws-amplify/backend';\n"),
            "{out}"
        );
        assert!(
            out.contains("clientSecret: secret('GOOGLE_CLIENT_SECRET') }"),
            "{out}"
        );
    }

    #[test]
    fn imports_join_the_existing_statement_or_get_their_own() {
        let style = Style::of("", None);
        let check = |src: &str, name: &str| {
            let tree = syntax::parse(src, Lang::TypeScript, None).expect("parse");
            let file = FileModel::build(&tree, src, Lang::TypeScript);
            apply(
                src,
                &import_edits(src, &Style::of(src, Some(&file)), &file, name),
            )
        };
        assert_eq!(style.quote, '\'');
        assert_eq!(
            check(
                "import { defineData } from '@aws-amplify/backend';\nx;\n",
                "a"
            ),
            "import { defineData, a } from '@aws-amplify/backend';\nx;\n"
        );
        assert_eq!(
            check(
                "import {\n  defineData,\n} from \"@aws-amplify/backend\"\nx\n",
                "secret"
            ),
            "import {\n  defineData,\n  secret,\n} from \"@aws-amplify/backend\"\nx\n"
        );
        assert_eq!(
            check("import type { ClientSchema } from '@aws-amplify/backend';\nx;\n", "a"),
            "import type { ClientSchema } from '@aws-amplify/backend';\nimport { a } from '@aws-amplify/backend';\nx;\n"
        );
        assert_eq!(
            check("x;\n", "secret"),
            "import { secret } from '@aws-amplify/backend';\nx;\n"
        );
        // a stray `}` before the list (error recovery keeps it in the statement): the list is the braces
        // after the `{`
        assert_eq!(
            check(
                "import } { defineData } from '@aws-amplify/backend';\n",
                "a"
            ),
            "import } { defineData, a } from '@aws-amplify/backend';\n"
        );
        // a `}` in a comment inside the list: the list ends at its own brace
        assert_eq!(
            check(
                "import { /* } */ defineData } from '@aws-amplify/backend';\n",
                "a"
            ),
            "import { /* } */ defineData, a } from '@aws-amplify/backend';\n"
        );
        // a list whose closing brace is missing (not read as an import at all): a statement of its own
        assert_eq!(
            check("import { defineData from '@aws-amplify/backend';\nx;\n", "a"),
            "import { a } from '@aws-amplify/backend';\nimport { defineData from '@aws-amplify/backend';\nx;\n"
        );
        // already there: nothing
        assert_eq!(
            check("import { secret } from '@aws-amplify/backend';\n", "secret"),
            "import { secret } from '@aws-amplify/backend';\n"
        );
    }

    #[test]
    fn missing_imports_are_found_but_not_for_locals() {
        let src = "import { defineFunction } from '@aws-amplify/backend';\nexport const f = defineFunction({ environment: { K: secret('K') } });\nconst s = a.schema({});\nconst g = (a) => a.b;\n";
        let f = fx(src, true);
        let at = src.find("secret(").expect("use");
        let acts = with(&f, &[], |inp, env| {
            list(inp, Span::new(at, at), env, &|_| true)
        });
        assert_eq!(acts.len(), 1);
        assert_eq!(acts[0].title, "Import `secret` from '@aws-amplify/backend'");
        // `a` is a parameter somewhere in the file: not offered (we do not track scopes)
        let at = src.find("a.schema").expect("use");
        let acts = with(&f, &[], |inp, env| {
            list(inp, Span::new(at, at), env, &|_| true)
        });
        assert!(acts.is_empty(), "{acts:?}");
        let src = "export const data = defineData({ schema: a.schema({}) });\n";
        let f = fx(src, true);
        let acts = with(&f, &[], |inp, env| {
            list(inp, Span::new(0, src.len()), env, &|_| true)
        });
        let titles: Vec<&str> = acts.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Import `defineData` from '@aws-amplify/backend'",
                "Import `a` from '@aws-amplify/backend'"
            ]
        );
    }

    #[test]
    fn identifier_fields_become_required() {
        let src = "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({\n  C: a.model({ email: a.string().default('x'), n: a.string() }).identifier(['email']).authorization((allow) => [allow.owner()]),\n});\nexport const data = defineData({ schema });\n";
        let (titles, out) = quick_fix(DATA_PATH, src, "data/identifier-not-required");
        assert_eq!(titles, ["Add `.required()` to `email`"]);
        assert!(
            out.contains("email: a.string().required().default('x')"),
            "{out}"
        );
    }

    #[test]
    fn counterparts_take_a_free_name() {
        // `games` is taken by a scalar field: the hasMany side becomes `games2`; `game` is free
        let src = "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({\n  User: a.model({ games: a.string() }).authorization((allow) => [allow.owner()]),\n  Game: a.model({ userId: a.id(), user: a.belongsTo('User', 'userId') }).authorization((allow) => [allow.owner()]),\n});\nexport const data = defineData({ schema });\n";
        let (titles, out) = quick_fix(DATA_PATH, src, "data/relationship-counterpart");
        assert_eq!(
            titles,
            [
                "Add `games2: a.hasMany('Game', 'userId')` to `User`",
                "Add `game: a.hasOne('Game', 'userId')` to `User`"
            ]
        );
        assert!(
            out.contains(
                "User: a.model({ games: a.string(), games2: a.hasMany('Game', 'userId') })"
            ),
            "{out}"
        );
        // `owner` is the field `allow.owner()` stores the owner in; `ownerId` is added in the same edit
        let src = "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({\n  Owner: a.model({ pets: a.hasMany('Pet', 'ownerId') }).authorization((allow) => [allow.owner()]),\n  Pet: a.model({ name: a.string() }).authorization((allow) => [allow.owner()]),\n});\nexport const data = defineData({ schema });\n";
        let (titles, _) = quick_fix(DATA_PATH, src, "data/relationship-counterpart");
        assert_eq!(
            titles,
            ["Add `owner2: a.belongsTo('Owner', 'ownerId')` and `ownerId: a.id()` to `Pet`"]
        );
        // the reference field added in the same edit is not reused either
        let src = "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({\n  Post: a.model({ notes: a.hasMany('Note', 'post') }).authorization((allow) => [allow.owner()]),\n  Note: a.model({ text: a.string() }).authorization((allow) => [allow.owner()]),\n});\nexport const data = defineData({ schema });\n";
        let (titles, _) = quick_fix(DATA_PATH, src, "data/relationship-counterpart");
        assert_eq!(
            titles,
            ["Add `post2: a.belongsTo('Post', 'post')` and `post: a.id()` to `Note`"]
        );
        assert_eq!(free_name("a", |n| n == "a" || n == "a2"), "a3");
        assert_eq!(object_key("rosterArchitect", '\''), "rosterArchitect");
        assert_eq!(object_key("roster-architect", '\''), "'roster-architect'");
        assert_eq!(object_key("it's", '"'), "\"it's\"");
        assert_eq!(object_key("it's", '\''), "'it\\'s'");
    }

    #[test]
    fn reference_fields_that_are_not_field_names_are_not_added() {
        let src = "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({\n  Team: a.model({ members: a.hasMany('Member', 'team-id') }).authorization((allow) => [allow.owner()]),\n  Member: a.model({ name: a.string() }).authorization((allow) => [allow.owner()]),\n});\nexport const data = defineData({ schema });\n";
        let mut f = fx(src, true);
        f.path = PathBuf::from(DATA_PATH);
        let mut diags = Vec::new();
        let cx = crate::analysis::rules::RuleCtx {
            src: &f.src,
            file: &f.file,
            path: Some(&f.path),
            project: &f.project,
        };
        crate::analysis::diagnostics::run_rules(&cx, &mut diags);
        assert!(diags
            .iter()
            .any(|d| d.code == "data/relationship-counterpart"));
        let titles: Vec<String> = with(&f, &diags, |inp, env| {
            list(inp, Span::new(0, src.len()), env, &|k| {
                k == ActionKind::QuickFix
            })
            .into_iter()
            .map(|a| a.title)
            .collect()
        });
        assert!(titles.iter().all(|t| !t.contains("team-id")), "{titles:?}");
        assert!(is_graphql_name("teamId") && is_graphql_name("_x1"));
        assert!(!is_graphql_name("team-id") && !is_graphql_name("1x") && !is_graphql_name("é"));
    }

    #[test]
    fn relationships_get_their_other_side() {
        let src = "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({\n  Team: a.model({ members: a.hasMany('Member', 'teamId') }).authorization((allow) => [allow.owner()]),\n  Member: a.model({ name: a.string() }).authorization((allow) => [allow.owner()]),\n});\nexport const data = defineData({ schema });\n";
        let (titles, out) = quick_fix(DATA_PATH, src, "data/relationship-counterpart");
        assert_eq!(
            titles,
            ["Add `team: a.belongsTo('Team', 'teamId')` and `teamId: a.id()` to `Member`"]
        );
        assert!(
            out.contains("Member: a.model({ name: a.string(), teamId: a.id(), team: a.belongsTo('Team', 'teamId') })"),
            "{out}"
        );
        // from the belongsTo side: hasMany or hasOne, neither preferred
        let src = "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({\n  Team: a.model({ name: a.string() }).authorization((allow) => [allow.owner()]),\n  Member: a.model({ teamId: a.id(), team: a.belongsTo('Team', 'teamId') }).authorization((allow) => [allow.owner()]),\n});\nexport const data = defineData({ schema });\n";
        let (titles, out) = quick_fix(DATA_PATH, src, "data/relationship-counterpart");
        assert_eq!(
            titles,
            [
                "Add `members: a.hasMany('Member', 'teamId')` to `Team`",
                "Add `member: a.hasOne('Member', 'teamId')` to `Team`"
            ]
        );
        assert!(
            out.contains(
                "Team: a.model({ name: a.string(), members: a.hasMany('Member', 'teamId') })"
            ),
            "{out}"
        );
        // a reference field that is missing, or misspelt
        let src = "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({\n  Team: a.model({ members: a.hasMany('Member', 'teamID') }).authorization((allow) => [allow.owner()]),\n  Member: a.model({ teamId: a.id(), team: a.belongsTo('Team', 'teamID') }).authorization((allow) => [allow.owner()]),\n});\nexport const data = defineData({ schema });\n";
        let (titles, out) = quick_fix(DATA_PATH, src, "data/relationship-references");
        assert_eq!(
            titles,
            ["Change to 'teamId'", "Add `teamID: a.id()` to `Member`"]
        );
        assert!(out.contains("a.hasMany('Member', 'teamId')"), "{out}");
    }

    #[test]
    fn list_geometry() {
        let style = Style::of("", None);
        // the entries are the `a: 1` texts
        let ins = |src: &str, at_start: bool| {
            let open = src.find('{').expect("open");
            let close = src.rfind('}').expect("close");
            let items: Vec<Span> = src
                .match_indices("a: 1")
                .map(|(i, t)| Span::new(i, i + t.len()))
                .collect();
            apply(
                src,
                &insert_item(src, &style, open, close, &items, at_start, |_| {
                    "n: 1".into()
                }),
            )
        };
        assert_eq!(ins("{}", false), "{ n: 1 }");
        assert_eq!(ins("{ a: 1 }", false), "{ a: 1, n: 1 }");
        assert_eq!(ins("{ a: 1, }", false), "{ a: 1, n: 1, }");
        assert_eq!(ins("{ a: 1 }", true), "{ n: 1, a: 1 }");
        assert_eq!(ins("{\n  a: 1,\n}", false), "{\n  a: 1,\n  n: 1,\n}");
        assert_eq!(ins("{\n  a: 1\n}", false), "{\n  a: 1,\n  n: 1\n}");
        assert_eq!(
            ins("{\n  a: 1, // one\n}", false),
            "{\n  a: 1, // one\n  n: 1,\n}"
        );
        assert_eq!(
            ins("{\n  a: 1 // one\n}", false),
            "{\n  a: 1, // one\n  n: 1\n}"
        );
        assert_eq!(ins("{\n  a: 1,\n}", true), "{\n  n: 1,\n  a: 1,\n}");
        assert_eq!(ins("{\n}", false), "{\n  n: 1,\n}");
        let rm = |src: &str, items: &[&str], remove: &[usize]| {
            let spans: Vec<Span> = items
                .iter()
                .map(|t| {
                    let s = src.find(t).expect("item");
                    Span::new(s, s + t.len())
                })
                .collect();
            let open = src.find('[').expect("open");
            let close = src.rfind(']').expect("close");
            apply(src, &remove_items(src, open, close, &spans, remove))
        };
        assert_eq!(rm("[a, b, c]", &["a", "b", "c"], &[1]), "[a, c]");
        assert_eq!(rm("[a, b, c]", &["a", "b", "c"], &[2]), "[a, b]");
        assert_eq!(rm("[a, b, c]", &["a", "b", "c"], &[0, 1]), "[c]");
        assert_eq!(rm("[a, b, c]", &["a", "b", "c"], &[1, 2]), "[a]");
        assert_eq!(rm("[\n  a,\n  b,\n]", &["a", "b"], &[1]), "[\n  a,\n]");
        assert_eq!(rm("[\n  a,\n  b\n]", &["a", "b"], &[1]), "[\n  a\n]");
        assert_eq!(
            rm(
                "[\n  a,\n  // about b\n  b,\n  c,\n]",
                &["a", "b,", "c"],
                &[1]
            ),
            "[\n  a,\n  c,\n]"
        );
    }

    #[test]
    fn style_detection() {
        let s = Style::of("import { a } from \"x\"\nconst y = {\n\tb: 1\n}\n", None);
        assert_eq!(s.unit, "\t");
        assert!(!s.trailing);
        let s = Style::of(
            "/**\n * doc\n */\nconst y = {\n    b: 1,\n    c: [\n        1,\n    ],\n};\r\n",
            None,
        );
        assert_eq!(s.unit, "    ");
        assert!(s.trailing);
        assert_eq!(s.eol, "\r\n");
        assert!(s.semi);
    }

    #[test]
    fn backend_wiring_keeps_the_backend_style() {
        let text = "import { defineBackend } from \"@aws-amplify/backend\"\nimport { data } from \"./data/resource\"\n\ndefineBackend({ data })\n";
        let out = apply(
            text,
            &wire_into_backend(text, "fn1", "./functions/fn1/resource", false).expect("edits"),
        );
        assert_eq!(out, "import { defineBackend } from \"@aws-amplify/backend\"\nimport { data } from \"./data/resource\"\nimport { fn1 } from \"./functions/fn1/resource\"\n\ndefineBackend({ data, fn1 })\n");
        assert!(wire_into_backend("const x = 1;\n", "fn1", "./f", false).is_none());
    }

    #[test]
    fn a_conflicting_owner_field_keeps_its_model_out() {
        let src = "import { a, defineData } from '@aws-amplify/backend';
const schema = a.schema({
  A: a.model({ owner: a.integer() }).authorization((allow) => [allow.publicApiKey()]),
  B: a.model({ owner: a.string() }).authorization((allow) => [allow.publicApiKey()]),
});
export const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'apiKey', apiKeyAuthorizationMode: { expiresInDays: 30 } } });
";
        let out = owner_all_text(src);
        assert!(out.contains("A: a.model({ owner: a.integer() }).authorization((allow) => [allow.publicApiKey()])"), "{out}");
        assert!(
            out.contains(
                "B: a.model({ owner: a.string() }).authorization((allow) => [allow.owner()])"
            ),
            "{out}"
        );
        // A keeps its API key
        assert!(out.contains("defaultAuthorizationMode: 'userPool', apiKeyAuthorizationMode: { expiresInDays: 30 }"), "{out}");
    }

    #[test]
    fn backend_entries_reuse_an_existing_import() {
        let backend = Path::new("/p/amplify/backend.ts");
        let res = Path::new("/p/amplify/storage/resource.ts");
        let run = |text: &str| {
            backend_entry_edits(text, backend, res, "storage", "./storage/resource")
                .map(|e| apply(text, &e))
        };
        assert_eq!(
            run("import { defineBackend } from '@aws-amplify/backend';\nimport { storage } from './storage/resource';\ndefineBackend({\n  auth,\n});\n").as_deref(),
            Some("import { defineBackend } from '@aws-amplify/backend';\nimport { storage } from './storage/resource';\ndefineBackend({\n  auth,\n  storage,\n});\n")
        );
        assert_eq!(
            run("import { storage as s } from './storage/resource.ts';\ndefineBackend({ auth });\n").as_deref(),
            Some("import { storage as s } from './storage/resource.ts';\ndefineBackend({ auth, storage: s });\n")
        );
        // not imported: import and pass it
        assert_eq!(
            run("import { auth } from './auth/resource';\ndefineBackend({ auth });\n").as_deref(),
            Some("import { auth } from './auth/resource';\nimport { storage } from './storage/resource';\ndefineBackend({ auth, storage });\n")
        );
        // the name is taken by something else: the entry takes a free name
        assert_eq!(
            run("import { storage } from './other';\ndefineBackend({ auth, storage });\n").as_deref(),
            Some("import { storage } from './other';\nimport { storage as storage2 } from './storage/resource';\ndefineBackend({ auth, storage, storage2 });\n")
        );
        assert_eq!(
            run("const storage2 = 1;\ndefineBackend({ auth, storage: x });\n").as_deref(),
            Some("import { storage as storage3 } from './storage/resource';\nconst storage2 = 1;\ndefineBackend({ auth, storage: x, storage3 });\n")
        );
        // imported, but its name is a key already
        assert_eq!(
            run("import { storage as s } from './storage/resource';\ndefineBackend({ storage: x });\n").as_deref(),
            Some("import { storage as s } from './storage/resource';\ndefineBackend({ storage: x, storage2: s });\n")
        );
    }
}
