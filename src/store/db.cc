#include "store/db.h"

#include "util/timing.h"

namespace kouti {

static Error db_error(sqlite3* db, const std::string& what) {
    return Error::internal("database: " + what + ": " + sqlite3_errmsg(db));
}

Stmt::~Stmt() {
    if (!m_cached) {
        sqlite3_finalize(m_s);
        return;
    }
    sqlite3_reset(m_s); // ends its read of the database
    sqlite3_clear_bindings(m_s);
    m_cached->in_use = false;
}

Result<bool> Stmt::step() {
    int rc = sqlite3_step(m_s);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return db_error(m_db, sqlite3_sql(m_s));
}

Status Stmt::run() {
    while (TRY(step())) {
    }
    return ok();
}

std::string Stmt::text(int col) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_s, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(m_s, col))) : std::string();
}

// Copies the WAL back into the database and empties it. A passive checkpoint leaves the WAL to
// be restarted by this connection's next write; a command whose last act it was (one `create`
// after another) left the next one to rebuild its index from every frame still in it, with
// none marked as copied back, and so on: 300 `create`s grew it to 13 MB, read by every command.
// Truncating waits for readers still using the WAL: briefly, as kouti's reads are short; if
// one takes longer, the WAL is truncated by a later checkpoint.
static void checkpoint(sqlite3* db, const char* name) {
    sqlite3_busy_timeout(db, 50);
    (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    sqlite3_busy_timeout(db, Db::kBusyTimeoutMs);
}

static int after_commit(void* arg, sqlite3* db, const char* name, int frames) {
    auto* wal = static_cast<Db::WalState*>(arg);
    wal->frames = frames;
    if (!wal->defer && frames >= Db::kCheckpointFrames) checkpoint(db, name);
    return SQLITE_OK;
}

// Here (`run`, beside its container's start) the WAL is not truncated but restarted, by a
// write of one page right after a RESTART checkpoint: the WAL keeps its blocks (truncating gave
// them back, which this machine's ext4 discards at once, and the WAL's growth allocated them
// again), and the sync of the new header that a restart costs is waited for here, not by the
// next commit on the main thread. The new header's salts end the old frames: the next process
// rebuilds its index from the one new frame only. Uncached statements: the caller's thread may
// not touch the connection's cache meanwhile, and these run once.
static void restart_wal(sqlite3* db, Db::WalState* wal) {
    sqlite3_busy_timeout(db, 50);
    int in_log = -1, copied = -1;
    int rc = sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_RESTART, &in_log, &copied);
    sqlite3_busy_timeout(db, Db::kBusyTimeoutMs);
    wal->frames = 0;
    if (rc != SQLITE_OK || in_log != copied) return; // readers held it: the next commit checkpoints again
    sqlite3_stmt* st = nullptr;
    int64_t version = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st); // its read ends before the write
    if (version >= 0) (void)sqlite3_exec(db, ("PRAGMA user_version = " + std::to_string(version)).c_str(), nullptr, nullptr, nullptr);
}

void Db::checkpoint_if_due() {
    settle();
    if (checkpoint_due()) restart_wal(m_db, m_wal.get());
}

void Db::checkpoint_in_background(int at_frames) {
    settle();
    if (!m_wal->defer || m_wal->frames < at_frames) return;
    m_checkpoint = ThreadBeside([db = m_db, wal = m_wal.get()] {
        restart_wal(db, wal);
        timing_point("db: checkpoint done");
    });
}

void Db::settle() {
    if (!m_checkpoint.running()) return;
    m_checkpoint.join();
    timing_point("db: checkpoint joined");
}

Result<Db> Db::open(const std::string& path) {
    // No lookaside: SQLite would carve ~120 KB into slots at each open, writing to every page of
    // it (30 page faults, 10% of a `run --rm`'s) for a speed-up of small allocations that a
    // command as short as kouti's never earns back. Once, before SQLite initialises itself.
    static const int no_lookaside = sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0);
    (void)no_lookaside;
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    Db db(raw);
    if (rc != SQLITE_OK) return Error::internal("open database " + path + ": " + sqlite3_errstr(rc));
    sqlite3_busy_timeout(raw, kBusyTimeoutMs);
    // WAL lets readers (ps, images) run while a writer commits; NORMAL sync is durable in WAL
    // mode against process crashes, which is what the store promises.
    TRY(db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"));
    // Each kouti command is usually the only connection, so by default SQLite would checkpoint
    // at close (two fdatasyncs) and delete the WAL, and the next command would create it again
    // (two more: the WAL header and its directory): 2 ms of every `run --rm`. Instead the WAL
    // stays (PERSIST_WAL), close does not checkpoint, and a commit checkpoints once the WAL
    // holds kCheckpointFrames pages. Measured with bench/ab.py: -1.4 ms per `run --rm`. That
    // also bounds what the next first connection reads to rebuild the WAL index, 4-5 us a page
    // here (a run --rm writes 10): at 128 pages the rebuild cost each run 0.3 ms on average; at
    // 32 the checkpoints' fsyncs cost as much when waited for inline, so `run` waits for them on
    // a thread while its container runs. The hook replaces SQLite's own autocheckpoint (which is
    // a hook too) so that a command can defer it.
    int persist = 1;
    sqlite3_file_control(raw, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    sqlite3_db_config(raw, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    sqlite3_wal_hook(raw, after_commit, db.m_wal.get());
    return db;
}

Status Db::exec(const std::string& sql) {
    settle();
    char* msg = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
        std::string text = msg ? msg : "unknown error";
        sqlite3_free(msg);
        return Error::internal("database: " + text);
    }
    return ok();
}

Db::~Db() {
    settle();
    for (auto& [sql, c] : m_cache) sqlite3_finalize(c.stmt);
    sqlite3_close_v2(m_db);
}

Result<Stmt> Db::prepare(const std::string& sql) {
    settle();
    CachedStmt& c = m_cache[sql];
    if (c.stmt && !c.in_use) {
        c.in_use = true;
        return Stmt(m_db, c.stmt, &c);
    }
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(m_db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
        return db_error(m_db, "prepare " + sql);
    if (c.stmt) return Stmt(m_db, s); // the cached copy is busy: this one is finalized after use
    c.stmt = s;
    c.in_use = true;
    return Stmt(m_db, s, &c);
}

Result<Transaction> Transaction::begin(Db& db) {
    TRY(TRY(db.prepare("BEGIN IMMEDIATE")).run());
    return Transaction(db);
}

Transaction::~Transaction() {
    if (!m_open) return;
    auto rollback = m_db->prepare("ROLLBACK");
    if (rollback.ok()) (void)rollback->run();
}

Status Transaction::commit() {
    TRY(TRY(m_db->prepare("COMMIT")).run());
    m_open = false;
    return ok();
}

} // namespace kouti
