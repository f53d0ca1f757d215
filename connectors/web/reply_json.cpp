// Serialisation of replies; empty lists are omitted to keep answers small.
#include "web/reply_json.h"

#include <boost/json.hpp>
#include <chrono>
#include <ctime>

namespace guichet::web {

boost::json::object to_json(const reply& r) {
    boost::json::object o{{"text", r.text}};
    if (!r.buttons.empty()) {
        boost::json::array a;
        for (auto& b : r.buttons) a.push_back({{"title", b.title}, {"payload", b.payload}});
        o["buttons"] = std::move(a);
    }
    if (!r.cards.empty()) {
        boost::json::array a;
        for (auto& c : r.cards) {
            boost::json::object co{{"title", c.title}};
            if (!c.subtitle.empty()) co["subtitle"] = c.subtitle;
            if (!c.url.empty()) co["url"] = c.url;
            a.push_back(std::move(co));
        }
        o["cards"] = std::move(a);
    }
    if (!r.locations.empty()) {
        boost::json::array a;
        for (auto& l : r.locations) a.push_back({{"title", l.title}, {"lat", l.lat}, {"lon", l.lon}});
        o["locations"] = std::move(a);
    }
    return o;
}

namespace {
// Reads an optional string member; sets error when present with another type.
std::string text_member(const boost::json::object& o, const char* name, std::string& error) {
    auto* v = o.if_contains(name);
    if (!v || v->is_null()) return {};
    if (!v->is_string()) {
        error = std::string("\"") + name + "\" must be a string";
        return {};
    }
    return std::string(v->get_string());
}
}  // namespace

std::string read_message(const boost::json::object& o, message& m) {
    std::string error;
    m.text = text_member(o, "text", error);
    m.locale = text_member(o, "locale", error);
    m.locale_hint = text_member(o, "locale_hint", error);
    m.payload = text_member(o, "payload", error);
    m.title = text_member(o, "title", error);
    auto user = text_member(o, "user", error);
    if (!user.empty()) m.user_id = user;
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
    if (m.locale.size() > 16) error = "\"locale\" is longer than 16 bytes";
    if (m.locale_hint.size() > 16) error = "\"locale_hint\" is longer than 16 bytes";
    if (m.payload.size() > 1024) error = "\"payload\" is longer than 1024 bytes";
    if (m.title.size() > 1024) error = "\"title\" is longer than 1024 bytes";
    if (error.empty() && m.text.empty() && m.payload.empty() && !m.location)
        error = "one of \"text\", \"payload\" or \"location\" is required";
    return error;
}

boost::json::object user_entry(const message& m) {
    boost::json::object o{{"from", "user"}, {"time", iso_now()}};
    if (!m.text.empty()) o["text"] = m.text;
    if (!m.payload.empty()) o["payload"] = m.payload;
    if (!m.payload.empty() && !m.title.empty()) o["title"] = m.title;
    if (m.location) o["location"] = {{"lat", m.location->lat}, {"lon", m.location->lon}};
    return o;
}

std::string iso_now() {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    // The date and time to the second change once a second: written again only then.
    thread_local std::int64_t second = -1;
    thread_local char buf[40];
    if (ms / 1000 != second) {
        second = ms / 1000;
        std::time_t secs = static_cast<std::time_t>(second);
        std::tm tm{};
        gmtime_r(&secs, &tm);
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    }
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
    return out;
}

boost::json::object to_json(const turn_result& r) {
    boost::json::array replies;
    for (auto& x : r.replies) replies.push_back(to_json(x));
    boost::json::object intent{{"confidence", r.confidence}};
    if (r.intent.empty())
        intent["name"] = nullptr;
    else
        intent["name"] = r.intent;
    boost::json::object o{{"conversation", r.conversation_id},
                          {"locale", r.locale},
                          {"replies", std::move(replies)},
                          {"intent", std::move(intent)}};
    if (r.asks) o["asks"] = true;  // a question to the citizen: not rated "useful"
    return o;
}

}  // namespace guichet::web
