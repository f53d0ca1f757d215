// The messaging-app connectors (Telegram, WhatsApp + Messenger, Slack, Matrix) assembled
// from the configuration: each is on only when its secrets are set (see MESSAGING.md), all
// share one outbound HTTPS client and one durable outbox.
#pragma once

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <memory>
#include <utility>  // push.h uses std::exchange
#include <string>
#include <vector>

#include "config/config.h"
#include "engine/push.h"
#include "ops/metrics.h"
#include "outbound/https_client.h"
#include "outbox/outbox.h"
#include "router/router.h"
#include "server/http_server.h"

namespace guichet {

// Owns the outbox, the client, the push subscriptions and the settings the routes use.
// Keep it alive as long as the server; destroy it before the io_context.
class messaging {
public:
    ~messaging();
    std::vector<std::string> enabled;  // "telegram", "meta", "slack", "matrix"
    std::unique_ptr<outbound::https_client> client;
    std::unique_ptr<guichet::outbox> outbox;  // null when no connector is enabled

    // The outbox's backlog on /metrics (replies waiting, the oldest one's age, refused ones).
    void add_gauges(ops::metrics& m) const;
    // The replies a platform refused for good in a conversation (the store's channel and
    // conversation id) since `since_ms`: what the agents' console warns about.
    std::vector<failed_outgoing> undelivered(const std::string& channel, const std::string& conversation,
                                             std::int64_t since_ms) const;

private:
    friend std::unique_ptr<messaging> register_messaging(boost::asio::io_context&, http_server&, router&,
                                                         push_hub&, const config&,
                                                         const std::filesystem::path&);
    struct settings_holder;
    std::unique_ptr<settings_holder> settings_;
    std::vector<push_hub::subscription> subscriptions_;
};

// Where the outbox is: outbox.path, else <site>/var/outbox.db (also for `guichet backup`).
std::filesystem::path outbox_file(const config& c, const std::filesystem::path& site_root);

// What `serve` would refuse in the connectors' settings, for `guichet check`: one problem per
// half-configured connector ("slack connector half configured: set GUICHET_SLACK_BOT_TOKEN"),
// said where the keys given were written: their place in the configuration file, or the
// variable's name when they came from the environment (config_file when neither is known).
diagnostics messaging_config_problems(const config& cfg, const std::filesystem::path& config_file);

// Registers the routes of every configured connector on `server` and starts delivering the
// outbox (<site>/var/outbox.db unless outbox.path is set). Throws std::runtime_error with a
// clear message when a connector is half configured or the outbox cannot be opened.
std::unique_ptr<messaging> register_messaging(boost::asio::io_context& io, http_server& server,
                                              router& r, push_hub& push, const config& cfg,
                                              const std::filesystem::path& site_root);

}  // namespace guichet
