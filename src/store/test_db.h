#pragma once
// For unit tests: a database in a fresh temporary directory, removed with it.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <string>

#include "store/db.h"

namespace kouti {

class TempDb {
public:
    TempDb() {
        char tmpl[] = "/tmp/kouti-db-test.XXXXXX";
        m_dir = ::mkdtemp(tmpl);
        auto opened = Db::open(m_dir + "/db");
        EXPECT_TRUE(opened.ok());
        if (opened.ok()) m_db.emplace(std::move(opened).value());
    }
    ~TempDb() {
        m_db.reset();
        std::filesystem::remove_all(m_dir);
    }
    TempDb(const TempDb&) = delete;
    bool ok() const { return m_db.has_value(); }
    Db& operator*() { return *m_db; }
    Db* operator->() { return &*m_db; }
    const std::string& path() const { return m_dir; } // the database is path() + "/db"

private:
    std::string m_dir;
    std::optional<Db> m_db;
};

} // namespace kouti
