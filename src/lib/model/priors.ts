import { calibration } from './calibration';

/**
 * The priors of the parameters `npm run calibrate` fits, and why each is set so. The model uses
 * the fitted posterior (calibrated.ts) as the default, or the prior itself until a fit exists.
 */
export interface TriangularPrior {
	dist: 'triangular';
	min: number;
	mode: number;
	max: number;
}

export const calibrationPriors: Record<string, { prior: TriangularPrior; why: string }> = {
	demandGrowth: {
		prior: { dist: 'triangular', min: -0.08, mode: 0.02, max: 0.12 },
		why: `U.S. imports from China grew ~10 %/yr 2019–2024 (${calibration.usImportsFromChina2019.value} → ${calibration.usImportsFromChina2024.value} t), but the U.S. share of China's exports fell within 2024 (13.1 % in H1, 12.5 % in H2, derived from the customs series); not the global 8.7 %/yr`
	},
	importLeakElasticity: { prior: { dist: 'triangular', min: 0, mode: 0.3, max: 1 }, why: 'assumption' },
	licensingImmediateShare: {
		prior: { dist: 'triangular', min: 0.03, mode: 0.075, max: 0.2 },
		why: `May 2025 U.S.-bound exports ${calibration.licenceReviewDerivedMay2025.value} t (${calibration.licenceReviewDerivedMay2025.source}) against ~620 t/month in 2024`
	},
	licenceReviewMonths: {
		prior: { dist: 'triangular', min: 1, mode: 2, max: 4 },
		why: `mode ${calibration.licenceReviewWorkingDays.value} working days ≈ 2 months, ${calibration.licenceReviewWorkingDays.source}; spread: assumption`
	},
	licenceApprovalRate: {
		prior: { dist: 'triangular', min: 0.3, mode: 0.8, max: 1 },
		why: `assumption (licences flowed after the June 2025 London framework; secondary sources report ~25 % approved early on; a low case: ${calibration.euLicenceApprovalRateOct2025.value} in Oct 2025, ${calibration.euLicenceApprovalRateOct2025.source})`
	},
	licencePushShare: {
		prior: { dist: 'triangular', min: 0, mode: 0.3, max: 0.8 },
		why: "assumption; the push it scales is dated: after the 9–10 June 2025 London framework, MOFCOM said on 12 June it 'has approved a number of export licence applications' (People's Daily, 13 Jun 2025)"
	},
	exportShippingLag: {
		prior: { dist: 'triangular', min: 0, mode: 0.25, max: 0.5 },
		why: 'assumption (orders released late in a month clear customs in the next; the April 2025 rule took effect on the 4th)'
	},
	backlogReleaseRate: {
		prior: { dist: 'triangular', min: 0.3, mode: 0.6, max: 1 },
		why: 'assumption (a released backlog ships over a few months; the June 2025 surge bounds it from below)'
	},
	ndprLongRun: {
		prior: { dist: 'triangular', min: 45, mode: 70, max: 110 },
		why: `between the 2024 trough (~${calibration.ndprMarketAverageQ4_2024.value} USD/kg, after Pr oxide fell 37 % in 2023 and 26 % in 2024) and the 2022 high (${calibration.ndprChinaQ2_2022.value} USD/kg, ${calibration.ndprChinaQ2_2022.source}); the DoD floor of ${calibration.ndprFloorDoD.value} USD/kg marks a non-China producer's need`
	},
	ndprReversion: { prior: { dist: 'triangular', min: 0.01, mode: 0.04, max: 0.1 }, why: 'assumption (the 2022 high had reverted by late 2024)' },
	exportMarkupSensitivity: {
		prior: { dist: 'triangular', min: 0, mode: 0.03, max: 0.08 },
		why: 'assumption; informed by magnet prices ~5 % lower with the June 2025 surge (seed article) and the May 2025 unit value (48.5 USD/kg)'
	}
};

export const calibratedParameterIds = Object.keys(calibrationPriors);
