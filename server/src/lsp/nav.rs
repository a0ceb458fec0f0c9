//! Navigation and structure: definition, references, rename, symbols, code lens, inlay hints (protocol side).
//!
//! Each request gathers the project of the document (every backend file under its `amplify/` folder, open
//! documents' unsaved text first), runs the plain-data analysis in `analysis::navigate` / `analysis::symbols`
//! and converts byte spans back into positions here, in the negotiated encoding.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ropey::Rope;
use tower_lsp_server::jsonrpc::{Error as RpcError, ErrorCode, Result as RpcResult};
use tower_lsp_server::ls_types::*;

use super::convert;
use super::server::client_answer;
use super::Backend;
use crate::analysis::navigate::{self, clean, Project, ProjectFile, Target};
use crate::analysis::redact::{redact, redact_field};
use crate::analysis::symbols::{self, DocSymbol, SymKind};
use crate::analysis::uri_to_path;
use crate::text::Span;
use crate::workspace::Snapshot;

/// Workspaces with at least this many backend files get `$/progress` reports while they are indexed.
const PROGRESS_THRESHOLD: usize = 100;

/// The files indexed per job of the pool (see [`super::work`]).
const INDEX_CHUNK: usize = 16;
/// Files of this size and above are indexed after the others (see [`index_workspace`]).
const LARGE_FILE_LEN: usize = crate::syntax::guard::MIN_GUARDED_LEN;
/// At most this many workspace symbols are returned.
const MAX_WORKSPACE_SYMBOLS: usize = 1000;
/// How deep below a workspace folder `amplify/` folders are looked for (monorepos).
const PROJECT_SEARCH_DEPTH: usize = 4;

/// Adds the navigation capabilities.
pub fn capabilities(caps: &mut ServerCapabilities, client: &ClientCapabilities) {
    caps.definition_provider = Some(OneOf::Left(true));
    caps.references_provider = Some(OneOf::Left(true));
    let prepare = client
        .text_document
        .as_ref()
        .and_then(|t| t.rename.as_ref())
        .and_then(|r| r.prepare_support)
        .unwrap_or(false);
    caps.rename_provider = Some(if prepare {
        OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })
    } else {
        OneOf::Left(true)
    });
    caps.document_symbol_provider = Some(OneOf::Left(true));
    caps.workspace_symbol_provider = Some(OneOf::Left(true));
    caps.code_lens_provider = Some(CodeLensOptions {
        resolve_provider: Some(false),
    });
    caps.inlay_hint_provider = Some(OneOf::Left(true));
}

/// A project gathered for one request, with ropes for converting its spans.
struct Gathered {
    project: Project,
    /// The index of the requesting document.
    current: usize,
    /// Open documents' versions, by file index.
    versions: HashMap<usize, i32>,
    ropes: HashMap<usize, Rope>,
}

impl Gathered {
    fn rope(&mut self, idx: usize) -> Option<&Rope> {
        if !self.ropes.contains_key(&idx) {
            let text = &self.project.files.get(idx)?.text;
            self.ropes.insert(idx, Rope::from_str(text));
        }
        self.ropes.get(&idx)
    }

    fn range(&mut self, idx: usize, span: Span, enc: crate::text::Encoding) -> Option<Range> {
        Some(convert::range(self.rope(idx)?, span, enc))
    }

    /// A target's URI and ranges (the name, the whole declaration).
    fn location(&mut self, t: &Target, enc: crate::text::Encoding) -> Option<(Uri, Range, Range)> {
        let uri = Uri::from_file_path(&t.path)?;
        match self.project.find(&t.path) {
            Some(i) => {
                let name = self.range(i, t.span, enc)?;
                let full = self.range(i, t.full, enc)?;
                Some((uri, name, full))
            }
            // a file outside the scanned ones (an entry): its start
            None => Some((uri, Range::default(), Range::default())),
        }
    }
}

