"""A vectorised numpy peer of the model (docs/MODEL.md, model 2.0.1): one month at a time for all
paths at once (arrays of shape [paths]), written from the document and checked against the engine.

It reads what `bench/peers/export-draws.ts` exports (the resolved timeline, each path's drawn
parameters, plant uniforms, regime pins and monthly draws) and returns the block of simulated
paths as float32, shape [metrics, months, paths] (the engine's month-major layout per metric).
Float64 operations follow the order of src/lib/model/path.ts where float rounding depends on it
(a + b + c is (a + b) + c; Math.round is floor(x + 0.5)).

Not yet independent of the engine: parameter sampling (inverse CDFs, joint samples) and regime
pins are read from the export, not redrawn here.
"""
import json
import os
import sys
import time

import numpy as np

OPEN, LICENSING, RESTRICTED = 0, 1, 2
DRAWS_PER_MONTH = 5
APPROVAL_PERSISTENCE = 0.8
PREMIUM_SMOOTHING = 0.25
HELD_RATE_DOUBLING_MONTHS = 6
LOG_NDPR_FLOOR = -np.log(5.0)
LOG_NDPR_CEILING = np.log(30.0)
MIN_TIGHTNESS = 1 / 20
ALLIED_PRICE_PREMIUM_2024 = 1.3


def load(directory):
    with open(os.path.join(directory, 'header.json')) as f:
        header = json.load(f)
    n, t_count = header['paths'], len(header['months'])
    p_count = len(header['parameterIds'])
    plant_count = len(header['plants'])
    read = lambda name, dtype, shape: np.fromfile(os.path.join(directory, name), dtype=dtype).reshape(shape)
    data = {
        'parameters': read('parameters.f64', np.float64, (n, p_count)),
        'plantUniforms': read('plantUniforms.f64', np.float64, (n, plant_count)),
        'pinned': read('pinned.i8', np.int8, (n, t_count)),
        'monthly': read('monthly.f64', np.float64, (n, t_count, DRAWS_PER_MONTH)),
    }
    block_path = os.path.join(directory, 'block.f32')
    if os.path.exists(block_path):
        data['block'] = read('block.f32', np.float32, (len(header['metrics']), t_count, n))
    return header, data


def series(values):
    """A per-month array from the JSON header (null is NaN)."""
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def js_round(x):
    return np.floor(x + 0.5)


