// Slot validation declared in intent files: `validate:` + `hint:` are read into the model,
// every mistake in a rule is reported at file:line:column, and check_slot_value accepts or
// refuses answers as the guide (intents/README.md) says.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "intents/intents.h"

namespace guichet::intents {
namespace {

namespace fs = std::filesystem;

struct site_dir {
    fs::path dir = fs::temp_directory_path() /
                   ("guichet_slot_rules_" + std::to_string(::getpid()) + "_" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::path file = dir / "fr" / "form.yaml";
    explicit site_dir(const std::string& slots) {
        fs::remove_all(dir);
        fs::create_directories(dir / "fr");
        std::ofstream(file) << "intent: form.fill\nanswer: merci\nexamples:\n  - je remplis\n"
                               "slots:\n"
                            << slots;
    }
    ~site_dir() { fs::remove_all(dir); }
    load_result load() const { return load_intents(dir, {}); }
    std::vector<std::string> problems() const {
        std::vector<std::string> out;
        for (auto& p : load().problems) out.push_back(p.str());
        return out;
    }
    std::string at(const std::string& rest) const { return file.string() + rest; }
};

const slot_spec& slot_of(const load_result& r, const std::string& name) {
    return r.value.intents.at(0).langs.at("fr").slots.at(name);
}

TEST(slot_rules, rules_and_hint_are_read) {
    site_dir s(
        "  where: { entity: street, required: true, ask: \"Où ?\", position: true, validate: entity, "
        "hint: \"Une rue de la commune ?\" }\n"
        "  n: { entity: number, validate: { min: 1, max: 12 }, hint: \"Entre 1 et 12.\" }\n"
        "  code: { entity: postcode, validate: { pattern: \"45\\\\d{3}\" }, hint: \"45…\" }\n"
        "  bins: { entity: number, validate: { one_of: [\"1\", deux] }, hint: \"1 ou deux\" }\n");
    auto r = s.load();
    ASSERT_TRUE(r.ok()) << r.problems.front().str();
    EXPECT_TRUE(slot_of(r, "where").validate.entity);
    EXPECT_TRUE(slot_of(r, "where").position);
    EXPECT_FALSE(slot_of(r, "n").position);
    EXPECT_EQ(slot_of(r, "where").hint, "Une rue de la commune ?");
    EXPECT_TRUE(slot_of(r, "n").validate.has_min);
    EXPECT_EQ(slot_of(r, "n").validate.max, 12);
    EXPECT_EQ(slot_of(r, "code").validate.pattern, "45\\d{3}");
    EXPECT_EQ(slot_of(r, "bins").validate.one_of, (std::vector<std::string>{"1", "deux"}));
}

TEST(slot_rules, a_bad_regular_expression_is_reported_at_its_character) {
    site_dir s("  code: { entity: postcode, validate: { pattern: \"45(\\\\d\" }, hint: \"45…\" }\n");
    auto p = s.problems();
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].rfind(s.at(":6:")), 0u) << p[0];
    EXPECT_NE(p[0].find("'pattern' is not a valid regular expression: U_REGEX_MISMATCHED_PAREN"),
              std::string::npos)
        << p[0];
}

TEST(slot_rules, every_mistake_in_a_rule_has_its_position) {
    site_dir s(
        "  a: { entity: number, validate: { min: 5, max: 2 }, hint: h }\n"           // line 6
        "  b: { entity: street, validate: { min: 1 }, hint: h }\n"                   // line 7
        "  c: { entity: street, validate: { patern: x }, hint: h }\n"                // line 8
        "  d: { entity: street, validate: entity }\n"                                // line 9
        "  e: { entity: street, hint: h }\n"                                         // line 10
        "  f: { entity: street, validate: entiti, hint: h }\n"                       // line 11
        "  g: { entity: number, validate: { max: beaucoup }, hint: h }\n"            // line 12
        "  i: { entity: number, validate: { one_of: [] }, hint: h }\n");             // line 13
    EXPECT_EQ(s.problems(),
              (std::vector<std::string>{
                  s.at(":6:36: 'min' is greater than 'max'"),
                  s.at(":7:24: 'min' and 'max' are for a slot with 'entity: number' (this one is "
                       "'street')"),
                  s.at(":8:36: unknown key 'patern' (did you mean 'pattern'?); allowed keys: "
                       "pattern, min, max, one_of"),
                  s.at(":9:3: slot 'd' has 'validate:' but no 'hint:' (what to say when the answer "
                       "is wrong)"),
                  s.at(":10:3: slot 'e' has 'hint:' but no 'validate:' rule"),
                  s.at(":11:34: 'validate' must be 'entity' or { pattern: ..., min: ..., max: ..., "
                       "one_of: [...] } (did you mean 'entity'?)"),
                  s.at(":12:41: 'max' must be a number"),
                  s.at(":13:36: 'one_of' is an empty list"),
              }));
}

TEST(slot_rules, answers_are_checked) {
    slot_spec street;
    street.entity = "street";
    street.validate.entity = true;
    EXPECT_EQ(check_slot_value(street, "rue_jean_jaures", true), "rue_jean_jaures");
    EXPECT_FALSE(check_slot_value(street, "rue de Nulle Part", false));

    slot_spec n;
    n.entity = "number";
    n.validate.has_min = n.validate.has_max = true;
    n.validate.min = 1;
    n.validate.max = 12;
    EXPECT_TRUE(check_slot_value(n, "12", true));
    EXPECT_TRUE(check_slot_value(n, "2,5", false));
    EXPECT_FALSE(check_slot_value(n, "13", true));
    EXPECT_FALSE(check_slot_value(n, "0", true));
    EXPECT_FALSE(check_slot_value(n, "douze", false));

    slot_spec code;
    code.validate.pattern = "45\\d{3}";
    EXPECT_TRUE(check_slot_value(code, "45960", true));
    EXPECT_FALSE(check_slot_value(code, "75001", true));
    EXPECT_FALSE(check_slot_value(code, "459601", true));  // the whole value must match

    slot_spec choice;
    choice.validate.one_of = {"Après-midi", "matin"};
    EXPECT_EQ(check_slot_value(choice, " apres-midi !", false), "Après-midi");
    EXPECT_EQ(check_slot_value(choice, "MATIN", false), "matin");
    EXPECT_FALSE(check_slot_value(choice, "soir", false));

    slot_spec none;  // no rule: anything goes
    EXPECT_EQ(check_slot_value(none, "n'importe quoi", false), "n'importe quoi");
}

}  // namespace
}  // namespace guichet::intents
