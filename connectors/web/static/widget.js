/* guichet — the town hall's chat widget. One <script src=".../widget.js" defer></script> tag
 * adds a labelled launcher button and a chat panel (RGAA 4.1 / WCAG 2.1 AA: role="log"
 * transcript, keyboard only, focus handled). Plain JS, no framework; every text from users
 * and from the knowledge base is inserted as text (textContent), never as HTML.
 * Options on the tag: data-lang="fr|en", data-open="true", data-privacy="URL of the town's page on
 * personal data" (linked from the greeting). The greeting says an automated assistant answers (EU AI
 * Act art. 50) and asks not to write health or bank details (CNIL's advice for chatbots); "Recommencer"
 * forgets the conversation on this device (a library's or a family's shared computer). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__guichetWidget) return;
  window.__guichetWidget = true;
  var base = new URL(script.src, location.href).origin;
  var lang = (script.getAttribute("data-lang") || document.documentElement.lang || "fr").slice(0, 2);
  var talked = "";  // the language of the bot's last answer
  if (lang !== "en") lang = "fr";
  // Every text in both languages: the widget's own in the page's, and the words a screen reader
  // says inside an answer in the answer's (an English answer on a French page).
  var TEXTS = {
    fr: {
      launcher: "Poser une question à la mairie", title: "Assistant de la mairie",
      close: "Fermer la discussion", input: "Votre message", send: "Envoyer",
      locate: "Partager ma position", you: "Vous : ", bot: "La mairie : ", agent: "Agent de la mairie",
      agentNamed: "{name}, agent de la mairie",
      writing: "La mairie écrit…", offline: "Connexion perdue, nouvelle tentative…",
      error: "Le message n'a pas pu être envoyé. Réessayez.", located: "Position partagée",
      tooMany: "Trop de messages d'affilée. Réessayez dans {n} s.", tooLong: "Ce message est trop long : raccourcissez-le.",
      kept: " Votre texte est remis dans le champ de saisie.", notSent: "Non envoyé",
      cut: "Votre message est limité à 1 000 caractères : la suite n'a pas été prise. Envoyez-la dans un second message.",
      noGeo: "Votre position n'est pas disponible.", map: "Voir sur la carte", of: " : ",
      open: "Ouvrir : ", newWindow: " (nouvelle fenêtre)",
      useful: "Réponse utile ?", yes: "Oui", no: "Non", thanks: "Merci pour votre avis.",
      restart: "Recommencer", restartHint: " (efface la discussion de cet appareil)",
      restarted: "Nouvelle discussion. L'ancienne n'est plus affichée sur cet appareil.",
      choices: "Choix : ",
      hello: "Bonjour ! Je suis l'assistant automatique de la mairie. Posez votre question : horaires, " +
        "démarches, déchets, signalements… N'écrivez pas d'informations sur votre santé ni de coordonnées bancaires.",
      privacy: "Vos données personnelles"
    },
    en: {
      launcher: "Ask the town hall a question", title: "Town hall assistant",
      close: "Close the chat", input: "Your message", send: "Send",
      locate: "Share my location", you: "You: ", bot: "Town hall: ", agent: "Town hall staff",
      agentNamed: "{name}, town hall staff",
      writing: "The town hall is typing…", offline: "Connection lost, trying again…",
      error: "The message could not be sent. Please try again.", located: "Location shared",
      tooMany: "Too many messages in a row. Please try again in {n} s.", tooLong: "This message is too long: please shorten it.",
      kept: " Your text is back in the message box.", notSent: "Not sent",
      cut: "Your message is limited to 1,000 characters: the rest was not taken. Send it in a second message.",
      noGeo: "Your location is not available.", map: "View on the map", of: ": ",
      open: "Open: ", newWindow: " (new window)",
      useful: "Was this useful?", yes: "Yes", no: "No", thanks: "Thank you for your feedback.",
      restart: "Start over", restartHint: " (clears the chat from this device)",
      restarted: "New chat. The previous one is no longer shown on this device.",
      choices: "Choices: ",
      hello: "Hello! I am the town hall's automated assistant. Ask your question: opening hours, " +
        "procedures, waste, reports… Please do not write details about your health or your bank.",
      privacy: "Your personal data"
    }
  };
  var T = TEXTS[lang];

  var storeKey = "guichet:" + base;
  var conv = null; // {conversation, token, expires}
  var seen = {};   // entry ids already shown
  var sent = {};   // client ids of messages shown locally
  var lastId = 0;
  var ws = null, retry = 0, started = false;
  var generation = 0; // bumped by "Recommencer": what belongs to the old conversation stops

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  var css = el("link", { rel: "stylesheet", href: base + "/widget.css" });
  document.head.appendChild(css);
  var root = el("div", { class: "guichet", lang: lang });
  var launcher = el("button", { type: "button", class: "guichet-launcher", "aria-expanded": "false",
                               "aria-controls": "guichet-panel" }, T.launcher);
  var panel = el("section", { id: "guichet-panel", class: "guichet-panel", role: "dialog", "aria-labelledby": "guichet-title" });
  var small = window.matchMedia("(max-width: 599px), (max-height: 499px)");  // the panel covers the page (widget.css)
  panel.hidden = true;
  var header = el("div", { class: "guichet-header" });
  var title = el("h2", { id: "guichet-title" }, T.title);
  var closeBtn = el("button", { type: "button", class: "guichet-close", "aria-label": T.close }, "×");
  var restartBtn = el("button", { type: "button", class: "guichet-restart" }, T.restart);
  restartBtn.appendChild(el("span", { class: "guichet-sr" }, T.restartHint));
  var tools = el("div", { class: "guichet-tools" });
  tools.appendChild(restartBtn); tools.appendChild(closeBtn);
  header.appendChild(title); header.appendChild(tools);
  var log = el("div", { class: "guichet-log", role: "log", "aria-labelledby": "guichet-title", tabindex: "0" });
  var status = el("p", { class: "guichet-status", role: "status" });
  var form = el("form", { class: "guichet-form" });
  // On a phone the label is visually hidden (the field's placeholder and title say it) and
  // "Partager ma position" is a pin beside the field: the transcript keeps most of the height,
  // also with the keyboard open.
  var label = el("label", { for: "guichet-input", class: "guichet-label" }, T.input);
  var input = el("input", { id: "guichet-input", type: "text", autocomplete: "off", maxlength: "1000",
                            placeholder: T.input, title: T.input });
  var sendBtn = el("button", { type: "submit", class: "guichet-send" }, T.send);
  var locateBtn = el("button", { type: "button", class: "guichet-locate", title: T.locate });
  var svg = "http://www.w3.org/2000/svg";
  var pin = document.createElementNS(svg, "svg");
  [["viewBox", "0 0 24 24"], ["width", "22"], ["height", "22"], ["aria-hidden", "true"], ["focusable", "false"]]
    .forEach(function (a) { pin.setAttribute(a[0], a[1]); });
  var pinPath = document.createElementNS(svg, "path");
  pinPath.setAttribute("fill", "currentColor");
  pinPath.setAttribute("d", "M12 2a7 7 0 0 0-7 7c0 5.3 7 13 7 13s7-7.7 7-13a7 7 0 0 0-7-7zm0 9.6a2.6 2.6 0 1 1 0-5.2 2.6 2.6 0 0 1 0 5.2z");
  pin.appendChild(pinPath);
  locateBtn.appendChild(pin); locateBtn.appendChild(el("span", { class: "guichet-sr" }, T.locate));
  form.appendChild(label); form.appendChild(input); form.appendChild(locateBtn); form.appendChild(sendBtn);
  // "Réponse utile ? [Oui] [Non]" for the latest answer (words, not emoji: they need no font
  // and say what they mean), under the transcript rather than in it: the transcript is a live
  // region, and buttons inside it were read out after every answer.
  var feedback = el("div", { class: "guichet-feedback", role: "group", "aria-labelledby": "guichet-ask" });
  feedback.appendChild(el("span", { id: "guichet-ask", class: "guichet-ask" }, T.useful));
  feedback.hidden = true;
  panel.appendChild(header); panel.appendChild(log); panel.appendChild(feedback); panel.appendChild(status);
  panel.appendChild(form);
  root.appendChild(launcher); root.appendChild(panel);
  document.body.appendChild(root);

  function scrollDown() { log.scrollTop = log.scrollHeight; }
  // A transcript read to its end stays at its end when it gets shorter (a phone's keyboard
  // opening): the last answer stays in sight.
  var atEnd = true;
  log.addEventListener("scroll", function () { atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 2; });
  if (window.ResizeObserver) new ResizeObserver(function () { if (atEnd) scrollDown(); }).observe(log);

  function safeUrl(u) {
    try { var x = new URL(u); return x.protocol === "https:" || x.protocol === "http:" ? x.href : null; }
    catch (e) { return null; }
  }

  // `L`: the texts in the language of the answer the link is in (the page's by default).
  function link(href, text, L) {
    var a = el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, text);
    a.appendChild(el("span", { class: "guichet-sr" }, (L || T).newWindow));
    return a;
  }

  // The citizen's words in the conversation's language (read with its voice): the language of
  // the answers so far, then the one the server reports for this message's answer. `own`: the
  // widget's own words ("Position partagée"), in the page's language.
  var unanswered = [];  // the citizen's bubbles whose answer has not come yet
  function showUser(text, own) {
    var m = el("div", { class: "guichet-msg guichet-user", lang: own ? lang : talked || lang });
    if (!own) unanswered.push(m);
    m.appendChild(el("span", { class: "guichet-sr" }, T.you));
    m.appendChild(el("span", null, text));
    log.appendChild(m); scrollDown();
    return m;
  }

  // An answer's text; its lines that start with "• " (a week of opening hours) as a list, which
  // a screen reader announces and lets one move through item by item.
  // `links`: addresses the text gives that are its cards' links (an FAQ answer's source): each
  // is a link named by its site ("service-public.fr"), not a long address read out letter by
  // letter, and not a card repeating it below.
  function textOf(text, links, L) {
    var box = el("div", { class: "guichet-text" });
    var list = null, plain = [];
    var linked = function (tag, s) {
      var e = el(tag);
      while (s) {
        var at = -1, hit = null;
        links.forEach(function (u) { var i = s.indexOf(u); if (i >= 0 && (at < 0 || i < at)) { at = i; hit = u; } });
        if (!hit) { e.appendChild(document.createTextNode(s)); break; }
        e.appendChild(document.createTextNode(s.slice(0, at)));
        var u = new URL(hit);
        e.appendChild(link(u.href, u.hostname.replace(/^www\./, ""), L));
        s = s.slice(at + hit.length);
      }
      return e;
    };
    var flush = function () { if (plain.length) { box.appendChild(linked("span", plain.join("\n"))); plain = []; } };
    text.split("\n").forEach(function (line) {
      if (line.indexOf("• ") === 0) {
        flush();
        if (!list) { list = el("ul", { class: "guichet-list" }); box.appendChild(list); }
        list.appendChild(linked("li", line.slice(2)));
      } else {
        list = null;
        plain.push(line);
      }
    });
    flush();
    return box;
  }

  // agent: a person's reply, `author` the name they chose to show ("" none). Made whole before
  // it goes into the transcript, a live region: each insertion there is read out.
  function replyOf(r, agent, locale, author) {
    var m = el("div", { class: "guichet-msg guichet-bot" + (agent ? " guichet-agent" : "") });
    // An answer in the other language is read with that language's voice, its words for the
    // screen reader ("Town hall: ", "(new window)") too.
    var L = T;
    if (locale && locale !== lang && /^(fr|en)$/.test(locale)) { m.setAttribute("lang", locale); L = TEXTS[locale]; }
    // A person of the town hall, not the assistant: said for everyone to see.
    if (agent) m.appendChild(el("p", { class: "guichet-from" }, author ? L.agentNamed.replace("{name}", function () { return author; }) : L.agent));
    else m.appendChild(el("span", { class: "guichet-sr" }, L.bot));
    // A place is said once: its card holds its map link (a card's own link to the same map is
    // not repeated), and an address the text already gives is not written again under it.
    // A card whose link names the place keeps its title on screen but not for screen readers
    // (the text, the title and the link said the name three times); the link keeps the name.
    var text = r.text || "";
    var given = (r.cards || []).filter(function (c) { return c.url && text.indexOf(c.url) >= 0 && safeUrl(c.url); });
    m.appendChild(textOf(text, given.map(function (c) { return c.url; }), L));
    var cards = {};
    var named = function (card) { card.firstChild.setAttribute("aria-hidden", "true"); };
    (r.cards || []).forEach(function (c) {
      if (given.indexOf(c) >= 0) return;  // the text's link
      var card = el("div", { class: "guichet-card" });
      card.appendChild(el("p", { class: "guichet-card-title" }, c.title));
      if (c.subtitle && text.indexOf(c.subtitle) < 0) card.appendChild(el("p", null, c.subtitle));
      var u = c.url && safeUrl(c.url);
      var located = (r.locations || []).some(function (p) { return p.title === c.title; });
      if (u && !(located && /(^|\.)openstreetmap\.org$/.test(new URL(u).hostname))) {
        card.appendChild(link(u, L.open + c.title, L));
        named(card);
      }
      cards[c.title] = card;
      m.appendChild(card);
    });
    (r.locations || []).forEach(function (p) {
      var u = "https://www.openstreetmap.org/?mlat=" + p.lat + "&mlon=" + p.lon + "#map=17/" + p.lat + "/" + p.lon;
      // In a card, "Voir sur la carte" on screen (the card's title is above it) and the place's
      // name in the link's accessible name, so that a list of links stays explicit.
      var card = cards[p.title];
      var a = link(u, L.map, L);
      a.insertBefore(el("span", card ? { class: "guichet-sr" } : null, L.of + p.title), a.lastChild);
      // (Chromium puts a space around a hidden span when it makes the link's name: "View on
      // the map : Colette" in English.)
      if (card) a.setAttribute("aria-label", L.map + L.of + p.title + L.newWindow);
      a.className = "guichet-map";
      if (card) { card.appendChild(a); named(card); }
      else m.appendChild(a);
    });
    if (r.buttons && r.buttons.length) {
      // (Said apart from the answer: "…pour vous ? Choix : Horaires d'ouverture, …".)
      m.appendChild(el("span", { class: "guichet-sr" }, " " + L.choices));
      var group = el("div", { class: "guichet-buttons" });
      r.buttons.forEach(function (b) {
        var btn = el("button", { type: "button", class: "guichet-choice" }, b.title);
        // The title goes with the payload: the history shows what was pressed, not "@smalltalk…".
        // A tap on a phone leaves the focus in the transcript: the field's focus opened the
        // keyboard at every choice, and the answer shrank to a strip (keyboard: the field).
        btn.addEventListener("click", function (ev) {
          send({ payload: b.payload, title: b.title }, b.title);
          if (ev.pointerType === "touch") log.focus(); else input.focus();
        });
        group.appendChild(btn);
      });
      m.appendChild(group);
    }
    return m;
  }
  function showReply(r, agent, locale, author) {
    var m = replyOf(r, agent, locale, author);
    log.appendChild(m); scrollDown();
    return m;
  }

  // Only the latest answer's choices can be pressed (44 Tab presses crossed 50 messages, and a
  // stale choice answered a question no longer asked): older ones stay readable, disabled, for
  // the keyboard and the mouse alike, whether the new answer has choices or not.
  function retireChoices() {
    log.querySelectorAll(".guichet-choice:not([disabled])").forEach(function (b) {
      if (document.activeElement === b) input.focus();
      b.disabled = true;
    });
  }

  // The greeting heads the transcript, a new one or one restored after a reload (its notice
  // about health and bank details stays in sight). Inserted once, whole: it was appended, its
  // privacy link added, then moved to the top, and read out more than once.
  var greeted = false;
  function greet() {
    greeted = true;
    var m = replyOf({ text: T.hello });
    var u = script.getAttribute("data-privacy");
    u = u && safeUrl(new URL(u, location.href).href);
    if (u) { var p = el("p"); p.appendChild(link(u, T.privacy)); m.appendChild(p); }
    log.insertBefore(m, log.firstChild);
    scrollDown();
  }

  // One vote per answer, aria-pressed tells which; a new answer asks again.
  var feedbackEntry = 0, voted = false;
  var votes = [[true, T.yes], [false, T.no]].map(function (v) {
    var b = el("button", { type: "button", class: "guichet-vote", "aria-pressed": "false" }, v[1]);
    b.addEventListener("click", function () {
      var entry = feedbackEntry;
      if (voted || !conv || !entry) return;
      voted = true;
      b.setAttribute("aria-pressed", "true");
      api("POST", "/api/v1/messages/" + encodeURIComponent(conv.conversation) + "/feedback", { entry: entry, useful: v[0] })
        .then(function () { status.textContent = T.thanks; },
              function (err) { if (err.status !== 409 && entry === feedbackEntry) { voted = false; b.setAttribute("aria-pressed", "false"); } });
    });
    feedback.appendChild(b);
    return b;
  });
  function askFeedback(entryId) {
    feedbackEntry = entryId; voted = false;
    votes.forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    feedback.hidden = !entryId;
  }

  function showEntry(e) {
    if (e.id && seen[e.id]) return;
    if (e.id) { seen[e.id] = true; lastId = Math.max(lastId, e.id); }
    if (e.from === "user") {
      if (e.client_id && sent[e.client_id]) return;
      showUser(e.text || e.title || (e.location ? T.located : e.payload || ""), !e.text && !e.title && !!e.location);
      return;
    }
    if (/^(fr|en)$/.test(e.locale || "")) unanswered.splice(0).forEach(function (b) { b.setAttribute("lang", e.locale); });
    status.textContent = "";
    if ((e.replies || []).length) retireChoices();
    var last = null;
    (e.replies || []).forEach(function (r) { last = showReply(r, e.from === "agent", e.locale, e.author); });
    if (e.from !== "agent" && /^(fr|en)$/.test(e.locale || "")) talked = e.locale;
    // "Réponse utile ?" rates the bot's answer: an agent's reply takes it away (a vote under
    // it rated the bot's message before, and read as rating the agent).
    // Nor is a question the bot asks (the e-mail address an agent may answer at) an answer.
    if (last && e.id) askFeedback(e.from !== "agent" && !e.asks ? e.id : 0);
    scrollDown();
  }

  function api(method, path, body) {
    var headers = { "Content-Type": "application/json" };
    if (conv && conv.token) headers.Authorization = "Bearer " + conv.token;
    return fetch(base + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined })
      .then(function (r) {
        return r.json().then(function (j) {
          if (!r.ok) throw Object.assign(new Error(r.status), { status: r.status, body: j, retry: r.headers.get("Retry-After") });
          return j;
        });
      });
  }

  var renewal = null;  // the timer that renews the token before it expires
  function save(j, gen) {
    if (gen !== generation) throw new Error("forgotten");  // "Recommencer" was pressed meanwhile
    conv = { conversation: j.conversation, token: j.token, expires: Date.now() + j.expires_in * 1000 };
    try { localStorage.setItem(storeKey, JSON.stringify(conv)); } catch (e) { /* private mode */ }
    // An open page keeps a valid token (a citizen waiting an hour for an agent, a phone asleep).
    clearTimeout(renewal);
    renewal = setTimeout(function () {
      if (gen === generation) ensureConversation().catch(function () { /* renewed at reconnection */ });
    }, Math.max(10000, j.expires_in * 1000 - 120000));
  }

  // Keeps the conversation across page loads: renews the stored token (the server renews an
  // expired one for a day), else starts anew. Only a refusal starts anew: a network failure
  // keeps the conversation for the next attempt.
  function ensureConversation() {
    try { conv = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { conv = null; }
    var gen = generation;
    var keep = function (j) { save(j, gen); };
    var fresh = function () { conv = null; return api("POST", "/api/v1/conversations").then(keep).then(function () { return true; }); };
    if (!conv || !conv.token) return fresh();
    var kept = conv;
    return api("POST", "/api/v1/conversations/" + encodeURIComponent(conv.conversation) + "/token")
      .then(keep).then(function () { return false; }, function (err) {
        if (gen !== generation) return Promise.reject(err);
        if (err && (err.status === 401 || err.status === 403 || err.status === 404)) return fresh();
        conv = kept;
        throw err;
      });
  }

  function catchUp() {
    return api("GET", "/api/v1/conversations/" + encodeURIComponent(conv.conversation) + "/messages?after=" + lastId)
      .then(function (j) { j.messages.forEach(showEntry); });
  }

  // A token valid for a while yet: an expired one is renewed first.
  function valid() {
    return conv && conv.expires >= Date.now() + 30000 ? Promise.resolve() : ensureConversation();
  }

  // Without the socket (a proxy that lets no WebSocket through, a dropped connection) the
  // transcript is asked for every few seconds, less often while nothing comes (3 s to 20 s),
  // not while the panel is closed (opening it asks at once), until the socket is back: an
  // agent's reply came only with the socket. "Connexion perdue" only when this fails too.
  var poller = null, idle = 0;
  function poll(gen, wait) {
    clearTimeout(poller);
    poller = setTimeout(function () {
      poller = null;
      if (gen !== generation || !conv || panel.hidden || (ws && ws.readyState === 1)) return;
      var before = lastId;
      valid().then(catchUp).then(function () {
        if (status.textContent === T.offline) status.textContent = "";
        idle = lastId > before ? 0 : idle + 1;
      }, function () {
        if (status.textContent !== T.offline) status.textContent = T.offline;  // said once, not at each try
        idle++;
      }).then(function () { if (gen === generation && !(ws && ws.readyState === 1)) poll(gen); });
    }, wait != null ? wait : Math.min(20000, 3000 * Math.pow(2, idle)));
  }

  function connect() {
    if (!conv) return;  // forgotten ("Recommencer") while a reconnection waited
    var gen = generation;
    var url = base.replace(/^http/, "ws") + "/api/v1/ws?token=" + encodeURIComponent(conv.token);
    // (Refused at once by the browser, a page's policy: as a socket that does not open.)
    try { ws = new WebSocket(url); } catch (e) { ws = null; poll(gen, 0); reconnect(gen); return; }
    ws.onopen = function () {
      retry = 0; idle = 0;
      clearTimeout(poller); poller = null;
      if (status.textContent === T.offline) status.textContent = "";
      waiting.splice(0).forEach(function (deliver) { deliver(); });  // written while offline
      catchUp().catch(function () {});
    };
    ws.onmessage = function (ev) {
      var f; try { f = JSON.parse(ev.data); } catch (e) { return; }
      // A restarted server numbers its entries from 1 again (its memory was lost).
      if (f.type === "ready" && f.last < lastId) { seen = {}; lastId = f.last; }
      else if (f.type === "entry") showEntry(f.entry);
      else if (f.type === "error") notSent(f.client_id, f.error && f.error.code, f.error && f.error.retry_after);
      else if (f.type === "received") received();
    };
    ws.onclose = function () {
      if (gen !== generation) return;  // the conversation was forgotten ("Recommencer")
      ws = null;
      poll(gen, 0);  // says "Connexion perdue" when the server does not answer either
      reconnect(gen);
    };
  }

  // Tries again, later each time; an expired token is renewed first (a failed renewal, the
  // network still down, is tried again: the widget stayed "offline" for good).
  function reconnect(gen) {
    var wait = Math.min(30000, 1000 * Math.pow(2, retry++));
    setTimeout(function () {
      if (gen !== generation) return;
      valid().then(connect, function () { if (gen === generation) reconnect(gen); });
    }, wait);
  }

  function start() {
    if (started) return;
    started = true;
    var gen = generation;
    ensureConversation().then(function (isNew) {
      if (gen !== generation) return Promise.reject();
      // A conversation kept across page loads comes back without being read out again, entry
      // by entry (the whole history was announced); what arrives after it is.
      if (!isNew) log.setAttribute("aria-live", "off");
      if (!greeted) greet();
      waiting.splice(0).forEach(function (deliver) { deliver(); });
      return catchUp().then(function () { log.removeAttribute("aria-live"); },
                            function (err) { log.removeAttribute("aria-live"); throw err; });
    }).then(connect).catch(function () { if (gen === generation) { status.textContent = T.offline; started = false; } });
  }

  // A message refused or lost: say why, and give its text back when the box is empty, so
  // nothing typed is lost.
  function notSent(id, code, retryAfter) {
    var msg = T.error;
    if (code === 429) msg = T.tooMany.replace("{n}", Math.max(1, parseInt(retryAfter, 10) || 1));
    else if (code === 413) msg = T.tooLong;
    var mine = id && sent[id];
    if (mine && mine.text && !input.value) { input.value = mine.text; msg += T.kept; }
    // The bubble of a message that did not leave says so, in words (not by a colour alone).
    if (mine && mine.bubble && !mine.bubble.classList.contains("guichet-not-sent")) {
      mine.bubble.classList.add("guichet-not-sent");
      mine.bubble.appendChild(el("span", { class: "guichet-mark" }, T.notSent));
    }
    status.textContent = msg;
  }

  // Passed on to the agent who holds the conversation: no answer comes from the bot, so the
  // page stops saying the town hall is writing (the agent's reply comes when it comes).
  function received() { if (status.textContent === T.writing) status.textContent = ""; }

  var counter = 0;
  var waiting = [];  // messages written before the conversation exists (slow network): sent once it does
  function send(body, shown) {
    var id = "c" + Date.now().toString(36) + (counter++);
    body.client_id = id;
    body.locale_hint = lang;  // the page's language, for a text too short to tell its own
    sent[id] = { text: body.text, bubble: showUser(shown, !!body.location) };
    status.textContent = T.writing;
    idle = 0;
    if (poller) poll(generation);  // an answer, maybe an agent's, is awaited: asked for sooner
    var deliver = function () {
      if (ws && ws.readyState === 1) { ws.send(JSON.stringify(body)); return; }
      body.conversation = conv.conversation;
      // Refused or lost: not sent. Accepted, the answers come with the next catch-up even if
      // this one fails (the message itself did leave).
      api("POST", "/api/v1/messages", body).then(function (j) {
        if (j && !(j.replies || []).length) received();
        return catchUp().catch(function () {});
      },
                                                 function (err) { notSent(id, err.status, err.retry); });
    };
    if (conv) deliver(); else { waiting.push(deliver); start(); }
  }

  // Modal while it covers the page (a phone, 200 % zoom), not as a panel beside it: said again
  // when the window changes (a phone turned, a zoom, a resized window).
  function modality() { panel.setAttribute("aria-modal", small.matches ? "true" : "false"); }
  if (small.addEventListener) small.addEventListener("change", modality);
  else if (small.addListener) small.addListener(modality);  // (Safari before 14)
  function open() {
    panel.hidden = false;
    modality();
    launcher.setAttribute("aria-expanded", "true");
    if (started && !(ws && ws.readyState === 1)) { idle = 0; poll(generation, 0); }  // (stopped while closed)
    start();
    input.focus();
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }
  // Forgets the conversation on this device and starts a new one (the old one stays on the
  // server for the time the privacy notice says).
  function restart() {
    generation++;
    clearTimeout(renewal); clearTimeout(poller); poller = null; idle = 0;
    if (ws) { var old = ws; ws = null; old.close(); }
    try { localStorage.removeItem(storeKey); } catch (e) { /* private mode */ }
    conv = null; seen = {}; sent = {}; lastId = 0; retry = 0; started = false; waiting = []; greeted = false; talked = "";
    unanswered = [];
    while (log.firstChild) log.removeChild(log.firstChild);
    askFeedback(0);
    start();
    status.textContent = T.restarted;
    input.focus();
  }
  launcher.addEventListener("click", function () { panel.hidden ? open() : close(); });
  closeBtn.addEventListener("click", close);
  restartBtn.addEventListener("click", restart);
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.preventDefault(); close(); return; }
    // Full screen on a phone, the panel is a modal dialog: Tab stays inside it.
    if (e.key !== "Tab" || !small.matches) return;
    var all = [].filter.call(panel.querySelectorAll("button, input, a[href], [tabindex='0']"),
                             function (x) { return !x.disabled && x.offsetParent !== null; });
    if (!all.length) return;
    var first = all[0], lastOne = all[all.length - 1];
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); lastOne.focus(); }
    else if (!e.shiftKey && document.activeElement === lastOne) { e.preventDefault(); first.focus(); }
  });
  // A text pasted past the field's 1,000 characters is said cut, not sent cut in silence.
  input.addEventListener("input", function () {
    if (input.value.length >= 1000) status.textContent = T.cut;
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    // (Invisible characters alone, a zero-width space, are no message: one was sent empty.)
    var text = input.value.replace(/[\u200B-\u200D\u2060\uFEFF]/g, "").trim() ? input.value.trim() : "";
    if (!text) return;
    input.value = "";
    send({ text: text }, text);
  });
  locateBtn.addEventListener("click", function () {
    if (!navigator.geolocation) { status.textContent = T.noGeo; return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      // In the conversation's language (an English conversation on a French page got its
      // places in French).
      send({ location: { lat: p.coords.latitude, lon: p.coords.longitude }, locale: talked || lang }, T.located);
    }, function () { status.textContent = T.noGeo; }, { timeout: 10000 });
  });
  if (script.getAttribute("data-open") === "true") open();
})();
