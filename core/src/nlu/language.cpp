// Hand-written French/English scorer: the Compact Language Detector 2 (Debian's libcld2) is
// not reliable on the two- to six-word questions citizens type ("je n'ai pas de poubelle",
// "wifi gratuit": English, unreliable) and knows nothing of the site's own words. Evidence:
// stop words, French elision and accents, SMS spellings, frequent letter trigrams, the site's
// words. CLD2 only tells, for a text this scorer found no evidence in, a language the site
// does not speak (other_language).
#include "nlu/language.h"

// compact_lang_det.h uses FILE and std::vector without including their headers.
#include <cstdio>
#include <vector>

#include <cld2/public/compact_lang_det.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <unordered_set>

#include "nlu/normalize.h"

namespace guichet::nlu {
namespace {

constexpr std::string_view fr_stop[]{
    "a",      "afin",  "ai",      "au",      "aux",   "avec", "bonjour",  "bonsoir", "ce",
    "ces",    "cette", "comment", "dans",    "de",    "des",  "donc",     "du",      "elle",
    "en",     "est",   "et",      "etre",    "faire", "faut", "il",       "ils",     "je",
    "la",     "le",    "les",     "leur",    "lundi", "ma",   "mairie",   "mais",    "mardi",
    "me",     "merci", "mes",     "moi",     "mon",   "ne",   "nous",     "ou",      "ouvert",
    "par",    "pas",   "peut",    "peux",    "plait", "pour", "pourquoi", "puis",    "quand",
    "que",    "quel",  "quelle",  "quelles", "quels", "qui",  "quoi",     "sa",      "salut",
    "samedi", "se",    "ses",     "si",      "son",   "sont", "sur",      "ta",      "te",
    "tu",     "un",    "une",     "vous",    "votre", "y",
    // The town's services and days: terse questions ("horaires piscine dimanche") have no
    // grammar words. Not "rue": English speakers say "rue Pasteur" too.
    "horaires", "horaire", "piscine", "poubelle", "poubelles", "ordures", "encombrants", "collecte",
    "verre", "dechetterie", "decheterie", "mediatheque", "bibliotheque", "cimetiere", "signaler",
    "trou", "ouverte", "fermee", "ferme", "mercredi", "jeudi", "vendredi", "dimanche", "demain",
    "aujourdhui", "semaine", "prochain", "prochaine", "passeport", "naissance", "carte",
    "mariage", "ecole", "cantine", "permis", "perdu", "perdue", "inscription", "demarche",
    "demarches", "toilettes", "garer", "stationner", "coucou", "voisin", "voisins", "bruit",
    "dechets", "verts", "jardin", "fuite", "chien", "trouve", "signalement", "facture",
};
constexpr std::string_view en_stop[]{
    "a",      "about", "am",       "an",      "and",    "any",  "are",  "at",     "be",
    "can",    "could", "do",       "does",    "for",    "from", "get",  "have",   "hello",
    "hi",     "how",   "i",        "if",      "in",     "is",   "it",   "its",    "me",
    "much",   "my",    "need",     "of",      "on",     "open", "or",   "please", "saturday",
    "should", "so",    "tell",     "thank",   "thanks", "that", "the",  "there",  "this",
    "to",     "today", "tomorrow", "town",    "want",   "was",  "we",   "what",   "whats",
    "when",   "where", "which",    "who",     "why",    "will", "with", "would",  "you",
    "your",   "hall",  "monday",   "opening", "hours",  "im",   "dont", "cant",   "doesnt",
    "isnt",   "whens",  "youre", "useless",
    // As above, in English.
    "street", "road", "bin", "bins", "rubbish", "trash", "garbage", "recycling", "dump", "day",
    "days", "pool", "swimming", "library", "pothole", "broken", "nearest", "near", "closed",
    "close", "sunday", "tuesday", "wednesday", "thursday", "friday", "week", "next",
    "passport", "certificate", "birth", "card", "vote", "wedding", "marriage", "school",
    "canteen", "permit", "lost", "toilets", "car", "electric", "charge", "hey", "morning",
    "evening", "afternoon", "neighbour", "neighbours", "neighbor", "neighbors", "noise", "noisy",
    "waste", "garden", "glass", "bulky", "collection", "collected", "green", "water", "bill",
    "leak", "stray", "dog", "found", "report", "fence", "married", "died", "register",
    "heatwave", "elderly", "help", "hire", "shed", "planning", "permission", "tax", "taxes",
    "job", "jobs", "nursery", "address", "meals", "someone", "somebody", "dumped", "outside",
    "mattress", "actually", "forget", "gdpr", "delete", "erase", "cheers", "goodbye",
    "hiya", "howdy", "free",  // "free wifi?" (the site's examples alone were too little)
};
// Greetings and thanks: one of them alone ("hello", "merci") tells the language, though its
// letters may look like the other one's ("hello" has the French trigram "ell").
constexpr std::string_view courtesy[]{"hello",  "hi",      "hey",     "hiya",    "howdy",
                                      "thanks", "thank",   "please",  "morning", "evening",
                                      "bonjour", "bonsoir", "salut",  "merci",   "coucou"};
// Letter trigrams far more frequent in one language than in the other.
constexpr std::string_view fr_tri[]{
    "eau", "oir", "aux", "eux", "oui", "ais", "ait", "ier", "tio", "que", "qu'", "ous",
    "ont", "mai", "rie", "ell", "ett", "ien", "ire", "ur ", " le", "es ", "ne ", " d'",
};
constexpr std::string_view en_tri[]{
    "the", "th ", "ing", "ng ", "wha", "hat", "ow ", "you", "ou ", "wh",  "ght", "ly ",
    " th", "er ", "and", "ck ", "ay ", "ee",  "oo",  "'s ", "'t ", "ity", "ed ", "ll ",
};

// Words of the other languages citizens of a French town write in, for messages too short for
// the detector below ("hola", "necesito ayuda", "danke", "yardım lütfen"): greetings, thanks,
// "help", "I need", "do you speak", none of them a French or English word. Folded.
constexpr std::pair<std::string_view, std::string_view> foreign_words[]{
    {"hola", "es"},    {"gracias", "es"},     {"necesito", "es"}, {"ayuda", "es"},
    {"ayudame", "es"}, {"hablas", "es"},      {"habla", "es"},    {"buenos", "es"},
    {"senor", "es"},   {"ola", "pt"},         {"obrigado", "pt"}, {"obrigada", "pt"},
    {"preciso", "pt"}, {"ajuda", "pt"},       {"socorro", "pt"},  {"voce", "pt"},
    {"hallo", "de"},   {"danke", "de"},       {"bitte", "de"},    {"hilfe", "de"},
    {"brauche", "de"}, {"sprechen", "de"},    {"guten", "de"},    {"ich", "de"},
    {"ciao", "it"},    {"grazie", "it"},      {"aiuto", "it"},    {"buongiorno", "it"},
    {"merhaba", "tr"}, {"tesekkurler", "tr"}, {"yardim", "tr"},   {"lutfen", "tr"},
    {"pomocy", "pl"},  {"dziekuje", "pl"},    {"dzien", "pl"},    {"prosze", "pl"},
    {"ajutor", "ro"},  {"multumesc", "ro"},   {"buna", "ro"},     {"yardım", "tr"},
};

// The lists as sets: every word of every message is looked up in both.
template <std::size_t n>
std::unordered_set<std::string_view> set_of(const std::string_view (&list)[n]) {
    return {std::begin(list), std::end(list)};
}
const std::unordered_set<std::string_view>& fr_words() {
    static const auto s = set_of(fr_stop);
    return s;
}
const std::unordered_set<std::string_view>& en_words() {
    static const auto s = set_of(en_stop);
    return s;
}
const std::unordered_set<std::string_view>& courtesy_words() {
    static const auto s = set_of(courtesy);
    return s;
}

// The grams of a list by their first byte: a message is read once, each position compared
// with the few grams that start with its byte (overlapping occurrences count, as before).
struct gram_index {
    std::array<std::vector<std::string_view>, 256> by_first;
};
template <std::size_t n>
gram_index index_of(const std::string_view (&list)[n]) {
    gram_index idx;
    for (std::string_view g : list) idx.by_first[static_cast<unsigned char>(g[0])].push_back(g);
    return idx;
}
int count_grams(const gram_index& idx, std::string_view text) {
    int c = 0;
    for (std::size_t p = 0; p < text.size(); ++p)
        for (std::string_view g : idx.by_first[static_cast<unsigned char>(text[p])])
            if (text.substr(p, g.size()) == g) ++c;
    return c;
}

struct evidence {
    double fr = 0;
    double en = 0;
};

// A word as the lists hold it: without a French elided article or pronoun ("l'", "qu'"), which
// `elided` reports, and without apostrophes ("what's" → "whats").
std::string bare_word(std::string_view v, bool* elided = nullptr) {
    bool cut = false;
    if (v.size() > 2 && v[1] == '\'' && std::string_view("ldjnsmct").find(v[0]) != std::string_view::npos) {
        v.remove_prefix(2);
        cut = true;
    } else if (v.size() > 3 && v.substr(0, 3) == "qu'") {
        v.remove_prefix(3);
        cut = true;
    }
    if (elided) *elided = cut;
    std::string joined;
    for (char c : v)
        if (c != '\'') joined += c;
    return joined;
}

evidence score(std::string_view raw, const site_words* site) {
    evidence e;
    std::string lowered = fold(raw);  // accents removed; count them on the sanitized text
    std::string clean = sanitize(raw);
    static constexpr std::string_view accents[] = {"é", "è", "ê", "à", "ç", "ù", "û", "ô",
                                                   "î", "ï", "ë", "â", "œ", "É", "À", "Ç"};
    int accent_count = 0;
    for (std::string_view a : accents)
        for (std::size_t p = clean.find(a); p != std::string::npos; p = clean.find(a, p + 1))
            ++accent_count;
    e.fr += 1.5 * std::min(accent_count, 3);

    for (const std::string& w : words(lowered, "")) {
        bool elided = false;
        const std::string joined = bare_word(w, &elided);
        if (elided) e.fr += 1.5;  // French elision
        bool f = fr_words().count(joined) || !expand_sms(joined, "fr").empty();
        bool en = en_words().count(joined) || !expand_sms(joined, "en").empty();
        const double weight = courtesy_words().count(joined) ? 2.0 : 1.0;
        // The site's own sentences, for words the lists above do not know.
        // Half a stop word's weight: one such word alone ("urgent", in the English examples
        // only) does not decide.
        if (!f && !en && site && joined.size() >= 3) {
            if (site->fr.count(joined)) e.fr += 0.5;
            else if (site->en.count(joined)) e.en += 0.5;
            continue;
        }
        if (f && !en) e.fr += weight;
        if (en && !f) e.en += weight;
        if (f && en) {  // "a", "me", "on"…: weak evidence both ways
            e.fr += 0.25;
            e.en += 0.25;
        }
    }
    std::string padded = " " + lowered + " ";
    static const gram_index fr_grams = index_of(fr_tri), en_grams = index_of(en_tri);
    e.fr += 0.4 * count_grams(fr_grams, padded);
    e.en += 0.4 * count_grams(en_grams, padded);
    return e;
}

}  // namespace

void site_words::add(std::string_view sentence, std::string_view lang) {
    auto* set = lang == "fr" ? &fr : lang == "en" ? &en : nullptr;
    if (!set) return;
    for (const std::string& w : words(fold(sentence), "")) set->insert(bare_word(w));
}

void site_words::keep_distinct() {
    for (auto it = fr.begin(); it != fr.end();) {
        if (en.erase(*it)) it = fr.erase(it);
        else ++it;
    }
}

language_guess detect_language(std::string_view text, const std::vector<std::string>& candidates) {
    return detect_language(text, candidates, nullptr);
}

language_guess detect_language(std::string_view text, const std::vector<std::string>& candidates,
                               const site_words* site) {
    if (candidates.empty()) return {"fr", 0.0, true};
    evidence e = score(text, site);
    std::vector<double> s(candidates.size(), 0.0);
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (candidates[i] == "fr") s[i] = e.fr;
        if (candidates[i] == "en") s[i] = e.en;
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < s.size(); ++i)
        if (s[i] > s[best]) best = i;
    double second = -1.0;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (i != best) second = std::max(second, s[i]);
    // Too little evidence, or a near tie: keep the preferred (first) language.
    if (candidates.size() > 1 && (s[best] < 1.0 || s[best] - second < 0.75)) {
        return {candidates.front(), 1.0 / static_cast<double>(candidates.size()), true};
    }
    double z = 0;
    for (double v : s) z += std::exp(v - s[best]);
    return {candidates[best], 1.0 / z};
}

