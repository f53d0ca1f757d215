// `guichet staff`: the staff accounts of the admin console from the command line.
//   guichet staff add NAME --role editor|agent|admin [--site DIR] [--config FILE]
//   guichet staff list | guichet staff remove NAME
// The password is read from GUICHET_STAFF_PASSWORD or from the first line of standard input,
// never from the command line (it would show in `ps` and the shell's history).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace guichet::admin {

// `args` is what follows `staff`. Returns the exit code (0 ok, 1 failure, 2 usage).
// `site`: the site without --site (the command line's: the current folder when it is a site);
// empty for the default commune.
int run_staff_command(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                      std::ostream& err, const std::string& site = {});

}  // namespace guichet::admin
