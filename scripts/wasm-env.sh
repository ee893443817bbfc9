# Sourced before every wasm build (Trunk, worker-build): the environment of
# the route scripts/setup.sh chose. Never sourced for native builds, where
# RUSTC_BOOTSTRAP would break rustup's toolchain.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$root/node_modules/.bin:$PATH"   # wasm-opt 132 (Debian's 108 breaks the app), esbuild
export WASM_BINDGEN_BIN="$(command -v wasm-bindgen)"
export WASM_OPT_BIN="$root/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$root/node_modules/.bin/esbuild"
if [ "$(cat "$root/.tools/wasm-route" 2>/dev/null)" = B ]; then
  # Debian's cargo/rustc before rustup's, but node_modules/.bin before /usr/bin (never Debian's wasm-opt 108).
  export PATH="$root/.tools/route-b:$root/node_modules/.bin:/usr/bin:$PATH"
  export RUSTC="$root/.tools/route-b/rustc" RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-19
fi
