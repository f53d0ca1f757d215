// smalltalk: greetings, thanks, goodbye, "what can you do?", complaints ("t'es nul") and the
// not-understood answer, each offering the site's main topics as buttons. Written with the
// C++ SDK.
#include <guichet/answers.hpp>
#include <guichet/sdk.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace {

struct topic {
    const char* fr_title;
    const char* fr_payload;
    const char* en_title;
    const char* en_payload;
};

// The main things the bot can do, in the order citizens ask for them most. "Lieux proches"
// and "Démarches" open a choice of their own (below): one example question for each would
// answer something else than what was pressed.
constexpr const char* places_menu = "@smalltalk.capabilities places";
constexpr const char* formalities_menu = "@smalltalk.capabilities formalities";
const std::vector<topic> topics = {
    {"Horaires d'ouverture", "horaires de la mairie", "Opening hours", "town hall opening hours"},
    {"Lieux proches", places_menu, "Places nearby", places_menu},
    {"Démarches", formalities_menu, "Formalities", formalities_menu},
    {"Collecte des déchets", "quand passent les poubelles ?", "Waste collection",
     "when are the bins collected?"},
    {"Signaler un problème", "je veux signaler un problème", "Report a problem",
     "I want to report a problem"},
    {"Parler à un agent", "je veux parler à quelqu'un", "Talk to someone",
     "I want to talk to someone"},
};

// The places citizens look for most, and the formalities they ask about most: each button
// asks the question in words, which the places and FAQ plugins answer.
const std::vector<topic> places = {
    {"Mairie", "où est la mairie ?", "Town hall", "where is the town hall?"},
    {"Piscine", "où est la piscine ?", "Swimming pool", "where is the swimming pool?"},
    {"Médiathèque", "où est la médiathèque ?", "Library", "where is the library?"},
    {"Déchetterie", "où est la déchetterie la plus proche ?", "Recycling centre",
     "where is the nearest recycling centre?"},
    {"Toilettes publiques", "où sont les toilettes publiques ?", "Public toilets",
     "where are the public toilets?"},
    {"Parking", "où se garer ?", "Car park", "where can I park?"},
};
const std::vector<topic> formalities = {
    {"Carte d'identité, passeport", "comment faire une carte d'identité ?", "ID card, passport",
     "how do I get an ID card?"},
    {"Acte de naissance", "demander un acte de naissance", "Birth certificate",
     "request a birth certificate"},
    {"Mariage", "comment se marier à la mairie ?", "Marriage",
     "how do we get married at the town hall?"},
    {"Listes électorales", "m'inscrire sur les listes électorales", "Electoral roll",
     "register to vote"},
    {"Inscription à l'école", "inscrire mon enfant à l'école", "School enrolment",
     "enrol my child in school"},
    {"Permis de construire", "faut-il un permis de construire ?", "Planning permission",
     "do I need planning permission?"},
};

// The choices the greeting's buttons open, by their payload.
struct menu {
    std::string_view payload;
    const char* fr;
    const char* en;
    const std::vector<topic>* choices;
};
const menu menus[] = {
    {places_menu,
     "Quel lieu cherchez-vous ? Choisissez, ou écrivez-le (« la pharmacie la plus proche », « un "
     "parc près de la gare »).",
     "Which place are you looking for? Choose, or type it (\"the nearest pharmacy\", \"a park "
     "near the station\").",
     &places},
    {formalities_menu,
     "Quelle démarche ? Écrivez votre question avec vos mots (« refaire mon passeport »,"
     " « déclarer une naissance »), ou choisissez :",
     "Which formality? Type your question in your own words (\"renew my passport\", \"register a "
     "birth\"), or choose:",
     &formalities},
};
const menu* menu_for(std::string_view payload) {
    for (const menu& m : menus)
        if (m.payload == payload) return &m;
    return nullptr;
}