namespace {

// `said`: the number of words, 0 when two of them are ours. (Read word by word: a French
// question stops at its second word of ours, "horaires de…", before any other is folded.)
std::string foreign_words_language(std::string_view text, std::size_t* said) {
    constexpr std::string_view separators = " ,?!.;:";
    int ours = 0;
    std::size_t words = 0;
    std::string_view theirs;
    for (std::size_t at = text.find_first_not_of(separators); at != std::string_view::npos;) {
        const std::size_t end = std::min(text.find_first_of(separators, at), text.size());
        const std::string f = fold(text.substr(at, end - at));
        ++words;
        if (fr_words().count(f) || en_words().count(f)) {
            if (++ours >= 2) {
                if (said) *said = 0;
                return "";
            }
        } else if (theirs.empty()) {
            for (const auto& [word, lang] : foreign_words)
                if (f == word) theirs = lang;
        }
        at = text.find_first_not_of(separators, end);
    }
    if (said) *said = words;
    return std::string(theirs);
}

}  // namespace

std::string foreign_words_language(std::string_view text) {
    return foreign_words_language(text, nullptr);
}

std::string other_language(std::string_view raw, const std::vector<std::string>& candidates) {
    const std::string text = sanitize(raw);
    // Letters by script: mostly non-Latin letters are no French or English.
    int latin = 0, other = 0;
    for (int32_t i = 0, n = static_cast<int32_t>(text.size()); i < n;) {
        UChar32 c;
        U8_NEXT(text.data(), i, n, c);
        if (c < 0 || !u_isalpha(c)) continue;
        UErrorCode status = U_ZERO_ERROR;
        const UScriptCode script = uscript_getScript(c, &status);
        if (U_FAILURE(status) || script == USCRIPT_COMMON || script == USCRIPT_INHERITED) continue;
        (script == USCRIPT_LATIN ? latin : other)++;
    }
    if (other > 0 && other >= 2 * latin) return "script";
    // Two of our own words ("écris moi un poème": "moi", "un") make it ours, whatever the
    // detector says; one word of another language's list makes it theirs.
    std::size_t said = 0;
    std::string lang = foreign_words_language(text, &said);
    if (said == 0) return "";
    auto theirs = [&](const std::string& code) {
        for (const std::string& c : candidates)
            if (code == c) return std::string();
        return code;
    };
    if (!lang.empty()) return theirs(lang);
    // One Latin word is too little to tell a language ("creche" was Spanish to the detector).
    if (said < 2) return "";
    // Reliable, and scoring as ordinary text of that language does: CLD2 gives about 1,000 (its
    // "normal" score) for "necesito ayuda con mi basura" or "Ich brauche Hilfe", and calls
    // "xqzw plorf gnagna" reliable Icelandic at 512.
    constexpr double ordinary_text = 700;
    CLD2::Language top3[3];
    int percent3[3], text_bytes = 0;
    double score3[3] = {0, 0, 0};
    bool reliable = false;
    const CLD2::Language found = CLD2::ExtDetectLanguageSummary(
        text.data(), static_cast<int>(text.size()), true, "", 0, CLD2::UNKNOWN_LANGUAGE, top3,
        percent3, score3, &text_bytes, &reliable);
    if (!reliable || found == CLD2::UNKNOWN_LANGUAGE || score3[0] < ordinary_text) return "";
    return theirs(CLD2::LanguageCode(found));
}

}  // namespace guichet::nlu
