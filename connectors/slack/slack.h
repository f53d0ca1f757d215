// Slack Events API connector: POST /webhooks/slack checks the v0 signature
// (X-Slack-Signature over "v0:<timestamp>:<raw body>", 5-minute window), answers
// url_verification, acknowledges at once and handles the event afterwards (Slack wants 2xx
// within 3 s), runs each event_id once (retries carry X-Slack-Retry-Num), ignores bot
// messages, and replies with chat.postMessage and Block Kit buttons. In a channel it answers
// mentions, and every message of a thread it has answered in (kept in the outbox's facts). Button presses arrive
// on the same URL as interactivity payloads (form field `payload`).
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "engine/message.h"
#include "outbound/https_client.h"
#include "outbox/outbox.h"
#include "router/router.h"
#include "server/http_server.h"

namespace guichet::slack {

struct settings {
    std::string signing_secret, bot_token;
    std::string api_url = "https://slack.com/api";
    std::chrono::seconds window{300};  // request timestamps older or newer are refused
};

// What a request's signature is worth: signature = "v0=" + hex(HMAC-SHA256(secret, "v0:" +
// timestamp + ":" + body)) is checked first, then the timestamp, within the window of now
// (Unix seconds): a right signature with a timestamp out of the window is a clock to set
// (this server's, NTP), not a secret to change.
enum class signature_check { ok, bad_timestamp, wrong_signature, out_of_window };
signature_check check_signature(const settings& s, std::string_view timestamp,
                                std::string_view signature, std::string_view body, long long now);

struct inbound {
    std::string key;  // event_id, or the action's id
    // The message itself (channel + ts): an @mention in a channel arrives twice, as a
    // `message` and an `app_mention` event with their own event_ids. Empty for actions.
    std::string message_key;
    std::string thread_ts;  // the thread the message was written in: answered there
    // A channel message without a mention, in a thread: answered only in a thread the bot
    // has answered in (outbox fact "thread:<ts>" of the channel).
    bool needs_bot_thread = false;
    message msg;
    bool unreadable = false;  // a file shared without text
    // A button of an answer to another member of the channel (whose id this is), pressed by
    // this one: said to the presser alone, not taken as theirs nor as the other's.
    std::string others_button;
};

// Slack's message text as a citizen typed it: &amp; &lt; &gt; decoded, user and channel
// mentions (<@U123>, <#C1|name>, <!channel>) dropped, a link <url|label> as its label, an
// emoji's short name (":+1:") as the emoji for the few the engine reads (👍 🙏…), else dropped.
std::string plain_text(std::string_view slack_text);

// An Events API envelope or an interactivity payload; nothing for what we ignore.
std::optional<inbound> parse_event(const boost::json::value& v);
std::optional<inbound> parse_interaction(const boost::json::value& v);

// chat.postMessage bodies (target "chat.postMessage"), in the thread thread_ts if not empty,
// for a conversation: a DM's channel id, or "<channel>/<user>" in a channel (posted there).
std::vector<outgoing> render(const std::string& conversation, const turn_result& r,
                             const std::string& thread_ts = {});

void register_routes(http_server& server, router& r, outbox& box, const settings& s);
outbox::sender_fn make_sender(outbound::https_client& client, const settings& s);

}  // namespace guichet::slack
