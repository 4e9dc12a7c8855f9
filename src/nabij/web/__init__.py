"""The regional workspace: a Django web application on top of nabij (rank 9, beside ``cli``).

Nothing in the analytic packages imports from here. See ``src/nabij/web/README.md`` for how an
app plugs in (roles, ``visible()``, access-matrix entries, audit history).
"""
