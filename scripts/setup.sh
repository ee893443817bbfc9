#!/usr/bin/env bash
# Installs whatever the project needs and is missing; a second run only checks.
# Never relies on a tool downloading a binary at run time: every binary comes
# from crates.io (cargo install), the npm registry (npm ci) or Debian's archive.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WORKER_BUILD_VERSION=0.8.7
# wasm-bindgen-cli must be exactly the wasm-bindgen of Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "need root to run: $*"; return 1; fi
}

apt_install() {
  if ! command -v apt-get >/dev/null; then
    say "not a Debian/Ubuntu machine: install these yourself: $*"; return 1
  fi
  if [ ! -f .tools/apt-updated ]; then as_root apt-get update -qq; mkdir -p .tools; touch .tools/apt-updated; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

cargo_tool() { # binary, crate, version, extra cargo install flags...
  local bin=$1 crate=$2 version=$3; shift 3
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -q "$version"; then return; fi
  say "installing $crate $version (cargo install; minutes on a cold machine)"
  cargo install "$crate" --version "$version" "$@"
}

# 1. A wasm32 target: rustup's (route A), else Debian's Rust with build-std (route B).
# Route B, once chosen (by the fallback or by WASM_ROUTE=B), is kept by later runs
# (every make target runs this script); `rm .tools/wasm-route` to choose again.
mkdir -p .tools
if [ -n "${WASM_ROUTE:-}" ]; then
  route=$WASM_ROUTE
  case "$route" in A|B) ;; *) say "WASM_ROUTE must be A or B, not '$route'"; exit 1 ;; esac
elif [ "$(cat .tools/wasm-route 2>/dev/null)" = B ]; then
  route=B
elif rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  route=A
elif rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
  route=A
else
  route=B
fi
if [ "$route" = B ]; then
  if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust ] || ! command -v wasm-ld-19 >/dev/null; then
    say "wasm route B: installing Debian's rustc-web with build-std (rustup's wasm32 target is unavailable or WASM_ROUTE=B)"
    apt_install rustc-web cargo-web rust-web-src lld-19
  fi
  # worker-build asks Debian's rustc for a wasm32 sysroot it does not have; answer that one question.
  mkdir -p .tools/route-b
  cat > .tools/route-b/rustc <<'WRAP'
#!/bin/sh
case "$*" in
  *--print*target-libdir*) mkdir -p /tmp/empty-wasm-libdir; echo /tmp/empty-wasm-libdir ;;
  *) exec /usr/bin/rustc "$@" ;;
esac
WRAP
  chmod +x .tools/route-b/rustc
fi
echo "$route" > .tools/wasm-route

# 2. Host tools, built with rustup's cargo.
cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
cargo_tool worker-build worker-build "$WORKER_BUILD_VERSION" --locked
cargo_tool trunk trunk "$TRUNK_VERSION" --locked

# 3. JavaScript tools at the lockfile's exact versions (wrangler, wasm-opt, playwright-core, axe-core).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing JavaScript tools (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error
fi

# 4. Debian's Chromium for the browser tests (never a browser downloaded by a test tool).
# The native storage tests compile SQLite (rusqlite's bundled build) with the C compiler.
if ! command -v cc >/dev/null; then
  say "installing a C compiler for the native storage tests"
  apt_install gcc libc6-dev
fi

if [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's chromium"
  apt_install chromium chromium-driver || say "no /usr/bin/chromium: browser tests will fail until it is installed"
fi

# 5. The local encryption key for personal data; kept out of git (.dev.vars is ignored).
if [ ! -f .dev.vars ] || ! grep -q '^PII_KEY=' .dev.vars; then
  say "generating a local encryption key in .dev.vars"
  echo "PII_KEY=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')" >> .dev.vars
fi

# 6. Local-only settings: messages go to the dev mailbox, readable at /api/v1/dev/mailbox.
for setting in NOTIFY_TRANSPORT=dev_mailbox DEV_MAILBOX=on; do
  grep -q "^${setting%%=*}=" .dev.vars || echo "$setting" >> .dev.vars
done

say "ready (wasm route $route)"
