// Buttons on channels that have none (Matrix): the buttons of the bot's last answer are kept
// in the conversation's durable state, and a number ("2", "2.") or a title typed back is that
// button pressed. Pure functions over conversation_state: call them within the conversation's
// turn, like the rest of the dialogue.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "dialogue/engine.h"
#include "nlu/normalize.h"

namespace guichet::dialogue_buttons {

// The buttons of the last answer, kept in the durable state as "title\x1fpayload\x1e…".
inline constexpr const char* buttons_key = "dialogue.buttons";

inline void remember_buttons(conversation_state& st, const turn_result& r) {
    std::string list;
    for (auto& rep : r.replies)
        for (auto& b : rep.buttons) list += b.title + '\x1f' + b.payload + '\x1e';
    if (list.empty())
        st.memory.erase(buttons_key);
    else
        st.memory[buttons_key] = std::move(list);
}

inline std::optional<std::string> typed_button(const conversation_state& st, std::string_view text) {
    auto it = st.memory.find(buttons_key);
    if (it == st.memory.end() || text.empty()) return std::nullopt;
    std::string t = nlu::loose(text);
    std::size_t n = 0;
    bool number = !t.empty() && t.size() <= 2 &&
                  std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (number) n = std::stoul(t);
    std::string_view list = it->second;
    for (std::size_t i = 1; !list.empty(); ++i) {
        auto end = list.find('\x1e');
        auto item = list.substr(0, end);
        auto sep = item.find('\x1f');
        if (sep != std::string_view::npos &&
            (number ? i == n : nlu::loose(item.substr(0, sep)) == t))
            return std::string(item.substr(sep + 1));
        if (end == std::string_view::npos) break;
        list.remove_prefix(end + 1);
    }
    return std::nullopt;
}

}  // namespace guichet::dialogue_buttons
