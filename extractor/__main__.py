"""`python -m extractor` and the `budget-extract` script: the command line, imported only when it runs.

Light on purpose: each worker process of `run --jobs N` imports the script that started the run (multiprocessing
does, to find the functions it is sent by name); from here that costs it nothing, where ``extractor.cli`` would
import typer and the command line's modules in every worker.
"""


def main() -> None:
    from .cli import main as run_command_line

    run_command_line()


if __name__ == "__main__":
    main()
