// Diagnostic-aware access to staff-edited YAML (see yaml_reader.h).
#include "kb/yaml_reader.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/did_you_mean.h"
#include "common/folded_line.h"
#include "common/utf8.h"
#include "kb/text_fold.h"

namespace guichet::kb {
namespace {

std::string quoted(std::string_view s) {
    // Built by appending: `"'" + std::string(s)` trips a GCC 12 -Wrestrict false positive.
    std::string r;
    r.reserve(s.size() + 2);
    r += '\'';
    r.append(s);
    r += '\'';
    return r;
}

}  // namespace

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = std::string::npos;
    for (const auto& c : candidates) {
        std::size_t d = guichet::edit_distance(word, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    // Only suggest when at most about a third of the word differs.
    if (best_d == std::string::npos || best_d > std::max<std::size_t>(2, word.size() / 3)) return {};
    return best;
}

yaml_source::yaml_source(std::string path, std::string lang, diagnostics& out)
    : path_(std::move(path)), lang_(std::move(lang)), out_(out) {}

namespace {
// yaml-cpp's usual messages in French, for staff reading French diagnostics (they read
// "erreur de syntaxe YAML : illegal tab when looking for indentation"); others as they are.
std::string yaml_message_fr(const std::string& msg) {
    static const std::pair<const char*, const char*> known[] = {
        {YAML::ErrorMsg::TAB_IN_INDENTATION,
         "tabulation dans l'indentation : indentez avec des espaces"},
        {YAML::ErrorMsg::MAP_VALUE, "« : » inattendu"},
        {YAML::ErrorMsg::END_OF_MAP, "fin de bloc introuvable : vérifiez l'indentation"},
        {YAML::ErrorMsg::END_OF_SEQ, "fin de liste introuvable : vérifiez l'indentation"},
        {YAML::ErrorMsg::END_OF_MAP_FLOW, "accolade « } » fermante introuvable"},
        {YAML::ErrorMsg::END_OF_SEQ_FLOW, "crochet « ] » fermant introuvable"},
        {YAML::ErrorMsg::BLOCK_ENTRY, "élément de liste « - » mal placé : vérifiez l'indentation"},
        {YAML::ErrorMsg::UNKNOWN_TOKEN, "caractère inattendu"},
    };
    for (auto [en, fr] : known)
        if (msg == en) return fr;
    if (msg.rfind(YAML::ErrorMsg::INVALID_ESCAPE, 0) == 0)  // "unknown escape character: x"
        return "caractère après « \\ » inconnu entre guillemets : " +
               msg.substr(std::string(YAML::ErrorMsg::INVALID_ESCAPE).size()) +
               " (écrivez \\\\ pour une barre oblique inverse)";
    return msg;
}
}  // namespace

std::optional<YAML::Node> yaml_source::load() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) {
        error_at(0, 0, "impossible de lire le fichier", "cannot read the file");
        return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    text_ = ss.str();
    if (auto bad = invalid_utf8(path_, text_, fr())) {
        out_.push_back(std::move(*bad));
        return std::nullopt;
    }
    // yaml-cpp skips a byte-order mark too, but its marks would then be 3 bytes off ours.
    if (text_.starts_with("\xEF\xBB\xBF")) text_.erase(0, 3);
    line_starts_.assign(1, 0);
    for (std::size_t i = 0; i < text_.size(); ++i)
        if (text_[i] == '\n') line_starts_.push_back(i + 1);
    try {
        return YAML::Load(text_);
    } catch (const YAML::ParserException& e) {
        // A plain text with " : " inside (`fr: Attention : la carte…`) is the usual cause; a
        // tab in the line's indentation the other (yaml-cpp then speaks of a misplaced "-").
        const bool colon = e.msg == YAML::ErrorMsg::MAP_VALUE;
        // yaml-cpp's own "illegal tab" already says it (the hint said it twice).
        const bool tab_said = e.msg == YAML::ErrorMsg::TAB_IN_INDENTATION;
        bool tab = false;
        if (e.mark.line >= 0 && static_cast<std::size_t>(e.mark.line) < line_starts_.size()) {
            const auto start = line_starts_[static_cast<std::size_t>(e.mark.line)];
            const auto end = text_.find('\n', start);
            const auto line = text_.substr(start, end == std::string::npos ? end : end - start);
            const auto indent = line.find_first_not_of(" \t-");
            tab = !tab_said && line.substr(0, indent).find('\t') != std::string::npos;
        }
        error(e.mark,
              "erreur de syntaxe YAML : " + yaml_message_fr(e.msg) +
                  (tab     ? " (une tabulation dans l'indentation : indentez avec des espaces)"
                   : colon ? " (mettez le texte entre guillemets \"…\" s'il contient ' : ')"
                           : ""),
              "YAML syntax error: " + (tab_said ? "a tab in the indentation: indent with spaces" : e.msg) +
                  (tab     ? " (a tab is used for indentation: use spaces)"
                   : colon ? " (put the text in quotes \"…\" if it contains ': ')"
                           : ""));
    } catch (const YAML::Exception& e) {
        error(e.mark, "erreur YAML : " + e.msg, "YAML error: " + e.msg);
    }
    return std::nullopt;
}

int yaml_source::char_column(int line, std::size_t byte_col) const {
    if (line < 0 || static_cast<std::size_t>(line) >= line_starts_.size())
        return static_cast<int>(byte_col) + 1;
    const std::size_t start = line_starts_[static_cast<std::size_t>(line)];
    int col = 1;
    for (std::size_t i = start; i < start + byte_col && i < text_.size(); ++i)
        if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++col;  // not a continuation
    return col;
}

void yaml_source::error(const YAML::Mark& mark, const std::string& fr, const std::string& en) {
    if (mark.is_null()) return error_at(0, 0, fr, en);
    error_at(mark.line + 1, char_column(mark.line, static_cast<std::size_t>(mark.column)), fr, en);
}

void yaml_source::error_at(int line, int column, const std::string& fr, const std::string& en) {
    out_.push_back({path_, line, column, lang_ == "en" ? en : fr});
}

std::pair<int, int> yaml_source::position(const YAML::Mark& mark) const {
    return {mark.line + 1, char_column(mark.line, static_cast<std::size_t>(mark.column))};
}

std::string yaml_source::where(const YAML::Mark& mark) const {
    return path_ + ':' + std::to_string(mark.line + 1) + ':' +
           std::to_string(char_column(mark.line, static_cast<std::size_t>(mark.column)));
}

bool yaml_source::check_map(const YAML::Node& node, std::string_view what,
                            std::initializer_list<const char*> allowed) {
    if (!node.IsMap()) {
        error(node.Mark(), std::string(what) + " : une table de clés (clé: valeur) est attendue",
              std::string(what) + ": expected a map of keys (key: value)");
        return false;
    }
    std::vector<std::string> keys(allowed.begin(), allowed.end()), seen;
    for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
            error(kv.first.Mark(), "clé invalide", "invalid key");
            continue;
        }
        const std::string k = kv.first.Scalar();
        if (std::find(seen.begin(), seen.end(), k) != seen.end()) {
            // yaml-cpp keeps the first value silently; staff would not see their edit.
            error(kv.first.Mark(), "clé en double " + quoted(k), "duplicate key " + quoted(k));
            continue;
        }
        seen.push_back(k);
        if (std::find(keys.begin(), keys.end(), k) != keys.end()) continue;
        std::string near = closest(k, keys);
        error(kv.first.Mark(),
              "clé inconnue " + quoted(k) +
                  (near.empty() ? "" : " (vouliez-vous dire " + quoted(near) + " ?)"),
              "unknown key " + quoted(k) + (near.empty() ? "" : " (did you mean " + quoted(near) + "?)"));
    }
    return true;
}

