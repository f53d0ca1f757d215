// The "faq" plugin (intent faq.ask): finds the FAQ answer closest to the citizen's text
// with the knowledge base's FTS5 index (accents and case ignored, BM25 ranking weighted by
// the classifier's confidence; among the best, the entry whose questions hold the most of
// the citizen's words first) and gives it in the turn's language with its official source
// and review date. When nothing matches well enough it says so and offers the closest
// questions and the town hall's contact as buttons. A word the FAQ does not know is read as
// the FAQ word one or two typing slips away ("pasport"): the edit distance is written here,
// a few lines that neither SQLite, ICU nor Boost offer. A question that goes on from the last
// answer ("c'est payant ?", "et la cantine ?") is read with that answer's questions.
#include <guichet/answers.hpp>
#include <guichet/sdk.hpp>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace guichet::answers;

constexpr std::size_t max_terms = 16;        // long pastes stay cheap
constexpr std::size_t suggestions = 3;       // buttons offered when unsure
// Accept the best hit when -bm25 × (0.75 + 0.5 × confidence) reaches this. Measured on the
// default commune: right answers score 6–15 ("card" alone 6.0, "carte identite" 11.0,
// "passeport perdu" 14.2), stray single words about 3 ("temps demain" 2.9).
constexpr double accept_score = 4.5;

// Whether `w` is one of `words`.
template <std::size_t n>
bool listed(const std::string& w, const std::string_view (&words)[n]) {
    return std::find(std::begin(words), std::end(words), w) != std::end(words);
}

// Days, months and the like say when, never what: "se marier en juin" is about marrying. So
// does "during" ("is the holiday club open during Christmas?" is about the holiday club), and a
// day of the month ("and on the 31st?", "le 1er").
bool time_word(const std::string& w) {
    const auto digits = static_cast<std::size_t>(
        std::find_if(w.begin(), w.end(), [](unsigned char c) { return !std::isdigit(c); }) -
        w.begin());
    if (digits > 0 && digits <= 2) {
        const std::string_view rest = std::string_view(w).substr(digits);
        for (std::string_view suffix : {"st", "nd", "rd", "th", "er", "e"})
            if (rest == suffix) return true;
    }
    static constexpr std::string_view words[] = {
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "janvier",
        "fevrier", "février", "mars", "avril", "mai", "juin", "juillet", "aout", "août",
        "septembre", "octobre", "novembre", "decembre", "décembre", "demain", "aujourd", "hui",
        "hier", "prochain", "prochaine", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december", "today", "tomorrow",
        "yesterday", "next", "matin", "soir", "midi", "morning", "evening", "afternoon",
        "tonight", "pendant", "durant", "during"};
    return listed(w, words);
}

// Words that name no subject.
constexpr std::string_view stop_words[] = {
        "le", "la", "les", "un", "une", "des", "du", "de", "et", "ou", "au", "aux", "en", "je",
        "tu", "il", "elle", "on", "nous", "vous", "ils", "mon", "ma", "mes", "ton", "ta", "son",
        "sa", "ses", "est", "ce", "cette", "ces", "que", "qu", "qui", "quoi", "pour", "par", "sur",
        "dans", "avec", "pas", "ne", "se", "comment", "faire", "fait", "faut", "il", "quel",
        "quelle", "quels", "quelles", "est-ce", "bonjour", "svp", "merci", "peux", "puis", "veux",
        "the", "a", "an", "of", "to", "in", "on", "for", "and", "or", "is", "are", "do", "does",
        "how", "what", "can", "my", "me", "it", "with", "please", "hello", "hi", "hey", "want",
        "get", "voudrais", "voudrait", "voudrions", "voulons", "aimerais", "aimerait", "souhaite",
        "souhaitons", "souhaiterais", "savoir", "besoin", "would", "like", "know", "need", "wish",
        "was", "were", "has", "have", "had", "will", "we", "not", "wasn", "isn", "aren", "didn",
        "doesn", "don", "hasn", "haven", "weren", "ai", "as", "avez", "avons", "take", "takes",
        "this", "that", "there", "theres", "you", "your", "be", "am", "im", "ca", "ça",
        // what leads into a question ("ok et le passeport ?", "alors pour la cantine")
        "ok", "okay", "oui", "non", "ah", "bon", "alors", "sinon", "accord", "daccord", "yes",
        "yeah", "so", "then", "also", "aussi",
        "cela", "ceci", "à", "où", "là", "chez", "moi", "toi", "lui", "where", "wheres",
        // SMS spellings of the same
        "avoir", "dois", "doit", "jai", "jdois", "peut", "pouvez", "pourrais", "pourriez", "jveu",
        "jveux", "jvoudrai", "jvoudrais", "voudrai", "veut", "jpeux", "jsuis", "stp", "slt", "bjr",
        "pls", "plz", "wanna", "pr", "ds", "ki", "koi", "kel", "kelle", "fo", "hw", "wat",
        "da", "cn", "wen", "wot", "wud", "pk", "pq", "jsui", "peu",
        // letters' politeness ("Madame, Monsieur, … Cordialement.")
        "madame", "monsieur", "messieurs", "mesdames", "cordialement", "salutations", "avance",
        "excusez", "deranger", "déranger", "dear", "regards", "sir", "madam",
        // greetings and not knowing ("Bonsoir, … je ne sais pas quoi faire")
        "bonsoir", "salut", "coucou", "good", "evening", "sais", "sait", "savais", "sure",
        // every entry is about the town: these name no subject ("near the town hall")
        "mairie", "town", "hall", "city", "ville", "commune",
        // nor does the nearness asked ("where is the nearest bakery" is no hospital), nor
        // where something is ("près de la piscine" is no "préalable")
        "nearest", "closest", "proche", "proches", "plus", "près", "pres", "côté", "cote", "devant",
        "derrière", "derriere", "near", "next", "outside", "behind", "opposite",
        // nor how it is said ("il faut quoi comme papier")
        "comme"};

// Stop words of French that name a subject in English: "passport for my son" is the child's.
constexpr std::string_view french_only_stop_words[] = {"son"};

// `lang`: the language of the text ("" for either, as the FAQ's questions of both are read).
bool stop_word(const std::string& w, std::string_view lang = "") {
    return (listed(w, stop_words) && !(lang == "en" && listed(w, french_only_stop_words))) ||
           time_word(w);
}

