#!/usr/bin/env python3
"""Draws BENCHMARKS.png from bench/results.csv (the medians the E2E harness writes): throughput, CPU per
million messages and peak RSS, per client, for produce and consume. Usage: chart.py RESULTS.csv OUT.png"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(src: str, dst: str) -> None:
    with open(src, newline="") as f:
        rows = list(csv.DictReader(f))
    phases = [("produce", "produce"), ("consume", "consume")]
    metrics = [("msgs_per_s", "messages/s (higher is better)"),
               ("cpu_s_per_million", "CPU s per million messages (lower is better)"),
               ("peak_rss_mb", "peak RSS MB (lower is better)")]
    fig, axes = plt.subplots(len(phases), len(metrics), figsize=(16, 8), squeeze=False)
    for i, (prefix, title) in enumerate(phases):
        mine = [r for r in rows if r["phase"].startswith(prefix)]
        labels = [r["label"] for r in mine]
        for j, (key, name) in enumerate(metrics):
            ax = axes[i][j]
            values = [float(r[key]) for r in mine]
            colors = ["tab:blue" if "amsa" in label else "tab:gray" for label in labels]
            bars = ax.barh(labels, values, color=colors)
            ax.invert_yaxis()
            ax.set_title(f"{title}: {name}", fontsize=9)
            ax.tick_params(labelsize=8)
            for bar, v in zip(bars, values):
                ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {v:,.0f}" if v >= 1000 else f" {v:.2f}",
                        va="center", fontsize=7)
            ax.margins(x=0.25)
    fig.tight_layout()
    fig.savefig(dst, dpi=90)
    print(f"chart written to {dst}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
