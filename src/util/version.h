#pragma once
// Set by CMake for the kouti binary; the fallbacks keep other targets building.
#ifndef KOUTI_VERSION
#define KOUTI_VERSION "0.1.0"
#endif
#ifndef KOUTI_GIT_COMMIT
#define KOUTI_GIT_COMMIT "unknown"
#endif
