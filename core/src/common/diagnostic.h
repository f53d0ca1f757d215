// One problem found in a staff-authored file (intent, knowledge source, configuration),
// reported as `file:line:column: message` so that editors and staff can jump to it.
#pragma once

#include <string>
#include <vector>

namespace guichet {

struct diagnostic {
    std::string file;  // path as given to the checker (relative paths stay relative)
    int line = 0;      // 1-based; 0 when the problem concerns the whole file
    int column = 0;    // 1-based; 0 when unknown
    std::string message;

    std::string str() const {
        std::string s = file;
        if (line > 0) {
            s += ':' + std::to_string(line);
            if (column > 0) s += ':' + std::to_string(column);
        }
        s += ": ";
        s += message;
        return s;
    }
};

using diagnostics = std::vector<diagnostic>;

}  // namespace guichet
