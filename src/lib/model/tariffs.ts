import { monthRange, monthToAbsolute } from '../time/months';

/**
 * U.S. duties on China-origin NdFeB magnets (HTS 8505.11.00.70), ad valorem, as dated steps: each
 * rate applies from its day on. The sum of the layers in force: MFN 2.1 %, Section 301 (0 → 25 %
 * on 1 Jan 2026), the IEEPA "fentanyl" duty and the IEEPA "reciprocal" duty of 2025.
 */
export interface TariffStep {
	/** First day the rate applies, YYYY-MM-DD. */
	from: string;
	rate: number;
	what: string;
	source: string;
}

export const chinaMagnetTariffSteps: readonly TariffStep[] = [
	{
		from: '2020-01-01',
		rate: 0.021,
		what: 'MFN duty 2.1 %; no Section 301 duty on 8505.11 before 2026',
		source: 'U.S. HTS heading 8505, 8505.11.00.70 sintered NdFeB 2.1 % (HTSHub, 2024 Rev 9 and 2025 Rev 11); CBP ruling on NdFeB magnets from China, 2019'
	},
	{
		from: '2025-02-04',
		rate: 0.121,
		what: 'IEEPA fentanyl duty 10 % (EO 14195)',
		source: 'Akin Gump, Trump EO tracker, EO 14195: 10 % on PRC goods entered from 4 Feb 2025'
	},
	{
		from: '2025-03-04',
		rate: 0.221,
		what: 'IEEPA fentanyl duty raised to 20 %',
		source: 'Executive order of 3 Mar 2025 amending EO 14195: 10 % → 20 %, effective 4 Mar 2025'
	},
	{
		from: '2025-04-05',
		rate: 0.321,
		what: 'IEEPA reciprocal baseline 10 % (EO 14257)',
		source: 'EO 14257: 10 % baseline from 5 Apr 2025 (regfollower.com, Apr 2025)'
	},
	{
		from: '2025-04-09',
		rate: 0.561,
		what: 'China-specific reciprocal rate 34 %',
		source: 'Barnes & Thornburg, "Cycle of Reciprocity", Apr 2025'
	},
	{
		from: '2025-04-10',
		rate: 1.471,
		what: 'Reciprocal rate 125 % (145 % IEEPA in total)',
		source: 'Barnes & Thornburg, "Cycle of Reciprocity", Apr 2025: 125 % effective 10 Apr 2025; White House: 145 % in total'
	},
	{
		from: '2025-05-14',
		rate: 0.321,
		what: 'Geneva truce: reciprocal 10 % (30 % IEEPA in total)',
		source: 'Joint statement on the U.S.–China meeting in Geneva, 12 May 2025: reciprocal cut by 24 points (to 10 %) before 14 May 2025'
	},
	{
		from: '2025-11-10',
		rate: 0.221,
		what: 'Busan arrangement: fentanyl duty 20 % → 10 %; reciprocal stays 10 % to 10 Nov 2026',
		source: 'Sandler, Travis & Rosenberg Trade Report, Nov 2025; executive orders of 4 Nov 2025, effective 10 Nov 2025'
	},
	{
		from: '2026-01-01',
		rate: 0.471,
		what: 'Section 301: permanent magnets 0 → 25 %',
		source: 'USTR final notice of the Section 301 four-year review, 13 Sep 2024: permanent magnets 25 % from 1 Jan 2026'
	},
	{
		from: '2026-02-24',
		rate: 0.371,
		what: 'IEEPA duties end (Supreme Court, Learning Resources v. Trump, 20 Feb 2026); Section 122 surcharge 10 % for 150 days',
		source:
			'Thompson Hine SmarTrade, Feb 2026: Section 122 duty 10 % from 24 Feb 2026 to 24 Jul 2026 (whether magnets are exempt is not verified); Mondaq, "The IEEPA Tariffs Are Gone. Now What?", 9 Mar 2026'
	},
	{
		from: '2026-07-24',
		rate: 0.271,
		what: 'Section 122 surcharge expires: MFN 2.1 % + Section 301 25 %',
		source: 'Thompson Hine SmarTrade, Feb 2026 (150-day limit of Section 122)'
	}
];

/** From this month on the tariff is the scenario's `tariffLater` (the Busan arrangement ends 10 Nov 2026). */
export const TARIFF_PARAMETER_FROM = '2026-11';

function daysInMonth(absoluteMonth: number): number {
	const year = Math.floor(absoluteMonth / 12);
	const month = absoluteMonth % 12;
	return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * The scheduled tariff of each month from `start` to `end`, averaged over the month's days (April
 * 2025 is ≈ 107 %: 22 % for four days, then 32 %, 56 %, and 147 % from the 10th). Months from
 * `TARIFF_PARAMETER_FROM` are NaN: the path fills them with its own `tariffLater`.
 */
export function scheduledTariffs(start: string, end: string, steps: readonly TariffStep[] = chinaMagnetTariffSteps): Float64Array {
	const months = monthRange(start, end);
	const laterFrom = monthToAbsolute(TARIFF_PARAMETER_FROM);
	const out = new Float64Array(months.length);
	months.forEach((month, t) => {
		const absolute = monthToAbsolute(month);
		if (absolute >= laterFrom) {
			out[t] = Number.NaN;
			return;
		}
		const days = daysInMonth(absolute);
		let total = 0;
		for (let day = 1; day <= days; day++) {
			const date = `${month}-${String(day).padStart(2, '0')}`;
			let rate = steps[0].rate;
			for (const step of steps) if (step.from <= date) rate = step.rate;
			total += rate;
		}
		out[t] = total / days;
	});
	return out;
}
