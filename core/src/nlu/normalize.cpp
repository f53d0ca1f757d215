// Normalisation with ICU (Normalizer2 instances and a word BreakIterator cloned per thread) and
// Snowball stemming with libstemmer (one stemmer per thread and language). Accent removal uses
// NFD + dropping nonspacing marks + NFC with Normalizer2 directly: the same result as the ICU
// Transliterator "NFD; [:Nonspacing Mark:] Remove; NFC", several times faster per call.
// ASCII text (most messages) is folded and cut into words by hand, with the same results as
// ICU's (tested against it on every ASCII character and on random strings), and ICU decides
// whenever the text holds a character whose rules are not spelt out here.
#include "nlu/normalize.h"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>

#include "common/lru_map.h"

namespace guichet::nlu {
namespace {

struct normalizers {
    const icu::Normalizer2* nfkc_cf = nullptr;
    const icu::Normalizer2* nfd = nullptr;
    const icu::Normalizer2* nfc = nullptr;
};

// Normalizer2 instances are owned by ICU, immutable and safe to share between threads.
const normalizers& get_normalizers() {
    static const normalizers n = [] {
        UErrorCode st = U_ZERO_ERROR;
        normalizers r;
        r.nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(st);
        r.nfd = icu::Normalizer2::getNFDInstance(st);
        r.nfc = icu::Normalizer2::getNFCInstance(st);
        if (U_FAILURE(st)) throw std::runtime_error("ICU normalizer data unavailable");
        return r;
    }();
    return n;
}

// A BreakIterator must not be shared between threads: clone the prototype once per thread.
icu::BreakIterator& word_breaker() {
    static const std::unique_ptr<icu::BreakIterator> prototype = [] {
        UErrorCode st = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> b(
            icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), st));
        if (U_FAILURE(st) || !b) throw std::runtime_error("ICU word break data unavailable");
        return b;
    }();
    thread_local std::unique_ptr<icu::BreakIterator> mine(prototype->clone());
    return *mine;
}

std::string_view cut_at_boundary(std::string_view raw) {
    if (raw.size() <= max_input_bytes) return raw;
    std::size_t n = max_input_bytes;
    // Step back over continuation bytes (10xxxxxx) so that no code point is split.
    for (int i = 0; i < 3 && n > 0 && (static_cast<unsigned char>(raw[n]) & 0xC0) == 0x80; ++i) --n;
    return raw.substr(0, n);
}

bool is_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

// sanitize() and fold() of ASCII text without ICU: tab, newline and CR become spaces, the
// other control characters go, and folding is lower-casing (NFKC leaves ASCII as it is and has
// no accent to remove). Most messages are ASCII ("horaires mairie", SMS spellings), and the
// three normalisations of the general path were most of understanding's time.
std::string ascii_folded(std::string_view raw, bool lower) {
    std::string out;
    out.reserve(raw.size());
    for (char c : raw) {
        if (c == '\t' || c == '\n' || c == '\r') {
            out += ' ';
        } else if (c >= 0x20 && c != 0x7f) {
            out += lower && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        }
    }
    return out;
}

icu::UnicodeString from_ascii(const std::string& s) {
    return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

icu::UnicodeString sanitized_unicode(std::string_view raw) {
    raw = cut_at_boundary(raw);
    if (is_ascii(raw)) return from_ascii(ascii_folded(raw, false));
    // fromUTF8 replaces each ill-formed sequence with U+FFFD.
    icu::UnicodeString in = icu::UnicodeString::fromUTF8(
        icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size())));
    icu::UnicodeString out;
    for (int32_t i = 0; i < in.length();) {
        UChar32 c = in.char32At(i);
        i += U16_LENGTH(c);
        if (c == '\t' || c == '\n' || c == '\r') {
            out.append(UChar32(' '));
            continue;
        }
        int8_t type = u_charType(c);
        if (type == U_CONTROL_CHAR || type == U_FORMAT_CHAR) continue;
        if (c == 0x2019 || c == 0x02BC || c == 0x2018) c = '\'';
        out.append(c);
    }
    return out;
}