// A person the question may be asked for ("et pour ma mère ?"), and which one.
bool person_word(const std::string& w) {
    static constexpr std::string_view words[] = {
        "mère",     "mere",      "père",     "pere",    "maman",    "papa",     "fils",
        "fille",    "filles",    "enfant",   "enfants", "mari",     "femme",    "épouse",
        "epouse",   "époux",     "epoux",    "conjoint", "conjointe", "parents", "bébé",
        "bebe",     "frère",     "frere",    "soeur",   "sœur",     "grand",    "mamie",
        "papi",     "voisin",    "voisine",  "mother",  "father",   "mum",      "mom",
        "dad",      "son",       "daughter", "child",   "children", "kid",      "kids",
        "husband",  "wife",      "partner",  "baby",    "brother",  "sister",   "grandmother",
        "grandfather", "grandma", "grandpa", "neighbour", "neighbor",
        // which one ("et pour le deuxième enfant ?", "and for my other son?")
        "deuxième", "deuxieme", "troisième", "troisieme", "second", "seconde", "autre",
        "aîné", "aine", "aînée", "ainee", "cadet", "cadette", "petit", "petite", "other",
        "older", "younger", "eldest", "youngest"};
    return std::find(std::begin(words), std::end(words), w) != std::end(words);
}

// Words that ask about an aspect (price, delay) rather than name the subject: they
// break ties but do not choose the entry. "combien coûte un passeport" is the passport's
// entry (its answer gives the price), not "Combien coûte la cantine ?".
bool aspect_word(const std::string& w) {
    static constexpr std::string_view words[] = {
        "combien", "coute",  "coutent", "cout",   "coûte",   "coûtent", "coût",     "prix",
        "tarif",   "tarifs", "payer",   "payant", "payante", "gratuit", "gratuite", "delai",
        "délai",   "duree",  "durée",   "temps",  "much",    "cost",    "costs",    "price",
        "fee",     "fees",   "free",    "long",   "pay",     "cb",      "cmb",
        // the price of getting in ("how much for entry" after the pool is its price)
        "entry",   "entrance", "admission", "ticket", "entree", "entrée",
        // what to bring ("il faut quels papiers ?" after the passport is about the passport)
        "papiers", "papier", "documents", "document", "pieces", "pièces", "justificatifs",
        // the way to get it ("quelle démarche pour un passeport ?" is about the passport)
        "demarche", "demarches", "démarche", "démarches", "formalite", "formalites", "formalité",
        "formalités", "procedure", "procedures", "procédure", "procédures", "formalities",
        "formality", "paperwork"};
    return listed(w, words);
}

// The citizen's words: letters and digits (and the letters beyond ASCII) only, lower-cased, so
// that they can be quoted in an FTS5 query. Symbols and punctuation beyond ASCII separate
// words as ASCII's do: an emoji ("c combien 😅" after the pool), "«", "°", "€", "…" is no word
// (the emoji was one, and the price no longer followed on from the pool).
std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> words;
    std::string w;
    auto flush = [&] {
        if (!w.empty()) words.push_back(std::move(w));
        w.clear();
    };
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (std::isalnum(c)) w += static_cast<char>(std::tolower(c));
            else flush();
            ++i;
            continue;
        }
        // A UTF-8 sequence: its length from the lead byte, its code point from the whole.
        const std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        const std::string_view seq = text.substr(i, n);
        char32_t cp = n == 4 ? c & 0x07 : n == 3 ? c & 0x0F : n == 2 ? c & 0x1F : c;
        for (std::size_t k = 1; k < seq.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(seq[k]) & 0x3F);
        // Letters: Latin-1's and Latin Extended (but × and ÷), then the other alphabets up to
        // the general punctuation block, where symbols, arrows and emoji begin.
        const bool letter = cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && cp < 0x2000;
        if (letter) w += seq;
        else flush();
        i += seq.size();
    }
    flush();
    return words;
}

// The words that count: stop words and single letters left out.
std::vector<std::string> search_terms(std::vector<std::string> words, std::string_view lang = "") {
    std::vector<std::string> terms;
    for (auto& w : words) {
        if (w == "rdv") w = "rendez";  // SMS for "rendez-vous" ("vous" is a stop word)
        if (w == "kan" || w == "qd") w = "quand";  // "les écoles reprennent kan"
        if (w.size() > 1 && !stop_word(w, lang) && terms.size() < max_terms) terms.push_back(w);
    }
    return terms;
}
std::vector<std::string> search_terms(std::string_view text, std::string_view lang = "") {
    return search_terms(words_of(text), lang);
}

// Whether a follow-up says only more of the answer just given, naming no other subject: what
// to do (first) or whom to call ("je fais quoi ?", "who i call", "qu'est-ce que je dois faire
// en premier ?"), or the age of the one it is for ("il a 8 ans", "he is 8" after the child's
// passport). Such a message is about that entry.
bool says_more_of_it(const std::vector<std::string>& said) {
    static constexpr std::string_view more[] = {
        "fais", "faire", "do", "call", "ring", "appeler", "appelle", "contacter",
        "contact", "ans", "an", "years", "year", "old", "age", "âge"};
    static constexpr std::string_view neutral[] = {"who", "should", "he", "she", "they", "dois",
                                                   "about", "premier", "first", "abord"};
    bool says_more = false;
    for (const auto& w : said) {
        if (listed(w, more) || std::all_of(w.begin(), w.end(), [](unsigned char c) {
                return std::isdigit(c) != 0;
            }))
            says_more = true;
        else if (w.size() > 1 && !stop_word(w) && !listed(w, neutral))
            return false;
    }
    return says_more;
}

// One term as an FTS5 phrase, a prefix when long enough, without a final e, s or es when what
// is left still has 4 letters: "perdue" finds "perdu" and "perdues", "cartes" "carte"; without
// a final "er" from seven letters: "demenager" finds "déménagé", "renouveler" "renouvellement".
// (The index is not stemmed; this covers French and English plurals, French feminines and
// infinitives.) Words of four letters or fewer are exact, but for their plural: "allo" is no
// "allocation", "clé" is "clés" ("jai perdu mes clé").
std::string fts_term(std::string w) {
    if (w.size() <= 4) {
        if (w.size() == 4 && (w.back() == 's' || w.back() == 'x')) w.pop_back();
        if (w.size() < 3) return '"' + w + '"';
        return "(\"" + w + "\" OR \"" + w + "s\" OR \"" + w + "x\")";
    }
    // A cut that would find a word the FAQ ignores, as "mair" finds "mairie" (in every
    // entry) when "maire" is meant, is not made; a plural's final s alone is cut then.
    auto finds_a_stop_word = [&](std::string_view stem) {
        return std::any_of(std::begin(stop_words), std::end(stop_words), [&](std::string_view s) {
            return s.size() > stem.size() && s.starts_with(stem) && s != w;
        });
    };
    std::string cut = w;
    if (w.size() >= 6 && w.ends_with("es")) cut.resize(w.size() - 2);
    else if (w.size() >= 7 && w.ends_with("er"))
        cut.resize(w.size() - 2);
    else if (w.size() >= 5 && (w.back() == 's' || w.back() == 'e')) cut.pop_back();
    if (finds_a_stop_word(cut)) cut = w.ends_with('s') ? w.substr(0, w.size() - 1) : w;
    return '"' + cut + "\"*";
}

