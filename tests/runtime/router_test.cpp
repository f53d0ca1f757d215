// The router keeps each conversation's order and never runs two turns of one conversation
// at once, while different conversations run in parallel.
#include "router/router.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <mutex>
#include <random>
#include <thread>

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

guichet::message message_in(const std::string& conversation, const std::string& text) {
    guichet::message m;
    m.channel = "test";
    m.conversation_id = conversation;
    m.text = text;
    return m;
}

// What the callers got back: each must get the reply to its own message, without error.
struct tally {
    std::atomic<int> done{0}, errors{0}, mismatched{0};
    void count(boost::system::error_code ec, const guichet::turn_result& res, const std::string& text) {
        if (ec) ++errors;
        if (res.replies.empty() || res.replies[0].text != text) ++mismatched;
        ++done;
    }
    void submit(guichet::router& r, const guichet::message& m) {
        r.async_submit(m, [this, text = m.text](boost::system::error_code ec, guichet::turn_result res) {
            count(ec, res, text);
        });
    }
};

void run_on_threads(asio::io_context& io, int n) {
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) threads.emplace_back([&] { io.run(); });
    for (auto& t : threads) t.join();
}

}  // namespace

TEST(router, thousand_conversations_keep_their_order) {
    constexpr int conversations = 1000, per_conversation = 10;
    asio::io_context io(4);
    std::mutex mutex;
    std::map<std::string, int> running;  // turns running per conversation
    std::map<std::string, std::vector<std::string>> handled;  // turn order per conversation
    std::atomic<int> overlapping{0}, in_flight{0}, max_in_flight{0};

    guichet::router r(io, [&](guichet::message m) -> asio::awaitable<guichet::turn_result> {
        {
            std::lock_guard lock(mutex);
            if (++running[m.conversation_id] > 1) ++overlapping;
        }
        int now = ++in_flight;
        for (int seen = max_in_flight; now > seen && !max_in_flight.compare_exchange_weak(seen, now);) {
        }
        // Suspend for a varying time so later messages could overtake earlier ones.
        asio::steady_timer t(co_await asio::this_coro::executor,
                             std::chrono::microseconds(std::hash<std::string>{}(m.text) % 2000));
        co_await t.async_wait(asio::use_awaitable);
        --in_flight;
        {
            std::lock_guard lock(mutex);
            --running[m.conversation_id];
            handled[m.conversation_id].push_back(m.text);
        }
        guichet::turn_result res;
        res.conversation_id = m.conversation_id;
        res.replies.push_back({m.text, {}, {}, {}});
        co_return res;
    });

    tally got;
    for (int i = 0; i < per_conversation; ++i)
        for (int c = 0; c < conversations; ++c)
            got.submit(r, message_in("c" + std::to_string(c), std::to_string(i)));
    run_on_threads(io, 4);

    EXPECT_EQ(got.done.load(), conversations * per_conversation);
    EXPECT_EQ(got.errors.load(), 0);
    EXPECT_EQ(got.mismatched.load(), 0);
    EXPECT_EQ(overlapping.load(), 0) << "two turns of one conversation ran at once";
    EXPECT_GT(max_in_flight.load(), 1) << "conversations did not run in parallel";
    ASSERT_EQ(handled.size(), static_cast<size_t>(conversations));
    for (auto& [id, texts] : handled) {
        ASSERT_EQ(texts.size(), static_cast<size_t>(per_conversation)) << id;
        for (int i = 0; i < per_conversation; ++i) EXPECT_EQ(texts[i], std::to_string(i)) << id;
    }
    EXPECT_EQ(r.active_conversations(), 0u);
}