icu::UnicodeString folded_unicode(std::string_view raw) {
    if (auto cut = cut_at_boundary(raw); is_ascii(cut)) return from_ascii(ascii_folded(cut, true));
    const normalizers& n = get_normalizers();
    UErrorCode st = U_ZERO_ERROR;
    icu::UnicodeString s = n.nfkc_cf->normalize(sanitized_unicode(raw), st);
    icu::UnicodeString d = n.nfd->normalize(s, st);
    icu::UnicodeString stripped;
    for (int32_t i = 0; i < d.length();) {
        UChar32 c = d.char32At(i);
        i += U16_LENGTH(c);
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        if (c == 0x0153) {  // œ (case folding already lowered Œ)
            stripped.append(UChar32('o')).append(UChar32('e'));
        } else if (c == 0x00E6) {  // æ
            stripped.append(UChar32('a')).append(UChar32('e'));
        } else {
            stripped.append(c);
        }
    }
    icu::UnicodeString r = n.nfc->normalize(stripped, st);
    if (U_FAILURE(st)) return icu::UnicodeString();  // only on out-of-memory
    return r;
}

std::string to_utf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

void push_split(std::vector<std::string>& out, std::string_view text) {
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t sp = text.find(' ', start);
        if (sp == std::string_view::npos) sp = text.size();
        if (sp > start) out.emplace_back(text.substr(start, sp - start));
        start = sp + 1;
    }
}

// Adds one word: SMS spellings expanded, then the word itself.
void push_word(std::vector<std::string>& out, std::string_view w, std::string_view lang) {
    if (w.empty()) return;
    std::string_view sms = expand_sms(w, lang);
    if (!sms.empty()) {
        push_split(out, sms);
    } else {
        out.emplace_back(w);
    }
}

// French elision: the elided article or pronoun is spelt out as its own word.
void push_french(std::vector<std::string>& out, std::string_view w) {
    struct elision {
        std::string_view prefix, full;
    };
    static constexpr elision elisions[] = {
        {"jusqu'", "jusque"}, {"lorsqu'", "lorsque"}, {"puisqu'", "puisque"}, {"qu'", "que"},
        {"l'", "le"},         {"d'", "de"},           {"j'", "je"},           {"n'", "ne"},
        {"s'", "se"},         {"c'", "ce"},           {"m'", "me"},           {"t'", "te"},
    };
    for (int guard = 0; guard < 4; ++guard) {  // "qu'l'..." never loops for long
        bool split = false;
        for (const elision& e : elisions) {
            if (w.size() > e.prefix.size() && w.substr(0, e.prefix.size()) == e.prefix) {
                std::string_view rest = w.substr(e.prefix.size());
                // s'il, s'ils: the elided word is "si", not "se".
                bool si = e.prefix == "s'" && rest.substr(0, 2) == "il";
                out.emplace_back(si ? std::string_view("si") : e.full);
                w = rest;
                split = true;
                break;
            }
        }
        if (!split) break;
    }
    if (!w.empty() && w.back() == '\'') w.remove_suffix(1);
    // "carte d identite", "j ai": the apostrophe left out, the lone letter is still elided.
    if (w == "qu") w = "que";
    if (w.size() == 1) {
        for (const elision& e : elisions)
            if (e.prefix.size() == 2 && e.prefix[0] == w[0]) w = e.full;
    }
    push_word(out, w, "fr");
}

void push_english(std::vector<std::string>& out, std::string_view w) {
    if (w.find('\'') == std::string_view::npos) {
        push_word(out, w, "en");
        return;
    }
    std::string joined;
    for (char c : w)
        if (c != '\'') joined += c;
    push_word(out, joined, "en");
}

}  // namespace

std::string sanitize(std::string_view raw) {
    if (auto cut = cut_at_boundary(raw); is_ascii(cut)) return ascii_folded(cut, false);
    return to_utf8(sanitized_unicode(raw));
}

std::string fold(std::string_view raw) {
    if (auto cut = cut_at_boundary(raw); is_ascii(cut)) return ascii_folded(cut, true);
    return to_utf8(folded_unicode(raw));
}

std::string loose(std::string_view raw) {
    std::string s = fold(raw);
    const auto end = s.find_last_not_of(" .!?;,)");
    s.erase(end == std::string::npos ? 0 : end + 1);
    s.erase(0, s.find_first_not_of(' '));
    return s;
}

