// Bad input gets a clear error, never a crash: every default intent file, cut short or with
// a stray character inserted at many places, must load without throwing, and every problem
// must name the file and a line inside it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "intents/intents.h"

namespace guichet::intents {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(intent_robustness, damaged_files_give_errors_not_crashes) {
    const fs::path source = GUICHET_DEFAULT_INTENTS;
    const auto dir =
        fs::temp_directory_path() / ("guichet_intents_damage_" + std::to_string(::getpid()));
    fs::create_directories(dir / "fr");
    const auto target = dir / "fr" / "x.yaml";
    std::size_t variants = 0, reported = 0;
    for (const char* name : {"fr/hours.yaml", "fr/report.yaml", "en/privacy.yaml"}) {
        const std::string text = read_all(source / name);
        ASSERT_FALSE(text.empty()) << name;
        const std::size_t lines = std::count(text.begin(), text.end(), '\n') + 2;
        for (std::size_t at = 0; at < text.size(); at += 59) {
            for (const char* damage : {"", "[", "\t", "\"", ": ", "\xC3", "- "}) {
                std::string broken = text.substr(0, at) + damage;
                if (*damage) broken += text.substr(at);  // "" means: cut the file here
                std::ofstream(target, std::ios::binary | std::ios::trunc) << broken;
                load_result r;
                ASSERT_NO_THROW(r = load_intents(dir, {})) << name << " at " << at;
                ++variants;
                reported += !r.ok();
                for (const auto& p : r.problems) {
                    EXPECT_EQ(p.file, target.string());
                    EXPECT_LE(p.line, static_cast<int>(lines)) << p.str();
                    EXPECT_FALSE(p.message.empty());
                }
            }
        }
    }
    fs::remove_all(dir);
    std::cout << "[ damage   ] " << variants << " damaged files, " << reported
              << " reported with problems\n";
    EXPECT_GT(reported, variants / 2);
}

}  // namespace
}  // namespace guichet::intents
