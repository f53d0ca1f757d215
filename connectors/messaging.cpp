// Reads the telegram/meta/slack/matrix/outbox sections (YAML or GUICHET_<SECTION>_<KEY>),
// registers the configured connectors, wires the outbox senders and the push hub.
#include "messaging.h"

#include "store/configured.h"

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <stdexcept>

#include "common/json_fields.h"
#include "engine/log.h"
#include "matrix/matrix.h"
#include "meta/meta.h"
#include "outbound/webhook.h"
#include "slack/slack.h"
#include "telegram/telegram.h"

namespace asio = boost::asio;

namespace guichet {

// Beside the store by default, as staff.db and analytics.db are (it went to <site>/var even
// with store.path elsewhere: the durable data split over two places).
std::filesystem::path outbox_file(const config& c, const std::filesystem::path& site_root) {
    auto p = c.get("outbox.path");
    return p.empty() ? store::state_file(c, site_root).parent_path() / "outbox.db"
                     : std::filesystem::path(p);
}

struct messaging::settings_holder {
    telegram::settings telegram;
    meta::settings meta;
    std::unique_ptr<meta::phone_numbers> whatsapp_numbers;
    slack::settings slack;
    matrix::settings matrix;
};

messaging::~messaging() {
    subscriptions_.clear();
    if (outbox) outbox->stop();
}

namespace {

// "HTTP 403: {json}" → "HTTP 403: <the platform's own words>": Telegram's description, Meta's
// and Matrix's error message, Slack's error code. Anything else stays as it is.
std::string readable_reason(const std::string& reason) {
    auto colon = reason.find(": {");
    if (reason.rfind("HTTP ", 0) != 0 || colon == std::string::npos) return reason;
    boost::system::error_code ec;
    auto v = boost::json::parse(std::string_view(reason).substr(colon + 2), ec);
    auto* o = !ec ? v.if_object() : nullptr;
    if (!o) return reason;
    std::string words = string_field(*o, "description");
    if (auto* e = object_field(*o, "error")) words = string_field(*e, "message");
    else if (words.empty()) words = string_field(*o, "error");
    return words.empty() ? reason : reason.substr(0, colon + 2) + words;
}

}  // namespace

std::vector<failed_outgoing> messaging::undelivered(const std::string& channel, const std::string& conversation,
                                                   std::int64_t since_ms) const {
    if (!outbox) return {};
    // A Matrix room's replies are queued in the room's order, whichever member they answer.
    auto out = outbox->failures(channel, channel == "matrix" ? outbound::chat_of(conversation) : conversation,
                                since_ms);
    for (auto& f : out) f.reason = readable_reason(f.reason);
    return out;
}

void messaging::add_gauges(ops::metrics& m) const {
    auto* o = outbox.get();
    if (!o) return;
    m.add_gauge("guichet_outbox_pending", "Replies to messaging apps stored and not yet accepted by the platform.",
                [o] { return double(o->pending()); });
    m.add_gauge("guichet_outbox_oldest_pending_seconds",
                "How long the oldest reply still waiting in the outbox has waited (0: none waits).",
                [o] { return std::chrono::duration<double>(o->oldest_pending_age()).count(); });
    m.add_gauge("guichet_outbox_failed", "Replies a platform refused for good (kept in the outbox, not sent).",
                [o] { return double(o->failed()); });
}

namespace {

using section = std::map<std::string, std::string>;

std::string value(const section& s, const char* key, std::string fallback = {}) {
    auto it = s.find(key);
    return it == s.end() || it->second.empty() ? fallback : it->second;
}

// True when every required key is set; false when none is; throws when only some are.
bool configured(const section& s, const char* name, std::initializer_list<const char*> keys) {
    std::vector<std::string> missing;
    std::size_t set = 0;
    for (auto k : keys) {
        if (value(s, k).empty()) missing.push_back(environment_name(std::string(name) + "." + k));
        else ++set;
    }
    if (set == 0) return false;
    if (missing.empty()) return true;
    std::string list;
    for (auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    throw std::runtime_error(std::string(name) + " connector half configured: set " + list);
}

// Pushed replies are stored on the io_context: the pusher must not wait on SQLite.
// deliver(conversation, reply) enqueues (or holds) the rendered reply.
template <class Deliver>
push_hub::subscription subscribe(push_hub& push, asio::io_context& io, const std::string& channel, Deliver deliver) {
    return push.subscribe_channel(channel, [&io, deliver](const std::string&, const std::string& conv,
                                                         const turn_result& r) {
        // An agent's words are signed: the app shows them as the bot's.
        asio::post(io, [deliver, conv, r = signed_by_agent(r)] {
            try {
                deliver(conv, r);
            } catch (const std::exception& e) {
                log::error("messaging", std::string("pushed reply lost: ") + e.what(), conv);
            }
        });
    });
}

// The connectors and the keys each needs, all or none.
struct connector_keys {
    const char* name;
    std::initializer_list<const char*> keys;
};
const connector_keys connectors[] = {
    {"telegram", {"secret_token", "bot_token"}},
    {"meta", {"app_secret", "verify_token", "access_token"}},
    {"slack", {"signing_secret", "bot_token"}},
    {"matrix", {"hs_token", "as_token", "api_url"}},
};

}  // namespace

diagnostics messaging_config_problems(const config& cfg, const std::filesystem::path& config_file) {
    diagnostics out;
    for (auto& c : connectors) {
        try {
            configured(cfg.section(c.name), c.name, c.keys);
        } catch (const std::runtime_error& e) {
            // Where the keys given were written: what to look at. The problem is said there,
            // at the first one's place in the file, or under its variable's name (a site
            // without guichet.yaml was told its missing file was half configured).
            std::string given, where;
            bool from_environment = true;
            for (auto k : c.keys)
                if (auto key = std::string(c.name) + "." + k; !value(cfg.section(c.name), k).empty()) {
                    given += (given.empty() ? "" : ", ") + cfg.setting_name(key);
                    const auto origin = cfg.origin(key);
                    if (where.empty()) where = origin;
                    from_environment = from_environment && origin.rfind("GUICHET_", 0) == 0;
                }
            if (where.empty()) where = config_file.string();
            out.push_back({where, 0, 0,
                           std::string(e.what()) +
                               (from_environment ? " (given in the environment: " : " (given: ") + given + ")"});
        }
    }
    return out;
}

std::unique_ptr<messaging> register_messaging(asio::io_context& io, http_server& server, router& r,
                                              push_hub& push, const config& cfg,
                                              const std::filesystem::path& site_root) {
    auto m = std::make_unique<messaging>();
    m->settings_ = std::make_unique<messaging::settings_holder>();
    auto& st = *m->settings_;
    auto tg = cfg.section("telegram");
    auto mt = cfg.section("meta");
    auto sl = cfg.section("slack");
    auto mx = cfg.section("matrix");
    bool use_tg = configured(tg, connectors[0].name, connectors[0].keys);
    bool use_mt = configured(mt, connectors[1].name, connectors[1].keys);
    bool use_sl = configured(sl, connectors[2].name, connectors[2].keys);
    bool use_mx = configured(mx, connectors[3].name, connectors[3].keys);
    if (!use_tg && !use_mt && !use_sl && !use_mx) return m;

    outbound::client_options co;
    co.timeout = std::chrono::milliseconds(cfg.get_int("outbox.timeout_ms"));
    m->client = std::make_unique<outbound::https_client>(co);
    outbox_options oo;
    oo.retry_base = std::chrono::milliseconds(cfg.get_int("outbox.retry_base_ms"));
    oo.retry_max = std::chrono::milliseconds(cfg.get_int("outbox.retry_max_ms"));
    oo.poll = std::chrono::milliseconds(cfg.get_int("outbox.poll_ms"));
    oo.held_max_age = std::chrono::hours(cfg.get_int("meta.held_reply_max_age_h"));
    const auto path = outbox_file(cfg, site_root);
    m->outbox = std::make_unique<outbox>(io, path, oo);
    auto& box = *m->outbox;
    auto& client = *m->client;

    if (use_tg) {
        st.telegram = {value(tg, "secret_token"), value(tg, "bot_token"),
                       value(tg, "api_url", "https://api.telegram.org")};
        telegram::register_routes(server, r, box, st.telegram, client);
        box.set_sender("telegram", telegram::make_sender(client, st.telegram));
        m->subscriptions_.push_back(subscribe(push, io, "telegram", [&box](const std::string& c, const turn_result& t) {
            box.enqueue(telegram::render(c, t));
        }));
        m->enabled.push_back("telegram");
    }
    if (use_mt) {
        st.meta = {value(mt, "app_secret"), value(mt, "verify_token"), value(mt, "access_token"),
                   value(mt, "api_url", "https://graph.facebook.com/v21.0"), value(mt, "whatsapp_template"),
                   value(mt, "whatsapp_template_language", "fr")};
        st.whatsapp_numbers = std::make_unique<meta::phone_numbers>(box, value(mt, "phone_number_id"));
        meta::register_routes(server, r, box, st.meta, *st.whatsapp_numbers);
        box.set_sender("whatsapp", meta::make_sender(client, st.meta, box));
        box.set_sender("messenger", meta::make_sender(client, st.meta, box));
        m->subscriptions_.push_back(subscribe(push, io, "messenger", [&box](const std::string& c, const turn_result& t) {
            meta::push_messenger(box, c, t, outbound::unix_seconds());
        }));
        m->subscriptions_.push_back(
            subscribe(push, io, "whatsapp",
                      [&box, &s = st.meta, numbers = st.whatsapp_numbers.get()](const std::string& c, const turn_result& t) {
                          meta::push_whatsapp(box, s, *numbers, c, t, outbound::unix_seconds());
                      }));
        m->enabled.push_back("meta");
    }
    if (use_sl) {
        st.slack.signing_secret = value(sl, "signing_secret");
        st.slack.bot_token = value(sl, "bot_token");
        st.slack.api_url = value(sl, "api_url", "https://slack.com/api");
        slack::register_routes(server, r, box, st.slack);
        box.set_sender("slack", slack::make_sender(client, st.slack));
        m->subscriptions_.push_back(subscribe(push, io, "slack", [&box](const std::string& c, const turn_result& t) {
            box.enqueue(slack::render(c, t));
        }));
        m->enabled.push_back("slack");
    }
    if (use_mx) {
        st.matrix = {value(mx, "hs_token"), value(mx, "as_token"), value(mx, "api_url"), value(mx, "user_id")};
        matrix::register_routes(server, r, box, st.matrix, client);
        box.set_sender("matrix", matrix::make_sender(client, st.matrix));
        m->subscriptions_.push_back(subscribe(push, io, "matrix", [&box](const std::string& c, const turn_result& t) {
            box.enqueue(matrix::render(c, t, matrix::addressed_to(box, c)));
        }));
        m->enabled.push_back("matrix");
    }
    box.start();
    std::string list;
    for (auto& e : m->enabled) list += (list.empty() ? "" : ", ") + e;
    log::info("messaging", "connectors on: " + list + "; outbox " + path.string() + " (" +
                               std::to_string(box.pending()) + " replies waiting)");
    return m;
}

}  // namespace guichet
