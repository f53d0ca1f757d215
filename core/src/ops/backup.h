// `guichet backup`: consistent copies of the durable SQLite files (conversations, reports and
// message log; staff accounts; analytics) while the server runs, with SQLite's online backup
// API — copying the files by hand would miss the WAL or catch a page mid-write. The compiled
// knowledge base is not copied: it is rebuilt from the site's files at start.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace guichet::ops {

struct backup_source {
    std::string name;             // the copy's file name in the backup folder ("state.db")
    std::filesystem::path file;   // the live database
    bool plain = false;           // not a database: a small file copied as it is
};

// Copies each existing source into out_dir (created if needed) as <name>, through a
// temporary file renamed once the copy passed `PRAGMA integrity_check`; a missing source is
// reported and skipped. The folder and the copies are for their owner only. Prints one line
// per file to `out`, problems to `err`. Returns false when any copy failed (the other copies
// are kept), or when no database was found at all.
bool backup_databases(const std::vector<backup_source>& sources,
                      const std::filesystem::path& out_dir, std::ostream& out, std::ostream& err);

}  // namespace guichet::ops
