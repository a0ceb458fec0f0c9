//! Pure validators behind the semantic rules: plain functions over strings and numbers, with no
//! tree-sitter and no LSP types, so that they can be tested (and fuzzed) on their own.
//!
//! Each validator re-implements one check that the Amplify Gen2 libraries run before deploying
//! (see `../shared/amplify-api.md` beside the checkout), written from reading what those checks do; the messages are
//! our own and always say what to write instead.
//!
//! Behaviours that are easy to get wrong were confirmed with the `amplify-synth` tool on throwaway
//! projects; they are marked "verified" below. The most surprising ones:
//! * schedules: `every 0m`, `every m`, `every 2day`, `every 5_m`, `every -0m`, `every 5.m`, a 7-field
//!   cron (the extra fields are ignored), a trailing space (empty year), `0 9 ? * ?` (both days `?`),
//!   `/5 9 ? * *`, `0x1e 9 ? * *`, `1e1 9 ? * *`, `0/1.5 9 ? * *` and `0 9 ? * 1-2-3` are all ACCEPTED;
//!   `0 9 ? * 1,3-5` (a range inside a list), `every  5m` (two spaces), `every 5min`, `every weekday`,
//!   `Every 5m`, a leading space and 4-field crons are REJECTED;
//! * environment keys: besides `AMPLIFY_SSM_ENV_CONFIG`, the keys Lambda reserves for itself
//!   (`AWS_REGION`, `AWS_LAMBDA_FUNCTION_NAME`, ...) are rejected while synthesizing;
//! * layers: the ARN form is searched for anywhere in the value (not anchored);
//! * webAuthn relyingPartyId: an empty string, an IPv4 address, a single label (`example`) and
//!   `auto` are accepted; more than 63 characters, a trailing dot or a port are rejected;
//! * secondary index names: an empty name is ignored (the default name is used);
//! * enum values: whitespace is rejected in inline enums too.

/// One finding of a validator: a stable code (see docs/diagnostic-codes.md) and a message in our own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub message: String,
}

impl Finding {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Finding {
            code,
            message: message.into(),
        }
    }
}

const STORAGE_LEADING_SLASH: &str = "storage/path-leading-slash";
const STORAGE_WILDCARD: &str = "storage/path-wildcard";
const STORAGE_DOUBLE_SLASH: &str = "storage/path-double-slash";
const STORAGE_STAR_POSITION: &str = "storage/path-star-position";
const STORAGE_NESTING: &str = "storage/path-nesting";
const STORAGE_ENTITY_ID: &str = "storage/entity-id";
const FUNCTION_SCHEDULE: &str = "function/schedule";
const FUNCTION_SCHEDULE_TIMEOUT: &str = "function/schedule-timeout";
const FUNCTION_ENV_KEY: &str = "function/env-key";
const FUNCTION_ENV_RESERVED: &str = "function/env-reserved";
const FUNCTION_LAYER_FORMAT: &str = "function/layer-format";
const BACKEND_RESOURCE_NAME: &str = "backend/resource-name";
const AUTH_RELYING_PARTY_ID: &str = "auth/relying-party-id";
const DATA_INDEX_NAME: &str = "data/index-name";
const DATA_AI_CONFIG: &str = "data/ai-config";
const DATA_ENUM_WHITESPACE: &str = "data/enum-whitespace";

// ---------------------------------------------------------------------------------------------
// JavaScript semantics that the mirrored checks depend on
// ---------------------------------------------------------------------------------------------

