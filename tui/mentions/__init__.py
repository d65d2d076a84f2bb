"""@-file mentions, without Textual: the project's file list, its ranking, and the note sent.

- ``ignore``: what .gitignore files and .git/info/exclude leave out, read as text (no git);
- ``index``: the walk that lists what the guard would let the model read, and its freshness;
- ``rank``: fuzzy ranking with recency, fast enough to run on every key;
- ``note``: the mentions found in a question and the note telling the model about them.
"""
