// `guichet check` on a copy of a site with broken intent files and knowledge sources: every
// problem as file:line:column: message, exit 1; a clean site exits 0.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "e2e/site_copy.h"
#include "support/run_command.h"

namespace fs = std::filesystem;
using guichet::test::run;
using guichet::test::run_result;

namespace {

void replace_in(const fs::path& f, const std::string& from, const std::string& to) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    auto s = ss.str();
    auto p = s.find(from);
    ASSERT_NE(p, std::string::npos) << f << " has no '" << from << "'";
    s.replace(p, from.size(), to);
    std::ofstream(f) << s;
}

// A copy of the end-to-end test site, without its var/, in a temporary folder named after
// `name` and this process.
fs::path site_copy(const std::string& name) {
    auto copy = fs::temp_directory_path() / (name + "_" + std::to_string(getpid()));
    fs::remove_all(copy);
    fs::copy(GUICHET_SOURCE_DIR "/tests/e2e/site", copy, fs::copy_options::recursive);
    fs::remove_all(copy / "var");
    return copy;
}

// The default commune's intents and knowledge, copied into a temporary folder named after
// `name` and this process.
fs::path default_commune_copy(const std::string& name) {
    auto copy = fs::temp_directory_path() / (name + "_" + std::to_string(getpid()));
    fs::remove_all(copy);
    fs::create_directories(copy);
    for (const char* d : {"intents", "knowledge"})
        fs::copy(fs::path(GUICHET_SOURCE_DIR) / d, copy / d, fs::copy_options::recursive);
    return copy;
}

}  // namespace

TEST(check, a_clean_site_passes) {
    auto r = run(std::string(GUICHET_BINARY_DIR) + "/guichet check --site " GUICHET_SOURCE_DIR "/tests/e2e/site");
    EXPECT_EQ(r.status, 0) << r.out;
    // Said in French, then in English, as `guichet test` does (it was English only).
    const std::string site = GUICHET_SOURCE_DIR "/tests/e2e/site";
    EXPECT_NE(r.out.find("ok : aucun problème dans " + site + " / ok: " + site + " has no problems\n"),
              std::string::npos)
        << r.out;
}

// A plugin's intent that no intent file defines is never asked: a note, not a problem (the
// shipped reference plugin's, in the default commune; it was not said at all).
TEST(check, a_plugin_intent_no_file_defines_is_noted) {
    auto r = run(std::string(GUICHET_BINARY_DIR) + "/guichet check --site " GUICHET_SOURCE_DIR);
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("note: " GUICHET_BINARY_DIR "/plugins/reference_c.so: plugin 'reference_c' serves intent "
                         "'reference.echo', which no intent file defines: nobody is sent to it\n"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("serves intent 'faq.ask'"), std::string::npos) << r.out;
}

// What changes nothing any more is a warning, said at its place, and not a problem: an alert
// that has ended (it passed `check` without a word).
TEST(check, an_ended_alert_is_a_warning_not_a_problem) {
    const auto copy = default_commune_copy("guichet_check_ended");
    int line = 0;
    {
        std::ifstream in(copy / "knowledge/alerts.yaml");
        for (std::string l; std::getline(in, l);) ++line;
    }
    std::ofstream(copy / "knowledge/alerts.yaml", std::ios::app)
        << "  - id: travaux_2025\n"
           "    message: { fr: Travaux en mars 2025., en: Works in March 2025. }\n"
           "    from: 2025-03-01 00:00\n"
           "    until: 2025-03-14 23:59\n";
    auto r = run(std::string(GUICHET_BINARY_DIR) + "/guichet check --site " + copy.string());
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("warning: " + (copy / "knowledge/alerts.yaml").string() + ":" +
                         std::to_string(line + 4) + ":12: alerte terminée (2025-03-14 23:59) : elle "
                         "ne s'affiche plus (supprimez-la, ou changez 'until' si elle doit durer)\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("ok : aucun problème dans " + copy.string() + " (1 avertissement(s)) / ok: " +
                         copy.string() + " has no problems (1 warning(s))\n"),
              std::string::npos)
        << r.out;
    fs::remove_all(copy);
}

