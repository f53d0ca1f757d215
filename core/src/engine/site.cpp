// Loading a site (knowledge base build, intent files, classifier training, gazetteer) and
// the services that plugins reach through the C ABI: knowledge-base queries, opening hours,
// public holidays and ICU date formatting.
#include "engine/site.h"

#include <unicode/dtptngen.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <unordered_map>

#include "common/lru_map.h"
#include "engine/log.h"
#include "hours/holidays.h"
#include "hours/local_time.h"
#include "hours/opening_hours.h"
#include "kb/builder.h"
#include "kb/values.h"
#include "kb/yaml_reader.h"
#include "nlu/normalize.h"

namespace guichet {

std::optional<kb::opening_hours_problem> validate_opening_hours(std::string_view expr) {
    auto r = hours::parse(expr);
    std::optional<hours::parse_error> e;
    if (!r.ok()) e = r.error();
    else e = hours::lint(r.value());
    if (!e) return std::nullopt;
    return kb::opening_hours_problem{e->offset, e->message_en, e->message_fr};
}

std::unique_ptr<kb::knowledge_base> kb_pool::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto kb = std::move(idle_.back());
            idle_.pop_back();
            return kb;
        }
    }
    return std::make_unique<kb::knowledge_base>(kb::knowledge_base::open(path_));
}

void kb_pool::release(std::unique_ptr<kb::knowledge_base> kb) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < 16) idle_.push_back(std::move(kb));
}

