// WebSocket soak: holds N idle live conversations (POST /api/v1/conversations, then
// /api/v1/ws?token=…) open against `guichet serve`, and reports the server's resident memory
// per connection (VmRSS from /proc before and after). Usage (bench/web/soak.sh sets ulimit):
//   node bench/web/ws_soak.mjs /path/to/guichet [N=10000] [hold_seconds=10]
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../../tests/browser/package.json"));
const WebSocket = require("ws");
const { startGuichet } = await import("../../tests/browser/lib.mjs");

const [bin, nArg, holdArg] = process.argv.slice(2);
const N = Number(nArg || 10000), hold = Number(holdArg || 10);
const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);  // KiB

const server = await startGuichet(bin, { env: { GUICHET_LIMITS_MAX_CONNECTIONS_PER_IP: String(2 * N + 1000), GUICHET_LOG_LEVEL: "warn" } });
const wsBase = server.url.replace("http", "ws");
// Warm up: one full conversation, so that lazily allocated parts are counted in the baseline.
const first = await (await fetch(server.url + "/api/v1/conversations", { method: "POST" })).json();
await fetch(server.url + "/api/v1/messages", { method: "POST", headers: { "Content-Type": "application/json", Authorization: "Bearer " + first.token },
  body: JSON.stringify({ conversation: first.conversation, text: "bonjour" }) });
await new Promise((r) => setTimeout(r, 500));
const before = rss(server.proc.pid);

const sockets = [];
let ready = 0, failed = 0;
async function openOne() {
  const c = await (await fetch(server.url + "/api/v1/conversations", { method: "POST" })).json();
  await new Promise((resolve) => {
    const ws = new WebSocket(wsBase + "/api/v1/ws?token=" + encodeURIComponent(c.token), { perMessageDeflate: false });
    ws.once("message", () => { ready++; resolve(); });
    ws.once("error", () => { failed++; resolve(); });
    sockets.push(ws);
  });
}
const t0 = Date.now();
for (let i = 0; i < N; i += 200) await Promise.all(Array.from({ length: Math.min(200, N - i) }, openOne));
console.log(`opened ${ready}/${N} conversations in ${((Date.now() - t0) / 1000).toFixed(1)} s (${failed} failed)`);
await new Promise((r) => setTimeout(r, hold * 1000));
const after = rss(server.proc.pid);
const open = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
const perConn = ((after - before) * 1024) / Math.max(1, ready);
console.log(`RESULT connections=${N} held_open=${open} rss_before_mib=${(before / 1024).toFixed(1)} rss_after_mib=${(after / 1024).toFixed(1)} rss_per_connection_kib=${(perConn / 1024).toFixed(2)} (target < 20)`);
for (const s of sockets) s.terminate();
await server.stop();
process.exit(open === N && perConn < 20 * 1024 ? 0 : 1);
