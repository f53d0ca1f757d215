// The website channel's REST API: POST /api/v1/messages answers one message with the
// conversation's replies (see the README for the JSON shapes).
#pragma once

#include "router/router.h"
#include "server/http_server.h"

namespace guichet::web {

struct api_options {
    std::size_t text_max_bytes = 4096;  // a longer "text" is refused with 413
};

void register_api(http_server& server, router& r, api_options options = {});

}  // namespace guichet::web
