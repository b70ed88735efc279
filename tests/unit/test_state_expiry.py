"""A closed tab's state is forgotten (#14): rxconfig hands Reflex the portal's own expiry
(O2PORTAL_STATE_EXPIRY_SECONDS) with one worker as with Redis, and the one worker keeps
the states in memory, where each is dropped once its tab has been gone that long."""

from __future__ import annotations

import asyncio
import importlib

import pytest
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex.state import State

from o2portal.core.settings import reload_settings


@pytest.fixture
def rxconfig_with(monkeypatch):
    """rxconfig's Config as built under the environment given."""

    def build(**env: str):
        for name in ("O2PORTAL_REDIS_URL", "O2PORTAL_STATE_EXPIRY_SECONDS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        reload_settings()
        import rxconfig

        return importlib.reload(rxconfig).config

    yield build
    monkeypatch.undo()
    reload_settings()
    import rxconfig

    importlib.reload(rxconfig)  # as the rest of the suite expects it


def test_one_worker_keeps_states_in_memory_and_forgets_them(rxconfig_with):
    config = rxconfig_with(O2PORTAL_STATE_EXPIRY_SECONDS="600")
    assert config.state_manager_mode == "memory"
    assert config.redis_token_expiration == 600


def test_workers_with_redis_forget_them_after_the_same_time(rxconfig_with):
    config = rxconfig_with(
        O2PORTAL_REDIS_URL="redis://127.0.0.1:6379/9", O2PORTAL_STATE_EXPIRY_SECONDS="900"
    )
    assert config.state_manager_mode == "redis"
    assert config.redis_token_expiration == 900


def test_the_default_is_half_an_hour(rxconfig_with):
    assert rxconfig_with().redis_token_expiration == 30 * 60


def test_a_state_left_alone_past_its_time_is_dropped():
    async def scenario():
        manager = StateManagerMemory(token_expiration=1)
        gone = BaseStateToken(ident="closed-tab", cls=State)
        kept = BaseStateToken(ident="open-tab", cls=State)
        await manager.get_state(gone)
        await manager.get_state(kept)
        for _ in range(8):  # the open tab keeps sending events; the closed one does not
            await asyncio.sleep(0.25)
            await manager.get_state(kept)
        await asyncio.sleep(0.25)
        held = set(manager.states)
        await manager.close()
        return held

    held = asyncio.run(scenario())
    assert "closed-tab" not in held
    assert "open-tab" in held
