// `guichet explain`: why the bot answers a message as it does, for the staff who write intents
// and knowledge: the language guessed, the names and dates found, the intents the classifier
// ranks (with the site's out-of-scope threshold) and the examples nearest to the text
// (dialogue/ranking.h, shown under a failure of `guichet test` too), what understanding keeps
// of them (slots, the missing one, words foreign to the chosen intent's examples), and then
// the answer itself, given by the same router as every channel in a conversation of its own.
#include "console/explain.h"

#include <cstdio>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/use_future.hpp>
#include <iomanip>
#include <thread>

#include "app/app.h"
#include "dialogue/ranking.h"
#include "hours/opening_hours.h"
#include "nlu/language.h"

namespace asio = boost::asio;

namespace guichet {

int run_explain(app& a, const std::vector<std::string>& texts, const std::string& locale,
                std::int64_t now, std::ostream& out) {
    // What is explained is not kept: the site's conversations and reports stay as they were.
    a.engine->set_store(nullptr);
    auto s = a.engine->current_site();
    auto work = asio::make_work_guard(a.io);
    std::thread runner([&] { a.io.run(); });
    out << std::fixed << std::setprecision(2);
    int n = 0;
    for (const std::string& text : texts) {
        ++n;
        out << "« " << text << " »\n";
        std::string lang = locale;
        if (lang.empty()) {
            message m;  // as the engine reads a first message (the town's names tell nothing)
            m.text = text;
            bool told = true;
            lang = a.engine->pick_locale(*s, m, {}, &told);
            out << "  langue / language: " << lang
                << (told ? ""
                         : " (rien ne la distingue : la première du site / nothing tells: "
                           "the site's first)")
                << '\n';
        } else {
            out << "  langue / language: " << lang << " (--locale)\n";
        }
        understanding u = a.engine->understand(*s, text, lang, now);
        for (auto& e : u.entities) {
            out << "  entité / entity: " << e.type << " = " << e.value << "  « " << e.text << " »";
            if (e.type == "datetime")
                out << "  [" << hours::format_local_iso(e.start, s->options().time_zone) << ", "
                    << hours::format_local_iso(e.stop, s->options().time_zone) << ") " << e.grain;
            if (e.score < 1) out << "  (" << e.score << ")";
            out << '\n';
        }
        print_ranking(u, *s, text, lang, "  ", out);
        if (u.ambiguous)
            out << "  compris / understood: ambigu entre les deux premières / torn between the "
                   "first two\n";
        else if (u.intent.empty())
            out << "  compris / understood: rien (hors sujet) / nothing (out of scope)\n";
        else
            out << "  compris / understood: " << u.intent << " (" << u.confidence << ")"
                << (u.guessed ? "" : " — motif ou mot-clé / pattern or keyword") << '\n';
        for (auto& [k, v] : u.slots)
            if (k.find('.') == std::string::npos) out << "    " << k << " = " << v << '\n';
        if (!u.missing_slot.empty()) out << "    manque / missing: " << u.missing_slot << '\n';
        if (!u.intent.empty()) {
            auto foreign = s->words_foreign_to(u.intent, lang, text, u.entities);
            if (!foreign.empty()) {
                out << "    mots absents de ses exemples / words none of its examples has:";
                for (auto& w : foreign) out << ' ' << w;
                out << '\n';
            }
        }
        // The answer, through the router as from any channel, in a conversation of its own.
        message m;
        m.channel = "explain";
        m.conversation_id = "explain-" + std::to_string(n);
        m.user_id = m.conversation_id;
        m.locale = locale;
        m.text = text;
        m.now = now;
        try {
            turn_result r = a.router->async_submit(m, asio::use_future).get();
            out << "  réponse / answer (" << (r.intent.empty() ? "-" : r.intent) << "):\n";
            for (auto& rep : r.replies) {
                if (!rep.text.empty()) out << "    " << rep.text << '\n';
                for (auto& b : rep.buttons) out << "    [" << b.title << "]\n";
                // What the widget and the messaging apps show besides the text.
                for (auto& c : rep.cards)
                    out << "    carte / card: " << c.title << (c.subtitle.empty() ? "" : " — ")
                        << c.subtitle << (c.url.empty() ? "" : " <" + c.url + ">") << '\n';
                for (auto& l : rep.locations) {
                    char at[64];
                    std::snprintf(at, sizeof at, " (%.5f, %.5f)", l.lat, l.lon);
                    out << "    lieu / location: " << l.title << at << '\n';
                }
            }
        } catch (const std::exception& e) {
            out << "  réponse / answer: ! " << e.what() << '\n';
        }
        out << '\n';
    }
    work.reset();
    a.io.stop();
    runner.join();
    return 0;
}

}  // namespace guichet
