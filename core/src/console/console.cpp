// Terminal chat over the same router as every other channel.
#include "console/console.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/use_future.hpp>
#include <thread>

#include "app/app.h"

namespace asio = boost::asio;

namespace guichet {

int run_console(app& a, const std::string& locale, std::istream& in, std::ostream& out) {
    auto work = asio::make_work_guard(a.io);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < std::max<std::size_t>(1, a.threads); ++i)
        threads.emplace_back([&] { a.io.run(); });
    bool en = locale == "en";
    out << (en ? "Town hall assistant — type your question (/quit to leave).\n"
               : "Assistant de la mairie — posez votre question (/quit pour quitter).\n");
    std::vector<button> buttons;
    std::string line;
    while (out << "> " << std::flush, std::getline(in, line)) {
        if (line == "/quit" || line == "/q") break;
        if (line.empty()) continue;
        message m;
        m.channel = "console";
        m.conversation_id = "console";
        m.user_id = "console";
        m.locale = locale;
        // A number presses the button of the last answer with that number.
        std::size_t n = 0;
        if (line.find_first_not_of("0123456789") == std::string::npos && line.size() < 4)
            n = std::stoul(line);
        if (n >= 1 && n <= buttons.size())
            m.payload = buttons[n - 1].payload;
        else
            m.text = line;
        auto fut = a.router->async_submit(m, asio::use_future);
        turn_result r;
        try {
            r = fut.get();
        } catch (const std::exception& e) {
            out << "! " << e.what() << '\n';
            continue;
        }
        buttons.clear();
        for (auto& rep : r.replies) {
            if (!rep.text.empty()) out << rep.text << '\n';
            for (auto& c : rep.cards) {
                if (rep.text_gives(c)) continue;
                out << "  • " << c.title;
                if (!c.subtitle.empty()) out << " — " << c.subtitle;
                if (!c.url.empty()) out << " <" << c.url << '>';
                out << '\n';
            }
            for (auto& l : rep.locations)
                out << "  📍 " << l.title << " https://www.openstreetmap.org/?mlat=" << l.lat
                    << "&mlon=" << l.lon << '\n';
            for (auto& b : rep.buttons) {
                buttons.push_back(b);
                out << "  [" << buttons.size() << "] " << b.title << '\n';
            }
        }
    }
    work.reset();
    a.io.stop();
    for (auto& t : threads) t.join();
    return 0;
}

}  // namespace guichet
