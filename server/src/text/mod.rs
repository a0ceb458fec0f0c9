//! Text layer: positions, encodings and the edits that change a document's rope.
//!
//! Everything above this layer speaks byte offsets into the document's UTF-8 text. This module is the one
//! place that converts between LSP positions (line + character in the negotiated encoding) and bytes.

mod position;

pub use position::{offset_at, position_at, Encoding, Pos, Span};
