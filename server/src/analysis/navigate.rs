//! Navigation across one Amplify project, as plain data: go to definition, find references, and rename.
//!
//! Every file of the project is scanned into *occurrences*: a byte span that names a [`Sym`] (a schema type,
//! a field, an auth group, a resource binding, a file...), either declaring it or referring to it. Definition
//! is then "the declarations of the symbol under the cursor", references are "every occurrence of it", and
//! rename edits every occurrence after checking that nothing we cannot see could refer to it as well.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use tree_sitter::{Node, Tree};

use crate::model::file::{Define, DefineKind, FileModel};
use crate::model::schema::{
    schema_of, Field, FieldKind, Fields, RefTarget, RelKind, Rules, Schema, TypeKind,
};
use crate::model::value::{Kind, Value};
use crate::syntax::{self, Lang};
use crate::text::Span;

/// At most this many files of a project are scanned for one request.
pub const MAX_FILES: usize = 2000;
/// Syntax-tree walks do not descend below this depth (real code nests a few dozen levels; hostile input
/// 10,000 and more, where per-node parent lookups would cost quadratic time).
const MAX_WALK_DEPTH: u32 = 256;

/// One parsed file of the project.
#[derive(Debug, Clone)]
pub struct ProjectFile {
    pub path: PathBuf,
    pub text: String,
    pub tree: Tree,
    pub model: FileModel,
}

impl ProjectFile {
    /// Parses a file's text; `None` when the path is not a TypeScript file.
    pub fn parse(path: PathBuf, text: String) -> Option<ProjectFile> {
        let lang = Lang::from_path(&path.to_string_lossy())?;
        let tree = syntax::parse(&text, lang, None)?;
        Some(Self::from_tree(path, text, tree, lang))
    }

    /// A file whose tree is already known (an open document).
    pub fn from_tree(path: PathBuf, text: String, tree: Tree, lang: Lang) -> ProjectFile {
        let model = FileModel::build(&tree, &text, lang);
        ProjectFile {
            path,
            text,
            tree,
            model,
        }
    }
}

/// The files of one project (the folder holding `amplify/`).
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub root: Option<PathBuf>,
    pub files: Vec<ProjectFile>,
}

impl Project {
    /// The index of the file at `path`.
    pub fn find(&self, path: &Path) -> Option<usize> {
        let want = clean(path);
        self.files.iter().position(|f| clean(&f.path) == want)
    }
}

/// What an occurrence names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Sym {
    /// A named entry of the data schema (model, custom type, enum, custom operation, conversation).
    Type(String),
    /// A field of a schema type (or an argument of a custom operation): (type, field).
    Field(String, String),
    /// A field named by a schema-level authorization rule: it means that field in every model.
    SchemaRuleField(String),
    /// A user-pool group.
    Group(String),
    /// A top-level binding of an Amplify factory call: (file, binding name).
    Resource(PathBuf, String),
    /// A `defineData({ functions })` key whose function could not be resolved.
    DataFunction(String),
    /// A file (a function's `entry`, a custom handler's `entry`).
    File(PathBuf),
}

/// One place that names a symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occ {
    /// The name itself (inside the quotes for strings).
    pub span: Span,
    pub sym: Sym,
    /// Whether this occurrence declares the symbol.
    pub decl: bool,
    /// For declarations, the whole declaration (e.g. `auth = defineAuth({...})`); else `span`.
    pub full: Span,
}

/// A place in the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: PathBuf,
    /// The name (empty at offset 0 for whole files).
    pub span: Span,
    /// The whole declaration, for editors that show it.
    pub full: Span,
}

/// Project-wide tables the per-file scan needs.
#[derive(Debug, Default)]
struct Tables {
    /// Resolved `defineFunction` names (what `$amplify/env/<name>` uses) and their bindings.
    fn_names: Vec<(String, Sym)>,
    /// `defineData({ functions })` keys and the function each one names, when it can be resolved.
    data_fns: Vec<(String, Option<Sym>)>,
}

/// Every occurrence in the project, per file.
pub struct Index {
    pub occs: Vec<Vec<Occ>>,
}

impl Index {
    pub fn build(project: &Project) -> Index {
        let tables = tables(project);
        let occs = (0..project.files.len())
            .map(|i| scan(project, &tables, i))
            .collect();
        Index { occs }
    }

    /// The occurrence at `offset` in file `idx` (the narrowest one touching it).
    pub fn at(&self, idx: usize, offset: usize) -> Option<&Occ> {
        self.occs
            .get(idx)?
            .iter()
            .filter(|o| o.span.touches(offset))
            .min_by_key(|o| o.span.len())
    }

    /// Every occurrence of `sym`: (file index, occurrence).
    pub fn all<'s>(&'s self, sym: &'s Sym) -> impl Iterator<Item = (usize, &'s Occ)> + 's {
        self.occs.iter().enumerate().flat_map(move |(i, os)| {
            os.iter()
                .filter(move |o| o.sym == *sym)
                .map(move |o| (i, o))
        })
    }
}

fn target(project: &Project, idx: usize, o: &Occ) -> Target {
    Target {
        path: project.files[idx].path.clone(),
        span: o.span,
        full: o.full,
    }
}

/// Where the symbol at `offset` of file `idx` is declared: the span of the name under the cursor and the
/// declarations (empty when the symbol is known but its declaration is not in the project).
pub fn definition(project: &Project, idx: usize, offset: usize) -> Option<(Span, Vec<Target>)> {
    let index = Index::build(project);
    definition_in(&index, project, idx, offset)
}

/// [`definition`] as an editor that also runs TypeScript should get it: nothing for a name TypeScript resolves
/// itself (see [`typescript_resolves`]).
pub fn definition_beside_typescript(
    project: &Project,
    idx: usize,
    offset: usize,
) -> Option<(Span, Vec<Target>)> {
    let index = Index::build(project);
    let occ = index.at(idx, offset)?;
    if typescript_resolves(project, idx, occ) {
        return None;
    }
    definition_in(&index, project, idx, offset)
}

fn definition_in(
    index: &Index,
    project: &Project,
    idx: usize,
    offset: usize,
) -> Option<(Span, Vec<Target>)> {
    let occ = index.at(idx, offset)?;
    if let Sym::File(p) = &occ.sym {
        let t = Target {
            path: p.clone(),
            span: Span::new(0, 0),
            full: Span::new(0, 0),
        };
        return Some((occ.span, vec![t]));
    }
    let mut out: Vec<Target> = index
        .all(&occ.sym)
        .filter(|(_, o)| o.decl)
        .map(|(i, o)| target(project, i, o))
        .collect();
    out.dedup();
    Some((occ.span, out))
}

/// The whole statement that declares the name `node` (`export const auth = defineAuth({...});`), when it
/// declares nothing else. This is the range TypeScript gives as a definition's target, so an editor that asks
/// both servers sees one place, not two that differ only in their extent.
fn declaration_statement(node: Node) -> Option<Span> {
    let declarator = node
        .parent()
        .filter(|p| p.kind() == "variable_declarator")?;
    let decl = declarator
        .parent()
        .filter(|p| matches!(p.kind(), "lexical_declaration" | "variable_declaration"))?;
    if decl.named_child_count() != 1 {
        return None;
    }
    let stmt = decl
        .parent()
        .filter(|p| p.kind() == "export_statement")
        .unwrap_or(decl);
    Some(syntax::span(stmt))
}

