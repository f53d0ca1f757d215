// Per-conversation queues drained by one coroutine each on the conversation's strand.
#include "router/router.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "engine/log.h"

namespace asio = boost::asio;

namespace guichet {

router::router(asio::io_context& io, handler_fn handler, router_limits limits)
    : io_(io), handler_(std::move(handler)), limits_(limits) {}

std::size_t router::active_conversations() const {
    std::lock_guard lock(mutex_);
    return conversations_.size();
}

void router::submit(message m, completion_fn done) {
    std::string key = m.conversation_key();
    std::shared_ptr<conversation> c;
    bool start = false;
    {
        std::lock_guard lock(mutex_);
        auto it = conversations_.find(key);
        if (it == conversations_.end() && conversations_.size() < limits_.conversations)
            it = conversations_.emplace(key, std::make_shared<conversation>()).first;
        if (it != conversations_.end() &&
            it->second->queue.size() < limits_.queue_per_conversation) {
            c = it->second;
            c->queue.push_back({std::move(m), std::move(done)});
            if (!c->running) c->running = start = true;
        }
    }
    if (done) {  // refused: a limit was reached
        done.post(asio::error::no_buffer_space, turn_result{});
        return;
    }
    if (start) start_drain(std::move(key), std::move(c));
}

void router::start_drain(std::string key, std::shared_ptr<conversation> c) {
    asio::co_spawn(asio::make_strand(io_), drain(std::move(key), std::move(c)), [](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            log::error("router", std::string("conversation loop failed: ") + ex.what());
        }
    });
}

asio::awaitable<std::pair<boost::system::error_code, turn_result>> router::turn(message m) {
    std::string key = m.conversation_key();
    bool here = false;
    {
        std::lock_guard lock(mutex_);
        if (!conversations_.count(key) && conversations_.size() < limits_.conversations) {
            auto c = std::make_shared<conversation>();
            c->running = here = true;
            conversations_.emplace(key, std::move(c));
        }
    }
    if (!here) {
        auto [ec, r] = co_await async_submit(std::move(m), asio::as_tuple(asio::use_awaitable));
        co_return std::make_pair(ec, std::move(r));
    }
    boost::system::error_code ec;
    turn_result r;
    try {
        r = co_await run(std::move(m), key, ec);
    } catch (...) {
        hand_over(key);
        throw;
    }
    hand_over(key);
    co_return std::make_pair(ec, std::move(r));
}

void router::hand_over(const std::string& key) {
    std::shared_ptr<conversation> c;
    {
        std::lock_guard lock(mutex_);
        auto it = conversations_.find(key);
        if (it == conversations_.end()) return;
        if (it->second->queue.empty()) {
            conversations_.erase(it);
            return;
        }
        c = it->second;  // still running: the drain takes over
    }
    start_drain(key, std::move(c));
}

asio::awaitable<turn_result> router::run(message m, const std::string& key, boost::system::error_code& ec) {
    try {
        co_return co_await handler_(std::move(m));
    } catch (const std::exception& e) {
        log::error("router", std::string("turn failed: ") + e.what(), key);
        ec = asio::error::fault;
    }
    co_return turn_result{};
}

asio::awaitable<void> router::drain(std::string key, std::shared_ptr<conversation> c) {
    for (;;) {
        pending p;
        {
            std::lock_guard lock(mutex_);
            if (c->queue.empty()) {
                c->running = false;
                conversations_.erase(key);
                co_return;
            }
            p = std::move(c->queue.front());
            c->queue.pop_front();
        }
        boost::system::error_code ec;
        turn_result r = co_await run(std::move(p.msg), key, ec);
        p.done.post(ec, std::move(r));
    }
}

}  // namespace guichet
