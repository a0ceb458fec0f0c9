//! Auth rules (`defineAuth`, and `access` of `referenceAuth`): login methods, passwordless and MFA
//! combinations, verification-message callbacks, external providers (URLs and credentials), senders, and
//! access rules.
//!
//! Values follow JavaScript truthiness the way Amplify tests them (`email: false` is off, `email: {}` is
//! on). Only literals are judged (identifiers are followed one level through the file's top-level
//! bindings); when a value is not known, the rules that depend on it stay silent.
//!
//! Confirmed with the synth tool: `email: false, phone: false` with external providers is rejected; a plain
//! string in an `oidc` entry is rejected; a custom email sender (`{ handler }`) does not satisfy email MFA;
//! only `snsCallerArn` without `externalId` is rejected; `phone: true` does not enable `SMS_OTP`; MFA
//! `OFF` with phone sign-in needs no `sms`; a callback that hands its parameter to a helper is accepted.

use super::validators;
use super::RuleCtx;
use crate::analysis::{Diagnostic, Related, Severity};
use crate::model::file::{Define, DefineKind};
use crate::model::value::{Func, Kind, Prop, Value};
use crate::text::Span;

const LOGIN_REQUIRED: &str = "auth/login-required";
const WEBAUTHN_NEEDS_LOGIN: &str = "auth/webauthn-needs-login";
const PASSWORDLESS_MFA_REQUIRED: &str = "auth/passwordless-mfa-required";
const PREFERRED_CHALLENGE: &str = "auth/preferred-challenge";
const CALLBACK_NOT_CALLED: &str = "auth/callback-not-called";
const MFA_SMS_REQUIRED: &str = "auth/mfa-sms-required";
const MFA_EMAIL_SENDER: &str = "auth/mfa-email-sender";
const EMPTY_URLS: &str = "auth/empty-urls";
const SMS_SENDER_PAIR: &str = "auth/sms-sender-pair";
const EMPTY_ACTIONS: &str = "auth/empty-actions";
const HARDCODED_SECRET: &str = "security/hardcoded-secret";
const MFA_SMS_LENGTH: &str = "auth/mfa-sms-length";
const SENDER_KMS_KEY: &str = "auth/sender-kms-key";
/// The longest MFA text message Cognito takes, as Amplify renders it (the code as `{####}`).
const MFA_SMS_MAX: usize = 140;

pub fn check(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for d in &cx.file.defines {
        match d.kind {
            DefineKind::Auth => auth(cx, d, out),
            DefineKind::ReferenceAuth => {
                if let Some(arg) = d.arg.as_ref().map(|a| cx.file.resolve(a)) {
                    access(cx, arg, out);
                }
            }
            _ => {}
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

/// JavaScript truthiness of a value; `None` when it is not known.
fn truthy(v: &Value) -> Option<bool> {
    match &v.kind {
        Kind::Str(s) => Some(!s.is_empty()),
        Kind::Num(n) => Some(*n != 0.0 && !n.is_nan()),
        Kind::Bool(b) => Some(*b),
        Kind::Null | Kind::Undefined => Some(false),
        Kind::Array(_) | Kind::Object(_) | Kind::Func(_) => Some(true),
        _ => None,
    }
}

/// A known object literal: its properties are all visible (no spread).
fn known_object(v: &Value) -> Option<&Value> {
    (v.as_object().is_some() && !v.has_spread()).then_some(v)
}

/// One property of an object literal, resolved.
struct Field<'a> {
    prop: Option<&'a Prop>,
    value: Option<&'a Value>,
}

impl<'a> Field<'a> {
    fn of(cx: &RuleCtx<'a>, obj: &'a Value, key: &str) -> Field<'a> {
        let prop = obj.get(key);
        Field {
            prop,
            value: prop.map(|p| cx.file.resolve(&p.value)),
        }
    }
    /// Truthiness, with an absent property falsy (the object must be a [`known_object`]).
    fn truthy(&self) -> Option<bool> {
        match self.value {
            Some(v) => truthy(v),
            None => Some(false),
        }
    }
    fn key_span(&self) -> Option<Span> {
        self.prop.map(|p| p.key_span)
    }
    fn object(&self) -> Option<&'a Value> {
        self.value.and_then(known_object)
    }
    fn str(&self) -> Option<&'a str> {
        self.value.and_then(Value::as_str)
    }
}

