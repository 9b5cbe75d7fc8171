/** What each simulated path records each month, in this order. */
export const metricDefinitions = [
	{ name: 'demand', label: 'U.S. magnet demand', unit: 't/month', unitWords: 'tonnes per month' },
	{ name: 'chinaExports', label: "China's magnet exports to the U.S.", unit: 't/month', unitWords: 'tonnes per month' },
	{ name: 'domesticSupply', label: 'U.S. magnet output (all sold under offtake)', unit: 't/month', unitWords: 'tonnes per month' },
	{ name: 'alliedSupply', label: 'Allied supply to the U.S.', unit: 't/month', unitWords: 'tonnes per month' },
	{ name: 'inventory', label: 'U.S. magnet inventory', unit: 't', unitWords: 'tonnes' },
	{ name: 'coverMonths', label: 'Inventory cover', unit: 'months', unitWords: 'months of demand' },
	{ name: 'shortfall', label: 'Unmet demand (shortfall)', unit: 't/month', unitWords: 'tonnes per month' },
	{ name: 'ndprPrice', label: 'NdPr oxide price in China', unit: 'USD/kg', unitWords: 'USD per kg' },
	{ name: 'chinaMagnetPrice', label: "China's magnet export price", unit: 'USD/kg', unitWords: 'USD per kg' },
	{ name: 'exChinaPremium', label: 'Allied magnet price over China export price', unit: '×', unitWords: "times China's export price" },
	{ name: 'usMagnetPrice', label: 'Landed price of a China-made magnet in the U.S., tariffs included', unit: 'USD/kg', unitWords: 'USD per kg' },
	{ name: 'averagePaidPrice', label: 'Average price U.S. buyers paid (all origins, by tonnage)', unit: 'USD/kg', unitWords: 'USD per kg' },
	{ name: 'chinaShare', label: "China's share of U.S. supply", unit: 'fraction', unitWords: '% of U.S. supply' },
	{ name: 'relianceCut', label: 'Cut in reliance on China since 2024 (1 − share ÷ 2024 share)', unit: 'fraction', unitWords: '% of 2024 reliance on China' },
	{ name: 'domesticShare', label: 'Share of U.S. demand met by U.S.-made magnets', unit: 'fraction', unitWords: '% of U.S. demand' },
	{ name: 'replacement', label: "U.S. output ÷ China's 2024 U.S.-bound exports", unit: 'fraction', unitWords: "% of China's 2024 U.S.-bound exports" },
	{ name: 'importBill', label: 'U.S. magnet import bill', unit: 'USD/month', unitWords: 'USD per month' },
	{ name: 'backlog', label: 'Orders waiting in China (backlog)', unit: 't', unitWords: 'tonnes' },
	{
		name: 'regime',
		label: 'China export regime (0 open, 1 licensing, 2 restricted)',
		unit: 'code',
		unitWords: 'regime code (0 open, 1 licensing, 2 restricted)'
	}
] as const;

/** Metrics of earlier model versions that are gone, with what to use instead. */
export const removedMetrics: Record<string, string> = {
	price:
		'the delivered "price" was removed in model 2.0: use usMagnetPrice (the landed price of a China-made magnet, tariffs included), chinaMagnetPrice, ndprPrice or averagePaidPrice'
};

export type MetricName = (typeof metricDefinitions)[number]['name'];
export const metricNames: MetricName[] = metricDefinitions.map((m) => m.name);
export const metricCount = metricDefinitions.length;
export const metricIndex = Object.fromEntries(metricNames.map((name, i) => [name, i])) as Record<MetricName, number>;
export const metricUnit = Object.fromEntries(metricDefinitions.map((m) => [m.name, m.unit])) as Record<MetricName, string>;
/** Each metric's unit in words, for what a user reads (shares as "% of …"); `metricUnit` stays the machine unit. */
export const metricUnitWords = Object.fromEntries(metricDefinitions.map((m) => [m.name, m.unitWords])) as Record<MetricName, string>;
export const metricLabels = Object.fromEntries(metricDefinitions.map((m) => [m.name, m.label])) as Record<MetricName, string>;

export const regimes = ['open', 'licensing', 'restricted'] as const;
export type Regime = (typeof regimes)[number];
