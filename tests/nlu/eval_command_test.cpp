// Tests of `guichet nlu eval` (run_nlu_command): a tiny JSON file, bad input (missing file, bad
// JSON, missing splits, bad usage), the --json keys, and an evaluation on a CLINC150 subset
// (copied in tests/nlu/data) and, when ../shared is present, on a larger part of the dev file.
#include "nlu/eval_command.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

namespace guichet::nlu {
namespace {

namespace fs = std::filesystem;

struct result {
    int code;
    std::string out;
    std::string err;
};

result run(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    int code = run_nlu_command(args, out, err);
    return {code, out.str(), err.str()};
}

double json_number(const std::string& out, const char* key) {
    return boost::json::parse(out).as_object().at(key).to_number<double>();
}

class eval_command : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("guichet_nlu_test_" +
                std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                std::to_string(std::random_device{}()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string write(const std::string& name, const std::string& text) {
        fs::path p = dir_ / name;
        std::ofstream(p) << text;
        return p.string();
    }
    fs::path dir_;
};

const char* tiny_json = R"({
  "train": [["what time do you open", "hours"], ["when are you open", "hours"],
            ["opening hours please", "hours"], ["are you open on sunday", "hours"],
            ["what time do you close", "hours"], ["how late are you open", "hours"],
            ["i lost my passport", "passport"], ["renew my passport", "passport"],
            ["passport appointment", "passport"], ["how to get a passport", "passport"],
            ["my passport expired", "passport"], ["passport documents needed", "passport"]],
  "oos_train": [["tell me a joke", "oos"], ["what is the capital of peru", "oos"],
                ["play music", "oos"]],
  "test": [["when do you open", "hours"], ["closing time", "hours"],
           ["new passport", "passport"], ["passport lost", "passport"]],
  "oos_test": [["sing a song", "oos"]]
})";

TEST_F(eval_command, tiny_file_text_report) {
    result r = run({"eval", "--data", write("tiny.json", tiny_json)});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("in-scope accuracy:"), std::string::npos);
    EXPECT_NE(r.out.find("out-of-scope recall:"), std::string::npos);
    EXPECT_NE(r.out.find("peak RSS MB:"), std::string::npos);
}

TEST_F(eval_command, tiny_file_json_report_has_exactly_the_keys) {
    // 15 examples are too few to tune a threshold on: fix it.
    result r =
        run({"eval", "--data", write("tiny.json", tiny_json), "--json", "--threshold", "0.05"});
    ASSERT_EQ(r.code, 0) << r.err;
    boost::json::object o = boost::json::parse(r.out).as_object();
    std::set<std::string> keys;
    for (const auto& kv : o) keys.insert(std::string(kv.key()));
    EXPECT_EQ(keys, (std::set<std::string>{"in_scope_accuracy", "in_scope_top1", "oos_recall",
                                           "oos_precision", "train_seconds", "classify_median_us",
                                           "classify_p99_us", "peak_rss_mb"}));
    double acc = o["in_scope_accuracy"].to_number<double>();
    EXPECT_GE(acc, 0.75);  // 4 easy test questions
    EXPECT_LE(acc, 1.0);
    EXPECT_GT(o["peak_rss_mb"].to_number<double>(), 1.0);
    EXPECT_GE(o["classify_p99_us"].to_number<double>(),
              o["classify_median_us"].to_number<double>());
}

TEST_F(eval_command, refits_on_val_unless_told_not_to) {
    // "zorglub" is only in val: the refitted model knows it, the model fitted on train does not.
    boost::json::object o = boost::json::parse(tiny_json).as_object();
    o["val"] = boost::json::parse(
        R"([["zorglub", "passport"], ["zorglub form", "passport"], ["opening time", "hours"]])");
    o["oos_val"] = boost::json::parse(R"([["how tall is everest", "oos"]])");
    o["test"] = boost::json::parse(R"([["zorglub", "passport"]])");
    std::string text = boost::json::serialize(o);
    std::string path = write("val.json", text);
    result refit = run({"eval", "--data", path, "--json", "--threshold", "0.05"});
    ASSERT_EQ(refit.code, 0) << refit.err;
    EXPECT_EQ(json_number(refit.out, "in_scope_top1"), 1.0) << refit.out;
    result plain = run({"eval", "--data", path, "--json", "--threshold", "0.05", "--no-refit"});
    ASSERT_EQ(plain.code, 0) << plain.err;
    EXPECT_EQ(json_number(plain.out, "in_scope_top1"), 0.0) << plain.out;
    EXPECT_EQ(run({"eval", "--data", path, "--max-accuracy-loss", "0.01", "--json"}).code, 0);
    EXPECT_EQ(run({"eval", "--data", path, "--max-accuracy-loss", "-1"}).code, 2);
}