// Whether the FAQ takes two words for one ("cartes", "carte"): the same term when searched.
// Accents aside, as the index reads them: "réclamation" is "reclamation".
bool same_word(const std::string& a, const std::string& b) {
    return fts_term(without_accents(a)) == fts_term(without_accents(b));
}

// The word with its ligature spelt the other way ("coeur" for "cœur" and back), or "": the
// index's tokenizer drops accents but keeps œ and æ, which staff and citizens type both ways.
std::string other_spelling(const std::string& w) {
    static constexpr std::pair<std::string_view, std::string_view> pairs[] = {
        {"œ", "oe"}, {"oe", "œ"}, {"æ", "ae"}, {"ae", "æ"}};
    for (auto [from, to] : pairs)
        if (auto at = w.find(from); at != std::string::npos)
            return std::string(w).replace(at, from.size(), to);
    return {};
}

// The term, spelt either way when it has a ligature.
std::string fts_either(const std::string& w) {
    auto other = other_spelling(w);
    return other.empty() ? fts_term(w) : "(" + fts_term(w) + " OR " + fts_term(other) + ")";
}

// Any of the terms.
std::string fts_query(const std::vector<std::string>& terms) {
    std::string q;
    for (auto& x : terms) {
        if (!q.empty()) q += " OR ";
        q += fts_either(x);
    }
    return q;
}

struct hit {
    std::string id, answer, source, reviewed;
    std::string report;  // the report category its answer asks for ("signalez-le-moi"), or none
    std::string question;  // the entry's first question in the language: its title, as staff wrote it
    double score = 0;    // -bm25: higher is better
    std::string num;     // faq.num
    std::size_t covered = 0;  // how many of the citizen's subject terms its questions hold
    std::size_t covered_aspects = 0;  // and of the aspect terms (aspect_word)
    std::size_t covered_context = 0;  // and of the context words (the entry answered last)
    std::size_t covered_before = 0;   // and of the subject it replaces ("et pour un enfant ?"
                                      // after the passport: the child's passport)
};

// The columns a hit is read from (hit_of): the entry, its answer in ?2's language, its source,
// its review date, its report category, then the question, the score and faq.num that each
// query selects its way.
constexpr const char* hit_columns =
    "SELECT f.id, CASE ?2 WHEN 'en' THEN f.answer_en ELSE f.answer_fr END, f.source_url, "
    "f.reviewed, f.report, ";

hit hit_of(const guichet::sdk::row& r) {
    return {std::string(r[0]), plain_text(r[1]), std::string(r[2]), std::string(r[3]),
            std::string(r[4]), plain_text(r[5]), -r.number(6), std::string(r[7])};
}

struct faq_plugin {
    explicit faq_plugin(guichet::sdk::host&) {}

