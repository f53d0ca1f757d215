// Per-conversation queues drained by one coroutine each on the conversation's strand.
#include "router/router.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

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
            it = conversations_
                     .emplace(key, std::make_shared<conversation>(
                                       conversation{asio::make_strand(io_), {}, false}))
                     .first;
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
    if (start)
        asio::co_spawn(c->strand, drain(std::move(key), c), [](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                log::error("router", std::string("conversation loop failed: ") + ex.what());
            }
        });
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
        turn_result r;
        boost::system::error_code ec;
        try {
            r = co_await handler_(std::move(p.msg));
        } catch (const std::exception& e) {
            log::error("router", std::string("turn failed: ") + e.what(), key);
            ec = asio::error::fault;
        }
        p.done.post(ec, std::move(r));
    }
}

}  // namespace guichet
