// Shared by the console's browser tests: a private copy of the default commune (its intents
// without their tests, a front desk open at all hours for the handoff), staff accounts made
// with `guichet staff`, a citizen's question through the API, the console's sign-in, axe-core.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { check, repo } from "./lib.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");

// axe-core (WCAG 2.1 AA) on the page as it is now; the page's context must bypass the CSP.
export async function axeCheck(page, label) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  const v = result.violations.map((x) => x.id + ": " + x.nodes.map((n) => n.target.join(" ")).join(", "));
  check(v.length === 0, "axe-core: no WCAG 2.1 AA violation on " + label + (v.length ? "\n  " + v.join("\n  ") : ""));
}

// Returns {site, env, staff(args, opts)}; `extraEnv` is added to the server's environment.
export function commune(bin, extraEnv = {}) {
  // A private copy of the default commune's intents and knowledge (the console writes into
  // it; its plugins show alerts), with a front desk open at all hours for the handoff.
  const work = mkdtempSync(path.join(tmpdir(), "guichet-console-"));
  process.on("exit", () => rmSync(work, { recursive: true, force: true }));
  const site = path.join(work, "site");
  cpSync(path.join(repo, "intents"), path.join(site, "intents"), { recursive: true });
  cpSync(path.join(repo, "knowledge"), path.join(site, "knowledge"), { recursive: true });
  // The copy keeps no intent tests: the reload gate (tested in tests/reload) would otherwise make
  // this test depend on the classifier's borderline cases of the day, not on the console.
  function withoutTests(text) {
    const out = [];
    let skip = -1;
    for (const line of text.split("\n")) {
      const indent = line.length - line.trimStart().length;
      if (skip >= 0) {
        if (line.trim() === "" || indent > skip || (indent === skip && line.trimStart().startsWith("- "))) continue;
        skip = -1;
      }
      if (/^\s*tests:\s*(\[\])?\s*$/.test(line)) { skip = indent; continue; }
      out.push(line);
    }
    return out.join("\n");
  }
  for (const lang of ["fr", "en"]) {
    for (const f of readdirSync(path.join(site, "intents", lang))) {
      const p = path.join(site, "intents", lang, f);
      writeFileSync(p, withoutTests(readFileSync(p, "utf8")));
    }
  }
  const places = path.join(site, "knowledge/places.yaml");
  const placesText = readFileSync(places, "utf8");
  const frontDesk = placesText.indexOf("id: accueil_mairie");
  const hoursAt = placesText.indexOf("opening_hours:", frontDesk);
  const hoursEnd = placesText.indexOf("\n", hoursAt);
  writeFileSync(places, placesText.slice(0, hoursAt) + 'opening_hours: "24/7"' + placesText.slice(hoursEnd));

  const accounts = path.join(work, "staff.db");
  const env = { GUICHET_ADMIN_ACCOUNTS_PATH: accounts, GUICHET_WEB_TOKEN_SECRET: "console-test", GUICHET_OPS_RELOAD_POLL_MS: "200", ...extraEnv };

  function staff(args, opts = {}) {
    return spawnSync(bin, ["staff", ...args, "--site", site], { encoding: "utf8", timeout: 60000, ...opts,
                                                                 env: { ...process.env, ...env, ...(opts.env || {}) } });
  }
  return { site, env, staff };
}

export async function ask(base, conversation, text, token) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  const r = await fetch(base + "/api/v1/messages", { method: "POST", headers, body: JSON.stringify({ conversation, text }) });
  if (!r.ok) throw new Error("POST /api/v1/messages: " + r.status + " " + (await r.text()));
  return r.json();
}
export const replyText = (j) => j.replies.map((r) => r.text).join(" ");

export async function waitFor(fn, what, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function login(page, base, name, pw) {
  await page.goto(base + "/admin");
  await page.locator("#login-name").fill(name);
  await page.locator("#login-password").fill(pw);
  await page.locator("#login-form button[type=submit]").click();
  await page.waitForFunction(() => !document.getElementById("nav").hidden, null, { timeout: 10000 });
}

