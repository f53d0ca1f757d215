// Operations and staff services of a running server: the turn observer (metrics and
// analytics around every turn), /metrics, /healthz, /readyz, the live reloader (file
// changes, SIGHUP) and the staff API (figures, unanswered questions, "add as an example").
// Configured by the free-form `ops:` section (or GUICHET_OPS_<KEY>):
//   log_format: json|text   mask_personal_data: true|false   reload: true|false
//   staff_token: <secret>   (Bearer token of /api/v1/staff/*; the staff API is off without it)
// It also owns the analytics writer (analytics_db.h: figures survive a restart; file from
// `analytics.path`, default analytics.db beside the durable state).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json/object.hpp>
#include <memory>

#include "analytics/analytics.h"
#include "analytics/analytics_db.h"
#include "ops/metrics.h"
#include "reload/reloader.h"
#include "server/http_server.h"

namespace guichet {
class app;
}

namespace guichet::ops {

// Answers one message with e and records it (metrics, analytics). Runs where handle() runs.
boost::asio::awaitable<turn_result> observed_turn(engine& e, metrics& m, analytics::store& a,
                                                  message msg);

// Applies the `ops:` section's logging settings (JSON lines, masking) and counts plugin
// failures from the log. Call once, before serving.
void configure_logging(app& a);

// Lives as long as the server: owns the reloader and the SIGHUP handler. `a` and `server`
// outlive it; construct before running a.io, on the thread that will run it.
// The running server's reloader (the admin console asks it to reload and shows its status),
// or nullptr when reload is off or no service runs. Set for the life of the service.
reloader* live_reloader();
// The reloader's status as JSON: one shape for /readyz, the staff API and the admin console.
boost::json::object reload_status_json(const reload_status& s);

// The staff figures as JSON (counts per day or week, totals, 👍/👎 per intent): one shape for
// the Bearer staff API and the admin console.
std::string figures_json(app& a, bool weekly);
// The unanswered groups as JSON ({"groups": […]}); each says when it was last asked, as Unix
// seconds (`last_asked`) and as a date and time in `lang` ("fr", "en"), formatted with ICU in
// the site's time zone (`last_asked_text`).
std::string unanswered_json(app& a, const std::string& lang = "fr");
// The answers citizens judged unhelpful, grouped ({"groups": [{"id", "question", "examples",
// "answer", "intent", "faq_id", "locale", "count", "last_voted", "last_voted_text"}]}), most
// 👎 first, with the date and time in `lang` as for the unanswered questions.
std::string unhelpful_json(app& a, const std::string& lang = "fr");
// The FAQ's entries with their figures ({"entries": [{"id", "topic", "question" (its first,
// in `lang`), "in_knowledge", "shown", "useful", "not_useful"}]}): most 👎 first, then most
// shown, then the entries never shown yet; an entry no longer in the knowledge base keeps its
// figures ("in_knowledge": false).
std::string faq_json(app& a, const std::string& lang = "fr");
// "en" when the request's query says lang=en, else "fr".
std::string query_lang(const request_context& ctx);
// Adds `text` as an example of `intent` in its `locale` file, forgets the group and asks for a
// reload; returns the HTTP answer (200 with the file, 404, 409 with file:line:column).
http_response add_example(app& a, const std::string& body);

class service {
public:
    service(app& a, http_server& server);
    ~service();
    reloader* reload() { return reloader_.get(); }
    // /readyz answers 503 from now on (graceful stop).
    void draining() { draining_ = true; }

private:
    void wait_hup();
    app& app_;
    std::unique_ptr<reloader> reloader_;
    boost::asio::signal_set hup_;
    std::atomic<bool> draining_{false};
    std::string staff_token_;
    std::unique_ptr<analytics::writer> analytics_writer_;
};

}  // namespace guichet::ops
