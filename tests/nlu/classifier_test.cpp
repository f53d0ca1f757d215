// Tests of the intent classifier on a small hand-written French/English set (typos and missing
// accents in the queries), out-of-scope questions, exact patterns, bad input and thread use.
#include "nlu/classifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iostream>
#include <stdexcept>
#include <thread>

namespace guichet::nlu {
namespace {

std::vector<example> town_examples() {
    struct intent_set {
        const char* intent;
        std::vector<const char*> fr;
        std::vector<const char*> en;
    };
    const std::vector<intent_set> sets{
        {"hours.open",
         {"la mairie est-elle ouverte samedi ?", "quels sont les horaires de la mairie",
          "à quelle heure ouvre la mairie", "la mairie ferme à quelle heure",
          "c'est ouvert demain matin ?", "horaires d'ouverture de l'hôtel de ville",
          "est-ce que la mairie est ouverte le lundi", "jusqu'à quelle heure c'est ouvert"},
         {"is the town hall open on saturday", "what are the opening hours of the town hall",
          "what time does the town hall open", "when does the town hall close",
          "are you open tomorrow morning", "town hall opening times"}},
        {"id.card",
         {"comment faire une carte d'identité", "je veux refaire mon passeport",
          "renouveler ma carte d'identité", "j'ai perdu ma carte d'identité",
          "quels papiers pour un passeport", "délai pour obtenir un passeport",
          "prendre rendez-vous pour la carte d'identité", "mon passeport est expiré"},
         {"how do i get an id card", "i want to renew my passport", "i lost my identity card",
          "documents needed for a passport", "how long to get a passport",
          "book an appointment for an id card"}},
        {"waste.collection",
         {"quand passe le camion poubelle", "jour de collecte des ordures ménagères",
          "le ramassage des déchets est quel jour", "quand sortir la poubelle jaune",
          "collecte du tri sélectif", "les encombrants passent quand", "horaires de la déchetterie",
          "où jeter mon vieux frigo"},
         {"when is the garbage collected", "which day is bin collection",
          "when do i put out the recycling bin", "bulky waste pickup",
          "opening hours of the recycling centre", "where can i throw away an old fridge"}},
        {"library",
         {"je voudrais m'inscrire à la médiathèque", "emprunter des livres à la bibliothèque",
          "combien de livres peut-on emprunter", "prolonger un prêt à la médiathèque",
          "la médiathèque a-t-elle des bandes dessinées", "rendre un livre en retard",
          "abonnement à la bibliothèque municipale", "réserver un livre"},
         {"how do i join the library", "borrow books from the library",
          "how many books can i borrow", "renew a library loan", "return a late book",
          "library membership card"}},
        {"civil.wedding",
         {"se marier à la mairie", "dossier de mariage", "publication des bans",
          "réserver la salle des mariages", "pacs à la mairie", "célébrer un mariage civil",
          "quels documents pour se marier", "témoins pour le mariage"},
         {"get married at the town hall", "wedding file documents", "publish the banns",
          "civil partnership registration", "witnesses for a wedding",
          "what papers do we need to marry"}},
        {"greeting",
         {"bonjour", "salut", "coucou", "bonsoir", "bonjour madame", "salut tout le monde", "hello",
          "bonjour, j'ai une question"},
         {"hello", "hi", "good morning", "hey there", "good evening", "hi, i have a question"}},
    };
    std::vector<example> out;
    for (const intent_set& s : sets) {
        for (const char* t : s.fr) out.push_back({t, s.intent, "fr"});
        for (const char* t : s.en) out.push_back({t, s.intent, "en"});
    }
    for (const char* t : {"quelle est la capitale de l'australie", "raconte moi une blague",
                          "qui a gagné le match de foot hier", "recette de la pâte à crêpes",
                          "combien font 12 fois 7"})
        out.push_back({t, "oos", "fr"});
    for (const char* t : {"what is the capital of australia", "tell me a joke",
                          "who won the football game", "how do i bake bread", "what is 12 times 7"})
        out.push_back({t, "", "en"});
    return out;
}

const classifier& town_model() {
    static const classifier model = classifier::train(town_examples(), {}, train_options{});
    return model;
}

struct query {
    const char* text;
    const char* lang;
    const char* intent;
};

TEST(classifier, knows_its_intents) {
    std::vector<std::string> intents = town_model().intents();
    EXPECT_EQ(intents.size(), 6u);
    EXPECT_EQ(std::count(intents.begin(), intents.end(), "oos"), 0);
}

TEST(classifier, french_and_english_with_typos_and_no_accents) {
    const query queries[] = {
        {"a quelle heure ouvre la mairie samedi", "fr", "hours.open"},
        {"la mairi est ouvert le samedi ?", "fr", "hours.open"},
        {"horraires de la mairie", "fr", "hours.open"},
        {"je doit refaire ma carte d identite", "fr", "id.card"},
        {"passport perdu que faire", "fr", "id.card"},
        {"kan passe le camion des poubelles", "fr", "waste.collection"},
        {"jour de colecte des dechets", "fr", "waste.collection"},
        {"inscription mediatheque", "fr", "library"},
        {"emprunter des livre", "fr", "library"},
        {"on veut se marier a la mairie", "fr", "civil.wedding"},
        {"bjr", "fr", "greeting"},
        {"what time does the town hal open on saturday", "en", "hours.open"},
        {"renew my pasport", "en", "id.card"},
        {"when is the recyling bin collected", "en", "waste.collection"},
        {"how many books can I borow from the library", "en", "library"},
        {"documents to get maried", "en", "civil.wedding"},
        {"hello!", "en", "greeting"},
    };
    int right = 0;
    for (const query& q : queries) {
        classification c = town_model().classify(q.text, q.lang);
        ASSERT_FALSE(c.ranked.empty()) << q.text;
        EXPECT_EQ(c.ranked.front().intent, q.intent) << q.text;
        EXPECT_FALSE(c.from_pattern);
        right += c.ranked.front().intent == std::string(q.intent) && !c.out_of_scope;
        EXPECT_LE(c.ranked.size(), 5u);
        for (std::size_t i = 1; i < c.ranked.size(); ++i)
            EXPECT_GE(c.ranked[i - 1].confidence, c.ranked[i].confidence);
    }
    // A few may be judged unsure (out of scope) on so little data, not many.
    EXPECT_GE(right, 14) << "accepted and right";
}

// Adding one example to one intent moves the others' answers only a little: the examples are
// visited and held out in an order of their own (not a shuffle of the whole set), so an edit
// to one intent file does not reshuffle and retune the whole model.
// An intent the staff wrote in French only is no candidate for an English question: it
// answered "processionary caterpillars" with the French cemetery answer, on the letters
// "-cession-" shared with "concession". French questions still get it.
TEST(classifier, an_intent_without_examples_in_a_language_is_not_ranked_in_it) {
    auto examples = town_examples();
    for (const char* t : {"acheter une concession au cimetière", "prix d'une concession funéraire",
                          "renouveler une concession", "concession perpétuelle",
                          "une place au cimetière pour mes parents", "columbarium",
                          "la concession de ma famille arrive à échéance", "qui gère le cimetière"})
        examples.push_back({t, "cemetery", "fr"});
    const classifier model = classifier::train(examples, {}, train_options{});
    auto ranks = [&](const char* text, const char* lang) {
        for (const scored_intent& s : model.classify(text, lang).ranked)
            if (s.intent == "cemetery") return true;
        return false;
    };
    EXPECT_TRUE(ranks("renouveler ma concession", "fr"));
    EXPECT_FALSE(ranks("renew my concession", "en"));
    EXPECT_FALSE(ranks("concession perpétuelle", "en"));
    // The intents written in both languages are still ranked in English.
    EXPECT_EQ(model.classify("i want to renew my passport", "en").ranked.front().intent, "id.card");
}

TEST(classifier, one_more_example_changes_little) {
    const classifier& before = town_model();
    auto more = town_examples();
    more.push_back({"la salle des mariages est-elle accessible", "civil.wedding", "fr"});
    const classifier after = classifier::train(more, {}, train_options{});
    double most = 0;
    for (const example& e : town_examples()) {
        if (e.intent.empty() || e.intent == "oos" || e.intent == "civil.wedding") continue;
        auto a = before.classify(e.text, e.lang), b = after.classify(e.text, e.lang);
        ASSERT_FALSE(a.ranked.empty() || b.ranked.empty()) << e.text;
        EXPECT_EQ(a.ranked.front().intent, b.ranked.front().intent) << e.text;
        most = std::max(most, std::abs(a.ranked.front().confidence - b.ranked.front().confidence));
    }
    std::cout << "largest change of confidence: " << most << "\n";
    // Measured: 0.0001; 0.011 when every fit shuffled the whole set.
    EXPECT_LT(most, 0.005);
}

// A site of a few intents holds out too few examples to tune on: all told apart, they used to
// tune the threshold to 1, and a paraphrase of an example was then "not understood".
TEST(classifier, a_few_examples_are_not_tuned_to_certainty) {
    std::vector<example> few;
    for (const char* t :
         {"numéro de téléphone de la mairie", "numero mairie", "tel mairie",
          "comment contacter la mairie", "contacter la mairie", "coordonnées de la mairie",
          "comment joindre la mairie", "je veux appeler la mairie"})
        few.push_back({t, "contact", "fr"});
    for (const char* t : {"où est la piscine", "adresse de la piscine", "la piscine municipale",
                          "aller à la piscine", "piscine", "nager à la piscine",
                          "bassin de natation", "la piscine c'est où"})
        few.push_back({t, "pool", "fr"});
    for (const char* t : {"quelle est la capitale de l'australie", "raconte moi une blague",
                          "qui a gagné le match de foot hier", "recette de la pâte à crêpes"})
        few.push_back({t, "oos", "fr"});
    const classifier model = classifier::train(few, {}, train_options{});
    EXPECT_LT(model.oos_threshold(), 0.9);
    auto c = model.classify("le numéro de la mairie svp", "fr");
    ASSERT_FALSE(c.ranked.empty());
    EXPECT_EQ(c.ranked.front().intent, "contact");
    EXPECT_FALSE(c.out_of_scope);
}

TEST(classifier, unrelated_questions_are_out_of_scope) {
    const query queries[] = {
        {"quel temps fera-t-il à tokyo", "fr", ""},
        {"donne moi une blague sur les chats", "fr", ""},
        {"qui est le président des états-unis", "fr", ""},
        {"how tall is mount everest", "en", ""},
        {"play some jazz music", "en", ""},
        {"what is the square root of 144", "en", ""},
        {"😀😀😀", "fr", ""},
        {"", "en", ""},
    };
    int caught = 0;
    for (const query& q : queries) caught += town_model().classify(q.text, q.lang).out_of_scope;
    EXPECT_GE(caught, 6);
    EXPECT_TRUE(town_model().classify("", "fr").out_of_scope);
    EXPECT_TRUE(town_model().classify("🎉🎉", "fr").ranked.empty());
}

TEST(classifier, confidences_are_probabilities) {
    classification c = town_model().classify("horaires de la mairie", "fr");
    double sum = 0;
    for (const scored_intent& s : c.ranked) {
        EXPECT_GE(s.confidence, 0.0);
        EXPECT_LE(s.confidence, 1.0);
        sum += s.confidence;
    }
    EXPECT_LE(sum, 1.0 + 1e-6);
    EXPECT_GT(town_model().oos_threshold(), 0.0);
    EXPECT_LT(town_model().oos_threshold(), 1.0);
}

TEST(classifier, patterns_win_over_the_model) {
    classifier model = classifier::train(town_examples(), {}, train_options{});
    // The model alone would call this a greeting; staff decided otherwise.
    ASSERT_EQ(model.classify("bonjour madame", "fr").ranked.front().intent, "greeting");
    model.add_pattern("Bonjour Madame !", "hours.open", "fr");
    classification c = model.classify("bonjour  madame", "fr");
    EXPECT_TRUE(c.from_pattern);
    EXPECT_FALSE(c.out_of_scope);
    ASSERT_EQ(c.ranked.size(), 1u);
    EXPECT_EQ(c.ranked.front().intent, "hours.open");
    EXPECT_DOUBLE_EQ(c.ranked.front().confidence, 1.0);
    // Normalised equality: case, accents, punctuation and SMS spellings do not matter.
    model.add_pattern("Où se trouve l'état civil ?", "id.card", "fr");
    EXPECT_TRUE(model.classify("ou se trouve l etat civil", "fr").from_pattern);
    EXPECT_TRUE(model.classify("OÙ SE TROUVE L’ÉTAT CIVIL", "fr").from_pattern);
    // Only equality: a longer sentence goes to the model.
    EXPECT_FALSE(model.classify("bonjour madame, la mairie ouvre quand", "fr").from_pattern);
}

TEST(classifier, keywords_win_anywhere_in_the_message) {
    classifier model = classifier::train(town_examples(), {}, train_options{});
    model.add_keyword("me suicider", "distress", "fr");
    model.add_keyword("kill myself", "distress", "en");
    model.add_pattern("horaires", "greeting", "fr");
    // Anywhere, in a row, whatever the case and accents; a keyword of another language too.
    for (const char* text :
         {"bonjour, je veux me suicider ce soir", "ME SUICIDER", "i want to kill myself"}) {
        const classification c = model.classify(text, "fr");
        EXPECT_TRUE(c.from_pattern) << text;
        ASSERT_EQ(c.ranked.size(), 1u) << text;
        EXPECT_EQ(c.ranked.front().intent, "distress") << text;
    }
    // Its words apart, or one of them, are the model's; an exact pattern comes first.
    EXPECT_FALSE(model.classify("me faire suicider", "fr").from_pattern);
    EXPECT_FALSE(model.classify("horaires mairie", "fr").from_pattern);
    EXPECT_EQ(model.classify("horaires", "fr").ranked.front().intent, "greeting");
}

TEST(classifier, tunes_on_given_held_out_examples) {
    const std::vector<example> held_out{
        {"horaires mairie dimanche", "hours.open", "fr"},
        {"when do you close", "hours.open", "en"},
        {"passeport perdu", "id.card", "fr"},
        {"renew id card", "id.card", "en"},
        {"poubelle jaune quel jour", "waste.collection", "fr"},
        {"livres empruntés", "library", "fr"},
        {"mariage civil", "civil.wedding", "fr"},
        {"salut", "greeting", "fr"},
        {"quelle heure est-il à new york", "oos", "fr"},
        {"how far is the moon", "oos", "en"},
    };
    classifier model = classifier::train(town_examples(), held_out, train_options{});
    EXPECT_GE(model.oos_threshold(), 0.0);
    EXPECT_LT(model.oos_threshold(), 1.0);
    EXPECT_GT(model.temperature(), 0.0);
    classification c = model.classify("horaires de la mairie samedi", "fr");
    ASSERT_FALSE(c.ranked.empty());
    EXPECT_EQ(c.ranked.front().intent, "hours.open");
}

TEST(classifier, learns_from_held_out_examples_after_tuning) {
    // A word only the held-out examples teach: refitted on them, the model knows it.
    std::vector<example> held_out{
        {"zorglub zorglub", "library", "fr"},
        {"zorglub", "library", "fr"},
        {"combien pese la lune", "oos", "fr"},
    };
    EXPECT_TRUE(train_options{}.refit_with_held_out);  // the default
    classifier with = classifier::train(town_examples(), held_out, train_options{});
    classification c = with.classify("zorglub", "fr");
    ASSERT_FALSE(c.ranked.empty());
    EXPECT_EQ(c.ranked.front().intent, "library");
    train_options no_refit;
    no_refit.refit_with_held_out = false;
    classifier without = classifier::train(town_examples(), held_out, no_refit);
    EXPECT_TRUE(without.classify("zorglub", "fr").ranked.empty());  // no known feature
}

TEST(classifier, fixed_threshold_is_kept) {
    train_options o;
    o.oos_threshold = 0.42;
    classifier model = classifier::train(town_examples(), {}, o);
    EXPECT_DOUBLE_EQ(model.oos_threshold(), 0.42);
}

TEST(classifier, rejects_training_without_intents) {
    EXPECT_THROW(classifier::train({}, {}, train_options{}), std::invalid_argument);
    EXPECT_THROW(classifier::train({{"hors sujet", "oos", "fr"}}, {}, train_options{}),
                 std::invalid_argument);
}

TEST(classifier, bad_input_never_crashes) {
    std::string big(100 * 1024, 'a');
    for (std::string s : {std::string("\xFF\xFE\xC3"), big, std::string("a\0b", 3),
                          std::string("مرحبا أين البلدية"), std::string("שלום")}) {
        EXPECT_NO_THROW(town_model().classify(s, "fr"));
        EXPECT_NO_THROW(town_model().classify(s, "xx"));
    }
}

TEST(classifier, thread_safe_classification) {
    const classifier& model = town_model();
    const std::string expected = model.classify("horaires de la mairie", "fr").ranked[0].intent;
    std::vector<std::thread> threads;
    std::atomic<int> mismatches{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i)
                if (model.classify("horaires de la mairie", "fr").ranked[0].intent != expected)
                    ++mismatches;
        });
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace guichet::nlu
