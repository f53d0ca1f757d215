// One town's content, loaded and compiled: intent files, the classifier trained from their
// examples, the entity extractor fed by the knowledge base's gazetteer, and the knowledge
// base itself. Immutable once loaded and shared by every turn; a reload builds a new one
// and swaps it in whole.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/diagnostic.h"
#include "engine/kb_results.h"
#include "entities/entities.h"
#include "hours/opening_hours.h"
#include "intents/intents.h"
#include "kb/builder.h"
#include "kb/knowledge_base.h"
#include "nlu/classifier.h"
#include "nlu/language.h"
#include "plugin_host/plugin_host.h"

namespace guichet {

class plugin_host;

struct site_options {
    std::filesystem::path root;     // the site folder: intents/, knowledge/, guichet.yaml
    std::filesystem::path kb_path;  // empty: <root>/var/knowledge.db
    // Where kb.path is written, what a folder guichet may not write in names ("GUICHET_KB_PATH",
    // "guichet.yaml:3:9: 'kb.path'"); "" for the default.
    std::string kb_path_setting;
    std::string time_zone = "Europe/Paris";
    std::vector<std::string> languages = {"fr", "en"};
    bool alsace_moselle = false;
    bool build_kb = true;  // compile knowledge/ into kb_path before opening it
    // The place of knowledge/places.yaml that is the front desk (`agents.desk_place`): its
    // hours are the agents' duty hours, its name and phone what plugins tell citizens to call
    // (ABI 1.4). `desk_place_setting` is where it is written, what a problem with it names
    // ("guichet.yaml:12:15: 'agents.desk_place'", "GUICHET_AGENTS_DESK_PLACE"); "" for the
    // default.
    std::string desk_place = "accueil_mairie";
    std::string desk_place_setting;
    // The intent asked when nothing is understood (`engine.fallback_intent`), for `guichet
    // check` to say when no intent has that name (a typo turned the FAQ's answers off); where
    // it is written, as above.
    std::string fallback_intent = "faq.ask";
    std::string fallback_intent_setting;
    // Where the plugins were looked for, and the setting that says it ("/srv/plugins, set by
    // GUICHET_PLUGINS_DIR"): an intent naming a plugin not loaded says it. "": not said.
    std::string plugins_folder;
};

// A small pool of read-only connections: sqlite3 handles are used by one thread at a time.
class kb_pool {
public:
    explicit kb_pool(std::string path) : path_(std::move(path)) {}
    template <class F>
    auto with(F&& f) {
        auto kb = acquire();
        struct giver {
            kb_pool* pool;
            std::unique_ptr<kb::knowledge_base>* kb;
            ~giver() { pool->release(std::move(*kb)); }
        } g{this, &kb};
        return f(*kb);
    }
    const std::string& path() const { return path_; }
    kb_results& results() { return results_; }  // plugins' query results (same file)

private:
    std::unique_ptr<kb::knowledge_base> acquire();
    void release(std::unique_ptr<kb::knowledge_base> kb);
    std::string path_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<kb::knowledge_base>> idle_;
    kb_results results_;
};

class site : public turn_services, public std::enable_shared_from_this<site> {
public:
    // Loads and checks everything; on any problem returns nullptr and the problems as
    // file:line:column diagnostics. `plugins` names the plugins and intents that exist.
    static std::shared_ptr<site> load(const site_options& options, const plugin_host& plugins,
                                      diagnostics& problems);
    // The last site that loaded, kept beside its knowledge base ("var/last-good/": its
    // intents/ and knowledge/), so that a restart with a broken file serves it rather than
    // nothing. `keep_as_last_good` replaces the copy at once (errors are logged, not thrown;
    // given the copy's own options, it does nothing); `last_good` gives the options to load
    // that copy, or nullopt when there is none.
    static void keep_as_last_good(const site_options& options);
    static std::optional<site_options> last_good(const site_options& options);
    // Checks the site's files without compiling or training anything (`guichet check`: also
    // intents missing in a language, files not read, alerts naming unknown intents).
    // `intents` (optional) receives the intents that could be read, `notices` (optional) what
    // changes nothing or is out of date (kb::build_result::notices): no problem.
    static diagnostics check(const site_options& options, const plugin_host& plugins,
                             intents::site_intents* intents = nullptr,
                             diagnostics* notices = nullptr);

