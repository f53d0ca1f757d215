// Local civil time in one IANA time zone, through ICU's time-zone data (DST-correct):
// Unix seconds <-> local date and time of day, and ISO-8601 with the local offset.
// Internal to `entities`.
#pragma once

#include <unicode/uversion.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

U_NAMESPACE_BEGIN
class BasicTimeZone;
U_NAMESPACE_END

namespace guichet::entities {

// Immutable after construction; its const methods only call const ICU TimeZone methods,
// which ICU documents as safe to call concurrently.
class local_clock {
  public:
    // Throws std::invalid_argument if `zone_id` is not a time zone ICU knows.
    explicit local_clock(const std::string& zone_id);
    ~local_clock();

    struct local_time {
        std::chrono::sys_days day;  // the local civil date (not a UTC instant)
        std::int64_t seconds = 0;   // seconds since local midnight
    };
    local_time to_local(std::int64_t unix_seconds) const;

    // The instant of local `day` + `seconds` (seconds may overflow into following days).
    // A time that does not exist (spring-forward gap) is read with the offset in force
    // before the change; a time that happens twice (fall back) means the first one.
    std::int64_t from_local(std::chrono::sys_days day, std::int64_t seconds) const;

    // "2026-12-05T00:00:00+01:00"
    std::string iso(std::int64_t unix_seconds) const;

  private:
    std::unique_ptr<icu::BasicTimeZone> tz_;
};

}  // namespace guichet::entities
