#!/usr/bin/env bash
# End-to-end tests of the VS Code extension in the real VS Code workbench: code-server 4.100.3
# (= VS Code 1.100.3) driven in Debian's Chromium by playwright-core. Self-contained: installs what
# it needs (apt packages, code-server, playwright-core, Amplify's types for one test), skipping
# whatever is already there, and always stops the code-server it started.
#
#   editors/vscode/e2e/run.sh                  # all tests
#   editors/vscode/e2e/run.sh tests/04-hover.test.mjs    # some tests (paths relative to e2e/)
#
# Environment:
#   AMPLIFY_LSP_BIN   server binary (default target/debug/amplify-lsp); given to the extension
#                     through the amplifyLsp.server.path user setting
#   E2E_PORT          code-server port on 127.0.0.1 (default 18080 + a free one if taken)
#   E2E_KEEP=1        keep the scratch folder (workspaces, code-server and browser logs)
#   SKIP_INSTALL=1    do not apt-get; still installs into e2e/ what is missing there
#
# Needs Debian 12 (or similar), root or sudo for apt-get, Node.js 20 with npm, and npm registry
# access the first time. Screenshots and logs of failures go to editors/vscode/e2e/artifacts/.
set -euo pipefail

E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VSCODE_DIR="$(cd "$E2E/.." && pwd)"
REPO="$(cd "$VSCODE_DIR/../.." && pwd)"
CODE_SERVER_VERSION=4.100.3
AMPLIFY_BACKEND_VERSION=1.25.1
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false npm_config_yes=true

t_start=$(date +%s)
step() { printf '\n==> [%3ss] %s\n' "$(($(date +%s) - t_start))" "$*"; }
# `timeout` on every external step: nothing may hang CI.
tmo() { timeout --kill-after=10 "$@"; }

