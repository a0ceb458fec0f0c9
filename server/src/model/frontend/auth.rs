//! Auth as the client sees it: the configured external providers (in the client's names) and the declared
//! user attributes (in Cognito's names).

use crate::model::file::{DefineKind, FileModel};
use crate::model::value::{Kind, Value};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuthView {
    /// From a `defineAuth` (not only a file that customizes auth in code).
    pub defined: bool,
    /// Some backend file may change auth in code (CDK Cognito imports, auth outputs added with
    /// `backend.addOutput`), or the user pool is referenced (`referenceAuth`): the rules stay silent.
    pub overridden: bool,
    /// The built-in providers configured, as `signInWithRedirect` names them: `Google`, `Facebook`, `Amazon`,
    /// `Apple`.
    pub providers: Vec<String>,
    /// The OIDC and SAML providers' names (`{ custom: 'Name' }`).
    pub custom_providers: Vec<String>,
    /// `loginWith.externalProviders` was read completely (keys and the OIDC/SAML names).
    pub providers_known: bool,
    /// Declared user attributes, in Cognito's names (`given_name`, `custom:plan`).
    pub attributes: Vec<String>,
    /// `userAttributes` was read completely (absent, or an object of literal keys).
    pub attributes_known: bool,
}

/// The Cognito name of a `defineAuth` standard attribute key (`familyName` → `family_name`).
pub fn cognito_attribute(key: &str) -> Option<&'static str> {
    STANDARD.iter().find(|(k, _)| *k == key).map(|(_, c)| *c)
}

/// `defineAuth`'s standard attribute keys and their Cognito names.
pub const STANDARD: &[(&str, &str)] = &[
    ("address", "address"),
    ("birthdate", "birthdate"),
    ("email", "email"),
    ("familyName", "family_name"),
    ("gender", "gender"),
    ("givenName", "given_name"),
    ("locale", "locale"),
    ("middleName", "middle_name"),
    ("fullname", "name"),
    ("nickname", "nickname"),
    ("phoneNumber", "phone_number"),
    ("profilePicture", "picture"),
    ("preferredUsername", "preferred_username"),
    ("profilePage", "profile"),
    ("timezone", "zoneinfo"),
    ("lastUpdateTime", "updated_at"),
    ("website", "website"),
];

impl AuthView {
    /// Adds what another file tells: the `defineAuth` view wins, and a customization anywhere marks it.
    pub fn merge(&mut self, other: &AuthView) {
        if !self.defined && other.defined {
            let overridden = self.overridden;
            *self = other.clone();
            self.overridden |= overridden;
        } else {
            self.overridden |= other.overridden;
        }
    }

    /// Whether the rules may judge calls against this view.
    pub fn usable(&self) -> bool {
        self.defined && !self.overridden
    }
}

/// What a `defineAuth` file configures; `None` when the file neither defines nor customizes auth.
pub fn view_of(file: &FileModel) -> Option<AuthView> {
    let overridden = file.first(DefineKind::ReferenceAuth).is_some()
        || super::storage::customizes(file, &["aws-cdk-lib/aws-cognito"], &["aws_cognito"], "auth");
    let Some(d) = file.first(DefineKind::Auth) else {
        return overridden.then(|| AuthView {
            overridden,
            ..AuthView::default()
        });
    };
    let mut view = AuthView {
        defined: true,
        overridden,
        ..AuthView::default()
    };
    let Some(arg) = d
        .arg
        .as_ref()
        .map(|a| file.resolve(a))
        .filter(|a| a.as_object().is_some() && !a.has_spread())
    else {
        return Some(view);
    };
    if let Some(login) = arg
        .field("loginWith")
        .map(|l| file.resolve(l))
        .filter(|l| l.as_object().is_some() && !l.has_spread())
    {
        view.providers_known = read_providers(file, login, &mut view);
    }
    view.attributes_known = match arg.field("userAttributes") {
        None => true,
        Some(attrs) => read_attributes(file.resolve(attrs), &mut view),
    };
    if view.providers_known {
        view.providers.sort();
        view.custom_providers.sort();
    }
    view.attributes.sort();
    view.attributes.dedup();
    Some(view)
}