namespace {

// The FAQ's questions are looked up as the words they are made of (folded, stemmed): "je suis
// sourd, comment contacter la mairie" is the FAQ's "je suis sourde, comment contacter la
// mairie ?". The key of `n` stems from `from`.
// A folded French word ending in "ee", "ees" lost the accent of its participle ("passée",
// "ramassées"; no French word ends so unaccented): Snowball stems it with its "é" given back,
// as "passer" and "passé" are ("pk la poubelle est pas passer" is the FAQ's "la poubelle est
// pas passée"; stemmed folded, "passe" was not "pass").
std::vector<std::string> stems_of(std::string_view text, const std::string& lang) {
    std::vector<std::string> out;
    for (auto& w : nlu::words(text, lang)) {
        if (lang == "fr")
            for (std::string_view end : {"ee", "ees"})
                if (w.size() > end.size() + 2 && w.ends_with(end)) {
                    w.replace(w.size() - end.size(), 2, "\u00e9e");
                    break;
                }
        out.push_back(nlu::stem(w, lang));
    }
    return out;
}
std::string faq_question_key(const std::string& lang, const std::vector<std::string>& stems,
                             std::size_t from, std::size_t n) {
    std::string key = lang + '\x1f';
    for (std::size_t i = from; i < from + n; ++i) key += (i > from ? " " : "") + stems[i];
    return key;
}

// A question of the FAQ this long, said within a message, is that message's subject ("ma
// poubelle n'a pas été ramassée ce matin rue du Stade").
constexpr std::size_t faq_question_within = 5;

// The one word a street named stands for, for the classifier (site::classify).
std::string_view street_word(std::string_view lang) { return lang == "en" ? "street" : "rue"; }

const std::vector<nlu::example>& builtin_out_of_scope() {
    static const std::vector<nlu::example> v = [] {
        std::vector<nlu::example> out;
        for (auto t : {"quelle est la capitale de l'australie", "raconte moi une blague",
                       "qui a gagné le match hier soir", "quel temps fera-t-il demain à brest",
                       "donne moi une recette de crêpes", "combien font 12 fois 7",
                       "qui est le président des états-unis", "traduis bonjour en allemand",
                       "quel est le meilleur film de l'année", "je cherche un plombier pas cher",
                       "c'est quoi le cours du bitcoin", "conseille moi un bon roman",
                       "azerty qsdf", "jkjkjk lol", "blablabla", "mdr ptdr", "aaaaaaa",
                       "xqzw plorf", "hum", "test test 123"})
            out.push_back({t, "oos", "fr"});
        for (auto t : {"what is the capital of australia", "tell me a joke",
                       "who won the football game last night", "what will the weather be in london",
                       "give me a pancake recipe", "what is 12 times 7",
                       "who is the president of the united states", "translate hello into german",
                       "recommend a good movie", "what is the price of bitcoin",
                       "asdf qwerty", "lol lol", "blah blah", "zzzz"})
            out.push_back({t, "oos", "en"});
        return out;
    }();
    return v;
}

intents::load_options intent_options(const site_options& o, const plugin_host& plugins) {
    intents::load_options lo;
    lo.known_plugins = plugins.names();
    lo.every_plugin_known = true;  // none loaded: the intents that name one cannot be answered
    for (auto* p : plugins.plugins())
        lo.plugin_intents[p->name()] = {p->intents().begin(), p->intents().end()};
    for (auto& r : plugins.refusals())
        if (!r.name.empty()) lo.refused_plugins.insert(r.name);
    lo.languages = {o.languages.begin(), o.languages.end()};
    lo.plugins_folder = o.plugins_folder;
    return lo;
}

kb::build_options kb_options(const site_options& o) {
    kb::build_options bo;
    bo.validate_opening_hours = validate_opening_hours;
    bo.first_open_day = [tz = o.time_zone, am = o.alsace_moselle](
                            std::string_view expr, std::int64_t first,
                            std::int64_t last) -> std::optional<std::int64_t> {
        auto parsed = hours::parse(expr);
        if (!parsed.ok()) return std::nullopt;
        try {  // (an unknown time zone is the settings' error, said where they are checked)
            const auto& zone = hours::detail::zone_for(tz);
            const std::int64_t from = hours::detail::local_to_utc(zone, first * 86400);
            const std::int64_t to = hours::detail::local_to_utc(zone, (last + 1) * 86400);
            for (const auto& i : hours::intervals(parsed.value(), from, to, {tz, am, {}}))
                if (!i.unknown)
                    return (i.start + hours::detail::utc_offset(zone, i.start)) / 86400;
        } catch (const std::invalid_argument&) {
        }
        return std::nullopt;
    };
    bo.time_zone = o.time_zone;
    // Staff read the knowledge's problems in French wherever they are said: `guichet check`,
    // `kb build`, the console's alerts page, and the server's log when it starts or reloads
    // (it gave yaml-cpp's English where `check` gave French).
    bo.lang = "fr";
    return bo;
}

std::filesystem::path kb_path_of(const site_options& o) {
    return o.kb_path.empty() ? o.root / "var" / "knowledge.db" : o.kb_path;
}

// When guichet may not write in the folder of the knowledge base (a site installed read-only:
// <site>/var by default), the problem, naming the setting that moves it (serve said "cannot
// create a temporary file beside the output", check nothing). The nearest folder that exists is
// the one tried: the others are created in it.
std::optional<diagnostic> kb_folder_problem(const site_options& o, bool fr) {
    namespace fs = std::filesystem;
    const fs::path dir = kb_path_of(o).parent_path();
    fs::path existing = dir;
    std::error_code ec;
    while (!existing.empty() && !fs::exists(existing, ec) && existing.has_relative_path())
        existing = existing.parent_path();
    if (::access(existing.empty() ? "." : existing.c_str(), W_OK | X_OK) == 0) return std::nullopt;
    const std::string why = std::error_code(errno, std::generic_category()).message();
    const std::string where = dir.empty() ? "." : dir.string();
    const std::string setting = o.kb_path_setting.empty() ? "kb.path (GUICHET_KB_PATH)" : "kb.path";
    return diagnostic{
        o.kb_path_setting.empty() ? where : o.kb_path_setting, 0, 0,
        (o.kb_path_setting.empty() ? "" : where + (fr ? " : " : ": ")) +
            (fr ? "le guichet ne peut pas écrire dans ce dossier, où il compile la base de "
                  "connaissances (knowledge.db) et, sauf si store.path dit ailleurs, garde les "
                  "conversations (state.db) : réglez " + setting + " sur un fichier d'un dossier "
                  "où il peut écrire (par exemple /var/lib/guichet/knowledge.db)"
                : "guichet may not write in this folder (" + why + "), where it compiles the "
                  "knowledge base (knowledge.db) and, unless store.path says otherwise, keeps the "
                  "conversations (state.db): set " + setting + " to a file in a folder it may "
                  "write in (e.g. /var/lib/guichet/knowledge.db)")};
}

std::filesystem::path last_good_dir(const site_options& o) {
    return kb_path_of(o).parent_path() / "last-good";
}

// The site a last-good copy was taken from, written in it ("origin"): two servers whose
// knowledge bases share a folder share the copy's place, and one served the other town's.
constexpr const char* origin_file = "origin";
std::string origin_of(const std::filesystem::path& root) {
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(root, ec);
    return (ec ? root : canonical).string();
}

}  // namespace

