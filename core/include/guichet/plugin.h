/* guichet plugin contract — the only header a plugin needs.
 *
 * Pure C (C99 and C++), standard headers only, so that a plugin is tied neither to our
 * compiler nor to our standard library or Boost version. A plugin is a shared library that
 * exports one function, guichet_plugin_entry(), returning a constant descriptor. The host
 * checks the descriptor's ABI version before it calls any other plugin code.
 *
 * Versioning: GUICHET_ABI_MAJOR changes when anything existing changes meaning or layout;
 * a plugin is loaded only when its major equals the host's and its minor is <= the host's.
 * Structs start with their size and only ever grow at the end; every addition is marked
 * with the minor that added it ("since 1.N").
 *
 * Strings are UTF-8 and NUL-terminated everywhere. Unless a function says otherwise, a
 * pointer passed to the plugin is owned by the host and valid until the call returns, and
 * a pointer passed to the host is copied before the call returns.
 */
#ifndef GUICHET_PLUGIN_H
#define GUICHET_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GUICHET_ABI_MAJOR 1
#define GUICHET_ABI_MINOR 5

#if defined(_WIN32)
#define GUICHET_PLUGIN_EXPORT __declspec(dllexport)
#else
#define GUICHET_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* The name of the one symbol a plugin exports. */
#define GUICHET_PLUGIN_ENTRY_SYMBOL "guichet_plugin_entry"

/* Opaque handles. guichet_plugin is the plugin's own instance (the host never looks
 * inside); guichet_host identifies the host side of one loaded plugin; guichet_turn is one
 * message being answered. */
typedef struct guichet_plugin guichet_plugin;
typedef struct guichet_host guichet_host;
typedef struct guichet_turn guichet_turn;

typedef enum guichet_log_level {
    GUICHET_LOG_DEBUG = 0,
    GUICHET_LOG_INFO = 1,
    GUICHET_LOG_WARN = 2,
    GUICHET_LOG_ERROR = 3
} guichet_log_level;

/* Result of a turn, given to finish(). Anything but GUICHET_TURN_OK makes the host send its
 * polite fallback instead of the replies the plugin added. */
typedef enum guichet_turn_status {
    GUICHET_TURN_OK = 0,
    GUICHET_TURN_ERROR = 1
} guichet_turn_status;

/* Plugin flags (descriptor.flags). */
#define GUICHET_PLUGIN_BLOCKING 0x1u /* handle() may block (I/O, long work): the host calls it
                                        on its worker pool, never on a network thread. */

/* The message being answered, as the host understood it. Valid until the turn is finished;
 * read it from any thread until then. */
typedef struct guichet_message {
    size_t struct_size;          /* sizeof(guichet_message) of the host that filled it */
    const char* channel;         /* "web", "console", "telegram", … */
    const char* conversation_id; /* stable per conversation on its channel */
    const char* user_id;
    const char* text;            /* what the citizen wrote (may be "" when only a payload came) */
    const char* locale;          /* language of the answer to give: "fr" or "en" */
    const char* intent;          /* the intent this plugin is asked to serve */
    double confidence;           /* the classifier's confidence in it, 0..1 */
    int has_location;            /* 1 when lat/lon hold a location shared by the citizen */
    double lat, lon;             /* WGS 84 degrees */
    const char* payload;         /* a pressed button's payload, or "" */
    int64_t now;                 /* the turn's clock, Unix seconds (fixed in tests) */
    const char* time_zone;       /* the site's IANA time zone, e.g. "Europe/Paris" */
} guichet_message;

/* One row of a knowledge-base query: column values as text (NULL for SQL NULL) and names.
 * Both arrays are valid only during the callback. Return 0 to go on, non-zero to stop. */
typedef int (*guichet_row_callback)(void* user, int column_count, const char* const* values,
                                    const char* const* names);

/* One interval of an opening_hours evaluation: [start, end) in Unix seconds; unknown is 1
 * when the state is "unknown" (e.g. "sur rendez-vous", open end); comment may be NULL.
 * Valid only during the callback. Return 0 to go on, non-zero to stop. */
typedef int (*guichet_interval_callback)(void* user, int64_t start, int64_t end, int unknown,
                                         const char* comment);

/* Services the host offers. The table is owned by the host and outlives the plugin
 * instance. Functions taking a guichet_turn may be called from any thread, but only
 * between handle() and finish() of that turn; the others from any thread at any time
 * between create() and the return of destroy(). A turn handle is a number, not an address:
 * NULL, or the handle of a turn already finished (kept past finish(), a bug), is refused and
 * logged, never followed; it reaches no other turn. The function does nothing and returns as
 * when it has nothing (NULL, 0, non-zero with the error "NULL turn handle" or "turn handle of
 * a finished turn"). */
