# Sourced by the other scripts: where tools and build output live. Kept outside the clone so a
# fresh clone (as CI makes for every run) reuses what an earlier run on this machine built.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export EVENTLAB_TOOLS="${EVENTLAB_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/eventlab/tools}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/eventlab/target}"
export PATH="$CARGO_HOME/bin:$EVENTLAB_TOOLS/binaryen/node_modules/.bin:$PATH"
# rustup's proxies (cargo, rustc) usually live in ~/.cargo/bin; add it only when cargo is not
# already on PATH, so a cold-install check with an empty CARGO_HOME sees no old tools there.
command -v cargo >/dev/null 2>&1 || export PATH="$PATH:$HOME/.cargo/bin"
# Size tuning for the wasm release build only (see Cargo.toml and ARCHITECTURE.md), and
# Leptos' `erase_components` (type-erased views: about 30 KB less gzipped page bundle).
# It builds in its own target folder, so switching between it and native builds rebuilds nothing.
wasm_release_env() {
  env CARGO_TARGET_DIR="$CARGO_TARGET_DIR/wasm-release" CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_LTO=true \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_PANIC=abort RUSTFLAGS="--cfg erase_components" "$@"
}
