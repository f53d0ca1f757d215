// The classifier's ranking and the nearest examples of a sentence (see ranking.h).
#include "dialogue/ranking.h"

#include <algorithm>
#include <iomanip>

#include "analytics/analytics.h"

namespace guichet {

std::vector<nearest_example> nearest_examples(const site& s, std::string_view text,
                                              std::string_view lang, std::size_t n) {
    const std::string language(lang);
    // Stemmed words and Jaccard similarity, as the console groups unanswered questions.
    const auto said = analytics::stems_of(std::string(text), language);
    std::vector<nearest_example> found;
    if (said.empty()) return found;
    for (const auto& in : s.intents().intents) {
        const auto part = in.langs.find(language);
        if (part == in.langs.end()) continue;
        for (const auto& ex : part->second.examples) {
            const double score = analytics::similarity(said, analytics::stems_of(ex.text, language));
            if (score > 0) found.push_back({in.name, ex.text, ex.file, ex.line, score});
        }
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const nearest_example& a, const nearest_example& b) { return a.score > b.score; });
    if (found.size() > n) found.resize(n);
    return found;
}

void print_ranking(const understanding& u, const site& s, std::string_view text,
                   std::string_view lang, std::string_view indent, std::ostream& out) {
    const auto flags = out.flags();
    const auto precision = out.precision();
    out << std::fixed << std::setprecision(2);
    out << indent << "classifieur / classifier (hors sujet sous / out of scope below "
        << s.classifier().oos_threshold() << "):\n";
    for (const auto& r : u.ranked) out << indent << "  " << r.confidence << "  " << r.intent << '\n';
    const auto near = nearest_examples(s, text, lang);
    if (!near.empty()) {
        out << indent << "exemples les plus proches / nearest examples:\n";
        for (const auto& e : near)
            out << indent << "  " << e.score << "  " << e.intent << "  « " << e.text << " »  "
                << e.file << ':' << e.line << '\n';
    }
    out.flags(flags);
    out.precision(precision);
}

}  // namespace guichet
