#pragma once
// Local volumes made with driver options (`volume create --opt type=tmpfs --opt device=tmpfs
// --opt o=size=64m`, a device, an NFS export, `--opt type=none --opt o=bind --opt device=/srv`)
// hold no files of their own. As Docker's local driver does, the filesystem is mounted on the
// volume's _data when the first container using it starts and unmounted when the last one
// stops. Each container using one has a file in <runroot>/volume-users/<volume>/, so that a
// reboot, which empties the runroot, forgets the users together with the mounts.
#include "store/containers.h"
#include "store/store.h"
#include "util/result.h"

namespace kouti {

// Mounts what the container's volumes need and records it as their user; on failure, none.
Status mount_volumes_for(Store& store, const ContainerRow& row);
// The container no longer uses its volumes: those nobody else uses are unmounted.
Status release_volumes_of(Store& store, const ContainerRow& row);
// For `volume rm` (which no container uses): unmounts what a crash left and drops the users'
// lock file.
Status forget_volume_mounts(const Store& store, const std::string& volume);

} // namespace kouti
