#!/usr/bin/env bash
# The WebSocket soak with enough file descriptors: bench/web/soak.sh [BUILD_DIR] [N] [HOLD_S]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "open files: $(ulimit -n)"
exec node "$root/bench/web/ws_soak.mjs" "${1:-$root/build}/guichet" "${2:-10000}" "${3:-10}"
