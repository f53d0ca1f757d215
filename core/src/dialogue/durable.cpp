// Durable dialogue state (JSON through Boost.JSON) and the store-backed turn services.
#include "dialogue/durable.h"

#include <boost/json.hpp>
#include <cstdio>
#include <ctime>

#include "common/json_fields.h"
#include "dialogue/engine.h"
#include "engine/log.h"
#include "hours/local_time.h"
#include "store/pii.h"

namespace json = boost::json;

namespace guichet {
namespace {

json::object to_object(const std::map<std::string, std::string>& m) {
    json::object o;
    for (auto& [k, v] : m) o[k] = v;
    return o;
}

std::map<std::string, std::string> to_map(const json::value* v) {
    std::map<std::string, std::string> m;
    if (!v || !v->is_object()) return m;
    for (auto& [k, x] : v->as_object())
        if (x.is_string()) m[std::string(k)] = std::string(x.as_string());
    return m;
}

store::citizen citizen_of(const message& m) { return {m.channel, m.conversation_id, m.user_id}; }

}  // namespace

int local_year(const std::string& time_zone, std::int64_t t) {
    std::int64_t offset = 0;
    try {
        offset = hours::detail::utc_offset(hours::detail::zone_for(time_zone), t);
    } catch (const std::exception&) {
    }
    std::time_t local = static_cast<std::time_t>(t + offset);
    std::tm tm{};
    gmtime_r(&local, &tm);
    return tm.tm_year + 1900;
}

std::string iso_utc(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Fields at their default are left out (state_from_json restores them): every turn writes
// the state, and a smaller row means fewer pages written per batch of turns.
std::string state_to_json(const conversation_state& s) {
    json::object o;
    if (!s.memory.empty()) o["memory"] = to_object(s.memory);
    if (!s.pending_intent.empty()) o["pending_intent"] = s.pending_intent;
    if (!s.pending_slot.empty()) o["pending_slot"] = s.pending_slot;
    if (!s.pending_text.empty()) o["pending_text"] = s.pending_text;
    if (!s.pending_slots.empty()) o["pending_slots"] = to_object(s.pending_slots);
    if (!s.locale.empty()) o["locale"] = s.locale;
    if (s.failures != 0) o["failures"] = s.failures;
    o["last_seen"] = s.last_seen;
    return json::serialize(o);
}

conversation_state state_from_json(const std::string& text) {
    conversation_state s;
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return s;
    auto& o = v.as_object();
    s.memory = to_map(o.if_contains("memory"));
    s.pending_intent = string_field(o, "pending_intent");
    s.pending_slot = string_field(o, "pending_slot");
    s.pending_text = string_field(o, "pending_text");
    s.pending_slots = to_map(o.if_contains("pending_slots"));
    s.locale = string_field(o, "locale");
    if (auto* f = o.if_contains("failures"); f && f->is_int64()) s.failures = static_cast<int>(f->as_int64());
    if (auto* f = o.if_contains("last_seen"); f && f->is_int64()) s.last_seen = f->as_int64();
    return s;
}

turn_services::fields georeport_fields(const store::report_record& r) {
    auto num = [](std::optional<double> d) {
        if (!d) return std::string();
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.6f", *d);
        return std::string(buf);
    };
    return {{"service_request_id", r.ticket},
            {"status", r.status},
            {"status_notes", r.status_notes},
            {"service_code", r.service_code},
            {"service_name", r.service_code},
            {"description", r.description},
            {"requested_datetime", iso_utc(r.requested)},
            {"updated_datetime", iso_utc(r.updated)},
            {"address", r.address},
            {"lat", num(r.lat)},
            {"long", num(r.lon)},
            {"media_url", r.media_url}};
}

std::optional<std::string> durable_services::report_create(const message& who, const fields& f,
                                                           const std::string& locale,
                                                           std::string& error) {
    if (!store_) {
        error = "no store";
        return std::nullopt;
    }
    store::report_record r;
    for (auto& [k, v] : f) {
        if (k == "service_code") r.service_code = v;
        else if (k == "description") r.description = v;
        else if (k == "address") r.address = v;
        else if (k == "media_url") r.media_url = v;
        else if (k == "email") r.email = v;
        else if (k == "phone") r.phone = v;
        else if (k == "name") r.name = v;
        else if (k == "lat" || k == "long") {
            char* end = nullptr;
            double d = std::strtod(v.c_str(), &end);
            if (end == v.c_str()) continue;
            (k == "lat" ? r.lat : r.lon) = d;
        }
    }
    if (r.service_code.empty() || r.description.empty()) {
        error = "service_code and description are required";
        return std::nullopt;
    }
    r.locale = locale;
    r.requested = r.updated = who.now;
    r.ticket_year = local_year(site_->options().time_zone, who.now);
    r.who = citizen_of(who);
    try {
        r = store_->create_report(std::move(r));
        store_->count(iso_utc(who.now).substr(0, 10), "report:" + r.service_code);
        return r.ticket;
    } catch (const std::exception& e) {
        error = e.what();
        return std::nullopt;
    }
}

std::optional<turn_services::fields> durable_services::report_get(const std::string& ticket) {
    if (!store_) return std::nullopt;
    auto r = store_->get_report(ticket);
    if (!r) return std::nullopt;
    return georeport_fields(*r);
}

std::optional<std::string> durable_services::handoff_request(const message& who,
                                                             const std::string& kind,
                                                             const std::string& contact,
                                                             const std::string& note,
                                                             const std::string& locale,
                                                             std::string& error) {
    if (!store_ || (kind != "queue" && kind != "callback" && kind != "email")) {
        error = store_ ? "kind must be queue, callback or email" : "no store";
        return std::nullopt;
    }
    store::handoff_record h;
    h.kind = kind;
    h.contact = contact;
    h.note = store::mask_pii(note);
    h.who = citizen_of(who);
    h.locale = locale;
    h.created = h.updated = who.now;
    h.ticket_year = local_year(site_->options().time_zone, who.now);
    try {
        h = store_->create_handoff(std::move(h));
        store_->count(iso_utc(who.now).substr(0, 10), "handoff:" + kind);
        return h.ticket;
    } catch (const std::exception& e) {
        error = e.what();
        return std::nullopt;
    }
}

std::int64_t durable_services::erase_user_data(const message& who) {
    if (!store_) return -1;
    try {
        auto n = store_->erase_citizen(citizen_of(who));
        store_->count(iso_utc(who.now).substr(0, 10), "privacy:erase");
        return n;
    } catch (const std::exception& e) {
        log::warn("store", std::string("erase failed: ") + e.what(), who.conversation_id);
        return -1;
    }
}

bool durable_services::export_user_data(const message& who,
                                        std::vector<std::vector<std::string>>& rows,
                                        std::string& error) {
    if (!store_) {
        error = "no store";
        return false;
    }
    try {
        rows = store_->export_citizen(citizen_of(who));
        return true;
    } catch (const std::exception& e) {
        error = e.what();
        return false;
    }
}

}  // namespace guichet