def simulate(header, parameters, plant_uniforms, pinned, monthly):
    """All paths, month by month. Returns float32 [metrics, months, paths]."""
    n = parameters.shape[0]
    ids = header['parameterIds']
    P = lambda name: parameters[:, ids.index(name)]
    tl = header['timeline']
    c = header['constants']
    metrics = header['metrics']
    t_count = len(header['months'])
    out = np.empty((len(metrics), t_count, n), dtype=np.float32)
    M = {name: k for k, name in enumerate(metrics)}

    # Constants derived from the raw figures (calibration.ts).
    oxide_per_metal = 336.48 / 288.48
    imports_china = c['usImportsFromChina2024']
    value_share = c['chinaShareOfUsImportsValueQ1_2024']
    volume_share = value_share / (value_share + (1 - value_share) / ALLIED_PRICE_PREMIUM_2024)
    allied_imports = (imports_china * (1 - volume_share)) / volume_share
    domestic_2024 = c['domesticOutput2024']
    china_share_2024 = imports_china / (imports_china + allied_imports + domestic_2024)
    china_reference = imports_china / 12
    landed_2024 = c['chinaExportUnitValue2024'] * 1.021
    existing_output = domestic_2024 / 12
    max_review = c['maxReviewMonths']

    # Per-path constants.
    demand_base = P('demandBase')
    log_growth = np.log1p(P('demandGrowth'))
    persistence = P('demandShockPersistence')
    demand_innovation = P('demandShockVolatility') * np.sqrt(1 - persistence * persistence)
    price_response = P('priceElasticity') + P('importLeakElasticity')
    response_weight = 1 / P('priceResponseMonths')
    target_cover = P('targetCoverMonths')
    cover_licensing = target_cover * P('precautionaryCoverLicensing')
    cover_restricted = target_cover * P('precautionaryCoverRestricted')
    adjustment = P('coverAdjustmentMonths')
    max_restock = P('maxRestockShare')
    pipeline_weight = P('pipelineWeight')
    share_licensing = P('licensingImmediateShare')
    share_restricted = P('restrictedImmediateShare')
    review_months = np.minimum(max_review, np.maximum(1, js_round(P('licenceReviewMonths')))).astype(np.int64)
    release_rate = P('backlogReleaseRate')
    cancellation = P('backlogCancellationRate')
    held_cancellation = P('heldCancellationRate')
    cap_months = P('backlogCapMonths')
    max_release_months = P('maxReleaseMonths')
    export_lag = P('exportShippingLag')
    push_share = P('licencePushShare')
    export_noise = P('exportNoise')
    noise_correction = (export_noise * export_noise) / 2
    tariff_later = P('tariffLater')
    ndpr_start = P('ndprPriceStart')
    log_long_run = np.log(P('ndprLongRun') / ndpr_start)
    ndpr_reversion = P('ndprReversion')
    ndpr_drift_controls = P('ndprDriftControls')
    ndpr_volatility = P('ndprVolatility')
    ndpr_jump = P('ndprJumpRestricted')
    ndpr_oxide_per_kg = P('magnetNdprContent') * oxide_per_metal
    dy_per_kg = P('magnetDyContent')
    dy_price = P('dyPriceChina')
    ndpr_reference = c['ndprMarketAverageQ4_2024']
    conversion = np.maximum(0, c['chinaExportUnitValue2024'] - ((0 + ndpr_oxide_per_kg * ndpr_reference) + dy_per_kg * dy_price))
    markup = P('exportMarkupSensitivity')
    allied_premium = P('alliedPricePremium')
    widening = P('premiumWideningControls')
    us_made_base = P('usMadeMagnetPrice')
    ndpr_floor = c['ndprFloorDoD']
    start_absolute_year = tl['startAbsolute'] / 12
    extra_slip = P('capacitySlipExtra')
    plants = header['plants']
    plant_starts = tl['plantStarts']
    built = np.stack([plant_uniforms[:, j] < P(p['id'] + 'Completion') for j, p in enumerate(plants)])
    built_start = np.stack([(plant_starts[j] + P(p['id'] + 'Slip')) + extra_slip for j, p in enumerate(plants)])
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
    resubmitted = P('refusedResubmittedShare')
    hazard = {k: series(v) for k, v in tl['hazardOverrides'].items()}
    base = {k: P(k) for k in hazard}
    capacity_factor = series(tl['capacityFactor'])
    stockpile_release = series(tl['stockpileRelease'])
    allied_kept = series(tl['alliedKept'])
    scheduled_tariff = series(tl['tariff'])
    floor_active = series(tl['ndprFloorActive'])
    cover_ramp = series(tl['heavyReCoverRamp'])
    licence_push = series(tl['licencePush'])
    years = series(tl['yearsFromReference'])

    # Path state.
    regime = np.full(n, tl['initialRegime'], dtype=np.int64)
    shock = np.zeros(n)
    log_ndpr = np.zeros(n)
    log_premium = np.zeros(n)
    log_landed_response = np.zeros(n)
    japan_reserve = np.zeros(n)
    in_transit = np.zeros(n)
    approval_shock = np.zeros(n)
    inventory = target_cover * demand_base * np.exp(log_growth * years[0])
    in_review = np.zeros((max_review, n))
    held = np.zeros(n)
    approved = np.zeros(n)
    restricted_months = np.zeros(n)
    review_mask = np.stack([review_months > i for i in range(max_review)])
    columns = np.arange(n)

    def hazard_at(name, t):
        v = hazard[name][t]
        return base[name] if np.isnan(v) else np.full(n, v)

    def backlog_total():
        total = held + approved
        for i in range(max_review):
            total = np.where(review_mask[i], total + in_review[i], total)
        return total

    with np.errstate(divide='ignore', invalid='ignore'):
        for t in range(t_count):
            u = monthly[:, t, 0]
            # 1. Policy regime
            oL, oR = hazard_at('pOpenToLicensing', t), hazard_at('pOpenToRestricted', t)
            lO, lR = hazard_at('pLicensingToOpen', t), hazard_at('pLicensingToRestricted', t)
            rL, rO = hazard_at('pRestrictedToLicensing', t), hazard_at('pRestrictedToOpen', t)
            from_open = np.where(u < oL, LICENSING, np.where(u < oL + oR, RESTRICTED, OPEN))
            from_licensing = np.where(u < lO, OPEN, np.where(u < lO + lR, RESTRICTED, LICENSING))
            from_restricted = np.where(u < rL, LICENSING, np.where(u < rL + rO, OPEN, RESTRICTED))
            chain = np.where(regime == OPEN, from_open, np.where(regime == LICENSING, from_licensing, from_restricted))
            pin = pinned[:, t]
            next_regime = np.where(pin >= 0, pin, chain)
            escalated = (next_regime == RESTRICTED) & (regime != RESTRICTED)
            regime = next_regime
            controlled = regime != OPEN
            is_open, is_licensing, is_restricted = regime == OPEN, regime == LICENSING, regime == RESTRICTED
            approval_shock = APPROVAL_PERSISTENCE * approval_shock + approval_innovation * monthly[:, t, 4]
            p = hazard_at('licenceApprovalRate', t)
            shifted = 1 / (1 + ((1 - p) / p) * np.exp(-approval_shock))
            approval = np.where((p <= 0) | (p >= 1) | (approval_shock == 0), p, shifted)
            inputs_withheld = np.where(is_restricted, 1.0, np.where(is_licensing, 1 - approval, 0.0))

            # 2. NdPr oxide in China
            nxt = (((log_ndpr + ndpr_reversion * (log_long_run - log_ndpr)) + np.where(controlled, ndpr_drift_controls, 0.0))
                   + ndpr_volatility * monthly[:, t, 3]) + np.where(escalated, ndpr_jump, 0.0)
            log_ndpr = np.minimum(LOG_NDPR_CEILING, np.maximum(LOG_NDPR_FLOOR, nxt))
            ndpr_price = ndpr_start * np.exp(log_ndpr)

            # 3. Demand
            shock = persistence * shock + demand_innovation * monthly[:, t, 1]
            year = years[t]
            demand = demand_base * np.exp((log_growth * year + shock) - price_response * log_landed_response)

            # 4. U.S. plants
            years_since_2025 = (start_absolute_year + t / 12) - 2025
            feedstock_share = feedstock_dependence * np.maximum(0, 1 - max(0.0, years_since_2025) / feedstock_years)
            capacity = np.full(n, existing_output)
            for j, plant in enumerate(plants):
                progress = (t - built_start[j] + 1) / plant['rampMonths']
                output = np.where(progress <= 0, 0.0, (plant['tonnesPerYear'] / 12) * np.where(progress >= 1, 1.0, progress))
                capacity = np.where(built[j], capacity + output, capacity)
            domestic = capacity * capacity_factor[t] * (1 - feedstock_share * inputs_withheld)

            # 5. Orders wanted
            desired_cover = np.where(is_open, target_cover, np.where(is_licensing, cover_licensing, cover_restricted))
            position = inventory + pipeline_weight * backlog_total()
            restock = np.minimum(max_restock * demand, (desired_cover * demand - position) / adjustment)
            required = np.maximum(0, demand + restock)
            domestic_sold = np.minimum(existing_output + market_share * np.maximum(0, domestic - existing_output), required)

            # 6. Allied supply and Japan's reserve
            diverted = 1 - allied_kept[t]
            heavy_re_loss = allied_heavy_re * (1 - heavy_re_cover * cover_ramp[t]) * inputs_withheld
            allied_made = allied_base * np.exp(allied_log_growth * year + allied_response * log_landed_response) * (1 - heavy_re_loss)
            japan_reserve = japan_reserve + allied_made * diverted
            reserve_released = np.where(is_restricted, japan_release * japan_reserve, 0.0)
            japan_reserve = japan_reserve - reserve_released
            allied_offer = allied_made * (1 - diverted) + japan_to_us * reserve_released
            stockpile = stockpile_release[t]
            allied = np.minimum(allied_offer, np.maximum(0, (required - domestic_sold) - stockpile))
            orders = np.maximum(0, ((required - domestic_sold) - allied) - stockpile)

            # 7. China's exports and the backlog (exports.ts, ExportBacklog.ship)
            noise = np.exp(export_noise * monthly[:, t, 2] - noise_correction)
            immediate_share = np.where(is_licensing, share_licensing, share_restricted)
            cap = cap_months * demand
            push = np.where(licence_push[t] == 1, push_share, 0.0)
            max_release = max_release_months * demand
            restricted_months = np.where(is_restricted, restricted_months + 1, 0.0)
            keep = 1 - cancellation
            held_rate = held_cancellation * np.minimum(2, 1 + restricted_months / HELD_RATE_DOUBLING_MONTHS)
            held = held * np.where(is_restricted, 1 - np.minimum(1, held_rate), keep)
            approved = approved * keep
            # open: everything in review and held is approved
            open_approved = approved
            for i in range(max_review):
                open_approved = np.where(review_mask[i], open_approved + in_review[i] * keep, open_approved)
            open_approved = open_approved + held
            # licensing or restricted: the cohort due is reviewed
            slot = t % review_months
            reviewed = in_review[slot, columns] * keep
            controlled_review = in_review.copy()
            for i in range(max_review):
                active = review_mask[i]
                controlled_review[i] = np.where(active, controlled_review[i] * keep, controlled_review[i])
                pushed = active & (slot != i) & (push > 0)
                reviewed = np.where(pushed, reviewed + push * controlled_review[i], reviewed)
                controlled_review[i] = np.where(pushed, controlled_review[i] * (1 - push), controlled_review[i])
            controlled_review[slot, columns] = orders * (1 - immediate_share)
            decided = reviewed + held
            lic_approved = approved + approval * decided
            controlled_review[slot, columns] = np.where(
                is_licensing, controlled_review[slot, columns] + resubmitted * (1 - approval) * decided, controlled_review[slot, columns])
            immediate = np.where(is_open, orders * noise, immediate_share * orders * noise)
            approved = np.where(is_open, open_approved, np.where(is_licensing, lic_approved, approved))
            held = np.where(is_open | is_licensing, 0.0, held + reviewed)
            in_review = np.where(is_open[None, :], 0.0, controlled_review)
            # the cap
            total = backlog_total()
            over = total > cap
            kept = np.where(total > 0, cap / total, 0.0)
            held = np.where(over, held * kept, held)
            approved = np.where(over, approved * kept, approved)
            in_review = np.where(over[None, :] & review_mask, in_review * kept, in_review)
            released_backlog = np.minimum(max_release, release_rate * approved)
            approved = approved - released_backlog
            released = immediate + released_backlog
            china = (1 - export_lag) * released + export_lag * in_transit
            in_transit = released

            # 8. Prices in layers
            ratio = np.maximum(orders, 1e-9) / np.maximum(china, 1e-9)
            tightness = np.where((orders <= 0) & (china <= 0), 0.0, np.log(np.minimum(1 / MIN_TIGHTNESS, np.maximum(MIN_TIGHTNESS, ratio))))
            china_price = ((conversion + ndpr_oxide_per_kg * ndpr_price) + dy_per_kg * dy_price) * np.exp(markup * tightness)
            tariff_now = scheduled_tariff[t]
            tariff = tariff_later if np.isnan(tariff_now) else tariff_now
            landed = china_price * (1 + tariff)
            log_landed_response = log_landed_response + response_weight * (np.log(landed / landed_2024) - log_landed_response)
            premium_target = np.where(is_open, 0.0, np.where(is_licensing, widening, 2 * widening))
            log_premium = log_premium + PREMIUM_SMOOTHING * (premium_target - log_premium)
            premium = allied_premium * np.exp(log_premium)
            allied_price = china_price * premium
            us_feedstock_ndpr = np.maximum(ndpr_price, ndpr_floor) if floor_active[t] == 1 else ndpr_price
            us_made_price = np.maximum(ndpr_oxide_per_kg * us_feedstock_ndpr, us_made_base + ndpr_oxide_per_kg * (us_feedstock_ndpr - ndpr_reference))

            # 9. Inventory and shortfall
            supply = ((china + domestic_sold) + allied) + stockpile
            shortfall = np.maximum(0, (demand - inventory) - supply)
            inventory = np.maximum(0, (inventory + supply) - demand)
            china_share = np.where(supply > 0, china / supply, 0.0)
            tonnes = ((china + allied) + domestic_sold) + stockpile
            paid = np.where(tonnes <= 0, landed,
                            (((china + stockpile) * landed + allied * allied_price) + domestic_sold * us_made_price) / tonnes)

            o = out[:, t, :]
            o[M['demand']] = demand
            o[M['chinaExports']] = china
            o[M['domesticSupply']] = domestic
            o[M['alliedSupply']] = allied
            o[M['inventory']] = inventory
            o[M['coverMonths']] = inventory / demand
            o[M['shortfall']] = shortfall
            o[M['ndprPrice']] = ndpr_price
            o[M['chinaMagnetPrice']] = china_price
            o[M['exChinaPremium']] = premium
            o[M['usMagnetPrice']] = landed
            o[M['averagePaidPrice']] = paid
            o[M['chinaShare']] = china_share
            o[M['relianceCut']] = 1 - china_share / china_share_2024
            o[M['domesticShare']] = np.minimum(domestic_sold, demand) / demand
            o[M['replacement']] = domestic / china_reference
            o[M['importBill']] = (china * landed + allied * allied_price) * 1000
            o[M['backlog']] = backlog_total()
            o[M['regime']] = regime
    checks = c.get('check', {})
    derived = {'OXIDE_PER_METAL': oxide_per_metal, 'chinaShareOfSupply2024': china_share_2024, 'chinaReferenceSupplyTonnesPerMonth': china_reference}
    for k, v in checks.items():
        if derived[k] != v:
            print(f'warning: derived constant {k} = {derived[k]!r}, engine {v!r}', file=sys.stderr)
    return out


def run(directory):
    header, data = load(directory)
    start = time.perf_counter()
    block = simulate(header, data['parameters'], data['plantUniforms'], data['pinned'], data['monthly'])
    return header, data, block, (time.perf_counter() - start) * 1000


if __name__ == '__main__':
    header, data, block, ms = run(sys.argv[1] if len(sys.argv) > 1 else '/tmp/numpy-peer')
    print(f'numpy peer: {header["paths"]} paths × {len(header["months"])} months in {ms:.1f} ms')
