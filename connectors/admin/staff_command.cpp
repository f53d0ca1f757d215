// The `guichet staff` command (see staff_command.h).
#include "admin/staff_command.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "admin/accounts.h"
#include "app/shipped_files.h"
#include "config/config.h"

namespace guichet::admin {

int run_staff_command(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                      std::ostream& err, const std::string& default_site) {
    const char* usage =
        "guichet staff add NAME --role editor|agent|admin [--shown-as TEXT]\n"
        "      (password: GUICHET_STAFF_PASSWORD or stdin; --shown-as: the name citizens see\n"
        "       above the agent's replies, e.g. \"Marie\"; none: \"Agent de la mairie\")\n"
        "guichet staff shown-as NAME TEXT   (\"\" for none)\n"
        "guichet staff list\n"
        "guichet staff remove NAME\n"
        "Options: --site DIR, --config FILE (the accounts file sits beside the durable state)\n";
    std::vector<std::string> rest;
    // (The current folder's site, as every command: the default commune's accounts were
    // changed when an IT person ran it inside their own site.)
    std::string site = default_site.empty() ? shipped::default_site().string() : default_site,
                config_file, role_text, shown_as;
    for (std::size_t i = 0; i < args.size(); ++i) {
        auto& a = args[i];
        if (a == "--help" || a == "-h") {
            out << usage;
            return 0;
        }
        if (a == "--site" || a == "--config" || a == "--role" || a == "--shown-as") {
            if (i + 1 >= args.size()) {
                err << "guichet staff: " << a << " needs a value\n";
                return 2;
            }
            (a == "--site"     ? site
             : a == "--config" ? config_file
             : a == "--role"   ? role_text
                               : shown_as) = args[++i];
        } else if (a == "--password") {
            err << "guichet staff: the password is never given on the command line: set "
                   "GUICHET_STAFF_PASSWORD or type it on standard input\n";
            return 2;
        } else if (a.rfind("--", 0) == 0) {
            err << "guichet staff: unknown option " << a << "\n" << usage;
            return 2;
        } else {
            rest.push_back(a);
        }
    }
    if (rest.empty()) {
        err << usage;
        return 2;
    }
    diagnostics problems;
    auto c = config::load_for_site(site, config_file, problems);
    for (auto& p : problems) err << p.str() << '\n';
    if (!problems.empty()) return 1;
    try {
        accounts acc(accounts_file(c, site));
        const auto& cmd = rest[0];
        if (cmd == "list" && rest.size() == 1) {
            const auto all = acc.list();
            for (auto& a : all)
                out << a.name << '\t' << role_name(a.role) << (a.shown_as.empty() ? "" : "\t" + a.shown_as)
                    << '\n';
            // (Said on stderr: the list on stdout stays one account per line for scripts. An
            // empty list said nothing, not even which file it read: another site's, as run.)
            err << all.size() << " account(s) in " << acc.file().string() << '\n';
            return 0;
        }
        if (cmd == "shown-as" && rest.size() == 3) {
            if (auto e = acc.set_shown_as(rest[1], rest[2]); !e.empty()) {
                err << "guichet staff: " << e << '\n';
                return 1;
            }
            const auto shown = acc.shown_as_of(rest[1]);
            out << rest[1] << (shown.empty() ? " shows no name to citizens" : " is shown to citizens as \"" + shown + "\"")
                << '\n';
            return 0;
        }
        if (cmd == "remove" && rest.size() == 2) {
            auto e = acc.remove(rest[1]);
            if (!e.empty()) {
                err << "guichet staff: " << e << '\n';
                return 1;
            }
            out << "removed " << rest[1] << '\n';
            return 0;
        }
        if (cmd == "add" && rest.size() == 2) {
            auto r = role_from(role_text.empty() ? "editor" : role_text);
            if (!r) {
                err << "guichet staff: --role must be editor, agent or admin\n";
                return 2;
            }
            std::string password;
            if (const char* p = std::getenv("GUICHET_STAFF_PASSWORD"); p && *p) {
                password = p;
            } else {
                if (&in == &std::cin && ::isatty(0)) err << "Password for " << rest[1] << " (one line): " << std::flush;
                std::getline(in, password);
                if (!password.empty() && password.back() == '\r') password.pop_back();
            }
            // The shown name checked before the account is made: a refusal adds nothing.
            auto e = shown_as_problem(shown_as);
            if (e.empty()) e = acc.add(rest[1], *r, password);
            if (e.empty() && !shown_as.empty()) e = acc.set_shown_as(rest[1], shown_as);
            if (!e.empty()) {
                err << "guichet staff: " << e << '\n';
                return 1;
            }
            out << "added " << rest[1] << " (" << role_name(*r) << ") to " << acc.file().string() << '\n';
            return 0;
        }
    } catch (const std::exception& e) {
        err << "guichet staff: " << e.what() << '\n';
        return 1;
    }
    err << usage;
    return 2;
}

}  // namespace guichet::admin