    const site_options& options() const { return options_; }
    const intents::site_intents& intents() const { return intents_; }
    const nlu::classifier& classifier() const { return *classifier_; }
    // The classifier's answer for a message whose entities `found` are known: the streets named
    // read as one word, as in the examples it was trained on (street_word()).
    nlu::classification classify(const std::string& text, const std::string& lang,
                                 const std::vector<entities::entity>& found) const;
    const entities::extractor& extractor() const { return *extractor_; }
    // The words of the site's French and English sentences, for the language guess.
    const nlu::site_words& language_words() const { return language_words_; }
    kb_pool& kb() { return *kb_; }
    double train_seconds() const { return train_seconds_; }
    // Whether `text` has a word of three letters or more, outside the entities found, that
    // none of the intent's examples in `lang` has: the classifier chose the intent on the
    // other words ("je veux me marier" is handoff.request for "je veux"). Unless `strict`,
    // greetings and words of several other intents' examples ("veux", "pas") do not count.
    bool has_word_foreign_to(const std::string& intent, const std::string& lang,
                             const std::string& text, const std::vector<entities::entity>& found,
                             bool strict = false) const;
    // Whether `text` has a word of three letters or more, outside those entities, that one of
    // the intent's examples in `lang` has ("wifi gratuit" has none of the emergency numbers'),
    // and not the examples of most intents ("when was the church built" has no word of the
    // bins' days).
    bool has_word_of(const std::string& intent, const std::string& lang, const std::string& text,
                     const std::vector<entities::entity>& found) const;
    // The FAQ's question in `lang` (as staff wrote it) that `text` is, word for word once
    // folded and stemmed ("construire une maison" is the FAQ's, whatever intent the classifier
    // leans to; "je suis sourd…" is its "je suis sourde…"), or that `text` says within it when
    // the question has five words or more ("ma poubelle n'a pas été ramassée ce matin rue du
    // Stade"); "" when none.
    std::string faq_question_in(const std::string& text, const std::string& lang) const;
    // Those words, as written (an elided article left out: "l'patinoire" → "patinoire").
    std::vector<std::string> words_foreign_to(const std::string& intent, const std::string& lang,
                                              const std::string& text,
                                              const std::vector<entities::entity>& found) const;
    // `text` without the entities the intent's slots take (in `lang`): what it is left to say.
    std::string without_slot_entities(const std::string& intent, const std::string& lang,
                                      const std::string& text,
                                      const std::vector<entities::entity>& found) const;

    // turn_services, for plugins
    bool kb_query(const std::string& sql, const std::vector<std::string>& params,
                  guichet_row_callback row, void* user, std::string& error) override;
    bool hours_intervals(const std::string& expression, std::int64_t from, std::int64_t to,
                         guichet_interval_callback cb, void* user, std::string& error) override;
    std::optional<std::string> holiday_name(std::int64_t at, const std::string& locale) override;
    std::string format_time(std::int64_t at, const std::string& skeleton,
                            const std::string& locale) override;

private:
    // Whether `test(the intent's example words, w)` holds for some word w of `text` outside the
    // entities its slots take.
    template <typename Test>
    bool any_word(const std::string& intent, const std::string& lang, const std::string& text,
                  const std::vector<entities::entity>& found, Test test) const;
    site() = default;
    site_options options_;
    intents::site_intents intents_;
    std::unique_ptr<nlu::classifier> classifier_;
    std::unique_ptr<entities::extractor> extractor_;
    nlu::site_words language_words_;
    std::vector<hours::school_holiday> school_holidays_;  // `SH` in places' hours
    std::unique_ptr<kb_pool> kb_;
    double train_seconds_ = 0;
    std::map<std::pair<std::string, std::string>, std::unordered_set<std::string>> example_words_;
    std::unordered_map<std::string, std::string> faq_questions_;  // lang + '\x1f' + stems → question
    // In how many intents' examples of a language a word is: "when", "quand", "est" are in
    // most, and tell no intent (has_word_of).
    std::map<std::pair<std::string, std::string>, int> intents_with_word_;
    static constexpr int common_word_intents = 4;
    // A word foreign to an intent but in this many others' ("veux", "want") is no subject.
    static constexpr int asking_word_intents = 3;
};

// The validator that the knowledge-base builder uses for opening_hours values.
std::optional<kb::opening_hours_problem> validate_opening_hours(std::string_view expr);

}  // namespace guichet
