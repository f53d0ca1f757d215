// Masks personal data in free text before the store keeps it (message log, handoff notes):
// e-mail addresses, phone numbers, French social security numbers (NIR) and IBANs become
// "[email]", "[phone]", "[nir]", "[iban]", as in the logs (ops/mask.h). Pure, thread-safe.
#pragma once

#include <string>

namespace guichet::store {

std::string mask_pii(const std::string& text);

}  // namespace guichet::store
