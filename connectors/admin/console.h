// The staff's admin console at /admin: its static page (connectors/admin/static: HTML, JS,
// CSS served with a strict CSP, nothing inline) and its JSON API under /admin/api/ behind
// staff logins (accounts.h) with sessions (cookie `guichet_admin`, HttpOnly, SameSite=Strict,
// Path=/admin, Secure behind a trusted TLS proxy), a CSRF token in `X-CSRF-Token` on every
// state-changing request (and the Origin checked when present), and roles:
//   editor: figures, unanswered questions → examples, answers rated unhelpful, the FAQ's
//           figures per entry, alerts, reload status
//   agent:  the inbox (handoffs) and reports (the agents' inbox API, mounted under /admin/api/inbox/)
//   admin:  everything, and the staff accounts.
// 401 without a session, 403 for a wrong role or CSRF token, 429 after too many failed logins.
// Configuration (`admin:` section, GUICHET_ADMIN_<KEY>): session_idle_s (1800),
// session_lifetime_s (28800), login_failures_per_minute (5), accounts_path, static_dir.
#pragma once

#include <memory>

#include "server/http_server.h"

namespace guichet {
class app;
}

namespace guichet::admin {

// Registers the console; keep the result alive while serving. Throws when the accounts file
// cannot be opened.
std::shared_ptr<void> register_console(http_server& server, app& a);

}  // namespace guichet::admin