void site::keep_as_last_good(const site_options& o) {
    namespace fs = std::filesystem;
    const fs::path dir = last_good_dir(o), fresh = dir.string() + ".new", old = dir.string() + ".old";
    std::error_code ec;
    if (fs::equivalent(o.root, dir, ec)) return;  // the copy itself: nothing newer to keep
    fs::remove_all(fresh, ec);
    fs::create_directories(fresh, ec);
    for (const char* sub : {"intents", "knowledge"})
        if (!ec) fs::copy(o.root / sub, fresh / sub, fs::copy_options::recursive, ec);
    if (!ec) {
        const std::string origin = origin_of(o.root);
        std::ofstream(fresh / origin_file) << origin << '\n';
        // Another site's copy in its place: said, as the other server loses its fallback.
        std::ifstream was(dir / origin_file);
        std::string other;
        if (std::getline(was, other) && other != origin)
            log::warn("site", "the last-good copy in " + dir.string() + " was of another site (" +
                                  other + "): give each server its own kb.path folder");
    }
    if (!ec) {
        fs::remove_all(old, ec);
        if (fs::exists(dir)) fs::rename(dir, old, ec);
        if (!ec) fs::rename(fresh, dir, ec);
        std::error_code ignored;  // a leftover .old is replaced at the next copy
        fs::remove_all(old, ignored);
    }
    if (ec) log::warn("site", "could not keep a copy of the site in " + dir.string() + ": " + ec.message());
}

std::optional<site_options> site::last_good(const site_options& o) {
    const auto dir = last_good_dir(o);
    std::error_code ec;
    if (!std::filesystem::is_directory(dir / "intents", ec) ||
        !std::filesystem::is_directory(dir / "knowledge", ec))
        return std::nullopt;
    std::ifstream in(dir / origin_file);
    std::string origin;
    if (!std::getline(in, origin) || origin != origin_of(o.root)) {
        log::warn("site", "the copy in " + dir.string() + " is not of this site (" +
                              (origin.empty() ? std::string("its origin is not written") : origin) +
                              "): not served");
        return std::nullopt;
    }
    site_options copy = o;
    copy.kb_path = kb_path_of(o);  // the same knowledge base file, rebuilt from the copy
    copy.root = dir;
    return copy;
}

diagnostics site::check(const site_options& o, const plugin_host& plugins,
                        intents::site_intents* read, diagnostics* notices) {
    auto bo = kb_options(o);
    auto kb = kb::check((o.root / "knowledge").string(), bo);
    auto io = intent_options(o, plugins);
    io.known_services = {kb.services.begin(), kb.services.end()};
    io.min_examples = {{"fr", intents::guide_min_examples_fr}};
    io.min_tests = intents::guide_min_tests;
    intents::site_intents found;
    diagnostics all = intents::check_intents(o.root / "intents", io, &found);
    if (!found.intents.empty()) {
        std::vector<std::string> names;
        std::vector<std::pair<std::string, std::string>> phrases;
        for (const auto& in : found.intents) {
            names.push_back(in.name);
            for (const auto& [lang, part] : in.langs) {
                for (const auto& p : part.patterns) phrases.emplace_back(p, in.name);
                for (const auto& k : part.keywords) phrases.emplace_back(k, in.name);
                for (const auto& e : part.examples) phrases.emplace_back(e.text, in.name);
            }
        }
        kb::check_alert_intents(kb, names, phrases, bo);
        // "faq.asks": nothing said it, and every question the classifier did not know got
        // "not understood" instead of the FAQ's answer.
        // (Only when written: a site without an FAQ leaves the default unused.)
        if (!o.fallback_intent_setting.empty() && !o.fallback_intent.empty() &&
            std::find(names.begin(), names.end(), o.fallback_intent) == names.end()) {
            const std::string near = kb::closest(o.fallback_intent, names);
            kb.errors.push_back(
                {o.fallback_intent_setting, 0, 0,
                 "aucune intention '" + o.fallback_intent +
                     "' : c'est l'intention de secours (engine.fallback_intent), demandée quand "
                     "rien n'est compris ; sans elle, la FAQ ne répond plus à ces questions" +
                     (near.empty() ? "" : " (vouliez-vous dire '" + near + "' ?)")});
        }
    }
    kb::check_desk_place(kb, o.desk_place, o.desk_place_setting,
                         (o.root / "knowledge" / "places.yaml").string(), bo);
    // `serve` compiles the knowledge base there: it would not start.
    if (auto p = kb_folder_problem(o, true)) kb.errors.push_back(std::move(*p));
    all.insert(all.end(), kb.errors.begin(), kb.errors.end());
    all.insert(all.end(), kb.warnings.begin(), kb.warnings.end());
    if (notices) notices->insert(notices->end(), kb.notices.begin(), kb.notices.end());
    if (read) *read = std::move(found);
    return all;
}