fn auth(cx: &RuleCtx, d: &Define, out: &mut Vec<Diagnostic>) {
    let Some(arg) = d.arg.as_ref().map(|a| cx.file.resolve(a)) else {
        return;
    };
    if arg.as_object().is_none() {
        return;
    }
    if let Some(name) = arg.field("name").map(|n| cx.file.resolve(n)) {
        if let Some(s) = name.as_str().filter(|s| !s.is_empty()) {
            if let Some(f) = validators::resource_name(s) {
                out.push(Diagnostic::new(
                    name.span,
                    Severity::Error,
                    f.code,
                    f.message,
                ));
            }
        }
    }
    access(cx, arg, out);
    let spread = arg.has_spread();
    let field = |key: &str| Field::of(cx, arg, key);
    let multifactor = field("multifactor");
    let senders = field("senders");
    let login = field("loginWith");
    let Some(lw) = login.object() else {
        // without loginWith only the MFA message callback can be judged
        mfa_sms_message(cx, &multifactor, out);
        return;
    };
    let lw_key = login.key_span().unwrap_or(d.callee_span);
    let email = Field::of(cx, lw, "email");
    let phone = Field::of(cx, lw, "phone");
    let external = Field::of(cx, lw, "externalProviders");
    let webauthn = Field::of(cx, lw, "webAuthn");

    // at least email or phone
    if email.truthy() == Some(false) && phone.truthy() == Some(false) {
        let message = match external.truthy() {
            Some(true) => {
                "external providers alone are not enough: Amplify needs `email` or `phone` in `loginWith` as well \
                 (e.g. `email: true`)"
            }
            _ => "`loginWith` enables no way to sign in: add `email: true` or `phone: true`",
        };
        out.push(Diagnostic::new(
            lw_key,
            Severity::Error,
            LOGIN_REQUIRED,
            message,
        ));
        if let (Some(true), Some(key)) = (webauthn.truthy(), webauthn.key_span()) {
            out.push(Diagnostic::new(
                key,
                Severity::Error,
                WEBAUTHN_NEEDS_LOGIN,
                "passkeys are registered after an account exists, so `webAuthn` needs `email` or `phone` in \
                 `loginWith` to create accounts with",
            ));
        }
    }

    // webAuthn relying party
    if let Some(wa) = webauthn.object() {
        let rp = Field::of(cx, wa, "relyingPartyId");
        if let (Some(s), Some(v)) = (rp.str().filter(|s| !s.is_empty()), rp.value) {
            if let Some(f) = validators::relying_party_id(s) {
                out.push(Diagnostic::new(v.span, Severity::Error, f.code, f.message));
            }
        }
    }

    // passwordless methods
    let otp = |f: &Field| -> Option<(bool, Option<Span>)> {
        match f.value {
            None => Some((false, None)),
            Some(v) => match known_object(v) {
                Some(o) => {
                    let o = Field::of(cx, o, "otpLogin");
                    Some((o.truthy()?, o.key_span()))
                }
                None if v.as_object().is_some() => None,
                None => truthy(v).map(|_| (false, None)),
            },
        }
    };
    let email_otp = otp(&email);
    let sms_otp = otp(&phone);
    let webauthn_on = webauthn.truthy();
    // the passwordless-vs-MFA check compares `otpLogin === true`: the `otpLogin` key when it is literally true
    let otp_true = |f: &Field| -> Option<Span> {
        let o = Field::of(cx, f.object()?, "otpLogin");
        (o.value?.as_bool() == Some(true))
            .then(|| o.key_span())
            .flatten()
    };

    // MFA
    let mfa = multifactor.object();
    let mode = mfa.map(|m| Field::of(cx, m, "mode"));
    let mode_str = mode.as_ref().and_then(Field::str);
    if let (Some("REQUIRED"), Some(mode_value)) = (mode_str, mode.as_ref().and_then(|m| m.value)) {
        let passwordless = [
            (otp_true(&email), "email one-time codes"),
            (otp_true(&phone), "SMS one-time codes"),
            (
                webauthn_on.filter(|on| *on).and(webauthn.key_span()),
                "passkeys",
            ),
        ];
        let on: Vec<(Span, &str)> = passwordless
            .iter()
            .filter_map(|(s, what)| s.map(|s| (s, *what)))
            .collect();
        if !on.is_empty() {
            let what: Vec<&str> = on.iter().map(|(_, w)| *w).collect();
            let mut diag = Diagnostic::new(
                mode_value.span,
                Severity::Error,
                PASSWORDLESS_MFA_REQUIRED,
                format!(
                    "Cognito cannot combine passwordless sign-in ({}) with MFA `REQUIRED`: use `mode: 'OPTIONAL'`, \
                     or turn the passwordless methods off",
                    what.join(", ")
                ),
            );
            for (s, w) in &on {
                diag.related
                    .push(related(*s, format!("{w} are enabled here")));
            }
            out.push(diag);
        }
    }
    let mfa_on = matches!(mode_str, Some("OPTIONAL" | "REQUIRED"));
    if let (true, Some(m)) = (mfa_on, mfa) {
        let sms = Field::of(cx, m, "sms");
        if phone.truthy() == Some(true) && sms.truthy() == Some(false) {
            let mut diag = Diagnostic::new(
                multifactor.key_span().unwrap_or(d.callee_span),
                Severity::Error,
                MFA_SMS_REQUIRED,
                "with phone sign-in, Cognito needs SMS as one of the MFA methods when MFA is on: add `sms: true` \
                 to `multifactor`",
            );
            if let Some(p) = phone.key_span() {
                diag.related
                    .push(related(p, "phone sign-in is enabled here"));
            }
            out.push(diag);
        }
        let mfa_email = Field::of(cx, m, "email");
        if mfa_email.truthy() == Some(true) && !spread {
            let ses = match senders.value {
                None => Some(false),
                Some(s) => known_object(s).and_then(|s| {
                    let e = Field::of(cx, s, "email");
                    match e.value {
                        None => Some(false),
                        Some(v) => known_object(v).map(|o| o.get("fromEmail").is_some()),
                    }
                }),
            };
            if let (Some(false), Some(key)) = (ses, mfa_email.key_span()) {
                out.push(Diagnostic::new(
                    key,
                    Severity::Error,
                    MFA_EMAIL_SENDER,
                    "email MFA needs Amazon SES to send the codes: add `senders: { email: { fromEmail: '...' } }` \
                     with an address verified in SES",
                ));
            }
        }
    }

    // preferred challenge
    if let Some(po) = field("passwordlessOptions").object() {
        let pc = Field::of(cx, po, "preferredChallenge");
        if let (Some(ch), Some(v)) = (pc.str(), pc.value) {
            let (enabled, how) = match ch {
                "EMAIL_OTP" => (
                    email_otp.map(|o| o.0),
                    "`loginWith: { email: { otpLogin: true } }`",
                ),
                "SMS_OTP" => (
                    sms_otp.map(|o| o.0),
                    "`loginWith: { phone: { otpLogin: true } }`",
                ),
                "WEB_AUTHN" => (webauthn_on, "`loginWith: { webAuthn: true }`"),
                _ => (None, ""),
            };
            if enabled == Some(false) {
                out.push(Diagnostic::new(
                    v.span,
                    Severity::Error,
                    PREFERRED_CHALLENGE,
                    format!("`{ch}` is not enabled, so it cannot be the preferred challenge: enable it with {how}, or prefer `PASSWORD`"),
                ));
            }
        }
    }

    // verification callbacks
    if let Some(e) = email.object() {
        let link = Field::of(cx, e, "verificationEmailStyle").str() == Some("LINK");
        let body = Field::of(cx, e, "verificationEmailBody");
        let what = if link {
            "the verification email must contain the link: call `createLink()` (optionally with the link text) \
             in `verificationEmailBody`, e.g. `(createLink) => 'Verify your address: ' + createLink()`"
        } else {
            "the verification email must contain the code: call `createCode()` in `verificationEmailBody`, e.g. \
             `(createCode) => 'Your code is ' + createCode()`"
        };
        callback(cx, &body, what, out);
    }
    if let Some(p) = phone.object() {
        let msg = Field::of(cx, p, "verificationMessage");
        callback(
            cx,
            &msg,
            "the verification SMS must contain the code: call `createCode()` in `verificationMessage`, e.g. \
             `(createCode) => 'Your code is ' + createCode()`",
            out,
        );
    }
    mfa_sms_message(cx, &multifactor, out);

    // external providers
    if let Some(ext) = external.object() {
        for key in ["callbackUrls", "logoutUrls"] {
            let urls = Field::of(cx, ext, key);
            if let Some(v) = urls
                .value
                .filter(|v| v.as_array().is_some_and(<[Value]>::is_empty))
            {
                out.push(Diagnostic::new(
                    v.span,
                    Severity::Error,
                    EMPTY_URLS,
                    format!(
                        "`{key}` must list at least one URL for sign-in with external providers, e.g. \
                         `['http://localhost:3000/']` for local development"
                    ),
                ));
            }
        }
        provider_secrets(cx, ext, out);
    }

    sender_kms_keys(cx, &senders, out);
    // SMS sender role
    if let Some(s) = senders.object() {
        if let Some(sms) = Field::of(cx, s, "sms")
            .object()
            .filter(|o| o.get("handler").is_none())
        {
            let id = Field::of(cx, sms, "externalId");
            let arn = Field::of(cx, sms, "snsCallerArn");
            let pair = [
                (&id, "externalId", "snsCallerArn"),
                (&arn, "snsCallerArn", "externalId"),
            ];
            for (present, have, missing) in pair {
                let other = if have == "externalId" { &arn } else { &id };
                if let (Some(true), Some(false), Some(key)) =
                    (present.truthy(), other.truthy(), present.key_span())
                {
                    out.push(Diagnostic::new(
                        key,
                        Severity::Error,
                        SMS_SENDER_PAIR,
                        format!(
                            "`{have}` and `{missing}` go together (the role's trust policy checks the external \
                             id): add `{missing}`, or remove `{have}`"
                        ),
                    ));
                }
            }
        }
    }
}

