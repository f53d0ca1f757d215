// One broken source folder per error kind (tests/kb/fixtures/…), each asserting the exact
// `file:line:column: message`.
#include <gtest/gtest.h>

#include <fstream>

#include "kb/builder.h"
#include "kb_test_support.h"

using namespace guichet::kb;

namespace {

std::string fixture(const std::string& name) { return std::string(GUICHET_KB_FIXTURES) + "/" + name; }

// The only diagnostic of checking fixture `name` (English messages).
std::string only_error(const std::string& name, opening_hours_validator v = {}) {
    build_options o;
    o.lang = "en";
    o.validate_opening_hours = std::move(v);
    build_result r = check(fixture(name), o);
    EXPECT_EQ(r.errors.size(), 1u) << name;
    std::string all;
    for (const auto& d : r.errors) all += d.str() + "\n";
    if (r.errors.size() != 1) return all;
    return r.errors[0].str();
}

// A stand-in for the hours component: rejects the made-up weekday "Mx".
std::optional<opening_hours_problem> reject_mx(std::string_view expr) {
    auto at = expr.find("Mx");
    if (at == std::string_view::npos) return std::nullopt;
    return opening_hours_problem{at, "unknown weekday 'Mx'", "jour inconnu 'Mx'"};
}

}  // namespace

TEST(kb_diagnostics, yaml_syntax) {
    EXPECT_EQ(only_error("yaml_syntax"),
              fixture("yaml_syntax") + "/places.yaml:4:13: YAML syntax error: end of map flow not found");
}

TEST(kb_diagnostics, unknown_key_suggests_closest) {
    EXPECT_EQ(only_error("unknown_key"),
              fixture("unknown_key") + "/places.yaml:8:5: unknown key 'phnoe' (did you mean 'phone'?)");
}

TEST(kb_diagnostics, wrong_type) {
    EXPECT_EQ(only_error("wrong_type"),
              fixture("wrong_type") + "/places.yaml:6:15: 'latitude' must be a number (e.g. 47.9025)");
}

TEST(kb_diagnostics, missing_required_field) {
    EXPECT_EQ(only_error("missing_field"),
              fixture("missing_field") + "/places.yaml:2:5: missing required field 'category'");
}

TEST(kb_diagnostics, duplicate_id_names_first_definition) {
    std::string f = fixture("duplicate_id") + "/places.yaml";
    EXPECT_EQ(only_error("duplicate_id"),
              f + ":8:9: duplicate id 'mairie' (first defined at " + f + ":2:9)");
}

// The same question (case and accents aside) in two FAQ entries: the FAQ could not choose.
// Columns count characters, as an editor shows them ("médecin" before it is 7 columns).
TEST(kb_diagnostics, duplicate_question_names_the_first_entry) {
    std::string f = fixture("duplicate_question") + "/faq.yaml";
    EXPECT_EQ(
        only_error("duplicate_question"),
        f + ":14:37: question 'Pharmacie de Garde' already asked at " + f +
            ":5:50 (pharmacie_garde): the FAQ could not tell which of the two answers to give");
}

// "?" as a question was the answer to any empty or punctuation-only message.
TEST(kb_diagnostics, question_without_a_word) {
    EXPECT_EQ(only_error("empty_question"),
              fixture("empty_question") +
                  "/faq.yaml:5:50: empty question '?': write the citizens' question, or remove the line");
}

// "banc" in two categories: the second was silently never chosen by it.
TEST(kb_diagnostics, report_keyword_of_two_categories) {
    std::string f = fixture("keyword_two_categories") + "/report_categories.yaml";
    EXPECT_EQ(only_error("keyword_two_categories"),
              f + ":10:21: keyword 'Banc' already given at " + f +
                  ":5:19 (espaces_verts): it would always choose the first of these categories; "
                  "keep it in one only");
}

TEST(kb_diagnostics, latitude_out_of_range) {
    EXPECT_EQ(only_error("latitude_range"),
              fixture("latitude_range") + "/places.yaml:6:15: 'latitude' out of range (-90 … 90): 97.5");
}

TEST(kb_diagnostics, bad_date) {
    EXPECT_EQ(only_error("bad_date"),
              fixture("bad_date") + "/faq.yaml:9:15: bad date '2026-02-30': expected YYYY-MM-DD (e.g. 2026-09-15)");
}

TEST(kb_diagnostics, bad_url) {
    EXPECT_EQ(only_error("bad_url"),
              fixture("bad_url") + "/places.yaml:8:10: bad URL 'htp:/mairie': expected an absolute http(s):// address");
}

TEST(kb_diagnostics, unknown_category_suggests_closest) {
    EXPECT_EQ(only_error("unknown_category"),
              fixture("unknown_category") + "/places.yaml:4:15: unknown category 'pisicne' (did you mean 'piscine'?)");
}