std::shared_ptr<site> site::load(const site_options& o, const plugin_host& plugins,
                                 diagnostics& problems) {
    std::shared_ptr<site> s(new site());
    s->options_ = o;
    auto kb_file = kb_path_of(o);

    auto io = intent_options(o, plugins);
    diagnostics kb_problems;
    const auto unwritable = o.build_kb ? kb_folder_problem(o, false) : std::nullopt;
    if (unwritable) {
        kb_problems.push_back(*unwritable);
        // The services the intents' slots name, as from a build.
        const auto read = kb::check((o.root / "knowledge").string(), kb_options(o));
        io.known_services = {read.services.begin(), read.services.end()};
    } else if (o.build_kb) {
        std::error_code ec;
        std::filesystem::create_directories(kb_file.parent_path(), ec);
        auto built = kb::build((o.root / "knowledge").string(), kb_file.string(), kb_options(o));
        kb_problems = std::move(built.errors);
        for (const auto* list : {&built.warnings, &built.notices})
            for (const auto& w : *list) log::warn("site", w.str());
        io.known_services = {built.services.begin(), built.services.end()};
        if (built.ok())
            log::info("site", "knowledge base built in " +
                                  std::to_string(static_cast<int>(built.seconds * 1000)) +
                                  " ms: " + kb_file.string());
    }
    auto loaded = intents::load_intents(o.root / "intents", io);
    problems.insert(problems.end(), loaded.problems.begin(), loaded.problems.end());
    problems.insert(problems.end(), kb_problems.begin(), kb_problems.end());
    if (!problems.empty()) return nullptr;
    s->intents_ = std::move(loaded.value);

    try {
        s->kb_ = std::make_unique<kb_pool>(kb_file.string());
        std::vector<entities::gazetteer_entry> gaz;
        entities::options eo;
        s->kb_->with([&](kb::knowledge_base& kb) {
            for (auto& g : kb.gazetteer()) gaz.push_back({g.type, g.id, g.names});
            // The FAQ's questions teach the language guess the town's own words; they and its
            // answers, written with care, tell the gazetteer which words are no typos.
            kb.query("SELECT question, lang FROM faq_questions", {},
                     [&](const std::vector<std::string>&, const std::vector<kb::value>& v) {
                         if (auto* q = std::get_if<std::string>(&v[0]))
                             if (auto* l = std::get_if<std::string>(&v[1])) {
                                 s->language_words_.add(*q, *l);
                                 if (auto st = stems_of(*q, *l); !st.empty())
                                     s->faq_questions_.emplace(
                                         faq_question_key(*l, st, 0, st.size()), *q);
                                 eo.prose.push_back(*q);
                             }
                         return true;
                     });
            // The towns of the places' addresses: "la piscine de saint exemple" is the pool.
            kb.query("SELECT DISTINCT city FROM places WHERE city IS NOT NULL AND city != ''", {},
                     [&](const std::vector<std::string>&, const std::vector<kb::value>& v) {
                         if (auto* city = std::get_if<std::string>(&v[0])) eo.towns.push_back(*city);
                         return true;
                     });
            // The town's school holidays, for `SH` in places' hours.
            kb.query("SELECT first_day, last_day FROM school_holidays", {},
                     [&](const std::vector<std::string>&, const std::vector<kb::value>& v) {
                         auto* a = std::get_if<std::string>(&v[0]);
                         auto* b = std::get_if<std::string>(&v[1]);
                         auto first = a ? kb::day_number(*a) : std::nullopt;
                         auto last = b ? kb::day_number(*b) : std::nullopt;
                         if (first && last) s->school_holidays_.push_back({*first, *last});
                         return true;
                     });
            eo.school_holidays = s->school_holidays_;
            kb.query("SELECT answer_fr, answer_en FROM faq", {},
                     [&](const std::vector<std::string>&, const std::vector<kb::value>& v) {
                         for (auto& a : v)
                             if (auto* text = std::get_if<std::string>(&a))
                                 eo.prose.push_back(*text);
                         return true;
                     });
            return 0;
        });
        eo.time_zone = o.time_zone;
        eo.alsace_moselle = o.alsace_moselle;
        s->extractor_ = std::make_unique<entities::extractor>(std::move(gaz), eo);
    } catch (const std::exception& e) {
        problems.push_back({kb_file.string(), 0, 0, e.what()});
        return nullptr;
    }

    std::vector<nlu::example> examples;
    for (auto& in : s->intents_.intents)
        for (auto& [lang, part] : in.langs)
            for (auto& ex : part.examples) {
                s->language_words_.add(ex.text, lang);
                std::vector<std::pair<std::size_t, std::size_t>> streets;
                for (auto& e : ex.entities)
                    if (e.entity == "street") streets.emplace_back(e.begin, e.end);
                examples.push_back(
                    {entities::spans_as_word(ex.text, std::move(streets), street_word(lang)),
                     in.name, lang});
            }
    // Questions no town hall answers teach the classifier what "out of scope" looks like, so
    // that a small site without such examples of its own still says when it does not know.
    for (auto& ex : builtin_out_of_scope()) examples.push_back(ex);
    s->language_words_.keep_distinct();
    auto t0 = std::chrono::steady_clock::now();
    s->classifier_ = std::make_unique<nlu::classifier>(nlu::classifier::train(examples, {}, {}));
    for (auto& in : s->intents_.intents)
        for (auto& [lang, part] : in.langs) {
            for (auto& p : part.patterns) s->classifier_->add_pattern(p, in.name, lang);
            for (auto& k : part.keywords) s->classifier_->add_keyword(k, in.name, lang);
        }
    s->train_seconds_ =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (auto& in : s->intents_.intents)
        for (auto& [lang, part] : in.langs) {
            auto& known = s->example_words_[{in.name, lang}];
            for (auto& ex : part.examples)
                for (auto& w : nlu::words(ex.text, lang)) known.insert(std::move(w));
        }
    for (auto& [key, words] : s->example_words_)
        for (auto& w : words) ++s->intents_with_word_[{key.second, w}];
    log::info("site", "trained on " + std::to_string(examples.size()) + " examples of " +
                          std::to_string(s->intents_.intents.size()) + " intents in " +
                          std::to_string(static_cast<int>(s->train_seconds_ * 1000)) +
                          " ms (temperature " + std::to_string(s->classifier_->temperature()) +
                          ", out-of-scope below " +
                          std::to_string(s->classifier_->oos_threshold()) + ")");
    return s;
}

