//! Facts about the whole Amplify project that single-file rules need (does auth exist, which groups, which
//! data authorization modes...). Built by the workspace index from every file's [`Summary`]; plain data.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::file::{DefineKind, FileModel};
use super::frontend::BackendView;
use super::value::{Kind, Value};
use crate::text::Span;

/// The names of an `export ... from` statement: `None` for `export *`, else (name in the source module,
/// exported name).
pub type ReexportNames = Option<Vec<(String, String)>>;

/// What one file contributes to the project.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Factory calls: kind, binding name, exported, the call's span.
    pub defines: Vec<(DefineKind, Option<String>, bool, Span)>,
    /// `defineAuth({ groups: [...] })` names with their spans.
    pub auth_groups: Vec<(String, Span)>,
    /// Some `groups` value could not be read completely (an identifier, a spread, a non-literal entry).
    pub auth_groups_partial: bool,
    /// The data authorization modes, when this file has `defineData`.
    pub data: Option<DataModes>,
    /// `defineData({ functions: { key: ... } })` keys.
    pub data_function_keys: Vec<String>,
    /// `defineStorage` buckets: (name, isDefault literal, call span).
    pub buckets: Vec<(Option<String>, Option<bool>, Span)>,
    /// `defineFunction` names as written (`name:`), or None when derived from the folder/entry.
    pub function_names: Vec<(Option<String>, Span)>,
    /// `defineBackend({ key: ident })` entries: (key, identifier passed, key span).
    pub backend_entries: Vec<(String, Option<String>, Span)>,
    /// Named value imports: (module specifier, imported name).
    pub imports: Vec<(String, String)>,
    /// The file's path, when known (set by the index; used to resolve relative imports).
    pub path: Option<PathBuf>,
    /// Exported top-level bindings whose value is certainly not an Amplify resource: (name, what it is, e.g.
    /// "a string").
    pub plain_exports: Vec<(String, String)>,
    /// `defineData({ functions })` is given but its keys cannot all be read.
    pub data_functions_unknown: bool,
    /// Named value imports with their local names: (module specifier, imported name, local name).
    pub import_locals: Vec<(String, String, String)>,
    /// Every module specifier this file loads (value imports, side-effect imports and re-exports).
    pub import_sources: Vec<String>,
    /// `export ... from` statements: (module specifier, `None` for `*`, else (source name, exported name)).
    pub reexports: Vec<(String, ReexportNames)>,
    /// Some `defineBackend` argument is not a plain object literal (a conditional, a spread, a variable).
    pub backend_entries_unknown: bool,
    /// What this file's resources tell the frontend checks.
    pub view: BackendView,
}

/// The authorization modes declared in `defineData`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataModes {
    /// Whether `authorizationModes` is present at all.
    pub given: bool,
    /// `defaultAuthorizationMode` when it is a literal.
    pub default_mode: Option<String>,
    pub api_key: bool,
    pub oidc: bool,
    pub lambda: bool,
    /// The span of `authorizationModes` (or of the `defineData` call when absent). Zero in the project facts the
    /// workspace index keeps (they are kept while positions move).
    pub span: Span,
}

/// Project-wide facts, with the file they come from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectFacts {
    /// The project root (the folder holding `amplify/`), when known.
    pub root: Option<PathBuf>,
    /// `defineAuth` or `referenceAuth` exists somewhere in the project.
    pub has_auth: bool,
    pub auth_groups: Vec<String>,
    /// Whether `auth_groups` is the complete list (every `groups` entry was a string literal).
    pub auth_groups_known: bool,
    /// The project's data modes, when it has `defineData`.
    pub data: Option<DataModes>,
    pub data_function_keys: Vec<String>,
    /// Number of `defineStorage` buckets, and how many say `isDefault: true`.
    pub bucket_count: usize,
    pub default_buckets: usize,
    /// Identifiers passed to `defineBackend`, when the project has one.
    pub backend_idents: Option<Vec<String>>,
    /// Whether the facts are complete (the project was found and read); rules that need the whole project
    /// stay silent when it is not.
    pub complete: bool,
    /// Some file of the project calls `defineBackend`.
    pub has_backend: bool,
    /// Every relative named import in the project: (imported module's path without extension, name).
    pub imported: Vec<(PathBuf, String)>,
    /// Exported resources: (module path without extension, binding name, factory).
    pub resource_exports: Vec<(PathBuf, String, DefineKind)>,
    /// Exported bindings that are certainly not resources: (module path without extension, name, what).
    pub plain_exports: Vec<(PathBuf, String, String)>,
    /// Some `defineData({ functions })` keys cannot be read.
    pub data_functions_unknown: bool,
    /// Relative imports of the files that call `defineBackend`: (module path without extension, imported
    /// name, local name).
    pub backend_imports: Vec<(PathBuf, String, String)>,
    /// Project files (paths without extension) that no file calling `defineBackend` reaches through its
    /// imports: Amplify never loads them. Empty when the project has no backend or the imports cannot all be
    /// followed.
    pub unreached: Vec<PathBuf>,
    /// What the project's resources tell the frontend checks (merged from the files Amplify loads).
    pub backend_view: BackendView,
}

