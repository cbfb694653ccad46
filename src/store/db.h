#pragma once
// A thin RAII wrapper over SQLite: one connection, prepared statements, IMMEDIATE transactions.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

#include "util/result.h"

namespace kouti {

class Stmt {
public:
    Stmt(sqlite3* db, sqlite3_stmt* s) : m_db(db), m_s(s) {}
    Stmt(Stmt&& o) noexcept : m_db(o.m_db), m_s(o.m_s) { o.m_s = nullptr; }
    Stmt(const Stmt&) = delete;
    ~Stmt() { sqlite3_finalize(m_s); }

    Stmt& bind(int i, const std::string& v) {
        sqlite3_bind_text(m_s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind(int i, const char* v) { return bind(i, std::string(v)); }
    Stmt& bind(int i, int64_t v) {
        sqlite3_bind_int64(m_s, i, v);
        return *this;
    }
    Stmt& bind_null(int i) {
        sqlite3_bind_null(m_s, i);
        return *this;
    }
    // Binds an empty string as NULL (for optional foreign keys such as a parent).
    Stmt& bind_opt(int i, const std::string& v) { return v.empty() ? bind_null(i) : bind(i, v); }

    Result<bool> step(); // true while a row is available
    Status run();        // steps to completion
    std::string text(int col) const;
    int64_t integer(int col) const { return sqlite3_column_int64(m_s, col); }

private:
    sqlite3* m_db;
    sqlite3_stmt* m_s;
};

class Db {
public:
    static Result<Db> open(const std::string& path);
    Db(Db&& o) noexcept : m_db(o.m_db) { o.m_db = nullptr; }
    Db(const Db&) = delete;
    ~Db() { sqlite3_close_v2(m_db); }

    Status exec(const std::string& sql);
    Result<Stmt> prepare(const std::string& sql);
    int64_t changes() const { return sqlite3_changes64(m_db); }
    int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }

private:
    explicit Db(sqlite3* db) : m_db(db) {}
    sqlite3* m_db;
};

// BEGIN IMMEDIATE on construction: takes the write lock up front, so two kouti processes never
// deadlock upgrading read locks. Rolls back unless commit() was called.
class Transaction {
public:
    static Result<Transaction> begin(Db& db);
    Transaction(Transaction&& o) noexcept : m_db(o.m_db), m_open(o.m_open) { o.m_open = false; }
    ~Transaction();
    Status commit();

private:
    explicit Transaction(Db& db) : m_db(&db) {}
    Db* m_db;
    bool m_open = true;
};

} // namespace kouti
