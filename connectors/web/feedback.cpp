// 👍/👎 on the bot's answers: POST /api/v1/messages/{conversation}/feedback with the
// conversation's token and {"entry": <id of the bot's entry>, "useful": true|false}. The
// intent, language, FAQ entry and answer come from the logged entry, the question from the
// citizen's message before it (not from the client); one vote per answer (409 for a second
// one). Votes go to the sink the engine installed (analytics).
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <algorithm>
#include <mutex>
#include <set>

#include "common/json_fields.h"

#include "web/web_channel.h"

namespace asio = boost::asio;
namespace json = boost::json;

namespace guichet::web {
namespace {

std::mutex sink_mutex;
std::shared_ptr<feedback_sink> the_sink;

constexpr std::size_t votes_max = 100000;  // remembered votes (one per answer); cleared when full

// The citizen's words that led to the entry `at` of `entries`: the last message before it
// (a pressed button's title when it has no text).
std::string question_before(const std::vector<log_entry>& entries, std::size_t at) {
    while (at-- > 0) {
        auto& d = entries[at].data;
        if (string_field(d, "from") != "user") continue;
        auto text = string_field(d, "text");
        return text.empty() ? string_field(d, "title") : text;
    }
    return {};
}

// The texts of an answer's replies, one per line.
std::string answer_text(const json::object& d) {
    std::string out;
    if (auto* r = d.if_contains("replies"); r && r->is_array())
        for (auto& x : r->as_array())
            if (auto* o = x.if_object(); o && !string_field(*o, "text").empty())
                out += (out.empty() ? "" : "\n") + string_field(*o, "text");
    return out;
}

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
                     c->log_.since(conv, 0, entries);
                     auto found = std::find_if(entries.begin(), entries.end(), [seq](auto& e) { return e.seq == seq; });
                     if (found == entries.end())
                         co_return json_error(http::status::not_found, "no such answer in this conversation", req.version());
                     auto& d = found->data;
                     auto* from = d.if_contains("from");
                     if (!from || !from->is_string() || from->as_string() != "bot")
                         co_return json_error(http::status::bad_request, "only the bot's answers can be rated", req.version());
                     {
                         std::lock_guard lock(v->mutex);
                         if (v->seen.size() >= votes_max) v->seen.clear();
                         if (!v->seen.insert({conv, seq}).second)
                             co_return json_error(http::status::conflict, "this answer has been rated already", req.version());
                     }
                     analytics::vote vote;
                     vote.useful = useful->as_bool();
                     if (auto* in = d.if_contains("intent"); in && in->is_object())
                         vote.intent = string_field(in->as_object(), "name");
                     vote.locale = string_field(d, "locale");
                     vote.source = string_field(d, "source");
                     vote.answer = answer_text(d);
                     vote.question = question_before(entries, static_cast<std::size_t>(found - entries.begin()));
                     std::shared_ptr<feedback_sink> sink;
                     {
                         std::lock_guard lock(sink_mutex);
                         sink = the_sink;
                     }
                     if (sink) (*sink)(vote);
                     co_return json_response(http::status::ok,
                                             json::serialize(json::object{{"ok", true}, {"intent", vote.intent}}),
                                             req.version());
                 });
}

}  // namespace guichet::web
