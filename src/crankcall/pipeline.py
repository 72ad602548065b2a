"""The jobs crankcall runs over the store, each a sequence of stages, in one visible place.

The CLI and the web app call these; each lives in a module of `crankcall.jobs`:

- `jobs.files`: `init_store`, `ingest_files` (contract 1).
- `jobs.coding`: `code_file` (contract 2), `run` (contract 5: code, then stories), `load_gold`,
  `default_gold_paths`, `code_items`, `evaluate`.
- `jobs.stories`: `build_stories`, `ranked_stories`, `candidates` (contract 3), `draft`
  (contract 4), `move_articles`, `merge_stories`, `evaluate_stories`.
- `jobs.evaluation`: `evaluate_story_sets`, `story_gold`, `default_story_paths`
  (`crankcall eval --stories`).
- `jobs.live`: `add_sources`, `poll_sources`, `fetch_pages`, `extract_file` (contract 7),
  `import_gdelt`, `add_page`.

Only these jobs, `cli.py` and `web/` work with the store; the stages they call are pure.
"""

from __future__ import annotations

from crankcall.jobs import Progress, RunReport
from crankcall.jobs.coding import (
    code_file,
    code_items,
    default_gold_paths,
    evaluate,
    load_gold,
    run,
)
from crankcall.jobs.evaluation import default_story_paths, evaluate_story_sets, story_gold
from crankcall.jobs.files import FileReport, IngestReport, ingest_files, init_store
from crankcall.jobs.live import (
    GdeltFileReport,
    PagesReport,
    PollReport,
    SourcesReport,
    add_page,
    add_sources,
    extract_file,
    fetch_pages,
    import_gdelt,
    poll_sources,
)
from crankcall.jobs.stories import (
    StoriesEval,
    build_stories,
    candidates,
    draft,
    evaluate_stories,
    merge_stories,
    move_articles,
    ranked_stories,
    story_timeline,
)

__all__ = [
    "FileReport",
    "GdeltFileReport",
    "IngestReport",
    "PagesReport",
    "PollReport",
    "Progress",
    "RunReport",
    "SourcesReport",
    "StoriesEval",
    "add_page",
    "add_sources",
    "build_stories",
    "candidates",
    "code_file",
    "code_items",
    "default_gold_paths",
    "default_story_paths",
    "draft",
    "evaluate",
    "evaluate_stories",
    "evaluate_story_sets",
    "extract_file",
    "fetch_pages",
    "import_gdelt",
    "ingest_files",
    "init_store",
    "load_gold",
    "merge_stories",
    "move_articles",
    "poll_sources",
    "ranked_stories",
    "run",
    "story_gold",
    "story_timeline",
]
