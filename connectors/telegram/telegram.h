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
    // In a group, the member's message: the answer replies to it, so that the group sees whom
    // it answers (0: a private chat, a button press).
    std::int64_t reply_to = 0;
};

// The bot itself, to tell which group messages are addressed to it.
struct bot_identity {
    std::string id;        // the user id: the bot token's part before ':'
    std::string username;  // without '@'; "" when unknown (then mentions are not recognised)
};

// True when the update comes from a group or supergroup (where the bot's username matters).
bool from_group(const boost::json::value& v);

// Nothing when the update is malformed (error says why). In a group or supergroup only a
// message addressed to the bot (a command, an @mention, a reply to one of its messages, a
// button press) gives a message, with its own conversation per member ("<chat>/<user>").
std::optional<inbound> parse_update(const boost::json::value& v, std::string& error, const bot_identity& me = {});

// Bot API calls (target = method name) for a turn's replies in one conversation (a chat id,
// or "<chat>/<user>" in a group: sent to the group). reply_to: the message the first one
// replies to (reply_parameters; sent without the reply if that message is gone), 0 none.
std::vector<outgoing> render(const std::string& conversation, const turn_result& r,
                             const std::string& callback_id = {}, std::int64_t reply_to = 0);

// Registers the route; the objects must outlive the server.
// The client asks getMe once, for the username, when a group message first needs it.
void register_routes(http_server& server, router& r, outbox& box, const settings& s, outbound::https_client& client);
outbox::sender_fn make_sender(outbound::https_client& client, const settings& s);

}  // namespace guichet::telegram