nlu::classification site::classify(const std::string& text, const std::string& lang,
                                   const std::vector<entities::entity>& found) const {
    // "bonjour, il y a un trou dans ma rue" asks what follows its greeting (the greeting
    // outweighed the report), when that is understood; a greeting alone stays one, and so does
    // "hi, I need some info".
    std::vector<std::pair<std::size_t, std::size_t>> streets;
    for (auto& e : found)
        if (e.type == "street") streets.emplace_back(e.begin, e.end);
    // (Whether there are streets is read before they are handed over.)
    const bool named_streets = !streets.empty();
    const std::string spans =
        named_streets ? entities::spans_as_word(text, std::move(streets), street_word(lang))
                      : std::string();
    const std::string_view whole = named_streets ? std::string_view(spans) : std::string_view(text);
    const std::string_view asked = nlu::after_greeting(whole);
    if (asked.size() != whole.size())
        if (auto c = classifier_->classify(asked, lang); !c.out_of_scope) return c;
    return classifier_->classify(whole, lang);
}

namespace {

// A word none of an intent's examples has, of three letters or more. Words that only say where
// something is ("à côté du gymnase", "near the school") are nobody's: the places are the slots'.
template <typename Known>
bool foreign(const Known& known, const std::string& w) {
    static constexpr std::string_view where[] = {
        "pres", "cote", "devant",  "derriere", "face",     "autour", "proche",
        "near", "next", "outside", "behind",   "opposite", "beside", "front",
        "suis", "trouve", "am", "im"};  // where one is: "je suis à la gare", "I'm at the station"
    return w.size() >= 3 && !known.count(w) &&
           std::find(std::begin(where), std::end(where), w) == std::end(where);
}

}  // namespace

