// POST /api/v1/messages: validate the JSON strictly (clear 400s), hand the message to the
// router, and answer with the turn's replies.
#include "web/web_api.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "web/reply_json.h"

namespace asio = boost::asio;
namespace json = boost::json;

namespace guichet::web {
namespace {

// Reads an optional string member; sets error when present with another type.
std::string text_member(const json::object& o, const char* name, std::string& error) {
    auto* v = o.if_contains(name);
    if (!v || v->is_null()) return {};
    if (!v->is_string()) {
        error = std::string("\"") + name + "\" must be a string";
        return {};
    }
    return std::string(v->get_string());
}

}  // namespace

void register_api(http_server& server, router& r, api_options options) {
    server.route(http::verb::post, "/api/v1/messages",
                 [&r, options](http_request& req, const request_context& ctx)
                     -> asio::awaitable<http_response> {
                     (void)ctx;
                     json::error_code ec;
                     json::value body = json::parse(req.body(), ec);
                     if (ec)
                         co_return json_error(http::status::bad_request,
                                              "malformed JSON: " + ec.message(), req.version());
                     if (!body.is_object())
                         co_return json_error(http::status::bad_request,
                                              "the body must be a JSON object", req.version());
                     auto& o = body.get_object();
                     std::string error;
                     message m;
                     m.channel = "web";
                     m.conversation_id = text_member(o, "conversation", error);
                     m.user_id = text_member(o, "user", error);
                     m.text = text_member(o, "text", error);
                     m.locale = text_member(o, "locale", error);
                     m.payload = text_member(o, "payload", error);
                     if (auto* loc = o.if_contains("location"); loc && !loc->is_null()) {
                         auto* lo = loc->if_object();
                         auto* lat = lo ? lo->if_contains("lat") : nullptr;
                         auto* lon = lo ? lo->if_contains("lon") : nullptr;
                         if (!lat || !lon || !lat->is_number() || !lon->is_number()) {
                             error = "\"location\" must be {\"lat\": number, \"lon\": number}";
                         } else {
                             geo_point p{lat->to_number<double>(), lon->to_number<double>()};
                             if (p.lat < -90 || p.lat > 90 || p.lon < -180 || p.lon > 180)
                                 error = "\"location\" is out of range";
                             m.location = p;
                         }
                     }
                     if (error.empty() && m.conversation_id.empty())
                         error = "\"conversation\" is required";
                     if (error.empty() && m.conversation_id.size() > 200)
                         error = "\"conversation\" is longer than 200 bytes";
                     if (error.empty() && m.text.empty() && m.payload.empty() && !m.location)
                         error = "one of \"text\", \"payload\" or \"location\" is required";
                     if (!error.empty())
                         co_return json_error(http::status::bad_request, error, req.version());
                     if (m.text.size() > options.text_max_bytes)
                         co_return json_error(http::status::payload_too_large,
                                              "\"text\" is longer than " +
                                                  std::to_string(options.text_max_bytes) +
                                                  " bytes",
                                              req.version());
                     if (m.user_id.empty()) m.user_id = m.conversation_id;
                     auto [rec, result] =
                         co_await r.async_submit(std::move(m), asio::as_tuple(asio::use_awaitable));
                     if (rec == asio::error::no_buffer_space) {
                         auto res = json_error(http::status::too_many_requests,
                                               "too many messages waiting in this conversation",
                                               req.version());
                         res.set(http::field::retry_after, "1");
                         co_return res;
                     }
                     if (rec)
                         co_return json_error(http::status::internal_server_error,
                                              "the message could not be handled", req.version());
                     co_return json_response(http::status::ok, json::serialize(to_json(result)),
                                             req.version());
                 });
}

}  // namespace guichet::web
