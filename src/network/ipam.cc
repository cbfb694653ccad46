#include "network/ipam.h"

namespace kouti {

std::optional<Ipv4Net> choose_subnet(const std::vector<Ipv4Net>& taken) {
    std::vector<Ipv4Net> pools;
    for (uint32_t b = 17; b <= 31; ++b) pools.push_back(Ipv4Net{(172u << 24) | (b << 16), 16});
    for (uint32_t c = 0; c < 256; c += 16) pools.push_back(Ipv4Net{(192u << 24) | (168u << 16) | (c << 8), 20});
    for (const auto& p : pools) {
        bool free = true;
        for (const auto& t : taken)
            // A default route (0.0.0.0/0) overlaps everything and takes nothing.
            if (t.prefix > 0 && p.overlaps(t)) free = false;
        if (free) return p;
    }
    return std::nullopt;
}

std::optional<uint32_t> next_free_address(const Ipv4Net& subnet, const Ipv4Net& range, uint32_t gateway, const std::set<uint32_t>& used) {
    uint32_t first = range.network(), last = range.network() | ~range.mask();
    uint32_t net = subnet.network(), bcast = subnet.network() | ~subnet.mask();
    for (uint64_t a = first; a <= last; ++a) {
        auto addr = static_cast<uint32_t>(a);
        if (!subnet.contains(addr)) continue;
        if (subnet.prefix < 31 && (addr == net || addr == bcast)) continue;
        if (addr == gateway || used.count(addr)) continue;
        return addr;
    }
    return std::nullopt;
}

} // namespace kouti
