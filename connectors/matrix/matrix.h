// Matrix application-service connector (Synapse, Tchap, Element): the homeserver PUTs
// transactions to /_matrix/app/v1/transactions/{txnId} with the hs_token (Authorization:
// Bearer, or ?access_token= from older homeservers); each txnId runs once; m.text and
// m.location messages go to the engine; replies go back through the client-server API
// (PUT …/rooms/{roomId}/send/m.room.message/{txnId}) with the as_token. An invitation of the
// bot into a room is accepted (POST …/rooms/{roomId}/join). In a room with other members
// than the citizen, an answer replies to the member's message and mentions them.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "engine/message.h"
#include "outbound/https_client.h"
#include "outbox/outbox.h"
#include "router/router.h"
#include "server/http_server.h"

namespace guichet::matrix {

struct settings {
    std::string hs_token, as_token;
    std::string api_url;  // the homeserver's client-server base URL, e.g. https://matrix.example.org
    // The bot's own user id (its messages are ignored), e.g. @guichet:example.org; when
    // empty it is asked of the homeserver (GET /_matrix/client/v3/account/whoami).
    std::string user_id;
};

struct inbound {
    std::string event_id;
    message msg;
    bool unreadable = false;  // an image, a file, a voice message, a sticker
    bool encrypted = false;   // m.room.encrypted: end-to-end encrypted, unreadable to the bot
};

// The transaction's room messages from other users (own echoes, state events skipped). Each
// member of a room talks to the bot in their own conversation, "<room>/<user>".
std::vector<inbound> parse_transaction(const boost::json::value& v, const std::string& own_user);

// A change of a room's members (m.room.member): `user` (its state_key) is now `membership`
// ("invite", "join", "leave"…), by `sender`; an invitation says whether it opens a direct
// chat (content.is_direct, set by Element's "Start chat").
struct member_change {
    std::string room, user, sender, membership;
    bool is_direct = false;
};
std::vector<member_change> member_changes(const boost::json::value& v);

// Whom a reply is for, in a room where others read it: the member's message it answers
// (m.in_reply_to, when known) and the member mentioned (m.mentions). Empty: a direct chat.
struct addressee {
    std::string event_id, user_id;
};
// The conversation's member, unless the room is a direct chat with them: the bot was invited
// with is_direct by that member and nobody else joined since (the outbox remembers the room,
// from the invitation on). A room the bot knows nothing of is taken as a group.
addressee addressed_to(const outbox& box, const std::string& conversation, std::string event_id = {});

// The outbox entry that joins a room (POST /_matrix/client/v3/rooms/{roomId}/join): queued
// in the room's conversation, so it leaves before any reply to that room.
outgoing join(const std::string& room_id);

// Event contents to send to the conversation's room, queued in the room's order (target and
// conversation = the room id; the txnId is added at send time). Text is
// sent as m.notice, the Matrix convention for bots: other bots (and this one) do not answer it.
// In a group the turn's first event is a reply to the member's message and mentions them.
std::vector<outgoing> render(const std::string& conversation, const turn_result& r, const addressee& to = {});

// The objects must outlive the server; `client` asks whoami when s.user_id is empty.
void register_routes(http_server& server, router& r, outbox& box, const settings& s,
                     outbound::https_client& client);
outbox::sender_fn make_sender(outbound::https_client& client, const settings& s);

}  // namespace guichet::matrix
