import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { controlField, MAX_MESSAGES, MessageBoard, TRANSIENT_MS } from '../../src/lib/notebook/messages.svelte';

describe('MessageBoard', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('lets information and success go after a few seconds, and keeps errors and notices until dismissed', () => {
		const board = new MessageBoard();
		board.tell('Opened Baseline.', { tone: 'success' });
		board.tell('Fan chart removed.', { tone: 'info', action: 'undo-remove' });
		board.tell('The seed must be a whole number.');
		board.tell('This link replaced your notebook.', { tone: 'notice', action: 'restore-previous' });
		vi.advanceTimersByTime(TRANSIENT_MS - 1);
		expect(board.list).toHaveLength(4);
		vi.advanceTimersByTime(1);
		expect(board.list.map((m) => m.tone)).toEqual(['error', 'notice']);
		vi.advanceTimersByTime(10 * TRANSIENT_MS);
		expect(board.list).toHaveLength(2);
		board.dismiss(board.list[0].id);
		expect(board.list.map((m) => m.tone)).toEqual(['notice']);
	});

	it('keeps a transient message while it is hovered or focused, then gives it its full time again', () => {
		const board = new MessageBoard();
		board.tell('Fan chart removed.', { tone: 'info' });
		const id = board.list[0].id;
		vi.advanceTimersByTime(TRANSIENT_MS - 100);
		board.hold(id);
		vi.advanceTimersByTime(5 * TRANSIENT_MS);
		expect(board.list).toHaveLength(1);
		board.release(id);
		vi.advanceTimersByTime(TRANSIENT_MS - 1);
		expect(board.list).toHaveLength(1);
		vi.advanceTimersByTime(1);
		expect(board.list).toHaveLength(0);
	});

	it('never piles up: beyond the limit the oldest transient message goes first, then the oldest of any tone', () => {
		const board = new MessageBoard();
		board.tell('error 1');
		board.tell('info 1', { tone: 'info' });
		for (let i = 2; i < MAX_MESSAGES; i++) board.tell(`error ${i}`);
		expect(board.list).toHaveLength(MAX_MESSAGES);
		board.tell('error new');
		expect(board.list).toHaveLength(MAX_MESSAGES);
		expect(board.list.map((m) => m.text)).not.toContain('info 1');
		expect(board.list[0].text).toBe('error 1');
		board.tell('error newer');
		expect(board.list).toHaveLength(MAX_MESSAGES);
		expect(board.list[0].text).toBe('error 2');
	});

	it('keeps one message per field, shown beside its input when a component shows that field, else in the general list', () => {
		const board = new MessageBoard();
		const field = controlField('demandGrowth');
		board.tell('Demand growth: 0.5 per year is outside the slider range; it was set to 0.2 per year.', { field });
		board.tell('Demand growth: −1 per year is outside the slider range; it was set to 0 per year.', { field });
		board.tell('Something else went wrong.');
		expect(board.forField(field).map((m) => m.text)).toEqual(['Demand growth: −1 per year is outside the slider range; it was set to 0 per year.']);
		expect(board.general).toHaveLength(2);
		const hide = board.showField(field);
		expect(board.general.map((m) => m.text)).toEqual(['Something else went wrong.']);
		hide();
		expect(board.general).toHaveLength(2);
	});
});
