// The extractor: folds the text once, runs every recogniser on the same tokens, then keeps
// a non-overlapping set of entities (longest first; on equal length the more specific type).
#include <algorithm>
#include <set>
#include <stdexcept>

#include "entities/datetime.h"
#include "entities/entities.h"
#include "entities/gazetteer.h"
#include "entities/lexicon.h"
#include "entities/local_clock.h"
#include "entities/patterns.h"
#include "entities/text_fold.h"

namespace guichet::entities {

class extractor_impl {
  public:
    extractor_impl(const std::vector<gazetteer_entry>& entries, options opts)
        : opts_(std::move(opts)), clock_(opts_.time_zone), gazetteer_(entries, opts_.prose) {
        opts_.prose = {};  // read once, by the gazetteer
        for (const auto& town : opts_.towns)
            if (auto words = fold_words(town); !words.empty()) towns_.push_back(std::move(words));
    }

    std::vector<entity> extract(std::string_view text, std::string_view lang,
                                std::int64_t now) const;

  private:
    options opts_;
    std::vector<std::vector<std::string>> towns_;  // opts_.towns, folded
    local_clock clock_;
    gazetteer gazetteer_;
};

namespace {

// On equal spans: the more specific recogniser wins; a gazetteer name loses to a date
// ("le 8 mai 1945" said alone is a date) but wins when longer ("rue du 8 mai 1945").
int priority(std::string_view type) {
    if (type == "email") return 0;
    if (type == "phone") return 1;
    if (type == "ticket") return 2;
    if (type == "datetime") return 3;
    if (type == "postcode") return 4;
    if (type == "number") return 6;
    return 5;  // gazetteer types
}

std::vector<entity> select(std::vector<entity> candidates, std::size_t text_size) {
    std::vector<std::size_t> order(candidates.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        const entity& a = candidates[x];
        const entity& b = candidates[y];
        const std::size_t la = a.end - a.begin, lb = b.end - b.begin;
        if (la != lb) return la > lb;
        const int pa = priority(a.type), pb = priority(b.type);
        if (pa != pb) return pa < pb;
        if (a.score != b.score) return a.score > b.score;
        return a.begin < b.begin;
    });
    // Bytes already taken: linear in the text, whatever the number of candidates.
    std::vector<bool> taken(text_size, false);
    std::vector<entity> kept;
    for (std::size_t idx : order) {
        entity& e = candidates[idx];
        bool free = true;
        for (std::size_t b = e.begin; free && b < e.end; ++b) free = !taken[b];
        if (!free) continue;
        for (std::size_t b = e.begin; b < e.end; ++b) taken[b] = true;
        kept.push_back(std::move(e));
    }
    std::sort(kept.begin(), kept.end(),
              [](const entity& a, const entity& b) { return a.begin < b.begin; });
    return kept;
}

// A named place said as a starting point or a neighbourhood ("près de la gare", "loin de la
// mairie", "à côté du stade", "depuis la gare", "near the station", "from the library",
// "close to the town hall", "je suis à la gare", "I'm at the station") is also a `location` of
// the same value: "le parc près de la
// gare", "how far is the pool from the station" (the pool is the place asked about).
void find_origins(const token_cursor& c, std::vector<entity>& found) {
    const std::size_t n = found.size();
    for (std::size_t f = 0; f < n; ++f) {
        const entity& e = found[f];
        if (e.type != "service") continue;
        std::size_t k = 0;
        while (k < c.size() && c.t[k].begin < e.begin) ++k;
        if (k == c.size() || c.t[k].begin != e.begin) continue;
        auto skip = [&](std::initializer_list<std::string_view> words) {
            while (k > 0 && (c.punct(k - 1) || std::find(words.begin(), words.end(), c.word(k - 1)) != words.end()))
                --k;
        };
        skip({"la", "le", "les", "l", "the"});
        if (k == 0) continue;
        std::string_view w = c.word(k - 1), before = k >= 2 ? c.word(k - 2) : std::string_view();
        const bool de = w == "de" || w == "du" || w == "des" || w == "d";
        // "c'est loin la piscine de la gare ?": "de" the second place, "loin" said before it.
        auto far_from_another = [&] {
            bool far = false;
            for (std::size_t i = 0; i + 1 < k && !far; ++i) far = c.word(i) == "loin";
            return far && std::any_of(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(n),
                                      [&](const entity& o) {
                                          return o.type == "service" && o.end <= e.begin;
                                      });
        };
        // "de la gare à la piscine": from one place to another.
        std::size_t after = k;
        while (after < c.size() && c.t[after].begin < e.end) ++after;
        const bool to_next = after < c.size() && (c.word(after) == "a" || c.word(after) == "jusqu");
        bool origin = w == "depuis" || w == "near" || w == "from" || w == "around" ||
                      (de && (before == "pres" || before == "proche" || before == "loin" ||
                              before == "cote" || before == "autour" || before == "partir")) ||
                      (de && (to_next || far_from_another())) ||
                      (w == "to" && (before == "close" || before == "next")) ||
                      // "je suis à la gare, où est…", "I'm at the station": where one is.
                      ((w == "a" || w == "au" || w == "devant" || w == "dans") &&
                       (before == "suis" || before == "sommes" || before == "jsuis")) ||
                      ((w == "at" || w == "outside" || w == "by" || w == "in") &&
                       (before == "m" || before == "am" || before == "im" || before == "re"));
        if (!origin) continue;
        entity o = e;
        o.type = "location";
        found.push_back(std::move(o));
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const entity& a, const entity& b) { return a.begin < b.begin; });
}

