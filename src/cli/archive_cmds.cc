// save and load.
#include <fcntl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "engine/images.h"
#include "sys/fs.h"

namespace kouti {
namespace {

int cmd_save(Cli& cli, const Args& a) {
    std::string fmt = a.value("format", "docker-archive");
    if (fmt != "docker-archive" && fmt != "oci-archive")
        return cli.fail(Error::usage("unknown archive format \"" + fmt + "\" (docker-archive or oci-archive)"));
    ArchiveFormat format = fmt == "oci-archive" ? ArchiveFormat::Oci : ArchiveFormat::Docker;
    Store* store = STORE_OR_FAIL(cli);
    std::string output = a.value("output");
    if (output.empty()) {
        auto st = save_images(*store, a.positional, 1, format, true);
        return st.ok() ? 0 : cli.fail(st.error());
    }
    // Written beside the target and renamed: an interrupted save never leaves half an archive.
    std::string tmp = output + ".kouti-" + random_hex(4);
    auto fd = open_file(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (!fd.ok()) return cli.fail(fd.error());
    auto st = save_images(*store, a.positional, fd->get(), format, true);
    if (st.ok()) st = rename_path(tmp, output);
    if (!st.ok()) {
        ::unlink(tmp.c_str());
        return cli.fail(st.error());
    }
    return 0;
}

int cmd_load(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    UniqueFd file;
    int fd = 0;
    if (a.has("input")) {
        auto opened = open_file(a.value("input"), O_RDONLY);
        if (!opened.ok()) return cli.fail(opened.error());
        file = std::move(opened).value();
        fd = file.get();
    }
    auto lines = load_images(*store, fd, !a.flag("quiet"));
    if (!lines.ok()) return cli.fail(lines.error());
    for (const auto& l : *lines) write_stdout(l + "\n");
    return 0;
}

} // namespace

Command save_command() {
    return {"save", "[OPTIONS] IMAGE [IMAGE...]",
            "Save one or more images to a tar archive (streamed to STDOUT by default)",
            {{"output", 'o', true, "string", "Write to a file, instead of STDOUT"},
             {"format", 0, true, "string", "docker-archive (default, also an OCI layout) or oci-archive"}},
            1, -1, cmd_save};
}

Command load_command() {
    return {"load", "[OPTIONS]", "Load an image from a tar archive or STDIN",
            {{"input", 'i', true, "string", "Read from tar archive file, instead of STDIN"},
             {"quiet", 'q', false, "", "Suppress the load output"}},
            0, 0, cmd_load};
}

} // namespace kouti