// "t'es nul", "tu sers à rien", "useless bot": said to the bot, this is a complaint, which
// deserves an apology rather than "Yes, I am the town hall's automated assistant".
bool complains(std::string_view text) {
    using guichet::answers::mentions_any;
    if (mentions_any(text,
                     {"sers a rien", "sers à rien", "sert a rien", "sert à rien", "servez a rien",
                      "servez à rien", "n'importe quoi",
                      "nimporte quoi", "no help", "en ai marre", "en a marre", "comprends rien",
                      "comprenez rien", "understand nothing", "fed up", "de merde", "ta gueule",
                      "sale robot", "shut up", "fuck", "stupid bot", "personne ne répond",
                      "personne ne repond", "personne ne décroche", "personne ne decroche",
                      "attendu une heure", "attends depuis une heure", "nobody picks up",
                      "nobody answers", "no one answers", "no one picks up", "waited for an hour",
                      "waiting for an hour"}))
        return true;
    static const std::vector<std::string> words = {"nul",       "nulle",      "inutile",
                                                   "debile",    "débile",     "naze",
                                                   "pourri",    "idiot",      "stupide",
                                                   "incapable", "incapables", "honte",
                                                   "useless",   "stupid",     "dumb",
                                                   "pathetic",  "sucks",      "awful",
                                                   "terrible",  "worst"};  // not "rubbish",
                                                                           // "garbage": the bins
    const std::string lower = guichet::answers::ascii_lower(text);
    std::string w;
    for (std::size_t i = 0; i <= lower.size(); ++i) {
        unsigned char c = i < lower.size() ? static_cast<unsigned char>(lower[i]) : ' ';
        if (std::isalnum(c) || c >= 0x80) {
            w += static_cast<char>(c);
            continue;
        }
        if (std::find(words.begin(), words.end(), w) != words.end()) return true;
        w.clear();
    }
    return false;
}

// The greeting said back: "Bonsoir !" to "bonsoir", "Good evening!" to "good evening".
// Season's wishes said back: "Joyeux Noël à vous aussi !".
std::string greeting(const guichet::sdk::turn& t) {
    using guichet::answers::mentions_any;
    if (mentions_any(t.text(), {"noël", "noel", "christmas", "xmas"}))
        return t.tr("Joyeux Noël à vous aussi !", "Merry Christmas to you too!");
    if (mentions_any(t.text(), {"année", "annee", "voeux", "vœux", "new year"}))
        return t.tr("Bonne année à vous aussi !", "Happy New Year to you too!");
    if (mentions_any(t.text(), {"fêtes", "fetes", "holidays", "season's"}))
        return t.tr("Bonnes fêtes à vous aussi !", "Happy holidays to you too!");
    if (mentions_any(t.text(), {"bonsoir", "bsoir", "good evening"}))
        return t.tr("Bonsoir !", "Good evening!");
    return t.tr("Bonjour !", "Hello!");
}

class smalltalk {
public:
    explicit smalltalk(guichet::sdk::host&) {}

