// What citizens found unhelpful, in the console, in Debian's chromium against the real `guichet
// serve` on the default commune: a citizen answers "Non" to "Réponse utile ?" under an FAQ
// answer in the widget; an editor sees it under "Réponses jugées peu utiles" (the question, the
// answer shortened with the whole of it in a disclosure, the intent, the FAQ entry, the date),
// marks it "Traité" (it leaves the list, said in the status, focus on the heading); the "FAQ"
// table lists the entries with the most "not useful" first and sorts by a header's button
// (aria-sort); axe-core (WCAG 2.1 AA) on both pages, in French and in English. Usage:
// node console_feedback.mjs BIN
import { check, guichetBinary, launch, run, startGuichet } from "./lib.mjs";
import { ask, axeCheck, commune, login } from "./commune.mjs";

const bin = guichetBinary();
const password = "un mot de passe de rédaction";
const { site, env, staff } = commune(bin);

run(async () => {
  const add = staff(["add", "redaction", "--role", "editor"], { env: { GUICHET_STAFF_PASSWORD: password } });
  check(add.status === 0, "guichet staff add redaction --role editor: " + (add.stderr || add.stdout).trim());
  const server = await startGuichet(bin, { site, env });
  const base = server.url;

  // Another entry shown twice, never rated.
  for (const c of ["citizen-a", "citizen-b"]) {
    const r = await ask(base, c, "Combien coûte la cantine ?");
    check(r.intent.name === "faq.ask", "the FAQ answers the canteen's price (" + c + ")");
  }

  // (One context that lets axe in under the CSP; the CSP itself is checked by console.mjs.)
  const context = await launch({ bypassCSP: true, locale: "fr-FR" });
  const widget = context.pages()[0] || (await context.newPage());
  await widget.goto(base + "/");
  await widget.locator(".guichet-launcher").click();
  const question = "J'ai perdu mon passeport";
  await widget.locator("#guichet-input").fill(question);
  await widget.keyboard.press("Enter");
  const no = widget.locator(".guichet-feedback .guichet-vote", { hasText: "Non" });
  await no.waitFor({ timeout: 15000 });
  await no.click();
  await widget.waitForFunction(() => /Merci/.test(document.querySelector(".guichet-status").textContent), null, { timeout: 10000 });
  check(true, "the citizen answers 'Non' under the FAQ's answer");

  const page = await context.newPage();
  await login(page, base, "redaction", password);
  await page.locator('#nav a[data-tab="unhelpful"]').click();
  const group = page.locator("#unhelpful-groups li.group", { hasText: question });
  await group.waitFor({ timeout: 10000 });
  const text = await group.textContent();
  check(/jugée peu utile 1 fois/.test(text) && /dernière fois le .*\d{4}/.test(text) && /Intention : faq\.ask/.test(text) &&
        /Entrée de la FAQ : passeport_perdu/.test(text), "the question, how many times, when, the intent and the FAQ entry: " + text);
  const summary = group.locator("details.answer summary");
  check(/^Réponse donnée : En cas de perte, .*…/.test(await summary.textContent()) &&
        !(await group.locator("details.answer p.full").isVisible()), "the answer is shortened: " + (await summary.textContent()));
  await summary.focus();
  await page.keyboard.press("Enter");
  await group.locator("details.answer p.full").waitFor({ state: "visible", timeout: 5000 });
  const full = await group.locator("details.answer p.full").textContent();
  check(/timbre fiscal et la déclaration\.\nSource : https:/.test(full), "the whole answer, its source too, opens from the keyboard: " + full);
  await axeCheck(page, "the answers rated unhelpful (French)");

  // The FAQ table: the entry voted down first, then by a header's button, most shown first.
  await page.locator('#nav a[data-tab="faq"]').click();
  await page.waitForFunction(() => document.querySelectorAll("#faq-table tbody tr").length > 2, null, { timeout: 10000 });
  const rowOf = (i) => page.locator("#faq-table tbody tr").nth(i).evaluate((tr) => [...tr.children].map((c) => c.textContent));
  const top = await rowOf(0);
  check(top[0] === "passeport_perdu" && top[1] === "J'ai perdu mon passeport" && top[2] === "1" && top[3] === "0" && top[4] === "1",
        "the entry rated 'not useful' comes first, with its question, shown once: " + JSON.stringify(top));
  check(await page.locator("#faq-table th:has(button[data-key=not_useful])").getAttribute("aria-sort") === "descending",
        "the 'Pas utiles' column says it is sorted (aria-sort)");
  await page.locator("#faq-table button[data-key=shown]").click();
  const byShown = await rowOf(0);
  check(byShown[0] === "tarif_cantine" && byShown[2] === "2" &&
        await page.locator("#faq-table th:has(button[data-key=shown])").getAttribute("aria-sort") === "descending" &&
        await page.locator("#faq-table th:has(button[data-key=not_useful])").getAttribute("aria-sort") === "none",
        "sorted by answers given: the canteen's price first: " + JSON.stringify(byShown));
  await axeCheck(page, "the FAQ table (French)");

  // "Traité": the answer leaves the list.
  await page.locator('#nav a[data-tab="unhelpful"]').click();
  await group.waitFor({ timeout: 10000 });
  const done = group.locator("button.mark-done");
  check(/Marquer la réponse à «\u00a0J'ai perdu mon passeport\u00a0» comme traitée/.test(await done.getAttribute("aria-label")),
        "the 'Traité' button names the answer it marks");
  await done.click();
  await page.waitForFunction(() => !document.querySelector("#unhelpful-groups li.group"), null, { timeout: 10000 });
  check(/marquée comme traitée/.test(await page.locator("#status").textContent()) &&
        await page.evaluate(() => document.activeElement.id) === "unhelpful-h",
        "marked done: it leaves the list, said in the status, focus on the heading");

  // In English.
  await page.goto(base + "/admin?lang=en#faq");
  await page.waitForFunction(() => document.documentElement.lang === "en" && document.querySelectorAll("#faq-table tbody tr").length > 2,
                             null, { timeout: 10000 });
  check(/FAQ entries/.test(await page.locator("#faq-table caption").textContent()) &&
        await page.locator("#faq-table button[data-key=not_useful]").textContent() === "Not useful",
        "the FAQ table in English");
  await axeCheck(page, "the FAQ table (English)");
  await page.locator('#nav a[data-tab="unhelpful"]').click();
  await page.waitForFunction(() => /Nothing for now/.test(document.getElementById("unhelpful-groups").textContent), null, { timeout: 10000 });
  check(/Answers rated unhelpful/.test(await page.locator("#unhelpful-h").textContent()), "the list in English, empty once done");
  await axeCheck(page, "the answers rated unhelpful (English)");
  await server.stop();
});
