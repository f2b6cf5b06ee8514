"""Signals this app sends for writes that send no model signals of their own.

`awards_recorded`: new degree awards were recorded by a bulk insert (`record_new_awards`), in
the transaction that recorded them; `awards` is the list of saved awards (with their pks). Apps
that keep rows for every award (`badges`: each award's status list index) add them here, so that
they are written with the award or not at all, without `progress` importing them.
"""

from django.dispatch import Signal

awards_recorded = Signal()
