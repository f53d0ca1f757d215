// Shared helpers for the kb tests: a private temporary folder, and the default commune's
// knowledge compiled once per test process into a real SQLite file.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "kb/builder.h"

namespace guichet::kb::test {

// A fresh folder under the system temp dir, removed when the object dies.
class temp_dir {
public:
    temp_dir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "guichet-kb-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

inline const char* knowledge_dir() { return GUICHET_KNOWLEDGE_DIR; }

// The default commune compiled once per process; fails the current test if it does not build.
inline const std::string& sample_db() {
    static temp_dir dir;
    static std::string path = [] {
        std::string out = dir.file("knowledge.db");
        build_result r = build(knowledge_dir(), out, {});
        for (const auto& d : r.errors) ADD_FAILURE() << d.str();
        return out;
    }();
    return path;
}

}  // namespace guichet::kb::test
