//! The project index: for each Amplify project (a folder holding `amplify/`), a summary of every backend
//! file. Open documents' unsaved text wins over the disk. Disk summaries are cached by modification time and
//! size, and a project's file listing is cached until a file event invalidates it, so a keystroke never walks
//! the workspace. A project's facts are built from every file's summary once and kept until something they are
//! built from changes, so an analysis does not cost more in a project of 500 files than in one of 5.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use dashmap::DashMap;

use crate::model::file::FileModel;
use crate::model::project::{DataModes, ProjectFacts, Summary};
use crate::syntax::{self, Lang};
use crate::text::Span;
use crate::workspace::is_amplify_file;

/// Files above this size are not indexed, until [`ProjectIndex::set_max_size`] says otherwise (the
/// `maxFileSize` setting, whose default this is).
const MAX_INDEXED_SIZE: u64 = 5 * 1024 * 1024;

#[derive(Debug, Default)]
pub struct ProjectIndex {
    open: DashMap<PathBuf, Arc<Summary>>,
    /// By modification time and size. `None` is cached too: a file that is not an Amplify file, or whose parse
    /// was abandoned, is not read and parsed again until it changes.
    disk: DashMap<PathBuf, (SystemTime, u64, Option<Arc<Summary>>)>,
    /// Files refused by the safe reader (see [`super::fs`]), by the modification time and size seen then.
    refused: DashMap<PathBuf, (SystemTime, u64)>,
    listings: DashMap<PathBuf, Arc<Vec<PathBuf>>>,
    /// Counts listing invalidations: a listing whose walk started before one is not cached (the file event
    /// that invalidated it may be about a file the walk missed).
    listing_generation: std::sync::atomic::AtomicU64,
    /// The workspace folders the client sent: no project extends above them (see [`root_within`]).
    folders: std::sync::RwLock<Vec<PathBuf>>,
    /// The largest file indexed, in bytes; 0 means [`MAX_INDEXED_SIZE`].
    max_size: std::sync::atomic::AtomicU64,
    /// Each project's facts, built from every file's summary once and reused until something they are built
    /// from changes (see [`ProjectIndex::shared_facts`]): an analysis then costs the same in a project of 5 files
    /// and of 500.
    facts: DashMap<PathBuf, Arc<CachedFacts>>,
    /// Counts the changes that may change some project's facts: a summary other files see (not moved positions
    /// alone), a file opened, closed, created or deleted, a file event, a setting that changes what is read.
    facts_generation: std::sync::atomic::AtomicU64,
    /// How many times project facts were built from every summary (a debug counter, for tests that count work).
    facts_built: std::sync::atomic::AtomicU64,
    /// The client watches the backend files for us (see [`ProjectIndex::set_events_trusted`]).
    events_trusted: std::sync::atomic::AtomicBool,
}

/// A project's facts and what they were built from.
#[derive(Debug)]
struct CachedFacts {
    /// The [`ProjectIndex::facts_generation`] when the build started.
    generation: u64,
    /// The files read from disk (not open) for the build, with the modification time and size of the version
    /// read (`None`: not readable then). A file changed on disk without a file event is noticed by this.
    disk: Vec<(PathBuf, Option<(SystemTime, u64)>)>,
    facts: Arc<ProjectFacts>,
}

/// A file's modification time and size, as the index compares them.
fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((
        meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
        meta.len(),
    ))
}

/// The project root of a file: the parent of the nearest enclosing `amplify` folder; for a file outside such a
/// folder, the nearest ancestor holding `amplify/backend.ts`.
pub fn root_of(path: &Path) -> Option<PathBuf> {
    let mut cur = path.parent();
    while let Some(dir) = cur {
        if dir.file_name().is_some_and(|n| n == "amplify") {
            return dir.parent().map(Path::to_path_buf);
        }
        cur = dir.parent();
    }
    let mut cur = path.parent();
    while let Some(dir) = cur {
        if dir.join("amplify").join("backend.ts").is_file() {
            return Some(dir.to_path_buf());
        }
        cur = dir.parent();
    }
    None
}

/// The project root of a file, never above the workspace `folders`: [`root_of`], when the project's backend
/// files (its `amplify/` folder) lie inside the outermost folder holding the file, else none. A folder that is
/// an `amplify/` folder itself (Helix makes the nearest folder with a `package.json` the root, and `amplify/`
/// has its own) admits its parent as the project. For a file outside every folder, or with no folders,
/// [`root_of`]. Nothing above the folder is looked at on disk.
pub fn root_within(path: &Path, folders: &[PathBuf]) -> Option<PathBuf> {
    let Some(limit) = folders
        .iter()
        .filter(|f| path.starts_with(f))
        .min_by_key(|f| f.components().count())
    else {
        return root_of(path);
    };
    let admits = |root: &Path| root.join("amplify").starts_with(limit);
    if let Some(dir) = path
        .ancestors()
        .skip(1)
        .find(|d| d.file_name().is_some_and(|n| n == "amplify"))
    {
        let root = dir.parent()?;
        return admits(root).then(|| root.to_path_buf());
    }
    path.ancestors()
        .skip(1)
        .take_while(|d| d.starts_with(limit))
        .find(|d| d.join("amplify").join("backend.ts").is_file())
        .map(Path::to_path_buf)
}

