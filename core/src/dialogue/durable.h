// What the dialogue engine keeps durably: conversation_state to and from JSON for the store,
// and the turn services that back the plugin ABI 1.1 records (reports, handoffs, erasure,
// export) with the store, forwarding knowledge-base and hours calls to the site.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "engine/site.h"
#include "store/store.h"

namespace guichet {

struct conversation_state;

std::string state_to_json(const conversation_state& s);
conversation_state state_from_json(const std::string& json);  // {} on bad input

// Per-turn services: the site (read-only content) plus the store (records). Thread-safe.
class durable_services final : public turn_services {
public:
    // signed_in: how many agents are signed in to the console now (may be empty: none).
    durable_services(std::shared_ptr<site> s, store::store* st,
                     std::function<std::size_t()> signed_in = {})
        : site_(std::move(s)), store_(st), signed_in_(std::move(signed_in)) {}

    bool kb_query(const std::string& sql, const std::vector<std::string>& params,
                  guichet_row_callback row, void* user, std::string& error) override {
        return site_->kb_query(sql, params, row, user, error);
    }
    bool hours_intervals(const std::string& expression, std::int64_t from, std::int64_t to,
                         guichet_interval_callback cb, void* user, std::string& error) override {
        return site_->hours_intervals(expression, from, to, cb, user, error);
    }
    std::optional<std::string> holiday_name(std::int64_t at, const std::string& locale) override {
        return site_->holiday_name(at, locale);
    }
    std::string format_time(std::int64_t at, const std::string& skeleton,
                            const std::string& locale) override {
        return site_->format_time(at, skeleton, locale);
    }

    std::optional<std::string> report_create(const message& who, const fields& f,
                                             const std::string& locale,
                                             std::string& error) override;
    std::optional<fields> report_get(const std::string& ticket) override;
    std::optional<std::string> handoff_request(const message& who, const std::string& kind,
                                               const std::string& contact,
                                               const std::string& note, const std::string& locale,
                                               std::string& error) override;
    std::int64_t erase_user_data(const message& who) override;
    bool export_user_data(const message& who, std::vector<std::vector<std::string>>& rows,
                          std::string& error) override;
    std::size_t agents_signed_in() override { return signed_in_ ? signed_in_() : 0; }

private:
    std::shared_ptr<site> site_;
    store::store* store_;
    std::function<std::size_t()> signed_in_;
};

// GeoReport v2 fields of a report, in the order the spec lists them (ISO-8601 UTC dates).
turn_services::fields georeport_fields(const store::report_record& r);
std::string iso_utc(std::int64_t t);
// The calendar year at `t` in the IANA zone `time_zone` (ticket numbers follow the town's
// year: 00:30 on 1 January in Paris is already the new year); the UTC year for an unknown zone.
int local_year(const std::string& time_zone, std::int64_t t);

}  // namespace guichet
