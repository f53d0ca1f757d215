// Implementation of `guichet hours EXPR --from T --to T [--tz ZONE]` (see command.h); output
// is serialized with Boost.JSON.
#include "hours/command.h"

#include <boost/json.hpp>

#include <exception>

#include "hours/opening_hours.h"

namespace guichet::hours {

namespace {

constexpr const char* usage =
    "usage: guichet hours EXPR --from T --to T [--tz ZONE] [--alsace-moselle]\n"
    "  EXPR  an OpenStreetMap opening_hours expression, e.g. \"Mo-Fr 08:30-12:00,13:30-17:00; PH off\"\n"
    "  T     local time 2025-01-13T00:00:00 (or with an offset: 2025-01-13T00:00:00+01:00)\n"
    "  ZONE  IANA time zone (default Europe/Paris)\n"
    "Prints {\"intervals\": [[start, end, unknown, comment], ...]} (open and unknown intervals).\n"
    "utilisation : guichet hours EXPR --from T --to T [--tz ZONE] [--alsace-moselle]\n"
    "  affiche les intervalles ouverts (ou incertains) entre --from et --to.\n";

}  // namespace

int run_hours_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    try {
        std::string expr, from_s, to_s;
        bool have_expr = false;
        eval_context ctx;
        for (std::size_t i = 0; i < args.size(); ++i) {
            const std::string& a = args[i];
            auto value = [&](std::string& dst) {
                if (i + 1 >= args.size()) {
                    err << "missing value after " << a << " / valeur manquante après " << a << "\n" << usage;
                    return false;
                }
                dst = args[++i];
                return true;
            };
            if (a == "--help" || a == "-h") {
                out << usage;
                return 0;
            } else if (a == "--from") {
                if (!value(from_s)) return 1;
            } else if (a == "--to") {
                if (!value(to_s)) return 1;
            } else if (a == "--tz") {
                if (!value(ctx.time_zone)) return 1;
            } else if (a == "--alsace-moselle") {
                ctx.alsace_moselle = true;
            } else if (!have_expr) {
                expr = a;
                have_expr = true;
            } else {
                err << "unexpected argument '" << a << "' / argument inattendu « " << a << " »\n" << usage;
                return 1;
            }
        }
        if (!have_expr || from_s.empty() || to_s.empty()) {
            err << "EXPR, --from and --to are required / EXPR, --from et --to sont obligatoires\n" << usage;
            return 1;
        }
        const auto from = parse_local_iso(from_s, ctx.time_zone);
        const auto to = parse_local_iso(to_s, ctx.time_zone);
        if (!from || !to) {
            err << "bad time '" << (!from ? from_s : to_s) << "': expected 2025-01-13T00:00:00 / heure invalide « "
                << (!from ? from_s : to_s) << " » : attendu 2025-01-13T00:00:00\n";
            return 1;
        }
        if (*to < *from) {
            err << "--to is before --from / --to est avant --from\n";
            return 1;
        }
        const parse_result pr = parse(expr);
        if (!pr) {
            err << render_error(expr, pr.error(), "fr") << "\n" << pr.error().message_en << "\n";
            return 1;
        }
        boost::json::array list;
        for (const interval& iv : intervals(pr.value(), *from, *to, ctx)) {
            boost::json::array row;
            row.emplace_back(format_local_iso(iv.start, ctx.time_zone));
            row.emplace_back(format_local_iso(iv.end, ctx.time_zone));
            row.emplace_back(iv.unknown);
            if (iv.comment) row.emplace_back(*iv.comment);
            else row.emplace_back(nullptr);
            list.emplace_back(std::move(row));
        }
        boost::json::object o;
        o["intervals"] = std::move(list);
        out << boost::json::serialize(o) << "\n";
        return 0;
    } catch (const std::exception& e) {
        err << "error / erreur: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace guichet::hours
