// system df: disk usage by images, containers, local volumes (and Docker's empty build cache);
// -v lists each of them as Docker's verbose tables do.
#include <map>
#include <set>

#include "cli/cli.h"
#include "cli/output.h"
#include "engine/containers.h"
#include "engine/images.h"
#include "engine/volumes.h"
#include "store/images.h"
#include "sys/fs.h"
#include "util/humanize.h"

namespace kouti {
namespace {

// Docker's units.HumanSize: 4 significant digits (system df's sizes but the image column).
std::string size4(int64_t bytes) { return human_size(static_cast<double>(bytes), 4); }

struct ImageUsage {
    ImageRow row;
    std::vector<LayerRow> chain;
    int containers = 0;
};

struct ContainerUsage {
    ContainerRow row;
    Json observed;    // its state as observe_state() sees it
    int64_t size = 0; // what it wrote
    bool active = false;
};

struct VolumeUsage {
    std::string name;
    int64_t size = 0;
    int links = 0; // containers naming it
};

struct DiskUsage {
    std::vector<ImageUsage> images;
    std::vector<ContainerUsage> containers;
    std::vector<VolumeUsage> volumes;
    std::map<std::string, int> layer_users; // chain id -> images with that layer
};

Result<DiskUsage> measure(Store& store) {
    DiskUsage du;
    std::map<std::string, int> image_containers;
    for (auto& c : TRY(all_containers(store.db()))) {
        ContainerUsage u;
        LayerRow rw;
        rw.cache_id = c.layer;
        auto size = disk_usage(store.driver().diff_dir(rw));
        u.size = size.ok() ? *size : 0;
        u.observed = observe_state(store, c);
        std::string st = u.observed.value("Status", "");
        u.active = st == "running" || st == "paused";
        ++image_containers[c.image_id];
        u.row = std::move(c);
        du.containers.push_back(std::move(u));
    }
    for (auto& i : TRY(all_images(store.db()))) {
        ImageUsage u;
        if (!i.top_layer.empty()) {
            auto chain = layer_chain(store.db(), i.top_layer);
            if (chain.ok()) u.chain = std::move(*chain);
        }
        for (const auto& l : u.chain) ++du.layer_users[l.chain_id];
        u.containers = image_containers[i.id];
        u.row = std::move(i);
        du.images.push_back(std::move(u));
    }
    for (const auto& v : TRY(list_volumes(store))) {
        VolumeUsage u;
        u.name = v.name;
        auto size = disk_usage(volumes_dir(store) + "/" + v.name + "/_data");
        u.size = size.ok() ? *size : 0;
        u.links = static_cast<int>(TRY(volume_users(store, v.name)).size());
        du.volumes.push_back(std::move(u));
    }
    return du;
}

// Docker's summary: layers shared between images count once; reclaimable is what no image in
// use needs, what stopped containers wrote, what no container's volumes hold.
std::vector<Json> summary_rows(const DiskUsage& du) {
    std::set<std::string> counted, needed;
    int64_t img_size = 0, img_reclaim = 0;
    int active_img = 0;
    for (const auto& i : du.images) {
        active_img += i.containers > 0;
        for (const auto& l : i.chain) {
            if (counted.insert(l.chain_id).second) img_size += l.size;
            if (i.containers > 0) needed.insert(l.chain_id);
        }
    }
    std::set<std::string> reclaimable;
    for (const auto& i : du.images)
        for (const auto& l : i.chain)
            if (!needed.count(l.chain_id) && reclaimable.insert(l.chain_id).second) img_reclaim += l.size;
    int64_t ctr_size = 0, ctr_reclaim = 0, vol_size = 0, vol_reclaim = 0;
    int active_ctr = 0, active_vol = 0;
    for (const auto& c : du.containers) {
        ctr_size += c.size;
        if (c.active) ++active_ctr;
        else ctr_reclaim += c.size;
    }
    for (const auto& v : du.volumes) {
        vol_size += v.size;
        if (v.links) ++active_vol;
        else vol_reclaim += v.size;
    }
    auto pct = [](int64_t part, int64_t whole) {
        std::string s = size4(part);
        if (whole > 0) s += " (" + std::to_string(static_cast<int>(100.0 * static_cast<double>(part) / static_cast<double>(whole))) + "%)";
        return s;
    };
    auto row = [](const char* type, size_t total, int active, const std::string& size, const std::string& reclaimable) {
        return Json{{"Type", type}, {"TotalCount", std::to_string(total)}, {"Active", std::to_string(active)}, {"Size", size},
                    {"Reclaimable", reclaimable}};
    };
    return {row("Images", du.images.size(), active_img, size4(img_size), pct(img_reclaim, img_size)),
            row("Containers", du.containers.size(), active_ctr, size4(ctr_size), pct(ctr_reclaim, ctr_size)),
            row("Local Volumes", du.volumes.size(), active_vol, size4(vol_size), pct(vol_reclaim, vol_size)),
            row("Build Cache", 0, 0, "0B", "0B")};
}

// docker system df -v: one table per kind, as the docker CLI's verbose disk usage prints them.
Result<std::string> verbose_tables(Store& store, const DiskUsage& du) {
    std::map<std::string, const ImageUsage*> by_id;
    for (const auto& i : du.images) by_id[i.row.id] = &i;
    std::string out = "Images space usage:\n\n";
    std::string images = "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\tSHARED SIZE\tUNIQUE SIZE\tCONTAINERS\n";
    for (const auto& r : TRY(list_images(store, ImageListOptions{}))) {
        auto it = by_id.find(r.value("_id", ""));
        if (it == by_id.end()) continue;
        const ImageUsage& i = *it->second;
        int64_t shared = 0;
        for (const auto& l : i.chain)
            if (du.layer_users.at(l.chain_id) > 1) shared += l.size;
        for (const char* k : {"Repository", "Tag", "ID", "CreatedSince", "Size"}) images += r.value(k, "") + "\t";
        images += size4(shared) + "\t" + size4(i.row.size - shared) + "\t" + std::to_string(i.containers) + "\n";
    }
    out += tabwrite(images) + "\nContainers space usage:\n\n";
    std::map<std::string, const ContainerUsage*> sizes;
    for (const auto& c : du.containers) sizes[c.row.id] = &c;
    std::string containers = "CONTAINER ID\tIMAGE\tCOMMAND\tLOCAL VOLUMES\tSIZE\tCREATED\tSTATUS\tNAMES\n";
    for (auto& s : TRY(container_summaries(store.db()))) { // newest first, as ps lists them
        auto it = sizes.find(s.row.id);
        if (it == sizes.end()) continue;
        PsRow p = ps_row(s, &it->second->observed, false);
        auto volumes = volumes_of(it->second->row.config.value("HostConfig", Json::object()));
        containers += p.id + "\t" + p.image + "\t" + p.command + "\t" + std::to_string(volumes.size()) + "\t" +
                      size4(it->second->size) + "\t" + p.running_for + "\t" + p.status + "\t" + p.names + "\n";
    }
    out += tabwrite(containers) + "\nLocal Volumes space usage:\n\n";
    std::string volumes = "VOLUME NAME\tLINKS\tSIZE\n";
    for (const auto& v : du.volumes) volumes += v.name + "\t" + std::to_string(v.links) + "\t" + size4(v.size) + "\n";
    out += tabwrite(volumes) + "\nBuild cache usage: 0B\n\n";
    out += tabwrite("CACHE ID\tCACHE TYPE\tSIZE\tCREATED\tLAST USED\tUSAGE\tSHARED\n");
    return out;
}

int cmd_system_df(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    auto du = measure(*store);
    if (!du.ok()) return cli.fail(du.error());
    if (a.flag("verbose") && a.value("format").empty()) {
        auto text = verbose_tables(*store, *du);
        if (!text.ok()) return cli.fail(text.error());
        write_stdout(*text);
        return 0;
    }
    auto out = render_rows(summary_rows(*du), a.value("format"), "{{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}",
                           Json{{"Type", "TYPE"}, {"TotalCount", "TOTAL"}, {"Active", "ACTIVE"}, {"Size", "SIZE"}, {"Reclaimable", "RECLAIMABLE"}},
                           RowType{"*formatter.diskUsageImagesContext"});
    if (!out.ok()) return cli.fail(out.error());
    write_stdout(*out);
    return 0;
}

} // namespace

Command system_df_command() {
    return {"df", "[OPTIONS]", "Show kouti disk usage", {kFormatFlag, {"verbose", 'v', false, "", "Show detailed information on space usage"}}, 0, 0, cmd_system_df};
}

} // namespace kouti
