// GPU indexes for the JavaCPP binding in vap.recognizer.faiss.GpuFaissNative; compiled only by the faiss-gpu
// Maven profile against a CUDA build of FAISS (Debian's libfaiss-dev is CPU-only). NOT VERIFIED: no GPU and no
// CUDA FAISS were available where this was written.
#pragma once

#include <vector>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexShards.h>
#include <faiss/gpu/GpuIndexFlat.h>
#include <faiss/gpu/StandardGpuResources.h>
#include <faiss/gpu/utils/DeviceUtils.h>
#include "vap_faiss.h"

namespace vapfaiss {

inline int gpu_count() { return faiss::gpu::getNumDevices(); }

// One GpuIndexFlatIP/L2 on `device`, behind an id map (GPU flat indexes only number vectors 0..n-1).
// The resources object lives as long as the process: FAISS needs it for the index's whole life.
inline faiss::Index* new_gpu_flat(int device, int d, int metric) {
    static std::vector<faiss::gpu::StandardGpuResources*> resources(faiss::gpu::getNumDevices(), nullptr);
    if (resources[device] == nullptr) {
        resources[device] = new faiss::gpu::StandardGpuResources();
    }
    faiss::gpu::GpuIndexFlatConfig config;
    config.device = device;
    faiss::Index* flat = metric == 0
            ? (faiss::Index*) new faiss::gpu::GpuIndexFlatIP(resources[device], d, config)
            : (faiss::Index*) new faiss::gpu::GpuIndexFlatL2(resources[device], d, config);
    faiss::IndexIDMap2* map = new faiss::IndexIDMap2(flat);
    map->own_fields = true;
    return map;
}

// One flat index per GPU under IndexShards (searched in parallel, results merged by FAISS), behind an id map.
inline faiss::Index* new_gpu_sharded_flat(int d, int metric) {
    int n = faiss::gpu::getNumDevices();
    faiss::IndexShards* shards = new faiss::IndexShards(d, true, false);
    for (int g = 0; g < n; g++) {
        faiss::IndexIDMap2* one = (faiss::IndexIDMap2*) new_gpu_flat(g, d, metric);
        shards->add_shard(one->index);
        one->own_fields = false;
        one->index = nullptr;
        delete one;
    }
    shards->own_fields = true;
    faiss::IndexIDMap2* map = new faiss::IndexIDMap2(shards);
    map->own_fields = true;
    return map;
}

}  // namespace vapfaiss
