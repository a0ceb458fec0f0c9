#!/usr/bin/env bash
# Builds a platform-specific .vsix with the server inside: copies a release binary of amplify-lsp
# into server/ and runs `vsce package --target <target>`.
#
#   editors/vscode/scripts/bundle-server.sh                      # this machine's target, target/release/amplify-lsp
#   editors/vscode/scripts/bundle-server.sh linux-arm64 path/to/amplify-lsp
#
# Output: editors/vscode/amplify-lsp-<target>-<version>.vsix, e.g. amplify-lsp-linux-x64-0.1.0.vsix.
# Environment: SKIP_BUILD=1 to use the binary as it is (no `cargo build --release`).
set -euo pipefail

VSCODE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$(cd "$VSCODE_DIR/../.." && pwd)"

host_target() {
  local os arch
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; MINGW* | MSYS* | CYGWIN*) os=win32 ;; *) os=unknown ;; esac
  case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; armv7l) arch=armhf ;; *) arch=unknown ;; esac
  if [ "$os" = linux ] && ldd --version 2>&1 | grep -qi musl; then os=alpine; fi
  echo "$os-$arch"
}

TARGET="${1:-$(host_target)}"
case "$TARGET" in
  win32-x64 | win32-arm64 | linux-x64 | linux-arm64 | linux-armhf | alpine-x64 | alpine-arm64 | darwin-x64 | darwin-arm64) ;;
  *) echo "error: unknown vsce target '$TARGET'" >&2; exit 2 ;;
esac
EXE=amplify-lsp
case "$TARGET" in win32-*) EXE=amplify-lsp.exe ;; esac
BIN="${2:-$REPO/target/release/$EXE}"

if [ -z "${2:-}" ] && [ "${SKIP_BUILD:-}" != 1 ]; then
  (cd "$REPO" && cargo build --release -p amplify-lsp)
fi
if [ ! -f "$BIN" ]; then
  echo "error: no server binary at $BIN" >&2
  exit 1
fi

cd "$VSCODE_DIR"
# server/ exists only while packaging: a plain `vsce package` must not pick it up later.
trap 'rm -rf "$VSCODE_DIR/server"' EXIT
rm -rf server
mkdir -p server
cp "$BIN" "server/$EXE"
chmod +x "server/$EXE"
[ -d node_modules ] || npm ci --no-audit --no-fund
version="$(node -p "require('./package.json').version")"
out="amplify-lsp-$TARGET-$version.vsix"
rm -f "$out"
npx --no-install @vscode/vsce package --target "$TARGET" </dev/null
ls -l "$out"
echo "server: $(du -h "server/$EXE" | cut -f1) ($BIN); package: $(du -h "$out" | cut -f1)"
