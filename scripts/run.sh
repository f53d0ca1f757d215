#!/usr/bin/env bash
# Sets up and builds (scripts/setup.sh), then serves the default commune on
# http://127.0.0.1:8080 (extra arguments go to `guichet serve`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
exec "$root/build/guichet" serve --site "$root" "$@"