std::string site::without_slot_entities(const std::string& intent, const std::string& lang,
                                        const std::string& text,
                                        const std::vector<entities::entity>& found) const {
    // The entities the intent's slots take are the slots' business; the others ("this weekend"
    // said to the bot's "what can you do") are words like any.
    const auto* in = intents_.find(intent);
    auto part = in ? in->langs.find(lang) : decltype(in->langs.end()){};
    if (!in || part == in->langs.end()) return entities::without_entities(text, found);
    // An urgent intent takes no slot, yet a street or a place said with it is where the
    // emergency is ("une voiture brûle rue du Stade"), no other subject.
    auto says_where = [&](const entities::entity& e) {
        return in->urgent &&
               (e.type == "street" || e.type == "service" || e.type == "place_category");
    };
    std::vector<entities::entity> taken;
    for (auto& e : found) {
        if (says_where(e)) {
            taken.push_back(e);
            continue;
        }
        for (auto& [name, spec] : part->second.slots)
            if (spec.takes(e.type)) {
                taken.push_back(e);
                break;
            }
    }
    return entities::without_entities(text, taken);
}

template <typename Test>
bool site::any_word(const std::string& intent, const std::string& lang, const std::string& text,
                    const std::vector<entities::entity>& found, Test test) const {
    auto known = example_words_.find({intent, lang});
    if (known == example_words_.end()) return false;
    for (auto& w : nlu::words(without_slot_entities(intent, lang, text, found), lang))
        if (test(known->second, w)) return true;
    return false;
}

bool site::has_word_foreign_to(const std::string& intent, const std::string& lang,
                               const std::string& text, const std::vector<entities::entity>& found,
                               bool strict) const {
    // "je veux signaler un dépôt sauvage": a word of several other intents' examples ("veux",
    // "want"), or a greeting or thanks, asks or greets; it names no other subject.
    static constexpr std::string_view polite[] = {"bonjour", "bonsoir", "salut",  "coucou",
                                                  "merci",   "svp",     "stp",    "hello",
                                                  "hi",      "thanks",  "please", "thank"};
    return any_word(intent, lang, text, found, [&](const auto& known, const std::string& w) {
        if (!foreign(known, w)) return false;
        if (strict) return true;
        if (std::find(std::begin(polite), std::end(polite), w) != std::end(polite)) return false;
        auto n = intents_with_word_.find({lang, w});
        return n == intents_with_word_.end() || n->second < asking_word_intents;
    });
}

bool site::has_word_of(const std::string& intent, const std::string& lang, const std::string& text,
                       const std::vector<entities::entity>& found) const {
    // Asking when, how or who tells the kind of question, not its subject; a person's pronoun
    // or how much says of whom or how much, not what ("il avait une concession, elle est
    // expirée", "on n'a pas beaucoup d'argent" have no word of the emergency numbers, whose
    // examples say "elle saigne", "saigne beaucoup"). So does a parent named: "mon père est
    // décédé", "my dad passed away" is a bereavement, not a danger seen, though the emergency
    // numbers' examples say "mon père ne se réveille plus" (their own words say the danger).
    static constexpr std::string_view asking[] = {
        "quand",  "comment", "pourquoi", "quel",   "quelle", "quels",  "quelles",  "qui",
        "quoi",   "when",    "where",    "what",   "how",    "why",    "which",    "who",
        "elle",   "elles",   "ils",      "lui",    "eux",    "she",    "her",      "him",
        "they",   "them",    "beaucoup", "much",   "many",   "tres",   "très",     "very",
        "pere",   "père",    "mere",     "mère",   "papa",   "maman",  "father",   "mother",
        "dad",    "daddy",   "mum",      "mom",    "parent", "parents"};
    return any_word(intent, lang, text, found, [&](const auto& known, const std::string& w) {
        if (w.size() < 3 || !known.count(w) ||
            std::find(std::begin(asking), std::end(asking), w) != std::end(asking))
            return false;
        auto n = intents_with_word_.find({lang, w});
        return n == intents_with_word_.end() || n->second <= common_word_intents;
    });
}

