// Alerts editor: YAML in and out with yaml-cpp, validation with the knowledge-base checker
// on a scratch folder that links the other sources.
#include "admin/alerts_editor.h"

#include "common/files.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <mutex>
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
    if (auto problem = change(list); !problem.empty()) return {problem};
    YAML::Emitter out;
    out << root;
    std::string result = header_of(text) + out.c_str() + "\n";
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
    return edit(knowledge_dir, time_zone, intents, [&](YAML::Node& list) -> std::string {
        for (std::size_t i = 0; i < list.size(); ++i)
            if (scalar(list[i]["id"]) == a.id) {
                list[i] = to_node(a);
                return {};
            }
        list.push_back(to_node(a));
        return {};
    });
}

std::vector<std::string> end_alert(const fs::path& knowledge_dir, const std::string& id,
                                   const std::string& now_local, const std::string& time_zone,
                                   const std::vector<std::string>& intents) {
    return edit(knowledge_dir, time_zone, intents, [&](YAML::Node& list) -> std::string {
        for (std::size_t i = 0; i < list.size(); ++i)
            if (scalar(list[i]["id"]) == id) {
                if (scalar(list[i]["from"]) > now_local) list[i]["from"] = now_local;
                list[i]["until"] = now_local;
                return {};
            }
        return "no alert '" + id + "'";
    });
}

}  // namespace guichet::admin
