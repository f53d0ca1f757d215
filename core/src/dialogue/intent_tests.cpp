// Intent-file tests (classification plus slot values) and conversation tests (several turns
// through a private engine with a fixed clock and location), one report line per failure.
#include "dialogue/intent_tests.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>
#include <variant>

#include "common/utf8.h"
#include "dialogue/ranking.h"
#include "hours/opening_hours.h"
#include "intents/yaml_context.h"

namespace asio = boost::asio;

namespace guichet {

intent_test_report run_intent_tests(const engine& e, const site& s, std::int64_t now) {
    intent_test_report report;
    for (auto& in : s.intents().intents)
        for (auto& [lang, part] : in.langs)
            for (auto& t : part.tests) {
                auto u = e.understand(s, t.say, lang, now);
                std::string got = u.intent.empty() ? std::string(intents::out_of_scope) : u.intent;
                if (u.ambiguous && u.ranked.size() >= 2)
                    got = "ambigu entre / ambiguous between " + u.ranked[0].intent + " & " + u.ranked[1].intent;
                std::string expected = t.expect_intent;
                bool ok = got == expected;
                std::string slot_problem;
                if (ok)
                    for (auto& [name, value] : t.expect_slots) {
                        auto it = u.slots.find(name);
                        std::string actual = it == u.slots.end() ? "(aucun / none)" : it->second;
                        if (actual != value) {
                            slot_problem += " slot " + name + "=" + actual + " (attendu / expected " + value + ")";
                            ok = false;
                        }
                    }
                if (ok) {
                    ++report.passed;
                    continue;
                }
                char conf[32];
                std::snprintf(conf, sizeof conf, "%.2f", u.confidence);
                std::ostringstream why;
                if (slot_problem.empty()) print_ranking(u, s, t.say, lang, "    ", why);
                report.failures.push_back(
                    {t.file, t.line, lang, t.say, expected,
                     slot_problem.empty() ? got + " (confiance / confidence " + conf + ")"
                                          : got + "," + slot_problem,
                     why.str()});
            }
    return report;
}

namespace {

int line_of(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }
int column_of(const YAML::Node& n) { return n.Mark().column >= 0 ? n.Mark().column + 1 : 0; }

struct bad_test : std::runtime_error {
    bad_test(const YAML::Node& n, const std::string& what)
        : std::runtime_error(what), line(line_of(n)), column(column_of(n)) {}
    int line, column;
};

// Every key of `map` is one of `allowed`; else "unknown key 'turn' (did you mean 'turns'?)",
// or the keys expected when none is close.
void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed) {
    for (auto kv : map) {
        const auto key = kv.first.as<std::string>();
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        auto hint = intents::detail::did_you_mean(key, allowed);
        throw bad_test(
            kv.first,
            "unknown key '" + key + "'" +
                (hint.empty() ? " (expected " + intents::detail::join(allowed) + ")" : hint));
    }
}

std::vector<std::string> strings_of(const YAML::Node& n) {
    std::vector<std::string> out;
    if (n.IsScalar()) {
        out.push_back(n.as<std::string>());
    } else if (n.IsSequence()) {
        for (YAML::Node item : n) {
            if (item.IsMap() && item["title"]) item = item["title"];
            if (!item.IsScalar()) throw bad_test(item, "expected a text");
            out.push_back(item.as<std::string>());
        }
    } else {
        throw bad_test(n, "expected a text or a list of texts");
    }
    return out;
}

// An expected intent that no intent file defines can never pass: said where it is written.
void check_intent(const YAML::Node& n, const conversation_checks& checks) {
    if (!checks.intents) return;
    const auto name = n.as<std::string>();
    // Besides the files' intents, the names the engine itself answers with (dialogue/engine.cpp).
    for (const char* own :
         {"fallback", "dialogue.cancel", "dialogue.language", "handoff.active", "handoff.agent",
          "handoff.released"})
        if (name == own) return;
    if (name == intents::out_of_scope || checks.intents->find(name)) return;
    std::vector<std::string> names;
    for (const auto& in : checks.intents->intents) names.push_back(in.name);
    throw bad_test(n, "test expects intent '" + name + "', which no file defines" +
                          intents::detail::did_you_mean(name, names));
}

std::vector<conversation_turn> turns_of(const YAML::Node& list, const conversation_checks& checks) {
    if (!list.IsSequence()) throw bad_test(list, "`turns:` must be a list of `- say: …`");
    std::vector<conversation_turn> turns;
    for (auto t : list) {
        if (!t.IsMap()) throw bad_test(t, "a turn is `- say: …` with `expect: {…}`");
        check_keys(t, {"say", "press", "share", "after", "expect"});
        conversation_turn turn;
        turn.line = line_of(t);
        for (auto kv : t) {
            auto key = kv.first.as<std::string>();
            if (key == "say") turn.say = kv.second.as<std::string>();
            else if (key == "press") turn.press = kv.second.as<std::string>();
            else if (key == "after") {
                // "2h", "30min", "1d", "45s": the time since the previous turn (10 s if unsaid).
                const std::string v = kv.second.as<std::string>();
                std::size_t used = 0;
                long long n = -1;
                try {
                    n = std::stoll(v, &used);
                } catch (const std::exception&) {
                }
                const std::string unit = v.substr(used);
                const long long scale = unit == "s" || unit.empty() ? 1
                                        : unit == "min"             ? 60
                                        : unit == "h"               ? 3600
                                        : unit == "d"               ? 86400
                                                                    : 0;
                if (n < 0 || scale == 0)
                    throw bad_test(kv.second, "after is a duration: 45s, 30min, 2h or 1d");
                turn.after = n * scale;
            } else if (key == "share") {
                auto n = kv.second;
                if (!n.IsMap() || !n["lat"] || !n["lon"])
                    throw bad_test(n, "share is {lat: …, lon: …}");
                turn.share = geo_point{n["lat"].as<double>(), n["lon"].as<double>()};
            } else if (key == "expect") {
                auto e = kv.second;
                if (e.IsScalar()) {
                    turn.intent = e.as<std::string>();
                    check_intent(e, checks);
                    continue;
                }
                if (!e.IsMap())
                    throw bad_test(
                        e, "`expect:` must be {intent, reply_contains, reply_excludes, buttons, replies}");
                check_keys(e, {"intent", "reply_contains", "reply_excludes", "buttons", "replies"});
                for (auto ekv : e) {
                    auto ek = ekv.first.as<std::string>();
                    if (ek == "intent") {
                        turn.intent = ekv.second.as<std::string>();
                        check_intent(ekv.second, checks);
                    } else if (ek == "reply_contains")
                        turn.reply_contains = strings_of(ekv.second);
                    else if (ek == "reply_excludes")
                        turn.reply_excludes = strings_of(ekv.second);
                    else if (ek == "buttons")
                        turn.buttons = strings_of(ekv.second);
                    else if (ek == "replies") {
                        const int n = ekv.second.IsScalar() ? ekv.second.as<int>(-1) : -1;
                        if (n < 0) throw bad_test(ekv.second, "`replies:` must be a number of replies");
                        turn.replies = n;
                    }
                }
            }
        }
        if (!turn.say.empty() + !turn.press.empty() + turn.share.has_value() != 1)
            throw bad_test(t, "a turn needs exactly one of `say:`, `press:` or `share:`");
        turns.push_back(std::move(turn));
    }
    return turns;
}

// `locale:` is one of the site's languages, or "" (none: the sentence says its language).
std::string locale_of(const YAML::Node& n, const conversation_checks& checks) {
    auto l = n.as<std::string>();
    if (l.empty() ||
        std::find(checks.languages.begin(), checks.languages.end(), l) != checks.languages.end())
        return l;
    throw bad_test(n, "locale '" + l + "' is not one of " +
                          intents::detail::join(checks.languages) + " (or \"\" for none)");
}

// `agents:` is how many agents are signed in: a whole number, 0 or more.
std::size_t agents_of(const YAML::Node& n) {
    const auto text = n.Scalar();
    if (!n.IsScalar() || text.empty() || text.size() > 4 ||
        !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
        throw bad_test(n, "agents is how many agents are signed in: 0, 1, 2…");
    return static_cast<std::size_t>(std::stoul(text));
}

void read_file(const std::filesystem::path& path, const std::string& text,
               const conversation_checks& checks, std::vector<conversation_test>& out) {
    YAML::Node doc = YAML::Load(text);
    if (!doc.IsMap()) throw bad_test(doc, "a conversation test file is a map with `turns:`");
    conversation_test base;
    base.file = path.string();
    base.name = path.stem().string();
    check_keys(doc, {"now", "locale", "location", "agents", "turns", "conversations", "description"});
    if (auto n = doc["now"]) base.now_text = n.as<std::string>();
    if (auto n = doc["agents"]) base.agents = agents_of(n);
    if (auto n = doc["locale"]) base.locale = locale_of(n, checks);
    if (auto n = doc["location"]) {
        if (!n.IsMap() || !n["lat"] || !n["lon"]) throw bad_test(n, "location is {lat: …, lon: …}");
        base.location = geo_point{n["lat"].as<double>(), n["lon"].as<double>()};
    }
    if (auto t = doc["turns"]) {
        base.line = line_of(t);
        base.turns = turns_of(t, checks);
        out.push_back(base);
    }
    if (auto cs = doc["conversations"]) {
        if (!cs.IsSequence()) throw bad_test(cs, "`conversations:` is a list of {name, turns}");
        for (auto c : cs) {
            if (!c.IsMap()) throw bad_test(c, "a conversation needs `turns:`");
            check_keys(c, {"name", "now", "locale", "agents", "turns"});
            if (!c["turns"]) throw bad_test(c, "a conversation needs `turns:`");
            conversation_test one = base;
            one.line = line_of(c);
            if (c["name"]) one.name = c["name"].as<std::string>();
            if (c["now"]) one.now_text = c["now"].as<std::string>();
            if (c["locale"]) one.locale = locale_of(c["locale"], checks);
            if (c["agents"]) one.agents = agents_of(c["agents"]);
            one.turns = turns_of(c["turns"], checks);
            out.push_back(std::move(one));
        }
    }
    if (!doc["turns"] && !doc["conversations"])
        throw bad_test(doc, "no `turns:` and no `conversations:` in this file");
}

std::string lower_ascii(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string describe(const turn_result& r) {
    std::string got = r.fallback ? "fallback" : r.intent.empty() ? "out_of_scope" : r.intent;
    if (!r.fallback && !r.intent.empty()) {
        char conf[32];
        std::snprintf(conf, sizeof conf, " (confiance / confidence %.2f)", r.confidence);
        got += conf;
    }
    for (auto& rep : r.replies) {
        if (!rep.text.empty()) got += "\n                        \"" + rep.text + "\"";  // under the "got" label's value
        for (auto& b : rep.buttons) got += "\n                        [" + b.title + "]";
    }
    return got;
}

// Whether the turn went to the intent it expects (or expects none). An intent's plugin that
// failed, refused, was late or said nothing sent the engine's fallback: that is not the intent
// answering, whatever the classifier chose.
bool intent_as_expected(const conversation_turn& t, const turn_result& r) {
    if (!t.intent) return true;
    return *t.intent == "fallback"       ? r.fallback
           : *t.intent == "out_of_scope" ? r.intent.empty()
                                         : r.intent == *t.intent && !r.fallback;
}

// Empty when the turn's result matches what was expected; otherwise what was expected.
std::string check_turn(const conversation_turn& t, const turn_result& r) {
    std::string problems;
    if (!intent_as_expected(t, r)) problems += "intention / intent " + *t.intent + "; ";
    std::string all_text, all_buttons;
    for (auto& rep : r.replies) {
        all_text += rep.text + '\n';
        for (auto& c : rep.cards) all_text += c.title + ' ' + c.subtitle + '\n';
        for (auto& b : rep.buttons) all_buttons += '\x1f' + lower_ascii(b.title) + '\x1f';
    }
    all_text = lower_ascii(all_text);
    for (auto& want : t.reply_contains)
        if (all_text.find(lower_ascii(want)) == std::string::npos)
            problems += "une réponse contenant / a reply containing « " + want + " »; ";
    for (auto& unwanted : t.reply_excludes)  // nor a button's title ("urgence" beside the wifi)
        if (all_text.find(lower_ascii(unwanted)) != std::string::npos ||
            all_buttons.find(lower_ascii(unwanted)) != std::string::npos)
            problems += "aucune réponse contenant / no reply containing « " + unwanted + " »; ";
    for (auto& want : t.buttons)
        if (all_buttons.find('\x1f' + lower_ascii(want) + '\x1f') == std::string::npos)
            problems += "un bouton / a button [" + want + "]; ";
    if (t.replies && r.replies.size() != static_cast<std::size_t>(*t.replies))
        problems += std::to_string(*t.replies) + " réponses / replies (obtenu / got " +
                    std::to_string(r.replies.size()) + "); ";
    if (!problems.empty()) problems.resize(problems.size() - 2);
    return problems;
}

}  // namespace

std::vector<conversation_test> load_conversation_tests(const std::filesystem::path& root,
                                                       diagnostics& problems,
                                                       const conversation_checks& checks) {
    std::vector<conversation_test> out;
    auto dir = root / "tests";
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return out;
    std::vector<std::filesystem::path> files;
    // <site>/tests may also hold other tests' fixtures (whole sites, broken files on purpose):
    // those folders are skipped.
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        auto name = it->path().filename().string();
        std::error_code e2;
        if (it->is_directory(e2)) {
            if (name == "fixtures" || name == "site" || name == "data" || name == "node_modules" ||
                std::filesystem::is_directory(it->path() / "intents", e2))
                it.disable_recursion_pending();
            continue;
        }
        auto ext = it->path().extension();
        if (it->is_regular_file(e2) && (ext == ".yaml" || ext == ".yml"))
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (auto bad = invalid_utf8(f.string(), text, false)) {
            problems.push_back(std::move(*bad));
            continue;
        }
        if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
        try {
            // An intent file kept beside the conversations is not one of them.
            if (auto doc = YAML::Load(text); doc.IsMap() && (doc["intent"] || doc["intents"]))
                continue;
            read_file(f, text, checks, out);
        } catch (const bad_test& e) {
            problems.push_back({f.string(), e.line, e.column, e.what()});
        } catch (const YAML::Exception& e) {
            problems.push_back({f.string(), e.mark.line >= 0 ? e.mark.line + 1 : 0,
                                e.mark.column >= 0 ? e.mark.column + 1 : 0, e.msg});
        }
    }
    return out;
}

void run_conversation_tests(plugin_host& plugins, std::shared_ptr<site> s,
                            const engine_options& options, std::int64_t default_now,
                            const std::vector<conversation_test>& tests,
                            intent_test_report& report) {
    int n = 0;
    for (auto& test : tests) {
        std::int64_t now = default_now;
        if (!test.now_text.empty()) {
            auto t = hours::parse_local_iso(test.now_text, s->options().time_zone);
            if (!t) {
                report.failures.push_back({test.file, test.line, test.name, "now: " + test.now_text,
                                           "a local date-time like 2026-12-02T10:00:00",
                                           "cannot read it"});
                continue;
            }
            now = *t;
        }
        // A fresh engine per conversation: its context starts empty and the live one is untouched.
        engine private_engine(plugins, s, options);
        private_engine.set_agents_signed_in([n = test.agents] { return n; });
        asio::io_context io;
        std::vector<turn_result> results;
        std::vector<std::int64_t> clocks;  // each turn's
        std::string error;
        const std::string conversation_id = "test-" + std::to_string(++n);
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                std::int64_t clock = now;
                bool first = true;
                for (auto& turn : test.turns) {
                    if (!first) clock += turn.after;
                    first = false;
                    message m;
                    m.channel = "test";
                    m.conversation_id = conversation_id;
                    m.user_id = "test";
                    m.text = turn.say;
                    m.payload = turn.press;
                    m.locale = test.locale;
                    m.location = turn.share ? turn.share : test.location;
                    m.now = clock;
                    clocks.push_back(clock);
                    results.push_back(co_await private_engine.handle(std::move(m)));
                }
            },
            [&](std::exception_ptr e) {
                if (!e) return;
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& ex) {
                    error = ex.what();
                }
            });
        io.run();
        for (std::size_t i = 0; i < test.turns.size(); ++i) {
            auto& turn = test.turns[i];
            std::string said = !turn.say.empty() ? turn.say
                               : turn.share ? "(share) " + std::to_string(turn.share->lat) + ", " +
                                                  std::to_string(turn.share->lon)
                                            : "(press) " + turn.press;
            if (i >= results.size()) {
                report.failures.push_back({test.file, turn.line, test.name, said, "an answer",
                                           "no answer: " + (error.empty() ? "stopped" : error)});
                break;
            }
            auto expected = check_turn(turn, results[i]);
            if (expected.empty()) {
                ++report.passed;
                continue;
            }
            // Sent elsewhere: what the classifier makes of the sentence, in the language answered.
            std::ostringstream why;
            if (!intent_as_expected(turn, results[i]) && !turn.say.empty()) {
                const auto& lang = results[i].locale.empty() ? s->options().languages.front()
                                                             : results[i].locale;
                print_ranking(private_engine.understand(*s, turn.say, lang, clocks[i]), *s,
                              turn.say, lang, "    ", why);
            }
            report.failures.push_back({test.file, turn.line, test.name, said, expected,
                                       describe(results[i]), why.str()});
        }
    }
}

