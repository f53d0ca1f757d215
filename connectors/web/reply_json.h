// The engine's replies as JSON, the one shape every web-facing API answers with.
#pragma once

#include <boost/json/object.hpp>

#include "engine/message.h"

namespace guichet::web {

// {"conversation", "locale", "replies": [{"text", "buttons", "cards", "locations"}],
//  "intent": {"name" (null when not understood), "confidence"}}
boost::json::object to_json(const turn_result& r);
boost::json::object to_json(const reply& r);

}  // namespace guichet::web
