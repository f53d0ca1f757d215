// The splitter on ICU: the text as UTF-16 (UnicodeString), the furthest end within the
// limit, then the last good boundary before it — a paragraph or line break in the second half
// of the part (so a part is not a short stub), else a sentence boundary, else a line-break
// opportunity (between words), else a character boundary.
#include "outbound/split_text.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cassert>
#include <memory>
#include <stdexcept>

namespace guichet::outbound {
namespace {

enum class kind { sentence, line, character };

// A BreakIterator must not be shared between threads: one clone per thread and kind.
icu::BreakIterator& breaker(kind k) {
    auto make = [](kind k) {
        UErrorCode st = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> b(
            k == kind::sentence ? icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), st)
            : k == kind::line   ? icu::BreakIterator::createLineInstance(icu::Locale::getRoot(), st)
                                : icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), st));
        if (U_FAILURE(st) || !b) throw std::runtime_error("ICU break iterator data unavailable");
        return b;
    };
    thread_local std::unique_ptr<icu::BreakIterator> sentence = make(kind::sentence);
    thread_local std::unique_ptr<icu::BreakIterator> line = make(kind::line);
    thread_local std::unique_ptr<icu::BreakIterator> character = make(kind::character);
    return k == kind::sentence ? *sentence : k == kind::line ? *line : *character;
}

bool space_at(const icu::UnicodeString& u, int32_t i) { return u_isUWhiteSpace(u.char32At(i)); }

// The furthest end (UTF-16 index) such that [start, end) counts at most `limit`.
int32_t furthest_end(const icu::UnicodeString& u, int32_t start, std::size_t limit, length_unit unit) {
    const int32_t len = u.length();
    if (unit == length_unit::code_points) return u.moveIndex32(start, static_cast<int32_t>(std::min<std::size_t>(limit, len)));
    int32_t end = static_cast<int32_t>(std::min<std::size_t>(static_cast<std::size_t>(len), start + limit));
    if (end < len && end > start + 1 && U16_IS_TRAIL(u.charAt(end)) && U16_IS_LEAD(u.charAt(end - 1))) --end;
    return end;
}

// The last boundary of `it` in (start, end], or -1.
int32_t last_boundary(icu::BreakIterator& it, int32_t start, int32_t end) {
    int32_t b = it.isBoundary(end) ? end : it.preceding(end);
    return b > start ? b : -1;
}

}  // namespace

std::size_t text_length(std::string_view text, length_unit unit) {
    auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    return static_cast<std::size_t>(unit == length_unit::utf16 ? u.length() : u.countChar32());
}

std::vector<std::string> split_text(std::string_view text, std::size_t limit, length_unit unit) {
    assert(limit > 0);
    if (text_length(text, unit) <= limit) return {std::string(text)};
    const auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    const int32_t len = u.length();
    auto& sentences = breaker(kind::sentence);
    auto& lines = breaker(kind::line);
    auto& characters = breaker(kind::character);
    sentences.setText(u);
    lines.setText(u);
    characters.setText(u);

    std::vector<std::string> parts;
    int32_t start = 0;
    while (start < len && space_at(u, start)) start = u.moveIndex32(start, 1);
    while (start < len) {
        int32_t hard = furthest_end(u, start, limit, unit);
        int32_t cut = hard;
        if (hard < len) {
            const int32_t half = start + (hard - start) / 2;
            if (int32_t p = u.lastIndexOf(u"\n\n", 0, 2, start, hard - start); p >= half) cut = p;
            else if (int32_t l = u.lastIndexOf(u'\n', start, hard - start); l >= half) cut = l;
            else if (int32_t s = last_boundary(sentences, start, hard); s >= half) cut = s;
            else if (space_at(u, hard)) cut = hard;  // the limit falls between two words
            else if (int32_t w = last_boundary(lines, start, hard); w > start) cut = w;
            else if (int32_t c = last_boundary(characters, start, hard); c > start) cut = c;
        }
        int32_t end = cut;
        while (end > start && space_at(u, u.moveIndex32(end, -1))) end = u.moveIndex32(end, -1);
        if (end > start) {
            std::string part;
            u.tempSubStringBetween(start, end).toUTF8String(part);
            parts.push_back(std::move(part));
        }
        start = cut;
        while (start < len && space_at(u, start)) start = u.moveIndex32(start, 1);
    }
    return parts;
}

}  // namespace guichet::outbound
