"""Personal API tokens: shown once, stored only as a hash, tied to an active user."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from auditapp.accounts.models import ApiToken
from auditapp.accounts.services import AccountError, issue_token, user_for_token
from auditapp.extensions import db


def test_token_finds_its_user(factory):
    user = factory.user("auditor")
    token = issue_token(user.email.upper())
    assert user_for_token(token).id == user.id


def test_only_the_hash_is_stored(factory):
    user = factory.user("auditor")
    token = issue_token(user.email)
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash


def test_every_token_is_new(factory):
    user = factory.user("auditor")
    first, second = issue_token(user.email), issue_token(user.email)
    assert first != second
    assert user_for_token(first).id == user_for_token(second).id == user.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 2


@pytest.mark.parametrize("token", ["", "aud_wrong", "Bearer x"])
def test_unknown_token_finds_nobody(factory, token):
    issue_token(factory.user("auditor").email)
    assert user_for_token(token) is None


def test_token_of_an_inactive_user_finds_nobody(factory):
    user = factory.user("auditor")
    token = issue_token(user.email)
    user.active = False
    db.session.commit()
    assert user_for_token(token) is None


def test_use_is_recorded(factory):
    user = factory.user("auditor")
    token = issue_token(user.email)
    row = db.session.scalar(sa.select(ApiToken))
    assert row.last_used_at is None
    user_for_token(token)
    assert row.last_used_at is not None


def test_token_for_unknown_email(app):
    with pytest.raises(AccountError) as info:
        issue_token("ghost@example.test")
    assert info.value.field == "email"


def test_tokens_go_with_their_user(factory):
    user = factory.user("auditor")
    issue_token(user.email)
    db.session.delete(user)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
