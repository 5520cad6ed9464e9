/** The probes of ref writes: `updateRefs` compare-and-swap, creating over an existing ref, the workflows rule. */
import type { ProbeSession } from './fixture.js';
import {
  MUTATION_FIELDS,
  createRefRequest,
  firstGraphqlError,
  forceRefRequest,
  pointsAt,
  readRefExchange,
  repositoryIdExchange,
  restOutcome,
  updateRefsRequest,
  type Probe,
} from './probe.js';

const HEAD = '<commit:head>';
const OLDER = '<commit:older>';
const DIFFER = '<commit:workflows-differ>';
const ZERO = '<oid:zero>';

/** `updateRefs` with a stale `beforeOid`, with and without `force`, and backwards moves. */
export const updateRefsProbe: Probe = {
  name: 'update-refs-compare-and-swap',
  question:
    'GraphQL updateRefs: is a stale beforeOid refused, does force: true relax beforeOid, what error (type, ' +
    'message) comes back when a swap fails, and does a backwards move with the right beforeOid need force?',
  roles: [HEAD, OLDER],
  async run(session: ProbeSession) {
    const tag = 'refs/tags/probe/swap';
    session.created.tags.add(tag);
    await session.exchange({
      step: 'create the tag at the older commit',
      request: createRefRequest(tag, OLDER),
      compare: ['status', 'body.ref', 'body.object.sha'],
    });
    await session.exchange(repositoryIdExchange());
    const stale = await session.exchange({
      step: 'swap to the head with a stale beforeOid (the head), without force',
      request: updateRefsRequest({ name: tag, beforeOid: HEAD, afterOid: HEAD }),
      compare: MUTATION_FIELDS,
    });
    const afterStale = await session.exchange(readRefExchange(tag, 'after the stale swap'));
    const forced = await session.exchange({
      step: 'swap to the head with a stale beforeOid (the head) and force: true',
      request: updateRefsRequest({ name: tag, beforeOid: HEAD, afterOid: HEAD, force: true }),
      compare: MUTATION_FIELDS,
    });
    const afterForced = await session.exchange(readRefExchange(tag, 'after the forced stale swap'));
    await session.exchange({
      step: 'put the tag at the head (REST, force)',
      request: forceRefRequest(tag, HEAD),
      compare: ['status', 'body.object.sha'],
    });
    const backwards = await session.exchange({
      step: 'move the tag back to the older commit with the right beforeOid, without force',
      request: updateRefsRequest({ name: tag, beforeOid: HEAD, afterOid: OLDER }),
      compare: MUTATION_FIELDS,
    });
    const afterBackwards = await session.exchange(readRefExchange(tag, 'after the backwards swap'));
    await session.exchange({
      step: 'put the tag at the head again (REST, force)',
      request: forceRefRequest(tag, HEAD),
      compare: ['status', 'body.object.sha'],
    });
    const forcedBackwards = await session.exchange({
      step: 'move the tag back to the older commit with the right beforeOid and force: true',
      request: updateRefsRequest({ name: tag, beforeOid: HEAD, afterOid: OLDER, force: true }),
      compare: MUTATION_FIELDS,
    });
    const afterForcedBackwards = await session.exchange(
      readRefExchange(tag, 'after the forced backwards swap'),
    );
    return {
      staleSwapWithoutForce: {
        error: firstGraphqlError(session, stale.body),
        tagAt: pointsAt(session, afterStale),
      },
      staleSwapWithForce: {
        error: firstGraphqlError(session, forced.body),
        tagAt: pointsAt(session, afterForced),
      },
      forceRelaxesBeforeOid: pointsAt(session, afterForced) === HEAD,
      backwardsWithoutForce: {
        error: firstGraphqlError(session, backwards.body),
        tagAt: pointsAt(session, afterBackwards),
      },
      backwardsWithForce: {
        error: firstGraphqlError(session, forcedBackwards.body),
        tagAt: pointsAt(session, afterForcedBackwards),
      },
    };
  },
};

