// Parser for the `[text](entity)` markup in example sentences (the Rasa/Chatito convention).
// Hand-written: no library parses this tiny grammar, and a regex could not say where a
// bracket was left open.
#include "intents/markup.h"

namespace guichet::intents::detail {

namespace {

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

}  // namespace

markup_result parse_markup(std::string_view raw) {
    markup_result r;
    auto fail = [&](std::size_t at, std::string message) {
        r.ok = false;
        r.error_offset = at;
        r.error = std::move(message);
        return r;
    };
    std::size_t i = 0;
    while (i < raw.size()) {
        const char c = raw[i];
        if (c == ']') return fail(i, "']' without a matching '[' (markup is '[text](entity)')");
        if (c != '[') {
            r.text += c;
            ++i;
            continue;
        }
        const std::size_t open = i;
        const std::size_t close = raw.find_first_of("[]", open + 1);
        if (close == std::string_view::npos || raw[close] == '[')
            return fail(open, "unclosed '[' (markup is '[text](entity)')");
        if (close == open + 1) return fail(open, "empty '[]' (markup is '[text](entity)')");
        if (close + 1 >= raw.size() || raw[close + 1] != '(')
            return fail(close, "expected '(entity)' after ']' (markup is '[text](entity)')");
        const std::size_t name_begin = close + 2;
        std::size_t j = name_begin;
        while (j < raw.size() && is_name_char(raw[j])) ++j;
        if (j >= raw.size() || raw[j] != ')')
            return fail(j >= raw.size() ? close + 1 : j,
                        j >= raw.size() ? "unclosed '(' (markup is '[text](entity)')"
                                        : "expected ')' after the entity name");
        if (j == name_begin) return fail(name_begin, "empty entity name in '()'");
        marked_span s;
        s.begin = r.text.size();
        r.text.append(raw.substr(open + 1, close - open - 1));
        s.end = r.text.size();
        s.name = std::string(raw.substr(name_begin, j - name_begin));
        s.name_offset = name_begin;
        r.spans.push_back(std::move(s));
        i = j + 1;
    }
    return r;
}

}  // namespace guichet::intents::detail
