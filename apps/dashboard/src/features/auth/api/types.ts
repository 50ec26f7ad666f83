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
}

export interface Credentials {
  email: string;
  password: string;
}
