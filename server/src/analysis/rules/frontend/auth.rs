//! Frontend auth calls from `aws-amplify/auth`, checked against `defineAuth` ([`AuthView`]), only where
//! certain:
//!
//! - `signInWithRedirect({ provider: 'Google' })` (or `{ custom: 'Name' }`) for a provider that
//!   `loginWith.externalProviders` does not configure;
//! - a `signUp` user attribute that the user pool cannot hold: a `custom:` attribute `userAttributes` does not
//!   declare, or a name that is neither one of Cognito's standard attributes nor `custom:` (`givenName` is
//!   `given_name` on the client). Standard attributes exist in every user pool, declared or not, so they are
//!   never reported.

use super::storage::{calls, first_object, item, key_text, property, quoted_after, string_lit};
use super::FrontendCx;
use crate::analysis::completion::{CompletionItem, ItemKind};
use crate::analysis::hover::Hover;
use crate::analysis::rules::validators::did_you_mean;
use crate::analysis::{Diagnostic, Severity};
use crate::model::frontend::auth::{AuthView, STANDARD};
use crate::syntax::{span, text};
use crate::text::Span;

pub const PROVIDER_NOT_CONFIGURED: &str = "frontend/auth-provider-not-configured";
pub const UNKNOWN_ATTRIBUTE: &str = "frontend/auth-unknown-attribute";

const SOURCES: &[&str] = &["aws-amplify/auth", "@aws-amplify/auth"];
const APIS: &[&str] = &["signInWithRedirect", "signUp"];
const BUILT_IN: &[(&str, &str)] = &[
    ("Google", "google"),
    ("Facebook", "facebook"),
    ("Amazon", "loginWithAmazon"),
    ("Apple", "signInWithApple"),
];
/// Cognito attributes a client may send that `defineAuth` does not list as keys (left alone).
const OTHER_COGNITO: &[&str] = &["email_verified", "phone_number_verified", "sub"];

pub fn check(cx: &FrontendCx, out: &mut Vec<Diagnostic>) {
    let Some(auth) = cx.backend.auth.as_ref().filter(|a| a.usable()) else {
        return;
    };
    for (api, call) in calls(cx, SOURCES, APIS) {
        let Some(input) = first_object(call) else {
            continue;
        };
        match api {
            "signInWithRedirect" => provider(cx, auth, input, out),
            _ => attributes(cx, auth, input, out),
        }
    }
}

fn provider(cx: &FrontendCx, auth: &AuthView, input: tree_sitter::Node, out: &mut Vec<Diagnostic>) {
    if !auth.providers_known {
        return;
    }
    let Some(p) = property(input, "provider", cx.src) else {
        return;
    };
    let configured = configured(auth);
    if let Some(name) = string_lit(p, cx.src) {
        if auth.providers.contains(&name) {
            return;
        }
        let hint = match BUILT_IN.iter().find(|(n, _)| *n == name) {
            Some((_, key)) => format!("add `{key}` to `loginWith.externalProviders` in defineAuth"),
            None => {
                let names: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
                match did_you_mean(&name, &names) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => "the built-in providers are `Google`, `Facebook`, `Amazon` and `Apple`; OIDC and SAML \
                             providers are given as `{ custom: 'Name' }`"
                        .into(),
                }
            }
        };
        out.push(Diagnostic::new(
            span(p),
            Severity::Error,
            PROVIDER_NOT_CONFIGURED,
            format!("the sign-in provider `{name}` is not configured ({configured}): {hint}"),
        ));
    } else if p.kind() == "object" {
        let Some(c) = property(p, "custom", cx.src) else {
            return;
        };
        let Some(name) = string_lit(c, cx.src) else {
            return;
        };
        if auth.custom_providers.contains(&name) {
            return;
        }
        let names: Vec<&str> = auth.custom_providers.iter().map(String::as_str).collect();
        let hint = did_you_mean(&name, &names)
            .map(|n| format!(": did you mean `{n}`?"))
            .unwrap_or_else(|| {
                ": custom providers are the `name`s of `oidc` and `saml` in `loginWith.externalProviders`".into()
            });
        out.push(Diagnostic::new(
            span(c),
            Severity::Error,
            PROVIDER_NOT_CONFIGURED,
            format!("no OIDC or SAML provider is named `{name}` ({configured}){hint}"),
        ));
    }
}

