// Meta connector — WhatsApp Cloud API and Messenger on one webhook: GET /webhooks/meta
// answers the hub.challenge verification, POST checks X-Hub-Signature-256 (HMAC-SHA256 of
// the raw body with the app secret), runs each message id once, and replies through the
// Graph API: WhatsApp interactive reply buttons (≤ 3, else a list), Messenger quick replies.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <mutex>
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
};

struct inbound {
    std::string key;  // wamid / mid: the delivery id
    std::string phone_number_id;  // WhatsApp: the business number that received it
    message msg;                  // channel "whatsapp" or "messenger"
    bool unreadable = false;      // a photo, a voice note, a sticker… without text
};

// The WhatsApp business number each citizen wrote to (every inbound notification names it in
// value.metadata.phone_number_id), for replies pushed later (an agent's, a report's status).
// In memory: after a restart, known again from the citizen's next message. Thread-safe.
class phone_numbers {
public:
    explicit phone_numbers(std::string configured = {}) : configured_(std::move(configured)) {}
    void remember(const std::string& wa_id, const std::string& phone_number_id);
    // The number this citizen wrote to, else GUICHET_META_PHONE_NUMBER_ID, else the number
    // the last citizen wrote to (a site usually has one); "" when none is known.
    std::string for_citizen(const std::string& wa_id) const;

private:
    std::string configured_;
    mutable std::mutex mutex_;
    std::map<std::string, std::string> by_citizen_;
    std::string last_;
};

// Every message of a notification batch (statuses, echoes, reads are skipped).
std::vector<inbound> parse_notification(const boost::json::value& v);

// Graph API calls: target "/<phone_number_id>/messages" (WhatsApp) or "/me/messages".
std::vector<outgoing> render_whatsapp(const std::string& phone_number_id, const std::string& to,
                                      const turn_result& r);
std::vector<outgoing> render_messenger(const std::string& psid, const turn_result& r);

// The objects must outlive the server; numbers learns each WhatsApp citizen's number.
void register_routes(http_server& server, router& r, outbox& box, const settings& s, phone_numbers& numbers);
outbox::sender_fn make_sender(outbound::https_client& client, const settings& s);

}  // namespace guichet::meta
