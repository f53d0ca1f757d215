// load_intents: finds the intent files of a site, reads each one (UTF-8 check, YAML parse,
// language, one or many entries) and hands the entries to the cross-file checks.
#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>
#include <tuple>

#include "common/files.h"
#include "intents/entry_parser.h"
#include "intents/intents.h"
#include "intents/merge.h"
#include "intents/source_text.h"
#include "intents/yaml_context.h"

namespace guichet::intents {

namespace fs = std::filesystem;

namespace {

// Limit on one intent file: a site's intent is a few kilobytes; anything far larger is a
// mistake (a log or a binary dropped in the folder) and is refused before parsing.
constexpr std::uintmax_t max_file_bytes = 4 * 1024 * 1024;

std::vector<std::string> file_keys() {
    auto keys = detail::entry_keys();
    keys.insert(keys.begin() + 1, "lang");
    keys.push_back("intents");
    return keys;
}

void read_document(detail::yaml_context& ctx, const YAML::Node& doc, const std::string& folder_lang,
                   const load_options& options, std::vector<detail::parsed_entry>& out) {
    if (!doc.IsMap()) {
        ctx.error(doc, "expected 'intent:' and its keys at the top of the file, found a " +
                           std::string(doc.IsSequence() ? "list" : "text"));
        return;
    }
    const auto entries = ctx.entries(doc, file_keys());
    std::string lang = folder_lang;
    const detail::map_entry* list = nullptr;
    bool has_intent_keys = false;
    std::vector<detail::map_entry> own;
    for (const auto& e : entries) {
        if (e.key == "intents") {
            list = &e;
        } else if (e.key == "lang") {
            auto l = ctx.text(e);
            if (!l) continue;
            const std::vector<std::string> langs(options.languages.begin(),
                                                 options.languages.end());
            if (!options.languages.count(*l)) {
                ctx.error(e.value, "unknown language '" + *l + "'" +
                                       detail::did_you_mean(*l, langs) +
                                       "; languages: " + detail::join(langs));
            } else if (!folder_lang.empty() && *l != folder_lang) {
                ctx.error(e.value,
                          "lang '" + *l + "' does not match the folder '" + folder_lang + "/'");
            } else {
                lang = *l;
            }
        } else {
            has_intent_keys = true;
            own.push_back(e);
        }
    }
    if (lang.empty()) {
        ctx.error(doc, "no language: put the file in a language folder (" +
                           detail::join({options.languages.begin(), options.languages.end()}) +
                           ") or add 'lang:'");
        return;
    }
    if (!list) {
        if (auto p = detail::parse_entry(ctx, doc, own, lang, options))
            out.push_back(std::move(*p));
        return;
    }
    if (has_intent_keys) {
        ctx.error(own.front().key_node,
                  "a file holds either one intent ('intent:' at the top) or a list under "
                  "'intents:', not both");
        return;
    }
    auto items = ctx.list(*list, "'intents' must be a list of intents (each with 'intent:')");
    if (!items) return;
    for (const auto& item : *items) {
        if (!item.IsMap()) {
            ctx.error(ctx.pos_item(item), "each item of 'intents' must be a map with 'intent:'");
            continue;
        }
        const auto item_entries = ctx.entries(item, detail::entry_keys());
        if (auto p = detail::parse_entry(ctx, item, item_entries, lang, options))
            out.push_back(std::move(*p));
    }
}

// The intents a file that YAML cannot read names ("intent: hours.open", "- intent: …"), read
// from its lines: the others' complaints about them (no French version, a test expecting one)
// would only repeat its one problem.
void names_in_unreadable(const std::string& text, std::set<std::string>& names) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        auto at = line.find_first_not_of(" -");
        if (at == std::string::npos || line.compare(at, 7, "intent:") != 0) continue;
        at = line.find_first_not_of(" \t\"'", at + 7);
        if (at == std::string::npos) continue;
        const auto end = line.find_first_of(" \t\"'#\r", at);
        names.insert(line.substr(at, end == std::string::npos ? end : end - at));
    }
}

// A plain text that YAML reads as something else: "[urgent] la mairie…" (a list), "{…}" (a
// map), "*…", "&…" (an alias, an anchor), "!…" (a tag), "%", "@", "`" (reserved), with the
// quotes that make it text again.
std::string quoting_hint(const std::string& line) {
    auto at = line.find_first_not_of(' ');
    if (at != std::string::npos && line.compare(at, 2, "- ") == 0)
        at = line.find_first_not_of(' ', at + 2);
    else if (const auto colon = line.find(": "); colon != std::string::npos)
        at = line.find_first_not_of(' ', colon + 2);
    else
        return "";
    if (at == std::string::npos || std::string_view("[{*&!%@`").find(line[at]) == std::string_view::npos)
        return "";
    auto text = line.substr(at);
    if (!text.empty() && text.back() == '\r') text.pop_back();
    return std::string(" (a text starting with '") + line[at] +
           "' is read by YAML as something else: put it in quotes, \"" + text + "\")";
}

