/** Room names of the live gateway. Kept apart from the gateway so identity code need not load socket.io. */

/** Every client allowed to see the wall (masked, aggregated data only). */
export const WALL_ROOM = 'wall';

/**
 * Whoever sees the whole wall's alert column: wall displays, the duty room, and anonymous viewers where
 * the wall is open. Liaisons and departments are on the wall room for counts, but hear of alerts only
 * in their own agency or department room (alerts/audiences.ts decides which).
 */
export const ALERT_WALL_ROOM = 'wall:alerts';
