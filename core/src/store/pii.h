// Masks personal data in free text before it is logged or counted: e-mail addresses, phone
// numbers, French social security numbers (NIR) and IBANs become "[email]", "[téléphone]",
// "[NIR]", "[IBAN]". Pure function, thread-safe.
#pragma once

#include <string>

namespace guichet::store {

std::string mask_pii(const std::string& text);

}  // namespace guichet::store
