# Reference side of the recognizer benchmark: Debian's python3-faiss (the same libfaiss 1.7.3) timed on the
# very data the Java side uses. It loads the data, builds the index, prints {"add_per_s": ...}, then answers
# commands on stdin ("single" / "batched" / "top1") with one JSON line each, so that the Java side can
# alternate rounds with it under the same machine load.
import json
import sys
import time

import faiss
import numpy as np

data_file, query_file, n, d, k, batch, seconds, metric = sys.argv[1:9]
n, d, k, batch, seconds = int(n), int(d), int(k), int(batch), float(seconds)
xb = np.fromfile(data_file, dtype='<f4').reshape(n, d)
xq = np.fromfile(query_file, dtype='<f4').reshape(-1, d)
nq = xq.shape[0]
ids = np.arange(n, dtype='int64')

# Warm-up, as the Java side has: first calls pay for allocation and OpenMP start-up.
warm = faiss.IndexIDMap2(faiss.IndexFlatIP(d))
warm.add_with_ids(xb[:min(n, 10000)], ids[:min(n, 10000)])
for q in range(200):
    warm.search(xq[q % nq:q % nq + 1], k)
warm.search(xq[:batch], k)
del warm

index = faiss.IndexIDMap2(faiss.IndexFlatIP(d) if metric == 'IP' else faiss.IndexFlatL2(d))
t0, c0 = time.perf_counter(), time.process_time()
for s in range(0, n, 1000):
    index.add_with_ids(xb[s:s + 1000], ids[s:s + 1000])
print(json.dumps({"add_per_s": n / (time.perf_counter() - t0), "add_per_cpu_s": n / max(1e-9, time.process_time() - c0),
                  "threads": faiss.omp_get_max_threads()}), flush=True)


def timed(step):
    """Queries per wall-clock second and per CPU second of this process (all threads)."""
    count, i, t0, c0 = 0, 0, time.perf_counter(), time.process_time()
    while True:
        count += step(i)
        i += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= seconds and count > 0:
            return {"qps": count / elapsed, "cpu_qps": count / max(1e-9, time.process_time() - c0)}


def single(i):
    q = i % nq
    index.search(xq[q:q + 1], k)
    return 1


def batched(i):
    index.search(xq[:batch], k)
    return batch


for line in sys.stdin:
    command = line.strip()
    if command == 'single':
        print(json.dumps(timed(single)), flush=True)
    elif command == 'batched':
        print(json.dumps(timed(batched)), flush=True)
    elif command == 'top1':
        _, labels = index.search(xq[:batch], k)
        print(json.dumps({"top1": labels[:, 0].tolist()}), flush=True)
    elif command == 'quit':
        break
