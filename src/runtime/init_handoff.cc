#include "runtime/init_handoff.h"

#include "sys/resolve.h"
#include "util/json.h"

namespace kouti {
namespace {

Json blocked_signals(const sigset_t& mask) {
    Json out = Json::array();
    for (int sig = 1; sig < 65; ++sig)
        if (::sigismember(&mask, sig) == 1) out.push_back(sig);
    return out;
}

Json cgroup_layout_json(const CgroupLayout& l) {
    Json v1 = Json::object();
    for (const auto& [controller, mount] : l.v1) v1[controller] = mount;
    return Json{{"v1", std::move(v1)}, {"unified", l.unified}};
}

CgroupLayout cgroup_layout_from(const Json& j) {
    CgroupLayout l;
    for (const auto& [controller, mount] : j.at("v1").items()) l.v1[controller] = mount.get<std::string>();
    l.unified = j.at("unified").get<std::string>();
    return l;
}

} // namespace

void use_network_namespace_fd(Spec& spec, int netns_fd) {
    if (netns_fd < 0) return;
    for (auto& ns : spec.namespaces)
        if (ns.type == "network" && ns.path.empty()) ns.path = fd_path(netns_fd);
}

std::string encode_init_handoff(const InitContext& ctx, const std::string& config_text, const HandoffExtras& extras) {
    Json init{{"bundle", extras.bundle},
              {"netns_fd", extras.netns_fd},
              {"signal_mask", blocked_signals(extras.signal_mask)},
              {"channel", ctx.channel->fd.get()},
              {"fifo", ctx.fifo_fd},
              {"console", ctx.console_fd},
              {"terminal_to_parent", ctx.terminal_to_parent},
              {"preserve_fds", ctx.preserve_fds},
              {"stdio", {ctx.stdio[0], ctx.stdio[1], ctx.stdio[2]}},
              {"no_pivot", ctx.no_pivot},
              {"joined_user_ns", ctx.joined_user_ns},
              {"cgroups", cgroup_layout_json(ctx.cgroups)},
              {"cgroup_path", ctx.cgroup->path()},
              {"wait_for_go", ctx.wait_for_go},
              {"send_mount_namespace", ctx.send_mount_namespace}};
    // The config goes in as the text it is: no copy of its JSON tree is made to encode it.
    std::string out = "{\"init\":" + init.dump() + ",\"config\":" + config_text + "}";
    out.push_back('\0');
    out += ctx.seccomp_program;
    return out;
}

Result<std::unique_ptr<DecodedInit>> decode_init_handoff(const std::string& buffer) {
    size_t nul = buffer.find('\0');
    if (nul == std::string::npos) return Error::invalid("setup handoff: no end of its JSON");
    Json j = Json::parse(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(nul), nullptr, false);
    if (!j.is_object() || !j.contains("init") || !j.contains("config")) return Error::invalid("setup handoff: not the JSON kouti writes");
    auto d = std::make_unique<DecodedInit>();
    try {
        const Json& init = j.at("init");
        d->spec = TRY(parse_spec_json(j.at("config"), init.at("bundle").get<std::string>()));
        use_network_namespace_fd(d->spec, init.at("netns_fd").get<int>());
        ::sigemptyset(&d->signal_mask);
        for (const auto& sig : init.at("signal_mask")) ::sigaddset(&d->signal_mask, sig.get<int>());
        d->channel.fd.reset(init.at("channel").get<int>());
        d->ctx.cgroups = cgroup_layout_from(init.at("cgroups"));
        d->cgroup = Cgroup(d->ctx.cgroups, init.at("cgroup_path").get<std::string>());
        d->ctx.spec = &d->spec;
        d->ctx.channel = &d->channel;
        d->ctx.cgroup = &d->cgroup;
        d->ctx.fifo_fd = init.at("fifo").get<int>();
        d->ctx.console_fd = init.at("console").get<int>();
        d->ctx.terminal_to_parent = init.at("terminal_to_parent").get<bool>();
        d->ctx.preserve_fds = init.at("preserve_fds").get<int>();
        for (int i = 0; i < 3; ++i) d->ctx.stdio[i] = init.at("stdio").at(static_cast<size_t>(i)).get<int>();
        d->ctx.no_pivot = init.at("no_pivot").get<bool>();
        d->ctx.joined_user_ns = init.at("joined_user_ns").get<bool>();
        d->ctx.wait_for_go = init.at("wait_for_go").get<bool>();
        d->ctx.send_mount_namespace = init.at("send_mount_namespace").get<bool>();
    } catch (const Json::exception& e) {
        return Error::invalid(std::string("setup handoff: ") + e.what());
    }
    d->ctx.seccomp_program = buffer.substr(nul + 1);
    return d;
}

} // namespace kouti
