#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/layer_driver.h"
#include "sys/fs.h"
#include "sys/spare_dirs.h"

namespace kouti {
namespace {

// Same alphabet and length as Docker's overlay2 short links.
std::string short_link_id() {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string hex = random_hex(26);
    std::string id;
    for (size_t i = 0; i < 26; ++i) id += alphabet[std::stoi(hex.substr(i * 2, 2), nullptr, 16) % 32];
    return id;
}

// Every container's topmost lower layer, shared by all: the directories and empty files the
// runtime mounts over. Docker makes such an "init layer" per container; one read-only copy serves
// every container here. Without it each container's first start copies /etc up into its upper
// directory to make /etc/hosts and friends: a directory made, marked and later removed per run.
constexpr const char* kInitLayer = "init";
constexpr const char* kInitDirs[] = {"etc", "proc", "sys", "dev"};
constexpr const char* kInitFiles[] = {"etc/hostname", "etc/hosts", "etc/resolv.conf"};

class OverlayDriver : public LayerDriver {
public:
    OverlayDriver(std::string root, SpareDirs& spares) : m_home(root + "/overlay"), m_spares(spares) {}
    std::string name() const override { return "overlay"; }
    std::string home() const override { return m_home; }
    WhiteoutMode whiteout_mode() const override { return WhiteoutMode::Overlay; }

    Result<std::string> stage(const std::string& staged, const std::string&) override {
        TRY(mkdir_p(staged + "/diff", 0755));
        return staged + "/diff";
    }

    Status publish(const std::string& staged, LayerRow& row) override {
        TRY(mkdir_p(m_home + "/l", 0700));
        row.link_id = short_link_id();
        TRY(write_file_atomic(staged + "/link", row.link_id));
        std::string dest = m_home + "/" + row.cache_id;
        TRY(rename_path(staged, dest));
        if (::symlink(("../" + row.cache_id + "/diff").c_str(), (m_home + "/l/" + row.link_id).c_str()) != 0) {
            int e = errno;
            (void)rename_path(dest, staged);
            return Error::from_syscall("symlink " + m_home + "/l/" + row.link_id, e);
        }
        return ok();
    }

    Status unpublish(const LayerRow& row, const std::string& trash) override {
        if (!row.link_id.empty()) ::unlink((m_home + "/l/" + row.link_id).c_str());
        std::string dir = m_home + "/" + row.cache_id;
        if (!path_exists(dir)) return ok();
        return rename_path(dir, trash);
    }

    std::string layer_root(const LayerRow& row) const override { return m_home + "/" + row.cache_id; }
    std::string diff_dir(const LayerRow& row) const override { return m_home + "/" + row.cache_id + "/diff"; }

    Json graph_data(const std::vector<LayerRow>& chain) const override {
        Json data = Json::object();
        if (chain.empty()) return data;
        std::string lower;
        for (size_t i = 1; i < chain.size(); ++i) lower += (i > 1 ? ":" : "") + diff_dir(chain[i]);
        if (!lower.empty()) data["LowerDir"] = lower;
        std::string top = m_home + "/" + chain[0].cache_id;
        data["MergedDir"] = top + "/merged";
        data["UpperDir"] = top + "/diff";
        data["WorkDir"] = top + "/work";
        return data;
    }

    std::vector<std::string> orphans(const std::set<std::string>& cache_ids,
                                     const std::set<std::string>& link_ids) const override {
        std::vector<std::string> out;
        auto names = list_dir(m_home);
        if (names.ok())
            for (const auto& n : *names)
                if (n != "l" && n != kInitLayer && !cache_ids.count(n)) out.push_back(m_home + "/" + n);
        auto links = list_dir(m_home + "/l");
        if (links.ok())
            for (const auto& n : *links)
                if (!link_ids.count(n)) out.push_back(m_home + "/l/" + n);
        return out;
    }

    Status stage_rw(const std::string& staged, const std::vector<LayerRow>& chain) override {
        TRY(m_spares.make(staged, 0755));
        for (const char* d : {"/diff", "/work", "/merged"}) TRY(m_spares.make(staged + d, 0755));
        if (chain.empty()) TRY(m_spares.make(staged + "/empty", 0755)); // overlay needs one lower layer
        if (!path_exists(m_home + "/" + kInitLayer)) TRY(make_init_layer(staged + ".init"));
        return ok();
    }

    Status publish_rw(const std::string& staged, const std::string& cache_id) override {
        TRY(mkdir_p(m_home, 0700));
        return rename_path(staged, m_home + "/" + cache_id);
    }

    RwRootfs rw_rootfs(const std::string& cache_id, const std::vector<LayerRow>& chain, bool throwaway) const override {
        RwRootfs r;
        r.path = m_home + "/" + cache_id + "/merged";
        std::string lower = chain.empty() ? cache_id + "/empty" : overlay_lowerdir(chain);
        if (init_layer_fits(chain)) lower = std::string(kInitLayer) + ":" + lower;
        r.overlay_data = "lowerdir=" + lower + ",upperdir=" + cache_id + "/diff,workdir=" + cache_id + "/work";
        if (throwaway) r.overlay_data += ",volatile";
        r.overlay_base = m_home;
        return r;
    }

    Status before_rw_mount(const std::string& cache_id) override {
        std::string incompat = m_home + "/" + cache_id + "/work/work/incompat";
        if (::rmdir((incompat + "/volatile").c_str()) != 0 && errno == ENOENT) return ok();
        if (::rmdir(incompat.c_str()) != 0 && errno != ENOENT) return Error::from_syscall("remove " + incompat);
        return ok();
    }

private:
    Status make_init_layer(const std::string& staged) {
        TRY(mkdir_p(staged, 0755));
        for (const char* d : kInitDirs) TRY(mkdir_p(staged + "/" + d, 0755));
        for (const char* f : kInitFiles) TRY(open_file(staged + "/" + f, O_WRONLY | O_CREAT | O_TRUNC, 0644));
        TRY(mkdir_p(m_home, 0700));
        // Another process may have made it meanwhile: theirs serves as well.
        if (::rename(staged.c_str(), (m_home + "/" + kInitLayer).c_str()) != 0 && errno != EEXIST && errno != ENOTEMPTY)
            return Error::from_syscall("rename " + staged);
        return remove_all(staged);
    }

    // The init layer would hide an image whose /etc (or /proc, /sys, /dev) is not a directory,
    // such as a symlink to /usr/etc: those containers do without it.
    bool init_layer_fits(const std::vector<LayerRow>& chain) const {
        struct stat st;
        if (::lstat((m_home + "/" + kInitLayer).c_str(), &st) != 0) return false;
        for (const char* d : kInitDirs)
            for (const auto& layer : chain) {
                if (::lstat((diff_dir(layer) + "/" + d).c_str(), &st) != 0) continue;
                bool whiteout = S_ISCHR(st.st_mode) && st.st_rdev == 0;
                if (!S_ISDIR(st.st_mode) && !whiteout) return false;
                break; // the topmost layer that has it decides
            }
        return true;
    }

    std::string m_home;
    SpareDirs& m_spares;
};

} // namespace

std::string overlay_lowerdir(const std::vector<LayerRow>& chain) {
    std::string s;
    for (size_t i = 0; i < chain.size(); ++i) s += (i ? ":l/" : "l/") + chain[i].link_id;
    return s;
}

std::unique_ptr<LayerDriver> make_overlay_driver(const std::string& root, SpareDirs& spares) {
    return std::make_unique<OverlayDriver>(root, spares);
}

} // namespace kouti
