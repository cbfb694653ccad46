#pragma once
// KOUTI_TIMING=1 prints, to stderr, the milliseconds since the process started at each named
// step of the hot paths: how `run` was made fast, and how to see what slowed it down.
namespace kouti {
void timing_point(const char* name);
} // namespace kouti