    void handle(turn t) {
        // A report asked for by an earlier answer is asked no longer after this one.
        t.forget("faq.report");
        t.forget("faq.report_words");
        std::string text(t.text());
        if (text.empty()) text = std::string(t.payload());
        const std::string lang = t.fr() ? "fr" : "en";
        // "il est ouvert le 24 ?" after this entry's answer ("le centre de loisirs"), which names
        // no place the knowledge base has: the engine gives the entry as `again`. What it says
        // is all there is to say of the hours (another place's were given).
        if (const std::string again(t.slot("again")); !again.empty())
            if (auto h = entry(t, again, lang)) {
                t.say(t.tr("Je n'ai pas ses horaires jour par jour dans mes informations ; voici "
                           "ce que j'en sais :",
                           "I do not have its day-by-day opening hours in my information; here is "
                           "what I know of it:"));
                answer(t, *h);
                t.finish();
                return;
            }
        const auto said = words_of(text);
        auto terms = search_terms(said, lang);
        // A street said ("je suis rue Pasteur" after an answer) is where the citizen is, not
        // the subject: its words leave the search when all of them were said ("je suis à la
        // rue" stays the homeless entry).
        if (t.has_slot("street")) {
            const auto street = search_terms(t.slot("street"));
            const auto in_terms = [&](const std::string& w) {
                return std::find(terms.begin(), terms.end(), w) != terms.end();
            };
            if (!street.empty() && std::all_of(street.begin(), street.end(), in_terms))
                std::erase_if(terms, [&](const std::string& w) {
                    return std::find(street.begin(), street.end(), w) != street.end();
                });
        }
        // So are the clauses that give the citizen's phone number or e-mail address (the
        // engine passes them as `contact`): "mon tel 06 12 34 56 78" names no subject.
        if (t.has_slot("contact")) {
            const auto contact = words_of(t.slot("contact"));
            std::erase_if(terms, [&](const std::string& w) {
                return std::find(contact.begin(), contact.end(), w) != contact.end();
            });
        }
        std::vector<std::string> context;  // words of the entry answered last, see below
        std::vector<std::string> replaced;  // the subject asked before a follow-up, see below
        for (auto& w : terms) w = spelt_right(t, without_glued_elision(t, w, lang), lang);
        // A word spelt right may turn out to name nothing, and so does one a letter short of
        // such a word ("devan" is "devant").
        std::erase_if(terms, [&](const std::string& w) {
            return stop_word(w, lang) ||
                   std::any_of(std::begin(stop_words), std::end(stop_words), [&](std::string_view s) {
                       return s.size() == w.size() + 1 && s.starts_with(w);
                   });
        });
        std::string own_subject;  // the citizen's own subject words, remembered with the answer
        std::string own_aspects;  // and what they asked of it ("tarifs de la piscine": the price)
        for (auto& w : terms) {
            std::string& into = aspect_word(w) ? own_aspects : own_subject;
            into += (into.empty() ? "" : " ") + w;
        }
        // (A person asked next keeps them: "et pour mon fils ?" after the pool's prices.)
        const bool persons_only =
            !terms.empty() && std::all_of(terms.begin(), terms.end(), person_word);
        auto remember_aspects = [&] {
            if (persons_only) return;
            if (own_aspects.empty()) t.forget("faq.aspects");
            else t.remember("faq.aspects", own_aspects);
        };
        // One of the FAQ's own questions, as written (case and final punctuation aside), is
        // that entry: a "Voulez-vous dire" button pressed gave the same buttons again when its
        // question alone was unsure ("périscolaire le soir": "soir" names no subject).
        // (The engine passes the FAQ's question it found said within a longer message.)
        std::optional<hit> own = own_question(t, text, lang);
        if (!own && t.has_slot("question")) own = own_question(t, std::string(t.slot("question")), lang);
        if (auto h = own) {
            show_alerts(t, t.intent());
            answer(t, *h);
            if (!own_subject.empty()) t.remember("faq.subject", own_subject);
            remember_aspects();
            t.finish();
            return;
        }
        const std::string last(t.memory("faq.last"));
        // "je fais quoi ?", "il a 8 ans" right after an answer: that entry again.
        if (!last.empty() && says_more_of_it(said))
            if (auto h = entry(t, last, lang)) {
                answer(t, *h);
                t.finish();
                return;
            }
        // "c'est combien ?", "how long does it take?": no subject of its own, so about the
        // entry answered last — its questions' words join the search; so do they when each of
        // the subject's words is among them ("combien de temps pour avoir la carte ?" after the
        // identity card).
        // "c'est combien ?" after the canteen's enrolment: the entry that holds the price and
        // the citizen's subject (the canteen's price) rather than the enrolment again.
        // So is "ça coûte combien la cantine ?" after its menus, said with the subject: the
        // entry whose questions hold the aspect and that subject, not the menus again.
        bool aspect_follow_up = false;
        // "ok et pour mon fils ?" after the pool's prices (an entry about the price, as the
        // citizen asked it): the price for him, so an entry found by the person (the children's
        // swimming lessons) must hold that aspect too. (After the passport, then "combien ça
        // coûte ?", the child's passport holds its own price.)
        std::vector<std::string> aspects_before;
        if (!last.empty()) {
            std::vector<std::string> before;
            t.query("SELECT question FROM faq_questions WHERE faq_id = ?1 AND lang = ?2",
                    {last, lang}, [&](const guichet::sdk::row& r) {
                        for (auto& w : search_terms(r[0]))
                            if (std::find(before.begin(), before.end(), w) == before.end())
                                before.push_back(w);
                        return true;
                    });
            if (persons_only)
                for (auto& a : search_terms(t.memory("faq.aspects")))
                    if (std::any_of(before.begin(), before.end(), [&](auto& b) { return same_word(a, b); }))
                        aspects_before.push_back(a);
            auto said_before = [&](const std::string& w) {
                return aspect_word(w) || std::any_of(before.begin(), before.end(),
                                                     [&](auto& b) { return same_word(w, b); });
            };
            if (std::all_of(terms.begin(), terms.end(), said_before)) {
                aspect_follow_up = std::any_of(terms.begin(), terms.end(),
                                               [](const std::string& w) { return aspect_word(w); });
                if (aspect_follow_up)
                    replaced = search_terms(own_subject.empty() ? t.memory("faq.subject")
                                                                : std::string_view(own_subject));
                for (auto& w : before)
                    if (std::find(terms.begin(), terms.end(), w) == terms.end()) terms.push_back(w);
            } else if (follows_on(text)) {
                // "et la cantine ?" after the school enrolment: the canteen's enrolment. The
                // last entry's words (not its aspects: "délai" names no subject), but those the
                // citizen named as its subject (the school, now the canteen), only tell apart
                // the entries the new words find; the subject replaced breaks a tie last ("et
                // pour un enfant ?" after the passport: the child's passport).
                replaced = search_terms(t.memory("faq.subject"));
                for (auto& w : before)
                    if (!aspect_word(w) && std::none_of(replaced.begin(), replaced.end(),
                                                        [&](auto& r) { return same_word(w, r); }))
                        context.push_back(w);
            }
        }
        // "c'est gratuit ?", "how much is it?" right after a place was talked about (its hours,
        // its address) and no entry of ours: about that place, by its usual name ("piscine");
        // so too for whom ("c'est combien pour les enfants ?": the pool's, not the canteen's).
        const bool only_for_whom =
            std::any_of(terms.begin(), terms.end(),
                        [](const std::string& w) { return aspect_word(w); }) &&
            std::all_of(terms.begin(), terms.end(),
                        [](const std::string& w) { return aspect_word(w) || person_word(w); });
        if (last.empty() && only_for_whom)
            if (const std::string sid(t.memory("last.service")); !sid.empty())
                if (auto p = find_place(t, sid)) {
                    const std::string& usual = t.fr() ? p->short_fr : p->short_en;
                    for (auto& w : search_terms(usual.empty() ? p->name(t) : usual))
                        if (std::find(terms.begin(), terms.end(), w) == terms.end())
                            terms.push_back(w);
                }
        // "faut il un rendez vous pour la mairie": the town hall names no subject (every entry
        // is about the town) but, as the entry answered last does, it tells apart the entries
        // the other words find: the town hall's appointments, not the passport's.
        // ("the sports hall" is no town hall.)
        if (context.empty() && !terms.empty()) {
            for (std::size_t i = 0; i < said.size(); ++i)
                if (said[i] == "mairie" || (said[i] == "hall" && i > 0 && said[i - 1] == "town"))
                    context.push_back(said[i]);
        }
        for (auto& a : aspects_before)
            if (std::find(terms.begin(), terms.end(), a) == terms.end()) terms.push_back(a);
        std::vector<hit> hits;
        if (!terms.empty()) hits = search(t, terms, context, replaced, lang);
        bool aspect_pick = false;  // that entry, sure: it holds the aspect and the subject
        if (aspect_follow_up && !hits.empty() && hits.front().id == last &&
            hits.front().covered_aspects == 0)
            for (std::size_t i = 1; i < hits.size(); ++i)
                // (Said with the subject, an entry that holds all of it.)
                if (hits[i].covered_aspects > 0 && hits[i].covered_before > 0 &&
                    (own_subject.empty() || hits[i].covered_before >= replaced.size())) {
                    std::rotate(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(i),
                                hits.begin() + static_cast<std::ptrdiff_t>(i) + 1);
                    aspect_pick = true;
                    break;
                }
        // "et pour ma mère ?" after the electoral roll: the same formality for her, not the
        // death of a mother that another entry's question names. An entry found by the person
        // alone answers only when it holds most of the subject asked before ("et pour mon fils ?"
        // after the passport: the child's passport); else the last entry again.
        if (!last.empty() && !context.empty() && !terms.empty() &&
            std::all_of(terms.begin(), terms.end(),
                        [&](const std::string& w) {
                            return person_word(w) || std::find(aspects_before.begin(), aspects_before.end(),
                                                               w) != aspects_before.end();
                        }) &&
            std::none_of(hits.begin(), hits.end(), [&](const hit& h) {
                return h.id != last && h.covered_before * 2 > replaced.size() &&
                       (aspects_before.empty() || h.covered_aspects > 0);
            }))
            if (auto h = entry(t, last, lang)) {
                answer(t, *h);
                t.finish();
                return;
            }
        show_alerts(t, t.intent());
        double weight = 0.75 + 0.5 * std::clamp(t.message().confidence, 0.0, 1.0);
        // Sure: it scores well and its questions hold two of the citizen's subject words (the
        // one word asked, "passeport"), and half of them when more than four were given: "j'ai
        // perdu mes clés" shares only "perdu" with "carte électorale perdue", "broken bench in
        // the park near the pool" is no question about the pool. Aspect words count only when
        // nothing else was asked.
        const auto subject = static_cast<std::size_t>(
            std::count_if(terms.begin(), terms.end(), [](auto& w) { return !aspect_word(w); }));
        const std::size_t held = hits.empty() ? 0
                                 : subject > 0 ? hits.front().covered
                                               : hits.front().covered_aspects;
        const std::size_t asked = subject > 0 ? subject : terms.size();
        // One word alone ("perdu", "inscription", "carte") is in many entries' questions: it
        // chooses one only when that entry has it as a question of its own ("passeport"). (An
        // aspect said with it, "combien coûte la cantine", tells the entries apart.)
        // So does one subject word with aspects none of the entry's questions hold ("combien
        // de temps pour avoir la carte" is not the vehicle registration's).
        // And so does one word that, after "et …", only one entry holds with the words of the
        // entry answered last.
        // And so does one word that a single entry's questions hold ("wifi", "pharmacie"; others
        // may have it in their answers), when it names that entry's subject: a question of three
        // words at most holds it ("téléphone" alone is not the domestic violence entry, whose
        // long "… il prend mon téléphone" holds it by the way).
        const bool one_word_claimed =
            hits.empty() ||
            (hits.front().covered > 0 && (hits.size() == 1 || hits[1].covered == 0) &&
             (asked > 1 || in_short_question(t, hits.front(), subject_word(terms), lang, 3))) ||
            (terms.size() != 1 && (subject != 1 || hits.front().covered_aspects > 0)) ||
            (hits.front().covered_context > 0 &&
             (hits.size() == 1 || hits[1].covered < hits[0].covered ||
              hits[1].covered_context < hits[0].covered_context)) ||
            (hits.front().covered_before > 0 &&
             (hits.size() == 1 || hits[1].covered < hits[0].covered ||
              hits[1].covered_before < hits[0].covered_before)) ||
            in_short_question(t, hits.front(), subject_word(terms), lang, 1);
        if (aspect_pick ||
            (!hits.empty() && hits.front().score * weight >= accept_score && one_word_claimed &&
             held >= std::min(asked, std::max<std::size_t>(2, (asked + 1) / 2)))) {
            answer(t, hits.front());
            if (!own_subject.empty()) t.remember("faq.subject", own_subject);
            remember_aspects();
        } else {
            t.say(t.tr("Je n'ai pas trouvé de réponse sûre à votre question. Voulez-vous dire :",
                       "I could not find a reliable answer to your question. Did you mean:"));
            for (std::size_t i = 0; i < hits.size() && i < suggestions; ++i)
                t.button(hits[i].question, hits[i].question);
            t.button(t.tr("Contacter la mairie", "Contact the town hall"),
                     t.tr("coordonnées de la mairie", "town hall contact details"));
            t.mark_unanswered();  // a question the FAQ could answer one day
        }
        t.finish();
    }

