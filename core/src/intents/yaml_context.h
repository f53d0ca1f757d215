// Helpers to read one YAML document of an intent file while collecting problems: positions
// of nodes, allowed-key checks with "did you mean" suggestions, typed scalar reads.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.h"
#include "common/did_you_mean.h"
#include "intents/source_text.h"

namespace guichet::intents::detail {

// The closest known word, " (did you mean 'x'?)" (common/did_you_mean.h).
using guichet::closest;
using guichet::did_you_mean;

// "a, b, c"
std::string join(const std::vector<std::string>& words);

// One `key: value` of a YAML map, in file order.
struct map_entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
};

// The reading context of one file. Holds references: the source and the diagnostics list
// must outlive it. Single-threaded.
class yaml_context {
  public:
    yaml_context(std::string file, const source_text& source, diagnostics& out)
        : file_(std::move(file)), source_(source), out_(out) {}

    const std::string& file() const { return file_; }

    // 1-based position of a node; a null node (no mark) falls back to `fallback`.
    position pos(const YAML::Node& node, const YAML::Node& fallback = YAML::Node()) const;
    // Position of a list item; for an empty item (`-` alone), the position of its dash
    // (yaml-cpp marks an empty item at the token after it).
    position pos_item(const YAML::Node& item) const;
    // Position of byte `offset` of a scalar's value: exact when the scalar is written on one
    // line without escapes, else the scalar's own position.
    position pos_in_scalar(const YAML::Node& node, std::size_t offset) const;

    void error(position at, std::string message);
    void error(const YAML::Node& node, std::string message) {
        error(pos(node), std::move(message));
    }

    // The entries of `map`, reporting duplicate keys and keys not in `allowed` (those are
    // left out).
    std::vector<map_entry> entries(const YAML::Node& map, const std::vector<std::string>& allowed);

    // The text of a scalar value, or nullopt after reporting "'key' is empty" or
    // "'key' must be <must_be>".
    std::optional<std::string> text(const map_entry& e, std::string_view must_be = "a text");
    // A list of texts (a lone text is not accepted). nullopt after reporting `message`.
    std::optional<std::vector<YAML::Node>> list(const map_entry& e, std::string_view message);
    // Whether YAML joined the line below to this list item ("- a" then "    b", no dash: the
    // one item "a b"); then reported at that line. `what` names an item: "example".
    bool folded(const YAML::Node& item, std::string_view what);

  private:
    std::string file_;
    const source_text& source_;
    diagnostics& out_;
};

}  // namespace guichet::intents::detail