// "devant le 22", "au niveau du 22", "en face du 3", "près du 14": a house number, not a day
// of the month. Such a date alone ("le 22", "du 22") is dropped, and the number said stays.
void drop_dates_said_as_house_numbers(const token_cursor& c, std::vector<entity>& candidates) {
    std::erase_if(candidates, [&](const entity& e) {
        if (e.type != "datetime") return false;
        std::size_t k = 0;
        while (k < c.size() && c.t[k].begin < e.begin) ++k;
        if (k == 0 || k + 1 >= c.size() || c.t[k].begin != e.begin || c.t[k + 1].end != e.end)
            return false;
        const std::string_view before = c.word(k - 1);
        return (c.is(k, "le") || c.is(k, "du")) && c.digits(k + 1) &&
               (before == "devant" || before == "niveau" || before == "face" || before == "pres" ||
                before == "cote");
    });
}

// "l'accueil de loisirs", "l'école de musique", "la salle de sport": a place's word (or a kind
// of place's) that a longer name of something else begins is not that place ("le centre de
// loisirs, il est ouvert le 24 ?" was given the town hall front desk's hours). French: the name
// goes on with "de" or "d'" and a word that is no article nor possessive ("la piscine de la
// ville", "l'école de mon fils" are the pool, a school), no name found ("la mairie de 9 h à
// 12 h") and not capitalised ("la piscine de Saint-Exemple") nor the start of the name of one
// of the town's `towns` (its first two words at least: "la piscine de saint exemple").
void drop_place_words_inside_longer_names(const token_cursor& c, std::string_view text,
                                          const std::vector<std::vector<std::string>>& towns,
                                          std::vector<entity>& found) {
    static const std::set<std::string_view> determiners = {
        "le", "la", "les", "l", "un", "une", "des", "du", "mon", "ma", "mes", "ton", "ta", "tes",
        "son", "sa", "ses", "notre", "nos", "votre", "vos", "leur", "leurs", "ce", "cet", "cette"};
    auto inside_a_longer_name = [&](const entity& e) {
        if (e.type != "service" && e.type != "place_category") return false;
        std::size_t k = 0;
        while (k < c.size() && c.t[k].begin < e.end) ++k;
        // "un accueil pour les enfants le mercredi": a children's service, not the front desk
        if (c.is(k, "pour")) {
            std::size_t j = k + 1;
            if (c.is(j, "les") || c.is(j, "mes") || c.is(j, "mon") || c.is(j, "ma")) ++j;
            static const std::set<std::string_view> children = {
                "enfants", "enfant", "petits", "jeunes", "ados", "adolescents", "fils", "fille",
                "filles", "gamins", "bebes", "bebe", "maternelles", "primaires"};
            return children.count(c.word(j)) > 0;
        }
        if (!(c.is(k, "de") || c.is(k, "d"))) return false;
        std::size_t j = k + 1;
        while (c.punct(j)) ++j;  // the apostrophe of "d'"
        if (j >= c.size() || c.t[j].kind != token_kind::word || c.digits(j) ||
            determiners.count(c.word(j)))
            return false;
        auto names_a_town = [&] {
            return std::any_of(towns.begin(), towns.end(), [&](const std::vector<std::string>& town) {
                std::size_t i = j, n = 0;
                for (; n < town.size() && i < c.size(); ++i) {
                    if (c.punct(i)) continue;  // the hyphens of "saint-exemple"
                    if (c.word(i) != town[n]) break;
                    ++n;
                }
                return n >= std::min<std::size_t>(2, town.size());
            });
        };
        if (names_a_town()) return false;
        const std::size_t at = c.t[j].begin;
        const auto first = static_cast<unsigned char>(text[at]);
        const bool capital = (first >= 'A' && first <= 'Z') ||
                             (first == 0xC3 && at + 1 < text.size() &&
                              static_cast<unsigned char>(text[at + 1]) >= 0x80 &&
                              static_cast<unsigned char>(text[at + 1]) <= 0x9E);
        return !capital && std::none_of(found.begin(), found.end(), [&](const entity& o) {
            return o.begin <= at && at < o.end;
        });
    };
    std::vector<bool> drop(found.size());
    for (std::size_t i = 0; i < found.size(); ++i) drop[i] = inside_a_longer_name(found[i]);
    std::vector<entity> kept;
    for (std::size_t i = 0; i < found.size(); ++i)
        if (!drop[i]) kept.push_back(std::move(found[i]));
    found = std::move(kept);
}

