#!/usr/bin/env bash
# Sets up and builds (scripts/setup.sh), then runs every test: the GoogleTest suites, the
# fixture plugins, end-to-end and browser tests (through CTest), and the intent files' own
# tests on the default commune (`guichet test`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
cd "$root"
status=0
ctest --test-dir build --output-on-failure -j "${GUICHET_JOBS:-$(nproc)}" --timeout 600 || status=1
echo "== guichet test (intent files of the default commune)"
./build/guichet test --site "$root" || status=1
exit $status
