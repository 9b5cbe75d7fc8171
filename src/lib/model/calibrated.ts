/**
 * Defaults fitted by `npm run calibrate` (written by it; do not edit by hand): ABC rejection on
 * the data up to the cut-off month, see docs/MODEL.md "Calibration".
 */
import type { DistributionSpec } from '../scenario/distributions';

export interface CalibratedFit {
	cutoff: string;
	method: string;
	parameters: Record<string, DistributionSpec>;
}

export const calibratedFits: Record<'main' | 'walkForward', CalibratedFit> = {
	main: {
		cutoff: '2025-06',
		method: 'ABC rejection (2000 prior draws × 300 paths, best 200 kept; posterior P5/median/P95 as triangular) on history-2025',
		parameters: {
			demandGrowth: { dist: 'triangular', min: -0.0325, mode: 0.0365, max: 0.0945 },
			importLeakElasticity: { dist: 'triangular', min: 0.133, mode: 0.383, max: 0.762 },
			licensingImmediateShare: { dist: 'triangular', min: 0.0553, mode: 0.0801, max: 0.109 },
			licenceApprovalRate: { dist: 'triangular', min: 0.655, mode: 0.809, max: 0.942 },
			exportShippingLag: { dist: 'triangular', min: 0.181, mode: 0.273, max: 0.381 },
			ndprLongRun: { dist: 'triangular', min: 50.8, mode: 62.7, max: 84.7 },
			ndprReversion: { dist: 'triangular', min: 0.0215, mode: 0.0402, max: 0.0824 },
			exportMarkupSensitivity: { dist: 'triangular', min: 0.015, mode: 0.0393, max: 0.0636 }
		}
	},
	walkForward: {
		cutoff: '2024-12',
		method: 'ABC rejection (2000 prior draws × 300 paths, best 200 kept; posterior P5/median/P95 as triangular) on history-2025',
		parameters: {
			demandGrowth: { dist: 'triangular', min: -0.0579, mode: 0.023, max: 0.0882 },
			importLeakElasticity: { dist: 'triangular', min: 0.114, mode: 0.37, max: 0.805 },
			licensingImmediateShare: { dist: 'triangular', min: 0.0512, mode: 0.0976, max: 0.164 },
			licenceApprovalRate: { dist: 'triangular', min: 0.402, mode: 0.72, max: 0.923 },
			exportShippingLag: { dist: 'triangular', min: 0.0847, mode: 0.242, max: 0.431 },
			ndprLongRun: { dist: 'triangular', min: 47.8, mode: 53.7, max: 58.1 },
			ndprReversion: { dist: 'triangular', min: 0.0174, mode: 0.0439, max: 0.0772 },
			exportMarkupSensitivity: { dist: 'triangular', min: 0.00868, mode: 0.033, max: 0.066 }
		}
	}
};