std::string site::faq_question_in(const std::string& text, const std::string& lang) const {
    const std::vector<std::string> stems = stems_of(text, lang);
    const std::string* found = nullptr;
    auto said = [&](std::size_t from, std::size_t n) {
        auto it = faq_questions_.find(faq_question_key(lang, stems, from, n));
        if (it != faq_questions_.end()) found = &it->second;
        return found != nullptr;
    };
    if (stems.empty() || said(0, stems.size())) return found ? *found : std::string();
    for (std::size_t n = stems.size() - 1; n >= faq_question_within; --n)  // the longest first
        for (std::size_t from = 0; from + n <= stems.size(); ++from)
            if (said(from, n)) return *found;
    return {};
}

std::vector<std::string> site::words_foreign_to(const std::string& intent, const std::string& lang,
                                                const std::string& text,
                                                const std::vector<entities::entity>& found) const {
    std::vector<std::string> out;
    auto known = example_words_.find({intent, lang});
    if (known == example_words_.end()) return out;
    for (std::string token :
         nlu::words_as_written(without_slot_entities(intent, lang, text, found))) {
        if (auto q = token.find_last_of("'\u2019"); q != std::string::npos) token.erase(0, q + 1);
        for (auto& w : nlu::words(token, lang))
            if (foreign(known->second, w)) {
                out.push_back(token);
                break;
            }
    }
    return out;
}

// Rows go to the plugin as texts (numbers as std::to_string writes them, NULL as a null
// pointer); deterministic results are kept (kb_results.h) and replayed the same way.
bool site::kb_query(const std::string& sql, const std::vector<std::string>& params,
                    guichet_row_callback row, void* user, std::string& error) {
    auto& cache = kb_->results();
    const std::string key = kb_results::key(sql, params);
    std::vector<const char*> ptrs, names;
    auto deliver = [&](const std::vector<std::string>& cols,
                       const std::vector<std::optional<std::string>>& texts) {
        ptrs.assign(texts.size(), nullptr);
        names.assign(cols.size(), nullptr);
        for (std::size_t i = 0; i < texts.size(); ++i) {
            names[i] = cols[i].c_str();
            if (texts[i]) ptrs[i] = texts[i]->c_str();
        }
        return row(user, static_cast<int>(texts.size()), ptrs.data(), names.data()) == 0;
    };
    std::size_t delivered = 0;  // rows already handed to the plugin from memory
    if (auto hit = cache.find(key)) {
        bool wants_more = true;
        for (auto& r : hit->rows) {
            ++delivered;
            if (!(wants_more = deliver(hit->columns, r))) break;
        }
        if (!wants_more || hit->complete) return true;
        // The plugin wants rows past those kept: run the statement again; its first rows are
        // the ones just delivered (the statement is deterministic), so they are skipped.
    }
    std::vector<kb::value> values(params.begin(), params.end());
    try {
        // What may be kept: given up (and freed) once past the bound of a kept result, so a
        // large result is not copied whole for nothing.
        kb_result kept;
        std::size_t kept_bytes = 0, seen = 0;
        bool keeping = true;
        auto st = kb_->with([&](kb::knowledge_base& kb) {
            std::vector<std::optional<std::string>> texts;
            return kb.query(sql, values, [&](const std::vector<std::string>& cols,
                                             const std::vector<kb::value>& vals) {
                texts.assign(vals.size(), std::nullopt);
                for (std::size_t i = 0; i < vals.size(); ++i)
                    std::visit(
                        [&](auto&& v) {
                            using T = std::decay_t<decltype(v)>;
                            if constexpr (std::is_same_v<T, std::string>) texts[i] = v;
                            else if constexpr (!std::is_same_v<T, std::nullptr_t>)
                                texts[i] = std::to_string(v);
                        },
                        vals[i]);
                if (keeping) {
                    kept_bytes += kb_result::row_bytes(texts);
                    if (kept_bytes > cache.max_entry_bytes()) {
                        keeping = false;
                        kept = {};
                    } else {
                        if (kept.columns.empty()) kept.columns = cols;
                        kept.rows.push_back(texts);
                    }
                }
                if (++seen <= delivered) return true;
                return deliver(cols, texts);
            });
        });
        if (!st.ok) {
            error = st.error;
            return false;
        }
        if (st.deterministic && keeping) {
            kept.complete = st.complete;
            cache.put(key, std::move(kept));
        }
        return true;
    } catch (const std::exception& e) {
        error = e.what();
        return false;
    }
}

