/** The format a sweep result file declares (its own module, so the page reads result files without the analyses that make them). */
export const resultFormat = 'magnet-sweep/1';
