#!/usr/bin/env bash
# Sets up what serving needs and serves the app at http://127.0.0.1:8080 (README, command 1).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."
# shellcheck source=scripts/env.sh
source "$here/env.sh"
"$here/setup.sh" serve
echo "serving EventLab at http://127.0.0.1:8080 (Ctrl+C to stop)"
exec trunk serve --address 127.0.0.1 --port 8080
