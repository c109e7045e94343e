"""examples/train_tiny.py runs end to end (the job, the loader, optimizer steps) and its loss falls."""

import re
import subprocess
import sys

from conftest import ROOT


def test_the_tiny_training_loss_falls(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples/train_tiny.py"), "--steps", "30", "--batch", "2",
         "--report-every", "10", "--output", str(tmp_path / "rows")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    losses = [float(m) for m in re.findall(r"^step +\d+ +loss ([0-9.]+)", done.stdout, re.M)]
    assert len(losses) == 4, done.stdout  # steps 1, 10, 20, 30
    # From about ln(50257) = 10.8 at random initialisation; the last ten steps' mean is far lower.
    assert losses[0] > 10 and losses[-1] < losses[0] - 2, done.stdout
