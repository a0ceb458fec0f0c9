//! Protocol layer: turns LSP messages into calls on immutable snapshots, and results back into LSP types.

mod actions;
pub mod config;
pub mod convert;
mod nav;
mod server;

pub use server::{serve_stdio, Backend, LogReload};