impl ProjectFacts {
    /// Whether API-key rules work: an API key mode is declared, the default mode is `apiKey`, or the
    /// project has neither auth nor `authorizationModes` (Amplify then creates a key itself).
    pub fn api_key_enabled(&self) -> bool {
        match &self.data {
            Some(d) => {
                d.api_key
                    || d.default_mode.as_deref() == Some("apiKey")
                    || (!self.has_auth && !d.given)
            }
            None => !self.has_auth,
        }
    }
    /// Whether the file at `path` is certainly never loaded by `defineBackend` (see [`ProjectFacts::unreached`]).
    pub fn is_unreached(&self, path: &std::path::Path) -> bool {
        !self.unreached.is_empty() && self.unreached.contains(&normalize(path))
    }

    pub fn oidc_enabled(&self) -> bool {
        self.data
            .as_ref()
            .is_some_and(|d| d.oidc || d.default_mode.as_deref() == Some("oidc"))
    }
    pub fn lambda_enabled(&self) -> bool {
        self.data
            .as_ref()
            .is_some_and(|d| d.lambda || d.default_mode.as_deref() == Some("lambda"))
    }
}

impl Summary {
    pub fn of(file: &FileModel) -> Summary {
        Summary {
            view: super::frontend::view_of(file),
            ..Summary::of_backend(file)
        }
    }

