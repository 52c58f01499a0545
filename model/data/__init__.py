"""Reading, typing, validating and indexing a case.

Text in the model's frames is held as Python strings: pandas' ``str`` dtype with
``python`` storage, not Arrow. The build, extraction and report make thousands of
small frames, takes and merges on text keys, and with Arrow storage each one
converts text between Arrow and Python objects (about 2 CPU s of a default-case
solve; docs/performance.md). The values, their order and the written outputs are
the same with either storage. The option is pandas' own and holds for the whole
process: a program that imports ``model`` makes its own new text frames with Python
storage too.
"""

import pandas as pd

pd.set_option("mode.string_storage", "python")
