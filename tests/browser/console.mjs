// The admin console in Debian's chromium against the real `guichet serve`: the first admin
// created with `guichet staff add` (password on stdin), login, the figures, an unanswered
// question asked through the API shown with when it was last asked, another marked "Traité" (it
// leaves the list), the first turned into an example in the console, the reload, the same
// question then answered by that intent; an alert edited in the console shown in the bot's
// answer; a wrong CSRF token refused; axe-core (WCAG 2.1 AA) on every console page; the
// widget's "useful" vote recorded and shown in the figures; an agent taking a handoff in the inbox
// (a failed refresh of the queue said until one succeeds), replying (the citizen's history
// receives it) and handing back; the agent closing a report
// with a note on the reports page, which the citizen's conversation hears. Usage:
// node console.mjs BIN
import { check, guichetBinary, launch, run, startGuichet } from "./lib.mjs";
import { ask, axeCheck, commune, login, replyText, waitFor } from "./commune.mjs";

const bin = guichetBinary();
const password = "un mot de passe assez long";
const agentPassword = "le mot de passe de l'agent";
const { site, env, staff } = commune(bin);

run(async () => {
  // The first admin, from the command line; the password on stdin, never in argv.
  const add = staff(["add", "maire", "--role", "admin"], { input: password + "\n" });
  check(add.status === 0, "guichet staff add maire --role admin (password on stdin): " + (add.stderr || add.stdout).trim());
  const addAgent = staff(["add", "agent1", "--role", "agent"], { env: { GUICHET_STAFF_PASSWORD: agentPassword } });
  check(addAgent.status === 0, "guichet staff add agent1 --role agent (GUICHET_STAFF_PASSWORD)");
  const refused = staff(["add", "x", "--password", "secret"]);
  check(refused.status !== 0, "a password on the command line is refused");
  const list = staff(["list"]);
  check(/maire\tadmin/.test(list.stdout) && /agent1\tagent/.test(list.stdout), "guichet staff list shows both accounts");

  const server = await startGuichet(bin, { site, env });
  const base = server.url;

  // A question the bot does not know, asked through the API before the console opens.
  const question = "la mairie est-elle sur les réseaux sociaux";
  const first = await ask(base, "citizen-1", question);
  check(first.intent.name !== "contact.town_hall", "the question is not understood yet (" + first.intent.name + ")");
  const doneQuestion = "zigouigoui blorp tralala";
  await ask(base, "citizen-done", doneQuestion);

  const context = await launch({ locale: "fr-FR" });
  const page = context.pages()[0] || (await context.newPage());
  const cspErrors = [];
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });

  // Wrong password first: a clear message, no session.
  await page.goto(base + "/admin");
  await page.locator("#login-name").fill("maire");
  await page.locator("#login-password").fill("pas le bon mot de passe");
  await page.locator("#login-form button[type=submit]").click();
  await page.waitForFunction(() => document.getElementById("login-error").textContent !== "", null, { timeout: 10000 });
  check(await page.locator("#login-error").textContent() === "Nom ou mot de passe incorrect.", "a wrong password is told, in French");

  await login(page, base, "maire", password);
  check(/maire/.test(await page.locator("#who").textContent()), "signed in as the admin");
  await page.waitForFunction(() => document.querySelectorAll("#fig-table tbody tr").length > 0, null, { timeout: 10000 });
  const messages = Number(await page.locator("#fig-messages").textContent());
  const rows = await page.locator("#fig-table tbody tr").allTextContents();
  check(messages >= 1 && rows.some((r) => /web/.test(r)), "the figures show the question asked (" + messages + " message(s))");
  await page.locator("#period").selectOption("week");
  await page.waitForFunction(() => [...document.querySelectorAll("#fig-table tbody tr td:first-child")].some((td) => /W\d\d/.test(td.textContent)), null, { timeout: 10000 });
  check(true, "the figures per week");

  // The unanswered question becomes an example of contact.town_hall.
  await page.locator('#nav a[data-tab="unanswered"]').click();
  const group = page.locator("#groups li.group", { hasText: question });
  await group.waitFor({ timeout: 10000 });
  const groupText = await group.locator("p.question").textContent();
  check(/dernière fois le .*\d{4}/.test(groupText), "the question says when it was last asked: " + groupText);
  // "Traité": the other question leaves the list (until it is asked again), said in the status.
  const other = page.locator("#groups li.group", { hasText: doneQuestion });
  await other.waitFor({ timeout: 10000 });
  await other.locator("button.mark-done").click();
  await page.waitForFunction((q) => ![...document.querySelectorAll("#groups li.group")].some((li) => li.textContent.includes(q)),
                             doneQuestion, { timeout: 10000 });
  check(/marquée comme traitée/.test(await page.locator("#status").textContent()) &&
        await page.evaluate(() => document.activeElement.id) === "unanswered-h",
        "a question marked done leaves the list, said in the status, focus on the heading");
  await group.locator("select").selectOption("contact.town_hall");
  await group.locator("button.add-example").click();
  await page.waitForFunction(() => /nouvelle version est en ligne|refusée/.test(document.getElementById("reload-state").textContent), null, { timeout: 150000 })
    .catch(async () => { throw new Error("no reload: " + (await page.locator("#reload-state").textContent())); });
  const reloadState = await page.locator("#reload-state").textContent();
  check(/nouvelle version est en ligne/.test(reloadState), "the example is written, tested and put online: " + reloadState);
  const again = await ask(base, "citizen-2", question);
  check(again.intent.name === "contact.town_hall", "the same question is now answered by contact.town_hall: " + replyText(again));

  // An alert edited in the console shows in the bot's answer.
  const reloadGen = () => page.evaluate(() => fetch("/admin/api/reload").then((r) => r.json()).then((j) => j.generation));
  const gen = await reloadGen();
  await page.locator('#nav a[data-tab="alerts"]').click();
  await page.locator("#alerts-table tbody tr").first().waitFor({ timeout: 10000 });
  await page.locator("#al-id").fill("fermeture_test");
  await page.locator("#al-fr").fill("Alerte de test : l'accueil ferme exceptionnellement à 16 h.");
  await page.locator("#al-en").fill("Test alert: the front desk closes at 4 pm today.");
  await page.locator("#al-from").fill("2026-01-01 00:00");
  await page.locator("#al-until").fill("2030-12-31 23:59");
  await page.locator("#al-intents").fill("faq.ask");
  await page.locator("#alert-form button[type=submit]").click();
  await page.waitForFunction(() => /fermeture_test/.test(document.getElementById("status").textContent), null, { timeout: 15000 })
    .catch(async () => { throw new Error("alert not saved: " + (await page.locator("#alert-errors").textContent())); });
  await waitFor(async () => (await reloadGen()) > gen, "the reload after the alert", 60000);
  // (The generation may have moved for the example's reload still under way: the alert's own
  // reload follows within the minute; each try is a new conversation.)
  let faq, tries = 0;
  await waitFor(async () => {
    faq = await ask(base, "citizen-3-" + ++tries, "comment faire une carte d'identité ?");
    return /Alerte de test/.test(replyText(faq));
  }, "the alert in the bot's answer", 60000).catch(() => {});
  check(/Alerte de test/.test(replyText(faq)), "the alert is shown in the bot's answer: " + replyText(faq).slice(0, 120));
  // A broken alert is refused with file:line:column.
  await page.locator("#al-id").fill("cassee");
  await page.locator("#al-from").fill("2027-01-01 00:00");
  await page.locator("#al-until").fill("2026-01-01 00:00");
  await page.locator("#alert-form button[type=submit]").click();
  await page.waitForFunction(() => /alerts\.yaml:\d+:\d+:/.test(document.getElementById("alert-errors").textContent), null, { timeout: 15000 });
  check(true, "a wrong alert is refused, the problem shown at alerts.yaml:line:column");

  // A state change with a wrong CSRF token (or none) is refused.
  const csrf = await page.evaluate(async () => {
    const body = JSON.stringify({ id: "pirate", message_fr: "x", message_en: "x", from: "2026-01-01 00:00", until: "2030-01-01 00:00" });
    const wrong = await fetch("/admin/api/alerts", { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": "0".repeat(64) }, body });
    const none = await fetch("/admin/api/alerts", { method: "POST", headers: { "Content-Type": "application/json" }, body });
    return [wrong.status, none.status];
  });
  check(csrf[0] === 403 && csrf[1] === 403, "a wrong or missing CSRF token gets 403 (" + csrf.join(", ") + ")");

  // The widget's "Oui" (useful) is recorded and shown in the figures.
  const widget = await context.newPage();
  await widget.goto(base + "/");
  await widget.locator(".guichet-launcher").click();
  await widget.locator("#guichet-input").fill("coordonnées de la mairie");
  await widget.keyboard.press("Enter");
  const vote = widget.locator(".guichet-feedback .guichet-vote").first();
  await vote.waitFor({ timeout: 15000 });
  check(await vote.textContent() === "Oui" &&
        await widget.locator(".guichet-feedback").getAttribute("aria-labelledby") !== null,
        "the answer asks 'Réponse utile ?' with a 'Oui' button");
  await vote.click();
  await widget.waitForFunction(() => document.querySelector(".guichet-vote[aria-pressed=true]") &&
                               /Merci/.test(document.querySelector(".guichet-status").textContent), null, { timeout: 10000 });
  check(true, "'Oui' is pressed (aria-pressed) and thanked");
  await page.locator('#nav a[data-tab="figures"]').click();
  await page.waitForFunction(() => [...document.querySelectorAll("#fb-table tbody tr")].some((tr) => /contact\.town_hall\s*1\s*0\s*100/.test(tr.textContent)), null, { timeout: 10000 });
  check(true, "the useful vote is counted for contact.town_hall in the figures (100 % useful)");
  check(cspErrors.length === 0, "no Content-Security-Policy violation" + (cspErrors.length ? ": " + cspErrors[0] : ""));

  // axe-core on every console page (a context that lets axe in under our CSP).
  const axeContext = await launch({ bypassCSP: true, locale: "fr-FR" });
  const ap = axeContext.pages()[0] || (await axeContext.newPage());
  await ap.goto(base + "/admin");
  await ap.locator("#login-name").waitFor();
  await axeCheck(ap, "the login page");
  await login(ap, base, "maire", password);
  for (const tab of ["figures", "unanswered", "unhelpful", "faq", "alerts", "inbox", "reports", "accounts"]) {
    await ap.locator(`#nav a[data-tab="${tab}"]`).click();
    await ap.waitForTimeout(400);
    await axeCheck(ap, "the " + tab + " page");
  }
  await ap.goto(base + "/admin?lang=en#figures");
  await ap.waitForFunction(() => document.documentElement.lang === "en" && /Figures/.test(document.getElementById("figures-h").textContent), null, { timeout: 10000 });
  check(true, "?lang=en shows the console in English");
  await axeCheck(ap, "the English figures page");

  // An agent: takes a waiting handoff, replies (the citizen's history receives it), hands back.
  const h = await ask(base, "citizen-4", "je veux parler à un agent");
  check(h.intent.name === "handoff.request", "the citizen asks for an agent: " + replyText(h));
  const agentPage = await (await launch({ locale: "fr-FR" })).newPage();
  await login(agentPage, base, "agent1", agentPassword);
  check(await agentPage.locator('#nav a[data-tab="figures"]').isHidden(), "the agent does not see the figures");
  const editorOnly = await agentPage.evaluate(() => fetch("/admin/api/figures").then((r) => r.status));
  check(editorOnly === 403, "the agent role gets 403 on the figures");
  await agentPage.locator("#queue button.take").first().waitFor({ timeout: 10000 });
  await agentPage.locator("#queue button.take").first().click();
  await agentPage.locator("#conversation").waitFor({ state: "visible" });
  // A citizen who starts waiting meanwhile is announced (a blind agent had to read the list
  // again to know); the transcript is a list inside a log region (a <ul role=log> was no list).
  const takeBefore = await agentPage.evaluate(() => { window.__take = document.querySelector("#queue button.take"); return !!window.__take; });
  await ask(base, "citizen-6", "je veux parler à un agent");
  await agentPage.waitForFunction(() => /Nouvelle demande en attente : \d{4}-\d{4}/.test(document.getElementById("status").textContent),
                                  null, { timeout: 10000 }).catch(() => {});
  const inbox = await agentPage.evaluate(() => ({ status: document.getElementById("status").textContent,
    sameButton: document.querySelector("#queue button.take") === window.__take,
    log: document.querySelector("[role=log] > ul#transcript") !== null }));
  check(takeBefore && /Nouvelle demande en attente/.test(inbox.status) && inbox.sameButton && inbox.log,
        "a new request is announced, the queue is updated in place, the transcript is a list in a log: " + JSON.stringify(inbox));
  // A queue that cannot be refreshed (the network down) is said, and no longer once it can be
  // (the refresh failed in silence: an agent took it for no one waiting).
  let cut = 0;
  await agentPage.route("**/admin/api/inbox/queue", (route) => (cut++ < 1 ? route.abort() : route.continue()));
  const unreachable = () => /le serveur ne répond pas/.test(document.getElementById("status").textContent);
  await agentPage.waitForFunction(unreachable, null, { timeout: 10000 }).catch(() => {});
  const down = await agentPage.locator("#status").textContent();
  await agentPage.waitForFunction(() => !/le serveur ne répond pas/.test(document.getElementById("status").textContent), null, { timeout: 10000 }).catch(() => {});
  const up = await agentPage.locator("#status").textContent();
  await agentPage.unroute("**/admin/api/inbox/queue");
  check(/^Erreur : le serveur ne répond pas/.test(down) && !/ne répond pas/.test(up),
        "a queue that cannot be refreshed is said, and no longer once it can: " + JSON.stringify([down, up]));
  await agentPage.locator("#reply").fill("Bonjour, ici Agnès de l'accueil. Que puis-je faire pour vous ?");
  await agentPage.locator("#reply-form button[type=submit]").click();
  await agentPage.waitForFunction(() => /Agnès/.test(document.getElementById("transcript").textContent), null, { timeout: 10000 });
  const historyHas = async (re, from) => {
    const r = await fetch(base + "/api/v1/conversations/citizen-4/messages", { headers: { Authorization: "Bearer " + h.token } });
    const j = await r.json();
    return j.messages.some((m) => m.from === from && (m.replies || []).some((x) => re.test(x.text)));
  };
  await waitFor(() => historyHas(/Agnès/, "agent"), "the agent's reply in the citizen's history, as an agent's");
  check(true, "the agent's reply reaches the citizen's conversation");
  await agentPage.locator("#release").click();
  await waitFor(() => historyHas(/rendu la main/, "bot"), "the hand-back message");
  check(true, "hand back: the citizen is told the bot is back");

  // The same agent closes a citizen's report with a note: the citizen's conversation is told.
  const r1 = await ask(base, "citizen-5", "il y a un nid de poule devant le 12 rue Victor Hugo");
  const r2 = await ask(base, "citizen-5", "oui", r1.token);
  const ticket = (replyText(r2).match(/\d{4}-\d{4}/) || [])[0];
  check(!!ticket, "the citizen's report gets a ticket: " + replyText(r2));
  await agentPage.locator('#nav a[data-tab="reports"]').click();
  const row = agentPage.locator("#reports-table tbody tr", { hasText: ticket });
  await row.waitFor({ timeout: 10000 });
  // The agent sees when, what kind and where, not only the words (the table had the ticket and
  // the description alone).
  const cells = await row.locator("td").allTextContents();
  check(/2\d\d\d/.test(cells[1]) && cells[2] === "Voirie (chaussée, trottoir)" && /12 rue Victor Hugo/.test(cells[3]),
        "the reports table gives the date, the category as the citizen saw it (it showed its code, 'voirie') and the place: " + JSON.stringify(cells));
  const pageTitle = await agentPage.title();
  const rowButton = await row.locator("button").getAttribute("aria-label");
  check(/^Signalements — Console de la mairie/.test(pageTitle) && rowButton === "Fermer le signalement " + ticket,
        "the window's title names the section and the row's button its report: " + JSON.stringify([pageTitle, rowButton]));
  await row.locator("input").fill("Trou rebouché ce matin");
  await row.locator("button").click();
  await agentPage.waitForFunction((t) => [...document.querySelectorAll("#reports-table tbody tr")]
    .some((tr) => tr.textContent.includes(t) && /Fermé/.test(tr.textContent)), ticket, { timeout: 10000 });
  check(true, "the agent closes report " + ticket + " from the reports page: shown « Fermé », in French");
  const told = async () => {
    const r = await fetch(base + "/api/v1/conversations/citizen-5/messages", { headers: { Authorization: "Bearer " + r1.token } });
    const j = await r.json();
    return j.messages.some((m) => m.from === "bot" && (m.replies || []).some((x) => x.text.includes(ticket) && /rebouché/.test(x.text)));
  };
  await waitFor(told, "the report's new status in the citizen's history");
  check(true, "the citizen's conversation is told of the new status, with the agent's note");
  await server.stop();
});
