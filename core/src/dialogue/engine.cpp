// One turn of dialogue: language, intent and entities, slot filling with the conversation's
// context, then a static answer or the owning plugin under a deadline, and the fallbacks.
#include "dialogue/engine.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <array>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_set>

#include "dialogue/durable.h"
#include "dialogue/typed_buttons.h"
#include "engine/log.h"
#include "entities/gazetteer.h"
#include "hours/opening_hours.h"
#include "kb/knowledge_base.h"
#include "kb/values.h"
#include "nlu/language.h"
#include "nlu/normalize.h"
#include "store/async_write.h"
#include "store/pii.h"

namespace asio = boost::asio;

namespace guichet {
namespace {

const char* tr(const std::string& locale, const char* fr, const char* en) {
    return locale == "en" ? en : fr;
}

// Cuts text to at most max bytes without splitting a UTF-8 sequence.
std::string cut_utf8(std::string_view s, std::size_t max) {
    if (s.size() <= max) return std::string(s);
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return std::string(s.substr(0, n));
}

// Words that say where, and the articles that may follow them ("derrière le gymnase", "près
// de l'église", "behind the pool"), folded.
bool is_where_word(const std::string& folded) {
    static const std::unordered_set<std::string> words = {"derriere", "devant", "pres",    "cote",
                                                          "face",     "behind", "outside", "near",
                                                          "opposite", "beside", "next", "front"};
    return words.count(folded) > 0;
}
// (And "to" after "next": "I want to report" says no place.)
bool is_article_word(const std::string& folded) {
    static const std::unordered_set<std::string> words = {
        "de", "du", "des", "la", "le", "les", "l", "d", "the", "a", "an", "to",
        "of"};  // "l église" too; "in front of the school"
    return words.count(folded) > 0;
}

// Whether the words before `at` in `text` end with a word that says where ("derrière le"),
// or where the citizen is ("je suis à la", "I'm at the").
bool after_where_word(std::string_view text, std::size_t at) {
    const std::vector<std::string> before = nlu::words_as_written(text.substr(0, at));
    for (auto w = before.rbegin(); w != before.rend(); ++w) {
        std::string f = nlu::fold(*w);
        if (auto q = f.find_last_of('\''); q != std::string::npos) f.erase(q);  // "l'"
        if (is_where_word(f)) return true;
        if (f == "a" || f == "au" || f == "at") {
            if (std::next(w) == before.rend()) return false;
            std::string who = nlu::fold(*std::next(w));
            std::erase(who, '\'');
            return who == "suis" || who == "am" || who == "im";
        }
        if (!is_article_word(f)) return false;
    }
    return false;
}

// The value said last when the citizen corrects themselves in one message ("rue Pasteur, non
// pardon, rue Gambetta", "au 41, non, au 14", "Pasteur street, sorry I meant Gambetta street"):
// a later entity of e's type, with a word of correction between them; or e denied ("non pas
// rue Pasteur, rue Gambetta", "not Pasteur street but…") and the next one of its type; else e.
const entities::entity& corrected(std::string_view text, const std::vector<entities::entity>& ents,
                                  const entities::entity& e) {
    static const std::unordered_set<std::string> correcting = {
        "non", "pardon", "plutot", "dire", "erreur", "trompe", "no", "sorry", "mean", "meant",
        "actually", "rather", "oops"};
    // (On every slot filled: the words are read only when another value of the type follows.)
    if (text.size() < e.begin ||
        std::none_of(ents.begin(), ents.end(), [&](auto& o) { return o.type == e.type && o.begin >= e.end; }))
        return e;
    const auto before = nlu::words(text.substr(0, e.begin), "fr");
    bool denied = !before.empty() && (before.back() == "pas" || before.back() == "not");
    const entities::entity* last = &e;
    for (auto& o : ents) {
        if (o.type != e.type || o.begin < last->end || o.value == last->value || text.size() < o.begin)
            continue;
        const auto words = nlu::words(text.substr(last->end, o.begin - last->end), "fr");
        if (words.size() <= 6 &&
            (denied || std::any_of(words.begin(), words.end(),
                                   [](auto& w) { return correcting.count(w) > 0; }))) {
            last = &o;
            denied = false;
        }
    }
    return *last;
}

// The entity that fills a slot: of its entity, else of the next one it lists. A kind of place
// fills a slot that says where something is only as the answer to its question ("où se
// trouve le problème ?" — "près de l'école") or after a word that says where ("un dépôt
// sauvage derrière le gymnase"): "I found a wallet in the park" reports nothing.
// `where_from_apart`: a place said as where from ("près de la gare", "je suis à la gare")
// is not this slot's (another slot of the intent takes it).
const entities::entity* find_entity(const std::vector<entities::entity>& ents,
                                    const intents::slot_spec& spec, bool answering = false,
                                    std::string_view text = {}, bool where_from_apart = false) {
    auto fits = [&](const entities::entity& e) {
        if (where_from_apart && e.type != "location" && after_where_word(text, e.begin))
            return false;
        return answering || e.type != "place_category" || !spec.says_where() ||
               (!text.empty() && after_where_word(text, e.begin));
    };
    auto first_of = [&](const std::string& type) -> const entities::entity* {
        for (auto& e : ents)
            if (e.type == type && fits(e)) return &corrected(text, ents, e);
        return nullptr;
    };
    if (auto* e = first_of(spec.entity)) return e;
    for (auto& type : spec.also)
        if (auto* e = first_of(type)) return e;
    return nullptr;
}

// The entities of `first`'s type that follow it joined by "et", "and", "ainsi que" or a comma
// ("horaires de la mairie et de la poste": "poste"; "la piscine et aussi la médiathèque"), each
// asked for as well; one value once.
std::vector<entities::entity> joined_values(const std::string& text,
                                            const std::vector<entities::entity>& ents,
                                            const entities::entity& first) {
    static const std::unordered_set<std::string> glue = {
        "et", "and", "de", "du", "des", "la", "le", "les", "l", "the", "a", "aussi", "also",
        "ainsi", "que", "as", "well"};
    std::vector<entities::entity> out;
    const entities::entity* last = &first;
    for (bool more = true; more;) {
        more = false;
        for (auto& e : ents) {
            if (e.type != first.type || e.begin < last->end || e.value == first.value ||
                std::any_of(out.begin(), out.end(), [&](auto& o) { return o.value == e.value; }))
                continue;
            const std::string between = text.substr(last->end, e.begin - last->end);
            const auto words = nlu::words(between, "fr");
            const bool joined =
                (between.find(',') != std::string::npos ||
                 std::any_of(words.begin(), words.end(),
                             [](auto& w) { return w == "et" || w == "and" || w == "ainsi"; })) &&
                std::all_of(words.begin(), words.end(), [](auto& w) { return glue.count(w); });
            if (!joined) continue;
            out.push_back(e);
            last = &e;
            more = true;
            break;
        }
    }
    // "la médiathèque ferme à quelle heure ce soir et la piscine ?": a last name after "et",
    // the question's end, asks it of that one too.
    if (out.empty())
        for (auto& e : ents) {
            if (e.type != first.type || e.begin <= first.end || e.value == first.value) continue;
            const auto after = text.find_first_not_of(" ?!.", e.end);
            if (after != std::string::npos) continue;
            const std::string before = text.substr(first.end, e.begin - first.end);
            const auto words = nlu::words(before, "fr");
            auto joining = std::find_if(words.rbegin(), words.rend(),
                                        [](auto& w) { return w == "et" || w == "and"; });
            if (joining == words.rend() || joining == words.rbegin() + static_cast<long>(words.size()) - 1 ||
                !std::all_of(words.rbegin(), joining, [](auto& w) { return glue.count(w); }))
                continue;
            out.push_back(e);
            break;
        }
    return out;
}

const intents::language_part* part_for(const intents::intent& in, const std::string& locale) {
    if (auto it = in.langs.find(locale); it != in.langs.end()) return &it->second;
    return in.langs.empty() ? nullptr : &in.langs.begin()->second;
}

// An intent's button title: its first example, with a capital as every button has ("Urgence",
// not "urgence"), else its description.
std::string intent_title(const intents::intent& in, const std::string& locale) {
    auto* p = part_for(in, locale);
    if (!p || p->examples.empty()) return in.description.empty() ? in.name : in.description;
    auto u = icu::UnicodeString::fromUTF8(p->examples.front().text);
    if (!u.isEmpty()) {
        const UChar32 first = u.char32At(0);
        u.replace(0, U16_LENGTH(first), static_cast<UChar32>(u_toupper(first)));
    }
    std::string title;
    return u.toUTF8String(title);
}

constexpr std::string_view forced_prefix = "intent:";

// A message made only of names the previous question can take, with at most a few linking
// words: "dimanche ?", "and the library", "what about sunday?", "et pour l'avenue Jean
// Jaurès ?". Such a message asks the previous question again about them, whatever the
// classifier makes of it ("and the library" alone reads as "where is the library").
// `numbers_too`: numbers may come with the names (the house number of "12 rue Pasteur").
// `during_too`: "pendant", "during" may come before a period: after an answer, "pendant les
// vacances de Noël ?" asks it again then (said first, it stays the school holidays' question).
bool only_names_for(const std::string& text, const std::vector<entities::entity>& ents,
                    const intents::language_part& part, bool numbers_too = false,
                    bool during_too = false) {
    if (ents.empty()) return false;
    auto takes = [&](const entities::entity& e) {
        bool fits = numbers_too && e.type == "number";
        for (auto& [name, spec] : part.slots) fits = fits || spec.takes(e.type);
        return fits;
    };
    for (auto& e : ents) {
        // "près de la mairie" is also a location (where from): the same words, read twice.
        bool twin = e.type == "location" && std::any_of(ents.begin(), ents.end(), [&](auto& o) {
                        return &o != &e && o.begin == e.begin && takes(o);
                    });
        if (!twin && !takes(e)) return false;
    }
    static const std::unordered_set<std::string> linking = {
        // French, folded (an elided "l'", "d'" is a one-letter word, taken below)
        "et", "pour", "le", "la", "les", "de", "du", "des", "au", "aux", "a", "alors", "sinon",
        "ok", "okay", "accord", "merci", "bon", "thanks",  // "ok et le lendemain ?"
        "ca", "cela", "aussi", "pareil", "meme", "quoi", "cote", "question", "en", "ce", "sur",
        "devant", "derriere", "pres", "face", "angle", "coin", "bis", "ter", "dans",
        // where one is or lives: "je suis rue des Mariniers", "j'habite avenue…", "moi c'est…"
        "je", "suis", "habite", "moi", "est",
        "i", "am", "im", "live", "my", "is", "it", "its",
        // "ma rue c'est rue des Coquelicots", "my street is…", "mon adresse : 12 rue Pasteur"
        "rue", "adresse", "street", "address",
        // a correction: "non, je voulais dire rue Victor Hugo", "sorry, I meant…", "plutôt…"
        "non", "pardon", "plutot", "voulais", "dire", "fait", "no", "sorry", "meant", "actually",
        // English
        "and", "what", "about", "how", "for", "the", "on", "at", "of", "then", "also",
        "same", "in", "near", "front", "opposite", "corner", "outside", "behind", "next", "to",
        "by"};
    const std::string rest = entities::without_entities(text, ents);
    // Word by word, letters (and UTF-8 bytes) between the rest: a plain ASCII word is looked up
    // lower-cased ("horaires de la …" stops at its first word); one with accents folded ("à",
    // "côté", "ça").
    std::string w;
    auto linking_word = [&] {
        if (w.empty()) return true;
        bool ascii = std::all_of(w.begin(), w.end(), [](char c) { return (c & 0x80) == 0; });
        bool ok = linking.count(ascii ? w : nlu::fold(w)) > 0 || (ascii && w.size() == 1) ||
                  (during_too && (w == "pendant" || w == "durant" || w == "during" || w == "over"));
        w.clear();
        return ok;
    };
    for (char c : rest) {
        if ((c & 0x80) || std::isalnum(static_cast<unsigned char>(c))) {
            w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (!linking_word()) {
            return false;
        }
    }
    return linking_word();
}

// A slot a shared position answers ("where is the problem?").
bool by_position(const intents::slot_spec& spec) {
    return spec.position || spec.entity == "location";
}

std::string trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

// Lower-case ASCII, trimmed of spaces and final punctuation: for the few fixed phrases below.
std::string simple(std::string_view s) {
    std::string out(s);  // (ASCII only: called several times on every message)
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    while (!out.empty() && (out.back() == ' ' || out.back() == '.' || out.back() == '!'))
        out.pop_back();
    while (!out.empty() && out.front() == ' ') out.erase(out.begin());
    return out;
}

// The house number written just before a street ("12 rue Pasteur", "12 bis, rue Pasteur",
// "4 Victor Hugo street"), or "".
std::string house_number(const std::string& text, const std::vector<entities::entity>& ents,
                         const entities::entity& street) {
    for (auto& n : ents) {
        if (n.type != "number" || n.end > street.begin) continue;
        std::string number = n.text;
        for (auto& w : nlu::words(text.substr(n.end, street.begin - n.end), "fr")) {
            // "12 rue jean jaures" found as "avenue Jean Jaurès" begins at "jean": the kind of
            // street said in between belongs to the street.
            if (entities::is_street_type(w)) continue;
            // "au 22 de la rue Pasteur", "le 3 du boulevard…": the number's article.
            if (number == n.text && (w == "de" || w == "la" || w == "l" || w == "du")) continue;
            if (w != "bis" && w != "ter") {
                number.clear();
                break;
            }
            number += " " + w;
        }
        if (!number.empty()) return number;
    }
    // After it: "rue Pasteur au 12", "rue Pasteur n° 12", "rue Pasteur, number 12".
    for (auto& n : ents) {
        if (n.type != "number" || n.begin < street.end) continue;
        std::string gap = text.substr(street.end, n.begin - street.end);
        for (auto at = gap.find("\xC2\xB0"); at != std::string::npos; at = gap.find("\xC2\xB0"))
            gap.replace(at, 2, " ");  // "n°"
        const auto between = nlu::words(gap, "fr");
        static const std::unordered_set<std::string> leads = {"au",     "ne",  "no", "numero",
                                                              "number", "num", "at"};  // "n°": "ne"
        // "près du numéro 20", "au niveau du 20", "near number 20", "outside number 20".
        static const std::unordered_set<std::string> near = {
            "au", "ne", "no", "numero", "number", "num", "at", "pres", "du", "niveau", "devant",
            "le", "en", "face", "near", "outside", "by", "in", "front", "of"};
        if (between.empty() || (between.size() == 1 && leads.count(between[0])) ||
            (between.size() <= 4 &&
             std::all_of(between.begin(), between.end(), [](auto& w) { return near.count(w) > 0; })))
            return n.text;
    }
    return "";
}

// A street named in the message that the gazetteer did not find, as written: "impasse des
// roses" (French: the kind of street, then its name), "roses street" (English: the name, then
// the kind); "" when there is none.
std::string street_said(const std::string& text) {
    const std::vector<std::string> tokens = nlu::words_as_written(text);
    auto plain = [](const std::string& t) {  // a name word: no digit
        return std::none_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    static const std::unordered_set<std::string> before_name = {
        "on", "in", "at", "for", "the", "of", "my", "our", "near", "live", "lives"};
    // "rue machin svp", "la route devant chez moi": words no street name has.
    static const std::unordered_set<std::string> after_name = {
        "svp",  "stp",  "merci", "mci", "please", "thanks", "pls",    "plz", "devant", "devan",
        "chez", "pres", "ici",   "qui", "est",    "ya",     "depuis", "en",  "face",
        "il",   "elle", "ils"};
    auto joined = [&](std::size_t from, std::size_t to) {  // tokens [from, to)
        std::string out = tokens[from];
        for (std::size_t k = from + 1; k < to; ++k) out += " " + tokens[k];
        return out;
    };
    // "ma rue n'est pas éclairée", "notre rue": one's own street, which no name follows.
    static const std::unordered_set<std::string> owner = {"ma", "mon",  "notre", "votre", "ta",
                                                          "sa", "leur", "cette", "ces"};
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string type = nlu::fold(tokens[i]);
        if (!entities::is_street_type(type)) continue;
        if (i > 0 && owner.count(nlu::fold(tokens[i - 1]))) continue;
        if (type == "street" || type == "road" || type == "lane") {  // "roses street"
            // "broken street light", "road sign": the type is a noun's modifier, no street.
            static const std::unordered_set<std::string> modified = {
                "light", "lights", "lamp",  "lamps", "lighting", "sign",    "signs",
                "name",  "names",  "party", "works", "cleaning", "sweeper", "furniture"};
            if (i + 1 < tokens.size() && modified.count(nlu::fold(tokens[i + 1]))) continue;
            // ("flooded road", "blocked street": a participle says what is wrong with it.)
            std::size_t k = i;
            while (k > 0 && i - k < 3 && plain(tokens[k - 1]) &&
                   !before_name.count(nlu::fold(tokens[k - 1])) &&
                   !nlu::fold(tokens[k - 1]).ends_with("ed"))
                --k;
            if (k < i) return joined(k, i + 1);
            continue;
        }
        // "la lumière de la rue clignote", "sur la place tous les soirs": "la rue" followed by
        // a word typed in lower case is the street, not one named.
        if (i > 0 && i + 1 < tokens.size() &&
            (nlu::fold(tokens[i - 1]) == "la" || nlu::fold(tokens[i - 1]) == "le") &&
            std::islower(static_cast<unsigned char>(tokens[i + 1][0])))
            continue;
        std::size_t j = i + 1;  // "impasse des roses"
        while (j < tokens.size() && j < i + 5 && plain(tokens[j]) &&
               !entities::is_street_type(nlu::fold(tokens[j])) &&
               !after_name.count(nlu::fold(tokens[j])) &&
               nlu::fold(tokens[j]).rfind("n'", 0) != 0)  // "rue n'est pas…": a verb
            ++j;
        if (j > i + 1) return joined(i, j);
    }
    return "";
}

// The place named after "derrière", "devant", "behind", "outside"… as written ("derrière
// intermarché": "intermarché"; "near the bandstand": "bandstand"), for a place the gazetteer
// did not find; "" when there is none. Only the one word after the preposition and its article.
std::string place_said(const std::string& text) {
    const std::vector<std::string> tokens = nlu::words_as_written(text);
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        if (!is_where_word(nlu::fold(tokens[i]))) continue;
        std::size_t k = i + 1;
        while (k < tokens.size() &&
               (is_where_word(nlu::fold(tokens[k])) || is_article_word(nlu::fold(tokens[k]))))
            ++k;
        if (k >= tokens.size()) return "";
        std::string w = tokens[k];
        if (auto q = w.find_last_of("'\u2019"); q != std::string::npos) w.erase(0, q + 1);  // l'église
        if (w.size() < 3 || nlu::fold(w) == "chez") return "";  // "devant chez moi"
        return w;
    }
    return "";
}

// The text with typographic apostrophes (a phone's keyboard) as "'".
std::string straight_apostrophes(std::string_view text) {
    std::string s(text);
    for (auto at = s.find("\u2019"); at != std::string::npos; at = s.find("\u2019", at + 1))
        s.replace(at, 3, "'");
    return s;
}

// "laisse tomber, merci", "annuler svp": the phrase without the courtesy around it.
std::string without_politeness(std::string_view text) {
    std::string t = simple(text);
    for (bool cut = true; cut;) {
        cut = false;
        for (const char* w : {" merci", " svp", " s'il vous plait", " s'il vous plaît",
                              " s'il te plait", " s'il te plaît", " stp", " please", " thanks",
                              " thank you", ",", "."}) {
            const std::string_view tail(w);
            if (t.size() > tail.size() && t.ends_with(tail)) {
                t.resize(t.size() - tail.size());
                cut = true;
            }
        }
    }
    return t;
}

// `t` (simple()'s form) without the words of `lead` said first, each followed by a space or a
// comma ("ok, non annule", "ok thanks, and on sunday?").
std::string_view without_leading(std::string_view t, std::initializer_list<std::string_view> lead) {
    for (bool cut = true; cut;) {
        cut = false;
        while (!t.empty() && (t.front() == ' ' || t.front() == ',')) t.remove_prefix(1);
        for (std::string_view w : lead)
            if (t.size() > w.size() && t.starts_with(w) &&
                (t[w.size()] == ' ' || t[w.size()] == ',')) {
                t.remove_prefix(w.size());
                cut = true;
            }
    }
    return t;
}

// "merci", "ok super", "thanks a lot", "bonne journée", "bonjour madame": a message of thanks,
// acknowledgement or greeting only, at most four words.
bool only_courtesy(std::string_view text) {
    static const std::unordered_set<std::string> words = {
        "merci", "beaucoup", "bcp", "mille", "ok", "okay", "daccord", "accord", "super", "parfait",
        "top", "cool", "genial", "bien", "tres", "bonjour", "bonsoir", "salut", "slt", "bjr",
        "coucou", "madame", "monsieur", "au", "revoir", "bonne", "journee", "soiree", "oui", "non",
        "thanks", "thank", "you", "thx", "ty", "a", "lot", "so", "much", "great", "perfect",
        "cheers", "bye", "goodbye", "hello", "hi", "hey", "yes", "no", "good", "nice", "day",
        "morning", "afternoon", "evening", "ciao"};
    const auto said = nlu::words_as_written(text);
    return !said.empty() && said.size() <= 4 && std::all_of(said.begin(), said.end(), [](auto w) {
        std::string f = nlu::fold(w);  // "d'accord" is "daccord"
        for (std::string_view q : {"'", "’"})
            for (auto at = f.find(q); at != std::string::npos; at = f.find(q)) f.erase(at, q.size());
        return words.count(f) > 0;
    });
}

// "laisse tomber": ends the form or question in progress. Also with a "no" or an "ok" before,
// courtesy after, or "it"/"ça" ("no, cancel", "non annule ça merci", "ok never mind"): "no,
// cancel" at a report's recap was read as a correction, and the report was then filed.
// In a form (`in_form`), so is a "no" with courtesy or second thoughts around it ("non merci",
// "no thanks", "non finalement"; elsewhere "no thanks" is thanks), a change of mind ("j'ai
// changé d'avis", "don't send it"), and a cancel followed by a reason after a comma ("forget
// it, I'll call them myself"): at a report's recap these were read as a correction or the
// recap again, and a later "ok" filed the report.
bool is_cancel(std::string_view text, bool in_form = false) {
    static constexpr std::string_view phrases[] = {
        "laisse tomber", "laissez tomber", "laisse", "laissez", "annule", "annuler", "annulez",
        "stop", "oublie", "oublie ça", "oubliez", "oubliez ça", "tant pis", "never mind",
        "nevermind", "cancel", "forget it", "stop it", "j'ai changé d'avis", "j'ai change d'avis",
        "changé d'avis", "change d'avis", "ne l'envoyez pas", "ne l'envoie pas", "n'envoyez rien",
        "c'est bon oubliez", "i changed my mind", "i've changed my mind", "changed my mind",
        "don't send it", "do not send it", "dont send it", "don't bother", "dont bother"};
    auto said = [](std::string_view t) {
        return std::find(std::begin(phrases), std::end(phrases), t) != std::end(phrases);
    };
    const std::string written = straight_apostrophes(text);
    const std::string polite = without_politeness(written);
    std::string_view t =
        without_leading(polite, {"non", "no", "nan", "nah", "nope", "ok", "okay", "bon", "euh",
                                 "oh", "c'est bon", "en fait", "finalement", "actually", "well",
                                 "please", "svp", "stp", "merci de", "pouvez-vous",
                                 "pouvez vous", "can you", "could you"});
    if (said(t)) return true;  // ("forget it", "stop it", "oublie ça" as they are)
    for (std::string_view w : {" it", " that", " ça", " ca", " tout", " my request", " the request",
                               " ma demande", " la demande"})  // "please cancel my request"
        if (t.size() > w.size() && t.ends_with(w)) t.remove_suffix(w.size());
    if (said(t)) return true;
    if (in_form && (t == "non" || t == "no" || t == "nope" || t == "finalement") &&
        t != simple(written))
        return true;
    const auto comma = t.find(',');
    return comma != std::string_view::npos && said(t.substr(0, comma));
}

// What follows "laissez tomber," when a cancel phrase opens the text ("laissez tomber, y a un
// nid de poule devant chez moi"); "" else.
std::string said_after_cancel(std::string_view text) {
    const std::string written = straight_apostrophes(text);
    const auto comma = written.find(',');
    if (comma == std::string::npos || !is_cancel(written.substr(0, comma))) return "";
    const auto rest = written.find_first_not_of(' ', comma + 1);
    return rest == std::string::npos ? "" : written.substr(rest);
}

// The words that join a second question to the first ("… et où est la déchetterie ?").
constexpr std::array<std::string_view, 5> joining_words = {"et", "and", "puis", "also", "then"};

// Whether `text` starts with `lower` (lower-case), its ASCII letters' case aside.
bool starts_with_folded(std::string_view text, std::string_view lower) {
    return text.size() >= lower.size() &&
           std::equal(lower.begin(), lower.end(), text.begin(), [](char a, char b) {
               return a == std::tolower(static_cast<unsigned char>(b));
           });
}

// The lower-case word at the start of `text`, when it is one of the joining words; "" else.
std::string_view joining_word_at(std::string_view text) {
    for (std::string_view j : joining_words)
        if (text.size() > j.size() && text[j.size()] == ' ' && starts_with_folded(text, j))
            return j;
    return {};
}

// The clauses of `text`, as [begin, end) byte ranges with their punctuation: a clause ends at
// ".", "!", "?", "," or ";" followed by a space, or at the end; with `at_joining_words`, also
// before "et", "and", "puis"… ("nid de poule rue Pasteur et appelez-moi au 06…").
std::vector<std::pair<std::size_t, std::size_t>> clauses(std::string_view text,
                                                         bool at_joining_words) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::size_t from = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (std::strchr(".!?,;", text[i]) && (i + 1 == text.size() || text[i + 1] == ' ')) {
            out.emplace_back(from, i + 1);
            from = i + 1;
        } else if (at_joining_words && text[i] == ' ' && i > from &&
                   !joining_word_at(text.substr(i + 1)).empty()) {
            out.emplace_back(from, i);
            from = i;
        }
    }
    if (from < text.size()) out.emplace_back(from, text.size());
    return out;
}