    /// [`Summary::of`] without what only frontend files read ([`Summary::view`] left empty): building the view
    /// of a 1,000-model schema is a few milliseconds a keystroke, wasted while no frontend file is open.
    pub fn of_backend(file: &FileModel) -> Summary {
        let mut s = Summary::default();
        for r in &file.reexports {
            s.import_sources.push(r.source.clone());
            s.reexports.push((r.source.clone(), r.names.clone()));
        }
        for i in &file.imports {
            if i.type_only {
                continue;
            }
            s.import_sources.push(i.source.clone());
            for n in &i.names {
                s.imports.push((i.source.clone(), n.imported.clone()));
                s.import_locals
                    .push((i.source.clone(), n.imported.clone(), n.local.clone()));
            }
        }
        for d in &file.defines {
            s.defines
                .push((d.kind, d.binding.clone(), d.exported, d.call_span));
            let arg = d.arg.as_ref();
            match d.kind {
                DefineKind::Auth | DefineKind::ReferenceAuth => {
                    if arg.is_some_and(|a| a.has_spread() || !matches!(a.kind, Kind::Object(_))) {
                        s.auth_groups_partial = true;
                    }
                    if let Some(groups) = arg.and_then(|a| a.field("groups")) {
                        let groups = file.resolve(groups);
                        if let Some(items) = groups.as_array() {
                            for g in items {
                                if let Some(name) = g.as_str() {
                                    s.auth_groups.push((name.to_string(), g.span));
                                } else {
                                    s.auth_groups_partial = true;
                                }
                            }
                        } else if groups.as_object().is_none() {
                            s.auth_groups_partial = true;
                        }
                        // referenceAuth: groups is an object keyed by group name
                        if let Some(props) = groups.as_object() {
                            for p in props {
                                if let Some(k) = &p.key {
                                    s.auth_groups.push((k.to_string(), p.key_span));
                                }
                            }
                        }
                    }
                }
                DefineKind::Data => {
                    let modes = arg.and_then(|a| a.get("authorizationModes"));
                    let mut dm = DataModes {
                        given: modes.is_some(),
                        span: modes.map_or(d.call_span, |m| m.span),
                        ..DataModes::default()
                    };
                    if let Some(m) = modes.map(|m| file.resolve(&m.value)) {
                        dm.default_mode = m
                            .field("defaultAuthorizationMode")
                            .and_then(Value::as_str)
                            .map(str::to_string);
                        dm.api_key = m.get("apiKeyAuthorizationMode").is_some();
                        dm.oidc = m.get("oidcAuthorizationMode").is_some();
                        dm.lambda = m.get("lambdaAuthorizationMode").is_some();
                        if m.has_spread() || !matches!(m.kind, Kind::Object(_)) {
                            // unknown contents: assume every mode may be there
                            dm.api_key = true;
                            dm.oidc = true;
                            dm.lambda = true;
                        }
                    }
                    s.data = Some(dm);
                    if let Some(fns) = arg
                        .and_then(|a| a.field("functions"))
                        .and_then(Value::as_object)
                    {
                        s.data_function_keys.extend(
                            fns.iter()
                                .filter_map(|p| p.key.as_ref().map(|k| k.to_string())),
                        );
                    }
                    // (the keys above are read from a literal object only)
                    let fns = arg.and_then(|a| a.field("functions"));
                    if arg.is_some_and(|a| a.has_spread() || !matches!(a.kind, Kind::Object(_)))
                        || fns.is_some_and(|v| {
                            v.as_object()
                                .is_none_or(|ps| ps.iter().any(|p| p.key.is_none()))
                        })
                    {
                        s.data_functions_unknown = true;
                    }
                }
                DefineKind::Storage => {
                    let name = arg
                        .and_then(|a| a.field("name"))
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    let is_default = arg
                        .and_then(|a| a.field("isDefault"))
                        .and_then(Value::as_bool);
                    s.buckets.push((name, is_default, d.call_span));
                }
                DefineKind::Function | DefineKind::ConversationHandler => {
                    let name = arg
                        .and_then(|a| a.field("name"))
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    s.function_names.push((name, d.call_span));
                }
                DefineKind::Backend => {
                    let resolved = arg.map(|a| file.resolve(a));
                    if resolved.is_none_or(|a| a.as_object().is_none() || a.has_spread()) {
                        s.backend_entries_unknown = true;
                    }
                    if let Some(props) = resolved.and_then(Value::as_object) {
                        for p in props {
                            if let Some(k) = &p.key {
                                s.backend_entries.push((
                                    k.to_string(),
                                    p.value.as_ident().map(str::to_string),
                                    p.key_span,
                                ));
                            }
                        }
                    }
                }
            }
        }
        for b in file
            .bindings
            .iter()
            .filter(|b| b.exported && b.define.is_none())
        {
            if let Some(what) = b.value.as_ref().and_then(plain_value) {
                s.plain_exports.push((b.name.clone(), what.to_string()));
            }
        }
        s
    }
}

/// What a value is, when it certainly is not an Amplify resource (a literal, a function, an `a.*` builder);
/// `None` when it could be one (a call, an identifier...).
pub fn plain_value(v: &Value) -> Option<&'static str> {
    Some(match &v.kind {
        Kind::Str(_) | Kind::Template => "a string",
        Kind::Num(_) => "a number",
        Kind::Bool(_) => "a boolean",
        Kind::Null => "null",
        Kind::Undefined => "undefined",
        Kind::Array(_) => "an array",
        Kind::Object(_) => "an object",
        Kind::Func(_) => "a plain function",
        Kind::Call { .. } | Kind::Member { .. } => {
            let chain = v.chain()?;
            if chain.root == "a" && chain.root_args.is_none() && !chain.links.is_empty() {
                "a data-schema builder value"
            } else {
                return None;
            }
        }
        _ => return None,
    })
}

