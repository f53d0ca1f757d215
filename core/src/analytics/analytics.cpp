// Counting and grouping of what citizens asked, and the one-line append of a new example to
// an intent file (text-level insertion located with yaml-cpp's marks, so that comments and
// formatting stay exactly as staff wrote them).
#include "analytics/analytics.h"

#include "common/files.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "hours/opening_hours.h"
#include "nlu/normalize.h"
#include "ops/mask.h"

namespace guichet::analytics {

std::vector<std::string> stems_of(const std::string& text, const std::string& lang) {
    std::vector<std::string> out;
    for (auto& w : nlu::words(text, lang)) out.push_back(nlu::stem(w, lang));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

double similarity(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.empty() && b.empty()) return 1;
    std::size_t common = 0;
    for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
        if (a[i] == b[j]) ++common, ++i, ++j;
        else if (a[i] < b[j]) ++i;
        else ++j;
    }
    return double(common) / double(a.size() + b.size() - common);
}

namespace {
// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
long days_from_civil(long y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}
}  // namespace

std::string iso_week(const std::string& date) {
    long y = std::stol(date.substr(0, 4));
    unsigned m = static_cast<unsigned>(std::stoul(date.substr(5, 2)));
    unsigned d = static_cast<unsigned>(std::stoul(date.substr(8, 2)));
    long days = days_from_civil(y, m, d);
    long weekday = ((days % 7) + 7 + 3) % 7;  // Monday = 0 (1970-01-01 was a Thursday)
    long thursday = days - weekday + 3;       // the week belongs to its Thursday's year
    // Year of that Thursday: step from y-1..y+1.
    long wy = y;
    if (thursday < days_from_civil(y, 1, 1)) wy = y - 1;
    else if (thursday >= days_from_civil(y + 1, 1, 1)) wy = y + 1;
    long week = (thursday - days_from_civil(wy, 1, 1)) / 7 + 1;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04ld-W%02ld", wy, week);
    return buf;
}

std::string store::day_of(std::int64_t at) const {
    try {
        return hours::format_local_iso(at, time_zone_).substr(0, 10);
    } catch (const std::exception&) {
        return hours::format_local_iso(at, "UTC").substr(0, 10);
    }
}

void store::record(const message& m, const turn_result& r, std::int64_t at) {
    // A message of two questions counts as two, each with its own outcome.
    if (!r.questions.empty()) {
        for (auto& a : r.questions) record(m, a, r.locale, at);
        return;
    }
    record(m, {m.text, r.intent, r.source, r.confidence, r.fallback, r.unanswered}, r.locale, at);
}

void store::record(const message& m, const answered_question& r, const std::string& locale,
                   std::int64_t at) {
    std::string day = day_of(at);
    std::string intent = r.fallback ? "fallback" : r.intent.empty() ? "none" : r.intent;
    // (Words written to a human agent are no question the bot failed, and are private.)
    bool unanswered =
        m.payload.empty() && !r.text.empty() && r.intent != "handoff.active" &&
        (r.fallback || r.unanswered || r.intent.empty() || r.confidence < low_confidence);
    question q;
    if (unanswered) {
        q.text = ops::mask_personal_data(nlu::sanitize(r.text));
        q.locale = locale;
        q.intent = r.intent;
        q.confidence = r.confidence;
        q.stems = stems_of(q.text, locale);
        q.at = at;
    }
    std::lock_guard lock(mutex_);
    ++daily_[{day, intent, m.channel, locale}];
    ++weekly_[{iso_week(day), intent, m.channel, locale}];
    ++pending_.daily[{day, intent, m.channel, locale}];
    if (unanswered) {
        q.seq = ++seq_;
        pending_.questions.push_back({q.seq, q.text, q.locale, q.intent, q.confidence, q.at, false, false, "", ""});
        questions_.push_back(std::move(q));
        if (questions_.size() > unanswered_max) {
            pending_.forgotten.push_back(questions_.front().seq);
            questions_.pop_front();
        }
    }
    // An entry's answer given (not the suggestions of a question it had no sure answer to).
    if (!r.source.empty() && !r.fallback && !r.unanswered) {
        ++entries_[r.source].shown;
        ++pending_.entries[r.source].shown;
    }
}