// "…, je ne sais pas quelles démarches faire. Pouvez-vous m'aider s'il vous plaît ?",
// "Bonjour, pouvez-vous m'aider ? je dois refaire mon passeport": the request without the
// clauses that only plead for help or thank in advance (the plea outweighed the request:
// "what can you do?" answered a widow's question). A plea alone stays as it is.
std::string without_pleas(const std::string& text) {
    static constexpr std::string_view pleas[] = {
        "pouvez-vous m'aider", "pouvez vous m'aider", "vous pouvez m'aider", "pourriez-vous m'aider",
        "pourriez vous m'aider", "merci d'avance", "merci de votre aide", "merci pour votre aide",
        "merci de m'aider", "cordialement", "bien cordialement", "can you help me",
        "could you help me", "can you help", "could you help", "thanks in advance",
        "thank you in advance", "thanks for your help", "kind regards", "regards"};
    if (text.size() < 24) return text;  // (the shortest plea and a request)
    const std::string t = straight_apostrophes(text);
    std::string kept;
    bool dropped = false;
    for (auto [from, end] : clauses(t, false)) {
        std::string clause = t.substr(from, end - from);
        std::string plain = clause;
        while (!plain.empty() && std::strchr("?!.,; ", plain.back())) plain.pop_back();
        plain = without_politeness(plain);
        if (std::find(std::begin(pleas), std::end(pleas), plain) != std::end(pleas))
            dropped = true;
        else
            kept += clause;
    }
    if (!dropped || trimmed(kept).size() < 8) return text;
    return trimmed(kept);
}

// The message without its clauses (clauses()) that hold a phone number or an e-mail address;
// "" when none does, or nothing is left. Those clauses go to `contact` when given.
std::string without_contact_clauses(const std::string& text,
                                    const std::vector<entities::entity>& found,
                                    std::string* contact = nullptr) {
    std::vector<std::pair<std::size_t, std::size_t>> contacts;
    for (auto& e : found)
        if (e.type == "phone" || e.type == "email") contacts.emplace_back(e.begin, e.end);
    if (contacts.empty()) return {};
    std::string rest;
    bool dropped = false;
    for (auto [from, end] : clauses(text, true)) {
        if (std::any_of(contacts.begin(), contacts.end(),
                        [&](auto& c) { return c.first < end && c.second > from; })) {
            dropped = true;
            if (contact) *contact += text.substr(from, end - from) + " ";
        } else
            rest += text.substr(from, end - from) + " ";
    }
    rest = trimmed(rest);
    return dropped ? rest : std::string();
}

// The fixed answer of an urgent intent (the emergency numbers, the suicide prevention line)
// when `text` surely asks for it — one of its keywords, or the classifier sure of it — else
// null. For messages the bot does not otherwise answer (a human agent has the conversation).
// There, the urgent intent ranked first at this confidence is enough ("Help, there is a fire in
// the school!" is 0.85): the numbers said once too often cost less than an emergency left to
// an agent who may be slow to read.
constexpr double urgent_while_with_agent = 0.5;
const std::string* urgent_answer(const site& s, const std::string& text, const std::string& locale,
                                 double sure) {
    const auto c = s.classify(text, locale, {});
    if (c.ranked.empty() || c.out_of_scope) return nullptr;
    const auto* in = s.intents().find(c.ranked.front().intent);
    if (!in || !in->urgent || !(c.from_pattern || c.ranked.front().confidence >= sure))
        return nullptr;
    const auto* part = part_for(*in, locale);
    if (!part || part->answers.empty()) return nullptr;
    return &part->answers.front();
}

// "je me suis trompée, c'est rue Victor Hugo", "oups, je voulais dire la piscine", "sorry, I
// meant Saturday": what the citizen meant instead, as a question that goes on from the last
// one ("et rue Victor Hugo"); else "" (it was not understood: the fallback). Only after an
// explicit word of error; a bare "non" answers the bot's questions and stays as it is.
std::string as_correction(const std::string& text) {
    if (text.size() > 120) return {};
    const std::string said = straight_apostrophes(trimmed(text));
    std::string t = said;  // lower-cased (ASCII: same length), to find the words
    for (char& c : t)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    // Words of error, and apologies: an apology alone ("pardon", "sorry, in English please") is
    // no correction until "c'est", "I meant"… follows it. ("erreur sur ma facture" is a request.)
    const std::string_view after_error = without_leading(
        t, {"je me suis trompee", "je me suis trompée", "je me suis trompe", "je me suis trompé",
            "je me suis plante", "je me suis planté", "my mistake", "my bad", "pardon", "oups",
            "oops", "sorry", "desole", "désolé", "desolee", "désolée"});
    const std::string_view meant = without_leading(
        after_error, {"je voulais dire", "je voulais demander", "c'est", "c est", "plutot", "plutôt",
                      "i meant", "i mean", "it's", "it is", "make that", "instead"});
    const std::string_view lead = std::string_view(t).substr(0, t.size() - after_error.size());
    static constexpr std::string_view errors[] = {"tromp", "plant", "mistake", "my bad"};
    const bool error = meant.size() < after_error.size() ||
                       std::any_of(std::begin(errors), std::end(errors),
                                   [&](std::string_view w) { return lead.find(w) != std::string_view::npos; });
    std::string rest = trimmed(said.substr(t.size() - meant.size()));
    return error && rest.size() >= 2 ? "et " + rest : std::string();
}

// "et à 14h ?", "ok et le soir ?", "and what about the pool": a question that goes on from
// the last one.
bool goes_on(std::string_view text) {
    const std::string t = simple(text);
    // (After an acknowledgement: "ok et le lendemain ?", "ok thanks, and on sunday?".)
    const std::string_view rest =
        without_leading(t, {"ok", "okay", "d'accord", "merci", "thanks", "thank you", "bon",
                            "super", "parfait", "great", "cool"});
    for (std::string_view start : {"et ", "and ", "what about ", "how about "})
        if (rest.starts_with(start)) return true;
    return false;
}

// "what time?", "à quelle heure ?", "quand ?" alone: the time on the day talked about (after
// "is the market on this weekend?", not now).
bool asks_what_time(std::string_view text) {
    if (text.size() > 48) return false;  // (every follow-up slot passes here)
    std::string t = simple(text);
    while (!t.empty() && (t.back() == '?' || t.back() == ' ')) t.pop_back();
    static const std::set<std::string, std::less<>> asks = {
        "what time", "at what time", "what times", "when", "what hours", "opening times",
        "à quelle heure", "a quelle heure", "quelle heure", "quelles heures", "quand",
        "c'est quand", "quels horaires", "les horaires", "horaires", "a partir de quelle heure",
        "à partir de quelle heure", "jusqu'à quelle heure", "jusqu'a quelle heure",
        // "jusqu'à quand ?" after the pool's hours: when it closes (the FAQ read works in it)
        "jusqu'à quand", "jusqu'a quand", "jusqu a quand", "jusqua quand", "until when",
        "till when", "until what time", "till what time", "how late"};
    if (asks.count(t)) return true;
    // "à quelle heure elle ferme ?", "what time does it close?": the same question about the
    // place talked about, said with a pronoun and a verb of opening (it was answered about
    // now, the day talked about dropped).
    static const std::set<std::string, std::less<>> about_it = {
        "elle", "il", "elles", "ils", "ca", "ça", "c'est", "ce", "est", "sont", "ferme", "ferment",
        "ouvre", "ouvrent", "fermee", "fermée", "ouverte", "ouvert", "ouverts", "ouvertes", "it",
        "they", "does", "do", "is", "are", "close", "closes", "open", "opens", "ferme-t-elle",
        "ouvre-t-elle", "ferme-t-il", "ouvre-t-il", "est-ce", "qu'elle", "qu'il", "qu'ils", "qu'elles"};
    for (std::string_view lead : {"à quelle heure ", "a quelle heure ", "jusqu'à quelle heure ",
                                  "jusqu'a quelle heure ", "quand ", "what time ", "when ",
                                  "until what time ", "till what time "}) {
        if (!t.starts_with(lead)) continue;
        std::istringstream rest(t.substr(lead.size()));
        bool any = false;
        for (std::string w; rest >> w;) {
            if (!about_it.count(w)) return false;
            any = true;
        }
        return any;
    }
    return false;
}

// "je veux parler à un agent", "can I talk to someone": a person asked for in so many words.
bool asks_for_a_person(std::string_view text) {
    const std::string t = simple(text);
    // ("parler au maire" is an appointment with an elected member: the FAQ's.)
    for (std::string_view p :
         {"parler à un", "parler a un", "parler à quelqu", "parler a quelqu", "parler avec un",
          "parler avec quelqu", "un agent", "un humain", "une personne", "un conseiller",
          "talk to a", "talk to someone", "talk to an", "speak to a", "speak to someone",
          "speak to an", "speak with a", "speak with someone", "a real person", "a human"})
        if (t.find(p) != std::string::npos) return true;
    return false;
}

// "English please", "in english", "en français svp", "parlez-vous anglais ?": the language
// asked for ("en", "fr"), or "" when the message asks none.
std::string language_asked(std::string_view text) {
    // (Every message passes here: the folding only for one that names a language.)
    const std::string lower = simple(text);
    if (text.size() > 48 || (lower.find("angl") == std::string::npos &&
                             lower.find("engl") == std::string::npos &&
                             lower.find("fran") == std::string::npos &&
                             lower.find("french") == std::string::npos))
        return {};
    std::string t = without_politeness(nlu::loose(text));
    while (!t.empty() && (t.back() == '?' || t.back() == '!' || t.back() == ' ')) t.pop_back();
    t = without_politeness(t);
    const std::string_view rest = without_leading(
        t, {"bonjour", "hello", "hi", "ok", "non", "no", "sorry", "pardon", "excuse me", "desole"});
    static const std::pair<std::string_view, std::string_view> asks[] = {
        {"english", "en"}, {"in english", "en"}, {"en anglais", "en"}, {"anglais", "en"},
        {"english only", "en"}, {"do you speak english", "en"}, {"can we speak english", "en"},
        {"can you speak english", "en"}, {"speak english", "en"}, {"parlez-vous anglais", "en"},
        {"vous parlez anglais", "en"}, {"i don't speak french", "en"},
        {"i dont speak french", "en"}, {"francais", "fr"}, {"en francais", "fr"},
        {"in french", "fr"}, {"french", "fr"}, {"parlez francais", "fr"},
        {"parlez-moi en francais", "fr"}, {"je prefere en francais", "fr"},
        {"je prefere le francais", "fr"}, {"vous parlez francais", "fr"},
        {"do you speak french", "fr"}};
    for (auto [said, lang] : asks)
        if (rest == said) return std::string(lang);
    return {};
}

// "comment j'y vais ?", "comment s'y rendre", "how do I get there?": the way to a place.
bool asks_the_way(std::string_view text) {
    if (std::count(text.begin(), text.end(), ' ') >= 7) return false;
    const std::string t = simple(text);
    for (std::string_view p : {"j'y vais", "j y vais", "jy vais", "y aller", "m'y rendre",
                               "s'y rendre", "y rendre", "get there", "the way there", "directions"})
        if (t.find(p) != std::string::npos) return true;
    return false;
}

// "c'est combien ?", "ça coûte combien", "c'est payant ?", "how much is it?": a price asked,
// in a few words.
bool asks_price(std::string_view text) {
    if (std::count(text.begin(), text.end(), ' ') >= 6) return false;  // a few words
    const std::string t = simple(text);  // (the words below have no accent)
    for (std::string_view p : {"combien", "payant", "gratuit", "tarif", "prix", "how much", "price",
                               "is it free", "cost"})
        if (t.find(p) != std::string::npos) return true;
    return false;
}

// "je fais quoi ?", "qu'est-ce que je dois faire", "who do I call", "who i call": what to do or
// whom to call, asked of the answer just given, naming nothing else (after the FAQ's advice
// on a neighbour not seen for days, "je fais quoi" read as "what can you do?", and "who i
// call" after the noisy neighbour's as the emergency numbers). So is what to do first ("qu'est-ce
// que je dois faire en premier ?" after the death's answer was "what can you do?").
bool asks_what_to_do(std::string_view text) {
    // A few words, as written (the space before a French "?" is none).
    if (nlu::words_as_written(text).size() > 7) return false;
    static const std::set<std::string, std::less<>> asking = {"quoi", "que", "qu", "what", "qui",
                                                             "who"};
    static const std::set<std::string, std::less<>> doing = {
        "fais", "faire", "fait", "do", "call", "ring", "phone", "appeler", "appelle", "contacter",
        "contact"};
    static const std::set<std::string, std::less<>> around = {
        "je", "j", "on", "est", "ce", "dois", "doit", "faut", "il", "i", "should", "can", "must",
        "to", "we", "ok", "alors", "donc", "so", "then", "maintenant", "now", "moi", "en", "du",
        "coup", "about", "it", "ca", "cela", "pour", "premier", "first", "de", "abord"};
    bool asks = false, does = false;
    for (const std::string& w : nlu::words(text, "fr")) {  // ("qu'est-ce" is "que est ce")
        if (asking.count(w)) asks = true;
        else if (doing.count(w)) does = true;
        else if (!around.count(w)) return false;
    }
    return asks && does;
}

// "et en voiture ?", "à vélo ?", "and on foot?", "c loin à pied ?", "combien de temps à
// vélo ?", "is it far on foot?": only a way of going somewhere (and how far or long).
bool only_a_way(std::string_view text) {
    static const std::set<std::string, std::less<>> ways = {
        "pied", "velo", "bicyclette", "voiture", "bus", "transports", "foot", "bike", "bicycle",
        "car", "walking", "cycling", "driving"};
    static const std::set<std::string, std::less<>> around = {
        "et", "ou", "en", "a", "plutot", "sinon", "and", "or", "by", "on", "instead", "what",
        "about", "if", "i", "go", "commun", "public", "transport", "c", "ce", "est", "loin",
        "combien", "de", "temps", "ca", "prend", "y", "aller", "far", "how", "long", "is", "it",
        "does", "take", "there", "to", "get", "the"};
    bool way = false;
    for (const std::string& w : nlu::words(text, "fr")) {
        if (ways.count(w)) way = true;
        else if (!around.count(w)) return false;
    }
    return way;
}

// "où puis-je garer…", "c'est où ?", "where is…": asked where something is. (Without its
// accent, "ou" asks where only at the start: "la piscine ou la médiathèque" is a choice.)
bool asks_where(std::string_view text) {
    const auto said = nlu::words(text, "fr");  // folded: "où" is "ou" there
    static const std::set<std::string, std::less<>> leading = {"bonjour", "bonsoir", "salut", "hello",
                                                              "hi", "excusez", "moi", "svp", "please"};
    std::size_t first = 0;
    while (first < said.size() && leading.count(said[first])) ++first;
    if (first < said.size() && (said[first] == "ou" || said[first] == "where" || said[first] == "wheres"))
        return true;
    return text.find("où") != std::string_view::npos || text.find("Où") != std::string_view::npos ||
           std::find(said.begin(), said.end(), "where") != said.end();
}

// Whether `text` says one of `words` (folded: "près" is "pres").
bool says_any(std::string_view text, const std::string& locale,
              const std::set<std::string, std::less<>>& words) {
    const auto said = nlu::words(text, locale);
    return std::any_of(said.begin(), said.end(), [&](const std::string& w) { return words.count(w) > 0; });
}

