"""Chinese departure detection (36Kr-style newsflashes and articles).

Kept apart from the English detector: spaCy's Chinese language class with jieba word
segmentation, vocabulary as data (``vocab``, ``companies``), argument finders
(``arguments``) and the rules (``detector``). Importing this package is cheap; jieba and
its dictionary are loaded when the first Chinese text is detected.
"""