/// A parsed project file for `path`: the open document's tree when it is open, else the text on disk.
fn project_file(b: &Backend, path: &Path) -> Option<(ProjectFile, Option<i32>)> {
    if let Some(snap) = Uri::from_file_path(path).and_then(|u| b.snapshot(&u)) {
        if let (Some(tree), Some(lang)) = (snap.tree.clone(), snap.lang) {
            let f = ProjectFile::from_tree(path.to_path_buf(), snap.text.to_string(), tree, lang);
            return Some((f, Some(snap.version)));
        }
    }
    let text = b.read_text(path)?;
    ProjectFile::parse(path.to_path_buf(), text).map(|f| (f, None))
}

/// The project of an open document (just the document when it is outside any Amplify project).
fn gather(b: &Backend, snap: &Snapshot) -> Option<Gathered> {
    let path = uri_to_path(&snap.uri)?;
    let (tree, lang) = (snap.tree.clone()?, snap.lang?);
    let root = b.index.root(&path);
    let mut files = vec![ProjectFile::from_tree(
        path.clone(),
        snap.text.to_string(),
        tree,
        lang,
    )];
    let mut versions = HashMap::from([(0, snap.version)]);
    if let Some(root) = &root {
        let me = clean(&path);
        for p in b.index.files(root).iter() {
            if files.len() >= navigate::MAX_FILES || crate::cancel::cancelled() {
                break;
            }
            if clean(p) == me {
                continue;
            }
            if let Some((f, version)) = project_file(b, p) {
                if let Some(v) = version {
                    versions.insert(files.len(), v);
                }
                files.push(f);
            }
        }
    }
    Some(Gathered {
        project: Project { root, files },
        current: 0,
        versions,
        ropes: HashMap::from([(0, snap.rope.clone())]),
    })
}

/// The snapshot and byte offset of a position request, for Amplify documents.
fn at(b: &Backend, p: &TextDocumentPositionParams) -> Option<(Snapshot, usize)> {
    let snap = b.snapshot(&p.text_document.uri)?;
    if !snap.amplify || snap.tree.is_none() {
        return None;
    }
    let offset = convert::offset(&snap.rope, p.position, b.encoding());
    Some((snap, offset))
}

fn link_support(b: &Backend) -> bool {
    b.client_caps
        .read()
        .ok()
        .and_then(|c| {
            c.text_document
                .as_ref()
                .and_then(|t| t.definition.as_ref())
                .and_then(|d| d.link_support)
        })
        .unwrap_or(false)
}

pub fn goto_definition(
    b: &Backend,
    p: GotoDefinitionParams,
) -> RpcResult<Option<GotoDefinitionResponse>> {
    let tdp = p.text_document_position_params;
    let Some((snap, offset)) = at(b, &tdp) else {
        return Ok(None);
    };
    let enc = b.encoding();
    let links = link_support(b);
    b.guard_at(
        "definition",
        tdp.text_document.uri.as_str(),
        Some(tdp.position),
        || {
            let mut g = gather(b, &snap)?;
            let (origin, targets) =
                navigate::definition_beside_typescript(&g.project, g.current, offset)?;
            if targets.is_empty() {
                return None;
            }
            let origin = g.range(g.current, origin, enc);
            if links {
                let out: Vec<LocationLink> = targets
                    .iter()
                    .filter_map(|t| g.location(t, enc))
                    .map(|(uri, name, full)| LocationLink {
                        origin_selection_range: origin,
                        target_uri: uri,
                        target_range: full,
                        target_selection_range: name,
                    })
                    .collect();
                Some(GotoDefinitionResponse::Link(out))
            } else {
                let out: Vec<Location> = targets
                    .iter()
                    .filter_map(|t| g.location(t, enc))
                    .map(|(uri, name, _)| Location::new(uri, name))
                    .collect();
                Some(match <[Location; 1]>::try_from(out) {
                    Ok([one]) => GotoDefinitionResponse::Scalar(one),
                    Err(many) => GotoDefinitionResponse::Array(many),
                })
            }
        },
    )
    .ok_or_else(RpcError::internal_error)
}

