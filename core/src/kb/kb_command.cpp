// `guichet kb build [--site DIR] [--out FILE]`: compile the commune's knowledge folder and
// print what was built, or the diagnostics (see builder.h).
#include <iomanip>
#include <ostream>

#include "kb/builder.h"

namespace guichet::kb {

int run_kb_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                   const build_options& options) {
    const bool fr = options.lang != "en";
    auto usage = [&] {
        err << (fr ? "usage : guichet kb build [--site DOSSIER] [--out FICHIER]\n"
                   : "usage: guichet kb build [--site DIR] [--out FILE]\n");
        return 2;
    };
    if (args.empty() || args[0] != "build") return usage();
    std::string site = ".", output;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if ((args[i] == "--site" || args[i] == "--out") && i + 1 < args.size()) {
            (args[i] == "--site" ? site : output) = args[i + 1];
            ++i;
        } else {
            err << (fr ? "argument inconnu : " : "unknown argument: ") << args[i] << '\n';
            return usage();
        }
    }
    if (output.empty()) output = site + "/var/knowledge.db";
    build_result r = build(site + "/knowledge", output, options);
    for (const auto* list : {&r.warnings, &r.notices})
        for (const auto& d : *list) err << d.str() << '\n';
    if (!r.ok()) {
        for (const auto& d : r.errors) err << d.str() << '\n';
        err << r.errors.size() << (fr ? " erreur(s), base non modifiée\n" : " error(s), knowledge base unchanged\n");
        return 1;
    }
    out << output << ": " << r.counts.places << (fr ? " lieux, " : " places, ") << r.counts.faq
        << " FAQ, " << r.counts.waste_zones << (fr ? " zones de collecte, " : " waste zones, ")
        << r.counts.waste_streets << (fr ? " rues, " : " streets, ") << r.counts.alerts
        << (fr ? " alertes" : " alerts") << " (" << std::fixed << std::setprecision(0)
        << r.seconds * 1000 << " ms)\n";
    return 0;
}

}  // namespace guichet::kb