impl ProjectFacts {
    /// Combines the summaries of every file of one project.
    pub fn from_summaries<'a>(
        root: Option<PathBuf>,
        summaries: impl IntoIterator<Item = &'a Summary>,
    ) -> Self {
        let mut backend_unknown = false;
        let mut f = ProjectFacts {
            root,
            complete: true,
            auth_groups_known: true,
            ..ProjectFacts::default()
        };
        let summaries: Vec<&Summary> = summaries.into_iter().collect();
        let graph = Graph::of(&summaries);
        f.unreached = graph.unreached(&summaries);
        let unreached: HashSet<&PathBuf> = f.unreached.iter().collect();
        for s in &summaries {
            let s = *s;
            // a file Amplify never loads adds nothing to the deployed project
            let counts = !s
                .path
                .as_deref()
                .is_some_and(|p| unreached.contains(&normalize(p)));
            if counts {
                f.backend_view.merge(&s.view);
                for (kind, ..) in &s.defines {
                    if matches!(kind, DefineKind::Auth | DefineKind::ReferenceAuth) {
                        f.has_auth = true;
                    }
                }
                f.auth_groups
                    .extend(s.auth_groups.iter().map(|(g, _)| g.clone()));
                if s.auth_groups_partial {
                    f.auth_groups_known = false;
                }
                if let Some(d) = &s.data {
                    f.data = Some(d.clone());
                }
                f.data_function_keys
                    .extend(s.data_function_keys.iter().cloned());
                f.bucket_count += s.buckets.len();
                f.default_buckets += s.buckets.iter().filter(|b| b.1 == Some(true)).count();
            }
            if let Some(dir) = s.path.as_deref().and_then(std::path::Path::parent) {
                for (source, name) in &s.imports {
                    if source.starts_with('.') {
                        let target = graph.resolve(&normalize(&dir.join(source)));
                        // through `export ... from` files, to the module that defines the name
                        for (m, n) in graph.through_reexports(target, name) {
                            f.imported.push((m, n));
                        }
                    }
                }
                if s.defines.iter().any(|d| d.0 == DefineKind::Backend) {
                    for (source, name, local) in &s.import_locals {
                        if source.starts_with('.') {
                            f.backend_imports.push((
                                normalize(&dir.join(source)),
                                name.clone(),
                                local.clone(),
                            ));
                        }
                    }
                }
            }
            if let Some(me) = s.path.as_deref().map(normalize) {
                for (kind, binding, exported, _) in &s.defines {
                    if let (Some(b), true) = (binding, exported) {
                        f.resource_exports.push((me.clone(), b.clone(), *kind));
                    }
                }
                for (name, what) in &s.plain_exports {
                    f.plain_exports
                        .push((me.clone(), name.clone(), what.clone()));
                }
            }
            if s.data_functions_unknown && counts {
                f.data_functions_unknown = true;
            }
            if s.defines.iter().any(|d| d.0 == DefineKind::Backend) {
                f.has_backend = true;
                let idents = f.backend_idents.get_or_insert_with(Vec::new);
                idents.extend(
                    s.backend_entries
                        .iter()
                        .map(|(k, ident, _)| ident.clone().unwrap_or_else(|| k.clone())),
                );
                if s.backend_entries_unknown {
                    backend_unknown = true;
                }
            }
        }
        if backend_unknown {
            // what is passed is not a plain object: we cannot tell which resources are in it
            f.backend_idents = None;
        }
        f
    }
}

/// The project's files and the modules each one loads, by path without extension.
struct Graph {
    /// file -> (the files it loads that are in the project, whether it loads a module we cannot place: a
    /// relative path that is not a project file, a path alias such as `@/...`, an absolute path)
    edges: HashMap<PathBuf, (Vec<PathBuf>, bool)>,
    /// The files in the order of the summaries.
    order: Vec<PathBuf>,
    /// file -> its `export ... from` statements resolved to project files
    reexports: HashMap<PathBuf, Vec<(PathBuf, ReexportNames)>>,
    /// Some file has no path: reachability is then unknown.
    unknown: bool,
}