pub fn references(b: &Backend, p: ReferenceParams) -> RpcResult<Option<Vec<Location>>> {
    let tdp = p.text_document_position;
    let Some((snap, offset)) = at(b, &tdp) else {
        return Ok(None);
    };
    let enc = b.encoding();
    let include = p.context.include_declaration;
    b.guard_at(
        "references",
        tdp.text_document.uri.as_str(),
        Some(tdp.position),
        || {
            let mut g = gather(b, &snap)?;
            let targets = navigate::references(&g.project, g.current, offset, include);
            if targets.is_empty() {
                return None;
            }
            Some(
                targets
                    .iter()
                    .filter_map(|t| g.location(t, enc))
                    .map(|(uri, name, _)| Location::new(uri, name))
                    .collect(),
            )
        },
    )
    .ok_or_else(RpcError::internal_error)
}

fn request_failed(message: String) -> RpcError {
    RpcError {
        code: ErrorCode::ServerError(-32803),
        message: message.into(),
        data: None,
    }
}

pub fn prepare_rename(
    b: &Backend,
    p: TextDocumentPositionParams,
) -> RpcResult<Option<PrepareRenameResponse>> {
    let Some((snap, offset)) = at(b, &p) else {
        return Ok(None);
    };
    let enc = b.encoding();
    let res = b
        .guard_at(
            "prepareRename",
            p.text_document.uri.as_str(),
            Some(p.position),
            || {
                let g = gather(b, &snap).ok_or("this document cannot be analysed")?;
                navigate::prepare_rename(&g.project, g.current, offset).map(|plan| {
                    PrepareRenameResponse::RangeWithPlaceholder {
                        range: convert::range(&snap.rope, plan.span, enc),
                        placeholder: plan.name,
                    }
                })
            },
        )
        .ok_or_else(RpcError::internal_error)?;
    res.map(Some).map_err(|e: String| request_failed(e))
}

fn document_changes_support(b: &Backend) -> bool {
    b.client_caps
        .read()
        .ok()
        .and_then(|c| {
            c.workspace
                .as_ref()
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
        })
        .unwrap_or(false)
}

pub fn rename(b: &Backend, p: RenameParams) -> RpcResult<Option<WorkspaceEdit>> {
    let tdp = p.text_document_position;
    let Some((snap, offset)) = at(b, &tdp) else {
        return Ok(None);
    };
    let enc = b.encoding();
    let doc_changes = document_changes_support(b);
    let new_name = p.new_name;
    let res = b
        .guard_at(
            "rename",
            tdp.text_document.uri.as_str(),
            Some(tdp.position),
            || -> Result<WorkspaceEdit, String> {
                let mut g = gather(b, &snap).ok_or("this document cannot be analysed")?;
                let edits = navigate::rename(&g.project, g.current, offset, &new_name)?;
                let mut by_file: Vec<(usize, Vec<TextEdit>)> = Vec::new();
                for (i, span, text) in edits {
                    let Some(range) = g.range(i, span, enc) else {
                        continue;
                    };
                    let edit = TextEdit::new(range, text);
                    match by_file.iter_mut().find(|(j, _)| *j == i) {
                        Some((_, v)) => v.push(edit),
                        None => by_file.push((i, vec![edit])),
                    }
                }
                let uri_of = |i: usize| Uri::from_file_path(&g.project.files[i].path);
                if doc_changes {
                    let edits = by_file
                        .into_iter()
                        .filter_map(|(i, edits)| {
                            Some(TextDocumentEdit {
                                text_document: OptionalVersionedTextDocumentIdentifier {
                                    uri: uri_of(i)?,
                                    version: g.versions.get(&i).copied(),
                                },
                                edits: edits.into_iter().map(OneOf::Left).collect(),
                            })
                        })
                        .collect();
                    Ok(WorkspaceEdit {
                        document_changes: Some(DocumentChanges::Edits(edits)),
                        ..WorkspaceEdit::default()
                    })
                } else {
                    let changes = by_file
                        .into_iter()
                        .filter_map(|(i, edits)| Some((uri_of(i)?, edits)))
                        .collect();
                    Ok(WorkspaceEdit {
                        changes: Some(changes),
                        ..WorkspaceEdit::default()
                    })
                }
            },
        )
        .ok_or_else(RpcError::internal_error)?;
    res.map(Some).map_err(request_failed)
}

