//! Semantic rules, each named by a stable code.
