"""The arithmetic of the inclusiefonds and the units it is allocated to.

* :func:`target_amounts`: a formula's exact target per unit (components, floor and cap);
* :func:`clamp_to_total`: water-filling of floors and caps, solved exactly on sorted
  breakpoints;
* :func:`round_to_total`: the rounding rule (largest remainder, Hamilton): every unit gets its
  exact amount rounded down to whole euros; the euros still missing are handed out one each to
  the units with the largest fractional parts (ties: unit code), so amounts add up to the euro;
* :func:`units_for`: PC4 -> unit of a built-in level (gemeente, SWV PO/VO, jeugdregio) or of
  any Division.

The allocation itself (regional funds, baseline, phasing, tables) is in
:mod:`nabij.fund.regional`.
"""

from __future__ import annotations

import numpy as np

from nabij.divisions.units import LEVELS, Units, units_for  # noqa: F401  (re-exported)

MODELLED = "gemodelleerd"
STATUS_NL = {"observed": "waargenomen", "modelled": "gemodelleerd", "mixed": "deels gemodelleerd"}


# -- pure arithmetic -----------------------------------------------------------------------------

def component_shares(masses: np.ndarray, pupils: np.ndarray) -> np.ndarray:
    """Each unit's share of every component (columns sum to 1; empty columns follow pupils)."""
    masses = np.asarray(masses, float)
    pupils = np.asarray(pupils, float)
    tot = masses.sum(axis=0)
    p_tot = pupils.sum()
    base = pupils / p_tot if p_tot > 0 else np.full(len(pupils), 1.0 / max(1, len(pupils)))
    safe = np.where(tot > 0, tot, 1.0)
    return np.where(tot > 0, masses / safe, base[:, None])


def clamp_to_total(raw: np.ndarray, lo: np.ndarray, hi: np.ndarray, total: float) -> np.ndarray:
    """``clip(t * raw, lo, hi)`` with the scalar t >= 0 that makes the sum equal ``total``.

    The sum is piecewise linear and non-decreasing in t, with breakpoints where a unit leaves
    its floor (lo/raw) or reaches its cap (hi/raw); the breakpoints are sorted and t is solved
    exactly on the segment that reaches the total. Falls back to a bisection on log(t) when
    the breakpoints overflow. Raises ValueError when no t can reach the total (floors too
    high or caps too low).
    """
    raw, lo, hi = (np.asarray(x, float) for x in (raw, lo, hi))
    if np.all(lo <= 0) and np.all(np.isinf(hi)):
        s = raw.sum()
        return raw * (total / s) if s > 0 else raw.copy()
    if lo.sum() > total * (1 + 1e-12) + 1e-6:
        raise ValueError("floor")
    upper = np.where(raw > 0, hi, lo)
    if upper.sum() < total * (1 - 1e-12) - 1e-6:
        raise ValueError("cap")
    t = _breakpoint_scale(raw, lo, hi, total)
    pos = raw > 0
    if t is None:
        return _clamp_bisect(raw, lo, hi, total)
    with np.errstate(over="ignore", invalid="ignore"):
        x = np.where(pos, t * raw, 0.0)
    if not abs(np.clip(x, lo, hi).sum() - total) <= 1e-9 * max(abs(total), 1.0):
        return _clamp_bisect(raw, lo, hi, total)  # cancellation in the breakpoint sums
    return _exact_free(x, raw, lo, hi, total, pos)


def _breakpoint_scale(raw: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                      total: float) -> float | None:
    """The t of :func:`clamp_to_total` from sorted breakpoints (None if they overflow)."""
    pos = raw > 0
    r, lo_p, hi_p = raw[pos], lo[pos], hi[pos]
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        t_in, t_out = lo_p / r, hi_p / r
    times = np.concatenate([t_in, t_out])
    d_slope = np.concatenate([r, -r])
    d_const = np.concatenate([-lo_p, hi_p])
    keep = np.isfinite(times)
    if not np.isfinite(t_in).all():
        return None
    times, d_slope, d_const = times[keep], d_slope[keep], d_const[keep]
    order = np.argsort(times, kind="stable")
    times, d_slope, d_const = times[order], d_slope[order], d_const[order]
    const = lo.sum() + np.cumsum(d_const)
    slope = np.cumsum(d_slope)
    with np.errstate(over="ignore", invalid="ignore"):
        value = const + slope * times
    reached = value >= total
    k = int(np.argmax(reached)) if reached.any() else len(times)
    if k == 0:
        return float(times[0]) if len(times) else 0.0
    c, sl = float(const[k - 1]), float(slope[k - 1])
    if sl <= 0:
        return float(times[k - 1])
    t = (total - c) / sl
    return t if np.isfinite(t) else None


