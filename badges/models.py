"""Where each award's status is published: its index in a Bitstring Status List.

Every award gets an index when it is recorded, in the same transaction (`award_recorded`,
`awards_recorded`; awards older than that in migrations 0002 and 0003), at random and for good:
a credential carrying it is a promise that this bit tells its revocation. Reading a credential
therefore never writes. What a list publishes is derived
from these rows: the bits of the entries whose award is revoked (`badges.status_list`).

Also the wallet exchanges (`WalletExchange`, "Add to wallet"; the rules in `badges.exchanges`).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q

from mlmath.invalidation import bump_status_lists

# W3C Bitstring Status List v1.0: at least 131,072 entries (16 KB), for herd privacy.
LIST_LENGTH = 131_072
# A list takes new indexes until half full, then the next list does: drawn at random, an index
# is then free at the first draw at least half the time, and after MAX_DRAWS draws but once in
# 2**MAX_DRAWS (a conflict with a concurrent allocation costs a draw too).
LIST_CAPACITY = LIST_LENGTH // 2
MAX_DRAWS = 30
REVOCATION = "revocation"


class StatusListEntryQuerySet(models.QuerySet):
    def in_list(self, number):
        return self.filter(status_list=number)

    def revoked(self):
        """Entries whose bit is set: their award is revoked."""
        return self.filter(award__revoked_at__isnull=False)


class StatusListEntry(models.Model):
    """An award's place in a revocation status list: list number and bit index, never changed."""

    award = models.OneToOneField(
        "progress.DegreeAward",
        # An index once issued is never freed: a deleted award's bit would go clear (its
        # credential would read valid) and its index could be given to another award.
        on_delete=models.PROTECT,
        related_name="status_list_entry",
        help_text="The award whose credential names this index.",
    )
    status_list = models.PositiveIntegerField(
        default=1, help_text="The number of the list, in its URL (/badges/status/revocation/1)."
    )
    index = models.PositiveIntegerField(
        help_text="The bit of the award in that list (statusListIndex), drawn at random."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the index was drawn.")

    objects = StatusListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "status list entry"
        verbose_name_plural = "status list entries"
        ordering = ["status_list", "index"]
        constraints = [
            models.UniqueConstraint(fields=["status_list", "index"], name="one_award_per_bit"),
            models.CheckConstraint(
                condition=Q(index__lt=LIST_LENGTH) & Q(status_list__gte=1),
                name="status_list_index_in_list",
            ),
        ]

    def __str__(self):
        return f"{REVOCATION} list {self.status_list}, bit {self.index}"

    def get_absolute_url(self):
        from badges.status_views import status_list_path

        return status_list_path(self.status_list)


class StatusListFull(RuntimeError):
    """No free index was drawn in MAX_DRAWS draws (a list more than half full: should not be)."""


def list_taking_new_entries():
    """The list new indexes go to: the newest, or the next one once it holds LIST_CAPACITY;
    and whether it has no entry yet."""
    newest = (
        StatusListEntry.objects.values("status_list")
        .annotate(entries=models.Count("pk"))
        .order_by("-status_list")
        .first()
    )
    if newest is None:
        return 1, True
    if newest["entries"] >= LIST_CAPACITY:
        return newest["status_list"] + 1, True
    return newest["status_list"], False


def draw_status_list_entries(awards):
    """Give each of the new `awards` (saved, without an entry) its index, drawn at random.

    Called in the transaction that records the awards (`award_recorded`, `awards_recorded`),
    so that an award never exists without its index and no read ever has to draw one. Safe
    under concurrency: the database refuses two awards for one index (another learner's award
    drawn at the same moment); then the indexes are drawn again for the awards that have no
    entry yet. Returns the entries made.
    """
    pending = list(awards)
    if not pending:
        return []
    status_list, opens_list = list_taking_new_entries()
    for _ in range(MAX_DRAWS):
        entries = [
            StatusListEntry(award=award, status_list=status_list, index=index)
            for award, index in zip(pending, distinct_indexes(len(pending)), strict=True)
        ]
        try:
            with transaction.atomic():
                StatusListEntry.objects.bulk_create(entries)
        except IntegrityError:
            have = set(
                StatusListEntry.objects.filter(award__in=pending).values_list("award_id", flat=True)
            )
            pending = [award for award in pending if award.pk not in have]
            if not pending:
                return []
            continue
        for award, entry in zip(pending, entries, strict=True):
            award.status_list_entry = entry
        # A bulk insert sends no signals. A list changes with a new entry only when it is the
        # list's first (it answers from then on) or its award is revoked already (its bit).
        if opens_list or any(award.revoked_at is not None for award in pending):
            bump_status_lists()
        return entries
    raise StatusListFull(f"No free index in status list {status_list} after {MAX_DRAWS} draws.")


def distinct_indexes(count):
    """`count` different indexes drawn at random, in the order drawn (a set's order would
    follow the numbers, and so tell the awards' order)."""
    indexes = []
    while len(indexes) < count:
        index = secrets.randbelow(LIST_LENGTH)
        if index not in indexes:
            indexes.append(index)
    return indexes


def award_recorded(sender, instance, created, raw=False, **kwargs):
    """post_save of an award: a new one (the admin, `objects.create`) gets its index at once.

    A fixture's raw save is left alone: its status list entries are in the fixture too."""
    if created and not raw:
        draw_status_list_entries([instance])


def awards_recorded(sender, awards, **kwargs):
    """`progress.signals.awards_recorded`: awards recorded by a bulk insert get their indexes."""
    draw_status_list_entries(awards)


# A wallet has this long to complete an exchange once its learner started it.
EXCHANGE_LIFETIME = timedelta(minutes=15)


def new_exchange_token():
    # 256 random bits: the exchange URL is the only thing that lets a wallet in.
    return secrets.token_urlsafe(32)


def new_challenge():
    return secrets.token_urlsafe(24)


class WalletExchangeQuerySet(models.QuerySet):
    def open_at(self, moment):
        """Exchanges a wallet may still complete at `moment`: not used, not expired."""
        return self.filter(completed_at__isnull=True, expires_at__gt=moment)


class WalletExchange(models.Model):
    """One "Add to wallet" (a VC-API exchange): a learner's request to put one of their
    awards in a wallet, completed at most once, by the wallet that proves it holds a DID."""

    token = models.CharField(
        max_length=64,
        unique=True,
        default=new_exchange_token,
        help_text="The exchange's id in its URL: random, the wallet's only credential.",
    )
    award = models.ForeignKey(
        "progress.DegreeAward",
        on_delete=models.CASCADE,
        related_name="wallet_exchanges",
        help_text="The award whose credential the exchange issues.",
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="wallet_exchanges",
        help_text="Who started the exchange: the award's learner.",
    )
    challenge = models.CharField(
        max_length=64,
        default=new_challenge,
        help_text="The nonce the wallet's presentation must sign (its proof's challenge).",
    )
    created_at = models.DateTimeField(help_text="When the learner started the exchange.")
    expires_at = models.DateTimeField(help_text="After this, the exchange is refused.")
    completed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a wallet completed it; it is then used up."
    )
    holder = models.CharField(
        max_length=200, blank=True, help_text="The DID the credential was issued to (did:key)."
    )

    objects = WalletExchangeQuerySet.as_manager()

    class Meta:
        verbose_name = "wallet exchange"
        verbose_name_plural = "wallet exchanges"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="wallet_exchange_expires_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True, holder="")
                | Q(completed_at__isnull=False) & ~Q(holder=""),
                name="wallet_exchange_completed_with_a_holder",
            ),
        ]

    def __str__(self):
        return f"wallet exchange for {self.award_id} ({self.state_at(self.created_at)})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("badges:wallet_exchange", args=[self.token])

    def state_at(self, moment):
        if self.completed_at is not None:
            return "completed"
        return "expired" if moment >= self.expires_at else "open"
