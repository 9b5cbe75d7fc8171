/**
 * The model's version, carried by every result and share URL. Bump it whenever a change to the
 * model, its defaults or the engine's draws can change a number.
 */
export const modelVersion = '2.0.1';