/// Whether Amplify's TypeScript types are installed for `file`: the file's folder or one above it, up to
/// `limit` (the outermost workspace folder holding the file), holds `node_modules/@aws-amplify/backend`, found
/// the way Node (and so TypeScript) resolves a package, so a monorepo's hoisted install counts. Then
/// TypeScript's own completion offers the property names and members that our catalog offers too. Nothing
/// outside `limit` is looked at, and only metadata is read, never a file's content.
pub fn amplify_types_installed(file: &Path, limit: &Path) -> bool {
    file.ancestors()
        .skip(1)
        .take_while(|dir| dir.starts_with(limit))
        .any(|dir| {
            let pkg = dir
                .join("node_modules")
                .join("@aws-amplify")
                .join("backend")
                .join("package.json");
            std::fs::metadata(&pkg).is_ok_and(|m| m.is_file())
        })
}

/// Which files can see a change to one file's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// None: the change only moved text.
    Nothing,
    /// Only frontend files: the change is in what the frontend checks read of the backend (an access path, an
    /// authorization rule), which no backend rule reads.
    Frontend,
    /// Every file of the project.
    Backend,
}

/// A summary with every position zeroed. Other files' diagnostics depend on a file only through the
/// [`ProjectFacts`] built from its summary, and those carry no positions of other files; so an edit that only
/// moves spans (typing inside a storage path, a comment, a model of the schema) need not re-check the rest of
/// the project. A span field added to `Summary` and not zeroed here only makes re-checks more frequent.
fn without_spans(s: &Summary) -> Summary {
    let mut s = s.clone();
    let zero = Span::default();
    s.defines.iter_mut().for_each(|d| d.3 = zero);
    s.auth_groups.iter_mut().for_each(|g| g.1 = zero);
    if let Some(d) = s.data.as_mut() {
        d.span = zero;
    }
    s.buckets.iter_mut().for_each(|b| b.2 = zero);
    s.function_names.iter_mut().for_each(|f| f.1 = zero);
    s.backend_entries.iter_mut().for_each(|e| e.2 = zero);
    s
}

/// Summarises a file's text.
pub fn summarize(path: &Path, text: &str) -> Option<Summary> {
    summarize_unless(path, text, &syntax::never)
}

/// [`summarize`], given up (`None`) as soon as `stop` answers true.
fn summarize_unless(path: &Path, text: &str, stop: &dyn Fn() -> bool) -> Option<Summary> {
    let lang = Lang::from_path(&path.to_string_lossy())?;
    let tree = syntax::parse_unless(text, lang, None, stop)?;
    let mut s = Summary::of(&FileModel::build(&tree, text, lang));
    s.path = Some(path.to_path_buf());
    Some(s)
}

