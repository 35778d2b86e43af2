"""The Java float net's raw descriptors (DlibFloatCheck -Dchips.out) against dlib's own (DlibDescriptor.cpp).

usage: python3 compare_dlib.py <java-float.txt> <dlib.txt>   (lines: <chip file> <128 values>)
"""
import math, sys
def load(f):
    return {l.split()[0]: [float(x) for x in l.split()[1:]] for l in open(f)}
a, b = load(sys.argv[1]), load(sys.argv[2])
worst, mincos = 0, 1
for k in sorted(a):
    x, y = a[k], b[k]
    d = max(abs(p - q) for p, q in zip(x, y)); worst = max(worst, d)
    c = sum(p * q for p, q in zip(x, y)) / math.sqrt(sum(p * p for p in x) * sum(q * q for q in y)); mincos = min(mincos, c)
    print(f"{k.split('/')[-1]}  max|java - dlib| {d:.2e}  cosine {c:.7f}  |dlib| {math.sqrt(sum(q * q for q in y)):.4f}")
print(f"{len(a)} chips: worst element difference {worst:.2e}, min cosine {mincos:.7f}")