/// Whether the name at `offset` is a JavaScript binding that TypeScript resolves itself: an identifier naming a
/// resource (`storage` in `defineBackend({ storage })`, an import, a declaration). Editors ask TypeScript too and
/// merge the answers; two answers for one name (TypeScript's import line and our declaration) make VS Code open
/// a peek instead of jumping. So definitions are TypeScript's for these, and ours for what it cannot resolve:
/// names inside strings and Amplify's conventions (models, fields, groups, entries, `$amplify/env/…`).
fn typescript_resolves(project: &Project, idx: usize, occ: &Occ) -> bool {
    if !matches!(occ.sym, Sym::Resource(..)) {
        return false;
    }
    // an identifier, not a name inside a string (`'$amplify/env/say-hello'`, `a.handler.function('greeter')`)
    let root = project.files[idx].tree.root_node();
    let node = root.descendant_for_byte_range(occ.span.start, occ.span.end);
    node.is_some_and(|n| {
        matches!(n.kind(), "identifier" | "shorthand_property_identifier")
            && syntax::span(n) == occ.span
    })
}

/// Every occurrence of the symbol at `offset` (declarations too when `include_decl`).
pub fn references(project: &Project, idx: usize, offset: usize, include_decl: bool) -> Vec<Target> {
    let index = Index::build(project);
    let Some(occ) = index.at(idx, offset) else {
        return Vec::new();
    };
    let sym = match &occ.sym {
        // A field named by a schema-level rule: list it with the fields of that name.
        Sym::SchemaRuleField(f) => Sym::SchemaRuleField(f.clone()),
        s => s.clone(),
    };
    let mut out: Vec<Target> = index
        .all(&sym)
        .filter(|(_, o)| include_decl || !o.decl)
        .map(|(i, o)| target(project, i, o))
        .collect();
    if let Sym::Field(_, f) = &sym {
        // schema-level rules name the field in every model
        let rule = Sym::SchemaRuleField(f.clone());
        out.extend(index.all(&rule).map(|(i, o)| target(project, i, o)));
    }
    if let Sym::SchemaRuleField(f) = &sym {
        out.extend(
            index
                .occs
                .iter()
                .enumerate()
                .flat_map(|(i, os)| os.iter().map(move |o| (i, o)))
                .filter(|(_, o)| {
                    include_decl && o.decl && matches!(&o.sym, Sym::Field(_, g) if g == f)
                })
                .map(|(i, o)| target(project, i, o)),
        );
    }
    out.sort_by(|a, b| (&a.path, a.span.start).cmp(&(&b.path, b.span.start)));
    out.dedup();
    out
}

/// What a rename would change: the symbol's current name and where it appears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenamePlan {
    /// The name under the cursor (its span in the current file).
    pub span: Span,
    pub name: String,
    /// Every occurrence to rewrite: (file index, span).
    pub edits: Vec<(usize, Span)>,
    sym: Sym,
}

/// Checks that the symbol at `offset` can be renamed safely; the error says why not.
pub fn prepare_rename(project: &Project, idx: usize, offset: usize) -> Result<RenamePlan, String> {
    let index = Index::build(project);
    let occ = index.at(idx, offset).ok_or(
        "amplify-lsp can rename models, custom types, enums and their fields; there is none here",
    )?;
    let name = match &occ.sym {
        Sym::Type(n) => n.clone(),
        Sym::Field(_, f) => f.clone(),
        Sym::SchemaRuleField(f) => {
            return Err(format!(
                "`{f}` is named by a schema-level authorization rule, which applies to every model; rename it \
                 by hand"
            ))
        }
        Sym::Group(_) => {
            return Err(
                "group names are not renamed by amplify-lsp (they must match the user pool's groups)".into(),
            )
        }
        Sym::Resource(..) | Sym::DataFunction(_) => {
            return Err(
                "this is a TypeScript binding or a function key: use TypeScript's rename for bindings; \
                 amplify-lsp renames models, custom types, enums and their fields"
                    .into(),
            )
        }
        Sym::File(_) => return Err("file paths are not renamed".into()),
    };
    let (schema_idx, schema) = project_schema(project)
        .ok_or("the project's data schema could not be read, so its references are unknown")?;
    schema_fully_read(&schema)?;
    match &occ.sym {
        Sym::Type(n) => check_type(&schema, n)?,
        Sym::Field(t, f) => check_field(&schema, &index, t, f)?,
        _ => {}
    }
    let mut edits: Vec<(usize, Span)> = index.all(&occ.sym).map(|(i, o)| (i, o.span)).collect();
    if !edits.iter().any(|(i, _)| *i == schema_idx) {
        return Err("the declaration is not in the project's data schema".into());
    }
    for (i, sp) in &edits {
        let text = &project.files[*i].text;
        if text.get(sp.start..sp.end) != Some(name.as_str()) {
            return Err(format!(
                "`{name}` is written in a form amplify-lsp does not rewrite (escapes or shorthand) somewhere"
            ));
        }
        if is_shorthand_key(text, *sp) {
            return Err(format!(
                "`{name}` is written as a shorthand property (`{{ {name} }}`); write `{name}: {name}` first"
            ));
        }
    }
    edits.sort();
    edits.dedup();
    Ok(RenamePlan {
        span: occ.span,
        name,
        edits,
        sym: occ.sym.clone(),
    })
}

/// The edits that rename the symbol at `offset` to `new_name`: (file index, span, new text).
pub fn rename(
    project: &Project,
    idx: usize,
    offset: usize,
    new_name: &str,
) -> Result<Vec<(usize, Span, String)>, String> {
    let plan = prepare_rename(project, idx, offset)?;
    if !is_graphql_name(new_name) {
        return Err(format!(
            "`{new_name}` is not a valid name: use letters, digits and `_`, not starting with a digit"
        ));
    }
    if new_name != plan.name {
        let (_, schema) = project_schema(project).ok_or("the data schema could not be read")?;
        match &plan.sym {
            Sym::Type(_) if schema.get(new_name).is_some() => {
                return Err(format!("the schema already has a type named `{new_name}`"))
            }
            Sym::Field(t, _)
                if type_fields(&schema, t)
                    .is_some_and(|fs| fs.items.iter().any(|f| f.name == new_name)) =>
            {
                return Err(format!("`{t}` already has a field named `{new_name}`"))
            }
            _ => {}
        }
    }
    Ok(plan
        .edits
        .into_iter()
        .map(|(i, sp)| (i, sp, new_name.to_string()))
        .collect())
}

fn is_graphql_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// `{ Todo }` / `{ Todo, ... }`: a key with no `:` after it.
fn is_shorthand_key(text: &str, sp: Span) -> bool {
    let before = text[..sp.start].trim_end().chars().next_back();
    let after = text[sp.end..].trim_start().chars().next();
    matches!(before, Some('{' | ',')) && matches!(after, Some(',' | '}'))
}

/// The first file of the project with a readable data schema.
fn project_schema(project: &Project) -> Option<(usize, std::sync::Arc<Schema>)> {
    project
        .files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.model.first(DefineKind::Data).is_some())
        .chain(project.files.iter().enumerate())
        .find_map(|(i, f)| schema_of(&f.model).map(|s| (i, s)))
}

