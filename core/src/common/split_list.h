// "a, b ,c" as its items: the settings' lists (engine.languages, web.cors_origins…) and the
// HTTP headers' (X-Forwarded-For).
#pragma once

#include <string>
#include <vector>

namespace guichet {

// The non-empty items of a comma-separated list, spaces and tabs around each taken off.
inline std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= text.size()) {
        auto j = text.find(',', i);
        if (j == std::string::npos) j = text.size();
        auto item = text.substr(i, j - i);
        auto b = item.find_first_not_of(" \t");
        auto e = item.find_last_not_of(" \t");
        if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
        i = j + 1;
    }
    return out;
}

}  // namespace guichet
