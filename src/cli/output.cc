#include "cli/output.h"

#include <cstdio>
#include <cstdlib>

#include "sys/fs.h"
#include "util/humanize.h"
#include "util/template.h"

namespace kouti {

void write_stdout(const std::string& s) { (void)write_all(1, s.data(), s.size()); }

bool answered_yes() {
    char* line = nullptr;
    size_t cap = 0;
    ssize_t n = ::getline(&line, &cap, stdin);
    std::string answer = n > 0 ? std::string(line, static_cast<size_t>(n)) : "";
    std::free(line);
    while (!answer.empty() && (answer.back() == '\n' || answer.back() == '\r')) answer.pop_back();
    return answer == "y" || answer == "Y" || answer == "yes";
}

static size_t display_width(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n; // count UTF-8 code points, as tabwriter counts runes
    return n;
}

std::string total_reclaimed(int64_t bytes) { return "Total reclaimed space: " + human_size(static_cast<double>(bytes), 4) + "\n"; }

std::string tabwrite(const std::string& text, size_t min_width) {
    constexpr size_t kPadding = 3;
    std::vector<std::vector<std::string>> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        start = nl == std::string::npos ? text.size() : nl + 1;
        std::vector<std::string> cells;
        size_t cs = 0;
        while (true) {
            size_t tab = line.find('\t', cs);
            cells.push_back(line.substr(cs, tab == std::string::npos ? std::string::npos : tab - cs));
            if (tab == std::string::npos) break;
            cs = tab + 1;
        }
        lines.push_back(std::move(cells));
    }
    // Only tab-terminated cells are aligned; the last cell of a line is free.
    std::vector<size_t> widths;
    for (const auto& cells : lines)
        for (size_t i = 0; i + 1 < cells.size(); ++i) {
            if (widths.size() <= i) widths.push_back(0);
            widths[i] = std::max(widths[i], display_width(cells[i]) + kPadding);
        }
    for (auto& w : widths) w = std::max(w, min_width);
    std::string out;
    for (const auto& cells : lines) {
        for (size_t i = 0; i < cells.size(); ++i) {
            out += cells[i];
            if (i + 1 < cells.size()) out += std::string(widths[i] - display_width(cells[i]), ' ');
        }
        out += '\n';
    }
    return out;
}

static std::string unescape_format(std::string f) {
    std::string out;
    for (size_t i = 0; i < f.size(); ++i) {
        if (f[i] == '\\' && i + 1 < f.size() && (f[i + 1] == 't' || f[i + 1] == 'n')) {
            out += f[i + 1] == 't' ? '\t' : '\n';
            ++i;
        } else {
            out += f[i];
        }
    }
    return out;
}

// Docker's rows' Label(key) method, answering with `value_of(key)`.
static TemplateMethods label_method(std::function<std::string(const std::string&)> value_of) {
    return {{"Label", [value_of = std::move(value_of)](const std::vector<Json>& args) -> Result<Json> {
                 if (args.size() != 1)
                     return Error::invalid("template: wrong number of args for Label: want 1 got " + std::to_string(args.size()));
                 return Json(value_of(template_print(args[0])));
             }}};
}

Result<std::string> render_rows(const std::vector<Json>& rows, std::string format,
                                const std::string& default_table, const Json& headers, const RowType& type) {
    bool table = false;
    if (format.empty() || format == "table") {
        format = default_table;
        table = true;
    } else if (format.rfind("table ", 0) == 0) {
        format = format.substr(6);
        table = true;
    } else if (format == "json") {
        format = "{{json .}}";
    }
    auto tmpl = Template::parse(unescape_format(format));
    if (!tmpl.ok()) return std::move(tmpl).error().context(type.parse_failed);
    auto failed = [&](Error e) { return std::move(e).context(type.exec_failed); };
    TemplateOptions o;
    o.missing = MissingField::StructError;
    o.go_type = type.go_type;
    // The header of {{.Label "com.example.some-key"}} is "some key", as Docker's.
    o.methods = label_method([](const std::string& key) {
        std::string h = key.substr(key.rfind('.') + 1);
        for (char& c : h)
            if (c == '-' || c == '_') c = ' ';
        return h;
    });
    auto header = tmpl->execute(headers, o);
    if (!header.ok()) return failed(header.error());
    std::string out;
    if (table) out += *header + "\n";
    for (const auto& r : rows) {
        // In key order, as Go marshals the map Docker's {{json .}} makes of a row.
        Json visible = with_sorted_keys(r, true);
        const Json* labels = r.contains("_Label") ? &r["_Label"] : nullptr;
        o.methods = label_method([labels](const std::string& key) {
            return labels && labels->contains(key) && (*labels)[key].is_string() ? (*labels)[key].get<std::string>() : std::string();
        });
        auto line = tmpl->execute(visible, o);
        if (!line.ok()) return failed(line.error());
        out += *line + "\n";
    }
    return table ? tabwrite(out) : out;
}