impl Graph {
    fn of(summaries: &[&Summary]) -> Graph {
        let nodes: HashSet<PathBuf> = summaries
            .iter()
            .filter_map(|s| s.path.as_deref().map(normalize))
            .collect();
        let place = |p: PathBuf| -> Option<PathBuf> {
            if nodes.contains(&p) {
                return Some(p);
            }
            let index = p.join("index");
            nodes.contains(&index).then_some(index)
        };
        let mut g = Graph {
            edges: HashMap::new(),
            order: Vec::new(),
            reexports: HashMap::new(),
            unknown: false,
        };
        for s in summaries {
            let Some(path) = s.path.as_deref() else {
                g.unknown = true;
                continue;
            };
            let dir = path.parent().unwrap_or(std::path::Path::new(""));
            let mut to = Vec::new();
            let mut unplaced = false;
            for source in &s.import_sources {
                if source.starts_with('.') {
                    match place(normalize(&dir.join(source))) {
                        Some(t) => to.push(t),
                        // a data file (`./x.json`) loads nothing further
                        None => unplaced |= !has_data_extension(source),
                    }
                } else if is_alias(source) {
                    unplaced = true;
                }
            }
            let mut re = Vec::new();
            for (source, names) in &s.reexports {
                if source.starts_with('.') {
                    if let Some(t) = place(normalize(&dir.join(source))) {
                        re.push((t, names.clone()));
                    }
                }
            }
            let me = normalize(path);
            g.order.push(me.clone());
            g.edges.insert(me.clone(), (to, unplaced));
            g.reexports.insert(me, re);
        }
        g
    }

    /// A module path as a project file: itself, or its folder's `index`.
    fn resolve(&self, p: &std::path::Path) -> PathBuf {
        if self.edges.contains_key(p) {
            return p.to_path_buf();
        }
        let index = p.join("index");
        if self.edges.contains_key(&index) {
            return index;
        }
        p.to_path_buf()
    }

    /// `(module, name)` and, when `module` re-exports `name` from other files, those files and names too.
    fn through_reexports(&self, module: PathBuf, name: &str) -> Vec<(PathBuf, String)> {
        let mut out = vec![(module, name.to_string())];
        let mut i = 0;
        // bounded: each (module, name) once
        while i < out.len() && out.len() < 256 {
            let (m, n) = out[i].clone();
            i += 1;
            let Some(re) = self.reexports.get(&m) else {
                continue;
            };
            for (target, names) in re {
                let next = match names {
                    None => Some(n.clone()),
                    Some(list) => list
                        .iter()
                        .find(|(_, exported)| *exported == n)
                        .map(|(orig, _)| orig.clone()),
                };
                if let Some(next) = next {
                    let item = (target.clone(), next);
                    if !out.contains(&item) {
                        out.push(item);
                    }
                }
            }
        }
        out
    }

    /// The files no `defineBackend` file reaches, when that is certain.
    fn unreached(&self, summaries: &[&Summary]) -> Vec<PathBuf> {
        if self.unknown {
            return Vec::new();
        }
        let mut queue: Vec<PathBuf> = summaries
            .iter()
            .filter(|s| s.defines.iter().any(|d| d.0 == DefineKind::Backend))
            .filter_map(|s| s.path.as_deref().map(normalize))
            .collect();
        if queue.is_empty() {
            return Vec::new();
        }
        let mut seen: HashSet<PathBuf> = queue.iter().cloned().collect();
        while let Some(at) = queue.pop() {
            let Some((to, unplaced)) = self.edges.get(&at) else {
                continue;
            };
            if *unplaced {
                // it loads a file we do not know (outside the project, unread): it may reach anything
                return Vec::new();
            }
            for t in to {
                if seen.insert(t.clone()) {
                    queue.push(t.clone());
                }
            }
        }
        self.order
            .iter()
            .filter(|n| !seen.contains(*n))
            .cloned()
            .collect()
    }
}

