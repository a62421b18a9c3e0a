#!/usr/bin/env bash
# Proves EventLab's exports on every example design (designs/*.json), exercise solution
# (exercises/*/solution.json) and the check's own designs (exports-check/designs/*.json: source
# shapes no example uses, such as reported batch item failures): the handlers and the CDK app pass `tsc --noEmit --strict`, the CDK
# app synthesizes offline to the design's resources, each handler makes the simulator's requests
# under mocked AWS clients, the AsyncAPI document parses and the JSON Schemas compile.
#
#   exports-check/check.sh [path/to/eventlab]      (default: target/debug/eventlab)
#
# Needs exports-check/node_modules (scripts/setup.sh all installs it from the lock file).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
eventlab="${1:-$root/target/debug/eventlab}"
out="$here/out"
build="$here/build"
rm -rf "$out" "$build"
mkdir -p "$out"

designs=()
for file in "$root"/designs/*.json "$root"/exercises/*/solution.json "$here"/designs/*.json; do
  [ -f "$file" ] || continue
  designs+=("$file")
done

# Export every design to out/<name>/ with every target, and record a simulated run beside it.
for file in "${designs[@]}"; do
  case "$file" in
    */exercises/*/solution.json) name="exercise-$(basename "$(dirname "$file")")" ;;
    "$here"/designs/*) name="check-$(basename "$file" .json)" ;;
    *) name="$(basename "$file" .json)" ;;
  esac
  for target in ts cdk asl rules schemas asyncapi; do
    "$eventlab" export "$file" --to "$target" --out "$out/$name" >/dev/null
  done
  cp "$file" "$out/$name/design.json"
  "$eventlab" run "$file" --format json >"$out/$name/run.json"
done
echo "exports-check: exported ${#designs[@]} designs"

# One strict type check over every design's handlers and CDK app.
cat >"$here/tsconfig.check.json" <<JSON
{
  "compilerOptions": {
    "strict": true, "target": "ES2022", "module": "commonjs", "moduleResolution": "node",
    "esModuleInterop": true, "skipLibCheck": true, "types": ["node"],
    "rootDir": "out", "outDir": "build"
  },
  "include": ["out/*/handlers/*.ts", "out/*/cdk/app.ts"]
}
JSON
cd "$here"
node_modules/.bin/tsc --noEmit --strict -p tsconfig.check.json
echo "exports-check: tsc --noEmit --strict passed"
node_modules/.bin/tsc -p tsconfig.check.json --noCheck
# The CDK app takes the compiled handlers from handlers/dist, as `tsc -p handlers` leaves them.
for directory in "$build"/*/handlers; do
  mkdir -p "$directory/dist"
  cp "$directory"/*.js "$directory/dist/"
done

node --no-warnings synth.js "$out" "$build"
node --no-warnings handlers.js "$out" "$build" "$eventlab"
node --no-warnings documents.js "$out"
