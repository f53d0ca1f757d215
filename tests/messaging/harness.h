// The in-process test bench of the messaging connectors: the real engine on the test site
// (tests/messaging/site), a router that records what reaches the engine, the real HTTP
// server on 127.0.0.1:0 with register_messaging(), and one fake platform per API.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <string>

#include "app/app.h"
#include "engine/log.h"
#include "fake_platform.h"
#include "messaging.h"
#include "outbound/webhook.h"
#include "server/http_server.h"
#include "support/logged_warnings.h"

namespace guichet::test {

inline std::filesystem::path temp_dir(const std::string& name) {
    auto p = std::filesystem::temp_directory_path() /
             ("guichet-messaging-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(p);
    std::filesystem::create_directories(p);
    return p;
}

struct bench {
    fake_platform telegram_api, meta_api, slack_api, matrix_api;
    std::filesystem::path dir;
    std::unique_ptr<app> a;
    std::unique_ptr<router> rec_router;
    std::unique_ptr<http_server> server;
    std::unique_ptr<guichet::messaging> messaging;
    std::vector<std::thread> threads;
    unsigned short port = 0;
    std::mutex mutex;
    std::vector<message> seen;  // what reached the engine
    std::string fails_on;       // a message with this text fails its turn (the router refuses it)

    // default_commune: the default commune's content with the built plugins (places…),
    // instead of the test site's static answers.
    // configure: changes the settings after the defaults below (e.g. unset one).
    explicit bench(const std::string& name, std::size_t body_limit = 16 * 1024,
                   bool default_commune = false, const std::function<void(config&)>& configure = {}) {
        dir = temp_dir(name);
        std::filesystem::create_directories(dir / "plugins");
        // Only the test site's static answers: other plugins are not this test's business.
        ::setenv("GUICHET_PLUGINS_DIR", default_commune ? GUICHET_PLUGIN_DIR : (dir / "plugins").c_str(), 1);
        ::setenv("GUICHET_KB_PATH", (dir / "knowledge.db").c_str(), 1);
        std::ostringstream err;
        app_options o;
        o.site = default_commune ? std::filesystem::path(GUICHET_SOURCE_DIR)
                                 : std::filesystem::path(GUICHET_SOURCE_DIR) / "tests/messaging/site";
        a = app::create(o, err);
        if (!a) throw std::runtime_error("test site does not load: " + err.str());
        auto& c = a->config;
        c.set("telegram.secret_token", "tg-secret");
        c.set("telegram.bot_token", "123:ABC");
        c.set("telegram.api_url", telegram_api.url());
        c.set("meta.app_secret", "meta-app-secret");
        c.set("meta.verify_token", "meta-verify");
        c.set("meta.access_token", "meta-access");
        c.set("meta.api_url", meta_api.url() + "/v21.0");
        c.set("slack.signing_secret", "slack-signing");
        c.set("slack.bot_token", "xoxb-test");
        c.set("slack.api_url", slack_api.url() + "/api");
        c.set("matrix.hs_token", "hs-secret");
        c.set("matrix.as_token", "as-secret");
        c.set("matrix.api_url", matrix_api.url());
        c.set("matrix.user_id", "@guichet:example.org");
        c.set("outbox.path", (dir / "outbox.db").string());
        c.set("outbox.retry_base_ms", "100");
        c.set("outbox.retry_max_ms", "400");
        c.set("outbox.poll_ms", "100");
        c.set("outbox.timeout_ms", "3000");
        if (configure) configure(c);
        auto* eng = a->engine.get();
        rec_router = std::make_unique<router>(a->io, [this, eng](message m) {
            {
                std::lock_guard lock(mutex);
                seen.push_back(m);
                if (!fails_on.empty() && m.text == fails_on) throw std::runtime_error("turn failed on purpose");
            }
            return eng->handle(std::move(m));
        });
        http_limits limits;
        limits.body_limit = body_limit;
        server = std::make_unique<http_server>(a->io, limits);
        messaging = register_messaging(a->io, *server, *rec_router, a->push, a->config, dir);
        port = server->listen("127.0.0.1", 0);
        for (int i = 0; i < 2; ++i) threads.emplace_back([this] { a->io.run(); });
    }

    ~bench() {
        server->stop();
        a->io.stop();
        for (auto& t : threads) t.join();
        messaging.reset();
        server.reset();
        rec_router.reset();
        a.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }

    std::vector<message> engine_saw() {
        std::lock_guard lock(mutex);
        return seen;
    }

    // The citizen's side of the conversation's history, as the agents' console shows it.
    std::vector<std::string> citizen_said(const std::string& channel, const std::string& conversation) {
        std::vector<std::string> in;
        for (auto& m : a->store->transcript(channel, conversation))
            if (m.direction == "in") in.push_back(m.text);
        return in;
    }
};

// Webhook headers signed as each platform signs them, with the test site's secrets.
inline std::map<std::string, std::string> meta_signed(const std::string& body,
                                                      const std::string& secret = "meta-app-secret") {
    return {{"X-Hub-Signature-256", "sha256=" + outbound::hmac_sha256_hex(secret, body)}};
}

inline long long unix_now() { return outbound::unix_seconds(); }

inline std::map<std::string, std::string> slack_signed(const std::string& body, long long ts = unix_now(),
                                                       const std::string& secret = "slack-signing") {
    auto t = std::to_string(ts);
    return {{"X-Slack-Request-Timestamp", t},
            {"X-Slack-Signature", "v0=" + outbound::hmac_sha256_hex(secret, "v0:" + t + ":" + body)}};
}

// A Slack Events API callback around `ev`.
inline std::string slack_event(const std::string& id, boost::json::object ev) {
    return boost::json::serialize(boost::json::object{{"token", "legacy"},
                                                      {"team_id", "T1"},
                                                      {"api_app_id", "A1"},
                                                      {"event", std::move(ev)},
                                                      {"type", "event_callback"},
                                                      {"event_id", id},
                                                      {"event_time", 1700000000}});
}

}  // namespace guichet::test
