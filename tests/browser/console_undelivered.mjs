// An agent's reply that the citizen's messaging app refuses never arrives: the console said
// "Réponse envoyée." and nothing more. Here a citizen writes on Telegram (a local fake of the
// Bot API on 127.0.0.1), asks for a person, then blocks the bot; the agent's reply is refused
// with 403, and the open conversation says so, once, as an alert, with Telegram's own words.
// A call-back request shows its number as a tel: link, and says that "Envoyer" calls nobody
// (the reply box was taken for a way to answer by e-mail or phone).
// Usage: node console_undelivered.mjs BIN
import http from "node:http";
import { check, guichetBinary, launch, run, startGuichet } from "./lib.mjs";
import { ask, axeCheck, commune, login } from "./commune.mjs";

const bin = guichetBinary();
const pw = "le mot de passe de l'agent";

// The Bot API: sendMessage is accepted until the citizen blocks the bot.
let blocked = false;
const sent = [];
const api = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => { body += c; });
  req.on("end", () => {
    sent.push({ url: req.url, body });
    res.setHeader("Content-Type", "application/json");
    if (req.url.endsWith("/getMe")) return res.end(JSON.stringify({ ok: true, result: { id: 1, is_bot: true, username: "mairie_bot" } }));
    if (blocked) {
      res.statusCode = 403;
      return res.end(JSON.stringify({ ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" }));
    }
    res.end(JSON.stringify({ ok: true, result: { message_id: sent.length } }));
  });
});
await new Promise((r) => api.listen(0, "127.0.0.1", r));
const apiUrl = "http://127.0.0.1:" + api.address().port;

const { site, env, staff } = commune(bin, {
  GUICHET_TELEGRAM_BOT_TOKEN: "123456:ABC", GUICHET_TELEGRAM_SECRET_TOKEN: "tg-secret", GUICHET_TELEGRAM_API_URL: apiUrl });

let update = 100;
async function citizenWrites(base, text) {
  const r = await fetch(base + "/webhooks/telegram", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "tg-secret" },
    body: JSON.stringify({ update_id: ++update, message: {
      message_id: update, date: Math.floor(Date.now() / 1000), text,
      chat: { id: 4242, type: "private", first_name: "Ana" }, from: { id: 4242, is_bot: false, first_name: "Ana", language_code: "fr" } } }) });
  check(r.status === 200, "the Telegram update is accepted: " + r.status);
}

run(async () => {
  check(staff(["add", "agent1", "--role", "agent"], { env: { GUICHET_STAFF_PASSWORD: pw } }).status === 0, "agent added");
  const server = await startGuichet(bin, { site, env });
  // (The page bypasses the CSP only so that axe-core can be added at the end.)
  const page = await (await launch({ bypassCSP: true, locale: "fr-FR" })).newPage();
  await login(page, server.url, "agent1", pw);

  await citizenWrites(server.url, "je veux parler à un agent");
  await page.locator("#queue button.take").first().waitFor({ timeout: 10000 });
  await page.locator("#queue button.take").first().click();
  await page.locator("#conversation").waitFor({ state: "visible" });
  check(await page.locator("#conv-undelivered").isHidden(), "nothing is said undelivered before anything is refused");
  // The transcript's words are marked with the conversation's language, the console's own
  // words ("Habitant : ") with the console's.
  await page.waitForFunction(() => document.querySelectorAll("#transcript li").length >= 2, null, { timeout: 10000 });
  const marks = await page.evaluate(() => [...document.querySelectorAll("#transcript li")].map(
    (li) => li.getAttribute("lang") + "/" + li.querySelector(".from").getAttribute("lang") + "/" + li.querySelector(".from").textContent.slice(-3)));
  check(marks.length >= 2 && marks.every((m) => m === "fr/fr/ : "), "the transcript is marked lang=fr: " + JSON.stringify(marks));

  blocked = true;
  await page.locator("#reply").fill("Bonjour, je regarde votre demande.");
  await page.locator("#reply-form button[type=submit]").click();
  await page.waitForFunction(() => /Réponse transmise/.test(document.getElementById("status").textContent), null, { timeout: 5000 }).catch(() => {});
  const passedOn = await page.evaluate(() => document.getElementById("status").textContent);
  check(passedOn === "Réponse transmise à Telegram ; si l'application la refuse, cette page le dira.",
        "a reply to a messaging app is said passed on, not sent, before the app has it: " + passedOn);
  await page.waitForFunction(() => !document.getElementById("conv-undelivered").hidden, null, { timeout: 15000 }).catch(() => {});
  const warning = await page.evaluate(() => {
    const w = document.getElementById("conv-undelivered");
    return { hidden: w.hidden, role: w.getAttribute("role"), text: w.textContent };
  });
  check(!warning.hidden && warning.role === "alert" &&
        /^Non remis : Telegram a refusé ces réponses, l'habitant ne les a pas reçues \(\d\d:\d\d : HTTP 403: Forbidden: bot was blocked by the user\)/.test(warning.text),
        "the refused reply is said undelivered, with Telegram's words: " + JSON.stringify(warning));
  check(sent.some((s) => s.url.endsWith("/sendMessage") && s.body.includes("je regarde votre demande")),
        "the reply was offered to Telegram (and refused)");
  check(await page.locator("#conv-contact").isHidden(), "a live chat shows no number to call");

  await ask(server.url, "citizen-callback", "rappelez-moi au 06 12 34 56 78 svp");
  const callback = page.locator("#queue button.take", { hasText: "à rappeler" });
  await callback.waitFor({ timeout: 10000 });
  await callback.click();
  await page.waitForFunction(() => !document.getElementById("conv-contact").hidden, null, { timeout: 10000 }).catch(() => {});
  const contact = await page.evaluate(() => {
    const p = document.getElementById("conv-contact"), a = p.querySelector("a");
    return { hidden: p.hidden, text: p.textContent, href: a && a.getAttribute("href"),
             undelivered: document.getElementById("conv-undelivered").hidden };
  });
  check(!contact.hidden && contact.href === "tel:+33612345678" &&
        /^À rappeler : 06 12 34 56 78\. Envoyer écrit dans la conversation de l'habitant, sans appeler ni envoyer d'e-mail/.test(contact.text) &&
        contact.undelivered,
        "a call-back request shows its number to call, and that Envoyer calls nobody: " + JSON.stringify(contact));
  await axeCheck(page, "a call-back request");
  await server.stop();
  api.close();
});
