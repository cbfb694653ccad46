#pragma once
// Docker's output conventions: tables aligned like Go's text/tabwriter with Docker's settings
// (min width 10, padding 3), and --format templates ("table ...", "json", or a Go template).
#include <string>
#include <vector>

#include "util/json.h"
#include "util/template.h"
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

// The Go type Docker's formatter runs a --format template on, named when a field is not one of
// its own, and the words Docker puts before a failing template's error.
struct RowType {
    const char* go_type;
    const char* parse_failed = "template parsing error";
    const char* exec_failed = "template parsing error";
};

// Renders `rows` with `format` (empty: `default_table`). `headers` maps each placeholder to its
// column title, so a "table" format's header is the template run over `headers`; it names every
// field the rows have, so a template is checked against it before any row (as `docker ps` does).
Result<std::string> render_rows(const std::vector<Json>& rows, std::string format,
                                const std::string& default_table, const Json& headers, const RowType& type);

// A row's labels as Docker's formatters show them: the "Labels" column ("k=v,k2=v2") and, hidden
// from {{json .}}, the map {{.Label "k"}} reads.
void set_row_labels(Json& row, const Json& labels);

// Docker's inspect output: a JSON array indented by 4, or one template result per item, a field
// the items lack an error as in Docker's inspect ("map has no entry for key").
Result<std::string> render_inspect(const std::vector<Json>& items, const std::string& format);
// One object through a --format template as `docker info` and `docker version` run theirs:
// `go_type` named for a field it lacks, `name` the template's; `zeroes`: fields the type has that
// the JSON may leave out.
Result<std::string> render_object(const Json& object, const std::string& format, const std::string& go_type, const std::string& name = "",
                                  const TemplateZeroes* zeroes = nullptr);

} // namespace kouti
