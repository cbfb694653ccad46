#pragma once
#define KOUTI_VERSION "0.1.0"

namespace kouti {
// The commit kouti was built from: CMake writes it into a generated file of its own, so a new
// commit recompiles that one file instead of every file of every target.
extern const char* const git_commit;
} // namespace kouti
