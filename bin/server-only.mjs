// Stands in for the 'server-only' marker package outside Next (CLI, worker, tests): everything there is server-side.
