#include "cli/cli.h"
#include "cli/output.h"
#include "engine/containers.h"
#include "engine/images.h"

namespace kouti {
namespace {

int inspect(Cli& cli, const Args& a, bool images_only) {
    Store* store = STORE_OR_FAIL(cli);
    std::string type = a.value("type");
    if (!type.empty() && type != "image" && type != "container")
        return cli.fail(Error::usage("\"" + type + "\" is not a valid value for --type"));
    std::vector<Json> items;
    int code = 0;
    std::vector<Error> errors;
    for (const auto& name : a.positional) {
        if (!images_only && type != "image") {
            auto c = inspect_container(*store, name);
            if (c.ok()) {
                items.push_back(std::move(c).value());
                continue;
            }
            if (c.error().kind != ErrorKind::NotFound) {
                errors.push_back(c.error());
                continue;
            }
            if (type == "container") {
                errors.push_back(Error::not_found("No such container: " + name));
                continue;
            }
        }
        auto j = inspect_image(*store, name);
        if (j.ok()) {
            items.push_back(std::move(j).value());
            continue;
        }
        if (j.error().kind != ErrorKind::NotFound) errors.push_back(j.error());
        else if (images_only || type == "image") errors.push_back(Error::not_found("No such image: " + name));
        else errors.push_back(Error::not_found("No such object: " + name));
    }
    auto out = render_inspect(items, a.value("format"));
    if (!out.ok()) return cli.fail(out.error());
    // Docker prints "[]" when nothing was found, and nothing for a template then.
    if (!items.empty() || a.value("format").empty()) write_stdout(*out);
    for (const auto& e : errors) code = cli.fail(e);
    return code;
}

int cmd_inspect(Cli& cli, const Args& a) { return inspect(cli, a, false); }
int cmd_image_inspect(Cli& cli, const Args& a) { return inspect(cli, a, true); }

} // namespace

Command inspect_command(const std::string& name, bool images_only) {
    std::vector<FlagSpec> flags = {{"format", 'f', true, "string", "Format output using a custom template"},
                                   {"size", 's', false, "", "Display total file sizes"}};
    if (!images_only) flags.push_back({"type", 0, true, "string", "Return JSON for specified type"});
    return {name, std::string("[OPTIONS] ") + (images_only ? "IMAGE [IMAGE...]" : "NAME|ID [NAME|ID...]"),
            images_only ? "Display detailed information on one or more images"
                        : "Return low-level information on Docker objects",
            flags, 1, -1, images_only ? cmd_image_inspect : cmd_inspect};
}

} // namespace kouti