void store::feedback(const vote& v, std::int64_t at) {
    std::string day = day_of(at);
    std::string name = v.intent.empty() ? "none" : v.intent;
    question q;
    if (!v.useful) {  // kept for staff review, personal data masked as the unanswered questions
        q.text = ops::mask_personal_data(nlu::sanitize(v.question));
        q.answer = ops::mask_personal_data(v.answer);
        q.locale = v.locale;
        q.intent = name;
        q.source = v.source;
        q.stems = stems_of(q.text, v.locale);
        q.at = at;
    }
    std::lock_guard lock(mutex_);
    auto& f = feedback_[name];
    ++(v.useful ? f.first : f.second);
    ++pending_.feedback[{day, name, v.locale, v.useful ? 1 : 0}];
    if (!v.source.empty()) {
        ++(v.useful ? entries_[v.source].useful : entries_[v.source].not_useful);
        ++(v.useful ? pending_.entries[v.source].useful : pending_.entries[v.source].not_useful);
    }
    if (v.useful) return;
    q.seq = ++seq_;
    pending_.questions.push_back({q.seq, q.text, q.locale, q.intent, 0, q.at, false, true, q.answer, q.source});
    unhelpful_.push_back(std::move(q));
    if (unhelpful_.size() > unhelpful_max) {
        pending_.forgotten.push_back(unhelpful_.front().seq);
        unhelpful_.pop_front();
    }
}

std::vector<feedback_row> store::feedback_counts() const {
    std::vector<feedback_row> out;
    {
        std::lock_guard lock(mutex_);
        for (auto& [intent, f] : feedback_) out.push_back({intent, f.first, f.second});
    }
    std::stable_sort(out.begin(), out.end(), [](auto& a, auto& b) {
        return a.useful + a.not_useful > b.useful + b.not_useful;
    });
    return out;
}

pending_changes store::take_pending() {
    std::lock_guard lock(mutex_);
    return std::exchange(pending_, {});
}

void store::requeue(pending_changes p) {
    std::lock_guard lock(mutex_);
    for (auto& [k, n] : p.daily) pending_.daily[k] += n;
    for (auto& [k, n] : p.feedback) pending_.feedback[k] += n;
    pending_.questions.insert(pending_.questions.begin(), p.questions.begin(), p.questions.end());
    pending_.forgotten.insert(pending_.forgotten.end(), p.forgotten.begin(), p.forgotten.end());
    pending_.done.insert(pending_.done.end(), p.done.begin(), p.done.end());
    for (auto& [e, n] : p.entries) pending_.entries[e] += n;
}

void store::restore(const std::vector<count_row>& daily, const std::vector<stored_question>& questions,
                    const std::vector<std::pair<std::string, std::pair<std::uint64_t, std::uint64_t>>>& feedback,
                    const std::map<std::string, entry_counts>& entries, std::uint64_t last_seq) {
    std::lock_guard lock(mutex_);
    seq_ = std::max(seq_, last_seq);
    for (auto& c : daily) {
        daily_[{c.period, c.intent, c.channel, c.locale}] += c.count;
        weekly_[{iso_week(c.period), c.intent, c.channel, c.locale}] += c.count;
    }
    for (auto& sq : questions) {
        question q;
        q.seq = sq.seq;
        q.text = sq.text;
        q.locale = sq.locale;
        q.intent = sq.intent;
        q.confidence = sq.confidence;
        q.stems = stems_of(q.text, q.locale);
        q.at = sq.at;
        q.done = sq.done;
        q.answer = sq.answer;
        q.source = sq.source;
        seq_ = std::max(seq_, q.seq);
        (sq.vote ? unhelpful_ : questions_).push_back(std::move(q));
    }
    for (auto [list, max] : {std::pair{&questions_, unanswered_max}, std::pair{&unhelpful_, unhelpful_max}}) {
        std::sort(list->begin(), list->end(), [](auto& a, auto& b) { return a.seq < b.seq; });
        while (list->size() > max) list->pop_front();
    }
    for (auto& [intent, f] : feedback) {
        feedback_[intent].first += f.first;
        feedback_[intent].second += f.second;
    }
    for (auto& [e, n] : entries) entries_[e] += n;
}

