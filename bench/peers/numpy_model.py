"""A vectorised numpy peer of the model (docs/MODEL.md, model 2.0.1), written from the document and
checked against the engine: every path at once (arrays of shape [paths], float64 state), a Python
loop over the months, the output written into a preallocated float32 block [metrics, months,
paths] (the engine's month-major layout per metric).

It reads what `bench/peers/export-draws.ts` exports: the resolved timeline, each path's drawn
parameters, plant uniforms and regime pins, and the monthly draws (or draws its own with numpy's
Generator, `draw_monthly`). Float64 operations follow the order of src/lib/model/path.ts where
rounding depends on it (a + b + c is (a + b) + c; Math.round is floor(x + 0.5); the backlog's pools
are summed held, approved, then the review cohorts), so the block matches the engine's bit for bit.

Parameter sampling (inverse CDFs, truncation, joint rows) and regime pins are not redone here:
they come from the export.

Also: `summarise`, the engine's summary (type-7 percentiles, the median's standard error, mean,
share above zero) by sorting every column; `--serve DIR`, a process for bench/engine.bench.ts that
loads an export once and runs one timed round per line read on stdin.
Usage: python3 bench/peers/numpy_model.py [DIR=/tmp/numpy-peer] [--runs 5]
       python3 bench/peers/numpy_model.py --serve DIR
"""
import json
import math
import os
import sys
import time

import numpy as np

OPEN, LICENSING, RESTRICTED = 0, 1, 2
DRAWS_PER_MONTH = 5
APPROVAL_PERSISTENCE = 0.8
PREMIUM_SMOOTHING = 0.25
HELD_RATE_DOUBLING_MONTHS = 6
LOG_NDPR_FLOOR = -math.log(5.0)
LOG_NDPR_CEILING = math.log(30.0)
MIN_TIGHTNESS = 1 / 20
ALLIED_PRICE_PREMIUM_2024 = 1.3
OXIDE_PER_METAL = 336.48 / 288.48
TRANSITION_HAZARDS = ('pOpenToLicensing', 'pOpenToRestricted', 'pLicensingToOpen', 'pLicensingToRestricted',
                      'pRestrictedToLicensing', 'pRestrictedToOpen')
# The Markov step as a table: next regime = NEXT[3 · regime + bucket], bucket 0 when u is below the
# first hazard out of the regime, 1 below the sum of both, 2 otherwise (stay).
NEXT = np.array([LICENSING, RESTRICTED, OPEN,      # from open
                 OPEN, RESTRICTED, LICENSING,      # from licensing
                 LICENSING, OPEN, RESTRICTED],     # from restricted
                dtype=np.intp)
SUMMARY_PERCENTILES = {'p5': 0.05, 'p25': 0.25, 'p50': 0.5, 'p75': 0.75, 'p95': 0.95}
SUMMARY_STATISTICS = ('p5', 'p25', 'p50', 'p75', 'p95', 'mean', 'se50', 'shareAboveZero')


def load(directory):
    """The export, turned once into the layout a vectorised model reads: one row of paths per
    parameter (`parameters` [parameters, paths], `plantUniforms` [plants, paths]) and per month
    (`pinned` [months, paths], `uniforms` [months, paths] for the policy, `normals` [months, 4,
    paths] for demand, export, NdPr and licence)."""
    with open(os.path.join(directory, 'header.json')) as f:
        header = json.load(f)
    n, t_count = header['paths'], len(header['months'])
    p_count = len(header['parameterIds'])
    plant_count = len(header['plants'])

    def read(name, dtype, shape):
        return np.fromfile(os.path.join(directory, name), dtype=dtype).reshape(shape)

    monthly = read('monthly.f64', np.float64, (n, t_count, DRAWS_PER_MONTH))
    data = {
        'parameters': np.ascontiguousarray(read('parameters.f64', np.float64, (n, p_count)).T),
        'plantUniforms': np.ascontiguousarray(read('plantUniforms.f64', np.float64, (n, plant_count)).T),
        'pinned': np.ascontiguousarray(read('pinned.i8', np.int8, (n, t_count)).T),
        'uniforms': np.ascontiguousarray(monthly[:, :, 0].T),
        'normals': np.ascontiguousarray(monthly[:, :, 1:].transpose(1, 2, 0)),
    }
    del monthly
    if os.path.exists(os.path.join(directory, 'block.f32')):
        data['block'] = read('block.f32', np.float32, (len(header['metrics']), t_count, n))
    if os.path.exists(os.path.join(directory, 'summary.f64')):
        data['summary'] = read('summary.f64', np.float64, (len(header['metrics']), len(SUMMARY_STATISTICS), t_count))
    return header, data


