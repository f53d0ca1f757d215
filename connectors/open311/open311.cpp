// GeoReport v2 over the store: JSON only (".json" paths), form-encoded or JSON bodies for
// POST, dates in ISO-8601 UTC. See https://wiki.open311.org/GeoReport_v2.
#include "open311/open311.h"

#include <boost/json.hpp>
#include <boost/url/params_view.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>

#include "app/app.h"
#include "dialogue/durable.h"
#include "engine/log.h"
#include "store/pii.h"
#include "kb/knowledge_base.h"

namespace json = boost::json;

namespace guichet::open311 {
namespace {

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The spec's error body: an array of {code, description}.
http_response error(http::status status, const std::string& description) {
    json::array a;
    a.push_back(json::object{{"code", static_cast<int>(status)}, {"description", description}});
    return json_response(status, json::serialize(a));
}

// A request as GeoReport v2 lists it: public, so what the citizen or the staff wrote is given
// with phone numbers and e-mail addresses masked ("le technicien vous rappellera au 06…" is for
// the citizen, whom the bot tells in the conversation).
json::value report_json(const std::vector<service>& cats, const store::report_record& r) {
    json::object o;
    for (auto& [k, v] : georeport_fields(r)) {
        if (k == "description" || k == "status_notes")
            o[k] = v.empty() && k == "status_notes" ? json::value(nullptr)
                                                    : json::value(store::mask_pii(v));
        else if ((k == "lat" || k == "long") && !v.empty())
            o[k] = std::strtod(v.c_str(), nullptr);
        else if (v.empty() && (k == "lat" || k == "long" || k == "media_url" || k == "status_notes"))
            o[k] = nullptr;
        else
            o[k] = v;
    }
    for (auto& s : cats)
        if (r.service_code == s.code) o["service_name"] = s.name_fr;
    o["agency_responsible"] = "Mairie";
    return o;
}

// Parameters of a POST: application/x-www-form-urlencoded (the spec) or a JSON object.
std::optional<std::map<std::string, std::string>> body_params(const http_request& req,
                                                              std::string& why) {
    std::map<std::string, std::string> out;
    std::string type(req[http::field::content_type]);
    if (type.rfind("application/json", 0) == 0) {
        boost::system::error_code ec;
        auto v = json::parse(req.body(), ec);
        if (ec || !v.is_object()) {
            why = "the body is not a JSON object";
            return std::nullopt;
        }
        for (auto& [k, x] : v.as_object()) {
            if (x.is_string()) out[std::string(k)] = std::string(x.as_string());
            else if (x.is_number()) out[std::string(k)] = json::serialize(x);
            else if (!x.is_null()) {
                why = "field '" + std::string(k) + "' must be a string or a number";
                return std::nullopt;
            }
        }
        return out;
    }
    try {
        boost::urls::params_view q(req.body());  // decodes %XX and '+'
        for (auto p : q) out[p.key] = p.has_value ? p.value : "";
    } catch (const std::exception&) {
        why = "the body is not form-encoded";
        return std::nullopt;
    }
    return out;
}

std::optional<double> number(const std::map<std::string, std::string>& p, const char* key,
                             double lo, double hi, std::string& why) {
    auto it = p.find(key);
    if (it == p.end() || it->second.empty()) return std::nullopt;
    char* end = nullptr;
    double d = std::strtod(it->second.c_str(), &end);
    if (end == it->second.c_str() || *end != '\0' || d < lo || d > hi)
        why = std::string(key) + " must be a number between " + std::to_string(lo) + " and " +
              std::to_string(hi);
    return d;
}

// "2026-03-01T00:00:00Z" or with an offset → Unix seconds; nothing when malformed.
std::optional<std::int64_t> parse_w3c(const std::string& s) {
    std::tm tm{};
    int off_h = 0, off_m = 0;
    char sign = 'Z';
    int n = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d", &tm.tm_year, &tm.tm_mon,
                        &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &sign, &off_h, &off_m);
    if (n < 6) {
        if (std::sscanf(s.c_str(), "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
            return std::nullopt;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    std::int64_t t = timegm(&tm);
    if (n == 9 && (sign == '+' || sign == '-'))
        t -= (sign == '+' ? 1 : -1) * (off_h * 3600 + off_m * 60);
    return t;
}

bool key_ok(const options& o, const std::string& given) {
    if (o.api_key.empty() || given.size() != o.api_key.size()) return false;
    unsigned char diff = 0;  // constant time: the key is a secret
    for (std::size_t i = 0; i < given.size(); ++i)
        diff |= static_cast<unsigned char>(given[i] ^ o.api_key[i]);
    return diff == 0;
}

}  // namespace

std::vector<service> services(app& a) {
    std::vector<service> list;
    auto s = a.engine->current_site();
    auto st = s->kb().with([&](kb::knowledge_base& kb) {
        return kb.query(
            "SELECT code, name_fr, name_en, description_fr, description_en, group_name, "
            "keywords_fr, keywords_en FROM report_categories ORDER BY num",
            {}, [&](const std::vector<std::string>&, const std::vector<kb::value>& v) {
                auto text = [&](std::size_t i) {
                    auto* p = std::get_if<std::string>(&v[i]);
                    return p ? *p : std::string();
                };
                list.push_back({text(0), text(1), text(2), text(3), text(4), text(5), text(6), text(7)});
                return true;
            });
    });
    if (!st.ok) log::error("open311", "report categories: " + st.error);
    return list;
}

options options_from(const app& a) {
    options o;
    auto s = a.config.section("open311");
    if (s.count("api_key")) o.api_key = s["api_key"];
    if (s.count("jurisdiction_id")) o.jurisdiction_id = s["jurisdiction_id"];
    return o;
}

std::optional<store::report_record> change_status(app& a, const std::string& ticket,
                                                  const std::string& status,
                                                  const std::string& notes, std::int64_t now) {
    auto r = a.store->update_report(ticket, status, notes, now);
    if (!r || r->who.channel.empty()) return r;  // erased citizen: nobody to tell
    bool fr = r->locale != "en";
    std::string text = std::string(fr ? "Du nouveau sur votre signalement " : "News about your report ") +
                       r->ticket + (fr ? " : " : ": ") +
                       (status == "closed" ? (fr ? "il est traité." : "it has been dealt with.")
                                           : (fr ? "il est en cours de traitement." : "it is being handled."));
    if (!notes.empty()) text += (fr ? " Note des services : " : " Note from the services: ") + notes;
    turn_result tr;
    tr.conversation_id = r->who.conversation_id;
    tr.locale = r->locale;
    tr.intent = "report.status";
    tr.replies.push_back({text, {}, {}, {}});
    a.store->log_message({0, r->who, "out", store::mask_pii(text), now});
    std::size_t n = a.push.push(r->who.channel, r->who.conversation_id, tr);
    log::info("open311", "report " + ticket + " is " + status + "; told " + std::to_string(n) +
                             " subscriber(s)");
    return r;
}

void register_api(http_server& server, app& a, options o) {
    auto opts = std::make_shared<options>(std::move(o));

    // French by default; English with ?locale=en (or Accept-Language: en…).
    server.route(http::verb::get, "/open311/v2/services.json",
                 [&a](http_request& req, const request_context& ctx)
                     -> boost::asio::awaitable<http_response> {
                     auto q = ctx.query.find("locale");
                     std::string lang = q != ctx.query.end()
                                            ? q->second
                                            : std::string(req[http::field::accept_language]);
                     bool en = lang.rfind("en", 0) == 0;
                     json::array list;
                     for (auto& s : services(a))
                         list.push_back(json::object{
                             {"service_code", s.code},
                             {"service_name", en ? s.name_en : s.name_fr},
                             {"description", en ? s.description_en : s.description_fr},
                             {"metadata", false},
                             {"type", "realtime"},
                             {"keywords", en ? s.keywords_en : s.keywords_fr},
                             {"group", s.group}});
                     co_return json_response(http::status::ok, json::serialize(list));
                 });

    server.route(http::verb::get, "/open311/v2/requests.json",
                 [&a, opts](http_request&, const request_context& ctx)
                     -> boost::asio::awaitable<http_response> {
                     store::report_filter f;
                     f.limit = opts->list_limit;
                     auto q = [&](const char* k) {
                         auto it = ctx.query.find(k);
                         return it == ctx.query.end() ? std::string() : it->second;
                     };
                     for (auto& id : split_list(q("service_request_id"))) f.tickets.push_back(id);
                     f.status = q("status");
                     if (!f.status.empty() && f.status != "open" && f.status != "closed")
                         co_return error(http::status::bad_request, "status must be open or closed");
                     for (auto [key, field] : {std::pair{"start_date", &f.from}, {"end_date", &f.to}}) {
                         if (q(key).empty()) continue;
                         auto t = parse_w3c(q(key));
                         if (!t)
                             co_return error(http::status::bad_request,
                                             std::string(key) + " must be a W3C date-time");
                         *field = *t;
                     }
                     std::string code = q("service_code");
                     json::array list;
                     auto cats = services(a);
                     for (auto& r : a.store->list_reports(f))
                         if (code.empty() || r.service_code == code) list.push_back(report_json(cats, r));
                     co_return json_response(http::status::ok, json::serialize(list));
                 });

    server.route(http::verb::post, "/open311/v2/requests.json",
                 [&a, opts](http_request& req, const request_context&)
                     -> boost::asio::awaitable<http_response> {
                     std::string why;
                     auto p = body_params(req, why);
                     if (!p) co_return error(http::status::bad_request, why);
                     if (!key_ok(*opts, (*p)["api_key"]))
                         co_return error(http::status::forbidden,
                                         opts->api_key.empty() ? "writes are disabled (no API key configured)"
                                                               : "invalid api_key");
                     store::report_record r;
                     r.service_code = (*p)["service_code"];
                     bool known = false;
                     for (auto& s : services(a)) known = known || r.service_code == s.code;
                     if (r.service_code.empty())
                         co_return error(http::status::bad_request, "service_code is required");
                     if (!known)
                         co_return error(http::status::not_found,
                                         "unknown service_code '" + r.service_code + "'");
                     r.lat = number(*p, "lat", -90, 90, why);
                     r.lon = number(*p, "long", -180, 180, why);
                     if (!why.empty()) co_return error(http::status::bad_request, why);
                     r.address = (*p)["address_string"];
                     if ((!r.lat || !r.lon) && r.address.empty())
                         co_return error(http::status::bad_request,
                                         "a location is required: lat and long, or address_string");
                     r.description = (*p)["description"];
                     if (r.description.size() > 4000)
                         co_return error(http::status::bad_request,
                                         "description is longer than 4000 characters");
                     if (r.description.empty()) r.description = r.service_code;
                     r.media_url = (*p)["media_url"];
                     r.email = (*p)["email"];
                     r.phone = (*p)["phone"];
                     r.name = (*p)["first_name"] + ((*p)["last_name"].empty() ? "" : " " + (*p)["last_name"]);
                     r.requested = r.updated = now_seconds();
                     r.ticket_year = local_year(a.engine->current_site()->options().time_zone, r.requested);
                     r.who = {"open311", (*p)["device_id"], (*p)["account_id"]};
                     r = a.store->create_report(std::move(r));
                     json::array out;
                     out.push_back(json::object{{"service_request_id", r.ticket},
                                                {"service_notice", ""},
                                                {"account_id", nullptr}});
                     co_return json_response(http::status::created, json::serialize(out));
                 });

    server.route(http::verb::get, "/open311/v2/requests/*",
                 [&a](http_request&, const request_context& ctx) -> boost::asio::awaitable<http_response> {
                     std::string id = ctx.path.substr(std::string("/open311/v2/requests/").size());
                     if (id.size() < 6 || id.substr(id.size() - 5) != ".json")
                         co_return error(http::status::not_found, "use /open311/v2/requests/{id}.json");
                     id.resize(id.size() - 5);
                     auto r = a.store->get_report(id);
                     if (!r) co_return error(http::status::not_found, "no service request '" + id + "'");
                     json::array out;
                     out.push_back(report_json(services(a), *r));
                     co_return json_response(http::status::ok, json::serialize(out));
                 });

    // Extension for staff tools: change the status (api_key, status, status_notes).
    server.route(http::verb::post, "/open311/v2/requests/*",
                 [&a, opts](http_request& req, const request_context& ctx)
                     -> boost::asio::awaitable<http_response> {
                     std::string id = ctx.path.substr(std::string("/open311/v2/requests/").size());
                     if (id.size() < 6 || id.substr(id.size() - 5) != ".json")
                         co_return error(http::status::not_found, "use /open311/v2/requests/{id}.json");
                     id.resize(id.size() - 5);
                     std::string why;
                     auto p = body_params(req, why);
                     if (!p) co_return error(http::status::bad_request, why);
                     if (!key_ok(*opts, (*p)["api_key"]))
                         co_return error(http::status::forbidden, "invalid api_key");
                     auto status = (*p)["status"];
                     if (status != "open" && status != "closed")
                         co_return error(http::status::bad_request, "status must be open or closed");
                     auto r = change_status(a, id, status, (*p)["status_notes"], now_seconds());
                     if (!r) co_return error(http::status::not_found, "no service request '" + id + "'");
                     json::array out;
                     out.push_back(report_json(services(a), *r));
                     co_return json_response(http::status::ok, json::serialize(out));
                 });
}

}  // namespace guichet::open311
