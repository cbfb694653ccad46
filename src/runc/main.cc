// kouti-runc: the OCI runtime alone, linked without the image store's libraries (libarchive,
// SQLite, OpenSSL), so that containerd's many short runtime calls do not pay for loading them.
#include <string>
#include <vector>

#include "cli/oci_main.h"

int main(int argc, char** argv) {
    std::string self = argv[0];
    self = self.substr(self.rfind('/') == std::string::npos ? 0 : self.rfind('/') + 1);
    return kouti::oci_main(self, std::vector<std::string>(argv + 1, argv + argc));
}
