// Personal data masking with std::regex (ECMAScript): patterns are ordered from the longest
// (IBAN, NIR) to the shortest (phone) so that a number is masked by its most specific kind.
// A pattern only runs when the text holds what it needs (an '@', enough digits): most
// messages have neither, and they are logged on every turn.
#include "store/pii.h"

#include <regex>

namespace guichet::store {
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

std::string mask_pii(const std::string& text) {
    static const std::regex email(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})");
    // IBAN: two letters, two check digits, then 11 to 30 alphanumerics in groups of up to 4.
    static const std::regex iban(R"(\b[A-Za-z]{2}[0-9]{2}(?:[ ]?[A-Za-z0-9]{2,4}){3,8}\b)");
    // NIR: sex (1/2), year, month, department (2A/2B too), commune, order, optional key.
    static const std::regex nir(
        R"(\b[12][ .]?[0-9]{2}[ .]?[0-9]{2}[ .]?(?:[0-9]{2}|2[AaBb])[ .]?[0-9]{3}[ .]?[0-9]{3}(?:[ .]?[0-9]{2})?\b)");
    static const std::regex phone(R"((?:\+33[ .]?|0033[ .]?|\b0)[1-9](?:[ .-]?[0-9]{2}){4}\b)");
    std::string out = text.find('@') == std::string::npos ? text
                                                           : std::regex_replace(text, email, "[email]");
    if (digits_in(out) < 2) return out;
    if (has_iban_start(out)) out = std::regex_replace(out, iban, "[IBAN]");
    if (digits_in(out) >= 12) out = std::regex_replace(out, nir, "[NIR]");      // 12 at least
    if (digits_in(out) >= 9) out = std::regex_replace(out, phone, "[téléphone]");  // 9 at least
    return out;
}

}  // namespace guichet::store
