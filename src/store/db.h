#pragma once
// A thin RAII wrapper over SQLite: one connection, prepared statements, IMMEDIATE transactions.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "sys/thread_beside.h"
#include "util/result.h"

namespace kouti {

// A statement the connection keeps prepared for the next use of the same SQL text: parsing
// SQL was a tenth of kouti's own CPU time in `run --rm`, which repeats some statements.
struct CachedStmt {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
};

class Stmt {
public:
    Stmt(sqlite3* db, sqlite3_stmt* s, CachedStmt* cached = nullptr) : m_db(db), m_s(s), m_cached(cached) {}
    Stmt(Stmt&& o) noexcept : m_db(o.m_db), m_s(o.m_s), m_cached(o.m_cached) { o.m_s = nullptr; o.m_cached = nullptr; }
    Stmt(const Stmt&) = delete;
    ~Stmt();

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
    CachedStmt* m_cached; // returned to the cache instead of finalized
};

class Db {
public:
    static Result<Db> open(const std::string& path);
    Db(Db&& o) noexcept : m_db((o.settle(), o.m_db)), m_cache(std::move(o.m_cache)), m_wal(std::move(o.m_wal)) { o.m_db = nullptr; }
    Db(const Db&) = delete;
    ~Db();

    Status exec(const std::string& sql); // any number of statements, not cached
    // One statement, from the cache unless that copy is in use (a query nested in its own loop).
    Result<Stmt> prepare(const std::string& sql);
    int64_t changes() const { return sqlite3_changes64(m_db); }
    int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }

    // A commit checkpoints the WAL once it holds kCheckpointFrames frames, and a checkpoint
    // waits for three fsyncs. A command with work to do that needs no database (`run` while it
    // starts its container) defers them: its commits stop checkpointing, and it calls
    // checkpoint_in_background() before that work. The checkpoint then runs on a thread beside
    // it, and the connection's next use (prepare, exec, a transaction, its close) first waits
    // for it to end; it restarts the WAL rather than truncating it (db.cc). No statement may be
    // kept from before that call to after it.
    static constexpr int kCheckpointFrames = 32;
    static constexpr int kBusyTimeoutMs = 30000;
    void defer_checkpoints() { m_wal->defer = true; }
    bool checkpoint_due() const { return m_wal->frames >= kCheckpointFrames; }
    void checkpoint_if_due();
    // `at_frames`: a checkpoint due sooner, ahead of the frames that the caller is about to
    // add (a checkpoint later, after those, would be waited for).
    void checkpoint_in_background(int at_frames = kCheckpointFrames);

    struct WalState {
        bool defer = false;
        int frames = 0; // in the WAL after this connection's last commit
    };

private:
    explicit Db(sqlite3* db) : m_db(db), m_wal(std::make_unique<WalState>()) {}
    void settle(); // waits for a checkpoint in the background
    sqlite3* m_db;
    ThreadBeside m_checkpoint;
    std::unordered_map<std::string, CachedStmt> m_cache; // nodes stay put: Stmts point at them
    std::unique_ptr<WalState> m_wal; // SQLite's WAL hook holds its address: stays put on a move
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
