// Reading one intent entry of an intent file: name, plugin or static answer, examples with
// markup, patterns, slots, buttons and the staff's own tests.
#include "intents/entry_parser.h"

#include "intents/markup.h"
#include "intents/slot_rules.h"

namespace guichet::intents::detail {

namespace {

bool valid_intent_name(const std::string& s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                        (c == '.' && s[i - 1] != '.');
        if (!ok) return false;
    }
    return true;
}

std::vector<std::string> as_vector(const std::set<std::string>& s) { return {s.begin(), s.end()}; }

class entry_reader {
  public:
    entry_reader(yaml_context& ctx, const load_options& options, parsed_entry& out)
        : ctx_(ctx), options_(options), out_(out) {}

    void answer(const map_entry& e) {
        const char* must = "'answer' must be a text or a list of texts (variants)";
        if (e.value.IsScalar() || e.value.IsNull()) {
            if (auto t = ctx_.text(e)) out_.part.answers.push_back(*t);
            return;
        }
        auto items = ctx_.list(e, must);
        if (!items) return;
        if (items->empty()) ctx_.error(e.key_node, "'answer' is an empty list");
        for (const auto& item : *items) {
            if (!item.IsScalar() || item.Scalar().empty())
                ctx_.error(ctx_.pos_item(item),
                           item.IsMap() ? "an answer variant must be a text (put it in quotes if "
                                          "it contains ': ')"
                                        : "an answer variant must be a non-empty text");
            else
                out_.part.answers.push_back(item.Scalar());
        }
    }

    void examples(const map_entry& e) {
        auto items = ctx_.list(e, "'examples' must be a list of sentences");
        if (!items) return;
        for (const auto& item : *items) {
            if (!item.IsScalar() || item.Scalar().empty()) {
                ctx_.error(ctx_.pos_item(item),
                           item.IsNull() || item.IsScalar()
                               ? "empty example"
                               : "an example must be a sentence (put it in quotes if it contains "
                                 "': ' or starts with '[')");
                continue;
            }
            if (!ctx_.folded(item, "example")) example(item);
        }
    }

    // `patterns:` (the whole message) or `keywords:` (anywhere in it): phrases.
    void phrases(const map_entry& e, std::vector<std::string>& into,
                 std::vector<position>& positions) {
        const std::string what = e.key == "patterns" ? "a pattern" : "a keyword";
        auto items = ctx_.list(e, "'" + e.key + "' must be a list of phrases");
        if (!items) return;
        for (const auto& item : *items) {
            if (!item.IsScalar() || item.Scalar().empty()) {
                ctx_.error(ctx_.pos_item(item), what + " must be a non-empty phrase");
                continue;
            }
            if (ctx_.folded(item, e.key == "patterns" ? "pattern" : "keyword")) continue;
            into.push_back(item.Scalar());
            positions.push_back(ctx_.pos(item));
        }
    }

    void slots(const map_entry& e) {
        if (!e.value.IsMap()) {
            ctx_.error(ctx_.pos(e.value, e.key_node),
                       "'slots' must be a map: slot name -> { entity: ..., required: ..., "
                       "ask: ..., default: ..., validate: ..., hint: ... }");
            return;
        }
        slot_map(e.value);
    }

  private:
    void slot_map(const YAML::Node& map) {
        std::map<std::string, int> seen;
        for (auto it = map.begin(); it != map.end(); ++it) {
            const YAML::Node key = it->first;
            if (!key.IsScalar() || key.Scalar().empty()) {
                ctx_.error(key, "a slot name must be a plain word");
                continue;
            }
            const auto [first, inserted] = seen.emplace(key.Scalar(), ctx_.pos(key).line);
            if (!inserted) {
                ctx_.error(key, "duplicate slot '" + key.Scalar() + "' (first at line " +
                                    std::to_string(first->second) + ")");
                continue;
            }
            slot(key, it->second);
        }
    }

