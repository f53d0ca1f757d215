// build() and check(): find the source files, load and validate them, then write the
// database to a temporary file and rename it over the output (atomic replacement).
#include "kb/builder.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <tuple>

#include "common/files.h"
#include "kb/loaders.h"
#include "kb/text_fold.h"
#include "kb/values.h"
#include "kb/writer.h"

namespace guichet::kb {
namespace {

namespace fs = std::filesystem;

struct source_files {
    std::vector<std::string> places, faq, waste, waste_streets, alerts, report_categories,
        school_holidays;
    std::vector<std::string> all() const {
        std::vector<std::string> v;
        for (const auto* list : {&places, &faq, &waste, &waste_streets, &alerts, &report_categories,
                                 &school_holidays})
            v.insert(v.end(), list->begin(), list->end());
        return v;
    }
};

// `<dir>/<kind>.<ext>` then `<dir>/<kind>/*.<ext>` in name order.
std::vector<std::string> find_kind(const fs::path& dir, const std::string& kind,
                                   const std::string& ext) {
    std::vector<std::string> out;
    std::error_code ec;
    // YAML's other extension too, as for the intent files ("faq/jardins.yml" renamed by an
    // editor dropped its entries from the live site, with a warning in the log only).
    const bool yaml = ext == ".yaml";
    for (const char* e : {ext.c_str(), yaml ? ".yml" : nullptr})
        if (fs::path single = dir / (kind + (e ? e : "")); e && fs::is_regular_file(single, ec))
            out.push_back(single.string());
    fs::path folder = dir / kind;
    if (fs::is_directory(folder, ec)) {
        std::vector<std::string> files;
        for (const auto& e : fs::directory_iterator(folder, ec))
            if (e.is_regular_file() &&
                (e.path().extension() == ext || (yaml && e.path().extension() == ".yml")))
                files.push_back(e.path().string());
        std::sort(files.begin(), files.end());
        out.insert(out.end(), files.begin(), files.end());
    }
    return out;
}

bool known_kind(const std::string& name) {
    for (const char* k : {"places", "faq", "waste", "alerts", "report_categories", "school_holidays"})
        if (name == k) return true;
    return false;
}

// Files under `dir` that look like sources (.yaml, .yml or .csv somewhere in the name, any
// case) but that load_all does not read: `places.yml`, `Places.YAML`, `faq/x.yaml.txt`,
// `horaires.yaml`. Hidden files (editors' swap files) are left alone.
diagnostics unread_files(const fs::path& dir, const std::vector<std::string>& read, bool fr) {
    diagnostics out;
    std::error_code ec;
    std::vector<fs::path> found;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.starts_with(".")) {
            if (std::error_code e1; it->is_directory(e1)) it.disable_recursion_pending();
            continue;
        }
        std::error_code e2;
        if (!it->is_regular_file(e2) || editor_backup(name)) continue;
        std::string lower = name;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::size_t ext = std::string::npos;
        for (const char* e : {".yaml", ".yml", ".csv"})
            if (auto at = lower.find(e); at != std::string::npos && at < ext) ext = at;
        if (ext == std::string::npos) continue;
        if (std::find(read.begin(), read.end(), it->path().string()) != read.end()) continue;
        found.push_back(it->path());
    }
    std::sort(found.begin(), found.end());
    for (const auto& f : found) {
        // The name it was probably meant to have: lower-case extension, nothing after it;
        // suggested only when that name is one the build reads.
        std::string lower = f.filename().string(), stem;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (const char* e : {".yaml", ".yml", ".csv"})
            if (auto at = lower.find(e); at != std::string::npos) {
                stem = lower.substr(0, at);  // the names read are all lower case
                stem += e;
                break;
            }
        const auto parent = f.parent_path().lexically_relative(dir);
        const bool top = parent.empty() || parent == ".";
        const std::string base = fs::path(stem).stem().string();
        const auto ext = fs::path(stem).extension();
        const bool yaml = ext == ".yaml" || ext == ".yml";
        const bool readable = top ? (known_kind(base) && yaml) || stem == "waste_streets.csv"
                                  : known_kind(parent.string()) && yaml;
        if (readable && stem != f.filename().string())
            out.push_back({f.string(), 0, 0,
                           fr ? "ignoré (seuls les fichiers .yaml ou .yml, et waste_streets.csv, sont lus "
                                "ici ; renommez-le " +
                                    stem + ")"
                              : "ignored (only .yaml or .yml files, and waste_streets.csv, are read here; "
                                "rename it " +
                                    stem + ")"});
        else
            out.push_back({f.string(), 0, 0,
                           fr ? "ignoré : ce n'est pas un fichier de connaissances (places.yaml, "
                                "faq/*.yaml, waste.yaml, waste_streets.csv, alerts.yaml, "
                                "report_categories.yaml, school_holidays.yaml)"
                              : "ignored: not a knowledge file (places.yaml, faq/*.yaml, "
                                "waste.yaml, waste_streets.csv, alerts.yaml, "
                                "report_categories.yaml, school_holidays.yaml)"});
    }
    return out;
}

