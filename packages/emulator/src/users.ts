/** GitHub users known to the emulator, and their `simple-user` representation. */
import { legacyNodeId } from './node-ids.js';

/** The login of the user every request is authenticated as (what a workflow's `GITHUB_TOKEN` acts as). */
export const AUTHENTICATED_LOGIN = 'github-actions[bot]';

/** The commit email GitHub gives `github-actions[bot]`. */
export const ACTIONS_BOT_EMAIL = '41898282+github-actions[bot]@users.noreply.github.com';

/** A user known to the emulator. */
export interface UserRecord {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
  emails: string[];
}

/** GitHub's `simple-user` schema. */
export interface SimpleUser {
  login: string;
  id: number;
  node_id: string;
  avatar_url: string;
  gravatar_id: string;
  url: string;
  html_url: string;
  followers_url: string;
  following_url: string;
  gists_url: string;
  starred_url: string;
  subscriptions_url: string;
  organizations_url: string;
  repos_url: string;
  events_url: string;
  received_events_url: string;
  type: string;
  site_admin: boolean;
  user_view_type: string;
}

/** The users the emulator knows, by login and by commit email. */
export class UserDirectory {
  private readonly byLogin = new Map<string, UserRecord>();
  private nextId = 1000;

  constructor(private readonly apiUrl: string) {
    this.add({ login: AUTHENTICATED_LOGIN, id: 41898282, type: 'Bot', emails: [ACTIONS_BOT_EMAIL] });
  }

  /** Registers a user (or adds an email to a known one) and returns it. */
  register(login: string, email?: string, type: UserRecord['type'] = 'User'): UserRecord {
    const known = this.byLogin.get(login.toLowerCase());
    if (known) {
      if (email && !known.emails.includes(email.toLowerCase())) known.emails.push(email.toLowerCase());
      return known;
    }
    return this.add({ login, id: this.nextId++, type, emails: email ? [email.toLowerCase()] : [] });
  }

  /** The user committing with this email, if one was registered. */
  findByEmail(email: string): UserRecord | undefined {
    const wanted = email.toLowerCase();
    for (const user of this.byLogin.values()) if (user.emails.includes(wanted)) return user;
    return undefined;
  }

  /** A user by login, if known. */
  findByLogin(login: string): UserRecord | undefined {
    return this.byLogin.get(login.toLowerCase());
  }

  /** A user by numeric id, if known. */
  findById(id: number): UserRecord | undefined {
    for (const user of this.byLogin.values()) if (user.id === id) return user;
    return undefined;
  }

  /** The `simple-user` representation of a login (registering the login when it is new). */
  simpleUser(login: string): SimpleUser {
    const user = this.register(login);
    const url = `${this.apiUrl}/users/${encodeURIComponent(user.login)}`;
    const kind = user.type === 'Bot' ? 'Bot' : user.type === 'Organization' ? 'Organization' : 'User';
    return {
      login: user.login,
      id: user.id,
      node_id: legacyNodeId(kind, user.id),
      avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
      gravatar_id: '',
      url,
      html_url:
        user.type === 'Bot'
          ? `https://github.com/apps/${user.login.replace(/\[bot\]$/, '')}`
          : `https://github.com/${user.login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: user.type,
      site_admin: false,
      user_view_type: 'public',
    };
  }

  /** A deep copy of the known users and the next id, for {@link restoreState}. */
  saveState(): { users: UserRecord[]; nextId: number } {
    return structuredClone({ users: [...this.byLogin.values()], nextId: this.nextId });
  }

  /** Puts back the users {@link saveState} copied; users registered since are forgotten. */
  restoreState(saved: { users: UserRecord[]; nextId: number }): void {
    const state = structuredClone(saved);
    this.byLogin.clear();
    for (const user of state.users) this.add(user);
    this.nextId = state.nextId;
  }

  private add(user: UserRecord): UserRecord {
    this.byLogin.set(user.login.toLowerCase(), user);
    return user;
  }
}
