// Fits the intent model: multinomial logistic regression by SGD over TF-IDF vectors, with
// class-balanced weights, L2 penalty (lazy global scale) and a linearly decaying step.
// Hand-written: no Debian-packaged C++ library trains a sparse linear text model in well under a
// second (mlpack/dlib/shark are either absent or far slower on 150 classes × 10⁵ features).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "nlu/model.h"

namespace guichet::nlu {

void classifier::model::scores(const detail::sparse_vector& x, std::vector<float>& out) const {
    const std::size_t n_classes = classes.size();
    out.assign(bias.begin(), bias.end());
    float* z = out.data();
    for (std::size_t k = 0; k < x.index.size(); ++k) {
        const float v = x.value[k];
        const float* w = weights.data() + std::size_t(x.index[k]) * n_classes;
        for (std::size_t c = 0; c < n_classes; ++c) z[c] += v * w[c];
    }
}

namespace detail {

void softmax(std::vector<float>& z, double temperature) {
    if (z.empty()) return;
    const float inv_t = static_cast<float>(1.0 / temperature);
    float top = *std::max_element(z.begin(), z.end());
    float sum = 0;
    for (float& v : z) {
        v = std::exp((v - top) * inv_t);
        sum += v;
    }
    for (float& v : z) v /= sum;
}

std::unique_ptr<classifier::model> fit(const std::vector<prepared>& data,
                                       const std::vector<std::string>& classes, int oos_class,
                                       const train_options& options) {
    auto m = std::make_unique<classifier::model>();
    m->classes = classes;
    m->oos_class = oos_class;
    const std::size_t n = data.size();
    const std::size_t n_classes = classes.size();

    std::vector<feature_keys> docs;
    docs.reserve(n);
    for (const prepared& p : data) docs.push_back(p.keys);
    unsigned min_df = options.min_df ? options.min_df : (n >= 2000 ? 2u : 1u);
    m->vocab.build(docs, min_df);
    docs.clear();
    docs.shrink_to_fit();

    std::vector<sparse_vector> x(n);
    for (std::size_t i = 0; i < n; ++i) m->vocab.vectorize(data[i].keys, x[i]);

    // Class-balanced weights: every class counts as much in total.
    std::vector<double> count(n_classes, 0);
    for (const prepared& p : data) count[static_cast<std::size_t>(p.label)] += 1;
    std::vector<float> class_weight(n_classes, 1.0f);
    for (std::size_t c = 0; c < n_classes; ++c)
        if (count[c] > 0)
            class_weight[c] = static_cast<float>(double(n) / (double(n_classes) * count[c]));

    m->weights.assign(std::size_t(m->vocab.size()) * n_classes, 0.0f);
    m->bias.assign(n_classes, 0.0f);
    unsigned epochs = options.epochs;
    if (epochs == 0) epochs = static_cast<unsigned>(std::clamp<std::size_t>(150000 / (n + 1), 8, 60));

    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937 rng(options.seed);
    std::vector<float> z(n_classes);
    double scale = 1.0;  // true weights = scale × stored weights
    const double total_steps = double(epochs) * double(n);
    double step = 0;
    for (unsigned e = 0; e < epochs; ++e) {
        std::shuffle(order.begin(), order.end(), rng);
        for (std::size_t i : order) {
            const double lr = options.learning_rate * (1.0 - step / total_steps) + 1e-4;
            step += 1;
            const sparse_vector& xi = x[i];
            for (std::size_t c = 0; c < n_classes; ++c) z[c] = 0;
            for (std::size_t k = 0; k < xi.index.size(); ++k) {
                const float v = xi.value[k];
                const float* w = m->weights.data() + std::size_t(xi.index[k]) * n_classes;
                for (std::size_t c = 0; c < n_classes; ++c) z[c] += v * w[c];
            }
            const float s = static_cast<float>(scale);
            for (std::size_t c = 0; c < n_classes; ++c) z[c] = z[c] * s + m->bias[c];
            softmax(z, 1.0);
            const std::size_t y = static_cast<std::size_t>(data[i].label);
            const float cw = class_weight[y];
            z[y] -= 1.0f;  // gradient of the loss wrt the scores: p - onehot(y)
            for (std::size_t c = 0; c < n_classes; ++c) {
                z[c] *= cw;
                m->bias[c] -= static_cast<float>(lr) * z[c];
            }
            scale *= 1.0 - lr * options.l2;
            const float g_scale = static_cast<float>(lr / scale);
            for (std::size_t k = 0; k < xi.index.size(); ++k) {
                const float a = g_scale * xi.value[k];
                float* w = m->weights.data() + std::size_t(xi.index[k]) * n_classes;
                for (std::size_t c = 0; c < n_classes; ++c) w[c] -= a * z[c];
            }
            if (scale < 1e-6) {
                for (float& w : m->weights) w *= static_cast<float>(scale);
                scale = 1.0;
            }
        }
    }
    for (float& w : m->weights) w *= static_cast<float>(scale);
    return m;
}

}  // namespace detail
}  // namespace guichet::nlu
