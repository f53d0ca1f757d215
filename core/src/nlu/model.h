// The trained linear model behind classifier (internal to nlu): vocabulary, class names and
// weights, how to score one sparse vector, and how to fit a model by SGD.
#pragma once

#include <cstdint>
#include <memory>
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

// A number drawn from an example's own words and class (and a salt), the same whatever the
// other examples: training visits the examples and holds some out in the order of these
// numbers, so that adding or editing one example moves the others' place only by one — an
// edit to one intent file does not reshuffle, and retune, the whole model.
std::uint64_t example_rank(const prepared& p, std::uint64_t salt);

// One model being fitted, step by step, so that a caller can schedule the steps on its
// threads (and bound how many weight matrices live at once): the constructor builds the
// vocabulary and the vectors of `data` (pointers read during the call only);
// fit_softmax() fits the multinomial logistic regression, fit_hinge() the one-vs-rest
// squared-hinge SVM (nothing when options.hinge_weight is 0) — the two may run at the same
// time on two threads — and finish() adds them up and hands the model over. Deterministic
// for a given options.seed.
class fitting {
  public:
    fitting(const std::vector<const prepared*>& data, const std::vector<std::string>& classes,
            int oos_class, const train_options& options);
    void fit_softmax();
    void fit_hinge();
    std::unique_ptr<classifier::model> finish();  // after both fits; once

  private:
    std::unique_ptr<classifier::model> model_;
    train_options options_;
    std::vector<sparse_vector> x_;
    std::vector<int> labels_;
    std::vector<std::uint64_t> ids_;  // example_rank(…, 0) of each example
    std::vector<float> class_weight_;
    unsigned epochs_ = 0;
    std::vector<float> hinge_weights_, hinge_bias_;
};

// All the steps of a fitting, the two fits on two threads.
std::unique_ptr<classifier::model> fit(const std::vector<const prepared*>& data,
                                       const std::vector<std::string>& classes, int oos_class,
                                       const train_options& options);

// Softmax of scores / temperature, in place.
void softmax(std::vector<float>& z, double temperature);

}  // namespace detail
}  // namespace guichet::nlu
