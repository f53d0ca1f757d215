// Local-time conversions with ICU time zones (see local_time.h) and the ISO-8601 helpers of
// the public API (format_local_iso / parse_local_iso).
#include "hours/local_time.h"

#include <unicode/basictz.h>
#include <unicode/timezone.h>
#include <unicode/tztrans.h>
#include <unicode/unistr.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "hours/opening_hours.h"

namespace guichet::hours {

namespace detail {

const icu::BasicTimeZone& zone_for(std::string_view name) {
    thread_local std::vector<std::pair<std::string, std::unique_ptr<icu::BasicTimeZone>>> cache;
    for (const auto& [n, z] : cache) {
        if (n == name) return *z;
    }
    std::unique_ptr<icu::TimeZone> tz(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size())))));
    icu::UnicodeString id;
    if (!tz || tz->getID(id) == icu::UnicodeString(u"Etc/Unknown")) {
        throw std::invalid_argument("unknown time zone '" + std::string(name) + "'");
    }
    auto* basic = dynamic_cast<icu::BasicTimeZone*>(tz.get());
    if (basic == nullptr) throw std::invalid_argument("unsupported time zone '" + std::string(name) + "'");
    tz.release();
    cache.emplace_back(std::string(name), std::unique_ptr<icu::BasicTimeZone>(basic));
    return *cache.back().second;
}

namespace {

// A stretch of UTC time [from, to) over which a zone keeps one offset (between two of its
// transitions). The evaluator converts every segment of every day it looks at, and ICU's
// calendar arithmetic per call was 3 % of a turn's CPU: the stretch around the last time asked
// is kept per thread and zone, and ICU is asked again only outside it.
struct offset_span {
    const icu::BasicTimeZone* zone = nullptr;
    std::int64_t from = 0, to = 0;
    int offset = 0;
};

constexpr std::int64_t no_bound = std::int64_t{1} << 52;

offset_span& span_at(const icu::BasicTimeZone& z, std::int64_t t) {
    thread_local offset_span kept[4];
    thread_local unsigned next = 0;
    for (auto& s : kept)
        if (s.zone == &z && t >= s.from && t < s.to) return s;
    auto& s = kept[next++ % 4];
    int32_t raw = 0, dst = 0;
    UErrorCode ec = U_ZERO_ERROR;
    z.getOffset(static_cast<UDate>(t) * 1000.0, false, raw, dst, ec);
    s = {&z, t, t + 1, U_FAILURE(ec) ? 0 : (raw + dst) / 1000};
    if (U_FAILURE(ec)) return s;
    icu::TimeZoneTransition tr;
    // ICU dates are milliseconds; transitions fall on whole seconds.
    s.from = z.getPreviousTransition(static_cast<UDate>(t) * 1000.0, true, tr)
                 ? static_cast<std::int64_t>(tr.getTime() / 1000.0)
                 : -no_bound;
    s.to = z.getNextTransition(static_cast<UDate>(t) * 1000.0, false, tr)
               ? static_cast<std::int64_t>(tr.getTime() / 1000.0)
               : no_bound;
    if (s.from > t || s.to <= t) s.from = t, s.to = t + 1;  // not what ICU promises: keep t only
    return s;
}

}  // namespace

int utc_offset(const icu::BasicTimeZone& z, std::int64_t t) { return span_at(z, t).offset; }