fn configured(auth: &AuthView) -> String {
    let all: Vec<String> = auth
        .providers
        .iter()
        .map(|p| format!("`{p}`"))
        .chain(
            auth.custom_providers
                .iter()
                .map(|p| format!("`{{ custom: '{p}' }}`")),
        )
        .collect();
    if all.is_empty() {
        "defineAuth configures no external provider".into()
    } else {
        format!("defineAuth configures {}", all.join(", "))
    }
}

fn attributes(
    cx: &FrontendCx,
    auth: &AuthView,
    input: tree_sitter::Node,
    out: &mut Vec<Diagnostic>,
) {
    let Some(attrs) = property(input, "options", cx.src)
        .filter(|o| o.kind() == "object")
        .and_then(|o| property(o, "userAttributes", cx.src))
        .filter(|a| a.kind() == "object")
    else {
        return;
    };
    let mut c = attrs.walk();
    for p in attrs.named_children(&mut c) {
        let (name, at) = match p.kind() {
            "pair" => {
                let Some(k) = p.child_by_field_name("key") else {
                    continue;
                };
                let Some(name) = key_text(k, cx.src) else {
                    continue;
                };
                (name.to_string(), k)
            }
            "shorthand_property_identifier" => (text(p, cx.src).to_string(), p),
            _ => continue,
        };
        if let Some(d) = attribute(auth, &name, span(at)) {
            out.push(d);
        }
    }
}

fn attribute(auth: &AuthView, name: &str, at: Span) -> Option<Diagnostic> {
    if name.starts_with("custom:") {
        if !auth.attributes_known || auth.attributes.iter().any(|a| a == name) {
            return None;
        }
        let custom: Vec<&str> = auth
            .attributes
            .iter()
            .filter(|a| a.starts_with("custom:"))
            .map(String::as_str)
            .collect();
        let hint = did_you_mean(name, &custom)
            .map(|n| format!(": did you mean `{n}`?"))
            .unwrap_or_else(|| {
                let key = name.trim_start_matches("custom:");
                format!(": declare it in defineAuth's `userAttributes` (`'custom:{key}': {{ dataType: 'String' }}`)")
            });
        return Some(Diagnostic::new(
            at,
            Severity::Error,
            UNKNOWN_ATTRIBUTE,
            format!("the user pool has no attribute `{name}`, so sign-up is refused{hint}"),
        ));
    }
    if STANDARD.iter().any(|(_, c)| *c == name) || OTHER_COGNITO.contains(&name) {
        return None;
    }
    let hint = match STANDARD.iter().find(|(k, _)| *k == name) {
        Some((_, c)) => format!(": on the client it is `{c}`"),
        None => {
            let names: Vec<&str> = STANDARD.iter().map(|(_, c)| *c).collect();
            match did_you_mean(name, &names) {
                Some(n) => format!(": did you mean `{n}`?"),
                None => format!(
                    ": attributes of your own are `custom:` ones (`'custom:{name}'`, declared in defineAuth's \
                     `userAttributes`)"
                ),
            }
        }
    };
    Some(Diagnostic::new(
        at,
        Severity::Error,
        UNKNOWN_ATTRIBUTE,
        format!("`{name}` is not a Cognito user attribute, so sign-up is refused{hint}"),
    ))
}

