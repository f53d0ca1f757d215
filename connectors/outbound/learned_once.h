// A value a platform tells about the bot (Telegram's username from getMe, Matrix's user id
// from whoami): asked when first needed and remembered; asked again while the platform could
// not tell. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <mutex>
#include <string>

namespace guichet::outbound {

class learned_once {
public:
    // The remembered value, else `co_await ask()` ("" when the platform could not tell: not
    // remembered). `ask` lives in this coroutine's frame while it runs.
    template <class Ask>
    boost::asio::awaitable<std::string> get(Ask ask) {
        {
            std::lock_guard lock(mutex_);
            if (!value_.empty()) co_return value_;
        }
        std::string value = co_await ask();
        if (!value.empty()) {
            std::lock_guard lock(mutex_);
            value_ = value;
        }
        co_return value;
    }

private:
    std::mutex mutex_;
    std::string value_;
};

}  // namespace guichet::outbound
