// The agents' inbox of the console in Debian's chromium against the real `guichet serve`, with
// sessions idle for 6 s at most: an agent watching the queue stays signed in (a hidden page
// does not); the window's title counts the requests waiting or with new messages; a queue
// entry says how long it has waited, the citizen's last words, and "nouveau message" in words;
// a stale "new request" announcement is cleared; a too-long reply and the take-over question
// in the console's words; the open conversation and the draft survive a reload; the transcript
// keeps line breaks and gives times; the citizen's words quoted « » in French, “ ” in English; a
// colleague who signs out gives the conversation back (and leaves neither it, nor her draft, nor
// her last status to the next agent in her tab); a status line that does not keep "expired"; an
// ended conversation leaves the queue and is found again (the list of ended ones, its number).
// Usage: node console_inbox.mjs BIN
import { check, guichetBinary, launch, run, startGuichet } from "./lib.mjs";
import { ask, commune, login, waitFor } from "./commune.mjs";

const bin = guichetBinary();
const pw = "le mot de passe de l'agent";
const { site, env, staff } = commune(bin, { GUICHET_ADMIN_SESSION_IDLE_S: "6" });

const tickets = (page) => page.evaluate(() => [...document.querySelectorAll("#queue button.take")].map((b) => b.getAttribute("data-ticket")));
// The ticket of the request that appears in the queue after `known` ones.
async function newTicket(page, known) {
  await page.waitForFunction((n) => document.querySelectorAll("#queue button.take").length > n, known.length, { timeout: 10000 });
  return (await tickets(page)).find((t) => !known.includes(t));
}
const status = (page) => page.locator("#status").textContent();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

