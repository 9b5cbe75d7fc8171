// comlink ships the Node adapter's types beside its CommonJS build only; these are the same for the ES module.
declare module 'comlink/dist/esm/node-adapter.mjs' {
	export { default } from 'comlink/dist/esm/node-adapter';
}