    // The first term that is no aspect word (the first term when all are).
    static const std::string& subject_word(const std::vector<std::string>& terms) {
        auto it = std::find_if(terms.begin(), terms.end(), [](auto& w) { return !aspect_word(w); });
        return it != terms.end() ? *it : terms.front();
    }

    // Whether one of h's questions of at most `most` search terms holds the word (a plural or
    // feminine form counts: "poubelles" for "poubelle"). With 1: the question is that word alone.
    static bool in_short_question(const turn& t, const hit& h, const std::string& word,
                                  const std::string& lang, std::size_t most) {
        bool found = false;
        t.query("SELECT question FROM faq_questions WHERE faq_id = ?1 AND lang = ?2", {h.id, lang},
                [&](const guichet::sdk::row& r) {
                    auto q = search_terms(r[0]);
                    found = q.size() <= most && std::any_of(q.begin(), q.end(), [&](auto& w) {
                                return same_word(w, word);
                            });
                    return !found;
                });
        return found;
    }

    // "didentite", "lacte": an elision typed without its apostrophe. A French word the FAQ
    // does not know whose rest after d, l, j, n, s, c or qu (four letters or more) it knows
    // is that rest: "carte didentite" is about "identité".
    static std::string without_glued_elision(const turn& t, const std::string& w,
                                             const std::string& lang) {
        if (lang != "fr" || w.size() < 5) return w;
        const std::size_t cut = w.rfind("qu", 0) == 0 ? 2 : 1;
        if (cut == 1 && std::string_view("dljnsc").find(w[0]) == std::string_view::npos) return w;
        if (std::string_view("aeiouyh").find(w[cut]) == std::string_view::npos) return w;
        std::string rest = w.substr(cut);
        return rest.size() >= 4 && !holds(t, fts_term(w), lang) && holds(t, fts_term(rest), lang)
                   ? rest
                   : w;
    }

    // Whether some FAQ text of `lang` (of either language when "") matches the FTS5 query.
    static bool holds(const turn& t, const std::string& match, const std::string& lang) {
        bool found = false;
        t.query("SELECT 1 FROM faq_fts WHERE faq_fts MATCH ?1 AND (?2 = '' OR lang = ?2) LIMIT 1",
                {match, lang}, [&](const guichet::sdk::row&) {
                    found = true;
                    return false;
                });
        return found;
    }