// "rue du Moulin Neuf", "place des Quatre Vents": a number word inside a street's name is part
// of the name, no number ("Neuf impasse du Moulin" was recapped as a house number). It is
// inside when a street found ends just before it, or when a street type and its article come
// just before it ("rue des Trois Rois"). A street found that the name goes on from ("rue du
// Moulin" for the town's impasse du Moulin, then "Neuf") is another street, one the town does
// not have: it goes too, and the name is said unknown rather than taken for a near one.
void drop_numbers_inside_street_names(const token_cursor& c, std::string_view text, bool fr,
                                      std::vector<entity>& found) {
    auto token_at = [&](std::size_t begin) {
        std::size_t k = 0;
        while (k < c.size() && c.t[k].begin < begin) ++k;
        return k < c.size() && c.t[k].begin == begin ? k : c.size();
    };
    std::vector<bool> drop(found.size(), false);
    // After a street type and its article: "rue du", "place du", "avenue des".
    auto after_street_type = [&](std::size_t k) {
        if (k == 0) return false;
        const std::string_view before = c.word(k - 1);
        const bool article = before == "du" || before == "des" || before == "de" ||
                             before == "la" || before == "le" || before == "les";
        return is_street_type(before) || (article && k >= 2 && is_street_type(c.word(k - 2)));
    };
    for (std::size_t i = 0; i < found.size(); ++i) {
        const entity& e = found[i];
        // "rue du 14 juillet", "rue du onze novembre" that the town does not have: a date in a
        // street's name is no date (it stayed the conversation's date for the next answer).
        if (e.type == "datetime") {
            std::size_t k = token_at(e.begin);
            if (k == c.size()) continue;
            for (std::size_t s = k >= 3 ? k - 3 : 0; s < k; ++s)
                if (auto m = number_words(c, s, fr, false); m && m->end == k) {
                    k = s;
                    break;
                }
            drop[i] = after_street_type(k);
            continue;
        }
        if (e.type != "number" || e.text.empty() || (e.text[0] >= '0' && e.text[0] <= '9'))
            continue;
        // A street's name just before it, a space or a hyphen apart ("Moulin-Neuf").
        for (std::size_t j = 0; j < found.size(); ++j)
            if (found[j].type == "street" && found[j].end <= e.begin &&
                text.substr(found[j].end, e.begin - found[j].end).find_first_not_of(" -") ==
                    std::string_view::npos && e.begin > found[j].end) {
                drop[i] = drop[j] = true;
            }
        const std::size_t k = token_at(e.begin);
        if (k != c.size() && after_street_type(k)) drop[i] = true;
    }
    std::vector<entity> kept;
    for (std::size_t i = 0; i < found.size(); ++i)
        if (!drop[i]) kept.push_back(std::move(found[i]));
    found = std::move(kept);
}

}  // namespace

