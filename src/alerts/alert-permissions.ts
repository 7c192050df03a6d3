/**
 * Who may do what with alerts. Acknowledging and resolving is incident work, open to agents and admins (the
 * people on call); tuning rules and channels is configuration, which the auth hook keeps to admins.
 */
import type { Principal } from '../accounts/permissions.ts';

export const canHandleAlert = (p: Principal): boolean => p.role === 'agent' || p.role === 'admin';
