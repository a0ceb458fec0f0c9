//! Security advice for the data schema: rules that open data to anyone on the internet.

use super::per_entry::entry_findings;
use super::RuleCtx;
use crate::analysis::{Diagnostic, Severity};
use crate::model::value::{Kind, Value};

pub fn check(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    // Both rules look for a rule chain whose first link is a member `guest` / `publicApiKey`: no walk when the
    // file has no such member.
    let guest = cx.file.has_member("guest");
    let api_key = cx.project.has_auth && cx.file.has_member("publicApiKey");
    if !guest && !api_key {
        return;
    }
    // Both depend on nothing but the rule's own text: what they find in an entry of the lowering cache (a model
    // of a large schema) is kept for the next versions, by the entry's text (see `per_entry`).
    let salt = u64::from(guest) | u64::from(api_key) << 1;
    let visit = |call: &Value, out: &mut Vec<Diagnostic>| {
        if guest {
            guest_rules(call, out);
        }
        if api_key {
            public_api_key(call, out);
        }
    };
    let mut in_entries = Vec::new();
    for v in cx.file.top_values() {
        v.walk_pruned_depth(
            &mut |p, depth| {
                // (the depth is part of the salt: the walk stops at the same depth either way)
                entry_findings(
                    cx.file,
                    RULES,
                    salt | (depth as u64) << 2,
                    p,
                    &mut in_entries,
                    &mut |found| p.value.walk_from(depth, &mut |v| visit(v, found)),
                )
            },
            &mut |v| visit(v, out),
        );
    }
    out.append(&mut in_entries);
}

/// The name under which this module's findings are kept per entry.
const RULES: &str = "the security hints";

/// The code of the hint on `allow.publicApiKey()` in a project that has user sign-in.
pub const PUBLIC_API_KEY: &str = "security/public-api-key";

/// The rules of a `.authorization((allow) => [...])` call on a model or on the whole schema: (the `allow`
/// parameter, the rules).
fn model_rules(v: &Value) -> Option<(&str, Vec<&Value>)> {
    let Kind::Call { callee, args, .. } = &v.kind else {
        return None;
    };
    let Kind::Member { object, prop, .. } = &callee.kind else {
        return None;
    };
    if prop != "authorization" {
        return None;
    }
    let on = object.chain()?;
    if on.root != "a" || !matches!(on.links.first().map(|l| l.name), Some("model" | "schema")) {
        return None;
    }
    let func = args.first().and_then(Value::as_func)?;
    let param = func.params.first().filter(|p| !p.is_empty())?;
    let body = func.body.as_ref()?;
    let rules = match &body.kind {
        Kind::Array(items) => items.iter().collect(),
        _ => vec![body],
    };
    Some((param.as_str(), rules))
}

/// `security/public-api-key`: once the project has user sign-in, `allow.publicApiKey()` on a model still lets
/// anyone holding the API key (it is in every copy of the app) use these records.
fn public_api_key(v: &Value, out: &mut Vec<Diagnostic>) {
    let Some((param, rules)) = model_rules(v) else {
        return;
    };
    for rule in rules {
        let Some(chain) = rule.chain() else { continue };
        let Some(link) = chain.links.first() else {
            continue;
        };
        if chain.root != param || link.name != "publicApiKey" {
            continue;
        }
        let ops = chain.arg("to").and_then(Value::as_array).map(|ops| {
            ops.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        });
        let what = match ops {
            Some(o) if !o.is_empty() => format!("may {o}"),
            _ => "can read, create, change and delete".to_string(),
        };
        out.push(Diagnostic::new(
            link.name_span,
            Severity::Hint,
            PUBLIC_API_KEY,
            format!(
                "`allow.publicApiKey()`: anyone who has the API key {what} these records, signed in or not, and the \
                 key ships inside every copy of the app. The project has user sign-in: consider owner-based rules \
                 (`allow.owner()`) instead"
            ),
        ));
    }
}

