#include "util/progress.h"

#include <unistd.h>

#include <cstdio>

#include "util/humanize.h"

namespace kouti {

bool stderr_is_terminal() { return ::isatty(2) == 1; }

Progress::Progress(std::string label, int64_t total, bool enabled)
    : m_label(std::move(label)), m_total(total), m_enabled(enabled && stderr_is_terminal()) {}

void Progress::update(int64_t done) {
    m_done = done;
    if (!m_enabled) return;
    int64_t now = now_nanos();
    if (now - m_last_draw < 100000000) return; // 10 frames a second is plenty
    m_last_draw = now;
    draw(done);
}

void Progress::draw(int64_t done) {
    std::string bar;
    if (m_total > 0) {
        int width = 40, filled = static_cast<int>(done * width / (m_total ? m_total : 1));
        if (filled > width) filled = width;
        bar = "[" + std::string(static_cast<size_t>(filled), '=') + (filled < width ? ">" : "") +
              std::string(static_cast<size_t>(width - filled - (filled < width ? 1 : 0)), ' ') + "] ";
        std::fprintf(stderr, "\r%s %s %s/%s", m_label.c_str(), bar.c_str(), human_size(static_cast<double>(done)).c_str(),
                     human_size(static_cast<double>(m_total)).c_str());
    } else {
        std::fprintf(stderr, "\r%s %s", m_label.c_str(), human_size(static_cast<double>(done)).c_str());
    }
    std::fflush(stderr);
    m_drawn = true;
}

void Progress::finish() {
    if (!m_enabled || !m_drawn) return;
    draw(m_total > 0 ? m_total : m_done);
    std::fprintf(stderr, "\n");
    m_drawn = false;
    m_enabled = false;
}

} // namespace kouti
