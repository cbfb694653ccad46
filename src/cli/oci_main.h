#pragma once
#include <string>
#include <vector>

namespace kouti {
// runc's command line (`kouti oci ...`, or the binary started as kouti-runc).
int oci_main(const std::string& program, const std::vector<std::string>& argv);
} // namespace kouti
