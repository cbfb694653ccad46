#include "store/events.h"

#include "util/humanize.h"

namespace kouti {

Status record_event(Db& db, const std::string& type, const std::string& action, const std::string& actor,
                    const Json& attributes) {
    auto st = TRY(db.prepare("INSERT INTO events(time, type, action, actor, attributes) VALUES (?, ?, ?, ?, ?)"));
    st.bind(1, now_nanos()).bind(2, type).bind(3, action).bind(4, actor).bind(5, attributes.dump());
    TRY(st.run());
    // The log keeps the newest kKeptEvents (Docker keeps 256, in memory); trimmed every 1,000th
    // event so that the insert stays the only work of almost every call.
    int64_t id = db.last_insert_rowid();
    if (id % 1000 != 0) return ok();
    auto trim = TRY(db.prepare("DELETE FROM events WHERE rowid <= ?"));
    trim.bind(1, id - kKeptEvents);
    return trim.run();
}

Result<std::vector<EventRow>> events_between(Db& db, int64_t since, int64_t until) {
    auto st = TRY(db.prepare("SELECT time, type, action, actor, attributes FROM events WHERE time > ? AND time <= ? ORDER BY time, rowid"));
    st.bind(1, since).bind(2, until);
    std::vector<EventRow> out;
    while (TRY(st.step())) {
        EventRow e;
        e.time = st.integer(0);
        e.type = st.text(1);
        e.action = st.text(2);
        e.actor = st.text(3);
        e.attributes = Json::parse(st.text(4), nullptr, false);
        if (!e.attributes.is_object()) e.attributes = Json::object();
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace kouti
