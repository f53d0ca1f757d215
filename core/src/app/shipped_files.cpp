// Finds the shipped files beside the installed executable (see shipped_files.h). The install
// layout's relative folders come from CMake's GNUInstallDirs (GUICHET_INSTALL_*); the build
// tree's absolute folders (GUICHET_BUILD_*) are the fallback of a guichet that is not installed.
#include "app/shipped_files.h"

#include <system_error>

namespace guichet::shipped {

namespace fs = std::filesystem;

const fs::path& install_prefix() {
    static const fs::path prefix = [] {
        std::error_code ec;
        auto exe = fs::read_symlink("/proc/self/exe", ec);
        if (ec) return fs::path();
        // <prefix>/bin/guichet → <prefix>: as many levels up as GUICHET_INSTALL_BINDIR has.
        auto dir = exe.parent_path();
        for (auto& part : fs::path(GUICHET_INSTALL_BINDIR)) {
            if (part.empty() || part == ".") continue;
            if (dir.filename() != part) return fs::path();  // not the install layout
            dir = dir.parent_path();
        }
        return fs::is_directory(dir / GUICHET_INSTALL_DATADIR, ec) ? dir : fs::path();
    }();
    return prefix;
}

namespace {
fs::path installed_or(const char* relative, const char* build_tree) {
    const auto& prefix = install_prefix();
    return prefix.empty() ? fs::path(build_tree) : prefix / relative;
}
}  // namespace

fs::path plugins_dir() { return installed_or(GUICHET_INSTALL_PLUGINDIR, GUICHET_BUILD_PLUGIN_DIR); }
fs::path web_static_dir() {
    return installed_or(GUICHET_INSTALL_DATADIR "/web", GUICHET_BUILD_WEB_STATIC_DIR);
}
fs::path admin_static_dir() {
    return installed_or(GUICHET_INSTALL_DATADIR "/admin", GUICHET_BUILD_ADMIN_STATIC_DIR);
}
fs::path default_site() { return installed_or(GUICHET_INSTALL_DATADIR "/commune", GUICHET_SOURCE_SITE); }

}  // namespace guichet::shipped
