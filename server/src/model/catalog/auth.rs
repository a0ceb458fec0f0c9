//! `defineAuth` (`@aws-amplify/backend-auth`, construct `@aws-amplify/auth-construct`): every property at every
//! depth, the `access` actions and the trigger names (`amplify-api.md` §1).

use super::dsl::{doc, lit, path, prop, since, whole, NUM};
use super::types::{Doc, Extra, Literal, ObjTy, Prop, Ty};

const fn d(summary: &'static str, details: &'static str, path: &'static str) -> Doc {
    doc(summary, details, path, since::AUTH)
}

/// A property holding a provider credential that must be `secret('NAME')`.
const fn cred(name: &'static str, summary: &'static str, details: &'static str) -> Prop {
    prop(name, Ty::Secret, d(summary, details, path::AUTH_EXTERNAL))
        .req()
        .synth()
}

const fn scopes(provider_details: &'static str) -> Prop {
    prop(
        "scopes",
        Ty::Arr(&Ty::Str),
        d(
            "OAuth scopes requested from the identity provider",
            provider_details,
            path::AUTH_EXTERNAL,
        ),
    )
}

const ATTRIBUTE_MAPPING: Prop = prop(
    "attributeMapping",
    Ty::Obj(&ATTRIBUTE_MAPPING_OBJ),
    d(
        "Maps provider claims onto Cognito user attributes",
        "Keys are the Cognito standard attribute names in camelCase (`email`, `givenName`, `fullname`, ...); values \
         are the claim names the provider sends. Provider-specific claims go under `custom`. When email login is \
         on and phone login is off, Amplify maps `email` automatically for every provider except SAML.",
        path::AUTH_EXTERNAL,
    ),
);

const fn mapped(name: &'static str, cognito: &'static str) -> Prop {
    prop(
        name,
        Ty::Str,
        d(
            "Provider claim copied into this Cognito attribute",
            cognito,
            path::AUTH_EXTERNAL,
        ),
    )
}

static ATTRIBUTE_MAPPING_OBJ: ObjTy = ObjTy {
    props: &[
        mapped("address", "Name of the provider claim that fills the Cognito `address` attribute."),
        mapped("birthdate", "Name of the provider claim that fills the Cognito `birthdate` attribute."),
        mapped("email", "Name of the provider claim that fills the Cognito `email` attribute."),
        mapped(
            "emailVerified",
            "Name of the provider claim that fills the Cognito `email_verified` attribute.",
        ),
        mapped("familyName", "Name of the provider claim that fills the Cognito `family_name` attribute."),
        mapped("gender", "Name of the provider claim that fills the Cognito `gender` attribute."),
        mapped("givenName", "Name of the provider claim that fills the Cognito `given_name` attribute."),
        mapped("locale", "Name of the provider claim that fills the Cognito `locale` attribute."),
        mapped("middleName", "Name of the provider claim that fills the Cognito `middle_name` attribute."),
        mapped("fullname", "Name of the provider claim that fills the Cognito `name` attribute."),
        mapped("nickname", "Name of the provider claim that fills the Cognito `nickname` attribute."),
        mapped("phoneNumber", "Name of the provider claim that fills the Cognito `phone_number` attribute."),
        mapped("profilePicture", "Name of the provider claim that fills the Cognito `picture` attribute."),
        mapped(
            "preferredUsername",
            "Name of the provider claim that fills the Cognito `preferred_username` attribute.",
        ),
        mapped("profilePage", "Name of the provider claim that fills the Cognito `profile` attribute."),
        mapped("timezone", "Name of the provider claim that fills the Cognito `zoneinfo` attribute."),
        mapped("lastUpdateTime", "Name of the provider claim that fills the Cognito `updated_at` attribute."),
        mapped("website", "Name of the provider claim that fills the Cognito `website` attribute."),
        prop(
            "custom",
            Ty::Obj(&ObjTy {
                props: &[],
                extra: Some(Extra {
                    key_desc: "a Cognito attribute name such as `custom:tenant`",
                    key_ok: super::dsl::any_key,
                    value: &Ty::Str,
                    doc: d(
                        "Cognito attribute filled from a provider claim",
                        "The key names the Cognito attribute (usually `custom:...`) and the value names the provider \
                         claim to copy into it.",
                        path::AUTH_EXTERNAL,
                    ),
                }),
            }),
            d(
                "Extra attribute mappings keyed by Cognito attribute name",
                "A record from Cognito attribute names (for example `custom:tenant`) to provider claim names, for \
                 anything the standard keys do not cover.",
                path::AUTH_EXTERNAL,
            ),
        ),
    ],
    extra: None,
};

static USER_INVITATION: ObjTy = ObjTy {
    props: &[
        prop(
            "emailSubject",
            Ty::Str,
            d(
                "Subject of the invitation email for admin-created users",
                "Used when an administrator creates a user; Cognito's default subject applies when omitted.",
                path::AUTH_EMAIL_CUSTOM,
            ),
        ),
        prop(
            "emailBody",
            Ty::Func,
            d(
                "Builds the invitation email body from username and code",
                "A callback `(username, code) => string`; each argument is a function that returns the matching \
                 Cognito placeholder, so call both and embed the results in the text.",
                path::AUTH_EMAIL_CUSTOM,
            ),
        ),
        prop(
            "smsMessage",
            Ty::Func,
            d(
                "Builds the invitation SMS text from username and code",
                "A callback `(username, code) => string` used when the invited user is reached by SMS. Amplify does \
                 not check that the placeholders are used.",
                path::AUTH_EMAIL_CUSTOM,
            ),
        ),
    ],
    extra: None,
};

