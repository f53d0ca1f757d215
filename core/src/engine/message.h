// The engine's own message and reply types: what a connector hands to the router and what
// comes back. Connectors translate platform payloads to and from these; nothing else does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace guichet {

struct geo_point {
    double lat = 0, lon = 0;
};

struct message {
    std::string channel;          // "web", "console", "telegram", …
    std::string conversation_id;  // unique within the channel
    std::string user_id;
    std::string text;
    std::string locale;  // "fr", "en" or "" (then detected from the text)
    // The page's or the app's language ("en" on an English page): taken when the text is too
    // short to tell ("funeral") and the conversation has no language yet; the text wins otherwise.
    std::string locale_hint;
    std::optional<geo_point> location;
    std::string payload;  // a pressed button's payload
    // The pressed button's title, as the citizen saw it: what histories show (the transcript
    // after a reload, the agents' console), not the payload nor the text a connector put for
    // it (Messenger's "Démarrer" is understood as "bonjour"). Optional; never understood.
    std::string title;
    std::int64_t now = 0;  // Unix seconds; 0 = the engine's clock

    // The key that orders messages: one conversation per channel and id.
    std::string conversation_key() const { return channel + '\x1f' + conversation_id; }
};

struct button {
    std::string title, payload;
};

struct card {
    std::string title, subtitle, url;
};

struct place_pin {
    std::string title;
    double lat = 0, lon = 0;
};

struct reply {
    std::string text;
    std::vector<button> buttons;
    std::vector<card> cards;
    std::vector<place_pin> locations;

    // A card whose link the text gives already (the FAQ's "Source : …"): channels that write
    // cards as text leave it out, rather than give the source twice.
    bool text_gives(const card& c) const { return !c.url.empty() && text.find(c.url) != std::string::npos; }
};

// One question of a message that asked two ("la mairie est ouverte samedi et où est la
// déchetterie ?"), as it was answered: the staff's figures count each one, and a citizen's
// vote on the answer counts for each.
struct answered_question {
    std::string text;    // the question's own words
    std::string intent;  // "" when none was recognised
    std::string source;  // as turn_result::source
    double confidence = 0;
    bool fallback = false, unanswered = false;
    // Its answer: this many of turn_result::replies, after the previous question's (0: the
    // other's answer said it already).
    std::size_t replies = 0;
};

struct turn_result {
    std::string conversation_id;
    std::string locale;  // the language answered in
    std::vector<reply> replies;
    std::string intent;  // "" when none was recognised (fallback)
    double confidence = 0;
    bool fallback = false;  // the engine's fallback was sent (not understood, plugin failed…)
    bool unanswered = false;  // understood, but the plugin had no sure answer (for staff)
    // The answer asks the citizen something (a form's question, a detail missing: "À quelle
    // adresse e-mail… ?"): the widget asks no "Réponse utile ?" under it.
    bool asks = false;
    // The knowledge entry the answer came from (an FAQ entry's id, plugin ABI 1.5
    // answered_from); "" for none. For the staff's figures per entry.
    std::string source;
    // An agent's reply (intent "handoff.agent"): the name its author chose to show citizens
    // ("Marie"); "" when they chose none.
    std::string author;
    // A message of two questions answered as two turns (engine::handle): each one, in order;
    // empty for a message of one. The fields above are the first's, replies both.
    std::vector<answered_question> questions;
};

// Who wrote an agent's reply, as citizens read it above or before the text: "Marie, agent de
// la mairie", "Town hall staff" (no name chosen). French unless `locale` is "en".
inline std::string agent_signature(const std::string& author, const std::string& locale) {
    const bool en = locale == "en";
    if (author.empty()) return en ? "Town hall staff" : "Agent de la mairie";
    return author + (en ? ", town hall staff" : ", agent de la mairie");
}

// An agent's reply for a channel that shows no author of its own (the messaging apps, Direct
// Line: every message there comes from the bot's account): its first text opens with the
// signature, "Marie, agent de la mairie : …". Any other result is returned as it is.
inline turn_result signed_by_agent(turn_result r) {
    if (r.intent != "handoff.agent" || r.replies.empty()) return r;
    r.replies[0].text = agent_signature(r.author, r.locale) + (r.locale == "en" ? ": " : " : ") +
                        r.replies[0].text;
    return r;
}

}  // namespace guichet
