#pragma once
// Tar-split: what it takes to rebuild a layer tar byte for byte from the unpacked layer, so the
// store need not keep a second copy of every layer (Docker keeps the same kind of record).
//
// While a tar streams in, the scanner keeps every byte that is not file content (headers, PAX
// records, padding, the end blocks) and notes where the content of the k-th regular file goes.
// The extractor knows where it wrote that file; together they make the split record. Anything
// the scanner cannot account for exactly (sparse files, data on hard links) makes it inexact,
// and the caller keeps the full tar instead.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "util/result.h"

namespace kouti {

class TarSplitScanner {
public:
    struct Segment {
        std::string raw;          // bytes kept verbatim (when file_size == 0 and !is_file)
        bool is_file = false;
        uint64_t file_size = 0;   // content bytes taken from the unpacked file
    };

    void feed(const char* p, size_t n);
    void finish();
    bool exact() const { return m_exact; }
    size_t file_count() const { return m_files; }
    uint64_t total() const { return m_total; }
    std::vector<Segment>& segments() { return m_segments; }

private:
    void raw(const char* p, size_t n);
    void header_block();
    enum class State { Header, Meta, Data, Padding, Tail } m_state = State::Header;
    std::string m_block;       // partial 512-byte header block
    uint64_t m_left = 0;       // bytes left in the current Meta/Data/Padding region
    uint64_t m_pad = 0;        // padding after the current data
    std::string m_meta;        // content of the current PAX record block, parsed for "size="
    uint64_t m_meta_size = 0;  // meaningful bytes of that record (the rest is padding)
    char m_meta_type = 0;
    int64_t m_pax_size = -1;   // size override from a PAX header for the next entry
    bool m_exact = true;
    size_t m_files = 0;
    uint64_t m_total = 0;
    std::vector<Segment> m_segments;
};

// Writes the split record: the scanner's segments with the k-th file segment naming paths[k].
Status write_tar_split(const std::string& path, TarSplitScanner& scanner, const std::vector<std::string>& paths);
using ByteSink = std::function<Status(const char*, size_t)>;
// Rebuilds the tar from a split record and the layer directory into `sink`, checking the result
// against `diff_id`. Returns the number of bytes produced.
Result<uint64_t> assemble_tar(const std::string& split_path, const std::string& layer_dir, const ByteSink& sink,
                              const std::string& diff_id);
Result<uint64_t> tar_split_size(const std::string& split_path);

} // namespace kouti
