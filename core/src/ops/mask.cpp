// Masking with std::regex (ECMAScript): the patterns are compiled once and only read
// afterwards, which is safe from any thread. IBAN and NIR go first: their digits would
// otherwise be taken for phone numbers. A pattern only runs when the text holds what it
// needs (an '@', enough digits): most texts have neither.
#include "ops/mask.h"

#include <cstdio>
#include <regex>

namespace guichet::ops {
namespace {

bool ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool ascii_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

std::size_t digits_in(const std::string& s) {
    std::size_t n = 0;
    for (char c : s) n += ascii_digit(c);
    return n;
}

// Two letters then two digits: where every IBAN starts.
bool has_iban_start(const std::string& s) {
    for (std::size_t i = 0; i + 3 < s.size(); ++i)
        if (ascii_letter(s[i]) && ascii_letter(s[i + 1]) && ascii_digit(s[i + 2]) &&
            ascii_digit(s[i + 3]))
            return true;
    return false;
}

}  // namespace

std::string mask_personal_data(std::string_view text) {
    static const std::regex email(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})");
    static const std::regex iban(R"(\b[A-Z]{2}[0-9]{2}( ?[A-Z0-9]{4}){2,7}( ?[A-Z0-9]{1,4})?\b)",
                                 std::regex::icase);
    static const std::regex nir(
        R"(\b[12] ?[0-9]{2} ?(0[1-9]|1[0-2]|[2-9][0-9]) ?([0-9]{2}|2[AB]) ?[0-9]{3} ?[0-9]{3}( ?[0-9]{2})?\b)",
        std::regex::icase);
    static const std::regex phone(R"((\+33 ?|\b0)[1-9]([ .-]?[0-9]{2}){4}\b|\+[0-9]{1,3}[ .-]?[0-9][0-9 .-]{6,14}[0-9])");
    std::string s(text);
    if (s.find('@') != std::string::npos) s = std::regex_replace(s, email, "[email]");
    if (digits_in(s) < 2) return s;
    if (has_iban_start(s)) s = std::regex_replace(s, iban, "[iban]");
    if (digits_in(s) >= 12) s = std::regex_replace(s, nir, "[nir]");  // 12 digits at least
    // A French number has 9 digits at least; an international one starts with '+'.
    if (digits_in(s) >= 9 || s.find('+') != std::string::npos)
        s = std::regex_replace(s, phone, "[phone]");
    return s;
}

std::string json_quote(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    out += '"';
    return out;
}

}  // namespace guichet::ops
