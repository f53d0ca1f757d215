/* The reference plugin, in plain C: proves the ABI needs nothing but <guichet/plugin.h>.
 * It serves `reference.echo`: repeats what the citizen said, in their language, with a
 * button, and counts the turns of the conversation in the conversation's memory. */
#include <guichet/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct guichet_plugin {
    const guichet_host_api* api;
    guichet_host* host;
};

static guichet_plugin* create(const guichet_host_api* api, guichet_host* host,
                              const char* config_json, char* error, size_t error_size) {
    guichet_plugin* p;
    (void)config_json;
    if (api->struct_size < sizeof(guichet_host_api)) {
        snprintf(error, error_size, "host API table too small");
        return NULL;
    }
    p = (guichet_plugin*)malloc(sizeof *p);
    if (!p) {
        snprintf(error, error_size, "out of memory");
        return NULL;
    }
    p->api = api;
    p->host = host;
    api->log(host, GUICHET_LOG_DEBUG, "reference_c plugin created");
    return p;
}

static void destroy(guichet_plugin* p) { free(p); }

static int handle(guichet_plugin* p, guichet_turn* turn, const guichet_message* msg) {
    char text[512];
    char count[32];
    const char* previous = p->api->memory_get(turn, "reference.count");
    long n = previous ? strtol(previous, NULL, 10) + 1 : 1;
    int fr = strcmp(msg->locale, "en") != 0;
    snprintf(count, sizeof count, "%ld", n);
    p->api->memory_set(turn, "reference.count", count);
    snprintf(text, sizeof text, fr ? "Vous avez dit : « %s » (message n° %ld)"
                                   : "You said: \"%s\" (message #%ld)",
             msg->text, n);
    p->api->reply_text(turn, text);
    p->api->reply_button(turn, fr ? "Recommencer" : "Again", "echo");
    p->api->finish(turn, GUICHET_TURN_OK, NULL);
    return 0;
}

static const char* const intents[] = {"reference.echo", NULL};

static const guichet_plugin_descriptor descriptor = {
    sizeof(guichet_plugin_descriptor), GUICHET_ABI_MAJOR, GUICHET_ABI_MINOR, "reference_c",
    "1.0.0", intents, 0, create, destroy, handle};

GUICHET_PLUGIN_EXPORT const guichet_plugin_descriptor* guichet_plugin_entry(void) {
    return &descriptor;
}
