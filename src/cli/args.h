#pragma once
// Docker-style flags: --name=value, --name value, -n value, -nvalue, combined -it, "--" ends
// flags. Commands that take a command line after their positionals (run, exec) stop at the
// first positional argument.
#include <map>
#include <string>
#include <vector>

#include "util/json.h"
#include "util/result.h"

namespace kouti {

struct FlagSpec {
    std::string name;       // long name without dashes
    char shorthand = 0;     // 0 when none
    bool takes_value = false;
    std::string value_name; // for help: "string", "list"
    std::string help;
    bool hidden = false;    // accepted, not listed (Docker's deprecated and Windows-only flags)
};

class Args {
public:
    bool has(const std::string& name) const { return m_values.count(name) != 0; }
    bool flag(const std::string& name) const; // a boolean flag, honouring --x=false
    std::string value(const std::string& name, const std::string& fallback = "") const;
    std::vector<std::string> values(const std::string& name) const;
    // An "int" flag's value (parse_args has checked it), or the fallback.
    int64_t int_value(const std::string& name, int64_t fallback) const;
    std::vector<std::string> positional;

    std::map<std::string, std::vector<std::string>> m_values;
};

// Flags typed "int", "uint16" and "bytes" are checked here, as pflag checks Docker's, with its
// message: invalid argument "x" for "-m, --memory" flag: invalid size: 'x'.
Result<Args> parse_args(const std::vector<FlagSpec>& specs, const std::vector<std::string>& argv,
                        bool stop_at_positional);
// The flags' lines of --help as pflag's FlagUsagesWrapped prints them: by name, the help column
// two past the longest flag, the help wrapped to `width` columns (0: never wrapped).
std::string flags_help(const std::vector<FlagSpec>& specs, int width);
// pflag's error for a value a flag refuses: invalid argument "v" for "-e, --env" flag: why
// (`flag` as pflag names it: "-e, --env", or "--dns" without a shorthand).
Error invalid_flag_value(const std::string& flag, const std::string& value, const std::string& why);
// pflag's wrap: `s` in lines of at most `width`, those after the first indented by `indent`.
std::string wrap_usage(int indent, int width, const std::string& s);
// The values of a map flag (--label, --opt) as an object: "k=v", and "k" for an empty value.
Json key_value_map(const std::vector<std::string>& items);

} // namespace kouti