pub fn complete(cx: &FrontendCx, offset: usize) -> Option<Vec<CompletionItem>> {
    let auth = cx.backend.auth.as_ref().filter(|a| a.defined)?;
    if !cx
        .file
        .imports
        .iter()
        .any(|i| SOURCES.contains(&i.source.as_str()) && !i.type_only)
    {
        return None;
    }
    if let Some((q, _, before)) = quoted_after(cx.src, offset) {
        let before = before.trim_end();
        let replace = Span::new(q + 1, offset.min(cx.src.len()));
        if before.ends_with("provider:") {
            return Some(
                auth.providers
                    .iter()
                    .map(|p| {
                        item(
                            p,
                            p,
                            "configured sign-in provider",
                            replace,
                            ItemKind::Value,
                        )
                    })
                    .collect(),
            );
        }
        if before.ends_with("custom:") && before.contains("provider:") {
            return Some(
                auth.custom_providers
                    .iter()
                    .map(|p| item(p, p, "OIDC/SAML provider", replace, ItemKind::Value))
                    .collect(),
            );
        }
        return None;
    }
    // a key inside `userAttributes: { ¦ }`
    let offset = offset.min(cx.src.len());
    if !cx.src.is_char_boundary(offset) {
        return None;
    }
    let head = &cx.src[..offset];
    let word_start = head
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let mut depth = 0usize;
    let mut open = None;
    for (i, c) in head[..word_start].char_indices().rev() {
        match c {
            '}' => depth += 1,
            '{' if depth == 0 => {
                open = Some(i);
                break;
            }
            '{' => depth -= 1,
            _ => {}
        }
    }
    let open = open?;
    if !head[..open].trim_end().ends_with("userAttributes:") {
        return None;
    }
    let between = head[open + 1..word_start].trim_end();
    if !(between.is_empty() || between.ends_with(',')) {
        return None;
    }
    let replace = Span::new(word_start, offset);
    let mut names: Vec<String> = STANDARD.iter().map(|(_, c)| c.to_string()).collect();
    names.extend(
        auth.attributes
            .iter()
            .filter(|a| a.starts_with("custom:"))
            .cloned(),
    );
    Some(
        names
            .iter()
            .map(|n| {
                let declared = auth.attributes.contains(n);
                let insert = if n.contains(':') {
                    format!("'{n}'")
                } else {
                    n.clone()
                };
                let mut it = item(
                    n,
                    &insert,
                    if declared {
                        "user attribute declared in defineAuth"
                    } else {
                        "standard user attribute"
                    },
                    replace,
                    ItemKind::Property,
                );
                it.sort = format!("{}{n}", if declared { 0 } else { 1 });
                it
            })
            .collect(),
    )
}

pub fn hover(_cx: &FrontendCx, _offset: usize) -> Option<Hover> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::frontend::storage::tests::{
        backend, diagnostics, run_fixtures, with_cx,
    };
    use crate::syntax::Lang;

    const AUTH: &str = "import { defineAuth, secret } from '@aws-amplify/backend';
