#!/usr/bin/env bash
# Load figures of the website channel, in one go: wrk against guichet's POST /api/v1/messages
# (whole pipeline) and against the bare Beast reference (bench_web_bare), same request, same
# connections, same machine; prints requests/s, p99, the ratio, and each server's CPU time per
# request (user + system, from /proc: steadier than requests/s on a noisy machine).
# Usage: bench/web/run.sh [BUILD_DIR]   env: DURATION=10 CONNECTIONS=64 THREADS=2 SITE=DIR
#        SMOKE=1 (2-second runs, for a quick check)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
guichet=$build/guichet
bare=$build/bench/web/bench_web_bare
duration=${DURATION:-10}; [[ "${SMOKE:-0}" == 1 ]] && duration=2
conns=${CONNECTIONS:-64}
wrk_threads=${THREADS:-2}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || true

# The site: the default commune when it loads (hours plugin + knowledge base), else the test site.
if [[ -z "${SITE:-}" ]]; then
  if "$guichet" check >/dev/null 2>&1; then SITE=$root; else SITE=$root/tests/web/site; fi
fi
echo "site: $SITE"

start() {  # start <name> <cmd...>: waits for "listening on http://…" and sets $url
  local name=$1; shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  for _ in $(seq 1 600); do
    url=$(grep -o 'listening on http://[^ ]*' "$work/$name.out" 2>/dev/null | head -1 | cut -d' ' -f3 || true)
    [[ -n "$url" ]] && return 0
    sleep 0.1
  done
  echo "$name did not start:"; cat "$work/$name.err"; exit 1
}

GUICHET_LIMITS_RATE_PER_MINUTE=0 GUICHET_LOG_LEVEL=warn GUICHET_KB_PATH=$work/kb.db \
  start guichet "$guichet" serve --site "$SITE" --port 0
guichet_url=$url
# Conversations with their tokens, as citizens' widgets hold them.
echo "return {" >"$work/conversations.lua"
for _ in $(seq 1 256); do
  curl -sf -X POST "$guichet_url/api/v1/conversations" |
    sed -E 's/.*"conversation":"([^"]+)","token":"([^"]+)".*/  {"\1", "\2"},/' >>"$work/conversations.lua"
done
echo "}" >>"$work/conversations.lua"
check=$(curl -s -X POST "$guichet_url/api/v1/messages" -H 'Content-Type: application/json' \
  -d '{"conversation":"bench-check","text":"horaires de la mairie samedi"}')
echo "sample answer: ${check:0:220}"

# CPU time (user + system) of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
run_wrk() {  # run_wrk <url> <server pid>: the RESULT line plus the server's CPU per request
  GUICHET_BENCH_CONVERSATIONS=$work/conversations.lua \
    wrk -t"$wrk_threads" -c"$conns" -d1s -s "$here/post.lua" "$1" >/dev/null  # warm-up
  local before result
  before=$(cpu_ticks "$2")
  result=$(cd "$work" && GUICHET_BENCH_CONVERSATIONS=$work/conversations.lua \
    wrk -t"$wrk_threads" -c"$conns" -d"${duration}s" --latency -s "$here/post.lua" "$1" | grep RESULT)
  echo "$result" | awk -v t=$(( $(cpu_ticks "$2") - before )) -v hz="$(getconf CLK_TCK)" \
    '{ n = $0; sub(/.*requests=/, "", n); printf "%s cpu_us=%.1f\n", $0, (n > 0 ? t * 1e6 / hz / n : 0) }'
}
full=$(run_wrk "$guichet_url" "${pids[0]}")
start bare "$bare"
bare_url=$url
ref=$(run_wrk "$bare_url" "${pids[1]}")

val() { echo "$1" | grep -o "$2=[0-9.]*" | cut -d= -f2; }
printf '%-10s %12s %10s %10s %14s %8s %12s\n' server requests/s p50_ms p99_ms socket_errors non_2xx cpu_us/req
for row in "guichet:$full" "bare:$ref"; do
  name=${row%%:*}; r=${row#*:}
  printf '%-10s %12s %10s %10s %14s %8s %12s\n' "$name" "$(val "$r" requests_per_s)" "$(val "$r" p50_ms)" \
    "$(val "$r" p99_ms)" "$(val "$r" socket_errors)" "$(val "$r" non_2xx)" "$(val "$r" cpu_us)"
done
ratio=$(awk -v a="$(val "$full" requests_per_s)" -v b="$(val "$ref" requests_per_s)" 'BEGIN { printf "%.1f", 100 * a / b }')
echo "guichet / bare: ${ratio} % (target >= 50 %), ${conns} connections, ${duration} s, wrk -t${wrk_threads}"
awk -v a="$(val "$full" cpu_us)" -v b="$(val "$ref" cpu_us)" \
  'BEGIN { if (b > 0) printf "CPU per request: guichet %.1f us, bare %.1f us (%.1f x)\n", a, b, a / b }'