def _exact_free(x: np.ndarray, raw: np.ndarray, lo: np.ndarray, hi: np.ndarray, total: float,
                pos: np.ndarray) -> np.ndarray:
    """Clip ``x`` and rescale the units strictly between floor and cap to hit ``total``."""
    free = (x > lo) & (x < hi) & pos
    fixed = np.clip(x, lo, hi)
    if free.any():
        rest = total - fixed[~free].sum()
        w = raw[free] / raw[free].max()
        fixed[free] = rest * (w / w.sum())
    return fixed


def _clamp_bisect(raw: np.ndarray, lo: np.ndarray, hi: np.ndarray, total: float) -> np.ndarray:
    """Bisection on log(t) for :func:`clamp_to_total` (raw may span the whole float range)."""
    # search log(t): t itself may overflow when raw spans the whole float range
    pos = raw > 0
    log_raw = np.log(np.where(pos, raw, 1.0))

    def x_of(s: float) -> np.ndarray:
        with np.errstate(over="ignore"):
            return np.where(pos, np.exp(s + log_raw), 0.0)

    def f(s: float) -> float:
        return float(np.clip(x_of(s), lo, hi).sum())

    a, b = -2000.0, 2000.0  # exp(a + log_raw) underflows to 0, exp(b + log_raw) overflows
    if not f(b) >= total * (1 - 1e-12):
        raise ValueError("cap")
    for _ in range(200):
        m = 0.5 * (a + b)
        if f(m) < total:
            a = m
        else:
            b = m
        if b - a <= 1e-13:
            break
    return _exact_free(x_of(b), raw, lo, hi, total, pos)




def round_to_total(values: np.ndarray, total: int, keys: list[str] | None = None) -> np.ndarray:
    """Largest-remainder rounding of non-negative ``values`` to integers summing to ``total``.

    Floors every value; the missing units go one each to the largest fractional parts (ties by
    ``keys``, else position). If float noise makes the floors overshoot, units are taken back
    from the smallest fractional parts first.
    """
    v = np.maximum(np.asarray(values, float), 0.0)
    base = np.floor(v).astype(np.int64)
    frac = v - base
    missing = int(total) - int(base.sum())
    n = len(v)
    if n == 0:
        if missing:
            raise ValueError("niets om over te verdelen")
        return base
    tie = np.arange(n) if keys is None else np.argsort(np.argsort(np.asarray(keys, object)))
    if missing > 0:
        order = np.lexsort((tie, -frac))
        q, r = divmod(missing, n)
        base += q
        base[order[:r]] += 1
    elif missing < 0:
        order = np.lexsort((tie, frac))
        k = -missing
        for i in order:
            if k == 0:
                break
            take = min(k, int(base[i]))
            base[i] -= take
            k -= take
    return base


def target_amounts(
    masses: np.ndarray,
    weights: np.ndarray,
    pupils: np.ndarray,
    total: float,
    floor_pp: float = 0.0,
    cap_pp: float = np.inf,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact target per unit and the raw contribution of each component (n x k).

    ``masses`` (n units x k components) with column 0 the basis (pupils); ``weights`` (k);
    ``floor_pp`` / ``cap_pp`` in euros per pupil.
    """
    pupils = np.asarray(pupils, float)
    w = np.asarray(weights, float)
    shares = component_shares(masses, pupils)
    contrib = shares * (total * w / w.sum())[None, :]
    raw = contrib.sum(axis=1)
    lo = pupils * floor_pp
    hi = np.where(pupils > 0, pupils * cap_pp, 0.0) if np.isfinite(cap_pp) else np.where(
        pupils > 0, np.inf, 0.0)
    if np.all(raw >= lo) and np.all(raw <= hi):
        return raw, contrib  # no floor or cap binds: the formula itself (t = 1) is exact
    try:
        amounts = clamp_to_total(raw, lo, hi, total)
    except ValueError as e:
        if str(e) != "cap":
            raise
        # the formula gives nothing to units that still have room under their cap: fill the
        # capped units, spread the rest over the others in proportion to their pupils
        amounts = clamp_to_total(pupils, np.where(raw > 0, hi, lo), hi, total)
    return amounts, contrib


# -- units -----------------------------------------------------------------------------------------

# Units, units_for and LEVELS live in nabij.divisions.units (shared with transport).