// A place's note that says it is closed on days its hours open gave citizens two answers (the
// crèche "closed from 2 to 22 August" in its note, open in its hours): a warning at the
// sentence, naming the first day the hours open and the rule that closes them.
TEST(check, a_note_saying_closed_on_days_the_hours_open_is_a_warning) {
    const auto copy = default_commune_copy("guichet_check_note");
    const auto places = copy / "knowledge/places.yaml";
    const std::string note = "fr: Fermeture du 2 au 22 août et du 24 au 31 décembre.";
    auto clean = run(std::string(GUICHET_BINARY_DIR) + "/guichet check --site " + copy.string());
    EXPECT_EQ(clean.out.find("la note dit"), std::string::npos) << clean.out;
    replace_in(places, "Aug 02-Aug 22 off; ", "");
    replace_in(places, "en: Closed from 2 to 22 August and from 24 to 31 December.",
               "en: Closed from August 2 to 22, and from 24 December to 5 January.");
    int line = 0;
    {
        std::ifstream in(places);
        int n = 0;
        for (std::string l; std::getline(in, l);)
            if (++n, l.find(note) != std::string::npos) line = n;
    }
    ASSERT_NE(line, 0);
    auto r = run(std::string(GUICHET_BINARY_DIR) + "/guichet check --site " + copy.string());
    EXPECT_EQ(r.status, 0) << r.out;
    // The first day open depends on the year of the next August (the crèche opens Monday to
    // Friday): any of 2 to 8 August. The English note's August is the French one's: said once.
    EXPECT_TRUE(std::regex_search(
        r.out, std::regex("warning: " + places.string() + ":" + std::to_string(line) +
                          ":11: la note dit « Fermeture du 2 au 22 août et du 24 au 31 décembre "
                          "», mais les horaires ouvrent le [a-z]+ 20[0-9]{2}-08-0[2-8] : ajoutez « "
                          "Aug 02-22 off » à la fin d'opening_hours, ou corrigez la note\n")))
        << r.out;
    // 24-31 December are closed in the hours, 1 January is a public holiday: the first day
    // open is one of 2 to 5 January.
    EXPECT_TRUE(std::regex_search(
        r.out, std::regex(":" + std::to_string(line + 1) +
                          ":11: la note dit « Closed from August 2 to 22, and from 24 December to "
                          "5 January », mais les horaires ouvrent le [a-z]+ 20[0-9]{2}-01-0[2-5] "
                          ": ajoutez « Dec 24-Jan 05 off »")))
        << r.out;
    EXPECT_EQ(r.out.find("« Aug 02-22 off »", r.out.find("Closed from August")), std::string::npos)
        << r.out;
    fs::remove_all(copy);
}

// A site folder guichet may not write in (installed read-only): `check` and `serve` say so and
// name kb.path, which moves the knowledge base (and the conversations beside it) elsewhere;
// `serve` said "cannot create a temporary file beside the output", `check` "ok".
TEST(check, a_site_folder_guichet_may_not_write_in_names_kb_path) {
    const auto copy = site_copy("guichet_read_only");
    const auto elsewhere = site_copy("guichet_read_only_kb");
    fs::permissions(elsewhere, fs::perms::all, fs::perm_options::add);
    fs::permissions(copy, fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                    fs::perm_options::remove);
    // root may write anywhere: the commands run as nobody then, for whom the copy is read-only,
    // from a copy of the executable and its plugins that nobody may reach (the build folder may
    // be in one that only root may enter: mktemp -d makes it so).
    std::string guichet = std::string(GUICHET_BINARY_DIR) + "/guichet ";
    const auto bin =
        fs::temp_directory_path() / ("guichet_read_only_bin_" + std::to_string(getpid()));
    if (geteuid() == 0) {
        fs::remove_all(bin);
        fs::create_directories(bin / "plugins");
        fs::copy_file(fs::path(GUICHET_BINARY_DIR) / "guichet", bin / "guichet");
        for (const auto& e : fs::directory_iterator(fs::path(GUICHET_BINARY_DIR) / "plugins"))
            if (e.path().extension() == ".so")
                fs::copy_file(e.path(), bin / "plugins" / e.path().filename());
        for (const auto& p : {bin, bin / "plugins"})
            fs::permissions(p, fs::perms::all & ~(fs::perms::group_write | fs::perms::others_write));
        guichet = "setpriv --reuid=65534 --regid=65534 --clear-groups env GUICHET_PLUGINS_DIR=" +
                  (bin / "plugins").string() + " " + (bin / "guichet").string() + " ";
    }
    auto r = run(guichet + "check --site " + copy.string());
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find(copy.string() + "/var: le guichet ne peut pas écrire dans ce dossier, où il "
                         "compile la base de connaissances (knowledge.db) et, sauf si store.path "
                         "dit ailleurs, garde les conversations (state.db) : réglez kb.path "
                         "(GUICHET_KB_PATH) sur un fichier d'un dossier où il peut écrire"),
              std::string::npos)
        << r.out;
    r = run("timeout 60 " + guichet + "serve --port 0 --site " + copy.string());
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find(copy.string() + "/var: guichet may not write in this folder (Permission "
                         "denied), where it compiles the knowledge base (knowledge.db) and, unless "
                         "store.path says otherwise, keeps the conversations (state.db): set kb.path "
                         "(GUICHET_KB_PATH) to a file in a folder it may write in"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("temporary file"), std::string::npos) << r.out;
    // Set elsewhere, it is the setting that is named; a folder it may write in is fine.
    r = run("GUICHET_KB_PATH=" + copy.string() + "/kb/knowledge.db " + guichet + "check --site " +
            copy.string());
    EXPECT_NE(r.out.find("GUICHET_KB_PATH: " + copy.string() + "/kb : le guichet ne peut pas écrire"),
              std::string::npos)
        << r.out;
    r = run("GUICHET_KB_PATH=" + elsewhere.string() + "/knowledge.db " + guichet + "check --site " +
            copy.string());
    EXPECT_EQ(r.status, 0) << r.out;
    fs::permissions(copy, fs::perms::owner_write, fs::perm_options::add);
    fs::remove_all(copy);
    fs::remove_all(elsewhere);
    fs::remove_all(bin);
}