/// `multifactor.sms.smsMessage`: Amplify calls it when MFA is not `OFF` and `sms` is an object.
fn mfa_sms_message(cx: &RuleCtx, multifactor: &Field, out: &mut Vec<Diagnostic>) {
    let Some(m) = multifactor.object() else {
        return;
    };
    let mode = Field::of(cx, m, "mode");
    let off = match mode.value {
        None => false,
        Some(v) => match v.as_str() {
            Some(s) => s == "OFF",
            None => return,
        },
    };
    if off {
        return;
    }
    if let Some(sms) = Field::of(cx, m, "sms").object() {
        let msg = Field::of(cx, sms, "smsMessage");
        callback(
            cx,
            &msg,
            "the MFA text message must contain the code: call `createCode()` in `smsMessage`, e.g. \
             `(createCode) => 'Your sign-in code is ' + createCode()`",
            out,
        );
        mfa_sms_length(cx, &msg, out);
    }
}

/// `auth/mfa-sms-length`: the MFA text message, rendered the way Amplify renders it (the code becomes the
/// six characters `{####}`), is longer than Cognito allows.
fn mfa_sms_length(cx: &RuleCtx, field: &Field, out: &mut Vec<Diagnostic>) {
    let Some(func) = field.value.and_then(Value::as_func) else {
        return;
    };
    let (Some(param), Some(body)) = (func.params.first(), func.body.as_ref()) else {
        return;
    };
    // an expression body only: a block may return other texts on other paths
    if param.is_empty() || body.span != func.body_span {
        return;
    }
    let Some(text) = cx.src.get(body.span.start..body.span.end) else {
        return;
    };
    let Some(len) = rendered_len(text, param) else {
        return;
    };
    if len > MFA_SMS_MAX {
        out.push(Diagnostic::new(
            body.span,
            Severity::Error,
            MFA_SMS_LENGTH,
            format!(
                "this MFA text message is {len} characters long once the code is filled in (Amplify counts the \
                 code as 6), over the {MFA_SMS_MAX} a text message may have: shorten it"
            ),
        ));
    }
}

