#!/usr/bin/env bash
# Runs every test: the Rust unit, protocol and property tests, and (when present) the editor client tests.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace
cargo bench --workspace --no-run
if [ -x editors/test-all.sh ] && [ "${SKIP_EDITOR_TESTS:-0}" != 1 ]; then
  cargo build -p amplify-lsp
  AMPLIFY_LSP_BIN="$PWD/target/debug/amplify-lsp" editors/test-all.sh
fi
cargo build -p amplify-lsp && AMPLIFY_LSP_BIN="$PWD/target/debug/amplify-lsp" scripts/test-npm.sh
