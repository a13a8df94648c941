"""Tokens end with their owner's access: deactivating a user or making their password unusable
revokes every token they hold, for good (reactivating the user does not bring them back)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save

from tracker.models import ApiToken


def revoke_tokens_of_locked_out_users(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not instance.is_active or not instance.has_usable_password():
        ApiToken.revoke_all_of(instance)


def connect() -> None:
    post_save.connect(
        revoke_tokens_of_locked_out_users,
        sender=get_user_model(),
        dispatch_uid="tracker.revoke_tokens_of_locked_out_users",
    )