// Problems grouped by file, files in the order they were read, then by line and column.
void sort_by_file_then_line(diagnostics& d) {
    std::vector<std::string> order;
    for (const auto& x : d)
        if (std::find(order.begin(), order.end(), x.file) == order.end()) order.push_back(x.file);
    auto rank = [&](const diagnostic& x) {
        return std::find(order.begin(), order.end(), x.file) - order.begin();
    };
    std::stable_sort(d.begin(), d.end(), [&](const diagnostic& a, const diagnostic& b) {
        return std::make_tuple(rank(a), a.line, a.column) <
               std::make_tuple(rank(b), b.line, b.column);
    });
}

std::string sha256_of_files(const std::vector<std::string>& files, const fs::path& base) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr);
    for (const auto& f : files) {
        std::string rel = fs::path(f).lexically_relative(base).generic_string() + '\0';
        EVP_DigestUpdate(md.get(), rel.data(), rel.size());
        std::ifstream in(f, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        std::string content = ss.str();
        EVP_DigestUpdate(md.get(), content.data(), content.size());
    }
    unsigned char hash[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(md.get(), hash, &len);
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (unsigned i = 0; i < len; ++i) {
        s += hex[hash[i] >> 4];
        s += hex[hash[i] & 15];
    }
    return s;
}

std::string utc_now_iso() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Loads and validates everything; fills result.errors, counts and digest.
knowledge_src load_all(const std::string& knowledge_dir, const build_options& options,
                       build_result& result) {
    knowledge_src data;
    fs::path dir(knowledge_dir);
    std::error_code ec;
    bool fr = options.lang != "en";
    if (!fs::is_directory(dir, ec)) {
        result.errors.push_back({knowledge_dir, 0, 0,
                                 fr ? "dossier de connaissances introuvable"
                                    : "knowledge folder not found"});
        return data;
    }
    source_files files{find_kind(dir, "places", ".yaml"), find_kind(dir, "faq", ".yaml"),
                       find_kind(dir, "waste", ".yaml"), find_kind(dir, "waste_streets", ".csv"),
                       find_kind(dir, "alerts", ".yaml"),
                       find_kind(dir, "report_categories", ".yaml"),
                       find_kind(dir, "school_holidays", ".yaml")};
    result.digest = sha256_of_files(files.all(), dir);
    const std::int64_t now = options.now != 0 ? options.now : std::time(nullptr);
    load_context ctx{options, result.errors, data, {},
                     {},      result.notices, now, local_day_of(now, options.time_zone)};
    for (const auto& f : files.places) load_places(f, ctx);
    for (const auto& f : files.faq) load_faq(f, ctx);
    for (const auto& f : files.waste) load_waste(f, ctx);
    for (const auto& f : files.waste_streets) load_waste_streets(f, ctx);
    for (const auto& f : files.alerts) load_alerts(f, ctx);
    for (const auto& f : files.report_categories) load_report_categories(f, ctx);
    for (const auto& f : files.school_holidays) load_school_holidays(f, ctx);
    // Alerts naming places when there is no place at all: say why first (the unknown places
    // that follow are its consequence).
    const bool places_named =
        std::any_of(ctx.first_seen.begin(), ctx.first_seen.end(),
                    [](const auto& kv) { return kv.first.starts_with("alert_places:"); });
    if (files.places.empty() && places_named)
        result.errors.insert(result.errors.begin(),
                             {(dir / "places.yaml").string(), 0, 0,
                              fr ? "fichier absent : aucun lieu n'est défini, mais des alertes "
                                   "nomment des lieux"
                                 : "missing file: no place is defined, but alerts name places"});
    check_references(ctx);
    sort_by_file_then_line(result.errors);
    sort_by_file_then_line(result.notices);
    result.warnings = unread_files(dir, files.all(), fr);
    result.alert_intents = std::move(ctx.alert_intents);
    result.places_unread = ctx.places_unread;
    result.counts.places = data.places.size();
    for (const auto& p : data.places) {
        result.counts.place_names += 2 + p.synonyms_fr.size() + p.synonyms_en.size();
        result.places.push_back(p.id);
        for (const std::string* id : {&p.id, &p.category})
            if (!id->empty() && std::find(result.services.begin(), result.services.end(), *id) ==
                                    result.services.end())
                result.services.push_back(*id);
    }
    result.counts.faq = data.faq.size();
    result.counts.waste_zones = data.zones.size();
    result.counts.waste_streets = data.streets.size();
    result.counts.alerts = data.alerts.size();
    return data;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool fsync_path(const std::string& path, int flags) {
    int fd = ::open(path.c_str(), flags);
    if (fd < 0) return false;
    bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

void check_alert_intents(build_result& result, const std::vector<std::string>& intents,
                         const std::vector<std::pair<std::string, std::string>>& phrases,
                         const build_options& options) {
    const bool fr = options.lang != "en";
    bool any = false;
    for (const auto& r : result.alert_intents) {
        if (std::find(intents.begin(), intents.end(), r.name) != intents.end()) continue;
        std::string near = closest(r.name, intents);
        // Else the intent one of whose phrases is that word, or that uses it the most.
        if (near.empty()) {
            const std::string word = ' ' + fold(r.name) + ' ';
            std::map<std::string, int> uses;
            for (const auto& [phrase, intent] : phrases) {
                const std::string f = ' ' + fold(phrase) + ' ';
                if (f == word)
                    uses[intent] += 1000;
                else if (f.find(word) != std::string::npos)
                    ++uses[intent];
            }
            int best = 0;
            for (const auto& [intent, n] : uses)
                if (n > best) {
                    best = n;
                    near = intent;
                }
        }
        const std::string hint = near.empty() ? ""
                                 : fr         ? " (vouliez-vous dire '" + near + "' ?)"
                                              : " (did you mean '" + near + "'?)";
        result.errors.push_back(
            {r.file, r.line, r.column,
             (fr ? "intention inconnue '" : "unknown intent '") + r.name + "'" + hint});
        any = true;
    }
    if (any) sort_by_file_then_line(result.errors);
}

void check_desk_place(build_result& result, const std::string& id, const std::string& setting,
                      const std::string& places_file, const build_options& options) {
    if (result.places_unread ||
        std::find(result.places.begin(), result.places.end(), id) != result.places.end())
        return;
    const bool fr = options.lang != "en";
    const std::string near = closest(id, result.places);
    const std::string hint = near.empty() ? ""
                             : fr         ? " (vouliez-vous dire '" + near + "' ?)"
                                          : " (did you mean '" + near + "'?)";
    const std::string key = setting.empty() ? (fr ? " (agents.desk_place, par défaut)"
                                                  : " (agents.desk_place, by default)")
                                            : "";
    result.errors.push_back(
        {setting.empty() ? places_file : setting, 0, 0,
         (fr ? "aucun lieu '" + id + "' dans places.yaml : c'est l'accueil de la mairie" + key +
                   ", dont les horaires sont ceux des agents et le téléphone celui que "
                   "l'assistant donne aux habitants"
             : "no place '" + id + "' in places.yaml: it is the front desk" + key +
                   ", whose hours are the agents' duty hours and whose phone the assistant "
                   "gives citizens") +
             hint});
}

build_result check(const std::string& knowledge_dir, const build_options& options) {
    auto t0 = std::chrono::steady_clock::now();
    build_result result;
    load_all(knowledge_dir, options, result);
    result.seconds = seconds_since(t0);
    return result;
}

build_result build(const std::string& knowledge_dir, const std::string& output_path,
                   const build_options& options) {
    auto t0 = std::chrono::steady_clock::now();
    build_result result;
    knowledge_src data = load_all(knowledge_dir, options, result);
    bool fr = options.lang != "en";
    if (!result.ok()) {
        result.seconds = seconds_since(t0);
        return result;
    }
    fs::path out(output_path);
    std::error_code ec;
    if (out.has_parent_path()) fs::create_directories(out.parent_path(), ec);
    // A unique temporary file in the same folder, so that rename() is atomic.
    std::string tmpl = output_path + ".tmp-XXXXXX";
    int fd = ::mkstemp(tmpl.data());
    if (fd < 0) {
        result.errors.push_back({output_path, 0, 0,
                                 fr ? "impossible de créer un fichier temporaire à côté de la base"
                                    : "cannot create a temporary file beside the output"});
        result.seconds = seconds_since(t0);
        return result;
    }
    // mkstemp creates the file 0600; the engine may run as another user: make it world-readable
    // like any file created under the usual umask.
    ::fchmod(fd, 0644);
    ::close(fd);
    std::vector<std::pair<std::string, std::string>> meta = {
        {"built_at", utc_now_iso()},
        {"source_digest", result.digest},
        {"time_zone", options.time_zone},
        {"count_places", std::to_string(result.counts.places)},
        {"count_faq", std::to_string(result.counts.faq)},
        {"count_waste_zones", std::to_string(result.counts.waste_zones)},
        {"count_waste_streets", std::to_string(result.counts.waste_streets)},
        {"count_alerts", std::to_string(result.counts.alerts)},
    };
    std::string err = write_database(tmpl, data, meta);
    if (err.empty() && !fsync_path(tmpl, O_RDONLY)) err = "fsync failed";
    if (err.empty() && std::rename(tmpl.c_str(), output_path.c_str()) != 0) err = "rename failed";
    if (!err.empty()) {
        fs::remove(tmpl, ec);
        result.errors.push_back({output_path, 0, 0,
                                 (fr ? "écriture de la base impossible : " : "cannot write the knowledge base: ") + err});
    } else {
        fsync_path(out.has_parent_path() ? out.parent_path().string() : ".", O_RDONLY | O_DIRECTORY);
    }
    result.seconds = seconds_since(t0);
    return result;
}

}  // namespace guichet::kb
