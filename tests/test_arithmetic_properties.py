"""Property tests: sums and rounding agree for any indicator tree and any ratio."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.facts.derive import item_score, resolve_ratios, round_half_up
from drafter.facts.models import Item, Metric, Score
from drafter.wording import score

halves = st.integers(min_value=0, max_value=40).map(lambda n: Decimal(n) / 2)  # 0, 0.5 … 20
tenths = st.integers(min_value=0, max_value=200).map(lambda n: Decimal(n) / 10)


@st.composite
def leaves(draw):
    full = draw(tenths)
    got = draw(st.integers(min_value=0, max_value=int(full * 10)).map(lambda n: Decimal(n) / 10))
    return Item(title="叶", score=Score(max=full, self=got))


trees = st.recursive(
    leaves(), lambda children: st.lists(children, min_size=1, max_size=4).map(
        lambda kids: Item(title="组", children=kids)
    ), max_leaves=25,
)


def leaf_scores(item: Item) -> list[Score]:
    if not item.children:
        return [item.score]
    return [s for child in item.children for s in leaf_scores(child)]


@given(trees)
@settings(max_examples=200, deadline=None)
def test_group_scores_equal_the_sum_of_their_leaves_exactly(tree):
    line = item_score(tree)
    leaves_ = leaf_scores(tree)
    assert line.max == sum((s.max for s in leaves_), Decimal(0))
    assert line.self_score == sum((s.self_score for s in leaves_), Decimal(0))
    assert line.self_score <= line.max


@given(trees)
@settings(max_examples=100, deadline=None)
def test_a_typed_group_score_that_agrees_is_accepted(tree):
    line = item_score(tree)
    typed = tree.model_copy(update={"score": Score(max=line.max, self=line.self_score)})
    assert item_score(typed) == line


@given(tenths)
def test_scores_print_without_noise_and_read_back(value):
    text = score(value)
    assert Decimal(text) == value
    assert "E" not in text and not (text.endswith("0") and "." in text)


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=1, max_value=10**6),
    st.sampled_from(["%", "元/生"]),
)
@settings(max_examples=200, deadline=None)
def test_ratios_round_half_up_to_two_places(top, bottom, unit):
    metrics = {
        "a": Metric(value=Decimal(top)),
        "b": Metric(value=Decimal(bottom)),
        "r": Metric(ratio=("a", "b"), unit=unit),
    }
    value = resolve_ratios(metrics)["r"].value
    exact = Decimal(top) / Decimal(bottom) * (100 if unit == "%" else 1)
    assert value == round_half_up(exact, 2)
    assert abs(value - exact) <= Decimal("0.005")
    # the computed figure, typed back in, is accepted as agreeing
    metrics["r"] = Metric(value=round_half_up(exact, 2), ratio=("a", "b"), unit=unit)
    assert resolve_ratios(metrics)["r"].value == round_half_up(exact, 2)