  public:
    void buttons(const map_entry& e) {
        const char* must = "'buttons' must be a list of { title: ..., payload: ... }";
        auto items = ctx_.list(e, must);
        if (!items) return;
        for (const auto& item : *items) {
            if (item.IsScalar() && !item.Scalar().empty()) {
                out_.part.buttons.push_back({item.Scalar(), item.Scalar()});
                continue;
            }
            if (!item.IsMap()) {
                ctx_.error(ctx_.pos_item(item), must);
                continue;
            }
            button b;
            bool has_title = false;
            for (const auto& f : ctx_.entries(item, {"title", "payload"})) {
                auto t = ctx_.text(f);
                if (!t) continue;
                (f.key == "title" ? b.title : b.payload) = *t;
                has_title |= f.key == "title";
            }
            if (!has_title) {
                ctx_.error(item, "a button needs 'title:'");
                continue;
            }
            if (b.payload.empty()) b.payload = b.title;
            out_.part.buttons.push_back(std::move(b));
        }
    }

    void tests(const map_entry& e) {
        const char* must = "'tests' must be a list of { say: ..., expect: { intent: ... } }";
        auto items = ctx_.list(e, must);
        if (!items) return;
        for (const auto& item : *items) {
            if (!item.IsMap()) {
                ctx_.error(ctx_.pos_item(item), must);
                continue;
            }
            test(item);
        }
    }

  private:
    void example(const YAML::Node& item) {
        const std::string& raw = item.Scalar();
        auto m = parse_markup(raw);
        if (!m.ok) {
            ctx_.error(ctx_.pos_in_scalar(item, m.error_offset), m.error);
            return;
        }
        intents::example ex;
        ex.text = std::move(m.text);
        ex.file = ctx_.file();
        ex.line = ctx_.pos(item).line;
        for (auto& s : m.spans) {
            std::string entity;
            if (options_.known_entities.count(s.name)) {
                entity = s.name;
            } else if (auto slot = out_.part.slots.find(s.name); slot != out_.part.slots.end()) {
                entity = slot->second.entity;
            } else {
                ctx_.error(ctx_.pos_in_scalar(item, s.name_offset),
                           "unknown entity '" + s.name + "'" +
                               did_you_mean(s.name, as_vector(options_.known_entities)) +
                               "; known entities: " + join(as_vector(options_.known_entities)) +
                               (out_.part.slots.empty() ? "" : ", or a slot of this intent"));
                return;
            }
            ex.entities.push_back({s.begin, s.end, std::move(entity)});
        }
        out_.part.examples.push_back(std::move(ex));
        out_.example_pos.push_back(ctx_.pos(item));
    }