void set_row_labels(Json& row, const Json& labels) {
    std::string text;
    if (labels.is_object())
        for (auto it = labels.begin(); it != labels.end(); ++it)
            if (it->is_string()) text += (text.empty() ? "" : ",") + it.key() + "=" + it->get<std::string>();
    row["Labels"] = text;
    row["_Label"] = labels.is_object() ? labels : Json::object();
}

// Docker's inspect runs a template on its Go types: a nil slice prints "[]", a nil map "map[]"
// and a nil pointer "<nil>", where the JSON has null or leaves the field out. By field name
// across the container, image, network and volume types (none of these names has two kinds).
// Made on first use, not at every command's start.
static const TemplateZeroes& inspect_zeroes() {
    static const TemplateZeroes zeroes = [] {
        TemplateZeroes z;
        for (const char* slice : {"Args", "Binds", "CapAdd", "CapDrop", "Cmd", "Entrypoint", "Env", "OnBuild", "Links", "ExtraHosts",
                                  "DeviceRequests", "SecurityOpt", "VolumesFrom", "GroupAdd", "Aliases", "DNSNames", "Dns", "DnsOptions",
                                  "DnsSearch", "Devices", "DeviceCgroupRules", "Ulimits", "BlkioWeightDevice", "BlkioDeviceReadBps",
                                  "BlkioDeviceWriteBps", "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps", "Mounts", "MaskedPaths",
                                  "ReadonlyPaths", "Shell", "RepoTags", "RepoDigests", "Layers", "ExecIDs", "SecondaryIPAddresses",
                                  "SecondaryIPv6Addresses", "Log", "Test", "Peers", "Manifests"})
            z[slice] = "[]";
        for (const char* map : {"Volumes", "Labels", "ExposedPorts", "Tmpfs", "Sysctls", "StorageOpt", "PortBindings", "Ports",
                                "Options", "DriverOpts", "Annotations", "Networks", "Containers", "Status", "Data"})
            z[map] = "map[]";
        for (const char* pointer : {"Health", "Healthcheck", "StopTimeout", "Init", "MemorySwappiness", "PidsLimit", "OomKillDisable",
                                    "IPAMConfig", "ContainerConfig", "UsageData", "ClusterVolume", "SizeRw", "SizeRootFs", "Node",
                                    "Descriptor"})
            z[pointer] = "<nil>";
        // And the scalars Docker leaves out when empty (omitempty), printed as their zero: with
        // missingkey=error a field of the type must never fail where Docker prints it.
        for (const char* b : {"NetworkDisabled", "ArgsEscaped"}) z[b] = "false";
        for (const char* s : {"MacAddress", "StopSignal", "Variant", "OsVersion", "Container", "DockerVersion", "Name", "Driver",
                              "CreatedAt", "Comment", "Author", "Parent"})
            z[s] = "";
        z["VirtualSize"] = "0";
        z["Services"] = "map[]";
        return z;
    }();
    return zeroes;
}

Result<std::string> render_inspect(const std::vector<Json>& items, const std::string& format) {
    if (format.empty()) {
        Json arr = Json::array();
        for (const auto& i : items) arr.push_back(i);
        return items.empty() ? std::string("[]\n") : arr.dump(4) + "\n";
    }
    auto tmpl = Template::parse(unescape_format(format == "json" ? "{{json .}}" : format));
    if (!tmpl.ok()) {
        Error e = std::move(tmpl).error().context("template parsing error");
        e.exit_status = 64; // the docker CLI's status for it
        return e;
    }
    TemplateOptions o;
    o.zeroes = &inspect_zeroes();
    o.missing = MissingField::MapError;
    std::string out;
    for (const auto& i : items) {
        auto one = tmpl->execute(i, o);
        if (!one.ok()) return std::move(one).error().context("template parsing error");
        out += *one + "\n";
    }
    return items.empty() ? "\n" : out; // as "[]" above: Docker's inspect prints something
}

Result<std::string> render_object(const Json& object, const std::string& format, const std::string& go_type, const std::string& name,
                                  const TemplateZeroes* zeroes) {
    auto tmpl = TRY(Template::parse(unescape_format(format == "json" ? "{{json .}}" : format), name));
    TemplateOptions o;
    o.zeroes = zeroes;
    o.missing = MissingField::StructError;
    o.go_type = go_type;
    return TRY(tmpl.execute(object, o)) + "\n";
}

} // namespace kouti