bool yaml_source::check_list(const YAML::Node& node, std::string_view what,
                             const YAML::Mark& fallback) {
    if (!node || node.IsNull()) return false;
    if (!node.IsSequence()) {
        error(node.Mark().is_null() ? fallback : node.Mark(),
              quoted(what) + " doit être une liste", quoted(what) + " must be a list");
        return false;
    }
    return true;
}

YAML::Mark yaml_source::value_mark(const YAML::Node& map, const char* key) const {
    for (const auto& kv : map)
        if (kv.first.IsScalar() && kv.first.Scalar() == key) {
            YAML::Mark m = kv.second.Mark();
            return m.is_null() ? kv.first.Mark() : m;
        }
    return map.Mark();
}

std::optional<std::string> yaml_source::text(const YAML::Node& map, const char* key,
                                             bool required) {
    YAML::Node v = map[key];
    if (!v || v.IsNull()) {
        if (required)
            error(map.Mark(), "champ obligatoire manquant " + quoted(key),
                  "missing required field " + quoted(key));
        return std::nullopt;
    }
    if (!v.IsScalar()) {
        error(value_mark(map, key), quoted(key) + " doit être un texte",
              quoted(key) + " must be a text");
        return std::nullopt;
    }
    if (required && v.Scalar().empty()) {
        error(value_mark(map, key), quoted(key) + " ne doit pas être vide",
              quoted(key) + " must not be empty");
        return std::nullopt;
    }
    return v.Scalar();
}

