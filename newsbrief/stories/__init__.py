"""Stories from a stream: group a large mixed corpus of articles into stories, then brief each.

Pipeline (near-linear in the number of articles; no all-pairs comparison anywhere), one module
per stage:

1. **Features** (:mod:`.features`; per article, stateless, so it runs in partitions on Dask
   workers): content words and adjacent-word bigrams of title and body, names (capitalised words
   never written in lower case in the article) weighted ``NAME_WEIGHT``; a hashed term-frequency
   vector (CRC32 into 2**21 buckets); a MinHash signature (64 permutations, datasketch's affine32
   scheme, computed in numpy) of word 3-shingles.
2. **Near-duplicates** (:mod:`.duplicates`, LSH banding in numpy): articles whose estimated
   shingle Jaccard is at least ``DUP_THRESHOLD`` and whose dates lie within the time window are
   near-duplicate copies (wire copies, re-dated reprints, light rewrites, shuffled paragraphs).
   The search is cut into date-ordered chunks, each with a "halo" of the earlier articles that
   are still inside the window, so chunks are independent tasks (Dask); a pair found by two tasks
   counts once.
3. **Neighbours** (:mod:`.neighbours`): every representative (an article that is not a copy of
   an earlier one) gets a TF-IDF vector (very common terms left out, at most ``DOC_TERMS``); its ``KNN``
   nearest neighbours by cosine are found by sparse matrix products restricted to the articles
   dated within ``window_days`` (blocking: cost grows with the corpus times the window's size,
   not with the square of the corpus). Undated articles form one block of their own.
4. **Linkage** (:mod:`.linkage`): average linkage over that sparse neighbour graph (a pair that
   is not neighbours counts as similarity 0; a representative weighs as many articles as it has
   copies), times a time decay exp(-days between the two groups / ``decay_days``), merges the most
   similar pair of groups first while it is >= ``threshold``: a long story keeps its follow-ups, a
   same-topic event months later needs a much closer match. ``online=True`` takes a time-ordered
   stream one day at a time (earlier stories frozen; a quiet story can be reopened).
5. **State** (:mod:`.state`, ``--state FILE``, a pickle-free ``.npz``): document frequencies,
   MinHash signatures, the representatives' pruned vectors and the assignments. A later run loads
   it, skips articles it already grouped (matched by id) and groups only the new ones: their
   neighbours are searched among old and new articles, existing stories enter the linkage as
   fixed groups (never split, never merged with each other), so a new article joins an existing
   story or starts a new one; each story is reported new, updated (reopened after ``REOPEN_DAYS``
   quiet days) or unchanged.

:mod:`.distributed` runs each stage's chunks in this process or on Dask; :mod:`.grouping` chains
the stages; :mod:`.run` is the command (read through :func:`newsbrief.readers.read_inputs`, group,
brief, write the index).

Determinism: features, near-duplicate pairs and neighbour lists are pure functions of their
chunk; document frequencies are summed as integers; the linkage runs on the client over sorted
edges. So ``client=`` (Dask) gives exactly the grouping of the single-process run.

API: :func:`group_stories` -> :class:`StoryIndex`; :func:`run_stories` (what ``newsbrief stories``
calls) reads a corpus, groups it, briefs every story of at least ``min_size`` articles in parallel
(processes or Dask, with a progress bar) and writes ``stories/<story-id>.json|.md|.html``,
``index.json`` and ``index.md``/``index.html`` (headline, outlets, date range, status);
:func:`split_into_stories` serves ``newsbrief.split`` (one input covering several stories).
"""

from newsbrief.stories.distributed import dask_client
from newsbrief.stories.duplicates import DUP_THRESHOLD
from newsbrief.stories.features import N_FEATURES, NUM_PERM
from newsbrief.stories.grouping import (
    CHUNK,
    DEFAULT_DECAY_DAYS,
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW_DAYS,
    group_stories,
    split_into_stories,
)
from newsbrief.stories.neighbours import DOC_TERMS, KNN, MIN_EDGE
from newsbrief.stories.results import Story, StoryIndex
from newsbrief.stories.run import DEFAULT_BRIEF_WORDS, DEFAULT_MIN_SIZE, NoUsableCorpus, read_corpus, run_stories
from newsbrief.stories.state import STATE_VERSION, StoryState, load_state, new_state, save_state

__all__ = [
    "CHUNK", "DEFAULT_BRIEF_WORDS", "DEFAULT_DECAY_DAYS", "DEFAULT_MIN_SIZE", "DEFAULT_THRESHOLD",
    "DEFAULT_WINDOW_DAYS", "DOC_TERMS", "DUP_THRESHOLD", "KNN", "MIN_EDGE", "NUM_PERM", "N_FEATURES",
    "STATE_VERSION", "NoUsableCorpus", "Story", "StoryIndex", "StoryState", "dask_client", "group_stories",
    "load_state", "new_state", "read_corpus", "run_stories", "save_state", "split_into_stories",
]
