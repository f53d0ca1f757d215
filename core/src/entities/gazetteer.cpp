// Gazetteer index and matching. Typo tolerance uses a deletion index (the SymSpell idea):
// every name word is stored with all its variants of up to k deleted letters, so a typed
// word finds its candidates with a few hash lookups instead of comparing against the whole
// vocabulary; candidates are then confirmed with the real distance. Hand-written: no
// Debian C/C++ library offers fuzzy multi-word gazetteer lookup with byte offsets.
#include "entities/gazetteer.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

namespace guichet::entities {
namespace {

constexpr std::size_t max_fuzzy_len = 40;

// Allowed typos for a name word of `len` bytes.
int allowed(std::size_t len) { return len >= 9 ? 2 : len >= 5 ? 1 : 0; }

bool all_digits(std::string_view w) {
    return std::all_of(w.begin(), w.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// Appends every string obtained from `w` by deleting up to `depth` bytes (w itself too).
void deletions(std::string_view w, int depth, std::vector<std::string>& out) {
    out.emplace_back(w);
    if (depth == 0 || w.size() <= 1) return;
    std::string buf;
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (i > 0 && w[i] == w[i - 1]) continue;  // same result as deleting w[i-1]
        buf.assign(w.substr(0, i));
        buf.append(w.substr(i + 1));
        deletions(buf, depth - 1, out);
    }
}

// `typed` is `name` with one letter left out, and at least three letters long ("ugo", "hugo").
bool one_letter_missing(std::string_view typed, std::string_view name) {
    if (typed.size() < 3 || typed.size() + 1 != name.size()) return false;
    std::size_t i = 0;
    while (i < typed.size() && typed[i] == name[i]) ++i;
    return typed.substr(i) == name.substr(i + 1);
}

// `typed` is `name` with its last letter mistyped, four letters or more ("hugp" for "hugo").
bool last_letter_changed(std::string_view typed, std::string_view name) {
    return typed.size() >= 4 && typed.size() == name.size() && typed.back() != name.back() &&
           typed.substr(0, typed.size() - 1) == name.substr(0, name.size() - 1);
}

bool is_article(std::string_view w) {
    static constexpr std::array<std::string_view, 9> words{"le", "la",  "les", "l",  "du",
                                                           "de", "des", "d",   "the"};
    return std::find(words.begin(), words.end(), w) != words.end();
}

// One changed letter in a short word mostly makes another real word ("porte" for
// "poste", "marie" for "mairie" is a deletion and stays allowed): short words accept
// deletions, insertions and swaps of two letters, not substitutions.
bool is_short_substitution(std::string_view a, std::string_view b) {
    if (a.size() != b.size() || a.size() > 6) return false;
    std::size_t first = a.size(), count = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i]) {
            if (count++ == 0) first = i;
        }
    const bool swap =
        count == 2 && first + 1 < a.size() && a[first] == b[first + 1] && a[first + 1] == b[first];
    return !swap;
}

// A name's day numbers (1 to 31, after its first word: "rue du 8 Mai 1945") written in French
// words ("rue du huit mai 1945"), or nullopt when it has none.
std::optional<std::vector<std::string>> with_numbers_in_words(const std::vector<std::string>& words) {
    static constexpr std::array<std::string_view, 32> spelt{
        "",           "premier",      "deux",        "trois",         "quatre",     "cinq",
        "six",        "sept",         "huit",        "neuf",          "dix",        "onze",
        "douze",      "treize",       "quatorze",    "quinze",        "seize",      "dix sept",
        "dix huit",   "dix neuf",     "vingt",       "vingt et un",   "vingt deux", "vingt trois",
        "vingt quatre", "vingt cinq", "vingt six",   "vingt sept",    "vingt huit", "vingt neuf",
        "trente",     "trente et un"};
    std::vector<std::string> out;
    bool changed = false;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        std::size_t digits = 0;
        while (digits < w.size() && w[digits] >= '0' && w[digits] <= '9') ++digits;
        const bool ordinal = digits > 0 && w.substr(digits) == "er";  // "1er mai"
        if (i > 0 && digits > 0 && digits <= 2 && (digits == w.size() || ordinal)) {
            const int n = std::stoi(w.substr(0, digits));
            if (n >= 1 && n <= 31) {
                for (std::string& part : fold_words(spelt[static_cast<std::size_t>(n)]))
                    out.push_back(std::move(part));
                changed = true;
                continue;
            }
        }
        out.push_back(w);
    }
    if (!changed) return std::nullopt;
    return out;
}

}  // namespace

