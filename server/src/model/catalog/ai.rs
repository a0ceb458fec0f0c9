//! The object arguments of the AI and handler builders of `a` (`a.conversation({...})`, `a.generation({...})`,
//! `a.ai.dataTool({...})`, `a.handler.custom({...})`) and of `defineConversationHandlerFunction({...})` from
//! `@aws-amplify/backend-ai`. Shapes from the packages' `.d.ts` files (`ConversationInput`, `GenerationInput`,
//! `DataToolDefinition`, `CustomHandlerInput`, `InferenceConfiguration`, `AiModel`,
//! `DefineConversationHandlerFunctionProps`); bounds from `amplify-api.md` §2.8.

use super::dsl::{doc, path, prop, whole, LOG_RETENTION};
use super::types::{Doc, NumRule, ObjTy, Ty};

/// `@aws-amplify/backend-ai`, the version the shapes were read from.
pub const BACKEND_AI: &str = "@aws-amplify/backend-ai";
const SINCE_AI: &str = "@aws-amplify/backend-ai 1.6.0";
const SINCE_SCHEMA: &str = super::dsl::since::SCHEMA;

const fn d(summary: &'static str, details: &'static str, path: &'static str) -> Doc {
    doc(summary, details, path, SINCE_SCHEMA)
}

const fn dai(summary: &'static str, details: &'static str, path: &'static str) -> Doc {
    doc(summary, details, path, SINCE_AI)
}

/// A number between 0 and 1.
const UNIT: Ty = Ty::Num(NumRule {
    min: Some(0.0),
    max: Some(1.0),
    integer: false,
});

/// `inferenceConfiguration` of conversations and generations.
pub static INFERENCE_CONFIGURATION: ObjTy = ObjTy {
    props: &[
        prop(
            "maxTokens",
            Ty::Num(NumRule {
                min: Some(1.0),
                max: None,
                integer: false,
            }),
            d(
                "Upper bound on the tokens the model may produce",
                "At least 1 (checked at synth). Without it the model's own limit applies.",
                path::AI_INFERENCE,
            ),
        )
        .synth(),
        prop(
            "temperature",
            UNIT,
            d(
                "Randomness of the answer",
                "Between 0 and 1 (checked at synth): low values give focused, repeatable answers, high values more \
                 varied ones.",
                path::AI_INFERENCE,
            ),
        )
        .synth(),
        prop(
            "topP",
            UNIT,
            d(
                "Share of the probability mass the model samples from",
                "Between 0 and 1 (checked at synth); lower values keep to the likeliest tokens.",
                path::AI_INFERENCE,
            ),
        )
        .synth(),
    ],
    extra: None,
};

/// `aiModel: { resourcePath }`, the object form of `a.ai.model(...)`.
pub static AI_MODEL_OBJECT: ObjTy = ObjTy {
    props: &[prop(
        "resourcePath",
        Ty::Str,
        d(
            "Bedrock model id (or inference profile) to call",
            "For models `a.ai.model(...)` does not list, e.g. `'us.anthropic.claude-3-5-haiku-20241022-v1:0'`. The \
             model must be enabled in Bedrock for the account and region.",
            path::AI_MODELS,
        ),
    )
    .req()],
    extra: None,
};

const AI_MODEL: Ty = Ty::OneOf(&[Ty::Resource, Ty::Obj(&AI_MODEL_OBJECT)]);

const fn ai_model_prop(path: &'static str) -> super::types::Prop {
    prop(
        "aiModel",
        AI_MODEL,
        d(
            "The Bedrock model that answers",
            "`a.ai.model('Claude 3.5 Haiku')` for a listed model, or `{ resourcePath: '<bedrock model id>' }`.",
            path,
        ),
    )
    .req()
}

const fn system_prompt_prop(path: &'static str) -> super::types::Prop {
    prop(
        "systemPrompt",
        Ty::Str,
        d(
            "Instructions given to the model before every request",
            "Describes the assistant's role, tone and limits; it is sent with each request, not shown to users.",
            path,
        ),
    )
    .req()
}