def draw_monthly(rng, n, t_count, uniforms=None, normals=None):
    """A new seed's monthly draws from numpy's Generator, in the peer's layout (into the given
    arrays when there are some)."""
    if uniforms is None:
        uniforms = np.empty((t_count, n))
        normals = np.empty((t_count, 4, n))
    rng.random(out=uniforms)
    rng.standard_normal(out=normals)
    return uniforms, normals


def series(values):
    """A per-month array from the JSON header (null is NaN)."""
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def js_round(x):
    return np.floor(x + 0.5)


def derived_constants(c):
    """The calibration constants the model derives from raw figures (calibration.ts)."""
    imports_china = c['usImportsFromChina2024']
    value_share = c['chinaShareOfUsImportsValueQ1_2024']
    volume_share = value_share / (value_share + (1 - value_share) / ALLIED_PRICE_PREMIUM_2024)
    allied_imports = (imports_china * (1 - volume_share)) / volume_share
    return {
        'OXIDE_PER_METAL': OXIDE_PER_METAL,
        'chinaShareOfSupply2024': imports_china / (imports_china + allied_imports + c['domesticOutput2024']),
        'chinaReferenceSupplyTonnesPerMonth': imports_china / 12,
    }


def check_constants(header):
    """Warns when a constant derived here differs from the engine's."""
    derived = derived_constants(header['constants'])
    for k, v in header['constants'].get('check', {}).items():
        if derived[k] != v:
            print(f'warning: derived constant {k} = {derived[k]!r}, engine {v!r}', file=sys.stderr)


