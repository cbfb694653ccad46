#pragma once
// Writing a tar stream to an fd through libarchive (PAX, so long names and big files are exact).
#include <archive.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "util/result.h"

namespace kouti {

class TarWriter {
public:
    static Result<std::unique_ptr<TarWriter>> open(int fd);
    ~TarWriter();
    Status add_directory(const std::string& name);
    Status add_bytes(const std::string& name, const std::string& data);
    // Streams a regular file's content as member `name`; `on_bytes` sees each chunk's size.
    Status add_file(const std::string& name, const std::string& path,
                    const std::function<void(int64_t)>& on_bytes = {});
    // A member of `size` bytes whose content `produce` writes through the sink it is given.
    Status add_stream(const std::string& name, int64_t size,
                      const std::function<Status(const std::function<Status(const char*, size_t)>&)>& produce);
    Status close();

private:
    TarWriter() = default;
    Status header(const std::string& name, unsigned type, int64_t size, unsigned mode);
    archive* m_a = nullptr;
};

} // namespace kouti
