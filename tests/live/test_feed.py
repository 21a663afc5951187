"""app.live.Feed and Broker: what a stream gets from the in-memory feed, and how it waits."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from app.live import Broker, FedEvent, Feed, Handover


def _event(event_id: int, audience: str = "all") -> FedEvent:
    return FedEvent(event_id, audience, f"id: {event_id}\ndata: {{}}\n\n", "tally")


def test_after_gives_only_newer_events_for_the_audience_encoded_once() -> None:
    feed = Feed()
    feed.add([_event(3), _event(4, "members"), _event(6)], 6)
    assert feed.floor == 2 and feed.covers(2) and not feed.covers(1)
    events, position = feed.after(3, frozenset({"all"}))
    assert [e.id for e in events] == [6] and position == 6
    events, _ = feed.after(2, {"all", "members"})
    assert [e.id for e in events] == [3, 4, 6]
    assert events[0].encoded == events[0].message.encode()
    assert feed.after(6, {"all"}) == ([], 6)
    feed.add([], 9)  # a wake-up with nothing new for the log still moves the position
    assert feed.after(6, {"all"}) == ([], 9)


def test_trimming_moves_the_floor_so_far_behind_streams_read_the_database() -> None:
    feed = Feed()
    total = 2 * Feed.KEEP + 1
    feed.add([_event(n) for n in range(1, total + 1)], total)
    assert len(feed.events) == Feed.KEEP
    assert feed.floor == total - Feed.KEEP
    assert not feed.covers(feed.floor - 1) and feed.covers(feed.floor)
    events, _ = feed.after(feed.floor, {"all"})
    assert [e.id for e in events] == list(range(feed.floor + 1, total + 1))


def test_broker_wait_wakes_on_publish_and_times_out_otherwise() -> None:
    async def scenario() -> tuple[bool, bool, bool]:
        broker = Broker()
        broker.bind(asyncio.get_running_loop())
        waiting = asyncio.create_task(broker.wait(7, broker.generation(7), 5.0))
        await asyncio.sleep(0)  # let it start waiting
        broker.publish(7)
        woken = await waiting
        already = await broker.wait(7, 0, 5.0)  # a publish it has not seen yet: no waiting at all
        timed_out = await broker.wait(8, broker.generation(8), 0.01)
        return woken, already, timed_out

    # In a thread of its own: the browser tests' Playwright keeps an event loop running in the main thread.
    with ThreadPoolExecutor(1) as thread:
        assert thread.submit(asyncio.run, scenario()).result() == (True, True, False)


def test_a_feed_takes_a_handover_only_when_it_holds_every_event_before_it() -> None:
    feed = Feed()
    feed.add([_event(3), _event(4)], 4)
    assert not feed.take(Handover(before=5, events=[_event(8)]))  # 5 is not in the feed: the streams must read
    assert not feed.take(Handover(before=3, events=[_event(8)]))  # the feed already holds 4: not the one before 8
    assert [e.id for e in feed.events] == [3, 4] and feed.last_id == 4
    assert feed.take(Handover(before=4, events=[_event(7), _event(9, "members")]))
    assert feed.last_id == 9 and [e.id for e in feed.after(4, {"all", "members"})[0]] == [7, 9]
    assert not Feed().take(Handover(before=0, events=[_event(1)]))  # a feed that never read has no floor yet


def test_a_taken_handover_spares_the_streams_a_read_unless_another_publish_is_pending() -> None:
    async def scenario() -> tuple[int, int, int, int]:
        broker = Broker()
        broker.bind(asyncio.get_running_loop())
        feed = broker.feed(7)
        feed.add([_event(1)], 1)
        feed.fetched_generation = broker.generation(7)
        broker.publish(7, Handover(1, [_event(2)]))  # nothing pending: the feed is current after the publish
        current = (broker.generation(7), feed.fetched_generation)
        broker.publish(7)  # another commit the feed has not read
        broker.publish(7, Handover(2, [_event(5)]))  # taken (it follows on), but the read of the other is due
        return (*current, broker.generation(7), feed.fetched_generation)

    with ThreadPoolExecutor(1) as thread:
        generation, fetched, later_generation, later_fetched = thread.submit(asyncio.run, scenario()).result()
    assert generation == fetched == 1
    assert later_generation == 3 and later_fetched == 1
