//! Protocol layer: turns LSP messages into calls on immutable snapshots, and results back into LSP types.

pub mod config;
pub mod convert;
mod server;

pub use server::{serve_stdio, Backend, LogReload};
