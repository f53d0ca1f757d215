// Intent classifier: training orchestration (held-out split, temperature and out-of-scope
// threshold tuning), classification, exact patterns and keywords. The model itself is in
// training.cpp.
#include "nlu/classifier.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <numeric>
#include <stdexcept>

#include "nlu/model.h"
#include "nlu/normalize.h"

namespace guichet::nlu {
namespace {

constexpr std::string_view oos_name = "oos";
constexpr double untuned_threshold = 0.3;  // when there is nothing to tune on
constexpr long min_tuning_examples = 20;   // in-scope held-out examples to tune on
constexpr std::size_t small_tuning_set = 1000;  // held-out examples: a town's, see fit_threshold

bool is_oos(std::string_view intent) { return intent.empty() || intent == oos_name; }

std::string join_words(const std::vector<std::string>& ws) {
    std::string key;
    for (const std::string& w : ws) {
        if (!key.empty()) key += ' ';
        key += w;
    }
    return key;
}

// One held-out utterance scored by a model: raw scores and the truth.
struct scored {
    std::vector<float> scores;  // empty when the text had no known feature
    int label;                  // class index; -1 for an unknown intent
    bool oos;                   // out-of-scope truth
};

struct decision {
    int best;         // best in-scope class, -1 when none
    double p;         // its calibrated probability
    bool oos_argmax;  // the "oos" class has the highest probability
};

decision decide(std::vector<float> z, int oos_class, double temperature) {
    if (z.empty()) return {-1, 0.0, true};
    detail::softmax(z, temperature);
    int best = -1;
    int top = 0;
    for (int c = 0; c < int(z.size()); ++c) {
        if (z[c] > z[top]) top = c;
        if (c != oos_class && (best < 0 || z[c] > z[best])) best = c;
    }
    return {best, best < 0 ? 0.0 : z[best], top == oos_class};
}

double fit_temperature(const std::vector<scored>& items, int oos_class) {
    double best_t = 1.0;
    double best_nll = INFINITY;
    std::vector<float> z;
    for (int i = 0; i <= 60; ++i) {
        double t = std::exp(std::log(0.02) + (std::log(20.0) - std::log(0.02)) * i / 60.0);
        double nll = 0;
        int n = 0;
        for (const scored& s : items) {
            int y = s.oos ? oos_class : s.label;
            if (y < 0 || s.scores.empty()) continue;
            z = s.scores;
            detail::softmax(z, t);
            nll -= std::log(std::max(z[std::size_t(y)], 1e-12f));
            ++n;
        }
        if (n > 0 && nll < best_nll) {
            best_nll = nll;
            best_t = t;
        }
    }
    return best_t;
}

// Threshold on the calibrated confidence maximising in-scope accuracy + w × out-of-scope recall
// on held-out (middle of the best plateau) among thresholds losing at most `max_loss` of
// in-scope accuracy; without out-of-scope examples, the highest threshold
// that loses at most 2 % of in-scope accuracy.
double fit_threshold(const std::vector<scored>& items, int oos_class, double temperature, double w,
                     double max_loss) {
    std::vector<decision> d;
    std::vector<double> candidates{0.0};
    for (const scored& s : items) {
        d.push_back(decide(s.scores, oos_class, temperature));
        candidates.push_back(d.back().p);
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::size_t n_in = 0, n_oos = 0;
    for (const scored& s : items) (s.oos ? n_oos : n_in)++;
    if (n_in == 0) return untuned_threshold;
    auto measure = [&](double t, double& acc, double& recall) {
        std::size_t ok = 0, caught = 0;
        for (std::size_t i = 0; i < items.size(); ++i) {
            bool rejected = d[i].oos_argmax || d[i].p < t;
            if (items[i].oos) {
                caught += rejected;
            } else {
                ok += !rejected && d[i].best == items[i].label;
            }
        }
        acc = double(ok) / double(n_in);
        recall = n_oos ? double(caught) / double(n_oos) : 0.0;
    };
    std::vector<double> objective(candidates.size());
    double acc0 = 0, r0 = 0;
    measure(0.0, acc0, r0);
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        double acc = 0, recall = 0;
        measure(candidates[k], acc, recall);
        if (!n_oos) {
            objective[k] = acc >= acc0 - 0.02 ? candidates[k] : -1.0;
        } else {
            // Examples held out of the training set are easier than real queries: a threshold
            // that costs them even a little accuracy costs real queries much more. Cap it.
            objective[k] = acc >= acc0 - max_loss ? acc + w * recall : -1.0;
        }
    }
    double top = *std::max_element(objective.begin(), objective.end());
    if (!n_oos) return top;
    std::vector<double> plateau;
    for (std::size_t k = 0; k < candidates.size(); ++k)
        if (objective[k] >= top - 1e-9) plateau.push_back(candidates[k]);
    const double t = plateau[plateau.size() / 2];
    // A town's few held-out questions cannot tell thresholds a few hundredths apart: one
    // example added anywhere moved it from 0.25 to 0.27 and unrelated questions became "not
    // understood". Tuned on fewer than small_tuning_set held-out questions it is rounded to
    // the nearest 0.05, so that such edits leave it where it was. (CLINC150's are thousands.)
    return n_in + n_oos < small_tuning_set ? std::round(t * 20) / 20 : t;
}

}  // namespace

classifier::classifier() = default;
classifier::classifier(classifier&&) noexcept = default;
classifier& classifier::operator=(classifier&&) noexcept = default;
classifier::~classifier() = default;

double classifier::oos_threshold() const { return threshold_; }
double classifier::temperature() const { return temperature_; }

std::vector<std::string> classifier::intents() const {
    std::vector<std::string> r;
    for (int c = 0; c < int(model_->classes.size()); ++c)
        if (c != model_->oos_class) r.push_back(model_->classes[std::size_t(c)]);
    return r;
}

classifier classifier::train(const std::vector<example>& examples,
                             const std::vector<example>& held_out, const train_options& options) {
    std::vector<std::string> classes;
    bool any_oos = false;
    for (const example& e : examples) {
        if (is_oos(e.intent)) {
            any_oos = true;
        } else {
            classes.push_back(e.intent);
        }
    }
    std::sort(classes.begin(), classes.end());
    classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
    if (classes.empty())
        throw std::invalid_argument("intent classifier: no in-scope training example");
    int oos_class = -1;
    if (any_oos) {
        oos_class = int(classes.size());
        classes.emplace_back(oos_name);
    }
    auto label_of = [&](std::string_view intent) -> int {
        if (is_oos(intent)) return oos_class;
        auto last = classes.end() - (any_oos ? 1 : 0);
        auto it = std::lower_bound(classes.begin(), last, intent);
        return it != last && *it == intent ? int(it - classes.begin()) : -1;
    };

    // Feature extraction (ICU, stemming) of large sets: two halves on two threads.
    std::vector<detail::prepared> data(examples.size());
    auto prepare = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) {
            data[i].keys = detail::extract_keys(examples[i].text, examples[i].lang);
            data[i].keys.words = {};  // only patterns need the words
            data[i].label = label_of(examples[i].intent);
        }
    };
    const std::size_t half = examples.size() >= 2000 ? examples.size() / 2 : 0;
    std::future<void> first_half;
    if (half > 0) first_half = std::async(std::launch::async, prepare, std::size_t{0}, half);
    prepare(half, examples.size());
    if (first_half.valid()) first_half.get();

    // Score held-out items with `m`.
    auto score_all = [&](const classifier::model& m, const std::vector<const example*>& items,
                         const std::vector<const detail::feature_keys*>& keys) {
        std::vector<scored> out;
        detail::sparse_vector x;
        for (std::size_t i = 0; i < items.size(); ++i) {
            scored s;
            m.vocab.vectorize(*keys[i], x);
            if (!x.index.empty()) m.scores(x, s.scores);
            s.oos = is_oos(items[i]->intent);
            s.label = s.oos ? -1 : label_of(items[i]->intent);
            out.push_back(std::move(s));
        }
        return out;
    };

    std::vector<const detail::prepared*> all_data;
    for (const detail::prepared& p : data) all_data.push_back(&p);

    classifier result;
    for (const auto* set : {&examples, &held_out})
        for (const example& e : *set) {
            const int label = label_of(e.intent);
            if (label < 0 || e.lang.empty()) continue;
            auto& flags = result.in_language_[e.lang];
            flags.resize(classes.size());
            flags[std::size_t(label)] = true;
        }
    std::vector<scored> tuning;
    if (!held_out.empty()) {
        std::vector<const example*> items;
        std::vector<detail::prepared> extra;  // held-out examples of known classes
        for (const example& e : held_out) {
            items.push_back(&e);
            detail::prepared p{detail::extract_keys(e.text, e.lang), label_of(e.intent)};
            p.keys.words = {};
            extra.push_back(std::move(p));
        }
        std::vector<const detail::feature_keys*> key_ptrs;
        for (const auto& p : extra) key_ptrs.push_back(&p.keys);
        if (!options.refit_with_held_out) {
            result.model_ = detail::fit(all_data, classes, oos_class, options);
            tuning = score_all(*result.model_, items, key_ptrs);
        } else {
            // Tune on a model that has not seen `held_out`, then refit on everything (as when
            // a share of `examples` is held out). One model after the other, each fitted on
            // both threads: two weight matrices live at most, two fits' time.
            std::vector<const detail::prepared*> all = all_data;
            for (const detail::prepared& p : extra)
                if (p.label >= 0) all.push_back(&p);
            tuning = score_all(*detail::fit(all_data, classes, oos_class, options), items,
                               key_ptrs);
            result.model_ = detail::fit(all, classes, oos_class, options);
        }
    } else {
        // Stratified split: a share of every class (out-of-scope included) held out, the
        // first of each class in the order of detail::example_rank (stable under edits).
        std::vector<std::vector<std::size_t>> by_class(classes.size());
        for (std::size_t i = 0; i < data.size(); ++i)
            if (data[i].label >= 0) by_class[std::size_t(data[i].label)].push_back(i);
        std::vector<std::uint64_t> rank(data.size());
        for (std::size_t i = 0; i < data.size(); ++i)
            rank[i] = detail::example_rank(data[i], options.seed);
        std::vector<bool> hold(data.size(), false);
        for (std::size_t c = 0; c < by_class.size(); ++c) {
            std::vector<std::size_t>& members = by_class[c];
            if (members.size() < 3) continue;
            std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
                return rank[a] != rank[b] ? rank[a] < rank[b] : a < b;
            });
            // Out-of-scope examples are few and the threshold rests on them: hold out more.
            double share = int(c) == oos_class ? std::max(options.held_out_share, 0.5)
                                               : options.held_out_share;
            std::size_t k =
                std::max<std::size_t>(1, std::size_t(std::lround(share * double(members.size()))));
            for (std::size_t j = 0; j < k && j + 2 <= members.size(); ++j) hold[members[j]] = true;
        }
        std::vector<const detail::prepared*> part;
        std::vector<const example*> items;
        std::vector<const detail::feature_keys*> key_ptrs;
        for (std::size_t i = 0; i < data.size(); ++i) {
            if (hold[i]) {
                items.push_back(&examples[i]);
                key_ptrs.push_back(&data[i].keys);
            } else {
                part.push_back(&data[i]);
            }
        }
        // The tuning model and the final model are independent: fit them on two threads.
        std::future<std::vector<scored>> tuned;
        if (!items.empty()) {
            tuned = std::async(std::launch::async, [&] {
                auto m = detail::fit(part, classes, oos_class, options);
                return score_all(*m, items, key_ptrs);
            });
        }
        result.model_ = detail::fit(all_data, classes, oos_class, options);
        if (tuned.valid()) tuning = tuned.get();
    }
    // A handful of held-out examples, all told apart, would tune the temperature to its
    // lowest bound and the threshold to 1 (only certainty accepted): too few to tune on.
    const auto in_scope_tuning = std::count_if(
        tuning.begin(), tuning.end(), [](const scored& x) { return !x.oos && x.label >= 0; });
    if (in_scope_tuning >= min_tuning_examples) {
        result.temperature_ = fit_temperature(tuning, oos_class);
        result.threshold_ =
            options.oos_threshold >= 0
                ? options.oos_threshold
                : fit_threshold(tuning, oos_class, result.temperature_, options.oos_recall_weight,
                                options.max_accuracy_loss);
    } else {
        result.threshold_ = options.oos_threshold >= 0 ? options.oos_threshold : untuned_threshold;
    }
    return result;
}