std::int64_t local_to_utc(const icu::BasicTimeZone& z, std::int64_t local) {
    // Within a stretch, two days away from both its ends, the wall time has exactly one instant,
    // local - offset (offsets change by less than that: Samoa once skipped one whole day).
    // Near a transition (skipped or repeated wall times), ICU decides.
    constexpr std::int64_t margin = 2 * 86400;
    const offset_span near = span_at(z, local);  // a copy: the next call may replace it
    if (const std::int64_t t = local - near.offset; t >= near.from + margin && t < near.to - margin) return t;
    const offset_span& there = span_at(z, local - near.offset);
    if (const std::int64_t t = local - there.offset; t >= there.from + margin && t < there.to - margin) return t;
    int32_t raw = 0, dst = 0;
    UErrorCode ec = U_ZERO_ERROR;
    z.getOffsetFromLocal(static_cast<UDate>(local) * 1000.0, UCAL_TZ_LOCAL_FORMER, UCAL_TZ_LOCAL_FORMER, raw, dst, ec);
    if (U_FAILURE(ec)) return local;
    return local - (raw + dst) / 1000;
}

}  // namespace detail

std::string format_local_iso(std::int64_t t, std::string_view time_zone) {
    return format_iso(t, detail::utc_offset(detail::zone_for(time_zone), t));
}

std::string format_iso(std::int64_t t, int off) {
    using namespace std::chrono;
    const std::int64_t local = t + off;
    std::int64_t days = local / 86400;
    std::int64_t rem = local % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    const year_month_day ymd{sys_days{std::chrono::days{days}}};
    const int aoff = off < 0 ? -off : off;
    const int year = static_cast<int>(ymd.year());
    if (year < 0 || year > 9999) {  // out of ISO's four digits: the general path
        char buf[64];
        std::snprintf(buf, sizeof buf, "%d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", year,
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                      static_cast<int>(rem / 3600), static_cast<int>(rem % 3600 / 60),
                      static_cast<int>(rem % 60), off < 0 ? '-' : '+', aoff / 3600,
                      aoff % 3600 / 60);
        return buf;
    }
    std::string s = "0000-00-00T00:00:00+00:00";
    auto put = [&](std::size_t at, int v, int width) {
        for (int i = width - 1; i >= 0; --i, v /= 10)
            s[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
    };
    put(0, year, 4);
    put(5, static_cast<int>(static_cast<unsigned>(ymd.month())), 2);
    put(8, static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
    put(11, static_cast<int>(rem / 3600), 2);
    put(14, static_cast<int>(rem % 3600 / 60), 2);
    put(17, static_cast<int>(rem % 60), 2);
    s[19] = off < 0 ? '-' : '+';
    put(20, aoff / 3600, 2);
    put(23, aoff % 3600 / 60, 2);
    return s;
}

std::optional<std::int64_t> parse_local_iso(std::string_view s, std::string_view time_zone) {
    using namespace std::chrono;
    auto num = [&](std::size_t pos, std::size_t len, int& out) {
        if (pos + len > s.size()) return false;
        out = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (s[i] < '0' || s[i] > '9') return false;
            out = out * 10 + (s[i] - '0');
        }
        return true;
    };
    int y, mo, d, h, mi, se = 0;
    if (!num(0, 4, y) || s.size() < 16 || s[4] != '-' || !num(5, 2, mo) || s[7] != '-' || !num(8, 2, d) ||
        (s[10] != 'T' && s[10] != ' ') || !num(11, 2, h) || s[13] != ':' || !num(14, 2, mi)) {
        return std::nullopt;
    }
    std::size_t pos = 16;
    if (pos < s.size() && s[pos] == ':') {
        if (!num(pos + 1, 2, se)) return std::nullopt;
        pos += 3;
    }
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || se > 59) return std::nullopt;
    const std::int64_t local = static_cast<std::int64_t>(sys_days{ymd}.time_since_epoch().count()) * 86400 +
                               h * 3600 + mi * 60 + se;
    if (pos == s.size()) return detail::local_to_utc(detail::zone_for(time_zone), local);
    if (s[pos] == 'Z' && pos + 1 == s.size()) return local;
    if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
        int oh, om;
        if (!num(pos + 1, 2, oh) || !num(pos + 4, 2, om) || oh > 23 || om > 59) return std::nullopt;
        const int off = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
        return local - off;
    }
    return std::nullopt;
}

}  // namespace guichet::hours
