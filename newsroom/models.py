# The newsroom keeps no tables of its own. This module makes Django send it
# ``post_migrate`` (only apps with a models module get it), after which the
# staff roles are rebuilt (newsroom/apps.py).
