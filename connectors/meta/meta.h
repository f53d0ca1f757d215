// Meta connector — WhatsApp Cloud API and Messenger on one webhook: GET /webhooks/meta
// answers the hub.challenge verification, POST checks X-Hub-Signature-256 (HMAC-SHA256 of
// the raw body with the app secret), runs each message id once, and replies through the
// Graph API: WhatsApp interactive reply buttons (≤ 3, else a list), Messenger quick replies
// and generic-template cards. Replies pushed later respect the platforms' 24-hour window:
// a WhatsApp message template, a Messenger message tag, or held for the citizen's next message.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/message.h"
#include "outbound/https_client.h"
#include "outbox/outbox.h"
#include "router/router.h"
#include "server/http_server.h"

namespace guichet::meta {

struct settings {
    std::string app_secret, verify_token, access_token;
    std::string api_url = "https://graph.facebook.com/v21.0";
    // The approved WhatsApp message template sent outside the 24-hour window (its body has one
    // parameter, {{1}}, which gets the reply's text), and its language code. No name: such
    // replies wait for the citizen's next message.
    std::string whatsapp_template, whatsapp_template_language = "fr";
};

// Meta lets a business send free-form messages up to 24 hours after the citizen's last one.
constexpr std::chrono::hours customer_window{24};

struct inbound {
    std::string key;  // wamid / mid: the delivery id
    std::string phone_number_id;  // WhatsApp: the business number that received it
    message msg;                  // channel "whatsapp" or "messenger"
    bool unreadable = false;      // a photo, a voice note, a sticker… without text
};

// The WhatsApp business number each citizen wrote to (every inbound notification names it in
// value.metadata.phone_number_id), for replies pushed later (an agent's, a report's status).
// Kept in the outbox's database (facts), so it survives a restart. Thread-safe.
class phone_numbers {
public:
    explicit phone_numbers(outbox& box, std::string configured = {})
        : box_(box), configured_(std::move(configured)) {}
    void remember(const std::string& wa_id, const std::string& phone_number_id);
    // The number this citizen wrote to, else GUICHET_META_PHONE_NUMBER_ID, else the number
    // the last citizen wrote to (a site usually has one); "" when none is known.
    std::string for_citizen(const std::string& wa_id) const;

private:
    outbox& box_;
    std::string configured_;
};

// Every message of a notification batch (statuses, echoes, reads are skipped).
std::vector<inbound> parse_notification(const boost::json::value& v);

// WhatsApp statuses "failed" of a notification batch, as log lines ("wamid… to 336…:
// 131047 Re-engagement message (details)"), with the citizen's wa_id.
struct failed_status {
    std::string recipient, description;
    bool window_closed = false;  // error 131047: more than 24 hours since the citizen wrote
    std::int64_t at = 0;         // when it failed (the status's timestamp, Unix seconds), 0 when not given
};
std::vector<failed_status> parse_failed_statuses(const boost::json::value& v);

// Graph API calls: target "/<phone_number_id>/messages" (WhatsApp) or "/me/messages".
std::vector<outgoing> render_whatsapp(const std::string& phone_number_id, const std::string& to,
                                      const turn_result& r);
// The approved template s.whatsapp_template with the reply's text as its body parameter
// (one message per part of at most 900 characters, on one line: WhatsApp refuses line breaks there).
std::vector<outgoing> render_whatsapp_template(const std::string& phone_number_id, const std::string& to,
                                               const turn_result& r, const settings& s);
// `tag` empty: messaging_type RESPONSE; else MESSAGE_TAG with that tag (outside the window).
std::vector<outgoing> render_messenger(const std::string& psid, const turn_result& r, const std::string& tag = {});

// A reply pushed later (an agent's, a report's status) to a WhatsApp or Messenger citizen:
// inside the 24-hour window as usual; outside it a WhatsApp template (when configured) or a
// Messenger ACCOUNT_UPDATE tag (report statuses), else held in the outbox until the citizen
// writes again (logged once per conversation; failed as expired after
// outbox_options::held_max_age). While replies are held for that citizen, a new one is held
// behind them, never sent ahead of them. A citizen whose last message time is not known
// (they wrote before it was recorded) is taken as inside the window until Meta says otherwise.
// Thread-safe; throws as outbox::enqueue.
void push_whatsapp(outbox& box, const settings& s, const phone_numbers& numbers, const std::string& wa_id,
                   const turn_result& r, std::int64_t now);
void push_messenger(outbox& box, const std::string& psid, const turn_result& r, std::int64_t now);

// The objects must outlive the server; numbers learns each WhatsApp citizen's number.
void register_routes(http_server& server, router& r, outbox& box, const settings& s, phone_numbers& numbers);
// The Graph API sender; a refusal for the closed window fails the reply with Meta's reason and
// records the window as closed in `box` (the next pushed reply is a template or held).
outbox::sender_fn make_sender(outbound::https_client& client, const settings& s, outbox& box);

}  // namespace guichet::meta