    void handle(guichet::sdk::turn t) {
        auto intent = t.intent();
        if (complains(t.text())) {  // whichever small talk the classifier saw in it
            t.say(t.tr("Désolé de ne pas vous avoir aidé. Vous pouvez reformuler votre question avec "
                       "d'autres mots, ou parler à un agent de la mairie :",
                       "Sorry I could not help. You can ask again in other words, or talk to "
                       "someone at the town hall:"));
            offer_topics(t);
        } else if (intent == "smalltalk.greet" &&
                   guichet::answers::mentions_any(
                       t.text(), {"question", "renseignement", "information", "besoin"})) {
            // "j'ai une question": the question to wait for (a greeting only when greeted).
            const bool greeted = guichet::answers::mentions_any(
                t.text(), {"bonjour", "bonsoir", "salut", "coucou", "hello", "good morning",
                           "good evening"});
            t.say(std::string(greeted ? greeting(t) + " " : "") +
                  t.tr("Je vous écoute : quelle est votre question ?",
                       "I am listening: what is your question?"));
            offer_topics(t);
        } else if (intent == "smalltalk.greet") {
            guichet::answers::show_alerts(t, intent);  // a site-wide alert, first thing said
            t.say(greeting(t) + t.tr(" Je suis l'assistant automatique de la mairie. Que puis-je faire pour vous ?",
                                     " I am the town hall's automated assistant. How can I help you?"));
            offer_topics(t);
        } else if (intent == "smalltalk.thanks" && says_no(t.text())) {
            // "non", "no thanks" after an answer or after "Autre chose ?": nothing more asked,
            // or not what was wanted; either way the next question is awaited.
            t.say(t.tr("D'accord. Si vous avez une autre question, je vous écoute.",
                       "All right. If you have another question, I am listening."));
        } else if (intent == "smalltalk.thanks" && says_goodbye(t.text())) {
            // "merci, au revoir": thanks and a goodbye, not "Anything else?"
            t.say(t.tr("Avec plaisir ! ", "You're welcome! ") + goodbye(t));
        } else if (intent == "smalltalk.thanks" && !says_thanks(t.text()) &&
                   t.memory("smalltalk.more") == "1" &&
                   guichet::answers::mentions_any(t.text(),
                                                  {"oui", "yes", "ouais", "yeah", "yep"})) {
            // "oui" to "Autre chose ?": the question is awaited, not "Autre chose ?" again
            // ("ok" is taken note of, as below).
            t.forget("smalltalk.more");
            t.say(t.tr("Je vous écoute : quelle est votre question ?",
                       "I am listening: what is your question?"));
        } else if (intent == "smalltalk.thanks" && !says_thanks(t.text())) {
            // "ok", "d'accord", 👍: taken note of, not thanked for.
            t.say(t.tr("Très bien. Autre chose ?", "All right. Anything else?"));
            t.remember("smalltalk.more", "1");
        } else if (intent == "smalltalk.thanks" && !t.memory("dialogue.expect").empty()) {
            // "merci" at a report's recap: nothing is sent yet, and "Autre chose ?" would hide
            // it (a later "oui" sends it).
            t.say(
                t.tr("Avec plaisir ! Ma question reste en attente : répondez-y pour continuer, "
                     "ou dites « laisse tomber ».",
                     "You're welcome! My question is still waiting: answer it to go on, or say "
                     "\"never mind\"."));
        } else if (intent == "smalltalk.thanks") {
            t.say(t.tr("Avec plaisir ! Autre chose ?", "You're welcome! Anything else?"));
            t.remember("smalltalk.more", "1");
        } else if (intent == "smalltalk.goodbye" && t.message().confidence < 0.8 &&
                   (ends_with_question(t.text()) || !says_goodbye(t.text()))) {
            // "et à pied ?", "la fontaine ne marche plus": what the classifier barely took for
            // a goodbye, a question or without a word of farewell, is not one.
            not_understood(t);
        } else if (intent == "smalltalk.goodbye" && ends_with_question(t.text()) &&
                   !says_goodbye(t.text())) {
            // "c'est tout ?": a question without a word of farewell; still asking.
            not_understood(t);
        } else if (intent == "smalltalk.goodbye") {
            // "merci et au revoir" taken for a goodbye: the thanks are answered too.
            t.say((says_thanks(t.text()) ? std::string(t.tr("Avec plaisir ! ", "You're welcome! "))
                                         : std::string()) +
                  goodbye(t));
        } else if (const menu* m =
                       intent == "smalltalk.capabilities" ? menu_for(t.payload()) : nullptr) {
            t.say(t.tr(m->fr, m->en));
            offer(t, *m->choices);
        } else if (intent == "smalltalk.capabilities") {
            t.say(
                t.tr("Je peux vous renseigner sur les horaires des services, les lieux proches de "
                     "chez vous, les démarches, la collecte des déchets, enregistrer un "
                     "signalement ou vous mettre en relation avec un agent. Je réponds en "
                     "français et en anglais.",
                     "I can tell you the opening hours of the town's services, find places "
                     "near you, explain formalities and waste collection, file a report, or "
                     "put you in touch with a member of staff. I answer in French and in "
                     "English."));
            offer_topics(t);
        } else if (intent == "smalltalk.bot") {
            // "tu es un robot ?" is a yes, "tu es humain ?" a no, "qui es-tu ?" neither.
            using guichet::answers::mentions_any;
            const bool robot = mentions_any(t.text(), {"robot", "bot", "machine", "ordi", " ia",
                                                       "intelligence artificielle", "automati",
                                                       " ai", "a.i"});
            const bool human = mentions_any(t.text(), {"humain", "human", "personne", "person",
                                                       "réel", "reel", "real", "quelqu",
                                                       "someone", "somebody"});
            const char* fr = robot == human ? "Je suis l'assistant automatique de la mairie."
                             : robot       ? "Oui, je suis l'assistant automatique de la mairie."
                                           : "Non, je suis l'assistant automatique de la mairie, "
                                             "pas une personne.";
            const char* en = robot == human ? "I am the town hall's automated assistant."
                             : robot       ? "Yes, I am the town hall's automated assistant."
                                           : "No, I am the town hall's automated assistant, not a "
                                             "person.";
            t.say(std::string(t.tr(fr, en)) +
                  t.tr(" Je peux vous mettre en relation avec un agent si vous le souhaitez.",
                       " I can put you in touch with a member of staff if you wish."));
            t.button(t.tr("Parler à un agent", "Talk to someone"),
                     t.tr("je veux parler à quelqu'un", "I want to talk to someone"));
        } else {  // smalltalk.fallback: the engine did not understand
            not_understood(t);
        }
        t.finish();
    }

private:
    static void not_understood(const guichet::sdk::turn& t) {
        t.say(t.tr("Désolé, je n'ai pas compris votre demande. Pouvez-vous la reformuler ? "
                   "Voici ce que je sais faire :",
                   "Sorry, I did not understand. Could you rephrase it? Here is what I can "
                   "help with:"));
        offer_topics(t);
        t.mark_unanswered();
    }
    // Thanks, not only "ok": "merci", "thx", 🙏.
    static bool says_thanks(std::string_view text) {
        return guichet::answers::mentions_any(
            text, {"merci", "mci", "mrc", "cimer", "remerci", "thank", "thx", "cheers",
                   "\U0001F64F", "\u2764"});
    }
    // A word of farewell: "merci, au revoir" is thanks and a goodbye, "à plus ?" a goodbye.
    static bool says_goodbye(std::string_view text) {
        return guichet::answers::mentions_any(
            text, {"au revoir",    "aurevoir",     "bye",        "bonne journee", "bonne journée",
                   "bonne soiree", "bonne soirée", "bonne nuit", "a bientot",     "à bientôt",
                   "a plus",       "à plus",       "a toute",    "à toute",       "ciao",
                   "tchao",        "adieu",        "a demain",   "à demain",      "see you",
                   "good night",   "have a nice",  "have a good", "have a great", "a la prochaine",
                   "à la prochaine", "je vous laisse", "bon week", "bonne fin de", "a+",
                   "take care",    "talk to you",  "cya",        "later",         "farewell",
                   "see ya"});
    }
    // "non", "non merci", "no", "nope", "nan": the first word says no.
    static bool says_no(std::string_view text) {
        std::string s = guichet::answers::ascii_lower(text);
        const auto end = s.find_first_of(" ,.!");
        const std::string first = s.substr(0, end);
        return first == "non" || first == "no" || first == "nope" || first == "nan";
    }
    static bool ends_with_question(std::string_view text) {
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
            text.remove_suffix(1);
        return !text.empty() && text.back() == '?';
    }
    // The citizen's own wish returned ("bonne journée" said at 6 h is their day, not a night),
    // else the wish that fits the local time: the day, the evening (from 18 h), the night (from
    // 22 h to 5 h).
    static std::string goodbye(const guichet::sdk::turn& t) {
        using namespace guichet::answers;
        struct wish {
            std::array<const char*, 5> said;  // unused places are null
            const char *fr, *en;
        };
        static constexpr wish wishes[] = {
            {{"bonne journee", "bonne journée", "nice day", "good day"},
             "Au revoir, bonne journée à vous aussi !",
             "Goodbye, have a nice day too!"},
            {{"bonne soiree", "bonne soirée", "nice evening", "good evening"},
             "Au revoir, bonne soirée à vous aussi !",
             "Goodbye, have a nice evening too!"},
            {{"bonne nuit", "good night"},
             "Bonne nuit à vous aussi, au revoir !",
             "Good night to you too, goodbye!"},
            {{"bon week", "bon we", "nice weekend", "good weekend", "nice week-end"},
             "Au revoir, bon week-end à vous aussi !",
             "Goodbye, have a nice weekend too!"},
        };
        for (const wish& w : wishes)
            for (const char* said : w.said)
                if (said && mentions_any(t.text(), {said})) return t.tr(w.fr, w.en);
        std::int64_t local = t.now() + utc_offset(t, t.now());
        int hour = static_cast<int>(((local % day_seconds) + day_seconds) % day_seconds / 3600);
        if (hour >= 22 || hour < 5) return t.tr("Au revoir et bonne nuit !", "Goodbye, good night!");
        if (hour >= 18)
            return t.tr("Au revoir et bonne soirée !", "Goodbye, have a nice evening!");
        return t.tr("Au revoir et bonne journée !", "Goodbye, have a nice day!");
    }

    static void offer_topics(const guichet::sdk::turn& t) { offer(t, topics); }
    static void offer(const guichet::sdk::turn& t, const std::vector<topic>& list) {
        for (auto& tp : list)
            t.button(t.tr(tp.fr_title, tp.en_title), t.tr(tp.fr_payload, tp.en_payload));
    }
};

}  // namespace

GUICHET_SDK_PLUGIN(smalltalk, "smalltalk", "1.0.0", 0, "smalltalk.greet", "smalltalk.thanks",
                   "smalltalk.goodbye", "smalltalk.capabilities", "smalltalk.bot",
                   "smalltalk.fallback")
