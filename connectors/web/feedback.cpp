// 👍/👎 on the bot's answers: POST /api/v1/messages/{conversation}/feedback with the
// conversation's token and {"entry": <id of the bot's entry>, "useful": true|false}. The
// intent and language come from the logged entry (not from the client); one vote per
// answer (409 for a second one). Votes go to the sink the engine installed (analytics).
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <mutex>
#include <set>

#include "web/web_channel.h"

namespace asio = boost::asio;
namespace json = boost::json;

namespace guichet::web {
namespace {

std::mutex sink_mutex;
std::shared_ptr<feedback_sink> the_sink;

constexpr std::size_t votes_max = 100000;  // remembered votes (one per answer); cleared when full

}  // namespace

void set_feedback_sink(feedback_sink sink) {
    std::lock_guard lock(sink_mutex);
    the_sink = sink ? std::make_shared<feedback_sink>(std::move(sink)) : nullptr;
}

void register_feedback(http_server& server, const std::shared_ptr<web_channel>& ch) {
    struct votes {
        std::mutex mutex;
        std::set<std::pair<std::string, std::uint64_t>> seen;
    };
    auto v = std::make_shared<votes>();
    web_channel* c = ch.get();
    server.route(http::verb::post, "/api/v1/messages/*",
                 [c, v](http_request& req, const request_context& ctx) -> asio::awaitable<http_response> {
                     static const std::string prefix = "/api/v1/messages/", suffix = "/feedback";
                     auto rest = ctx.path.substr(prefix.size());
                     if (rest.size() <= suffix.size() || rest.compare(rest.size() - suffix.size(), suffix.size(), suffix) != 0)
                         co_return json_error(http::status::not_found, "no such resource: " + ctx.path, req.version());
                     auto conv = rest.substr(0, rest.size() - suffix.size());
                     http_response res;
                     if (!c->authorize(bearer_token(req), conv, res, req.version())) co_return res;
                     json::error_code ec;
                     auto body = json::parse(req.body(), ec);
                     auto* o = ec ? nullptr : body.if_object();
                     auto* entry = o ? o->if_contains("entry") : nullptr;
                     auto* useful = o ? o->if_contains("useful") : nullptr;
                     if (!entry || !entry->is_int64() || entry->as_int64() <= 0 || !useful || !useful->is_bool())
                         co_return json_error(http::status::bad_request,
                                              "expected {\"entry\": <the answer's id>, \"useful\": true|false}",
                                              req.version());
                     auto seq = static_cast<std::uint64_t>(entry->as_int64());
                     std::vector<log_entry> entries;
                     c->log_.since(conv, seq - 1, entries);
                     if (entries.empty() || entries.front().seq != seq)
                         co_return json_error(http::status::not_found, "no such answer in this conversation", req.version());
                     auto& d = entries.front().data;
                     auto* from = d.if_contains("from");
                     if (!from || !from->is_string() || from->as_string() != "bot")
                         co_return json_error(http::status::bad_request, "only the bot's answers can be rated", req.version());
                     {
                         std::lock_guard lock(v->mutex);
                         if (v->seen.size() >= votes_max) v->seen.clear();
                         if (!v->seen.insert({conv, seq}).second)
                             co_return json_error(http::status::conflict, "this answer has been rated already", req.version());
                     }
                     std::string intent, locale;
                     if (auto* in = d.if_contains("intent"); in && in->is_object())
                         if (auto* n = in->as_object().if_contains("name"); n && n->is_string()) intent = n->as_string();
                     if (auto* l = d.if_contains("locale"); l && l->is_string()) locale = l->as_string();
                     std::shared_ptr<feedback_sink> sink;
                     {
                         std::lock_guard lock(sink_mutex);
                         sink = the_sink;
                     }
                     if (sink) (*sink)(intent, locale, useful->as_bool());
                     co_return json_response(http::status::ok,
                                             json::serialize(json::object{{"ok", true}, {"intent", intent}}),
                                             req.version());
                 });
}

}  // namespace guichet::web
