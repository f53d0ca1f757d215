// Short-lived, HMAC-SHA256-signed conversation tokens: the proof, handed to one browser, that
// it may read and write one conversation. Stateless: "<kind>.<conversation>.<expiry>.<mac>",
// base64url; the server secret comes from the configuration, or is kept beside the store.
// Thread-safe after construction (const member functions only).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace guichet::web {

struct token_claims {
    std::string kind;          // "web", "dl" (a Direct Line conversation), "dlgen" (generated)
    std::string conversation;  // the conversation it opens
    std::int64_t expires = 0;  // Unix seconds
};

enum class token_status { ok, malformed, bad_signature, expired };

class token_signer {
public:
    // An empty secret draws 32 random bytes (tokens then die with the process).
    explicit token_signer(std::string secret);

    std::string issue(const std::string& kind, const std::string& conversation,
                      std::chrono::seconds lifetime) const;
    // Checks the signature, then the expiry (at `now`, Unix seconds; 0 = the clock).
    token_status verify(const std::string& token, token_claims& out, std::int64_t now = 0) const;

private:
    std::string mac(const std::string& data) const;
    std::string secret_;
    // HMAC-SHA256 keyed with secret_, copied for each signature (set up once: fetching the
    // algorithm and keying it cost more than the signature itself).
    std::shared_ptr<void> keyed_;
};

std::string base64url(const std::string& bytes);
std::optional<std::string> base64url_decode(const std::string& text);
// A random identifier of `bytes` random bytes, base64url.
std::string random_id(std::size_t bytes = 16);

// The secret kept in `file` (read by the owner only), drawn and written there the first time:
// without web.token_secret, tokens then outlive a restart or an upgrade (with a secret per
// process, every citizen's conversation was cut at each restart). Throws with the file's
// name when it can be neither read nor written.
std::string kept_secret(const std::filesystem::path& file);

}  // namespace guichet::web
