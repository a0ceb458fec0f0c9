//! The caches of issue 15, through the real binary: the schema model's types shared between versions and the
//! checkpoints of the cursor scan. A schema of 120 models, each long enough for the lowering cache (and
//! the text long enough for the scan's checkpoints), with relationships between models, is edited the ways that
//! can make a cache stale: a model renamed while others reference it (and back), a model inserted before the
//! others (everything moves), one deleted, the `const` a field is typed by changed, the `a` import renamed,
//! syntax errors and their fixes, guest access given and taken away (the security rules pass over the models
//! without it), and random edits. After each edit the diagnostics must equal those of the same
//! text opened fresh, and so must completion and hover at positions around the edit.

use amplify_lsp_tests::*;

const MODELS: usize = 120;

fn name(i: usize) -> String {
    format!("Model{i:03}")
}

/// A schema of [`MODELS`] models: each belongs to the next one and has many of the previous one; model 7's
/// `state` is typed by the `const status` of the file; model 50 references a model that does not exist (so
/// there is always a diagnostic to compare).
fn schema() -> String {
    let mut s = String::from(
        "import { a, defineData, type ClientSchema } from '@aws-amplify/backend';\n\n\
         const status = a.enum(['draft', 'published']);\n\nconst schema = a.schema({\n",
    );
    for i in 0..MODELS {
        let next = if i == 50 {
            "Missing".to_string()
        } else {
            name((i + 1) % MODELS)
        };
        let prev = name((i + MODELS - 1) % MODELS);
        let typed = if i == 7 { "      state: status,\n" } else { "" };
        s.push_str(&format!(
            "  {n}: a\n    .model({{\n      title: a.string().required(),\n      parentId: a.id(),\n      \
             parent: a.belongsTo('{next}', 'parentId'),\n      children: a.hasMany('{prev}', 'parentId'),\n{typed}      \
             rating: a.integer().default(3),\n    }})\n    .secondaryIndexes((index) => [index('title')])\n    \
             .authorization((allow) => [allow.owner(), {extra}allow.authenticated().to(['read'])]),\n",
            n = name(i),
            // some models let visitors read (a hint that the walk of the security rules must not miss when it
            // passes over the models without `guest`)
            extra = if i % 5 == 1 { "allow.guest().to(['read']), " } else { "" },
        ));
    }
    s.push_str(
        "});\n\nexport type Schema = ClientSchema<typeof schema>;\n\n\
         export const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'userPool' } });\n",
    );
    s
}

/// A deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1) as u64) as usize
    }
}

/// Diagnostics comparable between two documents (related locations without their URIs), sorted.
fn comparable(diags: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = diags
        .iter()
        .map(|d| {
            let mut d = d.clone();
            if let Some(rel) = d
                .get_mut("relatedInformation")
                .and_then(Value::as_array_mut)
            {
                for r in rel {
                    if let Some(loc) = r.get_mut("location") {
                        loc["uri"] = Value::Null;
                    }
                }
            }
            d.to_string()
        })
        .collect();
    out.sort();
    out
}

/// Completion items comparable between two documents.
fn items(c: &mut Client, uri: &str, pos: Value) -> Vec<String> {
    let mut v: Vec<String> = c
        .completion(uri, pos)
        .iter()
        .map(|i| {
            let mut i = i.clone();
            if let Some(o) = i.as_object_mut() {
                o.remove("data");
            }
            i.to_string()
        })
        .collect();
    v.sort();
    v
}

/// Replaces `from..to` of `text` by `insert` in the document, as one change.
fn edit(
    c: &mut Client,
    uri: &str,
    version: i64,
    text: &mut String,
    range: (usize, usize),
    insert: &str,
) {
    let (from, to) = range;
    c.change(
        uri,
        version,
        json!([{ "range": { "start": utf16_position(text, from), "end": utf16_position(text, to) }, "text": insert }]),
    );
    text.replace_range(from..to, insert);
}