/// A module specifier naming a file that is not code (`./config.json`).
fn has_data_extension(source: &str) -> bool {
    std::path::Path::new(source)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| {
            !matches!(
                e,
                "ts" | "tsx" | "mts" | "cts" | "js" | "jsx" | "mjs" | "cjs"
            ) && e.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// A module specifier that is neither relative nor a package name: a path alias or an absolute path
/// (`$amplify/env/<function>`, which Amplify generates for a handler, is neither).
fn is_alias(source: &str) -> bool {
    if source.starts_with("$amplify/") {
        return false;
    }
    source.starts_with('/')
        || source.starts_with('~')
        || source.starts_with('#')
        || source.starts_with("@/")
        || source.starts_with("$")
}

/// A path with `.`/`..` segments resolved and a TypeScript/JavaScript extension removed, for comparing module
/// specifiers with file paths.
pub fn normalize(p: &std::path::Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    let strip = out.extension().is_some_and(|e| {
        matches!(
            e.to_str(),
            Some("ts" | "tsx" | "mts" | "cts" | "js" | "mjs" | "cjs")
        )
    });
    if strip {
        out.set_extension("");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, Lang};
    use std::path::Path;

    fn summary(path: &str, src: &str) -> Summary {
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        let mut s = Summary::of(&FileModel::build(&tree, src, Lang::TypeScript));
        s.path = Some(PathBuf::from(path));
        s
    }

    const AUTH: &str = "import { defineAuth } from '@aws-amplify/backend';\nexport const auth = defineAuth({ loginWith: { email: true } });";
    const BUCKET: &str = "export const photos = defineStorage({ name: 'photos' });";

    #[test]
    fn files_no_backend_reaches_do_not_count() {
        let files = [
            summary("/p/amplify/backend.ts", "import { auth } from './auth/resource';\nimport { fns } from './functions';\ndefineBackend({ auth, fns });"),
            summary("/p/amplify/auth/resource.ts", AUTH),
            summary("/p/amplify/functions/index.ts", "export * from './send/resource';"),
            summary("/p/amplify/functions/send/resource.ts", "export const fns = defineFunction({});"),
            summary("/p/amplify/storage/resource.ts", BUCKET),
            summary("/p/amplify/storage/old.ts", "import { x } from './resource';\nexport const old = defineStorage({ name: 'old' });"),
            // a handler: loaded by its function's `entry`, not by an import; `$amplify/env` is generated
            summary("/p/amplify/functions/send/handler.ts", "import { env } from '$amplify/env/send';\nexport const handler = async () => env;"),
        ];
        let f = ProjectFacts::from_summaries(Some(PathBuf::from("/p")), files.iter());
        assert_eq!(
            f.unreached,
            [
                PathBuf::from("/p/amplify/storage/resource"),
                PathBuf::from("/p/amplify/storage/old"),
                PathBuf::from("/p/amplify/functions/send/handler")
            ]
        );
        assert!(f.is_unreached(Path::new("/p/amplify/storage/old.ts")));
        assert!(!f.is_unreached(Path::new("/p/amplify/functions/send/resource.ts")));
        assert_eq!(f.bucket_count, 0);
        assert!(f.has_auth);
        // the import through `export *` reaches the defining file
        assert!(f.imported.contains(&(
            PathBuf::from("/p/amplify/functions/send/resource"),
            "fns".to_string()
        )));
    }

    #[test]
    fn reachability_unknown_means_every_file_counts() {
        // a path alias, or an import of a file we do not have
        for backend in [
            "import { auth } from '@/amplify/auth/resource';\ndefineBackend({ auth });",
            "import { auth } from '../shared/auth';\ndefineBackend({ auth });",
        ] {
            let files = [
                summary("/p/amplify/backend.ts", backend),
                summary("/p/amplify/storage/resource.ts", BUCKET),
            ];
            let f = ProjectFacts::from_summaries(Some(PathBuf::from("/p")), files.iter());
            assert!(f.unreached.is_empty(), "{backend}");
            assert_eq!(f.bucket_count, 1);
        }
        // no backend at all
        let files = [summary("/p/amplify/storage/resource.ts", BUCKET)];
        let f = ProjectFacts::from_summaries(None, files.iter());
        assert!(f.unreached.is_empty());
    }

    #[test]
    fn conditional_backend_arguments_are_unknown() {
        let files = [summary(
            "/p/amplify/backend.ts",
            "import { auth } from './auth/resource';\ndefineBackend(jobs ? { auth, x } : { auth });",
        )];
        let f = ProjectFacts::from_summaries(None, files.iter());
        assert!(f.has_backend);
        assert!(f.backend_idents.is_none());
    }
}
