// One accepted WebSocket with one write in flight and a bounded queue behind it (after
// Beast's chat-multi example). send() may be called from any thread: it posts to the
// connection's strand. A reader that falls `outbox_max` frames behind is disconnected.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <memory>
#include <string>

namespace guichet::web {

class ws_session : public std::enable_shared_from_this<ws_session> {
public:
    using stream_type = boost::beast::websocket::stream<boost::beast::tcp_stream>;

    ws_session(boost::beast::tcp_stream stream, std::size_t outbox_max)
        : ws_(std::move(stream)), wake_(ws_.get_executor()), outbox_max_(outbox_max) {}

    stream_type& ws() { return ws_; }

    // Starts the writer coroutine (call once, after the handshake, on the strand).
    void start_writer() {
        boost::asio::co_spawn(ws_.get_executor(), writer(shared_from_this()),
                              [](std::exception_ptr) {});
    }

    // Queues a text frame; thread-safe.
    void send(std::string frame) {
        boost::asio::post(ws_.get_executor(), [self = shared_from_this(), f = std::move(frame)]() mutable {
            if (self->closed_) return;
            if (self->outbox_.size() >= self->outbox_max_) {
                self->close();  // a reader this slow is gone or hostile
                return;
            }
            self->outbox_.push_back(std::move(f));
            self->wake_.cancel();
        });
    }

    // Stops the writer; on the strand.
    void close() {
        closed_ = true;
        wake_.cancel();
        boost::system::error_code ec;
        boost::beast::get_lowest_layer(ws_).socket().close(ec);
    }

private:
    static boost::asio::awaitable<void> writer(std::shared_ptr<ws_session> self) {
        namespace asio = boost::asio;
        while (!self->closed_) {
            if (self->outbox_.empty()) {
                self->wake_.expires_at(asio::steady_timer::time_point::max());
                co_await self->wake_.async_wait(asio::as_tuple(asio::use_awaitable));
                continue;
            }
            std::string frame = std::move(self->outbox_.front());
            self->outbox_.pop_front();
            self->ws_.text(true);
            auto [ec, n] = co_await self->ws_.async_write(asio::buffer(frame),
                                                          asio::as_tuple(asio::use_awaitable));
            (void)n;
            if (ec) self->closed_ = true;
        }
    }

    stream_type ws_;
    boost::asio::steady_timer wake_;
    std::deque<std::string> outbox_;
    std::size_t outbox_max_;
    bool closed_ = false;
};

}  // namespace guichet::web