// "la piscine la plus proche", "nearest recycling centre to my house?": the nearest place of a
// kind asked for, which the places plugin finds.
bool asks_nearest(std::string_view text) {
    static const std::set<std::string, std::less<>> nearest = {"proche",  "proches", "pres",
                                                               "nearest", "closest", "near"};
    return says_any(text, "fr", nearest);
}

// "prochain marché ?", "next market?": when a place opens next.
bool asks_next(std::string_view text, const std::string& locale) {
    static const std::set<std::string, std::less<>> next = {"prochain", "prochaine", "next"};
    return says_any(text, locale, next);
}

// "annulez ma demande de rappel", "cancel the call back": a request cancelled, in words.
bool cancels_a_request(std::string_view text) {
    const std::string t = nlu::loose(text);
    const bool cancel = t.find("annul") != std::string::npos || t.find("cancel") != std::string::npos;
    return cancel && (t.find("rappel") != std::string::npos || t.find("demande") != std::string::npos ||
                      t.find("call") != std::string::npos || t.find("request") != std::string::npos);
}

// "rappelez-moi", "can someone ring me?", "call me back": a call back asked for (never an
// emergency: "call me an ambulance" is not among them).
bool asks_for_a_call_back(std::string_view text) {
    const std::string t = simple(text);
    for (std::string_view p :
         {"rappelez-moi", "rappelez moi", "me rappeler", "me rappelle", "rappeler svp",
          "ring me", "phone me back", "phone me", "call me back", "give me a call",
          "give me a ring"})
        if (t.find(p) != std::string::npos) return true;
    return false;
}

// "chez moi", "at home", "my place", "à la maison": the citizen's own home, said without its street (the one
// he gave as his, kept apart from another person's: site memory `home.street`).
bool says_home(std::string_view text, const std::string& locale) {
    const auto w = nlu::words(text, locale);
    static const std::set<std::pair<std::string, std::string>> home = {
        {"chez", "moi"},   {"chez", "nous"},  {"ma", "rue"},     {"mon", "adresse"},
        {"at", "home"},    {"my", "home"},    {"my", "house"},   {"my", "place"},
        {"my", "street"},  {"my", "address"}, {"our", "house"},  {"our", "street"},
        {"ma", "maison"},  {"notre", "maison"}};
    for (std::size_t i = 0; i < w.size(); ++i)
        if (w[i] == "mine" || (i + 1 < w.size() && home.count({w[i], w[i + 1]})) ||
            (i + 2 < w.size() && w[i] == "a" && w[i + 1] == "la" && w[i + 2] == "maison" &&
             i + 3 == w.size()))  // "à la maison", not "à la maison des associations"
            return true;
    return false;
}

// "chez ma mère rue des Mariniers", "pour mon fils", "my mum's street": another person's home,
// not the citizen's own ("chez moi" later is not that street).
bool names_another_home(std::string_view text, const std::string& locale) {
    static const std::set<std::string, std::less<>> people = {
        "mere", "maman", "pere", "papa", "parents", "fils", "fille", "frere", "soeur", "mamie",
        "papi", "grand", "grands", "oncle", "tante", "voisin", "voisine", "ami", "amie",
        "copain", "copine", "cousin", "cousine", "belle", "beau", "enfant", "enfants",
        "mum", "mums", "mom", "moms", "mother", "mothers", "dad", "dads", "father", "fathers",
        "son", "sons", "daughter", "daughters", "brother", "brothers", "sister", "sisters",
        "grandma", "grandmas", "granny", "grannys", "nan", "nans", "grandad", "grandads",
        "grandmother", "grandmothers", "grandfather", "grandfathers", "aunt", "aunts", "uncle",
        "uncles", "neighbour", "neighbours", "neighbor", "neighbors", "friend", "friends",
        "cousins", "parent"};
    static const std::set<std::string, std::less<>> whose = {
        "ma", "mon", "mes", "sa", "son", "ses", "notre", "nos", "my", "our", "his", "her"};
    const auto w = nlu::words(text, locale);
    for (std::size_t i = 0; i + 1 < w.size(); ++i) {
        if (w[i] == "chez" && w[i + 1] != "moi" && w[i + 1] != "nous") return true;
        if (whose.count(w[i]) && people.count(w[i + 1])) return true;
    }
    return false;
}

// "et l'autre ?", "and the other one?": the other of the places just answered, so the same
// question again (it was read as a question about the bot).
bool asks_about_the_other(std::string_view text) {
    std::string t = simple(text);
    while (!t.empty() && (t.back() == '?' || t.back() == ' ')) t.pop_back();
    const std::string_view rest =
        without_leading(t, {"ok", "d'accord", "merci", "thanks", "et", "and", "what about",
                            "how about", "pour", "for"});
    for (std::string_view other : {"l'autre", "l autre", "lautre", "l'autre aussi", "l'autre alors",
                                   "the other", "the other one", "the other one too", "other one"})
        if (rest == other) return true;
    return false;
}

// "pourquoi c'est fermé ?", "why is it closed?", "pourquoi ?": why of the answer just given,
// about the same place and day (it was answered for today, and contradicted the answer).
bool asks_why(std::string_view text, const std::string& locale) {
    static const std::set<std::string, std::less<>> about_it{
        "ce",     "est",     "elle",  "il",     "ils",    "elles", "sont",  "ferme",
        "fermee", "fermes",  "fermees", "ouvert", "ouverte", "ouverts", "ouvertes", "alors",
        "donc",   "ca",      "cela",  "mais",   "ah",     "ok",    "it",    "is",
        "its",    "closed",  "open",  "they",   "are",    "then",  "so",    "that",
        "but",    "oh"};
    // (Most messages after hours ask no "why": looked for before the tokenizer runs.)
    const std::string lower = simple(text);
    if (lower.size() > 60 ||
        (lower.find("pourquoi") == std::string::npos && lower.find("why") == std::string::npos))
        return false;
    const auto words = nlu::words(text, locale);
    if (words.empty() || words.size() > 6) return false;
    bool why = false;
    for (auto& w : words)
        if (w == "pourquoi" || w == "why")
            why = true;
        else if (!about_it.count(w))
            return false;
    return why;
}

// Local `day` at the time of day of `e`'s value ("…T14:00:00"), or nullopt.
std::optional<std::int64_t> at_time_of(const entities::entity& e, std::chrono::year_month_day day,
                                       const std::string& time_zone) {
    if (!day.ok() || e.value.size() < 19) return std::nullopt;
    try {
        return hours::parse_local_iso(
            kb::iso_day(std::chrono::sys_days{day}.time_since_epoch().count()) + e.value.substr(10, 9),
            time_zone);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// A datetime said without its day ("à 14h", "le lendemain") moved to the day talked about
// (`last`: its local ISO start, "2026-12-06T00:00:00+01:00"), plus the days it counts
// ("le lendemain": 1); its start then, or nullopt.
std::optional<std::int64_t> on_day_talked_about(const entities::entity& e, const std::string& last,
                                                const std::string& time_zone) {
    int y = 0, mo = 0, d = 0;
    if (last.size() < 10 || std::sscanf(last.c_str(), "%4d-%2d-%2d", &y, &mo, &d) != 3 ||
        e.value.size() < 19)
        return std::nullopt;
    const std::chrono::year_month_day day{std::chrono::sys_days{std::chrono::year{y} / mo / d} +
                                          std::chrono::days{e.after_days}};
    return at_time_of(e, day, time_zone);
}

// A day of the month said alone (`start`, its next one from today) moved to the first such day
// on or after the day talked about (`last`, its local ISO start); nullopt when that is not
// later, when that day is nearer to the day talked about than the next one ("le 31 décembre ?"
// - "et le 26 ?" is 26 December, still ahead; "et le 2 ?" is 2 January; "le 1er janvier ?" -
// "et le 24 ?" is Christmas Eve, not 24 January), or the day of the month is not found within a
// year.
std::optional<std::int64_t> on_day_of_month_after(const entities::entity& e, std::int64_t start,
                                                  const std::string& last,
                                                  const std::string& time_zone) {
    const auto talked = hours::parse_local_iso(last.substr(0, std::min<std::size_t>(19, last.size())), time_zone);
    if (!talked || *talked <= start || e.value.size() < 19) return std::nullopt;
    int y = 0, mo = 0, d = 0, ty = 0, tmo = 0, td = 0;
    if (std::sscanf(e.value.c_str(), "%4d-%2d-%2d", &y, &mo, &d) != 3 ||
        std::sscanf(last.c_str(), "%4d-%2d-%2d", &ty, &tmo, &td) != 3)
        return std::nullopt;
    using namespace std::chrono;
    const sys_days from{year{ty} / tmo / td};
    auto ym = year_month{year{ty}, month{static_cast<unsigned>(tmo)}};
    for (int ahead = 0; ahead < 12; ++ahead, ym += months{1}) {
        const year_month_day day{ym / std::chrono::day{static_cast<unsigned>(d)}};
        if (!day.ok() || sys_days{day} < from) continue;
        if ((from - sys_days{year{y} / mo / d}) <= (sys_days{day} - from))
            return std::nullopt;  // the day said, still ahead, is the nearer
        return at_time_of(e, day, time_zone);
    }
    return std::nullopt;
}

// "avant noël", "après le jour de l'an", "before Christmas": the days before that day (a week
// at most, from today on) or the week after it, rather than the day itself, which the citizen
// means to avoid. nullopt when no such word stands right before a day said, or when no day
// before it is left.
std::optional<std::pair<std::int64_t, std::int64_t>> around_the_day(std::string_view text,
                                                                    const entities::entity& e,
                                                                    std::int64_t now,
                                                                    const std::string& time_zone) {
    if (e.grain != "day" || !e.day_said) return std::nullopt;
    auto word_before = [&](std::size_t end) {
        while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\'')) --end;
        std::size_t begin = end;
        while (begin > 0 && text[begin - 1] != ' ' && text[begin - 1] != '\'') --begin;
        return std::pair{nlu::fold(text.substr(begin, end - begin)), begin};
    };
    auto [word, at] = word_before(e.begin);
    if (word == "le" || word == "la" || word == "l" || word == "les" || word == "the") word = word_before(at).first;
    const bool before = word == "avant" || word == "before";
    const bool after = word == "apres" || word == "after";
    if (!before && !after) return std::nullopt;
    // The local midnight `n` days from the day that starts at `day` (a change of clocks moves none).
    auto midnight = [&](std::int64_t day, int n) {
        auto local = hours::format_local_iso(day + n * 86400 + 12 * 3600, time_zone);
        return hours::parse_local_iso(local.substr(0, 10) + "T00:00:00", time_zone);
    };
    if (after) {
        auto first = midnight(e.start, 1), stop = midnight(e.start, 8);
        if (!first || !stop) return std::nullopt;
        return std::pair{*first, *stop};
    }
    auto today = midnight(now - 12 * 3600, 0), week_before = midnight(e.start, -7);
    if (!today || !week_before || *today >= e.start) return std::nullopt;
    return std::pair{std::max(*today, *week_before), e.start};
}

// "maintenant", "right now": the present moment as said, no day nor hour asked about.
bool says_now(std::string_view said) {
    const std::string t = simple(said);
    return t == "maintenant" || t == "now" || t == "right now" || t == "en ce moment" ||
           t == "actuellement" || t == "à présent" || t == "a present";
}

// "je sais pas le nom de la rue", "no idea": the answer asked for is not known.
bool says_not_known(std::string_view text) {
    const std::string t = nlu::loose(text);  // folded: accents, case, typographic apostrophes
    static const char* phrases[] = {"sais pas",    "sait pas",    "chais pas",  "jsp",
                                    "aucune idee", "connais pas", "don't know", "dont know",
                                    "dunno",       "no idea",     "not sure"};
    for (auto* p : phrases)
        if (t.find(p) != std::string::npos) return true;
    return false;
}

// The message speaks to the bot itself: "vous", "tu", "you" (and "u", "vs"…, spelt out).
bool speaks_to_bot(const std::string& text, const std::string& locale) {
    for (auto& w : nlu::words(text, locale))
        if (w == "vous" || w == "tu" || w == "you" || w == "your" || w == "vos" || w == "votre")
            return true;  // ("what are your opening hours?", "vos horaires ?")
    return false;
}

// Short answers that continue a form rather than start something new.
bool is_short_answer(std::string_view text) {
    std::string t = simple(text);
    if (auto w = nlu::words(text, "fr"); w.size() == 1 && w[0] == "ok") return true;  // 👍 👌
    for (const char* w : {"oui", "non", "yes", "no", "ok", "d'accord", "okay"}) {
        std::string_view v(w);
        if (t == v || (t.rfind(v, 0) == 0 && (t[v.size()] == ' ' || t[v.size()] == ',')))
            return true;
    }
    return false;
}

// "près du numéro 40", "outside number 12", "au niveau du 12": a house number, which a form
// asking where (a report's recap) takes; no question about a place.
bool says_house_number(std::string_view text) {
    const auto words = nlu::words(text, "fr");
    bool number = false, labelled = false;
    for (const auto& w : words) {
        number = number || (!w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }));
        labelled = labelled || w == "numero" || w == "number" || w == "niveau" || w == "n";
    }
    return number && labelled;
}

// The intent answering this message, as `last.intent`; the one before it stays as
// `previous.intent`, for the plugins (a report's recap answered with "oui" after a question in
// between is not confirmed).
void answered_by(conversation_state& st, const std::string& intent) {
    auto& last = st.memory["last.intent"];
    st.memory["previous.intent"] = last;
    last = intent;
}

// Forgets the question waiting for an answer, with the words that opened it.
void forget_question(conversation_state& st) {
    st.pending_intent.clear();
    st.pending_slot.clear();
    st.pending_slots.clear();
    st.pending_text.clear();
}

// Forgets a form in progress: the question asked and the plugin's "form.*" memory.
void forget_form(conversation_state& st) {
    st.pending_intent.clear();
    st.pending_slot.clear();
    st.pending_slots.clear();
    for (auto it = st.memory.begin(); it != st.memory.end();)
        if (it->first.rfind("form.", 0) == 0 || it->first == "dialogue.expect")
            it = st.memory.erase(it);
        else
            ++it;
}

// Where a second question starts in a message that asks two ("la mairie est ouverte samedi ?
// et où est la déchetterie ?", "where is the pool and when does it open?"): after a question
// mark followed by more words, or at "et", "and", "puis", "also" or a comma followed by a
// question word. 0 when there is none. Only a place to cut: answer() cuts there when each part
// alone is understood. (A scan of the bytes: every message passes here.)
std::size_t second_question_at(std::string_view text) {
    static const std::set<std::string, std::less<>> asks = {
        "où", "quand", "comment", "combien", "quel", "quelle", "quels", "quelles", "qui",
        "pourquoi", "est-ce", "c'est", "c\u2019est", "y", "peut-on", "puis-je", "dois-je", "faut-il",
        "where", "when", "how", "what", "what's", "whats", "which", "who", "why", "is", "are",
        "can", "could", "do", "does",
        // "… et si il faut payer", "… and if I need an appointment": whether, a question too
        "si", "s'il", "s\u2019il", "if", "whether"};
    auto words_after = [&](std::size_t at) {
        std::vector<std::pair<std::size_t, std::string>> out;  // (start, lower-case word)
        std::size_t i = at;
        while (i < text.size() && out.size() < 3) {
            while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
            std::size_t b = i;
            while (i < text.size() && text[i] != ' ' && text[i] != ',' && text[i] != '?') ++i;
            if (i > b) {
                std::string w(text.substr(b, i - b));
                for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                out.emplace_back(b, std::move(w));
            }
            if (i < text.size() && text[i] == '?') break;
        }
        return out;
    };
    auto asks_at = [&](const std::vector<std::pair<std::size_t, std::string>>& w, std::size_t k) {
        if (k >= w.size()) return false;
        if (asks.count(w[k].second)) return w[k].second != "y" || (k + 1 < w.size() && w[k + 1].second == "a");
        // "c quoi", "c koi", "c ou", "c quand", "c est": "c'est" as typed in a text message
        if (w[k].second == "c")
            return k + 1 < w.size() && (asks.count(w[k + 1].second) || w[k + 1].second == "quoi" ||
                                        w[k + 1].second == "est" ||
                                        w[k + 1].second == "koi" || w[k + 1].second == "ou" ||
                                        w[k + 1].second == "kan" || w[k + 1].second == "kel");
        // "ou est" (où without its accent), "a quelle heure", "à quelle heure"
        if (k + 1 < w.size() && w[k].second == "ou")
            return w[k + 1].second == "est" || w[k + 1].second == "se" || w[k + 1].second == "sont";
        return k + 1 < w.size() && (w[k].second == "a" || w[k].second == "à") &&
               (w[k + 1].second == "quelle" || w[k + 1].second == "quel");
    };
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        const char c = text[i];
        if (c == '?') {
            auto w = words_after(i + 1);
            if (w.size() >= 2) return w.front().first;
        } else if (c == ',' && only_courtesy(text.substr(0, i))) {
            continue;  // "bonjour, à quelle heure…": a greeting asks nothing of its own
        } else if (c == ',' || (c == ' ' && i > 0)) {
            // (After a space, only a joining word next is worth reading on.)
            if (c == ' ' && joining_word_at(text.substr(i + 1)).empty()) continue;
            auto w = words_after(i + 1);
            if (w.size() < 3) continue;
            if (std::find(joining_words.begin(), joining_words.end(), w[0].second) != joining_words.end() &&
                asks_at(w, 1))
                return w[0].first;
            if (c == ',' && asks_at(w, 0)) return w[0].first;
        }
    }
    return 0;
}

// Where "… et le numéro de la mairie", "… and the town hall's phone number" begins: a joining
// word, then an article, a possessive or "aussi" ("… et aussi si je peux venir sans
// rendez-vous"); 0 when none. A second request without a question word, kept only when each
// part surely asks a different intent (checked by the caller: "la médiathèque et la piscine
// sont ouvertes ?" is one question).
std::size_t second_request_at(std::string_view text) {
    static constexpr std::string_view articles[] = {"le ", "la ", "les ", "l'", "l’", "votre ",
                                                    "vos ", "the ", "your ", "aussi ", "also "};
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        if (text[i] != ' ') continue;
        const auto j = joining_word_at(text.substr(i + 1));
        if (j.empty() || j == "puis" || j == "then") continue;
        const auto rest = text.substr(i + 1 + j.size() + 1);
        for (auto a : articles)
            if (rest.size() > a.size() + 3 && starts_with_folded(rest, a)) return i + 1;
    }
    return 0;
}

// Whether a second request starts "et aussi …", "and also …" (after its joining word).
bool says_also(std::string_view second) {
    const auto j = joining_word_at(second);
    if (j == "also") return true;
    if (j.empty()) return false;
    const auto rest = second.substr(j.size() + 1);
    return starts_with_folded(rest, "aussi ") || starts_with_folded(rest, "also ");
}

// A plugin's own form or question under way (a report's draft): it holds what is said next.
bool drafting(const conversation_state& st) {
    if (st.memory.count("dialogue.expect")) return true;
    for (auto& [k, v] : st.memory)
        if (k.rfind("form.", 0) == 0) return true;
    return false;
}

bool form_in_progress(const conversation_state& st) {
    return !st.pending_intent.empty() || drafting(st);
}

}  // namespace

engine::engine(plugin_host& plugins, std::shared_ptr<site> s, engine_options o)
    : plugins_(plugins), site_(std::move(s)), options_(o) {}

std::size_t engine::conversations() const {
    std::lock_guard lock(mutex_);
    return states_.size();
}

void engine::remember_at_next_turn(const std::string& key,
                                   std::map<std::string, std::string> memory, std::int64_t now) {
    std::lock_guard lock(mutex_);
    // The ones no turn came for are dropped once stale, before the map grows.
    if (next_turn_memory_.size() >= 1024)
        std::erase_if(next_turn_memory_, [&](const auto& kv) {
            return now - kv.second.at > options_.context_idle_seconds;
        });
    next_turn_memory_[key] = {std::move(memory), now};
    waiting_memory_.store(true, std::memory_order_release);
}

conversation_state engine::load_state(const std::string& key) {
    if (store_) {
        try {
            auto json = store_->load_state(key);
            return json ? state_from_json(*json) : conversation_state{};
        } catch (const std::exception& e) {
            log::error("engine", std::string("store: cannot load state: ") + e.what());
        }
    }
    std::lock_guard lock(mutex_);
    auto it = states_.find(key);
    return it == states_.end() ? conversation_state{} : it->second;
}