TEST(kb_diagnostics, street_in_two_zones_points_at_the_csv_cell) {
    EXPECT_EQ(only_error("street_two_zones"),
              fixture("street_two_zones") +
                  "/waste_streets.csv:4:1: street 'Rue Victor-Hugo' is already in zone 'nord' (line 2)");
}

TEST(kb_diagnostics, unknown_month_of_a_season_points_at_it) {
    EXPECT_EQ(only_error("unknown_month"),
              fixture("unknown_month") +
                  "/waste.yaml:7:24: unknown month 'avril-octobr' (January…December, or a period: "
                  "April-October)");
}

TEST(kb_diagnostics, registration_deadline_is_a_number_of_days) {
    EXPECT_EQ(only_error("register_days"),
              fixture("register_days") +
                  "/waste.yaml:8:31: 'register_days_before' must be a number of days, 1 to 60");
}

TEST(kb_diagnostics, alert_until_before_from) {
    EXPECT_EQ(only_error("alert_until_before_from"),
              fixture("alert_until_before_from") +
                  "/alerts.yaml:5:12: 'until' (2026-03-01 18:00) is before 'from' (2026-03-10 08:00)");
}

TEST(kb_diagnostics, opening_hours_column_inside_quoted_value) {
    // `    opening_hours: "Mo-Fr 08:30-12:00; Mx 09:00-12:00"`: the quote is column 20, "Mx" 40.
    EXPECT_EQ(only_error("opening_hours_quoted", reject_mx),
              fixture("opening_hours_quoted") + "/places.yaml:8:40: invalid opening_hours: unknown weekday 'Mx'");
}

TEST(kb_diagnostics, opening_hours_column_inside_plain_value) {
    EXPECT_EQ(only_error("opening_hours_plain", reject_mx),
              fixture("opening_hours_plain") + "/places.yaml:8:39: invalid opening_hours: unknown weekday 'Mx'");
}

TEST(kb_diagnostics, opening_hours_skipped_without_validator) {
    build_result r = check(fixture("opening_hours_quoted"));
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.counts.places, 1u);
}

TEST(kb_diagnostics, messages_are_french_by_default) {
    build_result r = check(fixture("unknown_key"));
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].message, "clé inconnue 'phnoe' (vouliez-vous dire 'phone' ?)");
}

TEST(kb_diagnostics, sample_commune_is_clean_with_a_strict_validator) {
    build_result r = check(GUICHET_KNOWLEDGE_DIR, {.validate_opening_hours = reject_mx});
    for (const auto& d : r.errors) ADD_FAILURE() << d.str();
}

TEST(kb_diagnostics, duplicate_key_in_one_entry) {
    EXPECT_EQ(only_error("duplicate_key"),
              fixture("duplicate_key") + "/places.yaml:8:5: duplicate key 'latitude'");
}

namespace {

const char* one_place =
    "places:\n"
    "  - id: mairie\n"
    "    name: { fr: Mairie, en: Town hall }\n"
    "    category: mairie\n"
    "    address: 1 place de la Mairie\n"
    "    latitude: 47.9\n"
    "    longitude: 1.9\n";

// A knowledge folder written at run time (a Latin-1 file in the repository would be "fixed"
// by the first editor that opens it).
struct scratch {
    guichet::kb::test::temp_dir dir;
    void write(const std::string& file, const std::string& text) const {
        std::filesystem::create_directories(std::filesystem::path(dir.file(file)).parent_path());
        std::ofstream(dir.file(file), std::ios::binary) << text;
    }
    std::vector<std::string> errors(const std::string& lang = "en") const {
        build_options o;
        o.lang = lang;
        std::vector<std::string> out;
        for (const auto& d : check(dir.path().string(), o).errors) out.push_back(d.str());
        return out;
    }
    std::string at(const std::string& file) const { return dir.file(file); }
};

}  // namespace

// Every knowledge file saved in another encoding is refused at its first bad byte, as intent
// files are; YAML and CSV alike.
TEST(kb_diagnostics, a_file_that_is_not_utf8_is_refused_where_it_stops_being) {
    scratch s;
    s.write("places.yaml", std::string(one_place) + "    city: Saint-\xC9tienne\n");
    s.write("faq/etat_civil.yaml", "faq:\n  - id: x\n    topic: \xE9tat\n");
    s.write("waste_streets.csv", "rue;zone\nrue de l'\xC9glise;nord\n");
    EXPECT_EQ(s.errors(), (std::vector<std::string>{
                              s.at("places.yaml") +
                                  ":8:17: not valid UTF-8 (byte 0xC9); save the file as UTF-8",
                              s.at("faq/etat_civil.yaml") +
                                  ":3:12: not valid UTF-8 (byte 0xE9); save the file as UTF-8",
                              s.at("waste_streets.csv") +
                                  ":2:10: not valid UTF-8 (byte 0xC9); save the file as UTF-8"}));
    EXPECT_EQ(s.errors("fr")[0],
              s.at("places.yaml") +
                  ":8:17: UTF-8 invalide (octet 0xC9) : enregistrez le fichier en UTF-8");
}