static EMAIL_LOGIN: ObjTy = ObjTy {
    props: &[
        prop(
            "verificationEmailStyle",
            Ty::StrLit(&["CODE", "LINK"]),
            d(
                "Verify new accounts with a code or a clickable link",
                "`CODE` emails a one-time code the user types in; `LINK` emails a link that confirms the account \
                 when opened. It also decides which callback `verificationEmailBody` receives.",
                path::AUTH_EMAIL_CUSTOM,
            ),
        )
        .def("'CODE'"),
        prop(
            "verificationEmailSubject",
            Ty::Str,
            d(
                "Subject line of the verification email",
                "Plain text subject for the sign-up verification message; Cognito's default applies when omitted.",
                path::AUTH_EMAIL_CUSTOM,
            ),
        ),
        prop(
            "verificationEmailBody",
            Ty::Func,
            d(
                "Builds the verification email body",
                "With style `CODE` the callback receives `createCode()`; with `LINK` it receives `createLink(text?)`. \
                 The body must call that function: Amplify rejects a body without the code or link placeholder \
                 at synth.",
                path::AUTH_EMAIL_CUSTOM,
            ),
        )
        .synth(),
        prop(
            "userInvitation",
            Ty::Obj(&USER_INVITATION),
            d(
                "Messages sent to users created by an administrator",
                "Customises the subject, email body and SMS text of the invitation Cognito sends when a user is \
                 created through the admin APIs or the console.",
                path::AUTH_EMAIL_CUSTOM,
            ),
        ),
        prop(
            "otpLogin",
            Ty::Bool,
            d(
                "Allow passwordless sign-in with a one-time code by email",
                "Turns on the EMAIL_OTP first factor and the choice-based `USER_AUTH` flow. Passwordless sign-in \
                 cannot be combined with `multifactor.mode: 'REQUIRED'`.",
                path::AUTH_PASSWORDLESS,
            ),
        )
        .def("false"),
    ],
    extra: None,
};

static PHONE_LOGIN: ObjTy = ObjTy {
    props: &[
        prop(
            "verificationMessage",
            Ty::Func,
            d(
                "Builds the SMS text that verifies a phone number",
                "A callback receiving `createCode()`; the returned text must call it so the code placeholder is \
                 present, otherwise Amplify fails at synth.",
                path::AUTH_PHONE,
            ),
        )
        .synth(),
        prop(
            "otpLogin",
            Ty::Bool,
            d(
                "Allow passwordless sign-in with a one-time code by SMS",
                "Turns on the SMS_OTP first factor and the `USER_AUTH` flow. Not allowed together with \
                 `multifactor.mode: 'REQUIRED'`.",
                path::AUTH_PASSWORDLESS,
            ),
        )
        .def("false"),
    ],
    extra: None,
};

static WEBAUTHN_LOGIN: ObjTy = ObjTy {
    props: &[
        prop(
            "relyingPartyId",
            Ty::Str,
            d(
                "Domain that passkeys are bound to",
                "`AUTO` (the Amplify Hosting domain of the branch, or `localhost` in a sandbox), `localhost`, or a \
                 bare domain without protocol. Other forms are rejected when `defineAuth` runs; `AUTO` fails for \
                 standalone deployments, and changing the value later invalidates registered passkeys.",
                path::AUTH_PASSWORDLESS,
            ),
        )
        .req()
        .def("'AUTO' when webAuthn is `true`"),
        prop(
            "userVerification",
            Ty::StrLit(&["required", "preferred"]),
            d(
                "Whether the authenticator must verify the user",
                "`required` demands biometrics or a PIN on every passkey use; `preferred` asks for it when the \
                 device supports it.",
                path::AUTH_PASSWORDLESS,
            ),
        )
        .def("'preferred'"),
    ],
    extra: None,
};

static GOOGLE: ObjTy = ObjTy {
    props: &[
        cred(
            "clientId",
            "Google OAuth client id, as `secret('NAME')`",
            "Must be a secret reference; a plain string crashes the synth. Store it with `npx ampx sandbox secret set`.",
        ),
        cred(
            "clientSecret",
            "Google OAuth client secret, as `secret('NAME')`",
            "Must be a secret reference resolved at deploy time; a literal string is rejected at synth.",
        ),
        scopes("Scopes Cognito asks Google for, e.g. `['email', 'profile', 'openid']`."),
        ATTRIBUTE_MAPPING,
    ],
    extra: None,
};

static FACEBOOK: ObjTy = ObjTy {
    props: &[
        cred(
            "clientId",
            "Facebook app id, as `secret('NAME')`",
            "Must be a secret reference; a plain string crashes the synth.",
        ),
        cred(
            "clientSecret",
            "Facebook app secret, as `secret('NAME')`",
            "Must be a secret reference; a plain string crashes the synth.",
        ),
        scopes("Permissions requested from Facebook, e.g. `['public_profile', 'email']`."),
        prop(
            "apiVersion",
            Ty::Str,
            d(
                "Facebook Graph API version Cognito calls",
                "A version string such as `v17.0`; Cognito picks its default when omitted.",
                path::AUTH_EXTERNAL,
            ),
        ),
        ATTRIBUTE_MAPPING,
    ],
    extra: None,
};

static AMAZON: ObjTy = ObjTy {
    props: &[
        cred(
            "clientId",
            "Login with Amazon client id, as `secret('NAME')`",
            "Must be a secret reference; a plain string crashes the synth.",
        ),
        cred(
            "clientSecret",
            "Login with Amazon client secret, as `secret('NAME')`",
            "Must be a secret reference; a plain string crashes the synth.",
        ),
        scopes("Scopes requested from Login with Amazon, e.g. `['profile']`."),
        ATTRIBUTE_MAPPING,
    ],
    extra: None,
};

static APPLE: ObjTy = ObjTy {
    props: &[
        cred(
            "clientId",
            "Sign in with Apple services id, as `secret('NAME')`",
            "Must be a secret reference; a plain string crashes the synth.",
        ),
        cred(
            "teamId",
            "Apple developer team id, as `secret('NAME')`",
            "Must be a secret reference; a plain string crashes the synth.",
        ),
        cred(
            "keyId",
            "Id of the Sign in with Apple private key, as `secret('NAME')`",
            "Must be a secret reference; a plain string crashes the synth.",
        ),
        cred(
            "privateKey",
            "Contents of the Apple private key, as `secret('NAME')`",
            "The full `.p8` key text stored as a secret; a plain string crashes the synth.",
        ),
        prop(
            "privateKeyValue",
            Ty::Any,
            d(
                "CDK `SecretValue` alternative for the private key",
                "Left over from the CDK props and passed through untouched; Amplify projects normally use the \
                 `privateKey` secret instead.",
                path::AUTH_EXTERNAL,
            ),
        ),
        scopes("Scopes requested from Apple, e.g. `['email', 'name']`."),
        ATTRIBUTE_MAPPING,
    ],
    extra: None,
};

