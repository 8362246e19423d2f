"""``python -m l2book``: the same command line as ``l2book`` (list, run, check)."""

from l2book.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