impl ProjectIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the workspace folders: no project root lies above them (see [`root_within`]).
    pub fn set_folders(&self, folders: Vec<PathBuf>) {
        if let Ok(mut f) = self.folders.write() {
            if *f != folders {
                *f = folders;
                drop(f);
                self.clear_disk();
            }
        }
    }

    /// The largest file read for the index (the `maxFileSize` setting). A change forgets what was read and
    /// refused under the old limit.
    pub fn set_max_size(&self, bytes: u64) {
        let old = self
            .max_size
            .swap(bytes, std::sync::atomic::Ordering::SeqCst);
        if old != bytes && !(old == 0 && bytes == MAX_INDEXED_SIZE) {
            self.clear_disk();
        }
    }

    fn max_size(&self) -> u64 {
        match self.max_size.load(std::sync::atomic::Ordering::Relaxed) {
            0 => MAX_INDEXED_SIZE,
            n => n,
        }
    }

    /// The project root of a file, within the workspace folders (see [`root_within`]).
    pub fn root(&self, path: &Path) -> Option<PathBuf> {
        match self.folders.read() {
            Ok(f) => root_within(path, &f),
            Err(_) => self.root(path),
        }
    }

    /// Whether the index holds the summary of a file open in the editor.
    pub fn is_open(&self, path: &Path) -> bool {
        self.open.contains_key(path)
    }

    /// Records an open document's summary; returns whether it changed in a way other files can see (so
    /// dependants need re-checking). Moved positions alone do not count: see [`without_spans`].
    pub fn set_open(&self, path: &Path, summary: Summary) -> bool {
        self.set_open_seen(path, summary) != Seen::Nothing
    }

    /// [`ProjectIndex::set_open`], saying which other files can see the change.
    pub fn set_open_seen(&self, path: &Path, mut summary: Summary) -> Seen {
        // the path resolves the file's relative imports
        summary.path = Some(path.to_path_buf());
        // What the other files saw of this one so far: its open summary, else the one indexed from disk. Opening
        // a file as it is on disk changes nothing for them, so opening many files one after another does not
        // re-check the open ones each time.
        let before = self
            .open
            .get(path)
            .map(|s| s.clone())
            .or_else(|| self.disk.get(path).and_then(|e| e.2.clone()));
        let seen = match &before {
            None => Seen::Backend,
            Some(before) => {
                let (before, now) = (without_spans(before), without_spans(&summary));
                if before == now {
                    Seen::Nothing
                } else if (Summary {
                    view: now.view.clone(),
                    ..before
                }) == now
                {
                    // only what the frontend checks read (the backend rules never look at the view)
                    Seen::Frontend
                } else {
                    Seen::Backend
                }
            }
        };
        let new_file = !self.open.contains_key(path) && !self.disk.contains_key(path);
        drop(self.open.insert(path.to_path_buf(), Arc::new(summary)));
        // The summary this one replaces holds the earlier version's data view (a 1,000-model schema's is about
        // 0.8 M instructions to free): freed off the keystroke's path.
        if let Some(before) = before {
            crate::reclaim::later(before);
        }
        if new_file {
            self.invalidate_listing(path);
        } else if seen != Seen::Nothing {
            self.facts_changed();
        }
        seen
    }

    /// Something the project facts are built from changed: every project's facts are built again when next
    /// asked for.
    fn facts_changed(&self) {
        self.facts_generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// The client watches every file of the listings for us (our `workspace/didChangeWatchedFiles`
    /// registration was accepted) and says when one is created, changed or deleted: cached project facts are then
    /// current until such an event (or a change of an open document), without looking at every file read from
    /// disk on each analysis, a cost that grew with the project.
    /// Only projects whose `amplify/` folder lies inside a workspace folder are watched.
    pub fn set_events_trusted(&self, trusted: bool) {
        self.events_trusted
            .store(trusted, std::sync::atomic::Ordering::SeqCst);
        // what changed on disk before the client watched is looked at once more
        self.facts_changed();
    }

    /// Whether the client reports the changes of the files of the project at `root` (see
    /// [`ProjectIndex::set_events_trusted`]): its `amplify/` folder lies inside a workspace folder.
    fn watched(&self, root: &Path) -> bool {
        self.events_trusted
            .load(std::sync::atomic::Ordering::SeqCst)
            && self.folders.read().is_ok_and(|folders| {
                let backend = root.join("amplify");
                folders.iter().any(|f| backend.starts_with(f))
            })
    }

    /// How many times project facts were built from every file's summary.
    pub fn facts_built(&self) -> u64 {
        self.facts_built.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Forgets an open document (the disk version counts again).
    /// Returns whether other files see a change: the file on disk (read again here) differs from what was
    /// open, ignoring positions.
    pub fn close(&self, path: &Path) -> bool {
        let was = self.open.remove(path).map(|(_, s)| s);
        // (invalidating also starts a new generation of facts)
        self.invalidate(path);
        let now = self.summary(path);
        match (was, now) {
            (Some(a), Some(b)) => without_spans(&a) != without_spans(&b),
            (None, None) => false,
            _ => true,
        }
    }

    /// A file changed, was created or deleted on disk.
    pub fn invalidate(&self, path: &Path) {
        self.disk.remove(path);
        self.refused.remove(path);
        self.invalidate_listing(path);
    }

    fn invalidate_listing(&self, path: &Path) {
        self.facts_changed();
        self.listing_generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if let Some(root) = self.root(path) {
            self.listings.remove(&root);
        }
    }

    /// Drops everything cached (e.g. after many file events).
    pub fn clear_disk(&self) {
        self.facts_changed();
        self.listing_generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.disk.clear();
        self.refused.clear();
        self.listings.clear();
    }

    /// The backend files of a project: every TypeScript file under `<root>/amplify`, skipping `node_modules`
    /// and `.amplify`.
    pub fn files(&self, root: &Path) -> Arc<Vec<PathBuf>> {
        if let Some(l) = self.listings.get(root) {
            return l.clone();
        }
        let generation = self
            .listing_generation
            .load(std::sync::atomic::Ordering::SeqCst);
        let mut files = Vec::new();
        let dir = root.join("amplify");
        if dir.is_dir() {
            // Walk from the project root (so its .gitignore applies) into `amplify/` only. `.gitignore` files
            // are read as plain ignore files: git mode would also look for repositories and ignore files in
            // every parent folder and in the user's configuration, outside the workspace.
            let walker = ignore::WalkBuilder::new(root)
                .hidden(false)
                .git_ignore(false)
                .git_exclude(false)
                .git_global(false)
                .parents(false)
                .add_custom_ignore_filename(".gitignore")
                .max_depth(Some(13))
                .filter_entry(|e| {
                    let n = e.file_name().to_string_lossy();
                    if e.depth() == 1 {
                        return n == "amplify";
                    }
                    !(n == "node_modules" || n == ".amplify" || n == ".git")
                })
                .build();
            for e in walker.flatten() {
                if e.file_type().is_some_and(|t| t.is_file())
                    && Lang::from_path(&e.path().to_string_lossy()).is_some()
                {
                    files.push(e.path().to_path_buf());
                }
            }
        }
        // Open documents that are not on disk yet belong to the project too.
        for e in self.open.iter() {
            if self.root(e.key()).as_deref() == Some(root) && !files.contains(e.key()) {
                files.push(e.key().clone());
            }
        }
        files.sort();
        let files = Arc::new(files);
        let current = || {
            self.listing_generation
                .load(std::sync::atomic::Ordering::SeqCst)
                == generation
        };
        if current() {
            self.listings.insert(root.to_path_buf(), files.clone());
            // A file opened between the check and the insert (its `invalidate_listing` bumps the generation, then
            // removes the listing) may be missing from this one: taken back, unless another listing replaced it.
            // Without this, a listing made while the first files were being opened could stay, without them, until
            // the next file event (seen under load: a file's groups missing from another file's facts).
            if !current() {
                self.listings
                    .remove_if(root, |_, cached| Arc::ptr_eq(cached, &files));
            }
        }
        files
    }

    /// The summary of one file: the open document's, else the disk's (cached by mtime and size, as is a file
    /// that gives none because it is not an Amplify file or its parse was abandoned).
    pub fn summary(&self, path: &Path) -> Option<Arc<Summary>> {
        self.summary_unless(path, &syntax::never)
    }

    /// The summary of one file when the index has it (the open document's, else the disk's while that is
    /// current): never reads nor parses the file.
    fn summary_known(&self, path: &Path) -> Option<Arc<Summary>> {
        if let Some(s) = self.open.get(path) {
            return Some(s.clone());
        }
        let e = self.disk.get(path)?;
        (stamp(path) == Some((e.0, e.1)))
            .then(|| e.2.clone())
            .flatten()
    }

    /// [`ProjectIndex::summary`], given up as soon as `stop` answers true (a file being opened meanwhile, whose
    /// open text will give its summary): then `None`, and nothing is cached.
    pub fn summary_unless(&self, path: &Path, stop: &dyn Fn() -> bool) -> Option<Arc<Summary>> {
        if let Some(s) = self.open.get(path) {
            return Some(s.clone());
        }
        let meta = std::fs::metadata(path).ok()?;
        let mtime = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let len = meta.len();
        if let Some(e) = self.disk.get(path) {
            if e.0 == mtime && e.1 == len {
                return e.2.clone();
            }
        }
        if let Some(e) = self.refused.get(path) {
            if e.0 == mtime && e.1 == len {
                return None;
            }
        }
        let root = self.root(path)?;
        let text = match super::fs::read_project_file(path, &root, self.max_size()) {
            Ok(text) => text,
            Err(why) => {
                // once per version of the file on disk
                tracing::info!("not indexing {}: {why}", path.display());
                self.refused.insert(path.to_path_buf(), (mtime, len));
                return None;
            }
        };
        let s = is_amplify_file(&path.to_string_lossy(), &text)
            .then(|| summarize_unless(path, &text, stop))
            .flatten()
            .map(Arc::new);
        if s.is_none() && stop() {
            return None;
        }
        self.disk
            .insert(path.to_path_buf(), (mtime, len, s.clone()));
        s
    }

    /// The facts of the project `path` belongs to. `this` replaces the file's own summary (its current text).
    /// A copy of [`ProjectIndex::shared_facts`].
    pub fn facts(&self, path: Option<&Path>, this: Option<&Summary>) -> ProjectFacts {
        (*self.shared_facts(path, this)).clone()
    }

    /// The facts of the project `path` belongs to. `this` replaces the file's own summary (its current text).
    ///
    /// For a file of the project's listing whose own summary is the index's (`this` is `None`, or equal to it
    /// but for positions), these are the project's facts, built once from every file's summary and reused until
    /// a change other files can see, a file event or a file changed on disk (its modification time or size; the
    /// files read from disk are looked at, not read) makes them stale: then an analysis no longer costs a pass
    /// over every file of the project. Otherwise, built for the call.
    pub fn shared_facts(&self, path: Option<&Path>, this: Option<&Summary>) -> Arc<ProjectFacts> {
        let Some(path) = path else {
            return Arc::new(ProjectFacts::from_summaries(None, this));
        };
        let Some(root) = self.root(path) else {
            let mut f = ProjectFacts::from_summaries(None, this);
            f.complete = false;
            return Arc::new(f);
        };
        let files = self.files(&root);
        let listed = files.binary_search_by(|f| f.as_path().cmp(path)).is_ok();
        // (compared with a summary the index already has: parsing the file's copy on disk to compare would parse
        // it a second time, e.g. while it is being opened)
        let own_is_indexed = listed
            && this.is_none_or(|t| {
                self.summary_known(path)
                    .is_some_and(|s| without_spans(&s) == without_spans(t))
            });
        if !own_is_indexed {
            return Arc::new(self.facts_from(&root, &files, path, this));
        }
        let facts = self.project_facts(&root, &files);
        // Built in the listing's order, where the file's own summary came last before: when the project has
        // several data files, a data file sees its own authorization modes, as it did.
        let own = this
            .cloned()
            .or_else(|| self.summary(path).map(|s| (*s).clone()));
        if let Some(own_data) = own.and_then(|s| s.data) {
            let same = facts.data.as_ref().is_some_and(|d| {
                DataModes {
                    span: Span::default(),
                    ..d.clone()
                } == DataModes {
                    span: Span::default(),
                    ..own_data.clone()
                }
            });
            if !same && !facts.is_unreached(path) {
                let mut f = (*facts).clone();
                f.data = Some(own_data);
                return Arc::new(f);
            }
        }
        facts
    }

    /// The facts of the project at `root` from every file's summary, in the listing's order: the cached ones
    /// while still current, else built again (and cached).
    fn project_facts(&self, root: &Path, files: &[PathBuf]) -> Arc<ProjectFacts> {
        use std::sync::atomic::Ordering;
        let generation = self.facts_generation.load(Ordering::SeqCst);
        if let Some(c) = self.facts.get(root).map(|c| c.clone()) {
            if c.generation == generation {
                if self.watched(root) {
                    return c.facts.clone();
                }
                // A file opened since counts with its open summary, which is the disk's (else its open would
                // have started a new generation), until it is closed (which does too): its disk version need not
                // be looked at any more, so opening the files of a project one by one looks at fewer and fewer.
                let (now_open, on_disk): (Vec<_>, Vec<_>) = c
                    .disk
                    .iter()
                    .cloned()
                    .partition(|(p, _)| self.open.contains_key(p));
                if on_disk.iter().all(|(p, st)| stamp(p) == *st) {
                    if !now_open.is_empty() {
                        self.facts.insert(
                            root.to_path_buf(),
                            Arc::new(CachedFacts {
                                generation: c.generation,
                                disk: on_disk,
                                facts: c.facts.clone(),
                            }),
                        );
                    }
                    return c.facts.clone();
                }
            }
        }
        let mut summaries: Vec<Arc<Summary>> = Vec::with_capacity(files.len());
        let mut disk = Vec::new();
        for f in files {
            let open = self.open.contains_key(f);
            if let Some(s) = self.summary(f) {
                summaries.push(s);
            }
            if !open {
                let seen = self
                    .disk
                    .get(f)
                    .map(|e| (e.0, e.1))
                    .or_else(|| self.refused.get(f).map(|e| (e.0, e.1)))
                    .or_else(|| stamp(f));
                disk.push((f.clone(), seen));
            }
        }
        let mut facts =
            ProjectFacts::from_summaries(Some(root.to_path_buf()), summaries.iter().map(|s| &**s));
        // positions are not part of what the facts are kept for (see `without_spans`)
        if let Some(d) = facts.data.as_mut() {
            d.span = Span::default();
        }
        let facts = Arc::new(facts);
        self.facts_built.fetch_add(1, Ordering::Relaxed);
        self.facts.insert(
            root.to_path_buf(),
            Arc::new(CachedFacts {
                generation,
                disk,
                facts: facts.clone(),
            }),
        );
        facts
    }

    /// The facts of a project built for one file: every other file's summary, then its own (`this`, else the
    /// index's).
    fn facts_from(
        &self,
        root: &Path,
        files: &[PathBuf],
        path: &Path,
        this: Option<&Summary>,
    ) -> ProjectFacts {
        let mut summaries: Vec<Arc<Summary>> = Vec::with_capacity(files.len() + 1);
        for f in files.iter() {
            if f == path {
                continue;
            }
            if let Some(s) = self.summary(f) {
                summaries.push(s);
            }
        }
        let own = this
            .cloned()
            .or_else(|| self.summary(path).map(|s| (*s).clone()));
        ProjectFacts::from_summaries(
            Some(root.to_path_buf()),
            summaries.iter().map(|s| &**s).chain(own.as_ref()),
        )
    }

    /// Open documents in the project rooted at `root`.
    pub fn open_in(&self, root: &Path) -> Vec<PathBuf> {
        self.open
            .iter()
            .filter(|e| self.root(e.key()).as_deref() == Some(root))
            .map(|e| e.key().clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots() {
        assert_eq!(
            root_of(Path::new("/p/amplify/auth/resource.ts")),
            Some(PathBuf::from("/p"))
        );
        assert_eq!(
            root_of(Path::new("/p/amplify/backend.ts")),
            Some(PathBuf::from("/p"))
        );
        assert_eq!(root_of(Path::new("/nowhere/x.ts")), None);
    }

    #[test]
    fn roots_never_lie_above_the_workspace_folders() {
        let f = |p: &str, folders: &[&str]| {
            let folders: Vec<PathBuf> = folders.iter().map(PathBuf::from).collect();
            root_within(Path::new(p), &folders)
        };
        let p = Some(PathBuf::from("/p"));
        // inside the folder, or no folder holds the file: as `root_of`
        assert_eq!(f("/p/amplify/auth/resource.ts", &["/p"]), p);
        assert_eq!(f("/p/amplify/auth/resource.ts", &["/w", "/"]), p);
        assert_eq!(f("/p/amplify/auth/resource.ts", &["/elsewhere"]), p);
        assert_eq!(f("/p/amplify/auth/resource.ts", &[]), p);
        // the folder is `amplify/` itself: it holds every backend file
        assert_eq!(f("/p/amplify/auth/resource.ts", &["/p/amplify"]), p);
        // a folder inside `amplify/`, or one whose `amplify/` lies above it: no project
        assert_eq!(f("/p/amplify/auth/resource.ts", &["/p/amplify/auth"]), None);
        assert_eq!(
            f("/home/amplify/app/src/x.ts", &["/home/amplify/app"]),
            None
        );
        // the outermost folder holding the file is the limit
        assert_eq!(
            f("/p/amplify/auth/resource.ts", &["/p/amplify/auth", "/p"]),
            p
        );
        // a file outside `amplify/` looks for `amplify/backend.ts` only up to the folder
        let dir = tempfile_dir();
        let outer = dir.join("outer");
        std::fs::create_dir_all(outer.join("amplify")).expect("mkdir");
        std::fs::create_dir_all(outer.join("app/src")).expect("mkdir");
        std::fs::write(outer.join("amplify/backend.ts"), "").expect("write");
        let file = outer.join("app/src/x.ts");
        assert_eq!(root_within(&file, &[]), Some(outer.clone()));
        assert_eq!(
            root_within(&file, std::slice::from_ref(&outer)),
            Some(outer.clone())
        );
        assert_eq!(root_within(&file, &[outer.join("app")]), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A file being opened is not parsed a second time from disk: the walk's parse of it is given up and not
    /// cached, and its facts, built with its own summary, do not read its copy on disk either.
    #[test]
    fn a_file_being_opened_is_not_parsed_from_disk_again() {
        let dir = tempfile_dir();
        let data = dir.join("amplify/data/resource.ts");
        std::fs::create_dir_all(dir.join("amplify/data")).expect("mkdir");
        // large enough for its parse to ask whether to go on
        let models: String = (0..2000)
            .map(|i| format!("  M{i}: a.model({{ title: a.string() }}).authorization((allow) => [allow.owner()]),\n"))
            .collect();
        let text = format!("import {{ a, defineData }} from '@aws-amplify/backend';\nconst schema = a.schema({{\n{models}}});\nexport const data = defineData({{ schema }});\n");
        let text = text.as_str();
        std::fs::write(&data, text).expect("write");
        std::fs::write(dir.join("amplify/backend.ts"), "").expect("write");
        let idx = ProjectIndex::new();
        // given up: nothing kept, so the file is not taken for one without a summary
        assert!(idx.summary_unless(&data, &|| true).is_none());
        assert!(idx.summary_known(&data).is_none());
        // the facts of the file with its own summary: its copy on disk is neither read nor parsed
        let own = summarize(&data, text).expect("summary");
        let facts = idx.shared_facts(Some(&data), Some(&own));
        assert!(facts.data.is_some(), "its own summary counts");
        assert!(
            idx.summary_known(&data).is_none(),
            "the disk's copy was read"
        );
        // an ordinary look at the disk still reads it
        assert!(idx.summary(&data).is_some());
        assert!(idx.summary_known(&data).is_some());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Typing spaces in the storage file moves its spans but changes nothing another file can see: the data
    /// schema (another file) is neither re-read from disk nor re-checked. (Typing inside an access path does:
    /// frontend files check their storage calls against the paths.)
    #[test]
    fn typing_spaces_in_the_storage_file_does_not_recheck_the_project() {
        let dir = tempfile_dir();
        let data = dir.join("amplify/data/resource.ts");
        std::fs::create_dir_all(dir.join("amplify/data")).expect("mkdir");
        std::fs::write(
            &data,
            "import { a, defineData } from '@aws-amplify/backend';\nconst schema = a.schema({ Todo: a.model({ title: a.string() }).authorization((allow) => [allow.owner()]) });\nexport const data = defineData({ schema });\n",
        )
        .expect("write");
        let storage = dir.join("amplify/storage/resource.ts");
        let text = |path: &str, name: &str| {
            format!(
                "import {{ defineStorage }} from '@aws-amplify/backend';\nexport const storage = defineStorage({{\n  name: '{name}',\n  access: (allow) => ({{\n    '{path}': [allow.authenticated.to(['read'])],\n  }}),\n}});\n"
            )
        };
        let idx = ProjectIndex::new();
        let summary = |t: &str| summarize(&storage, t).expect("summary");
        assert!(idx.set_open(&storage, summary(&text("photos/*", "media"))));
        let data_before = idx.summary(&data).expect("data summary");
        assert!(idx.facts(Some(&storage), None).data.is_some());
        // spaces typed after `access:`, one keystroke at a time: the call's span grows, the facts do not move
        // (the access paths themselves are facts: frontend files check their storage calls against them)
        for pad in [" ", "  ", "   "] {
            let moved = text("photos/*", "media").replace("access:", &format!("access:{pad}"));
            assert!(!idx.set_open(&storage, summary(&moved)), "{pad:?}");
            assert!(idx.facts(Some(&storage), None).data.is_some());
        }
        // the data file was summarised once, from disk, and not re-read since
        assert!(Arc::ptr_eq(
            &data_before,
            &idx.summary(&data).expect("data summary")
        ));
        // a change other files can see does re-check them: a path only the frontend files (no backend rule
        // reads the paths of another file), a bucket name every file
        assert_eq!(
            idx.set_open_seen(&storage, summary(&text("photos/thumbs/*", "media"))),
            Seen::Frontend
        );
        assert_eq!(
            idx.set_open_seen(&storage, summary(&text("photos/thumbs/*", "pictures"))),
            Seen::Backend
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn opening_a_file_as_it_is_on_disk_does_not_recheck_the_project() {
        let dir = tempfile_dir();
        let storage = dir.join("amplify/storage/resource.ts");
        std::fs::create_dir_all(dir.join("amplify/storage")).expect("mkdir");
        let text = "import { defineStorage } from '@aws-amplify/backend';\nexport const storage = defineStorage({ name: 'media', access: (allow) => ({ 'a/*': [allow.guest.to(['read'])] }) });\n";
        std::fs::write(&storage, text).expect("write");
        let idx = ProjectIndex::new();
        // indexed from disk first (as at start), then opened unchanged: nothing other files see has changed
        assert!(idx.summary(&storage).is_some());
        let summary = |t: &str| summarize(&storage, t).expect("summary");
        assert!(!idx.set_open(&storage, summary(text)));
        // opened with unsaved changes other files can see: it has
        let renamed = idx.set_open(&storage, summary(&text.replace("'media'", "'pictures'")));
        assert!(renamed);
        // closing it brings back the disk's text: a change; closing an unchanged file is none
        assert!(idx.close(&storage));
        assert!(!idx.set_open(&storage, summary(text)));
        assert!(!idx.close(&storage));
        // a file never indexed counts as changed when opened
        let other = dir.join("amplify/storage/other.ts");
        assert!(idx.set_open(&other, summary(text)));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn facts_combine_disk_and_open_files() {
        let dir = tempfile_dir();
        let root = dir.as_path();
        std::fs::create_dir_all(root.join("amplify/auth")).expect("mkdir");
        std::fs::write(
            root.join("amplify/auth/resource.ts"),
            "import { defineAuth } from '@aws-amplify/backend';\nexport const auth = defineAuth({ loginWith: { email: true }, groups: ['ADMINS'] });\n",
        )
        .expect("write");
        let idx = ProjectIndex::new();
        let data = root.join("amplify/data/resource.ts");
        let f = idx.facts(Some(&data), None);
        assert!(f.has_auth);
        assert_eq!(f.auth_groups, ["ADMINS"]);
        // An open document's unsaved text wins over the disk.
        let s = summarize(
            &root.join("amplify/auth/resource.ts"),
            "export const x = 1;",
        )
        .expect("summary");
        assert!(idx.set_open(&root.join("amplify/auth/resource.ts"), s));
        let f = idx.facts(Some(&data), None);
        assert!(!f.has_auth);
        idx.close(&root.join("amplify/auth/resource.ts"));
        assert!(idx.facts(Some(&data), None).has_auth);
        let _ = std::fs::remove_dir_all(root);
    }

    /// A file whose parse is abandoned gives no summary, and that outcome is cached like a summary (by
    /// modification time and size): the next request for the project's facts does not parse it again. Once
    /// the file changes, it is read and parsed again.
    #[test]
    fn an_abandoned_parse_is_cached_until_the_file_changes() {
        let dir = tempfile_dir();
        let crasher = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/crashers/parse-explosion.data.ts"
        ))
        .expect("crasher fixture");
        let broken = dir.join("amplify/data/resource.ts");
        std::fs::create_dir_all(dir.join("amplify/data")).expect("mkdir");
        let mut text = b"// index test\n".to_vec();
        text.extend_from_slice(&crasher);
        std::fs::write(&broken, &text).expect("write");
        let idx = ProjectIndex::new();
        let before = syntax::parse_counts().0;
        assert!(idx.summary(&broken).is_none());
        assert!(syntax::parse_counts().0 > before);
        assert!(idx.disk.get(&broken).is_some_and(|e| e.2.is_none()));
        let other = dir.join("amplify/auth/resource.ts");
        let _ = idx.facts(Some(&other), None);
        assert!(idx.summary(&broken).is_none());
        assert!(idx.disk.get(&broken).is_some_and(|e| e.2.is_none()));
        // fixed on disk (and the change reported): parsed again
        std::fs::write(
            &broken,
            "import { a, defineData } from '@aws-amplify/backend';\nexport const data = defineData({ schema: a.schema({}) });\n",
        )
        .expect("write");
        idx.invalidate(&broken);
        assert!(idx.summary(&broken).is_some());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Facts with their lists in one order and no positions, to compare facts built in different orders.
    fn canonical(f: &ProjectFacts) -> ProjectFacts {
        let mut f = f.clone();
        f.auth_groups.sort();
        f.data_function_keys.sort();
        if let Some(b) = f.backend_idents.as_mut() {
            b.sort();
        }
        f.imported.sort();
        f.resource_exports.sort_by(|a, b| {
            (&a.0, &a.1, format!("{:?}", a.2)).cmp(&(&b.0, &b.1, format!("{:?}", b.2)))
        });
        f.plain_exports.sort();
        f.backend_imports.sort();
        f.unreached.sort();
        if let Some(d) = f.data.as_mut() {
            d.span = Span::default();
        }
        f
    }

    /// Every file's facts from `idx` (kept between calls) equal the facts a new index builds from scratch for
    /// the same open documents and disk, the way every analysis built them before they were kept: the file's
    /// own summary last. Returns how many times `idx` built project facts meanwhile.
    fn assert_facts_fresh(idx: &ProjectIndex, root: &Path, step: &str) -> u64 {
        let before = idx.facts_built();
        let fresh = ProjectIndex::new();
        fresh.set_folders(vec![root.to_path_buf()]);
        for e in idx.open.iter() {
            fresh.set_open(e.key(), (**e.value()).clone());
        }
        let files = fresh.files(root);
        assert_eq!(*idx.files(root), *files, "{step}: the listing");
        for f in files.iter() {
            let kept = idx.shared_facts(Some(f), None);
            let scratch = fresh.facts_from(root, &files, f, None);
            assert_eq!(
                canonical(&kept),
                canonical(&scratch),
                "{step}: the facts of {}",
                f.display()
            );
        }
        idx.facts_built() - before
    }

    /// Project facts are built once and kept: opening files as they are on disk and edits that only move
    /// positions build nothing, and after every kind of change (an edit other files see, a new open file, a
    /// close, a file changed on disk with or without a file event) the kept facts equal facts built from scratch.
    #[test]
    fn kept_project_facts_equal_fresh_ones() {
        let dir = tempfile_dir();
        let root = dir.as_path();
        let function = |i: usize, name: &str| {
            format!(
                "import {{ defineFunction }} from '@aws-amplify/backend';\nexport const job{i} = defineFunction({{ name: '{name}' }});\n"
            )
        };
        let backend = |fns: &[usize], extra: &str| {
            let mut s = String::from("import { defineBackend } from '@aws-amplify/backend';\nimport { auth } from './auth/resource';\nimport { data } from './data/resource';\nimport { storage } from './storage/resource';\n");
            for i in fns {
                s.push_str(&format!(
                    "import {{ job{i} }} from './functions/job{i}/resource';\n"
                ));
            }
            s.push_str(extra);
            s.push_str("defineBackend({ auth, data, storage");
            for i in fns {
                s.push_str(&format!(", job{i}"));
            }
            s.push_str(" });\n");
            s
        };
        let auth = |groups: &str| {
            format!("import {{ defineAuth }} from '@aws-amplify/backend';\nexport const auth = defineAuth({{ loginWith: {{ email: true }}, groups: [{groups}] }});\n")
        };
        let data = "import { a, defineData } from '@aws-amplify/backend';\nimport { job0 } from '../functions/job0/resource';\nconst schema = a.schema({ Todo: a.model({ title: a.string() }).authorization((allow) => [allow.owner()]), run: a.query().returns(a.string()).handler(a.handler.function(job0)) });\nexport const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'userPool' } });\n";
        let storage = |path: &str| {
            format!("import {{ defineStorage }} from '@aws-amplify/backend';\nexport const storage = defineStorage({{ name: 'files', access: (allow) => ({{ '{path}': [allow.authenticated.to(['read'])] }}) }});\n")
        };
        let mut files: Vec<(String, String)> = vec![
            (
                "amplify/backend.ts".into(),
                backend(&[0, 1, 2, 3, 4, 5], ""),
            ),
            ("amplify/auth/resource.ts".into(), auth("'ADMINS'")),
            ("amplify/data/resource.ts".into(), data.into()),
            ("amplify/storage/resource.ts".into(), storage("a/*")),
        ];
        for i in 0..6 {
            files.push((
                format!("amplify/functions/job{i}/resource.ts"),
                function(i, &format!("job-{i}")),
            ));
            files.push((
                format!("amplify/functions/job{i}/handler.ts"),
                format!("import type {{ Schema }} from '../../data/resource';\nimport {{ env }} from '$amplify/env/job-{i}';\nexport const handler = async () => env;\n"),
            ));
        }
        for (rel, text) in &files {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, text).expect("write");
        }
        let idx = ProjectIndex::new();
        idx.set_folders(vec![root.to_path_buf()]);
        let open = |rel: &str, text: &str| {
            let p = root.join(rel);
            idx.set_open(&p, summarize(&p, text).expect("summary"))
        };

        assert_eq!(
            assert_facts_fresh(&idx, root, "nothing open"),
            1,
            "built once for the project"
        );
        for (rel, text) in &files {
            assert!(!open(rel, text), "{rel} opened as on disk");
        }
        assert_eq!(assert_facts_fresh(&idx, root, "every file open"), 0);
        assert!(!open(
            "amplify/storage/resource.ts",
            &storage("a/*").replace("access:", "access:  ")
        ));
        assert_eq!(assert_facts_fresh(&idx, root, "positions moved"), 0);

        // edits other files see
        assert!(open(
            "amplify/functions/job2/resource.ts",
            &function(7, "job-2")
        ));
        assert_eq!(assert_facts_fresh(&idx, root, "an export renamed"), 1);
        assert!(open("amplify/backend.ts", &backend(&[0, 1, 2, 4, 5], "")));
        assert!(assert_facts_fresh(&idx, root, "a function no longer reached") >= 1);
        assert!(open("amplify/auth/resource.ts", &auth("'ADMINS', ref")));
        assert!(assert_facts_fresh(&idx, root, "groups partly unknown") >= 1);
        // a new file, not on disk, holding a second data definition the backend reaches
        let second = "import { a, defineData } from '@aws-amplify/backend';\nexport const legacy = defineData({ schema: a.schema({}), authorizationModes: { defaultAuthorizationMode: 'apiKey', apiKeyAuthorizationMode: {} } });\n";
        assert!(open("amplify/data/second.ts", second));
        assert!(open(
            "amplify/backend.ts",
            &backend(
                &[0, 1, 2, 4, 5],
                "import { legacy } from './data/second';\n"
            )
        ));
        assert!(assert_facts_fresh(&idx, root, "two data definitions") >= 1);
        // closes: back to the disk's text
        assert!(idx.close(&root.join("amplify/functions/job2/resource.ts")));
        assert!(assert_facts_fresh(&idx, root, "an edited file closed") >= 1);
        assert!(!idx.close(&root.join("amplify/functions/job3/resource.ts")));
        assert_facts_fresh(&idx, root, "an unchanged file closed");

        // an open file changed on disk: its open text counts, until it is closed
        let job1 = root.join("amplify/functions/job1/resource.ts");
        std::fs::write(&job1, function(11, "job-1-on-disk")).expect("write");
        assert_eq!(
            assert_facts_fresh(&idx, root, "an open file changed on disk"),
            0
        );
        assert!(idx.close(&job1));
        assert_eq!(assert_facts_fresh(&idx, root, "... and closed"), 1);

        // changed on disk without a file event: noticed by its modification time and size
        let job3 = root.join("amplify/functions/job3/resource.ts");
        std::fs::write(&job3, function(3, "job-three-renamed")).expect("write");
        assert_eq!(
            assert_facts_fresh(&idx, root, "changed on disk, no event"),
            1
        );
        // ... and with one
        std::fs::write(&job3, function(33, "job-3")).expect("write");
        idx.invalidate(&job3);
        assert_eq!(
            assert_facts_fresh(&idx, root, "changed on disk, with an event"),
            1
        );

        // when the client watches the files, only its events (and open documents) make the facts stale
        idx.set_events_trusted(true);
        assert_eq!(assert_facts_fresh(&idx, root, "watched"), 1);
        std::fs::write(&job3, function(3, "job-3")).expect("write");
        let before = idx.facts_built();
        let _ = idx.shared_facts(Some(&job3), None);
        assert_eq!(
            idx.facts_built(),
            before,
            "no event yet: nothing on disk is looked at"
        );
        idx.invalidate(&job3);
        assert_eq!(assert_facts_fresh(&idx, root, "watched, with an event"), 1);
        // a project outside the workspace folders is not watched
        idx.set_folders(vec![root.join("elsewhere")]);
        assert!(!idx.watched(root));
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tempfile_dir() -> PathBuf {
        let p = std::env::temp_dir().join(format!(
            "amplify-lsp-index-{}-{}",
            std::process::id(),
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&p).expect("mkdir");
        p
    }
}
