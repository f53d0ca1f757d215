// The web channels' in-memory log: numbering, the oldest entries dropped once a conversation
// is full (history and Direct Line watermarks read what is left, in order), listeners told,
// least recently used conversations dropped.
#include <gtest/gtest.h>

#include "web/conversation_log.h"

namespace guichet::web {
namespace {

std::vector<std::uint64_t> seqs(const conversation_log& log, const std::string& id, std::uint64_t after) {
    std::vector<log_entry> out;
    EXPECT_TRUE(log.since(id, after, out));
    std::vector<std::uint64_t> v;
    for (auto& e : out) {
        v.push_back(e.seq);
        EXPECT_EQ(e.data.at("n").as_int64(), static_cast<std::int64_t>(e.seq));
    }
    return v;
}

TEST(conversation_log, keeps_the_last_entries_in_order) {
    conversation_log log(3, 10);
    for (int i = 1; i <= 7; ++i) EXPECT_EQ(log.append("a", {{"n", i}}), static_cast<std::uint64_t>(i));
    EXPECT_EQ(seqs(log, "a", 0), (std::vector<std::uint64_t>{5, 6, 7}));
    EXPECT_EQ(seqs(log, "a", 5), (std::vector<std::uint64_t>{6, 7}));
    EXPECT_TRUE(seqs(log, "a", 7).empty());
    EXPECT_EQ(log.last_seq("a"), 7u);
    log.append("a", {{"n", 8}});
    EXPECT_EQ(seqs(log, "a", 0), (std::vector<std::uint64_t>{6, 7, 8}));
}

// A conversation rebuilt after a restart: its entries as they were numbered, then the new
// ones past any number a client held before (never lower than they would be).
TEST(conversation_log, number_from_puts_the_next_entries_past_a_number) {
    conversation_log log(10, 10);
    log.append("a", {{"n", 1}});
    log.append("a", {{"n", 2}});
    log.number_from("a", 1000);
    EXPECT_EQ(log.append("a", {{"n", 1000}}), 1000u);
    log.number_from("a", 5);
    EXPECT_EQ(log.append("a", {{"n", 1001}}), 1001u);
    EXPECT_EQ(seqs(log, "a", 2), (std::vector<std::uint64_t>{1000, 1001}));
}

TEST(conversation_log, listeners_hear_each_entry_and_stop_when_released) {
    conversation_log log(2, 10);
    std::vector<std::uint64_t> heard;
    auto handle = log.listen("a", [&](const log_entry& e) {
        EXPECT_EQ(e.data.at("n").as_int64(), static_cast<std::int64_t>(e.seq));
        heard.push_back(e.seq);
    });
    for (int i = 1; i <= 3; ++i) log.append("a", {{"n", i}});
    handle.reset();
    log.append("a", {{"n", 4}});
    EXPECT_EQ(heard, (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST(conversation_log, least_recently_used_conversations_go_first) {
    conversation_log log(5, 2);
    log.append("a", {{"n", 1}});
    log.append("b", {{"n", 1}});
    log.append("a", {{"n", 2}});  // a is now the most recent
    log.append("c", {{"n", 1}});  // b goes
    EXPECT_TRUE(log.exists("a"));
    EXPECT_FALSE(log.exists("b"));
    EXPECT_TRUE(log.exists("c"));
}

TEST(conversation_log, bounds_of_zero_keep_one) {
    conversation_log log(0, 0);
    log.append("a", {{"n", 1}});
    log.append("a", {{"n", 2}});
    EXPECT_EQ(seqs(log, "a", 0), (std::vector<std::uint64_t>{2}));
    log.append("b", {{"n", 1}});
    EXPECT_FALSE(log.exists("a"));
    EXPECT_TRUE(log.exists("b"));
}

}  // namespace
}  // namespace guichet::web
