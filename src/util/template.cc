#include "util/template.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <vector>

namespace kouti {

struct Template::Node {
    enum Kind { Text, Action, Range, If, With, List } kind = List;
    std::string text;                          // Text
    std::vector<std::vector<std::string>> pipe; // Action/Range/If/With: commands of tokens
    std::shared_ptr<Node> body, else_body;      // blocks
    std::vector<std::shared_ptr<Node>> children; // List
    size_t pos = 0;                              // of the action's text in the source, for errors
};

namespace {

using NodeP = std::shared_ptr<Template::Node>;

Error template_error(const std::string& msg) { return Error::invalid("template: " + msg); }

// Splits an action's text into commands of tokens, keeping quoted strings and parentheses whole.
Result<std::vector<std::vector<std::string>>> tokenize(const std::string& s) {
    std::vector<std::vector<std::string>> cmds(1);
    size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (c == '|') {
            cmds.emplace_back();
            ++i;
        } else if (c == '"' || c == '`') {
            size_t j = i + 1;
            while (j < s.size() && s[j] != c) j += (s[j] == '\\' && c == '"') ? 2 : 1;
            if (j >= s.size()) return template_error("unterminated quoted string");
            cmds.back().push_back(s.substr(i, j - i + 1));
            i = j + 1;
        } else if (c == '(') {
            int depth = 0;
            size_t j = i;
            for (; j < s.size(); ++j) {
                if (s[j] == '(') ++depth;
                if (s[j] == ')' && --depth == 0) break;
            }
            if (j >= s.size()) return template_error("unclosed left paren");
            // A field of the result stays with it: "(index .Log 0).ExitCode".
            size_t end = j + 1;
            if (end < s.size() && s[end] == '.')
                while (end < s.size() && !std::isspace(static_cast<unsigned char>(s[end])) && s[end] != '|' && s[end] != '(' && s[end] != ')')
                    ++end;
            cmds.back().push_back(s.substr(i, end - i));
            i = end;
        } else {
            size_t j = i;
            while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])) && s[j] != '|' &&
                   s[j] != '(')
                ++j;
            cmds.back().push_back(s.substr(i, j - i));
            i = j;
        }
    }
    for (auto& c : cmds)
        if (c.empty()) return template_error("missing value for command");
    return cmds;
}

const char* const kFunctions[] = {"json", "index", "join", "split", "upper", "lower", "title", "len", "truncate",
                                  "pad", "print", "println", "printf", "eq", "ne", "not", "and", "or"};

bool is_function_name(const std::string& tok) {
    return std::isalpha(static_cast<unsigned char>(tok[0])) && tok != "true" && tok != "false" && tok != "nil";
}

// Go's parser knows its functions: an unknown one fails the parse, not the execution.
Status check_functions(const std::vector<std::vector<std::string>>& cmds) {
    for (const auto& cmd : cmds)
        for (const auto& tok : cmd)
            if (is_function_name(tok) && std::find(std::begin(kFunctions), std::end(kFunctions), tok) == std::end(kFunctions))
                return template_error("function \"" + tok + "\" not defined");
    return ok();
}

std::string unquote(const std::string& tok) {
    std::string out;
    if (tok[0] == '`') return tok.substr(1, tok.size() - 2);
    for (size_t i = 1; i + 1 < tok.size(); ++i) {
        if (tok[i] == '\\' && i + 2 < tok.size()) {
            char n = tok[++i];
            out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
        } else {
            out += tok[i];
        }
    }
    return out;
}

struct Parser {
    const std::string& src;
    size_t pos = 0;
    size_t action_start = 0; // of the action being parsed, for errors' line numbers