// The short forms of a street type, as written on envelopes and typed on phones.
static std::vector<std::string_view> abbreviations(std::string_view type) {
    if (type == "boulevard") return {"bd", "bld", "bvd"};
    if (type == "avenue") return {"av", "ave"};
    if (type == "place") return {"pl"};
    if (type == "impasse") return {"imp"};
    if (type == "route") return {"rte"};
    return {};
}

bool is_street_type(std::string_view w) {
    static constexpr std::array<std::string_view, 28> words{
        "rue",     "avenue",    "av",     "ave",    "boulevard", "bd",      "bld",
        "bvd",     "place",     "pl",     "allee",  "allees",    "impasse", "imp",
        "chemin",  "route",     "rte",    "quai",   "cours",     "square",  "passage",
        "sentier", "esplanade", "parvis", "street", "road",      "lane",    "ruelle"};
    return std::find(words.begin(), words.end(), w) != words.end();
}

int osa_distance(std::string_view a, std::string_view b, int limit) {
    const std::size_t n = a.size(), m = b.size();
    if ((n > m ? n - m : m - n) > static_cast<std::size_t>(limit)) return limit + 1;
    if (n > max_fuzzy_len || m > max_fuzzy_len) return a == b ? 0 : limit + 1;
    std::array<std::array<int, max_fuzzy_len + 1>, 3> rows{};  // i-2, i-1, i
    for (std::size_t j = 0; j <= m; ++j) rows[1][j] = static_cast<int>(j);
    for (std::size_t i = 1; i <= n; ++i) {
        auto& cur = rows[(i + 1) % 3];
        const auto& prev = rows[i % 3];
        const auto& prev2 = rows[(i + 2) % 3];
        cur[0] = static_cast<int>(i);
        int row_min = cur[0];
        for (std::size_t j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                v = std::min(v, prev2[j - 2] + 1);
            cur[j] = v;
            row_min = std::min(row_min, v);
        }
        if (row_min > limit) return limit + 1;
    }
    const int d = rows[(n + 1) % 3][m];
    return d > limit ? limit + 1 : d;
}

