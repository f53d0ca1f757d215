// A small synchronous HTTP/1.1 client for tests (Boost.Beast over a real socket), with
// keep-alive, and a helper that starts the real `guichet serve --port 0` as a child process.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <cstdio>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace guichet::test {

struct http_reply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;
};

class http_client {
public:
    // `from`: the local address to connect from (127.0.0.x: another client, as a proxy sees it).
    explicit http_client(unsigned short port, std::string host = "127.0.0.1", std::string from = {})
        : host_(std::move(host)), from_(std::move(from)), port_(port), stream_(io_) {}

    http_reply request(boost::beast::http::verb method, const std::string& target,
                       const std::string& body = {},
                       const std::map<std::string, std::string>& headers = {}) {
        namespace http = boost::beast::http;
        for (int attempt = 0;; ++attempt) {
            try {
                if (!connected_) connect();
                http::request<http::string_body> req{method, target, 11};
                req.set(http::field::host, host_);
                req.set(http::field::content_type, "application/json");
                for (auto& [k, v] : headers) req.set(k, v);
                req.body() = body;
                req.prepare_payload();
                req.keep_alive(true);
                http::write(stream_, req);
                boost::beast::flat_buffer buf;
                http::response_parser<http::string_body> parser;
                parser.body_limit(64 * 1024 * 1024);
                http::read(stream_, buf, parser);
                auto res = parser.release();
                http_reply out{static_cast<int>(res.result_int()), res.body(), {}};
                for (auto& f : res) out.headers[std::string(f.name_string())] = std::string(f.value());
                if (!res.keep_alive()) close();
                return out;
            } catch (const std::exception&) {
                close();
                if (attempt >= 1) throw;
            }
        }
    }

    http_reply post_json(const std::string& target, const std::string& body) {
        return request(boost::beast::http::verb::post, target, body);
    }

    void close() {
        boost::beast::error_code ec;
        stream_.socket().close(ec);
        connected_ = false;
    }

private:
    void connect() {
        boost::asio::ip::tcp::endpoint ep(boost::asio::ip::make_address(host_), port_);
        if (!from_.empty()) {
            stream_.socket().open(ep.protocol());
            stream_.socket().bind({boost::asio::ip::make_address(from_), 0});
        }
        stream_.connect(ep);
        connected_ = true;
    }
    std::string host_, from_;
    unsigned short port_;
    boost::asio::io_context io_;
    boost::beast::tcp_stream stream_;
    bool connected_ = false;
};

// `guichet serve --port 0` in a child process; reads the port from its first line.
class server_process {
public:
    server_process(const std::string& exe, std::vector<std::string> args,
                   const std::map<std::string, std::string>& env = {}) {
        int out[2];
        if (pipe(out) != 0) throw std::runtime_error("pipe");
        char tmpl[] = "/tmp/guichet_server_stderr_XXXXXX";
        err_fd_ = mkstemp(tmpl);
        err_path_ = tmpl;
        pid_ = fork();
        if (pid_ == 0) {
            dup2(out[1], 1);
            dup2(err_fd_, 2);
            ::close(out[0]);
            for (auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
            std::vector<char*> argv;
            argv.push_back(const_cast<char*>(exe.c_str()));
            for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            execv(exe.c_str(), argv.data());
            _exit(127);
        }
        ::close(out[1]);
        out_ = fdopen(out[0], "r");
        char line[4096];
        while (fgets(line, sizeof line, out_)) {
            std::string l(line);
            auto p = l.find("listening on http://");
            if (p != std::string::npos) {
                port_ = static_cast<unsigned short>(std::stoi(l.substr(l.rfind(':') + 1)));
                break;
            }
        }
    }
    ~server_process() {
        stop(SIGKILL);
        ::close(err_fd_);
        unlink(err_path_.c_str());
    }

    unsigned short port() const { return port_; }
    bool started() const { return port_ != 0; }
    pid_t pid() const { return pid_; }

    // Sends sig and waits; returns the exit status (or -signal).
    int stop(int sig = SIGTERM) {
        if (pid_ <= 0) return exit_;
        kill(pid_, sig);
        int st = 0;
        waitpid(pid_, &st, 0);
        pid_ = -1;
        exit_ = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
        if (out_) fclose(out_);
        out_ = nullptr;
        return exit_;
    }

    // Everything the server wrote on stderr so far.
    std::string stderr_text() const {
        std::string s;
        if (FILE* f = fopen(err_path_.c_str(), "r")) {
            char buf[4096];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
            fclose(f);
        }
        return s;
    }

private:
    pid_t pid_ = -1;
    FILE* out_ = nullptr;
    int err_fd_ = -1;
    std::string err_path_;
    unsigned short port_ = 0;
    int exit_ = 0;
};

}  // namespace guichet::test
