"""What the tests share, one module per kind of thing; test modules and conftests import only here.

Keeping shared code out of test modules means a test file can be moved, renamed or deleted without
breaking another one, and each helper exists once (``tests/unit/test_test_layout.py`` checks it).
"""
