// Staff accounts: scrypt hashing (OpenSSL) and the staff table (SQLite).
#include "admin/accounts.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <stdexcept>

#include "common/files.h"
#include "common/utf8.h"
#include "config/config.h"

namespace guichet::admin {
namespace {

constexpr int log2_n = 15;           // N = 32768
constexpr std::uint64_t block_r = 8, parallel_p = 1;
constexpr std::size_t salt_bytes = 16, key_bytes = 32;
constexpr std::uint64_t max_memory = 64ull * 1024 * 1024;
constexpr std::size_t password_min = 10, password_max = 1024;
constexpr std::size_t shown_as_max = 40;  // characters of the name shown to citizens

std::string to_hex(const unsigned char* p, std::size_t n) {
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        s += hex[p[i] >> 4];
        s += hex[p[i] & 15];
    }
    return s;
}

bool from_hex(const std::string& s, std::vector<unsigned char>& out) {
    if (s.size() % 2) return false;
    auto v = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    out.clear();
    for (std::size_t i = 0; i < s.size(); i += 2) {
        int a = v(s[i]), b = v(s[i + 1]);
        if (a < 0 || b < 0) return false;
        out.push_back(static_cast<unsigned char>(a * 16 + b));
    }
    return true;
}

std::vector<unsigned char> scrypt(const std::string& password, const std::vector<unsigned char>& salt,
                                  int log_n, std::uint64_t r, std::uint64_t p, std::size_t len) {
    std::vector<unsigned char> key(len);
    if (EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(), std::uint64_t(1) << log_n,
                       r, p, max_memory, key.data(), key.size()) != 1)
        throw std::runtime_error("scrypt failed (OpenSSL)");
    return key;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t i = 0;
    for (;;) {
        auto j = s.find(sep, i);
        out.push_back(s.substr(i, j - i));
        if (j == std::string::npos) return out;
        i = j + 1;
    }
}

// A valid hash of nothing, compared against when the name is unknown (same time spent).
const std::string& dummy_hash() {
    static const std::string h = hash_password("not a password of anyone");
    return h;
}

struct stmt {
    stmt(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
    }
    ~stmt() { sqlite3_finalize(s); }
    stmt& bind(int i, const std::string& v) {
        sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    stmt& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(s, i, v);
        return *this;
    }
    bool row() {
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
        return false;
    }
    std::string text(int i) {
        auto* p = sqlite3_column_text(s, i);
        return p ? reinterpret_cast<const char*>(p) : "";
    }
    sqlite3* db_;
    sqlite3_stmt* s = nullptr;
};

}  // namespace

const char* role_name(role r) {
    switch (r) {
        case role::editor: return "editor";
        case role::agent: return "agent";
        case role::admin: return "admin";
    }
    return "editor";
}

std::optional<role> role_from(const std::string& name) {
    if (name == "editor") return role::editor;
    if (name == "agent") return role::agent;
    if (name == "admin") return role::admin;
    return std::nullopt;
}

std::string hash_password(const std::string& password) {
    std::vector<unsigned char> salt(salt_bytes);
    if (RAND_bytes(salt.data(), int(salt.size())) != 1) throw std::runtime_error("no randomness (OpenSSL)");
    auto key = scrypt(password, salt, log2_n, block_r, parallel_p, key_bytes);
    return "scrypt$" + std::to_string(log2_n) + "$" + std::to_string(block_r) + "$" +
           std::to_string(parallel_p) + "$" + to_hex(salt.data(), salt.size()) + "$" +
           to_hex(key.data(), key.size());
}

bool verify_password(const std::string& password, const std::string& stored) {
    auto parts = split(stored, '$');
    if (parts.size() != 6 || parts[0] != "scrypt") return false;
    std::vector<unsigned char> salt, expected;
    if (!from_hex(parts[4], salt) || !from_hex(parts[5], expected) || expected.empty()) return false;
    int log_n = 0;
    std::uint64_t r = 0, p = 0;
    try {
        log_n = std::stoi(parts[1]);
        r = std::stoull(parts[2]);
        p = std::stoull(parts[3]);
    } catch (const std::exception&) {
        return false;
    }
    if (log_n < 10 || log_n > 20 || r == 0 || r > 32 || p == 0 || p > 16) return false;
    std::vector<unsigned char> key;
    try {
        key = scrypt(password, salt, log_n, r, p, expected.size());
    } catch (const std::exception&) {
        return false;
    }
    return CRYPTO_memcmp(key.data(), expected.data(), key.size()) == 0;
}

std::string password_problem(const std::string& password) {
    if (password.size() < password_min)
        return "the password must have at least " + std::to_string(password_min) + " characters";
    if (password.size() > password_max) return "the password is longer than 1024 bytes";
    return {};
}

std::string name_problem(const std::string& name) {
    if (name.empty() || name.size() > 64) return "the name must have 1 to 64 characters";
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '@' || c == '-'))
            return "the name may only contain letters, digits, '.', '_', '@' and '-'";
    return {};
}

