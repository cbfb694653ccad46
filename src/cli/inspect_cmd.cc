#include <algorithm>
#include <functional>
#include <optional>

#include "cli/cli.h"
#include "cli/output.h"
#include "engine/containers.h"
#include "engine/images.h"
#include "engine/networks.h"
#include "engine/volumes.h"

namespace kouti {
namespace {

// The kinds of object `inspect` looks a name up as, in the docker CLI's order: the first that
// has it answers.
struct Kind {
    const char* type;
    const char* missing; // "No such image: X" for the name as given; null: the lookup's own words
    std::function<Result<Json>(Store&, const std::string&, bool size)> lookup;
};

const std::vector<Kind>& kinds() {
    static const std::vector<Kind> all = {
        {"container", "No such container: ", [](Store& s, const std::string& n, bool size) { return inspect_container(s, n, size); }},
        {"image", "No such image: ", [](Store& s, const std::string& n, bool) { return inspect_image(s, n); }},
        {"network", nullptr, [](Store& s, const std::string& n, bool) { return inspect_network(s, n); }},
        {"volume", nullptr, [](Store& s, const std::string& n, bool) { return inspect_volume(s, n); }}};
    return all;
}

// `only`: the one kind `image inspect` or `container inspect` looks at; empty for `inspect`.
int inspect(Cli& cli, const Args& a, const std::string& only) {
    Store* store = STORE_OR_FAIL(cli);
    std::string type = only.empty() ? a.value("type") : only;
    const auto& all = kinds();
    if (!type.empty() && std::none_of(all.begin(), all.end(), [&](const Kind& k) { return type == k.type; })) {
        // The docker CLI's types; those of swarm mode and plugins are kouti's to refuse.
        static const char* const kSwarm[] = {"config", "node", "secret", "service", "task"};
        if (std::find(std::begin(kSwarm), std::end(kSwarm), type) != std::end(kSwarm))
            return cli.fail(Error::invalid("kouti has no swarm mode: there is no " + type + " to inspect"));
        if (type == "plugin") return cli.fail(Error::not_found("No such plugin: " + (a.positional.empty() ? "" : a.positional[0])));
        return cli.fail(Error::invalid("unknown type: \"" + type + "\": must be one of \"config\", \"container\", \"image\", \"network\", "
                                       "\"node\", \"plugin\", \"secret\", \"service\", \"task\", \"volume\""));
    }
    std::vector<Json> items;
    std::vector<Error> errors;
    for (const auto& name : a.positional) {
        std::optional<Error> failed;
        bool found = false;
        for (const auto& k : all) {
            if (!type.empty() && type != k.type) continue;
            auto j = k.lookup(*store, name, a.flag("size"));
            if (j.ok()) {
                items.push_back(std::move(j).value());
                found = true;
                break;
            }
            if (j.error().kind != ErrorKind::NotFound) {
                failed = j.error();
                break;
            }
            if (!type.empty()) failed = k.missing ? Error::not_found(k.missing + name) : j.error();
        }
        if (found) continue;
        errors.push_back(failed ? *failed : Error::not_found("No such object: " + name));
    }
    auto out = render_inspect(items, a.value("format"));
    if (!out.ok()) return cli.fail(out.error());
    write_stdout(*out);
    int code = 0;
    for (const auto& e : errors) code = cli.fail(e);
    return code;
}


int cmd_inspect(Cli& cli, const Args& a) { return inspect(cli, a, ""); }
int cmd_image_inspect(Cli& cli, const Args& a) { return inspect(cli, a, "image"); }
int cmd_container_inspect(Cli& cli, const Args& a) { return inspect(cli, a, "container"); }

} // namespace

Command inspect_command(const std::string& name, const std::string& only) {
    std::vector<FlagSpec> flags = {kDocumentFormatFlag};
    if (only == "container") flags.push_back({"size", 's', false, "", "Display total file sizes"});
    if (only.empty()) {
        flags.push_back({"size", 's', false, "", "Display total file sizes if the type is container"});
        flags.push_back({"type", 0, true, "string", "Only inspect objects of the given type"});
        return {name, "[OPTIONS] NAME|ID [NAME|ID...]", "Return low-level information on kouti objects", flags, 1, -1, cmd_inspect};
    }
    if (only == "image")
        return {name, "[OPTIONS] IMAGE [IMAGE...]", "Display detailed information on one or more images", flags, 1, -1, cmd_image_inspect};
    return {name, "[OPTIONS] CONTAINER [CONTAINER...]", "Display detailed information on one or more containers", flags, 1, -1,
            cmd_container_inspect};
}

} // namespace kouti
