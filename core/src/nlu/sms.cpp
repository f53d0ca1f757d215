// SMS and chat spellings that citizens type ("bjr", "stp", "thx"), each mapped to the folded
// words it stands for, so that the classifier and exact patterns see ordinary words.
// Expansions are written as already normalised words separated by spaces.
#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "nlu/normalize.h"

namespace guichet::nlu {
namespace {

using entry = std::pair<std::string_view, std::string_view>;

// Sorted by spelling, for binary search (checked at compile time below).
constexpr std::array fr_sms{
    entry{"ajd", "aujourd'hui"},
    entry{"ajrd", "aujourd'hui"},
    entry{"anniv", "anniversaire"},
    entry{"asso", "association"},
    entry{"auj", "aujourd'hui"},
    entry{"bcp", "beaucoup"},
    entry{"bjr", "bonjour"},
    entry{"bsr", "bonsoir"},
    entry{"cb", "combien"},
    entry{"cc", "coucou"},
    entry{"cmb", "combien"},
    entry{"cmt", "comment"},
    entry{"dc", "donc"},
    entry{"dem1", "demain"},
    entry{"demin", "demain"},
    entry{"ds", "dans"},
    entry{"fo", "faut"},
    entry{"foto", "photo"},
    entry{"fotos", "photos"},
    entry{"heur", "heure"},
    entry{"heurs", "heures"},
    entry{"jai", "je ai"},
    entry{"jarrive", "je arrive"},
    entry{"jcherche", "je cherche"},
    entry{"jhabite", "je habite"},
    entry{"jms", "jamais"},
    entry{"jpeux", "je peux"},
    entry{"jsais", "je sais"},
    entry{"jsers", "je sers"},
    entry{"jsp", "je sais pas"},
    entry{"jsuis", "je suis"},
    entry{"jusqu", "jusque"},
    entry{"jusqua", "jusque a"},
    entry{"jvais", "je vais"},
    entry{"jveux", "je veux"},
    entry{"jviens", "je viens"},
    entry{"jvoudrais", "je voudrais"},
    entry{"kan", "quand"},
    entry{"kel", "quel"},
    entry{"kelle", "quelle"},
    entry{"ker", "quelle heure"},
    entry{"ki", "qui"},
    entry{"koi", "quoi"},
    entry{"koman", "comment"},
    entry{"mci", "merci"},
    entry{"mr6", "merci"},
    entry{"mrc", "merci"},
    entry{"mtn", "maintenant"},
    entry{"narrive", "ne arrive"},
    entry{"ojd", "aujourd'hui"},
    entry{"ojourdui", "aujourd'hui"},
    entry{"oraire", "horaire"},
    entry{"oraires", "horaires"},
    entry{"pb", "probleme"},
    entry{"pbm", "probleme"},
    entry{"pk", "pourquoi"},
    entry{"pq", "pourquoi"},
    entry{"pr", "pour"},
    entry{"qd", "quand"},
    entry{"qqch", "quelque chose"},
    entry{"qqn", "quelqu'un"},
    entry{"rdv", "rendez vous"},
    entry{"slt", "salut"},
    entry{"stp", "si il te plait"},
    entry{"svp", "si il vous plait"},
    entry{"tjrs", "toujours"},
    entry{"tjs", "toujours"},
    entry{"tt", "tout"},
    entry{"vs", "vous"},
    entry{"ya", "il y a"},
};

constexpr std::array en_sms{
    entry{"2day", "today"},      entry{"2moro", "tomorrow"}, entry{"abt", "about"},
    entry{"any1", "anyone"},     entry{"b4", "before"},      entry{"cn", "can"},
    entry{"coz", "because"},     entry{"cuz", "because"},    entry{"da", "the"},
    entry{"gr8", "great"},       entry{"hw", "how"},         entry{"idk", "i do not know"},
    entry{"pls", "please"},      entry{"plz", "please"},     entry{"ppl", "people"},
    entry{"r", "are"},           entry{"some1", "someone"},  entry{"sum1", "someone"},
    entry{"theres", "there is"}, entry{"thx", "thanks"},     entry{"tlk", "talk"},
    entry{"tmrw", "tomorrow"},   entry{"ty", "thank you"},   entry{"u", "you"},
    entry{"ur", "your"},         entry{"wat", "what"},       entry{"wen", "when"},
    entry{"whr", "where"},       entry{"wot", "what"},       entry{"wud", "would"},
};

constexpr bool sorted(const auto& table) {
    return std::is_sorted(table.begin(), table.end(),
                          [](const entry& a, const entry& b) { return a.first < b.first; });
}
static_assert(sorted(fr_sms) && sorted(en_sms), "SMS tables must stay sorted");

template <std::size_t n>
std::string_view find_in(const std::array<entry, n>& table, std::string_view word) {
    auto it = std::lower_bound(table.begin(), table.end(), word,
                               [](const entry& e, std::string_view w) { return e.first < w; });
    if (it != table.end() && it->first == word) return it->second;
    return {};
}

}  // namespace

std::string_view expand_sms(std::string_view word, std::string_view lang) {
    if (lang == "fr") return find_in(fr_sms, word);
    if (lang == "en") return find_in(en_sms, word);
    return {};
}

}  // namespace guichet::nlu