run(async () => {
  for (const name of ["agent1", "claire"])
    check(staff(["add", name, "--role", "agent"], { env: { GUICHET_STAFF_PASSWORD: pw } }).status === 0, "agent " + name + " added");
  const server = await startGuichet(bin, { site, env });
  const base = server.url;

  // An agent signed in (with nobody, the citizens would be offered a call-back instead).
  const page = await (await launch({ locale: "fr-FR" })).newPage();
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  await login(page, base, "agent1", pw);

  // Two citizens wait; the first says more, on two lines.
  const a = await ask(base, "citizen-a", "je veux parler à un agent");
  await ask(base, "citizen-a", "Ma facture d'eau est fausse.\nMerci de me rappeler", a.token);
  const b = await ask(base, "citizen-b", "je veux parler à un agent");
  await page.locator("#queue button.take").nth(1).waitFor({ timeout: 10000 });
  const [t1, t2] = await tickets(page);  // oldest first
  check(/^\d{4}-\d{4}$/.test(t1) && /^\d{4}-\d{4}$/.test(t2), "two requests for an agent: " + t1 + ", " + t2);
  await page.waitForFunction(() => /^\(2\) Boîte des agents — Console de la mairie/.test(document.title), null, { timeout: 5000 })
    .catch(() => {});
  check(/^\(2\) Boîte des agents/.test(await page.title()), "the window's title counts the 2 requests waiting: " + await page.title());
  const entry = page.locator("#queue li", { hasText: t1 });
  const details = await entry.locator("p.details").textContent();
  check(/en attente depuis (moins d'une minute|\d+ min)/.test(details) && /Ma facture d'eau est fausse/.test(details),
        "a queue entry says how long it has waited and the citizen's last words: " + details);
  // Quoted as each language quotes: « » held by non-breaking spaces in French, “ ” in English
  // (the English console showed « »).
  const enContext = await launch({ locale: "en-GB" });
  const enPage = await enContext.newPage();
  await login(enPage, base, "agent1", pw);
  const enEntry = enPage.locator("#queue li", { hasText: t1 }).locator("p.details");
  await enEntry.waitFor({ timeout: 10000 });
  const enDetails = await enEntry.textContent();
  await enContext.close();
  check(/Dernier message : «\u00a0Ma facture d'eau est fausse\.\nMerci de me rappeler\u00a0»$/.test(details) &&
        /Last message: “Ma facture d'eau est fausse\.\nMerci de me rappeler”$/.test(enDetails) && !/«|»/.test(enDetails),
        "the citizen's words are quoted « » with non-breaking spaces in French, “ ” in English: " + JSON.stringify([details, enDetails]));

  // The transcript: times, line breaks kept, text only.
  await entry.locator("button.take").click();
  await page.locator("#conversation").waitFor({ state: "visible" });
  await page.waitForFunction(() => /facture/.test(document.getElementById("transcript").textContent), null, { timeout: 5000 });
  const line = await page.evaluate(() => {
    const li = [...document.querySelectorAll("#transcript li")].find((x) => /facture/.test(x.textContent));
    return { time: li.querySelector("time") && li.querySelector("time").textContent, text: li.querySelector(".text").textContent,
             ws: getComputedStyle(li.querySelector(".text")).whiteSpace, shown: li.innerText };
  });
  check(/^\d\d:\d\d$/.test(line.time) && line.text.includes("\n") && line.ws === "pre-wrap" && /fausse\.\nMerci/.test(line.shown),
        "each message shows its time, its line breaks kept: " + JSON.stringify(line));
  check(/^#inbox\/\d{4}-\d{4}$/.test(await page.evaluate(() => location.hash)), "the open conversation is in the URL");

  // Too long a reply: a counter, and the console's words (not the API's English).
  await page.locator("#reply").fill("a".repeat(4097));
  const count = await page.locator("#reply-count").textContent();
  await page.locator("#reply-form button[type=submit]").click();
  await page.waitForFunction(() => document.getElementById("status").textContent !== "", null, { timeout: 5000 }).catch(() => {});
  const tooLong = await status(page);
  check(count === "4097 / 4096 caractères" && /dépasse de 1 la limite de 4096/.test(tooLong) && !/text must|bytes/.test(tooLong),
        "a too-long reply is counted and refused in French: " + JSON.stringify([count, tooLong]));

  // A reload keeps the conversation and the draft.
  await page.locator("#reply").fill("Bonjour, je regarde votre facture");
  await page.reload();
  await page.waitForFunction(() => !document.getElementById("conversation").hidden, null, { timeout: 10000 });
  const after = await page.evaluate(() => ({ ticket: document.getElementById("conv-ticket").textContent, draft: document.getElementById("reply").value }));
  check(after.ticket === t1 && after.draft === "Bonjour, je regarde votre facture", "after a reload, the conversation and its draft are back: " + JSON.stringify(after));

  // A colleague answers the other request; taking it over is asked in the console's words.
  const colleague = await (await launch({ locale: "fr-FR" })).newPage();
  await login(colleague, base, "claire", pw);
  await colleague.locator("#queue button.take", { hasText: t2 }).click();
  await colleague.locator("#reply").fill("Claire, de l'accueil, bonjour.");
  await colleague.locator("#reply-form button[type=submit]").click();
  await colleague.waitForFunction(() => /Claire, de l/.test(document.getElementById("transcript").textContent), null, { timeout: 10000 });
  await page.locator("#queue button.take", { hasText: t2 }).click();
  await page.waitForFunction((t) => document.getElementById("conv-ticket").textContent === t, t2, { timeout: 5000 });
  await page.locator("#reply").fill("Je prends la suite");
  await page.locator("#reply-form button[type=submit]").click();
  await waitFor(async () => dialogs.length > 0, "the take-over question", 5000);
  check(dialogs[0] === "claire répond à cette conversation. La reprendre ?", "the take-over question is the console's, in French: " + JSON.stringify(dialogs));

  // Back on the first conversation; the citizen of the other one writes: marked, told, counted.
  await page.locator("#queue button.take", { hasText: t1 }).click();
  await page.waitForFunction((t) => document.getElementById("conv-ticket").textContent === t, t1, { timeout: 5000 });
  await ask(base, "citizen-b", "Vous êtes toujours là ?", b.token);
  // (The announcement and the queue's marker may come one poll apart: both are waited for.)
  await page.waitForFunction((t) => /Nouveau message de l'habitant·e dans la conversation/.test(document.getElementById("status").textContent) &&
                                    document.querySelector("#queue button.take[data-ticket='" + t + "'] .unread"), t2, { timeout: 10000 })
    .catch(() => {});
  const unread = await page.evaluate((t) => ({
    marker: [...document.querySelectorAll("#queue button.take")].filter((x) => x.querySelector(".unread")).map((x) => x.getAttribute("data-ticket")),
    words: (document.querySelector("#queue button.take[data-ticket='" + t + "'] .unread") || {}).textContent,
    status: document.getElementById("status").textContent, title: document.title }), t2);
  check(unread.marker.length === 1 && unread.marker[0] === t2 && /nouveau message/.test(unread.words) &&
        unread.status.includes(t2) && /^\(\d\)/.test(unread.title),
        "a new message in another conversation is marked in words, announced and counted in the title: " + JSON.stringify(unread));

  // The colleague signs out with a draft written: the conversation she held waits again, in
  // everyone's queue; and an agent signing in to her tab gets neither her conversation nor her
  // draft (it was one click away from being sent in his name).
  await colleague.locator("#reply").fill("Brouillon confidentiel de Claire");
  const saidBefore = await status(colleague);
  await colleague.locator("#logout").click();
  await colleague.waitForFunction(() => !document.getElementById("login").hidden, null, { timeout: 5000 });
  // Her last action's outcome goes with her ("Réponse envoyée." stayed under the sign-in form,
  // and for the next agent).
  const saidAfter = await status(colleague);
  check(/Réponse envoyée/.test(saidBefore) && saidAfter === "",
        "signing out clears what the status line said of the last action: " + JSON.stringify([saidBefore, saidAfter]));
  await colleague.locator("#login-name").fill("agent1");
  await colleague.locator("#login-password").fill(pw);
  await colleague.locator("#login-form button[type=submit]").click();
  await colleague.waitForFunction(() => !document.getElementById("nav").hidden, null, { timeout: 10000 });
  await sleep(500);
  const inherited = await colleague.evaluate(() => ({ open: !document.getElementById("conversation").hidden,
    draft: document.getElementById("reply").value, hash: location.hash }));
  check(!inherited.open && inherited.draft === "" && !/Claire/.test(inherited.draft),
        "the next agent in the same tab gets neither the conversation nor the draft of the one who signed out: " + JSON.stringify(inherited));
  await page.waitForFunction((t) => /en attente/.test(document.querySelector("#queue button.take[data-ticket='" + t + "']").textContent), t2, { timeout: 10000 })
    .catch(() => {});
  const back = await page.locator("#queue button.take", { hasText: t2 }).textContent();
  check(/en attente/.test(back) && !/claire/.test(back), "a colleague who signs out gives her conversation back to the queue: " + back);

  // A new request is announced; once it has left the queue the announcement goes.
  const c = await ask(base, "citizen-c", "je veux parler à un agent");
  const t3 = await newTicket(page, [t1, t2]);
  await page.waitForFunction((t) => document.getElementById("status").textContent.includes("Nouvelle demande en attente : " + t), t3, { timeout: 10000 });
  await ask(base, "citizen-c", "annuler", c.token);
  await page.waitForFunction((t) => !document.querySelector("#queue button.take[data-ticket='" + t + "']"), t3, { timeout: 10000 });
  await sleep(500);
  check(!/Nouvelle demande en attente/.test(await status(page)), "the announcement of a request gone from the queue is cleared: " + await status(page));

  // Watching the queue, doing nothing else, for longer than the idle time: still signed in,
  // and a request that arrives then is shown.
  await sleep(9000);
  const d = await ask(base, "citizen-d", "je veux parler à un agent");
  const t4 = await newTicket(page, [t1, t2]).catch(() => undefined);
  const watching = { login: await page.locator("#login").isVisible(), status: await status(page), t4 };
  check(!watching.login && !/expiré/.test(watching.status) && !!t4,
        "an agent watching the queue past the idle time stays signed in and sees the new request: " + JSON.stringify(watching));

  // The resident ends the conversation the agent has open, while the agent writes: it is said,
  // the conversation reads "terminée par l'usager" (it read "terminée sans agent"), and the
  // focus the reply box held goes to those words.
  await page.locator("#queue button.take", { hasText: t4 }).click();
  await page.waitForFunction((t) => document.getElementById("conv-ticket").textContent === t, t4, { timeout: 5000 });
  await page.locator("#reply").focus();
  await ask(base, "citizen-d", "annuler", d.token);
  await page.waitForFunction(() => !document.getElementById("conv-closed").hidden, null, { timeout: 10000 }).catch(() => {});
  const left = await page.evaluate(() => ({ closed: document.getElementById("conv-closed").textContent,
    status: document.getElementById("status").textContent, form: document.getElementById("reply-form").hidden,
    focus: document.activeElement && document.activeElement.id }));
  check(/^terminée par l'usager le /.test(left.closed) && left.status === "L'usager a mis fin à la conversation " + t4 +
        " : votre réponse ne lui parviendrait pas." && left.form && left.focus === "conv-closed",
        "the resident ending the conversation is said to the agent, the focus on it: " + JSON.stringify(left));

  // The agent ends a conversation: it leaves the queue, its citizen is told, and it is found
  // again among the ended requests (who ended it, when) and by its number, to read.
  await page.locator("#queue button.take", { hasText: t1 }).click();
  await page.waitForFunction((t) => document.getElementById("conv-ticket").textContent === t, t1, { timeout: 5000 });
  const doneLabel = await page.locator("#done").textContent();
  await page.locator("#done").click();
  await page.waitForFunction((t) => !document.querySelector("#queue button.take[data-ticket='" + t + "']"), t1, { timeout: 10000 });
  check(doneLabel === "Terminer la conversation" && (await status(page)) === "Demande " + t1 + " terminée.",
        "'Terminer la conversation' takes it out of the queue, and says so: " + JSON.stringify([doneLabel, await status(page)]));
  const history = await (await fetch(base + "/api/v1/conversations/citizen-a/messages", { headers: { Authorization: "Bearer " + a.token } })).json();
  check(history.messages.some((m) => (m.replies || []).some((x) => /L'agent a terminé la conversation avec vous/.test(x.text))),
        "the citizen is told the conversation with the agent ended");
  await page.locator("#show-ended").click();
  const ended = page.locator("#ended button.open-ended", { hasText: t1 });
  await ended.waitFor({ timeout: 5000 });
  const endedText = await ended.textContent();
  check(/terminée par agent1 le \d\d\/\d\d\/\d{4}/.test(endedText), "the ended requests list it, with who ended it and when: " + endedText);
  // As said on the phone: "1" is this year's 2026-0001.
  await page.locator("#find-ticket").fill(String(Number(t1.split("-")[1])));
  await page.locator("#find-form button[type=submit]").click();
  await page.waitForFunction(() => !document.getElementById("conv-closed").hidden, null, { timeout: 5000 }).catch(() => {});
  const found = await page.evaluate(() => ({ ticket: document.getElementById("conv-ticket").textContent,
    closed: document.getElementById("conv-closed").textContent, form: document.getElementById("reply-form").hidden,
    focus: document.activeElement && document.activeElement.id }));
  check(found.ticket === t1 && /^terminée par agent1 le /.test(found.closed) && found.form && found.focus === "conv-h",
        "found by its number: read with who ended it, no reply form, the focus on its heading: " + JSON.stringify(found));

  // A hidden page (another tab) does not keep the session.
  await page.evaluate(() => Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" }));
  await page.waitForFunction(() => /Votre session a expiré/.test(document.getElementById("status").textContent), null, { timeout: 15000 })
    .catch(() => {});
  check(await page.locator("#login").isVisible() && /expiré/.test(await status(page)), "a hidden console is signed out after the idle time");
  // Signed in again, the status line no longer says the session has expired (it stayed).
  await page.evaluate(() => { delete document.visibilityState; });
  await page.locator("#login-name").fill("agent1");
  await page.locator("#login-password").fill(pw);
  await page.locator("#login-form button[type=submit]").click();
  await page.waitForFunction(() => !document.getElementById("nav").hidden, null, { timeout: 10000 });
  check(!/expiré/.test(await status(page)), "signed in again, the status line no longer says the session expired: " + JSON.stringify(await status(page)));
  await server.stop();
});
