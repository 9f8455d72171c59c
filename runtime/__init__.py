"""Process management: train the model, start and stop the servers (run, tests, benchmarks)."""
