// Signature helpers on OpenSSL 3 (HMAC via EVP_MAC through the one-shot HMAC()), and the
// router call every webhook makes.
#include "outbound/webhook.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <utility>
#include <cstdio>

#include "engine/log.h"

namespace asio = boost::asio;

namespace guichet::outbound {

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned i = 0; i < len; ++i) {
        out += digits[mac[i] >> 4];
        out += digits[mac[i] & 15];
    }
    return out;
}

bool secret_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size() || a.empty()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string locale_of(std::string_view code) {
    if (code.size() >= 2) {
        auto l = code.substr(0, 2);
        if ((l == "fr" || l == "FR") && (code.size() == 2 || code[2] == '-' || code[2] == '_')) return "fr";
        if ((l == "en" || l == "EN") && (code.size() == 2 || code[2] == '-' || code[2] == '_')) return "en";
    }
    return {};
}

asio::awaitable<std::optional<turn_result>> submit_turn(router& r, message m) {
    std::string who = m.channel + ":" + m.conversation_id;
    auto [ec, result] = co_await r.turn(std::move(m));
    if (ec) {
        log::warn("messaging", who + ": message not handled: " + ec.message());
        co_return std::nullopt;
    }
    co_return std::move(result);
}

std::string group_conversation(std::string_view chat, std::string_view user) {
    return std::string(chat) + "/" + std::string(user);
}

std::string chat_of(std::string_view conversation) {
    return std::string(conversation.substr(0, conversation.find('/')));
}

namespace {

turn_result said(std::string_view locale, std::string_view fr, std::string_view en) {
    turn_result r;
    r.locale = locale == "en" ? "en" : "fr";
    std::string text = locale == "en" ? std::string(en)
                       : locale == "fr" ? std::string(fr)
                                        : std::string(fr) + "\n\n" + std::string(en);
    r.replies.push_back({std::move(text), {}, {}, {}});
    return r;
}

}  // namespace

turn_result unreadable_reply(std::string_view locale) {
    return said(locale,
                "Je ne sais lire que les messages écrits (et une position partagée). Pouvez-vous écrire "
                "votre question ?",
                "I can only read written messages (and a shared location). Could you type your question?");
}

turn_result encrypted_reply(std::string_view locale) {
    return said(locale,
                "Je ne peux pas lire les messages chiffrés de bout en bout. Écrivez-moi dans un salon "
                "non chiffré, ou en message direct sans chiffrement.",
                "I cannot read end-to-end encrypted messages. Write to me in an unencrypted room, or in "
                "a direct message without encryption.");
}

turn_result not_handled_reply(std::string_view locale) {
    return said(locale,
                "Votre message n'a pas pu être traité. Pouvez-vous le renvoyer dans un instant ?",
                "Your message could not be handled. Could you send it again in a moment?");
}

void log_refused(std::string_view component, std::string_view what, std::string_view why,
                 std::string_view address) {
    struct said {
        std::chrono::steady_clock::time_point last;
        std::size_t unsaid = 0;
    };
    static std::mutex m;
    static std::map<std::string, said, std::less<>> last;
    const auto now = std::chrono::steady_clock::now();
    std::size_t unsaid = 0;
    {
        std::lock_guard lock(m);
        auto key = std::string(component) + ' ' + std::string(what);
        auto [it, first] = last.try_emplace(key);
        if (!first && now - it->second.last < std::chrono::minutes(1)) {
            ++it->second.unsaid;
            return;
        }
        unsaid = std::exchange(it->second.unsaid, 0);
        it->second.last = now;
    }
    log::warn(component, "refused a call from " + std::string(address) + ": " + std::string(why) +
                             (unsaid ? " (and " + std::to_string(unsaid) +
                                           " more such calls refused since the last line, a minute ago or more)"
                                     : ""));
}

std::int64_t unix_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string map_link(double lat, double lon) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=18/%.6f/%.6f",
                  lat, lon, lat, lon);
    return buf;
}

}  // namespace guichet::outbound
