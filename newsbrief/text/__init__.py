"""The text toolkit every stage uses: one implementation of each small text job.

- `tokens`: word tokens (`words`, `rouge_tokens`, `letter_words`) and `word_tree` (fast word regexes)
- `wordlists`: stop words, function words and loaded terms, read from the data files in `data/`
- `stem`: `light_stem` (TF-IDF terms), `rouge_stem` (Porter, as ROUGE stems) and `match_stem` /
  `content_stems` (words as written, compared across sentences); thread-safe
- `numbers`: quantities and number words (`find_quantities`, `words_to_number`, `stated_numbers`)
- `months`: the one month and weekday table; `dates`: metadata dates (dateutil), date lines, the
  in-text date finder
- `language`: language identification (fastText lid.176, lite model) and writing scripts
- `encoding`: bytes -> text (BOMs, UTF-8, then charset_normalizer with a warning)

Heavy pieces load on first use: PyStemmer, the fastText model, dateutil's parser, charset_normalizer.
"""

from newsbrief.text.stem import light_stem, rouge_stem
from newsbrief.text.tokens import letter_words, rouge_tokens, word_tree, words
from newsbrief.text.wordlists import ENGLISH_STOP_WORDS, FUNCTION_WORDS, LOADED_LABELS, LOADED_TERMS, STOP_WORDS

__all__ = [
    "ENGLISH_STOP_WORDS",
    "FUNCTION_WORDS",
    "LOADED_LABELS",
    "LOADED_TERMS",
    "STOP_WORDS",
    "letter_words",
    "light_stem",
    "rouge_stem",
    "rouge_tokens",
    "word_tree",
    "words",
]