std::string shown_as_problem(const std::string& shown_as) {
    if (find_invalid_utf8(shown_as)) return "the shown name is not valid UTF-8";
    if (std::any_of(shown_as.begin(), shown_as.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
        return "the shown name may not hold a control character";
    if (code_points(shown_as) > shown_as_max)
        return "the shown name must have at most " + std::to_string(shown_as_max) + " characters";
    return {};
}

accounts::accounts(const std::filesystem::path& file) : file_(file) {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    make_owner_only(file);  // the password hashes, in the file and in its -wal and -shm
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        std::string m = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw std::runtime_error(file.string() + ": " + m);
    }
    sqlite3_busy_timeout(db_, 5000);
    char* err = nullptr;
    if (sqlite3_exec(db_,
                     "PRAGMA journal_mode=WAL;"
                     "CREATE TABLE IF NOT EXISTS staff (name TEXT PRIMARY KEY, role TEXT NOT NULL,"
                     " password_hash TEXT NOT NULL, created INTEGER NOT NULL,"
                     " shown_as TEXT NOT NULL DEFAULT '')",
                     nullptr, nullptr, &err) != SQLITE_OK) {
        std::string m = err ? err : "error";
        sqlite3_free(err);
        sqlite3_close(db_);
        db_ = nullptr;
        throw std::runtime_error(file.string() + ": " + m);
    }
    // A staff.db from before the shown name: the column is added (its accounts show none).
    try {
        if (!stmt(db_, "SELECT 1 FROM pragma_table_info('staff') WHERE name = 'shown_as'").row())
            stmt(db_, "ALTER TABLE staff ADD COLUMN shown_as TEXT NOT NULL DEFAULT ''").row();
    } catch (const std::exception& e) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw std::runtime_error(file.string() + ": " + e.what());
    }
}

accounts::~accounts() { sqlite3_close(db_); }

std::string accounts::add(const std::string& name, role r, const std::string& password) {
    if (auto p = name_problem(name); !p.empty()) return p;
    if (auto p = password_problem(password); !p.empty()) return p;
    if (find(name)) return "the account '" + name + "' exists already";
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch()).count();
    stmt s(db_, "INSERT INTO staff (name, role, password_hash, created) VALUES (?1, ?2, ?3, ?4)");
    s.bind(1, name).bind(2, std::string(role_name(r))).bind(3, hash_password(password)).bind(4, std::int64_t(now));
    s.row();
    return {};
}

std::size_t accounts::admins() {
    stmt s(db_, "SELECT COUNT(*) FROM staff WHERE role = 'admin'");
    s.row();
    return static_cast<std::size_t>(sqlite3_column_int64(s.s, 0));
}

std::string accounts::remove(const std::string& name) {
    auto a = find(name);
    if (!a) return "no account '" + name + "'";
    if (a->role == role::admin && admins() <= 1) return "'" + name + "' is the last admin: add another admin first";
    stmt s(db_, "DELETE FROM staff WHERE name = ?1");
    s.bind(1, name).row();
    return {};
}

std::vector<account> accounts::list() {
    std::vector<account> out;
    stmt s(db_, "SELECT name, role, created, shown_as FROM staff ORDER BY name");
    while (s.row())
        out.push_back({s.text(0), role_from(s.text(1)).value_or(role::editor), sqlite3_column_int64(s.s, 2),
                       s.text(3)});
    return out;
}

std::optional<account> accounts::find(const std::string& name) {
    stmt s(db_, "SELECT name, role, created, shown_as FROM staff WHERE name = ?1");
    s.bind(1, name);
    if (!s.row()) return std::nullopt;
    return account{s.text(0), role_from(s.text(1)).value_or(role::editor), sqlite3_column_int64(s.s, 2),
                   s.text(3)};
}

std::optional<account> accounts::check(const std::string& name, const std::string& password) {
    std::string hash;
    std::optional<account> a;
    {
        stmt s(db_, "SELECT name, role, created, shown_as, password_hash FROM staff WHERE name = ?1");
        s.bind(1, name);
        if (s.row()) {
            a = account{s.text(0), role_from(s.text(1)).value_or(role::editor), sqlite3_column_int64(s.s, 2),
                        s.text(3)};
            hash = s.text(4);
        }
    }
    bool ok = verify_password(password, a ? hash : dummy_hash());
    if (!a || !ok) return std::nullopt;
    return a;
}

std::string accounts::set_shown_as(const std::string& name, const std::string& shown_as) {
    const auto first = shown_as.find_first_not_of(' ');
    const std::string trimmed =
        first == std::string::npos ? "" : shown_as.substr(first, shown_as.find_last_not_of(' ') - first + 1);
    if (auto p = shown_as_problem(trimmed); !p.empty()) return p;
    stmt s(db_, "UPDATE staff SET shown_as = ?2 WHERE name = ?1");
    s.bind(1, name).bind(2, trimmed).row();
    if (sqlite3_changes(db_) == 0) return "no account '" + name + "'";
    return {};
}

std::string accounts::shown_as_of(const std::string& name) {
    stmt s(db_, "SELECT shown_as FROM staff WHERE name = ?1");
    s.bind(1, name);
    return s.row() ? s.text(0) : std::string();
}

std::filesystem::path accounts_file(const config& c, const std::filesystem::path& site_root) {
    auto a = c.section("admin");
    if (auto it = a.find("accounts_path"); it != a.end() && !it->second.empty()) return it->second;
    auto s = c.section("store");
    if (auto it = s.find("path"); it != s.end() && !it->second.empty())
        return std::filesystem::path(it->second).parent_path() / "staff.db";
    if (auto kb = c.get("kb.path"); !kb.empty()) return std::filesystem::path(kb).parent_path() / "staff.db";
    return site_root / "var" / "staff.db";
}

}  // namespace guichet::admin