fn read_providers(file: &FileModel, login: &Value, view: &mut AuthView) -> bool {
    let Some(ext) = login.field("externalProviders") else {
        return true;
    };
    let ext = file.resolve(ext);
    let Some(props) = ext.as_object().filter(|_| !ext.has_spread()) else {
        return false;
    };
    let mut known = true;
    for p in props {
        let Some(key) = p.key.as_deref() else {
            return false;
        };
        let value = file.resolve(&p.value);
        match key {
            "google" => view.providers.push("Google".into()),
            "facebook" => view.providers.push("Facebook".into()),
            "loginWithAmazon" => view.providers.push("Amazon".into()),
            "signInWithApple" => view.providers.push("Apple".into()),
            "oidc" => match value.as_array() {
                Some(items) => {
                    for item in items {
                        match file.resolve(item).field("name").map(|n| file.resolve(n)) {
                            Some(n) if n.as_str().is_some() => view
                                .custom_providers
                                .push(n.as_str().unwrap_or_default().into()),
                            _ => known = false,
                        }
                    }
                }
                None => known = false,
            },
            "saml" => match value
                .field("name")
                .map(|n| file.resolve(n))
                .and_then(Value::as_str)
            {
                Some(n) => view.custom_providers.push(n.into()),
                None => known = false,
            },
            _ => {}
        }
    }
    known
}

fn read_attributes(attrs: &Value, view: &mut AuthView) -> bool {
    let Some(props) = attrs.as_object() else {
        return false;
    };
    let mut known = true;
    for p in props {
        if matches!(p.value.kind, Kind::Spread(_)) {
            known = false;
            continue;
        }
        match p.key.as_deref() {
            Some(k) if k.starts_with("custom:") => view.attributes.push(k.into()),
            Some(k) => match cognito_attribute(k) {
                Some(c) => view.attributes.push(c.into()),
                None => known = false,
            },
            None => known = false,
        }
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, Lang};

    fn view(src: &str) -> AuthView {
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        view_of(&FileModel::build(&tree, src, Lang::TypeScript)).expect("auth")
    }

    #[test]
    fn providers_and_attributes() {
        let v = view(
            "import { defineAuth, secret } from '@aws-amplify/backend';
export const auth = defineAuth({
  loginWith: {
    email: true,
    externalProviders: {
      google: { clientId: secret('GID'), clientSecret: secret('GS') },
      oidc: [{ name: 'Okta', clientId: secret('O'), clientSecret: secret('P'), issuerUrl: 'https://x' }],
      callbackUrls: ['http://localhost:3000/'],
      logoutUrls: ['http://localhost:3000/'],
    },
  },
  userAttributes: { givenName: { required: false }, 'custom:plan': { dataType: 'String' } },
});",
        );
        assert_eq!(v.providers, vec!["Google".to_string()]);
        assert_eq!(v.custom_providers, vec!["Okta".to_string()]);
        assert!(v.providers_known && v.attributes_known);
        assert_eq!(
            v.attributes,
            vec!["custom:plan".to_string(), "given_name".to_string()]
        );
    }

    #[test]
    fn unreadable_parts_are_unknown() {
        let v = view(
            "import { defineAuth } from '@aws-amplify/backend';
export const auth = defineAuth({ loginWith: { email: true, externalProviders: makeExt() }, userAttributes: { ...x } });",
        );
        assert!(!v.providers_known && !v.attributes_known);
        let v = view("import { defineAuth } from '@aws-amplify/backend';\nexport const auth = defineAuth({ loginWith: { email: true } });");
        assert!(v.providers_known && v.attributes_known && v.providers.is_empty());
    }
}
