// The name an agent shows citizens, in Debian's chromium against the real `guichet serve`: the
// agent types it in the console's inbox with the keyboard (told in words, kept after a
// reload, axe-core finds no WCAG 2.1 AA violation on the form); a citizen on the widget reads
// "Claire, agent de la mairie" above her reply, and one writing in English "Claire, town hall
// staff", and one whose WebSockets a proxy blocks too; with the name cleared, "Agent de la
// mairie". The name is inserted as text.
// Usage: node console_shown_name.mjs BIN
import { check, guichetBinary, launch, run, startGuichet } from "./lib.mjs";
import { axeCheck, commune, login } from "./commune.mjs";

const bin = guichetBinary();
const pw = "le mot de passe de l'agent";
const { site, env, staff } = commune(bin);

// The citizen's widget, open, after asking for a person; resolves when the bot has answered.
async function citizen(page, url, text) {
  await page.goto(url);
  await page.locator(".guichet-launcher").click();
  await page.locator("#guichet-input").fill(text);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll(".guichet-log .guichet-bot").length >= 2, null, { timeout: 15000 });
}
// The label above the latest agent's reply in the widget, once there are `n` of them.
async function agentLabel(page, n) {
  await page.waitForFunction((k) => document.querySelectorAll(".guichet-log .guichet-agent").length >= k, n, { timeout: 15000 });
  return page.evaluate(() => {
    const all = document.querySelectorAll(".guichet-log .guichet-agent");
    const m = all[all.length - 1];
    return { from: m.querySelector(".guichet-from").textContent, html: m.querySelector(".guichet-from").innerHTML,
             lang: m.getAttribute("lang") };
  });
}
// Takes the newest request in the console's queue and sends `text`.
async function answer(page, text) {
  const take = page.locator("#queue button.take").last();
  await take.waitFor({ timeout: 10000 });
  await take.click();
  await page.locator("#conversation").waitFor({ state: "visible" });
  await page.locator("#reply").fill(text);
  await page.locator("#reply-form button[type=submit]").click();
  await page.waitForFunction((t) => document.getElementById("transcript").textContent.includes(t), text, { timeout: 10000 });
  await page.locator("#done").click();
  await page.waitForFunction(() => document.getElementById("conversation").hidden, null, { timeout: 10000 });
}

run(async () => {
  check(staff(["add", "claire", "--role", "agent"], { env: { GUICHET_STAFF_PASSWORD: pw } }).status === 0, "agent claire added");
  const server = await startGuichet(bin, { site, env });
  const base = server.url;

  // The agent types her name with the keyboard: Tab to the field, Enter to save.
  const console_ = await (await launch({ locale: "fr-FR", bypassCSP: true })).newPage();
  await login(console_, base, "claire", pw);
  await console_.locator("#shown-as").waitFor({ state: "visible", timeout: 10000 });
  const label = await console_.evaluate(() => document.querySelector("label[for=shown-as]").textContent);
  check(/nom montré aux habitants/.test(label), "the field is labelled: " + label);
  await console_.locator("#shown-as").focus();
  await console_.keyboard.type("<b>Claire</b>");
  await console_.keyboard.press("Enter");
  await console_.waitForFunction(() => /lisent désormais/.test(document.getElementById("status").textContent), null, { timeout: 5000 });
  check(/«\u00a0<b>Claire<\/b>\u00a0» au-dessus de vos réponses/.test(await console_.locator("#status").textContent()),
        "saving is told in words: " + await console_.locator("#status").textContent());
  await axeCheck(console_, "the inbox with the shown-name form");
  // Her real name now (the first was to check that markup stays text).
  const fr = await (await launch({ locale: "fr-FR" })).newPage();
  await citizen(fr, base + "/", "je veux parler à un agent");
  await answer(console_, "Bonjour, <i>je regarde</i>.");
  const marked = await agentLabel(fr, 1);
  check(marked.from === "<b>Claire</b>, agent de la mairie" && !marked.html.includes("<b>"),
        "the name is shown as text, never as HTML: " + JSON.stringify(marked));

  await console_.locator("#shown-as").fill("Claire");
  await console_.keyboard.press("Enter");
  await console_.waitForFunction(() => /«\u00a0Claire\u00a0»/.test(document.getElementById("status").textContent), null, { timeout: 5000 });
  await console_.reload();
  await console_.locator("#shown-as").waitFor({ state: "visible", timeout: 10000 });
  check(await console_.locator("#shown-as").inputValue() === "Claire", "the name is kept after a reload");

  // A French citizen reads her name above her reply.
  const fr2 = await (await launch({ locale: "fr-FR" })).newPage();
  await citizen(fr2, base + "/", "je veux parler à quelqu'un");
  await answer(console_, "Bonjour, je regarde votre demande.");
  const named = await agentLabel(fr2, 1);
  check(named.from === "Claire, agent de la mairie", "the citizen reads who answers: " + JSON.stringify(named));

  // A citizen writing in English on the town's French page: in English, said in English.
  const en = await (await launch({ locale: "en-GB" })).newPage();
  await citizen(en, base + "/", "I would like to talk to a person");
  await answer(console_, "Hello, I am looking into it.");
  const enNamed = await agentLabel(en, 1);
  check(enNamed.from === "Claire, town hall staff" && enNamed.lang === "en", "in English: " + JSON.stringify(enNamed));

  // Behind a proxy that lets no WebSocket through (each handshake fails), the agent's reply
  // still reaches the citizen: the widget asks for new messages itself (it waited for the
  // socket, said "Connexion perdue" and never showed the reply).
  const blocked = await (await launch({ locale: "fr-FR" })).newPage();
  await blocked.addInitScript(() => {
    window.WebSocket = function () {
      const fake = { readyState: 0, send() {}, close() {} };
      setTimeout(() => { fake.readyState = 3; if (fake.onerror) fake.onerror({}); if (fake.onclose) fake.onclose({ code: 1006 }); }, 50);
      return fake;
    };
  });
  await citizen(blocked, base + "/", "je veux parler à un agent");
  await answer(console_, "Bonjour, je vous lis sans WebSocket.");
  const polled = await agentLabel(blocked, 1).catch(() => null);
  const polledStatus = await blocked.locator(".guichet-status").textContent();
  check(polled && polled.from === "Claire, agent de la mairie" && !/Connexion perdue/.test(polledStatus),
        "without WebSocket the agent's reply reaches the citizen, and no lost connection is said: " + JSON.stringify({ polled, polledStatus }));

  // No name: "Agent de la mairie".
  await console_.locator("#shown-as").fill("");
  await console_.keyboard.press("Enter");
  await console_.waitForFunction(() => /Agent de la mairie/.test(document.getElementById("status").textContent), null, { timeout: 5000 });
  const fr3 = await (await launch({ locale: "fr-FR" })).newPage();
  await citizen(fr3, base + "/", "je veux parler à un agent");
  await answer(console_, "Bonjour.");
  const anonymous = await agentLabel(fr3, 1);
  check(anonymous.from === "Agent de la mairie", "with no name chosen: " + JSON.stringify(anonymous));
});
