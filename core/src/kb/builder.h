// Compiles the staff-editable knowledge sources of a commune (knowledge/ folder: YAML and CSV)
// into the read-only SQLite knowledge base, or only checks them (`guichet check`).
// Also the `guichet kb build` command, called by the main executable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/diagnostic.h"

namespace guichet::kb {

// What is wrong with an `opening_hours` expression: the 0-based byte offset of the offending
// character inside it, and the message in English and French.
struct opening_hours_problem {
    std::size_t offset = 0;
    std::string en, fr;
};
// Validates one OpenStreetMap `opening_hours` expression. Returns nullopt when valid.
using opening_hours_validator =
    std::function<std::optional<opening_hours_problem>(std::string_view expr)>;

struct build_options {
    // Checks `opening_hours` values; empty: that check is skipped (the engine wires the
    // hours component in). Called on the building thread only.
    opening_hours_validator validate_opening_hours;
    // The first local day in [first_day, last_day] (days since 1970-01-01) on which a valid
    // `opening_hours` expression opens, or nullopt. Compares a place's note saying it is closed
    // on dates ("Fermeture du 2 au 22 août") with its hours; empty: not compared.
    std::function<std::optional<std::int64_t>(std::string_view expr, std::int64_t first_day,
                                              std::int64_t last_day)>
        first_open_day;
    // IANA time zone in which alert `from`/`until` local date-times are read.
    std::string time_zone = "Europe/Paris";
    // Language of diagnostic messages: "fr" (default, staff are French) or "en".
    std::string lang = "fr";
    // The time dated content is checked against (an alert that has ended, a collection change
    // in the past), Unix seconds; 0: the clock's.
    std::int64_t now = 0;
};

struct build_counts {
    std::size_t places = 0;
    std::size_t place_names = 0;
    std::size_t faq = 0;
    std::size_t waste_zones = 0;
    std::size_t waste_streets = 0;
    std::size_t alerts = 0;
};

// A name a source refers to that the knowledge does not define (an alert's intent), and
// where it is written (1-based line, column in characters).
struct reference {
    std::string name, file;
    int line = 0, column = 0;
};

struct build_result {
    diagnostics errors;      // empty on success; then the output file was replaced
    // Files in the folder that look like sources but are not read (`places.yml`,
    // `faq/x.yaml.txt`): they do not stop the build; `guichet check` reports them.
    diagnostics warnings;
    // Content that changes nothing or is out of date: an alert that has ended, a waste
    // collection change in the past, for a day without that collection, or said twice; an FAQ
    // entry reviewed "in the future" (a typo) or over a year ago; a place's note saying it is
    // closed on days its hours open. Never an error: `kb build`,
    // `guichet check` (as `warning:`) and the server's log say them.
    diagnostics notices;
    build_counts counts;     // what was (or would have been) written
    double seconds = 0;      // wall time of the whole build (read + validate + write)
    std::string digest;      // SHA-256 (hex) of the source files, also stored in `meta`
    std::vector<std::string> services;  // place ids and place categories (what a slot names)
    std::vector<std::string> places;    // place ids
    // A places file could not be read (YAML syntax, encoding): its places are unknown, so a
    // place named elsewhere and not found is no error of its own (the file's is said).
    bool places_unread = false;
    // The intents alerts are limited to (`intents: [hours.open]`): the intent files know
    // them, `guichet check` matches the two.
    std::vector<reference> alert_intents;
    bool ok() const { return errors.empty(); }
};

// Reads every source under `knowledge_dir`, validates it and, only if there are no errors,
// writes the knowledge base to a temporary file beside `output_path` and renames it over
// `output_path` (atomic: an engine holding the old file open keeps reading the old one).
// Missing folder / unreadable files are reported as diagnostics, never thrown.
// Thread safety: independent calls may run concurrently on different outputs.
build_result build(const std::string& knowledge_dir, const std::string& output_path,
                   const build_options& options = {});

// Validates only; writes nothing. Same diagnostics as build().
build_result check(const std::string& knowledge_dir, const build_options& options = {});

// Checks that the front desk `id` (the setting `agents.desk_place`) is one of result.places:
// otherwise an error, with the closest id, at `setting` when the setting is written there
// ("guichet.yaml:12:15: 'agents.desk_place'", "GUICHET_AGENTS_DESK_PLACE"), else (its
// default, "") at `places_file`. Nothing when a places file could not be read
// (result.places_unread): the place may be in it, and the file's error is said.
void check_desk_place(build_result& result, const std::string& id, const std::string& setting,
                      const std::string& places_file, const build_options& options = {});

// Checks the intents alerts name (result.alert_intents) against the site's `intents`: an
// unknown one is an error in result.errors (kept in file and line order), with the closest
// name, or the intent that has it among its `phrases` (patterns, keywords, examples; phrase →
// intent) as in "unknown intent 'horaires' (did you mean 'hours.open'?)".
void check_alert_intents(build_result& result, const std::vector<std::string>& intents,
                         const std::vector<std::pair<std::string, std::string>>& phrases,
                         const build_options& options = {});

// `guichet kb build [--site DIR] [--out FILE]` (`args` is what follows `kb`). The knowledge
// folder is `<site>/knowledge` (site defaults to "."), the output `<site>/var/knowledge.db`.
// Prints counts and time to `out`; on errors prints one `file:line:column: message` per line to
// `err` and returns 1 (2 for a usage error). Returns 0 on success.
int run_kb_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                   const build_options& options = {});

}  // namespace guichet::kb