// A broken knowledge file is said by `serve` as by `check`, in French (serve printed yaml-cpp's
// English, "YAML syntax error: end of map not found").
TEST(check, serve_says_a_broken_knowledge_file_as_check_does) {
    const auto copy = site_copy("guichet_tab");
    replace_in(copy / "knowledge/places.yaml", "    category:", "\tcategory:");
    const std::string guichet = std::string(GUICHET_BINARY_DIR) + "/guichet ";
    auto checked = run(guichet + "check --site " + copy.string());
    auto served = run("env GUICHET_KB_PATH=" + copy.string() + "/var/kb.db timeout 60 " + guichet +
                      "serve --port 0 --site " + copy.string());
    EXPECT_EQ(served.status, 1) << served.out;
    const std::regex syntax(".*places\\.yaml:[0-9]+:2: erreur de syntaxe YAML : [^\n]*");
    std::smatch found;
    ASSERT_TRUE(std::regex_search(checked.out, found, syntax)) << checked.out;
    EXPECT_NE(served.out.find(found.str()), std::string::npos) << found.str() << "\n" << served.out;
    fs::remove_all(copy);
}

// A messaging connector given some of its keys only: `serve` refuses to start, so `check`
// says it, with the keys missing and where the others were written (it said "no problems").
// A site without guichet.yaml, its Telegram bot token in the environment only: the problem
// was said of `<site>/guichet.yaml`, a file that does not exist.
TEST(check, a_connector_half_configured_in_the_environment_names_the_environment) {
    const std::string site = GUICHET_SOURCE_DIR "/tests/e2e/faulty_site";
    ASSERT_FALSE(fs::exists(site + "/guichet.yaml"));
    auto r = run("GUICHET_TELEGRAM_BOT_TOKEN=1:A " + std::string(GUICHET_BINARY_DIR) + "/guichet check --site " + site);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("GUICHET_TELEGRAM_BOT_TOKEN: telegram connector half configured: set "
                         "GUICHET_TELEGRAM_SECRET_TOKEN (given in the environment: GUICHET_TELEGRAM_BOT_TOKEN)\n"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("guichet.yaml"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("1:A"), std::string::npos) << r.out;  // a secret is never printed
}

TEST(check, a_half_configured_connector_is_a_problem) {
    auto r = run("GUICHET_SLACK_SIGNING_SECRET=s3cret GUICHET_MATRIX_HS_TOKEN=hs " + std::string(GUICHET_BINARY_DIR) +
                 "/guichet check --site " GUICHET_SOURCE_DIR "/tests/e2e/site");
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("GUICHET_SLACK_SIGNING_SECRET: slack connector half configured: set "
                         "GUICHET_SLACK_BOT_TOKEN (given in the environment: GUICHET_SLACK_SIGNING_SECRET)\n"),
              std::string::npos)
        << r.out;
    // Given in the environment, not in the file: the file is not blamed.
    EXPECT_EQ(r.out.find("guichet.yaml: slack"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("matrix connector half configured: set GUICHET_MATRIX_AS_TOKEN, GUICHET_MATRIX_API_URL"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("telegram"), std::string::npos) << r.out;  // not configured at all: nothing to say
    EXPECT_EQ(r.out.find("s3cret"), std::string::npos) << r.out;    // a secret is never printed
}

TEST(check, broken_files_are_listed_with_file_line_column_and_exit_1) {
    const auto copy = site_copy("guichet_check");
    // An unknown key, a YAML syntax error, an unknown plugin, an undeclared entity, and an
    // opening_hours value with a bad weekday.
    replace_in(copy / "intents/fr/contact.yaml", "examples:", "exemples:");
    replace_in(copy / "intents/en/contact.yaml", "examples:", "examples: [unclosed");
    replace_in(copy / "intents/fr/echo.yaml", "plugin: reference_c", "plugin: nowhere");
    replace_in(copy / "intents/fr/echo.yaml", "  - perroquet", "  - un [perroquet](animal)");
    replace_in(copy / "knowledge/places.yaml", "Mo-Fr 08:30", "Mx-Fr 08:30");

    auto r = run(std::string(GUICHET_BINARY_DIR) + "/guichet check --site " + copy.string());
    EXPECT_EQ(r.status, 1) << r.out;
    std::regex located("^" + copy.string() + "/[^:]+:[0-9]+:[0-9]+: .+$");
    int problems = 0;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(copy.string(), 0) != 0) continue;
        EXPECT_TRUE(std::regex_match(line, located)) << line;
        ++problems;
    }
    EXPECT_GE(problems, 5) << r.out;
    auto has = [&](const std::string& file, const std::string& words) {
        std::istringstream ls(r.out);
        for (std::string line; std::getline(ls, line);)
            if (line.find(file) != std::string::npos && line.find(words) != std::string::npos) return true;
        return false;
    };
    EXPECT_TRUE(has("intents/fr/contact.yaml:", "exemples")) << r.out;
    EXPECT_TRUE(has("intents/en/contact.yaml:", "")) << r.out;
    EXPECT_TRUE(has("intents/fr/echo.yaml:", "nowhere")) << r.out;
    EXPECT_TRUE(has("intents/fr/echo.yaml:", "animal")) << r.out;
    EXPECT_TRUE(has("knowledge/places.yaml:", "")) << r.out;
    // The plugin not loaded: where the plugins were looked for, and how to change it.
    EXPECT_TRUE(has("intents/fr/echo.yaml:", "unknown plugin 'nowhere'")) << r.out;
    EXPECT_TRUE(has("unknown plugin 'nowhere'", "/plugins, the default; set plugins.dir or GUICHET_PLUGINS_DIR to change it)"))
        << r.out;
    const std::string plugins = std::string(GUICHET_BINARY_DIR) + "/plugins";
    r = run("GUICHET_PLUGINS_DIR=" + plugins + " " + std::string(GUICHET_BINARY_DIR) + "/guichet check --site " +
            copy.string());
    EXPECT_TRUE(has("unknown plugin 'nowhere'", "(from " + plugins + ", set by GUICHET_PLUGINS_DIR)")) << r.out;
    fs::remove_all(copy);
}