// A byte-order mark and Windows line endings are UTF-8 still, and positions stay right.
TEST(kb_diagnostics, a_bom_and_crlf_keep_positions) {
    scratch s;
    std::string crlf = std::string("\xEF\xBB\xBF") + one_place + "    phnoe: 02 38 45 10 00\n";
    for (std::size_t at = 0; (at = crlf.find('\n', at)) != std::string::npos; at += 2)
        crlf.replace(at, 1, "\r\n");
    s.write("places.yaml", crlf);
    EXPECT_EQ(s.errors(),
              std::vector<std::string>{s.at("places.yaml") +
                                       ":8:5: unknown key 'phnoe' (did you mean 'phone'?)"});
}

// An empty file is a mistake (saved blank, a paste that failed): said, not skipped.
TEST(kb_diagnostics, empty_files_are_reported) {
    scratch s;
    s.write("places.yaml", "# rien\n");
    s.write("faq/x.yaml", "");
    s.write("waste_streets.csv", "");
    EXPECT_EQ(s.errors(),
              (std::vector<std::string>{
                  s.at("places.yaml") + ": empty file (expected 'places:' and its entries)",
                  s.at("faq/x.yaml") + ": empty file (expected 'faq:' and its entries)",
                  s.at("waste_streets.csv") +
                      ": empty file (expected the header 'street;zone', then one street a line)"}));
    s.write("waste_streets.csv", "rue;zone\n");
    s.write("places.yaml", one_place);
    s.write("faq/x.yaml", "faq: []\n");
    EXPECT_EQ(s.errors(), std::vector<std::string>{s.at("waste_streets.csv") +
                                                   ":1:1: no street under the header"});
    // Saved with tabs by a spreadsheet: said so (it said the header lacked its columns).
    s.write("waste_streets.csv", "rue\tzone\nrue Pasteur\tnord\n");
    EXPECT_EQ(s.errors(), std::vector<std::string>{
                              s.at("waste_streets.csv") +
                              ":1:1: the columns are separated by tabs: the separator must be a "
                              "semicolon (street;zone; in a spreadsheet, save as CSV with "
                              "semicolons)"});
}

// Files that look like sources but are not read: the build goes on, `check` reports them.
TEST(kb_diagnostics, files_that_are_not_read_are_warnings) {
    scratch s;
    s.write("Places.yml", one_place);
    s.write("faq/passeport.yaml.txt", "faq: []\n");
    s.write("Alerts.YAML", "alerts: []\n");
    s.write("horaires.yaml", "x: 1\n");
    s.write("README.md", "# notes\n");
    build_options o;
    o.lang = "en";
    auto r = check(s.dir.path().string(), o);
    EXPECT_TRUE(r.errors.empty());
    std::vector<std::string> w;
    for (const auto& d : r.warnings) w.push_back(d.str());
    const std::string all =
        ": ignored: not a knowledge file (places.yaml, faq/*.yaml, waste.yaml, "
        "waste_streets.csv, alerts.yaml, report_categories.yaml, school_holidays.yaml)";
    EXPECT_EQ(w, (std::vector<std::string>{
                     s.at("Alerts.YAML") +
                         ": ignored (only .yaml or .yml files, and waste_streets.csv, are read "
                         "here; rename it alerts.yaml)",
                     s.at("Places.yml") +
                         ": ignored (only .yaml or .yml files, and waste_streets.csv, are read "
                         "here; rename it places.yml)",
                     s.at("faq/passeport.yaml.txt") +
                         ": ignored (only .yaml or .yml files, and waste_streets.csv, are read "
                         "here; rename it passeport.yaml)",
                     s.at("horaires.yaml") + all}));
}

// YAML's other extension is read, as for intent files: an FAQ file renamed .yml by an editor
// dropped its entries from the live site, with a warning in the log only.
TEST(kb_diagnostics, yml_files_are_read_like_yaml_files) {
    scratch s;
    s.write("places.yml", one_place);
    build_options o;
    o.lang = "en";
    auto r = check(s.dir.path().string(), o);
    EXPECT_TRUE(r.errors.empty());
    EXPECT_TRUE(r.warnings.empty());
    EXPECT_EQ(r.counts.places, 1u);
}

