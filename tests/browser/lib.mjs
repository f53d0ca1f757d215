// Shared helpers of the browser tests: start the real `guichet serve --port 0` on a site,
// launch Debian's chromium through playwright-core (never a downloaded browser) with a
// fresh profile, and small assertion helpers. Every failure exits non-zero for CTest.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, "../..");
export const testSite = path.join(repo, "tests/web/site");

export function guichetBinary() {
  const bin = process.argv[2];
  if (!bin) fail("usage: node " + process.argv[1] + " /path/to/guichet");
  return bin;
}

export function fail(message) {
  console.error("FAIL: " + message);
  process.exit(1);
}

export function check(condition, message) {
  if (!condition) fail(message);
  console.log("ok - " + message);
}

const cleanups = [];
export async function cleanup() {
  while (cleanups.length) {
    try { await cleanups.pop()(); } catch (e) { /* best effort */ }
  }
}
process.on("exit", () => { for (const c of cleanups) { try { c(); } catch (e) { /* */ } } });

// Starts `guichet serve`; resolves to {url, port, proc, stop()} once it listens.
export function startGuichet(bin, { site = testSite, env = {}, port = 0 } = {}) {
  const work = mkdtempSync(path.join(tmpdir(), "guichet-browser-"));
  const args = ["serve", "--port", String(port)];
  if (site) args.push("--site", site);
  const proc = spawn(bin, args, {
    env: { ...process.env, GUICHET_KB_PATH: path.join(work, "kb.db"), GUICHET_LIMITS_RATE_PER_MINUTE: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr.on("data", (d) => { stderr += d; });
  const stop = () => new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve();
    proc.once("exit", () => resolve());
    proc.kill("SIGTERM");
  });
  cleanups.push(async () => { await stop(); rmSync(work, { recursive: true, force: true }); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("guichet did not start in 60 s:\n" + stderr)), 60000);
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        const url = m[1];
        resolve({ url, port: Number(new URL(url).port), proc, stop });
      }
    });
    proc.once("exit", (code) => { clearTimeout(timer); reject(new Error("guichet exited with " + code + ":\n" + stderr)); });
  });
}

// Whether the default commune loads (its plugins all exist): `guichet check`.
export function defaultCommuneLoads(bin) {
  const r = spawnSync(bin, ["check"], { encoding: "utf8", timeout: 60000 });
  return r.status === 0;
}

// Debian's chromium with a fresh profile; returns a persistent context.
export async function launch(options = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), "guichet-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    ...options,
  });
  cleanups.push(async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); });
  return context;
}

export async function run(main) {
  const guard = setTimeout(() => fail("the test took longer than 150 s"), 150000);
  try {
    await main();
    await cleanup();
    clearTimeout(guard);
    console.log("PASS");
    process.exit(0);
  } catch (e) {
    console.error(e && e.stack ? e.stack : e);
    await cleanup();
    fail(e && e.message ? e.message : String(e));
  }
}
