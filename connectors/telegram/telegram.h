// Telegram Bot API connector (webhook mode): POST /webhooks/telegram checks the
// X-Telegram-Bot-Api-Secret-Token header, runs each update_id once, turns text, shared
// locations and inline-keyboard presses into messages, and renders replies natively
// (inline keyboards, venues). Every reply goes through the outbox to the Bot API (never
// in the webhook response, which Telegram may not read).
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/message.h"
#include "outbound/https_client.h"
#include "outbox/outbox.h"
#include "router/router.h"
#include "server/http_server.h"

namespace guichet::telegram {

struct settings {
    std::string secret_token;  // setWebhook's secret_token
    std::string bot_token;     // from @BotFather
    std::string api_url = "https://api.telegram.org";
};

// An update reduced to what the engine needs. `msg` is empty for updates we ignore.
struct inbound {
    std::string update_id;
    std::optional<message> msg;
    std::string callback_id;  // a callback_query to acknowledge
    bool unreadable = false;  // a photo, sticker, voice note… without text: msg says who and in which language
};

// Nothing when the update is malformed (error says why).
std::optional<inbound> parse_update(const boost::json::value& v, std::string& error);

// Bot API calls (target = method name) for a turn's replies in one chat.
std::vector<outgoing> render(const std::string& chat_id, const turn_result& r,
                             const std::string& callback_id = {});

// Registers the route; the objects must outlive the server.
void register_routes(http_server& server, router& r, outbox& box, const settings& s);
outbox::sender_fn make_sender(outbound::https_client& client, const settings& s);

}  // namespace guichet::telegram