void engine::save_state(const message& m, conversation_state st, store::turn_writes& w) {
    if (store_) {
        // Committed with the turn's messages before the reply leaves (see handle).
        w.save_state = true;
        w.state_key = m.conversation_key();
        w.who = {m.channel, m.conversation_id, m.user_id};
        w.state_json = state_to_json(st);
        w.now = m.now;
        return;
    }
    std::lock_guard lock(mutex_);
    states_[m.conversation_key()] = std::move(st);
}

// Kept masked ("[phone]", "[email]"), except what a citizen writes to an agent (`as_written`):
// "rappelez-moi au 06…" is for that person, who could not read the number back.
void engine::log_turn(const message& m, const std::string& direction, const std::string& text,
                      store::turn_writes& w, bool as_written) {
    if (!store_ || !options_.log_messages || text.empty()) return;
    w.messages.push_back({0, {m.channel, m.conversation_id, m.user_id}, direction,
                          as_written ? text : store::mask_pii(text), m.now});
}

std::string engine::pick_locale(const site& s, const message& m, const conversation_state& st,
                                bool* told) const {
    auto& langs = s.options().languages;
    if (told) *told = true;
    for (auto& l : langs)
        if (m.locale.rfind(l, 0) == 0) return l;  // "fr", "fr-FR", "en_GB"…
    std::string text = m.text.empty() ? m.payload : m.text;
    auto guess = nlu::detect_language(text, langs, &s.language_words());
    // "rue de l'Église", "8 rue des Écoles" in an English conversation: the town's names are
    // French; without them, nothing tells another language, so the conversation's stays.
    // Nor do they make a tie: "bulky waste rue des Saules" is English.
    const bool ongoing = std::find(langs.begin(), langs.end(), st.locale) != langs.end();
    // (A first message too: "opening times Piscine des Naïades" is English.)
    if ((!guess.fallback && guess.lang != (ongoing ? st.locale : "")) || (guess.fallback && !ongoing)) {
        std::vector<std::pair<std::size_t, std::size_t>> names;
        for (auto& e : s.extractor().extract(text, ongoing ? st.locale : langs.front(), m.now))
            if (e.type == "street" || e.type == "service" || e.type == "place_category")
                names.emplace_back(e.begin, e.end);
        if (!names.empty()) {
            const auto without = nlu::detect_language(
                entities::spans_as_word(text, std::move(names), ""), langs, &s.language_words());
            if (!ongoing && !without.fallback)
                guess = without;
            else if (ongoing && (without.fallback || without.lang == st.locale))
                return st.locale;
        }
    }
    // Thanks and acknowledgements in the other language ("merci", "ok super" in an English
    // conversation; "thanks" in a French one): courtesy, not a change of language.
    if (ongoing && !guess.fallback && guess.lang != st.locale && only_courtesy(text))
        return st.locale;
    // A form's question answered with a few words ("Where is the problem?" - "rue de la Paix",
    // a street the town does not have; "place du Marché, devant la boulangerie", asked by the
    // report plugin): an answer, not a change of language.
    // (A plugin's question, `dialogue.expect`: unless the message asks another intent, as
    // "horaires de la mairie" at a report's recap does.)
    if (ongoing && !guess.fallback && guess.lang != st.locale &&
        nlu::words_as_written(text).size() <= 6) {
        if (!st.pending_slot.empty()) return st.locale;
        if (auto expect = st.memory.find("dialogue.expect"); expect != st.memory.end()) {
            const auto c = s.classify(text, guess.lang, s.extractor().extract(text, guess.lang, m.now));
            if (c.out_of_scope || c.ranked.empty() || c.ranked[0].intent == expect->second ||
                c.ranked[0].confidence < 0.5)
                return st.locale;
        }
    }
    if (told) *told = !guess.fallback;
    // Too short to tell ("yes", "ok", "bye"): the conversation goes on in its language, else
    // the page's.
    if (guess.fallback) {
        if (std::find(langs.begin(), langs.end(), st.locale) != langs.end()) return st.locale;
        for (auto& l : langs)
            if (m.locale_hint.rfind(l, 0) == 0) return l;
    }
    return guess.lang;
}

// A word that none of the intent's examples has, after an article ("la boulangerie", "the
// supermarket", "is there a pharmacy open on Sunday near here?"): a place or thing named that
// the town does not have, not the place talked about before.
static bool names_unknown_place(const site& s, const understanding& u, const std::string& text) {
    const auto foreign = s.words_foreign_to(u.intent, u.locale, text, u.entities);
    if (foreign.empty()) return false;
    static const std::set<std::string, std::less<>> articles{"le", "la", "les", "l", "du", "des",
                                                             "une", "un", "the", "a", "an"};
    // "et l'autre ?", "the next one": the place talked about, not another.
    static const std::set<std::string, std::less<>> pointing{
        "autre", "autres", "meme", "suivant", "suivante", "prochain", "prochaine", "dernier",
        "derniere", "premier", "premiere", "other", "others", "same", "next", "last", "first",
        "one"};
    if (only_a_way(text)) return false;  // "et à pied ?": a way
    const auto ws = nlu::words(text, u.locale);
    return std::any_of(foreign.begin(), foreign.end(), [&](const std::string& said) {
        const std::string folded = nlu::fold(said);
        if (pointing.count(folded) || articles.count(folded)) return false;
        for (std::size_t i = 1; i < ws.size(); ++i)
            if (ws[i] == folded && articles.count(ws[i - 1])) return true;  // (words are folded)
        return false;
    });
}

understanding engine::understand(const site& s, const std::string& text, std::string locale,
                                 std::int64_t now, const conversation_state* context,
                                 const std::string& forced_intent, bool shared_location,
                                 const std::vector<entities::entity>* found) const {
    understanding u;
    u.locale = std::move(locale);
    u.entities = found ? *found : s.extractor().extract(text, u.locale, now);
    nlu::classification c;
    if (forced_intent.empty()) {
        c = s.classify(text, u.locale, u.entities);
        // "nid de poule rue Pasteur, vous pouvez me joindre au 06 12 34 56 78": a report with
        // the citizen's number, no call-back request (the pothole was lost). The clauses
        // without the number or address decide when they surely report a problem.
        // So do they when the whole was not understood ("peut-on adopter un chat à la
        // fourrière ? mon tel 06 12 34 56 78": the number hid the question).
        if (!c.from_pattern && !c.ranked.empty() &&
            (c.ranked[0].intent.starts_with("handoff.") || c.out_of_scope))
            if (auto rest = without_contact_clauses(text, u.entities); !rest.empty()) {
                auto r = s.classify(rest, u.locale, s.extractor().extract(rest, u.locale, now));
                if (!r.out_of_scope && !r.ranked.empty() &&
                    ((r.ranked[0].intent == "report.create" && r.ranked[0].confidence >= 0.5) ||
                     (c.out_of_scope && !r.ranked[0].intent.starts_with("handoff.")))) {
                    if (r.ranked[0].intent == "report.create")
                        for (auto& e : u.entities)  // the plugin says the report does not keep them
                            if (e.type == "phone" || e.type == "email") u.slots.emplace(e.type, e.value);
                    c = std::move(r);
                }
            }
    } else {
        c.out_of_scope = false;
        c.from_pattern = true;
        c.ranked = {{forced_intent, 1.0}};
    }
    u.ranked = c.ranked;

    // How many of the intent's slots the message's names fill.
    auto names_for = [&](const std::string& name) {
        auto* in = s.intents().find(name);
        auto* part = in ? part_for(*in, u.locale) : nullptr;
        int n = 0;
        // (A phone number or an e-mail address names no subject: any request may carry them.
        // "mon numéro est 06…, mon mail …, il y a un lampadaire cassé rue Pasteur" is a report
        // with its contact, not an e-mail request to an agent: the report was lost.)
        if (part)
            for (auto& [slot, spec] : part->slots)
                if (spec.entity != "phone" && spec.entity != "email" && find_entity(u.entities, spec))
                    ++n;
        return n;
    };

    // A question we asked is pending: an answer that carries the missing entity continues it.
    if (forced_intent.empty() && context && !context->pending_intent.empty()) {
        auto* in = s.intents().find(context->pending_intent);
        auto* part = in ? part_for(*in, u.locale) : nullptr;
        auto spec = part ? part->slots.find(context->pending_slot) : decltype(part->slots.end()){};
        // A slot with `validate:` takes any answer (checked below); a shared position
        // answers "where?".
        // (A slot that only takes a street, "Dans quelle rue habitez-vous ?", takes what is said
        // as a street, "rue de la Paix"; "centre aéré été" is another question.)
        bool carries =
            part && spec != part->slots.end() &&
            (find_entity(u.entities, spec->second, true) != nullptr ||
             (spec->second.validate.any() &&
              (spec->second.entity != "street" || !spec->second.also.empty() ||
               !street_said(text).empty())) ||
             (shared_location && by_position(spec->second)));
        // "12 rue Pasteur" is the answer, even if the classifier reads a waste question in it;
        // so is "rue de la Paix", a street the town does not have, to "Dans quelle rue ?" (it
        // opened a report): checked below against the slot's `validate:`.
        const bool a_street_alone =
            carries && spec->second.takes("street") && spec->second.validate.any() && [&] {
                const auto street = street_said(text);
                return !street.empty() && nlu::words_as_written(text).size() <=
                                              nlu::words_as_written(street).size() + 2;
            }();
        bool other_intent = !c.out_of_scope && !c.ranked.empty() &&
                            c.ranked[0].intent != context->pending_intent &&
                            c.ranked[0].confidence > 0.6 && !a_street_alone &&
                            !(carries && only_names_for(text, u.entities, *part, true));
        if (carries && !other_intent) {
            u.intent = context->pending_intent;
            u.confidence = 1;
            u.slots = context->pending_slots;
        }
    }
    if (!forced_intent.empty() && context && forced_intent == context->pending_intent)
        u.slots = context->pending_slots;  // a follow-up of the waiting question (answer())
    // A place and a day named, the classifier sure of an intent that takes neither ("mairie la
    // semaine prochaine" is no "à la semaine prochaine", "mairie à 17h45 vendredi" no contact
    // request; "mairie" alone stays the town hall's contact): read as names alone, below.
    auto has = [&](bool date) {
        return std::any_of(u.entities.begin(), u.entities.end(), [&](const entities::entity& e) {
            return (e.type == "datetime") == date;
        });
    };
    auto takes_none = [&] {
        return !c.ranked.empty() && has(true) && has(false) && !names_for(c.ranked[0].intent);
    };
    if (u.intent.empty() && !c.from_pattern && !u.entities.empty() &&
        (c.out_of_scope || (!c.ranked.empty() && c.ranked[0].confidence < 0.5) || takes_none())) {
        // A name alone ("gymnase", "the gym", "le parc ?"), the classifier unsure: the first
        // intent it ranks whose slots take every name said, and nothing else was said — as
        // what is asked about, not where something else is ("terrain de foot" alone reports
        // nothing there).
        auto says_where = [&](const intents::language_part& part) {
            for (auto& [name, spec] : part.slots)
                if (spec.says_where() && find_entity(u.entities, spec, true)) return true;
            return false;
        };
        for (auto& r : c.ranked) {
            auto* in = s.intents().find(r.intent);
            auto* part = in ? part_for(*in, u.locale) : nullptr;
            if (part && !says_where(*part) && only_names_for(text, u.entities, *part)) {
                u.intent = r.intent;
                u.confidence = r.confidence;
                u.guessed = true;
                break;
            }
        }
    }
    if (u.intent.empty()) {
        if (c.out_of_scope || c.ranked.empty()) return u;
        // Two intents too close to tell apart, unless one takes more of what the message names
        // ("je voudrais les horaires de la poste svp merci": the post office's hours; "bonjour
        // je voudrais savoir si le marché a lieu dimanche": the market's hours, no greeting;
        // "ramassage verre bd de la république": the glass and the street are the bins' days,
        // only the street a report's).
        // The first unsure (under 0.5) and taking none of the names the second takes, the
        // names decide over twice the margin: examples added elsewhere move the scores a little.
        std::size_t chosen = 0;
        const double gap =
            c.ranked.size() >= 2 ? c.ranked[0].confidence - c.ranked[1].confidence : 1;
        // (Not for a second that would still have to ask for a required name: "mes voisins font
        // la fête le 31 jusqu'à 4h du matin, c'est permis ?" takes a day, but names no place
        // whose hours it would be: "de quel service parlez-vous ?" answered it.)
        auto misses_required = [&](const std::string& name) {
            auto* in = s.intents().find(name);
            auto* part = in ? part_for(*in, u.locale) : nullptr;
            return part && std::any_of(part->slots.begin(), part->slots.end(), [&](auto& slot) {
                       return slot.second.required && !find_entity(u.entities, slot.second);
                   });
        };
        if (!c.from_pattern && c.ranked.size() >= 2 &&
            (gap < options_.ambiguity_margin ||
             (gap < 2 * options_.ambiguity_margin && c.ranked[0].confidence < 0.5 &&
              names_for(c.ranked[0].intent) == 0 && names_for(c.ranked[1].intent) > 0 &&
              !misses_required(c.ranked[1].intent)))) {
            // The names never put an urgent intent aside ("le gymnase est en feu" is no search
            // for the gymnasiums): torn, it is answered first (see answer()).
            const int first = names_for(c.ranked[0].intent), second = names_for(c.ranked[1].intent);
            const auto* top = s.intents().find(c.ranked[0].intent);
            const bool urgent_first = top && top->urgent;
            if (first == second || (urgent_first && gap < options_.ambiguity_margin)) {
                u.ambiguous = true;
                return u;
            }
            chosen = second > first && !urgent_first ? 1 : 0;
        }
        u.intent = c.ranked[chosen].intent;
        u.confidence = c.ranked[chosen].confidence;
        u.guessed = !c.from_pattern;
        // "thanks, what's my ticket number again?", "merci c koi mon numero": thanks or hello on
        // the way to a question. The courtesy has words none of its examples has, the next
        // ranked intent has them: that one is asked.
        if (!c.from_pattern && chosen == 0 && c.ranked.size() >= 2 &&
            (u.intent == "smalltalk.thanks" || u.intent == "smalltalk.greet" ||
             u.intent == "smalltalk.goodbye") &&
            c.ranked[1].confidence >= 0.2 && c.ranked[1].intent.rfind("smalltalk.", 0) != 0 &&
            s.has_word_foreign_to(u.intent, u.locale, text, u.entities) &&
            s.has_word_of(c.ranked[1].intent, u.locale, text, u.entities)) {
            u.intent = c.ranked[1].intent;
            u.confidence = c.ranked[1].confidence;
        }
        // "une fuite d'eau près de la médiathèque", "des tags près de la mairie": a place said
        // as where from, with words the intent chosen has none of (a search around it, the
        // place's contact), that a report has: a problem said with where it is.
        if (!c.from_pattern && chosen == 0 &&
            std::any_of(u.entities.begin(), u.entities.end(),
                        [](auto& e) { return e.type == "location"; }) &&
            s.has_word_foreign_to(u.intent, u.locale, text, u.entities))
            for (std::size_t i = 1; i < c.ranked.size() && i < 3; ++i) {
                const auto* other = s.intents().find(c.ranked[i].intent);
                const auto* p = other ? part_for(*other, u.locale) : nullptr;
                if (!p || other->urgent || c.ranked[i].confidence < 0.1 ||
                    std::none_of(p->slots.begin(), p->slots.end(),
                                 [](auto& slot) { return slot.second.says_where(); }) ||
                    !s.has_word_of(other->name, u.locale, text, u.entities))
                    continue;
                u.intent = other->name;
                u.confidence = c.ranked[i].confidence;
                break;
            }
        // "je peux aller à la déchetterie jeudi à 10 h ?": a place and a day named, the intent
        // chosen takes the place but not the day (where the place is), another ranked takes
        // both (its hours): that one. (Not for an intent that takes none of the names: "je
        // peux me marier à la mairie samedi ?" stays the FAQ's.)
        // (Nor for one that says where something is: "un trou rue Pasteur depuis hier" is a
        // report, whose day is no question.)
        const auto* chosen_in = s.intents().find(u.intent);
        const auto* chosen_part = chosen_in ? part_for(*chosen_in, u.locale) : nullptr;
        auto any_slot = [&](auto&& pred) {
            return chosen_part && std::any_of(chosen_part->slots.begin(), chosen_part->slots.end(),
                                              [&](auto& slot) { return pred(slot.second); });
        };
        // (Nor when asked where: "où garer mon camping-car pour la nuit ?" wants car parks,
        // not whether they are open at night.)
        // (Nor for "now" said to an intent a position answers: "je suis ailleurs maintenant, la
        // déchetterie la plus proche ?" tells when the citizen moved, and the nearest places say
        // which is open now; it was given the hours.)
        const bool now_to_a_position =
            any_slot([](auto& spec) { return by_position(spec); }) &&
            std::all_of(u.entities.begin(), u.entities.end(), [](const entities::entity& e) {
                return e.type != "datetime" || says_now(e.text);
            });
        if (u.guessed && has(true) && has(false) && !asks_where(text) && !now_to_a_position &&
            !any_slot([](auto& spec) { return spec.entity == "datetime"; })) {
            const bool says_where = any_slot([](auto& spec) { return spec.says_where(); });
            const int mine = names_for(u.intent);
            if (mine > 0 && !says_where && !chosen_in->urgent) {
                const intents::intent* takes_more = nullptr;  // ranked first, else any
                for (auto& r : c.ranked)
                    if (r.intent != u.intent && names_for(r.intent) > mine) {
                        takes_more = s.intents().find(r.intent);
                        break;
                    }
                // ("police municipale le 25 décembre": the hours were not among the five ranked.)
                if (!takes_more) {
                    int most = mine;
                    for (auto& other : s.intents().intents) {
                        const auto* p = part_for(other, u.locale);
                        if (other.name == u.intent || other.urgent || !p || p->examples.empty())
                            continue;  // (keywords alone are chosen by their keywords)
                        if (const int n = names_for(other.name); n > most) {
                            most = n;
                            takes_more = &other;
                        }
                    }
                }
                if (takes_more) u.intent = takes_more->name;  // (as sure as of the first)
            }
        }
    }

    auto* in = s.intents().find(u.intent);
    auto* part = in ? part_for(*in, u.locale) : nullptr;
    if (!part) return u;
    const bool answering = u.intent == (context ? context->pending_intent : std::string());
    u.names_nothing = true;
    // "boulangerie près de la gare": the station is where from (a location slot takes it),
    // not the place asked for.
    const bool takes_where_from =
        std::any_of(part->slots.begin(), part->slots.end(),
                    [](auto& slot) { return slot.second.entity == "location"; });
    for (auto& [name, spec] : part->slots) {
        const auto* e =
            find_entity(u.entities, spec, answering && context && name == context->pending_slot,
                        text, takes_where_from && spec.asks_which_place());
        if (!e && shared_location && by_position(spec)) continue;  // the plugin has the position
        // The answer to the question asked about this slot, or an entity found: checked
        // against the slot's `validate:`; a wrong one is asked again with the hint.
        if (spec.validate.any() && (e || (answering && name == context->pending_slot))) {
            auto ok = intents::check_slot_value(spec, e ? e->value : trimmed(text), e != nullptr);
            if (!ok) {
                u.slots.erase(name);
                if (u.missing_slot.empty()) u.missing_slot = u.invalid_slot = name;
                continue;
            }
            if (!e) {
                u.slots[name] = *ok;
                continue;
            }
        }
        if (e) {
            u.names_nothing = false;
            u.slots[name] = e->value;
            // (Not for a slot that says where something is: a report of two places is two
            // reports, each with its own recap.)
            if (!spec.says_where() && u.also_values.empty()) {
                u.also_values = joined_values(text, u.entities, *e);
                // "samedi et dimanche", "le 24 et le 31": days named each ("de 9h à 12h" is one).
                if (spec.entity == "datetime" &&
                    (!e->day_said || std::any_of(u.also_values.begin(), u.also_values.end(),
                                                 [](auto& o) { return !o.day_said; })))
                    u.also_values.clear();
                if (!u.also_values.empty()) u.also_slot = name;
            }
            if (spec.entity == "datetime") {
                std::int64_t start = e->start, stop = e->stop;
                // "et à 14h ?", "et le lendemain ?" after "la déchetterie dimanche": that day.
                if (!e->day_said && context && (e->after_days > 0 || goes_on(text)))
                    if (auto it = context->memory.find("last.datetime");
                        it != context->memory.end())
                        if (auto moved =
                                on_day_talked_about(*e, it->second, s.options().time_zone)) {
                            start = *moved;
                            stop = start + (e->stop - e->start);
                            u.slots[name] = hours::format_local_iso(start, s.options().time_zone);
                        }
                // "et lundi ?" on a Monday, after questions about the weekend: the Monday after
                // the day talked about, not today. Any other weekday said alone is the next one
                // from today ("et samedi ?" on a Wednesday after "mardi ?" is this Saturday,
                // not the one after that Tuesday).
                if (e->weekday_alone && context && goes_on(text) &&
                    hours::format_local_iso(start, s.options().time_zone).substr(0, 10) ==
                        hours::format_local_iso(now, s.options().time_zone).substr(0, 10))
                    if (auto it = context->memory.find("last.datetime");
                        it != context->memory.end())
                        if (auto talked = hours::parse_local_iso(it->second.substr(0, 19),
                                                                 s.options().time_zone);
                            talked && start < *talked) {
                            const std::int64_t weeks = (*talked - start + 7 * 86400 - 1) / (7 * 86400);
                            // That weekday's local date then (counted from its midday: "et
                            // mercredi après-midi ?" starts at noon), at the same local time
                            // (a change of clocks in between moves no hour).
                            const auto midnight = hours::parse_local_iso(
                                hours::format_local_iso(start, s.options().time_zone).substr(0, 10) +
                                    "T00:00:00",
                                s.options().time_zone);
                            const std::string day = hours::format_local_iso(
                                midnight.value_or(start) + weeks * 7 * 86400 + 12 * 3600,
                                s.options().time_zone);
                            if (auto moved = hours::parse_local_iso(
                                    day.substr(0, 10) + e->value.substr(10, 9), s.options().time_zone)) {
                                stop = *moved + (stop - start);
                                start = *moved;
                                u.slots[name] = hours::format_local_iso(start, s.options().time_zone);
                            }
                        }
                // "et le 2 ?" after "le 1er janvier": the first 2nd on or after the day talked
                // about, not the 2nd of this month.
                if (e->day_of_month_alone && context && goes_on(text))
                    if (auto it = context->memory.find("last.datetime");
                        it != context->memory.end())
                        if (auto moved = on_day_of_month_after(*e, start, it->second,
                                                               s.options().time_zone)) {
                            stop = *moved + (stop - start);
                            start = *moved;
                            u.slots[name] = hours::format_local_iso(start, s.options().time_zone);
                        }
                std::string grain = e->grain;
                if (auto days = around_the_day(text, *e, now, s.options().time_zone)) {
                    std::tie(start, stop) = *days;
                    grain = "days";
                    u.slots[name] = hours::format_local_iso(start, s.options().time_zone);
                }
                u.slots[name + ".start"] = std::to_string(start);
                u.slots[name + ".end"] = std::to_string(stop);
                u.slots[name + ".grain"] = grain;
            } else if (spec.entity == "street") {
                if (auto n = house_number(text, u.entities, *e); !n.empty())
                    u.slots[name + ".number"] = n;
                // "chez ma mère rue des Mariniers": not the citizen's own street (the plugin
                // keeps his own as `home.street` for "et chez moi ?").
                if (names_another_home(text, u.locale)) u.slots[name + ".elsewhere"] = "1";
                // "rue des Lilas" for the town's only "impasse des Lilas": what was said, for
                // the plugin to say which street it answers about (it answered silently).
                // So is "boulevard Pasteur" for "rue Pasteur", whose name alone was found: the
                // kind of street typed just before it.
                const auto said = nlu::words_as_written(e->text), named = nlu::words_as_written(e->value);
                const auto before = nlu::words_as_written(std::string_view(text).substr(0, std::min(e->begin, text.size())));
                const bool typed_kind = !said.empty() && entities::is_street_type(nlu::fold(said[0]));
                const std::string kind = typed_kind ? said[0] : before.empty() ? std::string() : before.back();
                if (!kind.empty() && !named.empty() && entities::is_street_type(nlu::fold(kind)) &&
                    entities::is_street_type(nlu::fold(named[0])) && nlu::fold(kind) != nlu::fold(named[0]))
                    u.slots[name + ".said"] = typed_kind ? e->text : kind + " " + e->text;
            }
            continue;
        }
        if (u.slots.count(name)) continue;
        // "vous êtes ouverts demain ?", "are you open?": said to the town hall's bot, "vous"
        // is the town hall (the slot's `addressed:` value), whatever was asked about before.
        if (!spec.addressed.empty() && speaks_to_bot(text, u.locale)) {
            u.slots[name] = spec.addressed;
            continue;
        }
        // Follow-ups: "et la médiathèque ?" reuses the day, "et dimanche ?" the service. (The
        // day only for a question that goes on from the last: "quels sont les horaires de la
        // médiathèque ?" asked later is no question about Sunday.)
        // Not where a new problem is: "je veux signaler un lampadaire en panne" after the bins
        // of rue Pasteur was filed in rue Pasteur, never asked.
        // Not a place the town does not have, named instead: "et la boulangerie le 25 ?" after
        // the town hall got the town hall's Christmas ("je ne connais pas « boulangerie »").
        // "et chez moi ?", "la déchetterie la plus proche de chez moi ?": the street the citizen
        // gave as his own (a waste answer keeps it: `home.street`), never the last one said
        // (his mother's); none given, it is asked. `<slot>.home` tells the plugin the citizen's
        // home was meant (the nearest places ask for his position when his street is not on
        // the map, rather than counting from the town hall).
        if (spec.entity == "street" && says_home(text, u.locale)) {
            const std::string* home = nullptr;
            if (context)
                if (auto it = context->memory.find("home.street"); it != context->memory.end())
                    home = &it->second;
            u.slots[name + ".home"] = "1";
            if (home) {
                u.slots[name] = *home;
            } else if (spec.required && u.missing_slot.empty()) {
                u.missing_slot = name;
            }
            continue;
        }
        // Nor the day for a follow-up that asks something else ("et les déchets verts ?" after
        // the bins at Christmas: green waste's days, not Christmas again).
        auto asks_something_else = [&] {
            return std::any_of(u.entities.begin(), u.entities.end(), [&](const entities::entity& e) {
                return std::any_of(part->slots.begin(), part->slots.end(), [&](auto& other) {
                    const intents::slot_spec& o = other.second;
                    return other.first != name && o.takes(e.type) && o.entity != "datetime" &&
                           !o.names_places() && !o.takes("street") && !o.takes("location");
                });
            });
        };
        if (context && !(spec.asks_which_place() && names_unknown_place(s, u, text)) &&
            (spec.entity != "datetime" ||
             ((goes_on(text) || only_names_for(text, u.entities, *part) || asks_why(text, u.locale) ||
               asks_what_time(text)) &&
              !asks_something_else())) &&
            !(spec.says_where() && !goes_on(text) && !only_names_for(text, u.entities, *part))) {
            auto it = context->memory.find("last." + spec.entity);
            if (it != context->memory.end()) {
                u.slots[name] = it->second;
                u.slots[name + ".remembered"] = "1";  // not said in this message
                continue;
            }
        }
        if (spec.default_value == "now" && spec.entity == "datetime") {
            u.slots[name] = "now";
            u.slots[name + ".start"] = std::to_string(now);
            u.slots[name + ".end"] = std::to_string(now);
        } else if (!spec.default_value.empty()) {
            u.slots[name] = spec.default_value;
        } else if (spec.required && u.missing_slot.empty()) {
            u.missing_slot = name;
        }
    }
    return u;
}

