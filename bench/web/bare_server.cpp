// The reference for the load figures: a bare Boost.Beast HTTP server with the same threads,
// the same coroutine-per-connection shape and the same request parsing (HTTP + JSON body)
// as guichet's, answering a fixed reply. What guichet does beyond this is the pipeline
// (understanding, dialogue, plugin, knowledge base). Usage: bench_web_bare [port] [threads]
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

static const std::string fixed_reply =
    R"({"conversation":"c","locale":"fr","replies":[{"text":"La mairie est ouverte le samedi de 9 h à 12 h."}],"intent":{"confidence":1,"name":"hours.open"}})";

asio::awaitable<void> session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        stream.expires_after(std::chrono::seconds(30));
        http::request_parser<http::string_body> parser;
        parser.body_limit(64 * 1024);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        (void)n;
        if (ec) break;
        auto req = parser.release();
        http::response<http::string_body> res{http::status::ok, req.version()};
        boost::json::error_code jec;
        auto body = boost::json::parse(req.body(), jec);
        if (jec || !body.is_object()) {
            res.result(http::status::bad_request);
            res.body() = R"({"error":{"code":400,"message":"malformed JSON"}})";
        } else {
            res.body() = fixed_reply;
        }
        res.set(http::field::content_type, "application/json; charset=utf-8");
        res.set(http::field::cache_control, "no-store");
        res.set(http::field::server, "bare");
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        (void)wn;
        if (wec || !req.keep_alive()) break;
    }
    boost::system::error_code ignore;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignore);
}

asio::awaitable<void> listen(tcp::acceptor& acceptor, asio::io_context& io) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), asio::as_tuple(asio::use_awaitable));
        if (ec) continue;
        auto ex = socket.get_executor();
        asio::co_spawn(ex, session(std::move(socket)), asio::detached);
    }
}

int main(int argc, char** argv) {
    unsigned short port = argc > 1 ? static_cast<unsigned short>(std::atoi(argv[1])) : 0;
    unsigned threads = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : std::max(1u, std::thread::hardware_concurrency());
    asio::io_context io;
    tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), port});
    std::cout << "bare listening on http://127.0.0.1:" << acceptor.local_endpoint().port() << std::endl;
    asio::co_spawn(io, listen(acceptor, io), asio::detached);
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&] { io.run(); });
    io.run();
}
