// An agent coming back to her conversations, in Debian's chromium against the real `guichet
// serve`: signing in in a new tab (nothing read there yet), a conversation whose citizen wrote
// after her last reply is marked "nouveau message" and counted in the window's title (what
// was there at sign-in counted as read); a colleague taking over or ending the conversation
// she has open is said on her status line, in French and in English (the reply form just
// went), and stays there when her own reply's "Réponse envoyée." comes back just after; the
// citizen writing in the widget to the agent who holds the conversation is not told
// "La mairie écrit…" for ever (the bot says nothing; the history kept an empty answer), over the
// WebSocket or without one. Usage: node console_agent_away.mjs BIN
import { check, guichetBinary, launch, run, startGuichet } from "./lib.mjs";
import { ask, commune, login } from "./commune.mjs";

const bin = guichetBinary();
const pw = "le mot de passe de Marie";
const { site, env, staff } = commune(bin);

run(async () => {
  for (const name of ["marie", "claire"])
    check(staff(["add", name, "--role", "agent"], { env: { GUICHET_STAFF_PASSWORD: pw } }).status === 0, "agent " + name + " added");
  const server = await startGuichet(bin, { site, env });
  const base = server.url;

  // Marie takes a request and answers; the citizen writes back while she is elsewhere.
  const first = await (await launch({ locale: "fr-FR" })).newPage();
  await login(first, base, "marie", pw);
  const asked = await ask(base, "citizen-away", "je veux parler à un agent");
  const take = first.locator("#queue button.take").first();
  await take.waitFor({ timeout: 10000 });
  const ticket = await take.getAttribute("data-ticket");
  await take.click();
  await first.locator("#reply").fill("Bonjour, ici Marie. Quelle est votre question ?");
  await first.locator("#reply-form button[type=submit]").click();
  await first.waitForFunction(() => document.querySelectorAll("#transcript li").length >= 2, null, { timeout: 10000 });
  await ask(base, "citizen-away", "merci, voici ma question", asked.token);

  // A new tab, signed in again: the citizen's unanswered message is news there.
  const fresh = await (await launch({ locale: "fr-FR" })).newPage();
  await login(fresh, base, "marie", pw);
  await fresh.goto(base + "/admin#inbox");
  const mark = fresh.locator("#queue button.take[data-ticket='" + ticket + "'] .unread");
  await mark.waitFor({ timeout: 10000 }).catch(() => {});
  const seen = await fresh.evaluate((t) => ({
    words: (document.querySelector("#queue button.take[data-ticket='" + t + "'] .unread") || {}).textContent || "",
    title: document.title,
  }), ticket);
  check(/nouveau message/.test(seen.words) && /^\(1\) /.test(seen.title),
        "at sign-in, the citizen's message after the agent's last reply is unread, and counted in the title: " + JSON.stringify(seen));

  // Claire, a colleague, signed in through the API (her own session and CSRF token).
  const signIn = await fetch(base + "/admin/api/login", { method: "POST", headers: { "Content-Type": "application/json" },
                                                            body: JSON.stringify({ name: "claire", password: pw }) });
  const claire = { cookie: signIn.headers.get("set-cookie").split(";")[0], csrf: (await signIn.json()).csrf };
  const act = (t, what, body) => fetch(base + "/admin/api/inbox/handoffs/" + t + "/" + what, {
    method: "POST", headers: { "Content-Type": "application/json", Cookie: claire.cookie, "X-CSRF-Token": claire.csrf },
    body: JSON.stringify(body) });
  const statusSays = (page, re, what) => page.waitForFunction((src) => new RegExp(src).test(document.getElementById("status").textContent),
                                                             re.source, { timeout: 10000 })
    .then(() => true, () => false).then(async (ok) => check(ok, what + ": " + await page.locator("#status").textContent()));

  // Marie has the conversation open (in her first tab); Claire takes it over, then ends it.
  await first.bringToFront();
  await first.locator("#queue button.take[data-ticket='" + ticket + "']").click();
  await first.waitForFunction((t) => document.getElementById("conv-ticket").textContent === t, ticket, { timeout: 10000 });
  check((await act(ticket, "reply", { text: "Claire ici, je reprends.", take_over: true })).status === 200, "Claire takes it over");
  await statusSays(first, /claire a repris cette conversation/, "Marie's console says a colleague took it over");
  check(await first.locator("#status").getAttribute("role") === "status", "on a role=status line");

  // Another one, in English, held by Marie and ended by Claire.
  const en = await (await launch({ locale: "en-GB" })).newPage();
  await login(en, base, "marie", pw);
  await en.goto(base + "/admin?lang=en#inbox");
  const other = await ask(base, "citizen-ended", "je veux parler à un agent");
  const known = [ticket];
  await en.waitForFunction((k) => [...document.querySelectorAll("#queue button.take")].some((b) => !k.includes(b.getAttribute("data-ticket"))),
                           known, { timeout: 10000 });
  const t2 = await en.evaluate((k) => [...document.querySelectorAll("#queue button.take")].map((b) => b.getAttribute("data-ticket")).find((t) => !k.includes(t)), known);
  await en.locator("#queue button.take[data-ticket='" + t2 + "']").click();
  await en.locator("#reply").fill("Hello");
  await en.locator("#reply-form button[type=submit]").click();
  await en.waitForFunction(() => document.querySelectorAll("#transcript li").length >= 2, null, { timeout: 10000 });
  // (Her reply answered first: its "Reply sent." would otherwise come after the notice.)
  await en.waitForFunction(() => /Reply sent/.test(document.getElementById("status").textContent), null, { timeout: 10000 });
  check(other.token && (await act(t2, "done", { take_over: true })).status === 200, "Claire ends it");
  await statusSays(en, /claire ended this conversation/, "Marie's English console says a colleague ended it");

  // Claire ends the conversation just as Marie's reply comes back: the routine "Réponse
  // envoyée." does not hide the notice (it replaced it, and Marie never learnt it had ended).
  // Her reply reaches the server, its answer is held in the browser until her console, polling,
  // has said that Claire ended it; then it arrives.
  await first.bringToFront();
  const seenFirst = await first.evaluate(() => [...document.querySelectorAll("#queue button.take")].map((b) => b.getAttribute("data-ticket")));
  await ask(base, "citizen-race", "je veux parler à un agent");
  await first.waitForFunction((k) => [...document.querySelectorAll("#queue button.take")].some((b) => !k.includes(b.getAttribute("data-ticket"))),
                              seenFirst, { timeout: 15000 });
  const t3 = await first.evaluate((k) => [...document.querySelectorAll("#queue button.take")].map((b) => b.getAttribute("data-ticket")).find((t) => !k.includes(t)), seenFirst);
  await first.locator("#queue button.take[data-ticket='" + t3 + "']").click();
  await first.waitForFunction((t) => document.getElementById("conv-ticket").textContent === t, t3, { timeout: 10000 });
  await first.locator("#reply").fill("Bonjour, ici Marie.");  // hers from now on
  await first.locator("#reply-form button[type=submit]").click();
  await first.waitForFunction(() => document.querySelectorAll("#transcript li").length >= 2 &&
                                    /Réponse envoyée/.test(document.getElementById("status").textContent), null, { timeout: 10000 });
  let posted, answer;
  const replyPosted = new Promise((r) => { posted = r; });
  const answerNow = new Promise((r) => { answer = r; });
  const replyPath = "**/admin/api/inbox/handoffs/" + t3 + "/reply";
  await first.route(replyPath, async (route) => {
    const response = await route.fetch();
    posted();
    await answerNow;
    await route.fulfill({ response });
  });
  await first.locator("#reply").fill("Je regarde votre dossier.");
  await first.locator("#reply-form button[type=submit]").click();
  await replyPosted;
  check((await act(t3, "done", { take_over: true })).status === 200, "Claire ends it while Marie's reply is on its way back");
  await statusSays(first, /claire a terminé cette conversation/, "Marie's console says a colleague ended it (her reply not back yet)");
  answer();
  const back = await first.waitForFunction(() => /Réponse envoyée/.test(document.getElementById("status").textContent), null, { timeout: 15000 })
    .then(() => true, () => false);
  const line = await first.locator("#status").textContent();
  check(back && /^claire a terminé cette conversation \(.+\)\. Réponse envoyée\.$/.test(line),
        "the notice that Claire ended it stays, before the reply's confirmation: " + line);
  await first.unroute(replyPath);

  // Citizens in the widget (one without WebSocket: a proxy refuses it) write to Marie, who holds
  // their conversation: the widget stops saying the town hall is writing.
  const answerIn = async (page, known) => {
    await first.bringToFront();
    await first.waitForFunction((k) => [...document.querySelectorAll("#queue button.take")].some((b) => !k.includes(b.getAttribute("data-ticket"))),
                                known, { timeout: 10000 });
    const t = await first.evaluate((k) => [...document.querySelectorAll("#queue button.take")].map((b) => b.getAttribute("data-ticket"))
                                          .find((x) => !k.includes(x)), known);
    await first.locator("#queue button.take[data-ticket='" + t + "']").click();
    await first.waitForFunction((k) => document.getElementById("conv-ticket").textContent === k, t, { timeout: 10000 });
    await first.locator("#reply").fill("Bonjour, je vous écoute.");
    await first.locator("#reply-form button[type=submit]").click();
    await page.waitForFunction(() => document.querySelectorAll(".guichet-log .guichet-agent").length >= 1, null, { timeout: 15000 });
  };
  for (const socket of [true, false]) {
    const w = await (await launch({ locale: "fr-FR" })).newPage();
    if (!socket) await w.addInitScript(() => {
      window.WebSocket = function () {
        const fake = { readyState: 0, send() {}, close() {} };
        setTimeout(() => { fake.readyState = 3; if (fake.onclose) fake.onclose({ code: 1006 }); }, 50);
        return fake;
      };
    });
    const known = await first.evaluate(() => [...document.querySelectorAll("#queue button.take")].map((b) => b.getAttribute("data-ticket")));
    await w.goto(base + "/");
    await w.locator(".guichet-launcher").click();
    await w.locator("#guichet-input").fill("je veux parler à un agent");
    await w.keyboard.press("Enter");
    await w.waitForFunction(() => document.querySelectorAll(".guichet-log .guichet-bot").length >= 2, null, { timeout: 15000 });
    await answerIn(w, known);
    const bubbles = await w.locator(".guichet-log .guichet-msg").count();
    await w.locator("#guichet-input").fill("merci, voici ma question");
    await w.keyboard.press("Enter");
    await w.waitForFunction(() => !/écrit/.test(document.querySelector(".guichet-status").textContent), null, { timeout: 10000 })
      .catch(() => {});
    await new Promise((r) => setTimeout(r, 1500));
    const after = await w.evaluate(() => ({ status: document.querySelector(".guichet-status").textContent,
                                           bubbles: document.querySelectorAll(".guichet-log .guichet-msg").length }));
    check(!/écrit/.test(after.status) && after.bubbles === bubbles + 1,
          "the widget " + (socket ? "" : "without WebSocket ") + "shows the citizen's message to the agent, and no \"La mairie écrit…\" is left: " + JSON.stringify(after));
  }
});
