import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** Shared by the Playwright tests and the browser benchmark: Debian's Chromium and a static preview server. */
export const projectRoot = resolve(import.meta.dirname, '../..');

export const chromiumArgs = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/** The Chromium to drive: $CHROMIUM_PATH or Debian's /usr/bin/chromium; a clear error when neither exists. */
export function chromiumPath(): string {
	const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
	if (!existsSync(path)) {
		throw new Error(
			`Chromium was not found at ${path}. Install Debian's package with \`apt-get update && apt-get install -y chromium\` ` +
				'(or set CHROMIUM_PATH). Do not run `playwright install`: it needs a network this machine does not have.'
		);
	}
	return path;
}

export function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
		});
	});
}

export function run(command: string, args: string[]): Promise<void> {
	return new Promise((resolveRun, reject) => {
		const child = spawn(command, args, { cwd: projectRoot, stdio: 'inherit' });
		child.on('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
	});
}

/** Serves build/ with `vite preview` on a port; resolves once it answers. */
export async function startPreview(port: number): Promise<ChildProcess> {
	const server = spawn(resolve(projectRoot, 'node_modules/.bin/vite'), ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
		cwd: projectRoot,
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		try {
			const response = await fetch(`http://127.0.0.1:${port}/`);
			if (response.ok) return server;
		} catch {
			// not listening yet
		}
		if (server.exitCode !== null) throw new Error(`vite preview exited with ${server.exitCode}`);
		await new Promise((r) => setTimeout(r, 200));
	}
	server.kill();
	throw new Error(`vite preview did not answer on port ${port} within 30 s`);
}
