// `guichet nlu eval`: measures the intent classifier on a CLINC150-layout JSON file (accuracy,
// out-of-scope recall/precision, training time, per-query latency, peak memory).
#include "nlu/eval_command.h"

#include <sys/resource.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "nlu/classifier.h"

namespace guichet::nlu {
namespace {

constexpr const char* usage =
    "usage: guichet nlu eval --data FILE.json [--json] [--threshold T] [--epochs N]\n"
    "                        [--learning-rate X] [--l2 X] [--oos-weight W]\n"
    "                        [--max-accuracy-loss X] [--dropout X] [--seed N]\n"
    "                        [--min-df N] [--refit | --no-refit]\n"
    "  Trains the intent classifier on FILE's \"train\" (+ \"oos_train\"), tunes it on \"val\"\n"
    "  (+ \"oos_val\"; without them on a part of train), evaluates on \"test\" + \"oos_test\".\n"
    "  FILE uses the CLINC150 layout: {\"train\": [[text, intent], ...], ...}; intent \"oos\"\n"
    "  marks an out-of-scope example. --json prints one JSON object. --threshold fixes the\n"
    "  out-of-scope threshold instead of tuning it; the other options set training.\n"
    "  After tuning, the model is refitted on train + val (the tuned temperature and\n"
    "  threshold kept); --no-refit keeps the model fitted on train only.\n"
    "usage (fr) : guichet nlu eval --data FICHIER.json [--json]\n"
    "  Entraine le classifieur d'intentions sur \"train\" (+ \"oos_train\"), le regle sur \"val\"\n"
    "  (+ \"oos_val\" ; sinon sur une part de train), l'evalue sur \"test\" + \"oos_test\".\n"
    "  Apres reglage, le modele est re-entraine sur train + val (sauf avec --no-refit).\n";

struct eval_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::vector<example> read_split(const boost::json::object& root, const char* name, bool required) {
    std::vector<example> out;
    const boost::json::value* v = root.if_contains(name);
    if (!v || v->is_null()) {
        if (required) throw eval_error(std::string("missing split \"") + name + "\"");
        return out;
    }
    if (!v->is_array()) throw eval_error(std::string("split \"") + name + "\" is not an array");
    std::size_t i = 0;
    for (const boost::json::value& item : v->get_array()) {
        const boost::json::array* pair = item.if_array();
        if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string())
            throw eval_error(std::string("split \"") + name + "\", item " + std::to_string(i) +
                             ": expected [text, intent]");
        out.push_back(
            {std::string((*pair)[0].get_string()), std::string((*pair)[1].get_string()), "en"});
        ++i;
    }
    if (required && out.empty()) throw eval_error(std::string("split \"") + name + "\" is empty");
    return out;
}

double peak_rss_mb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;  // Linux reports kilobytes
}