/// Refuses when part of the schema could not be read (a hidden reference could be missed).
fn schema_fully_read(s: &Schema) -> Result<(), String> {
    if !s.complete() {
        return Err(
            "part of the schema is not written literally (a spread, a computed key or an unreadable schema), \
             so some references could be missed"
                .into(),
        );
    }
    let mut ok = true;
    for t in s.types() {
        match &t.kind {
            TypeKind::Model(m) => {
                ok &= fields_read(&m.fields);
                ok &= m.identifier.as_ref().is_none_or(|n| n.complete);
                ok &= m.indexes.as_ref().is_none_or(|ix| {
                    ix.complete
                        && ix
                            .items
                            .iter()
                            .all(|i| i.sort_keys.as_ref().is_none_or(|n| n.complete))
                });
                ok &= m.rules.as_ref().is_none_or(|r| r.complete);
            }
            TypeKind::CustomType(f) => ok &= fields_read(f),
            TypeKind::Operation(op) => {
                ok &= op.arguments.as_ref().is_none_or(fields_read);
                ok &= op.returns.as_ref().is_none_or(|r| field_read(&r.field));
                ok &= op
                    .sources
                    .as_ref()
                    .is_none_or(|s| s.complete && s.items.iter().all(|r| r.name.is_some()));
            }
            TypeKind::Conversation(c) => {
                ok &= c.tools.as_ref().is_none_or(|t| t.complete);
            }
            TypeKind::Enum(_) => {}
            TypeKind::Unknown => ok = false,
        }
    }
    for p in &s.parts {
        ok &= p.rules.as_ref().is_none_or(|r| r.complete);
    }
    if ok {
        Ok(())
    } else {
        Err(
            "some type references, field lists or authorization rules of the schema are not literal, so \
             some references could be missed"
                .into(),
        )
    }
}

fn fields_read(f: &Fields) -> bool {
    f.complete && f.items.iter().all(field_read)
}

fn field_read(f: &Field) -> bool {
    let kind_ok = match &f.kind {
        FieldKind::Ref(r) => r.name.is_some(),
        FieldKind::Relationship(rel) => rel.target.is_some(),
        FieldKind::CustomType(inner) => fields_read(inner),
        FieldKind::Unknown => false,
        FieldKind::Scalar { .. } | FieldKind::Enum(_) => true,
    };
    kind_ok && f.rules.as_ref().is_none_or(|r| r.complete)
}

fn check_type(s: &Schema, name: &str) -> Result<(), String> {
    let defs: Vec<_> = s.types().filter(|t| t.name == name).collect();
    if defs.len() != 1 {
        return Err(format!(
            "`{name}` is defined {} times in the schema",
            defs.len()
        ));
    }
    match &defs[0].kind {
        TypeKind::Model(_) | TypeKind::CustomType(_) | TypeKind::Enum(_) => Ok(()),
        _ => Err(format!(
            "`{name}` is {}: amplify-lsp renames models, custom types and enums (client code calls \
             operations by name)",
            defs[0].tag().label()
        )),
    }
}

fn type_fields<'s>(s: &'s Schema, ty: &str) -> Option<&'s Fields> {
    match &s.get(ty)?.kind {
        TypeKind::Model(m) => Some(&m.fields),
        TypeKind::CustomType(f) => Some(f),
        _ => None,
    }
}

