// The commands that read or write tars (import, save, load, commit, export): only the full CLI
// library has them, because libarchive and its dependencies cost milliseconds to load.
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "cli/cli.h"
#include "engine/containers.h"
#include "engine/images.h"
#include "sys/fs.h"
#include "sys/output_file.h"
#include "util/humanize.h"

namespace kouti {
namespace {

int cmd_import(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    ImportOptions o;
    o.source = a.positional[0];
    if (a.positional.size() > 1) o.reference = a.positional[1];
    o.changes = a.values("change");
    o.message = a.value("message");
    auto id = import_image(*store, o);
    if (!id.ok()) return cli.fail(id.error());
    write_stdout(id.value() + "\n");
    return 0;
}

int cmd_commit(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    CommitOptions o;
    if (a.positional.size() > 1) o.reference = a.positional[1];
    o.message = a.value("message");
    o.author = a.value("author");
    o.pause = !a.has("pause") || a.flag("pause");
    o.changes = a.values("change");
    auto id = commit_container(*store, a.positional[0], o);
    if (!id.ok()) return cli.fail(id.error());
    write_stdout(*id + "\n");
    return 0;
}

// -o's file as the docker CLI opens it; what is wrong with the path is said after `failed_to`.
Result<OutputFile> output_file(const std::string& path, const std::string& failed_to) {
    auto f = OutputFile::create(path);
    if (!f.ok()) return Error::invalid(failed_to + ": " + f.error().message);
    return f;
}

int cmd_export(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    std::string out = a.value("output");
    if (out.empty() && ::isatty(1))
        return cli.fail(Error::usage("cowardly refusing to save to a terminal. Use the -o flag or redirect"));
    if (out.empty()) {
        auto st = export_container(*store, a.positional[0], 1);
        return st.ok() ? 0 : cli.fail(st.error());
    }
    auto file = output_file(out, "failed to export container");
    if (!file.ok()) return cli.fail(file.error());
    Status st = export_container(*store, a.positional[0], file->fd());
    if (st.ok()) st = file->commit();
    return st.ok() ? 0 : cli.fail(st.error());
}

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
    // An interrupted save never leaves half an archive.
    auto file = output_file(output, "failed to save image");
    if (!file.ok()) return cli.fail(file.error());
    Status st = save_images(*store, a.positional, file->fd(), format, true);
    if (st.ok()) st = file->commit();
    return st.ok() ? 0 : cli.fail(st.error());
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

// `cp`: here, with the tar commands, since `cp ... -` streams a tar.
bool container_path(const std::string& arg, std::string& name, std::string& path) {
    auto colon = arg.find(':');
    if (colon == std::string::npos || colon == 0) return false;
    auto slash = arg.find('/');
    if (slash != std::string::npos && slash < colon) return false;
    name = arg.substr(0, colon);
    path = arg.substr(colon + 1);
    if (path.empty() || path[0] != '/') path = "/" + path;
    return true;
}

// The size of the tar stream Docker's cp sends for `path`, which its success line reports: a
// 512-byte header per entry, file data in 512-byte blocks, the 1 KiB end (long names' extra
// PAX headers not counted).
int64_t tar_stream_size(const std::string& path) {
    static thread_local int64_t total;
    total = 1024;
    ::nftw(path.c_str(), [](const char*, const struct stat* st, int, struct FTW*) {
        total += 512 + (S_ISREG(st->st_mode) ? (st->st_size + 511) / 512 * 512 : 0);
        return 0;
    }, 64, FTW_PHYS);
    return total;
}

int cmd_cp(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    std::string sname, spath, dname, dpath;
    bool from = container_path(a.positional[0], sname, spath), to = container_path(a.positional[1], dname, dpath);
    // The docker CLI's own checks (exit 1).
    if (from == to) return cli.fail(Error::invalid(from ? "copying between containers is not supported" : "must specify at least one container source"));
    CopyOptions o;
    o.archive = a.flag("archive");
    o.follow_link = a.flag("follow-link");
    auto st = from ? copy_from_container(*store, sname, spath, a.positional[1], o) : copy_to_container(*store, dname, a.positional[0], dpath, o);
    if (!st.ok()) return cli.fail(st.error());
    // As the docker CLI: a line for a person at a terminal, none for a stream or with -q.
    const std::string &source = a.positional[0], &dest = a.positional[1];
    if (!a.flag("quiet") && source != "-" && dest != "-" && ::isatty(2)) {
        std::string copied = dest;
        if (from) {
            struct stat d;
            std::string leaf = spath;
            while (leaf.size() > 1 && leaf.back() == '/') leaf.pop_back();
            if (::stat(dest.c_str(), &d) == 0 && S_ISDIR(d.st_mode) && leaf != "/") copied = dest + "/" + leaf.substr(leaf.rfind('/') + 1);
        }
        std::fprintf(stderr, "Successfully copied %s to %s\n", human_size(static_cast<double>(tar_stream_size(from ? copied : source)), 3).c_str(),
                     dest.c_str());
    }
    return 0;
}

} // namespace

Command cp_command() {
    return {"cp", "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tkouti cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
            "Copy files/folders between a container and the local filesystem",
            {{"archive", 'a', false, "", "Archive mode (copy all uid/gid information)"}, {"follow-link", 'L', false, "", "Always follow symbol link in SRC_PATH"},
             {"quiet", 'q', false, "", "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached"}},
            2, 2, cmd_cp};
}

Command import_command() {
    return {"import", "[OPTIONS] file|- [REPOSITORY[:TAG]]",
            "Import the contents from a tarball to create a filesystem image",
            {{"change", 'c', true, "list", "Apply Dockerfile instruction to the created image"},
             {"message", 'm', true, "string", "Set commit message for imported image"},
             {"platform", 0, true, "string", "Set platform if server is multi-platform capable"}},
            1, 2, cmd_import};
}

Command commit_command() {
    return {"commit", "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes",
            {{"author", 'a', true, "string", "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")"},
             {"change", 'c', true, "list", "Apply Dockerfile instruction to the created image"},
             {"message", 'm', true, "string", "Commit message"},
             {"pause", 'p', false, "", "Pause container during commit (default true)"}},
            1, 2, cmd_commit};
}
Command export_command() {
    return {"export", "[OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive",
            {{"output", 'o', true, "string", "Write to a file, instead of STDOUT"}}, 1, 1, cmd_export};
}
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
