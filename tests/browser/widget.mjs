// Our widget in Debian's chromium against the real `guichet serve`: keyboard only (launcher,
// question, an answer's button, Escape), the greeting's notice (an automated assistant, no
// health or bank details, the town's page on personal data), an English page answered in English
// even for a word that tells no language, text shown as text, "share my
// location", the conversation kept across a reload, reconnection after a server restart,
// "Recommencer" forgetting the conversation on the device, no CSP violation, a rate-limited
// message explained and its text given back, 200 % zoom, an answer's language, a history restored
// silently and headed by the greeting, a pressed button shown by its title after a reload, only
// the latest answer's choices pressable, an English answer's hidden words in English, a compact
// panel on a 360×640 phone (and at 360×360, its keyboard open), a modal panel on phones (aria-modal
// following the window), the header and field in sight at 200 % of 1280×720, the greeting read
// once, the citizen's words in their language, no WebSocket (polled, then the socket again), and
// axe-core: no WCAG 2.1 AA violation. Then, on the default commune when it loads, "horaires de la mairie
// samedi" and a place shown once (its map link in its card, the address not repeated, its name
// said at most twice to a screen reader), the
// transcript scrolled to the end of the last answer, an FAQ answer's source a link in its text. Usage: node widget.mjs /path/to/guichet
import path from "node:path";
import { createRequire } from "node:module";
import { check, defaultCommuneLoads, guichetBinary, launch, run, startGuichet } from "./lib.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const bin = guichetBinary();
const secret = { GUICHET_WEB_TOKEN_SECRET: "widget-test-secret" };

async function botReplies(page) {
  return page.locator(".guichet-log .guichet-bot .guichet-text").allTextContents();
}

async function waitForReply(page, count, what) {
  await page.waitForFunction((n) => document.querySelectorAll(".guichet-log .guichet-bot").length >= n, count,
                             { timeout: 15000 }).catch(() => { throw new Error("no reply for " + what); });
  const all = await botReplies(page);
  return all[all.length - 1];
}

// Types `text` in the message field, sends it with Enter, and waits for the `count`th answer.
async function say(page, text, count, what) {
  await page.locator("#guichet-input").fill(text);
  await page.keyboard.press("Enter");
  return waitForReply(page, count, what);
}

async function focusByText(page, text, key) {
  for (let i = 0; i < 15; i++) {
    const t = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
    if (t === text) return true;
    await page.keyboard.press(key);
  }
  return false;
}

// For each answer with choices, whether each of its choices can be pressed (enabled, in the tab
// order): only the latest answer's may be.
async function pressable(page) {
  return page.evaluate(() => [...document.querySelectorAll(".guichet-log .guichet-bot")]
    .filter((m) => m.querySelector(".guichet-choice"))
    .map((m) => [...m.querySelectorAll(".guichet-choice")].map((b) => !b.disabled && b.tabIndex >= 0)));
}

async function history(page, base) {
  return page.evaluate(async (b) => {
    const c = JSON.parse(localStorage.getItem("guichet:" + b));
    const r = await fetch(b + "/api/v1/conversations/" + c.conversation + "/messages",
                          { headers: { Authorization: "Bearer " + c.token } });
    return r.json();
  }, base);
}

