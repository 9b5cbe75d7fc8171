/**
 * Whether analysis cells expose their results as JSON for the browser tests (which compare them
 * with the same analyses run in Node). Set at build time by `npm run test:browser`; a production
 * build leaves the hooks out.
 */
export const exposeResults = import.meta.env.VITE_EXPOSE_RESULTS === 'true';
