"""Turns the workloads' results into the table ./ledger bench prints and its JSON report.

Every figure stands beside its anchor (the mean of the anchor measured before and after the
workload on the same PostgreSQL) and its ratio to that anchor.
"""
import json
import os
import platform
import sys


def mean(a, b):
    return (a + b) / 2


def ratio_chart(report):
    """An SVG bar chart: each workload's ratio to its anchor beside its target (a dashed line)."""
    bars = []
    for name in ("W1", "W2", "W3", "W4", "W5"):
        w = report.get(name)
        if not w:
            continue
        ratio = w.get("ratio", w.get("qpsRatio", 0))
        # W5's ratio is W1 on the grown store to W1 on the empty one; its target is 0.8.
        target = w.get("target", 0.8 if name == "W5" else 0)
        if isinstance(target, dict):
            target = target.get("qps", 0)
        bars.append((name, ratio, target))
    height, left, top, bar = 260, 60, 30, 60
    width = max(520, left + 30 + len(bars) * (bar + 50))
    scale = (height - top - 40) / max([1.0] + [max(r, t) for _, r, t in bars])
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
           ' font-family="sans-serif" font-size="12">',
           f'<text x="{left}" y="18">ratio to the anchor (bars) and target (dashed)</text>']
    base = height - 30
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="black"/>')
    for i, (name, ratio, target) in enumerate(bars):
        x = left + 20 + i * (bar + 50)
        h = ratio * scale
        out.append(f'<rect x="{x}" y="{base - h:.1f}" width="{bar}" height="{h:.1f}"'
                   ' fill="#4a78b5"/>')
        ty = base - target * scale
        out.append(f'<line x1="{x - 8}" y1="{ty:.1f}" x2="{x + bar + 8}" y2="{ty:.1f}"'
                   ' stroke="#c0392b" stroke-dasharray="4,3"/>')
        out.append(f'<text x="{x}" y="{base + 16}">{name}</text>')
        out.append(f'<text x="{x}" y="{base - h - 4:.1f}">{ratio:.3f}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(results_path, report_path):
    report = {"machine": {"cores": os.cpu_count(), "platform": platform.platform()}}
    rows = []
    with open(results_path) as f:
        for line in f:
            r = json.loads(line)
            if "W1" in r:
                w1, (before, after) = r["W1"], r["anchor"]
                anchor = mean(before, after)
                ratio = w1["commandsPerSecond"] / anchor if anchor else 0
                report["W1"] = dict(w1, anchorTps={"before": before, "after": after,
                                                   "mean": anchor},
                                    ratio=round(ratio, 3), target=1.0, floor=0.5)
                rows += [
                    f"| W1 administration mix | commands/s | {w1['commandsPerSecond']:.1f} | pgbench TPC-B tps {anchor:.1f} ({before:.1f} / {after:.1f}) | {ratio:.3f} | >= 1.0 (floor 0.5) |",
                    f"| W1 | p50 / p99 latency | {w1['p50Ms']:.1f} ms / {w1['p99Ms']:.1f} ms | | | |",
                    f"| W1 | projection lag p99 | {w1['projectionLagP99Ms']:.1f} ms | | | |",
                    f"| W1 | commands / refused / failed | {w1['commands']} / {w1['refused']} / {w1['failed']} | | | |",
                    f"| W1 | warm-up before it; JIT compiler CPU during it | {w1.get('warmupSeconds', '?')} s; {w1.get('compilerCpuSeconds', '?')} s | | | |",
                ]
            if "W2" in r:
                w2 = r["W2"]
                before, after = w2["anchorRowsPerSecond"]["before"], w2["anchorRowsPerSecond"]["after"]
                anchor = mean(before, after)
                ratio = w2["payoutsPerSecond"] / anchor if anchor else 0
                report["W2"] = dict(w2, anchorMean=anchor, ratio=round(ratio, 3), target=0.5)
                rows += [
                    f"| W2 festival round ({w2['payouts']} payouts, one batch) | payouts/s, until the balances show them | {w2['payoutsPerSecond']:.1f} | JDBC batched insert rows/s, 100 per commit {anchor:.1f} ({before:.1f} / {after:.1f}) | {ratio:.3f} | >= 0.5 |",
                    f"| W2 | accepted / shown in balances after | {w2['acceptedSeconds']:.1f} s / {w2['endToEndSeconds']:.1f} s | | | |",
                ]
            if "W4" in r:
                w4 = r["W4"]
                (btps, bp99), (atps, ap99) = r["anchor"]
                tps, p99 = mean(btps, atps), mean(bp99, ap99)
                qps_ratio = w4["qps"] / tps if tps else 0
                p99_ratio = w4["p99Ms"] / p99 if p99 else 0
                report["W4"] = dict(w4, anchor={"before": {"tps": btps, "p99Ms": bp99},
                                                "after": {"tps": atps, "p99Ms": ap99},
                                                "meanTps": tps, "meanP99Ms": p99},
                                    qpsRatio=round(qps_ratio, 3), p99Ratio=round(p99_ratio, 2),
                                    target={"qps": 0.3, "p99": 5})
                rows += [
                    f"| W4 partner reads (gRPC balances) | QPS | {w4['qps']:.1f} | pgbench -S tps {tps:.1f} ({btps:.1f} / {atps:.1f}) | {qps_ratio:.3f} | >= 0.3 |",
                    f"| W4 | p99 latency | {w4['p99Ms']:.2f} ms (p50 {w4['p50Ms']:.2f} ms) | pgbench -S p99 {p99:.2f} ms ({bp99:.2f} / {ap99:.2f}) | {p99_ratio:.2f}x | <= 5x |",
                    f"| W4 | calls / failed | {w4['calls']} / {w4['failed']} | | | |",
                    f"| W4 | warm-up before it; JIT compiler CPU during it | {w4.get('warmUpSeconds', '?')} s; {w4.get('compilerCpuSeconds', '?')} s | | | |",
                ]
            if "W3" in r:
                w3, (before, after) = r["W3"], r["anchor"]
                anchor = mean(before, after)
                eps = w3["events"] / w3["seconds"] if w3["seconds"] else 0
                ratio = eps / anchor if anchor else 0
                report["W3"] = dict(w3, eventsPerSecond=round(eps, 1),
                                    anchorRowsPerSecond={"before": before, "after": after,
                                                         "mean": anchor},
                                    ratio=round(ratio, 3), target=0.25)
                rows += [
                    f"| W3 auditor replay ({w3['events']} events, every read model, compare {w3['compare']}) | events/s | {eps:.1f} | keyset read of the event table rows/s {anchor:.1f} ({before:.1f} / {after:.1f}) | {ratio:.3f} | >= 0.25 |",
                ]
            if "W5" in r:
                w5 = r["W5"]
                (b1, a1), (b2, a2) = r["anchor"]
                empty, grown = w5["empty"]["commandsPerSecond"], w5["grown"]["commandsPerSecond"]
                # Each W1 is taken relative to its own anchor, so a drifting host cancels out.
                r_empty = empty / mean(b1, a1) if mean(b1, a1) else 0
                r_grown = grown / mean(b2, a2) if mean(b2, a2) else 0
                ratio = r_grown / r_empty if r_empty else 0
                report["W5"] = dict(w5, anchorTps=[[b1, a1], [b2, a2]], ratio=round(ratio, 3),
                                    target=0.8)
                rows += [
                    f"| W5 growth: W1 after {w5['seeded']} more events | commands/s | {grown:.1f} (anchor {mean(b2, a2):.1f}) | W1 on the store before: {empty:.1f} (anchor {mean(b1, a1):.1f}) | {ratio:.3f} | >= 0.8 |",
                    f"| W5 | p99 before / after, projection lag p99 before / after | {w5['empty']['p99Ms']:.1f} / {w5['grown']['p99Ms']:.1f} ms; {w5['empty']['projectionLagP99Ms']:.1f} / {w5['grown']['projectionLagP99Ms']:.1f} ms | | | |",
                ]
    with open(report_path, "w") as f:
        json.dump(report, f, indent=2)
    svg_path = report_path[:-len(".json")] + ".svg"
    with open(svg_path, "w") as f:
        f.write(ratio_chart(report))
    print()
    print("| workload | figure | value | anchor (mean of before / after) | ratio | target |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(row)
    print()
    print("report:", report_path)
    print("chart: ", svg_path)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