/// `.authorization((allow) => [allow.guest()...])`: a hint that unauthenticated visitors get that access.
fn guest_rules(v: &Value, out: &mut Vec<Diagnostic>) {
    let Some((_, param, rules)) = v.authorization_rules() else {
        return;
    };
    for rule in rules {
        let Some(chain) = rule.chain() else { continue };
        if chain.root != param || chain.links.first().map(|l| l.name) != Some("guest") {
            continue;
        }
        let ops = chain.arg("to").and_then(Value::as_array).map(|ops| {
            ops.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        });
        let what = match ops {
            Some(o) if !o.is_empty() => format!("may {o}"),
            _ => "have full access to".to_string(),
        };
        let name = chain.links[0].name_span;
        out.push(Diagnostic::new(
            name,
            Severity::Hint,
            "data/guest-access",
            format!(
                "`allow.guest()`: visitors who are not signed in {what} these records (through the identity pool). \
                 Make sure that is intended"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::run_with;
    use super::*;
    use crate::model::project::ProjectFacts;

    fn run(src: &str) -> Vec<Diagnostic> {
        run_with(check, src, None, &ProjectFacts::default())
    }

    #[test]
    fn guest_rules_get_a_hint() {
        let src = "const schema = a.schema({ Post: a.model({ t: a.string() }).authorization((allow) => [allow.guest().to(['read']), allow.owner()]) });";
        let d = run(src);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "data/guest-access");
        assert_eq!(d[0].severity, Severity::Hint);
        assert_eq!(&src[d[0].span.start..d[0].span.end], "guest");
        assert!(d[0].message.contains("read"));
        let src = "const schema = a.schema({ Post: a.model({}).authorization((allow) => [allow.authenticated()]) });";
        assert!(run(src).is_empty());
    }

    #[test]
    fn public_api_key_once_there_is_auth() {
        let src = "const schema = a.schema({ Post: a.model({ t: a.string() }).authorization((allow) => [allow.publicApiKey().to(['read']), allow.owner()]), Tag: a.model({}).authorization((allow) => [allow.publicApiKey()]), echo: a.query().authorization((allow) => [allow.publicApiKey()]) }).authorization((allow) => [allow.publicApiKey()]);";
        let with_auth = super::super::testkit::facts(true, &[]);
        let d = run_with(check, src, None, &with_auth);
        let keys: Vec<&Diagnostic> = d.iter().filter(|d| d.code == PUBLIC_API_KEY).collect();
        // the two models and the schema, not the custom query
        assert_eq!(keys.len(), 3);
        assert!(keys.iter().all(|d| d.severity == Severity::Hint));
        assert!(keys
            .iter()
            .all(|d| &src[d.span.start..d.span.end] == "publicApiKey"));
        assert_eq!(
            keys.iter()
                .filter(|d| d.message.contains("may read "))
                .count(),
            1
        );
        // without auth the key is the only way in: no hint
        assert!(run(src).iter().all(|d| d.code != PUBLIC_API_KEY));
    }

    /// Versions of a schema as the server builds them, each with the model of the version before: the hints
    /// equal those of a fresh build, and only the models an edit touched are walked again.
    #[test]
    fn hints_kept_per_model_follow_the_models_and_equal_a_fresh_check() {
        use crate::analysis::rules::per_entry::CHECKED;
        use crate::analysis::rules::RuleCtx;
        let model = |i: usize, rule: &str| {
            format!(
                "  M{i}: a.model({{ title: a.string().required(), body: a.string(), rating: a.integer(), \
                 parentId: a.id(), tags: a.string().array(), summary: a.string(), createdOn: a.date(), \
                 updatedOn: a.date(), author: a.string() }}).authorization((allow) => [{rule}, \
                 allow.owner()]),\n"
            )
        };
        let rules = [
            "allow.guest().to(['read'])",
            "allow.publicApiKey()",
            "allow.authenticated()",
        ];
        let schema =
            |models: &[String]| format!("const schema = a.schema({{\n{}}});\n", models.concat());
        let mut models: Vec<String> = (0..9).map(|i| model(i, rules[i % 3])).collect();
        let with_auth = super::super::testkit::facts(true, &[]);
        let mut versions = vec![schema(&models)];
        // a character typed in the first model (every other one moves), and deleted again
        models[0] = models[0].replacen("title", "titlex", 1);
        versions.push(schema(&models));
        models[0] = models[0].replacen("titlex", "title", 1);
        versions.push(schema(&models));
        // guest access given to a model that had none, and the key taken from another
        models[2] = models[2].replacen("allow.authenticated()", "allow.guest()", 1);
        models[4] = models[4].replacen("allow.publicApiKey()", "allow.authenticated()", 1);
        versions.push(schema(&models));
        // a model inserted first (all move), another deleted
        models.insert(0, model(20, rules[1]));
        models.remove(5);
        versions.push(schema(&models));
        let mut walked = Vec::new();
        super::super::testkit::each_version(&versions, |n, src, file| {
            assert!(
                file.lowered.len() >= 9,
                "every model is an entry of the cache"
            );
            for project in [&with_auth, &ProjectFacts::default()] {
                let cx = RuleCtx {
                    src,
                    file,
                    path: None,
                    project,
                };
                let before = CHECKED.with(|c| c.get());
                let mut got = Vec::new();
                check(&cx, &mut got);
                walked.push(CHECKED.with(|c| c.get()) - before);
                let mut want = run_with(check, src, None, project);
                got.sort_by_key(|d| (d.span.start, d.code));
                want.sort_by_key(|d| (d.span.start, d.code));
                assert_eq!(got, want, "version {n}, auth {}", project.has_auth);
                assert!(!got.is_empty());
            }
        });
        // (with auth, without) per version: all models at first; then the one edited model, once per project
        // (the salt differs); back to an earlier text, nothing; the two changed models; the model inserted
        assert_eq!(walked, [9, 9, 1, 1, 0, 0, 2, 2, 1, 1]);
    }
}