    // A word of five letters or more that no FAQ text holds: the FAQ word of the turn's
    // language with the same first letter one slip away (two from seven letters on: "pasport"
    // → "passeport"), when there is a single closest one; else the word as typed.
    // Accents aside, as the index reads them ("innondée" is "inondee" one slip away).
    static std::string spelt_right(const turn& t, const std::string& typed, const std::string& lang) {
        const std::string w = guichet::answers::without_accents(typed);
        if (w.size() < 5 || (w[0] & 0x80) || holds(t, fts_either(typed), "")) return typed;
        const std::size_t most = w.size() >= 7 ? 2 : 1;
        std::vector<std::pair<std::size_t, std::string>> near;
        t.query("SELECT term FROM faq_vocab WHERE term >= ?1 AND term < ?2 AND "
                "length(term) BETWEEN CAST(?3 AS INTEGER) AND CAST(?4 AS INTEGER)",
                {w.substr(0, 1), std::string(1, static_cast<char>(w[0] + 1)),
                 std::to_string(w.size() - most), std::to_string(w.size() + most)},
                [&](const guichet::sdk::row& r) {
                    std::string_view c = r[0];
                    // A short word keeps its first two letters: "saigne" is no "signe".
                    if (w.size() < 7 && (c.size() < 2 || c[1] != w[1])) return true;
                    if (std::size_t d = slips(w, c); d <= most) near.emplace_back(d, c);
                    return true;
                });
        std::sort(near.begin(), near.end());
        std::string best;
        std::size_t best_d = 0;
        for (auto& [d, c] : near) {
            if (!best.empty() && d > best_d) break;
            if (!holds(t, '"' + c + '"', lang)) continue;  // a word of the other language
            if (!best.empty()) return typed;  // two as close: no guess
            best = c;
            best_d = d;
        }
        return best.empty() ? typed : best;
    }

    // The best FAQ entries by BM25, then ranked by how many of the terms their questions hold
    // (subject terms first, aspect terms on a tie): "carte identite perdue" is "J'ai perdu ma
    // carte d'identité" (3 of 3), not the shorter "carte électorale perdue" (2 of 3) that BM25
    // alone prefers.
    // Context words (the entry answered last) find nothing themselves and come after the
    // subject terms, before the aspects; the subject a follow-up replaces comes last.
    static std::vector<hit> search(const turn& t, const std::vector<std::string>& terms,
                                   const std::vector<std::string>& context,
                                   const std::vector<std::string>& replaced,
                                   const std::string& lang) {
        auto out = best_matches(t, fts_query(terms), lang);
        auto count = [&](const std::string& term, std::size_t hit::*field) {
            t.query("SELECT DISTINCT faq_num FROM faq_fts WHERE faq_fts MATCH ?1 AND lang = ?2",
                    {"question : " + fts_either(term), lang}, [&](const guichet::sdk::row& r) {
                        for (auto& h : out)
                            if (h.num == r[0]) ++(h.*field);
                        return true;
                    });
        };
        for (const auto& term : terms)
            count(term, aspect_word(term) ? &hit::covered_aspects : &hit::covered);
        if (!out.empty()) {
            for (const auto& term : context) count(term, &hit::covered_context);
            for (const auto& term : replaced) count(term, &hit::covered_before);
        }
        std::stable_sort(out.begin(), out.end(), [](const hit& a, const hit& b) {
            if (a.covered != b.covered) return a.covered > b.covered;
            if (a.covered_context != b.covered_context)
                return a.covered_context > b.covered_context;
            if (a.covered_aspects != b.covered_aspects)
                return a.covered_aspects > b.covered_aspects;
            return a.covered_before > b.covered_before;
        });
        return out;
    }

    // The first entry `from` selects (an SQL FROM clause for `f`, the faq table, with ?1 and ?2
    // the language), named by its first question.
    static std::optional<hit> first_entry(const turn& t, const char* from, const std::string& p1,
                                          const std::string& lang) {
        std::optional<hit> found;
        t.query((std::string(hit_columns) +
                 "(SELECT first.question FROM faq_questions first WHERE first.faq_id = f.id "
                 "AND first.lang = ?2 ORDER BY first.rowid LIMIT 1), 0, f.num " + from)
                    .c_str(),
                {p1, lang}, [&](const guichet::sdk::row& r) {
                    found = hit_of(r);
                    return false;
                });
        return found;
    }

    // The entry of that id.
    static std::optional<hit> entry(const turn& t, const std::string& id, const std::string& lang) {
        return first_entry(t, "FROM faq f WHERE f.id = ?1", id, lang);
    }

    // The entry one of whose questions the text is, case and final punctuation aside.
    static std::optional<hit> own_question(const turn& t, const std::string& text,
                                           const std::string& lang) {
        return first_entry(t,
                           "FROM faq_questions q JOIN faq f ON f.id = q.faq_id "
                           "WHERE q.lang = ?2 AND rtrim(q.question, ' ?!.') = "
                           "rtrim(trim(?1), ' ?!.') COLLATE NOCASE LIMIT 1",
                           text, lang);
    }

    static std::vector<hit> best_matches(const turn& t, const std::string& q, const std::string& lang) {
        std::vector<hit> out;
        // bm25 weights: the question column counts 4 times the answer (knowledge/README.md).
        t.query((std::string("WITH m AS MATERIALIZED (SELECT faq_num, question, "
                             "bm25(faq_fts, 4.0, 1.0) AS s FROM faq_fts WHERE faq_fts MATCH ?1 "
                             "AND lang = ?2) ") +
                 hit_columns +
                 "(SELECT question FROM faq_questions q WHERE q.faq_id = f.id AND q.lang = ?2 "
                 "ORDER BY q.rowid LIMIT 1), min(m.s) AS score, f.num "
                 "FROM m JOIN faq f ON f.num = m.faq_num GROUP BY f.num ORDER BY score, f.num "
                 "LIMIT 8")
                    .c_str(),
                {q, lang}, [&](const guichet::sdk::row& r) {
                    out.push_back(hit_of(r));
                    return true;
                });
        return out;
    }

