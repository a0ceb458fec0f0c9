//! One open document: its rope, its text, its incrementally maintained syntax tree, and immutable snapshots.

use std::sync::{Arc, Mutex, OnceLock};

use ropey::Rope;
use tree_sitter::{InputEdit, Point, Tree};

use crate::helper;
use crate::model::file::FileModel;
use crate::model::value::LowerCache;
use crate::reclaim;
use crate::syntax::{self, guard, Lang};
use crate::text::{offset_at, Edit, Encoding, Pos};

/// One content change of a `didChange` notification, in protocol-independent form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `None` replaces the whole document.
    pub range: Option<(Pos, Pos)>,
    pub text: String,
}

/// Why a change was not applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("version {got} is not newer than the document's version {have}; change ignored")]
    StaleVersion { have: i32, got: i32 },
}

/// An immutable view of a document at one version, shared with analysis.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub uri: Arc<str>,
    pub version: i32,
    pub lang: Option<Lang>,
    pub text: Arc<String>,
    pub rope: Rope,
    /// The syntax tree, present for Amplify files of a TypeScript flavour. While [`Snapshot::guard`] is set,
    /// it is the tree of [`Snapshot::analysis_text`], not of `text`.
    pub tree: Option<Tree>,
    /// The text the analysis reads: `text` itself, or while the guard against error recovery is on, its copy
    /// with the region being edited blanked (same length, same lines; see [`crate::syntax::guard`]).
    pub analysis_text: Arc<String>,
    /// Set while the guard is on: the blanked region and why it is broken.
    pub guard: Option<GuardNote>,
    /// Whether the document is an Amplify backend file (see [`is_amplify_file`]).
    pub amplify: bool,
    /// Whether the document is frontend code that calls Amplify (see [`is_frontend_file`]); never together
    /// with `amplify`. Whether it belongs to an Amplify project is the project index's to say.
    pub frontend: bool,
    /// Set when the document is larger than the configured limit: it is kept but not analysed.
    pub too_large: bool,
    /// The file model of this version, built on first use and shared by every snapshot of the version, with
    /// what the earlier versions left for its build.
    model: ModelSlot,
}

impl Snapshot {
    /// The file model of this version (`None` when the document is not analysed). Built once per version:
    /// diagnostics, the project index, completion and hover of one version share it.
    pub fn file_model(&self) -> Option<Arc<FileModel>> {
        self.model
            .get_or_init(|| {
                let (tree, lang) = (self.tree.as_ref()?, self.lang?);
                let text = &self.analysis_text;
                let model = match self.model.take_handover() {
                    Some(Handover {
                        cache,
                        earlier,
                        edits,
                        real_text,
                    }) => {
                        // The earlier version's model first: when nothing else holds it (no request still reads
                        // that version), it goes now, and its cache becomes this build's own.
                        if let Some(earlier) = earlier {
                            earlier.release_now();
                        }
                        match Arc::try_unwrap(cache) {
                            Ok(mut cache) => {
                                // the big objects recorded in the cache are this text's when no edit is left to
                                // follow (see `Handover::move_ahead`), and when neither this version nor those
                                // since the cache's read a blanked text (the guard's blanked region is no edit)
                                let current = edits.is_some_and(|e| e.is_empty());
                                if !(current && real_text && self.guard.is_none()) {
                                    cache.forget_objects();
                                }
                                FileModel::build_reusing(tree, text, lang, cache)
                            }
                            Err(shared) => {
                                let model =
                                    FileModel::build_incremental(tree, text, lang, Some(&shared));
                                // let go of at once while others hold it (a later version's build may own it
                                // then); freed elsewhere if this was the last holder after all
                                if Arc::strong_count(&shared) > 1 {
                                    drop(shared);
                                } else {
                                    reclaim::later(shared);
                                }
                                model
                            }
                        }
                    }
                    None => FileModel::build_incremental(tree, text, lang, None),
                };
                Some(Arc::new(model))
            })
            .clone()
    }

    /// The file model of this version if it is built already (`Some(None)`: built, and the document is not
    /// analysed), without building it.
    pub fn built_file_model(&self) -> Option<Option<Arc<FileModel>>> {
        self.model.get().cloned()
    }

    /// Whether the file model of this version is built already (then asking for it costs nothing).
    pub fn file_model_built(&self) -> bool {
        self.model.get().is_some()
    }
}

/// The file model of one version: built on first use, shared by every snapshot of the version, with what the
/// version before left for its build ([`Handover`]). The last holder of a built model (or of a handover no build
/// took) hands it to [`reclaim`], so that no edit waits for an earlier version to be freed.
#[derive(Debug, Clone)]
struct ModelSlot(Option<Arc<Slot>>);

#[derive(Debug, Default)]
struct Slot {
    model: OnceLock<Option<Arc<FileModel>>>,
    /// Taken by the build of this version's model.
    handover: Mutex<Option<Handover>>,
    /// The handover while the helper thread moves it ahead of the build (see [`Handover::move_ahead`]): whatever
    /// takes the handover waits for it first ([`Slot::settle`]). Locked after `handover`, never before.
    moving: Mutex<Option<helper::Task<Handover>>>,
}

impl Slot {
    /// Puts the handover back into `h` (the slot's, locked) when the helper thread is moving it ahead, once it
    /// is done. A move that failed took it with it: then the build starts anew (the model built is the same).
    fn settle(&self, h: &mut Option<Handover>) {
        let moving = self.moving.lock().ok().and_then(|mut m| m.take());
        if let Some(moved) = moving.and_then(helper::Task::wait) {
            *h = Some(moved);
        }
    }
}

/// What an earlier version leaves for the build of a later one's model: its lowering cache, and the slot of the
/// model that made it, so that the build can let go of that model first. When then nothing else holds the cache,
/// it becomes the build's own, and the entries that moved are moved in place instead of copied
/// ([`FileModel::build_reusing`]): neither the copies nor the freeing of the old ones. When something still
/// does (a request reading the earlier version), the build shares it and copies, as it always may.
#[derive(Debug)]
struct Handover {
    cache: Arc<LowerCache>,
    earlier: Option<ModelSlot>,
    /// The edits since the version `cache` was made for, in order (`None`: not known, or too many to be worth
    /// following): where they moved its entries.
    edits: Option<Vec<Edit>>,
    /// Whether the version `cache` was made for, and every version since, read its real text (none was
    /// analysed with the guard's blanked region, see [`crate::syntax::guard`]): only then do the edits say all
    /// that changed in the text the cache was read from.
    real_text: bool,
}

/// The most edits a [`Handover`] follows; a burst of more, not analysed in between, is left for the build.
const MAX_EDITS: usize = 64;

/// The fewest entries a lowering cache holds for its entries to be moved ahead of the build, beside the parse
/// ([`Handover::move_ahead`]); a smaller file's build moves its few entries itself, without a thread.
const MOVE_AHEAD_MIN_ENTRIES: usize = 64;

/// `edits` followed by `more`, when both are known and not too many.
fn then(edits: Option<Vec<Edit>>, more: Option<&[Edit]>) -> Option<Vec<Edit>> {
    let (mut edits, more) = (edits?, more?);
    edits.extend_from_slice(more);
    (edits.len() <= MAX_EDITS).then_some(edits)
}

impl Handover {
    /// Whether moving the cache's entries ahead of the build is worth a thread: edits to follow, and many
    /// entries.
    fn worth_moving_ahead(&self) -> bool {
        self.edits.as_ref().is_some_and(|e| !e.is_empty())
            && self.cache.len() >= MOVE_AHEAD_MIN_ENTRIES
    }

    /// Does ahead of the build what it would do first: lets go of the earlier version's model, and when nothing
    /// else holds its cache then, moves the entries the edits moved to where they are now
    /// ([`LowerCache::move_ahead`]). The build then finds them in place. When something still holds the cache (a
    /// request reading the earlier version), nothing moves, and the build copies as it always may. Either way the
    /// model built is the same.
    /// The entries to move are offered to the one waiting for the move (`offer`), which moves them too.
    fn move_ahead(mut self, offer: &helper::Offer<Handover>) -> Handover {
        if let Some(earlier) = self.earlier.take() {
            earlier.release_now();
        }
        if let (Some(edits), Some(cache)) = (self.edits.as_ref(), Arc::get_mut(&mut self.cache)) {
            cache.move_ahead_sharing(edits, &|p| offer.pieces(p));
            // the cache is in the current text's places now
            self.edits = Some(Vec::new());
        }
        self
    }
}

impl Default for ModelSlot {
    fn default() -> Self {
        ModelSlot(Some(Arc::default()))
    }
}

impl std::ops::Deref for ModelSlot {
    type Target = OnceLock<Option<Arc<FileModel>>>;
    fn deref(&self) -> &Self::Target {
        // `None` only while the slot is dropped
        static GONE: OnceLock<Option<Arc<FileModel>>> = OnceLock::new();
        self.0.as_deref().map_or(&GONE, |s| &s.model)
    }
}

