//! Data rules (`defineData` and the `a.schema` builder): the checks the data-schema library and the GraphQL
//! transformers run before deploying, decided from the schema model (`model::schema`) and the project facts.
//!
//! Nothing is guessed: a name is "missing" only when every type of the schema is known, rules that could not
//! be read count as present, and project-wide rules (providers, auth) stay silent when the project facts are
//! incomplete. Behaviours confirmed with the amplify-synth tool are noted where they are surprising.

use std::collections::HashSet;
use std::net::Ipv4Addr;
use std::path::{Component, Path, PathBuf};

mod conflicts;
mod sql;

use super::per_entry;
use super::validators;
use super::RuleCtx;
use crate::analysis::{Diagnostic, Related, Severity};
use crate::model::catalog::schema::{NUMERIC_VALIDATORS, STRING_VALIDATORS};
use crate::model::file::{DefineKind, FileModel};
use crate::model::project::ProjectFacts;
use crate::model::schema::{
    schema_of, EnumDef, Field, FieldKind, Fields, HandlerKind, Model, OpKind, Operation, RefTarget,
    RelKind, Rule, Rules, Schema, TypeDef, TypeKind, TypeTag, MAX_NESTING,
};
use crate::model::value::{EntryKey, Kind, Value};
use crate::text::Span;

const DEFAULT_MODE_REQUIRED: &str = "data/default-mode-required";
const USER_POOL_WITHOUT_AUTH: &str = "data/user-pool-without-auth";
const PROVIDER_NOT_CONFIGURED: &str = "data/provider-not-configured";
const MISSING_AUTHORIZATION: &str = "data/missing-authorization";
const IDENTIFIER_NOT_REQUIRED: &str = "data/identifier-not-required";
const DEFAULT_WITHOUT_VALUE: &str = "data/default-without-value";
const UNKNOWN_REF: &str = "data/unknown-ref";
const REF_TO_MODEL: &str = "data/ref-to-model";
const INDEX_KEY_TYPE: &str = "data/index-key-type";
const INDEX_NAME: &str = "data/index-name";
const RELATIONSHIP_COUNTERPART: &str = "data/relationship-counterpart";
const RELATIONSHIP_REFERENCES: &str = "data/relationship-references";
const RELATIONSHIP_REQUIRED: &str = "data/relationship-required";
const OWNER_FIELD_CONFLICT: &str = "data/owner-field-conflict";
const CUSTOM_OP_INCOMPLETE: &str = "data/custom-op-incomplete";
const SUBSCRIPTION_FOR: &str = "data/subscription-for";
const EMPTY_GROUPS: &str = "data/empty-groups";
const DEFAULT_VALUE_TYPE: &str = "data/default-value-type";
const VALIDATE_RULES: &str = "data/validate-rules";
const CONVERSATION_OWNER: &str = "data/conversation-owner";
const AI_CONFIG: &str = "data/ai-config";
const ENTRY_NOT_FOUND: &str = "data/entry-not-found";

/// The type Amplify adds itself when an operation's last handler is `.async()`.
const EVENT_RESPONSE_TYPE: &str = "EventInvocationResponse";

pub fn check(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    // The schema model first: every check below reads it.
    let schema = schema_of(cx.file);
    let mut sink = Sink {
        out,
        seen: HashSet::new(),
    };
    authorization_modes(cx, &mut sink);
    conflicts::legacy_allow(cx.file, &mut sink);
    conflicts::sql_references(cx, &mut sink);
    conflicts::sql_operations(cx.file, &mut sink);
    sql::secrets(cx.file, &mut sink);
    sql::owner_fields(cx, &mut sink);
    sql::rename_models(cx, &mut sink);
    sql::add_model(cx, &mut sink);
    sql::unknown_models(cx, &mut sink);
    if let Some(schema) = schema {
        let c = Check {
            cx,
            schema: &schema,
            context: context_hashes(cx.file, &schema),
        };
        if schema.types().nth(SHARED_FROM_TYPES).is_some() {
            c.run_on_two_threads(&mut sink);
        } else {
            c.run(&mut sink);
        }
    }
}

/// Schemas with more types than this check them on two threads (see [`Check::run_on_two_threads`]).
const SHARED_FROM_TYPES: usize = 128;

/// Collects diagnostics, each (code, range) once.
struct Sink<'o> {
    out: &'o mut Vec<Diagnostic>,
    seen: HashSet<(&'static str, Span)>,
}

impl Sink<'_> {
    fn error(&mut self, span: Span, code: &'static str, message: impl Into<String>) {
        self.push(
            Diagnostic::new(span, Severity::Error, code, message),
            Vec::new(),
        );
    }
    fn error_with(
        &mut self,
        span: Span,
        code: &'static str,
        message: impl Into<String>,
        related: Vec<Related>,
    ) {
        self.push(
            Diagnostic::new(span, Severity::Error, code, message),
            related,
        );
    }
    fn push(&mut self, mut d: Diagnostic, related: Vec<Related>) {
        if self.seen.insert((d.code, d.span)) {
            d.related = related;
            self.out.push(d);
        }
    }
    /// A finding another sink kept, kept here too unless this sink has one with its code and range.
    fn keep(&mut self, d: Diagnostic) {
        if self.seen.insert((d.code, d.span)) {
            self.out.push(d);
        }
    }
}

fn related(span: Span, message: impl Into<String>) -> Related {
    Related {
        uri: None,
        span,
        message: message.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// authorizationModes
// ---------------------------------------------------------------------------------------------

const SINGLE_MODES: &[(&str, &str)] = &[
    ("apiKeyAuthorizationMode", "apiKey"),
    ("lambdaAuthorizationMode", "lambda"),
    ("oidcAuthorizationMode", "oidc"),
];

/// data/default-mode-required and data/user-pool-without-auth. Amplify picks a default mode itself only when
/// `authorizationModes` is absent, or when there is no auth resource and `authorizationModes` has exactly one
/// key, one of the API key / Lambda / OIDC modes (with a truthy value).
fn authorization_modes(cx: &RuleCtx, sink: &mut Sink) {
    for d in cx
        .file
        .defines
        .iter()
        .filter(|d| d.kind == DefineKind::Data)
    {
        let Some(prop) = d.arg.as_ref().and_then(|a| a.get("authorizationModes")) else {
            continue;
        };
        let modes = cx.file.resolve(&prop.value);
        let Some(props) = modes.as_object() else {
            continue;
        };
        if props.iter().any(|p| p.key.is_none()) {
            continue;
        }
        match modes
            .get("defaultAuthorizationMode")
            .map(|p| (p, cx.file.resolve(&p.value)))
        {
            Some((p, v)) if !matches!(v.kind, Kind::Undefined) => {
                if v.as_str() == Some("userPool") && auth_certainly_absent(cx.project) {
                    // With IAM as the only other mode, Amplify quietly makes IAM the default (verified:
                    // accepted); next to an API key, Lambda or OIDC mode the API cannot be built.
                    let other_mode = SINGLE_MODES.iter().any(|(k, _)| {
                        modes
                            .get(k)
                            .is_some_and(|p| !is_falsy_literal(cx.file.resolve(&p.value)))
                    });
                    let (severity, message) = if other_mode {
                        (
                            Severity::Error,
                            "the default mode 'userPool' needs a user pool, but the project has no `defineAuth` \
                             (or `referenceAuth`), so the API cannot be built: add amplify/auth/resource.ts, or \
                             make one of the configured modes the default",
                        )
                    } else {
                        (
                            Severity::Warning,
                            "the project has no `defineAuth` (or `referenceAuth`), so there is no user pool and \
                             Amplify silently uses IAM as the default instead of 'userPool': add \
                             amplify/auth/resource.ts, or write 'iam'",
                        )
                    };
                    sink.push(
                        Diagnostic::new(p.value.span, severity, USER_POOL_WITHOUT_AUTH, message),
                        Vec::new(),
                    );
                }
                continue;
            }
            _ => {}
        }
        let keys: Vec<&str> = props.iter().filter_map(|p| p.key.as_deref()).collect();
        let single = match keys.as_slice() {
            [k] => SINGLE_MODES
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, mode)| *mode),
            _ => None,
        };
        let single_truthy = single.filter(|_| {
            !props
                .first()
                .is_some_and(|p| is_falsy_literal(cx.file.resolve(&p.value)))
        });
        let suggestion = SINGLE_MODES
            .iter()
            .find(|(k, _)| keys.contains(k))
            .map(|(_, m)| *m)
            .unwrap_or(if cx.project.has_auth {
                "userPool"
            } else {
                "iam"
            });
        match single_truthy {
            Some(mode) => {
                if cx.project.complete && cx.project.has_auth {
                    sink.error(
                        prop.key_span,
                        DEFAULT_MODE_REQUIRED,
                        format!(
                            "with an auth resource in the project, Amplify cannot choose the default authorization \
                             mode itself: add `defaultAuthorizationMode: '{mode}'` (or 'userPool')"
                        ),
                    );
                }
            }
            None => sink.error(
                prop.key_span,
                DEFAULT_MODE_REQUIRED,
                format!(
                    "`authorizationModes` needs a `defaultAuthorizationMode` unless it configures exactly one of \
                     the API key, Lambda or OIDC modes and there is no auth resource: add e.g. \
                     `defaultAuthorizationMode: '{suggestion}'`"
                ),
            ),
        }
    }
}

/// No `defineAuth`/`referenceAuth` anywhere in a fully read project. A factory called through a renamed or
/// namespace import is not recognised as auth, so a project that imports something from an
/// `auth/resource` module is given the benefit of the doubt.
fn auth_certainly_absent(p: &ProjectFacts) -> bool {
    p.complete
        && !p.has_auth
        && !p
            .imported
            .iter()
            .any(|(path, _)| path.ends_with("auth/resource"))
}

fn is_falsy_literal(v: &Value) -> bool {
    match &v.kind {
        Kind::Undefined | Kind::Null => true,
        Kind::Bool(b) => !b,
        Kind::Num(n) => *n == 0.0 || n.is_nan(),
        Kind::Str(s) => s.is_empty(),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// The schema
// ---------------------------------------------------------------------------------------------

struct Check<'a> {
    cx: &'a RuleCtx<'a>,
    schema: &'a Schema,
    /// For each part of the schema, a hash of what the checks of one of its models read besides the types they
    /// look up by name (see [`context_hashes`]); empty when no type is keyed.
    context: Vec<u64>,
}

/// A name looked up in the schema.
enum Lookup<'a> {
    Found(&'a TypeDef),
    /// Certainly not in the schema.
    Missing,
    /// Not found, but the schema is not entirely known.
    Unknown,
}

/// The name under which [`Check::model_checks_kept`] keeps its findings.
const MODEL_CHECKS: &str = "the checks of a data model";

/// What one model's checks found (offsets relative to the model's entry), and what they read besides it.
struct KeptModel {
    reads: Vec<(Box<str>, Read)>,
    found: Vec<Diagnostic>,
}

/// What looking a name up found: what the findings of a kept model depend on besides its own type and
/// [`context_hashes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    Nothing,
    /// A type read from an entry with this key (the same type wherever the entry is).
    Keyed(EntryKey),
    /// A type of this kind, whatever it holds and wherever it is: all a field's `a.ref(...)` needs to know
    /// (the short enums and custom types a large schema refers to are not entries of the lowering cache).
    Tag(TypeTag),
}

impl Read {
    /// `None` for a type that is not keyed (what it holds may come from anywhere in the file).
    fn of(found: Option<&TypeDef>) -> Option<Read> {
        match found {
            None => Some(Read::Nothing),
            Some(t) => t.entry.map(Read::Keyed),
        }
    }
}

/// What the checks of one model read while they are being kept (see [`Check::model_checks_kept`]).
#[derive(Default)]
struct Reads {
    names: Vec<(Box<str>, Read)>,
    /// More was read: the whole schema (the list of its names, every operation), or a type that is not keyed.
    whole: bool,
}

thread_local! {
    /// Set while the checks of one model run on this thread to be kept.
    static READS: std::cell::RefCell<Option<Reads>> = const { std::cell::RefCell::new(None) };
}

/// Notes what one model's checks read (see [`READS`]) from [`Noting::start`] to [`Noting::finish`], and puts
/// back what was being noted before, also when a check panics: a worker thread that caught the panic must not
/// go on noting names for nothing.
struct Noting(Option<Option<Reads>>);

impl Noting {
    fn start() -> Noting {
        Noting(Some(READS.with(|r| r.replace(Some(Reads::default())))))
    }

    fn finish(mut self) -> Reads {
        let outer = self.0.take().unwrap_or_default();
        READS.with(|r| r.replace(outer)).unwrap_or_default()
    }
}

impl Drop for Noting {
    fn drop(&mut self) {
        if let Some(outer) = self.0.take() {
            READS.with(|r| r.replace(outer));
        }
    }
}

/// Notes, while a model's checks are being kept, that they read the whole schema: they are not kept.
fn note_whole_schema() {
    READS.with(|r| {
        if let Some(r) = r.borrow_mut().as_mut() {
            r.whole = true;
        }
    });
}

/// For each part of the schema, a hash of what the checks of one of its models read besides its own type and
/// the types they look up by name: the names the `a` builder goes by (with an entry's text, they decide its
/// type), whether the whole schema was read, the part's index and its own rules (which a model without rules
/// inherits). Empty when no type is keyed.
fn context_hashes(file: &FileModel, schema: &Schema) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    if !schema.types().any(|t| t.entry.is_some()) {
        return Vec::new();
    }
    let names = crate::model::schema::builder_names_hash(file);
    schema
        .parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (names, schema.complete(), i, part.rules_hash()).hash(&mut h);
            h.finish()
        })
        .collect()
}

/// Where a field sits, which decides what it may reference and which directives apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Site {
    ModelField,
    /// A field of a custom type (top-level or inline); `in_args` when it is part of an operation's arguments.
    TypeField {
        in_args: bool,
    },
    Argument,
    Returns,
}

/// The parts of [`Check::run`], in the order their findings are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Missing authorization, enums.
    First,
    Fields,
    /// The checks of each model (identifier, relationships, indexes, owner fields), of the models at these
    /// positions among the schema's models.
    Models(usize, usize),
    /// Custom operations, conversations, groups, providers, handler entries.
    Operations,
    Conflicts,
}

impl<'a> Check<'a> {
    fn run(&self, sink: &mut Sink) {
        for phase in [
            Phase::First,
            Phase::Fields,
            Phase::Models(0, usize::MAX),
            Phase::Operations,
            Phase::Conflicts,
        ] {
            self.phase(phase, sink);
        }
    }

    fn phase(&self, phase: Phase, sink: &mut Sink) {
        match phase {
            Phase::First => {
                self.missing_authorization(sink);
                self.enums(sink);
            }
            Phase::Fields => self.fields(sink),
            Phase::Models(from, to) => {
                for (t, m) in self.schema.models().take(to).skip(from) {
                    self.model_checks_kept(t, m, sink);
                }
            }
            Phase::Operations => {
                self.operations(sink);
                self.conversations(sink);
                self.groups(sink);
                self.providers(sink);
                self.entries(sink);
            }
            Phase::Conflicts => self.conflicts(sink),
        }
    }

