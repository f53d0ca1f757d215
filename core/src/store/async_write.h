// write_turn as an Asio operation: `co_await async_write_turn(store, w, use_awaitable)`
// resumes on the caller's executor once the turn's writes are committed (or throws the
// store's error). The calling thread is not blocked while the store commits.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/post.hpp>
#include <exception>
#include <memory>

#include "store/store.h"

namespace guichet::store {

template <class Token>
auto async_write_turn(store& s, turn_writes w, Token&& token) {
    return boost::asio::async_initiate<Token, void(std::exception_ptr)>(
        [&s](auto handler, turn_writes w) {
            if (w.empty()) {
                auto ex = boost::asio::get_associated_executor(handler);
                boost::asio::post(ex, [h = std::move(handler)]() mutable { std::move(h)(nullptr); });
                return;
            }
            // The executor counts the commit as outstanding work: its run() waits for it.
            auto ex = boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                          boost::asio::execution::outstanding_work.tracked);
            auto held = std::make_shared<decltype(handler)>(std::move(handler));
            s.write_turn(std::move(w), [ex, held](std::exception_ptr e) {
                boost::asio::post(ex, [held, e]() mutable { std::move(*held)(e); });
            });
        },
        token, std::move(w));
}

}  // namespace guichet::store
