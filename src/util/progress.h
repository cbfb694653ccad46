#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal.
#include <cstdint>
#include <string>

namespace kouti {

class Progress {
public:
    Progress(std::string label, int64_t total, bool enabled);
    ~Progress() { finish(); }
    void update(int64_t done);
    void finish();

private:
    void draw(int64_t done);
    std::string m_label;
    int64_t m_total;
    bool m_enabled;
    bool m_drawn = false;
    int64_t m_last_draw = 0;
    int64_t m_done = 0;
};

bool stderr_is_terminal();

} // namespace kouti
