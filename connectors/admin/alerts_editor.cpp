// Alerts editor: YAML read with yaml-cpp; an alert written back by editing the file's text
// where that alert is written (the staff's comments and the other alerts stay as they are);
// validation with the knowledge-base checker on a scratch folder that links the other sources.
#include "admin/alerts_editor.h"

#include "common/files.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

#include "admin/sessions.h"
#include "kb/builder.h"

namespace fs = std::filesystem;

namespace guichet::admin {
namespace {

std::mutex write_mutex;

std::vector<std::string> strings(const YAML::Node& n) {
    std::vector<std::string> out;
    if (n && n.IsSequence())
        for (auto x : n)
            if (x.IsScalar()) out.push_back(x.as<std::string>());
    return out;
}

std::string scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.as<std::string>() : std::string(); }

YAML::Node to_node(const alert& a) {
    YAML::Node n(YAML::NodeType::Map);
    n["id"] = a.id;
    YAML::Node m(YAML::NodeType::Map);
    m["fr"] = a.message_fr;
    m["en"] = a.message_en;
    n["message"] = m;
    n["from"] = a.from;
    n["until"] = a.until;
    auto list = [&](const char* key, const std::vector<std::string>& v) {
        if (v.empty()) return;
        YAML::Node l(YAML::NodeType::Sequence);
        for (auto& x : v) l.push_back(x);
        l.SetStyle(YAML::EmitterStyle::Flow);
        n[key] = l;
    };
    list("intents", a.intents);
    list("places", a.places);
    list("categories", a.categories);
    return n;
}

// The leading comment lines of the file, kept when it is written back.
std::string header_of(const std::string& text) {
    std::string out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] != '#') break;
        out += line + "\n";
    }
    return out;
}

// Checks `text` as knowledge_dir/alerts.yaml together with the other sources.
std::vector<std::string> validate(const fs::path& knowledge_dir, const std::string& text,
                                  const std::string& time_zone,
                                  const std::vector<std::string>& intents) {
    std::error_code ec;
    auto scratch = fs::temp_directory_path() / ("guichet-alerts-" + random_token().substr(0, 16));
    fs::create_directories(scratch, ec);
    if (ec) return {scratch.string() + ": " + ec.message()};
    for (auto& e : fs::directory_iterator(knowledge_dir, ec)) {
        if (e.path().filename() == "alerts.yaml") continue;
        fs::create_symlink(fs::absolute(e.path()), scratch / e.path().filename(), ec);
    }
    std::ofstream(scratch / "alerts.yaml", std::ios::binary) << text;
    kb::build_options o;
    o.time_zone = time_zone;
    auto r = kb::check(scratch.string(), o);
    // An intent no intent file defines ("horaires"): the alert would never be shown, and
    // `guichet check` then failed on what the editor had accepted.
    if (!intents.empty()) kb::check_alert_intents(r, intents, {}, o);
    std::vector<std::string> problems;
    for (auto d : r.errors) {
        if (d.file.rfind(scratch.string(), 0) == 0)
            d.file = (knowledge_dir / fs::path(d.file).lexically_relative(scratch)).string();
        problems.push_back(d.str());
    }
    fs::remove_all(scratch, ec);
    return problems;
}

// Where the alerts of a block list (`alerts:` then `  - id: …` items) are written: each from
// the start of its dash's line to the end of its last line that is not blank nor a comment
// (comment lines between two alerts stay in the file, above the next one). nullopt for a list
// written otherwise (`alerts: [ … ]`): that file is then written whole.
struct list_layout {
    std::vector<std::pair<std::size_t, std::size_t>> items;  // [begin, end) byte offsets
    std::size_t indent = 0;                                  // the dashes' column
};

std::optional<list_layout> layout_of(const std::string& text, const YAML::Node& list) {
    if (list.size() == 0) return std::nullopt;
    auto line_start = [&](std::size_t at) {
        const auto nl = at == 0 ? std::string::npos : text.rfind('\n', at - 1);
        return nl == std::string::npos ? 0 : nl + 1;
    };
    auto next_line = [&](std::size_t at) {
        const auto nl = text.find('\n', at);
        return nl == std::string::npos ? text.size() : nl + 1;
    };
    // A line with nothing but blanks or a comment.
    auto empty_line = [&](std::size_t begin) {
        const auto first = text.find_first_not_of(" \t\r", begin);
        return first == std::string::npos || text[first] == '\n' || text[first] == '#';
    };
    list_layout l;
    std::vector<std::size_t> dashes;
    for (const auto& item : list) {
        const auto m = item.Mark();
        if (m.is_null() || !item.IsMap()) return std::nullopt;
        // The mark's offset: lines counted from the top (yaml-cpp's marks are 0-based).
        std::size_t at = 0;
        for (int line = 0; line < m.line && at < text.size(); ++line) at = next_line(at);
        at += static_cast<std::size_t>(m.column);
        // Back over blanks (and line breaks: "-" alone on its line) to the item's dash.
        while (at > 0 && std::string_view(" \t\r\n").find(text[at - 1]) != std::string_view::npos) --at;
        if (at == 0 || text[at - 1] != '-') return std::nullopt;
        const auto dash = at - 1, begin = line_start(dash);
        if (text.find_first_not_of(' ', begin) != dash) return std::nullopt;
        if (!dashes.empty() && dash - begin != l.indent) return std::nullopt;
        l.indent = dash - begin;
        dashes.push_back(dash);
    }
    for (std::size_t i = 0; i < dashes.size(); ++i) {
        const auto begin = line_start(dashes[i]);
        // The block ends at the next dash, else at the first line written left of the items.
        std::size_t end = text.size();
        if (i + 1 < dashes.size()) {
            end = line_start(dashes[i + 1]);
        } else {
            for (auto at = next_line(dashes[i]); at < text.size(); at = next_line(at))
                if (!empty_line(at) && text.find_first_not_of(' ', at) - at <= l.indent) {
                    end = at;
                    break;
                }
        }
        // Without the blank and comment lines that end it.
        std::size_t content_end = next_line(dashes[i]);
        for (auto at = content_end; at < end; at = next_line(at))
            if (!empty_line(at)) content_end = next_line(at);
        l.items.emplace_back(begin, std::min(content_end, end));
    }
    return l;
}

