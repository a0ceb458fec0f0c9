#!/usr/bin/env bash
# Tests of the npm packages (npm/): the launcher's platform choice and messages, version agreement
# (Cargo.toml, npm/amplify-lsp/package.json, editors/vscode/package.json, `amplify-lsp --version`),
# and an install from packed tarballs into a fresh project (`npx amplify-lsp check`, SARIF checked
# against the SARIF 2.1.0 schema, `--stdio` answering initialize).
#
#   scripts/test-npm.sh
#
# Environment:
#   AMPLIFY_LSP_BIN   the binary to package (default: target/debug/amplify-lsp; build it first)
#   SKIP_INSTALL=1    do not `npm ci` the test tools in npm/test (reuse node_modules)
#   KEEP_TMP=1        keep the temporary project (its path is under $TMPDIR, amplify-lsp-npm-*)
# Needs Node.js 18+ with npm, and the npm registry (the test tools; the install itself looks up the
# other platforms' optional packages there and skips them).
set -euo pipefail
cd "$(dirname "$0")/.."
export AMPLIFY_LSP_BIN="${AMPLIFY_LSP_BIN:-$PWD/target/debug/amplify-lsp}"
if [ ! -x "$AMPLIFY_LSP_BIN" ]; then
  echo "error: no server binary at $AMPLIFY_LSP_BIN (cargo build -p amplify-lsp, or set AMPLIFY_LSP_BIN)" >&2
  exit 1
fi
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
if [ "${SKIP_INSTALL:-}" != 1 ]; then
  (cd npm/test && npm ci --no-audit --no-fund)
fi
node --test --test-reporter=spec npm/test/*.test.mjs
