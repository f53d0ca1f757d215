// Reading fields of untrusted JSON objects (webhooks, request bodies, stored state): a field of
// the wrong type reads as absent.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace guichet {

// o[key] when it is a string, else "".
inline std::string string_field(const boost::json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// o[key] when it is an object, else nullptr.
inline const boost::json::object* object_field(const boost::json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    return v && v->is_object() ? &v->get_object() : nullptr;
}

// o[key] when it is an array, else nullptr.
inline const boost::json::array* array_field(const boost::json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    return v && v->is_array() ? &v->get_array() : nullptr;
}

}  // namespace guichet