fn symbol_kind(k: SymKind) -> SymbolKind {
    match k {
        SymKind::Module => SymbolKind::MODULE,
        SymKind::Namespace => SymbolKind::NAMESPACE,
        SymKind::Class => SymbolKind::CLASS,
        SymKind::Struct => SymbolKind::STRUCT,
        SymKind::Enum => SymbolKind::ENUM,
        SymKind::EnumMember => SymbolKind::ENUM_MEMBER,
        SymKind::Field => SymbolKind::FIELD,
        SymKind::Property => SymbolKind::PROPERTY,
        SymKind::Method => SymbolKind::METHOD,
        SymKind::Function => SymbolKind::FUNCTION,
        SymKind::Event => SymbolKind::EVENT,
        SymKind::Key => SymbolKind::KEY,
        SymKind::Constant => SymbolKind::CONSTANT,
        SymKind::Object => SymbolKind::OBJECT,
    }
}

#[allow(deprecated)]
fn lsp_symbol(
    rope: &Rope,
    s: &DocSymbol,
    enc: crate::text::Encoding,
    depth: usize,
) -> DocumentSymbol {
    let children: Vec<DocumentSymbol> = if depth < 16 {
        s.children
            .iter()
            .map(|c| lsp_symbol(rope, c, enc, depth + 1))
            .collect()
    } else {
        Vec::new()
    };
    DocumentSymbol {
        name: if s.name.is_empty() {
            "(unnamed)".to_string()
        } else {
            redact(&s.name).into_owned()
        },
        // a detail is often the value of the property the symbol is named after
        detail: s
            .detail
            .as_ref()
            .map(|d| redact_field(&s.name, d).into_owned()),
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: convert::range(rope, s.span, enc),
        selection_range: convert::range(rope, s.selection, enc),
        children: (!children.is_empty()).then_some(children),
    }
}

#[allow(deprecated)]
fn symbol_information(
    uri: &Uri,
    rope: &Rope,
    s: symbols::FlatSymbol,
    enc: crate::text::Encoding,
) -> SymbolInformation {
    SymbolInformation {
        name: if s.name.is_empty() {
            "(unnamed)".to_string()
        } else {
            redact(&s.name).into_owned()
        },
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        location: Location::new(uri.clone(), convert::range(rope, s.span, enc)),
        container_name: s.container.map(|c| redact(&c).into_owned()),
    }
}

pub fn document_symbol(
    b: &Backend,
    p: DocumentSymbolParams,
) -> RpcResult<Option<DocumentSymbolResponse>> {
    let uri = p.text_document.uri;
    let Some(snap) = b.snapshot(&uri).filter(|s| s.amplify) else {
        return Ok(None);
    };
    let enc = b.encoding();
    let hierarchical = b
        .client_caps
        .read()
        .ok()
        .and_then(|c| {
            c.text_document
                .as_ref()
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|d| d.hierarchical_document_symbol_support)
        })
        .unwrap_or(false);
    b.guard("documentSymbol", uri.as_str(), || {
        let file = snap.file_model()?;
        let path = uri_to_path(&snap.uri);
        let syms = symbols::document_symbols(&snap.text, &file, path.as_deref());
        Some(if hierarchical {
            DocumentSymbolResponse::Nested(
                syms.iter()
                    .map(|s| lsp_symbol(&snap.rope, s, enc, 0))
                    .collect(),
            )
        } else {
            DocumentSymbolResponse::Flat(
                symbols::flatten(&syms)
                    .into_iter()
                    .map(|s| symbol_information(&uri, &snap.rope, s, enc))
                    .collect(),
            )
        })
    })
    .ok_or_else(RpcError::internal_error)
}