std::optional<double> yaml_source::number(const YAML::Node& map, const char* key, bool required) {
    auto s = text(map, key, required);
    if (!s) return std::nullopt;
    try {
        std::size_t used = 0;
        double d = std::stod(*s, &used);
        if (used == s->size()) return d;
    } catch (const std::exception&) {
    }
    error(value_mark(map, key), quoted(key) + " doit être un nombre (ex. 47.9025)",
          quoted(key) + " must be a number (e.g. 47.9025)");
    return std::nullopt;
}

std::vector<std::string> yaml_source::text_list(const YAML::Node& map, const char* key) {
    std::vector<std::string> out;
    YAML::Node v = map[key];
    if (!v || v.IsNull()) return out;
    if (v.IsScalar()) {
        out.push_back(v.Scalar());
        return out;
    }
    if (!v.IsSequence()) {
        error(value_mark(map, key), quoted(key) + " doit être une liste de textes",
              quoted(key) + " must be a list of texts");
        return out;
    }
    for (const auto& item : v) {
        if (!item.IsScalar()) {
            error(item.Mark(), quoted(key) + " doit être une liste de textes",
                  quoted(key) + " must be a list of texts");
            continue;
        }
        if (folded(item)) continue;
        out.push_back(item.Scalar());
    }
    return out;
}

bool yaml_source::folded(const YAML::Node& item) {
    const auto m = item.Mark();
    if (m.is_null() || static_cast<std::size_t>(m.line) >= line_starts_.size()) return false;
    const auto at = folded_line(text_, line_starts_[static_cast<std::size_t>(m.line)] +
                                          static_cast<std::size_t>(m.column),
                                item.Scalar());
    if (!at) return false;
    std::string read = item.Scalar();
    std::replace(read.begin(), read.end(), '\n', ' ');
    const auto line = std::upper_bound(line_starts_.begin(), line_starts_.end(), *at) -
                      line_starts_.begin() - 1;
    error_at(static_cast<int>(line) + 1,
             char_column(static_cast<int>(line), *at - line_starts_[static_cast<std::size_t>(line)]),
             "cette ligne est rattachée au texte du dessus : YAML lit « " + read +
                 " » comme un seul élément ; commencez la ligne par « - » pour en faire un autre",
             "this line is joined to the text above: YAML reads \"" + read +
                 "\" as one item; start the line with \"- \" to make it a separate one");
    return true;
}