static OIDC_ENDPOINTS: ObjTy = ObjTy {
    props: &[
        prop(
            "authorization",
            Ty::Str,
            d(
                "URL of the provider's authorization endpoint",
                "Needed only when the provider does not publish a discovery document at the issuer URL.",
                path::AUTH_EXTERNAL,
            ),
        )
        .req(),
        prop(
            "token",
            Ty::Str,
            d(
                "URL of the provider's token endpoint",
                "Where Cognito exchanges the authorization code for tokens.",
                path::AUTH_EXTERNAL,
            ),
        )
        .req(),
        prop(
            "userInfo",
            Ty::Str,
            d(
                "URL of the provider's user-info endpoint",
                "Cognito reads user claims from it with the configured attribute request method.",
                path::AUTH_EXTERNAL,
            ),
        )
        .req(),
        prop(
            "jwksUri",
            Ty::Str,
            d(
                "URL of the provider's JSON Web Key Set",
                "Used to verify the signatures of tokens issued by the provider.",
                path::AUTH_EXTERNAL,
            ),
        )
        .req(),
    ],
    extra: None,
};

static OIDC: ObjTy = ObjTy {
    props: &[
        cred(
            "clientId",
            "OIDC client id, as `secret('NAME')`",
            "Must be a secret reference; a plain string crashes the synth.",
        ),
        cred(
            "clientSecret",
            "OIDC client secret, as `secret('NAME')`",
            "Must be a secret reference; a plain string crashes the synth.",
        ),
        prop(
            "issuerUrl",
            Ty::Str,
            d(
                "Issuer URL of the OpenID Connect provider",
                "Cognito discovers the provider's endpoints from this URL unless `endpoints` is given.",
                path::AUTH_EXTERNAL,
            ),
        )
        .req(),
        prop(
            "name",
            Ty::Str,
            d(
                "Provider name shown to clients",
                "Becomes the provider name in `amplify_outputs.json` and in `signInWithRedirect`. Must be 3–32 \
                 characters and may not start or end with `_` or a space (CDK checks at synth); uniqueness across \
                 providers is only checked by Cognito at deploy.",
                path::AUTH_EXTERNAL,
            ),
        )
        .synth(),
        scopes("Scopes requested from the OIDC provider; `openid` is always needed."),
        prop(
            "identifiers",
            Ty::Arr(&Ty::Str),
            d(
                "Identifiers that route users to this provider",
                "Typically email domains, used by the hosted UI to pick the provider from what the user types.",
                path::AUTH_EXTERNAL,
            ),
        ),
        prop(
            "attributeRequestMethod",
            Ty::StrLit(&["GET", "POST"]),
            d(
                "HTTP method Cognito uses to fetch user info",
                "Use `POST` if the provider's user-info endpoint does not accept `GET`.",
                path::AUTH_EXTERNAL,
            ),
        )
        .def("'GET'"),
        prop(
            "endpoints",
            Ty::Obj(&OIDC_ENDPOINTS),
            d(
                "Explicit OIDC endpoints instead of discovery",
                "Give all four URLs when the issuer does not serve `.well-known/openid-configuration`.",
                path::AUTH_EXTERNAL,
            ),
        ),
        ATTRIBUTE_MAPPING,
    ],
    extra: None,
};

static SAML_METADATA: ObjTy = ObjTy {
    props: &[
        prop(
            "metadataContent",
            Ty::Str,
            d(
                "The IdP metadata URL or XML document",
                "A URL when `metadataType` is `URL`, otherwise the metadata XML itself.",
                path::AUTH_SAML,
            ),
        )
        .req(),
        prop(
            "metadataType",
            Ty::StrLit(&["URL", "FILE"]),
            d(
                "Whether the metadata is a URL or inline XML",
                "`URL` lets Cognito fetch and refresh the metadata; `FILE` means `metadataContent` holds the XML.",
                path::AUTH_SAML,
            ),
        )
        .req(),
    ],
    extra: None,
};

static SAML: ObjTy = ObjTy {
    props: &[
        prop(
            "name",
            Ty::Str,
            d(
                "Provider name used by clients",
                "The name passed to `signInWithRedirect({ provider: { custom: name } })`. Must be 3–32 \
                 characters; CDK rejects other lengths at synth.",
                path::AUTH_SAML,
            ),
        )
        .synth(),
        prop(
            "metadata",
            Ty::Obj(&SAML_METADATA),
            d(
                "Where Cognito finds the SAML IdP metadata",
                "Either a metadata URL or the metadata XML; no secrets are involved for SAML.",
                path::AUTH_SAML,
            ),
        )
        .req(),
        prop(
            "identifiers",
            Ty::Arr(&Ty::Str),
            d(
                "Identifiers that route users to this IdP",
                "Usually email domains, so the hosted UI can choose the IdP from the user's address.",
                path::AUTH_SAML,
            ),
        ),
        prop(
            "idpSignout",
            Ty::Bool,
            d(
                "Also sign the user out of the SAML IdP",
                "When true, signing out sends a logout request to the identity provider as well.",
                path::AUTH_SAML,
            ),
        ),
        prop(
            "encryptedResponses",
            Ty::Bool,
            d(
                "Require encrypted SAML assertions",
                "Cognito then publishes an encryption certificate that the IdP must use.",
                path::AUTH_SAML,
            ),
        ),
        prop(
            "requestSigningAlgorithm",
            Ty::Any,
            d(
                "Algorithm used to sign SAML requests",
                "A CDK `SigningAlgorithm` enum value (only `RSA_SHA256` exists); leave unset for unsigned requests.",
                path::AUTH_SAML,
            ),
        ),
        prop(
            "idpInitiated",
            Ty::Bool,
            d(
                "Accept sign-ins started at the IdP",
                "Allows unsolicited, IdP-initiated SAML responses in addition to Cognito-initiated sign-in.",
                path::AUTH_SAML,
            ),
        ),
        ATTRIBUTE_MAPPING,
    ],
    extra: None,
};

