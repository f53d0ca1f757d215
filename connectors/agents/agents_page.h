// The inbox page (HTML, CSS and a little JavaScript, no framework): login form, the queue,
// the transcript of the selected conversation, a reply box, "hand back to the bot", reports.
// French first; every label also in English. Polls the JSON API every two seconds.
#pragma once

namespace guichet::agents {

inline constexpr const char* inbox_page = R"html(<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Boîte des agents / Agents' inbox</title>
<style>
body{font:16px system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f6}
header{background:#000091;color:#fff;padding:.6rem 1rem}
main{display:flex;gap:1rem;padding:1rem;flex-wrap:wrap}
section{background:#fff;border:1px solid #ccc;padding:.8rem;flex:1;min-width:18rem}
button{font:inherit;padding:.3rem .8rem;cursor:pointer}
li{margin:.3rem 0} .in{color:#000091} .agent{color:#18753c} .out{color:#555}
label{display:block;margin:.4rem 0}
:focus{outline:3px solid #0a76f6}
</style></head><body>
<header><h1>Boîte des agents <span lang="en">/ Agents' inbox</span></h1>
<p>Nouvelle console avec comptes personnels : <a href="/admin#inbox" style="color:#fff">/admin</a> <span lang="en">/ New console with personal accounts</span></p></header>
<main>
<section id="login" hidden><h2>Connexion <span lang="en">/ Sign in</span></h2>
<form id="login-form"><label>Nom <span lang="en">/ Name</span> <input id="name" autocomplete="username"></label>
<label>Mot de passe <span lang="en">/ Password</span> <input id="password" type="password" autocomplete="current-password" required></label>
<button>Se connecter <span lang="en">/ Sign in</span></button> <p id="login-error" role="alert"></p></form></section>
<section id="queue" hidden><h2>File d'attente <span lang="en">/ Queue</span></h2><ul id="queue-list" aria-live="polite"></ul></section>
<section id="conversation" hidden><h2>Conversation <span id="ticket"></span></h2>
<ul id="transcript" aria-live="polite"></ul>
<form id="reply-form"><label>Réponse <span lang="en">/ Reply</span> <textarea id="reply" rows="3" cols="40" required></textarea></label>
<button>Envoyer <span lang="en">/ Send</span></button>
<button type="button" id="release">Rendre la main au bot <span lang="en">/ Hand back to the bot</span></button>
<button type="button" id="done">Terminer <span lang="en">/ Done</span></button></form></section>
</main>
<script>
let current = null;
const api = (path, body) => fetch('/agents/api/' + path, body === undefined ? {} :
  {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
const text = (tag, t, cls) => { const e = document.createElement(tag); e.textContent = t; if (cls) e.className = cls; return e; };
async function refresh() {
  const r = await api('queue');
  if (r.status === 401) { document.getElementById('login').hidden = false; document.getElementById('queue').hidden = true; return; }
  document.getElementById('login').hidden = true; document.getElementById('queue').hidden = false;
  const q = await r.json(); const ul = document.getElementById('queue-list'); ul.replaceChildren();
  for (const h of q.handoffs) {
    const li = document.createElement('li'); const b = text('button', h.ticket + ' — ' + h.kind + ' — ' + h.state + (h.contact ? ' — ' + h.contact : ''));
    b.onclick = () => { current = h.ticket; show(); }; li.append(b); ul.append(li);
  }
  if (current) show();
}
async function show() {
  const r = await api('handoffs/' + current); if (!r.ok) return;
  const c = await r.json(); document.getElementById('conversation').hidden = false;
  document.getElementById('ticket').textContent = c.handoff.ticket;
  const ul = document.getElementById('transcript'); ul.replaceChildren();
  for (const m of c.transcript) ul.append(text('li', m.direction + ' : ' + m.text, m.direction));
}
document.getElementById('login-form').onsubmit = async e => { e.preventDefault();
  const r = await api('login', {name: document.getElementById('name').value, password: document.getElementById('password').value});
  document.getElementById('login-error').textContent = r.ok ? '' : 'Mot de passe incorrect / Wrong password'; refresh(); };
document.getElementById('reply-form').onsubmit = async e => { e.preventDefault();
  const t = document.getElementById('reply'); await api('handoffs/' + current + '/reply', {text: t.value}); t.value = ''; show(); };
for (const action of ['release', 'done'])
  document.getElementById(action).onclick = async () => { await api('handoffs/' + current + '/' + action, {}); current = null;
    document.getElementById('conversation').hidden = true; refresh(); };
refresh(); setInterval(refresh, 2000);
</script></body></html>
)html";

}  // namespace guichet::agents
