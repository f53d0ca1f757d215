// ICU time-zone offsets for local_clock; the calendar arithmetic itself uses
// std::chrono civil dates (year_month_day), which need no shared mutable Calendar.
#include "entities/local_clock.h"

#include <unicode/basictz.h>
#include <unicode/timezone.h>
#include <unicode/ucal.h>
#include <unicode/unistr.h>

#include <stdexcept>

#include "hours/opening_hours.h"

namespace guichet::entities {

local_clock::local_clock(const std::string& zone_id) {
    std::unique_ptr<icu::TimeZone> tz(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(zone_id)));
    icu::UnicodeString id;
    if (!tz || tz->getID(id) == icu::UnicodeString(UCAL_UNKNOWN_ZONE_ID))
        throw std::invalid_argument("entities: unknown time zone \"" + zone_id + "\"");
    auto* basic = dynamic_cast<icu::BasicTimeZone*>(tz.get());
    if (basic == nullptr)
        throw std::invalid_argument("entities: time zone \"" + zone_id +
                                    "\" has no transition rules");
    tz.release();
    tz_.reset(basic);
}

local_clock::~local_clock() = default;

namespace {
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}
}  // namespace

local_clock::local_time local_clock::to_local(std::int64_t unix_seconds) const {
    int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    tz_->getOffset(static_cast<UDate>(unix_seconds) * 1000.0, false, raw, dst, status);
    if (U_FAILURE(status)) raw = dst = 0;
    const std::int64_t local = unix_seconds + (raw + dst) / 1000;
    const std::int64_t days = floor_div(local, 86400);
    return {std::chrono::sys_days{std::chrono::days{days}}, local - days * 86400};
}

std::int64_t local_clock::from_local(std::chrono::sys_days day, std::int64_t seconds) const {
    const std::int64_t local = day.time_since_epoch().count() * 86400 + seconds;
    int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    tz_->getOffsetFromLocal(static_cast<UDate>(local) * 1000.0, UCAL_TZ_LOCAL_FORMER,
                            UCAL_TZ_LOCAL_FORMER, raw, dst, status);
    if (U_FAILURE(status)) raw = dst = 0;
    return local - (raw + dst) / 1000;
}

std::string local_clock::iso(std::int64_t unix_seconds) const {
    int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    tz_->getOffset(static_cast<UDate>(unix_seconds) * 1000.0, false, raw, dst, status);
    if (U_FAILURE(status)) raw = dst = 0;
    return hours::format_iso(unix_seconds, (raw + dst) / 1000);
}

}  // namespace guichet::entities
