// Serialisation of replies; empty lists are omitted to keep answers small.
#include "web/reply_json.h"

#include <boost/json.hpp>

namespace guichet::web {

boost::json::object to_json(const reply& r) {
    boost::json::object o{{"text", r.text}};
    if (!r.buttons.empty()) {
        boost::json::array a;
        for (auto& b : r.buttons) a.push_back({{"title", b.title}, {"payload", b.payload}});
        o["buttons"] = std::move(a);
    }
    if (!r.cards.empty()) {
        boost::json::array a;
        for (auto& c : r.cards) {
            boost::json::object co{{"title", c.title}};
            if (!c.subtitle.empty()) co["subtitle"] = c.subtitle;
            if (!c.url.empty()) co["url"] = c.url;
            a.push_back(std::move(co));
        }
        o["cards"] = std::move(a);
    }
    if (!r.locations.empty()) {
        boost::json::array a;
        for (auto& l : r.locations) a.push_back({{"title", l.title}, {"lat", l.lat}, {"lon", l.lon}});
        o["locations"] = std::move(a);
    }
    return o;
}

boost::json::object to_json(const turn_result& r) {
    boost::json::array replies;
    for (auto& x : r.replies) replies.push_back(to_json(x));
    boost::json::object intent{{"confidence", r.confidence}};
    if (r.intent.empty())
        intent["name"] = nullptr;
    else
        intent["name"] = r.intent;
    return {{"conversation", r.conversation_id},
            {"locale", r.locale},
            {"replies", std::move(replies)},
            {"intent", std::move(intent)}};
}

}  // namespace guichet::web
