//! The language server: state, capabilities, and one handler per LSP method.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use tower_lsp_server::jsonrpc::{Error as RpcError, Result as RpcResult};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use super::config::Settings;
use super::convert;
use super::framing;
use super::panics;
use super::publish::{Publication, Publisher};
use crate::analysis::{self, Options};
use crate::model::project::Summary;
use crate::syntax::Lang;
use crate::text::Encoding;
use crate::workspace::index::{amplify_types_installed, Seen};
use crate::workspace::{DocumentStore, ProjectIndex, Snapshot};

/// A project whose facts an edit changed, and which of its files can see it.
pub(crate) struct Changed {
    root: PathBuf,
    seen: Seen,
}

/// Reloads the log filter when the `logLevel` setting changes.
pub type LogReload = Box<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// The server: a cheap handle on its [`State`], so work can be handed to other threads (see [`super::work`]).
#[derive(Clone)]
pub struct Backend(Arc<State>);

impl std::ops::Deref for Backend {
    type Target = State;
    fn deref(&self) -> &State {
        &self.0
    }
}

pub struct State {
    pub(crate) client: Client,
    /// Where published diagnostics go (see [`super::publish`]).
    publisher: Publisher,
    pub(crate) docs: DocumentStore,
    pub(crate) index: ProjectIndex,
    /// The client's capabilities, as sent in `initialize`.
    pub(crate) client_caps: RwLock<ClientCapabilities>,
    /// The workspace folders (or root) sent in `initialize`: used when the client cannot list them later.
    pub(crate) init_folders: RwLock<Vec<PathBuf>>,
    settings: RwLock<Settings>,
    encoding: AtomicU8,
    /// The client pulls diagnostics (`textDocument/diagnostic`) and lets us ask it to pull again
    /// (`workspace/diagnostic/refresh`), so we do not push them.
    pull_diagnostics: AtomicBool,
    /// Asks a pull client to pull again; see [`Refresher`].
    refresher: Refresher,
    /// The client lets us register file watchers dynamically.
    watch_dynamic: AtomicBool,
    /// The client accepts snippets in completion items.
    snippets: AtomicBool,
    /// The newest version whose diagnostics were published per URI, the epoch their computation started in,
    /// and a digest of the list: never publish an older version after it, nor an older computation of the same
    /// version, nor the same list for the same version twice.
    published: Mutex<HashMap<String, (i32, u64, u64)>>,
    /// The types of each open Amplify document's data schema as its newest analysed version had them, with that
    /// version: what a completion of type names (`a.ref('`) reads while this version's model is being built.
    recent_types: Mutex<HashMap<String, RecentTypes>>,
    /// Counts the computations of pushed diagnostics, in the order they start.
    publish_epoch: std::sync::atomic::AtomicU64,
    shutdown: Arc<AtomicBool>,
    log_reload: Option<LogReload>,
    /// `AMPLIFY_LSP_TEST_HOOKS=1` at start: enables `amplify/debugPanic` and the panic marker (tests only).
    test_hooks: bool,
    /// The threads that compute, off the message loop.
    pub(crate) work: super::work::Work,
    /// Whether the workspace was indexed (set once, after `initialized`).
    indexed: tokio::sync::watch::Sender<bool>,
    /// The last answer of [`Backend::types_installed`] per folder, for the completions answered on the message
    /// loop, which do not touch the disk (see [`CompletionMode::Inline`]). Looked up again on the pool when a
    /// document opens and after each completion that used it; forgotten at an open and on file events. So an
    /// `npm install` run while a file is open shows in its second completion after it, not its first.
    types_seen: Mutex<HashMap<PathBuf, bool>>,
}

/// Where a completion is computed, and what it may read there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CompletionMode {
    /// On the message loop, right when the request arrives: from the text, the catalog, and the file model
    /// only if this version's is built already. Nothing waits and nothing touches the disk; a completion that
    /// needs more is not answered here.
    Inline,
    /// On the pool. `facts_current` tells whether the index updates of the edits that arrived before the
    /// request are done (see [`Backend::offload_request`]).
    Pool { facts_current: bool },
}

/// The environment variable that enables the test hooks.
pub const TEST_HOOKS_ENV: &str = "AMPLIFY_LSP_TEST_HOOKS";

/// With the test hooks on, analysing a document that contains this string panics (to test panic isolation
/// of notifications such as `didOpen`).
pub const TEST_PANIC_MARK: &str = "__amplify_lsp_test_panic__";

fn test_hooks_enabled() -> bool {
    std::env::var_os(TEST_HOOKS_ENV).is_some_and(|v| v == "1")
}

const ENC_UTF16: u8 = 0;
const ENC_UTF8: u8 = 1;

impl Backend {
    pub(crate) fn new(
        client: Client,
        publisher: Publisher,
        shutdown: Arc<AtomicBool>,
        log_reload: Option<LogReload>,
    ) -> Self {
        Backend(Arc::new(State {
            client,
            publisher,
            docs: DocumentStore::new(),
            index: ProjectIndex::new(),
            client_caps: RwLock::new(ClientCapabilities::default()),
            init_folders: RwLock::default(),
            settings: RwLock::new(Settings::default()),
            encoding: AtomicU8::new(ENC_UTF16),
            pull_diagnostics: AtomicBool::new(false),
            refresher: Refresher::default(),
            watch_dynamic: AtomicBool::new(false),
            snippets: AtomicBool::new(false),
            published: Mutex::new(HashMap::new()),
            recent_types: Mutex::new(HashMap::new()),
            publish_epoch: std::sync::atomic::AtomicU64::new(1),
            shutdown,
            log_reload,
            test_hooks: test_hooks_enabled(),
            work: super::work::Work::default(),
            indexed: tokio::sync::watch::Sender::new(false),
            types_seen: Mutex::default(),
        }))
    }

