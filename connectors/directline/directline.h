// Microsoft Bot Framework Direct Line 3.0 at /v3/directline, so that the unmodified Web Chat
// (`createDirectLine({domain: "<our url>/v3/directline", token})`) and botframework-
// directlinejs hold a conversation with guichet: tokens (generate/refresh), conversations,
// activities with watermarks, the WebSocket stream. Facts: shared/ref/protocols.md §1.5.
// Thread-safety: everything registered is safe to call from every server thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <utility>  // before push.h, which uses std::exchange without it

#include "engine/push.h"
#include "router/router.h"
#include "server/http_server.h"
#include "web/web_api.h"

namespace guichet {
class config;
}

namespace guichet::directline {

struct options {
    std::string secret;        // GUICHET_DIRECTLINE_SECRET; empty: Direct Line is off (503)
    std::string token_secret;  // signs tokens (web.token_secret); empty: random per process
    std::chrono::seconds token_lifetime{1800};
    std::string public_url;    // "https://chat.example.fr" for streamUrl; empty: from Host
    std::size_t text_max_bytes = 4096;
    std::size_t ws_message_max = 16 * 1024;
    std::size_t activities_max = 500;  // kept per conversation
    std::size_t conversations_max = 100000;
    // The conversation's messages in the durable store, oldest first (as web::api_options::
    // stored, channel "directline"): a conversation the server no longer holds (restarted,
    // or dropped as the least recently used) is rebuilt from them when its token asks for it.
    std::function<std::vector<web::stored_message>(const std::string& conversation, std::size_t limit)>
        stored;
    // How many of them are read back: all of a conversation's, so that they are numbered as
    // they were (only the last activities_max are kept).
    std::size_t restored_max = 10000;
};

// directline.secret, directline.public_url, directline.token_lifetime_s, web.token_secret.
options options_from(const config& c);

// Registers the routes; keep the returned object alive as long as the server. Pushes for
// channel "directline" become bot activities of their conversation.
std::shared_ptr<void> register_directline(http_server& server, router& r, push_hub& push,
                                          options o);

}  // namespace guichet::directline
