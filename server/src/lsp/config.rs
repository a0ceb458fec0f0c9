//! Settings, from `initializationOptions` and `workspace/didChangeConfiguration`.

use serde::Deserialize;
use serde_json::Value;

/// Files larger than this are kept but not analysed, unless configured otherwise.
pub const DEFAULT_MAX_FILE_SIZE: usize = 5 * 1024 * 1024;

/// The settings a client may send; every field is optional and unknown fields are ignored.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub docs_platform: Option<String>,
    pub log_level: Option<String>,
    pub syntax_errors: Option<bool>,
    pub max_file_size: Option<u64>,
    pub completion: CompletionSettings,
}

/// `completion.*` settings.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct CompletionSettings {
    /// Leave out the completion items TypeScript offers as well (property names, `a.` and `allow.` members,
    /// literals of union types) when the project has Amplify's types installed. Default: true.
    pub hide_type_script_duplicates: Option<bool>,
}

impl Settings {
    /// Reads settings from `initializationOptions` or the `settings` of `didChangeConfiguration`, which may
    /// hold them directly or under an `amplifyLsp` key. Malformed values are ignored, with a reason.
    pub fn from_json(value: &Value) -> Result<Settings, String> {
        let inner = value.get("amplifyLsp").unwrap_or(value);
        if inner.is_null() {
            return Ok(Settings::default());
        }
        // serde's own message quotes the value it could not read, which may be anything the client sent: the
        // message names the key and the expected type instead.
        serde_json::from_value(inner.clone()).map_err(|_| {
            format!(
                "ignoring malformed settings: {}",
                malformed(inner).unwrap_or_else(|| "not understood".to_string())
            )
        })
    }

    /// Overlays the fields `other` sets.
    pub fn merge(&mut self, other: Settings) {
        if other.docs_platform.is_some() {
            self.docs_platform = other.docs_platform;
        }
        if other.log_level.is_some() {
            self.log_level = other.log_level;
        }
        if other.syntax_errors.is_some() {
            self.syntax_errors = other.syntax_errors;
        }
        if other.max_file_size.is_some() {
            self.max_file_size = other.max_file_size;
        }
        if other.completion.hide_type_script_duplicates.is_some() {
            self.completion.hide_type_script_duplicates =
                other.completion.hide_type_script_duplicates;
        }
    }

    pub fn hide_type_script_duplicates(&self) -> bool {
        self.completion.hide_type_script_duplicates.unwrap_or(true)
    }

    pub fn max_file_size(&self) -> usize {
        self.max_file_size
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
            .unwrap_or(DEFAULT_MAX_FILE_SIZE)
    }
}

/// The expected JSON type of each setting, by its path.
const SETTING_TYPES: &[(&str, &str)] = &[
    ("docsPlatform", "a string"),
    ("logLevel", "a string"),
    ("syntaxErrors", "a boolean"),
    ("maxFileSize", "a non-negative integer"),
    ("completion", "an object"),
    ("completion.hideTypeScriptDuplicates", "a boolean"),
];

/// Which setting of `settings` has the wrong type, and what it should be, without its value.
fn malformed(settings: &Value) -> Option<String> {
    if !settings.is_object() {
        return Some("the settings should be an object".to_string());
    }
    SETTING_TYPES.iter().find_map(|(path, expected)| {
        let v = path
            .split('.')
            .try_fold(settings, |v, key| v.as_object()?.get(key))?;
        let ok = match *expected {
            "a string" => v.is_string(),
            "a boolean" => v.is_boolean(),
            "a non-negative integer" => v.is_u64(),
            _ => v.is_object(),
        };
        (!ok && !v.is_null()).then(|| format!("`{path}` should be {expected}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_flat_and_nested() {
        let s = Settings::from_json(&json!({"docsPlatform": "vue"})).expect("flat");
        assert_eq!(s.docs_platform.as_deref(), Some("vue"));
        let s = Settings::from_json(&json!({"amplifyLsp": {"syntaxErrors": true, "other": 1}}))
            .expect("nested");
        assert_eq!(s.syntax_errors, Some(true));
        let s = Settings::from_json(&json!({"completion": {"hideTypeScriptDuplicates": false}}))
            .expect("nested completion settings");
        assert!(!s.hide_type_script_duplicates());
        let mut merged = Settings::default();
        assert!(merged.hide_type_script_duplicates(), "on by default");
        merged.merge(s);
        merged.merge(Settings::from_json(&json!({"docsPlatform": "vue"})).expect("flat"));
        assert!(
            !merged.hide_type_script_duplicates(),
            "a later change without the key keeps it"
        );
        assert!(Settings::from_json(&json!({"syntaxErrors": "yes"})).is_err());
    }

    #[test]
    fn malformed_settings_name_the_key_not_the_value() {
        let cases = [
            (
                json!({"syntaxErrors": "sk_live_0123456789abcdef"}),
                "`syntaxErrors` should be a boolean",
            ),
            (
                json!({"docsPlatform": ["sk_live_0123456789abcdef"]}),
                "`docsPlatform` should be a string",
            ),
            (
                json!({"maxFileSize": "sk_live_0123456789abcdef"}),
                "`maxFileSize` should be a non-negative integer",
            ),
            (
                json!({"maxFileSize": -1}),
                "`maxFileSize` should be a non-negative integer",
            ),
            (
                json!({"amplifyLsp": {"completion": {"hideTypeScriptDuplicates": "sk_live_0123456789abcdef"}}}),
                "`completion.hideTypeScriptDuplicates` should be a boolean",
            ),
            (
                json!({"completion": "sk_live_0123456789abcdef"}),
                "`completion` should be an object",
            ),
            (
                json!("sk_live_0123456789abcdef"),
                "the settings should be an object",
            ),
        ];
        for (value, want) in cases {
            let e = Settings::from_json(&value).expect_err("malformed");
            assert!(e.contains(want), "{e}");
            assert!(!e.contains("sk_live"), "{e}");
        }
        assert_eq!(
            Settings::from_json(&Value::Null).expect("null"),
            Settings::default()
        );
    }
}