const SCOPE_LITERALS: &[&str] = &["PHONE", "EMAIL", "OPENID", "PROFILE", "COGNITO_ADMIN"];

static EXTERNAL_PROVIDERS: ObjTy = ObjTy {
    props: &[
        prop(
            "callbackUrls",
            Ty::Arr(&Ty::Str),
            d(
                "URLs the provider may redirect to after sign-in",
                "Include every app origin, e.g. `http://localhost:3000/` and the production URL. An empty array is \
                 rejected at synth.",
                path::AUTH_EXTERNAL,
            ),
        )
        .req(),
        prop(
            "logoutUrls",
            Ty::Arr(&Ty::Str),
            d(
                "URLs the app may return to after sign-out",
                "Must list at least one URL; an empty array is rejected at synth.",
                path::AUTH_EXTERNAL,
            ),
        )
        .req(),
        prop(
            "scopes",
            Ty::Arr(&Ty::StrLit(SCOPE_LITERALS)),
            d(
                "OAuth scopes the app client may request",
                "Any of `PHONE`, `EMAIL`, `OPENID`, `PROFILE`, `COGNITO_ADMIN`; all five are allowed when omitted. \
                 An unknown scope name crashes the synth.",
                path::AUTH_EXTERNAL,
            ),
        )
        .def("all five scopes")
        .synth(),
        prop(
            "google",
            Ty::Obj(&GOOGLE),
            d(
                "Sign in with Google",
                "Needs the Google OAuth client id and secret as `secret()` references.",
                path::AUTH_EXTERNAL,
            ),
        ),
        prop(
            "facebook",
            Ty::Obj(&FACEBOOK),
            d(
                "Sign in with Facebook",
                "Needs the Facebook app id and app secret as `secret()` references.",
                path::AUTH_EXTERNAL,
            ),
        ),
        prop(
            "loginWithAmazon",
            Ty::Obj(&AMAZON),
            d(
                "Sign in with Login with Amazon",
                "Needs the Amazon client id and secret as `secret()` references.",
                path::AUTH_EXTERNAL,
            ),
        ),
        prop(
            "signInWithApple",
            Ty::Obj(&APPLE),
            d(
                "Sign in with Apple",
                "Needs the services id, team id, key id and private key, each as a `secret()` reference.",
                path::AUTH_EXTERNAL,
            ),
        ),
        prop(
            "oidc",
            Ty::Arr(&Ty::Obj(&OIDC)),
            d(
                "OpenID Connect providers (an array)",
                "One entry per OIDC provider; each needs an issuer URL plus client id and secret as `secret()` \
                 references. Give each a distinct `name`.",
                path::AUTH_EXTERNAL,
            ),
        ),
        prop(
            "saml",
            Ty::Obj(&SAML),
            d(
                "A SAML 2.0 identity provider",
                "Configured from IdP metadata (URL or XML); see the Microsoft Entra ID example.",
                path::AUTH_SAML,
            ),
        ),
    ],
    extra: None,
};

static LOGIN_WITH: ObjTy = ObjTy {
    props: &[
        prop(
            "email",
            Ty::OneOf(&[Ty::Bool, Ty::Obj(&EMAIL_LOGIN)]),
            d(
                "Sign in with email address",
                "`true` enables email sign-in with code verification; an object customises the verification \
                 messages, invitations and email OTP. Makes `email` a required user attribute.",
                path::AUTH_EMAIL,
            ),
        ),
        prop(
            "phone",
            Ty::OneOf(&[Ty::Bool, Ty::Obj(&PHONE_LOGIN)]),
            d(
                "Sign in with phone number",
                "`true` enables phone sign-in with SMS verification. With MFA turned on, `multifactor.sms` must be \
                 enabled as well or the synth fails.",
                path::AUTH_PHONE,
            ),
        ),
        prop(
            "webAuthn",
            Ty::OneOf(&[Ty::Bool, Ty::Obj(&WEBAUTHN_LOGIN)]),
            d(
                "Sign in with passkeys (WebAuthn)",
                "`true` uses relying party `AUTO`. Requires email or phone sign-in too, and cannot be combined with \
                 required MFA; both are checked when `defineAuth` runs.",
                path::AUTH_PASSWORDLESS,
            ),
        ),
        prop(
            "externalProviders",
            Ty::Obj(&EXTERNAL_PROVIDERS),
            d(
                "Social and enterprise identity providers",
                "Google, Facebook, Amazon, Apple, OIDC and SAML sign-in through the Cognito hosted domain. Email or \
                 phone sign-in is still required: external providers alone fail at synth.",
                path::AUTH_EXTERNAL,
            ),
        ),
    ],
    extra: None,
};

static STANDARD_ATTRIBUTE: ObjTy = ObjTy {
    props: &[
        prop(
            "required",
            Ty::Bool,
            d(
                "Whether users must provide this attribute at sign-up",
                "Cannot be changed after the user pool is created.",
                path::AUTH_ATTRIBUTES,
            ),
        )
        .def("false"),
        prop(
            "mutable",
            Ty::Bool,
            d(
                "Whether the attribute can change after sign-up",
                "Set to false to freeze the value once written; cannot be changed after the pool exists.",
                path::AUTH_ATTRIBUTES,
            ),
        )
        .def("true"),
    ],
    extra: None,
};

const fn standard(name: &'static str, details: &'static str) -> Prop {
    prop(
        name,
        Ty::Obj(&STANDARD_ATTRIBUTE),
        d(
            "Cognito standard user attribute",
            details,
            path::AUTH_ATTRIBUTES,
        ),
    )
}

