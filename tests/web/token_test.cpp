// Conversation tokens: what is signed verifies, anything altered or expired does not.
#include <gtest/gtest.h>

#include "web/token.h"

namespace guichet::web {
namespace {

TEST(token, issued_token_verifies_with_its_claims) {
    token_signer s("secret");
    auto t = s.issue("web", "conv-1", std::chrono::seconds(60));
    token_claims c;
    ASSERT_EQ(s.verify(t, c), token_status::ok);
    EXPECT_EQ(c.kind, "web");
    EXPECT_EQ(c.conversation, "conv-1");
}

TEST(token, altered_or_foreign_tokens_are_refused) {
    token_signer s("secret"), other("other secret");
    auto t = s.issue("web", "conv-1", std::chrono::seconds(60));
    token_claims c;
    EXPECT_EQ(other.verify(t, c), token_status::bad_signature);
    auto forged = s.issue("web", "conv-2", std::chrono::seconds(60));
    // Conversation of one token with the signature of another.
    auto mixed = t.substr(0, t.rfind('.')) + forged.substr(forged.rfind('.'));
    EXPECT_EQ(s.verify(mixed, c), token_status::bad_signature);
    EXPECT_EQ(s.verify("", c), token_status::malformed);
    EXPECT_EQ(s.verify("abc", c), token_status::malformed);
    for (std::size_t i = 0; i < t.size(); i += 7) {
        auto bad = t;
        bad[i] = bad[i] == 'A' ? 'B' : 'A';
        EXPECT_NE(s.verify(bad, c), token_status::ok) << i;
    }
}

TEST(token, expired_tokens_are_refused) {
    token_signer s("secret");
    auto t = s.issue("web", "c", std::chrono::seconds(60));
    token_claims c;
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch()).count();
    EXPECT_EQ(s.verify(t, c, now + 59), token_status::ok);
    EXPECT_EQ(s.verify(t, c, now + 61), token_status::expired);
}

TEST(token, random_secret_differs_per_signer) {
    token_signer a(""), b("");
    token_claims c;
    EXPECT_EQ(b.verify(a.issue("web", "c", std::chrono::seconds(60)), c), token_status::bad_signature);
}

TEST(token, base64url_round_trips) {
    for (std::string s : {"", "a", "ab", "abc", "\xff\x00\x10 héllo|."})
        EXPECT_EQ(base64url_decode(base64url(s)).value(), s);
    EXPECT_FALSE(base64url_decode("a+b").has_value());
}

}  // namespace
}  // namespace guichet::web
