"""Pictures of trends and clusters (matplotlib, no screen needed); the format follows the suffix.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "t.svg"
>>> plot_trends(["2024-W30", "2024-W31"], {"DiT": [1, 3]}, out)
>>> out.read_text(encoding="utf-8").lstrip().startswith("<?xml")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager

from kg.analysis import Cluster

# Fonts that have Hangul, when installed; DejaVu Sans (matplotlib's own) otherwise.
_WANTED_FONTS = ("Noto Sans CJK KR", "NanumGothic")


def _fonts() -> list[str]:
    """The installed Hangul fonts, then DejaVu Sans: naming a missing font makes matplotlib warn."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in _WANTED_FONTS if f in installed] + ["DejaVu Sans"]


def plot_trends(weeks: Sequence[str], series: dict[str, list[int]], path: Path) -> None:
    """Papers per week, one line per technique (or group)."""
    plt.rcParams["font.family"] = _fonts()
    plt.rcParams["svg.hashsalt"] = "papers-kg"  # the same input gives the same SVG
    fig, ax = plt.subplots(figsize=(11, 5.5))
    for name, values in series.items():
        ax.plot(range(len(weeks)), values, label=name, linewidth=1.6)
    step = max(1, len(weeks) // 12)
    ax.set_xticks(range(0, len(weeks), step), [weeks[i] for i in range(0, len(weeks), step)], rotation=45, ha="right")
    ax.set_ylabel("papers per week")
    ax.set_title("Techniques over time (papers mentioning them, by ISO week of the digest)")
    ax.legend(loc="upper left", fontsize=8, ncol=2)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None} if path.suffix == ".svg" else None)
    plt.close(fig)


def plot_clusters(clusters: Sequence[Cluster], path: Path, top: int = 15) -> None:
    """Topic clusters as bars of their paper counts, each labelled by its characteristic techniques."""
    plt.rcParams["font.family"] = _fonts()
    plt.rcParams["svg.hashsalt"] = "papers-kg"
    shown = list(clusters)[:top]
    fig, ax = plt.subplots(figsize=(11, 0.45 * len(shown) + 1.5))
    names = [f"{c.number}. {', '.join(c.techniques[:4])}" for c in shown]
    ax.barh(range(len(shown)), [len(c.papers) for c in shown], color="#4c78a8")
    ax.set_yticks(range(len(shown)), names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("papers")
    ax.set_title("Topic clusters (Leiden on technique co-occurrence)")
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None} if path.suffix == ".svg" else None)
    plt.close(fig)