    // Parses until {{end}} / {{else}} (returned in `stop`) or the end of input.
    Result<NodeP> parse_list(std::string& stop) {
        auto list = std::make_shared<Template::Node>();
        list->kind = Template::Node::List;
        while (pos < src.size()) {
            size_t open = src.find("{{", pos);
            std::string text = src.substr(pos, open == std::string::npos ? std::string::npos : open - pos);
            if (open != std::string::npos && open + 2 < src.size() && src[open + 2] == '-') {
                while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
            }
            if (!text.empty()) {
                auto t = std::make_shared<Template::Node>();
                t->kind = Template::Node::Text;
                t->text = text;
                list->children.push_back(t);
            }
            if (open == std::string::npos) {
                pos = src.size();
                break;
            }
            action_start = open;
            size_t close = src.find("}}", open + 2);
            if (close == std::string::npos) return template_error("unclosed action");
            std::string action = src.substr(open + 2, close - open - 2);
            size_t action_pos = open + 2;
            pos = close + 2;
            if (!action.empty() && action[0] == '-') {
                action.erase(0, 1);
                ++action_pos;
            }
            if (!action.empty() && action.back() == '-') {
                action.pop_back();
                while (pos < src.size() && std::isspace(static_cast<unsigned char>(src[pos]))) ++pos;
            }
            auto first_space = action.find_first_not_of(" \t\n");
            if (first_space == std::string::npos) return template_error("missing value for command");
            action = action.substr(first_space);
            action_pos += first_space;
            std::string word = action.substr(0, action.find_first_of(" \t\n"));
            std::string rest = action.size() > word.size() ? action.substr(word.size()) : "";
            if (word == "end" || word == "else") {
                stop = word;
                return list;
            }
            if (word == "range" || word == "if" || word == "with") {
                auto block = std::make_shared<Template::Node>();
                block->kind = word == "range" ? Template::Node::Range
                              : word == "if"  ? Template::Node::If
                                              : Template::Node::With;
                block->pipe = TRY(tokenize(rest));
                TRY(check_functions(block->pipe));
                block->pos = action_pos + word.size();
                std::string inner_stop;
                block->body = TRY(parse_list(inner_stop));
                if (inner_stop == "else") {
                    block->else_body = TRY(parse_list(inner_stop));
                }
                if (inner_stop != "end") return template_error("unexpected EOF");
                list->children.push_back(block);
                continue;
            }
            auto node = std::make_shared<Template::Node>();
            node->kind = Template::Node::Action;
            node->pipe = TRY(tokenize(action));
            TRY(check_functions(node->pipe));
            node->pos = action_pos;
            list->children.push_back(node);
        }
        stop.clear();
        return list;
    }
};

bool truthy(const Json& v) {
    if (v.is_null()) return false;
    // A missing key: Go's nil interface, printed "<no value>", is false.
    if (v.is_string() && v.get_ref<const std::string&>() == "<no value>") return false;
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number()) return v.get<double>() != 0;
    if (v.is_string()) return !v.get_ref<const std::string&>().empty();
    return !v.empty();
}

// Go's name for the type of a value the JSON holds, in its errors.
std::string go_type_of(const Json& v, MissingField missing) {
    if (missing == MissingField::MapError) return "interface {}"; // Docker's inspect decodes into one
    if (v.is_string()) return "string";
    if (v.is_boolean()) return "bool";
    if (v.is_number_integer()) return "int";
    if (v.is_number()) return "float64";
    if (v.is_array()) return "[]string";
    return "interface {}";
}

struct Exec {
    const Json& root;
    const TemplateOptions& opts;
    const std::string& text; // the template's source and name, for errors
    const std::string& name;
    const Template::Node* at = nullptr; // the action being run
    std::string out;

