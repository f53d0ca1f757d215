// Folding with ICU, one code point at a time so that every folded byte keeps the offsets
// of the original code point it came from. Equivalent to the Transliterator
// "NFD; [:Nonspacing Mark:] Remove; NFC" followed by case folding, but done with the
// thread-safe Normalizer2 singleton and u_foldCase (a Transliterator is not safe to share
// between threads, and per-call instances cost far more than a sentence's whole budget).
#include "entities/text_fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace guichet::entities {
namespace {

void append_utf8(std::string& out, UChar32 c) {
    char buf[4];
    int32_t n = 0;
    UBool err = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, c, err);
    if (!err) out.append(buf, static_cast<std::size_t>(n));
}

// Folds one non-ASCII code point into `out`.
void fold_code_point(UChar32 c, const icu::Normalizer2* nfd, std::string& out) {
    switch (c) {
        case 0x2018:
        case 0x2019:
        case 0x02BC:
        case 0x00B4:
        case 0x2032:
            out += '\'';
            return;
        case 0x2010:
        case 0x2011:
        case 0x2012:
        case 0x2013:
        case 0x2014:
        case 0x2212:
            out += '-';
            return;
        case 0x0153:
        case 0x0152:
            out += "oe";
            return;
        case 0x00E6:
        case 0x00C6:
            out += "ae";
            return;
        case 0x00DF:
            out += "ss";
            return;
        case 0x00BA:
            out += "\xC2\xB0";
            return;  // masculine ordinal "nº" -> "n°"
        default:
            break;
    }
    if (u_isUWhiteSpace(c) || u_iscntrl(c) || u_charType(c) == U_FORMAT_CHAR) {
        out += ' ';
        return;
    }
    if (!u_isalnum(c)) {
        // Keep a few symbols that recognisers look at; others (emoji, ...) separate words.
        if (c == 0x00B0)
            append_utf8(out, c);
        else
            out += ' ';
        return;
    }
    icu::UnicodeString decomposed;
    if (nfd != nullptr && nfd->getDecomposition(c, decomposed)) {
        for (int32_t i = 0; i < decomposed.length();) {
            UChar32 d = decomposed.char32At(i);
            i += U16_LENGTH(d);
            if (u_charType(d) == U_NON_SPACING_MARK) continue;
            d = u_foldCase(d, U_FOLD_CASE_DEFAULT);
            if (d < 0x80)
                out += static_cast<char>(d);
            else
                append_utf8(out, d);
        }
        return;
    }
    if (u_charType(c) == U_NON_SPACING_MARK) return;
    append_utf8(out, u_foldCase(c, U_FOLD_CASE_DEFAULT));
}

bool is_ascii_alnum(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

void tokenize(folded_text& f) {
    const std::string& s = f.folded;
    std::size_t i = 0;
    bool space = true;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == ' ') {
            space = true;
            ++i;
            continue;
        }
        std::size_t j = i;
        token_kind kind = token_kind::word;
        bool digits = true;
        // A word is a run of letters and digits; anything else is a one-code-point token.
        auto is_word_at = [&](std::size_t k, std::size_t& next) {
            const auto b = static_cast<unsigned char>(s[k]);
            if (b < 0x80) {
                next = k + 1;
                return is_ascii_alnum(b);
            }
            UChar32 cp = 0;
            int32_t pos = static_cast<int32_t>(k);
            U8_NEXT(s.data(), pos, static_cast<int32_t>(s.size()), cp);
            next = static_cast<std::size_t>(pos);
            return cp >= 0 && u_isalnum(cp);
        };
        std::size_t next = 0;
        if (is_word_at(j, next)) {
            while (j < s.size()) {
                if (!is_word_at(j, next)) break;
                const auto b = static_cast<unsigned char>(s[j]);
                if (!(b >= '0' && b <= '9')) digits = false;
                j = next;
            }
        } else {
            kind = token_kind::punct;
            digits = false;
            j = next;
        }
        token t;
        t.text = std::string_view(s).substr(i, j - i);
        t.begin = f.orig_begin(i);
        t.end = f.orig_end(j);
        t.kind = kind;
        t.space_before = space;
        t.digits = digits;
        f.tokens.push_back(t);
        space = false;
        i = j;
    }
}

}  // namespace

std::string_view cut_utf8(std::string_view text, std::size_t max) {
    if (text.size() <= max) return text;
    std::size_t n = max;
    // Step back over continuation bytes so the cut falls before a lead byte.
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return text.substr(0, n);
}

void fold(std::string_view text, folded_text& f) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) nfd = nullptr;

    f.folded.clear();
    f.src_begin.clear();
    f.src_end.clear();
    f.tokens.clear();
    f.folded.reserve(text.size() + 8);
    f.src_begin.reserve(text.size() + 8);
    f.src_end.reserve(text.size() + 8);
    const auto len = static_cast<int32_t>(text.size());
    int32_t i = 0;
    while (i < len) {
        const int32_t start = i;
        UChar32 c = 0;
        U8_NEXT(text.data(), i, len, c);
        const std::size_t before = f.folded.size();
        if (c < 0) {
            f.folded += ' ';
        } else if (c < 0x80) {
            if (c < 0x20 || c == 0x7F)
                f.folded += ' ';
            else
                f.folded += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        } else {
            fold_code_point(c, nfd, f.folded);
        }
        for (std::size_t k = before; k < f.folded.size(); ++k) {
            f.src_begin.push_back(static_cast<std::uint32_t>(start));
            f.src_end.push_back(static_cast<std::uint32_t>(i));
        }
    }
    tokenize(f);
}

std::vector<std::string> fold_words(std::string_view text) {
    folded_text f;
    fold(text, f);
    std::vector<std::string> words;
    for (const token& t : f.tokens)
        if (t.kind == token_kind::word) words.emplace_back(t.text);
    return words;
}

}  // namespace guichet::entities