// Alerts naming places when there is no places.yaml: the missing file is said first, not a
// list of "unknown place" that hides it. The rest of a file's problems come in line order.
TEST(kb_diagnostics, no_places_is_said_first_and_problems_come_in_line_order) {
    scratch s;
    s.write("alerts.yaml",
            "alerts:\n"
            "  - id: piscine_fermee\n"
            "    message: { fr: Fermée., en: Closed. }\n"
            "    from: 2026-03-10 08:00\n"
            "    until: 2026-03-01 18:00\n"
            "    places: [piscine]\n"
            "    categories: [piscin]\n");
    EXPECT_EQ(
        s.errors(),
        (std::vector<std::string>{
            s.at("places.yaml") + ": missing file: no place is defined, but alerts name places",
            s.at("alerts.yaml") +
                ":5:12: 'until' (2026-03-01 18:00) is before 'from' (2026-03-10 08:00)",
            s.at("alerts.yaml") + ":7:17: unknown category 'piscin' (did you mean 'piscine'?)"}));
}

// Phone numbers: French (10 digits), +33, another country's, short numbers; the rest is
// refused at the character that has no place in a number.
TEST(kb_diagnostics, phone_numbers_are_checked) {
    for (const char* ok : {"02 38 45 10 00", "02.38.45.10.00", "02-38-45-10-00",
                           "+33 2 38 45 10 00", "+44 20 7946 0958", "15", "112", "3114", "3939"}) {
        scratch s;
        s.write("places.yaml", std::string(one_place) + "    phone: " + ok + "\n");
        EXPECT_TRUE(s.errors().empty()) << ok;
    }
    const std::string expected =
        ": expected 10 digits (02 38 45 10 00), +33 …, or a short number (15, 3114)";
    for (auto [bad, column] : {std::pair{"02 38 45 1O 00", 22},
                               {"appeler le standard", 12},
                               {"02 38 45 10", 12},
                               {"+33 2 38 45 10", 12}}) {
        scratch s;
        s.write("places.yaml", std::string(one_place) + "    phone: " + bad + "\n");
        EXPECT_EQ(s.errors(),
                  std::vector<std::string>{s.at("places.yaml") + ":8:" + std::to_string(column) +
                                           ": bad phone number '" + bad + "'" + expected});
    }
}

TEST(kb_diagnostics, a_postcode_has_five_digits) {
    scratch s;
    s.write("places.yaml", std::string(one_place) + "    postcode: \"4596\"\n");
    EXPECT_EQ(s.errors(), std::vector<std::string>{
                              s.at("places.yaml") +
                              ":8:15: bad postcode '4596': expected 5 digits (e.g. 45960)"});
}

// `fr: Attention : la carte…` unquoted: YAML's terse message gets the quoting hint.
TEST(kb_diagnostics, a_text_with_a_colon_gets_the_quoting_hint) {
    scratch s;
    s.write("faq/x.yaml",
            "faq:\n  - id: carte\n    answer:\n      fr: Attention : la carte est gratuite.\n");
    EXPECT_EQ(s.errors("fr"), std::vector<std::string>{
                                  s.at("faq/x.yaml") +
                                  ":4:21: erreur de syntaxe YAML : « : » inattendu (mettez le "
                                  "texte entre guillemets \"…\" s'il contient ' : ')"});
}

// A tab before a "-" in an FAQ file: yaml-cpp speaks of a misplaced "-"; the tab is named.
TEST(kb_diagnostics, a_tab_in_the_indentation_is_named) {
    scratch s;
    s.write("faq/x.yaml", "faq:\n  - id: carte\n    questions:\n      fr:\n\t- la carte\n");
    const auto errors = s.errors("fr");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("(une tabulation dans l'indentation : indentez avec des espaces)"),
              std::string::npos)
        << errors[0];
}

// `fr: Tarif 35 € par an #tarif2027 : 40 €` unquoted: YAML read "Tarif 35 € par an" and the
// rest as a comment, silently; an error at the text now. Quoted, the # is text.
TEST(kb_diagnostics, a_text_cut_by_a_comment_is_an_error) {
    scratch s;
    s.write("faq/x.yaml",
            "faq:\n  - id: tarif\n    topic: sport\n    questions: { fr: [\"tarif piscine\"], en: [\"pool price\"] }\n"
            "    answer:\n      fr: Tarif 35 € par an #tarif2027 : 40 €\n"
            "      en: \"Price: 35 € a year #2027\"\n"
            "    source: https://www.example.org/tarifs\n    reviewed: 2026-04-30\n");
    std::vector<std::string> errors;  // (the entry's other fields are not what is tested)
    for (auto& e : s.errors("fr"))
        if (e.find("commentaire") != std::string::npos) errors.push_back(e);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0], s.at("faq/x.yaml") +
                             ":6:11: le texte s'arrête avant « #tarif2027 : 40 € » : en YAML, # "
                             "après une espace commence un commentaire ; mettez tout le texte "
                             "entre guillemets \"…\"");
}