    /// [`Check::run`] with its parts shared by this thread and a second one, each taking the next part not
    /// taken yet, the longest first; the findings are kept in the order [`Check::run`] reports them, each (code,
    /// range) once as there. When the data rules run beside the other rule modules (see
    /// `analysis::diagnostics::run_rules`), the other modules finish first, while this thread reads the schema:
    /// the two threads then share what is left. When no thread can be started, this thread does it all.
    fn run_on_two_threads(&self, sink: &mut Sink) {
        let half = self.schema.models().count() / 2;
        // the order of the report
        let parts = [
            Phase::First,
            Phase::Fields,
            Phase::Models(0, half),
            Phase::Models(half, usize::MAX),
            Phase::Operations,
            Phase::Conflicts,
        ];
        // the order in which they are taken: the longest first (profiled on a schema of 1,000 models)
        let by_cost = [2, 3, 1, 5, 4, 0];
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || {
            let mut done: Vec<(usize, Vec<Diagnostic>)> = Vec::new();
            loop {
                let taken = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&i) = by_cost.get(taken) else {
                    return done;
                };
                let mut found = Vec::new();
                self.phase(
                    parts[i],
                    &mut Sink {
                        out: &mut found,
                        seen: HashSet::new(),
                    },
                );
                done.push((i, found));
            }
        };
        let token = crate::cancel::current();
        let mut found: Vec<Vec<Diagnostic>> = vec![Vec::new(); parts.len()];
        std::thread::scope(|s| {
            let helper = std::thread::Builder::new()
                .name("amplify-lsp-data".into())
                .spawn_scoped(s, || crate::cancel::with_current(&token, work));
            let mine = work();
            let theirs = match helper.map(|h| h.join()) {
                Ok(Ok(theirs)) => theirs,
                // a panic there is this check's panic, as it would be on one thread
                Ok(Err(panic)) => std::panic::resume_unwind(panic),
                // not started: every part was taken by this thread
                Err(_) => Vec::new(),
            };
            for (i, f) in mine.into_iter().chain(theirs) {
                found[i] = f;
            }
        });
        for d in found.into_iter().flatten() {
            sink.keep(d);
        }
    }

    /// The checks of one model: its fields, identifier, relationships, indexes, owner fields.
    fn model_checks(&self, t: &'a TypeDef, m: &'a Model, sink: &mut Sink) {
        self.model_fields(m, sink);
        self.identifier(m, sink);
        self.relationships(t, m, sink);
        self.indexes(m, sink);
        self.owner_fields(t, m, sink);
        self.model_rule_operations(m, sink);
    }

    /// [`Check::model_checks`], with the findings kept per model for the next versions of the file (see
    /// [`crate::model::memo`]). They depend on the model's own type ([`TypeDef::entry`]), on what
    /// [`context_hashes`] covers, and on the types the checks looked up by name ([`Reads`]); nothing else of the
    /// schema or the project may be read by them. A keystroke in one model re-checks that model and those that
    /// looked up its name; the others' findings are the kept ones, moved to where each model is now. A model is
    /// checked every time when its checks read more (the whole schema for a name suggestion, or a type that is not
    /// keyed), or found something outside the model.
    fn model_checks_kept(&self, t: &'a TypeDef, m: &'a Model, sink: &mut Sink) {
        let (Some(&salt), Some(key)) = (self.context.get(t.part), t.entry) else {
            return self.model_checks(t, m, sink);
        };
        let lowered = &self.cx.file.lowered;
        let kept = lowered
            .entry_memo
            .open(lowered.generation())
            .get::<KeptModel>(MODEL_CHECKS, key, salt);
        if let Some(kept) = kept.filter(|k| self.still_reads(&k.reads)) {
            for d in &kept.found {
                sink.keep(per_entry::moved(d, t.name_span.start, true));
            }
            return;
        }
        #[cfg(test)]
        tests::MODELS_CHECKED.with(|c| c.set(c.get() + 1));
        let noting = Noting::start();
        let mut found = Vec::new();
        self.model_checks(
            t,
            m,
            &mut Sink {
                out: &mut found,
                seen: HashSet::new(),
            },
        );
        let reads = noting.finish();
        let entry = Span::new(t.name_span.start, t.span.end);
        if let Some(relative) = per_entry::relative(&found, entry).filter(|_| !reads.whole) {
            lowered.entry_memo.open(lowered.generation()).put(
                MODEL_CHECKS,
                key,
                salt,
                KeptModel {
                    reads: reads.names,
                    found: relative,
                },
            );
        }
        for d in found {
            sink.keep(d);
        }
    }

    /// Whether each name looked up still finds what it found (see [`Reads`]).
    fn still_reads(&self, reads: &[(Box<str>, Read)]) -> bool {
        reads.iter().all(|(name, read)| {
            let found = self.schema.get(name);
            match read {
                Read::Tag(tag) => found.map(TypeDef::tag) == Some(*tag),
                _ => Read::of(found) == Some(*read),
            }
        })
    }

    /// The type named `name` (the first of that name), noted when a model's checks are being kept.
    fn get(&self, name: &str) -> Option<&'a TypeDef> {
        self.get_noting(name, false)
    }

    /// [`Check::get`]; `tag_only` when the caller reads nothing of the type but its kind (and its name's place
    /// in a finding, which is then outside the model and not kept).
    fn get_noting(&self, name: &str, tag_only: bool) -> Option<&'a TypeDef> {
        let found = self.schema.get(name);
        READS.with(|r| {
            if let Some(r) = r.borrow_mut().as_mut() {
                let read = match found {
                    Some(t) if tag_only => Some(Read::Tag(t.tag())),
                    _ => Read::of(found),
                };
                match read {
                    Some(read) => r.names.push((name.into(), read)),
                    None => r.whole = true,
                }
            }
        });
        found
    }

    /// [`FileModel::resolve`], noting a read of more than the checked model when `v` names a binding (its
    /// value is elsewhere in the file: a model whose checks read one is checked every time).
    fn resolve<'v>(&self, v: &'v Value) -> &'v Value
    where
        'a: 'v,
    {
        if matches!(v.kind, Kind::Ident(_)) {
            note_whole_schema();
        }
        self.cx.file.resolve(v)
    }

    fn lookup(&self, name: &str) -> Lookup<'a> {
        self.lookup_noting(name, false)
    }

    /// [`Check::lookup`], noting only the kind of the type found when `tag_only` (see [`Check::get_noting`]).
    fn lookup_noting(&self, name: &str, tag_only: bool) -> Lookup<'a> {
        if let Some(t) = self.get_noting(name, tag_only) {
            return Lookup::Found(t);
        }
        let async_type = name == EVENT_RESPONSE_TYPE
            && self.operations_iter().any(|(_, op)| {
                op.handlers
                    .as_ref()
                    .is_none_or(|h| !h.complete || h.items.last().is_some_and(|x| x.is_async))
            });
        if self.schema.complete() && !async_type {
            Lookup::Missing
        } else {
            Lookup::Unknown
        }
    }

    fn operations_iter(&self) -> impl Iterator<Item = (&'a TypeDef, &'a Operation)> {
        note_whole_schema();
        self.schema.types().filter_map(|t| match &t.kind {
            TypeKind::Operation(op) => Some((t, &**op)),
            _ => None,
        })
    }

    /// Whether the schema-level rules of a part hold at least one rule that models and operations inherit
    /// (`allow.resource` rules do not count); None when unknown.
    fn schema_rules(&self, part: usize) -> Option<bool> {
        match self.schema.parts.get(part).and_then(|p| p.rules.as_ref()) {
            None => Some(false),
            Some(r) => {
                if r.rules.iter().any(|x| x.name != "resource") {
                    Some(true)
                } else if r.complete {
                    Some(false)
                } else {
                    None
                }
            }
        }
    }

    /// The rules a model or operation ends up with: its own when it has some (or may have), else the schema's.
    fn effective_rules(&self, own: Option<&'a Rules>, part: usize) -> Vec<&'a Rule> {
        match own {
            Some(r) if r.non_empty() != Some(false) => r.rules.iter().collect(),
            _ => self
                .schema
                .parts
                .get(part)
                .and_then(|p| p.rules.as_ref())
                .map(|r| r.rules.iter().filter(|x| x.name != "resource").collect())
                .unwrap_or_default(),
        }
    }

    /// Whether a model or operation has authorization rules, own or inherited; None when unknown.
    fn has_rules(&self, own: Option<&Rules>, part: usize) -> Option<bool> {
        match own.map(Rules::non_empty) {
            Some(Some(true)) => Some(true),
            Some(None) => None,
            _ => self.schema_rules(part),
        }
    }

    // --- data/missing-authorization ---

    fn missing_authorization(&self, sink: &mut Sink) {
        for (t, m) in self.schema.models() {
            if self.has_rules(m.rules.as_ref(), t.part) != Some(false) {
                continue;
            }
            let only_resource = self.schema.parts[t.part]
                .rules
                .as_ref()
                .is_some_and(|r| !r.rules.is_empty());
            let extra = if only_resource {
                " (`allow.resource(...)` rules of the schema do not count)"
            } else {
                ""
            };
            sink.error(
                t.name_span,
                MISSING_AUTHORIZATION,
                format!(
                    "model `{}` has no authorization rules and none to inherit from the schema{extra}: add \
                     `.authorization((allow) => [allow.owner()])` (or another rule) to the model or to `a.schema(...)`",
                    t.name
                ),
            );
        }
    }

    // --- data/enum-whitespace ---

    fn enums(&self, sink: &mut Sink) {
        let mut enums = Vec::new();
        for t in self.schema.types() {
            if let TypeKind::Enum(e) = &t.kind {
                enums.push(e);
            }
        }
        // (the inline enums of model fields are checked with the model's fields: see `model_fields`)
        for (f, _) in self.fields_outside_models() {
            if let FieldKind::Enum(e) = &f.kind {
                enums.push(e);
            }
        }
        for e in enums {
            enum_values(e, sink);
        }
    }

    // --- every field: refs, defaults, validation ---

    /// Every field of the schema outside its models with where it sits (custom types, inline custom types,
    /// operation arguments and return types). A model's fields are checked with the model's other checks, and
    /// kept with them (see `model_fields`).
    fn fields_outside_models(&self) -> Vec<(&'a Field, Site)> {
        let mut out = Vec::new();
        for t in self.schema.types() {
            match &t.kind {
                TypeKind::CustomType(fs) => {
                    walk(fs, Site::TypeField { in_args: false }, 0, &mut out)
                }
                TypeKind::Operation(op) => {
                    if let Some(args) = &op.arguments {
                        walk(args, Site::Argument, 0, &mut out);
                    }
                    if let Some(r) = &op.returns {
                        walk_field(&r.field, Site::Returns, 0, &mut out);
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn fields(&self, sink: &mut Sink) {
        for (f, site) in self.fields_outside_models() {
            self.field(f, site, sink);
        }
    }

    /// The checks of one model's fields (and of the inline types and enums in them): data/enum-whitespace of
    /// an inline enum, and [`Check::field`]'s.
    fn model_fields(&self, m: &'a Model, sink: &mut Sink) {
        let mut fields = Vec::new();
        walk(&m.fields, Site::ModelField, 0, &mut fields);
        for (f, site) in fields {
            if let FieldKind::Enum(e) = &f.kind {
                enum_values(e, sink);
            }
            self.field(f, site, sink);
        }
    }

    /// The checks of one field: data/unknown-ref and data/ref-to-model, the defaults', data/validate-rules.
    fn field(&self, f: &'a Field, site: Site, sink: &mut Sink) {
        if let FieldKind::Ref(r) = &f.kind {
            self.field_ref(r, site, sink);
        }
        self.default(f, site, sink);
        self.validate(f, site, sink);
    }

    /// data/unknown-ref and data/ref-to-model for `a.ref(...)` fields.
    fn field_ref(&self, r: &RefTarget, site: Site, sink: &mut Sink) {
        let Some(name) = &r.name else {
            return;
        };
        // (what is found decides by its kind alone; its name's place is only in findings about another type)
        match self.lookup_noting(name, true) {
            Lookup::Missing => self.unknown_ref(name, r.name_span, &self.type_candidates(false), sink),
            Lookup::Unknown => {}
            Lookup::Found(t) => match (t.tag(), site) {
                (TypeTag::Model, Site::ModelField) => sink.error_with(
                    r.name_span,
                    REF_TO_MODEL,
                    format!(
                        "a model field cannot use `a.ref('{name}')` to point to the model `{name}`: link the models \
                         with a relationship instead, e.g. `a.belongsTo('{name}', '{}Id')` next to a `{}Id: a.id()` \
                         field",
                        lower_first(name),
                        lower_first(name)
                    ),
                    vec![related(t.name_span, format!("`{name}` is a model"))],
                ),
                (TypeTag::Model, Site::TypeField { in_args: false }) => sink.error_with(
                    r.name_span,
                    REF_TO_MODEL,
                    format!(
                        "a custom type cannot reference the model `{name}`: reference a custom type or an enum \
                         instead, or make this a model with a relationship to `{name}`"
                    ),
                    vec![related(t.name_span, format!("`{name}` is a model"))],
                ),
                (TypeTag::Model, Site::Argument | Site::TypeField { in_args: true }) => sink.error_with(
                    r.name_span,
                    REF_TO_MODEL,
                    format!(
                        "operation arguments may only reference custom types and enums, not the model `{name}`: \
                         declare an input type such as `{name}Input: a.customType({{...}})` and reference that"
                    ),
                    vec![related(t.name_span, format!("`{name}` is a model"))],
                ),
                (TypeTag::Conversation, _) => sink.error_with(
                    r.name_span,
                    UNKNOWN_REF,
                    format!("`{name}` is a conversation and cannot be referenced: reference a model, custom type or enum"),
                    vec![related(t.name_span, format!("`{name}` is defined here"))],
                ),
                _ => {}
            },
        }
    }

    fn unknown_ref(&self, name: &str, span: Span, candidates: &[&str], sink: &mut Sink) {
        let hint = match validators::did_you_mean(name, candidates) {
            Some(c) => format!(": did you mean `{c}`?"),
            None if candidates.is_empty() => ": define it in `a.schema({...})`".to_string(),
            None => format!(
                ": define it in `a.schema({{...}})` or use one of {}",
                list(candidates, 6)
            ),
        };
        sink.error(
            span,
            UNKNOWN_REF,
            format!("the schema has no type named `{name}`{hint}"),
        );
    }

    /// Names a ref may point to (models only, for relationships).
    fn type_candidates(&self, models_only: bool) -> Vec<&'a str> {
        note_whole_schema();
        self.schema
            .types()
            .filter(|t| match t.tag() {
                TypeTag::Model => true,
                TypeTag::CustomType | TypeTag::Enum => !models_only,
                _ => false,
            })
            .map(|t| t.name.as_str())
            .collect()
    }

    /// data/default-without-value and data/default-value-type.
    fn default(&self, f: &Field, site: Site, sink: &mut Sink) {
        let Some(d) = &f.default else {
            return;
        };
        if site == Site::Argument || site == Site::Returns {
            return;
        }
        let Some(value) = &d.value else {
            sink.error(
                d.span,
                DEFAULT_WITHOUT_VALUE,
                "`.default()` without a value asks the database to generate the value, which only PostgreSQL \
                 schemas support: pass the default, e.g. `.default(0)`, or remove it",
            );
            return;
        };
        let FieldKind::Scalar { graphql, factory } = &f.kind else {
            return;
        };
        if site != Site::ModelField {
            if site == (Site::TypeField { in_args: false }) {
                sink.error(
                    d.span,
                    DEFAULT_VALUE_TYPE,
                    "default values only work on model fields, not on custom-type fields: remove `.default(...)` \
                     and set the value where the object is created",
                );
            }
            return;
        }
        if f.array {
            sink.error(
                d.span,
                DEFAULT_VALUE_TYPE,
                "a list field cannot have a default value: remove `.default(...)` or drop `.array()`",
            );
            return;
        }
        // a whole number reads as digits, which every number and string type takes (no string made: most
        // defaults in a large schema)
        if let Kind::Num(n) = value.kind {
            if n.fract() == 0.0
                && n.abs() < 1e15
                && matches!(*graphql, "Int" | "AWSTimestamp" | "Float" | "ID" | "String")
            {
                return;
            }
        }
        let Some(text) = js_string(value) else {
            return;
        };
        if default_ok(graphql, &text) == Some(false) {
            sink.error(
                value.span,
                DEFAULT_VALUE_TYPE,
                format!(
                    "`{}` is not a valid {graphql} value for this `a.{factory}()` field: use {}",
                    short(&text),
                    example_value(graphql)
                ),
            );
        }
    }

    /// data/validate-rules.
    fn validate(&self, f: &Field, site: Site, sink: &mut Sink) {
        let Some(v) = &f.validate else {
            return;
        };
        match site {
            Site::ModelField => {}
            Site::TypeField { in_args: false } => {
                sink.error(
                    v.name_span,
                    VALIDATE_RULES,
                    "`.validate(...)` only works on model fields, not on custom-type fields: move the check into a \
                     model or into your handler",
                );
                return;
            }
            _ => return,
        }
        let FieldKind::Scalar { graphql, factory } = &f.kind else {
            return;
        };
        if f.array {
            sink.error(
                v.name_span,
                VALIDATE_RULES,
                "`.validate(...)` cannot be used on a list field: remove it, or validate the items in your own code",
            );
            return;
        }
        let mut seen: Vec<(&str, Span)> = Vec::new();
        for call in &v.calls {
            let name = call.name.as_str();
            let numeric = NUMERIC_VALIDATORS.contains(&name);
            let string = STRING_VALIDATORS.contains(&name);
            if !numeric && !string {
                continue;
            }
            if numeric && !matches!(*graphql, "Int" | "Float") {
                sink.error(
                    call.name_span,
                    VALIDATE_RULES,
                    format!(
                        "`{name}` only works on `a.integer()` and `a.float()` fields, and this is `a.{factory}()`: \
                         use a string check such as `minLength` or remove it"
                    ),
                );
                continue;
            }
            if string && *graphql != "String" {
                sink.error(
                    call.name_span,
                    VALIDATE_RULES,
                    format!(
                        "`{name}` only works on `a.string()` fields, and this is `a.{factory}()`: remove it{}",
                        if matches!(*graphql, "Int" | "Float") {
                            " or use a numeric check such as `gte`"
                        } else {
                            ""
                        }
                    ),
                );
                continue;
            }
            let kind = match name {
                "positive" => "gt",
                "negative" => "lt",
                n => n,
            };
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == kind) {
                sink.error_with(
                    call.name_span,
                    VALIDATE_RULES,
                    format!("this field already has a `{kind}` check: keep only one of them"),
                    vec![related(*first, "the first one")],
                );
                continue;
            }
            seen.push((kind, call.name_span));
            let arg = call.args.first();
            match name {
                "minLength" | "maxLength" => match arg.map(|a| (a, self.resolve(a))) {
                    None => sink.error(
                        call.name_span,
                        VALIDATE_RULES,
                        format!("`{name}` needs a length: write e.g. `{name}(1)`"),
                    ),
                    Some((a, v)) => {
                        // (`parseInt(String(v))`; a whole number reads back as itself, with no string made: most
                        // lengths in a large schema)
                        let parsed = match &v.kind {
                            Kind::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(Some(*n)),
                            Kind::Num(_) | Kind::Str(_) => js_string(v).map(|t| js_parse_int(&t)),
                            _ => None,
                        };
                        if let Some(n) = parsed {
                            if n.is_none_or(|n| n < 0.0) {
                                sink.error(
                                    a.span,
                                    VALIDATE_RULES,
                                    format!("`{name}` takes a length of zero or more: write e.g. `{name}(1)`"),
                                );
                            }
                        }
                    }
                },
                "gt" | "lt" | "gte" | "lte" => {
                    match arg.map(|a| (a, self.resolve(a))) {
                        None => sink.error(
                            call.name_span,
                            VALIDATE_RULES,
                            format!("`{name}` needs a number: write e.g. `{name}(0)`"),
                        ),
                        Some((a, v)) => {
                            if let Some(s) = v.as_str() {
                                if !js_parse_float_ok(s) {
                                    sink.error(
                                    a.span,
                                    VALIDATE_RULES,
                                    format!("`{name}` compares with a number: write e.g. `{name}(0)`"),
                                );
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    // --- data/identifier-not-required ---

    fn identifier(&self, m: &Model, sink: &mut Sink) {
        let Some(ident) = &m.identifier else {
            return;
        };
        for (i, (name, span)) in ident.items.iter().enumerate() {
            let Some(f) = m.field(name) else {
                continue;
            };
            let message = match &f.kind {
                FieldKind::Scalar { graphql, factory } => {
                    let generated = f.default.as_ref().is_some_and(|d| d.value.is_none());
                    // an `a.id()` partition key is made non-null by Amplify; an `a.id()` sort key is not, and the
                    // primary-key transformer rejects it (verified)
                    let id_ok = *graphql == "ID" && i == 0;
                    if f.required || id_ok || generated {
                        continue;
                    }
                    if *graphql == "ID" {
                        format!(
                            "`{name}` is a sort key of the identifier, so it must be required: write \
                             `a.id().required()`"
                        )
                    } else {
                        format!(
                            "`{name}` is part of the identifier, so it must be required: write \
                             `a.{factory}().required()`{}",
                            if i == 0 { " (or use `a.id()`)" } else { "" }
                        )
                    }
                }
                FieldKind::Unknown => continue,
                // Amplify looks for the scalar `required` flag, which refs, enums and the like never have: an
                // enum ref is rejected even with `.required()` (verified)
                _ => format!(
                    "`{name}` is {}, and Amplify only accepts required scalar fields in an identifier: use e.g. \
                     `a.string().required()` or `a.id()`",
                    field_kind_label(f)
                ),
            };
            sink.error_with(
                f.name_span,
                IDENTIFIER_NOT_REQUIRED,
                message,
                vec![related(*span, "used in the identifier here")],
            );
        }
    }

    // --- relationships ---

    fn relationships(&self, t: &'a TypeDef, m: &'a Model, sink: &mut Sink) {
        for f in &m.fields.items {
            let FieldKind::Relationship(rel) = &f.kind else {
                continue;
            };
            // data/relationship-required (verified: the transformer rejects both)
            let required = match rel.kind {
                RelKind::HasOne => f.modifier("required"),
                RelKind::HasMany => f.modifier("valueRequired"),
                RelKind::BelongsTo => None,
            };
            if let Some(md) = required {
                sink.error(
                    md.span,
                    RELATIONSHIP_REQUIRED,
                    format!(
                        "`{}` relationships cannot be required: remove `.{}()` (make the reference fields required \
                         instead)",
                        rel.kind.name(),
                        md.name
                    ),
                );
            }
            let Some(target) = &rel.target else {
                continue;
            };
            let other = match self.lookup(target) {
                Lookup::Missing => {
                    self.unknown_ref(target, rel.target_span, &self.type_candidates(true), sink);
                    continue;
                }
                Lookup::Unknown => continue,
                Lookup::Found(o) => o,
            };
            let other_model = match &other.kind {
                TypeKind::Model(om) => om,
                TypeKind::Unknown => continue,
                _ => {
                    sink.error_with(
                        rel.target_span,
                        UNKNOWN_REF,
                        format!(
                            "`{target}` is {}, but relationships can only point to models",
                            other.tag().label()
                        ),
                        vec![related(
                            other.name_span,
                            format!("`{target}` is defined here"),
                        )],
                    );
                    continue;
                }
            };
            let Some(refs) = &rel.references else {
                continue;
            };
            let wanted: &[RelKind] = match rel.kind {
                RelKind::HasOne | RelKind::HasMany => &[RelKind::BelongsTo],
                RelKind::BelongsTo => &[RelKind::HasOne, RelKind::HasMany],
            };
            let mut uncertain = !other_model.fields.complete;
            let mut candidates: Vec<&Field> = Vec::new();
            // a counterpart whose target name is misspelt (reported as an unknown ref on its own)
            let mut misspelt: Option<(&Field, &str)> = None;
            for g in &other_model.fields.items {
                match &g.kind {
                    FieldKind::Relationship(r2) if wanted.contains(&r2.kind) => {
                        match (&r2.target, &r2.references) {
                            (Some(tt), Some(rr)) => {
                                if *tt == t.name
                                    && same_names(rr.items.as_slice(), refs.items.as_slice())
                                {
                                    candidates.push(g);
                                } else if self.get(tt).is_none()
                                    && same_names(rr.items.as_slice(), refs.items.as_slice())
                                {
                                    misspelt = Some((g, tt.as_str()));
                                }
                            }
                            _ => uncertain = true,
                        }
                    }
                    FieldKind::Unknown => uncertain = true,
                    _ => {}
                }
            }
            let refs_text = names_literal(&refs.items);
            if candidates.len() > 1 {
                let rel_ = candidates
                    .iter()
                    .map(|c| related(c.name_span, format!("`{target}.{}` matches", c.name)))
                    .collect();
                sink.error_with(
                    rel.call_span,
                    RELATIONSHIP_COUNTERPART,
                    format!(
                        "this relationship has {} counterparts in `{target}` with the references {refs_text}: \
                         each relationship needs exactly one; give the others their own reference fields",
                        candidates.len()
                    ),
                    rel_,
                );
                continue;
            }
            if uncertain {
                continue;
            }
            if candidates.is_empty() {
                // a name the target model does not use yet
                let fix = match rel.kind {
                    RelKind::HasOne | RelKind::HasMany => format!(
                        "add `{}: a.belongsTo('{}', {refs_text})` to `{target}`",
                        other_model.free_field_name(&lower_first(&t.name)),
                        t.name
                    ),
                    RelKind::BelongsTo => format!(
                        "add e.g. `{}: a.hasMany('{}', {refs_text})` to `{target}`",
                        other_model.free_field_name(&plural(&lower_first(&t.name))),
                        t.name
                    ),
                };
                let (fix, rel_) = match misspelt {
                    Some((g, wrong)) => (
                        format!(
                            "`{target}.{}` points to `{wrong}` instead of `{}`",
                            g.name, t.name
                        ),
                        related(
                            g.name_span,
                            format!("`{target}.{}` points to `{wrong}`", g.name),
                        ),
                    ),
                    None => (
                        fix,
                        related(other.name_span, format!("`{target}` is defined here")),
                    ),
                };
                sink.error_with(
                    rel.call_span,
                    RELATIONSHIP_COUNTERPART,
                    format!(
                        "relationships must be declared on both models with the same references, and `{target}` has \
                         no matching {}: {fix}",
                        match rel.kind {
                            RelKind::BelongsTo => "`hasOne`/`hasMany`",
                            _ => "`belongsTo`",
                        }
                    ),
                    vec![rel_],
                );
                continue;
            }
            let (parent, child) = match rel.kind {
                RelKind::HasOne | RelKind::HasMany => ((t, m), (other, other_model)),
                RelKind::BelongsTo => ((other, other_model), (t, m)),
            };
            self.references(parent, child, refs, sink);
        }
    }

    /// data/relationship-references, from one side of a relationship whose counterpart was found.
    fn references(
        &self,
        (pt, pm): (&TypeDef, &Model),
        (ct, cm): (&TypeDef, &Model),
        refs: &crate::model::schema::Names,
        sink: &mut Sink,
    ) {
        // every reference must be a scalar field of the child
        let mut child_fields: Vec<&Field> = Vec::new();
        let mut ok = true;
        for (name, span) in &refs.items {
            match cm.field(name) {
                None => {
                    ok = false;
                    if !cm.fields.complete {
                        continue;
                    }
                    let scalars: Vec<&str> = cm
                        .fields
                        .items
                        .iter()
                        .filter(|f| matches!(f.kind, FieldKind::Scalar { .. }))
                        .map(|f| f.name.as_str())
                        .collect();
                    let hint = match validators::did_you_mean(name, &scalars) {
                        Some(c) => format!(": did you mean `{c}`?"),
                        None => format!(": add `{name}: a.id()` to `{}`", ct.name),
                    };
                    sink.error_with(
                        *span,
                        RELATIONSHIP_REFERENCES,
                        format!(
                            "the reference field `{name}` is not a field of `{}`{hint}",
                            ct.name
                        ),
                        vec![related(
                            ct.name_span,
                            format!("`{}` is defined here", ct.name),
                        )],
                    );
                }
                Some(f) => match &f.kind {
                    FieldKind::Scalar { .. } => child_fields.push(f),
                    FieldKind::Unknown => ok = false,
                    _ => {
                        ok = false;
                        sink.error_with(
                            *span,
                            RELATIONSHIP_REFERENCES,
                            format!(
                                "the reference field `{name}` must be a plain scalar field such as `a.id()`, not {}",
                                field_kind_label(f)
                            ),
                            vec![related(f.name_span, format!("`{name}` is declared here"))],
                        );
                    }
                },
            }
        }
        if !ok {
            return;
        }
        // as many references as the parent has identifier fields, of matching types
        let Some(ident) = pm.identifier_names() else {
            return;
        };
        let mut parent_types: Vec<(&str, &str, Span)> = Vec::new();
        for name in &ident {
            match pm.field(name) {
                Some(f) => match f.graphql() {
                    Some(g) => parent_types.push((name, g, f.name_span)),
                    None => return,
                },
                None if *name == "id" => parent_types.push(("id", "ID", pt.name_span)),
                None if !pm.fields.complete => return,
                None => {}
            }
        }
        if parent_types.len() != child_fields.len() {
            let wanted: Vec<String> = parent_types
                .iter()
                .map(|(n, _, _)| format!("'{}{}'", lower_first(&pt.name), upper_first(n)))
                .collect();
            sink.error_with(
                refs.span,
                RELATIONSHIP_REFERENCES,
                format!(
                    "`{}` is identified by {} field{} ({}), so the relationship needs {} reference field{}, e.g. \
                     [{}]",
                    pt.name,
                    parent_types.len(),
                    if parent_types.len() == 1 { "" } else { "s" },
                    parent_types.iter().map(|(n, _, _)| format!("`{n}`")).collect::<Vec<_>>().join(", "),
                    parent_types.len(),
                    if parent_types.len() == 1 { "" } else { "s" },
                    wanted.join(", ")
                ),
                vec![related(pt.name_span, format!("`{}` is defined here", pt.name))],
            );
            return;
        }
        let mut types_ok = true;
        for ((pname, ptype, pspan), cf) in parent_types.iter().zip(&child_fields) {
            let Some(ctype) = cf.graphql() else {
                continue;
            };
            let string_like = |t: &str| t == "ID" || t == "String";
            if ctype == *ptype || (string_like(ctype) && string_like(ptype)) {
                continue;
            }
            types_ok = false;
            sink.error_with(
                cf.name_span,
                RELATIONSHIP_REFERENCES,
                format!(
                    "`{}` is {ctype} but refers to `{}.{pname}`, which is {ptype}: make it `{}`",
                    cf.name,
                    pt.name,
                    factory_for(ptype)
                ),
                vec![related(*pspan, format!("`{}.{pname}` is {ptype}", pt.name))],
            );
        }
        if !types_ok || child_fields.len() < 2 {
            return;
        }
        // composite references share one nullability (the relational transformer)
        if child_fields.iter().any(|f| f.array) {
            return;
        }
        let child_pk = cm
            .identifier_names()
            .and_then(|i| i.first().map(|s| s.to_string()));
        let non_null = |f: &Field| f.required || child_pk.as_deref() == Some(f.name.as_str());
        let first = child_fields[0];
        let first_nn = non_null(first);
        for f in &child_fields[1..] {
            if non_null(f) != first_nn {
                let (is, was) = if first_nn {
                    ("optional", "required")
                } else {
                    ("required", "optional")
                };
                sink.error_with(
                    f.name_span,
                    RELATIONSHIP_REFERENCES,
                    format!(
                        "the reference fields of one relationship must be all required or all optional, and `{}` is \
                         {is} while `{}` is {was}",
                        f.name, first.name
                    ),
                    vec![related(first.name_span, format!("`{}` is {was}", first.name))],
                );
            }
        }
    }

    // --- secondary indexes ---

    fn indexes(&self, m: &Model, sink: &mut Sink) {
        let Some(ix) = &m.indexes else {
            return;
        };
        let mut names: Vec<(&str, Span)> = Vec::new();
        for index in &ix.items {
            if let Some((pk, span)) = &index.pk {
                self.index_key(m, pk, *span, true, sink);
            }
            if let Some(sk) = &index.sort_keys {
                for (k, span) in &sk.items {
                    self.index_key(m, k, *span, false, sink);
                }
            }
            if let Some((Some(name), span)) = &index.name {
                if let Some(f) = validators::index_name(name) {
                    sink.error(*span, f.code, f.message);
                } else if !name.is_empty() {
                    if let Some((_, first)) = names.iter().find(|(n, _)| n == name) {
                        sink.error_with(
                            *span,
                            INDEX_NAME,
                            format!("another index of this model is already named '{name}': choose a different name"),
                            vec![related(*first, "the first index with this name")],
                        );
                    } else {
                        names.push((name, *span));
                    }
                }
            }
        }
    }

    fn index_key(&self, m: &Model, key: &str, span: Span, is_pk: bool, sink: &mut Sink) {
        let Some(f) = m.field(key) else {
            return;
        };
        let role = if is_pk { "partition key" } else { "sort key" };
        match &f.kind {
            FieldKind::Ref(r) => {
                let Some(name) = &r.name else {
                    return;
                };
                match self.lookup(name) {
                    Lookup::Found(t) if t.tag() == TypeTag::Enum => {}
                    Lookup::Found(t) if t.tag() != TypeTag::Unknown => {
                        sink.error_with(
                            span,
                            INDEX_KEY_TYPE,
                            format!(
                                "`{key}` refers to {} `{name}`, but an index key that is a ref must point to an enum: \
                                 use a string, number or enum field as the {role}",
                                t.tag().label()
                            ),
                            vec![related(f.name_span, format!("`{key}` is declared here"))],
                        );
                        return;
                    }
                    _ => return,
                }
            }
            FieldKind::Scalar { .. } | FieldKind::Enum(_) => {}
            FieldKind::CustomType(_) | FieldKind::Relationship(_) => {
                // a partition key on such a field is silently ignored by Amplify; a sort key is rejected
                if !is_pk {
                    sink.error_with(
                        span,
                        INDEX_KEY_TYPE,
                        format!(
                            "`{key}` is {}, but index keys must be scalar or enum fields: choose another sort key",
                            field_kind_label(f)
                        ),
                        vec![related(f.name_span, format!("`{key}` is declared here"))],
                    );
                }
                return;
            }
            FieldKind::Unknown => return,
        }
        if f.array {
            sink.error_with(
                span,
                INDEX_KEY_TYPE,
                format!("`{key}` is a list, but an index {role} must be a single value: drop `.array()` or use another field"),
                vec![related(f.name_span, format!("`{key}` is declared here"))],
            );
        }
    }

    // --- data/owner-field-conflict ---

    fn owner_fields(&self, t: &'a TypeDef, m: &'a Model, sink: &mut Sink) {
        let mut rules = self.effective_rules(m.rules.as_ref(), t.part);
        for f in &m.fields.items {
            if let Some(r) = &f.rules {
                rules.extend(r.rules.iter());
            }
        }
        for rule in rules {
            let Some((name, list)) = rule.implied_field() else {
                continue;
            };
            let Some(f) = m.field(name) else {
                continue;
            };
            let conflict = match &f.kind {
                FieldKind::Scalar { graphql, .. } => {
                    f.array != list || !STRING_LIKE.contains(graphql)
                }
                FieldKind::Unknown => false,
                _ => true,
            };
            if !conflict {
                continue;
            }
            let want = if list {
                "a list of strings: write `a.string().array()`"
            } else {
                "a single string: write `a.string()`"
            };
            sink.error_with(
                f.name_span,
                OWNER_FIELD_CONFLICT,
                format!(
                    "`allow.{}(...)` stores identities in `{name}`, so this field must be {want} (or remove the field \
                     and let Amplify add it)",
                    rule.name
                ),
                vec![related(rule.call_span, "the rule that uses this field")],
            );
        }
    }

    // --- custom operations ---

    fn operations(&self, sink: &mut Sink) {
        for (t, op) in self.operations_iter() {
            if op.kind != OpKind::Generation {
                let auth = self.has_rules(op.rules.as_ref(), t.part);
                let handler = match &op.handlers {
                    None => Some(false),
                    Some(h) if !h.items.is_empty() => Some(true),
                    Some(h) if h.complete => Some(false),
                    Some(_) => None,
                };
                match (auth, handler) {
                    (Some(true), Some(false)) => sink.error(
                        t.name_span,
                        CUSTOM_OP_INCOMPLETE,
                        format!(
                            "custom {} `{}` has authorization rules but no handler: add e.g. \
                             `.handler(a.handler.function(myFunction))`",
                            op.kind.name(),
                            t.name
                        ),
                    ),
                    (Some(false), Some(true)) => sink.error(
                        t.name_span,
                        CUSTOM_OP_INCOMPLETE,
                        format!(
                            "custom {} `{}` has a handler but no authorization rules: add e.g. \
                             `.authorization((allow) => [allow.authenticated()])`",
                            op.kind.name(),
                            t.name
                        ),
                    ),
                    _ => {}
                }
            }
            if matches!(
                op.kind,
                OpKind::Query | OpKind::Mutation | OpKind::Generation
            ) && op.returns.is_none()
            {
                let last_async = match &op.handlers {
                    None => Some(false),
                    Some(h) if h.complete => Some(h.items.last().is_some_and(|x| x.is_async)),
                    Some(_) => None,
                };
                if last_async == Some(false) {
                    sink.error(
                        t.name_span,
                        CUSTOM_OP_INCOMPLETE,
                        format!(
                            "{} `{}` needs a return type: add e.g. `.returns(a.string())` or `.returns(a.ref('...'))`",
                            match op.kind {
                                OpKind::Generation => "generation route".to_string(),
                                k => format!("custom {}", k.name()),
                            },
                            t.name
                        ),
                    );
                }
            }
            if op.kind == OpKind::Subscription {
                self.subscription(t, op, sink);
            }
            if op.kind == OpKind::Generation {
                self.inference(op.config.as_ref(), sink);
            }
        }
    }

    /// data/subscription-for (and data/unknown-ref for its sources).
    fn subscription(&self, t: &TypeDef, op: &Operation, sink: &mut Sink) {
        let Some(sources) = &op.sources else {
            sink.error(
                t.name_span,
                SUBSCRIPTION_FOR,
                format!(
                    "subscription `{}` needs a source: add e.g. `.for(a.ref('MyModel').mutations(['create']))` or \
                     `.for(a.ref('myMutation'))`",
                    t.name
                ),
            );
            return;
        };
        if sources.items.is_empty() {
            if sources.complete {
                sink.error(
                    sources.span,
                    SUBSCRIPTION_FOR,
                    "`.for(...)` needs at least one source: a model ref with `.mutations([...])` or a custom mutation",
                );
            }
            return;
        }
        // the identity of each source's return type, when known
        let mut keys: Vec<Option<(String, Span)>> = Vec::new();
        for src in &sources.items {
            let Some(name) = &src.name else {
                keys.push(None);
                continue;
            };
            let mutations = src.mutations.as_ref().map(|m| {
                if !m.items.is_empty() {
                    Some(true)
                } else if m.complete {
                    Some(false)
                } else {
                    None
                }
            });
            let target = match self.lookup(name) {
                Lookup::Missing => {
                    self.unknown_ref(name, src.name_span, &self.source_candidates(), sink);
                    keys.push(None);
                    continue;
                }
                Lookup::Unknown => {
                    keys.push(None);
                    continue;
                }
                Lookup::Found(x) => x,
            };
            let tag = target.tag();
            if tag != TypeTag::Model && tag != TypeTag::Unknown && mutations == Some(Some(true)) {
                if let Some(m) = &src.mutations {
                    sink.error(
                        m.span,
                        SUBSCRIPTION_FOR,
                        format!(
                            "`.mutations([...])` only applies to model sources, and `{name}` is {}: remove it",
                            tag.label()
                        ),
                    );
                }
            }
            match tag {
                TypeTag::Model => {
                    if matches!(mutations, None | Some(Some(false))) {
                        sink.error_with(
                            src.span,
                            SUBSCRIPTION_FOR,
                            format!(
                                "a model source must say which mutations to listen to: write \
                                 `a.ref('{name}').mutations(['create', 'update', 'delete'])`"
                            ),
                            vec![related(target.name_span, format!("`{name}` is a model"))],
                        );
                    }
                    keys.push(Some((name.clone(), src.span)));
                }
                TypeTag::Query | TypeTag::Subscription | TypeTag::Generation => {
                    sink.error_with(
                        src.span,
                        SUBSCRIPTION_FOR,
                        format!(
                            "a subscription can only listen to models and custom mutations, and `{name}` is {}",
                            tag.label()
                        ),
                        vec![related(target.name_span, format!("`{name}` is defined here"))],
                    );
                    keys.push(None);
                }
                TypeTag::Mutation => {
                    let key = match &target.kind {
                        TypeKind::Operation(m) => match m.returns.as_ref().map(|r| &r.field.kind) {
                            Some(FieldKind::Ref(r)) => r.name.clone(),
                            Some(FieldKind::Unknown) | None => None,
                            Some(_) => Some(format!("{name}'s own return type")),
                        },
                        _ => None,
                    };
                    keys.push(key.map(|k| (k, src.span)));
                }
                _ => keys.push(None),
            }
        }
        if keys.len() > 1 && keys.iter().all(Option::is_some) {
            let keys: Vec<(String, Span)> = keys.into_iter().flatten().collect();
            let (first, first_span) = &keys[0];
            if let Some((other, span)) = keys.iter().find(|(k, _)| k != first) {
                sink.error_with(
                    *span,
                    SUBSCRIPTION_FOR,
                    format!(
                        "all sources of a subscription must return the same type, but this one returns {} and the \
                         first returns {}: split it into separate subscriptions",
                        describe_key(other),
                        describe_key(first)
                    ),
                    vec![related(*first_span, "the first source")],
                );
            }
        }
    }

    fn source_candidates(&self) -> Vec<&'a str> {
        self.schema
            .types()
            .filter(|t| matches!(t.tag(), TypeTag::Model | TypeTag::Mutation))
            .map(|t| t.name.as_str())
            .collect()
    }

    // --- conversations and AI settings ---

    fn conversations(&self, sink: &mut Sink) {
        for t in self.schema.types() {
            let TypeKind::Conversation(c) = &t.kind else {
                continue;
            };
            match &c.rules {
                None => sink.error(
                    t.name_span,
                    CONVERSATION_OWNER,
                    format!(
                        "conversation `{}` needs owner authorization: add `.authorization((allow) => allow.owner())`",
                        t.name
                    ),
                ),
                Some(r) if r.complete => match r.rules.first() {
                    None => sink.error(
                        r.span,
                        CONVERSATION_OWNER,
                        "a conversation needs exactly the rule `allow.owner()`: write \
                         `.authorization((allow) => allow.owner())`",
                    ),
                    Some(rule) if rule.name != "owner" => sink.error(
                        rule.span,
                        CONVERSATION_OWNER,
                        format!(
                            "conversations only support `allow.owner()` (each user sees their own conversations), \
                             not `allow.{}`: write `.authorization((allow) => allow.owner())`",
                            rule.name
                        ),
                    ),
                    _ => {}
                },
                _ => {}
            }
            self.inference(c.config.as_ref(), sink);
            let Some(tools) = &c.tools else {
                continue;
            };
            for tool in &tools.items {
                if let Some((Some(name), span)) = &tool.name {
                    if let Some(f) = validators::data_tool_name(name) {
                        sink.error(*span, f.code, f.message);
                    }
                }
                if let Some(q) = &tool.query {
                    self.tool_target(
                        q,
                        &[TypeTag::Query, TypeTag::Generation],
                        "a custom query",
                        sink,
                    );
                }
                if let Some(m) = &tool.model {
                    self.tool_target(m, &[TypeTag::Model], "a model", sink);
                }
            }
        }
    }

    fn tool_target(&self, r: &RefTarget, allowed: &[TypeTag], what: &str, sink: &mut Sink) {
        let Some(name) = &r.name else {
            return;
        };
        match self.lookup(name) {
            Lookup::Missing => sink.error(
                r.name_span,
                AI_CONFIG,
                format!("the tool points to `{name}`, but the schema has no such type: name {what} of the schema"),
            ),
            Lookup::Found(t) if t.tag() != TypeTag::Unknown && !allowed.contains(&t.tag()) => sink.error_with(
                r.name_span,
                AI_CONFIG,
                format!("the tool must point to {what}, and `{name}` is {}", t.tag().label()),
                vec![related(t.name_span, format!("`{name}` is defined here"))],
            ),
            _ => {}
        }
    }

    /// `inferenceConfiguration` of a conversation or generation: maxTokens >= 1, temperature and topP in 0..=1.
    fn inference(&self, config: Option<&Value>, sink: &mut Sink) {
        let Some(ic) = config
            .and_then(|c| c.field("inferenceConfiguration"))
            .map(|v| self.cx.file.resolve(v))
        else {
            return;
        };
        for key in ["maxTokens", "temperature", "topP"] {
            let Some(v) = ic.field(key) else {
                continue;
            };
            let Some(n) = self.cx.file.resolve(v).as_num() else {
                continue;
            };
            let bad = match key {
                "maxTokens" => n < 1.0,
                _ => !(0.0..=1.0).contains(&n),
            };
            if bad {
                let rule = if key == "maxTokens" {
                    "`maxTokens` must be at least 1".to_string()
                } else {
                    format!("`{key}` must be between 0 and 1")
                };
                sink.error(
                    v.span,
                    AI_CONFIG,
                    format!("{rule}: write e.g. `{key}: {}`", example_ai(key)),
                );
            }
        }
    }

    // --- data/empty-groups ---

    /// The rules that reach Amplify's `@auth` checks: those of models and model fields, of generation routes
    /// and of operations with function or SQL handlers (operations with custom JS handlers get AppSync's own
    /// directives, which are not checked: verified), and the schema-level rules where one of those inherits them.
    fn checked_rules(&self) -> Vec<&'a Rule> {
        let mut out = Vec::new();
        let mut inherited = vec![false; self.schema.parts.len()];
        let mut own_or_inherit =
            |rules: Option<&'a Rules>, part: usize, out: &mut Vec<&'a Rule>| match rules {
                Some(r) if r.non_empty() != Some(false) => out.extend(r.rules.iter()),
                _ => {
                    if let Some(x) = inherited.get_mut(part) {
                        *x = true;
                    }
                }
            };
        for t in self.schema.types() {
            match &t.kind {
                TypeKind::Model(m) => {
                    own_or_inherit(m.rules.as_ref(), t.part, &mut out);
                    for f in &m.fields.items {
                        if let Some(r) = &f.rules {
                            out.extend(r.rules.iter());
                        }
                    }
                }
                TypeKind::Operation(op) if auth_checked(op) => {
                    own_or_inherit(op.rules.as_ref(), t.part, &mut out)
                }
                _ => {}
            }
        }
        for (part, used) in self.schema.parts.iter().zip(inherited) {
            if used {
                if let Some(r) = &part.rules {
                    out.extend(r.rules.iter().filter(|x| x.name != "resource"));
                }
            }
        }
        out
    }

    fn groups(&self, sink: &mut Sink) {
        for rule in self.checked_rules() {
            if rule.name != "groups" {
                continue;
            }
            if let Some(g) = &rule.groups {
                if g.complete && g.items.is_empty() {
                    sink.error(
                        g.span,
                        EMPTY_GROUPS,
                        "`allow.groups([])` names no group: list at least one, e.g. `allow.groups(['ADMINS'])`",
                    );
                }
            }
        }
    }

    // --- data/provider-not-configured ---

    fn providers(&self, sink: &mut Sink) {
        let p = self.cx.project;
        if !p.complete || p.data.is_none() || self.cx.file.first(DefineKind::Data).is_none() {
            return;
        }
        // a conversation's `allow.owner()` always uses the user pool (verified: rejected without auth)
        let conversation_owners = self.schema.types().filter_map(|t| match &t.kind {
            TypeKind::Conversation(c) => c
                .rules
                .as_ref()?
                .rules
                .first()
                .filter(|r| r.name == "owner"),
            _ => None,
        });
        let rules = self
            .checked_rules()
            .into_iter()
            .map(|r| (r, r.effective_provider()))
            .chain(conversation_owners.map(|r| (r, Some("userPools"))));
        for (rule, provider) in rules {
            if !rule.called {
                continue;
            }
            let Some(provider) = provider else {
                continue;
            };
            // a provider the rule refuses is data/invalid-provider's finding, not a missing mode
            if conflicts::provider_refused(rule) {
                continue;
            }
            let fix = match provider {
                "apiKey" if !p.api_key_enabled() => {
                    "the project has no API key: add `apiKeyAuthorizationMode: { expiresInDays: 30 }` to \
                     `authorizationModes` in defineData"
                }
                "userPools" if auth_certainly_absent(p) => {
                    "the project has no user pool: add `defineAuth` in amplify/auth/resource.ts and pass it to \
                     `defineBackend`, or use another rule"
                }
                "oidc" if !p.oidc_enabled() => {
                    "the project has no OIDC provider: add `oidcAuthorizationMode` to `authorizationModes` in \
                     defineData"
                }
                "function" if !p.lambda_enabled() => {
                    "the project has no Lambda authorizer: add `lambdaAuthorizationMode: { function: ... }` to \
                     `authorizationModes` in defineData"
                }
                _ => continue,
            };
            sink.error(
                rule.call_span,
                PROVIDER_NOT_CONFIGURED,
                format!(
                    "`allow.{}` uses the '{provider}' provider, but {fix}",
                    rule_text(rule)
                ),
            );
        }
    }

    // --- data/entry-not-found ---

    fn entries(&self, sink: &mut Sink) {
        let (Some(path), Some(root)) = (self.cx.path, self.cx.project.root.as_deref()) else {
            return;
        };
        let Some(dir) = path.parent() else {
            return;
        };
        let root = normalize(root);
        for (_, op) in self.operations_iter() {
            let Some(h) = &op.handlers else {
                continue;
            };
            for handler in h.items.iter().filter(|h| h.kind == HandlerKind::Custom) {
                let Some((Some(entry), span)) = &handler.entry else {
                    continue;
                };
                let candidate = if Path::new(entry).is_absolute() {
                    PathBuf::from(entry)
                } else {
                    dir.join(entry)
                };
                let candidate = normalize(&candidate);
                // never look outside the project, also not through a link (an existence oracle otherwise)
                if !candidate.starts_with(&root) || !crate::workspace::fs::within(&candidate, &root)
                {
                    continue;
                }
                if let Ok(false) = candidate.try_exists() {
                    sink.error(
                        *span,
                        ENTRY_NOT_FOUND,
                        format!(
                            "no file exists at '{entry}' (paths are relative to this file): create the resolver \
                             there or fix the path"
                        ),
                    );
                }
            }
        }
    }
}

/// Whether an operation's rules become `@auth` directives that Amplify checks.
fn auth_checked(op: &Operation) -> bool {
    op.kind == OpKind::Generation
        || op.handlers.as_ref().is_some_and(|h| {
            h.complete
                && h.items.first().is_some_and(|x| {
                    matches!(
                        x.kind,
                        HandlerKind::Function | HandlerKind::InlineSql | HandlerKind::SqlReference
                    )
                })
        })
}

/// data/enum-whitespace for the values of one enum.
fn enum_values(e: &EnumDef, sink: &mut Sink) {
    for (value, span) in &e.values {
        if let Some(finding) = validators::enum_value(value) {
            sink.error(*span, finding.code, finding.message);
        }
    }
}

/// Fields in source order, inline custom types included (bounded by the model's own nesting limit).
fn walk<'s>(fields: &'s Fields, site: Site, depth: usize, out: &mut Vec<(&'s Field, Site)>) {
    for f in &fields.items {
        walk_field(f, site, depth, out);
    }
}

fn walk_field<'s>(f: &'s Field, site: Site, depth: usize, out: &mut Vec<(&'s Field, Site)>) {
    out.push((f, site));
    if depth > MAX_NESTING {
        return;
    }
    if let FieldKind::CustomType(inner) = &f.kind {
        let in_args = matches!(site, Site::Argument | Site::TypeField { in_args: true });
        walk(inner, Site::TypeField { in_args }, depth + 1, out);
    }
}

/// GraphQL types Amplify treats as strings when it compares owner fields.
const STRING_LIKE: &[&str] = &[
    "ID",
    "String",
    "AWSDate",
    "AWSTime",
    "AWSDateTime",
    "AWSEmail",
    "AWSPhone",
    "AWSURL",
    "AWSIPAddress",
];

fn same_names(a: &[(String, Span)], b: &[(String, Span)]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.0 == y.0)
}

fn names_literal(items: &[(String, Span)]) -> String {
    match items {
        [(one, _)] => format!("'{one}'"),
        many => format!(
            "[{}]",
            many.iter()
                .map(|(n, _)| format!("'{n}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn field_kind_label(f: &Field) -> &'static str {
    match &f.kind {
        FieldKind::Scalar { .. } => "a scalar field",
        FieldKind::Ref(_) => "an `a.ref(...)` field",
        FieldKind::Relationship(_) => "a relationship",
        FieldKind::Enum(_) => "an inline enum",
        FieldKind::CustomType(_) => "an inline custom type",
        FieldKind::Unknown => "an unknown field",
    }
}

fn factory_for(graphql: &str) -> String {
    catalog_factory(graphql).map_or_else(|| graphql.to_string(), |f| format!("a.{f}()"))
}

fn catalog_factory(graphql: &str) -> Option<&'static str> {
    crate::model::catalog::MEMBERS
        .iter()
        .find(|m| m.graphql == Some(graphql))
        .map(|m| m.name)
}

fn rule_text(rule: &Rule) -> String {
    let args: Vec<String> = rule
        .args
        .iter()
        .map(|a| match &a.kind {
            Kind::Str(s) => format!("'{s}'"),
            Kind::Array(_) => "[...]".to_string(),
            _ => "...".to_string(),
        })
        .collect();
    format!("{}({})", rule.name, args.join(", "))
}

fn describe_key(k: &str) -> String {
    if k.ends_with("return type") {
        k.to_string()
    } else {
        format!("`{k}`")
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn plural(s: &str) -> String {
    if s.ends_with('s') {
        s.to_string()
    } else {
        format!("{s}s")
    }
}

fn list(items: &[&str], max: usize) -> String {
    let mut shown: Vec<String> = items.iter().take(max).map(|s| format!("`{s}`")).collect();
    if items.len() > max {
        shown.push("...".to_string());
    }
    shown.join(", ")
}

fn short(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(37).collect::<String>())
    } else {
        s.to_string()
    }
}

fn example_ai(key: &str) -> &'static str {
    match key {
        "maxTokens" => "1000",
        "temperature" => "0.5",
        _ => "0.9",
    }
}

fn example_value(graphql: &str) -> &'static str {
    match graphql {
        "Int" | "AWSTimestamp" => "a whole number such as `0`",
        "Float" => "a number such as `1.5`",
        "Boolean" => "`true` or `false`",
        "AWSDate" => "a date such as `'2024-01-31'`",
        "AWSTime" => "a time with an offset such as `'09:30:00Z'`",
        "AWSDateTime" => "a timestamp such as `'2024-01-31T09:30:00Z'`",
        "AWSEmail" => "an address such as `'team@example.com'`",
        "AWSURL" => "a URL such as `'https://example.com'`",
        "AWSIPAddress" => "an address such as `'10.0.0.1'`",
        "AWSJSON" => "JSON text such as `'{}'`",
        _ => "a value of the field's type",
    }
}

// ---------------------------------------------------------------------------------------------
// JavaScript semantics the transformers rely on
// ---------------------------------------------------------------------------------------------

/// `String(value)` for literals whose JavaScript string form we can reproduce exactly.
fn js_string(v: &Value) -> Option<String> {
    match &v.kind {
        Kind::Str(s) => Some(s.to_string()),
        Kind::Bool(b) => Some(b.to_string()),
        Kind::Num(n) => {
            if !n.is_finite() {
                return None;
            }
            if n.fract() == 0.0 && n.abs() < 1e21 {
                Some(format!("{}", *n as i128))
            } else if n.abs() >= 1e-6 && n.abs() < 1e21 {
                Some(format!("{n}"))
            } else {
                None
            }
        }
        _ => None,
    }
}

fn js_trim_start(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// `parseInt(s, 10)`: None for NaN.
fn js_parse_int(s: &str) -> Option<f64> {
    let t = js_trim_start(s);
    let (neg, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let n: f64 = digits.parse().ok()?;
    Some(if neg { -n } else { n })
}

/// Whether `parseFloat(s)` is a number.
fn js_parse_float_ok(s: &str) -> bool {
    let t = js_trim_start(s);
    let rest = t.strip_prefix(['-', '+']).unwrap_or(t);
    if rest.starts_with("Infinity") {
        return true;
    }
    let int = rest.chars().take_while(char::is_ascii_digit).count();
    let frac = rest[int..]
        .strip_prefix('.')
        .map_or(0, |f| f.chars().take_while(char::is_ascii_digit).count());
    int > 0 || frac > 0
}

/// Whether the default-value transformer accepts `s` for a field of this GraphQL type; None when we cannot be
/// sure (the check would need a URL parser, a phone number library or the JavaScript date parser).
fn default_ok(graphql: &str, s: &str) -> Option<bool> {
    if s.contains(['"', '\\', '\n', '\r']) {
        // the value is pasted into GraphQL text unescaped: too subtle to judge
        return None;
    }
    match graphql {
        "ID" | "String" => Some(true),
        "Int" | "AWSTimestamp" => Some(js_parse_int(s).is_some()),
        "Float" => Some(js_parse_float_ok(s)),
        "Boolean" => Some(s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")),
        "AWSDate" => Some(valid_date(s)),
        "AWSTime" => Some(valid_time(s)),
        "AWSDateTime" => {
            let ok = s
                .split_once('T')
                .is_some_and(|(d, t)| valid_date(d) && valid_time(t));
            if ok {
                None
            } else {
                Some(false)
            }
        }
        "AWSEmail" => Some(valid_email(s)),
        "AWSURL" => {
            let t = s.trim_matches(|c: char| c <= ' ');
            let scheme = t.split_once(':').is_some_and(|(sch, _)| {
                let mut cs = sch.chars();
                cs.next().is_some_and(|c| c.is_ascii_alphabetic())
                    && cs.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            });
            if scheme {
                None
            } else {
                Some(false)
            }
        }
        "AWSIPAddress" => {
            if s.contains(':') {
                None
            } else {
                Some(s.parse::<Ipv4Addr>().is_ok())
            }
        }
        "AWSJSON" => {
            if serde_json::from_str::<serde_json::Value>(s).is_ok() {
                Some(true)
            } else if s.contains(['e', 'E']) {
                None
            } else {
                Some(false)
            }
        }
        _ => None,
    }
}

fn two_digits(s: &str) -> Option<u32> {
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// `YYYY-MM-DD` with a day that exists in that month.
fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !b[..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let (Some(month), Some(day)) = (two_digits(&s[5..7]), two_digits(&s[8..10])) else {
        return false;
    };
    let year: u32 = s[..4].parse().unwrap_or(0);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 => day <= if leap { 29 } else { 28 },
        4 | 6 | 9 | 11 => day <= 30,
        _ => true,
    }
}

/// `hh:mm:ss[.fff](Z|±hh:mm)`: the offset is required.
fn valid_time(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 9 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let (Some(h), Some(m), Some(sec)) = (
        two_digits(&s[..2]),
        two_digits(&s[3..5]),
        two_digits(&s[6..8]),
    ) else {
        return false;
    };
    if h > 23 || m > 59 || sec > 59 {
        return false;
    }
    let mut rest = &s[8..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    if rest == "Z" {
        return true;
    }
    let Some(offset) = rest.strip_prefix(['+', '-', '|']) else {
        return false;
    };
    let ob = offset.as_bytes();
    ob.len() == 5
        && ob[2] == b':'
        && two_digits(&offset[..2]).is_some_and(|h| h <= 23)
        && two_digits(&offset[3..]).is_some_and(|m| m <= 59)
}

/// The email pattern of the default-value transformer.
fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c));
    let label_ok = |l: &str| {
        let b = l.as_bytes();
        !b.is_empty()
            && b.len() <= 63
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    };
    local_ok && domain.split('.').all(label_ok)
}

/// `path.join`-style lexical normalisation (no file-system access).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the shortcuts for whole numbers (a length, a default) take for granted: the text JavaScript makes
    /// of the number is what the slow path reads.
    #[test]
    fn whole_numbers_read_back_as_themselves() {
        for n in [
            0.0,
            -0.0,
            1.0,
            7.0,
            -5.0,
            20.0,
            99_999_999_999_999.0,
            -99_999_999_999_999.0,
        ] {
            let v = Value {
                kind: Kind::Num(n),
                span: crate::text::Span::new(0, 1),
            };
            let text = js_string(&v).expect("a number's text");
            assert_eq!(
                js_parse_int(&text),
                Some(if n == 0.0 { 0.0 } else { n }),
                "{n}"
            );
            for t in ["Int", "AWSTimestamp", "Float", "ID", "String"] {
                assert_eq!(default_ok(t, &text), Some(true), "{n} as {t}");
            }
        }
    }
    use crate::analysis::rules::testkit;

    /// The parts of the data rules shared by two threads find what one thread finds, in the same order: in every
    /// schema of the fixtures (the rule fixtures hold each finding), with and without auth.
    #[test]
    fn two_threads_find_what_one_finds() {
        let mut findings = 0;
        let mut codes = HashSet::new();
        for (name, src) in crate::model::schema::tests::fixture_schemas() {
            let file = testkit::model(&src);
            let Some(schema) = schema_of(&file) else {
                continue;
            };
            for project in [testkit::facts(true, &["ADMINS"]), ProjectFacts::default()] {
                let cx = RuleCtx {
                    src: &src,
                    file: &file,
                    path: None,
                    project: &project,
                };
                let c = Check {
                    cx: &cx,
                    schema: &schema,
                    context: context_hashes(&file, &schema),
                };
                let (mut one, mut two) = (Vec::new(), Vec::new());
                c.run(&mut Sink {
                    out: &mut one,
                    seen: HashSet::new(),
                });
                c.run_on_two_threads(&mut Sink {
                    out: &mut two,
                    seen: HashSet::new(),
                });
                assert_eq!(one, two, "{name}");
                findings += one.len();
                codes.extend(one.iter().map(|d| d.code));
            }
        }
        assert!(
            findings > 100 && codes.len() > 15,
            "{findings} findings, codes {codes:?}"
        );
    }
    use crate::model::file::FileModel;
    use crate::model::project::{ProjectFacts, Summary};
    use crate::syntax::{parse, Lang};

    const H: &str = "import { a, defineData } from '@aws-amplify/backend';\n";

    fn file(src: &str) -> FileModel {
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        FileModel::build(&tree, src, Lang::TypeScript)
    }

    thread_local! {
        /// How many models this thread checked for the memo (their kept findings were not used).
        pub(super) static MODELS_CHECKED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Versions of one document as the server builds them (each file model from the one before, whose memo
    /// keeps the models' findings): for each, its findings, and how many models were checked again.
    fn run_versions(versions: &[String], project: &ProjectFacts) -> Vec<(Vec<Diagnostic>, usize)> {
        let mut out = Vec::new();
        testkit::each_version(versions, |_, src, file| {
            let before = MODELS_CHECKED.with(|c| c.get());
            out.push((
                run_on_model(src, file, project),
                MODELS_CHECKED.with(|c| c.get()) - before,
            ));
        });
        out
    }

    /// A check that panics while its reads are noted leaves nothing being noted on the thread.
    #[test]
    fn a_panic_while_noting_leaves_the_thread_not_noting() {
        let caught = std::panic::catch_unwind(|| {
            let _noting = Noting::start();
            READS.with(|r| assert!(r.borrow().is_some()));
            panic!("a check failed");
        });
        assert!(caught.is_err());
        READS.with(|r| assert!(r.borrow().is_none()));
        // and nested noting puts back the outer one
        let outer = Noting::start();
        note_whole_schema();
        let inner = Noting::start();
        assert!(!inner.finish().whole);
        assert!(outer.finish().whole);
        READS.with(|r| assert!(r.borrow().is_none()));
    }

    /// The findings kept per model equal a fresh check of each version: of every fixture schema moved by a line
    /// typed above it, and back (every model's findings are then the kept ones).
    #[test]
    fn kept_model_findings_of_the_fixture_schemas_follow_them_and_equal_a_fresh_check() {
        let mut kept_models = 0;
        let mut compared = 0;
        // a comment long enough to make every model an entry of the lowering cache
        let pad = format!("a.model({{ /* {} */ ", "padding ".repeat(36));
        for (name, src) in crate::model::schema::tests::fixture_schemas() {
            if schema_of(&testkit::model(&src)).is_none() {
                continue;
            }
            let src = src.replace("a.model({", &pad);
            // the first model one character longer: the others move
            let moved = src.replacen(&pad, &format!("{pad} "), 1);
            let versions = [src.clone(), moved, src.clone()];
            for project in [facts(&src, true), ProjectFacts::default()] {
                let runs = run_versions(&versions, &project);
                for (v, (got, _)) in versions.iter().zip(&runs) {
                    assert_eq!(*got, run_full(v, &project, None), "{name}");
                    compared += got.len();
                }
                let first = runs[0].1;
                kept_models += first - runs[1].1;
                assert!(runs[1].1 <= first && runs[2].1 <= first, "{name}");
            }
        }
        assert!(compared > 100, "{compared} findings compared");
        // (18 of the fixtures' models: the others' checks read more than their own entry, e.g. a field's
        // unknown ref, whose suggestions read every name)
        assert!(kept_models > 15, "{kept_models} models' findings kept");
    }

    /// A model's kept findings are checked again when a model it looked up changes, when the name it looked up
    /// comes or goes, and when the text outside the models changes (the schema's own rules).
    #[test]
    fn kept_model_findings_follow_the_models_they_read_and_the_text_around_them() {
        let long = "title: a.string(), body: a.string(), rating: a.integer(), summary: a.string(), \
                    createdOn: a.date(), updatedOn: a.date(), author: a.string(), tags: a.string().array(), \
                    subtitle: a.string(), published: a.boolean(), views: a.integer(), slug: a.string()";
        let post = |refs: &str| {
            format!("  Post: a.model({{ {long}, authorId: a.id(), author2: a.belongsTo('Author', {refs}) }}),\n")
        };
        let author = format!(
            "  Author: a.model({{ {long}, posts: a.hasMany('Post', 'authorId') }}).authorization((allow) => [allow.owner()]),\n"
        );
        // Other1's `owner` field conflicts with the owner rule the schema gives it in the later versions
        let other = |i: usize| {
            let owner = if i == 1 { ", owner: a.integer()" } else { "" };
            format!("  Other{i}: a.model({{ {long}, n{i}: a.string(){owner} }}),\n")
        };
        let schema = |rules: &str, post: &str, author: &str| {
            format!(
                "{H}const schema = a.schema({{\n{post}{author}{}{}}}){rules};\n\
                 export const data = defineData({{ schema }});\n",
                other(1),
                other(2)
            )
        };
        let no_rules = ".authorization((allow) => [allow.authenticated()])";
        let rules = ".authorization((allow) => [allow.owner()])";
        let versions = [
            schema(no_rules, &post("'authorId'"), &author),
            // Post's references no longer match: Author, unchanged, loses its counterpart
            schema(no_rules, &post("'otherId'"), &author),
            // and back
            schema(no_rules, &post("'authorId'"), &author),
            // Author renamed: Post's relationship points nowhere (a suggestion reads every name)
            schema(
                no_rules,
                &post("'authorId'"),
                &author.replacen("Author:", "Writer:", 1),
            ),
            // back again
            schema(no_rules, &post("'authorId'"), &author),
            // the schema's own rules (outside every model) change
            schema(rules, &post("'authorId'"), &author),
            // a field added to the first model: every other one moves
            schema(rules, &post("'authorId'"), &author).replacen(
                "title:",
                "extra: a.string(), title:",
                1,
            ),
            // a short model typed between two others (not keyed: its text is not a type any check looks up)
            schema(rules, &post("'authorId'"), &author)
                .replacen("title:", "extra: a.string(), title:", 1)
                .replacen(
                    "  Other1:",
                    "  Tiny: a.model({ x: a.string() }),\n  Other1:",
                    1,
                ),
        ];
        let project = facts(&versions[0], true);
        let runs = run_versions(&versions, &project);
        for (n, (v, (got, _))) in versions.iter().zip(&runs).enumerate() {
            assert_eq!(*got, run_full(v, &project, None), "version {n}");
        }
        let codes = |n: usize| -> Vec<&str> { runs[n].0.iter().map(|d| d.code).collect() };
        assert!(codes(0).is_empty(), "{:?}", runs[0].0);
        assert!(
            codes(1).contains(&RELATIONSHIP_COUNTERPART),
            "{:?}",
            runs[1].0
        );
        assert!(codes(3).contains(&UNKNOWN_REF), "{:?}", runs[3].0);
        assert!(!codes(4).contains(&OWNER_FIELD_CONFLICT), "{:?}", runs[4].0);
        assert!(codes(5).contains(&OWNER_FIELD_CONFLICT), "{:?}", runs[5].0);
        let checked: Vec<usize> = runs.iter().map(|r| r.1).collect();
        // all 4 models at first; Post (changed) and Author (it read Post); none (both texts are kept from the
        // first version); Post (it looks Author up, now missing) and Writer (new text); none (both texts as in
        // the third version); all 4 (the schema's rules, outside the models, changed); Post (changed), Author
        // (it read Post) and Other1 (its finding points at the schema's rule, outside the model: not kept),
        // while the others moved; Other1 only, as every time, while a new model is typed
        assert_eq!(checked, [4, 2, 0, 2, 0, 4, 3, 1]);
    }

    /// The checks of a model's fields are kept with the model's: a finding in a field moves with it, and a field
    /// whose check reads a value elsewhere in the file (a named length) is checked again each time.
    #[test]
    fn kept_field_findings_move_with_their_model_and_named_values_are_read_again() {
        let long = "title: a.string(), body: a.string(), rating: a.integer(), summary: a.string(), \
                    createdOn: a.date(), updatedOn: a.date(), author: a.string(), tags: a.string().array(), \
                    subtitle: a.string(), published: a.boolean(), views: a.integer(), slug2: a.string()";
        let schema = |min: &str, first: &str| {
            format!(
                "{H}const MIN = {min};\nconst schema = a.schema({{\n\
                 \x20 Status: a.enum(['draft', 'done']),\n\
                 \x20 Info: a.customType({{ {long}, note: a.string() }}),\n\
                 \x20 Post: a.model({{ {first}{long}, slug: a.string().validate((v) => v.minLength(MIN)) }}),\n\
                 \x20 Other: a.model({{ {long}, count: a.integer().default('many'), info: a.ref('Info'), \
                 status: a.ref('Status'), kind: a.enum(['a b', 'c']) }}),\n\
                 }}).authorization((allow) => [allow.authenticated()]);\n\
                 export const data = defineData({{ schema }});\n"
            )
        };
        let versions = [
            schema("-1", ""),
            // the named length changes outside every model
            schema("1", ""),
            // a field added to the first model: the other one moves
            schema("1", "extra: a.string(), "),
            // the short enum that Other refers to (not an entry of the cache) becomes a model
            schema("1", "extra: a.string(), ").replacen(
                "Status: a.enum(['draft', 'done'])",
                "Status: a.model({ x: a.string() })",
                1,
            ),
        ];
        let project = facts(&versions[0], true);
        let runs = run_versions(&versions, &project);
        for (n, (v, (got, _))) in versions.iter().zip(&runs).enumerate() {
            assert_eq!(*got, run_full(v, &project, None), "version {n}");
        }
        let codes = |n: usize| -> Vec<&str> { runs[n].0.iter().map(|d| d.code).collect() };
        assert!(codes(0).contains(&VALIDATE_RULES), "{:?}", runs[0].0);
        for run in &runs[..3] {
            let codes: Vec<&str> = run.0.iter().map(|d| d.code).collect();
            assert!(codes.contains(&DEFAULT_VALUE_TYPE), "{:?}", run.0);
            assert!(codes.contains(&"data/enum-whitespace"), "{:?}", run.0);
        }
        assert!(!codes(1).contains(&VALIDATE_RULES), "{:?}", runs[1].0);
        assert!(!codes(2).contains(&REF_TO_MODEL), "{:?}", runs[2].0);
        assert!(codes(3).contains(&REF_TO_MODEL), "{:?}", runs[3].0);
        let checked: Vec<usize> = runs.iter().map(|r| r.1).collect();
        // both models at first; then Post only (its length is read from outside the model), while Other's
        // findings are the kept ones, moved in the third version (the enum it refers to is not an entry of the
        // cache: only its kind is read); both when that enum becomes a model
        assert_eq!(checked, [2, 1, 1, 2]);
    }

    /// Facts from the file alone (complete), with or without an auth resource elsewhere.
    fn facts(src: &str, has_auth: bool) -> ProjectFacts {
        let summary = Summary::of(&file(src));
        let mut f = ProjectFacts::from_summaries(None, [&summary]);
        f.has_auth = has_auth;
        f
    }

    fn run_full(src: &str, project: &ProjectFacts, path: Option<&Path>) -> Vec<Diagnostic> {
        let model = file(src);
        let cx = RuleCtx {
            src,
            file: &model,
            path,
            project,
        };
        let mut out = Vec::new();
        check(&cx, &mut out);
        out
    }

    fn run_on_model(src: &str, model: &FileModel, project: &ProjectFacts) -> Vec<Diagnostic> {
        let cx = RuleCtx {
            src,
            file: model,
            path: None,
            project,
        };
        let mut out = Vec::new();
        check(&cx, &mut out);
        out
    }

    /// (code, text of the range) of every finding, with auth present or not.
    fn found_auth(src: &str, has_auth: bool) -> Vec<(&'static str, String)> {
        run_full(src, &facts(src, has_auth), None)
            .into_iter()
            .map(|d| {
                assert_eq!(d.severity, Severity::Error);
                assert!(!d.message.is_empty());
                (d.code, src[d.span.start..d.span.end].to_string())
            })
            .collect()
    }

    fn found(src: &str) -> Vec<(&'static str, String)> {
        found_auth(src, true)
    }

    fn codes(src: &str) -> Vec<&'static str> {
        found(src).into_iter().map(|(c, _)| c).collect()
    }

    /// A data resource with the given schema entries and extra defineData properties.
    fn data(body: &str, extra: &str) -> String {
        format!("{H}const schema = a.schema({{\n{body}\n}});\nexport const data = defineData({{ schema{extra} }});\n")
    }

    fn one(code: &'static str, text: &str) -> Vec<(&'static str, String)> {
        vec![(code, text.to_string())]
    }

    const OWNER: &str = ".authorization((allow) => [allow.owner()])";

    #[test]
    fn missing_authorization() {
        let src = data(
            &format!("Todo: a.model({{ x: a.string() }}){OWNER},\nTag: a.model({{ label: a.string() }}),"),
            "",
        );
        assert_eq!(found(&src), one(MISSING_AUTHORIZATION, "Tag"));
        // schema-level rules are inherited; explicitly empty model rules fall back to them
        let src = format!(
            "{H}const schema = a.schema({{ Tag: a.model({{ l: a.string() }}).authorization((allow) => []) }})\
             .authorization((allow) => [allow.owner()]);\n"
        );
        assert_eq!(found(&src), vec![]);
        // allow.resource does not count
        let src = format!(
            "{H}import {{ fn }} from './fn';\nconst schema = a.schema({{ Tag: a.model({{ l: a.string() }}) }})\
             .authorization((allow) => [allow.resource(fn)]);\n"
        );
        assert_eq!(found(&src), one(MISSING_AUTHORIZATION, "Tag"));
        // rules we cannot read count as present
        let src = data("Tag: a.model({ l: a.string() }).authorization(rules),", "");
        assert_eq!(found(&src), vec![]);
        let src = data(
            "Tag: a.model({ l: a.string() }).authorization((allow) => [...shared]),",
            "",
        );
        assert_eq!(found(&src), vec![]);
    }

    #[test]
    fn identifier_not_required() {
        let src = data(
            &format!("C: a.model({{ customerId: a.string(), name: a.string() }}).identifier(['customerId']){OWNER},"),
            "",
        );
        let d = run_full(&src, &facts(&src, true), None);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, IDENTIFIER_NOT_REQUIRED);
        assert_eq!(&src[d[0].span.start..d[0].span.end], "customerId");
        assert_eq!(
            &src[d[0].related[0].span.start..d[0].related[0].span.end],
            "'customerId'"
        );
        // an a.id() sort key is not made non-null
        let src = data(&format!("C: a.model({{ k: a.string().required(), s: a.id() }}).identifier(['k', 's']){OWNER},"), "");
        assert_eq!(found(&src), one(IDENTIFIER_NOT_REQUIRED, "s"));
        for ok in ["a.string().required()", "a.id()", "a.integer().required()"] {
            let src = data(
                &format!("C: a.model({{ k: {ok} }}).identifier(['k']){OWNER},"),
                "",
            );
            assert_eq!(found(&src), vec![], "{ok}");
        }
        // only scalars: a required enum ref is rejected too
        let src = data(
            &format!("S: a.enum(['A']),\nC: a.model({{ s: a.ref('S').required() }}).identifier(['s']){OWNER},"),
            "",
        );
        assert_eq!(found(&src), one(IDENTIFIER_NOT_REQUIRED, "s"));
        // `.required()` after `.array()` makes the list required, not the value
        let src = data(
            &format!(
                "C: a.model({{ k: a.string().array().required() }}).identifier(['k']){OWNER},"
            ),
            "",
        );
        assert_eq!(codes(&src), [IDENTIFIER_NOT_REQUIRED]);
    }

    #[test]
    fn default_without_value() {
        let src = data(
            &format!("C: a.model({{ n: a.integer().default() }}){OWNER},"),
            "",
        );
        assert_eq!(found(&src), one(DEFAULT_WITHOUT_VALUE, "default()"));
        let src = data(
            &format!("C: a.model({{ n: a.integer().default(undefined) }}){OWNER},"),
            "",
        );
        assert_eq!(codes(&src), [DEFAULT_WITHOUT_VALUE]);
        let src = data(
            &format!("C: a.model({{ n: a.integer().default(0) }}){OWNER},"),
            "",
        );
        assert_eq!(found(&src), vec![]);
    }

    #[test]
    fn enum_whitespace() {
        let src = data(
            &format!("S: a.enum(['draft', 'in review']),\nP: a.model({{ s: a.ref('S'), k: a.enum(['a b']) }}){OWNER},"),
            "",
        );
        assert_eq!(
            found(&src),
            vec![
                ("data/enum-whitespace", "'in review'".to_string()),
                ("data/enum-whitespace", "'a b'".to_string())
            ]
        );
        let src = data(
            &format!("S: a.enum(['draft', 'in_review']),\nP: a.model({{ s: a.ref('S') }}){OWNER},"),
            "",
        );
        assert_eq!(found(&src), vec![]);
    }

    #[test]
    fn unknown_ref() {
        let src = data(
            &format!("Status: a.enum(['A']),\nP: a.model({{ s: a.ref('Statu'), c: a.hasMany('Comments', 'pId') }}){OWNER},"),
            "",
        );
        let f = found(&src);
        assert_eq!(
            f,
            vec![
                (UNKNOWN_REF, "'Statu'".to_string()),
                (UNKNOWN_REF, "'Comments'".to_string())
            ]
        );
        let d = run_full(&src, &facts(&src, true), None);
        assert!(d[0].message.contains("`Status`"), "{}", d[0].message);
        // a relationship to a non-model
        let src = data(
            &format!("E: a.enum(['A']),\nP: a.model({{ e: a.hasOne('E', 'pId') }}){OWNER},"),
            "",
        );
        assert_eq!(found(&src), one(UNKNOWN_REF, "'E'"));
        // the other side of a misspelt relationship has no counterpart either; the message says why
        let src = data(
            &format!(
                "P: a.model({{ c: a.hasMany('Comments', 'pId') }}){OWNER},\n\
                 Comment: a.model({{ pId: a.id(), p: a.belongsTo('P', 'pId') }}){OWNER},"
            ),
            "",
        );
        let d = run_full(&src, &facts(&src, true), None);
        assert_eq!(d.len(), 2);
        assert_eq!(
            (d[1].code, &src[d[1].span.start..d[1].span.end]),
            (RELATIONSHIP_COUNTERPART, "belongsTo")
        );
        assert!(
            d[1].message.contains("`P.c` points to `Comments`"),
            "{}",
            d[1].message
        );
        // an incomplete schema cannot say a name is missing
        let src = data(
            &format!("...more,\nP: a.model({{ s: a.ref('Elsewhere') }}){OWNER},"),
            "",
        );
        assert_eq!(found(&src), vec![]);
        let src = data(
            &format!("Status: a.enum(['A']),\nP: a.model({{ s: a.ref('Status') }}){OWNER},"),
            "",
        );
        assert_eq!(found(&src), vec![]);
    }

    #[test]
    fn ref_to_model() {
        let author = format!("Author: a.model({{ name: a.string() }}){OWNER},\n");
        let src = data(
            &format!("{author}Post: a.model({{ author: a.ref('Author') }}){OWNER},"),
            "",
        );
        assert_eq!(found(&src), one(REF_TO_MODEL, "'Author'"));
        let src = data(
            &format!("{author}Byline: a.customType({{ author: a.ref('Author') }}),"),
            "",
        );
        assert_eq!(found(&src), one(REF_TO_MODEL, "'Author'"));
        let src = data(
            &format!(
                "{author}save: a.mutation().arguments({{ author: a.ref('Author') }}).returns(a.ref('Author'))\
                 .handler(a.handler.function('fn')){OWNER},"
            ),
            "",
        );
        assert_eq!(found(&src), one(REF_TO_MODEL, "'Author'"));
        // returning a model is fine
        let src = data(
            &format!(
                "{author}get: a.query().arguments({{ id: a.id() }}).returns(a.ref('Author')).handler(a.handler.function('fn'))\
                 .authorization((allow) => [allow.authenticated()]),"
            ),
            "",
        );
        assert_eq!(found(&src), vec![]);
    }

    #[test]
    fn index_key_type() {
        let src = data(
            &format!(
                "Address: a.customType({{ city: a.string() }}),\nStore: a.model({{ name: a.string(), address: \
                 a.ref('Address'), tags: a.string().array() }}).secondaryIndexes((index) => [index('address'), \
                 index('name').sortKeys(['tags'])]){OWNER},"
            ),
            "",
        );
        assert_eq!(
            found(&src),
            vec![
                (INDEX_KEY_TYPE, "'address'".to_string()),
                (INDEX_KEY_TYPE, "'tags'".to_string())
            ]
        );
        let src = data(
            &format!(
                "Region: a.enum(['N']),\nStore: a.model({{ region: a.ref('Region'), name: a.string() }})\
                 .secondaryIndexes((index) => [index('region').sortKeys(['name'])]){OWNER},"
            ),
            "",
        );
        assert_eq!(found(&src), vec![]);
    }

    #[test]
    fn index_name() {
        let src = data(
            &format!(
                "O: a.model({{ c: a.id(), s: a.string() }}).secondaryIndexes((index) => [index('c').name('by'), \
                 index('s').name('byS'), index('c').sortKeys(['s']).name('byS')]){OWNER},"
            ),
            "",
        );
        assert_eq!(
            found(&src),
            vec![
                (INDEX_NAME, "'by'".to_string()),
                (INDEX_NAME, "'byS'".to_string())
            ]
        );
        let d = run_full(&src, &facts(&src, true), None);
        assert_eq!(d[1].related.len(), 1);
        let src = data(
            &format!("O: a.model({{ c: a.id() }}).secondaryIndexes((index) => [index('c').name('orders.by_c-v2')]){OWNER},"),
            "",
        );
        assert_eq!(found(&src), vec![]);
    }

    const TEAM_OK: &str =
        "Team: a.model({ name: a.string(), members: a.hasMany('Member', 'teamId') })\
                           .authorization((allow) => [allow.owner()]),\n\
                           Member: a.model({ teamId: a.id(), team: a.belongsTo('Team', 'teamId') })\
                           .authorization((allow) => [allow.owner()]),";

    #[test]
    fn the_counterpart_advice_names_a_free_field() {
        // `Member` already has a field `team` (a string): the advice must not reuse it
        let src = data(
            &TEAM_OK.replace("team: a.belongsTo('Team', 'teamId')", "team: a.string()"),
            "",
        );
        let messages: Vec<String> = run_full(&src, &facts(&src, true), None)
            .into_iter()
            .filter(|d| d.code == RELATIONSHIP_COUNTERPART)
            .map(|d| d.message)
            .collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].contains("`team2: a.belongsTo('Team', 'teamId')`"),
            "{messages:?}"
        );
    }

    #[test]
    fn relationship_counterpart() {
        assert_eq!(found(&data(TEAM_OK, "")), vec![]);
        // no belongsTo
        let src = data(
            &TEAM_OK.replace("team: a.belongsTo('Team', 'teamId')", "other: a.string()"),
            "",
        );
        assert_eq!(found(&src), one(RELATIONSHIP_COUNTERPART, "hasMany"));
        // references differ: both sides lack a counterpart
        let src = data(
            &TEAM_OK.replace(
                "a.belongsTo('Team', 'teamId')",
                "a.belongsTo('Team', ['teamId'])",
            ),
            "",
        );
        assert_eq!(found(&src), vec![]);
        let src = data(
            &TEAM_OK.replace(
                "a.belongsTo('Team', 'teamId')",
                "a.belongsTo('Team', 'teamKey')",
            ),
            "",
        );
        assert_eq!(
            found(&src),
            vec![
                (RELATIONSHIP_COUNTERPART, "hasMany".to_string()),
                (RELATIONSHIP_COUNTERPART, "belongsTo".to_string())
            ]
        );
        // two parents claim the same belongsTo
        let src = data(
            &TEAM_OK.replace(
                "members: a.hasMany('Member', 'teamId')",
                "members: a.hasMany('Member', 'teamId'), captain: a.hasOne('Member', 'teamId')",
            ),
            "",
        );
        assert_eq!(found(&src), one(RELATIONSHIP_COUNTERPART, "belongsTo"));
        let d = run_full(&src, &facts(&src, true), None);
        assert_eq!(d[0].related.len(), 2);
        // a counterpart we cannot read: silent
        let src = data(
            &TEAM_OK.replace("a.belongsTo('Team', 'teamId')", "a.belongsTo('Team', refs)"),
            "",
        );
        assert_eq!(found(&src), vec![]);
    }

    #[test]
    fn relationship_references() {
        // missing reference field, reported on both sides
        let src = data(&TEAM_OK.replace("'teamId')", "'teamID')"), "");
        assert_eq!(
            found(&src),
            vec![
                (RELATIONSHIP_REFERENCES, "'teamID'".to_string()),
                (RELATIONSHIP_REFERENCES, "'teamID'".to_string())
            ]
        );
        // type mismatch, reported once on the child field
        let src = data(
            &TEAM_OK.replace("teamId: a.id()", "teamId: a.integer()"),
            "",
        );
        assert_eq!(found(&src), one(RELATIONSHIP_REFERENCES, "teamId"));
        // ID and String are interchangeable
        let src = data(&TEAM_OK.replace("teamId: a.id()", "teamId: a.string()"), "");
        assert_eq!(found(&src), vec![]);
        // count against a composite identifier
        let composite = "Store: a.model({ region: a.string().required(), code: a.string().required(), \
                         items: a.hasMany('Item', ['storeRegion']) }).identifier(['region', 'code'])\
                         .authorization((allow) => [allow.owner()]),\n\
                         Item: a.model({ storeRegion: a.string(), storeCode: a.string(), \
                         store: a.belongsTo('Store', ['storeRegion']) }).authorization((allow) => [allow.owner()]),";
        assert_eq!(
            found(&data(composite, "")),
            vec![
                (RELATIONSHIP_REFERENCES, "['storeRegion']".to_string()),
                (RELATIONSHIP_REFERENCES, "['storeRegion']".to_string())
            ]
        );
        let fixed = composite.replace("['storeRegion']", "['storeRegion', 'storeCode']");
        assert_eq!(found(&data(&fixed, "")), vec![]);
        // mixed nullability
        let mixed = fixed.replace(
            "storeRegion: a.string()",
            "storeRegion: a.string().required()",
        );
        assert_eq!(
            found(&data(&mixed, "")),
            one(RELATIONSHIP_REFERENCES, "storeCode")
        );
    }

    #[test]
    fn relationship_required() {
        let src = data(
            &TEAM_OK.replace(
                "a.hasMany('Member', 'teamId')",
                "a.hasMany('Member', 'teamId').valueRequired()",
            ),
            "",
        );
        assert_eq!(found(&src), one(RELATIONSHIP_REQUIRED, "valueRequired()"));
        let src = data(
            &TEAM_OK.replace(
                "a.hasMany('Member', 'teamId')",
                "a.hasOne('Member', 'teamId').required()",
            ),
            "",
        );
        assert_eq!(found(&src), one(RELATIONSHIP_REQUIRED, "required()"));
        // required reference fields are the way to go
        let src = data(
            &TEAM_OK.replace("teamId: a.id()", "teamId: a.id().required()"),
            "",
        );
        assert_eq!(found(&src), vec![]);
    }

    #[test]
    fn owner_field_conflict() {
        let src = data(
            "N: a.model({ owner: a.integer() }).authorization((allow) => [allow.owner()]),",
            "",
        );
        let d = run_full(&src, &facts(&src, true), None);
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].code, &src[d[0].span.start..d[0].span.end]),
            (OWNER_FIELD_CONFLICT, "owner")
        );
        assert_eq!(
            &src[d[0].related[0].span.start..d[0].related[0].span.end],
            "owner()"
        );
        let src = data("N: a.model({ editors: a.string() }).authorization((allow) => [allow.ownersDefinedIn('editors')]),", "");
        assert_eq!(found(&src), one(OWNER_FIELD_CONFLICT, "editors"));
        let src = data(
            "N: a.model({ owner: a.id(), editors: a.string().array(), g: a.email() })\
             .authorization((allow) => [allow.owner(), allow.ownersDefinedIn('editors'), allow.groupDefinedIn('g')]),",
            "",
        );
        assert_eq!(found(&src), vec![]);
    }

    #[test]
    fn custom_op_incomplete() {
        let rules = ".authorization((allow) => [allow.authenticated()])";
        let src = data(&format!("echo: a.query().returns(a.string()){rules},"), "");
        assert_eq!(found(&src), one(CUSTOM_OP_INCOMPLETE, "echo"));
        let src = data(
            "echo: a.query().returns(a.string()).handler(a.handler.function('fn')),",
            "",
        );
        assert_eq!(found(&src), one(CUSTOM_OP_INCOMPLETE, "echo"));
        let src = data(
            &format!("echo: a.query().handler(a.handler.function('fn')){rules},"),
            "",
        );
        assert_eq!(found(&src), one(CUSTOM_OP_INCOMPLETE, "echo"));
        // async handlers need no return type; rules may come from the schema
        let src = data(
            &format!("later: a.mutation().handler(a.handler.function('fn').async()){rules},"),
            "",
        );
        assert_eq!(found(&src), vec![]);
        let src = format!(
            "{H}const schema = a.schema({{ echo: a.query().returns(a.string()).handler(a.handler.function('fn')) }})\
             .authorization((allow) => [allow.authenticated()]);\n"
        );
        assert_eq!(found(&src), vec![]);
        // generation routes need a return type but no handler
        let src = data(&format!("gen: a.generation({{ aiModel: a.ai.model('Claude 3 Haiku'), systemPrompt: 'x' }}){rules},"), "");
        assert_eq!(found(&src), one(CUSTOM_OP_INCOMPLETE, "gen"));
    }

    #[test]
    fn subscription_for() {
        let base = format!(
            "Message: a.model({{ text: a.string() }}){OWNER},\n\
             latest: a.query().returns(a.ref('Message')).handler(a.handler.function('fn')){OWNER},\n\
             send: a.mutation().returns(a.ref('Message')).handler(a.handler.function('fn')){OWNER},\n"
        );
        let sub = |for_: &str| {
            data(
                &format!(
                    "{base}on: a.subscription(){for_}.handler(a.handler.function('fn')){OWNER},"
                ),
                "",
            )
        };
        assert_eq!(found(&sub("")), one(SUBSCRIPTION_FOR, "on"));
        assert_eq!(
            found(&sub(".for(a.ref('Message'))")),
            one(SUBSCRIPTION_FOR, "a.ref('Message')")
        );
        assert_eq!(
            found(&sub(".for(a.ref('latest'))")),
            one(SUBSCRIPTION_FOR, "a.ref('latest')")
        );
        assert_eq!(
            found(&sub(".for(a.ref('send').mutations(['create']))")),
            one(SUBSCRIPTION_FOR, "mutations")
        );
        assert_eq!(
            found(&sub(".for(a.ref('nope'))")),
            one(UNKNOWN_REF, "'nope'")
        );
        assert_eq!(
            found(&sub(".for(a.ref('Message').mutations(['create']))")),
            vec![]
        );
        assert_eq!(
            found(&sub(
                ".for([a.ref('send'), a.ref('Message').mutations(['update'])])"
            )),
            vec![]
        );
    }

    #[test]
    fn subscription_sources_share_a_return_type() {
        // two inline return types always differ (verified)
        let two = data(
            &format!(
                "m1: a.mutation().returns(a.string()).handler(a.handler.function('fn')){OWNER},\n\
                 m2: a.mutation().returns(a.string()).handler(a.handler.function('fn')){OWNER},\n\
                 on: a.subscription().for([a.ref('m1'), a.ref('m2')]).handler(a.handler.function('fn')){OWNER},"
            ),
            "",
        );
        assert_eq!(found(&two), one(SUBSCRIPTION_FOR, "a.ref('m2')"));
        let same = data(
            &format!(
                "P: a.model({{ t: a.string() }}){OWNER},\n\
                 m1: a.mutation().returns(a.ref('P')).handler(a.handler.function('fn')){OWNER},\n\
                 on: a.subscription().for([a.ref('m1'), a.ref('P').mutations(['create'])])\
                 .handler(a.handler.function('fn')){OWNER},"
            ),
            "",
        );
        assert_eq!(found(&same), vec![]);
    }

    #[test]
    fn custom_type_fields_take_no_defaults_or_validation() {
        // verified: both directives are only accepted on model fields
        let src = data(
            &format!(
                "C: a.customType({{ x: a.string().validate((v) => v.minLength(1)), y: a.string().default('a') }}),\n\
                 M: a.model({{ c: a.ref('C') }}){OWNER},"
            ),
            "",
        );
        assert_eq!(
            found(&src),
            vec![
                (VALIDATE_RULES, "validate".to_string()),
                (DEFAULT_VALUE_TYPE, "default('a')".to_string())
            ]
        );
    }

    #[test]
    fn empty_groups() {
        let src = data(
            "R: a.model({ t: a.string() }).authorization((allow) => [allow.groups([])]),",
            "",
        );
        assert_eq!(found(&src), one(EMPTY_GROUPS, "[]"));
        let src = data(
            "R: a.model({ t: a.string() }).authorization((allow) => [allow.groups(['ADMINS'])]),",
            "",
        );
        assert_eq!(found(&src), vec![]);
        // schema rules that no model inherits never reach Amplify's check
        let src = format!(
            "{H}const schema = a.schema({{ R: a.model({{ t: a.string() }}){OWNER} }})\
             .authorization((allow) => [allow.groups([])]);\n"
        );
        assert_eq!(found(&src), vec![]);
    }

    #[test]
    fn default_value_type() {
        let src = data(
            &format!(
                "P: a.model({{ stock: a.integer().default('none'), active: a.boolean().default('yes'), \
                 day: a.date().default('2024-02-30'), at: a.time().default('10:00:00'), mail: a.email().default('x'), \
                 tags: a.string().array().default('a') }}){OWNER},"
            ),
            "",
        );
        assert_eq!(
            found(&src),
            vec![
                (DEFAULT_VALUE_TYPE, "'none'".to_string()),
                (DEFAULT_VALUE_TYPE, "'yes'".to_string()),
                (DEFAULT_VALUE_TYPE, "'2024-02-30'".to_string()),
                (DEFAULT_VALUE_TYPE, "'10:00:00'".to_string()),
                (DEFAULT_VALUE_TYPE, "'x'".to_string()),
                (DEFAULT_VALUE_TYPE, "default('a')".to_string()),
            ]
        );
        let src = data(
            &format!(
                "P: a.model({{ n: a.string().default('untitled'), s: a.integer().default(0), i2: a.integer().default('12abc'), \
                 b: a.boolean().default(true), b2: a.boolean().default('TRUE'), f: a.float().default('.5'), \
                 d: a.date().default('2024-02-29'), t: a.time().default('10:00:00.5+01:00'), \
                 dt: a.datetime().default('2024-01-15T10:00:00Z'), e: a.email().default('x@y.z'), \
                 u: a.url().default('https://x.io'), ip: a.ipAddress().default('10.0.0.1'), j: a.json().default('{{}}'), \
                 s2: a.string().default(5), ts: a.timestamp().default(1700000000), x: a.integer().default(count) }}){OWNER},"
            ),
            "",
        );
        assert_eq!(found(&src), vec![]);
    }

    #[test]
    fn validate_rules() {
        let src = data(
            &format!(
                "P: a.model({{ tags: a.string().array().validate((v) => v.maxLength(20)), \
                 h: a.string().validate((v) => v.minLength(-1)), n: a.integer().validate((v) => v.minLength(2)), \
                 g: a.integer().validate((v) => v.gt(1).positive()) }}){OWNER},"
            ),
            "",
        );
        assert_eq!(
            found(&src),
            vec![
                (VALIDATE_RULES, "validate".to_string()),
                (VALIDATE_RULES, "-1".to_string()),
                (VALIDATE_RULES, "minLength".to_string()),
                (VALIDATE_RULES, "positive".to_string()),
            ]
        );
        // a fractional length is truncated by Amplify and accepted (verified)
        let src = data(
            &format!(
                "P: a.model({{ h: a.string().validate((v) => v.minLength(3).maxLength(2.5)), \
                 n: a.float().validate((v) => v.gte(0).lt(10)) }}){OWNER},"
            ),
            "",
        );
        assert_eq!(found(&src), vec![]);
    }

    #[test]
    fn conversation_owner() {
        let conv =
            "chat: a.conversation({ aiModel: a.ai.model('Claude 3.5 Haiku'), systemPrompt: 'hi' })";
        let src = data(
            &format!("{conv}.authorization((allow) => allow.authenticated()),"),
            "",
        );
        assert_eq!(
            found(&src),
            one(CONVERSATION_OWNER, "allow.authenticated()")
        );
        let src = data(&format!("{conv},"), "");
        assert_eq!(found(&src), one(CONVERSATION_OWNER, "chat"));
        let src = data(
            &format!("{conv}.authorization((allow) => allow.owner()),"),
            "",
        );
        assert_eq!(found(&src), vec![]);
    }

    #[test]
    fn ai_config() {
        let src = data(
            "R: a.model({ t: a.string() }).authorization((allow) => [allow.owner()]),\n\
             chat: a.conversation({ aiModel: a.ai.model('Claude 3.5 Haiku'), systemPrompt: 'hi', \
             inferenceConfiguration: { maxTokens: 0, temperature: 1.5, topP: -0.1 }, tools: [\
             a.ai.dataTool({ name: 'list recipes', description: 'd', model: a.ref('R'), modelOperation: 'list' }), \
             a.ai.dataTool({ name: 'q', description: 'd', query: a.ref('R') })] })\
             .authorization((allow) => allow.owner()),",
            "",
        );
        assert_eq!(
            found(&src),
            vec![
                (AI_CONFIG, "0".to_string()),
                (AI_CONFIG, "1.5".to_string()),
                (AI_CONFIG, "-0.1".to_string()),
                (AI_CONFIG, "'list recipes'".to_string()),
                (AI_CONFIG, "'R'".to_string()),
            ]
        );
        let src = data(
            "R: a.model({ t: a.string() }).authorization((allow) => [allow.owner()]),\n\
             gen: a.generation({ aiModel: a.ai.model('Claude 3 Haiku'), systemPrompt: 'x', \
             inferenceConfiguration: { maxTokens: 1, temperature: 1, topP: 0 } }).returns(a.string())\
             .authorization((allow) => allow.authenticated()),\n\
             chat: a.conversation({ aiModel: a.ai.model('Claude 3.5 Haiku'), systemPrompt: 'hi', tools: [\
             a.ai.dataTool({ name: 'list_r', description: 'd', model: a.ref('R'), modelOperation: 'list' }), \
             a.ai.dataTool({ name: 'gen_x', description: 'd', query: a.ref('gen') })] })\
             .authorization((allow) => allow.owner()),",
            "",
        );
        assert_eq!(found(&src), vec![]);
    }

    #[test]
    fn entry_not_found() {
        let root =
            std::env::temp_dir().join(format!("amplify-lsp-data-entry-{}", std::process::id()));
        let dir = root.join("amplify").join("data");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let path = dir.join("resource.ts");
        let src = data(
            "echo: a.query().returns(a.string()).handler([a.handler.custom({ entry: './echo.js' }), \
             a.handler.custom({ entry: '../../../outside.js' })]).authorization((allow) => [allow.authenticated()]),",
            "",
        );
        let mut facts = facts(&src, true);
        facts.root = Some(root.clone());
        let find = |facts: &ProjectFacts| -> Vec<(&'static str, String)> {
            run_full(&src, facts, Some(&path))
                .into_iter()
                .map(|d| (d.code, src[d.span.start..d.span.end].to_string()))
                .collect()
        };
        // the file outside the project root is never looked at
        assert_eq!(find(&facts), one(ENTRY_NOT_FOUND, "'./echo.js'"));
        std::fs::write(dir.join("echo.js"), "export function request() {}").expect("write");
        assert_eq!(find(&facts), vec![]);
        // without a project root nothing is checked
        facts.root = None;
        std::fs::remove_file(dir.join("echo.js")).expect("rm");
        assert_eq!(find(&facts), vec![]);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn provider_not_configured() {
        let model = |rules: &str| {
            data(
                &format!("T: a.model({{ c: a.string() }}).authorization((allow) => [{rules}]),"),
                "",
            )
        };
        // auth present, no authorizationModes: no API key
        let src = model("allow.publicApiKey()");
        assert_eq!(
            found_auth(&src, true),
            one(PROVIDER_NOT_CONFIGURED, "publicApiKey()")
        );
        assert_eq!(found_auth(&src, false), vec![]);
        let src = model("allow.owner(), allow.authenticated('identityPool'), allow.guest()");
        assert_eq!(
            found_auth(&src, false),
            one(PROVIDER_NOT_CONFIGURED, "owner()")
        );
        assert_eq!(found_auth(&src, true), vec![]);
        let src = model("allow.owner(), allow.authenticated('oidc').to(['read']), allow.custom()");
        assert_eq!(
            found_auth(&src, true),
            vec![
                (PROVIDER_NOT_CONFIGURED, "authenticated('oidc')".to_string()),
                (PROVIDER_NOT_CONFIGURED, "custom()".to_string())
            ]
        );
        // an auth resource Amplify's factory detection may have missed (renamed or namespace import)
        let src = model("allow.owner()");
        let mut f = facts(&src, false);
        f.imported.push((
            PathBuf::from("/p/amplify/auth/resource"),
            "auth".to_string(),
        ));
        assert!(run_full(&src, &f, None).is_empty());
        // operations with function handlers are checked, those with custom JS handlers are not (verified)
        let op = |handler: &str| {
            data(
                &format!(
                    "T: a.model({{ c: a.string() }}){OWNER},\n\
                     echo: a.query().returns(a.string()).handler({handler})\
                     .authorization((allow) => [allow.publicApiKey()]),"
                ),
                "",
            )
        };
        let src = op("a.handler.function(fn)");
        assert_eq!(
            found_auth(&src, true),
            one(PROVIDER_NOT_CONFIGURED, "publicApiKey()")
        );
        let src = op("a.handler.custom({ entry: './x.js' })");
        assert_eq!(found_auth(&src, true), vec![]);
        // conversations need the user pool
        let src = data(
            "chat: a.conversation({ aiModel: a.ai.model('Claude 3.5 Haiku'), systemPrompt: 'hi' })\
             .authorization((allow) => allow.owner()),",
            "",
        );
        assert_eq!(
            found_auth(&src, false),
            one(PROVIDER_NOT_CONFIGURED, "owner()")
        );
        assert_eq!(found_auth(&src, true), vec![]);
        // field-level rules count too
        let src = data(
            "T: a.model({ c: a.string().authorization((allow) => [allow.publicApiKey()]) })\
             .authorization((allow) => [allow.owner()]),",
            "",
        );
        assert_eq!(
            found_auth(&src, true),
            one(PROVIDER_NOT_CONFIGURED, "publicApiKey()")
        );
        // configured modes
        let src = data(
            "T: a.model({ c: a.string() }).authorization((allow) => [allow.owner(), allow.publicApiKey(), \
             allow.authenticated('oidc'), allow.custom()]),",
            ", authorizationModes: { defaultAuthorizationMode: 'userPool', apiKeyAuthorizationMode: {}, \
             oidcAuthorizationMode: oidc, lambdaAuthorizationMode: { function: fn } }",
        );
        assert_eq!(found_auth(&src, true), vec![]);
        // incomplete project facts: silent
        let src = model("allow.publicApiKey()");
        let mut f = facts(&src, true);
        f.complete = false;
        assert!(run_full(&src, &f, None).is_empty());
    }

    #[test]
    fn authorization_modes() {
        let modes = |m: &str| {
            data(
                "T: a.model({ c: a.string() }).authorization((allow) => [allow.guest()]),",
                &format!(", authorizationModes: {{ {m} }}"),
            )
        };
        let src = modes("apiKeyAuthorizationMode: { expiresInDays: 30 }");
        assert_eq!(
            found_auth(&src, true),
            one(DEFAULT_MODE_REQUIRED, "authorizationModes")
        );
        assert_eq!(found_auth(&src, false), vec![]);
        let src = modes("apiKeyAuthorizationMode: {}, lambdaAuthorizationMode: { function: fn }");
        assert_eq!(
            found_auth(&src, false),
            one(DEFAULT_MODE_REQUIRED, "authorizationModes")
        );
        let src = modes("apiKeyAuthorizationMode: undefined");
        assert_eq!(
            found_auth(&src, false),
            one(DEFAULT_MODE_REQUIRED, "authorizationModes")
        );
        let src = modes("defaultAuthorizationMode: 'apiKey', apiKeyAuthorizationMode: {}");
        assert_eq!(found_auth(&src, true), vec![]);
        let src = modes("...shared");
        assert_eq!(found_auth(&src, true), vec![]);
        // 'userPool' needs auth: an error next to another mode, a warning when Amplify falls back to IAM
        let src = modes("defaultAuthorizationMode: 'userPool', apiKeyAuthorizationMode: {}");
        assert_eq!(
            found_auth(&src, false),
            one(USER_POOL_WITHOUT_AUTH, "'userPool'")
        );
        assert_eq!(found_auth(&src, true), vec![]);
        let src = modes("defaultAuthorizationMode: 'userPool'");
        let d = run_full(&src, &facts(&src, false), None);
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].code, d[0].severity),
            (USER_POOL_WITHOUT_AUTH, Severity::Warning)
        );
        assert!(run_full(&src, &facts(&src, true), None).is_empty());
    }

    // ---------------------------------------------------------------------------------------------
    // The fixtures
    // ---------------------------------------------------------------------------------------------

    /// Codes this module reports (data/api-key-expiry is a shape rule).
    const MINE: &[&str] = &[
        DEFAULT_MODE_REQUIRED,
        USER_POOL_WITHOUT_AUTH,
        PROVIDER_NOT_CONFIGURED,
        MISSING_AUTHORIZATION,
        IDENTIFIER_NOT_REQUIRED,
        DEFAULT_WITHOUT_VALUE,
        "data/enum-whitespace",
        UNKNOWN_REF,
        REF_TO_MODEL,
        INDEX_KEY_TYPE,
        INDEX_NAME,
        RELATIONSHIP_COUNTERPART,
        RELATIONSHIP_REFERENCES,
        RELATIONSHIP_REQUIRED,
        OWNER_FIELD_CONFLICT,
        CUSTOM_OP_INCOMPLETE,
        SUBSCRIPTION_FOR,
        EMPTY_GROUPS,
        DEFAULT_VALUE_TYPE,
        VALIDATE_RULES,
        CONVERSATION_OWNER,
        AI_CONFIG,
        ENTRY_NOT_FOUND,
        conflicts::RULE_OPERATIONS,
        conflicts::RESERVED_NAME,
        conflicts::OPERATION_NAME_TAKEN,
        conflicts::INVALID_PROVIDER,
        conflicts::HANDLER_KINDS,
        conflicts::COMBINE_COLLISION,
        conflicts::LEGACY_ALLOW,
        sql::SQL_OWNER_FIELD,
        sql::SQL_RENAME,
        sql::SQL_ADD_MODEL,
        sql::SQL_UNKNOWN_MODEL,
    ];

    /// Fixtures labelled "bad" that the synth tool accepts: their expectation is not ours to meet.
    const ACCEPTED_BY_AMPLIFY: &[&str] = &[
        // maxLength(2.5): Amplify truncates the length with parseInt and accepts it
        "rules/data__validate-rules/bad-3",
        // 'userPool' without auth and no other mode: Amplify falls back to IAM (we warn)
        "rules/data__user-pool-without-auth/bad-2",
    ];

    fn ts_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
        if depth > 6 {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "node_modules") {
                    ts_files(&p, depth + 1, out);
                }
            } else if p.extension().is_some_and(|x| x == "ts") {
                out.push(p);
            }
        }
    }

    fn line_of(src: &str, offset: usize) -> usize {
        src[..offset].matches('\n').count()
    }

    #[test]
    fn fixtures_agree_with_amplify() {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/projects");
        let mut projects: Vec<(String, PathBuf)> = Vec::new();
        for group in ["rules", "valid"] {
            let Ok(entries) = std::fs::read_dir(base.join(group)) else {
                continue;
            };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if group == "rules" {
                    for case in std::fs::read_dir(e.path()).into_iter().flatten().flatten() {
                        let case_name = case.file_name().to_string_lossy().to_string();
                        projects.push((format!("rules/{name}/{case_name}"), case.path()));
                    }
                } else {
                    projects.push((format!("valid/{name}"), e.path()));
                }
            }
        }
        projects.sort();
        let mut checked = 0;
        let mut failures = Vec::new();
        for (label, dir) in &projects {
            let data_file = dir.join("amplify/data/resource.ts");
            let Ok(src) = std::fs::read_to_string(&data_file) else {
                continue;
            };
            let mut files = Vec::new();
            ts_files(&dir.join("amplify"), 0, &mut files);
            let summaries: Vec<Summary> = files
                .iter()
                .filter_map(|f| std::fs::read_to_string(f).ok())
                .map(|s| Summary::of(&file(&s)))
                .collect();
            let facts = ProjectFacts::from_summaries(Some(dir.clone()), summaries.iter());
            let diags = run_full(&src, &facts, Some(&data_file));
            let mut actual: Vec<(usize, &str)> = diags
                .iter()
                .filter(|d| d.severity == Severity::Error && d.code.starts_with("data/"))
                .map(|d| (line_of(&src, d.span.start), d.code))
                .collect();
            actual.sort();
            actual.dedup();
            let mut expected: Vec<(usize, &str)> = Vec::new();
            for (i, line) in src.lines().enumerate() {
                if let Some((_, rest)) = line.split_once("// expect:") {
                    for code in rest.split([' ', ',']).filter(|c| !c.is_empty()) {
                        if let Some(c) = MINE.iter().find(|m| **m == code) {
                            expected.push((i, c));
                        }
                    }
                }
            }
            expected.sort();
            let is_bad = label
                .rsplit('/')
                .next()
                .is_some_and(|c| c.starts_with("bad"));
            if ACCEPTED_BY_AMPLIFY.contains(&label.as_str()) {
                if !actual.is_empty() {
                    failures.push(format!(
                        "{label}: Amplify accepts it but we report {actual:?}"
                    ));
                }
            } else if is_bad || !expected.is_empty() {
                if actual != expected {
                    failures.push(format!("{label}: expected {expected:?}, got {actual:?}"));
                }
            } else if !actual.is_empty() {
                failures.push(format!("{label}: expected no data errors, got {actual:?}"));
            }
            checked += 1;
        }
        assert!(checked >= 60, "only {checked} fixtures found");
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    // --- issue 14: conflicts (data/conflicts.rs) ---

    fn m(rules: &str) -> String {
        data(
            &format!("T: a.model({{ c: a.string() }}).authorization((allow) => [{rules}]),"),
            "",
        )
    }

    #[test]
    fn read_with_its_parts_is_reported_once_per_rule() {
        let src = m("allow.owner().to(['read', 'list', 'get']), allow.authenticated('identityPool').to(['listen', 'read'])");
        assert_eq!(
            found(&src),
            vec![
                (conflicts::RULE_OPERATIONS, "'read'".to_string()),
                (conflicts::RULE_OPERATIONS, "'read'".to_string())
            ]
        );
        assert!(found(&m("allow.owner().to(['read', 'create']), allow.authenticated('identityPool').to(['get', 'list', 'listen', 'sync', 'search'])")).is_empty());
    }

    #[test]
    fn unknown_operations_and_field_read_parts() {
        assert_eq!(
            found(&m("allow.owner().to(['create', 'subscribe'])")),
            one(conflicts::RULE_OPERATIONS, "'subscribe'")
        );
        let src = data(
            "T: a.model({ c: a.string().authorization((allow) => [allow.owner().to(['list']), allow.authenticated('identityPool').to(['read'])]) }).authorization((allow) => [allow.owner()]),",
            "",
        );
        assert_eq!(found(&src), one(conflicts::RULE_OPERATIONS, "'list'"));
        let schema_level = format!("{H}const schema = a.schema({{ T: a.model({{ c: a.string() }}) }}).authorization((allow) => [allow.authenticated('identityPool').to(['read', 'sync'])]);\nexport const data = defineData({{ schema }});\n");
        assert_eq!(
            found(&schema_level),
            one(conflicts::RULE_OPERATIONS, "'read'")
        );
    }

    #[test]
    fn reserved_names_are_models_and_enums_only() {
        let src = data(
            "Query: a.model({ c: a.string() }).authorization((allow) => [allow.owner()]),\nMutation: a.enum(['A']),",
            "",
        );
        assert_eq!(
            found(&src),
            vec![
                (conflicts::RESERVED_NAME, "Query".to_string()),
                (conflicts::RESERVED_NAME, "Mutation".to_string())
            ]
        );
        // a custom type of that name is accepted by Amplify (verified)
        assert!(found(&data("Subscription: a.customType({ c: a.string() }),", "")).is_empty());
        assert!(found(&data("String: a.customType({ c: a.string() }),", "")).is_empty());
        // the scalars of the schema are refused for every kind (verified)
        assert_eq!(
            found(&data(
                "AWSEmail: a.customType({ c: a.string() }),\nAWSJSON: a.enum(['A']),",
                ""
            )),
            vec![
                (conflicts::RESERVED_NAME, "AWSEmail".to_string()),
                (conflicts::RESERVED_NAME, "AWSJSON".to_string())
            ]
        );
    }

    fn op(name: &str, kind: &str) -> String {
        let ret = if kind == "subscription" {
            ""
        } else {
            ".returns(a.string())"
        };
        let extra = if kind == "subscription" {
            ".for(a.ref('ping'))"
        } else {
            ""
        };
        format!("{name}: a.{kind}(){ret}{extra}.handler(a.handler.function(fn1)).authorization((allow) => [allow.authenticated('identityPool')]),")
    }

    #[test]
    fn custom_operations_named_like_generated_ones() {
        let model = "ServiceRequest: a.model({ c: a.string() }).authorization((allow) => [allow.owner()]),\nping: a.mutation().returns(a.string()).handler(a.handler.function(fn1)).authorization((allow) => [allow.authenticated('identityPool')]),";
        for (name, kind) in [
            ("getServiceRequest", "query"),
            ("listServiceRequests", "query"),
            ("createServiceRequest", "mutation"),
            ("updateServiceRequest", "mutation"),
            ("deleteServiceRequest", "mutation"),
            ("onCreateServiceRequest", "subscription"),
        ] {
            let src = data(&format!("{model}\n{}", op(name, kind)), "");
            let d = run_full(&src, &facts(&src, true), None);
            let hit: Vec<_> = d
                .iter()
                .filter(|d| d.code == conflicts::OPERATION_NAME_TAKEN)
                .collect();
            assert_eq!(hit.len(), 1, "{name}: {d:?}");
            assert_eq!(&src[hit[0].span.start..hit[0].span.end], name);
            assert_eq!(hit[0].related.len(), 1);
        }
        // another root type, an unsure plural, disabled operations: silent
        for (model, name, kind) in [
            ("ServiceRequest", "getServiceRequest", "mutation"),
            ("Person", "listPeople", "query"),
            ("Person", "listPersons", "query"),
        ] {
            let src = data(&format!("{model}: a.model({{ c: a.string() }}).authorization((allow) => [allow.owner()]),\n{}", op(name, kind)), "");
            assert!(
                !codes(&src).contains(&conflicts::OPERATION_NAME_TAKEN),
                "{name}"
            );
        }
        let src = data(&format!("ServiceRequest: a.model({{ c: a.string() }}).disableOperations(['mutations']).authorization((allow) => [allow.owner()]),\n{}", op("createServiceRequest", "mutation")), "");
        assert!(!codes(&src).contains(&conflicts::OPERATION_NAME_TAKEN));
    }

    #[test]
    fn refused_providers_are_invalid_not_unconfigured() {
        assert_eq!(
            found(&m("allow.owner('identityPool')")),
            one(conflicts::INVALID_PROVIDER, "'identityPool'")
        );
        assert_eq!(
            found(&m("allow.authenticated('function')")),
            one(conflicts::INVALID_PROVIDER, "'function'")
        );
        assert_eq!(
            found(&m("allow.ownerDefinedIn('c', 'apiKey')")),
            one(conflicts::INVALID_PROVIDER, "'apiKey'")
        );
        assert!(found(&m(
            "allow.owner('userPools'), allow.authenticated('identityPool')"
        ))
        .is_empty());
    }

    #[test]
    fn handler_kinds_and_custom_handlers_with_identity_pool() {
        let q = |handler: &str, rule: &str| {
            data(
                &format!("q: a.query().returns(a.string()).handler({handler}).authorization((allow) => [{rule}]),"),
                "",
            )
        };
        let mixed = q(
            "[a.handler.function(fn1), a.handler.custom({ entry: './x.js' })]",
            "allow.authenticated()",
        );
        assert_eq!(found(&mixed), one(conflicts::HANDLER_KINDS, "handler"));
        let guest = q("a.handler.custom({ entry: './x.js' })", "allow.guest()");
        assert_eq!(found(&guest), one(conflicts::HANDLER_KINDS, "guest()"));
        let idp = q(
            "a.handler.custom({ entry: './x.js' })",
            "allow.authenticated('identityPool')",
        );
        assert_eq!(
            found(&idp),
            one(conflicts::HANDLER_KINDS, "authenticated('identityPool')")
        );
        assert!(found(&q(
            "[a.handler.custom({ entry: './x.js' }), a.handler.custom({ entry: './y.js' })]",
            "allow.authenticated()"
        ))
        .is_empty());
        assert!(found(&q("a.handler.function(fn1)", "allow.guest()")).is_empty());
    }

    #[test]
    fn combine_collisions() {
        let src = format!("{H}const s1 = a.schema({{ T: a.model({{ c: a.string() }}).authorization((allow) => [allow.owner()]) }});\nconst s2 = a.schema({{ T: a.enum(['A']) }});\nconst schema = a.combine([s1, s2]);\nexport const data = defineData({{ schema }});\n");
        assert_eq!(found(&src), one(conflicts::COMBINE_COLLISION, "T"));
        let ok = src.replace("{ T: a.enum", "{ U: a.enum");
        assert!(found(&ok).is_empty());
    }

    #[test]
    fn pre_release_allow() {
        let src = data(
            "T: a.model({ c: a.string() }).authorization([a.allow.owner()]),",
            "",
        );
        assert!(found(&src).contains(&(conflicts::LEGACY_ALLOW, "allow".to_string())));
        // not the builder: silent
        let other = "const a = { allow: { owner: () => 1 } };\nconst x = a.allow.owner();\n";
        assert!(found(other).is_empty());
    }

    #[test]
    fn sql_reference_not_found() {
        let root =
            std::env::temp_dir().join(format!("amplify-lsp-data-sqlref-{}", std::process::id()));
        let dir = root.join("amplify").join("data");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let path = dir.join("resource.ts");
        let src = format!(
            "{H}import {{ schema as generated }} from './schema.sql';\nconst schema = generated.addToSchema({{ \
             n: a.query().returns(a.integer()).handler(a.handler.sqlReference('./count.sql')), \
             m: a.query().returns(a.integer()).handler(a.handler.sqlReference('../../../outside.sql')) }});\n\
             export const data = defineData({{ schema }});\n"
        );
        let mut facts = facts(&src, true);
        facts.root = Some(root.clone());
        let find = |facts: &ProjectFacts| -> Vec<(&'static str, String)> {
            run_full(&src, facts, Some(&path))
                .into_iter()
                .map(|d| (d.code, src[d.span.start..d.span.end].to_string()))
                .collect()
        };
        assert_eq!(find(&facts), one(ENTRY_NOT_FOUND, "'./count.sql'"));
        std::fs::write(dir.join("count.sql"), "SELECT 1;").expect("write");
        assert_eq!(find(&facts), vec![]);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn sql_models_have_no_sync() {
        let src = format!(
            "{H}import {{ schema as generated }} from './schema.sql';\nconst schema = generated.setAuthorization((models) => [\
             models.todos.authorization((allow) => [allow.authenticated().to(['get', 'sync'])]),\
             models.notes.authorization((allow) => [allow.authenticated().to(['read'])])]);\n\
             export const data = defineData({{ schema }});\n"
        );
        assert_eq!(found(&src), one(conflicts::RULE_OPERATIONS, "'sync'"));
        // not a SQL schema's setAuthorization: the model's own rules are checked by the schema rules
        let plain = m("allow.owner().to(['sync'])");
        assert!(found(&plain).is_empty());
    }
}
