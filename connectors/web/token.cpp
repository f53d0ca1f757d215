// Token signing with OpenSSL's HMAC (EVP_MAC, keyed once per signer and duplicated per
// signature); comparison in constant time (CRYPTO_memcmp).
#include "web/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

namespace guichet::web {

namespace {
const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
}  // namespace

std::string base64url(const std::string& bytes) {
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        acc = (acc << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(acc >> bits) & 63];
        }
    }
    if (bits > 0) out += alphabet[(acc << (6 - bits)) & 63];
    return out;
}

std::optional<std::string> base64url_decode(const std::string& text) {
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        int v = c >= 'A' && c <= 'Z'   ? c - 'A'
                : c >= 'a' && c <= 'z' ? c - 'a' + 26
                : c >= '0' && c <= '9' ? c - '0' + 52
                : c == '-'             ? 62
                : c == '_'             ? 63
                                       : -1;
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xff);
        }
    }
    return out;
}

std::string random_id(std::size_t bytes) {
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1)
        throw std::runtime_error("no randomness available");
    return base64url(raw);
}

std::string kept_secret(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string secret;
    if (in && std::getline(in, secret) && secret.size() >= 32) return secret;
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    secret = random_id(32);
    // Created for its owner only, and only if nobody wrote it meanwhile (another instance).
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        std::ifstream again(file, std::ios::binary);
        std::string other;
        if (again && std::getline(again, other) && other.size() >= 32) return other;
        throw std::runtime_error(file.string() + ": cannot keep the conversation tokens' key: " +
                                 std::strerror(errno) + " (or set web.token_secret)");
    }
    const std::string line = secret + "\n";
    const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ::close(fd);
    if (!written)
        throw std::runtime_error(file.string() + ": cannot write the conversation tokens' key");
    return secret;
}

token_signer::token_signer(std::string secret) : secret_(std::move(secret)) {
    if (secret_.empty()) {
        secret_.assign(32, '\0');
        if (RAND_bytes(reinterpret_cast<unsigned char*>(secret_.data()), 32) != 1)
            throw std::runtime_error("no randomness available for the token secret");
    }
    EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* ctx = hmac ? EVP_MAC_CTX_new(hmac) : nullptr;
    EVP_MAC_free(hmac);  // the context keeps its own reference
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (!ctx || EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(secret_.data()),
                             secret_.size(), params) != 1) {
        EVP_MAC_CTX_free(ctx);
        throw std::runtime_error("OpenSSL has no HMAC-SHA256");
    }
    keyed_ = std::shared_ptr<void>(ctx, [](void* c) { EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX*>(c)); });
}

std::string token_signer::mac(const std::string& data) const {
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t len = 0;
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(
        EVP_MAC_CTX_dup(static_cast<EVP_MAC_CTX*>(keyed_.get())), EVP_MAC_CTX_free);
    if (!ctx || EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()),
                               data.size()) != 1 ||
        EVP_MAC_final(ctx.get(), out, &len, sizeof out) != 1)
        throw std::runtime_error("HMAC failed");
    return base64url(std::string(reinterpret_cast<char*>(out), len));
}

std::string token_signer::issue(const std::string& kind, const std::string& conversation,
                                std::chrono::seconds lifetime) const {
    auto body = base64url(kind) + '.' + base64url(conversation) + '.' +
                std::to_string(unix_now() + lifetime.count());
    return body + '.' + mac(body);
}

token_status token_signer::verify(const std::string& token, token_claims& out,
                                  std::int64_t now) const {
    auto last = token.rfind('.');
    if (last == std::string::npos || token.size() > 1024) return token_status::malformed;
    auto body = token.substr(0, last);
    auto given = token.substr(last + 1);
    auto expected = mac(body);
    if (given.size() != expected.size() ||
        CRYPTO_memcmp(given.data(), expected.data(), given.size()) != 0)
        return token_status::bad_signature;
    auto a = body.find('.');
    auto b = a == std::string::npos ? a : body.find('.', a + 1);
    if (b == std::string::npos) return token_status::malformed;
    auto kind = base64url_decode(body.substr(0, a));
    auto conv = base64url_decode(body.substr(a + 1, b - a - 1));
    if (!kind || !conv) return token_status::malformed;
    std::int64_t expires = 0;
    try {
        expires = std::stoll(body.substr(b + 1));
    } catch (const std::exception&) {
        return token_status::malformed;
    }
    out = {*kind, *conv, expires};
    if ((now ? now : unix_now()) >= expires) return token_status::expired;
    return token_status::ok;
}

}  // namespace guichet::web