/// The project of a workspace folder that is an `amplify/` folder: its parent.
fn enclosing_project(folder: &Path) -> Option<PathBuf> {
    // a folder below `amplify/` does not hold the whole project, and the project never extends above the
    // folders (see `root_within`): only the `amplify/` folder itself stands for its project
    folder
        .file_name()
        .is_some_and(|n| n == "amplify")
        .then(|| folder.parent())
        .flatten()
        .map(Path::to_path_buf)
}

/// Amplify projects (folders holding `amplify/`) at or below `folder`.
fn projects_below(folder: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    // `.gitignore` files are read as plain ignore files: git mode would also look for repositories and ignore
    // files in every parent folder and in the user's configuration, outside the workspace.
    let walker = ignore::WalkBuilder::new(folder)
        .hidden(false)
        .git_ignore(false)
        .git_exclude(false)
        .git_global(false)
        .parents(false)
        .add_custom_ignore_filename(".gitignore")
        .max_depth(Some(PROJECT_SEARCH_DEPTH))
        .filter_entry(|e| {
            let n = e.file_name().to_string_lossy();
            !(n == "node_modules" || n == ".amplify" || n == ".git")
        })
        .build();
    for e in walker.flatten() {
        if e.file_type().is_some_and(|t| t.is_dir()) && e.file_name() == "amplify" {
            if let Some(parent) = e.path().parent() {
                out.push(parent.to_path_buf());
            }
        }
    }
    out
}

/// The workspace folders the client reports, when it supports asking.
pub(crate) async fn workspace_folders(b: &Backend) -> Vec<PathBuf> {
    let supported = b
        .client_caps
        .read()
        .ok()
        .and_then(|c| c.workspace.as_ref().and_then(|w| w.workspace_folders))
        .unwrap_or(false);
    let asked = if supported {
        client_answer(
            "the workspace folders request",
            b.client.workspace_folders(),
        )
        .await
    } else {
        None
    };
    match asked {
        Some(Some(folders)) => folders
            .iter()
            .filter_map(|f| uri_to_path(f.uri.as_str()))
            .collect(),
        // Not supported, not answered, or no folder open: the folders `initialize` named.
        _ => b.init_folders.read().map(|f| f.clone()).unwrap_or_default(),
    }
}

/// Every project root known: those of open documents and those found in the workspace `folders`.
fn project_roots(b: &Backend, folders: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = Vec::new();
    for snap in b.docs.snapshots() {
        if let Some(r) = uri_to_path(&snap.uri).and_then(|p| b.index.root(&p)) {
            if !roots.contains(&r) {
                roots.push(r);
            }
        }
    }
    for folder in folders {
        for r in projects_below(&folder) {
            if !roots.contains(&r) {
                roots.push(r);
            }
        }
    }
    roots
}

