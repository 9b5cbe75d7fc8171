/** What each simulated path records each month, in this order. */
export const metricDefinitions = [
	{ name: 'demand', label: 'U.S. magnet demand', unit: 't/month' },
	{ name: 'chinaExports', label: "China's magnet exports to the U.S.", unit: 't/month' },
	{ name: 'domesticSupply', label: 'U.S. magnet output (all sold under offtake)', unit: 't/month' },
	{ name: 'alliedSupply', label: 'Allied supply to the U.S.', unit: 't/month' },
	{ name: 'inventory', label: 'U.S. magnet inventory', unit: 't' },
	{ name: 'coverMonths', label: 'Inventory cover', unit: 'months' },
	{ name: 'shortfall', label: 'Unmet demand (shortfall)', unit: 't/month' },
	{ name: 'ndprPrice', label: 'NdPr oxide price in China', unit: 'USD/kg' },
	{ name: 'chinaMagnetPrice', label: "China's magnet export price", unit: 'USD/kg' },
	{ name: 'exChinaPremium', label: 'Allied magnet price over China export price', unit: '×' },
	{ name: 'usMagnetPrice', label: 'Landed price of a China-made magnet in the U.S., tariffs included', unit: 'USD/kg' },
	{ name: 'averagePaidPrice', label: 'Average price U.S. buyers paid (all origins, by tonnage)', unit: 'USD/kg' },
	{ name: 'chinaShare', label: "China's share of U.S. supply", unit: 'fraction' },
	{ name: 'relianceCut', label: 'Cut in reliance on China since 2024 (1 − share ÷ 2024 share)', unit: 'fraction' },
	{ name: 'domesticShare', label: 'Share of U.S. demand met by U.S.-made magnets', unit: 'fraction' },
	{ name: 'replacement', label: "U.S. output ÷ China's 2024 U.S.-bound exports", unit: 'fraction' },
	{ name: 'importBill', label: 'U.S. magnet import bill', unit: 'USD/month' },
	{ name: 'backlog', label: 'Orders waiting in China (backlog)', unit: 't' },
	{ name: 'regime', label: 'China export regime (0 open, 1 licensing, 2 restricted)', unit: 'code' }
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

export const regimes = ['open', 'licensing', 'restricted'] as const;
export type Regime = (typeof regimes)[number];
