// What Meta's webhook sends the tests' server for WhatsApp: a Cloud API notification
// (object "whatsapp_business_account") around one change, and a message of the citizen
// 33612345678. Written once for the messaging and end-to-end tests.
#pragma once

#include <boost/json.hpp>
#include <string>

namespace guichet::test {

// One change whose value is `value` ("messages", "statuses"…), received by the business
// number `phone_number_id`.
inline std::string whatsapp_notification(boost::json::object value, const std::string& phone_number_id = "PNID") {
    value["messaging_product"] = "whatsapp";
    value["metadata"] = {{"display_phone_number", "33100000000"}, {"phone_number_id", phone_number_id}};
    boost::json::object change{{"field", "messages"}, {"value", std::move(value)}};
    boost::json::object entry{{"id", "WABA"}, {"changes", boost::json::array{std::move(change)}}};
    return boost::json::serialize(
        boost::json::object{{"object", "whatsapp_business_account"}, {"entry", boost::json::array{std::move(entry)}}});
}

// A message of the citizen 33612345678: its wamid and `fields` (type, text, location…).
inline boost::json::object wa_message(const std::string& wamid, boost::json::object fields) {
    boost::json::object m{{"from", "33612345678"}, {"id", wamid}, {"timestamp", "1700000000"}};
    for (auto& [k, v] : fields) m[k] = v;
    return m;
}

// A notification of one citizen's message.
inline std::string whatsapp(const std::string& wamid, boost::json::object fields,
                            const std::string& phone_number_id = "PNID") {
    return whatsapp_notification({{"messages", boost::json::array{wa_message(wamid, std::move(fields))}}},
                                 phone_number_id);
}

}  // namespace guichet::test