std::vector<entity> extractor_impl::extract(std::string_view text, std::string_view lang,
                                            std::int64_t now) const {
    text = cut_utf8(text, extractor::max_input_bytes);
    folded_text folded;
    fold(text, folded);
    const token_cursor c{folded.tokens};
    const bool fr = !(lang.size() >= 2 && (lang[0] == 'e' || lang[0] == 'E') &&
                      (lang[1] == 'n' || lang[1] == 'N'));

    std::vector<entity> candidates;
    const local_clock::local_time local = clock_.to_local(now);
    const dt_context ctx{clock_, fr, opts_.alsace_moselle, now, local.day, local.seconds,
                         opts_.school_holidays};
    find_datetimes(c, text, ctx, candidates);
    if (fr && candidates.empty()) {
        // Franglais: "la mairie est open tomorrow ?", "c'est ouvert ce weekend ?" — English
        // dates in a French message, when French found none; only whole English words that are
        // no French word ("mon", "sat", "sun" are not taken: "mon fils" is no Monday).
        std::vector<entity> english;
        find_datetimes(c, text, dt_context{clock_, false, opts_.alsace_moselle, now, local.day, local.seconds,
                                           opts_.school_holidays},
                       english);
        static constexpr std::string_view unambiguous[] = {
            "today", "tomorrow", "tonight", "monday", "tuesday", "wednesday", "thursday",
            "friday", "saturday", "sunday", "weekend"};
        for (auto& e : english) {
            bool plain_english = false;
            for (std::size_t i = 0; i < c.size() && !plain_english; ++i)
                if (c.t[i].begin >= e.begin && c.t[i].end <= e.end)
                    for (auto w : unambiguous) plain_english = plain_english || c.word(i) == w;
            if (plain_english) candidates.push_back(std::move(e));
        }
    }
    find_numbers(c, text, fr, candidates);
    find_postcodes(c, text, candidates);
    find_tickets(c, text, candidates);
    find_phones(c, text, candidates);
    find_emails(folded, text, candidates);
    gazetteer_.find(c, text, candidates);
    drop_dates_said_as_house_numbers(c, candidates);
    auto found = select(std::move(candidates), text.size());
    drop_numbers_inside_street_names(c, text, fr, found);
    if (fr) drop_place_words_inside_longer_names(c, text, towns_, found);
    find_origins(c, found);
    return found;
}

extractor::extractor(std::vector<gazetteer_entry> gazetteer, options opts)
    : impl_(std::make_unique<const extractor_impl>(gazetteer, std::move(opts))) {}
extractor::~extractor() = default;
extractor::extractor(extractor&&) noexcept = default;
extractor& extractor::operator=(extractor&&) noexcept = default;

std::vector<entity> extractor::extract(std::string_view text, std::string_view lang,
                                       std::int64_t now) const {
    return impl_->extract(text, lang, now);
}

std::string without_entities(std::string text, const std::vector<entity>& found) {
    for (const entity& e : found)
        if (e.begin < e.end && e.end <= text.size())
            std::fill(text.begin() + static_cast<std::ptrdiff_t>(e.begin),
                      text.begin() + static_cast<std::ptrdiff_t>(e.end), ' ');
    return text;
}

std::string spans_as_word(std::string_view text,
                          std::vector<std::pair<std::size_t, std::size_t>> spans,
                          std::string_view word) {
    std::sort(spans.begin(), spans.end());
    std::string out;
    std::size_t at = 0;
    for (auto [begin, end] : spans) {
        if (end > text.size() || begin >= end || begin < at) continue;  // outside, or overlapping
        out.append(text.substr(at, begin - at)).append(" ").append(word).append(" ");
        at = end;
    }
    return out.append(text.substr(at));
}

}  // namespace guichet::entities
