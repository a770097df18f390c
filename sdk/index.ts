/** Placeholder entry; the tracker lands with the SDK work. */
export function createTracker(): void {}
