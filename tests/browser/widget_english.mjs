// The widget for a blind citizen on the default commune, in Debian's chromium against the real
// `guichet serve`: /?lang=en is the demo page in English (it stayed French), a place's map link
// is named "View on the map: <place> (new window)" (no space before the colon, which Chromium
// put around the hidden part), and "Was this useful? Yes / No" is not offered under a question
// the bot asks (the e-mail address an agent may answer at), only under answers.
// Usage: node widget_english.mjs /path/to/guichet
import { check, defaultCommuneLoads, guichetBinary, launch, run, startGuichet } from "./lib.mjs";

const bin = guichetBinary();

async function say(page, text) {
  const before = await page.locator(".guichet-log .guichet-bot").count();
  await page.locator("#guichet-input").fill(text);
  await page.keyboard.press("Enter");
  await page.waitForFunction((n) => document.querySelectorAll(".guichet-log .guichet-bot").length > n, before, { timeout: 15000 });
  await page.waitForTimeout(300);  // (the answer's feedback row follows it)
}

run(async () => {
  if (!defaultCommuneLoads(bin)) {
    console.log("skip - the default commune does not load (`guichet check` fails)");
    return;
  }
  const town = await startGuichet(bin, { site: null, env: { GUICHET_WEB_TOKEN_SECRET: "widget-english" } });
  const context = await launch({ locale: "en-GB" });
  const page = context.pages()[0] || (await context.newPage());

  await page.goto(town.url + "/?lang=en");
  const look = await page.evaluate(() => ({ lang: document.documentElement.lang, h1: document.querySelector("h1").textContent }));
  check(look.lang === "en" && /online desk/.test(look.h1), "/?lang=en is the demo page in English: " + JSON.stringify(look));
  await page.getByRole("button", { name: "Ask the town hall a question" }).click();
  await page.waitForFunction(() => document.querySelectorAll(".guichet-log .guichet-bot").length >= 1, null, { timeout: 15000 });
  check(true, "the widget speaks English there");

  await say(page, "where is the swimming pool?");
  const title = await page.evaluate(() => {
    const card = [...document.querySelectorAll(".guichet-bot .guichet-card")].pop();
    return card ? card.querySelector(".guichet-card-title").textContent : "";
  });
  check(title !== "", "the pool's answer shows its place in a card");
  const named = await page.getByRole("link", { name: "View on the map: " + title + " (new window)", exact: true }).count();
  check(named >= 1, "the map link is named 'View on the map: " + title + " (new window)'");

  // A question of the bot: no "Was this useful?" under it.
  await page.goto(town.url + "/");
  await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
  await page.goto(town.url + "/");
  await page.locator(".guichet-launcher").click();
  await page.waitForFunction(() => document.querySelectorAll(".guichet-log .guichet-bot").length >= 1, null, { timeout: 15000 });
  await say(page, "je veux parler à quelqu'un");
  const email = page.locator(".guichet-bot button", { hasText: "Réponse par e-mail" }).last();
  await email.waitFor({ timeout: 10000 });
  await email.click();
  await page.waitForFunction(() => /adresse e-mail/.test([...document.querySelectorAll(".guichet-bot")].pop().textContent), null, { timeout: 15000 });
  await page.waitForTimeout(300);
  check(await page.locator(".guichet-feedback").isHidden(), "no 'Réponse utile ?' under 'À quelle adresse e-mail… ?'");
  await say(page, "jeanne@example.org");
  check(await page.locator(".guichet-feedback").isVisible(), "the answer that files the request is rated again");
});
