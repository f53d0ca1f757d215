// Staff-authored intent files: the in-memory model of a site's intents and the loader that
// reads `intents/<lang>/*.yaml`, checks them and reports every problem as `file:line:column`.
// The format itself is documented for staff in intents/README.md.
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.h"

namespace guichet::intents {

// One slot an intent fills from the user's words (or asks for).
struct slot_spec {
    std::string name;           // the key under `slots:`
    std::string entity;         // one of load_options::known_entities
    std::vector<std::string> also;  // entities that fill it when `entity` is not found, in
                                    // order (`entity: [service, place_category]`)
    bool required = false;      // ask for it when missing
    std::string ask;            // the question to ask, in the file's language (required slots)
    std::string default_value;  // used when the slot is missing and not required ("now"…)
    std::string addressed;      // `addressed:` its value when the message, naming none, speaks
                                // to the bot itself ("vous êtes ouverts ?": the town hall)
    bool position = false;      // `position: true`: a position shared by the citizen answers
                                // it (the plugin reads the position); always so for `location`
    // `validate:` — how an answer is checked (empty: any value of the entity is taken), and
    // `hint:` — what the bot says, in the file's language, when the answer is wrong.
    struct rule {
        bool entity = false;     // `validate: entity`: the answer must be recognised as the
                                 // slot's entity (a street of the gazetteer, a real e-mail…)
        std::string pattern;     // ICU regular expression the whole value must match
        bool has_min = false, has_max = false;
        double min = 0, max = 0;           // bounds of a number (inclusive)
        std::vector<std::string> one_of;   // accepted answers (case and accents ignored)
        bool any() const {
            return entity || !pattern.empty() || has_min || has_max || !one_of.empty();
        }
    } validate;
    std::string hint;  // required with `validate:`
    // Whether an entity of that type fills the slot: its entity or one it also takes.
    bool takes(std::string_view type) const {
        return entity == type || std::find(also.begin(), also.end(), type) != also.end();
    }
    // Whether the slot names a place of the knowledge base: a service or a kind of place.
    bool names_places() const { return takes("service") || entity == "place_category"; }
    // Whether the slot asks which place is meant (`où est la piscine`), not where something is:
    // a slot that also takes a street ("il y a des rats dans ma rue") is a location, and the
    // message's other words say what is there, not a place the town lacks.
    bool asks_which_place() const { return names_places() && !takes("street"); }
    // Whether the slot says where something else is ("devant la médiathèque" for a report): a
    // place or a street, never what is asked about.
    bool says_where() const { return names_places() && !asks_which_place(); }
};

// Checks a slot's answer against its `validate:` rule. `value`: the entity's canonical value
// when one was recognised (`recognised` true), else the citizen's raw words. Returns the value
// to keep (the accepted answer as written in `one_of`, else `value`), or nullopt when wrong.
// Thread-safe (ICU patterns are compiled per call).
std::optional<std::string> check_slot_value(const slot_spec& spec, const std::string& value,
                                            bool recognised);

// A quick-reply button: the title shown, the text sent back when tapped.
struct button {
    std::string title, payload;
};

// A sample sentence, with the `[text](entity)` markup removed.
struct example {
    std::string text;  // the sentence as a user would type it (UTF-8)
    struct span {
        std::size_t begin, end;  // UTF-8 byte offsets into `text`, end exclusive
        std::string entity;      // the entity named in the markup (a slot name is resolved to
                                 // that slot's entity)
    };
    std::vector<span> entities;
    std::string file;  // where it was written, for messages
    int line = 0;      // 1-based
};

// A test written by staff: saying `say` must route to `expect_intent` with those slots.
struct test_case {
    std::string say;
    std::string expect_intent;  // an intent name, or "out_of_scope"
    std::map<std::string, std::string> expect_slots;
    std::string file;
    int line = 0;
};

// Everything an intent holds in one language.
struct language_part {
    std::vector<example> examples;
    std::vector<std::string> patterns;  // exact phrases that always mean this intent
    std::vector<std::string> keywords;  // phrases that, anywhere in a message, mean this intent
    std::vector<std::string> answers;   // static answer variants (empty when a plugin answers)
    std::vector<button> buttons;        // quick replies offered with a static answer
    std::map<std::string, slot_spec> slots;
    std::vector<test_case> tests;
    std::string file;  // the file this part came from
};

// One intent, in every language it was written in.
struct intent {
    std::string name;         // e.g. "hours.open"
    std::string plugin;       // the plugin that answers; empty for a static answer
    std::string description;  // for staff, optional
    std::map<std::string, language_part> langs;  // key "fr" / "en"
    bool urgent = false;  // `urgent: true` (the emergency numbers): the FAQ is asked first only
                          // when the classifier barely chose it, its button kept beside; in
                          // doubt between it and another, the FAQ silent, its answer is given
};

// A site's intents, sorted by name. Immutable after loading: safe to read from many threads.
struct site_intents {
    std::vector<intent> intents;
    // The intent with that name, or nullptr. The pointer lives as long as this object.
    const intent* find(std::string_view name) const;
};

// The intent name staff use in a test for "the bot should not recognise this".
inline constexpr std::string_view out_of_scope = "out_of_scope";

struct load_options {
    // Plugins the engine has loaded. Empty: plugin names are not checked, unless
    // `every_plugin_known` says that none was loaded (the engine's own loading).
    std::set<std::string> known_plugins;
    bool every_plugin_known = false;
    // Optional: the intents each plugin serves (from its descriptor). A plugin listed here
    // may only be named by those intents. Plugins not listed here are not checked.
    std::map<std::string, std::set<std::string>> plugin_intents;
    // Plugins whose file was there but refused (a wrong ABI, a failing create): the intents
    // that name them load, and answer that they cannot answer now, rather than stopping the
    // whole site; the refusal itself is said where it happens (`check`, serve's log, /readyz).
    std::set<std::string> refused_plugins;
    // Where the plugins were looked for, said with a plugin not loaded ("/srv/plugins, set by
    // GUICHET_PLUGINS_DIR"); "": not said.
    std::string plugins_folder;
    // Entities the engine extracts, usable in `[text](entity)` and in `entity:` of a slot.
    std::set<std::string> known_entities = {"datetime",       "number",  "postcode", "ticket",
                                            "email",          "phone",   "service",  "street",
                                            "place_category", "waste_stream", "location"};
    // Place ids and categories of the knowledge base: the values a `service` slot's
    // `default:` or `addressed:` may take. Empty: not checked.
    std::set<std::string> known_services;
    // Languages accepted as folder names and `lang:` values.
    std::set<std::string> languages = {"fr", "en"};
    // Each intent must exist in each of `languages` that the site has intents in (`guichet
    // check`; the engine answers an intent missing in a language in another one).
    bool every_language = false;
    // The fewest examples an intent has in a language (an intent of keywords or patterns
    // alone needs none) and the fewest tests in each of its languages. Empty / 0: not checked
    // (the engine loads what it is given; `guichet check` asks for what the guide says).
    std::map<std::string, std::size_t> min_examples;
    std::size_t min_tests = 0;
};

// What the staff guide (intents/README.md) asks of every intent: at least 20 examples in
// French and 3 tests in each language. `guichet check` reports an intent below.
inline constexpr std::size_t guide_min_examples_fr = 20;
inline constexpr std::size_t guide_min_tests = 3;

struct load_result {
    site_intents value;    // every intent that could be read, even when problems were found
    diagnostics problems;  // every problem in every file, in file order then line order
    bool ok() const { return problems.empty(); }
};

// Reads every `*.yaml` / `*.yml` file under `intents_dir` (recursively; the first folder
// level `fr/`, `en/` gives the language, otherwise a `lang:` key must). Never throws for bad
// content: every problem of every file is collected into `problems`, with `file` given as
// `intents_dir / relative path` and 1-based line and column (columns count characters).
// Reentrant: no shared state; may be called from any thread.
load_result load_intents(const std::filesystem::path& intents_dir, const load_options& options);

// Files under `intents_dir` named like intent files but not read (`contact.yaml.txt`,
// `Contact.YAML`): "ignored (only .yaml files are read here; rename it …)". Hidden files are
// left alone. The engine starts without them; `guichet check` reports them.
diagnostics unread_files(const std::filesystem::path& intents_dir);

// What `guichet check` reports: the loader's problems with `every_language` on, and the
// unread files. `intents` (optional) receives what could be read.
diagnostics check_intents(const std::filesystem::path& intents_dir, load_options options,
                          site_intents* intents = nullptr);

}  // namespace guichet::intents