void run_faq_questions(plugin_host& plugins, std::shared_ptr<site> s, const engine_options& options,
                       std::int64_t now, intent_test_report& report) {
    std::vector<faq_elsewhere> asked;
    s->kb().with([&](kb::knowledge_base& kb) {
        kb.query(
            "SELECT faq_id, lang, question FROM faq_questions ORDER BY faq_id, lang", {},
            [&](const std::vector<std::string>&, const std::vector<kb::value>& v) {
                faq_elsewhere q;
                for (auto [field, i] : {std::pair{&q.entry, 0}, {&q.lang, 1}, {&q.question, 2}})
                    if (auto* text = std::get_if<std::string>(&v[i])) *field = *text;
                asked.push_back(std::move(q));
                return true;
            });
        return 0;
    });
    engine private_engine(plugins, s, options);
    asio::io_context io;
    std::size_t n = 0;  // asked so far (a turn that throws stops the count short)
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            for (auto& q : asked) {
                message m;
                m.channel = "test";
                m.conversation_id = "faq-" + std::to_string(n + 1);  // each in a new conversation
                m.user_id = "test";
                m.text = q.question;
                m.locale = q.lang;
                m.now = now;
                auto r = co_await private_engine.handle(std::move(m));
                ++n;
                if (r.intent != options.fallback_intent || r.fallback || r.unanswered) {
                    q.got = r.intent.empty() ? "pas comprise / not understood" : r.intent;
                    if (r.intent == options.fallback_intent)
                        q.got += " (pas de réponse sûre / no sure answer)";
                    report.faq_answered_elsewhere.push_back(q);
                }
            }
        },
        asio::detached);
    io.run();
    report.faq_questions += n;
}