void yaml_source::cut_by_a_comment(const YAML::Mark& mark, const std::string& value) {
    if (mark.line < 0 || static_cast<std::size_t>(mark.line) >= line_starts_.size() ||
        value.empty() || value.find('\n') != std::string::npos)
        return;
    const std::size_t start = line_starts_[static_cast<std::size_t>(mark.line)];
    const std::size_t end = std::min(text_.find('\n', start), text_.size());
    const std::string_view line(text_.data() + start, end - start);
    const auto col = static_cast<std::size_t>(mark.column);
    // A plain text only (quoted and block texts keep their '#'), read whole on its line.
    if (col >= line.size() || std::string_view("\"'|>").find(line[col]) != std::string_view::npos ||
        line.substr(col, value.size()) != value)
        return;
    const std::string_view rest = line.substr(col + value.size());
    const auto hash = rest.find('#');
    if (hash == std::string_view::npos || rest.find_first_not_of(" \t") != hash) return;
    std::string lost(rest.substr(hash));
    if (lost.size() > 40) lost = lost.substr(0, 40) + "…";
    error(mark,
          "le texte s'arrête avant « " + lost +
              " » : en YAML, # après une espace commence un commentaire ; mettez tout le texte "
              "entre guillemets \"…\"",
          "the text stops before \"" + lost +
              "\": in YAML, # after a space starts a comment; put the whole text in quotes \"…\"");
}

bool yaml_source::text_pair(const YAML::Node& map, const char* key, bool required,
                            std::string& fr, std::string& en) {
    YAML::Node v = map[key];
    if (!v || v.IsNull()) {
        if (required)
            error(map.Mark(), "champ obligatoire manquant " + quoted(key),
                  "missing required field " + quoted(key));
        return false;
    }
    if (!v.IsMap()) {
        error(value_mark(map, key),
              quoted(key) + " doit avoir une version fr et une version en ({fr: …, en: …})",
              quoted(key) + " must have a fr and an en version ({fr: …, en: …})");
        return false;
    }
    if (!check_map(v, key, {"fr", "en"})) return false;
    auto f = text(v, "fr", true);
    auto e = text(v, "en", true);
    if (f) cut_by_a_comment(value_mark(v, "fr"), *f);
    if (e) cut_by_a_comment(value_mark(v, "en"), *e);
    if (f) fr = *f;
    if (e) en = *e;
    return f && e;
}

void yaml_source::list_pair(const YAML::Node& map, const char* key, std::vector<std::string>& fr,
                            std::vector<std::string>& en) {
    YAML::Node v = map[key];
    if (!v || v.IsNull()) return;
    if (!v.IsMap()) {
        error(value_mark(map, key), quoted(key) + " doit avoir des listes fr et en ({fr: […], en: […]})",
              quoted(key) + " must have fr and en lists ({fr: […], en: […]})");
        return;
    }
    if (!check_map(v, key, {"fr", "en"})) return;
    fr = text_list(v, "fr");
    en = text_list(v, "en");
}

std::pair<int, int> yaml_source::position_in_scalar(const YAML::Mark& mark,
                                                    std::size_t offset) const {
    int line = mark.line + 1;
    int col = mark.column + 1;
    if (mark.is_null() || static_cast<std::size_t>(mark.line) >= line_starts_.size()) return {line, col};
    std::size_t p = line_starts_[mark.line] + mark.column;
    if (p >= text_.size()) return {line, col};
    char q = text_[p];
    if (q != '"' && q != '\'') {
        const std::size_t at = std::min(p + offset, text_.size()) - line_starts_[mark.line];
        return {line, char_column(mark.line, at)};
    }
    // Walk the raw text, counting decoded bytes until `offset` is reached.
    std::size_t raw = p + 1, decoded = 0;
    while (raw < text_.size() && decoded < offset && text_[raw] != '\n') {
        if (q == '\'' && text_[raw] == '\'' && raw + 1 < text_.size() && text_[raw + 1] == '\'') {
            raw += 2;
        } else if (q == '"' && text_[raw] == '\\' && raw + 1 < text_.size()) {
            char e = text_[raw + 1];
            raw += e == 'x' ? 4 : e == 'u' ? 6 : e == 'U' ? 10 : 2;
        } else {
            raw += 1;
        }
        ++decoded;
    }
    return {line, char_column(mark.line, raw - line_starts_[mark.line])};
}

}  // namespace guichet::kb