std::vector<count_row> store::counts(bool weekly) const {
    std::vector<count_row> rows;
    std::lock_guard lock(mutex_);
    for (auto& [k, n] : weekly ? weekly_ : daily_)
        rows.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k), n});
    std::stable_sort(rows.begin(), rows.end(),
                     [](auto& a, auto& b) { return a.period > b.period; });
    return rows;
}

std::vector<std::pair<std::string, store::group>> store::groups_of(const std::deque<question>& list,
                                                                  char prefix) {
    constexpr double threshold = 0.5;  // Jaccard of stems: same question, other wording
    std::vector<std::pair<std::string, group>> groups;
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto& q = list[i];
        group* best = nullptr;
        double best_sim = threshold;
        for (auto& [id, g] : groups) {
            auto& first = list[g.front()];
            if (first.locale != q.locale || first.answer != q.answer || first.source != q.source ||
                (!q.answer.empty() && first.intent != q.intent))
                continue;
            double s = similarity(first.stems, q.stems);
            if (s >= best_sim) best_sim = s, best = &g;
        }
        if (!best) {
            groups.push_back({prefix + std::to_string(q.seq), {}});
            best = &groups.back().second;
        }
        best->push_back(i);
    }
    return groups;
}

namespace {
// The most frequent wording of a group first, then up to 5 others.
template <class List, class Group>
std::vector<std::string> wordings_of(const List& list, const Group& g) {
    std::map<std::string, std::size_t> count;
    for (auto i : g) ++count[list[i].text];
    std::vector<std::pair<std::size_t, std::string>> w;
    for (auto& [t, n] : count) w.push_back({n, t});
    std::stable_sort(w.begin(), w.end(), [](auto& x, auto& y) { return x.first > y.first; });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < w.size() && i <= 5; ++i) out.push_back(w[i].second);
    return out;
}

template <class Group>
void largest_first(std::vector<Group>& out, std::size_t max_groups) {
    std::stable_sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.count > b.count; });
    if (out.size() > max_groups) out.resize(max_groups);
}
}  // namespace

std::vector<question_group> store::unanswered(std::size_t max_groups) const {
    std::vector<question_group> out;
    std::lock_guard lock(mutex_);
    for (auto& [id, members] : groups_of(questions_, 'q')) {
        question_group g;
        g.id = id;
        g.locale = questions_[members.front()].locale;
        bool open = false;  // one of its questions is not marked done
        std::map<std::string, std::size_t> intents;
        for (auto i : members) {
            auto& q = questions_[i];
            ++g.count;
            open = open || !q.done;
            g.last_asked = std::max(g.last_asked, q.at);
            if (!q.intent.empty()) {
                ++intents[q.intent];
                g.best_confidence = std::max(g.best_confidence, q.confidence);
            }
        }
        if (!open) continue;
        auto w = wordings_of(questions_, members);
        g.text = w.front();
        g.examples.assign(w.begin() + 1, w.end());
        std::size_t best = 0;
        for (auto& [in, n] : intents)
            if (n > best) best = n, g.suggested_intent = in;
        out.push_back(std::move(g));
    }
    largest_first(out, max_groups);
    return out;
}

