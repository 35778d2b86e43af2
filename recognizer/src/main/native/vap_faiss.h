// A narrow C++ surface over Debian's libfaiss (1.7.3) for the JavaCPP binding in
// vap.recognizer.faiss.FaissNative: plain functions on an opaque faiss::Index*, so the
// Java side never depends on FAISS class layouts, default arguments or virtual bases.
#pragma once

#include <cstdint>
#include <faiss/Index.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/index_io.h>
#include <omp.h>

namespace vapfaiss {

// Metric codes shared with Java: 0 = inner product, 1 = L2 (faiss::MetricType uses the same values).
inline faiss::MetricType metric_of(int metric) {
    return metric == 0 ? faiss::METRIC_INNER_PRODUCT : faiss::METRIC_L2;
}

// Exact search; wrapped in an id map because IndexFlat only numbers vectors 0..n-1.
inline faiss::Index* new_flat(int d, int metric) {
    faiss::IndexFlat* flat = new faiss::IndexFlat(d, metric_of(metric));
    faiss::IndexIDMap2* map = new faiss::IndexIDMap2(flat);
    map->own_fields = true;
    return map;
}

// Inverted lists over a flat coarse quantiser; IVF keeps 64-bit ids itself, and an id map on top
// would break remove_ids (IVF does not renumber what stays, the id map assumes it does).
inline faiss::Index* new_ivf_flat(int d, int nlist, int metric, int nprobe) {
    faiss::IndexFlat* quantizer = new faiss::IndexFlat(d, metric_of(metric));
    faiss::IndexIVFFlat* ivf = new faiss::IndexIVFFlat(quantizer, d, nlist, metric_of(metric));
    ivf->own_fields = true;
    ivf->nprobe = nprobe;
    return ivf;
}

inline void free_index(faiss::Index* index) { delete index; }

inline int64_t ntotal(const faiss::Index* index) { return index->ntotal; }
inline int dimension(const faiss::Index* index) { return index->d; }
inline int metric(const faiss::Index* index) { return index->metric_type == faiss::METRIC_INNER_PRODUCT ? 0 : 1; }
inline bool is_trained(const faiss::Index* index) { return index->is_trained; }
inline bool is_ivf(const faiss::Index* index) { return dynamic_cast<const faiss::IndexIVF*>(index) != nullptr; }

inline void set_nprobe(faiss::Index* index, int nprobe) {
    if (faiss::IndexIVF* ivf = dynamic_cast<faiss::IndexIVF*>(index)) {
        ivf->nprobe = nprobe;
    }
}

inline void train(faiss::Index* index, int64_t n, const float* x) { index->train(n, x); }

inline void add_with_ids(faiss::Index* index, int64_t n, const float* x, const int64_t* ids) {
    index->add_with_ids(n, x, ids);
}

inline void search(const faiss::Index* index, int64_t n, const float* x, int64_t k, float* distances, int64_t* labels) {
    index->search(n, x, k, distances, labels);
}

inline int64_t remove_ids(faiss::Index* index, int64_t n, const int64_t* ids) {
    faiss::IDSelectorBatch selector(n, ids);
    return (int64_t) index->remove_ids(selector);
}

inline void reset(faiss::Index* index) { index->reset(); }

inline void write_index(const faiss::Index* index, const char* path) { faiss::write_index(index, path); }
inline faiss::Index* read_index(const char* path) { return faiss::read_index(path); }

inline void set_threads(int n) { omp_set_num_threads(n); }
inline int max_threads() { return omp_get_max_threads(); }

}  // namespace vapfaiss
