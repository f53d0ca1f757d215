// Conversions between Unix seconds and local wall time of an IANA zone, with ICU
// (icu::BasicTimeZone), DST-correct. Internal to the hours component.
#pragma once

#include <cstdint>
#include <string_view>


#include <unicode/basictz.h>

namespace guichet::hours::detail {

// The zone named `name`, cached per thread (never freed before thread exit). Throws
// std::invalid_argument when ICU does not know the zone.
const icu::BasicTimeZone& zone_for(std::string_view name);

// UTC offset in seconds at Unix time `t`.
int utc_offset(const icu::BasicTimeZone& z, std::int64_t t);

// Local wall time (seconds since 1970-01-01T00:00 local) -> Unix seconds. A wall time skipped
// by DST is moved forward (02:30 -> 03:30), an ambiguous one takes its first occurrence, as
// JavaScript's Date does (the reference implementation).
std::int64_t local_to_utc(const icu::BasicTimeZone& z, std::int64_t local);

}  // namespace guichet::hours::detail
