"""Benchmark code: the ROUGE protocol and harness (evaluate), the baselines, the analysis scorers.

Only `newsbrief eval`, the scripts in scripts/ and the tests import it; the brief never does.
"""
