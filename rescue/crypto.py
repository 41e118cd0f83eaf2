"""Encryption at rest for identifying fields, with keys of their own (not SECRET_KEY).

`FIELD_ENCRYPTION_KEYS` is a list of Fernet keys: the first encrypts, all decrypt.
To rotate, put a new key first, deploy, run `manage.py reencrypt_fields`, then
drop the old key. `FIELD_HASH_KEY` keys the HMAC stored beside a field that must
be matched for duplicates (a contact handle) without decrypting every row.
"""

import hashlib
import hmac
import unicodedata
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty: identifying data cannot be stored."
        )
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        # Never include the token or any part of it: the message may reach a log.
        raise ImproperlyConfigured(
            "An encrypted field could not be decrypted with any key in FIELD_ENCRYPTION_KEYS."
        ) from exc


def rotate(token: str) -> str:
    """The same plaintext under the newest key."""
    return fernet().rotate(token.encode()).decode()


def normalise_handle(value: str) -> str:
    """Canonical form of a contact handle, so '+86 138-0000' and '+861380000' match."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    return "".join(ch for ch in folded if ch.isalnum() or ch in "@.")


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of a normalised value; empty for an empty value."""
    if not value:
        return ""
    key = settings.FIELD_HASH_KEY
    if not key:
        raise ImproperlyConfigured("FIELD_HASH_KEY is empty.")
    return hmac.new(key.encode(), normalise_handle(value).encode(), hashlib.sha256).hexdigest()


def username_hash(value: str) -> str:
    """The keyed hash the access log keeps of a username typed at a failed sign-in.

    What is typed into the username box may be a password or a real name; the log
    keeps only this, which still groups repeated tries of one name and lets an
    administrator search for a name they type themselves.
    """
    value = unicodedata.normalize("NFKC", value.strip()).casefold()
    if not value:
        return ""
    key = settings.FIELD_HASH_KEY
    if not key:
        raise ImproperlyConfigured("FIELD_HASH_KEY is empty.")
    digest = hmac.new(key.encode(), b"username-tried\0" + value.encode(), hashlib.sha256)
    return "hmac:" + digest.hexdigest()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token. It cannot be filtered or ordered on in the database."""

    description = "Text encrypted at rest"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def value_to_string(self, obj):
        # What a serializer (dumpdata) writes: the ciphertext, never the plaintext. A fresh
        # token for the same text; loading it back needs the same keys (rescue.serializers).
        value = self.value_from_object(obj)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def get_lookup(self, lookup_name):
        # An equality or substring test against ciphertext is always wrong; say so at once.
        # `isblank` compares with the empty string, which is stored as such (not encrypted).
        if lookup_name not in {"isnull", "isblank"}:
            return None
        return super().get_lookup(lookup_name)


@EncryptedTextField.register_lookup
class IsBlank(models.Lookup):
    """`field__isblank=True`: the field holds nothing (never written, or erased)."""

    lookup_name = "isblank"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if not isinstance(self.rhs, bool):
            raise ValueError("The isblank lookup takes True or False.")
        lhs, params = compiler.compile(self.lhs)
        operator = "=" if self.rhs else "<>"
        return f"{lhs} {operator} ''", params


ENCRYPTED_FIELD_TYPES = (EncryptedTextField,)


def encrypted_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