/** Creating a ref that exists: REST `POST /git/refs`, and `updateRefs` with an all-zero `beforeOid`. */
export const createExistingRefProbe: Probe = {
  name: 'create-existing-ref',
  question:
    'Creating a ref over an existing one: what REST POST /git/refs answers (422 "Reference already exists"?) ' +
    'and what updateRefs answers with an all-zero beforeOid.',
  roles: [HEAD, OLDER],
  async run(session: ProbeSession) {
    const tag = 'refs/tags/probe/exists';
    session.created.tags.add(tag);
    await session.exchange({
      step: 'create the tag at the head',
      request: createRefRequest(tag, HEAD),
      compare: ['status', 'body.ref', 'body.object.sha'],
    });
    const rest = await session.exchange({
      step: 'create it again, at the older commit (REST)',
      request: createRefRequest(tag, OLDER),
      compare: ['status', 'body.message'],
    });
    await session.exchange(repositoryIdExchange());
    const graphql = await session.exchange({
      step: 'create it again, at the older commit (updateRefs, beforeOid all zeros)',
      request: updateRefsRequest({ name: tag, beforeOid: ZERO, afterOid: OLDER }),
      compare: MUTATION_FIELDS,
    });
    const after = await session.exchange(readRefExchange(tag, 'after both attempts'));
    return {
      rest: restOutcome(session, rest),
      updateRefs: firstGraphqlError(session, graphql.body),
      tagAt: pointsAt(session, after),
    };
  },
};

/** Pointing a tag at a commit whose `.github/workflows` differs from every branch head's. */
export const workflowsPermissionProbe: Probe = {
  name: 'workflows-permission',
  question:
    "Moving or creating a tag at a commit whose .github/workflows differs from the branch heads' with the " +
    'token given: refused? With what status, message and x-accepted-github-permissions header (REST), and what ' +
    'error (updateRefs)?',
  roles: [HEAD, DIFFER],
  async run(session: ProbeSession) {
    const tag = 'refs/tags/probe/workflows';
    const created = 'refs/tags/probe/workflows-new';
    session.created.tags.add(tag).add(created);
    const refusalFields = ['status', 'body.message', 'headers.x-accepted-github-permissions'];
    await session.exchange({
      step: 'create the tag at the head',
      request: createRefRequest(tag, HEAD),
      compare: ['status', 'body.object.sha'],
    });
    const move = await session.exchange({
      step: 'move it to the commit with other workflows (REST, force)',
      request: forceRefRequest(tag, DIFFER),
      compare: refusalFields,
    });
    const afterMove = await session.exchange(readRefExchange(tag, 'after the REST move'));
    await session.exchange({
      step: 'put it back at the head (REST, force)',
      request: forceRefRequest(tag, HEAD),
      compare: ['status', 'body.object.sha'],
    });
    await session.exchange(repositoryIdExchange());
    const swap = await session.exchange({
      step: 'move it to the commit with other workflows (updateRefs, right beforeOid, force)',
      request: updateRefsRequest({ name: tag, beforeOid: HEAD, afterOid: DIFFER, force: true }),
      compare: MUTATION_FIELDS,
    });
    const afterSwap = await session.exchange(readRefExchange(tag, 'after the updateRefs move'));
    const create = await session.exchange({
      step: 'create a new tag at the commit with other workflows (REST)',
      request: createRefRequest(created, DIFFER),
      compare: refusalFields,
    });
    const afterCreate = await session.exchange(readRefExchange(created, 'after the REST creation'));
    return {
      restMove: { ...restOutcome(session, move), tagAt: pointsAt(session, afterMove) },
      updateRefsMove: { error: firstGraphqlError(session, swap.body), tagAt: pointsAt(session, afterSwap) },
      restCreate: { ...restOutcome(session, create), tagAt: pointsAt(session, afterCreate) },
    };
  },
};