export const auth = defineAuth({
  loginWith: {
    email: true,
    externalProviders: {
      google: { clientId: secret('A'), clientSecret: secret('B') },
      saml: { name: 'Corp', metadata: { metadataContent: 'https://x', metadataType: 'URL' } },
      callbackUrls: ['http://localhost/'],
      logoutUrls: ['http://localhost/'],
    },
  },
  userAttributes: { 'custom:plan': { dataType: 'String' } },
});
";

    fn codes(auth: &str, front: &str) -> Vec<(&'static str, String)> {
        let view = backend(&[auth]);
        diagnostics(&view, front, Lang::Tsx)
            .into_iter()
            .map(|d| (d.code, d.message))
            .collect()
    }

    #[test]
    fn auth_fixtures() {
        assert!(run_fixtures("auth") >= 8);
    }

    #[test]
    fn providers() {
        let imp = "import { signInWithRedirect as go } from 'aws-amplify/auth';\n";
        let c = |call: &str| codes(AUTH, &format!("{imp}{call}"));
        assert!(c("go({ provider: 'Google' });").is_empty());
        assert!(c("go({ provider: { custom: 'Corp' } });").is_empty());
        assert!(c("go({ provider: p });").is_empty());
        assert!(c("go();").is_empty());
        let d = c("go({ provider: 'Amazon' });");
        assert_eq!(d.len(), 1);
        assert!(d[0].1.contains("loginWithAmazon"), "{}", d[0].1);
        let d = c("go({ provider: { custom: 'Crop' } });");
        assert!(d[0].1.contains("did you mean `Corp`"), "{}", d[0].1);
        // providers we cannot read: silent
        let unread = "import { defineAuth } from '@aws-amplify/backend';
export const auth = defineAuth({ loginWith: { email: true, externalProviders: providers() } });";
        assert!(codes(unread, &format!("{imp}go({{ provider: 'Amazon' }});")).is_empty());
    }

    #[test]
    fn cognito_changes_in_code_or_a_referenced_pool_silence_the_rules() {
        let src = "import { signInWithRedirect } from 'aws-amplify/auth';\nsignInWithRedirect({ provider: 'Amazon' });";
        assert_eq!(diagnostics(&backend(&[AUTH]), src, Lang::Tsx).len(), 1);
        let cdk = "import { defineBackend } from '@aws-amplify/backend';\nimport * as cognito from 'aws-cdk-lib/aws-cognito';\nconst backend = defineBackend({});";
        for order in [[AUTH, cdk], [cdk, AUTH]] {
            assert!(diagnostics(&backend(&order), src, Lang::Tsx).is_empty());
        }
        let reference = "import { referenceAuth } from '@aws-amplify/backend';\nexport const auth = referenceAuth({ userPoolId: 'x', identityPoolId: 'y', authRoleArn: 'a', unauthRoleArn: 'u', userPoolClientId: 'c' });";
        assert!(diagnostics(&backend(&[reference]), src, Lang::Tsx).is_empty());
    }

    #[test]
    fn attributes() {
        let imp = "import { signUp } from 'aws-amplify/auth';\n";
        let c = |attrs: &str| {
            codes(
                AUTH,
                &format!("{imp}signUp({{ username, password, options: {{ userAttributes: {{ {attrs} }} }} }});"),
            )
        };
        assert!(c("email, given_name: 'A', 'custom:plan': 'x', phone_number: p").is_empty());
        let d = c("givenName: 'A'");
        assert!(d[0].1.contains("`given_name`"), "{}", d[0].1);
        assert_eq!(c("'custom:tier': 'x'").len(), 1);
        assert_eq!(c("nick_name: 'x'").len(), 1);
        let unread = "import { defineAuth } from '@aws-amplify/backend';
export const auth = defineAuth({ loginWith: { email: true }, userAttributes: { ...more } });";
        let view = backend(&[unread]);
        let src = format!("{imp}signUp({{ username, password, options: {{ userAttributes: {{ 'custom:tier': 'x' }} }} }});");
        assert!(diagnostics(&view, &src, Lang::Tsx).is_empty());
    }

    #[test]
    fn completion() {
        let view = backend(&[AUTH]);
        let inserts = |src: &str| -> Vec<String> {
            with_cx(&view, src, Lang::Tsx, |cx| complete(cx, src.len()))
                .unwrap_or_default()
                .into_iter()
                .map(|i| i.insert)
                .collect()
        };
        let imp = "import { signInWithRedirect, signUp } from 'aws-amplify/auth';\n";
        assert_eq!(
            inserts(&format!("{imp}signInWithRedirect({{ provider: 'G")),
            vec!["Google"]
        );
        assert_eq!(
            inserts(&format!(
                "{imp}signInWithRedirect({{ provider: {{ custom: '"
            )),
            vec!["Corp"]
        );
        let attrs = inserts(&format!(
            "{imp}signUp({{ username, options: {{ userAttributes: {{ email, gi"
        ));
        assert!(
            attrs.contains(&"given_name".to_string())
                && attrs.contains(&"'custom:plan'".to_string())
        );
        assert!(inserts(&format!(
            "{imp}signUp({{ username, options: {{ userAttributes: {{ email: "
        ))
        .is_empty());
    }
}