std::vector<unhelpful_group> store::unhelpful(std::size_t max_groups) const {
    std::vector<unhelpful_group> out;
    std::lock_guard lock(mutex_);
    for (auto& [id, members] : groups_of(unhelpful_, 'u')) {
        auto& first = unhelpful_[members.front()];
        unhelpful_group g{id, {}, {}, first.answer, first.intent, first.source, first.locale, 0, 0};
        bool open = false;
        for (auto i : members) {
            ++g.count;
            open = open || !unhelpful_[i].done;
            g.last_voted = std::max(g.last_voted, unhelpful_[i].at);
        }
        if (!open) continue;
        auto w = wordings_of(unhelpful_, members);
        g.question = w.front();
        g.examples.assign(w.begin() + 1, w.end());
        out.push_back(std::move(g));
    }
    largest_first(out, max_groups);
    return out;
}

std::vector<entry_row> store::entries() const {
    std::vector<entry_row> out;
    {
        std::lock_guard lock(mutex_);
        for (auto& [e, c] : entries_) out.push_back({e, c});
    }
    std::stable_sort(out.begin(), out.end(), [](auto& a, auto& b) {
        return std::tie(b.counts.not_useful, b.counts.shown) < std::tie(a.counts.not_useful, a.counts.shown);
    });
    return out;
}

template <class Change>
bool store::change_group(std::deque<question>& list, char prefix, const std::string& group_id,
                         Change change) {
    std::lock_guard lock(mutex_);
    for (auto& [id, members] : groups_of(list, prefix)) {
        if (id != group_id) continue;
        change(members);
        return true;
    }
    return false;
}

bool store::dismiss(const std::string& group_id) {
    return change_group(questions_, 'q', group_id, [&](const group& members) {
        std::set<std::uint64_t> gone;
        for (auto i : members) gone.insert(questions_[i].seq);
        pending_.forgotten.insert(pending_.forgotten.end(), gone.begin(), gone.end());
        std::erase_if(questions_, [&](const question& q) { return gone.count(q.seq) > 0; });
    });
}

bool store::mark_group_done(std::deque<question>& list, char prefix, const std::string& group_id) {
    return change_group(list, prefix, group_id, [&](const group& members) {
        for (auto i : members)
            if (!list[i].done) {
                list[i].done = true;
                pending_.done.push_back(list[i].seq);
            }
    });
}

bool store::mark_done(const std::string& group_id) { return mark_group_done(questions_, 'q', group_id); }

bool store::mark_unhelpful_done(const std::string& group_id) {
    return mark_group_done(unhelpful_, 'u', group_id);
}

namespace {
std::size_t indent_of(const std::string& line) {
    std::size_t i = 0;
    while (i < line.size() && line[i] == ' ') ++i;
    return i;
}

YAML::Node find_intent(const YAML::Node& root, const std::string& intent) {
    if (root.IsMap() && root["intent"] && root["intent"].as<std::string>() == intent) return root;
    if (root.IsMap() && root["intents"] && root["intents"].IsSequence())
        for (auto n : root["intents"])
            if (n.IsMap() && n["intent"] && n["intent"].as<std::string>() == intent) return n;
    return YAML::Node(YAML::NodeType::Undefined);
}
}  // namespace

namespace {

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < text.size();) {
        auto j = text.find('\n', i);
        j = j == std::string::npos ? text.size() : j + 1;
        lines.push_back(text.substr(i, j - i));
        i = j;
    }
    return lines;
}

// Where a block list ends: the line after its last item (and that item's continuation
// lines); `dash_indent` gets the items' indentation. "" or what went wrong.
std::string list_end(const std::vector<std::string>& lines, const YAML::Node& list, const std::string& where,
                     std::size_t& at, std::size_t& dash_indent) {
    auto last = list[list.size() - 1];
    std::size_t item_line = static_cast<std::size_t>(last.Mark().line);
    if (item_line >= lines.size()) return where + ": cannot locate the list";
    dash_indent = indent_of(lines[item_line]);
    if (lines[item_line].compare(dash_indent, 1, "-") != 0)
        return where + ":" + std::to_string(item_line + 1) + ": the last item does not start its line with '-'";
    at = item_line + 1;
    while (at < lines.size()) {
        auto& l = lines[at];
        auto ind = indent_of(l);
        bool blank = l.find_first_not_of(" \r\n") == std::string::npos;
        if (blank || ind <= dash_indent || l[ind] == '#') break;
        ++at;  // continuation of a multi-line item
    }
    return {};
}

