// Microsoft's botframework-webchat (npm, unmodified bundle) in Debian's chromium, served by a
// tiny static server from another origin, talking to guichet's Direct Line 3.0: a token from
// tokens/generate (as a town's server would), the greeting, a message round trip, then a suggested-action
// button. Usage: node webchat.mjs /path/to/guichet
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { check, guichetBinary, here, launch, run, startGuichet } from "./lib.mjs";

// The package's "exports" hide its files: take the UMD bundle from node_modules directly.
const webchatBundle = path.join(here, "node_modules/botframework-webchat/dist/webchat.js");

function staticServer() {
  const files = {
    "/": ["text/html", readFileSync(path.join(here, "webchat-page/index.html"))],
    "/start.js": ["text/javascript", readFileSync(path.join(here, "webchat-page/start.js"))],
    "/webchat.js": ["text/javascript", readFileSync(webchatBundle)],
  };
  const srv = createServer((req, res) => {
    const f = files[new URL(req.url, "http://x").pathname];
    if (!f) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "Content-Type": f[0] });
    res.end(f[1]);
  });
  return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve(srv)));
}

run(async () => {
  const secret = "webchat-test-secret";
  const server = await startGuichet(bin(), { env: { GUICHET_DIRECTLINE_SECRET: secret, GUICHET_WEB_CORS_ORIGINS: "*" } });
  const gen = await fetch(server.url + "/v3/directline/tokens/generate", { method: "POST", headers: { Authorization: "Bearer " + secret } });
  check(gen.status === 200, "tokens/generate with the secret gives a token");
  const { token } = await gen.json();

  const pages = await staticServer();
  const origin = "http://127.0.0.1:" + pages.address().port;
  const context = await launch();
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(origin + "/?domain=" + encodeURIComponent(server.url + "/v3/directline") + "&token=" + encodeURIComponent(token));

  const box = page.locator(".webchat__send-box-text-box__input");
  await box.waitFor({ timeout: 30000 });
  await page.getByText("assistant automatique de la mairie", { exact: false }).first().waitFor({ timeout: 20000 });
  check(true, "Web Chat: the conversation opens with the greeting (an automated assistant answers)");
  await box.fill("horaires de la mairie samedi");
  await box.press("Enter");
  await page.getByText("le samedi de 9 h à 12 h", { exact: false }).first().waitFor({ timeout: 20000 });
  check(true, "Web Chat: a message round trip through our Direct Line");

  const button = page.locator("button.webchat__suggested-actions__button", { hasText: "Coordonnées de la mairie" });
  await button.waitFor({ timeout: 10000 });
  await button.click();
  await page.getByText("02 38 00 00 00", { exact: false }).first().waitFor({ timeout: 20000 });
  check(true, "Web Chat: a suggested-action button gets its answer");
  // Web Chat marks a message whose echo never came as failed after 20 s; ours came at once.
  const failed = await page.getByText(/Send failed|Échec de l'envoi/i).count();
  check(failed === 0, "Web Chat sees its own messages echoed (none marked as failed)");
  check(errors.length === 0, "no script error in the page" + (errors.length ? ": " + errors[0] : ""));
  pages.close();
});

function bin() { return guichetBinary(); }
