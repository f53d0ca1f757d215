// The engine's replies as JSON, the one shape every web-facing API answers with.
#pragma once

#include <boost/json/object.hpp>

#include "engine/message.h"

namespace guichet::web {

// {"conversation", "locale", "replies": [{"text", "buttons", "cards", "locations"}],
//  "intent": {"name" (null when not understood), "confidence"}}
boost::json::object to_json(const turn_result& r);
boost::json::object to_json(const reply& r);

// Reads a citizen's message from {"text", "payload", "title" (the pressed button's title),
// "location": {"lat", "lon"}, "locale", "user"}; returns "" or what is wrong (for a 400).
// Does not touch channel/conversation.
std::string read_message(const boost::json::object& o, message& m);
// The user's side of a message as a log entry ({"from": "user", "time", "text"…}).
boost::json::object user_entry(const message& m);
// Now as ISO 8601 UTC with milliseconds ("2026-11-28T16:40:06.123Z").
std::string iso_now();

}  // namespace guichet::web