def simulate(header, parameters, plant_uniforms, pinned, uniforms, normals, out=None):
    """All paths, month by month. `parameters` [parameters, paths], `plant_uniforms` [plants,
    paths], `pinned` [months, paths] (−1 free), `uniforms` [months, paths], `normals` [months, 4,
    paths]. Returns the float32 block [metrics, months, paths] (`out` when given)."""
    n = parameters.shape[1]
    column = {name: k for k, name in enumerate(header['parameterIds'])}

    def P(name):
        return parameters[column[name]]

    tl = header['timeline']
    c = header['constants']
    metrics = header['metrics']
    t_count = len(header['months'])
    if out is None:
        out = np.empty((len(metrics), t_count, n), dtype=np.float32)
    rows = [out[m] for m in range(len(metrics))]
    (demand_out, china_out, domestic_out, allied_out, inventory_out, cover_out, shortfall_out, ndpr_out,
     china_price_out, premium_out, landed_out, paid_out, share_out, reliance_out, domestic_share_out,
     replacement_out, import_bill_out, backlog_out, regime_out) = (rows[metrics.index(name)] for name in (
        'demand', 'chinaExports', 'domesticSupply', 'alliedSupply', 'inventory', 'coverMonths', 'shortfall',
        'ndprPrice', 'chinaMagnetPrice', 'exChinaPremium', 'usMagnetPrice', 'averagePaidPrice', 'chinaShare',
        'relianceCut', 'domesticShare', 'replacement', 'importBill', 'backlog', 'regime'))

    derived = derived_constants(c)
    china_share_2024 = derived['chinaShareOfSupply2024']
    china_reference = derived['chinaReferenceSupplyTonnesPerMonth']
    landed_2024 = c['chinaExportUnitValue2024'] * 1.021
    existing_output = c['domesticOutput2024'] / 12
    max_review = c['maxReviewMonths']
    ndpr_reference = c['ndprMarketAverageQ4_2024']
    ndpr_floor = c['ndprFloorDoD']

    def by_regime(if_open, if_licensing, if_restricted):
        """A per-path value for each regime, flattened: entry 3 · path + regime (see `pick`)."""
        stack = np.empty((n, 3))
        stack[:, OPEN], stack[:, LICENSING], stack[:, RESTRICTED] = if_open, if_licensing, if_restricted
        return stack.reshape(-1)

    # Per-path constants.
    demand_base = P('demandBase')
    log_growth = np.log1p(P('demandGrowth'))
    persistence = P('demandShockPersistence')
    demand_innovation = P('demandShockVolatility') * np.sqrt(1 - persistence * persistence)
    price_response = P('priceElasticity') + P('importLeakElasticity')
    response_weight = 1 / P('priceResponseMonths')
    target_cover = P('targetCoverMonths')
    desired_cover_by_regime = by_regime(target_cover, target_cover * P('precautionaryCoverLicensing'),
                                        target_cover * P('precautionaryCoverRestricted'))
    adjustment = P('coverAdjustmentMonths')
    max_restock = P('maxRestockShare')
    pipeline_weight = P('pipelineWeight')
    # Open: every order ships at once (1 · orders is orders exactly); the rest waits in review.
    share_licensing, share_restricted = P('licensingImmediateShare'), P('restrictedImmediateShare')
    immediate_share_by_regime = by_regime(1.0, share_licensing, share_restricted)
    waiting_share_by_regime = by_regime(0.0, 1 - share_licensing, 1 - share_restricted)
    review_months = np.minimum(max_review, np.maximum(1, js_round(P('licenceReviewMonths')))).astype(np.intp)
    release_rate = P('backlogReleaseRate')
    keep = 1 - P('backlogCancellationRate')
    held_cancellation = P('heldCancellationRate')
    cap_months = P('backlogCapMonths')
    max_release_months = P('maxReleaseMonths')
    export_lag = P('exportShippingLag')
    export_now = 1 - export_lag
    push_share = P('licencePushShare')
    export_noise = P('exportNoise')
    noise_correction = (export_noise * export_noise) / 2
    one_plus_tariff_later = 1 + P('tariffLater')
    ndpr_start = P('ndprPriceStart')
    log_long_run = np.log(P('ndprLongRun') / ndpr_start)
    ndpr_reversion = P('ndprReversion')
    ndpr_drift_controls = P('ndprDriftControls')
    ndpr_volatility = P('ndprVolatility')
    ndpr_jump = P('ndprJumpRestricted')
    ndpr_oxide_per_kg = P('magnetNdprContent') * OXIDE_PER_METAL
    dy_cost = P('magnetDyContent') * P('dyPriceChina')
    # magnetCost(0, …) at the Q4 2024 NdPr price is (0 + a) + b, and 0 + a is a.
    conversion = np.maximum(0, c['chinaExportUnitValue2024'] - (ndpr_oxide_per_kg * ndpr_reference + dy_cost))
    markup = P('exportMarkupSensitivity')
    allied_premium = P('alliedPricePremium')
    widening = P('premiumWideningControls')
    premium_target_by_regime = by_regime(0.0, widening, 2 * widening)
    us_made_base = P('usMadeMagnetPrice')
    start_absolute_year = tl['startAbsolute'] / 12
    extra_slip = P('capacitySlipExtra')
    # Plants: a plant not built on a path starts at +inf there (its output is then 0, and adding 0
    # to the capacity changes nothing, as skipping it does in the engine).
    plant_ramps = []
    for j, plant in enumerate(header['plants']):
        built = plant_uniforms[j] < P(plant['id'] + 'Completion')
        start = np.where(built, (tl['plantStarts'][j] + P(plant['id'] + 'Slip')) + extra_slip, np.inf)
        first, last = (start[built].min(), start[built].max()) if built.any() else (np.inf, np.inf)
        plant_ramps.append((start, plant['rampMonths'], plant['tonnesPerYear'] / 12,
                            np.where(built, plant['tonnesPerYear'] / 12, 0.0), first, last))
    market_share = P('domesticMarketShare')
    feedstock_dependence = P('feedstockChinaDependence')
    feedstock_years = np.maximum(1e-9, P('feedstockIndependenceYear') - 2025)
    allied_base = P('alliedSupplyBase')
    allied_log_growth = np.log1p(P('alliedGrowth'))
    allied_response = P('alliedPriceResponse')
    allied_heavy_re = P('alliedHeavyReDependence')
    heavy_re_cover = P('lynasHeavyReCover')
    japan_release = P('japanReserveReleaseRate')
    japan_to_us = P('japanReleaseShareToUs')
    base_approval = P('licenceApprovalRate')
    approval_innovation = P('approvalVolatility') * np.sqrt(1 - APPROVAL_PERSISTENCE * APPROVAL_PERSISTENCE)
    base_odds = (1 - base_approval) / base_approval
    base_fixed = (base_approval <= 0) | (base_approval >= 1)
    resubmitted = P('refusedResubmittedShare')

    # The timeline: per-month scalars (NaN where the path's own parameter applies).
    hazard = {k: series(v) for k, v in tl['hazardOverrides'].items()}
    no_hazard = np.full(t_count, np.nan)
    hazard_keys = [tuple(None if math.isnan(hazard.get(h, no_hazard)[t]) else float(hazard[h][t])
                         for h in TRANSITION_HAZARDS) for t in range(t_count)]
    approval_override = hazard.get('licenceApprovalRate', no_hazard)
    capacity_factor = series(tl['capacityFactor'])
    stockpile_release = series(tl['stockpileRelease'])
    allied_kept = series(tl['alliedKept'])
    scheduled_tariff = series(tl['tariff'])
    floor_active = series(tl['ndprFloorActive'])
    cover_ramp = series(tl['heavyReCoverRamp'])
    licence_push = series(tl['licencePush'])
    years = series(tl['yearsFromReference'])
    pinned_any = pinned.max(axis=1) >= 0

    # Path state (float64) and the backlog's pools as rows of one array: held, approved, then the
    # review cohorts (a ring: month t's cohort is row 2 + t mod reviewMonths). Rows at or beyond a
    # path's review months stay 0, so sums and scalings may run over all of them.
    regime = np.full(n, tl['initialRegime'], dtype=np.intp)
    shock = np.zeros(n)
    log_ndpr = np.zeros(n)
    log_premium = np.zeros(n)
    log_landed_response = np.zeros(n)
    japan_reserve = np.zeros(n)
    in_transit = np.zeros(n)
    approval_shock = np.zeros(n)
    restricted_months = np.zeros(n)
    inventory = target_cover * demand_base * np.exp(log_growth * years[0])
    pools = np.zeros((2 + max_review, n))
    held, approved, in_review = pools[0], pools[1], pools[2:]
    pools_flat = pools.reshape(-1)
    backlog = np.zeros(n)
    columns = np.arange(n)
    # Where month t's cohort sits in `pools_flat`: row 2 + t mod reviewMonths, by review months.
    cohort_row = [np.array([(2 + t % months) * n for months in range(1, max_review + 1)]) for t in range(t_count)]
    review_index = review_months - 1
    path_at = 3 * columns
    zeros, ones = np.zeros(n), np.ones(n)

    # Scratch, reused every month.
    def buffer():
        return np.empty(n)

    (at, cell, slot) = (np.empty(n, dtype=np.intp) for _ in range(3))
    first_hazard = np.empty(3 * n)
    both_hazards = np.empty(3 * n)
    hazard_key = None
    (a, b, approval, withheld, demand, capacity, domestic, required, domestic_sold, allied, orders, noise,
     reviewed, decided, immediate, released, china, china_price, landed, premium, allied_price, us_price,
     supply, kept, cap, ndpr_price, selected) = (buffer() for _ in range(27))
    # The regime as booleans and as 0/1 floats (to multiply by: adding x · 0 = 0 changes nothing).
    (is_open, is_licensing, is_restricted, over) = (np.empty(n, dtype=bool) for _ in range(4))
    (open_f, controlled_f, licensing_f, restricted_f, escalated_f) = (buffer() for _ in range(5))
    restricted_f.fill(tl['initialRegime'] == RESTRICTED)

    def pick(by_regime_values, into):
        """Each path's value for its regime this month (`at` = 3 · path + regime)."""
        return by_regime_values.take(at, out=into, mode='clip')

    with np.errstate(divide='ignore', invalid='ignore'):
        for t in range(t_count):
            z_demand, z_export, z_ndpr, z_licence = normals[t]

            # 1. Policy regime: the Markov step (hazards are the path's own unless the timeline
            # overrides them this month), then pins.
            if hazard_keys[t] != hazard_key:
                hazard_key = hazard_keys[t]
                p = [P(h) if v is None else np.full(n, v) for h, v in zip(TRANSITION_HAZARDS, hazard_key)]
                first_hazard[:] = by_regime(p[0], p[2], p[4])
                both_hazards[:] = by_regime(p[0] + p[1], p[2] + p[3], p[4] + p[5])
            np.add(path_at, regime, out=at)
            np.multiply(regime, 3, out=cell)
            cell += np.greater_equal(uniforms[t], pick(first_hazard, a), out=over)
            cell += np.greater_equal(uniforms[t], pick(both_hazards, a), out=over)
            NEXT.take(cell, out=regime, mode='clip')
            if pinned_any[t]:
                np.copyto(regime, pinned[t], where=pinned[t] >= 0)
            np.add(path_at, regime, out=at)
            np.equal(regime, OPEN, out=is_open)
            np.equal(regime, LICENSING, out=is_licensing)
            np.equal(regime, RESTRICTED, out=is_restricted)
            np.subtract(is_restricted, restricted_f, out=escalated_f)
            np.maximum(escalated_f, zeros, out=escalated_f)     # 1 where restrictions start
            np.copyto(open_f, is_open)
            np.subtract(1, open_f, out=controlled_f)
            np.copyto(licensing_f, is_licensing)
            np.copyto(restricted_f, is_restricted)
            # The approval rate in force, moved by a persistent shock on the logit scale.
            approval_shock *= APPROVAL_PERSISTENCE
            approval_shock += np.multiply(approval_innovation, z_licence, out=a)
            override = approval_override[t]
            if math.isnan(override):
                p, odds, fixed = base_approval, base_odds, base_fixed
            else:
                p, odds, fixed = override, (1 - override) / override, override <= 0 or override >= 1
            np.negative(approval_shock, out=approval)
            np.exp(approval, out=approval)
            approval *= odds
            approval += 1
            np.divide(1, approval, out=approval)
            # 0 and 1 stay where they are, and so does p when the shock is exactly 0.
            unmoved = np.logical_or(approval_shock == 0, fixed, out=over)
            if unmoved.any():
                np.copyto(approval, p, where=unmoved)
            # Share of Chinese inputs withheld: 0 open, 1 − approval licensing, 1 restricted.
            np.subtract(1, approval, out=withheld)
            withheld *= licensing_f
            withheld += restricted_f

            # 2. NdPr oxide in China
            np.subtract(log_long_run, log_ndpr, out=a)
            a *= ndpr_reversion
            log_ndpr += a
            log_ndpr += np.multiply(ndpr_drift_controls, controlled_f, out=a)
            log_ndpr += np.multiply(ndpr_volatility, z_ndpr, out=a)
            log_ndpr += np.multiply(ndpr_jump, escalated_f, out=a)
            np.clip(log_ndpr, LOG_NDPR_FLOOR, LOG_NDPR_CEILING, out=log_ndpr)
            np.exp(log_ndpr, out=ndpr_price)
            ndpr_price *= ndpr_start

            # 3. Demand
            shock *= persistence
            shock += np.multiply(demand_innovation, z_demand, out=a)
            year = years[t]
            np.multiply(log_growth, year, out=demand)
            demand += shock
            demand -= np.multiply(price_response, log_landed_response, out=a)
            np.exp(demand, out=demand)
            demand *= demand_base

            # 4. U.S. plants, limited by Chinese feedstock when inputs are withheld
            years_since_2025 = (start_absolute_year + t / 12) - 2025
            capacity.fill(existing_output)
            for start, ramp, full, full_if_built, first, last in plant_ramps:
                if ((t - first) + 1) / ramp <= 0:     # not started on any path
                    continue
                if (t - last + 1) / ramp >= 1:   # ramped up on every path that built it
                    capacity += full_if_built
                    continue
                np.subtract(t, start, out=a)
                a += 1
                a /= ramp
                np.clip(a, 0, 1, out=a)
                a *= full
                capacity += a
            np.divide(max(0.0, years_since_2025), feedstock_years, out=a)
            np.subtract(1, a, out=a)
            np.maximum(a, zeros, out=a)
            a *= feedstock_dependence
            a *= withheld
            np.subtract(1, a, out=a)
            np.multiply(capacity, capacity_factor[t], out=domestic)
            domestic *= a

            # 5. Orders wanted: demand plus a bounded move toward the desired cover
            np.multiply(pipeline_weight, backlog, out=a)
            a += inventory
            np.multiply(pick(desired_cover_by_regime, b), demand, out=b)
            b -= a
            b /= adjustment
            np.minimum(np.multiply(max_restock, demand, out=a), b, out=b)
            np.add(demand, b, out=required)
            np.maximum(required, zeros, out=required)
            np.subtract(domestic, existing_output, out=a)
            np.maximum(a, zeros, out=a)
            a *= market_share
            a += existing_output
            np.minimum(a, required, out=domestic_sold)

            # 6. Allied supply and Japan's reserve
            diverted = 1 - allied_kept[t]
            np.multiply(allied_log_growth, year, out=a)
            a += np.multiply(allied_response, log_landed_response, out=b)
            np.exp(a, out=allied)
            allied *= allied_base
            np.multiply(heavy_re_cover, cover_ramp[t], out=a)
            np.subtract(1, a, out=a)
            a *= allied_heavy_re
            a *= withheld
            np.subtract(1, a, out=a)
            allied *= a                     # made by allies this month
            japan_reserve += np.multiply(allied, diverted, out=a)
            np.multiply(japan_release, japan_reserve, out=b)
            b *= restricted_f               # released from the reserve (restricted only)
            japan_reserve -= b
            allied *= 1 - diverted
            allied += np.multiply(japan_to_us, b, out=b)    # offered to the U.S.
            stockpile = stockpile_release[t]
            np.subtract(required, domestic_sold, out=a)
            a -= stockpile
            np.maximum(a, zeros, out=a)
            np.minimum(allied, a, out=allied)
            np.subtract(required, domestic_sold, out=orders)
            orders -= allied
            orders -= stockpile
            np.maximum(orders, zeros, out=orders)

            # 7. China's exports and the backlog (exports.ts; written out in simulatePath)
            np.multiply(export_noise, z_export, out=noise)
            noise -= noise_correction
            np.exp(noise, out=noise)
            np.multiply(pick(immediate_share_by_regime, a), orders, out=immediate)
            immediate *= noise
            restricted_months += 1
            restricted_months *= restricted_f
            np.divide(restricted_months, HELD_RATE_DOUBLING_MONTHS, out=a)
            a += 1
            np.minimum(a, 2, out=a)
            a *= held_cancellation
            np.minimum(a, 1, out=a)
            np.subtract(1, a, out=a)
            held *= np.where(is_restricted, a, keep)
            approved *= keep
            in_review *= keep
            # Open: every cohort and the held orders are approved (approved + cohorts + held).
            np.add.reduce(pools[1:], axis=0, out=a)
            a += held
            # Licensing or restricted: this month's cohort is reviewed (and, in a push month, a
            # share of the others), new orders take its place.
            cohort_row[t].take(review_index, out=slot, mode='clip')
            slot += columns
            pools_flat.take(slot, out=reviewed, mode='clip')
            push = licence_push[t] == 1
            if push:
                for i in range(max_review):
                    np.multiply(push_share, controlled_f * (slot != (2 + i) * n + columns), out=b)
                    reviewed += np.multiply(b, in_review[i], out=selected)
                    np.subtract(1, b, out=b)
                    in_review[i] *= b
            np.multiply(orders, pick(waiting_share_by_regime, b), out=b)
            np.add(reviewed, held, out=decided)
            np.multiply(resubmitted, np.subtract(1, approval, out=selected), out=selected)
            selected *= decided
            selected *= licensing_f
            b += selected                   # licensing: refused orders filed again
            pools_flat.put(slot, b, mode='clip')
            decided *= approval
            decided *= licensing_f
            approved += decided             # licensing: reviewed and held orders approved
            held += np.multiply(reviewed, restricted_f, out=b)
            held *= restricted_f            # held only under restrictions
            pools *= controlled_f           # open: nothing waits …
            a *= open_f
            approved += a                   # … everything that waited is approved
            # The cap: whatever waits beyond capMonths of demand is diverted from every pool.
            np.multiply(cap_months, demand, out=cap)
            np.add.reduce(pools, axis=0, out=b)
            # kept = cap / total where the total is over the cap, else 1 (cap / total ≥ 1 then, or
            # NaN for 0 / 0, which fmin drops).
            np.divide(cap, b, out=kept)
            np.fmin(kept, ones, out=kept)
            pools *= kept
            np.multiply(release_rate, approved, out=released)
            np.minimum(np.multiply(max_release_months, demand, out=a), released, out=released)
            approved -= released
            released += immediate
            np.multiply(export_now, released, out=china)
            china += np.multiply(export_lag, in_transit, out=a)
            in_transit, released = released, in_transit
            np.add.reduce(pools, axis=0, out=backlog)

            # 8. Prices in layers (orders ≤ 0 and shipments ≤ 0 give the ratio 1e-9 / 1e-9 = 1, log 0)
            np.maximum(orders, 1e-9, out=a)
            a /= np.maximum(china, 1e-9, out=b)
            np.clip(a, MIN_TIGHTNESS, 1 / MIN_TIGHTNESS, out=a)
            np.log(a, out=a)
            a *= markup
            np.exp(a, out=a)
            np.multiply(ndpr_oxide_per_kg, ndpr_price, out=china_price)
            china_price += conversion
            china_price += dy_cost
            china_price *= a
            tariff = scheduled_tariff[t]
            np.multiply(china_price, one_plus_tariff_later if math.isnan(tariff) else 1 + tariff, out=landed)
            np.divide(landed, landed_2024, out=a)
            np.log(a, out=a)
            a -= log_landed_response
            a *= response_weight
            log_landed_response += a
            np.subtract(pick(premium_target_by_regime, a), log_premium, out=a)
            a *= PREMIUM_SMOOTHING
            log_premium += a
            np.exp(log_premium, out=premium)
            premium *= allied_premium
            np.multiply(china_price, premium, out=allied_price)
            feedstock_ndpr = np.maximum(ndpr_price, ndpr_floor, out=b) if floor_active[t] == 1 else ndpr_price
            np.subtract(feedstock_ndpr, ndpr_reference, out=a)
            a *= ndpr_oxide_per_kg
            a += us_made_base
            np.maximum(np.multiply(ndpr_oxide_per_kg, feedstock_ndpr, out=us_price), a, out=us_price)

            # 9. Inventory and shortfall
            np.add(china, domestic_sold, out=supply)
            supply += allied
            supply += stockpile
            np.subtract(demand, inventory, out=a)
            a -= supply
            np.maximum(a, zeros, out=shortfall_out[t])
            inventory += supply
            inventory -= demand
            np.maximum(inventory, zeros, out=inventory)

            demand_out[t] = demand
            china_out[t] = china
            domestic_out[t] = domestic
            allied_out[t] = allied
            inventory_out[t] = inventory
            np.divide(inventory, demand, out=cover_out[t])
            ndpr_out[t] = ndpr_price
            china_price_out[t] = china_price
            premium_out[t] = premium
            landed_out[t] = landed
            # China's share of supply (0 when nothing arrived) and what it means for reliance.
            np.divide(china, supply, out=a)
            if not np.greater(supply, zeros, out=over).all():
                np.copyto(a, 0.0, where=~over)
            share_out[t] = a
            a /= china_share_2024
            np.subtract(1, a, out=reliance_out[t])
            np.minimum(domestic_sold, demand, out=a)
            np.divide(a, demand, out=domestic_share_out[t])
            np.divide(domestic, china_reference, out=replacement_out[t])
            # Import bill (thousand USD) and the average price paid across origins.
            np.multiply(china, landed, out=a)
            a += np.multiply(allied, allied_price, out=b)
            np.multiply(a, 1000, out=import_bill_out[t])
            np.add(china, stockpile, out=a)
            a *= landed
            a += np.multiply(allied, allied_price, out=b)
            a += np.multiply(domestic_sold, us_price, out=b)
            np.add(china, allied, out=b)    # tonnes, in averagePaid's order
            b += domestic_sold
            b += stockpile
            a /= b
            if not np.greater(b, zeros, out=over).all():
                np.copyto(a, landed, where=~over)
            paid_out[t] = a
            backlog_out[t] = backlog
            regime_out[t] = regime
    return out


