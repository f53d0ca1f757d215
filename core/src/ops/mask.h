// Personal data masking for logs and the staff's list of unanswered questions: e-mail
// addresses, phone numbers (French and international), NIR (social security number) and
// IBAN are replaced by [email], [phone], [nir], [iban]. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace guichet::ops {

std::string mask_personal_data(std::string_view text);

// A JSON string literal (with quotes) for s; invalid UTF-8 is passed through unchanged.
std::string json_quote(std::string_view s);

}  // namespace guichet::ops