// `{school_holidays}` in an FAQ answer is filled with the coming periods: it needs the
// calendar. `{seasonal_places}` needs nothing. Any other "{…}" would reach citizens as written.
TEST(kb_diagnostics, faq_placeholders_are_known_and_have_their_data) {
    scratch s;
    s.write("faq/x.yaml",
            "faq:\n  - id: vacances\n    topic: ecoles\n"
            "    questions: { fr: [\"vacances scolaires\"], en: [\"school holidays\"] }\n"
            "    answer:\n      fr: \"Zone B.\\n{school_holidays}\"\n"
            "      en: \"Zone B. {seasonal_places} {vacances} {school_holidays\"\n"
            "    source: https://www.example.org/calendrier\n    reviewed: 2026-04-30\n    owner: enfance\n");
    EXPECT_EQ(s.errors(),
              (std::vector<std::string>{
                  s.at("faq/x.yaml") + ":6:7: unknown placeholder '{vacances}' in the answer: the only "
                                       "ones are {school_holidays} (the coming school holidays) and "
                                       "{seasonal_places} (the places open for a season in the period asked)",
                  s.at("faq/x.yaml") + ":6:7: unknown placeholder '{school_holidays' in the answer: "
                                       "the only ones are {school_holidays} (the coming school holidays) and "
                                       "{seasonal_places} (the places open for a season in the period asked)",
                  s.at("faq/x.yaml") + ":6:7: {school_holidays}: no period in "
                                       "knowledge/school_holidays.yaml"}));
    s.write("faq/x.yaml",
            "faq:\n  - id: vacances\n    topic: ecoles\n"
            "    questions: { fr: [\"vacances scolaires\"], en: [\"school holidays\"] }\n"
            "    answer:\n      fr: \"Zone B.\\n{school_holidays}\"\n      en: \"Zone B. {school_holidays}\"\n"
            "    source: https://www.example.org/calendrier\n    reviewed: 2026-04-30\n    owner: enfance\n");
    s.write("school_holidays.yaml",
            "school_holidays:\n"
            "  - name: { fr: vacances de Noël, en: Christmas holidays }\n"
            "    from: 2026-12-19\n"
            "    back: 2027-01-04\n");
    EXPECT_TRUE(s.errors().empty()) << s.errors().front();
}

// An FAQ answer's `report:` is a category of report_categories.yaml (a place given after the
// answer files that report): a slip is said with the closest code; without the file, only
// "autre" exists.
TEST(kb_diagnostics, an_faq_answers_report_category_is_known) {
    scratch s;
    const std::string entry =
        "faq:\n  - id: deneigement\n    topic: vie_pratique\n"
        "    questions: { fr: [\"verglas\"], en: [\"black ice\"] }\n"
        "    answer: { fr: \"Signalez-le-moi avec la rue.\", en: \"Report it with the street.\" }\n"
        "    source: https://www.example.org/hiver\n    reviewed: 2026-11-29\n    owner: st\n";
    s.write("faq/x.yaml", entry + "    report: voiri\n");
    EXPECT_EQ(s.errors(), (std::vector<std::string>{
                              s.at("faq/x.yaml") + ":9:13: unknown report category 'voiri': the "
                                                   "categories are in report_categories.yaml"}));
    s.write("report_categories.yaml",
            "report_categories:\n  - code: voirie\n    name: { fr: Voirie, en: Roads }\n"
            "    keywords: { fr: [trou], en: [hole] }\n"
            "  - code: autre\n    name: { fr: Autre problème, en: Other problem }\n");
    EXPECT_EQ(s.errors(), (std::vector<std::string>{
                              s.at("faq/x.yaml") + ":9:13: unknown report category 'voiri' (did "
                                                   "you mean 'voirie'?): the categories are in "
                                                   "report_categories.yaml"}));
    s.write("faq/x.yaml", entry + "    report: voirie\n");
    EXPECT_TRUE(s.errors().empty()) << s.errors().front();
}

// A question indented under the one above, without its dash, is folded by YAML into it
// ("pharmacie de garde ouverte dimanche" — one question the FAQ would never match): said at
// that line, French by default, English for the server's log. A quoted question may span
// lines on purpose.
TEST(kb_diagnostics, a_question_folded_into_the_one_above_is_located) {
    scratch s;
    s.write("faq/x.yaml",
            "faq:\n  - id: garde\n    topic: vie_pratique\n    questions:\n      fr:\n"
            "        - pharmacie de garde\n"
            "          ouverte dimanche   # oubli du tiret\n"
            "        - \"quelle pharmacie est\n          ouverte\"\n"
            "      en: [pharmacy on duty]\n"
            "    answer: { fr: Le 3237., en: Call 3237. }\n"
            "    source: https://www.3237.fr\n    reviewed: 2026-11-29\n    owner: accueil\n");
    EXPECT_EQ(s.errors("fr"),
              std::vector<std::string>{s.at("faq/x.yaml") +
                                       ":7:11: cette ligne est rattachée au texte du dessus : YAML "
                                       "lit « pharmacie de garde ouverte dimanche » comme un seul "
                                       "élément ; commencez la ligne par « - » pour en faire un "
                                       "autre"});
    EXPECT_EQ(s.errors("en"),
              std::vector<std::string>{s.at("faq/x.yaml") +
                                       ":7:11: this line is joined to the text above: YAML reads "
                                       "\"pharmacie de garde ouverte dimanche\" as one item; start "
                                       "the line with \"- \" to make it a separate one"});
}

