// Tokenizer of opening_hours expressions: strict on the spelling of times (HH:MM, two-digit
// hours) and on characters, so that tolerated-but-ambiguous input is refused early with a
// message pointing at the character.
#include "hours/lexer.h"

#include <string>

namespace guichet::hours::detail {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// Non-ASCII letters (UTF-8 bytes) are kept inside words so that "fériés" is reported as a word.
bool is_word_byte(char c) { return is_alpha(c) || (static_cast<unsigned char>(c) >= 0xC0) || ((static_cast<unsigned char>(c) & 0xC0) == 0x80); }

}  // namespace

std::vector<token> tokenize(std::string_view s) {
    std::vector<token> out;
    std::size_t i = 0;
    const std::size_t n = s.size();
    auto push = [&](tok k, std::size_t pos, std::size_t len, int value = 0) {
        out.push_back(token{k, pos, len, value, s.substr(pos, len)});
    };
    while (i < n) {
        const char c = s[i];
        if (c == ' ' || c == '\t') {
            ++i;
            continue;
        }
        if (is_digit(c)) {
            std::size_t j = i;
            while (j < n && is_digit(s[j])) ++j;
            if (j - i > 4) throw syntax_error{i, "number too long", "nombre trop long"};
            int v = 0;
            for (std::size_t k = i; k < j; ++k) v = v * 10 + (s[k] - '0');
            if (j < n && s[j] == ':' && j + 1 < n && is_digit(s[j + 1])) {
                if (j - i != 2) {
                    throw syntax_error{i, "write hours with two digits, e.g. 08:30",
                                       "écrivez les heures avec deux chiffres, par exemple 08:30"};
                }
                std::size_t k = j + 1;
                while (k < n && is_digit(s[k])) ++k;
                if (k - j - 1 != 2) {
                    throw syntax_error{j + 1, "write minutes with two digits, e.g. 08:30",
                                       "écrivez les minutes avec deux chiffres, par exemple 08:30"};
                }
                const int m = (s[j + 1] - '0') * 10 + (s[j + 2] - '0');
                if (m > 59) throw syntax_error{j + 1, "minutes must be 00-59", "les minutes vont de 00 à 59"};
                push(tok::time, i, k - i, v * 60 + m);
                i = k;
                continue;
            }
            if (v == 24 && j - i == 2 && s.substr(j, 2) == "/7") {
                push(tok::always, i, 4);
                i = j + 2;
                continue;
            }
            push(tok::number, i, j - i, v);
            i = j;
            continue;
        }
        if (is_alpha(c) || static_cast<unsigned char>(c) >= 0xC0) {
            std::size_t j = i;
            while (j < n && is_word_byte(s[j])) ++j;
            push(tok::word, i, j - i);
            i = j;
            continue;
        }
        switch (c) {
            case '-': push(tok::minus, i, 1); ++i; continue;
            case '+': push(tok::plus, i, 1); ++i; continue;
            case ',': push(tok::comma, i, 1); ++i; continue;
            case ';': push(tok::semicolon, i, 1); ++i; continue;
            case ':': push(tok::colon, i, 1); ++i; continue;
            case '/': push(tok::slash, i, 1); ++i; continue;
            case '[': push(tok::lbracket, i, 1); ++i; continue;
            case ']': push(tok::rbracket, i, 1); ++i; continue;
            case '|':
                if (i + 1 < n && s[i + 1] == '|') {
                    push(tok::fallback, i, 2);
                    i += 2;
                    continue;
                }
                throw syntax_error{i, "a single '|': the fallback separator is '||'",
                                   "« | » seul : le séparateur de repli est « || »"};
            case '"': {
                const std::size_t close = s.find('"', i + 1);
                if (close == std::string_view::npos) {
                    throw syntax_error{i, "comment not closed: missing '\"'", "commentaire non fermé : « \" » manquant"};
                }
                out.push_back(token{tok::comment, i, close + 1 - i, 0, s.substr(i + 1, close - i - 1)});
                i = close + 1;
                continue;
            }
            case '.':
                throw syntax_error{i, "unexpected '.': write times as HH:MM, e.g. 08:30",
                                   "« . » inattendu : écrivez les heures HH:MM, par exemple 08:30"};
            default:
                break;
        }
        if (static_cast<unsigned char>(c) < 0x80 && c >= 0x20) {
            throw syntax_error{i, std::string("unexpected character '") + c + "'",
                               std::string("caractère inattendu « ") + c + " »"};
        }
        throw syntax_error{i, "unexpected character", "caractère inattendu"};
    }
    push(tok::end, n, 0);
    return out;
}

}  // namespace guichet::hours::detail