/// The length (UTF-16 units, as JavaScript counts) of a message built only from string literals and calls of
/// `code()` (each rendered as `{####}`): a template literal, or literals and calls joined by `+`. `None` for
/// anything else.
fn rendered_len(expr: &str, code: &str) -> Option<usize> {
    const CODE_LEN: usize = 6;
    let call = format!("{code}()");
    let units = |s: &str| s.encode_utf16().count();
    let e = expr.trim();
    if let Some(inner) = e.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        if inner.contains('\\') || inner.contains('`') {
            return None;
        }
        let mut len = 0;
        let mut rest = inner;
        while let Some(i) = rest.find("${") {
            len += units(&rest[..i]);
            let after = &rest[i + 2..];
            let close = after.find('}')?;
            if after[..close].trim() != call {
                return None;
            }
            len += CODE_LEN;
            rest = &after[close + 1..];
        }
        return Some(len + units(rest));
    }
    let mut len = 0;
    for part in e.split('+') {
        let part = part.trim();
        if part == call {
            len += CODE_LEN;
            continue;
        }
        let quote = part.chars().next()?;
        if !matches!(quote, '\'' | '"') {
            return None;
        }
        let inner = part.strip_prefix(quote)?.strip_suffix(quote)?;
        if inner.contains('\\') || inner.contains(quote) {
            return None;
        }
        len += units(inner);
    }
    Some(len)
}

/// `auth/sender-kms-key`: both custom senders (Lambda handlers) name a KMS key, and not the same one.
fn sender_kms_keys(cx: &RuleCtx, senders: &Field, out: &mut Vec<Diagnostic>) {
    let Some(s) = senders.object() else { return };
    let key_of = |which: &str| {
        let o = Field::of(cx, s, which).object()?;
        o.get("handler")?;
        let k = Field::of(cx, o, "kmsKeyArn");
        Some((k.str()?, k.value?.span))
    };
    let (Some((email, email_span)), Some((sms, sms_span))) = (key_of("email"), key_of("sms"))
    else {
        return;
    };
    if email == sms {
        return;
    }
    let mut d = Diagnostic::new(
        sms_span,
        Severity::Error,
        SENDER_KMS_KEY,
        "the custom email and SMS senders must use the same KMS key: give both the same `kmsKeyArn`",
    );
    d.related
        .push(related(email_span, "the email sender's key"));
    out.push(d);
}

