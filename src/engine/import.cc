#include <fcntl.h>
#include <sys/stat.h>

#include "engine/image_config.h"
#include "engine/image_writer.h"
#include "engine/images.h"
#include "util/crash.h"
#include "util/humanize.h"
#include "util/progress.h"

namespace kouti {

Result<std::string> import_image(Store& store, const ImportOptions& opts) {
    // In Docker's order: its CLI opens the file, then checks the name; its daemon reads the
    // changes last.
    if (opts.source.find("://") != std::string::npos)
        return Error::invalid("importing from a URL is not supported: " + opts.source);
    UniqueFd file;
    int fd = 0;
    int64_t total = -1;
    if (opts.source != "-") {
        file = TRY(open_file(opts.source, O_RDONLY));
        fd = file.get();
        struct stat st;
        if (::fstat(fd, &st) == 0) {
            if (S_ISDIR(st.st_mode)) return Error::invalid("open " + opts.source + ": is a directory");
            if (S_ISREG(st.st_mode)) total = st.st_size;
        }
    }
    std::vector<Reference> tags;
    if (!opts.reference.empty()) {
        auto ref = TRY(parse_reference_default_tag(opts.reference));
        if (!ref.digest.empty()) return Error::invalid("cannot import digest reference");
        tags.push_back(ref);
    }
    Json config = empty_container_config();
    for (const auto& c : opts.changes) TRY(apply_change(config, c));
    auto staging = TRY(store.stage());
    ImageWriter writer(store, *staging);
    Progress progress("Importing", total, opts.progress);
    TarInput in;
    in.fd = fd;
    in.on_input_read = [&](uint64_t n) { progress.update(static_cast<int64_t>(n)); };
    // A base layer's chain ID is its diff ID.
    std::string diff_id = TRY(writer.add_layer(in, ""));
    progress.finish();
    crash_point("import-extracted");
    std::string comment = opts.message.empty() ? "Imported from -" : opts.message;
    writer.add_config(import_config(diff_id, comment, config, now_nanos()));
    return writer.commit("", tags);
}

} // namespace kouti