impl ModelSlot {
    /// The slot of the next version: its build is left this version's cache when this version's model was built,
    /// else what this version was left: all of it when nothing else holds this slot (nothing can build this
    /// version any more), else the earlier model to let go of, and the cache shared (a request reading this
    /// version may still build it, from that cache).
    ///
    /// `edits` are the edits from this version to the next (`None` when not known, as when the whole text is
    /// replaced); `blanked`, whether this version was analysed with the guard's blanked region.
    fn next(&self, edits: Option<&[Edit]>, blanked: bool) -> ModelSlot {
        let handover = match self.get() {
            Some(Some(m)) => Some(Handover {
                cache: m.lowered.clone(),
                earlier: Some(self.clone()),
                edits: then(Some(Vec::new()), edits),
                real_text: !blanked,
            }),
            _ => self.0.as_ref().and_then(|s| {
                let mut h = s.handover.lock().ok()?;
                s.settle(&mut h);
                let mut next = if Arc::strong_count(s) == 1 {
                    h.take()
                } else {
                    h.as_mut().map(|h| Handover {
                        cache: h.cache.clone(),
                        earlier: h.earlier.take(),
                        edits: h.edits.clone(),
                        real_text: h.real_text,
                    })
                }?;
                next.edits = then(next.edits.take(), edits);
                next.real_text &= !blanked;
                Some(next)
            }),
        };
        ModelSlot(Some(Arc::new(Slot {
            model: OnceLock::new(),
            handover: Mutex::new(handover),
            moving: Mutex::new(None),
        })))
    }

    fn take_handover(&self) -> Option<Handover> {
        let s = self.0.as_ref()?;
        let mut h = s.handover.lock().ok()?;
        s.settle(&mut h);
        h.take()
    }

    /// When it is worth it, has the helper thread ([`crate::helper`]) do with the handover what the build would
    /// do first (see [`Handover::move_ahead`]) while the caller goes on (with the parse); what takes the handover
    /// then waits for it.
    fn move_ahead(&self) {
        let Some(s) = self.0.as_ref() else {
            return;
        };
        let (Ok(mut h), Ok(mut moving)) = (s.handover.lock(), s.moving.lock()) else {
            return;
        };
        if moving.is_some() || !h.as_ref().is_some_and(Handover::worth_moving_ahead) {
            return;
        }
        if let Some(handover) = h.take() {
            *moving = Some(helper::start_in_pieces(move |offer| {
                handover.move_ahead(offer)
            }));
        }
    }

    /// Lets go of the slot here, on this thread: the model it holds is dropped now when nothing else holds it.
    /// (Here, not on the freeing thread: its values share their parts with the cache's entries, which the build
    /// that follows moves in place only where nothing else holds them.)
    fn release_now(mut self) {
        drop(self.0.take());
    }
}

impl Drop for ModelSlot {
    fn drop(&mut self) {
        let Some(slot) = self.0.take() else {
            return;
        };
        if Arc::strong_count(&slot) != 1 {
            return;
        }
        // The last holder. A built model, or a handover holding an earlier model or the last reference to a
        // cache, is freed elsewhere; a handover whose cache a later version shares frees nothing: it goes here, at
        // once, so that the later version's build finds that cache its own.
        let built = slot.model.get().is_some_and(Option::is_some);
        let heavy_handover = slot.handover.lock().map_or(true, |h| {
            h.as_ref()
                .is_some_and(|h| h.earlier.is_some() || Arc::strong_count(&h.cache) == 1)
        }) || slot.moving.lock().map_or(true, |m| m.is_some());
        if built || heavy_handover {
            reclaim::later(slot);
        }
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    uri: Arc<str>,
    version: i32,
    lang: Option<Lang>,
    rope: Rope,
    text: Arc<String>,
    tree: Option<Tree>,
    amplify: bool,
    frontend: bool,
    max_size: usize,
    model: ModelSlot,
    /// See [`Snapshot::analysis_text`].
    analysis_text: Arc<String>,
    /// The guard against error recovery, while it is on.
    guard: Option<Guard>,
    /// Set when the text changed since the tree was brought up to date: the tree is the last parse's, `edit`ed
    /// to the changes (see [`Document::apply_deferred`]).
    pending: Option<Pending>,
}

/// A parse not done yet: how to do it.
#[derive(Debug, Clone)]
struct Pending {
    /// Whether the tree was edited to match the text (else it is parsed from scratch).
    incremental: bool,
    resume: Option<Resume>,
}

/// The edits since the last real parse, for [`Document::refresh`].
#[derive(Debug, Clone)]
struct Resume {
    base_text: Arc<String>,
    /// Whether the tree the edits were applied to is of a real parse without syntax errors.
    base_clean: bool,
    damage: (usize, usize),
    /// Whether the version before the edits was the guard's (its tree parsed from a text with the damage
    /// blanked): then the real text is most likely still broken.
    guarded: bool,
}

/// What the document keeps while the guard against tree-sitter's error recovery is on (see
/// [`crate::syntax::guard`]).
#[derive(Debug, Clone)]
struct Guard {
    /// The tree of the last real parse, `edit`ed since, to reparse from.
    base: Tree,
    /// The text of that parse.
    base_text: Arc<String>,
    /// The byte range of the current text changed since that parse.
    damage: (usize, usize),
    note: GuardNote,
}

/// The region the guard blanked, and what is wrong in it, for the syntax error reported there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardNote {
    /// The blanked byte range of the text.
    pub region: (usize, usize),
    /// The first bracket that breaks the region's balance, as an offset in the text.
    pub unbalanced: Option<guard::Unbalanced>,
    /// tree-sitter's syntax errors in the region, when it could parse the real text within the budget.
    pub errors: Vec<(crate::text::Span, String)>,
}

impl GuardNote {
    /// The syntax errors that stand for the region: tree-sitter's own when it parsed the real text in time,
    /// else the bracket that breaks the region's balance, else one at the region's start.
    pub fn errors(&self) -> Vec<(crate::text::Span, String)> {
        const LEFT_OUT: &str =
            "until it is, the lines being edited are left out of the checks, and the rest of the file is checked as it stands";
        if !self.errors.is_empty() {
            return self.errors.clone();
        }
        vec![match self.unbalanced {
            Some(u) if u.open => (
                crate::text::Span::new(u.at, u.at + 1),
                format!("`{}` is not closed; {LEFT_OUT}", u.bracket),
            ),
            Some(u) => (
                crate::text::Span::new(u.at, u.at + 1),
                format!("`{}` closes nothing here; {LEFT_OUT}", u.bracket),
            ),
            None => (
                crate::text::Span::new(self.region.0, self.region.0),
                format!("syntax error in the lines being edited; {LEFT_OUT}"),
            ),
        }]
    }
}

/// Widens a damaged range of the text before an edit to cover the edit (`start..old_end` replaced by
/// `start..new_end`), in the coordinates after it.
fn widen(
    damage: Option<(usize, usize)>,
    start: usize,
    old_end: usize,
    new_end: usize,
) -> (usize, usize) {
    let map = |x: usize, end: bool| {
        if x < start || (x == start && !end) {
            x
        } else if x >= old_end {
            x - old_end + new_end
        } else if end {
            new_end
        } else {
            start
        }
    };
    match damage {
        None => (start, new_end),
        Some((a, b)) => (map(a, false).min(start), map(b, true).max(new_end)),
    }
}

impl Document {
    pub fn new(
        uri: &str,
        lang: Option<Lang>,
        version: i32,
        text: String,
        max_size: usize,
    ) -> Document {
        let text = Arc::new(text);
        let mut doc = Document {
            uri: Arc::from(uri),
            version,
            lang,
            rope: Rope::from_str(&text),
            analysis_text: text.clone(),
            text,
            tree: None,
            amplify: false,
            frontend: false,
            max_size,
            model: ModelSlot::default(),
            guard: None,
            pending: None,
        };
        doc.refresh(false, None);
        doc
    }

    /// Whether the document is frontend code (see [`Snapshot::frontend`]).
    pub fn is_frontend(&self) -> bool {
        self.frontend
    }

