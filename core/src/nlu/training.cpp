// Fits the intent model: multinomial logistic regression plus a one-vs-rest squared-hinge SVM,
// both by SGD over TF-IDF vectors (class-balanced weights, L2 penalty with a lazy global scale,
// linearly decaying step), added up into one linear model.
// Hand-written: no Debian-packaged C++ library trains a sparse linear text model in well under a
// second (mlpack/dlib/shark are either absent or far slower on 150 classes × 10⁵ features).
#include <algorithm>
#include <cmath>
#include <future>
#include <numeric>

#include "nlu/model.h"

namespace guichet::nlu {
namespace {

// y += a·x over n floats: the inner loop of scoring and of every SGD step. Built for AVX2 and
// for plain x86-64, the best one chosen at load time (GCC function multiversioning).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2,fma", "default")))
#endif
void axpy(float a, const float* __restrict x, float* __restrict y, std::size_t n) {
    for (std::size_t c = 0; c < n; ++c) y[c] += a * x[c];
}

}  // namespace

void classifier::model::scores(const detail::sparse_vector& x, std::vector<float>& out) const {
    const std::size_t n_classes = classes.size();
    out.assign(bias.begin(), bias.end());
    float* z = out.data();
    for (std::size_t k = 0; k < x.index.size(); ++k)
        axpy(x.value[k], weights.data() + std::size_t(x.index[k]) * n_classes, z, n_classes);
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

namespace {

// splitmix64's finaliser: a well-spread 64-bit number from any.
std::uint64_t mix(std::uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

}  // namespace

std::uint64_t example_rank(const prepared& p, std::uint64_t salt) {
    std::uint64_t h = mix(salt ^ static_cast<std::uint64_t>(p.label + 1));
    for (std::uint64_t k : p.keys.word_keys) h = mix(h ^ k);
    for (std::uint64_t k : p.keys.char_keys) h = mix(h ^ k);
    return h;
}

// One SGD fit into w_out (feature-major) and b_out: softmax cross-entropy, or one-vs-rest
// squared hinge when `hinge`. Only the classes with a non-negligible gradient are updated.
// Each epoch visits the examples in the order of their ids mixed with the epoch, and an
// example's dropped features are drawn from its id and the epoch: the order and the draws of
// one example do not depend on the others (see example_rank).
static void sgd(std::uint32_t n_features, std::size_t n_classes,
                const std::vector<sparse_vector>& x, const std::vector<int>& labels,
                const std::vector<std::uint64_t>& ids, const std::vector<float>& class_weight,
                unsigned epochs, double learning_rate, double l2, double dropout, unsigned seed,
                bool hinge, std::vector<float>& w_out, std::vector<float>& b_out) {
    const std::size_t n = labels.size();
    w_out.assign(std::size_t(n_features) * n_classes, 0.0f);
    b_out.assign(n_classes, 0.0f);

    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::vector<std::uint64_t> rank(n);
    std::vector<float> z(n_classes);
    std::vector<std::uint32_t> active;
    active.reserve(n_classes);
    // Feature dropout: each step sees each feature of its example with probability 1 - dropout
    // (scaled up to keep its expectation), so that no class leans on a few features only. The
    // next example's kept features are drawn one step ahead: only their rows are prefetched.
    const double drop = std::clamp(dropout, 0.0, 0.9);
    const auto drop_below = static_cast<std::uint32_t>(drop * 4294967295.0);
    const float kept_scale = static_cast<float>(1.0 / (1.0 - drop));
    std::uint64_t bits = 1;  // xorshift64 state, never 0
    unsigned epoch = 0;
    auto draw = [&](std::size_t i, sparse_vector& to) {
        const sparse_vector& from = x[i];
        bits = mix(ids[i] ^ mix(seed + 0x10000ull * (epoch + 1))) | 1;
        to.index.clear();
        to.value.clear();
        for (std::size_t k = 0; k < from.index.size(); ++k) {
            bits ^= bits << 13;
            bits ^= bits >> 7;
            bits ^= bits << 17;
            if (static_cast<std::uint32_t>(bits >> 32) >= drop_below) {
                to.index.push_back(from.index[k]);
                to.value.push_back(from.value[k] * kept_scale);
            }
        }
    };
    sparse_vector current, upcoming;
    double scale = 1.0;  // true weights = scale × stored weights
    const double total_steps = double(epochs) * double(n);
    double step = 0;
    for (unsigned e = 0; e < epochs; ++e) {
        epoch = e;
        const std::uint64_t salt = mix(seed ^ (0xA24BAED4963EE407ull * (e + 1)));
        for (std::size_t i = 0; i < n; ++i) rank[i] = mix(ids[i] ^ salt);
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return rank[a] != rank[b] ? rank[a] < rank[b] : a < b;
        });
        if (drop > 0) draw(order[0], upcoming);
        for (std::size_t pos = 0; pos < n; ++pos) {
            const std::size_t i = order[pos];
            if (drop > 0) {
                std::swap(current, upcoming);
                if (pos + 1 < n) draw(order[pos + 1], upcoming);
            }
            if (pos + 1 < n) {  // the weight rows are cache misses: ask for the next ones now
                const sparse_vector& next = drop > 0 ? upcoming : x[order[pos + 1]];
                for (std::uint32_t f : next.index)
                    for (std::size_t b = 0; b < n_classes * sizeof(float); b += 64)
                        __builtin_prefetch(reinterpret_cast<const char*>(
                                               w_out.data() + std::size_t(f) * n_classes) +
                                           b);
            }
            const double lr = learning_rate * (1.0 - step / total_steps) + 1e-4;
            step += 1;
            const sparse_vector& xi = drop > 0 ? current : x[i];
            for (std::size_t c = 0; c < n_classes; ++c) z[c] = 0;
            for (std::size_t k = 0; k < xi.index.size(); ++k)
                axpy(xi.value[k], w_out.data() + std::size_t(xi.index[k]) * n_classes, z.data(),
                     n_classes);
            const float s = static_cast<float>(scale);
            for (std::size_t c = 0; c < n_classes; ++c) z[c] = z[c] * s + b_out[c];
            const std::size_t y = static_cast<std::size_t>(labels[i]);
            const float cw = class_weight[y];
            if (hinge) {
                // One-vs-rest squared hinge: d/dz max(0, 1 - t z)^2 = -2 t max(0, 1 - t z).
                for (std::size_t c = 0; c < n_classes; ++c) {
                    const float t = c == y ? 1.0f : -1.0f;
                    const float slack = 1.0f - t * z[c];
                    z[c] = slack > 0 ? -2.0f * t * slack : 0.0f;
                }
            } else {
                softmax(z, 1.0);
                z[y] -= 1.0f;  // gradient of the loss wrt the scores: p - onehot(y)
            }
            // Classes whose probability is already ~right get no update: after the first
            // epochs only a handful remain, which makes an SGD step several times cheaper.
            active.clear();
            for (std::size_t c = 0; c < n_classes; ++c) {
                z[c] *= cw;
                b_out[c] -= static_cast<float>(lr) * z[c];
                if (std::fabs(z[c]) > 1e-4f) active.push_back(static_cast<std::uint32_t>(c));
            }
            scale *= 1.0 - lr * l2;
            const float g_scale = static_cast<float>(lr / scale);
            const bool dense = active.size() * 4 > n_classes;
            if (dense) {
                for (std::size_t k = 0; k < xi.index.size(); ++k)
                    axpy(-g_scale * xi.value[k], z.data(),
                         w_out.data() + std::size_t(xi.index[k]) * n_classes, n_classes);
            } else {
                for (std::size_t k = 0; k < xi.index.size(); ++k) {
                    const float a = g_scale * xi.value[k];
                    float* w = w_out.data() + std::size_t(xi.index[k]) * n_classes;
                    for (std::uint32_t c : active) w[c] -= a * z[c];
                }
            }
            if (scale < 1e-6) {
                for (float& w : w_out) w *= static_cast<float>(scale);
                scale = 1.0;
            }
        }
    }
    for (float& w : w_out) w *= static_cast<float>(scale);
}

fitting::fitting(const std::vector<const prepared*>& data, const std::vector<std::string>& classes,
                 int oos_class, const train_options& options)
    : model_(std::make_unique<classifier::model>()), options_(options) {
    model_->classes = classes;
    model_->oos_class = oos_class;
    const std::size_t n = data.size();
    const std::size_t n_classes = classes.size();

    std::vector<const feature_keys*> docs;  // pointers: the keys are not copied
    docs.reserve(n);
    for (const prepared* p : data) docs.push_back(&p->keys);
    unsigned min_df = options.min_df ? options.min_df : (n >= 2000 ? 2u : 1u);
    model_->vocab.build(docs, min_df);

    x_.resize(n);
    labels_.resize(n);
    ids_.resize(n);
    // Large sets: two halves on two threads (vectorize() is thread-safe).
    auto vectorize = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) {
            model_->vocab.vectorize(data[i]->keys, x_[i]);
            labels_[i] = data[i]->label;
            ids_[i] = example_rank(*data[i], 0);
        }
    };
    const std::size_t half = n >= 2000 ? n / 2 : 0;
    std::future<void> first_half;
    if (half > 0) first_half = std::async(std::launch::async, vectorize, std::size_t{0}, half);
    vectorize(half, n);
    if (first_half.valid()) first_half.get();

    // Class-balanced weights: every class counts as much in total.
    std::vector<double> count(n_classes, 0);
    for (int y : labels_) count[static_cast<std::size_t>(y)] += 1;
    class_weight_.assign(n_classes, 1.0f);
    for (std::size_t c = 0; c < n_classes; ++c)
        if (count[c] > 0)
            class_weight_[c] = static_cast<float>(double(n) / (double(n_classes) * count[c]));

    epochs_ = options.epochs;
    if (epochs_ == 0)
        epochs_ = static_cast<unsigned>(std::clamp<std::size_t>(90000 / (n + 1), 6, 60));
}