// Adds `clean` to the `key` list of `intent` in text: after the list's last item, or as a new
// `key:` list right after `examples:` when the intent has none. "" or what went wrong.
std::string add_item(std::string& text, const std::string& intent, const char* key, const std::string& clean,
                     const std::string& where) {
    auto node = find_intent(YAML::Load(text), intent);
    if (!node.IsDefined()) return where + ": no intent '" + intent + "' in this file";
    auto examples = node["examples"];
    if (!examples || !examples.IsSequence() || examples.size() == 0 ||
        examples.Style() != YAML::EmitterStyle::Block)
        return where + ":" + std::to_string(node.Mark().line + 1) + ": intent '" + intent +
               "' has no block list `examples:` to add to";
    auto list = node[key];
    bool fresh = !list || list.IsNull();
    if (!fresh && (!list.IsSequence() || (list.size() > 0 && list.Style() != YAML::EmitterStyle::Block)))
        return where + ":" + std::to_string(list.Mark().line + 1) + ": `" + key + ":` is not a block list";
    if (!fresh && list.size() == 0) return where + ": `" + key + ":` is an empty list";
    if (!fresh)
        for (auto e : list)
            if (e.IsScalar() && e.as<std::string>() == clean)
                return "\"" + clean + "\" is already in the " + key + " of " + intent;
    auto lines = split_lines(text);
    bool crlf = text.find("\r\n") != std::string::npos;
    const char* eol = crlf ? "\r\n" : "\n";
    std::size_t at = 0, dash_indent = 0;
    if (auto e = list_end(lines, fresh ? examples : list, where, at, dash_indent); !e.empty()) return e;
    if (at == lines.size() && !lines.empty() && lines.back().back() != '\n') lines.back() += eol;
    std::string added;
    if (fresh) {
        // The `examples:` key's indentation: the line that holds it, above its first item.
        std::size_t key_line = static_cast<std::size_t>(examples[0].Mark().line);
        while (key_line > 0 && lines[key_line].find("examples:") == std::string::npos) --key_line;
        std::size_t key_indent = indent_of(lines[key_line]);
        added = std::string(key_indent, ' ') + key + ":" + eol;
        dash_indent = std::max(dash_indent, key_indent + 2);
    }
    added += std::string(dash_indent, ' ') + "- " + ops::json_quote(clean) + eol;
    lines.insert(lines.begin() + static_cast<long>(at), added);
    std::string result;
    for (auto& l : lines) result += l;
    auto check = find_intent(YAML::Load(result), intent)[key];
    if (!check || !check.IsSequence() || check.size() != (fresh ? 1 : list.size() + 1) ||
        check[check.size() - 1].as<std::string>() != clean)
        return where + ": the " + std::string(key) + " could not be added safely";
    text = std::move(result);
    return {};
}

}  // namespace

std::string append_example(const std::filesystem::path& file, const std::string& intent,
                           const std::string& sentence) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return file.string() + ": cannot read the file";
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    std::string clean = nlu::sanitize(sentence);
    if (clean.find_first_not_of(' ') == std::string::npos) return "the sentence is empty";
    try {
        // An example teaches the model; the same words as a pattern make sure that this very
        // question is answered by the intent from now on (the model alone may still doubt).
        if (auto e = add_item(text, intent, "examples", clean, file.string()); !e.empty()) return e;
        if (auto e = add_item(text, intent, "patterns", clean, file.string()); !e.empty() &&
            e.find("is already in the patterns") == std::string::npos)
            return e;
        if (auto e = write_file_atomically(file, text, ".tmp-add"); !e.empty()) return e;
    } catch (const YAML::Exception& e) {
        return file.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
               std::to_string(e.mark.column + 1) + ": " + e.msg;
    }
    return {};
}

}  // namespace guichet::analytics