    pub fn uri(&self) -> &str {
        &self.uri
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn tree(&self) -> Option<&Tree> {
        self.tree.as_ref()
    }

    /// Applies the changes of one `didChange` notification, in order, then reparses incrementally.
    pub fn apply(
        &mut self,
        version: i32,
        changes: &[Change],
        enc: Encoding,
    ) -> Result<(), ChangeError> {
        self.apply_deferred(version, changes, enc)?;
        self.parse_pending();
        Ok(())
    }

    /// [`Document::apply`] without the parse: the text is the new version's, and the tree is brought up to date
    /// by [`Document::parse_pending`] (which [`Document::snapshot`] needs first). Changes applied before that
    /// are parsed together, as one edit of the last parsed text.
    pub fn apply_deferred(
        &mut self,
        version: i32,
        changes: &[Change],
        enc: Encoding,
    ) -> Result<(), ChangeError> {
        if version <= self.version {
            return Err(ChangeError::StaleVersion {
                have: self.version,
                got: version,
            });
        }
        // the text of the tree that edits are applied to, and the range changed since it was parsed
        let (mut incremental, base_text, mut damage, known_clean, guarded) =
            match self.pending.take() {
                // edits not parsed yet: the tree is already edited to them, and these go on top
                Some(Pending {
                    incremental,
                    resume,
                }) => match resume {
                    Some(r) => (
                        incremental,
                        r.base_text,
                        Some(r.damage),
                        Some(r.base_clean),
                        r.guarded,
                    ),
                    None => (incremental, self.text.clone(), None, None, false),
                },
                None => {
                    let incremental = self.tree.is_some();
                    // the guard's base tree is moved, not shared: editing a tree shared with another owner copies
                    // every node on the edit's path, the schema's object with its thousands of children included
                    match self.guard.take() {
                        Some(g) => {
                            self.tree = Some(g.base);
                            // the guard's base is clean by construction
                            (incremental, g.base_text, Some(g.damage), Some(true), true)
                        }
                        None => (incremental, self.text.clone(), None, None, false),
                    }
                }
            };
        incremental &= self.tree.is_some();
        // the edits in bytes, for the file model's build (`None` once the whole text is replaced)
        let mut edits = Some(Vec::with_capacity(changes.len()));
        for change in changes {
            match change.range {
                None => {
                    self.rope = Rope::from_str(&change.text);
                    incremental = false;
                    self.tree = None;
                    damage = None;
                    edits = None;
                }
                Some((a, b)) => {
                    let mut start = offset_at(&self.rope, a, enc);
                    let mut end = offset_at(&self.rope, b, enc);
                    if start > end {
                        // An inverted range is a client bug; treat it as the range it spans.
                        std::mem::swap(&mut start, &mut end);
                    }
                    let start_point = self.point(start);
                    let old_end_point = self.point(end);
                    let cs = self.rope.byte_to_char(start);
                    let ce = self.rope.byte_to_char(end);
                    self.rope.remove(cs..ce);
                    self.rope.insert(cs, &change.text);
                    let new_end = start + change.text.len();
                    let new_end_point = self.point(new_end);
                    damage = Some(widen(damage, start, end, new_end));
                    if let Some(edits) = edits.as_mut() {
                        edits.push(Edit {
                            start,
                            old_end: end,
                            new_end,
                        });
                    }
                    if let Some(tree) = self.tree.as_mut() {
                        tree.edit(&InputEdit {
                            start_byte: start,
                            old_end_byte: end,
                            new_end_byte: new_end,
                            start_position: start_point,
                            old_end_position: old_end_point,
                            new_end_position: new_end_point,
                        });
                    }
                }
            }
        }
        self.version = version;
        reclaim::later(std::mem::replace(
            &mut self.text,
            Arc::new(crate::text::rope_text(&self.rope)),
        ));
        let resume = match (incremental, damage) {
            (true, Some(damage)) => Some(Resume {
                base_text,
                base_clean: known_clean.unwrap_or_else(|| {
                    self.tree
                        .as_ref()
                        .is_some_and(|t| !t.root_node().has_error())
                }),
                damage,
                guarded,
            }),
            _ => None,
        };
        self.defer(incremental, resume, edits.as_deref(), guarded);
        Ok(())
    }

    /// Whether the text changed since the tree was brought up to date ([`Document::parse_pending`] is due).
    pub fn parse_due(&self) -> bool {
        self.pending.is_some()
    }

    /// Changes the size limit; the document is re-parsed from scratch when that changes whether it is analysed.
    pub fn set_max_size(&mut self, max_size: usize) {
        if max_size == self.max_size {
            return;
        }
        let was_large = self.text.len() > self.max_size;
        self.max_size = max_size;
        if was_large != (self.text.len() > max_size) {
            self.refresh(false, None);
        }
    }

    fn point(&self, byte: usize) -> Point {
        let row = self.rope.byte_to_line(byte);
        Point::new(row, byte - self.rope.line_to_byte(row))
    }

    /// Re-decides whether the document is ours and (re)parses it when it is. `resume` describes the edits
    /// since the last real parse when the tree was edited to match them; in a large file it lets the guard
    /// against error recovery take over (see [`crate::syntax::guard`]).
    fn refresh(&mut self, incremental: bool, resume: Option<Resume>) {
        self.defer(incremental, resume, None, self.guard.is_some());
        self.parse_pending();
    }

    /// A new version's decisions ([`Document::decide`]), and its parse left for [`Document::parse_pending`]
    /// when the document is parsed at all. `edits` made it from the version before (`None`: not known);
    /// `blanked`, whether that version was parsed with the guard's blanked region.
    fn defer(
        &mut self,
        incremental: bool,
        resume: Option<Resume>,
        edits: Option<&[Edit]>,
        blanked: bool,
    ) {
        self.decide(edits, blanked);
        self.pending = self.tree_wanted().then_some(Pending {
            incremental,
            resume,
        });
    }

    /// Whether the document is parsed: a TypeScript flavour, and Amplify backend or frontend code.
    fn tree_wanted(&self) -> bool {
        (self.amplify || self.frontend) && self.lang.is_some()
    }

    /// A new version's decisions, before its parse: whether the document is ours (a document that is not
    /// loses its tree), and a new model slot. `blanked`: whether the version before was parsed with the guard's
    /// blanked region (see [`ModelSlot::next`]).
    fn decide(&mut self, edits: Option<&[Edit]>, blanked: bool) {
        self.model = self.model.next(edits, blanked);
        reclaim::later(std::mem::replace(
            &mut self.analysis_text,
            self.text.clone(),
        ));
        self.guard = None;
        let too_large = self.text.len() > self.max_size;
        // a JavaScript file is never a backend file: the backend is TypeScript
        self.amplify = self.lang.is_some()
            && !too_large
            && Lang::from_frontend_path(&self.uri) == Lang::from_path(&self.uri)
            && is_amplify_file(&self.uri, &self.text);
        self.frontend = self.lang.is_some()
            && !too_large
            && !self.amplify
            && is_frontend_file(&self.uri, &self.text);
        if !self.tree_wanted() {
            self.tree = None;
        }
    }

    /// Brings the tree up to date with the text, when changes were applied since the last parse.
    pub fn parse_pending(&mut self) {
        let Some(Pending {
            incremental,
            resume,
        }) = self.pending.take()
        else {
            return;
        };
        let Some(lang) = self.lang else {
            return;
        };
        let old = if incremental { self.tree.take() } else { None };
        // What the build of this version's file model would do first (let go of the earlier version's model,
        // move the models the edits moved) is started now, to be done beside the parse, on the helper thread:
        // the build then starts from where it stands. The model built is the same either way; a move that fails
        // leaves the model to be built anew.
        self.model.move_ahead();
        if let (Some(base), Some(resume)) = (old.as_ref(), resume) {
            if self.text.len() >= guard::MIN_GUARDED_LEN && resume.base_clean {
                self.guarded_parse(lang, base, resume);
                return;
            }
        }
        self.tree = syntax::parse(&self.text, lang, old.as_ref());
    }

    /// The parse of an edit to a large file whose last real parse had no syntax error: the real text when it
    /// parses cleanly within a small budget. When the text is certainly broken (tree-sitter found errors within
    /// the budget, or a bracket the edit left open or stray proves it), the text with the damaged region
    /// blanked, when that parses cleanly (see [`crate::syntax::guard`]). Otherwise the real text, in full: a
    /// syntax error is never reported from the guard without a proof.
    fn guarded_parse(&mut self, lang: Lang, base: &Tree, r: Resume) {
        let regions = guard::candidate_regions(base, r.damage);
        let delta = self.text.len() as isize - r.base_text.len() as isize;
        // The innermost region held whole syntax nodes before the edits. If it scanned balanced then and does
        // not now, the file cannot parse: do not let tree-sitter try.
        let certainly_broken = regions.first().is_some_and(|&(a, b)| {
            let old_end = (b as isize - delta).max(a as isize) as usize;
            let before = r.base_text.get(a..old_end);
            let now = self.text.get(a..b);
            matches!((before, now), (Some(before), Some(now))
                if guard::first_unbalanced(before).is_none() && guard::first_unbalanced(now).is_some())
        });
        // When the version before was the guard's, the real text is most likely still broken (a line being
        // typed), and the blanked text is parsed beside it, on a thread of its own, instead of after it.
        let (real, blanked) = if certainly_broken {
            (None, None)
        } else if r.guarded {
            let text = &self.text;
            std::thread::scope(|s| {
                let blanking = std::thread::Builder::new()
                    .name("guard".into())
                    .spawn_scoped(s, || guard::blank_damage(text, lang, base, &regions));
                let real = syntax::parse_bounded(text, lang, Some(base), guard::REPARSE_BUDGET);
                // (a thread that could not start, or that failed, leaves the blanking to be done here)
                (real, blanking.ok().and_then(|b| b.join().ok()))
            })
        } else {
            (
                syntax::parse_bounded(&self.text, lang, Some(base), guard::REPARSE_BUDGET),
                None,
            )
        };
        if real.as_ref().is_some_and(|t| !t.root_node().has_error()) {
            self.tree = real;
            return;
        }
        if real.is_none() && !certainly_broken {
            // The budget ran out before tree-sitter decided, and no bracket proves the text broken: it may be
            // valid (a large paste). Guarding it could report a syntax error that is not there, so it is parsed
            // in full.
            self.tree = syntax::parse(&self.text, lang, Some(base));
            return;
        }
        let blanked =
            blanked.unwrap_or_else(|| guard::blank_damage(&self.text, lang, base, &regions));
        if let Some(b) = blanked {
            let (a, e) = b.region;
            let errors = match &real {
                // tree-sitter's own errors in the region, when it parsed the real text in time
                Some(real) => syntax::syntax_errors(real, &self.text, 8)
                    .into_iter()
                    .filter(|x| x.span.start >= a && x.span.start <= e)
                    .map(|x| (x.span, x.message))
                    .collect(),
                None => Vec::new(),
            };
            let unbalanced = self
                .text
                .get(a..e)
                .and_then(guard::first_unbalanced)
                .map(|u| guard::Unbalanced { at: u.at + a, ..u });
            let note = GuardNote {
                region: b.region,
                unbalanced,
                errors,
            };
            self.tree = Some(b.tree);
            self.analysis_text = Arc::new(b.text);
            self.guard = Some(Guard {
                base: base.clone(),
                base_text: r.base_text,
                damage: r.damage,
                note,
            });
            return;
        }
        self.tree = match real {
            Some(real) => Some(real),
            None => syntax::parse(&self.text, lang, Some(base)),
        };
    }

    /// The snapshot of the current version. The tree must be up to date ([`Document::parse_pending`]): the
    /// store makes sure of it.
    pub fn snapshot(&self) -> Snapshot {
        debug_assert!(self.pending.is_none(), "a snapshot before the parse");
        self.snapshot_as_is()
    }

    /// A snapshot of the current version for what reads its text alone, taken without parsing it: the full
    /// [`Document::snapshot`] when the tree is up to date; else one without a tree, whose file model is `None`
    /// (its own, never the version's).
    pub fn text_snapshot(&self) -> Snapshot {
        let mut snap = self.snapshot_as_is();
        if self.pending.is_some() {
            snap.tree = None;
            snap.model = ModelSlot::default();
            snap.analysis_text = self.text.clone();
            snap.guard = None;
        }
        snap
    }

    fn snapshot_as_is(&self) -> Snapshot {
        Snapshot {
            uri: self.uri.clone(),
            version: self.version,
            lang: self.lang,
            text: self.text.clone(),
            rope: self.rope.clone(),
            tree: self.tree.clone(),
            amplify: self.amplify,
            frontend: self.frontend,
            too_large: self.text.len() > self.max_size,
            model: self.model.clone(),
            analysis_text: self.analysis_text.clone(),
            guard: self.guard.as_ref().map(|g| g.note.clone()),
        }
    }

    /// The current version and its text.
    pub fn current_text(&self) -> (i32, Arc<String>) {
        (self.version, self.text.clone())
    }
}

/// Whether a TypeScript file is an Amplify backend file: it lives under an `amplify/` folder, or it imports
/// from `@aws-amplify/backend` or `@aws-amplify/backend-*`.
pub fn is_amplify_file(uri_or_path: &str, text: &str) -> bool {
    let path = uri_or_path.split(['?', '#']).next().unwrap_or(uri_or_path);
    let in_amplify_dir = path
        .split(['/', '\\'])
        .rev()
        .skip(1)
        .any(|seg| seg == "amplify");
    let in_node_modules = path.split(['/', '\\']).any(|seg| seg == "node_modules");
    if in_node_modules {
        return false;
    }
    in_amplify_dir || imports_amplify_backend(text)
}

/// Whether a file is frontend code that may call Amplify: a TypeScript or JavaScript file (see
/// [`Lang::from_frontend_path`]) outside every `amplify/` folder and `node_modules`, whose text names one of the
/// `aws-amplify` packages. (A file without a path, or with another extension, is not.)
pub fn is_frontend_file(uri_or_path: &str, text: &str) -> bool {
    let path = uri_or_path.split(['?', '#']).next().unwrap_or(uri_or_path);
    if Lang::from_frontend_path(path).is_none() {
        return false;
    }
    let mut dirs = path.split(['/', '\\']).rev().skip(1);
    if dirs.any(|seg| seg == "amplify" || seg == "node_modules") {
        return false;
    }
    text.match_indices("aws-amplify").any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + "aws-amplify".len()..].chars().next();
        matches!(before, Some('\'' | '"' | '`')) && matches!(after, Some('\'' | '"' | '`' | '/'))
    })
}