run(async () => {
  let server = await startGuichet(bin, { env: secret });
  const base = server.url;
  const context = await launch({ geolocation: { latitude: 47.9029, longitude: 1.9093 }, permissions: ["geolocation"] });
  const page = context.pages()[0] || (await context.newPage());
  const cspErrors = [];
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
  await page.goto(base + "/");
  // The town's page on personal data, as a town sets it on the script tag.
  await page.evaluate(() => document.querySelector('script[src$="widget.js"]').setAttribute("data-privacy", "/donnees-personnelles.html"));
  // What goes into the transcript, a live region, is read out: the greeting was appended, its
  // privacy link added, then moved to the top, and read out two or three times.
  await page.evaluate(() => {
    window.__greetings = 0;
    new MutationObserver((ms) => ms.forEach((m) => m.addedNodes.forEach((n) => {
      if (/assistant automatique|Vos données personnelles/.test(n.textContent)) window.__greetings++;
    }))).observe(document.querySelector(".guichet-log"), { childList: true, subtree: true });
  });

  // Keyboard only: Tab reaches the labelled launcher, Enter opens and focuses the input.
  await page.keyboard.press("Tab");
  const launcher = await page.evaluate(() => ({ text: document.activeElement.textContent,
                                                expanded: document.activeElement.getAttribute("aria-expanded") }));
  check(launcher.text === "Poser une question à la mairie" && launcher.expanded === "false", "Tab reaches the labelled launcher");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === "guichet-input");
  check(true, "Enter opens the panel and focuses the message field");
  check(await page.locator('[role="log"]').count() === 1, "the transcript is a role=log live region");
  const hello = await waitForReply(page, 1, "the greeting");
  check(/assistant automatique/.test(hello) && /santé/.test(hello) && /bancaires/.test(hello),
        "the greeting says an automated assistant answers and asks for no health or bank details: " + hello);
  const privacy = await page.evaluate(() => {
    const a = document.querySelector(".guichet-bot a");
    return a && { text: a.textContent, href: a.href, target: a.target };
  });
  check(privacy && privacy.text.startsWith("Vos données personnelles") && privacy.href === base + "/donnees-personnelles.html" &&
        privacy.target === "_blank", "the greeting links the town's page on personal data: " + JSON.stringify(privacy));
  const greetings = await page.evaluate(() => window.__greetings);
  check(greetings === 1, "the greeting goes into the live region once, whole (read out once): " + greetings + " insertion(s)");

  await page.keyboard.type("horaires de la mairie samedi");
  await page.keyboard.press("Enter");
  const answer = await waitForReply(page, 2, "horaires de la mairie samedi");
  check(/samedi de 9 h à 12 h/.test(answer), "the answer to 'horaires de la mairie samedi' is shown: " + answer);

  // Press an answer's button with the keyboard (Shift+Tab back from the field).
  check(await focusByText(page, "Coordonnées de la mairie", "Shift+Tab"), "the answer's button is reachable with Shift+Tab");
  await page.keyboard.press("Enter");
  const contact = await waitForReply(page, 3, "the button");
  check(/02 38 00 00 00/.test(contact), "pressing the button with Enter gets its answer");

  // User text is rendered as text.
  await say(page, '<img src=x id=pwned onerror="window.pwned=1">', 4, "the HTML-looking text");
  const injected = await page.evaluate(() => !!document.getElementById("pwned") || !!window.pwned);
  const shown = await page.locator(".guichet-user").last().textContent();
  check(!injected && shown.includes("<img src=x"), "text that looks like HTML is shown as text");

  // Share my location sends a location.
  await page.locator(".guichet-locate").click();
  await waitForReply(page, 5, "the location");
  const h = await history(page, base);
  check(h.messages.some((m) => m.from === "user" && m.location && Math.abs(m.location.lat - 47.9029) < 1e-6),
        "'share my location' sends the browser's position");
  // In an English conversation on the French page, a shared position is answered in English
  // (the widget sent the page's language with it, and the places came in French).
  await say(page, "where are the nearest public toilets?", (await page.locator(".guichet-bot").count()) + 1, "an English question");
  const beforeLocated = await page.locator(".guichet-bot").count();
  await page.locator(".guichet-locate").click();
  await waitForReply(page, beforeLocated + 1, "the location in an English conversation");
  const locatedLang = await page.locator(".guichet-log .guichet-bot").last().getAttribute("lang");
  check(locatedLang === "en", "a position shared in an English conversation is answered in English: " + locatedLang);
  // The citizen's words carry their language too (read with the French voice, an English
  // question sounded wrong); "Position partagée", the widget's own words, the page's.
  const userLangs = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll(".guichet-user")].map((b) =>
    [b.lastChild.textContent, b.getAttribute("lang")])));
  check(userLangs["horaires de la mairie samedi"] === "fr" && userLangs["where are the nearest public toilets?"] === "en" &&
        userLangs["Position partagée"] === "fr",
        "the citizen's bubbles carry the conversation's language (lang): " + JSON.stringify(userLangs));
  // A paste past the field's 1,000 characters is said cut (it was sent cut in silence); a
  // message of invisible characters only is not sent (a zero-width space made an empty bubble).
  await page.locator("#guichet-input").fill("x".repeat(5000));
  const cutSaid = await page.locator(".guichet-status").textContent();
  check(/1 000 caractères/.test(cutSaid) && (await page.locator("#guichet-input").inputValue()).length === 1000,
        "a paste cut at 1,000 characters is said so: " + cutSaid);
  const usersBefore = await page.locator(".guichet-user").count();
  await page.locator("#guichet-input").fill("\u200B");
  await page.keyboard.press("Enter");
  await page.waitForTimeout(500);
  check(await page.locator(".guichet-user").count() === usersBefore, "a zero-width space alone is not sent");
  await page.locator("#guichet-input").fill("");

  // On a slow network, a message written before the conversation exists is kept and sent
  // once it does (it was dropped: the first question of a citizen on a slow phone).
  const slowContext = await launch();
  const slow = slowContext.pages()[0] || (await slowContext.newPage());
  await slow.route("**/api/v1/conversations", async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await slow.goto(base + "/");
  await slow.locator(".guichet-launcher").click();
  const early = await say(slow, "horaires de la mairie samedi", 2, "a message written before the conversation existed");
  check(/samedi/i.test(early), "a message written before the conversation exists is answered: " + early);

  // An English page (data-lang="en"): the widget speaks English, and a word too short to tell
  // its language ("funeral" was answered in French) is answered in the page's language.
  const enContext = await launch();
  const en = enContext.pages()[0] || (await enContext.newPage());
  await en.route(base + "/english.html", (route) => route.fulfill({ contentType: "text/html",
    body: '<!doctype html><html lang="en"><head><title>Town hall</title></head><body><main><h1>Town hall</h1></main>' +
          '<script src="/widget.js" defer data-lang="en"></script></body></html>' }));
  await en.goto(base + "/english.html");
  await en.locator(".guichet-launcher").click();
  const enHello = await waitForReply(en, 1, "the English greeting");
  check(/automated assistant/.test(enHello) && await en.locator(".guichet-launcher").textContent() === "Ask the town hall a question",
        "on an English page the widget speaks English: " + enHello);
  const enReply = await say(en, "zorglub", 2, "a word of no language on an English page");
  const enHistory = await history(en, base);
  check(enHistory.messages.filter((m) => m.from === "bot").pop().locale === "en",
        "a word too short to tell its language is answered in the page's language: " + enReply);

  // Behind a proxy that lets no WebSocket through (here the page's WebSocket refuses at once),
  // the widget asks for new messages itself: a reply it did not ask for shows (here from another
  // client of the same conversation; an agent's in console_shown_name.mjs), "Connexion perdue"
  // is not said while the server answers, and once WebSockets pass again the socket is used.
  const noWs = await (await launch()).newPage();
  await noWs.addInitScript(() => {
    const Real = window.WebSocket;
    window.__blocked = true; window.__opened = 0;
    window.WebSocket = function (url) {
      if (window.__blocked) throw new DOMException("blocked by the proxy", "SecurityError");
      const s = new Real(url);
      s.addEventListener("open", () => { window.__opened++; });
      return s;
    };
  });
  await noWs.goto(base + "/");
  await noWs.locator(".guichet-launcher").click();
  await waitForReply(noWs, 1, "the greeting without WebSocket");
  await noWs.waitForTimeout(1500);
  const noWsStatus = await noWs.locator(".guichet-status").textContent();
  await say(noWs, "horaires de la mairie samedi", 2, "a question without WebSocket");
  const noWsConv = await noWs.evaluate((b) => JSON.parse(localStorage.getItem("guichet:" + b)), base);
  const elsewhere = await fetch(base + "/api/v1/messages", { method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer " + noWsConv.token },
    body: JSON.stringify({ conversation: noWsConv.conversation, text: "coordonnées de la mairie" }) });
  const pushed = await waitForReply(noWs, 3, "a reply the page did not ask for, without WebSocket").catch(() => "");
  check(elsewhere.ok && /02 38 00 00 00/.test(pushed) && !/Connexion perdue/.test(noWsStatus),
        "without WebSocket a later reply shows (polled) and no 'Connexion perdue' is said: " + JSON.stringify({ noWsStatus, pushed }));
  const posted = [];
  noWs.on("request", (r) => { if (r.method() === "POST" && r.url().endsWith("/api/v1/messages")) posted.push(r.url()); });
  await noWs.evaluate(() => { window.__blocked = false; });
  await noWs.waitForFunction(() => window.__opened > 0, null, { timeout: 40000 }).catch(() => {});
  await say(noWs, "merci", 4, "a message once WebSockets pass again");
  check(await noWs.evaluate(() => window.__opened) > 0 && posted.length === 0,
        "once WebSockets pass again the widget uses its socket (no POST): " + JSON.stringify(posted));

  // axe-core on the open widget with a conversation in it (a second context that lets
  // the test inject axe under our CSP; the page itself is the same).
  const axeContext = await launch({ bypassCSP: true });
  const axePage = axeContext.pages()[0] || (await axeContext.newPage());
  await axePage.goto(base + "/");
  await axePage.locator(".guichet-launcher").click();
  await say(axePage, "horaires de la mairie samedi", 2, "the axe page");
  await say(axePage, "merci", 3, "the axe page (older choices disabled)");
  await axePage.addScriptTag({ path: axePath });
  // On a computer's screen, then on a phone's (the compact panel).
  for (const size of [null, { width: 360, height: 640 }]) {
    if (size) await axePage.setViewportSize(size);
    const result = await axePage.evaluate(() => window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    const violations = result.violations.map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", "));
    check(violations.length === 0, "axe-core: no WCAG 2.1 AA violation" + (size ? " on a phone" : "") +
          (violations.length ? "\n  " + violations.join("\n  ") : ""));
  }

  // Escape closes and gives the focus back to the launcher.
  await page.locator("#guichet-input").focus();
  await page.keyboard.press("Escape");
  const afterEsc = await page.evaluate(() => ({ hidden: document.getElementById("guichet-panel").hidden,
                                               focus: document.activeElement.className }));
  check(afterEsc.hidden && afterEsc.focus === "guichet-launcher", "Escape closes the panel and focuses the launcher");

  // The conversation survives a reload.
  await page.reload();
  await page.locator(".guichet-launcher").click();
  await page.waitForFunction(() => [...document.querySelectorAll(".guichet-user")].some((e) => e.textContent.includes("horaires de la mairie samedi")),
                             null, { timeout: 10000 });
  check(true, "the conversation is kept across page loads");
  // …headed by the greeting and its notice (it was gone), a pressed button shown as its title
  // (it came back as its payload, "coordonnées de la mairie"), only the latest choices pressable.
  const restored = await page.evaluate(() => ({
    users: [...document.querySelectorAll(".guichet-user")].map((e) => e.textContent) }));
  const firstMsg = await page.evaluate(() => { const m = document.querySelector(".guichet-log .guichet-msg");
                                               return { bot: m.classList.contains("guichet-bot"), text: m.textContent }; });
  check(firstMsg.bot && /assistant automatique/.test(firstMsg.text) && /santé/.test(firstMsg.text) && /bancaires/.test(firstMsg.text),
        "after a reload the greeting and its notice head the restored transcript: " + firstMsg.text.slice(0, 60));
  check(restored.users.includes("Vous : Coordonnées de la mairie") && !restored.users.some((u) => u.includes("coordonnées de la mairie")),
        "after a reload a pressed button shows as its title, not its payload: " + JSON.stringify(restored.users));
  let choices = await pressable(page);
  check(choices.length >= 3 && choices.slice(0, -1).every((g) => g.every((x) => !x)) && choices[choices.length - 1].every((x) => x),
        "after a reload only the latest answer's choices can be pressed: " + JSON.stringify(choices));
  // An answer without choices ("merci"): no older choice stays pressable, now or after a reload;
  // their text stays in the transcript.
  await say(page, "merci", (await page.locator(".guichet-bot").count()) + 1, "merci (an answer without choices)");
  choices = await pressable(page);
  check(choices.length >= 3 && choices.every((g) => g.every((x) => !x)),
        "an answer without choices leaves no older choice pressable: " + JSON.stringify(choices));
  await page.reload();
  await page.locator(".guichet-launcher").click();
  await page.waitForFunction(() => [...document.querySelectorAll(".guichet-user")].some((e) => e.textContent.endsWith("merci")) &&
                             !document.querySelector(".guichet-log").hasAttribute("aria-live"), null, { timeout: 10000 });
  choices = await pressable(page);
  const kept = await page.locator(".guichet-choice").allTextContents();
  check(choices.length >= 3 && choices.every((g) => g.every((x) => !x)) && kept.includes("Coordonnées de la mairie"),
        "…and after a reload, the older choices still readable: " + JSON.stringify(choices));

  // Reconnects by itself after the server restarts (same port, same token secret).
  const port = server.port;
  await server.stop();
  await page.waitForFunction(() => /Connexion perdue/.test(document.querySelector(".guichet-status").textContent), null, { timeout: 10000 });
  server = await startGuichet(bin, { env: secret, port });
  await page.waitForFunction(() => document.querySelector(".guichet-status").textContent === "", null, { timeout: 20000 });
  const before = (await botReplies(page)).length;
  await say(page, "merci", before + 1, "a message after reconnecting");
  check(true, "the widget reconnects by itself and keeps answering");

  // "Recommencer" forgets the conversation on this device (a shared computer): a new one starts,
  // the old messages are gone from the page and do not come back on reload.
  const stored = (b) => { const c = JSON.parse(localStorage.getItem("guichet:" + b) || "null"); return c && c.conversation; };
  const oldConversation = await page.evaluate(stored, base);
  await page.locator(".guichet-restart").click();
  await page.waitForFunction(() => document.querySelectorAll(".guichet-log .guichet-msg").length === 1 &&
                             /Nouvelle discussion/.test(document.querySelector(".guichet-status").textContent), null, { timeout: 10000 });
  const newConversation = await (await page.waitForFunction(
    ([b, old]) => { const c = JSON.parse(localStorage.getItem("guichet:" + b) || "null"); return c && c.conversation !== old && c.conversation; },
    [base, oldConversation], { timeout: 10000 })).jsonValue();
  check(newConversation && newConversation !== oldConversation &&
        await page.evaluate(() => document.activeElement.id === "guichet-input"),
        "'Recommencer' starts a new conversation, shows only the greeting and puts the focus in the field");
  check(await page.evaluate(() => document.querySelector(".guichet-feedback").hidden),
        "'Recommencer' puts away the previous answer's 'Réponse utile ?'");
  await say(page, "merci", 2, "a message in the new conversation");
  await page.reload();
  await page.locator(".guichet-launcher").click();
  await page.waitForFunction(() => [...document.querySelectorAll(".guichet-user")].some((e) => e.textContent.endsWith("merci")), null, { timeout: 10000 });
  const users = await page.locator(".guichet-user").allTextContents();
  check(users.length === 1 && await page.evaluate(stored, base) === newConversation,
        "after a reload only the new conversation is shown: " + JSON.stringify(users));
  check(cspErrors.length === 0, "no Content-Security-Policy violation" + (cspErrors.length ? ": " + cspErrors[0] : ""));
  await server.stop();

  // A conversation older than its token (2 s here, an hour by default: a citizen waiting for an
  // agent) goes on after the connection drops: the expired token is renewed, not replaced by a
  // new conversation (whose agent's replies went nowhere).
  const shortLived = { ...secret, GUICHET_WEB_TOKEN_LIFETIME_S: "2" };
  let expiring = await startGuichet(bin, { env: shortLived });
  const ep = await context.newPage();
  await ep.goto(expiring.url + "/");
  await ep.locator(".guichet-launcher").click();
  await waitForReply(ep, 1, "the greeting (short-lived tokens)");
  await say(ep, "bonjour", 2, "a first message (short-lived tokens)");
  const first = await ep.evaluate(stored, expiring.url);
  await ep.waitForTimeout(3000);  // the token has expired
  const expiringPort = expiring.port;
  await expiring.stop();
  await ep.waitForFunction(() => /Connexion perdue/.test(document.querySelector(".guichet-status").textContent), null, { timeout: 10000 });
  expiring = await startGuichet(bin, { env: shortLived, port: expiringPort });
  await ep.waitForFunction(() => document.querySelector(".guichet-status").textContent === "", null, { timeout: 30000 });
  await say(ep, "merci", 3, "a message after the token expired and the connection dropped");
  check(first && await ep.evaluate(stored, expiring.url) === first && (await ep.locator(".guichet-user").count()) === 2,
        "a conversation older than its token goes on after a dropped connection (the same conversation)");
  await expiring.stop();

  // A message refused by the rate limit (two POSTs a minute: starting the conversation and the
  // first message) says how long to wait, in the page's language, and gives the typed text back.
  const limited = await startGuichet(bin, { env: { ...secret, GUICHET_LIMITS_RATE_PER_MINUTE: "2" } });
  const lp = await context.newPage();
  await lp.goto(limited.url + "/");
  await lp.locator(".guichet-launcher").click();
  await waitForReply(lp, 1, "the greeting (rate-limited server)");
  await say(lp, "bonjour", 2, "the first message (rate-limited server)");
  await lp.locator("#guichet-input").fill("horaires de la mairie samedi");
  await lp.keyboard.press("Enter");
  await lp.waitForFunction(() => /Trop de messages/.test(document.querySelector(".guichet-status").textContent), null,
                           { timeout: 10000 }).catch(() => {});
  const refused = await lp.evaluate(() => ({ status: document.querySelector(".guichet-status").textContent,
                                             input: document.getElementById("guichet-input").value,
                                             bubbles: [...document.querySelectorAll(".guichet-user")].map(
                                               (b) => ({ text: b.textContent, notSent: b.classList.contains("guichet-not-sent") })) }));
  check(/^Trop de messages d'affilée\. Réessayez dans \d+ s\. Votre texte est remis/.test(refused.status) &&
        refused.input === "horaires de la mairie samedi",
        "a rate-limited message says how long to wait and its text is given back: " + JSON.stringify(refused));
  // Its bubble says it did not leave (it looked sent); the ones that left do not.
  const refusedBubble = refused.bubbles[refused.bubbles.length - 1];
  check(refusedBubble && refusedBubble.notSent && /Non envoyé$/.test(refusedBubble.text) &&
        refused.bubbles.slice(0, -1).every((b) => !b.notSent && !/Non envoyé/.test(b.text)),
        "only the refused message's bubble is marked 'Non envoyé': " + JSON.stringify(refused.bubbles));
  await limited.stop();

  // Low vision and phones: at 200 % zoom (a 1280×800 screen: 640×400) the transcript keeps room
  // to read (it was a 24 px strip); an English answer on a French page carries lang="en"; the
  // history restored after a reload is added while the log is silent (it was all read out
  // again); on a phone the open panel is modal (the covered launcher out of the tab order, Tab
  // kept inside).
  const a11y = await startGuichet(bin, { env: secret });
  const zoomed = await (await launch({ viewport: { width: 640, height: 400 } })).newPage();
  await zoomed.goto(a11y.url + "/");
  await zoomed.locator(".guichet-launcher").click();
  await waitForReply(zoomed, 1, "the greeting at 200 %");
  await say(zoomed, "What are the opening hours of the town hall?", 2, "an English question on a French page");
  const looks = await zoomed.evaluate(() => ({
    log: document.querySelector(".guichet-log").getBoundingClientRect().height,
    lang: [...document.querySelectorAll(".guichet-bot")].pop().getAttribute("lang") }));
  check(looks.log >= 150 && looks.lang === "en",
        "at 200 % the transcript keeps room, and an English answer is marked lang=en: " + JSON.stringify(looks));
  // The words said only to screen readers inside it are English too (they were read in French
  // with the English voice).
  const said = await zoomed.evaluate(() => [...[...document.querySelectorAll(".guichet-bot")].pop()
    .querySelectorAll(".guichet-sr")].map((e) => e.textContent.trim()));
  check(said.includes("Town hall:") && said.includes("Choices:") && !said.some((t) => /mairie|Choix|fenêtre|carte/.test(t)),
        "an English answer's hidden words for screen readers are English: " + JSON.stringify(said));
  // At 200 % of a 1280×720 screen (640×360) the header and the field stay in sight and usable,
  // the transcript scrolls, not the panel (WCAG 1.4.10: the side panel, 264 px high, scrolled
  // its header away and cut its field).
  await zoomed.setViewportSize({ width: 640, height: 360 });
  await zoomed.mouse.move(320, 150);
  for (let i = 0; i < 3; i++) await zoomed.mouse.wheel(0, 1500);
  const reflow = await zoomed.evaluate(() => {
    const p = document.getElementById("guichet-panel"), log = document.querySelector(".guichet-log");
    const header = document.querySelector(".guichet-header").getBoundingClientRect();
    const input = document.getElementById("guichet-input").getBoundingClientRect();
    const hit = document.elementFromPoint(input.left + input.width / 2, input.top + input.height / 2);
    return { over: p.scrollHeight - p.clientHeight, top: p.scrollTop, header: [Math.round(header.top), Math.round(header.bottom)],
             input: [Math.round(input.top), Math.round(input.bottom)], inputHit: hit && hit.id, height: innerHeight,
             log: Math.round(log.getBoundingClientRect().height), logScrolls: log.scrollHeight > log.clientHeight && log.scrollTop > 0 };
  });
  check(reflow.over <= 1 && reflow.top === 0 && reflow.header[0] >= 0 && reflow.input[1] <= reflow.height &&
        reflow.inputHit === "guichet-input" && reflow.log >= 120 && reflow.logScrolls,
        "at 200 % of a 1280×720 screen the header and the field stay in sight, the transcript scrolls: " + JSON.stringify(reflow));
  await zoomed.locator("#guichet-input").fill("merci");
  await zoomed.keyboard.press("Enter");
  await waitForReply(zoomed, 3, "a message typed at 640×360");
  check(true, "at 640×360 the field can be typed into and sent");
  await zoomed.reload();
  await zoomed.evaluate(() => {
    window.__adds = [];
    new MutationObserver((ms) => ms.forEach((m) => m.addedNodes.forEach(() =>
      window.__adds.push(m.target.closest(".guichet-log").getAttribute("aria-live")))))
      .observe(document.querySelector(".guichet-log"), { childList: true });
  });
  await zoomed.locator(".guichet-launcher").click();
  await zoomed.waitForFunction(() => document.querySelectorAll(".guichet-log .guichet-msg").length >= 2, null, { timeout: 10000 });
  await zoomed.waitForFunction(() => !document.querySelector(".guichet-log").hasAttribute("aria-live"), null, { timeout: 10000 });
  const adds = await zoomed.evaluate(() => window.__adds);
  check(adds.length >= 2 && adds.every((a) => a === "off"),
        "the history restored after a reload is added while the log is silent: " + JSON.stringify(adds));
  const phone = await (await launch({ viewport: { width: 360, height: 640 }, hasTouch: true })).newPage();
  await phone.goto(a11y.url + "/");
  await phone.locator(".guichet-launcher").click();
  await waitForReply(phone, 1, "the greeting on a phone");
  // On a 360×640 phone the transcript gets most of the height (it got 350 px: the vote, the
  // label, the field and "Partager ma position" stacked under it), the field keeps its name, the
  // pin its name, every button 44 px; with the keyboard open (360×360) the field and the end of
  // the last answer stay in sight.
  await say(phone, "horaires de la mairie samedi", 2, "a question on a phone");
  const fit = (p) => p.evaluate(() => {
    const box = (e) => e.getBoundingClientRect();
    const log = box(document.querySelector(".guichet-log"));
    const last = box([...document.querySelectorAll(".guichet-bot")].pop());
    const input = box(document.getElementById("guichet-input"));
    const small = [...document.querySelectorAll("#guichet-panel button")].filter((b) => b.offsetParent)
      .filter((b) => box(b).height < 44 || box(b).width < 44).map((b) => b.textContent);
    return { log: Math.round(log.height), lastEnd: Math.round(last.bottom - log.bottom), lastShown: Math.round(Math.min(last.bottom, log.bottom) - Math.max(last.top, log.top)),
             input: Math.round(input.bottom), height: innerHeight, small };
  });
  // A choice tapped on a phone does not put the focus in the field (the keyboard opened at
  // every tap, and the answer shrank to a strip).
  const beforeTap = await phone.locator(".guichet-bot").count();
  await phone.locator(".guichet-choice:not([disabled])").first().tap();
  await waitForReply(phone, beforeTap + 1, "a tapped choice");
  const tapFocus = await phone.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.className));
  check(tapFocus !== "guichet-input", "a tapped choice leaves the keyboard closed (focus: " + tapFocus + ")");
  const tall = await fit(phone);
  const named = await phone.getByRole("textbox", { name: "Votre message" }).count() +
                await phone.getByRole("button", { name: "Partager ma position", exact: true }).count();
  check(tall.log >= 0.65 * tall.height && tall.small.length === 0 && named === 2,
        "on a 360×640 phone the transcript gets most of the height, named controls of 44 px: " + JSON.stringify({ ...tall, named }));
  await phone.locator("#guichet-input").focus();
  await phone.setViewportSize({ width: 360, height: 360 });
  await phone.waitForFunction(() => { const l = document.querySelector(".guichet-log"); return l.scrollHeight - l.scrollTop - l.clientHeight < 2; },
                              null, { timeout: 5000 }).catch(() => {});
  const open = await fit(phone);
  check(open.log >= 150 && open.input <= open.height && open.lastEnd <= 0 && open.lastShown >= 100,
        "with the keyboard open (360×360) the field and the end of the last answer stay in sight: " + JSON.stringify(open));
  await phone.setViewportSize({ width: 360, height: 640 });
  const outside = [];
  for (let i = 0; i < 25; i++) {
    await phone.keyboard.press(i % 2 ? "Tab" : "Shift+Tab");
    if (i % 5 === 0) for (let k = 0; k < 4; k++) await phone.keyboard.press("Tab");
    const inside = await phone.evaluate(() => !!document.activeElement.closest("#guichet-panel"));
    if (!inside) outside.push(await phone.evaluate(() => document.activeElement.outerHTML.slice(0, 80)));
  }
  const modal = await phone.evaluate(() => ({ modal: document.getElementById("guichet-panel").getAttribute("aria-modal"),
                                              launcher: document.querySelector(".guichet-launcher").offsetParent === null }));
  check(outside.length === 0 && modal.modal === "true" && modal.launcher,
        "on a phone the open panel is modal and Tab stays inside it: " + JSON.stringify({ modal, outside }));
  // A window that changes (a tablet turned, a browser window made wider) changes it: a panel
  // beside the page is no modal dialog, and one covering it is.
  const modalAt = async (size) => {
    await phone.setViewportSize(size);
    await phone.waitForTimeout(200);
    return phone.evaluate(() => document.getElementById("guichet-panel").getAttribute("aria-modal"));
  };
  const modality = [await modalAt({ width: 1024, height: 768 }), await modalAt({ width: 360, height: 640 })];
  check(modality[0] === "false" && modality[1] === "true",
        "aria-modal follows the window: beside the page at 1024×768, covering it at 360×640: " + JSON.stringify(modality));
  // The panel itself never scrolls: its title and field stay in place however far the
  // transcript is scrolled (the hidden helper texts, placed by the panel, made it 2,000 px tall
  // and a wheel over the transcript scrolled it away, leaving a blank box).
  await say(phone, "où est la médiathèque ?", (await phone.locator(".guichet-bot").count()) + 1, "a place on a phone");
  await say(phone, "horaires de la piscine", (await phone.locator(".guichet-bot").count()) + 1, "hours on a phone");
  await phone.mouse.move(180, 300);
  for (let i = 0; i < 5; i++) await phone.mouse.wheel(0, 1500);
  const still = await phone.evaluate(() => {
    const p = document.getElementById("guichet-panel");
    return { over: p.scrollHeight - p.clientHeight, top: p.scrollTop,
             title: Math.round(document.getElementById("guichet-title").getBoundingClientRect().top),
             input: Math.round(document.getElementById("guichet-input").getBoundingClientRect().bottom), height: innerHeight };
  });
  check(still.over <= 1 && still.top === 0 && still.title >= 0 && still.input <= still.height,
        "the panel does not scroll away from its title and field: " + JSON.stringify(still));
  await a11y.stop();

  // The default commune, when its plugins are all there.
  if (!defaultCommuneLoads(bin)) {
    console.log("skip - the default commune does not load yet (`guichet check` fails): asked on the test site only");
    return;
  }
  const town = await startGuichet(bin, { site: null });
  const p2 = await context.newPage();
  await p2.goto(town.url + "/");
  await p2.locator(".guichet-launcher").click();
  await waitForReply(p2, 1, "the greeting (default commune)");
  const townAnswer = await say(p2, "horaires de la mairie samedi", 2, "horaires de la mairie samedi (default commune)");
  const th = await history(p2, town.url);
  const last = th.messages.filter((m) => m.from === "bot").pop();
  check(last.intent && last.intent.name === "hours.open", "default commune: 'horaires de la mairie samedi' is answered by hours.open: " + townAnswer);

  // A week of opening hours is a list (it was one paragraph of "•" lines to a screen reader).
  await p2.locator("#guichet-input").fill("horaires de la mairie");
  await p2.keyboard.press("Enter");
  await p2.waitForFunction(() => document.querySelectorAll(".guichet-bot ul.guichet-list > li").length >= 7, null,
                           { timeout: 15000 }).catch(() => {});
  const week = await p2.evaluate(() => [...document.querySelectorAll(".guichet-bot ul.guichet-list > li")].map((li) => li.textContent));
  check(week.length === 7 && /^lundi|^mardi|^mercredi|^jeudi|^vendredi|^samedi|^dimanche/.test(week[0]),
        "a week of opening hours is shown as a list of days: " + JSON.stringify(week.slice(0, 2)));
  // Only the latest answer's choices are in the tab order (older ones stay clickable).
  for (const [i, hello] of ["bonjour", "bonjour !"].entries()) {
    await say(p2, hello, (await p2.locator(".guichet-bot").count()) + 1, "a greeting with its menu " + i);
  }
  const menus = await pressable(p2);
  check(menus.length >= 2 && menus.slice(0, -1).every((g) => g.every((x) => !x)) && menus[menus.length - 1].every((x) => x),
        "older answers' choices can no longer be pressed, the latest's can: " + JSON.stringify(menus));

  // A place is shown once: the map link inside its card, no second link to the same map, the
  // address the text gives not repeated; the transcript is scrolled to the end of the answer.
  await p2.locator("#guichet-input").fill("où est la piscine ?");
  await p2.keyboard.press("Enter");
  await p2.waitForFunction(() => document.querySelector(".guichet-bot .guichet-card .guichet-map"), null, { timeout: 15000 });
  // "Réponse utile ?" asks about the latest answer from under the transcript, a labelled group
  // outside the live region (buttons inside it were read out after every answer).
  const ask = await p2.evaluate(() => {
    const f = document.querySelector(".guichet-feedback");
    return { shown: !f.hidden && f.offsetHeight > 0, inLog: !!f.closest("[role=log]") || !!document.querySelector("[role=log] .guichet-vote"),
             label: document.getElementById(f.getAttribute("aria-labelledby")).textContent,
             votes: [...f.querySelectorAll("button")].map((b) => b.textContent + ":" + b.getAttribute("aria-pressed")) };
  });
  check(ask.shown && !ask.inLog && ask.label === "Réponse utile ?" && ask.votes.join() === "Oui:false,Non:false",
        "'Réponse utile ? Oui / Non' is a labelled group under the transcript, outside the live region: " + JSON.stringify(ask));
  const place = await p2.evaluate(() => {
    const log = document.querySelector(".guichet-log");
    const cards = [...document.querySelectorAll(".guichet-card")];
    return {
      overflow: log.scrollHeight > log.clientHeight + 50,
      hidden: log.scrollHeight - log.scrollTop - log.clientHeight,
      loose: document.querySelectorAll(".guichet-map").length - document.querySelectorAll(".guichet-card .guichet-map").length,
      maps: cards.map((c) => [...c.querySelectorAll("a")].filter((a) => a.hostname.endsWith("openstreetmap.org")).length),
      repeated: cards.filter((c) => [...c.querySelectorAll("p:not(.guichet-card-title)")].some((p) =>
        c.closest(".guichet-bot").querySelector(".guichet-text").textContent.includes(p.textContent))).length,
    };
  });
  check(place.loose === 0 && place.maps.length > 0 && place.maps.every((n) => n === 1) && place.repeated === 0,
        "a place's card holds its one map link and does not repeat the text's address: " + JSON.stringify(place));
  check(place.overflow && place.hidden <= 1, "the transcript is scrolled to the end of the last answer: " + JSON.stringify(place));
  // A screen reader says the place's name at most twice (the text, the card's title and "Voir
  // sur la carte : …" said it three times), and the map link keeps it in its name.
  const spoken = await p2.evaluate(() => {
    const card = [...document.querySelectorAll(".guichet-bot .guichet-card")].pop();
    const title = card.querySelector(".guichet-card-title").textContent;
    const copy = card.closest(".guichet-bot").cloneNode(true);
    copy.querySelectorAll("[aria-hidden=true]").forEach((e) => e.remove());
    return { title, times: copy.textContent.split(title).length - 1 };
  });
  const mapLinks = await p2.getByRole("link", { name: "Voir sur la carte : " + spoken.title + " (nouvelle fenêtre)", exact: true }).count();
  check(spoken.times >= 1 && spoken.times <= 2 && mapLinks >= 1,
        "a place's name is said at most twice, the map link still names it: " + JSON.stringify({ ...spoken, mapLinks }));

  // An FAQ answer's source is a link in its text, named by its site, and no card repeats it
  // (the address was written out in the text, then again as a card below).
  const answered = await p2.locator(".guichet-bot").count();
  await say(p2, "Comment faire un passeport ?", answered + 1, "the passport's FAQ answer");
  const source = await p2.evaluate(() => {
    const m = [...document.querySelectorAll(".guichet-log .guichet-bot")].pop();
    const a = m.querySelector(".guichet-text a");
    return { text: m.querySelector(".guichet-text").textContent, href: a && a.href, cards: m.querySelectorAll(".guichet-card").length };
  });
  const sourceLinks = await p2.getByRole("link", { name: "service-public.fr (nouvelle fenêtre)", exact: true }).count();
  check(source.href === "https://www.service-public.fr/particuliers/vosdroits/N360" && source.cards === 0 &&
        source.text.includes("Source : service-public.fr") && !source.text.includes("https://") && sourceLinks === 1,
        "an FAQ answer's source is one link in its text, named by its site, with no card repeating it: " +
        JSON.stringify({ ...source, sourceLinks }));
});