std::uint32_t gazetteer::intern(const std::string& w) {
    if (auto it = vocab_ids_.find(w); it != vocab_ids_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(vocab_.size());
    vocab_.push_back(w);
    vocab_ids_.emplace(w, id);
    by_first_word_.emplace_back();
    const int k = all_digits(w) ? 0 : allowed(w.size());
    if (k > 0 && w.size() <= max_fuzzy_len) {
        std::vector<std::string> dels;
        deletions(w, k, dels);
        for (std::string& d : dels) {
            auto& ids = deletes_[std::move(d)];
            if (ids.empty() || ids.back() != id) ids.push_back(id);
        }
    }
    return id;
}

void gazetteer::add_variant(std::uint32_t entry, const std::vector<std::string>& words,
                            bool stripped) {
    if (words.empty()) return;
    // A one-word variant left after stripping must still be a real name ("pasteur"),
    // not a number or a short word.
    if (stripped && words.size() == 1 && (words[0].size() < 4 || all_digits(words[0]))) return;
    variant v;
    v.entry = entry;
    v.stripped = stripped;
    for (const std::string& w : words) v.words.push_back(intern(w));
    for (std::uint32_t other : by_first_word_[v.words[0]])
        if (variants_[other].entry == entry && variants_[other].words == v.words) return;
    by_first_word_[v.words[0]].push_back(static_cast<std::uint32_t>(variants_.size()));
    variants_.push_back(std::move(v));
}

gazetteer::gazetteer(const std::vector<gazetteer_entry>& entries,
                     const std::vector<std::string>& prose) {
    for (const std::string& sentence : prose)
        for (std::string& w : fold_words(sentence)) real_words_.insert(std::move(w));
    // "avenue de la Gare" is also "rue de la gare" to a citizen, when no other street of the
    // commune ends in "de la Gare": the rest of such names, with the entries that have it.
    std::map<std::vector<std::string>, std::set<std::uint32_t>> other_type;
    // "rue Zola" for "rue Émile Zola", "avenue Jaurès" for "avenue Jean Jaurès": a street named
    // after a person is said with the surname alone, when no other street of its type has it.
    std::map<std::vector<std::string>, std::set<std::uint32_t>> surname_only;
    for (const gazetteer_entry& e : entries) {
        const auto entry = static_cast<std::uint32_t>(ids_.size());
        types_.push_back(e.type);
        ids_.push_back(e.id);
        std::vector<std::vector<std::string>> spellings;
        for (const std::string& name : e.names) {
            spellings.push_back(fold_words(name));
            // "rue du 11 Novembre" is also "rue du onze novembre" to a citizen who spells it.
            if (auto spelt = with_numbers_in_words(spellings.back())) spellings.push_back(*spelt);
        }
        for (std::vector<std::string>& words : spellings) {
            add_variant(entry, words, false);
            // "rue du 8 Mai 1945", "place du 19 Mars 1962": said without the year.
            if (words.size() >= 4 && words.back().size() == 4 &&
                std::all_of(words.back().begin(), words.back().end(),
                            [](char ch) { return ch >= '0' && ch <= '9'; }))
                add_variant(entry, std::vector<std::string>(words.begin(), words.end() - 1), false);
            std::size_t k = 0;
            while (k < words.size() && is_article(words[k])) ++k;
            bool street = false;
            if (k < words.size() && is_street_type(words[k])) {
                street = true;
                // "bd de la République", "av Jean Jaurès": the type as citizens shorten it.
                for (std::string_view a : abbreviations(words[k])) {
                    std::vector<std::string> shortened = words;
                    shortened[k] = std::string(a);
                    add_variant(entry, shortened, false);
                }
                ++k;
                if (k + 2 == words.size() && !is_article(words[k]) && !all_digits(words[k]) &&
                    !all_digits(words[k + 1]))
                    surname_only[{words[k - 1], words[k + 1]}].insert(entry);
                // "rue de la Gare", "rue du 8 mai 1945": after an article the rest is a
                // common noun or a date, which alone does not name the street.
                if (k < words.size() && is_article(words[k])) {
                    other_type[{words.begin() + static_cast<std::ptrdiff_t>(k), words.end()}]
                        .insert(entry);
                    continue;
                }
            }
            if (k > 0 && k < words.size())
                add_variant(entry,
                            std::vector<std::string>(words.begin() + static_cast<std::ptrdiff_t>(k),
                                                     words.end()),
                            street);  // a dropped article alone costs nothing
        }
    }
    static constexpr std::array<std::string_view, 13> types{
        "rue",   "avenue",  "boulevard", "place", "allee",  "impasse", "chemin",
        "route", "quai",    "cours",     "square", "passage", "ruelle"};
    for (const auto& [words, owners] : surname_only)
        if (owners.size() == 1) add_variant(*owners.begin(), words, true);
    for (const auto& [rest, owners] : other_type) {
        if (owners.size() != 1) continue;  // "avenue" and "place de la Gare": ask, do not guess
        for (std::string_view type : types) {
            std::vector<std::string> words{std::string(type)};
            words.insert(words.end(), rest.begin(), rest.end());
            add_variant(*owners.begin(), words, true);  // the exact name was added first
        }
        // "Lilas street", "Gare road": an English speaker puts the kind after the name, without
        // its article (only "Pasteur street" was found: a name that says the street alone).
        std::size_t k = 0;
        while (k < rest.size() && is_article(rest[k])) ++k;
        if (k == 0 || k == rest.size()) continue;
        for (std::string_view type : {"street", "road", "avenue", "lane"}) {
            std::vector<std::string> words(rest.begin() + static_cast<std::ptrdiff_t>(k), rest.end());
            words.emplace_back(type);
            add_variant(*owners.begin(), words, true);
        }
    }
}

void gazetteer::matches_for(std::string_view w, std::vector<match>& out) const {
    out.clear();
    if (auto it = vocab_ids_.find(w); it != vocab_ids_.end()) {
        out.push_back({it->second, 0});
        // An exact word is not also read as a typo of another, but a plural is also its
        // singular's: "écoles" is a word of "rue des Écoles" and the schools.
        if (w.size() > 4 && (w.back() == 's' || w.back() == 'x'))
            if (auto one = vocab_ids_.find(w.substr(0, w.size() - 1)); one != vocab_ids_.end())
                out.push_back({one->second, 1});
        return;
    }
    if (w.size() < 4 || w.size() > max_fuzzy_len || all_digits(w)) return;
    const std::string key(w);
    {
        std::lock_guard lock(memo_->mutex);
        if (const auto* kept = memo_->kept.find(key)) {
            out = *kept;
            return;
        }
    }
    const int depth = w.size() >= 7 ? 2 : 1;
    std::vector<std::string> dels;
    dels.reserve(64);
    deletions(w, depth, dels);
    for (const std::string& d : dels) {
        const auto it = deletes_.find(std::string_view(d));
        if (it == deletes_.end()) continue;
        for (std::uint32_t id : it->second) {
            if (std::any_of(out.begin(), out.end(), [&](const match& m) { return m.word == id; }))
                continue;
            const std::string& name = vocab_[id];
            // A real word is no typo, but the name's plural or singular ("piscines").
            if (real_words_.count(key) && key != name + "s" && key + "s" != name &&
                key != name + "x")
                continue;
            const int limit = allowed(name.size());
            const int dist = osa_distance(w, name, limit);
            if (dist > limit || (dist == 1 && is_short_substitution(w, name))) continue;
            out.push_back({id, dist});
        }
    }
    std::lock_guard lock(memo_->mutex);
    memo_->kept.put(key, out);
}

namespace {

// English nouns that, before a place's one-word name, name something else ("polling station",
// "lamp post").
bool changes_the_noun(std::string_view w) {
    static constexpr std::string_view words[] = {
        "polling", "petrol", "gas",     "fire",   "bus",  "coach", "radio", "power",
        "space",   "tube",   "weather", "subway", "lamp", "sign",  "goal",  "fence"};
    return std::find(std::begin(words), std::end(words), w) != std::end(words);
}

bool is_one_of(std::string_view w, std::initializer_list<std::string_view> words) {
    return std::find(words.begin(), words.end(), w) != words.end();
}

// "school holidays", "library card", "pool membership": an English noun after a one-word name
// is what is asked about; the name only qualifies it (the holidays are not the school's hours).
bool is_the_noun_after_a_name(std::string_view w) {
    return is_one_of(w, {"holiday", "holidays", "calendar", "term", "terms", "year", "trip",
                         "trips", "uniform", "supplies", "fees", "card", "cards", "membership"});
}

// A one-word name typed without its accent that stands where French puts a verb: "la
// fontaine ne marche pas", "le lampadaire qui marche plus", "le feu marche plus" are the verb
// "marcher", not the market ("marché"). After a negation or a subject, or before a negation
// with no article before it ("un marche pas loin" stays the market); so is "la marche" (a
// step).
bool reads_as_verb(const token_cursor& c, const std::vector<std::size_t>& words, std::size_t p,
                   std::string_view text) {
    const token& t = c.t[words[p]];
    const std::string_view typed = text.substr(t.begin, t.end - t.begin);
    if (std::any_of(typed.begin(), typed.end(), [](char ch) { return (ch & 0x80) != 0; }))
        return false;
    if (p == 0) return false;
    const std::string_view before = c.word(words[p - 1]);
    // "la marche est cassée", "les marches de l'église": the step (feminine), not the market.
    if (is_one_of(c.word(words[p]), {"marche", "marches"}) &&
        is_one_of(before, {"la", "une", "cette", "ma", "sa", "ta", "les", "des", "ces", "mes"}))
        return true;
    if (is_one_of(before, {"ne", "n", "qui", "ca", "il", "elle", "on", "ils", "elles", "cela"}))
        return true;
    if (p + 1 >= words.size() || !is_one_of(c.word(words[p + 1]), {"pas", "plus", "jamais", "mal"}))
        return false;
    return !is_article(before) &&
           !is_one_of(before, {"un", "une", "au", "aux", "ce", "cet", "cette", "mon", "ma", "notre",
                               "votre", "son", "sa", "leur", "a"});
}

}  // namespace

void gazetteer::find(const token_cursor& c, std::string_view text, std::vector<entity>& out) const {
    if (variants_.empty()) return;
    std::vector<std::size_t> words;  // indices of word tokens
    for (std::size_t i = 0; i < c.size(); ++i)
        if (c.t[i].kind == token_kind::word) words.push_back(i);
    std::vector<std::vector<match>> matches(words.size());
    for (std::size_t p = 0; p < words.size(); ++p) matches_for(c.word(words[p]), matches[p]);

    for (std::size_t p = 0; p < words.size(); ++p) {
        for (const match& first : matches[p]) {
            for (std::uint32_t vid : by_first_word_[first.word]) {
                const variant& v = variants_[vid];
                if (p + v.words.size() > words.size()) continue;
                int distance = first.distance;
                bool ok = true;
                for (std::size_t k = 1; ok && k < v.words.size(); ++k) {
                    ok = false;
                    for (const match& m : matches[p + k])
                        if (m.word == v.words[k]) {
                            ok = true;
                            distance += m.distance;
                            break;
                        }
                    // A short word after exact ones may miss a letter ("victor ugo": the
                    // silent h) or end with a slip of the finger ("victor hugp"), which alone
                    // would be too weak a clue.
                    if (!ok && distance == 0 &&
                        (one_letter_missing(c.word(words[p + k]), vocab_[v.words[k]]) ||
                         last_letter_changed(c.word(words[p + k]), vocab_[v.words[k]]))) {
                        ok = true;
                        distance = 1;
                    }
                }
                if (!ok) continue;
                // A street's one-word name said without its type and two letters away is
                // another word ("nationalité" is not "rue Nationale"); one letter away it is
                // a typo ("nationnale").
                if (v.stripped && v.words.size() == 1 && distance >= 2) continue;
                // "polling station", "bus station", "fire station": an English noun before a
                // one-word name makes another thing of it (not the railway station).
                if (v.words.size() == 1 && p > 0 && types_[v.entry] != "street" &&
                    changes_the_noun(c.word(words[p - 1])))
                    continue;
                if (v.words.size() == 1 && p + 1 < words.size() && types_[v.entry] != "street" &&
                    is_the_noun_after_a_name(c.word(words[p + 1])))
                    continue;
                if (v.words.size() == 1 && types_[v.entry] != "street" &&
                    reads_as_verb(c, words, p, text))
                    continue;
                entity e;
                e.type = types_[v.entry];
                e.value = ids_[v.entry];
                e.begin = c.t[words[p]].begin;
                std::size_t last = p + v.words.size() - 1;
                // English order: "Victor Hugo street", "Jean Jaurès avenue".
                if (v.stripped && last + 1 < words.size() &&
                    is_street_type(c.word(words[last + 1])))
                    ++last;
                e.end = c.t[words[last]].end;
                e.text = std::string(text.substr(e.begin, e.end - e.begin));
                e.score = std::max(0.1, 1.0 - 0.1 * distance) * (v.stripped ? 0.9 : 1.0);
                out.push_back(std::move(e));
            }
        }
    }
}

}  // namespace guichet::entities
