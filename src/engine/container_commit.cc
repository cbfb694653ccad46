// commit, export and diff: reading what a container's file system holds.
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "archive/tree_tar.h"
#include "engine/image_config.h"
#include "engine/image_writer.h"
#include "engine/container_fs.h"
#include "engine/containers.h"
#include "engine/images.h"
#include "runtime/cgroups.h"
#include "store/events.h"
#include "sys/fs.h"
#include "util/humanize.h"

namespace kouti {
namespace {

// Freezes a running container for the life of the object (commit -p).
class Pause {
public:
    Pause(const Json& state, bool wanted) {
        if (!wanted || state.value("Status", "") != "running") return;
        std::string path = state.value("CgroupPath", "");
        if (path.empty()) return;
        m_cgroup = Cgroup(detect_cgroups(), path);
        m_frozen = m_cgroup.freeze(true).ok();
    }
    ~Pause() {
        if (m_frozen) (void)m_cgroup.freeze(false);
    }

private:
    Cgroup m_cgroup;
    bool m_frozen = false;
};

Json history_entry(const ContainerRow& row, const CommitOptions& o, int64_t now) {
    std::string cmd = row.config.value("Path", "");
    for (const auto& a : row.config.value("Args", Json::array())) cmd += " " + a.get<std::string>();
    Json h = {{"created", rfc3339_nano(now)}, {"created_by", cmd}};
    if (!o.author.empty()) h["author"] = o.author;
    if (!o.message.empty()) h["comment"] = o.message;
    return h;
}

} // namespace

Result<std::string> commit_container(Store& store, const std::string& name, const CommitOptions& o) {
    std::vector<Reference> tags;
    if (!o.reference.empty()) {
        auto parsed = parse_reference_default_tag(o.reference);
        if (!parsed.ok()) return Error::invalid(parsed.error().message); // the docker CLI's own check: exit 1
        auto ref = *parsed;
        if (!ref.digest.empty()) return Error::usage("refusing to create a tag with a digest reference");
        tags.push_back(ref);
    }
    if (store.driver().name() != "overlay") return Error::invalid("commit needs the overlay storage driver (this store uses " + store.driver().name() + ")");
    ContainerFs fs = TRY(container_fs(store, name));
    Json image = TRY(image_config(store, fs.row.image_id));
    Json config = fs.row.config["Config"];
    config["Image"] = fs.row.image_id;
    for (const auto& c : o.changes) TRY(apply_change(config, c));

    auto staging = TRY(store.stage());
    ImageWriter writer(store, *staging);
    std::string parent_chain = fs.chain.empty() ? "" : fs.chain.front().chain_id;
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return Error::from_syscall("pipe");
    UniqueFd read_end(p[0]), write_end(p[1]);
    Status produced = ok();
    {
        Pause pause(fs.row.state, o.pause);
        std::thread producer([&] {
            TreeTarOptions to;
            to.overlay_whiteouts = true;
            to.skip_mount_placeholders = true;
            produced = write_tree_tar(fs.upper, write_end.get(), to);
            write_end.reset();
        });
        TarInput in;
        in.fd = read_end.get();
        auto added = writer.add_layer(in, parent_chain);
        read_end.reset(); // unblocks the producer if the reader stopped early
        producer.join();
        if (!added.ok()) return std::move(added).error();
        TRY(produced);
    }
    int64_t now = now_nanos();
    Json j = Json::object();
    j["architecture"] = image.value("architecture", host_architecture());
    if (!o.author.empty()) j["author"] = o.author;
    j["comment"] = o.message;
    j["config"] = config;
    j["container"] = fs.row.id;
    j["created"] = rfc3339_nano(now);
    Json history = image.value("history", Json::array());
    history.push_back(history_entry(fs.row, o, now));
    j["history"] = history;
    j["os"] = image.value("os", "linux");
    Json diff_ids = image.value("rootfs", Json::object()).value("diff_ids", Json::array());
    diff_ids.push_back(writer.last_diff_id());
    j["rootfs"] = Json{{"type", "layers"}, {"diff_ids", diff_ids}};
    writer.add_config(j.dump());
    std::string id = TRY(writer.commit(fs.row.image_id, tags));
    auto tx = TRY(Transaction::begin(store.db()));
    TRY(record_container_event(store.db(), fs.row, "commit", Json{{"imageID", id}}));
    TRY(tx.commit());
    return id;
}

Status export_container(Store& store, const std::string& name, int fd) {
    ContainerFs fs = TRY(container_fs(store, name));
    if (store.driver().name() != "overlay") return write_tree_tar(fs.upper, fd, TreeTarOptions{});
    // The merged view, mounted read-only (the upper dir as the top lower layer, so a running
    // container's mount is not disturbed) in a mount namespace of a child that dies with it.
    std::string lower = fs.row.layer + "/diff";
    for (const auto& l : fs.chain) lower += ":l/" + l.link_id;
    std::string target = store.driver().home() + "/" + fs.row.layer + "/merged";
    std::string home = store.driver().home();
    int err[2];
    if (::pipe2(err, O_CLOEXEC) != 0) return Error::from_syscall("pipe");
    UniqueFd err_r(err[0]), err_w(err[1]);
    pid_t child = ::fork();
    if (child < 0) return Error::from_syscall("fork");
    if (child == 0) {
        err_r.reset();
        auto report = [&](const std::string& msg) {
            (void)write_all(err_w.get(), msg.data(), msg.size());
            ::_exit(1);
        };
        if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
            report("cannot make a private mount namespace: " + std::string(std::strerror(errno)));
        if (::chdir(home.c_str()) != 0) report("chdir " + home + ": " + std::strerror(errno));
        // Without an upper dir overlay needs two lower dirs; an image without layers has "empty".
        std::string data = "lowerdir=" + lower + (fs.chain.empty() ? ":" + fs.row.layer + "/empty" : "");
        if (::mount("overlay", target.c_str(), "overlay", MS_RDONLY, data.c_str()) != 0)
            report("mount the container's file system: " + std::string(std::strerror(errno)));
        auto st = write_tree_tar(target, fd, TreeTarOptions{});
        if (!st.ok()) report(st.error().message);
        ::_exit(0);
    }
    err_w.reset();
    std::string msg;
    char buf[512];
    ssize_t n;
    while ((n = ::read(err_r.get(), buf, sizeof buf)) > 0) msg.append(buf, static_cast<size_t>(n));
    int status = 0;
    ::waitpid(child, &status, 0);
    if (!msg.empty()) return Error::internal("export: " + msg);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return Error::internal("export failed");
    return ok();
}

} // namespace kouti
