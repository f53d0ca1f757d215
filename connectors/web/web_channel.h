// The website channel's shared state (internal to connectors/web): token signer, the
// conversation log, the router and the static files. Thread-safe: members are either
// immutable after construction or internally locked.
#pragma once

#include <map>

#include "web/web_api.h"

namespace guichet::web {

struct static_file {
    std::string content_type;
    std::string body;
};

class web_channel {
public:
    web_channel(router& r, http_server& server, api_options o)
        : router_(r), server_(server), options_(std::move(o)), signer_(options_.token_secret),
          log_(options_.history_max, options_.conversations_max) {}

    router& router_;
    http_server& server_;
    api_options options_;
    token_signer signer_;
    conversation_log log_;
    std::map<std::string, static_file> files_;  // by URL path

    // Checks a conversation token; on failure fills `res` with the 401/403 to send.
    // `renewing`: asked for a new token, an expired one is taken within token_renewable.
    bool authorize(const std::string& token, const std::string& conversation,
                   http_response& res, unsigned version, bool renewing = false) const;
    // Hands a message to the router and logs both sides; completes with the turn.
    boost::asio::awaitable<std::pair<boost::system::error_code, turn_result>> converse(message m,
                                                                                        std::string client_id);
    // Makes sure the log holds `conversation`: read back from the durable store when it is
    // not in memory. Returns false when neither knows it (a new conversation, now opened).
    bool recall(const std::string& conversation);
    // Whether a browser page at `origin` may open our WebSocket (same host or CORS list).
    bool origin_ok(const http_request& req, const request_context& ctx) const;
};

void register_socket(http_server& server, const std::shared_ptr<web_channel>& ch);
void register_static(http_server& server, const std::shared_ptr<web_channel>& ch);
// POST /api/v1/messages/{conversation}/feedback (feedback.cpp).
void register_feedback(http_server& server, const std::shared_ptr<web_channel>& ch);
// An entry as sent to clients: the stored data plus its "id".
boost::json::object entry_json(const log_entry& e);

}  // namespace guichet::web