    // The places open for a season (their openings stop for two months or more in a year: the
    // Christmas market) with their openings in the period the question names ("ce week-end":
    // from the Friday evening), else in the coming seven days, one line each under a heading;
    // "" when none is open then.
    static std::string seasonal_places(const turn& t) {
        const bool said = t.has_slot("when.start") && !t.has_slot("when.remembered");
        std::int64_t from = said ? std::max(to_int(t.slot("when.start")), t.now()) : t.now();
        std::int64_t to = said && t.has_slot("when.end") ? to_int(t.slot("when.end"))
                                                         : from + 7 * day_seconds;
        if (said) {
            const std::int64_t first = local_day_number(t, to_int(t.slot("when.start")));
            if (weekday_of(first) == 6 && local_day_number(t, to - 1) - first <= 1)
                from = std::max(t.now(), day_start(t, first - 1) + 18 * 3600);
        }
        std::string lines;
        t.query((std::string(place_select) + "WHERE p.opening_hours <> '' ORDER BY p.name_fr").c_str(),
                {}, [&](const guichet::sdk::row& r) {
                    const place p = place_from_row(r);
                    // (Closed then, whatever its season: the year's openings go unread.)
                    if (t.hours(p.opening_hours, from, to).empty()) return true;
                    // Each day of the period it opens, with that day's hours.
                    std::vector<guichet::sdk::interval> in_period;
                    for (const auto& i : season_openings(t, p))
                        if (i.end > from && i.start < to) in_period.push_back(i);
                    std::vector<std::string> days;
                    for (std::size_t k = 0; k < in_period.size(); ++k) {
                        const std::int64_t d = local_day_number(t, in_period[k].start);
                        if (k > 0 && local_day_number(t, in_period[k - 1].start) == d) continue;
                        days.push_back(day_label(t, in_period[k].start) + " " +
                                       ranges_phrase(t, openings_on(t, in_period, d), day_start(t, d + 1)));
                    }
                    if (days.empty()) return true;
                    std::string line = "\n• " + p.name(t) + (p.address.empty() ? "" : " (" + p.address + ")") +
                                       t.tr(" : ", ": ");
                    for (std::size_t i = 0; i < days.size(); ++i) line += (i ? t.tr(" ; ", "; ") : "") + days[i];
                    lines += line + ".";
                    return true;
                });
        if (lines.empty()) return {};
        return (said ? t.tr("À ces dates dans la commune :", "On in town on those dates:")
                     : t.tr("Ces prochains jours dans la commune :", "On in town in the coming days:")) +
               lines;
    }

    static void answer(const turn& t, const hit& h) {
        std::string s = h.answer;
        // "{school_holidays}": the coming periods of knowledge/school_holidays.yaml, so the
        // answer follows the calendar the schools' hours follow (knowledge/README.md).
        constexpr std::string_view holidays = "{school_holidays}";
        if (auto at = s.find(holidays); at != std::string::npos) {
            std::string lines;
            const auto today = local_day_number(t, t.now());
            constexpr std::size_t shown = 3;
            const auto known = school_holiday_lines(t, today, shown);
            for (const auto& l : known) lines += (lines.empty() ? "" : "\n") + l;
            // "dates des vacances d'hiver" when the file stops at Christmas: said plainly, never
            // another period's dates as if they were those (it gave Christmas alone).
            const std::string missing =
                school_holidays_not_known(t, t.text().empty() ? t.payload() : t.text(), today);
            const std::string where =
                h.source.empty() ? std::string(".")
                                 : t.tr(". Voyez le calendrier officiel : ", ". See the official calendar: ") +
                                       h.source;
            if (!missing.empty())
                lines = (t.fr() ? "Je n'ai pas encore les dates des " + missing +
                                      " : elles ne sont pas encore dans mes informations" + where
                                : "I do not have the " + missing +
                                      "' dates yet: they are not in my information yet" + where) +
                        (known.empty() ? "" : t.tr("\nLes prochaines que je connais :\n",
                                                   "\nThe next ones I know:\n") + lines);
            else if (known.empty())
                lines = t.tr("Je n'ai pas encore les dates des prochaines vacances scolaires",
                             "I do not have the next school holidays' dates yet") + where;
            else if (known.size() < shown)
                // The file's last period: the ones after it are not known yet (it seemed the
                // year ended at Christmas).
                lines += t.tr("\nLes dates des vacances suivantes ne sont pas encore dans mes informations",
                              "\nThe dates of the holidays after these are not in my information yet") +
                         where;
            s.replace(at, holidays.size(), lines);
        }
        // "{seasonal_places}": the places open for a season during the period asked (the
        // Christmas market "ce week-end"); with none, the placeholder goes with its line break.
        constexpr std::string_view seasonal = "{seasonal_places}";
        if (auto at = s.find(seasonal); at != std::string::npos) {
            const std::string lines = seasonal_places(t);
            std::size_t n = seasonal.size();
            if (lines.empty() && at + n < s.size() && s[at + n] == '\n') ++n;
            else if (lines.empty() && at > 0 && s[at - 1] == '\n') --at, ++n;
            s.replace(at, n, lines);
        }
        // "mon mari est décédé le mois dernier… la concession": a loss told in the question is
        // acknowledged first, as at the front desk, unless the answer already does.
        if (tells_a_death(t.text()) && s.find(t.tr("condoléances", "condolences")) == std::string::npos)
            s = t.tr("Toutes nos condoléances. ", "Our condolences. ") + s;
        std::string updated;
        if (auto d = parse_iso_day(h.reviewed))
            updated = day_label(t, day_start(t, *d) + 12 * 3600, "dMMMMy");
        if (!h.source.empty()) s += std::string(t.tr("\nSource : ", "\nSource: ")) + h.source;
        if (!updated.empty())
            s += t.fr() ? " (mis à jour le " + updated + ")" : " (updated " + updated + ")";
        t.say(s);
        t.card(h.question,
               updated.empty() ? std::string() : std::string(t.tr("mis à jour le ", "updated ")) + updated,
               h.source);
        t.remember("faq.last", h.id);
        // "Un endroit dangereux : signalez-le-moi avec la rue": the place said next files that
        // report, with the words that asked (the engine reads these two; handle() forgot them).
        if (!h.report.empty()) {
            t.remember("faq.report", h.report);
            t.remember("faq.report_words", std::string(t.text().empty() ? t.payload() : t.text()));
        }
        // The place the citizen named ("mon fils a perdu son manteau à l'école Jules Ferry")
        // before the one the answer names (the town hall's lost property desk): "et le numéro
        // de l'école ?" next is about that school.
        // (Neither naming one, the place talked about before is no longer: "il est ouvert le
        // 24 ?" after the activity centre is not about the pool asked of earlier.)
        if (!remember_place_named(t, std::string(t.text()), true) &&
            !remember_place_named(t, h.answer)) {
            t.forget("last.service");
            t.forget("last.place_category");
        }
        t.answered_from(h.id);  // the staff see how often each entry is shown and rated
    }

