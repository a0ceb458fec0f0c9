//! `defineFunction` (`@aws-amplify/backend-function`): every property (`amplify-api.md` §4).

use super::dsl::{any_key, doc, path, prop, since, whole, LOG_RETENTION};
use super::types::{Doc, Extra, ObjTy, Ty};

const fn d(summary: &'static str, details: &'static str, path: &'static str) -> Doc {
    doc(summary, details, path, since::FUNCTION)
}

/// Lambda environment variable keys: a letter, then at least one letter, digit or `_`; the reserved key is refused.
pub fn is_env_key(key: &str) -> bool {
    let mut chars = key.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    first_ok
        && key.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && key != "AMPLIFY_SSM_ENV_CONFIG"
}

static SCHEDULE_OBJECT: ObjTy = ObjTy {
    props: &[
        prop(
            "rate",
            Ty::Str,
            d(
                "Interval such as `every 5m` or `every day`",
                "`every <N>m`, `every <N>h` (N a positive whole number), `every day`, `every week`, `every month` or \
                 `every year`. A minute rate must not be shorter than the function timeout. Give `rate` or `cron`, \
                 not both.",
                path::FN_SCHEDULE,
            ),
        )
        .synth(),
        prop(
            "cron",
            Ty::Str,
            d(
                "Cron expression with 5 or 6 fields",
                "`minute hour day-of-month month day-of-week [year]`; one of the two day fields must be `?`, and \
                 names such as `MON` are rejected at synth.",
                path::FN_SCHEDULE,
            ),
        )
        .synth(),
        prop(
            "timezone",
            Ty::Str,
            d(
                "IANA time zone the schedule runs in",
                "For example `America/New_York`. The published types list it as required in the object form, but \
                 Amplify falls back to UTC when it is left out (verified with synth), so we do not insist; the name \
                 is only checked at deploy.",
                path::FN_SCHEDULE,
            ),
        )
        .def("'UTC'"),
        prop(
            "description",
            Ty::Str,
            d(
                "Description of the EventBridge schedule",
                "Free text stored on the created schedule.",
                path::FN_SCHEDULE,
            ),
        ),
    ],
    extra: None,
};

static LOGGING: ObjTy = ObjTy {
    props: &[
        prop(
            "format",
            Ty::StrLit(&["json", "text"]),
            d(
                "Log output format",
                "`json` emits structured logs and allows `level`; `text` is plain output.",
                path::FN_LOGS,
            ),
        )
        .def("Lambda default ('text')"),
        prop(
            "level",
            Ty::StrLit(&["info", "debug", "warn", "error", "fatal", "trace"]),
            d(
                "Minimum application log level",
                "Only with `format: 'json'` (a type rule). An unknown level fails at synth.",
                path::FN_LOGS,
            ),
        )
        .synth(),
        prop(
            "retention",
            Ty::StrLit(LOG_RETENTION),
            d(
                "How long CloudWatch keeps the logs",
                "Creates a log group with this retention, e.g. `'1 week'` or `'infinite'`.",
                path::FN_LOGS,
            ),
        ),
    ],
    extra: None,
};

static DURABLE: ObjTy = ObjTy {
    props: &[
        prop(
            "executionTimeoutSeconds",
            whole(1.0, 31_622_400.0),
            d(
                "Maximum run time of a durable execution",
                "A whole number of seconds from 1 to 31,622,400 (366 days); checked at synth.",
                path::FN_CONFIG,
            ),
        )
        .req()
        .synth(),
        prop(
            "retentionPeriodDays",
            whole(1.0, 90.0),
            d(
                "Days the execution history is kept after it ends",
                "A whole number from 1 to 90; checked at synth.",
                path::FN_CONFIG,
            ),
        )
        .def("14")
        .synth(),
    ],
    extra: None,
};

static BUNDLING: ObjTy = ObjTy {
    props: &[prop(
        "minify",
        Ty::Bool,
        d(
            "Minify the bundled handler",
            "Set false to keep readable code in the Lambda console. Other esbuild options are fixed (ESM output, \
             source maps, AWS SDK bundled).",
            path::FN_CONFIG,
        ),
    )
    .def("true")],
    extra: None,
};

