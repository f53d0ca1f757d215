// Tests of text normalisation: folding (NFKC, case, accents, ligatures), French elision, SMS
// spellings, stemming, and untrusted input (empty, emoji, huge, invalid UTF-8, controls, RTL).
#include "nlu/normalize.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

namespace guichet::nlu {
namespace {

using words_t = std::vector<std::string>;

bool valid_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80         ? 1
                        : (c >> 5) == 6  ? 2
                        : (c >> 4) == 14 ? 3
                        : (c >> 3) == 30 ? 4
                                         : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

TEST(normalize, folds_case_and_accents) {
    EXPECT_EQ(fold("Élection à la Mairie"), "election a la mairie");
    EXPECT_EQ(fold("ÇA OUVRE À QUELLE HEURE ?"), "ca ouvre a quelle heure ?");
    EXPECT_EQ(fold("Noël"), "noel");
}

TEST(normalize, nfkc_and_ligatures) {
    EXPECT_EQ(fold("ﬁche d'état civil"), "fiche d'etat civil");  // U+FB01
    EXPECT_EQ(fold("Œuvre sociale, sœur"), "oeuvre sociale, soeur");
    EXPECT_EQ(fold("ｍａｉｒｉｅ"), "mairie");  // full-width letters
    EXPECT_EQ(fold("Straße"), "strasse");
}

TEST(normalize, french_elision_with_both_apostrophes) {
    EXPECT_EQ(words("l'horaire de la mairie", "fr"),
              (words_t{"le", "horaire", "de", "la", "mairie"}));
    EXPECT_EQ(words("L’horaire", "fr"), (words_t{"le", "horaire"}));
    EXPECT_EQ(words("qu'est-ce que c'est", "fr"),
              (words_t{"que", "est", "ce", "que", "ce", "est"}));
    EXPECT_EQ(words("j'ai perdu mon passeport, s'il vous plaît", "fr"),
              (words_t{"je", "ai", "perdu", "mon", "passeport", "si", "il", "vous", "plait"}));
    EXPECT_EQ(words("aujourd'hui", "fr"), (words_t{"aujourd'hui"}));
    // Typed without the apostrophe: the lone letter is the same elided word.
    EXPECT_EQ(words("carte d identite, j ai", "fr"), words("carte d'identité, j'ai", "fr"));
    EXPECT_EQ(words("a b c", "en"), (words_t{"a", "b", "c"}));
}

TEST(normalize, english_apostrophes_dropped) {
    EXPECT_EQ(words("What's the town hall's number?", "en"),
              (words_t{"whats", "the", "town", "halls", "number"}));
}

TEST(normalize, sms_spellings) {
    EXPECT_EQ(words("bjr kan ouvre la mairie stp", "fr"),
              (words_t{"bonjour", "quand", "ouvre", "la", "mairie", "si", "il", "te", "plait"}));
    EXPECT_EQ(words("rdv dem1 ajd", "fr"), (words_t{"rendez", "vous", "demain", "aujourd'hui"}));
    EXPECT_EQ(words("Slt, mr6 bcp", "fr"), (words_t{"salut", "merci", "beaucoup"}));
    EXPECT_EQ(words("r u open 2moro pls thx", "en"),
              (words_t{"are", "you", "open", "tomorrow", "please", "thanks"}));
    EXPECT_EQ(expand_sms("pq", "fr"), "pourquoi");
    EXPECT_EQ(expand_sms("u", "fr"), "");  // each language its own list
    EXPECT_EQ(expand_sms("mairie", "fr"), "");
}

TEST(normalize, stems_by_language) {
    EXPECT_EQ(stem("horaires", "fr"), stem("horaire", "fr"));
    EXPECT_EQ(stem("opening", "en"), "open");
    EXPECT_EQ(stem("opening", "de"), "opening");  // no stemmer: unchanged
    EXPECT_EQ(stem("", "fr"), "");
}

// Stems are kept per thread and language: the same word stemmed in English first, in French
// after, or many other words in between, gets the stem a fresh thread gives it.
TEST(normalize, kept_stems_follow_the_language) {
    const std::vector<std::string> ws = {"nationales", "horaires", "opening", "ouvertures", "communication"};
    auto in_fresh_thread = [](auto f) {
        std::vector<std::string> out;
        std::thread([&] { out = f(); }).join();
        return out;
    };
    auto fr_only = in_fresh_thread([&] {
        std::vector<std::string> r;
        for (auto& w : ws) r.push_back(stem(w, "fr"));
        return r;
    });
    auto en_only = in_fresh_thread([&] {
        std::vector<std::string> r;
        for (auto& w : ws) r.push_back(stem(w, "en"));
        return r;
    });
    EXPECT_NE(fr_only, en_only);
    auto mixed = in_fresh_thread([&] {
        std::vector<std::string> r;
        for (auto& w : ws) r.push_back(stem(w, "en"));
        for (auto& w : ws) r.push_back(stem(w, "fr"));
        for (int i = 0; i < 5000; ++i) stem("mot" + std::to_string(i), "fr");  // past the bound
        for (auto& w : ws) r.push_back(stem(w, "fr"));
        return r;
    });
    for (std::size_t i = 0; i < ws.size(); ++i) {
        EXPECT_EQ(mixed[i], en_only[i]) << ws[i];
        EXPECT_EQ(mixed[ws.size() + i], fr_only[i]) << ws[i];
        EXPECT_EQ(mixed[2 * ws.size() + i], fr_only[i]) << ws[i];
    }
}

TEST(normalize, empty_and_symbols_only) {
    EXPECT_EQ(fold(""), "");
    EXPECT_TRUE(words("", "fr").empty());
    EXPECT_TRUE(words("😀🎉", "fr").empty());  // (👍 is "ok": a_few_emoji_are_words)
    EXPECT_TRUE(words("?!… --- ...", "en").empty());
}

TEST(normalize, invalid_utf8_replaced) {
    std::string bad = "mai\xC3rie \xFF\xFE ok \xE2\x82";
    std::string s = sanitize(bad);
    EXPECT_TRUE(valid_utf8(s));
    EXPECT_NE(s.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
    EXPECT_NE(s.find(" ok "), std::string::npos);
    EXPECT_NO_THROW(words(bad, "fr"));
}

TEST(normalize, control_characters_dropped) {
    EXPECT_EQ(sanitize(std::string("a\0b\x07"
                                   "c\x1B[31m",
                                   10)),
              "abc[31m");
    EXPECT_EQ(sanitize("ligne\nsuivante\tet\rfin"), "ligne suivante et fin");
    EXPECT_EQ(sanitize("zero\u200Bwidth"), "zerowidth");  // Cf dropped
}

// ASCII text is folded without ICU; with one accented letter in front the same text goes
// through ICU's normalisers: both must agree on every ASCII character, alone and mixed.
TEST(normalize, ascii_shortcut_agrees_with_icu) {
    std::vector<std::string> texts;
    for (int c = 0; c < 128; ++c) texts.push_back(std::string("x") + static_cast<char>(c) + "Y");
    texts.push_back("Horaires de la MAIRIE samedi ?\tOK\r\n");
    texts.push_back("qu'est-ce que C'EST, l'adresse @ #42 [a] {b} ~c|d^e `f` \\g $h");
    std::string all;
    for (int c = 0; c < 128; ++c) all += static_cast<char>(c);
    texts.push_back(all);
    for (const auto& t : texts) {
        EXPECT_EQ("e" + fold(t), fold("\u00c9" + t)) << t;
        EXPECT_EQ("\u00c9" + sanitize(t), sanitize("\u00c9" + t)) << t;
        auto mixed = words("\u00e9t\u00e9 " + t, "fr");
        auto plain = words("ete " + t, "fr");
        EXPECT_EQ(plain, mixed) << t;
    }
    std::string big(100 * 1024, 'A');  // longer than max_input_bytes: cut the same way
    EXPECT_EQ(fold(big), std::string(max_input_bytes, 'a'));
}

// ASCII text is cut into words without ICU's break iterator: on random strings of letters,
// digits and the characters that join words in some places and not in others, the same words
// as ICU's (an accented first word sends the whole text through ICU).
TEST(normalize, ascii_words_agree_with_icu) {
    const std::string alphabet = "abZ09 .,:;'-?!_@#+&\"/()\t";
    std::mt19937 rng(20261129);
    int compared = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string t;
        for (std::size_t n = 1 + rng() % 16; n > 0; --n) t += alphabet[rng() % alphabet.size()];
        for (const char* lang : {"fr", "en", ""}) {
            auto icu = words("\u00e9t\u00e9 " + t, lang);
            auto ascii = words("ete " + t, lang);
            ASSERT_EQ(ascii, icu) << "[" << t << "] " << lang;
            ++compared;
        }
    }
    EXPECT_EQ(compared, 60000);
    EXPECT_EQ(words("l'eau a 3,5 km: 12.30 ou 1;2 a:b", ""),
              (words_t{"l'eau", "a", "3,5", "km", "12.30", "ou", "1;2", "a", "b"}));
}

TEST(normalize, long_input_cut_at_a_boundary) {
    std::string big;
    while (big.size() < 100 * 1024) big += "é";  // two bytes each: a cut could split one
    std::string s = sanitize(big);
    EXPECT_LE(s.size(), max_input_bytes);
    EXPECT_TRUE(valid_utf8(s));
    EXPECT_EQ(s.size() % 2, 0u);
    std::string odd = "x" + big;  // now the limit falls in the middle of a character
    std::string t = sanitize(odd);
    EXPECT_TRUE(valid_utf8(t));
    EXPECT_LE(t.size(), max_input_bytes);
    EXPECT_LE(words(big, "fr").size(), 1u);
}

TEST(normalize, right_to_left_scripts) {
    std::vector<std::string> ar = words("مرحبا، أين البلدية؟", "fr");
    EXPECT_EQ(ar.size(), 3u);
    std::vector<std::string> he = words("שלום, איפה העירייה?", "en");
    EXPECT_EQ(he.size(), 3u);
    for (const std::string& w : ar) EXPECT_TRUE(valid_utf8(w));
    EXPECT_NO_THROW(stem(ar[0], "fr"));
}

}  // namespace
}  // namespace guichet::nlu

