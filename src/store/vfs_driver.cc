#include "store/layer_driver.h"
#include "sys/copy.h"
#include "sys/fs.h"

namespace kouti {
namespace {

// Each layer is a full copy of its parent plus its own changes: slow and large, but it works on
// any file system and needs no mount privileges.
class VfsDriver : public LayerDriver {
public:
    explicit VfsDriver(std::string root) : m_home(root + "/vfs/dir") {}
    std::string name() const override { return "vfs"; }
    std::string home() const override { return m_home; }
    WhiteoutMode whiteout_mode() const override { return WhiteoutMode::Apply; }

    Result<std::string> stage(const std::string& staged, const std::string& parent_tree) override {
        if (!parent_tree.empty()) TRY(copy_tree(parent_tree, staged));
        else TRY(mkdir_p(staged, 0755));
        return staged;
    }

    Status publish(const std::string& staged, LayerRow& row) override {
        TRY(mkdir_p(m_home, 0700));
        return rename_path(staged, m_home + "/" + row.cache_id);
    }

    Status unpublish(const LayerRow& row, const std::string& trash) override {
        std::string dir = m_home + "/" + row.cache_id;
        if (!path_exists(dir)) return ok();
        return rename_path(dir, trash);
    }

    std::string layer_root(const LayerRow& row) const override { return diff_dir(row); }
    std::string diff_dir(const LayerRow& row) const override { return m_home + "/" + row.cache_id; }

    Json graph_data(const std::vector<LayerRow>& chain) const override {
        Json data = Json::object();
        if (!chain.empty()) data["Dir"] = diff_dir(chain[0]);
        return data;
    }

    std::vector<std::string> orphans(const std::set<std::string>& cache_ids,
                                     const std::set<std::string>&) const override {
        std::vector<std::string> out;
        auto names = list_dir(m_home);
        if (names.ok())
            for (const auto& n : *names)
                if (!cache_ids.count(n)) out.push_back(m_home + "/" + n);
        return out;
    }

    Status stage_rw(const std::string& staged, const std::vector<LayerRow>& chain) override {
        TRY(stage(staged, chain.empty() ? "" : diff_dir(chain[0])));
        return ok();
    }

    Status publish_rw(const std::string& staged, const std::string& cache_id) override {
        LayerRow row;
        row.cache_id = cache_id;
        return publish(staged, row);
    }

    RwRootfs rw_rootfs(const std::string& cache_id, const std::vector<LayerRow>&, bool) const override {
        return RwRootfs{m_home + "/" + cache_id, "", ""};
    }

private:
    std::string m_home;
};

} // namespace

std::unique_ptr<LayerDriver> make_vfs_driver(const std::string& root) { return std::make_unique<VfsDriver>(root); }

} // namespace kouti
