"""The what-if page (docs/simulation.md, "The what-if page"); templates in
../templates/pages, named "simulation/<file>" (flyt.web.render's loader).

    whatif.py  /hva-om: the form, the runs and their JSON twins
    form.py    the form's fields read and turned into a scenario
    jobs.py    the runs on their threads, kept in memory
    view.py    a run's result as tables and charts
"""

from flyt.simulation.pages.whatif import router

__all__ = ["router"]
