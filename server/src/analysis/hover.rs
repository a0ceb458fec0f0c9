//! Hover: what a name of the Amplify API means, from the catalog.

use super::completion::doc_markdown;
use super::lookup::{self, ChainTarget, Place, StringArg};
use crate::model::catalog::{self, Ty};
use crate::model::context::cursor_at;
use crate::model::file::FileModel;
use crate::text::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub markdown: String,
    pub span: Span,
}

fn is_ident(c: char) -> bool {
    c == '_' || c == '$' || c.is_alphanumeric()
}

/// The identifier around `offset`, if any.
fn word_at(src: &str, offset: usize) -> Option<Span> {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = src[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_ident(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = src[offset..]
        .char_indices()
        .find(|(_, c)| !is_ident(*c))
        .map_or(src.len(), |(i, _)| offset + i);
    (end > start && !src[start..end].starts_with(|c: char| c.is_ascii_digit()))
        .then(|| Span::new(start, end))
}

/// The hover at `offset`.
pub fn hover(src: &str, file: Option<&FileModel>, offset: usize, platform: &str) -> Option<Hover> {
    let span = word_at(src, offset)?;
    let word = &src[span.start..span.end];
    let cur = cursor_at(src, span.end);
    if cur.in_comment {
        return None;
    }
    let md = |title: &str, ty: Option<String>, default: Option<&str>, doc: &catalog::Doc| {
        Some(Hover {
            markdown: doc_markdown(title, ty, default, doc, platform),
            span,
        })
    };
    if let Some(s) = &cur.in_string {
        // a literal value: 'CODE', 'read', 'userPool', ...
        let value = format!(
            "{}{}",
            s.prefix,
            &src[span.end..s.content.end.max(span.end)]
        );
        let value = value.trim_end_matches(['\'', '"', '`']).to_string();
        return match lookup::place(&cur) {
            Place::StringArg(StringArg::Literals(set)) => {
                let l = catalog::literal(set, &value)?;
                md(&format!("'{}'", l.value), None, None, &l.doc)
            }
            Place::Value { ty, key } | Place::ArrayElement { ty, key } => {
                if !literal_of(&ty, &value) {
                    return None;
                }
                let (root, path) = cur.object_path()?;
                let path = [path, vec![key.clone()]].concat();
                let prop = prop_at(&root, &path)?;
                let title = format!("{key}: '{value}'");
                md(
                    &title,
                    Some(catalog::ty_label(&ty)),
                    prop.default,
                    &prop.doc,
                )
            }
            _ => None,
        };
    }
    // `import { defineAuth } from '@aws-amplify/backend'`: the same hover as on the call
    if let Some(c) = imported_call(src, &cur, span, word) {
        return md(
            &format!("{}(props)", c.name),
            Some(format!("from '{}'", c.module)),
            None,
            &c.doc,
        );
    }
    // `configure({ database })` of a generated SQL schema
    if word == "configure"
        && !cur.after_dot
        && !cur.at_key()
        && file.is_some_and(|f| {
            f.imports.iter().any(|i| {
                i.source == catalog::sql::CONFIGURE_MODULE
                    && i.names.iter().any(|n| n.imported == "configure")
            })
        })
    {
        return md(
            "configure({ database })",
            Some(format!("from '{}'", catalog::sql::CONFIGURE_MODULE)),
            None,
            &catalog::sql::CONFIGURE_DOC,
        );
    }
    // `defineAuth(` and friends
    if cur.chain.is_empty() && !cur.after_dot && !cur.at_key() {
        if let Some(c) = catalog::call(word) {
            let ty = c.arg.map(|t| catalog::ty_label(&t));
            return md(
                &format!("{}(props)", c.name),
                ty.map(|_| format!("from '{}'", c.module)),
                None,
                &c.doc,
            );
        }
    }
    if cur.after_dot {
        match lookup::chain_target_in(&cur, file)? {
            ChainTarget::Namespace(ns, _) => {
                let m = catalog::member(ns, word)?;
                let prefix = match ns {
                    catalog::Builder::HandlerNs => "a.handler.",
                    catalog::Builder::AiNs => "a.ai.",
                    _ => "a.",
                };
                return md(
                    &format!("{prefix}{}", m.name),
                    Some(m.signature.to_string()),
                    None,
                    &m.doc,
                );
            }
            ChainTarget::Builder(b, _) => {
                let m = catalog::modifier(b, word).or_else(|| catalog::validator(word))?;
                return md(
                    &format!(".{}", m.name),
                    Some(m.signature.to_string()),
                    None,
                    &m.doc,
                );
            }
            ChainTarget::Validators { .. } => {
                let m = catalog::validator(word)?;
                return md(
                    &format!(".{}", m.name),
                    Some(m.signature.to_string()),
                    None,
                    &m.doc,
                );
            }
            ChainTarget::DataRules(_) => {
                let r = catalog::data_rule(word)?;
                let mut h = md(
                    &format!("allow.{}", r.name),
                    Some(r.signature.to_string()),
                    None,
                    &r.doc,
                )?;
                h.markdown.push_str(&format!(
                    "\n\nProvider: `{}` by default{}",
                    r.default_provider,
                    if r.providers.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " (accepts {})",
                            r.providers
                                .iter()
                                .map(|p| format!("`'{p}'`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                ));
                return Some(h);
            }
            ChainTarget::RuleChain(..) | ChainTarget::To(_) => {
                let m = catalog::RULE_CHAIN_METHODS
                    .iter()
                    .find(|m| m.value == word)?;
                return md(&format!(".{}", m.value), None, None, &m.doc);
            }
            ChainTarget::StorageRules => {
                let r = catalog::storage_rule(word)?;
                return md(
                    &format!("allow.{}", r.name),
                    Some(r.signature.to_string()),
                    None,
                    &r.doc,
                );
            }
            ChainTarget::AuthAccess => return None,
            ChainTarget::BackendMembers => {
                let m = catalog::BACKEND_MEMBERS.iter().find(|m| m.value == word)?;
                return md(&format!("backend.{}", m.value), None, None, &m.doc);
            }
            ChainTarget::BackendPath(path) => {
                let m = lookup::backend_members(file, &path)?
                    .iter()
                    .find(|m| m.name == word)?;
                let title = format!("backend.{}.{}", path.join("."), m.name);
                return md(&title, None, None, &m.doc);
            }
        }
    }
    // a property key of a define* argument
    let after = src[span.end..].trim_start();
    if cur.at_key() || after.starts_with(':') {
        let (root, path) = cur.object_path()?;
        let path = [path, vec![word.to_string()]].concat();
        let prop = prop_at(&root, &path)?;
        return md(
            prop.name,
            Some(catalog::ty_label(&prop.ty)),
            prop.default,
            &prop.doc,
        );
    }
    None
}

/// The catalog call a name of an `import { ... } from '<module>'` list designates, when `<module>` is the one
/// the call comes from (`import { defineAuth } from '@aws-amplify/backend'`, also `import type` and
/// `defineAuth as auth`).
fn imported_call(
    src: &str,
    cur: &crate::model::context::Cursor,
    span: Span,
    word: &str,
) -> Option<&'static catalog::Call> {
    let top = cur.top()?;
    if cur.frames.len() != 1 || top.bracket != crate::model::context::Bracket::Brace {
        return None;
    }
    let before = src[..top.open].trim_end();
    let before = before.strip_suffix("type").map_or(before, str::trim_end);
    let keyword = before.strip_suffix("import")?;
    if keyword
        .chars()
        .next_back()
        .is_some_and(|c| is_ident(c) || c == '.')
    {
        return None;
    }
    // `defineAuth as auth`: hovering on either name means the imported one
    let entry_start = src[top.open + 1..span.start]
        .rfind(',')
        .map_or(top.open + 1, |i| top.open + 1 + i + 1);
    let entry = src[entry_start..span.start].trim();
    let imported = match entry.strip_suffix("as").map(str::trim_end) {
        Some(name) if !name.is_empty() => name,
        _ => word,
    };
    let imported = imported.strip_prefix("type ").map_or(imported, str::trim);
    // the source after the closing brace
    let close = top.open + src[top.open..].find('}')?;
    let rest = src[close + 1..]
        .trim_start()
        .strip_prefix("from")?
        .trim_start();
    let quote = rest.chars().next().filter(|q| matches!(q, '\'' | '"'))?;
    let module = &rest[1..];
    let module = &module[..module.find(quote)?];
    catalog::call(imported).filter(|c| c.module == module)
}

fn literal_of(ty: &Ty, value: &str) -> bool {
    match ty {
        Ty::StrLit(values) => values.contains(&value),
        Ty::OneOf(options) => options.iter().any(|t| literal_of(t, value)),
        Ty::Arr(inner) => literal_of(inner, value),
        _ => false,
    }
}

/// The catalog property at a path below a call.
fn prop_at(root: &str, path: &[String]) -> Option<&'static catalog::Prop> {
    let (last, parent) = path.split_last()?;
    let ty = lookup::ty_at(root, parent)?;
    let obj = catalog::object_of(&ty)?;
    catalog::prop(obj, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hover_at(fixture: &str) -> Option<Hover> {
        let i = fixture.find("$0").expect("marker");
        let src = format!("{}{}", &fixture[..i], &fixture[i + 2..]);
        hover(&src, None, i, "vue")
    }

    #[test]
    fn hovers_on_calls_props_members_rules_and_literals() {
        let h = hover_at("export const auth = defin$0eAuth({ loginWith: { email: true } });")
            .expect("call");
        assert!(
            h.markdown
                .contains("docs.amplify.aws/vue/build-a-backend/auth/set-up-auth/"),
            "{}",
            h.markdown
        );
        let h = hover_at("defineFunction({ timeout$0Seconds: 10 })").expect("prop");
        assert!(h.markdown.contains("timeoutSeconds"), "{}", h.markdown);
        assert!(h.markdown.contains("900"), "{}", h.markdown);
        let h =
            hover_at("defineAuth({ loginWith: { email: { verificationEmailStyle: 'CO$0DE' } } })")
                .expect("literal");
        assert!(h.markdown.contains("CODE"), "{}", h.markdown);
        let h = hover_at("a.schema({ T: a.model({ x: a.str$0ing() }) })").expect("member");
        assert!(h.markdown.contains("a.string"), "{}", h.markdown);
        let h = hover_at("a.model({}).authorization((allow) => [allow.own$0er()])").expect("rule");
        assert!(h.markdown.contains("allow.owner"), "{}", h.markdown);
        let h = hover_at("a.model({}).identi$0fier(['id'])").expect("modifier");
        assert!(h.markdown.contains(".identifier"), "{}", h.markdown);
        assert!(hover_at("const x = unrel$0ated;").is_none());
    }

    #[test]
    fn hover_on_ai_and_handler_arguments() {
        let h = hover_at("a.schema({ c: a.conversation({ systemPro$0mpt: 'x' }) })").expect("key");
        assert!(
            h.markdown.contains("systemPrompt: string"),
            "{}",
            h.markdown
        );
        let h = hover_at("a.generation({ inferenceConfiguration: { temper$0ature: 0.5 } })")
            .expect("nested key");
        assert!(h.markdown.contains("number (0–1)"), "{}", h.markdown);
        let h = hover_at("a.handler.custom({ ent$0ry: './x.js' })").expect("custom");
        assert!(h.markdown.contains("entry"), "{}", h.markdown);
        let h = hover_at("defineConversation$0HandlerFunction({ name: 'x', models: [] })")
            .expect("call");
        assert!(
            h.markdown.contains("@aws-amplify/backend-ai"),
            "{}",
            h.markdown
        );
        let h =
            hover_at("defineConversationHandlerFunction({ timeout$0Seconds: 60 })").expect("prop");
        assert!(h.markdown.contains("Default: `60`"), "{}", h.markdown);
        let h = hover_at(
            "import { defineConversation$0HandlerFunction } from '@aws-amplify/backend-ai';",
        )
        .expect("import");
        assert!(
            h.markdown
                .contains("defineConversationHandlerFunction(props)"),
            "{}",
            h.markdown
        );
    }

    #[test]
    fn hover_on_imported_names() {
        let call = hover_at("import { defineAuth } from '@aws-amplify/backend';\ndefin$0eAuth({ loginWith: { email: true } });")
            .expect("call")
            .markdown;
        for fixture in [
            "import { defi$0neAuth } from '@aws-amplify/backend';",
            "import { a, defineAu$0th, secret } from \"@aws-amplify/backend\";",
            "import {\n  defineData,\n  defineAu$0th,\n} from '@aws-amplify/backend';",
            "import type { defineAu$0th } from '@aws-amplify/backend';",
            "import { defineAuth as au$0th } from '@aws-amplify/backend';",
        ] {
            let h = hover_at(fixture).unwrap_or_else(|| panic!("no hover: {fixture}"));
            assert!(
                h.markdown.contains("defineAuth(props)"),
                "{fixture}: {}",
                h.markdown
            );
        }
        let h = hover_at("import { defineAu$0th } from '@aws-amplify/backend';").expect("hover");
        assert_eq!(h.markdown, call);
        // another module, or not an import
        assert!(hover_at("import { defineAu$0th } from './my-auth';").is_none());
        assert!(hover_at("const { defineAu$0th } = lib;").is_none());
        assert!(hover_at("// defin$0eAuth").is_none());
    }
}