/// `folders`: the workspace folders, as [`workspace_folders`] found them.
pub fn workspace_symbol(
    b: &Backend,
    p: WorkspaceSymbolParams,
    folders: Vec<PathBuf>,
) -> RpcResult<Option<WorkspaceSymbolResponse>> {
    let roots = project_roots(b, folders);
    let enc = b.encoding();
    let query = p.query;
    b.guard("workspace/symbol", "-", || {
        let mut out: Vec<SymbolInformation> = Vec::new();
        'roots: for root in &roots {
            for path in b.index.files(root).iter().take(navigate::MAX_FILES) {
                if crate::cancel::cancelled() {
                    break 'roots;
                }
                let Some((f, _)) = project_file(b, path) else {
                    continue;
                };
                let Some(uri) = Uri::from_file_path(path) else {
                    continue;
                };
                let syms = symbols::document_symbols(&f.text, &f.model, Some(path));
                let mut rope: Option<Rope> = None;
                for s in symbols::flatten(&syms) {
                    if !symbols::matches_query(&s.name, &query) {
                        continue;
                    }
                    let rope = rope.get_or_insert_with(|| Rope::from_str(&f.text));
                    out.push(symbol_information(&uri, rope, s, enc));
                    if out.len() >= MAX_WORKSPACE_SYMBOLS {
                        break 'roots;
                    }
                }
            }
        }
        WorkspaceSymbolResponse::Flat(out)
    })
    .map(Some)
    .ok_or_else(RpcError::internal_error)
}

pub fn code_lens(b: &Backend, p: CodeLensParams) -> RpcResult<Option<Vec<CodeLens>>> {
    let uri = p.text_document.uri;
    let Some(snap) = b.snapshot(&uri).filter(|s| s.amplify) else {
        return Ok(None);
    };
    let enc = b.encoding();
    b.guard("codeLens", uri.as_str(), || {
        let file = snap.file_model()?;
        Some(
            symbols::code_lenses(&file)
                .into_iter()
                .map(|l| CodeLens {
                    range: convert::range(&snap.rope, l.span, enc),
                    command: Some(Command {
                        title: redact(&l.title).into_owned(),
                        command: String::new(),
                        arguments: None,
                    }),
                    data: None,
                })
                .collect(),
        )
    })
    .ok_or_else(RpcError::internal_error)
}

pub fn inlay_hint(b: &Backend, p: InlayHintParams) -> RpcResult<Option<Vec<InlayHint>>> {
    let uri = p.text_document.uri;
    let Some(snap) = b.snapshot(&uri).filter(|s| s.amplify) else {
        return Ok(None);
    };
    let enc = b.encoding();
    let range = convert::span(&snap.rope, p.range, enc);
    b.guard("inlayHint", uri.as_str(), || {
        let file = snap.file_model()?;
        let path = uri_to_path(&snap.uri);
        let facts = b.index.facts(path.as_deref(), None);
        Some(
            symbols::inlay_hints(&file, &facts)
                .into_iter()
                .filter(|h| range.touches(h.offset))
                .map(|h| InlayHint {
                    position: convert::range(&snap.rope, Span::new(h.offset, h.offset), enc).start,
                    label: InlayHintLabel::String(redact(&h.label).into_owned()),
                    kind: None,
                    text_edits: None,
                    tooltip: Some(InlayHintTooltip::String(redact(&h.tooltip).into_owned())),
                    padding_left: Some(true),
                    padding_right: Some(true),
                    data: None,
                })
                .collect(),
        )
    })
    .ok_or_else(RpcError::internal_error)
}

