"""Float against quantised, pair by pair, from FloatExplore's embedding caches.

usage: python3 paired.py <align.out dir> [lfw dir]   (FloatExplore run on pairsDevTrain.txt 4 and pairsDevTest.txt 1)
Per chip route: the d' difference f - q with a paired bootstrap 95% interval (pairs resampled 1,000 times, seed 1),
the pairs the 10-fold rule (fold = index mod 10, threshold best on the other 9, as AlignExplore.report) gets right
with one net and wrong with the other, and how far the scores move (mean and max |score_f - score_q|).
"""
import math, random, sys
O = sys.argv[1]
LFW = sys.argv[2] if len(sys.argv) > 2 else '/work/shared/testdata/lfw'

def emb(set_, every, v):
    if '+' in v:
        a, b = v.split('+'); A = emb(set_, every, a); B = emb(set_, every, b); out = {}
        for k in A:
            m = [(x + y) / 2 for x, y in zip(A[k], B[k])]; n = math.sqrt(sum(x * x for x in m)); out[k] = [x / n for x in m]
        return out
    d = {}
    for l in open(f'{O}/emb-{set_}-{every}-{v}.tsv'):
        k, e = l.rstrip('\n').split('\t'); d[k] = [float(x) for x in e.split(',')]
    return d

def pairs(set_, every):
    out = []
    for i, l in enumerate(open(LFW + '/' + set_).read().split('\n')[1:]):
        if not l.strip() or i % every: continue
        t = l.split(); img = lambda n, j: f'{n}/{n}_{int(j):04d}.jpg'
        out.append((img(t[0], t[1]), img(t[0], t[2]), 1) if len(t) == 3 else (img(t[0], t[1]), img(t[2], t[3]), 0))
    return out

def dprime(s, y):
    S = [a for a, b in zip(s, y) if b]; D = [a for a, b in zip(s, y) if not b]
    ms = sum(S) / len(S); md = sum(D) / len(D)
    vs = sum((x - ms) ** 2 for x in S) / len(S); vd = sum((x - md) ** 2 for x in D) / len(D)
    return (ms - md) / math.sqrt((vs + vd) / 2)

def best_threshold(sc):
    best, bt = -1, 0
    for t, _, _ in sc:
        a = sum((s >= t) == (y == 1) for s, y, _ in sc)
        if a > best: best, bt = a, t
    return bt

def tenfold_correct(s, y):
    """Per pair: right under the 10-fold rule; folds are the index mod 10 among the pairs scored (as AlignExplore)."""
    sc = [(s[i], y[i], fi) for i, fi in zip(range(len(s)), FOLD)]
    ok = [False] * len(s)
    for f in range(10):
        t = best_threshold([x for x in sc if x[2] != f])
        for i, (a, b, g) in enumerate(sc):
            if g == f: ok[i] = (a >= t) == (b == 1)
    return ok

random.seed(1)
for set_, every in (('pairsDevTrain.txt', 4), ('pairsDevTest.txt', 1)):
    P = pairs(set_, every)
    for chip in ('base', 'base+base_mirror', 'lm68chip', 'lm68chip+lm68chip_mirror'):
        q = chip.replace('base', 'q-base').replace('lm68chip', 'q-lm68chip')
        f = chip.replace('base', 'f-base').replace('lm68chip', 'f-lm68chip')
        Eq, Ef = emb(set_, every, q), emb(set_, every, f)
        idx = [i for i, (a, b, _) in enumerate(P) if a in Eq and b in Eq]
        FOLD = [i % 10 for i in idx]
        y = [P[i][2] for i in idx]
        sq = [sum(x * z for x, z in zip(Eq[P[i][0]], Eq[P[i][1]])) for i in idx]
        sf = [sum(x * z for x, z in zip(Ef[P[i][0]], Ef[P[i][1]])) for i in idx]
        d = dprime(sf, y) - dprime(sq, y)
        boot = []
        for _ in range(1000):
            r = [random.randrange(len(idx)) for _ in idx]
            boot.append(dprime([sf[j] for j in r], [y[j] for j in r]) - dprime([sq[j] for j in r], [y[j] for j in r]))
        boot.sort()
        oq, of = tenfold_correct(sq, y), tenfold_correct(sf, y)
        fixed = sum(1 for a, b in zip(oq, of) if not a and b); broken = sum(1 for a, b in zip(oq, of) if a and not b)
        dv = [abs(a - b) for a, b in zip(sf, sq)]
        print(f"{set_[:-4]:<13} {chip:<25} pairs {len(idx)}  d' f-q {d:+.4f} [{boot[25]:+.4f}, {boot[974]:+.4f}]  "
              f"10-fold: f right q wrong {fixed}, q right f wrong {broken}  |score f - q| mean {sum(dv)/len(dv):.5f} max {max(dv):.5f}")
