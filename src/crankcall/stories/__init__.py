"""Stories: group coverage into developments, rank them as an editor would, assign sections.

Pure stage: article facts in (`features`), clusters (`cluster`), described and ranked stories
(`rank`) out. The pipeline loads the facts from the store and saves what comes back.
"""