fn char_floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[test]
fn edits_that_can_make_a_cache_stale_give_what_a_fresh_open_gives() {
    let mut c = Client::start();
    let mut text = schema();
    assert!(text.len() > 40 * 1024, "{} bytes", text.len());
    let uri = c.open("amplify/data/resource.ts", &text);
    let first = c.diagnostics(&uri, Some(1));
    assert!(
        Client::codes(&first)
            .iter()
            .any(|code| code.starts_with("data/")),
        "{first:?}"
    );
    assert!(
        Client::codes(&first).contains(&"data/guest-access".to_string()),
        "{first:?}"
    );
    let mut version = 1;
    let mut rng = Rng(0x15_fa57_cafe);
    let mut step = 0;
    // (description, the edit as (from, to, insert) computed from the current text)
    type Edit = Box<dyn Fn(&str) -> Option<(usize, usize, String)>>;
    let at = |needle: &'static str, delta: usize, del: usize, insert: &'static str| -> Edit {
        Box::new(move |t: &str| {
            let i = t.find(needle)? + delta;
            Some((i, i + del, insert.to_string()))
        })
    };
    let edits: Vec<(&str, Edit)> = vec![
        // (first, while every model is where it was lowered) the same length: the models stay where they are, and one of them reads the `const`
        ("the const a field is typed by changed in place", at("a.enum(['draft', 'published'])", 0, 30, "a.belongsTo('Nowhere1', 'pid')")),
        ("and back", at("a.belongsTo('Nowhere1', 'pid')", 0, 30, "a.enum(['draft', 'published'])")),
        ("a character typed in a middle model", at("  Model050: a\n    .model({\n      title", 33, 0, "x")),
        ("a field added to a middle model", at("  Model050: a\n    .model({\n", 27, 0, "      extra: a.string(),\n")),
        ("a referenced model renamed", at("  Model060: a", 2, 8, "Model06X")),
        ("renamed back", at("  Model06X: a", 2, 8, "Model060")),
        ("a model inserted before the others", at("  Model000: a", 0, 0, "  Model999: a.model({ title: a.string(), parentId: a.id(), parent: a.belongsTo('Model000', 'parentId') }),\n")),
        ("a referenced model deleted", Box::new(|t: &str| {
            let s = t.find("  Model030: a")?;
            let e = t.find("  Model031: a")?;
            Some((s, e, String::new()))
        })),
        ("the const a field is typed by changed", at("a.enum(['draft', 'published'])", 0, 30, "a.string()")),
        ("changed back", at("const status = a.string()", 15, 10, "a.enum(['draft', 'published'])")),
        ("a syntax error in a middle model", at("  Model070: a\n    .model({\n", 27, 0, "      broken: a.string(,\n")),
        ("fixed", at("      broken: a.string(,\n", 0, 25, "")),
        ("the a builder imported under another name", at("import { a,", 9, 1, "a as b")),
        ("and back", at("import { a as b,", 9, 6, "a")),
        ("a relationship pointed at a missing model", at("'Model081', 'parentId'", 1, 8, "Nowhere1")),
        ("and back", at("'Nowhere1', 'parentId'", 1, 8, "Model081")),
        ("guest access given to a model that had none", Box::new(|t: &str| {
            let s = t.find("  Model040: a")?;
            let i = s + t[s..].find("allow.owner()")?;
            Some((i, i + "allow.owner()".len(), "allow.guest()".to_string()))
        })),
        ("a character typed before it", at("  Model039: a\n    .model({\n      title", 33, 0, "y")),
        ("and taken away again", Box::new(|t: &str| {
            let s = t.find("  Model040: a")?;
            let i = s + t[s..].find("allow.guest()")?;
            Some((i, i + "allow.guest()".len(), "allow.owner()".to_string()))
        })),
        ("an edit after every model", at("export type Schema", 0, 0, "const unused = 1;\n")),
    ];
    let mut check = |c: &mut Client, text: &str, version: i64, what: &str, around: usize| {
        step += 1;
        let got = c.diagnostics(&uri, Some(version));
        let fresh = c.open(&format!("fresh{step}/amplify/data/resource.ts"), text);
        let want = c.diagnostics(&fresh, Some(1));
        assert_eq!(
            comparable(&got),
            comparable(&want),
            "{what}: incremental diagnostics differ from a fresh open"
        );
        // completion and hover around the edit, and far from it
        for off in [around, around + 3, text.len() / 3, text.len() - 40] {
            let off = char_floor(text, off);
            let pos = utf16_position(text, off);
            assert_eq!(
                items(c, &uri, pos.clone()),
                items(c, &fresh, pos.clone()),
                "{what}: completion at {off}"
            );
            assert_eq!(
                c.hover(&uri, pos.clone()),
                c.hover(&fresh, pos),
                "{what}: hover at {off}"
            );
        }
        c.close(&fresh);
    };
    for (what, e) in &edits {
        let Some((from, to, insert)) = e(&text) else {
            panic!("{what}: the text to edit is not there");
        };
        version += 1;
        edit(&mut c, &uri, version, &mut text, (from, to), &insert);
        check(&mut c, &text, version, what, from);
    }
    // Random one-character edits and deletions inside models, each checked.
    let pieces = ["x", "'", "(", ")", ",", "\n", ".", "M"];
    for _ in 0..30 {
        let from = char_floor(&text, rng.below(text.len()));
        let to = if rng.below(3) == 0 {
            char_floor(&text, from + 1 + rng.below(4))
        } else {
            from
        };
        let insert = pieces[rng.below(pieces.len())];
        version += 1;
        edit(&mut c, &uri, version, &mut text, (from, to), insert);
        check(&mut c, &text, version, "a random edit", from);
    }
    assert!(c.alive());
}