# --- the server ------------------------------------------------------------------------------
BIN="${AMPLIFY_LSP_BIN:-target/debug/amplify-lsp}"
case "$BIN" in /*) ;; *) BIN="$REPO/$BIN" ;; esac
if [ ! -x "$BIN" ]; then
  echo "error: no server binary at $BIN (cargo build -p amplify-lsp, or set AMPLIFY_LSP_BIN)" >&2
  exit 1
fi
export AMPLIFY_LSP_BIN="$BIN"

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  echo "error: code-server $CODE_SERVER_VERSION needs Node.js 20 (found $(node --version))" >&2
  exit 1
fi

# --- apt packages --------------------------------------------------------------------------------
APT_PACKAGES=(build-essential pkg-config libsecret-1-dev libkrb5-dev libx11-dev libxkbfile-dev ripgrep chromium)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${SKIP_INSTALL:-}" = 1 ]; then
    echo "error: missing apt packages (SKIP_INSTALL=1): ${missing[*]}" >&2
    exit 1
  fi
  step "apt-get install ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); else
    echo "error: need root or sudo for apt-get" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  tmo 300 "${sudo[@]}" apt-get update -qq
  tmo 600 "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- code-server -------------------------------------------------------------------------------
# `npm install code-server` runs a postinstall that `npm install`s VS Code's own dependencies, one
# of which (@vscode/ripgrep) downloads rg from GitHub and fails without internet. So: install
# with --ignore-scripts, do the postinstall's steps by hand with Debian's rg in place, and build
# the native modules with `npm rebuild`.
CS_ROOT="$E2E/.code-server"
CS_PKG="$CS_ROOT/node_modules/code-server"
CS_VSCODE="$CS_PKG/lib/vscode"
CS_STAMP="$CS_ROOT/.installed-$CODE_SERVER_VERSION"
if [ ! -f "$CS_STAMP" ]; then
  step "installing code-server $CODE_SERVER_VERSION into $CS_ROOT"
  t0=$(date +%s)
  rm -rf "$CS_ROOT"
  mkdir -p "$CS_ROOT"
  (
    cd "$CS_ROOT"
    echo '{ "name": "e2e-code-server", "private": true }' >package.json
    tmo 300 npm pack --silent "code-server@$CODE_SERVER_VERSION" >/dev/null
    tmo 600 npm install --ignore-scripts --no-save "./code-server-$CODE_SERVER_VERSION.tgz" >/dev/null
    rm -f "./code-server-$CODE_SERVER_VERSION.tgz"
    # code-server's own native module (argon2, for password auth; loaded at start-up).
    tmo 600 npm rebuild argon2 >/dev/null
  )
  (
    cd "$CS_VSCODE"
    tmo 600 npm install --omit=dev --ignore-scripts >/dev/null
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    # Native modules (node-pty, spdlog, watcher, kerberos, ...); ripgrep's postinstall sees bin/.
    tmo 900 npm rebuild >/dev/null
    ln -sfn node_modules node_modules.asar
    (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
    (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
    cd extensions
    # The TypeScript that VS Code's TypeScript support runs when a project has none.
    tmo 300 npm install --omit=dev --ignore-scripts >/dev/null
    node postinstall.mjs >/dev/null
  )
  touch "$CS_STAMP"
  step "code-server installed in $(($(date +%s) - t0)) s"
fi
CODE_SERVER=(node "$CS_PKG/out/node/entry.js")

# --- playwright-core ---------------------------------------------------------------------------
if ! (cd "$E2E" && node -e "require.resolve('playwright-core')" 2>/dev/null) ||
  [ "$(cd "$E2E" && node -p "require('playwright-core/package.json').version")" != "$(node -p "require('$E2E/package.json').dependencies['playwright-core']")" ]; then
  step "npm ci (playwright-core; it downloads no browser)"
  (cd "$E2E" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 tmo 300 npm ci --no-audit --no-fund >/dev/null)
fi

# --- Amplify's types, for the duplicate-completion test ---------------------------------------------
# The minimum that makes TypeScript's own completion offer `memoryMB?` in defineFunction({ }):
# @aws-amplify/backend alone, without its peers (aws-cdk-lib, constructs).
TYPES="$E2E/.cache/amplify-types"
if [ ! -f "$TYPES/node_modules/@aws-amplify/backend/package.json" ]; then
  step "npm install @aws-amplify/backend@$AMPLIFY_BACKEND_VERSION (cached in $TYPES)"
  rm -rf "$TYPES"
  mkdir -p "$TYPES"
  echo '{ "name": "e2e-amplify-types", "private": true }' >"$TYPES/package.json"
  (cd "$TYPES" && tmo 600 npm install --ignore-scripts --legacy-peer-deps --no-save "@aws-amplify/backend@$AMPLIFY_BACKEND_VERSION" >/dev/null)
fi
export E2E_AMPLIFY_TYPES="$TYPES/node_modules"

# --- the extension -------------------------------------------------------------------------------
VSIX="$(ls -t "$VSCODE_DIR"/amplify-lsp-*.vsix 2>/dev/null | grep -v -- '-linux-\|-darwin-\|-win32-\|-alpine-' | head -n 1 || true)"
# Built by editors/test-all.sh (vscode part); (re)built here when missing or older than the sources.
if [ -z "$VSIX" ] || [ -n "$(cd "$VSCODE_DIR" && find src package.json README.md -newer "$VSIX" 2>/dev/null | head -n 1)" ]; then
  step "building the .vsix"
  (
    cd "$VSCODE_DIR"
    [ -d node_modules ] || tmo 600 npm ci --no-audit --no-fund >/dev/null
    npm run --silent build
    version="$(node -p "require('./package.json').version")"
    rm -f "amplify-lsp-$version.vsix"
    tmo 300 npx --no-install @vscode/vsce package </dev/null >/dev/null
  )
  VSIX="$VSCODE_DIR/amplify-lsp-$(node -p "require('$VSCODE_DIR/package.json').version").vsix"
fi

# --- a scratch folder: user data, extensions, workspaces, browser profiles ----------------------
WORK="$(mktemp -d /tmp/amplify-e2e.XXXXXX)"
ARTIFACTS="$E2E/artifacts"
rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS" "$WORK/user-data/User" "$WORK/extensions" "$WORK/ws"
export E2E_WORK="$WORK/ws" E2E_ARTIFACTS="$ARTIFACTS" E2E_REPO="$REPO"
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" XDG_CACHE_HOME="$WORK/cache"

cat >"$WORK/config.yaml" <<EOF
auth: none
cert: false
EOF
# User settings: the server under test, no welcome page, no tips, no telemetry.
cat >"$WORK/user-data/User/settings.json" <<EOF
{
  "amplifyLsp.server.path": "$BIN",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "git.enabled": false,
  "typescript.disableAutomaticTypeAcquisition": true,
  "typescript.surveys.enabled": false,
  "security.workspace.trust.enabled": false,
  "chat.disableAIFeatures": true
}
EOF

cs_common=(--config "$WORK/config.yaml" --user-data-dir "$WORK/user-data" --extensions-dir "$WORK/extensions")
step "installing $(basename "$VSIX")"
tmo 120 "${CODE_SERVER[@]}" "${cs_common[@]}" --install-extension "$VSIX" >"$WORK/install-extension.log" 2>&1 ||
  { cat "$WORK/install-extension.log" >&2; exit 1; }

PORT="${E2E_PORT:-18080}"
while (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
export E2E_URL="http://127.0.0.1:$PORT"

cs_pid=""
cleanup() {
  local rc=$?
  if [ -n "$cs_pid" ] && kill -0 "$cs_pid" 2>/dev/null; then
    kill -TERM -- "-$cs_pid" 2>/dev/null || kill -TERM "$cs_pid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$cs_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$cs_pid" 2>/dev/null || kill -KILL "$cs_pid" 2>/dev/null || true
  fi
  cp "$WORK/code-server.log" "$ARTIFACTS/" 2>/dev/null || true
  find "$WORK/user-data/logs" -name '*.log' -path '*exthost*' -exec cp {} "$ARTIFACTS/" \; 2>/dev/null || true
  if [ "${E2E_KEEP:-}" = 1 ]; then echo "scratch folder kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "starting code-server on $E2E_URL"
# A process group of its own, so that cleanup stops code-server and everything it started.
setsid "${CODE_SERVER[@]}" "${cs_common[@]}" --bind-addr "127.0.0.1:$PORT" \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --ignore-last-opened >"$WORK/code-server.log" 2>&1 &
cs_pid=$!
healthy() { node -e "fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "$E2E_URL/healthz"; }
for _ in $(seq 1 60); do
  healthy && break
  kill -0 "$cs_pid" 2>/dev/null || { cat "$WORK/code-server.log" >&2; echo "error: code-server exited" >&2; exit 1; }
  sleep 0.5
done
healthy || { cat "$WORK/code-server.log" >&2; echo "error: code-server did not answer" >&2; exit 1; }

step "versions"
echo "code-server: $("${CODE_SERVER[@]}" --version 2>/dev/null | tail -n 1)"
echo "VS Code:     $(node -p "require('$CS_VSCODE/package.json').version")"
echo "Chromium:    $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
echo "playwright-core: $(cd "$E2E" && node -p "require('playwright-core/package.json').version")"
echo "extension:   $(basename "$VSIX")"
echo "server:      $BIN ($("$BIN" --version))"
echo "Node.js:     $(node --version)"

cd "$E2E"
tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=(tests/*.test.mjs)
step "node --test (${#tests[@]} files)"
rc=0
# One file at a time (the 2 cores are shared with code-server and Chromium); 12 min in all.
tmo 720 node --test --test-concurrency=1 --test-timeout=300000 --test-force-exit --test-reporter=spec "${tests[@]}" || rc=$?
step "done (exit $rc); artifacts in $ARTIFACTS"
exit "$rc"