// 👍 after an answer says "ok", 🙏 "merci"; other emoji are no words.
TEST(normalize, a_few_emoji_are_words) {
    EXPECT_EQ(guichet::nlu::words("👍", "fr"), guichet::nlu::words("ok", "fr"));
    EXPECT_EQ(guichet::nlu::words("👍🏽", "en"), guichet::nlu::words("ok", "en"));
    EXPECT_EQ(guichet::nlu::words("🙏", "fr"), guichet::nlu::words("merci", "fr"));
    EXPECT_EQ(guichet::nlu::words("❤️", "en"), guichet::nlu::words("thanks", "en"));
    EXPECT_EQ(guichet::nlu::words("🗑️", "fr"), guichet::nlu::words("poubelle", "fr"));
    EXPECT_TRUE(guichet::nlu::words("🎉 😀", "fr").empty());
}

// Words to quote back as the citizen wrote them: only spaces and , ? ! . ; : cut.
TEST(normalize, words_as_written) {
    EXPECT_EQ(guichet::nlu::words_as_written("au 3 impasse des Roses, svp ?"),
              (std::vector<std::string>{"au", "3", "impasse", "des", "Roses", "svp"}));
    EXPECT_EQ(guichet::nlu::words_as_written("l'Île-aux-Moines !"),
              (std::vector<std::string>{"l'Île-aux-Moines"}));
    EXPECT_TRUE(guichet::nlu::words_as_written(" ?! ").empty());
}

// What a message asks after its greeting: the classifier weighed "bonjour" against the report.
TEST(normalize, after_greeting) {
    using guichet::nlu::after_greeting;
    EXPECT_EQ(after_greeting("bonjour il y a un trou dans ma rue"), "il y a un trou dans ma rue");
    EXPECT_EQ(after_greeting("Bonjour madame, j'ai perdu mon chien"), "j'ai perdu mon chien");
    EXPECT_EQ(after_greeting("bjr à tous. horaires piscine"), "horaires piscine");
    EXPECT_EQ(after_greeting("salut la mairie ça va"), "ça va");
    EXPECT_EQ(after_greeting("Hi there, when is the library open?"), "when is the library open?");
    EXPECT_EQ(after_greeting("good morning! bin day please"), "bin day please");
    // A greeting alone, or with one word: the whole message.
    for (const char* whole : {"bonjour", "bonjour madame", "bonjour la mairie", "hello world",
                              "horaires de la mairie", "good luck with that", "", "  ,"})
        EXPECT_EQ(after_greeting(whole), whole);
}
