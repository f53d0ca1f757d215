// Tests of language identification on short French and English questions.
#include "nlu/language.h"

#include <gtest/gtest.h>

namespace guichet::nlu {
namespace {

const std::vector<std::string> fr_en{"fr", "en"};
const std::vector<std::string> en_fr{"en", "fr"};

TEST(language, short_french_sentences) {
    for (const char* s : {"Bonjour, la mairie est ouverte samedi ?", "où est la piscine",
                          "je voudrais une carte d'identité", "c'est quand le marché",
                          "bjr kan ouvre la mediatheque"}) {
        language_guess g = detect_language(s, en_fr);
        EXPECT_EQ(g.lang, "fr") << s;
        EXPECT_GT(g.confidence, 0.5) << s;
    }
}

TEST(language, short_english_sentences) {
    for (const char* s :
         {"When is the town hall open?", "where is the swimming pool", "I need a new passport",
          "what are the opening hours today", "r u open tomorrow", "free wifi?"}) {
        language_guess g = detect_language(s, fr_en);
        EXPECT_EQ(g.lang, "en") << s;
        EXPECT_GT(g.confidence, 0.5) << s;
    }
}

// Few grammar words, the town's French names: the civic words and the days decide.
TEST(language, terse_questions_with_french_names) {
    for (const char* s :
         {"bin day victor hugo street", "wen is the dump open", "library hours sunday",
          "pool friday", "pothole jean jaures street", "recycling bins rue pasteur", "passport",
          "birth certificate", "lost id card", "noisy neighbours", "you're useless",
          "garden waste collection", "glass collection", "bulky waste", "water bill", "stray dog",
          "someone dumped a mattress"}) {
        EXPECT_EQ(detect_language(s, fr_en).lang, "en") << s;
    }
    for (const char* s :
         {"poubelles rue victor hugo", "horaires piscine dimanche", "piscine vendredi",
          "collecte verre rue jean jaures", "dechetterie dimanche", "encombrants jeudi",
          "passeport", "acte de naissance", "carte perdue", "bruit voisins",
          "collecte dechets verts", "facture d'eau", "chien trouve"}) {
        EXPECT_EQ(detect_language(s, en_fr).lang, "fr") << s;
    }
}

// A greeting or thanks alone opens many conversations: it tells the language by itself.
TEST(language, greetings_and_thanks_alone) {
    for (const char* s : {"hello", "Hello!", "hey", "hi", "good morning", "thanks", "thank you"})
        EXPECT_EQ(detect_language(s, fr_en).lang, "en") << s;
    for (const char* s : {"bonjour", "Bonsoir !", "salut", "coucou", "merci"})
        EXPECT_EQ(detect_language(s, en_fr).lang, "fr") << s;
}

// The site's own sentences tell words the built-in lists do not know; words both languages
// use (a street's name) tell nothing.
TEST(language, the_sites_own_words_decide_what_the_lists_do_not_know) {
    site_words site;
    site.add("my trampoline is broken", "en");
    site.add("le trampoline est cassé", "fr");
    site.add("the skip is overflowing rue Pasteur", "en");
    site.add("la benne déborde rue Pasteur", "fr");
    site.keep_distinct();
    EXPECT_TRUE(detect_language("overflowing skip", fr_en).fallback);
    EXPECT_EQ(detect_language("overflowing skip", fr_en, &site).lang, "en");
    EXPECT_TRUE(detect_language("benne deborde", en_fr).fallback);
    EXPECT_EQ(detect_language("benne deborde", en_fr, &site).lang, "fr");
    EXPECT_TRUE(detect_language("trampoline pasteur", fr_en, &site).fallback);
    EXPECT_FALSE(site.en.count("pasteur") || site.fr.count("pasteur"));
}

TEST(language, ambiguous_falls_back_to_first_candidate) {
    for (const char* s : {"", "ok", "Paris", "😀", "75001", "\xFF\xFE"}) {
        EXPECT_EQ(detect_language(s, fr_en).lang, "fr") << s;
        EXPECT_EQ(detect_language(s, en_fr).lang, "en") << s;
        EXPECT_DOUBLE_EQ(detect_language(s, fr_en).confidence, 0.5) << s;
    }
}

TEST(language, candidates_limit_the_answer) {
    EXPECT_EQ(detect_language("where is the town hall", {"fr"}).lang, "fr");
    EXPECT_EQ(detect_language("where is the town hall", {"de", "en"}).lang, "en");
    EXPECT_EQ(detect_language("hallo", {}).lang, "fr");
}

}  // namespace
}  // namespace guichet::nlu

// A language the site does not speak, told by CLD2 (a few words) or by the script; French and
// English texts, and texts too short to tell, are none.
TEST(language, other_language) {
    using guichet::nlu::other_language;
    const std::vector<std::string> site{"fr", "en"};
    EXPECT_EQ(other_language("necesito ayuda con mi basura", site), "es");
    EXPECT_EQ(other_language("Ich brauche Hilfe", site), "de");
    EXPECT_EQ(other_language("posso parlare con qualcuno", site), "it");
    EXPECT_EQ(other_language("مرحبا", site), "script");
    EXPECT_EQ(other_language("Здравствуйте", site), "script");
    for (const char* none :
         {"horaires de la mairie samedi", "where is the nearest pharmacy", "yoga", "CNI", "ok",
          "wifi gratuit", "", "\xff\xfe", "xqzw plorf gnagna", "zumba pilates yoga",
          // One word, and two of ours, whatever CLD2 says (Spanish, Galician).
          "creche", "ecris moi un poeme"})
        EXPECT_EQ(other_language(none, site), "") << none;
    // Too short for CLD2: a word of another language's greetings, thanks, calls for help.
    EXPECT_EQ(other_language("hola", site), "es");
    EXPECT_EQ(other_language("necesito ayuda", site), "es");
    EXPECT_EQ(other_language("olá preciso de ajuda", site), "pt");
    EXPECT_EQ(other_language("danke", site), "de");
    EXPECT_EQ(guichet::nlu::foreign_words_language("olá preciso de ajuda"), "pt");
    EXPECT_EQ(guichet::nlu::foreign_words_language("la mairie est ouverte, ola ?"), "");
    // A language the site speaks is no other one.
    EXPECT_EQ(other_language("necesito ayuda con mi basura", {"fr", "es"}), "");
}
