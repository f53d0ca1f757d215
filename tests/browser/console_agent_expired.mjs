// An agent's session that ends while she writes a reply, in Debian's chromium against the real
// `guichet serve` with sessions idle for 6 s at most (twice the inbox's 3-second poll, which keeps
// a visible console's session: at 3 s, a poll a little late on a busy machine ended the session
// and the citizen was offered a call-back instead of an agent): signed in again (the console's address
// reloaded, without the conversation in it), her draft is there, and the status line says which
// conversation left her hands meanwhile (back to the assistant: nobody else was signed in), in
// French and in English. Usage: node console_agent_expired.mjs BIN
import { check, guichetBinary, launch, run, startGuichet } from "./lib.mjs";
import { ask, commune, login } from "./commune.mjs";

const bin = guichetBinary();
const pw = "le mot de passe de Marie";
const { site, env, staff } = commune(bin, { GUICHET_ADMIN_SESSION_IDLE_S: "6" });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const hidden = (page, yes) => page.evaluate((h) => {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (h ? "hidden" : "visible") });
  document.dispatchEvent(new Event("visibilitychange"));
}, yes);

async function away(page, base, conversation, lang) {
  await login(page, base, "marie", pw);
  await page.goto(base + "/admin" + (lang === "en" ? "?lang=en" : "") + "#inbox");
  const known = await page.evaluate(() => [...document.querySelectorAll("#queue button.take")].map((b) => b.getAttribute("data-ticket")));
  await ask(base, conversation, "je veux parler à un agent");
  await page.waitForFunction((k) => [...document.querySelectorAll("#queue button.take")].some((b) => !k.includes(b.getAttribute("data-ticket"))),
                             known, { timeout: 10000 });
  const ticket = await page.evaluate((k) => [...document.querySelectorAll("#queue button.take")].map((b) => b.getAttribute("data-ticket"))
                                             .find((t) => !k.includes(t)), known);
  await page.locator("#queue button.take[data-ticket='" + ticket + "']").click();
  await page.locator("#reply").fill("Bonjour, Marie ici.");
  await page.locator("#reply-form button[type=submit]").click();
  await page.waitForFunction(() => document.querySelectorAll("#transcript li").length >= 3, null, { timeout: 10000 });
  await page.locator("#reply").pressSequentially("Voici la réponse sur votre carte grise", { delay: 5 });
  // She goes to another window: the hidden page keeps nobody signed in, and the session ends
  // (6 s idle, then the sweep, every 3 s, hands her conversation back).
  await hidden(page, true);
  await sleep(11000);
  await hidden(page, false);
  await page.locator("#login").waitFor({ state: "visible", timeout: 10000 });
  await login(page, base, "marie", pw);  // (the address without the conversation)
  return ticket;
}

run(async () => {
  check(staff(["add", "marie", "--role", "agent"], { env: { GUICHET_STAFF_PASSWORD: pw } }).status === 0, "agent marie added");
  const server = await startGuichet(bin, { site, env });
  const base = server.url;

  const page = await (await launch({ locale: "fr-FR" })).newPage();
  const ticket = await away(page, base, "citizen-expired", "fr");
  await page.waitForFunction(() => /Pendant votre absence/.test(document.getElementById("status").textContent), null, { timeout: 10000 })
    .catch(() => {});
  const seen = await page.evaluate(() => ({
    status: document.getElementById("status").textContent,
    open: document.getElementById("conversation").hidden ? "" : document.getElementById("conv-ticket").textContent,
    closed: document.getElementById("conv-closed").textContent,
  }));
  check(seen.status.includes("Pendant votre absence") && seen.status.includes(ticket + " est revenue à l'assistant"),
        "signed in again, the status line says the conversation went back to the assistant: " + JSON.stringify(seen));
  check(seen.open === ticket && seen.closed.includes("Voici la réponse sur votre carte grise"),
        "the conversation that was open is open again, with her draft: " + JSON.stringify(seen));

  await page.locator("#logout").click();  // (signed in there, she would still hold the next one)
  await page.locator("#login").waitFor({ state: "visible", timeout: 10000 });
  const en = await (await launch({ locale: "en-GB" })).newPage();
  const t2 = await away(en, base, "citizen-expired-en", "en");
  await en.waitForFunction(() => /While you were away/.test(document.getElementById("status").textContent), null, { timeout: 10000 })
    .catch(() => {});
  const said = await en.locator("#status").textContent();
  check(said.includes(t2 + " went back to the assistant"), "and in English: " + said);
});
