#!/usr/bin/env bash
# Fails when eventlab-core, built for wasm32, reaches a web, OS-random or clock crate, directly or
# through another crate: core must stay a pure function of its inputs (ARCHITECTURE.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tree="$(cargo tree -q -p eventlab-core --target wasm32-unknown-unknown -e normal,build --prefix none)"
forbidden='^(wasm-bindgen|wasm-bindgen-[a-z-]+|js-sys|web-sys|getrandom|rand_os|chrono|time|instant|web-time|gloo[a-z-]*|leptos[a-z_-]*) '
bad="$(printf '%s\n' "$tree" | grep -E "$forbidden" | sort -u || true)"
if [ -n "$bad" ]; then
  echo "core purity: eventlab-core reaches forbidden crates:"
  printf '  %s\n' "$bad"
  echo "core must not depend on web, OS-random or clock crates (see ARCHITECTURE.md, Invariants)."
  exit 1
fi
echo "core purity: $(printf '%s\n' "$tree" | sort -u | wc -l) crates in eventlab-core's wasm32 tree, none forbidden"
