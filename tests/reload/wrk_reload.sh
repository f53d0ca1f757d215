#!/bin/sh
# A wrk load through live reloads: serves a private copy of tests/reload/site, loads
# POST /api/v1/messages for 8 s with 4 threads and 32 connections while the intent file is
# edited three times and SIGHUP is sent once; fails unless every reload was swapped in and
# wrk saw no socket error and no non-2xx answer.
# Usage: tests/reload/wrk_reload.sh BUILD_DIR   (needs wrk: apt-get install -y wrk)
set -eu
build=${1:?usage: wrk_reload.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r "$here/site" "$work/site"
rm -rf "$work/site/var"
cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
-- A new conversation per request: a known one would need its token.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("prefix", tostring(os.time()) .. "-" .. threads)
end
counter = 0
statuses = {}
function response(status, headers, body)
  if status ~= 200 and not statuses[status] then
    statuses[status] = true
    io.stderr:write("status " .. status .. ": " .. body .. "\n")
  end
end
request = function()
  counter = counter + 1
  return wrk.format(nil, "/api/v1/messages",
    nil, '{"conversation":"wrk-' .. prefix .. '-' .. counter .. '","text":"numero de la mairie","locale":"fr"}')
end
LUA
GUICHET_LIMITS_RATE_PER_MINUTE=0 GUICHET_LIMITS_MAX_CONNECTIONS_PER_IP=1000 \
  GUICHET_OPS_STAFF_TOKEN=staff-token-of-wrk-reload GUICHET_OPS_RELOAD_POLL_MS=200 GUICHET_SERVER_THREADS=2 \
  GUICHET_PLUGINS_DIR="$build/plugins" GUICHET_LOG_LEVEL=warn \
  "$build/guichet" serve --site "$work/site" --port 0 > "$work/out" 2> "$work/err" &
pid=$!
for i in $(seq 50); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.2; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/out" | head -1)
[ -n "$port" ] || { cat "$work/err"; exit 1; }
wrk -t4 -c32 -d8s -s "$work/post.lua" "http://127.0.0.1:$port" > "$work/wrk" &
wrk_pid=$!
for n in 1 2 3; do
  sleep 1.5
  sed -i "s/02 38 [0-9][0-9] [0-9][0-9] [0-9][0-9]/02 38 0$n 0$n 0$n/" "$work/site/intents/fr/mairie.yaml"
done
sleep 1; kill -HUP $pid
wait $wrk_pid
cat "$work/wrk"
status=$(curl -s -H 'Authorization: Bearer staff-token-of-wrk-reload' "http://127.0.0.1:$port/api/v1/staff/reload")
echo "reload: $status"
answer=$(curl -s -X POST -H 'Content-Type: application/json' \
  -d '{"conversation":"check","text":"numero de la mairie","locale":"fr"}' "http://127.0.0.1:$port/api/v1/messages")
echo "answer: $answer"
fail=0
grep -q "Socket errors" "$work/wrk" && { echo "FAIL: socket errors"; fail=1; }
grep -q "Non-2xx" "$work/wrk" && { echo "FAIL: non-2xx answers"; fail=1; }
echo "$status" | grep -q '"generation":4' || { echo "FAIL: expected 4 reloads swapped in"; fail=1; }
echo "$answer" | grep -q "02 38 03 03 03" || { echo "FAIL: the last edit is not live"; fail=1; }
[ $fail = 0 ] && echo "PASS: zero errors through 4 reloads"
exit $fail
