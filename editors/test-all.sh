#!/usr/bin/env bash
# Editor client tests for amplify-lsp: VS Code (protocol libraries + extension unit tests + .vsix),
# Neovim (headless, real client) and Helix (languages.toml), all against one server binary.
#
#   editors/test-all.sh                 # everything
#   editors/test-all.sh vscode helix    # a subset: vscode, neovim, helix
#
# Environment:
#   AMPLIFY_LSP_BIN        server binary (default: target/debug/amplify-lsp, relative to the repository)
#   AMPLIFY_LSP_FEATURES   feature tests to run: comma list, `all` or `none` (default: editors/features.txt)
#   AMPLIFY_LSP_TEST_TIMEOUT_MS   per-request wait (default 15000)
#   SKIP_INSTALL=1         do not apt-get / npm ci (reuse what is installed)
#
# Needs: bash, Node.js 20+ with npm; installs Neovim with apt-get (as root, or with sudo -n).
set -euo pipefail

EDITORS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$EDITORS/.." && pwd)"
cd "$REPO"

parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(vscode neovim helix)
want() { local p; for p in "${parts[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }
for p in "${parts[@]}"; do
  case "$p" in vscode | neovim | helix) ;; *) echo "unknown part: $p (vscode, neovim, helix)" >&2; exit 2 ;; esac
done

step() { printf '\n==> %s\n' "$*"; }

# --- the server ------------------------------------------------------------------------------
BIN="${AMPLIFY_LSP_BIN:-target/debug/amplify-lsp}"
case "$BIN" in /*) ;; *) BIN="$REPO/$BIN" ;; esac
export AMPLIFY_LSP_BIN="$BIN"
if [ ! -x "$BIN" ]; then
  echo "error: no server binary at $BIN" >&2
  echo "       build it with 'cargo build -p amplify-lsp', or set AMPLIFY_LSP_BIN" >&2
  exit 1
fi
step "server: $BIN ($("$BIN" --version))"

# --- Node -------------------------------------------------------------------------------------
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "error: Node.js 20 or newer is needed (found $(node --version))" >&2
  exit 1
fi
step "node $(node --version), npm $(npm --version)"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

files=()

# --- Neovim -----------------------------------------------------------------------------------
if want neovim; then
  if ! command -v nvim >/dev/null 2>&1; then
    if [ "${SKIP_INSTALL:-}" = 1 ]; then
      echo "error: nvim not installed and SKIP_INSTALL=1" >&2
      exit 1
    fi
    step "installing neovim (apt-get)"
    if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); else
      echo "error: need root or sudo to apt-get install neovim" >&2
      exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends neovim >/dev/null
  fi
  step "$(nvim --version | head -n 1)"
  files+=("$EDITORS/neovim/test/neovim.test.mjs")
fi

# --- VS Code ----------------------------------------------------------------------------------
if want vscode; then
  cd "$EDITORS/vscode"
  if [ "${SKIP_INSTALL:-}" != 1 ]; then
    step "vscode: npm ci"
    npm ci --no-audit --no-fund
  fi
  step "vscode: tsc --noEmit"
  npm run --silent typecheck
  step "vscode: esbuild bundle"
  npm run --silent build
  step "vscode: .vsix (npx @vscode/vsce package)"
  rm -f ./*.vsix
  npx --no-install @vscode/vsce package </dev/null
  step "vscode: compile tests"
  npm run --silent build:test
  cd "$REPO"
  files+=("$EDITORS"/vscode/out/test/unit/*.test.js "$EDITORS"/vscode/out/test/server/*.test.js "$EDITORS/vscode/test/vsix.test.mjs")
fi

# --- Helix ------------------------------------------------------------------------------------
if want helix; then
  if [ "${SKIP_INSTALL:-}" != 1 ]; then
    step "helix: npm ci (TOML parser)"
    (cd "$EDITORS/helix" && npm ci --no-audit --no-fund)
  fi
  files+=("$EDITORS/helix/test/languages.test.mjs")
fi

# --- run --------------------------------------------------------------------------------------
if [ -n "${AMPLIFY_LSP_FEATURES:-}" ]; then
  features="$AMPLIFY_LSP_FEATURES (AMPLIFY_LSP_FEATURES)"
else
  features="$(sed -e 's/#.*//' "$EDITORS/features.txt" | awk 'NF { printf "%s ", $1 }')"
  features="${features:-none} (editors/features.txt)"
fi
step "feature tests enabled: $features"
step "node --test (${#files[@]} files)"
node --test --test-reporter=spec "${files[@]}"
