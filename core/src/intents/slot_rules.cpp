// A slot's `validate:` rule and `hint:` in intent files: reading them (every mistake at
// file:line:column, a bad regular expression at its character), and checking a citizen's
// answer against them for the dialogue engine.
#include "intents/slot_rules.h"

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <cstdlib>
#include <memory>

#include "nlu/normalize.h"

namespace guichet::intents {
namespace {

std::unique_ptr<icu::RegexPattern> compile(const std::string& pattern, UParseError& pe,
                                           UErrorCode& status) {
    return std::unique_ptr<icu::RegexPattern>(icu::RegexPattern::compile(
        icu::UnicodeString::fromUTF8(pattern), UREGEX_CASE_INSENSITIVE, pe, status));
}

}  // namespace

std::optional<std::string> check_slot_value(const slot_spec& spec, const std::string& value,
                                            bool recognised) {
    const auto& r = spec.validate;
    if (r.entity && !recognised) return std::nullopt;
    if (!r.pattern.empty()) {
        UParseError pe{};
        UErrorCode status = U_ZERO_ERROR;
        auto p = compile(r.pattern, pe, status);
        if (U_FAILURE(status)) return std::nullopt;  // the loader refused it already
        std::unique_ptr<icu::RegexMatcher> m(p->matcher(icu::UnicodeString::fromUTF8(value), status));
        if (U_FAILURE(status) || !m->matches(status) || U_FAILURE(status)) return std::nullopt;
    }
    if (r.has_min || r.has_max) {
        std::string v = value;
        for (auto& c : v)
            if (c == ',') c = '.';  // "2,5"
        char* end = nullptr;
        double d = std::strtod(v.c_str(), &end);
        if (v.empty() || end == v.c_str() || *end != '\0') return std::nullopt;
        if ((r.has_min && d < r.min) || (r.has_max && d > r.max)) return std::nullopt;
    }
    if (!r.one_of.empty()) {
        std::string got = nlu::loose(value);
        for (auto& option : r.one_of)
            if (nlu::loose(option) == got) return option;
        return std::nullopt;
    }
    return value;
}

namespace detail {
namespace {

std::optional<double> number_of(yaml_context& ctx, const map_entry& e) {
    if (e.value.IsScalar()) {
        const std::string& s = e.value.Scalar();
        char* end = nullptr;
        double d = std::strtod(s.c_str(), &end);
        if (!s.empty() && *end == '\0') return d;
    }
    ctx.error(ctx.pos(e.value, e.key_node), "'" + e.key + "' must be a number");
    return std::nullopt;
}

void read_pattern(yaml_context& ctx, const map_entry& e, slot_spec::rule& r) {
    auto t = ctx.text(e, "a regular expression");
    if (!t) return;
    UParseError pe{};
    UErrorCode status = U_ZERO_ERROR;
    auto p = compile(*t, pe, status);
    if (U_SUCCESS(status)) {
        r.pattern = *t;
        return;
    }
    // ICU gives the offset in UTF-16 units on the pattern's line: back to UTF-8 bytes.
    std::size_t byte = 0;
    if (pe.line <= 1 && pe.offset >= 0) {
        icu::UnicodeString u = icu::UnicodeString::fromUTF8(*t);
        std::string prefix;
        u.tempSubString(0, pe.offset).toUTF8String(prefix);
        byte = prefix.size();
    }
    ctx.error(ctx.pos_in_scalar(e.value, byte),
              std::string("'pattern' is not a valid regular expression: ") + u_errorName(status));
}

void read_one_of(yaml_context& ctx, const map_entry& e, slot_spec::rule& r) {
    auto items = ctx.list(e, "'one_of' must be a list of accepted answers");
    if (!items) return;
    if (items->empty()) ctx.error(e.key_node, "'one_of' is an empty list");
    for (auto& item : *items) {
        if (!item.IsScalar() || item.Scalar().empty())
            ctx.error(ctx.pos_item(item), "an accepted answer must be a non-empty text");
        else
            r.one_of.push_back(item.Scalar());
    }
}

}  // namespace

void read_slot_rule(yaml_context& ctx, const map_entry& e, slot_spec& s) {
    auto& r = s.validate;
    if (e.value.IsScalar()) {
        if (e.value.Scalar() == "entity") {
            r.entity = true;
        } else {
            ctx.error(e.value, "'validate' must be 'entity' or { pattern: ..., min: ..., max: ..., "
                               "one_of: [...] }" +
                                   did_you_mean(e.value.Scalar(), {"entity"}));
        }
        return;
    }
    if (!e.value.IsMap()) {
        ctx.error(ctx.pos(e.value, e.key_node),
                  "'validate' must be 'entity' or { pattern: ..., min: ..., max: ..., one_of: [...] }");
        return;
    }
    position min_pos;
    for (const auto& f : ctx.entries(e.value, {"pattern", "min", "max", "one_of"})) {
        if (f.key == "pattern") {
            read_pattern(ctx, f, r);
        } else if (f.key == "one_of") {
            read_one_of(ctx, f, r);
        } else if (auto d = number_of(ctx, f)) {
            if (f.key == "min") {
                r.has_min = true;
                r.min = *d;
                min_pos = ctx.pos(f.key_node);
            } else {
                r.has_max = true;
                r.max = *d;
            }
        }
    }
    if (r.has_min && r.has_max && r.min > r.max) ctx.error(min_pos, "'min' is greater than 'max'");
    if ((r.has_min || r.has_max) && s.entity != "number")
        ctx.error(e.key_node, "'min' and 'max' are for a slot with 'entity: number' (this one is '" +
                                  s.entity + "')");
}

void check_slot_hint(yaml_context& ctx, const YAML::Node& key, const slot_spec& s,
                     bool validate_written) {
    if (s.validate.any() && s.hint.empty())
        ctx.error(key, "slot '" + s.name +
                           "' has 'validate:' but no 'hint:' (what to say when the answer is wrong)");
    if (!validate_written && !s.hint.empty())
        ctx.error(key, "slot '" + s.name + "' has 'hint:' but no 'validate:' rule");
}

}  // namespace detail
}  // namespace guichet::intents
