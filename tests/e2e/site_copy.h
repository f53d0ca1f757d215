// A throw-away copy of the default commune for end-to-end tests: the intents are linked, the
// knowledge is copied so that a test can change one file (the front desk's hours, the report
// categories) before starting the real `guichet serve` on it.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "support/http_client.h"

namespace guichet::test {

struct site_copy {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("guichet_e2e_site_" + std::to_string(getpid()) + "_" +
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    site_copy() {
        namespace fs = std::filesystem;
        fs::remove_all(dir);
        fs::create_directories(dir / "var");
        fs::create_directory_symlink(fs::path(GUICHET_SOURCE_DIR) / "intents", dir / "intents");
        fs::copy(fs::path(GUICHET_SOURCE_DIR) / "knowledge", dir / "knowledge",
                 fs::copy_options::recursive);
    }
    ~site_copy() { std::filesystem::remove_all(dir); }

    std::string read(const std::string& rel) const {
        std::ifstream in(dir / rel);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    void write(const std::string& rel, const std::string& text) const {
        std::ofstream(dir / rel, std::ios::trunc) << text;
    }

    std::unique_ptr<server_process> start(std::map<std::string, std::string> env = {}) const {
        env.emplace("GUICHET_LIMITS_RATE_PER_MINUTE", "0");
        env.emplace("GUICHET_WEB_TOKEN_SECRET", "0123456789abcdef0123456789abcdef");
        env.emplace("GUICHET_SERVER_THREADS", "2");
        return std::make_unique<server_process>(
            std::string(GUICHET_BINARY_DIR) + "/guichet",
            std::vector<std::string>{"serve", "--site", dir.string(), "--port", "0"}, env);
    }
};

}  // namespace guichet::test