static CUSTOM_ATTRIBUTE: ObjTy = ObjTy {
    props: &[
        prop(
            "dataType",
            Ty::StrLit(&["String", "Number", "Boolean", "DateTime"]),
            d(
                "Type of the custom attribute",
                "`String` allows `minLen`/`maxLen`, `Number` allows `min`/`max`; `Boolean` and `DateTime` take no \
                 constraints. Attributes cannot be changed or removed once the pool is deployed.",
                path::AUTH_ATTRIBUTES,
            ),
        )
        .req(),
        prop(
            "mutable",
            Ty::Bool,
            d(
                "Whether the custom attribute can change after sign-up",
                "Defaults to true; immutable attributes can only be set when the user is created.",
                path::AUTH_ATTRIBUTES,
            ),
        )
        .def("true"),
        prop(
            "minLen",
            whole(0.0, 2048.0),
            d(
                "Minimum length of a `String` attribute",
                "Amplify passes the bound straight to Cognito without CDK's checks, so a bad value only fails at \
                 deploy.",
                path::AUTH_ATTRIBUTES,
            ),
        )
        .deploy(),
        prop(
            "maxLen",
            whole(0.0, 2048.0),
            d(
                "Maximum length of a `String` attribute",
                "Cognito accepts at most 2048; the value is not checked before deployment.",
                path::AUTH_ATTRIBUTES,
            ),
        )
        .deploy(),
        prop(
            "min",
            NUM,
            d(
                "Smallest value of a `Number` attribute",
                "Only meaningful with `dataType: 'Number'`; checked by Cognito at deploy.",
                path::AUTH_ATTRIBUTES,
            ),
        )
        .deploy(),
        prop(
            "max",
            NUM,
            d(
                "Largest value of a `Number` attribute",
                "Only meaningful with `dataType: 'Number'`; checked by Cognito at deploy.",
                path::AUTH_ATTRIBUTES,
            ),
        )
        .deploy(),
    ],
    extra: None,
};

fn is_custom_attribute(key: &str) -> bool {
    key.len() > "custom:".len() && key.starts_with("custom:")
}

static USER_ATTRIBUTES: ObjTy = ObjTy {
    props: &[
        standard("address", "The user's postal address (`address`)."),
        standard("birthdate", "Date of birth in `YYYY-MM-DD` form (`birthdate`)."),
        standard(
            "email",
            "Email address (`email`). Made required and mutable automatically when email sign-in is on; your value \
             replaces that default.",
        ),
        standard("familyName", "Surname (Cognito `family_name`)."),
        standard("gender", "Gender (`gender`)."),
        standard("givenName", "First name (Cognito `given_name`)."),
        standard("locale", "Preferred locale (`locale`)."),
        standard("middleName", "Middle name (Cognito `middle_name`)."),
        standard("fullname", "Full display name (Cognito `name`)."),
        standard("nickname", "Casual name (`nickname`)."),
        standard(
            "phoneNumber",
            "Phone number in E.164 form (Cognito `phone_number`). Made required automatically when phone sign-in \
             is on; your value replaces that default.",
        ),
        standard("profilePicture", "URL of a profile picture (Cognito `picture`)."),
        standard("preferredUsername", "Preferred username (Cognito `preferred_username`)."),
        standard("profilePage", "URL of a profile page (Cognito `profile`)."),
        standard("timezone", "Time zone (Cognito `zoneinfo`)."),
        standard("lastUpdateTime", "Time the profile was last updated (Cognito `updated_at`)."),
        standard("website", "Personal website URL (`website`)."),
    ],
    extra: Some(Extra {
        key_desc: "`custom:` followed by a name, e.g. `'custom:display_name'`",
        key_ok: is_custom_attribute,
        value: &Ty::Obj(&CUSTOM_ATTRIBUTE),
        doc: d(
            "Custom user attribute (`custom:` prefix)",
            "Defines an extra attribute with a `dataType` and optional constraints. Cognito allows at most 50 custom \
             attributes, names up to 20 characters, and never lets you change or delete them after deployment.",
            path::AUTH_ATTRIBUTES,
        ),
    }),
};

static MFA_SMS: ObjTy = ObjTy {
    props: &[prop(
        "smsMessage",
        Ty::Func,
        d(
            "Builds the SMS text that carries the MFA code",
            "A callback receiving `createCode()`; the text must call it, and the rendered message may be at most \
             140 characters. Both are checked at synth.",
            path::AUTH_MFA,
        ),
    )
    .req()
    .synth()],
    extra: None,
};

static MULTIFACTOR: ObjTy = ObjTy {
    props: &[
        prop(
            "mode",
            Ty::StrLit(&["OFF", "OPTIONAL", "REQUIRED"]),
            d(
                "Whether MFA is off, optional or required",
                "With `OPTIONAL` or `REQUIRED` enable at least one of `totp`, `sms` or `email`. `REQUIRED` cannot be \
                 combined with passwordless sign-in (email/phone OTP or passkeys).",
                path::AUTH_MFA,
            ),
        )
        .req(),
        prop(
            "totp",
            Ty::Bool,
            d(
                "Allow authenticator-app (TOTP) codes as a second factor",
                "Users register an authenticator app such as Google Authenticator.",
                path::AUTH_MFA,
            ),
        ),
        prop(
            "sms",
            Ty::OneOf(&[Ty::Bool, Ty::Obj(&MFA_SMS)]),
            d(
                "Allow SMS codes as a second factor",
                "`true` uses Cognito's default text; an object with `smsMessage` customises it. Required whenever \
                 phone sign-in is on and MFA is not `OFF`.",
                path::AUTH_MFA,
            ),
        ),
        prop(
            "email",
            Ty::Bool,
            d(
                "Allow email codes as a second factor",
                "Needs `senders.email` configured with an SES `fromEmail`; without it the synth fails.",
                path::AUTH_MFA,
            ),
        ),
    ],
    extra: None,
};

static TRIGGERS: ObjTy = ObjTy {
    props: AUTH_TRIGGER_PROPS,
    extra: None,
};