    pub(crate) fn encoding(&self) -> Encoding {
        match self.encoding.load(Ordering::Relaxed) {
            ENC_UTF8 => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub(crate) fn settings(&self) -> Settings {
        self.settings.read().map(|s| s.clone()).unwrap_or_default()
    }

    pub(crate) fn options(&self) -> Options {
        let s = self.settings();
        Options {
            syntax_errors: s.syntax_errors.unwrap_or(false),
            docs_platform: s.docs_platform.unwrap_or_else(|| "react".to_string()),
        }
    }

    fn apply_settings(&self, new: Settings) {
        if let Some(level) = &new.log_level {
            if let Some(reload) = &self.log_reload {
                if let Err(e) = reload(level) {
                    tracing::warn!("logLevel: {e}");
                }
            }
        }
        if let Ok(mut s) = self.settings.write() {
            s.merge(new);
        }
        // every read has the same limit: open documents, indexed files, the files actions and navigation read
        self.index
            .set_max_size(self.settings().max_file_size() as u64);
    }

    /// Runs `f`, turning a panic into `None` and one log line naming the method and document (never its text).
    pub(crate) fn guard<T>(&self, method: &str, uri: &str, f: impl FnOnce() -> T) -> Option<T> {
        self.guard_at(method, uri, None, f)
    }

    /// [`Backend::guard`] for a request at a position (zero-based line and character), logged with it.
    pub(crate) fn guard_at<T>(
        &self,
        method: &str,
        uri: &str,
        pos: Option<Position>,
        f: impl FnOnce() -> T,
    ) -> Option<T> {
        let pos = pos.map(|p| (p.line, p.character));
        panics::catching(|| panics::describe(method, uri, pos), f)
    }

    /// Keeps the types of the analysed version's data schema for completion ([`Backend::recent_types`]), after
    /// its diagnostics were computed (its model is built then). The list is replaced only when it changed, and
    /// never by an older version's.
    pub(crate) fn note_types(&self, snap: &Snapshot) {
        if !snap.amplify || !snap.file_model_built() {
            return;
        }
        let file = snap.file_model();
        let types = || analysis::lookup::schema_types(file.as_deref());
        let key = crate::workspace::uri::canonical(&snap.uri);
        let Ok(mut recent) = self.recent_types.lock() else {
            return;
        };
        match recent.get_mut(&key) {
            Some((version, _)) if *version > snap.version => {}
            // the same types (compared in place, nothing copied): the list is kept, with this version's text
            Some((version, known)) if analysis::lookup::same_types(&known.types, types()) => {
                *version = snap.version;
                known.text = snap.text.clone();
            }
            _ if types().next().is_none() => {
                recent.remove(&key);
            }
            _ => {
                let known = analysis::lookup::RecentTypes {
                    text: snap.text.clone(),
                    types: types().map(|(n, m)| (n.to_string(), m)).collect(),
                };
                recent.insert(key, (snap.version, known));
            }
        }
    }

    /// The diagnostics of a snapshot; `why` says what asked for them, for the debug log.
    pub(crate) fn lsp_diagnostics(
        &self,
        uri: &Uri,
        snap: &Snapshot,
        why: &str,
    ) -> Option<Vec<Diagnostic>> {
        // the timing and counts are for the debug log only: nothing extra on a keystroke otherwise
        if !tracing::enabled!(tracing::Level::DEBUG) {
            return self.compute_diagnostics(uri, snap);
        }
        let started = std::time::Instant::now();
        let out = self.compute_diagnostics(uri, snap);
        if let Some(d) = &out {
            let errors = d
                .iter()
                .filter(|d| d.severity == Some(DiagnosticSeverity::ERROR))
                .count();
            tracing::debug!(
                "checked {} v{} ({why}): {} rule modules, {} findings ({errors} errors) in {:.2} ms",
                uri.as_str(),
                snap.version,
                if snap.amplify {
                    analysis::diagnostics::RULE_MODULES.len()
                } else {
                    0
                },
                d.len(),
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        out
    }

    fn compute_diagnostics(&self, uri: &Uri, snap: &Snapshot) -> Option<Vec<Diagnostic>> {
        let enc = self.encoding();
        let opts = self.options();
        self.guard("diagnostics", uri.as_str(), || {
            if self.test_hooks && snap.text.contains(TEST_PANIC_MARK) {
                panic!("test hook: panic marker in the document");
            }
            // built once per version, shared with `reindex`, completion and hover
            let found = match snap.file_model() {
                Some(file) => {
                    let path = analysis::uri_to_path(&snap.uri);
                    // A backend file whose `didOpen` has not updated the index yet (diagnostics asked for
                    // meanwhile, e.g. after a settings change): its facts are built with its own summary, not
                    // with its copy on disk, which would be parsed a second time.
                    let own = path
                        .as_deref()
                        .filter(|p| {
                            snap.amplify
                                && !snap.frontend
                                && !self.index.is_open(p)
                                && self.index.root(p).is_some()
                        })
                        .map(|p| {
                            let mut s = crate::model::project::Summary::of_backend(&file);
                            s.path = Some(p.to_path_buf());
                            s
                        });
                    let facts = self.index.shared_facts(path.as_deref(), own.as_ref());
                    analysis::diagnostics_for(snap, &file, &facts, &opts)
                }
                None => analysis::diagnostics::unparsed_notice(snap, &opts)
                    .into_iter()
                    .collect(),
            };
            convert::diagnostics(uri, &snap.rope, &found, enc, &opts.docs_platform)
        })
    }

    /// Updates the project index with a document's current text; returns the project root when the document's
    /// project-level facts changed (so other open files of that project need new diagnostics). Updates run one
    /// at a time in arrival order, and one whose version is no longer current when its turn comes is skipped:
    /// the newer version's update follows.
    async fn reindex(&self, snap: &Snapshot) -> Option<Changed> {
        let _lane = self.work.lane.lock().await;
        if !self.is_current(snap) {
            return None;
        }
        let snap = snap.clone();
        self.offload("index", move |b, _| b.reindex_now(&snap))
            .await
            .ok()
            .flatten()
    }

    fn reindex_now(&self, snap: &Snapshot) -> Option<Changed> {
        // frontend code adds nothing to the project's facts (it only reads them)
        if snap.frontend {
            return None;
        }
        let path = analysis::uri_to_path(&snap.uri)?;
        // what frontend files read of the backend is built only while one of the project's is open (opening
        // one builds it for the open backend files: see `backend_views`)
        let with_view = self
            .index
            .root(&path)
            .is_some_and(|root| self.frontend_open_in(&root));
        let summary = self
            .guard("index", &snap.uri, || {
                snap.file_model().map(|f| {
                    if with_view {
                        Summary::of(&f)
                    } else {
                        Summary::of_backend(&f)
                    }
                })
            })
            .flatten()
            .unwrap_or_default();
        match self.index.set_open_seen(&path, summary) {
            Seen::Nothing => None,
            seen => self.index.root(&path).map(|root| Changed { root, seen }),
        }
    }

    /// Whether a frontend file of the project at `root` is open.
    fn frontend_open_in(&self, root: &std::path::Path) -> bool {
        self.docs.any_frontend(|uri| {
            analysis::uri_to_path(uri)
                .and_then(|p| self.index.root(&p))
                .is_some_and(|r| r == root)
        })
    }

    /// Indexes the open backend files of the project of a frontend file again, so that their summaries hold
    /// what frontend files read (left out while none was open).
    async fn backend_views(&self, frontend: &Snapshot) {
        let Some(root) = analysis::uri_to_path(&frontend.uri).and_then(|p| self.index.root(&p))
        else {
            return;
        };
        for snap in self.docs.snapshots() {
            let in_project = snap.amplify
                && analysis::uri_to_path(&snap.uri)
                    .and_then(|p| self.index.root(&p))
                    .is_some_and(|r| r == root);
            if in_project {
                let _ = self.reindex(&snap).await;
            }
        }
    }

    /// Whether `snap` is its document's current state (not an older version, nor a document closed or
    /// reopened since).
    fn is_current(&self, snap: &Snapshot) -> bool {
        // (the text alone: a snapshot would parse a newer version's edits here)
        self.docs
            .current_text(&snap.uri)
            .is_some_and(|(version, text)| {
                version == snap.version && Arc::ptr_eq(&text, &snap.text)
            })
    }

    /// Re-publishes diagnostics for the open documents of a project, except `skip`: its frontend files, and
    /// unless only what they read changed (`seen`), its backend files. A pull client is asked to pull them again
    /// instead.
    async fn republish_project(&self, root: &std::path::Path, skip: &str, seen: Seen) {
        if self.pull_diagnostics.load(Ordering::Relaxed) {
            tracing::debug!(
                "diagnostics of other files of {} may have changed: asking the client to pull again",
                root.display()
            );
            self.refresher.request(&self.client);
            return;
        }
        let skip = crate::workspace::uri::canonical(skip);
        // the open frontend files of the project read its facts too
        for snap in self.docs.snapshots() {
            if !snap.frontend || crate::workspace::uri::canonical(&snap.uri) == skip {
                continue;
            }
            let in_project = analysis::uri_to_path(&snap.uri)
                .and_then(|p| self.index.root(&p))
                .is_some_and(|r| r == root);
            if let (true, Ok(client_uri)) = (in_project, snap.uri.parse::<Uri>()) {
                self.publish(client_uri, snap, "the backend of its project changed")
                    .await;
            }
        }
        if seen == Seen::Frontend {
            return;
        }
        for path in self.index.open_in(root) {
            let Some(uri) = Uri::from_file_path(&path) else {
                continue;
            };
            if crate::workspace::uri::canonical(uri.as_str()) == skip {
                continue;
            }
            // found whatever the client's spelling of the URI, and published under that spelling
            if let Some(snap) = self.snapshot(&uri) {
                let Ok(client_uri) = snap.uri.parse::<Uri>() else {
                    continue;
                };
                self.publish(client_uri, snap, "another file of its project changed")
                    .await;
            }
        }
    }

    /// New diagnostics for every open document: pushed, or pulled again by a pull client.
    async fn refresh_open_documents(&self, why: &str) {
        let snaps = self.docs.snapshots();
        if snaps.is_empty() {
            return;
        }
        tracing::debug!(
            "{why}: refreshing the diagnostics of {} open documents",
            snaps.len()
        );
        if self.pull_diagnostics.load(Ordering::Relaxed) {
            self.refresher.request(&self.client);
            return;
        }
        for snap in snaps {
            if let Ok(uri) = snap.uri.parse::<Uri>() {
                self.publish(uri, snap, why).await;
            }
        }
    }

    /// Computes and pushes diagnostics for a snapshot, unless a newer version's are already out.
    async fn publish(&self, uri: Uri, snap: Snapshot, why: &str) {
        if self.pull_diagnostics.load(Ordering::Relaxed) {
            return;
        }
        // Coalesce bursts: let changes that already arrived apply first, and analyse only the newest version.
        tokio::task::yield_now().await;
        // Publish only for the document's current state: not for an older version (the newer one has its own
        // publish coming), nor for a document closed (or closed and reopened) meanwhile, whose diagnostics were
        // already cleared.
        if !self.is_current(&snap) {
            return;
        }
        // Computations that start later see newer settings and project facts: one that finishes after a later
        // one (for the same version) must not overwrite it.
        let epoch = self.publish_epoch.fetch_add(1, Ordering::SeqCst);
        let (uri, why) = (uri.clone(), why.to_string());
        // The list is computed, serialised (a large schema's is 100 KB of JSON and more) and queued for the
        // client on the pool's thread, without a round through the message loop in between. The type names for
        // completion are kept before it leaves: a completion the client asks for once it has the list finds them.
        let _ = self
            .offload("diagnostics", move |b, cancel| {
                // a newer version arrived while this one waited for a core: its own publish follows
                if cancel.is_cancelled() || !b.is_current(&snap) {
                    return;
                }
                let diags = b.lsp_diagnostics(&uri, &snap, &why).unwrap_or_default();
                let publication = Publication::new(&uri, &diags, Some(snap.version));
                b.note_types(&snap);
                if let Some(publication) = publication {
                    b.queue_publication(&uri, &snap, epoch, publication);
                }
            })
            .await;
    }

    /// Queues a document's new list for the client, unless it is no longer wanted: the document changed or was
    /// closed while it was computed, a computation that started later (with newer settings or project facts)
    /// already queued its list for this version, or the client has this very list already.
    fn queue_publication(&self, uri: &Uri, snap: &Snapshot, epoch: u64, publication: Publication) {
        let digest = publication.digest();
        let Ok(mut published) = self.published.lock() else {
            return;
        };
        // The document may have changed, or been closed (its diagnostics cleared), while this computed. Asked
        // with the lock held: `didClose` closes the document before it takes the lock to clear its list, so a
        // list queued here either leaves before the close's empty one or not at all.
        if !self.is_current(snap) {
            return;
        }
        let last = published
            .entry(crate::workspace::uri::canonical(uri.as_str()))
            .or_insert((i32::MIN, 0, 0));
        if snap.version < last.0 || (snap.version == last.0 && epoch < last.1) {
            return;
        }
        // The same list for the same version again (another file changed nothing for this one): the client
        // has it already.
        if snap.version == last.0 && digest == last.2 {
            return;
        }
        *last = (snap.version, epoch, digest);
        // queued while the lock is held: publications of one document leave in the order they were checked
        self.publisher.send(publication);
    }

    /// Whether TypeScript sees Amplify's types for this file (see [`amplify_types_installed`]), looked for up to
    /// the outermost workspace folder holding the file (the project root when no folder holds it).
    fn types_installed(&self, path: &std::path::Path) -> bool {
        let folders = self
            .init_folders
            .read()
            .map(|f| f.clone())
            .unwrap_or_default();
        let limit = folders
            .into_iter()
            .filter(|f| path.starts_with(f))
            .min_by_key(|f| f.components().count())
            .or_else(|| self.index.root(path));
        let installed = limit.is_some_and(|limit| amplify_types_installed(path, &limit));
        if let Some(dir) = path.parent() {
            if let Ok(mut seen) = self.types_seen.lock() {
                seen.insert(dir.to_path_buf(), installed);
            }
        }
        installed
    }

    /// Whether a workspace folder (or the root) sent in `initialize` holds `path`.
    fn in_folder(&self, path: &std::path::Path) -> bool {
        self.init_folders
            .read()
            .is_ok_and(|f| f.iter().any(|f| path.starts_with(f)))
    }

    /// [`Backend::types_installed`]'s last answer for a file in the same folder, without touching the disk;
    /// `None` when it was never asked there.
    fn types_seen(&self, path: &std::path::Path) -> Option<bool> {
        let seen = self.types_seen.lock().ok()?;
        seen.get(path.parent()?).copied()
    }

    /// Forgets what [`Backend::types_seen`] kept for the folder of `path`, or for every folder.
    fn forget_types_seen(&self, path: Option<&std::path::Path>) {
        let Ok(mut seen) = self.types_seen.lock() else {
            return;
        };
        match path.and_then(std::path::Path::parent) {
            Some(dir) => drop(seen.remove(dir)),
            None => seen.clear(),
        }
    }

    /// Asks [`Backend::types_installed`] again on the pool, for the next completion answered on the message loop
    /// (`npm install` may have put Amplify's types in place since).
    fn refresh_types_seen(&self, uri: &Uri) {
        if !self.settings().hide_type_script_duplicates() {
            return;
        }
        let Some(path) = analysis::uri_to_path(uri.as_str()) else {
            return;
        };
        let b = self.clone();
        tokio::spawn(async move {
            let _ = b
                .offload("types lookup", move |b, _| b.types_installed(&path))
                .await;
        });
    }

    pub(crate) fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        self.docs.snapshot(uri.as_str())
    }

    /// The current text of a file: the open document's, else the disk's.
    pub(crate) fn read_text(&self, path: &std::path::Path) -> Option<String> {
        if let Some(uri) = Uri::from_file_path(path) {
            if let Some(snap) = self.docs.snapshot(uri.as_str()) {
                return Some(snap.text.as_str().to_string());
            }
        }
        let root = self.index.root(path)?;
        let max = self.settings().max_file_size() as u64;
        match crate::workspace::fs::read_project_file(path, &root, max) {
            Ok(text) => Some(text),
            Err(why) => {
                tracing::info!("not reading {}: {why}", path.display());
                None
            }
        }
    }

    /// `amplify/debugDocument {uri}`: the server's view of a document, for tests and bug reports: its version,
    /// text, whether it is an Amplify file, whether the incrementally maintained tree equals a fresh parse (of the
    /// analysed text), the region the guard against error recovery leaves out (`guardedRegion`), and
    /// how many parses the process has run and abandoned so far (so tests can count work, not time it; the
    /// fresh parse made here is counted too), and how many times project facts were built from every file.
    pub async fn debug_document(&self, params: serde_json::Value) -> RpcResult<serde_json::Value> {
        let uri = params
            .get("uri")
            .and_then(|u| u.as_str())
            .ok_or_else(|| RpcError::invalid_params("expected { \"uri\": string }"))?;
        let Some(snap) = self.docs.snapshot(uri) else {
            return Err(RpcError::invalid_params(format!(
                "document not open: {uri}"
            )));
        };
        let fresh_matches = {
            let snap = snap.clone();
            self.offload_request("amplify/debugDocument", move |_, _| {
                // the tree is of the analysed text (the text itself, or its blanked copy while the guard against
                // error recovery is on)
                match (snap.tree.as_ref(), snap.lang) {
                    (Some(tree), Some(lang)) => {
                        crate::syntax::parse(&snap.analysis_text, lang, None)
                            .map(|fresh| fresh.root_node().to_sexp() == tree.root_node().to_sexp())
                    }
                    _ => None,
                }
            })
            .await?
        };
        let (parses_run, parses_abandoned) = crate::syntax::parse_counts();
        Ok(serde_json::json!({
            "version": snap.version,
            "text": snap.text.as_str(),
            "amplify": snap.amplify,
            "frontend": snap.frontend,
            "tooLarge": snap.too_large,
            "treeMatchesFreshParse": fresh_matches,
            // the byte range left out of the analysis while the guard against error recovery is on
            "guardedRegion": snap.guard.as_ref().map(|g| [g.region.0, g.region.1]),
            "openDocuments": self.docs.len(),
            "parses": { "run": parses_run, "abandoned": parses_abandoned },
            "factsBuilt": self.index.facts_built(),
        }))
    }
}

impl Backend {
    /// `amplify/debugPanic { uri, position?, where? }` (only with the test hooks on): panics inside the
    /// analysis guard (`where: "analysis"`, the default) or directly in the handler (`where: "handler"`), to
    /// test that either way the request gets an error response and the server keeps serving.
    pub async fn debug_panic(&self, params: serde_json::Value) -> RpcResult<serde_json::Value> {
        let uri = params.get("uri").and_then(|u| u.as_str()).unwrap_or("-");
        let pos = params
            .get("position")
            .and_then(|p| serde_json::from_value::<Position>(p.clone()).ok());
        if params.get("where").and_then(|w| w.as_str()) == Some("handler") {
            panic!("test hook: amplify/debugPanic in the handler");
        }
        self.guard_at("amplify/debugPanic", uri, pos, || -> serde_json::Value {
            panic!("test hook: amplify/debugPanic in the analysis")
        })
        .ok_or_else(RpcError::internal_error)
    }
}

impl Backend {
    /// Waits for the workspace index, at most [`INDEX_WAIT`]: requests whose answer spans the project
    /// (references, rename, definition, workspace symbols) answer from the whole index, not from the part built
    /// so far. Returns whether the index is complete; when it is not, the answer is logged as possibly partial.
    pub(crate) async fn wait_indexed(&self, what: &str) -> bool {
        let mut rx = self.indexed.subscribe();
        if *rx.borrow() {
            return true;
        }
        tracing::debug!("{what}: waiting for the workspace index");
        let done = matches!(
            tokio::time::timeout(INDEX_WAIT, rx.wait_for(|done| *done)).await,
            Ok(Ok(_))
        );
        if !done {
            tracing::info!(
                "{what}: answered before the workspace was indexed ({} s): the answer may miss files",
                INDEX_WAIT.as_secs()
            );
        }
        done
    }

    /// Whether the workspace index is complete.
    pub(crate) fn indexed(&self) -> bool {
        *self.indexed.borrow()
    }
}

/// How long a request that spans the project waits for the workspace index.
const INDEX_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The request handlers' work, run off the message loop (see [`super::work`]).
impl Backend {
    /// The completion at a position, computed as `mode` says. `None` when the completion needs what `mode` does
    /// not give: the project's facts while the index updates of the edits before the request are not done, or on
    /// the message loop, a file model not built yet or anything from the disk. The caller then asks again
    /// where it can have it.
    fn completion_now(
        &self,
        params: CompletionParams,
        mode: CompletionMode,
    ) -> Option<RpcResult<Option<CompletionResponse>>> {
        let uri = params.text_document_position.text_document.uri;
        // on the message loop, the text is enough: the parse of the change just applied is not waited for
        let snap = match mode {
            CompletionMode::Inline => self.docs.text_snapshot(uri.as_str()),
            CompletionMode::Pool { .. } => self.snapshot(&uri),
        };
        let Some(snap) = snap else {
            return Some(Ok(None));
        };
        if !snap.amplify && !snap.frontend {
            return Some(Ok(None));
        }
        let facts_current = match mode {
            CompletionMode::Inline => false,
            CompletionMode::Pool { facts_current } => facts_current,
        };
        // frontend completion reads the facts whatever it completes
        if snap.frontend && !facts_current {
            return None;
        }
        let enc = self.encoding();
        let offset = convert::offset(&snap.rope, params.text_document_position.position, enc);
        let hide_typed = self.settings().hide_type_script_duplicates()
            && match analysis::uri_to_path(&snap.uri) {
                None => false,
                Some(p) if mode == CompletionMode::Inline => self.types_seen(&p)?,
                Some(p) => self.types_installed(&p),
            };
        // on the message loop, while this version's model is not built yet, the schema's type names may come from
        // the newest version analysed: the completion uses them only where the text differs from that version's
        // inside the string being completed, so that they are this version's too
        let recent_types = match mode {
            CompletionMode::Inline if !snap.file_model_built() => {
                self.recent_types.lock().ok().and_then(|r| {
                    r.get(&crate::workspace::uri::canonical(&snap.uri))
                        .map(|t| t.1.clone())
                })
            }
            _ => None,
        };
        let opts = analysis::completion::CompletionOptions {
            snippets: self.snippets.load(Ordering::Relaxed),
            docs_platform: self.options().docs_platform,
            hide_typed,
            recent_types,
        };
        let pos = params.text_document_position.position;
        let wanted_facts = std::cell::Cell::new(false);
        let wanted_model = std::cell::Cell::new(false);
        let items = self.guard_at("completion", uri.as_str(), Some(pos), || {
            let path = analysis::uri_to_path(&snap.uri);
            if snap.frontend {
                let facts = self.index.shared_facts(path.as_deref(), None);
                return snap.file_model().map_or_else(Vec::new, |f| {
                    analysis::frontend::completion(&snap, &f, &facts, offset)
                });
            }
            // The model of this version, and the project's facts, only when the completion reads them: right
            // after the keystroke that asked for it, the analysis of that keystroke is still building the
            // model, and other files' analyses may be bringing the facts up to date.
            let model = std::cell::OnceCell::new();
            let file = || {
                model
                    .get_or_init(|| match mode {
                        CompletionMode::Pool { .. } => snap.file_model(),
                        CompletionMode::Inline => snap.built_file_model().unwrap_or_else(|| {
                            // not read: this answer is thrown away, and the completion asked on the pool
                            wanted_model.set(true);
                            None
                        }),
                    })
                    .as_deref()
            };
            let facts = std::cell::OnceCell::new();
            let project = || {
                &**facts.get_or_init(|| {
                    if facts_current {
                        self.index.shared_facts(path.as_deref(), None)
                    } else {
                        // not read: this answer is thrown away, and the completion asked again
                        wanted_facts.set(true);
                        Arc::new(crate::model::project::ProjectFacts::default())
                    }
                })
            };
            analysis::completion::completion_with(&snap.text, &file, &project, offset, &opts)
        });
        if wanted_facts.get() || wanted_model.get() {
            return None;
        }
        let items = match items.ok_or_else(RpcError::internal_error) {
            Ok(items) => items,
            Err(e) => return Some(Err(e)),
        };
        tracing::trace!(
            "completion at {}:{}:{}: {} items{}",
            uri.as_str(),
            pos.line,
            pos.character,
            items.len(),
            if opts.hide_typed {
                " (TypeScript's duplicates left out: Amplify's types are installed)"
            } else {
                ""
            }
        );
        let items: Vec<CompletionItem> = items
            .into_iter()
            .filter_map(|i| convert::completion_item(&snap.rope, i, enc))
            .collect();
        Some(Ok(Some(CompletionResponse::List(CompletionList {
            // while the workspace is indexed, project names (groups, models, functions) may still be missing:
            // the client asks again as the user types on
            is_incomplete: !self.indexed(),
            items,
        }))))
    }

    fn hover_now(&self, params: HoverParams) -> RpcResult<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let Some(snap) = self.snapshot(&uri) else {
            return Ok(None);
        };
        if !snap.amplify && !snap.frontend {
            return Ok(None);
        }
        let enc = self.encoding();
        let offset = convert::offset(
            &snap.rope,
            params.text_document_position_params.position,
            enc,
        );
        let platform = self.options().docs_platform;
        let pos = params.text_document_position_params.position;
        let h = self
            .guard_at("hover", uri.as_str(), Some(pos), || {
                let file = snap.file_model();
                if snap.frontend {
                    let path = analysis::uri_to_path(&snap.uri);
                    let facts = self.index.shared_facts(path.as_deref(), None);
                    return file.and_then(|f| analysis::frontend::hover(&snap, &f, &facts, offset));
                }
                analysis::hover::hover(&snap.text, file.as_deref(), offset, &platform)
            })
            .ok_or_else(RpcError::internal_error)?;
        tracing::trace!(
            "hover at {}:{}:{}: {}",
            uri.as_str(),
            pos.line,
            pos.character,
            if h.is_some() {
                "answered"
            } else {
                "nothing here"
            }
        );
        Ok(h.map(|h| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: crate::analysis::redact::redact(&h.markdown).into_owned(),
            }),
            range: Some(convert::range(&snap.rope, h.span, enc)),
        }))
    }
}

fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.iter().any(|e| e.as_str() == "utf-8") => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> RpcResult<InitializeResult> {
        let enc = negotiate_encoding(&params);
        self.encoding.store(
            if enc == Encoding::Utf8 {
                ENC_UTF8
            } else {
                ENC_UTF16
            },
            Ordering::Relaxed,
        );
        // Pull only when the client can be told to pull again: a change in one file changes the diagnostics of
        // others (a group added in auth clears a storage finding), and a pull client re-pulls only the file it
        // edits. A client that pulls but cannot be told (Neovim 0.10) gets pushed diagnostics instead.
        let pull = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.diagnostic.as_ref())
            .is_some()
            && params
                .capabilities
                .workspace
                .as_ref()
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false);
        self.pull_diagnostics.store(pull, Ordering::Relaxed);
        let watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.watch_dynamic.store(watch, Ordering::Relaxed);
        let snippets = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false);
        self.snippets.store(snippets, Ordering::Relaxed);
        if let Some(opts) = &params.initialization_options {
            match Settings::from_json(opts) {
                Ok(s) => self.apply_settings(s),
                Err(e) => tracing::warn!("initializationOptions: {e}"),
            }
        }
        let position_encoding = Some(PositionEncodingKind::from(enc.as_lsp()));
        if let Ok(mut caps) = self.client_caps.write() {
            *caps = params.capabilities.clone();
        }
        let folders = initial_folders(&params);
        self.index.set_folders(folders.clone());
        if let Ok(mut f) = self.init_folders.write() {
            *f = folders;
        }
        let mut result = InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding,
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..Default::default()
                    },
                )),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(
                        [".", "'", "\"", "{", "("]
                            .iter()
                            .map(|s| s.to_string())
                            .collect(),
                    ),
                    resolve_provider: Some(false),
                    ..Default::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("amplify".to_string()),
                        inter_file_dependencies: true,
                        workspace_diagnostics: false,
                        work_done_progress_options: Default::default(),
                    })
                }),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "amplify-lsp".to_string(),
                version: Some(crate::VERSION.to_string()),
            }),
            offset_encoding: None,
        };
        super::actions::capabilities(&mut result.capabilities, &params.capabilities);
        super::nav::capabilities(&mut result.capabilities, &params.capabilities);
        Ok(result)
    }

    async fn initialized(&self, _: InitializedParams) {
        tracing::info!(
            "amplify-lsp {} ready ({:?} positions)",
            crate::VERSION,
            self.encoding()
        );
        let register = async {
            if !self.watch_dynamic.load(Ordering::Relaxed) {
                return;
            }
            let glob = |p: &str| FileSystemWatcher {
                glob_pattern: GlobPattern::String(p.to_string()),
                kind: None,
            };
            let opts = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![
                    glob("**/amplify/**/*.{ts,mts,cts,tsx}"),
                    glob("**/amplify/**/*.js"),
                ],
            };
            let reg = Registration {
                id: "amplify-lsp-watch".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(opts).ok(),
            };
            let accepted = client_answer(
                "the file watcher registration",
                self.client.register_capability(vec![reg]),
            )
            .await;
            // the client reports changes of backend files from now on: cached project facts need not look at
            // every file on disk on each analysis
            self.index.set_events_trusted(accepted.is_some());
        };
        // Concurrently: indexing does not need the registration's answer, and must not wait for it.
        tokio::join!(register, async {
            super::nav::index_workspace(self).await;
            // also when indexing stopped early: nobody waits for it any more
            self.indexed.send_replace(true);
        });
        // Files opened while the index was built were checked against what was indexed so far.
        self.refresh_open_documents("the workspace was indexed")
            .await;
    }

    async fn shutdown(&self) -> RpcResult<()> {
        // whatever still runs is no longer wanted (the input pump has usually thrown this switch already)
        crate::cancel::stop_all();
        self.shutdown.store(true, Ordering::SeqCst);
        super::log::shutting_down();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let update = self.work.updates.begin(doc.uri.as_str());
        let uri_str = doc.uri.as_str().to_string();
        let lang = Lang::from_language_id(&doc.language_id).or_else(|| Lang::from_path(&uri_str));
        let max = self.settings().max_file_size();
        if doc.text.len() > max {
            tracing::warn!(
                "{uri_str} is {} bytes, above the {max}-byte limit: kept but not analysed",
                doc.text.len()
            );
        }
        // what was seen of Amplify's types is looked at again (the open's last step below): `npm install` may
        // have run since
        self.forget_types_seen(analysis::uri_to_path(&uri_str).as_deref());
        let snap = self.docs.open(&uri_str, lang, doc.version, doc.text, max);
        if let Ok(mut published) = self.published.lock() {
            published.remove(&crate::workspace::uri::canonical(&uri_str));
        }
        if snap.frontend {
            self.backend_views(&snap).await;
        }
        let changed = self.reindex(&snap).await;
        drop(update);
        let amplify = snap.amplify;
        let text = ((snap.amplify || snap.frontend)
            && snap.text.len() >= crate::model::context::CACHE_MIN_LEN)
            .then(|| snap.text.clone());
        self.publish(doc.uri, snap, "opened").await;
        if let Some(c) = changed {
            self.republish_project(&c.root, &uri_str, c.seen).await;
        }
        // Once its diagnostics are out: the first completion or hover in a large file need not scan it whole,
        // and the first completion in a backend file can be answered on the message loop, which does not look
        // on the disk for Amplify's types.
        // (Only inside a workspace folder: a file opened from elsewhere is looked around only when it asks.)
        let types = amplify
            .then(|| analysis::uri_to_path(&uri_str))
            .flatten()
            .filter(|p| self.settings().hide_type_script_duplicates() && self.in_folder(p));
        if text.is_some() || types.is_some() {
            let _ = self
                .offload("prepare", move |b, _| {
                    if let Some(text) = text {
                        crate::model::context::prepare_scans(&text);
                    }
                    if let Some(path) = types {
                        b.types_installed(&path);
                    }
                })
                .await;
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // Apply synchronously, before any await, so changes land strictly in arrival order.
        let uri = params.text_document.uri;
        let update = self.work.updates.begin(uri.as_str());
        let version = params.text_document.version;
        let changes: Vec<_> = params
            .content_changes
            .into_iter()
            .map(convert::change)
            .collect();
        let result = self
            .docs
            .change(uri.as_str(), version, &changes, self.encoding());
        match result {
            Ok(Some(text)) => {
                // Coalesce bursts: let changes that already arrived apply first. When a newer version (or a
                // close) is there, its own handler re-indexes and publishes: indexing builds the file model,
                // the larger part of the work on a big schema. The protocol library runs a few handlers at a
                // time, so the changes that follow may take a few rounds to be read and applied.
                // Meanwhile the handler keeps the version only, not the snapshot: a burst of 70 changes to a
                // 447 KB schema would otherwise hold 70 copies of its text (37 MB, measured with heaptrack).
                // The parse waits too (see `DocumentStore::change`).
                let text = {
                    let weak = Arc::downgrade(&text);
                    drop(text);
                    weak
                };
                for _ in 0..4 {
                    tokio::task::yield_now().await;
                    let current = self.docs.current_text(uri.as_str());
                    if !current.is_some_and(|(v, t)| {
                        v == version && text.upgrade().is_some_and(|text| Arc::ptr_eq(&text, &t))
                    }) {
                        return;
                    }
                }
                let Some(snap) = self
                    .docs
                    .snapshot(uri.as_str())
                    .filter(|c| c.version == version)
                else {
                    return;
                };
                let changed = self.reindex(&snap).await;
                drop(update);
                let uri_str = uri.as_str().to_string();
                self.publish(uri, snap, "edited").await;
                if let Some(c) = changed {
                    self.republish_project(&c.root, &uri_str, c.seen).await;
                }
            }
            Ok(None) => tracing::warn!(
                "didChange for a document that is not open: {}",
                uri.as_str()
            ),
            Err(e) => tracing::warn!("didChange for {}: {e}", uri.as_str()),
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let update = self.work.updates.begin(uri.as_str());
        self.docs.close(uri.as_str());
        if let Ok(mut published) = self.published.lock() {
            published.remove(&crate::workspace::uri::canonical(uri.as_str()));
        }
        if let Ok(mut recent) = self.recent_types.lock() {
            recent.remove(&crate::workspace::uri::canonical(uri.as_str()));
        }
        // Cleared first, before anything is awaited: the document may be opened again at once (Neovim's
        // `:edit!` closes and reopens), and the reopened document's diagnostics must come after the empty list.
        if !self.pull_diagnostics.load(Ordering::Relaxed) {
            if let Some(empty) = Publication::new(&uri, &[], None) {
                self.publisher.send(empty);
            }
        }
        if let Some(path) = analysis::uri_to_path(uri.as_str()) {
            // the disk's text counts again (read off the message loop); the other open files are checked again
            // only when it differs from what was open (a closed unsaved edit)
            let changed = self
                .offload("index", {
                    let (path, uri) = (path.clone(), uri.as_str().to_string());
                    // reopened meanwhile: its own open updated the index
                    move |b, _| b.docs.snapshot(&uri).is_none() && b.index.close(&path)
                })
                .await;
            drop(update);
            if changed == Ok(true) {
                if let Some(root) = self.index.root(&path) {
                    self.republish_project(&root, uri.as_str(), Seen::Backend)
                        .await;
                }
            }
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        match Settings::from_json(&params.settings) {
            Ok(s) => self.apply_settings(s),
            Err(e) => tracing::warn!("didChangeConfiguration: {e}"),
        }
        // A new size limit applies to the open documents too.
        self.docs.set_max_size(self.settings().max_file_size());
        // Settings may change what is reported: refresh every open document.
        self.refresh_open_documents("the settings changed").await;
    }

    async fn completion(&self, params: CompletionParams) -> RpcResult<Option<CompletionResponse>> {
        // Most completions (a builder's methods, the literals of a property) come from the text before the cursor
        // and the catalog: they are answered here, on the message loop, at once. Handing them to the pool would
        // make them wait behind the keystroke's own analysis, which holds its threads right after a keystroke.
        if let Some(answer) = self.completion_now(params.clone(), CompletionMode::Inline) {
            self.refresh_types_seen(&params.text_document_position.text_document.uri);
            return answer;
        }
        // Then on the pool, without waiting for the index updates of the edits before it (see
        // `offload_request`): right after a keystroke, its own update is building the file's model, and a
        // completion that reads only this document (a schema's names) need not wait for the project's facts.
        // One that reads them is asked again once the updates are done.
        let before = self.work.updates.before();
        let first = params.clone();
        if let Some(answer) = self
            .offload("completion", move |b, _| {
                b.completion_now(
                    first,
                    CompletionMode::Pool {
                        facts_current: false,
                    },
                )
            })
            .await?
        {
            return answer;
        }
        self.offload_after(&before, "completion", move |b, _| {
            b.completion_now(
                params,
                CompletionMode::Pool {
                    facts_current: true,
                },
            )
        })
        .await?
        .unwrap_or_else(|| Err(RpcError::internal_error()))
    }

    async fn hover(&self, params: HoverParams) -> RpcResult<Option<Hover>> {
        // A hover reads its own document's model and nothing else: once that is built (it is as soon as the
        // version was analysed), the answer is a short walk in memory, with no disk and no project, and is given
        // here rather than handed to the pool (the hand-off would cost more than the hover). A hover in frontend
        // code reads the project's facts, which may need the disk: it goes to the pool.
        let cached = self
            .snapshot(&params.text_document_position_params.text_document.uri)
            .is_none_or(|s| !s.frontend && (!s.amplify || s.file_model_built()));
        if cached {
            return self.hover_now(params);
        }
        self.offload_request("hover", move |b, _| b.hover_now(params))
            .await?
    }

    async fn code_action(&self, params: CodeActionParams) -> RpcResult<Option<CodeActionResponse>> {
        self.offload_request("codeAction", move |b, _| {
            super::actions::code_action(b, params)
        })
        .await?
    }

    async fn code_action_resolve(&self, params: CodeAction) -> RpcResult<CodeAction> {
        self.offload_request("codeAction/resolve", move |b, _| {
            super::actions::code_action_resolve(b, params)
        })
        .await?
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> RpcResult<Option<GotoDefinitionResponse>> {
        self.wait_indexed("definition").await;
        self.offload_request("definition", move |b, _| {
            super::nav::goto_definition(b, params)
        })
        .await?
    }

    async fn references(&self, params: ReferenceParams) -> RpcResult<Option<Vec<Location>>> {
        self.wait_indexed("references").await;
        self.offload_request("references", move |b, _| super::nav::references(b, params))
            .await?
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> RpcResult<Option<PrepareRenameResponse>> {
        self.offload_request("prepareRename", move |b, _| {
            super::nav::prepare_rename(b, params)
        })
        .await?
    }

    async fn rename(&self, params: RenameParams) -> RpcResult<Option<WorkspaceEdit>> {
        self.wait_indexed("rename").await;
        self.offload_request("rename", move |b, _| super::nav::rename(b, params))
            .await?
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> RpcResult<Option<DocumentSymbolResponse>> {
        self.offload_request("documentSymbol", move |b, _| {
            super::nav::document_symbol(b, params)
        })
        .await?
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> RpcResult<Option<WorkspaceSymbolResponse>> {
        let folders = super::nav::workspace_folders(self).await;
        self.wait_indexed("workspace/symbol").await;
        self.offload_request("workspace/symbol", move |b, _| {
            super::nav::workspace_symbol(b, params, folders)
        })
        .await?
    }

    async fn code_lens(&self, params: CodeLensParams) -> RpcResult<Option<Vec<CodeLens>>> {
        self.offload_request("codeLens", move |b, _| super::nav::code_lens(b, params))
            .await?
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> RpcResult<Option<Vec<InlayHint>>> {
        self.offload_request("inlayHint", move |b, _| super::nav::inlay_hint(b, params))
            .await?
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.forget_types_seen(None);
        let mut roots = Vec::new();
        for ev in params.changes {
            if let Some(path) = analysis::uri_to_path(ev.uri.as_str()) {
                self.index.invalidate(&path);
                if let Some(root) = self.index.root(&path) {
                    if !roots.contains(&root) {
                        roots.push(root);
                    }
                }
            }
        }
        for root in roots {
            self.republish_project(&root, "", Seen::Backend).await;
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> RpcResult<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let items = match self.snapshot(&uri) {
            Some(snap) => self
                .offload_request("diagnostics", move |b, _| {
                    let diags = b.lsp_diagnostics(&uri, &snap, "pulled by the client");
                    b.note_types(&snap);
                    diags
                })
                .await?
                .ok_or_else(RpcError::internal_error)?,
            None => Vec::new(),
        };
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }
}

/// Sends `workspace/diagnostic/refresh` without holding the handler that asks for it, and without piling
/// requests up: while one is in flight, further asks only mark it dirty, and one more refresh follows its answer.
/// So the client always pulls after the last change that asked, at most two refreshes are outstanding per burst,
/// and a client that never answers costs one timed-out request at a time.
#[derive(Default, Clone)]
pub(crate) struct Refresher {
    dirty: Arc<AtomicBool>,
    running: Arc<AtomicBool>,
}

impl Refresher {
    pub(crate) fn request(&self, client: &Client) {
        self.dirty.store(true, Ordering::SeqCst);
        if self.running.swap(true, Ordering::SeqCst) {
            return;
        }
        let (dirty, running, client) = (self.dirty.clone(), self.running.clone(), client.clone());
        tokio::spawn(async move {
            loop {
                while dirty.swap(false, Ordering::SeqCst) {
                    client_answer(
                        "the diagnostic refresh request",
                        client.workspace_diagnostic_refresh(),
                    )
                    .await;
                }
                running.store(false, Ordering::SeqCst);
                // an ask that came after the last swap but before `running` was cleared found it set: take it
                if !dirty.load(Ordering::SeqCst) || running.swap(true, Ordering::SeqCst) {
                    break;
                }
            }
        });
    }
}

/// How long the server waits for the client to answer one of its requests (a registration, a progress token,
/// the workspace folders) before going on without the answer.
pub(crate) const CLIENT_ANSWER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Waits for the client's answer to a request of ours, at most [`CLIENT_ANSWER_TIMEOUT`]: a client that never
/// answers must not hold a handler (and one of the protocol library's concurrency slots) forever.
pub(crate) async fn client_answer<T>(
    what: &str,
    request: impl std::future::Future<Output = RpcResult<T>>,
) -> Option<T> {
    match tokio::time::timeout(CLIENT_ANSWER_TIMEOUT, request).await {
        Ok(Ok(answer)) => Some(answer),
        Ok(Err(e)) => {
            tracing::warn!("the client refused {what}: {e}");
            None
        }
        Err(_) => {
            tracing::warn!(
                "the client did not answer {what} within {} s; going on without it",
                CLIENT_ANSWER_TIMEOUT.as_secs()
            );
            None
        }
    }
}

/// The folders of `initialize`: its workspace folders, else its root URI, else its root path.
fn initial_folders(params: &InitializeParams) -> Vec<PathBuf> {
    if let Some(folders) = params.workspace_folders.as_ref().filter(|f| !f.is_empty()) {
        return folders
            .iter()
            .filter_map(|f| analysis::uri_to_path(f.uri.as_str()))
            .collect();
    }
    #[allow(deprecated)]
    let root = params
        .root_uri
        .as_ref()
        .and_then(|u| analysis::uri_to_path(u.as_str()))
        .or_else(|| params.root_path.as_ref().map(PathBuf::from));
    root.into_iter().collect()
}

/// A document's version, with its text and the types of its data schema then (see [`Backend::recent_types`]).
type RecentTypes = (i32, analysis::lookup::RecentTypes);

/// How many messages the protocol library handles at once (its default is 4: four long requests would hold
/// back every message after them, a `shutdown` or a cancellation included).
const MAX_IN_FLIGHT: usize = 1024;

/// How long in-flight handlers may still run once the input has ended (after `exit` or end of input).
const EXIT_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// Serves LSP over stdin/stdout until `exit` or end of input. Returns the process exit code: 1 when `exit`
/// arrives without a prior `shutdown`, 0 otherwise.
pub async fn serve_stdio(log_reload: Option<LogReload>) -> i32 {
    let shutdown = Arc::new(AtomicBool::new(false));
    let eof = Arc::new(AtomicBool::new(false));
    // stdin is re-framed before the protocol library sees it, so one malformed message cannot end the session;
    // malformed messages are answered through the output task, which owns stdout. Diagnostics are pushed
    // through it too, serialised off the message loop (see `super::publish`).
    let (to_server, from_client) = tokio::io::duplex(256 * 1024);
    let (to_stdout, from_server) = tokio::io::duplex(256 * 1024);
    let outbox = Arc::new(super::outbox::Outbox::default());
    let (stdin, stdout) = super::stdio::stdio();
    let publisher = Publisher::new(outbox.clone());
    let pump = tokio::spawn(framing::pump(stdin, to_server, outbox.clone(), eof.clone()));
    let output = tokio::spawn(framing::output(from_server, outbox, stdout));
    let sd = shutdown.clone();
    let mut builder = LspService::build(move |client| {
        super::log::connect(client.clone());
        Backend::new(client, publisher, sd, log_reload)
    })
    .custom_method("amplify/debugDocument", Backend::debug_document);
    if test_hooks_enabled() {
        builder = builder.custom_method("amplify/debugPanic", Backend::debug_panic);
    }
    let (service, socket) = builder.finish();
    // Handlers only wait for the pool (see `super::work`), so many may be in flight at once: a `shutdown`, a
    // `$/cancelRequest` or the next edit is read and handled while long work runs.
    let mut serve = Box::pin(
        Server::new(from_client, to_stdout, socket)
            .concurrency_level(MAX_IN_FLIGHT)
            .serve(panics::CatchPanics(service)),
    );
    let mut pump = pump;
    tokio::select! {
        _ = &mut serve => {}
        _ = &mut pump => {
            super::log::disconnect();
            // The input is over (`exit` or end of input). The protocol library waits for every handler to
            // finish, and a handler waiting on a request to the client (a watcher registration, a progress
            // token) would wait forever once nobody reads the answers. Give the handlers a moment to finish
            // what they answer, then stop regardless.
            if tokio::time::timeout(EXIT_GRACE, &mut serve).await.is_err() {
                tracing::debug!("handlers still waiting on the client at exit; stopping anyway");
            }
        }
    }
    // Nobody reads log messages any more: what follows goes to stderr.
    super::log::disconnect();
    // Serving ended: stop reading, close the library's output (dropping it ends the output task once all it
    // wrote is flushed), and let everything answered reach stdout.
    drop(serve);
    pump.abort();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), output).await;
    if eof.load(Ordering::SeqCst) || shutdown.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}