// One alert as a list item, indented as the file's items are.
std::string item_text(const YAML::Node& alert, std::size_t indent) {
    YAML::Emitter e;
    e << YAML::BeginSeq << alert << YAML::EndSeq;
    std::string out;
    std::istringstream lines(e.c_str());
    for (std::string line; std::getline(lines, line);) out += std::string(indent, ' ') + line + '\n';
    return out;
}

// Applies `change` to the list of alerts; it returns a problem ("" when done) and the index of
// the alert it replaced or added. Only that alert's text is rewritten in the file.
template <class Edit>
std::vector<std::string> edit(const fs::path& knowledge_dir, const std::string& time_zone,
                              const std::vector<std::string>& intents, Edit change) {
    std::lock_guard lock(write_mutex);
    auto file = knowledge_dir / "alerts.yaml";
    std::string text = fs::exists(file) ? file_text(file) : "";
    YAML::Node root;
    try {
        root = text.empty() ? YAML::Node(YAML::NodeType::Map) : YAML::Load(text);
    } catch (const YAML::Exception& e) {
        return {file.string() + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                ": " + e.msg};
    }
    if (!root.IsMap()) root = YAML::Node(YAML::NodeType::Map);
    if (!root["alerts"] || !root["alerts"].IsSequence()) root["alerts"] = YAML::Node(YAML::NodeType::Sequence);
    YAML::Node list = root["alerts"];
    const auto layout = layout_of(text, list);
    const auto [problem, index] = change(list);
    if (!problem.empty()) return {problem};
    std::string result;
    if (layout && index < layout->items.size()) {
        const auto [begin, end] = layout->items[index];
        result = text.substr(0, begin) + item_text(list[index], layout->indent) + text.substr(end);
    } else if (layout) {  // added after the last one
        const auto end = layout->items.back().second;
        result = text.substr(0, end) + (end > 0 && text[end - 1] != '\n' ? "\n" : "") +
                 item_text(list[index], layout->indent) + text.substr(end);
    } else {
        YAML::Emitter out;
        out << root;
        result = header_of(text) + out.c_str() + "\n";
    }
    auto problems = validate(knowledge_dir, result, time_zone, intents);
    if (!problems.empty()) return problems;
    if (auto e = write_file_atomically(file, result, ".tmp-edit"); !e.empty()) return {e};
    return {};
}

}  // namespace

alerts_read read_alerts(const fs::path& knowledge_dir) {
    alerts_read r;
    auto file = knowledge_dir / "alerts.yaml";
    if (!fs::exists(file)) return r;
    try {
        auto root = YAML::LoadFile(file.string());
        for (auto a : root["alerts"]) {
            alert x;
            x.id = scalar(a["id"]);
            if (a["message"] && a["message"].IsMap()) {
                x.message_fr = scalar(a["message"]["fr"]);
                x.message_en = scalar(a["message"]["en"]);
            }
            x.from = scalar(a["from"]);
            x.until = scalar(a["until"]);
            x.intents = strings(a["intents"]);
            x.places = strings(a["places"]);
            x.categories = strings(a["categories"]);
            r.alerts.push_back(std::move(x));
        }
    } catch (const YAML::Exception& e) {
        r.problem = file.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
                    std::to_string(e.mark.column + 1) + ": " + e.msg;
    }
    return r;
}

std::vector<std::string> save_alert(const fs::path& knowledge_dir, const alert& a, const std::string& time_zone,
                                    const std::vector<std::string>& intents) {
    if (a.id.empty()) return {"\"id\" is required"};
    return edit(knowledge_dir, time_zone, intents, [&](YAML::Node& list) {
        for (std::size_t i = 0; i < list.size(); ++i)
            if (scalar(list[i]["id"]) == a.id) {
                list[i] = to_node(a);
                return std::pair{std::string(), i};
            }
        list.push_back(to_node(a));
        return std::pair{std::string(), list.size() - 1};
    });
}

std::vector<std::string> end_alert(const fs::path& knowledge_dir, const std::string& id,
                                   const std::string& now_local, const std::string& time_zone,
                                   const std::vector<std::string>& intents) {
    return edit(knowledge_dir, time_zone, intents, [&](YAML::Node& list) {
        for (std::size_t i = 0; i < list.size(); ++i)
            if (scalar(list[i]["id"]) == id) {
                if (scalar(list[i]["from"]) > now_local) list[i]["from"] = now_local;
                list[i]["until"] = now_local;
                return std::pair{std::string(), i};
            }
        return std::pair{"no alert '" + id + "'", list.size()};
    });
}

}  // namespace guichet::admin