const fn trigger(name: &'static str, details: &'static str, docs: &'static str) -> Prop {
    prop(
        name,
        Ty::Resource,
        d("Cognito Lambda trigger (a defineFunction)", details, docs),
    )
}

const AUTH_TRIGGER_PROPS: &[Prop] = &[
    trigger(
        "createAuthChallenge",
        "Runs in a custom auth flow to create the challenge the user must answer.",
        path::AUTH_CUSTOM_FLOWS,
    ),
    trigger(
        "customMessage",
        "Runs before Cognito sends a verification, invitation or MFA message so you can rewrite it.",
        path::AUTH_TRIGGERS,
    ),
    trigger(
        "defineAuthChallenge",
        "Runs in a custom auth flow to decide which challenge comes next and when the user is authenticated.",
        path::AUTH_CUSTOM_FLOWS,
    ),
    trigger(
        "postAuthentication",
        "Runs after a successful sign-in, e.g. for logging or analytics.",
        path::AUTH_TRIGGERS,
    ),
    trigger(
        "postConfirmation",
        "Runs after a user confirms sign-up, e.g. to create a profile record or add the user to a group.",
        path::AUTH_TRIGGERS,
    ),
    trigger(
        "preAuthentication",
        "Runs before sign-in is evaluated and can deny the attempt.",
        path::AUTH_TRIGGERS,
    ),
    trigger(
        "preSignUp",
        "Runs before a user is registered; can reject the sign-up or auto-confirm and auto-verify the user.",
        path::AUTH_TRIGGERS,
    ),
    trigger(
        "preTokenGeneration",
        "Runs before tokens are issued to add, change or suppress claims and groups.",
        path::AUTH_TRIGGERS,
    ),
    trigger(
        "userMigration",
        "Runs when an unknown user signs in or resets a password, to import the user from a legacy store.",
        path::AUTH_TRIGGERS,
    ),
    trigger(
        "verifyAuthChallengeResponse",
        "Runs in a custom auth flow to check the user's answer to a challenge.",
        path::AUTH_CUSTOM_FLOWS,
    ),
];

/// The ten Cognito trigger names accepted by `defineAuth({ triggers })`.
pub static AUTH_TRIGGERS: &[Prop] = AUTH_TRIGGER_PROPS;

const fn kms_key_arn() -> Prop {
    prop(
        "kmsKeyArn",
        Ty::Str,
        d(
            "KMS key used to encrypt codes for a custom sender",
            "Only with `handler`. A key is created when omitted; if both the email and SMS custom senders give one, \
             the ARNs must be identical or the synth fails.",
            path::AUTH_EMAIL_CUSTOM,
        ),
    )
}

static EMAIL_SENDER: ObjTy = ObjTy {
    props: &[
        prop(
            "fromEmail",
            Ty::Str,
            d(
                "Verified SES address that sends auth emails",
                "Selects the SES shape (required there). The identity must be verified in SES in the stack's \
                 region, and its local part must be ASCII.",
                path::AUTH_PROD,
            ),
        ),
        prop(
            "fromName",
            Ty::Str,
            d(
                "Display name shown as the email sender",
                "SES shape only; combined with `fromEmail` into the From header.",
                path::AUTH_PROD,
            ),
        ),
        prop(
            "replyTo",
            Ty::Str,
            d(
                "Reply-to address of auth emails",
                "SES shape only; replies go here instead of `fromEmail`.",
                path::AUTH_PROD,
            ),
        ),
        prop(
            "handler",
            Ty::Resource,
            d(
                "Function that sends auth emails itself",
                "Selects the custom-sender shape: Cognito hands the encrypted message to this function (a \
                 `defineFunction` result or a CDK `IFunction`) instead of sending it.",
                path::AUTH_EMAIL_CUSTOM,
            ),
        ),
        kms_key_arn(),
    ],
    extra: None,
};

static SMS_SENDER: ObjTy = ObjTy {
    props: &[
        prop(
            "externalId",
            Ty::Str,
            d(
                "External id for the SNS caller role",
                "SNS shape; must be given together with `snsCallerArn` or the synth fails.",
                path::AUTH_PROD,
            ),
        ),
        prop(
            "snsCallerArn",
            Ty::Str,
            d(
                "ARN of the IAM role Cognito uses to publish SMS",
                "SNS shape; must be given together with `externalId` or the synth fails.",
                path::AUTH_PROD,
            ),
        ),
        prop(
            "snsRegion",
            Ty::Str,
            d(
                "AWS region used to send SMS",
                "SNS shape; defaults to the stack's region.",
                path::AUTH_PROD,
            ),
        ),
        prop(
            "handler",
            Ty::Resource,
            d(
                "Function that sends auth SMS itself",
                "Selects the custom-sender shape: a `defineFunction` result (or CDK `IFunction`) receives the \
                 encrypted code and delivers the message.",
                path::AUTH_EMAIL_CUSTOM,
            ),
        ),
        kms_key_arn(),
    ],
    extra: None,
};

static SENDERS: ObjTy = ObjTy {
    props: &[
        prop(
            "email",
            Ty::Obj(&EMAIL_SENDER),
            d(
                "How auth emails are sent",
                "Either SES settings (`fromEmail`, `fromName`, `replyTo`) or a custom sender (`handler`, \
                 `kmsKeyArn`). Cognito's limited default sender is used when omitted.",
                path::AUTH_PROD,
            ),
        ),
        prop(
            "sms",
            Ty::Obj(&SMS_SENDER),
            d(
                "How auth SMS messages are sent",
                "Either SNS settings (`externalId` with `snsCallerArn`, `snsRegion`) or a custom sender (`handler`, \
                 `kmsKeyArn`).",
                path::AUTH_PROD,
            ),
        ),
    ],
    extra: None,
};

