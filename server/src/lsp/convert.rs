//! Conversions between protocol types and the plain data of the layers below. Positions are converted
//! here and only here, in the negotiated encoding.

use ropey::Rope;
use tower_lsp_server::ls_types as lsp;

use crate::analysis;
use crate::analysis::redact::{has_secret, redact};
use crate::text::{offset_at, position_at, Encoding, Pos, Span};
use crate::workspace::Change;

pub fn pos(p: lsp::Position) -> Pos {
    Pos::new(p.line, p.character)
}

pub fn to_lsp_pos(p: Pos) -> lsp::Position {
    lsp::Position::new(p.line, p.character)
}

pub fn offset(rope: &Rope, p: lsp::Position, enc: Encoding) -> usize {
    offset_at(rope, pos(p), enc)
}

pub fn range(rope: &Rope, span: Span, enc: Encoding) -> lsp::Range {
    lsp::Range::new(
        to_lsp_pos(position_at(rope, span.start, enc)),
        to_lsp_pos(position_at(rope, span.end, enc)),
    )
}

pub fn span(rope: &Rope, r: lsp::Range, enc: Encoding) -> Span {
    let a = offset(rope, r.start, enc);
    let b = offset(rope, r.end, enc);
    Span::new(a.min(b), a.max(b))
}

pub fn change(c: lsp::TextDocumentContentChangeEvent) -> Change {
    Change {
        range: c.range.map(|r| (pos(r.start), pos(r.end))),
        text: c.text,
    }
}

pub fn severity(s: analysis::Severity) -> lsp::DiagnosticSeverity {
    match s {
        analysis::Severity::Error => lsp::DiagnosticSeverity::ERROR,
        analysis::Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        analysis::Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
        analysis::Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// Where the pages of the diagnostic codes are: `docs/codes/<category>/<name>.md` in the repository.
pub const CODES_BASE: &str = "https://github.com/amplify-lsp/amplify-lsp/blob/main/docs/codes/";

/// The page of one code, at the anchor of the docs.amplify.aws link for the user's platform.
pub fn code_url(code: &str, platform: &str) -> String {
    let platform = if crate::model::catalog::PLATFORMS.contains(&platform) {
        platform
    } else {
        "react"
    };
    format!("{CODES_BASE}{code}.md#platform-{platform}")
}

pub fn diagnostic(
    uri: &lsp::Uri,
    rope: &Rope,
    d: &analysis::Diagnostic,
    enc: Encoding,
    platform: &str,
) -> lsp::Diagnostic {
    DiagnosticWriter::new(uri, rope, enc, platform).write(d)
}

/// The protocol form of a document's diagnostics. A large schema has hundreds of findings that share a few
/// messages and codes: each distinct message is masked once, and each code's page link is made once.
pub fn diagnostics(
    uri: &lsp::Uri,
    rope: &Rope,
    ds: &[analysis::Diagnostic],
    enc: Encoding,
    platform: &str,
) -> Vec<lsp::Diagnostic> {
    let mut w = DiagnosticWriter::new(uri, rope, enc, platform);
    ds.iter().map(|d| w.write(d)).collect()
}

struct DiagnosticWriter<'a> {
    uri: &'a lsp::Uri,
    rope: &'a Rope,
    enc: Encoding,
    platform: &'a str,
    messages: std::collections::HashMap<&'a str, String>,
    pages: std::collections::HashMap<&'static str, Option<lsp::CodeDescription>>,
}

impl<'a> DiagnosticWriter<'a> {
    fn new(uri: &'a lsp::Uri, rope: &'a Rope, enc: Encoding, platform: &'a str) -> Self {
        DiagnosticWriter {
            uri,
            rope,
            enc,
            platform,
            messages: Default::default(),
            pages: Default::default(),
        }
    }

    fn message(&mut self, m: &'a str) -> String {
        self.messages
            .entry(m)
            .or_insert_with(|| redact(m).into_owned())
            .clone()
    }

    fn write(&mut self, d: &'a analysis::Diagnostic) -> lsp::Diagnostic {
        let related: Vec<lsp::DiagnosticRelatedInformation> = d
            .related
            .iter()
            .filter(|r| r.uri.is_none())
            .map(|r| lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(self.uri.clone(), range(self.rope, r.span, self.enc)),
                message: self.message(&r.message),
            })
            .collect();
        let platform = self.platform;
        let page = self
            .pages
            .entry(d.code)
            .or_insert_with(|| {
                code_url(d.code, platform)
                    .parse::<lsp::Uri>()
                    .ok()
                    .map(|href| lsp::CodeDescription { href })
            })
            .clone();
        lsp::Diagnostic {
            range: range(self.rope, d.span, self.enc),
            severity: Some(severity(d.severity)),
            code: Some(lsp::NumberOrString::String(d.code.to_string())),
            code_description: page,
            source: Some("amplify".to_string()),
            message: self.message(&d.message),
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        }
    }
}

/// The protocol form of a completion item, with its detail and documentation masked; `None` for an item whose
/// label or inserted text holds a secret (it cannot be shown without it).
pub fn completion_item(
    rope: &Rope,
    i: analysis::completion::CompletionItem,
    enc: Encoding,
) -> Option<lsp::CompletionItem> {
    use analysis::completion::ItemKind as K;
    if has_secret(&i.label) || has_secret(&i.insert) {
        return None;
    }
    let kind = match i.kind {
        K::Property => lsp::CompletionItemKind::PROPERTY,
        K::Value => lsp::CompletionItemKind::VALUE,
        K::Function => lsp::CompletionItemKind::FUNCTION,
        K::Method => lsp::CompletionItemKind::METHOD,
        K::Module => lsp::CompletionItemKind::MODULE,
        K::Class => lsp::CompletionItemKind::CLASS,
        K::Field => lsp::CompletionItemKind::FIELD,
        K::EnumMember => lsp::CompletionItemKind::ENUM_MEMBER,
        K::Keyword => lsp::CompletionItemKind::KEYWORD,
        K::Snippet => lsp::CompletionItemKind::SNIPPET,
    };
    // The label is what the user types: clients that leave filtering to a server which sends edit ranges
    // (Neovim 0.11) filter on `filterText`, and VS Code matches it against the text in the edit's range.
    let filter_text = Some(i.label.clone());
    Some(lsp::CompletionItem {
        filter_text,
        label: i.label,
        kind: Some(kind),
        detail: i.detail.map(|d| redact(&d).into_owned()),
        documentation: i.documentation.map(|value| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: redact(&value).into_owned(),
            })
        }),
        sort_text: Some(i.sort),
        preselect: i.preselect.then_some(true),
        insert_text_format: Some(if i.snippet {
            lsp::InsertTextFormat::SNIPPET
        } else {
            lsp::InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range: range(rope, i.replace, enc),
            new_text: i.insert,
        })),
        ..Default::default()
    })
}
