#pragma once
// Crash injection for the crash-consistency tests: when KOUTI_CRASH_AT names a point, the
// process SIGKILLs itself there, exactly as `kill -9` would at that moment.
namespace kouti {
void crash_point(const char* name);
} // namespace kouti
