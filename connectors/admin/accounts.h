// Staff accounts of the admin console: name, role (editor | agent | admin) and a password
// hashed with scrypt (OpenSSL 3 EVP_PBE_scrypt, N=2^15 r=8 p=1: 32 MiB per attempt, random
// 16-byte salt, compared in constant time). Kept in their own SQLite file (staff.db beside the
// durable state): the `guichet staff` command writes it without starting the engine, and the
// secrets stay apart from citizens' data (export, erasure and retention never touch them).
// Thread-safe: one connection, SQLite serialises (FULLMUTEX).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace guichet {
class config;
}

namespace guichet::admin {

enum class role { editor, agent, admin };
const char* role_name(role r);
std::optional<role> role_from(const std::string& name);

struct account {
    std::string name;
    admin::role role = role::editor;
    std::int64_t created = 0;
    // The name citizens see above this agent's replies ("Marie"), chosen by its owner; "" for
    // none ("Agent de la mairie").
    std::string shown_as;
};

// "scrypt$15$8$1$<salt hex>$<key hex>"; throws std::runtime_error when OpenSSL fails.
std::string hash_password(const std::string& password);
// Constant-time check of password against a stored hash (false for a malformed hash).
bool verify_password(const std::string& password, const std::string& stored);
// "" when acceptable, else why not (length 10 to 1024 bytes).
std::string password_problem(const std::string& password);
// "" when acceptable (1 to 64 of A-Z a-z 0-9 . _ @ -), else why not.
std::string name_problem(const std::string& name);
// "" when acceptable as a name shown to citizens (valid UTF-8, at most 40 characters, no
// control character; "" is acceptable: no name shown), else why not.
std::string shown_as_problem(const std::string& shown_as);

class accounts {
public:
    // Opens or creates the file (and its folder); throws std::runtime_error naming it.
    explicit accounts(const std::filesystem::path& file);
    ~accounts();
    accounts(const accounts&) = delete;
    accounts& operator=(const accounts&) = delete;

    // "" on success, else the problem (bad name, weak password, exists already).
    std::string add(const std::string& name, role r, const std::string& password);
    // Refuses to remove the last admin. "" on success.
    std::string remove(const std::string& name);
    std::vector<account> list();
    std::optional<account> find(const std::string& name);
    // The account when name and password match (spends the same time when the name is unknown).
    std::optional<account> check(const std::string& name, const std::string& password);
    // The name citizens see above the account's replies, spaces around trimmed ("" none).
    // "" on success, else the problem (no such account, see shown_as_problem).
    std::string set_shown_as(const std::string& name, const std::string& shown_as);
    // The name the account shows citizens; "" for none, or no such account.
    std::string shown_as_of(const std::string& name);
    std::size_t admins();

    const std::filesystem::path& file() const { return file_; }

private:
    sqlite3* db_ = nullptr;
    std::filesystem::path file_;
};

// staff.db in the folder of the durable state unless `admin.accounts_path` says otherwise.
std::filesystem::path accounts_file(const config& c, const std::filesystem::path& site_root);

}  // namespace guichet::admin
