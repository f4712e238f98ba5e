#!/usr/bin/env python3
"""Paper vs calibrated LOES score vs the per-layer ridge probe on one task (bench/RESULTS.md, "Calibrated score").

usage: measure.py LOES NAME EMBEDDINGS LABELS TASK K [extra select args...]
Runs `loes select --score paper|calibrated --calibration-fraction 1.0` and `loes probe --subsets <both picks>`,
prints one Markdown table row: picks, probe top layers, Spearman(-score0, probe CV score), probe CV of each pick set.
"""
import json, subprocess, sys

def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for t in range(i, j + 1):
            r[order[t]] = (i + j) / 2.0
        i = j + 1
    return r

def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    n = len(a); ma = sum(ra) / n; mb = sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5; vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va > 0 and vb > 0 else float('nan')

def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(' '.join(cmd) + '\n' + p.stderr)

loes, name, emb, labels, task, k = sys.argv[1:7]
extra = sys.argv[7:]
sel = {}
for score in ('paper', 'calibrated'):
    out = f'/tmp/calib-{name}-{score}.json'
    run([loes, 'select', '--embeddings', emb, '--labels', labels, '--task', task, '--k', k, '--score', score,
         '--calibration-fraction', '1.0', '--json', out] + extra)
    sel[score] = json.load(open(out))
subsets = ';'.join(','.join(map(str, sel[s]['selected'])) for s in ('paper', 'calibrated'))
probe_out = f'/tmp/calib-{name}-probe.json'
run([loes, 'probe', '--embeddings', emb, '--labels', labels, '--task', task, '--subsets', subsets, '--json', probe_out])
probe = json.load(open(probe_out))
cv = {l['layer']: l['score'] for l in probe['layers']}
top = sorted(cv, key=lambda l: -cv[l])[:int(k)]
rho = {}
for s in ('paper', 'calibrated'):
    layers = sel[s]['layers']
    rho[s] = spearman([-l['score0'] for l in layers], [cv[l['layer']] for l in layers])
sub = [x['score'] for x in probe['subsets']]
if len(sub) == 1:
    sub = sub * 2
top_sub = None
fmt = lambda v: f'{v:.4f}'
print(f"| {name} | {sel['paper']['selected']} | {sel['calibrated']['selected']} | {top} (best {fmt(cv[top[0]])}) "
      f"| {rho['paper']:+.2f} | {rho['calibrated']:+.2f} | {fmt(sub[0])} | {fmt(sub[1])} |")
