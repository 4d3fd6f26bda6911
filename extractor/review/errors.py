"""What a review command can fail with, and the exit codes scripts rely on.

Kept apart from the service so that the command line (and its --help) can name
them without importing the models and the verifier.
"""

from __future__ import annotations

EXIT_PROBLEM = 1  # a file or the store cannot be used as it is (changed source, missing result …)
EXIT_USAGE = 2  # the request does not make sense for this flag (unknown field, bad value …)
EXIT_NOT_FOUND = 3  # no such flag, or an id prefix that matches several


class ReviewError(Exception):
    def __init__(self, message: str, code: int = EXIT_PROBLEM):
        super().__init__(message)
        self.code = code