def summary_plan(n):
    """The ranks the engine's summary reads (src/lib/stats/ranks.ts): for each percentile its two
    order statistics and the weight between them (type 7), and the median's error ranks."""
    plan = []
    for p in SUMMARY_PERCENTILES.values():
        h = (n - 1) * p
        low = math.floor(h)
        plan.append((low, min(n - 1, low + 1), h - low))
    half = math.sqrt(n * 0.25)
    error = (max(0, math.floor(n / 2 - half + 0.5) - 1), min(n - 1, math.floor(n / 2 + half + 0.5) - 1))
    return plan, error


def summarise(block, out=None, scratch=None):
    """The engine's summary of every metric and month by sorting each column: float64
    [metrics, statistics (SUMMARY_STATISTICS), months]."""
    m_count, t_count, n = block.shape
    if out is None:
        out = np.empty((m_count, len(SUMMARY_STATISTICS), t_count))
    if scratch is None:
        scratch = np.empty((t_count, n), dtype=np.float32)
    plan, (error_low, error_high) = summary_plan(n)
    ranks = sorted({r for low, high, _ in plan for r in (low, high)} | {error_low, error_high})
    position = {r: k for k, r in enumerate(ranks)}
    ranks = np.array(ranks)
    for m in range(m_count):
        column = block[m]
        np.copyto(scratch, column)
        scratch.sort(axis=1)
        values = scratch[:, ranks].astype(np.float64).T    # [ranks, months]
        into = out[m]
        for k, (low, high, weight) in enumerate(plan):
            lo, hi = values[position[low]], values[position[high]]
            np.add(lo, weight * (hi - lo), out=into[k])
        np.sum(column, axis=1, dtype=np.float64, out=into[5])
        into[5] /= n
        np.subtract(values[position[error_high]], values[position[error_low]], out=into[6])
        into[6] /= 2
        # Values above zero, from the sorted rows: those after the last ≤ 0 and up to +inf (NaN,
        # sorted last, is not above zero).
        for t in range(t_count):
            row = scratch[t]
            into[7, t] = (row.searchsorted(np.inf, 'right') - row.searchsorted(0, 'right')) / n
    return out