static PASSWORDLESS_OPTIONS: ObjTy = ObjTy {
    props: &[prop(
        "preferredChallenge",
        Ty::StrLit(&["EMAIL_OTP", "SMS_OTP", "PASSWORD", "WEB_AUTHN"]),
        d(
            "First factor offered by default in the USER_AUTH flow",
            "Must be a factor that is enabled: `PASSWORD` always is, `EMAIL_OTP` needs `email.otpLogin`, `SMS_OTP` \
             needs `phone.otpLogin`, `WEB_AUTHN` needs `webAuthn`; otherwise the synth fails.",
            path::AUTH_PASSWORDLESS,
        ),
    )
    .synth()],
    extra: None,
};

/// The argument of `defineAuth(...)`.
pub static AUTH_PROPS: ObjTy = ObjTy {
    props: &[
        prop(
            "loginWith",
            Ty::Obj(&LOGIN_WITH),
            d(
                "How users sign in",
                "Enable `email` and/or `phone`, optionally with `webAuthn` passkeys and `externalProviders`. At least \
                 one of email or phone is required; a provider-only setup fails at synth.",
                path::AUTH_SETUP,
            ),
        )
        .req()
        .synth(),
        prop(
            "name",
            Ty::Str,
            d(
                "Name of the auth resource",
                "Must start with a letter and contain only letters, digits, `-`, `_` or spaces (checked at synth). \
                 Also becomes the Cognito user pool name.",
                path::AUTH_SETUP,
            ),
        )
        .def("'amplifyAuth'")
        .synth(),
        prop(
            "userAttributes",
            Ty::Obj(&USER_ATTRIBUTES),
            d(
                "Standard and custom attributes stored on each user",
                "Standard keys take `{ required, mutable }`; custom keys start with `custom:` and take a `dataType`. \
                 Attributes are fixed once the user pool is created.",
                path::AUTH_ATTRIBUTES,
            ),
        ),
        prop(
            "multifactor",
            Ty::Obj(&MULTIFACTOR),
            d(
                "Multi-factor authentication settings",
                "`{ mode: 'OFF' }` or `{ mode: 'OPTIONAL' | 'REQUIRED', totp?, sms?, email? }`. MFA is off when \
                 omitted.",
                path::AUTH_MFA,
            ),
        )
        .def("MFA off"),
        prop(
            "accountRecovery",
            Ty::StrLit(&[
                "EMAIL_AND_PHONE_WITHOUT_MFA",
                "PHONE_WITHOUT_MFA_AND_EMAIL",
                "EMAIL_ONLY",
                "PHONE_ONLY_WITHOUT_MFA",
                "PHONE_AND_EMAIL",
                "NONE",
            ]),
            d(
                "Channel used for forgotten-password recovery",
                "When omitted Amplify picks `EMAIL_ONLY` if email sign-in is on, otherwise `PHONE_ONLY_WITHOUT_MFA`.",
                path::AUTH_PASSWORDS,
            ),
        )
        .def("'EMAIL_ONLY' with email login, else 'PHONE_ONLY_WITHOUT_MFA'"),
        prop(
            "groups",
            Ty::Arr(&Ty::Str),
            d(
                "Cognito user groups to create",
                "Each group gets its own IAM role. The array order sets precedence: the first group has the highest \
                 priority. Names are only checked by Cognito (1–128 characters) at deploy.",
                path::AUTH_GROUPS,
            ),
        ),
        prop(
            "triggers",
            Ty::Obj(&TRIGGERS),
            d(
                "Lambda functions attached to Cognito events",
                "Keys are the ten Cognito trigger names; values are `defineFunction` results. A trigger that also \
                 accesses data or storage should use `resourceGroupName: 'auth'` to avoid a circular dependency.",
                path::AUTH_TRIGGERS,
            ),
        ),
        prop(
            "access",
            Ty::Func,
            d(
                "Grants functions permission to call Cognito admin APIs",
                "`allow => [allow.resource(fn).to(['manageUsers', ...])]`. An empty action list fails at synth; the \
                 function receives the user pool id in an environment variable.",
                path::AUTH_ACCESS,
            ),
        ),
        prop(
            "senders",
            Ty::Obj(&SENDERS),
            d(
                "Custom delivery of auth emails and SMS",
                "Use SES/SNS settings or your own sender functions instead of Cognito's default sender, which is \
                 heavily rate-limited for production.",
                path::AUTH_PROD,
            ),
        ),
        prop(
            "passwordlessOptions",
            Ty::Obj(&PASSWORDLESS_OPTIONS),
            d(
                "Options for passwordless sign-in",
                "Currently only `preferredChallenge`, the first factor clients offer by default.",
                path::AUTH_PASSWORDLESS,
            ),
        ),
    ],
    extra: None,
};

/// The argument of `referenceAuth(...)`.
pub static REFERENCE_AUTH_PROPS: ObjTy = ObjTy {
    props: &[
        prop(
            "userPoolId",
            Ty::Str,
            d(
                "Id of the existing Cognito user pool",
                "The pool must already exist; consistency is verified only during deployment.",
                path::AUTH_EXISTING,
            ),
        )
        .req(),
        prop(
            "identityPoolId",
            Ty::Str,
            d(
                "Id of the existing Cognito identity pool",
                "The identity pool must trust the given user pool and app client.",
                path::AUTH_EXISTING,
            ),
        )
        .req(),
        prop(
            "userPoolClientId",
            Ty::Str,
            d(
                "Id of the existing user pool app client",
                "Must be a web client without a client secret.",
                path::AUTH_EXISTING,
            ),
        )
        .req(),
        prop(
            "authRoleArn",
            Ty::Str,
            d(
                "ARN of the identity pool's authenticated role",
                "Must match the role attached to the identity pool for signed-in users.",
                path::AUTH_EXISTING,
            ),
        )
        .req(),
        prop(
            "unauthRoleArn",
            Ty::Str,
            d(
                "ARN of the identity pool's guest role",
                "Must match the role attached to the identity pool for unauthenticated users.",
                path::AUTH_EXISTING,
            ),
        )
        .req(),
        prop(
            "groups",
            Ty::Obj(&ObjTy {
                props: &[],
                extra: Some(Extra {
                    key_desc: "the name of an existing user pool group",
                    key_ok: super::dsl::any_key,
                    value: &Ty::Str,
                    doc: d(
                        "IAM role ARN of an existing user pool group",
                        "The key is the group name and the value the ARN of that group's role; checked at deploy.",
                        path::AUTH_EXISTING,
                    ),
                }),
            }),
            d(
                "Existing groups and their role ARNs",
                "Lets storage and data rules refer to the groups by name.",
                path::AUTH_EXISTING,
            ),
        ),
        prop(
            "access",
            Ty::Func,
            d(
                "Grants functions permission to call Cognito admin APIs",
                "Same builder as in `defineAuth`: `allow => [allow.resource(fn).to([...])]`.",
                path::AUTH_ACCESS,
            ),
        ),
    ],
    extra: None,
};

