"""Mean +- sample std over seeds of the test metric per (task, tag:method), from run.sh's results.jsonl."""
import collections, json, statistics, sys

rows = [json.loads(line) for line in open(sys.argv[1] if len(sys.argv) > 1 else 'results.jsonl')]
groups = collections.OrderedDict()
for r in rows:
    groups.setdefault((r['task'], r['tag'] + ':' + r['method']), []).append(r)
for (task, method), rs in groups.items():
    metric = 'accuracy' if 'accuracy' in rs[0] else 'r2'
    v = [r[metric] for r in rs]
    sd = statistics.stdev(v) if len(v) > 1 else 0.0
    other = ('macro-F1 %.4f' % statistics.mean(r['macroF1'] for r in rs)) if metric == 'accuracy' \
        else ('RMSE %.2f' % statistics.mean(r['rmse'] for r in rs))
    print('%-6s %-26s %-8s %.4f +- %.4f  n=%d  %s  train s %.1f  %s' % (task, method, metric, statistics.mean(v), sd,
          len(v), other, statistics.mean(r['trainSeconds'] for r in rs), [round(x, 4) for x in v]))
