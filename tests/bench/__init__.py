"""The performance benchmark (`make bench`): a database at a chosen scale, every page timed.

Not collected by pytest (no `test_` modules); run as `python -m tests.bench`.
"""
