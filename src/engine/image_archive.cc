// save and load: docker-archive (manifest.json) and OCI image layout (index.json). kouti writes
// the layout Docker 25 writes, which is both at once: blobs/sha256/*, index.json, oci-layout and
// manifest.json; `--format oci-archive` leaves manifest.json out.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <set>

#include "archive/extract.h"
#include "archive/tar_split.h"
#include "archive/tar_writer.h"
#include "archive/whiteout.h"
#include "engine/image_config.h"
#include "engine/image_writer.h"
#include "engine/images.h"
#include "sys/resolve.h"
#include "util/progress.h"
#include "util/sha256.h"

namespace kouti {
namespace {

constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* kOciIndex = "application/vnd.oci.image.index.v1+json";
constexpr const char* kOciConfig = "application/vnd.oci.image.config.v1+json";
constexpr const char* kOciLayer = "application/vnd.oci.image.layer.v1.tar";

struct SaveItem {
    ImageRow image;
    std::vector<Reference> tags;
};

int64_t file_size(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

} // namespace

Status save_images(Store& store, const std::vector<std::string>& names, int fd, ArchiveFormat format, bool progress) {
    if (::isatty(fd)) return Error::invalid("cowardly refusing to save to a terminal. Use the -o flag or redirect");
    std::vector<SaveItem> items;
    std::map<std::string, size_t> by_id;
    for (const auto& name : names) {
        auto img = TRY(resolve_image(store.db(), name));
        auto it = by_id.find(img.id);
        if (it == by_id.end()) {
            it = by_id.emplace(img.id, items.size()).first;
            items.push_back({img, {}});
        }
        auto ref = parse_reference_default_tag(name);
        bool by_tag = false;
        if (ref.ok())
            for (const auto& t : img.tags)
                if (t.name() == ref->name() && t.tag == ref->tag) by_tag = true;
        if (by_tag) items[it->second].tags.push_back(*ref);
    }

    struct Blob {
        std::string digest, path;
        std::string split, layer_dir; // a layer rebuilt from its tar-split record instead
        int64_t size = 0;
    };
    std::vector<Blob> blobs;
    std::set<std::string> seen;
    Json index_manifests = Json::array(), docker_manifest = Json::array();
    std::map<std::string, std::string> manifests; // digest -> bytes
    int64_t total = 0;
    for (const auto& item : items) {
        Json config = TRY(image_config(store, item.image.id));
        std::string config_path = store.blob_path(item.image.id);
        Json m = Json::object();
        m["schemaVersion"] = 2;
        m["mediaType"] = kOciManifest;
        m["config"] = Json{{"mediaType", kOciConfig}, {"digest", item.image.id}, {"size", file_size(config_path)}};
        m["layers"] = Json::array();
        Json docker_layers = Json::array();
        if (seen.insert(item.image.id).second) blobs.push_back({item.image.id, config_path, "", "", file_size(config_path)});
        if (config.contains("rootfs") && config["rootfs"].contains("diff_ids")) {
            std::string chain;
            for (const auto& d : config["rootfs"]["diff_ids"]) {
                std::string diff = d.get<std::string>();
                chain = ImageWriter::chain_id(chain, diff);
                Blob b{diff, store.blob_path(diff), "", "", 0};
                if (path_exists(b.path)) {
                    b.size = file_size(b.path);
                } else {
                    auto layer = TRY(layer_by_chain(store.db(), chain));
                    if (!layer || !path_exists(store.split_path(diff)))
                        return Error::corrupt("layer " + diff + " is missing from the store");
                    b.path.clear();
                    b.split = store.split_path(diff);
                    b.layer_dir = store.driver().diff_dir(*layer);
                    b.size = static_cast<int64_t>(TRY(tar_split_size(b.split)));
                }
                m["layers"].push_back(Json{{"mediaType", kOciLayer}, {"digest", diff}, {"size", b.size}});
                docker_layers.push_back("blobs/sha256/" + std::string(digest_hex(diff)));
                if (seen.insert(diff).second) {
                    total += b.size;
                    blobs.push_back(std::move(b));
                }
            }
        }
        std::string bytes = m.dump();
        std::string digest = digest_of(bytes);
        manifests[digest] = bytes;
        auto descriptor = [&](const Reference* tag) {
            Json desc = Json{{"mediaType", kOciManifest}, {"digest", digest}, {"size", bytes.size()}};
            if (tag)
                desc["annotations"] = Json{{"io.containerd.image.name", tag->string()},
                                           {"org.opencontainers.image.ref.name", tag->tag}};
            return desc;
        };
        Json repo_tags = Json::array();
        for (const auto& t : item.tags) {
            index_manifests.push_back(descriptor(&t));
            repo_tags.push_back(t.familiar_string());
        }
        if (item.tags.empty()) index_manifests.push_back(descriptor(nullptr));
        docker_manifest.push_back(Json{{"Config", "blobs/sha256/" + std::string(digest_hex(item.image.id))},
                                       {"RepoTags", item.tags.empty() ? Json(nullptr) : repo_tags},
                                       {"Layers", docker_layers}});
    }

    auto tar = TRY(TarWriter::open(fd));
    Progress bar("Saving", total, progress);
    int64_t written = 0;
    TRY(tar->add_directory("blobs"));
    TRY(tar->add_directory("blobs/sha256"));
    for (const auto& b : blobs) {
        std::string name = "blobs/sha256/" + std::string(digest_hex(b.digest));
        if (!b.path.empty()) {
            TRY(tar->add_file(name, b.path, [&](int64_t n) {
                written += n;
                bar.update(written);
            }));
            continue;
        }
        TRY(tar->add_stream(name, b.size, [&](const ByteSink& sink) -> Status {
            TRY(assemble_tar(b.split, b.layer_dir, [&](const char* p, size_t n) -> Status {
                written += static_cast<int64_t>(n);
                bar.update(written);
                return sink(p, n);
            }, b.digest));
            return ok();
        }));
    }
    for (const auto& [digest, bytes] : manifests) TRY(tar->add_bytes("blobs/sha256/" + std::string(digest_hex(digest)), bytes));
    Json index = Json{{"schemaVersion", 2}, {"mediaType", kOciIndex}, {"manifests", index_manifests}};
    TRY(tar->add_bytes("index.json", index.dump()));
    if (format == ArchiveFormat::Docker) TRY(tar->add_bytes("manifest.json", docker_manifest.dump()));
    TRY(tar->add_bytes("oci-layout", R"({"imageLayoutVersion":"1.0.0"})"));
    TRY(tar->close());
    bar.finish();
    return ok();
}

namespace {

struct LoadItem {
    std::string config_path;
    std::string config_digest; // known for OCI, checked against the bytes
    std::vector<std::string> layer_paths;
    std::vector<Reference> tags;
};

Error bad_archive(const std::string& why) { return Error::invalid("invalid image archive: " + why); }

// Reads a member of the unpacked archive, refusing paths that leave it or go through symlinks.
Result<UniqueFd> open_member(int dirfd, const std::string& member) {
    std::string clean;
    if (!clean_member_path(member, clean) || clean.empty()) return bad_archive("path \"" + member + "\" is outside the archive");
    auto fd = open_beneath(dirfd, clean, O_RDONLY);
    if (!fd.ok()) return bad_archive("cannot open \"" + member + "\": " + fd.error().message);
    return fd;
}

Result<std::string> read_member(int dirfd, const std::string& member) {
    auto fd = TRY(open_member(dirfd, member));
    return read_file("/proc/self/fd/" + std::to_string(fd.get()));
}

Result<Json> read_json_member(int dirfd, const std::string& member) {
    auto text = TRY(read_member(dirfd, member));
    auto j = Json::parse(text, nullptr, false);
    if (j.is_discarded()) return bad_archive(member + " is not valid JSON");
    return j;
}

std::string blob_member(const std::string& digest) { return "blobs/sha256/" + std::string(digest_hex(digest)); }

Result<std::vector<LoadItem>> docker_items(int dirfd) {
    Json manifest = TRY(read_json_member(dirfd, "manifest.json"));
    if (!manifest.is_array()) return bad_archive("manifest.json is not a list");
    std::vector<LoadItem> items;
    for (const auto& m : manifest) {
        LoadItem item;
        if (!m.is_object() || !m.contains("Config") || !m["Config"].is_string()) return bad_archive("manifest.json entry without Config");
        item.config_path = m["Config"];
        if (m.contains("Layers") && m["Layers"].is_array())
            for (const auto& l : m["Layers"]) item.layer_paths.push_back(l.get<std::string>());
        if (m.contains("RepoTags") && m["RepoTags"].is_array())
            for (const auto& t : m["RepoTags"]) item.tags.push_back(TRY(parse_reference_default_tag(t.get<std::string>())));
        items.push_back(std::move(item));
    }
    return items;
}

Result<std::vector<LoadItem>> oci_items(int dirfd) {
    Json index = TRY(read_json_member(dirfd, "index.json"));
    if (!index.contains("manifests") || !index["manifests"].is_array()) return bad_archive("index.json has no manifests");
    std::vector<LoadItem> items;
    std::map<std::string, size_t> by_manifest;
    for (const auto& desc0 : index["manifests"]) {
        Json desc = desc0;
        // An index (multi-platform) inside: take the entry for this host's platform.
        if (desc.value("mediaType", "") == kOciIndex) {
            Json inner = TRY(read_json_member(dirfd, blob_member(desc.value("digest", ""))));
            Json chosen;
            for (const auto& d : inner.value("manifests", Json::array()))
                if (!d.contains("platform") || d["platform"].value("architecture", "") == host_architecture()) {
                    chosen = d;
                    break;
                }
            if (chosen.is_null()) return bad_archive("no manifest for this platform");
            chosen["annotations"] = desc.value("annotations", Json::object());
            desc = chosen;
        }
        std::string digest = desc.value("digest", "");
        if (!is_digest(digest)) return bad_archive("index.json has a bad digest \"" + digest + "\"");
        Reference tag;
        bool tagged = false;
        if (desc.contains("annotations") && desc["annotations"].is_object()) {
            std::string name = desc["annotations"].value("io.containerd.image.name", "");
            if (name.empty()) name = desc["annotations"].value("org.opencontainers.image.ref.name", "");
            // A bare tag ("latest") names no repository: the image is loaded untagged.
            if (!name.empty() && name.find_first_of(":/") != std::string::npos) {
                tag = TRY(parse_reference_default_tag(name));
                tagged = true;
            }
        }
        auto known = by_manifest.find(digest);
        if (known != by_manifest.end()) {
            if (tagged) items[known->second].tags.push_back(tag);
            continue;
        }
        std::string bytes = TRY(read_member(dirfd, blob_member(digest)));
        if (digest_of(bytes) != digest) return bad_archive("manifest " + digest + " does not match its digest");
        auto m = Json::parse(bytes, nullptr, false);
        if (m.is_discarded() || !m.contains("config")) return bad_archive("manifest " + digest + " is not an image manifest");
        LoadItem item;
        item.config_digest = m["config"].value("digest", "");
        item.config_path = blob_member(item.config_digest);
        for (const auto& l : m.value("layers", Json::array())) item.layer_paths.push_back(blob_member(l.value("digest", "")));
        if (tagged) item.tags.push_back(tag);
        by_manifest[digest] = items.size();
        items.push_back(std::move(item));
    }
    return items;
}

Result<std::string> load_one(Store& store, Staging& staging, int dirfd, const LoadItem& item) {
    std::string config = TRY(read_member(dirfd, item.config_path));
    if (!item.config_digest.empty() && digest_of(config) != item.config_digest)
        return bad_archive("config " + item.config_digest + " does not match its digest");
    auto cj = Json::parse(config, nullptr, false);
    if (cj.is_discarded() || !cj.is_object()) return bad_archive(item.config_path + " is not valid JSON");
    std::vector<std::string> diff_ids;
    if (cj.contains("rootfs") && cj["rootfs"].contains("diff_ids"))
        for (const auto& d : cj["rootfs"]["diff_ids"]) diff_ids.push_back(d.get<std::string>());
    if (diff_ids.size() != item.layer_paths.size())
        return bad_archive("the config lists " + std::to_string(diff_ids.size()) + " layers, the manifest " +
                           std::to_string(item.layer_paths.size()));
    ImageWriter writer(store, staging);
    std::string chain;
    for (size_t i = 0; i < diff_ids.size(); ++i) {
        std::string next = ImageWriter::chain_id(chain, diff_ids[i]);
        if (TRY(writer.has_layer(next))) {
            chain = next;
            continue;
        }
        auto fd = TRY(open_member(dirfd, item.layer_paths[i]));
        TarInput in;
        in.fd = fd.get();
        chain = TRY_CTX(writer.add_layer(in, chain, diff_ids[i]), "layer " + item.layer_paths[i]);
    }
    writer.add_config(config);
    return writer.commit("", item.tags);
}

} // namespace

Result<std::vector<std::string>> load_images(Store& store, int fd, bool progress) {
    struct stat st;
    int64_t total = (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) ? st.st_size : -1;
    if (::isatty(fd)) return Error::invalid("requested load from stdin, but stdin is empty");
    auto staging = TRY(store.stage());
    std::string dir = staging->fresh("archive");
    TRY(mkdir_p(dir, 0700));
    {
        Progress bar("Loading", total, progress);
        TarInput in;
        in.fd = fd;
        in.on_input_read = [&](uint64_t n) { bar.update(static_cast<int64_t>(n)); };
        auto reader = TRY(TarReader::open(in));
        TRY(extract_tar(*reader, dir, WhiteoutMode::Literal));
    }
    auto dirfd = TRY(open_file(dir, O_RDONLY | O_DIRECTORY));
    std::vector<LoadItem> items;
    if (path_exists(dir + "/manifest.json")) items = TRY(docker_items(dirfd.get()));
    else if (path_exists(dir + "/index.json")) items = TRY(oci_items(dirfd.get()));
    else return bad_archive("neither manifest.json nor index.json found");
    std::vector<std::string> lines;
    for (const auto& item : items) {
        std::string id = TRY(load_one(store, *staging, dirfd.get(), item));
        for (const auto& t : item.tags) lines.push_back("Loaded image: " + t.familiar_string());
        if (item.tags.empty()) lines.push_back("Loaded image ID: " + id);
    }
    return lines;
}

} // namespace kouti
