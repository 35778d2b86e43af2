"""Paired bootstrap of d' differences between AlignExplore variants, from its embedding caches.

usage: python3 paired_dprime.py <align.out dir> [lfw dir]   (the pairs of both sets must have been run with every = 4 / 2)
Resamples the pairs (1,000 times, seed 1) and prints the observed d' difference with its 95% interval.
"""
import random, math, sys
O=sys.argv[1]
LFW=sys.argv[2] if len(sys.argv) > 2 else '/work/shared/testdata/lfw'
def emb(set_, every, v):
    if '+' in v:
        a,b=v.split('+'); A=emb(set_,every,a); B=emb(set_,every,b); out={}
        for k in A:
            m=[(x+y)/2 for x,y in zip(A[k],B[k])]; n=math.sqrt(sum(x*x for x in m)); out[k]=[x/n for x in m]
        return out
    d={}
    for l in open(f'{O}/emb-{set_}-{every}-{v}.tsv'):
        k,e=l.rstrip('\n').split('\t'); d[k]=[float(x) for x in e.split(',')]
    return d
def pairs(set_, every):
    L=open(LFW+'/'+set_).read().split('\n')[1:]
    out=[]
    for i,l in enumerate(L):
        if not l.strip() or i%every: continue
        t=l.split()
        img=lambda n,i: f'{n}/{n}_{int(i):04d}.jpg'
        out.append((img(t[0],t[1]),img(t[0],t[2]),1) if len(t)==3 else (img(t[0],t[1]),img(t[2],t[3]),0))
    return out
def scores(set_,every,v,P):
    E=emb(set_,every,v)
    return [sum(x*y for x,y in zip(E[a],E[b])) if a in E and b in E else None for a,b,_ in P]
def dprime(s,y):
    S=[a for a,b in zip(s,y) if b]; D=[a for a,b in zip(s,y) if not b]
    ms=sum(S)/len(S); md=sum(D)/len(D)
    vs=sum((x-ms)**2 for x in S)/len(S); vd=sum((x-md)**2 for x in D)/len(D)
    return (ms-md)/math.sqrt((vs+vd)/2)
for set_,every in (('pairsDevTrain.txt',4),('pairsDevTest.txt',2)):
    P=pairs(set_,every)
    for a,b in (('dlib68','lm68'),('dlib68+dlib68_mirror','lm68+lm68_mirror'),('lm68','base'),('dlib68','base')):
        sa=scores(set_,every,a,P); sb=scores(set_,every,b,P)
        idx=[i for i in range(len(P)) if sa[i] is not None and sb[i] is not None]
        y=[P[i][2] for i in idx]; A=[sa[i] for i in idx]; B=[sb[i] for i in idx]
        obs=dprime(A,y)-dprime(B,y)
        random.seed(1); bs=[]
        for r in range(1000):
            s=[random.randrange(len(idx)) for _ in idx]
            yy=[y[i] for i in s]; bs.append(dprime([A[i] for i in s],yy)-dprime([B[i] for i in s],yy))
        bs.sort()
        print(f'{set_} {a} - {b}: d\' {obs:+.3f}, 95% bootstrap [{bs[25]:+.3f}, {bs[974]:+.3f}]')