// A service named by a slot (`addressed:`, `default:`) that knowledge/places.yaml does not
// have would never be found: `guichet check` says where it is written, with the closest id.
TEST(check, a_slot_naming_an_unknown_service_is_located) {
    auto copy = fs::temp_directory_path() / ("guichet_check_service_" + std::to_string(getpid()));
    fs::remove_all(copy);
    fs::create_directories(copy);
    for (const char* d : {"intents", "knowledge"})
        fs::copy(fs::path(GUICHET_SOURCE_DIR) / d, copy / d, fs::copy_options::recursive);
    replace_in(copy / "intents/fr/hours.yaml", "addressed: mairie", "addressed: mairei");
    // Where the value is written: its line, and its column (1-based) after "addressed: ".
    int line = 0, column = 0;
    {
        std::ifstream in(copy / "intents/fr/hours.yaml");
        std::string l;
        for (int n = 1; std::getline(in, l); ++n)
            if (auto at = l.find("addressed: mairei"); at != std::string::npos) {
                line = n;
                column = static_cast<int>(at + std::string("addressed: ").size()) + 1;
            }
    }
    ASSERT_GT(line, 0);
    auto r = run(std::string(GUICHET_BINARY_DIR) + "/guichet check --site " + copy.string());
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(
        r.out.find(copy.string() + "/intents/fr/hours.yaml:" + std::to_string(line) + ":" +
                   std::to_string(column) + ": unknown service 'mairei' (did you mean 'mairie'?)"),
        std::string::npos)
        << r.out;
    fs::remove_all(copy);
}

