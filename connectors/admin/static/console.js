/* guichet — the staff's admin console. Plain JS, no framework, no inline code (strict CSP).
 * Every text from the server is inserted with textContent. French first; English with
 * ?lang=en or when the browser prefers English. State-changing calls carry X-CSRF-Token. */
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var lang = params.get("lang") || ((navigator.language || "fr").slice(0, 2) === "en" ? "en" : "fr");
  if (lang !== "en") lang = "fr";
  var EN = {
    skip: "Skip to content", brand: "Town hall console", logout: "Sign out", title: "Town hall console",
    tab_figures: "Figures", tab_unanswered: "Unanswered questions", tab_alerts: "Alerts", tab_inbox: "Agents' inbox",
    tab_reports: "Reports", tab_accounts: "Accounts", login_title: "Sign in", name: "Name", password: "Password",
    login: "Sign in", period: "Period", per_day: "Per day", per_week: "Per week", messages: "Messages (all periods)",
    fallback_rate: "Rate of questions not understood", counts_caption: "Questions per period, intent, channel and language",
    col_period: "Period", col_intent: "Intent", col_channel: "Channel", col_lang: "Language", col_count: "Count",
    feedback_caption: "Citizens' ratings of the answers", col_useful: "Useful", col_not_useful: "Not useful",
    col_useful_rate: "Useful rate",
    unanswered_help: "Questions that fell to \"I did not understand\" or were understood with low confidence, grouped by similarity. Add one as an example of an intent: the file is changed, tested, then put online.",
    alerts_caption: "Alerts shown first in the answers", col_id: "Id", col_message: "Message", col_from: "From",
    col_until: "Until", col_actions: "Actions", alert_form: "Add or edit an alert", msg_fr: "Message in French",
    msg_en: "Message in English", from_help: "From (YYYY-MM-DD HH:MM)", until_help: "Until (YYYY-MM-DD HH:MM)",
    intents_help: "Intents (comma-separated, empty = all)", places_help: "Places (ids, comma-separated)",
    categories_help: "Categories (comma-separated)", save: "Save", queue: "Queue", conversation: "Conversation",
    reply: "Reply", send: "Send", release: "Hand back to the bot", filter_status: "Status", all: "All", open: "Open",
    closed: "Closed", reports_caption: "Citizens' reports", col_ticket: "Ticket", col_description: "Description",
    col_date: "Date", col_category: "Category", col_address: "Place", map: "Map", map_of: "Map of report {0} (new window)",
    col_status: "Status", accounts_caption: "Staff accounts", role: "Role", add_account: "Add an account",
    role_editor: "Editor", role_agent: "Agent", role_admin: "Admin", password_min: "Password (at least 10 characters)",
    add: "Add", nav: "Console sections",
    signed_in: "Signed in as {0} ({1})", wrong: "Wrong name or password.", too_many: "Too many attempts: wait {0} s.",
    add_as: "Add as an example of the intent", add_btn: "Add as an example", choose_intent: "— choose an intent —", intent_needed: "Choose the intent this question belongs to first.", asked: "{0} times",
    other_wordings: "Other wordings: ", added: "Example added to {0}. Testing and putting online…",
    online: "The new version is online.", rejected: "The change was refused by the tests and the example taken back out of the file: ",
    edit: "Edit", end: "End now", ended: "Alert {0} ended.", saved: "Alert {0} saved.", none: "Nothing for now.",
    take: "Open", set_open: "Reopen", set_closed: "Close", note: "Note for the citizen", status_changed: "Report {0}: {1}.",
    remove: "Remove", removed: "Account {0} removed.", account_added: "Account {0} added.", sent: "Reply sent.", take_over: "Another agent is answering this conversation. Take it over?",
    kind_queue: "live chat", kind_callback: "call back", kind_email: "answer by e-mail", state_waiting: "waiting",
    state_active: "taken by {0}", from_in: "Citizen", from_out: "Bot", from_agent: "Agent",
    released: "Conversation handed back to the bot.", error: "Error: ",
    set_closed_n: "Close report {0}", set_open_n: "Reopen report {0}", arrived: "New request waiting: {0}", expired: "Your session has expired: please sign in again.", left_queue: "Request {0} has left the queue.", lang_switch: "Français"
  };
  function t(key, a, b) {
    var s = lang === "en" ? EN[key] : (FR[key] || key);
    return (s || key).replace("{0}", a == null ? "" : a).replace("{1}", b == null ? "" : b);
  }
  var FR = {
    signed_in: "Connecté·e : {0} ({1})", wrong: "Nom ou mot de passe incorrect.", too_many: "Trop d'essais : patientez {0} s.",
    add_as: "Ajouter comme exemple de l'intention", add_btn: "Ajouter comme exemple", choose_intent: "— choisir une intention —", intent_needed: "Choisissez d'abord l'intention à laquelle cette question appartient.", asked: "{0} fois",
    other_wordings: "Autres formulations : ", added: "Exemple ajouté à {0}. Test puis mise en ligne…",
    online: "La nouvelle version est en ligne.", rejected: "La modification a été refusée par les tests et l'exemple retiré du fichier : ",
    edit: "Modifier", end: "Terminer maintenant", ended: "Alerte {0} terminée.", saved: "Alerte {0} enregistrée.",
    none: "Rien pour le moment.", take: "Ouvrir", set_open: "Rouvrir", set_closed: "Fermer", open: "Ouvert",
    closed: "Fermé",
    note: "Note pour l'habitant", status_changed: "Signalement {0} : {1}.", remove: "Supprimer",
    removed: "Compte {0} supprimé.", account_added: "Compte {0} ajouté.", sent: "Réponse envoyée.", take_over: "Un autre agent répond à cette conversation. La reprendre ?",
    kind_queue: "discussion", kind_callback: "à rappeler", kind_email: "réponse par e-mail", state_waiting: "en attente",
    state_active: "prise par {0}", from_in: "Habitant·e", from_out: "Bot", from_agent: "Agent",
    map: "Carte", map_of: "Carte du signalement {0} (nouvelle fenêtre)",
    title: "Console de la mairie", set_closed_n: "Fermer le signalement {0}", set_open_n: "Rouvrir le signalement {0}",
    arrived: "Nouvelle demande en attente : {0}", expired: "Votre session a expiré : reconnectez-vous.", left_queue: "La demande {0} a quitté la file d'attente.",
    released: "Conversation rendue au bot.", error: "Erreur : ", nav: "Sections de la console", lang_switch: "English",
    role_editor: "Rédaction", role_agent: "Agent", role_admin: "Administration"
  };

  var $ = function (id) { return document.getElementById(id); };
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function say(text) { $("status").textContent = text; }

  // Language: texts of the page, the <html lang>, the switch link.
  document.documentElement.lang = lang;
  if (lang === "en") {
    document.querySelectorAll("[data-i18n]").forEach(function (e) { var k = e.getAttribute("data-i18n"); if (EN[k]) e.textContent = EN[k]; });
    document.title = "Town hall console — guichet";
  }
  $("nav").setAttribute("aria-label", t("nav"));
  var sw = $("lang-switch");
  sw.textContent = t("lang_switch");
  sw.setAttribute("href", "?lang=" + (lang === "en" ? "fr" : "en"));
  sw.setAttribute("lang", lang === "en" ? "fr" : "en");
  sw.setAttribute("hreflang", lang === "en" ? "fr" : "en");

  var me = null;
  function api(method, path, body, polled) {
    var headers = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (polled) headers["X-Guichet-Poll"] = "1";  // a refresh: the session's idle time goes on
    if (method !== "GET" && me) headers["X-CSRF-Token"] = me.csrf;
    return fetch("/admin/api/" + path, { method: method, headers: headers, credentials: "same-origin",
                                         body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (r.status === 401 && path !== "login" && path !== "me" && $("login").hidden) { showLogin(); say(t("expired")); }
          if (!r.ok) { var e = new Error((j.error && j.error.message) || String(r.status)); e.status = r.status; e.body = j; e.retry = r.headers.get("Retry-After"); throw e; }
          return j;
        });
      });
  }
  function fail(e) { say(t("error") + e.message); }

  function allowed(role) { return me && (me.role === "admin" || me.role === role); }

  function showLogin() {
    me = null;
    if (timer) { clearInterval(timer); timer = null; }  // no refresh behind the login form
    document.querySelectorAll("section.tab").forEach(function (s) { s.hidden = true; });
    $("nav").hidden = true; $("logout").hidden = true; $("who").textContent = "";
    $("login").hidden = false;
    $("login-name").focus();
  }

  function signedIn(j) {
    me = j;
    $("login").hidden = true; $("nav").hidden = false; $("logout").hidden = false;
    $("who").textContent = t("signed_in", j.name, t("role_" + j.role));
    document.querySelectorAll("#nav li").forEach(function (li) { li.hidden = !allowed(li.getAttribute("data-role")); });
    var first = (location.hash || "").slice(1);
    var tabs = ["figures", "unanswered", "alerts", "inbox", "reports", "accounts"];
    var roleOf = { figures: "editor", unanswered: "editor", alerts: "editor", inbox: "agent", reports: "agent", accounts: "admin" };
    if (tabs.indexOf(first) < 0 || !allowed(roleOf[first])) first = allowed("editor") ? "figures" : "inbox";
    show(first, true);  // (the login form gone, focus would fall to the page)
  }

  var current = null, timer = null;
  var loaders = {};
  function show(tab, focus) {
    current = tab;
    document.querySelectorAll("section.tab").forEach(function (s) { s.hidden = s.id !== tab; });
    document.querySelectorAll("#nav a").forEach(function (a) {
      if (a.getAttribute("data-tab") === tab) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    if (history.replaceState) history.replaceState(null, "", location.search + "#" + tab);
    if (focus) $(tab + "-h").focus();
    // The window's title names the section (it said the console's name on every one).
    document.title = $(tab + "-h").textContent + " — " + t("title");
    shownQueue = "";  // drawn anew (its language may have changed)
    if (timer) clearInterval(timer);
    timer = null;
    loaders[tab]().catch(fail);
    if (tab === "inbox") timer = setInterval(function () { loaders.inbox(true).catch(function () {}); }, 3000);
  }
  document.querySelectorAll("#nav a").forEach(function (a) {
    a.addEventListener("click", function (e) { e.preventDefault(); show(a.getAttribute("data-tab"), true); });
  });

  function cell(tr, text) { tr.appendChild(el("td", null, text)); }

  // --- figures ---
  loaders.figures = function () {
    return api("GET", "figures?period=" + $("period").value).then(function (j) {
      // From the durable counts (all periods kept), not only since the server started.
      var total = 0, fallbacks = 0;
      j.rows.forEach(function (r) { total += r.count; if (r.intent === "fallback") fallbacks += r.count; });
      $("fig-messages").textContent = String(total);
      var rate = total ? Math.round(1000 * fallbacks / total) / 10 : 0;
      $("fig-fallback-rate").textContent = rate.toLocaleString(lang) + " %";
      var tb = $("fig-table").querySelector("tbody"); tb.replaceChildren();
      j.rows.forEach(function (r) { var tr = el("tr"); [r.period, r.intent, r.channel, r.locale, String(r.count)].forEach(function (x) { cell(tr, x); }); tb.appendChild(tr); });
      var fb = $("fb-table").querySelector("tbody"); fb.replaceChildren();
      j.feedback.forEach(function (f) {
        var tr = el("tr");
        [f.intent, String(f.useful), String(f.not_useful), Math.round(100 * f.useful_rate) + " %"].forEach(function (x) { cell(tr, x); });
        fb.appendChild(tr);
      });
    });
  };
  $("period").addEventListener("change", function () { loaders.figures().catch(fail); });

  // --- unanswered questions → examples ---
  var intents = null;
  function waitForReload(before) {
    var tries = 0;
    var poll = function () {
      api("GET", "reload").then(function (st) {
        if (st.generation > before.generation) { $("reload-state").textContent = t("online"); return; }
        if (st.rejected > before.rejected) { $("reload-state").textContent = t("rejected") + (st.problems || []).join(" ; "); return; }
        if (++tries < 120) setTimeout(poll, 500);
      }).catch(fail);
    };
    poll();
  }
  loaders.unanswered = function () {
    var need = intents ? Promise.resolve() : api("GET", "intents").then(function (j) { intents = j.intents; });
    return need.then(function () { return api("GET", "unanswered"); }).then(function (j) {
      var ul = $("groups"); ul.replaceChildren();
      if (!j.groups.length) ul.appendChild(el("li", null, t("none")));
      j.groups.forEach(function (g, i) {
        var li = el("li", { class: "group" });
        var q = el("p", { class: "question" });
        q.appendChild(el("q", { lang: g.locale }, g.text));
        q.appendChild(document.createTextNode(" — " + t("asked", g.count) + " (" + g.locale + ")"));
        li.appendChild(q);
        if (g.examples.length) li.appendChild(el("p", null, t("other_wordings") + g.examples.join(" | ")));
        var id = "intent-" + i;
        var p = el("p");
        p.appendChild(el("label", { for: id }, t("add_as")));
        p.appendChild(document.createTextNode(" "));
        var sel = el("select", { id: id, "data-group": g.id });
        // Nothing chosen unless the engine suggests an intent: the first of the list (the
        // suicide prevention line, alphabetically) was chosen for every question.
        sel.appendChild(el("option", { value: "" }, t("choose_intent")));
        intents.filter(function (x) { return x.langs.indexOf(g.locale) >= 0; }).forEach(function (x) {
          var o = el("option", { value: x.name }, x.name + (x.description ? " — " + x.description : ""));
          if (x.name === g.suggested_intent) o.selected = true;
          sel.appendChild(o);
        });
        p.appendChild(sel);
        p.appendChild(document.createTextNode(" "));
        var btn = el("button", { type: "button", class: "add-example" }, t("add_btn"));
        btn.addEventListener("click", function () {
          if (!sel.value) { $("reload-state").textContent = t("intent_needed"); sel.focus(); return; }
          btn.disabled = true;
          api("GET", "reload").catch(function () { return { generation: 0, rejected: 0 }; }).then(function (before) {
            return api("POST", "examples", { intent: sel.value, locale: g.locale, text: g.text, group: g.id }).then(function (r) {
              $("reload-state").textContent = t("added", r.intent);
              waitForReload(before);
              return loaders.unanswered();
            });
          }).catch(function (e) { btn.disabled = false; fail(e); });
        });
        p.appendChild(btn);
        li.appendChild(p);
        ul.appendChild(li);
      });
    });
  };

  // --- alerts ---
  function fillAlert(a) {
    $("al-id").value = a.id; $("al-fr").value = a.message_fr; $("al-en").value = a.message_en;
    $("al-from").value = a.from; $("al-until").value = a.until;
    $("al-intents").value = a.intents.join(", "); $("al-places").value = a.places.join(", ");
    $("al-categories").value = a.categories.join(", ");
    $("al-fr").focus();
  }
  function showProblems(e) {
    var ul = $("alert-errors"); ul.replaceChildren();
    var list = (e.body && e.body.problems) || [e.message];
    list.forEach(function (p) { ul.appendChild(el("li", null, p)); });
  }
  loaders.alerts = function () {
    return api("GET", "alerts").then(function (j) {
      var tb = $("alerts-table").querySelector("tbody"); tb.replaceChildren();
      j.alerts.forEach(function (a) {
        var tr = el("tr");
        cell(tr, a.id); cell(tr, lang === "en" ? a.message_en : a.message_fr); cell(tr, a.from); cell(tr, a.until);
        var td = el("td");
        var edit = el("button", { type: "button", "aria-label": t("edit") + " " + a.id }, t("edit"));
        edit.addEventListener("click", function () { fillAlert(a); });
        var end = el("button", { type: "button", "aria-label": t("end") + " " + a.id }, t("end"));
        end.addEventListener("click", function () {
          api("POST", "alerts/" + encodeURIComponent(a.id) + "/end", {}).then(function () { say(t("ended", a.id)); return loaders.alerts(); }).catch(showProblems);
        });
        td.appendChild(edit); td.appendChild(document.createTextNode(" ")); td.appendChild(end);
        tr.appendChild(td); tb.appendChild(tr);
      });
    });
  };
  $("alert-form").addEventListener("submit", function (e) {
    e.preventDefault();
    $("alert-errors").replaceChildren();
    var a = { id: $("al-id").value.trim(), message_fr: $("al-fr").value.trim(), message_en: $("al-en").value.trim(),
              from: $("al-from").value.trim(), until: $("al-until").value.trim(), intents: $("al-intents").value,
              places: $("al-places").value, categories: $("al-categories").value };
    api("POST", "alerts", a).then(function () { say(t("saved", a.id)); return loaders.alerts(); }).catch(showProblems);
  });

  // --- inbox ---
  // The queue and the open conversation are refreshed every 3 s: drawn again only when they
  // changed, the focused button kept, and only new messages added to the transcript (a live
  // region: a screen reader reads them, not the whole conversation again).
  var ticket = null, shownQueue = "", queueDrawn = false, shown = { ticket: null, n: 0 };
  function showConversation(polled) {
    return api("GET", "inbox/handoffs/" + encodeURIComponent(ticket), undefined, polled).then(function (c) {
      $("conversation").hidden = false;
      $("conv-ticket").textContent = c.handoff.ticket;
      var ul = $("transcript"), region = $("transcript-log");
      // A conversation opened is drawn silently (it was all read out at once, over the focus
      // moving to the reply); the messages that arrive afterwards are announced.
      var opened = shown.ticket !== ticket || c.transcript.length < shown.n;
      if (opened) { ul.replaceChildren(); shown = { ticket: ticket, n: 0 }; region.setAttribute("aria-live", "off"); }
      c.transcript.slice(shown.n).forEach(function (m) {
        ul.appendChild(el("li", { class: "dir-" + m.direction }, t("from_" + m.direction) + " : " + m.text));
      });
      shown.n = c.transcript.length;
      if (opened) setTimeout(function () { region.setAttribute("aria-live", "polite"); }, 0);
    });
  }
  loaders.inbox = function (polled) {
    return api("GET", "inbox/queue", undefined, polled).then(function (q) {
      var ul = $("queue");
      var drawn = JSON.stringify(q.handoffs);
      if (drawn === shownQueue && ul.childNodes.length) return ticket ? showConversation(polled) : undefined;
      var first = !queueDrawn;  // (what is there at sign-in is not "new")
      queueDrawn = true;
      shownQueue = drawn;
      // The list is updated in place: the focused button stays the same element (it was made
      // again and focused again, so read out again at each change).
      var focused = document.activeElement && document.activeElement.getAttribute("data-ticket");
      var existing = {};
      ul.querySelectorAll("button.take").forEach(function (b) { existing[b.getAttribute("data-ticket")] = b; });
      var arrived = [];
      ul.querySelectorAll("li.none").forEach(function (li) { li.remove(); });
      q.handoffs.forEach(function (h) {
        var text = t("take") + " " + h.ticket + " — " + t("kind_" + h.kind) + " — " + t("state_" + h.state, h.agent) +
                   " — " + (h.locale || "fr").toUpperCase() + (h.contact ? " — " + h.contact : "");
        var b = existing[h.ticket];
        if (b) {
          if (b.textContent !== text) b.textContent = text;
          delete existing[h.ticket];
        } else {
          b = el("button", { type: "button", class: "take", "data-ticket": h.ticket }, text);
          b.addEventListener("click", function () { ticket = h.ticket; showConversation().then(function () { $("reply").focus(); }).catch(fail); });
          var li = el("li"); li.appendChild(b); ul.appendChild(li);
          if (!first && h.state === "waiting") arrived.push(h.ticket + " (" + t("kind_" + h.kind) + ")");
        }
      });
      // Gone from the queue (taken by another agent, closed): the focus it held goes to the
      // queue's heading, and that is said.
      var lost = focused && existing[focused];
      Object.keys(existing).forEach(function (k) { existing[k].parentNode.remove(); });
      if (!q.handoffs.length) ul.appendChild(el("li", { class: "none" }, t("none")));
      if (lost) { $("inbox-h").focus(); say(t("left_queue", focused)); }
      else if (arrived.length) say(t("arrived", arrived.join(", ")));
      if (ticket) return showConversation(polled);
    });
  };
  // Typing a reply is activity: the session is kept while the agent writes (the 3-second refresh
  // does not count, so a long reply ended in the login form).
  var keptAt = 0;
  $("reply").addEventListener("input", function () {
    if (Date.now() - keptAt < 60000) return;
    keptAt = Date.now();
    api("GET", "me").catch(function () {});
  });
  $("reply-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var r = $("reply");
    var send = function (body) {
      return api("POST", "inbox/handoffs/" + encodeURIComponent(ticket) + "/reply", body).then(function () { r.value = ""; say(t("sent")); return showConversation(); });
    };
    // Another agent is answering: take it over only when asked to.
    send({ text: r.value }).catch(function (e) {
      if (e.status === 409 && /take_over/.test(e.message) && window.confirm(t("take_over") + "\n" + e.message))
        return send({ text: r.value, take_over: true });
      throw e;
    }).catch(fail);
  });
  $("release").addEventListener("click", function () {
    api("POST", "inbox/handoffs/" + encodeURIComponent(ticket) + "/release", {}).then(function () {
      ticket = null; $("conversation").hidden = true; say(t("released")); $("inbox-h").focus(); return loaders.inbox();
    }).catch(fail);
  });

  // --- reports ---
  loaders.reports = function () {
    var f = $("report-filter").value;
    return api("GET", "inbox/reports" + (f ? "?status=" + f : "")).then(function (j) {
      var tb = $("reports-table").querySelector("tbody"); tb.replaceChildren();
      j.reports.forEach(function (r, i) {
        var tr = el("tr");
        cell(tr, r.service_request_id);
        var when = new Date(r.requested_datetime);
        cell(tr, isNaN(when) ? "" : new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "fr-FR",
                                                          { dateStyle: "medium", timeStyle: "short" }).format(when));
        cell(tr, r.service_name || r.service_code || "");
        // The place as the citizen gave it, and its map when a position is known.
        var where = el("td", {}, r.address || "");
        if (r.lat && r.long) {
          var lat = Number(r.lat), lon = Number(r.long);
          where.appendChild(document.createTextNode(" "));
          where.appendChild(el("a", { href: "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=18/" + lat + "/" + lon,
                                      target: "_blank", rel: "noopener", "aria-label": t("map_of", r.service_request_id) }, t("map")));
        }
        tr.appendChild(where);
        cell(tr, r.description || ""); cell(tr, r.status === "closed" ? t("closed") : t("open"));
        var td = el("td");
        var id = "note-" + i;
        td.appendChild(el("label", { for: id, class: "sr" }, t("note") + " " + r.service_request_id));
        var note = el("input", { id: id, placeholder: t("note") });
        var next = r.status === "closed" ? "open" : "closed";
        var b = el("button", { type: "button", "aria-label": t(next === "closed" ? "set_closed_n" : "set_open_n", r.service_request_id) },
                   next === "closed" ? t("set_closed") : t("set_open"));
        b.addEventListener("click", function () {
          api("POST", "inbox/reports/" + encodeURIComponent(r.service_request_id) + "/status", { status: next, notes: note.value })
            .then(function () { say(t("status_changed", r.service_request_id, next === "closed" ? t("closed") : t("open"))); return loaders.reports(); }).catch(fail);
        });
        td.appendChild(note); td.appendChild(document.createTextNode(" ")); td.appendChild(b);
        tr.appendChild(td); tb.appendChild(tr);
      });
    });
  };
  $("report-filter").addEventListener("change", function () { loaders.reports().catch(fail); });

  // --- accounts ---
  loaders.accounts = function () {
    return api("GET", "accounts").then(function (j) {
      var tb = $("accounts-table").querySelector("tbody"); tb.replaceChildren();
      j.accounts.forEach(function (a) {
        var tr = el("tr"); cell(tr, a.name); cell(tr, t("role_" + a.role));
        var td = el("td");
        var b = el("button", { type: "button", "aria-label": t("remove") + " " + a.name }, t("remove"));
        b.addEventListener("click", function () {
          api("POST", "accounts/" + encodeURIComponent(a.name) + "/remove", {}).then(function () { say(t("removed", a.name)); return loaders.accounts(); }).catch(fail);
        });
        td.appendChild(b); tr.appendChild(td); tb.appendChild(tr);
      });
    });
  };
  $("account-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var a = { name: $("ac-name").value.trim(), role: $("ac-role").value, password: $("ac-password").value };
    api("POST", "accounts", a).then(function () {
      $("account-error").textContent = ""; $("ac-password").value = ""; say(t("account_added", a.name)); return loaders.accounts();
    }).catch(function (err) { $("account-error").textContent = err.message; });
  });

  // --- session ---
  $("login-form").addEventListener("submit", function (e) {
    e.preventDefault();
    api("POST", "login", { name: $("login-name").value, password: $("login-password").value }).then(function (j) {
      $("login-error").textContent = ""; $("login-password").value = ""; signedIn(j);
    }).catch(function (err) {
      $("login-error").textContent = err.status === 429 ? t("too_many", err.retry || "60") : t("wrong");
    });
  });
  $("logout").addEventListener("click", function () {
    api("POST", "logout", {}).catch(function () {}).then(showLogin);
  });
  api("GET", "me").then(signedIn, showLogin);
})();
