// Position arithmetic and typed reads over yaml-cpp nodes, reporting problems as diagnostics.
#include "intents/yaml_context.h"

#include <algorithm>
#include <map>

#include "common/folded_line.h"

namespace guichet::intents::detail {

std::string join(const std::vector<std::string>& words) {
    std::string s;
    for (const auto& w : words) {
        if (!s.empty()) s += ", ";
        s += w;
    }
    return s;
}

position yaml_context::pos(const YAML::Node& node, const YAML::Node& fallback) const {
    const auto m = node.Mark();
    if (m.line >= 0 && m.column >= 0 && !node.IsNull()) return source_.at_mark(m.line, m.column);
    if (fallback.IsDefined()) {
        const auto f = fallback.Mark();
        if (f.line >= 0) return source_.at_mark(f.line, f.column);
    }
    if (m.line >= 0 && m.column >= 0) return source_.at_mark(m.line, m.column);
    return {};
}

position yaml_context::pos_item(const YAML::Node& item) const {
    const auto m = item.Mark();
    if (!item.IsNull()) return pos(item);
    const auto end = source_.offset_of_mark(m.line, m.column);
    if (end == std::string::npos) return pos(item);
    // Walk back over blanks and comment lines to the dash of the empty item.
    const std::string& t = source_.text();
    std::size_t line_end = end;
    while (line_end > 0) {
        const auto nl = line_end == 0 ? std::string::npos : t.rfind('\n', line_end - 1);
        const std::size_t line_begin = nl == std::string::npos ? 0 : nl + 1;
        std::string_view line(t.data() + line_begin, line_end - line_begin);
        if (const auto hash = line.find('#'); hash != std::string_view::npos)
            line = line.substr(0, hash);
        const auto last = line.find_last_not_of(" \t\r\n");
        if (last != std::string_view::npos) {
            if (line[last] == '-') return source_.at_offset(line_begin + last);
            break;
        }
        if (nl == std::string::npos) break;
        line_end = nl;
    }
    return pos(item);
}

position yaml_context::pos_in_scalar(const YAML::Node& node, std::size_t offset) const {
    const auto m = node.Mark();
    auto start = source_.offset_of_mark(m.line, m.column);
    if (start == std::string::npos || !node.IsScalar()) return pos(node);
    const auto& text = source_.text();
    if (start < text.size() && (text[start] == '"' || text[start] == '\'')) ++start;
    const std::string& value = node.Scalar();
    const std::string_view written = std::string_view(text).substr(start, offset);
    if (offset > value.size() || written != std::string_view(value).substr(0, offset) ||
        written.find('\n') != std::string_view::npos)
        return pos(node);
    return source_.at_offset(start + offset);
}

void yaml_context::error(position at, std::string message) {
    out_.push_back(diagnostic{file_, at.line, at.column, std::move(message)});
}

std::vector<map_entry> yaml_context::entries(const YAML::Node& map,
                                             const std::vector<std::string>& allowed) {
    std::vector<map_entry> result;
    std::map<std::string, int> seen;  // key -> line of its first occurrence
    for (auto it = map.begin(); it != map.end(); ++it) {
        const YAML::Node key = it->first;
        if (!key.IsScalar()) {
            error(key, "a key must be a plain word, not a list or map");
            continue;
        }
        const std::string& k = key.Scalar();
        if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
            error(key, "unknown key '" + k + "'" + did_you_mean(k, allowed) +
                           "; allowed keys: " + join(allowed));
            continue;
        }
        const auto [first, inserted] = seen.emplace(k, pos(key).line);
        if (!inserted) {
            error(key, "duplicate key '" + k + "' (first at line " + std::to_string(first->second) +
                           ")");
            continue;
        }
        result.push_back(map_entry{k, key, it->second});
    }
    return result;
}

std::optional<std::string> yaml_context::text(const map_entry& e, std::string_view must_be) {
    if (e.value.IsNull() || (e.value.IsScalar() && e.value.Scalar().empty())) {
        error(pos(e.value, e.key_node), "'" + e.key + "' is empty");
        return std::nullopt;
    }
    if (!e.value.IsScalar()) {
        error(pos(e.value, e.key_node), "'" + e.key + "' must be " + std::string(must_be));
        return std::nullopt;
    }
    return e.value.Scalar();
}

std::optional<std::vector<YAML::Node>> yaml_context::list(const map_entry& e,
                                                          std::string_view message) {
    if (!e.value.IsSequence()) {
        error(pos(e.value, e.key_node), std::string(message));
        return std::nullopt;
    }
    std::vector<YAML::Node> items;
    for (const auto& item : e.value) items.push_back(item);
    return items;
}

bool yaml_context::folded(const YAML::Node& item, std::string_view what) {
    if (!item.IsScalar()) return false;
    const auto m = item.Mark();
    const auto start = source_.offset_of_mark(m.line, m.column);
    if (start == std::string::npos) return false;
    const auto at = folded_line(source_.text(), start, item.Scalar());
    if (!at) return false;
    std::string read = item.Scalar();
    std::replace(read.begin(), read.end(), '\n', ' ');
    const std::string w(what);
    error(source_.at_offset(*at), "this line is joined to the " + w + " above: YAML reads '" +
                                      read + "' as one " + w +
                                      "; start the line with '- ' to make it a separate one");
    return true;
}

}  // namespace guichet::intents::detail
