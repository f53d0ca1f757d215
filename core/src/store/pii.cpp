// Personal data masking with std::regex (ECMAScript): patterns are ordered from the longest
// (IBAN, NIR) to the shortest (phone) so that a number is masked by its most specific kind.
#include "store/pii.h"

#include <regex>

namespace guichet::store {

std::string mask_pii(const std::string& text) {
    static const std::regex email(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})");
    // IBAN: two letters, two check digits, then 11 to 30 alphanumerics in groups of up to 4.
    static const std::regex iban(R"(\b[A-Za-z]{2}[0-9]{2}(?:[ ]?[A-Za-z0-9]{2,4}){3,8}\b)");
    // NIR: sex (1/2), year, month, department (2A/2B too), commune, order, optional key.
    static const std::regex nir(
        R"(\b[12][ .]?[0-9]{2}[ .]?[0-9]{2}[ .]?(?:[0-9]{2}|2[AaBb])[ .]?[0-9]{3}[ .]?[0-9]{3}(?:[ .]?[0-9]{2})?\b)");
    static const std::regex phone(R"((?:\+33[ .]?|0033[ .]?|\b0)[1-9](?:[ .-]?[0-9]{2}){4}\b)");
    std::string out = std::regex_replace(text, email, "[email]");
    out = std::regex_replace(out, iban, "[IBAN]");
    out = std::regex_replace(out, nir, "[NIR]");
    out = std::regex_replace(out, phone, "[téléphone]");
    return out;
}

}  // namespace guichet::store
