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
                if (n != "l" && !cache_ids.count(n)) out.push_back(m_home + "/" + n);
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
