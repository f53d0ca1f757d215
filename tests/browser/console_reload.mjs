// An edit of the site's files that the live reload refused, in the console, in Debian's
// chromium against the real `guichet serve` on the default commune: an editor signing in sees,
// on whichever section, that the edit was refused and each problem as file:line:column (only
// the log said it, unless the console had added the example itself), in French and in
// English; it goes away once the file is fixed. Usage: node console_reload.mjs BIN
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { check, guichetBinary, launch, run, startGuichet } from "./lib.mjs";
import { axeCheck, commune, login } from "./commune.mjs";

const bin = guichetBinary();
const password = "un mot de passe de rédaction";
const { site, env, staff } = commune(bin);

run(async () => {
  const add = staff(["add", "redaction", "--role", "editor"], { env: { GUICHET_STAFF_PASSWORD: password } });
  check(add.status === 0, "guichet staff add redaction --role editor: " + (add.stderr || add.stdout).trim());
  const server = await startGuichet(bin, { site, env });
  const base = server.url;

  // A hand edit that breaks an intent file (a key misspelt).
  const file = path.join(site, "intents/fr/smalltalk.yaml");
  const good = readFileSync(file, "utf8");
  writeFileSync(file, good.replace("    examples:", "    exemples:"));

  const context = await launch({ bypassCSP: true, locale: "fr-FR" });
  const page = context.pages()[0] || (await context.newPage());
  await login(page, base, "redaction", password);
  const box = page.locator("#site-refused");
  await box.waitFor({ state: "visible", timeout: 35000 });
  const text = await box.textContent();
  check(/Une modification des fichiers du site a été refusée/.test(text) && /smalltalk\.yaml:\d+:\d+: /.test(text),
        "an editor sees the refused edit and where, in French: " + text);
  check(await box.getAttribute("role") === "alert", "said to screen readers (role=alert)");
  await axeCheck(page, "the console with a refused edit (French)");
  await page.goto(base + "/admin?lang=en");
  await page.waitForFunction(() => !document.querySelector("#site-refused").hidden &&
                                   /was refused/.test(document.querySelector("#site-refused").textContent), null, { timeout: 10000 });
  check(true, "and in English");

  // Fixed: the reload swaps the site in, and the warning goes at the next check.
  writeFileSync(file, good);
  await page.reload();
  await page.waitForFunction(() => document.querySelector("#site-refused").hidden, null, { timeout: 35000 });
  check(true, "the warning goes once the file is fixed");
});
