/** User roles (seed 001). Persisted: never rename. */
export const USER_ROLES = ['admin', 'user', 'readonly'] as const;
export type UserRole = (typeof USER_ROLES)[number];
