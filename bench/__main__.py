"""`python -m bench`: build registers of growing size, time every page, print and save the figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/malmo_ks_bench python -m bench
    python -m bench --sizes 10000,100000      # the default
    python -m bench --quick                   # a small smoke run of every step

The database named in DATABASE_URL is dropped and recreated (its name must
contain "bench"). The register grows from one size to the next, so the run
loads 100 000 assignments only once.
"""

import argparse
import os
import sys


def _sizes(text):
    sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 10:
        raise argparse.ArgumentTypeError("sizes are numbers of assignments, at least 10")
    return sizes


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=[10_000, 100_000],
                        help="comma-separated numbers of assignments (default 10000,100000)")
    parser.add_argument("--quick", action="store_true",
                        help="tiny registers and few requests: checks that every step runs")
    parser.add_argument("--requests", type=int, default=15,
                        help="timed requests per page and channel (default 15)")
    parser.add_argument("--seconds", type=float, default=4.0,
                        help="at most this long per page and channel (default 4)")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn timings")
    parser.add_argument("--results-dir", help="where the JSON goes (default bench-results/)")
    parser.add_argument("--drop", action="store_true",
                        help="drop the benchmark database at the end")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.requests, args.seconds = [200, 400], 1, 0.5
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    # The floor view and the benchmark's own settings are in bench.settings, always.
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from .run import run

    run(args, "python -m bench " + " ".join(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
