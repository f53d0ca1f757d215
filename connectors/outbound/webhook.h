// What every messaging connector shares: HMAC-SHA256 signatures (OpenSSL), constant-time
// comparison of secrets (CRYPTO_memcmp), a platform language code mapped to fr/en, and a
// turn submitted to the router with its failure logged (never thrown). Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/message.h"
#include "router/router.h"

namespace guichet::outbound {

// Lower-case hex of HMAC-SHA256(key, data).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Equal contents, compared in time that depends only on the lengths.
bool secret_equal(std::string_view a, std::string_view b);

// "fr", "fr-FR", "fr_CA" → "fr"; "en…" → "en"; anything else → "" (detected from the text).
std::string locale_of(std::string_view language_code);

// Submits m and returns the turn, or nothing (logged at warn) when the router refused it.
boost::asio::awaitable<std::optional<turn_result>> submit_turn(router& r, message m);

// In a group chat each member has their own conversation with the bot: "<chat>/<user>"
// (Telegram and Slack ids hold no '/'). chat_of() gives the chat replies go to.
std::string group_conversation(std::string_view chat, std::string_view user);
std::string chat_of(std::string_view conversation);

// The answers to a message the bot could not take, in French for "fr", in English for "en",
// in both (French first) when the conversation's language is not known here (WhatsApp,
// Slack and Matrix say none): a photo, a sticker, a voice note, a file (asks for a written
// question); an end-to-end encrypted Matrix message, which an application service cannot
// read (asks for an unencrypted room); a message accepted from the platform that the engine
// could not take (too many of this conversation's at once, a failure), so that it is sent again.
turn_result unreadable_reply(std::string_view locale);
turn_result encrypted_reply(std::string_view locale);
turn_result not_handled_reply(std::string_view locale);

// A call to a platform's webhook refused before it is read (no or a wrong secret, a wrong
// signature, a timestamp out of the window): a warning of `component` naming the caller's
// address and `why` (what was wrong and the fix; never a secret nor the body), so that an
// admin whose secret is wrong sees why every message is refused. At most one line a minute
// for each component and `what` (the kind of refusal), the next one counting the calls
// refused in between: a platform's retries or someone probing do not fill the log.
void log_refused(std::string_view component, std::string_view what, std::string_view why,
                 std::string_view address);

// Now, in Unix seconds (the platforms' timestamps, the 24-hour windows).
std::int64_t unix_seconds();

// A link to a point on OpenStreetMap, for platforms with no native way to send a location.
std::string map_link(double lat, double lon);

}  // namespace guichet::outbound