fn check_field(s: &Schema, index: &Index, ty: &str, field: &str) -> Result<(), String> {
    let def = s
        .get(ty)
        .ok_or_else(|| format!("`{ty}` is not in the schema"))?;
    let model = match &def.kind {
        TypeKind::Model(m) => Some(m),
        TypeKind::CustomType(_) => None,
        _ => {
            return Err(format!(
            "`{field}` belongs to {} `{ty}`: amplify-lsp renames fields of models and custom types",
            def.tag().label()
        ))
        }
    };
    let Some(fields) = type_fields(s, ty) else {
        return Err(format!("`{ty}` has no fields amplify-lsp can read"));
    };
    if fields.items.iter().filter(|f| f.name == field).count() != 1 {
        return Err(format!("`{ty}.{field}` is not declared exactly once"));
    }
    let Some(m) = model else {
        return Ok(());
    };
    if field == "id" && m.identifier.is_none() {
        return Err(
            "`id` is the model's default identifier: renaming it would change the primary key; declare \
             `.identifier([...])` first"
                .into(),
        );
    }
    let rules: Vec<&Rules> = m
        .rules
        .iter()
        .chain(if m.rules.is_none() {
            s.parts.iter().filter_map(|p| p.rules.as_ref()).collect()
        } else {
            Vec::new()
        })
        .collect();
    if field == "owner"
        && rules
            .iter()
            .any(|r| r.rules.iter().any(|x| x.name == "owner"))
    {
        return Err(
            "`owner` is the field `allow.owner()` stores the owner in; renaming it would leave the rule \
             pointing at a new implicit field"
                .into(),
        );
    }
    if index
        .all(&Sym::SchemaRuleField(field.to_string()))
        .next()
        .is_some()
    {
        return Err(format!(
            "a schema-level authorization rule names `{field}` for every model; rename it by hand"
        ));
    }
    // a relationship whose references are not literal could name this field
    for t in s.types() {
        if let TypeKind::Model(other) = &t.kind {
            for f in &other.fields.items {
                if let FieldKind::Relationship(rel) = &f.kind {
                    let on = match rel.kind {
                        RelKind::BelongsTo => Some(t.name.as_str()),
                        _ => rel.target.as_deref(),
                    };
                    if on == Some(ty) && rel.references.is_none() {
                        return Err(format!(
                            "the relationship `{}.{}` has no literal references, so it could name `{field}`",
                            t.name, f.name
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------
// Scanning

/// Lexical path normalisation (`.` and `..`), keeping the extension.
pub fn clean(p: &Path) -> PathBuf {
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
    out
}

/// The span inside a string literal's quotes (unchanged for anything else).
pub fn inner(text: &str, sp: Span) -> Span {
    let b = text.as_bytes();
    if sp.len() >= 2 && sp.end <= b.len() {
        let (first, last) = (b[sp.start], b[sp.end - 1]);
        if matches!(first, b'\'' | b'"' | b'`') && first == last {
            return Span::new(sp.start + 1, sp.end - 1);
        }
    }
    sp
}

/// The project file a relative module specifier names, trying the extensions TypeScript would.
pub fn resolve_module(project: &Project, from: &Path, spec: &str) -> Option<usize> {
    if !spec.starts_with('.') {
        return None;
    }
    let base = clean(&from.parent()?.join(spec));
    let s = base.to_string_lossy().to_string();
    let mut candidates = vec![base.clone()];
    for (js, ts) in [
        (".js", ".ts"),
        (".jsx", ".tsx"),
        (".mjs", ".mts"),
        (".cjs", ".cts"),
    ] {
        if let Some(stem) = s.strip_suffix(js) {
            candidates.push(PathBuf::from(format!("{stem}{ts}")));
        }
    }
    for ext in [".ts", ".tsx", ".mts", ".cts"] {
        candidates.push(PathBuf::from(format!("{s}{ext}")));
    }
    for idx in ["index.ts", "index.tsx"] {
        candidates.push(base.join(idx));
    }
    candidates.iter().find_map(|c| project.find(c))
}

fn define_of<'m>(model: &'m FileModel, binding: &str) -> Option<&'m Define> {
    let b = model.binding(binding)?;
    model.defines.get(b.define?)
}

/// The resource binding a local name of file `idx` stands for: a local `const x = defineX(...)`, or a named
/// import of one from another project file.
pub fn resolve_ident(project: &Project, idx: usize, name: &str) -> Option<Sym> {
    let f = project.files.get(idx)?;
    if f.model.binding(name).is_some() {
        let d = define_of(&f.model, name)?;
        return d
            .kind
            .is_resource()
            .then(|| Sym::Resource(f.path.clone(), name.to_string()));
    }
    let (imp, n) = f.model.import_of(name)?;
    if imp.type_only {
        return None;
    }
    imported(project, idx, &imp.source, &n.imported)
}

fn imported(project: &Project, idx: usize, source: &str, name: &str) -> Option<Sym> {
    let from = &project.files.get(idx)?.path;
    let t = resolve_module(project, from, source)?;
    let tf = &project.files[t];
    let d = define_of(&tf.model, name)?;
    d.kind
        .is_resource()
        .then(|| Sym::Resource(tf.path.clone(), name.to_string()))
}

/// The name Amplify gives a `defineFunction`: its `name`, else its entry file's stem, else its folder.
pub fn function_name(file: &ProjectFile, d: &Define) -> Option<String> {
    let arg = d.arg.as_ref().map(|a| file.model.resolve(a));
    if let Some(a) = arg {
        if !matches!(a.kind, Kind::Object(_)) || a.has_spread() {
            return None;
        }
        if let Some(n) = a.field("name") {
            return file.model.resolve(n).as_str().map(str::to_string);
        }
        if let Some(e) = a.field("entry") {
            let e = file.model.resolve(e).as_str()?;
            let base = e.rsplit(['/', '\\']).next().unwrap_or(e);
            return Some(match base.rfind('.') {
                Some(i) if i > 0 => base[..i].to_string(),
                _ => base.to_string(),
            });
        }
    }
    file.path
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().to_string())
}

fn tables(project: &Project) -> Tables {
    let mut t = Tables::default();
    for (i, f) in project.files.iter().enumerate() {
        for d in &f.model.defines {
            match d.kind {
                DefineKind::Function => {
                    if let (Some(b), Some(name)) = (&d.binding, function_name(f, d)) {
                        t.fn_names
                            .push((name, Sym::Resource(f.path.clone(), b.clone())));
                    }
                }
                DefineKind::Data => {
                    let fns = d
                        .arg
                        .as_ref()
                        .map(|a| f.model.resolve(a))
                        .and_then(|a| a.field("functions"))
                        .map(|v| f.model.resolve(v))
                        .and_then(Value::as_object);
                    for p in fns.unwrap_or(&[]) {
                        if let Some(k) = &p.key {
                            let sym = p
                                .value
                                .as_ident()
                                .and_then(|id| resolve_ident(project, i, id));
                            t.data_fns.push((k.to_string(), sym));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    t
}

fn push(out: &mut Vec<Occ>, span: Span, sym: Sym) {
    out.push(Occ {
        span,
        sym,
        decl: false,
        full: span,
    });
}

fn push_decl(out: &mut Vec<Occ>, span: Span, sym: Sym, full: Span) {
    out.push(Occ {
        span,
        sym,
        decl: true,
        full,
    });
}

/// Every occurrence in file `idx`.
fn scan(project: &Project, tables: &Tables, idx: usize) -> Vec<Occ> {
    let f = &project.files[idx];
    let mut out = Vec::new();
    if let Some(s) = schema_of(&f.model) {
        let entry = |e: &str| entry_file(project, &f.path, e);
        schema_occs(&f.text, &s, &entry, &mut out);
    }
    defines_occs(project, tables, idx, &mut out);
    for imp in &f.model.imports {
        if let Some(name) = imp.source.strip_prefix("$amplify/env/") {
            if let Some((_, sym)) = tables.fn_names.iter().find(|(n, _)| n == name) {
                push(&mut out, imp.source_span, sym.clone());
            }
        }
    }
    // `a.handler.function('key')` anywhere in the file's values
    let mut values: Vec<&Value> = f
        .model
        .bindings
        .iter()
        .filter_map(|b| b.value.as_ref())
        .collect();
    values.extend(f.model.defines.iter().filter_map(|d| d.arg.as_ref()));
    for v in values {
        visit(v, &mut |v| {
            let Some(chain) = v.chain() else { return };
            if chain.root_args.is_some() || chain.links.len() != 2 {
                return;
            }
            let (ns, func) = (&chain.links[0], &chain.links[1]);
            if ns.name != "handler" || ns.args.is_some() || func.name != "function" {
                return;
            }
            if let Some(arg) = func.args.and_then(<[Value]>::first) {
                if let Some(key) = arg.as_str() {
                    let sym = tables
                        .data_fns
                        .iter()
                        .find(|(k, _)| k == key)
                        .and_then(|(_, s)| s.clone())
                        .unwrap_or_else(|| Sym::DataFunction(key.to_string()));
                    push(&mut out, inner(&f.text, arg.span), sym);
                }
            }
        });
    }
    tree_occs(project, idx, &mut out);
    out
}

/// Calls `f` on `v` and every value below it.
pub fn visit<'v>(v: &'v Value, f: &mut dyn FnMut(&'v Value)) {
    f(v);
    match &v.kind {
        Kind::Array(items) => items.iter().for_each(|i| visit(i, f)),
        Kind::Object(props) => props.iter().for_each(|p| visit(&p.value, f)),
        Kind::Func(func) => {
            if let Some(b) = &func.body {
                visit(b, f);
            }
        }
        Kind::Call { callee, args, .. } => {
            visit(callee, f);
            args.iter().for_each(|a| visit(a, f));
        }
        Kind::Member { object, .. } => visit(object, f),
        Kind::Spread(inner) => visit(inner, f),
        _ => {}
    }
}

/// A relative `entry` path of `file`, when it names an existing file inside the project root.
pub fn entry_file(project: &Project, file: &Path, entry: &str) -> Option<PathBuf> {
    let dir = file.parent()?;
    let target = clean(&dir.join(entry));
    // outside any project (or a project the workspace folders do not admit): the file's own folder
    let root = project.root.clone().unwrap_or_else(|| dir.to_path_buf());
    // Lexically outside: never touch the disk there. Lexically inside: also refuse a symlink that leads out.
    if !target.starts_with(clean(&root)) {
        return None;
    }
    let inside = match (std::fs::canonicalize(&target), std::fs::canonicalize(&root)) {
        (Ok(t), Ok(r)) => t.starts_with(r),
        _ => true,
    };
    if !inside {
        return None;
    }
    (target.is_file() || project.find(&target).is_some()).then_some(target)
}

fn schema_occs(
    text: &str,
    s: &Schema,
    entry: &dyn Fn(&str) -> Option<PathBuf>,
    out: &mut Vec<Occ>,
) {
    for t in s.types() {
        push_decl(
            out,
            inner(text, t.name_span),
            Sym::Type(t.name.clone()),
            Span::new(t.name_span.start, t.span.end.max(t.name_span.end)),
        );
        match &t.kind {
            TypeKind::Model(m) => {
                fields_occs(text, &t.name, &m.fields, out);
                if let Some(ids) = &m.identifier {
                    for (n, sp) in &ids.items {
                        push(out, inner(text, *sp), Sym::Field(t.name.clone(), n.clone()));
                    }
                }
                if let Some(ix) = &m.indexes {
                    for i in &ix.items {
                        if let Some((n, sp)) = &i.pk {
                            push(out, inner(text, *sp), Sym::Field(t.name.clone(), n.clone()));
                        }
                        for (n, sp) in i.sort_keys.iter().flat_map(|k| k.items.iter()) {
                            push(out, inner(text, *sp), Sym::Field(t.name.clone(), n.clone()));
                        }
                    }
                }
                if let Some(r) = &m.rules {
                    rules_occs(text, Some(&t.name), r, out);
                }
            }
            TypeKind::CustomType(fields) => fields_occs(text, &t.name, fields, out),
            TypeKind::Enum(_) | TypeKind::Unknown => {}
            TypeKind::Operation(op) => {
                if let Some(args) = &op.arguments {
                    fields_occs(text, &t.name, args, out);
                }
                if let Some(r) = &op.returns {
                    kind_occs(text, &t.name, &r.field, 0, out);
                }
                for h in op.handlers.iter().flat_map(|h| h.items.iter()) {
                    if let Some((Some(path), sp)) = &h.entry {
                        if let Some(p) = entry(path) {
                            push(out, inner(text, *sp), Sym::File(p));
                        }
                    }
                }
                for r in op.sources.iter().flat_map(|s| s.items.iter()) {
                    ref_occ(text, r, out);
                }
                if let Some(r) = &op.rules {
                    rules_occs(text, None, r, out);
                }
            }
            TypeKind::Conversation(c) => {
                for tool in c.tools.iter().flat_map(|t| t.items.iter()) {
                    for r in tool.model.iter().chain(tool.query.iter()) {
                        ref_occ(text, r, out);
                    }
                }
                if let Some(r) = &c.rules {
                    rules_occs(text, None, r, out);
                }
            }
        }
    }
    for p in &s.parts {
        if let Some(r) = &p.rules {
            rules_occs(text, Some(""), r, out);
        }
    }
}

fn fields_occs(text: &str, owner: &str, fields: &Fields, out: &mut Vec<Occ>) {
    for f in &fields.items {
        push_decl(
            out,
            inner(text, f.name_span),
            Sym::Field(owner.to_string(), f.name.clone()),
            Span::new(f.name_span.start, f.span.end.max(f.name_span.end)),
        );
        kind_occs(text, owner, f, 0, out);
    }
}

/// The type references of a field's value (and the fields its relationship names).
fn kind_occs(text: &str, owner: &str, f: &Field, depth: usize, out: &mut Vec<Occ>) {
    match &f.kind {
        FieldKind::Ref(r) => ref_occ(text, r, out),
        FieldKind::Relationship(rel) => {
            if let Some(target) = &rel.target {
                push(out, inner(text, rel.target_span), Sym::Type(target.clone()));
            }
            let on = match rel.kind {
                RelKind::BelongsTo => Some(owner),
                _ => rel.target.as_deref(),
            };
            if let (Some(on), Some(refs)) = (on, &rel.references) {
                for (n, sp) in &refs.items {
                    push(out, inner(text, *sp), Sym::Field(on.to_string(), n.clone()));
                }
            }
        }
        FieldKind::CustomType(fields) if depth < 16 => {
            for inner_field in &fields.items {
                kind_occs(text, owner, inner_field, depth + 1, out);
            }
        }
        _ => {}
    }
    if let Some(r) = &f.rules {
        rules_occs(text, Some(owner), r, out);
    }
}

fn ref_occ(text: &str, r: &RefTarget, out: &mut Vec<Occ>) {
    if let Some(n) = &r.name {
        push(out, inner(text, r.name_span), Sym::Type(n.clone()));
    }
}

/// Groups and owner/group fields named by rules. `model`: the model the rules belong to (`Some("")` for the
/// schema level, `None` where rules name no fields).
fn rules_occs(text: &str, model: Option<&str>, rules: &Rules, out: &mut Vec<Occ>) {
    for rule in &rules.rules {
        for (g, sp) in rule.groups.iter().flat_map(|g| g.items.iter()) {
            push(out, inner(text, *sp), Sym::Group(g.clone()));
        }
        if let (Some((f, sp)), Some(m)) = (&rule.field, model) {
            let sym = if m.is_empty() {
                Sym::SchemaRuleField(f.clone())
            } else {
                Sym::Field(m.to_string(), f.clone())
            };
            push(out, inner(text, *sp), sym);
        }
    }
}

/// Groups declared by `defineAuth` / `referenceAuth`, groups used by storage rules, function entries and
/// `defineData({ functions })` keys.
fn defines_occs(project: &Project, tables: &Tables, idx: usize, out: &mut Vec<Occ>) {
    let f = &project.files[idx];
    let text = &f.text;
    for d in &f.model.defines {
        let Some(arg) = d.arg.as_ref().map(|a| f.model.resolve(a)) else {
            continue;
        };
        match d.kind {
            DefineKind::Auth | DefineKind::ReferenceAuth => {
                let Some(groups) = arg.field("groups").map(|g| f.model.resolve(g)) else {
                    continue;
                };
                for g in groups.as_array().unwrap_or(&[]) {
                    if let Some(name) = g.as_str() {
                        push_decl(
                            out,
                            inner(text, g.span),
                            Sym::Group(name.to_string()),
                            g.span,
                        );
                    }
                }
                for p in groups.as_object().unwrap_or(&[]) {
                    if let Some(k) = &p.key {
                        push_decl(
                            out,
                            inner(text, p.key_span),
                            Sym::Group(k.to_string()),
                            p.span,
                        );
                    }
                }
            }
            DefineKind::Storage => {
                let Some(func) = arg
                    .field("access")
                    .map(|a| f.model.resolve(a))
                    .and_then(Value::as_func)
                else {
                    continue;
                };
                let (Some(param), Some(body)) = (func.params.first(), func.body.as_ref()) else {
                    continue;
                };
                visit(body, &mut |v| {
                    let Some(chain) = v.chain() else { return };
                    if chain.root != param || chain.root_args.is_some() || chain.links.len() != 1 {
                        return;
                    }
                    let l = &chain.links[0];
                    if l.name != "groups" {
                        return;
                    }
                    let Some(list) = l.args.and_then(<[Value]>::first) else {
                        return;
                    };
                    for g in f.model.resolve(list).as_array().unwrap_or(&[]) {
                        if let Some(name) = g.as_str() {
                            push(out, inner(text, g.span), Sym::Group(name.to_string()));
                        }
                    }
                });
            }
            DefineKind::Function => {
                if let Some(e) = arg.field("entry") {
                    if let Some(path) = f.model.resolve(e).as_str() {
                        if let Some(p) = entry_file(project, &f.path, path) {
                            push(out, inner(text, e.span), Sym::File(p));
                        }
                    }
                }
            }
            DefineKind::Data => {
                let fns = arg
                    .get("functions")
                    .map(|p| f.model.resolve(&p.value))
                    .and_then(Value::as_object);
                for p in fns.unwrap_or(&[]) {
                    let Some(k) = &p.key else { continue };
                    match tables.data_fns.iter().find(|(key, _)| key == k) {
                        Some((_, Some(sym))) if !p.shorthand => push(out, p.key_span, sym.clone()),
                        Some((_, Some(_))) => {}
                        _ => push_decl(
                            out,
                            inner(text, p.key_span),
                            Sym::DataFunction(k.to_string()),
                            p.span,
                        ),
                    }
                }
            }
            DefineKind::ConversationHandler | DefineKind::Backend => {}
        }
    }
}

/// Identifiers naming resources, and `tables['Model']` / `groups['NAME']` / `Schema['Model']` subscripts.
fn tree_occs(project: &Project, idx: usize, out: &mut Vec<Occ>) {
    let f = &project.files[idx];
    let src = f.text.as_str();
    let mut cache: HashMap<&str, Option<Sym>> = HashMap::new();
    // the span of `x = defineX(...)` for each local resource binding
    let decls: Vec<(Span, Span)> = f
        .model
        .bindings
        .iter()
        .filter_map(|b| {
            let d = f.model.defines.get(b.define?)?;
            Some((b.name_span, Span::new(b.name_span.start, d.call_span.end)))
        })
        .collect();
    let mut schema_types: HashMap<&str, bool> = HashMap::new();
    let mut schema_type = |node: Node| -> bool {
        // `Schema['Todo']` where `Schema` comes from a file with a data schema (or this one is)
        let name = syntax::text(node, src);
        *schema_types
            .entry(name)
            .or_insert_with(|| match f.model.import_of(name) {
                Some((imp, _)) => resolve_module(project, &f.path, &imp.source)
                    .is_some_and(|t| schema_of(&project.files[t].model).is_some()),
                None => src.contains("ClientSchema<") && schema_of(&f.model).is_some(),
            })
    };
    let mut cursor = f.tree.walk();
    let mut done = false;
    while !done {
        let node = cursor.node();
        match node.kind() {
            "identifier" | "shorthand_property_identifier" => {
                let name = syntax::text(node, src);
                let sp = syntax::span(node);
                let aliased_import_name = node.parent().is_some_and(|p| {
                    p.kind() == "import_specifier"
                        && p.child_by_field_name("alias").is_some()
                        && p.child_by_field_name("name") == Some(node)
                });
                let sym = if aliased_import_name {
                    node.parent()
                        .and_then(|spec| spec.parent())
                        .and_then(|named| named.parent())
                        .and_then(|clause| clause.parent())
                        .and_then(|stmt| stmt.child_by_field_name("source"))
                        .and_then(|s| s.named_child(0))
                        .and_then(|s| imported(project, idx, syntax::text(s, src), name))
                } else {
                    cache
                        .entry(name)
                        .or_insert_with(|| resolve_ident(project, idx, name))
                        .clone()
                };
                if let Some(sym) = sym {
                    match decls.iter().find(|(n, _)| *n == sp) {
                        Some((_, full)) => {
                            push_decl(out, sp, sym, declaration_statement(node).unwrap_or(*full))
                        }
                        None => push(out, sp, sym),
                    }
                }
            }
            "subscript_expression" => {
                let obj = node.child_by_field_name("object");
                let index = node.child_by_field_name("index");
                if let (Some(obj), Some(index)) = (obj, index) {
                    if index.kind() == "string" {
                        let prop = (obj.kind() == "member_expression")
                            .then(|| obj.child_by_field_name("property"))
                            .flatten()
                            .map(|p| syntax::text(p, src));
                        let value = syntax::text(index, src);
                        let name = value.get(1..value.len().saturating_sub(1)).unwrap_or("");
                        let sym = match prop {
                            Some("tables" | "amplifyDynamoDbTables") => {
                                Some(Sym::Type(name.to_string()))
                            }
                            Some("groups") => Some(Sym::Group(name.to_string())),
                            _ => None,
                        };
                        if let Some(sym) = sym.filter(|_| !name.is_empty()) {
                            push(out, inner(src, syntax::span(index)), sym);
                        }
                    }
                }
            }
            "lookup_type" => {
                let ty = node.named_child(0);
                let index = node.named_child(1);
                if let (Some(ty), Some(index)) = (ty, index) {
                    let lit = if index.kind() == "literal_type" {
                        index.named_child(0)
                    } else {
                        Some(index)
                    };
                    if let Some(lit) = lit.filter(|l| l.kind() == "string") {
                        if ty.kind() == "type_identifier" && schema_type(ty) {
                            let value = syntax::text(lit, src);
                            let name = value.get(1..value.len().saturating_sub(1)).unwrap_or("");
                            if !name.is_empty() {
                                push(
                                    out,
                                    inner(src, syntax::span(lit)),
                                    Sym::Type(name.to_string()),
                                );
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        // `Node::parent` (used above) costs the node's depth: stay out of absurdly deep subtrees.
        if cursor.depth() < MAX_WALK_DEPTH && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                done = true;
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn project(files: &[(&str, &str)]) -> Project {
        Project {
            root: Some(PathBuf::from("/p")),
            files: files
                .iter()
                .filter_map(|(p, t)| ProjectFile::parse(PathBuf::from(p), t.to_string()))
                .collect(),
        }
    }

    /// The file index and offset of the first `needle` (plus `delta`) in `path`.
    fn at(p: &Project, path: &str, needle: &str, delta: usize) -> (usize, usize) {
        let i = p.find(Path::new(path)).expect("file");
        let off = p.files[i].text.find(needle).expect("needle") + delta;
        (i, off)
    }

    fn texts(p: &Project, ts: &[Target]) -> Vec<String> {
        ts.iter()
            .map(|t| {
                let i = p.find(&t.path).expect("file");
                let f = &p.files[i];
                let line = f.text[..t.span.start].matches('\n').count() + 1;
                format!(
                    "{}:{line}:{}",
                    t.path
                        .file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default(),
                    &f.text[t.span.start..t.span.end]
                )
            })
            .collect()
    }

    const DATA: &str = "/p/amplify/data/resource.ts";
    const DATA_SRC: &str = r#"import { a, defineData, type ClientSchema } from '@aws-amplify/backend';
import { sayHello } from '../functions/say-hello/resource';
const schema = a.schema({
  Status: a.enum(['DRAFT', 'LIVE']),
  Blog: a.model({
    title: a.string().required(),
    posts: a.hasMany('Post', 'blogId'),
  }).authorization((allow) => [allow.owner(), allow.group('ADMINS')]),
  Post: a.model({
    blogId: a.id(),
    blog: a.belongsTo('Blog', 'blogId'),
    status: a.ref('Status'),
    editor: a.string(),
  }).secondaryIndexes((index) => [index('blogId')])
    .authorization((allow) => [allow.ownerDefinedIn('editor')]),
  hello: a.query().returns(a.ref('Post')).handler(a.handler.function(sayHello))
    .authorization((allow) => [allow.authenticated()]),
  greet: a.query().returns(a.string()).handler(a.handler.function('greeter'))
    .authorization((allow) => [allow.authenticated()]),
});
export type Schema = ClientSchema<typeof schema>;
type P = Schema['Post']['type'];
export const data = defineData({ schema, functions: { greeter: sayHello } });
"#;
    const FN: &str = "/p/amplify/functions/say-hello/resource.ts";
    const FN_SRC: &str = "import { defineFunction } from '@aws-amplify/backend';\nexport const sayHello = defineFunction({ timeoutSeconds: 10 });\n";
    const HANDLER: &str = "/p/amplify/functions/say-hello/handler.ts";
    const HANDLER_SRC: &str = "import { env } from '$amplify/env/say-hello';\nexport const handler = async () => env.X;\n";
    const AUTH: &str = "/p/amplify/auth/resource.ts";
    const AUTH_SRC: &str = "import { defineAuth } from '@aws-amplify/backend';\nexport const auth = defineAuth({ loginWith: { email: true }, groups: ['ADMINS', 'EDITORS'] });\n";
    const BACKEND: &str = "/p/amplify/backend.ts";
    const BACKEND_SRC: &str = "import { defineBackend } from '@aws-amplify/backend';\nimport { auth } from './auth/resource';\nimport { data as myData } from './data/resource';\nimport { sayHello } from './functions/say-hello/resource.js';\nconst backend = defineBackend({ auth, data: myData, sayHello });\nbackend.data.resources.tables['Post'];\nbackend.auth.resources.groups['ADMINS'].role;\n";

    fn definition(p: &Project, i: usize, off: usize) -> Vec<Target> {
        super::definition(p, i, off)
            .map(|(_, t)| t)
            .unwrap_or_default()
    }

    fn blog() -> Project {
        project(&[
            (DATA, DATA_SRC),
            (FN, FN_SRC),
            (HANDLER, HANDLER_SRC),
            (AUTH, AUTH_SRC),
            (BACKEND, BACKEND_SRC),
        ])
    }

    #[test]
    fn definitions_of_types_and_resources() {
        let p = blog();
        let (i, off) = at(&p, DATA, "hasMany('Post'", 10);
        assert_eq!(texts(&p, &definition(&p, i, off)), ["resource.ts:9:Post"]);
        let (i, off) = at(&p, DATA, "a.ref('Status')", 8);
        assert_eq!(texts(&p, &definition(&p, i, off)), ["resource.ts:4:Status"]);
        // the returns of a custom operation
        let (i, off) = at(&p, DATA, "returns(a.ref('Post'))", 16);
        assert_eq!(texts(&p, &definition(&p, i, off)), ["resource.ts:9:Post"]);
        // backend.ts: an imported resource, through an alias and a `.js` specifier
        let (i, off) = at(&p, BACKEND, "{ auth,", 3);
        let d = definition(&p, i, off);
        assert_eq!(texts(&p, &d), ["resource.ts:2:auth"]);
        assert_eq!(d[0].path, PathBuf::from(AUTH));
        assert!(p.files[3].text[d[0].full.start..d[0].full.end]
            .starts_with("export const auth = defineAuth({"));
        let (i, off) = at(&p, BACKEND, "data: myData", 7);
        assert_eq!(texts(&p, &definition(&p, i, off)), ["resource.ts:23:data"]);
        let (i, off) = at(&p, BACKEND, "import { data as", 9);
        assert_eq!(texts(&p, &definition(&p, i, off)), ["resource.ts:23:data"]);
        let (i, off) = at(&p, BACKEND, "sayHello }", 2);
        assert_eq!(
            texts(&p, &definition(&p, i, off)),
            ["resource.ts:2:sayHello"]
        );
        // `$amplify/env/<name>`: the function named after its folder
        let (i, off) = at(&p, HANDLER, "say-hello'", 2);
        let d = definition(&p, i, off);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, PathBuf::from(FN));
        // a data function key goes to the function itself
        let (i, off) = at(&p, DATA, "function('greeter')", 11);
        assert_eq!(d, definition(&p, i, off));
        // a group name goes to defineAuth's groups
        let (i, off) = at(&p, DATA, "group('ADMINS')", 8);
        assert_eq!(texts(&p, &definition(&p, i, off)), ["resource.ts:2:ADMINS"]);
        let (i, off) = at(&p, BACKEND, "groups['ADMINS']", 9);
        assert_eq!(texts(&p, &definition(&p, i, off)), ["resource.ts:2:ADMINS"]);
        // subscripts and ClientSchema consumers name models
        let (i, off) = at(&p, BACKEND, "tables['Post']", 9);
        assert_eq!(texts(&p, &definition(&p, i, off)), ["resource.ts:9:Post"]);
        let (i, off) = at(&p, DATA, "Schema['Post']", 9);
        assert_eq!(texts(&p, &definition(&p, i, off)), ["resource.ts:9:Post"]);
        // nothing under a plain keyword
        let (i, off) = at(&p, DATA, "const schema", 1);
        assert!(definition(&p, i, off).is_empty());
    }

    #[test]
    fn references_of_models_fields_functions_and_groups() {
        let p = blog();
        let (i, off) = at(&p, DATA, "Post: a.model", 1);
        assert_eq!(
            texts(&p, &references(&p, i, off, true)),
            [
                "backend.ts:6:Post",
                "resource.ts:7:Post",
                "resource.ts:9:Post",
                "resource.ts:16:Post",
                "resource.ts:22:Post"
            ]
        );
        assert_eq!(references(&p, i, off, false).len(), 4);
        // a field named by the other side's references and by an index
        let (i, off) = at(&p, DATA, "blogId: a.id()", 0);
        assert_eq!(
            texts(&p, &references(&p, i, off, true)),
            [
                "resource.ts:7:blogId",
                "resource.ts:10:blogId",
                "resource.ts:11:blogId",
                "resource.ts:14:blogId"
            ]
        );
        // a field named by an ownerDefinedIn rule
        let (i, off) = at(&p, DATA, "ownerDefinedIn('editor')", 16);
        assert_eq!(
            texts(&p, &references(&p, i, off, true)),
            ["resource.ts:13:editor", "resource.ts:15:editor"]
        );
        // a function: its declaration, imports, uses, the data key and the env import
        let (i, off) = at(&p, FN, "sayHello", 0);
        let refs = texts(&p, &references(&p, i, off, true));
        assert_eq!(
            refs,
            [
                "backend.ts:4:sayHello",
                "backend.ts:5:sayHello",
                "resource.ts:2:sayHello",
                "resource.ts:16:sayHello",
                "resource.ts:18:greeter",
                "resource.ts:23:greeter",
                "resource.ts:23:sayHello",
                "handler.ts:1:$amplify/env/say-hello",
                "resource.ts:2:sayHello"
            ],
        );
        // groups across auth, data and backend
        let (i, off) = at(&p, AUTH, "'ADMINS'", 1);
        assert_eq!(
            texts(&p, &references(&p, i, off, true)),
            [
                "resource.ts:2:ADMINS",
                "backend.ts:7:ADMINS",
                "resource.ts:8:ADMINS"
            ]
        );
    }

    #[test]
    fn rename_models_and_fields_everywhere_in_the_schema() {
        let p = blog();
        let (i, off) = at(&p, DATA, "'Post', 'blogId'", 2);
        let plan = prepare_rename(&p, i, off).expect("renamable");
        assert_eq!(plan.name, "Post");
        let edits = rename(&p, i, off, "Article").expect("rename");
        assert_eq!(edits.len(), 5);
        let mut text = p.files[i].text.clone();
        for (_, sp, new) in edits.iter().filter(|e| e.0 == i).rev() {
            text.replace_range(sp.start..sp.end, new);
        }
        assert!(text.contains("Article: a.model"));
        assert!(text.contains("a.hasMany('Article', 'blogId')"));
        assert!(text.contains("returns(a.ref('Article'))"));
        assert!(text.contains("Schema['Article']"));
        assert!(!text.contains("'Post'"));
        // a field with its references
        let (i, off) = at(&p, DATA, "blogId: a.id()", 2);
        let edits = rename(&p, i, off, "parentId").expect("rename");
        assert_eq!(edits.len(), 4);
        // clashes and bad names are refused
        assert!(rename(&p, i, off, "editor").is_err());
        assert!(rename(&p, i, off, "1x").is_err());
        let (i, off) = at(&p, DATA, "Blog: a", 0);
        assert!(rename(&p, i, off, "Status").is_err());
    }

    #[test]
    fn prepare_rename_refuses_what_it_cannot_see() {
        let p = blog();
        // custom operations, groups, bindings
        for (file, needle) in [
            (DATA, "hello:"),
            (DATA, "group('ADMINS')"),
            (BACKEND, "{ auth,"),
            (DATA, "const schema"),
        ] {
            let (i, off) = at(&p, file, needle, 8.min(needle.len() - 1));
            assert!(prepare_rename(&p, i, off).is_err(), "{needle}");
        }
        // the implicit owner field, the default identifier
        let src = "const schema = a.schema({ T: a.model({ id: a.id(), owner: a.string(), x: a.string() })\
                   .authorization((allow) => [allow.owner()]) });";
        let p = project(&[(DATA, src)]);
        let (i, off) = at(&p, DATA, "owner:", 0);
        assert!(prepare_rename(&p, i, off)
            .unwrap_err()
            .contains("allow.owner()"));
        let (i, off) = at(&p, DATA, "id:", 0);
        assert!(prepare_rename(&p, i, off)
            .unwrap_err()
            .contains("identifier"));
        let (i, off) = at(&p, DATA, "x:", 0);
        assert!(prepare_rename(&p, i, off).is_ok());
        // a spread hides types; a non-literal ref hides references
        let src = "const more = {};\nconst schema = a.schema({ T: a.model({ x: a.string() }), ...more });";
        let p = project(&[(DATA, src)]);
        let (i, off) = at(&p, DATA, "T:", 0);
        assert!(prepare_rename(&p, i, off).is_err());
        let src = "const schema = a.schema({ T: a.customType({ x: a.string() }), U: a.customType({ t: a.ref(pick()) }) });";
        let p = project(&[(DATA, src)]);
        let (i, off) = at(&p, DATA, "T:", 0);
        assert!(prepare_rename(&p, i, off).is_err());
        // shorthand keys
        let src = "const T = a.model({ x: a.string() });\nconst schema = a.schema({ T });";
        let p = project(&[(DATA, src)]);
        let (i, off) = at(&p, DATA, "{ T }", 2);
        assert!(prepare_rename(&p, i, off).is_err());
        // a schema-level rule that names a field
        let src = "const schema = a.schema({ T: a.model({ who: a.string() }) })\
                   .authorization((allow) => [allow.ownerDefinedIn('who')]);";
        let p = project(&[(DATA, src)]);
        let (i, off) = at(&p, DATA, "who:", 0);
        assert!(prepare_rename(&p, i, off)
            .unwrap_err()
            .contains("schema-level"));
    }

    #[test]
    fn function_names_follow_amplify() {
        let p = project(&[
            (
                "/p/amplify/functions/a/resource.ts",
                "export const f = defineFunction({ name: 'given' });",
            ),
            (
                "/p/amplify/functions/b/resource.ts",
                "export const g = defineFunction({ entry: './main.handler.ts' });",
            ),
            (
                "/p/amplify/functions/c/resource.ts",
                "export const h = defineFunction();",
            ),
        ]);
        let names: Vec<_> = p
            .files
            .iter()
            .map(|f| function_name(f, &f.model.defines[0]))
            .collect();
        assert_eq!(
            names,
            [
                Some("given".to_string()),
                Some("main.handler".to_string()),
                Some("c".to_string())
            ]
        );
    }

    #[test]
    fn entries_stay_inside_the_project() {
        let dir = std::env::temp_dir().join(format!("amplify-lsp-nav-{}", std::process::id()));
        let fdir = dir.join("amplify/functions/x");
        std::fs::create_dir_all(&fdir).expect("mkdir");
        std::fs::write(fdir.join("handler.ts"), "export const handler = 1;").expect("write");
        let outside =
            std::env::temp_dir().join(format!("amplify-lsp-nav-out-{}.ts", std::process::id()));
        std::fs::write(&outside, "x").expect("write");
        let res = fdir.join("resource.ts");
        let src = "export const x = defineFunction({ entry: './handler.ts' });";
        // a custom resolver beside the data resource
        let ddir = dir.join("amplify/data");
        std::fs::create_dir_all(&ddir).expect("mkdir");
        std::fs::write(ddir.join("echo.js"), "export function request() {}").expect("write");
        let data = ddir.join("resource.ts");
        let data_src = "const schema = a.schema({ echo: a.query().returns(a.string())\
                        .handler(a.handler.custom({ entry: './echo.js' })) });";
        let p = Project {
            root: Some(dir.clone()),
            files: vec![
                ProjectFile::parse(res.clone(), src.to_string()).expect("parse"),
                ProjectFile::parse(data, data_src.to_string()).expect("parse"),
            ],
        };
        let off = src.find("handler.ts").expect("entry");
        let d = definition(&p, 0, off);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, fdir.join("handler.ts"));
        let off = data_src.find("echo.js").expect("entry");
        let d = definition(&p, 1, off);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, ddir.join("echo.js"));
        let name = outside
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        assert!(entry_file(&p, &res, &format!("../../../../{name}")).is_none());
        assert!(entry_file(&p, &res, &outside.to_string_lossy()).is_none());
        assert!(entry_file(&p, &res, "./missing.ts").is_none());
        assert!(entry_file(&p, &res, "../../../../etc/passwd").is_none());
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_file(&outside);
    }

    #[test]
    fn large_schemas_stay_fast() {
        let mut src = String::from("const schema = a.schema({\n");
        for i in 0..400 {
            src.push_str(&format!(
                "  M{i}: a.model({{ name: a.string(), next: a.hasOne('M{}', 'prevId'), prevId: a.id() }})\n    .authorization((allow) => [allow.owner()]),\n",
                (i + 1) % 400
            ));
        }
        src.push_str("});\nexport type Schema = ClientSchema<typeof schema>;\n");
        let mut handler = String::from("import type { Schema } from '../../data/resource';\n");
        for i in 0..400 {
            handler.push_str(&format!("type T{i} = Schema['M{i}']['type'];\n"));
        }
        let p = project(&[
            (DATA, &src),
            ("/p/amplify/functions/h/handler.ts", &handler),
        ]);
        let start = std::time::Instant::now();
        let (i, off) = at(&p, DATA, "M7:", 0);
        let refs = references(&p, i, off, true);
        // the key, the hasOne of M6, the handler's lookup
        assert_eq!(refs.len(), 3);
        let elapsed = start.elapsed();
        assert!(elapsed.as_secs() < 5, "{elapsed:?}");
    }

    #[test]
    fn storage_groups() {
        let p = project(&[
            (AUTH, AUTH_SRC),
            (
                "/p/amplify/storage/resource.ts",
                "export const storage = defineStorage({ name: 's', access: (allow) => ({\n  'a/*': [allow.groups(['EDITORS']).to(['read'])],\n}) });",
            ),
        ]);
        let (i, off) = at(&p, "/p/amplify/storage/resource.ts", "'EDITORS'", 2);
        assert_eq!(
            texts(&p, &definition(&p, i, off)),
            ["resource.ts:2:EDITORS"]
        );
    }
}
