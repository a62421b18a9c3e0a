#!/usr/bin/env bash
# Installs what building, serving and testing EventLab needs, idempotently: each tool only when
# it is missing or at the wrong version. Nothing here downloads a prebuilt binary from outside
# the package registries (crates.io, npm, Debian).
#
#   scripts/setup.sh serve   the wasm target, trunk, wasm-bindgen-cli, wasm-opt
#   scripts/setup.sh all     the above, plus Debian's Chromium and the e2e npm packages
#
# Tools land in $CARGO_HOME/bin (cargo install) and $EVENTLAB_TOOLS (npm), so an empty
# CARGO_HOME or EVENTLAB_TOOLS proves a cold install. Source scripts/env.sh for the PATH.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"

want_trunk="0.21.14"
want_binaryen="132"
want_bindgen="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$root/Cargo.lock")"

say() { printf 'setup: %s\n' "$*"; }

ensure_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "wasm32 target present"
  else
    say "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# The tools are installed with a quick-to-compile profile: trunk's own release profile asks for
# fat LTO and one codegen unit, which costs minutes on 2 cores and buys nothing here (trunk and
# wasm-bindgen spend their time waiting on rustc and wasm-opt, or on a few MB of wasm).
quick_install() {
  env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false cargo install "$@"
}

ensure_trunk() {
  if command -v trunk >/dev/null && trunk --version 2>/dev/null | grep -q " $want_trunk"; then
    say "trunk $want_trunk present"
  else
    say "installing trunk $want_trunk (several minutes on 2 cores)"
    quick_install trunk --version "$want_trunk" --locked --quiet
  fi
}

ensure_wasm_bindgen() {
  if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $want_bindgen\b"; then
    say "wasm-bindgen-cli $want_bindgen present"
  else
    # --locked fails for this version (a pinned dependency is missing from the registry).
    say "installing wasm-bindgen-cli $want_bindgen (matches Cargo.lock)"
    quick_install wasm-bindgen-cli --version "$want_bindgen" --force --quiet
  fi
}

ensure_wasm_opt() {
  if command -v wasm-opt >/dev/null && wasm-opt --version | grep -q "version_$want_binaryen"; then
    say "wasm-opt $want_binaryen present"
  else
    say "installing binaryen@$want_binaryen (wasm-opt) from npm into $EVENTLAB_TOOLS"
    mkdir -p "$EVENTLAB_TOOLS/binaryen"
    npm install --prefix "$EVENTLAB_TOOLS/binaryen" --no-audit --no-fund --loglevel=error "binaryen@$want_binaryen"
  fi
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    say "chromium present ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
  else
    say "installing Debian's chromium"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  fi
}

ensure_e2e_packages() {
  local lock="$root/e2e/package-lock.json" stamp="$root/e2e/node_modules/.installed-lock"
  if [ -f "$stamp" ] && cmp -s "$lock" "$stamp"; then
    say "e2e npm packages present"
  else
    say "installing the e2e npm packages from e2e/package-lock.json"
    (cd "$root/e2e" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$lock" "$stamp"
  fi
}

ensure_exports_packages() {
  local lock="$root/exports-check/package-lock.json" stamp="$root/exports-check/node_modules/.installed-lock"
  if [ -f "$stamp" ] && cmp -s "$lock" "$stamp"; then
    say "exports-check npm packages present"
  else
    say "installing the exports-check npm packages from exports-check/package-lock.json"
    (cd "$root/exports-check" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$lock" "$stamp"
  fi
}

ensure_moto() {
  local requirements="$root/scripts/moto_diff/requirements.txt" venv="$EVENTLAB_TOOLS/moto-venv"
  if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$venv/.installed-requirements"; then
    say "moto venv present"
  else
    say "installing moto into $venv from scripts/moto_diff/requirements.txt"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/.installed-requirements"
  fi
}

what="${1:-all}"
if [ "$what" = all ]; then
  ensure_chromium
  ensure_e2e_packages
  ensure_exports_packages
  ensure_moto
fi
ensure_wasm_target
ensure_trunk
ensure_wasm_bindgen
ensure_wasm_opt
say "ready"