TEST_F(eval_command, errors_exit_with_1_and_a_message) {
    result missing = run({"eval", "--data", (dir_ / "nope.json").string()});
    EXPECT_EQ(missing.code, 1);
    EXPECT_NE(missing.err.find("cannot open"), std::string::npos);

    result bad = run({"eval", "--data", write("bad.json", "{\"train\": [[\"a\", \"b\"]")});
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.err.find("invalid JSON"), std::string::npos) << bad.err;

    result no_test = run({"eval", "--data", write("nt.json", R"({"train": [["a b", "x"]]})")});
    EXPECT_EQ(no_test.code, 1);
    EXPECT_NE(no_test.err.find("\"test\""), std::string::npos) << no_test.err;

    result no_train = run({"eval", "--data", write("nr.json", R"({"test": [["a b", "x"]]})")});
    EXPECT_EQ(no_train.code, 1);
    EXPECT_NE(no_train.err.find("\"train\""), std::string::npos) << no_train.err;

    result shape = run(
        {"eval", "--data", write("shape.json", R"({"train": [["a", 3]], "test": [["a", "x"]]})")});
    EXPECT_EQ(shape.code, 1);
    EXPECT_NE(shape.err.find("expected [text, intent]"), std::string::npos) << shape.err;

    result only_oos =
        run({"eval", "--data",
             write("oos.json", R"({"train": [["a b", "oos"]], "test": [["a", "x"]]})")});
    EXPECT_EQ(only_oos.code, 1);
    EXPECT_NE(only_oos.err.find("cannot train"), std::string::npos) << only_oos.err;

    EXPECT_EQ(run({"eval", "--data", write("arr.json", "[1, 2]")}).code, 1);
}

TEST_F(eval_command, usage) {
    result help = run({"--help"});
    EXPECT_EQ(help.code, 0);
    EXPECT_NE(help.out.find("guichet nlu eval --data"), std::string::npos);
    EXPECT_NE(help.out.find("usage (fr)"), std::string::npos);
    EXPECT_EQ(run({}).code, 2);
    EXPECT_EQ(run({"frobnicate"}).code, 2);
    EXPECT_EQ(run({"eval"}).code, 2);
    EXPECT_EQ(run({"eval", "--data"}).code, 2);
    EXPECT_EQ(run({"eval", "--data", "x.json", "--threshold", "abc"}).code, 2);
}

// 15 CLINC150 intents (40 examples each) + out-of-scope, copied with their licence.
TEST(eval_clinc150, subset_in_repository) {
    std::string path = std::string(GUICHET_NLU_TEST_DATA) + "/clinc150_subset.json";
    result r = run({"eval", "--data", path, "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_GE(json_number(r.out, "in_scope_accuracy"), 0.85) << r.out;
    EXPECT_GE(json_number(r.out, "oos_recall"), 0.4) << r.out;
    EXPECT_LE(json_number(r.out, "classify_median_us"), 200.0) << r.out;
}

// 40 intents of the full dev file: train on train, evaluate on val (the dev file has no test).
TEST(eval_clinc150, shared_dev_file) {
    fs::path dev = fs::path(GUICHET_SHARED_DIR) / "data/clinc150/clinc150_dev.json";
    if (!fs::exists(dev)) GTEST_SKIP() << "skipped: " << dev << " is absent (no ../shared folder)";
    std::ifstream in(dev);
    std::stringstream buf;
    buf << in.rdbuf();
    boost::json::object d = boost::json::parse(buf.str()).as_object();
    std::set<std::string> intents;
    for (const auto& e : d["train"].as_array())
        intents.insert(std::string(e.as_array()[1].as_string()));
    std::set<std::string> kept;
    for (const std::string& i : intents)
        if (kept.size() < 40) kept.insert(i);
    auto filter = [&](const boost::json::array& a) {
        boost::json::array r;
        for (const auto& e : a)
            if (kept.count(std::string(e.as_array()[1].as_string()))) r.push_back(e);
        return r;
    };
    boost::json::object sub;
    sub["train"] = filter(d["train"].as_array());
    sub["test"] = filter(d["val"].as_array());
    sub["oos_train"] = d["oos_train"];
    sub["oos_test"] = d["oos_val"];
    fs::path tmp = fs::temp_directory_path() /
                   ("guichet_nlu_dev_" + std::to_string(std::random_device{}()) + ".json");
    std::ofstream(tmp) << boost::json::serialize(sub);
    result r = run({"eval", "--data", tmp.string(), "--json"});
    fs::remove(tmp);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_GE(json_number(r.out, "in_scope_accuracy"), 0.88) << r.out;
    EXPECT_GE(json_number(r.out, "oos_recall"), 0.4) << r.out;
}

}  // namespace
}  // namespace guichet::nlu