fn imports_amplify_backend(text: &str) -> bool {
    let needle = "@aws-amplify/backend";
    let mut rest = text;
    while let Some(i) = rest.find(needle) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + needle.len()..].chars().next();
        if matches!(before, Some('\'' | '"' | '`'))
            && matches!(after, Some('\'' | '"' | '`' | '-' | '/'))
        {
            return true;
        }
        rest = &rest[i + needle.len()..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const URI: &str = "file:///p/amplify/data/resource.ts";

    #[test]
    fn frontend_files_are_code_outside_amplify_that_names_an_amplify_package() {
        let uses = "import { generateClient } from 'aws-amplify/data';\n";
        assert!(is_frontend_file("file:///p/src/App.tsx", uses));
        assert!(is_frontend_file(
            "file:///p/src/api.js",
            "import { Amplify } from \"aws-amplify\";"
        ));
        assert!(is_frontend_file(
            "/p/src/lib/store.mjs",
            "await import(`aws-amplify/storage`)"
        ));
        // not code, or not ours to read
        assert!(!is_frontend_file("file:///p/src/App.vue", uses));
        assert!(!is_frontend_file("file:///p/amplify/data/client.ts", uses));
        assert!(!is_frontend_file("file:///p/node_modules/x/index.js", uses));
        // names another package, or only mentions the word
        assert!(!is_frontend_file(
            "file:///p/src/App.tsx",
            "import '@aws-amplify/ui-react';"
        ));
        assert!(!is_frontend_file(
            "file:///p/src/App.tsx",
            "// uses aws-amplify somewhere"
        ));
        // a JavaScript file is frontend code, never a backend file, even inside `amplify/`
        let d = Document::new(
            "file:///p/amplify/x.js",
            Some(Lang::Tsx),
            1,
            uses.into(),
            5_000_000,
        );
        assert!(!d.snapshot().amplify && !d.snapshot().frontend);
        let d = Document::new(
            "file:///p/src/App.tsx",
            Some(Lang::Tsx),
            1,
            uses.into(),
            5_000_000,
        );
        let s = d.snapshot();
        assert!(s.frontend && !s.amplify && s.tree.is_some());
    }

    fn doc(text: &str) -> Document {
        Document::new(URI, Some(Lang::TypeScript), 1, text.to_string(), 5_000_000)
    }

    fn change(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> Change {
        Change {
            range: Some((Pos::new(l0, c0), Pos::new(l1, c1))),
            text: text.to_string(),
        }
    }

    #[test]
    fn incremental_edits_apply_in_order() {
        let mut d = doc("const a = 1;\nconst b = 2;\n");
        d.apply(
            2,
            &[change(0, 10, 0, 11, "42"), change(1, 0, 1, 0, "// hi\n")],
            Encoding::Utf16,
        )
        .expect("apply");
        assert_eq!(d.text(), "const a = 42;\n// hi\nconst b = 2;\n");
        let fresh = syntax::parse(d.text(), Lang::TypeScript, None).expect("parse");
        assert_eq!(
            d.tree().expect("tree").root_node().to_sexp(),
            fresh.root_node().to_sexp()
        );
    }

    #[test]
    fn snapshots_of_one_version_share_their_file_model() {
        let mut d = doc("export const auth = defineAuth({ loginWith: { email: true } });\n");
        let a = d.snapshot().file_model().expect("model");
        let b = d.snapshot().file_model().expect("model");
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.defines.len(), 1);
        d.apply(
            2,
            &[change(1, 0, 1, 0, "defineBackend({ auth });\n")],
            Encoding::Utf16,
        )
        .expect("apply");
        let c = d.snapshot().file_model().expect("model");
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(c.defines.len(), 2);
        // a document that is not analysed has no model
        let other = Document::new("file:///p/src/app.ts", None, 1, "x".into(), 100);
        assert!(other.snapshot().file_model().is_none());
    }

    /// The data schema's types hold no part of the file model's values (their defaults, validators, rule and
    /// modifier arguments are copies): a keystroke above the models moves both the entries and the types in
    /// place, copying nothing.
    #[test]
    fn a_read_schema_shares_nothing_the_next_build_would_have_to_copy() {
        use crate::model::schema::schema_of;
        use crate::model::value::MOVES;
        let model = |n: &str| {
            format!(
                "  {n}: a.model({{\n    count: a.integer().default(0).validate((v) => v.gt(0)),\n    \
                 note: a.string().authorization((allow) => [allow.owner(), allow.groups(['Admins'])]),\n    \
                 label: a.string().default('none'),\n  }}).authorization((allow) => [allow.groups(['Editors'])]),\n"
            )
        };
        let names = ["Post", "Comment", "Tag", "Author", "Blog"];
        let src = format!(
            "import {{ a }} from '@aws-amplify/backend';\n\nconst schema = a.schema({{\n{}}});\n",
            names.iter().map(|n| model(n)).collect::<String>()
        );
        let mut d = doc(&src);
        let read = |d: &Document| {
            let model = d.snapshot().file_model().expect("model");
            let schema = schema_of(&model).expect("a schema");
            assert_eq!(schema.types().count(), 5, "version {}", d.version());
        };
        read(&d);
        for (version, line) in [(2, "// a\n"), (3, "// bb\n")] {
            d.apply(version, &[change(0, 0, 0, 0, line)], Encoding::Utf16)
                .expect("apply");
            MOVES.with(|m| m.set((0, 0)));
            read(&d);
            let (in_place, copied) = MOVES.with(|m| m.get());
            assert_eq!((in_place, copied), (5, 0), "version {version}");
        }
    }

    /// Through the document: once nothing reads the earlier version any more, the build of the next one moves
    /// the models an edit moved in place; while a request still holds the earlier version's model, it copies
    /// them. Either way the model equals a fresh build of the text.
    #[test]
    fn models_an_edit_moved_are_moved_in_place_once_the_earlier_version_is_let_go() {
        use crate::model::file::tests::{same, schema_src};
        use crate::model::value::MOVES;
        let names = ["Post", "Comment", "Tag", "Author", "Blog"];
        let mut d = doc(&schema_src(&names));
        let built = |d: &Document| {
            MOVES.with(|m| m.set((0, 0)));
            let model = d.snapshot().file_model().expect("model");
            let tree = d.tree().expect("tree");
            let fresh = FileModel::build(tree, d.text(), Lang::TypeScript);
            assert!(same(&model, &fresh), "version {}", d.version());
            (model, MOVES.with(|m| m.get()))
        };
        drop(built(&d));
        // a line typed above the schema: the five models move, in place
        d.apply(2, &[change(0, 0, 0, 0, "// a\n")], Encoding::Utf16)
            .expect("apply");
        let (held, moves) = built(&d);
        assert_eq!(moves, (5, 0));
        // a request still reads version 2: version 3 copies
        d.apply(3, &[change(0, 0, 0, 0, "// b\n")], Encoding::Utf16)
            .expect("apply");
        let (model, moves) = built(&d);
        assert_eq!(moves, (0, 5));
        drop(model);
        drop(held);
        // an edit whose model is never built, then one that is: the cache of version 3 still serves, in place
        d.apply(4, &[change(0, 0, 0, 0, "// c\n")], Encoding::Utf16)
            .expect("apply");
        d.apply(5, &[change(0, 0, 0, 0, "// d\n")], Encoding::Utf16)
            .expect("apply");
        let (_, moves) = built(&d);
        assert_eq!(moves, (5, 0));
        // an edit that moves nothing moves nothing
        let end = d.text().lines().count() as u32;
        d.apply(6, &[change(end, 0, end, 0, "// e\n")], Encoding::Utf16)
            .expect("apply");
        let (_, moves) = built(&d);
        assert_eq!(moves, (0, 0));
        // a burst: a request holds version 7 without building its model when version 8 arrives; once it lets go,
        // version 8 still moves them in place
        d.apply(7, &[change(0, 0, 0, 0, "// f\n")], Encoding::Utf16)
            .expect("apply");
        let pending = d.snapshot();
        d.apply(8, &[change(0, 0, 0, 0, "// g\n")], Encoding::Utf16)
            .expect("apply");
        drop(pending);
        let (_, moves) = built(&d);
        assert_eq!(moves, (5, 0));
    }

    /// In a file with many models, the models an edit moved are moved beside the parse, ahead of the build
    /// (which then moves none itself), and the schema's types read from them beside the build's lowering (the
    /// schema read then moves none itself); when a request still reads the earlier version, nothing is moved
    /// ahead and the build copies. In every case the model and its schema equal a fresh build's.
    #[test]
    fn models_an_edit_moved_are_moved_beside_the_parse() {
        use crate::model::file::tests::{same, schema_src};
        use crate::model::schema::{schema_of, tests::MOVED};
        use crate::model::value::MOVES;
        let n = MOVE_AHEAD_MIN_ENTRIES + 6;
        let names: Vec<String> = (0..n).map(|i| format!("Model{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut d = doc(&schema_src(&names));
        // the model of the current version, checked against a fresh build, and the moves its build made itself
        // (of entries, in place and copied; of schema types)
        let built = |d: &Document| {
            MOVES.with(|m| m.set((0, 0)));
            MOVED.with(|m| m.set(0));
            let model = d.snapshot().file_model().expect("model");
            let schema = schema_of(&model).expect("a schema");
            let tree = d.tree().expect("tree");
            let fresh = FileModel::build(tree, d.text(), Lang::TypeScript);
            assert!(same(&model, &fresh), "version {}", d.version());
            // (built with a cache of its own, so that its types name their entries as this version's do)
            let fresh = FileModel::build_incremental(tree, d.text(), Lang::TypeScript, None);
            let fresh_schema = schema_of(&fresh).expect("a schema");
            assert!(
                format!("{schema:?}") == format!("{fresh_schema:?}"),
                "the schema of version {} differs from a fresh read",
                d.version()
            );
            drop(schema);
            let moves = (MOVES.with(|m| m.get()), MOVED.with(|m| m.get()));
            (model, moves)
        };
        drop(built(&d));
        // a line above the schema: every model moved, all ahead of the build
        d.apply(2, &[change(0, 0, 0, 0, "// a\n")], Encoding::Utf16)
            .expect("apply");
        let (model, moves) = built(&d);
        assert_eq!(moves, ((0, 0), 0));
        assert_eq!(model.lowered.reused(), n);
        drop(model);
        // two changes in one notification, one inside a model in the middle: that model is lowered again, the
        // ones after it were moved ahead
        let middle = d.text().find("Model40:").expect("model 40");
        let at =
            super::guard_tests::pos_of(d.text(), middle + "Model40: a\n    .model({\n      ".len());
        d.apply(
            3,
            &[
                change(at.line, at.character, at.line, at.character, "x"),
                change(0, 0, 0, 0, "// b\n"),
            ],
            Encoding::Utf16,
        )
        .expect("apply");
        let (model, moves) = built(&d);
        assert_eq!(moves, ((0, 0), 0));
        assert_eq!(model.lowered.reused(), n - 1);
        drop(model);
        // edits applied one by one and parsed together: followed in order
        d.apply_deferred(4, &[change(1, 0, 1, 0, "// c\n")], Encoding::Utf16)
            .expect("apply");
        d.apply_deferred(
            5,
            &[change(2, 0, 2, 0, "/* a longer line */\n")],
            Encoding::Utf16,
        )
        .expect("apply");
        d.parse_pending();
        let (model, moves) = built(&d);
        assert_eq!(moves, ((0, 0), 0));
        assert_eq!(model.lowered.reused(), n);
        // a request still reads version 5: nothing can be moved ahead, and the build copies
        d.apply(6, &[change(0, 0, 0, 0, "// d\n")], Encoding::Utf16)
            .expect("apply");
        let (next, moves) = built(&d);
        assert_eq!(moves.0, (0, n));
        drop(model);
        drop(next);
        // the whole text replaced: no edits to follow, the build moves the models itself
        let text = format!("// e\n{}", d.text());
        d.apply(7, &[Change { range: None, text }], Encoding::Utf16)
            .expect("apply");
        let (_, moves) = built(&d);
        assert_eq!(moves.0, (n, 0));
        assert!(moves.1 > 0, "the build moved the types");
    }

    /// Builds the model of `d`'s current version and checks it against a fresh build: the model, its member
    /// names, every entry's cache key and member names, and its schema. Returns how many children the build
    /// lowered in the objects it spliced (`None`: it spliced none; see [`crate::model::value`]).
    fn spliced_build(d: &Document, step: &str) -> Option<usize> {
        use crate::model::file::tests::same;
        use crate::model::schema::schema_of;
        use crate::model::value::{Kind, SPLICES};
        SPLICES.with(|s| s.set((0, 0)));
        let snap = d.snapshot();
        let model = snap.file_model().expect("model");
        let spliced = SPLICES.with(|s| s.get());
        let (tree, src) = (snap.tree.as_ref().expect("tree"), &snap.analysis_text);
        let fresh = FileModel::build_incremental(tree, src, Lang::TypeScript, None);
        assert!(same(&model, &fresh), "{step}: the model differs");
        assert_eq!(
            model.members.get(),
            fresh.members.get(),
            "{step}: member names"
        );
        // every entry of every object in `v`
        let entries_of = |v: &crate::model::value::Value| {
            let mut entries = Vec::new();
            v.walk(&mut |v| {
                if let Kind::Object(props) = &v.kind {
                    entries.extend(props.iter().cloned());
                }
            });
            entries
        };
        for (a, b) in model.top_values().iter().zip(fresh.top_values()) {
            let (entries, fresh_entries) = (entries_of(a), entries_of(b));
            assert_eq!(entries.len(), fresh_entries.len(), "{step}");
            for (p, q) in entries.iter().zip(&fresh_entries) {
                assert_eq!(
                    model.lowered.key_of(p),
                    fresh.lowered.key_of(q),
                    "{step}: the cache key of the entry at {}",
                    p.span.start
                );
                assert_eq!(
                    model.lowered.names_of(p),
                    fresh.lowered.names_of(q),
                    "{step}: the member names of the entry at {}",
                    p.span.start
                );
            }
        }
        let (schema, fresh_schema) = (schema_of(&model), schema_of(&fresh));
        assert_eq!(
            format!("{schema:?}"),
            format!("{fresh_schema:?}"),
            "{step}: the schema"
        );
        (spliced.0 > 0).then_some(spliced.1)
    }

    /// Replaces the bytes `from..to` of `d`'s text with `with`, as the next version.
    fn edit_bytes(d: &mut Document, from: usize, to: usize, with: &str) {
        let text = d.text().to_string();
        let pos_of = super::guard_tests::pos_of;
        let (a, b) = (pos_of(&text, from), pos_of(&text, to));
        d.apply(
            d.version() + 1,
            &[change(a.line, a.character, b.line, b.character, with)],
            Encoding::Utf16,
        )
        .expect("apply");
    }

    /// While the guard against error recovery analyses a blanked text, and in the version right after it, no big
    /// object is spliced: the blanked region changes the analysed text beyond the edit, so the edit alone does
    /// not say which models changed. Every model equals a fresh build's.
    #[test]
    fn no_splice_reads_across_the_guards_blanked_region() {
        use crate::model::file::tests::schema_src;
        let names: Vec<String> = (0..220).map(|i| format!("Model{i:03}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut d = doc(&schema_src(&names));
        assert!(
            d.text().len() >= guard::MIN_GUARDED_LEN,
            "large enough to be guarded"
        );
        let field = |d: &Document| {
            d.text().find("Model100: a").expect("model")
                + "Model100: a\n    .model({\n      title: a.string".len()
        };
        assert_eq!(spliced_build(&d, "open"), None);
        let at = field(&d);
        edit_bytes(&mut d, at, at, " ");
        assert_eq!(spliced_build(&d, "a space in a valid file"), Some(1));
        // an unclosed call: the guard blanks the damaged region
        let at = field(&d);
        edit_bytes(&mut d, at, at, "(");
        assert!(d.snapshot().guard.is_some(), "the guard is on");
        assert_eq!(spliced_build(&d, "guarded"), None);
        // closed again: the version before read a blanked text
        let at = field(&d) + 1;
        edit_bytes(&mut d, at, at, ")");
        assert!(d.snapshot().guard.is_none(), "the guard is off");
        assert_eq!(spliced_build(&d, "right after the guard"), None);
        let at = field(&d);
        edit_bytes(&mut d, at, at + 3, "");
        assert_eq!(spliced_build(&d, "the next edit"), Some(1));
    }

    /// A big object (a schema of 80 models, with a comment, a short entry and a spread among them) edited one
    /// change at a time: each build takes the children the edit did not touch from the earlier version's record
    /// and lowers only the touched ones ([`crate::model::value`]'s splice), and its model, member names, cache
    /// entries and schema equal a fresh build's. The edits are chosen where a splice can go wrong: at the edges
    /// of a model, between two models, a model inserted, one deleted, one made a copy of another (two entries with
    /// one text), the object's braces, a comment among the children, text above and below the object; then random
    /// edits, many of which break the syntax for a while.
    #[test]
    fn a_big_objects_untouched_children_are_spliced_and_the_model_equals_a_fresh_build() {
        use crate::model::file::tests::schema_src;
        let names: Vec<String> = (0..80).map(|i| format!("Model{i:02}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let text = schema_src(&names).replacen(
            "  Model10: a",
            "  // a comment among the models\n  Status: a.enum(['draft', 'done']),\n  ...extra,\n  Model10: a",
            1,
        );
        let mut d = doc(&text);
        let check = spliced_build;
        let edit = edit_bytes;
        assert_eq!(check(&d, "open"), None, "nothing to splice from");
        // `text` typed at `at`; `len` bytes at `at` replaced with `text`
        fn typed(at: usize, text: &str) -> (usize, usize, String) {
            (at, at, text.to_string())
        }
        fn replaced(at: usize, len: usize, text: &str) -> (usize, usize, String) {
            (at, at + len, text.to_string())
        }
        // where the name of the first field of `model` ends
        fn title_end(d: &Document, model: &str) -> usize {
            let at = d.text().find(&format!("{model}: a")).expect(model);
            at + format!("{model}: a\n    .model({{\n      title").len()
        }
        // (name, edit, children lowered again: `None` when the object cannot be spliced)
        type Step = (
            &'static str,
            fn(&Document) -> (usize, usize, String),
            Option<usize>,
        );
        let steps: Vec<Step> = vec![
            (
                "a letter typed in a model's field",
                |d| typed(title_end(d, "Model40"), "s"),
                Some(1),
            ),
            (
                "the letter deleted",
                |d| replaced(title_end(d, "Model40"), 1, ""),
                Some(1),
            ),
            (
                "a line above the schema: every model moves",
                |_| (0, 0, "// top\n".into()),
                Some(0),
            ),
            (
                "a line below it: nothing moves",
                |d| typed(d.text().len(), "const after = 1;\n"),
                Some(0),
            ),
            (
                "a letter against the start of a model's name",
                |d| typed(d.text().find("Model20: a").unwrap(), "X"),
                Some(1),
            ),
            (
                "a space between a model's comma and the line's end: no child touched",
                |d| typed(d.text().find("  Model31: a").unwrap() - 1, " "),
                Some(0),
            ),
            (
                "a space against the end of a model, before its comma",
                |d| typed(d.text().find(" \n  Model31: a").unwrap() - 1, " "),
                Some(1),
            ),
            (
                "a model inserted between two",
                |d| {
                    typed(d.text().find("  Model50: a").unwrap(), "  Inserted: a.model({ title: a.string(), body: a.string(), rating: a.integer(), note: a.string(), more: a.string(), other: a.string(), last: a.string(), count: a.integer(), done: a.boolean() }).authorization((allow) => [allow.owner()]),\n")
                },
                Some(1),
            ),
            (
                "a model deleted",
                |d| {
                    let from = d.text().find("  Model60: a").unwrap();
                    let to = d.text().find("  Model61: a").unwrap();
                    (from, to, String::new())
                },
                Some(0),
            ),
            (
                "a model made a copy of the one after it: two entries with one text",
                |d| {
                    let from = d.text().find("  Model70: a").unwrap();
                    let to = d.text().find("  Model71: a").unwrap();
                    let next = d.text().find("  Model72: a").unwrap();
                    let copy = d.text()[to..next].to_string();
                    (from, to, copy)
                },
                Some(1),
            ),
            (
                "then any edit: not spliced (the record was not kept)",
                |d| typed(title_end(d, "Model05"), "z"),
                None,
            ),
            (
                "the copy renamed back",
                |d| {
                    replaced(
                        d.text().find("  Model71: a").unwrap() + "  Model7".len(),
                        1,
                        "0",
                    )
                },
                None,
            ),
            (
                "an edit after that",
                |d| replaced(title_end(d, "Model05"), 1, ""),
                Some(1),
            ),
            (
                "the comment among the models edited",
                |d| typed(d.text().find("a comment among").unwrap(), "still "),
                Some(1),
            ),
            (
                "the short entry edited",
                |d| typed(d.text().find("'done'").unwrap() + 1, "un"),
                Some(1),
            ),
            (
                "the spread edited",
                |d| typed(d.text().find("...extra").unwrap() + "...extra".len(), "s"),
                Some(1),
            ),
            (
                "the object's closing brace deleted",
                |d| {
                    let at = d.text().find("});\n\nexport const data").unwrap();
                    (at, at + 1, String::new())
                },
                None,
            ),
            (
                "and typed again",
                |d| {
                    let at = d.text().find(");\n\nexport const data").unwrap();
                    (at, at, "}".into())
                },
                None,
            ),
            (
                "a letter in the last model",
                |d| typed(title_end(d, "Model79"), "s"),
                Some(1),
            ),
            (
                "a letter in the first model",
                |d| typed(title_end(d, "Model00"), "s"),
                Some(1),
            ),
        ];
        for (step, at, lowered) in steps {
            let (from, to, with) = at(&d);
            edit(&mut d, from, to, &with);
            assert_eq!(
                check(&d, step),
                lowered,
                "{step}: children lowered in a splice"
            );
        }
        // random edits: characters typed and deleted anywhere, often breaking the syntax for a while, most of them
        // taken back
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut below = |n: usize| {
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            (seed.wrapping_mul(0x2545_f491_4f6c_dd1d) % n as u64) as usize
        };
        let mut spliced = 0;
        for i in 0..300 {
            let text = d.text().to_string();
            let mut at = below(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let after_letter = at > 0 && text.as_bytes()[at - 1].is_ascii_alphabetic();
            let (to, with) = match below(6) {
                // (a letter typed after a letter mostly leaves the text valid: a name made longer)
                0 | 1 if after_letter => (at, "q".to_string()),
                0 => (at, " ".to_string()),
                1 => (at, "\n".to_string()),
                2 | 3 => (at, ["a", "x", ",", "(", "}", "'"][below(6)].to_string()),
                _ => {
                    let mut to = (at + 1 + below(3)).min(text.len());
                    while !text.is_char_boundary(to) {
                        to += 1;
                    }
                    (to, String::new())
                }
            };
            let taken = text[at..to].to_string();
            edit(&mut d, at, to, &with);
            spliced += usize::from(check(&d, &format!("random edit {i}")).is_some());
            // taken back, but for a third of the spaces and letters typed (which pile up)
            let kept = (with == " " || with == "q") && below(3) == 0;
            if !kept {
                edit(&mut d, at, at + with.len(), &taken);
                check(&d, &format!("random edit {i} taken back"));
            }
        }
        assert!(
            spliced > 100,
            "only {spliced} of 300 random edits were spliced"
        );
    }

    #[test]
    fn stale_versions_are_rejected() {
        let mut d = doc("x");
        assert!(d
            .apply(1, &[change(0, 0, 0, 0, "y")], Encoding::Utf16)
            .is_err());
        assert_eq!(d.text(), "x");
        d.apply(5, &[change(0, 0, 0, 0, "y")], Encoding::Utf16)
            .expect("apply");
        assert_eq!(d.text(), "yx");
    }

    #[test]
    fn full_and_incremental_interleave() {
        let mut d = doc("a");
        d.apply(
            2,
            &[
                Change {
                    range: None,
                    text: "hello\nworld".into(),
                },
                change(1, 0, 1, 5, "there"),
            ],
            Encoding::Utf16,
        )
        .expect("apply");
        assert_eq!(d.text(), "hello\nthere");
    }

    #[test]
    fn which_files_are_ours() {
        assert!(is_amplify_file("file:///p/amplify/auth/resource.ts", ""));
        assert!(is_amplify_file("file:///p/amplify/backend.ts", ""));
        assert!(!is_amplify_file(
            "file:///p/src/app.ts",
            "import x from 'react';"
        ));
        assert!(is_amplify_file(
            "file:///p/src/app.ts",
            "import { defineAuth } from '@aws-amplify/backend';"
        ));
        assert!(is_amplify_file(
            "file:///p/infra.ts",
            "import { x } from \"@aws-amplify/backend-function\";"
        ));
        assert!(!is_amplify_file(
            "file:///p/infra.ts",
            "// mentions @aws-amplify/backendish"
        ));
        assert!(!is_amplify_file("file:///p/node_modules/amplify/x.ts", ""));
        // a file named amplify.ts is not a folder
        assert!(!is_amplify_file("file:///p/amplify.ts", ""));
    }
}

#[cfg(test)]
mod guard_tests {
    use super::*;

    const URI: &str = "file:///p/amplify/data/resource.ts";

    /// A schema of `n` models, over [`guard::MIN_GUARDED_LEN`] for n ≥ 500.
    fn schema(n: usize) -> String {
        let mut s = String::from(
            "import { a, defineData, type ClientSchema } from '@aws-amplify/backend';\n\nconst schema = a.schema({\n",
        );
        for i in 0..n {
            s.push_str(&format!(
                "  Model{i}: a\n    .model({{\n      name: a.string(),\n      count: a.integer(),\n    }})\n    .authorization((allow) => [allow.owner()]),\n"
            ));
        }
        s.push_str("});\n\nexport type Schema = ClientSchema<typeof schema>;\nexport const data = defineData({ schema });\n");
        s
    }

    pub(super) fn pos_of(text: &str, offset: usize) -> Pos {
        let before = &text[..offset];
        let line = before.matches('\n').count() as u32;
        let col = before.rsplit('\n').next().unwrap_or("").len() as u32;
        Pos::new(line, col)
    }

    fn insert(d: &mut Document, version: i32, offset: usize, text: &str) {
        let p = pos_of(d.text(), offset);
        d.apply(
            version,
            &[Change {
                range: Some((p, p)),
                text: text.to_string(),
            }],
            Encoding::Utf16,
        )
        .expect("apply");
    }

    const TYPED: &str = "  Bookmark: a\n    .model({\n      url: a.url().required(),\n      rating: a.integer().validate((v) => v.gte(0).lte(5)),\n    })\n    .authorization((allow) => [allow.owner()]),\n";

    /// Types a model into the middle of a large schema, one character per version: while it is unbalanced
    /// the guard is on, the analysed text is the real one with a region blanked, and the tree is exactly a
    /// fresh parse of it; once it is complete, the guard is off and the tree is a fresh parse of the text.
    #[test]
    fn a_model_typed_into_a_large_schema_is_guarded_until_it_is_whole() {
        let text = schema(600);
        assert!(text.len() > guard::MIN_GUARDED_LEN);
        let at = text.find("  Model300:").expect("model");
        let mut d = Document::new(URI, Some(Lang::TypeScript), 1, text.clone(), 5_000_000);
        let models = |s: &Snapshot| {
            let model = s.file_model().expect("model");
            crate::model::schema::schema_of(&model).map_or(0, |s| s.models().count())
        };
        assert_eq!(models(&d.snapshot()), 600);
        let mut guarded = 0;
        let mut version = 1;
        for (i, c) in TYPED.char_indices() {
            version += 1;
            insert(&mut d, version, at + i, &c.to_string());
            let snap = d.snapshot();
            assert_eq!(snap.analysis_text.len(), snap.text.len());
            if let Some(note) = &snap.guard {
                guarded += 1;
                let (a, b) = note.region;
                assert!(a <= at + i && b > at + i, "the region covers the edit");
                assert_eq!(snap.analysis_text[..a], snap.text[..a]);
                assert_eq!(snap.analysis_text[b..], snap.text[b..]);
                assert!(snap.analysis_text[a..b].chars().all(char::is_whitespace));
                // the whole rest of the schema is still analysed
                assert_eq!(models(&snap), 600, "at {:?}", &TYPED[..=i]);
                let fresh = FileModel::build(
                    snap.tree.as_ref().expect("tree"),
                    &snap.analysis_text,
                    Lang::TypeScript,
                );
                let n = crate::model::schema::schema_of(&fresh).map_or(0, |s| s.models().count());
                assert_eq!(n, 600, "fresh at {:?}", &TYPED[..=i]);
            }
            if i % 29 == 0 || snap.guard.is_none() && i % 7 == 0 {
                let fresh =
                    syntax::parse(&snap.analysis_text, Lang::TypeScript, None).expect("parse");
                assert_eq!(
                    snap.tree.as_ref().expect("tree").root_node().to_sexp(),
                    fresh.root_node().to_sexp(),
                    "after {:?}",
                    &TYPED[..=i]
                );
            }
        }
        assert!(
            guarded > TYPED.len() / 2,
            "guarded {guarded} of {}",
            TYPED.len()
        );
        let snap = d.snapshot();
        assert!(snap.guard.is_none());
        assert_eq!(*snap.text, format!("{}{TYPED}{}", &text[..at], &text[at..]));
        let fresh = syntax::parse(&snap.text, Lang::TypeScript, None).expect("parse");
        assert_eq!(
            snap.tree.as_ref().expect("tree").root_node().to_sexp(),
            fresh.root_node().to_sexp()
        );
        assert!(!fresh.root_node().has_error());
    }

    /// A small file is never guarded: tree-sitter's recovery there is cheap, and its errors are the real ones.
    #[test]
    fn small_files_are_parsed_as_they_are() {
        let text = schema(5);
        let at = text.find("  Model3:").expect("model");
        let mut d = Document::new(URI, Some(Lang::TypeScript), 1, text, 5_000_000);
        insert(&mut d, 2, at, "  Broken: a.model(");
        let snap = d.snapshot();
        assert!(snap.guard.is_none());
        assert!(Arc::ptr_eq(&snap.analysis_text, &snap.text));
        assert!(snap.tree.expect("tree").root_node().has_error());
    }

    /// Changes applied before the parse (a burst, or a completion asked with the change) are parsed together:
    /// the text is always the latest, the parse brings the tree to exactly a fresh parse of the analysed text
    /// (the guard on or off, in groups of one to five keystrokes), and once the model is whole the document
    /// equals one that parsed every keystroke. While the guard stays on, the edits since the last clean parse
    /// all count, whether they were parsed one by one or together: the two documents blank the same region.
    #[test]
    fn changes_parsed_together_equal_changes_parsed_one_by_one() {
        let text = schema(600);
        let at = text.find("  Model300:").expect("model");
        let mut lazy = Document::new(URI, Some(Lang::TypeScript), 1, text.clone(), 5_000_000);
        let mut eager = lazy.clone();
        let chars: Vec<(usize, char)> = TYPED.char_indices().collect();
        let (mut version, mut i, mut group, mut guarded) = (1, 0, 0, 0);
        // whether both documents had the same state after the last group, and how often that was compared
        let (mut same, mut compared) = (true, 0);
        while i < chars.len() {
            group = group % 5 + 1;
            // whether the document parsed one by one kept the guard on within the group (no clean parse)
            let mut kept_on = true;
            let n = chars.len().min(i + group) - i;
            for (k, &(o, c)) in chars.iter().skip(i).take(group).enumerate() {
                version += 1;
                let p = pos_of(lazy.text(), at + o);
                let change = [Change {
                    range: Some((p, p)),
                    text: c.to_string(),
                }];
                lazy.apply_deferred(version, &change, Encoding::Utf16)
                    .expect("apply");
                assert!(lazy.parse_due());
                // what reads the text alone sees the change at once, without a tree
                let early = lazy.text_snapshot();
                assert!(early.tree.is_none() && early.file_model().is_none());
                assert_eq!(early.version, version);
                insert(&mut eager, version, at + o, &c.to_string());
                assert_eq!(lazy.text(), eager.text());
                kept_on &= k + 1 == n || eager.guard.is_some();
            }
            i += group;
            lazy.parse_pending();
            assert!(!lazy.parse_due());
            let snap = lazy.snapshot();
            guarded += usize::from(snap.guard.is_some());
            let fresh = syntax::parse(&snap.analysis_text, Lang::TypeScript, None).expect("parse");
            assert_eq!(
                snap.tree.as_ref().expect("tree").root_node().to_sexp(),
                fresh.root_node().to_sexp(),
                "after {:?}",
                &TYPED[..chars.get(i).map_or(TYPED.len(), |c| c.0)]
            );
            if let Some(note) = &snap.guard {
                let (a, b) = note.region;
                assert_eq!(snap.analysis_text[..a], snap.text[..a]);
                assert_eq!(snap.analysis_text[b..], snap.text[b..]);
            } else {
                assert_eq!(snap.analysis_text, snap.text);
            }
            let one_by_one = eager.snapshot();
            if same && kept_on {
                compared += 1;
                assert_eq!(
                    snap.guard,
                    one_by_one.guard,
                    "after {:?}",
                    &TYPED[..chars.get(i).map_or(TYPED.len(), |c| c.0)]
                );
                assert_eq!(snap.analysis_text, one_by_one.analysis_text);
            }
            same = snap.guard == one_by_one.guard && snap.analysis_text == one_by_one.analysis_text;
        }
        assert!(guarded > 0, "the guard was on for some groups");
        assert!(compared > 10, "compared {compared} groups");
        let (l, e) = (lazy.snapshot(), eager.snapshot());
        assert!(l.guard.is_none() && e.guard.is_none());
        assert_eq!(l.text, e.text);
        assert_eq!(
            l.tree.as_ref().expect("tree").root_node().to_sexp(),
            e.tree.as_ref().expect("tree").root_node().to_sexp()
        );
    }
}

#[cfg(test)]
mod guard_paste_tests {
    use super::*;

    /// A valid paste too large for the small budget is parsed in full, never guarded: the guard reports a
    /// syntax error only with a proof.
    #[test]
    fn a_large_valid_paste_is_not_guarded() {
        let mut text = String::from("const schema = a.schema({\n");
        let model = |i: usize| {
            format!("  Model{i}: a\n    .model({{\n      name: a.string(),\n      count: a.integer(),\n    }})\n    .authorization((allow) => [allow.owner()]),\n")
        };
        for i in 0..600 {
            text.push_str(&model(i));
        }
        text.push_str("});\n");
        let at = text.find("  Model300:").expect("model");
        let paste: String = (1000..1400).map(model).collect();
        let mut d = Document::new(
            "file:///p/amplify/data/resource.ts",
            Some(Lang::TypeScript),
            1,
            text.clone(),
            50_000_000,
        );
        let before = &text[..at];
        let p = Pos::new(before.matches('\n').count() as u32, 0);
        d.apply(
            2,
            &[Change {
                range: Some((p, p)),
                text: paste.clone(),
            }],
            Encoding::Utf16,
        )
        .expect("apply");
        let snap = d.snapshot();
        assert!(snap.guard.is_none());
        assert!(Arc::ptr_eq(&snap.analysis_text, &snap.text));
        let tree = snap.tree.expect("tree");
        assert!(!tree.root_node().has_error());
        assert_eq!(*snap.text, format!("{}{paste}{}", &text[..at], &text[at..]));
    }
}

#[cfg(test)]
mod guard_deletion_tests {
    use super::*;

    /// Deleting a model from a large schema, one character at a time from its end: whenever the guard is on,
    /// every other model is still analysed (the region blanked is the model being deleted, not the schema), and
    /// the tree is a fresh parse of the analysed text.
    #[test]
    fn deleting_a_model_hides_that_model_only() {
        let mut text = String::from("const schema = a.schema({\n");
        for i in 0..500 {
            text.push_str(&format!(
                "  Model{i}: a\n    .model({{\n      name: a.string(),\n      count: a.integer(),\n    }})\n    .authorization((allow) => [allow.owner()]),\n"
            ));
        }
        text.push_str("});\n");
        assert!(text.len() > guard::MIN_GUARDED_LEN);
        let at = text.find("  Model250:").expect("model");
        let typed = "  Bookmark: a\n    .model({\n      url: a.url().required(),\n      rating: a.integer().validate((v) => v.gte(0).lte(5)),\n    })\n    .authorization((allow) => [allow.owner()]),\n";
        let full = format!("{}{typed}{}", &text[..at], &text[at..]);
        let mut d = Document::new(URI_DEL, Some(Lang::TypeScript), 1, full, 50_000_000);
        let mut guarded = 0;
        for (step, i) in (0..typed.len()).rev().enumerate() {
            let t = d.text().to_string();
            let pos = |o: usize| {
                let b = &t[..o];
                Pos::new(
                    b.matches('\n').count() as u32,
                    b.rsplit('\n').next().unwrap_or("").len() as u32,
                )
            };
            let (p0, p1) = (pos(at + i), pos(at + i + 1));
            d.apply(
                step as i32 + 2,
                &[Change {
                    range: Some((p0, p1)),
                    text: String::new(),
                }],
                Encoding::Utf16,
            )
            .expect("apply");
            let snap = d.snapshot();
            if let Some(note) = &snap.guard {
                guarded += 1;
                let hidden = note.region.1 - note.region.0;
                assert!(hidden < 1024, "step {step}: {hidden} bytes hidden");
                if step % 5 == 0 {
                    let model = snap.file_model().expect("model");
                    let n =
                        crate::model::schema::schema_of(&model).map_or(0, |s| s.models().count());
                    assert!(n >= 500, "step {step}: {n} models analysed");
                    let fresh =
                        syntax::parse(&snap.analysis_text, Lang::TypeScript, None).expect("parse");
                    assert_eq!(
                        snap.tree.as_ref().expect("tree").root_node().to_sexp(),
                        fresh.root_node().to_sexp()
                    );
                }
            }
        }
        assert!(guarded > 100, "guarded {guarded}");
        assert_eq!(d.text(), text);
        assert!(d.snapshot().guard.is_none());
    }

    const URI_DEL: &str = "file:///p/amplify/data/resource.ts";
}
