// Microsoft's botframework-directlinejs (npm, unmodified) in node, with the ws and xhr2
// polyfills its README asks for, started with {domain, secret, webSocket: true} against
// guichet: a message round trip over the WebSocket stream, then a suggested action.
// Usage: node directlinejs.mjs /path/to/guichet
import { createRequire } from "node:module";
import { check, guichetBinary, run, startGuichet } from "./lib.mjs";

const require = createRequire(import.meta.url);
global.XMLHttpRequest = require("xhr2");
global.WebSocket = require("ws");
const { DirectLine, ConnectionStatus } = require("botframework-directlinejs");

function next(dl, predicate, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { sub.unsubscribe(); reject(new Error("timed out waiting for " + what)); }, 20000);
    const sub = dl.activity$.subscribe((a) => {
      if (predicate(a)) { clearTimeout(timer); sub.unsubscribe(); resolve(a); }
    });
  });
}

function post(dl, activity) {
  return new Promise((resolve, reject) => dl.postActivity(activity).subscribe(resolve, reject));
}

run(async () => {
  const secret = "dljs-test-secret";
  const server = await startGuichet(guichetBinary(), { env: { GUICHET_DIRECTLINE_SECRET: secret } });
  const dl = new DirectLine({ domain: server.url + "/v3/directline", secret, webSocket: true });
  const online = new Promise((resolve) => dl.connectionStatus$.subscribe((s) => { if (s === ConnectionStatus.Online) resolve(); }));
  const from = { id: "citizen-1", name: "Citoyen" };
  const answer = next(dl, (a) => a.from.role === "bot" && /samedi/.test(a.text || ""), "the answer");
  const echo = next(dl, (a) => a.from.id === "citizen-1" && a.text === "horaires de la mairie samedi", "the echo");
  const id = await post(dl, { type: "message", from, locale: "fr-FR", text: "horaires de la mairie samedi" });
  await online;
  check(typeof id === "string" && id.length > 0, "postActivity returns the activity id " + id);
  check((await echo).id === id, "our own activity comes back on the stream with its id");
  const a = await answer;
  check(/samedi de 9 h/.test(a.text), "the bot answers over the WebSocket stream: " + a.text);
  const action = a.suggestedActions && a.suggestedActions.actions.find((x) => x.title === "Coordonnées de la mairie");
  check(!!action, "the answer carries its buttons as suggested actions");
  const contact = next(dl, (x) => x.from.role === "bot" && /02 38/.test(x.text || ""), "the button's answer");
  await post(dl, { type: "message", from, text: action.text, value: action.value });
  check(/02 38 00 00 00/.test((await contact).text), "a suggested action gets its answer");
  dl.end();
});