    // Go's error at a field, placed as its parser places it: a chain at its second field.
    Error field_error(const std::string& tok, const std::string& msg) const {
        size_t p = at ? text.find(tok, at->pos) : std::string::npos;
        if (p == std::string::npos) p = at ? at->pos : 0;
        size_t second = tok.size() > 1 ? tok.find('.', 1) : std::string::npos;
        if (tok[0] == '.' && second != std::string::npos) p += second;
        size_t newline = p == 0 ? std::string::npos : text.rfind('\n', p - 1);
        size_t line_start = newline == std::string::npos ? 0 : newline + 1;
        auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(p), '\n');
        return template_error(name + ":" + std::to_string(line) + ":" + std::to_string(p - line_start) + ": executing \"" + name +
                              "\" at <" + tok + ">: " + msg);
    }

    // `{{.A.B}}` alone, null or missing, where B's Go type prints its zero otherwise.
    const std::string* typed_zero(const std::vector<std::vector<std::string>>& pipe, const Json& value) const {
        const TemplateZeroes* zeroes = opts.zeroes;
        if (!zeroes || pipe.size() != 1 || pipe[0].size() != 1) return nullptr;
        const std::string& tok = pipe[0][0];
        if (tok.size() < 2 || (tok[0] != '.' && tok[0] != '$')) return nullptr;
        if (!value.is_null() && !(value.is_string() && value.get_ref<const std::string&>() == "<no value>")) return nullptr;
        auto it = zeroes->find(tok.substr(tok.rfind('.') + 1));
        return it == zeroes->end() ? nullptr : &it->second;
    }

    // ".Label" said of the top-level value, when that names one of its methods.
    const TemplateMethod* method(const std::string& tok, const Json& dot) const {
        if (&dot != &root || tok.size() < 2 || tok[0] != '.' || tok.find('.', 1) != std::string::npos) return nullptr;
        auto it = opts.methods.find(tok.substr(1));
        return it == opts.methods.end() ? nullptr : &it->second;
    }

    // `tok`: the token the chain comes from, for errors.
    Result<Json> field_chain(const Json& base, const std::string& chain, const std::string& tok) {
        const Json* cur = &base;
        size_t i = 0;
        while (i < chain.size()) {
            if (chain[i] != '.') return template_error("bad field chain " + chain);
            size_t j = chain.find('.', i + 1);
            std::string key = chain.substr(i + 1, j == std::string::npos ? std::string::npos : j - i - 1);
            i = j == std::string::npos ? chain.size() : j;
            if (key.empty()) continue;
            if (cur->is_object() && cur->contains(key)) {
                cur = &(*cur)[key];
                continue;
            }
            // A field Docker's type has and the JSON left out prints as its zero (typed_zero).
            if (opts.missing == MissingField::NoValue || (opts.zeroes && opts.zeroes->count(key))) return Json("<no value>");
            if (cur->is_object()) {
                if (opts.missing == MissingField::MapError) return field_error(tok, "map has no entry for key \"" + key + "\"");
                if (cur == &root) return field_error(tok, "can't evaluate field " + key + " in type " + opts.go_type);
                return Json("<no value>"); // a map inside the struct: Go's default for a missing key
            }
            if (cur->is_null()) return field_error(tok, "nil pointer evaluating interface {}." + key);
            return field_error(tok, "can't evaluate field " + key + " in type " + go_type_of(*cur, opts.missing));
        }
        return *cur;
    }

    Result<Json> operand(const std::string& tok, const Json& dot) {
        if (tok == ".") return dot;
        if (tok[0] == '.') return field_chain(dot, tok, tok);
        if (tok[0] == '$') return field_chain(root, tok.substr(1), tok);
        if (tok[0] == '"' || tok[0] == '`') return Json(unquote(tok));
        if (tok[0] == '(') {
            size_t close = tok.rfind(')');
            Json value = TRY(pipeline(TRY(tokenize(tok.substr(1, close - 1))), dot));
            return close + 1 == tok.size() ? value : field_chain(value, tok.substr(close + 1), tok);
        }
        if (tok == "true" || tok == "false") return Json(tok == "true");
        if (tok == "nil") return Json(nullptr);
        if (std::isdigit(static_cast<unsigned char>(tok[0])) || tok[0] == '-') {
            try {
                return Json(std::stoll(tok));
            } catch (...) {
                return template_error("bad number syntax: " + tok);
            }
        }
        return template_error("function \"" + tok + "\" not defined");
    }

    Result<Json> call(const std::string& fn, const std::vector<Json>& a) {
        auto need = [&](size_t n) -> Status {
            if (a.size() < n) return template_error("wrong number of args for " + fn);
            return ok();
        };
        if (fn == "json") {
            TRY(need(1));
            if (a[0].is_string() && a[0].get_ref<const std::string&>() == "<no value>") return Json("null"); // Go's nil
            return Json(a[0].dump());
        }
        if (fn == "index") {
            TRY(need(1));
            Json cur = a[0];
            for (size_t i = 1; i < a.size(); ++i) {
                if (cur.is_object() && a[i].is_string()) {
                    auto it = cur.find(a[i].get<std::string>());
                    cur = it == cur.end() ? Json("<no value>") : *it;
                } else if (cur.is_array() && a[i].is_number_integer()) {
                    auto k = a[i].get<long long>();
                    if (k < 0 || static_cast<size_t>(k) >= cur.size())
                        return template_error("index out of range: " + std::to_string(k));
                    cur = cur[static_cast<size_t>(k)];
                } else {
                    return template_error("can't index item of type " + std::string(cur.type_name()));
                }
            }
            return cur;
        }
        if (fn == "join") {
            TRY(need(2));
            std::string s;
            if (a[0].is_array())
                for (size_t i = 0; i < a[0].size(); ++i)
                    s += (i ? template_print(a[1]) : "") + template_print(a[0][i]);
            return Json(s);
        }
        if (fn == "split") {
            TRY(need(2));
            Json arr = Json::array();
            std::string s = template_print(a[0]), sep = template_print(a[1]);
            size_t start = 0;
            while (true) {
                size_t p = sep.empty() ? std::string::npos : s.find(sep, start);
                arr.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
                if (p == std::string::npos) break;
                start = p + sep.size();
            }
            return arr;
        }
        if (fn == "upper" || fn == "lower" || fn == "title") {
            TRY(need(1));
            std::string s = template_print(a[0]);
            bool start = true;
            for (char& c : s) {
                if (fn == "upper" || (fn == "title" && start)) c = static_cast<char>(std::toupper(c));
                else if (fn == "lower") c = static_cast<char>(std::tolower(c));
                start = std::isspace(static_cast<unsigned char>(c)) != 0;
            }
            return Json(s);
        }
        if (fn == "len") {
            TRY(need(1));
            if (a[0].is_string()) return Json(a[0].get_ref<const std::string&>().size());
            return Json(a[0].is_null() ? 0 : a[0].size());
        }
        if (fn == "truncate") {
            TRY(need(2));
            std::string s = template_print(a[0]);
            auto n = static_cast<size_t>(a[1].get<long long>());
            return Json(s.size() > n ? s.substr(0, n) : s);
        }
        if (fn == "pad") {
            TRY(need(3));
            std::string s = template_print(a[0]);
            return Json(std::string(static_cast<size_t>(a[1].get<long long>()), ' ') + s +
                        std::string(static_cast<size_t>(a[2].get<long long>()), ' '));
        }
        if (fn == "print" || fn == "println") {
            std::string s;
            for (size_t i = 0; i < a.size(); ++i) s += (i && fn == "println" ? " " : "") + template_print(a[i]);
            return Json(fn == "println" ? s + "\n" : s);
        }
        if (fn == "printf") {
            TRY(need(1));
            std::string f = template_print(a[0]), s;
            size_t arg = 1;
            for (size_t i = 0; i < f.size(); ++i) {
                if (f[i] != '%' || i + 1 >= f.size()) {
                    s += f[i];
                    continue;
                }
                char verb = f[++i];
                if (verb == '%') s += '%';
                else if (arg < a.size()) s += verb == 'q' ? a[arg++].dump() : template_print(a[arg++]);
            }
            return Json(s);
        }
        if (fn == "eq" || fn == "ne") {
            TRY(need(2));
            bool eq = false;
            for (size_t i = 1; i < a.size(); ++i) eq = eq || a[0] == a[i];
            return Json(fn == "eq" ? eq : !eq);
        }
        if (fn == "not") {
            TRY(need(1));
            return Json(!truthy(a[0]));
        }
        if (fn == "and" || fn == "or") {
            TRY(need(1));
            for (const auto& v : a)
                if (truthy(v) != (fn == "and")) return v;
            return a.back();
        }
        return template_error("function \"" + fn + "\" not defined");
    }

    Result<Json> pipeline(const std::vector<std::vector<std::string>>& cmds, const Json& dot) {
        Json value;
        bool have = false;
        for (const auto& cmd : cmds) {
            const std::string& head = cmd[0];
            bool is_fn = is_function_name(head);
            const TemplateMethod* m = method(head, dot);
            if (!is_fn && !m) {
                if (cmd.size() > 1) return template_error("can't give argument to non-function " + head);
                value = TRY(operand(head, dot));
            } else {
                std::vector<Json> args;
                for (size_t i = 1; i < cmd.size(); ++i) args.push_back(TRY(operand(cmd[i], dot)));
                if (have) args.push_back(value); // a pipeline passes the value as the last argument
                value = m ? TRY((*m)(args)) : TRY(call(head, args));
            }
            have = true;
        }
        return value;
    }

    Status run(const Template::Node& n, const Json& dot) {
        switch (n.kind) {
        case Template::Node::Text:
            out += n.text;
            return ok();
        case Template::Node::Action: {
            at = &n;
            Json v = TRY(pipeline(n.pipe, dot));
            const std::string* zero = typed_zero(n.pipe, v);
            out += zero ? *zero : template_print(v);
            return ok();
        }
        case Template::Node::List:
            for (const auto& c : n.children) TRY(run(*c, dot));
            return ok();
        case Template::Node::If:
        case Template::Node::With: {
            at = &n;
            Json v = TRY(pipeline(n.pipe, dot));
            if (truthy(v)) return run(*n.body, n.kind == Template::Node::With ? v : dot);
            if (n.else_body) return run(*n.else_body, dot);
            return ok();
        }
        case Template::Node::Range: {
            at = &n;
            Json v = TRY(pipeline(n.pipe, dot));
            if (!truthy(v) || !(v.is_array() || v.is_object())) {
                if (n.else_body) return run(*n.else_body, dot);
                return ok();
            }
            // Go ranges over a map in key order.
            for (const auto& item : v.is_object() ? with_sorted_keys(v) : v) TRY(run(*n.body, item));
            return ok();
        }
        }
        return ok();
    }
};

} // namespace