namespace {

void push_in(std::vector<std::string>& out, const std::string& w, std::string_view lang) {
    if (lang == "fr") {
        push_french(out, w);
    } else if (lang == "en") {
        push_english(out, w);
    } else {
        out.push_back(w);
    }
}

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// ICU's word boundaries (Unicode's UAX #29 as ICU 72 applies them) for folded ASCII text, for
// the characters whose rules are simple enough to spell out: letters and digits hold together
// (WB5, 8-10); "." and "'" join two letters or two digits (WB6-7, 11-12: "l'eau", "3.5"),
// "," and ";" two digits (WB11-12: "1,5"); spaces and ! ? " ( ) / : - stand alone and are no
// word. False when the text has any other character: ICU decides ("_" joins in more ways,
// "@" is a word of its own…).
bool ascii_words(const std::string& text, std::vector<std::string_view>& out) {
    auto joins = [&](std::size_t i) {  // is text[i] inside a word, between two of its characters?
        if (i == 0 || i + 1 >= text.size()) return false;
        const char l = text[i - 1], r = text[i + 1], c = text[i];
        const bool letters = is_letter(l) && is_letter(r), digits = is_digit(l) && is_digit(r);
        if (c == '.' || c == '\'') return letters || digits;
        if (c == ',' || c == ';') return digits;
        return false;
    };
    static constexpr std::string_view simple = " .,;'!?\"()/:-";
    for (char c : text)
        if (!is_letter(c) && !is_digit(c) && simple.find(c) == std::string_view::npos) return false;
    for (std::size_t i = 0; i < text.size();) {
        if (!is_letter(text[i]) && !is_digit(text[i])) {
            ++i;
            continue;
        }
        std::size_t end = i + 1;
        while (end < text.size()) {
            const char d = text[end];
            if (is_letter(d) || is_digit(d) || joins(end)) {
                ++end;
            } else {
                break;
            }
        }
        out.emplace_back(text.data() + i, end - i);
        i = end;
    }
    return true;
}

// The few emoji that say something a word says, on their own in chat apps: 👍 after an answer
// is "ok", 🙏 "merci", 🗑 "poubelle". Other emoji are no words.
std::string_view emoji_word(const std::string& e, std::string_view lang) {
    static constexpr std::string_view ok[] = {"\U0001F44D", "\U0001F44C", "\U0001F197"};
    static constexpr std::string_view thanks[] = {"\U0001F64F", "\u2764", "\U0001F60A",
                                                  "\U0001F642", "\u263A"};
    std::string_view bare(e);
    while (!bare.empty() && (bare.ends_with("\uFE0F") || bare.ends_with("\uFE0E")))
        bare.remove_suffix(std::string_view("\uFE0F").size());  // variation selectors
    for (auto x : ok)
        if (bare.starts_with(x)) return "ok";  // also with a skin tone after it
    for (auto x : thanks)
        if (bare == x) return lang == "en" ? "thanks" : "merci";
    if (bare == "\U0001F5D1") return lang == "en" ? "bin" : "poubelle";  // 🗑
    return {};
}

}  // namespace

std::vector<std::string> words_as_written(std::string_view raw) {
    std::vector<std::string> out;
    std::string w;
    for (char c : raw) {
        if (std::string_view(" ,?!.;:").find(c) == std::string_view::npos) {
            w += c;
        } else if (!w.empty()) {
            out.push_back(std::move(w));
            w.clear();
        }
    }
    if (!w.empty()) out.push_back(std::move(w));
    return out;
}