TEST(router, a_full_queue_is_refused_not_lost_silently) {
    asio::io_context io;
    guichet::router r(
        io,
        [](guichet::message m) -> asio::awaitable<guichet::turn_result> {
            guichet::turn_result res;
            res.replies.push_back({m.text, {}, {}, {}});
            co_return res;
        },
        guichet::router_limits{2, 10});
    int ok = 0, refused = 0;
    for (int i = 0; i < 5; ++i) {
        guichet::message m;
        m.conversation_id = "same";
        m.text = std::to_string(i);
        r.async_submit(m, [&](boost::system::error_code ec, guichet::turn_result) {
            (ec == asio::error::no_buffer_space ? refused : ok)++;
        });
    }
    io.run();
    EXPECT_EQ(ok, 2);
    EXPECT_EQ(refused, 3);
}

// Coroutines calling turn() and callers queueing with async_submit share conversations: still
// one turn at a time per conversation, the queued ones in their order, every caller its own
// reply; an idle conversation's turn runs on the caller's own executor.
TEST(router, turns_from_coroutines_and_queued_ones_mix) {
    constexpr int conversations = 200, per_caller = 8;
    asio::io_context io(4);
    std::mutex mutex;
    std::map<std::string, int> running;
    std::map<std::string, std::vector<std::string>> handled;
    std::atomic<int> overlapping{0}, on_caller_executor{0};
    using strand = asio::strand<asio::io_context::executor_type>;
    std::vector<strand> callers;  // one per conversation, made before anything runs
    for (int c = 0; c < conversations; ++c) callers.push_back(asio::make_strand(io));

    guichet::router r(io, [&](guichet::message m) -> asio::awaitable<guichet::turn_result> {
        auto ex = co_await asio::this_coro::executor;
        auto* s = ex.target<strand>();
        if (m.text[0] == 'c' && s && *s == callers[std::stoi(m.conversation_id.substr(1))]) ++on_caller_executor;
        {
            std::lock_guard lock(mutex);
            if (++running[m.conversation_id] > 1) ++overlapping;
        }
        asio::steady_timer t(ex, std::chrono::microseconds(std::hash<std::string>{}(m.text) % 500));
        co_await t.async_wait(asio::use_awaitable);
        {
            std::lock_guard lock(mutex);
            --running[m.conversation_id];
            handled[m.conversation_id].push_back(m.text);
        }
        guichet::turn_result res;
        res.replies.push_back({m.text, {}, {}, {}});
        co_return res;
    });

    tally got;
    for (int c = 0; c < conversations; ++c) {
        const std::string id = "c" + std::to_string(c);
        asio::co_spawn(
            callers[c],
            [&, id]() -> asio::awaitable<void> {
                for (int i = 0; i < per_caller; ++i) {
                    auto m = message_in(id, "c" + std::to_string(i));
                    auto [ec, res] = co_await r.turn(m);
                    got.count(ec, res, m.text);
                }
            },
            asio::detached);
        for (int i = 0; i < per_caller; ++i) got.submit(r, message_in(id, "q" + std::to_string(i)));
    }
    run_on_threads(io, 4);

    EXPECT_EQ(got.done.load(), 2 * conversations * per_caller);
    EXPECT_EQ(got.errors.load(), 0);
    EXPECT_EQ(got.mismatched.load(), 0);
    EXPECT_EQ(overlapping.load(), 0) << "two turns of one conversation ran at once";
    EXPECT_GT(on_caller_executor.load(), 0) << "no turn ran in its caller's coroutine";
    for (auto& [id, texts] : handled) {
        std::vector<std::string> queued, called;
        for (auto& t : texts) (t[0] == 'q' ? queued : called).push_back(t);
        ASSERT_EQ(queued.size(), static_cast<size_t>(per_caller)) << id;
        ASSERT_EQ(called.size(), static_cast<size_t>(per_caller)) << id;
        for (int i = 0; i < per_caller; ++i) {
            EXPECT_EQ(queued[i], "q" + std::to_string(i)) << id;
            EXPECT_EQ(called[i], "c" + std::to_string(i)) << id;
        }
    }
    EXPECT_EQ(r.active_conversations(), 0u);
}
