"""The benchmark harness behind bench/run.py (issue #14): not a test, not part of the app."""
