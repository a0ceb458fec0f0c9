//! Long lines through the real binary: a generated schema of about 256 KB written on one line (as a minifier or
//! a code generator would) gets the same answers as the same schema on its usual 7,000 lines, at the same
//! positions, for about the same cost. Position conversion used to scan the line for every position, so each
//! diagnostic, symbol or code lens of a one-line file cost the length of the file.
//!
//! Both texts have the same bytes except that the one-line text has a space where the other has a line break,
//! so a byte offset means the same place in both; the test converts between bytes and UTF-16 positions itself.

use std::time::{Duration, Instant};

use amplify_lsp_tests::*;

#[path = "../fixtures/bench/gen.rs"]
mod gen;

/// About 256 KB of schema: large enough that a scan of the line per position costs seconds, small enough for a
/// debug build to analyse quickly. (The 1 MB figure of `docs/reliability.md` is measured on the release build.)
const MODELS: usize = 540;

/// The schema on many lines, with comments of multi-byte and astral characters in every model (so UTF-16
/// columns, characters and bytes all differ along the one line), and the same text on one line.
fn schemas() -> (String, String) {
    let multi = gen::large_schema(MODELS).replace(".model({\n", ".model({ /* 😀 模型 é */\n");
    assert!(!multi.contains("//") && !multi.contains('\r'));
    let one = multi.replace('\n', " ");
    (multi, one)
}

/// Byte offset ⇄ UTF-16 position for one text, computed once (line starts, and the UTF-16 column of every
/// character boundary).
struct Geometry {
    line_starts: Vec<usize>,
    /// (byte offset, UTF-16 units since the start of the text) of every character boundary, in order.
    units: Vec<(usize, usize)>,
}

impl Geometry {
    fn new(text: &str) -> Geometry {
        let mut line_starts = vec![0];
        let mut units = Vec::with_capacity(text.len() + 1);
        let mut u = 0;
        for (i, c) in text.char_indices() {
            units.push((i, u));
            u += c.len_utf16();
            if c == '\n' {
                line_starts.push(i + 1);
            }
        }
        units.push((text.len(), u));
        Geometry { line_starts, units }
    }

    fn units_at(&self, byte: usize) -> usize {
        let i = self
            .units
            .binary_search_by_key(&byte, |&(b, _)| b)
            .unwrap_or_else(|_| panic!("{byte} is not a character boundary"));
        self.units[i].1
    }

    fn position(&self, byte: usize) -> Value {
        let line = self.line_starts.partition_point(|&s| s <= byte) - 1;
        let col = self.units_at(byte) - self.units_at(self.line_starts[line]);
        json!({ "line": line, "character": col })
    }

    fn offset(&self, pos: &Value) -> usize {
        let line = pos["line"].as_u64().expect("line") as usize;
        let col = pos["character"].as_u64().expect("character") as usize;
        let target = self.units_at(self.line_starts[line]) + col;
        let i = self
            .units
            .binary_search_by_key(&target, |&(_, u)| u)
            .unwrap_or_else(|_| panic!("{pos} is inside a character"));
        self.units[i].0
    }

    fn span(&self, range: &Value) -> (usize, usize) {
        (self.offset(&range["start"]), self.offset(&range["end"]))
    }

    fn range(&self, start: usize, end: usize) -> Value {
        json!({ "start": self.position(start), "end": self.position(end) })
    }
}

/// A diagnostic as byte spans: (start, end, code, message, related spans and messages).
type Finding = (usize, usize, String, String, Vec<(usize, usize, String)>);

fn findings(g: &Geometry, diags: &[Value]) -> Vec<Finding> {
    let mut out: Vec<Finding> = diags
        .iter()
        .map(|d| {
            let (a, b) = g.span(&d["range"]);
            let related = d["relatedInformation"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .map(|ri| {
                            let (a, b) = g.span(&ri["location"]["range"]);
                            (a, b, ri["message"].as_str().unwrap_or("").to_string())
                        })
                        .collect()
                })
                .unwrap_or_default();
            (
                a,
                b,
                d["code"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
                related,
            )
        })
        .collect();
    out.sort();
    out
}

/// Everything a session asks of one document, with the answers as byte spans and the time it took.
struct Session {
    opened: Vec<Finding>,
    symbols: Vec<(String, u64, usize, usize)>,
    lenses: Vec<(usize, usize, String)>,
    completion: Vec<(String, usize, usize)>,
    hover: String,
    edited: Vec<Finding>,
    elapsed: Duration,
}

