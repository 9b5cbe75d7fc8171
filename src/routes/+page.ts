// Everything runs in the browser (workers, storage, the share URL): the page is a client-side shell.
export const ssr = false;