// The turn's writes (state, messages, count) are committed together, in one transaction
// shared with the other turns committing at that moment, before the reply leaves: what the
// citizen was told is never lost, and the network threads do not wait for the disk.
// A message that asks two questions is two turns, each committed: the second is understood
// with what the first left (its place, its day), and both answers go back together.
asio::awaitable<turn_result> engine::handle(message m) {
    store::turn_writes w;
    two_questions split;
    auto result = co_await answer(std::move(m), w, &split);
    if (store_) co_await store::async_write_turn(*store_, std::move(w), asio::use_awaitable);
    if (!split.second) co_return result;
    // Each question as answered, for the staff's figures.
    auto asked = [](std::string text, const turn_result& r, std::size_t replies) {
        return answered_question{std::move(text), r.intent,     r.source, r.confidence,
                                 r.fallback,      r.unanswered, replies};
    };
    result.questions.push_back(asked(std::move(split.first), result, result.replies.size()));
    std::string second_text = split.second->text;
    split.second->locale = result.locale;  // one message, one language
    store::turn_writes w2;
    auto second = co_await answer(std::move(*split.second), w2, nullptr, true);
    if (store_) co_await store::async_write_turn(*store_, std::move(w2), asio::use_awaitable);
    // ("comment faire un passeport ? combien ça coûte ?": the entry holds both; said once.)
    const std::size_t first_replies = result.replies.size();
    for (auto& r : second.replies)
        if (std::none_of(result.replies.begin(), result.replies.end(),
                         [&](const reply& f) { return f.text == r.text; }))
            result.replies.push_back(std::move(r));
    result.questions.push_back(
        asked(std::move(second_text), second, result.replies.size() - first_replies));
    result.fallback = result.fallback || second.fallback;
    result.unanswered = result.unanswered || second.unanswered;
    co_return result;
}