    static bool tells_a_death(std::string_view text) {
        const std::string words = spaced_words(text);
        for (const char* w : {" decede", " deces ", " mort ", " morte ", " nous a quitte",
                              " died ", " passed away", " has died", " just died"})
            if (words.find(w) != std::string::npos) return true;
        return false;
    }

    // The place an answer names first ("Prenez rendez-vous au CCAS", "at the town hall front
    // desk"), as the place talked about: "c'est où ?", "is it open tomorrow?" next are about it
    // (they asked which place). Names are matched whole, folded as the knowledge base's keys;
    // at the same spot the longer one ("town hall front desk", not "town hall"). With
    // `place_only`, a kind of place alone is not remembered. Whether something was.
    static bool remember_place_named(const turn& t, const std::string& answer, bool place_only = false) {
        const std::string folded = spaced_words(answer);
        // Words without a plural's "s" on both sides ("points d'apport volontaire", "colonnes à
        // verre" are the kind "point d'apport volontaire").
        auto singular = [](const std::string& spaced) {
            std::string out;
            std::size_t from = 0;
            while (from < spaced.size()) {
                auto to = spaced.find(' ', from);
                if (to == std::string::npos) to = spaced.size();
                std::string w = spaced.substr(from, to - from);
                if (w.size() > 3 && w.back() == 's') w.pop_back();
                out += w + ' ';
                from = to + 1;
            }
            return out;
        };
        const std::string said = " " + singular(folded.substr(1));
        const std::string lang = t.fr() ? "fr" : "en";
        // A name that is part of a street's ("place de la Mairie", "avenue de la Gare") names
        // no place.
        auto in_a_street = [&](std::size_t at) {
            std::vector<std::string> before;
            std::size_t to = at;
            while (to > 0 && before.size() < 4) {
                const auto from = said.rfind(' ', to - 1);
                if (from == std::string::npos) break;
                before.push_back(said.substr(from + 1, to - from - 1));
                to = from;
            }
            for (const auto& w : before) {
                if (w == "de" || w == "la" || w == "du" || w == "des" || w == "l" || w == "the")
                    continue;
                return w == "rue" || w == "avenue" || w == "place" || w == "allee" ||
                       w == "chemin" || w == "boulevard" || w == "impasse" || w == "route" ||
                       w == "quai" || w == "square" || w == "street" || w == "road";
            }
            return false;
        };
        // The earliest name said, the longer at one spot: a place's, else a kind of place's.
        // A name of no subject ("mairie", "town hall": every answer is the town hall's) only
        // when no other is said: "L'inscription se fait d'abord en mairie, au service enfance
        // et scolarité" is about the service ("c'est où le service ?" listed the town hall's
        // on-call line beside it).
        std::size_t best_at = std::string::npos, best_len = 0;
        // A name that a longer name of something else begins ("l'accueil de loisirs", "l'école
        // de musique": "de" or "d'" then a word that is no article nor possessive) names no
        // place either: "il est ouvert le 24 ?" after the activity centre was given the front
        // desk's hours (the engine's extractor reads names the same way).
        auto in_a_longer_name = [&](std::size_t after) {
            auto word_at = [&](std::size_t from) {
                const auto to = said.find(' ', from);
                return to == std::string::npos ? std::string() : said.substr(from, to - from);
            };
            const std::string joint = word_at(after);
            if (joint != "de" && joint != "d") return false;
            static constexpr std::string_view determiners[] = {
                "le",  "la",  "les", "l",   "un",    "une", "des",   "du",   "mon",  "ma",
                "me",  "ton", "ta",  "te",  "son",   "sa",  "se",    "notre", "no",  "votre",
                "vo",  "leur", "ce", "cet", "cette", "mes", "tes",   "ses",  "nos",  "vos"};
            const std::string next = word_at(after + joint.size() + 1);
            return !next.empty() && !std::isdigit(static_cast<unsigned char>(next[0])) &&
                   std::find(std::begin(determiners), std::end(determiners), next) ==
                       std::end(determiners);
        };
        bool generic_too = false;
        auto earliest = [&](const std::string& key) {
            if (key.size() < 4 || (!generic_too && search_terms(key).empty())) return false;
            const std::string spaced = " " + singular(key);
            auto at = said.find(spaced);
            while (at != std::string::npos && in_a_longer_name(at + spaced.size()))
                at = said.find(spaced, at + 1);
            if (at == std::string::npos || in_a_street(at) || at > best_at ||
                (at == best_at && key.size() <= best_len))
                return false;
            best_at = at;
            best_len = key.size();
            return true;
        };
        std::string place, kind;
        struct named {
            std::string place, kind, key;
        };
        std::vector<named> names;  // read once, looked through twice
        t.query("SELECT n.place_id, p.category, n.name_key FROM place_names n JOIN places p "
                "ON p.id = n.place_id WHERE n.lang = ?1",
                {lang}, [&](const guichet::sdk::row& r) {
                    names.push_back({std::string(r[0]), std::string(r[1]), std::string(r[2])});
                    return true;
                });
        for (bool generic : {false, true}) {
            generic_too = generic;
            for (const auto& n : names)
                if (earliest(n.key)) {
                    place = n.place;
                    kind = n.kind;
                }
            if (!place.empty()) break;
        }
        // Its kind too: a kind said before ("badge déchetterie") is no longer the one talked
        // about ("c'est où ?" listed the recycling centres near the front desk).
        if (!place.empty()) {
            t.remember("last.service", place);
            if (!kind.empty()) t.remember("last.place_category", kind);
            return true;
        }
        if (place_only) return false;
        // Only a kind of place ("Le verre va dans les points d'apport volontaire (colonnes à
        // verre place de la Mairie, avenue de la Gare…)"): that kind is the one talked about,
        // and a position shared next asks for the nearest of them (it listed the town halls).
        t.query("SELECT category_id, name_key FROM category_names WHERE lang = ?1", {lang},
                [&](const guichet::sdk::row& r) {
                    if (earliest(std::string(r[1]))) kind = r[0];
                    return true;
                });
        if (!kind.empty()) {
            t.forget("last.service");
            t.remember("last.place_category", kind);
        }
        return !kind.empty();
    }
};

}  // namespace

GUICHET_SDK_PLUGIN(faq_plugin, "faq", "1.0.0", 0, "faq.ask")
