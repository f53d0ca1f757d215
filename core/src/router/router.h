// Orders messages per conversation: the messages of one conversation are handled one at a
// time and in arrival order, while different conversations run in parallel on every thread
// of the io_context. A message whose conversation is idle (the usual case) is handled in the
// coroutine that brought it (`turn`); the others wait in the conversation's queue, which a
// coroutine of its own drains on a strand. A conversation's queue exists only while it has
// a message in hand; its state lives in the engine's store.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/error_code.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "engine/completion.h"
#include "engine/message.h"

namespace guichet {

struct router_limits {
    std::size_t queue_per_conversation = 64;  // messages waiting in one conversation
    std::size_t conversations = 100000;       // conversations with messages waiting
};

class router {
public:
    // handler answers one message; never two of one conversation at once. It may suspend.
    using handler_fn = std::function<boost::asio::awaitable<turn_result>(message)>;

    router(boost::asio::io_context& io, handler_fn handler, router_limits limits = {});

    // Queues a message behind the others of its conversation and completes with the turn's
    // result, or with boost::asio::error::no_buffer_space when a limit is reached.
    template <class Token>
    auto async_submit(message m, Token&& token) {
        return boost::asio::async_initiate<Token,
                                           void(boost::system::error_code, turn_result)>(
            [this](auto handler, message msg) {
                submit(std::move(msg), completion_fn(std::move(handler), io_.get_executor()));
            },
            token, std::move(m));
    }

    // The same from a coroutine: when the conversation is idle, the turn runs right here
    // (no second coroutine, no hop to another executor and back).
    boost::asio::awaitable<std::pair<boost::system::error_code, turn_result>> turn(message m);

    std::size_t active_conversations() const;

private:
    using completion_fn = completion<boost::system::error_code, turn_result>;
    struct pending {
        message msg;
        completion_fn done;
    };
    struct conversation {
        std::deque<pending> queue;
        bool running = false;  // a turn of it is in hand (in `turn` or in `drain`)
    };

    void submit(message m, completion_fn done);
    // After a turn run by `turn`: drains what came meanwhile, or forgets the conversation.
    void hand_over(const std::string& key);
    void start_drain(std::string key, std::shared_ptr<conversation> c);
    boost::asio::awaitable<void> drain(std::string key, std::shared_ptr<conversation> c);
    boost::asio::awaitable<turn_result> run(message m, const std::string& key, boost::system::error_code& ec);

    boost::asio::io_context& io_;
    handler_fn handler_;
    router_limits limits_;
    mutable std::mutex mutex_;  // guards conversations_ and every conversation's queue
    std::unordered_map<std::string, std::shared_ptr<conversation>> conversations_;
};

}  // namespace guichet
