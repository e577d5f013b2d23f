/**
 * Where a consumer that stopped at an event records why, in the checkpoint store: the consumer stays stopped while
 * it is there, and an operator's retry or park removes it. Shared by every consumer that stops (projections, the
 * replica) and by what reports or clears their stops from another process.
 */
export const failureKey = (consumer: string): string => `failure:${consumer}`;
