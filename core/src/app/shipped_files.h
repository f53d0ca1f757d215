// Where the files shipped with guichet are found: the plugins, the widget's and the console's
// static files, the default commune. An installed guichet (`cmake --install`) finds them
// relative to its own executable (/proc/self/exe), so the installed tree can be moved; a
// guichet run from its build tree uses the build and source folders. Settings
// (plugins.dir, web.static_dir, admin.static_dir, --site) still win over these defaults.
#pragma once

#include <filesystem>

namespace guichet::shipped {

// <prefix>/lib/guichet/plugins when installed, else the build's plugins/.
std::filesystem::path plugins_dir();
// <prefix>/share/guichet/web when installed, else connectors/web/static.
std::filesystem::path web_static_dir();
// <prefix>/share/guichet/admin when installed, else connectors/admin/static.
std::filesystem::path admin_static_dir();
// <prefix>/share/guichet/commune when installed, else the source tree's root.
std::filesystem::path default_site();

// The installation prefix this executable runs from, or empty when it runs from its build
// tree (no <prefix>/share/guichet beside it). Thread-safe; computed once.
const std::filesystem::path& install_prefix();

}  // namespace guichet::shipped
