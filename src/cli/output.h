#pragma once
// Docker's output conventions: tables aligned like Go's text/tabwriter with Docker's settings
// (min width 10, padding 3), and --format templates ("table ...", "json", or a Go template).
#include <string>
#include <vector>

#include "util/json.h"
#include "util/result.h"

namespace kouti {

// Cells end at tabs. `min_width`: Docker's tables use 10; `docker top` 20.
std::string tabwrite(const std::string& text, size_t min_width = 10);
void write_stdout(const std::string& s);
// The last line of every prune, its size as Docker prints it there (units.HumanSize).
std::string total_reclaimed(int64_t bytes);
// The answer to a "[y/N]" prompt, read from stdin: yes for "y", "Y" or "yes". Through stdio:
// <iostream>'s static initialisation alone cost every command 0.1 ms.
bool answered_yes();

// Renders `rows` with `format` (empty: `default_table`). `headers` maps each placeholder to its
// column title, so a "table" format's header is the template run over `headers`.
Result<std::string> render_rows(const std::vector<Json>& rows, std::string format,
                                const std::string& default_table, const Json& headers);

// A row's labels as Docker's formatters show them: the "Labels" column ("k=v,k2=v2") and, hidden
// from {{json .}}, the map {{.Label "k"}} reads.
void set_row_labels(Json& row, const Json& labels);

// Docker's inspect output: a JSON array indented by 4, or one template result per item.
Result<std::string> render_inspect(const std::vector<Json>& items, const std::string& format);

} // namespace kouti