// `guichet explain`: staff see the language, the names and dates found, the ranking, what is
// understood and the answer; nothing said there is kept in the site's conversations.
TEST(explain, shows_what_is_understood_and_the_answer) {
    const auto copy = site_copy("guichet_explain");
    auto r = run(
        std::string(GUICHET_BINARY_DIR) + "/guichet explain --site " + copy.string() +
        " --now 2026-12-05T10:00:00 'numero de la mairie demain svp' 'what is your phone number'");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("« numero de la mairie demain svp »"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("langue / language: fr"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("langue / language: en"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("datetime = 2026-12-06T00:00:00+01:00"), std::string::npos) << r.out;
    EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n    0\.\d\d  contact\.town_hall\n)")))
        << r.out;
    EXPECT_NE(r.out.find("compris / understood: contact.town_hall"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("réponse / answer (contact.town_hall):\n    "), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("02 38 00 00 00"), std::string::npos) << r.out;
    // No conversation was written into the site's state (its files never name one).
    bool kept = false;
    if (fs::exists(copy / "var"))
        for (auto& f : fs::recursive_directory_iterator(copy / "var"))
            if (f.is_regular_file()) {
                std::ifstream in(f.path(), std::ios::binary);
                std::string bytes((std::istreambuf_iterator<char>(in)), {});
                kept = kept || bytes.find("explain-") != std::string::npos;
            }
    EXPECT_FALSE(kept);
    auto usage = run(std::string(GUICHET_BINARY_DIR) + "/guichet explain");
    EXPECT_EQ(usage.status, 2);
    EXPECT_NE(usage.out.find("guichet explain \"TEXT\""), std::string::npos) << usage.out;
    fs::remove_all(copy);
}

// Run inside a site's folder without --site, `guichet check` checks that folder (not the
// default commune) and says which one; paths are relative to it.
TEST(check, without_site_inside_a_site_folder_checks_that_folder) {
    const auto copy = site_copy("guichet_check_cwd");
    const std::string exe = std::string(GUICHET_BINARY_DIR) + "/guichet check";
    auto clean = run("cd " + copy.string() + " && " + exe);
    EXPECT_EQ(clean.status, 0) << clean.out;
    EXPECT_NE(clean.out.find("ok: " + copy.string() + " has no problems"), std::string::npos)
        << clean.out;

    replace_in(copy / "intents/fr/contact.yaml", "examples:", "exemples:");
    auto broken = run("cd " + copy.string() + " && " + exe);
    EXPECT_EQ(broken.status, 1) << broken.out;
    EXPECT_NE(broken.out.find("./intents/fr/contact.yaml:10:1: unknown key 'exemples' (did you "
                              "mean 'examples'?)"),
              std::string::npos)
        << broken.out;
    EXPECT_NE(broken.out.find("in " + copy.string() + "\n"), std::string::npos) << broken.out;
    fs::remove_all(copy);
}

// The tester's findings on a copy of the default commune, as `guichet check` prints them:
// an intent in one language, an alert naming an unknown intent, a Latin-1 knowledge file, a
// misnamed file, a conversation test with a typo.
TEST(check, what_staff_get_wrong_is_located) {
    auto copy = fs::temp_directory_path() / ("guichet_check_staff_" + std::to_string(getpid()));
    fs::remove_all(copy);
    fs::create_directories(copy);
    for (const char* d : {"intents", "knowledge"})
        fs::copy(fs::path(GUICHET_SOURCE_DIR) / d, copy / d, fs::copy_options::recursive);
    fs::remove(copy / "intents/en/emergency.yaml");
    fs::rename(copy / "knowledge/waste_streets.csv", copy / "knowledge/waste_streets.CSV");
    std::ofstream(copy / "knowledge/alerts.yaml")
        << "alerts:\n"
           "  - id: fermeture\n"
           "    message: { fr: \"Fermé\xC3\xA9.\", en: Closed. }\n"
           "    from: 2026-03-01 08:00\n"
           "    until: 2026-03-10 18:00\n"
           "    intents: [horaires]\n";
    std::ofstream(copy / "knowledge/faq/latin1.yaml", std::ios::binary)
        << "faq:\n  - id: x\n    topic: \xE9tat\n";
    fs::create_directories(copy / "tests");
    std::ofstream(copy / "tests/typo.yaml") << "turn:\n  - say: bonjour\n";

    auto r = run(std::string(GUICHET_BINARY_DIR) + "/guichet check --site " + copy.string());
    EXPECT_EQ(r.status, 1) << r.out;
    const std::string c = copy.string();
    for (const std::string line :
         {c + "/intents/fr/emergency.yaml:2:9: intent 'civil.emergency' has no English version (" +
              c + "/intents/en)",
          c + "/knowledge/alerts.yaml:6:15: intention inconnue 'horaires' (vouliez-vous dire "
              "'hours.open' ?)",
          c + "/knowledge/faq/latin1.yaml:3:12: UTF-8 invalide (octet 0xE9) : enregistrez le "
              "fichier en UTF-8",
          c + "/knowledge/waste_streets.CSV: ignoré (seuls les fichiers .yaml ou .yml, et "
              "waste_streets.csv, sont lus ici ; renommez-le waste_streets.csv)",
          c + "/tests/typo.yaml:1:1: unknown key 'turn' (did you mean 'turns'?)"})
        EXPECT_NE(r.out.find(line + "\n"), std::string::npos) << line << "\n" << r.out;
    fs::remove_all(copy);
}

// `kb build` writes where the server reads: kb.path (GUICHET_KB_PATH) when set, not
// <site>/var/knowledge.db, which the IT person's server never opened.
TEST(kb_build_command, writes_to_kb_path_when_it_is_set) {
    auto dir = fs::temp_directory_path() / ("guichet_kb_path_" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy(GUICHET_SOURCE_DIR "/tests/e2e/site", dir / "site", fs::copy_options::recursive);
    auto r = run("env GUICHET_KB_PATH=" + (dir / "kb" / "live.db").string() + " " GUICHET_BINARY_DIR
                 "/guichet kb build --site " + (dir / "site").string());
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_TRUE(fs::exists(dir / "kb" / "live.db")) << r.out;
    EXPECT_FALSE(fs::exists(dir / "site" / "var" / "knowledge.db")) << r.out;
    fs::remove_all(dir);
}

// `explain` shows the cards and the places of an answer too, as the widget shows them (a
// plugin author saw only the text and the buttons).
TEST(explain, shows_an_answers_cards_and_places) {
    auto kb = fs::temp_directory_path() / ("guichet_explain_kb_" + std::to_string(getpid()) + ".db");
    auto r = run("env GUICHET_KB_PATH=" + kb.string() + " " GUICHET_BINARY_DIR
                 "/guichet explain --site " GUICHET_SOURCE_DIR " 'où est la médiathèque'");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("    carte / card: Médiathèque Colette — 8 rue Victor Hugo"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("    lieu / location: Médiathèque Colette (47.90390, 1.90710)"),
              std::string::npos)
        << r.out;
    fs::remove(kb);
}

// A site-wide alert (no intents, places or categories named) is said before the FAQ's "no sure
// answer" and its suggestions: it pushed them aside, and a question the classifier guessed went
// to the wrong fixed answer (the privacy notice for "what do you do with old books").
TEST(explain, a_site_wide_alert_keeps_the_faqs_suggestions) {
    const guichet::test::site_copy copy;
    const auto& site = copy.dir;
    std::ofstream(site / "knowledge" / "alerts.yaml", std::ios::app)
        << "  - id: neige\n    message:\n      fr: \"Épisode neigeux : les services ouvrent à 10 h.\"\n"
           "      en: \"Snow: the town's services open at 10:00.\"\n"
           "    from: 2026-12-01 00:00\n    until: 2026-12-18 23:59\n";
    auto r = run("env GUICHET_KB_PATH=" + (site / "kb.db").string() + " " GUICHET_BINARY_DIR
                 "/guichet explain --site " + site.string() +
                 " --locale en --now 2026-12-05T15:00:00 'what do you do with old books'");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("Snow: the town's services open at 10:00."), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("I could not find a reliable answer"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("I keep your messages"), std::string::npos) << r.out;
}

// A site-wide alert shows on every answer, as the knowledge guide says: also on a greeting, a
// report, a request for a person and the public holidays (only the FAQ, hours, places and bins
// said it).
TEST(explain, a_site_wide_alert_is_said_by_every_plugin) {
    const guichet::test::site_copy copy;
    const auto& site = copy.dir;
    std::ofstream(site / "knowledge" / "alerts.yaml", std::ios::app)
        << "  - id: noel\n    message:\n      fr: \"Jeudi 24 décembre, la mairie ferme à 12 h.\"\n"
           "      en: \"On Thursday 24 December the town hall closes at noon.\"\n"
           "    from: 2026-12-01 00:00\n    until: 2026-12-24 23:59\n";
    for (const char* q : {"bonjour", "il y a un nid de poule rue Pasteur", "je veux parler à un agent",
                          "quels sont les jours fériés ?"}) {
        auto r = run("env GUICHET_KB_PATH=" + (site / "kb.db").string() + " " GUICHET_BINARY_DIR
                     "/guichet explain --site " + site.string() +
                     " --locale fr --now 2026-12-07T10:00:00 '" + q + "'");
        EXPECT_EQ(r.status, 0) << r.out;
        EXPECT_NE(r.out.find("Jeudi 24 décembre, la mairie ferme à 12 h."), std::string::npos)
            << q << "\n" << r.out;
    }
}

// `guichet staff` run inside a site, without --site, works on that site's accounts, as every
// command does (it changed the default commune's, and the admin made could not sign in).
TEST(staff_command, works_on_the_current_folders_site) {
    const auto copy = site_copy("guichet_staff_here");
    auto r = run("cd " + copy.string() + " && env GUICHET_STAFF_PASSWORD='Secret-pw-2026!' " +
                 GUICHET_BINARY_DIR "/guichet staff add ici --role agent && " GUICHET_BINARY_DIR
                 "/guichet staff list");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("ici"), std::string::npos) << r.out;
    EXPECT_TRUE(fs::exists(copy / "var" / "staff.db")) << r.out;
    fs::remove_all(copy);
}

// An intent just added draws a sentence of an unrelated test: `guichet test` says, under the
// failures (the intent file's test and the conversation's turn), which intent won with what
// confidence, the out-of-scope threshold and the nearest examples — the new intent's, at their
// file and line — so that staff see their addition is the cause.
TEST(site_tests, a_failure_names_the_intent_that_won_and_the_nearest_examples) {
    const auto copy = site_copy("guichet_test_why");
    std::ofstream(copy / "intents/fr/mayor.yaml")
        << "intent: contact.mayor\n"
           "answer: Le maire reçoit sur rendez-vous.\n"
           "examples:\n"
           "  - donnez-moi le numéro de la mairie pour le maire\n"
           "  - le numéro de la mairie pour joindre le maire\n"
           "  - donnez moi le numéro du maire\n"
           "  - je veux parler au maire\n";
    fs::create_directories(copy / "tests");
    std::ofstream(copy / "tests/contact.yaml")
        << "locale: fr\nturns:\n  - say: donnez-moi le numéro de la mairie\n"
           "    expect: { intent: contact.town_hall }\n";
    auto r = run(std::string(GUICHET_BINARY_DIR) + "/guichet test --site " + copy.string());
    EXPECT_EQ(r.status, 1) << r.out;
    const std::string mayor = copy.string() + "/intents/fr/mayor.yaml:";
    // Both failures: the intent file's test, then the conversation's turn.
    for (const std::string where : {copy.string() + "/intents/fr/contact.yaml:",
                                     copy.string() + "/tests/contact.yaml:3:"}) {
        const auto at = r.out.find(where);
        ASSERT_NE(at, std::string::npos) << where << "\n" << r.out;
        const auto block = r.out.substr(at, r.out.find("\n" + copy.string(), at + 1) - at);
        EXPECT_NE(block.find("    attendu / expected: "), std::string::npos) << block;
        EXPECT_NE(block.find("    obtenu / got:       contact.mayor (confiance / confidence "), std::string::npos) << block;
        EXPECT_TRUE(std::regex_search(
            block, std::regex(R"(\n    classifieur / classifier \(hors sujet sous / out of scope )"
                              R"(below 0\.\d\d\):\n      [01]\.\d\d  contact\.mayor\n)")))
            << block;
        EXPECT_TRUE(std::regex_search(
            block, std::regex(R"(\n    exemples les plus proches / nearest examples:\n      )"
                              R"(0\.\d\d  contact\.mayor  « donnez-moi le numéro de la mairie )"
                              R"(pour le maire »  )" +
                              mayor + "4\n")))
            << block;
    }
    fs::remove_all(copy);
}

// An editor's backup copies beside the files are neither read nor reported: `check` said to
// rename "contact.yaml.bak" to contact.yaml, that is to overwrite the real file with the copy.
TEST(check, editor_backup_copies_are_left_alone) {
    const auto copy = site_copy("guichet_check_backups");
    fs::copy_file(copy / "intents/fr/contact.yaml", copy / "intents/fr/contact.yaml.bak");
    fs::copy_file(copy / "knowledge/places.yaml", copy / "knowledge/places.yaml~");
    auto r = run(std::string(GUICHET_BINARY_DIR) + "/guichet check --site " + copy.string());
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_EQ(r.out.find("contact.yaml.bak"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("places.yaml~"), std::string::npos) << r.out;
    fs::remove_all(copy);
}

// The intent asked when nothing is understood (`engine.fallback_intent`) mistyped: every
// question the classifier did not know got "not understood" rather than the FAQ's answer, and
// `check` said ok.
TEST(check, a_fallback_intent_that_no_intent_has_is_located) {
    const guichet::test::site_copy copy;
    auto r = run("env GUICHET_ENGINE_FALLBACK_INTENT=faq.asks " + std::string(GUICHET_BINARY_DIR) +
                 "/guichet check --site " + copy.dir.string());
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("GUICHET_ENGINE_FALLBACK_INTENT: aucune intention 'faq.asks' : c'est "
                         "l'intention de secours"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("(vouliez-vous dire 'faq.ask' ?)"), std::string::npos) << r.out;
}

// The front desk (`agents.desk_place`) names a place the knowledge base does not have (the
// place renamed, the setting mistyped): the agents' duty hours and the plugins' number to
// call silently had none. `check` says where the setting is written, or, for its default,
// in places.yaml.
TEST(check, a_desk_place_missing_from_the_knowledge_base_is_located) {
    const auto copy = site_copy("guichet_check_desk");
    const std::string exe = std::string(GUICHET_BINARY_DIR) + "/guichet check --site " + copy.string();

    replace_in(copy / "guichet.yaml", "desk_place: mairie", "desk_place: mairies");
    auto written = run(exe);
    EXPECT_EQ(written.status, 1) << written.out;
    EXPECT_NE(written.out.find(copy.string() + "/guichet.yaml:3:15: 'agents.desk_place': aucun "
                               "lieu 'mairies' dans places.yaml : c'est l'accueil de la mairie, "
                               "dont les horaires sont ceux des agents et le téléphone celui que "
                               "l'assistant donne aux habitants (vouliez-vous dire 'mairie' ?)"),
              std::string::npos)
        << written.out;

    fs::remove(copy / "guichet.yaml");  // the default, `accueil_mairie`: not a place here
    auto by_default = run(exe);
    EXPECT_EQ(by_default.status, 1) << by_default.out;
    EXPECT_NE(by_default.out.find(copy.string() + "/knowledge/places.yaml: aucun lieu "
                                  "'accueil_mairie' dans places.yaml : c'est l'accueil de la "
                                  "mairie (agents.desk_place, par défaut)"),
              std::string::npos)
        << by_default.out;
    fs::remove_all(copy);
}

// A tab before `phone:` of a place (the site's own knowledge): one message, naming the fix
// once (it said it twice), and nothing after it that only follows from the file being unread
// ("no place 'accueil_mairie' in places.yaml", of a file that has it).
TEST(check, a_tab_in_places_yaml_is_one_message_without_its_consequence) {
    const auto copy = default_commune_copy("guichet_check_tab");
    replace_in(copy / "knowledge/places.yaml", "    phone: 02 38 45 10 00", "\tphone: 02 38 45 10 00");
    auto r = run(std::string(GUICHET_BINARY_DIR) + "/guichet check --site " + copy.string());
    EXPECT_EQ(r.status, 1) << r.out;
    std::vector<std::string> said;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);)
        if (line.find("places.yaml") != std::string::npos) said.push_back(line);
    EXPECT_EQ(said, std::vector<std::string>{copy.string() +
                                             "/knowledge/places.yaml:16:1: erreur de syntaxe "
                                             "YAML : tabulation dans l'indentation : indentez "
                                             "avec des espaces"})
        << r.out;
    fs::remove_all(copy);
}

// An unreadable school_holidays.yaml: its own error, and not one "SH: no period" for each
// place and FAQ answer that uses the holidays (four lines that only followed from it).
TEST(check, a_broken_school_holidays_file_is_one_message_without_its_consequences) {
    const auto copy = default_commune_copy("guichet_check_holidays");
    {
        std::ofstream out(copy / "knowledge/school_holidays.yaml", std::ios::trunc);
        out << "periods:\n  - name: [oops\n";
    }
    auto r = run(std::string(GUICHET_BINARY_DIR) + "/guichet check --site " + copy.string());
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find(copy.string() + "/knowledge/school_holidays.yaml:3:1: erreur de syntaxe YAML"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("aucune période"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 problème(s) dans " + copy.string() + " / 1 problem(s) in " + copy.string() + "\n"),
              std::string::npos)
        << r.out;
    fs::remove_all(copy);
}

// Problems and warnings together: the last line counts the problems (it counted the warnings
// when there were both).
TEST(check, the_last_line_counts_the_problems_when_there_are_warnings_too) {
    const auto copy = default_commune_copy("guichet_check_both");
    std::ofstream(copy / "knowledge/alerts.yaml", std::ios::app)
        << "  - id: travaux_2025\n"
           "    message: { fr: Travaux en mars 2025., en: Works in March 2025. }\n"
           "    from: 2025-03-01 00:00\n"
           "    until: 2025-03-14 23:59\n"
           "  - id: travaux_2024\n"
           "    message: { fr: Travaux en mars 2024., en: Works in March 2024. }\n"
           "    from: 2024-03-01 00:00\n"
           "    until: 2024-03-14 23:59\n";
    std::ofstream(copy / "knowledge/school_holidays.yaml", std::ios::trunc) << "periods:\n  - name: [oops\n";
    auto r = run(std::string(GUICHET_BINARY_DIR) + "/guichet check --site " + copy.string());
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("alerte terminée (2024-03-14 23:59)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 problème(s) dans " + copy.string() + " / 1 problem(s) in " + copy.string() + "\n"),
              std::string::npos)
        << r.out;
    fs::remove_all(copy);
}

// `guichet test` and `explain` keep their conversations in memory: they left an empty
// state.db beside kb.path, and `guichet backup` then copied that file and said it had
// succeeded, while the live conversations were elsewhere.
TEST(site_tests, test_and_explain_leave_no_conversation_store_behind) {
    const auto copy = site_copy("guichet_test_no_store");
    const std::string env = "env GUICHET_KB_PATH=" + (copy / "kb" / "kb.db").string() + " ";
    auto t = run(env + GUICHET_BINARY_DIR "/guichet test --site " + copy.string());
    EXPECT_EQ(t.status, 0) << t.out;
    auto e = run(env + GUICHET_BINARY_DIR "/guichet explain --site " + copy.string() + " 'bonjour'");
    EXPECT_EQ(e.status, 0) << e.out;
    EXPECT_TRUE(fs::exists(copy / "kb" / "kb.db"));  // the knowledge base's cache is kept
    for (const char* file : {"state.db", "state.db-wal", "analytics.db"})
        EXPECT_FALSE(fs::exists(copy / "kb" / file)) << file;
    fs::remove_all(copy);
}

// A conversation test file with a misspelt key: `guichet test` prints its
// `file:line:column: problem` line as `guichet check` does (it printed it as a failed turn:
// [file] "(the file itself)" / expected: a valid conversation test file / got: …).
TEST(site_tests, a_broken_test_file_is_one_located_line) {
    const auto copy = site_copy("guichet_test_broken_file");
    fs::create_directories(copy / "tests");
    std::ofstream(copy / "tests/contact.yaml")
        << "locale: fr\nturns:\n  - say: numero de la mairie\n    expect: { reply_contain: \"02\" }\n";
    auto r = run(std::string(GUICHET_BINARY_DIR) + "/guichet test --site " + copy.string());
    EXPECT_EQ(r.status, 1) << r.out;
    const std::string line = copy.string() + "/tests/contact.yaml:4:15: unknown key 'reply_contain' (did you mean 'reply_contains'?)\n";
    EXPECT_NE(r.out.find(line), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("(the file itself)"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("a valid conversation test file"), std::string::npos) << r.out;
    fs::remove_all(copy);
}
