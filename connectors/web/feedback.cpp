// 👍/👎 on the bot's answers: POST /api/v1/messages/{conversation}/feedback with the
// conversation's token and {"entry": <id of the bot's entry>, "useful": true|false}. The
// intent, language, FAQ entry and answer come from the logged entry, the question from the
// citizen's message before it (not from the client); one vote per answer (409 for a second
// one), counted for each question of a message that asked two. Votes go to the sink the
// engine installed (analytics).
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

// The texts of an answer's replies `from` to `from + n`, one per line.
std::string answer_text(const json::object& d, std::size_t from = 0, std::size_t n = SIZE_MAX) {
    std::string out;
    if (auto* r = d.if_contains("replies"); r && r->is_array())
        for (std::size_t i = from; i < r->as_array().size() && i - from < n; ++i)
            if (auto* o = r->as_array()[i].if_object(); o && !string_field(*o, "text").empty())
                out += (out.empty() ? "" : "\n") + string_field(*o, "text");
    return out;
}

// The votes one 👍/👎 on the answer `d` casts: one, or one per question of a message that
// asked two (web_api.cpp logs them), each with its own words, intent, entry and answer.
std::vector<analytics::vote> votes_for(const json::object& d, std::string asked, bool useful) {
    analytics::vote v;
    v.useful = useful;
    v.locale = string_field(d, "locale");
    auto* questions = array_field(d, "questions");
    if (!questions || questions->empty()) {
        if (auto* in = d.if_contains("intent"); in && in->is_object())
            v.intent = string_field(in->as_object(), "name");
        v.source = string_field(d, "source");
        v.answer = answer_text(d);
        v.question = std::move(asked);
        return {std::move(v)};
    }
    std::vector<analytics::vote> out;
    std::size_t from = 0;
    for (auto& x : *questions) {
        auto* q = x.if_object();
        if (!q) continue;
        const auto* n = q->if_contains("replies");
        const std::size_t count = n && n->is_uint64() ? std::size_t(n->as_uint64()) : 0;
        v.intent = string_field(*q, "intent");
        v.source = string_field(*q, "source");
        v.question = string_field(*q, "text");
        // (An answer the other question's said already: the same text, voted on there.)
        v.answer = count ? answer_text(d, from, count) : answer_text(d);
        from += count;
        out.push_back(v);
    }
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
                     auto votes = votes_for(
                         d, question_before(entries, static_cast<std::size_t>(found - entries.begin())),
                         useful->as_bool());
                     std::shared_ptr<feedback_sink> sink;
                     {
                         std::lock_guard lock(sink_mutex);
                         sink = the_sink;
                     }
                     json::array intents;
                     for (auto& vote : votes) {
                         if (sink) (*sink)(vote);
                         intents.push_back(json::string(vote.intent));
                     }
                     co_return json_response(http::status::ok,
                                             json::serialize(json::object{{"ok", true},
                                                                          {"intent", votes.front().intent},
                                                                          {"intents", std::move(intents)}}),
                                             req.version());
                 });
}

}  // namespace guichet::web
