/** What each simulated path records each month, in this order. */
export const metricDefinitions = [
	{ name: 'demand', label: 'U.S. magnet demand', unit: 't/month' },
	{ name: 'chinaExports', label: "China's magnet exports to the U.S.", unit: 't/month' },
	{ name: 'domesticSupply', label: 'U.S. domestic magnet output', unit: 't/month' },
	{ name: 'alliedSupply', label: 'Allied supply to the U.S.', unit: 't/month' },
	{ name: 'inventory', label: 'U.S. magnet inventory', unit: 't' },
	{ name: 'coverMonths', label: 'Inventory cover', unit: 'months' },
	{ name: 'shortfall', label: 'Unmet demand (shortfall)', unit: 't/month' },
	{ name: 'price', label: 'Delivered magnet price to U.S. buyers', unit: 'USD/kg' },
	{ name: 'chinaShare', label: "China's share of U.S. supply (dependency)", unit: 'fraction' },
	{ name: 'replacement', label: 'Domestic output / China-sourced supply of 2024', unit: 'fraction' },
	{ name: 'importBill', label: 'U.S. magnet import bill', unit: 'USD/month' },
	{ name: 'backlog', label: 'Orders waiting in China (backlog)', unit: 't' },
	{ name: 'regime', label: 'China export regime (0 open, 1 licensing, 2 restricted)', unit: 'code' }
] as const;

export type MetricName = (typeof metricDefinitions)[number]['name'];
export const metricNames = metricDefinitions.map((m) => m.name) as MetricName[];
export const metricCount = metricDefinitions.length;
export const metricIndex = Object.fromEntries(metricNames.map((name, i) => [name, i])) as Record<MetricName, number>;
export const metricUnit = Object.fromEntries(metricDefinitions.map((m) => [m.name, m.unit])) as Record<MetricName, string>;

export const regimes = ['open', 'licensing', 'restricted'] as const;
export type Regime = (typeof regimes)[number];