void fitting::fit_softmax() {
    sgd(model_->vocab.size(), model_->classes.size(), x_, labels_, ids_, class_weight_, epochs_,
        options_.learning_rate, options_.l2, options_.feature_dropout, options_.seed, false,
        model_->weights, model_->bias);
}

void fitting::fit_hinge() {
    if (options_.hinge_weight <= 0) return;
    sgd(model_->vocab.size(), model_->classes.size(), x_, labels_, ids_, class_weight_, epochs_,
        options_.hinge_learning_rate, options_.l2, options_.feature_dropout, options_.seed + 1,
        true, hinge_weights_, hinge_bias_);
}

std::unique_ptr<classifier::model> fitting::finish() {
    const float a = static_cast<float>(options_.hinge_weight);
    for (std::size_t i = 0; i < hinge_weights_.size(); ++i)
        model_->weights[i] += a * hinge_weights_[i];
    for (std::size_t c = 0; c < hinge_bias_.size(); ++c) model_->bias[c] += a * hinge_bias_[c];
    hinge_weights_ = {};
    x_ = {};
    ids_ = {};
    return std::move(model_);
}

std::unique_ptr<classifier::model> fit(const std::vector<const prepared*>& data,
                                       const std::vector<std::string>& classes, int oos_class,
                                       const train_options& options) {
    // Two linear models over the same features: softmax regression and a one-vs-rest
    // squared-hinge SVM, fitted side by side. Their sum is again one linear model, so the
    // ensemble costs nothing at classification time.
    fitting f(data, classes, oos_class, options);
    std::future<void> hinge = std::async(std::launch::async, [&] { f.fit_hinge(); });
    f.fit_softmax();
    hinge.get();
    return f.finish();
}

}  // namespace detail
}  // namespace guichet::nlu
