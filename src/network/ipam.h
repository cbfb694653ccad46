#pragma once
// Address management, pure: which subnet a new network gets and which address a new endpoint
// gets, given what is taken. The store makes the choice stick (see store/networks.h).
#include <optional>
#include <set>
#include <vector>

#include "network/netlink.h"

namespace kouti {

// Docker's default pools: 172.17.0.0/16 ... 172.31.0.0/16, then 192.168.0.0/20 ... 192.168.240.0/20.
// Returns the first that overlaps none of `taken` (host routes, other networks).
std::optional<Ipv4Net> choose_subnet(const std::vector<Ipv4Net>& taken);

// The lowest free address of `range` (inside `subnet`), never the subnet's network or broadcast
// address and never `gateway`. Empty when the range is full.
std::optional<uint32_t> next_free_address(const Ipv4Net& subnet, const Ipv4Net& range, uint32_t gateway, const std::set<uint32_t>& used);

} // namespace kouti
