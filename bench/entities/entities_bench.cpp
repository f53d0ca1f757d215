// Extraction speed on typical citizens' sentences (French and English, ~15 words) against a
// 300-entry gazetteer of services and streets, the longest input read (4 KB), and the cost of
// building the gazetteer.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "entities/entities.h"

namespace {

using guichet::entities::extractor;
using guichet::entities::gazetteer_entry;

std::vector<gazetteer_entry> commune_300() {
    std::vector<gazetteer_entry> g = {
        {"service", "mairie", {"mairie", "hôtel de ville", "town hall"}},
        {"service", "mediatheque", {"médiathèque", "bibliothèque"}},
        {"service", "dechetterie", {"déchetterie", "déchèterie", "recycling centre"}},
        {"service", "piscine", {"piscine municipale", "piscine", "swimming pool"}},
        {"service", "etat_civil", {"état civil", "service de l'état civil"}},
        {"service", "ccas", {"CCAS", "centre communal d'action sociale"}},
        {"service", "police", {"police municipale"}},
        {"service", "urbanisme", {"service urbanisme", "urbanisme"}},
        {"service", "cimetiere", {"cimetière communal", "cimetière"}},
        {"service", "creche", {"crèche municipale", "crèche"}},
    };
    const char* types[] = {"rue", "avenue", "place", "allée", "impasse", "boulevard"};
    const char* people[] = {"Victor Hugo",
                            "Jean Jaurès",
                            "Louis Pasteur",
                            "Émile Zola",
                            "Jean Moulin",
                            "Marie Curie",
                            "Charles de Gaulle",
                            "Georges Clemenceau",
                            "Gambetta",
                            "Voltaire",
                            "Jules Ferry",
                            "Anatole France",
                            "Paul Bert",
                            "Lazare Carnot",
                            "Jean Jacques Rousseau",
                            "Molière",
                            "Aristide Briand",
                            "Léon Blum",
                            "Simone Veil",
                            "Albert Camus",
                            "Maréchal Foch",
                            "Général Leclerc",
                            "Pierre Brossolette",
                            "Camille Desmoulins",
                            "Danton",
                            "Condorcet",
                            "Denis Diderot",
                            "Alphonse Daudet",
                            "George Sand",
                            "Colette",
                            "Jean de la Fontaine",
                            "Frédéric Mistral",
                            "Edmond Rostand",
                            "Paul Verlaine",
                            "Arthur Rimbaud",
                            "Guy de Maupassant",
                            "Gustave Flaubert",
                            "Honoré de Balzac",
                            "Stendhal",
                            "Jean Racine",
                            "Pierre Corneille",
                            "Blaise Pascal",
                            "René Descartes",
                            "Louise Michel",
                            "Olympe de Gouges",
                            "Jean Zay",
                            "Pierre Mendès France"};
    int n = 0;
    for (const char* t : types)
        for (const char* p : people) {
            if (g.size() >= 300) break;
            g.push_back({"street", "street_" + std::to_string(n++), {std::string(t) + " " + p}});
        }
    return g;
}

const extractor& shared_extractor() {
    static const extractor ex(commune_300());
    return ex;
}

constexpr std::int64_t now = 1795879200;  // 2026-11-28T16:20:00+01:00

void run(benchmark::State& state, const char* text, const char* lang) {
    const extractor& ex = shared_extractor();
    std::size_t found = 0;
    for (auto _ : state) {
        auto entities = ex.extract(text, lang, now);
        found = entities.size();
        benchmark::DoNotOptimize(entities);
    }
    state.counters["entities"] = static_cast<double>(found);
}

void bm_fr_hours(benchmark::State& s) {
    run(s,
        "Bonjour, est-ce que la dechetrie est ouverte samedi prochain vers 10h30 s'il vous plait ?",
        "fr");
}
void bm_fr_street(benchmark::State& s) {
    run(s, "j'habite au 12 rue Victor Hugo 75001 et ma poubelle n'a pas été ramassée hier matin",
        "fr");
}
void bm_fr_ticket(benchmark::State& s) {
    run(s, "où en est mon dossier n° 2026-0042 ? rappelez-moi au 06 12 34 56 78 demain", "fr");
}
void bm_en_pool(benchmark::State& s) {
    run(s, "Hi, is the swimming pool open on Sunday at 2:30 pm or only tomorrow morning?", "en");
}
void bm_no_entity(benchmark::State& s) {
    run(s, "je voudrais savoir comment faire une demande de carte d'identite pour mon fils", "fr");
}
// Worst case: the longest input read (4,096 bytes) of sentence-like text.
void bm_max_input(benchmark::State& state) {
    std::string text;
    while (text.size() < 4096)
        text += "la dechetrie est ouverte samedi a 10h30 rue victor hugo 75001 ? ";
    run(state, text.c_str(), "fr");
}
void bm_build_gazetteer(benchmark::State& state) {
    const auto entries = commune_300();
    for (auto _ : state) {
        extractor ex(entries);
        benchmark::DoNotOptimize(ex);
    }
}

BENCHMARK(bm_fr_hours);
BENCHMARK(bm_fr_street);
BENCHMARK(bm_fr_ticket);
BENCHMARK(bm_en_pool);
BENCHMARK(bm_no_entity);
BENCHMARK(bm_max_input)->Unit(benchmark::kMicrosecond);
BENCHMARK(bm_build_gazetteer)->Unit(benchmark::kMillisecond);

}  // namespace
