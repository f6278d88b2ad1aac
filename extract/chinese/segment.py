"""spaCy's Chinese language class with jieba word segmentation and part-of-speech tags.

jieba and its dictionary come from the package index (no download at run time); a
private ``jieba.Tokenizer`` gets the company names, titles and trigger words as extra
dictionary entries so they come out as one word, without changing jieba for anyone else
in the process. The tokenizer keeps jieba's tags (``nr`` person, ``nt`` organisation,
``ns`` place) in ``Token.tag_``; the entity component in ``extract.chinese.entities``
reads them.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from extract.chinese.companies import COMPANY_ALIASES
from extract.chinese.vocab import (
    DENIALS,
    HOLD_VERBS,
    INTERNAL_MOVES,
    LEAVE_TRIGGERS,
    MOVE_TRIGGERS,
    TITLES,
)


def _jieba() -> Any:
    """Import jieba quietly: it logs "Building prefix dict..." to stderr on first use,
    and an installed ``pkg_resources`` would add a deprecation warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba
        import jieba.posseg
    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return jieba


class JiebaTokenizer:
    """Text -> spaCy ``Doc`` with jieba's words and tags (whitespace kept as tokens, so
    ``doc.text`` is the input and character offsets agree)."""

    def __init__(self, vocab: Vocab) -> None:
        jieba = _jieba()
        self.vocab = vocab
        base = jieba.Tokenizer()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            base.initialize()
        for word in COMPANY_ALIASES:
            if len(word) >= 2:
                base.add_word(word, 2000, "nt")
        for word in TITLES:
            base.add_word(word, 2000, "n")
        for word in LEAVE_TRIGGERS + MOVE_TRIGGERS + INTERNAL_MOVES + HOLD_VERBS + DENIALS:
            if len(word) >= 2:
                base.add_word(word, 2000, "v")
        self.pos = jieba.posseg.POSTokenizer(base)

    def __call__(self, text: str) -> Doc:
        from extract.chinese.entities import protected_spans

        words: list[str] = []
        tags: list[str] = []
        pos = 0
        # Names after a title and known companies are kept whole: jieba would cut
        # 负责人马维英 as 负责/人马/维英.
        spans = protected_spans(text, self.pos.word_tag_tab)
        for start, end, tag in [*spans, (len(text), len(text), "")]:
            for pair in self.pos.cut(text[pos:start], HMM=True):
                if pair.word:
                    words.append(pair.word)
                    tags.append(pair.flag)
            if end > start:
                words.append(text[start:end])
                tags.append(tag)
            pos = end
        return Doc(self.vocab, words=words, spaces=[False] * len(words), tags=tags)


def load_zh() -> Language:
    """A blank Chinese pipeline whose tokenizer is jieba with our vocabulary, plus the
    entity component. Built once per ``Detector``, on its first Chinese text."""
    import spacy

    from extract.chinese import entities  # noqa: F401  (registers the component)

    nlp = spacy.blank("zh")
    nlp.tokenizer = JiebaTokenizer(nlp.vocab)
    nlp.add_pipe("exodus_zh_entities")
    return nlp
