#pragma once
// OCI layer whiteouts (".wh.NAME", ".wh..wh..opq") and their overlayfs form (a 0/0 character
// device, the trusted.overlay.opaque xattr). Pure name logic, unit-tested without root.
#include <string>
#include <string_view>

namespace kouti {

inline constexpr std::string_view kWhiteoutPrefix = ".wh.";
inline constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";
inline constexpr const char* kOverlayOpaqueXattr = "trusted.overlay.opaque";

enum class WhiteoutKind { None, File, Opaque, Meta };

struct Whiteout {
    WhiteoutKind kind = WhiteoutKind::None;
    std::string target; // for File: the name that is deleted
};

// Classifies the last component of a tar path.
Whiteout classify_whiteout(std::string_view basename);
// The tar name that deletes `basename` in a lower layer.
inline std::string whiteout_for(std::string_view basename) {
    return std::string(kWhiteoutPrefix) + std::string(basename);
}

// Splits "a/b/c" into ("a/b", "c"); ("", "c") for a top-level name.
std::pair<std::string, std::string> split_parent(const std::string& path);
// Lexically cleans a tar member path to a relative path inside the layer. Returns false when it
// is absolute or climbs out with "..". "." and "./" yield "".
bool clean_member_path(std::string_view raw, std::string& out);

} // namespace kouti
