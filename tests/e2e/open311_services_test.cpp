// Open311 services come from the knowledge base (knowledge/report_categories.yaml), the same
// list the report plugin guesses from: a category added to a copy of the default commune
// shows in services.json (French, and English with ?locale=en), is guessed by the bot in a
// conversation, and is accepted by POST requests.json; an unknown service_code gets the
// GeoReport v2 error format.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "e2e/site_copy.h"
#include "support/http_client.h"

namespace json = boost::json;
using boost::beast::http::verb;
using guichet::test::http_client;
using guichet::test::site_copy;

namespace {

const char* snow = R"(
  - code: neige
    name: { fr: Neige et verglas, en: Snow and ice }
    description: { fr: Trottoir ou rue à déneiger ou à saler., en: Pavement or street to clear or grit. }
    group: hiver
    keywords:
      fr: [neige, verglas]
      en: [snow, ice]
)";

struct snowy_site : site_copy {
    snowy_site() {
        std::string yaml = read("knowledge/report_categories.yaml");
        auto at = yaml.find("report_categories:\n");
        yaml.insert(at + std::string("report_categories:\n").size(), std::string(snow).substr(1));
        write("knowledge/report_categories.yaml", yaml);
    }
};

json::object service(const json::array& list, const std::string& code) {
    for (auto& s : list)
        if (s.at("service_code") == json::string(code)) return s.as_object();
    return {};
}

}  // namespace

TEST(e2e_open311, services_come_from_the_knowledge_base_in_french_and_english) {
    snowy_site site;
    auto server = site.start({{"GUICHET_OPEN311_API_KEY", "k"}});
    ASSERT_TRUE(server->started()) << server->stderr_text();
    http_client c(server->port());

    auto fr = c.request(verb::get, "/open311/v2/services.json");
    ASSERT_EQ(fr.status, 200) << fr.body;
    auto list = json::parse(fr.body).as_array();
    ASSERT_EQ(list.size(), 12u) << fr.body;  // the eleven of the default commune and the new one
    EXPECT_EQ(list[0].at("service_code"), "neige");  // in the file's order
    auto n = service(list, "neige");
    EXPECT_EQ(n.at("service_name"), "Neige et verglas");
    EXPECT_EQ(n.at("description"), "Trottoir ou rue à déneiger ou à saler.");
    EXPECT_EQ(n.at("keywords"), "neige, verglas");
    EXPECT_EQ(n.at("group"), "hiver");
    EXPECT_EQ(n.at("type"), "realtime");
    EXPECT_EQ(n.at("metadata"), false);
    EXPECT_EQ(service(list, "eclairage").at("service_name"), "Éclairage public");

    auto en = json::parse(c.request(verb::get, "/open311/v2/services.json?locale=en").body).as_array();
    EXPECT_EQ(service(en, "neige").at("service_name"), "Snow and ice");
    EXPECT_EQ(service(en, "eclairage").at("service_name"), "Street lighting");
    auto accept = c.request(verb::get, "/open311/v2/services.json", "", {{"Accept-Language", "en-GB,en;q=0.8"}});
    EXPECT_EQ(service(json::parse(accept.body).as_array(), "neige").at("service_name"), "Snow and ice");

    // The bot guesses the new category from the same list.
    auto said = c.request(verb::post, "/api/v1/messages",
                          R"({"conversation":"snow-1","locale":"fr","text":"je voudrais signaler du verglas rue Victor Hugo"})");
    ASSERT_EQ(said.status, 200) << said.body;
    EXPECT_NE(said.body.find("Neige et verglas"), std::string::npos) << said.body;

    // A POST with the new code is accepted; an unknown code gets the spec's error array.
    auto made = c.request(verb::post, "/open311/v2/requests.json",
                          "api_key=k&service_code=neige&address_string=rue%20Victor%20Hugo&description=verglas",
                          {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(made.status, 201) << made.body;
    auto id = std::string(json::parse(made.body).as_array()[0].at("service_request_id").as_string());
    auto got = json::parse(c.request(verb::get, "/open311/v2/requests/" + id + ".json").body).as_array();
    EXPECT_EQ(got[0].at("service_name"), "Neige et verglas");

    auto unknown = c.request(verb::post, "/open311/v2/requests.json",
                             "api_key=k&service_code=piscine&address_string=ici",
                             {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(unknown.status, 404);
    auto err = json::parse(unknown.body);
    ASSERT_TRUE(err.is_array()) << unknown.body;
    ASSERT_EQ(err.as_array().size(), 1u);
    EXPECT_EQ(err.as_array()[0].at("code"), 404);
    EXPECT_EQ(err.as_array()[0].at("description"), "unknown service_code 'piscine'");
}
