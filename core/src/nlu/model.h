// The trained linear model behind classifier (internal to nlu): vocabulary, class names and
// weights, how to score one sparse vector, and how to fit a model by SGD.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nlu/classifier.h"
#include "nlu/features.h"

namespace guichet::nlu {

struct classifier::model {
    detail::vocabulary vocab;
    std::vector<std::string> classes;  // class index → intent ("oos" for out of scope)
    int oos_class = -1;                // index of "oos" in classes, -1 when none
    std::vector<float> weights;        // feature-major: weights[f * classes.size() + c]
    std::vector<float> bias;           // per class

    // Raw linear scores of `x`, one per class, into `out` (resized). Thread-safe.
    void scores(const detail::sparse_vector& x, std::vector<float>& out) const;
};

namespace detail {

// An example turned into features, its class index and language.
struct prepared {
    feature_keys keys;
    int label = -1;
};

// Fits a multinomial logistic regression on `data` (labels index `classes`) with SGD.
// Deterministic for a given options.seed.
std::unique_ptr<classifier::model> fit(const std::vector<prepared>& data,
                                       const std::vector<std::string>& classes, int oos_class,
                                       const train_options& options);

// Softmax of scores / temperature, in place.
void softmax(std::vector<float>& z, double temperature);

}  // namespace detail
}  // namespace guichet::nlu
