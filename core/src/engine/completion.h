// A move-only, type-erased completion handler that always completes on the executor
// associated with the handler it wraps (a strand, a coroutine's executor…). Used where a
// handler has to be stored (queues, plugin turns) and completed later from any thread.
// (Boost 1.81's any_completion_handler re-wraps itself when posted, hence this.)
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/post.hpp>
#include <functional>
#include <memory>
#include <tuple>

namespace guichet {

template <class... Args>
class completion {
public:
    completion() = default;

    template <class Handler>
    completion(Handler&& h, const boost::asio::any_io_executor& fallback)
        : ex_(boost::asio::get_associated_executor(h, fallback)) {
        auto held = std::make_shared<std::decay_t<Handler>>(std::forward<Handler>(h));
        fn_ = [held](Args... args) { std::move (*held)(std::move(args)...); };
    }

    explicit operator bool() const { return static_cast<bool>(fn_); }

    // Completes once, from any thread: the call runs on the handler's executor.
    void post(Args... args) {
        boost::asio::post(ex_, [fn = std::move(fn_), t = std::make_tuple(std::move(args)...)]() mutable {
            std::apply([&](auto&&... a) { fn(std::move(a)...); }, std::move(t));
        });
        fn_ = nullptr;
    }

private:
    boost::asio::any_io_executor ex_;
    std::function<void(Args...)> fn_;
};

}  // namespace guichet