/// `/\s/` in JavaScript (and the whitespace `Number()` trims): note it includes U+FEFF and does not
/// include U+0085, unlike `char::is_whitespace`.
fn js_is_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// `Number(string)` in JavaScript: trims whitespace, the empty string is 0, accepts `0x`/`0o`/`0b`
/// literals, `Infinity`, and decimal literals with optional sign, fraction and exponent; else NaN.
fn js_number(s: &str) -> f64 {
    let t = s.trim_matches(js_is_whitespace);
    if t.is_empty() {
        return 0.0;
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    let bytes = t.as_bytes();
    if bytes.len() >= 2 && bytes[0] == b'0' {
        let radix = match bytes[1] {
            b'x' | b'X' => 16,
            b'o' | b'O' => 8,
            b'b' | b'B' => 2,
            _ => 0,
        };
        if radix != 0 {
            let digits = &t[2..];
            if digits.is_empty() {
                return f64::NAN;
            }
            let mut value = 0.0f64;
            for c in digits.chars() {
                match c.to_digit(radix) {
                    Some(d) => value = value * f64::from(radix) + f64::from(d),
                    None => return f64::NAN,
                }
            }
            return value;
        }
    }
    if is_js_decimal_literal(t) {
        t.parse::<f64>().unwrap_or(f64::NAN)
    } else {
        f64::NAN
    }
}

fn is_js_decimal_literal(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - frac_start;
    }
    if int_digits + frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

/// `min <= x && x <= max && x % 1 === 0` in JavaScript (false for NaN and infinities).
fn is_whole_between(x: f64, min: f64, max: f64) -> bool {
    min <= x && x <= max && x % 1.0 == 0.0
}

fn is_positive_whole(x: f64) -> bool {
    x > 0.0 && x % 1.0 == 0.0
}

/// Formats a number the way a person would write it (`5`, `1.5`).
fn fmt_num(x: f64) -> String {
    if x.is_finite() && x % 1.0 == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

// ---------------------------------------------------------------------------------------------
// Storage access paths (§3, "Runtime access rules" 1–6)
// ---------------------------------------------------------------------------------------------

const ENTITY_TOKEN: &str = "{entity_id}";

/// The storage access-path rules of §3 (rules 1–6 of "Runtime access rules"): given all path keys of one
/// defineStorage access object in source order, return (index of the offending path, Finding, Option<index of
/// the other path involved>) for each violation. Codes: storage/path-leading-slash, storage/path-wildcard,
/// storage/path-double-slash, storage/path-star-position, storage/path-nesting, storage/entity-id.
/// Report every independent problem (not only the first), but don't report the same problem twice for a path.
/// Messages must say what to write instead (e.g. "end the path with `/*`, e.g. `photos/*`").
///
/// Amplify stops at the first bad path; we report every path. With only well-formed paths (rules 1–4)
/// the nesting and `{entity_id}` checks are exactly Amplify's: a path's prefixes are the *other*,
/// non-identical paths that it starts with once their `*` is removed. A malformed path takes part in
/// these checks in its repaired form (`photos` as `photos/*`, the form our messages suggest), so the
/// problems that would remain after the quick fix are reported at once; a path with nothing left to
/// repair (`''`, `*`) takes no part, so a single typo does not cascade onto every other path.
/// (Checked against Amplify's own check on 16,000 generated path sets: the same sets are rejected.)
pub fn storage_paths(paths: &[&str]) -> Vec<(usize, Finding, Option<usize>)> {
    let mut out = Vec::new();
    // each path as it is when well-formed, else repaired (None: nothing to repair)
    let normalized: Vec<Option<String>> = paths
        .iter()
        .map(|p| {
            if path_format_findings(p).is_empty() {
                Some(p.to_string())
            } else {
                fixed_path(p)
            }
        })
        .collect();

    for (i, path) in paths.iter().enumerate() {
        for finding in path_format_findings(path) {
            out.push((i, finding, None));
        }

        let subject = normalized[i].as_deref().unwrap_or(path);
        let prefixes: Vec<usize> = (0..paths.len())
            .filter(|&j| {
                j != i
                    && normalized[j].as_deref().is_some_and(|other| {
                        other != subject && subject.starts_with(&other.replace('*', ""))
                    })
            })
            .collect();
        let has_entity = path.contains(ENTITY_TOKEN);

        if prefixes.len() > 1 {
            // the nearest (longest) prefix is the one the suggestion flattens into
            let nearest = prefixes
                .iter()
                .copied()
                .max_by_key(|&j| {
                    (
                        normalized[j].as_ref().map_or(0, String::len),
                        std::cmp::Reverse(j),
                    )
                })
                .unwrap_or(prefixes[0]);
            let listed = prefixes
                .iter()
                .map(|&j| format!("`{}`", paths[j]))
                .collect::<Vec<_>>()
                .join(", ");
            let base = normalized[nearest]
                .as_deref()
                .unwrap_or_default()
                .replace('*', "");
            let rest = subject.get(base.len()..).unwrap_or_default();
            let flattened = format!("{}-{}", base.trim_end_matches('/'), rest);
            let mut message = format!(
                "at most one other path may be a prefix of `{path}`, but {listed} all are; \
                 remove one of them or flatten this path, e.g. `{flattened}`"
            );
            if has_entity {
                message.push_str(&format!(
                    " (a path with `{ENTITY_TOKEN}` may not have any other path as its prefix)"
                ));
            }
            out.push((i, Finding::new(STORAGE_NESTING, message), Some(nearest)));
        } else if has_entity && prefixes.len() == 1 {
            let other = prefixes[0];
            out.push((
                i,
                Finding::new(
                    STORAGE_ENTITY_ID,
                    format!(
                        "a path with `{ENTITY_TOKEN}` may not have another path as its prefix, but `{}` is one; \
                         remove `{}` or move this path out from under it, e.g. `{}`",
                        paths[other],
                        paths[other],
                        moved_entity_path(normalized[other].as_deref().unwrap_or_default(), subject),
                    ),
                ),
                Some(other),
            ));
        }

        if has_entity {
            if let Some(finding) = entity_shape_finding(path) {
                out.push((i, finding, None));
            }
        }
    }
    out
}

/// Rules 1–4 for one path, each code at most once.
fn path_format_findings(path: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    let fixed = fixed_path(path);
    let write = match &fixed {
        Some(f) => format!("write `{f}`"),
        None => "e.g. `photos/*`".to_string(),
    };
    if path.starts_with('/') {
        found.push(Finding::new(
            STORAGE_LEADING_SLASH,
            format!("storage paths must not start with `/`: {write}"),
        ));
    }
    if !path.ends_with("/*") {
        found.push(Finding::new(
            STORAGE_WILDCARD,
            format!("storage paths must end with `/*`: {write}"),
        ));
    }
    if path.contains("//") {
        found.push(Finding::new(
            STORAGE_DOUBLE_SLASH,
            format!("storage paths must not contain `//` (an empty folder name): {write}"),
        ));
    }
    let star_not_last = path.find('*').is_some_and(|pos| pos + 1 < path.len());
    if star_not_last {
        found.push(Finding::new(
            STORAGE_STAR_POSITION,
            format!(
                "`*` is only allowed as the very last character of a storage path \
                 (no wildcards inside folder names or in the middle): {write}"
            ),
        ));
    }
    found
}

/// The path with rules 1–4 repaired: no empty segments, no `*` except the final `/*`.
/// None when nothing of the path is left to keep.
fn fixed_path(path: &str) -> Option<String> {
    let segments: Vec<String> = path
        .split('/')
        .map(|s| s.replace('*', ""))
        .filter(|s| !s.is_empty())
        .collect();
    if segments.is_empty() {
        None
    } else {
        Some(format!("{}/*", segments.join("/")))
    }
}

/// `path` moved next to its prefix `prefix` (`media/*` + `media/{entity_id}/*` → `media-private/{entity_id}/*`).
fn moved_entity_path(prefix: &str, path: &str) -> String {
    let base = prefix.replace('*', "");
    let rest = path.get(base.len()..).unwrap_or(path);
    let folder = base.trim_matches('/');
    let folder = if folder.is_empty() {
        "private".to_string()
    } else {
        format!("{folder}-private")
    };
    entity_path_suggestion(&format!("{folder}/{rest}"))
}

/// A corrected `{entity_id}` path: the other segments, then `{entity_id}`, then `*`.
fn entity_path_suggestion(path: &str) -> String {
    let without = path.replace(ENTITY_TOKEN, "");
    let mut segments: Vec<String> = without
        .split('/')
        .map(|s| s.replace('*', ""))
        .filter(|s| !s.is_empty())
        .collect();
    if segments.is_empty() {
        segments.push("private".to_string());
    }
    format!("{}/{ENTITY_TOKEN}/*", segments.join("/"))
}

/// Rules 6b–6e (token once; last segment before `/*`; not the first segment; a whole segment).
fn entity_shape_finding(path: &str) -> Option<Finding> {
    let occurrences = path.matches(ENTITY_TOKEN).count();
    let suggestion = entity_path_suggestion(path);
    let (before, after) = path.split_once(ENTITY_TOKEN)?;
    let message = if occurrences > 1 {
        format!("`{ENTITY_TOKEN}` may appear only once in a path: write e.g. `{suggestion}`")
    } else if after != "/*" {
        format!(
            "`{ENTITY_TOKEN}` must be the last folder of the path, directly followed by `/*`: write e.g. `{suggestion}`"
        )
    } else if before.is_empty() {
        format!("`{ENTITY_TOKEN}` cannot be the first folder of the path; put a folder before it, e.g. `{suggestion}`")
    } else if !before.ends_with('/') {
        format!(
            "`{ENTITY_TOKEN}` must be a whole folder name, without other characters around it: write e.g. `{suggestion}`"
        )
    } else {
        return None;
    };
    Some(Finding::new(STORAGE_ENTITY_ID, message))
}

// ---------------------------------------------------------------------------------------------
// Function schedules (§4)
// ---------------------------------------------------------------------------------------------

/// Example schedules for completion: (expression, one-line explanation).
pub const SCHEDULE_EXAMPLES: &[(&str, &str)] = &[
    ("every 5m", "every 5 minutes"),
    ("every 1h", "every hour, on the hour"),
    ("every 6h", "every 6 hours, on the hour"),
    (
        "every day",
        "once a day at midnight (UTC unless a timezone is set)",
    ),
    ("every week", "once a week, Sunday at midnight"),
    ("every month", "on the 1st of every month at midnight"),
    ("every year", "on January 1st at midnight"),
    (
        "0 9 ? * 2-6",
        "cron: 09:00 Monday to Friday (day-of-week 1 is Sunday)",
    ),
    ("30 8 * * ?", "cron: every day at 08:30"),
    ("0 0 1 * ?", "cron: midnight on the 1st of every month"),
    ("0 12 ? * 1", "cron: every Sunday at noon"),
    ("0 */4 * * ?", "cron: every 4 hours, on the hour"),
    (
        "15 10 ? * 2,4,6",
        "cron: 10:15 on Monday, Wednesday and Friday",
    ),
];

const RATE_FORMS: &str =
    "`every <N>m`, `every <N>h`, `every day`, `every week`, `every month` or `every year`";

/// A function schedule (one string: rate or cron) against the function's timeoutSeconds (default 3 when None).
/// Codes: function/schedule (syntax, ranges, the `?` rule, names like MON rejected, `every 2 days`),
/// function/schedule-timeout (minute rate * 60 < timeout). Exactly mirror what Amplify accepts (§4).
///
/// Like Amplify, a string containing `every` is a rate and anything else a cron expression; fields are
/// separated by single spaces. Some expressions that Amplify lets through are still odd (`every 0m`,
/// `0 9 ? * ?`, extra cron fields): they are not reported, because Amplify accepts them (verified).
pub fn schedule(expr: &str, timeout_seconds: Option<f64>) -> Option<Finding> {
    let timeout = timeout_seconds.unwrap_or(3.0);
    if expr.contains("every") {
        check_rate(expr, timeout)
    } else {
        check_cron(expr)
    }
}

const RATE_UNITS: [&str; 6] = ["m", "h", "day", "week", "month", "year"];

fn check_rate(expr: &str, timeout: f64) -> Option<Finding> {
    let parts: Vec<&str> = expr.split(' ').collect();
    let is_interval = parts.len() == 2
        && parts[0] == "every"
        && RATE_UNITS.iter().any(|unit| parts[1].ends_with(unit));
    if !is_interval {
        // Amplify crashes with an internal TypeError on these (verified: `every 2 days`, `every  5m`)
        return Some(rate_syntax_finding(expr));
    }
    let part = parts[1];
    let value = first_number(part).map(js_number);
    let unit = first_letters(part);
    if let Some(v) = value {
        // JavaScript truthiness: a zero value skips both checks (verified: `every 0m` is accepted)
        if v != 0.0 && !v.is_nan() {
            if !is_positive_whole(v) {
                let whole = v.abs().round().max(1.0);
                return Some(Finding::new(
                    FUNCTION_SCHEDULE,
                    format!(
                        "the rate must be a positive whole number: write e.g. `every {}{}`",
                        fmt_num(whole),
                        unit.unwrap_or("m")
                    ),
                ));
            }
            if unit == Some("m") && v * 60.0 < timeout {
                let minutes = (timeout / 60.0).ceil().max(1.0);
                return Some(Finding::new(
                    FUNCTION_SCHEDULE_TIMEOUT,
                    format!(
                        "this schedule starts the function every {} minute{} ({} s) but its timeoutSeconds is {} s; \
                         the rate may not be shorter than the timeout: use `every {}m` or more, \
                         or lower timeoutSeconds to {} or less",
                        fmt_num(v),
                        if v == 1.0 { "" } else { "s" },
                        fmt_num(v * 60.0),
                        fmt_num(timeout),
                        fmt_num(minutes),
                        fmt_num(v * 60.0)
                    ),
                ));
            }
        }
    }
    match unit {
        Some("m" | "h" | "day" | "week" | "month" | "year") => None,
        _ => Some(rate_syntax_finding(expr)),
    }
}

fn rate_syntax_finding(expr: &str) -> Finding {
    let mut message = format!("a rate schedule is written {RATE_FORMS}");
    match suggest_rate(expr) {
        Some(s) => message.push_str(&format!(": write `{s}`")),
        None => message.push_str(", or use a cron expression such as `0 0 */2 * ?`"),
    }
    Finding::new(FUNCTION_SCHEDULE, message)
}

/// Best-effort correction of a rate someone wrote in words (`every 5 minutes`, `every 2 days`).
fn suggest_rate(expr: &str) -> Option<String> {
    let lower = expr.to_lowercase();
    let rest = &lower[lower.find("every")? + "every".len()..];
    let compact: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    let digits_end = compact
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(compact.len());
    let count: u64 = if digits_end == 0 {
        1
    } else {
        compact[..digits_end].parse().ok()?
    };
    if count == 0 {
        return None;
    }
    let word = &compact[digits_end..];
    let suggestion = match word {
        "m" | "min" | "mins" | "minute" | "minutes" => format!("every {count}m"),
        "h" | "hr" | "hrs" | "hour" | "hours" | "hourly" => format!("every {count}h"),
        "d" | "day" | "days" | "daily" if count == 1 => "every day".to_string(),
        "d" | "day" | "days" => format!("0 0 */{count} * ?"),
        "w" | "week" | "weeks" | "weekly" if count == 1 => "every week".to_string(),
        "month" | "months" | "monthly" if count == 1 => "every month".to_string(),
        "month" | "months" if count <= 12 => format!("0 0 1 */{count} ?"),
        "y" | "year" | "years" | "yearly" if count == 1 => "every year".to_string(),
        _ => return None,
    };
    // never suggest something that is itself rejected
    let valid = if suggestion.contains("every") {
        check_rate(&suggestion, 0.0).is_none()
    } else {
        check_cron(&suggestion).is_none()
    };
    valid.then_some(suggestion)
}

/// The first match of `/-?\d+\.?\d*/` (ASCII digits).
fn first_number(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let starts_negative = b[i] == b'-' && i + 1 < b.len() && b[i + 1].is_ascii_digit();
        if starts_negative || b[i].is_ascii_digit() {
            let start = i;
            if starts_negative {
                i += 1;
            }
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i < b.len() && b[i] == b'.' {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            return Some(&s[start..i]);
        }
        i += 1;
    }
    None
}

/// The first match of `/[a-zA-Z]+/`.
fn first_letters(s: &str) -> Option<&str> {
    let start = s.find(|c: char| c.is_ascii_alphabetic())?;
    let len = s[start..]
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(s.len() - start);
    Some(&s[start..start + len])
}

#[derive(Clone, Copy)]
struct CronField {
    name: &'static str,
    min: f64,
    max: f64,
}

const CRON_FIELDS: [CronField; 6] = [
    CronField {
        name: "minute",
        min: 0.0,
        max: 59.0,
    },
    CronField {
        name: "hour",
        min: 0.0,
        max: 23.0,
    },
    CronField {
        name: "day-of-month",
        min: 1.0,
        max: 31.0,
    },
    CronField {
        name: "month",
        min: 1.0,
        max: 12.0,
    },
    CronField {
        name: "day-of-week",
        min: 1.0,
        max: 7.0,
    },
    CronField {
        name: "year",
        min: 1970.0,
        max: 2199.0,
    },
];
const DAY_OF_MONTH: usize = 2;
const MONTH: usize = 3;
const DAY_OF_WEEK: usize = 4;

#[derive(Debug, Clone, PartialEq)]
enum CronIssue {
    TooFewFields(usize),
    /// a plain value that is not a whole number in range
    Value(usize),
    /// a list with an item that is not a plain whole number in range
    List(usize),
    Step(usize),
    Range(usize),
    BothDays,
}

/// The cron checks in Amplify's order (all problems, like Amplify collects them).
fn cron_issues(expr: &str) -> Vec<CronIssue> {
    let parts: Vec<&str> = expr.split(' ').collect();
    if parts.len() < 5 {
        // Amplify crashes with an internal TypeError on a missing field (verified with 4 fields)
        return vec![CronIssue::TooFewFields(parts.len())];
    }
    let mut issues = Vec::new();
    for (index, value) in parts.iter().take(6).enumerate() {
        let skip = match index {
            DAY_OF_MONTH | DAY_OF_WEEK => *value == "?",
            // an empty year (trailing space) is skipped (verified)
            5 => value.is_empty(),
            _ => false,
        };
        if !skip {
            cron_part_issues(index, value, &mut issues);
        }
    }
    if parts[DAY_OF_MONTH] != "?" && parts[DAY_OF_WEEK] != "?" {
        issues.push(CronIssue::BothDays);
    }
    issues
}

fn cron_part_issues(index: usize, value: &str, issues: &mut Vec<CronIssue>) {
    if value == "*" {
        return;
    }
    let field = CRON_FIELDS[index];
    let has_step = value.contains('/');
    let has_range = value.contains('-');
    let has_list = value.contains(',');
    if has_list {
        if !value
            .split(',')
            .all(|item| is_whole_between(js_number(item), field.min, field.max))
        {
            issues.push(CronIssue::List(index));
        }
        for item in value.split(',') {
            if item.contains('/') {
                if step_is_bad(item, field) {
                    issues.push(CronIssue::Step(index));
                }
            } else if item.contains('-') && range_is_bad(item, field) {
                issues.push(CronIssue::Range(index));
            }
        }
    } else if has_step {
        if step_is_bad(value, field) {
            issues.push(CronIssue::Step(index));
        }
    } else if has_range && range_is_bad(value, field) {
        issues.push(CronIssue::Range(index));
    }
    if !has_step
        && !has_range
        && !has_list
        && !is_whole_between(js_number(value), field.min, field.max)
    {
        issues.push(CronIssue::Value(index));
    }
}

fn step_is_bad(value: &str, field: CronField) -> bool {
    let mut pieces = value.split('/');
    let original_base = pieces.next().unwrap_or("");
    let step = js_number(pieces.next().unwrap_or(""));
    if original_base == "*" {
        step.is_nan() || !is_positive_whole(step)
    } else {
        let base = js_number(original_base);
        base.is_nan()
            || step.is_nan()
            || !is_whole_between(base, field.min, field.max)
            || step <= 0.0
    }
}

fn range_is_bad(value: &str, field: CronField) -> bool {
    let mut pieces = value.split('-');
    let start = js_number(pieces.next().unwrap_or(""));
    let end = js_number(pieces.next().unwrap_or(""));
    start.is_nan()
        || end.is_nan()
        || !is_whole_between(start, field.min, field.max)
        || !is_whole_between(end, field.min, field.max)
        || start > end
}

const DAY_NAMES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MONTH_NAMES: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// Replaces day/month names (case-insensitive, 3-letter) by their numbers; None when there is none.
fn replace_names(value: &str, names: &[&str]) -> Option<String> {
    let mut out = String::new();
    let mut changed = false;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String, changed: &mut bool| {
        let upper = word.to_ascii_uppercase();
        match names.iter().position(|n| *n == upper) {
            Some(i) => {
                out.push_str(&(i + 1).to_string());
                *changed = true;
            }
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in value.chars() {
        if c.is_ascii_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out, &mut changed);
            out.push(c);
        }
    }
    flush(&mut word, &mut out, &mut changed);
    changed.then_some(out)
}

/// A corrected cron expression (names to numbers, Unix-style `*`/`*` days to `?`), if it then passes.
fn fix_cron(expr: &str) -> Option<String> {
    let mut parts: Vec<String> = expr.split(' ').map(str::to_string).collect();
    if parts.len() < 5 {
        return None;
    }
    if let Some(v) = replace_names(&parts[MONTH], &MONTH_NAMES) {
        parts[MONTH] = v;
    }
    if let Some(v) = replace_names(&parts[DAY_OF_WEEK], &DAY_NAMES) {
        parts[DAY_OF_WEEK] = v;
    }
    if parts[DAY_OF_MONTH] != "?" && parts[DAY_OF_WEEK] != "?" {
        if parts[DAY_OF_WEEK] == "*" {
            parts[DAY_OF_WEEK] = "?".to_string();
        } else if parts[DAY_OF_MONTH] == "*" {
            parts[DAY_OF_MONTH] = "?".to_string();
        }
    }
    let fixed = parts.join(" ");
    (fixed != expr && cron_issues(&fixed).is_empty()).then_some(fixed)
}

fn check_cron(expr: &str) -> Option<Finding> {
    let issues = cron_issues(expr);
    let first = issues.first()?;
    if expr.to_lowercase().contains("every") {
        // `Every 5m`, `EVERY day`: only the exact lower-case word makes a rate
        return Some(rate_syntax_finding(&expr.to_lowercase()));
    }
    let parts: Vec<&str> = expr.split(' ').collect();
    let value_of = |i: usize| parts.get(i).copied().unwrap_or("");
    let mut message = match first {
        CronIssue::TooFewFields(_) if expr.trim().is_empty() => {
            "the schedule is empty: write a rate such as `every 5m` or a cron expression such as `0 9 ? * 2-6`"
                .to_string()
        }
        CronIssue::TooFewFields(n) => format!(
            "a cron schedule has 5 fields separated by single spaces (minute hour day-of-month month day-of-week), \
             optionally a 6th for the year; found {n}"
        ),
        CronIssue::BothDays => {
            "one of day-of-month and day-of-week must be `?` (they cannot both be set, not even to `*`)".to_string()
        }
        CronIssue::Value(i) | CronIssue::List(i) | CronIssue::Step(i) | CronIssue::Range(i) => {
            field_message(first, *i, value_of(*i))
        }
    };
    match fix_cron(expr) {
        Some(fixed) => message.push_str(&format!(": write `{fixed}`")),
        None if matches!(first, CronIssue::TooFewFields(_)) => {
            message.push_str("; e.g. `0 9 ? * 2-6` runs at 09:00 Monday to Friday")
        }
        None => {}
    }
    Some(Finding::new(FUNCTION_SCHEDULE, message))
}

fn field_message(issue: &CronIssue, index: usize, value: &str) -> String {
    let field = CRON_FIELDS[index];
    let upper = value.to_ascii_uppercase();
    let has_names = |names: &[&str]| names.iter().any(|n| upper.contains(n));
    let range = format!("{} to {}", fmt_num(field.min), fmt_num(field.max));
    if index == DAY_OF_WEEK && has_names(&DAY_NAMES) {
        return "day-of-week takes numbers only, names like `MON` are not accepted (1 = Sunday, 2 = Monday, … 7 = Saturday)"
            .to_string();
    }
    if index == MONTH && has_names(&MONTH_NAMES) {
        return "month takes numbers only, names like `JAN` are not accepted (1 = January … 12 = December)".to_string();
    }
    if value.contains('?') {
        return format!(
            "`?` is only allowed in day-of-month or day-of-week, not in {}",
            field.name
        );
    }
    if (index == DAY_OF_MONTH || index == DAY_OF_WEEK)
        && (upper.contains('L') || upper.contains('W') || value.contains('#'))
    {
        return format!(
            "`L`, `W` and `#` are not supported in {}: use numbers from {range}",
            field.name
        );
    }
    match issue {
        CronIssue::List(_) => format!(
            "a list in {} may only contain single whole numbers from {range} (no ranges or steps inside a list): \
             write the values out, e.g. `1,3,4,5`",
            field.name
        ),
        CronIssue::Step(_) => format!(
            "a step in {} is written `*/n` or `start/n`, with a start from {range} and a positive whole n (found `{value}`)",
            field.name
        ),
        CronIssue::Range(_) => format!(
            "a range in {} is written `a-b` with whole numbers from {range} and a ≤ b (found `{value}`)",
            field.name
        ),
        _ if index == DAY_OF_WEEK && value == "0" => {
            "day-of-week counts from 1 (Sunday) to 7 (Saturday); write `1` for Sunday".to_string()
        }
        _ => format!(
            "{} must be `*`, a whole number from {range}, a range `a-b`, a list `a,b` or a step `*/n` (found `{value}`)",
            field.name
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// defineFunction: environment keys and layers
// ---------------------------------------------------------------------------------------------

/// Keys that the Lambda runtime sets itself; CDK refuses them while synthesizing (verified for
/// `AWS_REGION` and `AWS_LAMBDA_FUNCTION_NAME`).
const LAMBDA_RESERVED_ENV: [&str; 18] = [
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];

/// defineFunction environment key rules: function/env-key, function/env-reserved.
///
/// The key pattern is `^[a-zA-Z]([a-zA-Z0-9_])+$` (letter first, at least 2 characters). Reserved:
/// `AMPLIFY_SSM_ENV_CONFIG` (Amplify's own) and the variables Lambda sets itself (`AWS_REGION`, ...).
pub fn env_key(key: &str) -> Option<Finding> {
    let mut chars = key.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && key.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        let mut cleaned: String = key
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        cleaned = cleaned
            .trim_start_matches(|c: char| !c.is_ascii_alphabetic())
            .to_string();
        let example = if cleaned.len() >= 2 && cleaned != key {
            format!("write `{cleaned}`")
        } else {
            "e.g. `API_URL`".to_string()
        };
        return Some(Finding::new(
            FUNCTION_ENV_KEY,
            format!(
                "environment variable names must start with a letter, contain only letters, digits and `_`, \
                 and be at least 2 characters long: {example}"
            ),
        ));
    }
    if key == "AMPLIFY_SSM_ENV_CONFIG" {
        return Some(Finding::new(
            FUNCTION_ENV_RESERVED,
            "`AMPLIFY_SSM_ENV_CONFIG` is used by Amplify itself to load secrets; choose another name, e.g. `APP_SSM_CONFIG`",
        ));
    }
    if LAMBDA_RESERVED_ENV.contains(&key) {
        return Some(Finding::new(
            FUNCTION_ENV_RESERVED,
            format!(
                "`{key}` is set by the Lambda runtime and cannot be defined; read `process.env.{key}` in the handler, \
                 or choose another name, e.g. `APP_{}`",
                key.trim_start_matches('_')
            ),
        ));
    }
    None
}

fn is_layer_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// `name:version` as a whole (`^[a-zA-Z0-9-_]+:[0-9]+$`).
fn is_layer_name_version(value: &str) -> bool {
    match value.split_once(':') {
        Some((name, version)) => {
            !name.is_empty()
                && name.bytes().all(is_layer_name_char)
                && !version.is_empty()
                && version.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// The layer-version ARN pattern searched anywhere in the value, like Amplify's unanchored regex
/// `arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+` (verified).
fn contains_layer_arn(value: &str) -> bool {
    fn run(b: &[u8], mut i: usize, ok: impl Fn(u8) -> bool) -> Option<usize> {
        let start = i;
        while i < b.len() && ok(b[i]) {
            i += 1;
        }
        (i > start).then_some(i)
    }
    fn literal(b: &[u8], i: usize, lit: &str) -> Option<usize> {
        b.get(i..i + lit.len())
            .filter(|s| *s == lit.as_bytes())
            .map(|_| i + lit.len())
    }
    fn matches_at(b: &[u8], i: usize) -> Option<()> {
        let alnum_dash = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
        let i = literal(b, i, "arn:")?;
        let i = run(b, i, alnum_dash)?;
        let i = literal(b, i, ":lambda:")?;
        let i = run(b, i, alnum_dash)?;
        let i = literal(b, i, ":")?;
        let digits_end = run(b, i, |c| c.is_ascii_digit())?;
        if digits_end - i < 12 {
            return None;
        }
        // exactly 12 digits then `:` (a longer run cannot be followed by `:` at position 12)
        let i = literal(b, i + 12, ":layer:")?;
        let i = run(b, i, is_layer_name_char)?;
        let i = literal(b, i, ":")?;
        run(b, i, |c| c.is_ascii_digit()).map(|_| ())
    }
    let b = value.as_bytes();
    value
        .match_indices("arn:")
        .any(|(i, _)| matches_at(b, i).is_some())
}

/// A layer value: a full Lambda layer-version ARN or `name:version`. code function/layer-format.
pub fn layer_value(value: &str) -> Option<Finding> {
    if contains_layer_arn(value) || is_layer_name_version(value) {
        return None;
    }
    let mut message = "a layer is a full layer-version ARN (`arn:aws:lambda:<region>:<account-id>:layer:<name>:<version>`) \
                       or `<name>:<version>` for a layer in the same account and region"
        .to_string();
    let trimmed = value.trim();
    if trimmed != value && (contains_layer_arn(trimmed) || is_layer_name_version(trimmed)) {
        message.push_str(&format!(": write `{trimmed}`"));
    } else if !value.is_empty() && value.bytes().all(is_layer_name_char) {
        message.push_str(&format!("; add the version number, e.g. `{value}:1`"));
    } else if value.starts_with("arn:") && value.contains(":layer:") {
        message.push_str("; check the 12-digit account id and end it with the version number, e.g. `...:layer:my-layer:1`");
    } else {
        message.push_str(", e.g. `my-layer:1`");
    }
    Some(Finding::new(FUNCTION_LAYER_FORMAT, message))
}

// ---------------------------------------------------------------------------------------------
// Names and identifiers
// ---------------------------------------------------------------------------------------------

/// The resource-name rule `^[a-zA-Z][a-zA-Z0-9-_ ]*$` (backend/resource-name).
pub fn resource_name(name: &str) -> Option<Finding> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ' ';
    let mut chars = name.chars();
    if chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(allowed) {
        return None;
    }
    let cleaned: String = name
        .chars()
        .map(|c| if allowed(c) { c } else { '-' })
        .collect::<String>()
        .trim_start_matches(|c: char| !c.is_ascii_alphabetic())
        .to_string();
    let example = if !cleaned.is_empty() && cleaned != name {
        format!("write `{cleaned}`")
    } else {
        "e.g. `myFiles`".to_string()
    };
    Some(Finding::new(
        BACKEND_RESOURCE_NAME,
        format!(
            "resource names must start with a letter and contain only letters, digits, `-`, `_` and spaces: {example}"
        ),
    ))
}

fn is_domain(value: &str) -> bool {
    value.split('.').all(|label| {
        let b = label.as_bytes();
        !b.is_empty()
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    })
}

/// webAuthn relyingPartyId: AUTO, localhost, or a bare domain (§1.4). code auth/relying-party-id.
///
/// Mirrors Amplify: `AUTO` and `localhost` pass; an empty string is not checked (verified); a value
/// with `://` or that is not dot-separated labels of letters, digits and inner hyphens is rejected; CDK
/// then limits the id to 63 characters (verified). IPv4 addresses and single labels pass (verified).
pub fn relying_party_id(value: &str) -> Option<Finding> {
    if value.is_empty() || value == "AUTO" || value == "localhost" {
        return None;
    }
    let host = {
        let without_scheme = value.split_once("://").map_or(value, |(_, rest)| rest);
        let end = without_scheme
            .find(['/', ':', '?', '#'])
            .unwrap_or(without_scheme.len());
        without_scheme[..end]
            .trim()
            .trim_end_matches('.')
            .to_string()
    };
    let suggestion = if !host.is_empty() && host != value && is_domain(&host) && host.len() <= 63 {
        format!(": write `{host}`")
    } else {
        String::new()
    };
    if value.contains("://") {
        return Some(Finding::new(
            AUTH_RELYING_PARTY_ID,
            format!("relyingPartyId is a bare domain without `https://` or a path{suggestion}"),
        ));
    }
    if !is_domain(value) {
        let tail = if suggestion.is_empty() {
            ", e.g. `app.example.com`".to_string()
        } else {
            suggestion
        };
        return Some(Finding::new(
            AUTH_RELYING_PARTY_ID,
            format!(
                "relyingPartyId must be `AUTO`, `localhost` or a domain made of letters, digits and hyphens \
                 separated by dots (no port, path, spaces or trailing dot){tail}"
            ),
        ));
    }
    if value.len() > 63 {
        return Some(Finding::new(
            AUTH_RELYING_PARTY_ID,
            format!(
                "relyingPartyId may be at most 63 characters long (this one has {}): use a shorter domain, \
                 e.g. the parent domain of your app",
                value.len()
            ),
        ));
    }
    None
}

/// Secondary index name: 3–255 chars of [A-Za-z0-9_.-]. code data/index-name.
///
/// An empty name is ignored by Amplify, which then uses the default name (verified).
pub fn index_name(value: &str) -> Option<Finding> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-';
    if value.is_empty() || ((3..=255).contains(&value.len()) && value.chars().all(allowed)) {
        return None;
    }
    let mut cleaned: String = value
        .chars()
        .map(|c| if allowed(c) { c } else { '_' })
        .collect();
    if cleaned.len() < 3 {
        cleaned.push_str("Index");
    }
    cleaned.truncate(255);
    Some(Finding::new(
        DATA_INDEX_NAME,
        format!(
            "index names are 3 to 255 characters of letters, digits, `_`, `.` and `-`: write e.g. `{cleaned}`"
        ),
    ))
}

/// a.ai.dataTool name: 1–64 chars, starts with a letter, letters/digits/underscore. code data/ai-config.
pub fn data_tool_name(value: &str) -> Option<Finding> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut chars = value.chars();
    if chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(allowed)
        && value.len() <= 64
    {
        return None;
    }
    let mut cleaned: String = value
        .chars()
        .map(|c| if allowed(c) { c } else { '_' })
        .collect::<String>()
        .trim_start_matches(|c: char| !c.is_ascii_alphabetic())
        .to_string();
    cleaned.truncate(64);
    if cleaned.is_empty() {
        cleaned = "lookupData".to_string();
    }
    Some(Finding::new(
        DATA_AI_CONFIG,
        format!(
            "tool names are 1 to 64 characters, start with a letter and contain only letters, digits and `_`: \
             write e.g. `{cleaned}`"
        ),
    ))
}

/// Enum values must not contain whitespace. code data/enum-whitespace.
///
/// Whitespace as JavaScript's `\s` sees it, plus U+0085, which Amplify also rejects (through its
/// GraphQL parser; verified).
pub fn enum_value(value: &str) -> Option<Finding> {
    let is_ws = |c: char| js_is_whitespace(c) || c == '\u{85}';
    if !value.chars().any(is_ws) {
        return None;
    }
    let fixed = value
        .split(is_ws)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    let example = if fixed.is_empty() {
        "e.g. `IN_PROGRESS`".to_string()
    } else {
        format!("write e.g. `{fixed}`")
    };
    Some(Finding::new(
        DATA_ENUM_WHITESPACE,
        format!("enum values cannot contain spaces or other whitespace: {example}"),
    ))
}

// ---------------------------------------------------------------------------------------------
// security/hardcoded-secret heuristic
// ---------------------------------------------------------------------------------------------

/// Splits an identifier into words: separators are non-ASCII-alphanumerics, and camelCase boundaries
/// (`clientSecret` → client, Secret; `APIKey` → API, Key). Digits stay with the preceding word.
fn identifier_words(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[derive(Debug, PartialEq, Eq)]
enum KeyKind {
    /// the name says it holds a secret (`DB_PASSWORD`, `apiKey`, `STRIPE_SECRET`)
    Secret,
    /// ends in `KEY` without saying more (`STRIPE_KEY`, `LICENSE_KEY`)
    MaybeSecret,
    /// the name describes something about a secret, not the secret (`SECRET_NAME`, `TOKEN_TTL`)
    Descriptor,
    Other,
}

const DESCRIPTOR_WORDS: &[&str] = &[
    "NAME",
    "NAMES",
    "ARN",
    "ID",
    "IDS",
    "URL",
    "URLS",
    "URI",
    "ENDPOINT",
    "HOST",
    "PATH",
    "FILE",
    "DIR",
    "HEADER",
    "LENGTH",
    "LEN",
    "TTL",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
    "TIMEOUT",
    "AGE",
    "PARAM",
    "PARAMS",
    "PARAMETER",
    "REGION",
    "TABLE",
    "BUCKET",
    "ENABLED",
    "DISABLED",
    "ENABLE",
    "TYPE",
    "FIELD",
    "VERSION",
    "PREFIX",
    "SUFFIX",
    "COUNT",
    "SIZE",
    "LOCATION",
    "ALGORITHM",
    "ALG",
    "ISSUER",
    "AUDIENCE",
    "SCOPE",
    "SCOPES",
    "MODE",
    "POLICY",
    "FORMAT",
    "STRATEGY",
    "ENV",
    "STAGE",
    "LABEL",
    "ALIAS",
    "PROVIDER",
    "SOURCE",
    "KIND",
    "REF",
    "HINT",
    "EMAIL",
    "USER",
    "USERNAME",
    "ROTATION",
    "DAYS",
    "SECONDS",
    "MINUTES",
    "HOURS",
    "LIMIT",
    "MIN",
    "MAX",
];

fn classify_key(key: &str) -> KeyKind {
    let words: Vec<String> = identifier_words(key)
        .into_iter()
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let Some(last) = words.last() else {
        return KeyKind::Other;
    };
    if DESCRIPTOR_WORDS.contains(&last.as_str()) {
        return KeyKind::Descriptor;
    }
    let strong_word = |w: &str| {
        [
            "SECRET",
            "PASSWORD",
            "PASSWD",
            "PASSPHRASE",
            "CREDENTIAL",
            "APIKEY",
            "PRIVATEKEY",
            "ACCESSKEY",
        ]
        .iter()
        .any(|s| w.contains(s))
            || w.ends_with("TOKEN")
            || w == "TOKENS"
            || w == "PWD"
            || w == "PASS"
    };
    let strong_pair = words.windows(2).any(|pair| {
        pair[1] == "KEY"
            && [
                "API",
                "PRIVATE",
                "ACCESS",
                "SIGNING",
                "ENCRYPTION",
                "MASTER",
                "AUTH",
                "SESSION",
                "CLIENT",
                "SECRET",
            ]
            .contains(&pair[0].as_str())
    });
    if words.iter().any(|w| strong_word(w)) || strong_pair {
        KeyKind::Secret
    } else if last == "KEY" || last.ends_with("KEY") {
        KeyKind::MaybeSecret
    } else {
        KeyKind::Other
    }
}

/// `prefix` followed by at least `min` characters accepted by `ok`, anywhere in `value`.
fn has_token(value: &str, prefix: &str, min: usize, ok: impl Fn(u8) -> bool) -> bool {
    let b = value.as_bytes();
    value.match_indices(prefix).any(|(i, _)| {
        let start = i + prefix.len();
        b[start..].iter().take_while(|c| ok(**c)).count() >= min
    })
}

fn is_token_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// Shapes that are credentials whatever the key is called.
pub(crate) fn is_vendor_credential(value: &str) -> bool {
    // Every shape below but a URL with credentials is at least 15 bytes long (the shortest, a Slack token: a
    // 5-byte prefix and 10 more); the redaction asks about every word of every message, most of them short.
    if value.len() < 15 {
        return url_has_credentials(value);
    }
    let b = value.as_bytes();
    // AWS access key ids: 4-letter prefix + 16 upper-case letters/digits, as a whole token
    let aws_key = [
        "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ABIA", "ACCA",
    ]
    .iter()
    .any(|prefix| {
        value.match_indices(prefix).any(|(i, _)| {
            let body = &b[i + 4..];
            let run = body
                .iter()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                .count();
            let before_ok = i == 0 || !b[i - 1].is_ascii_alphanumeric();
            run == 16 && before_ok
        })
    });
    let alnum = |c: u8| c.is_ascii_alphanumeric();
    let prefixed = [
        ("sk_live_", 10),
        ("sk_test_", 10),
        ("rk_live_", 10),
        ("rk_test_", 10),
        ("whsec_", 20),
        ("ghp_", 20),
        ("gho_", 20),
        ("ghu_", 20),
        ("ghs_", 20),
        ("ghr_", 20),
        ("github_pat_", 20),
        ("glpat-", 20),
        ("npm_", 30),
        ("GOCSPX-", 20),
    ]
    .iter()
    .any(|(prefix, min)| has_token(value, prefix, *min, is_token_char));
    let slack = ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-"]
        .iter()
        .any(|prefix| has_token(value, prefix, 10, is_token_char));
    let openai_like = has_token(value, "sk-", 20, is_token_char);
    let sendgrid = has_token(value, "SG.", 20, |c| {
        alnum(c) || c == b'_' || c == b'-' || c == b'.'
    });
    let pem_private = value.contains("-----BEGIN") && value.contains("PRIVATE KEY");
    let jwt = value.match_indices("eyJ").any(|(i, _)| {
        let token: &[u8] = &b[i..];
        let len = token
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'-' || **c == b'.')
            .count();
        let token = &token[..len];
        token.iter().filter(|c| **c == b'.').count() >= 2 && len >= 30
    });
    let webhook = [
        "hooks.slack.com/services/",
        "discord.com/api/webhooks/",
        "discordapp.com/api/webhooks/",
    ]
    .iter()
    .any(|w| has_token(value, w, 10, |c| is_token_char(c) || c == b'/'));
    aws_key
        || prefixed
        || slack
        || openai_like
        || sendgrid
        || pem_private
        || jwt
        || webhook
        || url_has_credentials(value)
}

/// `scheme://user:password@host` with a real-looking password, or a query parameter named like a
/// secret (`?api_key=...`, `&token=...`) with a non-trivial value.
fn url_has_credentials(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if let Some((userinfo, _)) = authority.rsplit_once('@') {
        if let Some((_, password)) = userinfo.split_once(':') {
            if !password.is_empty() && !is_placeholder(password) {
                return true;
            }
        }
    }
    let Some((_, query)) = rest.split_once('?') else {
        return false;
    };
    query.split(['&', '#']).any(|pair| {
        let Some((name, val)) = pair.split_once('=') else {
            return false;
        };
        let kind = classify_key(name);
        let secret_name = kind == KeyKind::Secret
            || ["KEY", "SIG", "SIGNATURE", "CODE"].contains(&name.to_ascii_uppercase().as_str());
        secret_name && val.len() >= 8 && !is_placeholder(val)
    })
}

fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let first = value.chars().next();
    (value.starts_with('<') && value.ends_with('>'))
        || value.starts_with("${")
        || value.starts_with("{{")
        || value.starts_with('%')
        || first.is_some_and(|f| value.chars().all(|c| c == f))
        || [
            "your",
            "placeholder",
            "replace",
            "changeme",
            "change_me",
            "example",
            "dummy",
            "redacted",
            "todo",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

/// Values that are clearly configuration, never a credential (unless a vendor shape matched).
fn is_plain_config(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    value.is_empty()
        || value.chars().any(char::is_whitespace)
        || [
            "true",
            "false",
            "yes",
            "no",
            "on",
            "off",
            "null",
            "undefined",
            "none",
        ]
        .contains(&lower.as_str())
        || !js_number(value).is_nan()
        || value.contains("://")
        || value.starts_with("arn:")
        || value.starts_with('/')
        || value.starts_with("./")
        || is_placeholder(value)
}

fn character_classes(value: &str) -> usize {
    let lower = value.chars().any(|c| c.is_lowercase());
    let upper = value.chars().any(|c| c.is_uppercase());
    let digit = value.chars().any(|c| c.is_ascii_digit());
    let other = value.chars().any(|c| !c.is_alphanumeric());
    [lower, upper, digit, other].iter().filter(|b| **b).count()
}

/// Shannon entropy in bits per character.
fn entropy(value: &str) -> f64 {
    let mut counts: Vec<(char, usize)> = Vec::new();
    let mut total = 0usize;
    for c in value.chars() {
        total += 1;
        match counts.iter_mut().find(|(k, _)| *k == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((c, 1)),
        }
    }
    if total == 0 {
        return 0.0;
    }
    counts
        .iter()
        .map(|(_, n)| {
            let p = *n as f64 / total as f64;
            -p * p.log2()
        })
        .sum()
}

/// A long random-looking string: at least `min_len` characters of a base64/token alphabet with
/// upper, lower and digits mixed, and high entropy (hashes and UUIDs, which are lower-case hex, do not count).
pub(crate) fn looks_random(value: &str, min_len: usize) -> bool {
    if value.len() < min_len {
        return false;
    }
    let token_alphabet = value
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'_' | b'-'));
    let count = |f: fn(&u8) -> bool| value.as_bytes().iter().filter(|c| f(c)).count();
    token_alphabet
        && count(u8::is_ascii_uppercase) >= 2
        && count(u8::is_ascii_lowercase) >= 2
        && count(u8::is_ascii_digit) >= 2
        && entropy(value) >= if min_len >= 32 { 4.3 } else { 3.5 }
}

/// Heuristic for security/hardcoded-secret on *environment* values (where a plain string is legal):
/// does this (key, value) look like a credential? Key names like *SECRET*, *TOKEN*, *PASSWORD*, *API_KEY*,
/// *PRIVATE_KEY*, and value shapes like AWS access keys (AKIA...), `sk_live_...`, `ghp_...`, `xox[bp]-...`, PEM
/// headers, long high-entropy strings. Must not flag ordinary config (URLs without credentials, 'production',
/// table names, short words, `true`). The message must never contain the value.
pub fn looks_like_credential(key: &str, value: &str) -> bool {
    let v = value.trim();
    if is_vendor_credential(v) {
        return true;
    }
    if is_plain_config(v) {
        return false;
    }
    match classify_key(key) {
        // a secret-named key: any password-like value (`hunter2`, `my-jwt-signing-value`), not a plain word
        KeyKind::Secret => {
            v.chars().count() >= 6 && (character_classes(v) >= 2 || v.chars().count() >= 12)
        }
        KeyKind::MaybeSecret => looks_random(v, 16),
        KeyKind::Descriptor => false,
        KeyKind::Other => looks_random(v, 32),
    }
}

// ---------------------------------------------------------------------------------------------
// Did-you-mean and secret names
// ---------------------------------------------------------------------------------------------

/// Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent transpositions).
fn osa_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut prev2 = vec![0usize; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut cur = vec![0usize; width];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(prev2[j - 2] + 1);
            }
            cur[j] = best;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Did-you-mean: the closest candidate within a small edit distance (case-insensitive match wins:
/// `loginwith` → `loginWith`; `timout` → `timeout...`), or None when nothing is close.
///
/// Allowed distance grows with the word: 0 up to 2 characters, 1 up to 5, 2 up to 9, then 3. Besides
/// whole candidates, words of 4+ characters are also compared with a candidate's leading camelCase
/// words (`timeout` in `timeoutSeconds`); a whole match beats such a partial one at equal distance,
/// and the earlier candidate wins ties.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    if lower.is_empty() {
        return None;
    }
    if let Some(exact) = candidates.iter().find(|c| c.to_lowercase() == lower) {
        return Some(exact);
    }
    let w: Vec<char> = lower.chars().collect();
    if w.len() > 64 {
        return None;
    }
    let limit = match w.len() {
        0..=2 => 0,
        3..=5 => 1,
        6..=9 => 2,
        _ => 3,
    };
    if limit == 0 {
        return None;
    }
    let mut best: Option<((usize, bool), &'a str)> = None;
    for &candidate in candidates {
        let cand: Vec<char> = candidate.to_lowercase().chars().collect();
        let mut score = None;
        if cand.len().abs_diff(w.len()) <= limit {
            let d = osa_distance(&w, &cand);
            if d <= limit {
                score = Some((d, false));
            }
        }
        if w.len() >= 4 {
            let original: Vec<char> = candidate.chars().collect();
            for (k, pair) in original.windows(2).enumerate() {
                let boundary = (pair[0].is_lowercase() || pair[0].is_ascii_digit())
                    && pair[1].is_uppercase()
                    || pair[1] == '_'
                    || pair[1] == '-';
                let head_len = k + 1;
                if !boundary
                    || head_len < 4
                    || head_len.abs_diff(w.len()) > limit
                    || head_len > cand.len()
                {
                    continue;
                }
                let d = osa_distance(&w, &cand[..head_len]);
                if d <= limit && score.is_none_or(|s| (d, true) < s) {
                    score = Some((d, true));
                }
            }
        }
        if let Some(s) = score {
            if best.is_none_or(|(b, _)| s < b) {
                best = Some((s, candidate));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// Converts a key to the SCREAMING_SNAKE secret name used by our quick fix: `clientSecret` in `google` → e.g.
/// `GOOGLE_CLIENT_SECRET` when given ("google", "clientSecret").
///
/// Only ASCII letters, digits and `_` are produced (secret names become SSM parameter names); when
/// the key already starts with the context's words they are not repeated; never empty.
pub fn secret_name(context: &str, key: &str) -> String {
    let upper = |s: &str| -> Vec<String> {
        identifier_words(s)
            .into_iter()
            .map(|w| w.to_ascii_uppercase())
            .collect()
    };
    let context_words = upper(context);
    let key_words = upper(key);
    let mut words = context_words.clone();
    if key_words.starts_with(&context_words) {
        words.clear();
    }
    words.extend(key_words);
    if words.is_empty() {
        "SECRET".to_string()
    } else {
        words.join("_")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn codes(paths: &[&str]) -> Vec<(usize, &'static str, Option<usize>)> {
        storage_paths(paths)
            .into_iter()
            .map(|(i, f, o)| (i, f.code, o))
            .collect()
    }

    // --- JS semantics ---

    #[test]
    fn js_number_matches_javascript() {
        assert_eq!(js_number(""), 0.0);
        assert_eq!(js_number("  \t"), 0.0);
        assert_eq!(js_number(" 7 "), 7.0);
        assert_eq!(js_number("0x1e"), 30.0);
        assert_eq!(js_number("0b101"), 5.0);
        assert_eq!(js_number("0o17"), 15.0);
        assert_eq!(js_number("1e1"), 10.0);
        assert_eq!(js_number("5."), 5.0);
        assert_eq!(js_number(".5"), 0.5);
        assert_eq!(js_number("+3"), 3.0);
        assert_eq!(js_number("-Infinity"), f64::NEG_INFINITY);
        for nan in [
            "0x", "-0x10", "1_000", ".", "e5", "1e", "inf", "NaN", "MON", "?", "1-5", "\u{85}1",
        ] {
            assert!(js_number(nan).is_nan(), "{nan:?}");
        }
        assert_eq!(js_number("\u{feff}4\u{a0}"), 4.0);
    }

    // --- storage paths ---

    #[test]
    fn valid_storage_paths_pass() {
        assert!(storage_paths(&[
            "photos/*",
            "photos/public/*",
            "photos/private/*",
            "media/{entity_id}/*"
        ])
        .is_empty());
        assert!(storage_paths(&["a/*", "ab/*", "my photos/*"]).is_empty());
        assert!(storage_paths(&[]).is_empty());
    }

    #[test]
    fn format_rules_each_reported_once() {
        assert_eq!(
            codes(&["/photos/*"]),
            vec![(0, STORAGE_LEADING_SLASH, None)]
        );
        assert_eq!(codes(&["photos"]), vec![(0, STORAGE_WILDCARD, None)]);
        assert_eq!(codes(&["photos*"]), vec![(0, STORAGE_WILDCARD, None)]);
        assert_eq!(codes(&["a//b/*"]), vec![(0, STORAGE_DOUBLE_SLASH, None)]);
        assert_eq!(
            codes(&["a///b//c/*"]),
            vec![(0, STORAGE_DOUBLE_SLASH, None)]
        );
        assert_eq!(codes(&["a/*/b/*"]), vec![(0, STORAGE_STAR_POSITION, None)]);
        assert_eq!(codes(&["a/b*/*"]), vec![(0, STORAGE_STAR_POSITION, None)]);
        assert_eq!(
            codes(&["a/**"]),
            vec![
                (0, STORAGE_WILDCARD, None),
                (0, STORAGE_STAR_POSITION, None)
            ]
        );
        // several independent problems on one path
        assert_eq!(
            codes(&["//a*"]),
            vec![
                (0, STORAGE_LEADING_SLASH, None),
                (0, STORAGE_WILDCARD, None),
                (0, STORAGE_DOUBLE_SLASH, None)
            ]
        );
        // problems on several paths
        assert_eq!(
            codes(&["/a/*", "ok/*", "b"]),
            vec![
                (0, STORAGE_LEADING_SLASH, None),
                (2, STORAGE_WILDCARD, None)
            ]
        );
    }

    #[test]
    fn format_messages_say_what_to_write() {
        let msg = |p: &str| storage_paths(&[p])[0].1.message.clone();
        assert!(msg("photos").contains("`photos/*`"), "{}", msg("photos"));
        assert!(msg("photos/").contains("`photos/*`"));
        assert!(msg("/photos/*").contains("write `photos/*`"));
        assert!(msg("a//b/*").contains("`a/b/*`"));
        assert!(msg("a/*/b/*").contains("`a/b/*`"));
        assert!(msg("").contains("e.g. `photos/*`"));
        assert!(msg("*").contains("e.g. `photos/*`"));
    }

    #[test]
    fn nesting_allows_one_prefix_only() {
        assert!(storage_paths(&["a/*", "a/b/*", "a/c/*"]).is_empty());
        let found = storage_paths(&["a/*", "a/b/*", "a/b/c/*"]);
        assert_eq!(found.len(), 1);
        let (index, finding, other) = &found[0];
        assert_eq!(
            (*index, finding.code, *other),
            (2, STORAGE_NESTING, Some(1))
        );
        assert!(finding.message.contains("`a/*`") && finding.message.contains("`a/b/*`"));
        assert!(finding.message.contains("`a/b-c/*`"), "{}", finding.message);
        // the suggested flattening really has a single prefix
        assert!(storage_paths(&["a/*", "a/b/*", "a/b-c/*"]).is_empty());
        // order does not matter
        assert_eq!(
            codes(&["a/b/c/*", "a/b/*", "a/*"]),
            vec![(0, STORAGE_NESTING, Some(1))]
        );
    }

    #[test]
    fn malformed_paths_take_part_in_their_repaired_form() {
        assert!(storage_paths(&["a/*", "a/*"]).is_empty());
        // '' would be a prefix of everything in Amplify's check; it is only reported itself
        assert_eq!(
            codes(&["", "x/*", "x/y/*"]),
            vec![(0, STORAGE_WILDCARD, None)]
        );
        assert_eq!(
            codes(&["*", "x/*", "x/y/*"]),
            vec![(0, STORAGE_WILDCARD, None)]
        );
        // a malformed path gets its own nesting problem reported ...
        assert_eq!(
            codes(&["a/*", "a/b/*", "a/b/c"]),
            vec![(2, STORAGE_WILDCARD, None), (2, STORAGE_NESTING, Some(1))]
        );
        assert_eq!(
            codes(&["x/*", "/x/{entity_id}/*"]),
            vec![
                (1, STORAGE_LEADING_SLASH, None),
                (1, STORAGE_ENTITY_ID, Some(0))
            ]
        );
        // ... and counts as a prefix of others (Amplify too counts `c` as a prefix of `c/{entity_id}/*`)
        assert_eq!(
            codes(&["c", "c/{entity_id}/*"]),
            vec![(0, STORAGE_WILDCARD, None), (1, STORAGE_ENTITY_ID, Some(0))]
        );
        // but not of its own repaired form
        assert_eq!(codes(&["c", "c/*"]), vec![(0, STORAGE_WILDCARD, None)]);
    }

    #[test]
    fn entity_prefix_message_suggests_a_move() {
        let found = storage_paths(&["media/*", "media/{entity_id}/*"]);
        let msg = &found[0].1.message;
        assert!(msg.contains("`media-private/{entity_id}/*`"), "{msg}");
        assert!(storage_paths(&["media/*", "media-private/{entity_id}/*"]).is_empty());
    }

    #[test]
    fn entity_id_rules() {
        // a: no prefix allowed (verified)
        let found = storage_paths(&["media/*", "media/{entity_id}/*"]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].0, found[0].1.code, found[0].2),
            (1, STORAGE_ENTITY_ID, Some(0))
        );
        // a with two prefixes: reported once, as nesting
        assert_eq!(
            codes(&["a/*", "a/b/*", "a/b/{entity_id}/*"]),
            vec![(2, STORAGE_NESTING, Some(1))]
        );
        // b: twice
        assert_eq!(
            codes(&["a/{entity_id}/{entity_id}/*"]),
            vec![(0, STORAGE_ENTITY_ID, None)]
        );
        // c: not last
        assert_eq!(
            codes(&["a/{entity_id}/b/*"]),
            vec![(0, STORAGE_ENTITY_ID, None)]
        );
        assert_eq!(
            codes(&["a/{entity_id}x/*"]),
            vec![(0, STORAGE_ENTITY_ID, None)]
        );
        // d: first segment
        assert_eq!(
            codes(&["{entity_id}/*"]),
            vec![(0, STORAGE_ENTITY_ID, None)]
        );
        // e: not a whole segment
        assert_eq!(
            codes(&["a/x{entity_id}/*"]),
            vec![(0, STORAGE_ENTITY_ID, None)]
        );
        // prefix problem and shape problem are independent
        assert_eq!(
            codes(&["a/*", "a/x{entity_id}/*"]),
            vec![
                (1, STORAGE_ENTITY_ID, Some(0)),
                (1, STORAGE_ENTITY_ID, None)
            ]
        );
    }

    #[test]
    fn entity_id_suggestions_are_valid() {
        for p in [
            "{entity_id}/*",
            "a/x{entity_id}/*",
            "a/{entity_id}x/*",
            "a/{entity_id}/b/*",
            "a/{entity_id}/{entity_id}/*",
        ] {
            let found = storage_paths(&[p]);
            let msg = &found[0].1.message;
            let suggestion = msg.rsplit('`').nth(1).unwrap_or_default();
            assert!(storage_paths(&[suggestion]).is_empty(), "{p}: {msg}");
        }
        let found = storage_paths(&["{entity_id}/*"]);
        assert!(found[0].1.message.contains("private/{entity_id}/*"));
    }

    // --- schedules ---

    fn code_of(expr: &str, timeout: Option<f64>) -> Option<&'static str> {
        schedule(expr, timeout).map(|f| f.code)
    }

    #[test]
    fn schedules_amplify_accepts() {
        // all verified ACCEPTED with amplify-synth (one function with all of them)
        for expr in [
            "every 5m",
            "every 1h",
            "every day",
            "every week",
            "every month",
            "every year",
            "every 0m",
            "every m",
            "every 2day",
            "every 5_m",
            "0 9 ? * 2 2025 extra",
            "0 9 ? * * ",
            "0 9 ? * ?",
            "/5 9 ? * *",
            "0 9 * * ?",
            "every 25h",
            "every -0m",
            "0x1e 9 ? * *",
            "0/1.5 9 ? * *",
            "0 9 ? * 1-2-3",
            "every 1.0m",
            "1e1 9 ? * *",
            "every 5.m",
            "every 2week",
        ] {
            assert_eq!(schedule(expr, None), None, "{expr}");
        }
        for expr in [
            "0 0 1 1 ? 2030",
            "*/15 * * * ? *",
            "0 8-17 ? * 2-6",
            "0 9 1,15 * ?",
            "5/10 * * 1-6 ?",
        ] {
            assert_eq!(schedule(expr, None), None, "{expr}");
        }
    }

    #[test]
    fn schedules_amplify_rejects() {
        // verified REJECTED with amplify-synth
        for expr in [
            "0 9 ? * 1,3-5",
            "0 9 ? * 0",
            "every 2 days",
            "0 9 * * *",
            "every 5mm",
            "every 1.5m",
            "every  5m",
            "0 9 ? *",
            "0 9 L * ?",
            "*/0 * ? * *",
            "Every 5m",
            " 0 9 ? * *",
            "every",
            "every 5min",
            "every weekday",
            "0 9 ? * MON",
        ] {
            assert_eq!(code_of(expr, None), Some(FUNCTION_SCHEDULE), "{expr}");
        }
        for expr in [
            "",
            "every -5m",
            "0 60 ? * *",
            "0 9 ? * * 2200",
            "0 9 32 * ?",
            "0 9 ? 13 *",
            "0 9 5-1 * ?",
            "run every 5m",
        ] {
            assert_eq!(code_of(expr, None), Some(FUNCTION_SCHEDULE), "{expr}");
        }
    }

    #[test]
    fn schedule_timeout() {
        // verified: timeout 301 + every 5m rejected, 300 accepted
        assert_eq!(
            code_of("every 5m", Some(301.0)),
            Some(FUNCTION_SCHEDULE_TIMEOUT)
        );
        assert_eq!(code_of("every 5m", Some(300.0)), None);
        assert_eq!(code_of("every 1m", None), None);
        assert_eq!(
            code_of("every 1m", Some(61.0)),
            Some(FUNCTION_SCHEDULE_TIMEOUT)
        );
        // only minute rates are compared
        assert_eq!(code_of("every 1h", Some(900.0)), None);
        assert_eq!(code_of("0 * ? * *", Some(900.0)), None);
        let msg = schedule("every 5m", Some(600.0))
            .map(|f| f.message)
            .unwrap_or_default();
        assert!(msg.contains("`every 10m`") && msg.contains("300"), "{msg}");
        assert_eq!(code_of("every 5m", Some(f64::NAN)), None);
    }

    #[test]
    fn schedule_messages_suggest_fixes() {
        let msg = |e: &str| schedule(e, None).map(|f| f.message).unwrap_or_default();
        assert!(
            msg("0 9 * * *").contains("`0 9 * * ?`"),
            "{}",
            msg("0 9 * * *")
        );
        assert!(
            msg("0 9 ? * MON").contains("`0 9 ? * 2`"),
            "{}",
            msg("0 9 ? * MON")
        );
        assert!(msg("0 9 ? * MON-FRI").contains("`0 9 ? * 2-6`"));
        assert!(msg("0 9 1 JAN ?").contains("`0 9 1 1 ?`"));
        assert!(
            msg("every 2 days").contains("`0 0 */2 * ?`"),
            "{}",
            msg("every 2 days")
        );
        assert!(msg("every 5 minutes").contains("`every 5m`"));
        assert!(msg("every 5min").contains("`every 5m`"));
        assert!(msg("every hour").contains("`every 1h`"));
        assert!(msg("Every 5m").contains("`every 5m`"));
        assert!(msg("every 1.5m").contains("`every 2m`"));
        assert!(msg("0 9 ? * 0").contains("Sunday"));
        assert!(msg("0 9 ? * 1,3-5").contains("list"));
        assert!(msg("0 9 ? *").contains("5 fields"));
        assert!(msg("").contains("empty"));
        // a suggested fix is itself accepted
        for e in [
            "0 9 * * *",
            "0 9 ? * MON",
            "every 2 days",
            "every 5 minutes",
            "every 3 months",
        ] {
            let m = msg(e);
            let s = m.rsplit('`').nth(1).unwrap_or_default();
            assert_eq!(schedule(s, None), None, "{e} -> {s}");
        }
    }

    #[test]
    fn schedule_examples_are_valid() {
        assert!(SCHEDULE_EXAMPLES.len() >= 8);
        for (expr, explanation) in SCHEDULE_EXAMPLES {
            assert_eq!(schedule(expr, None), None, "{expr}");
            assert!(!explanation.is_empty());
        }
    }

    // --- environment, layers, names ---

    #[test]
    fn env_keys() {
        for ok in ["AB", "a1", "Ab_", "aws_region", "API_URL", "x_"] {
            assert_eq!(env_key(ok), None, "{ok}");
        }
        for bad in ["A", "", "1A", "_HANDLER", "A-B", "A B", "ÄB", "a.b"] {
            assert_eq!(
                env_key(bad).map(|f| f.code),
                Some(FUNCTION_ENV_KEY),
                "{bad}"
            );
        }
        for reserved in [
            "AMPLIFY_SSM_ENV_CONFIG",
            "AWS_REGION",
            "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_SECRET_ACCESS_KEY",
        ] {
            assert_eq!(
                env_key(reserved).map(|f| f.code),
                Some(FUNCTION_ENV_RESERVED),
                "{reserved}"
            );
        }
        assert!(env_key("api-url")
            .map(|f| f.message)
            .unwrap_or_default()
            .contains("`api_url`"));
    }

    #[test]
    fn layers() {
        for ok in [
            "arn:aws:lambda:us-east-1:123456789012:layer:my-layer:3",
            "arn:aws-cn:lambda:cn-north-1:123456789012:layer:my_layer:12",
            "my-layer_1:3",
            // unanchored ARN search (verified accepted)
            "xx arn:aws:lambda:us-east-1:123456789012:layer:my:1 yy",
            "arn:aws:lambda:us-east-1:123456789012:layer:x:1:extra",
        ] {
            assert_eq!(layer_value(ok), None, "{ok}");
        }
        for bad in [
            "my.layer:1",
            "layer",
            "arn:aws:lambda:us-east-1:12345:layer:x:1",
            "arn:aws:lambda:us-east-1:1234567890123:layer:x:1",
            "arn:aws:lambda:us-east-1:123456789012:layer:x",
            "name:v1",
            ":1",
            "",
            " my:1",
        ] {
            assert_eq!(
                layer_value(bad).map(|f| f.code),
                Some(FUNCTION_LAYER_FORMAT),
                "{bad}"
            );
        }
        assert!(layer_value("layer")
            .map(|f| f.message)
            .unwrap_or_default()
            .contains("`layer:1`"));
        assert!(layer_value(" my:1")
            .map(|f| f.message)
            .unwrap_or_default()
            .contains("write `my:1`"));
    }

    #[test]
    fn resource_names() {
        for ok in ["files", "my bucket-1_x", "A", "a-"] {
            assert_eq!(resource_name(ok), None, "{ok}");
        }
        for bad in ["", "1files", "my.bucket", "-a", " a", "añ", "a\n"] {
            assert_eq!(
                resource_name(bad).map(|f| f.code),
                Some(BACKEND_RESOURCE_NAME),
                "{bad}"
            );
        }
        assert!(resource_name("my.bucket")
            .map(|f| f.message)
            .unwrap_or_default()
            .contains("`my-bucket`"));
    }

    #[test]
    fn relying_party_ids() {
        // verified: '', an IPv4 address, a single label, lower-case `auto`, 63 characters accepted
        let long63 = "a".repeat(63);
        for ok in [
            "AUTO",
            "localhost",
            "",
            "192.168.1.1",
            "example",
            "auto",
            "app.example.com",
            "a-b.c",
            long63.as_str(),
        ] {
            assert_eq!(relying_party_id(ok), None, "{ok}");
        }
        // verified: 64 characters, a trailing dot, a port rejected
        let long64 = "a".repeat(64);
        for bad in [
            long64.as_str(),
            "example.com.",
            "localhost:3000",
            "https://example.com",
            "my app.com",
            "-a.com",
            "a_b.com",
            "bücher.de",
            "a..b",
        ] {
            assert_eq!(
                relying_party_id(bad).map(|f| f.code),
                Some(AUTH_RELYING_PARTY_ID),
                "{bad}"
            );
        }
        let msg = |v: &str| relying_party_id(v).map(|f| f.message).unwrap_or_default();
        assert!(msg("https://app.example.com/login").contains("write `app.example.com`"));
        assert!(msg("example.com.").contains("write `example.com`"));
        assert!(msg(&long64).contains("63"));
    }

    #[test]
    fn index_names() {
        // verified: '' accepted (default name), 'ab' rejected, 'a.b-c_d' accepted
        let (long, too_long) = ("x".repeat(255), "x".repeat(256));
        for ok in ["", "a.b-c_d", "abc", "byOwner", long.as_str()] {
            assert_eq!(index_name(ok), None, "{ok}");
        }
        for bad in ["ab", "a b c", "by/owner", too_long.as_str(), "ñam"] {
            assert_eq!(
                index_name(bad).map(|f| f.code),
                Some(DATA_INDEX_NAME),
                "{bad}"
            );
        }
        assert!(index_name("ab")
            .map(|f| f.message)
            .unwrap_or_default()
            .contains("`abIndex`"));
    }

    #[test]
    fn data_tool_names() {
        let (long, too_long) = ("x".repeat(64), "x".repeat(65));
        for ok in ["a", "searchPosts", "list_todos2", long.as_str()] {
            assert_eq!(data_tool_name(ok), None, "{ok}");
        }
        for bad in ["", "1tool", "my-tool", "_x", too_long.as_str(), "tool name"] {
            assert_eq!(
                data_tool_name(bad).map(|f| f.code),
                Some(DATA_AI_CONFIG),
                "{bad}"
            );
        }
        assert!(data_tool_name("my-tool")
            .map(|f| f.message)
            .unwrap_or_default()
            .contains("`my_tool`"));
    }

    #[test]
    fn enum_values() {
        for ok in ["ACTIVE", "in_progress", "a-b", ""] {
            assert_eq!(enum_value(ok), None, "{ok}");
        }
        // verified: a space (inline enum), NBSP and NEL are rejected
        for bad in [
            "IN PROGRESS",
            "A\u{a0}B",
            "A\u{85}B",
            "A\tB",
            " A",
            "A\u{feff}",
            "A\u{3000}B",
        ] {
            assert_eq!(
                enum_value(bad).map(|f| f.code),
                Some(DATA_ENUM_WHITESPACE),
                "{bad:?}"
            );
        }
        assert!(enum_value("IN PROGRESS")
            .map(|f| f.message)
            .unwrap_or_default()
            .contains("`IN_PROGRESS`"));
    }

    // --- credentials ---

    #[test]
    fn credentials_by_value_shape() {
        let cases = [
            ("AWS_KEY", "AKIAIOSFODNN7EXAMPLE"),
            ("KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
            ("STRIPE", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
            ("GH", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"),
            ("SLACK", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp"),
            ("CERT", "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"),
            ("OPENAI", "sk-proj-abcdefghijklmnopqrstuvwxyz012345"),
            ("DATABASE_URL", "postgres://admin:s3cr3tP4ss@db.example.org:5432/app"),
            ("HOOK", "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX"),
            ("SESSION", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
            ("CALLBACK", "https://api.example.org/hook?api_key=Zx81kLmP02qRtY"),
            ("DATA", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8Ld02kx1"),
        ];
        for (k, v) in cases {
            assert!(looks_like_credential(k, v), "{k}");
        }
    }

    #[test]
    fn credentials_by_key_name() {
        for (k, v) in [
            ("DB_PASSWORD", "hunter2"),
            ("dbPassword", "correcthorsebattery"),
            ("JWT_SECRET", "my-jwt-signing-value"),
            ("apiKey", "a1b2c3d4e5f6"),
            ("STRIPE_API_KEY", "abc123XYZ"),
            ("GITHUB_TOKEN", "t0ken-value"),
            ("clientSecret", "Qw3rty!!"),
            ("LICENSE_KEY", "Lk7pQ2xZr9Tb4Wm1"),
        ] {
            assert!(looks_like_credential(k, v), "{k}");
        }
    }

    #[test]
    fn ordinary_config_is_not_a_credential() {
        for (k, v) in [
            ("STAGE", "production"),
            ("API_URL", "https://api.example.com/v1"),
            ("TABLE_NAME", "Todo-abc123xyz456-NONE"),
            ("FEATURE_ENABLED", "true"),
            ("SECRET_NAME", "my-app/prod/db-credentials"),
            ("TOKEN_TTL", "3600"),
            ("PASSWORD_MIN_LENGTH", "8"),
            ("API_KEY_HEADER", "x-api-key"),
            (
                "SECRET_ARN",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:x",
            ),
            ("PASSWORD_PARAM", "/myapp/prod/db-password"),
            ("API_KEY", "your-api-key-here"),
            ("DB_PASSWORD", "<password>"),
            ("DB_PASSWORD", "secret"),
            ("TOKEN", "default"),
            ("COMMIT_SHA", "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"),
            ("TENANT", "123e4567-e89b-12d3-a456-426614174000"),
            ("USER_POOL", "us-east-1_AbCdEfGhI"),
            ("GREETING", "Hello there, how are you today my friend"),
            ("REGION", "eu-west-1"),
            ("MODE", "x"),
            ("KEY", "short"),
            ("DB_URL", "postgres://db.example.org:5432/app"),
            (
                "DB_URL",
                "postgres://admin:${DB_PASSWORD}@db.example.org/app",
            ),
            ("EMPTY_SECRET", ""),
        ] {
            assert!(!looks_like_credential(k, v), "{k}={v}");
        }
    }

    #[test]
    fn key_classification() {
        assert_eq!(classify_key("SECRET_NAME"), KeyKind::Descriptor);
        assert_eq!(classify_key("clientSecret"), KeyKind::Secret);
        assert_eq!(classify_key("APIKey"), KeyKind::Secret);
        assert_eq!(classify_key("apikey"), KeyKind::Secret);
        assert_eq!(classify_key("STRIPE_KEY"), KeyKind::MaybeSecret);
        assert_eq!(classify_key("TOKENIZER_MODEL"), KeyKind::Other);
        assert_eq!(classify_key(""), KeyKind::Other);
    }

    // --- did you mean / secret names ---

    #[test]
    fn did_you_mean_cases() {
        let props = [
            "loginWith",
            "userAttributes",
            "multifactor",
            "accountRecovery",
            "groups",
            "triggers",
            "access",
            "senders",
            "name",
        ];
        assert_eq!(did_you_mean("loginwith", &props), Some("loginWith"));
        assert_eq!(did_you_mean("LOGINWITH", &props), Some("loginWith"));
        assert_eq!(did_you_mean("logInWith", &props), Some("loginWith"));
        assert_eq!(did_you_mean("loginWtih", &props), Some("loginWith"));
        assert_eq!(did_you_mean("mutlifactor", &props), Some("multifactor"));
        assert_eq!(did_you_mean("group", &props), Some("groups"));
        assert_eq!(did_you_mean("nmae", &props), Some("name"));
        assert_eq!(did_you_mean("database", &props), None);
        assert_eq!(did_you_mean("", &props), None);
        assert_eq!(did_you_mean("x", &props), None);
        assert_eq!(did_you_mean("ab", &["ac"]), None);
        let fn_props = [
            "name",
            "entry",
            "timeoutSeconds",
            "memoryMB",
            "environment",
            "runtime",
            "schedule",
            "layers",
        ];
        assert_eq!(did_you_mean("timout", &fn_props), Some("timeoutSeconds"));
        assert_eq!(did_you_mean("timeout", &fn_props), Some("timeoutSeconds"));
        assert_eq!(did_you_mean("memory", &fn_props), Some("memoryMB"));
        assert_eq!(did_you_mean("enviroment", &fn_props), Some("environment"));
        assert_eq!(did_you_mean("layer", &fn_props), Some("layers"));
        // whole match beats a partial one; the earlier candidate wins ties
        assert_eq!(did_you_mean("abcx", &["abcdXyz", "abce"]), Some("abce"));
        // a closer partial match beats a farther whole one
        assert_eq!(did_you_mean("abcd", &["abce", "abcdXyz"]), Some("abcdXyz"));
        assert_eq!(did_you_mean("abcd", &["abce", "abcf"]), Some("abce"));
        assert_eq!(did_you_mean("x".repeat(100).as_str(), &["x"]), None);
    }

    #[test]
    fn secret_names() {
        assert_eq!(
            secret_name("google", "clientSecret"),
            "GOOGLE_CLIENT_SECRET"
        );
        assert_eq!(
            secret_name("signInWithApple", "privateKey"),
            "SIGN_IN_WITH_APPLE_PRIVATE_KEY"
        );
        assert_eq!(
            secret_name("loginWithAmazon", "clientId"),
            "LOGIN_WITH_AMAZON_CLIENT_ID"
        );
        assert_eq!(secret_name("", "apiKey"), "API_KEY");
        assert_eq!(
            secret_name("myFn", "STRIPE_API_KEY"),
            "MY_FN_STRIPE_API_KEY"
        );
        assert_eq!(secret_name("stripe", "stripeKey"), "STRIPE_KEY");
        assert_eq!(secret_name("oidc", "MyAPIKey2"), "OIDC_MY_API_KEY2");
        assert_eq!(secret_name("", ""), "SECRET");
        assert_eq!(secret_name("ключ", "ß"), "SECRET");
        assert_eq!(
            secret_name("facebook", "client-secret"),
            "FACEBOOK_CLIENT_SECRET"
        );
    }

    // --- never panic ---

    fn arb_text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[ a-zA-Z0-9*/?,#{}_.:-]{0,24}",
            "(every|[0-9*?/,-]{0,4})( [0-9*?/,A-Z-]{0,4}){0,7}",
        ]
    }

    proptest! {
        #[test]
        fn validators_never_panic(s in arb_text(), t in arb_text(), timeout in proptest::option::of(any::<f64>())) {
            let codes_ok = |f: &Option<Finding>, allowed: &[&str]| f.as_ref().is_none_or(|f| allowed.contains(&f.code) && !f.message.is_empty());
            prop_assert!(codes_ok(&schedule(&s, timeout), &[FUNCTION_SCHEDULE, FUNCTION_SCHEDULE_TIMEOUT]));
            prop_assert!(codes_ok(&env_key(&s), &[FUNCTION_ENV_KEY, FUNCTION_ENV_RESERVED]));
            prop_assert!(codes_ok(&layer_value(&s), &[FUNCTION_LAYER_FORMAT]));
            prop_assert!(codes_ok(&resource_name(&s), &[BACKEND_RESOURCE_NAME]));
            prop_assert!(codes_ok(&relying_party_id(&s), &[AUTH_RELYING_PARTY_ID]));
            prop_assert!(codes_ok(&index_name(&s), &[DATA_INDEX_NAME]));
            prop_assert!(codes_ok(&data_tool_name(&s), &[DATA_AI_CONFIG]));
            prop_assert!(codes_ok(&enum_value(&s), &[DATA_ENUM_WHITESPACE]));
            let _ = looks_like_credential(&s, &t);
            let name = secret_name(&s, &t);
            prop_assert!(!name.is_empty() && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'));
            let candidates = [t.as_str(), "loginWith", "timeoutSeconds"];
            if let Some(found) = did_you_mean(&s, &candidates) {
                prop_assert!(candidates.contains(&found));
            }
        }

        #[test]
        fn storage_paths_never_panic(paths in proptest::collection::vec(arb_text(), 0..6)) {
            let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
            let allowed = [STORAGE_LEADING_SLASH, STORAGE_WILDCARD, STORAGE_DOUBLE_SLASH, STORAGE_STAR_POSITION, STORAGE_NESTING, STORAGE_ENTITY_ID];
            let found = storage_paths(&refs);
            for (i, f, other) in &found {
                prop_assert!(*i < refs.len());
                prop_assert!(allowed.contains(&f.code));
                prop_assert!(other.is_none_or(|o| o < refs.len() && o != *i));
            }
            // never the same (path, code, other) twice
            for (n, a) in found.iter().enumerate() {
                for b in &found[n + 1..] {
                    prop_assert!(!(a.0 == b.0 && a.1.code == b.1.code && a.2 == b.2));
                }
            }
        }
    }
}
