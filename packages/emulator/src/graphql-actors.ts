/**
 * Actors in GraphQL (`User`, `Bot`, `Organization`), made from the logins the store records. Like GitHub, a bot
 * (`github-actions[bot]` in REST) is a `Bot` whose GraphQL `login` has no `[bot]` suffix (`github-actions`).
 */
import type { GraphqlArguments, Resolver } from './graphql-context.js';
import { legacyNodeId } from './node-ids.js';
import type { EmulatorState } from './route-handler.js';
import type { UserRecord } from './users.js';

/** The value of an `Actor` field. */
export interface ActorSource {
  __typename: 'User' | 'Bot' | 'Organization';
  user: UserRecord;
}

const BOT_SUFFIX = '[bot]';

/** The actor of a login as an `Actor` (`User`, `Bot` or `Organization`): logins ending in `[bot]` are bots. */
export function actorOf({ users }: EmulatorState, login: string): ActorSource {
  const user = users.register(login);
  const typename =
    user.type === 'Bot' || user.login.endsWith(BOT_SUFFIX)
      ? 'Bot'
      : user.type === 'Organization'
        ? 'Organization'
        : 'User';
  return { __typename: typename, user };
}

/**
 * The actor of a login for a field typed `User` (`Release.author`): always a `User`, with the login REST shows.
 */
export function userOf({ users }: EmulatorState, login: string): ActorSource {
  return { __typename: 'User', user: users.register(login) };
}

/** The `Actor` fields, served by `User`, `Bot` and `Organization`. */
export const actorFields: Record<string, Resolver<ActorSource>> = {
  id: (source) => legacyNodeId(source.__typename, source.user.id),
  databaseId: (source) => source.user.id,
  login: (source) => loginOf(source),
  url: (source) => `https://github.com${resourcePathOf(source)}`,
  resourcePath: (source) => resourcePathOf(source),
  avatarUrl: (source, args: GraphqlArguments) => {
    const size = typeof args.size === 'number' ? `&s=${args.size}` : '';
    return `https://avatars.githubusercontent.com/u/${source.user.id}?v=4${size}`;
  },
};

function loginOf(source: ActorSource): string {
  const { login } = source.user;
  return source.__typename === 'Bot' && login.endsWith(BOT_SUFFIX)
    ? login.slice(0, -BOT_SUFFIX.length)
    : login;
}

function resourcePathOf(source: ActorSource): string {
  return source.__typename === 'Bot' ? `/apps/${loginOf(source)}` : `/${source.user.login}`;
}