intent_test_report run_site_tests(plugin_host& plugins, std::shared_ptr<site> s,
                                  const engine_options& options, std::int64_t now) {
    engine e(plugins, s, options);
    auto report = run_intent_tests(e, *s, now);
    diagnostics problems;
    conversation_checks checks;
    checks.intents = &s->intents();
    checks.languages = s->options().languages;
    auto tests = load_conversation_tests(s->options().root, problems, checks);
    for (auto& p : problems)
        report.failures.push_back({.file = p.file, .line = p.line, .problem = p.str()});
    run_conversation_tests(plugins, s, options, now, tests, report);
    return report;
}

void print_report(const intent_test_report& r, std::ostream& out) {
    // The labels in French, then English, as `guichet explain` and the classifier's lines below.
    for (auto& f : r.failures)
        if (!f.problem.empty())
            out << f.problem << "\n";
        else
            out << f.file << ':' << f.line << ": [" << f.lang << "] \"" << f.said << "\"\n"
                << "    attendu / expected: " << f.expected << "\n"
                << "    obtenu / got:       " << f.got << "\n"
                << f.why;
    if (r.faq_questions > 0) {
        const auto got = r.faq_questions - r.faq_answered_elsewhere.size();
        out << "FAQ : " << got << " questions sur " << r.faq_questions
            << ", posées telles qu'écrites, ont la réponse de leur fiche / " << got << " of "
            << r.faq_questions << " questions, typed as written, get their FAQ answer";
        if (!r.faq_answered_elsewhere.empty())
            out << " ;\n  celles-ci ont une autre réponse (juste si elle agit : la rue demandée "
                   "pour les poubelles, un signalement ouvert) / these get another answer (right "
                   "when it acts: a street asked for the bins' days, a report opened):";
        out << "\n";
        for (auto& q : r.faq_answered_elsewhere)
            out << "  " << q.entry << " [" << q.lang << "] \"" << q.question << "\" -> " << q.got
                << "\n";
    }
    out << r.passed << " réussi(s) / passed, " << r.failures.size() << " échoué(s) / failed\n";
}

}  // namespace guichet