// The intents alerts are limited to are known to the intent files: `guichet check` matches
// them, suggesting the intent whose name is close or which has that word as a pattern.
TEST(kb_diagnostics, an_alert_naming_an_unknown_intent) {
    scratch s;
    s.write("alerts.yaml",
            "alerts:\n"
            "  - id: fermeture\n"
            "    message: { fr: Fermé., en: Closed. }\n"
            "    from: 2026-03-01 08:00\n"
            "    until: 2026-03-10 18:00\n"
            "    intents: [hours.open, horaires, hours.opne, zzz]\n");
    build_options o;
    o.lang = "en";
    auto r = check(s.dir.path().string(), o);
    ASSERT_TRUE(r.ok());
    check_alert_intents(r, {"hours.open", "waste.days"}, {{"horaires", "hours.open"}}, o);
    std::vector<std::string> e;
    for (const auto& d : r.errors) e.push_back(d.str());
    const auto f = s.at("alerts.yaml");
    EXPECT_EQ(e, (std::vector<std::string>{
                     f + ":6:27: unknown intent 'horaires' (did you mean 'hours.open'?)",
                     f + ":6:37: unknown intent 'hours.opne' (did you mean 'hours.open'?)",
                     f + ":6:49: unknown intent 'zzz'"}));
}

// Latitude and longitude swapped are both in range, and put the place in the Indian Ocean:
// a place over 50 km from the others is said, with the likely cause.
TEST(kb_diagnostics, a_place_far_from_the_others_is_said_with_swapped_coordinates_suspected) {
    EXPECT_EQ(only_error("swapped_position"),
              fixture("swapped_position") +
                  "/places.yaml:18:15: 'stade' is 6744 km from the other places: latitude and "
                  "longitude swapped?");
}

// School holidays: `SH` in a place's hours needs knowledge/school_holidays.yaml (without it
// a school would be said open in the holidays); each period is checked.
TEST(kb_diagnostics, school_holidays_are_needed_by_sh_and_checked) {
    scratch s;
    s.write("places.yaml", std::string(one_place) + "    opening_hours: \"Mo-Fr 08:30-12:00; SH off\"\n");
    EXPECT_EQ(s.errors(), std::vector<std::string>{s.at("places.yaml") +
                                                   ":8:40: SH (school holidays): no period in "
                                                   "knowledge/school_holidays.yaml"});
    s.write("school_holidays.yaml",
            "school_holidays:\n"
            "  - name: { fr: vacances de Noël, en: Christmas holidays }\n"
            "    from: 2026-12-19\n"
            "    back: 2027-01-04\n");
    EXPECT_TRUE(s.errors().empty());
    s.write("school_holidays.yaml",
            "school_holidays:\n"
            "  - name: { fr: vacances de Noël, en: Christmas holidays }\n"
            "    from: 2026-12-19\n"
            "    back: 2027-01-04\n"
            "  - name: { fr: vacances d'hiver, en: winter half-term }\n"
            "    from: 2027-02-31\n"
            "    back: 2027-03-08\n"
            "  - name: { fr: vacances de printemps, en: spring half-term }\n"
            "    from: 2027-04-17\n"
            "    back: 2028-05-03\n"
            "  - name: { fr: Noël encore, en: Christmas again }\n"
            "    from: 2027-01-02\n"
            "    back: 2027-01-05\n"
            "  - name: { fr: été, en: summer }\n"
            "    form: 2027-07-03\n");
    EXPECT_EQ(s.errors(),
              (std::vector<std::string>{
                  s.at("school_holidays.yaml") + ":6:11: invalid date '2027-02-31' (expected YYYY-MM-DD)",
                  s.at("school_holidays.yaml") + ":10:11: classes resuming on '2028-05-03' must come after the "
                                                 "first day off '2027-04-17', 100 days at most",
                  s.at("school_holidays.yaml") + ":12:11: period overlapping 'Christmas holidays' (2026-12-19 – "
                                                 "2027-01-03)",
                  s.at("school_holidays.yaml") + ":14:5: missing required field 'from'",
                  s.at("school_holidays.yaml") + ":14:5: missing required field 'back'",
                  s.at("school_holidays.yaml") + ":15:5: unknown key 'form' (did you mean 'from'?)"}));
}

