//! Protocol layer: turns LSP messages into calls on immutable snapshots, and results back into LSP types.

mod actions;
pub mod config;
pub mod convert;
pub mod framing;
pub mod log;
mod nav;
pub mod outbox;
pub mod panics;
mod publish;
mod server;
pub mod stdio;
mod work;

pub use server::{serve_stdio, Backend, LogReload, TEST_HOOKS_ENV, TEST_PANIC_MARK};
