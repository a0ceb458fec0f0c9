//! The `.scm` queries in the repository's `queries/` folder, compiled once per grammar.

use std::sync::OnceLock;
use tree_sitter::Query;

use super::Lang;

const CALLS: &str = include_str!("../../../queries/calls.scm");
const IMPORTS: &str = include_str!("../../../queries/imports.scm");
const BINDINGS: &str = include_str!("../../../queries/bindings.scm");

/// All compiled queries for one grammar.
pub struct Queries {
    /// `@call`, `@callee`, `@args` for each Amplify factory call.
    pub calls: Query,
    /// `@import`, `@source` for each import statement.
    pub imports: Query,
    /// `@decl`, `@name`, `@value` (and `@export`) for top-level const declarations.
    pub bindings: Query,
}

impl Queries {
    fn compile(lang: Lang) -> Queries {
        let language = lang.language();
        // The queries are part of the binary and covered by tests; a failure here is a build defect.
        let q = |name: &str, src: &str| {
            Query::new(&language, src)
                .unwrap_or_else(|e| panic!("query {name} does not compile: {e}"))
        };
        Queries {
            calls: q("calls.scm", CALLS),
            imports: q("imports.scm", IMPORTS),
            bindings: q("bindings.scm", BINDINGS),
        }
    }
}

/// The compiled queries for `lang` (compiled on first use, then shared).
pub fn queries(lang: Lang) -> &'static Queries {
    static TS: OnceLock<Queries> = OnceLock::new();
    static TSX: OnceLock<Queries> = OnceLock::new();
    match lang {
        Lang::TypeScript => TS.get_or_init(|| Queries::compile(Lang::TypeScript)),
        Lang::Tsx => TSX.get_or_init(|| Queries::compile(Lang::Tsx)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_queries_compile_for_both_grammars() {
        for lang in [Lang::TypeScript, Lang::Tsx] {
            let q = queries(lang);
            assert!(q.calls.capture_index_for_name("call").is_some());
            assert!(q.imports.capture_index_for_name("source").is_some());
            assert!(q.bindings.capture_index_for_name("value").is_some());
        }
    }
}