/// A message callback that never calls the function it is given (so the code or link is missing).
fn callback(cx: &RuleCtx, field: &Field, message: &str, out: &mut Vec<Diagnostic>) {
    let (Some(value), Some(key)) = (field.value, field.key_span()) else {
        return;
    };
    let Some(func) = value.as_func() else { return };
    if !never_calls_first_param(cx, func) {
        return;
    }
    out.push(Diagnostic::new(
        key,
        Severity::Error,
        CALLBACK_NOT_CALLED,
        message,
    ));
}

/// Whether the callback certainly ignores its first parameter: it has none (and does not read `arguments`),
/// or the parameter is never called nor even mentioned (it could be handed on to a helper).
fn never_calls_first_param(cx: &RuleCtx, func: &Func) -> bool {
    let body = cx
        .src
        .get(func.body_span.start..func.body_span.end)
        .unwrap_or_default();
    match func.params.first() {
        None => !mentions(body, "arguments"),
        // a destructuring pattern: we do not know
        Some(p) if p.is_empty() => false,
        Some(p) => !func.param_called.first().copied().unwrap_or(true) && !mentions(body, p),
    }
}

/// Whether `word` appears in `text` as a whole identifier.
fn mentions(text: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut start = 0;
    while let Some(i) = text[start..].find(word) {
        let at = start + i;
        let end = at + word.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(is_ident) && !after.is_some_and(is_ident) {
            return true;
        }
        start = end;
    }
    false
}

/// Provider credentials must be `secret('NAME')`: a plain string fails the deployment (and leaks the value).
fn provider_secrets(cx: &RuleCtx, ext: &Value, out: &mut Vec<Diagnostic>) {
    const PROVIDERS: [(&str, &[&str]); 4] = [
        ("google", &["clientId", "clientSecret"]),
        ("facebook", &["clientId", "clientSecret"]),
        ("loginWithAmazon", &["clientId", "clientSecret"]),
        (
            "signInWithApple",
            &["clientId", "teamId", "keyId", "privateKey"],
        ),
    ];
    let mut check = |provider: &str, obj: &Value, keys: &[&str]| {
        for key in keys {
            let Some(prop) = obj.get(key) else { continue };
            let v = cx.file.resolve(&prop.value);
            if matches!(v.kind, Kind::Str(_) | Kind::Template) {
                let name = validators::secret_name(provider, key);
                out.push(Diagnostic::new(
                    prop.value.span,
                    Severity::Error,
                    HARDCODED_SECRET,
                    format!(
                        "`{key}` of `{provider}` must be a secret, not a plain string (Amplify fails to deploy it, and \
                         the value would sit in source control): run `npx ampx sandbox secret set {name}` and write \
                         `secret('{name}')`"
                    ),
                ));
            }
        }
    };
    for (provider, keys) in PROVIDERS {
        if let Some(obj) = ext.field(provider).map(|v| cx.file.resolve(v)) {
            if obj.as_object().is_some() {
                check(provider, obj, keys);
            }
        }
    }
    if let Some(list) = ext
        .field("oidc")
        .map(|v| cx.file.resolve(v))
        .and_then(Value::as_array)
    {
        for entry in list {
            let entry = cx.file.resolve(entry);
            if entry.as_object().is_some() {
                check("oidc", entry, &["clientId", "clientSecret"]);
            }
        }
    }
}

