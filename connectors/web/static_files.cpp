// The widget's files (/, /widget.js, /widget.css), read once at start from
// connectors/web/static/ (or web.static_dir) and served from memory with a strict
// Content-Security-Policy: scripts and styles from this server only, nothing inline.
#include <boost/asio/use_awaitable.hpp>
#include <fstream>
#include <sstream>

#include "app/shipped_files.h"
#include "engine/log.h"
#include "web/web_channel.h"

namespace asio = boost::asio;

namespace guichet::web {

void register_static(http_server& server, const std::shared_ptr<web_channel>& ch) {
    auto dir = ch->options_.static_dir.empty() ? shipped::web_static_dir()
                                               : ch->options_.static_dir;
    struct file {
        const char* url;
        const char* name;
        const char* type;
    };
    // The demo page in English, for /?lang=en (a town's own web.static_dir may have none: then
    // / is served whatever the language).
    if (std::ifstream en(dir / "index.en.html", std::ios::binary); en) {
        std::ostringstream s;
        s << en.rdbuf();
        ch->files_["/?lang=en"] = {"text/html; charset=utf-8", s.str()};
    }
    for (auto f : {file{"/", "index.html", "text/html; charset=utf-8"},
                   file{"/widget.js", "widget.js", "text/javascript; charset=utf-8"},
                   file{"/widget.css", "widget.css", "text/css; charset=utf-8"}}) {
        std::ifstream in(dir / f.name, std::ios::binary);
        if (!in) {
            log::warn("web", "widget file missing: " + (dir / f.name).string());
            continue;
        }
        std::ostringstream s;
        s << in.rdbuf();
        ch->files_[f.url] = {f.type, s.str()};
        web_channel* c = ch.get();
        server.route(http::verb::get, f.url,
                     [c, url = std::string(f.url)](http_request& req, const request_context& ctx)
                         -> asio::awaitable<http_response> {
                         auto lang = ctx.query.find("lang");
                         const bool en = url == "/" && lang != ctx.query.end() && lang->second == "en" &&
                                         c->files_.count("/?lang=en");
                         auto& sf = c->files_.at(en ? "/?lang=en" : url);
                         http_response res{http::status::ok, req.version()};
                         res.set(http::field::content_type, sf.content_type);
                         res.set(http::field::server, "guichet");
                         res.set(http::field::cache_control, "no-cache");
                         res.set("Content-Security-Policy",
                                 "default-src 'none'; script-src 'self'; style-src 'self'; "
                                 "connect-src 'self' ws: wss:; img-src 'self' data:; "
                                 "base-uri 'none'; form-action 'none'; frame-ancestors 'self'");
                         res.set("X-Content-Type-Options", "nosniff");
                         res.set("Referrer-Policy", "no-referrer");
                         // widget.js is loaded by other towns' pages.
                         if (url != "/") res.set(http::field::access_control_allow_origin, "*");
                         res.body() = sf.body;
                         res.prepare_payload();
                         co_return res;
                     });
    }
}

}  // namespace guichet::web
