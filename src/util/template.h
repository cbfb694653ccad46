#pragma once
// The subset of Go's text/template that Docker's --format users rely on: field chains, range, if,
// with, else, end, pipelines, and the functions json, index, join, split, upper, lower, title,
// len, printf, print, println, truncate, pad, eq, ne, not, and, or; and methods of the top-level
// value that take arguments, as Docker's {{.Label "key"}}.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "util/json.h"
#include "util/result.h"

namespace kouti {

using TemplateMethod = std::function<Result<Json>(const std::vector<Json>& args)>;
using TemplateMethods = std::map<std::string, TemplateMethod>;
// How Go prints the zero value of a field, by the field's name, where the data's Go type has it
// and the JSON has null or nothing: "[]" for a slice, "map[]" for a map, "<nil>" for a pointer.
// Only `{{.A.B}}` printed as it is consults it; `json` still sees null.
using TemplateZeroes = std::map<std::string, std::string>;

class Template {
public:
    static Result<Template> parse(const std::string& text);
    Result<std::string> execute(const Json& data, const TemplateMethods& methods = {}, const TemplateZeroes* zeroes = nullptr) const;

    struct Node;

private:
    std::shared_ptr<Node> m_root;
};

// How a JSON value prints in a template, as Go prints the equivalent typed value.
std::string template_print(const Json& v);

} // namespace kouti