bool site::hours_intervals(const std::string& expression, std::int64_t from, std::int64_t to,
                           guichet_interval_callback cb, void* user, std::string& error) {
    // Parsing is cheap next to a turn, but the same few expressions come back all day.
    static std::mutex mutex;
    static std::unordered_map<std::string, hours::schedule> cache;
    std::optional<hours::schedule> sched;
    {
        std::lock_guard lock(mutex);
        if (auto it = cache.find(expression); it != cache.end()) sched = it->second;
    }
    if (!sched) {
        auto r = hours::parse(expression);
        if (!r.ok()) {
            error = hours::render_error(expression, r.error(), "en");
            return false;
        }
        sched = r.value();
        std::lock_guard lock(mutex);
        if (cache.size() > 4096) cache.clear();
        cache.emplace(expression, *sched);
    }
    hours::eval_context ctx{options_.time_zone, options_.alsace_moselle, school_holidays_};
    for (auto& i : hours::intervals(*sched, from, to, ctx))
        if (cb(user, i.start, i.end, i.unknown ? 1 : 0, i.comment ? i.comment->c_str() : nullptr))
            break;
    return true;
}

std::optional<std::string> site::holiday_name(std::int64_t at, const std::string& locale) {
    auto iso = hours::format_local_iso(at, options_.time_zone);  // "2026-04-06T…"
    if (iso.size() < 10) return std::nullopt;
    std::chrono::year_month_day d{std::chrono::year(std::stoi(iso.substr(0, 4))),
                                  std::chrono::month(std::stoi(iso.substr(5, 2))),
                                  std::chrono::day(std::stoi(iso.substr(8, 2)))};
    auto h = hours::french_holiday_on(d, options_.alsace_moselle);
    if (!h) return std::nullopt;
    return std::string(locale == "en" ? h->name_en : h->name_fr);
}

namespace {
constexpr std::size_t formatted_texts_max = 4096;  // per thread
}  // namespace

std::string site::format_time(std::int64_t at, const std::string& skeleton,
                              const std::string& locale) {
    // One formatter per thread, language, skeleton and zone: ICU formatters are not
    // thread-safe to share and costly to create.
    thread_local std::unordered_map<std::string, std::unique_ptr<icu::SimpleDateFormat>> cache;
    bool fr = locale != "en";
    std::string effective = skeleton;
    bool french_clock = skeleton == "Hm" && fr;
    if (french_clock) {
        // French typography: "8 h 30", and "9 h" for the hour itself (" 00" cut below, once
        // formatted in the site's zone: the Marquesas are 9 h 30 from UTC).
        effective = "fr:H 'h' mm";
    } else if (skeleton == "Hm") {
        effective = "en:H:mm";
    }
    std::string key = locale + '|' + effective + '|' + options_.time_zone;
    // The same few instants come back all day ("9 h", "samedi 28 novembre"): the texts of the
    // last ones are kept, per thread.
    thread_local lru_map<std::string> texts(formatted_texts_max);
    std::string text_key = key + '|' + std::to_string(at);
    if (auto* known = texts.find(text_key)) return *known;
    auto& fmt = cache[key];
    UErrorCode st = U_ZERO_ERROR;
    if (!fmt) {
        icu::Locale loc(fr ? "fr_FR" : "en_GB");
        icu::UnicodeString pattern;
        if (effective.rfind("fr:", 0) == 0 || effective.rfind("en:", 0) == 0) {
            pattern = icu::UnicodeString::fromUTF8(effective.substr(3));
        } else {
            std::unique_ptr<icu::DateTimePatternGenerator> gen(
                icu::DateTimePatternGenerator::createInstance(loc, st));
            if (U_FAILURE(st)) return std::to_string(at);
            pattern = gen->getBestPattern(icu::UnicodeString::fromUTF8(skeleton), st);
        }
        fmt = std::make_unique<icu::SimpleDateFormat>(pattern, loc, st);
        if (U_FAILURE(st)) {
            fmt.reset();
            return std::to_string(at);
        }
        fmt->adoptTimeZone(
            icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(options_.time_zone)));
    }
    icu::UnicodeString out;
    fmt->format(static_cast<UDate>(at) * 1000.0, out);
    std::string s;
    out.toUTF8String(s);
    if (french_clock && s.ends_with(" 00")) s.resize(s.size() - 3);
    texts.put(text_key, s);
    return s;
}

}  // namespace guichet
