"""``python -m newsbrief.web [options]``: the same as ``newsbrief serve [options]``."""

if __name__ == "__main__":  # guarded: a worker process may import this module under another name
    import sys

    from newsbrief.cli import main

    sys.argv = ["newsbrief", "serve", *sys.argv[1:]]
    main()
