// Folding of names and user text with ICU, and the FTS5 query sanitiser (see text_fold.h).
// The sanitiser is hand-written because FTS5 offers no "plain text" query mode: user text has
// to be split into words and each one quoted.
#include "kb/text_fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <sstream>

namespace guichet::kb {
namespace {

std::vector<std::string> split_words(const std::string& folded) {
    std::vector<std::string> out;
    std::istringstream in(folded);
    std::string w;
    while (in >> w) out.push_back(w);
    return out;
}

std::string join(const std::vector<std::string>& words, std::size_t from) {
    std::string s;
    for (std::size_t i = from; i < words.size(); ++i) {
        if (!s.empty()) s += ' ';
        s += words[i];
    }
    return s;
}

bool is_one_of(const std::string& w, std::initializer_list<const char*> list) {
    return std::any_of(list.begin(), list.end(), [&](const char* x) { return w == x; });
}

bool is_article(const std::string& w) {
    return is_one_of(w, {"le", "la", "les", "l", "de", "du", "des", "d", "the", "a", "an", "of"});
}

bool is_street_type(const std::string& w) {
    return is_one_of(w, {"rue", "r", "avenue", "av", "ave", "boulevard", "bd", "bld", "place",
                         "pl", "allee", "allees", "chemin", "ch", "impasse", "imp", "route", "rte",
                         "quai", "square", "sq", "cours", "passage", "sentier", "ruelle", "mail",
                         "esplanade", "street", "st", "road", "rd", "lane", "square"});
}

bool is_stop_word(const std::string& w) {
    return is_article(w) ||
           is_one_of(w, {"et", "ou", "un", "une", "je", "j", "me", "m", "mon", "ma", "mes", "il",
                         "elle", "on", "nous", "vous", "est", "c", "ce", "ca", "qu", "que", "qui",
                         "quoi", "pour", "par", "en", "au", "aux", "y", "a", "se", "s", "sur",
                         "dans", "comment", "faire", "faut", "il", "t", "and", "or", "to", "in",
                         "is", "how", "do", "i", "my", "can", "what", "for", "on", "it", "does",
                         "please", "svp", "stp", "bonjour", "hello"});
}

}  // namespace

std::string fold(std::string_view utf8) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    icu::UnicodeString src = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    icu::UnicodeString decomposed = U_SUCCESS(status) ? nfd->normalize(src, status) : src;
    if (U_FAILURE(status)) decomposed = src;
    icu::UnicodeString out;
    bool space = true;  // collapse separators, no leading space
    for (int32_t i = 0; i < decomposed.length();) {
        UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        if (u_isalnum(c)) {
            UChar32 f = u_foldCase(c, U_FOLD_CASE_DEFAULT);
            if (f == 0x0153) out.append(u"oe");       // œ
            else if (f == 0x00E6) out.append(u"ae");  // æ
            else if (f == 0x00DF) out.append(u"ss");  // ß
            else out.append(f);
            space = false;
        } else if (!space) {
            out.append(UChar(' '));
            space = true;
        }
    }
    std::string result;
    out.toUTF8String(result);
    while (!result.empty() && result.back() == ' ') result.pop_back();
    return result;
}

std::string street_core(std::string_view utf8) {
    auto words = split_words(fold(utf8));
    std::size_t i = 0;
    while (i < words.size() && (is_street_type(words[i]) || is_article(words[i]))) ++i;
    if (i == words.size()) i = 0;  // "Place de la Mairie" stays whole only if nothing remains
    return join(words, i);
}

std::string name_key(std::string_view utf8) {
    auto words = split_words(fold(utf8));
    std::size_t i = 0;
    while (i + 1 < words.size() && is_article(words[i])) ++i;
    return join(words, i);
}

std::string fts_query(std::string_view user_text) {
    auto words = split_words(fold(user_text));
    std::vector<std::string> kept;
    for (const auto& w : words)
        if (!is_stop_word(w) && w.size() > 1) kept.push_back(w);
    if (kept.empty())
        for (const auto& w : words)
            if (w.size() > 1 || std::isdigit(static_cast<unsigned char>(w[0]))) kept.push_back(w);
    if (kept.size() > 16) kept.resize(16);  // named limit: long pastes stay cheap
    std::string q;
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (!q.empty()) q += " OR ";
        // fold() keeps only letters and digits, so the quotes cannot be broken out of.
        q += '"' + kept[i] + '"';
        if (kept[i].size() >= 4 || i + 1 == kept.size()) q += '*';
    }
    return q;
}

}  // namespace guichet::kb
