// Benchmarks of understanding: normalising a French sentence, classifying one utterance among
// 150 intents (trained once on CLINC150 dev "train" when ../shared is present, else on a
// synthetic 150-intent set; the label says which), training on CLINC150 dev as the eval does,
// and identifying the language.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string_view>

#include "nlu/classifier.h"
#include "nlu/language.h"
#include "nlu/normalize.h"

namespace {

using namespace guichet::nlu;

const char* french_sentence =
    "Bonjour ! À quelle heure l'Hôtel de Ville ouvre-t-il samedi ? "
    "J'aimerais déposer ma demande de carte d'identité, stp.";

void bm_fold(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(fold(french_sentence));
}
BENCHMARK(bm_fold);

void bm_words(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(words(french_sentence, "fr"));
}
BENCHMARK(bm_words);

struct trained {
    std::unique_ptr<classifier> model;
    std::vector<std::string> queries;
    std::string source;
};

// CLINC150 dev (150 intents × 100) when present, else 150 synthetic intents × 100 examples.
const trained& model_150() {
    static const trained t = [] {
        trained r;
        std::vector<example> train;
        std::filesystem::path dev =
            std::filesystem::path(GUICHET_SHARED_DIR) / "data/clinc150/clinc150_dev.json";
        if (std::ifstream in{dev}) {
            std::stringstream buf;
            buf << in.rdbuf();
            boost::json::object d = boost::json::parse(buf.str()).as_object();
            for (const char* split : {"train", "oos_train"})
                for (const auto& e : d[split].as_array())
                    train.push_back({std::string(e.as_array()[0].as_string()),
                                     std::string(e.as_array()[1].as_string()), "en"});
            for (const auto& e : d["val"].as_array())
                if (r.queries.size() < 512) r.queries.emplace_back(e.as_array()[0].as_string());
            r.source = "clinc150_dev";
        } else {
            const char* verbs[] = {"open", "close", "book", "cancel", "renew", "find"};
            const char* things[] = {"passport", "library card", "parking permit", "wedding",
                                    "bin",      "pool ticket",  "school meal",    "bus pass"};
            for (int i = 0; i < 150; ++i)
                for (int k = 0; k < 100; ++k)
                    train.push_back({std::string("please ") + verbs[(i + k) % 6] + " my " +
                                         things[(i * 7 + k) % 8] + " topic" + std::to_string(i) +
                                         " variant " + std::to_string(k % 10),
                                     "intent" + std::to_string(i), "en"});
            for (int q = 0; q < 512; ++q)
                r.queries.push_back(std::string("could you ") + verbs[q % 6] + " the " +
                                    things[q % 8] + " topic" + std::to_string(q % 150));
            r.source = "synthetic";
        }
        r.model = std::make_unique<classifier>(classifier::train(train, {}, train_options{}));
        return r;
    }();
    return t;
}

void bm_classify_150_intents(benchmark::State& state) {
    const trained& t = model_150();
    state.SetLabel(t.source);
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(t.model->classify(t.queries[i], "en"));
        i = (i + 1) % t.queries.size();
    }
}
BENCHMARK(bm_classify_150_intents)->Unit(benchmark::kMicrosecond);

// Training as `guichet nlu eval` does on CLINC150 dev: fit on train, tune on val, refit on
// both (two models, each on two threads). Wall-clock time: the figure the issue bounds.
void bm_train_150_intents(benchmark::State& state) {
    std::filesystem::path dev =
        std::filesystem::path(GUICHET_SHARED_DIR) / "data/clinc150/clinc150_dev.json";
    std::ifstream in{dev};
    if (!in) {
        state.SkipWithError("no ../shared/data/clinc150/clinc150_dev.json");
        return;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    boost::json::object d = boost::json::parse(buf.str()).as_object();
    std::vector<example> train, val;
    for (const char* split : {"train", "oos_train", "val", "oos_val"})
        for (const auto& e : d[split].as_array())
            (std::string_view(split).find("val") != std::string_view::npos ? val : train)
                .push_back({std::string(e.as_array()[0].as_string()),
                            std::string(e.as_array()[1].as_string()), "en"});
    state.SetLabel(std::to_string(train.size()) + " + " + std::to_string(val.size()) +
                   " examples");
    for (auto _ : state) benchmark::DoNotOptimize(classifier::train(train, val, train_options{}));
}
BENCHMARK(bm_train_150_intents)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

void bm_detect_language(benchmark::State& state) {
    const std::vector<std::string> candidates{"fr", "en"};
    const char* texts[] = {"la mairie est ouverte samedi ?", "is the town hall open on saturday",
                           "horaires piscine", "bjr kan ouvre la mediatheque"};
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(detect_language(texts[i % 4], candidates));
        ++i;
    }
}
BENCHMARK(bm_detect_language);

}  // namespace
