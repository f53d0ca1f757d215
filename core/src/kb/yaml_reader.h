// Reading one staff-edited YAML file with precise diagnostics: YAML syntax errors, unknown
// keys (with the closest known key suggested), wrong types and missing fields, each reported
// as `file:line:column: message` (yaml-cpp marks are 0-based; ours are 1-based).
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.h"

namespace guichet::kb {

// One source file being read. Not thread-safe; lives for the duration of one load.
class yaml_source {
public:
    // `path` is opened and used verbatim in diagnostics; `lang` is "fr" or "en";
    // diagnostics are appended to `out`, which must outlive this object.
    yaml_source(std::string path, std::string lang, diagnostics& out);

    // Reads and parses the file; on I/O or syntax error records a diagnostic and returns nullopt.
    std::optional<YAML::Node> load();

    const std::string& path() const { return path_; }
    const std::string& lang() const { return lang_; }
    bool fr() const { return lang_ != "en"; }

    // Records an error at a yaml-cpp mark (0-based, its column in bytes) or at 1-based
    // line/column (in characters).
    void error(const YAML::Mark& mark, const std::string& fr, const std::string& en);
    void error_at(int line, int column, const std::string& fr, const std::string& en);
    // 1-based line and character column of a mark.
    std::pair<int, int> position(const YAML::Mark& mark) const;
    // "file:line:column" of a mark, for "first defined at …" messages.
    std::string where(const YAML::Mark& mark) const;

    // Checks `node` is a map (error otherwise, naming `what`) and that all its keys are in
    // `allowed`; unknown keys are reported with the closest allowed one.
    bool check_map(const YAML::Node& node, std::string_view what,
                   std::initializer_list<const char*> allowed);
    // Checks `node` is a sequence; a missing/null node is an empty sequence.
    bool check_list(const YAML::Node& node, std::string_view what, const YAML::Mark& fallback);

    // A scalar field of `map`. Missing and required: error at the map. Not a scalar: error.
    std::optional<std::string> text(const YAML::Node& map, const char* key, bool required);
    std::optional<double> number(const YAML::Node& map, const char* key, bool required);
    // A list of texts; a single text is accepted as a one-element list.
    std::vector<std::string> text_list(const YAML::Node& map, const char* key);
    // A `{fr: …, en: …}` pair (both required when the field is present or required).
    bool text_pair(const YAML::Node& map, const char* key, bool required, std::string& fr,
                   std::string& en);
    // `{fr: [..], en: [..]}` lists (both optional).
    void list_pair(const YAML::Node& map, const char* key, std::vector<std::string>& fr,
                   std::vector<std::string>& en);

    // Mark of a field's value (or of the key when the value is null/absent mark).
    YAML::Mark value_mark(const YAML::Node& map, const char* key) const;
    // 1-based line/column of byte `offset` inside the scalar value that starts at `mark`,
    // taking quoting into account ("…" with escapes, '…' with doubled quotes, plain).
    std::pair<int, int> position_in_scalar(const YAML::Mark& mark, std::size_t offset) const;

private:
    // Whether YAML joined the line below to this list item ("- a" then "    b", no dash: the
    // one item "a b"); then reported at that line.
    bool folded(const YAML::Node& item);
    // "Tarif 35 € #tarif2027 : 40 €" read "Tarif 35 €": the rest of the line, after " #", is a
    // YAML comment. An error at the text, which must then be quoted.
    void cut_by_a_comment(const YAML::Mark& mark, const std::string& value);
    // 1-based column in characters of the byte `byte_col` (0-based) of line `line` (0-based):
    // what an editor shows ("médiathèque" is 11 columns wide, not 13).
    int char_column(int line, std::size_t byte_col) const;

    std::string path_, lang_, text_;
    std::vector<std::size_t> line_starts_;
    diagnostics& out_;
};

// The closest of `candidates` to `word` if reasonably close, else "".
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace guichet::kb