const fn inference_prop(path: &'static str) -> super::types::Prop {
    prop(
        "inferenceConfiguration",
        Ty::Obj(&INFERENCE_CONFIGURATION),
        d(
            "Sampling settings: `maxTokens`, `temperature`, `topP`",
            "All optional; `maxTokens` at least 1, `temperature` and `topP` between 0 and 1 (checked at synth).",
            path,
        ),
    )
}

/// `a.ai.dataTool({...})`: a model's list query or a custom query as a conversation tool.
pub static DATA_TOOL: ObjTy = ObjTy {
    props: &[
        prop(
            "name",
            Ty::Str,
            d(
                "Tool name the model sees",
                "1–64 characters, starting with a letter, then letters, digits or `_`; unique within a conversation \
                 (checked at synth).",
                path::AI_TOOLS,
            ),
        )
        .req(),
        prop(
            "description",
            Ty::Str,
            d(
                "What the tool does, for the model",
                "The model decides from this text when to call the tool: say what it returns and when it helps.",
                path::AI_TOOLS,
            ),
        )
        .req(),
        prop(
            "model",
            Ty::Resource,
            d(
                "The model whose records the tool lists",
                "`a.ref('Model')`; goes with `modelOperation: 'list'`. Use either `model` or `query`, not both.",
                path::AI_TOOLS,
            ),
        ),
        prop(
            "modelOperation",
            Ty::StrLit(&["list"]),
            d(
                "Which operation of `model` the tool runs",
                "Only `'list'` exists; required together with `model`.",
                path::AI_TOOLS,
            ),
        ),
        prop(
            "query",
            Ty::Resource,
            d(
                "The custom query the tool calls",
                "`a.ref('queryName')` of a custom query in the schema; its arguments become the tool's input. Use \
                 either `query` or `model`.",
                path::AI_TOOLS,
            ),
        ),
    ],
    extra: None,
};

/// `a.conversation({...})`.
pub static CONVERSATION: ObjTy = ObjTy {
    props: &[
        ai_model_prop(path::AI_MODELS),
        system_prompt_prop(path::AI_PROMPTING),
        inference_prop(path::AI_INFERENCE),
        prop(
            "tools",
            Ty::Arr(&Ty::OneOf(&[Ty::Resource, Ty::Obj(&DATA_TOOL)])),
            d(
                "Data the model may fetch while it answers",
                "A list of `a.ai.dataTool({...})`; each tool's name must be unique in the conversation.",
                path::AI_TOOLS,
            ),
        ),
        prop(
            "handler",
            Ty::Resource,
            d(
                "Your own conversation handler function",
                "The result of `defineConversationHandlerFunction({...})` from `@aws-amplify/backend-ai`; without it \
                 Amplify provides a default handler.",
                path::AI_ARCH,
            ),
        ),
    ],
    extra: None,
};

/// `a.generation({...})`.
pub static GENERATION: ObjTy = ObjTy {
    props: &[
        ai_model_prop(path::AI_MODELS),
        system_prompt_prop(path::AI_PROMPTING),
        inference_prop(path::AI_INFERENCE),
    ],
    extra: None,
};

/// `a.handler.custom({...})`.
pub static CUSTOM_HANDLER: ObjTy = ObjTy {
    props: &[
        prop(
            "entry",
            Ty::Str,
            d(
                "Path of the AppSync JavaScript resolver file",
                "Relative to this file (e.g. `'./getPost.js'`); the file must exist (checked at synth).",
                path::DATA_LOGIC,
            ),
        )
        .req(),
        prop(
            "dataSource",
            Ty::OneOf(&[Ty::Str, Ty::Resource]),
            d(
                "Where the resolver reads and writes",
                "`a.ref('Model')` for a model's table, or the name of a data source added in `backend.ts` with \
                 `backend.data.add…DataSource(...)`. Without it the resolver uses the `NONE` data source.",
                path::DATA_LOGIC,
            ),
        ),
    ],
    extra: None,
};

