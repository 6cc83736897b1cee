/** Failed logins before a temporary lockout, in every realm (the realm file and the hardening Job). */
export const BRUTE_FORCE_FAILURE_FACTOR = 10;
