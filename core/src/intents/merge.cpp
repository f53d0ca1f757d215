// Merging parsed entries into intents, and the checks that span files.
#include "intents/merge.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "intents/yaml_context.h"

namespace guichet::intents::detail {

namespace {

struct where {
    const parsed_entry* entry;
    int line;
};

std::string at(const parsed_entry& e, int line) { return e.part.file + ":" + std::to_string(line); }

// Sentences compared for "used twice": ASCII case and surrounding blanks ignored. (Accents are
// kept: a sentence with and without accents are two different, useful examples.)
std::string normalise(const std::string& s) {
    std::string r;
    for (char c : s) r += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const auto b = r.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    return r.substr(b, r.find_last_not_of(" \t") - b + 1);
}

void add(diagnostics& out, const parsed_entry& e, position p, std::string message) {
    out.push_back(diagnostic{e.part.file, p.line, p.column, std::move(message)});
}

std::string language_name(const std::string& lang) {
    if (lang == "fr") return "French";
    if (lang == "en") return "English";
    return "'" + lang + "'";
}

// Where the missing version belongs: the language folder beside the entry's own
// ("intents/fr/x.yaml" → "intents/en"), or `lang:` for a file outside language folders.
std::string missing_folder(const parsed_entry& e, const std::string& lang) {
    const std::filesystem::path file(e.part.file);
    const auto folder = file.parent_path();
    if (folder.filename() == e.lang) return (folder.parent_path() / lang).string();
    return "a file with 'lang: " + lang + "'";
}

}  // namespace

site_intents merge_entries(std::vector<parsed_entry> entries, const load_options& options,
                           diagnostics& out, const std::set<std::string>& unreadable) {
    // Index entries by name and language; a second entry for the same pair is a duplicate.
    std::map<std::string, std::map<std::string, const parsed_entry*>> by_name;
    for (const auto& e : entries) {
        auto& slot = by_name[e.name][e.lang];
        if (slot) {
            add(out, e, e.name_pos,
                "duplicate intent '" + e.name + "' in language '" + e.lang + "' (first in " +
                    at(*slot, slot->name_pos.line) + ")");
            continue;
        }
        slot = &e;
    }
    std::vector<std::string> names;
    for (const auto& [name, langs] : by_name) names.push_back(name);
    const std::vector<std::string> plugins(options.known_plugins.begin(),
                                           options.known_plugins.end());

    // No plugin loaded at all (an empty or wrong plugins folder) is said once, with every
    // plugin the intents need, rather than at each of them.
    std::set<std::string> needed;
    for (const auto& e : entries)
        if (!e.plugin.empty()) needed.insert(e.plugin);
    const bool check_plugins = !options.known_plugins.empty() || options.every_plugin_known;
    bool none_loaded_said = false;

    // Plugin checks, per entry (entries with neither plugin nor answer were reported already).
    for (const auto& [name, langs] : by_name) {
        const parsed_entry* first = nullptr;
        for (const auto& [lang, e] : langs) {
            if (!e->plugin.empty() && check_plugins && options.known_plugins.empty()) {
                if (!none_loaded_said)
                    add(out, *e, e->plugin_pos,
                        "plugin '" + e->plugin +
                            "' is not loaded, nor any other; the intents need: " +
                            join({needed.begin(), needed.end()}));
                none_loaded_said = true;
            } else if (!e->plugin.empty() && check_plugins &&
                       !options.known_plugins.count(e->plugin) &&
                       !options.refused_plugins.count(e->plugin)) {
                add(out, *e, e->plugin_pos,
                    "unknown plugin '" + e->plugin + "'" + did_you_mean(e->plugin, plugins) +
                        "; loaded plugins: " + join(plugins) +
                        (options.plugins_folder.empty() ? std::string()
                                                        : " (from " + options.plugins_folder + ")"));
            } else if (auto it = options.plugin_intents.find(e->plugin);
                       !e->plugin.empty() && it != options.plugin_intents.end() &&
                       !it->second.count(name)) {
                add(out, *e, e->plugin_pos,
                    "plugin '" + e->plugin + "' does not serve intent '" + name +
                        "' (it serves: " + join({it->second.begin(), it->second.end()}) + ")");
            }
            if (!first) {
                first = e;
                continue;
            }
            if (first->plugin != e->plugin) {
                const auto what = [](const parsed_entry& x) {
                    return x.plugin.empty() ? std::string("a static answer")
                                            : "plugin '" + x.plugin + "'";
                };
                add(out, *e, e->plugin.empty() ? e->name_pos : e->plugin_pos,
                    "intent '" + name + "' has " + what(*e) + " here but " + what(*first) + " in " +
                        at(*first, first->name_pos.line) + "; all languages must agree");
            }
        }
    }

    // Every sentence (example or test) once per language: an example in two intents confuses
    // the classifier, and a test that repeats an example proves nothing.
    std::map<std::string, std::map<std::string, where>> examples;  // lang -> sentence -> where
    for (const auto& entry : entries) {  // in file order, so "first" means first in the files
        const parsed_entry* e = &entry;
        const std::string& name = e->name;
        const std::string& lang = e->lang;
        if (by_name[name][lang] != e) continue;  // a duplicate intent, reported above
        {
            for (std::size_t i = 0; i < e->part.examples.size(); ++i) {
                const auto& ex = e->part.examples[i];
                const auto [it, inserted] =
                    examples[lang].emplace(normalise(ex.text), where{e, ex.line});
                if (inserted) continue;
                const auto& first = *it->second.entry;
                add(out, *e, e->example_pos[i],
                    first.name == name
                        ? "duplicate example (first at " + at(first, it->second.line) + ")"
                        : "example also belongs to intent '" + first.name + "' (" +
                              at(first, it->second.line) + ")");
            }
        }
    }

    // A pattern (a keyword) always means one intent: the same in two intents is a
    // contradiction.
    auto one_intent_each = [&](const char* what, auto phrases_of, auto positions_of) {
        std::map<std::string, std::map<std::string, where>> seen;  // lang -> phrase -> where
        for (const auto& e : entries) {
            if (by_name[e.name][e.lang] != &e) continue;
            const std::vector<std::string>& phrases = phrases_of(e);
            for (std::size_t i = 0; i < phrases.size(); ++i) {
                const auto& pos = positions_of(e)[i];
                const auto [it, inserted] =
                    seen[e.lang].emplace(normalise(phrases[i]), where{&e, pos.line});
                if (!inserted && it->second.entry->name != e.name)
                    add(out, e, pos,
                        std::string(what) + " '" + phrases[i] + "' also belongs to intent '" +
                            it->second.entry->name + "' (" +
                            at(*it->second.entry, it->second.line) + ")");
            }
        }
    };
    one_intent_each(
        "pattern", [](const auto& e) -> auto& { return e.part.patterns; },
        [](const auto& e) -> auto& { return e.pattern_pos; });
    one_intent_each(
        "keyword", [](const auto& e) -> auto& { return e.part.keywords; },
        [](const auto& e) -> auto& { return e.keyword_pos; });

    // Tests: the expected intent exists in the test's language, its slots exist, the
    // sentence is new.
    for (const auto& [name, langs] : by_name) {
        for (const auto& [lang, e] : langs) {
            for (std::size_t i = 0; i < e->part.tests.size(); ++i) {
                const auto& t = e->part.tests[i];
                if (auto it = examples[lang].find(normalise(t.say)); it != examples[lang].end())
                    add(out, *e, e->test_say_pos[i],
                        "test sentence is also an example of '" + it->second.entry->name + "' (" +
                            at(*it->second.entry, it->second.line) +
                            "); a test needs a sentence the bot was not taught");
                if (t.expect_intent == out_of_scope) {
                    if (!t.expect_slots.empty())
                        add(out, *e, e->test_intent_pos[i],
                            "an out_of_scope test cannot expect slots");
                    continue;
                }
                if (unreadable.count(t.expect_intent)) continue;  // its file is said broken
                const auto target = by_name.find(t.expect_intent);
                if (target == by_name.end()) {
                    add(out, *e, e->test_intent_pos[i],
                        "test expects intent '" + t.expect_intent + "', which no file defines" +
                            did_you_mean(t.expect_intent, names));
                    continue;
                }
                const auto part = target->second.find(lang);
                if (part == target->second.end()) {
                    add(out, *e, e->test_intent_pos[i],
                        "test expects intent '" + t.expect_intent + "', which has no '" + lang +
                            "' version");
                    continue;
                }
                const auto& slots = part->second->part.slots;
                for (const auto& [slot, value] : t.expect_slots) {
                    if (slots.count(slot)) continue;
                    std::vector<std::string> known;
                    for (const auto& [k, v] : slots) known.push_back(k);
                    add(out, *e, e->test_slot_pos[i].at(slot),
                        "test expects slot '" + slot + "', but intent '" + t.expect_intent +
                            "' has no such slot" + did_you_mean(slot, known) +
                            (known.empty() ? "" : "; its slots: " + join(known)));
                }
            }
        }
    }

    // Every intent in every language the site speaks (those it has intents in: a site
    // written in French only is not asked for English).
    if (options.every_language) {
        std::set<std::string> spoken;
        for (const auto& e : entries) spoken.insert(e.lang);
        for (const auto& [name, langs] : by_name)
            for (const auto& lang : options.languages) {
                if (!spoken.count(lang) || langs.count(lang) || unreadable.count(name)) continue;
                const parsed_entry& e = *langs.begin()->second;
                add(out, e, e.name_pos,
                    "intent '" + name + "' has no " + language_name(lang) + " version (" +
                        missing_folder(e, lang) + ")");
            }
    }

    // As many examples and tests as the staff guide asks for: with fewer, the classifier
    // learns the intent from too few sentences, and an edit breaks it unseen.
    for (const auto& e : entries) {
        const auto& p = e.part;
        const bool phrases_only = p.examples.empty() && !(p.keywords.empty() && p.patterns.empty());
        const auto min = options.min_examples.find(e.lang);
        if (min != options.min_examples.end() && !phrases_only && p.examples.size() < min->second)
            add(out, e, e.examples_pos.line ? e.examples_pos : e.name_pos,
                "intent '" + e.name + "' has " + std::to_string(p.examples.size()) + " " +
                    language_name(e.lang) + " example(s); the staff guide asks for at least " +
                    std::to_string(min->second) + " (intents/README.md): add sentences as "
                    "citizens type them");
        if (p.tests.size() < options.min_tests)
            add(out, e, e.tests_pos.line ? e.tests_pos : e.name_pos,
                "intent '" + e.name + "' has " + std::to_string(p.tests.size()) +
                    " test(s); the staff guide asks for at least " +
                    std::to_string(options.min_tests) +
                    " (intents/README.md): add sentences that are not examples, with the "
                    "intent expected");
    }

    // Build the site: one intent per name, its languages merged.
    site_intents site;
    for (auto& [name, langs] : by_name) {
        intent in;
        in.name = name;
        for (auto& [lang, e] : langs) {
            if (in.plugin.empty()) in.plugin = e->plugin;
            if (in.description.empty()) in.description = e->description;
            in.urgent = in.urgent || e->urgent;
            in.langs.emplace(lang, e->part);
        }
        site.intents.push_back(std::move(in));
    }
    return site;  // by_name is a sorted map: intents come out sorted by name
}

}  // namespace guichet::intents::detail
