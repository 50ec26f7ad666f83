export type Role = 'admin' | 'operator' | 'auditor';

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}

/** What GET/POST /session and POST /setup answer. */
export interface Session {
  user: SessionUser;
  csrfToken: string;
  /** Signed in with a password an admin reset: choosing a new one is all the user may do. */
  mustChangePassword: boolean;
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

export interface Credentials {
  email: string;
  password: string;
}