def run(directory, runs=1):
    header, data = load(directory)
    check_constants(header)
    n, t_count = header['paths'], len(header['months'])
    block = np.empty((len(header['metrics']), t_count, n), dtype=np.float32)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        simulate(header, data['parameters'], data['plantUniforms'], data['pinned'], data['uniforms'], data['normals'], block)
        times.append((time.perf_counter() - start) * 1000)
    return header, data, block, times


def serve(directory):
    """For bench/engine.bench.ts: loads the export once, prints one JSON line, then for each line
    read ("round") runs one timed round and prints its times (ms) as one JSON line: `model` (the
    exported draws, in memory), `newSeed` (numpy's own monthly and parameter uniforms drawn first,
    timed together with the model; parameters and pins still from the export), `summary`
    (`summarise` of the model's block)."""
    header, data = load(directory)
    check_constants(header)
    n, t_count = header['paths'], len(header['months'])
    p_count = len(header['parameterIds'])
    plant_count = len(header['plants'])
    block = np.empty((len(header['metrics']), t_count, n), dtype=np.float32)
    seeded = np.empty_like(block)
    summary = np.empty((len(header['metrics']), len(SUMMARY_STATISTICS), t_count))
    scratch = np.empty((t_count, n), dtype=np.float32)
    uniforms, normals = np.empty((t_count, n)), np.empty((t_count, 4, n))
    path_uniforms = np.empty((p_count + plant_count + 1, n))
    args = (header, data['parameters'], data['plantUniforms'], data['pinned'])
    simulate(*args, data['uniforms'], data['normals'], block)
    ready = {'paths': n, 'months': t_count, 'numpy': np.__version__, 'python': sys.version.split()[0]}
    if 'block' in data:
        engine = data['block']
        same = (engine == block) | (np.isnan(engine) & np.isnan(block))
        ready['valuesDiffering'] = int(same.size - np.count_nonzero(same))
    print(json.dumps(ready), flush=True)
    seed = header['seed']
    for line in sys.stdin:
        command = line.strip()
        if command == 'quit':
            break
        seed += 1
        start = time.perf_counter()
        simulate(*args, data['uniforms'], data['normals'], block)
        model = time.perf_counter() - start
        start = time.perf_counter()
        rng = np.random.default_rng(seed)
        rng.random(out=path_uniforms)
        draw_monthly(rng, n, t_count, uniforms, normals)
        simulate(header, data['parameters'], path_uniforms[p_count:p_count + plant_count], data['pinned'],
                 uniforms, normals, seeded)
        new_seed = time.perf_counter() - start
        start = time.perf_counter()
        summarise(block, summary, scratch)
        summary_time = time.perf_counter() - start
        print(json.dumps({'model': model * 1000, 'newSeed': new_seed * 1000, 'summary': summary_time * 1000}), flush=True)


if __name__ == '__main__':
    arguments = sys.argv[1:]
    if arguments[:1] == ['--serve']:
        serve(arguments[1])
        sys.exit(0)
    runs = 5
    if '--runs' in arguments:
        at = arguments.index('--runs')
        runs = int(arguments[at + 1])
        del arguments[at:at + 2]
    header, data, block, times = run(arguments[0] if arguments else '/tmp/numpy-peer', runs)
    print(f'numpy peer: {header["paths"]} paths × {len(header["months"])} months in {np.median(times):.1f} ms '
          f'(median of {runs}, min {min(times):.1f})')
