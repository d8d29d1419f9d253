"""RQ background work: queues, job functions and the worker entry point."""
