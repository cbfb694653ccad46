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

// What a field the data lacks makes, as Go's template does on the value Docker gives it.
enum class MissingField {
    NoValue,     // a map without missingkey=error: "<no value>"
    MapError,    // Docker's inspect (missingkey=error): map has no entry for key "X"
    StructError, // a Go struct: can't evaluate field X in type T (T: TemplateOptions::go_type)
};

struct TemplateOptions {
    TemplateMethods methods;
    const TemplateZeroes* zeroes = nullptr; // a lacking field named here is its typed zero
    MissingField missing = MissingField::NoValue;
    std::string go_type; // the top-level value's, for StructError: "*formatter.ContainerContext"
};

class Template {
public:
    // `name` appears in errors as Go's template name: "template: NAME:1:2: executing ..."
    static Result<Template> parse(const std::string& text, const std::string& name = "");
    Result<std::string> execute(const Json& data, const TemplateOptions& options) const;
    Result<std::string> execute(const Json& data, const TemplateMethods& methods = {}, const TemplateZeroes* zeroes = nullptr) const;

    struct Node;

private:
    std::shared_ptr<Node> m_root;
    std::string m_text, m_name;
};

// How a JSON value prints in a template, as Go prints the equivalent typed value.
std::string template_print(const Json& v);

} // namespace kouti