    void slot(const YAML::Node& key, const YAML::Node& value) {
        slot_spec s;
        s.name = key.Scalar();
        const auto entities = as_vector(options_.known_entities);
        YAML::Node entity_node;
        std::optional<map_entry> rule_entry;
        std::vector<std::pair<std::string, position>> named;  // default / addressed values
        if (value.IsScalar()) {  // shorthand `when: datetime`
            s.entity = value.Scalar();
            entity_node = value;
        } else if (value.IsMap()) {
            for (const auto& f : ctx_.entries(
                     value, {"entity", "required", "ask", "default", "validate", "hint",
                             "position", "addressed"})) {
                if (f.key == "validate") {
                    rule_entry = f;  // read once the entity is known
                    continue;
                }
                if (f.key == "entity" && f.value.IsSequence()) {  // the first one found fills it
                    entity_node = f.value;
                    for (const auto& e : f.value) {
                        if (!e.IsScalar() || e.Scalar().empty()) {
                            ctx_.error(ctx_.pos(e, f.key_node), "'entity' lists entity names");
                            continue;
                        }
                        (s.entity.empty() ? s.entity : s.also.emplace_back()) = e.Scalar();
                    }
                    continue;
                }
                if (f.key == "required" || f.key == "position") {
                    bool b = false;
                    if (!f.value.IsScalar() || !YAML::convert<bool>::decode(f.value, b))
                        ctx_.error(ctx_.pos(f.value, f.key_node),
                                   "'" + f.key + "' must be true or false");
                    (f.key == "required" ? s.required : s.position) = b;
                    continue;
                }
                auto t = ctx_.text(f);
                if (!t) continue;
                if (f.key == "entity") {
                    s.entity = *t;
                    entity_node = f.value;
                }
                if (f.key == "ask") s.ask = *t;
                if (f.key == "default") s.default_value = *t;
                if (f.key == "addressed") s.addressed = *t;
                if (f.key == "default" || f.key == "addressed")
                    named.emplace_back(*t, ctx_.pos(f.value));
                if (f.key == "hint") s.hint = *t;
            }
        } else {
            ctx_.error(ctx_.pos(value, key), "slot '" + s.name +
                                                 "' must be { entity: ..., required: ..., "
                                                 "ask: ..., default: ... }");
            return;
        }
        if (s.entity.empty()) {
            ctx_.error(key,
                       "slot '" + s.name + "' needs 'entity:'; known entities: " + join(entities));
            return;
        }
        for (std::size_t i = 0; i <= s.also.size(); ++i) {
            const std::string& e = i == 0 ? s.entity : s.also[i - 1];
            if (options_.known_entities.count(e)) continue;
            ctx_.error(entity_node.IsSequence() ? entity_node[i] : entity_node,
                       "unknown entity '" + e + "'" + did_you_mean(e, entities) +
                           "; known entities: " + join(entities));
            return;
        }
        // "addressed: mairei" would never be found: the service must be one of the knowledge
        // base's places or categories.
        if (s.names_places() && !options_.known_services.empty())
            for (const auto& [value, at] : named)
                if (!options_.known_services.count(value))
                    ctx_.error(at, "unknown service '" + value + "'" +
                                       did_you_mean(value, as_vector(options_.known_services)) +
                                       " (a place id or category of knowledge/places.yaml)");
        if (rule_entry) read_slot_rule(ctx_, *rule_entry, s);
        check_slot_hint(ctx_, key, s, rule_entry.has_value());
        if (s.required && s.ask.empty())
            ctx_.error(key, "required slot '" + s.name +
                                "' needs 'ask:' (the question asked when it is missing)");
        if (s.required && !s.default_value.empty())
            ctx_.error(key, "slot '" + s.name + "' is required and has a default: choose one");
        out_.part.slots.emplace(s.name, std::move(s));
    }

    void test(const YAML::Node& item) {
        test_case t;
        t.file = ctx_.file();
        t.line = ctx_.pos(item).line;
        position say_pos, intent_pos;
        std::map<std::string, position> slot_pos;
        bool has_say = false, has_expect = false;
        for (const auto& f : ctx_.entries(item, {"say", "expect"})) {
            if (f.key == "say") {
                auto s = ctx_.text(f);
                if (!s) return;
                t.say = *s;
                say_pos = ctx_.pos(f.value);
                has_say = true;
                continue;
            }
            has_expect = true;
            if (f.value.IsScalar() && !f.value.Scalar().empty()) {  // `expect: hours.open`
                t.expect_intent = f.value.Scalar();
                intent_pos = ctx_.pos(f.value);
                continue;
            }
            if (!f.value.IsMap()) {
                ctx_.error(ctx_.pos(f.value, f.key_node),
                           "'expect' must be an intent name or { intent: ..., slots: { ... } }");
                return;
            }
            for (const auto& g : ctx_.entries(f.value, {"intent", "slots"})) {
                if (g.key == "intent") {
                    auto s = ctx_.text(g);
                    if (!s) return;
                    t.expect_intent = *s;
                    intent_pos = ctx_.pos(g.value);
                    continue;
                }
                if (!g.value.IsMap()) {
                    ctx_.error(ctx_.pos(g.value, g.key_node),
                               "'slots' of a test must be a map: slot name -> expected value");
                    return;
                }
                for (auto it = g.value.begin(); it != g.value.end(); ++it) {
                    if (!it->first.IsScalar() || !it->second.IsScalar()) {
                        ctx_.error(it->first, "an expected slot must be 'name: value'");
                        return;
                    }
                    t.expect_slots[it->first.Scalar()] = it->second.Scalar();
                    slot_pos[it->first.Scalar()] = ctx_.pos(it->first);
                }
            }
            if (t.expect_intent.empty()) {
                ctx_.error(f.key_node, "'expect' needs 'intent:'");
                return;
            }
        }
        if (!has_say || !has_expect) {
            ctx_.error(item, std::string("a test needs ") + (has_say ? "'expect:'" : "'say:'"));
            return;
        }
        out_.part.tests.push_back(std::move(t));
        out_.test_say_pos.push_back(say_pos);
        out_.test_intent_pos.push_back(intent_pos);
        out_.test_slot_pos.push_back(std::move(slot_pos));
    }