void read_file(const fs::path& path, const std::string& folder_lang, const load_options& options,
               std::vector<detail::parsed_entry>& out, diagnostics& problems,
               std::set<std::string>& unreadable) {
    const std::string name = path.string();
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) {
        problems.push_back({name, 0, 0, "cannot read: " + ec.message()});
        return;
    }
    if (size > max_file_bytes) {
        problems.push_back({name, 0, 0,
                            "file too large (" + std::to_string(size) +
                                " bytes; an intent file is at most " +
                                std::to_string(max_file_bytes) + ")"});
        return;
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    if (!in) {
        problems.push_back({name, 0, 0, "cannot read the file"});
        return;
    }
    const detail::source_text source(buf.str());
    if (auto bad = invalid_utf8(name, source.text(), false)) {
        problems.push_back(std::move(*bad));
        return;
    }
    detail::yaml_context ctx(name, source, problems);
    std::vector<YAML::Node> docs;
    try {
        docs = YAML::LoadAll(source.text());
    } catch (const YAML::DeepRecursion& e) {
        ctx.error(source.at_mark(e.mark.line, e.mark.column),
                  "YAML nested too deeply (" + std::to_string(e.depth()) + " levels)");
        names_in_unreadable(source.text(), unreadable);
        return;
    } catch (const YAML::ParserException& e) {
        // yaml-cpp's messages are terse; the commonest cause for staff is a tab.
        const auto at = source.offset_of_mark(e.mark.line, 0);
        const auto eol = at == std::string::npos ? at : source.text().find('\n', at);
        const std::string line = at == std::string::npos ? "" : source.text().substr(at, eol - at);
        const bool tab = line.find('\t') != std::string::npos;
        // A plain text with ": " inside ("description: Horaires : mairie") is the other one.
        const bool colon = e.msg == YAML::ErrorMsg::MAP_VALUE;
        const auto quoting = quoting_hint(line);
        ctx.error(source.at_mark(e.mark.line, e.mark.column),
                  "YAML syntax error: " + e.msg +
                      (tab                ? " (a tab is used for indentation: use spaces)"
                       : !quoting.empty() ? quoting
                       : colon            ? " (put the text in quotes if it contains ': ')"
                                          : ""));
        names_in_unreadable(source.text(), unreadable);
        return;
    } catch (const YAML::Exception& e) {
        ctx.error(detail::position{}, std::string("YAML error: ") + e.what());
        names_in_unreadable(source.text(), unreadable);
        return;
    }
    bool any = false;
    for (const auto& doc : docs) {
        if (doc.IsNull()) continue;
        any = true;
        read_document(ctx, doc, folder_lang, options, out);
    }
    if (!any) problems.push_back({name, 0, 0, "empty file (expected 'intent:' and its examples)"});
}

}  // namespace

const intent* site_intents::find(std::string_view name) const {
    const auto it =
        std::lower_bound(intents.begin(), intents.end(), name,
                         [](const intent& a, std::string_view n) { return a.name < n; });
    return it != intents.end() && it->name == name ? &*it : nullptr;
}

load_result load_intents(const fs::path& intents_dir, const load_options& options) {
    load_result result;
    std::error_code ec;
    if (!fs::is_directory(intents_dir, ec)) {
        result.problems.push_back({intents_dir.string(), 0, 0, "intents folder not found"});
        return result;
    }
    std::vector<fs::path> files;
    for (fs::recursive_directory_iterator it(intents_dir, ec), end; !ec && it != end;
         it.increment(ec)) {
        const auto ext = it->path().extension();
        if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec))
            files.push_back(it->path());
    }
    if (ec) result.problems.push_back({intents_dir.string(), 0, 0, "cannot list: " + ec.message()});
    std::sort(files.begin(), files.end());
    if (files.empty() && !ec)
        result.problems.push_back({intents_dir.string(), 0, 0, "no intent files (*.yaml) found"});

    std::vector<detail::parsed_entry> entries;
    std::set<std::string> unreadable;
    for (const auto& f : files) {
        const auto rel = f.lexically_relative(intents_dir);
        std::string folder_lang;
        if (std::distance(rel.begin(), rel.end()) > 1 &&
            options.languages.count(rel.begin()->string()))
            folder_lang = rel.begin()->string();
        read_file(f, folder_lang, options, entries, result.problems, unreadable);
    }
    result.value = detail::merge_entries(std::move(entries), options, result.problems, unreadable);
    std::stable_sort(result.problems.begin(), result.problems.end(),
                     [](const diagnostic& a, const diagnostic& b) {
                         return std::tie(a.file, a.line, a.column) <
                                std::tie(b.file, b.line, b.column);
                     });
    return result;
}

diagnostics unread_files(const fs::path& intents_dir) {
    std::vector<fs::path> found;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(intents_dir, ec), end; !ec && it != end;
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        std::error_code e2;
        if (name.starts_with(".")) {
            if (it->is_directory(e2)) it.disable_recursion_pending();
            continue;
        }
        const auto ext = it->path().extension();
        if (ext == ".yaml" || ext == ".yml" || !it->is_regular_file(e2) || editor_backup(name)) continue;
        std::string lower = name;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower.find(".yaml") != std::string::npos || lower.find(".yml") != std::string::npos)
            found.push_back(it->path());
    }
    std::sort(found.begin(), found.end());
    diagnostics out;
    for (const auto& f : found) {
        std::string name = f.filename().string(), lower = name;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto at = lower.find(".yaml");
        const bool yml = at == std::string::npos;
        if (yml) at = lower.find(".yml");
        out.push_back({f.string(), 0, 0,
                       "ignored (only .yaml files are read here; rename it " + name.substr(0, at) +
                           (yml ? ".yml" : ".yaml") + ")"});
    }
    return out;
}

diagnostics check_intents(const fs::path& intents_dir, load_options options,
                          site_intents* intents) {
    options.every_language = true;
    auto loaded = load_intents(intents_dir, options);
    auto unread = unread_files(intents_dir);
    loaded.problems.insert(loaded.problems.end(), unread.begin(), unread.end());
    if (intents) *intents = std::move(loaded.value);
    return std::move(loaded.problems);
}

}  // namespace guichet::intents
