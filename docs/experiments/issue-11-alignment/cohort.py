import numpy as np, sys, collections
def load(f):
    emb = {}
    for line in open(f):
        if line.startswith('#'): continue
        t = line.rstrip('\n').split('\t')
        emb[t[0]] = np.array([float(x) for x in t[2].split(',')], dtype=np.float32) if len(t) > 2 and t[2] else None
    return emb
def people_from(pairs):
    names = set()
    lines = open(pairs).read().split('\n')[1:]
    for l in lines:
        t = l.split()
        if len(t) == 3: names.add(t[0])
        elif len(t) == 4: names.add(t[0]); names.add(t[2])
    return names
emb = load(sys.argv[1]); names = people_from(sys.argv[2]); K = int(sys.argv[3]) if len(sys.argv) > 3 else 1
people = collections.defaultdict(list)
for k in sorted(emb):
    p = k.split('/')[0]
    if p in names: people[p].append(k)
gallery, probes, strangers_people = [], [], []
elig = 0
for p in sorted(people):
    ph = people[p]
    if len(ph) > K and elig % 2 == 0:
        elig += 1
        en = [emb[x] for x in ph[:K] if emb[x] is not None]
        if en:
            m = np.mean(en, 0); gallery.append((p, m / np.linalg.norm(m)))
            probes.append((p, True, ph[K:])); continue
    elif len(ph) > K: elig += 1
    strangers_people.append((p, ph))
# cohort = every other stranger person; the rest are stranger probes
cohort = []
for i, (p, ph) in enumerate(strangers_people):
    if i % 2 == 0: cohort += [emb[x] for x in ph if emb[x] is not None]
    else: probes.append((p, False, ph))
C = np.array(cohort); G = np.array([g[1] for g in gallery]); gnames = [g[0] for g in gallery]
print(f"gallery {len(G)} cohort {len(C)} faces", file=sys.stderr)
# template-side cohort stats
TC = G @ C.T
def topk_mean(S, k): return np.sort(S, axis=1)[:, -k:].mean(1)
def run(n, k, mode):
    rows = []  # (mated, top_is_mate, topscore)
    for p, mated, ph in probes:
        es = [emb[x] for x in ph if emb[x] is not None]
        if n == 1: groups = [[e] for e in es]
        else: groups = [es[i:i+n] for i in range(0, len(es) - n + 1, n)]
        for g in groups:
            q = np.mean(g, 0); q /= np.linalg.norm(q)
            s = G @ q
            if mode != 'raw':
                pc = np.sort(C @ q)[-k:]
                mp, sp = pc.mean(), None
                mt = topk_mean(TC, k)
                if mode == 'probe': s = s - mp
                elif mode == 'templ': s = s - mt
                elif mode == 'both': s = s - (mp + mt) / 2
            j = int(np.argmax(s))
            rows.append((mated, mated and gnames[j] == p, s[j]))
    mated = [r for r in rows if r[0]]; non = [r for r in rows if not r[0]]
    tops = np.sort([r[2] for r in non])
    res = []
    for fpir in (0.01, 0.001):
        kk = int(np.floor(fpir * len(non) + 1e-9))
        t = np.nextafter(tops[len(tops) - 1 - kk], np.inf) if kk < len(tops) else -np.inf
        fnir = 1 - sum(1 for r in mated if r[1] and r[2] >= t) / len(mated)
        res.append(fnir)
    rank1 = sum(1 for r in mated if r[1]) / len(mated)
    return len(mated), len(non), rank1, res
for n in (1, 2, 3):
    for mode, k in [('raw', 0), ('probe', 10), ('probe', 50), ('templ', 10), ('templ', 50), ('both', 10), ('both', 50), ('both', 100)]:
        nm, nn, r1, (f1, f01) = run(n, k, mode)
        print(f"group {n} {mode:5s} k={k:3d} mated {nm} strangers {nn} rank-1 {r1:.3f}  FNIR@FPIR1% {f1:.3f}  FNIR@FPIR0.1% {f01:.3f}")