fn session(text: &str) -> Session {
    let g = Geometry::new(text);
    let mut c = Client::start();
    let started = Instant::now();
    let uri = c.open(gen::DATA_FILE, text);
    let opened = findings(&g, &c.diagnostics(&uri, Some(1)));

    let res = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .expect("documentSymbol");
    let mut symbols: Vec<_> = res
        .as_array()
        .expect("symbols")
        .iter()
        .map(|s| {
            // flat SymbolInformation (the harness does not offer hierarchical symbols)
            let (a, b) = g.span(&s["location"]["range"]);
            let name = s["name"].as_str().unwrap_or("").to_string();
            (name, s["kind"].as_u64().unwrap_or(0), a, b)
        })
        .collect();
    symbols.sort();

    let res = c
        .request(
            "textDocument/codeLens",
            json!({ "textDocument": { "uri": uri } }),
        )
        .expect("codeLens");
    let mut lenses: Vec<_> = res
        .as_array()
        .map(|l| {
            l.iter()
                .map(|l| {
                    let (a, b) = g.span(&l["range"]);
                    (
                        a,
                        b,
                        l["command"]["title"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    lenses.sort();

    // far along the text: the rules of the last model's authorization, and its `.model(` call
    let at = text.rfind("allow.owner()").expect("a rule") + "allow.".len();
    let mut completion: Vec<_> = c
        .completion(&uri, g.position(at))
        .iter()
        .map(|i| {
            let (a, b) = g.span(&i["textEdit"]["range"]);
            (i["label"].as_str().unwrap_or("").to_string(), a, b)
        })
        .collect();
    completion.sort();
    let hover = c.hover(
        &uri,
        g.position(text.rfind(".model(").expect("a model") + 2),
    );

    // an edit near the end: the last reference to `Money` now names a type that does not exist
    let at = text.rfind("a.ref('Money')").expect("a ref") + "a.ref('".len();
    c.change(
        &uri,
        2,
        json!([{ "range": g.range(at, at + 5), "text": "Monet" }]),
    );
    let edited_text = format!("{}Monet{}", &text[..at], &text[at + 5..]);
    let edited = findings(&Geometry::new(&edited_text), &c.diagnostics(&uri, Some(2)));
    let elapsed = started.elapsed();
    assert!(
        edited
            .iter()
            .any(|f| f.0 <= at && at < f.1 && f.3.contains("Monet")),
        "no diagnostic on the edited reference: {:?}",
        edited
            .iter()
            .filter(|f| f.0 >= at - 200)
            .collect::<Vec<_>>()
    );
    let text_now = c
        .request("amplify/debugDocument", json!({ "uri": uri }))
        .expect("debugDocument")["text"]
        .clone();
    assert_eq!(text_now.as_str(), Some(edited_text.as_str()));
    c.shutdown();
    Session {
        opened,
        symbols,
        lenses,
        completion,
        hover,
        edited,
        elapsed,
    }
}

#[test]
fn a_schema_on_one_line_gets_the_answers_of_the_same_schema_on_many() {
    let (multi, one) = schemas();
    assert!(one.len() > 250_000 && one.lines().count() == 1);
    let m = session(&multi);
    let o = session(&one);

    assert!(m.opened.len() > 100, "the schema has findings to place");
    assert_eq!(o.opened, m.opened, "diagnostics at the same places");
    assert!(m.symbols.len() > MODELS, "{}", m.symbols.len());
    assert_eq!(o.symbols, m.symbols, "symbols at the same places");
    assert!(m.lenses.len() >= MODELS, "{}", m.lenses.len());
    assert_eq!(o.lenses, m.lenses, "code lenses at the same places");
    assert!(
        m.completion.iter().any(|c| c.0 == "authenticated"),
        "{:?}",
        m.completion
    );
    assert_eq!(o.completion, m.completion, "completion edits the same text");
    assert!(m.hover.contains("model"), "{}", m.hover);
    assert_eq!(o.hover, m.hover);
    assert_eq!(o.edited, m.edited, "diagnostics after the edit");

    // The cost: the same work in both sessions, so about the same time. A scan of the line per position made
    // the one-line session cost 15 times the other (release build) and far more in a debug build. The bound is
    // generous, so that machine load cannot make it fail, and has a floor for very fast machines.
    // Each is the faster of two sessions, taken in turn, so that a burst of load during one session cannot
    // decide the result.
    let m_time = m.elapsed.min(session(&multi).elapsed);
    let o_time = o.elapsed.min(session(&one).elapsed);
    let floor = Duration::from_millis(300);
    assert!(
        o_time <= m_time.max(floor) * 5,
        "one line took {o_time:?}, many lines {m_time:?}"
    );
}
