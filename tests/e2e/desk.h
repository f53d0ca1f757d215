// The town hall's front desk in end-to-end tests: a copy of the default commune whose desk
// `accueil_mairie` keeps the given opening hours (on duty a handoff joins the agents' queue),
// and the agents' API calls the tests make (log in, find a conversation in the queue).
#pragma once

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "e2e/site_copy.h"
#include "support/http_client.h"

namespace guichet::test {

struct desk_site : site_copy {
    explicit desk_site(const std::string& desk_hours) {
        std::string yaml = read("knowledge/places.yaml");
        auto at = yaml.find("- id: accueil_mairie");
        auto line = yaml.find("opening_hours:", at);
        if (at == std::string::npos || line == std::string::npos) throw std::runtime_error("no desk");
        yaml.replace(line, yaml.find('\n', line) - line, "opening_hours: \"" + desk_hours + "\"");
        write("knowledge/places.yaml", yaml);
    }
    // `guichet serve` with the agents' password "staff-pw", the outbox polled every 100 ms,
    // and `env` (a platform's settings).
    std::unique_ptr<server_process> start_with(std::map<std::string, std::string> env) const {
        env.emplace("GUICHET_AGENTS_PASSWORD", "staff-pw");
        env.emplace("GUICHET_OUTBOX_POLL_MS", "100");
        return start(std::move(env));
    }
};

// An agent's session cookie ("name=value").
inline std::string agent_cookie(http_client& c, const std::string& name = "agnes") {
    auto r = c.request(boost::beast::http::verb::post, "/agents/api/login",
                       R"({"name":")" + name + R"(","password":"staff-pw"})");
    EXPECT_EQ(r.status, 200) << r.body;
    auto sc = r.headers["Set-Cookie"];
    return sc.substr(0, sc.find(';'));
}

// An unlabelled gauge's value in /metrics; -1 when it is not there.
inline double gauge(http_client& c, const std::string& name) {
    auto r = c.request(boost::beast::http::verb::get, "/metrics");
    std::istringstream in(r.body);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
    return -1;
}

// The queue's handoff of that conversation, or null.
inline boost::json::value queued(http_client& c, const std::string& cookie, const std::string& conv) {
    auto q = c.request(boost::beast::http::verb::get, "/agents/api/queue", "", {{"Cookie", cookie}});
    EXPECT_EQ(q.status, 200) << q.body;
    auto v = boost::json::parse(q.body);
    for (auto& h : v.at("handoffs").as_array())
        if (h.as_object().at("conversation_id") == boost::json::string(conv)) return h;
    return nullptr;
}

}  // namespace guichet::test
