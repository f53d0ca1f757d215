-- wrk script: POST /api/v1/messages through the whole pipeline. Conversations and their
-- tokens come from conversations.lua (written by run.sh), spread over the connections so
-- that per-conversation ordering is not what is measured. Prints one RESULT line.
local ok, convs = pcall(dofile, os.getenv("GUICHET_BENCH_CONVERSATIONS") or "conversations.lua")
if not ok then convs = {} end
local text = os.getenv("GUICHET_BENCH_TEXT") or "horaires de la mairie samedi"
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  n = 0
end

function request()
  n = n + 1
  local headers = { ["Content-Type"] = "application/json" }
  local conv = "bench-" .. id .. "-" .. n
  if #convs > 0 then
    local c = convs[(n * 7 + id * 131) % #convs + 1]
    conv = c[1]
    headers["Authorization"] = "Bearer " .. c[2]
  end
  local body = '{"conversation":"' .. conv .. '","text":"' .. text .. '"}'
  return wrk.format("POST", "/api/v1/messages", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests_per_s=%.0f p50_ms=%.3f p99_ms=%.3f socket_errors=%d non_2xx=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, summary.requests))
end