std::string template_print(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return "<nil>";
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_float()) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", v.get<double>());
        return buf;
    }
    if (v.is_number()) return v.dump();
    std::string s = v.is_array() ? "[" : "map[";
    bool first = true;
    const Json sorted = with_sorted_keys(v); // fmt prints a map in key order
    for (auto it = sorted.begin(); it != sorted.end(); ++it) {
        if (!first) s += " ";
        first = false;
        if (v.is_object()) s += it.key() + ":";
        s += template_print(*it);
    }
    return s + "]";
}

Result<Template> Template::parse(const std::string& text, const std::string& name) {
    Parser p{text};
    std::string stop;
    auto root = p.parse_list(stop);
    if (root.ok() && !stop.empty()) root = template_error("unexpected {{" + stop + "}}");
    if (!root.ok()) {
        // Go's parse errors name the template and the line: "template: :1: unclosed action".
        Error e = root.error();
        auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(p.action_start, text.size())), '\n');
        e.message = "template: " + name + ":" + std::to_string(line) + ": " + e.message.substr(std::string("template: ").size());
        return e;
    }
    Template t;
    t.m_root = *root;
    t.m_text = text;
    t.m_name = name;
    return t;
}

Result<std::string> Template::execute(const Json& data, const TemplateOptions& options) const {
    Exec e{data, options, m_text, m_name, nullptr, {}};
    TRY(e.run(*m_root, data));
    return e.out;
}

Result<std::string> Template::execute(const Json& data, const TemplateMethods& methods, const TemplateZeroes* zeroes) const {
    TemplateOptions o;
    o.methods = methods;
    o.zeroes = zeroes;
    return execute(data, o);
}

} // namespace kouti