int eval(const std::string& path, bool json, const train_options& options, std::ostream& out,
         std::ostream& err) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        err << "guichet nlu eval: cannot open " << path << "\n";
        return 1;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    boost::system::error_code ec;
    boost::json::value root = boost::json::parse(buf.str(), ec);
    if (ec) {
        err << "guichet nlu eval: " << path << ": invalid JSON: " << ec.message() << "\n";
        return 1;
    }
    if (!root.is_object()) {
        err << "guichet nlu eval: " << path << ": expected a JSON object\n";
        return 1;
    }
    std::vector<example> train, tune, test;
    try {
        const boost::json::object& o = root.get_object();
        train = read_split(o, "train", true);
        for (example& e : read_split(o, "oos_train", false)) train.push_back(std::move(e));
        tune = read_split(o, "val", false);
        for (example& e : read_split(o, "oos_val", false)) tune.push_back(std::move(e));
        test = read_split(o, "test", true);
        for (example& e : read_split(o, "oos_test", false)) test.push_back(std::move(e));
    } catch (const eval_error& e) {
        err << "guichet nlu eval: " << path << ": " << e.what() << "\n";
        return 1;
    }

    using clock = std::chrono::steady_clock;
    auto t0 = clock::now();
    std::optional<classifier> model;
    try {
        model.emplace(classifier::train(train, tune, options));
    } catch (const std::exception& e) {
        err << "guichet nlu eval: " << path << ": cannot train: " << e.what() << "\n";
        return 1;
    }
    double train_seconds = std::chrono::duration<double>(clock::now() - t0).count();

    std::size_t n_in = 0, in_ok = 0, in_top1 = 0, n_oos = 0, oos_caught = 0, flagged = 0;
    std::vector<double> micros;
    micros.reserve(test.size());
    for (const example& e : test) {
        auto a = clock::now();
        classification c = model->classify(e.text, e.lang);
        micros.push_back(std::chrono::duration<double, std::micro>(clock::now() - a).count());
        bool truth_oos = e.intent == "oos" || e.intent.empty();
        flagged += c.out_of_scope;
        if (truth_oos) {
            ++n_oos;
            oos_caught += c.out_of_scope;
        } else {
            ++n_in;
            bool top1 = !c.ranked.empty() && c.ranked.front().intent == e.intent;
            in_top1 += top1;
            in_ok += top1 && !c.out_of_scope;
        }
    }
    std::sort(micros.begin(), micros.end());
    auto at = [&](double q) {
        return micros[std::min(micros.size() - 1, std::size_t(q * double(micros.size())))];
    };
    double accuracy = n_in ? double(in_ok) / double(n_in) : 0.0;
    double recall = n_oos ? double(oos_caught) / double(n_oos) : 0.0;
    double precision = flagged ? double(oos_caught) / double(flagged) : 0.0;
    if (json) {
        boost::json::object r;
        r["in_scope_accuracy"] = accuracy;
        r["in_scope_top1"] = n_in ? double(in_top1) / double(n_in) : 0.0;
        r["oos_recall"] = recall;
        r["oos_precision"] = precision;
        r["train_seconds"] = train_seconds;
        r["classify_median_us"] = at(0.5);
        r["classify_p99_us"] = at(0.99);
        r["peak_rss_mb"] = peak_rss_mb();
        out << boost::json::serialize(r) << "\n";
    } else {
        out << std::fixed << std::setprecision(4) << "in-scope accuracy:   " << accuracy << " ("
            << in_ok << "/" << n_in << ")\n"
            << "in-scope top-1 accuracy, nothing rejected: "
            << (n_in ? double(in_top1) / double(n_in) : 0.0) << "\n"
            << "out-of-scope recall: " << recall << " (" << oos_caught << "/" << n_oos << ")\n"
            << "out-of-scope precision: " << precision << "\n"
            << std::setprecision(3) << "training seconds:    " << train_seconds << " ("
            << train.size() << " examples, threshold " << model->oos_threshold() << ", temperature "
            << model->temperature() << ")\n"
            << std::setprecision(1) << "classify median us:  " << at(0.5) << "\n"
            << "classify p99 us:     " << at(0.99) << "\n"
            << "peak RSS MB:         " << peak_rss_mb() << "\n";
    }
    return 0;
}

}  // namespace

int run_nlu_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (args.empty()) {
        err << usage;
        return 2;
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        out << usage;
        return 0;
    }
    if (args[0] != "eval") {
        err << "guichet nlu: unknown command '" << args[0] << "'\n" << usage;
        return 2;
    }
    std::string data;
    bool json = false;
    train_options options;
    auto number = [&](std::size_t i, double& v) {
        try {
            std::size_t used = 0;
            v = std::stod(args[i], &used);
            return used == args[i].size();
        } catch (const std::exception&) {
            return false;
        }
    };
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            out << usage;
            return 0;
        } else if (args[i] == "--json") {
            json = true;
        } else if (args[i] == "--refit") {
            options.refit_with_held_out = true;
        } else if (args[i] == "--no-refit") {
            options.refit_with_held_out = false;
        } else if (args[i] == "--data" && i + 1 < args.size()) {
            data = args[++i];
        } else if ((args[i] == "--threshold" || args[i] == "--epochs" ||
                    args[i] == "--learning-rate" || args[i] == "--l2" ||
                    args[i] == "--oos-weight" || args[i] == "--min-df" ||
                    args[i] == "--max-accuracy-loss" || args[i] == "--dropout" ||
                    args[i] == "--seed") &&
                   i + 1 < args.size()) {
            double v = 0;
            if (!number(i + 1, v) || v < 0) {
                err << "guichet nlu eval: " << args[i] << " needs a number >= 0\n";
                return 2;
            }
            if (args[i] == "--threshold") options.oos_threshold = v;
            if (args[i] == "--epochs") options.epochs = static_cast<unsigned>(v);
            if (args[i] == "--learning-rate") options.learning_rate = v;
            if (args[i] == "--l2") options.l2 = v;
            if (args[i] == "--oos-weight") options.oos_recall_weight = v;
            if (args[i] == "--min-df") options.min_df = static_cast<unsigned>(v);
            if (args[i] == "--max-accuracy-loss") options.max_accuracy_loss = v;
            if (args[i] == "--dropout") options.feature_dropout = v;
            if (args[i] == "--seed") options.seed = static_cast<unsigned>(v);
            ++i;
        } else {
            err << "guichet nlu eval: unexpected argument '" << args[i] << "'\n" << usage;
            return 2;
        }
    }
    if (data.empty()) {
        err << "guichet nlu eval: --data FILE.json is required\n" << usage;
        return 2;
    }
    return eval(data, json, options, out, err);
}

}  // namespace guichet::nlu