    yaml_context& ctx_;
    const load_options& options_;
    parsed_entry& out_;
};

}  // namespace

const std::vector<std::string>& entry_keys() {
    static const std::vector<std::string> keys = {"intent", "plugin",   "answer",   "description",
                                                  "urgent", "examples", "patterns", "keywords",
                                                  "slots",  "buttons",  "tests"};
    return keys;
}

std::optional<parsed_entry> parse_entry(yaml_context& ctx, const YAML::Node& node,
                                        const std::vector<map_entry>& entries,
                                        const std::string& lang, const load_options& options) {
    parsed_entry out;
    out.lang = lang;
    out.part.file = ctx.file();
    entry_reader reader(ctx, options, out);
    const map_entry* name = nullptr;
    const map_entry* plugin = nullptr;
    const map_entry* answer = nullptr;
    const map_entry* examples = nullptr;
    for (const auto& e : entries) {
        if (e.key == "intent") name = &e;
        if (e.key == "plugin") plugin = &e;
        if (e.key == "answer") answer = &e;
        if (e.key == "examples") examples = &e;
    }
    if (!name) {
        ctx.error(node, "missing 'intent:' (the intent's name, e.g. 'hours.open')");
        return std::nullopt;
    }
    const auto n = ctx.text(*name);
    if (!n) return std::nullopt;
    out.name = *n;
    out.name_pos = ctx.pos(name->value);
    if (!valid_intent_name(out.name)) {
        ctx.error(name->value, "intent name '" + out.name +
                                   "' must be lowercase words joined by dots, e.g. 'hours.open'");
        return std::nullopt;
    }
    if (plugin && answer) {
        ctx.error(answer->key_node,
                  "both 'plugin' and 'answer': an intent is answered either "
                  "by a plugin or by a static answer");
    } else if (!plugin && !answer) {
        ctx.error(name->key_node, "intent '" + out.name +
                                      "' needs 'plugin:' (the plugin that answers) or "
                                      "'answer:' (a static answer)");
    }
    // Slots first: example markup may name a slot of this intent.
    for (const auto& e : entries) {
        if (e.key == "slots") reader.slots(e);
    }
    for (const auto& e : entries) {
        if (e.key == "plugin") {
            if (auto p = ctx.text(e)) {
                out.plugin = *p;
                out.plugin_pos = ctx.pos(e.value);
            }
        } else if (e.key == "answer") {
            reader.answer(e);
        } else if (e.key == "description") {
            if (auto d = ctx.text(e)) out.description = *d;
        } else if (e.key == "urgent") {
            if (!e.value.IsScalar() || !YAML::convert<bool>::decode(e.value, out.urgent))
                ctx.error(ctx.pos(e.value, e.key_node), "'urgent' must be true or false");
        } else if (e.key == "examples") {
            out.examples_pos = ctx.pos(e.key_node);
            reader.examples(e);
        } else if (e.key == "patterns") {
            reader.phrases(e, out.part.patterns, out.pattern_pos);
        } else if (e.key == "keywords") {
            reader.phrases(e, out.part.keywords, out.keyword_pos);
        } else if (e.key == "buttons") {
            reader.buttons(e);
        } else if (e.key == "tests") {
            out.tests_pos = ctx.pos(e.key_node);
            reader.tests(e);
        }
    }
    if (!examples && out.part.patterns.empty() && out.part.keywords.empty())
        ctx.error(name->key_node,
                  "intent '" + out.name + "' has no 'examples:' (nor 'patterns:', 'keywords:')");
    return out;
}

}  // namespace guichet::intents::detail