const fn action(value: &'static str, summary: &'static str, details: &'static str) -> Literal {
    lit(value, d(summary, details, path::AUTH_ACCESS))
}

const fn action_at(
    value: &'static str,
    summary: &'static str,
    details: &'static str,
    docs: &'static str,
) -> Literal {
    lit(value, d(summary, details, docs))
}

/// The actions accepted by `allow.resource(fn).to([...])` in `defineAuth({ access })`: six groups, then singles.
pub static AUTH_ACCESS_ACTIONS: &[Literal] = &[
    action_at(
        "manageUsers",
        "Group: create, read, update, enable/disable and delete users",
        "Bundles the admin user-management actions such as creating, listing, updating and deleting users.",
        path::AUTH_ADMIN,
    ),
    action(
        "manageGroups",
        "Group: create, read, update and delete groups",
        "Bundles the admin actions that create, get, list, update and delete Cognito groups.",
    ),
    action(
        "manageGroupMembership",
        "Group: add and remove users to and from groups",
        "Bundles adding users to groups, removing them, and listing a user's groups or a group's users.",
    ),
    action_at(
        "manageUserDevices",
        "Group: list, inspect, update and forget devices",
        "Bundles the admin actions on remembered devices of a user.",
        path::AUTH_DEVICES,
    ),
    action_at(
        "managePasswordRecovery",
        "Group: reset and set user passwords",
        "Bundles the admin actions that reset a password or set a new one.",
        path::AUTH_PASSWORDS,
    ),
    action(
        "manageProviderForUser",
        "Group: link and unlink external identities",
        "Bundles the admin actions that link a federated identity to a user and unlink it again.",
    ),
    action(
        "addUserToGroup",
        "Add a user to a group",
        "Grants the admin permission to put a user into a Cognito group.",
    ),
    action(
        "createGroup",
        "Create a user pool group",
        "Grants the permission to create new Cognito groups.",
    ),
    action(
        "createUser",
        "Create a user as an administrator",
        "Grants the admin permission to create users, which sends the invitation message.",
    ),
    action(
        "deleteGroup",
        "Delete a user pool group",
        "Grants the permission to remove a Cognito group.",
    ),
    action(
        "deleteUser",
        "Delete a user as an administrator",
        "Grants the admin permission to remove a user from the pool.",
    ),
    action(
        "deleteUserAttributes",
        "Delete attributes of a user",
        "Grants the admin permission to remove attribute values from a user.",
    ),
    action(
        "disableUser",
        "Disable a user",
        "Grants the admin permission to block a user from signing in.",
    ),
    action(
        "enableUser",
        "Enable a disabled user",
        "Grants the admin permission to let a disabled user sign in again.",
    ),
    action(
        "forgetDevice",
        "Forget a remembered device",
        "Grants the admin permission to remove a device from a user's remembered devices.",
    ),
    action(
        "getDevice",
        "Read a remembered device",
        "Grants the admin permission to read one device of a user.",
    ),
    action(
        "getGroup",
        "Read a user pool group",
        "Grants the permission to read a group's details.",
    ),
    action(
        "getUser",
        "Read a user as an administrator",
        "Grants the admin permission to read a user's attributes and status.",
    ),
    action(
        "listUsers",
        "List the users of the pool",
        "Grants the permission to list and filter users.",
    ),
    action(
        "listUsersInGroup",
        "List the users in a group",
        "Grants the permission to list the members of a Cognito group.",
    ),
    action(
        "listGroups",
        "List the groups of the pool",
        "Grants the permission to list Cognito groups.",
    ),
    action(
        "listDevices",
        "List a user's remembered devices",
        "Grants the admin permission to list the devices of a user.",
    ),
    action(
        "listGroupsForUser",
        "List the groups a user belongs to",
        "Grants the admin permission to list one user's group memberships.",
    ),
    action(
        "removeUserFromGroup",
        "Remove a user from a group",
        "Grants the admin permission to take a user out of a Cognito group.",
    ),
    action(
        "resetUserPassword",
        "Reset a user's password",
        "Grants the admin permission to invalidate a password and start the recovery flow.",
    ),
    action(
        "setUserMfaPreference",
        "Set a user's MFA preference",
        "Grants the admin permission to choose which MFA methods a user has enabled and preferred.",
    ),
    action(
        "setUserPassword",
        "Set a user's password",
        "Grants the admin permission to set a temporary or permanent password.",
    ),
    action(
        "setUserSettings",
        "Set a user's legacy MFA settings",
        "Grants the admin permission to change a user's MFA delivery settings.",
    ),
    action(
        "updateDeviceStatus",
        "Update a device's remembered status",
        "Grants the admin permission to mark a device as remembered or not remembered.",
    ),
    action(
        "updateGroup",
        "Update a user pool group",
        "Grants the permission to change a group's description, role or precedence.",
    ),
    action(
        "updateUserAttributes",
        "Update a user's attributes",
        "Grants the admin permission to change attribute values of a user.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_attribute_keys() {
        assert!(is_custom_attribute("custom:tenant"));
        assert!(!is_custom_attribute("custom:"));
        assert!(!is_custom_attribute("tenant"));
    }

    #[test]
    fn action_counts() {
        assert_eq!(AUTH_ACCESS_ACTIONS.len(), 6 + 25);
    }
}
