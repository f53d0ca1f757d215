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
    tab_unhelpful: "Answers rated unhelpful", tab_faq: "FAQ",
    unhelpful_help: "Answers citizens said \"No\" to under \"Useful answer?\", with the question asked just before, grouped when the same answer was rated for the same question (in other words). \"Done\" takes one off the list until it is rated unhelpful again.",
    faq_caption: "FAQ entries: answers given and citizens' ratings (sorted by \"not useful\" ratings; a header button changes the order)",
    col_faq_id: "Entry", col_question: "Question", col_shown: "Answer given",
    rated_unhelpful: "{0} times rated unhelpful", last_voted: "last on {0}", answer_given: "Answer given: ",
    full_answer: "Full answer", intent_is: "Intent: ", faq_entry: "FAQ entry: ", unhelpful_done_label: "Mark the answer to \"{0}\" as done: hidden until it is rated unhelpful again",
    unhelpful_marked: "The answer to \"{0}\" marked as done.", times: "{0} times", not_in_kb: "(no longer in the FAQ)",
    tab_reports: "Reports", tab_accounts: "Accounts", login_title: "Sign in", name: "Name", password: "Password",
    login: "Sign in", period: "Period", per_day: "Per day", per_week: "Per week", messages: "Messages (all periods)",
    fallback_rate: "Rate of questions not understood", counts_caption: "Questions per period, intent, channel and language",
    col_period: "Period", col_intent: "Intent", col_channel: "Channel", col_lang: "Language", col_count: "Count",
    feedback_caption: "Citizens' ratings of the answers", col_useful: "Useful", col_not_useful: "Not useful",
    col_useful_rate: "Useful rate",
    unanswered_help: "Questions that fell to \"I did not understand\" or were understood with low confidence, grouped by similarity. Add one as an example of an intent: the file is changed, tested, then put online. \"Done\" takes one off the list until it is asked again.",
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
    last_asked: "last asked {0}", done_btn: "Done", done_label: "Mark \"{0}\" as done: hidden until it is asked again", marked_done: "\"{0}\" marked as done.",
    other_wordings: "Other wordings: ", added: "Example added to {0}. Testing and putting online…",
    site_refused: "A change to the site's files was refused: the site online is still the previous version. To fix in the files (file:line:column: problem):",
    online: "The new version is online.", rejected: "The change was refused by the tests and the example taken back out of the file: ",
    edit: "Edit", end: "End now", ended: "Alert {0} ended.", saved: "Alert {0} saved.", none: "Nothing for now.",
    take: "Open", set_open: "Reopen", set_closed: "Close", note: "Note for the citizen", status_changed: "Report {0}: {1}.",
    remove: "Remove", removed: "Account {0} removed.", account_added: "Account {0} added.", sent: "Reply sent.", sent_app: "Reply passed on to {0}; if the app refuses it, this page will say so.", take_over: "Another agent is answering this conversation. Take it over?", end_other: "Another agent is answering this conversation. End it or hand it back anyway?",
    kind_queue: "live chat", kind_callback: "call back", kind_email: "answer by e-mail", state_waiting: "waiting",
    state_active: "taken by {0}", from_in: "Citizen", from_out: "Bot", from_agent: "Agent",
    released: "Conversation handed back to the bot.", error: "Error: ",
    set_closed_n: "Close report {0}", set_open_n: "Reopen report {0}", arrived: "New request waiting: {0}", expired: "Your session has expired: please sign in again.", left_queue: "Request {0} has left the queue.", lang_switch: "Français",
    take_over_by: "{0} is answering this conversation. Take it over?", end_other_by: "{0} is answering this conversation. End it or hand it back anyway?", new_message: "New message from the citizen in conversation {0}.",
    unread: "new message", waiting_since: "waiting for {0}", taken_since: "since {0}", under_minute: "less than a minute", minutes: "{0} min",
    hours: "{0} h {1} min", last_said: "Last message: ", counter: "{0} / {1} characters", too_long: "The reply is over the limit of {1} characters by {0}.",
    err_network: "the server cannot be reached: check the connection and try again.", err_forbidden: "your role does not allow this, or the page is out of date: reload it.",
    err_not_found: "this item no longer exists (it was closed or removed).", err_conflict: "this conversation is closed already.",
    err_invalid: "the request was refused as invalid.", err_server: "the server had a problem: try again in a moment.",
    err_too_many: "too many attempts: wait a minute.", err_password_short: "the password must have at least 10 characters.",
    err_password_long: "the password is too long.", err_name: "the name must have 1 to 64 characters: letters, digits, '.', '_', '@' or '-'.",
    err_exists: "this account exists already.", err_last_admin: "this is the last admin account: add another admin first.",
    from_agent_named: "Agent ({0})",
    shown_as: "Your name shown to residents above your replies",
    shown_help: "Optional, for example \"Marie\". With no name, they read \"Town hall staff\".",
    shown_saved: "Residents now read \"{0}\" above your replies.", shown_none: "Residents now read \"Town hall staff\" above your replies.",
    col_shown_as: "Name shown to residents", err_shown_as: "the name shown must have at most 40 characters, with no control character.",
    done_queue: "End the conversation", done_other: "Mark as done", done: "Request {0} is done.", ended_h: "Ended requests",
    find_ticket: "Request number", find_help: "e.g. 2026-0042, or 42 for this year's", find: "Find", show_ended: "Show the ended ones",
    ended_by: "ended by {0}", ended_bot: "ended without an agent", ended_citizen: "ended by the resident",
    citizen_ended: "The resident ended conversation {0}: your reply would not reach them.",
    colleague_ended: "{0} ended this conversation ({1}).", colleague_took: "{0} took over this conversation ({1}).",
    away: "While you were away: {0}.", away_closed: "{0} went back to the assistant (the resident was told)",
    away_queued: "{0} went back to the queue", away_taken: "{1} took {0}", draft_kept: " Your draft, not sent: {0}", ended_at: "on {0}", state_closed: "ended",
    open_n: "Open {0}", none_ended: "No ended request.", not_found: "No request {0}.",
    undelivered: "Not delivered: {0} refused these replies, the resident did not get them ({1}). Reach them another way.",
    undelivered_one: "{0}: {1}",
    contact_callback: "To call back: ", contact_email: "Answer expected by e-mail: ",
    contact_not_sent: ". Send writes in the resident's conversation; it neither calls nor sends an e-mail: use this link.",
    quoted: "“{0}”"
  };
  function t(key, a, b) {
    var s = lang === "en" ? EN[key] : (FR[key] || key);
    // French guillemets hold their words with non-breaking spaces (no line starts with "»");
    // English quotes with “ ”, never « ».
    if (lang !== "en" && s) s = s.replace(/« /g, "«\u00a0").replace(/ »/g, "\u00a0»");
    // (Replaced by functions: a "$&" in a name is no replacement pattern.)
    return (s || key).replace("{0}", function () { return a == null ? "" : a; })
      .replace("{1}", function () { return b == null ? "" : b; });
  }
  var FR = {
    signed_in: "Connecté·e : {0} ({1})", wrong: "Nom ou mot de passe incorrect.", too_many: "Trop d'essais : patientez {0} s.",
    rated_unhelpful: "jugée peu utile {0} fois", last_voted: "dernière fois le {0}", answer_given: "Réponse donnée : ",
    full_answer: "Réponse complète", intent_is: "Intention : ", faq_entry: "Entrée de la FAQ : ", unhelpful_done_label: "Marquer la réponse à « {0} » comme traitée : masquée jusqu'à ce qu'elle soit de nouveau jugée peu utile",
    unhelpful_marked: "La réponse à « {0} » est marquée comme traitée.", times: "{0} fois", not_in_kb: "(n'est plus dans la FAQ)",
    add_as: "Ajouter comme exemple de l'intention", add_btn: "Ajouter comme exemple", choose_intent: "— choisir une intention —", intent_needed: "Choisissez d'abord l'intention à laquelle cette question appartient.", asked: "{0} fois",
    last_asked: "dernière fois le {0}", done_btn: "Traité", done_label: "Marquer « {0} » comme traitée : masquée jusqu'à ce qu'on la pose de nouveau", marked_done: "« {0} » marquée comme traitée.",
    other_wordings: "Autres formulations : ", added: "Exemple ajouté à {0}. Test puis mise en ligne…",
    site_refused: "Une modification des fichiers du site a été refusée : le site en ligne reste la version précédente. À corriger dans les fichiers (fichier:ligne:colonne : problème) :",
    online: "La nouvelle version est en ligne.", rejected: "La modification a été refusée par les tests et l'exemple retiré du fichier : ",
    edit: "Modifier", end: "Terminer maintenant", ended: "Alerte {0} terminée.", saved: "Alerte {0} enregistrée.",
    none: "Rien pour le moment.", take: "Ouvrir", set_open: "Rouvrir", set_closed: "Fermer", open: "Ouvert",
    closed: "Fermé",
    note: "Note pour l'habitant", status_changed: "Signalement {0} : {1}.", remove: "Supprimer",
    removed: "Compte {0} supprimé.", account_added: "Compte {0} ajouté.", sent: "Réponse envoyée.", sent_app: "Réponse transmise à {0} ; si l'application la refuse, cette page le dira.", take_over: "Un autre agent répond à cette conversation. La reprendre ?", end_other: "Un autre agent répond à cette conversation. La terminer ou la rendre au bot quand même ?",
    kind_queue: "discussion", kind_callback: "à rappeler", kind_email: "réponse par e-mail", state_waiting: "en attente",
    state_active: "prise par {0}", from_in: "Habitant·e", from_out: "Bot", from_agent: "Agent",
    map: "Carte", map_of: "Carte du signalement {0} (nouvelle fenêtre)",
    title: "Console de la mairie", set_closed_n: "Fermer le signalement {0}", set_open_n: "Rouvrir le signalement {0}",
    arrived: "Nouvelle demande en attente : {0}", expired: "Votre session a expiré : reconnectez-vous.", left_queue: "La demande {0} a quitté la file d'attente.",
    released: "Conversation rendue au bot.", error: "Erreur : ", nav: "Sections de la console", lang_switch: "English",
    role_editor: "Rédaction", role_agent: "Agent", role_admin: "Administration",
    take_over_by: "{0} répond à cette conversation. La reprendre ?", end_other_by: "{0} répond à cette conversation. La terminer ou la rendre au bot quand même ?", new_message: "Nouveau message de l'habitant·e dans la conversation {0}.",
    unread: "nouveau message", waiting_since: "en attente depuis {0}", taken_since: "depuis {0}", under_minute: "moins d'une minute", minutes: "{0} min",
    hours: "{0} h {1} min", last_said: "Dernier message : ", counter: "{0} / {1} caractères", too_long: "La réponse dépasse de {0} la limite de {1} caractères.",
    err_network: "le serveur ne répond pas : vérifiez la connexion et réessayez.", err_forbidden: "votre rôle ne le permet pas, ou la page n'est plus à jour : rechargez-la.",
    err_not_found: "cet élément n'existe plus (il a été fermé ou supprimé).", err_conflict: "cette conversation est déjà terminée.",
    err_invalid: "la demande a été refusée car incomplète ou incorrecte.", err_server: "le serveur a eu un problème : réessayez dans un instant.",
    err_too_many: "trop d'essais : patientez une minute.", err_password_short: "le mot de passe doit avoir au moins 10 caractères.",
    err_password_long: "le mot de passe est trop long.", err_name: "le nom doit avoir de 1 à 64 caractères : lettres, chiffres, « . », « _ », « @ » ou « - ».",
    err_exists: "ce compte existe déjà.", err_last_admin: "c'est le dernier compte d'administration : ajoutez d'abord un autre administrateur.",
    from_agent_named: "Agent ({0})",
    shown_as: "Votre nom montré aux habitants au-dessus de vos réponses",
    shown_help: "Facultatif, par exemple « Marie ». Sans nom, ils lisent « Agent de la mairie ».",
    shown_saved: "Les habitants lisent désormais « {0} » au-dessus de vos réponses.", shown_none: "Les habitants lisent désormais « Agent de la mairie » au-dessus de vos réponses.",
    col_shown_as: "Nom montré aux habitants", err_shown_as: "le nom montré doit avoir 40 caractères au plus, sans caractère de contrôle.",
    done_queue: "Terminer la conversation", done_other: "Traité", done: "Demande {0} terminée.", ended_h: "Demandes terminées",
    find_ticket: "Numéro de demande", find_help: "ex. 2026-0042, ou 42 pour cette année", find: "Retrouver", show_ended: "Afficher les terminées",
    ended_by: "terminée par {0}", ended_bot: "terminée sans agent", ended_citizen: "terminée par l'usager",
    citizen_ended: "L'usager a mis fin à la conversation {0} : votre réponse ne lui parviendrait pas.",
    colleague_ended: "{0} a terminé cette conversation ({1}).", colleague_took: "{0} a repris cette conversation ({1}).",
    away: "Pendant votre absence : {0}.", away_closed: "{0} est revenue à l'assistant (l'usager a été prévenu)",
    away_queued: "{0} est revenue dans la file d'attente", away_taken: "{1} a pris {0}", draft_kept: " Votre brouillon, non envoyé : {0}", ended_at: "le {0}", state_closed: "terminée",
    open_n: "Ouvrir {0}", none_ended: "Aucune demande terminée.", not_found: "Aucune demande {0}.",
    undelivered: "Non remis : {0} a refusé ces réponses, l'habitant ne les a pas reçues ({1}). Contactez-le autrement.",
    undelivered_one: "{0} : {1}",
    contact_callback: "À rappeler : ", contact_email: "Réponse attendue par e-mail : ",
    contact_not_sent: ". Envoyer écrit dans la conversation de l'habitant, sans appeler ni envoyer d'e-mail : utilisez ce lien.",
    quoted: "« {0} »"
  };

  var $ = function (id) { return document.getElementById(id); };
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  // The status line says what is so now: an action's outcome until the next action, the
  // section, the conversation or the session changes; "the server cannot be reached" until it
  // answers again (it stayed, like "Réponse envoyée." about another conversation, and "Votre
  // session a expiré" after signing in again).
  function say(text) { $("status").textContent = text; announced = null; }
  // About the conversation open: a notice (the resident or a colleague ended it, a colleague
  // took it) and the confirmation of the agent's own reply share the line, the notice first.
  // Her reply coming back just after a colleague ended the conversation used to replace the
  // notice with "Réponse envoyée.", and she never learnt it had ended. The notice goes when
  // anything else is said, or with the reply she sent after reading it (`seen`: she took the
  // conversation back).
  var about = null;  // { ticket, notice, confirmation, text }
  function noticeShown(k) {
    return about && about.ticket === k && $("status").textContent === about.text ? about.notice : "";
  }
  function sayAbout(k, part, text, seen) {
    if (!about || about.ticket !== k || $("status").textContent !== about.text)
      about = { ticket: k, notice: "", confirmation: "" };
    if (part === "confirmation" && seen && about.notice === seen) about.notice = "";
    about[part] = text;
    about.text = [about.notice, about.confirmation].filter(Boolean).join(" ");
    say(about.text);
  }
  function unreachable() { return $("status").textContent === t("error") + t("err_network"); }

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
    // A refresh of a hidden page (another tab, a minimised window): the session's idle time goes
    // on. In front of the agent, watching the queue is activity.
    if (polled && document.visibilityState !== "visible") headers["X-Guichet-Poll"] = "1";
    if (method !== "GET" && me) headers["X-CSRF-Token"] = me.csrf;
    return fetch("/admin/api/" + path, { method: method, headers: headers, credentials: "same-origin",
                                         body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        if (unreachable()) say("");  // it answers again
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (r.status === 401 && path !== "login" && path !== "me" && $("login").hidden) { showLogin(); say(t("expired")); }
          if (!r.ok) { var e = new Error((j.error && j.error.message) || String(r.status)); e.status = r.status; e.body = j; e.retry = r.headers.get("Retry-After"); throw e; }
          return j;
        });
      }, function () { var e = new Error("network"); e.status = 0; throw e; });
  }
  // The API's errors are for developers, in English: the agent reads the console's own words.
  var apiTexts = [[/at least \d+ characters/, "err_password_short"], [/longer than/, "err_password_long"],
                  [/name must have|may only contain/, "err_name"], [/exists already/, "err_exists"],
                  [/last admin/, "err_last_admin"], [/no account/, "err_not_found"], [/shown name/, "err_shown_as"]];
  // …except those written for staff in both languages (a folder the server may not write in).
  function staffText(e) {
    var b = e.body && e.body.error;
    return b && b.message_fr ? (lang === "en" ? b.message : b.message_fr) : "";
  }
  function errorText(e) {
    if (staffText(e)) return staffText(e);
    var m = e.message || "";
    for (var i = 0; i < apiTexts.length; i++) if (apiTexts[i][0].test(m)) return t(apiTexts[i][1]);
    var s = e.status;
    if (s === 0) return t("err_network");
    if (s === 401) return t("expired");
    if (s === 403) return t("err_forbidden");
    if (s === 404) return t("err_not_found");
    if (s === 409) return t("err_conflict");
    if (s === 429) return t("err_too_many");
    if (s >= 500) return t("err_server");
    if (s >= 400) return t("err_invalid");
    return t("err_server");  // not an API error: a fault of the page itself
  }
  function fail(e) { say(t("error") + errorText(e)); }

  function allowed(role) { return me && (me.role === "admin" || me.role === role); }

  // An edit of the site's files that the live reload refused (by hand, or an example added
  // from the console): said to editors on every section, on sign-in and every 30 s, until the
  // files are fixed (only the log said it, unless the console had added the example itself).
  var siteTimer = null;
  function checkSite() {
    if (!allowed("editor")) { $("site-refused").hidden = true; return; }
    api("GET", "reload").then(function (st) {
      var problems = st.last_ok === false ? (st.problems || []) : [];
      var list = $("site-refused-list");
      if (problems.join("\n") === list.getAttribute("data-shown")) return;  // read once by screen readers
      list.setAttribute("data-shown", problems.join("\n"));
      list.replaceChildren();
      problems.forEach(function (p) { list.appendChild(el("li", null, p)); });
      $("site-refused").hidden = !problems.length;
    }, function () { /* said by the next action */ });
  }

  function showLogin() {
    me = null;
    say("");
    if (siteTimer) { clearInterval(siteTimer); siteTimer = null; }
    $("site-refused").hidden = true;
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
    $("shown-as").value = j.shown_as || "";
    document.querySelectorAll("#nav li").forEach(function (li) { li.hidden = !allowed(li.getAttribute("data-role")); });
    var parts = (location.hash || "").slice(1).split("/");
    var first = parts[0];
    // #inbox/2026-0001: the conversation that was open before a reload.
    if (first === "inbox" && parts[1]) ticket = decodeURIComponent(parts[1]);
    // Signed in again after the session ended (the address may have lost it): the conversation
    // that was open, with its draft, and what left her hands meanwhile is said.
    else if (first === "inbox" || !first) ticket = store.getItem(draftKey("#open")) || ticket;
    backFromAway = true;
    var tabs = ["figures", "unanswered", "unhelpful", "faq", "alerts", "inbox", "reports", "accounts"];
    var roleOf = { figures: "editor", unanswered: "editor", unhelpful: "editor", faq: "editor", alerts: "editor", inbox: "agent", reports: "agent", accounts: "admin" };
    if (tabs.indexOf(first) < 0 || !allowed(roleOf[first])) first = allowed("editor") ? "figures" : "inbox";
    show(first, true);  // (the login form gone, focus would fall to the page)
    checkSite();
    if (!siteTimer) siteTimer = setInterval(checkSite, 30000);
  }

  var current = null, timer = null;
  function setHash() {
    var h = "#" + current + (current === "inbox" && ticket ? "/" + encodeURIComponent(ticket) : "");
    if (history.replaceState) history.replaceState(null, "", location.search + h);
    try { if (me && ticket) store.setItem(draftKey("#open"), ticket); else if (me) store.removeItem(draftKey("#open")); } catch (e) { /* */ }
  }
  // The window's title names the section (it said the console's name on every one), and on
  // the inbox how many requests wait or have new messages: "(2) Boîte des agents — …".
  function titled(count) {
    document.title = (count ? "(" + count + ") " : "") + $(current + "-h").textContent + " — " + t("title");
  }
  var loaders = {};
  function show(tab, focus) {
    current = tab;
    document.querySelectorAll("section.tab").forEach(function (s) { s.hidden = s.id !== tab; });
    document.querySelectorAll("#nav a").forEach(function (a) {
      if (a.getAttribute("data-tab") === tab) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    setHash();
    say("");  // (what was said was about another section)
    if (focus) $(tab + "-h").focus();
    titled(0);
    shownQueue = "";  // drawn anew (its language may have changed)
    if (timer) clearInterval(timer);
    timer = null;
    loaders[tab]().catch(fail);
    // A queue that cannot be refreshed is said (the agent took silence for no request), once.
    if (tab === "inbox") timer = setInterval(function () {
      loaders.inbox(true).catch(function (e) { if (e.status === 0 && !unreachable()) fail(e); });
    }, 3000);
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
  // A group of citizens' questions: the words, in their language, how many times and when
  // last, the other wordings.
  function groupItem(g, text, times, when) {
    var li = el("li", { class: "group" });
    var q = el("p", { class: "question" });
    q.appendChild(el("q", { lang: g.locale }, text));
    q.appendChild(document.createTextNode(" — " + times + " (" + g.locale + ")" + (when ? ", " + when : "")));
    li.appendChild(q);
    if (g.examples.length) li.appendChild(el("p", null, t("other_wordings") + g.examples.join(" | ")));
    return li;
  }
  // "Traité" on a group of the list `tab` (its API's name too): the list drawn again without it,
  // said in the status, the focus on the list's heading.
  function doneButton(tab, g, label, said) {
    var done = el("button", { type: "button", class: "mark-done", "aria-label": label }, t("done_btn"));
    done.addEventListener("click", function () {
      done.disabled = true;
      api("POST", tab + "/" + encodeURIComponent(g.id) + "/done").then(function () {
        say(said);
        return loaders[tab]().then(function () { $(tab + "-h").focus(); });
      }).catch(function (e) { done.disabled = false; fail(e); });
    });
    return done;
  }
  loaders.unanswered = function () {
    var need = intents ? Promise.resolve() : api("GET", "intents").then(function (j) { intents = j.intents; });
    return need.then(function () { return api("GET", "unanswered?lang=" + lang); }).then(function (j) {
      var ul = $("groups"); ul.replaceChildren();
      if (!j.groups.length) ul.appendChild(el("li", null, t("none")));
      j.groups.forEach(function (g, i) {
        var li = groupItem(g, g.text, t("asked", g.count), g.last_asked_text && t("last_asked", g.last_asked_text));
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
        p.appendChild(document.createTextNode(" "));
        // "Traité": hidden until the question is asked again.
        p.appendChild(doneButton("unanswered", g, t("done_label", g.text), t("marked_done", g.text)));
        li.appendChild(p);
        ul.appendChild(li);
      });
    });
  };

  // --- answers rated unhelpful ---
  var shortAnswer = 140;  // characters shown before "Réponse complète"
  loaders.unhelpful = function () {
    return api("GET", "unhelpful?lang=" + lang).then(function (j) {
      var ul = $("unhelpful-groups"); ul.replaceChildren();
      if (!j.groups.length) ul.appendChild(el("li", null, t("none")));
      j.groups.forEach(function (g) {
        var li = groupItem(g, g.question, t("rated_unhelpful", g.count), g.last_voted_text && t("last_voted", g.last_voted_text));
        var about = el("p", { class: "details" }, t("intent_is") + g.intent);
        if (g.faq_id) about.appendChild(document.createTextNode(" — " + t("faq_entry") + g.faq_id));
        li.appendChild(about);
        // The answer shortened; the whole of it one keypress away (a native disclosure).
        var chars = Array.from(g.answer);
        if (chars.length <= shortAnswer) {
          var p = el("p", { class: "answer" }, t("answer_given"));
          p.appendChild(el("span", { lang: g.locale }, g.answer));
          li.appendChild(p);
        } else {
          var d = el("details", { class: "answer" });
          var sum = el("summary", null, t("answer_given"));
          sum.appendChild(el("span", { lang: g.locale }, chars.slice(0, shortAnswer).join("") + "…"));
          sum.appendChild(el("span", { class: "sr" }, " (" + t("full_answer") + ")"));
          d.appendChild(sum);
          d.appendChild(el("p", { class: "full", lang: g.locale }, g.answer));
          li.appendChild(d);
        }
        var actions = el("p");
        actions.appendChild(doneButton("unhelpful", g, t("unhelpful_done_label", g.question), t("unhelpful_marked", g.question)));
        li.appendChild(actions);
        ul.appendChild(li);
      });
    });
  };

  // --- the FAQ's entries: shown, useful, not useful ---
  var faqRows = [], faqSort = { key: "not_useful", desc: true };
  function drawFaq() {
    var k = faqSort.key;
    var rows = faqRows.slice().sort(function (a, b) {
      var x = a[k], y = b[k];
      var c = typeof x === "number" ? x - y : String(x).localeCompare(String(y), lang);
      return faqSort.desc ? -c : c;
    });
    document.querySelectorAll("#faq-table th").forEach(function (th) {
      var b = th.querySelector("button.sort");
      if (b) th.setAttribute("aria-sort", b.getAttribute("data-key") === k ? (faqSort.desc ? "descending" : "ascending") : "none");
    });
    var tb = $("faq-table").querySelector("tbody"); tb.replaceChildren();
    rows.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, r.id));
      cell(tr, r.question || t("not_in_kb"));
      [r.shown, r.useful, r.not_useful].forEach(function (n) { cell(tr, n.toLocaleString(lang)); });
      tb.appendChild(tr);
    });
    if (!rows.length) { var tr = el("tr"); tr.appendChild(el("td", { colspan: "5" }, t("none"))); tb.appendChild(tr); }
  }
  document.querySelectorAll("#faq-table button.sort").forEach(function (b) {
    b.addEventListener("click", function () {
      var k = b.getAttribute("data-key");
      faqSort = { key: k, desc: faqSort.key === k ? !faqSort.desc : k !== "id" };
      drawFaq();
    });
  });
  loaders.faq = function () {
    return api("GET", "faq?lang=" + lang).then(function (j) { faqRows = j.entries; drawFaq(); });
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
    var list = staffText(e) ? [staffText(e)] : (e.body && e.body.problems) || [e.message];
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
  // region: a screen reader reads them, not the whole conversation again). What the citizen
  // said is counted per request: one with messages the agent has not seen is marked (in words),
  // announced, and counted in the window's title with the requests waiting.
  var ticket = null, shownQueue = "", queueDrawn = false, shown = { ticket: null, n: 0 }, opened = null;
  var replyMax = 4096, announced = null, backFromAway = false;
  var store = window.sessionStorage;
  // Each agent's own drafts and read marks: a colleague signing in to the same tab got the
  // previous agent's open conversation and draft, one click away from sending it in their name.
  function mine() { return (me ? me.name : "") + "."; }
  function draftKey(k) { return "guichet.draft." + mine() + k; }
  function seenCounts() { try { return JSON.parse(store.getItem("guichet.seen." + mine()) || "{}"); } catch (e) { return {}; } }
  function saveSeen(seen) { try { store.setItem("guichet.seen." + mine(), JSON.stringify(seen)); } catch (e) { /* private mode */ } }
  function forgetMine() {
    try {
      for (var i = store.length - 1; i >= 0; i--) {
        var key = store.key(i);
        if (key && key.indexOf("guichet.draft." + mine()) === 0) store.removeItem(key);
      }
      store.removeItem("guichet.seen." + mine());
    } catch (e) { /* private mode */ }
  }
  var locale = lang === "en" ? "en-GB" : "fr-FR";
  var timeOnly = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
  var dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "short" });
  function when(iso) {
    var d = new Date(iso);
    if (isNaN(d)) return "";
    return d.toDateString() === new Date().toDateString() ? timeOnly.format(d) : dateTime.format(d);
  }
  function duration(iso) {
    var m = Math.floor((Date.now() - new Date(iso).getTime()) / 60000);
    if (!(m >= 1)) return t("under_minute");
    return m < 60 ? t("minutes", m) : t("hours", Math.floor(m / 60), m % 60);
  }
  function platformName(channel) {
    return { telegram: "Telegram", whatsapp: "WhatsApp", messenger: "Messenger", slack: "Slack", matrix: "Matrix" }[channel] || channel;
  }
  // A French number stored as +33…: written as French agents dial and read it, "06 12 34 56 78"
  // (the link keeps the international form); any other number as given.
  function phoneShown(n) {
    var m = /^\+33(\d{9})$/.exec(n.replace(/[\s.]/g, ""));
    return m ? ("0" + m[1]).replace(/(\d\d)(?=\d)/g, "$1 ") : n;
  }
  function openTicket(k) {
    if (!announced) say("");  // (about another conversation; a request announced is still news)
    ticket = k;
    setHash();
    return showConversation();
  }
  function showConversation(polled) {
    var k = ticket;
    return api("GET", "inbox/handoffs/" + encodeURIComponent(k), undefined, polled).then(function (c) {
      if (k !== ticket) return;  // another one was opened meanwhile
      // Ended by the resident while it is open here: said, and the focus the reply form held
      // (the form goes) moves to the words that say so.
      var endedNow = c.handoff.state === "closed" && c.handoff.ended_by === "citizen" &&
                     opened && opened.ticket === k && opened.state !== "closed";
      // Held here, then ended or taken over by a colleague: said too (the form just went).
      var wasMine = opened && opened.ticket === k && opened.state === "active" && me && opened.agent === me.name;
      var colleague = !wasMine || endedNow ? ""
                    : c.handoff.state === "closed" && c.handoff.ended_by === "agent" && c.handoff.closed_by !== me.name
                      ? t("colleague_ended", c.handoff.closed_by, k)
                    : c.handoff.state === "active" && c.handoff.agent && c.handoff.agent !== me.name
                      ? t("colleague_took", c.handoff.agent, k) : "";
      var focusInForm = $("reply-form").contains(document.activeElement);
      opened = c.handoff;
      $("conversation").hidden = false;
      $("conv-ticket").textContent = c.handoff.ticket;
      // An ended request is read, not answered: who ended it and when, instead of the form.
      var closed = c.handoff.state === "closed";
      $("conv-closed").hidden = !closed;
      // (A draft kept when it ended meanwhile, the session gone: hers to copy, not lost.)
      var kept = closed && store.getItem(draftKey(k));
      if (closed) $("conv-closed").textContent = endedText(c.handoff) + (kept ? t("draft_kept", t("quoted", kept)) : "");
      $("reply-form").hidden = closed;
      if (endedNow) {
        sayAbout(k, "notice", t("citizen_ended", k));
        if (focusInForm) $("conv-closed").focus();
      } else if (colleague) {
        sayAbout(k, "notice", colleague);
      }
      $("done").textContent = t(c.handoff.kind === "queue" ? "done_queue" : "done_other");
      $("release").hidden = c.handoff.kind !== "queue";
      // A call-back or an e-mail asked for: the number or the address as a link (the reply box
      // writes in the conversation only; it was taken for a way to answer by e-mail).
      var how = c.handoff.kind, contact = c.handoff.contact || "", box = $("conv-contact");
      var wanted = !closed && contact && (how === "callback" || how === "email") ? how + " " + contact : "";
      if (box.getAttribute("data-shown") !== wanted) {
        box.setAttribute("data-shown", wanted);
        box.replaceChildren();
        if (wanted) {
          box.appendChild(document.createTextNode(t("contact_" + how)));
          box.appendChild(el("a", { href: how === "callback" ? "tel:" + contact.replace(/[^+\d]/g, "") : "mailto:" + contact },
                             how === "callback" ? phoneShown(contact) : contact));
          box.appendChild(document.createTextNode(t("contact_not_sent")));
        }
        box.hidden = !wanted;
      }
      var ul = $("transcript"), region = $("transcript-log");
      // A conversation opened is drawn silently (it was all read out at once, over the focus
      // moving to the reply); the messages that arrive afterwards are announced.
      var other = shown.ticket !== k;
      var fresh = other || c.transcript.length < shown.n;
      if (fresh) { ul.replaceChildren(); region.setAttribute("aria-live", "off"); }
      if (other) $("reply").value = store.getItem(draftKey(k)) || "";  // the draft of this one
      if (fresh) { shown = { ticket: k, n: 0 }; counter(); }
      c.transcript.slice(shown.n).forEach(function (m) {
        // Who and when, then the words as written: text only, line breaks kept (CSS pre-wrap).
        var li = el("li", { class: "dir-" + m.direction });
        // The words in the conversation's language (read by a screen reader with its voice).
        if (c.handoff.locale) li.setAttribute("lang", c.handoff.locale);
        var at = when(m.at);
        if (at) { li.appendChild(el("time", { datetime: m.at }, at)); li.appendChild(document.createTextNode(" ")); }
        var who = m.direction === "agent" && m.agent ? t("from_agent_named", m.agent) : t("from_" + m.direction);
        li.appendChild(el("span", { class: "from", lang: lang }, who + (lang === "en" ? ": " : " : ")));
        li.appendChild(el("span", { class: "text" }, m.text));
        ul.appendChild(li);
      });
      shown.n = c.transcript.length;
      // Replies the resident's messaging app refused (a blocked bot, a closed window): said
      // once when they appear, not at each poll.
      var refused = (c.undelivered || []).map(function (u) { return t("undelivered_one", when(u.at), u.reason); }).join("; ");
      var warning = refused ? t("undelivered", platformName(c.handoff.channel), refused) : "";
      if ($("conv-undelivered").textContent !== warning) {
        $("conv-undelivered").textContent = warning;
        $("conv-undelivered").hidden = !warning;
      }
      if (fresh) setTimeout(function () { region.setAttribute("aria-live", "polite"); }, 0);
    }, function (e) {
      if (e.status === 404 && k === ticket) { ticket = null; opened = null; $("conversation").hidden = true; setHash(); }
      throw e;
    });
  }
  loaders.inbox = function (polled) {
    return api("GET", "inbox/queue", undefined, polled).then(function (q) {
      if (q.reply_max) { replyMax = q.reply_max; counter(); }
      var ul = $("queue");
      // (What is there at sign-in is not "new", but what the citizen said after the agents'
      // last reply is not read yet.)
      var first = !queueDrawn;
      queueDrawn = true;
      shownQueue = "drawn";
      var seen = seenCounts();
      // The list is updated in place: the focused button stays the same element (it was made
      // again and focused again, so read out again at each change).
      var focused = document.activeElement && document.activeElement.getAttribute("data-ticket");
      var existing = {};
      ul.querySelectorAll("button.take").forEach(function (b) { existing[b.getAttribute("data-ticket")] = b; });
      var arrived = [], messaged = [], flagged = 0, waiting = {}, held = [];
      ul.querySelectorAll("li.none").forEach(function (li) { li.remove(); });
      q.handoffs.forEach(function (h) {
        var said = h.citizen_messages || 0;
        var isNew = !existing[h.ticket] && !first;
        // The open conversation, on a visible page, is read as it comes.
        if (h.ticket === ticket && document.visibilityState === "visible") seen[h.ticket] = said;
        if (seen[h.ticket] == null) seen[h.ticket] = first ? said - (h.citizen_unanswered || 0) : 0;
        var unread = said > seen[h.ticket];
        if (h.state === "waiting") waiting[h.ticket] = true;
        if (h.state === "active" && me && h.agent === me.name) held.push(h.ticket);
        if (h.state === "waiting" || unread) flagged++;
        var text = t("take") + " " + h.ticket + " — " + t("kind_" + h.kind) + " — " + t("state_" + h.state, h.agent) +
                   " — " + (h.locale || "fr").toUpperCase() + (h.contact ? " — " + h.contact : "");
        var details = t(h.state === "waiting" ? "waiting_since" : "taken_since", duration(h.state === "waiting" ? h.created : h.updated)) +
                      (h.last_citizen_text ? " — " + t("last_said") + t("quoted", h.last_citizen_text) : "");
        var b = existing[h.ticket], li;
        if (b) {
          delete existing[h.ticket];
          li = b.parentNode;
        } else {
          b = el("button", { type: "button", class: "take", "data-ticket": h.ticket });
          b.addEventListener("click", function () { openTicket(h.ticket).then(function () { $("reply").focus(); }).catch(fail); });
          li = el("li"); li.appendChild(b); li.appendChild(el("p", { class: "details" })); ul.appendChild(li);
          if (isNew && h.state === "waiting") arrived.push(h.ticket + " (" + t("kind_" + h.kind) + ")");
        }
        // The marker is words in the button (a screen reader says it), not a colour.
        var key = text + "|" + unread;
        if (b.getAttribute("data-shown") !== key) {
          b.setAttribute("data-shown", key);
          b.replaceChildren(document.createTextNode(text));
          if (unread) { b.appendChild(document.createTextNode(" ")); b.appendChild(el("span", { class: "unread" }, "● " + t("unread"))); }
        }
        var p = li.querySelector("p.details");
        if (p.textContent !== details) p.textContent = details;
        if (unread && !isNew && h.ticket !== ticket && !(b.getAttribute("data-told") >= said)) messaged.push(h.ticket);
        if (unread) b.setAttribute("data-told", said);
      });
      saveSeen(seen);
      titled(flagged);
      if (backFromAway) { backFromAway = false; tellAway(held); }
      try { store.setItem(draftKey("#held"), JSON.stringify(held)); } catch (e) { /* private mode */ }
      // Gone from the queue (taken by another agent, closed): the focus it held goes to the
      // queue's heading, and that is said.
      var lost = focused && existing[focused];
      Object.keys(existing).forEach(function (k) { existing[k].parentNode.remove(); });
      if (!q.handoffs.length) ul.appendChild(el("li", { class: "none" }, t("none")));
      if (lost) { $("inbox-h").focus(); say(t("left_queue", focused)); announced = null; }
      else if (arrived.length || messaged.length) {
        var words = [];
        if (arrived.length) words.push(t("arrived", arrived.join(", ")));
        messaged.forEach(function (k) { words.push(t("new_message", k)); });
        say(words.join(" "));
        announced = { text: $("status").textContent, tickets: arrived.length ? arrived.map(function (a) { return a.split(" ")[0]; }) : null };
      } else if (announced && announced.tickets && $("status").textContent === announced.text &&
                 !announced.tickets.some(function (k) { return waiting[k]; })) {
        say(""); announced = null;  // the request announced was taken or has gone: not news any more
      }
      if (ticket) return showConversation(polled);
    });
  };
  // The conversations held before signing in again that are not any more (the session ended:
  // they went back to the queue, or to the assistant when nobody was left), said on the status line.
  function tellAway(now) {
    var before = [];
    try { before = JSON.parse(store.getItem(draftKey("#held")) || "[]"); } catch (e) { /* */ }
    var gone = before.filter(function (k) { return now.indexOf(k) < 0; });
    if (!gone.length) return;
    Promise.all(gone.map(function (k) {
      return api("GET", "inbox/handoffs/" + encodeURIComponent(k)).then(function (c) { return c.handoff; }, function () { return null; });
    })).then(function (list) {
      var words = list.filter(Boolean).map(function (h) {
        return h.state === "closed" ? t("away_closed", h.ticket) : h.state === "active" && h.agent ? t("away_taken", h.ticket, h.agent)
                                                                                                 : t("away_queued", h.ticket);
      });
      if (words.length) say(t("away", words.join(lang === "en" ? "; " : " ; ")));
    });
  }
  // Coming back to the tab: the queue at once, not in up to 3 s.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && me && current === "inbox") loaders.inbox().catch(function () {});
  });
  // The length of the reply against the limit, said next to the field (and read with it).
  function counter() {
    var n = Array.from($("reply").value).length;
    $("reply-count").textContent = t("counter", n, replyMax);
    $("reply-count").className = n > replyMax ? "error" : "";
    return n;
  }
  // Typing a reply is activity: the session is kept while the agent writes. The draft is kept
  // per conversation for this tab (sessionStorage): a reload gives it back.
  var keptAt = 0;
  $("reply").addEventListener("input", function () {
    counter();
    if (ticket) {
      try { if ($("reply").value) store.setItem(draftKey(ticket), $("reply").value); else store.removeItem(draftKey(ticket)); } catch (e) { /* */ }
    }
    if (Date.now() - keptAt < 60000) return;
    keptAt = Date.now();
    api("GET", "me").catch(function () {});
  });
  $("reply-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var r = $("reply"), k = ticket, seen = noticeShown(k);
    var n = counter();
    if (n > replyMax) { say(t("too_long", n - replyMax, replyMax)); r.focus(); return; }
    var send = function (body) {
      return api("POST", "inbox/handoffs/" + encodeURIComponent(k) + "/reply", body).then(function () {
        store.removeItem(draftKey(k));
        if (k === ticket) { r.value = ""; counter(); }
        // A messaging app takes the reply later, through the outbox: not said "sent" before
        // it does (a refusal shows in #conv-undelivered).
        var app = opened && opened.ticket === k && platformName(opened.channel) !== opened.channel;
        sayAbout(k, "confirmation", app ? t("sent_app", platformName(opened.channel)) : t("sent"), seen);
        return showConversation();
      });
    };
    // Another agent is answering: take it over only when asked to, in the console's words.
    send({ text: r.value }).catch(function (e) {
      if (e.status === 409 && /take_over/.test(e.message)) {
        if (!window.confirm(opened && opened.agent ? t("take_over_by", opened.agent) : t("take_over"))) return;
        return send({ text: r.value, take_over: true });
      }
      throw e;
    }).catch(fail);
  });
  // Handed back to the bot, or done: the request leaves the queue (found again among the ended).
  // A colleague's conversation only after the console asked (the server refuses it otherwise).
  function closeTicket(action, words) {
    var k = ticket;
    var close = function (body) {
      return api("POST", "inbox/handoffs/" + encodeURIComponent(k) + "/" + action, body).then(function () {
        store.removeItem(draftKey(k));
        ticket = null; opened = null; setHash(); $("reply").value = ""; counter();
        $("conversation").hidden = true; say(t(words, k)); $("inbox-h").focus();
        return Promise.all([loaders.inbox(), endedShown ? listEnded() : null]);
      });
    };
    close({}).catch(function (e) {
      if (e.status === 409 && /take_over/.test(e.message)) {
        if (!window.confirm(opened && opened.agent ? t("end_other_by", opened.agent) : t("end_other"))) return;
        return close({ take_over: true });
      }
      throw e;
    }).catch(fail);
  }
  $("release").addEventListener("click", function () { closeTicket("release", "released"); });
  $("done").addEventListener("click", function () { closeTicket("done", "done"); });

  // The ended requests: the latest listed on demand, any one found by its number.
  var endedShown = false;
  function endedText(h) {
    var who = h.ended_by === "citizen" ? "ended_citizen" : h.closed_by ? "ended_by" : "ended_bot";
    return t(who, h.closed_by) + " " + t("ended_at", dateTime.format(new Date(h.updated)));
  }
  function listEnded() {
    return api("GET", "inbox/queue?state=closed").then(function (j) {
      endedShown = true;
      var ul = $("ended"); ul.replaceChildren();
      if (!j.handoffs.length) ul.appendChild(el("li", { class: "none" }, t("none_ended")));
      j.handoffs.forEach(function (h) {
        var b = el("button", { type: "button", class: "open-ended", "data-ticket": h.ticket },
                   t("open_n", h.ticket) + " — " + t("kind_" + h.kind) + " — " + endedText(h));
        b.addEventListener("click", function () { openTicket(h.ticket).then(function () { $("conv-h").focus(); }).catch(fail); });
        var li = el("li"); li.appendChild(b); ul.appendChild(li);
      });
    });
  }
  $("show-ended").addEventListener("click", function () { listEnded().catch(fail); });
  // "42", "0042" or "2026 42", as said on the phone: request 2026-0042 (this year's when no
  // year is said).
  function ticketOf(k) {
    var m = /^(?:(\d{4})\s*[-\/ ]\s*)?0*(\d{1,4})$/.exec(k);
    return m ? (m[1] || String(new Date().getFullYear())) + "-" + ("000" + m[2]).slice(-4) : k;
  }
  $("find-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var k = ticketOf($("find-ticket").value.trim());
    if (!k) { $("find-ticket").focus(); return; }
    openTicket(k).then(function () { $("conv-h").focus(); }).catch(function (err) {
      if (err.status === 404) { say(t("not_found", k)); $("find-ticket").focus(); return; }
      fail(err);
    });
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
        cell(tr, (lang === "en" && r.service_name_en) || r.service_name || r.service_code || "");
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
        var tr = el("tr"); cell(tr, a.name); cell(tr, t("role_" + a.role)); cell(tr, a.shown_as || "");
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
    }).catch(function (err) { $("account-error").textContent = errorText(err); });
  });

  // The name residents read above this agent's replies ("Marie, agent de la mairie").
  $("shown-form").addEventListener("submit", function (e) {
    e.preventDefault();
    api("POST", "me", { shown_as: $("shown-as").value }).then(function (j) {
      me.shown_as = j.shown_as; $("shown-as").value = j.shown_as;
      say(j.shown_as ? t("shown_saved", j.shown_as) : t("shown_none"));
    }).catch(fail);
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
    forgetMine();
    ticket = null; opened = null; $("reply").value = ""; $("conversation").hidden = true;
    if (history.replaceState) history.replaceState(null, "", location.search + "#");
    api("POST", "logout", {}).catch(function () {}).then(showLogin);
  });
  api("GET", "me").then(signedIn, showLogin);
})();
