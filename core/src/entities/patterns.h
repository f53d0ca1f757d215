// Recognisers for numbers (digits and number words), French postcodes, ticket numbers
// ("2026-0042"), e-mail addresses and French phone numbers. Internal to `entities`.
#pragma once

#include <string_view>
#include <vector>

#include "entities/entities.h"
#include "entities/lexicon.h"

namespace guichet::entities {

// Each appends candidates (possibly overlapping each other) with text/begin/end set from
// the original `text`.
void find_numbers(const token_cursor& c, std::string_view text, bool fr, std::vector<entity>& out);
void find_postcodes(const token_cursor& c, std::string_view text, std::vector<entity>& out);
void find_tickets(const token_cursor& c, std::string_view text, std::vector<entity>& out);
void find_phones(const token_cursor& c, std::string_view text, std::vector<entity>& out);
// E-mail addresses are found on the folded characters (they are not made of words).
void find_emails(const folded_text& f, std::string_view text, std::vector<entity>& out);

}  // namespace guichet::entities
