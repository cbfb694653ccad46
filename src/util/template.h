#pragma once
// The subset of Go's text/template that Docker's --format users rely on: field chains, range, if,
// with, else, end, pipelines, and the functions json, index, join, split, upper, lower, title,
// len, printf, print, println, truncate, pad, eq, ne, not, and, or.
#include <memory>
#include <string>

#include "util/json.h"
#include "util/result.h"

namespace kouti {

class Template {
public:
    static Result<Template> parse(const std::string& text);
    Result<std::string> execute(const Json& data) const;

    struct Node;

private:
    std::shared_ptr<Node> m_root;
};

// How a JSON value prints in a template, as Go prints the equivalent typed value.
std::string template_print(const Json& v);

} // namespace kouti