namespace {

// 2 December 2026, 11:00 in Paris: "today" for the checks of dated content.
constexpr std::int64_t december_2nd_2026 = 1796205600;

// The notices (content that changes nothing or is out of date) and errors of checking `s`.
std::pair<std::vector<std::string>, std::vector<std::string>> notices_and_errors(
    const scratch& s, const std::string& lang = "en") {
    build_options o;
    o.lang = lang;
    o.now = december_2nd_2026;
    auto r = check(s.dir.path().string(), o);
    std::vector<std::string> notices, errors;
    for (const auto& d : r.notices) notices.push_back(d.str());
    for (const auto& d : r.errors) errors.push_back(d.str());
    return {notices, errors};
}

}  // namespace

// A collection change that changes nothing was accepted silently: one in the past, one for a
// day that stream is not collected (1 May 2027 is a Saturday; recycling is on even Wednesdays),
// the same change twice. Each is a notice at its date; two different changes of the same
// collection contradict each other (only the first counts): an error.
TEST(kb_diagnostics, collection_changes_that_change_nothing_are_said) {
    scratch s;
    s.write("waste.yaml",
            "zones:\n"
            "  - id: nord\n"
            "    name: { fr: Nord, en: North }\n"
            "    collections:\n"
            "      - stream: ordures\n"
            "        days: [Mo, Th]\n"
            "      - stream: recyclables\n"
            "        days: [We]\n"
            "        weeks: paires\n"
            "exceptions:\n"
            "  - date: 2026-11-30\n"
            "    moved_to: 2026-12-01\n"
            "  - date: 2027-05-01\n"
            "    stream: recyclables\n"
            "  - date: 2026-12-24\n"
            "    moved_to: 2026-12-26\n"
            "  - date: 2026-12-24\n"
            "    moved_to: 2026-12-26\n"
            "  - date: 2026-12-24\n"
            "    stream: ordures\n"
            "  - date: 2026-12-31\n"
            "    zone: nord\n"
            "    moved_to: 2027-01-02\n"
            "  - date: 2026-12-31\n"
            "    moved_to: 2027-01-04\n"
            "  - date: 2026-12-16\n"
            "    stream: recyclables\n"
            "  - date: 2026-12-09\n"
            "    stream: recyclables\n"
            "    zone: nord\n");
    const auto f = s.at("waste.yaml");
    auto [notices, errors] = notices_and_errors(s);
    EXPECT_EQ(notices,
              (std::vector<std::string>{
                  f + ":11:11: collection change of 2026-11-30 in the past: it changes nothing any "
                      "more (delete it)",
                  f + ":13:11: no zone has a 'recyclables' collection on Saturday 2027-05-01: this "
                      "change changes nothing; check its date, stream and zone",
                  f + ":17:11: this change of 2026-12-24 is already written on line 15: it changes "
                      "nothing (delete it)",
                  f + ":26:11: no zone has a 'recyclables' collection on Wednesday 2026-12-16: this "
                      "change changes nothing; check its date, stream and zone"}));
    EXPECT_EQ(errors, (std::vector<std::string>{
                          f + ":24:11: contradictory changes of the collection of 2026-12-31: line "
                              "21 moves it to 2027-01-02, this one moves it to 2027-01-04; only the "
                              "first counts, keep the right one"}));
    // In French, as staff read them.
    std::tie(notices, errors) = notices_and_errors(s, "fr");
    ASSERT_EQ(notices.size(), 4u);
    EXPECT_EQ(notices[1], f + ":13:11: aucune zone n'a de collecte 'recyclables' le samedi "
                              "2027-05-01 : ce changement ne change rien ; vérifiez sa date, son "
                              "flux et sa zone");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0], f + ":24:11: changements contradictoires pour la collecte du 2026-12-31 : "
                             "la ligne 21 la décale au 2027-01-02, celle-ci la décale au "
                             "2027-01-04 ; seul le premier compte, gardez le bon");
}

