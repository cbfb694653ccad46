#include "network/nftables.h"

#include <dlfcn.h>
#include <nftables/libnftables.h>

#include <mutex>

namespace kouti {
namespace {

struct Lib {
    decltype(&nft_ctx_new) ctx_new = nullptr;
    decltype(&nft_ctx_free) ctx_free = nullptr;
    decltype(&nft_ctx_buffer_error) buffer_error = nullptr;
    decltype(&nft_ctx_buffer_output) buffer_output = nullptr;
    decltype(&nft_ctx_get_error_buffer) error_buffer = nullptr;
    decltype(&nft_run_cmd_from_buffer) run = nullptr;
    std::string missing;
};

const Lib& lib() {
    static Lib l;
    static std::once_flag once;
    std::call_once(once, [] {
        void* h = ::dlopen("libnftables.so.1", RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            l.missing = "cannot load libnftables.so.1 (install the libnftables1 package)";
            return;
        }
        auto sym = [&](auto& fn, const char* name) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(::dlsym(h, name));
            if (!fn) l.missing = std::string("libnftables has no ") + name;
        };
        sym(l.ctx_new, "nft_ctx_new");
        sym(l.ctx_free, "nft_ctx_free");
        sym(l.buffer_error, "nft_ctx_buffer_error");
        sym(l.buffer_output, "nft_ctx_buffer_output");
        sym(l.error_buffer, "nft_ctx_get_error_buffer");
        sym(l.run, "nft_run_cmd_from_buffer");
    });
    return l;
}

// The first line of nft's complaint ("Error: Could not process rule: No such file or directory").
std::string first_line(const char* s) {
    std::string t = s ? s : "";
    size_t nl = t.find('\n');
    return nl == std::string::npos ? t : t.substr(0, nl);
}

} // namespace

Status nft_run(const std::string& script) {
    const Lib& l = lib();
    if (!l.missing.empty()) return Error::internal(l.missing);
    nft_ctx* ctx = l.ctx_new(NFT_CTX_DEFAULT);
    if (!ctx) return Error::internal("nftables: cannot make a context");
    l.buffer_error(ctx);
    l.buffer_output(ctx);
    int r = l.run(ctx, script.c_str());
    std::string err = r == 0 ? "" : first_line(l.error_buffer(ctx));
    l.ctx_free(ctx);
    if (r != 0) return Error::internal("nftables: " + (err.empty() ? "refused the rules" : err));
    return ok();
}

bool nft_table_exists() { return nft_run("list table ip kouti").ok(); }

Status nft_ensure_base() {
    if (nft_table_exists()) return ok();
    // Published ports are DNAT maps keyed by (address, port) or, for every local address, by
    // port. Loopback destinations are only mapped for packets made on this host (output), so a
    // 127.0.0.1 publish is never reachable from another interface.
    return nft_run(R"(table ip kouti {
  map tcp_ports { type ipv4_addr . inet_service : ipv4_addr . inet_service; }
  map udp_ports { type ipv4_addr . inet_service : ipv4_addr . inet_service; }
  map tcp_any { type inet_service : ipv4_addr . inet_service; }
  map udp_any { type inet_service : ipv4_addr . inet_service; }
  set bridges { type ifname; }
  set same_bridge { type ifname . ifname; }
  set internal { type ifname; }
  set nat_subnets { type ipv4_addr; flags interval; }
  chain ports {
    dnat ip to ip daddr . tcp dport map @tcp_ports
    dnat ip to ip daddr . udp dport map @udp_ports
    dnat ip to tcp dport map @tcp_any
    dnat ip to udp dport map @udp_any
  }
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    ip daddr 127.0.0.0/8 return
    fib daddr type local jump ports
  }
  chain output {
    type nat hook output priority -100; policy accept;
    fib daddr type local jump ports
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname @bridges ip saddr 127.0.0.0/8 masquerade
    ip saddr @nat_subnets oifname != @bridges masquerade
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname . oifname @same_bridge accept
    iifname @internal drop
    oifname @internal drop
    iifname @bridges oifname @bridges drop
  }
}
)");
}

std::string nft_network_elements(const std::string& verb, const std::string& bridge, const std::string& subnet, bool internal) {
    std::string q = "\"" + bridge + "\"";
    std::string s = verb + " element ip kouti bridges { " + q + " }\n" + verb + " element ip kouti same_bridge { " + q + " . " + q + " }\n";
    if (internal) s += verb + " element ip kouti internal { " + q + " }\n";
    else s += verb + " element ip kouti nat_subnets { " + subnet + " }\n";
    return s;
}

std::string nft_port_elements(const std::string& verb, const std::vector<PortMapping>& ports) {
    std::string s;
    bool add = verb == "add";
    for (const auto& p : ports) {
        bool any = p.host_ip.empty() || p.host_ip == "0.0.0.0";
        std::string target = add ? " : " + p.container_ip + " . " + std::to_string(p.container_port) : "";
        if (any) s += verb + " element ip kouti " + p.proto + "_any { " + std::to_string(p.host_port) + target + " }\n";
        else s += verb + " element ip kouti " + p.proto + "_ports { " + p.host_ip + " . " + std::to_string(p.host_port) + target + " }\n";
    }
    return s;
}

} // namespace kouti