void classifier::add_pattern(std::string_view text, std::string_view intent,
                             std::string_view lang) {
    std::string key = join_words(words(text, lang));
    if (key.empty()) return;
    patterns_[std::string(lang)][key] = std::string(intent);
}

void classifier::add_keyword(std::string_view text, std::string_view intent,
                             std::string_view lang) {
    auto w = words(text, lang);
    if (w.empty()) return;
    std::string first = w.front();
    keywords_[std::string(lang)][first].push_back({std::move(w), std::string(intent)});
}

classification classifier::classify(std::string_view text, std::string_view lang) const {
    classification r;
    detail::feature_keys keys = detail::extract_keys(text, lang);
    if (!patterns_.empty() || !keywords_.empty()) {
        std::string key = join_words(keys.words);
        auto find_in = [&](const auto& table) -> const std::string* {
            auto it = table.find(key);
            return it == table.end() ? nullptr : &it->second;
        };
        const std::string* hit = nullptr;
        if (auto own = patterns_.find(lang); own != patterns_.end()) hit = find_in(own->second);
        for (auto it = patterns_.begin(); !hit && it != patterns_.end(); ++it)
            hit = find_in(it->second);
        // A keyword anywhere: the message's language's first; of those starting at the same
        // word, the longest ("me menace de mort", the emergency's, before "me menace").
        auto keyword_in = [&](const auto& table) -> const std::string* {
            for (std::size_t i = 0; i < keys.words.size(); ++i) {
                const auto starting = table.find(keys.words[i]);
                if (starting == table.end()) continue;
                const keyword* longest = nullptr;
                for (const keyword& k : starting->second)
                    if (keys.words.size() - i >= k.words.size() &&
                        std::equal(k.words.begin(), k.words.end(), keys.words.begin() + i) &&
                        (!longest || k.words.size() > longest->words.size()))
                        longest = &k;
                if (longest) return &longest->intent;
            }
            return nullptr;
        };
        if (!hit)
            if (auto own = keywords_.find(lang); own != keywords_.end())
                hit = keyword_in(own->second);
        for (auto it = keywords_.begin(); !hit && it != keywords_.end(); ++it)
            hit = keyword_in(it->second);
        if (hit) {
            r.ranked.push_back({*hit, 1.0});
            r.out_of_scope = is_oos(*hit);
            r.from_pattern = true;
            return r;
        }
    }
    thread_local detail::sparse_vector x;
    thread_local std::vector<float> z;
    model_->vocab.vectorize(keys, x);
    if (x.index.empty()) return r;  // nothing known: out of scope, no candidate
    model_->scores(x, z);
    detail::softmax(z, temperature_);
    thread_local std::vector<int> order;
    order.clear();
    for (int c = 0; c < int(z.size()); ++c)
        if (c != model_->oos_class) order.push_back(c);
    // A French-only intent scored on an English question's shared letters ("processionary"
    // and "concession") answered it in French: only the language's own intents are ranked.
    if (auto own = in_language_.find(lang); own != in_language_.end())
        std::erase_if(order, [&](int c) { return !own->second[std::size_t(c)]; });
    if (order.empty()) return r;
    const std::size_t top = std::min<std::size_t>(5, order.size());
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(top), order.end(),
                      [&](int a, int b) { return z[std::size_t(a)] > z[std::size_t(b)]; });
    for (std::size_t i = 0; i < top; ++i)
        r.ranked.push_back({model_->classes[std::size_t(order[i])], z[std::size_t(order[i])]});
    bool oos_top =
        model_->oos_class >= 0 && z[std::size_t(model_->oos_class)] >= r.ranked.front().confidence;
    r.out_of_scope = oos_top || r.ranked.front().confidence < threshold_;
    return r;
}

}  // namespace guichet::nlu
