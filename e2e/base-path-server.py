"""Serves the built site under a base path (/workshop/eventlab/), as a team would host it beside
other pages, so a test can prove nothing in the site assumes it lives at the root. Anything
outside the base path is a 404. Binds 127.0.0.1 only."""

import functools
import http.server
import sys

BASE = "/workshop/eventlab"


class UnderBase(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path):
        if path == BASE:
            path = BASE + "/"
        if not path.startswith(BASE + "/"):
            return "/nonexistent-outside-the-base-path"
        return super().translate_path(path[len(BASE):])

    def log_message(self, *args):
        pass


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    handler = functools.partial(UnderBase, directory=directory)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()


if __name__ == "__main__":
    main()
