#include "util/result.h"

#include <cstring>

namespace kouti {

Error Error::from_syscall(const std::string& what, int e) {
    // Lower-case like Go's syscall errors, which is what Docker users see.
    std::string text = std::strerror(e);
    if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    ErrorKind kind = e == ENOENT ? ErrorKind::NotFound : ErrorKind::Internal;
    return {kind, e, what + ": " + text};
}

} // namespace kouti
