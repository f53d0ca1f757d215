// The agents' inbox: a web page served by the engine behind a staff login (password from
// GUICHET_AGENTS_PASSWORD or `agents.password`; a session cookie, HttpOnly, SameSite=Strict),
// and its JSON API: the handoff queue, a conversation's transcript, reply (pushed to the
// citizen's channel in real time through push_hub), hand back to the bot, end a request (done),
// the ended ones found again, reports and their status, a citizen's data export. Sessions live
// in memory; each page seen lately counts as an agent present (app::presence), and the duty
// watch offers a call-back to the citizens whom nobody will answer. Handlers are thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <memory>
#include <string>

#include "server/http_server.h"

namespace guichet {
class app;
}

namespace guichet::agents {

struct options {
    std::string password;  // empty: the inbox answers 503 (disabled)
    std::chrono::seconds session_lifetime{8 * 3600};
    std::size_t reply_max_bytes = 4096;  // characters (code points) of a reply, at most
    // A signed-in agent counts as present (on duty) while their page asked this recently.
    std::chrono::seconds present_idle{1800};
};

options options_from(const app& a);

// Decides whether a request may use the inbox API: fills `agent` (who acts) and returns
// nothing, or returns the error answer (401, 403, 503).
using access_check = std::function<std::optional<http_response>(http_request&, const request_context&,
                                                                 std::string& agent)>;

// The inbox JSON API under `prefix` ("/agents/api/", "/admin/api/inbox/"): queue (?state=closed:
// the latest 200 ended, with closed_by and `updated` as when), handoffs/{ticket} (any state;
// + /reply, /release: back to the bot, /done: the conversation ended or the call-back or e-mail
// answered — the citizen of a live one is told), reports (?status=open|closed), reports/{ticket}/status
// (the citizen is told on their channel), export. The queue gives, per handoff, the count and
// the first words of what the citizen said since asking, and `reply_max` (characters). The admin console mounts the same API
// behind its own logins.
// `shown_as(agent)`: the name the agent chose to show citizens above their replies ("" none,
// and for every agent when not given): "Marie, agent de la mairie".
void register_inbox_api(http_server& server, app& a, const std::string& prefix, access_check access,
                        std::size_t reply_max = 4096,
                        std::function<std::string(const std::string& agent)> shown_as = {});

// Puts the conversations `agent` holds back in the waiting queue, agent cleared (they signed
// out or their session ended: a colleague takes them). Returns how many. Thread-safe.
std::size_t requeue_of(app& a, const std::string& agent);

// Whether the agents' desk (`agents.desk_place`, "accueil_mairie") is open at `now` by its
// opening hours in the knowledge base — the hours the handoff plugin promises a person in.
bool desk_open(app& a, std::int64_t now);

// The citizens queued for a person whom nobody will answer — the desk closed (those still
// waiting), or no agent is signed in any more (waiting or held) — are told so in their language
// and offered a call-back or an e-mail (buttons the handoff plugin answers); their request
// leaves the queue. Returns how many. Thread-safe. Run every `agents.duty_check_s` and when an
// agent's session ends.
std::size_t release_unattended(app& a, std::int64_t now);

// Registers /agents (the page) and /agents/api/*. Returns the state to keep alive.
std::shared_ptr<void> register_inbox(http_server& server, app& a, options o);

// Everything the engine serves for the town's staff (Open311, the inbox, the admin console
// at /admin, the 👍/👎 sink of the website channel) and the retention
// purge that runs by itself: the one call main() makes. Keep the result alive while serving.
std::shared_ptr<void> register_desk(http_server& server, app& a);

}  // namespace guichet::agents
