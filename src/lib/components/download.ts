/** Saves text as a file through a temporary link. */
export function downloadText(filename: string, text: string, type: string): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	downloadUrl(filename, url);
	setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** Saves what a URL (a blob or data URL) holds as a file. */
export function downloadUrl(filename: string, url: string): void {
	const link = document.createElement('a');
	link.href = url;
	link.download = filename;
	document.body.append(link);
	link.click();
	link.remove();
}