/// `defineConversationHandlerFunction({ models: [{...}] })` entries.
pub static HANDLER_MODEL: ObjTy = ObjTy {
    props: &[
        prop(
            "modelId",
            Ty::OneOf(&[Ty::Str, Ty::Resource]),
            dai(
                "The Bedrock model the handler may call",
                "A Bedrock model id string, or `a.ai.model('...')`. The function's role is allowed to invoke it.",
                path::AI_MODELS,
            ),
        )
        .req(),
        prop(
            "region",
            Ty::Str,
            dai(
                "Region of the model",
                "Defaults to the backend's region; set it when the model is only available elsewhere.",
                path::AI_MODELS,
            ),
        ),
    ],
    extra: None,
};

/// `logging` of `defineConversationHandlerFunction`.
pub static HANDLER_LOGGING: ObjTy = ObjTy {
    props: &[
        prop(
            "level",
            Ty::StrLit(&["info", "debug", "warn", "error", "fatal", "trace"]),
            dai(
                "Lowest level the handler logs",
                "One of `info`, `debug`, `warn`, `error`, `fatal`, `trace`.",
                path::AI_ARCH,
            ),
        ),
        prop(
            "retention",
            Ty::StrLit(LOG_RETENTION),
            dai(
                "How long the handler's logs are kept",
                "A duration such as `'1 week'` or `'infinite'`.",
                path::AI_ARCH,
            ),
        ),
    ],
    extra: None,
};

/// `defineConversationHandlerFunction({...})`.
pub static CONVERSATION_HANDLER_PROPS: ObjTy = ObjTy {
    props: &[
        prop(
            "name",
            Ty::Str,
            dai(
                "Name of the handler function",
                "Identifies the Lambda function of the conversation handler.",
                path::AI_ARCH,
            ),
        )
        .req(),
        prop(
            "entry",
            Ty::Str,
            dai(
                "Path of the handler's code",
                "Relative to this file; defaults to `./handler.ts` beside it.",
                path::AI_ARCH,
            ),
        )
        .def("'./handler.ts'"),
        prop(
            "models",
            Ty::Arr(&Ty::Obj(&HANDLER_MODEL)),
            dai(
                "The Bedrock models the handler may call",
                "Each entry is `{ modelId, region? }`; the function's role gets permission to invoke them.",
                path::AI_MODELS,
            ),
        )
        .req(),
        prop(
            "memoryMB",
            whole(128.0, 10240.0),
            dai(
                "Memory of the handler function in MB",
                "A whole number from 128 to 10240 (checked at synth).",
                path::AI_ARCH,
            ),
        )
        .def("512")
        .synth(),
        prop(
            "timeoutSeconds",
            whole(1.0, 900.0),
            dai(
                "How long one turn of the handler may run",
                "A whole number of seconds from 1 to 900 (checked at synth).",
                path::AI_ARCH,
            ),
        )
        .def("60")
        .synth(),
        prop(
            "logging",
            Ty::Obj(&HANDLER_LOGGING),
            dai(
                "Log level and retention of the handler",
                "`{ level?, retention? }`.",
                path::AI_ARCH,
            ),
        ),
    ],
    extra: None,
};

/// An object argument of a schema-builder call, keyed by the call's member path.
#[derive(Debug, Clone, Copy)]
pub struct BuilderArg {
    /// The chain of the call, e.g. `a.conversation` or `a.ai.dataTool`.
    pub chain: &'static str,
    pub ty: Ty,
}

/// The schema-builder calls whose first argument is an object the catalog describes.
pub static BUILDER_ARGS: &[BuilderArg] = &[
    BuilderArg {
        chain: "a.conversation",
        ty: Ty::Obj(&CONVERSATION),
    },
    BuilderArg {
        chain: "a.generation",
        ty: Ty::Obj(&GENERATION),
    },
    BuilderArg {
        chain: "a.ai.dataTool",
        ty: Ty::Obj(&DATA_TOOL),
    },
    BuilderArg {
        chain: "a.handler.custom",
        ty: Ty::Obj(&CUSTOM_HANDLER),
    },
    BuilderArg {
        chain: "configure",
        ty: Ty::Obj(&super::sql::CONFIGURE),
    },
];

/// The argument type of the schema-builder call `chain` (`a.conversation`, ...).
pub fn builder_arg(chain: &str) -> Option<Ty> {
    BUILDER_ARGS.iter().find(|b| b.chain == chain).map(|b| b.ty)
}