/// Indexes every Amplify project of the workspace folders ahead of the first request, with `$/progress`
/// reports when there are many files and the client supports work-done progress. Meant to be called once from
/// `initialized` (after the file watcher registration): `super::nav::index_workspace(self).await;`.
#[allow(dead_code)]
pub async fn index_workspace(b: &Backend) {
    let folders = workspace_folders(b).await;
    b.index.set_folders(folders.clone());
    // listing the projects walks the disk: off the message loop, like every read
    let listed = {
        let folders = folders.clone();
        b.offload("index", move |b, _| {
            let mut files: Vec<PathBuf> = Vec::new();
            let mut projects = 0;
            for folder in &folders {
                // A folder that is the `amplify/` folder itself, or one below it (Helix makes the nearest
                // folder with a package.json the root, and `amplify/` has its own): its project is the parent
                // of that `amplify/`.
                let roots = match enclosing_project(folder) {
                    Some(root) => vec![root],
                    None => projects_below(folder),
                };
                for root in roots {
                    projects += 1;
                    files.extend(b.index.files(&root).iter().cloned());
                }
            }
            // Large files last: an editor opens its files right after `initialized`, and the file it opens
            // first is often the largest (the data schema). In a project of many files its `didOpen` has
            // arrived by the time the walk reaches it, and the check below skips it; in a project of a few, the
            // walk can get there first (measured on the bench project), and then its parse is given up below.
            files.sort_by_cached_key(|f| {
                std::fs::metadata(f).is_ok_and(|m| m.len() >= LARGE_FILE_LEN as u64)
            });
            (files, projects)
        })
        .await
    };
    let Ok((files, projects)) = listed else {
        return; // stopping
    };
    if projects == 0 && !folders.is_empty() {
        let names: Vec<String> = folders.iter().map(|f| f.display().to_string()).collect();
        let message = format!(
            "amplify-lsp: no Amplify backend in {} (no amplify/ folder up to {PROJECT_SEARCH_DEPTH} levels \
             down). It will check files under an amplify/ folder when you open them.",
            names.join(", ")
        );
        tracing::info!("{message}");
        b.client
            .show_message(MessageType::INFO, redact(&message).into_owned())
            .await;
    }
    let progress_supported = b
        .client_caps
        .read()
        .ok()
        .and_then(|c| c.window.as_ref().and_then(|w| w.work_done_progress))
        .unwrap_or(false);
    let progress = if progress_supported && files.len() >= PROGRESS_THRESHOLD {
        let token = ProgressToken::String("amplify-lsp/index".to_string());
        let created = client_answer(
            "the progress token request",
            b.client.create_work_done_progress(token.clone()),
        )
        .await;
        match created {
            Some(()) => Some(
                b.client
                    .progress(token, "Indexing Amplify backend files")
                    .with_percentage(0)
                    .begin()
                    .await,
            ),
            None => None,
        }
    } else {
        None
    };
    let total = files.len().max(1);
    let step = (total / 20).max(1);
    let mut reported = 0;
    // a few files per job: between jobs, progress is reported and other work gets its turn
    for (n, chunk) in files.chunks(INDEX_CHUNK).enumerate() {
        let chunk = chunk.to_vec();
        let indexed = b
            .offload("index", move |b, _| {
                for path in &chunk {
                    if crate::cancel::cancelled() {
                        break;
                    }
                    // An open document's summary comes from its text, not the disk: parsing the disk's copy too
                    // would hold a second tree of it (19 MB for a 447 KB schema) for nothing. The same holds
                    // from the moment its `didOpen` arrives, which parses it on the message loop: a parse of the
                    // disk's copy under way then is given up.
                    let uri = Uri::from_file_path(path);
                    // (asked while the parse runs, on its thread: it must not parse anything itself)
                    let opened = || {
                        uri.as_ref().is_some_and(|u| {
                            b.work.updates.pending(u.as_str()) || b.docs.contains(u.as_str())
                        })
                    };
                    if opened() {
                        continue;
                    }
                    let _ = b.guard("index", &path.to_string_lossy(), || {
                        b.index.summary_unless(path, &opened)
                    });
                }
            })
            .await;
        if indexed.is_err() {
            return; // stopping
        }
        let i = (n + 1) * INDEX_CHUNK;
        if let Some(p) = &progress {
            if i >= reported + step && i < total {
                reported = i;
                let pct = u32::try_from(i * 100 / total).unwrap_or(100);
                p.report_with_message(format!("{i}/{total} files"), pct)
                    .await;
            }
        }
    }
    if let Some(p) = progress {
        p.finish_with_message(format!("{} files indexed", files.len()))
            .await;
    }
    tracing::info!(
        "indexed {} backend files in {} workspace folders",
        files.len(),
        folders.len()
    );
}
