// The dialogue engine: for one message, understands it against the current site (intent,
// entities, slots), keeps the conversation's context (a question pending, the last service
// talked about), and answers with a static answer or by running the plugin that owns the
// intent — with a polite fallback when nothing fits or the plugin fails.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/message.h"
#include "engine/site.h"
#include "plugin_host/plugin_host.h"
#include "store/store.h"

namespace guichet {

// The intent the engine asks itself when nothing else answered (no intent file names it).
inline constexpr std::string_view last_resort_intent = "smalltalk.fallback";

struct engine_options {
    std::chrono::milliseconds turn_deadline{3000};
    double ambiguity_margin = 0.12;
    // An urgent intent chosen below this, on words foreign to its examples, lets a sure FAQ
    // answer first ("passeport en urgence"), its button beside.
    double urgent_sure = 0.9;
    // A message not understood is first put to this intent's plugin ("can I burn garden
    // waste?": the FAQ knows); its answer is given unless it marks the question unanswered.
    std::string fallback_intent;
    std::size_t message_max_bytes = 4096;
    std::int64_t context_idle_seconds = 1800;  // a pending question is forgotten after this
    // A request for an agent no agent has taken after this long is given up when the citizen
    // writes again: the bot answers (a day later, nobody is waiting behind the queue).
    std::int64_t handoff_wait_max_seconds = 8 * 3600;
    bool log_messages = true;  // keep the (masked) message log in the store
};

// What the engine understood of one text, before answering.
struct understanding {
    std::string locale;
    std::string intent;  // "" when out of scope
    double confidence = 0;
    bool ambiguous = false;
    bool guessed = false;  // the intent is the classifier's choice (not a pattern, a button, a form)
    bool names_nothing = false;  // the message fills none of the intent's slots (if any)
    std::vector<nlu::scored_intent> ranked;
    std::vector<entities::entity> entities;
    std::map<std::string, std::string> slots;  // filled slots (datetime: also .start/.end)
    std::string missing_slot;                  // a required slot that is still missing
    std::string invalid_slot;  // = missing_slot when its answer failed `validate:` (ask the hint)
    // "la mairie et la poste", "le 24 et le 31": the slot's other values, joined to the first
    // by "et" / "and".
    std::string also_slot;
    std::vector<entities::entity> also_values;
};

// What the engine keeps between the turns of one conversation.
struct conversation_state {
    std::map<std::string, std::string> memory;  // plugins' memory and "last.<entity>"
    std::string pending_intent, pending_slot, pending_text;
    std::map<std::string, std::string> pending_slots;
    std::string locale;  // of the last turn: "oui", "ok", "bye" alone do not tell the language
    int failures = 0;  // not understood in a row
    std::int64_t last_seen = 0;
};

class engine {
public:
    engine(plugin_host& plugins, std::shared_ptr<site> s, engine_options o);

    // Swaps the site atomically; turns in progress finish on the one they started with.
    void set_site(std::shared_ptr<site> s) { site_.store(std::move(s)); }
    std::shared_ptr<site> current_site() const { return site_.load(); }

    // Answers one message; never two of one conversation at once (the router's job).
    boost::asio::awaitable<turn_result> handle(message m);

    // Understanding without context and without answering: for `guichet test` and tests.
    // `found`: the message's entities when the caller has already extracted them.
    understanding understand(const site& s, const std::string& text, std::string locale,
                             std::int64_t now, const conversation_state* context = nullptr,
                             const std::string& forced_intent = {},
                             bool shared_location = false,
                             const std::vector<entities::entity>* found = nullptr) const;

    std::size_t conversations() const;

    // Makes conversation state durable and backs the plugins' records (ABI 1.1) with `st`.
    // Call before the first turn; st must outlive the engine. nullptr: back to a private in-memory store.
    void set_store(store::store* st) { store_ = st ? st : own_store_.get(); }
    store::store* store() const { return store_; }

    // How many agents are signed in to the agents' console now (the handoff plugin promises a
    // person only then, ABI 1.3). Call before the first turn; thread-safe to call. Unset: none.
    void set_agents_signed_in(std::function<std::size_t()> fn) { agents_signed_in_ = std::move(fn); }

    // Memory merged into the conversation's state at its next turn (`key`: the message's
    // conversation_key()), for words the host said outside a turn: the duty check's call-back
    // offer sets what the handoff plugin's own offer sets, so that the answer typed back (a
    // phone number alone) goes to that plugin. Kept in this process, until that turn or
    // context_idle_seconds after `now`. Thread-safe.
    void remember_at_next_turn(const std::string& key, std::map<std::string, std::string> memory,
                               std::int64_t now);

    // The turn's language. `told`, when given, says whether the text itself told it (else the
    // channel's locale, the conversation's or the page's decided, or the site's first).
    std::string pick_locale(const site& s, const message& m, const conversation_state& st,
                            bool* told = nullptr) const;

  private:
    conversation_state load_state(const std::string& key);
    // A message that asks two questions: the first's words, and the message asking the second
    // (none when there is one question, or the first opened a form).
    struct two_questions {
        std::string first;
        std::optional<message> second;
    };
    // The turn itself; handle commits what it wrote to `w`. Given `split`, a message that asks
    // two questions is answered on its first and the second is left there, for handle to
    // answer after (`continued`: the citizen's message is already in the transcript).
    boost::asio::awaitable<turn_result> answer(message m, store::turn_writes& w,
                                               two_questions* split = nullptr,
                                               bool continued = false);
    void save_state(const message& m, conversation_state st, store::turn_writes& w);
    void log_turn(const message& m, const std::string& direction, const std::string& text,
                  store::turn_writes& w, bool as_written = false);

    plugin_host& plugins_;
    std::atomic<std::shared_ptr<site>> site_;
    engine_options options_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, conversation_state> states_;
    // Until set_store: a private in-memory store, so that forms and records work the same
    // in `guichet test` and in tests.
    std::unique_ptr<store::store> own_store_ = store::open_sqlite(":memory:");
    store::store* store_ = own_store_.get();
    std::function<std::size_t()> agents_signed_in_;
    struct later_memory {
        std::map<std::string, std::string> memory;
        std::int64_t at = 0;
    };
    std::unordered_map<std::string, later_memory> next_turn_memory_;  // guarded by mutex_
    std::atomic<bool> waiting_memory_{false};  // next_turn_memory_ not empty: a turn looks
};

}  // namespace guichet