asio::awaitable<turn_result> engine::answer(message m, store::turn_writes& writes,
                                            two_questions* split, bool continued) {
    auto s = current_site();
    if (m.now == 0)
        m.now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    m.text = cut_utf8(m.text, options_.message_max_bytes);
    m.payload = cut_utf8(m.payload, options_.message_max_bytes);
    m.title = cut_utf8(m.title, options_.message_max_bytes);
    const std::string key = m.conversation_key();
    // One read for the turn: the state and the conversation's open handoff together.
    conversation_state state;
    std::optional<store::handoff_record> open_handoff;
    bool loaded = false;
    if (store_) {
        try {
            auto r = store_->load_turn(key, m.channel, m.conversation_id);
            if (r.state) state = state_from_json(*r.state);
            open_handoff = std::move(r.handoff);
            loaded = true;
        } catch (const std::exception& e) {
            log::error("engine", std::string("store: cannot load the turn: ") + e.what());
        }
    }
    if (!loaded) state = load_state(key);
    if (state.last_seen && m.now - state.last_seen > options_.context_idle_seconds)
        forget_form(state);  // idle forgetting: a half-filled form does not come back days later
    state.last_seen = m.now;
    if (waiting_memory_.load(std::memory_order_acquire)) {
        std::lock_guard lock(mutex_);
        if (auto it = next_turn_memory_.find(key); it != next_turn_memory_.end()) {
            if (m.now - it->second.at <= options_.context_idle_seconds)
                for (auto& [k, v] : it->second.memory) state.memory[k] = v;
            next_turn_memory_.erase(it);
            waiting_memory_.store(!next_turn_memory_.empty(), std::memory_order_release);
        }
    }
    if (!continued)
        log_turn(m, "in", !m.title.empty() ? m.title : !m.text.empty() ? m.text : m.payload,
                 writes, open_handoff.has_value());

    turn_result result;
    result.conversation_id = m.conversation_id;
    bool language_told = true;
    result.locale = pick_locale(*s, m, state, &language_told);
    state.locale = result.locale;
    const std::string& locale = result.locale;
    std::vector<reply> preface;  // said before the turn's answer, whichever path gives it
    auto save_and_log = [&](conversation_state&& st) {
        result.replies.insert(result.replies.begin(), std::make_move_iterator(preface.begin()),
                              std::make_move_iterator(preface.end()));
        preface.clear();
        dialogue_buttons::remember_buttons(st, result);
        // The first of two questions opened a form (a report's recap, a question of ours): the
        // second waits, said so, rather than answered across the form.
        if (split && split->second && form_in_progress(st)) {
            std::string other = split->second->text;  // as asked, without its "et"
            if (auto j = joining_word_at(other); !j.empty())
                other = trimmed(std::string_view(other).substr(j.size() + 1));
            result.replies.push_back(
                {tr(locale, "Pour votre autre question (« ", "For your other question (\"") + other +
                     tr(locale, " »), posez-la de nouveau ensuite.",
                        "\"), please ask it again afterwards."), {}, {}, {}});
            split->second.reset();
        }
        // (A question waiting for its answer: a missing detail, a plugin's `dialogue.expect`;
        // not the "form." notes a plugin keeps after it.)
        result.asks = !st.pending_intent.empty() || st.memory.count("dialogue.expect");
        save_state(m, std::move(st), writes);
        if (result.intent == "privacy.erase" && !result.fallback) {  // nothing to keep
            writes.messages.clear();
            return;
        }
        // The turn's intent is counted by the analytics (per day and week, channel and
        // language), not here a second time.
        for (auto& r : result.replies) log_turn(m, "out", r.text, writes);
    };

    // A request for an agent that none took for a working day is given up: the bot answers.
    if (store_ && open_handoff && open_handoff->state == "waiting" &&
        m.now - open_handoff->created > options_.handoff_wait_max_seconds) {
        store_->set_handoff_state(open_handoff->ticket, "closed", "", m.now);
        open_handoff.reset();
        const std::string notice =
            tr(locale,
               "Aucun agent n'a pu prendre votre demande : je reprends la conversation. Pour "
               "parler à un agent, redemandez-le.",
               "No member of staff could take your request: I am back. To talk to someone, ask "
               "again.");
        preface.push_back({notice, {}, {}, {}});
    }
    // A human agent has the conversation: the message goes to the agents' inbox, not the bot.
    // Still: an emergency gets its numbers at once (the agent may be slow to read), "annuler"
    // gives the conversation back to the bot, and while no agent has answered yet each
    // message is acknowledged, with how to go back to the bot.
    if (store_) {
        if (auto& h = open_handoff) {
            result.intent = "handoff.active";
            const std::string said = m.text.empty() ? m.payload : m.text;
            std::string said_back;  // the bot's word, if any: agents hold the conversation
            if (is_cancel(said)) {
                store_->set_handoff_state(h->ticket, "closed", store::closed_by_citizen, m.now);
                said_back =
                    h->state == "waiting"
                        ? tr(locale, "D'accord, j'annule la demande. Je reste à votre disposition.",
                             "All right, I cancelled the request. I am still here to help.")
                        : tr(locale,
                             "D'accord, la conversation avec l'agent est terminée. Je reste "
                             "à votre disposition.",
                             "All right, the conversation with the member of staff is "
                             "over. I am still here to help.");
            } else if (auto* urgent = urgent_answer(*s, said, locale, urgent_while_with_agent)) {
                said_back = *urgent;
            } else if (h->state == "waiting") {
                said_back = tr(locale,
                               "C'est transmis : un agent va vous répondre ici. Pour revenir à "
                               "l'assistant, écrivez « annuler ».",
                               "Passed on: a member of staff will answer you here. To go back to "
                               "the assistant, type \"cancel\".");
            }
            if (!said_back.empty()) result.replies.push_back({said_back, {}, {}, {}});
            save_and_log(std::move(state));
            co_return result;
        }
    }

    // Channels without buttons (Matrix) list them numbered: "2" or a button's title typed
    // back is that button pressed.
    if (m.payload.empty())
        if (auto p = dialogue_buttons::typed_button(state, m.text)) {
            m.payload = *p;
            m.text.clear();
        }
    // A button from an "I am not sure" question names the intent; the text is the one asked.
    std::string text = m.text.empty() ? m.payload : without_pleas(m.text);
    if (m.payload.empty() && state.memory.count("last.intent") && !form_in_progress(state))
        if (auto meant = as_correction(text); !meant.empty()) text = meant;
    std::string forced;
    if (m.payload.rfind(forced_prefix, 0) == 0 &&
        s->intents().find(m.payload.substr(forced_prefix.size()))) {
        forced = m.payload.substr(forced_prefix.size());
        if (!state.pending_text.empty()) text = state.pending_text;
    } else if (m.payload.size() > 1 && m.payload[0] == '@') {
        // "@handoff.request callback": a plugin's own button, back to the plugin.
        auto name = m.payload.substr(1, m.payload.find(' ') - 1);
        if (s->intents().find(name)) forced = name;
    }

    // A message in a language the site does not speak ("necesito ayuda con mi basura", "Ich
    // brauche Hilfe"): said so in the site's languages, rather than answered as the French
    // question it is not ("Wie spät ist es" was asked whether the bot is a robot). Counted as
    // not understood, for staff to see which languages citizens write in.
    // (Asked before understanding when the text told none of the site's languages, else once
    // nothing was understood: the detector costs ~10 µs, and "buenos días, ¿a qué hora abre el
    // ayuntamiento?" has a French-looking word or two.)
    auto in_another_language = [&] {
        if (!forced.empty() || !m.payload.empty() || form_in_progress(state)) return false;
        const std::string other = nlu::other_language(text, s->options().languages);
        if (other.empty()) return false;
        log::info("engine", "a message in a language the site does not speak (" + other + ")",
                  m.conversation_id);
        result.fallback = true;
        // ("Hilfe! Feuer!": 112 answers in every language of the European Union.)
        result.replies.push_back(
            {"Je réponds en français et en anglais : pouvez-vous écrire votre "
             "question dans l'une de ces langues ?\nI answer in French and "
             "in English: could you write your question in one of them?\n"
             "Urgence / Emergency: 112", {}, {}, {}});
        return true;
    };
    // (A short message with another language's greeting or call for help, "olá preciso de
    // ajuda", is asked too: its "de" looked French.)
    if ((!language_told || (text.size() <= 80 && !nlu::foreign_words_language(text).empty())) &&
        in_another_language()) {
        save_and_log(std::move(state));
        co_return result;
    }

    // "English please", "en français svp": the language asked for, said so (it read as a
    // request for a person, and offered a call-back).
    if (const std::string asked = language_asked(text); forced.empty() && !asked.empty() &&
        std::find(s->options().languages.begin(), s->options().languages.end(), asked) !=
            s->options().languages.end()) {
        result.locale = state.locale = asked;
        result.intent = "dialogue.language";
        result.replies.push_back({asked == "en" ? "All right, I will answer in English. How can I help you?"
                                                : "D'accord, je vous réponds en français. Que puis-je faire pour vous ?",
                                  {}, {}, {}});
        save_and_log(std::move(state));
        co_return result;
    }
    // "annuler" just after a call-back or an e-mail answer was asked for ("annulez ma demande
    // de rappel"): the request is closed (it was said cancelled, and an agent still called).
    // Not a "no" with courtesy ("non merci", "no thanks"): the request is filed, and that
    // answers "Autre chose ?" (it closed the request just filed).
    // (A request an agent has since closed is no longer the citizen's waiting one.)
    if (auto pending = state.memory.find("handoff.pending"); store_ && pending != state.memory.end())
        if (auto h = store_->get_handoff(pending->second); !h || h->state != "waiting")
            state.memory.erase(pending);
    if (auto pending = state.memory.find("handoff.pending");
        store_ && forced.empty() && pending != state.memory.end() &&
        (is_cancel(text) || cancels_a_request(text))) {
        const std::string ticket = pending->second;
        state.memory.erase(pending);
        auto h = store_->get_handoff(ticket);
        if (h && h->state == "waiting") {
            store_->set_handoff_state(ticket, "closed", store::closed_by_citizen, m.now);
            forget_form(state);
            result.intent = "dialogue.cancel";
            result.replies.push_back(
                {locale == "en" ? "All right, I cancelled your request " + ticket +
                                      ": nobody will contact you. What else can I do for you?"
                                : "D'accord, j'annule votre demande " + ticket +
                                      " : personne ne vous contactera. Que puis-je faire d'autre "
                                      "pour vous ?",
                 {}, {}, {}});
            save_and_log(std::move(state));
            co_return result;
        }
    }
    // "laisse tomber" while a form or a question is in progress; not "laissez tomber, y a un
    // nid de poule devant chez moi" in a report: the form's own matter said again after the
    // comma is a fresh start of its answer (the report was cancelled).
    if (forced.empty() && form_in_progress(state) && is_cancel(text, true))
        if (auto rest = said_after_cancel(text); !rest.empty() && !state.pending_intent.empty()) {
            const auto c = s->classify(rest, locale, s->extractor().extract(rest, locale, m.now));
            if (!c.out_of_scope && !c.ranked.empty() && c.ranked[0].intent == state.pending_intent &&
                c.ranked[0].confidence >= 0.5) {
                text = std::move(rest);
            } else if (!c.out_of_scope && !c.ranked.empty() && c.ranked[0].confidence >= 0.5 &&
                       c.ranked[0].intent.rfind("smalltalk.", 0) != 0) {
                // "non en fait laisse, c'est quoi les horaires de la déchetterie ?": the form
                // is cancelled and the other question answered (the form came back after it).
                forget_form(state);
                preface.push_back({tr(locale, "D'accord, j'annule.", "All right, cancelled."),
                                   {}, {}, {}});
                text = std::move(rest);
            }
        }
    // A bare "non" to a question of ours that asks for a name ("où se trouve le problème ?"):
    // nothing to give, so the form ends. (It was taken as "no thanks", the report stayed open,
    // and the next problem said was filed under the first one's words.)
    const std::string bare = simple(straight_apostrophes(text));
    const bool refused = !state.pending_slot.empty() &&
                         (bare == "non" || bare == "no" || bare == "nope" || bare == "nan");
    if (forced.empty() && form_in_progress(state) && (refused || is_cancel(text, true))) {
        const bool report = refused && state.pending_intent == "report.create";
        forget_form(state);
        result.intent = "dialogue.cancel";
        const std::string said =
            report ? tr(locale, "D'accord, je n'envoie pas ce signalement. ",
                        "All right, I will not send this report. ")
                   : tr(locale, "D'accord, j'annule. ", "All right, cancelled. ");
        result.replies.push_back({said + tr(locale, "Que puis-je faire d'autre pour vous ?",
                                            "What else can I do for you?"),
                                  {}, {}, {}});
        save_and_log(std::move(state));
        co_return result;
    }
    // "forget it", "laisse tomber", "je ne sais pas" with nothing in progress: taken note of,
    // not classified ("forget it" and "i don't know" read as erasing one's data, and offered it).
    if (forced.empty() && m.payload.empty() && text.size() <= 24 && !form_in_progress(state) &&
        (is_cancel(text) || (says_not_known(text) && nlu::words(text, locale).size() <= 4))) {
        result.intent = "dialogue.cancel";
        // "annuler" just after a report was filed: it is sent, and stays (nothing here closes
        // it); who can ("D'accord, j'annule" was said, and the report stayed open).
        const auto ticket = state.memory.find("last.ticket");
        const auto last = state.memory.find("last.intent");
        if (is_cancel(text) && ticket != state.memory.end() && last != state.memory.end() &&
            last->second == "report.create")
            result.replies.push_back(
                {locale == "en"
                     ? "Your report " + ticket->second +
                           " is already sent to the town's services. If it is no longer needed, "
                           "tell the town hall's front desk, with its number."
                     : "Votre signalement " + ticket->second +
                           " est déjà transmis aux services de la mairie. S'il n'a plus lieu "
                           "d'être, dites-le à l'accueil de la mairie en donnant son numéro.",
                 {}, {}, {}});
        else
            result.replies.push_back(
                {tr(locale, "D'accord. Si vous avez une autre question, je vous écoute.",
                    "All right. If you have another question, I am listening."), {}, {}, {}});
        save_and_log(std::move(state));
        co_return result;
    }
    // The message's names, found once for the checks below and for understand().
    std::optional<std::vector<entities::entity>> names;
    // A form that expects an answer ("oui", "non, rue Jean Jaurès") keeps it unless the
    // message clearly asks something else.
    bool expected = false;
    if (forced.empty()) {
        // A question of ours asked since (pending) is the one an answer is for.
        if (auto it = state.memory.find("dialogue.expect");
            it != state.memory.end() && s->intents().find(it->second) &&
            (state.pending_intent.empty() || state.pending_intent == it->second)) {
            names = s->extractor().extract(text, locale, m.now);
            auto c = s->classify(text, locale, *names);
            // ("en voiture ?" at a report's recap asks the way, below: it filed the report as
            // an abandoned car.)
            bool other = only_a_way(text) ||
                         (!c.out_of_scope && !c.ranked.empty() && c.ranked[0].intent != it->second &&
                          c.ranked[0].confidence > 0.6 && !is_short_answer(text) &&
                          !says_house_number(text));
            // (A phone number or an e-mail address the form takes is its answer, whatever else
            // is said: "07 81 22 33 44 ou 06 11 22 33 44" read "ou" as "où", a place search.)
            if (other)
                if (const auto* in = s->intents().find(it->second))
                    if (const auto* part = part_for(*in, locale))
                        for (const auto& e : *names)
                            if ((e.type == "phone" || e.type == "email") &&
                                (std::any_of(part->slots.begin(), part->slots.end(),
                                             [&](auto& sl) { return sl.second.takes(e.type); }) ||
                                 // "mon mail c'est paul@free.fr si vous voulez me tenir au
                                 // courant" at a report's recap: no call-back request (the
                                 // report was never sent); the report says what it keeps.
                                 (it->second == "report.create" && !asks_for_a_call_back(text))))
                                other = false;
            // (The emergency numbers guessed, unsure, on words foreign to them do not break in:
            // "il fait environ 30 cm de large" at a report's recap. Their keywords always do.)
            if (other && !c.ranked.empty() && !c.from_pattern &&
                c.ranked[0].confidence < options_.urgent_sure)
                if (const auto* in = s->intents().find(c.ranked[0].intent);
                    in && in->urgent && s->has_word_foreign_to(in->name, locale, text, *names))
                    other = false;
            if (!other) {
                forced = it->second;
                expected = true;
            }
        }
    }
    // A position shared alone (Telegram, WhatsApp, Matrix, the widget): it answers the
    // question asked ("où se trouve le problème ?", handled by understand()), else the previous
    // question again from there ("la déchetterie la plus proche ?"), else the nearest places.
    // The previous question is asked again only when a position can answer it ("quels lieux
    // proches ?" from the menu is no question of the places plugin's).
    if (forced.empty() && text.empty() && m.location && state.pending_intent.empty()) {
        auto takes_position = [&](const intents::intent* in) {
            auto* part = in ? part_for(*in, locale) : nullptr;
            return part && std::any_of(part->slots.begin(), part->slots.end(),
                                       [](auto& sl) { return by_position(sl.second); });
        };
        auto last = state.memory.find("last.intent");
        if (last != state.memory.end() && takes_position(s->intents().find(last->second)))
            forced = last->second;
        else if (s->intents().find("places.nearest"))
            forced = "places.nearest";
    }
    // A position shared when the question waiting cannot take one ("dans quelle rue
    // habitez-vous ?": a position tells no street): the question again, saying so.
    if (forced.empty() && text.empty() && m.location && !state.pending_intent.empty())
        if (auto* in = s->intents().find(state.pending_intent))
            if (auto* part = part_for(*in, locale)) {
                auto spec = part->slots.find(state.pending_slot);
                if (spec != part->slots.end() && !by_position(spec->second)) {
                    result.intent = state.pending_intent;
                    result.replies.push_back(
                        {tr(locale, "Je ne peux pas le déduire d'une position. ",
                            "I cannot tell that from a location. ") +
                             (spec->second.ask.empty()
                                  ? tr(locale, "Pouvez-vous l'écrire ?", "Could you type it?")
                                  : spec->second.ask), {}, {}, {}});
                    save_and_log(std::move(state));
                    co_return result;
                }
            }
    // Two questions in one message, each understood alone: the first now, the second after.
    if (split && forced.empty() && !expected && m.payload.empty() && !m.location &&
        !form_in_progress(state))
        if (const std::size_t asked_at = second_question_at(text),
            at = asked_at ? asked_at : second_request_at(text);
            at) {
            const bool by_question_word = asked_at != 0;
            // Not within what one name says: "entre noël et le jour de l'an" is one period.
            if (!names) names = s->extractor().extract(text, locale, m.now);
            const bool inside_a_name = std::any_of(names->begin(), names->end(), [&](auto& e) {
                return e.begin < at && at < e.end;
            });
            std::string first = trimmed(std::string_view(text).substr(0, at));
            while (!first.empty() && first.back() == ',') first = trimmed(first.substr(0, first.size() - 1));
            std::string second = trimmed(std::string_view(text).substr(at));
            // "ok merci et c quoi le numéro ?": thanks on the way to a question ask only it (a
            // courtesy is no question of its own, which would be answered "Autre chose ?").
            if (by_question_word && !inside_a_name && only_courtesy(first)) {
                text = second;
                names.reset();
                first.clear();
            }
            // The intent a part surely asks, else null (and the names it says, when asked). An
            // urgent one only when asked (the first part): "someone collapsed, where is the
            // nearest defibrillator" is the emergency numbers, then the defibrillator.
            auto sure = [&](const std::string& part, std::vector<entities::entity>* said = nullptr,
                            bool urgent_too = false) -> const intents::intent* {
                auto ents = s->extractor().extract(part, locale, m.now);
                auto c = s->classify(part, locale, ents);
                if (said) *said = ents;
                if (c.out_of_scope || c.ranked.empty() || c.ranked[0].confidence < 0.5) return nullptr;
                auto* in = s->intents().find(c.ranked[0].intent);
                return in && (!in->urgent || urgent_too) && in->name.rfind("smalltalk.", 0) != 0
                           ? in
                           : nullptr;
            };
            // "la poubelle passe le 25 ? j'habite rue Victor Hugo": the second part only names
            // what the first asks about and left unsaid (its street), no question of its own.
            // ("la piscine est ouverte dimanche ? et la médiathèque ?" names a second place.)
            std::vector<entities::entity> before;  // the first part's names
            auto named_in_both = [&](const std::vector<entities::entity>& named) {  // a kind of name
                return std::any_of(named.begin(), named.end(), [&](auto& e) {
                    return std::any_of(before.begin(), before.end(), [&](auto& b) { return b.type == e.type; });
                });
            };
            auto completes = [&](const intents::intent& asked) {
                auto* part = part_for(asked, locale);
                if (!part) return false;
                auto named = s->extractor().extract(second, locale, m.now);
                return !named_in_both(named) && only_names_for(second, named, *part);
            };
            // (The second may go on from the first: "la piscine est ouverte dimanche ? et la
            // médiathèque ?" is answered as the follow-up it is.)
            // ("My house was burgled, what should I do?", one of the FAQ's own questions, is
            // one question.)
            // (Not when that question is all in the second part: "what are the town hall hours
            // and where can I park" is two.)
            auto one_faq_question = [&] {
                const std::string q = s->faq_question_in(text, locale);
                return !q.empty() && nlu::words(q, locale).size() > nlu::words(first, locale).size() &&
                       s->faq_question_in(second, locale) != q;
            };
            const intents::intent* asked = first.size() >= 6 ? sure(first, &before, true) : nullptr;
            // "my street is rue des Coquelicots, when are the bins?": the other way round, the
            // first part only names what the second asks about and leaves unsaid (it was filed
            // as a report of "my street is rue des Coquelicots", the bins put off).
            auto named_for_second = [&] {
                auto* then_asked = sure(second);
                auto* part = then_asked ? part_for(*then_asked, locale) : nullptr;
                return part && !named_in_both(s->extractor().extract(second, locale, m.now)) &&
                       only_names_for(first, before, *part, true);
            };
            // ("… et le numéro de la mairie": without a question word, only another intent.)
            // (Nor when the first part only names a place: "la piscine et la médiathèque sont
            // ouvertes dimanche ?" asks one question of two places.)
            auto asks_something = [&] {  // a word of four letters or more besides the names
                auto w = nlu::words_as_written(entities::without_entities(first, before));
                return std::any_of(w.begin(), w.end(), [](auto& x) { return x.size() >= 4; });
            };
            const intents::intent* then =
                by_question_word || !asked || !asks_something() ? nullptr : sure(second);
            // "c koi le jour des poubelles rue pasteur et aussi pr les encombrant": "aussi" asks
            // the same intent again about another of its names (the bulky items after the
            // bins), not one question of two names, nor the first's missing name (only the
            // bulky items were answered).
            // ("bin days rue Pasteur and also the bulky items": the second part, names alone,
            // is sure of nothing.)
            const bool also_another =
                !by_question_word && asked && (then == asked || (!then && asks_something())) &&
                says_also(second) && [&] {
                    auto* part = part_for(*asked, locale);
                    if (!part) return false;
                    const auto named_after = s->extractor().extract(second, locale, m.now);
                    if (!then && !only_names_for(second, named_after, *part)) return false;
                    return std::any_of(named_after.begin(), named_after.end(), [&](auto& e) {
                        return std::any_of(part->slots.begin(), part->slots.end(),
                                           [&](auto& sl) { return sl.second.takes(e.type); }) &&
                               std::none_of(before.begin(), before.end(), [&](auto& b) {
                                   return b.type == e.type && b.value == e.value;
                               });
                    });
                }();
            if (asked && !inside_a_name && (also_another || !completes(*asked)) &&
                !one_faq_question() && !named_for_second() &&
                (!by_question_word ? ((then && then != asked) || also_another) && !asked->urgent
                 : asked->urgent   ? sure(second) != nullptr
                                   : goes_on(second) || sure(second))) {
                split->first = first;
                split->second = m;  // the same message, asking the second question
                split->second->text = std::move(second);
                text = std::move(first);
                names.reset();
            }
        }
    // A follow-up ("et dimanche ?", "and the library", "sunday?") that alone means nothing:
    // the previous question again, with what the new words change.
    // The same while a question of ours waits for its answer ("c'est quand les encombrants ?" —
    // "dans quelle rue ?" — "et pour le verre ?"): the waiting question, now about the glass,
    // is asked again; what the citizen said before stays unless the new words change it.
    if (forced.empty() && !state.pending_intent.empty())
        if (auto* in = s->intents().find(state.pending_intent))
            if (auto* part = part_for(*in, locale)) {
                auto spec = part->slots.find(state.pending_slot);
                if (!names) names = s->extractor().extract(text, locale, m.now);
                if (spec != part->slots.end() && !spec->second.validate.any() &&
                    !find_entity(*names, spec->second) && only_names_for(text, *names, *part))
                    forced = state.pending_intent;
            }
    // "je sais pas" to a question of ours: that question again (kindly, below).
    if (forced.empty() && !state.pending_intent.empty() && says_not_known(text) &&
        nlu::words(text, locale).size() <= 8 && s->intents().find(state.pending_intent))
        forced = state.pending_intent;
    // "c'est payant ?" while a question of ours waits ("encombrants" — "dans quelle rue
    // habitez-vous ?"): the price of what was asked, which the FAQ knows (it was not
    // understood: the message names no subject). Not inside a form, whose draft it would leave.
    if (forced.empty() && !state.pending_text.empty() && asks_price(text) &&
        s->intents().find(options_.fallback_intent) && !drafting(state))
        if (auto* in = s->intents().find(state.pending_intent); in && !in->urgent) {
            forced = options_.fallback_intent;
            text = state.pending_text + " " + text;
        }
    bool about_the_other = false;  // "et l'autre ?": no word of it is a place unknown
    std::string report_asked, report_kind;  // a report the FAQ asked for, opened by its place
    if (auto last = state.memory.find("last.intent");
        forced.empty() && state.pending_intent.empty() && last != state.memory.end())
        if (auto* in = s->intents().find(last->second)) {
            if (!names) names = s->extractor().extract(text, locale, m.now);
            auto* part = part_for(*in, locale);
            std::string t = simple(text);
            bool lead = goes_on(text);
            const intents::intent* hours = nullptr;
            const intents::language_part* hours_part = nullptr;
            if (last->second == "places.nearest" && state.memory.count("last.service") &&
                (hours = s->intents().find("hours.open")))
                hours_part = part_for(*hours, locale);
            // "il y a du verglas" answered by the FAQ ("un endroit dangereux : signalez-le-moi
            // avec la rue"), then "rue Pasteur": that report, opened with the words said before
            // (the FAQ answered the same again). The FAQ entry says which report it asks for;
            // so does the bins' answer to a missed collection ("mes poubelles n'ont pas été
            // ramassées rue Pasteur": its button says the street again).
            const intents::language_part* report_part = nullptr;
            if ((last->second == "faq.ask" || last->second == "waste.days") &&
                state.memory.count("faq.report"))
                if (auto* report = s->intents().find("report.create"))
                    report_part = part_for(*report, locale);
            if (report_part &&
                ((m.location && simple(text).empty()) ||  // the position shared
                 (only_names_for(text, *names, *report_part, true) &&
                  std::any_of(names->begin(), names->end(), [](const entities::entity& e) {
                      return e.type == "street" || e.type == "service" ||
                             e.type == "place_category";
                  })))) {
                forced = "report.create";
                report_asked = state.memory["faq.report_words"];
                report_kind = state.memory["faq.report"];
                state.memory.erase("faq.report");  // once: the report now holds them
                state.memory.erase("faq.report_words");
            } else if (part && only_names_for(text, *names, *part, false, true)) {
                forced = last->second;
            } else if (hours_part &&
                       std::all_of(names->begin(), names->end(),
                                   [](auto& e) { return e.type == "datetime"; }) &&
                       only_names_for(text, *names, *hours_part)) {
                // "piscine" (its card, today's hours), then "et samedi ?", "demain ?": that
                // place's hours on that day (the card again ignored the day; "demain ?" alone
                // read as "à demain").
                forced = hours->name;
            } else if (last->second == "hours.open" &&
                       (asks_why(text, locale) || asks_what_time(text))) {
                forced = last->second;
            } else if ((last->second == "places.nearest" || last->second == "hours.open") &&
                       asks_about_the_other(text)) {
                // The list of that kind of place again, not the one place answered first.
                if (state.memory.count("last.place_category")) state.memory.erase("last.service");
                // The one place answered ("horaires de la déchetterie du Port"): the other one of
                // its kind (the town has two), else its kind's list (it answered the same place
                // again).
                else if (auto said = state.memory.find("last.service"); said != state.memory.end())
                    try {
                        std::string kind;
                        std::vector<std::string> others;
                        s->kb().with([&](kb::knowledge_base& kb) {
                            if (auto p = kb.find_place(said->second); p && p->id == said->second) {
                                kind = p->category;
                                for (auto& o : kb.places_by_category(kind))
                                    if (o.id != p->id) others.push_back(o.id);
                            }
                        });
                        if (others.size() == 1) {
                            said->second = others.front();
                        } else if (!others.empty()) {
                            state.memory.erase(said);
                            state.memory["last.place_category"] = kind;
                        }
                    } catch (const std::exception& e) {
                        log::warn("engine", std::string("knowledge base: ") + e.what(), m.conversation_id);
                    }
                forced = last->second;
                about_the_other = true;
            } else if (lead && part && says_home(text, locale) &&
                       std::any_of(part->slots.begin(), part->slots.end(),
                                   [](auto& sl) {
                                       return sl.second.entity == "street" && sl.second.required;
                                   })) {
                // "ok et chez moi ?" after the bins of the mother's street: the same question
                // about the citizen's own street, asked for when he gave none (not understood:
                // it names nothing). (Only where the street is the question's own: after the
                // FAQ's answer, "chez moi" says nothing of which entry.)
                forced = last->second;
            } else if (lead && !names->empty() && part &&
                       // "et la piscine ?" after the bins' days names nothing they take
                       std::any_of(names->begin(), names->end(), [&](const entities::entity& e) {
                           return std::any_of(part->slots.begin(), part->slots.end(),
                                              [&](auto& sl) { return sl.second.takes(e.type); });
                       })) {  // "et en bus ?" names nothing: a question
                // Not when its words foreign to that intent, from the first to the last, are one
                // of the FAQ's own questions: "et un médecin de garde ce soir ?" after the post
                // office's hours is the doctor on call (the hours asked which service).
                auto c = s->classify(text, locale, *names);
                const auto foreign = s->words_foreign_to(last->second, locale, text, *names);
                bool faq_subject = false;
                if (!foreign.empty())
                    if (auto from = text.find(foreign.front()), to = text.rfind(foreign.back());
                        from != std::string::npos && to != std::string::npos && from <= to)
                        faq_subject =
                            !s->faq_question_in(
                                  text.substr(from, to + foreign.back().size() - from), locale)
                                 .empty();
                if ((c.out_of_scope || c.ranked.empty() || c.ranked[0].confidence < 0.6) &&
                    !faq_subject)
                    forced = last->second;
            }
        }
    // "son numéro ?", "elle est où ?", "its phone?" after a place was talked about: a question
    // about that place (the classifier, with no place named, read the emergency numbers in
    // "son numéro").
    const auto last_asked = state.memory.find("last.intent");
    if (forced.empty() && state.pending_intent.empty() && state.memory.count("last.service") &&
        last_asked != state.memory.end() &&
        (last_asked->second == "places.nearest" || last_asked->second == "hours.open") &&
        s->intents().find("places.nearest")) {
        // (Words as written, no tokenizer: every turn after a place passes here.)
        const auto words = nlu::words_as_written(text);
        // Each word lower-cased once, compared in place (every turn after a place passes here).
        auto any_word = [&](std::initializer_list<std::string_view> listed) {
            return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
                return std::any_of(listed.begin(), listed.end(), [&](std::string_view l) {
                    return l.size() == w.size() &&
                           std::equal(l.begin(), l.end(), w.begin(), [](char a, char b) {
                               return a == std::tolower(static_cast<unsigned char>(b));
                           });
                });
            });
        };
        const bool pronoun =
            words.size() <= 5 && any_word({"son", "sa", "ses", "leur", "elle", "its", "it", "their"});
        // (A price asked, "is it free?", "c'est payant ?", is the FAQ's: it knows the place.)
        if (pronoun && !any_word({"free", "cost", "price", "gratuit", "gratuite", "payant",
                                  "payante", "prix", "tarif", "combien"})) {
            // Only where the classifier would answer badly: unsure, or sure of an urgent intent
            // ("how much does it cost?" stays the FAQ's prices).
            auto c = s->classify(text, locale, {});
            const auto* top = c.ranked.empty() ? nullptr : s->intents().find(c.ranked[0].intent);
            if (c.out_of_scope || !top || c.ranked[0].confidence < 0.5 || top->urgent) {
                forced = "places.nearest";
            } else if (const auto* part = part_for(*top, locale);
                       part && std::any_of(part->slots.begin(), part->slots.end(), [](auto& sl) {
                           return sl.second.takes("service");
                       })) {
                // "quels sont ses horaires ?": that place's hours, sure of it (the FAQ, asked
                // for the word "ses" no example has, gave the schools' hours).
                forced = top->name;
            }
        }
    }
    // "et en voiture ?", "à pied ?", "by bike?" and nothing else: the way to a place (the one
    // talked about, else the places plugin asks which), never the emergency numbers that
    // "voiture" drew as a first message.
    const bool a_way_only = (forced.empty() || forced == "places.nearest") &&
                            m.payload.empty() &&
                            only_a_way(text) && s->intents().find("places.nearest");
    if (a_way_only) forced = "places.nearest";
    // A form holds its own draft: what the message says fills its slots, not what was talked
    // about before ("non" at a report's recap is no street said again).
    understanding u = understand(*s, text, locale, m.now, expected ? nullptr : &state, forced,
                                 m.location.has_value(), names ? &*names : nullptr);
    // "how can I contact the police?", "contacter le service urbanisme": a fixed answer (the
    // town hall's contact) chosen on its verbs, while the message names another place, whose
    // name none of its examples has: a question about that place.
    if (forced.empty() && u.guessed && !u.intent.empty() && !plugins_.for_intent(u.intent) &&
        s->intents().find("places.nearest"))
        if (const auto* in = s->intents().find(u.intent); in && !in->urgent)
            if (const auto* part = part_for(*in, locale); part && part->slots.empty() &&
                std::any_of(u.entities.begin(), u.entities.end(), [&](const entities::entity& e) {
                    return e.type == "service" &&
                           s->has_word_foreign_to(u.intent, locale, e.text, {}, true);
                }))
                u = understand(*s, text, locale, m.now, &state, "places.nearest",
                               m.location.has_value(), names ? &*names : nullptr);
    // "comment j'y vais ?", "how do I get there?" after a place was talked about: that place's
    // card, with its map link (read as "what can you do?").
    // So too "et le téléphone ?", "what's the address?" right after another place (the town
    // hall's contact answered: the CCAS's phone was asked; the emergency numbers, torn with
    // the contact on "numéro" alone, answered "et le numéro ?" after the pool).
    const bool about_last_place =
        ((u.intent == "contact.town_hall" && u.guessed) ||
         (u.ambiguous && !s->has_word_foreign_to("places.nearest", locale, text, u.entities))) &&
        state.memory.count("last.service") &&
        state.memory["last.service"] != "mairie" &&
        std::none_of(u.entities.begin(), u.entities.end(),
                     [](const entities::entity& e) { return e.type == "service"; }) &&
        std::count(text.begin(), text.end(), ' ') < 6 && [&] {
            const std::string t = nlu::fold(text);  // "numéro" too
            for (std::string_view w : {"tel", "phone", "numero", "number", "adresse", "address",
                                       "mail", "courriel"})
                if (t.find(w) != std::string::npos) return true;
            return false;
        }();
    if (forced.empty() && u.intent != "places.nearest" && s->intents().find("places.nearest") &&
        state.memory.count("last.service") && (about_last_place || asks_the_way(text)))
        u = understand(*s, text, locale, m.now, &state, "places.nearest", m.location.has_value(),
                       names ? &*names : nullptr);
    // "et le numéro de l'école ?", "numéro de l'école Jules Ferry": the phone of a place (or
    // kind of place) named, which the places plugin gives. Unsure ("numéro" is in the
    // emergency numbers' examples), it was not understood, or the FAQ found nothing; right
    // after the FAQ's answer, the FAQ took it ("and the school's phone number?" after the lost
    // coat gave the music school). Not a phone lost, stolen or found there ("g perdu mon tel au
    // stade": lost property, not the stadium's number).
    else if (forced.empty() && s->intents().find("places.nearest") &&
             (u.intent.empty() || u.guessed) && u.confidence < 0.5 &&
             std::any_of(u.entities.begin(), u.entities.end(),
                         [](const entities::entity& e) {
                             return e.type == "service" || e.type == "place_category";
                         }) &&
             [&] {
                 const auto words = nlu::words(text, locale);
                 static const std::set<std::string, std::less<>> lost = {
                     "perdu", "perdue", "oublie", "vole", "trouve", "lost", "stolen",
                     "found", "left", "forgot"};
                 return std::none_of(words.begin(), words.end(),
                                     [](const std::string& w) { return lost.count(w) > 0; }) &&
                        std::any_of(words.begin(), words.end(), [](const std::string& w) {
                            return w == "numero" || w == "number" || w == "telephone" ||
                                   w == "tel" || w == "phone" || w == "num";
                        });
             }())
        u = understand(*s, text, locale, m.now, &state, "places.nearest", m.location.has_value(),
                       names ? &*names : nullptr);
    // "prochain marché ?", "next market?": when a place opens next, read as chit-chat ("à la
    // prochaine"). The hours of the place named.
    if (forced.empty() && u.guessed && u.intent.starts_with("smalltalk.") &&
        s->intents().find("hours.open") &&
        std::any_of(u.entities.begin(), u.entities.end(),
                    [](const entities::entity& e) { return e.type == "service"; }) &&
        asks_next(text, locale))
        u = understand(*s, text, locale, m.now, &state, "hours.open", m.location.has_value(),
                       names ? &*names : nullptr);
    // "this bot is useless, get me a real person" (the bot's own chit-chat), "can someone ring
    // me? my number is…" (read as an emergency): a person asked for, or a call back.
    // (Chosen for it, not guessed: "bon ok rappelez moi", barely chosen, was put aside.)
    if (forced.empty() && (u.guessed || u.intent.empty()) && s->intents().find("handoff.request") &&
        ((u.intent.starts_with("smalltalk.") && asks_for_a_person(text)) ||
         asks_for_a_call_back(text)))
        u = understand(*s, text, locale, m.now, &state, "handoff.request", m.location.has_value(),
                       names ? &*names : nullptr);
    // "vite, un défibrillateur !", "nearest defibrillator, someone collapsed": an emergency that
    // names a kind of place sought to save a life. The numbers first, then the nearest such
    // place, as the message's second question (the numbers alone left the defibrillator 260 m
    // away unsaid). ("Le gymnase est en feu" is no search for a gymnasium.)
    if (split && !split->second && forced.empty() && s->intents().find("places.nearest"))
        if (const auto* in = s->intents().find(u.intent);
            in && in->urgent && std::any_of(u.entities.begin(), u.entities.end(), [](const entities::entity& e) {
                return e.type == "place_category" && kb::is_lifesaving_category(e.value);
            })) {
            split->first = text;
            split->second = m;
            split->second->payload = std::string(forced_prefix) + "places.nearest";
        }
    if (expected) {
        u.missing_slot.clear();  // the plugin holds the form's draft
        for (auto& e : u.entities)  // "06 12…" → phone
            u.slots.emplace(e.type, corrected(text, u.entities, e).value);
    }
    if (!state.pending_text.empty() && u.intent == state.pending_intent)
        u.slots["request"] = state.pending_text;  // the words that opened the form
    if (!report_asked.empty() && u.intent == "report.create") {
        u.slots["request"] = report_asked;  // "il y a du verglas", then its place
        u.slots["category"] = report_kind;
    }
    result.intent = u.intent;
    result.confidence = u.confidence;

    std::set<std::string> told_by_plugin;  // the "last.*" the plugin's answer set this turn
    // Remember what the citizen talked about, for follow-up questions ("la piscine c'est
    // combien ?" answered by the FAQ, then "et le week-end elle est ouverte ?"); a place said
    // as where from ("c'est loin de la gare ?") is not what was talked about.
    auto remember_talked_about = [&] {
        for (auto& e : u.entities) {
            // (Not over what the plugin's answer named: "c'est où ?" after the food aid's
            // answer is the CCAS it names, not the place asked about.)
            if (told_by_plugin.count("last." + e.type)) continue;
            bool origin =
                std::any_of(u.entities.begin(), u.entities.end(), [&](const entities::entity& o) {
                    return o.type == "location" && o.begin == e.begin;
                });
            if ((e.type == "service" && !origin) || e.type == "street" ||
                e.type == "place_category")
                state.memory["last." + e.type] = e.value;
        }
    };

    auto finish_fallback = [&](const char* fr, const char* en, bool offer_agent) {
        result.fallback = true;
        reply r;
        r.text = tr(locale, fr, en);
        if (offer_agent)
            r.buttons.push_back({tr(locale, "Parler à un agent", "Talk to someone"),
                                 tr(locale, "je veux parler à quelqu'un", "I want to talk to someone")});
        result.replies.push_back(std::move(r));
    };

    auto run_plugin = [&](const loaded_plugin& p, const std::string& intent,
                          std::map<std::string, std::string> slots) -> asio::awaitable<bool> {
        turn_input in;
        in.msg = m;
        in.msg.text = text;
        in.locale = locale;
        in.intent = intent;
        in.confidence = u.confidence;
        in.time_zone = s->options().time_zone;
        in.desk_place = s->options().desk_place;
        in.slots = std::move(slots);
        in.memory = state.memory;
        in.services = store_ ? std::make_shared<durable_services>(s, store_, agents_signed_in_)
                             : std::shared_ptr<turn_services>(s);
        auto out = co_await plugins_.async_run(p, std::move(in), options_.turn_deadline,
                                               co_await asio::this_coro::executor,
                                               asio::use_awaitable);
        if (out.status != turn_status::ok) {
            log::warn("engine",
                      "plugin '" + p.name() + "' " + to_string(out.status) + " on intent '" +
                          intent + "': " + out.error,
                      m.conversation_id);
            co_return false;
        }
        result.replies = std::move(out.replies);
        result.unanswered = out.unanswered;
        result.source = std::move(out.source);
        for (const char* k : {"last.service", "last.place_category", "last.street"})
            if (auto was = state.memory.find(k), now = out.memory.find(k);
                now != out.memory.end() && (was == state.memory.end() || was->second != now->second))
                told_by_plugin.insert(k);
        state.memory = std::move(out.memory);
        // The plugin asks a question of its own now (a report's recap): the one another
        // intent left waiting ("dans quelle rue habitez-vous ?") is behind it; "oui" answers
        // the last question asked, and the older one is not asked again.
        if (auto e = state.memory.find("dialogue.expect");
            e != state.memory.end() && e->second == intent && !state.pending_intent.empty() &&
            state.pending_intent != intent)
            forget_question(state);
        co_return true;
    };

    // Not understood, or torn between two intents (see below): the fallback intent's
    // plugin may still know ("can I burn garden waste?" is in the FAQ, in words no example
    // has); its answer is given unless it marks the question unanswered. So too for an intent
    // that the classifier chose on some words while others are foreign to all its examples,
    // when it is unsure or (a plugin's) has nothing to work with ("my bin was stolen" is not
    // a question about collection days, "je veux me marier" not a request for an agent,
    // "where can I vote" not a search for a place). An intent marked `urgent`
    // (the emergency numbers) is never put aside.
    const std::string& fallback = options_.fallback_intent;
    auto urgent = [&](const std::string& name) {
        auto* in = s->intents().find(name);
        return in && in->urgent;
    };
    auto last_intent = state.memory.find("last.intent");
    const bool follows_fallback = last_intent != state.memory.end() && last_intent->second == fallback;
    // "le centre de loisirs" (the FAQ's answer, naming no place of the knowledge base), then
    // "il est ouvert le 24 ?": hours asked of what the town's places do not have. The FAQ's
    // entry again, which says so (it asked which service; before, the front desk's hours).
    // So too when the answer named a kind of place in passing ("There is no school on
    // Wednesdays"), if the message names nothing new ("aquagym horaires" after the music
    // school is the pool's class): the hours would ask which service all the same.
    if (follows_fallback && forced.empty() && u.intent == "hours.open" &&
        u.missing_slot == "service" && !state.memory.count("last.service") &&
        (!state.memory.count("last.place_category") ||
         !s->has_word_foreign_to(u.intent, locale, text, u.entities)))
        if (auto faq_last = state.memory.find("faq.last"); faq_last != state.memory.end())
            if (auto* p = plugins_.for_intent(fallback)) {
                std::map<std::string, std::string> again{{"again", faq_last->second}};
                const bool told = co_await run_plugin(*p, fallback, std::move(again));
                if (told && !result.unanswered) {
                    state.failures = 0;
                    state.pending_text.clear();
                    result.intent = fallback;
                    answered_by(state, fallback);
                    remember_talked_about();
                    save_and_log(std::move(state));
                    co_return result;
                }
                result.replies.clear();
                result.unanswered = false;
                result.source.clear();
            }
    bool try_fallback = !fallback.empty() && s->intents().find(fallback);
    // The FAQ's own question the message is or says (site::faq_question_in), looked up once and
    // only when asked: whether to put an intent aside for the FAQ, and which entry to give it.
    std::optional<std::string> faq_question;
    auto faq_question_said = [&]() -> const std::string& {
        if (!faq_question) faq_question = s->faq_question_in(text, locale);
        return *faq_question;
    };
    const intents::intent* urgent_too = nullptr;  // offered beside the FAQ's answer
    bool unfounded = false;                       // an intent barely chosen, on none of its words
    if (try_fallback && u.ambiguous) {
        // Torn between two intents ("je voudrais rencontrer le maire": an agent or a report?):
        // the FAQ is asked first; when one of the two is urgent ("pharmacy on duty": the FAQ
        // or the emergency numbers?), its button stays beside the FAQ's answer.
        for (std::size_t i = 0; i < 2 && i < u.ranked.size(); ++i)
            if (urgent(u.ranked[i].intent)) urgent_too = s->intents().find(u.ranked[i].intent);
    } else if (try_fallback && !u.intent.empty()) {
        // A fixed answer is put aside only when unsure ("can I get married at the town hall"
        // is no request for its address), or for one of the FAQ's own questions ("contacter la
        // CPAM" is not the town hall's contact, "how do I book a community hall?" not its card).
        auto is_faq_question = [&] { return !faq_question_said().empty(); };
        auto unsure = [&] {
            return u.confidence < 0.6 ||
                   (plugins_.for_intent(u.intent) && (!u.missing_slot.empty() || u.names_nothing));
        };
        // "bin day for baker street", "dépôt sauvage derrière intermarché": a street or place
        // the town does not have answers the missing slot (wrongly: it is said so below); its
        // name is no word foreign to the intent.
        auto without_unknown_names = [&] {
            const auto* in = s->intents().find(u.intent);
            const auto* slots = in ? part_for(*in, locale) : nullptr;
            if (u.missing_slot.empty() || !slots || !slots->slots.count(u.missing_slot))
                return text;
            const auto& spec = slots->slots.at(u.missing_slot);
            std::string out = text;
            for (const std::string& said :
                 {spec.takes("street") ? street_said(text) : std::string(),
                  spec.names_places() ? place_said(text) : std::string()})
                if (auto at = said.empty() ? std::string::npos : out.find(said);
                    at != std::string::npos)
                    out.erase(at, said.size());
            return out;
        };
        // However sure, chosen on none of its words and on two of none of its examples'
        // ("recrutez-vous des maîtres-nageurs ?" read as the privacy notice on "-vous", "are
        // you hiring lifeguards?" as what the bot is): the FAQ, or said not understood (and
        // shown to staff), rather than a tactless answer. (Naming nothing the town knows
        // either: a street, a place, a date are words of the question.)
        const bool on_none_of_its_words =
            u.guessed && u.entities.empty() && !s->has_word_of(u.intent, locale, text, u.entities) &&
            s->words_foreign_to(u.intent, locale, text, u.entities).size() >= 2;
        // (For one of the FAQ's questions, any foreign word counts: "je n'ai pas de poubelle"
        // is the FAQ's, though "pas" is in many intents' examples.)
        try_fallback = u.guessed && u.intent != fallback && !urgent(u.intent) &&
                       ((unsure() && s->has_word_foreign_to(
                                         u.intent, locale, without_unknown_names(), u.entities)) ||
                        (is_faq_question() &&
                         s->has_word_foreign_to(u.intent, locale, text, u.entities, true)) ||
                        // An FAQ question whose words a date took ("when are the Christmas
                        // holidays?"), where the intent would have to ask for more (a street).
                        (is_faq_question() && !u.missing_slot.empty()) ||
                        // Right after its answer, an unsure question ("c'est combien ?") may
                        // be about the entry it gave; it answers only when sure of that.
                        (follows_fallback && u.confidence < 0.5) ||
                        // So is "je fais quoi ?", "who do I call?" after it: its advice.
                        (follows_fallback && asks_what_to_do(text)) ||
                        // "c'est combien ?" after a place was talked about ("la piscine c'est
                        // où ?"): its prices are the FAQ's (the privacy notice answered).
                        (asks_price(text) && state.memory.count("last.service") &&
                         !urgent(u.intent)) ||
                        // Courtesy around a request ("mon mari est décédé, je ne sais pas quelles
                        // démarches faire, pouvez-vous m'aider ?" read as "what can you do?"):
                        // the FAQ answers when it is sure of the request.
                        (u.intent.starts_with("smalltalk.") &&
                         s->words_foreign_to(u.intent, locale, text, u.entities).size() >= 2) ||
                        // So is a question of when, in one word foreign to the chit-chat ("y a
                        // quoi ce week end" read as "bon week-end"): what is on then.
                        (u.intent.starts_with("smalltalk.") &&
                         std::any_of(u.entities.begin(), u.entities.end(),
                                     [](const entities::entity& e) {
                                         return e.type == "datetime";
                                     }) &&
                         s->has_word_foreign_to(u.intent, locale, text, u.entities, true)) ||
                        // A place named with a subject its card does not tell ("y a du wifi à
                        // la médiathèque ?"): the FAQ's answer on that subject when it is sure,
                        // else the card. (Not where it is, the way to it or the nearest one.)
                        (u.intent == "places.nearest" && !asks_where(text) &&
                         !asks_the_way(text) && !asks_nearest(text) &&
                         s->has_word_foreign_to(u.intent, locale, text, u.entities)) ||
                        on_none_of_its_words);
        unfounded = try_fallback && ((u.confidence < 0.5 && u.names_nothing &&
                                      !s->has_word_of(u.intent, locale, text, u.entities)) ||
                                     on_none_of_its_words);
        // An urgent intent barely chosen on words foreign to it ("je veux agrandir ma
        // maison" for the emergency numbers), or chosen for one of the FAQ's own questions
        // ("numéro de maison", "fishing licence"): the FAQ's sure answer, with the urgent
        // one's button beside it when some word is its ("wifi gratuit" has none); else the
        // urgent answer, as always.
        // So too right after the FAQ's answer ("and for a child?" after the passport's).
        // Chosen with less assurance on words foreign to it ("passeport en urgence", "devenir
        // pompier volontaire", "my child is being bullied"), the FAQ answers when it is sure,
        // the urgent button beside; it is silent, the urgent answer. (What is surely urgent,
        // "en feu", "ne respire plus", are the intent's keywords: never guessed.)
        // Right after the FAQ's answer, however sure, on none of its words ("he is 8", "il a 8
        // ans" after the child's passport: 0.95 on "he is choking") or asking what to do ("who
        // i call" after the noisy neighbour's): the FAQ's answer when it is sure, about the
        // entry it gave. (An emergency said then has words of its own: "he is choking".)
        const bool foreign = u.guessed && urgent(u.intent) &&
                             s->has_word_foreign_to(u.intent, locale, text, u.entities);
        const bool goes_on_from_faq =
            follows_fallback && (asks_what_to_do(text) ||
                                 !s->has_word_of(u.intent, locale, text, u.entities));
        if (u.guessed && urgent(u.intent) &&
            ((u.confidence < 0.5 && (follows_fallback || foreign)) || goes_on_from_faq ||
             (u.confidence < options_.urgent_sure && foreign) || is_faq_question())) {
            try_fallback = true;
            if (s->has_word_of(u.intent, locale, text, u.entities))
                urgent_too = s->intents().find(u.intent);
            else if (u.confidence < 0.5)
                unfounded = true;
        }
    }
    // Whether the intent is ranked first, or level with the first.
    auto level_with_first = [&](const intents::intent* in) {
        for (auto& r : u.ranked)
            if (r.intent == in->name) return r.confidence >= u.ranked[0].confidence - 0.05;
        return false;
    };
    // "j'ai perdu mon livret de famille, je veux parler à un agent": the FAQ's answer first,
    // then the person asked for (the FAQ answered alone, and no agent was called).
    const bool person_asked = u.intent == "handoff.request" && u.confidence >= 0.6 &&
                              asks_for_a_person(text);
    if (auto* p = try_fallback ? plugins_.for_intent(fallback) : nullptr) {
        // (No co_await on the right of && or ||: GCC 12 runs it even when the left decides,
        // and the FAQ ran twice, its alert said by the first run and lost.)
        std::map<std::string, std::string> asked;  // the FAQ's own question said, if any
        if (auto& q = faq_question_said(); !q.empty()) asked.emplace("question", q);
        // "… à la fourrière ? mon tel 06 12 34 56 78": the number is no word of the question.
        if (std::string contact; !without_contact_clauses(text, u.entities, &contact).empty())
            asked.emplace("contact", trimmed(contact));
        // "what's on this weekend?" (read as chit-chat, or not understood): the period said,
        // as the FAQ's own slots take it, for the places open for a season then.
        if (std::any_of(u.entities.begin(), u.entities.end(),
                        [](const entities::entity& e) { return e.type == "datetime"; }))
            for (auto& [name, value] :
                 understand(*s, text, locale, m.now, nullptr, fallback, false, &u.entities).slots)
                if (name == "when" || name.starts_with("when.")) asked.emplace(name, value);
        const bool faq_answered =
            co_await run_plugin(*p, fallback, std::move(asked)) && !result.unanswered;
        if (faq_answered && person_asked) {
            std::move(result.replies.begin(), result.replies.end(), std::back_inserter(preface));
            result.replies.clear();
        } else if (faq_answered) {
            // The urgent button only when one of the message's words is its ("wifi gratuit",
            // torn with the emergency numbers, has none), and not when that word is in the
            // FAQ's own question the message says ("construire une maison", "passeport en
            // urgence": staff wrote them for that entry; the button read as a danger seen).
            auto said_in_faq_question = [&] {
                const std::string& q = faq_question_said();
                return !q.empty() && s->has_word_of(urgent_too->name, locale, q, {});
            };
            // Nor on a follow-up of the FAQ's answer ("and for a child?" after the passport's:
            // "child" is a word of the emergencies; "who i call" after the noisy neighbour's).
            if (urgent_too && !result.replies.empty() &&
                s->has_word_of(urgent_too->name, locale, text, u.entities) &&
                !said_in_faq_question() &&
                !(follows_fallback && (goes_on(text) || asks_what_to_do(text))))
                result.replies.back().buttons.push_back(
                    {intent_title(*urgent_too, locale),
                     std::string(forced_prefix) + urgent_too->name});
            state.failures = 0;
            state.pending_text.clear();
            // "when is my bin collected?", the FAQ's own question, answered "tell me your
            // street": the street typed next is that intent's missing name (it opened a report).
            // Only when surely that intent ("are dogs allowed in the park", barely a report,
            // would take the next question as the report's place).
            // (So too when the FAQ answered for it on words foreign to it, "c quoi les jours
            // de poubelle rue d l eglise": the street then said was read as a new question,
            // and the FAQ gave the homeless shelter's answer to "rue de l'Église".)
            // Not when the FAQ's answer asked for a report's place ("the bins weren't
            // collected": the street next is the missed collection's, not the bins' days).
            // Nor when the intent lacked a place: the FAQ answered of what was asked about as
            // if it were one ("is the holiday club open during Christmas?"), and "and on the
            // 31st?" next is about it again, not the place the hours waited for.
            const auto* pending = s->intents().find(u.intent);
            const auto* pending_part = pending ? part_for(*pending, locale) : nullptr;
            const bool lacks_a_place =
                pending_part && pending_part->slots.count(u.missing_slot) &&
                pending_part->slots.at(u.missing_slot).names_places();
            if (!u.missing_slot.empty() && !u.intent.empty() && u.confidence >= 0.9 &&
                !lacks_a_place && !form_in_progress(state) && !state.memory.count("faq.report")) {
                state.pending_intent = u.intent;
                state.pending_slot = u.missing_slot;
                state.pending_slots = u.slots;
                state.pending_text = text;
            }
            result.intent = fallback;
            answered_by(state, fallback);
            remember_talked_about();
            save_and_log(std::move(state));
            co_return result;
        }
        // A fixed answer the classifier was unsure of, on words foreign to it ("what do you do
        // with tyres" for what is done with one's messages), when the FAQ has entries to
        // suggest: its "no sure answer" and those suggestions, kept for staff as unanswered,
        // rather than a wrong answer.
        // Torn between the FAQ and another intent ("wifi": the FAQ or erasing one's data?),
        // likewise: the FAQ's closest questions say more than its intent's title would, and the
        // other intent's button joins them when one of the message's words is its ("enfant":
        // the emergency numbers, clearly second, as a button; level with the FAQ, they answer,
        // below).
        auto* in = u.ambiguous ? nullptr : s->intents().find(u.intent);
        auto* part = in ? part_for(*in, locale) : nullptr;
        const intents::intent* torn_with = nullptr;
        bool torn_with_fallback = false;
        if (u.ambiguous && !(urgent_too && level_with_first(urgent_too)))
            for (std::size_t i = 0; i < 2 && i < u.ranked.size(); ++i) {
                if (u.ranked[i].intent == fallback)
                    torn_with_fallback = true;
                else
                    torn_with = s->intents().find(u.ranked[i].intent);
            }
        // (Its suggestions, after an alert the FAQ shows first: a site-wide alert turned every
        // such question into the wrong fixed answer.)
        auto suggestions = std::find_if(result.replies.begin(), result.replies.end(),
                                        [](const reply& r) { return r.buttons.size() >= 2; });
        if (((part && !part->answers.empty() && u.guessed && !urgent(u.intent)) ||
             torn_with_fallback) &&
            suggestions != result.replies.end()) {
            if (torn_with_fallback && torn_with &&
                s->has_word_of(torn_with->name, locale, text, u.entities)) {
                auto& buttons = suggestions->buttons;
                buttons.insert(buttons.end() - 1, {intent_title(*torn_with, locale),
                                                   std::string(forced_prefix) + torn_with->name});
            }
            result.intent = fallback;
            result.fallback = true;
            save_and_log(std::move(state));
            co_return result;
        }
        result.replies.clear();
        result.unanswered = false;
        result.source.clear();
        // The FAQ silent too, an intent barely chosen on none of its words is not understood:
        // the emergency numbers for "théâtre programme", "Où se trouve le problème ?" for
        // "banque" would answer nothing asked.
        if (unfounded) u.intent.clear();
    }

    // Torn between an urgent intent with a fixed answer, ranked first or level with the
    // first, and another, the FAQ silent ("quelqu'un est tombé dans la rue il saigne": the
    // emergency numbers or a report?): in doubt, the urgent answer, the other intent as a
    // button beside it when one of the message's words is its ("someone is having a heart
    // attack" offered no [bye]) and it is not the silent FAQ. Clearly second ("un arbre penche": a
    // report at 0.37, the emergency numbers at 0.14), both are offered.
    const intents::intent* also_offer = nullptr;
    if (u.ambiguous && urgent_too && level_with_first(urgent_too)) {
        auto* upart = part_for(*urgent_too, locale);
        if (upart && !upart->answers.empty()) {
            for (std::size_t i = 0; i < 2 && i < u.ranked.size(); ++i) {
                if (u.ranked[i].intent != urgent_too->name) {
                    if (u.ranked[i].intent != fallback &&  // it was asked, and silent
                        s->has_word_of(u.ranked[i].intent, locale, text, u.entities))
                        also_offer = s->intents().find(u.ranked[i].intent);
                } else
                    u.confidence = u.ranked[i].confidence;
            }
            u.ambiguous = false;
            u.intent = result.intent = urgent_too->name;
            result.confidence = u.confidence;
        }
    }
    // An urgent fixed answer chosen without assurance, a plugin's intent second on a word of
    // its own ("arbre tombé": the emergency numbers at 0.49, a report at 0.14, on "arbre"):
    // that intent as a button too (the tree could not be reported).
    if (!also_offer && !u.ambiguous && u.guessed && urgent(u.intent) &&
        u.confidence < options_.urgent_sure && u.ranked.size() >= 2 &&
        u.ranked[1].intent != fallback && u.ranked[1].confidence >= 0.1)
        if (auto* second = s->intents().find(u.ranked[1].intent);
            second && !second->plugin.empty() && !urgent(second->name) &&
            s->has_word_of(second->name, locale, text, u.entities))
            also_offer = second;
    // So too for the emergency numbers given on a keyword, for a problem in a street ("la rue
    // des Mariniers est inondée, l'eau monte"): the report, which the citizen then asked for in
    // vain ("je veux le signaler à la mairie" got the town hall's phone).
    if (!also_offer && !u.ambiguous && !u.guessed && urgent(u.intent) &&
        std::any_of(u.entities.begin(), u.entities.end(),
                    [](const entities::entity& e) { return e.type == "street"; }))
        if (auto* report = s->intents().find("report.create");
            report && s->has_word_of(report->name, locale, text, u.entities))
            also_offer = report;
    // Torn between two intents neither of which has a word of the message, the FAQ silent
    // ("yoga": hello, or what the bot can do?): nothing was understood, and "did you mean"
    // would offer two answers to nothing that was asked.
    if (u.ambiguous && u.ranked.size() >= 2 &&
        s->has_word_foreign_to(u.ranked[0].intent, locale, text, u.entities) &&
        !s->has_word_of(u.ranked[0].intent, locale, text, u.entities) &&
        !s->has_word_of(u.ranked[1].intent, locale, text, u.entities)) {
        u.ambiguous = false;
        u.intent.clear();
    }
    if (u.ambiguous) {
        reply r;
        r.text = tr(locale, "Je ne suis pas sûr d'avoir compris. Vouliez-vous dire :",
                    "I am not sure I understood. Did you mean:");
        for (std::size_t i = 0; i < 2 && i < u.ranked.size(); ++i)
            if (auto* in = s->intents().find(u.ranked[i].intent))
                r.buttons.push_back(
                    {intent_title(*in, locale), std::string(forced_prefix) + in->name});
        result.replies.push_back(std::move(r));
        state.pending_text = text;
        state.pending_intent.clear();
        save_and_log(std::move(state));
        co_return result;
    }

    if (u.intent.empty()) {
        if (language_told && in_another_language()) {
            save_and_log(std::move(state));
            co_return result;
        }
        ++state.failures;
        result.fallback = true;
        bool answered = false;
        // Failing twice in a row: offer a human rather than a third "I did not understand".
        if (state.failures >= 2) {
            if (auto* h = plugins_.for_intent("handoff.request")) {
                answered = co_await run_plugin(*h, "handoff.request", {});
                if (answered) {
                    state.failures = 0;
                    // Said why a person is offered: the agent was not asked for.
                    if (!result.replies.empty())
                        result.replies.front().text =
                            tr(locale, "Je n'ai toujours pas compris, désolé. ",
                               "I still did not understand, sorry. ") +
                            result.replies.front().text;
                }
            }
        }
        if (auto* fb = answered ? nullptr : plugins_.for_intent(last_resort_intent))
            answered = co_await run_plugin(*fb, std::string(last_resort_intent), {});
        if (!answered)
            finish_fallback("Désolé, je n'ai pas compris. Pouvez-vous reformuler votre question ?",
                            "Sorry, I did not understand. Could you rephrase your question?",
                            state.failures >= 2);
        result.intent.clear();
        save_and_log(std::move(state));
        co_return result;
    }
    state.failures = 0;

    auto* in = s->intents().find(u.intent);
    auto* part = in ? part_for(*in, locale) : nullptr;

    remember_talked_about();

    if (!u.missing_slot.empty() && part) {
        auto& spec = part->slots.at(u.missing_slot);
        // "signaler un problème" - "Où se trouve le problème ?" - "il y a des tags sur
        // l'église": no street, but what the problem is, said as one opens the form. Those are
        // kept as its words (the report's category), and the question is asked again as it was.
        // (Not a street the town lacks: "rue de Nulle Part", "Imaginary Road".)
        bool restated = false;
        // (Nor a kind of street said as a thing: "l'éclairage de la rue ne marche plus", "a
        // broken street light", "the road is flooded" describe the problem.)
        if (!u.invalid_slot.empty() && u.intent == state.pending_intent &&
            u.missing_slot == state.pending_slot) {
            const auto words = nlu::words(text, locale);
            static const std::unordered_set<std::string> not_a_name = {
                "ne", "n", "est", "sont", "a", "qui", "et", "en", "y", "is", "are", "was", "has",
                "have", "light", "lights", "lamp", "lamps", "lighting", "sign", "signs", "works",
                "and"};
            static const std::unordered_set<std::string> determiners = {
                "the", "a", "an", "this", "that", "my", "our", "whole", "la", "le", "les", "ma", "notre"};
            restated = true;
            for (std::size_t i = 0; i < words.size(); ++i) {
                if (!entities::is_street_type(words[i])) continue;
                const bool thing = i + 1 == words.size()
                                       ? i > 0 && determiners.count(words[i - 1]) > 0
                                       : not_a_name.count(words[i + 1]) > 0;
                if (!thing) restated = false;
            }
        }
        if (restated) {
            auto c = s->classify(text, locale, u.entities);
            restated = !c.out_of_scope && !c.from_pattern && !c.ranked.empty() &&
                       c.ranked[0].intent == u.intent && c.ranked[0].confidence >= 0.5;
        }
        std::string ask = u.invalid_slot.empty() ? spec.ask
                          : restated             ? tr(locale, "C'est noté. ", "Noted. ") + spec.ask
                                                 : spec.hint;
        if (ask.empty()) ask = tr(locale, "Pouvez-vous préciser ?", "Could you be more specific?");
        // "je sais pas (le nom de la rue)" is no answer, nor a misspelt street: the question
        // again, kindly, with the position when it answers too.
        if (!spec.ask.empty() && u.intent == state.pending_intent &&
            u.missing_slot == state.pending_slot && says_not_known(text))
            ask = tr(locale, "Pas de souci. ", "No problem. ") + spec.ask +
                  (by_position(spec) ? tr(locale, " Vous pouvez aussi partager votre position.",
                                          " You can also share your location.")
                                     : std::string());
        // "les poubelles au 3 impasse des roses": a street was said that the town does not
        // have (or not so spelt): say so, rather than ask for the street as if none was given.
        // "où est la patinoire": a place the town does not have (one word, not the intent's).
        if (u.invalid_slot.empty() && spec.asks_which_place())
            if (auto said = s->words_foreign_to(u.intent, locale, text, u.entities);
                said.size() == 1)
                ask =
                    (locale == "en" ? "I do not know \"" + said[0] + "\" among the town's places. "
                                    : "Je ne connais pas « " + said[0] +
                                          " » parmi les lieux de la commune. ") +
                    ask;
        // "un trou devant la boulangerie": a place of a street or a place, said after
        // "devant", "behind"… that the town does not have.
        const std::string street = u.invalid_slot.empty() && spec.entity == "street"
                                       ? street_said(text) : std::string();
        const std::string place = street.empty() && u.invalid_slot.empty() &&
                                          spec.takes("street") && spec.names_places()
                                      ? place_said(text) : std::string();
        if (!street.empty())
            ask = (locale == "en"
                       ? "I cannot find \"" + street + "\" among the town's streets. "
                       : "Je ne trouve pas « " + street + " » parmi les rues de la commune. ") +
                  ask;
        else if (!place.empty())
            ask = (locale == "en" ? "I do not know \"" + place + "\" among the town's places. "
                                  : "Je ne connais pas « " + place +
                                        " » parmi les lieux de la commune. ") +
                  ask;
        result.replies.push_back({ask, {}, {}, {}});
        if (state.pending_intent != u.intent || restated) state.pending_text = text;
        state.pending_intent = u.intent;
        state.pending_slot = u.missing_slot;
        state.pending_slots = u.slots;
        save_and_log(std::move(state));
        co_return result;
    }
    // A form's question answered aside ("la piscine est ouverte ?" while the report asks where
    // the problem is): the form still waits for its answer, with what opened it.
    if (state.pending_intent.empty() || state.pending_intent == u.intent) forget_question(state);

    if (!u.intent.empty()) answered_by(state, u.intent);
    if (part && !part->answers.empty()) {
        reply r;
        r.text = part->answers[std::hash<std::string>{}(text) % part->answers.size()];
        for (auto& b : part->buttons) r.buttons.push_back({b.title, b.payload});
        if (also_offer) {
            r.buttons.push_back(
                {intent_title(*also_offer, locale), std::string(forced_prefix) + also_offer->name});
            state.pending_text = text;  // pressed, the button takes these words
        }
        result.replies.push_back(std::move(r));
    } else {
        const loaded_plugin* p = in && !in->plugin.empty() ? plugins_.find(in->plugin)
                                                          : plugins_.for_intent(u.intent);
        // A message that names nothing the intent takes, but one word none of its examples
        // has ("où est la patinoire"): that word, for the plugin to say it does not know it.
        // So too for an intent with a place left unnamed, the place said after "près de",
        // "behind"… ("toilettes près de l'église": the kind of place named, not where from).
        const bool place_left =
            part && std::any_of(part->slots.begin(), part->slots.end(), [&](auto& slot) {
                return slot.second.names_places() && !u.slots.count(slot.first);
            });
        if (u.names_nothing && !about_the_other && !a_way_only) {
            // (Not "street", "rue": a kind of street is no place the town lacks.)
            if (auto said = s->words_foreign_to(u.intent, locale, text, u.entities);
                said.size() == 1 && !entities::is_street_type(nlu::fold(said[0])))
                u.slots.emplace("unknown", said[0]);
        } else if (place_left && !about_the_other && !a_way_only) {
            // Nothing asked for but where from ("boulangerie près de la gare"): the one word
            // none of its examples has; else the place said after "près de" ("toilettes près
            // de l'église"), not any word ("où recharger ma voiture électrique").
            const bool what_named =
                std::any_of(part->slots.begin(), part->slots.end(), [&](auto& slot) {
                    return slot.second.names_places() && slot.second.entity != "location" &&
                           u.slots.count(slot.first);
                });
            if (auto foreign = what_named ? std::vector<std::string>()
                                          : s->words_foreign_to(u.intent, locale, text, u.entities);
                foreign.size() == 1)
                u.slots.emplace("unknown", foreign[0]);
            else if (auto said = place_said(text);
                     !said.empty() &&
                     !std::any_of(u.entities.begin(), u.entities.end(), [&](auto& e) {
                         return nlu::fold(e.text).find(nlu::fold(said)) != std::string::npos;
                     }))
                u.slots.emplace("unknown", said);  // (not a place it knows: "près de la gare")
        }
        bool ok = false;
        if (u.intent == fallback)
            if (auto& q = faq_question_said(); !q.empty()) u.slots.emplace("question", q);
        if (a_way_only) u.slots.emplace("way", "1");  // the way there asked, by that means
        if (p) ok = co_await run_plugin(*p, u.intent, u.slots);
        // "horaires de la mairie et de la poste": the plugin again for each place joined.
        for (std::size_t i = 0; ok && i < u.also_values.size(); ++i) {
            auto before = std::move(result.replies);
            const bool unanswered = result.unanswered;
            auto slots = u.slots;
            const auto& also = u.also_values[i];
            slots[u.also_slot] = also.value;
            if (also.type == "datetime") {
                slots[u.also_slot + ".start"] = std::to_string(also.start);
                slots[u.also_slot + ".end"] = std::to_string(also.stop);
                slots[u.also_slot + ".grain"] = also.grain;
            }
            ok = co_await run_plugin(*p, u.intent, std::move(slots));
            before.insert(before.end(), std::make_move_iterator(result.replies.begin()),
                          std::make_move_iterator(result.replies.end()));
            result.replies = std::move(before);
            result.unanswered = result.unanswered || unanswered;
        }
        if (!ok) {
            if (!p)
                log::warn("engine", "no plugin loaded for intent '" + u.intent + "'",
                          m.conversation_id);
            result.replies.clear();
            // No plugin for it (refused at start): trying again in a moment changes nothing
            // until a restart; a late or failed plugin may answer the next time.
            finish_fallback(p ? "Désolé, je ne peux pas répondre à cette question pour le moment. "
                                "Réessayez dans un instant, ou demandez à parler à un agent."
                              : "Désolé, je ne peux pas répondre à cette question pour le moment. "
                                "Demandez à parler à un agent.",
                            p ? "Sorry, I cannot answer this question right now. Please try again "
                                "in a moment, or ask to talk to someone."
                              : "Sorry, I cannot answer this question right now. Please ask to "
                                "talk to someone.",
                            true);
        }
    }
    save_and_log(std::move(state));
    co_return result;
}

}  // namespace guichet
