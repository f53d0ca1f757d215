// The website channel: the REST API (conversations, messages, history), the WebSocket at
// /api/v1/ws for live conversations and server pushes, and the widget's static files
// (/, /widget.js, /widget.css). See connectors/web/README.md for the shapes and the rules.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <utility>  // before push.h, which uses std::exchange without it

#include "analytics/analytics.h"
#include "engine/push.h"
#include "router/router.h"
#include "server/http_server.h"
#include "web/conversation_log.h"
#include "web/token.h"

namespace guichet {
class config;
}

namespace guichet::web {

// One message of a conversation as the durable store keeps it (personal data masked):
// direction "in" (the citizen), "out" (the bot) or "agent".
struct stored_message {
    std::string direction, text;
    std::int64_t at = 0;  // Unix seconds
    std::string author;   // an agent's: the name they showed citizens ("" none)
    std::string user;     // the citizen's id on the channel
};

struct api_options {
    std::size_t text_max_bytes = 4096;        // a longer "text" is refused with 413
    std::size_t ws_message_max = 16 * 1024;   // a larger WebSocket message closes it (1009)
    std::size_t ws_outbox_max = 256;          // frames waiting for a slow reader before we drop it
    std::chrono::seconds ws_idle_timeout{300};  // no frame nor pong this long: closed
    std::chrono::seconds token_lifetime{3600};
    // An expired token still gets its conversation a new token (POST …/token) this long after
    // it expired: a page reopened the next morning, or left open while the citizen waits for
    // an agent, keeps its conversation. 0: never.
    std::chrono::seconds token_renewable{86400};
    std::string token_secret;                 // empty: random per process (serve passes a kept one)
    std::size_t history_max = 200;            // entries kept per conversation
    std::size_t conversations_max = 100000;   // conversations kept in memory (LRU)
    std::filesystem::path static_dir;         // empty: the source tree's connectors/web/static
    // The conversation's last messages in the durable store, oldest first (none: unknown). A
    // conversation the in-memory log does not hold (after a restart, or dropped as the least
    // recently used) but the store knows still needs its token, and its history is read back.
    std::function<std::vector<stored_message>(const std::string& conversation, std::size_t limit)>
        stored;
};

// Reads web.* from the configuration (web.token_secret, web.token_lifetime_s,
// web.ws_message_max, web.history_max, web.static_dir) on top of the defaults.
api_options api_options_from(const config& c);

// Reads limits.* (rate_per_minute, max_connections_per_ip, trusted_proxies) and
// web.cors_origins into `limits`; prints what is wrong to err and returns false.
bool apply_limits(const config& c, http_limits& limits, std::ostream& err);

// Shared state of the channel; registered routes hold a reference, so keep it alive as long
// as the server (the value returned by register_api).
class web_channel;

// Where the citizens' 👍/👎 go (intent, locale, useful, the FAQ entry answered from, the
// citizen's question and the answer, as written): the engine installs one (analytics) for the
// life of the server; none: votes are accepted and not counted. Any thread.
using feedback_sink = std::function<void(const analytics::vote&)>;
void set_feedback_sink(feedback_sink sink);

// Registers every route of the channel; pushes for channel "web" go to its conversations.
// Drop the returned registration before `push` (it holds the push subscription).
std::shared_ptr<void> register_api(http_server& server, router& r, push_hub& push,
                                          api_options options = {});

}  // namespace guichet::web