// An alert that has ended, an FAQ entry "reviewed" in the future (a typo: citizens read
// "mis à jour le" that date) or over a year ago passed `check` without a word: notices.
TEST(kb_diagnostics, an_ended_alert_and_review_dates_out_of_time_are_said) {
    scratch s;
    s.write("alerts.yaml",
            "alerts:\n"
            "  - id: travaux\n"
            "    message: { fr: Fermé., en: Closed. }\n"
            "    from: 2026-11-01 08:00\n"
            "    until: 2026-12-01 18:00\n"
            "  - id: hiver\n"
            "    message: { fr: Fermé., en: Closed. }\n"
            "    from: 2026-11-01 08:00\n"
            "    until: 2026-12-31 18:00\n");
    std::string faq = "faq:\n";
    for (auto [id, reviewed] : {std::pair{"futur", "2027-12-01"}, std::pair{"ancien", "2025-12-01"},
                                std::pair{"un_an", "2025-12-02"}})
        faq += std::string("  - id: ") + id + "\n    topic: vie_pratique\n"
               "    questions: { fr: [\"question " + id + "\"], en: [\"question " + id + "\"] }\n"
               "    answer: { fr: Réponse., en: Answer. }\n"
               "    source: https://www.example.org/x\n"
               "    reviewed: " + reviewed + "\n    owner: accueil\n";
    s.write("faq/x.yaml", faq);
    auto [notices, errors] = notices_and_errors(s);
    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_EQ(notices,
              (std::vector<std::string>{
                  s.at("faq/x.yaml") + ":7:15: review date 2027-12-01 is still to come: a typo? (the "
                                       "answer tells citizens \"updated\" with that date)",
                  s.at("faq/x.yaml") + ":14:15: reviewed over a year ago (2025-12-01): read the "
                                       "answer and its source again, then update the date",
                  s.at("alerts.yaml") + ":5:12: alert ended (2026-12-01 18:00): it is no longer "
                                        "shown (delete it, or change 'until' if it must go on)"}));
}

// A tab before `phone:` of a place: yaml-cpp's "illegal tab" said once, in French, naming the
// fix (it said it twice: "… (tab interdite) (une tabulation dans l'indentation : …)").
TEST(kb_diagnostics, a_tab_before_a_key_is_said_once) {
    scratch s;
    s.write("places.yaml", std::string(one_place) + "\tphone: 02 38 45 10 00\n");
    EXPECT_EQ(s.errors("fr"), std::vector<std::string>{
                                  s.at("places.yaml") +
                                  ":8:1: erreur de syntaxe YAML : tabulation dans "
                                  "l'indentation : indentez avec des espaces"});
    EXPECT_EQ(s.errors(), std::vector<std::string>{s.at("places.yaml") +
                                                   ":8:1: YAML syntax error: a tab in the "
                                                   "indentation: indent with spaces"});
}

// An unknown category or FAQ topic ("ludotheque", "noel") was said alone: the nearest is
// named, by its id or one of its names ("bibliotheque": mediatheque), else every valid id.
TEST(kb_diagnostics, an_unknown_category_or_topic_names_the_nearest_or_all) {
    scratch s;
    auto place_of = [](const std::string& category) {
        std::string p = one_place;
        p.replace(p.find("category: mairie"), 16, "category: " + category);
        return p;
    };
    s.write("places.yaml", place_of("ludotheque"));
    EXPECT_EQ(s.errors("fr"),
              std::vector<std::string>{
                  s.at("places.yaml") +
                  ":4:15: catégorie inconnue 'ludotheque' : écrivez l'une de : mairie, "
                  "mairie_annexe, service_municipal, mediatheque, piscine, dechetterie, gymnase, "
                  "ecole, creche, poste, ccas, police_municipale, cimetiere, marche, parc, stade, "
                  "office_tourisme, point_d_apport_volontaire, salle_municipale, parking, "
                  "stationnement_velo, toilettes, defibrillateur, aire_de_jeux, borne_recharge, "
                  "transport"});
    s.write("places.yaml", place_of("bibliotheque"));
    EXPECT_EQ(s.errors(), std::vector<std::string>{
                              s.at("places.yaml") +
                              ":4:15: unknown category 'bibliotheque' (did you mean 'mediatheque'?)"});
    s.write("places.yaml", place_of("salle_des_fetes"));
    EXPECT_EQ(s.errors("fr"),
              std::vector<std::string>{s.at("places.yaml") +
                                       ":4:15: catégorie inconnue 'salle_des_fetes' (vouliez-vous "
                                       "dire 'salle_municipale' ?)"});
    s.write("places.yaml", one_place);
    s.write("faq/x.yaml",
            "faq:\n  - id: marche_noel\n    topic: noel\n"
            "    questions: { fr: [\"marché de Noël\"], en: [\"Christmas market\"] }\n"
            "    answer: { fr: \"Place de la Mairie.\", en: \"Town hall square.\" }\n"
            "    source: https://www.example.org/noel\n    reviewed: 2026-11-29\n    owner: st\n");
    EXPECT_EQ(s.errors("fr"), std::vector<std::string>{
                                  s.at("faq/x.yaml") +
                                  ":3:12: rubrique inconnue 'noel' : écrivez l'une de : etat_civil, "
                                  "identite, ecoles, cantine, dechets, urbanisme, social, "
                                  "elections, associations, vie_pratique"});
    EXPECT_EQ(s.errors(), std::vector<std::string>{
                              s.at("faq/x.yaml") +
                              ":3:12: unknown topic 'noel': write one of: etat_civil, identite, "
                              "ecoles, cantine, dechets, urbanisme, social, elections, "
                              "associations, vie_pratique"});
}