/// The object argument of `defineFunction(...)`.
pub static FUNCTION_PROPS: ObjTy = ObjTy {
    props: &[
        prop(
            "name",
            Ty::Str,
            d(
                "Name of the function resource",
                "Must start with a letter and contain only letters, digits, `-`, `_` or spaces (checked at synth). \
                 Also names the generated `$amplify/env/<name>` module.",
                path::FN_CONFIG,
            ),
        )
        .def("entry file name, else the folder of resource.ts")
        .synth(),
        prop(
            "entry",
            Ty::Str,
            d(
                "Path of the handler file",
                "Relative to the file that calls `defineFunction` (absolute paths work too). A missing file fails at \
                 synth.",
                path::FN_CONFIG,
            ),
        )
        .def("'./handler.ts'")
        .synth(),
        prop(
            "timeoutSeconds",
            whole(1.0, 900.0),
            d(
                "Maximum run time per invocation, in seconds",
                "A whole number from 1 to 900 (15 minutes); fractions or values outside the range fail at synth.",
                path::FN_CONFIG,
            ),
        )
        .def("3")
        .synth(),
        prop(
            "memoryMB",
            whole(128.0, 10240.0),
            d(
                "Memory size in MB",
                "A whole number from 128 to 10240; CPU scales with memory. Checked at synth.",
                path::FN_CONFIG,
            ),
        )
        .def("512")
        .synth(),
        prop(
            "ephemeralStorageSizeMB",
            whole(512.0, 10240.0),
            d(
                "Size of the function's /tmp directory in MB",
                "A whole number from 512 to 10240; checked at synth.",
                path::FN_CONFIG,
            ),
        )
        .def("512")
        .synth(),
        prop(
            "environment",
            Ty::Obj(&ObjTy {
                props: &[],
                extra: Some(Extra {
                    key_desc: "a letter followed by at least one letter, digit or `_`",
                    key_ok: is_env_key,
                    value: &Ty::OneOf(&[Ty::Str, Ty::Secret]),
                    doc: d(
                        "Environment variable (string or secret)",
                        "A plain string, or `secret('NAME')` fetched from SSM when the function starts. The key must \
                         match `[a-zA-Z][a-zA-Z0-9_]+`, and `AMPLIFY_SSM_ENV_CONFIG` is reserved.",
                        path::FN_ENV,
                    ),
                }),
            }),
            d(
                "Environment variables of the function",
                "Values are strings or `secret()` references; read them in the handler through `env` from \
                 `$amplify/env/<name>`. Invalid keys or `undefined` values fail at synth.",
                path::FN_ENV,
            ),
        )
        .def("{}")
        .synth(),
        prop(
            "runtime",
            Ty::NumLit(&[18, 20, 22, 24]),
            d(
                "Node.js major version",
                "One of 18, 20, 22 or 24; any other value fails at synth.",
                path::FN_CONFIG,
            ),
        )
        .def("22")
        .synth(),
        prop(
            "architecture",
            Ty::StrLit(&["x86_64", "arm64"]),
            d(
                "Instruction set of the function",
                "`arm64` (Graviton) is usually cheaper; native modules must match. Other values fail at synth.",
                path::FN_CONFIG,
            ),
        )
        .def("'x86_64'")
        .synth(),
        prop(
            "schedule",
            Ty::OneOf(&[
                Ty::Str,
                Ty::Obj(&SCHEDULE_OBJECT),
                Ty::Arr(&Ty::OneOf(&[Ty::Str, Ty::Obj(&SCHEDULE_OBJECT)])),
            ]),
            d(
                "Runs the function on a schedule",
                "A rate (`'every 5m'`, `'every day'`), a cron string (`'0 9 ? * 2 *'`), an object with `rate` or \
                 `cron` plus `timezone`, or an array of these. Invalid expressions fail at synth.",
                path::FN_SCHEDULE,
            ),
        )
        .synth(),
        prop(
            "layers",
            Ty::Obj(&ObjTy {
                props: &[],
                extra: Some(Extra {
                    key_desc: "the module name the layer provides",
                    key_ok: any_key,
                    value: &Ty::Str,
                    doc: d(
                        "Lambda layer providing this module",
                        "A full layer-version ARN or `name:version` (expanded to the stack's region and account). \
                         The module is left out of the bundle.",
                        path::FN_LAYERS,
                    ),
                }),
            }),
            d(
                "Lambda layers keyed by module name",
                "At most 5 distinct layers; values must be layer-version ARNs or `name:version`, otherwise the synth \
                 fails.",
                path::FN_LAYERS,
            ),
        )
        .def("{}")
        .synth(),
        prop(
            "bundling",
            Ty::Obj(&BUNDLING),
            d(
                "Bundling options",
                "Currently only `minify`.",
                path::FN_CONFIG,
            ),
        ),
        prop(
            "resourceGroupName",
            Ty::OneOf(&[Ty::StrLit(&["auth", "data", "storage"]), Ty::Str]),
            d(
                "Nested stack the function is placed in",
                "Use `'auth'` for auth triggers and `'data'` for resolvers that also reach other resources, to break \
                 circular stack dependencies.",
                path::TROUBLE_CIRCULAR,
            ),
        )
        .def("'function'"),
        prop(
            "logging",
            Ty::Obj(&LOGGING),
            d(
                "Log format, level and retention",
                "`{ format: 'json', level: 'info', retention: '1 week' }`; `level` needs `format: 'json'`.",
                path::FN_LOGS,
            ),
        ),
        prop(
            "durableConfig",
            Ty::Obj(&DURABLE),
            d(
                "Makes this a durable (long-running, checkpointed) function",
                "Needs `executionTimeoutSeconds`; requires runtime 22 or newer, otherwise the synth fails.",
                path::FN_CONFIG,
            ),
        )
        .synth(),
    ],
    extra: None,
};

#[cfg(test)]
mod tests {
    use super::is_env_key;

    #[test]
    fn env_keys() {
        assert!(is_env_key("API_URL"));
        assert!(is_env_key("ab"));
        assert!(!is_env_key("a"));
        assert!(!is_env_key("1ABC"));
        assert!(!is_env_key("MY-KEY"));
        assert!(!is_env_key("AMPLIFY_SSM_ENV_CONFIG"));
        assert!(!is_env_key(""));
    }
}
