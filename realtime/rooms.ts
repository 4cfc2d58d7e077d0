/** Room names of the live gateway. Kept apart from the gateway so identity code need not load socket.io. */

/** Every client allowed to see the wall (masked, aggregated data only). */
export const WALL_ROOM = 'wall';
