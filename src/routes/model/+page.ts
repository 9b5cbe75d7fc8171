// Rendered in the browser like the notebook: the sanitiser (DOMPurify) needs a DOM.
export const ssr = false;