typedef struct guichet_host_api {
    size_t struct_size; /* sizeof(guichet_host_api) of the host */
    uint32_t abi_major, abi_minor;

    /* --- since 1.0 --- */

    /* Writes one line to the engine's log, tagged with the plugin's name. */
    void (*log)(guichet_host* host, guichet_log_level level, const char* message);

    /* A slot of the turn (filled by the dialogue from the intent file's slots: "service",
     * "when", "street", …), or NULL when absent. Datetime slots are local ISO-8601 strings
     * (the start of the period meant); their period is in slot "<name>.start"/"<name>.end"
     * as decimal Unix seconds, and its grain in "<name>.grain" ("instant", "hour",
     * "part_of_day", "day", "days" for a span of days, "week", "month"; absent for a
     * default or a value kept from an earlier turn). A street slot's house number, when
     * written just before it ("12 rue Pasteur", "12 bis rue Pasteur"), is in "<name>.number".
     * A slot not said in this message but kept from an earlier turn ("et dimanche ?" after the
     * library: the service) also has "<name>.remembered" = "1".
     * The string is valid until the turn is finished. */
    const char* (*slot)(guichet_turn* turn, const char* name);

    /* Per-conversation memory shared by the plugins of a conversation (e.g. "last_service").
     * get returns NULL when absent; the string is valid until the turn is finished. set with
     * value NULL removes the key. Keys and values are at most 4096 bytes. */
    const char* (*memory_get)(guichet_turn* turn, const char* key);
    void (*memory_set)(guichet_turn* turn, const char* key, const char* value);

    /* Runs one read-only SQL statement (SELECT or WITH) on the site's knowledge base, with
     * params bound as text to ?1..?N, calling row for each row, synchronously on the
     * calling thread. Returns 0 on success; otherwise writes a message into error
     * (error_size bytes, NUL-terminated, may be NULL/0) and returns non-zero. The schema is
     * documented in knowledge/README.md. */
    int (*kb_query)(guichet_turn* turn, const char* sql, const char* const* params,
                    size_t param_count, guichet_row_callback row, void* user, char* error,
                    size_t error_size);

    /* Evaluates an OpenStreetMap opening_hours expression over [from, to) in the site's time
     * zone with its public holidays, calling cb for each open or unknown interval in order.
     * Returns 0, or non-zero with a message in error (as kb_query). */
    int (*hours_intervals)(guichet_turn* turn, const char* expression, int64_t from, int64_t to,
                           guichet_interval_callback cb, void* user, char* error,
                           size_t error_size);

    /* The name of the public holiday that the local day containing `at` is, in the turn's
     * language, copied into out (NUL-terminated, truncated to out_size); returns 1 when it
     * is a holiday, 0 otherwise. */
    int (*holiday_name)(guichet_turn* turn, int64_t at, char* out, size_t out_size);

    /* Formats `at` in the turn's language and the site's time zone with ICU, from a skeleton
     * ("EEEEdMMMM" → "samedi 6 décembre" / "Saturday 6 December", "Hm" → "08:30" /
     * "8:30 AM"; "Hm" in French uses the "8 h 30" style). Copies into out; returns the full
     * length (excluding NUL), so a too small buffer can be detected. */
    size_t (*format_time)(guichet_turn* turn, int64_t at, const char* skeleton, char* out,
                          size_t out_size);

    /* A NULL title or text below is a plugin's bug: the call is logged (warn), naming the
     * plugin and the function, and what it would add is left out (a NULL text adds an empty
     * bubble, left out when nothing is added to it). */
    /* Adds a text reply (a new bubble). */
    void (*reply_text)(guichet_turn* turn, const char* text);
    /* Adds a quick-reply button to the last reply (a new empty reply if there is none).
     * payload is what the engine receives when the citizen presses it (NULL: the title). */
    void (*reply_button)(guichet_turn* turn, const char* title, const char* payload);
    /* Adds a card (title, optional subtitle and link; NULL for none) to the last reply. */
    void (*reply_card)(guichet_turn* turn, const char* title, const char* subtitle,
                       const char* url);
    /* Adds a place on a map to the last reply. Its title is required: a NULL title leaves
     * the place out (an untitled pin tells the citizen nothing). */
    void (*reply_location)(guichet_turn* turn, const char* title, double lat, double lon);

    /* Ends the turn: the host sends what was added (status OK) or its fallback (otherwise;
     * error_message, which may be NULL, goes to the log). Call it exactly once per turn,
     * from any thread, now or later; after it returns, the turn handle is invalid. A turn
     * finished after its deadline is discarded quietly (the citizen already had the
     * fallback). */
    void (*finish)(guichet_turn* turn, guichet_turn_status status, const char* error_message);

    /* --- since 1.1: durable records in the engine's store (check abi_minor >= 1) --- */

    /* Files a report for the turn's citizen (channel, conversation and user of the message).
     * fields are `count` key/value pairs: "service_code" (required), "description"
     * (required), "address", "lat", "long", "media_url", "email", "phone", "name".
     * Written durably before it returns. On success copies the ticket ("2026-0042") into
     * ticket and returns 0; otherwise a message into error and non-zero. */
    int (*report_create)(guichet_turn* turn, const char* const* keys, const char* const* values,
                         size_t count, char* ticket, size_t ticket_size, char* error,
                         size_t error_size);

    /* Looks a report up by ticket: calls row once with its GeoReport v2 fields
     * (service_request_id, status, status_notes, service_code, service_name, description,
     * address, lat, long, requested_datetime, updated_datetime) and returns 1, or returns 0
     * when there is no such report. */
    int (*report_get)(guichet_turn* turn, const char* ticket, guichet_row_callback row,
                      void* user);

    /* Asks for a human. kind is "queue" (join the agents' inbox now), "callback" or "email"
     * (a request stored as a ticket); contact is the phone number or e-mail (may be NULL for
     * "queue"), note free text (may be NULL). Durable before it returns. Copies the ticket
     * into ticket and returns 0; otherwise an error message and non-zero. */
    int (*handoff_request)(guichet_turn* turn, const char* kind, const char* contact,
                           const char* note, char* ticket, size_t ticket_size, char* error,
                           size_t error_size);

    /* Erases the turn's citizen's conversations, messages, contact details and reports'
     * personal fields (anonymous counts stay). Returns the number of records erased, or -1
     * on failure. The conversation's memory is cleared when the turn finishes. */
    int64_t (*erase_user_data)(guichet_turn* turn);

    /* Exports the turn's citizen's data: calls row for each record (columns kind, at, text).
     * Returns 0, or non-zero with a message in error. */
    int (*export_user_data)(guichet_turn* turn, guichet_row_callback row, void* user,
                            char* error, size_t error_size);

    /* --- since 1.2 (check abi_minor >= 2) --- */

    /* The turn's replies say that there is no sure answer (a question the FAQ has nothing
     * close enough for): the host still sends them, and lists the citizen's question among
     * those the staff see as unanswered. Call before finish(). */
    void (*mark_unanswered)(guichet_turn* turn);

    /* --- since 1.3 (check abi_minor >= 3) --- */

    /* How many agents are signed in to the agents' console now (a live session, seen within
     * the console's idle time): 0 when nobody is, and when the host serves no console (a
     * conversation test, `guichet chat`). A person is promised only when this is > 0. */
    int64_t (*agents_signed_in)(guichet_turn* turn);

    /* --- since 1.4 (check abi_minor >= 4) --- */

    /* The id of the knowledge base's place that is the town's front desk (the setting
     * `agents.desk_place`, "accueil_mairie" by default): its opening hours are the agents'
     * duty hours, its name and phone what a citizen is told to call. Never NULL; the place
     * may be missing from the knowledge base (`guichet check` reports it). Valid until the
     * turn is finished. A plugin on an older host uses "accueil_mairie". */
    const char* (*desk_place)(guichet_turn* turn);

    /* --- since 1.5 (check abi_minor >= 5) --- */

    /* Names the knowledge-base entry the turn's answer comes from (an FAQ entry's id), for
     * the staff: how often each entry is shown and how citizens rate it. entry_id is copied;
     * NULL or "" names none; the last call wins. Call before finish(). */
    void (*answered_from)(guichet_turn* turn, const char* entry_id);
} guichet_host_api;