std::string_view after_greeting(std::string_view raw) {
    constexpr std::string_view separators = " ,!.;:-\t";
    std::size_t at = 0;  // the next word: [at, end)
    auto next = [&]() -> std::string_view {
        at = raw.find_first_not_of(separators, at);
        if (at == std::string_view::npos) return at = raw.size(), std::string_view();
        const std::size_t end = std::min(raw.find_first_of(separators, at), raw.size());
        std::string_view w = raw.substr(at, end - at);
        at = end;
        return w;
    };
    auto is = [](std::string_view w, std::initializer_list<std::string_view> words) {
        return std::any_of(words.begin(), words.end(), [&](std::string_view g) {
            return g.size() == w.size() &&
                   std::equal(g.begin(), g.end(), w.begin(), [](char a, char b) {
                       return static_cast<unsigned char>(a) ==
                              std::tolower(static_cast<unsigned char>(b));
                   });
        });
    };
    // Most messages start with no greeting: their first word alone is read.
    std::string_view w = next();
    if (is(w, {"good"})) {
        if (!is(next(), {"morning", "afternoon", "evening"})) return raw;
    } else if (!is(w, {"bonjour", "bonsoir", "salut", "coucou", "bjr", "bsr", "slt", "hello", "hi",
                       "hey", "hiya"})) {
        return raw;
    }
    // "bonjour madame", "bonjour à tous", "hi there", "salut la mairie": whom it greets.
    std::size_t rest = at;
    for (int k = 0; k < 3; ++k) {
        const std::size_t before = at;
        w = next();
        if (is(w, {"la"})) {
            const std::size_t after_la = at;
            if (is(next(), {"mairie"})) {
                rest = at;
                continue;
            }
            at = after_la;
        }
        if (!is(w, {"madame", "monsieur", "mme", "mr", "messieurs", "mesdames", "a", "\xc3\xa0",
                    "tous", "there", "sir", "madam", "all", "everyone"})) {
            at = before;
            break;
        }
        rest = at;
    }
    // At least two words asked after it.
    at = rest;
    const std::size_t first = raw.find_first_not_of(separators, rest);
    if (first == std::string_view::npos || next().empty() || next().empty()) return raw;
    return raw.substr(first);
}

std::vector<std::string> words(std::string_view raw, std::string_view lang) {
    std::vector<std::string> out;
    std::string w;
    // Most messages are ASCII: cut without ICU's break iterator (the same words, tested).
    if (auto cut = cut_at_boundary(raw); is_ascii(cut)) {
        const std::string folded = ascii_folded(cut, true);
        std::vector<std::string_view> pieces;
        if (ascii_words(folded, pieces)) {
            for (auto p : pieces) push_in(out, w.assign(p), lang);
            return out;
        }
    }
    icu::UnicodeString text = folded_unicode(raw);
    icu::BreakIterator& bi = word_breaker();
    bi.setText(text);
    int32_t start = bi.first();
    for (int32_t end = bi.next(); end != icu::BreakIterator::DONE; start = end, end = bi.next()) {
        w.clear();
        text.tempSubStringBetween(start, end).toUTF8String(w);
        if (bi.getRuleStatus() < UBRK_WORD_NONE_LIMIT) {  // spaces, punctuation, emoji
            if (auto said = emoji_word(w, lang); !said.empty()) push_in(out, w.assign(said), lang);
            continue;
        }
        push_in(out, w, lang);
    }
    bi.setText(icu::UnicodeString());  // do not keep a pointer to `text`
    return out;
}

namespace {
struct stemmers {
    sb_stemmer* fr = nullptr;
    sb_stemmer* en = nullptr;
    stemmers() {
        fr = sb_stemmer_new("french", "UTF_8");
        en = sb_stemmer_new("english", "UTF_8");
    }
    ~stemmers() {
        if (fr) sb_stemmer_delete(fr);
        if (en) sb_stemmer_delete(en);
    }
    stemmers(const stemmers&) = delete;
    stemmers& operator=(const stemmers&) = delete;
};
}  // namespace

std::string stem(std::string_view word, std::string_view lang) {
    thread_local stemmers mine;
    // Citizens use few words again and again: the last words' stems are kept per thread.
    thread_local lru_map<std::string> kept_fr(2048), kept_en(2048);
    sb_stemmer* s = lang == "fr" ? mine.fr : lang == "en" ? mine.en : nullptr;
    if (!s || word.empty()) return std::string(word);
    auto& kept = s == mine.fr ? kept_fr : kept_en;
    std::string key(word);
    if (const auto* known = kept.find(key)) return *known;
    const sb_symbol* r = sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
    if (!r) return key;  // out of memory inside libstemmer
    std::string out(reinterpret_cast<const char*>(r), static_cast<std::size_t>(sb_stemmer_length(s)));
    kept.put(std::move(key), out);
    return out;
}

}  // namespace guichet::nlu