/// `access: (allow) => [allow.resource(fn).to([])]`: every rule needs at least one action.
fn access(cx: &RuleCtx, arg: &Value, out: &mut Vec<Diagnostic>) {
    let Some(func) = arg
        .field("access")
        .map(|a| cx.file.resolve(a))
        .and_then(Value::as_func)
    else {
        return;
    };
    let Some(param) = func.params.first().filter(|p| !p.is_empty()) else {
        return;
    };
    let Some(rules) = func.body.as_ref().and_then(Value::as_array) else {
        return;
    };
    for rule in rules {
        let Some(chain) = rule.chain() else { continue };
        if chain.root != param || chain.links.len() != 2 || chain.links[1].name != "to" {
            continue;
        }
        let Some(actions) = chain.links[1]
            .args
            .and_then(<[Value]>::first)
            .map(|a| cx.file.resolve(a))
        else {
            continue;
        };
        if actions.as_array().is_some_and(<[Value]>::is_empty) {
            out.push(Diagnostic::new(
                actions.span,
                Severity::Error,
                EMPTY_ACTIONS,
                "an access rule needs at least one action, e.g. `['listUsers']` or `['manageUsers']`; Amplify \
                 refuses an empty list",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::testkit::{self, facts, found, run_with};
    use super::*;

    fn run(src: &str) -> Vec<Diagnostic> {
        run_with(
            check,
            src,
            Some(Path::new("/p/amplify/auth/resource.ts")),
            &facts(true, &[]),
        )
    }

    fn auth(props: &str) -> String {
        format!("import {{ defineAuth, secret }} from '@aws-amplify/backend';\nexport const auth = defineAuth({{\n{props}\n}});\n")
    }

    #[test]
    fn login_methods() {
        let src = auth("  loginWith: {},");
        assert_eq!(
            found(&src, &run(&src)),
            [("auth/login-required", "loginWith")]
        );
        let src = auth("  loginWith: { email: false, externalProviders: { callbackUrls: ['a'], logoutUrls: ['b'] } },");
        let d = run(&src);
        assert_eq!(found(&src, &d), [("auth/login-required", "loginWith")]);
        assert!(d[0].message.contains("external providers"));
        let src = auth("  loginWith: { webAuthn: true },");
        assert_eq!(
            found(&src, &run(&src)),
            [
                ("auth/login-required", "loginWith"),
                ("auth/webauthn-needs-login", "webAuthn")
            ]
        );
        for ok in [
            "  loginWith: { email: true, webAuthn: true },",
            "  loginWith: { phone: {} },",
            "  loginWith: { email: EMAIL },",
            "  loginWith: { ...base },",
            "  loginWith: login,",
        ] {
            let src = auth(ok);
            assert!(run(&src).is_empty(), "{ok}");
        }
    }

    #[test]
    fn relying_party() {
        let src = auth("  loginWith: { email: true, webAuthn: { relyingPartyId: 'https://app.example.com' } },");
        assert_eq!(
            found(&src, &run(&src)),
            [("auth/relying-party-id", "'https://app.example.com'")]
        );
        for ok in ["'app.example.com'", "'AUTO'", "'localhost'", "''", "RP"] {
            let src = auth(&format!(
                "  loginWith: {{ email: true, webAuthn: {{ relyingPartyId: {ok} }} }},"
            ));
            assert!(run(&src).is_empty(), "{ok}");
        }
    }

    #[test]
    fn passwordless_with_required_mfa() {
        let src = auth("  loginWith: { email: { otpLogin: true } },\n  multifactor: { mode: 'REQUIRED', totp: true },");
        let d = run(&src);
        assert_eq!(
            found(&src, &d),
            [("auth/passwordless-mfa-required", "'REQUIRED'")]
        );
        assert_eq!(d[0].related.len(), 1);
        let src = auth("  loginWith: { email: true, webAuthn: true },\n  multifactor: { mode: 'REQUIRED', totp: true },");
        assert_eq!(
            found(&src, &run(&src)),
            [("auth/passwordless-mfa-required", "'REQUIRED'")]
        );
        for ok in [
            "  loginWith: { email: { otpLogin: true } },\n  multifactor: { mode: 'OPTIONAL', totp: true },",
            "  loginWith: { email: { otpLogin: false } },\n  multifactor: { mode: 'REQUIRED', totp: true },",
            "  loginWith: { email: { otpLogin: OTP } },\n  multifactor: { mode: 'REQUIRED', totp: true },",
            "  loginWith: { email: { otpLogin: 1 } },\n  multifactor: { mode: 'REQUIRED', totp: true },",
        ] {
            let src = auth(ok);
            assert!(run(&src).is_empty(), "{ok}");
        }
    }

    #[test]
    fn preferred_challenge() {
        let src = auth("  loginWith: { email: true },\n  passwordlessOptions: { preferredChallenge: 'EMAIL_OTP' },");
        assert_eq!(
            found(&src, &run(&src)),
            [("auth/preferred-challenge", "'EMAIL_OTP'")]
        );
        let src = auth("  loginWith: { email: { otpLogin: true } },\n  passwordlessOptions: { preferredChallenge: 'WEB_AUTHN' },");
        assert_eq!(
            found(&src, &run(&src)),
            [("auth/preferred-challenge", "'WEB_AUTHN'")]
        );
        for ok in [
            "  loginWith: { email: { otpLogin: true } },\n  passwordlessOptions: { preferredChallenge: 'EMAIL_OTP' },",
            "  loginWith: { email: true },\n  passwordlessOptions: { preferredChallenge: 'PASSWORD' },",
            "  loginWith: { phone: settings },\n  passwordlessOptions: { preferredChallenge: 'SMS_OTP' },",
            "  loginWith: { email: true, webAuthn: wa },\n  passwordlessOptions: { preferredChallenge: 'WEB_AUTHN' },",
        ] {
            let src = auth(ok);
            assert!(run(&src).is_empty(), "{ok}");
        }
    }

    #[test]
    fn callbacks_must_use_their_parameter() {
        let src = auth("  loginWith: { email: { verificationEmailBody: () => 'Thanks!' } },");
        assert_eq!(
            found(&src, &run(&src)),
            [("auth/callback-not-called", "verificationEmailBody")]
        );
        let src = auth("  loginWith: { email: { verificationEmailStyle: 'LINK', verificationEmailBody: (createLink) => 'Click the link' } },");
        let d = run(&src);
        assert_eq!(
            found(&src, &d),
            [("auth/callback-not-called", "verificationEmailBody")]
        );
        assert!(d[0].message.contains("createLink"));
        let src = auth("  loginWith: { phone: { verificationMessage: (createCode) => 'soon' } },");
        assert_eq!(
            found(&src, &run(&src)),
            [("auth/callback-not-called", "verificationMessage")]
        );
        let src = auth("  loginWith: { email: true },\n  multifactor: { mode: 'OPTIONAL', sms: { smsMessage: () => 'code sent' } },");
        assert_eq!(
            found(&src, &run(&src)),
            [("auth/callback-not-called", "smsMessage")]
        );
        for ok in [
            "  loginWith: { email: { verificationEmailBody: (createCode) => `Code: ${createCode()}` } },",
            "  loginWith: { email: { verificationEmailBody: (c) => render(c) } },",
            "  loginWith: { email: { verificationEmailBody: ({ length }) => 'x' } },",
            "  loginWith: { email: { verificationEmailBody: function () { return arguments[0](); } } },",
            "  loginWith: { email: { verificationEmailBody: body } },",
            "  loginWith: { email: true },\n  multifactor: { mode: 'OFF', sms: { smsMessage: () => 'x' } },",
            "  loginWith: { phone: { verificationMessage: (createCode) => { const c = createCode(); return `Code ${c}`; } } },",
        ] {
            let src = auth(ok);
            assert!(run(&src).is_empty(), "{ok}");
        }
    }

    #[test]
    fn mfa_methods() {
        let src =
            auth("  loginWith: { phone: true },\n  multifactor: { mode: 'OPTIONAL', totp: true },");
        let d = run(&src);
        assert_eq!(found(&src, &d), [("auth/mfa-sms-required", "multifactor")]);
        assert_eq!(d[0].related.len(), 1);
        let src = auth(
            "  loginWith: { email: true },\n  multifactor: { mode: 'OPTIONAL', email: true },",
        );
        assert_eq!(
            found(&src, &run(&src)),
            [("auth/mfa-email-sender", "email")]
        );
        let src = auth("  loginWith: { email: true },\n  multifactor: { mode: 'OPTIONAL', email: true },\n  senders: { email: { handler: sender } },");
        assert_eq!(
            found(&src, &run(&src)),
            [("auth/mfa-email-sender", "email")]
        );
        for ok in [
            "  loginWith: { phone: true },\n  multifactor: { mode: 'OPTIONAL', totp: true, sms: true },",
            "  loginWith: { phone: true },\n  multifactor: { mode: 'OFF' },",
            "  loginWith: { phone: true },\n  multifactor: { mode: MODE, totp: true },",
            "  loginWith: { email: true },\n  multifactor: { mode: 'OPTIONAL', email: true },\n  senders: { email: { fromEmail: 'a@b.c' } },",
            "  loginWith: { email: true },\n  multifactor: { mode: 'OPTIONAL', email: true },\n  senders: SENDERS,",
        ] {
            let src = auth(ok);
            assert!(run(&src).is_empty(), "{ok}");
        }
    }

    #[test]
    fn external_providers() {
        let src = auth("  loginWith: { email: true, externalProviders: { callbackUrls: [], logoutUrls: [] } },");
        assert_eq!(
            found(&src, &run(&src)),
            [("auth/empty-urls", "[]"), ("auth/empty-urls", "[]")]
        );
        let value = "GOCSPX-9gR2_example_only_4kQ";
        let src = auth(&format!(
            "  loginWith: {{ email: true, externalProviders: {{\n    google: {{ clientId: secret('GOOGLE_CLIENT_ID'), clientSecret: '{value}' }},\n    \
             oidc: [{{ name: 'corp', clientId: `x`, clientSecret: secret('S'), issuerUrl: 'https://issuer.example.com' }}],\n    \
             callbackUrls: ['http://localhost:3000/'], logoutUrls: ['http://localhost:3000/'] }} }},"
        ));
        let d = run(&src);
        assert_eq!(
            found(&src, &d),
            [
                (
                    "security/hardcoded-secret",
                    "'GOCSPX-9gR2_example_only_4kQ'"
                ),
                ("security/hardcoded-secret", "`x`")
            ]
        );
        assert!(d
            .iter()
            .all(|d| d.severity == Severity::Error && !d.message.contains(value)));
        assert!(d[0].message.contains("secret('GOOGLE_CLIENT_SECRET')"));
        let src = auth("  loginWith: { email: true, externalProviders: { google: { clientId: ID, clientSecret: secret('G') }, callbackUrls: URLS, logoutUrls: ['x'] } },");
        assert!(run(&src).is_empty());
    }

    #[test]
    fn sms_sender_pair() {
        let src =
            auth("  loginWith: { phone: true },\n  senders: { sms: { externalId: 'acme-sms' } },");
        assert_eq!(
            found(&src, &run(&src)),
            [("auth/sms-sender-pair", "externalId")]
        );
        let src = auth("  loginWith: { phone: true },\n  senders: { sms: { snsCallerArn: 'arn:aws:iam::1:role/r' } },");
        assert_eq!(
            found(&src, &run(&src)),
            [("auth/sms-sender-pair", "snsCallerArn")]
        );
        for ok in [
            "  loginWith: { phone: true },\n  senders: { sms: { externalId: 'a', snsCallerArn: 'arn:aws:iam::1:role/r' } },",
            "  loginWith: { phone: true },\n  senders: { sms: { externalId: 'a', snsCallerArn: ARN } },",
            "  loginWith: { phone: true },\n  senders: { sms: { handler: fn, externalId: 'a' } },",
        ] {
            let src = auth(ok);
            assert!(run(&src).is_empty(), "{ok}");
        }
    }

    #[test]
    fn access_and_names() {
        let src = auth("  loginWith: { email: true },\n  name: 'my.auth',\n  access: (allow) => [allow.resource(fn).to([]), allow.resource(fn).to(['listUsers'])],");
        assert_eq!(
            found(&src, &run(&src)),
            [
                ("backend/resource-name", "'my.auth'"),
                ("auth/empty-actions", "[]")
            ]
        );
        let src = "export const auth = referenceAuth({ userPoolId: 'x', access: (a) => [a.resource(f).to([])] });";
        assert_eq!(found(src, &run(src)), [("auth/empty-actions", "[]")]);
        let src = auth("  loginWith: { email: true },\n  name: '',\n  access: (allow) => [allow.resource(fn).to(ACTIONS)],");
        assert!(run(&src).is_empty());
    }

    #[test]
    fn mentions_whole_words_only() {
        assert!(mentions("render(c)", "c"));
        assert!(!mentions("'code'", "c"));
        assert!(!mentions("createCodex()", "createCode"));
        assert!(mentions("x + createCode", "createCode"));
    }

    #[test]
    fn fixtures() {
        let owned = |_: &str, file: &str, code: &str| {
            code.starts_with("auth/")
                || (code == "security/hardcoded-secret" && file.contains("auth"))
                || (code == "backend/resource-name" && file.contains("auth"))
        };
        let ran = testkit::check_fixtures(
            check,
            &[
                "auth__",
                "security__hardcoded-secret",
                "backend__resource-name",
            ],
            &owned,
            // the synth tool accepts an IPv4 address as relying party id (it matches Amplify's domain pattern)
            &["auth__relying-party-id/bad-3"],
        );
        assert!(ran > 30, "{ran}");
    }

    #[test]
    fn mfa_sms_length() {
        let long = "x".repeat(130);
        let src = auth(&format!(
            "  loginWith: {{ email: true }},\n  multifactor: {{ mode: 'OPTIONAL', sms: {{ smsMessage: (code) => `{long} ${{code()}}!!!!` }} }},"
        ));
        let d = run(&src);
        assert_eq!(
            d.iter().map(|d| d.code).collect::<Vec<_>>(),
            [MFA_SMS_LENGTH]
        );
        assert!(d[0].message.contains("141"));
        // exactly 140
        let ok = src.replace("!!!!`", "!!!`");
        assert!(run(&ok).is_empty());
        // MFA off: never rendered
        assert!(run(&src.replace("'OPTIONAL'", "'OFF'")).is_empty());
    }

    #[test]
    fn rendered_lengths() {
        assert_eq!(rendered_len("`Code: ${c()}`", "c"), Some(12));
        assert_eq!(rendered_len("'Code: ' + c() + \"!\"", "c"), Some(13));
        assert_eq!(rendered_len("`é ${c()}`", "c"), Some(8));
        assert_eq!(rendered_len("`${name} ${c()}`", "c"), None);
        assert_eq!(rendered_len("'a\\n' + c()", "c"), None);
        assert_eq!(rendered_len("prefix + c()", "c"), None);
    }

    #[test]
    fn sender_kms_keys() {
        let senders = |email: &str, sms: &str| {
            auth(&format!(
                "  loginWith: {{ email: true }},\n  senders: {{ email: {{ handler: f1, kmsKeyArn: '{email}' }}, sms: {{ handler: f2, kmsKeyArn: '{sms}' }} }},"
            ))
        };
        let src = senders("arn:k/1", "arn:k/2");
        assert_eq!(found(&src, &run(&src)), [(SENDER_KMS_KEY, "'arn:k/2'")]);
        assert!(run(&senders("arn:k/1", "arn:k/1")).is_empty());
        // only one key given
        let one = auth("  loginWith: { email: true },\n  senders: { email: { handler: f1, kmsKeyArn: 'a' }, sms: { handler: f2 } },");
        assert!(run(&one).is_empty());
    }
}