/* The constant description of a plugin, returned by guichet_plugin_entry(). The host reads
 * struct_size, abi_major and abi_minor first and calls nothing else unless they fit. */
typedef struct guichet_plugin_descriptor {
    size_t struct_size; /* sizeof(guichet_plugin_descriptor) the plugin was built with */
    uint32_t abi_major; /* GUICHET_ABI_MAJOR the plugin was built with */
    uint32_t abi_minor; /* GUICHET_ABI_MINOR the plugin was built with */
    const char* name;   /* unique plugin name, [a-z0-9_]+, as named in intent files */
    const char* version;
    const char* const* intents; /* NULL-terminated list of the intents it serves */
    uint32_t flags;             /* GUICHET_PLUGIN_* */

    /* Creates the plugin's instance. Called once, on the host's main thread, before any
     * handle(). api and host stay valid until destroy() returns. config_json is the
     * plugin's section of the configuration as a JSON object ("{}" when none). On failure
     * return NULL and write a short reason into error (error_size bytes). */
    guichet_plugin* (*create)(const guichet_host_api* api, guichet_host* host,
                              const char* config_json, char* error, size_t error_size);

    /* Destroys the instance. Called once, on the host's main thread, after every turn it
     * was given has been finished or abandoned past its deadline. */
    void (*destroy)(guichet_plugin* plugin);

    /* Answers one message. Called on a network thread (or on a worker thread when the
     * plugin is BLOCKING); several calls may run at once for different conversations.
     * Must return quickly unless BLOCKING. Returns 0 when the turn is (or will be)
     * finished with finish(); non-zero means the plugin refuses the turn and will NOT call
     * finish() (the host sends its fallback). msg is valid until the turn is finished. */
    int (*handle)(guichet_plugin* plugin, guichet_turn* turn, const guichet_message* msg);
} guichet_plugin_descriptor;

/* The one exported function. Must return a pointer to constant data valid while the
 * library is loaded, and do nothing else. */
typedef const guichet_plugin_descriptor* (*guichet_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* GUICHET_PLUGIN_H */
